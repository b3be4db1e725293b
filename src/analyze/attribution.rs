//! Who a sentence says its statement comes from: "kata SVR", "menurut KCNA", "the Kremlin
//! said", "seperti dikutip TASS", "dilansir Reuters". Only what the text names: nothing is
//! inferred, so a sentence that names no source has none.
//!
//! The names come in the order the text passes the statement on, the first source first:
//! "…, kata SVR seperti dikutip kantor berita TASS" gives SVR, then TASS. With the report's
//! credited wire and its outlet after them, that is the chain a reader can follow
//! (SVR → TASS → Reuters → Kontan).

/// Words after which the source is named ("kata SVR", "according to KCNA").
const NAME_AFTER: &[&str] = &[
    "kata", "ujar", "ucap", "tutur", "ungkap", "menurut", "dilansir", "melansir", "dikutip",
    "mengutip", "lapor", "said", "says", "to",
];

/// Verbs before which the source is named ("the Kremlin said", "KCNA melaporkan").
const NAME_BEFORE: &[&str] = &[
    "said",
    "says",
    "reported",
    "reports",
    "told",
    "announced",
    "melaporkan",
    "mengatakan",
    "menyatakan",
    "mengumumkan",
    "menyebutkan",
    "menulis",
    "quoted",
    "wrote",
    "writes",
];

/// Lower-case words that may stand between a verb and the name: "dikutip dari kantor berita
/// pemerintah Rusia TASS", "according to state media KCNA".
const BETWEEN: &[&str] = &[
    "dari",
    "oleh",
    "kantor",
    "berita",
    "media",
    "pemerintah",
    "resmi",
    "negara",
    "juru",
    "bicara",
    "the",
    "state",
    "news",
    "agency",
    "official",
    "by",
    "from",
    "seperti",
    "sebagaimana",
    "laporan",
    "report",
    "reports",
    "surat",
    "kabar",
];

/// Words before a place: a name after them, right before a verb, says where, not who.
const PLACE_BEFORE: &[&str] = &["in", "at", "di", "dari"];

/// Titles before a name: "Presiden Putin" is Putin.
const TITLES: &[&str] = &[
    "Presiden",
    "President",
    "Pemimpin",
    "Leader",
    "Menteri",
    "Minister",
    "Menlu",
    "Perdana",
    "Prime",
    "PM",
    "Kanselir",
    "Chancellor",
    "Raja",
    "King",
    "Ketua",
    "Juru",
    "Bicara",
    "Sekretaris",
    "Jenderal",
    "Secretary",
    "General",
    "Wakil",
    "Deputy",
    "Tuan",
    "Mr",
];

/// Capitalised words that are not a source's name where they start a run (weekdays neither).
const NOT_NAMES: &[&str] = &[
    "Dia", "Ia", "Mereka", "Kami", "He", "She", "They", "We", "It", "The", "Pada", "Dalam",
];

fn bare(w: &str) -> &str {
    w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
}

fn is_name_word(w: &str) -> bool {
    let b = bare(w);
    b.chars().next().is_some_and(char::is_uppercase)
        && !NOT_NAMES.contains(&b)
        && !crate::i18n::Language::is_weekday(b)
}

