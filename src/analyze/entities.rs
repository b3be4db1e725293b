//! Entities: the people, organisations and places the reports name, normalised, and the
//! storylines they draw between events.
//!
//! A name is a run of capitalised words. Runs are cut at titles and roles ("Menteri Luar Negeri",
//! "President") and at names already known on their own ("Korea Utara Choe Son Hui" → "Korea
//! Utara" + "Choe Son Hui"); a lone surname stands for the one full name that ends with it
//! ("Naryshkin" → "Sergei Naryshkin"); `[aliases]` in site.toml maps other spellings to one name.
//! A name counts as an entity when two reports or more write it, or when an alias names it.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::load::content::Report;

/// One entity and where it appears.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entity {
    pub(crate) name: String,
    pub(crate) slug: String,
    /// Report indices, oldest first.
    pub(crate) reports: Vec<usize>,
    /// Event indices, in event order.
    pub(crate) events: Vec<usize>,
}

/// The entities of a dossier, with their cross-indices.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Entities {
    /// By number of reports, most first; then by name.
    pub(crate) list: Vec<Entity>,
    /// For each report, its entities (indices into `list`), most frequent first.
    pub(crate) of_report: Vec<Vec<usize>>,
    /// For each event, its entities: those in at least half of its reports first.
    pub(crate) of_event: Vec<Vec<usize>>,
    /// For each event, related events with the entities they share, strongest first.
    pub(crate) related: Vec<Vec<(usize, Vec<usize>)>>,
}

/// Words that introduce a name rather than belong to it: titles, roles, offices.
const ROLES: &[&str] = &[
    "presiden",
    "wakil",
    "menteri",
    "luar",
    "negeri",
    "keamanan",
    "negara",
    "pertahanan",
    "kepala",
    "direktur",
    "pemimpin",
    "juru",
    "bicara",
    "duta",
    "besar",
    "perdana",
    "jenderal",
    "sekretaris",
    "ketua",
    "panglima",
    "jaksa",
    "agung",
    "raja",
    "ratu",
    "pangeran",
    "senator",
    "gubernur",
    "walikota",
    "komandan",
    "dubes",
    "menlu",
    "menhan",
    "bos",
    "mantan",
    "kanselir",
    "president",
    "vice",
    "minister",
    "foreign",
    "defence",
    "defense",
    "prime",
    "chief",
    "leader",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "secretary",
    "general",
    "ambassador",
    "director",
    "head",
    "deputy",
    "chairman",
    "former",
    "king",
    "queen",
    "prince",
    "commander",
    "mr",
    "mrs",
    "ms",
    "dr",
    "pak",
    "bu",
    "the",
    "kantor",
    "berita",
    "media",
];

/// Capitalised words that are not names on their own: sentence openers, page chrome (days and
/// months, in every language the site speaks, come from `i18n`).
const NOT_NAMES: &[&str] = &[
    "baca",
    "juga",
    "pilihan",
    "editor",
    "sumber",
    "reporter",
    "foto",
    "ilustrasi",
    "wib",
    "wita",
    "wit",
    "gmt",
    "utc",
    "a",
    "an",
    "in",
    "on",
    "at",
    "for",
    "and",
    "but",
    "he",
    "she",
    "it",
    "we",
    "they",
    "i",
    "this",
    "that",
    "ia",
    "dia",
    "kami",
    "kita",
    "mereka",
    "hal",
    "pada",
    "dalam",
    "dari",
    "di",
    "ke",
    "dan",
    "yang",
    "untuk",
    "dengan",
    "oleh",
    "menurut",
    "kemudian",
    "sementara",
    "namun",
    "selain",
    "sebelumnya",
    "setelah",
    "saat",
    "ketika",
    "sejak",
    "bagi",
    "meski",
    "meskipun",
    "jika",
    "karena",
    "sedangkan",
    "adapun",
    "diketahui",
    "melansir",
    "mengutip",
    "dilansir",
    "seperti",
    "bahkan",
    "tetapi",
    "after",
    "before",
    "when",
    "while",
    "during",
    "meanwhile",
    "however",
    "although",
    "according",
    "as",
    "with",
    "by",
    "from",
    "to",
    "of",
    "if",
    "since",
    "last",
    "these",
    "those",
    "his",
    "her",
    "their",
    "its",
];

