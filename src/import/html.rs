//! Saved HTML pages ("Save Page As", clippers, `wget`, scrapers' output) as articles.
//!
//! A page goes through four steps:
//! 1. **decode**: the BOM, else `<meta charset>`, else UTF-8, else Windows-1252 (`encoding_rs`);
//! 2. **trim** (lol_html, streaming): scripts (but JSON-LD), styles, SVG and inline `data:`
//!    images go, and elements nested deeper than a browser would nest them become siblings, so
//!    a page of 100,000 nested `<div>`s parses in linear time;
//! 3. **read** (html5ever through dom_query): the metadata the page states (`html_meta.rs`)
//!    and the article, found by dom_smoothie (Mozilla Readability's algorithm);
//! 4. **clean**: the article's blocks become markdown paragraphs (subheads, lists, quotes,
//!    tables), then the text import's chrome rules and outlet profiles drop what is still page
//!    furniture; bylines, dates and captions inside the article become fields.
//!
//! Every decision is recorded for `import --explain`, numbered by the article's blocks.

use std::cell::Cell;
use std::rc::Rc;

use dom_query::{Document, NodeRef};

use super::dates::Years;
use super::extract::{self, Article, Hints, Patterns, Step, Verdict};
use super::html_meta::{self, clean_text, PageMeta};
use super::rules::{Action, Outlet, Rules};

/// A browser builds no deeper tree than this (Chromium's parser limit); deeper elements are
/// made siblings. html5ever's tree builder is quadratic in the depth, the rest is recursive.
const MAX_DEPTH: usize = 512;

/// Fewer words than this is not an article.
const MIN_WORDS: usize = 25;

/// Whether a raw file is a saved page rather than page text: its extension, or markup at its
/// start (a scraper's output may have any name).
pub(crate) fn is_html(name: &std::path::Path, bytes: &[u8]) -> bool {
    let ext = name
        .extension()
        .map(|x| x.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if matches!(ext.as_str(), "html" | "htm" | "xhtml" | "shtml") {
        return true;
    }
    let head = &bytes[..bytes.len().min(1024)];
    let head = String::from_utf8_lossy(head).to_lowercase();
    let start = head.trim_start_matches(['\u{feff}', ' ', '\n', '\r', '\t']);
    start.starts_with('<')
        && ["<!doctype html", "<html", "<head", "<body", "<meta "]
            .iter()
            .any(|t| head.contains(t))
}

/// The page's text and, when it was not UTF-8 or said so, a warning. `Err` for what is not a
/// page at all.
pub(crate) fn decode(bytes: &[u8]) -> Result<(String, Option<String>), String> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        let warning = had_errors.then(|| format!("has bytes that are not {}", enc.name()));
        return Ok((text.into_owned(), warning));
    }
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        return Err("is a binary file, not a saved page".into());
    }
    let declared = declared_encoding(sample);
    match declared {
        // A page that declares UTF-16 without a BOM is read as UTF-8, as browsers do.
        Some(enc) if enc != encoding_rs::UTF_8 && enc.is_ascii_compatible() => {
            let (text, had_errors) = enc.decode_without_bom_handling(bytes);
            let warning = had_errors.then(|| format!("has bytes that are not {}", enc.name()));
            Ok((text.into_owned(), warning))
        }
        _ => match std::str::from_utf8(bytes) {
            Ok(s) => Ok((s.to_string(), None)),
            Err(_) if declared == Some(encoding_rs::UTF_8) => {
                let (text, _) = encoding_rs::UTF_8.decode_without_bom_handling(bytes);
                Ok((
                    text.into_owned(),
                    Some(
                        "declares UTF-8 but has bytes that are not: read with replacements".into(),
                    ),
                ))
            }
            Err(_) => {
                let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
                Ok((
                    text.into_owned(),
                    Some("declares no encoding and is not UTF-8: read as Windows-1252".into()),
                ))
            }
        },
    }
}

