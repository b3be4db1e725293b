//! The editor's work on one page: which lines are the article, which are chrome, and what the
//! chrome says about the article (title, date, outlet, wire, bylines, dateline, caption).
//!
//! The page is read line by line, top to bottom, in two regions: the header (before the first
//! paragraph of prose) holds the title, bylines, date and photo caption; from the first
//! paragraph on, everything is article text unless a named rule says otherwise. Every decision
//! is recorded with the rule that made it, for `import --explain`.

use chrono::{Datelike, FixedOffset, NaiveDate};
use regex::Regex;

use super::dates::{DatePatterns, Stamp};
use super::rules::{Action, Outlet, Rules};

/// What the command line tells import about a page.
pub(crate) struct Hints<'a> {
    pub(crate) outlet: Option<&'a str>,
    pub(crate) url: Option<&'a str>,
    /// Dates written without a year are placed no later than this day.
    pub(crate) today: NaiveDate,
}

/// The cleaned article.
#[derive(Debug, Default)]
pub(crate) struct Article {
    pub(crate) title: String,
    pub(crate) title_generated: bool,
    pub(crate) date: Option<Stamp>,
    pub(crate) outlet: Option<String>,
    pub(crate) wire: Vec<String>,
    pub(crate) authors: Vec<String>,
    pub(crate) editors: Vec<String>,
    pub(crate) dateline: Option<String>,
    pub(crate) image_caption: Option<String>,
    pub(crate) language: Option<String>,
    pub(crate) paragraphs: Vec<String>,
    /// The page's address, when the page states it (a saved HTML page's canonical link).
    pub(crate) url: Option<String>,
    /// Whether the paragraphs are markdown already (from HTML: subheads, lists, quotes,
    /// tables), rather than prose to escape.
    pub(crate) markdown: bool,
    /// Every decision, in page order, for `--explain`.
    pub(crate) trail: Vec<Step>,
}

/// One decision about one line of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Step {
    pub(crate) line: usize,
    pub(crate) verdict: Verdict,
    /// The rule that decided it.
    pub(crate) rule: String,
    pub(crate) text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    Keep,
    Drop,
    /// Read into a front matter field, and dropped from the body.
    Field(&'static str),
}

/// Wire services, as written on pages → as the dossier names them.
const WIRES: &[(&str, &str)] = &[
    ("reuters", "Reuters"),
    ("afp", "AFP"),
    ("agence france-presse", "AFP"),
    ("ap", "AP"),
    ("associated press", "AP"),
    ("tass", "TASS"),
    ("itar-tass", "TASS"),
    ("xinhua", "Xinhua"),
    ("yonhap", "Yonhap"),
    ("kyodo", "Kyodo"),
    ("sputnik", "Sputnik"),
    ("ria novosti", "RIA Novosti"),
    ("interfax", "Interfax"),
    ("bloomberg", "Bloomberg"),
    ("anadolu", "Anadolu"),
    ("dpa", "dpa"),
    ("efe", "EFE"),
    ("ansa", "ANSA"),
    ("bernama", "Bernama"),
    ("antara", "Antara"),
    ("upi", "UPI"),
];

pub(crate) fn wire_name(s: &str) -> Option<&'static str> {
    let s = s.trim().trim_end_matches('.').to_lowercase();
    WIRES.iter().find(|(w, _)| *w == s).map(|(_, n)| *n)
}

/// The patterns import uses beside the rules file: they read fields, not just drop lines.
pub(crate) struct Patterns {
    pub(crate) dates: DatePatterns,
    datelines: Vec<Regex>,
    dateline_line: Regex,
    source_line: Regex,
    wire_line: Regex,
    byline: Regex,
    english_byline: Regex,
    agency_credit: Regex,
    caption_start: Regex,
    caption_credit: Regex,
    signature: Regex,
    attribution: Regex,
    name_like: Regex,
    languages: whatlang::Detector,
}

