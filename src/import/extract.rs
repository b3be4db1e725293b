//! The editor's work on one page: which lines are the article, which are chrome, and what the
//! chrome says about the article (title, date, outlet, wire, bylines, dateline, caption).
//!
//! The page is read line by line, top to bottom, in two regions: the header (before the first
//! paragraph of prose) holds the title, bylines, date and photo caption; from the first
//! paragraph on, everything is article text unless a named rule says otherwise. Every decision
//! is recorded with the rule that made it, for `import --explain`, and where each field came
//! from (the page, its address, the command line) is recorded too.
//!
//! A date is taken from every place a careful reader looks, most trusted first: `--date`, a
//! stamp in the page's header, the address's path, the line the page store adds, a stamp in the
//! footer, the dateline, the first paragraph that names a date; a candidate that disagrees
//! with the address or the store line by more than a year is passed over. The outlet: `--outlet`,
//! the address (outlet table and profiles), the page's name for itself, its markers, the host.

use chrono::{Datelike, FixedOffset, NaiveDate};
use regex::Regex;

use super::address;
use super::dates::{DatePatterns, Stamp, Years};
use super::rules::{Action, Outlet, Rules};
use super::titles;

/// What the command line tells import about a page.
#[derive(Clone, Copy)]
pub(crate) struct Hints<'a> {
    pub(crate) outlet: Option<&'a str>,
    pub(crate) url: Option<&'a str>,
    /// The date given on the command line (`--date`): it wins over anything the page says.
    pub(crate) date: Option<NaiveDate>,
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
    /// Where each front matter field came from, for `--explain`: (field, how).
    pub(crate) sources: Vec<(&'static str, String)>,
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
    ("aa", "Anadolu"),
    ("anadolu agency", "Anadolu"),
    ("ians", "IANS"),
    ("pti", "PTI"),
    ("ani", "ANI"),
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
    pub(crate) name_like: Regex,
    languages: whatlang::Detector,
    store_line: Regex,
    dateline_alone: Regex,
    dateline_day: Regex,
    place_outlet: Regex,
    source_bare: Regex,
    glued_byline: Regex,
    label_start: Regex,
    credit_line: Regex,
    sign_off: Regex,
    wire_sign_off: Regex,
    republished: Regex,
    copyright_name: Regex,
    byline_outlet: Regex,
    published_as: Regex,
    dated_nearby: Regex,
}

impl Patterns {
    pub(crate) fn new() -> Patterns {
        let re = |s: &str| Regex::new(s).expect("built-in import pattern");
        let wires = "Reuters|REUTERS|AFP|AP|Associated Press|TASS|ITAR-TASS|Xinhua|XINHUA|Yonhap|YONHAP|Kyodo|Sputnik|RIA Novosti|Interfax|Bloomberg|Anadolu|EFE|Bernama|Antara|ANTARA";
        Patterns {
            dates: DatePatterns::new(),
            datelines: dateline_patterns(),
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
                r"(?i)^(?P<label>reporter|wartawan|penulis naskah|penulis|pewarta|kontributor|laporan|tim redaksi|oleh|writer|author|written by|editor|redaktur|penyunting|edited by)\s*(?::\s*(?P<names>.*)|$)",
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
            signature: re(r"\s*(?:[\[(](?:[a-z]{1,5}/)+[a-z]{1,5}[\])]|\([a-z]{2,3}\))\s*$"),
            attribution: re(&format!(
                r"\b(?:dilaporkan|dilansir(?:\s+dari)?|melansir|mengutip|dikutip\s+dari|reported\s+by)\s+(?:kantor\s+berita\s+)?(?P<wire>{wires})\b"
            )),
            // What a store that saved the page puts first: " date 2024-06-19 ".
            store_line: re(r"^\s*date (\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:\s+|$)"),
            // "Jakarta –" or "Jakarta, CNN Indonesia --" on a line of its own.
            dateline_alone: re(
                r"^(?P<place>\p{Lu}[\p{L}]+(?:\s\p{Lu}[\p{L}]+)?)(?:,\s*(?P<outlet>[\p{L}\d.]+(?:\s[\p{L}\d.]+){0,2}))?\s*[-–—]{1,2}$",
            ),
            // "Moscow/Seoul, June 17" on a line of its own: a dateline with its day.
            dateline_day: re(
                r"^(?P<place>\p{Lu}[\p{L}]+(?:[ /]\p{Lu}[\p{L}]+){0,3}),\s*(?P<month>\p{Lu}\p{Ll}{2,8})\.?\s+(?P<day>\d{1,2})$",
            ),
            // "JAKARTA | RMN Indonesia"
            place_outlet: re(
                r"^(?P<place>\p{Lu}{3,}(?:\s\p{Lu}{3,})?)\s*\|\s*(?P<outlet>\p{Lu}[\p{L}\d .]{1,30})$",
            ),
            source_bare: re(&format!(r"(?i)^(?:sumber|source)\s+(?P<wire>{wires})$")),
            // "EditorArdi Priyatno Utomo"
            glued_byline: re(
                r"^(?P<label>Editor|Penulis|Reporter|Pewarta|Redaktur)(?P<names>\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+){1,3})$",
            ),
            // Where the next label starts in "Editor : A  Reporter : B".
            label_start: re(
                r"(?i)\b(?:reporter|wartawan|penulis naskah|penulis|pewarta|kontributor|laporan|writer|author|editor|redaktur|penyunting)\s*:",
            ),
            // "Rita Uli Hutapea - detikNews", "Susi Susanti , Jurnalis", "Investment - Putu A, CNBC Indonesia"
            credit_line: re(
                r"^(?:\p{Lu}[\p{L}]+\s+[-–—]\s+)?(?P<names>\p{Lu}[\p{L}.'-]*(?:\s+\p{Lu}[\p{L}.'-]*){1,3})\s*(?:,|[-–—|])\s*(?P<who>[\p{L}\d][\p{L}\d .]{1,30}?)\s*[-–—|,]?\s*$",
            ),
            // "(Susi Susanti)", "(Tribunnews.com/ Namira Yunia)" closing an article.
            sign_off: re(
                r"^\((?:(?P<outlet>[\w.-]+\.[A-Za-z]{2,})\s*/\s*)?(?P<names>\p{Lu}[\p{L}.'-]*(?:\s+\p{Lu}[\p{L}.'-]*){1,3})\)$",
            ),
            // "… not previously been announced. — Reuters"
            wire_sign_off: re(&format!(r"(?:^|\s)(?:[—–]|--?)\s*(?P<wire>{wires})\.?$")),
            republished: re(r"(?i)^republished by\s+(?P<name>\p{Lu}[\p{L}\d .']{1,40})$"),
            copyright_name: re(
                r"(?i)^(?:©|\(c\)|copyright|hak cipta)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?P<name>[^.|,©\d][^.|,©]{1,40})",
            ),
            // "By Jemma Crew, BBC News"
            byline_outlet: re(r"(?i)^by\s+(?P<names>[^,]{3,40}),\s*(?P<outlet>[\p{L}\d .]{2,30})$"),
            // "Berita ini telah tayang di Antaranews.com dengan judul: …"
            published_as: re(
                r"(?i)^(?:berita|artikel) ini (?:telah )?(?:tayang|terbit|dimuat|ditayangkan) di (?P<outlet>\S+?)\s+dengan judul\s*:?\s*(?P<title>.+?)\s*$",
            ),
            // A date right after an attribution: "dilansir AFP, Kamis (28/3/2024)".
            dated_nearby: re(
                r"^[\s,]*(?:\p{L}+,?\s*)?(?:\(\d{1,2}/\d{1,2}|\d{1,2}\s+\p{L}+\s+\d{4})",
            ),
            languages: likely_languages(),
            name_like: re(
                r"^\p{Lu}[\p{L}.'-]*(?:(?:\s+|\s*,\s*|\s*&\s*|\s*\|\s*|\s+dan\s+|\s+and\s+)(?:\p{Lu}[\p{L}.'-]*|bin|binti|van|de|al|el))*\.?$",
            ),
        }
    }
}