/// The encoding a `<meta charset=…>` or `<meta http-equiv=Content-Type content="…charset=…">`
/// in the page's first bytes names.
fn declared_encoding(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = String::from_utf8_lossy(head).to_lowercase();
    let mut rest = head.as_str();
    while let Some(at) = rest.find("<meta") {
        rest = &rest[at + 5..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(c) = tag.find("charset") {
            let value = tag[c + 7..]
                .trim_start_matches([' ', '='])
                .trim_start_matches(['"', '\'', ' ']);
            let end = value
                .find(|c: char| !(c.is_ascii_alphanumeric() || "-_:.".contains(c)))
                .unwrap_or(value.len());
            if let Some(enc) = encoding_rs::Encoding::for_label(&value.as_bytes()[..end]) {
                return Some(enc);
            }
        }
    }
    None
}

/// Step 2: what no article needs, out of the markup before the tree is built.
fn trim(html: &str) -> String {
    use lol_html::{element, HtmlRewriter, Settings};
    let depth = Rc::new(Cell::new(0usize));
    let mut out = Vec::with_capacity(html.len() / 2);
    let handlers = vec![
        element!("script", |el| {
            let ld = el
                .get_attribute("type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
            if !ld {
                el.remove();
            }
            Ok(())
        }),
        element!(
            "style, svg, canvas, template, iframe, object, embed, noscript",
            |el| {
                el.remove();
                Ok(())
            }
        ),
        element!("img[src^='data:'], source[srcset^='data:']", |el| {
            el.remove_attribute("src");
            el.remove_attribute("srcset");
            Ok(())
        }),
        element!("*", {
            let depth = Rc::clone(&depth);
            move |el| {
                if !el.can_have_content() || el.is_self_closing() {
                    return Ok(());
                }
                let d = depth.get() + 1;
                depth.set(d);
                if d > MAX_DEPTH {
                    el.remove_and_keep_content();
                }
                let at_end = Rc::clone(&depth);
                let close: lol_html::EndTagHandler<'static> = Box::new(move |_| {
                    at_end.set(at_end.get().saturating_sub(1));
                    Ok(())
                });
                if el.on_end_tag(close).is_err() {
                    depth.set(d - 1);
                }
                Ok(())
            }
        }),
    ];
    let settings = handlers
        .into_iter()
        .fold(Settings::new(), Settings::append_element_content_handler);
    let mut rewriter = HtmlRewriter::new(settings, |c: &[u8]| out.extend_from_slice(c));
    let ok = rewriter.write(html.as_bytes()).is_ok() && rewriter.end().is_ok();
    match (ok, String::from_utf8(out)) {
        (true, Ok(s)) => s,
        // The rewriter refuses a few ambiguous documents; the parser reads them as they are.
        _ => html.to_string(),
    }
}

/// What a block of the article is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Paragraph,
    Heading,
    List,
    Quote,
    Table,
    Caption,
}

/// One block of the article: its markdown and its plain text.
#[derive(Debug)]
struct Block {
    kind: Kind,
    md: String,
    text: String,
}

/// Cleans one saved page. `Err` says why there is no article in it, and what there is.
pub(crate) fn extract(
    html: &str,
    rules: &Rules,
    pats: &Patterns,
    hints: &Hints<'_>,
) -> Result<Article, String> {
    let doc = Document::from(trim(html));
    let meta = html_meta::read(&doc, &pats.dates);
    let url = hints
        .url
        .map(str::to_string)
        .or_else(|| meta.url.as_ref().map(|u| u.value.clone()));
    let profile: Option<&Outlet> = hints
        .outlet
        .and_then(|o| rules.outlet_named(o))
        .or_else(|| url.as_deref().and_then(|u| rules.outlet_for_url(u)))
        .or_else(|| {
            let body = doc.select("body").text();
            rules.outlet_in_text(&body)
        });
    let found_instead = what_is_there(&doc, &meta);
    let page_words = words_in(&doc.select("body").text());
    // The lead photo often sits above the part of the page the article is found in.
    let lead_caption = doc
        .select("article figcaption, figure figcaption")
        .first()
        .text()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let page_date = if meta.date.is_none() {
        page_text_date(&doc, pats, hints)
    } else {
        None
    };

    let blocks = article_blocks(doc, url.as_deref())?;
    let words: usize = blocks
        .iter()
        .filter(|b| b.kind != Kind::Caption)
        .map(|b| words_in(&b.text))
        .sum();
    if words < MIN_WORDS {
        return Err(format!("no article text: {found_instead}"));
    }

    let mut a = Article {
        url: url.clone(),
        markdown: true,
        ..Article::default()
    };
    apply_meta(&mut a, &meta, profile, hints);

    a.trail.push(Step {
        line: 0,
        verdict: Verdict::Drop,
        rule: "outside the article".into(),
        text: format!(
            "{} of the page's {page_words} words: menus, headers, footers, lists of other stories",
            page_words.saturating_sub(words)
        ),
    });

    let kept = read_blocks(&mut a, &blocks, rules, profile, pats, hints);
    if a.image_caption.is_none() && !lead_caption.is_empty() {
        a.trail.push(Step {
            line: 0,
            verdict: Verdict::Field("image_caption"),
            rule: "the page's first <figcaption>".into(),
            text: lead_caption.clone(),
        });
        a.image_caption = Some(lead_caption);
    }
    let kept = check_with_stated_body(&mut a, kept, meta.body.as_deref());
    // A saved page's own name and dateline come from its metadata, not its paragraphs.
    extract::clean_paragraphs(&mut a, pats, kept, &|_| None, &mut None);
    if a.paragraphs.is_empty() {
        return Err(format!(
            "no article text after removing chrome: {found_instead}"
        ));
    }
    finish(&mut a, page_date, profile, pats, hints);
    Ok(a)
}

