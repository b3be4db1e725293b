//! The title of a report: the page's own headline, never a related article's, a teaser, a
//! section label or a store line; checked against the address's slug when it has one. When the
//! page has no headline, the slug (`putin-to-visit-north-korea-today` → "Putin to Visit North
//! Korea Today") or else the lead gives one, marked `title_generated`.

use super::address;
use super::extract::{tokens_key, Article, Verdict};

/// A line that reads like a headline rather than a paragraph: no full stop at its end and
/// mostly capitalised words.
pub(crate) fn looks_like_title(s: &str) -> bool {
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

/// A slug names the page's headline when at least this share of its words are in it.
const SLUG_MATCH: f64 = 0.5;

/// The title among the header lines. The page's own statement of it wins ("dengan judul: …");
/// then, when the address has a slug in the page's words, the headline that matches it best, or
/// the slug itself when none does (the header lines are then related articles or teasers);
/// without a slug: a line the page repeats, else the last one before the first byline or date,
/// else the last one before the article.
pub(crate) fn choose_title(
    a: &mut Article,
    candidates: &[(usize, String)],
    first_field_at: Option<usize>,
    lead_key: &str,
    slug: Option<&[String]>,
    text: &str,
    stated: Option<String>,
) {
    if let Some(t) = stated.filter(|t| t.split_whitespace().count() >= 2) {
        a.title = t;
        a.sources.push((
            "title",
            "the page's line naming its title (\"dengan judul\")".into(),
        ));
        return;
    }
    let titled = titled_lines(candidates, lead_key);
    let chosen: Option<(usize, String, String)> = match slug_in_text(slug, text) {
        Some(words) => by_slug(a, &titled, words, text),
        None => by_position(&titled, first_field_at),
    };
    let Some((at, title, how)) = chosen else {
        return;
    };
    for (i, t) in candidates {
        let step = &mut a.trail[*i];
        if *i == at {
            step.verdict = Verdict::Field("title");
            step.rule = "title".into();
        } else if without_site_label(t) == title {
            step.rule = "repeated-title".into();
        }
    }
    a.sources
        .push(("title", format!("{how} (line {})", a.trail[at].line)));
    a.title = title;
}

/// The header lines that could be a headline (their trail index and text, site label off).
fn titled_lines(candidates: &[(usize, String)], lead_key: &str) -> Vec<(usize, String)> {
    candidates
        .iter()
        .filter_map(|(i, t)| {
            let t = without_site_label(t);
            let n = t.split_whitespace().count();
            let opens_like_a_title = t.chars().next().is_some_and(|c| {
                c.is_alphanumeric() || matches!(c, '"' | '“' | '”' | '\'' | '‘' | '«')
            });
            let key = tokens_key(t);
            // A line that is the lead's opening again is its summary, not a headline.
            let lead_again = n >= 6 && !key.is_empty() && lead_key.starts_with(&key);
            (opens_like_a_title && (2..=30).contains(&n) && t.len() <= 250 && !lead_again)
                .then(|| (*i, t.to_string()))
        })
        .collect()
}

/// The slug, when at least two in five of its words are in the page's text.
fn slug_in_text<'s>(slug: Option<&'s [String]>, text: &str) -> Option<&'s [String]> {
    let text_words: std::collections::HashSet<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    slug.filter(|w| {
        let inside = w.iter().filter(|w| text_words.contains(w.as_str())).count();
        inside * 5 >= w.len() * 2
    })
}

/// The headline matching the slug best; when none matches, the title is the slug's words
/// (written into `a`, and `None` returned).
fn by_slug(
    a: &mut Article,
    titled: &[(usize, String)],
    words: &[String],
    text: &str,
) -> Option<(usize, String, String)> {
    let best = titled
        .iter()
        .map(|(i, t)| {
            let cover = slug_cover(words, t);
            let extra = t
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty() && !words.contains(&w.to_lowercase()))
                .count();
            (cover - 0.01 * extra as f64, cover, *i, t.clone())
        })
        .max_by(|x, y| x.0.total_cmp(&y.0).then(y.2.cmp(&x.2)));
    match best {
        Some((_, cover, i, t)) if cover >= SLUG_MATCH => {
            Some((i, t, "the headline matching the address's slug".into()))
        }
        _ => {
            a.title = address::slug_title(words, text);
            a.title_generated = true;
            a.sources.push((
                "title",
                "generated from the address's slug: no headline on the page matches it".into(),
            ));
            None
        }
    }
}

