//! Import: raw page text or saved HTML pages become clean markdown reports.
//!
//! In: raw files (`.txt`, `.html`, folders of them) and hints (`--url`, `--outlet`, `--date`).
//! Out: `content/reports/*.md`, one line per file, and `--explain`'s account of every decision.
//!
//! Each raw file is read, fingerprinted (sha256 of its bytes), decoded and cleaned in parallel
//! (`extract.rs` for text, `html.rs` for saved pages); the saved pages of one site then teach
//! each other what their template is (`site.rs`); then, in a fixed order, each result is written to `content/reports/` unless a report with
//! the same fingerprint is already there. An existing report is never overwritten without
//! `--force`: the analyst may have edited it.

mod address;
mod dates;
mod extract;
mod html;
mod html_meta;
#[cfg(test)]
mod proptests;
mod rules;
mod site;
mod titles;

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;
use regex::Regex;
use sha2::{Digest, Sha256};

use crate::diag::{display_path, Diagnostic};
use crate::load::content::{unique_name, ReportFront, Source};
use crate::load::write::write_whole;
pub(crate) use extract::{Article, Hints, Patterns, Verdict};
pub(crate) use rules::Rules;

/// Raw files larger than this are not article text.
const MAX_BYTES: u64 = 20 * 1024 * 1024;

/// Saved pages can be larger: "save as a single file" inlines every image.
const MAX_HTML_BYTES: u64 = 64 * 1024 * 1024;

/// The extensions of saved pages, taken from folders beside `.txt`.
const HTML_EXTENSIONS: &[&str] = &["html", "htm", "xhtml"];

/// What the command line asks of an import.
pub(crate) struct Options {
    /// The dossier's folder.
    pub(crate) root: PathBuf,
    /// Raw files, or folders to take every `.txt`, `.html` and `.htm` file from.
    pub(crate) inputs: Vec<PathBuf>,
    pub(crate) outlet: Option<String>,
    pub(crate) url: Option<String>,
    /// The publication date of the files of this run (`--date`), for pages that state none.
    pub(crate) date: Option<NaiveDate>,
    pub(crate) dry_run: bool,
    pub(crate) explain: bool,
    pub(crate) force: bool,
    pub(crate) today: NaiveDate,
}

/// What happened to one raw file.
#[derive(Debug)]
pub(crate) enum Outcome {
    Imported { to: PathBuf, warnings: Vec<String> },
    Replaced { to: PathBuf, warnings: Vec<String> },
    AlreadyImported { at: PathBuf },
    Failed(Diagnostic),
}

/// The result of one raw file, in input order.
pub(crate) struct FileResult {
    pub(crate) raw: PathBuf,
    pub(crate) outcome: Outcome,
    /// The cleaned report (markdown), when there is one.
    pub(crate) markdown: Option<String>,
    pub(crate) article: Option<Article>,
}

/// The built-in patterns of the text (dates, datelines, wires), compiled once per process: a
/// few hundred regexes whose compiling cost about 100 ms, more than importing a page, and the
/// fuzz campaign imports 150,000 pages one call at a time.
static BUILT_IN_PATTERNS: std::sync::LazyLock<Patterns> = std::sync::LazyLock::new(Patterns::new);

