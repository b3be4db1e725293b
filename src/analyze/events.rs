//! Event detection: reports without an `event:` key join the reports that cover the same
//! real-world event.
//!
//! Each report becomes a set of terms: its words, the names it writes (runs of capitalised
//! words), its numbers, and the days it talks about ("25-27 Maret" → 25 March). A term weighs
//! by how rare it is (idf) and by how concentrated in time it is: a term whose reports fall in
//! several bursts far apart in time (the names in a wire service's background paragraph, an
//! outlet's boilerplate) is shared by many events and says little about any one, so its weight
//! is divided by its number of bursts. Two reports are compared only when they are within
//! `window_days` of each other and share a term that is neither unique nor common (an inverted
//! index: no all-pairs comparison); their similarity is the cosine of their weighted term sets.
//! Pairs above `threshold` are joined, best first; two different explicit `event:` labels are
//! never joined.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::load::config::EventsConfig;
use crate::load::content::Report;

/// Why a report is in its group: the pair that joined it, with their score and shared terms.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Link {
    /// Indices into the reports given to [`group`].
    pub(crate) from: usize,
    pub(crate) to: usize,
    pub(crate) score: f64,
    /// The heaviest shared terms, heaviest first.
    pub(crate) shared: Vec<String>,
}

/// A group of reports: one event.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    /// Indices into the reports, in their order.
    pub(crate) members: Vec<usize>,
    /// The `event:` of its labelled members, if any.
    pub(crate) label: Option<String>,
    /// How its unlabelled members joined.
    pub(crate) links: Vec<Link>,
}

/// Groups `reports` (sorted by date). Reports with the same `event:` are one group; the others
/// join them or each other as their text says. With `explain`, each link also names the terms
/// its two reports share (slower: it reads both reports again).
pub(crate) fn group(reports: &[Report], config: &EventsConfig, explain: bool) -> Vec<Group> {
    let lex = TermLexicon::new();
    let terms: Vec<Vec<(u64, f32)>> = reports.par_iter().map(|r| terms_of(&lex, r)).collect();
    // `None` for a report of unknown date (they come last): it is placed by its text alone.
    let days: Vec<Option<NaiveDate>> = reports.iter().map(|r| r.date.day()).collect();
    let window = i64::from(config.window_days);
    let index = TermIndex::new(terms, &days, window);
    let edges = index.candidate_pairs(&days, window, config.threshold as f32);
    let (mut parent, label, joins) = join(reports, edges);
    let mut groups = into_groups(reports, &mut parent, &label);
    let group_of: Vec<usize> = {
        let mut g = vec![0; reports.len()];
        for (k, group) in groups.iter().enumerate() {
            for &m in &group.members {
                g[m] = k;
            }
        }
        g
    };
    let explained: Vec<(usize, Link)> = joins
        .par_iter()
        .map(|&(a, b, score)| {
            (
                group_of[a],
                Link {
                    from: b,
                    to: a,
                    score: f64::from(score),
                    shared: if explain {
                        shared_terms(&lex, &reports[a], &reports[b], &index.weights, 6)
                    } else {
                        Vec::new()
                    },
                },
            )
        })
        .collect();
    for (g, link) in explained {
        groups[g].links.push(link);
    }
    for g in &mut groups {
        g.links.sort_by_key(|x| (x.from, x.to));
    }
    groups
}

/// The reports' distinctive terms, weighted, and the inverted index over them.
struct TermIndex {
    /// Each report's terms with their weights (rarity, concentration in time, name boost).
    weighted: Vec<Vec<(u64, f32)>>,
    /// The length of each report's term vector.
    norms: Vec<f32>,
    /// Term → the reports that have it, in report (date) order.
    postings: HashMap<u64, Vec<u32>>,
    /// Term → its weight: rare terms weigh more, and terms that come in bursts far apart less.
    weights: HashMap<u64, f32>,
}

