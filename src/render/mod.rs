//! Rendering: the dossier model becomes pages, through the Tera templates.
//!
//! Every page is rendered independently (in parallel) and handed to a [`Sink`]: the writer's
//! staging folder for `build`, memory for `check` and `serve`. Links between pages are relative
//! (`../../events/x/`), so the site works at the root of a domain and under any sub-path;
//! only `404.html`, which a host serves at any address, uses absolute paths.

pub(crate) mod links;
pub(crate) mod markdown;
pub(crate) mod search;
pub(crate) mod theme;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;
use tera::{Context, Tera};

use crate::analyze::{Dossier, Event};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::config::Config;
use crate::load::content::{Dated, Report};
use crate::render::markdown::{first_paragraph, highlight_css, Markdown, Resolve};

/// Where rendered files go.
pub(crate) trait Sink: Sync {
    fn put(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()>;
}

/// How many events the front page shows before pointing to the timeline.
const FRONT_EVENTS: usize = 50;
const LATEST_REPORTS: usize = 10;
const FEED_ENTRIES: usize = 50;
/// Statements one report alone makes, shown per report on an event page.
const SINGLE_SHOWN: usize = 5;
/// Events and reports an entity's page lists (the latest), before "and N more".
const ENTITY_EVENTS: usize = 50;
const ENTITY_REPORTS: usize = 50;

/// Whether the page of entity `n` shows the card of report `r` (it shows the latest only).
pub(crate) fn entity_shows_report(d: &Dossier, n: usize, r: usize) -> bool {
    let rs = &d.entities.list[n].reports;
    rs[rs.len().saturating_sub(ENTITY_REPORTS)..].contains(&r)
}

/// Whether the page of entity `n` shows the card of event `e` (it shows the latest only).
pub(crate) fn entity_shows_event(d: &Dossier, n: usize, e: usize) -> bool {
    let es = &d.entities.list[n].events;
    es[es.len().saturating_sub(ENTITY_EVENTS)..].contains(&e)
}
/// How many names an event or report page lists.
pub(crate) const NAMES_SHOWN: usize = 24;

/// One file of the site, rendered from the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Page {
    Index,
    Timeline,
    Outlets,
    NotFound,
    Sitemap,
    Atom,
    Robots,
    Entities,
    Briefing,
    Event(usize),
    Report(usize),
    Outlet(usize),
    Entity(usize),
    Search,
}

impl Page {
    pub(crate) fn output_path(self, d: &Dossier) -> String {
        match self {
            Page::Index => "index.html".into(),
            Page::Timeline => "timeline/index.html".into(),
            Page::Outlets => "outlets/index.html".into(),
            Page::NotFound => "404.html".into(),
            Page::Sitemap => "sitemap.xml".into(),
            Page::Atom => "atom.xml".into(),
            Page::Robots => "robots.txt".into(),
            Page::Event(i) => format!("events/{}/index.html", d.events[i].id),
            Page::Report(i) => format!("reports/{}/index.html", d.reports[i].id),
            Page::Outlet(i) => format!("outlets/{}/index.html", d.outlets[i].slug),
            Page::Entities => "entities/index.html".into(),
            Page::Briefing => "briefing/index.html".into(),
            Page::Entity(i) => format!("entities/{}/index.html", d.entities.list[i].slug),
            Page::Search => "search/index.html".into(),
        }
    }

    fn template(self) -> &'static str {
        match self {
            Page::Index => "index.html",
            Page::Timeline => "timeline.html",
            Page::Outlets => "outlets.html",
            Page::NotFound => "404.html",
            Page::Sitemap => "sitemap.xml",
            Page::Atom => "atom.xml",
            Page::Robots => "robots.txt",
            Page::Event(_) => "event.html",
            Page::Report(_) => "report.html",
            Page::Outlet(_) => "outlet.html",
            Page::Entities => "entities.html",
            Page::Briefing => "briefing.html",
            Page::Entity(_) => "entity.html",
            Page::Search => "search.html",
        }
    }
}

/// The prefix from a page at `path` back to the site root: `""`, `"../"`, `"../../"`.
fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// URL paths from the site root, ending in `/` for pretty URLs.
pub(crate) fn event_url(id: &str) -> String {
    format!("events/{id}/")
}
pub(crate) fn report_url(id: &str) -> String {
    format!("reports/{id}/")
}
pub(crate) fn outlet_url(slug: &str) -> String {
    format!("outlets/{slug}/")
}
pub(crate) fn entity_url(slug: &str) -> String {
    format!("entities/{slug}/")
}

impl Resolve for Dossier {
    fn resolve(&self, kind: &str, id: &str) -> Option<String> {
        match kind {
            "report" => self.report_index.get(id).map(|_| report_url(id)),
            "event" => self.event_index.get(id).map(|_| event_url(id)),
            "outlet" => self
                .outlets
                .iter()
                .find(|o| o.slug == id)
                .map(|o| outlet_url(&o.slug)),
            _ => None,
        }
    }
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: &'a str,
    author: Option<&'a str>,
    style: String,
    highlight: String,
    /// Whether the site has a search page (the header's search box shows only then).
    search: bool,
}

/// A report as lists and cross-links show it.
#[derive(Serialize)]
struct ReportCard<'a> {
    id: &'a str,
    url: String,
    title: &'a str,
    outlet: Option<&'a str>,
    outlet_url: Option<String>,
    date_iso: String,
    date_text: String,
    time_text: Option<String>,
    wire: &'a [String],
    authors: &'a [String],
    editors: &'a [String],
    event_id: Option<&'a str>,
    event_title: Option<&'a str>,
    event_url: Option<String>,
}

