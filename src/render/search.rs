//! The search index: every report becomes a Pagefind record, and Pagefind writes the index and
//! its browser code (`pagefind/` in the site), so readers search in their browser, offline,
//! with no server.
//!
//! Records are fed straight from the model (`add_custom_record`) rather than by re-parsing the
//! rendered pages: it is faster, and the metadata and filters are exact. Only reports are
//! indexed: an event page is the sum of its reports, which the event filter already reaches.
//!
//! A big dossier's index is built in shards of at most `Config::search_shard` reports (20,000 by default), each a Pagefind index
//! of its own, built in parallel (Pagefind indexes one record at a time under a lock, and looks
//! every new record up among the ones before it), and searched together in the browser by
//! Pagefind's own multi-index search (`mergeIndex`): shard 0 is `pagefind/`, with the browser
//! code; shard `k` is `pagefind/shard-k/`, only its index files. Reports go to shards in turn
//! (report `i` to shard `i % shards`), so every shard is a sample of the whole dossier and the
//! shards' relevance scores compare.

use std::collections::BTreeMap;

use rayon::prelude::*;

use pulldown_cmark::{Event as MdEvent, Parser, TagEnd};

use crate::analyze::Dossier;
use crate::diag::Diagnostic;
use crate::load::config::Config;

/// The names the filter by name offers: the most written. Every name stays findable by typing
/// it; thousands of checkboxes (8,100 on the 10,000-report dossier) make a filter no one can
/// scroll, and every query counts its results through every filter value.
const FILTER_NAMES: usize = 300;

/// The folder of the site that holds the index and Pagefind's scripts.
pub(crate) const DIR: &str = "pagefind";

/// How many shards the index of `reports` reports has, at most `shard` in each: never more than
/// needed, and the same on every machine (it does not depend on the number of cores).
fn shard_count(reports: usize, shard: usize) -> usize {
    reports.div_ceil(shard.max(1)).max(1)
}

/// The folders of the shards after the first, from the site root (`pagefind/shard-1/`, …): the
/// search page merges them into the first.
pub(crate) fn merged_shards(config: &Config, d: &Dossier) -> Vec<String> {
    (1..shard_count(d.reports.len(), config.search_shard))
        .map(shard_dir)
        .collect()
}

fn shard_dir(k: usize) -> String {
    if k == 0 {
        format!("{DIR}/")
    } else {
        format!("{DIR}/shard-{k}/")
    }
}

/// Builds the search index of every report and hands its files to `put` (paths from the site
/// root, under `pagefind/`), in the current thread pool. Returns how many files it made.
pub(crate) fn index(
    config: &Config,
    dossier: &Dossier,
    put: &(dyn Fn(&str, Vec<u8>) + Sync),
) -> Result<usize, Diagnostic> {
    let files = build(records(config, dossier))?;
    let count = files.len();
    files
        .into_par_iter()
        .for_each(|(path, bytes)| put(&path, bytes));
    Ok(count)
}

/// Builds the index from its records in a pool of `threads` threads: `serve` builds it with
/// one, in the background, and keeps the other cores for the pages of the next edit.
pub(crate) fn build_with(records: Records, threads: usize) -> Result<SearchFiles, Diagnostic> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("dossier-search-{i}"))
        .build()
        .map_err(|e| fail(&format!("cannot start its threads: {e}")))?;
    pool.install(|| build(records))
}

/// The files of the search index, by path from the site root.
pub(crate) type SearchFiles = Vec<(String, Vec<u8>)>;

/// What the index is made of, taken from the model: owned, so that `serve` can build the
/// index on another thread while the model moves on.
pub(crate) struct Records {
    language: String,
    shards: Vec<Vec<Record>>,
}

/// One report, as Pagefind's `add_custom_record` takes it.
struct Record {
    url: String,
    content: String,
    meta: BTreeMap<String, String>,
    filters: BTreeMap<String, Vec<String>>,
    sort: BTreeMap<String, String>,
}

