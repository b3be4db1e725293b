//! The site over real HTTP on loopback: a crawl of every link and asset under a sub-path and at
//! the root, and the live preview (`dossier serve`): reload on edit, overlay on a broken edit,
//! traversal refused.

use std::collections::{BTreeSet, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::{bundled_copy, repo};

pub(crate) fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

pub(crate) struct Fetched {
    pub(crate) status: u16,
    pub(crate) content_type: String,
    pub(crate) body: String,
}

pub(crate) fn get(agent: &ureq::Agent, url: &str) -> Fetched {
    let mut resp = agent
        .get(url)
        .call()
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = resp.status().as_u16();
    let content_type = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = resp.body_mut().read_to_string().unwrap_or_default();
    Fetched {
        status,
        content_type,
        body,
    }
}

/// Resolves `href` against the path of the page it is on.
fn join(page_path: &str, href: &str) -> String {
    if href.starts_with('/') {
        return href.to_string();
    }
    let mut parts: Vec<&str> = page_path.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if joined.starts_with('/') {
        joined
    } else {
        format!("/{joined}")
    }
}

/// Crawls a served site from `start` and returns every internal URL path reached.
/// Panics on any link or asset that does not answer 200.
pub(crate) fn crawl(base: &str, start: &str, prefix: &str) -> BTreeSet<String> {
    let agent = agent();
    // A form's action is a link too: the header's search box is the way to the search page.
    let attr = regex::Regex::new(r#"(?:href|src|action)="([^"]*)""#).expect("regex");
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from([start.to_string()]);
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let page = get(&agent, &format!("{base}{path}"));
        assert_eq!(page.status, 200, "{path} answered {}", page.status);
        if !page.content_type.starts_with("text/html") {
            continue;
        }
        for cap in attr.captures_iter(&page.body) {
            let href = cap[1].replace("&amp;", "&");
            assert!(
                !href.contains("localhost") && !href.contains("127.0.0.1"),
                "{path} links to {href}"
            );
            if href.contains("://") || href.starts_with("mailto:") || href.starts_with('#') {
                continue;
            }
            let target = join(&path, href.split(['#', '?']).next().unwrap_or(""));
            assert!(
                target.starts_with(prefix),
                "{path} links outside the site's prefix: {href}"
            );
            queue.push_back(target);
        }
    }
    seen
}

fn render_for(base_url: &str) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut config = dossier::load_config(&repo()).expect("site.toml");
    config.base_url = base_url.to_string();
    let (files, diags) = dossier::render_site(&config);
    assert!(!diags.has_errors(), "{}", diags.report());
    files
}