impl Patterns {
    pub(crate) fn new() -> Patterns {
        let re = |s: &str| Regex::new(s).expect("built-in import pattern");
        let wires = "Reuters|REUTERS|AFP|AP|Associated Press|TASS|ITAR-TASS|Xinhua|XINHUA|Yonhap|YONHAP|Kyodo|Sputnik|RIA Novosti|Interfax|Bloomberg|Anadolu|EFE|Bernama|Antara|ANTARA";
        Patterns {
            dates: DatePatterns::new(),
            datelines: vec![
                // KONTAN.CO.ID - MOSKOW/SEOUL. Dinas …
                re(
                    r"^(?P<outlet>[A-Za-z0-9]+(?:\.[A-Za-z]{2,})+)\s*[-–—]{1,2}\s*(?P<place>\p{Lu}[\p{L}]*(?:[ /]\p{Lu}[\p{L}]*){0,3})\s*\.\s+(?P<rest>.+)$",
                ),
                // TEMPO.CO, Jakarta - Rusia …   REPUBLIKA.CO.ID, JAKARTA -- …
                re(
                    r"^(?P<outlet>[A-Za-z0-9]+(?:\.[A-Za-z]{2,})+),\s*(?P<place>\p{Lu}[\p{L}]*(?:[ /]\p{Lu}[\p{L}]*){0,3})\s*[-–—]{1,2}\s+(?P<rest>.+)$",
                ),
                // JAKARTA, KOMPAS.com - …   Jakarta, CNN Indonesia -- …   SEOUL, SATUHARAPAN.COM-Beberapa …
                re(
                    r"^(?P<place>\p{Lu}[\p{L}]*(?:[ /]\p{Lu}[\p{L}]*){0,3}),\s*(?P<outlet>[A-Za-z0-9]+(?:\.[A-Za-z]{2,})+|CNN Indonesia|CNBC Indonesia|VIVA|Okezone|Suara\.com)\s*[-–—]{1,2}\s*(?P<rest>\p{Lu}.+)$",
                ),
                // TRIBUNNEWS.COM - Presiden …   (the outlet alone)
                re(
                    r"^(?P<outlet>[A-Za-z0-9]+(?:\.[A-Za-z]{2,})+)\s*[-–—]{1,2}\s+(?P<rest>\p{Lu}.+)$",
                ),
                // MOSCOW (Reuters) - …   SEOUL, June 19 (Reuters) - …   Moskow (ANTARA) - …
                re(
                    r"^(?P<place>\p{Lu}[\p{L}]*(?:[ /]\p{Lu}[\p{L}]*){0,3})(?:,\s*\p{Lu}[\p{L}]{2,8}\.?\s+\d{1,2})?\s*\((?P<wire>[A-Za-z][A-Za-z .-]{1,20})\)\s*[-–—]{1,2}\s+(?P<rest>.+)$",
                ),
                // SEOUL — …
                re(r"^(?P<place>\p{Lu}{3,}(?:[ /]\p{Lu}{2,}){0,3})\s*[-–—]{1,2}\s+(?P<rest>.+)$"),
                // Jakarta - …
                re(r"^(?P<place>\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)?)\s+[-–—]\s+(?P<rest>.+)$"),
            ],
            dateline_line: re(
                r"^(?P<outlet>\p{Lu}[\p{L}\d.]*(?:\s\p{Lu}[\p{L}\d.]*){0,2}),\s*(?P<place>\p{Lu}[\p{L}]+(?:[\s/]\p{Lu}[\p{L}]+){0,2})\.?$",
            ),
            source_line: re(r"(?i)^(?:sumber|source)\s*:\s*(?P<rest>.+)$"),
            wire_line: re(&format!(
                r"(?i)^(?:{w})(?:\s*[|/,&]\s*(?:{w})|\s+(?:dan|and)\s+(?:{w}))*\.?$",
                w = WIRES
                    .iter()
                    .map(|(w, _)| regex::escape(w))
                    .collect::<Vec<_>>()
                    .join("|")
            )),
            byline: re(
                r"(?i)^(?P<label>reporter|wartawan|penulis|pewarta|kontributor|oleh|writer|author|written by|editor|redaktur|penyunting|edited by)\s*(?::\s*(?P<names>.*)|$)",
            ),
            english_byline: re(
                r"^(?:By|Oleh)\s+(?P<names>\p{Lu}[\p{L}.'-]*(?:\s+\p{Lu}[\p{L}.'-]*){0,3}(?:(?:,\s*|\s+and\s+|\s+dan\s+|\s*&\s*)\p{Lu}[\p{L}.'-]*(?:\s+\p{Lu}[\p{L}.'-]*){0,3})*)$",
            ),
            agency_credit: re(
                r"(?i)^\(?\s*(?:reporting|writing|editing|additional reporting)\s+by\b",
            ),
            caption_start: re(r"^(?:ILUSTRASI|Ilustrasi|FOTO|Foto|Photo|PHOTO|Gambar)\s*[.:|]"),
            caption_credit: re(
                r"(?:\p{Lu}[\p{L}.]*(?:\s\p{Lu}[\p{L}.]*)*/\p{Lu}[\p{L}.]*|\bvia REUTERS\b|Getty Images|AP Photo|ANTARA FOTO|AFP PHOTO|REUTERS/|/REUTERS|\(Foto\b|\bFile Photo\b|\b[Dd]ok\.|FOTO/|Photo:|Foto:)",
            ),
            signature: re(r"\s*[\[(](?:[a-z]{1,5}/)+[a-z]{1,5}[\])]\s*$"),
            attribution: re(&format!(
                r"\b(?:dilaporkan|dilansir(?:\s+dari)?|melansir|mengutip|dikutip\s+dari|reported\s+by)\s+(?:kantor\s+berita\s+)?(?P<wire>{wires})\b"
            )),
            // Only the languages a dossier is likely to hold: detection compares the text with
            // each candidate's trigrams, so fewer candidates is faster and less often wrong.
            languages: whatlang::Detector::with_allowlist(vec![
                whatlang::Lang::Ind,
                whatlang::Lang::Eng,
                whatlang::Lang::Rus,
                whatlang::Lang::Ukr,
                whatlang::Lang::Kor,
                whatlang::Lang::Jpn,
                whatlang::Lang::Cmn,
                whatlang::Lang::Fra,
                whatlang::Lang::Deu,
                whatlang::Lang::Spa,
                whatlang::Lang::Nld,
            ]),
            name_like: re(
                r"^\p{Lu}[\p{L}.'-]*(?:(?:\s+|\s*,\s*|\s*&\s*|\s*\|\s*|\s+dan\s+|\s+and\s+)(?:\p{Lu}[\p{L}.'-]*|bin|binti|van|de|al|el))*\.?$",
            ),
        }
    }
}