/// An event as lists and the timeline show it.
#[derive(Serialize)]
struct EventCard<'a> {
    id: &'a str,
    url: String,
    title: &'a str,
    start: String,
    end: String,
    dates_text: String,
    year: i32,
    location: Option<&'a str>,
    summary: Option<&'a str>,
    report_count: usize,
    count_text: String,
    outlets: Vec<&'a str>,
}

/// Everything the templates need that is the same for every page.
struct Shared<'a> {
    labels: BTreeMap<&'a str, &'a str>,
    /// Entity names by their lower-cased name and surname, to name quoted speakers.
    speakers: HashMap<String, &'a str>,
    config: &'a Config,
    dossier: &'a Dossier,
    strings: BTreeMap<&'a str, &'a str>,
    site: serde_json::Value,
    markdown: Markdown,
}

impl<'a> Shared<'a> {
    fn report_card(&self, i: usize) -> ReportCard<'a> {
        let d = self.dossier;
        let r: &'a Report = &d.reports[i];
        let lang = self.config.language;
        let event: Option<&'a Event> = d.event_of[i].map(|e| &d.events[e]);
        let outlet = d.outlet_of[i].map(|o| &d.outlets[o]);
        ReportCard {
            id: &r.id,
            url: report_url(&r.id),
            title: &r.title,
            outlet: r.outlet.as_deref(),
            outlet_url: outlet.map(|o| outlet_url(&o.slug)),
            date_iso: r.date.iso(),
            date_text: lang.date(r.date.day()),
            time_text: match r.date {
                Dated::At(t) => Some(lang.time(t.naive_local(), *t.offset())),
                Dated::Day(_) => None,
            },
            wire: &r.wire,
            authors: &r.authors,
            editors: &r.editors,
            event_id: event.map(|e| e.id.as_str()),
            event_title: event.map(|e| e.title.as_str()),
            event_url: event.map(|e| event_url(&e.id)),
        }
    }

    fn event_card(&self, i: usize) -> EventCard<'a> {
        let d = self.dossier;
        let e: &'a Event = &d.events[i];
        let lang = self.config.language;
        let mut outlets: Vec<&'a str> = Vec::new();
        let mut seen = HashSet::new();
        for &ri in &e.reports {
            let name = d.reports[ri]
                .outlet
                .as_deref()
                .unwrap_or(self.strings["outlet_unknown"]);
            if seen.insert(name) {
                outlets.push(name);
            }
        }
        EventCard {
            id: &e.id,
            url: event_url(&e.id),
            title: &e.title,
            start: e.start.format("%Y-%m-%d").to_string(),
            end: e.end.format("%Y-%m-%d").to_string(),
            dates_text: lang.date_range(e.start, e.end),
            year: chrono::Datelike::year(&e.start),
            location: e.location.as_deref(),
            summary: e.summary.as_deref(),
            report_count: e.reports.len(),
            count_text: self.count_reports(e.reports.len()),
            outlets,
        }
    }

    /// Entities as links, for the name lists of events and reports.
    fn names(&self, entities: &[usize]) -> Vec<serde_json::Value> {
        entities
            .iter()
            .take(NAMES_SHOWN)
            .map(|&e| {
                let e = &self.dossier.entities.list[e];
                json!({"name": e.name, "url": entity_url(&e.slug)})
            })
            .collect()
    }

    /// How the reports of event `i` agree (nothing for an event of one report).
    fn agreement(&self, i: usize) -> Option<serde_json::Value> {
        let d = self.dossier;
        let e = &d.events[i];
        if e.reports.len() < 2 {
            return None;
        }
        let bodies: Vec<&str> = e.reports.iter().map(|&r| &*d.reports[r].body).collect();
        let speaker_of = |s: &str| {
            self.speakers
                .get(&s.to_lowercase())
                .map(|n| n.to_string())
                .unwrap_or_else(|| s.to_string())
        };
        let ag = crate::analyze::corroborate::compare(&bodies, &speaker_of);
        let outlet_of = |k: usize| {
            let r = &d.reports[e.reports[k]];
            json!({"outlet": r.outlet.as_deref().unwrap_or(self.strings["outlet_unknown"]),
                   "url": report_url(&r.id)})
        };
        let shared: Vec<_> = ag
            .shared
            .iter()
            .map(|s| json!({"text": s.text, "outlets": s.reports.iter().map(|&k| outlet_of(k)).collect::<Vec<_>>()}))
            .collect();
        let mut single: Vec<serde_json::Value> = Vec::new();
        for (k, _) in e.reports.iter().enumerate() {
            let all: Vec<&str> = ag
                .single
                .iter()
                .filter(|s| s.reports[0] == k)
                .map(|s| s.text.as_str())
                .collect();
            if !all.is_empty() {
                // The first few, as a taste: the report itself has them all.
                let mut g = outlet_of(k);
                g["count"] = json!(all.len());
                g["sentences"] = json!(all.iter().take(SINGLE_SHOWN).collect::<Vec<_>>());
                g["more"] = json!(all.len().saturating_sub(SINGLE_SHOWN));
                single.push(g);
            }
        }
        let quotes: Vec<_> = ag
            .quotes
            .iter()
            .map(|(speaker, qs)| {
                let items: Vec<_> = qs
                    .iter()
                    .map(|q| {
                        let mut o = outlet_of(q.report);
                        o["text"] = json!(q.text);
                        o
                    })
                    .collect();
                json!({"speaker": speaker, "items": items})
            })
            .collect();
        Some(json!({"shared": shared, "single": single, "quotes": quotes}))
    }

    /// "3 reports" / "3 laporan".
    fn count_reports(&self, n: usize) -> String {
        self.config
            .language
            .count(n, self.strings["report"], self.strings["reports_many"])
    }

    fn context(&self, path: &str, root: &str) -> Context {
        let mut ctx = Context::new();
        ctx.insert("site", &self.site);
        ctx.insert("t", &self.strings);
        // The few strings the list macros need: macro arguments are copied on every call,
        // and the whole of `t` on every list item is a measurable share of a large build.
        ctx.insert("l", &self.labels);
        ctx.insert("root", root);
        ctx.insert("path", path.trim_end_matches("index.html"));
        // `<body data-page>`: `render_page` names it after the template; a page rendered
        // another way still gets a type, from where it sits, rather than a missing variable.
        ctx.insert("page_type", &page_type_of(path));
        ctx
    }
}

