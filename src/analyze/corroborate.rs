//! How the reports of one event agree: the statements several reports make, those only one
//! makes, and what each speaker is quoted as saying in each report.
//!
//! A statement is a sentence. Two sentences of different reports make the same statement when
//! most of the content words of the shorter one are in the other (at least four): outlets
//! translate and trim the same wire copy, so their sentences share names, numbers and key words
//! while the wording around them differs. Only the reports of one event are compared, so the
//! work grows with the size of events, not of the dossier.

use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// A statement and the reports that make it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Statement {
    /// Indices into the reports given, each once, in order.
    pub(crate) reports: Vec<usize>,
    /// Each of those reports' own sentence for it, in the same order: never empty.
    pub(crate) wordings: Vec<Wording>,
}

impl Statement {
    /// The sentence as the earliest report writes it.
    pub(crate) fn text(&self) -> &str {
        self.wordings.first().map_or("", |w| w)
    }
}

/// One report's sentence: where its body has it as written (nearly always), a part of the
/// body, which the model keeps anyway; else its own text (a sentence across a line break).
/// An event's comparison holds every sentence of its reports, and as copies they were as
/// large as the corpus.
#[derive(Clone)]
pub(crate) enum Wording {
    Body(Arc<str>, u32, u32),
    Own(Box<str>),
}

impl std::ops::Deref for Wording {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Wording::Body(body, start, end) => {
                body.get(*start as usize..*end as usize).unwrap_or("")
            }
            Wording::Own(s) => s,
        }
    }
}

impl PartialEq for Wording {
    fn eq(&self, other: &Wording) -> bool {
        **self == **other
    }
}

impl Eq for Wording {}

impl std::fmt::Debug for Wording {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

/// A sentence of a body: its place in the body, or its own text when the body does not have
/// it as written.
enum Sentence {
    At(usize, usize),
    Own(String),
}

impl Sentence {
    fn text<'b>(&'b self, body: &'b str) -> &'b str {
        match self {
            Sentence::At(start, end) => &body[*start..*end],
            Sentence::Own(s) => s,
        }
    }
}

/// A quotation and who is quoted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Quote {
    pub(crate) speaker: String,
    pub(crate) report: usize,
    pub(crate) text: String,
}

/// The comparison of one event's reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Agreement {
    /// Statements in two reports or more, most widely carried first.
    pub(crate) shared: Vec<Statement>,
    /// Statements in one report only, by report, in text order.
    pub(crate) single: Vec<Statement>,
    /// Speakers quoted in two reports or more, with every quote of them.
    pub(crate) quotes: Vec<(String, Vec<Quote>)>,
}

/// The sentences of a markdown body: paragraphs split after `.`, `!` or `?` (and a closing
/// quote) where the next sentence starts with a capital or an opening quote.
#[cfg(test)]
pub(crate) fn sentences(body: &str) -> Vec<String> {
    (sentences_of(body).iter())
        .map(|s| s.text(body).to_string())
        .collect()
}

/// [`sentences`], each as its place in `body` where it has one.
fn sentences_of(body: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    for para in body.split("\n\n") {
        let para = para.trim();
        if para.is_empty() || para.starts_with("```") || para.starts_with('#') {
            continue;
        }
        let para = para.trim_start_matches(['>', '-', '*', ' ']);
        // A paragraph on one line is a part of the body, and so are its sentences.
        let at = (!para.contains('\n')).then(|| para.as_ptr() as usize - body.as_ptr() as usize);
        let para = para.replace('\n', " ");
        let chars: Vec<(usize, char)> = para.char_indices().collect();
        let mut start = 0;
        for (k, &(i, c)) in chars.iter().enumerate() {
            if !matches!(c, '.' | '!' | '?') {
                continue;
            }
            let mut j = k + 1;
            while j < chars.len() && matches!(chars[j].1, '"' | '”' | '\'' | '’' | ')') {
                j += 1;
            }
            if j >= chars.len() || !(chars[j].1.is_whitespace() || glued(&chars, k, j)) {
                continue;
            }
            let mut n = j;
            while n < chars.len() && chars[n].1.is_whitespace() {
                n += 1;
            }
            if n < chars.len() && (chars[n].1.is_uppercase() || matches!(chars[n].1, '"' | '“')) {
                // Not after an initial or a short abbreviation ("S. Korea", "Dr.").
                let word_start = para[..i]
                    .rfind(|c: char| c.is_whitespace())
                    .map(|p| p + 1)
                    .unwrap_or(0);
                if i - word_start <= 2 && c == '.' {
                    continue;
                }
                let end = chars.get(j).map(|x| x.0).unwrap_or(para.len());
                push_sentence(&mut out, &para, at, start, end);
                start = chars[n].0;
            }
        }
        push_sentence(&mut out, &para, at, start, para.len());
    }
    out
}