impl Patterns {
    /// The people a byline line names ("By Jane Doe and John Roe", "Penulis: A | Editor: B"
    /// gives its authors), when the line is one.
    pub(crate) fn byline_names(&self, line: &str) -> Option<Vec<String>> {
        let names = if let Some(c) = self.english_byline.captures(line) {
            c.name("names")?.as_str().to_string()
        } else {
            let c = self.byline.captures(line)?;
            let label = c.name("label").map(|m| m.as_str()).unwrap_or("");
            if label_field(label) != "authors" {
                return None;
            }
            c.name("names")?.as_str().split('|').next()?.to_string()
        };
        let mut list = Vec::new();
        push_names(&mut list, &names);
        (!list.is_empty()).then_some(list)
    }

    /// The language of a text as a two-letter code, when it is clear.
    pub(crate) fn language_of(&self, text: &str) -> Option<String> {
        detect_language(&self.languages, sample(text))
    }
}

/// Cleans one page. `Err` says why there is no article in it.
pub(crate) fn extract(
    text: &str,
    rules: &Rules,
    pats: &Patterns,
    hints: &Hints<'_>,
) -> Result<Article, String> {
    let profile: Option<&Outlet> = hints
        .outlet
        .and_then(|o| rules.outlet_named(o))
        .or_else(|| hints.url.and_then(|u| rules.outlet_for_url(u)))
        .or_else(|| rules.outlet_in_text(text));
    let mut a = Article {
        outlet: hints
            .outlet
            .map(str::to_string)
            .or_else(|| profile.map(|p| p.name.clone())),
        ..Article::default()
    };
    // The latest year the text names; when it names none, a year after today's tells the
    // inference to look back from today instead.
    let min_year = pats
        .dates
        .latest_year(text)
        .map(|y| y.min(hints.today.year()))
        .unwrap_or(hints.today.year() + 1);
    let page_language = profile
        .and_then(|p| p.language.clone())
        .or_else(|| detect_language(&pats.languages, sample(text)));
    // A time written without a zone on an Indonesian page is Jakarta time.
    let assume_zone = (page_language.as_deref() == Some("id"))
        .then(|| FixedOffset::east_opt(7 * 3600))
        .flatten();

    let mut begun = false;
    let mut stopped: Option<String> = None;
    let mut pending_label: Option<&'static str> = None;
    let mut candidates: Vec<(usize, String)> = Vec::new(); // (trail index, text)
    let mut first_field_at: Option<usize> = None; // trail index of the first field read
    let mut kept: Vec<(usize, String)> = Vec::new(); // (line, text)

    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let s = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if s.is_empty() {
            continue;
        }
        let step = |verdict: Verdict, rule: &str| Step {
            line: line_no,
            verdict,
            rule: rule.to_string(),
            text: s.to_string(),
        };
        if let Some(rule) = &stopped {
            a.trail
                .push(step(Verdict::Drop, &format!("{rule} (page footer)")));
            continue;
        }
        if let Some(field) = pending_label.take() {
            if pats.name_like.is_match(s)
                && s.split_whitespace().count() <= 8
                && !pats.byline.is_match(s)
            {
                push_names(field_list(&mut a, field), s);
                first_field_at.get_or_insert(a.trail.len());
                a.trail.push(step(Verdict::Field(field), "byline"));
                continue;
            }
        }
        let matched = profile
            .and_then(|p| p.rules.first_match(s))
            .or_else(|| rules.general.first_match(s));
        if let Some((name, action, re)) = matched {
            match action {
                Action::Drop => a.trail.push(step(Verdict::Drop, name)),
                Action::Stop => {
                    a.trail.push(step(Verdict::Drop, name));
                    if begun {
                        stopped = Some(name.to_string());
                    }
                }
                Action::Related => {
                    let end = re.find(s).map(|m| m.end()).unwrap_or(0);
                    match glued_text(&s[end..]) {
                        Some(at) => {
                            let keep = s[end + at..].to_string();
                            a.trail.push(Step {
                                text: s[..end + at].to_string(),
                                ..step(Verdict::Drop, name)
                            });
                            a.trail.push(Step {
                                text: keep.clone(),
                                ..step(Verdict::Keep, "text glued to a related link")
                            });
                            kept.push((line_no, keep));
                            begun = true;
                        }
                        None => a.trail.push(step(Verdict::Drop, name)),
                    }
                }
            }
            continue;
        }
        if let Some(field) = read_field(&mut a, pats, s, &mut pending_label) {
            first_field_at.get_or_insert(a.trail.len());
            a.trail.push(step(Verdict::Field(field.0), field.1));
            continue;
        }
        if a.date.is_none() || !begun {
            if let Some(stamp) = pats.dates.date_line(s, min_year, hints.today, assume_zone) {
                if a.date.is_none() {
                    a.date = Some(stamp);
                    first_field_at.get_or_insert(a.trail.len());
                    a.trail.push(step(Verdict::Field("date"), "date-line"));
                } else {
                    a.trail
                        .push(step(Verdict::Drop, "date-line (a second date: updated)"));
                }
                continue;
            }
        }
        if !begun && a.date.is_none() && s.len() <= 160 {
            // A byline and a date on one line: the date is the page's, the rest is chrome.
            if let Some(stamp) = pats
                .dates
                .dated_header(s, min_year, hints.today, assume_zone)
            {
                a.date = Some(stamp);
                first_field_at.get_or_insert(a.trail.len());
                a.trail
                    .push(step(Verdict::Field("date"), "date-in-header-line"));
                continue;
            }
        }
        if !begun {
            if !candidates.is_empty() && a.dateline.is_none() {
                if let Some(c) = pats.dateline_line.captures(s) {
                    if a.outlet.is_none() {
                        a.outlet = c.name("outlet").map(|m| match m.as_str() {
                            o if o.contains('.') => outlet_from_token(o),
                            o => o.to_string(),
                        });
                    }
                    a.dateline = c.name("place").map(|m| m.as_str().to_string());
                    first_field_at.get_or_insert(a.trail.len());
                    a.trail
                        .push(step(Verdict::Field("dateline"), "dateline-line"));
                    continue;
                }
            }
            if is_caption(pats, s) {
                if a.image_caption.is_none() {
                    a.image_caption = Some(s.to_string());
                    a.trail
                        .push(step(Verdict::Field("image_caption"), "photo-caption"));
                } else {
                    a.trail.push(step(Verdict::Drop, "photo-caption (another)"));
                }
                continue;
            }
            let words = s.split_whitespace().count();
            let dateline = pats.datelines.iter().any(|d| d.is_match(s));
            if dateline || (words >= 12 && !looks_like_title(s)) {
                begun = true;
            } else {
                candidates.push((a.trail.len(), s.to_string()));
                a.trail.push(step(Verdict::Drop, "page-header"));
                continue;
            }
        }
        kept.push((line_no, s.to_string()));
        a.trail.push(step(Verdict::Keep, "article text"));
    }
    if kept.is_empty() {
        return Err(
            "no article text found: every line is page chrome or metadata \
                    (run with --explain to see why each line was dropped)"
                .to_string(),
        );
    }

    choose_title(&mut a, &candidates, first_field_at);
    clean_paragraphs(&mut a, pats, kept);
    if a.paragraphs.is_empty() {
        return Err("no article text found after removing repeated and chrome lines".into());
    }
    if a.wire.is_empty() {
        let body = a.paragraphs.join("\n");
        for c in pats.attribution.captures_iter(&body) {
            if let Some(w) = c.name("wire").and_then(|m| wire_name(m.as_str())) {
                if a.outlet
                    .as_deref()
                    .is_none_or(|o| !o.eq_ignore_ascii_case(w))
                {
                    push_unique(&mut a.wire, w);
                }
            }
        }
    }
    if a.date.is_none() {
        // The page states no date. News writes when things happened early ("…, kata SVR,
        // Kamis (28/3)."): the first paragraph that names a date, and its latest date, is the
        // best reading of when the report was written.
        a.date = a.paragraphs.iter().find_map(|p| {
            pats.dates
                .find(p, min_year, hints.today)
                .into_iter()
                .map(|f| f.date)
                .filter(|d| *d <= hints.today)
                .max()
                .map(|date| Stamp { date, time: None })
        });
    }
    let body = a.paragraphs.join("\n");
    a.language = detect_language(&pats.languages, sample(&body)).or(page_language);
    if a.title.is_empty() {
        a.title = title_from_lead(&a.paragraphs[0]);
        a.title_generated = true;
    }
    Ok(a)
}

