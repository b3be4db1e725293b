//! Stories and origins: which reports carry the same text, and where each report's text comes
//! from.
//!
//! A story is the reports that carry one text: a wire story printed by several outlets (with a
//! sentence dropped, an intro added, paragraphs swapped), one outlet's report copied by others,
//! or the pages of one article saved separately. Three things join reports into a story:
//!
//! - **text reuse**, over the whole dossier: each body's word 4-shingles are summarised by a
//!   MinHash signature, and LSH banding makes candidate pairs only of reports whose signatures
//!   agree on a whole band, so no pair of reports is compared unless it likely shares text.
//!   A candidate joins when the estimated shared part is at least half of the shorter text.
//! - **statements**, inside one event: translations of one wire story share few word runs but
//!   most of their statements, as `corroborate` matches them; two reports of one event whose
//!   statements are mostly the same are one story.
//! - **pages**: a fragment (a page with a generated or "Halaman 2" title and no dateline of its
//!   own) belongs to the article its outlet published that day on the same event.
//!
//! A report's origin is a wire it credits (`wire:`, or "(Reuters)", "dilansir AFP"… in its text),
//! else the wire its story's other reports credit, else its own reporting (the earliest report
//! of its story) or a copy of that earliest report.

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::corroborate::Agreement;
use crate::load::content::Report;

/// Word shingle length.
const SHINGLE: usize = 4;
/// MinHash signature length (a power of two), in bands of `ROWS`: two rows make a band likely
/// to match from a Jaccard similarity of about 0.2 (at 0.4, 32 bands miss one pair in 10^6),
/// so copies with an added intro or a cut tail are candidates.
const HASHES: usize = 64;
const ROWS: usize = 2;
/// The Jaccard similarity of two texts' shingles from which they are one story, or the share of
/// the shorter's shingles the other has. On the synthetic `--hard` corpus copies of one story
/// are all above 0.5 and other pairs below 0.4 (containment: none of those above 0.8).
const JACCARD: f64 = 0.4;
const CONTAINMENT: f64 = 0.8;
/// An LSH bucket larger than this is boilerplate many reports share: its members are compared
/// with its first member only.
const BUCKET_ALL_PAIRS: usize = 48;

/// Where a report's text comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Origin {
    /// The outlet's own reporting (the earliest report of its story, or a page of it).
    Own,
    /// A wire story; `credited` when the report itself credits it.
    Wire { name: String, credited: bool },
    /// A copy of another report (the earliest of its story), by index.
    Copy { of: usize },
}

/// One story: the reports carrying one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Story {
    /// The id of its earliest report: stable while that report stays.
    pub(crate) id: String,
    /// Report indices, in report order.
    pub(crate) reports: Vec<usize>,
    /// When it holds the pages of one article: those pages in order (else empty).
    pub(crate) pages: Vec<usize>,
}

/// Every report's story and origin.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Stories {
    /// In the order of their earliest reports.
    pub(crate) list: Vec<Story>,
    /// For each report, the index of its story.
    pub(crate) story_of: Vec<usize>,
    pub(crate) origin_of: Vec<Origin>,
    /// The agreements of the events whose statements were compared here (by event: its
    /// reports, and how they agree), for the render to reuse while those reports stand.
    pub(crate) agreements: Compared,
}

/// By event: the reports compared, and how they agree.
/// Shared: the preview's next analysis keeps those of events its edit did not touch.
pub(crate) type Compared =
    std::collections::BTreeMap<usize, (Vec<usize>, std::sync::Arc<Agreement>)>;

impl Stories {
    /// What independent origin report `i` rests on: its wire, else its story. Reports with the
    /// same key are not independent of each other.
    pub(crate) fn origin_key(&self, i: usize) -> OriginKey<'_> {
        match &self.origin_of[i] {
            Origin::Wire { name, .. } => OriginKey::Wire(name),
            _ => OriginKey::Story(self.story_of[i]),
        }
    }
}

/// See [`Stories::origin_key`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum OriginKey<'a> {
    Wire(&'a str),
    Story(usize),
}

/// What one analysis's stories were made from, kept by the preview so that the next analysis
/// after an edit reads again only what the edit changed: the text of every report (at the
/// analysis), the wire each one's text credits, and the pairs that text reuse joined. Reading
/// every text again took a second at 10,000 reports, most of a title edit's time.
#[derive(Debug, Default)]
pub(crate) struct StoryInputs {
    bodies: Vec<std::sync::Arc<str>>,
    credited_in_text: Vec<Option<String>>,
    /// Sorted.
    text_pairs: Vec<(usize, usize)>,
}

