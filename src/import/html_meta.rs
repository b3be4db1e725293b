//! What a saved page states about itself, read from its markup, best source first: JSON-LD
//! (`NewsArticle` and its kin), OpenGraph and `article:*` properties, `<meta name=…>` (author,
//! date, Parse.ly, Dublin Core), `<time datetime>`, `<link rel=canonical>`, `<html lang>`, the
//! site's name. Every value keeps the name of its source, for `import --explain`.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use dom_query::Document;
use serde_json::Value;

use super::dates::{DatePatterns, Stamp, Years};

/// A value and where the page stated it.
#[derive(Debug, Clone)]
pub(crate) struct Stated<T> {
    pub(crate) value: T,
    pub(crate) source: String,
}

/// Everything the page's markup says about the article.
#[derive(Debug, Default)]
pub(crate) struct PageMeta {
    pub(crate) title: Option<Stated<String>>,
    pub(crate) date: Option<Stated<Stamp>>,
    pub(crate) authors: Option<Stated<Vec<String>>>,
    pub(crate) site: Option<Stated<String>>,
    pub(crate) url: Option<Stated<String>>,
    pub(crate) lang: Option<Stated<String>>,
    /// The article's text as JSON-LD `articleBody` gives it, when it does.
    pub(crate) body: Option<String>,
}

/// JSON-LD types that describe the article itself, not the site or a breadcrumb.
const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "Report",
    "ScholarlyArticle",
    "TechArticle",
];

/// `<meta>` keys (name, property or itemprop, lower-cased) for each field, best first.
const TITLE_KEYS: &[&str] = &[
    "dc.title",
    "dcterm.title",
    "dcterms.title",
    "og:title",
    "twitter:title",
    "parsely-title",
    "sailthru.title",
    "headline",
];
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "article.published",
    "article_date_original",
    "published-date",
    "og:published_time",
    "article:publicationdate",
    "ptime",
];
const AUTHOR_KEYS: &[&str] = &[
    "dc.creator",
    "dcterm.creator",
    "dcterms.creator",
    "author",
    "article:author",
    "og:article:author",
    "parsely-author",
    "sailthru.author",
    "byl",
    "citation_author",
];
const SITE_KEYS: &[&str] = &["og:site_name", "application-name", "al:ios:app_name"];

/// Reads the page's own statements about the article.
pub(crate) fn read(doc: &Document, dates: &DatePatterns) -> PageMeta {
    let metas = meta_tags(doc);
    let mut m = PageMeta::default();
    let canonical = doc
        .select("link[rel=canonical]")
        .first()
        .attr("href")
        .map(|h| h.to_string());
    let ld = json_ld(doc, canonical.as_deref());

    m.title = title_of(doc, &metas, &ld);
    m.date = date_of(doc, &metas, &ld, dates);
    m.authors = authors_of(doc, &metas, &ld);
    m.site = site_of(&metas, &ld);
    m.url = url_of(doc, &metas, &ld);
    m.lang = lang_of(doc, &metas, &ld);
    m.body = ld
        .as_ref()
        .and_then(|o| str_field(o, "articleBody"))
        .filter(|b| b.split_whitespace().count() >= 50);
    m
}

/// The first `<meta>` of `keys` (best first) with a value: the value, and its source.
fn first_meta(metas: &[(String, String)], keys: &[&str]) -> Option<(String, String)> {
    keys.iter().find_map(|k| {
        metas
            .iter()
            .find(|(key, v)| key_of(key) == *k && !v.is_empty())
            .map(|(key, v)| (v.clone(), format!("<meta {}>", key_of(key))))
    })
}

