//! Search, end to end in headless Chromium: the bundled dossier served under a sub-path, a
//! query typed into the header's search box, Pagefind's results, a filter, and a result link
//! opened from the keyboard.

use std::time::Duration;

use crate::browser::{chrome, Opened, View};
use crate::repo;

/// Waits until the search page's result list has settled, and gives the result links' paths,
/// sorted.
fn results(page: &Opened) -> Vec<String> {
    let js = r#"new Promise((resolve) => {
      const t0 = performance.now();
      let last = -1, since = t0;
      const tick = () => {
        const links = [...document.querySelectorAll('.pagefind-ui__result-link')]
          .map((a) => new URL(a.href).pathname).sort();
        const now = performance.now();
        if (links.length !== last) { last = links.length; since = now; }
        if ((links.length > 0 && now - since > 500) || now - t0 > 15000) return resolve(JSON.stringify(links));
        setTimeout(tick, 50);
      };
      tick();
    })"#;
    // Arrays do not come back by value: they travel as JSON text.
    let text = page.eval(js);
    serde_json::from_str(text.as_str().unwrap_or_default()).expect("a list of links")
}

/// Waits until the page has navigated to a path starting with `prefix` (a navigation the
/// page starts itself, which the tab does not wait for); gives the path and query.
fn wait_for(page: &Opened, prefix: &str) -> String {
    let mut at = String::new();
    for _ in 0..100 {
        std::thread::sleep(Duration::from_millis(100));
        let here = page
            .tab
            .evaluate("location.pathname + location.search", false);
        if let Some(v) = here.ok().and_then(|r| r.value) {
            at = v.as_str().unwrap_or_default().to_string();
            let ready = page
                .tab
                .evaluate("document.readyState === 'complete'", false);
            let ready = ready.ok().and_then(|r| r.value) == Some(serde_json::json!(true));
            if at.starts_with(prefix) && ready {
                break;
            }
        }
    }
    at
}

/// With `DOSSIER_SHOTS=<dir>`, keeps a screenshot of the page there, to look at.
fn keep_screenshot(page: &Opened, name: &str) {
    let png = page.screenshot();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    if let Some(dir) = std::env::var_os("DOSSIER_SHOTS") {
        std::fs::write(std::path::Path::new(&dir).join(name), png).expect("write the screenshot");
    }
}

fn reports(ids: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = ids.iter().map(|id| format!("/d/reports/{id}/")).collect();
    v.sort();
    v
}

/// Axe's serious and critical violations on the open page.
fn axe(page: &Opened) -> Vec<String> {
    let axe =
        std::fs::read_to_string(repo().join("tests/browser/node_modules/axe-core/axe.min.js"))
            .expect("axe-core: run `npm ci --prefix tests/browser`");
    page.eval(&axe);
    let found = page.eval(
        "axe.run(document).then((r) => r.violations
           .filter((v) => v.impact === 'serious' || v.impact === 'critical')
           .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))
           .then(JSON.stringify)",
    );
    serde_json::from_str(found.as_str().unwrap_or_default()).expect("a list of violations")
}

