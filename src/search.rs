//! The search index: every report becomes a Pagefind record, and Pagefind writes the index and
//! its browser code (`pagefind/` in the site), so readers search in their browser, offline,
//! with no server.
//!
//! Records are fed straight from the model (`add_custom_record`) rather than by re-parsing the
//! rendered pages: it is faster, and the metadata and filters are exact. Only reports are
//! indexed: an event page is the sum of its reports, which the event filter already reaches.

use std::collections::BTreeMap;

use rayon::prelude::*;

use pagefind::api::CustomRecord;
use pulldown_cmark::{Event as MdEvent, Parser, TagEnd};

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::model::Dossier;

/// The names the filter by name offers: the most written. Every name stays findable by typing
/// it; thousands of checkboxes (8,100 on the 10,000-report dossier) make a filter no one can
/// scroll, and every query counts its results through every filter value.
const FILTER_NAMES: usize = 300;

/// The folder of the site that holds the index and Pagefind's scripts.
pub(crate) const DIR: &str = "pagefind";

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
    in_pool(threads, || build(records))
}

fn in_pool<T: Send>(
    threads: usize,
    work: impl FnOnce() -> Result<T, Diagnostic> + Send,
) -> Result<T, Diagnostic> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("dossier-search-{i}"))
        .build()
        .map_err(|e| {
            Diagnostic::error(
                None,
                format!("cannot start the search index's threads: {e}"),
            )
            .with_help("build with --no-search to skip the search index")
        })?;
    pool.install(work)
}

/// The files of the search index, by path from the site root.
pub(crate) type SearchFiles = Vec<(String, Vec<u8>)>;

/// What the index is made of, taken from the model: owned, so that `serve` can build the
/// index on another thread while the model moves on.
pub(crate) struct Records {
    language: String,
    list: Vec<CustomRecord>,
}

/// Builds the index from its records (the slow part: Pagefind's indexing), in the current
/// thread pool.
fn build(records: Records) -> Result<SearchFiles, Diagnostic> {
    let fail = |e: &dyn std::fmt::Display| {
        Diagnostic::error(None, format!("cannot build the search index: {e}"))
            .with_help("build with --no-search to skip the search index")
    };
    // Pagefind's API is async; a runtime of our own, on this thread, drives it. The calls used
    // here do their work on the calling thread, in the current rayon pool.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail(&e))?;
    let Records { language, list } = records;
    runtime.block_on(async move {
        // One index for the whole site, in the site's language: the search page only loads
        // the index of its own language, and Indonesian and English reports must both be found.
        let options = pagefind::options::PagefindServiceConfig::builder()
            .force_language(language)
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options)).map_err(|e| fail(&e))?;
        index.add_custom_records(list).await.map_err(|e| fail(&e))?;
        let files = index.take_files().await.map_err(|e| fail(&e))?;
        let mut out: SearchFiles = files
            .into_iter()
            .map(|f| {
                let name = f.filename.to_string_lossy().replace('\\', "/");
                (format!("{DIR}/{name}"), f.contents)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    })
}

/// One record per report. Meta and filter names are the site's own UI strings, since the
/// search UI shows them as they are ("Media: Kontan").
pub(crate) fn records(config: &Config, d: &Dossier) -> Records {
    let mut strings = config.language.strings();
    for (k, v) in &config.strings {
        if let Some(slot) = strings.get_mut(k.as_str()) {
            *slot = v.as_str();
        }
    }
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
            meta.insert(date.clone(), config.language.date(day));
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
            filters.insert(year.clone(), vec![day.format("%Y").to_string()]);
            let mut sort = BTreeMap::new();
            sort.insert("date".to_string(), day.format("%Y-%m-%d").to_string());
            CustomRecord {
                // From the site root: Pagefind puts it under the folder that holds `pagefind/`,
                // so results link right under any sub-path.
                url: format!("/{}", crate::render::report_url(&r.id)),
                content: format!("{}\n\n{}", r.title, plain_text(&r.body)),
                language: language.clone(),
                meta,
                filters,
                sort,
            }
        })
        .collect();
    Records { language, list }
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

    /// Pins the patch in `vendor/pagefind`: a batch of records, indexed in parallel and moved
    /// into the index, gives the files that Pagefind's own one-record-at-a-time API gives,
    /// a later record of the same URL replacing the earlier one in both.
    #[test]
    fn a_batch_of_records_indexes_as_records_added_one_by_one() {
        let record = |i: usize, text: &str| CustomRecord {
            url: format!("/reports/r{}/", i % 40),
            content: format!("Laporan {i}. {text}"),
            language: "id".to_string(),
            meta: BTreeMap::from([("title".to_string(), format!("Laporan {i}"))]),
            filters: BTreeMap::from([("Media".to_string(), vec![format!("Media {}", i % 3)])]),
            sort: BTreeMap::from([("date".to_string(), format!("2024-06-{:02}", 1 + i % 28))]),
        };
        let texts = [
            "Kim Jong Un bertemu Putin di Vostochny, kata pejabat KCNA.",
            "Menlu Choe Son Hui tiba di Moskwa; Lavrov menyambutnya.",
            "Sanksi PBB (DK-PBB) dan perdagangan bilateral naik 20%.",
            "SVR chief Sergei Naryshkin visited Pyongyang on Tuesday.",
        ];
        let list: Vec<CustomRecord> = (0..60).map(|i| record(i, texts[i % 4])).collect();
        let files = |batch: bool| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("a runtime");
            runtime.block_on(async {
                let options = pagefind::options::PagefindServiceConfig::builder()
                    .force_language("id".to_string())
                    .build();
                let mut index = pagefind::api::PagefindIndex::new(Some(options)).expect("index");
                let mut files = if batch {
                    let added = index.add_custom_records(list.clone()).await.expect("added");
                    assert_eq!(added, 60);
                    index.take_files().await.expect("files")
                } else {
                    for r in list.clone() {
                        let (meta, filters, sort) = (Some(r.meta), Some(r.filters), Some(r.sort));
                        index
                            .add_custom_record(r.url, r.content, r.language, meta, filters, sort)
                            .await
                            .expect("added");
                    }
                    index.get_files().await.expect("files")
                };
                files.sort_by(|a, b| a.filename.cmp(&b.filename));
                files
                    .into_iter()
                    .map(|f| (f.filename, f.contents))
                    .collect::<Vec<_>>()
            })
        };
        let (batch, one_by_one) = (files(true), files(false));
        assert!(batch
            .iter()
            .any(|(name, _)| name.ends_with("pagefind-entry.json")));
        let fragments = |f: &[(std::path::PathBuf, Vec<u8>)]| {
            f.iter()
                .filter(|(name, _)| name.to_string_lossy().ends_with(".pf_fragment"))
                .count()
        };
        // 60 records, 40 URLs: later records replaced earlier ones.
        assert_eq!(fragments(&batch), 40);
        assert_eq!(batch, one_by_one);
    }
}