/// A dateline opening a paragraph, in each form pages write it: what precedes `rest`.
fn dateline_patterns() -> Vec<Regex> {
    let re = |s: &str| Regex::new(s).expect("built-in import pattern");
    vec![
        // KONTAN.CO.ID - MOSKOW/SEOUL. Dinas …
        re(
            r"^(?P<outlet>[A-Za-z0-9-]+(?:\.[A-Za-z]{2,})+)\s*[-–—]{1,2}\s*(?P<place>\p{Lu}[\p{L}]*(?:[ /]\p{Lu}[\p{L}]*){0,3})\s*\.\s+(?P<rest>.+)$",
        ),
        // TEMPO.CO, Jakarta - Rusia …   REPUBLIKA.CO.ID, JAKARTA -- …
        re(
            r"^(?P<outlet>[A-Za-z0-9-]+(?:\.[A-Za-z]{2,})+),\s*(?P<place>\p{Lu}[\p{L}]*(?:[ /]\p{Lu}[\p{L}]*){0,3})\s*[-–—]{1,2}\s*(?P<rest>\p{Lu}.+)$",
        ),
        // JAKARTA, KOMPAS.com - …   Jakarta, CNN Indonesia -- …   SEOUL, SATUHARAPAN.COM-Beberapa …
        // (a word that is no outlet the importer knows leaves the place alone: "PADANG, METRO–")
        re(
            r"^(?P<place>\p{Lu}[\p{L}]*(?:[ /]\p{Lu}[\p{L}]*){0,3}),\s*(?P<outlet>[A-Za-z0-9-]+(?:\.[A-Za-z]{2,})+|\p{Lu}[\p{L}\d]*(?:\s\p{Lu}[\p{L}\d]*){0,2})\s*[-–—]{1,2}\s*(?P<rest>\p{Lu}.+)$",
        ),
        // TRIBUNNEWS.COM - Presiden …   (the outlet alone)
        re(r"^(?P<outlet>[A-Za-z0-9-]+(?:\.[A-Za-z]{2,})+)\s*[-–—]{1,2}\s+(?P<rest>\p{Lu}.+)$"),
        // MOSCOW (Reuters) - …   SEOUL, June 19 (Reuters) - …   Seoul, June 19 (IANS) Russian …
        re(
            r"^(?P<place>\p{Lu}[\p{L}]*(?:[ /]\p{Lu}[\p{L}]*){0,3})(?:,\s*(?P<month>\p{Lu}[\p{L}]{2,8})\.?\s+(?P<day>\d{1,2}))?\s*\((?P<wire>[A-Z][A-Za-z .-]{1,20})\)\s*(?:[-–—]{1,2}\s*|\s)(?P<rest>.+)$",
        ),
        // MOSCOW, October 30. /TASS/. North Korean …
        re(
            r"^(?P<place>\p{Lu}[\p{L}]+(?:[ /-]\p{Lu}[\p{L}]+){0,2}),\s*(?P<month>\p{Lu}\p{L}{2,8})\.?\s+(?P<day>\d{1,2})\.?\s*/(?P<wire>[A-Za-z]{2,12})/\.?\s*(?P<rest>.+)$",
        ),
        // SEOUL — …   SEOUL, RABU — …
        re(
            r"^(?P<place>\p{Lu}{3,}(?:[ /]\p{Lu}{2,}){0,3})(?:,\s*\p{Lu}{3,})?(?:\s+[-–—]{1,2}\s*|[-–—]{1,2}\s+)(?P<rest>\p{Lu}.+)$",
        ),
        // Jakarta - …
        re(r"^(?P<place>\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)?)\s+[-–—]\s+(?P<rest>.+)$"),
    ]
}

/// Only the languages a dossier is likely to hold: detection compares the text with each
/// candidate's trigrams, so fewer candidates is faster and less often wrong.
fn likely_languages() -> whatlang::Detector {
    whatlang::Detector::with_allowlist(vec![
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
    ])
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
        let mut credited = Article::default();
        push_names(&mut credited, "authors", &names);
        (!credited.authors.is_empty()).then_some(credited.authors)
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
    // A saved page's address written above its text ("URL: https://…", as clippers and page
    // stores write it) is the page's address, unless the command line gives one: its host
    // names the outlet, its path may hold the date and the headline's words. The line itself
    // is not text; it is blanked, so that line numbers in `--explain` stay the file's.
    let stated = stated_address(text);
    let text = stated.map_or(text, |(_, rest)| rest);
    let hints = &Hints {
        url: hints.url.or(stated.map(|(url, _)| url)),
        ..*hints
    };
    let profile: Option<&Outlet> = hints
        .outlet
        .and_then(|o| rules.outlet_named(o))
        .or_else(|| hints.url.and_then(|u| rules.outlet_for_url(u)))
        .or_else(|| rules.outlet_in_text(text));
    let mut a = Article::default();
    outlet_from_hints(&mut a, rules, hints);
    let host = hints.url.and_then(address::host);
    // The page's own name for itself is checked against its host: "Bujurnews –" on bujurnews.com.
    let host_key = host
        .as_deref()
        .map(|h| name_key(address::registered(h).split('.').next().unwrap_or("")))
        .unwrap_or_default();
    let own_name = |token: &str| -> Option<String> {
        let token = token.trim().trim_end_matches([',', '.', ':']);
        rules
            .known_outlet(token)
            .or_else(|| token.contains('.').then(|| outlet_from_token(token)))
            .or_else(|| {
                (!host_key.is_empty() && name_key(token) == host_key).then(|| token.to_string())
            })
    };
    let dates = DateEvidence::read(pats, text, hints);
    let page_language = profile
        .and_then(|p| p.language.clone())
        .or_else(|| detect_language(&pats.languages, sample(text)));
    // A time written without a zone on an Indonesian page is Jakarta time.
    let assume_zone = (page_language.as_deref() == Some("id"))
        .then(|| FixedOffset::east_opt(7 * 3600))
        .flatten();
    let mut reader = Reader {
        rules,
        pats,
        hints,
        profile,
        own_name: &own_name,
        dates,
        assume_zone,
        slug: hints.url.and_then(address::slug_words),
        a,
        begun: false,
        stopped: None,
        pending_label: None,
        candidates: Vec::new(),
        first_field_at: None,
        kept: Vec::new(),
        header_stamp: None,
        footer_stamp: None,
        stated_title: None,
        header_day: None,
        self_name: None,
    };
    reader.read_lines(text);
    let mut a = reader.finish(text, host.as_deref(), page_language)?;
    if let Some((url, _)) = stated {
        a.url = Some(url.to_string());
        a.sources.push(("url", "the page's `URL:` line".into()));
    }
    Ok(a)
}

/// The address a `URL: https://…` first line states, and the text from that line's end (its
/// newline kept, so the text's lines keep their numbers).
fn stated_address(text: &str) -> Option<(&str, &str)> {
    let body = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let label = body.get(..4)?;
    if !label.eq_ignore_ascii_case("url:") {
        return None;
    }
    let line_end = body.find('\n').unwrap_or(body.len());
    let url = body[4..line_end].trim();
    let scheme_ok = ["http://", "https://"].iter().any(|s| {
        url.get(..s.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(s))
    });
    if !scheme_ok || url.contains(char::is_whitespace) || address::host(url).is_none() {
        return None;
    }
    let rest_at = text.len() - body.len() + line_end;
    Some((url, &text[rest_at..]))
}

/// The outlet the command line gives (`--outlet`), or the address's in the outlet table.
fn outlet_from_hints(a: &mut Article, rules: &Rules, hints: &Hints<'_>) {
    if let Some(o) = hints.outlet {
        a.outlet = Some(o.to_string());
        a.sources.push(("outlet", "given with --outlet".into()));
    } else if let Some((name, host)) = hints.url.and_then(|u| rules.outlet_name_for_url(u)) {
        a.outlet = Some(name);
        a.sources.push((
            "outlet",
            format!("the address: `{host}` in the outlet table"),
        ));
    }
}