/// Imports every input; returns one result per raw file. `Err` is a problem with the whole
/// run (a bad `import.yaml`, an input that does not exist).
pub(crate) fn import(opts: &Options) -> Result<Vec<FileResult>, Vec<Diagnostic>> {
    let rules = Rules::of_dossier(&opts.root).map_err(|d| vec![d])?;
    let raws = collect_inputs(&opts.inputs)?;
    let reports_dir = opts.root.join("content").join("reports");
    let existing = existing_fingerprints(&opts.root.join("content"));
    let pats: &Patterns = &BUILT_IN_PATTERNS;
    let hints = Hints {
        outlet: opts.outlet.as_deref(),
        url: opts.url.as_deref(),
        date: opts.date,
        today: opts.today,
    };

    let mut cleaned: Vec<(PathBuf, Result<Cleaned, Diagnostic>)> = raws
        .par_iter()
        .map(|raw| {
            let mut r = clean_file(raw, &rules, pats, &hints);
            if let (Ok((_, article, _)), false) = (&mut r, opts.explain) {
                // Memory stays proportional to the articles, not to every line of every page.
                article.trail = Vec::new();
            }
            (raw.clone(), r)
        })
        .collect();
    let mut articles: Vec<&mut Article> = cleaned
        .iter_mut()
        .filter_map(|(_, r)| r.as_mut().ok().map(|(_, a, _)| a))
        .collect();
    site::drop_template(&mut articles);

    let mut taken: HashMap<PathBuf, String> = HashMap::new(); // names written in this run
    let mut seen: HashMap<String, PathBuf> = HashMap::new(); // fingerprints of this run
    let mut results = Vec::with_capacity(cleaned.len());
    for (raw, r) in cleaned {
        let (sha, article, warnings) = match r {
            Ok(x) => x,
            Err(d) => {
                results.push(FileResult {
                    raw,
                    outcome: Outcome::Failed(d),
                    markdown: None,
                    article: None,
                });
                continue;
            }
        };
        let file_name = raw
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let url = opts.url.as_deref().or(article.url.as_deref());
        let markdown = to_markdown(&article, &file_name, &sha, url);
        let already = existing.get(&sha).or_else(|| seen.get(&sha)).cloned();
        let outcome = match already {
            Some(at) if !opts.force => Outcome::AlreadyImported { at },
            Some(at) => write_report(&at, &markdown, opts.dry_run, true, warnings),
            None => {
                // Another article with the same date and title: a new name, never an overwrite.
                let name = unique_name(&report_name(&article), 2, |name| {
                    let to = reports_dir.join(format!("{name}.md"));
                    to.exists() || taken.contains_key(&to)
                });
                let to = reports_dir.join(format!("{name}.md"));
                write_report(&to, &markdown, opts.dry_run, false, warnings)
            }
        };
        if let Outcome::Imported { to, .. } | Outcome::Replaced { to, .. } = &outcome {
            taken.insert(to.clone(), sha.clone());
            seen.insert(sha, to.clone());
        }
        results.push(FileResult {
            raw,
            outcome,
            markdown: opts.dry_run.then_some(markdown),
            article: opts.explain.then_some(article),
        });
    }
    Ok(results)
}

fn write_report(
    to: &Path,
    markdown: &str,
    dry_run: bool,
    replace: bool,
    warnings: Vec<String>,
) -> Outcome {
    if !dry_run {
        let written = to
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| write_whole(to, markdown.as_bytes()));
        if let Err(e) = written {
            return Outcome::Failed(
                Diagnostic::error(to.to_path_buf(), format!("cannot be written: {e}"))
                    .with_help("check that the folder is writable"),
            );
        }
    }
    if replace {
        Outcome::Replaced {
            to: to.to_path_buf(),
            warnings,
        }
    } else {
        Outcome::Imported {
            to: to.to_path_buf(),
            warnings,
        }
    }
}

/// Every raw file named, folders expanded to their `.txt` and saved-page files, in a stable
/// order. A browser's "Save Page As" puts the page's images and scripts in `<page>_files/`
/// beside it: those folders are not pages.
fn collect_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(input)
                .into_iter()
                .filter_entry(|e| {
                    !(e.file_type().is_dir()
                        && e.depth() > 0
                        && e.file_name().to_string_lossy().ends_with("_files"))
                })
                .filter_map(Result::ok)
                .filter(|e| {
                    e.file_type().is_file()
                        && e.path().extension().is_some_and(|x| {
                            x.eq_ignore_ascii_case("txt")
                                || HTML_EXTENSIONS.iter().any(|h| x.eq_ignore_ascii_case(h))
                        })
                })
                .map(|e| e.into_path())
                .collect();
            found.sort();
            if found.is_empty() {
                problems.push(
                    Diagnostic::error(input.clone(), "holds no .txt, .html or .htm files")
                        .with_help(
                            "import reads raw page text saved as .txt files and pages saved \
                             from a browser as .html",
                        ),
                );
            }
            out.extend(found);
        } else if input.is_file() {
            out.push(input.clone());
        } else {
            problems.push(
                Diagnostic::error(input.clone(), "does not exist")
                    .with_help("name raw .txt or saved .html files, or folders that hold them"),
            );
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// `source.sha256` of every report under `content/`, to skip what is already imported.
fn existing_fingerprints(content: &Path) -> HashMap<String, PathBuf> {
    let Ok(re) = Regex::new(r"sha256:\s*([0-9a-fA-F]{64})") else {
        return HashMap::new();
    };
    let files: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    files
        .par_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            // Only the front matter: the fingerprint is one of its keys.
            let front = crate::load::frontmatter::split(p, &text, true).ok()?.yaml;
            let sha = re.captures(front)?.get(1)?.as_str().to_lowercase();
            Some((sha, p.clone()))
        })
        .collect::<BTreeMap<_, _>>()
        .into_iter()
        .collect()
}

