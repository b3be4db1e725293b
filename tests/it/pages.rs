//! Every page type of the bundled dossier, as readers and validators see it: served under the
//! sub-path of its `base_url` (as GitHub Pages serves a project site) and loaded in headless
//! Chromium on a phone and on a desk, in light and dark; checked by axe-core and the W3C Nu
//! validator.
//!
//! Page types are found from the built site, not listed here: every page's `<body data-page>`
//! names its template, so a page type added later is covered without editing this test.
//! Screenshots of each type at both widths go to `target/screenshots/` for a developer to look at.
//!
//! `DOSSIER_PAGES_DIR=/path/to/a/dossier` checks that dossier instead of the bundled one (for
//! `bench/pages.sh`, which runs it on a large synthetic dossier); its screenshots go to
//! `target/screenshots/<folder name>/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::browser::{chrome, tool, Opened, View};
use crate::repo;

/// The pages of the site by page type: for each type, every page's path, biggest file first.
fn page_types(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<String>> {
    let body = regex::Regex::new(r#"<body[^>]*\sdata-page="([^"]+)""#).expect("regex");
    let mut types: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        let kind = body.captures(&html).map(|c| c[1].to_string());
        let kind = kind.unwrap_or_else(|| {
            panic!("{path}: <body> has no data-page attribute (base.html must keep `<body data-page=\"{{{{ page_type }}}}\">`)")
        });
        types
            .entry(kind)
            .or_default()
            .push((bytes.len(), path.clone()));
    }
    types
        .into_iter()
        .map(|(k, mut pages)| {
            pages.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            (k, pages.into_iter().map(|(_, p)| p).collect())
        })
        .collect()
}

/// The page's URL path under the server's prefix (`reports/x/index.html` → `reports/x/`).
fn url_path(path: &str) -> &str {
    path.strip_suffix("index.html").unwrap_or(path)
}

/// Where screenshots go: `target/screenshots/`, beside the build's other outputs.
fn screenshot_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).join("screenshots")
}

/// The page scrolls sideways: the innermost elements sticking out past the viewport's right edge.
fn horizontal_overflow(page: &Opened, width: u32) -> Option<String> {
    let js = format!(
        r#"(() => {{
  const w = {width};
  const sw = document.documentElement.scrollWidth;
  if (sw <= w) return null;
  const name = e => {{
    let s = e.tagName.toLowerCase();
    if (e.id) s += '#' + e.id;
    if (typeof e.className === 'string' && e.className.trim()) s += '.' + e.className.trim().split(/\s+/).join('.');
    const p = e.parentElement;
    return (p && p !== document.body ? (p.tagName.toLowerCase() + (typeof p.className === 'string' && p.className.trim() ? '.' + p.className.trim().split(/\s+/)[0] : '') + ' > ') : '') + s;
  }};
  const out = [...document.body.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > w + 0.5);
  const innermost = out.filter(e => ![...e.children].some(c => out.includes(c)));
  return 'the page is ' + sw + ' px wide in a ' + w + ' px viewport; sticking out: ' +
    innermost.slice(0, 6).map(e => name(e) + ' (right edge ' + Math.round(e.getBoundingClientRect().right) + ' px)').join(', ');
}})()"#
    );
    page.eval(&js).as_str().map(str::to_string)
}

/// The colour the page is painted with: body's background, or the root's if body has none.
fn background(page: &Opened) -> Vec<f64> {
    let js = r#"(() => {
  for (const e of [document.body, document.documentElement]) {
    const c = getComputedStyle(e).backgroundColor.match(/[\d.]+/g).map(Number);
    if (c.length < 4 || c[3] > 0) return JSON.stringify(c.slice(0, 3));
  }
  return '[255, 255, 255]';
})()"#;
    serde_json::from_str(page.eval(js).as_str().unwrap_or("[]")).unwrap_or_default()
}

/// Relative luminance of an sRGB colour (0 black … 1 white), as WCAG defines it.
fn luminance(rgb: &[f64]) -> f64 {
    let lin = |c: f64| {
        let c = c / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    match rgb {
        [r, g, b] => 0.2126 * lin(*r) + 0.7152 * lin(*g) + 0.0722 * lin(*b),
        _ => 1.0,
    }
}

/// axe-core's serious and critical violations on the page (axe injected), one line each.
fn axe_violations(page: &Opened) -> Vec<String> {
    let result = page.eval(
        r#"axe.run(document, { resultTypes: ['violations'] }).then(r => JSON.stringify(
  r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(' ') + (n.failureSummary ? ' — ' + n.failureSummary.replace(/\s+/g, ' ') : ''))
  }))))"#,
    );
    let text = result.as_str().unwrap_or("[]");
    let list: Vec<serde_json::Value> = serde_json::from_str(text).unwrap_or_default();
    list.iter()
        .map(|v| {
            format!(
                "axe {} ({}): {}; at {}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or(""),
                v["targets"]
                    .as_array()
                    .map(|t| t
                        .iter()
                        .filter_map(|x| x.as_str())
                        .collect::<Vec<_>>()
                        .join(" | "))
                    .unwrap_or_default()
            )
        })
        .collect()
}

