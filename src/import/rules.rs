//! The chrome rules and outlet profiles of `dossier import`: `rules.yaml` (embedded) extended by
//! the dossier's own `import.yaml`, compiled once per run.

use std::path::Path;

use regex::{Regex, RegexSet};
use serde::Deserialize;

use crate::diag::Diagnostic;

/// The built-in rules and outlet profiles.
pub(crate) const BUILT_IN: &str = include_str!("rules.yaml");

/// The dossier's own additions, beside `site.toml`.
pub(crate) const DOSSIER_FILE: &str = "import.yaml";

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    rules: Vec<RuleDef>,
    #[serde(default)]
    outlets: Vec<OutletDef>,
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
pub(crate) struct Outlet {
    pub(crate) name: String,
    pub(crate) hosts: Vec<String>,
    pub(crate) markers: Vec<Regex>,
    pub(crate) language: Option<String>,
    pub(crate) rules: LineRules,
}

/// Everything import knows about chrome.
pub(crate) struct Rules {
    pub(crate) general: LineRules,
    pub(crate) outlets: Vec<Outlet>,
}

impl Rules {
    /// The built-in rules, extended by `<root>/import.yaml` when it exists.
    pub(crate) fn load(root: &Path) -> Result<Rules, Diagnostic> {
        let mut file: RulesFile = serde_yaml::from_str(BUILT_IN).map_err(|e| {
            Diagnostic::error(None, format!("the built-in import rules are broken: {e}"))
        })?;
        let own = root.join(DOSSIER_FILE);
        if own.exists() {
            let text = std::fs::read_to_string(&own)
                .map_err(|e| Diagnostic::error(own.clone(), format!("cannot be read: {e}")))?;
            let extra: RulesFile = serde_yaml::from_str(&text).map_err(|e| {
                Diagnostic::error(own.clone(), e.to_string())
                    .at_line(e.location().map(|l| l.line()))
                    .with_help(
                        "the file has two lists, `rules:` (name, action: drop|stop|related, \
                         pattern) and `outlets:` (name, hosts, markers, language, rules)",
                    )
            })?;
            file.rules.extend(extra.rules);
            for o in extra.outlets {
                file.outlets
                    .retain(|b| !b.name.eq_ignore_ascii_case(&o.name));
                file.outlets.push(o);
            }
            return Rules::compile(&file).map_err(|e| Diagnostic::error(own, e));
        }
        Rules::compile(&file).map_err(|e| Diagnostic::error(None, e))
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
        Ok(Rules { general, outlets })
    }

    /// The profile named `name` (case-insensitive).
    pub(crate) fn outlet_named(&self, name: &str) -> Option<&Outlet> {
        self.outlets
            .iter()
            .find(|o| o.name.eq_ignore_ascii_case(name))
    }

    /// The profile whose host the address is on.
    pub(crate) fn outlet_for_url(&self, url: &str) -> Option<&Outlet> {
        let rest = url
            .split_once("://")
            .map(|(_, r)| r)
            .unwrap_or(url)
            .to_lowercase();
        let rest = rest.strip_prefix("www.").unwrap_or(&rest);
        self.outlets.iter().find(|o| {
            o.hosts.iter().any(|h| {
                rest.starts_with(h.as_str())
                    || rest
                        .split('/')
                        .next()
                        .is_some_and(|host| host.ends_with(&format!(".{h}")))
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
    fn a_dossier_file_adds_rules_and_replaces_outlets() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(DOSSIER_FILE),
            "rules:\n  - {name: promo, action: drop, pattern: '^PROMO'}\noutlets:\n  - name: Kontan\n    markers: ['KONTAN-X']\n",
        )
        .unwrap();
        let rules = Rules::load(dir.path()).unwrap();
        assert_eq!(
            rules.general.first_match("PROMO 50%").map(|r| r.0),
            Some("promo")
        );
        assert!(rules.outlet_in_text("kontan.co.id").is_none());
        assert!(rules.outlet_in_text("x KONTAN-X y").is_some());
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