/// Reads a metadata line (source, wire credit, byline) into `a`: the field and the rule.
fn read_field(
    a: &mut Article,
    pats: &Patterns,
    s: &str,
    pending_label: &mut Option<&'static str>,
) -> Option<(&'static str, &'static str)> {
    if let Some(c) = pats.source_line.captures(s) {
        let rest = c.name("rest").map(|m| m.as_str()).unwrap_or("");
        let mut any = false;
        for (i, part) in rest.split('|').enumerate() {
            let part = part.trim();
            if let Some(b) = pats.byline.captures(part) {
                let field = label_field(b.name("label").map(|m| m.as_str()).unwrap_or(""));
                if let Some(n) = b.name("names") {
                    push_names(field_list(a, field), n.as_str());
                    any = true;
                }
            } else if i == 0 {
                for w in part.split([',', '/', '&']) {
                    let w = w.trim();
                    if !w.is_empty() {
                        push_unique(&mut a.wire, wire_name(w).unwrap_or(w));
                        any = true;
                    }
                }
            }
        }
        return any.then_some(("wire", "source-line"));
    }
    if pats.wire_line.is_match(s) {
        for w in s.split(['|', '/', ',', '&']) {
            for w in w.split(" dan ").flat_map(|w| w.split(" and ")) {
                if let Some(name) = wire_name(w) {
                    push_unique(&mut a.wire, name);
                }
            }
        }
        return Some(("wire", "wire-credit"));
    }
    if pats.agency_credit.is_match(s) {
        // "Reporting by Hyonhee Shin; Editing by Ed Davies"
        for part in s.trim_matches(|c| c == '(' || c == ')').split(';') {
            let lower = part.trim().to_lowercase();
            let field = if lower.starts_with("editing") {
                "editors"
            } else {
                "authors"
            };
            if let Some((_, names)) = part.split_once(" by ") {
                let names = names.split(" in ").next().unwrap_or(names);
                push_names(field_list(a, field), names);
            }
        }
        return Some(("authors", "agency-credit"));
    }
    if let Some(c) = pats.byline.captures(s) {
        let label = c.name("label").map(|m| m.as_str()).unwrap_or("");
        let field = label_field(label);
        match c.name("names").map(|m| m.as_str().trim()) {
            None | Some("") => {
                *pending_label = Some(field);
                return Some((field, "byline-label"));
            }
            Some(_) => {
                // "Penulis: A | Editor: B"
                for part in s.split('|') {
                    if let Some(b) = pats.byline.captures(part.trim()) {
                        let f = label_field(b.name("label").map(|m| m.as_str()).unwrap_or(""));
                        if let Some(n) = b.name("names") {
                            push_names(field_list(a, f), n.as_str());
                        }
                    }
                }
                return Some((field, "byline"));
            }
        }
    }
    if let Some(c) = pats.english_byline.captures(s) {
        if let Some(n) = c.name("names") {
            push_names(&mut a.authors, n.as_str());
            return Some(("authors", "byline"));
        }
    }
    None
}

