//! `dossier build`, `check` and `init` on the bundled dossier and on small variations of it.

use crate::{bundled_copy, dossier, expect_file, read_tree, repo};

fn build(root: &std::path::Path, extra: &[&str]) -> crate::Output {
    let root_s = root.to_string_lossy().into_owned();
    let mut args = vec!["build", "--root", &root_s];
    args.extend_from_slice(extra);
    dossier(&args)
}

#[test]
fn bundled_dossier_builds_every_page_type() {
    let dir = bundled_copy();
    let out = build(dir.path(), &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("Built 5 reports, 2 events, 3 outlets"),
        "{}",
        out.stdout
    );
    let site = read_tree(&dir.path().join("public"));
    for page in [
        "index.html",
        "timeline/index.html",
        "outlets/index.html",
        "outlets/kontan/index.html",
        "outlets/tempo/index.html",
        "outlets/galapos-id/index.html",
        "events/naryshkin-visits-pyongyang-2024-03/index.html",
        "events/choe-son-hui-in-moscow-2024-01/index.html",
        "reports/000_fccf29c733261116/index.html",
        "reports/004_d2bd505937341d60/index.html",
        "entities/index.html",
        "entities/sergei-naryshkin/index.html",
        "briefing/index.html",
        "search/index.html",
        "pagefind/pagefind-entry.json",
        "pagefind/pagefind-ui.js",
        "404.html",
        "sitemap.xml",
        "atom.xml",
        "robots.txt",
        ".nojekyll",
        "dossier.json",
        "style.css",
        "highlight.css",
        "favicon.svg",
    ] {
        assert!(site.contains_key(page), "missing {page}");
    }
    assert!(!site.contains_key("CNAME"), "no cname configured");
    assert!(
        site.keys().all(|k| !k.contains("dossier-staging")),
        "staging left behind"
    );
    let broken = dossier::broken_links(&site, "/russia-dprk/");
    assert!(broken.is_empty(), "broken links: {broken:?}");
    // The model for other tools is a snapshot: its schema is documented in the README. It is
    // written on one line; the snapshot is indented, to be read in a diff.
    let bytes = &site["dossier.json"];
    assert_eq!(bytes.iter().filter(|&&b| b == b'\n').count(), 1, "one line");
    let model: serde_json::Value = serde_json::from_slice(bytes).expect("valid JSON");
    let json = serde_json::to_string_pretty(&model).expect("serializes") + "\n";
    expect_file(&repo().join("tests/fixtures/bundled/dossier.json"), &json);
}

#[test]
fn report_pages_cross_link_the_other_reports_of_their_event() {
    let config = dossier::load_config(&repo()).expect("site.toml");
    let (site, diags) = dossier::render_site(&config);
    assert!(!diags.has_errors(), "{}", diags.report());
    let page =
        String::from_utf8(site["reports/000_fccf29c733261116/index.html"].clone()).expect("utf-8");
    // Kontan's report links to the other two reports of the SVR chief's visit, and to the event.
    assert!(
        page.contains("href=\"../../reports/001_2bc1f92da163eafe/\""),
        "no link to 001"
    );
    assert!(
        page.contains("href=\"../../reports/003_a41f94431274d0d9/\""),
        "no link to 003"
    );
    assert!(
        !page.contains("href=\"../../reports/002_b0aaa6fdb9848722/\""),
        "links a report of another event"
    );
    assert!(page.contains("href=\"../../events/naryshkin-visits-pyongyang-2024-03/\""));
    // Dates in the site's language.
    assert!(page.contains("29 Maret 2024"), "date not in Indonesian");
    assert!(page.contains("06:30 WIB"));
    let event = String::from_utf8(site["events/choe-son-hui-in-moscow-2024-01/index.html"].clone())
        .expect("utf-8");
    assert!(event.contains("15–19 Januari 2024"), "event dates");
    assert!(
        event.contains("reports/002_b0aaa6fdb9848722/")
            && event.contains("reports/004_d2bd505937341d60/")
    );
    assert!(event.contains("Nabiila Azzahra"), "byline");
    // Next event in time from the January event is the March one.
    assert!(event.contains("../../events/naryshkin-visits-pyongyang-2024-03/"));
}

