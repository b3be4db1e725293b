//! `dossier build`: load → analyze → render → write. The site is rendered into a staging
//! folder beside the output and swapped in only when the whole build succeeded.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use super::{load_config, say};
use crate::analyze::Dossier;
use crate::diag::{display_path, Diagnostics, Severity};
use crate::load::config::Config;
use crate::render::{MemorySink, Scope, Stats};

pub(super) fn run(
    root: PathBuf,
    base_url: Option<String>,
    output: Option<PathBuf>,
    no_search: bool,
) -> ExitCode {
    let started = Instant::now();
    let mut config = match load_config(root, base_url, output) {
        Ok(c) => c,
        Err(code) => return code,
    };
    config.search = !no_search;
    config.progress = true;
    match build_site(&config) {
        Ok((stats, diags)) => {
            let warnings = diags.count(Severity::Warning);
            say!(
                "Built {} reports, {} events, {} outlets: {} files in {} ({:.2} s)",
                stats.reports,
                stats.events,
                stats.outlets,
                stats.files,
                display_path(&config.output_dir),
                started.elapsed().as_secs_f64()
            );
            if warnings > 0 {
                say!("{warnings} warning(s): run `dossier check` to see them");
            }
            ExitCode::SUCCESS
        }
        Err(diags) => {
            eprint!("{}", diags.report());
            eprintln!(
                "The build failed; {} is unchanged.",
                display_path(&config.output_dir)
            );
            ExitCode::FAILURE
        }
    }
}

/// Builds the dossier at `config.root` into `config.output_dir`, replacing the previous output
/// only when the whole build succeeded.
pub fn build_site(config: &Config) -> Result<(Stats, Diagnostics), Diagnostics> {
    crate::output::recover(&config.output_dir);
    let (dossier, mut diags) = load_and_analyze(config);
    if diags.has_errors() {
        // Still render, into nothing, so that template errors are reported in the same run.
        crate::render::render(
            config,
            &dossier,
            &Scope::Everything,
            &|_: &str, _: Vec<u8>| Ok(()),
            &mut diags,
        );
        return Err(diags);
    }
    let staging = match crate::output::Staging::new(&config.root, &config.output_dir) {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };
    let sink = staging.sink();
    let stats = crate::render::render(config, &dossier, &Scope::Everything, &sink, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    if let Err(d) = staging.commit() {
        diags.push(d);
        return Err(diags);
    }
    Ok((stats, diags))
}

/// Loads and analyzes the dossier at `config.root`, then renders it into memory.
/// Returns every file of the site by path, and every problem found.
pub fn render_site(config: &Config) -> (BTreeMap<String, Vec<u8>>, Diagnostics) {
    let (dossier, mut diags) = load_and_analyze(config);
    let sink = MemorySink::default();
    crate::render::render(config, &dossier, &Scope::Everything, &sink, &mut diags);
    (sink.into_files(), diags)
}

/// The first two steps of every command: `content/` becomes the dossier model.
pub(super) fn load_and_analyze(config: &Config) -> (Dossier, Diagnostics) {
    let mut diags = Diagnostics::default();
    let corpus = crate::load::content::load(&config.content_dir(), &mut diags);
    let dossier = crate::analyze::analyze(corpus, config, &mut diags);
    (dossier, diags)
}
