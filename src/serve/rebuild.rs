//! The preview's rebuilds: the whole site into memory, or, for an edit of one report, only the
//! pages it changes (`invalidate`), from the model kept since the last good build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::invalidate::{briefing_shows, entity_pages, report_pages};
use crate::diag::{Diagnostics, Severity};
use crate::load::config::Config;

pub(super) type Files = BTreeMap<String, Arc<[u8]>>;

/// What a partial rebuild changes in the served site: files written anew, and files gone.
pub(super) struct Partial {
    pub(super) files: Files,
    pub(super) removed: Vec<String>,
    /// Whether `dossier.json` changed: it is rendered after the reload, being slow.
    pub(super) data_changed: bool,
    /// A report whose text changed the names it writes: its pages show the new text at once,
    /// with the names as they were; the model is analysed again after that reload (names come
    /// from every report, and that takes longer), and what changed is sent as a second one.
    pub(super) then_analyse: Option<(usize, Box<crate::load::content::Report>)>,
}

/// What the preview keeps of the last good build, to re-render only what an edit changes.
pub(super) struct Cache {
    pub(super) config: Config,
    /// Loaded once per full rebuild, which every edit of a template, an asset or site.toml makes.
    pub(super) theme: crate::render::Theme,
    pub(super) dossier: crate::analyze::Dossier,
    pub(super) readings: crate::analyze::Readings,
}

/// Renders the whole dossier into memory for the preview address; the problems on failure.
pub(super) fn rebuild(root: &Path, base_url: &str) -> Result<(Files, Cache), String> {
    let mut config = Config::load(root).map_err(|ds| {
        let mut d = Diagnostics::default();
        d.extend(ds);
        d.report()
    })?;
    config.base_url = base_url.to_string();
    let mut diags = Diagnostics::default();
    let corpus = crate::load::content::load(&config.content_dir(), &mut diags);
    let (dossier, readings) = crate::analyze::analyze_reusing(corpus, &config, &mut diags, None);
    // The search index comes after, from the search worker: pages first.
    let scope = crate::render::Scope::EverythingButIndex;
    let Some(theme) = crate::render::Theme::load(&config, &mut diags) else {
        return Err(errors_only(&diags));
    };
    let files = render_into_memory(&config, &theme, &dossier, &scope, diags)?;
    let cache = Cache {
        config,
        theme,
        dossier,
        readings,
    };
    Ok((files, cache))
}

/// The common edit, fast: when a burst of saves changed only the text of existing reports
/// (no title, date, outlet, event or other metadata), only their pages and the feed change.
/// `None` when the edit is anything else, and the whole site must be rebuilt.
pub(super) fn rebuild_report_bodies(
    cache: &mut Cache,
    changed: &[PathBuf],
) -> Option<Result<Partial, String>> {
    let reports_dir = cache.config.content_dir().join("reports");
    if cache.config.events.detect && cache.dossier.reports.iter().any(|r| r.event.is_none()) {
        // Events are detected from the reports' text: any edit may regroup any of them.
        return None;
    }
    let mut edits = Vec::new();
    for path in changed {
        if !path.starts_with(&reports_dir) || path.extension().is_none_or(|e| e != "md") {
            return None;
        }
        let bytes = std::fs::read(path).ok()?;
        let mut new = crate::load::content::parse_report(path, &bytes).ok()?;
        let &i = cache.dossier.report_index.get(&new.id)?;
        let old = &cache.dossier.reports[i];
        let body = std::mem::replace(&mut new.body, old.body.clone());
        let body_line = std::mem::replace(&mut new.body_line, old.body_line);
        if new != *old {
            if changed.len() != 1 {
                return None;
            }
            new.body = body;
            new.body_line = body_line;
            return rebuild_report_metadata(cache, i, new);
        }
        edits.push((i, body, body_line));
    }
    // The text of one report changed: its event compares its reports' statements, and the
    // names it writes may change (not for a burst of several: the whole site is rebuilt).
    match edits.as_slice() {
        [] => Some(Ok(Partial {
            files: Files::new(),
            removed: Vec::new(),
            data_changed: false,
            then_analyse: None,
        })),
        [(i, body, body_line)] => Some(rebuild_report_text(cache, *i, body.clone(), *body_line)),
        _ => None,
    }
}

