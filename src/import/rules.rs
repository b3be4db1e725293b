//! The chrome rules and outlet profiles of `dossier import`: `rules.yaml` and the host table
//! `outlets.yaml` (embedded) extended by the dossier's own `import.yaml`, compiled once per run.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use regex::{Regex, RegexSet};
use serde::Deserialize;

use crate::diag::Diagnostic;

/// The built-in rules and outlet profiles.
pub(crate) const BUILT_IN: &str = include_str!("rules.yaml");

/// The built-in table of outlets by host.
pub(crate) const OUTLETS: &str = include_str!("outlets.yaml");

/// The dossier's own additions, beside `site.toml`.
pub(crate) const DOSSIER_FILE: &str = "import.yaml";

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    rules: Vec<RuleDef>,
    #[serde(default)]
    outlets: Vec<OutletDef>,
    /// host → outlet name
    #[serde(default)]
    hosts: BTreeMap<String, String>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    name: String,
    action: Action,
    pattern: String,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct OutletDef {
    name: String,
    #[serde(default)]
    hosts: Vec<String>,
    #[serde(default)]
    markers: Vec<String>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    rules: Vec<RuleDef>,
}

/// What a matching line rule does.
#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Action {
    /// The line is chrome.
    Drop,
    /// The line starts the footer: it and the rest of the page go.
    Stop,
    /// A "read also" link: the line goes, article text glued to its end stays.
    Related,
}

/// A set of named line rules, matched together.
#[derive(Clone)]
pub(crate) struct LineRules {
    set: RegexSet,
    rules: Vec<(String, Action, Regex)>,
}

impl LineRules {
    fn new(defs: &[RuleDef]) -> Result<LineRules, String> {
        let mut rules = Vec::with_capacity(defs.len());
        for d in defs {
            let re = Regex::new(&d.pattern)
                .map_err(|e| format!("rule `{}` has a bad pattern: {e}", d.name))?;
            rules.push((d.name.clone(), d.action, re));
        }
        let set = RegexSet::new(defs.iter().map(|d| &d.pattern)).map_err(|e| e.to_string())?;
        Ok(LineRules { set, rules })
    }

    /// The first rule (in file order) that matches `line`.
    pub(crate) fn first_match(&self, line: &str) -> Option<(&str, Action, &Regex)> {
        // Most lines match no rule: the one-pass check answers those without the slower
        // search for which rule it is.
        if !self.set.is_match(line) {
            return None;
        }
        let i = self.set.matches(line).into_iter().next()?;
        let (name, action, re) = &self.rules[i];
        Some((name, *action, re))
    }
}

/// One outlet's profile.
#[derive(Clone)]
pub(crate) struct Outlet {
    pub(crate) name: String,
    pub(crate) hosts: Vec<String>,
    pub(crate) markers: Vec<Regex>,
    pub(crate) language: Option<String>,
    pub(crate) rules: LineRules,
}

/// Everything import knows about chrome.
#[derive(Clone)]
pub(crate) struct Rules {
    pub(crate) general: LineRules,
    pub(crate) outlets: Vec<Outlet>,
    /// Every known host (the table, then the profiles' hosts over it) → the outlet's name.
    names: HashMap<String, String>,
}

/// Letters and digits of a name, lower-cased: "Liputan6.com" and "LIPUTAN6" are one outlet.
fn name_key(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .flat_map(char::to_lowercase)
        .collect()
}

/// A host and its parent domains, longest first, down to two labels: `a.b.example.com`,
/// `b.example.com`, `example.com`. Slices of the host, no copies; nothing for a "host" of more
/// labels than any real one has (a line of dots: looking up each suffix was quadratic).
fn host_suffixes(host: &str) -> impl Iterator<Item = &str> {
    const MAX_LABELS: usize = 16;
    let dots: Vec<usize> = host.match_indices('.').map(|(i, _)| i).collect();
    let plausible = dots.len() < MAX_LABELS;
    let cut = if plausible { dots.len() } else { 0 }; // the last label alone is no host
    std::iter::once(0)
        .chain(dots.into_iter().map(|d| d + 1))
        .take(cut)
        .map(move |s| &host[s..])
}