/// The previous analysis, for [`find_reusing`].
pub(crate) struct Prior<'a> {
    /// Its reports' indices by id.
    pub(crate) index: &'a std::collections::HashMap<String, usize>,
    pub(crate) inputs: &'a StoryInputs,
    /// Its agreements (those of events whose reports' text was not changed since).
    pub(crate) agreements: &'a Compared,
    /// Whether quoted speakers are named as they were (an event's statements are then compared
    /// as they were, when its reports and their text are the same).
    pub(crate) same_speakers: bool,
}

/// Stories of `reports` (in model order), given each report's event.
/// `speaker_of` names quoted speakers in the agreements kept for the render.
pub(crate) fn find(
    reports: &[Report],
    event_of: &[Option<usize>],
    speaker_of: &(dyn Fn(&str) -> String + Sync),
) -> Stories {
    find_reusing(reports, event_of, speaker_of, None).0
}

/// [`find`], reusing what `prior` read of the reports whose text is the same, and what it made
/// of them; with what this analysis was made from, for the next.
pub(crate) fn find_reusing(
    reports: &[Report],
    event_of: &[Option<usize>],
    speaker_of: &(dyn Fn(&str) -> String + Sync),
    prior: Option<Prior<'_>>,
) -> (Stories, StoryInputs) {
    let n = reports.len();
    // Each report's index in the prior analysis, when its text is the one read there.
    let was: Vec<Option<usize>> = match &prior {
        None => vec![None; n],
        Some(p) => reports
            .par_iter()
            .map(|r| {
                let &j = p.index.get(&r.id)?;
                let old = p.inputs.bodies.get(j)?;
                (std::sync::Arc::ptr_eq(old, &r.body) || *old == r.body).then_some(j)
            })
            .collect(),
    };
    let mut uf = UnionFind::new(n);
    let text_pairs = match &prior {
        // The same texts (in another order, after an edit of a date): the same pairs.
        Some(p) if p.inputs.bodies.len() == n && was.iter().all(Option::is_some) => {
            let mut now = vec![0; n];
            for (i, j) in was.iter().enumerate() {
                if let Some(j) = j {
                    now[*j] = i;
                }
            }
            let mut pairs: Vec<(usize, usize)> = (p.inputs.text_pairs.iter())
                .map(|&(a, b)| (now[a].min(now[b]), now[a].max(now[b])))
                .collect();
            pairs.sort_unstable();
            pairs
        }
        _ => text_reuse_pairs(reports),
    };
    for &(a, b) in &text_pairs {
        uf.union(a, b);
    }
    let credited_in_text: Vec<Option<String>> = (reports.par_iter().zip(&was))
        .map(|(r, was)| match (&prior, was) {
            (Some(p), Some(j)) => p.inputs.credited_in_text[*j].clone(),
            _ => credited_wire(&r.body),
        })
        .collect();
    let credited: Vec<Option<String>> = (reports.iter().zip(&credited_in_text))
        .map(|(r, c)| r.wire.first().cloned().or_else(|| c.clone()))
        .collect();
    // An event's statements as compared before, when its reports are those compared, in the
    // same order, with the same text.
    let reusable = prior.as_ref().filter(|p| p.same_speakers);
    let by_first: HashMap<usize, &(Vec<usize>, std::sync::Arc<Agreement>)> = (reusable.iter())
        .flat_map(|p| p.agreements.values())
        .filter_map(|kept| Some((*kept.0.first()?, kept)))
        .collect();
    let compared_before = |rs: &[usize]| -> Option<std::sync::Arc<Agreement>> {
        let then: Vec<usize> = rs.iter().map(|&r| was[r]).collect::<Option<_>>()?;
        let (old, ag) = by_first.get(then.first()?)?;
        (*old == then).then(|| std::sync::Arc::clone(ag))
    };
    let (pairs, agreements) = statement_pairs(
        reports,
        event_of,
        &credited,
        &mut uf,
        speaker_of,
        &compared_before,
    );
    for (a, b) in pairs {
        uf.union(a, b);
    }
    let fragment: Vec<bool> = reports.iter().map(is_fragment).collect();
    let mut pages_of: HashMap<usize, Vec<usize>> = HashMap::default();
    for (head, frags) in fragments(reports, event_of, &fragment) {
        for &f in &frags {
            uf.union(head, f);
        }
        pages_of.insert(head, std::iter::once(head).chain(frags).collect());
    }
    let mut list: Vec<Story> = Vec::new();
    let mut story_of = vec![0; n];
    let mut root_story: HashMap<usize, usize> = HashMap::default();
    for i in 0..n {
        let root = uf.find(i);
        let s = *root_story.entry(root).or_insert_with(|| {
            list.push(Story {
                id: reports[i].id.clone(),
                reports: Vec::new(),
                pages: Vec::new(),
            });
            list.len() - 1
        });
        list[s].reports.push(i);
        story_of[i] = s;
        if let Some(p) = pages_of.remove(&i) {
            list[s].pages = p;
        }
    }
    let origin_of = origins(&credited, &list, &story_of, &fragment);
    let stories = Stories {
        agreements,
        list,
        story_of,
        origin_of,
    };
    let inputs = StoryInputs {
        bodies: reports
            .iter()
            .map(|r| std::sync::Arc::clone(&r.body))
            .collect(),
        credited_in_text,
        text_pairs,
    };
    (stories, inputs)
}

