//! The charts on data written here and on the bundled dossier: how the timeline chooses and
//! fills its bars, that every SVG is well-formed XML with a title and description, and the
//! bundled dossier's charts as snapshots (`tests/fixtures/charts/`, `UPDATE_EXPECT=1`).

use std::collections::BTreeMap;
use std::path::Path;

use super::*;
use crate::analyze::Dossier;
use crate::diag::Diagnostics;
use crate::load::config::Config;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn bundled() -> (Config, Dossier) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = Config::load(root).unwrap_or_else(|e| panic!("config: {e:?}"));
    let mut diags = Diagnostics::default();
    let corpus = crate::load::content::load(&config.content_dir(), &mut diags);
    let d = crate::analyze::analyze(corpus, &config, &mut diags);
    (config, d)
}

/// The SVG parses as XML, is `role="img"` (`"group"` when it holds links) and opens with its
/// title and description.
fn check_svg(svg: &str) {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}: {svg}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    let links = doc.descendants().any(|n| n.tag_name().name() == "a");
    let role = if links { "group" } else { "img" };
    assert_eq!(root.attribute("role"), Some(role), "{svg}");
    let kids: Vec<&str> = root
        .children()
        .filter(|n| n.is_element())
        .take(2)
        .map(|n| n.tag_name().name())
        .collect();
    assert_eq!(kids, ["title", "desc"], "{svg}");
    let ids = root.attribute("aria-labelledby").unwrap_or("");
    for id in ids.split(' ') {
        assert!(
            doc.descendants().any(|n| n.attribute("id") == Some(id)),
            "#{id} in {svg}"
        );
    }
}

#[test]
fn the_timeline_picks_its_bars_from_the_span() {
    assert_eq!(Unit::for_span(0), Unit::Day);
    assert_eq!(Unit::for_span(59), Unit::Day);
    assert_eq!(Unit::for_span(60), Unit::Week);
    assert_eq!(Unit::for_span(400), Unit::Week);
    assert_eq!(Unit::for_span(500), Unit::Month);
    assert_eq!(Unit::for_span(3000), Unit::Year);
    assert_eq!(Unit::Week.start(day("2024-03-31")), day("2024-03-25"));
    assert_eq!(Unit::Month.start(day("2024-03-31")), day("2024-03-01"));
}

#[test]
fn the_timelines_axis_ends_on_a_round_number() {
    let tops: Vec<usize> = [0, 1, 3, 5, 7, 9, 11, 24, 26, 60, 685, 1001]
        .into_iter()
        .map(round_up)
        .collect();
    assert_eq!(tops, [1, 1, 4, 6, 8, 10, 20, 30, 30, 60, 700, 2000]);
}

#[test]
fn bars_keep_their_largest_events_and_sum_the_rest_and_empty_bars_stay() {
    let events = [
        (0, day("2024-03-01"), 2),
        (1, day("2024-03-01"), 5),
        (2, day("2024-03-01"), 1),
        (3, day("2024-03-04"), 3),
    ];
    let loose = [day("2024-03-02"), day("2024-03-04")];
    // Four bars, at most two marks in each.
    let (unit, bars) = buckets(&events, &loose, 8);
    assert_eq!(unit, Unit::Day);
    assert_eq!(bars.len(), 4);
    assert_eq!(bars[0].events, [(1, 5), (0, 2)]);
    let rest = |b: &Bucket| (b.others, b.loose);
    assert_eq!((rest(&bars[0]), bars[0].event_count), ((1, 0), 3));
    assert_eq!((bars[1].events.len(), rest(&bars[1])), (0, (0, 1)));
    assert_eq!((bars[2].events.len(), rest(&bars[2])), (0, (0, 0)));
    assert_eq!(
        (bars[3].events.clone(), rest(&bars[3])),
        (vec![(3, 3)], (0, 1))
    );
    assert_eq!(buckets(&[], &[], 8).1, Vec::new());
}

#[test]
fn a_large_timeline_stays_a_few_bars_of_a_few_marks() {
    // 3,000 events over three years: monthly bars, never more marks than allowed.
    let events: Vec<_> = (0..3000)
        .map(|i| {
            (
                i,
                day("2022-01-01") + Duration::days(i as i64 % 1095),
                1 + i % 7,
            )
        })
        .collect();
    let (unit, bars) = buckets(&events, &[], TIMELINE_MARKS);
    assert_eq!(unit, Unit::Month);
    assert_eq!(bars.len(), 36);
    let marks: usize = bars.iter().map(|b| b.events.len()).sum();
    assert!(marks <= TIMELINE_MARKS, "{marks}");
    let total: usize = bars.iter().map(Bucket::total).sum();
    assert_eq!(total, events.iter().map(|e| e.2).sum::<usize>());
}