/// What is known of the date before the lines are read: the line a page store puts first, the
/// address's path, and the years a date written without one falls in.
#[derive(Clone, Copy)]
struct DateEvidence {
    /// Where the store line's date ends in the text (0 when there is none).
    store_prefix: usize,
    store_date: Option<NaiveDate>,
    url_date: Option<NaiveDate>,
    /// The year and month the address or the store line state.
    evidence: Option<(i32, u32)>,
    years: Years,
    stamp_years: Years,
}

impl DateEvidence {
    fn read(pats: &Patterns, text: &str, hints: &Hints<'_>) -> DateEvidence {
        // The line a page store puts first (" date 2024-06-19 "): evidence of the date, not text.
        let mut store: Option<(i32, Option<u32>, Option<u32>)> = None;
        let mut store_prefix = 0;
        let line_start = |from: usize| {
            let at = from + (text[from..].len() - text[from..].trim_start().len());
            text[..at].rfind('\n').map_or(0, |i| i + 1).max(from)
        };
        let mut first_line_start = line_start(0);
        // A saved page's address written above it ("URL: https://…") comes before the store's
        // line: the line after it is the first.
        let first = &text[first_line_start..];
        if first
            .get(..4)
            .is_some_and(|w| w.eq_ignore_ascii_case("url:"))
        {
            if let Some(nl) = first.find('\n') {
                first_line_start = line_start(first_line_start + nl + 1);
            }
        }
        if let Some(c) = pats.store_line.captures(&text[first_line_start..]) {
            let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
            if let Some(y) = num(1).and_then(|y| i32::try_from(y).ok()) {
                store = Some((y, num(2), num(3)));
                store_prefix = first_line_start + c.get(0).map_or(0, |m| m.end());
            }
        }
        let store_date = store.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m?, d?));
        let url_date = hints.url.and_then(address::date_in_url);
        let evidence: Option<(i32, u32)> = url_date
            .map(|d| (d.year(), d.month()))
            .or(store.and_then(|(y, m, _)| m.map(|m| (y, m))))
            .or(store.map(|(y, _, _)| (y, 6)));
        // The latest year the text (or the address, or the store) names; when none names one, a
        // year after today's tells the inference to look back from today instead.
        let min_year = url_date
            .map(|d| d.year())
            .or(store.map(|(y, _, _)| y))
            .or_else(|| pats.dates.latest_year(head_of(text, DATE_SCAN)))
            .map(|y| y.min(hints.today.year()))
            .unwrap_or(hints.today.year() + 1);
        DateEvidence {
            store_prefix,
            store_date,
            url_date,
            evidence,
            years: Years::from(min_year),
            stamp_years: Years {
                min: min_year,
                floor: pats.dates.latest_month(head_of(text, DATE_SCAN)),
            },
        }
    }

    /// A date far from what the address or the store line say is some other article's.
    fn agrees(&self, d: NaiveDate) -> bool {
        match self.evidence {
            None => true,
            Some((y, m)) => {
                let months = (d.year() - y) * 12 + d.month() as i32 - m as i32;
                months.abs() <= 12
            }
        }
    }
}

/// One page read top to bottom: what its lines have said so far.
struct Reader<'a> {
    rules: &'a Rules,
    pats: &'a Patterns,
    hints: &'a Hints<'a>,
    profile: Option<&'a Outlet>,
    /// The page's name for itself, when a token is one (an outlet known, or the host's name).
    own_name: &'a dyn Fn(&str) -> Option<String>,
    dates: DateEvidence,
    assume_zone: Option<FixedOffset>,
    slug: Option<Vec<String>>,
    a: Article,
    /// Whether the article has begun (the first paragraph of prose was read).
    begun: bool,
    /// The rule that ended the article: every line after it is the page's footer.
    stopped: Option<String>,
    pending_label: Option<(&'static str, usize)>, // (field, trail index)
    candidates: Vec<(usize, String)>,             // (trail index, text)
    first_field_at: Option<usize>,                // trail index of the first field read
    kept: Vec<(usize, String)>,                   // (line, text)
    header_stamp: Option<(Stamp, String)>,
    footer_stamp: Option<(Stamp, String)>,
    stated_title: Option<String>,
    header_day: Option<(String, u32)>,
    self_name: Option<(String, String)>, // (name, how)
}

/// The decision `verdict` by `rule` about line `line`, whose text is `s`.
fn step(line: usize, s: &str, verdict: Verdict, rule: &str) -> Step {
    Step {
        line,
        verdict,
        rule: rule.to_string(),
        text: s.to_string(),
    }
}