impl TermIndex {
    fn new(terms: Vec<Vec<(u64, f32)>>, days: &[Option<NaiveDate>], window: i64) -> TermIndex {
        let n = terms.len();
        // Document frequencies, counted in a few chunks in parallel. Most terms are in one report
        // (names, typos) or in very many (common words): only the others are kept from here on,
        // which keeps the index small.
        let chunk = n.div_ceil(rayon::current_num_threads().max(1) * 2).max(1);
        let df: HashMap<u64, u32> = terms
            .par_chunks(chunk)
            .map(|part| {
                let mut m: HashMap<u64, u32> = HashMap::default();
                for ts in part {
                    for &(t, _) in ts {
                        *m.entry(t).or_insert(0) += 1;
                    }
                }
                m
            })
            .reduce(HashMap::default, |mut a, b| {
                if a.len() < b.len() {
                    return merge(b, a);
                }
                for (t, c) in b {
                    *a.entry(t).or_insert(0) += c;
                }
                a
            });
        // A term in more than this many reports is common vocabulary, not a trace of an event.
        let max_df = (n / 50).max(12) as u32;
        let terms: Vec<Vec<(u64, f32)>> = terms
            .into_par_iter()
            .map(|ts| {
                ts.into_iter()
                    .filter(|(t, _)| df.get(t).is_some_and(|&c| (2..=max_df).contains(&c)))
                    .collect()
            })
            .collect();
        drop(df);

        // The inverted index, in report order (which is date order).
        let mut postings: HashMap<u64, Vec<u32>> = HashMap::default();
        for (i, ts) in terms.iter().enumerate() {
            for &(t, _) in ts {
                postings.entry(t).or_default().push(i as u32);
            }
        }
        let weights: HashMap<u64, f32> = postings
            .par_iter()
            .map(|(&t, p)| {
                let idf = ((n as f32 + 1.0) / p.len() as f32).ln();
                let mut bursts = 1;
                for w in p.windows(2) {
                    let (Some(x), Some(y)) = (days[w[0] as usize], days[w[1] as usize]) else {
                        continue;
                    };
                    if (y - x).num_days() > window {
                        bursts += 1;
                    }
                }
                (t, idf / bursts as f32)
            })
            .collect();
        let weighted: Vec<Vec<(u64, f32)>> = terms
            .into_par_iter()
            .map(|ts| {
                ts.into_iter()
                    .filter_map(|(t, boost)| weights.get(&t).map(|w| (t, w * boost)))
                    .collect()
            })
            .collect();
        let norms: Vec<f32> = weighted
            .iter()
            .map(|ts| ts.iter().map(|(_, w)| w * w).sum::<f32>().sqrt())
            .collect();

        TermIndex {
            weighted,
            norms,
            postings,
            weights,
        }
    }

    /// Pairs of reports within `window` days whose similarity reaches `threshold`, found
    /// through the index (never all pairs), best first, ties in a fixed order.
    fn candidate_pairs(
        &self,
        days: &[Option<NaiveDate>],
        window: i64,
        threshold: f32,
    ) -> Vec<(f32, u32, u32)> {
        let (weighted, norms, postings) = (&self.weighted, &self.norms, &self.postings);
        let n = weighted.len();
        // Candidate pairs through the index, within the window; the cosine of each.
        let mut edges: Vec<(f32, u32, u32)> = (0..n)
            .into_par_iter()
            .flat_map_iter(|a| {
                let mut dot: HashMap<u32, f32> = HashMap::default();
                for &(t, w) in &weighted[a] {
                    let Some(p) = postings.get(&t) else { continue };
                    match days[a] {
                        Some(day) => {
                            // Only later reports (b > a), within the window: each pair once.
                            // Reports of unknown date come last, and meet this one from their
                            // side.
                            let latest = day + chrono::Duration::days(window);
                            let from = p.partition_point(|&b| b as usize <= a);
                            for &b in &p[from..] {
                                match days[b as usize] {
                                    Some(d) if d <= latest => {
                                        *dot.entry(b).or_insert(0.0) += w * w;
                                    }
                                    _ => break,
                                }
                            }
                        }
                        None => {
                            // No window for a report of unknown date: every dated report, and
                            // the later undated ones.
                            for &b in p {
                                let b_undated = days[b as usize].is_none();
                                if b as usize != a && (!b_undated || b as usize > a) {
                                    *dot.entry(b).or_insert(0.0) += w * w;
                                }
                            }
                        }
                    }
                }
                let mut out: Vec<(f32, u32, u32)> = dot
                    .into_iter()
                    .filter_map(|(b, d)| {
                        let denom = norms[a] * norms[b as usize];
                        let cos = if denom > 0.0 { d / denom } else { 0.0 };
                        let (x, y) = ((a as u32).min(b), (a as u32).max(b));
                        (cos >= threshold).then_some((cos, x, y))
                    })
                    .collect();
                out.sort_by_key(|x| x.2);
                out.into_iter()
            })
            .collect();
        // Best first; ties in a fixed order, so the grouping is deterministic.
        edges.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));

        edges
    }
}

