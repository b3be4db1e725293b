//! Loading: the content folder becomes a [`Corpus`] of reports, event notes and the front page.
//!
//! Files are read and parsed in parallel; every problem becomes a diagnostic and the
//! file is skipped, so one run reports every bad file.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use rayon::prelude::*;
use serde::{Deserialize, Deserializer};

use crate::diag::{line_of_key, Diagnostic, Diagnostics};
use crate::load::frontmatter;

/// When a report was published: a day, an instant with its UTC offset, or not known (its
/// front matter has no `date`: a page that stated none, such as a page-2 fragment).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Dated {
    Day(NaiveDate),
    At(DateTime<FixedOffset>),
    #[default]
    Unknown,
}

impl Dated {
    /// Accepts `2024-03-29` and RFC 3339 (`2024-03-29T06:30:00+07:00`).
    pub(crate) fn parse(s: &str) -> Result<Dated, String> {
        let s = s.trim();
        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return Ok(Dated::Day(d));
        }
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Ok(Dated::At(t));
        }
        if NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").is_ok()
            || NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").is_ok()
        {
            return Err(format!(
                "`{s}` has a time but no time zone: add the offset, like {s}+07:00 for WIB"
            ));
        }
        Err(format!(
            "`{s}` is not a date: write 2024-03-29, or a date-time like 2024-03-29T06:30:00+07:00"
        ))
    }

    /// The calendar day where it was published, when known.
    pub(crate) fn day(&self) -> Option<NaiveDate> {
        match self {
            Dated::Day(d) => Some(*d),
            Dated::At(t) => Some(t.date_naive()),
            Dated::Unknown => None,
        }
    }

    /// The order of reports: by local wall-clock time (a bare day at its start), reports of
    /// unknown date after all others.
    pub(crate) fn sort_key(&self) -> (bool, NaiveDateTime) {
        match self {
            Dated::Day(d) => (false, d.and_hms_opt(0, 0, 0).unwrap_or_default()),
            Dated::At(t) => (false, t.naive_local()),
            Dated::Unknown => (true, NaiveDateTime::default()),
        }
    }

    /// The form written in front matter and in machine-readable output; `None` when unknown.
    pub(crate) fn iso(&self) -> Option<String> {
        match self {
            Dated::Day(d) => Some(d.format("%Y-%m-%d").to_string()),
            Dated::At(t) => Some(t.to_rfc3339()),
            Dated::Unknown => None,
        }
    }
}

/// `base` if `taken` does not hold it, or else the first of `base-{first}`, `base-{first + 1}`,
/// … that it does not: how report files, event ids and heading anchors stay unique.
pub(crate) fn unique_name(base: &str, first: usize, mut taken: impl FnMut(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (first..)
        .map(|n| format!("{base}-{n}"))
        .find(|c| !taken(c))
        .unwrap_or_default()
}

/// The slug of `text`, cut at a word boundary to at most `max_len` bytes and `max_words`
/// words; `fallback` when nothing is left. Ids made from titles (imported reports, detected
/// events) are made with it.
pub(crate) fn short_slug(text: &str, max_len: usize, max_words: usize, fallback: &str) -> String {
    let mut out = String::new();
    for part in slug::slugify(text).split('-').take(max_words) {
        if out.len() + part.len() > max_len {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(part);
    }
    if out.is_empty() {
        out.push_str(fallback);
    }
    out
}

/// Where a report was imported from.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub(crate) struct Source {
    pub(crate) file: Option<String>,
    pub(crate) sha256: Option<String>,
}

/// A report's front matter as written: the serialization type at the edge, read by
/// `parse_report` and written (`to_yaml`) by `import` and `dossier events --write`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReportFront {
    pub(crate) title: Option<String>,
    pub(crate) date: Option<String>,
    /// `Some(None)` is written `outlet: null` (import: no outlet found); read, it is `None`.
    #[serde(default)]
    pub(crate) outlet: Option<Option<String>>,
    pub(crate) url: Option<String>,
    pub(crate) language: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub(crate) wire: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub(crate) authors: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub(crate) editors: Vec<String>,
    pub(crate) dateline: Option<String>,
    pub(crate) image_caption: Option<String>,
    pub(crate) event: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub(crate) tags: Vec<String>,
    #[serde(default)]
    pub(crate) title_generated: bool,
    pub(crate) source: Option<Source>,
}

