//! A report's page: the article, its metadata and provenance, the other reports of its event,
//! and the names it writes.

use serde_json::json;
use tera::Context;

use super::common::{Common, Texts};
use super::event::NAMES_SHOWN;
use crate::analyze::Dossier;

/// The names report `i`'s page lists (the most written first).
pub(crate) fn names(d: &Dossier, i: usize) -> &[usize] {
    let all = &d.entities.of_report[i];
    &all[..all.len().min(NAMES_SHOWN)]
}

pub(super) fn context(
    c: &Common<'_>,
    i: usize,
    texts: &Texts<'_>,
    ctx: &mut Context,
) -> tera::Result<()> {
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
    let others = event
        .map(|e| d.events[e].reports.iter().copied().filter(|&o| o != i))
        .into_iter()
        .flatten();
    ctx.insert("other_items", &texts.report_items(others, false)?);
    ctx.insert("entities", &c.names(names(d, i)));
    ctx.insert("story", &story(c, i));
    Ok(())
}

/// Report `i`'s story, when it has other reports: its origin in words, the pages of its
/// article in order, and the other copies of its text.
fn story(c: &Common<'_>, i: usize) -> Option<serde_json::Value> {
    use crate::analyze::stories::Origin;
    let d = c.dossier;
    let st = &d.stories.list[d.stories.story_of[i]];
    let t = &c.strings;
    let origin = match &d.stories.origin_of[i] {
        Origin::Own => t["origin_own"].to_string(),
        Origin::Wire {
            name,
            credited: true,
        } => format!("{} ({name})", t["origin_wire"]),
        Origin::Wire {
            name,
            credited: false,
        } => {
            format!("{} ({name})", t["origin_wire_inferred"])
        }
        Origin::Copy { of } => {
            let o = &d.reports[*of];
            format!(
                "{} {}: {}",
                t["origin_copy"],
                o.outlet.as_deref().unwrap_or(t["outlet_unknown"]),
                o.title
            )
        }
    };
    let item = |r: usize| {
        let rep = &d.reports[r];
        json!({"title": rep.title, "url": super::pages::report_url(&rep.id), "current": r == i,
               "outlet": rep.outlet.as_deref().unwrap_or(t["outlet_unknown"])})
    };
    let pages: Vec<_> = st.pages.iter().map(|&r| item(r)).collect();
    let copies: Vec<_> = (st.reports.iter())
        .filter(|&&r| r != i && !st.pages.contains(&r))
        .map(|&r| item(r))
        .collect();
    if pages.is_empty()
        && copies.is_empty()
        && !matches!(d.stories.origin_of[i], Origin::Wire { .. })
    {
        return None;
    }
    Some(json!({"origin": origin, "pages": pages, "copies": copies}))
}