/// A cleaned raw file: its sha256, the article, and warnings about it.
type Cleaned = (String, Article, Vec<String>);

/// Reads, fingerprints, decodes and cleans one raw file.
fn clean_file(
    raw: &Path,
    rules: &Rules,
    pats: &Patterns,
    hints: &Hints<'_>,
) -> Result<Cleaned, Diagnostic> {
    let fail = |msg: String, help: &str| Diagnostic::error(raw.to_path_buf(), msg).with_help(help);
    let named_html = raw
        .extension()
        .is_some_and(|x| HTML_EXTENSIONS.iter().any(|h| x.eq_ignore_ascii_case(h)));
    let max = if named_html {
        MAX_HTML_BYTES
    } else {
        MAX_BYTES
    };
    let size = std::fs::metadata(raw)
        .map_err(|e| {
            fail(
                format!("cannot be read: {e}"),
                "check the path and permissions",
            )
        })?
        .len();
    if size > max {
        return Err(fail(
            format!(
                "is {} MB, larger than any article ({} MB at most)",
                size / (1024 * 1024),
                max / (1024 * 1024)
            ),
            "save the article's page text alone, not a whole site or an archive",
        ));
    }
    let bytes = std::fs::read(raw).map_err(|e| {
        fail(
            format!("cannot be read: {e}"),
            "check the path and permissions",
        )
    })?;
    let sha = Sha256::digest(&bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        });
    let mut warnings = Vec::new();
    if html::is_html(raw, &bytes) {
        return clean_html(raw, &bytes, sha, rules, pats, hints);
    }
    let text = decode(raw, &bytes, &mut warnings)?;
    if text.trim().is_empty() {
        return Err(fail(
            "is empty".into(),
            "save the page's text into the file, then import it again",
        ));
    }
    let article = extract::extract(&text, rules, pats, hints).map_err(|m| {
        fail(
            m,
            "if the page does hold an article, tell us: the rules miss it",
        )
    })?;
    if article.date.is_none() {
        // Kept all the same: an analyst who saved the page wants it in the dossier.
        warnings.push(
            "no publication date found: the report is written without `date` (\"date unknown\"); \
             set it with --date 2024-06-17 for this file, or add `date: 2024-06-17` to the report"
                .into(),
        );
    }
    if article.outlet.is_none() {
        warnings.push("the page does not name its outlet: pass --outlet or --url".into());
    }
    Ok((sha, article, warnings))
}

/// The saved-page half of [`clean_file`]: decoding by the page's own charset, then the page.
fn clean_html(
    raw: &Path,
    bytes: &[u8],
    sha: String,
    rules: &Rules,
    pats: &Patterns,
    hints: &Hints<'_>,
) -> Result<Cleaned, Diagnostic> {
    let fail = |msg: String, help: &str| Diagnostic::error(raw.to_path_buf(), msg).with_help(help);
    let (text, warning) = html::decode(bytes).map_err(|m| {
        fail(
            m,
            "save the article from a browser (File > Save Page As, \"Web Page, HTML only\"), \
             then import the .html file",
        )
    })?;
    let mut warnings: Vec<String> = warning.into_iter().collect();
    if text.trim().is_empty() {
        return Err(fail(
            "is empty".into(),
            "save the page again from the browser, then import it again",
        ));
    }
    let article = html::extract(&text, rules, pats, hints).map_err(|m| {
        fail(
            m,
            "a list, home or login page has no article: save the article's own page; if this \
             page does hold one, tell us (the page may build its text with scripts)",
        )
    })?;
    if article.date.is_none() {
        warnings.push(
            "states no publication date: the report is written with its date unknown; \
             set it with --date 2024-06-17 for this file, or add `date: 2024-06-17` to the report"
                .into(),
        );
    }
    if article.outlet.is_none() {
        warnings.push("the page does not name its outlet: pass --outlet or --url".into());
    }
    Ok((sha, article, warnings))
}

