//! Stories, origins and independent corroboration, through the real binary: a fixture of a wire
//! story, an uncredited copy, an independent report with its second page and a third page that
//! event detection groups with another outlet's report (regression: a page grouped into
//! another event lost its article; expected output in `tests/fixtures/stories/expected.txt`),
//! and the bundled dossier's Naryshkin visit.

use std::path::Path;

use crate::{bundled_copy, copy_tree, dossier, expect_file, repo};

fn build(root: &Path) -> (tempfile::TempDir, serde_json::Value) {
    let out = tempfile::tempdir().expect("tempdir");
    let o = out.path().join("public");
    let r = dossier(&[
        "build",
        "--root",
        &root.to_string_lossy(),
        "--output",
        &o.to_string_lossy(),
        "--no-search",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json = std::fs::read_to_string(o.join("dossier.json")).expect("dossier.json");
    (out, serde_json::from_str(&json).expect("json"))
}

/// One line per report (story, origin) and per statement (independent origins).
fn summary(doc: &serde_json::Value) -> String {
    let mut s = String::new();
    for r in doc["reports"].as_array().into_iter().flatten() {
        s += &format!(
            "report {} story={} origin={}\n",
            r["id"], r["story"], r["origin"]
        );
    }
    for e in doc["events"].as_array().into_iter().flatten() {
        for st in e["statements"].as_array().into_iter().flatten() {
            s += &format!(
                "statement {} reports={} independent={} sources={}\n",
                e["id"], st["reports"], st["independent"], st["sources"]
            );
        }
    }
    s
}

#[test]
fn fixture_stories_origins_and_counts() {
    let fixture = repo().join("tests/fixtures/stories");
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&fixture, dir.path());
    let (out, doc) = build(dir.path());
    expect_file(&fixture.join("expected.txt"), &summary(&doc));
    let page = std::fs::read_to_string(out.path().join("public/reports/d-page2/index.html"))
        .expect("page");
    assert!(page.contains("Pages of this article"), "{page}");
    let event =
        std::fs::read_to_string(out.path().join("public/events/velmora-terminal/index.html"))
            .expect("event");
    assert!(event.contains("one origin: Reuters"), "{event}");
    assert!(
        event.contains("href=\"../../events/velmora-terminal/compare/\""),
        "{event}"
    );
    let compare = std::fs::read_to_string(
        out.path()
            .join("public/events/velmora-terminal/compare/index.html"),
    )
    .expect("comparison page");
    expect_file(&fixture.join("compare.txt"), &table_text(&compare));
}

/// The comparison table as text: a line per row, cells between `|`, an empty cell as `·`,
/// a cell spanning columns followed by `×n`.
fn table_text(page: &str) -> String {
    let start = page
        .find("<table class=\"compare\">")
        .expect("a comparison table");
    let end = start + page[start..].find("</table>").expect("its end");
    let row = regex::Regex::new(r"(?s)<tr[^>]*>(.*?)</tr>").expect("regex");
    let cell = regex::Regex::new(r#"(?s)<t[hd]([^>]*)>(.*?)</t[hd]>"#).expect("regex");
    let span = regex::Regex::new(r#"colspan="(\d+)""#).expect("regex");
    let tag = regex::Regex::new(r"<[^>]+>").expect("regex");
    let mut out = String::new();
    for r in row.captures_iter(&page[start..end]) {
        let cells: Vec<String> = cell
            .captures_iter(&r[1])
            .map(|c| {
                let text = tag.replace_all(&c[2], "").trim().to_string();
                let text = if text.is_empty() {
                    "·".to_string()
                } else {
                    text
                };
                match span.captures(&c[1]) {
                    Some(n) => format!("{text} ×{}", &n[1]),
                    None => text,
                }
            })
            .collect();
        out += &format!("| {} |\n", cells.join(" | "));
    }
    out
}

#[test]
fn bundled_naryshkin_visit_rests_on_two_origins_at_most_and_names_its_chain() {
    for lang in ["id", "en"] {
        let dir = bundled_copy();
        let toml = std::fs::read_to_string(dir.path().join("site.toml")).expect("site.toml");
        let toml = toml.replace("language = \"id\"", &format!("language = \"{lang}\""));
        std::fs::write(dir.path().join("site.toml"), toml).expect("write");
        let (out, doc) = build(dir.path());
        let story = |id: &str| {
            let r = doc["reports"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["id"] == id)
                .unwrap();
            r["story"].as_str().unwrap().to_string()
        };
        assert_eq!(story("000_fccf29c733261116"), story("001_2bc1f92da163eafe"));
        assert_ne!(story("000_fccf29c733261116"), story("003_a41f94431274d0d9"));
        let ev = doc["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == "naryshkin-visits-pyongyang-2024-03")
            .unwrap();
        let sts = ev["statements"].as_array().unwrap();
        assert!(!sts.is_empty());
        assert!(
            sts.iter().all(|s| s["independent"].as_u64().unwrap() <= 2),
            "{sts:?}"
        );
        assert!(sts.iter().any(|s| s["independent"] == 1));
        let page = std::fs::read_to_string(
            out.path()
                .join("public/events/naryshkin-visits-pyongyang-2024-03/index.html"),
        )
        .expect("page");
        let (one, two) = if lang == "id" {
            ("satu sumber: Reuters", "2 sumber independen: Reuters, AFP")
        } else {
            ("one origin: Reuters", "2 independent sources: Reuters, AFP")
        };
        assert!(page.contains(one), "{lang}");
        // The chain the text supports: SVR said it, TASS quoted it, Reuters relayed it.
        assert!(page.contains("SVR → TASS → Reuters → Kontan"), "{lang}");
        let sources = std::fs::read_to_string(out.path().join("public/sources/index.html"))
            .expect("the sources page");
        assert!(sources.contains("id=\"src-svr\""), "{lang}");
        assert!(sources.contains("SVR → TASS → Reuters → Kontan"), "{lang}");
        if sts.iter().any(|s| s["independent"] == 2) {
            assert!(page.contains(two), "{lang}");
        }
    }
}
