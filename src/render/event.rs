//! An event's page: its card, the analyst's note, its reports, the names it involves, how its
//! reports agree, related events and its neighbours in time.
//!
//! What the page lists of names and related events is said here once ([`names`],
//! [`related`]); the preview's invalidation (`serve`) compares the same lists to know when an
//! edit changes the page.

use serde_json::json;
use tera::Context;

use super::common::{Common, EventCard, Texts};
use super::pages::report_url;
use crate::analyze::corroborate::Agreement;
use crate::analyze::stories::OriginKey;
use crate::analyze::Dossier;

/// How many names an event or report page lists.
pub(crate) const NAMES_SHOWN: usize = 24;
/// How many of the names two related events share the line of a related event shows.
const RELATED_NAMES: usize = 5;
/// Statements one report alone makes, shown per report.
const SINGLE_SHOWN: usize = 5;

/// The names event `e`'s page lists (the most written first).
pub(crate) fn names(d: &Dossier, e: usize) -> &[usize] {
    let all = &d.entities.of_event[e];
    &all[..all.len().min(NAMES_SHOWN)]
}

/// The related events event `e`'s page lists, each with the shared names it shows.
pub(crate) fn related(d: &Dossier, e: usize) -> impl Iterator<Item = (usize, &[usize])> {
    d.entities.related[e]
        .iter()
        .map(|(o, shared)| (*o, &shared[..shared.len().min(RELATED_NAMES)]))
}

pub(super) fn context(
    c: &Common<'_>,
    i: usize,
    texts: &Texts<'_>,
    ctx: &mut Context,
) -> tera::Result<()> {
    let d = c.dossier;
    let e = &d.events[i];
    ctx.insert("page_title", &e.title);
    ctx.insert("event", &c.event_card(i));
    let note = e
        .note
        .as_ref()
        .map(|n| texts.html(&n.body, &n.path, n.body_line))
        .unwrap_or_default();
    ctx.insert("note", &note);
    ctx.insert(
        "report_items",
        &texts.report_items(e.reports.iter().copied(), false)?,
    );
    ctx.insert("detected", &e.detected);
    ctx.insert("entities", &c.names(names(d, i)));
    let related: Vec<_> = related(d, i)
        .map(|(o, shared)| {
            let names: Vec<&str> = shared
                .iter()
                .map(|&n| d.entities.list[n].name.as_str())
                .collect();
            json!({"event": c.event_card(o), "names": names})
        })
        .collect();
    ctx.insert("related", &related);
    let compared = compared(c, i);
    ctx.insert("agreement", &compared.map(|ag| agreement_of(c, i, ag)));
    // The agreement section shows only when the comparison page exists (two reports or more).
    ctx.insert("compare_url", &super::pages::compare_url(&e.id));
    ctx.insert("pictures", &charts(c, i, compared, texts.root));
    let previous: Option<EventCard<'_>> = i.checked_sub(1).map(|p| c.event_card(p));
    ctx.insert("previous", &previous);
    ctx.insert(
        "next",
        &(i + 1 < d.events.len()).then(|| c.event_card(i + 1)),
    );
    Ok(())
}

/// The event page's pictures (`templates/charts.html`): when each outlet reported, and the
/// agreement picture beside the lists it summarises.
fn charts(c: &Common<'_>, i: usize, ag: Option<&Agreement>, root: &str) -> serde_json::Value {
    json!({
        "coverage": super::charts::event_coverage(c, i, "chart-coverage", root),
        "agreement": ag.and_then(|ag| {
            super::charts::agreement(c, i, ag, "chart-agreement", root)
        }),
    })
}

/// How the reports of event `i` compare (nothing for an event of one report).
pub(super) fn compared<'c>(c: &'c Common<'_>, i: usize) -> Option<&'c Agreement> {
    super::compare::has_page(c.dossier, i).then(|| c.agreement(i))
}

/// How the reports of event `i` agree, as the lists show it: statements several carry,
/// statements one alone makes, and quotes by speaker. The briefing shows it too.
pub(super) fn agreement_of(c: &Common<'_>, i: usize, ag: &Agreement) -> serde_json::Value {
    let d = c.dossier;
    let e = &d.events[i];
    let outlet_of = |k: usize| {
        let r = &d.reports[e.reports[k]];
        json!({"outlet": r.outlet.as_deref().unwrap_or(c.strings["outlet_unknown"]),
               "url": report_url(&r.id)})
    };
    let shared: Vec<_> = (ag.shared.iter().zip(c.provenance(i, true)))
        .map(|(s, named)| {
            let sources = &named.sources;
            let chains: Vec<String> = named.chains.iter().map(Chain::text).collect();
            json!({"text": s.text(), "chains": chains, "outlets": s.reports.iter().map(|&k| outlet_of(k)).collect::<Vec<_>>(),
                   "count": s.reports.len(), "independent": sources.len(),
                   "corroborated": sources.len() >= 2,
                   "provenance": named.text})
        })
        .collect();
    let mut single: Vec<serde_json::Value> = Vec::new();
    for (k, _) in e.reports.iter().enumerate() {
        let all: Vec<&str> = ag
            .single
            .iter()
            .filter(|s| s.reports[0] == k)
            .map(|s| s.text())
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
    json!({"shared": shared, "single": single, "quotes": quotes})
}

/// The independent origins the reports `rs` rest on (a wire, else a story: copies and pages of
/// one text count once), each named by its wire or its story's earliest outlet, in the order the
/// reports first give them.
fn independent_sources(c: &Common<'_>, rs: &[usize]) -> Vec<String> {
    let d = c.dossier;
    let mut keys = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for &r in rs {
        let key = d.stories.origin_key(r);
        if keys.contains(&key) {
            continue;
        }
        keys.push(key);
        names.push(match key {
            OriginKey::Wire(w) => w.to_string(),
            OriginKey::Story(s) => {
                let first = d.stories.list[s].reports[0];
                (d.reports[first].outlet.as_deref())
                    .unwrap_or(c.strings["outlet_unknown"])
                    .to_string()
            }
        });
    }
    names
}

/// How one report passed a statement on: the sources its sentence names, then the wire it
/// relays (the links), then its outlet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Chain {
    pub(crate) links: Vec<String>,
    pub(crate) outlet: String,
}