/// Whether the full stop at `chars[stop]` ends a sentence that the next one, at `chars[next]`,
/// is glued to: scraped pages lose the space ("citing foreign media.The notice comes…").
/// Only after a word of four letters or more, lower-case but the first, and before a
/// capitalised word of three letters or more, so that "News.Az", "U.S." and "Node.js" stay.
fn glued(chars: &[(usize, char)], stop: usize, next: usize) -> bool {
    if chars[stop].1 != '.' {
        return false;
    }
    let before = chars[..stop]
        .iter()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic())
        .count();
    let word = &chars[stop - before..stop];
    let lower_word = before >= 4 && word[1..].iter().all(|(_, c)| c.is_lowercase());
    let after = &chars[next..];
    lower_word
        && after.len() >= 3
        && after[0].1.is_uppercase()
        && after[1..3].iter().all(|(_, c)| c.is_lowercase())
}

/// `para[start..end]`, trimmed, when it has four words or more: at its place in the body
/// when the paragraph, at `at` in it, is as written.
fn push_sentence(out: &mut Vec<Sentence>, para: &str, at: Option<usize>, start: usize, end: usize) {
    let raw = &para[start..end];
    let s = raw.trim();
    if s.split_whitespace().count() < 4 {
        return;
    }
    out.push(match at {
        Some(at) => {
            let from = at + start + (raw.len() - raw.trim_start().len());
            Sentence::At(from, from + s.len())
        }
        None => Sentence::Own(s.to_string()),
    });
}

/// A sentence's content words, as sorted hashes: compared many times, so cheap to compare.
fn content_words(s: &str) -> Vec<u64> {
    use std::hash::{Hash, Hasher};
    // One buffer for the lower-cased word, not a string per word.
    let mut lower = String::new();
    let mut w: Vec<u64> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3 || w.chars().all(|c| c.is_ascii_digit()) && w.len() >= 2)
        .filter_map(|w| {
            lower.clear();
            lower.extend(w.chars().flat_map(char::to_lowercase));
            if crate::analyze::events::is_stopword(&lower) {
                return None;
            }
            let mut h = rustc_hash::FxHasher::default();
            lower.hash(&mut h);
            Some(h.finish())
        })
        .collect();
    w.sort_unstable();
    w.dedup();
    w
}

/// Compares the bodies of one event's reports (in order). `speaker_of` normalises a quoted
/// speaker's name (to the dossier's entity names).
pub(crate) fn compare(bodies: &[Arc<str>], speaker_of: &dyn Fn(&str) -> String) -> Agreement {
    struct Cluster {
        /// Each member's sentence; the first is the statement's text.
        wordings: Vec<Wording>,
        reports: Vec<usize>,
        /// How many content words each member sentence has.
        words: Vec<usize>,
    }
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut index: HashMap<u64, Vec<(usize, usize)>> = HashMap::default();
    let mut quotes: Vec<Quote> = Vec::new();
    for (r, body) in bodies.iter().enumerate() {
        let mut joined_here: HashSet<usize> = HashSet::default();
        for sentence in sentences_of(body) {
            let text = sentence.text(body);
            if let Some(speaker) = quoted_speaker(text) {
                quotes.push(Quote {
                    speaker: speaker_of(&speaker),
                    report: r,
                    text: text.to_string(),
                });
            }
            let words = content_words(text);
            // Offsets fit in u32 for bodies under 4 GiB; a larger one keeps its own text.
            let s = match sentence {
                Sentence::At(start, end) => match (u32::try_from(start), u32::try_from(end)) {
                    (Ok(a), Ok(b)) => Wording::Body(Arc::clone(body), a, b),
                    _ => Wording::Own(text.into()),
                },
                Sentence::Own(own) => Wording::Own(own.into_boxed_str()),
            };
            // Words in common with every earlier sentence, through an index from word to the
            // sentences (cluster, member) that have it: no sentence-by-sentence comparison.
            let mut common: HashMap<(usize, usize), usize> = HashMap::default();
            for w in &words {
                if let Some(hits) = index.get(w) {
                    for &(ci, mi) in hits {
                        if ci < clusters.len() && !clusters[ci].reports.contains(&r) {
                            *common.entry((ci, mi)).or_insert(0) += 1;
                        }
                    }
                }
            }
            let best = common
                .into_iter()
                .filter(|&((ci, mi), c)| {
                    let shorter = clusters[ci].words[mi].min(words.len());
                    !joined_here.contains(&ci) && c >= 4 && c * 2 >= shorter
                })
                .map(|((ci, _), c)| (c, ci))
                .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
            let (ci, mi) = match best {
                Some((_, ci)) => {
                    clusters[ci].reports.push(r);
                    clusters[ci].wordings.push(s);
                    clusters[ci].words.push(words.len());
                    joined_here.insert(ci);
                    (ci, clusters[ci].words.len() - 1)
                }
                None => {
                    clusters.push(Cluster {
                        wordings: vec![s],
                        reports: vec![r],
                        words: vec![words.len()],
                    });
                    (clusters.len() - 1, 0)
                }
            };
            for w in words {
                index.entry(w).or_default().push((ci, mi));
            }
        }
    }
    let mut shared: Vec<Statement> = Vec::new();
    let mut single: Vec<Statement> = Vec::new();
    for c in clusters {
        let st = Statement {
            reports: c.reports,
            wordings: c.wordings,
        };
        if st.reports.len() >= 2 {
            shared.push(st);
        } else {
            single.push(st);
        }
    }
    // Most widely carried first; otherwise in the order the reports tell them.
    shared.sort_by_key(|s| std::cmp::Reverse(s.reports.len()));
    single.sort_by_key(|s| s.reports[0]);
    let mut by_speaker: BTreeMap<String, Vec<Quote>> = BTreeMap::new();
    for q in quotes {
        by_speaker.entry(q.speaker.clone()).or_default().push(q);
    }
    let quotes = by_speaker
        .into_iter()
        .filter(|(_, qs)| {
            let mut rs: Vec<usize> = qs.iter().map(|q| q.report).collect();
            rs.dedup();
            rs.len() >= 2
        })
        .collect();
    Agreement {
        shared,
        single,
        quotes,
    }
}

