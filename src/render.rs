//! Rendering: the dossier model becomes pages, through the Tera templates.
//!
//! Every page is rendered independently (in parallel) and handed to a [`Sink`]: the writer's
//! staging folder for `build`, memory for `check` and `serve`. Links between pages are relative
//! (`../../events/x/`), so the site works at the root of a domain and under any sub-path;
//! only `404.html`, which a host serves at any address, uses absolute paths.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;
use tera::{Context, Tera};

use crate::config::Config;
use crate::content::{Dated, Report};
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::{first_paragraph, highlight_css, Markdown, Resolve};
use crate::model::{Dossier, Event};

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
    Event(usize),
    Report(usize),
    Outlet(usize),
    Entity(usize),
    Search,
}

impl Page {
    fn output_path(self, d: &Dossier) -> String {
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
        const SHOWN: usize = 24;
        entities
            .iter()
            .take(SHOWN)
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
        let bodies: Vec<&str> = e
            .reports
            .iter()
            .map(|&r| d.reports[r].body.as_str())
            .collect();
        let speaker_of = |s: &str| {
            self.speakers
                .get(&s.to_lowercase())
                .map(|n| n.to_string())
                .unwrap_or_else(|| s.to_string())
        };
        let ag = crate::corroborate::compare(&bodies, &speaker_of);
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
        ctx
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
    /// These pages, and `dossier.json`: what an edit of one report's metadata changes.
    Pages(Vec<Page>),
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
    let Some((tera, template_paths)) = load_templates(config, diags) else {
        return Stats::default();
    };
    let assets = crate::theme::assets(&config.root, diags);
    let highlight = highlight_css(&config.highlight_theme, &config.highlight_theme_dark);
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
    let shared = Shared {
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
    };

    let pages = match scope {
        Scope::Everything => {
            let mut pages = vec![
                Page::Index,
                Page::Timeline,
                Page::Outlets,
                Page::NotFound,
                Page::Sitemap,
                Page::Atom,
                Page::Robots,
                Page::Entities,
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
    };

    let problems: Mutex<BTreeSet<(String, String)>> = Mutex::new(BTreeSet::new());
    let content_problems: Mutex<Vec<Diagnostic>> = Mutex::new(Vec::new());
    let write_problems: Mutex<Vec<Diagnostic>> = Mutex::new(Vec::new());

    // dossier.json is one long serial job: it runs beside the pages, not after them.
    let render_pages = || {
        pages.par_iter().for_each(|&page| {
            let path = page.output_path(dossier);
            let result = render_page(&shared, &tera, page, &path, &content_problems);
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
    // The search index, like dossier.json, is a job of its own beside the pages.
    let search = || {
        (config.search && matches!(scope, Scope::Everything))
            .then(|| crate::search::index(config, dossier))
    };
    let ((), (model_json, search_files)) = rayon::join(render_pages, || {
        rayon::join(|| Some(dossier_json(&shared)), search)
    });

    let mut files = pages.len();
    let everything = matches!(scope, Scope::Everything);
    let mut put = |path: &str, bytes: Vec<u8>| {
        files += 1;
        if let Err(e) = sink.put(path, bytes) {
            lock(&write_problems)
                .push(Diagnostic::error(None, format!("cannot write {path}: {e}")));
        }
    };
    if everything {
        for (name, bytes) in assets {
            put(&name, bytes);
        }
        put("highlight.css", highlight.into_bytes());
        put(".nojekyll", Vec::new());
        if let Some(cname) = &config.cname {
            put("CNAME", format!("{cname}\n").into_bytes());
        }
    }
    if let Some(json) = model_json {
        put("dossier.json", json.into_bytes());
    }
    match search_files {
        Some(Ok(search_files)) => {
            for (path, bytes) in search_files {
                put(&path, bytes);
            }
        }
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

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
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
    let templates = crate::theme::templates(&config.root, diags);
    let paths = templates
        .iter()
        .map(|(n, p, _)| (n.clone(), p.clone()))
        .collect();
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's own escaping also turns `/` into `&#x2F;`, which makes every URL unreadable.
    tera.set_escape_fn(crate::markdown::escape_html);
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
        let r = sh.markdown.render(text, &root, d);
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
                "language": r.language, "tags": r.tags, "title_generated": r.title_generated,
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
    tera.render(page.template(), &ctx).map(String::into_bytes)
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
}
