//! Analyze: the loaded corpus becomes the dossier model of events, reports, outlets and names.
//!
//! In: a `load::content::Corpus` and the `Config`. Out: a [`Dossier`] (and warnings). Plain data
//! with indices between its parts; everything is in a deterministic order (events by start
//! date, reports by date, those of unknown date last), so that rendering is a pure function of
//! it. `events` groups reports into events, `entities` reads names, `corroborate` matches an
//! event's statements (at render time), `briefing` selects what a briefing covers.

pub(crate) mod attribution;
pub(crate) mod briefing;
pub(crate) mod corroborate;
pub(crate) mod entities;
pub(crate) mod events;
pub(crate) mod stories;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::config::{Config, EventsConfig};
use crate::load::content::{Corpus, Dated, EventNote, FrontPage, Report};
use entities::Entities;
pub(crate) use events::Link;

/// One real-world event and the reports that cover it.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub(crate) id: String,
    pub(crate) title: String,
    /// The event's days; `NaiveDate::MAX` for both when neither its note nor any of its reports
    /// has a date (`dated` is then false), which sorts it after every dated event.
    pub(crate) start: NaiveDate,
    pub(crate) end: NaiveDate,
    pub(crate) dated: bool,
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
    /// Which reports carry one text, and where each report's text comes from.
    pub(crate) stories: stories::Stories,
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
/// events by [`events::group`] (when `config.detect`). Events without a note are titled from
/// their earliest report (detected ones: from their most linked report).
pub(crate) fn analyze(corpus: Corpus, config: &Config, diags: &mut Diagnostics) -> Dossier {
    with_stories(with_names(
        events_and_outlets(corpus, config, false, diags),
        config,
    ))
}

/// The model with its stories (which reports carry one text, and each one's origin).
/// After the names: quoted speakers are named by them.
fn with_stories(mut d: Dossier) -> Dossier {
    let speakers = d.entities.speakers();
    let speaker_of = |s: &str| entities::speaker_name(&speakers, s);
    d.stories = stories::find(&d.reports, &d.event_of, &speaker_of);
    d
}

/// The model `dossier events` needs: [`analyze`] without names and stories, which it does not
/// show (at 100,000 reports the names were most of its time and memory); with `explain`, keeping
/// the terms behind each detected link.
pub(crate) fn analyze_events(
    corpus: Corpus,
    config: &Config,
    explain: bool,
    diags: &mut Diagnostics,
) -> Dossier {
    events_and_outlets(corpus, config, explain, diags)
}

/// The model with its names (entities), read from every report.
fn with_names(mut d: Dossier, config: &Config) -> Dossier {
    let runs = entities::runs_of(&d.reports);
    d.entities = entities::from_runs(&runs, &d.event_of, d.events.len(), &config.aliases);
    d
}

/// What was read of each report: the names it writes (its capitalised runs, in report order),
/// which depend on that report alone, and what its stories were made from. The preview keeps
/// them to read again only the reports an edit changed.
pub(crate) struct Readings {
    runs: Vec<entities::Runs>,
    stories: stories::StoryInputs,
}

impl Readings {
    /// The name runs of report `i`.
    pub(crate) fn runs_of(&self, i: usize) -> &entities::Runs {
        &self.runs[i]
    }
}

/// [`analyze`], keeping its [`Readings`]. Given the `prior` analysis and its runs,
/// reports whose title and text are unchanged are not read again, and the entities are kept as
/// they were when nothing they depend on changed (each report's runs, the report order, the
/// events).
pub(crate) fn analyze_reusing(
    corpus: Corpus,
    config: &Config,
    diags: &mut Diagnostics,
    prior: Option<(&Dossier, &Readings)>,
) -> (Dossier, Readings) {
    let mut d = events_and_outlets(corpus, config, false, diags);
    let runs: Vec<entities::Runs> = match prior {
        None => entities::runs_of(&d.reports),
        Some((old, old_runs)) => {
            let kept: Vec<Option<entities::Runs>> =
                d.reports.iter().map(|r| reuse(old, old_runs, r)).collect();
            let fresh: Vec<Report> = (d.reports.iter().zip(&kept))
                .filter(|(_, k)| k.is_none())
                .map(|(r, _)| r.clone())
                .collect();
            let mut fresh = entities::runs_of(&fresh).into_iter();
            kept.into_iter()
                .map(|k| k.or_else(|| fresh.next()).unwrap_or_default())
                .collect()
        }
    };
    let unchanged = prior.is_some_and(|(old, old_runs)| {
        old.event_of == d.event_of
            && old.events.len() == d.events.len()
            && old_runs.runs.len() == runs.len()
            && (old_runs.runs.iter().zip(&runs))
                .all(|(a, b)| std::sync::Arc::ptr_eq(a, b) || a == b)
    });
    d.entities = match prior {
        Some((old, _)) if unchanged => old.entities.clone(),
        _ => entities::from_runs(&runs, &d.event_of, d.events.len(), &config.aliases),
    };
    let speakers = d.entities.speakers();
    let same_speakers =
        prior.is_some_and(|(old, _)| unchanged || old.entities.speakers() == speakers);
    let speaker_of = |s: &str| entities::speaker_name(&speakers, s);
    let (found, inputs) = stories::find_reusing(
        &d.reports,
        &d.event_of,
        &speaker_of,
        prior.map(|(old, kept)| stories::Prior {
            index: &old.report_index,
            inputs: &kept.stories,
            agreements: &old.stories.agreements,
            same_speakers,
        }),
    );
    drop(speakers);
    d.stories = found;
    let readings = Readings {
        runs,
        stories: inputs,
    };
    (d, readings)
}