/// Roles and words that are not names, looked up by hash instead of scanned.
struct NameLexicon {
    roles: HashSet<&'static str>,
    not_names: HashSet<String>,
}

fn lexicon() -> NameLexicon {
    use crate::i18n::Language;
    let dates = Language::all_month_names()
        .map(|(m, _)| m)
        .chain(Language::all_weekday_names());
    NameLexicon {
        roles: ROLES.iter().copied().collect(),
        not_names: NOT_NAMES
            .iter()
            .map(|w| w.to_string())
            .chain(dates)
            .collect(),
    }
}

/// The capitalised runs of a text, cut at roles; single words at a sentence start are left out
/// (they are capitalised because of where they stand), unless written in capitals (SVR).
fn runs(lex: &NameLexicon, text: &str) -> Vec<Run> {
    // A word the text also writes in lower case is a common word, capitalised at a sentence
    // start ("Kemudian Choe bertemu…"): not part of the name that follows. The text's
    // lower-case words are collected once, when first needed.
    let lower_words: std::cell::OnceCell<HashSet<&str>> = std::cell::OnceCell::new();
    let written_lower = |w: &str| {
        let set = lower_words.get_or_init(|| {
            text.split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
                .collect()
        });
        set.contains(w.to_lowercase().as_str())
    };
    let mut out = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let mut run_starts_sentence = false;
    let mut sentence_start = true;
    let flush = |run: &mut Vec<&str>, starts: bool, out: &mut Vec<Run>| {
        if starts && run.len() >= 2 && written_lower(run[0]) {
            run.remove(0);
        }
        let single_opener = run.len() == 1
            && starts
            && !run[0]
                .chars()
                .all(|c| c.is_uppercase() || !c.is_alphabetic());
        if !run.is_empty() && !single_opener {
            out.push(Run(run.join(" ").into_boxed_str()));
        }
        run.clear();
    };
    for raw in text.split_whitespace() {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
        // "(SVR)," and "Utara." end a run after themselves.
        let ends = raw
            .trim_end_matches(|c: char| c.is_alphanumeric())
            .chars()
            .next_back()
            .is_some_and(|c| matches!(c, ',' | '.' | ';' | ':' | '!' | '?' | ')' | '"' | '”'))
            || raw.starts_with(['(', '"', '“']);
        let is_name_word = word.chars().next().is_some_and(char::is_uppercase)
            && word.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && !word.chars().any(|c| c.is_ascii_digit())
            && {
                let lower = word.to_lowercase();
                !lex.roles.contains(lower.as_str()) && !lex.not_names.contains(lower.as_str())
            };
        if raw.starts_with(['(', '"', '“']) {
            flush(&mut run, run_starts_sentence, &mut out);
        }
        if is_name_word {
            if run.is_empty() {
                run_starts_sentence = sentence_start;
            }
            run.push(word);
        } else {
            flush(&mut run, run_starts_sentence, &mut out);
        }
        if ends {
            flush(&mut run, run_starts_sentence, &mut out);
        }
        sentence_start = raw.ends_with(['.', '!', '?', '”', '"', ':']) || word.is_empty();
    }
    flush(&mut run, run_starts_sentence, &mut out);
    out
}

/// What entity analysis reads of one report: the capitalised runs of its title and body. It
/// depends on that report alone, so the preview keeps it and, after an edit, reads again only
/// the report edited.
pub(crate) type Runs = Arc<Vec<Run>>;

/// A run of capitalised words, kept as one string of its words with a space between each: one
/// allocation, not one per word (a report's runs took more memory than its text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Run(Box<str>);

impl Run {
    /// How many words it has.
    fn len(&self) -> usize {
        self.0.bytes().filter(|&b| b == b' ').count() + 1
    }

