//! Render: the dossier model becomes the site's files, through the theme's Tera templates.
//!
//! In: a [`Config`], an analysed [`Dossier`] and a [`Scope`] (the whole site, or the pages an
//! edit changes). Out: every file, handed to a [`Sink`] (the writer's staging folder for
//! `build`, memory for `check` and `serve`), and the problems found, as diagnostics.
//!
//! Every page is rendered independently, in parallel. `pages` lists the pages and their URLs;
//! each page kind has a file that builds its template's context (`lists`, `event`, `compare`, `report`,
//! `entity`, `feeds`, `briefing`) from what all pages share (`common`), with their pictures
//! from `charts`; `data` is
//! `dossier.json`, `search` the search index, `theme` the templates and assets. Links between
//! pages are relative (`../../events/x/`), so the site works at the root of a domain and under
//! any sub-path; only `404.html`, which a host serves at any address, uses absolute paths.

mod briefing;
mod charts;
mod common;
pub(crate) mod compare;
mod data;
pub(crate) mod entity;
pub(crate) mod event;
mod feeds;
pub(crate) mod links;
mod lists;
pub(crate) mod markdown;
pub(crate) mod pages;
pub(crate) mod report;
pub(crate) mod search;
mod sources;
pub(crate) mod theme;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use rayon::prelude::*;
use tera::Tera;

use crate::analyze::Dossier;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::config::Config;
use crate::progress::Progress;
pub(crate) use briefing::render_briefing;
use common::{Common, Texts};
use pages::root_of;
pub(crate) use pages::Page;
pub(crate) use theme::Theme;

/// Where rendered files go: anything that takes a file's path (from the site root) and bytes.
pub(crate) trait Sink: Sync {
    fn put(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()>;

    /// A file written as it is made, by `write`: `dossier.json` is the whole model, hundreds
    /// of megabytes at 100,000 reports, which a sink that writes to disk streams instead of
    /// holding. By default it is made in memory and [`put`](Sink::put).
    fn put_streamed(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        self.put(path, bytes)
    }
}

impl<F: Fn(&str, Vec<u8>) -> std::io::Result<()> + Sync> Sink for F {
    fn put(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        self(path, bytes)
    }
}

/// Counts of what one render produced, for the summary line.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    pub reports: usize,
    pub events: usize,
    pub outlets: usize,
    pub files: usize,
}

/// What to render: the whole site, or only the pages an edit changes.
#[derive(Debug, Clone)]
pub(crate) enum Scope {
    Everything,
    /// These pages only: what an edit changes, rendered first for the preview to show it.
    Pages(Vec<Page>),
    /// The whole site but its search index, which the preview builds in the background so
    /// that pages are served sooner.
    EverythingButIndex,
    /// `dossier.json` only: the preview renders it after the pages of an edit of metadata, as
    /// it is one long serial job over every report.
    DossierJson,
}

/// Renders the site, or the part of it in `scope`, into `sink`. Problems (template errors,
/// broken internal links in content) are added to `diags`.
pub(crate) fn render(
    config: &Config,
    dossier: &Dossier,
    scope: &Scope,
    sink: &dyn Sink,
    diags: &mut Diagnostics,
) -> Stats {
    match Theme::load(config, diags) {
        Some(theme) => render_with(config, &theme, dossier, scope, sink, diags),
        None => Stats::default(),
    }
}

/// The most pages one thread renders without letting another take its share (see
/// `render_pages`). Small enough to even out the pool's work; a page takes a fraction of a
/// millisecond, rayon's hand-over far less.
const PAGE_BATCH: usize = 16;

/// How many files that could not be written are named, of many.
const WRITE_ERRORS_SHOWN: usize = 5;

/// The problems of one render, collected from every thread.
#[derive(Default)]
struct Problems {
    /// Template errors, by template, once each.
    templates: Mutex<BTreeSet<(String, String)>>,
    /// Links in content that name nothing.
    content: Mutex<Vec<Diagnostic>>,
    /// Files that could not be written, and a search index that could not be built.
    writes: Mutex<Vec<Diagnostic>>,
}