impl Reader<'_> {
    fn push(&mut self, line: usize, s: &str, verdict: Verdict, rule: &str) {
        self.a.trail.push(step(line, s, verdict, rule));
    }

    /// A line read into `field`, noting where the first field was read (the title is before).
    fn field(&mut self, line: usize, s: &str, field: &'static str, rule: &str) {
        self.first_field_at.get_or_insert(self.a.trail.len());
        self.push(line, s, Verdict::Field(field), rule);
    }

    /// Every line, the store line's date taken off the first.
    fn read_lines(&mut self, text: &str) {
        let mut offset = 0;
        for (i, raw) in text.split('\n').enumerate() {
            let line_start = offset;
            offset += raw.len() + 1;
            let line_no = i + 1;
            let prefix = self.dates.store_prefix;
            let raw = if prefix > line_start && prefix <= line_start + raw.len() {
                self.a.trail.push(Step {
                    line: line_no,
                    verdict: Verdict::Field("date"),
                    rule: "store-line".into(),
                    text: raw[..prefix - line_start].trim().to_string(),
                });
                &raw[prefix - line_start..]
            } else {
                raw
            };
            let s = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
            if !s.is_empty() {
                self.read_line(line_no, s);
            }
        }
        if let Some((field, label_at)) = self.pending_label.take() {
            names_before_label(
                &mut self.a,
                self.pats,
                &mut self.candidates,
                field,
                label_at,
            );
        }
    }

    /// One line that is not blank: chrome, a field, a header line, or article text.
    fn read_line(&mut self, line_no: usize, s: &str) {
        if let Some(rule) = &self.stopped {
            let rule = format!("{rule} (page footer)");
            self.push(line_no, s, Verdict::Drop, &rule);
            return;
        }
        if let Some((field, label_at)) = self.pending_label.take() {
            if self.names_after_label(line_no, s, field) {
                return;
            }
            // "Aditya Jaya Iswara / Penulis": the names came before their label.
            names_before_label(
                &mut self.a,
                self.pats,
                &mut self.candidates,
                field,
                label_at,
            );
        }
        // A line longer than any chrome or metadata line is article text: its start is still
        // matched against the chrome rules ("Baca juga: …" glued to a paragraph), but the
        // metadata detectors, and a scan of all of it, are spared (a 200,000-character line
        // took a second through the regexes' slowest engine).
        if s.len() > LONG_LINE {
            if !self.by_rules(line_no, s) {
                self.kept.push((line_no, s.to_string()));
                self.push(line_no, s, Verdict::Keep, "article text");
            }
            return;
        }
        self.note_copyright(line_no, s);
        let read = self.by_rules(line_no, s)
            || self.outlet_name_line(line_no, s)
            || self.published_as(line_no, s)
            || self.republished(line_no, s)
            || self.field_line(line_no, s)
            || self.date_line(line_no, s)
            || self.header_date(line_no, s)
            || (!self.begun && self.header_line(line_no, s));
        if !read {
            self.kept.push((line_no, s.to_string()));
            self.push(line_no, s, Verdict::Keep, "article text");
        }
    }

    /// The line after a byline label alone ("Penulis:"), when it holds the names.
    fn names_after_label(&mut self, line_no: usize, s: &str, field: &'static str) -> bool {
        let pats = self.pats;
        let name = s.trim_end_matches(',');
        if pats.name_like.is_match(name)
            && name.split_whitespace().count() <= 8
            && !pats.byline.is_match(name)
            && !pats.source_bare.is_match(name)
            && !pats.source_line.is_match(name)
        {
            push_names(&mut self.a, field, name);
            self.field(line_no, s, field, "byline");
            return true;
        }
        false
    }

    /// A copyright line names the page's outlet; the line itself is decided by what follows.
    fn note_copyright(&mut self, line_no: usize, s: &str) {
        if let Some(c) = self.pats.copyright_name.captures(s) {
            if let Some(name) = c
                .name("name")
                .and_then(|n| (self.own_name)(n.as_str().trim()))
            {
                if self.self_name.is_none() {
                    self.self_name = Some((name, format!("the copyright line {line_no}")));
                }
            }
        }
    }

    /// The chrome rules (the outlet profile's first, then the general ones), on the line's
    /// first [`LONG_LINE`] bytes.
    fn by_rules(&mut self, line_no: usize, s: &str) -> bool {
        let (rules, profile) = (self.rules, self.profile);
        let head = head_of(s, LONG_LINE);
        let matched = profile
            .and_then(|p| p.rules.first_match(head))
            .or_else(|| rules.general.first_match(head));
        let Some((name, action, re)) = matched else {
            return false;
        };
        match action {
            Action::Drop => self.push(line_no, s, Verdict::Drop, name),
            Action::Stop => {
                self.push(line_no, s, Verdict::Drop, name);
                if self.begun {
                    self.stopped = Some(name.to_string());
                }
            }
            Action::Related => {
                let end = re.find(s).map(|m| m.end()).unwrap_or(0);
                match glued_text(&s[end..]) {
                    Some(at) => {
                        let keep = s[end + at..].to_string();
                        self.push(line_no, &s[..end + at], Verdict::Drop, name);
                        self.push(
                            line_no,
                            &keep,
                            Verdict::Keep,
                            "text glued to a related link",
                        );
                        self.kept.push((line_no, keep));
                        self.begun = true;
                    }
                    None => self.push(line_no, s, Verdict::Drop, name),
                }
            }
        }
        true
    }

    /// A line that only names an outlet ("CNN Indonesia", "Kompas.id"): the page's name.
    fn outlet_name_line(&mut self, line_no: usize, s: &str) -> bool {
        if s.split_whitespace().count() > 4 || s.contains(" - ") || wire_name(s).is_some() {
            return false;
        }
        let Some(name) = self.rules.known_outlet(s).filter(|_| s.len() <= 40) else {
            return false;
        };
        if self.self_name.is_none() {
            self.self_name = Some((name, format!("the outlet's name on line {line_no}")));
        }
        self.push(line_no, s, Verdict::Drop, "outlet-name");
        true
    }

    /// "Berita ini telah tayang di … dengan judul: …": the title, and the outlet.
    fn published_as(&mut self, line_no: usize, s: &str) -> bool {
        let Some(c) = self.pats.published_as.captures(s) else {
            return false;
        };
        self.stated_title = c.name("title").map(|t| {
            t.as_str()
                .trim_matches(|c: char| c == '"' || c == '“' || c == '”')
                .to_string()
        });
        if let Some(name) = c.name("outlet").and_then(|o| (self.own_name)(o.as_str())) {
            self.self_name
                .get_or_insert((name, format!("line {line_no}")));
        }
        self.push(line_no, s, Verdict::Field("title"), "published-as-line");
        true
    }

    /// "Republished by …": the outlet.
    fn republished(&mut self, line_no: usize, s: &str) -> bool {
        let Some(c) = self.pats.republished.captures(s) else {
            return false;
        };
        if let Some(n) = c.name("name") {
            self.self_name
                .get_or_insert((n.as_str().trim().to_string(), format!("line {line_no}")));
        }
        self.push(line_no, s, Verdict::Drop, "republished-by");
        true
    }

    /// A metadata line: source, wire credit, byline (`read_field`).
    fn field_line(&mut self, line_no: usize, s: &str) -> bool {
        let pats = self.pats;
        let Some(field) = read_field(&mut self.a, pats, s, &mut self.pending_label) else {
            return false;
        };
        if field.1 == "byline-label" {
            let at = self.a.trail.len();
            self.pending_label = self.pending_label.map(|(f, _)| (f, at));
        }
        if field.1 == "source-line" {
            // "Source: The Guardian February 20, 2024 17:11 UTC": a stamp and a name.
            if let Some(f) = pats
                .dates
                .find(s, self.dates.years, self.hints.today)
                .first()
            {
                self.footer_stamp.get_or_insert((
                    Stamp {
                        date: f.date,
                        time: None,
                    },
                    format!("the source line {line_no}"),
                ));
            }
        }
        self.field(line_no, s, field.0, field.1);
        true
    }

    /// A line that is a date: the header's, the footer's, or a second one.
    fn date_line(&mut self, line_no: usize, s: &str) -> bool {
        let Some(stamp) =
            self.pats
                .dates
                .date_line(s, self.dates.years, self.hints.today, self.assume_zone)
        else {
            return false;
        };
        let how = format!("the date line {line_no}");
        if !self.begun && self.header_stamp.is_none() {
            self.header_stamp = Some((stamp, how));
            self.field(line_no, s, "date", "date-line");
        } else if self.begun
            && self.header_stamp.is_none()
            && self.kept.len() <= 2
            && self
                .kept
                .iter()
                .all(|(_, t)| t.split_whitespace().count() <= 50)
        {
            // A summary or caption came before the date: they were still the header.
            for (line, _) in self.kept.drain(..) {
                mark(&mut self.a, line, Verdict::Drop, "summary before the date");
            }
            self.header_stamp = Some((stamp, how));
            self.push(line_no, s, Verdict::Field("date"), "date-line");
        } else if self.begun && self.header_stamp.is_none() && self.footer_stamp.is_none() {
            self.footer_stamp = Some((stamp, how));
            self.push(line_no, s, Verdict::Field("date"), "date-line (footer)");
        } else {
            self.push(
                line_no,
                s,
                Verdict::Drop,
                "date-line (a second date: updated, related)",
            );
        }
        true
    }

    /// A byline and a date on one line: the date is the page's, the rest is chrome.
    fn header_date(&mut self, line_no: usize, s: &str) -> bool {
        if self.begun || self.header_stamp.is_some() || s.len() > 160 {
            return false;
        }
        let (pats, today, zone) = (self.pats, self.hints.today, self.assume_zone);
        let stamp = pats
            .dates
            .dated_header(s, self.dates.years, today, zone)
            .or_else(|| {
                pats.dates
                    .stamp_without_year(s, self.dates.stamp_years, today, zone)
            });
        let Some(stamp) = stamp else {
            return false;
        };
        self.header_stamp = Some((stamp, format!("the header line {line_no}")));
        self.first_field_at.get_or_insert(self.a.trail.len());
        // What else the line says: "Susi Susanti , Jurnalis-", "| LAPORAN: ALIFIA …".
        let rest = pats.dates.without_dates(s);
        for part in rest.split('|') {
            let part = part
                .trim()
                .trim_matches(|c: char| c == '-' || c == ',' || c == '–');
            if part.is_empty() {
                continue;
            }
            let mut none = None;
            if read_field(&mut self.a, pats, part, &mut none).is_none() {
                read_credit(&mut self.a, pats, part, self.own_name);
            }
        }
        self.push(line_no, s, Verdict::Field("date"), "date-in-header-line");
        true
    }

    /// A line before the article: a dateline, a credit, the photo's caption or a candidate
    /// title; or else the article's first line (false: the line is kept).
    fn header_line(&mut self, line_no: usize, s: &str) -> bool {
        if self.header_dateline(line_no, s)
            || self.header_byline(line_no, s)
            || self.outlet_dateline(line_no, s)
        {
            return true;
        }
        if is_caption(self.pats, s) {
            if self.a.image_caption.is_none() {
                self.a.image_caption = Some(s.to_string());
                self.push(line_no, s, Verdict::Field("image_caption"), "photo-caption");
            } else {
                self.push(line_no, s, Verdict::Drop, "photo-caption (another)");
            }
            return true;
        }
        let words = s.split_whitespace().count();
        let dateline = self.pats.datelines.iter().any(|d| d.is_match(s));
        // A headline in sentence case reads like prose; the address's slug tells it apart.
        let headline = words <= 30
            && !s.ends_with(['.', '"', '”'])
            && self
                .slug
                .as_deref()
                .is_some_and(|w| titles::slug_cover(w, s) >= 0.6);
        let prose = words >= 12 || (words >= 6 && s.ends_with('.'));
        if !headline && (dateline || (prose && !titles::looks_like_title(s))) {
            self.begun = true;
            false
        } else {
            self.candidates.push((self.a.trail.len(), s.to_string()));
            self.push(line_no, s, Verdict::Drop, "page-header");
            true
        }
    }

    /// A dateline on a line of its own: "Moscow/Seoul, June 17", "Jakarta, CNN Indonesia --",
    /// "JAKARTA | RMN Indonesia".
    fn header_dateline(&mut self, line_no: usize, s: &str) -> bool {
        let pats = self.pats;
        let how = || format!("the dateline on line {line_no}");
        if let Some(c) = pats.dateline_day.captures(s) {
            self.a.dateline = c.name("place").map(|m| m.as_str().to_string());
            if let (Some(m), Some(d)) = (c.name("month"), c.name("day")) {
                self.header_day = d.as_str().parse().ok().map(|d| (m.as_str().to_string(), d));
            }
        } else if let Some(c) = pats.dateline_alone.captures(s) {
            self.a.dateline = c.name("place").map(|m| m.as_str().to_string());
            if let Some(name) = c.name("outlet").and_then(|o| (self.own_name)(o.as_str())) {
                self.self_name.get_or_insert((name, how()));
            }
        } else if let Some(c) = pats.place_outlet.captures(s) {
            self.a.dateline = c.name("place").map(|m| m.as_str().to_string());
            if let Some(o) = c.name("outlet") {
                self.self_name.get_or_insert((
                    (self.own_name)(o.as_str()).unwrap_or_else(|| o.as_str().trim().to_string()),
                    how(),
                ));
            }
        } else {
            return false;
        }
        self.field(line_no, s, "dateline", "dateline-line");
        true
    }

    /// A byline naming the outlet ("By Jemma Crew, BBC News") or a credit line.
    fn header_byline(&mut self, line_no: usize, s: &str) -> bool {
        let pats = self.pats;
        if let Some(c) = pats.byline_outlet.captures(s) {
            if let Some(name) = c
                .name("outlet")
                .and_then(|o| self.rules.known_outlet(o.as_str()))
            {
                self.self_name
                    .get_or_insert((name, format!("the byline on line {line_no}")));
                let names = c.name("names").map_or("", |m| m.as_str());
                if pats.name_like.is_match(names) {
                    push_names(&mut self.a, "authors", names);
                }
                self.field(line_no, s, "authors", "byline");
                return true;
            }
        }
        if read_credit(&mut self.a, pats, s, self.own_name) {
            self.field(line_no, s, "authors", "credit-line");
            return true;
        }
        false
    }

    /// "Liputan6.com, Jakarta" after the headline: the outlet and the place.
    fn outlet_dateline(&mut self, line_no: usize, s: &str) -> bool {
        if self.candidates.is_empty() || self.a.dateline.is_some() {
            return false;
        }
        let Some(c) = self.pats.dateline_line.captures(s) else {
            return false;
        };
        let how = format!("the dateline on line {line_no}");
        if let Some(name) = c.name("outlet").and_then(|m| (self.own_name)(m.as_str())) {
            self.self_name.get_or_insert((name, how));
        } else if let Some(m) = c.name("outlet") {
            self.self_name.get_or_insert((m.as_str().to_string(), how));
        }
        self.a.dateline = c.name("place").map(|m| m.as_str().to_string());
        self.field(line_no, s, "dateline", "dateline-line");
        true
    }

    /// After the last line: the title, the paragraphs, the wire, the date, the outlet, the
    /// language.
    fn finish(
        mut self,
        text: &str,
        host: Option<&str>,
        page_language: Option<String>,
    ) -> Result<Article, String> {
        if self.kept.is_empty() {
            return Err(
                "no article text found: every line is page chrome or metadata \
                    (run with --explain to see why each line was dropped)"
                    .to_string(),
            );
        }
        let pats = self.pats;
        let lead_key = self
            .kept
            .first()
            .map(|(_, t)| {
                let rest = pats
                    .datelines
                    .iter()
                    .find_map(|d| d.captures(t))
                    .and_then(|c| c.name("rest").map(|m| m.as_str().to_string()));
                tokens_key(rest.as_deref().unwrap_or(t))
            })
            .unwrap_or_default();
        titles::choose_title(
            &mut self.a,
            &self.candidates,
            self.first_field_at,
            &lead_key,
            self.slug.as_deref(),
            text,
            self.stated_title.take(),
        );
        let kept = std::mem::take(&mut self.kept);
        let dateline_day =
            clean_paragraphs(&mut self.a, pats, kept, self.own_name, &mut self.self_name)
                .or(self.header_day.take());
        if self.a.paragraphs.is_empty() {
            return Err("no article text found after removing repeated and chrome lines".into());
        }
        if self.a.wire.is_empty() {
            credit_attributed_wires(&mut self.a, pats);
        }
        self.choose_date(dateline_day);
        self.choose_outlet(host);
        let mut a = self.a;
        if let Some(o) = &a.outlet {
            // An outlet is not its own wire ("(Yonhap)" on Yonhap's page).
            a.wire.retain(|w| !w.eq_ignore_ascii_case(o));
        }
        let body = a.paragraphs.join("\n");
        a.language = detect_language(&pats.languages, sample(&body)).or(page_language);
        if a.title.is_empty() {
            a.title = titles::title_from_lead(&a.paragraphs[0]);
            a.title_generated = true;
            a.sources.push((
                "title",
                "generated from the lead: the page has no headline".into(),
            ));
        }
        Ok(a)
    }

    /// The date, from the most trusted place that has one.
    fn choose_date(&mut self, dateline_day: Option<(String, u32)>) {
        let (pats, hints, dates) = (self.pats, self.hints, self.dates);
        let header_stamp = self.header_stamp.take();
        let footer_stamp = self.footer_stamp.take();
        let a = &mut self.a;
        let dateline_date = dateline_day.and_then(|(month, day)| {
            let near = a.paragraphs.first().map(String::as_str).unwrap_or("");
            pats.dates
                .day_and_month(&month, day, near, dates.years, hints.today)
        });
        let latest_named = pats
            .dates
            .latest_year(head_of(&a.paragraphs.join("\n"), DATE_SCAN));
        // The dates of the first paragraphs (each read to `LEAD_SCAN`), found once.
        let find = |p: &str| {
            pats.dates
                .find(head_of(p, LEAD_SCAN), dates.years, hints.today)
        };
        let early: Vec<Vec<super::dates::Found>> =
            a.paragraphs.iter().take(10).map(|p| find(p)).collect();
        // The latest year written in a full date ("19 June 2024"), not a bare year ("in 1990").
        let latest_written = (early.iter().flatten())
            .filter(|f| f.year_written)
            .map(|f| f.date.year())
            .max();
        // The latest day the first three paragraphs that name one state as past or present
        // (not "akan berkunjung pada 18-19 Juni", "until Wednesday"): the lead often recalls
        // the background first ("The treaty was first signed on 19 June 2024") and says what
        // happened after ("signed by Putin on 9 November"). A day without its year is in the
        // latest year the text writes.
        let mut prose: Option<(NaiveDate, usize)> = None;
        let dated = a.paragraphs.iter().enumerate().filter_map(|(n, p)| {
            let p = head_of(p, LEAD_SCAN);
            let mut found = early.get(n).cloned().unwrap_or_else(|| find(p));
            if let Some(y) = latest_written {
                let extra = pats.dates.find_without_year(p, y, &found);
                found.extend(extra);
            }
            let past = (found.iter())
                .map(|f| (range_start(p, f, &pats.dates), f.span))
                .filter(|(d, span)| *d <= hints.today && !in_future_phrase(p, *span))
                .map(|(d, _)| d)
                .max();
            (!found.is_empty()).then_some((n, past))
        });
        for (n, d) in dated.take(3).filter_map(|(n, past)| Some((n, past?))) {
            // A year well before the latest the text names is history, not the report's day.
            let stale = latest_named.is_some_and(|y| d.year() < y - 1) && dates.evidence.is_none();
            if dates.agrees(d) && !stale && prose.is_none_or(|(b, _)| d > b) {
                prose = Some((d, n));
            }
        }
        let prose = prose.map(|(d, n)| (d, format!("paragraph {} of the article", n + 1)));
        let stamp = |d: NaiveDate| Stamp {
            date: d,
            time: None,
        };
        let chosen: Option<(Stamp, String)> = hints
            .date
            .map(|d| (stamp(d), "given with --date".to_string()))
            .or_else(|| header_stamp.filter(|(s, _)| dates.agrees(s.date)))
            .or_else(|| {
                dates
                    .url_date
                    .map(|d| (stamp(d), "the address's path".to_string()))
            })
            .or_else(|| {
                dates
                    .store_date
                    .map(|d| (stamp(d), "the page store's date line".to_string()))
            })
            .or_else(|| footer_stamp.filter(|(s, _)| dates.agrees(s.date)))
            .or_else(|| {
                dateline_date
                    .filter(|d| dates.agrees(*d))
                    .map(|d| (stamp(d), "the dateline and its weekday".to_string()))
            })
            .or_else(|| prose.map(|(d, how)| (stamp(d), how)));
        match chosen {
            Some((s, how)) => {
                a.date = Some(s);
                a.sources.push(("date", how));
            }
            None => a.sources.push((
                "date",
                "unknown: the page, its address and its text state none".into(),
            )),
        }
    }

    /// The outlet, when the command line and the address named none: the page's own name,
    /// the outlet profile's marks in the text, or the host.
    fn choose_outlet(&mut self, host: Option<&str>) {
        if self.a.outlet.is_some() {
            return;
        }
        let marker = self
            .profile
            .map(|p| (p.name.clone(), "the outlet's marks in the text".to_string()));
        let from_host = host.map(|h| (address::readable_host(h), "the page's host".to_string()));
        if let Some((name, how)) = self.self_name.take().or(marker).or(from_host) {
            self.a.outlet = Some(name);
            self.a.sources.push(("outlet", how));
        }
    }
}