/// The headline.
fn title_of(
    doc: &Document,
    metas: &[(String, String)],
    ld: &Option<Value>,
) -> Option<Stated<String>> {
    // Pages state more than one headline (a shorter one for social cards, a newer one in
    // JSON-LD): the one the page's own <title> holds is the page's headline.
    let page_title = clean_text(&doc.select("head title").first().text());
    let mut titles: Vec<Stated<String>> = Vec::new();
    if let Some(t) = ld.as_ref().and_then(|o| str_field(o, "headline")) {
        titles.push(stated(t, "JSON-LD headline"));
    }
    for k in TITLE_KEYS {
        if let Some((_, v)) = metas
            .iter()
            .find(|(key, v)| key_of(key) == *k && !v.is_empty())
        {
            titles.push(stated(v.clone(), &format!("<meta {k}>")));
        }
    }
    let h1 = clean_text(&doc.select("h1").first().text());
    let key = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let in_title = |t: &Stated<String>| {
        let k = key(&t.value);
        k.len() >= 10 && key(&page_title).contains(&k)
    };
    let chosen = titles
        .iter()
        .find(|t| in_title(t))
        .or(titles.first())
        .cloned()
        .or_else(|| (!page_title.is_empty()).then(|| stated(page_title.clone(), "<title>")));
    // Social cards shorten titles ("Uncork the mystery" for "Uncork the mystery of Germany's
    // Frühburgunder"): the headline the reader sees wins when it holds the chosen title and
    // a stated title holds it.
    let h1_key = key(&h1);
    let h1_stated = h1_key.len() >= 10
        && (key(&page_title).contains(&h1_key)
            || titles.iter().any(|t| key(&t.value).contains(&h1_key)));
    match chosen {
        Some(t)
            if h1_stated
                && h1_key.len() > key(&t.value).len()
                && h1_key.contains(&key(&t.value)) =>
        {
            Some(stated(h1, "<h1>"))
        }
        Some(t) => Some(t),
        None => (!h1.is_empty()).then(|| stated(h1, "<h1>")),
    }
}

/// The publication date.
fn date_of(
    doc: &Document,
    metas: &[(String, String)],
    ld: &Option<Value>,
    dates: &DatePatterns,
) -> Option<Stated<Stamp>> {
    let parse = |s: &str| machine_date(s).or_else(|| human_date(dates, s));
    ld.as_ref()
        .and_then(|o| {
            ["datePublished", "dateCreated", "uploadDate"]
                .iter()
                .find_map(|k| Some((str_field(o, k)?, *k)))
        })
        .and_then(|(s, k)| parse(&s).map(|d| stated(d, &format!("JSON-LD {k}"))))
        .or_else(|| {
            DATE_KEYS.iter().find_map(|k| {
                metas
                    .iter()
                    .filter(|(key, _)| key_of(key) == *k)
                    .find_map(|(_, v)| parse(v))
                    .map(|d| stated(d, &format!("<meta {k}>")))
            })
        })
        .or_else(|| {
            parsely_page(metas, "pub_date")
                .and_then(|s| parse(&s))
                .map(|d| stated(d, "<meta parsely-page> pub_date"))
        })
        .or_else(|| {
            // A <time> of the article before any other: pages list other stories' times too.
            [
                "[itemprop=datePublished][datetime]",
                "time[pubdate][datetime]",
                "article time[datetime]",
                "time[datetime]",
            ]
            .iter()
            .find_map(|sel| {
                let node = doc.select(sel).first();
                let d = node.attr("datetime").and_then(|v| parse(&v))?;
                Some(stated(d, "<time datetime>"))
            })
        })
        .or_else(|| {
            // What the page shows as its date: an element named for it, its machine-readable
            // attribute or its text ("posted on April 21, 2015, at 11:29 a.m.").
            doc.select("[class*=date], [class*=time], [class*=publish], [id*=date]")
                .nodes()
                .iter()
                .take(20)
                .find_map(|n| {
                    let attr = ["datetime", "content", "title", "data-date"]
                        .iter()
                        .find_map(|a| n.attr(a).and_then(|v| machine_date(&v)));
                    let d = attr.or_else(|| {
                        let t = clean_text(&n.text());
                        (t.len() <= 100).then(|| human_date(dates, &t)).flatten()
                    })?;
                    Some(stated(d, "the page's date element"))
                })
        })
}