/// Who a sentence quotes: "…,” kata SVR", "…, said Dmitry Peskov", "Peskov said: “…”".
fn quoted_speaker(s: &str) -> Option<String> {
    if !s.contains(['“', '”', '"']) {
        return None;
    }
    const VERBS: &[&str] = &[
        "kata", "ujar", "ucap", "tutur", "ungkap", "jelas", "tegas", "said", "says", "told",
        "menurut",
    ];
    let words: Vec<&str> = s.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        let bare = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        if VERBS.contains(&bare.as_str()) {
            // The capitalised words right after the verb, stopping at punctuation.
            let mut name: Vec<&str> = Vec::new();
            for n in &words[i + 1..] {
                let t = n.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
                if t.chars().next().is_some_and(char::is_uppercase) {
                    name.push(t);
                    if n.ends_with([',', '.', ';', ':']) || name.len() == 4 {
                        break;
                    }
                } else {
                    break;
                }
            }
            if !name.is_empty() {
                return Some(name.join(" "));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_glued_by_a_scraper_are_split() {
        assert_eq!(
            sentences("The deal was ratified, News.Az reports, citing foreign media.The notice comes after a vote.It was signed by Putin in June, the U.S. said."),
            [
                "The deal was ratified, News.Az reports, citing foreign media.",
                "The notice comes after a vote.It was signed by Putin in June, the U.S. said.",
            ]
        );
    }

    #[test]
    fn sentences_split_at_full_stops_before_capitals() {
        assert_eq!(
            sentences("Naryshkin tiba di Pyongyang pada Senin. Ia bertemu Ri Chang Dae, kata SVR.\n\n“Kerja sama meningkat,” kata KCNA."),
            [
                "Naryshkin tiba di Pyongyang pada Senin.",
                "Ia bertemu Ri Chang Dae, kata SVR.",
                "“Kerja sama meningkat,” kata KCNA."
            ]
        );
    }

    #[test]
    fn the_same_statement_in_two_reports_is_shared() {
        let a = "Sergei Naryshkin, kepala SVR, mengunjungi Pyongyang pada 25-27 Maret. Putin memberi Kim limusin Aurus.";
        let b = "Naryshkin, kepala Dinas Intelijen Asing Rusia (SVR), mengunjungi Pyongyang pada 25 hingga 27 Maret, kata SVR. Korea Utara memperluas hubungan dengan Vietnam.";
        let ag = compare(&[a.into(), b.into()], &|s| s.to_string());
        assert_eq!(ag.shared.len(), 1, "{ag:?}");
        assert_eq!(ag.shared[0].reports, [0, 1]);
        assert_eq!(ag.single.len(), 2);
    }

    #[test]
    fn speakers_quoted_in_two_reports_stand_side_by_side() {
        let a = "“Mereka membahas isu-isu topikal,” kata SVR seperti dikutip TASS.";
        let b = "“Mereka membahas berbagai isu,” kata SVR yang dikutip kantor berita TASS.";
        let ag = compare(&[a.into(), b.into()], &|s| s.to_string());
        assert_eq!(ag.quotes.len(), 1);
        assert_eq!(ag.quotes[0].0, "SVR");
        assert_eq!(ag.quotes[0].1.len(), 2);
    }
}
