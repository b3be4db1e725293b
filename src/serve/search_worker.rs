//! The preview's search index: built by a thread of its own after each rebuild, off the
//! request path and the watcher's, and swapped in when ready.

use std::sync::Arc;
use std::time::Instant;

use super::rebuild::Cache;
use super::{Served, Snapshot};
use crate::diag::Diagnostics;

/// The preview renders pages without the search index, so they are served sooner; the index
/// of each new model is built by one thread of its own, off the request path and the
/// watcher's. One index is built at a time, always from the latest request (a burst of edits
/// costs one build more, not one per edit, and memory holds one index in the making); its
/// files are swapped in when ready, unless a newer rebuild (`jobs` counts them) has started
/// since. Until then the previous index stays served.
pub(super) struct SearchWorker {
    requests: std::sync::mpsc::Sender<(crate::render::search::Records, u64)>,
    jobs: Arc<std::sync::atomic::AtomicU64>,
}

impl SearchWorker {
    pub(super) fn start(shared: &Arc<Served>) -> SearchWorker {
        use std::sync::atomic::Ordering;
        let (requests, inbox) = std::sync::mpsc::channel::<(crate::render::search::Records, u64)>();
        let jobs = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let (shared, latest) = (Arc::clone(shared), Arc::clone(&jobs));
        let spawned = std::thread::Builder::new()
            .name("dossier-search".into())
            .spawn(move || {
                // The lowest priority (on Linux a nice value of 19, inherited by the threads it
                // starts): at 10,000 reports the index takes over 10 s of one core, and at the
                // same priority it slowed the rebuild after every edit by half or more on two
                // cores. Failing to lower it only leaves it as it was.
                let _ = thread_priority::set_current_thread_priority(
                    thread_priority::ThreadPriority::Min,
                );
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
                            let mut diags = Diagnostics::default();
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
    pub(super) fn next_job(&self) -> u64 {
        self.jobs.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1
    }

    /// After a rebuild (job `job`): the index of the new model.
    pub(super) fn refresh(&self, cache: &Cache, job: u64) {
        if cache.config.search {
            let records = crate::render::search::records(&cache.config, &cache.dossier);
            // The thread only stops with the watcher.
            let _ = self.requests.send((records, job));
        }
    }
}