/// Union-find over the pairs, best first, anchored by explicit `event:` keys: two reports of
/// different explicit events never join. Returns the forest, each root's label and the joins
/// made (report, report, score).
#[allow(clippy::type_complexity)]
fn join(
    reports: &[Report],
    edges: Vec<(f32, u32, u32)>,
) -> (Vec<usize>, Vec<Option<&str>>, Vec<(usize, usize, f32)>) {
    let n = reports.len();
    // Union-find; each root knows its label.
    let mut parent: Vec<usize> = (0..n).collect();
    let mut label: Vec<Option<&str>> = reports.iter().map(|r| r.event.as_deref()).collect();
    let mut first_with: HashMap<&str, usize> = HashMap::default();
    for (i, r) in reports.iter().enumerate() {
        if let Some(e) = r.event.as_deref() {
            match first_with.get(e) {
                Some(&f) => {
                    let (ra, rb) = (find(&mut parent, f), find(&mut parent, i));
                    parent[rb] = ra;
                }
                None => {
                    first_with.insert(e, i);
                }
            }
        }
    }
    let mut joins: Vec<(usize, usize, f32)> = Vec::new();
    for (score, a, b) in edges {
        let (a, b) = (a as usize, b as usize);
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra == rb {
            continue;
        }
        match (label[ra], label[rb]) {
            (Some(x), Some(y)) if x != y => continue,
            _ => {}
        }
        let l = label[ra].or(label[rb]);
        parent[rb] = ra;
        label[ra] = l;
        joins.push((a, b, score));
    }

    (parent, label, joins)
}

/// The groups of the forest, in the order of their first report.
fn into_groups(reports: &[Report], parent: &mut [usize], label: &[Option<&str>]) -> Vec<Group> {
    let n = reports.len();
    let mut by_root: HashMap<usize, usize> = HashMap::default();
    let mut groups: Vec<Group> = Vec::new();
    #[allow(clippy::needless_range_loop)] // `find` needs `parent` mutably while `i` indexes
    for i in 0..n {
        let root = find(parent, i);
        let g = *by_root.entry(root).or_insert_with(|| {
            groups.push(Group {
                members: Vec::new(),
                label: label[root].map(str::to_string),
                links: Vec::new(),
            });
            groups.len() - 1
        });
        groups[g].members.push(i);
    }
    groups
}