#[test]
fn search_finds_reports_by_name_filters_by_outlet_and_opens_a_result() {
    let files = dossier::render_site(&dossier::load_config(&repo()).expect("config")).0;
    assert!(files.contains_key("search/index.html"));
    assert!(files.contains_key("pagefind/pagefind-ui.js"));
    let server = dossier::serve_files(files, "/d/").expect("server");
    let chrome = chrome();
    let site = format!("http://{}/d/", server.addr);

    // The header's search box, on any page, sends the query to the search page.
    let front = chrome.open(&site, View::PHONE);
    assert_eq!(axe(&front), Vec::<String>::new());
    assert_eq!(
        front.eval("document.documentElement.scrollWidth <= window.innerWidth"),
        serde_json::json!(true),
        "no horizontal scrolling at 375 px with the search box"
    );
    let front = chrome.open(&site, View::DESK);
    front.eval(
        "document.getElementById('site-search-q').value = 'Naryshkin';
         document.querySelector('form.site-search').submit(); true",
    );
    assert_eq!(wait_for(&front, "/d/search/"), "/d/search/?q=Naryshkin");
    // The three reports of the SVR chief's visit.
    let naryshkin = [
        "000_fccf29c733261116",
        "001_2bc1f92da163eafe",
        "003_a41f94431274d0d9",
    ];
    assert_eq!(results(&front), reports(&naryshkin));
    // Results show the outlet and the date (in the site's language), with the hit highlighted.
    let shown = front.eval("document.querySelector('.pagefind-ui__results').innerText");
    let shown = shown.as_str().unwrap_or_default();
    assert!(shown.contains("Kontan"), "{shown}");
    assert!(shown.contains("Maret 2024"), "{shown}");
    assert_eq!(
        // Pagefind marks the whole word as written, punctuation included ("Naryshkin,").
        front.eval(
            "document.querySelector('.pagefind-ui__result-excerpt mark').textContent.startsWith('Naryshkin')"
        ),
        serde_json::json!(true)
    );

    // A filter by outlet narrows them to Kontan's report.
    front.eval(
        "new Promise((resolve) => {
           const tick = () => {
             const box = document.getElementById('Media-Kontan');
             if (box) { box.click(); resolve(true); } else setTimeout(tick, 50);
           };
           tick();
         })",
    );
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(results(&front), reports(&naryshkin[..1]));
    keep_screenshot(&front, "search-desk-filtered.png");
    // Pagefind searched on the page's thread (`noWorker` in search.js): its worker was never
    // loaded.
    assert_eq!(
        front.eval(
            "performance.getEntriesByType('resource').some((r) => r.name.includes('pagefind-worker'))"
        ),
        serde_json::json!(false)
    );
    assert_eq!(front.problems(), Vec::<String>::new());

    // The Moscow visit, on a phone, in dark mode; a result opens from the keyboard.
    let choe = chrome.open(&format!("{site}search/?q=Choe+Son+Hui"), View::PHONE.dark());
    assert_eq!(
        results(&choe),
        reports(&["002_b0aaa6fdb9848722", "004_d2bd505937341d60"])
    );
    assert_eq!(axe(&choe), Vec::<String>::new());
    keep_screenshot(&choe, "search-phone-dark.png");
    assert_eq!(
        choe.eval("document.documentElement.scrollWidth <= window.innerWidth"),
        serde_json::json!(true),
        "no horizontal scrolling at 375 px"
    );
    choe.eval("document.querySelector('.pagefind-ui__result-link').focus(); true");
    choe.tab.press_key("Enter").expect("Enter");
    let opened = wait_for(&choe, "/d/reports/");
    assert!(opened.starts_with("/d/reports/00"), "{opened}");
    assert_eq!(
        choe.eval("document.querySelector('h1').textContent.length > 0"),
        serde_json::json!(true)
    );
    assert_eq!(choe.problems(), Vec::<String>::new());
}

/// A big dossier's index comes in shards that the search page merges (`src/search.rs`): with
/// shards of two reports, the five reports are in three indexes, and a query, its filter counts
/// and a filter reach all of them.
#[test]
fn a_sharded_index_finds_reports_in_every_shard() {
    let mut config = dossier::load_config(&repo()).expect("config");
    config.search_shard = 2;
    let files = dossier::render_site(&config).0;
    for shard in ["pagefind/shard-1/", "pagefind/shard-2/"] {
        assert!(files.contains_key(&format!("{shard}pagefind-entry.json")));
        assert!(!files.contains_key(&format!("{shard}pagefind.js")));
    }
    assert!(!files.contains_key("pagefind/shard-3/pagefind-entry.json"));
    let server = dossier::serve_files(files, "/d/").expect("server");
    let chrome = chrome();
    let page = chrome.open(
        &format!("http://{}/d/search/?q=Naryshkin", server.addr),
        View::DESK,
    );
    // The three reports of the SVR chief's visit are in all three shards (reports are dealt out
    // in date order).
    assert_eq!(
        results(&page),
        reports(&[
            "000_fccf29c733261116",
            "001_2bc1f92da163eafe",
            "003_a41f94431274d0d9"
        ])
    );
    // The filter counts are the sum of the shards'.
    let kontan = page.eval(
        "new Promise((resolve) => {
           const tick = () => {
             const box = document.getElementById('Media-Kontan');
             if (box) resolve(box.parentElement.textContent); else setTimeout(tick, 50);
           };
           tick();
         })",
    );
    assert!(
        kontan.as_str().unwrap_or_default().contains("(1)"),
        "{kontan:?}"
    );
    assert_eq!(page.problems(), Vec::<String>::new());
}