#[test]
fn every_link_and_asset_resolves_under_a_sub_path_and_at_the_root() {
    let attr = regex::Regex::new(r#"(?:href|src)="(/[^"]*)""#).expect("regex");
    for (base_url, prefix) in [
        ("https://someone.github.io/russia-dprk/", "/russia-dprk/"),
        ("https://dossier.example.org/", "/"),
    ] {
        let files = render_for(base_url);
        let pages = files
            .keys()
            .filter(|k| k.ends_with(".html") && *k != "404.html")
            .count();
        let server = dossier::serve_files(files, prefix).expect("server");
        let base = format!("http://{}", server.addr);
        let reached = crawl(&base, prefix, prefix);
        let html_reached = reached.iter().filter(|p| p.ends_with('/')).count();
        assert_eq!(
            html_reached, pages,
            "every page is reachable by links from the front page: {reached:?}"
        );
        assert!(
            reached.iter().any(|p| p.ends_with("style.css")),
            "stylesheet not linked"
        );
        // The host's 404 page, served at any address, links back into the site.
        let agent = agent();
        let missing = get(&agent, &format!("{base}{prefix}no/such/page/"));
        assert_eq!(missing.status, 404);
        let targets: Vec<String> = attr
            .captures_iter(&missing.body)
            .map(|c| c[1].to_string())
            .collect();
        assert!(!targets.is_empty(), "404 page has no links");
        for t in targets {
            let t = t.split('?').next().unwrap_or("").to_string();
            assert_eq!(
                get(&agent, &format!("{base}{t}")).status,
                200,
                "404 page links to {t}"
            );
        }
    }
}

#[test]
fn pages_are_served_with_the_right_types() {
    let server = dossier::serve_files(render_for("https://x.org/d/"), "/d/").expect("server");
    let base = format!("http://{}", server.addr);
    let agent = agent();
    for (path, ty) in [
        ("/d/", "text/html; charset=utf-8"),
        ("/d/timeline/", "text/html; charset=utf-8"),
        ("/d/style.css", "text/css; charset=utf-8"),
        ("/d/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/d/sitemap.xml", "text/xml; charset=utf-8"),
        ("/d/dossier.json", "application/json; charset=utf-8"),
        ("/d/favicon.svg", "image/svg+xml"),
    ] {
        let r = get(&agent, &format!("{base}{path}"));
        assert_eq!((r.status, r.content_type.as_str()), (200, ty), "{path}");
    }
    let r = agent
        .get(&format!("{base}/d/timeline"))
        .call()
        .expect("GET");
    assert_eq!(
        r.status().as_u16(),
        301,
        "a folder without its slash redirects"
    );
}

/// Sends a raw request line, so that no client normalizes the path first.
fn raw_status(addr: std::net::SocketAddr, path: &str) -> u16 {
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    let mut buf = String::new();
    let _ = s.read_to_string(&mut buf);
    buf.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

/// Waits for the next server-sent event of `kind` on an open event stream; returns its data.
fn next_event(lines: &mut impl BufRead, kind: &str, within: Duration) -> Option<String> {
    let deadline = Instant::now() + within;
    let (mut current, mut data) = (String::new(), Vec::<String>::new());
    let mut line = String::new();
    while Instant::now() < deadline {
        match lines.read_line(&mut line) {
            Ok(0) => return None,
            Ok(_) => {}
            // A read timeout keeps what was read so far in `line`; go on reading.
            Err(_) => continue,
        }
        let l = std::mem::take(&mut line);
        let l = l.trim_end_matches(['\r', '\n']);
        if let Some(ev) = l.strip_prefix("event: ") {
            current = ev.to_string();
        } else if let Some(d) = l.strip_prefix("data:") {
            data.push(d.strip_prefix(' ').unwrap_or(d).to_string());
        } else if l.is_empty() {
            if current == kind && !data.is_empty() {
                return Some(data.join("\n"));
            }
            current.clear();
            data.clear();
        }
    }
    None
}

/// `dossier serve` on the dossier at `root`, on a free loopback port.
fn start_preview(root: &std::path::Path) -> dossier::Server {
    let opts = dossier::ServeOptions {
        root: root.to_path_buf(),
        bind: [127, 0, 0, 1].into(),
        port: 0,
    };
    dossier::preview(&opts).expect("preview")
}

fn open_events(addr: std::net::SocketAddr) -> BufReader<TcpStream> {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_millis(200)))
        .expect("timeout");
    write!(
        s,
        "GET /__dossier/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("write");
    BufReader::new(s)
}

#[test]
fn preview_reloads_on_edit_shows_problems_and_refuses_traversal() {
    let dir = bundled_copy();
    let server = start_preview(dir.path());
    let base = format!("http://{}", server.addr);
    let agent = agent();
    let page_url = format!("{base}/reports/003_a41f94431274d0d9/");
    let page = get(&agent, &page_url);
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("/__dossier/live.js"),
        "no live reload script"
    );
    assert!(
        !dir.path().join("public").exists(),
        "serve must not write the output folder"
    );

    // Let the watcher settle before the first edit.
    std::thread::sleep(Duration::from_millis(300));
    let mut events = open_events(server.addr);
    let report = dir.path().join("content/reports/003_a41f94431274d0d9.md");
    let text = std::fs::read_to_string(&report).expect("read");
    std::fs::write(&report, text.replace("Bahas Apa?!", "Bahas Keamanan")).expect("write");
    assert!(
        next_event(&mut events, "reload", Duration::from_secs(10)).is_some(),
        "no reload event"
    );
    let edited = get(&agent, &page_url).body;
    assert!(
        edited.contains("Bahas Keamanan"),
        "edit not served: {edited}"
    );

    // A body-only edit takes the fast path (only the report's page and the feed re-rendered).
    let edited_text = std::fs::read_to_string(&report).expect("read");
    std::fs::write(
        &report,
        format!("{edited_text}\nParagraf tambahan dari analis.\n"),
    )
    .expect("write");
    assert!(
        next_event(&mut events, "reload", Duration::from_secs(10)).is_some(),
        "no reload after a body edit"
    );
    assert!(get(&agent, &page_url)
        .body
        .contains("Paragraf tambahan dari analis."));
    let event_page = get(
        &agent,
        &format!("{base}/events/naryshkin-visits-pyongyang-2024-03/"),
    )
    .body;
    assert!(
        event_page.contains("Bahas Keamanan"),
        "the rest of the site is still served"
    );

    // A broken edit: the previous pages stay served, and the problem reaches the browser.
    std::fs::write(&report, text.replace("date: 2024-03-28", "date: someday")).expect("write");
    let problem =
        next_event(&mut events, "problem", Duration::from_secs(10)).expect("no problem event");
    assert!(problem.contains("003_a41f94431274d0d9.md"), "{problem}");
    let still = get(&agent, &page_url);
    assert_eq!(still.status, 200);
    assert!(
        still.body.contains("Bahas Keamanan") && still.body.contains("someday"),
        "overlay data missing"
    );
    // Fixing the file clears it.
    std::fs::write(&report, &text).expect("write");
    assert!(
        next_event(&mut events, "reload", Duration::from_secs(10)).is_some(),
        "no reload after the fix"
    );
    assert_eq!(server.error(), None);

    // A deleted report disappears from the preview.
    std::fs::remove_file(&report).expect("rm");
    assert!(next_event(&mut events, "reload", Duration::from_secs(10)).is_some());
    assert_eq!(get(&agent, &page_url).status, 404);

    for path in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/reports/..%2F..%2Fsite.toml",
        "/%2E%2E%5Csite.toml",
    ] {
        // Refused as such (403), not merely not found: the site has no `site.toml`, so a 404
        // would pass with the check deleted.
        let status = raw_status(server.addr, path);
        assert_eq!(status, 403, "{path} answered {status}");
    }
}

