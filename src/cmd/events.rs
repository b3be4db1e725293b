//! `dossier events`: how reports are grouped into events and why (`--tsv` for scripts), and
//! `--write`, which pins detected events into their reports' `event:` keys.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use super::{fail, load_config, say};
use crate::analyze::Dossier;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::content::ReportFront;

pub(super) fn run(root: PathBuf, write: bool, tsv: bool) -> ExitCode {
    let config = match load_config(root, None, None) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let started = Instant::now();
    let mut diags = Diagnostics::default();
    let corpus = crate::load::content::load(&config.content_dir(), &mut diags);
    let loaded = started.elapsed().as_secs_f64();
    let dossier = crate::analyze::analyze_events(corpus, &config, !(tsv || write), &mut diags);
    let took = started.elapsed().as_secs_f64() - loaded;
    if diags.has_errors() {
        eprint!("{}", diags.report());
        return ExitCode::FAILURE;
    }
    if tsv {
        say!("report\tevent");
        for (i, r) in dossier.reports.iter().enumerate() {
            let e = dossier.event_of(i).map(|e| e.id.as_str()).unwrap_or("");
            say!("{}\t{e}", r.id);
        }
        eprintln!(
            "{} reports in {} events (loaded in {loaded:.2} s, grouped in {took:.2} s)",
            dossier.reports.len(),
            dossier.events.len()
        );
        return ExitCode::SUCCESS;
    }
    if write {
        return match pin_events(&dossier) {
            Ok(n) => {
                say!("Wrote `event:` into {n} report(s).");
                ExitCode::SUCCESS
            }
            Err(ds) => fail(&ds),
        };
    }
    say!("{}", explain_events(&dossier).trim_end_matches('\n'));
    let detected = dossier.events.iter().filter(|e| e.detected).count();
    say!(
        "{} reports in {} events ({detected} detected, grouped in {took:.2} s); `dossier events --write` pins the detected ones",
        dossier.reports.len(),
        dossier.events.len()
    );
    ExitCode::SUCCESS
}

/// `dossier events`: each event, its reports, and why each joined.
fn explain_events(d: &Dossier) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for e in &d.events {
        let how = if e.detected { "detected" } else { "labelled" };
        let when = if e.dated {
            format!("{} – {}", e.start, e.end)
        } else {
            "undated".to_string()
        };
        let _ = writeln!(
            out,
            "{}  \"{}\"  {when}  ({} reports, {how})",
            e.id,
            e.title,
            e.reports.len()
        );
        for &r in &e.reports {
            let rep = &d.reports[r];
            let why = match (
                &rep.event,
                e.links.iter().find(|l| l.from == r || l.to == r),
            ) {
                (Some(_), _) => "event: in its front matter".to_string(),
                (None, Some(l)) if l.note.is_some() => format!(
                    "score {:.2} with the note content/events/{}.md: {}",
                    l.score,
                    l.note.as_deref().unwrap_or_default(),
                    l.shared.join(", ")
                ),
                (None, Some(l)) => {
                    let other = if l.from == r { l.to } else { l.from };
                    format!(
                        "score {:.2} with {}: {}",
                        l.score,
                        d.reports[other].id,
                        l.shared.join(", ")
                    )
                }
                (None, None) => "alone: no other report is close enough".to_string(),
            };
            let _ = writeln!(
                out,
                "  {}  {:<20} {}  ({why})",
                rep.date
                    .day()
                    .map_or_else(|| "undated   ".to_string(), |d| d.to_string()),
                rep.outlet.as_deref().unwrap_or("?"),
                rep.id
            );
        }
    }
    out
}

/// `dossier events --write`: writes each detected event's id into the `event:` key of its
/// reports that have none, keeping everything else in the files as it is.
fn pin_events(d: &Dossier) -> Result<usize, Vec<Diagnostic>> {
    let mut written = 0;
    let mut problems = Vec::new();
    for (i, r) in d.reports.iter().enumerate() {
        if r.event.is_some() {
            continue;
        }
        let Some(e) = d.event_of(i) else { continue };
        let text = match std::fs::read_to_string(&r.path) {
            Ok(t) => t,
            Err(err) => {
                problems.push(Diagnostic::error(
                    r.path.clone(),
                    format!("cannot be read: {err}"),
                ));
                continue;
            }
        };
        let at = match crate::load::frontmatter::split(&r.path, &text, true) {
            Ok(split) => split.close,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        let mut new = String::with_capacity(text.len() + e.id.len() + 8);
        new.push_str(&text[..at]);
        let pinned = ReportFront {
            event: Some(e.id.clone()),
            ..ReportFront::default()
        };
        new.push_str(&pinned.to_yaml());
        new.push_str(&text[at..]);
        if let Err(err) = crate::load::write::write_whole(&r.path, new.as_bytes()) {
            problems.push(Diagnostic::error(
                r.path.clone(),
                format!("cannot be written: {err}"),
            ));
            continue;
        }
        written += 1;
    }
    if problems.is_empty() {
        Ok(written)
    } else {
        Err(problems)
    }
}
