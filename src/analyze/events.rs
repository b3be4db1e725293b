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

use chrono::{Datelike, NaiveDate};
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
    /// The event note the report joined (`from` and `to` are then both the report).
    pub(crate) note: Option<String>,
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
/// join them or each other as their text says. An analyst's event notes (`notes`, each as a
/// report of its own event: title, summary and text, dated by its start) take part too, so the
/// reports that tell a note's event join it even when none names it; they are not members of
/// the groups returned. With `explain`, each link also names the terms its two reports share
/// (slower: it reads both reports again).
pub(crate) fn group(
    reports: &[Report],
    notes: &[Report],
    config: &EventsConfig,
    explain: bool,
) -> Vec<Group> {
    let n = reports.len();
    if notes.is_empty() {
        let all: Vec<&Report> = reports.iter().collect();
        return group_sorted(&all, &TermLexicon::new(), config, explain);
    }
    // The notes in date order among the reports (whose order is kept), then back to the
    // reports' own indices.
    let key = |r: &Report| (r.date.day().is_none(), r.date.day());
    let mut order: Vec<usize> = (0..n + notes.len()).collect();
    let get = |k: usize| if k < n { &reports[k] } else { &notes[k - n] };
    order.sort_by_key(|&k| (key(get(k)), k >= n));
    let all: Vec<&Report> = order.iter().map(|&k| get(k)).collect();
    let mut groups = group_sorted(&all, &TermLexicon::new(), config, explain);
    for g in &mut groups {
        g.members = (g.members.iter().map(|&m| order[m]))
            .filter(|&m| m < n)
            .collect();
        g.members.sort_unstable();
        for l in &mut g.links {
            let (from, to) = (order[l.from], order[l.to]);
            if from < n && to < n {
                (l.from, l.to) = (from, to);
            } else {
                // A report that joined a note: the link names the note, both ends the report.
                l.note = Some(notes[from.max(to) - n].id.clone());
                let report = from.min(to);
                (l.from, l.to) = (report, report);
            }
        }
        g.links.sort_by_key(|x| (x.from, x.to));
    }
    groups.retain(|g| !g.members.is_empty());
    groups
}