impl<'a> Shared<'a> {
    /// Everything that is the same for every page of this render.
    fn new(
        config: &'a Config,
        dossier: &'a Dossier,
        assets: &BTreeMap<String, Vec<u8>>,
        highlight: &str,
    ) -> Shared<'a> {
        let version = |bytes: &[u8]| format!("{:08x}", fnv1a(bytes) as u32);
        let style_v = assets
            .get("style.css")
            .map(|b| version(b))
            .unwrap_or_default();
        let mut strings = config.language.strings();
        for (k, v) in &config.strings {
            if let Some(slot) = strings.get_mut(k.as_str()) {
                *slot = v.as_str();
            }
        }
        let site = serde_json::to_value(SiteCtx {
            title: &config.title,
            description: &config.description,
            language: config.language.code(),
            base_url: &config.base_url,
            author: config.author.as_deref(),
            style: format!("style.css?v={style_v}"),
            highlight: format!("highlight.css?v={}", version(highlight.as_bytes())),
            search: config.search,
        })
        .unwrap_or_default();
        let labels = ["outlet_unknown", "by", "wire", "event"]
            .iter()
            .filter_map(|k| strings.get(k).map(|v| (*k, *v)))
            .collect();
        Shared {
            labels,
            config,
            dossier,
            strings,
            site,
            markdown: Markdown::new(config.allow_html),
            speakers: dossier
                .entities
                .list
                .iter()
                .flat_map(|en| {
                    let last = en
                        .name
                        .rsplit(' ')
                        .next()
                        .unwrap_or(&en.name)
                        .to_lowercase();
                    [
                        (last, en.name.as_str()),
                        (en.name.to_lowercase(), en.name.as_str()),
                    ]
                })
                .collect(),
        }
    }
}

/// A page's type from its path: `index`, `404`, `briefing` for `briefing/index.html`, and
/// `reports-item` for `reports/<id>/index.html`.
fn page_type_of(path: &str) -> String {
    let dir = path.trim_end_matches("index.html").trim_matches('/');
    match dir.split_once('/') {
        _ if dir.is_empty() => "index".into(),
        Some((first, _)) => format!("{first}-item"),
        None => dir.trim_end_matches(".html").into(),
    }
}

/// Counts of what one render produced, for the summary line.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    pub reports: usize,
    pub events: usize,
    pub outlets: usize,
    pub files: usize,
}

/// What to render: the whole site, or only the pages an edit changes.
#[derive(Debug, Clone)]
pub(crate) enum Scope {
    Everything,
    /// These pages only: what an edit changes, rendered first for the preview to show it.
    Pages(Vec<Page>),
    /// The whole site but its search index, which the preview builds in the background so
    /// that pages are served sooner.
    EverythingButIndex,
    /// `dossier.json` only: the preview renders it after the pages of an edit of metadata, as
    /// it is one long serial job over every report.
    Data,
}

/// Renders the site, or the part of it in `scope`, into `sink`. Problems (template errors,
/// broken internal links in content) are added to `diags`.
pub(crate) fn render(
    config: &Config,
    dossier: &Dossier,
    scope: &Scope,
    sink: &dyn Sink,
    diags: &mut Diagnostics,
) -> Stats {
    match Theme::load(config, diags) {
        Some(theme) => render_with(config, &theme, dossier, scope, sink, diags),
        None => Stats::default(),
    }
}

/// The theme as loaded for one configuration: templates parsed, assets read, highlighting
/// styles made. The preview keeps it between the partial rebuilds of report edits (an edit of
/// a template, an asset or `site.toml` rebuilds everything, loading it anew).
pub(crate) struct Theme {
    tera: Tera,
    /// Where each template came from, for error messages.
    template_paths: BTreeMap<String, String>,
    assets: BTreeMap<String, Vec<u8>>,
    highlight: String,
}

impl Theme {
    /// `None` when a template does not parse (the problems are in `diags`).
    pub(crate) fn load(config: &Config, diags: &mut Diagnostics) -> Option<Theme> {
        let (tera, template_paths) = load_templates(config, diags)?;
        let assets = crate::render::theme::assets(&config.root, diags);
        let highlight = highlight_css(&config.highlight_theme, &config.highlight_theme_dark);
        Some(Theme {
            tera,
            template_paths,
            assets,
            highlight,
        })
    }
}

/// The most pages one thread renders without letting another take its share (see
/// `render_with`). Small enough to even out the pool's work; a page takes a fraction of a
/// millisecond, rayon's hand-over far less.
const PAGE_BATCH: usize = 16;