    /// Its `k` words from word `i`, as written, with their spaces.
    fn part(&self, i: usize, k: usize) -> &str {
        let mut spaces = self.0.match_indices(' ').map(|(at, _)| at);
        let start = match i {
            0 => 0,
            _ => spaces.nth(i - 1).map_or(self.0.len(), |at| at + 1),
        };
        let end = match k {
            0 => start,
            _ => spaces.nth(k - 1).unwrap_or(self.0.len()),
        };
        self.0.get(start..end.max(start)).unwrap_or("")
    }

    fn text(&self) -> &str {
        &self.0
    }
}

/// The runs of each report, in parallel.
pub(crate) fn runs_of(reports: &[Report]) -> Vec<Runs> {
    let lex = lexicon();
    reports.par_iter().map(|r| report_runs(&lex, r)).collect()
}

/// The runs of `report`'s title and body.
fn report_runs(lex: &NameLexicon, report: &Report) -> Runs {
    let mut all = runs(lex, &report.title);
    all.extend(runs(lex, &report.body));
    Arc::new(all)
}

/// Analyses the entities of `reports` (sorted), grouped by `event_of` into `n_events` events.
impl Entities {
    /// Entity names by their lower-cased whole name and surname ("peskov" is Dmitry Peskov),
    /// to name quoted speakers ([`speaker_name`]).
    pub(crate) fn speakers(&self) -> rustc_hash::FxHashMap<String, &str> {
        let mut by: rustc_hash::FxHashMap<String, &str> = Default::default();
        // A surname names the entity in most reports ("Putin" is Vladimir Putin, not a
        // run the text glued to it, "Agenda Putin"): the list has it first.
        for en in &self.list {
            let last = en.name.rsplit(' ').next().unwrap_or(&en.name);
            by.entry(last.to_lowercase()).or_insert(en.name.as_str());
        }
        // A whole name names only its entity.
        for en in &self.list {
            by.insert(en.name.to_lowercase(), en.name.as_str());
        }
        by
    }
}

/// A quoted speaker's name as the dossier's names write it (`speakers`: [`Entities::speakers`]),
/// else as the text writes it.
pub(crate) fn speaker_name(speakers: &rustc_hash::FxHashMap<String, &str>, s: &str) -> String {
    (speakers.get(&s.to_lowercase()))
        .map(|n| n.to_string())
        .unwrap_or_else(|| s.to_string())
}

#[cfg(test)]
pub(crate) fn analyze(
    reports: &[Report],
    event_of: &[Option<usize>],
    n_events: usize,
    aliases: &BTreeMap<String, String>,
) -> Entities {
    from_runs(&runs_of(reports), event_of, n_events, aliases)
}

/// Analyses the entities of reports whose runs are `per_report` (in report order), grouped by
/// `event_of` into `n_events` events.
pub(crate) fn from_runs(
    per_report: &[Runs],
    event_of: &[Option<usize>],
    n_events: usize,
    aliases: &BTreeMap<String, String>,
) -> Entities {
    let per_report_names = names_per_report(per_report, aliases);
    let resolved = resolve_lone_words(&per_report_names);
    let list = entities_of(resolved, event_of, aliases);
    let (of_report, of_event, key) =
        by_report_and_event(&list, event_of, per_report.len(), n_events);
    let related = related_events(&list, &key, n_events);
    Entities {
        list,
        of_report,
        of_event,
        related,
    }
}

