//! The writer: the only part of dossier that touches the output folder.
//!
//! A build renders into a staging folder beside the output and swaps it in only when the
//! whole build succeeded, so a failed build leaves the previous site untouched and a
//! successful one leaves no stale file behind.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::diag::{display_path, Diagnostic};

/// A file every dossier build writes; an existing output folder without it was not made by
/// dossier, and is never replaced.
pub(crate) const MARKER: &str = "dossier.json";

/// Writes files under a folder, creating parent folders as needed.
pub(crate) struct DirSink {
    dir: PathBuf,
    /// The folders made so far: a site's files share few folders (the search index puts
    /// 10,000 fragments in one), and asking the file system again for each file cost a
    /// `mkdir` and a `stat` per file.
    made: Mutex<HashSet<PathBuf>>,
}

impl DirSink {
    /// The folders made so far, poisoned or not (a panicked writer left a true list).
    fn made(&self) -> std::sync::MutexGuard<'_, HashSet<PathBuf>> {
        self.made.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn new(dir: PathBuf) -> DirSink {
        DirSink {
            dir,
            made: Mutex::new(HashSet::new()),
        }
    }
}

impl DirSink {
    /// Writes one file of the site, at `path` from the output folder's root.
    pub(crate) fn put(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        std::fs::write(self.place(path)?, bytes)
    }

    /// Where the file at `path` goes, its folder made.
    fn place(&self, path: &str) -> std::io::Result<PathBuf> {
        let full = self.dir.join(path);
        if let Some(parent) = full.parent() {
            if !self.made().contains(parent) {
                std::fs::create_dir_all(parent)?;
                self.made().insert(parent.to_path_buf());
            }
        }
        Ok(full)
    }
}

impl crate::render::Sink for DirSink {
    fn put(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        DirSink::put(self, path, bytes)
    }

    fn put_streamed(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        write(&mut std::fs::File::create(self.place(path)?)?)
    }
}

/// A build in progress: a staging folder beside the output.
pub(crate) struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
}

impl Staging {
    /// Prepares to write `target`, refusing folders that dossier must never replace.
    pub(crate) fn new(root: &Path, target: &Path) -> Result<Staging, Diagnostic> {
        let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        let (root_abs, target_abs) = (abs(root), abs(target));
        let protected = ["content", "templates", "static"].map(|d| root_abs.join(d));
        if root_abs.starts_with(&target_abs) || protected.iter().any(|p| target_abs.starts_with(p))
        {
            return Err(Diagnostic::error(
                root.join(crate::load::config::CONFIG_FILE),
                format!(
                    "the output folder {} would overwrite the dossier's own files",
                    display_path(target)
                ),
            )
            .with_help("set output_dir in site.toml to a folder of its own, like \"public\""));
        }
        if target.exists() {
            let is_ours = target.join(MARKER).is_file()
                || std::fs::read_dir(target)
                    .map(|mut d| d.next().is_none())
                    .unwrap_or(false);
            if !target.is_dir() || !is_ours {
                return Err(Diagnostic::error(
                    target.to_path_buf(),
                    "this folder exists and was not written by dossier; it will not be replaced",
                )
                .with_help("move it away, or choose another output folder with --output or output_dir in site.toml"));
            }
        }
        let parent = target_abs
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        std::fs::create_dir_all(&parent).map_err(|e| {
            Diagnostic::error(parent.clone(), format!("cannot create the folder: {e}"))
        })?;
        let name = target_abs
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let dir = tempfile::Builder::new()
            .prefix(&format!("{STAGING}{name}-"))
            .tempdir_in(&parent)
            .map_err(|e| {
                Diagnostic::error(
                    parent.clone(),
                    format!("cannot create a staging folder: {e}"),
                )
            })?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
        })
    }

    pub(crate) fn sink(&self) -> DirSink {
        DirSink::new(self.dir.path().to_path_buf())
    }

    /// Swaps the staged site in. Dropping a `Staging` instead discards it.
    ///
    /// The output folder is always a whole site, the previous one or the new one, even if the
    /// process is killed at any moment: the two are exchanged in one step where the system can
    /// (Linux's `renameat2` with `RENAME_EXCHANGE`), and the previous site is deleted after.
    /// Elsewhere the previous site is moved aside first, and a build after a kill between the
    /// two moves puts it back ([`recover`]).
    pub(crate) fn commit(self) -> Result<(), Diagnostic> {
        let err = |what: &str, e: std::io::Error| {
            Diagnostic::error(self.target.clone(), format!("cannot {what}: {e}"))
                .with_help("check the folder's permissions; the previous output is unchanged")
        };
        let staged = self.dir.keep();
        if self.target.exists() {
            match exchange(&staged, &self.target) {
                Ok(true) => {
                    // `staged` now holds the previous site.
                    remove_tree(&staged);
                    return Ok(());
                }
                Ok(false) => {}
                Err(e) => {
                    let _ = std::fs::remove_dir_all(&staged);
                    return Err(err("put the new output in place", e));
                }
            }
        }
        let mut old: Option<PathBuf> = None;
        if self.target.exists() {
            let parent = staged.parent().map(Path::to_path_buf).unwrap_or_default();
            let name = staged
                .file_name()
                .map(|n| n.to_string_lossy().replacen(STAGING, PREVIOUS, 1))
                .unwrap_or_default();
            let aside = parent.join(name);
            std::fs::rename(&self.target, &aside).map_err(|e| {
                let _ = std::fs::remove_dir_all(&staged);
                err("move the previous output aside", e)
            })?;
            old = Some(aside);
        }
        if let Err(e) = std::fs::rename(&staged, &self.target) {
            if let Some(o) = &old {
                let _ = std::fs::rename(o, &self.target);
            }
            let _ = std::fs::remove_dir_all(&staged);
            return Err(err("put the new output in place", e));
        }
        if let Some(o) = old {
            // The new site is in place; failing to delete the old one loses nothing.
            remove_tree(&o);
        }
        Ok(())
    }
}

