//! The sources page (`sources/`): the primary sources and wires the dossier's statements rest
//! on (SVR, KCNA, the Kremlin, Reuters…), each with its statements across events and the chain
//! by which each report passed it on.
//!
//! A source is what the text names ("kata SVR", see `analyze::attribution`) or the wire a
//! report relays; nothing is inferred. The page reads every event's agreement, which
//! `dossier.json` reads too: it is rendered beside it, after the other pages.

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::common::Common;
use super::pages::event_url;
use crate::analyze::stories::OriginKey;

/// The most statements a source lists; the rest are counted.
const STATEMENTS_SHOWN: usize = 30;
/// The most sources the page lists, those with most statements first.
const SOURCES_SHOWN: usize = 300;

#[derive(Serialize)]
struct Said {
    text: String,
    event: String,
    event_url: String,
    chains: Vec<String>,
}

#[derive(Serialize)]
struct Source {
    name: String,
    anchor: String,
    statements: Vec<Said>,
    count: usize,
    events: usize,
    more: usize,
}

pub(super) fn context(c: &Common<'_>, ctx: &mut Context) {
    let d = c.dossier;
    // Each event's statements with the sources they rest on, in parallel: the page is rendered
    // last, when the other pages no longer keep the threads busy. Only which statement names
    // which source, until the statements a source shows are known: a wire rests on thousands.
    let per_event: Vec<Vec<(String, Named)>> = (0..d.events.len())
        .into_par_iter()
        .filter(|&e| super::compare::has_page(d, e))
        .map(|e| said_in(c, e))
        .collect();
    // name -> (statements in event order, how many events)
    let mut by_name: std::collections::BTreeMap<String, (Vec<Named>, usize)> = Default::default();
    for (name, named) in per_event.into_iter().flatten() {
        let entry = by_name.entry(name).or_default();
        // In event order: a new event is one the last statement was not in.
        if entry.0.last().is_none_or(|last| last.event != named.event) {
            entry.1 += 1;
        }
        entry.0.push(named);
    }
    // Which sources are shown comes from their counts alone; only theirs are written out.
    let mut listed: Vec<(String, Vec<Named>, usize)> = (by_name.into_iter())
        .map(|(name, (named, events))| (name, named, events))
        .collect();
    listed.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    let hidden = listed.len().saturating_sub(SOURCES_SHOWN);
    listed.truncate(SOURCES_SHOWN);
    let mut sources: Vec<Source> = listed
        .into_par_iter()
        .map(|(name, named, events)| {
            let statements: Vec<Said> = (named.iter().take(STATEMENTS_SHOWN))
                .map(|n| said(c, n))
                .collect();
            Source {
                anchor: String::new(),
                name,
                more: named.len() - statements.len(),
                statements,
                count: named.len(),
                events,
            }
        })
        .collect();
    let mut taken: std::collections::HashSet<String> = Default::default();
    for s in &mut sources {
        let base = format!("src-{}", slug::slugify(&s.name));
        let mut anchor = base.clone();
        let mut n = 2;
        while !taken.insert(anchor.clone()) {
            anchor = format!("{base}-{n}");
            n += 1;
        }
        s.anchor = anchor;
    }
    ctx.insert("page_title", &c.strings["sources_page"]);
    ctx.insert("sources", &sources);
    ctx.insert("hidden", &hidden);
}

/// A statement of event `event` (shared first, then single, as its provenance list them)
/// that names a source.
#[derive(Clone, Copy)]
struct Named {
    event: usize,
    statement: usize,
}

/// The statement as the page shows it.
fn said(c: &Common<'_>, n: &Named) -> Said {
    let ev = &c.dossier.events[n.event];
    let ag = c.agreement(n.event);
    let s = (ag.shared.iter().chain(&ag.single)).nth(n.statement);
    let chains = s.map(|s| super::event::provenance(c, n.event, s).chains);
    Said {
        text: s.map(|s| s.text().to_string()).unwrap_or_default(),
        event: ev.title.clone(),
        event_url: event_url(&ev.id),
        chains: (chains.iter().flatten())
            .map(super::event::Chain::text)
            .collect(),
    }
}

/// The statements of event `e` whose reports name a source or relay a wire, with each source.
fn said_in(c: &Common<'_>, e: usize) -> Vec<(String, Named)> {
    let d = c.dossier;
    let ev = &d.events[e];
    let ag = c.agreement(e);
    let mut out = Vec::new();
    let statements = ag.shared.iter().chain(&ag.single);
    for (j, (s, named)) in statements.zip(c.provenance(e, false)).enumerate() {
        let mut names: Vec<&str> = Vec::new();
        for n in named.chains.iter().flat_map(|ch| &ch.links) {
            if !names.contains(&n.as_str()) {
                names.push(n);
            }
        }
        if s.reports.len() >= 2 {
            for &k in &s.reports {
                if let OriginKey::Wire(w) = d.stories.origin_key(ev.reports[k]) {
                    if !names.contains(&w) {
                        names.push(w);
                    }
                }
            }
        }
        for n in names {
            let named = Named {
                event: e,
                statement: j,
            };
            out.push((n.to_string(), named));
        }
    }
    out
}
