//! A report's page: the article, its metadata and provenance, the other reports of its event,
//! and the names it writes.

use serde_json::json;
use tera::Context;

use super::common::{Common, ReportCard, Texts};
use super::event::NAMES_SHOWN;
use crate::analyze::Dossier;

/// The names report `i`'s page lists (the most written first).
pub(crate) fn names(d: &Dossier, i: usize) -> &[usize] {
    let all = &d.entities.of_report[i];
    &all[..all.len().min(NAMES_SHOWN)]
}

pub(super) fn context(c: &Common<'_>, i: usize, texts: &Texts<'_>, ctx: &mut Context) {
    let d = c.dossier;
    let lang = c.config.language;
    let r = &d.reports[i];
    ctx.insert("page_title", &r.title);
    ctx.insert("report", &c.report_card(i));
    ctx.insert("body", &texts.html(&r.body, &r.path, r.body_line));
    let full = json!({
        "dateline": r.dateline, "image_caption": r.image_caption, "url": r.url,
        "language": r.language.as_deref().map(|c| lang.name_of(c)),
        "language_code": r.language, "tags": r.tags, "title_generated": r.title_generated,
        "source": r.source.as_ref().map(|s| json!({"file": s.file, "sha256": s.sha256})),
        "date_long": match r.date.day() {
            Some(day) => lang.date_with_weekday(day),
            None => c.strings["date_unknown"].to_string(),
        },
    });
    ctx.insert("meta", &full);
    let event = d.event_of[i];
    ctx.insert("event", &event.map(|e| c.event_card(e)));
    let others: Vec<ReportCard<'_>> = event
        .map(|e| {
            d.events[e]
                .reports
                .iter()
                .filter(|&&o| o != i)
                .map(|&o| c.report_card(o))
                .collect()
        })
        .unwrap_or_default();
    ctx.insert("others", &others);
    ctx.insert("entities", &c.names(names(d, i)));
}
