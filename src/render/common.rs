//! What every page of one render has in common: the site's settings and UI strings, the
//! model, the markdown renderer, and the cards by which lists show reports and events.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Mutex;

use serde::Serialize;
use serde_json::json;
use tera::{Context, Tera};

use super::event::Provenance;
use super::lock;
use super::markdown::Markdown;
use super::pages::{entity_url, event_url, outlet_url, report_url};
use crate::analyze::{Dossier, Event};
use crate::diag::Diagnostic;
use crate::load::config::Config;
use crate::load::content::{Dated, Report};

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
pub(super) struct ReportCard<'a> {
    id: &'a str,
    url: String,
    title: &'a str,
    outlet: Option<&'a str>,
    outlet_url: Option<String>,
    /// `None` for a report of unknown date.
    date_iso: Option<String>,
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
pub(super) struct EventCard<'a> {
    id: &'a str,
    url: String,
    title: &'a str,
    /// Empty for an event of unknown date.
    start: String,
    end: String,
    dates_text: String,
    /// `None` for an event of unknown date.
    pub(super) year: Option<i32>,
    location: Option<&'a str>,
    summary: Option<&'a str>,
    report_count: usize,
    count_text: String,
    outlets: Vec<&'a str>,
}

/// Everything the templates need that is the same for every page of one render.
pub(crate) struct Common<'a> {
    /// Entity names by their lower-cased name and surname, to name quoted speakers.
    pub(super) speakers: rustc_hash::FxHashMap<String, &'a str>,
    pub(super) config: &'a Config,
    pub(super) dossier: &'a Dossier,
    pub(super) strings: BTreeMap<&'a str, &'a str>,
    /// What every page's context starts with (`site`, `t`, `l`): made once, as cloning it
    /// costs a fraction of serialising the strings again for each of 24,000 pages.
    base: Context,
    markdown: Markdown,
    /// Each event's agreement, computed once for its page, the briefing and `dossier.json`.
    agreements: Vec<std::sync::OnceLock<crate::analyze::corroborate::Agreement>>,
    /// Each report's list item (without and with its event) as the pages at [`ITEM_ROOT`]
    /// show it, rendered on first use: a report is listed on its event's page, its outlet's,
    /// the other reports' of its event and every name's it mentions, five times or more.
    report_items: Vec<[std::sync::OnceLock<Box<str>>; 2]>,
    /// What an item's context starts with (`l`).
    item_base: Context,
}

/// The depth of the pages that list most reports (`events/<id>/`, `reports/<id>/`,
/// `entities/<slug>/`, `outlets/<slug>/`), whose report items are kept.
const ITEM_ROOT: &str = "../../";

/// The internal template that renders one report's list item through the theme's
/// `report_item` macro (`macros.html`), so that an overridden macro is the one used.
pub(super) const REPORT_ITEM_TEMPLATE: (&str, &str) = (
    "_report_item.html",
    "{% import \"macros.html\" as m %}{{ m::report_item(r=r, t=l, root=root, show_event=show_event) }}",
);