/// The names of a build's staging folder and of a previous site moved aside, beside the output
/// (followed by the output folder's name and a random part).
const STAGING: &str = ".dossier-staging-";
const PREVIOUS: &str = ".dossier-previous-";

/// Exchanges two folders in one step; `Ok(false)` where the system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        // Not supported by this file system or kernel: the two-step swap.
        Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// What a killed build left beside the output folder `target`: its staging folders are deleted,
/// and a previous site moved aside but not replaced is put back. Every build starts with it,
/// whether or not it then succeeds.
pub(crate) fn recover(target: &Path) {
    let abs = std::path::absolute(target).unwrap_or_else(|_| target.to_path_buf());
    let (Some(parent), Some(name)) = (abs.parent(), abs.file_name()) else {
        return;
    };
    let name = name.to_string_lossy();
    let name = name.as_ref();
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let mut left: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    left.sort();
    let of = |p: &Path, prefix: &str| {
        p.file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_prefix(prefix))
            .is_some_and(|rest| rest.strip_prefix(name).is_some_and(|r| r.starts_with('-')))
    };
    for p in &left {
        if of(p, PREVIOUS) && !target.exists() && std::fs::rename(p, target).is_ok() {
            continue;
        }
        if of(p, STAGING) || of(p, PREVIOUS) {
            remove_tree(p);
        }
    }
}

/// Removes a folder tree, its sub-folders in parallel: a large site has tens of thousands
/// of page folders, and deleting them one by one is a noticeable part of a build.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    let children: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    let grandchildren: Vec<PathBuf> = children
        .iter()
        .filter(|p| p.is_dir())
        .flat_map(|p| {
            std::fs::read_dir(p)
                .map(|rd| {
                    rd.filter_map(Result::ok)
                        .map(|e| e.path())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
        .collect();
    grandchildren.par_iter().for_each(|p| {
        let _ = if p.is_dir() {
            std::fs::remove_dir_all(p)
        } else {
            std::fs::remove_file(p)
        };
    });
    let _ = std::fs::remove_dir_all(dir);
}