/// The article Readability finds in the page, as blocks.
fn article_blocks(doc: Document, url: Option<&str>) -> Result<Vec<Block>, String> {
    let mut reader =
        dom_smoothie::Readability::with_document(doc, url.filter(|u| u.starts_with("http")), None)
            .map_err(|e| e.to_string())?;
    // A third-party algorithm over arbitrary markup: should it ever panic, the page fails
    // alone, by name, and the run goes on.
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| reader.parse()))
        .map_err(|_| {
            "the page's markup broke the article extractor (a bug: tell us)".to_string()
        })?;
    let content = match parsed {
        Ok(a) => a.content.to_string(),
        Err(_) => String::new(),
    };
    Ok(blocks_of(&content))
}

/// The blocks through the chrome rules, as the text import's lines are: the kept ones (block
/// number, markdown), each decision in the trail.
fn read_blocks(
    a: &mut Article,
    blocks: &[Block],
    rules: &Rules,
    profile: Option<&Outlet>,
    pats: &Patterns,
    hints: &Hints<'_>,
) -> Vec<(usize, String)> {
    let mut kept: Vec<(usize, String)> = Vec::new();
    let mut stopped: Option<String> = None;
    let title_key = extract::tokens_key(&a.title);
    for (i, b) in blocks.iter().enumerate() {
        let n = i + 1;
        let step = |verdict: Verdict, rule: &str| Step {
            line: n,
            verdict,
            rule: rule.to_string(),
            text: b.text.clone(),
        };
        if let Some(rule) = &stopped {
            a.trail
                .push(step(Verdict::Drop, &format!("{rule} (page footer)")));
            continue;
        }
        if b.kind == Kind::Caption {
            if a.image_caption.is_none() && kept.is_empty() {
                a.image_caption = Some(b.text.clone());
                a.trail
                    .push(step(Verdict::Field("image_caption"), "<figcaption>"));
            } else {
                a.trail.push(step(Verdict::Drop, "photo-caption"));
            }
            continue;
        }
        // The rules are written for lines of chrome; a long block is prose that happens to
        // start like one ("© Provided by …" glued to the lead by the page).
        let long = b.text.split_whitespace().count() > 30;
        let matched = profile
            .and_then(|p| p.rules.first_match(&b.text))
            .or_else(|| rules.general.first_match(&b.text))
            .filter(|_| !long);
        if let Some((name, action, _)) = matched {
            a.trail.push(step(Verdict::Drop, name));
            if action == Action::Stop && !kept.is_empty() {
                stopped = Some(name.to_string());
            }
            continue;
        }
        // The article's own header, when the extractor kept it: title, byline, date.
        if kept.len() < 3
            && b.kind != Kind::List
            && b.text.len() <= 160
            && header_block(a, b, n, &title_key, pats, hints)
        {
            continue;
        }
        a.trail.push(step(Verdict::Keep, "article text"));
        kept.push((n, b.md.clone()));
    }
    kept
}

/// A block of the article's own header, when the extractor kept it: the title again, a
/// byline, a date. Returns whether the block was one.
fn header_block(
    a: &mut Article,
    b: &Block,
    n: usize,
    title_key: &str,
    pats: &Patterns,
    hints: &Hints<'_>,
) -> bool {
    let step = |verdict: Verdict, rule: &str| Step {
        line: n,
        verdict,
        rule: rule.to_string(),
        text: b.text.clone(),
    };
    if extract::tokens_key(&b.text) == title_key {
        a.trail.push(step(Verdict::Drop, "repeated-title"));
        return true;
    }
    if let Some(names) = pats.byline_names(&b.text) {
        if a.authors.is_empty() {
            a.authors = names;
            a.trail.push(step(Verdict::Field("authors"), "byline"));
        } else {
            a.trail.push(step(Verdict::Drop, "byline"));
        }
        return true;
    }
    let min_year = chrono::Datelike::year(&hints.today);
    if let Some(stamp) = pats
        .dates
        .date_line(&b.text, Years::from(min_year), hints.today, None)
    {
        if a.date.is_none() {
            a.date = Some(stamp);
            a.trail.push(step(Verdict::Field("date"), "date-line"));
        } else {
            a.trail.push(step(Verdict::Drop, "date-line"));
        }
        return true;
    }
    false
}

/// Words, or for scripts written without spaces (Chinese, Japanese, Thai) a word's worth for
/// every six letters, as in English.
fn words_in(text: &str) -> usize {
    let spaced = text.split_whitespace().count();
    let letters = text.chars().filter(|c| c.is_alphanumeric()).count();
    spaced.max(letters / 6)
}