/// Each report's names, once each, lower-cased beside the form written: its runs cut where a
/// name far more often written alone starts them, and `[aliases]` applied.
fn names_per_report(
    per_report: &[Runs],
    aliases: &BTreeMap<String, String>,
) -> Vec<Vec<(String, String)>> {
    let alias: HashMap<String, &str> = aliases
        .iter()
        .map(|(k, v)| (k.to_lowercase(), v.as_str()))
        .collect();

    // Names known on their own: how often each run of one to three words is written.
    // Counted in parallel, each thread in its own map, with a key made only for a name not
    // yet counted: this ran on one thread, a string for every run, and was the most of the
    // names' time when the preview analyses them again after an edit.
    let known: HashMap<String, usize> = per_report
        .par_iter()
        .fold(HashMap::default, |mut known: HashMap<String, usize>, rs| {
            let mut buf = String::new();
            for run in rs.iter().filter(|run| run.len() <= 3) {
                lower_into(run.text(), &mut buf);
                match known.get_mut(buf.as_str()) {
                    Some(n) => *n += 1,
                    None => {
                        known.insert(buf.clone(), 1);
                    }
                }
            }
            known
        })
        .reduce(HashMap::default, |a, b| {
            let (mut into, from) = if a.len() >= b.len() { (a, b) } else { (b, a) };
            for (k, n) in from {
                *into.entry(k).or_insert(0) += n;
            }
            into
        });
    // Looked up through a buffer: this runs for every run of every report.
    let count = |words: &str, buf: &mut String| {
        lower_into(words, buf);
        known.get(buf.as_str()).copied().unwrap_or(0)
    };
    // A run that starts with a name far more often written alone is two names: "Rusia Vladimir
    // Putin" (after "Presiden") is Rusia and Vladimir Putin, "Korea Utara KCNA" is two.
    let segment = |run: &Run, buf: &mut String, out: &mut Vec<String>| {
        let mut i = 0;
        let len = run.len();
        if len >= 2 {
            // Runs of more than three words are not counted.
            let whole = if len <= 3 { count(run.text(), buf) } else { 0 }.max(1);
            while len - i >= 2 {
                let lead = (1..=3.min(len - i - 1)).rev().find(|&k| {
                    let c = count(run.part(i, k), buf);
                    c >= 3 && c >= 2 * whole
                });
                match lead {
                    Some(k) => {
                        out.push(run.part(i, k).to_string());
                        i += k;
                    }
                    None => break,
                }
            }
        }
        out.push(run.part(i, len - i).to_string());
    };
    let canonical = |name: String| -> String {
        if alias.is_empty() {
            return name;
        }
        match alias.get(&name.to_lowercase()) {
            Some(s) => s.to_string(),
            None => name,
        }
    };
    // Each report's names once, lower-cased beside the form written.
    per_report
        .par_iter()
        .map(|rs| {
            let mut names: Vec<(String, String)> = Vec::new();
            let mut seen: HashSet<String> = HashSet::default();
            let (mut buf, mut parts) = (String::new(), Vec::new());
            for run in rs.iter() {
                segment(run, &mut buf, &mut parts);
                for n in parts.drain(..).map(canonical) {
                    lower_into(&n, &mut buf);
                    // A short list is searched; a long one (a page of names) is hashed.
                    let new = match names.len() < 32 {
                        true => !names.iter().any(|(k, _)| *k == buf),
                        false => {
                            if seen.is_empty() {
                                seen.extend(names.iter().map(|(k, _)| k.clone()));
                            }
                            seen.insert(buf.clone())
                        }
                    };
                    if new {
                        names.push((buf.clone(), n));
                    }
                }
            }
            names
        })
        .collect()
}

/// `text` lower-cased into `buf` (without a new string for ASCII text, nearly all names).
fn lower_into(text: &str, buf: &mut String) {
    buf.clear();
    if text.is_ascii() {
        buf.push_str(text);
        buf.make_ascii_lowercase();
    } else {
        // As `str::to_lowercase`, which the names' keys are made with (a final sigma).
        buf.push_str(&text.to_lowercase());
    }
}

