//! Fuzzing on stable Rust: property tests that feed the parsers of user input random and
//! mangled input (report files and their YAML front matter, markdown with links of every
//! scheme, `site.toml`, `import.yaml`, saved HTML pages) and check that none panics, each answers
//! in bounded time, and markdown never lets anything executable through.
//!
//! `cargo test` runs a short campaign (proptest's default number of cases, or `PROPTEST_CASES`);
//! `bench/fuzz.sh` runs a long one and reports the inputs tried and the slowest input. The text
//! importer's own properties are in `import/proptests.rs`.

use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use proptest::prelude::*;

/// Runs one property over `quick_cases` of `strategy`'s inputs (or `PROPTEST_CASES`),
/// each in bounded time, and prints how many inputs it tried and the slowest:
/// `bench/fuzz.sh` collects those lines. A failing input is shrunk and reported by proptest,
/// and its seed is kept in `proptest-regressions/` beside `source` (the caller's `file!()`),
/// replayed first by every later run.
pub(crate) fn campaign<S: Strategy>(
    source: &'static str,
    name: &str,
    quick_cases: u32,
    strategy: S,
    show: impl Fn(&S::Value) -> String,
    check: impl Fn(&S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    // A second in a release build (`bench/fuzz.sh`); the test suite's debug build on a busy
    // machine gets more.
    let limit = std::env::var("DOSSIER_FUZZ_LIMIT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(Duration::from_secs(10), Duration::from_millis);
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(quick_cases);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases,
        source_file: Some(source),
        ..ProptestConfig::default()
    });
    let slowest = Mutex::new((Duration::ZERO, String::new(), 0usize));
    let result = runner.run(&strategy, |input| {
        let started = Instant::now();
        let out = check(&input);
        let took = started.elapsed();
        let mut s = slowest.lock().unwrap_or_else(|p| p.into_inner());
        s.2 += 1;
        if took > s.0 {
            let shown: String = show(&input).chars().take(100).collect();
            *s = (took, shown, s.2);
        }
        drop(s);
        prop_assert!(took < limit, "took {:?}", took);
        out
    });
    let (took, input, tried) = slowest.into_inner().unwrap_or_else(|p| p.into_inner());
    eprintln!(
        "fuzz {name}: {tried} inputs, slowest {:.1} ms: {input:?}",
        took.as_secs_f64() * 1e3
    );
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

/// Pieces of text that the parsers treat specially, to glue together at random.
fn pieces(list: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(list).prop_map(str::to_string),
            1 => "\\PC{0,12}",
            1 => prop::sample::select(&["\n", "\r\n", "\t", "\u{0}", "\u{feff}", "\u{202e}"][..]).prop_map(str::to_string),
        ],
        0..40,
    )
    .prop_map(|v| v.concat())
}

/// Cuts, flips, or repeats a text: what a broken save or a scraper does to a file.
fn mangled(base: impl Strategy<Value = String>) -> impl Strategy<Value = Vec<u8>> {
    (
        base,
        any::<prop::sample::Index>(),
        any::<u8>(),
        0usize..4,
        1usize..50,
    )
        .prop_map(|(text, at, byte, how, times)| {
            let mut b = text.into_bytes();
            let i = if b.is_empty() { 0 } else { at.index(b.len()) };
            match how {
                0 => b.truncate(i),
                1 if !b.is_empty() => b[i] ^= byte,
                2 => {
                    let part = b[i..].to_vec();
                    for _ in 0..times {
                        b.extend_from_slice(&part);
                    }
                }
                _ => {}
            }
            b
        })
}

const FRONT: &[&str] = &[
    "---\n",
    "---",
    "title: ",
    "date: ",
    "2024-03-29",
    "2024-03-29T06:30:00+07:00",
    "2024-02-30",
    "outlet: ",
    "null",
    "~",
    "wire: [Reuters, ",
    "]",
    "authors:\n  - ",
    "event: ",
    "a-b-2024",
    "../../etc",
    "source: {file: x.txt, sha256: ",
    "}",
    "tags: ",
    "&a [*a, *a]",
    "*a",
    "!!binary",
    "\"",
    "'",
    "{",
    "[",
    "- ",
    ": ",
    "# c",
    "title_generated: true",
    "url: javascript:x",
    "language: id",
    "dateline: ",
    "image_caption: ",
    "editors: ",
    "? ",
    "|\n  ",
    ">-\n  ",
];

