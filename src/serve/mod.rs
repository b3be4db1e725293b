//! Serve: `dossier serve`'s local preview, served from memory, rebuilt on every change, with the
//! browser reloaded by server-sent events.
//!
//! In: the dossier's folder, watched. Out: HTTP answers on a loopback port (`http`), rebuilt by
//! `watch` through `rebuild` (whole, or only the pages `invalidate` finds an edit changes) and
//! `search_worker` (the index, in the background).
//!
//! The site is rendered into memory (no output folder is written), so the server can only ever
//! answer with files of the site: there is no file system path to escape to. Requests with `..`
//! segments, in any encoding, are refused all the same.

mod http;
mod invalidate;
mod rebuild;
mod search_worker;
mod watch;

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use tokio::sync::broadcast;

use crate::diag::Diagnostic;
use rebuild::rebuild;
use watch::{watch_and_rebuild, Watch};

/// One version of the site as the server has it.
#[derive(Default)]
pub(crate) struct Snapshot {
    pub(super) files: BTreeMap<String, Arc<[u8]>>,
    /// The problems of the latest build, when it failed; the files are then the last good build.
    pub(super) error: Option<String>,
    pub(super) generation: u64,
}

/// What a connected browser is told.
#[derive(Clone, Debug)]
enum Notice {
    Reload(u64),
    Error(String),
}

/// What the server's threads share: the site being served, and the browsers to notify.
struct Served {
    site: RwLock<Arc<Snapshot>>,
    notices: broadcast::Sender<Notice>,
    /// The path the site is mounted at: `/` for the preview.
    prefix: String,
    live_reload: bool,
}

impl Served {
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
    shared: Arc<Served>,
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
    let shared = Arc::new(Served {
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
    let app = http::router(Arc::clone(&shared));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_normalized() {
        assert_eq!(normalize_prefix(""), "/");
        assert_eq!(normalize_prefix("russia-dprk"), "/russia-dprk/");
        assert_eq!(normalize_prefix("/russia-dprk/"), "/russia-dprk/");
    }
}