fn label_field(label: &str) -> &'static str {
    match label.to_lowercase().as_str() {
        "editor" | "redaktur" | "penyunting" | "edited by" => "editors",
        _ => "authors",
    }
}

fn field_list<'a>(a: &'a mut Article, field: &str) -> &'a mut Vec<String> {
    if field == "editors" {
        &mut a.editors
    } else {
        &mut a.authors
    }
}

fn push_unique(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|x| x.eq_ignore_ascii_case(item)) {
        list.push(item.to_string());
    }
}

/// Names separated by commas, "dan", "and", "&" or "|".
fn push_names(list: &mut Vec<String>, names: &str) {
    for n in names
        .split([',', '&', '|', ';'])
        .flat_map(|n| n.split(" dan "))
        .flat_map(|n| n.split(" and "))
    {
        let n = n.trim().trim_end_matches('.').trim();
        if !n.is_empty() {
            push_unique(list, n);
        }
    }
}

/// Where article text starts in what follows a related link glued to it without a space
/// ("…Rusia-KorutPutin memperdalam hubungan…"): at a lower-to-upper case step followed by at
/// least eight words.
fn glued_text(after: &str) -> Option<usize> {
    let mut prev: Option<char> = None;
    for (i, c) in after.char_indices() {
        if let Some(p) = prev {
            if (p.is_lowercase() || p.is_ascii_digit() || matches!(p, '"' | '”' | ')' | '?' | '!'))
                && c.is_uppercase()
                && after[i..].split_whitespace().count() >= 8
                && after[..i].split_whitespace().count() <= 20
            {
                return Some(i);
            }
        }
        prev = Some(c);
    }
    None
}

