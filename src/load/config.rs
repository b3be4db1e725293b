//! `site.toml`: the dossier's settings, read and validated once and then passed explicitly.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::{line_of_key, line_of_offset, Diagnostic};
use crate::i18n::Language;

pub(crate) const CONFIG_FILE: &str = "site.toml";

/// The values `highlight_theme` and `highlight_theme_dark` take: syntect's bundled themes (a
/// test in `render::markdown` keeps the list equal to syntect's).
/// The highlight themes when `site.toml` names none.
const DEFAULT_HIGHLIGHT: &str = "InspiredGitHub";
const DEFAULT_HIGHLIGHT_DARK: &str = "base16-ocean.dark";

/// The most reports one shard of the search index holds (`render/search.rs`).
pub(crate) const SEARCH_SHARD: usize = 20_000;

/// The most pages one sitemap lists: the limit of the sitemap protocol, which crawlers keep to
/// (<https://www.sitemaps.org/protocol.html>). A larger site's `sitemap.xml` is an index of
/// parts, `sitemaps/1.xml`, `sitemaps/2.xml`, ….
pub(crate) const SITEMAP_URLS: usize = 50_000;

pub(crate) const HIGHLIGHT_THEMES: &[&str] = &[
    "InspiredGitHub",
    "Solarized (dark)",
    "Solarized (light)",
    "base16-eighties.dark",
    "base16-mocha.dark",
    "base16-ocean.dark",
    "base16-ocean.light",
];

/// The keys `site.toml` may have, for typo suggestions.
const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "output_dir",
    "author",
    "cname",
    "highlight_theme",
    "highlight_theme_dark",
    "allow_html",
    "strings",
    "events",
    "aliases",
];

/// `site.toml` as written: serialization type at the edge.
/// Unknown keys are reported by [`Config::parse`] itself, with suggestions, so serde ignores them.
#[derive(Debug, Deserialize)]
struct SiteToml {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    output_dir: Option<String>,
    author: Option<String>,
    cname: Option<String>,
    highlight_theme: Option<String>,
    highlight_theme_dark: Option<String>,
    allow_html: Option<bool>,
    #[serde(default)]
    strings: BTreeMap<String, String>,
    #[serde(default)]
    events: EventsToml,
    #[serde(default)]
    aliases: BTreeMap<String, String>,
}

/// `[events]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventsToml {
    detect: Option<bool>,
    window_days: Option<u32>,
    threshold: Option<f64>,
}

/// How reports without an `event:` key are grouped into events (`[events]` in site.toml).
#[derive(Debug, Clone, PartialEq)]
pub struct EventsConfig {
    /// Whether to group them at all (otherwise they stay outside any event).
    pub detect: bool,
    /// Reports further apart than this many days never cover the same event.
    pub window_days: u32,
    /// The similarity (0–1) two reports need to be grouped.
    pub threshold: f64,
}

impl Default for EventsConfig {
    fn default() -> Self {
        EventsConfig {
            detect: true,
            window_days: 4,
            threshold: 0.17,
        }
    }
}

/// The validated settings of one dossier.
#[derive(Debug, Clone)]
pub struct Config {
    /// The dossier's folder: `site.toml`, `content/`, `templates/`, `static/`.
    pub root: PathBuf,
    pub title: String,
    pub description: String,
    /// Always ends with `/`.
    pub base_url: String,
    pub language: Language,
    pub output_dir: PathBuf,
    pub author: Option<String>,
    pub cname: Option<String>,
    pub highlight_theme: String,
    pub highlight_theme_dark: String,
    pub allow_html: bool,
    /// Overrides of the theme's UI strings, by key.
    pub strings: BTreeMap<String, String>,
    pub events: EventsConfig,
    /// Other names of people, organisations and places → the name the dossier uses.
    pub aliases: BTreeMap<String, String>,
    /// Whether the build writes the search index and page (`build --no-search` turns it off).
    pub search: bool,
    /// The most reports one shard of the search index holds (`search.rs`); a setting for tests,
    /// which search a sharded index on a small dossier.
    pub search_shard: usize,
    /// The most pages one sitemap lists (`render/feeds.rs`): 50,000, the sitemap protocol's
    /// limit; a setting for tests, which check a sitemap index on a small dossier.
    pub sitemap_urls: usize,
    /// Whether long work shows its progress on a terminal (`build` sets it; the preview and
    /// the tests do not).
    pub progress: bool,
}