/// The article's text as the page's JSON-LD states it (`articleBody`), against the blocks the
/// extractor kept. When the two agree (most of the kept words are in it), a short kept block
/// that it does not hold is furniture inside the article ("Click here to subscribe"); when the
/// kept blocks are only a part of it, the extractor took too little, and the stated text is
/// the article.
fn check_with_stated_body(
    a: &mut Article,
    kept: Vec<(usize, String)>,
    stated: Option<&str>,
) -> Vec<(usize, String)> {
    let Some(stated) = stated else { return kept };
    let bag = |s: &str| -> std::collections::HashSet<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let stated_words = bag(stated);
    let stated_count = stated.split_whitespace().count();
    let inside = |text: &str| -> (usize, usize) {
        let words = bag(text);
        let hits = words.iter().filter(|w| stated_words.contains(*w)).count();
        (hits, words.len())
    };
    let (hits, total) = kept
        .iter()
        .map(|(_, md)| inside(&unescape(md)))
        .fold((0, 0), |(h, t), (a, b)| (h + a, t + b));
    if total == 0 || (hits as f64) < 0.8 * total as f64 {
        // The stated text is something else (a summary, another story): not a guide.
        return kept;
    }
    let kept_count: usize = kept
        .iter()
        .map(|(_, md)| md.split_whitespace().count())
        .sum();
    if stated_count as f64 >= 1.5 * kept_count as f64 && stated_count >= 100 {
        let paragraphs: Vec<(usize, String)> = stated
            .split('\n')
            .map(clean_text)
            .filter(|p| p.chars().any(char::is_alphanumeric))
            .map(|p| (0, escape_start(&escape_inline(&p))))
            .collect();
        for s in a.trail.iter_mut().filter(|s| s.verdict == Verdict::Keep) {
            s.verdict = Verdict::Drop;
            s.rule = "JSON-LD articleBody instead".into();
        }
        a.trail.push(Step {
            line: 0,
            verdict: Verdict::Keep,
            rule: "JSON-LD articleBody".into(),
            text: format!(
                "{stated_count} words, where the article found in the page had {kept_count}"
            ),
        });
        return paragraphs;
    }
    kept.into_iter()
        .filter(|(line, md)| {
            let text = unescape(md);
            let (h, t) = inside(&text);
            let furniture = t > 0 && t <= 40 && (h as f64) < 0.3 * t as f64;
            if furniture {
                if let Some(step) = a
                    .trail
                    .iter_mut()
                    .find(|s| s.line == *line && s.verdict == Verdict::Keep)
                {
                    step.verdict = Verdict::Drop;
                    step.rule = "not in the JSON-LD articleBody".into();
                }
            }
            !furniture
        })
        .collect()
}

/// Title, date, authors, outlet and language from what the page states.
fn apply_meta(a: &mut Article, meta: &PageMeta, profile: Option<&Outlet>, hints: &Hints<'_>) {
    let mut field = |name: &'static str, source: &str, text: &str| {
        a.trail.push(Step {
            line: 0,
            verdict: Verdict::Field(name),
            rule: source.to_string(),
            text: text.to_string(),
        });
    };
    if let Some(t) = &meta.title {
        field("title", &t.source, &t.value);
    }
    if let Some(d) = &meta.date {
        field("date", &d.source, &d.value.to_front_matter());
    }
    if let Some(n) = &meta.authors {
        field("authors", &n.source, &n.value.join(", "));
    }
    let outlet = hints
        .outlet
        .map(|o| (o.to_string(), "--outlet".to_string()))
        .or_else(|| profile.map(|p| (p.name.clone(), "outlet profile".to_string())))
        .or_else(|| {
            meta.site
                .as_ref()
                .map(|s| (site_name(&s.value), s.source.clone()))
        })
        .or_else(|| {
            let host = a.url.as_deref().and_then(host_of)?;
            Some((host, "the page's address".to_string()))
        });
    // A title's suffix names the site when nothing else does.
    let (title, suffix) = meta
        .title
        .as_ref()
        .map(|t| strip_site_suffix(&t.value, outlet.as_ref().map(|o| o.0.as_str())))
        .unwrap_or_default();
    let outlet = outlet.or_else(|| suffix.map(|s| (s, "the title's suffix".to_string())));
    if let Some((o, source)) = &outlet {
        field("outlet", source, o);
    }
    if let Some(u) = &meta.url {
        if hints.url.is_none() {
            field("url", &u.source, &u.value);
        }
    }
    if let Some(l) = &meta.lang {
        field("language", &l.source, &l.value);
    }
    a.title = title;
    a.date = meta.date.as_ref().map(|d| d.value);
    a.authors = meta
        .authors
        .as_ref()
        .map(|n| n.value.clone())
        .unwrap_or_default();
    a.outlet = outlet.map(|o| o.0);
    a.language = meta.lang.as_ref().map(|l| l.value.clone());
}