fn is_caption(pats: &Patterns, s: &str) -> bool {
    if pats.caption_start.is_match(s) {
        return true;
    }
    // A photo credit ("TASS/Dennis Grombkowski/Getty Images", "via REUTERS") at the end.
    let tail_start = s.char_indices().rev().nth(80).map(|(i, _)| i).unwrap_or(0);
    pats.caption_credit.is_match(&s[tail_start..])
}

/// A line that reads like a headline rather than a paragraph: no full stop at its end and
/// mostly capitalised words.
fn looks_like_title(s: &str) -> bool {
    if s.ends_with('.') || s.ends_with('"') || s.ends_with('”') || s.len() > 250 {
        return false;
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    let capitalised = words
        .iter()
        .filter(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        })
        .count();
    words.len() <= 25 && capitalised * 2 >= words.len()
}

/// The title among the header lines: one the page repeats, else the last one before the first
/// byline or date, else the last one before the article.
fn choose_title(a: &mut Article, candidates: &[(usize, String)], first_field_at: Option<usize>) {
    let titled: Vec<&(usize, String)> = candidates
        .iter()
        .filter(|(_, t)| {
            let n = t.split_whitespace().count();
            (2..=30).contains(&n) && t.len() <= 250
        })
        .collect();
    let repeated = titled
        .iter()
        .find(|(i, t)| titled.iter().any(|(j, u)| j != i && u == t));
    let before_fields = first_field_at.and_then(|f| titled.iter().rev().find(|(i, _)| *i < f));
    let Some((at, title)) = repeated
        .or(before_fields)
        .or_else(|| titled.last())
        .map(|c| (*c).clone())
    else {
        return;
    };
    for (i, t) in candidates {
        let step = &mut a.trail[*i];
        if *i == at {
            step.verdict = Verdict::Field("title");
            step.rule = "title".into();
        } else if *t == title {
            step.rule = "repeated-title".into();
        }
    }
    a.title = title;
}

