//! The pages of names: the list of every name, and each name's page with its latest events
//! and reports.
//!
//! Which events and reports a name's page lists is said here once ([`events_shown`],
//! [`reports_shown`]); the preview's invalidation (`serve`) asks the same.

use serde_json::json;
use tera::Context;

use super::common::{Common, EventCard, Texts};
use super::pages::entity_url;
use crate::analyze::Dossier;
use crate::load::content::Dated;

/// Events and reports an entity's page lists (the latest), before "and N more".
const ENTITY_EVENTS: usize = 50;
const ENTITY_REPORTS: usize = 50;

/// The events entity `n`'s page lists: the latest, in time order.
pub(crate) fn events_shown(d: &Dossier, n: usize) -> &[usize] {
    let es = &d.entities.list[n].events;
    &es[es.len().saturating_sub(ENTITY_EVENTS)..]
}

/// The reports entity `n`'s page lists: the latest, in time order.
pub(crate) fn reports_shown(d: &Dossier, n: usize) -> &[usize] {
    let rs = &d.entities.list[n].reports;
    &rs[rs.len().saturating_sub(ENTITY_REPORTS)..]
}

/// `entities/`: every name, most written first.
pub(super) fn list(c: &Common<'_>, ctx: &mut Context) {
    let entities: Vec<_> = c
        .dossier
        .entities
        .list
        .iter()
        .map(|e| {
            json!({"name": e.name, "url": entity_url(&e.slug),
            "count_text": c.count_reports(e.reports.len())})
        })
        .collect();
    ctx.insert("entities", &entities);
}

/// `entities/<slug>/`: one name, its latest events and reports, newest first.
pub(super) fn context(
    c: &Common<'_>,
    i: usize,
    texts: &Texts<'_>,
    ctx: &mut Context,
) -> tera::Result<()> {
    let d = c.dossier;
    let e = &d.entities.list[i];
    ctx.insert("page_title", &e.name);
    ctx.insert(
        "entity",
        &json!({"name": e.name, "count_text": c.count_reports(e.reports.len())}),
    );
    let shown = events_shown(d, i);
    let events: Vec<EventCard<'_>> = shown.iter().rev().map(|&ev| c.event_card(ev)).collect();
    ctx.insert("events", &events);
    ctx.insert("events_more", &(e.events.len() - shown.len()));
    let shown = reports_shown(d, i);
    // Newest first; reports of unknown date (last in the model) after the dated ones.
    let undated = |&&r: &&usize| d.reports[r].date == Dated::Unknown;
    let newest_first =
        (shown.iter().rev().filter(|r| !undated(r))).chain(shown.iter().filter(|r| undated(r)));
    ctx.insert(
        "report_items",
        &texts.report_items(newest_first.copied(), true)?,
    );
    ctx.insert("reports_more", &(e.reports.len() - shown.len()));
    Ok(())
}