/// [`render`] with a theme already loaded.
pub(crate) fn render_with(
    config: &Config,
    theme: &Theme,
    dossier: &Dossier,
    scope: &Scope,
    sink: &dyn Sink,
    diags: &mut Diagnostics,
) -> Stats {
    let Theme {
        tera,
        template_paths,
        assets,
        highlight,
    } = theme;
    let shared = Shared::new(config, dossier, assets, highlight);

    let pages = match scope {
        Scope::Everything | Scope::EverythingButIndex => {
            let mut pages = vec![
                Page::Index,
                Page::Timeline,
                Page::Outlets,
                Page::NotFound,
                Page::Sitemap,
                Page::Atom,
                Page::Robots,
                Page::Entities,
                Page::Briefing,
            ];
            pages.extend((0..dossier.entities.list.len()).map(Page::Entity));
            pages.extend((0..dossier.events.len()).map(Page::Event));
            pages.extend((0..dossier.reports.len()).map(Page::Report));
            pages.extend((0..dossier.outlets.len()).map(Page::Outlet));
            if config.search {
                pages.push(Page::Search);
            }
            pages
        }
        Scope::Pages(pages) => pages.clone(),
        Scope::Data => Vec::new(),
    };
    let everything = matches!(scope, Scope::Everything | Scope::EverythingButIndex);
    let data = everything || matches!(scope, Scope::Data);

    let problems: Mutex<BTreeSet<(String, String)>> = Mutex::new(BTreeSet::new());
    let content_problems: Mutex<Vec<Diagnostic>> = Mutex::new(Vec::new());
    let write_problems: Mutex<Vec<Diagnostic>> = Mutex::new(Vec::new());

    // dossier.json is one long serial job: it runs beside the pages, not after them.
    let render_pages = || {
        // Small batches: rayon splits a list only when a thread steals from it, and a batch it
        // already works through stays whole. Pages differ a lot in cost (an event page compares
        // its reports; a report page does not), so with rayon's own split (an eighth of 21,000
        // pages on 2 cores) one core rendered the last batch alone for 1.5 s while the other
        // sat idle.
        pages.par_iter().with_max_len(PAGE_BATCH).for_each(|&page| {
            let path = page.output_path(dossier);
            let result = render_page(&shared, tera, page, &path, &content_problems);
            match result {
                Ok(bytes) => {
                    if let Err(e) = sink.put(&path, bytes) {
                        lock(&write_problems)
                            .push(Diagnostic::error(None, format!("cannot write {path}: {e}")));
                    }
                }
                Err(e) => {
                    lock(&problems).insert((page.template().to_string(), tera_message(&e)));
                }
            }
        })
    };
    // The search index, like dossier.json, is a job of its own beside the pages, in the same
    // pool: the pages go out in small batches, so the index's parallel work finds idle threads.
    let index_search = config.search && matches!(scope, Scope::Everything);
    let search = || {
        index_search.then(|| {
            crate::render::search::index(config, dossier, &|path, bytes| {
                if let Err(e) = sink.put(path, bytes) {
                    lock(&write_problems)
                        .push(Diagnostic::error(None, format!("cannot write {path}: {e}")));
                }
            })
        })
    };
    let (((), model_json), search_files) = rayon::join(
        || rayon::join(render_pages, || data.then(|| dossier_json(&shared))),
        search,
    );

    let mut files = pages.len();
    let mut put = |path: &str, bytes: Vec<u8>| {
        files += 1;
        if let Err(e) = sink.put(path, bytes) {
            lock(&write_problems)
                .push(Diagnostic::error(None, format!("cannot write {path}: {e}")));
        }
    };
    if everything {
        for (name, bytes) in assets {
            put(name, bytes.clone());
        }
        put("highlight.css", highlight.clone().into_bytes());
        put(".nojekyll", Vec::new());
        if let Some(cname) = &config.cname {
            put("CNAME", format!("{cname}\n").into_bytes());
        }
    }
    if let Some(json) = model_json {
        put("dossier.json", json.into_bytes());
    }
    match search_files {
        Some(Ok(search_files)) => files += search_files,
        Some(Err(d)) => lock(&write_problems).push(d),
        None => {}
    }

    for (template, msg) in into_inner(problems) {
        let shown = template_paths
            .get(&template)
            .cloned()
            .unwrap_or(template.clone());
        diags.push(
            Diagnostic::error(
                std::path::PathBuf::from(shown),
                format!("template error: {msg}"),
            )
            .with_help("fix the template, or delete it from templates/ to use the built-in one"),
        );
    }
    diags.extend(into_inner(content_problems));
    diags.extend(into_inner(write_problems));
    Stats {
        reports: dossier.reports.len(),
        events: dossier.events.len(),
        outlets: dossier.outlets.len(),
        files,
    }
}

/// A mutex's guard, poisoned or not: what a panicked thread left is still the best data there is.
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn into_inner<T>(m: Mutex<T>) -> T {
    m.into_inner().unwrap_or_else(|p| p.into_inner())
}

/// A small stable hash for cache-busting asset URLs.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

/// The theme's templates, and where each came from (for error messages).
fn load_templates(
    config: &Config,
    diags: &mut Diagnostics,
) -> Option<(Tera, BTreeMap<String, String>)> {
    let templates = crate::render::theme::templates(&config.root, diags);
    let paths = templates
        .iter()
        .map(|(n, p, _)| (n.clone(), p.clone()))
        .collect();
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's own escaping also turns `/` into `&#x2F;`, which makes every URL unreadable.
    tera.set_escape_fn(crate::render::markdown::escape_html);
    let list: Vec<(String, String)> = templates
        .iter()
        .map(|(n, _, t)| (n.clone(), t.clone()))
        .collect();
    if let Err(e) = tera.add_raw_templates(list) {
        // Tera stops at the first bad template: find every one by adding them one by one.
        let mut found = false;
        for (name, shown, text) in &templates {
            let mut single = Tera::default();
            if let Err(e) = single.add_raw_template(name, text) {
                let msg = tera_message(&e);
                // Alone, a child template also fails for want of its parent: only syntax counts here.
                if !msg.contains("Failed to parse") {
                    continue;
                }
                found = true;
                diags.push(
                    Diagnostic::error(
                        std::path::PathBuf::from(shown),
                        format!("template error: {msg}"),
                    )
                    .at_line(tera_line(&e))
                    .with_help(
                        "fix the template, or delete it from templates/ to use the built-in one",
                    ),
                );
            }
        }
        if !found {
            diags.push(Diagnostic::error(
                config.root.join("templates"),
                format!("template error: {}", tera_message(&e)),
            ));
        }
        return None;
    }
    Some((tera, paths))
}