const MARKDOWN: &[&str] = &[
    "[a](",
    ")",
    "](",
    "report:",
    "event:",
    "outlet:",
    "javascript:alert(1)",
    "JaVaScRiPt:",
    "vbscript:",
    "data:text/html,<script>",
    "file:///etc/passwd",
    "http://x",
    "https://x",
    "mailto:a@b",
    "//evil",
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=",
    "\"",
    "'",
    "`",
    "```",
    "```rust\n",
    "~~~",
    "# ",
    "> ",
    "- ",
    "1. ",
    "| a | b |\n|---|---|",
    "**",
    "_",
    "![i](",
    "<",
    ">",
    "&",
    "&#x6a;avascript:",
    "\\",
    "[^1]",
    "[ref]: javascript:x",
    "<https://x>",
    "<javascript:x>",
    "<!--",
    "-->",
    "{{ x }}",
    "{% if %}",
];

const TOML: &[&str] = &[
    "title = ",
    "\"x\"",
    "'",
    "\"\"\"",
    "language = \"id\"",
    "language = \"fr\"",
    "base_url = ",
    "\"https://x.io/a\"",
    "\"/\"",
    "\"ftp:x\"",
    "output_dir = \"../..\"",
    "[events]",
    "threshold = ",
    "1.5",
    "-1",
    "nan",
    "window_days = ",
    "99999999999999999999",
    "detect = false",
    "[strings]",
    "timeline = \"x\"",
    "nope = 1",
    "[aliases]",
    "\"a\" = \"b\"",
    "cname = \"a/b\"",
    "highlight_theme = \"x\"",
    "allow_html = true",
    "=",
    "[",
    "]",
    "[[a]]",
    "\n",
    "#",
];

const RULES_YAML: &[&str] = &[
    "rules:\n",
    "outlets:\n",
    "  - name: ",
    "x",
    "    action: ",
    "drop",
    "stop",
    "related",
    "bad",
    "    pattern: ",
    "'(?i)^x'",
    "'('",
    "'a{99999}'",
    "'(a*)*b'",
    "    hosts: [",
    "x.com",
    "]",
    "    markers: [",
    "'X -'",
    "    language: id",
    "    rules: []",
    "\"",
    "'",
    "- ",
    ": ",
    "\n",
];

const HTML: &[&str] = &[
    "<html>",
    "<head>",
    "<meta charset=\"",
    "windows-1252",
    "shift_jis",
    "\">",
    "<title>",
    "</title>",
    "<script type=\"application/ld+json\">",
    "{\"@type\":\"NewsArticle\",\"headline\":",
    "\"datePublished\":\"2024-06-19\"",
    "}",
    "</script>",
    "<script>",
    "<body>",
    "<article>",
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<h1>",
    "<h2>",
    "<ul><li>",
    "<table><tr><td>",
    "<a href=\"",
    "javascript:x",
    "\">",
    "</a>",
    "<img src=x alt=",
    "<figure><figcaption>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "Presiden Rusia Vladimir Putin tiba di Pyongyang pada Rabu (19/6/2024). ",
    "&amp;",
    "&#0;",
    "&nbsp;",
    "<svg>",
    "<style>",
    "<noscript>",
    "<iframe>",
    "<template>",
];

