//! Which pages of the preview an edit of one report changes.
//!
//! What each page lists is declared once, by its page kind in `render/` (`event::names`,
//! `event::related`, `report::names`, `entity::events_shown`, `entity::reports_shown`): this
//! file compares those lists between the model before and after an edit, and never repeats
//! how many a page shows. A test (`tests/it/serve.rs`) holds every partial rebuild equal to a
//! full one.

use std::collections::{HashMap, HashSet};

use crate::analyze::Dossier;
use crate::render::{entity, event, report, Page};

/// Whether what the lists show of event `id` (its card) differs between two analyses.
fn card_changed(old: &Dossier, next: &Dossier, id: &str) -> bool {
    /// Title, dates, and the reports with their outlets.
    type Card<'a> = (
        &'a str,
        chrono::NaiveDate,
        chrono::NaiveDate,
        Vec<(&'a str, Option<&'a str>)>,
    );
    fn card<'a>(d: &'a Dossier, id: &str) -> Option<Card<'a>> {
        d.event_index.get(id).map(|&i| {
            let e = &d.events[i];
            let members: Vec<(&str, Option<&str>)> = e
                .reports
                .iter()
                .map(|&r| (d.reports[r].id.as_str(), d.reports[r].outlet.as_deref()))
                .collect();
            (e.title.as_str(), e.start, e.end, members)
        })
    }
    card(old, id) != card(next, id)
}

/// The pages that show report `old_index` of `old`, which is now `new_index` of `next`: the
/// report, the events it left or joined with their reports and (when an event's card changed)
/// its neighbours in time, related events, names and outlets; and the lists.
pub(super) fn report_pages(
    config: &crate::load::config::Config,
    old: &Dossier,
    old_index: usize,
    next: &Dossier,
    new_index: usize,
) -> Vec<Page> {
    use Page;
    let mut pages = vec![
        Page::Index,
        Page::Outlets,
        Page::Atom,
        Page::Report(new_index),
    ];
    if briefing_shows(old, old_index, next, new_index) {
        pages.push(Page::Briefing);
    }
    // The pages of the names the report writes list its card, when it is among their latest.
    // (When the edit moved it in or out of their lists, [`entity_pages`] finds them.)
    pages.extend(
        (next.entities.of_report[new_index].iter())
            .filter(|&&n| entity::reports_shown(next, n).contains(&new_index))
            .map(|&n| Page::Entity(n)),
    );
    // The sitemap shows only the day of each report and the end of each event (and it is slow
    // to render).
    let mut sitemap = old.reports[old_index].date.day() != next.reports[new_index].date.day();
    let mut outlets = vec![old.outlet_of[old_index], next.outlet_of[new_index]];
    // The timeline lists reports in no event, and every event's card.
    let mut timeline = old.event_of[old_index].is_none() || next.event_of[new_index].is_none();
    let own = [
        old.event_of[old_index].map(|e| old.events[e].id.as_str()),
        next.event_of[new_index].map(|e| next.events[e].id.as_str()),
    ];
    for eid in own.into_iter().flatten() {
        let Some(&e) = next.event_index.get(eid) else {
            continue;
        };
        // Its page, its comparison and its reports' pages list the edited report.
        pages.extend(Page::of_event(next, e));
        pages.extend(next.events[e].reports.iter().map(|&r| Page::Report(r)));
        if card_changed(old, next, eid) {
            // The pages of its names list its card, and so do related events.
            pages.extend(
                (next.entities.of_event[e].iter())
                    .filter(|&&n| entity::events_shown(next, n).contains(&e))
                    .map(|&n| Page::Entity(n)),
            );
            pages.extend(
                next.entities.related[e]
                    .iter()
                    .map(|&(o, _)| Page::Event(o)),
            );
            // Its card shows on the timeline, on its neighbours in time (before and after the
            // edit), and with its title on the outlet pages of all its reports.
            timeline = true;
            sitemap = true;
            for (d, i) in [(old, old.event_index.get(eid)), (next, Some(&e))] {
                let Some(&i) = i else { continue };
                for n in [i.checked_sub(1), Some(i + 1)].into_iter().flatten() {
                    if let Some(&ni) = d.events.get(n).and_then(|ev| next.event_index.get(&ev.id)) {
                        pages.push(Page::Event(ni));
                    }
                }
            }
            outlets.extend(next.events[e].reports.iter().map(|&r| next.outlet_of[r]));
        }
    }
    if timeline {
        pages.push(Page::Timeline);
    }
    if sitemap {
        pages.extend(crate::render::pages::sitemaps(config, next));
    }
    for o in outlets.into_iter().flatten() {
        // Old and new outlet indices agree: the outlet set is unchanged and sorted by slug.
        pages.push(Page::Outlet(o));
    }
    pages
}