/// Regression: the watcher took the access events of reading a file for changes, so a rebuild
/// (which reads every report) triggered the next one, without end.
#[test]
fn preview_does_not_rebuild_when_files_are_only_read() {
    let dir = bundled_copy();
    let server = start_preview(dir.path());
    std::thread::sleep(Duration::from_millis(200));
    for entry in std::fs::read_dir(dir.path().join("content/reports")).expect("ls") {
        let _ = std::fs::read(entry.expect("entry").path()).expect("read");
    }
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(server.generation(), 1, "reading files caused a rebuild");
}

/// A text edit that changes the names a report writes is shown at once, names as they were;
/// the names follow with a second reload, once the model is analysed again.
#[test]
fn preview_shows_a_text_edit_before_its_names_are_analysed() {
    let dir = bundled_copy();
    let server = start_preview(dir.path());
    let agent = agent();
    std::thread::sleep(Duration::from_millis(300));
    let mut events = open_events(server.addr);
    let page = format!("http://{}/reports/004_d2bd505937341d60/", server.addr);
    let path = dir.path().join("content/reports/004_d2bd505937341d60.md");
    let text = std::fs::read_to_string(&path).expect("read");
    let before = server.generation();
    let edited = text.replace(
        "perang di Ukraina.",
        "perang di Ukraina. Hadir pula Vasily Nebenzya.",
    );
    assert_ne!(edited, text);
    std::fs::write(&path, edited).expect("write");
    let first = next_event(&mut events, "reload", Duration::from_secs(10)).expect("a reload");
    assert_eq!(first, (before + 1).to_string());
    let shown = get(&agent, &page).body;
    assert!(
        shown.contains("Hadir pula Vasily Nebenzya"),
        "the new text, at once"
    );
    let second =
        next_event(&mut events, "reload", Duration::from_secs(10)).expect("a second reload");
    assert_eq!(second, (before + 2).to_string());
    let mut config = dossier::load_config(dir.path()).expect("config");
    config.base_url = format!("http://{}/", server.addr);
    let (full, _) = dossier::render_site(&config);
    let snippet = regex::Regex::new(
        r"<script>window.__dossierProblem = [^<]*</script><script [^>]*></script>",
    )
    .expect("regex");
    let served = get(&agent, &page).body;
    assert_eq!(
        snippet.replace(&served, ""),
        String::from_utf8_lossy(&full["reports/004_d2bd505937341d60/index.html"]),
        "after the names, the page of a full build"
    );
}

