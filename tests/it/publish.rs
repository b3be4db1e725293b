//! Publishing on GitHub Pages: the workflow `init` writes, and the built site as a project site
//! under a sub-path: every link, asset, feed entry and sitemap entry resolves over loopback,
//! the feed is valid Atom (RFC 4287's RELAX NG schema, with jing) and the sitemap valid against
//! the sitemaps.org schema (with xmllint). The tools come from `.ci/setup`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::browser::tool;
use crate::serve::{agent, crawl, get};
use crate::{dossier, repo};

const BASE_URL: &str = "https://someone.github.io/russia-dprk/";
const PREFIX: &str = "/russia-dprk/";

/// The dossier at `root`, rendered for `BASE_URL`.
fn render(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut config = dossier::load_config(root).expect("site.toml");
    config.base_url = BASE_URL.to_string();
    let (files, diags) = dossier::render_site(&config);
    assert!(!diags.has_errors(), "{}", diags.report());
    files
}

/// Serves `files` under the sub-path and crawls them from the front page: every page is
/// reached, and every absolute address in the feed and the sitemap is an address of the site
/// that answers.
fn check_published(files: BTreeMap<String, Vec<u8>>) {
    let pages = files
        .keys()
        .filter(|k| k.ends_with(".html") && *k != "404.html")
        .count();
    let server = ::dossier::serve_files(files, PREFIX).expect("server");
    let base = format!("http://{}", server.addr);
    let reached = crawl(&base, PREFIX, PREFIX);
    assert_eq!(
        reached.iter().filter(|p| p.ends_with('/')).count(),
        pages,
        "every page is reachable by links from the front page"
    );
    let agent = agent();
    let url = regex::Regex::new(r#"(?:href="|<loc>)([^"<]*)"#).expect("regex");
    for feed in ["atom.xml", "sitemap.xml"] {
        let body = get(&agent, &format!("{base}{PREFIX}{feed}")).body;
        let mut n = 0;
        for cap in url.captures_iter(&body) {
            let address = &cap[1];
            let Some(rest) = address.strip_prefix(BASE_URL) else {
                panic!("{feed} points outside the site: {address}");
            };
            let status = get(&agent, &format!("{base}{PREFIX}{rest}")).status;
            assert_eq!(
                status, 200,
                "{feed} points at {address}, which answers {status}"
            );
            n += 1;
        }
        assert!(n > 1, "{feed} lists no addresses");
    }
}

/// Runs a validator; its output on failure.
fn validate(program: &str, args: &[&std::ffi::OsStr]) {
    let out = Command::new(tool(program))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run {program}: {e}"));
    assert!(
        out.status.success(),
        "{program} rejects the file:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn check_feed_and_sitemap(files: &BTreeMap<String, Vec<u8>>) {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["atom.xml", "sitemap.xml"] {
        std::fs::write(dir.path().join(name), &files[name]).expect("write");
    }
    let schema = repo().join("tests/schemas/atom.rnc");
    validate(
        "jing",
        &[
            "-c".as_ref(),
            schema.as_os_str(),
            dir.path().join("atom.xml").as_os_str(),
        ],
    );
    let xsd = repo().join("tests/browser/node_modules/sitemap/schema/sitemap.xsd");
    assert!(
        xsd.exists(),
        "{} is missing: run `.ci/setup`",
        xsd.display()
    );
    validate(
        "xmllint",
        &[
            "--noout".as_ref(),
            "--schema".as_ref(),
            xsd.as_os_str(),
            dir.path().join("sitemap.xml").as_os_str(),
        ],
    );
}

#[test]
fn the_bundled_dossier_publishes_under_a_sub_path_with_a_valid_feed_and_sitemap() {
    let files = render(&repo());
    assert!(
        files.contains_key(".nojekyll"),
        "GitHub Pages needs .nojekyll"
    );
    assert!(
        files.contains_key("404.html"),
        "GitHub Pages serves 404.html"
    );
    check_feed_and_sitemap(&files);
    check_published(files);
}

#[test]
fn a_synthetic_dossier_of_1000_reports_publishes_under_a_sub_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    crate::gen_corpus(dir.path(), &["--reports", "1000"]);
    let files = render(dir.path());
    check_feed_and_sitemap(&files);
    check_published(files);
}

#[test]
fn init_writes_a_github_pages_workflow() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("russia-dprk");
    let out = dossier(&[
        "init",
        root.to_str().expect("utf-8 path"),
        "--dossier-git",
        "https://example.org/dossier.git",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = std::fs::read_to_string(root.join(".github/workflows/dossier-pages.yml"))
        .expect("the workflow");
    let workflow: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");
    // The standard Pages actions, in their order, and the build between them.
    let steps = |job: &str| -> Vec<String> {
        workflow["jobs"][job]["steps"]
            .as_sequence()
            .expect("steps")
            .iter()
            .map(|s| {
                s["uses"]
                    .as_str()
                    .or(s["run"].as_str())
                    .unwrap_or("")
                    .to_string()
            })
            .collect()
    };
    let build = steps("build");
    let position = |what: &str| {
        build
            .iter()
            .position(|s| s.contains(what))
            .unwrap_or_else(|| panic!("the build job has no `{what}` step: {build:?}"))
    };
    assert!(position("actions/checkout@") < position("actions/configure-pages@"));
    assert!(position("actions/configure-pages@") < position("dossier build"));
    assert!(position("actions/cache@") < position("cargo install"));
    assert!(position("dossier build") < position("actions/upload-pages-artifact@"));
    assert!(build[position("dossier build")].contains("steps.pages.outputs.base_url"));
    assert!(steps("deploy")
        .iter()
        .any(|s| s.starts_with("actions/deploy-pages@")));
    assert_eq!(workflow["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(workflow["permissions"]["id-token"].as_str(), Some("write"));
    assert!(text.contains("https://example.org/dossier.git"));
    assert_eq!(
        workflow["jobs"]["build"]["steps"][position("upload-pages-artifact")]["with"]["path"]
            .as_str(),
        Some("public"),
        "uploads the output folder init's site.toml names"
    );
    // The new dossier builds, for the address Pages gives it.
    let out = dossier(&[
        "build",
        "--root",
        root.to_str().expect("utf-8 path"),
        "--base-url",
        "https://someone.github.io/russia-dprk",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(root.join("public/.nojekyll").exists());
}
