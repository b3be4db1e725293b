//! Analysis: the loaded corpus becomes the dossier model of events, reports and outlets.
//!
//! Plain data with indices between its parts; everything is in a deterministic order
//! (events by start date, reports by date), so that rendering is a pure function of it.

pub(crate) mod briefing;
pub(crate) mod corroborate;
pub(crate) mod entities;
pub(crate) mod events;

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use crate::analyze::entities::Entities;
pub(crate) use crate::analyze::events::Link;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::config::Config;
use crate::load::content::{Corpus, EventNote, FrontPage, Report};

/// One real-world event and the reports that cover it.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) start: NaiveDate,
    pub(crate) end: NaiveDate,
    pub(crate) location: Option<String>,
    pub(crate) summary: Option<String>,
    /// The analyst's note, when there is one.
    pub(crate) note: Option<EventNote>,
    /// Indices into [`Dossier::reports`], oldest first.
    pub(crate) reports: Vec<usize>,
    /// Whether dossier found the event (no report names it in `event:`).
    pub(crate) detected: bool,
    /// How reports without `event:` joined it (report indices into [`Dossier::reports`]).
    pub(crate) links: Vec<Link>,
}

/// One outlet and its reports.
#[derive(Debug, Clone)]
pub(crate) struct Outlet {
    pub(crate) name: String,
    pub(crate) slug: String,
    /// Indices into [`Dossier::reports`], newest first.
    pub(crate) reports: Vec<usize>,
}

#[derive(Debug)]
pub(crate) struct Dossier {
    pub(crate) front: FrontPage,
    /// Oldest first.
    pub(crate) reports: Vec<Report>,
    /// By start date.
    pub(crate) events: Vec<Event>,
    /// By name.
    pub(crate) outlets: Vec<Outlet>,
    /// For each report, the index of its event.
    pub(crate) event_of: Vec<Option<usize>>,
    /// For each report, the index of its outlet.
    pub(crate) outlet_of: Vec<Option<usize>>,
    pub(crate) report_index: HashMap<String, usize>,
    pub(crate) event_index: HashMap<String, usize>,
    /// People, organisations and places, and the related events they make.
    pub(crate) entities: Entities,
}

impl Dossier {
    pub(crate) fn event_of(&self, report: usize) -> Option<&Event> {
        self.event_of[report].map(|e| &self.events[e])
    }

    /// The corpus this model was made from, for re-analysis after an edit.
    pub(crate) fn to_corpus(&self) -> Corpus {
        Corpus {
            front: self.front.clone(),
            reports: self.reports.clone(),
            notes: self.events.iter().filter_map(|e| e.note.clone()).collect(),
        }
    }

    /// Reports not in any event, oldest first.
    pub(crate) fn unassigned(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.reports.len()).filter(|&i| self.event_of[i].is_none())
    }
}

/// Builds the model. Reports keep the `event:` they were given; the others are grouped into
/// events by [`crate::analyze::events::group`] (when `config.detect`). Events without a note are titled
/// from their earliest report (detected ones: from their most linked report).
pub(crate) fn analyze(corpus: Corpus, config: &Config, diags: &mut Diagnostics) -> Dossier {
    analyze_explained(corpus, config, false, diags)
}

/// [`analyze`], and with `explain` the terms behind each detected link (`dossier events`).
pub(crate) fn analyze_explained(
    corpus: Corpus,
    site: &Config,
    explain: bool,
    diags: &mut Diagnostics,
) -> Dossier {
    let mut d = analyze_without_entities(corpus, site, explain, diags);
    let runs = crate::analyze::entities::runs_of(&d.reports);
    d.entities =
        crate::analyze::entities::from_runs(&runs, &d.event_of, d.events.len(), &site.aliases);
    d
}

/// What the preview keeps of an analysis, to redo only what an edit changes: the entity runs of
/// each report (in report order), which depend on that report alone.
pub(crate) struct Memo {
    runs: Vec<crate::analyze::entities::Runs>,
}

impl Memo {
    /// The runs of report `i`.
    pub(crate) fn runs(&self, i: usize) -> &crate::analyze::entities::Runs {
        &self.runs[i]
    }
}