/// Each report's names with lone words resolved to the full name they stand for (or left out
/// when they could be several), beside the form written.
fn resolve_lone_words<'n>(
    per_report_names: &'n [Vec<(String, String)>],
) -> Vec<Vec<(&'n str, &'n str)>> {
    // A lone word stands for the one longer name that ends with it ("Naryshkin"), or starts
    // with it (Korean names: "Choe"), when that name is written about as often; a lone word
    // that could be several names ("Kim", "Korea") is no entity.
    let mut reports_of: HashMap<&str, usize> = HashMap::default();
    for names in per_report_names {
        for (key, _) in names {
            *reports_of.entry(key.as_str()).or_insert(0) += 1;
        }
    }
    let n_of = |k: &str| reports_of.get(k).copied().unwrap_or(0);
    /// The longer names a word starts or ends: how many, one of them (the only one when
    /// there is one), and how often they are written in all. Summed once per word: a word
    /// such as "Korea" ends thousands of names, and summing them again for each time it is
    /// written alone made a million-report dossier's names take minutes.
    #[derive(Default)]
    struct Longer<'k> {
        names: usize,
        one: &'k str,
        written: usize,
    }
    let mut by_part: HashMap<&str, Longer<'_>> = HashMap::default();
    for (&key, &n) in &reports_of {
        if let (Some((first, _)), Some((_, last))) = (key.split_once(' '), key.rsplit_once(' ')) {
            for part in [first, last]
                .into_iter()
                .take(if first == last { 1 } else { 2 })
            {
                let l = by_part.entry(part).or_default();
                l.names += 1;
                l.one = key;
                l.written += n;
            }
        }
    }
    // The key a name resolves to; `None` for an ambiguous lone word. Borrowed, not copied:
    // every report's every name passes through here.
    let resolve = |key: &'n str| -> Option<&'n str> {
        if key.contains(' ') {
            return Some(key);
        }
        match by_part.get(key) {
            None => Some(key),
            Some(l) if l.names == 1 => Some(if n_of(l.one) * 2 >= n_of(key) {
                l.one
            } else {
                key
            }),
            // Several names: the word stands alone only when written alone more often.
            Some(l) => (n_of(key) > l.written).then_some(key),
        }
    };

    // Reports per name (each report once), and the forms written, to name each entity by its
    // most common form.
    per_report_names
        .par_iter()
        .map(|names| {
            names
                .iter()
                .filter_map(|(key, form)| {
                    let k = resolve(key)?;
                    // A resolved surname is written as the full name.
                    Some((k, form.as_str()))
                })
                .collect()
        })
        .collect()
}

/// The entities: names written by two reports or more (or named by an alias), each called by
/// its most written form, most written first, with a unique slug.
fn entities_of(
    resolved: Vec<Vec<(&str, &str)>>,
    event_of: &[Option<usize>],
    aliases: &BTreeMap<String, String>,
) -> Vec<Entity> {
    /// The reports that name it (in order, each once: reports are read in order), and the
    /// forms written with how often.
    type Seen<'k> = (Vec<usize>, Vec<(&'k str, usize)>);
    let mut counts: HashMap<&str, Seen<'_>> = HashMap::default();
    for (i, names) in resolved.into_iter().enumerate() {
        for (key, form) in names {
            let lone_resolved = !form.contains(' ') && key.contains(' ');
            let e = counts.entry(key).or_default();
            if e.0.last() != Some(&i) {
                e.0.push(i);
            }
            if !lone_resolved {
                match e.1.iter_mut().find(|(f, _)| *f == form) {
                    Some(f) => f.1 += 1,
                    None => e.1.push((form, 1)),
                }
            }
        }
    }
    let targets: HashSet<String> = aliases.values().map(|v| v.to_lowercase()).collect();
    let mut counts: Vec<_> = counts.into_iter().collect();
    counts.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut list: Vec<Entity> = counts
        .into_iter()
        .filter(|(key, (rs, _))| rs.len() >= 2 || targets.contains(*key))
        .map(|(key, (rs, forms))| {
            let name = forms
                .iter()
                .max_by_key(|(f, c)| (*c, std::cmp::Reverse(*f)))
                .map_or_else(|| key.to_string(), |(f, _)| f.to_string());
            let mut events: Vec<usize> = rs.iter().filter_map(|&r| event_of[r]).collect();
            events.sort_unstable();
            events.dedup();
            Entity {
                slug: String::new(),
                name,
                reports: rs.into_iter().collect(),
                events,
            }
        })
        .collect();
    list.sort_by(|a, b| {
        b.reports
            .len()
            .cmp(&a.reports.len())
            .then_with(|| a.name.cmp(&b.name))
    });
    let mut used: HashSet<String> = HashSet::default();
    for e in &mut list {
        let base = match slug::slugify(&e.name) {
            s if s.is_empty() => "entity".to_string(),
            s => s,
        };
        e.slug = crate::load::content::unique_name(&base, 2, |s| used.contains(s));
        used.insert(e.slug.clone());
    }
    list
}

