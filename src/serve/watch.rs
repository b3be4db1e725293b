//! The preview's watcher: each settled burst of changes to the dossier's sources triggers one
//! rebuild, whose result is served and announced to the browsers.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::rebuild::{
    rebuild, rebuild_report_bodies, rebuild_report_metadata, render_into_memory, Cache, Partial,
    Update,
};
use super::search_worker::SearchWorker;
use super::{Notice, Served, Snapshot};
use crate::diag::Diagnostics;

pub(super) struct Watch {
    pub(super) root: PathBuf,
    pub(super) base_url: String,
    pub(super) cache: Option<Cache>,
}

/// Watches the dossier's sources; each settled burst of changes triggers one rebuild.
pub(super) fn watch_and_rebuild(
    mut w: Watch,
    shared: Arc<Served>,
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

/// Serves what a rebuild produced and tells the browsers; on failure, keeps the last good build
/// and shows the error. Then brings `dossier.json` and, when given a job, the search index up
/// to date.
fn publish(
    shared: &Served,
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
                    &crate::render::Scope::DossierJson,
                    Diagnostics::default(),
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