/// Datelines, editors' signatures and repeated paragraphs out of the kept lines.
pub(crate) fn clean_paragraphs(a: &mut Article, pats: &Patterns, kept: Vec<(usize, String)>) {
    let title_key = tokens_key(&a.title);
    // Lines that rules dropped, such as "view larger image <caption>": a paragraph repeating
    // one of them is the same chrome again.
    let dropped: Vec<String> = a
        .trail
        .iter()
        .filter(|s| s.verdict == Verdict::Drop && !s.rule.ends_with("(page footer)"))
        .map(|s| tokens_key(&s.text))
        .filter(|k| k.len() >= 40)
        .collect();
    let mut keys: Vec<String> = Vec::new();
    let mut dateline_done = false;
    for (n, (line, mut text)) in kept.into_iter().enumerate() {
        if n < 2 && a.dateline.is_none() && !dateline_done {
            if let Some(c) = pats.datelines.iter().find_map(|d| d.captures(&text)) {
                let rest = c.name("rest").map(|m| m.as_str()).unwrap_or("");
                if rest.split_whitespace().count() >= 8 {
                    a.dateline = c.name("place").map(|m| m.as_str().trim().to_string());
                    dateline_done = true;
                    if let Some(o) = c.name("outlet") {
                        if a.outlet.is_none() {
                            a.outlet = Some(outlet_from_token(o.as_str()));
                        }
                    }
                    if let Some(w) = c.name("wire") {
                        let w = w.as_str();
                        match wire_name(w) {
                            Some(name)
                                if a.outlet
                                    .as_deref()
                                    .is_none_or(|o| !o.eq_ignore_ascii_case(name)) =>
                            {
                                push_unique(&mut a.wire, name)
                            }
                            None if a.outlet.is_none() => a.outlet = Some(w.to_string()),
                            _ => {}
                        }
                    }
                    let prefix_len = text.len() - rest.len();
                    a.trail.push(Step {
                        line,
                        verdict: Verdict::Field("dateline"),
                        rule: "dateline".into(),
                        text: text[..prefix_len].trim().to_string(),
                    });
                    text = rest.to_string();
                }
            }
        }
        if let Some(m) = pats.signature.find(&text) {
            a.trail.push(Step {
                line,
                verdict: Verdict::Drop,
                rule: "editors-signature".into(),
                text: m.as_str().trim().to_string(),
            });
            text.truncate(m.start());
        }
        let key = tokens_key(&text);
        if key.is_empty() {
            continue;
        }
        let repeat = if key == title_key {
            Some("repeated-title")
        } else if key.len() >= 40 && dropped.iter().any(|d| d.contains(key.as_str())) {
            Some("repeated-chrome")
        } else if keys.iter().any(|k| near_repeat(k, &key)) {
            Some("repeated-paragraph")
        } else {
            None
        };
        if let Some(rule) = repeat {
            if let Some(step) = a
                .trail
                .iter_mut()
                .find(|s| s.line == line && s.verdict == Verdict::Keep)
            {
                step.verdict = Verdict::Drop;
                step.rule = rule.into();
            }
            continue;
        }
        keys.push(key);
        a.paragraphs.push(text);
    }
}