/// [`group`] over reports and notes in date order.
fn group_sorted(
    reports: &[&Report],
    lex: &TermLexicon,
    config: &EventsConfig,
    explain: bool,
) -> Vec<Group> {
    let terms: Vec<Vec<Term>> = reports.par_iter().map(|r| terms_of(lex, r)).collect();
    let languages: Vec<u8> = reports.par_iter().map(|r| lex.language_of(r)).collect();
    // `None` for a report of unknown date (they come last): it is placed by its text alone.
    let days: Vec<Option<NaiveDate>> = reports.iter().map(|r| r.date.day()).collect();
    let window = i64::from(config.window_days);
    let index = TermIndex::new(terms, &days, window);
    let edges = index.candidate_pairs(&days, &languages, window, config.threshold as f32);
    let (mut parent, label, joins) = join(reports, edges, &index, &languages);
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
                    note: None,
                    shared: if explain {
                        shared_terms(lex, reports[a], reports[b], &index.weights, 6)
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

/// Reports this many days further apart than the window are compared too when their titles
/// or leads name the same day: an event is covered from its announcement ("will visit on June
/// 18-19") to its aftermath ("returned from"), more days than the window.
const SAME_DAY_NAMED: i64 = 6;

/// Terms in up to this many reports are never dropped as common vocabulary (see
/// [`TermIndex::new`]).
const KEPT_DF: usize = 200;

/// A term (by hash) of one report, with its boost (or weight) and whether it reads the same in
/// every language.
type Term = (u64, f32, bool);

/// The reports' distinctive terms, weighted, and the inverted index over them.
struct TermIndex {
    /// Each report's terms with their weights (rarity, concentration in time, name boost).
    weighted: Vec<Vec<Term>>,
    /// The length of each report's term vector.
    norms: Vec<f32>,
    /// The length of the part of each report's term vector that every language shares: names,
    /// numbers and days.
    neutral_norms: Vec<f32>,
    /// Term → the reports that have it, in report (date) order.
    /// (with the term's boost in that report).
    postings: HashMap<u64, Vec<(u32, f32)>>,
    /// Term → its weight: rare terms weigh more, and terms that come in bursts far apart less.
    weights: HashMap<u64, f32>,
    /// Each report's days written in its title or lead ("pada 18-19 Juni" → 18/6), by term.
    lead_days: Vec<Vec<u64>>,
}

impl TermIndex {
    fn new(terms: Vec<Vec<Term>>, days: &[Option<NaiveDate>], window: i64) -> TermIndex {
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
                    for &(t, _, _) in ts {
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
        // Below `KEPT_DF` reports a term is kept however common: in a small dossier one event
        // can be most of it (25 of 40 reports on one treaty), and its own words are then in
        // most reports; the dossier's topic words, in every event, weigh little by their idf
        // and their many bursts.
        let max_df = (n / 50).max(KEPT_DF) as u32;
        let day_terms: HashSet<u64> = {
            let mut out = String::new();
            let mut set = HashSet::default();
            for m in 1..=12 {
                for d in 1..=31 {
                    day_term(&mut out, d, m);
                    set.insert(hash(&out));
                }
            }
            set
        };
        let lead_days: Vec<Vec<u64>> = terms
            .par_iter()
            .map(|ts| {
                ts.iter()
                    .filter(|(t, boost, _)| *boost >= 1.5 && day_terms.contains(t))
                    .map(|t| t.0)
                    .collect()
            })
            .collect();
        let terms: Vec<Vec<Term>> = terms
            .into_par_iter()
            .map(|ts| {
                ts.into_iter()
                    .filter(|(t, _, _)| df.get(t).is_some_and(|&c| (2..=max_df).contains(&c)))
                    .collect()
            })
            .collect();
        drop(df);

        // The inverted index, in report order (which is date order).
        let mut postings: HashMap<u64, Vec<(u32, f32)>> = HashMap::default();
        for (i, ts) in terms.iter().enumerate() {
            for &(t, boost, _) in ts {
                postings.entry(t).or_default().push((i as u32, boost));
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
        let weighted: Vec<Vec<Term>> = terms
            .into_par_iter()
            .map(|ts| {
                ts.into_iter()
                    .filter_map(|(t, boost, n)| weights.get(&t).map(|w| (t, w * boost, n)))
                    .collect()
            })
            .collect();
        let norms: Vec<f32> = weighted
            .iter()
            .map(|ts| ts.iter().map(|(_, w, _)| w * w).sum::<f32>().sqrt())
            .collect();
        let neutral_norms: Vec<f32> = weighted
            .iter()
            .map(|ts| {
                ts.iter()
                    .filter(|t| t.2)
                    .map(|(_, w, _)| w * w)
                    .sum::<f32>()
                    .sqrt()
            })
            .collect();

        TermIndex {
            weighted,
            norms,
            neutral_norms,
            postings,
            weights,
            lead_days,
        }
    }

    /// Pairs of reports within `window` days whose similarity reaches `threshold`, found
    /// through the index (never all pairs), best first, ties in a fixed order. Two reports in
    /// different languages share few words even when they tell the same event: their
    /// similarity is also read on the terms every language shares (names, numbers, days), and
    /// the better of the two counts.
    fn candidate_pairs(
        &self,
        days: &[Option<NaiveDate>],
        languages: &[u8],
        window: i64,
        threshold: f32,
    ) -> Vec<(f32, u32, u32)> {
        let (weighted, norms, postings) = (&self.weighted, &self.norms, &self.postings);
        let n = weighted.len();
        // Candidate pairs through the index, within the window; the cosine of each.
        let mut edges: Vec<(f32, u32, u32)> = (0..n)
            .into_par_iter()
            .flat_map_iter(|a| {
                // Per candidate: the dot product of all terms and of the neutral ones.
                let mut dot: HashMap<u32, (f32, f32)> = HashMap::default();
                for &(t, w, neutral) in &weighted[a] {
                    let (Some(p), Some(&base)) = (postings.get(&t), self.weights.get(&t)) else {
                        continue;
                    };
                    // The term's weight in the other report is the same base, boosted as that
                    // report writes it (a name there, a plain word here, or the reverse).
                    let add = |d: &mut (f32, f32), boost: f32| {
                        let x = w * base * boost;
                        d.0 += x;
                        if neutral {
                            d.1 += x;
                        }
                    };
                    match days[a] {
                        Some(day) => {
                            // Only later reports (b > a), within the window: each pair once.
                            // Reports of unknown date come last, and meet this one from their
                            // side.
                            let latest = day + chrono::Duration::days(window);
                            let from = p.partition_point(|&(b, _)| b as usize <= a);
                            for &(b, boost) in &p[from..] {
                                match days[b as usize] {
                                    Some(d) if d <= latest => add(dot.entry(b).or_default(), boost),
                                    _ => break,
                                }
                            }
                        }
                        None => {
                            // No window for a report of unknown date: every dated report, and
                            // the later undated ones.
                            for &(b, boost) in p {
                                let b_undated = days[b as usize].is_none();
                                if b as usize != a && (!b_undated || b as usize > a) {
                                    add(dot.entry(b).or_default(), boost);
                                }
                            }
                        }
                    }
                }
                // Reports further apart than the window that name the same day in their leads:
                // the announcement ("will visit on June 18-19") and the aftermath of one event.
                if let Some(day) = days[a] {
                    let (near, far) = (
                        day + chrono::Duration::days(window),
                        day + chrono::Duration::days(window + SAME_DAY_NAMED),
                    );
                    for t in &self.lead_days[a] {
                        let Some(p) = postings.get(t) else { continue };
                        let from = p.partition_point(|&(b, _)| b as usize <= a);
                        for &(b, boost) in &p[from..] {
                            match days[b as usize] {
                                Some(d) if d <= near => {}
                                Some(d) if d <= far => {
                                    if boost >= 1.5 && !dot.contains_key(&b) {
                                        dot.insert(b, self.dot(a, b as usize));
                                    }
                                }
                                _ => break,
                            }
                        }
                    }
                }
                let mut out: Vec<(f32, u32, u32)> = dot
                    .into_iter()
                    .filter_map(|(b, (d, dn))| {
                        let cosine = |d: f32, denom: f32| if denom > 0.0 { d / denom } else { 0.0 };
                        let mut cos = cosine(d, norms[a] * norms[b as usize]);
                        let (la, lb) = (languages[a], languages[b as usize]);
                        if la != lb && la != 0 && lb != 0 {
                            let nn = &self.neutral_norms;
                            cos = cos.max(cosine(dn, nn[a] * nn[b as usize])) * CROSS_LANGUAGE;
                        }
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

impl TermIndex {
    /// The dot products of two reports' term vectors: of all terms and of the neutral ones.
    fn dot(&self, a: usize, b: usize) -> (f32, f32) {
        // Both are sorted by term.
        let (x, y) = (&self.weighted[a], &self.weighted[b]);
        let (mut i, mut j) = (0, 0);
        let (mut d, mut dn) = (0.0, 0.0);
        while i < x.len() && j < y.len() {
            match x[i].0.cmp(&y[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    let p = x[i].1 * y[j].1;
                    d += p;
                    if x[i].2 {
                        dn += p;
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
        (d, dn)
    }
}

/// Two groups join when they are alike as wholes: the cosine of their centroids and the share
/// of their members with a pair into the other group add up, each as a fraction of these
/// (a cosine of 0.3 alone is enough, as is 60% of the members of each group linked, or half of
/// each). One report whose background paragraph recalls another event links its group to all
/// of that event's reports, but it is one member of its own group: the two stay apart.
const GROUP_COHESION: (f32, f32) = (0.3, 0.6);

/// The most days between the first and the last dated report of an event that grouping makes:
/// coverage runs from a few days before an event to about a week after it. Beyond it, pairs
/// through reports of unknown date (compared with every report) would chain events months
/// apart: a car given in February and a visit in June, both "Putin gives Kim a car".
/// An analyst's `event:` keys may make a longer event, which reports within its days join.
const MAX_SPAN_DAYS: i32 = 14;

/// The first and last day of two spans together.
fn span_of_both(a: (i32, i32), b: (i32, i32)) -> (i32, i32) {
    (a.0.min(b.0), a.1.max(b.1))
}

/// Union-find over the pairs, best first, anchored by explicit `event:` keys: two reports of
/// different explicit events never join, and two groups join only when they are alike as
/// wholes ([`GROUP_COHESION`]): single linkage alone chains events through one report's
/// background paragraph. Returns the forest, each root's label and the joins
/// made (report, report, score).
#[allow(clippy::type_complexity)]
fn join<'a>(
    reports: &[&'a Report],
    edges: Vec<(f32, u32, u32)>,
    index: &TermIndex,
    languages: &[u8],
) -> (Vec<usize>, Vec<Option<&'a str>>, Vec<(usize, usize, f32)>) {
    let n = reports.len();
    let mut forest = Forest {
        index,
        languages,
        parent: (0..n).collect(),
        members: (0..n as u32).map(|i| vec![i]).collect(),
        centroids: (0..n).map(|_| None).collect(),
        adjacency: vec![Vec::new(); n],
        span: (reports.iter())
            .map(|r| {
                r.date
                    .day()
                    .map(|d| (d.num_days_from_ce(), d.num_days_from_ce()))
            })
            .collect(),
        mark: vec![0; n],
        stamp: 0,
    };
    for &(_, a, b) in &edges {
        forest.adjacency[a as usize].push(b);
        forest.adjacency[b as usize].push(a);
    }
    // Each root knows its label.
    let mut label: Vec<Option<&str>> = reports.iter().map(|r| r.event.as_deref()).collect();
    let mut first_with: HashMap<&str, usize> = HashMap::default();
    for (i, r) in reports.iter().enumerate() {
        if let Some(e) = r.event.as_deref() {
            match first_with.get(e) {
                Some(&f) => {
                    let (ra, rb) = (forest.find(f), forest.find(i));
                    forest.unite(ra, rb);
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
        let (ra, rb) = (forest.find(a), forest.find(b));
        if ra == rb {
            continue;
        }
        match (label[ra], label[rb]) {
            (Some(x), Some(y)) if x != y => continue,
            _ => {}
        }
        if !forest.close_in_time(ra, rb) || !forest.cohesive(ra, rb) {
            continue;
        }
        let l = label[ra].or(label[rb]);
        forest.unite(ra, rb);
        label[ra] = l;
        joins.push((a, b, score));
    }

    (forest.parent, label, joins)
}

/// The union-find of [`join`], with each group's members and centroid.
struct Forest<'i> {
    index: &'i TermIndex,
    languages: &'i [u8],
    parent: Vec<usize>,
    /// Each root's members (empty for the others).
    members: Vec<Vec<u32>>,
    /// Each root's centroid, made when first needed (a report alone needs none).
    centroids: Vec<Option<Centroid>>,
    /// Each report's pairs above the threshold.
    adjacency: Vec<Vec<u32>>,
    /// Each root's first and last day (of its dated members; `None` when it has none), as
    /// days from the common era.
    span: Vec<Option<(i32, i32)>>,
    /// Scratch marks for [`Forest::linked`], current when equal to `stamp`.
    mark: Vec<u32>,
    stamp: u32,
}

impl Forest<'_> {
    fn find(&mut self, i: usize) -> usize {
        find(&mut self.parent, i)
    }

    /// Root `i`'s centroid, taken out (put it back or merge it).
    fn take_centroid(&mut self, i: usize) -> Centroid {
        self.centroids[i].take().unwrap_or_else(|| {
            let ix = self.index;
            Centroid::of(
                &ix.weighted[i],
                ix.norms[i],
                ix.neutral_norms[i],
                self.languages[i],
            )
        })
    }

    /// Whether roots `ra` and `rb` together stay within [`MAX_SPAN_DAYS`], or within the
    /// longer of the two when one is longer already (an analyst's event).
    fn close_in_time(&self, ra: usize, rb: usize) -> bool {
        let (Some(a), Some(b)) = (self.span[ra], self.span[rb]) else {
            return true;
        };
        let length = |(first, last): (i32, i32)| last - first;
        length(span_of_both(a, b)) <= MAX_SPAN_DAYS.max(length(a)).max(length(b))
    }

    /// Joins root `rb` into root `ra`.
    fn unite(&mut self, ra: usize, rb: usize) {
        self.span[ra] = match (self.span[ra], self.span[rb]) {
            (Some(a), Some(b)) => Some(span_of_both(a, b)),
            (a, b) => a.or(b),
        };
        let (ca, cb) = (self.take_centroid(ra), self.take_centroid(rb));
        self.centroids[ra] = Some(ca.merge(cb));
        let mb = std::mem::take(&mut self.members[rb]);
        self.members[ra].extend(mb);
        self.parent[rb] = ra;
    }

    /// Whether roots `ra` and `rb` are alike enough as groups to join (two single reports
    /// always are: their pair is above the threshold): their centroids' cosine and the share
    /// of their members linked to the other group, together ([`GROUP_COHESION`]).
    fn cohesive(&mut self, ra: usize, rb: usize) -> bool {
        if self.members[ra].len() + self.members[rb].len() <= 2 {
            return true;
        }
        let (ca, cb) = (self.take_centroid(ra), self.take_centroid(rb));
        let cosine = ca.cosine(&cb);
        (self.centroids[ra], self.centroids[rb]) = (Some(ca), Some(cb));
        let (full_cosine, full_linked) = GROUP_COHESION;
        cosine >= full_cosine || cosine / full_cosine + self.linked(ra, rb) / full_linked >= 1.0
    }

    /// The share of each group's members with a pair into the other group, the smaller of the
    /// two: one member with a background paragraph links its group to all of another event's
    /// reports, but it is one of its own group's.
    fn linked(&mut self, ra: usize, rb: usize) -> f32 {
        let (small, other) = if self.members[ra].len() <= self.members[rb].len() {
            (ra, rb)
        } else {
            (rb, ra)
        };
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.mark.fill(0);
            self.stamp = 1;
        }
        // Each pair is seen from the smaller group's side; each end counts once.
        let (mut in_small, mut in_other) = (0usize, 0usize);
        for k in 0..self.members[small].len() {
            let m = self.members[small][k] as usize;
            let mut any = false;
            for j in 0..self.adjacency[m].len() {
                let x = self.adjacency[m][j] as usize;
                if find(&mut self.parent, x) == other {
                    any = true;
                    if self.mark[x] != self.stamp {
                        self.mark[x] = self.stamp;
                        in_other += 1;
                    }
                }
            }
            in_small += usize::from(any);
        }
        let share = |k: usize, root: usize| k as f32 / self.members[root].len() as f32;
        share(in_small, small).min(share(in_other, other))
    }
}

/// The sum of a group's normalised term vectors: how alike two groups are as wholes, so that
/// one strong pair (a background paragraph about another event) does not chain them.
struct Centroid {
    size: usize,
    terms: HashMap<u64, (f32, bool)>,
    norm2: f32,
    neutral_norm2: f32,
    /// Its languages, as a bit set of the language codes.
    languages: u64,
}

impl Centroid {
    fn of(terms: &[Term], norm: f32, neutral_norm: f32, language: u8) -> Centroid {
        let mut c = Centroid {
            size: 1,
            terms: HashMap::default(),
            norm2: 0.0,
            neutral_norm2: 0.0,
            languages: 1 << (language % 64),
        };
        if norm > 0.0 {
            for &(t, w, neutral) in terms {
                c.terms.insert(t, (w / norm, neutral));
            }
            c.norm2 = 1.0;
            c.neutral_norm2 = (neutral_norm / norm).powi(2);
        }
        c
    }

    fn dot(&self, other: &Centroid) -> (f32, f32) {
        let (small, big) = if self.terms.len() <= other.terms.len() {
            (self, other)
        } else {
            (other, self)
        };
        let (mut d, mut dn) = (0.0, 0.0);
        for (t, &(w, neutral)) in &small.terms {
            if let Some(&(v, _)) = big.terms.get(t) {
                d += w * v;
                if neutral {
                    dn += w * v;
                }
            }
        }
        (d, dn)
    }

    fn cosine(&self, other: &Centroid) -> f32 {
        let (d, dn) = self.dot(other);
        let cos = |d: f32, a: f32, b: f32| {
            if a > 0.0 && b > 0.0 {
                d / (a * b).sqrt()
            } else {
                0.0
            }
        };
        let full = cos(d, self.norm2, other.norm2);
        // Groups in different languages (or mixed ones) also meet on their names, numbers and days.
        if self.languages != other.languages || self.languages.count_ones() > 1 {
            full.max(cos(dn, self.neutral_norm2, other.neutral_norm2) * CROSS_LANGUAGE)
        } else {
            full
        }
    }

    fn merge(self, other: Centroid) -> Centroid {
        let (d, dn) = self.dot(&other);
        let (mut big, small) = if self.terms.len() >= other.terms.len() {
            (self, other)
        } else {
            (other, self)
        };
        for (t, (w, neutral)) in small.terms {
            big.terms.entry(t).or_insert((0.0, neutral)).0 += w;
        }
        big.norm2 += small.norm2 + 2.0 * d;
        big.neutral_norm2 += small.neutral_norm2 + 2.0 * dn;
        big.size += small.size;
        big.languages |= small.languages;
        big
    }
}

/// The groups of the forest, in the order of their first report.
fn into_groups(reports: &[&Report], parent: &mut [usize], label: &[Option<&str>]) -> Vec<Group> {
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
    let tb: HashSet<u64> = tb.into_iter().map(|t| t.0).collect();
    let mut shared: Vec<(f32, String)> = ta
        .iter()
        .filter(|(t, _, _)| tb.contains(t))
        .filter_map(|(t, boost, _)| Some((weights.get(t)? * boost, words_a.get(t)?.clone())))
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

/// Words too common to say anything about an event or a statement (Indonesian and English,
/// [`INDONESIAN_STOPWORDS`] and [`ENGLISH_STOPWORDS`]); also used by the comparison of statements.
pub(crate) fn is_stopword(w: &str) -> bool {
    // Asked of every word of every statement compared: one probe, not a scan of both lists.
    static STOPWORDS: std::sync::LazyLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::LazyLock::new(|| {
            (INDONESIAN_STOPWORDS.iter().chain(ENGLISH_STOPWORDS))
                .copied()
                .collect()
        });
    STOPWORDS.contains(w)
}

/// Indonesian words too common to say anything about an event; counted, they also tell a
/// report's language when its front matter does not.
const INDONESIAN_STOPWORDS: &[&str] = &[
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
];

/// Words every news report uses whatever happened (Indonesian and English). A large corpus
/// finds them common by itself; a dossier of a handful of reports cannot, and two reports of
/// different events of one day met through them.
const NEWS_WORDS: &[&str] = &[
    "tentang",
    "terhadap",
    "kepada",
    "bersama",
    "sebesar",
    "selama",
    "sebelum",
    "tetapi",
    "bahkan",
    "hanya",
    "sehingga",
    "yakni",
    "warga",
    "mencatat",
    "pukul",
    "sekitar",
    "sejumlah",
    "kepala",
    "orang",
    "ribu",
    "ribuan",
    "masyarakat",
    "menjadi",
    "bisa",
    "harus",
    "kini",
    "hal",
    "saja",
    "tak",
    "pun",
    "agar",
    "jika",
    "ketika",
    "kemudian",
    "lokasi",
    "wib",
    "minggu",
    "meminta",
    "terjadi",
    "terdekat",
    "sebanyak",
    "when",
    "more",
    "there",
    "other",
    "some",
    "what",
    "one",
    "two",
    "three",
    "all",
    "out",
    "most",
    "people",
    "officials",
    "told",
    "while",
    "before",
    "during",
    "because",
    "could",
    "can",
    "may",
    "should",
    "them",
    "him",
    "our",
    "new",
    "first",
    "last",
    "year",
    "years",
    "week",
    "day",
    "days",
    "time",
    "just",
    "now",
    "then",
    "only",
    "any",
    "such",
    "under",
    "around",
    "according",
    "including",
    "where",
    "how",
    "residents",
    "local",
    "morning",
    "night",
    "follow",
    "following",
    "took",
    "taken",
    "had",
    "put",
    "moved",
    "added",
    "stated",
    "reported",
];

/// English words too common to say anything about an event.
const ENGLISH_STOPWORDS: &[&str] = &[
    "the", "and", "for", "with", "that", "this", "from", "was", "were", "are", "has", "have",
    "had", "his", "her", "its", "their", "they", "said", "says", "will", "would", "been", "not",
    "but", "which", "who", "also", "after", "than", "into", "over", "about", "on", "in", "of",
    "to", "a", "an", "as", "at", "by", "it", "be", "is", "or", "he", "she", "we", "you",
];

/// Stopwords and month names (of every language the site speaks), looked up by hash
/// instead of scanned.
struct TermLexicon {
    stop: HashSet<&'static str>,
    indonesian: HashSet<&'static str>,
    english: HashSet<&'static str>,
    months: HashMap<String, u32>,
    /// Weekday names (Indonesian and English), each with its day from Monday (0).
    weekdays: HashMap<&'static str, u32>,
    /// A spelling → the term it is read as, across Indonesian and English (`bilingual.txt`).
    bilingual: HashMap<&'static str, &'static str>,
}

impl TermLexicon {
    fn new() -> TermLexicon {
        TermLexicon {
            stop: INDONESIAN_STOPWORDS
                .iter()
                .chain(ENGLISH_STOPWORDS)
                .chain(NEWS_WORDS)
                .copied()
                .collect(),
            indonesian: INDONESIAN_STOPWORDS.iter().copied().collect(),
            english: ENGLISH_STOPWORDS.iter().copied().collect(),
            months: crate::i18n::Language::all_month_names().collect(),
            weekdays: WEEKDAYS.iter().copied().collect(),
            bilingual: bilingual_words().collect(),
        }
    }

    /// The language of a report, as a small code (0: not known): its front matter's, or the
    /// one whose stopwords its opening words use clearly more.
    fn language_of(&self, r: &Report) -> u8 {
        if let Some(l) = r.language.as_deref() {
            return match l.get(..2).map(str::to_ascii_lowercase).as_deref() {
                Some("id" | "in" | "ms") => 1,
                Some("en") => 2,
                _ => 3,
            };
        }
        let (mut id, mut en) = (0u32, 0u32);
        for w in r.body.split(|c: char| !c.is_alphabetic()).take(400) {
            let w = w.to_lowercase();
            id += u32::from(self.indonesian.contains(w.as_str()));
            en += u32::from(self.english.contains(w.as_str()));
        }
        match (id, en) {
            (i, e) if i >= 5 && i > 2 * e => 1,
            (i, e) if e >= 5 && e > 2 * i => 2,
            _ => 0,
        }
    }
}

/// Weekday names, lower-cased, with their day from Monday. The Indonesian "minggu" (Sunday)
/// is left out: it is also the word for "week".
const WEEKDAYS: &[(&str, u32)] = &[
    ("monday", 0),
    ("tuesday", 1),
    ("wednesday", 2),
    ("thursday", 3),
    ("friday", 4),
    ("saturday", 5),
    ("sunday", 6),
    ("senin", 0),
    ("selasa", 1),
    ("rabu", 2),
    ("kamis", 3),
    ("jumat", 4),
    ("jum'at", 4),
    ("sabtu", 5),
];

/// The spellings of `bilingual.txt`, each with the term it is read as.
fn bilingual_words() -> impl Iterator<Item = (&'static str, &'static str)> {
    include_str!("bilingual.txt")
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once(':'))
        .flat_map(|(term, spellings)| {
            let term = term.trim();
            spellings
                .split_whitespace()
                .map(move |s| (s, term))
                .chain(std::iter::once((term, term)))
        })
}

/// Writes the term of a day of a month ("16/4") into `out`, the same however the text wrote it.
fn day_term(out: &mut String, day: u32, month: u32) {
    use std::fmt::Write;
    out.clear();
    let _ = write!(out, "{day}/{month}");
}

/// Calls `found(day, month)` for each day written in figures, day first ("16/4", "16/4/2024"),
/// that is a real day of a month.
fn slash_days(text: &str, mut found: impl FnMut(u32, u32)) {
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'/') {
        let slash = i + off;
        i = slash + 1;
        // The figures just before and just after the slash, one or two of each, not part of a
        // longer number ("2023/24") or of a path.
        let mut s = slash;
        while s > 0 && slash - s < 3 && b[s - 1].is_ascii_digit() {
            s -= 1;
        }
        let mut e = slash + 1;
        while e < b.len() && e - slash <= 3 && b[e].is_ascii_digit() {
            e += 1;
        }
        let whole = |x: usize, y: usize| y > x && y - x <= 2;
        if !whole(s, slash) || !whole(slash + 1, e) {
            continue;
        }
        if (s > 0 && (b[s - 1].is_ascii_alphanumeric() || b[s - 1] == b'/'))
            || (e < b.len() && (b[e].is_ascii_alphanumeric()))
        {
            continue;
        }
        let (Ok(d), Ok(m)) = (
            text[s..slash].parse::<u32>(),
            text[slash + 1..e].parse::<u32>(),
        ) else {
            continue;
        };
        if (1..=31).contains(&d) && (1..=12).contains(&m) {
            found(d, m);
        }
    }
}

/// The words of a report's body that make its lead (the paragraph that crosses this count is
/// the lead's last).
const LEAD_WORDS: usize = 60;

/// How much more a similarity counts between reports in two languages: even on the terms they
/// share, a translation's names and numbers differ more than a report's in its own language.
const CROSS_LANGUAGE: f32 = 1.25;

/// How much a term of the body after the lead weighs against one of the title or lead.
const BACKGROUND_WEIGHT: f32 = 0.25;

/// A report's terms, each once (by hash), with a boost for names and whether the term reads
/// the same in every language (a name, a number, a day).
fn terms_of(lex: &TermLexicon, r: &Report) -> Vec<Term> {
    let mut terms: Vec<Term> = Vec::with_capacity(256);
    each_term(lex, r, |term, _, boost, neutral| {
        terms.push((hash(term), boost, neutral));
    });
    // Each term once, with its highest boost.
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
    terms.dedup_by_key(|t| t.0);
    terms
}

/// The words behind each term of a report (for explanations only: it allocates).
fn words_of(lex: &TermLexicon, r: &Report) -> HashMap<u64, String> {
    let mut words = HashMap::default();
    each_term(lex, r, |term, shown, _, _| {
        words.entry(hash(term)).or_insert_with(|| shown.to_string());
    });
    words
}

/// Calls `emit(term, shown, boost, neutral)` for every term of the report's title and body:
/// lower-cased words (no stopwords, at least three letters, or two digits), pairs of
/// capitalised words (names), and days written with a month ("25 Maret", "25-27 Maret" →
/// "25/3"). `shown` is the term as this report writes it ("rusia" for the term "russia").
fn each_term(lex: &TermLexicon, r: &Report, mut emit: impl FnMut(&str, &str, f32, bool)) {
    let mut lower = String::new();
    let mut prev_cap = String::new();
    let mut prev_shown = String::new();
    let mut pair = String::new();
    let mut pair_shown = String::new();
    // The title and the lead say what happened; later paragraphs also recall other events
    // (background), so their terms weigh less.
    let mut body_words = 0usize;
    let parts = std::iter::once(r.title.as_str()).chain(r.body.split("\n\n"));
    for (k, text) in parts.enumerate() {
        let factor = if k == 0 || body_words < LEAD_WORDS {
            1.0
        } else {
            BACKGROUND_WEIGHT
        };
        if k > 0 {
            body_words += text.split_whitespace().count();
        }
        let mut emit = |term: &str, shown: &str, boost: f32, neutral: bool| {
            emit(term, shown, boost * factor, neutral);
        };
        // Days written in figures: "Selasa (16/4/2024)" → "16/4".
        slash_days(text, |d, m| {
            day_term(&mut pair, d, m);
            emit(&pair, &pair, 1.5, true);
        });
        prev_cap.clear();
        // The two words before the current one, for days written before a month; a month
        // just read, for a day written after it ("June 18-19").
        let mut before: [Option<&str>; 2] = [None, None];
        let mut month_before: Option<u32> = None;
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
            let day = |x: Option<&str>| {
                x.and_then(|d| d.parse::<u32>().ok())
                    .filter(|d| (1..=31).contains(d))
            };
            if let Some(&m) = lex.months.get(lower.as_str()) {
                match day(prev[1]) {
                    Some(d) => {
                        let first = day(prev[0]).filter(|f| *f < d).unwrap_or(d);
                        day_term(&mut pair, first, m);
                        emit(&pair, &pair, 1.5, true);
                        month_before = None;
                    }
                    None => month_before = Some(m),
                }
                prev_cap.clear();
                continue;
            }
            if let (Some(m), Some(d)) = (month_before.take(), day(Some(w))) {
                day_term(&mut pair, d, m);
                emit(&pair, &pair, 1.5, true);
            }
            // A weekday is a day of the week before the report's own ("on Tuesday").
            if let (Some(&wd), Some(date)) = (lex.weekdays.get(lower.as_str()), r.date.day()) {
                let back = (date.weekday().num_days_from_monday() + 7 - wd) % 7;
                let d = date - chrono::Duration::days(i64::from(back));
                day_term(&mut pair, d.day(), d.month());
                emit(&pair, &pair, 1.5, true);
            }
            let numeric = lower.bytes().all(|c| c.is_ascii_digit());
            // A year ("2025") is shared by every report of its year: not a trace of one event.
            let year = numeric && lower.len() == 4 && matches!(lower.as_bytes()[0], b'1' | b'2');
            if lex.stop.contains(lower.as_str())
                || year
                || (numeric && lower.len() < 2)
                || (!numeric && lower.chars().count() < 3)
            {
                prev_cap.clear();
                continue;
            }
            // One term for a word's Indonesian and English spellings.
            let word = lex
                .bilingual
                .get(lower.as_str())
                .copied()
                .unwrap_or(lower.as_str());
            let capitalised = w.chars().next().is_some_and(char::is_uppercase);
            if capitalised && !numeric {
                if !prev_cap.is_empty() {
                    pair.clear();
                    pair.push_str(&prev_cap);
                    pair.push(' ');
                    pair.push_str(word);
                    pair_shown.clear();
                    pair_shown.push_str(&prev_shown);
                    pair_shown.push(' ');
                    pair_shown.push_str(&lower);
                    emit(&pair, &pair_shown, 1.5, true);
                }
                emit(word, &lower, 1.2, true);
                prev_cap.clear();
                prev_cap.push_str(word);
                prev_shown.clear();
                prev_shown.push_str(&lower);
            } else {
                emit(word, &lower, 1.0, numeric);
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

    /// The days a text names, as terms, for a report published on `published`.
    fn check_days(text: &str, published: &str, expected: &[&str]) {
        let r = Report {
            body: text.into(),
            date: crate::load::content::Dated::Day(
                NaiveDate::parse_from_str(published, "%Y-%m-%d").unwrap(),
            ),
            ..Report::default()
        };
        let words = words_of(&TermLexicon::new(), &r);
        let mut days: Vec<&str> = words
            .values()
            .map(String::as_str)
            .filter(|w| w.contains('/'))
            .collect();
        days.sort();
        assert_eq!(days, expected, "{text:?}");
    }

    #[test]
    fn days_as_the_text_writes_them() {
        check_days("tiba pada 25-27 Maret", "2024-03-20", &["25/3"]);
        check_days("will visit on June 18-19", "2024-06-17", &["18/6"]);
        check_days("Selasa (16/4/2024) pagi", "2024-04-17", &["16/4"]);
        check_days("pada Jumat (5/7)", "2024-07-06", &["5/7"]);
        // A weekday is the last such day up to the report's own.
        check_days("erupted on Tuesday", "2024-04-18", &["16/4"]);
        check_days("signed on Wednesday", "2024-06-19", &["19/6"]);
        // Not days: fractions of larger numbers, seasons, paths, impossible dates.
        check_days("the 2023/24 season", "2024-04-18", &[]);
        check_days("rasio 40/60 dan 3/13", "2024-04-18", &[]);
        check_days("see a/16/4 and 16/4b", "2024-04-18", &[]);
        check_days("June 2024", "2024-06-17", &[]);
    }

    #[test]
    fn spellings_of_both_languages_are_one_term() {
        let lex = TermLexicon::new();
        let terms = |t: &str| {
            let r = Report {
                body: t.into(),
                ..Report::default()
            };
            let mut t: Vec<u64> = terms_of(&lex, &r).into_iter().map(|t| t.0).collect();
            t.sort_unstable();
            t
        };
        assert_eq!(
            terms("Rusia Moskow gempa"),
            terms("Russia Moscow earthquake")
        );
        assert_eq!(terms("kunjungan perjanjian"), terms("visited treaty"));
    }

    #[test]
    fn a_reports_language_from_its_front_matter_or_its_words() {
        let lex = TermLexicon::new();
        let lang = |language: Option<&str>, body: &str| {
            lex.language_of(&Report {
                language: language.map(str::to_string),
                body: body.into(),
                ..Report::default()
            })
        };
        assert_eq!(lang(Some("id"), ""), 1);
        assert_eq!(lang(Some("en-GB"), ""), 2);
        assert_eq!(
            lang(None, "Presiden mengatakan bahwa kunjungan itu akan dilakukan pada pekan ini dan juga tahun depan"),
            1
        );
        assert_eq!(
            lang(None, "The president said that the visit will take place this week and that it was agreed"),
            2
        );
        assert_eq!(lang(None, "Putin Kim Pyongyang"), 0);
    }

    #[test]
    fn the_bilingual_list_reads_each_spelling_once() {
        let mut seen: HashMap<&str, &str> = HashMap::default();
        for (spelling, term) in bilingual_words() {
            if let Some(other) = seen.insert(spelling, term) {
                assert_eq!(
                    other, term,
                    "{spelling:?} is read as both {other:?} and {term:?}"
                );
            }
        }
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
