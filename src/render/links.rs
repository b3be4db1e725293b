//! The internal link checker: every `href` and `src` of every rendered page must name a file
//! of the site. Used by `check` on the pages rendered in memory, and by the tests.
//!
//! The pages scanned are dossier's own output, whose attributes the templates always quote,
//! so a pattern over `href="…"`/`src="…"` is exact here; it is not a general HTML parser.

use std::collections::{BTreeMap, BTreeSet};

use regex::Regex;

/// A link from `page` to `target` that names no file of the site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BrokenLink {
    pub page: String,
    pub target: String,
}

/// Resolves `href` found on the page at `page` (a path from the site root) to a file path from
/// the root; `None` for external links and same-page anchors.
pub(crate) fn resolve(page: &str, href: &str, base_path: &str) -> Option<String> {
    let href = href.trim();
    let href = href.split('#').next().unwrap_or("");
    let href = href.split('?').next().unwrap_or("");
    if href.is_empty()
        || href.contains("://")
        || href.starts_with("mailto:")
        || href.starts_with("tel:")
        || href.starts_with("data:")
        || href.starts_with("//")
    {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    let rel = if let Some(abs) = href
        .strip_prefix(base_path.trim_end_matches('/'))
        .filter(|_| href.starts_with('/'))
    {
        abs.trim_start_matches('/')
    } else if href.starts_with('/') {
        // An absolute path outside the site's base path.
        return Some(format!("(outside the site) {href}"));
    } else {
        parts.extend(page.split('/'));
        parts.pop();
        href
    };
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Some(format!("(above the site root) {href}"));
                }
            }
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if rel.ends_with('/') || rel.is_empty() || path.is_empty() {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

/// Every broken internal link of a rendered site.
pub(crate) fn check(files: &BTreeMap<String, Vec<u8>>, base_path: &str) -> Vec<BrokenLink> {
    let attr = Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap_or_else(|_| unreachable!());
    let mut broken = BTreeSet::new();
    for (page, bytes) in files {
        if !page.ends_with(".html") {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        for cap in attr.captures_iter(&text) {
            let href = cap[1].replace("&amp;", "&");
            if let Some(target) = resolve(page, &href, base_path) {
                let exists = files.contains_key(&target)
                    || files.contains_key(&format!("{target}/index.html"));
                if !exists {
                    broken.insert(BrokenLink {
                        page: page.clone(),
                        target: href.to_string(),
                    });
                }
            }
        }
    }
    broken.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_and_base_path_links() {
        let r = |page, href| resolve(page, href, "/sub/");
        assert_eq!(
            r("reports/a/index.html", "../../events/e/"),
            Some("events/e/index.html".into())
        );
        assert_eq!(r("index.html", "style.css?v=1"), Some("style.css".into()));
        assert_eq!(r("index.html", ""), None);
        assert_eq!(r("index.html", "#top"), None);
        assert_eq!(r("index.html", "https://x.org/"), None);
        assert_eq!(
            r("404.html", "/sub/timeline/"),
            Some("timeline/index.html".into())
        );
        assert_eq!(r("404.html", "/sub/"), Some("index.html".into()));
        assert_eq!(
            r("index.html", "/elsewhere/"),
            Some("(outside the site) /elsewhere/".into())
        );
        assert_eq!(
            r("index.html", "../x"),
            Some("(above the site root) ../x".into())
        );
    }
}