/// The runs `prior` read of a report with the same id, title and text as `r`.
fn reuse(old: &Dossier, old_runs: &Readings, r: &Report) -> Option<entities::Runs> {
    let &j = old.report_index.get(&r.id)?;
    let o = &old.reports[j];
    (o.title == r.title && (std::sync::Arc::ptr_eq(&o.body, &r.body) || o.body == r.body))
        .then(|| old_runs.runs.get(j).cloned())?
}

/// The model without its entities and stories (left empty): reports in time order, events,
/// outlets.
fn events_and_outlets(
    corpus: Corpus,
    config: &Config,
    explain: bool,
    diags: &mut Diagnostics,
) -> Dossier {
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
    let groups = Memberships::of(&reports, &notes, &config.events, explain);
    let events = groups.into_events(&reports, notes, diags);
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
    for r in reports.iter().filter(|r| r.date == Dated::Unknown) {
        diags.push(
            Diagnostic::warning(r.path.clone(), "the report's date is unknown: it is listed after dated reports and left out of the feed")
                .at_line(Some(1))
                .with_help("add a line like `date: 2024-06-17` to its front matter (or import the page again with `--date 2024-06-17 --force`)"),
        );
    }
    let (outlets, outlet_of) = outlets_of(&reports, diags);
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
        stories: stories::Stories::default(),
    }
}

/// Which reports each event holds: the ids reports give in `event:`, and the groups detection
/// forms of the others.
struct Memberships {
    /// Event id → its reports, in time order.
    members: BTreeMap<String, Vec<usize>>,
    /// Detected events' ids → their titles.
    detected: BTreeMap<String, String>,
    /// How reports without `event:` joined each event.
    links: BTreeMap<String, Vec<Link>>,
}

/// An event note as detection reads it: a report of its own event, with the note's title,
/// place, summary and text, on its first day.
fn note_as_report(n: &EventNote) -> Report {
    let mut body = String::new();
    for part in [
        n.location.as_deref(),
        n.summary.as_deref(),
        Some(n.body.as_str()),
    ]
    .into_iter()
    .flatten()
    {
        body.push_str(part);
        body.push_str("\n\n");
    }
    Report {
        id: n.id.clone(),
        path: n.path.clone(),
        title: n.title.clone().unwrap_or_default(),
        date: n.start.map_or(Dated::Unknown, Dated::Day),
        event: Some(n.id.clone()),
        body: body.into(),
        ..Report::default()
    }
}

/// Whether a title is a later page's ("Diplomasi - Halaman 2", "Page 3 of 4"): it names a
/// section and a page, not what happened.
fn is_page_title(title: &str) -> bool {
    let lower = title.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).collect();
    words.windows(2).any(|w| {
        matches!(w[0], "halaman" | "page" | "hal")
            && w[1].bytes().all(|b| b.is_ascii_digit())
            && !w[1].is_empty()
    })
}

impl Memberships {
    fn of(
        reports: &[Report],
        notes: &[EventNote],
        config: &EventsConfig,
        explain: bool,
    ) -> Memberships {
        let mut m = Memberships {
            members: BTreeMap::new(),
            detected: BTreeMap::new(),
            links: BTreeMap::new(),
        };
        for (i, r) in reports.iter().enumerate() {
            if let Some(e) = &r.event {
                m.members.entry(e.clone()).or_default().push(i);
            }
        }
        if config.detect && reports.iter().any(|r| r.event.is_none()) {
            let note_ids: HashSet<&str> = notes.iter().map(|n| n.id.as_str()).collect();
            let as_reports: Vec<Report> = notes.iter().map(note_as_report).collect();
            for g in events::group(reports, &as_reports, config, explain) {
                m.add_group(reports, g, &note_ids);
            }
        }
        m
    }

