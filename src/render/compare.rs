//! An event's comparison page (`events/<id>/compare/`): its statements as rows and its reports
//! as columns, grouped by story, each cell the report's own sentence for the statement, so a
//! reader sees at a glance who relays what and who adds what.
//!
//! The table is written here as HTML (escaped here), not cell by cell in the template: an event
//! of 40 reports has thousands of cells, and most are empty.

use std::fmt::Write;

use tera::Context;

use super::common::Common;
use super::markdown::escape_html as esc;
use super::pages::{event_url, report_url};
use crate::analyze::corroborate::Agreement;
use crate::analyze::stories::OriginKey;

/// The most reports a comparison shows side by side; the others are named under it.
pub(crate) const COLUMNS: usize = 24;

/// Whether event `e` has a comparison page: two reports or more.
pub(crate) fn has_page(d: &crate::analyze::Dossier, e: usize) -> bool {
    d.events[e].reports.len() >= 2
}

/// A story among an event's reports: its origin's name and kind, and its columns.
struct Group {
    label: String,
    columns: Vec<usize>,
}

/// The event's reports (indices into its report list) grouped by story, stories in the order
/// of their first report, and cut to `COLUMNS`.
fn groups(c: &Common<'_>, i: usize) -> Vec<Group> {
    let d = c.dossier;
    let e = &d.events[i];
    let mut order: Vec<(usize, Vec<usize>)> = Vec::new();
    for (k, &r) in e.reports.iter().enumerate() {
        let s = d.stories.story_of[r];
        match order.iter_mut().find(|(t, _)| *t == s) {
            Some((_, ks)) => ks.push(k),
            None => order.push((s, vec![k])),
        }
    }
    let mut shown = 0;
    let mut groups = Vec::new();
    for (_, ks) in order {
        let room = COLUMNS - shown;
        if room == 0 {
            break;
        }
        let columns: Vec<usize> = ks.into_iter().take(room).collect();
        shown += columns.len();
        let first = e.reports[columns[0]];
        let name = match d.stories.origin_key(first) {
            OriginKey::Wire(w) => format!("{} ({})", w, c.strings["origin_wire"]),
            _ => {
                let outlet =
                    (d.reports[first].outlet.as_deref()).unwrap_or(c.strings["outlet_unknown"]);
                format!("{outlet} ({})", c.strings["origin_own"])
            }
        };
        groups.push(Group {
            label: format!("{}: {name}", c.strings["story"]),
            columns,
        });
    }
    groups
}

pub(super) fn context(c: &Common<'_>, i: usize, root: &str, ctx: &mut Context) {
    let d = c.dossier;
    let e = &d.events[i];
    let t = &c.strings;
    ctx.insert("page_title", &format!("{}: {}", t["compare"], e.title));
    ctx.insert("event", &c.event_card(i));
    ctx.insert("event_url", &event_url(&e.id));
    let ag = c.agreement(i);
    let groups = groups(c, i);
    ctx.insert("table", &table(c, i, ag, &groups, root));
    let not_shown: Vec<_> = {
        let shown: Vec<usize> = groups.iter().flat_map(|g| g.columns.clone()).collect();
        (0..e.reports.len())
            .filter(|k| !shown.contains(k))
            .map(|k| c.report_card(e.reports[k]))
            .collect()
    };
    ctx.insert("hidden", &not_shown.len());
    ctx.insert("not_shown", &not_shown);
    ctx.insert("shared_count", &ag.shared.len());
    ctx.insert("single_count", &ag.single.len());
}

/// The comparison table's HTML.
fn table(c: &Common<'_>, i: usize, ag: &Agreement, groups: &[Group], root: &str) -> String {
    let d = c.dossier;
    let e = &d.events[i];
    let t = &c.strings;
    let columns: Vec<usize> = groups.iter().flat_map(|g| g.columns.clone()).collect();
    let width = columns.len() + 1;
    let mut h = String::new();
    h += "<table class=\"compare\">\n";
    let _ = writeln!(h, "<caption>{}</caption>", esc(t["compare_caption"]));
    h += "<colgroup><col class=\"statement\"></colgroup>";
    for g in groups {
        let _ = write!(h, "<colgroup span=\"{}\"></colgroup>", g.columns.len());
    }
    h += "\n<thead>\n<tr><td></td>";
    for g in groups {
        let _ = write!(
            h,
            "<th scope=\"colgroup\" colspan=\"{}\" class=\"story\">{}</th>",
            g.columns.len(),
            esc(&g.label)
        );
    }
    let _ = write!(
        h,
        "</tr>\n<tr><th scope=\"col\">{}</th>",
        esc(t["statement"])
    );
    for &k in &columns {
        let r = &d.reports[e.reports[k]];
        let outlet = r.outlet.as_deref().unwrap_or(t["outlet_unknown"]);
        let date = match r.date.day() {
            Some(day) => c.config.language.date(day),
            None => t["date_unknown"].to_string(),
        };
        let _ = write!(
            h,
            "<th scope=\"col\"><a href=\"{root}{}\">{}</a> <span class=\"meta\">{}</span></th>",
            report_url(&r.id),
            esc(outlet),
            esc(&date)
        );
    }
    h += "</tr>\n</thead>\n";
    // One statement's row, unless none of the reports shown makes it.
    let row = |h: &mut String, n: usize, head: &str, s: &crate::analyze::corroborate::Statement| {
        let mut seen: Vec<OriginKey<'_>> = Vec::new();
        let cells: Vec<Option<(usize, bool)>> = columns
            .iter()
            .map(|&k| {
                let m = s.reports.iter().position(|&x| x == k)?;
                let r = e.reports[k];
                let key = d.stories.origin_key(r);
                let repeat = seen.contains(&key);
                seen.push(key);
                Some((m, repeat))
            })
            .collect();
        if cells.iter().all(Option::is_none) {
            return false;
        }
        let _ = write!(
            h,
            "<tr><th scope=\"row\">{n}. <span class=\"meta\">{head}</span></th>"
        );
        for cell in cells {
            match cell {
                Some((m, false)) => {
                    let _ = write!(h, "<td>{}</td>", esc(&s.wordings[m]));
                }
                Some((m, true)) => {
                    let _ = write!(
                        h,
                        "<td class=\"repeat\">{} <span class=\"meta\">({})</span></td>",
                        esc(&s.wordings[m]),
                        esc(t["ag_repeat_short"])
                    );
                }
                None => h.push_str("<td></td>"),
            }
        }
        h.push_str("</tr>\n");
        true
    };
    let mut n = 0;
    if !ag.shared.is_empty() {
        let _ = writeln!(
            h,
            "<tbody>\n<tr class=\"section\"><th scope=\"colgroup\" colspan=\"{width}\">{}</th></tr>",
            esc(t["corroborated"])
        );
        for (s, from) in ag.shared.iter().zip(c.provenance(i, true)) {
            n += usize::from(row(&mut h, n + 1, &esc(&from.text), s));
        }
        h += "</tbody>\n";
    }
    if !ag.single.is_empty() {
        let _ = writeln!(
            h,
            "<tbody>\n<tr class=\"section\"><th scope=\"colgroup\" colspan=\"{width}\">{}</th></tr>",
            esc(t["single_source"])
        );
        for s in &ag.single {
            n += usize::from(row(&mut h, n + 1, "", s));
        }
        h += "</tbody>\n";
    }
    h += "</table>\n";
    h
}