fn lossy(bytes: &Vec<u8>) -> String {
    #![allow(clippy::ptr_arg)] // the strategy's value type
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn report_files_never_panic() {
    campaign(
        file!(),
        "report files",
        256,
        mangled(pieces(FRONT)),
        lossy,
        |bytes| {
            let _ = crate::load::content::parse_report(Path::new("content/reports/f.md"), bytes);
            Ok(())
        },
    );
}

#[test]
fn markdown_never_panics_nor_lets_code_through() {
    struct Nothing;
    impl crate::render::markdown::Resolve for Nothing {
        fn resolve(&self, _: &str, _: &str) -> Option<String> {
            None
        }
    }
    let md = crate::render::markdown::Markdown::new(false);
    campaign(
        file!(),
        "markdown",
        256,
        pieces(MARKDOWN),
        String::clone,
        |text| {
            let out = md.render(text, "../", &Nothing);
            // Raw HTML is escaped, and no link or image may run code: read as a browser reads
            // it (html5ever), no element runs a script, has an event handler, or links to a
            // scheme that runs code. (Text, and an attribute's quoted value, may say
            // `onerror=` or `javascript:` all they like.)
            if let Some(why) = runs_code(&out.html) {
                prop_assert!(false, "{why}: {}", out.html);
            }
            Ok(())
        },
    );
}

/// What in `html`, parsed as a browser would, could run code: a script-like element, an event
/// handler attribute, or a link or source whose scheme runs code.
fn runs_code(html: &str) -> Option<String> {
    let doc = dom_query::Document::fragment(html);
    for node in doc.select("*").nodes() {
        let name = node
            .node_name()
            .map(|n| n.to_lowercase())
            .unwrap_or_default();
        if matches!(
            name.as_str(),
            "script" | "iframe" | "object" | "embed" | "frame" | "svg"
        ) {
            return Some(format!("a <{name}> element"));
        }
        for a in node.attrs() {
            let attr = a.name.local.to_lowercase();
            if attr.starts_with("on") {
                return Some(format!("an {attr} attribute on <{name}>"));
            }
            if matches!(
                attr.as_str(),
                "href" | "src" | "action" | "formaction" | "srcset"
            ) {
                // Browsers ignore whitespace and control characters in a scheme.
                let value: String = a
                    .value
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_lowercase();
                if ["javascript:", "vbscript:", "data:"]
                    .iter()
                    .any(|s| value.starts_with(s))
                {
                    return Some(format!("{attr}={value} on <{name}>"));
                }
            }
        }
    }
    None
}

#[test]
fn runs_code_reads_elements_not_text() {
    assert!(runs_code("<p><img src=x onerror=alert(1)></p>").is_some());
    assert!(runs_code(r#"<a href=" java&#x09;script:x">a</a>"#).is_some());
    assert!(runs_code(r#"<a href="JavaScript:x">a</a>"#).is_some());
    assert!(runs_code("<script>x</script>").is_some());
    // The campaign's false alarm (2026-12-03): an escaped tag in a link's title is text.
    assert!(runs_code(
        r#"<p><a href="%5Ba%5D()" title="&lt;img src=x onerror=alert(1)&gt;">a</a></p>"#
    )
    .is_none());
    assert!(runs_code("<p>&lt;script&gt; href=\"javascript:x\"</p>").is_none());
}

#[test]
fn site_toml_never_panics() {
    campaign(
        file!(),
        "site.toml",
        256,
        pieces(TOML),
        String::clone,
        |text| {
            let _ =
                crate::load::config::Config::parse(Path::new("d"), Path::new("d/site.toml"), text);
            Ok(())
        },
    );
}

#[test]
fn import_yaml_never_panics() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    campaign(
        file!(),
        "import.yaml",
        128,
        pieces(RULES_YAML),
        String::clone,
        |text| {
            std::fs::write(dir.path().join("import.yaml"), text)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let _ = crate::import::Rules::load(dir.path());
            Ok(())
        },
    );
}

#[test]
fn saved_html_pages_never_panic() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let page = dir.path().join("page.html");
    let opts = crate::import::Options {
        root: dir.path().to_path_buf(),
        inputs: vec![page.clone()],
        outlet: None,
        url: None,
        date: None,
        dry_run: true,
        explain: true,
        force: false,
        today: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default(),
    };
    campaign(
        file!(),
        "saved HTML",
        24,
        mangled(pieces(HTML)),
        lossy,
        |bytes| {
            std::fs::write(&page, bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let _ = crate::import::import(&opts);
            Ok(())
        },
    );
}