/// What needs the article's text: wires among the authors, the language when the page does
/// not state it, a date from the address or the text when the markup states none, a title
/// from the lead when there is none.
fn finish(
    a: &mut Article,
    page_date: Option<(super::dates::Stamp, String)>,
    profile: Option<&Outlet>,
    pats: &Patterns,
    hints: &Hints<'_>,
) {
    let mut people = Vec::new();
    for n in std::mem::take(&mut a.authors) {
        match extract::wire_name(&n) {
            Some(w)
                if a.outlet
                    .as_deref()
                    .is_none_or(|o| !o.eq_ignore_ascii_case(w)) =>
            {
                if !a.wire.iter().any(|x| x == w) {
                    a.wire.push(w.to_string());
                }
            }
            Some(_) => {}
            None => people.push(n),
        }
    }
    a.authors = people;
    if a.language.is_none() {
        let body = a.paragraphs.join("\n");
        a.language = profile
            .and_then(|p| p.language.clone())
            .or_else(|| pats.language_of(&body));
    }
    if a.date.is_none() {
        a.date = a
            .url
            .as_deref()
            .and_then(super::address::date_in_url)
            .map(|date| super::dates::Stamp { date, time: None });
        if a.date.is_some() {
            a.trail.push(Step {
                line: 0,
                verdict: Verdict::Field("date"),
                rule: "the page's address".into(),
                text: a.url.clone().unwrap_or_default(),
            });
        }
    }
    if let (None, Some((stamp, text))) = (a.date, page_date) {
        a.date = Some(stamp);
        a.trail.push(Step {
            line: 0,
            verdict: Verdict::Field("date"),
            rule: "the page's text".into(),
            text,
        });
    }
    if a.date.is_none() {
        // As the text import does: the first paragraph that names a date, its latest one.
        let today = hints.today;
        let found = a.paragraphs.iter().enumerate().find_map(|(i, p)| {
            let d = pats
                .dates
                .find(p, Years::from(chrono::Datelike::year(&today)), today)
                .into_iter()
                .filter(|f| f.year_written && f.date <= today)
                .map(|f| f.date)
                .max()?;
            Some((i, d))
        });
        if let Some((i, date)) = found {
            a.date = Some(super::dates::Stamp { date, time: None });
            a.trail.push(Step {
                line: 0,
                verdict: Verdict::Field("date"),
                rule: format!("a date in the article's paragraph {}", i + 1),
                text: date.to_string(),
            });
        }
    }
    if a.title.is_empty() {
        if let Some(first) = a.paragraphs.first() {
            a.title = super::titles::title_from_lead(first);
            a.title_generated = true;
        }
    }
}

/// The outlet as its site names itself: an address becomes its host ("http://www.tmz.com" →
/// "tmz.com").
fn site_name(s: &str) -> String {
    if s.contains("://") {
        host_of(s).unwrap_or_else(|| s.to_string())
    } else {
        s.to_string()
    }
}

/// "https://www.example.co.id/x" → "example.co.id".
pub(crate) fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#', ':']).next()?.to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty()).then_some(host)
}

/// "Headline | The Site" → ("Headline", Some("The Site")), when the part cut is the outlet's
/// name, or (the outlet unknown) a short capitalised name after a long headline; a title's own
/// dashes and bars stay.
fn strip_site_suffix(title: &str, outlet: Option<&str>) -> (String, Option<String>) {
    let norm = |s: &str| extract::tokens_key(s).replace(' ', "");
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · "] {
        if let Some(at) = title.rfind(sep) {
            let (head, tail) = (title[..at].trim(), title[at + sep.len()..].trim());
            let tail_key = norm(tail);
            if head.is_empty() || tail_key.is_empty() {
                continue;
            }
            let named = match outlet {
                Some(o) => {
                    // An outlet known by its address names itself without the domain:
                    // "DER SONNTAG (Sachsen)" on sonntag-sachsen.de.
                    let site = o.strip_prefix("www.").unwrap_or(o);
                    let site = match site.rsplit_once('.') {
                        Some((name, _)) if !name.contains(' ') => name,
                        _ => site,
                    };
                    [norm(o), norm(site)].iter().any(|o| {
                        o.len() >= 3 && (o.contains(&tail_key) || tail_key.contains(o.as_str()))
                    })
                }
                None => {
                    head.split_whitespace().count() >= 4
                        && tail.split_whitespace().count() <= 3
                        && tail.chars().next().is_some_and(char::is_uppercase)
                }
            };
            if named {
                return (head.to_string(), Some(tail.to_string()));
            }
        }
    }
    (title.to_string(), None)
}

