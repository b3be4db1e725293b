//! Whole-program tests: one binary over fixture folders.
//!
//! Expected outputs are kept as files beside their inputs; run with `UPDATE_EXPECT=1` to
//! rewrite them after an intended change, then review the diff.

mod briefing;
mod browser;
mod build;
mod errors;
mod events;
mod import;
mod pages;
mod publish;
mod search;
mod serve;
mod stories;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository, which is also the bundled dossier.
pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Writes a synthetic dossier into `out` with `../shared/bench/gen_corpus.py` and `args`
/// (`--format dossier` is added).
pub(crate) fn gen_corpus(out: &Path, args: &[&str]) {
    let generator = repo().join("../shared/bench/gen_corpus.py");
    assert!(
        generator.exists(),
        "{} is missing: the tests need ../shared beside the repository",
        generator.display()
    );
    let run = Command::new("python3")
        .arg(&generator)
        .args(args)
        .args(["--format", "dossier", "--out"])
        .arg(out)
        .output()
        .expect("run gen_corpus.py");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// Copies a folder tree (a fixture dossier) into `to`.
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// A copy of the bundled dossier (site.toml and content/) in a fresh temporary folder.
pub(crate) fn bundled_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(repo().join("site.toml"), dir.path().join("site.toml")).expect("copy site.toml");
    copy_tree(&repo().join("content"), &dir.path().join("content"));
    dir
}

pub(crate) struct Output {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// Runs the real `dossier` binary.
pub(crate) fn dossier(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .output()
        .expect("run dossier");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Compares `actual` with the file `expected`, or rewrites the file under `UPDATE_EXPECT=1`.
pub(crate) fn expect_file(expected: &Path, actual: &str) {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(expected, actual).expect("write expected");
        return;
    }
    let want = std::fs::read_to_string(expected).unwrap_or_default();
    assert_eq!(
        actual,
        want,
        "{} differs (UPDATE_EXPECT=1 rewrites it)",
        expected.display()
    );
}

/// Every file under a folder, by relative path, with its bytes.
pub(crate) fn read_tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}
