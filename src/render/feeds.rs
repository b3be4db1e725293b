//! What hosts, crawlers and feed readers read: the sitemap and the Atom feed.

use serde_json::{json, Value};
use tera::Context;

use super::common::Common;
use super::markdown::first_paragraph;
use super::pages::{entity_url, event_url, outlet_url, report_url};
use crate::analyze::Dossier;
use crate::load::content::Dated;

/// How many of the latest reports the feed carries.
const FEED_ENTRIES: usize = 50;

/// How many pages the sitemap lists.
pub(super) fn sitemap_len(d: &Dossier) -> usize {
    4 + d.events.len() + d.reports.len() + d.outlets.len() + d.entities.list.len()
}

/// The sitemap's `i`-th page (of [`sitemap_len`]), with the day it last changed where there is
/// one: by place, so that a part of a large site's sitemap makes only its own.
fn sitemap_url(d: &Dossier, i: usize) -> Value {
    const FIRST: [&str; 3] = ["", "timeline/", "outlets/"];
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let mut i = i;
    if let Some(loc) = FIRST.get(i) {
        return json!({ "loc": loc });
    }
    i -= FIRST.len();
    if let Some(e) = d.events.get(i) {
        return match e.dated {
            true => json!({"loc": event_url(&e.id), "lastmod": day(e.end)}),
            false => json!({"loc": event_url(&e.id)}),
        };
    }
    i -= d.events.len();
    if let Some(r) = d.reports.get(i) {
        return match r.date.day() {
            Some(d) => json!({"loc": report_url(&r.id), "lastmod": day(d)}),
            None => json!({"loc": report_url(&r.id)}),
        };
    }
    i -= d.reports.len();
    if let Some(o) = d.outlets.get(i) {
        return json!({"loc": outlet_url(&o.slug)});
    }
    i -= d.outlets.len();
    match i.checked_sub(1) {
        None => json!({"loc": "entities/"}),
        Some(i) => json!({"loc": d.entities.list.get(i).map(|e| entity_url(&e.slug))}),
    }
}

/// `sitemap.xml`: every page worth crawling (a site of at most `Config::sitemap_urls` pages).
pub(super) fn sitemap(c: &Common<'_>, ctx: &mut Context) {
    let d = c.dossier;
    let urls: Vec<Value> = (0..sitemap_len(d)).map(|i| sitemap_url(d, i)).collect();
    ctx.insert("urls", &urls);
}

/// Part `k` of a large site's sitemap, through the same template as a small site's.
pub(super) fn sitemap_part(c: &Common<'_>, k: usize, ctx: &mut Context) {
    let d = c.dossier;
    let per = c.config.sitemap_urls;
    let end = sitemap_len(d).min((k + 1) * per);
    let urls: Vec<Value> = (k * per..end).map(|i| sitemap_url(d, i)).collect();
    ctx.insert("urls", &urls);
}

/// `sitemap.xml` of a large site: the index of its parts.
pub(super) fn sitemap_index(c: &Common<'_>, ctx: &mut Context) {
    let parts = sitemap_len(c.dossier).div_ceil(c.config.sitemap_urls);
    let sitemaps: Vec<Value> = (1..=parts)
        .map(|k| json!({ "loc": format!("sitemaps/{k}.xml") }))
        .collect();
    ctx.insert("sitemaps", &sitemaps);
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
