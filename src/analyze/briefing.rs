//! Briefings: the dossier, or the part of it a filter selects, as one printable document.
//!
//! This module decides *what* a briefing holds: the [`Filter`] a user gives and the
//! [`Selection`] it yields, checked into diagnostics. *How* it looks is
//! `templates/briefing.html`, rendered by `render/briefing.rs` with the same context helpers
//! as the event and report pages; `cmd/briefing.rs` prints it to PDF.

use chrono::NaiveDate;

use crate::analyze::Dossier;
use crate::diag::Diagnostic;

/// What a user asks a briefing to cover. Empty lists and `None` mean "no restriction".
#[derive(Debug, Clone, Default)]
pub(crate) struct Filter {
    pub(crate) events: Vec<String>,
    pub(crate) since: Option<String>,
    pub(crate) until: Option<String>,
    pub(crate) entities: Vec<String>,
    pub(crate) outlets: Vec<String>,
    /// The date printed on the cover; by default the latest report's in scope.
    pub(crate) date: Option<String>,
    /// The first paragraphs of each report instead of its full text.
    pub(crate) excerpts: bool,
}

/// What a briefing shows, as indices into the dossier, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Selection {
    /// Events in time order, each with the reports of it in scope (oldest first).
    pub(crate) events: Vec<(usize, Vec<usize>)>,
    /// Reports in scope that belong to no event.
    pub(crate) loose: Vec<usize>,
    /// The filters in force, as `(label key, value)` for the cover; empty for everything.
    pub(crate) scope: Vec<(&'static str, String)>,
    /// The briefing's date: deterministic, never the clock.
    pub(crate) date: Option<NaiveDate>,
    pub(crate) excerpts: bool,
}

impl Selection {
    /// The report indices in the order the briefing shows (and numbers) them.
    pub(crate) fn reports(&self) -> impl Iterator<Item = usize> + '_ {
        self.events
            .iter()
            .flat_map(|(_, rs)| rs.iter().copied())
            .chain(self.loose.iter().copied())
    }
}

fn parse_date(flag: &str, value: &str) -> Result<NaiveDate, Diagnostic> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| {
        Diagnostic::error(None, format!("bad `--{flag}`: `{value}` is not a date"))
            .with_help("write a date like 2024-03-29")
    })
}

/// The most reports the site's `briefing/` page holds. A briefing is read on paper, and past
/// this the whole dossier is a book nobody prints: on a 10,000-report dossier it was a 66 MB page
/// that made the build twice as slow and its memory 2.6 times as large (README, Performance).
/// A larger dossier's page covers its latest reports; `dossier briefing` writes any scope.
pub(crate) const SITE_MAX_REPORTS: usize = 1000;

/// The briefing `dossier build` writes to `briefing/`: the whole dossier, or the latest
/// [`SITE_MAX_REPORTS`] reports at most (whole days, so the cover can say "from" which day).
pub(crate) fn for_site(d: &Dossier) -> Selection {
    let mut filter = Filter::default();
    let mut days: Vec<NaiveDate> = d.reports.iter().filter_map(|r| r.date.day()).collect();
    if days.len() > SITE_MAX_REPORTS {
        days.sort_unstable_by(|a, b| b.cmp(a));
        let edge = days[SITE_MAX_REPORTS - 1];
        // The edge day's reports would overflow the page: start the day after, unless the
        // latest day alone holds more (then that day, over the limit, rather than nothing).
        let since = if days[SITE_MAX_REPORTS] == edge && days[0] > edge {
            edge.succ_opt().unwrap_or(edge)
        } else {
            edge
        };
        filter.since = Some(since.format("%Y-%m-%d").to_string());
    }
    // A filter of a date just formatted cannot fail.
    select(d, &filter).unwrap_or(Selection {
        events: Vec::new(),
        loose: Vec::new(),
        scope: Vec::new(),
        date: None,
        excerpts: false,
    })
}

