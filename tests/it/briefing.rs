//! Briefings: the `briefing/` page of a build, `dossier briefing` with its filters and errors,
//! and the PDF of the bundled dossier printed through headless Chromium (CI installs Debian's
//! `chromium` and poppler-utils: `.ci/setup`).

use std::path::Path;
use std::process::Command;

use crate::{bundled_copy, dossier, expect_file, repo};

/// Pairs of strings: (id, title) of events, (outlet, title) of reports.
type Pairs = Vec<(String, String)>;

/// The bundled dossier's events (id, title) and reports (outlet, title), from `dossier.json`.
fn bundled_model() -> (Pairs, Pairs) {
    let config = dossier::load_config(&repo()).expect("site.toml");
    let (files, _) = dossier::render_site(&config);
    let json: serde_json::Value =
        serde_json::from_slice(&files["dossier.json"]).expect("dossier.json");
    let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    let events = json["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| (s(&e["id"]), s(&e["title"])))
        .collect();
    let reports = json["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .map(|r| (s(&r["outlet"]), s(&r["title"])))
        .collect();
    (events, reports)
}

/// Text without white space or hyphens: pdftotext breaks lines anywhere, and drops the hyphen
/// of a word broken at one ("Mata-Mata" over two lines reads "MataMata").
fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

fn pdftotext(pdf: &Path, page: Option<usize>) -> String {
    let mut cmd = Command::new("pdftotext");
    if let Some(p) = page {
        cmd.args(["-f", &p.to_string(), "-l", &p.to_string()]);
    }
    let out = cmd
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext (poppler-utils)");
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn page_count(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("run pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&out.stdout).into_owned();
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo prints Pages:")
}

#[test]
fn the_bundled_briefing_prints_to_a_pdf_with_each_event_on_its_own_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = dir.path().join("briefing.pdf");
    let root = repo();
    let out = dossier(&[
        "briefing",
        "--root",
        &root.to_string_lossy(),
        "--pdf",
        &pdf.to_string_lossy(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("2 events, 5 reports"), "{}", out.stdout);

    let pages = page_count(&pdf);
    // A cover, two events with five full reports, and the sources: more than a leaflet, and
    // not one page per paragraph either.
    assert!((6..=30).contains(&pages), "{pages} pages");

    let (events, reports) = bundled_model();
    let all = squeeze(&pdftotext(&pdf, None));
    for (_, title) in &events {
        assert!(
            all.contains(&squeeze(title)),
            "event `{title}` is not in the PDF"
        );
    }
    // Every source is listed: outlet and title, in the numbered list at the end.
    let last = squeeze(&pdftotext(&pdf, Some(pages)));
    assert!(
        last.starts_with(&squeeze("Rusia–Korea Utara 2024 Sumber")),
        "{last}"
    );
    for (outlet, title) in &reports {
        assert!(
            all.contains(&squeeze(title)),
            "report `{title}` is not in the PDF"
        );
        let outlet = if outlet.is_empty() {
            "Media tidak diketahui"
        } else {
            outlet
        };
        assert!(
            last.contains(&squeeze(&format!("{outlet},"))) && last.contains(&squeeze(title)),
            "source `{outlet}: {title}` is not in the list of sources"
        );
    }

    // Each event starts a page: the page's first line after the running header is the event's
    // kicker, then its title; and no two events start on the same page.
    let mut starts = Vec::new();
    for (k, (_, title)) in events.iter().enumerate() {
        let kicker = format!("PERISTIWA {}", k + 1);
        let page = (1..=pages)
            .find(|&p| {
                let text = squeeze(&pdftotext(&pdf, Some(p)));
                let body = text
                    .strip_prefix(&squeeze("Rusia–Korea Utara 2024"))
                    .unwrap_or(&text);
                body.starts_with(&squeeze(&format!("{kicker} {title}")))
            })
            .unwrap_or_else(|| panic!("no page starts with event {} `{title}`", k + 1));
        starts.push(page);
    }
    assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
    assert!(starts[0] > 1, "the first event shares the cover page");
    // The running header and page numbers come from CSS @page margin boxes.
    let second = pdftotext(&pdf, Some(2));
    assert!(second.contains(&format!("2 / {pages}")), "{second}");
    // No site navigation or buttons on paper.
    assert!(
        !all.contains(&squeeze("Langsung ke isi")),
        "skip link printed"
    );
    // The headings become PDF bookmarks (Chromium's --generate-pdf-document-outline).
    let bytes = std::fs::read(&pdf).expect("read the PDF");
    let marks = outline_titles(&bytes);
    for (_, title) in &events {
        // Word for word, spaces included: both titles wrap on A4.
        assert!(
            marks.contains(title),
            "no bookmark for `{title}` in {marks:?}"
        );
    }
    assert!(marks.iter().any(|m| m == "Sumber"), "{marks:?}");
}

/// The `/Title` strings of a PDF written by Chromium (Skia writes its objects uncompressed):
/// literal `(…)` strings, or UTF-16 in hex `<FEFF…>` for text beyond ASCII.
fn outline_titles(pdf: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(pdf);
    let mut titles = Vec::new();
    for part in text.split("/Title").skip(1) {
        let part = part.trim_start();
        if let Some(rest) = part.strip_prefix('(') {
            let mut out = String::new();
            let mut chars = rest.chars();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => out.extend(chars.next()),
                    ')' => break,
                    c => out.push(c),
                }
            }
            titles.push(out);
        } else if let Some(rest) = part.strip_prefix('<') {
            let hex = rest.split('>').next().unwrap_or("");
            let units: Vec<u16> = hex
                .as_bytes()
                .chunks(4)
                .filter_map(|c| u16::from_str_radix(std::str::from_utf8(c).ok()?, 16).ok())
                .collect();
            titles.push(String::from_utf16_lossy(
                units.strip_prefix(&[0xFEFF]).unwrap_or(&units),
            ));
        }
    }
    titles
}

#[test]
fn build_writes_the_whole_dossier_as_a_briefing_page_linked_from_every_page() {
    let dir = bundled_copy();
    // A note that links a report: in the briefing, the link leads to the report's place in it.
    let note = dir
        .path()
        .join("content/events/choe-son-hui-in-moscow-2024-01.md");
    let mut text = std::fs::read_to_string(&note).expect("note");
    text.push_str("\nLihat [laporan Kontan](report:002_b0aaa6fdb9848722).\n");
    std::fs::write(&note, text).expect("note written");
    let out = dossier(&["build", "--root", &dir.path().to_string_lossy()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let public = dir.path().join("public");
    let page = std::fs::read_to_string(public.join("briefing/index.html")).expect("briefing page");
    assert!(page.contains(r#"id="e-choe-son-hui-in-moscow-2024-01""#));
    assert!(page.contains(r#"id="e-naryshkin-visits-pyongyang-2024-03""#));
    assert_eq!(page.matches(r#"<li id="src-"#).count(), 5);
    assert!(
        page.contains(r##"<a href="#r-002_b0aaa6fdb9848722">laporan Kontan</a> <a class="ref" href="#src-2">[2]</a>"##),
        "the note's link to a report is not cited"
    );
    // The date of the briefing is the latest report's, not the clock's: builds stay reproducible.
    assert!(page.contains(r#"<time datetime="2024-03-29">29 Maret 2024</time>"#));
    let front = std::fs::read_to_string(public.join("index.html")).expect("front page");
    assert!(
        front.contains(r#"<a href="briefing/">Taklimat</a>"#),
        "no link to the briefing"
    );
}

/// The events and reports a briefing shows, in order, from its anchors.
fn outline(html: &str) -> String {
    let mut out = String::new();
    for part in html.split(" id=\"").skip(1) {
        let id = part.split('"').next().unwrap_or("");
        if id.ends_with("-h") {
            continue; // a heading's id
        } else if let Some(e) = id.strip_prefix("e-") {
            out.push_str(&format!("event {e}\n"));
        } else if let Some(r) = id.strip_prefix("r-") {
            out.push_str(&format!("  report {r}\n"));
        } else if let Some(n) = id.strip_prefix("src-") {
            out.push_str(&format!("  source {n}\n"));
        }
    }
    out
}

#[test]
fn filters_choose_the_events_and_reports_of_a_briefing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = repo();
    let root = root.to_string_lossy();
    let cases: &[(&str, &[&str])] = &[
        ("everything", &[]),
        (
            "one event",
            &["--event", "naryshkin-visits-pyongyang-2024-03"],
        ),
        (
            "one event, since a day",
            &[
                "--event",
                "naryshkin-visits-pyongyang-2024-03",
                "--since",
                "2024-03-29",
            ],
        ),
        ("until a day", &["--until", "2024-01-31"]),
        ("one outlet", &["--outlet", "kontan"]),
        (
            "two outlets",
            &["--outlet", "Tempo", "--outlet", "GalaPos ID"],
        ),
        ("a name", &["--entity", "Choe Son Hui"]),
    ];
    let mut all = String::new();
    for (name, args) in cases {
        let html = dir.path().join("b.html");
        let mut argv = vec!["briefing", "--root", &root, "-o"];
        let html_s = html.to_string_lossy().into_owned();
        argv.push(&html_s);
        argv.extend_from_slice(args);
        let out = dossier(&argv);
        assert_eq!(out.code, 0, "{name}: {}", out.stderr);
        let text = std::fs::read_to_string(&html).expect("briefing written");
        // Self-contained: the stylesheet is inside, nothing is fetched from the site.
        assert!(text.contains("<style>") && !text.contains("rel=\"stylesheet\""));
        all.push_str(&format!(
            "# {name}: {}\n{}\n",
            args.join(" "),
            outline(&text)
        ));
    }
    expect_file(&repo().join("tests/fixtures/briefing/filters.txt"), &all);
}

#[test]
fn excerpts_keep_the_first_paragraphs_and_say_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let html = dir.path().join("b.html");
    let root = repo();
    let out = dossier(&[
        "briefing",
        "--root",
        &root.to_string_lossy(),
        "--excerpts",
        "--date",
        "2024-04-01",
        "-o",
        &html.to_string_lossy(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = std::fs::read_to_string(&html).expect("briefing written");
    assert_eq!(
        text.matches("excerpt-note").count(),
        5 + 1,
        "one note per report, one style rule"
    );
    assert!(text.contains(r#"<time datetime="2024-04-01">1 April 2024</time>"#));
    assert!(
        !text.contains("Amerika Serikat kemudian mengklaim Pyongyang"),
        "full text kept"
    );
}

#[test]
fn bad_filters_are_diagnostics_with_suggestions() {
    let root = repo();
    let root = root.to_string_lossy();
    let out = dossier(&[
        "briefing",
        "--root",
        &root,
        "--event",
        "naryshkin-visits-pyongyang-2024-04",
        "--since",
        "2024-13-01",
        "--outlet",
        "Kontann",
        "-o",
        "/nonexistent/never-written.html",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    for want in [
        "no event has the id `naryshkin-visits-pyongyang-2024-04`",
        "did you mean `naryshkin-visits-pyongyang-2024-03`?",
        "bad `--since`: `2024-13-01` is not a date",
        "write a date like 2024-03-29",
        "no report is from the outlet `Kontann`",
        "did you mean `Kontan`?",
    ] {
        assert!(
            out.stderr.contains(want),
            "missing `{want}` in:\n{}",
            out.stderr
        );
    }
    let out = dossier(&[
        "briefing",
        "--root",
        &root,
        "--since",
        "2024-04-01",
        "--until",
        "2024-03-01",
    ]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("is after `--until"), "{}", out.stderr);
}

#[test]
fn without_chromium_the_pdf_says_how_to_install_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = dir.path().join("b.pdf");
    let root = repo();
    let out = dossier(&[
        "briefing",
        "--root",
        &root.to_string_lossy(),
        "--pdf",
        &pdf.to_string_lossy(),
        "--chromium",
        "/nonexistent/chromium",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("/nonexistent/chromium"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("apt-get install chromium"),
        "{}",
        out.stderr
    );
    assert!(!pdf.exists());
    // Nor on PATH.
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["briefing", "--root", &root.to_string_lossy(), "--pdf"])
        .arg(&pdf)
        .env("PATH", dir.path())
        .output()
        .expect("run dossier");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("none of chromium, chromium-browser, google-chrome is on PATH"),
        "{stderr}"
    );
    assert!(!pdf.exists());
}

/// Prints one page of a built site to PDF as a reader would from the browser.
fn print_page(html: &Path, pdf: &Path) {
    let profile = tempfile::tempdir().expect("tempdir");
    let status = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("run chromium (.ci/setup installs it)");
    assert!(status.success() && pdf.exists(), "chromium printed no PDF");
}

#[test]
fn an_event_page_prints_on_its_own_with_what_the_screen_folds_away() {
    let dir = bundled_copy();
    let out = dossier(&["build", "--root", &dir.path().to_string_lossy()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let pdf = dir.path().join("event.pdf");
    print_page(
        &dir.path()
            .join("public/events/naryshkin-visits-pyongyang-2024-03/index.html"),
        &pdf,
    );
    let pages = page_count(&pdf);
    let all = pdftotext(&pdf, None);
    // On screen, what a single outlet carried is folded in <details>; paper cannot unfold it.
    assert!(
        squeeze(&all).contains(&squeeze(
            "Pertemuan itu berlangsung sementara Pyongyang berupaya meluaskan keterlibatan"
        )),
        "single-source statements are not printed"
    );
    // Page numbers from the print stylesheet; no site navigation.
    let first = pdftotext(&pdf, Some(1));
    assert!(
        first.contains(&format!("1/{pages}")) || first.contains(&format!("1 / {pages}")),
        "{first}"
    );
    assert!(!all.contains("Linimasa"), "navigation printed");
}

#[test]
fn a_large_dossier_briefs_its_latest_thousand_reports_on_the_site() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(
        root.join("site.toml"),
        "title = \"Large\"\nbase_url = \"https://example.org/\"\nlanguage = \"en\"\n",
    )
    .expect("site.toml");
    let reports = root.join("content/reports");
    std::fs::create_dir_all(&reports).expect("content/reports");
    // 1,010 reports, three a day from 1 January 2024: the latest 1,000 start mid-day, so the
    // page starts the day after and holds fewer.
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("a date");
    for i in 0..1010u32 {
        let day = start + chrono::Days::new(u64::from(i / 3));
        std::fs::write(
            reports.join(format!("r{i:04}.md")),
            format!(
                "---\ntitle: \"Report {i}\"\ndate: {day}\noutlet: Outlet {}\n---\n\nBody of report number {i}.\n",
                i % 4
            ),
        )
        .expect("a report");
    }
    let out = dossier(&["build", "--root", &root.to_string_lossy()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let page =
        std::fs::read_to_string(root.join("public/briefing/index.html")).expect("briefing page");
    // 1,010 - 1,000 = 10 left out: reports 0..=9 end on day 3 (reports 9, 10, 11), so day 4 on.
    assert_eq!(page.matches(r#"<li id="src-"#).count(), 1010 - 12);
    assert!(
        page.contains("From: 2024-01-05"),
        "the cover says where it starts"
    );
    assert!(!page.contains("Report 11<") && page.contains("Report 12<"));
}

#[test]
fn the_briefing_page_reads_on_a_phone_and_passes_axe_in_both_colour_schemes() {
    use crate::browser::{chrome, tool, View};
    let files = ::dossier::render_site(&::dossier::load_config(&repo()).expect("config")).0;
    let server = ::dossier::serve_files(files, "/d/").expect("server");
    let chrome = chrome();
    let axe = std::fs::read_to_string(tool("axe")).expect("axe-core");
    for view in [View::PHONE, View::PHONE.dark(), View::DESK] {
        let page = chrome.open(&format!("http://{}/d/briefing/", server.addr), view);
        assert_eq!(page.problems(), Vec::<String>::new());
        assert_eq!(
            page.eval("document.documentElement.scrollWidth <= window.innerWidth"),
            serde_json::json!(true),
            "the page scrolls sideways"
        );
        page.eval(&axe);
        let violations = page.eval(
            "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']}).then(r => JSON.stringify(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))",
        );
        assert_eq!(violations, serde_json::json!("[]"), "axe");
    }
}