/// The paragraph's words, lower-cased, joined by single spaces: what "the same text" means.
pub(crate) fn tokens_key(s: &str) -> String {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The same paragraph again, perhaps cut short or with a word added at the end.
fn near_repeat(earlier: &str, later: &str) -> bool {
    if earlier == later {
        return true;
    }
    let (short, long) = if earlier.len() < later.len() {
        (earlier, later)
    } else {
        (later, earlier)
    };
    short.len() >= 80 && long.starts_with(short) && short.len() * 10 >= long.len() * 9
}

/// "KOMPAS.com" → "Kompas", "Liputan6.com" → "Liputan6", "TEMPO.CO" → "Tempo".
fn outlet_from_token(token: &str) -> String {
    let base = token.split('.').next().unwrap_or(token);
    if base.chars().all(|c| !c.is_lowercase()) {
        let mut chars = base.chars();
        match chars.next() {
            Some(f) => f
                .to_uppercase()
                .chain(chars.flat_map(char::to_lowercase))
                .collect(),
            None => token.to_string(),
        }
    } else {
        base.to_string()
    }
}

/// A faithful title from the lead: its first clause, at most twelve words.
pub(crate) fn title_from_lead(lead: &str) -> String {
    // The first sentence: up to a full stop that ends a word longer than an initial or a
    // short abbreviation ("N. Korea", "Dr.").
    let mut end = lead.len();
    for (i, c) in lead.char_indices() {
        if matches!(c, '.' | '!' | '?') {
            let word = lead[..i].rsplit(char::is_whitespace).next().unwrap_or("");
            let next_is_space = lead[i + c.len_utf8()..].starts_with(char::is_whitespace);
            if (c != '.' || word.chars().count() > 2) && (next_is_space || i + 1 >= lead.len()) {
                end = i;
                break;
            }
        }
    }
    let first_sentence = &lead[..end];
    // The first clause, or more of the sentence when it is too short to say anything
    // ("Presiden Rusia, Vladimir Putin telah tiba…").
    let mut clause_end = 0;
    for (i, c) in first_sentence.char_indices() {
        if matches!(c, ',' | ';' | ':' | '“' | '"')
            && first_sentence[..i].split_whitespace().count() >= 5
        {
            clause_end = i;
            break;
        }
    }
    let clause = if clause_end > 0 {
        &first_sentence[..clause_end]
    } else {
        first_sentence
    };
    let mut words: Vec<&str> = clause
        .split_whitespace()
        .map(|w| w.trim_end_matches(','))
        .take(12)
        .collect();
    const WEAK_ENDINGS: &[&str] = &[
        "di", "ke", "dari", "dan", "yang", "untuk", "pada", "dengan", "atau", "the", "of", "to",
        "and", "in", "on", "a", "an", "for", "with", "at", "by",
    ];
    while words.len() > 4
        && words
            .last()
            .is_some_and(|w| WEAK_ENDINGS.contains(&w.to_lowercase().as_str()))
    {
        words.pop();
    }
    let t = words.join(" ");
    let t = t.trim_end_matches(['.', ',', ';', ':', '!', '?']);
    let mut chars = t.chars();
    match chars.next() {
        Some(f) => f.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Enough of a text to tell its language: detection time grows with the text.
fn sample(text: &str) -> &str {
    let mut end = text.len().min(2000);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The language of a text as a two-letter code, when it is clear.
fn detect_language(detector: &whatlang::Detector, text: &str) -> Option<String> {
    let info = detector.detect(text)?;
    let code = match info.lang() {
        whatlang::Lang::Ind => "id",
        whatlang::Lang::Eng => "en",
        whatlang::Lang::Rus => "ru",
        whatlang::Lang::Kor => "ko",
        whatlang::Lang::Jpn => "ja",
        whatlang::Lang::Cmn => "zh",
        whatlang::Lang::Fra => "fr",
        whatlang::Lang::Deu => "de",
        whatlang::Lang::Spa => "es",
        whatlang::Lang::Nld => "nl",
        whatlang::Lang::Ukr => "uk",
        _ => return None,
    };
    Some(code.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glued_related_links_keep_the_article_text() {
        let after = " Anggota DK PBB Kecam Kerja Sama Militer Rusia-KorutPutin memperdalam hubungan dengan Korea Utara sejak invasi terhadap Ukraina pada tahun 2022.";
        let at = glued_text(after).unwrap();
        assert!(after[at..].starts_with("Putin memperdalam"));
        assert_eq!(
            glued_text(" Rusia Ragu ISIS yang Bertanggung jawab atas Serangan"),
            None
        );
    }

    #[test]
    fn titles_from_leads() {
        let check = |lead: &str, expected: &str| assert_eq!(title_from_lead(lead), expected);
        check(
            "Presiden Rusia, Vladimir Putin telah tiba di Korea Utara untuk menghadiri pertemuan dengan Kim Jong Un.",
            "Presiden Rusia Vladimir Putin telah tiba di Korea Utara untuk menghadiri pertemuan",
        );
        check(
            "Kepala dinas intelijen asing Rusia melakukan kunjungan ke Korea Utara pekan ini untuk memperdalam kerja sama bilateral.",
            "Kepala dinas intelijen asing Rusia melakukan kunjungan ke Korea Utara pekan ini",
        );
        check(
            "Russian President Vladimir Putin arrived in Pyongyang, state media said.",
            "Russian President Vladimir Putin arrived in Pyongyang",
        );
        check(
            "Russian FM arrives in N. Korea for talks with counterpart: reports",
            "Russian FM arrives in N. Korea for talks with counterpart",
        );
    }

    #[test]
    fn outlets_from_dateline_tokens() {
        assert_eq!(outlet_from_token("KOMPAS.com"), "Kompas");
        assert_eq!(outlet_from_token("Liputan6.com"), "Liputan6");
        assert_eq!(outlet_from_token("TEMPO.CO"), "Tempo");
    }

    #[test]
    fn near_repeats() {
        let a = tokens_key("Pemimpin Agen Rahasia Moskow dikabarkan mengunjungi Pyongyang, Korea Utara (Korut) awal pekan ini. Kepala dinas intelijen luar negeri Rusia.");
        let b = tokens_key("Pemimpin Agen Rahasia Moskow dikabarkan mengunjungi Pyongyang, Korea Utara (Korut) awal pekan ini. Kepala dinas intelijen luar negeri Rusia");
        assert!(near_repeat(&a, &b));
        assert!(!near_repeat(
            "short text",
            "short text and much more that follows here"
        ));
    }
}
