//! `dossier serve`: a local preview served from memory, rebuilt on every change, with the
//! browser reloaded by server-sent events.
//!
//! The site is rendered into memory (no output folder is written), so the server can only ever
//! answer with files of the site: there is no file system path to escape to. Requests with `..`
//! segments, in any encoding, are refused all the same.

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, Request, Response, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;

use crate::diag::Diagnostic;
use crate::load::config::Config;

const EVENTS_PATH: &str = "/__dossier/events";
const SCRIPT_PATH: &str = "/__dossier/live.js";
const LIVE_JS: &str = include_str!("live.js");

/// One version of the site as the server has it.
#[derive(Default)]
pub(crate) struct Snapshot {
    files: BTreeMap<String, Arc<[u8]>>,
    /// The problems of the latest build, when it failed; the files are then the last good build.
    error: Option<String>,
    generation: u64,
}

/// What a connected browser is told.
#[derive(Clone, Debug)]
enum Notice {
    Reload(u64),
    Error(String),
}

struct Shared {
    site: RwLock<Arc<Snapshot>>,
    notices: broadcast::Sender<Notice>,
    /// The path the site is mounted at: `/` for the preview.
    prefix: String,
    live_reload: bool,
}

impl Shared {
    fn snapshot(&self) -> Arc<Snapshot> {
        self.site
            .read()
            .map(|s| Arc::clone(&s))
            .unwrap_or_else(|p| Arc::clone(&p.into_inner()))
    }

    fn replace(&self, f: impl FnOnce(&Snapshot) -> Snapshot) -> Arc<Snapshot> {
        let mut guard = self.site.write().unwrap_or_else(|p| p.into_inner());
        let next = Arc::new(f(&guard));
        *guard = Arc::clone(&next);
        next
    }
}

/// A running server: its address, and the means to stop it.
pub struct Server {
    pub addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    shared: Arc<Shared>,
}

impl Server {
    /// The generation of the site being served: it grows by one with every successful rebuild.
    pub fn generation(&self) -> u64 {
        self.shared.snapshot().generation
    }

    /// The error of the latest build, if it failed.
    pub fn error(&self) -> Option<String> {
        self.shared.snapshot().error.clone()
    }

    /// Blocks until the server stops (Ctrl-C).
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Serves a fixed set of files under `prefix` (like `/russia-dprk/`) on a loopback port: how
/// tests look at a built site the way a host under a sub-path serves it.
pub fn serve_files(files: BTreeMap<String, Vec<u8>>, prefix: &str) -> std::io::Result<Server> {
    let listener = TcpListener::bind((IpAddr::from([127, 0, 0, 1]), 0))?;
    let snapshot = Snapshot {
        files: files.into_iter().map(|(k, v)| (k, Arc::from(v))).collect(),
        error: None,
        generation: 1,
    };
    start(listener, snapshot, normalize_prefix(prefix), false, None)
}

fn normalize_prefix(prefix: &str) -> String {
    let trimmed = prefix.trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    }
}

/// Options of `dossier serve`.
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
}

/// Builds the dossier at `root` into memory and serves it, rebuilding on every change.
pub fn preview(opts: &ServeOptions) -> Result<Server, Diagnostic> {
    let listener = TcpListener::bind((opts.bind, opts.port)).map_err(|e| {
        let d = Diagnostic::error(
            None,
            format!("cannot listen on {}:{}: {e}", opts.bind, opts.port),
        );
        if e.kind() == std::io::ErrorKind::AddrInUse {
            d.with_help(format!(
                "another program uses port {}: stop it, or run `dossier serve --port {}`",
                opts.port,
                opts.port.saturating_add(1)
            ))
        } else {
            d
        }
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| Diagnostic::error(None, format!("no local address: {e}")))?;
    let base_url = format!("http://{}/", display_addr(addr));
    // Absolute, so that the watcher's paths and the loaded reports' paths compare equal.
    let root = std::path::absolute(&opts.root).unwrap_or_else(|_| opts.root.clone());
    let (snapshot, cache) = match rebuild(&root, &base_url) {
        Ok((files, cache)) => (
            Snapshot {
                files,
                error: None,
                generation: 1,
            },
            Some(cache),
        ),
        Err(msg) => {
            eprint!("{msg}");
            let s = Snapshot {
                files: BTreeMap::new(),
                error: Some(msg),
                generation: 0,
            };
            (s, None)
        }
    };
    let watch = Watch {
        root,
        base_url,
        cache,
    };
    start(listener, snapshot, "/".into(), true, Some(watch))
        .map_err(|e| Diagnostic::error(None, format!("cannot start the server: {e}")))
}

fn display_addr(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        format!("127.0.0.1:{}", addr.port())
    } else {
        addr.to_string()
    }
}