/// The pairs of reports that text reuse joins (sorted): their signatures agree on a band, and
/// their shingles are one story's.
fn text_reuse_pairs(reports: &[Report]) -> Vec<(usize, usize)> {
    let sigs: Vec<Option<Signature>> = reports.par_iter().map(|r| signature(&r.body)).collect();
    let mut joined: Vec<(usize, usize)> = candidates(&sigs)
        .into_par_iter()
        .filter(|&(a, b)| match (&sigs[a], &sigs[b]) {
            (Some(x), Some(y)) => x.may_be_same_story(y) && x.same_story(y),
            _ => false,
        })
        .collect();
    joined.sort_unstable();
    joined
}

/// Each report's origin (see the module's doc).
fn origins(
    credited: &[Option<String>],
    list: &[Story],
    story_of: &[usize],
    fragment: &[bool],
) -> Vec<Origin> {
    (0..credited.len())
        .map(|i| {
            if let Some(name) = &credited[i] {
                return Origin::Wire {
                    name: name.clone(),
                    credited: true,
                };
            }
            let story = &list[story_of[i]];
            // The wire most of the story's reports credit; the first named among equals.
            let mut counts: Vec<(&str, usize)> = Vec::new();
            for &m in &story.reports {
                if let Some(w) = &credited[m] {
                    match counts.iter_mut().find(|(n, _)| n == w) {
                        Some(c) => c.1 += 1,
                        None => counts.push((w, 1)),
                    }
                }
            }
            let best = counts.iter().rev().max_by_key(|c| c.1).map(|c| c.0);
            match best {
                Some(name) => Origin::Wire {
                    name: name.to_string(),
                    credited: false,
                },
                None if story.reports[0] == i || fragment[i] || story.pages.contains(&i) => {
                    Origin::Own
                }
                None => Origin::Copy {
                    of: story.reports[0],
                },
            }
        })
        .collect()
}

/// The wires dossier recognises in a text's credits ("(Reuters)", "dilansir AFP"). Primary
/// sources such as KCNA are not wires: "menurut KCNA" attributes a statement.
pub(crate) const WIRES: &[&str] = &[
    "Reuters",
    "AFP",
    "AP",
    "Associated Press",
    "Antara",
    "ANTARA",
    "Bloomberg",
    "Xinhua",
    "Yonhap",
    "Kyodo",
    "Bernama",
    "dpa",
    "Anadolu",
    "TASS",
    "EFE",
    "UPI",
];