impl ReportFront {
    /// The keys that are set, one per line, in a fixed order; texts as double-quoted YAML
    /// scalars, the date, language and event as written.
    pub(crate) fn to_yaml(&self) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        if let Some(t) = &self.title {
            let _ = writeln!(s, "title: {}", yaml_quoted(t));
        }
        if self.title_generated {
            s.push_str("title_generated: true\n");
        }
        if let Some(d) = &self.date {
            let _ = writeln!(s, "date: {d}");
        }
        match &self.outlet {
            Some(Some(o)) => {
                let _ = writeln!(s, "outlet: {}", yaml_quoted(o));
            }
            Some(None) => s.push_str("outlet: null\n"),
            None => {}
        }
        if let Some(u) = &self.url {
            let _ = writeln!(s, "url: {}", yaml_quoted(u));
        }
        for (key, items) in [
            ("wire", &self.wire),
            ("authors", &self.authors),
            ("editors", &self.editors),
        ] {
            if !items.is_empty() {
                let _ = writeln!(s, "{key}: {}", yaml_list(items));
            }
        }
        if let Some(d) = &self.dateline {
            let _ = writeln!(s, "dateline: {}", yaml_quoted(d));
        }
        if let Some(l) = &self.language {
            let _ = writeln!(s, "language: {l}");
        }
        if let Some(c) = &self.image_caption {
            let _ = writeln!(s, "image_caption: {}", yaml_quoted(c));
        }
        if let Some(e) = &self.event {
            let _ = writeln!(s, "event: {e}");
        }
        if !self.tags.is_empty() {
            let _ = writeln!(s, "tags: {}", yaml_list(&self.tags));
        }
        if let Some(src) = &self.source {
            let mut parts = Vec::new();
            if let Some(f) = &src.file {
                parts.push(format!("file: {}", yaml_quoted(f)));
            }
            if let Some(h) = &src.sha256 {
                parts.push(format!("sha256: {h}"));
            }
            let _ = writeln!(s, "source: {{{}}}", parts.join(", "));
        }
        s
    }
}

/// A YAML scalar: JSON's double-quoted strings are valid YAML and escape everything needed.
/// Control characters (a stray NUL, a form feed) are no part of a field, and YAML refuses them.
fn yaml_quoted(s: &str) -> String {
    // YAML allows no control characters and neither U+FFFE nor U+FFFF, even escaped by
    // JSON's rules (found by the importer's property test: a title holding U+FFFE).
    let s: String = s
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}') {
                ' '
            } else {
                c
            }
        })
        .collect();
    serde_json::to_string(&s).unwrap_or_else(|_| format!("{s:?}"))
}

fn yaml_list(items: &[String]) -> String {
    let q: Vec<String> = items.iter().map(|s| yaml_quoted(s)).collect();
    format!("[{}]", q.join(", "))
}

pub(crate) const REPORT_KEYS: &[&str] = &[
    "title",
    "date",
    "outlet",
    "url",
    "language",
    "wire",
    "authors",
    "editors",
    "dateline",
    "image_caption",
    "event",
    "tags",
    "title_generated",
    "source",
];

/// A list written as a YAML list, or as one string.
fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
        Null(()),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
        OneOrMany::Null(()) => Vec::new(),
    }
    .into_iter()
    .map(|s| s.trim().to_string())
    .filter(|s| !s.is_empty())
    .collect())
}

/// One cleaned report.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Report {
    /// The file name without `.md`: unique in the dossier, and the report's URL segment.
    pub(crate) id: String,
    /// The file, as shown in diagnostics.
    pub(crate) path: PathBuf,
    pub(crate) title: String,
    pub(crate) title_generated: bool,
    pub(crate) date: Dated,
    pub(crate) outlet: Option<String>,
    pub(crate) url: Option<String>,
    pub(crate) language: Option<String>,
    pub(crate) wire: Vec<String>,
    pub(crate) authors: Vec<String>,
    pub(crate) editors: Vec<String>,
    pub(crate) dateline: Option<String>,
    pub(crate) image_caption: Option<String>,
    pub(crate) event: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) source: Option<Source>,
    /// Shared, not copied: the preview re-analyses the model from a copy of every report.
    pub(crate) body: std::sync::Arc<str>,
    /// The file's line on which `body` starts, for diagnostics about the text.
    pub(crate) body_line: usize,
}