/// Starts the W3C Nu validator over every HTML file under `dir` (one JVM for the whole site).
fn start_vnu(dir: &Path) -> std::process::Child {
    Command::new("java")
        .arg("-jar")
        .arg(tool("vnu"))
        .args(["--errors-only", "--skip-non-html", "--format", "json"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run java -jar vnu.jar (install a Java runtime with .ci/setup)")
}

/// The validator's errors, as `file:line: message`.
fn vnu_errors(child: std::process::Child, dir: &Path) -> Vec<String> {
    let out = child.wait_with_output().expect("vnu.jar ran");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let json: serde_json::Value = serde_json::from_str(&stderr)
        .unwrap_or_else(|e| panic!("vnu.jar printed no JSON ({e}): {stderr}"));
    let prefix = format!("file:{}/", dir.display());
    json["messages"]
        .as_array()
        .map(|m| m.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|m| m["type"] != "info")
        .map(|m| {
            let url = m["url"].as_str().unwrap_or("?");
            let file = url.strip_prefix(&prefix).unwrap_or(url);
            format!(
                "{file}:{}: {} (HTML validator{})",
                m["lastLine"].as_u64().unwrap_or(0),
                m["message"].as_str().unwrap_or(""),
                m["extract"]
                    .as_str()
                    .map(|x| format!(": `{}`", x.trim()))
                    .unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn every_page_type_is_right_in_chromium_and_valid_html() {
    let other = std::env::var_os("DOSSIER_PAGES_DIR").map(PathBuf::from);
    let root = other.clone().unwrap_or_else(repo);
    let config = dossier::load_config(&root).expect("config");
    let (files, diags) = dossier::render_site(&config);
    assert!(
        !diags.has_errors(),
        "the dossier at {} builds: {diags:?}",
        root.display()
    );
    // Served where `base_url` puts it (`/russia-dprk/`): 404.html links by that path.
    let after_scheme = config.base_url.split_once("://").map_or("", |(_, r)| r);
    let prefix = after_scheme
        .find('/')
        .map_or("/".to_string(), |i| after_scheme[i..].to_string());
    let types = page_types(&files);
    // Every page type the theme has: a new template must be added here, and so checked.
    assert_eq!(
        types.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "404", "briefing", "compare", "entities", "entity", "event", "index", "outlet",
            "outlets", "report", "search", "sources", "timeline"
        ],
        "page types found from the site"
    );

    // The validator reads the site from disk, in the background while Chromium looks at it.
    let site = tempfile::tempdir().expect("tempdir");
    for (path, bytes) in &files {
        let to = site.path().join(path);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::write(&to, bytes).expect("write");
    }
    let vnu = start_vnu(site.path());
    eprintln!(
        "pages: {} page types ({}), {} HTML files to the validator",
        types.len(),
        types.keys().cloned().collect::<Vec<_>>().join(", "),
        types.values().map(Vec::len).sum::<usize>()
    );

    let server = dossier::serve_files(files.clone(), &prefix).expect("server");
    let axe = std::fs::read_to_string(tool("axe")).expect("read axe.min.js");
    let mut shots = screenshot_dir();
    if let Some(name) = other.as_deref().and_then(Path::file_name) {
        shots.push(name);
    }
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    let started = std::time::Instant::now();
    let chrome = chrome();
    let mut failures = Vec::new();
    // Where the time goes (opening, axe, screenshots), printed with `-- --nocapture`.
    let mut spent = [std::time::Duration::ZERO; 3];
    for (kind, pages) in &types {
        // The page of this type with the most content, loaded once and then looked at in each
        // view: widths and colour schemes change without a reload, as on a reader's device.
        let path = &pages[0];
        let url = format!("http://{}{prefix}{}", server.addr, url_path(path));
        let t = std::time::Instant::now();
        let mut page = chrome.open(&url, View::PHONE);
        spent[0] += t.elapsed();
        page.eval(&format!("{axe};0"));
        let mut light = Vec::new();
        for view in [
            View::PHONE,
            View::PHONE.dark(),
            View::DESK,
            View::DESK.dark(),
        ] {
            let seen = format!(
                "{kind} ({path}) at {} px{}",
                view.width,
                if view.dark { ", dark" } else { "" }
            );
            page.set_view(view);
            if let Some(o) = horizontal_overflow(&page, view.width) {
                failures.push(format!("{seen}: scrolls sideways: {o}"));
            }
            let bg = background(&page);
            if view.dark {
                if bg == light || luminance(&bg) > 0.2 {
                    failures.push(format!(
                        "{seen}: dark mode not honoured: the background is rgb{bg:?} (light: rgb{light:?})"
                    ));
                }
            } else {
                light = bg;
            }
            let t = std::time::Instant::now();
            for v in axe_violations(&page) {
                failures.push(format!("{seen}: {v}"));
            }
            spent[1] += t.elapsed();
            let t = std::time::Instant::now();
            let png = page.screenshot();
            spent[2] += t.elapsed();
            let name = format!(
                "{kind}-{}{}.png",
                view.width,
                if view.dark { "-dark" } else { "" }
            );
            std::fs::write(shots.join(name), png).expect("write screenshot");
        }
        for p in page.problems() {
            failures.push(format!("{kind} ({path}): {p}"));
        }
        // Each tab closes once looked at: one Chromium serves the whole test.
        let _ = page.tab.close(false);
    }
    eprintln!(
        "pages: Chromium done in {:?} (opening pages {:?}, axe {:?}, screenshots {:?})",
        started.elapsed(),
        spent[0],
        spent[1],
        spent[2]
    );
    for e in vnu_errors(vnu, site.path()) {
        failures.push(e);
    }
    eprintln!("pages: all done in {:?}", started.elapsed());
    assert!(
        failures.is_empty(),
        "{} problems in the pages of the dossier at {} (screenshots in {}):\n{}",
        failures.len(),
        root.display(),
        shots.display(),
        failures.join("\n")
    );
}