/// Whether the site's briefing page changes when report `old_index` of `old` becomes
/// `new_index` of `next`: it shows the latest reports in full, and their events.
pub(super) fn briefing_shows(
    old: &Dossier,
    old_index: usize,
    next: &Dossier,
    new_index: usize,
) -> bool {
    let (a, b) = (
        crate::analyze::briefing::for_site(old),
        crate::analyze::briefing::for_site(next),
    );
    a != b
        || [(old, &a, old_index), (next, &b, new_index)]
            .into_iter()
            .any(|(d, s, r)| {
                s.reports().any(|x| x == r)
                    || d.event_of[r].is_some_and(|e| s.events.iter().any(|(ev, _)| *ev == e))
            })
}

/// The pages whose names changed between two analyses of the same events and reports: event
/// and report pages whose lists of names differ, the pages of entities that changed or appeared,
/// and the list of entities; with the pages of entities that are gone.
pub(super) fn entity_pages(old: &Dossier, next: &Dossier) -> (Vec<Page>, Vec<String>) {
    let (a, b) = (&old.entities, &next.entities);
    if a == b {
        return (Vec::new(), Vec::new());
    }
    // Names as pages show them: name and slug.
    let same_names = |x: &[usize], y: &[usize]| {
        x.len() == y.len()
            && x.iter().zip(y).all(|(&i, &j)| {
                (&a.list[i].name, &a.list[i].slug) == (&b.list[j].name, &b.list[j].slug)
            })
    };
    let mut pages = vec![Page::Entities];
    for (j, r) in next.reports.iter().enumerate() {
        let Some(&i) = old.report_index.get(&r.id) else {
            continue;
        };
        if !same_names(report::names(old, i), report::names(next, j)) {
            pages.push(Page::Report(j));
        }
    }
    for (j, e) in next.events.iter().enumerate() {
        let Some(&i) = old.event_index.get(&e.id) else {
            continue;
        };
        if !same_names(event::names(old, i), event::names(next, j))
            || related(old, i) != related(next, j)
        {
            pages.push(Page::Event(j));
        }
    }
    let before: HashMap<&str, usize> = a
        .list
        .iter()
        .enumerate()
        .map(|(i, e)| (e.slug.as_str(), i))
        .collect();
    for (j, e) in b.list.iter().enumerate() {
        match before.get(e.slug.as_str()) {
            Some(&i) if listed(old, i) == listed(next, j) => {}
            _ => pages.push(Page::Entity(j)),
        }
    }
    let after: HashSet<&str> = b.list.iter().map(|e| e.slug.as_str()).collect();
    let removed = a
        .list
        .iter()
        .enumerate()
        .filter(|(_, e)| !after.contains(e.slug.as_str()))
        .map(|(i, _)| Page::Entity(i).output_path(old))
        .collect();
    (pages, removed)
}

/// What an event page shows of its related events: their ids, and the names they share.
fn related(d: &Dossier, k: usize) -> Vec<(&str, Vec<&str>)> {
    event::related(d, k)
        .map(|(o, shared)| {
            let names = shared.iter().map(|&n| d.entities.list[n].name.as_str());
            (d.events[o].id.as_str(), names.collect())
        })
        .collect()
}

/// What an entity's page shows: its name, its numbers of reports and events, and the reports
/// and events it lists.
fn listed(d: &Dossier, k: usize) -> (&str, usize, usize, Vec<&str>, Vec<&str>) {
    let e = &d.entities.list[k];
    let reports = entity::reports_shown(d, k)
        .iter()
        .map(|&r| d.reports[r].id.as_str());
    let events = entity::events_shown(d, k)
        .iter()
        .map(|&v| d.events[v].id.as_str());
    (
        e.name.as_str(),
        e.reports.len(),
        e.events.len(),
        reports.collect(),
        events.collect(),
    )
}