fn merge(mut a: HashMap<u64, u32>, b: HashMap<u64, u32>) -> HashMap<u64, u32> {
    for (t, c) in b {
        *a.entry(t).or_insert(0) += c;
    }
    a
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The heaviest terms two reports share, as words.
fn shared_terms(
    lex: &TermLexicon,
    a: &Report,
    b: &Report,
    weights: &HashMap<u64, f32>,
    k: usize,
) -> Vec<String> {
    let words_a = words_of(lex, a);
    let ta = terms_of(lex, a);
    let tb = terms_of(lex, b);
    let tb: HashMap<u64, f32> = tb.into_iter().collect();
    let mut shared: Vec<(f32, String)> = ta
        .iter()
        .filter(|(t, _)| tb.contains_key(t))
        .filter_map(|(t, boost)| Some((weights.get(t)? * boost, words_a.get(t)?.clone())))
        .collect();
    shared.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    // A name's words also count alone: show the name, not its parts as well.
    let mut out: Vec<String> = Vec::new();
    for (_, w) in shared {
        if out.iter().any(|o| o.split(' ').any(|p| p == w)) {
            continue;
        }
        out.retain(|o| !w.split(' ').any(|p| p == o));
        out.push(w);
    }
    // Pairs of a longer name join up again: "choe son" + "son hui" → "choe son hui".
    let mut merged = true;
    while merged {
        merged = false;
        'outer: for i in 0..out.len() {
            for j in 0..out.len() {
                if i == j {
                    continue;
                }
                let (a, b) = (&out[i], &out[j]);
                if let (Some((_, last)), Some((first, rest))) =
                    (a.rsplit_once(' '), b.split_once(' '))
                {
                    if last == first {
                        let joined = format!("{a} {rest}");
                        let (hi, lo) = if i > j { (i, j) } else { (j, i) };
                        out.remove(hi);
                        out.remove(lo);
                        out.insert(lo, joined);
                        merged = true;
                        break 'outer;
                    }
                }
            }
        }
    }
    out.truncate(k);
    out
}

fn hash(s: &str) -> u64 {
    // FxHash: fast, and the same on every run and machine.
    let mut h = rustc_hash::FxHasher::default();
    s.hash(&mut h);
    h.finish()
}

/// Words too common to say anything about an event or a statement (Indonesian and English);
/// also used by the comparison of statements.
pub(crate) const STOPWORDS: &[&str] = &[
    // Indonesian
    "yang",
    "dan",
    "di",
    "ke",
    "dari",
    "untuk",
    "dengan",
    "pada",
    "dalam",
    "ini",
    "itu",
    "atau",
    "juga",
    "akan",
    "telah",
    "sudah",
    "oleh",
    "karena",
    "bahwa",
    "sebagai",
    "tidak",
    "ada",
    "kata",
    "mengatakan",
    "tersebut",
    "para",
    "kami",
    "mereka",
    "dia",
    "ia",
    "saat",
    "hari",
    "lebih",
    "antara",
    "setelah",
    "sejak",
    "serta",
    "namun",
    "bagi",
    "hingga",
    "tahun",
    "bulan",
    "pekan",
    "lalu",
    "kedua",
    "pihak",
    "secara",
    "menurut",
    "seperti",
    "dapat",
    "masih",
    "belum",
    "sementara",
    "yaitu",
    "adalah",
    "merupakan",
    "sebuah",
    "satu",
    "dua",
    "tiga",
    "baru",
    "lain",
    // English
    "the",
    "and",
    "for",
    "with",
    "that",
    "this",
    "from",
    "was",
    "were",
    "are",
    "has",
    "have",
    "had",
    "his",
    "her",
    "its",
    "their",
    "they",
    "said",
    "says",
    "will",
    "would",
    "been",
    "not",
    "but",
    "which",
    "who",
    "also",
    "after",
    "than",
    "into",
    "over",
    "about",
    "on",
    "in",
    "of",
    "to",
    "a",
    "an",
    "as",
    "at",
    "by",
    "it",
    "be",
    "is",
    "or",
    "he",
    "she",
    "we",
    "you",
];

/// Stopwords and month names (of every language the site speaks), looked up by hash
/// instead of scanned.
struct TermLexicon {
    stop: HashSet<&'static str>,
    months: HashMap<String, u32>,
}

impl TermLexicon {
    fn new() -> TermLexicon {
        TermLexicon {
            stop: STOPWORDS.iter().copied().collect(),
            months: crate::i18n::Language::all_month_names().collect(),
        }
    }
}

/// A report's terms, each once (by hash), with a boost for names.
fn terms_of(lex: &TermLexicon, r: &Report) -> Vec<(u64, f32)> {
    let mut terms: Vec<(u64, f32)> = Vec::with_capacity(256);
    each_term(lex, r, |term, boost| terms.push((hash(term), boost)));
    // Each term once, with its highest boost.
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
    terms.dedup_by_key(|t| t.0);
    terms
}