/// [`analyze`], keeping a [`Memo`]. Given the `prior` analysis and its memo, reports whose title
/// and text are unchanged are not read again, and the entities are kept as they were when
/// nothing they depend on changed (each report's runs, the report order, the events).
pub(crate) fn analyze_memo(
    corpus: Corpus,
    site: &Config,
    diags: &mut Diagnostics,
    prior: Option<(&Dossier, &Memo)>,
) -> (Dossier, Memo) {
    let mut d = analyze_without_entities(corpus, site, false, diags);
    let runs: Vec<crate::analyze::entities::Runs> = match prior {
        None => crate::analyze::entities::runs_of(&d.reports),
        Some((old, memo)) => {
            let kept: Vec<Option<crate::analyze::entities::Runs>> =
                d.reports.iter().map(|r| reuse(old, memo, r)).collect();
            let fresh: Vec<Report> = (d.reports.iter().zip(&kept))
                .filter(|(_, k)| k.is_none())
                .map(|(r, _)| r.clone())
                .collect();
            let mut fresh = crate::analyze::entities::runs_of(&fresh).into_iter();
            kept.into_iter()
                .map(|k| k.or_else(|| fresh.next()).unwrap_or_default())
                .collect()
        }
    };
    let unchanged = prior.is_some_and(|(old, memo)| {
        old.event_of == d.event_of
            && old.events.len() == d.events.len()
            && memo.runs.len() == runs.len()
            && (memo.runs.iter().zip(&runs)).all(|(a, b)| std::sync::Arc::ptr_eq(a, b) || a == b)
    });
    d.entities = match prior {
        Some((old, _)) if unchanged => old.entities.clone(),
        _ => crate::analyze::entities::from_runs(&runs, &d.event_of, d.events.len(), &site.aliases),
    };
    (d, Memo { runs })
}

/// The runs `prior` read of a report with the same id, title and text as `r`.
fn reuse(old: &Dossier, memo: &Memo, r: &Report) -> Option<crate::analyze::entities::Runs> {
    let &j = old.report_index.get(&r.id)?;
    let o = &old.reports[j];
    (o.title == r.title && (std::sync::Arc::ptr_eq(&o.body, &r.body) || o.body == r.body))
        .then(|| memo.runs.get(j).cloned())?
}