impl Rules {
    /// The built-in rules, extended by `<root>/import.yaml` when it exists.
    #[cfg(test)]
    pub(crate) fn load(root: &Path) -> Result<Rules, Diagnostic> {
        let own = root.join(DOSSIER_FILE);
        Rules::load_with(own.exists().then_some(own.as_path()))
    }

    /// The built-in rules and outlet table, with a dossier's own `import.yaml` (`own`) over them.
    fn load_with(own: Option<&Path>) -> Result<Rules, Diagnostic> {
        let mut file: RulesFile = serde_yaml::from_str(BUILT_IN).map_err(|e| {
            Diagnostic::error(None, format!("the built-in import rules are broken: {e}"))
        })?;
        let table: RulesFile = serde_yaml::from_str(OUTLETS).map_err(|e| {
            Diagnostic::error(None, format!("the built-in outlet table is broken: {e}"))
        })?;
        file.hosts = table.hosts;
        if let Some(own) = own {
            let own = own.to_path_buf();
            let text = std::fs::read_to_string(&own)
                .map_err(|e| Diagnostic::error(own.clone(), format!("cannot be read: {e}")))?;
            let extra: RulesFile = serde_yaml::from_str(&text).map_err(|e| {
                Diagnostic::error(own.clone(), e.to_string())
                    .at_line(e.location().map(|l| l.line()))
                    .with_help(
                        "the file has two lists, `rules:` (name, action: drop|stop|related, \
                         pattern), `outlets:` (name, hosts, markers, language, rules) and \
                         `hosts:` (host: outlet name)",
                    )
            })?;
            file.rules.extend(extra.rules);
            file.hosts.extend(extra.hosts);
            for o in extra.outlets {
                file.outlets
                    .retain(|b| !b.name.eq_ignore_ascii_case(&o.name));
                file.outlets.push(o);
            }
            return Rules::compile(&file).map_err(|e| Diagnostic::error(own, e));
        }
        Rules::compile(&file).map_err(|e| Diagnostic::error(None, e))
    }