/// The first date, with its year, that the page shows in its text ("기사입력 :[ 2018-08-25
/// 15:24 ]" above the article): the publication date of a page whose markup states none.
fn page_text_date(
    doc: &Document,
    pats: &Patterns,
    hints: &Hints<'_>,
) -> Option<(super::dates::Stamp, String)> {
    let text = doc.select("body").text();
    let today = hints.today;
    let mut end = text.len().min(20_000);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let f = pats
        .dates
        .find(
            &text[..end],
            Years::from(chrono::Datelike::year(&today)),
            today,
        )
        .into_iter()
        .find(|f| f.year_written && f.date <= today)?;
    let shown = text[f.span.0..f.span.1].to_string();
    Some((
        super::dates::Stamp {
            date: f.date,
            time: None,
        },
        shown,
    ))
}

/// A one-line account of a page without an article: its title and what fills it.
fn what_is_there(doc: &Document, meta: &PageMeta) -> String {
    let links = doc.select("a[href]").length();
    let paragraphs: Vec<String> = doc
        .select("p")
        .iter()
        .map(|p| clean_text(&p.text()))
        .filter(|t| !t.is_empty())
        .collect();
    let longest = paragraphs
        .iter()
        .max_by_key(|t| t.len())
        .map(|t| t.chars().take(60).collect::<String>());
    let mut s = match &meta.title {
        Some(t) => format!("the page is titled {:?} and holds", t.value),
        None => "the page holds".to_string(),
    };
    s.push_str(&format!(
        " {links} links and {} paragraphs",
        paragraphs.len()
    ));
    if let Some(l) = longest {
        s.push_str(&format!(", the longest {l:?}"));
    }
    s
}

/// The article's HTML (dom_smoothie's output) as blocks, in order.
fn blocks_of(content: &str) -> Vec<Block> {
    let doc = Document::fragment(content);
    let mut out = Vec::new();
    // Loose inline content between blocks.
    let mut run = Inline::default();
    // Depth-first, with an explicit stack: `None` marks the end of a container.
    let mut stack: Vec<Option<NodeRef<'_>>> = vec![Some(doc.root())];
    while let Some(item) = stack.pop() {
        let Some(node) = item else {
            run.flush(&mut out);
            continue;
        };
        if node.is_text() {
            run.text(&escape_inline(&node.text()));
            continue;
        }
        if !node.is_element() && !node.is_document() && !node.is_fragment() {
            continue;
        }
        let name = node
            .node_name()
            .map(|n| n.to_lowercase())
            .unwrap_or_default();
        match name.as_str() {
            "p" | "pre" | "dt" | "dd" | "address" => {
                run.flush(&mut out);
                push_block(&mut out, Kind::Paragraph, inline_of(&node));
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                run.flush(&mut out);
                heading_block(&node, &name, &mut out);
            }
            // A figure's words are its caption, its credit and labels like "Image".
            "figcaption" | "figure" => {
                run.flush(&mut out);
                let caption = node
                    .find(&["figcaption"])
                    .first()
                    .map(inline_of)
                    .filter(|c| !c.is_empty())
                    .unwrap_or_else(|| inline_of(&node));
                push_block(&mut out, Kind::Caption, caption.replace('\n', " "));
            }
            "ul" | "ol" => {
                run.flush(&mut out);
                list_block(&node, name == "ol", &mut out);
            }
            "blockquote" => {
                run.flush(&mut out);
                quote_block(&node, &mut out);
            }
            "table" if is_data_table(&node) => {
                run.flush(&mut out);
                table_block(&node, &mut out);
            }
            "br" => run.text("\n\n"),
            "img" | "picture" | "video" | "audio" | "button" | "input" | "select" | "textarea"
            | "form" | "nav" => {}
            "a" | "span" | "strong" | "b" | "em" | "i" | "u" | "small" | "sup" | "sub" | "code"
            | "abbr" | "cite" | "q" | "mark" | "time" | "font" | "s" | "del" | "ins" => {
                run.text(&inline_of(&node));
            }
            _ => {
                // A container: its children in order, then its end.
                let is_caption = node
                    .attr("class")
                    .is_some_and(|c| c.to_lowercase().contains("caption"));
                if is_caption {
                    run.flush(&mut out);
                    push_block(&mut out, Kind::Caption, inline_of(&node));
                    continue;
                }
                run.flush(&mut out);
                stack.push(None);
                let children: Vec<NodeRef<'_>> = node.children_it(false).collect();
                for c in children.into_iter().rev() {
                    stack.push(Some(c));
                }
            }
        }
    }
    run.flush(&mut out);
    out
}