/// The authors.
fn authors_of(
    doc: &Document,
    metas: &[(String, String)],
    ld: &Option<Value>,
) -> Option<Stated<Vec<String>>> {
    ld.as_ref()
        .and_then(|o| o.get("author").or_else(|| o.get("creator")))
        .map(names_in)
        .filter(|n| !n.is_empty())
        .map(|n| stated(n, "JSON-LD author"))
        .or_else(|| {
            AUTHOR_KEYS.iter().find_map(|k| {
                // One tag per author is a way to name several; the same key as a property
                // and as a name is one author said twice.
                // A value naming a web address is the site ("Deutsche Welle (www.dw.com)").
                let person = |v: &str| !v.contains("://") && !v.contains("www.");
                let (first, _) = metas
                    .iter()
                    .find(|(key, v)| key_of(key) == *k && person(v))?;
                let names: Vec<String> = metas
                    .iter()
                    .filter(|(key, v)| key == first && person(v))
                    .flat_map(|(_, v)| split_names(v))
                    .collect();
                (!names.is_empty()).then(|| stated(dedup(names), &format!("<meta {k}>")))
            })
        })
        .or_else(|| {
            parsely_page(metas, "author")
                .map(|a| split_names(&a))
                .filter(|n| !n.is_empty())
                .map(|n| stated(n, "<meta parsely-page> author"))
        })
        .or_else(|| {
            [
                ("[itemprop~=author] [itemprop~=name]", 4),
                ("[itemprop~=author]", 4),
                ("a[rel~=author]", 1),
                ("[rel~=author]", 1),
                (
                    "[class*=author-name], [class*=authorname], [class*=author__name]",
                    1,
                ),
                ("[class*=byline] [class*=author]", 1),
                ("[class*=byline]", 1),
            ]
            .iter()
            .find_map(|(sel, take)| {
                // Several elements of one kind may be the article's authors (itemprop), or
                // the bylines of other stories on the page (classes): those take the first.
                let names: Vec<String> = doc
                    .select(sel)
                    .nodes()
                    .iter()
                    .filter(|n| !n.text().trim().is_empty())
                    .take(*take)
                    .flat_map(|n| {
                        let t = clean_text(&n.text());
                        if t.len() <= 80 {
                            split_names(&t)
                        } else {
                            Vec::new()
                        }
                    })
                    .collect();
                (!names.is_empty()).then(|| stated(dedup(names), &format!("<… {sel}>")))
            })
        })
}

/// The outlet's name.
fn site_of(metas: &[(String, String)], ld: &Option<Value>) -> Option<Stated<String>> {
    let meta = |keys: &[&str]| first_meta(metas, keys);
    meta(SITE_KEYS)
        .map(|(t, s)| stated(without_tagline(&t), &s))
        .or_else(|| {
            ld.as_ref()
                .and_then(|o| o.get("publisher"))
                .and_then(|p| str_field(p, "name"))
                .map(|n| stated(n, "JSON-LD publisher"))
        })
}

/// The page's address.
fn url_of(
    doc: &Document,
    metas: &[(String, String)],
    ld: &Option<Value>,
) -> Option<Stated<String>> {
    let meta = |keys: &[&str]| first_meta(metas, keys);
    doc.select("link[rel=canonical]")
        .iter()
        .find_map(|n| n.attr("href").map(|h| h.trim().to_string()))
        .filter(|u| is_web_url(u))
        .map(|u| stated(u, "<link rel=canonical>"))
        .or_else(|| {
            meta(&["og:url", "twitter:url", "parsely-link"])
                .filter(|(u, _)| is_web_url(u))
                .map(|(u, s)| stated(u, &s))
        })
        .or_else(|| {
            ld.as_ref()
                .and_then(|o| {
                    str_field(o, "url").or_else(|| {
                        o.get("mainEntityOfPage").and_then(|p| {
                            p.as_str()
                                .map(str::to_string)
                                .or_else(|| str_field(p, "@id"))
                        })
                    })
                })
                .filter(|u| is_web_url(u))
                .map(|u| stated(u, "JSON-LD url"))
        })
}

/// The language.
fn lang_of(
    doc: &Document,
    metas: &[(String, String)],
    ld: &Option<Value>,
) -> Option<Stated<String>> {
    let meta = |keys: &[&str]| first_meta(metas, keys);
    doc.select("html")
        .first()
        .attr("lang")
        .or_else(|| doc.select("html").first().attr("xml:lang"))
        .and_then(|l| language_code(&l))
        .map(|l| stated(l, "<html lang>"))
        .or_else(|| {
            meta(&["content-language", "dc.language", "og:locale", "language"])
                .and_then(|(l, s)| Some(stated(language_code(&l)?, &s)))
        })
        .or_else(|| {
            ld.as_ref()
                .and_then(|o| str_field(o, "inLanguage"))
                .and_then(|l| language_code(&l))
                .map(|l| stated(l, "JSON-LD inLanguage"))
        })
}

/// "Aktuálně.cz - Víte, co se právě děje" → "Aktuálně.cz": a site's name without its motto.
fn without_tagline(name: &str) -> String {
    for sep in [" - ", " | ", " – ", " — ", ": "] {
        if let Some((head, tail)) = name.split_once(sep) {
            if head.chars().count() >= 3 && tail.split_whitespace().count() >= 2 {
                return head.trim().to_string();
            }
        }
    }
    name.to_string()
}

