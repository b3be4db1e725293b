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
    let (terms, anchors): (Vec<_>, Vec<_>) = reports
        .par_iter()
        .map(|r| terms_and_anchor(&lex, r))
        .unzip();
    // When each report's event was: the first day its lead names, else its date; `None` for a
    // report of unknown date (placed by its text alone).
    let days: Vec<Option<NaiveDate>> = (reports.iter().zip(anchors))
        .map(|(r, a)| a.or(r.date.day()))
        .collect();
    let window = i64::from(config.window_days);
    let index = TermIndex::new(terms, &days, window);
    let edges = index.candidate_pairs(&days, window, config.threshold as f32);
    let (mut parent, label, joins) = join(reports, edges, &index, config.threshold as f32);
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
    /// Term → the reports that have it, with its weight in each, in the order of their event
    /// days.
    postings: HashMap<u64, Vec<(u32, f32)>>,
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

        // The inverted index, in the order of the reports' event days (unknown last).
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_by_key(|&i| day_key(days, i));
        let mut postings: HashMap<u64, Vec<(u32, f32)>> = HashMap::default();
        for &i in &order {
            for &(t, boost) in &terms[i as usize] {
                postings.entry(t).or_default().push((i, boost));
            }
        }
        let weights: HashMap<u64, f32> = postings
            .par_iter()
            .map(|(&t, p)| {
                let idf = ((n as f32 + 1.0) / p.len() as f32).ln();
                let mut bursts = 1;
                for w in p.windows(2) {
                    let (Some(x), Some(y)) = (days[w[0].0 as usize], days[w[1].0 as usize]) else {
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
        // Each posting's boost becomes the term's weight in that report.
        postings.par_iter_mut().for_each(|(t, p)| {
            let w = weights.get(t).copied().unwrap_or(0.0);
            for x in p.iter_mut() {
                x.1 *= w;
            }
        });
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
                            // Only reports later in the index's order, within the window: each
                            // pair once.
                            // Reports of unknown date come last, and meet this one from their
                            // side.
                            let latest = day + chrono::Duration::days(window);
                            let key = day_key(days, a as u32);
                            let from = p.partition_point(|&(b, _)| day_key(days, b) <= key);
                            for &(b, wb) in &p[from..] {
                                match days[b as usize] {
                                    Some(d) if d <= latest => {
                                        *dot.entry(b).or_insert(0.0) += w * wb;
                                    }
                                    _ => break,
                                }
                            }
                        }
                        None => {
                            // No window for a report of unknown date: every dated report, and
                            // the later undated ones.
                            for &(b, wb) in p {
                                let b_undated = days[b as usize].is_none();
                                if b as usize != a && (!b_undated || b as usize > a) {
                                    *dot.entry(b).or_insert(0.0) += w * wb;
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

/// The order of the index: by event day, then report; unknown days last.
fn day_key(days: &[Option<NaiveDate>], i: u32) -> (NaiveDate, u32) {
    (days[i as usize].unwrap_or(NaiveDate::MAX), i)
}

/// A group's terms: the sum of its reports' unit term vectors, by term.
type Centroid = Vec<(u64, f32)>;

/// The unit term vector of report `i`.
fn unit(index: &TermIndex, i: usize) -> Centroid {
    let n = index.norms[i];
    let mut v: Centroid = if n > 0.0 {
        index.weighted[i].iter().map(|&(t, w)| (t, w / n)).collect()
    } else {
        Vec::new()
    };
    v.sort_unstable_by_key(|x| x.0);
    v
}

/// The sum of two centroids (both sorted by term).
fn add(a: &[(u64, f32)], b: &[(u64, f32)]) -> Centroid {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push((a[i].0, a[i].1 + b[j].1));
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// The dot product of two centroids (both sorted by term): the smaller one's terms looked up
/// in the larger.
fn dot(a: &[(u64, f32)], b: &[(u64, f32)]) -> f32 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small
        .iter()
        .filter_map(|&(t, w)| {
            large
                .binary_search_by_key(&t, |x| x.0)
                .ok()
                .map(|j| w * large[j].1)
        })
        .sum()
}

/// A centroid's length.
fn norm(v: &[(u64, f32)]) -> f32 {
    v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt()
}

/// How alike a group of `m` reports (centroid `small`, length `small_norm`) is to a larger
/// group: the cosine between `small` and the centroid of the larger group's `m` reports most
/// like it. Like for like: a big group's centroid averages over all its sides of the event, so
/// a small group that tells one side (a short report of the arrival) would look less alike to it
/// than to any one of its reports. A single report always passes (its best match in the larger
/// group is the pair that brought it here); the check keeps apart groups of several reports,
/// where one member recalling another event does not make its group like that event's.
fn like_for_like(
    small: &[(u64, f32)],
    small_norm: f32,
    m: u32,
    larger: &[usize],
    units: &[Centroid],
) -> f32 {
    if m <= 1 {
        return 1.0;
    }
    let mut sims: Vec<(f32, usize)> = larger.iter().map(|&r| (dot(&units[r], small), r)).collect();
    // Best first; ties by report so the choice does not depend on the order of `larger`.
    sims.sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    let mut top: Centroid = Vec::new();
    for &(_, r) in sims.iter().take(m as usize) {
        top = add(&top, &units[r]);
    }
    let d = small_norm * norm(&top);
    if d > 0.0 {
        dot(small, &top) / d
    } else {
        0.0
    }
}

/// Union-find over the pairs, best first, anchored by explicit `event:` keys: two reports of
/// different explicit events never join. A pair joins two groups only when the groups as a
/// whole are alike too (`like_for_like` reaches `min_centroid`): one report that recalls
/// another event in its background links to that event's reports, but its group and theirs
/// stay apart. Returns the forest, each root's label and the joins made (report,
/// report, score).
#[allow(clippy::type_complexity)]
fn join<'r>(
    reports: &'r [Report],
    edges: Vec<(f32, u32, u32)>,
    index: &TermIndex,
    min_centroid: f32,
) -> (Vec<usize>, Vec<Option<&'r str>>, Vec<(usize, usize, f32)>) {
    let n = reports.len();
    // Union-find; each root knows its label and (once it has more than one report, or has
    // been compared) its centroid.
    let mut parent: Vec<usize> = (0..n).collect();
    let mut label: Vec<Option<&str>> = reports.iter().map(|r| r.event.as_deref()).collect();
    let mut centroid: Vec<Option<Centroid>> = vec![None; n];
    let mut first_with: HashMap<&str, usize> = HashMap::default();
    for (i, r) in reports.iter().enumerate() {
        if let Some(e) = r.event.as_deref() {
            match first_with.get(e) {
                Some(&f) => {
                    let (ra, rb) = (find(&mut parent, f), find(&mut parent, i));
                    let ca = centroid[ra].take().unwrap_or_else(|| unit(index, ra));
                    let cb = centroid[rb].take().unwrap_or_else(|| unit(index, rb));
                    centroid[ra] = Some(add(&ca, &cb));
                    parent[rb] = ra;
                }
                None => {
                    first_with.insert(e, i);
                }
            }
        }
    }
    let mut joins: Vec<(usize, usize, f32)> = Vec::new();
    let mut norms: Vec<f32> = index
        .norms
        .iter()
        .map(|&x| if x > 0.0 { 1.0 } else { 0.0 })
        .collect();
    let mut size: Vec<u32> = vec![1; n];
    for i in 0..n {
        if let Some(c) = &centroid[i] {
            norms[i] = norm(c);
        }
        let root = find(&mut parent, i);
        if root != i {
            size[root] += 1;
        }
    }
    // Each report's unit vector and each root's members, for the like-for-like check.
    let units: Vec<Centroid> = (0..n).map(|i| unit(index, i)).collect();
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    for i in 0..n {
        let root = find(&mut parent, i);
        if root != i {
            members[root].push(i);
            members[i].clear();
        }
    }
    // Pairs of groups already found apart, with their sizes then: a group that has not grown
    // since is not compared again.
    let mut apart: HashMap<(usize, usize), (u32, u32)> = HashMap::default();
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
        let key = (ra.min(rb), ra.max(rb));
        let sizes = (size[key.0], size[key.1]);
        if apart.get(&key) == Some(&sizes) {
            continue;
        }
        let ca = centroid[ra].take().unwrap_or_else(|| unit(index, ra));
        let cb = centroid[rb].take().unwrap_or_else(|| unit(index, rb));
        let pass = if size[ra] <= size[rb] {
            like_for_like(&ca, norms[ra], size[ra], &members[rb], &units) >= min_centroid
        } else {
            like_for_like(&cb, norms[rb], size[rb], &members[ra], &units) >= min_centroid
        };
        if !pass {
            centroid[ra] = Some(ca);
            centroid[rb] = Some(cb);
            apart.insert(key, sizes);
            continue;
        }
        let c = add(&ca, &cb);
        norms[ra] = norm(&c);
        centroid[ra] = Some(c);
        size[ra] += size[rb];
        let mb = std::mem::take(&mut members[rb]);
        members[ra].extend(mb);
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

/// Indonesian words and names of the news and their English equivalents, so that reports of
/// one event in the two languages share terms beyond the names they both write ("Korea Utara"
/// and "North Korea", "perjanjian" and "treaty").
const SAME: &[(&str, &str)] = &[
    ("korea utara", "north korea"),
    ("korut", "north korea"),
    ("korea selatan", "south korea"),
    ("korsel", "south korea"),
    ("amerika serikat", "united states"),
    ("rusia", "russia"),
    ("ukraina", "ukraine"),
    ("moskow", "moscow"),
    ("tiongkok", "china"),
    ("jepang", "japan"),
    ("presiden", "president"),
    ("menteri", "minister"),
    ("pemimpin", "leader"),
    ("kunjungan", "visit"),
    ("kunjungi", "visit"),
    ("mengunjungi", "visit"),
    ("berkunjung", "visit"),
    ("lawatan", "visit"),
    ("tiba", "arrived"),
    ("perjanjian", "treaty"),
    ("kesepakatan", "agreement"),
    ("kemitraan", "partnership"),
    ("strategis", "strategic"),
    ("komprehensif", "comprehensive"),
    ("menandatangani", "signed"),
    ("teken", "signed"),
    ("pertahanan", "defence"),
    ("defense", "defence"),
    ("keamanan", "security"),
    ("militer", "military"),
    ("senjata", "weapons"),
    ("rudal", "missile"),
    ("delegasi", "delegation"),
    ("pembicaraan", "talks"),
    ("perundingan", "talks"),
    ("pertemuan", "meeting"),
    ("bertemu", "met"),
    ("dukungan", "support"),
    ("kerja", "work"),
    ("pasukan", "troops"),
    ("tentara", "troops"),
    ("perang", "war"),
    ("sanksi", "sanctions"),
    ("pemilihan", "election"),
    ("pemilu", "election"),
    ("suara", "votes"),
    ("hasil", "results"),
    ("dewan", "council"),
    ("pertama", "first"),
    ("kedutaan", "embassy"),
    ("duta", "ambassador"),
    ("ibu", "capital"),
    ("bandara", "airport"),
    ("kremlin", "kremlin"),
    ("juru", "spokesman"),
];

/// Stopwords and month names (of every language the site speaks), looked up by hash
/// instead of scanned.
struct TermLexicon {
    stop: HashSet<&'static str>,
    months: HashMap<String, u32>,
    /// Indonesian → English ([`SAME`]).
    same: HashMap<&'static str, &'static str>,
}

impl TermLexicon {
    fn new() -> TermLexicon {
        TermLexicon {
            stop: STOPWORDS.iter().copied().collect(),
            months: crate::i18n::Language::all_month_names().collect(),
            same: SAME.iter().copied().collect(),
        }
    }
}

/// How much a term of a later paragraph weighs against one of the lead (title and first two
/// paragraphs): the lead says what the report is about, later paragraphs also recall other
/// events (background), and must not be enough to join two reports.
const LATER: f32 = 0.3;

/// A report's terms, each once (by hash), with a boost for names and the lead.
fn terms_of(lex: &TermLexicon, r: &Report) -> Vec<(u64, f32)> {
    terms_and_anchor(lex, r).0
}

/// [`terms_of`], and the day the report's lead says its event began (the earliest day it names
/// within ten days of the report's date), if it names one.
fn terms_and_anchor(lex: &TermLexicon, r: &Report) -> (Vec<(u64, f32)>, Option<NaiveDate>) {
    let mut terms: Vec<(u64, f32)> = Vec::with_capacity(256);
    let date = r.date.day();
    let mut anchor: Option<NaiveDate> = None;
    each_term(
        lex,
        r,
        |term, boost| terms.push((hash(term), boost)),
        |day, month| {
            if let Some(d) = date.and_then(|date| named_day(date, day, month)) {
                anchor = Some(anchor.map_or(d, |a| a.min(d)));
            }
        },
    );
    // Each term once, with its highest boost.
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
    terms.dedup_by_key(|t| t.0);
    (terms, anchor)
}

/// The day `day`/`month` a report of `date` names: in the year that puts it nearest, if that
/// is within ten days before or after.
fn named_day(date: NaiveDate, day: u32, month: u32) -> Option<NaiveDate> {
    use chrono::Datelike;
    let y = date.year();
    [y - 1, y, y + 1]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .min_by_key(|d| (*d - date).num_days().abs())
        .filter(|d| (*d - date).num_days().abs() <= 10)
}

/// The words behind each term of a report (for explanations only: it allocates).
fn words_of(lex: &TermLexicon, r: &Report) -> HashMap<u64, String> {
    let mut words = HashMap::default();
    each_term(
        lex,
        r,
        |term, _| {
            words.entry(hash(term)).or_insert_with(|| term.to_string());
        },
        |_, _| {},
    );
    words
}

/// Whether a report is a later page of an article: a title made from its first words, or a
/// section's page title ("Diplomasi - Halaman 2"). It has no lead: all its paragraphs count
/// alike, and the days it names say nothing of when its event was.
pub(crate) fn is_fragment(r: &Report) -> bool {
    if r.title_generated {
        return true;
    }
    let t = r.title.trim_end();
    let Some(rest) = t
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .strip_suffix(' ')
    else {
        return false;
    };
    let word = rest.rsplit(' ').next().unwrap_or("").to_lowercase();
    rest.len() < t.len() - 1 && matches!(word.as_str(), "halaman" | "page" | "hal." | "hlm.")
}

/// Calls `emit(term, boost)` for every term of the report's title and body: lower-cased words
/// (no stopwords, at least three letters, or two digits), pairs of capitalised words (names),
/// and days written with a month ("25 Maret", "25-27 Maret", "March 25-27") or as day/month
/// ("Kamis (28/3)") → "25/3". Terms of later paragraphs weigh [`LATER`] of the lead's (a
/// fragment's all weigh the same); `lead_day(day, month)` gets the days the lead names.
fn each_term(
    lex: &TermLexicon,
    r: &Report,
    mut emit: impl FnMut(&str, f32),
    mut lead_day: impl FnMut(u32, u32),
) {
    let fragment = is_fragment(r);
    let mut pair = String::new();
    let title = if fragment { "" } else { r.title.as_str() };
    let paragraphs = std::iter::once(title).chain(
        r.body
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty() && !p.starts_with('#')),
    );
    for (k, text) in paragraphs.enumerate() {
        let lead = !fragment && k <= 2;
        let zone = if fragment {
            0.6
        } else if lead {
            1.0
        } else {
            LATER
        };
        let mut days: Vec<(u32, u32)> = Vec::new();
        slashed_days(text, |d, m| days.push((d, m)));
        paragraph_terms(lex, text, zone, &mut emit, |d, m| days.push((d, m)));
        for (d, m) in days {
            pair.clear();
            pair.push_str(&format!("{d}/{m}"));
            emit(&pair, 1.5 * zone);
            if lead {
                lead_day(d, m);
            }
        }
    }
}

/// Days written day/month ("(28/3)", "28/3/2024") in `text`.
fn slashed_days(text: &str, mut found: impl FnMut(u32, u32)) {
    let b = text.as_bytes();
    for (i, _) in text.match_indices('/') {
        let digits_before = b[..i]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let digits_after = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=2).contains(&digits_before) || !(1..=2).contains(&digits_after) {
            continue;
        }
        let start = i - digits_before;
        let end = i + 1 + digits_after;
        // Not part of a longer number or word ("2024/06", "A12/3", "3/45b").
        if (start > 0 && (b[start - 1].is_ascii_alphanumeric() || b[start - 1] == b'/'))
            || b.get(end).is_some_and(u8::is_ascii_alphabetic)
        {
            continue;
        }
        let d: u32 = text[start..i].parse().unwrap_or(0);
        let m: u32 = text[i + 1..end].parse().unwrap_or(0);
        if (1..=31).contains(&d) && (1..=12).contains(&m) {
            found(d, m);
        }
    }
}

/// The terms of one paragraph, weighed by `zone`; days written with a month go to `day`.
fn paragraph_terms(
    lex: &TermLexicon,
    text: &str,
    zone: f32,
    emit: &mut dyn FnMut(&str, f32),
    mut day: impl FnMut(u32, u32),
) {
    let mut lower = String::new();
    let mut prev_cap = String::new();
    let mut pair = String::new();
    // The two words before the current one, for days written before a month; the month just
    // read, for days written after it.
    let mut before: [Option<&str>; 2] = [None, None];
    let mut month_before: Option<u32> = None;
    let as_day = |x: Option<&str>| {
        x.and_then(|d| d.parse::<u32>().ok())
            .filter(|d| (1..=31).contains(d))
    };
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
        if let Some(m) = month_before.take() {
            if let Some(d) = as_day(Some(w)).filter(|_| w.len() <= 2) {
                day(d, m);
            }
        }
        if let Some(&m) = lex.months.get(lower.as_str()) {
            match as_day(prev[1]) {
                Some(d) => day(as_day(prev[0]).filter(|f| *f < d).unwrap_or(d), m),
                None => month_before = Some(m),
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
        if let Some(&en) = lex.same.get(lower.as_str()) {
            lower.clear();
            lower.push_str(en);
        }
        let capitalised = w.chars().next().is_some_and(char::is_uppercase);
        if capitalised && !numeric {
            if !prev_cap.is_empty() {
                pair.clear();
                pair.push_str(&prev_cap);
                pair.push(' ');
                pair.push_str(&lower);
                let en = lex.same.get(pair.as_str()).copied();
                emit(en.unwrap_or(&pair), 1.5 * zone);
            }
            emit(&lower, 1.2 * zone);
            prev_cap.clear();
            prev_cap.push_str(&lower);
        } else {
            emit(&lower, zone);
            prev_cap.clear();
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
    fn like_for_like_compares_a_small_group_with_its_closest_reports() {
        // Unit vectors over terms 1..=6. The larger group tells two sides of an event: reports
        // 0 and 1 the arrival (terms 1, 2), reports 2 and 3 the talks (terms 3, 4).
        let h = std::f32::consts::FRAC_1_SQRT_2;
        let units: Vec<Centroid> = vec![
            vec![(1, h), (2, h)],
            vec![(1, h), (2, h)],
            vec![(3, h), (4, h)],
            vec![(3, h), (4, h)],
            vec![(1, h), (2, h)], // 4, 5: a small group about the arrival
            vec![(1, 0.8), (2, 0.6)],
            vec![(5, h), (6, h)], // 6: another event's report, whose group mate 7 recalls the arrival
            vec![(1, h), (6, h)],
        ];
        let larger = [0, 1, 2, 3];
        let arrival = add(&units[4], &units[5]);
        let whole = add(&add(&units[0], &units[1]), &add(&units[2], &units[3]));
        let cos_whole = dot(&arrival, &whole) / (norm(&arrival) * norm(&whole));
        let like = like_for_like(&arrival, norm(&arrival), 2, &larger, &units);
        assert!(like > 0.95, "{like}");
        assert!(cos_whole < 0.75, "{cos_whole}");
        let other = add(&units[6], &units[7]);
        let apart = like_for_like(&other, norm(&other), 2, &larger, &units);
        assert!(apart < 0.4, "{apart}");
        // A single report passes on the pair that brought it.
        assert_eq!(like_for_like(&units[7], 1.0, 1, &larger, &units), 1.0);
    }

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
                "naryshkin",
                "pejabat",
                "pyongyang",
                "sergei",
                "sergei naryshkin",
                "visit"
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