/// The words behind each term of a report (for explanations only: it allocates).
fn words_of(lex: &TermLexicon, r: &Report) -> HashMap<u64, String> {
    let mut words = HashMap::default();
    each_term(lex, r, |term, _| {
        words.entry(hash(term)).or_insert_with(|| term.to_string());
    });
    words
}

/// Calls `emit(term, boost)` for every term of the report's title and body: lower-cased words
/// (no stopwords, at least three letters, or two digits), pairs of capitalised words (names),
/// and days written with a month ("25 Maret", "25-27 Maret" → "25/3").
fn each_term(lex: &TermLexicon, r: &Report, mut emit: impl FnMut(&str, f32)) {
    let mut lower = String::new();
    let mut prev_cap = String::new();
    let mut pair = String::new();
    for text in [r.title.as_str(), &*r.body] {
        prev_cap.clear();
        // The two words before the current one, for days written before a month.
        let mut before: [Option<&str>; 2] = [None, None];
        for w in text
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .filter(|w| !w.is_empty())
        {
            lower.clear();
            if w.is_ascii() {
                lower.push_str(w);
                lower.make_ascii_lowercase();
            } else {
                lower.extend(w.chars().flat_map(char::to_lowercase));
            }
            let prev = before;
            before = [prev[1], Some(w)];
            if let Some(&m) = lex.months.get(lower.as_str()) {
                let day = |x: Option<&str>| {
                    x.and_then(|d| d.parse::<u32>().ok())
                        .filter(|d| (1..=31).contains(d))
                };
                if let Some(d) = day(prev[1]) {
                    let first = day(prev[0]).filter(|f| *f < d).unwrap_or(d);
                    pair.clear();
                    pair.push_str(&format!("{first}/{m}"));
                    emit(&pair, 1.5);
                }
                prev_cap.clear();
                continue;
            }
            let numeric = lower.bytes().all(|c| c.is_ascii_digit());
            if lex.stop.contains(lower.as_str())
                || (numeric && lower.len() < 2)
                || (!numeric && lower.chars().count() < 3)
            {
                prev_cap.clear();
                continue;
            }
            let capitalised = w.chars().next().is_some_and(char::is_uppercase);
            if capitalised && !numeric {
                if !prev_cap.is_empty() {
                    pair.clear();
                    pair.push_str(&prev_cap);
                    pair.push(' ');
                    pair.push_str(&lower);
                    emit(&pair, 1.5);
                }
                emit(&lower, 1.2);
                prev_cap.clear();
                prev_cap.push_str(&lower);
            } else {
                emit(&lower, 1.0);
                prev_cap.clear();
            }
        }
    }
}

/// An id for a detected event: its title's first words and its month.
/// A detected event's id: its title's slug and its month (`undated` when none of its
/// reports has a date).
pub(crate) fn event_id(title: &str, start: Option<NaiveDate>) -> String {
    let id = crate::load::content::short_slug(title, 48, 7, "event");
    match start {
        Some(start) => format!("{id}-{}", start.format("%Y-%m")),
        None => format!("{id}-undated"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_read_names_days_and_numbers() {
        let r = Report {
            title: "Sergei Naryshkin di Pyongyang".into(),
            body: "Naryshkin mengunjungi Pyongyang pada 25-27 Maret dengan 105 pejabat.".into(),
            ..Report::default()
        };
        let words = words_of(&TermLexicon::new(), &r);
        let mut w: Vec<&str> = words.values().map(String::as_str).collect();
        w.sort();
        assert_eq!(
            w,
            [
                "105",
                "25",
                "25/3",
                "27",
                "mengunjungi",
                "naryshkin",
                "pejabat",
                "pyongyang",
                "sergei",
                "sergei naryshkin"
            ]
        );
    }

    #[test]
    fn ids_from_titles() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 28).unwrap();
        assert_eq!(
            event_id(
                "Pemimpin Agen Rahasia Rusia Kunjungi Korut, Bahas Apa?!",
                Some(d)
            ),
            "pemimpin-agen-rahasia-rusia-kunjungi-korut-bahas-2024-03"
        );
    }
}