impl Problems {
    /// Puts a file into the sink, or notes why it could not.
    fn put(&self, sink: &dyn Sink, path: &str, bytes: Vec<u8>) {
        self.noted(path, sink.put(path, bytes));
    }

    /// Notes why a file could not be written, if it could not.
    fn noted(&self, path: &str, written: std::io::Result<()>) {
        if let Err(e) = written {
            lock(&self.writes).push(
                Diagnostic::error(None, format!("cannot write {path}: {e}")).with_help(
                    "check that the output folder's disk has room and is writable; the previous output is unchanged",
                ),
            );
        }
    }

    fn into_diagnostics(self, template_paths: &BTreeMap<String, String>, diags: &mut Diagnostics) {
        for (template, msg) in into_inner(self.templates) {
            let shown = template_paths
                .get(&template)
                .cloned()
                .unwrap_or(template.clone());
            diags.push(
                Diagnostic::error(
                    std::path::PathBuf::from(shown),
                    format!("template error: {msg}"),
                )
                .with_help(
                    "fix the template, or delete it from templates/ to use the built-in one",
                ),
            );
        }
        diags.extend(into_inner(self.content));
        // A full disk fails every file after the first: the first few say it.
        let mut writes = into_inner(self.writes);
        writes.sort_by(|a, b| a.message.cmp(&b.message));
        if writes.len() > WRITE_ERRORS_SHOWN {
            let more = writes.len() - WRITE_ERRORS_SHOWN;
            writes.truncate(WRITE_ERRORS_SHOWN);
            writes.push(Diagnostic::error(
                None,
                format!("… and {more} more files could not be written"),
            ));
        }
        diags.extend(writes);
    }
}

/// [`render`] with a theme already loaded.
pub(crate) fn render_with(
    config: &Config,
    theme: &Theme,
    dossier: &Dossier,
    scope: &Scope,
    sink: &dyn Sink,
    diags: &mut Diagnostics,
) -> Stats {
    let common = Common::new(config, dossier, &theme.assets, &theme.highlight);
    let pages = match scope {
        Scope::Everything | Scope::EverythingButIndex => pages::all(config, dossier),
        Scope::Pages(pages) => pages.clone(),
        // The sources page reads what dossier.json reads: every event's agreement.
        Scope::DossierJson => vec![Page::Sources],
    };
    let everything = matches!(scope, Scope::Everything | Scope::EverythingButIndex);
    let data = everything || matches!(scope, Scope::DossierJson);
    let problems = Problems::default();

    // dossier.json is one long serial job, and the search index another: they run beside the
    // pages, in the same pool; the pages go out in small batches, so their parallel work
    // finds idle threads.
    let index_search = config.search && matches!(scope, Scope::Everything);
    // The pages, then one step for the search index.
    let total = pages.len() + usize::from(index_search);
    let progress = Progress::new("pages", total, config.progress);
    let (((), ()), search_files) = rayon::join(
        || {
            rayon::join(
                || render_pages(&common, &theme.tera, &pages, sink, &problems, &progress),
                || {
                    if data {
                        let mut write =
                            |w: &mut dyn std::io::Write| data::write_dossier_json(&common, w);
                        let written = sink.put_streamed("dossier.json", &mut write);
                        problems.noted("dossier.json", written);
                    }
                },
            )
        },
        || {
            index_search.then(|| {
                let index = search::index(config, dossier, &|path, bytes| {
                    problems.put(sink, path, bytes)
                });
                progress.inc(1);
                index
            })
        },
    );
    progress.finish();

    let mut files = pages.len();
    let mut put = |path: &str, bytes: Vec<u8>| {
        files += 1;
        problems.put(sink, path, bytes);
    };
    if everything {
        for (name, bytes) in &theme.assets {
            put(name, bytes.clone());
        }
        put("highlight.css", theme.highlight.clone().into_bytes());
        put(".nojekyll", Vec::new());
        if let Some(cname) = &config.cname {
            put("CNAME", format!("{cname}\n").into_bytes());
        }
    }
    files += usize::from(data);
    match search_files {
        Some(Ok(search_files)) => files += search_files,
        Some(Err(d)) => lock(&problems.writes).push(d),
        None => {}
    }
    problems.into_diagnostics(&theme.template_paths, diags);
    Stats {
        reports: dossier.reports.len(),
        events: dossier.events.len(),
        outlets: dossier.outlets.len(),
        files,
    }
}