/// Lists of indices, one list per report or event.
type Lists = Vec<Vec<usize>>;

/// Each report's entities, each event's (most named first), and each event's key entities
/// (named by at least half of its reports).
fn by_report_and_event(
    list: &[Entity],
    event_of: &[Option<usize>],
    n_reports: usize,
    n_events: usize,
) -> (Lists, Lists, Lists) {
    let mut of_report: Vec<Vec<usize>> = vec![Vec::new(); n_reports];
    for (ei, e) in list.iter().enumerate() {
        for &r in &e.reports {
            of_report[r].push(ei);
        }
    }
    // Per event: how many of its reports name each entity.
    let mut event_sizes = vec![0usize; n_events];
    for e in event_of.iter().flatten() {
        event_sizes[*e] += 1;
    }
    let mut of_event_counts: Vec<BTreeMap<usize, usize>> = vec![BTreeMap::new(); n_events];
    for (r, ents) in of_report.iter().enumerate() {
        if let Some(ev) = event_of[r] {
            for &ei in ents {
                *of_event_counts[ev].entry(ei).or_insert(0) += 1;
            }
        }
    }
    let of_event: Vec<Vec<usize>> = of_event_counts
        .iter()
        .map(|m| {
            let mut v: Vec<(usize, usize)> = m.iter().map(|(&e, &c)| (e, c)).collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            v.into_iter().map(|(e, _)| e).collect()
        })
        .collect();
    // Key entities: named by at least half of the event's reports.
    let key: Vec<Vec<usize>> = of_event_counts
        .iter()
        .enumerate()
        .map(|(ev, m)| {
            let need = event_sizes[ev].div_ceil(2).max(1);
            m.iter()
                .filter(|(_, &c)| c >= need)
                .map(|(&e, _)| e)
                .collect()
        })
        .collect();
    (of_report, of_event, key)
}

/// Events that share key entities, through an index from entity to events (no all-pairs):
/// a shared entity weighs by how few events it is key to; at least two, or one rare one.
///
/// The work per event is bounded ([`RELATED_BUDGET`] postings), so the whole is linear in the
/// number of events: the rarest key entities are walked first, as they weigh most, and an
/// entity whose events would overrun the budget is left out with all more common ones. A
/// cap of `n_events / 20` alone made a million-report dossier quadratic (16,666 events per
/// name, each walked for every event holding it).
fn related_events(
    list: &[Entity],
    key: &[Vec<usize>],
    n_events: usize,
) -> Vec<Vec<(usize, Vec<usize>)>> {
    let mut events_of_entity: Vec<Vec<usize>> = vec![Vec::new(); list.len()];
    for (ev, ents) in key.iter().enumerate() {
        for &e in ents {
            events_of_entity[e].push(ev);
        }
    }
    // An entity that is key to very many events (the country the dossier is about) relates
    // nothing in particular.
    let cap = (n_events / 20).max(8);
    let weight = |e: usize| ((n_events as f64 + 1.0) / events_of_entity[e].len() as f64).ln();
    (0..n_events)
        .into_par_iter()
        .map(|ev| {
            // The event's key entities in the order they are kept (rarest first, within the
            // budget), each with its place in `key[ev]` so the shared names keep that order.
            let mut walk: Vec<(usize, usize)> = key[ev]
                .iter()
                .enumerate()
                .filter(|&(_, &e)| events_of_entity[e].len() <= cap)
                .map(|(i, &e)| (events_of_entity[e].len(), i))
                .collect();
            walk.sort_unstable();
            let mut budget = RELATED_BUDGET;
            let mut pairs: Vec<(usize, usize)> = Vec::new();
            for (len, i) in walk {
                if len > budget {
                    break;
                }
                budget -= len;
                let e = key[ev][i];
                pairs.extend(
                    events_of_entity[e]
                        .iter()
                        .filter(|&&other| other != ev)
                        .map(|&other| (other, i)),
                );
            }
            pairs.sort_unstable();
            let mut scored: Vec<(f64, usize, Vec<usize>)> = pairs
                .chunk_by(|a, b| a.0 == b.0)
                .map(|run| (run[0].0, run.iter().map(|&(_, i)| key[ev][i]).collect()))
                .filter(|(_, es): &(usize, Vec<usize>)| {
                    es.len() >= 2
                        || es
                            .iter()
                            .any(|&e| events_of_entity[e].len() <= 3 && list[e].name.contains(' '))
                })
                .map(|(other, es)| (es.iter().map(|&e| weight(e)).sum(), other, es))
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            scored.truncate(5);
            scored.into_iter().map(|(_, o, es)| (o, es)).collect()
        })
        .collect()
}