fn is_acronym(w: &str) -> bool {
    w.chars().count() >= 2 && w.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// A run of names, shortened to its acronym when it has one ("Rusia TASS" → "TASS": the word
/// before an agency's acronym is its country).
fn name_of(run: &[&str]) -> Option<String> {
    let words: Vec<&str> = run
        .iter()
        .map(|w| bare(w))
        .filter(|w| !w.is_empty())
        .collect();
    let first = words
        .iter()
        .position(|w| !TITLES.contains(w))
        .unwrap_or(words.len());
    let words = &words[first..];
    if words.is_empty() {
        return None;
    }
    let acronym = words.iter().rev().find(|w| is_acronym(w));
    Some(match acronym {
        Some(a) => a.to_string(),
        None => words.join(" "),
    })
}

/// The name that starts at `words[from]`, after up to `skip` lower-case descriptors ("kantor
/// berita pemerintah Rusia TASS"): at most `max` capitalised words, up to a clause's end. With
/// where it stopped, and whether descriptors came first.
fn name_after<'w>(
    words: &[&'w str],
    from: usize,
    skip: usize,
    max: usize,
) -> (Vec<&'w str>, usize, bool) {
    // Descriptors in lower case only: "Kantor Berita Pusat Korea" is a name.
    let mut j = from;
    while j < words.len() && j - from < skip && BETWEEN.contains(&bare(words[j])) {
        j += 1;
    }
    let described = j > from;
    let mut run = Vec::new();
    while j < words.len() && is_name_word(words[j]) && run.len() < max {
        run.push(words[j]);
        j += 1;
        if run[run.len() - 1].ends_with([',', '.', ';', ':', ')']) {
            break;
        }
    }
    (run, j, described)
}

/// Words after which a relay is named: the one that passed the statement on, not its source
/// ("dilansir Reuters", "seperti dikutip TASS", "Reuters yang mengutip SVR").
const RELAYS: &[&str] = &["dilansir", "melansir", "dikutip", "mengutip"];

/// The longest verb of `NAME_AFTER` and `NAME_BEFORE`.
const VERB_LEN: usize = 11;

/// Verb `w` (in any case) as the tables write it, and whether a name may come after it and
/// before it. Every word of every statement is looked up: without allocating, in one probe.
fn verb(w: &str) -> Option<&'static (&'static str, bool, bool)> {
    static VERBS: std::sync::LazyLock<
        rustc_hash::FxHashMap<&'static str, (&'static str, bool, bool)>,
    > = std::sync::LazyLock::new(|| {
        let mut m = rustc_hash::FxHashMap::default();
        for v in NAME_AFTER.iter().chain(NAME_BEFORE) {
            m.insert(*v, (*v, NAME_AFTER.contains(v), NAME_BEFORE.contains(v)));
        }
        m
    });
    if w.len() > VERB_LEN || !w.is_ascii() {
        return None;
    }
    let mut buf = [0u8; VERB_LEN];
    for (to, from) in buf.iter_mut().zip(w.bytes()) {
        *to = from.to_ascii_lowercase();
    }
    VERBS.get(std::str::from_utf8(&buf[..w.len()]).ok()?)
}