/// The first day of a range that ends with the date found ("12 hingga 14 Desember 2025",
/// "25-27 Maret", "30 Agustus hingga 1 September 2025"): a report of the visit's first day
/// tells of days still to come.
fn range_start(
    text: &str,
    f: &super::dates::Found,
    dates: &super::dates::DatePatterns,
) -> NaiveDate {
    static RANGE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)\b(\d{1,2})(?:\s+(\p{L}+)\.?)?\s*(?:-|–|—|hingga|sampai|s/d|to|until|and|dan)\s*$",
        )
        .ok()
    });
    let mut from = f.span.0.saturating_sub(32);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let start = RANGE.as_ref().and_then(|re| {
        let c = re.captures(&text[from..f.span.0])?;
        let day = c.get(1)?.as_str().parse::<u32>().ok()?;
        match c.get(2) {
            None => (day < f.date.day()).then(|| f.date.with_day(day)).flatten(),
            Some(m) => {
                let month = dates.month(m.as_str())?;
                let year = if month > f.date.month() {
                    f.date.year() - 1
                } else {
                    f.date.year()
                };
                NaiveDate::from_ymd_opt(year, month, day).filter(|d| *d < f.date)
            }
        }
    });
    start.unwrap_or(f.date)
}

/// The text read for the years and months it names: the article's own are in its first
/// pages, and a megabyte of text through the date patterns takes a second.
const DATE_SCAN: usize = 64 * 1024;