/// The model without its entities (left empty): events, reports and outlets.
fn analyze_without_entities(
    corpus: Corpus,
    site: &Config,
    explain: bool,
    diags: &mut Diagnostics,
) -> Dossier {
    let config = &site.events;
    let Corpus {
        front,
        mut reports,
        notes,
    } = corpus;
    reports.sort_by(|a, b| (a.date.sort_key(), &a.id).cmp(&(b.date.sort_key(), &b.id)));

    let report_index: HashMap<String, usize> = reports
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), i))
        .collect();

    // Events: every id used by a report, plus every note, plus the detected groups.
    let mut members: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, r) in reports.iter().enumerate() {
        if let Some(e) = &r.event {
            members.entry(e.clone()).or_default().push(i);
        }
    }
    let mut detected: BTreeMap<String, (String, bool)> = BTreeMap::new(); // id → (title, new)
    let mut links: BTreeMap<String, Vec<Link>> = BTreeMap::new();
    if config.detect && reports.iter().any(|r| r.event.is_none()) {
        let note_ids: std::collections::HashSet<&str> =
            notes.iter().map(|n| n.id.as_str()).collect();
        for g in crate::analyze::events::group(&reports, config, explain) {
            let unlabelled: Vec<usize> = g
                .members
                .iter()
                .copied()
                .filter(|&i| reports[i].event.is_none())
                .collect();
            if unlabelled.is_empty() {
                continue;
            }
            let id = match &g.label {
                Some(label) => label.clone(),
                None => {
                    // Titled by its most linked report; the earliest among equals.
                    let degree =
                        |i: usize| g.links.iter().filter(|l| l.from == i || l.to == i).count();
                    let medoid = g
                        .members
                        .iter()
                        .copied()
                        .max_by_key(|&i| (degree(i), std::cmp::Reverse(i)))
                        .unwrap_or(g.members[0]);
                    let start = reports[g.members[0]].date.day();
                    let base = crate::analyze::events::event_id(&reports[medoid].title, start);
                    let mut id = base.clone();
                    let mut n = 2;
                    while members.contains_key(&id) || note_ids.contains(id.as_str()) {
                        id = format!("{base}-{n}");
                        n += 1;
                    }
                    detected.insert(id.clone(), (reports[medoid].title.clone(), true));
                    id
                }
            };
            let list = members.entry(id.clone()).or_default();
            list.extend(unlabelled);
            list.sort_unstable();
            links.entry(id).or_default().extend(g.links);
        }
    }
    let mut notes_by_id: BTreeMap<String, EventNote> = BTreeMap::new();
    for n in notes {
        if !members.contains_key(&n.id) {
            diags.push(
                Diagnostic::warning(n.path.clone(), format!("no report has `event: {}`", n.id))
                    .with_help(
                    "the event page will list no reports; set `event:` in the reports it covers",
                ),
            );
        }
        notes_by_id.insert(n.id.clone(), n);
    }
    let mut ids: Vec<String> = members.keys().map(|s| s.to_string()).collect();
    for id in notes_by_id.keys() {
        if !members.contains_key(id) {
            ids.push(id.clone());
        }
    }
    let mut events: Vec<Event> = ids
        .into_iter()
        .map(|id| {
            let rs = members.get(&id).cloned().unwrap_or_default();
            let note = notes_by_id.remove(&id);
            let first = rs.first().map(|&i| &reports[i]);
            let report_start = rs.iter().map(|&i| reports[i].date.day()).min();
            let report_end = rs.iter().map(|&i| reports[i].date.day()).max();
            let start = note
                .as_ref()
                .and_then(|n| n.start)
                .or(report_start)
                .or_else(|| note.as_ref().and_then(|n| n.end))
                .unwrap_or_default();
            let end = note
                .as_ref()
                .and_then(|n| n.end)
                .or(if note.as_ref().and_then(|n| n.start).is_some() {
                    None
                } else {
                    report_end
                })
                .unwrap_or(start)
                .max(start);
            let title = note
                .as_ref()
                .and_then(|n| n.title.clone())
                .or_else(|| detected.get(&id).map(|(t, _)| t.clone()))
                .or_else(|| first.map(|r| r.title.clone()))
                .unwrap_or_else(|| id.clone());
            let is_detected = detected.contains_key(&id);
            let event_links = links.remove(&id).unwrap_or_default();
            Event {
                location: note.as_ref().and_then(|n| n.location.clone()),
                summary: note.as_ref().and_then(|n| n.summary.clone()),
                id,
                title,
                start,
                end,
                note,
                reports: rs,
                detected: is_detected,
                links: event_links,
            }
        })
        .collect();
    events.sort_by(|a, b| (a.start, a.end, &a.id).cmp(&(b.start, b.end, &b.id)));
    let event_index: HashMap<String, usize> = events
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.clone(), i))
        .collect();
    let mut event_of = vec![None; reports.len()];
    for (ei, e) in events.iter().enumerate() {
        for &ri in &e.reports {
            event_of[ri] = Some(ei);
        }
    }

    // Outlets, by slug: "Kontan" and "kontan" are one outlet, named as first written.
    let mut by_slug: BTreeMap<String, Outlet> = BTreeMap::new();
    let mut outlet_slug_of: Vec<Option<String>> = vec![None; reports.len()];
    for (i, r) in reports.iter().enumerate().rev() {
        let Some(name) = &r.outlet else {
            diags.push(
                Diagnostic::warning(
                    r.path.clone(),
                    "the report names no outlet; it is shown as unknown",
                )
                .with_help("set `outlet:` when you know where the report was published"),
            );
            continue;
        };
        let mut slug = slug::slugify(name);
        if slug.is_empty() {
            slug = "outlet".into();
        }
        by_slug
            .entry(slug.clone())
            .or_insert_with(|| Outlet {
                name: name.clone(),
                slug: slug.clone(),
                reports: Vec::new(),
            })
            .reports
            .push(i);
        outlet_slug_of[i] = Some(slug);
    }
    let outlets: Vec<Outlet> = by_slug.into_values().collect();
    let outlet_pos: HashMap<&str, usize> = outlets
        .iter()
        .enumerate()
        .map(|(i, o)| (o.slug.as_str(), i))
        .collect();
    let outlet_of = outlet_slug_of
        .iter()
        .map(|s| s.as_deref().and_then(|s| outlet_pos.get(s).copied()))
        .collect();

    Dossier {
        front,
        reports,
        events,
        outlets,
        event_of,
        outlet_of,
        report_index,
        event_index,
        entities: Entities::default(),
    }
}