/// Applies `f` to the dossier. Every bad filter value is reported, each with a suggestion.
pub(crate) fn select(d: &Dossier, f: &Filter) -> Result<Selection, Vec<Diagnostic>> {
    let Resolved {
        since,
        until,
        cover_date,
        events,
        outlets,
        entities,
    } = resolve(d, f)?;
    let keep = |r: usize| {
        let day = d.reports[r].date.day();
        // A report of unknown date is in no span of days.
        since.is_none_or(|s| day.is_some_and(|d| d >= s))
            && until.is_none_or(|u| day.is_some_and(|d| d <= u))
            && (outlets.is_empty() || d.outlet_of[r].is_some_and(|o| outlets.contains(&o)))
            && (entities.is_empty() || d.entities.of_report[r].iter().any(|e| entities.contains(e)))
    };
    let chosen: Vec<(usize, Vec<usize>)> = d
        .events
        .iter()
        .enumerate()
        .filter(|(i, _)| events.is_empty() || events.contains(i))
        .map(|(i, e)| (i, e.reports.iter().copied().filter(|&r| keep(r)).collect()))
        .filter(|(_, rs): &(usize, Vec<usize>)| !rs.is_empty())
        .collect();
    // Reports of no event have no place in a briefing on chosen events.
    let loose: Vec<usize> = if events.is_empty() {
        d.unassigned().filter(|&r| keep(r)).collect()
    } else {
        Vec::new()
    };

    let mut scope = Vec::new();
    for i in &events {
        scope.push(("event", d.events[*i].title.clone()));
    }
    if let Some(s) = since {
        scope.push(("briefing_since", s.format("%Y-%m-%d").to_string()));
    }
    if let Some(u) = until {
        scope.push(("briefing_until", u.format("%Y-%m-%d").to_string()));
    }
    for &o in &outlets {
        scope.push(("outlet", d.outlets[o].name.clone()));
    }
    for &e in &entities {
        scope.push(("entity", d.entities.list[e].name.clone()));
    }
    let mut sel = Selection {
        events: chosen,
        loose,
        scope,
        date: None,
        excerpts: f.excerpts,
    };
    sel.date = cover_date.or_else(|| sel.reports().filter_map(|r| d.reports[r].date.day()).max());
    Ok(sel)
}

/// A filter's values, checked and found in the dossier.
struct Resolved {
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
    cover_date: Option<NaiveDate>,
    /// Indices of the events, outlets and entities named.
    events: Vec<usize>,
    outlets: Vec<usize>,
    entities: Vec<usize>,
}

/// Checks a filter against the dossier: every date a date, every event, outlet and name one the
/// dossier has (or a diagnostic suggesting the closest), `--since` not after `--until`.
fn resolve(d: &Dossier, f: &Filter) -> Result<Resolved, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut date = |flag: &'static str, v: &Option<String>| match v {
        None => None,
        Some(v) => match parse_date(flag, v) {
            Ok(day) => Some(day),
            Err(e) => {
                problems.push(e);
                None
            }
        },
    };
    let since = date("since", &f.since);
    let until = date("until", &f.until);
    let cover_date = date("date", &f.date);

    let mut events = Vec::new();
    for id in &f.events {
        match d.event_index.get(id.as_str()) {
            Some(&i) => events.push(i),
            None => {
                let known: Vec<&str> = d.events.iter().map(|e| e.id.as_str()).collect();
                let diag = Diagnostic::error(None, format!("no event has the id `{id}`"));
                let all = "`dossier events` lists the events and their ids".to_string();
                problems.push(diag.did_you_mean(id, &known, Some(all)));
            }
        }
    }
    let mut outlets = Vec::new();
    for name in &f.outlets {
        let key = name.to_lowercase();
        match d
            .outlets
            .iter()
            .position(|o| o.name.to_lowercase() == key || o.slug == key)
        {
            Some(i) => outlets.push(i),
            None => {
                let known: Vec<&str> = d.outlets.iter().map(|o| o.name.as_str()).collect();
                let diag =
                    Diagnostic::error(None, format!("no report is from the outlet `{name}`"));
                let all = format!("the outlets are: {}", known.join(", "));
                problems.push(diag.did_you_mean(name, &known, Some(all)));
            }
        }
    }
    let mut entities = Vec::new();
    for name in &f.entities {
        let key = name.to_lowercase();
        match d
            .entities
            .list
            .iter()
            .position(|e| e.name.to_lowercase() == key || e.slug == key)
        {
            Some(i) => entities.push(i),
            None => {
                let known: Vec<&str> = d.entities.list.iter().map(|e| e.name.as_str()).collect();
                let diag = Diagnostic::error(None, format!("no name `{name}` is in the dossier"));
                let all = "the site's entities/ page lists the names".to_string();
                problems.push(diag.did_you_mean(name, &known, Some(all)));
            }
        }
    }
    if let (Some(s), Some(u)) = (since, until) {
        if s > u {
            problems.push(
                Diagnostic::error(None, format!("`--since {s}` is after `--until {u}`"))
                    .with_help("swap the two dates"),
            );
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Resolved {
        since,
        until,
        cover_date,
        events,
        outlets,
        entities,
    })
}