#[test]
fn no_search_builds_no_index_and_no_search_box() {
    let dir = crate::bundled_copy();
    let out = dir.path().join("out");
    let root = dir.path().to_string_lossy().into_owned();
    let out_s = out.to_string_lossy().into_owned();
    let r = crate::dossier(&["build", "--root", &root, "-o", &out_s, "--no-search"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!out.join("pagefind").exists());
    assert!(!out.join("search").exists());
    let index = std::fs::read_to_string(out.join("index.html")).expect("index.html");
    assert!(!index.contains("site-search"));

    let r = crate::dossier(&["build", "--root", &root, "-o", &out_s]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(out.join("pagefind/pagefind-entry.json").exists());
    assert!(out.join("search/index.html").exists());
    let index = std::fs::read_to_string(out.join("index.html")).expect("index.html");
    assert!(index.contains(r#"action="search/""#));
}

/// The query-time benchmark (`bench/search.sh`): the site built at `DOSSIER_BENCH_SITE`, served
/// under a sub-path; each query timed with `performance.now()` around `pagefind.search()` and
/// the loading of its first five results (what the page shows first), after a warm-up query.
/// Pagefind runs on the page's thread, as `static/search.js` has it.
#[test]
#[ignore = "a benchmark: run by bench/search.sh"]
fn search_query_time() {
    let Some(dir) = std::env::var_os("DOSSIER_BENCH_SITE") else {
        panic!("set DOSSIER_BENCH_SITE to a built site");
    };
    let files = crate::read_tree(std::path::Path::new(&dir));
    let server = dossier::serve_files(files, "/d/").expect("server");
    let chrome = chrome();
    let page = chrome.open(&format!("http://{}/d/search/", server.addr), View::DESK);
    let js = r#"(async () => {
      const pf = await import(new URL('../pagefind/pagefind.js', location.href).href);
      await pf.options({noWorker: true});
      await pf.init();
      const timed = async (q, pass) => {
        const t0 = performance.now();
        const r = await pf.search(q);
        const t1 = performance.now();
        await Promise.all(r.results.slice(0, 5).map((x) => x.data()));
        return [pass + ': ' + q, r.results.length, t1 - t0, performance.now() - t0];
      };
      await timed('kerja sama', 'warm-up');
      const out = [];
      // Twice: the first time a word is searched, its index chunk is fetched.
      for (const pass of ['first', 'again'])
        for (const q of ['Putin', 'Beijing', 'Badar Anti', 'intelijen', 'perdagangan bilateral',
                         'Kim Jong Un', 'sanksi', 'Seoul']) out.push(await timed(q, pass));
      return JSON.stringify(out);
    })()"#;
    let text = page.eval(js);
    let rows: Vec<(String, usize, f64, f64)> =
        serde_json::from_str(text.as_str().unwrap_or_default()).expect("timings");
    for (q, n, search, shown) in &rows {
        println!(
            "{q:>29}  {n:>5} results  search {search:6.1} ms  with first 5 results {shown:6.1} ms"
        );
    }
    // A rare name may be missing from a smaller synthetic dossier; the leader in nearly every
    // report never is.
    let putin: Vec<_> = rows.iter().filter(|r| r.0.ends_with("Putin")).collect();
    assert!(
        putin.len() == 2 && putin.iter().all(|r| r.1 > 0),
        "Putin is found"
    );
    assert_eq!(page.problems(), Vec::<String>::new());
}
