//! dossier: a static site generator for topic dossiers built from news reports.
//!
//! The pipeline is `load → analyze → render → write`: [`content`] reads the content folder into a
//! corpus, [`model`] turns it into events, reports and outlets, [`render`] produces every page
//! through the theme's templates, and [`output`] swaps the finished site into place. Commands
//! (in [`cli`]) are thin compositions of these steps.

mod analyze;
mod cmd;
mod diag;
mod i18n;
mod import;
mod load;
mod output;
mod render;
mod serve;

use std::collections::BTreeMap;
use std::path::Path;

pub use cmd::run;
pub use diag::{Diagnostic, Diagnostics, Severity};
pub use load::config::Config;
pub use render::links::BrokenLink;
pub use render::{MemorySink, Stats};
pub use serve::{preview, serve_files, ServeOptions, Server};

/// Loads and analyzes the dossier at `config.root`, then renders it into memory.
/// Returns every file of the site by path, and every problem found.
pub fn render_site(config: &Config) -> (BTreeMap<String, Vec<u8>>, Diagnostics) {
    let (dossier, mut diags) = load_and_analyze(config);
    let sink = MemorySink::default();
    render::render(
        config,
        &dossier,
        &render::Scope::Everything,
        &sink,
        &mut diags,
    );
    (sink.into_files(), diags)
}

/// Builds the dossier at `config.root` into `config.output_dir`, replacing the previous output
/// only when the whole build succeeded.
pub fn build_site(config: &Config) -> Result<(Stats, Diagnostics), Diagnostics> {
    let (dossier, mut diags) = load_and_analyze(config);
    if diags.has_errors() {
        // Still render, into nothing, so that template errors are reported in the same run.
        render::render(
            config,
            &dossier,
            &render::Scope::Everything,
            &NullSink,
            &mut diags,
        );
        return Err(diags);
    }
    let staging = match output::Staging::new(&config.root, &config.output_dir) {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };
    let stats = render::render(
        config,
        &dossier,
        &render::Scope::Everything,
        &staging.sink(),
        &mut diags,
    );
    if diags.has_errors() {
        return Err(diags);
    }
    if let Err(d) = staging.commit() {
        diags.push(d);
        return Err(diags);
    }
    Ok((stats, diags))
}

/// The first two steps of every command: `content/` becomes the dossier model.
fn load_and_analyze(config: &Config) -> (analyze::Dossier, Diagnostics) {
    let mut diags = Diagnostics::default();
    let corpus = load::content::load(&config.content_dir(), &mut diags);
    let dossier = analyze::analyze(corpus, config, &mut diags);
    (dossier, diags)
}

/// Checks the dossier at `config.root` without writing anything: content, events, templates,
/// and every internal link of the rendered site.
pub fn check_site(config: &Config) -> Diagnostics {
    let (files, mut diags) = render_site(config);
    for b in render::links::check(&files, &config.base_path()) {
        diags.push(
            Diagnostic::error(
                None,
                format!(
                    "broken link on {}: `{}` names no page of the site",
                    b.page, b.target
                ),
            )
            .with_help("if the link comes from a template in templates/, fix the template"),
        );
    }
    diags
}

/// Every broken internal link of a rendered site (see [`render_site`]).
pub fn broken_links(files: &BTreeMap<String, Vec<u8>>, base_path: &str) -> Vec<BrokenLink> {
    render::links::check(files, base_path)
}

/// The briefing of the part of the dossier `filter` selects, as one self-contained HTML file,
/// and what it selected. Bad filter values and content problems are errors.
pub(crate) fn briefing_html(
    config: &Config,
    filter: &analyze::briefing::Filter,
    paper: Option<&str>,
) -> Result<(String, analyze::briefing::Selection), Diagnostics> {
    let (dossier, mut diags) = load_and_analyze(config);
    if diags.has_errors() {
        return Err(diags);
    }
    let sel = match analyze::briefing::select(&dossier, filter) {
        Ok(s) => s,
        Err(ds) => {
            diags.extend(ds);
            return Err(diags);
        }
    };
    match render::render_briefing(config, &dossier, &sel, paper, &mut diags) {
        Some(html) if !diags.has_errors() => Ok((html, sel)),
        _ => Err(diags),
    }
}

/// Reads `site.toml` of the dossier at `root`.
pub fn load_config(root: &Path) -> Result<Config, Vec<Diagnostic>> {
    Config::load(root)
}

struct NullSink;

impl render::Sink for NullSink {
    fn put(&self, _: &str, _: Vec<u8>) -> std::io::Result<()> {
        Ok(())
    }
}