/// An analyst's note on one event: `content/events/<id>.md`.
#[derive(Debug, Clone)]
pub(crate) struct EventNote {
    pub(crate) id: String,
    pub(crate) path: PathBuf,
    pub(crate) title: Option<String>,
    pub(crate) start: Option<NaiveDate>,
    pub(crate) end: Option<NaiveDate>,
    pub(crate) location: Option<String>,
    pub(crate) summary: Option<String>,
    pub(crate) body: String,
    pub(crate) body_line: usize,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventFront {
    title: Option<String>,
    start: Option<String>,
    end: Option<String>,
    location: Option<String>,
    summary: Option<String>,
}

const EVENT_KEYS: &[&str] = &["title", "start", "end", "location", "summary"];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexFront {
    title: Option<String>,
    description: Option<String>,
}

const INDEX_KEYS: &[&str] = &["title", "description"];

/// `content/_index.md`: the dossier's front page text.
#[derive(Debug, Clone, Default)]
pub(crate) struct FrontPage {
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) body: String,
}

/// Everything in `content/`, parsed but not yet analysed.
#[derive(Debug, Default)]
pub(crate) struct Corpus {
    pub(crate) front: FrontPage,
    pub(crate) reports: Vec<Report>,
    pub(crate) notes: Vec<EventNote>,
}

/// Whether `id` is a usable event id: lowercase letters, digits and single dashes.
pub(crate) fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

/// Whether a file name is safe to use as it is as a URL segment.
fn is_url_safe(stem: &str) -> bool {
    !stem.is_empty()
        && !stem.starts_with('.')
        && stem
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// The markdown files under `dir`, in a stable order; hidden files and editors' temporaries skipped.
pub(crate) fn markdown_files(dir: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| dir.to_path_buf());
                diags.push(Diagnostic::error(path, format!("cannot read: {e}")));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if name.ends_with('~') || name.ends_with(".swp") {
            continue;
        }
        if name.ends_with(".md") {
            out.push(entry.into_path());
        } else {
            diags.push(
                Diagnostic::warning(entry.path().to_path_buf(), "ignored: not a `.md` file")
                    .with_help("reports and event notes are markdown files; raw article text goes through `dossier import`"),
            );
        }
    }
    out
}

fn read(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(path)
        .map_err(|e| Diagnostic::error(path.to_path_buf(), format!("cannot read: {e}")))
}

/// Loads `<content>/` in full. Files with errors are left out of the corpus, with diagnostics.
pub(crate) fn load(content: &Path, diags: &mut Diagnostics) -> Corpus {
    let mut corpus = Corpus::default();
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(content.to_path_buf(), "there is no content folder")
                .with_help("create content/reports/ and put the reports there, or start anew with `dossier init`"),
        );
        return corpus;
    }
    let index = content.join("_index.md");
    if index.is_file() {
        match read(&index)
            .map_err(|d| vec![d])
            .and_then(|b| load_front(&index, &b))
        {
            Ok(f) => corpus.front = f,
            Err(ds) => diags.extend(ds),
        }
    }

    let report_files = markdown_files(&content.join("reports"), diags);
    let parsed: Vec<Result<Report, Vec<Diagnostic>>> = report_files
        .par_iter()
        .map(|p| {
            read(p)
                .map_err(|d| vec![d])
                .and_then(|b| parse_report(p, &b))
        })
        .collect();
    for r in parsed {
        match r {
            Ok(rep) => corpus.reports.push(rep),
            Err(ds) => diags.extend(ds),
        }
    }
    // Two files, one id: report both, keep neither, so no link silently goes to the wrong one.
    let mut by_id: std::collections::HashMap<&str, Vec<&Path>> = Default::default();
    for r in &corpus.reports {
        by_id.entry(r.id.as_str()).or_default().push(&r.path);
    }
    let mut dup_ids: Vec<(String, Vec<PathBuf>)> = by_id
        .into_iter()
        .filter(|(_, v)| v.len() > 1)
        .map(|(k, v)| {
            (
                k.to_string(),
                v.into_iter().map(Path::to_path_buf).collect(),
            )
        })
        .collect();
    dup_ids.sort();
    for (id, paths) in &dup_ids {
        for p in paths {
            let others: Vec<String> = paths
                .iter()
                .filter(|o| o != &p)
                .map(|o| crate::diag::display_path(o))
                .collect();
            diags.push(
                Diagnostic::error(
                    p.clone(),
                    format!(
                        "two reports have the id `{id}`: this one and {}",
                        others.join(", ")
                    ),
                )
                .with_help("a report's id is its file name; rename one of the files"),
            );
        }
    }
    corpus
        .reports
        .retain(|r| !dup_ids.iter().any(|(id, _)| *id == r.id));

    for p in markdown_files(&content.join("events"), diags) {
        match read(&p)
            .map_err(|d| vec![d])
            .and_then(|b| parse_note(&p, &b))
        {
            Ok(n) => corpus.notes.push(n),
            Err(ds) => diags.extend(ds),
        }
    }
    corpus
}