/// UTF-8 as is; a legacy encoding (Windows-1252, a superset of Latin-1) decoded with a warning;
/// binary refused.
fn decode(raw: &Path, bytes: &[u8], warnings: &mut Vec<String>) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.contains(&0) {
        return Err(Diagnostic::error(
            raw.to_path_buf(),
            "is a binary file, not page text",
        )
        .with_help("save the page as text (in a browser: select the article, copy, paste into a .txt file)"));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            warnings.push(format!(
                "is not UTF-8 (first at line {line}): read as Windows-1252; check the accents"
            ));
            Ok(text.into_owned())
        }
    }
}

/// `2024-03-29-intelijen-rusia-kepala-mata-mata-putin-kunjungi-korea`: date and title.
fn report_name(a: &Article) -> String {
    let date = a.date.map_or_else(
        || "undated".to_string(),
        |d| d.date.format("%Y-%m-%d").to_string(),
    );
    let slug = crate::load::content::short_slug(&a.title, 60, usize::MAX, "report");
    format!("{date}-{slug}")
}

/// The report file: front matter in the content schema, then the paragraphs.
fn to_markdown(a: &Article, raw_name: &str, sha: &str, url: Option<&str>) -> String {
    let front = ReportFront {
        title: Some(a.title.clone()),
        title_generated: a.title_generated,
        date: a.date.map(|d| d.to_front_matter()),
        outlet: Some(a.outlet.clone()),
        url: url.map(str::to_string),
        wire: a.wire.clone(),
        authors: a.authors.clone(),
        editors: a.editors.clone(),
        dateline: a.dateline.clone(),
        language: a.language.clone(),
        image_caption: a.image_caption.clone(),
        source: Some(Source {
            file: Some(raw_name.to_string()),
            sha256: Some(sha.to_string()),
        }),
        ..ReportFront::default()
    };
    let mut body = String::new();
    for p in &a.paragraphs {
        body.push('\n');
        if a.markdown {
            body.push_str(p);
        } else {
            body.push_str(&escape_markdown_start(p));
        }
        body.push('\n');
    }
    crate::load::frontmatter::join(&front.to_yaml(), &body)
}

/// Article text is prose, not markdown: a paragraph that happens to start like a heading, a
/// list item or a quote must not become one.
fn escape_markdown_start(p: &str) -> String {
    if p.starts_with(['#', '>', '-', '*', '+', '=', '|', '`', '~']) {
        return format!("\\{p}");
    }
    // "2024. Tahun itu…" would start an ordered list: escape its full stop.
    let digits = p.chars().take_while(char::is_ascii_digit).count();
    if (1..=9).contains(&digits) && p[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &p[..digits], &p[digits..]);
    }
    p.to_string()
}

/// `--explain`: every decision about the page's lines.
pub(crate) fn explain(a: &Article) -> String {
    let mut steps = a.trail.clone();
    steps.sort_by_key(|s| s.line);
    let mut out = String::new();
    for (field, how) in &a.sources {
        let _ = writeln!(out, "  {field:<8} ← {how}");
    }
    for s in steps {
        let what = match &s.verdict {
            Verdict::Keep => "keep".to_string(),
            Verdict::Drop => "drop".to_string(),
            Verdict::Field(f) => format!("→ {f}"),
        };
        let mut text: String = s.text.chars().take(72).collect();
        if text.len() < s.text.len() {
            text.push('…');
        }
        let _ = writeln!(out, "  {:>4}  {:<16} {:<26} {}", s.line, what, s.rule, text);
    }
    out
}

/// One line per file for the terminal.
pub(crate) fn describe(r: &FileResult) -> String {
    let raw = display_path(&r.raw);
    match &r.outcome {
        Outcome::Imported { to, warnings } | Outcome::Replaced { to, warnings } => {
            let verb = if matches!(r.outcome, Outcome::Replaced { .. }) {
                "replaced"
            } else {
                "kept"
            };
            let mut line = format!("{verb}     {raw} → {}", display_path(to));
            for w in warnings {
                let _ = write!(line, "\n         warning: {w}");
            }
            line
        }
        Outcome::AlreadyImported { at } => format!(
            "skipped  {raw}: already imported as {} (same sha256; --force to import again)",
            display_path(at)
        ),
        Outcome::Failed(d) => format!("failed   {d}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_prose_that_looks_like_markup() {
        assert_eq!(escape_markdown_start("# 1 di dunia"), "\\# 1 di dunia");
        assert_eq!(
            escape_markdown_start("2024. Tahun itu"),
            "2024\\. Tahun itu"
        );
        assert_eq!(escape_markdown_start("Putin tiba."), "Putin tiba.");
    }
}
