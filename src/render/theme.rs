//! The default theme, embedded in the binary, and a dossier's overrides of it, file by file.
//!
//! A file in the dossier's own `templates/` replaces the embedded template of the same name
//! (or adds a new one); a file in its `static/` replaces or adds an asset.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics};

/// The embedded templates, by name. A unit test keeps this list equal to `templates/`.
pub(crate) const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("event.html", include_str!("../../templates/event.html")),
    ("report.html", include_str!("../../templates/report.html")),
    ("outlet.html", include_str!("../../templates/outlet.html")),
    ("outlets.html", include_str!("../../templates/outlets.html")),
    ("entity.html", include_str!("../../templates/entity.html")),
    (
        "entities.html",
        include_str!("../../templates/entities.html"),
    ),
    (
        "timeline.html",
        include_str!("../../templates/timeline.html"),
    ),
    (
        "briefing.html",
        include_str!("../../templates/briefing.html"),
    ),
    ("404.html", include_str!("../../templates/404.html")),
    ("atom.xml", include_str!("../../templates/atom.xml")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    ("robots.txt", include_str!("../../templates/robots.txt")),
    ("search.html", include_str!("../../templates/search.html")),
];

/// The embedded static assets, by output path. A unit test keeps this list equal to `static/`.
pub(crate) const STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
    ("search.js", include_bytes!("../../static/search.js")),
];

/// Files of a folder, by path relative to it (with `/`), in a stable order.
fn files_under(dir: &Path, diags: &mut Diagnostics) -> BTreeMap<String, std::path::PathBuf> {
    let mut out = BTreeMap::new();
    if !dir.is_dir() {
        return out;
    }
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
                let name = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                if !name.split('/').any(|part| part.starts_with('.')) {
                    out.insert(name, e.into_path());
                }
            }
            Ok(_) => {}
            Err(e) => diags.push(Diagnostic::error(
                dir.to_path_buf(),
                format!("cannot read: {e}"),
            )),
        }
    }
    out
}

/// The templates to use: embedded ones, overridden by `<root>/templates/`. Returns (name, path shown in
/// errors, text).
pub(crate) fn templates(root: &Path, diags: &mut Diagnostics) -> Vec<(String, String, String)> {
    let mut out: BTreeMap<String, (String, String)> = TEMPLATES
        .iter()
        .map(|(n, t)| {
            (
                n.to_string(),
                (format!("(built-in theme) {n}"), t.to_string()),
            )
        })
        .collect();
    for (name, path) in files_under(&root.join("templates"), diags) {
        match std::fs::read(&path).map(String::from_utf8) {
            Ok(Ok(text)) => {
                out.insert(name, (crate::diag::display_path(&path), text));
            }
            Ok(Err(_)) => diags.push(
                Diagnostic::error(path, "the template is not valid UTF-8")
                    .with_help("save it as UTF-8"),
            ),
            Err(e) => diags.push(Diagnostic::error(path, format!("cannot read: {e}"))),
        }
    }
    out.into_iter().map(|(n, (p, t))| (n, p, t)).collect()
}

/// The static assets to publish: embedded ones, overridden or added to by `<root>/static/`.
pub(crate) fn assets(root: &Path, diags: &mut Diagnostics) -> BTreeMap<String, Vec<u8>> {
    let mut out: BTreeMap<String, Vec<u8>> = STATIC
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect();
    for (name, path) in files_under(&root.join("static"), diags) {
        match std::fs::read(&path) {
            Ok(bytes) => {
                out.insert(name, bytes);
            }
            Err(e) => diags.push(Diagnostic::error(path, format!("cannot read: {e}"))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_in(dir: &str) -> Vec<String> {
        let mut d = Diagnostics::default();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        files_under(&root, &mut d).into_keys().collect()
    }

    #[test]
    fn embedded_lists_match_the_theme_folders() {
        let mut t: Vec<String> = TEMPLATES.iter().map(|(n, _)| n.to_string()).collect();
        t.sort();
        assert_eq!(
            t,
            names_in("templates"),
            "add the new template to theme::TEMPLATES"
        );
        let mut s: Vec<String> = STATIC.iter().map(|(n, _)| n.to_string()).collect();
        s.sort();
        assert_eq!(s, names_in("static"), "add the new asset to theme::STATIC");
    }
}