/// The preview's partial rebuilds must give exactly the pages a full build gives.
#[test]
fn preview_partial_rebuilds_match_a_full_build() {
    let dir = bundled_copy();
    let server = start_preview(dir.path());
    let base = format!("http://{}", server.addr);
    let agent = agent();
    std::thread::sleep(Duration::from_millis(300));
    let mut events = open_events(server.addr);
    // Without its note, an event is titled from its earliest report (004 here).
    std::fs::remove_file(
        dir.path()
            .join("content/events/choe-son-hui-in-moscow-2024-01.md"),
    )
    .expect("rm");
    assert!(next_event(&mut events, "reload", Duration::from_secs(10)).is_some());
    std::thread::sleep(Duration::from_millis(300));
    let reports = dir.path().join("content/reports");
    // Text edits that add a name to one report, then to a second (it becomes an entity, with a
    // page), then take it out again (its page goes).
    let edits: [(&str, &str, &str); 10] = [
        (
            "004_d2bd505937341d60.md",
            "di Semua Bidang",
            "di Banyak Bidang",
        ),
        ("004_d2bd505937341d60.md", "Ida Rosdalina", "Ida R."),
        (
            "000_fccf29c733261116.md",
            "Kepala Mata-Mata Putin",
            "Kepala Intel Putin",
        ),
        (
            "000_fccf29c733261116.md",
            "Moskow dan Pyongyang",
            "Moskow serta Pyongyang",
        ),
        (
            "003_a41f94431274d0d9.md",
            "date: 2024-03-28",
            "date: 2024-03-30",
        ),
        (
            "003_a41f94431274d0d9.md",
            "outlet: GalaPos ID",
            "outlet: Tempo",
        ),
        (
            "001_2bc1f92da163eafe.md",
            "event: naryshkin-visits-pyongyang-2024-03",
            "event: choe-son-hui-in-moscow-2024-01",
        ),
        (
            "004_d2bd505937341d60.md",
            "perang di Ukraina.",
            "perang di Ukraina. Hadir pula Vasily Nebenzya.",
        ),
        (
            "000_fccf29c733261116.md",
            "menurut KCNA.",
            "menurut KCNA. Hadir pula Vasily Nebenzya.",
        ),
        (
            "000_fccf29c733261116.md",
            "menurut KCNA. Hadir pula Vasily Nebenzya.",
            "menurut KCNA.",
        ),
    ];
    let mut before: Option<std::collections::BTreeMap<String, Vec<u8>>> = None;
    let new_entity = "entities/vasily-nebenzya/index.html";
    let mut entity_came = false;
    let snippet = regex::Regex::new(
        r"<script>window.__dossierProblem = [^<]*</script><script [^>]*></script>",
    )
    .expect("regex");
    for (file, from, to) in edits {
        let path = reports.join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{file} lacks {from}");
        std::fs::write(&path, text.replace(from, to)).expect("write");
        assert!(
            next_event(&mut events, "reload", Duration::from_secs(10)).is_some(),
            "no reload after {to}"
        );
        // Let a second event of the same save settle (an edit of names has a second reload).
        while next_event(&mut events, "reload", Duration::from_millis(400)).is_some() {}
        let mut config = dossier::load_config(dir.path()).expect("config");
        config.base_url = format!("{base}/");
        let (full, diags) = dossier::render_site(&config);
        assert!(!diags.has_errors(), "{}", diags.report());
        for (page, bytes) in &full {
            let url = format!("{base}/{}", page.trim_end_matches("index.html"));
            // Not found yet (a new index chunk) reads as empty, and differs.
            let fetch = || {
                agent
                    .get(&url)
                    .call()
                    .map(|mut resp| resp.body_mut().read_to_vec().expect("body"))
                    .unwrap_or_default()
            };
            let mut served = fetch();
            // After a partial rebuild the search index is rebuilt in the background: give it time.
            for _ in 0..50 {
                if served == *bytes || !page.starts_with("pagefind/") {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
                served = fetch();
            }
            let served = if page.ends_with(".html") {
                snippet
                    .replace(&String::from_utf8_lossy(&served), "")
                    .into_owned()
                    .into_bytes()
            } else {
                served
            };
            assert!(
                served == *bytes,
                "after `{to}`: {page} differs from a full build"
            );
        }
        // Pages a full build no longer makes are gone from the preview too.
        for page in before.iter().flat_map(|b| b.keys()) {
            if !full.contains_key(page) {
                let url = format!("{base}/{page}");
                assert_eq!(
                    raw_status(server.addr, &url[base.len()..]),
                    404,
                    "after `{to}`: {page} is still served"
                );
            }
        }
        entity_came |= full.contains_key(new_entity);
        before = Some(full);
    }
    assert!(entity_came, "no edit made {new_entity}");
    assert!(before.is_some_and(|b| !b.contains_key(new_entity)));
}

/// The resident memory of this process (the server runs in it), in KiB.
fn resident_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// The preview under load, over loopback: 200 connections make 20,000 requests while 100
/// browsers hold live-reload streams, 50 clients open connections and never finish their
/// request, and a report is saved 100 times in 10 s. No request fails or waits long, every
/// stream gets the reload of the final state, and memory is about flat after the storm.
#[test]
fn preview_under_load_answers_every_request_and_every_stream_sees_the_last_reload() {
    let dir = bundled_copy();
    let server = start_preview(dir.path());
    let addr = server.addr;
    std::thread::sleep(Duration::from_millis(300));
    let page = format!("http://{addr}/reports/003_a41f94431274d0d9/");
    // Warm up (the search index of the first build, the allocator's pools), then measure.
    let warm = agent();
    for _ in 0..200 {
        assert_eq!(get(&warm, &page).status, 200);
    }
    std::thread::sleep(Duration::from_secs(2));
    let start = resident_kib();
    // Two storms: the first grows the allocator's pools and the server's caches to their
    // working size; memory is flat when the second adds (almost) nothing to that.
    let (slowest, generations) = storm(&server, dir.path(), "satu");
    let first = resident_kib();
    let (slowest2, generations2) = storm(&server, dir.path(), "dua");
    let second = resident_kib();
    assert!(
        second < first + 20 * 1024,
        "memory grew again in the second storm: {start} KiB at start, {first} KiB after one, {second} KiB after two"
    );
    eprintln!(
        "preview under load: 2 × 20,000 requests, slowest {:?}; {generations} then {generations2} generations; memory {start} KiB at start, {first} KiB after one storm, {second} KiB after two",
        slowest.max(slowest2)
    );
}

/// One storm: 200 clients making 20,000 requests while 100 live-reload streams are open, 50
/// connections stall half-way through a request, and a report is saved 100 times in 10 s.
/// Every request must be answered, and every stream told of the final rebuild, whose page
/// must show the last save. Returns the slowest request and the last generation.
fn storm(server: &dossier::Server, dir: &std::path::Path, round: &str) -> (Duration, u64) {
    let addr = server.addr;
    let page = format!("http://{addr}/reports/003_a41f94431274d0d9/");
    let mut streams: Vec<_> = (0..100).map(|_| open_events(addr)).collect();
    // Connections that send half a request and then nothing.
    let stalled: Vec<TcpStream> = (0..50)
        .map(|_| {
            let mut s = TcpStream::connect(addr).expect("connect");
            s.write_all(b"GET /index.html HTTP/1.1\r\nHost: loc")
                .expect("write");
            s
        })
        .collect();

    let report = dir.join("content/reports/003_a41f94431274d0d9.md");
    let original = std::fs::read_to_string(&report).expect("read");
    let round = round.to_string();
    let saver = {
        let report = report.clone();
        let round = round.clone();
        std::thread::spawn(move || {
            for i in 0..100 {
                let text =
                    format!("{original}\nParagraf tambahan {round} nomor {i} dari analis.\n");
                std::fs::write(&report, text).expect("save");
                std::thread::sleep(Duration::from_millis(100));
            }
        })
    };
    let paths = [
        "/",
        "/reports/003_a41f94431274d0d9/",
        "/events/naryshkin-visits-pyongyang-2024-03/",
        "/style.css",
        "/timeline/",
        "/dossier.json",
    ];
    let clients: Vec<_> = (0..200)
        .map(|c| {
            std::thread::spawn(move || {
                let agent = agent();
                let mut slowest = Duration::ZERO;
                for r in 0..100 {
                    let path = paths[(c + r) % paths.len()];
                    let started = Instant::now();
                    let got = get(&agent, &format!("http://{addr}{path}"));
                    slowest = slowest.max(started.elapsed());
                    assert_eq!(got.status, 200, "{path} answered {}", got.status);
                }
                slowest
            })
        })
        .collect();
    let slowest = clients
        .into_iter()
        .map(|c| c.join().expect("a client"))
        .max()
        .unwrap_or_default();
    saver.join().expect("the saver");
    drop(stalled);
    assert!(
        slowest < Duration::from_secs(5),
        "a request took {slowest:?}"
    );

    // The final state: wait for its rebuild, then every stream must have been told of it.
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut last = server.generation();
    loop {
        std::thread::sleep(Duration::from_millis(500));
        let now = server.generation();
        if now == last || Instant::now() > deadline {
            break;
        }
        last = now;
    }
    let shown = get(&agent(), &page).body;
    assert!(
        shown.contains(&format!("Paragraf tambahan {round} nomor 99")),
        "the last save is not shown"
    );
    for (k, s) in streams.iter_mut().enumerate() {
        let mut seen = 0;
        while seen < last {
            match next_event(s, "reload", Duration::from_secs(10)) {
                Some(g) => seen = g.trim().parse().unwrap_or(0),
                None => panic!("stream {k} saw no reload of generation {last} (last {seen})"),
            }
        }
    }
    drop(streams);
    std::thread::sleep(Duration::from_secs(3));
    (slowest, last)
}
