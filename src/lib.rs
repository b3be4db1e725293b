//! dossier: a static site generator for topic dossiers built from news reports.
//!
//! The pipeline, one folder a stage:
//!
//! ```text
//! raw pages ─import─▶ content/*.md ─load─▶ Corpus ─analyze─▶ Dossier ─render─▶ pages ─output─▶ public/
//!                                                                          └─ serve: in memory, live reload
//! ```
//!
//! [`import`] cleans raw page text into reports; [`load`] reads `site.toml` and `content/`
//! into a corpus; [`analyze`] forms events, outlets and names; [`render`] produces every file
//! of the site through the theme's templates; [`output`] swaps the finished site into place;
//! [`serve`] keeps it in memory and follows edits. Each stage imports only from the stages
//! before it. The commands (in [`cmd`]) compose them; this file only re-exports what the
//! binary and the tests call.

mod analyze;
mod cmd;
mod diag;
#[cfg(test)]
mod fuzz;
mod i18n;
mod import;
mod load;
mod output;
mod progress;
mod render;
mod serve;

pub use cmd::{broken_links, build_site, check_site, render_site, run};
pub use diag::{Diagnostic, Diagnostics, Severity};
pub use load::config::Config;
pub use render::links::BrokenLink;
pub use render::{MemorySink, Stats};
pub use serve::{preview, serve_files, ServeOptions, Server};

/// Reads `site.toml` of the dossier at `root`.
pub fn load_config(root: &std::path::Path) -> Result<Config, Vec<Diagnostic>> {
    Config::load(root)
}
