//! The pages that list: the front page, the timeline, the outlets and each outlet's reports.

use std::collections::BTreeMap;

use serde_json::json;
use tera::Context;

use super::charts;
use super::common::{Common, EventCard, Texts};
use super::pages::outlet_url;
use crate::analyze::Dossier;

/// How many events the front page shows before pointing to the timeline, and how many reports.
const FRONT_EVENTS: usize = 50;
const LATEST_REPORTS: usize = 10;

/// `index.html`: the front page's text, the latest events and the latest reports.
pub(super) fn front(c: &Common<'_>, texts: &Texts<'_>, ctx: &mut Context) -> tera::Result<()> {
    let d = c.dossier;
    let index_file = c.config.content_dir().join("_index.md");
    ctx.insert(
        "page_title",
        &d.front.title.as_deref().unwrap_or(&c.config.title),
    );
    ctx.insert("body", &texts.html(&d.front.body, &index_file, 1));
    ctx.insert("page_description", &d.front.description);
    let n = d.events.len();
    let events: Vec<EventCard<'_>> = (n.saturating_sub(FRONT_EVENTS)..n)
        .rev()
        .map(|i| c.event_card(i))
        .collect();
    ctx.insert("events", &events);
    ctx.insert("events_total", &n);
    ctx.insert("events_more", &(n > FRONT_EVENTS));
    ctx.insert(
        "latest_items",
        &texts.report_items(latest_dated(d, LATEST_REPORTS), true)?,
    );
    ctx.insert("report_total", &d.reports.len());
    ctx.insert("timeline_chart", &site_timeline(c, texts.root));
    ctx.insert("outlet_total", &d.outlets.len());
    Ok(())
}

/// `timeline/`: every event by year, and the reports in no event.
pub(super) fn timeline(c: &Common<'_>, texts: &Texts<'_>, ctx: &mut Context) -> tera::Result<()> {
    let d = c.dossier;
    let root = texts.root;
    ctx.insert("timeline_chart", &site_timeline(c, root));
    // By year; events of unknown date (`None`) after every year.
    let mut years: BTreeMap<(bool, i32), Vec<EventCard<'_>>> = BTreeMap::new();
    for i in 0..d.events.len() {
        let card = c.event_card(i);
        let key = card.year.map_or((true, 0), |y| (false, y));
        years.entry(key).or_default().push(card);
    }
    let years: Vec<_> = years
        .into_iter()
        .map(|((undated, year), events)| {
            let (year, label) = if undated {
                (json!("undated"), json!(c.strings["date_unknown"]))
            } else {
                (json!(year), json!(year))
            };
            json!({"year": year, "label": label, "events": events})
        })
        .collect();
    ctx.insert("years", &years);
    ctx.insert(
        "unassigned_items",
        &texts.report_items(d.unassigned(), false)?,
    );
    Ok(())
}

/// `outlets/`: every outlet with its number of reports, and the reports of no known outlet.
pub(super) fn outlets(c: &Common<'_>, root: &str, ctx: &mut Context) {
    let d = c.dossier;
    ctx.insert("coverage_chart", &charts::coverage_matrix(c, root));
    let outlets: Vec<_> = d
        .outlets
        .iter()
        .map(|o| {
            json!({"name": o.name, "url": outlet_url(&o.slug), "count": o.reports.len(),
            "count_text": c.count_reports(o.reports.len())})
        })
        .collect();
    ctx.insert("outlets", &outlets);
    let unknown = d.outlet_of.iter().filter(|o| o.is_none()).count();
    ctx.insert("unknown_count_text", &c.count_reports(unknown));
    ctx.insert("unknown_count", &unknown);
}

/// The timeline chart of every event and of the reports in none.
fn site_timeline(c: &Common<'_>, root: &str) -> Option<charts::Figure> {
    let d = c.dossier;
    let events: Vec<(usize, usize)> = d
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| (i, e.reports.len()))
        .collect();
    let loose: Vec<usize> = d.unassigned().collect();
    charts::timeline(c, "chart-timeline", &events, &loose, root)
}

/// `outlets/<slug>/`: one outlet's reports.
pub(super) fn outlet(
    c: &Common<'_>,
    i: usize,
    texts: &Texts<'_>,
    ctx: &mut Context,
) -> tera::Result<()> {
    let o = &c.dossier.outlets[i];
    ctx.insert("page_title", &o.name);
    ctx.insert(
        "outlet",
        &json!({"name": o.name, "count_text": c.count_reports(o.reports.len())}),
    );
    ctx.insert(
        "report_items",
        &texts.report_items(o.reports.iter().copied(), true)?,
    );
    Ok(())
}

/// The `n` latest reports of known date, newest first: reports of unknown date come last in
/// the model, and no list of the latest shows them.
pub(super) fn latest_dated(d: &Dossier, n: usize) -> impl Iterator<Item = usize> {
    let dated = d
        .reports
        .partition_point(|r| r.date != crate::load::content::Dated::Unknown);
    (dated.saturating_sub(n)..dated).rev()
}