/// A wire credited by the text: "Jakarta (Antara) -", "dilansir Reuters", "Dikutip dari AFP",
/// "Kantor berita Xinhua melaporkan", "first published by AP", in its first three paragraphs.
pub(crate) fn credited_wire(body: &str) -> Option<String> {
    const BEFORE: &[&str] = &[
        "dilansir dari ",
        "dilansir ",
        "melansir ",
        "dikutip dari ",
        "kantor berita ",
        "first published by ",
        "report from ",
    ];
    let head: String = body.split("\n\n").take(3).collect::<Vec<_>>().join(" ");
    let mut best: Option<(usize, &str)> = None;
    for w in WIRES {
        let mut consider = |at: usize| {
            if best.is_none_or(|(b, _)| at < b) {
                best = Some((at, w));
            }
        };
        for (at, _) in head.match_indices(&format!("({w})")) {
            consider(at);
        }
        for (at, _) in head.match_indices(w) {
            let end = at + w.len();
            let bounded = head[end..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            let from = (head[..at].char_indices().rev().nth(23)).map_or(0, |(i, _)| i);
            let before = head[from..at].to_lowercase();
            if bounded && BEFORE.iter().any(|b| before.ends_with(b)) {
                consider(at);
            }
        }
    }
    // A wire that signs the text: a paragraph opening "AFP: North Korea has…" among the
    // first, one that is only "(AP)" wherever it stands, or a last one that is only its name
    // ("The Associated Press"; not elsewhere, where a lone "AFP" is a photo's credit).
    if best.is_none() {
        let paragraphs: Vec<&str> = body.split("\n\n").map(str::trim).collect();
        let last = paragraphs.len().saturating_sub(1);
        best = WIRES
            .iter()
            .filter_map(|w| {
                let signs = |p: &str| p.strip_prefix(w).is_some_and(|rest| rest.starts_with(':'));
                let bracketed =
                    |p: &str| p.strip_prefix('(').and_then(|p| p.strip_suffix(')')) == Some(w);
                let named = |p: &str| p == *w || p.strip_prefix("The ") == Some(w);
                let opens = paragraphs.iter().take(3).position(|p| signs(p));
                let alone = paragraphs.iter().position(|p| bracketed(p));
                let signed = paragraphs.get(last).filter(|p| named(p)).map(|_| last);
                opens.or(alone).or(signed).map(|at| (at, *w))
            })
            .min();
    }
    // One name for each wire, so that its copies count as one origin however they credit it.
    best.map(|(_, w)| match w {
        "ANTARA" => "Antara".to_string(),
        "Associated Press" => "AP".to_string(),
        w => w.to_string(),
    })
}

/// A body's shingles (sorted hashes) and their MinHash signature, by one-permutation hashing:
/// each shingle's hash falls in one of `HASHES` bins by its top bits, a bin keeps its smallest,
/// and an empty bin takes the next non-empty one's (densification), so a signature costs one
/// hash per shingle. `None` for a text too short to have a shingle.
#[derive(Debug, Clone)]
struct Signature {
    mins: [u32; HASHES],
    shingles: Vec<u64>,
}

impl Signature {
    /// Whether the signatures leave room for one story: they agree on at least 40% of the
    /// bins that the least similar pair of this size that is one story would agree on (its
    /// Jaccard similarity, `JACCARD`, or less where the shorter text lies inside a longer one).
    /// Reports that only share a background paragraph (Jaccard about 0.07: 4 of 64 bins) are
    /// dropped here before their shingles are merged; one story at Jaccard 0.4 agrees on 26
    /// bins on average and falls below the bar (11) about once in 20,000 pairs.
    fn may_be_same_story(&self, other: &Signature) -> bool {
        let (s, l) = (
            self.shingles.len().min(other.shingles.len()) as f64,
            self.shingles.len().max(other.shingles.len()) as f64,
        );
        let contained = CONTAINMENT * s / (l + (1.0 - CONTAINMENT) * s);
        let least = JACCARD.min(contained);
        let agree = self
            .mins
            .iter()
            .zip(&other.mins)
            .filter(|(x, y)| x == y)
            .count();
        agree as f64 >= 0.4 * least * HASHES as f64
    }

    /// Whether two texts are one story: Jaccard similarity of their shingles at least
    /// `JACCARD`, or nearly all of the shorter text in the other.
    fn same_story(&self, other: &Signature) -> bool {
        let (a, b) = (&self.shingles, &other.shingles);
        let (mut i, mut j, mut inter) = (0, 0, 0usize);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    inter += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        let union = a.len() + b.len() - inter;
        let shorter = a.len().min(b.len()).max(1);
        inter as f64 >= JACCARD * union as f64 || inter as f64 >= CONTAINMENT * shorter as f64
    }
}

/// 64-bit mixing (SplitMix64's finaliser).
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn signature(body: &str) -> Option<Signature> {
    let words: Vec<u64> = body
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            // FNV-1a of the lower-cased word: stable across runs and platforms.
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            let mut step = |c: u64| {
                h ^= c;
                h = h.wrapping_mul(0x0100_0000_01b3);
            };
            if w.is_ascii() {
                // The same hash as below, without decoding: most words are ASCII.
                w.bytes()
                    .for_each(|b| step(u64::from(b.to_ascii_lowercase())));
            } else {
                w.chars()
                    .flat_map(char::to_lowercase)
                    .for_each(|c| step(u64::from(c)));
            }
            h
        })
        .collect();
    if words.len() < SHINGLE {
        return None;
    }
    let mut shingles: Vec<u64> = words
        .windows(SHINGLE)
        .map(|w| w.iter().fold(0u64, |h, &x| mix(h ^ x)))
        .collect();
    shingles.sort_unstable();
    shingles.dedup();
    let mut mins = [u64::MAX; HASHES];
    for &s in &shingles {
        let bin = (s >> (64 - HASHES.trailing_zeros())) as usize;
        let v = s & (u64::MAX >> HASHES.trailing_zeros());
        if v < mins[bin] {
            mins[bin] = v;
        }
    }
    if let Some(first) = mins.iter().position(|&m| m != u64::MAX) {
        // Each empty bin takes the next non-empty bin's value (circularly), marked by its
        // distance so that two texts agree on it only when they agree on that bin.
        let mut last = (first, mins[first]);
        for k in (0..HASHES).rev().map(|k| (k + first) % HASHES) {
            if mins[k] == u64::MAX {
                mins[k] = mix(last.1 ^ ((last.0 + HASHES - k) % HASHES) as u64);
            } else {
                last = (k, mins[k]);
            }
        }
    }
    // Kept in 32 bits: 10,000 signatures are read in random pairs half a million times, and
    // two different minima agree by chance once in four billion.
    Some(Signature {
        mins: mins.map(|m| m as u32),
        shingles,
    })
}