/// Renders `pages` in parallel into `sink`.
fn render_pages(
    common: &Common<'_>,
    tera: &Tera,
    pages: &[Page],
    sink: &dyn Sink,
    problems: &Problems,
    progress: &Progress,
) {
    // Small batches: rayon splits a list only when a thread steals from it, and a batch it
    // already works through stays whole. Pages differ a lot in cost (an event page compares
    // its reports; a report page does not), so with rayon's own split (an eighth of 21,000
    // pages on 2 cores) one core rendered the last batch alone for 1.5 s while the other
    // sat idle.
    pages.par_iter().with_max_len(PAGE_BATCH).for_each(|&page| {
        let path = page.output_path(common.dossier);
        match render_page(common, tera, page, &path, &problems.content) {
            Ok(bytes) => problems.put(sink, &path, bytes),
            Err(e) => {
                lock(&problems.templates)
                    .insert((page.template().to_string(), theme::tera_message(&e)));
            }
        }
        progress.inc(1);
    });
}

/// One page: its context, from the file of its kind, through its template.
fn render_page(
    c: &Common<'_>,
    tera: &Tera,
    page: Page,
    path: &str,
    content_problems: &Mutex<Vec<Diagnostic>>,
) -> tera::Result<Vec<u8>> {
    let root = match page {
        Page::NotFound => c.config.base_path(),
        _ => root_of(path),
    };
    // The page type, from the template's name: `<body data-page>` lets styles and the browser
    // tests tell page types apart, and a new template gets its own type without more code.
    let mut ctx = c.context(path, &root, page.template().trim_end_matches(".html"));
    let texts = Texts {
        common: c,
        tera,
        root: &root,
        problems: content_problems,
    };
    match page {
        Page::Index => lists::front(c, &texts, &mut ctx)?,
        Page::Timeline => lists::timeline(c, &texts, &mut ctx)?,
        Page::Outlets => lists::outlets(c, &root, &mut ctx),
        Page::Outlet(i) => lists::outlet(c, i, &texts, &mut ctx)?,
        Page::Event(i) => event::context(c, i, &texts, &mut ctx)?,
        Page::Compare(i) => compare::context(c, i, &root, &mut ctx),
        Page::Report(i) => report::context(c, i, &texts, &mut ctx)?,
        Page::Entities => entity::list(c, &mut ctx),
        Page::Entity(i) => entity::context(c, i, &texts, &mut ctx)?,
        Page::Sitemap => feeds::sitemap(c, &mut ctx),
        Page::SitemapIndex => feeds::sitemap_index(c, &mut ctx),
        Page::SitemapPart(k) => feeds::sitemap_part(c, k, &mut ctx),
        Page::Atom => feeds::atom(c, &mut ctx),
        Page::Briefing => briefing::site_page(c, tera, &root, &mut ctx),
        Page::Sources => sources::context(c, &mut ctx),
        Page::Search => {
            ctx.insert("page_title", &c.strings.get("search"));
            ctx.insert("search_shards", &search::merged_shards(c.config, c.dossier));
        }
        Page::NotFound | Page::Robots => {}
    }
    tera.render(page.template(), &ctx).map(String::into_bytes)
}

/// A mutex's guard, poisoned or not: what a panicked thread left is still the best data there is.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn into_inner<T>(m: Mutex<T>) -> T {
    m.into_inner().unwrap_or_else(|p| p.into_inner())
}

/// A sink that keeps every file in memory: for `check`, `serve` and tests.
#[derive(Default)]
pub struct MemorySink {
    files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl MemorySink {
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        into_inner(self.files)
    }
}

impl Sink for MemorySink {
    fn put(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        lock(&self.files).insert(path.to_string(), bytes);
        Ok(())
    }
}