    /// The rules for the dossier at `root`: without its own `import.yaml`, the built-in ones,
    /// compiled once per process (hundreds of patterns: compiling them costs more than importing
    /// a page, and the fuzz campaign imports pages one call at a time).
    pub(crate) fn of_dossier(root: &Path) -> Result<std::borrow::Cow<'static, Rules>, Diagnostic> {
        static BUILT_IN_RULES: std::sync::LazyLock<Result<Rules, Diagnostic>> =
            std::sync::LazyLock::new(|| Rules::load_with(None));
        let own = root.join(DOSSIER_FILE);
        if own.exists() {
            return Rules::load_with(Some(&own)).map(std::borrow::Cow::Owned);
        }
        BUILT_IN_RULES
            .as_ref()
            .map(std::borrow::Cow::Borrowed)
            .map_err(Clone::clone)
    }

    fn compile(file: &RulesFile) -> Result<Rules, String> {
        let general = LineRules::new(&file.rules)?;
        let mut outlets = Vec::with_capacity(file.outlets.len());
        for o in &file.outlets {
            let markers = o
                .markers
                .iter()
                .map(|m| {
                    Regex::new(m)
                        .map_err(|e| format!("outlet `{}` has a bad marker pattern: {e}", o.name))
                })
                .collect::<Result<Vec<_>, _>>()?;
            outlets.push(Outlet {
                name: o.name.clone(),
                hosts: o.hosts.iter().map(|h| h.to_lowercase()).collect(),
                markers,
                language: o.language.clone(),
                rules: LineRules::new(&o.rules).map_err(|e| format!("outlet `{}`: {e}", o.name))?,
            });
        }
        let mut names: HashMap<String, String> = file
            .hosts
            .iter()
            .map(|(h, n)| (h.to_lowercase(), n.clone()))
            .collect();
        for o in &outlets {
            for h in &o.hosts {
                names.insert(h.clone(), o.name.clone());
            }
        }
        Ok(Rules {
            general,
            outlets,
            names,
        })
    }

    /// The outlet an address names, from the table and the profiles: the longest known host
    /// that the address's host ends with, or a host the address wraps (a library proxy, a
    /// mirror). Returns the name and the host it was known by.
    pub(crate) fn outlet_name_for_url(&self, url: &str) -> Option<(String, String)> {
        let rest = url.split_once("://").map_or(url, |(_, r)| r).to_lowercase();
        let rest = rest.strip_prefix("www.").unwrap_or(&rest);
        // Hosts with a path (`bbc.com/indonesia`) first: they are the most specific.
        let mut with_path: Vec<(&String, &String)> =
            self.names.iter().filter(|(h, _)| h.contains('/')).collect();
        with_path.sort_by_key(|(h, _)| std::cmp::Reverse(h.len()));
        if let Some((h, n)) = with_path
            .into_iter()
            .find(|(h, _)| rest.starts_with(h.as_str()))
        {
            return Some((n.clone(), h.clone()));
        }
        let hosts = super::address::host(url)
            .into_iter()
            .chain(super::address::wrapped_hosts(url));
        for h in hosts {
            if let Some((n, suffix)) =
                host_suffixes(&h).find_map(|s| self.names.get(s).map(|n| (n, s)))
            {
                return Some((n.clone(), suffix.to_string()));
            }
        }
        None
    }

    /// The known name of an outlet a page names itself by ("KOMPAS.TV", "CNNIndonesia.com",
    /// "Liputan6"), when the table or a profile knows it by that host or name.
    pub(crate) fn known_outlet(&self, token: &str) -> Option<String> {
        let t = token.trim().trim_end_matches(['.', ',']).to_lowercase();
        if t.contains('.') {
            let t = t.strip_prefix("www.").unwrap_or(&t);
            if let Some(n) = host_suffixes(t).find_map(|s| self.names.get(s)) {
                return Some(n.clone());
            }
        }
        let key = name_key(&t);
        if key.len() < 3 {
            return None;
        }
        let mut by_name: Vec<&String> = self.names.values().collect();
        by_name.sort();
        by_name.into_iter().find(|n| name_key(n) == key).cloned()
    }

    /// The profile named `name` (case-insensitive).
    pub(crate) fn outlet_named(&self, name: &str) -> Option<&Outlet> {
        self.outlets
            .iter()
            .find(|o| o.name.eq_ignore_ascii_case(name))
    }

    /// The profile whose host the address is on (or the host it wraps: a proxy, a mirror).
    pub(crate) fn outlet_for_url(&self, url: &str) -> Option<&Outlet> {
        let rest = url
            .split_once("://")
            .map(|(_, r)| r)
            .unwrap_or(url)
            .to_lowercase();
        let rest = rest.strip_prefix("www.").unwrap_or(&rest);
        let hosts: Vec<String> = super::address::host(url)
            .into_iter()
            .chain(super::address::wrapped_hosts(url))
            .collect();
        self.outlets.iter().find(|o| {
            o.hosts.iter().any(|h| {
                rest.starts_with(h.as_str())
                    || hosts
                        .iter()
                        .any(|host| host == h || host.ends_with(&format!(".{h}")))
            })
        })
    }

    /// The profile whose markers the page shows first, in its top or its foot: a marker deep in
    /// the article is more likely a quote of another outlet than the page's own chrome.
    pub(crate) fn outlet_in_text(&self, text: &str) -> Option<&Outlet> {
        let head = &text[..floor_char_boundary(text, 3000)];
        let tail = &text[floor_char_boundary(text, text.len().saturating_sub(1000))..];
        let first_at = |o: &Outlet, part: &str| {
            o.markers
                .iter()
                .filter_map(|m| m.find(part).map(|m| m.start()))
                .min()
        };
        self.outlets
            .iter()
            .filter_map(|o| first_at(o, head).map(|at| (at, o)))
            .min_by_key(|(at, _)| *at)
            .map(|(_, o)| o)
            .or_else(|| {
                self.outlets
                    .iter()
                    .filter_map(|o| first_at(o, tail).map(|at| (at, o)))
                    .min_by_key(|(at, _)| *at)
                    .map(|(_, o)| o)
            })
    }
}

