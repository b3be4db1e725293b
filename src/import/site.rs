//! Pages of one site teach each other: a dossier holds many saved pages of the same outlet,
//! and a block that several of them carry inside their article (a newsletter box, a "read
//! also" widget, a standard disclaimer, the author's bio) is the site's template, not its
//! reporting. No single-page extractor can see that.
//!
//! The risk runs the other way too: follow-up stories repeat background paragraphs word for
//! word, and those are reporting. So a repeated block counts as template only when it looks
//! like furniture (short, and at the article's end or not a sentence) or when it is on most
//! of the site's pages; and a page that would lose much of its text to the template is the
//! same story saved twice, so it keeps everything.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::extract::{tokens_key, Article, Verdict};
use super::html::host_of;

/// A repeated block of at most this many words may be furniture.
const SHORT: usize = 40;

/// A page that would lose more than this share of its words is a duplicate, not a template.
const MAX_SHARE: f64 = 0.4;

/// Drops, from each HTML page, the blocks its site's other pages also carry. Text pages are
/// left as they are: their lines have been through the editor's rules already.
pub(crate) fn drop_template(articles: &mut [&mut Article]) {
    let mut sites: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        if !a.markdown {
            continue;
        }
        let site = a
            .url
            .as_deref()
            .and_then(host_of)
            .or_else(|| a.outlet.as_ref().map(|o| o.to_lowercase()));
        if let Some(s) = site {
            sites.entry(s).or_default().push(i);
        }
    }
    for (site, pages) in sites {
        if pages.len() < 2 {
            continue;
        }
        let keys: Vec<Vec<String>> = pages
            .iter()
            .map(|&i| {
                articles[i]
                    .paragraphs
                    .iter()
                    .map(|p| tokens_key(p))
                    .collect()
            })
            .collect();
        let mut on_pages: HashMap<&str, usize> = HashMap::new();
        for page in &keys {
            let distinct: HashSet<&str> = page.iter().map(String::as_str).collect();
            for k in distinct {
                *on_pages.entry(k).or_insert(0) += 1;
            }
        }
        let most = pages.len().div_ceil(2).max(3);
        for (&i, page) in pages.iter().zip(&keys) {
            let a = &mut *articles[i];
            let n = a.paragraphs.len();
            let template: Vec<bool> = page
                .iter()
                .enumerate()
                .map(|(pos, k)| {
                    let count = on_pages.get(k.as_str()).copied().unwrap_or(0);
                    if k.is_empty() || count < 2 {
                        return false;
                    }
                    let words = k.split(' ').count();
                    let p = a.paragraphs[pos].trim_end();
                    let sentence = p.ends_with(['.', '!', '?', '"', '”', '’', ')']);
                    // The article's end is where sites put their boxes and bios; its start
                    // is the lead, which only furniture that is no sentence shares.
                    let end = pos + 3 >= n;
                    (words <= SHORT && (end || !sentence)) || count >= most
                })
                .collect();
            let total: usize = page.iter().map(|k| k.split(' ').count()).sum();
            let dropped: usize = page
                .iter()
                .zip(&template)
                .filter(|(_, t)| **t)
                .map(|(k, _)| k.split(' ').count())
                .sum();
            if dropped == 0 || dropped as f64 > MAX_SHARE * total as f64 {
                continue;
            }
            let mut kept = Vec::with_capacity(n);
            for (p, t) in std::mem::take(&mut a.paragraphs).into_iter().zip(&template) {
                if !*t {
                    kept.push(p);
                    continue;
                }
                let count = on_pages.get(tokens_key(&p).as_str()).copied().unwrap_or(0);
                if let Some(step) = a
                    .trail
                    .iter_mut()
                    .find(|s| s.verdict == Verdict::Keep && tokens_key(&s.text) == tokens_key(&p))
                {
                    step.verdict = Verdict::Drop;
                    step.rule = format!("site-template ({count} pages of {site})");
                }
            }
            a.paragraphs = kept;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(url: &str, paragraphs: &[&str]) -> Article {
        Article {
            url: Some(url.to_string()),
            markdown: true,
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            ..Article::default()
        }
    }

    #[test]
    fn blocks_repeated_across_a_sites_pages_go() {
        let box_ = "Sign up for our morning briefing";
        let background = "The two leaders last met in 2019, when talks in Hanoi ended without a deal on sanctions or on the nuclear programme.";
        let mut a = page(
            "https://news.example.com/a",
            &[
                "Talks began on Monday in the capital.",
                background,
                "Officials said more meetings would follow next week.",
                "A second round is planned.",
                box_,
            ],
        );
        let mut b = page(
            "https://news.example.com/b",
            &[
                "The delegation arrived on Tuesday morning.",
                background,
                "Both sides described the atmosphere as constructive.",
                "Trade was also discussed.",
                box_,
            ],
        );
        let mut other = page("https://elsewhere.example.org/c", &["Unrelated.", box_]);
        drop_template(&mut [&mut a, &mut b, &mut other]);
        assert!(!a.paragraphs.iter().any(|p| p == box_));
        assert!(!b.paragraphs.iter().any(|p| p == box_));
        // Reporting repeated in a follow-up story stays; another site is not taught.
        assert!(a.paragraphs.iter().any(|p| p == background));
        assert!(other.paragraphs.iter().any(|p| p == box_));
    }

    #[test]
    fn the_same_story_saved_twice_keeps_its_text() {
        let text = [
            "First paragraph of the story.",
            "Second paragraph of it.",
            "Third.",
        ];
        let mut a = page("https://news.example.com/a", &text);
        let mut b = page("https://news.example.com/a", &text);
        drop_template(&mut [&mut a, &mut b]);
        assert_eq!(a.paragraphs.len(), 3);
        assert_eq!(b.paragraphs.len(), 3);
    }
}