/// Without a slug: a line the page repeats, else the last before the first byline or date,
/// else the last before the article.
fn by_position(
    titled: &[(usize, String)],
    first_field_at: Option<usize>,
) -> Option<(usize, String, String)> {
    let repeated = titled
        .iter()
        .find(|(i, t)| titled.iter().any(|(j, u)| j != i && u == t))
        .map(|c| {
            (
                c.0,
                c.1.clone(),
                "the headline the page repeats".to_string(),
            )
        });
    let before_fields = first_field_at.and_then(|f| {
        titled.iter().rev().find(|(i, _)| *i < f).map(|c| {
            (
                c.0,
                c.1.clone(),
                "the last header line before the byline or date".to_string(),
            )
        })
    });
    repeated.or(before_fields).or_else(|| {
        titled.last().map(|c| {
            (
                c.0,
                c.1.clone(),
                "the last header line before the article".to_string(),
            )
        })
    })
}

/// The share of the slug's words that `line` has.
pub(crate) fn slug_cover(words: &[String], line: &str) -> f64 {
    if words.is_empty() {
        return 0.0;
    }
    let toks: Vec<String> = line
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.iter().filter(|w| toks.contains(w)).count() as f64 / words.len() as f64
}

/// A headline without the site's label before or after it: "News24 | North Korea talks up…",
/// "Kim Jong-un receives luxury car as gift - News Summed Up".
fn without_site_label(t: &str) -> &str {
    let t = t.trim();
    if let Some((site, rest)) = t.split_once(" | ") {
        if site.split_whitespace().count() <= 2 && rest.split_whitespace().count() >= 5 {
            return rest.trim();
        }
    }
    for sep in [" - ", " | ", " – "] {
        if let Some((rest, site)) = t.rsplit_once(sep) {
            let words = site.split_whitespace().count();
            let capitalised = site
                .split_whitespace()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase));
            if (1..=4).contains(&words)
                && capitalised
                && rest.split_whitespace().count() >= 5
                && !site.ends_with(['?', '!'])
            {
                return rest.trim();
            }
        }
    }
    t
}

/// A faithful title from the lead: its first clause, at most twelve words.
pub(crate) fn title_from_lead(lead: &str) -> String {
    // The first sentence: up to a full stop that ends a word longer than an initial or a
    // short abbreviation ("N. Korea", "Dr.").
    // (The word and the count of words are kept as the scan goes: looking back from each
    // stop was quadratic on a line of 70,000 colons or dots.)
    let mut end = lead.len();
    let mut word_start = 0;
    for (i, c) in lead.char_indices() {
        if c.is_whitespace() {
            word_start = i + c.len_utf8();
            continue;
        }
        if matches!(c, '.' | '!' | '?') {
            let word = &lead[word_start..i];
            let next_is_space = lead[i + c.len_utf8()..].starts_with(char::is_whitespace);
            // (More than two characters, without counting a word that may be 180,000 dots.)
            let longer_than_initial = word.chars().nth(2).is_some();
            if (c != '.' || longer_than_initial) && (next_is_space || i + 1 >= lead.len()) {
                end = i;
                break;
            }
        }
    }
    let first_sentence = &lead[..end];
    // The first clause, or more of the sentence when it is too short to say anything
    // ("Presiden Rusia, Vladimir Putin telah tiba…").
    let mut clause_end = 0;
    let (mut words_before, mut in_word) = (0, false);
    for (i, c) in first_sentence.char_indices() {
        if matches!(c, ',' | ';' | ':' | '“' | '"') && words_before >= 5 {
            clause_end = i;
            break;
        }
        if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            in_word = true;
            words_before += 1;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (import property test): a lead holding a line of 70,000 colons or dots
    /// took seconds, each stop looking back over the whole line.
    #[test]
    fn a_lead_of_a_long_run_of_stops_is_titled_at_once() {
        let lead = format!("Pemerintah kota membuka jalan baru{}", ":".repeat(70_000));
        assert_eq!(title_from_lead(&lead), "Pemerintah kota membuka jalan baru");
    }

    /// Regression (the long fuzz campaign, 2026-12-03): the characters of a word of dots were
    /// counted again at each dot, quadratic in the word (4.3 s for the campaign's 800 KB page);
    /// the check is now constant-time. A million dots took 16 s before, milliseconds now.
    #[test]
    fn a_word_of_a_million_dots_is_scanned_once() {
        let lead = format!(
            "Pemerintah kota membuka jalan baru ¥{}",
            ".".repeat(1_000_000)
        );
        let started = std::time::Instant::now();
        let title = title_from_lead(&lead);
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        assert!(
            title.starts_with("Pemerintah kota membuka jalan baru"),
            "{title}"
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
    fn site_labels_are_not_part_of_the_headline() {
        assert_eq!(
            without_site_label(
                "Kim Jong-un receives luxury car as gift from Vladimir Putin - News Summed Up"
            ),
            "Kim Jong-un receives luxury car as gift from Vladimir Putin"
        );
        assert_eq!(
            without_site_label("News24 | North Korea talks up 'friendly relations' with Russia"),
            "North Korea talks up 'friendly relations' with Russia"
        );
        assert_eq!(without_site_label("Putin - Kim"), "Putin - Kim");
    }
}