/// Tera's error and its causes, on one line each.
fn tera_message(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        parts.push(s.to_string());
        src = s.source();
    }
    parts
        .join(": ")
        .replace('\n', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The line a Tera parse error points at (`--> 3:5`).
fn tera_line(e: &tera::Error) -> Option<usize> {
    let msg = tera_message(e);
    let after = msg.split("--> ").nth(1)?;
    after.split(':').next()?.trim().parse().ok()
}

/// A text of the dossier as HTML; links in it that name nothing become diagnostics.
fn markdown_of(
    sh: &Shared<'_>,
    text: &str,
    file: &std::path::Path,
    first_line: usize,
    root: &str,
    content_problems: &Mutex<Vec<Diagnostic>>,
) -> String {
    let r = sh.markdown.render(text, root, sh.dossier);
    if !r.broken.is_empty() {
        let mut p = lock(content_problems);
        for (line, link) in r.broken {
            p.push(
                Diagnostic::error(file.to_path_buf(), format!("the link `{link}` names nothing in the dossier"))
                    .at_line(Some(first_line + line - 1))
                    .with_help("link to an existing report, event or outlet: report:<file name>, event:<id>, outlet:<slug>"),
            );
        }
    }
    r.html
}

fn render_page(
    sh: &Shared<'_>,
    tera: &Tera,
    page: Page,
    path: &str,
    content_problems: &Mutex<Vec<Diagnostic>>,
) -> tera::Result<Vec<u8>> {
    let d = sh.dossier;
    let lang = sh.config.language;
    let root = match page {
        Page::NotFound => sh.config.base_path(),
        _ => root_of(path),
    };
    let mut ctx = sh.context(path, &root);
    let md = |text: &str, file: &std::path::Path, first_line: usize| -> String {
        markdown_of(sh, text, file, first_line, &root, content_problems)
    };
    match page {
        Page::Index => {
            let index_file = sh.config.content_dir().join("_index.md");
            ctx.insert(
                "page_title",
                &d.front.title.as_deref().unwrap_or(&sh.config.title),
            );
            ctx.insert("body", &md(&d.front.body, &index_file, 1));
            ctx.insert("page_description", &d.front.description);
            let n = d.events.len();
            let events: Vec<EventCard<'_>> = (n.saturating_sub(FRONT_EVENTS)..n)
                .rev()
                .map(|i| sh.event_card(i))
                .collect();
            ctx.insert("events", &events);
            ctx.insert("events_total", &n);
            ctx.insert("events_more", &(n > FRONT_EVENTS));
            let m = d.reports.len();
            let latest: Vec<ReportCard<'_>> = (m.saturating_sub(LATEST_REPORTS)..m)
                .rev()
                .map(|i| sh.report_card(i))
                .collect();
            ctx.insert("latest", &latest);
            ctx.insert("report_total", &m);
            ctx.insert("outlet_total", &d.outlets.len());
        }
        Page::Timeline => {
            let mut years: BTreeMap<i32, Vec<EventCard<'_>>> = BTreeMap::new();
            for i in 0..d.events.len() {
                let c = sh.event_card(i);
                years.entry(c.year).or_default().push(c);
            }
            let years: Vec<_> = years
                .into_iter()
                .map(|(year, events)| json!({"year": year, "events": events}))
                .collect();
            ctx.insert("years", &years);
            let unassigned: Vec<ReportCard<'_>> =
                d.unassigned().map(|i| sh.report_card(i)).collect();
            ctx.insert("unassigned", &unassigned);
        }
        Page::Outlets => {
            let outlets: Vec<_> = d
                .outlets
                .iter()
                .map(|o| {
                    json!({"name": o.name, "url": outlet_url(&o.slug), "count": o.reports.len(),
                    "count_text": sh.count_reports(o.reports.len())})
                })
                .collect();
            ctx.insert("outlets", &outlets);
            let unknown = d.outlet_of.iter().filter(|o| o.is_none()).count();
            ctx.insert("unknown_count_text", &sh.count_reports(unknown));
            ctx.insert("unknown_count", &unknown);
        }
        Page::NotFound => {}
        Page::Sitemap => {
            let mut urls = vec![
                json!({"loc": ""}),
                json!({"loc": "timeline/"}),
                json!({"loc": "outlets/"}),
            ];
            urls.extend(d.events.iter().map(|e| json!({"loc": event_url(&e.id), "lastmod": e.end.format("%Y-%m-%d").to_string()})));
            urls.extend(d.reports.iter().map(|r| json!({"loc": report_url(&r.id), "lastmod": r.date.day().format("%Y-%m-%d").to_string()})));
            urls.extend(
                d.outlets
                    .iter()
                    .map(|o| json!({"loc": outlet_url(&o.slug)})),
            );
            urls.push(json!({"loc": "entities/"}));
            urls.extend(
                d.entities
                    .list
                    .iter()
                    .map(|e| json!({"loc": entity_url(&e.slug)})),
            );
            ctx.insert("urls", &urls);
        }
        Page::Atom => {
            let m = d.reports.len();
            let entries: Vec<_> = (m.saturating_sub(FEED_ENTRIES)..m)
                .rev()
                .map(|i| {
                    let r = &d.reports[i];
                    json!({"card": sh.report_card(i), "updated": atom_time(&r.date), "summary": first_paragraph(&r.body, 400)})
                })
                .collect();
            let updated = d
                .reports
                .last()
                .map(|r| atom_time(&r.date))
                .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
            ctx.insert("entries", &entries);
            ctx.insert("updated", &updated);
        }
        Page::Robots => {}
        Page::Search => {
            ctx.insert("page_title", &sh.strings.get("search"));
            ctx.insert(
                "search_shards",
                &crate::render::search::merged_shards(sh.config, d),
            );
        }
        Page::Briefing => {
            let sel = crate::analyze::briefing::for_site(d);
            // The texts' own pages report their problems: once is enough.
            let again = Mutex::new(Vec::new());
            briefing_context(sh, &sel, &mut ctx, &root, &again);
        }
        Page::Event(i) => {
            let e = &d.events[i];
            ctx.insert("page_title", &e.title);
            ctx.insert("event", &sh.event_card(i));
            let note = e
                .note
                .as_ref()
                .map(|n| md(&n.body, &n.path, n.body_line))
                .unwrap_or_default();
            ctx.insert("note", &note);
            let reports: Vec<ReportCard<'_>> =
                e.reports.iter().map(|&r| sh.report_card(r)).collect();
            ctx.insert("reports", &reports);
            ctx.insert("detected", &e.detected);
            ctx.insert("entities", &sh.names(&d.entities.of_event[i]));
            let related: Vec<_> = d.entities.related[i]
                .iter()
                .map(|(o, shared)| {
                    let names: Vec<&str> = shared
                        .iter()
                        .take(5)
                        .map(|&n| d.entities.list[n].name.as_str())
                        .collect();
                    json!({"event": sh.event_card(*o), "names": names})
                })
                .collect();
            ctx.insert("related", &related);
            ctx.insert("agreement", &sh.agreement(i));
            ctx.insert("previous", &i.checked_sub(1).map(|p| sh.event_card(p)));
            ctx.insert(
                "next",
                &(i + 1 < d.events.len()).then(|| sh.event_card(i + 1)),
            );
        }
        Page::Report(i) => {
            let r = &d.reports[i];
            ctx.insert("page_title", &r.title);
            ctx.insert("report", &sh.report_card(i));
            ctx.insert("body", &md(&r.body, &r.path, r.body_line));
            let full = json!({
                "dateline": r.dateline, "image_caption": r.image_caption, "url": r.url,
                "language": r.language.as_deref().map(|c| lang.name_of(c)),
                "language_code": r.language, "tags": r.tags, "title_generated": r.title_generated,
                "source": r.source.as_ref().map(|s| json!({"file": s.file, "sha256": s.sha256})),
                "date_long": lang.date_with_weekday(r.date.day()),
            });
            ctx.insert("meta", &full);
            let event = d.event_of[i];
            ctx.insert("event", &event.map(|e| sh.event_card(e)));
            let others: Vec<ReportCard<'_>> = event
                .map(|e| {
                    d.events[e]
                        .reports
                        .iter()
                        .filter(|&&o| o != i)
                        .map(|&o| sh.report_card(o))
                        .collect()
                })
                .unwrap_or_default();
            ctx.insert("others", &others);
            ctx.insert("entities", &sh.names(&d.entities.of_report[i]));
        }
        Page::Entities => {
            let entities: Vec<_> = d
                .entities
                .list
                .iter()
                .map(|e| {
                    json!({"name": e.name, "url": entity_url(&e.slug),
                    "count_text": sh.count_reports(e.reports.len())})
                })
                .collect();
            ctx.insert("entities", &entities);
        }
        Page::Entity(i) => {
            let e = &d.entities.list[i];
            ctx.insert("page_title", &e.name);
            ctx.insert(
                "entity",
                &json!({"name": e.name, "count_text": sh.count_reports(e.reports.len())}),
            );
            let events: Vec<EventCard<'_>> = e
                .events
                .iter()
                .rev()
                .take(ENTITY_EVENTS)
                .map(|&ev| sh.event_card(ev))
                .collect();
            ctx.insert("events", &events);
            ctx.insert("events_more", &e.events.len().saturating_sub(ENTITY_EVENTS));
            let reports: Vec<ReportCard<'_>> = e
                .reports
                .iter()
                .rev()
                .take(ENTITY_REPORTS)
                .map(|&r| sh.report_card(r))
                .collect();
            ctx.insert("reports", &reports);
            ctx.insert(
                "reports_more",
                &e.reports.len().saturating_sub(ENTITY_REPORTS),
            );
        }
        Page::Outlet(i) => {
            let o = &d.outlets[i];
            ctx.insert("page_title", &o.name);
            ctx.insert(
                "outlet",
                &json!({"name": o.name, "count_text": sh.count_reports(o.reports.len())}),
            );
            let reports: Vec<ReportCard<'_>> =
                o.reports.iter().map(|&r| sh.report_card(r)).collect();
            ctx.insert("reports", &reports);
        }
    }
    // The page type, from the template's name: `<body data-page>` lets styles and the browser
    // tests tell page types apart, and a new template gets its own type without more code.
    // (It replaces the path-derived type `Shared::context` puts in.)
    ctx.insert("page_type", page.template().trim_end_matches(".html"));
    tera.render(page.template(), &ctx).map(String::into_bytes)
}

/// The briefing's context: cover, contents, events with their reports, numbered sources.
fn briefing_context(
    sh: &Shared<'_>,
    sel: &crate::analyze::briefing::Selection,
    ctx: &mut Context,
    root: &str,
    content_problems: &Mutex<Vec<Diagnostic>>,
) {
    let d = sh.dossier;
    let lang = sh.config.language;
    // Sources are numbered in reading order, so the numbers in the text rise as one reads.
    let number: HashMap<usize, usize> =
        sel.reports().enumerate().map(|(n, r)| (r, n + 1)).collect();
    let by_url: HashMap<String, usize> = number
        .iter()
        .map(|(&r, &n)| (report_url(&d.reports[r].id), n))
        .collect();
    // A link in the text to a report of the briefing goes to its place in the briefing.
    let cite: HashMap<String, (String, usize)> = number
        .iter()
        .map(|(&r, &n)| {
            let id = &d.reports[r].id;
            (format!("{root}{}", report_url(id)), (format!("r-{id}"), n))
        })
        .collect();
    let report = |r: usize| {
        let rep = &d.reports[r];
        let text = if sel.excerpts {
            excerpt(&rep.body)
        } else {
            &*rep.body
        };
        json!({
            "card": sh.report_card(r),
            "n": number.get(&r),
            "anchor": format!("r-{}", rep.id),
            "dateline": rep.dateline,
            "body": cite_reports(&markdown_of(sh, text, &rep.path, rep.body_line, root, content_problems), &cite),
            "excerpt": sel.excerpts && text.len() < rep.body.len(),
        })
    };
    let events: Vec<_> = sel
        .events
        .iter()
        .map(|(i, rs)| {
            let e = &d.events[*i];
            let note = e
                .note
                .as_ref()
                .map(|n| markdown_of(sh, &n.body, &n.path, n.body_line, root, content_problems))
                .map(|html| cite_reports(&html, &cite))
                .unwrap_or_default();
            let mut agreement = sh.agreement(*i);
            if let Some(a) = agreement.as_mut() {
                number_outlets(a, &by_url);
            }
            json!({
                "event": sh.event_card(*i),
                "anchor": format!("e-{}", e.id),
                "note": note,
                "agreement": agreement,
                "detected": e.detected,
                "reports": rs.iter().map(|&r| report(r)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let loose: Vec<_> = sel.loose.iter().map(|&r| report(r)).collect();
    let sources: Vec<_> = sel
        .reports()
        .map(|r| {
            let rep = &d.reports[r];
            json!({
                "n": number.get(&r),
                "card": sh.report_card(r),
                "url": rep.url,
                "site_url": format!("{}{}", sh.config.base_url, report_url(&rep.id)),
                "file": rep.source.as_ref().and_then(|x| x.file.as_deref()),
                "anchor": format!("r-{}", rep.id),
            })
        })
        .collect();
    let mut outlets: Vec<Option<usize>> = sel.reports().map(|r| d.outlet_of[r]).collect();
    outlets.sort_unstable();
    outlets.dedup();
    let scope: Vec<_> = sel
        .scope
        .iter()
        .map(|(k, v)| json!({"label": sh.strings.get(k).copied().unwrap_or(k), "value": v}))
        .collect();
    let report_total = sources.len();
    ctx.insert("page_title", sh.strings["briefing"]);
    ctx.insert(
        "cover",
        &json!({
            "date_iso": sel.date.map(|x| x.format("%Y-%m-%d").to_string()),
            "date_text": sel.date.map(|x| lang.date(x)),
            "scope": scope,
            "events": sel.events.len(),
            "reports": report_total,
            "reports_text": sh.count_reports(report_total),
            "outlets": outlets.len(),
        }),
    );
    ctx.insert("events", &events);
    ctx.insert("loose", &loose);
    ctx.insert("sources", &sources);
    ctx.insert("excerpts", &sel.excerpts);
    ctx.insert("css_title", &css_string(&sh.config.title));
}

/// Points the links of `html` to reports of the briefing (`cite`: their address → anchor and
/// source number) at their place in it, each followed by its source number: paper shows the
/// number where the screen had a link.
fn cite_reports(html: &str, cite: &HashMap<String, (String, usize)>) -> String {
    const OPEN: &str = "<a href=\"";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        let (before, from) = rest.split_at(at + OPEN.len());
        out.push_str(before);
        let href_end = from.find('"').unwrap_or(from.len());
        let href = &from[..href_end];
        let target = href.split('#').next().unwrap_or(href);
        match (cite.get(target), from[href_end..].find("</a>")) {
            (Some((anchor, n)), Some(close)) => {
                let close = href_end + close + "</a>".len();
                out.push('#');
                out.push_str(anchor);
                out.push_str(&from[href_end..close]);
                out.push_str(&format!(" <a class=\"ref\" href=\"#src-{n}\">[{n}]</a>"));
                rest = &from[close..];
            }
            _ => rest = from,
        }
    }
    out.push_str(rest);
    out
}

/// `text` as a quoted CSS string, safe inside a `<style>` element (for the running header).
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", c as u32)),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The first two paragraphs of a report's markdown, for `--excerpts`.
fn excerpt(body: &str) -> &str {
    match body.trim_start().match_indices("\n\n").nth(1) {
        Some((i, _)) => &body.trim_start()[..i],
        None => body,
    }
}

/// Adds each cited report's source number (`n`) beside its URL in an event's agreement.
fn number_outlets(v: &mut serde_json::Value, by_url: &HashMap<String, usize>) {
    match v {
        serde_json::Value::Object(m) => {
            if let Some(n) = m
                .get("url")
                .and_then(|u| u.as_str())
                .and_then(|u| by_url.get(u))
            {
                let n = *n;
                m.insert("n".into(), json!(n));
            }
            for (_, x) in m.iter_mut() {
                number_outlets(x, by_url);
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(|x| number_outlets(x, by_url)),
        _ => {}
    }
}

/// A briefing of `sel` as one self-contained HTML file: the stylesheets are inlined and links
/// to the site's pages point at `base_url`, so the file opens and prints anywhere.
pub(crate) fn render_briefing(
    config: &Config,
    dossier: &Dossier,
    sel: &crate::analyze::briefing::Selection,
    paper: Option<&str>,
    diags: &mut Diagnostics,
) -> Option<String> {
    let Theme {
        tera,
        template_paths,
        assets,
        highlight,
    } = Theme::load(config, diags)?;
    let sh = Shared::new(config, dossier, &assets, &highlight);
    let root = config.base_url.clone();
    let mut ctx = sh.context("briefing/index.html", &root);
    let problems = Mutex::new(Vec::new());
    briefing_context(&sh, sel, &mut ctx, &root, &problems);
    ctx.insert("paper", &paper);
    let mut style = assets
        .get("style.css")
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    style.push_str(&highlight);
    // `</style` inside the stylesheet would end the element early.
    ctx.insert("inline_style", &style.replace("</", "<\\/"));
    diags.extend(into_inner(problems));
    match tera.render("briefing.html", &ctx) {
        Ok(html) => Some(html),
        Err(e) => {
            let shown = template_paths
                .get("briefing.html")
                .cloned()
                .unwrap_or_else(|| "briefing.html".into());
            diags.push(
                Diagnostic::error(
                    std::path::PathBuf::from(shown),
                    format!("template error: {}", tera_message(&e)),
                )
                .with_help(
                    "fix the template, or delete it from templates/ to use the built-in one",
                ),
            );
            None
        }
    }
}

/// Atom wants a full date-time; a bare day is its start, in UTC.
fn atom_time(d: &Dated) -> String {
    match d {
        Dated::Day(day) => format!("{}T00:00:00Z", day.format("%Y-%m-%d")),
        Dated::At(t) => t.to_rfc3339(),
    }
}

/// `dossier.json`: the whole model, for other tools. Its schema is documented in the README.
fn dossier_json(sh: &Shared<'_>) -> String {
    // Typed and borrowed, fields in alphabetical order: the format is the documented one, and
    // serializing without an intermediate `Value` keeps this serial step short on large dossiers.
    #[derive(Serialize)]
    struct Doc<'a> {
        events: Vec<EventJson<'a>>,
        reports: Vec<ReportJson<'a>>,
        site: SiteJson<'a>,
        version: u32,
    }
    #[derive(Serialize)]
    struct SiteJson<'a> {
        author: Option<&'a str>,
        base_url: &'a str,
        description: &'a str,
        language: &'a str,
        title: &'a str,
    }
    #[derive(Serialize)]
    struct EventJson<'a> {
        end: String,
        id: &'a str,
        location: Option<&'a str>,
        reports: Vec<&'a str>,
        start: String,
        title: &'a str,
        url: String,
    }
    #[derive(Serialize)]
    struct SourceJson<'a> {
        file: Option<&'a str>,
        sha256: Option<&'a str>,
    }
    #[derive(Serialize)]
    struct ReportJson<'a> {
        authors: &'a [String],
        date: String,
        editors: &'a [String],
        event: Option<&'a str>,
        id: &'a str,
        language: Option<&'a str>,
        original_url: Option<&'a str>,
        outlet: Option<&'a str>,
        source: Option<SourceJson<'a>>,
        title: &'a str,
        url: String,
        wire: &'a [String],
    }
    let d = sh.dossier;
    let c = sh.config;
    let doc = Doc {
        events: d
            .events
            .iter()
            .map(|e| EventJson {
                end: e.end.format("%Y-%m-%d").to_string(),
                id: &e.id,
                location: e.location.as_deref(),
                reports: e
                    .reports
                    .iter()
                    .map(|&r| d.reports[r].id.as_str())
                    .collect(),
                start: e.start.format("%Y-%m-%d").to_string(),
                title: &e.title,
                url: format!("{}{}", c.base_url, event_url(&e.id)),
            })
            .collect(),
        reports: d
            .reports
            .iter()
            .enumerate()
            .map(|(i, r)| ReportJson {
                authors: &r.authors,
                date: r.date.iso(),
                editors: &r.editors,
                event: d.event_of(i).map(|e| e.id.as_str()),
                id: &r.id,
                language: r.language.as_deref(),
                original_url: r.url.as_deref(),
                outlet: r.outlet.as_deref(),
                source: r.source.as_ref().map(|s| SourceJson {
                    file: s.file.as_deref(),
                    sha256: s.sha256.as_deref(),
                }),
                title: &r.title,
                url: format!("{}{}", c.base_url, report_url(&r.id)),
                wire: &r.wire,
            })
            .collect(),
        site: SiteJson {
            author: c.author.as_deref(),
            base_url: &c.base_url,
            description: &c.description,
            language: c.language.code(),
            title: &c.title,
        },
        version: 1,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// A sink that keeps every file in memory: for `check`, `serve` and tests.
#[derive(Default)]
pub struct MemorySink {
    files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl MemorySink {
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        into_inner(self.files)
    }
}

impl Sink for MemorySink {
    fn put(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        lock(&self.files).insert(path.to_string(), bytes);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_climb_to_the_site_root() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("timeline/index.html"), "../");
        assert_eq!(root_of("reports/x/index.html"), "../../");
    }

    #[test]
    fn links_to_reports_of_a_briefing_become_anchors_and_source_numbers() {
        let cite = HashMap::from([("../reports/a/".to_string(), ("r-a".to_string(), 3))]);
        assert_eq!(
            cite_reports(
                r#"<p>See <a href="../reports/a/">this</a>, <a href="../reports/b/">that</a> and <a href="https://x.org/">x</a>.</p>"#,
                &cite
            ),
            r##"<p>See <a href="#r-a">this</a> <a class="ref" href="#src-3">[3]</a>, <a href="../reports/b/">that</a> and <a href="https://x.org/">x</a>.</p>"##
        );
    }

    #[test]
    fn css_strings_cannot_break_out_of_their_quotes_or_the_style_element() {
        // An escape ends at the one space after its hex digits; the text's own space follows.
        assert_eq!(
            css_string("Rusia & \"Korut\""),
            "\"Rusia \\26  \\22 Korut\\22 \""
        );
        assert_eq!(css_string("</style>"), "\"\\3c /style\\3e \"");
    }

    #[test]
    fn a_page_rendered_outside_render_page_still_has_a_type() {
        let types: Vec<String> = [
            "index.html",
            "404.html",
            "briefing/index.html",
            "reports/x/index.html",
        ]
        .iter()
        .map(|p| page_type_of(p))
        .collect();
        assert_eq!(types, ["index", "404", "briefing", "reports-item"]);
    }
}
