//! The default theme, embedded in the binary, and a dossier's overrides of it, file by file.
//!
//! A file in the dossier's own `templates/` replaces the embedded template of the same name
//! (or adds a new one); a file in its `static/` replaces or adds an asset.

use std::collections::BTreeMap;
use std::path::Path;

use tera::Tera;

use super::markdown::highlight_css;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::config::Config;

/// The embedded templates, by name. A unit test keeps this list equal to `templates/`.
pub(crate) const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("charts.html", include_str!("../../templates/charts.html")),
    (
        "provenance.html",
        include_str!("../../templates/provenance.html"),
    ),
    ("index.html", include_str!("../../templates/index.html")),
    ("event.html", include_str!("../../templates/event.html")),
    ("compare.html", include_str!("../../templates/compare.html")),
    ("sources.html", include_str!("../../templates/sources.html")),
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
    (
        "sitemap_index.xml",
        include_str!("../../templates/sitemap_index.xml"),
    ),
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

/// The theme as loaded for one configuration: templates parsed, assets read, highlighting
/// styles made. The preview keeps it between the partial rebuilds of report edits (an edit of
/// a template, an asset or `site.toml` rebuilds everything, loading it anew).
pub(crate) struct Theme {
    pub(super) tera: Tera,
    /// Where each template came from, for error messages.
    pub(super) template_paths: BTreeMap<String, String>,
    pub(super) assets: BTreeMap<String, Vec<u8>>,
    pub(super) highlight: String,
}

impl Theme {
    /// `None` when a template does not parse (the problems are in `diags`).
    pub(crate) fn load(config: &Config, diags: &mut Diagnostics) -> Option<Theme> {
        let (tera, template_paths) = load_templates(config, diags)?;
        let assets = assets(&config.root, diags);
        let highlight = highlight_css(&config.highlight_theme, &config.highlight_theme_dark);
        Some(Theme {
            tera,
            template_paths,
            assets,
            highlight,
        })
    }
}

/// The theme's templates, and where each came from (for error messages).
fn load_templates(
    config: &Config,
    diags: &mut Diagnostics,
) -> Option<(Tera, BTreeMap<String, String>)> {
    let templates = templates(&config.root, diags);
    let paths = templates
        .iter()
        .map(|(n, p, _)| (n.clone(), p.clone()))
        .collect();
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's own escaping also turns `/` into `&#x2F;`, which makes every URL unreadable.
    tera.set_escape_fn(crate::render::markdown::escape_html);
    let (item_name, item_text) = super::common::REPORT_ITEM_TEMPLATE;
    let list: Vec<(String, String)> = templates
        .iter()
        .map(|(n, _, t)| (n.clone(), t.clone()))
        .chain(std::iter::once((
            item_name.to_string(),
            item_text.to_string(),
        )))
        .collect();
    if let Err(e) = tera.add_raw_templates(list) {
        // Tera stops at the first bad template: find every one by adding them one by one.
        let mut found = false;
        for (name, shown, text) in &templates {
            let mut single = Tera::default();
            if let Err(e) = single.add_raw_template(name, text) {
                let msg = tera_message(&e);
                // Alone, a child template also fails for want of its parent: only syntax counts here.
                if !msg.contains("Failed to parse") {
                    continue;
                }
                found = true;
                diags.push(
                    Diagnostic::error(
                        std::path::PathBuf::from(shown),
                        format!("template error: {msg}"),
                    )
                    .at_line(tera_line(&e))
                    .with_help(
                        "fix the template, or delete it from templates/ to use the built-in one",
                    ),
                );
            }
        }
        if !found {
            diags.push(Diagnostic::error(
                config.root.join("templates"),
                format!("template error: {}", tera_message(&e)),
            ));
        }
        return None;
    }
    Some((tera, paths))
}

/// Tera's error and its causes, on one line each.
pub(super) fn tera_message(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        parts.push(s.to_string());
        src = s.source();
    }
    parts
        .join(": ")
        .replace('\n', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The line a Tera parse error points at (`--> 3:5`).
fn tera_line(e: &tera::Error) -> Option<usize> {
    let msg = tera_message(e);
    let after = msg.split("--> ").nth(1)?;
    after.split(':').next()?.trim().parse().ok()
}

/// A template's error when rendering a page, naming the file it came from.
pub(super) fn template_error(
    template_paths: &BTreeMap<String, String>,
    template: &str,
    e: &tera::Error,
) -> Diagnostic {
    let shown = template_paths
        .get(template)
        .cloned()
        .unwrap_or_else(|| template.to_string());
    Diagnostic::error(
        std::path::PathBuf::from(shown),
        format!("template error: {}", tera_message(e)),
    )
    .with_help("fix the template, or delete it from templates/ to use the built-in one")
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