fn load_front(path: &Path, bytes: &[u8]) -> Result<FrontPage, Vec<Diagnostic>> {
    let text = frontmatter::decode(path, bytes).map_err(|d| vec![d])?;
    let split = frontmatter::split(path, text, false).map_err(|d| vec![d])?;
    let f: IndexFront = frontmatter::parse(path, &split, INDEX_KEYS)?;
    Ok(FrontPage {
        title: f.title,
        description: f.description,
        body: split.body.to_string(),
    })
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A report's id: its file name, slugified when it is not safe in an address.
fn report_id(path: &Path, problems: &mut Vec<Diagnostic>) -> String {
    let raw_stem = stem(path);
    let id = if is_url_safe(&raw_stem) {
        raw_stem
    } else {
        slug::slugify(&raw_stem)
    };
    if id.is_empty() {
        problems.push(
            Diagnostic::error(
                path.to_path_buf(),
                "the file name gives no usable report id",
            )
            .with_help(
                "rename the file with letters or digits, like 2024-03-29-kontan-naryshkin.md",
            ),
        );
    }
    id
}

/// Parses one report file.
pub(crate) fn parse_report(path: &Path, bytes: &[u8]) -> Result<Report, Vec<Diagnostic>> {
    let text = frontmatter::decode(path, bytes).map_err(|d| vec![d])?;
    let split = frontmatter::split(path, text, true).map_err(|d| vec![d])?;
    let f: ReportFront = frontmatter::parse(path, &split, REPORT_KEYS)?;
    let line = |key: &str| line_of_key(split.yaml, key).map(|l| l + split.yaml_line - 1);
    let mut problems = Vec::new();
    let title = f
        .title
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    if title.is_none() {
        problems.push(
            Diagnostic::error(path.to_path_buf(), "the report has no `title`")
                .at_line(line("title").or(Some(1)))
                .with_help("add a line `title: \"…\"` to the front matter"),
        );
    }
    // No `date` is a report of unknown date (analysis warns about it): nothing with article
    // text is lost for want of one.
    let date = match f.date.as_deref() {
        None => Some(Dated::Unknown),
        Some(s) => match Dated::parse(s) {
            Ok(d) => Some(d),
            Err(msg) => {
                problems.push(
                    Diagnostic::error(path.to_path_buf(), format!("bad `date`: {msg}"))
                        .at_line(line("date")),
                );
                None
            }
        },
    };
    let event = f
        .event
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty());
    if let Some(e) = &event {
        if !is_valid_id(e) {
            problems.push(
                Diagnostic::error(
                    path.to_path_buf(),
                    format!("bad `event` id `{e}`: use lowercase letters, digits and dashes"),
                )
                .at_line(line("event"))
                .with_help(format!("write `event: {}`", slug::slugify(e))),
            );
        }
    }
    if let Some(u) = &f.url {
        if !(u.starts_with("http://") || u.starts_with("https://")) {
            problems.push(
                Diagnostic::error(
                    path.to_path_buf(),
                    format!("`url` `{u}` is not an http(s) address"),
                )
                .at_line(line("url"))
                .with_help("give the original article's full address, starting with https://"),
            );
        }
    }
    let id = report_id(path, &mut problems);
    let (Some(title), Some(date), true) = (title, date, problems.is_empty()) else {
        return Err(problems);
    };
    Ok(Report {
        id,
        path: path.to_path_buf(),
        title,
        title_generated: f.title_generated,
        date,
        outlet: f
            .outlet
            .flatten()
            .map(|o| o.trim().to_string())
            .filter(|o| !o.is_empty()),
        url: f.url,
        language: f.language,
        wire: f.wire,
        authors: f.authors,
        editors: f.editors,
        dateline: f.dateline,
        image_caption: f.image_caption,
        event,
        tags: f.tags,
        source: f.source,
        body: split.body.trim_start_matches(['\n', '\r']).into(),
        body_line: body_line(text, split.body),
    })
}