impl Chain {
    /// "SVR → TASS → Reuters → Kontan" (the outlet once, when it is a link too).
    pub(crate) fn text(&self) -> String {
        let mut all: Vec<&str> = self.links.iter().map(String::as_str).collect();
        if !all.contains(&self.outlet.as_str()) {
            all.push(&self.outlet);
        }
        all.join(" → ")
    }
}

/// Where one statement comes from: what its reports name as its source, and the independent
/// origins they rest on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Provenance {
    /// The names, each once, first source first.
    pub(crate) names: Vec<String>,
    /// Each report's chain, each once (SVR → TASS → Reuters → Kontan).
    pub(crate) chains: Vec<Chain>,
    /// The independent origins of its reports ([`independent_sources`]); empty for a
    /// statement in a single report.
    pub(crate) sources: Vec<String>,
    /// What the page says of a statement in two reports or more ([`provenance_text`]); empty
    /// for one in a single report.
    pub(crate) text: String,
}

/// Where statement `s` of event `i` comes from. What its reports name as its source is nothing
/// for a statement whose sentences name no source: a chain is never made up. Read through
/// [`Common::provenance`], for each page that shows it.
pub(super) fn provenance(
    c: &Common<'_>,
    i: usize,
    s: &crate::analyze::corroborate::Statement,
) -> Provenance {
    let d = c.dossier;
    let e = &d.events[i];
    let mut names: Vec<String> = Vec::new();
    let mut chains: Vec<Chain> = Vec::new();
    // What each member's sentence names: copies write the same sentence, read once.
    let mut named_by: Vec<Vec<String>> = Vec::with_capacity(s.reports.len());
    for (m, &k) in s.reports.iter().enumerate() {
        let Some(wording) = s.wordings.get(m) else {
            continue;
        };
        let named = match s.wordings[..m].iter().position(|w| w == wording) {
            Some(same) => named_by[same].clone(),
            None => crate::analyze::attribution::sources(wording)
                .into_iter()
                .map(|n| known_name(c, n))
                .collect(),
        };
        named_by.push(named.clone());
        if named.is_empty() {
            continue;
        }
        let r = e.reports[k];
        let mut links = named.clone();
        if let crate::analyze::stories::Origin::Wire { name, .. } = &d.stories.origin_of[r] {
            if !links.contains(name) {
                links.push(name.clone());
            }
        }
        let outlet = (d.reports[r].outlet.as_deref()).unwrap_or(c.strings["outlet_unknown"]);
        let chain = Chain {
            links,
            outlet: outlet.to_string(),
        };
        if !chains.contains(&chain) {
            chains.push(chain);
        }
        for n in named {
            if !names.contains(&n) {
                names.push(n);
            }
        }
    }
    // Origins are counted, and said, of statements that several reports make.
    let (sources, text) = if s.reports.len() >= 2 {
        let global: Vec<usize> = s.reports.iter().map(|&k| e.reports[k]).collect();
        let sources = independent_sources(c, &global);
        let text = provenance_text(c, s.reports.len(), &sources);
        (sources, text)
    } else {
        (Vec::new(), String::new())
    };
    Provenance {
        names,
        chains,
        sources,
        text,
    }
}

/// A source's name as the dossier's names write it: the whole name, else the longest part of
/// it (of two words or more) that is a name, the later first ("Kremlin Dmitry Peskov" is
/// Dmitry Peskov, of the Kremlin), else as the text writes it.
fn known_name(c: &Common<'_>, n: String) -> String {
    let words: Vec<&str> = n.split(' ').collect();
    // One word of a longer name is not enough ("… Pusat Korea" is not Korea Utara).
    let shortest = words.len().min(2);
    for len in (shortest..=words.len()).rev() {
        for start in (0..=words.len() - len).rev() {
            let part = words[start..start + len].join(" ").to_lowercase();
            if let Some(e) = c.speakers.get(&part) {
                return e.to_string();
            }
        }
    }
    n
}

/// "3 laporan · 2 sumber independen: Reuters, AFP" / "2 reports · one origin: Reuters (not
/// corroborated)".
fn provenance_text(c: &Common<'_>, reports: usize, sources: &[String]) -> String {
    let t = &c.strings;
    let count = c.count_reports(reports);
    if sources.len() >= 2 {
        format!(
            "{count} · {} {}: {}",
            sources.len(),
            t["independent_sources"],
            sources.join(", ")
        )
    } else {
        format!(
            "{count} · {}: {} ({})",
            t["one_origin"],
            sources.join(", "),
            t["not_corroborated"]
        )
    }
}
