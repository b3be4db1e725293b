//! What hosts, crawlers and feed readers read: the sitemap and the Atom feed.

use serde_json::json;
use tera::Context;

use super::common::Common;
use super::markdown::first_paragraph;
use super::pages::{entity_url, event_url, outlet_url, report_url};
use crate::load::content::Dated;

/// How many of the latest reports the feed carries.
const FEED_ENTRIES: usize = 50;

/// `sitemap.xml`: every page worth crawling, with the day it last changed where there is one.
pub(super) fn sitemap(c: &Common<'_>, ctx: &mut Context) {
    let d = c.dossier;
    let mut urls = vec![
        json!({"loc": ""}),
        json!({"loc": "timeline/"}),
        json!({"loc": "outlets/"}),
    ];
    urls.extend(d.events.iter().map(|e| match e.dated {
        true => json!({"loc": event_url(&e.id), "lastmod": e.end.format("%Y-%m-%d").to_string()}),
        false => json!({"loc": event_url(&e.id)}),
    }));
    urls.extend(d.reports.iter().map(|r| match r.date.day() {
        Some(day) => {
            json!({"loc": report_url(&r.id), "lastmod": day.format("%Y-%m-%d").to_string()})
        }
        None => json!({"loc": report_url(&r.id)}),
    }));
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

/// `atom.xml`: the latest reports, newest first, each with its first paragraph.
pub(super) fn atom(c: &Common<'_>, ctx: &mut Context) {
    let d = c.dossier;
    // A feed is by date: reports of unknown date are left out.
    let entries: Vec<_> = super::lists::latest_dated(d, FEED_ENTRIES)
        .map(|i| {
            let r = &d.reports[i];
            json!({"card": c.report_card(i), "updated": atom_time(&r.date), "summary": first_paragraph(&r.body, 400)})
        })
        .collect();
    let updated = super::lists::latest_dated(d, 1)
        .next()
        .map(|i| atom_time(&d.reports[i].date))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    ctx.insert("entries", &entries);
    ctx.insert("updated", &updated);
}

/// Atom wants a full date-time; a bare day is its start, in UTC.
fn atom_time(d: &Dated) -> String {
    match d {
        Dated::Day(day) => format!("{}T00:00:00Z", day.format("%Y-%m-%d")),
        Dated::At(t) => t.to_rfc3339(),
        // Never in the feed.
        Dated::Unknown => "1970-01-01T00:00:00Z".into(),
    }
}
