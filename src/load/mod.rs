//! Load: the dossier's folder becomes a corpus. `site.toml` is read into a [`config::Config`],
//! `content/` into a [`content::Corpus`] of reports, event notes and the front page; every
//! problem becomes a diagnostic naming the file and line, and the file is left out.

pub(crate) mod config;
pub(crate) mod content;
pub(crate) mod frontmatter;
pub(crate) mod write;
