//! Diagnostics: problems found in user input, collected and reported together.
//!
//! Loading, analysis and rendering never stop at the first bad file: each stage
//! pushes what it finds into a [`Diagnostics`] and carries on with what it can,
//! so one run tells the analyst about every problem at once.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem: where it is, what is wrong, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: Option<PathBuf>,
    pub line: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub(crate) fn error(file: impl Into<Option<PathBuf>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            message: message.into(),
            help: None,
        }
    }

    pub(crate) fn warning(file: impl Into<Option<PathBuf>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    pub(crate) fn at_line(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: ")?;
        if let Some(file) = &self.file {
            write!(f, "{}", display_path(file))?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// A path as the user would type it: without a leading `./`.
pub(crate) fn display_path(path: &Path) -> String {
    let shown = path.strip_prefix(".").unwrap_or(path);
    shown.display().to_string()
}

/// Every problem of one run, in a stable order.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub(crate) fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// Sorted by file, then line, so that the output of parallel stages is deterministic.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| {
            (&a.file, a.line, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.severity, &b.message))
        });
        v
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics as the terminal shows them, one block each, then a summary line.
    pub fn report(&self) -> String {
        let mut out = String::new();
        for d in self.sorted() {
            out.push_str(&d.to_string());
            out.push('\n');
        }
        let (e, w) = (self.count(Severity::Error), self.count(Severity::Warning));
        if e + w > 0 {
            out.push_str(&format!("{e} error(s), {w} warning(s)\n"));
        }
        out
    }
}

impl Diagnostic {
    /// With help naming the known value closest to `unknown`, when one is close enough to be
    /// a likely typo ("did you mean `title`?"), or else `otherwise`, if there is one.
    pub(crate) fn did_you_mean(
        self,
        unknown: &str,
        known: &[&str],
        otherwise: Option<String>,
    ) -> Diagnostic {
        match (closest(unknown, known), otherwise) {
            (Some(k), _) => self.with_help(format!("did you mean `{k}`?")),
            (None, Some(help)) => self.with_help(help),
            (None, None) => self,
        }
    }
}

/// The known key closest to `unknown`, when one is close enough to be a likely typo.
fn closest<'a>(unknown: &str, known: &[&'a str]) -> Option<&'a str> {
    let lower = unknown.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&lower, k), *k))
        .filter(|(dist, k)| *dist <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

/// The 1-based line on which `key:` (YAML) or `key =` (TOML) is written in `text`.
pub(crate) fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let t = l.trim_start();
            t.strip_prefix(key)
                .map(|rest| {
                    let rest = rest.trim_start();
                    rest.starts_with(':') || rest.starts_with('=')
                })
                .unwrap_or(false)
        })
        .map(|i| i + 1)
}

/// 1-based line number of a byte offset.
pub(crate) fn line_of_offset(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        let known = ["title", "date", "outlet", "editors", "image_caption"];
        assert_eq!(closest("titel", &known), Some("title"));
        assert_eq!(closest("Outlet", &known), Some("outlet"));
        assert_eq!(closest("editor", &known), Some("editors"));
        assert_eq!(closest("imagecaption", &known), Some("image_caption"));
        assert_eq!(closest("zzzzzz", &known), None);
    }

    #[test]
    fn finds_key_lines() {
        let text = "title: x\n  date: y\nbase_url = 1\n";
        assert_eq!(line_of_key(text, "date"), Some(2));
        assert_eq!(line_of_key(text, "base_url"), Some(3));
        assert_eq!(line_of_key(text, "nope"), None);
        assert_eq!(line_of_offset(text, 10), 2);
    }
}