fn stated<T>(value: T, source: &str) -> Stated<T> {
    Stated {
        value,
        source: source.to_string(),
    }
}

/// Every `<meta>` as (key, content): its name, property, itemprop or http-equiv, lower-cased.
/// Meta tags outside `<head>` count too: pages put `itemprop` ones in the article.
/// Dublin Core is written `dc:title`, `DC.title` or `dcterms:title`: one key each, with a
/// dot. A `property` is a vocabulary's statement, ahead of a `name` of the same key.
/// Each key is prefixed with its attribute's rank (`1author`: a `name`), so that two tags of
/// one key are told apart by how they say it; [`key_of`] reads the key back.
fn meta_tags(doc: &Document) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (rank, key) in ["property", "name", "itemprop", "http-equiv"]
        .iter()
        .enumerate()
    {
        for n in doc.select("meta[content]").nodes() {
            let Some(k) = n.attr(key) else { continue };
            let content = clean_text(&n.attr("content").unwrap_or_default());
            // `property="og:title article:title"` names two keys at once.
            for k in k.split_whitespace() {
                let mut k = k.to_lowercase();
                for dc in ["dc:", "dcterm:", "dcterms:"] {
                    if let Some(rest) = k.strip_prefix(dc) {
                        k = format!("{}.{rest}", &dc[..dc.len() - 1]);
                    }
                }
                out.push((rank, k, content.clone()));
            }
        }
    }
    out.sort_by_key(|(rank, _, _)| *rank);
    out.into_iter()
        .map(|(rank, k, v)| (format!("{rank}{k}"), v))
        .collect()
}

fn key_of(k: &str) -> &str {
    k.get(1..).unwrap_or("")
}

/// A field of Parse.ly's `parsely-page` meta, a JSON object in one attribute.
fn parsely_page(metas: &[(String, String)], key: &str) -> Option<String> {
    let (_, v) = metas.iter().find(|(k, _)| key_of(k) == "parsely-page")?;
    let v: Value = serde_json::from_str(v).ok()?;
    match v.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Array(a) => a.first().and_then(|x| x.as_str()).map(str::to_string),
        _ => None,
    }
}

/// The JSON-LD object that describes the article: the first of an article type, else the
/// first with a headline.
fn json_ld(doc: &Document, canonical: Option<&str>) -> Option<Value> {
    let mut objects = Vec::new();
    for n in doc.select("script[type]").iter() {
        let is_ld = n
            .attr("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
        if !is_ld {
            continue;
        }
        // Raw line breaks and tabs inside strings are invalid JSON that sites often write.
        let text: String = n
            .text()
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        // Some sites wrap it in CDATA, as if the page were XHTML.
        let text = text.trim();
        let text = text
            .trim_start_matches("//")
            .trim_start()
            .strip_prefix("<![CDATA[")
            .map(|t| {
                t.trim_end()
                    .trim_end_matches("//]]>")
                    .trim_end_matches("]]>")
            })
            .unwrap_or(text);
        if let Ok(v) = serde_json::from_str::<Value>(text.trim().trim_end_matches(';')) {
            flatten(v, &mut objects, 0);
        }
    }
    let is_article = |o: &Value| match o.get("@type") {
        Some(Value::String(t)) => ARTICLE_TYPES.contains(&t.as_str()),
        Some(Value::Array(ts)) => ts
            .iter()
            .any(|t| t.as_str().is_some_and(|t| ARTICLE_TYPES.contains(&t))),
        _ => false,
    };
    // A page can describe other articles too (related stories): its own is the one at its
    // address, else the first.
    let at_address = |o: &Value| {
        let own =
            |u: Option<String>| u.is_some_and(|u| canonical.is_some_and(|c| same_page(&u, c)));
        own(str_field(o, "url"))
            || own(o.get("mainEntityOfPage").and_then(|p| str_field(p, "@id")))
            || own(str_field(o, "mainEntityOfPage"))
    };
    let pos = objects
        .iter()
        .position(|o| is_article(o) && at_address(o))
        .or_else(|| objects.iter().position(is_article))
        .or_else(|| objects.iter().position(|o| o.get("headline").is_some()))?;
    Some(objects.swap_remove(pos))
}

/// Objects of a JSON-LD value: top-level arrays and `@graph` lists hold several.
fn flatten(v: Value, out: &mut Vec<Value>, depth: usize) {
    if depth > 4 {
        return;
    }
    match v {
        Value::Array(items) => items.into_iter().for_each(|i| flatten(i, out, depth + 1)),
        Value::Object(mut o) => {
            if let Some(g) = o.remove("@graph") {
                flatten(g, out, depth + 1);
            }
            out.push(Value::Object(o));
        }
        _ => {}
    }
}

/// A text field of a JSON-LD object (a string, or the first of a list of strings).
fn str_field(o: &Value, key: &str) -> Option<String> {
    let s = match o.get(key)? {
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().find_map(|x| x.as_str())?.to_string(),
        _ => return None,
    };
    let s = clean_text(&s);
    (!s.is_empty()).then_some(s)
}

/// People named by a JSON-LD `author`: a string, an object with a name, or a list of them.
fn names_in(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    match v {
        Value::String(s) => out.extend(split_names(s)),
        Value::Object(_) => {
            if let Some(n) = str_field(v, "name") {
                out.extend(split_names(&n));
            }
        }
        Value::Array(items) => items.iter().for_each(|i| out.extend(names_in(i))),
        _ => {}
    }
    dedup(out)
}

fn dedup(names: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&n)) {
            out.push(n);
        }
    }
    out
}