#[test]
fn same_input_gives_byte_identical_output() {
    let a = bundled_copy();
    let b = bundled_copy();
    assert_eq!(build(a.path(), &[]).code, 0);
    assert_eq!(build(b.path(), &[]).code, 0);
    let (ta, tb) = (
        read_tree(&a.path().join("public")),
        read_tree(&b.path().join("public")),
    );
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (k, v) in &ta {
        assert!(v == &tb[k], "{k} differs between two builds");
    }
}

#[test]
fn failed_build_keeps_previous_output_and_success_drops_stale_files() {
    let dir = bundled_copy();
    let root = dir.path();
    assert_eq!(build(root, &[]).code, 0);
    let before = read_tree(&root.join("public"));

    let report = root.join("content/reports/003_a41f94431274d0d9.md");
    let good = std::fs::read_to_string(&report).expect("read");
    std::fs::write(
        &report,
        good.replace("date: 2024-03-28", "date: 2024-13-28"),
    )
    .expect("write");
    let out = build(root, &[]);
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains("003_a41f94431274d0d9.md:3: bad `date`"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("public is unchanged"), "{}", out.stderr);
    assert_eq!(
        read_tree(&root.join("public")),
        before,
        "a failed build changed the output"
    );

    std::fs::remove_file(&report).expect("rm");
    assert_eq!(build(root, &[]).code, 0);
    let after = read_tree(&root.join("public"));
    assert!(
        !after.contains_key("reports/003_a41f94431274d0d9/index.html"),
        "stale page survived"
    );
    let leftovers: Vec<_> = std::fs::read_dir(root)
        .expect("ls")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".dossier-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn base_url_and_cname_come_from_the_command_line_and_site_toml() {
    let dir = bundled_copy();
    let toml = dir.path().join("site.toml");
    let text = std::fs::read_to_string(&toml).expect("read");
    // At the top: the file ends in a table ([aliases]).
    std::fs::write(&toml, format!("cname = \"dossier.example.org\"\n{text}")).expect("write");
    let out = build(
        dir.path(),
        &["--base-url", "https://someone.github.io/russia-dprk"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let site = read_tree(&dir.path().join("public"));
    assert_eq!(site["CNAME"], b"dossier.example.org\n");
    let sitemap = String::from_utf8(site["sitemap.xml"].clone()).expect("utf-8");
    assert!(sitemap.contains(
        "<loc>https://someone.github.io/russia-dprk/reports/000_fccf29c733261116/</loc>"
    ));
    let not_found = String::from_utf8(site["404.html"].clone()).expect("utf-8");
    assert!(
        not_found.contains("href=\"/russia-dprk/timeline/\""),
        "404 links must be absolute"
    );
}

#[test]
fn output_folder_not_written_by_dossier_is_never_replaced() {
    let dir = bundled_copy();
    let public = dir.path().join("public");
    std::fs::create_dir_all(&public).expect("mkdir");
    std::fs::write(public.join("precious.txt"), "mine").expect("write");
    let out = build(dir.path(), &[]);
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains("was not written by dossier"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(public.join("precious.txt")).expect("kept"),
        "mine"
    );
}

#[test]
fn init_makes_a_dossier_that_builds_and_checks_clean() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("my-dossier");
    let root_s = root.to_string_lossy().into_owned();
    let out = dossier(&["init", &root_s, "--language", "id"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let again = dossier(&["init", &root_s]);
    assert_ne!(again.code, 0, "init must not write over a dossier");
    let check = dossier(&["check", "--root", &root_s]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let out = build(&root, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(root.join("public/index.html").is_file());
}

#[test]
fn check_writes_nothing_and_warns_about_unknown_outlets() {
    let dir = bundled_copy();
    let root_s = dir.path().to_string_lossy().into_owned();
    let out = dossier(&["check", "--root", &root_s]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("001_2bc1f92da163eafe.md: the report names no outlet"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("public").exists(), "check wrote output");
}

#[test]
fn a_dossier_overrides_the_theme_file_by_file_and_speaks_english() {
    let dir = bundled_copy();
    let root = dir.path();
    let toml = root.join("site.toml");
    let text = std::fs::read_to_string(&toml).expect("read");
    std::fs::write(
        &toml,
        text.replace("language = \"id\"", "language = \"en\""),
    )
    .expect("write");
    std::fs::create_dir_all(root.join("templates")).expect("mkdir");
    std::fs::write(
        root.join("templates/outlet.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Outlet: {{ outlet.name }}</h1>{% endblock content %}",
    )
    .expect("write");
    std::fs::create_dir_all(root.join("static/img")).expect("mkdir");
    std::fs::write(root.join("static/style.css"), "body { color: red }").expect("write");
    std::fs::write(
        root.join("static/img/logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .expect("write");
    let out = build(root, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let site = read_tree(&root.join("public"));
    let outlet = String::from_utf8(site["outlets/kontan/index.html"].clone()).expect("utf-8");
    assert!(
        outlet.contains("<h1>Outlet: Kontan</h1>"),
        "override not used"
    );
    assert!(
        outlet.contains("Timeline"),
        "the built-in base.html, in English"
    );
    assert_eq!(site["style.css"], b"body { color: red }");
    assert!(site.contains_key("img/logo.svg"));
    let report =
        String::from_utf8(site["reports/000_fccf29c733261116/index.html"].clone()).expect("utf-8");
    assert!(report.contains("29 March 2024") && report.contains("Other reports of the same event"));
}

/// A report without `date` (a page-2 fragment, a page that stated none) is a report of unknown
/// date: the build keeps it, its pages say so, `check` names it, the feed and the sitemap's
/// dates leave it out, `dossier.json` writes `null`, and its text places it in its event.
#[test]
fn a_report_of_unknown_date_is_kept_shown_as_such_and_placed_by_its_text() {
    let dir = bundled_copy();
    std::fs::write(
        dir.path().join("content/reports/naryshkin-page-2.md"),
        "---\ntitle: \"Diplomasi - Halaman 2\"\ntitle_generated: true\noutlet: Contoh News\n---\n\n\
         Sergei Naryshkin dan Ri Chang Dae membahas kerja sama Dinas Intelijen Asing Rusia (SVR) \
         dengan kementerian keamanan negara di Pyongyang, kata SVR seperti dilaporkan KCNA.\n\n\
         Kunjungan kepala SVR itu berlangsung pada 25 hingga 27 Maret, menurut kantor berita KCNA \
         dan TASS.\n",
    )
    .expect("write the fragment");
    let root_s = dir.path().to_string_lossy().into_owned();
    let check = dossier(&["check", "--root", &root_s]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check
            .stderr
            .contains("naryshkin-page-2.md:1: the report's date is unknown"),
        "{}",
        check.stderr
    );
    let out = build(dir.path(), &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let site = read_tree(&dir.path().join("public"));
    let text = |path: &str| String::from_utf8(site[path].clone()).expect("utf-8");
    let page = text("reports/naryshkin-page-2/index.html");
    assert!(
        page.contains(r#"<span class="date-unknown">tanggal tidak diketahui"#),
        "the report page says its date is unknown"
    );
    assert!(!page.contains(r#"<time datetime="">"#));
    // Its text, with no date to window it, places it in the SVR chief's visit.
    let event = text("events/naryshkin-visits-pyongyang-2024-03/index.html");
    assert!(
        event.contains("reports/naryshkin-page-2/"),
        "joined its event"
    );
    assert!(
        !text("atom.xml").contains("naryshkin-page-2"),
        "not in the feed"
    );
    let json: serde_json::Value = serde_json::from_slice(&site["dossier.json"]).expect("json");
    let report = (json["reports"].as_array().expect("reports").iter())
        .find(|r| r["id"] == "naryshkin-page-2")
        .expect("in dossier.json");
    assert_eq!(report["date"], serde_json::Value::Null);
    assert_eq!(report["event"], "naryshkin-visits-pyongyang-2024-03");
    // Listed after the dated reports: the last of the outlet-less and dated ones.
    let ids: Vec<&str> = (json["reports"].as_array().expect("reports").iter())
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(ids.last(), Some(&"naryshkin-page-2"));
}

/// The same output on any machine: a synthetic dossier (hard corpus: detected events, names,
/// two languages) built with 1, 2 and 8 threads gives byte-identical sites.
#[test]
fn builds_with_1_2_and_8_threads_are_byte_identical() {
    let dir = tempfile::tempdir().expect("tempdir");
    crate::gen_corpus(
        &dir.path().join("d"),
        &["--reports", "400", "--hard", "--unassigned", "0.7"],
    );
    let sites: Vec<_> = ["1", "2", "8"]
        .iter()
        .map(|threads| {
            let public = dir.path().join(format!("public-{threads}"));
            let run = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
                .args(["build", "--root"])
                .arg(dir.path().join("d"))
                .arg("--output")
                .arg(&public)
                .env("RAYON_NUM_THREADS", threads)
                .output()
                .expect("run dossier");
            assert!(
                run.status.success(),
                "{}",
                String::from_utf8_lossy(&run.stderr)
            );
            read_tree(&public)
        })
        .collect();
    for (threads, site) in ["2", "8"].iter().zip(&sites[1..]) {
        assert_eq!(
            sites[0].keys().collect::<Vec<_>>(),
            site.keys().collect::<Vec<_>>()
        );
        for (k, v) in &sites[0] {
            assert!(v == &site[k], "{k} differs between 1 and {threads} threads");
        }
    }
}

/// What a build killed half-way leaves (bench/kill.sh kills real ones): its staging folder,
/// and in the worst case on systems without an atomic exchange, the previous site moved aside
/// with no new one in place. The next build puts the previous site back first, then cleans up.
#[test]
fn a_build_after_a_killed_one_restores_and_cleans_what_it_left() {
    let dir = bundled_copy();
    assert_eq!(build(dir.path(), &[]).code, 0);
    let public = dir.path().join("public");
    let before = read_tree(&public);
    std::fs::rename(&public, dir.path().join(".dossier-previous-public-k1ll3d")).expect("aside");
    std::fs::create_dir_all(dir.path().join(".dossier-staging-public-h4lfw4y/reports"))
        .expect("staging");
    std::fs::write(
        dir.path()
            .join(".dossier-staging-public-h4lfw4y/index.html"),
        "half",
    )
    .expect("half a page");
    // A folder of another output's, and one that only looks like ours, are left alone.
    std::fs::create_dir_all(dir.path().join(".dossier-staging-site-0th3r")).expect("other");
    // The previous site is the output again, even when the build then fails.
    std::fs::write(
        dir.path().join("content/reports/broken.md"),
        "---\ntitle: [\n---\n",
    )
    .expect("a broken report");
    assert_ne!(build(dir.path(), &[]).code, 0);
    assert!(read_tree(&public) == before, "the previous site is back");
    std::fs::remove_file(dir.path().join("content/reports/broken.md")).expect("fix");
    assert_eq!(build(dir.path(), &[]).code, 0);
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".dossier-"))
        .collect();
    left.sort();
    assert_eq!(left, [".dossier-staging-site-0th3r"]);
}

/// Report items are rendered once per report and kept for the pages two folders deep: an
/// overridden `report_item` macro is still the one every list uses, at every depth (the front
/// page's latest reports, the event, outlet, name and report pages).
#[test]
fn an_overridden_report_item_macro_lists_reports_on_every_page() {
    let dir = bundled_copy();
    let root = dir.path();
    let macros = std::fs::read_to_string(repo().join("templates/macros.html")).expect("read");
    assert!(macros.contains("<li class=\"report-item\">"));
    std::fs::create_dir_all(root.join("templates")).expect("mkdir");
    std::fs::write(
        root.join("templates/macros.html"),
        macros.replace(
            "<li class=\"report-item\">",
            "<li class=\"report-item\" data-mine=\"{{ root }}\">",
        ),
    )
    .expect("write");
    let out = build(root, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let site = read_tree(&root.join("public"));
    for (page, root) in [
        ("index.html", ""),
        (
            "events/naryshkin-visits-pyongyang-2024-03/index.html",
            "../../",
        ),
        ("outlets/kontan/index.html", "../../"),
        ("reports/000_fccf29c733261116/index.html", "../../"),
        ("entities/sergei-naryshkin/index.html", "../../"),
    ] {
        let html = String::from_utf8(site[page].clone()).expect("utf-8");
        let items = html.matches("class=\"report-item\"").count();
        let mine = format!("class=\"report-item\" data-mine=\"{root}\"");
        assert!(items > 0, "{page} lists no report");
        assert_eq!(
            html.matches(&mine).count(),
            items,
            "{page}: not every item is the override's"
        );
    }
}
