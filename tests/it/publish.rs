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

/// The dossier at `root`, rendered for `BASE_URL`, with sitemaps of at most `sitemap_urls`
/// pages.
fn render(root: &Path, sitemap_urls: Option<usize>) -> BTreeMap<String, Vec<u8>> {
    let mut config = dossier::load_config(root).expect("site.toml");
    config.base_url = BASE_URL.to_string();
    if let Some(n) = sitemap_urls {
        config.sitemap_urls = n;
    }
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
    let files_listed: Vec<String> = files.keys().cloned().collect();
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
    let sitemap_parts = files_named(&files_listed, "sitemaps/");
    for feed in ["atom.xml", "sitemap.xml"]
        .into_iter()
        .chain(sitemap_parts.iter().map(String::as_str))
    {
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

/// The files whose path starts with `prefix`.
fn files_named(files: &[String], prefix: &str) -> Vec<String> {
    files
        .iter()
        .filter(|f| f.starts_with(prefix))
        .cloned()
        .collect()
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

/// The feed is valid Atom, and the sitemap valid: one list of pages, or (for a large site) an
/// index of parts that are each one.
fn check_feed_and_sitemap(files: &BTreeMap<String, Vec<u8>>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let names: Vec<String> = files.keys().cloned().collect();
    let parts = files_named(&names, "sitemaps/");
    for name in ["atom.xml", "sitemap.xml"]
        .into_iter()
        .chain(parts.iter().map(String::as_str))
    {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
        std::fs::write(path, &files[name]).expect("write");
    }
    let jing = |schema: &str, file: &str| {
        let schema = repo().join("tests/schemas").join(schema);
        validate(
            "jing",
            &[
                "-c".as_ref(),
                schema.as_os_str(),
                dir.path().join(file).as_os_str(),
            ],
        );
    };
    jing("atom.rnc", "atom.xml");
    let xsd = repo().join("tests/browser/node_modules/sitemap/schema/sitemap.xsd");
    assert!(
        xsd.exists(),
        "{} is missing: run `.ci/setup`",
        xsd.display()
    );
    let lists = match parts.is_empty() {
        true => vec!["sitemap.xml".to_string()],
        false => {
            jing("sitemapindex.rnc", "sitemap.xml");
            parts
        }
    };
    for list in lists {
        validate(
            "xmllint",
            &[
                "--noout".as_ref(),
                "--schema".as_ref(),
                xsd.as_os_str(),
                dir.path().join(list).as_os_str(),
            ],
        );
    }
}

#[test]
fn the_bundled_dossier_publishes_under_a_sub_path_with_a_valid_feed_and_sitemap() {
    let files = render(&repo(), None);
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
    let files = render(dir.path(), None);
    assert!(!files.contains_key("sitemaps/1.xml"));
    check_feed_and_sitemap(&files);
    check_published(files);
}

/// A site of more pages than one sitemap may list (50,000; here 1,000) gets a sitemap index and
/// its parts, each valid and listing pages that answer, all pages once.
#[test]
fn a_site_of_more_pages_than_a_sitemap_lists_gets_a_sitemap_index() {
    let dir = tempfile::tempdir().expect("tempdir");
    crate::gen_corpus(dir.path(), &["--reports", "1000"]);
    let whole = render(dir.path(), None);
    let files = render(dir.path(), Some(1000));
    let index = String::from_utf8_lossy(&files["sitemap.xml"]).into_owned();
    assert!(index.contains("<sitemapindex"), "{index}");
    let locs = |xml: &[u8]| -> Vec<String> {
        let re = regex::Regex::new("<loc>([^<]*)</loc>").expect("regex");
        re.captures_iter(&String::from_utf8_lossy(xml))
            .map(|c| c[1].to_string())
            .collect()
    };
    let parts = locs(&files["sitemap.xml"]);
    assert!(parts.len() >= 2, "{parts:?}");
    let mut listed = Vec::new();
    for (k, part) in parts.iter().enumerate() {
        assert_eq!(part, &format!("{BASE_URL}sitemaps/{}.xml", k + 1));
        let pages = locs(&files[&format!("sitemaps/{}.xml", k + 1)]);
        assert!(pages.len() <= 1000);
        listed.extend(pages);
    }
    assert_eq!(
        listed,
        locs(&whole["sitemap.xml"]),
        "the parts list every page once, in order"
    );
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