/// Pairs of reports whose signatures agree on a whole band (LSH), each once, in order. The
/// bands are bucketed in parallel: at 10,000 reports they give half a million pairs.
fn candidates(sigs: &[Option<Signature>]) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize)> = (0..HASHES / ROWS)
        .into_par_iter()
        .flat_map_iter(|band| {
            let mut buckets: HashMap<u64, Vec<usize>> = HashMap::default();
            for (i, s) in sigs.iter().enumerate() {
                if let Some(s) = s {
                    let key = s.mins[band * ROWS..(band + 1) * ROWS]
                        .iter()
                        .fold(band as u64, |h, &x| mix(h ^ u64::from(x)));
                    buckets.entry(key).or_default().push(i);
                }
            }
            let mut pairs: Vec<(usize, usize)> = Vec::new();
            for b in buckets.values().filter(|b| b.len() >= 2) {
                if b.len() <= BUCKET_ALL_PAIRS {
                    for (k, &x) in b.iter().enumerate() {
                        pairs.extend(b[k + 1..].iter().map(|&y| (x, y)));
                    }
                } else {
                    pairs.extend(b[1..].iter().map(|&y| (b[0], y)));
                }
            }
            pairs
        })
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs
}

/// Pairs of reports of one event, not yet of one story, whose statements mostly match: at
/// least four shared, and at least 60% of each report's statements. Only a report crediting a
/// wire and one crediting none or the same wire can be translations of one story (independent
/// reports of one event share many facts, so looser rules join them).
fn statement_pairs(
    reports: &[Report],
    event_of: &[Option<usize>],
    credited: &[Option<String>],
    uf: &mut UnionFind,
    speaker_of: &(dyn Fn(&str) -> String + Sync),
    compared_before: &(dyn Fn(&[usize]) -> Option<std::sync::Arc<Agreement>> + Sync),
) -> (Vec<(usize, usize)>, Compared) {
    let may_join = |a: usize, b: usize| match (&credited[a], &credited[b]) {
        (Some(x), Some(y)) => x == y,
        (None, None) => false,
        _ => true,
    };
    let mut by_event: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (i, e) in event_of.iter().enumerate() {
        if let Some(e) = e {
            by_event.entry(*e).or_default().push(i);
        }
    }
    // Only events with reports of two stories or more need the comparison.
    let events: Vec<(usize, Vec<usize>)> = by_event
        .into_iter()
        .filter(|(_, rs)| {
            rs.iter().enumerate().any(|(k, &a)| {
                rs[k + 1..]
                    .iter()
                    .any(|&b| may_join(a, b) && uf.find(a) != uf.find(b))
            })
        })
        .collect();
    /// An event's pairs to join, and its comparison.
    type Done = (
        Vec<(usize, usize)>,
        (usize, (Vec<usize>, std::sync::Arc<Agreement>)),
    );
    let compared: Vec<Done> = events
        .into_par_iter()
        .map(|(e, rs)| {
            let ag = compared_before(&rs).unwrap_or_else(|| {
                let bodies: Vec<std::sync::Arc<str>> = rs
                    .iter()
                    .map(|&r| std::sync::Arc::clone(&reports[r].body))
                    .collect();
                std::sync::Arc::new(super::corroborate::compare(&bodies, speaker_of))
            });
            let mut total = vec![0usize; rs.len()];
            for s in ag.shared.iter().chain(&ag.single) {
                for &k in &s.reports {
                    total[k] += 1;
                }
            }
            let mut common: std::collections::BTreeMap<(usize, usize), usize> = Default::default();
            for s in &ag.shared {
                for (x, &a) in s.reports.iter().enumerate() {
                    for &b in &s.reports[x + 1..] {
                        *common.entry((a.min(b), a.max(b))).or_insert(0) += 1;
                    }
                }
            }
            let pairs = common
                .into_iter()
                .filter(|&((a, b), c)| {
                    c >= 4 && 10 * c >= 6 * total[a].max(total[b]) && may_join(rs[a], rs[b])
                })
                .map(|((a, b), _)| (rs[a], rs[b]))
                .collect::<Vec<_>>();
            (pairs, (e, (rs, ag)))
        })
        .collect();
    let mut pairs = Vec::new();
    let mut agreements = Compared::new();
    for (p, (e, kept)) in compared {
        pairs.extend(p);
        agreements.insert(e, kept);
    }
    pairs.sort_unstable();
    (pairs, agreements)
}