/// A paragraph read for the date the article was written: its first bytes (a whole article
/// on one line is read like its lead).
const LEAD_SCAN: usize = 4096;

/// Lines longer than this many bytes are article text (see [`Reader::read_line`]).
const LONG_LINE: usize = 2048;

/// The first `max` bytes of `s`, or fewer, to a character boundary.
fn head_of(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Whether the date at `span` in `text` is in a sentence about what is to come: "akan
/// berkunjung pada", "will be held on", "scheduled for", "Rabu mendatang", "pekan depan".
fn in_future_phrase(text: &str, span: (usize, usize)) -> bool {
    const FUTURE: &[&str] = &[
        "akan",
        "bakal",
        "dijadwalkan",
        "rencananya",
        "mendatang",
        "depan",
        "will",
        "until",
        "next",
        "scheduled",
        "upcoming",
    ];
    let is_end = |c: char| matches!(c, '.' | '!' | '?' | '\n');
    // The sentence: from the end of the one before to the end of this one (a stop followed by
    // a space; "Oct. 8" and "19.00" do not end it, near enough).
    let start = text[..span.0]
        .char_indices()
        .rev()
        .find(|&(i, c)| is_end(c) && text[i + c.len_utf8()..].starts_with(char::is_whitespace))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[span.1..]
        .char_indices()
        .find(|&(i, c)| {
            is_end(c) && text[span.1 + i + c.len_utf8()..].starts_with(char::is_whitespace)
        })
        .map_or(text.len(), |(i, _)| span.1 + i);
    // What someone is quoted as saying is not the report's tense (`“… kami akan terus …,”
    // kata Kim Rabu (19/06/2024)`), unless the date is in the quote: the words on the date's
    // side of the quotes count.
    let mut quoted = false;
    let mut date_quoted = false;
    let mut said = String::new();
    let mut side: Vec<(bool, char)> = Vec::new();
    for (i, c) in text[start..end].char_indices() {
        if start + i == span.0 {
            date_quoted = quoted;
        }
        if matches!(c, '“' | '”' | '"') {
            quoted = c == '“' || (c == '"' && !quoted);
            side.push((quoted, ' '));
            continue;
        }
        side.push((quoted, c));
    }
    said.extend(
        side.iter()
            .filter(|(q, _)| *q == date_quoted)
            .map(|(_, c)| *c),
    );
    said.split(|c: char| !c.is_alphanumeric())
        .any(|w| FUTURE.iter().any(|f| w.eq_ignore_ascii_case(f)))
}

/// "dilansir AFP, Kamis (28/3/2024)" early in the article: the report it relays, and so a
/// credit. A wire quoted further on ("kata SVR seperti dikutip TASS") is not.
fn credit_attributed_wires(a: &mut Article, pats: &Patterns) {
    let body = a
        .paragraphs
        .iter()
        .take(4)
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    for c in pats.attribution.captures_iter(&body) {
        let dated = c
            .get(0)
            .is_some_and(|m| pats.dated_nearby.is_match(&body[m.end()..]));
        if let Some(w) = c
            .name("wire")
            .and_then(|m| wire_name(m.as_str()))
            .filter(|_| dated)
        {
            if a.outlet
                .as_deref()
                .is_none_or(|o| !o.eq_ignore_ascii_case(w))
            {
                push_unique(&mut a.wire, w);
            }
        }
    }
}

/// Letters and digits, lower-cased: "Liputan6.com" and "LIPUTAN6" are one name.
fn name_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A byline label with no names after it ("Penulis", "Tim Redaksi") names the lines just
/// before it, when they read as names: "Aditya Jaya Iswara / Penulis" (Kompas).
fn names_before_label(
    a: &mut Article,
    pats: &Patterns,
    candidates: &mut Vec<(usize, String)>,
    field: &'static str,
    label_at: usize,
) {
    let mut at = label_at;
    while let Some(pos) = candidates.iter().position(|(i, _)| *i + 1 == at) {
        let (i, text) = candidates[pos].clone();
        let name = text.trim_end_matches(',').trim();
        if !pats.name_like.is_match(name) || name.split_whitespace().count() > 4 {
            break;
        }
        push_names(a, field, name);
        if let Some(step) = a.trail.get_mut(i) {
            step.verdict = Verdict::Field(field);
            step.rule = "byline (names before their label)".into();
        }
        candidates.remove(pos);
        at = i;
    }
}

/// "Rita Uli Hutapea - detikNews", "Susi Susanti , Jurnalis": names credited with a role or
/// the outlet. Returns whether the line was one.
fn read_credit(
    a: &mut Article,
    pats: &Patterns,
    s: &str,
    own_name: &dyn Fn(&str) -> Option<String>,
) -> bool {
    let Some(c) = pats.credit_line.captures(s) else {
        return false;
    };
    let who = c.name("who").map_or("", |m| m.as_str().trim());
    let role = matches!(
        who.to_lowercase().as_str(),
        "jurnalis" | "wartawan" | "reporter" | "kontributor" | "koresponden" | "penulis"
    );
    if !role && own_name(who).is_none() {
        return false;
    }
    if let Some(n) = c.name("names") {
        push_names(a, "authors", n.as_str());
    }
    true
}

/// Reads a metadata line (source, wire credit, byline) into `a`: the field and the rule.
fn read_field(
    a: &mut Article,
    pats: &Patterns,
    s: &str,
    pending_label: &mut Option<(&'static str, usize)>,
) -> Option<(&'static str, &'static str)> {
    if let Some(c) = pats.source_bare.captures(s) {
        // Kompas: "Sumber AFP".
        if let Some(w) = c.name("wire").and_then(|w| wire_name(w.as_str())) {
            push_unique(&mut a.wire, w);
            return Some(("wire", "source-line"));
        }
    }
    if let Some(c) = pats.source_line.captures(s) {
        let rest = c.name("rest").map(|m| m.as_str()).unwrap_or("");
        return read_source(a, pats, rest);
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
                push_names(a, field, names);
            }
        }
        return Some(("authors", "agency-credit"));
    }
    if let Some(c) = pats.glued_byline.captures(s) {
        let field = label_field(c.name("label").map_or("", |m| m.as_str()));
        push_names(a, field, c.name("names").map_or("", |m| m.as_str()));
        return Some((field, "byline"));
    }
    if let Some(c) = pats.byline.captures(s) {
        return Some(read_byline(a, pats, s, &c, pending_label));
    }
    if let Some(c) = pats.english_byline.captures(s) {
        if let Some(n) = c.name("names") {
            push_names(a, "authors", n.as_str());
            return Some(("authors", "byline"));
        }
    }
    None
}