/// A heading: `h1` and `h2` as `##` (the title is the page's), the others as `###`.
fn heading_block(node: &NodeRef<'_>, name: &str, out: &mut Vec<Block>) {
    let level = if name == "h1" || name == "h2" { 2 } else { 3 };
    let text = inline_of(node);
    if !text.is_empty() {
        out.push(Block {
            kind: Kind::Heading,
            md: format!("{} {}", "#".repeat(level), text),
            text: unescape(&text),
        });
    }
}

/// A block quote: the blocks inside it, each line marked `>`.
fn quote_block(node: &NodeRef<'_>, out: &mut Vec<Block>) {
    let mut inner = Vec::new();
    for b in blocks_of(&node.inner_html()) {
        inner.push(b);
    }
    if !inner.is_empty() {
        let md = inner
            .iter()
            .map(|b| format!("> {}", b.md.replace('\n', "\n> ")))
            .collect::<Vec<_>>()
            .join("\n>\n");
        let text = inner
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        out.push(Block {
            kind: Kind::Quote,
            md,
            text,
        });
    }
}

fn push_block(out: &mut Vec<Block>, kind: Kind, md: String) {
    for part in md.split("\n\n") {
        let part = part.trim();
        // A stray "<" of a page cut off mid-tag, a lone bullet: no words, no block.
        if part.chars().any(char::is_alphanumeric) {
            out.push(Block {
                kind,
                md: escape_start(part),
                text: unescape(part),
            });
        }
    }
}

/// Loose inline markdown between blocks, as browsers show it: paragraphs at `<br>`.
#[derive(Default)]
struct Inline {
    buf: String,
}

impl Inline {
    fn text(&mut self, s: &str) {
        self.buf.push_str(s);
    }
    fn flush(&mut self, out: &mut Vec<Block>) {
        if !self.buf.trim().is_empty() {
            let text = std::mem::take(&mut self.buf);
            for para in text.split("\n\n") {
                push_block(out, Kind::Paragraph, clean_text(para));
            }
        }
        self.buf.clear();
    }
}

/// The markdown of an element's inline content: text escaped, `<br>` as a paragraph break
/// inside loose text and a line break inside a paragraph; links keep their text only (their
/// addresses would be noise in the report's text).
fn inline_of(node: &NodeRef<'_>) -> String {
    let mut s = String::new();
    let mut stack: Vec<NodeRef<'_>> = node.children_it(true).collect();
    while let Some(n) = stack.pop() {
        if n.is_text() {
            s.push_str(&n.text());
        } else if n.is_element() {
            let name = n.node_name().map(|x| x.to_lowercase()).unwrap_or_default();
            match name.as_str() {
                "br" => s.push('\n'),
                "img" | "picture" | "video" | "audio" | "button" | "input" | "select"
                | "textarea" => {}
                _ => stack.extend(n.children_it(true)),
            }
        }
    }
    let lines: Vec<String> = s
        .split('\n')
        .map(|l| escape_inline(&clean_text(l)))
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}

fn list_block(node: &NodeRef<'_>, ordered: bool, out: &mut Vec<Block>) {
    let mut lines = Vec::new();
    let mut texts = Vec::new();
    let mut n = 0;
    for li in node
        .children_it(false)
        .filter(|c| c.node_name().is_some_and(|x| x.eq_ignore_ascii_case("li")))
    {
        let t = inline_of(&li).replace('\n', " ");
        if t.is_empty() {
            continue;
        }
        n += 1;
        let marker = if ordered {
            format!("{n}.")
        } else {
            "-".to_string()
        };
        lines.push(format!("{marker} {t}"));
        texts.push(unescape(&t));
    }
    if !lines.is_empty() {
        out.push(Block {
            kind: Kind::List,
            md: lines.join("\n"),
            text: texts.join(" "),
        });
    }
}

/// A table of data (rows and columns of short cells), not one that lays out the page.
fn is_data_table(node: &NodeRef<'_>) -> bool {
    let rows = rows_of(node);
    if rows.len() < 2 {
        return false;
    }
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let cells: Vec<&String> = rows.iter().flatten().collect();
    let long = cells.iter().filter(|c| c.len() > 200).count();
    cols >= 2 && long == 0
}

fn rows_of(node: &NodeRef<'_>) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let sel = dom_query::Selection::from(*node).select("tr");
    for tr in sel.nodes().iter().take(500) {
        let cells: Vec<String> = tr
            .children_it(false)
            .filter(|c| {
                c.node_name()
                    .is_some_and(|x| x.eq_ignore_ascii_case("td") || x.eq_ignore_ascii_case("th"))
            })
            .map(|c| inline_of(&c).replace('\n', " ").replace('|', "\\|"))
            .collect();
        if !cells.is_empty() {
            rows.push(cells);
        }
    }
    rows
}