/// The sources sentence `s` names, first source first, each once: the speakers in the order
/// the text names them, then the relays, the one quoted by another first ("Melansir Reuters
/// yang mengutip SVR": SVR, then Reuters).
pub(crate) fn sources(s: &str) -> Vec<String> {
    // Most sentences name no source: one pass of a regex over the sentence says so, where
    // looking every word up costs ten times as much.
    static ANY_VERB: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        let verbs: Vec<String> = (NAME_AFTER.iter().chain(NAME_BEFORE))
            .map(|v| match *v {
                "to" => r"according\s+to".to_string(),
                v => regex::escape(v),
            })
            .collect();
        // Word boundaries in ASCII (every verb is): Unicode ones cost the regex its fast path.
        let pattern = format!(r"(?i)(?-u:\b)(?:{})(?-u:\b)", verbs.join("|"));
        regex::Regex::new(&pattern).expect("built-in verb pattern")
    });
    if !ANY_VERB.is_match(s) {
        return Vec::new();
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    let mut speakers: Vec<String> = Vec::new();
    let mut relays: Vec<String> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let Some(&(lower, after, before)) = verb(bare(w)) else {
            continue;
        };
        if after {
            // "to" only in "according to".
            if lower == "to" && !(i > 0 && bare(words[i - 1]).eq_ignore_ascii_case("according")) {
                continue;
            }
            // Up to six words: "Korean Central News Agency (KCNA)".
            let (mut run, j, described) = name_after(&words, i + 1, 5, 6);
            // "kantor berita resmi Korut, KCNA melaporkan": the described name is the one
            // after the comma; the word before it is where the agency is.
            if described && run.last().is_some_and(|w| w.ends_with(',')) {
                if let Some(next) = words.get(j).filter(|w| is_acronym(bare(w))) {
                    run = vec![next];
                }
            }
            // English puts the name after "said" only at a clause's end ("…, said Dmitry
            // Peskov."): "said Lavrov and Choe will attend" is what was said.
            let at_end = j >= words.len()
                || run
                    .last()
                    .is_some_and(|w| w.ends_with([',', '.', ';', ':']));
            if matches!(lower, "said" | "says") && !at_end {
                run.clear();
            }
            if let Some(n) = name_of(&run) {
                // A wire passes statements on, whatever the verb ("menurut AFP").
                let wire = crate::analyze::stories::WIRES.contains(&n.as_str());
                // "lapor kantor berita Rusia": an agency named by its country only.
                if described && run.len() == 1 && !wire && !is_acronym(&n) {
                    continue;
                }
                if wire || RELAYS.contains(&lower) {
                    relays.push(n);
                } else {
                    speakers.push(n);
                }
            }
        }
        if before {
            // The capitalised words right before the verb ("the Kremlin said"), not across
            // a comma ("…, Putin said" is fine; "Moskow, he said" is not Moskow's).
            let mut k = i;
            let mut run = Vec::new();
            while k > 0 && run.len() < 4 {
                let w = words[k - 1];
                // The name right before the verb may close an apposition ("surat kabar
                // Rusia, Vedomosti, melaporkan"); no earlier word may end a clause.
                let closes =
                    w.ends_with([',', '.', ';', ':']) && (k < i || w.ends_with([';', ':']));
                if !is_name_word(w) || closes {
                    break;
                }
                k -= 1;
                run.insert(0, w);
            }
            // "the Interfax news agency in Moscow reported": a place, not who reported.
            let place = k > 0 && PLACE_BEFORE.contains(&bare(words[k - 1]));
            if let Some(n) = name_of(&run).filter(|_| !place) {
                speakers.push(n);
            }
            // "mengatakan kepada media Reuters", "told Reuters": who passed it on, when it is
            // media ("Lavrov mengatakan kepada Kim": Kim only listened).
            if words
                .get(i + 1)
                .is_some_and(|w| matches!(bare(w), "kepada" | "to"))
            {
                let (run, _, described) = name_after(&words, i + 2, 3, 4);
                if let Some(n) = name_of(&run) {
                    if described || crate::analyze::stories::WIRES.contains(&n.as_str()) {
                        relays.push(n);
                    }
                }
            }
        }
    }
    let mut out: Vec<String> = Vec::new();
    for n in speakers.into_iter().chain(relays.into_iter().rev()) {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{sources, verb, NAME_AFTER, NAME_BEFORE, VERB_LEN};

    #[test]
    fn every_verb_fits_the_lookup() {
        for v in NAME_AFTER.iter().chain(NAME_BEFORE) {
            assert!(v.len() <= VERB_LEN && v.is_ascii(), "{v}");
            assert_eq!(verb(&v.to_uppercase()).map(|x| x.0), Some(*v));
        }
        assert_eq!(verb("kepada"), None);
    }

    #[track_caller]
    fn check(sentence: &str, expected: &[&str]) {
        assert_eq!(sources(sentence), expected, "{sentence}");
    }

    #[test]
    fn names_the_sources_the_text_names_first_source_first() {
        check(
            "Naryshkin bertemu Menteri Keamanan Negara Ri Chang Dae, kata SVR.",
            &["SVR"],
        );
        check(
            "Kedua pihak membahas isu topikal, kata SVR seperti dikutip kantor berita pemerintah Rusia TASS.",
            &["SVR", "TASS"],
        );
        check("Menurut KCNA, kedua pihak membahas kerja sama.", &["KCNA"]);
        check(
            "Melansir Reuters yang mengutip SVR, Naryshkin mengunjungi Pyongyang.",
            &["SVR", "Reuters"],
        );
        check(
            "KCNA melaporkan kunjungan itu pada Kamis, dilansir Reuters.",
            &["KCNA", "Reuters"],
        );
        check("The Kremlin said the visit was planned.", &["Kremlin"]);
        check("KCNA melaporkan kunjungan itu pada Kamis.", &["KCNA"]);
        check(
            "They signed a pact, the Interfax news agency in Moscow reported on Wednesday.",
            &[],
        );
        check(
            "The talks were useful, according to state media KCNA.",
            &["KCNA"],
        );
        check("Putin said on Tuesday that ties would deepen.", &["Putin"]);
        check("Ties would deepen, said Dmitry Peskov.", &["Dmitry Peskov"]);
        check(
            "A spokesperson, Maria Zakharova said Lavrov and Choe will attend.",
            &["Maria Zakharova"],
        );
        check(
            "“It was the first meeting,” TASS quoted a delegate as saying.",
            &["TASS"],
        );
        check(
            "Seorang pejabat mengatakan kepada media Reuters bahwa jadwalnya tetap.",
            &["Reuters"],
        );
        check(
            "Lavrov mengatakan kepada Kim bahwa Putin ingin bertemu.",
            &["Lavrov"],
        );
        check(
            "Kim meninjau Divisi Tank Ke-105, kata Kantor Berita Pusat Korea, dengan gambar.",
            &["Kantor Berita Pusat Korea"],
        );
        check(
            "Menurut AFP yang melansir kantor berita resmi Korut, KCNA melaporkan kerja sama itu.",
            &["KCNA", "AFP"],
        );
    }

    #[test]
    fn a_sentence_naming_no_source_has_none() {
        check(
            "Kedua negara menandatangani perjanjian kemitraan strategis.",
            &[],
        );
        check("Dia mengatakan kunjungan itu penting.", &[]);
        check("Pada Kamis mereka bertemu di Pyongyang.", &[]);
        check("The ministers said nothing about the date.", &[]);
    }
}
