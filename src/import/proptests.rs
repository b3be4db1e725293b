//! Property tests: whatever a raw file holds (random text, a real page cut anywhere, bytes
//! flipped, a huge line, the page repeated many times), the text importer does not panic,
//! answers in bounded time, and writes front matter that parses as YAML.

use std::path::Path;
use std::sync::OnceLock;

use chrono::NaiveDate;
use proptest::prelude::*;

use super::extract::{self, Hints, Patterns};
use super::rules::Rules;

/// Real page shapes to mangle: the seeds, and fixture pages with most kinds of chrome.
const PAGES: &[&str] = &[
    include_str!("../../tests/fixtures/import/seeds/raw/000_fccf29c733261116.txt"),
    include_str!("../../tests/fixtures/import/seeds/raw/002_b0aaa6fdb9848722.txt"),
    include_str!("../../tests/fixtures/import/seeds/raw/003_a41f94431274d0d9.txt"),
    include_str!("../../tests/fixtures/import/cases/login-and-paywall-chrome/raw.txt"),
    include_str!("../../tests/fixtures/import/cases/summary-before-the-dateline/raw.txt"),
    include_str!("../../tests/fixtures/import/cases/names-before-their-label/raw.txt"),
];

/// Lines that trigger the importer's rules, to insert anywhere.
const LINES: &[&str] = &[
    " date 2024-06-17 ",
    "date 2024-13-45",
    "Senin (17/6)",
    "January 14, 11:30",
    "Kamis, 31 Februari 2024 25:61 WIB",
    "Penulis",
    "Editor : A  Reporter : B",
    "EditorA B",
    "(Kotakita.example/ Bayu Pratama)",
    "— Reuters",
    "SEOUL, June 19 (IANS)",
    "Jakarta, CNN Indonesia --",
    "Baca juga: x",
    "Berita ini telah tayang di x.com dengan judul: ",
    "© 2024",
    "Sumber: https://",
    "MOSCOW, January 14. /TASS/.",
    "::",
    "(",
    "\u{feff}",
    "\r",
];

#[derive(Debug, Clone)]
enum Mangle {
    Cut(usize),
    Flip(usize, u8),
    HugeLine(usize, char, usize),
    Repeat(usize),
    Insert(usize, usize),
    InsertText(usize, String),
}

fn mangle() -> impl Strategy<Value = Mangle> {
    prop_oneof![
        any::<usize>().prop_map(Mangle::Cut),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mangle::Flip(i, b)),
        (any::<usize>(), any::<char>(), 1..200_000usize)
            .prop_map(|(i, c, n)| Mangle::HugeLine(i, c, n)),
        (2..40usize).prop_map(Mangle::Repeat),
        (any::<usize>(), 0..LINES.len()).prop_map(|(i, l)| Mangle::Insert(i, l)),
        (any::<usize>(), ".{0,80}").prop_map(|(i, s)| Mangle::InsertText(i, s)),
    ]
}

fn apply(page: &str, ops: &[Mangle]) -> String {
    let mut bytes = page.as_bytes().to_vec();
    for op in ops {
        let at = |i: usize, len: usize| if len == 0 { 0 } else { i % (len + 1) };
        match op {
            Mangle::Cut(i) => bytes.truncate(at(*i, bytes.len())),
            Mangle::Flip(i, b) => {
                if !bytes.is_empty() {
                    let n = bytes.len();
                    bytes[i % n] ^= b;
                }
            }
            Mangle::HugeLine(i, c, n) => {
                let p = at(*i, bytes.len());
                let line: String = std::iter::repeat_n(*c, *n).collect();
                bytes.splice(p..p, line.into_bytes());
            }
            Mangle::Repeat(n) => {
                // Up to 1 MB, bigger than any real page's text; the bound of 5 s holds for it
                // in a debug build (a 4 MB page takes 1.5 s in a release build, 10 s in debug).
                if bytes.len() * n <= 1_000_000 {
                    bytes = bytes.repeat(*n);
                }
            }
            Mangle::Insert(i, l) => {
                let p = at(*i, bytes.len());
                bytes.splice(p..p, format!("\n{}\n", LINES[*l]).into_bytes());
            }
            Mangle::InsertText(i, s) => {
                let p = at(*i, bytes.len());
                bytes.splice(p..p, s.as_bytes().iter().copied());
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

const URLS: &[&str] = &[
    "https://www.kompas.com/global/read/2024/06/19/150000665/putin-temui-kim",
    "https://www-scmp-com.proxy.example.edu/news/x",
    "https://x.example/host-http-www.kompas.com/20241340/--/amp",
    "not a url at all",
    "https://:@/",
    "https://ÿ.example/ä/ö?x=1#y",
];

/// Built once: compiling the rules and patterns costs more than a case.
fn compiled() -> &'static (Rules, Patterns) {
    static COMPILED: OnceLock<(Rules, Patterns)> = OnceLock::new();
    COMPILED.get_or_init(|| {
        (
            Rules::load(Path::new("/nonexistent-dossier")).expect("built-in rules"),
            Patterns::new(),
        )
    })
}

fn check(text: &str, url: Option<&str>) -> Result<(), TestCaseError> {
    let (rules, pats) = compiled();
    let hints = Hints {
        outlet: None,
        url,
        date: None,
        today: NaiveDate::from_ymd_opt(2026, 11, 22).expect("a day"),
    };
    if let Ok(a) = extract::extract(text, rules, pats, &hints) {
        let md = super::to_markdown(&a, "raw.txt", &"0".repeat(64), url);
        let front = crate::load::frontmatter::split(std::path::Path::new("raw.md"), &md, true)
            .expect("front matter fences")
            .yaml;
        let parsed: Result<serde_yaml::Value, _> = serde_yaml::from_str(front);
        prop_assert!(parsed.is_ok(), "front matter is not YAML:\n{front}");
    }
    Ok(())
}

/// Shows an input by its size and start: a mangled page may be a megabyte.
fn show(text: &str) -> String {
    format!(
        "{} bytes: {}",
        text.len(),
        text.chars().take(60).collect::<String>()
    )
}

// The campaign (in `fuzz.rs`) bounds each input's time (a second in `bench/fuzz.sh`'s release
// build), runs 48 inputs in the test suite or `PROPTEST_CASES`, and replays the seeds kept in
// `proptest-regressions/import/proptests.txt` first.

#[test]
fn random_text_never_panics() {
    crate::fuzz::campaign(
        file!(),
        "raw text",
        48,
        ("(?s).{0,3000}", proptest::option::of(0..URLS.len())),
        |(text, _)| show(text),
        |(text, url)| check(text, url.map(|u| URLS[u])),
    );
}

#[test]
fn mangled_pages_never_panic() {
    crate::fuzz::campaign(
        file!(),
        "mangled raw text",
        48,
        (
            0..PAGES.len(),
            proptest::collection::vec(mangle(), 0..6),
            proptest::option::of(0..URLS.len()),
        ),
        |(page, ops, _)| show(&apply(PAGES[*page], ops)),
        |(page, ops, url)| check(&apply(PAGES[*page], ops), url.map(|u| URLS[u])),
    );
}