/// Whether a report is a later page of an article: a title made for it (generated from its
/// text, or a section's "… - Halaman 2") and no dateline opening its text.
fn is_fragment(r: &Report) -> bool {
    (r.title_generated || page_number(&r.title).is_some())
        && r.outlet.is_some()
        && r.dateline.is_none()
        && !opens_with_dateline(&r.body)
}

/// "Diplomasi - Halaman 2", "Politics - Page 3": the page number.
fn page_number(title: &str) -> Option<u32> {
    let t = title.trim_end();
    let (rest, num) = t.rsplit_once(' ')?;
    let n: u32 = num.parse().ok()?;
    let rest = rest.trim_end().to_lowercase();
    (rest.ends_with("halaman") || rest.ends_with("page") || rest.ends_with("hal.")).then_some(n)
}

/// "JAKARTA - …", "Kompas.com, Moskow - …", "MOSKOW (Reuters) - …".
fn opens_with_dateline(body: &str) -> bool {
    let first = body.trim_start();
    let head: String = first.chars().take(70).collect();
    head.chars().next().is_some_and(char::is_uppercase)
        && [" - ", " – ", " — "].iter().any(|d| head.contains(d))
}

/// The fragments of each article. A fragment joins a report of its outlet published the same
/// day that is not a fragment: among those of its own event, or (a page with none of the lead's
/// names is easily grouped into another event) of any event when its own has none and was
/// detected, not given by the analyst; the one sharing an author, else the only one, else the
/// one whose words it shares most. Fragments of
/// an outlet and day with no such report join the earliest fragment of their event. Each head
/// with its fragments, in page order.
fn fragments(
    reports: &[Report],
    event_of: &[Option<usize>],
    fragment: &[bool],
) -> Vec<(usize, Vec<usize>)> {
    type Key = (String, Option<chrono::NaiveDate>);
    let mut groups: std::collections::BTreeMap<Key, Vec<usize>> = Default::default();
    for (i, r) in reports.iter().enumerate() {
        if let Some(o) = &r.outlet {
            groups
                .entry((o.to_lowercase(), r.date.day()))
                .or_default()
                .push(i);
        }
    }
    let shares_author =
        |f: usize, h: usize| (reports[f].authors.iter()).any(|a| reports[h].authors.contains(a));
    let mut pages: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for members in groups.into_values() {
        let (frags, heads): (Vec<usize>, Vec<usize>) =
            members.iter().copied().partition(|&i| fragment[i]);
        let mut words_of: HashMap<usize, std::collections::BTreeSet<String>> = HashMap::default();
        for &f in &frags {
            let own_event: Vec<usize> = (heads.iter().copied())
                .filter(|&h| event_of[h].is_some() && event_of[h] == event_of[f])
                .collect();
            // An event the analyst gave the page (`event:`) is kept to: only a detected one
            // may be wrong.
            let given = reports[f].event.is_some();
            let among = if own_event.is_empty() && !given {
                &heads
            } else {
                &own_event
            };
            let head = if let Some(h) = among.iter().copied().find(|&h| shares_author(f, h)) {
                h
            } else if among.len() == 1 {
                among[0]
            } else if among.is_empty() {
                // The earliest fragment of its event heads the others.
                match (frags.iter().copied())
                    .find(|&g| event_of[g].is_some() && event_of[g] == event_of[f])
                {
                    Some(g) if g != f => g,
                    _ => continue,
                }
            } else {
                let fw = long_words(&reports[f].body);
                let mut best: Option<(usize, usize)> = None;
                for &h in among {
                    let hw = (words_of.entry(h)).or_insert_with(|| long_words(&reports[h].body));
                    let shared = fw.intersection(hw).count();
                    if best.is_none_or(|(_, n)| shared > n) {
                        best = Some((h, shared));
                    }
                }
                match best {
                    Some((h, _)) => h,
                    None => continue,
                }
            };
            pages.entry(head).or_default().push(f);
        }
    }
    // A fragment heads others only when its outlet published no article that day, and then
    // it joins nothing itself: no chains.
    pages
        .into_iter()
        .map(|(head, mut frags)| {
            frags.retain(|&f| f != head);
            frags.sort_by_key(|&f| (page_number(&reports[f].title).unwrap_or(u32::MAX), f));
            frags.dedup();
            (head, frags)
        })
        .filter(|(_, frags)| !frags.is_empty())
        .collect()
}