fn table_block(node: &NodeRef<'_>, out: &mut Vec<Block>) {
    let rows = rows_of(node);
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut md = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let mut cells = r.clone();
        cells.resize(cols, String::new());
        md.push(format!("| {} |", cells.join(" | ")));
        if i == 0 {
            md.push(format!("|{}", " --- |".repeat(cols)));
        }
    }
    let text = rows
        .iter()
        .flatten()
        .map(|c| unescape(c))
        .collect::<Vec<_>>()
        .join(" ");
    out.push(Block {
        kind: Kind::Table,
        md: md.join("\n"),
        text,
    });
}

/// Article text is prose, not markdown: characters markdown would read as markup are escaped.
fn escape_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '~' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A paragraph that starts like a heading, a list item or a rule must not become one.
fn escape_start(p: &str) -> String {
    if p.starts_with(['#', '-', '+', '=']) {
        return format!("\\{p}");
    }
    let digits = p.chars().take_while(char::is_ascii_digit).count();
    if (1..=9).contains(&digits) && p[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &p[..digits], &p[digits..]);
    }
    p.to_string()
}

/// The plain text of escaped markdown, for rules and comparisons.
fn unescape(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut chars = md.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&n) = chars.peek() {
                if n.is_ascii_punctuation() {
                    out.push(n);
                    chars.next();
                    continue;
                }
            }
        }
        out.push(if c == '\n' { ' ' } else { c });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_from_bom_and_meta() {
        let (t, w) = decode(b"\xEF\xBB\xBF<p>caf\xC3\xA9</p>").unwrap();
        assert_eq!((t.as_str(), w), ("<p>café</p>", None));
        let latin = b"<html><head><meta charset=\"iso-8859-1\"></head><body>caf\xE9</body></html>";
        assert!(decode(latin).unwrap().0.contains("café"));
        let sjis = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\"><p>\x93\xfa\x96\x7b</p>";
        assert!(decode(sjis).unwrap().0.contains("日本"));
        assert!(decode(b"\x00\x01\x02binary").is_err());
    }

    #[test]
    fn deep_nesting_is_flattened() {
        let html = format!(
            "<html><body>{}<p>deep text</p>{}</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        let t = std::time::Instant::now();
        let trimmed = trim(&html);
        let doc = Document::from(trimmed);
        // Beyond the cap the tags go and their text stays, in the deepest kept element.
        assert!(doc.select("body").text().contains("deep text"));
        assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
    }

    #[test]
    fn blocks_become_markdown() {
        let b = blocks_of(
            "<div><h2>Sub</h2><p>One *two* [x]</p><ul><li>a</li><li>b</li></ul>\
             <blockquote><p>Quote</p></blockquote><table><tr><th>k</th><th>v</th></tr>\
             <tr><td>1</td><td>2</td></tr></table>loose<br><br>text<figure><figcaption>Cap</figcaption></figure></div>",
        );
        let md: Vec<&str> = b.iter().map(|b| b.md.as_str()).collect();
        assert_eq!(
            md,
            vec![
                "## Sub",
                "One \\*two\\* \\[x\\]",
                "- a\n- b",
                "> Quote",
                "| k | v |\n| --- | --- |\n| 1 | 2 |",
                "loose",
                "text",
                "Cap"
            ]
        );
        assert_eq!(b[1].text, "One *two* [x]");
        assert_eq!(b[7].kind, Kind::Caption);
    }

    #[test]
    fn regression_subscription_offer_inside_the_article_goes_when_json_ld_lacks_it() {
        let story = "The council approved the budget on Tuesday after a long debate about the new library and the roads.";
        let kept = vec![(1, story.to_string()), (2, "Monthly $7/month".to_string())];
        let mut a = Article::default();
        let left = check_with_stated_body(&mut a, kept, Some(story));
        assert_eq!(left, vec![(1, story.to_string())]);
    }

    #[test]
    fn site_suffixes() {
        let cut = |t: &str, o: Option<&str>| strip_site_suffix(t, o).0;
        assert_eq!(
            cut("Putin arrives | The Guardian", Some("The Guardian")),
            "Putin arrives"
        );
        assert_eq!(
            cut("Left - right talks", Some("Kompas")),
            "Left - right talks"
        );
        // An outlet known by its address: its name without the domain.
        assert_eq!(
            cut(
                "Choir names a new director | THE SUNDAY (Saxony)",
                Some("sunday-saxony.example")
            ),
            "Choir names a new director"
        );
        assert_eq!(
            strip_site_suffix("Four words of headline - Entermedia", None),
            (
                "Four words of headline".to_string(),
                Some("Entermedia".to_string())
            )
        );
    }
}