impl Config {
    pub(crate) fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    /// The path part of `base_url` (`/russia-dprk/`), for pages that cannot use relative links.
    pub(crate) fn base_path(&self) -> String {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map(|(_, rest)| rest)
            .unwrap_or(&self.base_url);
        match after_scheme.find('/') {
            Some(i) => after_scheme[i..].to_string(),
            None => "/".to_string(),
        }
    }

    /// Reads and validates `<root>/site.toml`; every problem is reported, not only the first.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(vec![Diagnostic::error(path, "no site.toml here").with_help(
                    "run dossier in a dossier folder, pass --root <folder>, or create one with `dossier init <folder>`",
                )])
            }
            Err(e) => {
                return Err(vec![Diagnostic::error(
                    path,
                    format!("cannot read the file: {e}"),
                )])
            }
        };
        Config::parse(root, &path, &text)
    }

    pub(crate) fn parse(root: &Path, path: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let table: toml::Table = match toml::from_str(text) {
            Ok(t) => t,
            Err(e) => return Err(vec![toml_error(path, text, &e)]),
        };
        for key in table.keys() {
            if !KNOWN_KEYS.contains(&key.as_str()) {
                let d = Diagnostic::error(path.to_path_buf(), format!("unknown key `{key}`"))
                    .at_line(line_of_key(text, key));
                let all = format!("the known keys are: {}", KNOWN_KEYS.join(", "));
                problems.push(d.did_you_mean(key, KNOWN_KEYS, Some(all)));
            }
        }
        let raw: SiteToml = match toml::from_str(text) {
            Ok(r) => r,
            Err(e) => {
                problems.push(toml_error(path, text, &e));
                problems.sort_by_key(|d| d.line);
                return Err(problems);
            }
        };
        let err = |key: &str, msg: String| {
            Diagnostic::error(path.to_path_buf(), msg).at_line(line_of_key(text, key))
        };

        let code = raw.language.as_deref().unwrap_or("en");
        let language = match Language::from_code(code) {
            Some(l) => l,
            None => {
                problems.push(
                    err("language", format!("unknown language `{code}`")).with_help(format!(
                        "use one of: {}",
                        Language::ALL
                            .iter()
                            .map(|l| l.code())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                );
                Language::En
            }
        };
        check_values(&raw, language, &err, &mut problems);
        if !problems.is_empty() {
            problems.sort_by_key(|d| d.line);
            return Err(problems);
        }
        let mut base_url = raw.base_url.unwrap_or_else(|| "/".to_string());
        if !base_url.ends_with('/') {
            base_url.push('/');
        }
        Ok(Config {
            root: root.to_path_buf(),
            title: raw.title.unwrap_or_else(|| "Dossier".into()),
            description: raw.description.unwrap_or_default(),
            base_url,
            language,
            output_dir: root.join(raw.output_dir.unwrap_or_else(|| "public".into())),
            author: raw.author,
            cname: raw.cname,
            highlight_theme: raw
                .highlight_theme
                .unwrap_or_else(|| DEFAULT_HIGHLIGHT.into()),
            highlight_theme_dark: raw
                .highlight_theme_dark
                .unwrap_or_else(|| DEFAULT_HIGHLIGHT_DARK.into()),
            allow_html: raw.allow_html.unwrap_or(false),
            strings: raw.strings,
            events: EventsConfig {
                detect: raw.events.detect.unwrap_or(true),
                window_days: raw.events.window_days.unwrap_or(4),
                threshold: raw.events.threshold.unwrap_or(0.17),
            },
            aliases: raw.aliases,
            search: true,
            search_shard: SEARCH_SHARD,
            sitemap_urls: SITEMAP_URLS,
            progress: false,
        })
    }

    /// The UI strings of the site's language, with the `[strings]` overrides in place: what
    /// every page and the search index show.
    pub(crate) fn ui_strings(&self) -> BTreeMap<&str, &str> {
        let mut strings = self.language.strings();
        for (k, v) in &self.strings {
            if let Some(slot) = strings.get_mut(k.as_str()) {
                *slot = v.as_str();
            }
        }
        strings
    }
}

/// The checks of `site.toml`'s values that do not stop the others: each problem is added to
/// `problems`.
fn check_values(
    raw: &SiteToml,
    language: Language,
    err: &dyn Fn(&str, String) -> Diagnostic,
    problems: &mut Vec<Diagnostic>,
) {
    let base_url = raw.base_url.as_deref().unwrap_or("/");
    if !(base_url.starts_with("http://")
        || base_url.starts_with("https://")
        || base_url.starts_with('/'))
    {
        problems.push(
            err(
                "base_url",
                format!("base_url `{base_url}` is not an absolute URL"),
            )
            .with_help("write it like https://someone.github.io/russia-dprk/"),
        );
    }
    if let Some(t) = raw.events.threshold {
        if !(t > 0.0 && t <= 1.0) {
            problems.push(
                err(
                    "threshold",
                    format!("[events] threshold {t} is not between 0 and 1"),
                )
                .with_help("0.17 is the default; higher groups fewer reports together"),
            );
        }
    }
    for (key, name) in [
        (
            "highlight_theme",
            raw.highlight_theme.as_deref().unwrap_or(DEFAULT_HIGHLIGHT),
        ),
        (
            "highlight_theme_dark",
            raw.highlight_theme_dark
                .as_deref()
                .unwrap_or(DEFAULT_HIGHLIGHT_DARK),
        ),
    ] {
        if !HIGHLIGHT_THEMES.contains(&name) {
            let d = err(key, format!("unknown highlight theme `{name}`"));
            let all = format!("the themes are: {}", HIGHLIGHT_THEMES.join(", "));
            problems.push(d.did_you_mean(name, HIGHLIGHT_THEMES, Some(all)));
        }
    }
    for key in raw.strings.keys() {
        if !language.strings().contains_key(key.as_str()) {
            let known: Vec<&str> = language.strings().keys().copied().collect();
            let d = err(key, format!("unknown UI string `{key}` in [strings]"));
            problems.push(d.did_you_mean(key, &known, None));
        }
    }
    if let Some(cname) = &raw.cname {
        if cname.contains('/') || cname.contains(' ') || cname.is_empty() {
            problems.push(
                err("cname", format!("cname `{cname}` is not a domain name"))
                    .with_help("write only the domain, like dossier.example.org"),
            );
        }
    }
}

fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> Diagnostic {
    let line = e.span().map(|s| line_of_offset(text, s.start));
    Diagnostic::error(path.to_path_buf(), format!("invalid TOML: {}", e.message()))
        .at_line(line)
        .with_help("see the README's `site.toml` section for the keys and their types")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        let got = match Config::parse(Path::new("."), Path::new("site.toml"), input) {
            Ok(c) => format!("ok {} {} {}", c.base_url, c.language.code(), c.base_path()),
            Err(ds) => ds
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n"),
        };
        assert_eq!(got, expected);
    }

    #[test]
    fn minimal_config_gets_defaults() {
        check("title = \"x\"", "ok / en /");
        check(
            "base_url = \"https://a.github.io/russia-dprk\"\nlanguage = \"id\"",
            "ok https://a.github.io/russia-dprk/ id /russia-dprk/",
        );
    }

    #[test]
    fn unknown_keys_suggest_the_closest() {
        check(
            "titel = \"x\"\nlanguag = \"id\"",
            "error: site.toml:1: unknown key `titel`\n  help: did you mean `title`?\nerror: site.toml:2: unknown key `languag`\n  help: did you mean `language`?",
        );
    }

    #[test]
    fn bad_values_are_reported_together() {
        check(
            "language = \"fr\"\nhighlight_theme = \"nope\"",
            "error: site.toml:1: unknown language `fr`\n  help: use one of: en, id\nerror: site.toml:2: unknown highlight theme `nope`\n  help: the themes are: InspiredGitHub, Solarized (dark), Solarized (light), base16-eighties.dark, base16-mocha.dark, base16-ocean.dark, base16-ocean.light",
        );
        check(
            "title = 3",
            "error: site.toml:1: invalid TOML: invalid type: integer `3`, expected a string\n  help: see the README's `site.toml` section for the keys and their types",
        );
    }
}
