//! Analysis: the loaded corpus becomes the dossier model of events, reports and outlets.
//!
//! Plain data with indices between its parts; everything is in a deterministic order
//! (events by start date, reports by date), so that rendering is a pure function of it.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use crate::content::{Corpus, EventNote, FrontPage, Report};
use crate::diag::{Diagnostic, Diagnostics};

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

/// Builds the model. Reports keep the `event:` they were given; events without a note are titled
/// from their earliest report.
pub(crate) fn analyze(corpus: Corpus, diags: &mut Diagnostics) -> Dossier {
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

    // Events: every id used by a report, plus every note.
    let mut members: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, r) in reports.iter().enumerate() {
        if let Some(e) = &r.event {
            members.entry(e.as_str()).or_default().push(i);
        }
    }
    let mut notes_by_id: BTreeMap<String, EventNote> = BTreeMap::new();
    for n in notes {
        if !members.contains_key(n.id.as_str()) {
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
        if !members.contains_key(id.as_str()) {
            ids.push(id.clone());
        }
    }
    let mut events: Vec<Event> = ids
        .into_iter()
        .map(|id| {
            let rs = members.get(id.as_str()).cloned().unwrap_or_default();
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
                .or_else(|| first.map(|r| r.title.clone()))
                .unwrap_or_else(|| id.clone());
            Event {
                location: note.as_ref().and_then(|n| n.location.clone()),
                summary: note.as_ref().and_then(|n| n.summary.clone()),
                id,
                title,
                start,
                end,
                note,
                reports: rs,
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
    }
}
