//! `dossier.json`: the whole model, for other tools. Its schema is documented in the README.

use std::io::Write as _;

use serde::Serialize;

use super::common::Common;
use super::pages::{event_url, report_url};
use crate::analyze::stories::Origin;

// Typed and borrowed, fields in alphabetical order: the format is the documented one, and
// serializing without an intermediate `Value` keeps this serial step short on large dossiers.
#[derive(Serialize)]
#[serde(bound(serialize = "Each<E>: Serialize, Each<R>: Serialize"))]
struct Doc<'a, E, R> {
    events: Each<E>,
    reports: Each<R>,
    site: SiteJson<'a>,
    version: u32,
}
/// `len` items made one at a time by `item` as they are written (the events, the reports):
/// the file is the size of the corpus.
struct Each<F>(usize, F);
impl<T: Serialize, F: Fn(usize) -> T> Serialize for Each<F> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((0..self.0).map(&self.1))
    }
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
    end: Option<String>,
    id: &'a str,
    location: Option<&'a str>,
    reports: Vec<&'a str>,
    start: Option<String>,
    statements: Vec<StatementJson<'a>>,
    title: &'a str,
    url: String,
}
/// A statement two reports or more carry; `independent`: how many independent origins.
#[derive(Serialize)]
struct StatementJson<'a> {
    /// The sources its sentences name ("kata SVR"), first source first.
    attributed: Vec<String>,
    independent: usize,
    reports: Vec<&'a str>,
    sources: Vec<String>,
    text: &'a str,
}
#[derive(Serialize)]
struct SourceJson<'a> {
    file: Option<&'a str>,
    sha256: Option<&'a str>,
}
#[derive(Serialize)]
struct ReportJson<'a> {
    authors: &'a [String],
    date: Option<String>,
    editors: &'a [String],
    event: Option<&'a str>,
    id: &'a str,
    language: Option<&'a str>,
    origin: OriginJson<'a>,
    original_url: Option<&'a str>,
    outlet: Option<&'a str>,
    source: Option<SourceJson<'a>>,
    story: &'a str,
    title: &'a str,
    url: String,
    wire: &'a [String],
}
/// `kind`: `own`, `wire` (with `wire` and `credited`) or `copy` (with `of`, a report id).
#[derive(Serialize)]
struct OriginJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    credited: Option<bool>,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    of: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    wire: Option<&'a str>,
}

/// `dossier.json`: the whole model, for other tools. Its schema is documented in the README.
pub(super) fn write_dossier_json(
    c: &Common<'_>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let cfg = c.config;
    let doc = Doc {
        events: Each(c.dossier.events.len(), |ei| event_json(c, ei)),
        reports: Each(c.dossier.reports.len(), |i| report_json(c, i)),
        site: SiteJson {
            author: cfg.author.as_deref(),
            base_url: &cfg.base_url,
            description: &cfg.description,
            language: cfg.language.code(),
            title: &cfg.title,
        },
        version: 1,
    };
    // Buffered: serde_json writes a few bytes at a time. Compact: a file for tools (`jq`
    // shows it indented), written beside every build, and a quarter smaller and faster to
    // write than indented.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer(&mut out, &doc)?;
    out.write_all(b"\n")?;
    out.flush()
}

fn event_json<'a>(c: &'a Common<'_>, ei: usize) -> EventJson<'a> {
    let d = c.dossier;
    let e = &d.events[ei];
    let statements = if e.reports.len() < 2 {
        Vec::new()
    } else {
        (c.agreement(ei).shared.iter().zip(c.provenance(ei, true)))
            .map(|(s, from)| StatementJson {
                attributed: from.names,
                independent: from.sources.len(),
                reports: (s.reports.iter())
                    .map(|&k| d.reports[e.reports[k]].id.as_str())
                    .collect(),
                sources: from.sources,
                text: s.text(),
            })
            .collect()
    };
    EventJson {
        end: e.dated.then(|| e.end.format("%Y-%m-%d").to_string()),
        id: &e.id,
        location: e.location.as_deref(),
        reports: e
            .reports
            .iter()
            .map(|&r| d.reports[r].id.as_str())
            .collect(),
        start: e.dated.then(|| e.start.format("%Y-%m-%d").to_string()),
        statements,
        title: &e.title,
        url: format!("{}{}", c.config.base_url, event_url(&e.id)),
    }
}

fn report_json<'a>(c: &'a Common<'_>, i: usize) -> ReportJson<'a> {
    let d = c.dossier;
    let r = &d.reports[i];
    ReportJson {
        authors: &r.authors,
        date: r.date.iso(),
        editors: &r.editors,
        event: d.event_of(i).map(|e| e.id.as_str()),
        id: &r.id,
        language: r.language.as_deref(),
        origin: origin_json(c, &d.stories.origin_of[i]),
        original_url: r.url.as_deref(),
        outlet: r.outlet.as_deref(),
        source: r.source.as_ref().map(|s| SourceJson {
            file: s.file.as_deref(),
            sha256: s.sha256.as_deref(),
        }),
        story: &d.stories.list[d.stories.story_of[i]].id,
        title: &r.title,
        url: format!("{}{}", c.config.base_url, report_url(&r.id)),
        wire: &r.wire,
    }
}

fn origin_json<'a>(c: &'a Common<'_>, origin: &'a Origin) -> OriginJson<'a> {
    let none = OriginJson {
        credited: None,
        kind: "own",
        of: None,
        wire: None,
    };
    match origin {
        Origin::Own => none,
        Origin::Wire { name, credited } => OriginJson {
            credited: Some(*credited),
            kind: "wire",
            wire: Some(name),
            ..none
        },
        Origin::Copy { of } => OriginJson {
            kind: "copy",
            of: Some(&c.dossier.reports[*of].id),
            ..none
        },
    }
}
