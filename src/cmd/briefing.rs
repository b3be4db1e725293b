//! `dossier briefing`: the part of the dossier a filter selects as one self-contained HTML file,
//! and, with `--pdf`, printed through a headless Chromium: the only code that starts one.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use super::{fail, load_config, say, Paper};
use crate::analyze::briefing::{Filter, Selection};
use crate::diag::{display_path, Diagnostic, Diagnostics};
use crate::load::config::Config;

pub(super) fn run(
    root: PathBuf,
    filter: &Filter,
    output: Option<PathBuf>,
    pdf: Option<PathBuf>,
    chromium: Option<PathBuf>,
    paper: Paper,
) -> ExitCode {
    let config = match load_config(root, None, None) {
        Ok(c) => c,
        Err(code) => return code,
    };
    // Look for Chromium first: a missing one should not cost a whole render to find out.
    let chromium = match &pdf {
        Some(_) => match find_chromium(chromium.as_deref()) {
            Ok(c) => Some(c),
            Err(d) => return fail(&[d]),
        },
        None => None,
    };
    let paper = match paper {
        Paper::A4 => "A4",
        Paper::Letter => "letter",
    };
    let (html, sel) = match briefing_html(&config, filter, Some(paper)) {
        Ok(x) => x,
        Err(diags) => {
            eprint!("{}", diags.report());
            return ExitCode::FAILURE;
        }
    };
    let summary = format!(
        "{} events, {} reports",
        sel.events.len(),
        sel.reports().count()
    );
    let output = output.or_else(|| pdf.is_none().then(|| PathBuf::from("briefing.html")));
    if let Some(out) = &output {
        if let Err(e) = std::fs::write(out, &html) {
            return fail(&[Diagnostic::error(out.clone(), format!("cannot write: {e}"))]);
        }
        say!("Wrote the briefing ({summary}) to {}", display_path(out));
    }
    if let (Some(out), Some(chromium)) = (&pdf, &chromium) {
        let started = Instant::now();
        if let Err(d) = print_pdf(chromium, &html, out) {
            return fail(&[d]);
        }
        say!(
            "Printed the briefing ({summary}) to {} ({:.2} s)",
            display_path(out),
            started.elapsed().as_secs_f64()
        );
    }
    ExitCode::SUCCESS
}

/// The briefing of the part of the dossier `filter` selects, as one self-contained HTML file,
/// and what it selected. Bad filter values and content problems are errors.
fn briefing_html(
    config: &Config,
    filter: &Filter,
    paper: Option<&str>,
) -> Result<(String, Selection), Diagnostics> {
    let (dossier, mut diags) = super::build::load_and_analyze(config);
    if diags.has_errors() {
        return Err(diags);
    }
    let sel = match crate::analyze::briefing::select(&dossier, filter) {
        Ok(s) => s,
        Err(ds) => {
            diags.extend(ds);
            return Err(diags);
        }
    };
    match crate::render::render_briefing(config, &dossier, &sel, paper, &mut diags) {
        Some(html) if !diags.has_errors() => Ok((html, sel)),
        _ => Err(diags),
    }
}

/// Names under which Chromium is installed, looked up on `PATH` in this order.
const CHROMIUM_NAMES: &[&str] = &["chromium", "chromium-browser", "google-chrome"];
/// A hung browser must not hang the command. The bundled dossier prints in 3 s; a briefing of
/// a thousand reports (thousands of pages) took minutes on a loaded 2-core machine.
const PRINT_TIMEOUT: Duration = Duration::from_secs(600);

/// The Chromium to print with: `given`, or the first of [`CHROMIUM_NAMES`] on `PATH`.
fn find_chromium(given: Option<&Path>) -> Result<PathBuf, Diagnostic> {
    let how = "install Chromium (Debian/Ubuntu: `sudo apt-get install chromium`; macOS: `brew install --cask chromium`), or pass its path with `--chromium`";
    if let Some(p) = given {
        return if p.is_file() {
            Ok(p.to_path_buf())
        } else {
            Err(
                Diagnostic::error(p.to_path_buf(), "no Chromium here: the file does not exist")
                    .with_help(how),
            )
        };
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in CHROMIUM_NAMES {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    Err(Diagnostic::error(
        None,
        format!(
            "printing a PDF needs a headless Chromium, and none of {} is on PATH",
            CHROMIUM_NAMES.join(", ")
        ),
    )
    .with_help(how))
}

/// Prints the self-contained briefing `html` to the PDF `out` with `chromium`.
fn print_pdf(chromium: &Path, html: &str, out: &Path) -> Result<(), Diagnostic> {
    let fail = |msg: String| {
        Diagnostic::error(out.to_path_buf(), msg)
            .with_help("check that Chromium starts (`chromium --headless --version`), or write HTML with -o and print it from a browser")
    };
    let work =
        tempfile::tempdir().map_err(|e| fail(format!("cannot make a temporary folder: {e}")))?;
    let page = work.path().join("briefing.html");
    std::fs::write(&page, html)
        .map_err(|e| fail(format!("cannot write {}: {e}", page.display())))?;
    let pdf = work.path().join("briefing.pdf");
    let profile = work.path().join("profile");
    // Chromium's log goes to a file: a pipe nobody reads until the end could fill and stall it.
    let log_path = work.path().join("chromium.log");
    let log = std::fs::File::create(&log_path)
        .map_err(|e| fail(format!("cannot write {}: {e}", log_path.display())))?;
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            "--generate-pdf-document-outline",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(file_url(&page))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| fail(format!("cannot start {}: {e}", chromium.display())))?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if started.elapsed() > PRINT_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(fail(format!(
                    "Chromium did not finish printing within {} s",
                    PRINT_TIMEOUT.as_secs()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(fail(format!("cannot wait for Chromium: {e}"))),
        }
    };
    let made = std::fs::metadata(&pdf)
        .map(|m| m.len() > 0)
        .unwrap_or(false);
    if !status.success() || !made {
        let err = std::fs::read_to_string(&log_path).unwrap_or_default();
        let last = err
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(fail(format!(
            "Chromium wrote no PDF ({status}){}",
            if last.is_empty() {
                String::new()
            } else {
                format!(": {last}")
            }
        )));
    }
    std::fs::copy(&pdf, out).map_err(|e| fail(format!("cannot write the PDF: {e}")))?;
    Ok(())
}

/// A `file://` URL for an absolute path, with the characters a URL cannot hold escaped.
fn file_url(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let s = abs.to_string_lossy().replace('\\', "/");
    let mut url = String::from("file://");
    if !s.starts_with('/') {
        url.push('/');
    }
    url.push_str(&percent_encoding::utf8_percent_encode(&s, PATH_SET).to_string());
    url
}

const PATH_SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'?')
    .add(b'<')
    .add(b'>');

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_escape_what_urls_cannot_hold() {
        assert_eq!(
            file_url(Path::new("/tmp/a b#c.html")),
            "file:///tmp/a%20b%23c.html"
        );
    }

    #[test]
    fn a_missing_chromium_says_how_to_install_one() {
        let e = find_chromium(Some(Path::new("/nonexistent/chromium"))).unwrap_err();
        assert!(e
            .help
            .unwrap_or_default()
            .contains("apt-get install chromium"));
    }
}