/// One report's metadata changed (title, date, outlet, event, …), or its text changed the names
/// it writes: re-analyse, then re-render what [`report_pages`] and [`entity_pages`] find
/// affected. `None` when events or outlets appear or disappear: pages would have to be
/// removed, and the whole site is rebuilt instead.
pub(super) fn rebuild_report_metadata(
    cache: &mut Cache,
    old_index: usize,
    new: crate::load::content::Report,
) -> Option<Result<Partial, String>> {
    let old = &cache.dossier;
    let id = new.id.clone();
    let mut corpus = old.to_corpus();
    corpus.reports[old_index] = new;
    let mut diags = Diagnostics::default();
    let (next, readings) = crate::analyze::analyze_reusing(
        corpus,
        &cache.config,
        &mut diags,
        Some((old, &cache.readings)),
    );
    let ids = |d: &crate::analyze::Dossier| -> (Vec<String>, Vec<String>) {
        // An event's comparison page comes and goes with its second report.
        let mut e: Vec<String> = (d.events.iter().enumerate())
            .map(|(i, e)| format!("{} {}", e.id, crate::render::compare::has_page(d, i)))
            .collect();
        let mut o: Vec<String> = d.outlets.iter().map(|o| o.slug.clone()).collect();
        e.sort();
        o.sort();
        (e, o)
    };
    // A sitemap part comes and goes with the site's size.
    let sitemaps = crate::render::pages::sitemaps;
    if ids(old) != ids(&next) || sitemaps(&cache.config, old) != sitemaps(&cache.config, &next) {
        return None;
    }
    let &new_index = next.report_index.get(&id)?;
    let mut pages = report_pages(&cache.config, old, old_index, &next, new_index);
    // Entities come from every report's text: an edit that adds or drops a name changes pages
    // across the site.
    let (entity_pages, removed) = entity_pages(old, &next);
    if !entity_pages.is_empty() {
        // The briefing names speakers in what its events' reports agree on.
        pages.push(crate::render::Page::Briefing);
    }
    pages.extend(entity_pages);
    if !removed.is_empty() || old.entities.list.len() != next.entities.list.len() {
        pages.extend(sitemaps(&cache.config, &next));
    }
    pages.sort();
    pages.dedup();
    let files = render_into_memory(
        &cache.config,
        &cache.theme,
        &next,
        &crate::render::Scope::Pages(pages),
        diags,
    );
    if files.is_ok() {
        cache.dossier = next;
        cache.readings = readings;
    }
    Some(files.map(|files| Partial {
        files,
        removed,
        data_changed: true,
        then_analyse: None,
    }))
}

/// The most common edit, fastest: the text of report `i` changed. Nothing else in the model
/// depends on a report's text but the names it writes (events are given, not detected, on this
/// path), so the report is edited in place, without re-analysis, and only the pages that show
/// its text are rendered. When its names changed, those pages still show the new text at once,
/// with the names as they were, and the model goes back to the old text until
/// `then_analyse` re-analyses it.
fn rebuild_report_text(
    cache: &mut Cache,
    i: usize,
    body: std::sync::Arc<str>,
    body_line: usize,
) -> Result<Partial, String> {
    use crate::render::Page;
    let mut edited = cache.dossier.reports[i].clone();
    edited.body = body;
    edited.body_line = body_line;
    let runs = crate::analyze::entities::runs_of(std::slice::from_ref(&edited));
    let names_changed = runs.first() != Some(cache.readings.runs_of(i));
    let later = names_changed.then(|| (i, Box::new(edited.clone())));
    let previous = std::mem::replace(&mut cache.dossier.reports[i], edited);
    // Its event's statements, as stories compared them, are of the old text.
    if let Some(e) = cache.dossier.event_of[i] {
        cache.dossier.stories.agreements.remove(&e);
    }
    let d = &cache.dossier;
    // What shows a report's text: its page, its event's page and comparison (which compare the
    // statements of its reports), and the feed (summaries of the latest reports). Cards show no text.
    let mut pages = vec![Page::Report(i), Page::Atom];
    pages.extend(d.event_of[i].into_iter().flat_map(|e| Page::of_event(d, e)));
    if briefing_shows(d, i, d, i) {
        pages.push(Page::Briefing);
    }
    let files = render_into_memory(
        &cache.config,
        &cache.theme,
        d,
        &crate::render::Scope::Pages(pages),
        Diagnostics::default(),
    );
    if files.is_err() || names_changed {
        // The last good build stays served, and so does the model it was made from; or the
        // model waits for its re-analysis, which compares the old names with the new.
        cache.dossier.reports[i] = previous;
    }
    files.map(|files| Partial {
        files,
        removed: Vec::new(),
        // The statements of dossier.json and the sources page come from the text.
        data_changed: true,
        then_analyse: later,
    })
}

/// Renders `scope` of the site into memory; the errors, as the overlay shows them, on failure.
pub(super) fn render_into_memory(
    config: &Config,
    theme: &crate::render::Theme,
    dossier: &crate::analyze::Dossier,
    scope: &crate::render::Scope,
    mut diags: Diagnostics,
) -> Result<Files, String> {
    let sink = crate::render::MemorySink::default();
    crate::render::render_with(config, theme, dossier, scope, &sink, &mut diags);
    if diags.has_errors() {
        return Err(errors_only(&diags));
    }
    Ok(sink
        .into_files()
        .into_iter()
        .map(|(k, v)| (k, Arc::from(v)))
        .collect())
}

/// The errors of a run, as the terminal and the overlay show them; warnings are for `check`.
fn errors_only(diags: &Diagnostics) -> String {
    let mut errors = Diagnostics::default();
    errors.extend(
        diags
            .sorted()
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .cloned(),
    );
    errors.report()
}

/// What a rebuild produced: some pages, or the whole site (its model now in the cache).
pub(super) enum Update {
    Partial(Partial),
    Everything(Files),
}
