//! `dossier check`: everything a build checks (content, events, templates) and every internal
//! link of the rendered site; writes nothing.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use super::build::render_site;
use super::{load_config, say};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::config::Config;
use crate::render::links::BrokenLink;

pub(super) fn run(root: PathBuf) -> ExitCode {
    let config = match load_config(root, None, None) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let diags = check_site(&config);
    if diags.is_empty() {
        say!("No problems found.");
    } else {
        eprint!("{}", diags.report());
    }
    if diags.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Checks the dossier at `config.root` without writing anything: content, events, templates,
/// and every internal link of the rendered site.
pub fn check_site(config: &Config) -> Diagnostics {
    let (files, mut diags) = render_site(config);
    for b in crate::render::links::check(&files, &config.base_path()) {
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
    crate::render::links::check(files, base_path)
}