type Files = BTreeMap<String, Arc<[u8]>>;

/// What a partial rebuild changes in the served site: files written anew, and files gone.
struct Partial {
    files: Files,
    removed: Vec<String>,
    /// Whether `dossier.json` changed: it is rendered after the reload, being slow.
    data_changed: bool,
    /// A report whose text changed the names it writes: its pages show the new text at once,
    /// with the names as they were; the model is analysed again after that reload (names come
    /// from every report, and that takes longer), and what changed is sent as a second one.
    then_analyse: Option<(usize, Box<crate::load::content::Report>)>,
}

/// Whether what the lists show of event `id` (its card) differs between two analyses.
fn card_changed(old: &crate::analyze::Dossier, next: &crate::analyze::Dossier, id: &str) -> bool {
    /// Title, dates, and the reports with their outlets.
    type Card<'a> = (
        &'a str,
        chrono::NaiveDate,
        chrono::NaiveDate,
        Vec<(&'a str, Option<&'a str>)>,
    );
    fn card<'a>(d: &'a crate::analyze::Dossier, id: &str) -> Option<Card<'a>> {
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

/// One report's metadata changed (title, date, outlet, event, …), or its text changed the names
/// it writes: re-analyse, then re-render what [`report_pages`] and [`entity_pages`] find
/// affected. `None` when events or outlets appear or disappear: pages would have to be
/// removed, and the whole site is rebuilt instead.
fn rebuild_report_metadata(
    cache: &mut Cache,
    old_index: usize,
    new: crate::load::content::Report,
) -> Option<Result<Partial, String>> {
    let old = &cache.dossier;
    let id = new.id.clone();
    let mut corpus = old.to_corpus();
    corpus.reports[old_index] = new;
    let mut diags = crate::Diagnostics::default();
    let (next, memo) =
        crate::analyze::analyze_memo(corpus, &cache.config, &mut diags, Some((old, &cache.memo)));
    let ids = |d: &crate::analyze::Dossier| -> (Vec<String>, Vec<String>) {
        let mut e: Vec<String> = d.events.iter().map(|e| e.id.clone()).collect();
        let mut o: Vec<String> = d.outlets.iter().map(|o| o.slug.clone()).collect();
        e.sort();
        o.sort();
        (e, o)
    };
    if ids(old) != ids(&next) {
        return None;
    }
    let &new_index = next.report_index.get(&id)?;
    let mut pages = report_pages(old, old_index, &next, new_index);
    // Entities come from every report's text: an edit that adds or drops a name changes pages
    // across the site.
    let (entity_pages, removed) = entity_pages(old, &next);
    if !entity_pages.is_empty() {
        // The briefing names speakers in what its events' reports agree on.
        pages.push(crate::render::Page::Briefing);
    }
    pages.extend(entity_pages);
    if !removed.is_empty() || old.entities.list.len() != next.entities.list.len() {
        pages.push(crate::render::Page::Sitemap);
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
        cache.memo = memo;
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
    let names_changed = runs.first() != Some(cache.memo.runs(i));
    let later = names_changed.then(|| (i, Box::new(edited.clone())));
    let previous = std::mem::replace(&mut cache.dossier.reports[i], edited);
    let d = &cache.dossier;
    // What shows a report's text: its page, its event's page (which compares the statements of
    // its reports), and the feed (summaries of the latest reports). Cards show no text.
    let mut pages = vec![Page::Report(i), Page::Atom];
    pages.extend(d.event_of[i].map(Page::Event));
    if briefing_shows(d, i, d, i) {
        pages.push(Page::Briefing);
    }
    let files = render_into_memory(
        &cache.config,
        &cache.theme,
        d,
        &crate::render::Scope::Pages(pages),
        crate::Diagnostics::default(),
    );
    if files.is_err() || names_changed {
        // The last good build stays served, and so does the model it was made from; or the
        // model waits for its re-analysis, which compares the old names with the new.
        cache.dossier.reports[i] = previous;
    }
    files.map(|files| Partial {
        files,
        removed: Vec::new(),
        data_changed: false,
        then_analyse: later,
    })
}

/// The pages that show report `old_index` of `old`, which is now `new_index` of `next`: the
/// report, the events it left or joined with their reports and (when an event's card changed)
/// its neighbours in time, related events, names and outlets; and the lists.
fn report_pages(
    old: &crate::analyze::Dossier,
    old_index: usize,
    next: &crate::analyze::Dossier,
    new_index: usize,
) -> Vec<crate::render::Page> {
    use crate::render::Page;
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
            .filter(|&&n| crate::render::entity_shows_report(next, n, new_index))
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
        // Its page and its reports' pages list the edited report.
        pages.push(Page::Event(e));
        pages.extend(next.events[e].reports.iter().map(|&r| Page::Report(r)));
        if card_changed(old, next, eid) {
            // The pages of its names list its card, and so do related events.
            pages.extend(
                (next.entities.of_event[e].iter())
                    .filter(|&&n| crate::render::entity_shows_event(next, n, e))
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
        pages.push(Page::Sitemap);
    }
    for o in outlets.into_iter().flatten() {
        // Old and new outlet indices agree: the outlet set is unchanged and sorted by slug.
        pages.push(Page::Outlet(o));
    }
    pages
}

/// Whether the site's briefing page changes when report `old_index` of `old` becomes
/// `new_index` of `next`: it shows the latest reports in full, and their events.
fn briefing_shows(
    old: &crate::analyze::Dossier,
    old_index: usize,
    next: &crate::analyze::Dossier,
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
fn entity_pages(
    old: &crate::analyze::Dossier,
    next: &crate::analyze::Dossier,
) -> (Vec<crate::render::Page>, Vec<String>) {
    use crate::render::{Page, NAMES_SHOWN};
    let (a, b) = (&old.entities, &next.entities);
    if a == b {
        return (Vec::new(), Vec::new());
    }
    // Names as pages show them: name and slug, the first few.
    let same_names = |x: &[usize], y: &[usize]| {
        let x = &x[..x.len().min(NAMES_SHOWN)];
        let y = &y[..y.len().min(NAMES_SHOWN)];
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
        if !same_names(&a.of_report[i], &b.of_report[j]) {
            pages.push(Page::Report(j));
        }
    }
    for (j, e) in next.events.iter().enumerate() {
        let Some(&i) = old.event_index.get(&e.id) else {
            continue;
        };
        if !same_names(&a.of_event[i], &b.of_event[j]) || related(old, i) != related(next, j) {
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
    let after: std::collections::HashSet<&str> = b.list.iter().map(|e| e.slug.as_str()).collect();
    let removed = a
        .list
        .iter()
        .enumerate()
        .filter(|(_, e)| !after.contains(e.slug.as_str()))
        .map(|(i, _)| Page::Entity(i).output_path(old))
        .collect();
    (pages, removed)
}

/// What an event page shows of its related events: their ids, and the first names they share.
fn related(d: &crate::analyze::Dossier, k: usize) -> Vec<(&str, Vec<&str>)> {
    d.entities.related[k]
        .iter()
        .map(|(o, shared)| {
            let names = shared.iter().take(5);
            let names = names.map(|&n| d.entities.list[n].name.as_str());
            (d.events[*o].id.as_str(), names.collect())
        })
        .collect()
}

/// What an entity's page shows: its name, and the reports and events it lists.
fn listed(d: &crate::analyze::Dossier, k: usize) -> (&str, Vec<&str>, Vec<&str>) {
    let e = &d.entities.list[k];
    let reports = e.reports.iter().map(|&r| d.reports[r].id.as_str());
    let events = e.events.iter().map(|&v| d.events[v].id.as_str());
    (e.name.as_str(), reports.collect(), events.collect())
}

/// What the preview keeps of the last good build, to re-render only what an edit changes.
struct Cache {
    config: Config,
    /// Loaded once per full rebuild, which every edit of a template, an asset or site.toml makes.
    theme: crate::render::Theme,
    dossier: crate::analyze::Dossier,
    memo: crate::analyze::Memo,
}

/// Renders `scope` of the site into memory; the errors, as the overlay shows them, on failure.
fn render_into_memory(
    config: &Config,
    theme: &crate::render::Theme,
    dossier: &crate::analyze::Dossier,
    scope: &crate::render::Scope,
    mut diags: crate::Diagnostics,
) -> Result<Files, String> {
    let sink = crate::MemorySink::default();
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
fn errors_only(diags: &crate::Diagnostics) -> String {
    let mut errors = crate::Diagnostics::default();
    errors.extend(
        diags
            .sorted()
            .into_iter()
            .filter(|d| d.severity == crate::Severity::Error)
            .cloned(),
    );
    errors.report()
}

/// Renders the whole dossier into memory for the preview address; the problems on failure.
fn rebuild(root: &Path, base_url: &str) -> Result<(Files, Cache), String> {
    let mut config = Config::load(root).map_err(|ds| {
        let mut d = crate::Diagnostics::default();
        d.extend(ds);
        d.report()
    })?;
    config.base_url = base_url.to_string();
    let mut diags = crate::Diagnostics::default();
    let corpus = crate::load::content::load(&config.content_dir(), &mut diags);
    let (dossier, memo) = crate::analyze::analyze_memo(corpus, &config, &mut diags, None);
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
        memo,
    };
    Ok((files, cache))
}

/// The common edit, fast: when a burst of saves changed only the text of existing reports
/// (no title, date, outlet, event or other metadata), only their pages and the feed change.
/// `None` when the edit is anything else, and the whole site must be rebuilt.
fn rebuild_report_bodies(
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

/// What a rebuild produced: some pages, or the whole site (its model now in the cache).
enum Update {
    Partial(Partial),
    Everything(Files),
}

/// The pages a partial rebuild made, or, when there was none (`None`), the whole site
/// rebuilt into memory, its model kept for the next edit.
fn partial_or_full(
    partial: Option<Result<Partial, String>>,
    w: &mut Watch,
) -> Result<Update, String> {
    match partial {
        Some(partial) => partial.map(Update::Partial),
        None => rebuild(&w.root, &w.base_url).map(|(files, cache)| {
            w.cache = Some(cache);
            Update::Everything(files)
        }),
    }
}

/// Serves what a rebuild produced and tells the browsers; on failure, keeps the last good build
/// and shows the error. Then brings `dossier.json` and, when given a job, the search index up
/// to date.
fn publish(
    shared: &Shared,
    w: &Watch,
    outcome: Result<Update, String>,
    started: Instant,
    search: Option<(&SearchWorker, u64)>,
) {
    match outcome {
        Ok(update) => {
            let (files, partial) = match update {
                Update::Partial(p) => (p.files, Some((p.removed, p.data_changed))),
                Update::Everything(files) => (files, None),
            };
            let what = match &partial {
                Some((removed, _)) => {
                    format!("{} files ({} removed)", files.len(), removed.len())
                }
                None => "the whole site".to_string(),
            };
            let data_changed = partial.as_ref().is_some_and(|&(_, data)| data);
            let next = shared.replace(|old| {
                let files = match partial {
                    Some((removed, _)) => {
                        let mut all = old.files.clone();
                        for path in &removed {
                            all.remove(path);
                        }
                        all.extend(files);
                        all
                    }
                    None => {
                        // The last index stays until the worker brings the new one.
                        let mut all = files;
                        let dir = format!("{}/", crate::render::search::DIR);
                        all.extend(
                            (old.files.iter())
                                .filter(|(path, _)| path.starts_with(&dir))
                                .map(|(path, f)| (path.clone(), Arc::clone(f))),
                        );
                        all
                    }
                };
                Snapshot {
                    files,
                    error: None,
                    generation: old.generation + 1,
                }
            });
            println!("Rebuilt {what} in {} ms", started.elapsed().as_millis());
            let _ = shared.notices.send(Notice::Reload(next.generation));
            // dossier.json comes after the reload: no page shows it.
            if let (true, Some(cache)) = (data_changed, &w.cache) {
                let data = render_into_memory(
                    &cache.config,
                    &cache.theme,
                    &cache.dossier,
                    &crate::render::Scope::Data,
                    crate::Diagnostics::default(),
                );
                match data {
                    Ok(data) => {
                        shared.replace(|old| {
                            let mut files = old.files.clone();
                            files.extend(data);
                            Snapshot {
                                files,
                                error: old.error.clone(),
                                generation: old.generation,
                            }
                        });
                    }
                    Err(msg) => eprint!("{msg}"),
                }
            }
            if let (Some(cache), Some((search, job))) = (&w.cache, search) {
                search.refresh(cache, job);
            }
        }
        Err(msg) => {
            eprint!("{msg}");
            eprintln!("Still serving the last good build; fix the file and save it again.");
            shared.replace(|old| Snapshot {
                files: old.files.clone(),
                error: Some(msg.clone()),
                generation: old.generation,
            });
            let _ = shared.notices.send(Notice::Error(msg));
        }
    }
}

struct Watch {
    root: PathBuf,
    base_url: String,
    cache: Option<Cache>,
}

fn start(
    listener: TcpListener,
    snapshot: Snapshot,
    prefix: String,
    live_reload: bool,
    watch: Option<Watch>,
) -> std::io::Result<Server> {
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let (notices, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        site: RwLock::new(Arc::new(snapshot)),
        notices,
        prefix,
        live_reload,
    });
    let (shutdown_tx, shutdown_rx) = tokio::sync::oneshot::channel::<()>();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let app = Router::new()
        .route(EVENTS_PATH, get(events))
        .route(SCRIPT_PATH, get(script))
        .fallback(file)
        .with_state(Arc::clone(&shared));
    let watcher_shared = Arc::clone(&shared);
    let thread = std::thread::Builder::new()
        .name("dossier-serve".into())
        .spawn(move || {
            runtime.block_on(async move {
                let _watcher = match watch {
                    Some(w) => match watch_and_rebuild(w, watcher_shared) {
                        Ok(d) => Some(d),
                        Err(e) => {
                            eprintln!("error: cannot watch for changes: {e}");
                            None
                        }
                    },
                    None => None,
                };
                let listener = match tokio::net::TcpListener::from_std(listener) {
                    Ok(l) => l,
                    Err(e) => {
                        eprintln!("error: cannot listen: {e}");
                        return;
                    }
                };
                let stop = async move {
                    tokio::select! {
                        _ = shutdown_rx => {}
                        _ = tokio::signal::ctrl_c() => {}
                    }
                };
                if let Err(e) = axum::serve(listener, app)
                    .with_graceful_shutdown(stop)
                    .await
                {
                    eprintln!("error: the server stopped: {e}");
                }
            });
        })?;
    Ok(Server {
        addr,
        shutdown: Some(shutdown_tx),
        thread: Some(thread),
        shared,
    })
}

/// The preview renders pages without the search index, so they are served sooner; the index
/// of each new model is built by one thread of its own, off the request path and the
/// watcher's. One index is built at a time, always from the latest request (a burst of edits
/// costs one build more, not one per edit, and memory holds one index in the making); its
/// files are swapped in when ready, unless a newer rebuild (`jobs` counts them) has started
/// since. Until then the previous index stays served.
struct SearchWorker {
    requests: std::sync::mpsc::Sender<(crate::render::search::Records, u64)>,
    jobs: Arc<std::sync::atomic::AtomicU64>,
}

impl SearchWorker {
    fn start(shared: &Arc<Shared>) -> SearchWorker {
        use std::sync::atomic::Ordering;
        let (requests, inbox) = std::sync::mpsc::channel::<(crate::render::search::Records, u64)>();
        let jobs = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let (shared, latest) = (Arc::clone(shared), Arc::clone(&jobs));
        let spawned = std::thread::Builder::new()
            .name("dossier-search".into())
            .spawn(move || {
                while let Ok(mut request) = inbox.recv() {
                    // Only the latest request matters.
                    while let Ok(newer) = inbox.try_recv() {
                        request = newer;
                    }
                    let (records, job) = request;
                    if latest.load(Ordering::SeqCst) != job {
                        continue;
                    }
                    let started = Instant::now();
                    let files = match crate::render::search::build_with(records, 1) {
                        Ok(files) => files,
                        Err(d) => {
                            let mut diags = crate::Diagnostics::default();
                            diags.push(d);
                            eprint!("{}", diags.report());
                            continue;
                        }
                    };
                    let mut swapped = false;
                    shared.replace(|old| {
                        let mut all = old.files.clone();
                        // Checked under the site's lock: a newer rebuild swaps in after this, or
                        // not at all.
                        if latest.load(Ordering::SeqCst) == job {
                            let dir = format!("{}/", crate::render::search::DIR);
                            all.retain(|path, _| !path.starts_with(&dir));
                            all.extend(files.into_iter().map(|(k, v)| (k, Arc::from(v))));
                            swapped = true;
                        }
                        Snapshot {
                            files: all,
                            error: old.error.clone(),
                            generation: old.generation,
                        }
                    });
                    if swapped {
                        println!(
                            "Rebuilt the search index in {} ms",
                            started.elapsed().as_millis()
                        );
                    }
                }
            });
        if let Err(e) = spawned {
            eprintln!("error: cannot start the search index's thread: {e}");
        }
        SearchWorker { requests, jobs }
    }

    /// A rebuild starts: whatever index is in the making is stale.
    fn next_job(&self) -> u64 {
        self.jobs.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1
    }

    /// After a rebuild (job `job`): the index of the new model.
    fn refresh(&self, cache: &Cache, job: u64) {
        if cache.config.search {
            let records = crate::render::search::records(&cache.config, &cache.dossier);
            // The thread only stops with the watcher.
            let _ = self.requests.send((records, job));
        }
    }
}

/// Watches the dossier's sources; each settled burst of changes triggers one rebuild.
fn watch_and_rebuild(
    mut w: Watch,
    shared: Arc<Shared>,
) -> notify_debouncer_full::notify::Result<
    notify_debouncer_full::Debouncer<
        notify_debouncer_full::notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
> {
    use notify_debouncer_full::notify::RecursiveMode;
    let root = w.root.clone();
    let sources: Vec<PathBuf> = ["content", "templates", "static"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    let config_file = root.join(crate::load::config::CONFIG_FILE);
    let relevant = {
        let sources = sources.clone();
        let config_file = config_file.clone();
        move |p: &Path| {
            p == config_file
                || sources.iter().any(|s| p.starts_with(s))
                    && !p
                        .file_name()
                        .map(|n| n.to_string_lossy().starts_with('.'))
                        .unwrap_or(false)
        }
    };
    let search = SearchWorker::start(&shared);
    // The first build served its pages without the index.
    if let Some(cache) = &w.cache {
        search.refresh(cache, search.next_job());
    }
    let mut debouncer = notify_debouncer_full::new_debouncer(
        Duration::from_millis(80),
        None,
        move |result: notify_debouncer_full::DebounceEventResult| {
            let Ok(events) = result else { return };
            // Only changes count: reading a file (as every rebuild does) raises access events,
            // and rebuilding on those would loop forever.
            let changes = events
                .iter()
                .filter(|e| e.kind.is_create() || e.kind.is_modify() || e.kind.is_remove());
            let changed: std::collections::BTreeSet<PathBuf> = changes
                .flat_map(|e| e.paths.iter())
                .filter(|p| relevant(p))
                .cloned()
                .collect();
            if changed.is_empty() {
                return;
            }
            let changed: Vec<PathBuf> = changed.into_iter().collect();
            let started = Instant::now();
            let search_job = search.next_job();
            // The fast path only from a good state: after a failed build, other files may be broken.
            let healthy = shared.snapshot().error.is_none();
            let mut fast = match w.cache.as_mut() {
                Some(cache) if healthy => rebuild_report_bodies(cache, &changed),
                _ => None,
            };
            let then_analyse = match &mut fast {
                Some(Ok(partial)) => partial.then_analyse.take(),
                _ => None,
            };
            let outcome = partial_or_full(fast, &mut w);
            let then_search = then_analyse.is_none();
            publish(
                &shared,
                &w,
                outcome,
                started,
                then_search.then_some((&search, search_job)),
            );
            if let Some((i, report)) = then_analyse {
                // The names the edited text writes: the model analysed again.
                let started = Instant::now();
                let search_job = search.next_job();
                let second = w
                    .cache
                    .as_mut()
                    .and_then(|cache| rebuild_report_metadata(cache, i, *report));
                let outcome = partial_or_full(second, &mut w);
                publish(&shared, &w, outcome, started, Some((&search, search_job)));
            }
        },
    )?;
    debouncer.watch(&root, RecursiveMode::NonRecursive)?;
    for s in &sources {
        if s.is_dir() {
            debouncer.watch(s, RecursiveMode::Recursive)?;
        }
    }
    Ok(debouncer)
}

async fn events(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let rx = shared.notices.subscribe();
    let stream = BroadcastStream::new(rx).filter_map(|n| {
        let ev = match n.ok()? {
            Notice::Reload(g) => SseEvent::default().event("reload").data(g.to_string()),
            Notice::Error(msg) => SseEvent::default()
                .event("problem")
                .data(msg.replace('\r', "")),
        };
        Some(Ok::<_, std::convert::Infallible>(ev))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        LIVE_JS,
    )
}

/// Answers a request for a file of the site.
async fn file(State(shared): State<Arc<Shared>>, req: Request<Body>) -> Response<Body> {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
    }
    let raw = req.uri().path();
    let Ok(decoded) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
        return plain(StatusCode::BAD_REQUEST, "the path is not valid UTF-8");
    };
    if decoded
        .split(['/', '\\'])
        .any(|seg| seg == ".." || seg == ".")
        || decoded.contains('\0')
        || decoded.contains('\\')
    {
        return plain(StatusCode::FORBIDDEN, "paths outside the site are refused");
    }
    let site = shared.snapshot();
    let rel = match decoded.strip_prefix(shared.prefix.as_str()) {
        Some(rel) => rel,
        // `/russia-dprk` without its slash.
        None if format!("{decoded}/") == shared.prefix => return redirect(&shared.prefix),
        None => return not_found(&shared, &site),
    };
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    match site.files.get(&key) {
        Some(bytes) => respond(&shared, &site, &key, bytes, StatusCode::OK),
        None if site.files.contains_key(&format!("{key}/index.html")) => {
            redirect(&format!("{raw}/"))
        }
        None => not_found(&shared, &site),
    }
}

fn not_found(shared: &Shared, site: &Snapshot) -> Response<Body> {
    match site.files.get("404.html") {
        Some(bytes) => respond(shared, site, "404.html", bytes, StatusCode::NOT_FOUND),
        None if site.error.is_some() => {
            let page: Arc<[u8]> = Arc::from(b"<!doctype html><html><head><meta charset=\"utf-8\"><title>dossier</title></head><body></body></html>".to_vec());
            respond(
                shared,
                site,
                "index.html",
                &page,
                StatusCode::SERVICE_UNAVAILABLE,
            )
        }
        None => plain(StatusCode::NOT_FOUND, "not found"),
    }
}

fn redirect(to: &str) -> Response<Body> {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::MOVED_PERMANENTLY;
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut r = Response::new(Body::from(text));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

fn content_type(path: &str) -> String {
    if path.ends_with("atom.xml") {
        return "application/atom+xml; charset=utf-8".into();
    }
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    match mime.type_() {
        mime_guess::mime::TEXT => format!("{}; charset=utf-8", mime.essence_str()),
        _ if mime.essence_str() == "application/javascript"
            || mime.essence_str() == "application/json" =>
        {
            format!("{}; charset=utf-8", mime.essence_str())
        }
        _ => mime.essence_str().to_string(),
    }
}

fn respond(
    shared: &Shared,
    site: &Snapshot,
    path: &str,
    bytes: &Arc<[u8]>,
    status: StatusCode,
) -> Response<Body> {
    let is_html = path.ends_with(".html");
    let body = if is_html && shared.live_reload {
        Body::from(inject(bytes, site.error.as_deref()))
    } else {
        Body::from(bytes.to_vec())
    };
    let mut r = Response::new(body);
    *r.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(&content_type(path)) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Adds the live-reload script (and the current error, if any) before `</body>`.
fn inject(page: &[u8], error: Option<&str>) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    let error_json = serde_json::to_string(&error)
        .unwrap_or_else(|_| "null".into())
        .replace("</", "<\\/");
    let snippet = format!(
        "<script>window.__dossierProblem = {error_json};</script><script src=\"{SCRIPT_PATH}\" data-events=\"{EVENTS_PATH}\"></script>"
    );
    match text.rfind("</body>") {
        Some(i) => format!("{}{}{}", &text[..i], snippet, &text[i..]).into_bytes(),
        None => format!("{text}{snippet}").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_normalized() {
        assert_eq!(normalize_prefix(""), "/");
        assert_eq!(normalize_prefix("russia-dprk"), "/russia-dprk/");
        assert_eq!(normalize_prefix("/russia-dprk/"), "/russia-dprk/");
    }

    #[test]
    fn content_types_carry_a_charset_for_text() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("atom.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            content_type("dossier.json"),
            "application/json; charset=utf-8"
        );
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
    }

    #[test]
    fn the_script_goes_before_the_body_end() {
        let out = String::from_utf8(inject(
            b"<html><body><p>x</p></body></html>",
            Some("bad </script>"),
        ))
        .unwrap_or_default();
        assert!(out.ends_with("</script></body></html>"), "{out}");
        assert!(out.contains("\"bad <\\/script>\""), "{out}");
    }
}