fn fail(e: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::error(None, format!("cannot build the search index: {e}"))
        .with_help("build with --no-search to skip the search index")
}

/// Builds every shard, in parallel in the current thread pool, and returns all their files in
/// path order.
fn build(records: Records) -> Result<SearchFiles, Diagnostic> {
    let Records { language, shards } = records;
    let built: Vec<SearchFiles> = shards
        .into_par_iter()
        .enumerate()
        .map(|(k, list)| build_shard(k, list, &language))
        .collect::<Result<_, _>>()?;
    let mut out: SearchFiles = built.into_iter().flatten().collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// One shard: a Pagefind index of its own. The first keeps Pagefind's browser code; the others
/// only their index (entry, meta, word, filter and fragment files), which the first one's code
/// loads.
fn build_shard(k: usize, list: Vec<Record>, language: &str) -> Result<SearchFiles, Diagnostic> {
    // Pagefind's API is async; a runtime of our own, on this thread, drives it.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail(&e))?;
    let dir = shard_dir(k);
    runtime.block_on(async move {
        // One index for the whole site, in the site's language: the search page only loads
        // the index of its own language, and Indonesian and English reports must both be found.
        let options = pagefind::options::PagefindServiceConfig::builder()
            .force_language(language.to_string())
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options)).map_err(|e| fail(&e))?;
        for r in list {
            index
                .add_custom_record(
                    r.url,
                    r.content,
                    language.to_string(),
                    Some(r.meta),
                    Some(r.filters),
                    Some(r.sort),
                )
                .await
                .map_err(|e| fail(&e))?;
        }
        let files = index.get_files().await.map_err(|e| fail(&e))?;
        Ok(files
            .into_iter()
            .filter_map(|f| {
                let name = f.filename.to_string_lossy().replace('\\', "/");
                (k == 0 || is_index_file(&name)).then(|| (format!("{dir}{name}"), f.contents))
            })
            .collect())
    })
}

/// Whether a file of Pagefind's bundle is part of the index itself (what a merged index needs),
/// rather than its browser code.
fn is_index_file(name: &str) -> bool {
    name == "pagefind-entry.json"
        || name.ends_with(".pf_meta")
        || ["index/", "filter/", "fragment/"]
            .iter()
            .any(|d| name.starts_with(d))
}

/// One record per report. Meta and filter names are the site's own UI strings, since the
/// search UI shows them as they are ("Media: Kontan").
pub(crate) fn records(config: &Config, d: &Dossier) -> Records {
    let strings = config.ui_strings();
    let s = |k: &str| strings.get(k).copied().unwrap_or(k).to_string();
    let (outlet, date, event, entities, year) =
        (s("outlet"), s("date"), s("event"), s("entities"), s("year"));
    let language = config.language.code().to_string();
    let list = d
        .reports
        .par_iter()
        .enumerate()
        .map(|(i, r)| {
            let day = r.date.day();
            let mut meta = BTreeMap::new();
            meta.insert("title".to_string(), r.title.clone());
            meta.insert(
                outlet.clone(),
                r.outlet.clone().unwrap_or_else(|| s("outlet_unknown")),
            );
            let day_text = match day {
                Some(day) => config.language.date(day),
                None => s("date_unknown"),
            };
            meta.insert(date.clone(), day_text);
            let mut filters = BTreeMap::new();
            if let Some(o) = &r.outlet {
                filters.insert(outlet.clone(), vec![o.clone()]);
            }
            if let Some(e) = d.event_of(i) {
                filters.insert(event.clone(), vec![e.title.clone()]);
            }
            let names: Vec<String> = d
                .entities
                .of_report
                .get(i)
                .map(|list| {
                    // `list` is sorted by how many reports write a name, most first.
                    list.iter()
                        .filter(|&&n| n < FILTER_NAMES)
                        .filter_map(|&n| d.entities.list.get(n))
                        .map(|n| n.name.clone())
                        .collect()
                })
                .unwrap_or_default();
            if !names.is_empty() {
                filters.insert(entities.clone(), names);
            }
            let mut sort = BTreeMap::new();
            if let Some(day) = day {
                filters.insert(year.clone(), vec![day.format("%Y").to_string()]);
                sort.insert("date".to_string(), day.format("%Y-%m-%d").to_string());
            }
            Record {
                // From the site root: Pagefind puts it under the folder that holds `pagefind/`,
                // so results link right under any sub-path.
                url: format!("/{}", super::pages::report_url(&r.id)),
                content: format!("{}\n\n{}", r.title, plain_text(&r.body)),
                meta,
                filters,
                sort,
            }
        })
        .collect();
    Records {
        language,
        shards: deal(list, shard_count(d.reports.len(), config.search_shard)),
    }
}

