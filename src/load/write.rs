//! Writing a content file whole or not at all: the bytes go to a temporary file beside it,
//! which is then renamed over it, so a process killed half-way leaves the old file or the new
//! one, never part of one. `import` and `dossier events --write` write reports this way.
//! The file keeps the permissions it had, and a new one gets those `std::fs::write` gives
//! (the umask's), not a temporary file's owner-only ones.

use std::io::Write as _;
use std::path::Path;

/// Writes `bytes` to `path` atomically (a temporary file in the same folder, renamed).
pub(crate) fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let before = std::fs::metadata(path).ok().map(|m| m.permissions());
    let mut builder = tempfile::Builder::new();
    builder.prefix(".dossier-write-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    if let Some(p) = before {
        tmp.as_file().set_permissions(p)?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_write_replaces_the_file_and_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.md");
        std::fs::write(&path, "old").expect("write");
        write_whole(&path, b"new").expect("write whole");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["a.md"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_whole_write_keeps_the_permissions_a_plain_write_gives() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().expect("tempdir");
        let mode = |p: &Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
        let plain = dir.path().join("plain.md");
        std::fs::write(&plain, "x").expect("write");
        let new = dir.path().join("new.md");
        write_whole(&new, b"x").expect("write whole");
        assert_eq!(mode(&new), mode(&plain), "a new file");
        let kept = dir.path().join("kept.md");
        std::fs::write(&kept, "old").expect("write");
        std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        write_whole(&kept, b"new").expect("write whole");
        assert_eq!(mode(&kept), 0o640, "a file replaced");
    }
}