    /// A detected group joins the event one of its reports names, or becomes an event of its
    /// own, with an id from its most linked report's title (unique among events and notes).
    fn add_group(&mut self, reports: &[Report], g: events::Group, note_ids: &HashSet<&str>) {
        let unlabelled: Vec<usize> = (g.members.iter().copied())
            .filter(|&i| reports[i].event.is_none())
            .collect();
        if unlabelled.is_empty() {
            return;
        }
        let id = match &g.label {
            Some(label) => label.clone(),
            None => {
                // Titled by its most linked report with a headline of its own (not one made from
                // its first words, not a later page's "Halaman 2"); the earliest among equals.
                let degree = |i: usize| g.links.iter().filter(|l| l.from == i || l.to == i).count();
                let headline = |i: usize| {
                    let r = &reports[i];
                    !r.title_generated && !is_page_title(&r.title)
                };
                let medoid = (g.members.iter().copied())
                    .max_by_key(|&i| (headline(i), degree(i), std::cmp::Reverse(i)))
                    .unwrap_or(g.members[0]);
                let start = g.members.iter().find_map(|&i| reports[i].date.day());
                let base = events::event_id(&reports[medoid].title, start);
                let id = crate::load::content::unique_name(&base, 2, |id| {
                    self.members.contains_key(id) || note_ids.contains(id)
                });
                self.detected
                    .insert(id.clone(), reports[medoid].title.clone());
                id
            }
        };
        let list = self.members.entry(id.clone()).or_default();
        list.extend(unlabelled);
        list.sort_unstable();
        self.links.entry(id).or_default().extend(g.links);
    }

    /// The events: every id reports use, and every note's (a note no report names is an event
    /// without reports, with a warning), in time order.
    fn into_events(
        mut self,
        reports: &[Report],
        notes: Vec<EventNote>,
        diags: &mut Diagnostics,
    ) -> Vec<Event> {
        let mut notes_by_id: BTreeMap<String, EventNote> = BTreeMap::new();
        for n in notes {
            if !self.members.contains_key(&n.id) {
                diags.push(
                    Diagnostic::warning(n.path.clone(), format!("no report has `event: {}`", n.id))
                        .with_help(
                        "the event page will list no reports; set `event:` in the reports it covers",
                    ),
                );
            }
            notes_by_id.insert(n.id.clone(), n);
        }
        let mut ids: Vec<String> = self.members.keys().map(|s| s.to_string()).collect();
        for id in notes_by_id.keys() {
            if !self.members.contains_key(id) {
                ids.push(id.clone());
            }
        }
        let mut events: Vec<Event> = ids
            .into_iter()
            .map(|id| {
                let rs = self.members.get(&id).cloned().unwrap_or_default();
                let note = notes_by_id.remove(&id);
                let title = self.detected.get(&id).cloned();
                let links = self.links.remove(&id).unwrap_or_default();
                event(id, rs, note, title, links, reports)
            })
            .collect();
        events.sort_by(|a, b| (a.start, a.end, &a.id).cmp(&(b.start, b.end, &b.id)));
        events
    }
}

/// One event: its dates and title from its note where it has one, else from its reports
/// (a detected event's title is `detected_title`).
fn event(
    id: String,
    rs: Vec<usize>,
    note: Option<EventNote>,
    detected_title: Option<String>,
    links: Vec<Link>,
    reports: &[Report],
) -> Event {
    let first = rs.first().map(|&i| &reports[i]);
    let report_start = rs.iter().filter_map(|&i| reports[i].date.day()).min();
    let report_end = rs.iter().filter_map(|&i| reports[i].date.day()).max();
    let note_start = note.as_ref().and_then(|n| n.start);
    let note_end = note.as_ref().and_then(|n| n.end);
    let start = note_start.or(report_start).or(note_end);
    let dated = start.is_some();
    let start = start.unwrap_or(NaiveDate::MAX);
    let end = note_end
        .or(if note_start.is_some() {
            None
        } else {
            report_end
        })
        .unwrap_or(start)
        .max(start);
    let detected = detected_title.is_some();
    let title = note
        .as_ref()
        .and_then(|n| n.title.clone())
        .or(detected_title)
        .or_else(|| first.map(|r| r.title.clone()))
        .unwrap_or_else(|| id.clone());
    Event {
        location: note.as_ref().and_then(|n| n.location.clone()),
        summary: note.as_ref().and_then(|n| n.summary.clone()),
        id,
        title,
        start,
        end,
        dated,
        note,
        reports: rs,
        detected,
        links,
    }
}

/// The outlets, by slug ("Kontan" and "kontan" are one outlet, named as first written), each
/// with its reports newest first; and each report's outlet.
fn outlets_of(reports: &[Report], diags: &mut Diagnostics) -> (Vec<Outlet>, Vec<Option<usize>>) {
    let mut by_slug: BTreeMap<String, Outlet> = BTreeMap::new();
    let mut outlet_slug_of: Vec<Option<String>> = vec![None; reports.len()];
    // Newest first, and reports of unknown date (last in `reports`) after the dated ones.
    let dated = reports.partition_point(|r| r.date != Dated::Unknown);
    for i in (0..dated).rev().chain(dated..reports.len()) {
        let r = &reports[i];
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
    (outlets, outlet_of)
}

#[cfg(test)]
mod tests {
    use super::is_page_title;

    #[test]
    fn later_pages_titles_are_not_headlines() {
        for (title, page) in [
            ("Diplomasi - Halaman 2", true),
            ("Kunjungan Putin (Halaman 3)", true),
            ("Talks in Geneva - Page 2 of 3", true),
            ("Halaman Istana Dipenuhi Warga", false),
            ("Page turner: the 2024 summit", false),
            ("Putin Tiba di Pyongyang", false),
        ] {
            assert_eq!(is_page_title(title), page, "{title:?}");
        }
    }
}