/// Words of a byline that are not names: the byline's opening word and job titles.
const BY_WORDS: &[&str] = &["by", "par", "por", "von", "door", "oleh", "di", "de", "av"];
const ROLES: &[&str] = &[
    "writer",
    "reporter",
    "correspondent",
    "editor",
    "staff",
    "contributor",
    "columnist",
    "wartawan",
    "penulis",
    "redaktur",
];

/// "By Jane Doe and John Roe, Staff Writers" → ["Jane Doe", "John Roe"].
pub(crate) fn split_names(s: &str) -> Vec<String> {
    let s = clean_text(s);
    if s.contains("://") {
        // An author's page, not a name.
        return Vec::new();
    }
    let mut out = Vec::new();
    for part in s
        .split([',', ';', '|', '&', '/', '\n'])
        .flat_map(|p| p.split(" and "))
        .flat_map(|p| p.split(" dan "))
        .flat_map(|p| p.split(" und "))
        .flat_map(|p| p.split(" et "))
        .flat_map(|p| p.split(" y "))
        .flat_map(|p| p.split(" e "))
    {
        let mut words: Vec<&str> = part.split_whitespace().collect();
        while words
            .first()
            .is_some_and(|w| BY_WORDS.contains(&w.to_lowercase().trim_end_matches(':')))
        {
            words.remove(0);
        }
        let name = words.join(" ");
        let lower = name.to_lowercase();
        let role = ROLES.iter().any(|r| lower.contains(r));
        let letters = name.chars().filter(|c| c.is_alphabetic()).count();
        if !name.is_empty() && !role && letters >= 2 && words.len() <= 6 && !name.contains("://") {
            out.push(name);
        }
    }
    out
}

/// Whitespace collapsed, entities already decoded by the parser.
pub(crate) fn clean_text(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Two addresses of one page: the same but for the scheme, `www.` and a trailing slash.
fn same_page(a: &str, b: &str) -> bool {
    let n = |u: &str| {
        let u = u.split_once("://").map(|(_, r)| r).unwrap_or(u);
        let u = u.strip_prefix("www.").unwrap_or(u);
        u.split(['?', '#'])
            .next()
            .unwrap_or(u)
            .trim_end_matches('/')
            .to_lowercase()
    };
    n(a) == n(b)
}

fn is_web_url(u: &str) -> bool {
    (u.starts_with("https://") || u.starts_with("http://")) && u.len() > 10
}

/// "en-US" → "en", "pt_BR" → "pt"; `None` for what is not a language tag.
pub(crate) fn language_code(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_lowercase();
    (primary.len() >= 2 && primary.len() <= 3 && primary.chars().all(|c| c.is_ascii_lowercase()))
        .then_some(primary)
}

/// A machine-written date: RFC 3339, ISO 8601 with or without a zone, `20240619`.
pub(crate) fn machine_date(s: &str) -> Option<Stamp> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(stamp(d));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some(stamp(d));
        }
    }
    // Without a zone the day is what the page says; the time cannot be placed.
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(Stamp {
                date: d.date(),
                time: None,
            });
        }
    }
    let head = s.get(..10).unwrap_or(s);
    NaiveDate::parse_from_str(head, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s.get(..8).unwrap_or(s), "%Y%m%d"))
        .ok()
        .filter(|d| (1990..=2100).contains(&chrono::Datelike::year(d)))
        .map(|date| Stamp { date, time: None })
}

