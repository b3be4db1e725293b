//! Splitting a content file into YAML front matter and markdown body, and reading
//! the front matter into a typed struct with diagnostics that name the line.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diag::{line_of_key, Diagnostic};

/// A content file split at its front matter fences.
pub(crate) struct Split<'a> {
    pub(crate) yaml: &'a str,
    pub(crate) body: &'a str,
    /// The 1-based line of the file on which the YAML starts (after the opening `---`).
    pub(crate) yaml_line: usize,
    /// Where the closing `---` starts, as a byte offset in the text (0 without front matter):
    /// where a key can be added to the front matter.
    pub(crate) close: usize,
}

/// Reads the bytes of a content file as text, refusing binary and non-UTF-8 files.
pub(crate) fn decode<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, Diagnostic> {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(Diagnostic::error(
            path.to_path_buf(),
            "this is a binary file, not a markdown report",
        )
        .with_help("move it out of content/, or import raw article text with `dossier import`"));
    }
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok(t.strip_prefix('\u{feff}').unwrap_or(t)),
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(Diagnostic::error(
                path.to_path_buf(),
                format!("the file is not valid UTF-8 (at byte {at})"),
            )
            .at_line(Some(line))
            .with_help("save the file as UTF-8, or run `dossier import` on the raw text, which decodes legacy encodings"))
        }
    }
}

/// A content file from its front matter (YAML lines, each ending in `\n`) and its body, between
/// the fences `split` reads.
pub(crate) fn join(yaml: &str, body: &str) -> String {
    let mut s = String::with_capacity(yaml.len() + body.len() + 8);
    s.push_str("---\n");
    s.push_str(yaml);
    s.push_str("---\n");
    s.push_str(body);
    s
}

/// Splits `---\n<yaml>\n---\n<body>`. With `required`, a file without front matter is an error;
/// otherwise it is all body.
pub(crate) fn split<'a>(
    path: &Path,
    text: &'a str,
    required: bool,
) -> Result<Split<'a>, Diagnostic> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        if !required {
            return Ok(Split {
                yaml: "",
                body: text,
                yaml_line: 1,
                close: 0,
            });
        }
        return Err(Diagnostic::error(path.to_path_buf(), "no front matter: the file must start with a line `---`")
            .at_line(Some(1))
            .with_help("start the file with `---`, then `title:` and `date:` lines, then another `---`, then the text"));
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            let body_start = offset + line.len();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                body: &text[body_start..],
                yaml_line: 2,
                close: offset,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        path.to_path_buf(),
        "the front matter opened on line 1 is never closed",
    )
    .at_line(Some(1))
    .with_help("add a line `---` after the last front matter key, before the text"))
}

/// Parses front matter YAML into `T`. Unknown keys become errors suggesting the closest known key;
/// syntax and type errors carry the file's line.
pub(crate) fn parse<T: DeserializeOwned + Default>(
    path: &Path,
    split: &Split<'_>,
    known: &[&str],
) -> Result<T, Vec<Diagnostic>> {
    if split.yaml.trim().is_empty() {
        return Ok(T::default());
    }
    // Fast path: one parse for the common, valid file.
    match serde_yaml::from_str::<T>(split.yaml) {
        Ok(v) => Ok(v),
        Err(typed_err) => Err(explain(path, split, known, typed_err)),
    }
}

/// Turns a failed typed parse into diagnostics: re-reads the YAML untyped to find every unknown key.
fn explain(
    path: &Path,
    split: &Split<'_>,
    known: &[&str],
    typed_err: serde_yaml::Error,
) -> Vec<Diagnostic> {
    let file_line = |yaml_line: usize| split.yaml_line + yaml_line - 1;
    let value: serde_yaml::Value = match serde_yaml::from_str(split.yaml) {
        Ok(v) => v,
        Err(e) => {
            // An error at the end of the YAML belongs to its last line, not to the closing fence.
            let last = split.yaml.trim_end().lines().count().max(1);
            let line = e.location().map(|l| file_line(l.line().min(last)));
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            let help = if msg.contains("duplicate entry") {
                "each key may appear once: delete or merge the repeated one"
            } else {
                "check the quoting: a value with `: ` or starting with `\"`, `[` or `*` must be quoted whole"
            };
            return vec![Diagnostic::error(
                path.to_path_buf(),
                format!("invalid YAML in front matter: {msg}"),
            )
            .at_line(line)
            .with_help(help)];
        }
    };
    let Some(map) = value.as_mapping() else {
        return vec![Diagnostic::error(
            path.to_path_buf(),
            "the front matter is not a list of `key: value` lines",
        )
        .at_line(Some(split.yaml_line))];
    };
    let mut problems = Vec::new();
    for key in map.keys() {
        let key = match key.as_str() {
            Some(k) => k.to_string(),
            None => format!("{key:?}"),
        };
        if !known.contains(&key.as_str()) {
            let line = line_of_key(split.yaml, &key).map(file_line);
            let d = Diagnostic::error(
                path.to_path_buf(),
                format!("unknown key `{key}` in front matter"),
            )
            .at_line(line);
            let all = format!("the known keys are: {}", known.join(", "));
            problems.push(d.did_you_mean(&key, known, Some(all)));
        }
    }
    if problems.is_empty() {
        let line = typed_err.location().map(|l| file_line(l.line()));
        let msg = typed_err.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        // serde names the field as "field: message"; keep it.
        problems.push(
            Diagnostic::error(path.to_path_buf(), format!("bad front matter value: {msg}"))
                .at_line(line)
                .with_help("see the README's content section for each key's type"),
        );
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_fences_with_crlf_and_bom() {
        let p = Path::new("a.md");
        let s = split(p, "---\r\ntitle: x\r\n---\r\nbody\r\n", true).unwrap();
        assert_eq!(s.yaml, "title: x\r\n");
        assert_eq!(s.body, "body\r\n");
        let t = decode(p, "\u{feff}---\n".as_bytes()).unwrap();
        assert_eq!(t, "---\n");
    }

    #[test]
    fn unclosed_and_missing_front_matter_are_errors() {
        let p = Path::new("a.md");
        let e = split(p, "---\ntitle: x\nbody", true).err().unwrap();
        assert_eq!(e.to_string(), "error: a.md:1: the front matter opened on line 1 is never closed\n  help: add a line `---` after the last front matter key, before the text");
        assert!(split(p, "just text", true).is_err());
        assert_eq!(split(p, "just text", false).ok().unwrap().body, "just text");
    }

    #[test]
    fn binary_and_latin1_are_refused() {
        let p = Path::new("a.md");
        assert!(decode(p, b"\x89PNG\r\n\x1a\n\0\0")
            .unwrap_err()
            .message
            .contains("binary"));
        let e = decode(p, b"---\ntitle: caf\xe9\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("not valid UTF-8"));
    }
}