/// The 1-based line of `text` on which the (leading-blank-trimmed) `body` starts.
fn body_line(text: &str, body: &str) -> usize {
    let trimmed = body.trim_start_matches(['\n', '\r']);
    crate::diag::line_of_offset(text, text.len() - trimmed.len())
}

fn parse_note(path: &Path, bytes: &[u8]) -> Result<EventNote, Vec<Diagnostic>> {
    let text = frontmatter::decode(path, bytes).map_err(|d| vec![d])?;
    let split = frontmatter::split(path, text, false).map_err(|d| vec![d])?;
    let f: EventFront = frontmatter::parse(path, &split, EVENT_KEYS)?;
    let line = |key: &str| line_of_key(split.yaml, key).map(|l| l + split.yaml_line - 1);
    let mut problems = Vec::new();
    let id = stem(path);
    if !is_valid_id(&id) {
        problems.push(
            Diagnostic::error(
                path.to_path_buf(),
                format!("`{id}` is not a usable event id"),
            )
            .with_help(format!(
                "rename the file to {}.md: lowercase letters, digits and dashes",
                slug::slugify(&id)
            )),
        );
    }
    let mut day = |key: &str, v: &Option<String>| -> Option<NaiveDate> {
        let s = v.as_deref()?;
        match Dated::parse(s) {
            Ok(d) => d.day(),
            Err(msg) => {
                problems.push(
                    Diagnostic::error(path.to_path_buf(), format!("bad `{key}`: {msg}"))
                        .at_line(line(key)),
                );
                None
            }
        }
    };
    let start = day("start", &f.start);
    let end = day("end", &f.end);
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            problems.push(
                Diagnostic::error(
                    path.to_path_buf(),
                    format!("`end` ({e}) is before `start` ({s})"),
                )
                .at_line(line("end"))
                .with_help("swap the two dates"),
            );
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(EventNote {
        id,
        path: path.to_path_buf(),
        title: f.title.filter(|t| !t.trim().is_empty()),
        start,
        end,
        location: f.location,
        summary: f.summary,
        body: split.body.trim_start_matches(['\n', '\r']).to_string(),
        body_line: body_line(text, split.body),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (import property test): a title holding U+FFFE or a vertical tab was
    /// written into front matter that YAML refuses.
    #[test]
    fn a_title_of_noncharacters_and_controls_is_written_as_yaml_that_parses() {
        let q = yaml_quoted("\u{a1}\ta\u{b}\u{fffe}b\u{ffff}\u{85}");
        let back: String = serde_yaml::from_str(&q).expect("YAML");
        assert_eq!(back, "\u{a1} a  b  ");
    }

    #[test]
    fn a_report_front_written_by_to_yaml_reads_back_the_same() {
        let front = ReportFront {
            title: Some("A \"quoted\" title: with a colon".into()),
            date: Some("2024-03-29T06:30:00+07:00".into()),
            outlet: Some(None),
            wire: vec!["AFP".into(), "Reuters".into()],
            dateline: Some("SEOUL".into()),
            event: Some("visit-2024".into()),
            source: Some(Source {
                file: Some("raw page.txt".into()),
                sha256: Some("ab".repeat(32)),
            }),
            ..ReportFront::default()
        };
        let text = frontmatter::join(&front.to_yaml(), "\nBody.\n");
        let r = parse_report(Path::new("2024-03-29-a.md"), text.as_bytes()).expect("parses");
        assert_eq!(r.title, "A \"quoted\" title: with a colon");
        assert_eq!(r.outlet, None);
        assert_eq!(r.wire, ["AFP", "Reuters"]);
        assert_eq!(r.dateline.as_deref(), Some("SEOUL"));
        assert_eq!(r.event.as_deref(), Some("visit-2024"));
        assert_eq!(r.source, front.source);
        assert_eq!(r.date.iso().as_deref(), Some("2024-03-29T06:30:00+07:00"));
        // Only what is set is written: `events --write` adds one line.
        let pinned = ReportFront {
            event: Some("visit-2024".into()),
            ..ReportFront::default()
        };
        assert_eq!(pinned.to_yaml(), "event: visit-2024\n");
    }

    #[test]
    fn unique_names_count_up_from_first_past_the_taken_ones() {
        let taken = ["a", "a-2", "b-1"];
        let free = |first, base| unique_name(base, first, |c| taken.contains(&c));
        assert_eq!(free(2, "c"), "c");
        assert_eq!(free(2, "a"), "a-3");
        assert_eq!(free(1, "b"), "b");
        assert_eq!(free(1, "a"), "a-1");
    }

    /// One helper, many small cases: the input file and what loading it says.
    fn check(input: &str, expected: &str) {
        let got = match parse_report(Path::new("r/a.md"), input.as_bytes()) {
            Ok(r) => format!(
                "ok {} {:?} {} outlet={:?} wire={:?} event={:?}",
                r.id,
                r.title,
                r.date.iso().unwrap_or_else(|| "unknown".into()),
                r.outlet,
                r.wire,
                r.event
            ),
            Err(ds) => ds
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n"),
        };
        assert_eq!(got, expected);
    }

    #[test]
    fn valid_reports() {
        check(
            "---\ntitle: T\ndate: 2024-03-29T06:30:00+07:00\noutlet: Kontan\nwire: [Reuters]\n---\nbody",
            "ok a \"T\" 2024-03-29T06:30:00+07:00 outlet=Some(\"Kontan\") wire=[\"Reuters\"] event=None",
        );
        check(
            "---\ntitle: T\ndate: 2024-03-28   # comment\noutlet: null\nwire: AFP\nevent: x-2024\n---\n",
            "ok a \"T\" 2024-03-28 outlet=None wire=[\"AFP\"] event=Some(\"x-2024\")",
        );
    }

    #[test]
    fn missing_and_unknown_keys() {
        check(
            "---\ntitel: T\ndate: 2024-03-29\n---\n",
            "error: r/a.md:2: unknown key `titel` in front matter\n  help: did you mean `title`?",
        );
        check(
            "---\noutlet: X\n---\n",
            "error: r/a.md:1: the report has no `title`\n  help: add a line `title: \"…\"` to the front matter",
        );
        // A report without `date` is one of unknown date, not an error.
        check(
            "---\ntitle: T\noutlet: X\n---\nbody",
            "ok a \"T\" unknown outlet=Some(\"X\") wire=[] event=None",
        );
    }

    #[test]
    fn bad_values() {
        check(
            "---\ntitle: T\ndate: 29 Maret 2024\n---\n",
            "error: r/a.md:3: bad `date`: `29 Maret 2024` is not a date: write 2024-03-29, or a date-time like 2024-03-29T06:30:00+07:00",
        );
        check(
            "---\ntitle: T\ndate: 2024-03-29T06:30:00\n---\n",
            "error: r/a.md:3: bad `date`: `2024-03-29T06:30:00` has a time but no time zone: add the offset, like 2024-03-29T06:30:00+07:00 for WIB",
        );
        check(
            "---\ntitle: T\ndate: 2024-02-30\n---\n",
            "error: r/a.md:3: bad `date`: `2024-02-30` is not a date: write 2024-03-29, or a date-time like 2024-03-29T06:30:00+07:00",
        );
        check(
            "---\ntitle: T\ndate: 2024-03-29\nevent: Naryshkin Visit\n---\n",
            "error: r/a.md:4: bad `event` id `Naryshkin Visit`: use lowercase letters, digits and dashes\n  help: write `event: naryshkin-visit`",
        );
    }

    #[test]
    fn broken_yaml_names_the_line() {
        check(
            "---\ntitle: T\ndate: 2024-03-29\noutlet: \"unclosed\n---\n",
            "error: r/a.md:4: invalid YAML in front matter: found unexpected end of stream\n  help: check the quoting: a value with `: ` or starting with `\"`, `[` or `*` must be quoted whole",
        );
        check(
            "---\ntitle: T\ndate: 2024-03-29\ntitle: U\n---\n",
            "error: r/a.md:2: invalid YAML in front matter: duplicate entry with key \"title\"\n  help: each key may appear once: delete or merge the repeated one",
        );
    }
}