impl<'a> Common<'a> {
    /// Everything that is the same for every page of this render.
    pub(super) fn new(
        config: &'a Config,
        dossier: &'a Dossier,
        assets: &BTreeMap<String, Vec<u8>>,
        highlight: &str,
    ) -> Common<'a> {
        let version = |bytes: &[u8]| format!("{:08x}", fnv1a(bytes) as u32);
        let style_v = assets
            .get("style.css")
            .map(|b| version(b))
            .unwrap_or_default();
        let strings = config.ui_strings();
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
        let labels: BTreeMap<&str, &str> = ["outlet_unknown", "by", "wire", "event"]
            .iter()
            .filter_map(|k| strings.get(k).map(|v| (*k, *v)))
            .collect();
        let mut item_base = Context::new();
        item_base.insert("l", &labels);
        let mut base = Context::new();
        base.insert("site", &site);
        base.insert("t", &strings);
        // The few strings the list macros need: macro arguments are copied on every call,
        // and the whole of `t` on every list item is a measurable share of a large build.
        base.insert("l", &labels);
        Common {
            config,
            dossier,
            strings,
            base,
            markdown: Markdown::new(config.allow_html),
            speakers: dossier.entities.speakers(),
            agreements: (0..dossier.events.len())
                .map(|_| Default::default())
                .collect(),
            report_items: (0..dossier.reports.len())
                .map(|_| Default::default())
                .collect(),
            item_base,
        }
    }

    /// How the reports of event `e` agree: as stories compared them, while its reports are
    /// the same, else computed on first use.
    pub(super) fn agreement(&self, e: usize) -> &crate::analyze::corroborate::Agreement {
        let d: &'a Dossier = self.dossier;
        if let Some((rs, ag)) = d.stories.agreements.get(&e) {
            if *rs == d.events[e].reports {
                return ag;
            }
        }
        self.agreements[e].get_or_init(|| {
            let bodies: Vec<std::sync::Arc<str>> = (d.events[e].reports.iter())
                .map(|&r| std::sync::Arc::clone(&d.reports[r].body))
                .collect();
            let speaker_of = |s: &str| crate::analyze::entities::speaker_name(&self.speakers, s);
            crate::analyze::corroborate::compare(&bodies, &speaker_of)
        })
    }

    /// Where the statements of event `e`'s [`agreement`](Self::agreement) come from (the
    /// sources they name, their chains and independent origins): its shared statements, then,
    /// unless `shared_only`, its single ones, in their order. Made again for each page that
    /// shows it, not kept: at 100,000 reports the kept lists were 400 MB, and making them
    /// takes a small part of the time the event comparison does.
    pub(super) fn provenance(&self, e: usize, shared_only: bool) -> Vec<Provenance> {
        let ag = self.agreement(e);
        let single = if shared_only { &[][..] } else { &ag.single[..] };
        (ag.shared.iter().chain(single))
            .map(|s| super::event::provenance(self, e, s))
            .collect()
    }

    pub(super) fn report_card(&self, i: usize) -> ReportCard<'a> {
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
            date_text: match r.date.day() {
                Some(day) => lang.date(day),
                None => self.strings["date_unknown"].to_string(),
            },
            time_text: match r.date {
                Dated::At(t) => Some(lang.time(t.naive_local(), *t.offset())),
                Dated::Day(_) | Dated::Unknown => None,
            },
            wire: &r.wire,
            authors: &r.authors,
            editors: &r.editors,
            event_id: event.map(|e| e.id.as_str()),
            event_title: event.map(|e| e.title.as_str()),
            event_url: event.map(|e| event_url(&e.id)),
        }
    }

    pub(super) fn event_card(&self, i: usize) -> EventCard<'a> {
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
        let (start, end, dates_text, year) = if e.dated {
            (
                e.start.format("%Y-%m-%d").to_string(),
                e.end.format("%Y-%m-%d").to_string(),
                lang.date_range(e.start, e.end),
                Some(chrono::Datelike::year(&e.start)),
            )
        } else {
            let unknown = self.strings["date_unknown"].to_string();
            (String::new(), String::new(), unknown, None)
        };
        EventCard {
            id: &e.id,
            url: event_url(&e.id),
            title: &e.title,
            start,
            end,
            dates_text,
            year,
            location: e.location.as_deref(),
            summary: e.summary.as_deref(),
            report_count: e.reports.len(),
            count_text: self.count_reports(e.reports.len()),
            outlets,
        }
    }

    /// Entities as links, for the name lists of events and reports.
    pub(super) fn names(&self, entities: &[usize]) -> Vec<serde_json::Value> {
        entities
            .iter()
            .map(|&e| {
                let e = &self.dossier.entities.list[e];
                json!({"name": e.name, "url": entity_url(&e.slug)})
            })
            .collect()
    }

    /// "3 reports" / "3 laporan".
    pub(super) fn count_reports(&self, n: usize) -> String {
        self.config
            .language
            .count(n, self.strings["report"], self.strings["reports_many"])
    }

    /// The context every template gets: `site`, `t` (the UI strings), `root`, `path`, and the
    /// page's type (`<body data-page>`: styles and the browser tests tell page types apart).
    pub(super) fn context(&self, path: &str, root: &str, page_type: &str) -> Context {
        let mut ctx = self.base.clone();
        ctx.insert("root", root);
        ctx.insert("path", path.trim_end_matches("index.html"));
        ctx.insert("page_type", page_type);
        ctx
    }
}

/// The texts of one page (a report, a note, the front page) as HTML: links in them that name
/// nothing become diagnostics, with the file and line.
pub(super) struct Texts<'a> {
    pub(super) common: &'a Common<'a>,
    pub(super) tera: &'a Tera,
    /// The page's way back to the site root, which relative links start with.
    pub(super) root: &'a str,
    pub(super) problems: &'a Mutex<Vec<Diagnostic>>,
}

impl<'a> Texts<'a> {
    pub(super) fn html(&self, text: &str, file: &Path, first_line: usize) -> String {
        let c = self.common;
        let r = c.markdown.render(text, self.root, c.dossier);
        if !r.broken.is_empty() {
            let mut p = lock(self.problems);
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

    /// The list items of reports `rs` (the theme's `report_item` macro), with their events
    /// when `show_event`: kept for the pages at [`ITEM_ROOT`], rendered again elsewhere.
    pub(super) fn report_items(
        &self,
        rs: impl IntoIterator<Item = usize>,
        show_event: bool,
    ) -> tera::Result<Vec<std::borrow::Cow<'a, str>>> {
        let c: &'a Common<'a> = self.common;
        rs.into_iter()
            .map(|r| {
                let kept =
                    (self.root == ITEM_ROOT).then(|| &c.report_items[r][usize::from(show_event)]);
                if let Some(html) = kept.and_then(|k| k.get()) {
                    return Ok(html.as_ref().into());
                }
                let mut ctx = c.item_base.clone();
                ctx.insert("r", &c.report_card(r));
                ctx.insert("root", self.root);
                ctx.insert("show_event", &show_event);
                let html = self.tera.render(REPORT_ITEM_TEMPLATE.0, &ctx)?;
                match kept {
                    // Two pages may render one item at once: both get the same text. Kept
                    // without the spare room the render left (a third of its size).
                    Some(k) => Ok(k.get_or_init(|| html.into_boxed_str()).as_ref().into()),
                    None => Ok(html.into()),
                }
            })
            .collect()
    }
}

/// A small stable hash for cache-busting asset URLs.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}