/// How many (entity, event) postings [`related_events`] walks for one event at most.
const RELATED_BUDGET: usize = 4096;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_surname_names_the_entity_in_most_reports_not_a_run_glued_to_it() {
        let entity = |name: &str, reports: usize| Entity {
            name: name.to_string(),
            slug: String::new(),
            reports: (0..reports).collect(),
            events: Vec::new(),
        };
        let es = Entities {
            list: vec![entity("Vladimir Putin", 3), entity("Agenda Putin", 1)],
            ..Default::default()
        };
        let speakers = es.speakers();
        assert_eq!(speakers["putin"], "Vladimir Putin");
        assert_eq!(speakers["agenda putin"], "Agenda Putin");
    }

    #[test]
    fn a_run_gives_its_words_from_any_word() {
        let run = Run("Menteri Luar Negeri Choe".into());
        assert_eq!(run.len(), 4);
        assert_eq!(run.part(0, 4), "Menteri Luar Negeri Choe");
        assert_eq!(run.part(0, 1), "Menteri");
        assert_eq!(run.part(1, 2), "Luar Negeri");
        assert_eq!(run.part(3, 1), "Choe");
        assert_eq!(run.part(2, 2), "Negeri Choe");
        assert_eq!(run.part(4, 0), "");
        assert_eq!(Run("Putin".into()).part(0, 1), "Putin");
    }

    fn check_runs(text: &str, expected: &[&str]) {
        let got: Vec<String> = runs(&lexicon(), text)
            .iter()
            .map(|r| r.text().to_string())
            .collect();
        assert_eq!(got, expected, "runs of {text:?}");
    }

    #[test]
    fn names_are_runs_of_capitals_cut_at_roles() {
        check_runs(
            "Menurut SVR, Naryshkin bertemu dengan Menteri Keamanan Negara Korea Utara Ri Chang Dae.",
            &["SVR", "Naryshkin", "Korea Utara Ri Chang Dae"],
        );
        check_runs(
            "Juru bicara Kremlin, Dmitry Peskov, menyebut Korea Utara sebagai mitra.",
            &["Kremlin", "Dmitry Peskov", "Korea Utara"],
        );
        check_runs(
            "Putin memberi Kim Jong Un hadiah pada Februari lalu.",
            &["Kim Jong Un"],
        );
    }

    #[test]
    fn long_runs_split_at_known_names_and_aliases_join() {
        let report = |body: &str| Report {
            body: body.into(),
            ..Report::default()
        };
        let reports = vec![
            report(
                "Menteri Luar Negeri Korea Utara Choe Son Hui tiba di Moskow. Choe bertemu Lavrov.",
            ),
            report("Choe Son Hui bertemu Sergey Naryshkin di Moskow, kata Korea Utara."),
            report("Sergei Naryshkin pulang ke Moskow. Hubungan dengan Korea Utara membaik, kata Korea Utara."),
        ];
        let aliases: BTreeMap<String, String> = [(
            "Sergey Naryshkin".to_string(),
            "Sergei Naryshkin".to_string(),
        )]
        .into();
        let e = analyze(&reports, &[Some(0), Some(0), Some(1)], 2, &aliases);
        let names: Vec<(&str, usize)> = e
            .list
            .iter()
            .map(|e| (e.name.as_str(), e.reports.len()))
            .collect();
        assert_eq!(
            names,
            [
                ("Korea Utara", 3),
                ("Moskow", 3),
                ("Choe Son Hui", 2),
                ("Sergei Naryshkin", 2)
            ]
        );
    }
}