/// Deals the records out to `n` shards in turn: record `i` to shard `i % n`.
fn deal<T>(list: Vec<T>, n: usize) -> Vec<Vec<T>> {
    let mut shards: Vec<Vec<T>> = (0..n)
        .map(|_| Vec::with_capacity(list.len() / n + 1))
        .collect();
    for (i, r) in list.into_iter().enumerate() {
        shards[i % n].push(r);
    }
    shards
}

/// The words of a markdown text, without its markup: what the excerpts show.
fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for ev in Parser::new(markdown) {
        match ev {
            MdEvent::Text(t) | MdEvent::Code(t) => out.push_str(&t),
            MdEvent::SoftBreak | MdEvent::HardBreak => out.push(' '),
            MdEvent::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                out.push_str("\n\n")
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_markup_and_keeps_words() {
        let text = plain_text("# Judul\n\nKata **tebal** dan [tautan](report:x).\n\n- satu\n- dua");
        assert_eq!(text, "Judul\n\nKata tebal dan tautan.\n\nsatu\n\ndua\n\n");
    }

    const SHARD: usize = crate::load::config::SEARCH_SHARD;

    #[test]
    fn shards_hold_at_most_shard_reports_and_their_number_does_not_depend_on_the_machine() {
        assert_eq!(shard_count(0, SHARD), 1);
        assert_eq!(shard_count(SHARD, SHARD), 1);
        assert_eq!(shard_count(SHARD + 1, SHARD), 2);
        assert_eq!(shard_count(3 * SHARD, SHARD), 3);
        assert_eq!(shard_count(3 * SHARD + 1, SHARD), 4);
        assert_eq!(shard_dir(2), "pagefind/shard-2/");
        assert_eq!(
            deal((0..7).collect(), 3),
            [vec![0, 3, 6], vec![1, 4], vec![2, 5]]
        );
    }

    /// Shard 0 is a whole Pagefind bundle (browser code and index); the others hold only their
    /// index, which shard 0's code merges, and each indexes its own records.
    #[test]
    fn the_first_shard_has_pagefinds_code_and_the_others_only_their_index() {
        let record = |i: usize| Record {
            url: format!("/reports/r{i}/"),
            content: format!("Laporan {i}. Kim Jong Un bertemu Putin di Vostochny."),
            meta: BTreeMap::from([("title".to_string(), format!("Laporan {i}"))]),
            filters: BTreeMap::from([("Media".to_string(), vec![format!("Media {}", i % 3)])]),
            sort: BTreeMap::new(),
        };
        let records = Records {
            language: "id".into(),
            shards: deal((0..9).map(record).collect(), 3),
        };
        let files = build_with(records, 1).expect("an index");
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"pagefind/pagefind-ui.js"));
        assert!(names.contains(&"pagefind/shard-2/pagefind-entry.json"));
        for k in ["pagefind/shard-1/", "pagefind/shard-2/"] {
            let of_shard: Vec<&str> = names.iter().copied().filter(|n| n.starts_with(k)).collect();
            assert!(
                of_shard.iter().all(|n| is_index_file(&n[k.len()..])),
                "{of_shard:?}"
            );
            let fragments = of_shard
                .iter()
                .filter(|n| n.ends_with(".pf_fragment"))
                .count();
            assert_eq!(fragments, 3, "{k}");
        }
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
    }
}