fn stamp(d: DateTime<chrono::FixedOffset>) -> Stamp {
    Stamp {
        date: d.date_naive(),
        time: Some((d.time(), *d.offset())),
    }
}

/// A date written for people ("June 19, 2024 9:35 AM", "Rabu, 17 Januari 2024"), with its year.
fn human_date(dates: &DatePatterns, s: &str) -> Option<Stamp> {
    let today = NaiveDate::from_ymd_opt(2100, 1, 1)?;
    let found = dates.find(s, Years::from(2100), today);
    let f = found.iter().find(|f| f.year_written)?;
    Some(Stamp {
        date: f.date,
        time: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_dates() {
        let d = |s: &str| machine_date(s).map(|s| s.to_front_matter());
        assert_eq!(
            d("2015-07-24T05:36:09+01:00").as_deref(),
            Some("2015-07-24T05:36:09+01:00")
        );
        assert_eq!(
            d("2021-11-01T10:52:50+0100").as_deref(),
            Some("2021-11-01T10:52:50+01:00")
        );
        assert_eq!(
            d("2017-11-03 03:01:00.000000").as_deref(),
            Some("2017-11-03")
        );
        assert_eq!(d("2015-04-30T07:19:58").as_deref(), Some("2015-04-30"));
        assert_eq!(d("20190425").as_deref(), Some("2019-04-25"));
        assert_eq!(d("yesterday"), None);
    }

    #[test]
    fn names_from_bylines() {
        assert_eq!(
            split_names("By Jane Doe and John Roe, Staff Writers"),
            vec!["Jane Doe", "John Roe"]
        );
        assert_eq!(
            split_names("Par Sébastien Farcis"),
            vec!["Sébastien Farcis"]
        );
        assert_eq!(
            split_names("https://x.com/people/jane"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn regression_json_ld_wrapped_in_cdata_is_read() {
        let doc = Document::from(
            "<html><head><script type=\"application/ld+json\">\n<![CDATA[\n{\"@type\":\"NewsArticle\",\"headline\":\"Bridge reopens\",\"author\":{\"name\":\"Ana Lima\"}}\n]]>\n</script></head><body></body></html>",
        );
        let m = read(&doc, &DatePatterns::new());
        assert_eq!(m.title.map(|t| t.value).as_deref(), Some("Bridge reopens"));
        assert_eq!(
            m.authors.map(|a| a.value),
            Some(vec!["Ana Lima".to_string()])
        );
    }

    /// Regression (unseen real pages): a social card's shortened title was taken over the
    /// headline, and a site's name in `<meta name=author>` as the author.
    #[test]
    fn the_headline_shown_wins_over_a_shortened_card_title_and_a_site_is_no_author() {
        let doc = Document::from(
            "<html><head><title>Old vines return to the valley | Culture | Example Radio | 10.06.2013</title>\
             <meta property=\"og:title\" content=\"Old vines return to the valley | ER | 10.06.2013\">\
             <meta name=\"twitter:title\" content=\"Old vines return\">\
             <meta name=\"author\" content=\"Example Radio (www.radio.example)\"></head>\
             <body><h1>Old vines return to the valley</h1><p>Text.</p></body></html>",
        );
        let m = read(&doc, &DatePatterns::new());
        let title = m.title.expect("a title");
        assert_eq!(
            (title.value.as_str(), title.source.as_str()),
            ("Old vines return to the valley", "<h1>")
        );
        assert!(m.authors.is_none(), "{:?}", m.authors.map(|a| a.value));
        // An <h1> no stated title holds is the site's logo or a section, not the headline.
        let doc = Document::from(
            "<html><head><title>Bridge reopens after repairs</title></head><body><h1>Example Radio</h1></body></html>",
        );
        let m = read(&doc, &DatePatterns::new());
        assert_eq!(
            m.title.map(|t| t.value).as_deref(),
            Some("Bridge reopens after repairs")
        );
    }

    #[test]
    fn language_tags() {
        assert_eq!(language_code("en-US").as_deref(), Some("en"));
        assert_eq!(language_code("pt_BR").as_deref(), Some("pt"));
        assert_eq!(language_code("*"), None);
    }
}