/// "Source: AFP", "Sumber: Reuters | Editor: …", "Source: The Guardian February 20, 2024":
/// the wires and names a source line credits.
fn read_source(
    a: &mut Article,
    pats: &Patterns,
    rest: &str,
) -> Option<(&'static str, &'static str)> {
    if rest.contains("://") || rest.starts_with("www.") {
        // "Sumber: https://…": where a republished text came from, not a wire.
        return Some(("wire", "source-address"));
    }
    let mut any = false;
    for (i, part) in rest.split('|').enumerate() {
        let part = part.trim();
        if let Some(b) = pats.byline.captures(part) {
            let field = label_field(b.name("label").map(|m| m.as_str()).unwrap_or(""));
            if let Some(n) = b.name("names") {
                push_names(a, field, n.as_str());
                any = true;
            }
        } else if i == 0 {
            let undated = pats.dates.without_dates(part);
            let dated = undated.trim_end_matches(['|', ' ']) != part;
            for w in undated.split([',', '/', '&', '|']) {
                let w = w.trim();
                if w.is_empty() {
                    continue;
                }
                match wire_name(w) {
                    Some(name) => push_unique(&mut a.wire, name),
                    // "Source: The Guardian February 20, 2024": an outlet and its date.
                    None if dated => continue,
                    None => push_unique(&mut a.wire, w),
                }
                any = true;
            }
            any |= dated;
        }
    }
    any.then_some(("wire", "source-line"))
}