#[test]
fn text_is_escaped_and_numbers_short() {
    let chart = Chart {
        id: "x\"".into(),
        title: "A & <b>".into(),
        desc: "\u{7}d".into(),
        width: 10.0,
        height: 5.25,
        marks: vec![
            text(1.04, 2.0, "1 < 2 & \"3\"", "start", "label").link(Some("a?b=1&c=2".into())),
            Mark::new(
                Shape::Rect {
                    x: 0.0,
                    y: 0.0,
                    w: 1.0,
                    h: 1.0,
                },
                "bar",
            )
            .tip("t<".into()),
        ],
    };
    let svg = chart.svg();
    check_svg(&svg);
    assert!(svg.contains(r#"viewBox="0 0 10 5.3""#), "{svg}");
    assert!(
        svg.contains(r#"<a href="a?b=1&amp;c=2" tabindex="-1"><text class="label" x="1" y="2""#),
        "{svg}"
    );
    assert!(svg.contains("1 &lt; 2 &amp; &quot;3&quot;"), "{svg}");
    assert!(svg.contains("<title>t&lt;</title></rect>"), "{svg}");
    assert_eq!(clip("Kim Jong Un visits", 9), "Kim Jong…");
    assert_eq!(clip("short", 9), "short");
}

#[test]
fn the_bundled_dossiers_charts_are_valid_and_as_expected() {
    let (config, d) = bundled();
    let c = Common::new(&config, &d, &BTreeMap::new(), "");
    let root = "../";
    let mut figures: Vec<(String, Figure)> = Vec::new();
    let events: Vec<(usize, usize)> = (0..d.events.len())
        .map(|i| (i, d.events[i].reports.len()))
        .collect();
    let loose: Vec<usize> = d.unassigned().collect();
    figures.extend(timeline(&c, "tl", &events, &loose, root).map(|f| ("timeline".to_string(), f)));
    figures.extend(coverage_matrix(&c, root).map(|f| ("coverage".to_string(), f)));
    for i in 0..d.events.len() {
        let id = &d.events[i].id;
        figures.extend(event_coverage(&c, i, "ec", root).map(|f| (format!("{id} coverage"), f)));
        if let Some(ag) = super::super::event::compared(&c, i) {
            figures
                .extend(agreement(&c, i, ag, "ag", root).map(|f| (format!("{id} agreement"), f)));
        }
    }
    let kinds: Vec<&str> = figures
        .iter()
        .map(|f| f.0.rsplit(' ').next().unwrap_or(""))
        .collect();
    for kind in ["timeline", "coverage", "agreement"] {
        assert!(kinds.contains(&kind), "a {kind} chart in {kinds:?}");
    }
    let mut out = String::new();
    for (name, f) in &figures {
        check_svg(&f.svg);
        assert!(!f.rows.is_empty(), "{name}: its data as a table");
        assert!(
            f.rows.iter().all(|r| r.len() == f.head.len()),
            "{name}: rows as wide as the head"
        );
        out.push_str(&format!("== {name}\n{}\n", f.svg.replace("><", ">\n<")));
        for r in &f.rows {
            let cells: Vec<String> = r
                .iter()
                .map(|c| match &c.url {
                    Some(u) => format!("[{}]({u})", c.text),
                    None => c.text.clone(),
                })
                .collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        if let Some(n) = &f.note {
            out.push_str(&format!("note: {n}\n"));
        }
    }
    let expected = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/charts/bundled.txt");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&expected, &out).expect("write snapshot");
    }
    let want = std::fs::read_to_string(&expected).unwrap_or_default();
    assert!(
        want == out,
        "{} differs (UPDATE_EXPECT=1 rewrites it)",
        expected.display()
    );
}

#[test]
fn the_agreement_picture_shows_a_relayed_copy_as_the_same_source() {
    // The bundled SVR visit: the unnamed outlet and Kontan both relay one Reuters story,
    // GalaPos relays AFP. Kontan's cells repeat the row's Reuters source; GalaPos's are a
    // second independent one.
    let (config, d) = bundled();
    let c = Common::new(&config, &d, &BTreeMap::new(), "");
    let i = (0..d.events.len())
        .find(|&i| d.events[i].id.starts_with("naryshkin"))
        .expect("the SVR event");
    let ag = super::super::event::compared(&c, i).expect("compared");
    let f = agreement(&c, i, ag, "ag", "../").expect("a picture");
    assert_eq!(
        f.head[1..],
        ["Media tidak diketahui", "GalaPos ID", "Kontan"]
    );
    let cells = |r: &Vec<Cell>| r[1..].iter().map(|c| c.text.clone()).collect::<Vec<_>>();
    let all_three = f
        .rows
        .iter()
        .find(|r| cells(r).iter().all(|t| !t.is_empty()));
    assert_eq!(
        all_three.map(cells).as_deref(),
        Some(&["✓", "✓", "✓ (sumber sama)"].map(String::from)[..])
    );
    assert!(f.svg.contains(r#"class="repeat""#) && f.svg.contains(r#"class="origin""#));
}