/// The largest char boundary at or below `i`.
fn floor_char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_suffixes_are_the_parent_domains_longest_first() {
        let all: Vec<&str> = host_suffixes("a.b.example.com").collect();
        assert_eq!(all, ["a.b.example.com", "b.example.com", "example.com"]);
        assert_eq!(host_suffixes("localhost").count(), 0);
    }

    /// Regression (found by the importer's property test): a header line that is a host
    /// followed by thousands of dots took seconds, each of its suffixes joined again.
    #[test]
    fn a_line_of_dots_is_no_slow_host() {
        let rules = Rules::load(std::path::Path::new("/nonexistent")).expect("built-in rules");
        let token = format!("Kotakita{}", ".".repeat(45_000));
        assert_eq!(rules.known_outlet(&token), None);
        assert_eq!(host_suffixes(&token).count(), 0);
    }

    #[test]
    fn built_in_rules_compile_and_name_outlets() {
        let dir = tempfile::tempdir().unwrap();
        let rules = Rules::load(dir.path()).unwrap();
        assert!(rules.outlet_named("kontan").is_some());
        assert_eq!(
            rules
                .outlet_for_url("https://www.voaindonesia.com/a/x/123.html")
                .map(|o| o.name.as_str()),
            Some("VOA Indonesia")
        );
        assert_eq!(
            rules
                .outlet_for_url("https://international.kontan.co.id/news/x")
                .map(|o| o.name.as_str()),
            Some("Kontan")
        );
    }

    #[test]
    fn addresses_name_their_outlets() {
        let dir = tempfile::tempdir().unwrap();
        let rules = Rules::load(dir.path()).unwrap();
        let name = |u: &str| rules.outlet_name_for_url(u).map(|(n, _)| n);
        // The longest known host wins: a regional edition before its network.
        assert_eq!(
            name("https://wartakota.tribunnews.com/amp/2024/02/14/x").as_deref(),
            Some("Warta Kota")
        );
        assert_eq!(
            name("https://m.tribunnews.com/amp/x").as_deref(),
            Some("Tribunnews")
        );
        // A profile's name wins over the table's for the same host.
        assert_eq!(
            name("https://news.detik.com/x").as_deref(),
            Some("detikNews")
        );
        // Behind a library proxy, and in a mirror's path.
        assert_eq!(
            name("https://www-scmp-com.libproxy1.nus.edu.sg/news/x").as_deref(),
            Some("South China Morning Post")
        );
        assert_eq!(
            name("https://m.netlify.app/host-http-www.kompas.com/tren/read/x").as_deref(),
            Some("Kompas")
        );
        assert_eq!(name("https://unknown.example/x"), None);
        assert_eq!(
            rules.known_outlet("KOMPAS.TV").as_deref(),
            Some("Kompas TV")
        );
        assert_eq!(
            rules.known_outlet("CNN Indonesia").as_deref(),
            Some("CNN Indonesia")
        );
        assert_eq!(rules.known_outlet("Dunia"), None);
    }

    #[test]
    fn a_dossier_file_adds_rules_and_replaces_outlets() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(DOSSIER_FILE),
            "rules:\n  - {name: promo, action: drop, pattern: '^PROMO'}\noutlets:\n  - name: Kontan\n    markers: ['KONTAN-X']\nhosts:\n  kabarsungai.example: Kabar Sungai\n",
        )
        .unwrap();
        let rules = Rules::load(dir.path()).unwrap();
        assert_eq!(
            rules.general.first_match("PROMO 50%").map(|r| r.0),
            Some("promo")
        );
        assert!(rules.outlet_in_text("kontan.co.id").is_none());
        assert!(rules.outlet_in_text("x KONTAN-X y").is_some());
        assert_eq!(
            rules
                .outlet_name_for_url("https://kabarsungai.example/2024/x")
                .map(|(n, _)| n)
                .as_deref(),
            Some("Kabar Sungai")
        );
    }

    #[test]
    fn a_bad_dossier_file_names_its_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(DOSSIER_FILE),
            "rules:\n  - name: x\n    acton: drop\n",
        )
        .unwrap();
        let d = Rules::load(dir.path()).err().unwrap();
        assert_eq!(d.line, Some(3));
        assert!(d.message.contains("acton"), "{}", d.message);
    }
}