/// A byline ("Penulis: A | Editor: B"), or its label alone ("Penulis:") with the names on the
/// next line (`pending_label`).
fn read_byline(
    a: &mut Article,
    pats: &Patterns,
    s: &str,
    c: &regex::Captures<'_>,
    pending_label: &mut Option<(&'static str, usize)>,
) -> (&'static str, &'static str) {
    let label = c.name("label").map(|m| m.as_str()).unwrap_or("");
    let field = label_field(label);
    match c.name("names").map(|m| m.as_str().trim()) {
        None | Some("") => {
            *pending_label = Some((field, 0));
            (field, "byline-label")
        }
        Some(_) => {
            // "Penulis: A | Editor: B", "Editor : A  Reporter : B"
            let starts: Vec<usize> = pats.label_start.find_iter(s).map(|m| m.start()).collect();
            let parts: Vec<&str> = if starts.len() > 1 {
                starts
                    .iter()
                    .enumerate()
                    .map(|(k, &st)| &s[st..starts.get(k + 1).copied().unwrap_or(s.len())])
                    .collect()
            } else {
                s.split('|').collect()
            };
            for part in parts {
                let part = part.trim().trim_end_matches('|').trim();
                if let Some(b) = pats.byline.captures(part) {
                    let f = label_field(b.name("label").map(|m| m.as_str()).unwrap_or(""));
                    if let Some(n) = b.name("names") {
                        push_names(a, f, n.as_str());
                    }
                }
            }
            (field, "byline")
        }
    }
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

/// Names separated by commas, "dan", "and", "&" or "|", into the field's list: a wire named
/// as the writer ("Penulis : AFP") is a wire credit; names in capitals are written as names.
fn push_names(a: &mut Article, field: &str, names: &str) {
    for n in names
        .split([',', '&', '|', ';'])
        .flat_map(|n| n.split(" dan "))
        .flat_map(|n| n.split(" and "))
    {
        let n = n.trim().trim_end_matches('.').trim();
        if n.is_empty() {
            continue;
        }
        if let Some(w) = wire_name(n) {
            push_unique(&mut a.wire, w);
            continue;
        }
        let n = if n.chars().any(char::is_lowercase) {
            n.to_string()
        } else {
            n.split_whitespace()
                .map(|w| {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| {
                            f.to_uppercase()
                                .chain(c.flat_map(char::to_lowercase))
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .collect::<Vec<String>>()
                .join(" ")
        };
        push_unique(field_list(a, field), &n);
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

/// Datelines, sign-offs, editors' signatures and repeated paragraphs out of the kept lines.
/// Returns the day and month a dateline states ("SEOUL, June 19 (Reuters) -"), if any.
pub(crate) fn clean_paragraphs(
    a: &mut Article,
    pats: &Patterns,
    kept: Vec<(usize, String)>,
    own_name: &dyn Fn(&str) -> Option<String>,
    self_name: &mut Option<(String, String)>,
) -> Option<(String, u32)> {
    let title_key = tokens_key(&a.title);
    let dropped = dropped_keys(a);
    let mut keys: Vec<String> = Vec::new();
    let mut dateline_done = false;
    let mut day: Option<(String, u32)> = None;
    let mut kept = kept;
    drop_summary_before_dateline(a, pats, &mut kept);
    if let Some((line, t)) = kept.first().cloned() {
        if let Some(c) = pats.dateline_alone.captures(&t) {
            a.dateline = c.name("place").map(|m| m.as_str().to_string());
            if let Some(name) = c.name("outlet").and_then(|o| own_name(o.as_str())) {
                self_name.get_or_insert((name, format!("the dateline on line {line}")));
            }
            mark(a, line, Verdict::Field("dateline"), "dateline-line");
            kept.remove(0);
        }
    }
    let mut signed_off = false;
    for (n, (line, mut text)) in kept.into_iter().enumerate() {
        if signed_off {
            mark(a, line, Verdict::Drop, "after the sign-off (page footer)");
            continue;
        }
        if n < 2 && a.dateline.is_none() && !dateline_done {
            if let Some((rest, stated)) = lead_dateline(a, pats, line, &text, own_name, self_name) {
                dateline_done = true;
                day = stated;
                text = rest;
            }
        }
        if sign_off(a, pats, line, &text) {
            // The writer signs at the end: what follows is the page's.
            signed_off = true;
            continue;
        }
        strip_signatures(a, pats, line, &mut text);
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
        if repeat == Some("repeated-title") && n <= 3 && a.paragraphs.len() <= 2 {
            summary_before_title(a, &mut keys, line);
        }
        if let Some(rule) = repeat {
            mark(a, line, Verdict::Drop, rule);
            continue;
        }
        keys.push(key);
        a.paragraphs.push(text);
    }
    day
}

/// Lines that rules dropped, such as "view larger image <caption>": a paragraph repeating one
/// of them is the same chrome again.
fn dropped_keys(a: &Article) -> Vec<String> {
    a.trail
        .iter()
        .filter(|s| {
            s.verdict == Verdict::Drop
                && !s.rule.ends_with("(page footer)")
                && s.rule != "page-header"
        })
        .map(|s| tokens_key(&s.text))
        .filter(|k| k.len() >= 40)
        .collect()
}

/// A dateline opens the article: a summary or caption kept before it was still the header.
fn drop_summary_before_dateline(a: &mut Article, pats: &Patterns, kept: &mut Vec<(usize, String)>) {
    let opening = kept.iter().take(3).position(|(_, t)| {
        pats.dateline_alone.is_match(t)
            || pats.datelines.iter().any(|d| {
                d.captures(t)
                    .and_then(|c| c.name("rest"))
                    .is_some_and(|r| r.as_str().split_whitespace().count() >= 8)
            })
    });
    if let Some(j) = opening.filter(|&j| j > 0) {
        if kept[..j]
            .iter()
            .all(|(_, t)| t.split_whitespace().count() <= 60)
        {
            for (line, _) in kept.drain(..j) {
                mark(a, line, Verdict::Drop, "summary before the dateline");
            }
        }
    }
}

/// A dateline opening one of the first paragraphs ("SEOUL, June 19 (Reuters) - …"), read into
/// the fields: the text after it, and the day and month it states.
fn lead_dateline(
    a: &mut Article,
    pats: &Patterns,
    line: usize,
    text: &str,
    own_name: &dyn Fn(&str) -> Option<String>,
    self_name: &mut Option<(String, String)>,
) -> Option<(String, Option<(String, u32)>)> {
    // "Russian Foreign Intelligence Service (SVR) Director …" is no dateline: without a
    // dash, the parenthesis must name a known wire.
    let known_or_dashed = |c: &regex::Captures<'_>| {
        let rest_at = c.name("rest").map_or(0, |m| m.start());
        c.name("wire").is_none_or(|w| {
            wire_name(w.as_str()).is_some() || text[w.end()..rest_at].contains(['-', '–', '—'])
        })
    };
    let c = pats
        .datelines
        .iter()
        .filter_map(|d| d.captures(text))
        .find(known_or_dashed)?;
    let rest = c.name("rest").map(|m| m.as_str()).unwrap_or("");
    if rest.split_whitespace().count() < 8 {
        return None;
    }
    dateline_place(a, &c, line, own_name, self_name);
    let day = match (c.name("month"), c.name("day")) {
        (Some(m), Some(d)) => d.as_str().parse().ok().map(|d| (m.as_str().to_string(), d)),
        _ => None,
    };
    if let Some(w) = c.name("wire") {
        dateline_wire(a, w.as_str(), line, self_name);
    }
    let prefix_len = text.len() - rest.len();
    a.trail.push(Step {
        line,
        verdict: Verdict::Field("dateline"),
        rule: "dateline".into(),
        text: text[..prefix_len].trim().to_string(),
    });
    Some((rest.to_string(), day))
}

/// The place a dateline names, or the outlet it names where a place would be.
fn dateline_place(
    a: &mut Article,
    c: &regex::Captures<'_>,
    line: usize,
    own_name: &dyn Fn(&str) -> Option<String>,
    self_name: &mut Option<(String, String)>,
) {
    let place = c.name("place").map(|m| m.as_str().trim().to_string());
    match (c.name("outlet"), &place) {
        (Some(o), _) => {
            if let Some(name) = own_name(o.as_str()) {
                self_name.get_or_insert((name, format!("the dateline on line {line}")));
            }
            a.dateline = place;
        }
        // "VIVA – …", "Bujurnews – …": the outlet where a place would be.
        (None, Some(p)) if !p.contains(' ') && c.name("wire").is_none() => match own_name(p) {
            Some(name) => {
                self_name.get_or_insert((name, format!("the dateline on line {line}")));
            }
            None => a.dateline = place,
        },
        _ => a.dateline = place,
    }
}

/// The wire in a dateline's parenthesis ("(Reuters)"); an unknown one is the outlet's name.
fn dateline_wire(a: &mut Article, w: &str, line: usize, self_name: &mut Option<(String, String)>) {
    match wire_name(w) {
        Some(name)
            if a.outlet
                .as_deref()
                .is_none_or(|o| !o.eq_ignore_ascii_case(name)) =>
        {
            push_unique(&mut a.wire, name)
        }
        None if a.outlet.is_none() => {
            self_name.get_or_insert((w.to_string(), format!("the dateline on line {line}")));
        }
        _ => {}
    }
}

/// "(Tribunnews.com/ Namira Yunia)": the writer, at the end. Returns whether `text` is one.
fn sign_off(a: &mut Article, pats: &Patterns, line: usize, text: &str) -> bool {
    let Some(c) = pats.sign_off.captures(text) else {
        return false;
    };
    if let Some(names) = c.name("names") {
        push_names(a, "authors", names.as_str());
    }
    mark(a, line, Verdict::Field("authors"), "sign-off");
    true
}

/// An editors' signature ("[uh/ab]") and a wire's sign-off ("… — Reuters") off the end.
fn strip_signatures(a: &mut Article, pats: &Patterns, line: usize, text: &mut String) {
    if let Some(m) = pats.signature.find(text) {
        a.trail.push(Step {
            line,
            verdict: Verdict::Drop,
            rule: "editors-signature".into(),
            text: m.as_str().trim().to_string(),
        });
        text.truncate(m.start());
    }
    if let Some(c) = pats.wire_sign_off.captures(text) {
        // "… — Reuters": the wire the report is from.
        if let Some(w) = c.name("wire").and_then(|w| wire_name(w.as_str())) {
            if a.outlet
                .as_deref()
                .is_none_or(|o| !o.eq_ignore_ascii_case(w))
            {
                push_unique(&mut a.wire, w);
            }
        }
        let at = c.get(0).map_or(text.len(), |m| m.start());
        a.trail.push(Step {
            line,
            verdict: Verdict::Field("wire"),
            rule: "wire-sign-off".into(),
            text: text[at..].trim().to_string(),
        });
        text.truncate(at);
    }
}

/// Title, summary, title again: the summary was the header's.
fn summary_before_title(a: &mut Article, keys: &mut Vec<String>, line: usize) {
    if a.paragraphs
        .iter()
        .all(|p| p.split_whitespace().count() <= 60)
    {
        a.paragraphs.clear();
        keys.clear();
        for st in a
            .trail
            .iter_mut()
            .filter(|st| st.line < line && st.verdict == Verdict::Keep)
        {
            st.verdict = Verdict::Drop;
            st.rule = "summary before the repeated title".into();
        }
    }
}

/// Changes the decision about a kept line.
fn mark(a: &mut Article, line: usize, verdict: Verdict, rule: &str) {
    if let Some(st) = a
        .trail
        .iter_mut()
        .find(|st| st.line == line && st.verdict == Verdict::Keep)
    {
        st.verdict = verdict;
        st.rule = rule.into();
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