/// A text's words of five letters or more, lower-cased: what a page shares with the rest of
/// its article when it shares none of its names.
fn long_words(body: &str) -> std::collections::BTreeSet<String> {
    body.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 5)
        .map(str::to_lowercase)
        .collect()
}

/// Union-find with path halving; the root of a set is its smallest member, so the result does
/// not depend on the order of unions.
struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = (ra.min(rb), ra.max(rb));
            self.parent[hi] = lo;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(n: usize, seed: u64) -> Vec<String> {
        // Distinct sentences from numbered words, so texts share nothing unless built to.
        (0..n)
            .map(|k| {
                let w: Vec<String> = (0..12)
                    .map(|j| format!("w{}", mix(seed ^ (k as u64 * 100 + j)) % 5000))
                    .collect();
                format!("{}.", w.join(" "))
            })
            .collect()
    }

    /// Stories found again after an edit, reusing what the analysis before it read, must be
    /// those found from scratch.
    fn check_reuse(before: &[Report], after: &[Report], event_of: &[Option<usize>]) {
        let speaker_of = |s: &str| s.to_string();
        let (old, inputs) = find_reusing(before, event_of, &speaker_of, None);
        let index: std::collections::HashMap<String, usize> = (before.iter().enumerate())
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        let prior = Prior {
            index: &index,
            inputs: &inputs,
            agreements: &old.agreements,
            same_speakers: true,
        };
        let (reused, _) = find_reusing(after, event_of, &speaker_of, Some(prior));
        assert_eq!(reused, find(after, event_of, &speaker_of));
    }

    #[test]
    fn stories_found_again_after_an_edit_are_those_found_anew() {
        // Sentences that open with a capital, so that events' statements are compared.
        let said = |n: usize, seed: u64| -> String {
            let t: Vec<String> = (text(n, seed).into_iter())
                .map(|s| format!("Kata {s} Ia menambahkan hal itu."))
                .collect();
            t.join("\n\n")
        };
        let report = |id: &str, body: String| Report {
            id: id.into(),
            title: id.into(),
            outlet: Some(format!("Outlet {id}")),
            body: body.into(),
            ..Report::default()
        };
        let (a, b) = (said(12, 1), said(12, 2));
        let before = vec![
            report("r0", a.clone()),
            report("r1", format!("{a}\n\nKata penutup dari Moskow.")),
            report("r2", b.clone()),
            report("r3", said(12, 3)),
        ];
        let event_of = [Some(0), Some(0), Some(0), Some(1)];
        // The same texts in another order (a date edit).
        let mut moved = before.clone();
        moved.swap(0, 2);
        check_reuse(&before, &moved, &event_of);
        // A text that becomes a copy of another, and one that stops being one.
        let mut copied = before.clone();
        copied[3].body = b.as_str().into();
        copied[1].body = said(12, 4).into();
        check_reuse(&before, &copied, &event_of);
        // A title edit: nothing read again.
        let mut titled = before.clone();
        titled[2].title = "Judul baru".into();
        check_reuse(&before, &titled, &event_of);
    }

    #[test]
    fn copies_with_small_edits_are_one_story_and_others_are_not() {
        let base = text(20, 1);
        let mut copy = base.clone();
        copy.remove(7);
        copy.swap(2, 3);
        copy.insert(
            0,
            "Dikutip dari Reuters berikut laporan dari Moskow.".into(),
        );
        copy.truncate(17);
        let other = text(20, 2);
        let mut mixed = text(14, 3);
        mixed.extend(base[..4].iter().cloned()); // a shared background paragraph
        let sigs: Vec<Option<Signature>> = [&base, &copy, &other, &mixed]
            .iter()
            .map(|t| signature(&t.join("\n\n")))
            .collect();
        let c = candidates(&sigs);
        assert!(c.contains(&(0, 1)), "{c:?}");
        let s =
            |a: usize, b: usize| (sigs[a].as_ref().unwrap()).same_story(sigs[b].as_ref().unwrap());
        assert!(s(0, 1));
        assert!(!s(0, 2));
        assert!(!s(0, 3));
    }

    #[test]
    fn the_signature_filter_keeps_every_pair_that_is_one_story() {
        // Copies cut to every length, and with more of another text mixed in: wherever the
        // shingles say one story, the signatures must leave room for it; a text sharing only a
        // background paragraph is dropped by the signatures alone.
        let base = text(40, 7);
        let sig = |t: &[String]| signature(&t.join("\n\n")).unwrap();
        let whole = sig(&base);
        let (mut same, mut kept) = (0, 0);
        for cut in 4..=40 {
            for extra in [0, 5, 20, 60] {
                let mut t = base[..cut].to_vec();
                t.extend(text(extra, 100 + cut as u64));
                let other = sig(&t);
                if whole.same_story(&other) {
                    same += 1;
                    kept += usize::from(whole.may_be_same_story(&other));
                }
            }
        }
        assert!(same > 50, "{same}");
        assert_eq!(kept, same);
        let mut background = text(36, 9);
        background.extend(base[..4].iter().cloned());
        assert!(!whole.may_be_same_story(&sig(&background)));
    }

    #[test]
    fn credits_in_the_text_name_the_wire() {
        assert_eq!(
            credited_wire("MOSKOW (Reuters) - Kepala intelijen tiba."),
            Some("Reuters".into())
        );
        assert_eq!(
            credited_wire("Pertemuan itu, dilansir AFP, berlangsung Senin."),
            Some("AFP".into())
        );
        assert_eq!(
            credited_wire("JAKARTA (ANTARA) - Menteri tiba."),
            Some("Antara".into())
        );
        assert_eq!(
            credited_wire("This story was first published by AP."),
            Some("AP".into())
        );
        assert_eq!(
            credited_wire("Caption.\n\nAFP: North Korea has ratified a pact."),
            Some("AFP".into())
        );
        assert_eq!(
            credited_wire(
                "The two met in Pyongyang.\n\nPutin said it was a breakthrough.\n\nMore.\n\n(AP)"
            ),
            Some("AP".into())
        );
        assert_eq!(
            credited_wire("Dia berkata: AFP tidak hadir.\n\n(Foto: AFP)"),
            None
        );
        assert_eq!(
            credited_wire("NATO confirmed it.\n\nMore.\n\nAnd more.\n\nThe Associated Press"),
            Some("AP".into())
        );
        assert_eq!(credited_wire("Caption.\n\nAFP\n\nThe text goes on."), None);
        // Attributions are not credits, nor a wire's name inside a word.
        assert_eq!(
            credited_wire("“Kerja sama meningkat,” kata SVR seperti dikutip TASS."),
            None
        );
        assert_eq!(credited_wire("Menurut KCNA, mereka bertemu di APEC."), None);
    }

    #[test]
    fn page_titles_and_datelines() {
        assert_eq!(page_number("Diplomasi - Halaman 2"), Some(2));
        assert_eq!(page_number("Politics - Page 3"), Some(3));
        assert_eq!(page_number("Menteri tiba di 2"), None);
        assert!(opens_with_dateline("JAKARTA - Menteri tiba."));
        assert!(opens_with_dateline("Kompas.com, Moskow - Menteri tiba."));
        assert!(!opens_with_dateline("Menteri tiba di Moskow pada Senin."));
    }

    #[test]
    fn union_find_roots_are_the_smallest_members() {
        let mut uf = UnionFind::new(5);
        uf.union(4, 3);
        uf.union(3, 1);
        assert_eq!(uf.find(4), 1);
        assert_ne!(uf.find(0), uf.find(4));
    }
}
