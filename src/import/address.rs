//! What a page's address says about it: its host (and the host a library proxy or a mirror
//! wraps), the day in its path (`/2024/06/19/`, `/read/20240401/`), and the words of its slug
//! (`putin-to-visit-north-korea-today`), which make a better title than the lead when the page
//! has no headline of its own.

use chrono::NaiveDate;

/// The host of an address, lower-cased, without user, port or a leading `www.`.
pub(crate) fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit('@').next()?;
    let h = authority
        .split(':')
        .next()?
        .trim_end_matches('.')
        .to_lowercase();
    let h = h.strip_prefix("www.").unwrap_or(&h).to_string();
    (h.contains('.')
        && h.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'))
    .then_some(h)
}

/// The path of an address without query or fragment, lower-cased.
fn path(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    rest.split_once('/')
        .map(|(_, p)| p.to_lowercase())
        .unwrap_or_default()
}

/// Hosts an address wraps: a library proxy writes `www.scmp.com` as `www-scmp-com.proxy.edu`;
/// a mirror puts the original in its path (`/host-http-www.kompas.com/…`). Most likely first.
pub(crate) fn wrapped_hosts(url: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(h) = host(url) {
        if let Some(first) = h.split('.').next() {
            if first.matches('-').count() >= 1 && h.split('.').count() >= 3 {
                let unwrapped = first.replace('-', ".");
                let unwrapped = unwrapped.strip_prefix("www.").unwrap_or(&unwrapped);
                if unwrapped.contains('.') {
                    out.push(unwrapped.to_string());
                }
            }
        }
    }
    for seg in path(url).split('/') {
        let seg = seg
            .trim_start_matches("host-")
            .trim_start_matches("https-")
            .trim_start_matches("http-");
        let seg = seg.strip_prefix("www.").unwrap_or(seg);
        let labels: Vec<&str> = seg.split('.').collect();
        if labels.len() >= 2
            && labels
                .iter()
                .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
            && labels.last().is_some_and(|tld| {
                (2..=6).contains(&tld.len()) && tld.chars().all(|c| c.is_ascii_alphabetic())
            })
            && !matches!(
                labels.last(),
                Some(&("html" | "htm" | "php" | "aspx" | "asp" | "jsp" | "shtml"))
            )
        {
            out.push(seg.to_string());
        }
    }
    out
}

/// Second-level labels under which names are registered (`co.id`, `com.au`, `my.id`).
const SECOND_LEVEL: &[&str] = &[
    "co", "com", "or", "ac", "go", "net", "org", "web", "my", "sch", "biz", "ne", "gov", "edu",
];

/// The name a site registered: `news.detik.com` → `detik.com`, `blog.hsb.co.id` → `hsb.co.id`.
pub(crate) fn registered(host: &str) -> &str {
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    let keep = if n >= 3 && labels[n - 1].len() == 2 && SECOND_LEVEL.contains(&labels[n - 2]) {
        3
    } else {
        2
    };
    if n <= keep {
        return host;
    }
    let cut: usize = labels[..n - keep].iter().map(|l| l.len() + 1).sum();
    &host[cut..]
}

/// The host written readably, as an outlet's name when nothing better is known:
/// `in.marketscreener.com` → `Marketscreener.com`.
pub(crate) fn readable_host(host: &str) -> String {
    let r = registered(host);
    let mut chars = r.chars();
    match chars.next() {
        Some(f) => f.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The day in an address's path: `/2024/06/19/`, `/2024/6/20/`, `/20240114/`,
/// `/20230912125856-117-997896/`.
pub(crate) fn date_in_url(url: &str) -> Option<NaiveDate> {
    let p = path(url);
    let parts: Vec<&str> = p.split('/').collect();
    let leading = |s: &str| -> Option<u32> {
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        (!digits.is_empty() && digits.len() <= 2)
            .then(|| digits.parse().ok())
            .flatten()
    };
    let split = parts.windows(3).find_map(|w| {
        let y: i32 = w[0].parse().ok().filter(|y| (1990..=2100).contains(y))?;
        let m: u32 = w[1].parse().ok()?;
        let d = leading(w[2])?;
        NaiveDate::from_ymd_opt(y, m, d)
    });
    split.or_else(|| {
        parts.iter().find_map(|seg| {
            let digits: String = seg.chars().take_while(char::is_ascii_digit).collect();
            // yyyymmdd, alone or as the head of a timestamp (yyyymmddhhmmss).
            if digits.len() != 8 && digits.len() != 14 {
                return None;
            }
            let y: i32 = digits[..4]
                .parse()
                .ok()
                .filter(|y| (1990..=2100).contains(y))?;
            let m: u32 = digits[4..6].parse().ok()?;
            let d: u32 = digits[6..8].parse().ok()?;
            NaiveDate::from_ymd_opt(y, m, d)
        })
    })
}

/// The words of the address's slug, when it has one of at least three words:
/// `…/d-7398774/mesranya-putin-disambut-kim-jong-un-di-korea-utara/amp` →
/// `[mesranya, putin, disambut, …]`. Ids before and after the words are left out.
pub(crate) fn slug_words(url: &str) -> Option<Vec<String>> {
    let p = path(url);
    let best = p
        .split('/')
        .map(|seg| {
            let seg = seg
                .trim_end_matches(".html")
                .trim_end_matches(".htm")
                .trim_end_matches(".php");
            let mut words: Vec<&str> = seg
                .split(['-', '_', '+'])
                .filter(|w| !w.is_empty())
                .collect();
            let has_digit = |w: &&str| w.chars().any(|c| c.is_ascii_digit());
            while words.first().is_some_and(has_digit) {
                words.remove(0);
            }
            while words.last().is_some_and(has_digit) {
                words.pop();
            }
            words
        })
        .filter(|w| {
            w.iter()
                .filter(|w| w.chars().all(|c| c.is_alphabetic()))
                .count()
                >= 3
        })
        .max_by_key(|w| w.len())?;
    Some(best.iter().map(|w| w.to_string()).collect())
}

/// Words a title keeps in lower case unless they open it.
const SMALL_WORDS: &[&str] = &[
    "a", "an", "the", "of", "to", "in", "on", "at", "for", "and", "or", "by", "with", "as", "from",
    "vs", "di", "ke", "dari", "dan", "yang", "untuk", "pada", "dengan", "atau", "dalam", "soal",
    "oleh", "bagi", "per", "hingga", "usai", "jadi", "ini", "itu",
];

/// The slug as a title: each word written as the page's text writes it when it does
/// ("bps" → "BPS", "rp953" → "Rp953"), else capitalised, short joining words in lower case.
pub(crate) fn slug_title(words: &[String], text: &str) -> String {
    let mut out = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        let seen = written_as(text, w);
        let word = match seen {
            Some(s)
                if s.chars().filter(|c| c.is_uppercase()).count() >= 2
                    || s.chars().any(|c| c.is_ascii_digit()) =>
            {
                s
            }
            _ if i > 0 && SMALL_WORDS.contains(&w.as_str()) => w.clone(),
            _ => {
                let mut c = w.chars();
                match c.next() {
                    Some(f) => f.to_uppercase().chain(c).collect(),
                    None => String::new(),
                }
            }
        };
        out.push(word);
    }
    out.join(" ")
}

/// How the text writes a word, when it does (the first time, as a whole word).
fn written_as(text: &str, word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    text.split(|c: char| !c.is_alphanumeric())
        .find(|t| t.to_lowercase() == lower)
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(
            host("https://www.kompas.com/global/read/x").as_deref(),
            Some("kompas.com")
        );
        assert_eq!(
            host("http://user@Example.co.id:8080/x").as_deref(),
            Some("example.co.id")
        );
        assert_eq!(host("not an address"), None);
        assert_eq!(registered("news.detik.com"), "detik.com");
        assert_eq!(registered("blog.hsb.co.id"), "hsb.co.id");
        assert_eq!(registered("wicks-36.my.id"), "wicks-36.my.id");
        assert_eq!(readable_host("in.marketscreener.com"), "Marketscreener.com");
        assert_eq!(
            wrapped_hosts("https://www-scmp-com.libproxy1.nus.edu.sg/news/asia/article/1/x"),
            vec!["scmp.com".to_string()]
        );
        assert!(
            wrapped_hosts("https://m.netlify.app/host-http-www.kompas.com/tren/read/2024/x")
                .contains(&"kompas.com".to_string())
        );
        assert!(wrapped_hosts("https://x.com/a/b-c.html").is_empty());
    }

    #[test]
    fn dates_in_addresses() {
        let d = |s: &str| date_in_url(s).map(|d| d.to_string());
        assert_eq!(
            d("https://m.tribunnews.com/amp/internasional/2024/06/19/putin-sambangi").as_deref(),
            Some("2024-06-19")
        );
        assert_eq!(
            d("https://www.aljazeera.com/news/2024/6/20/putin-and-kim").as_deref(),
            Some("2024-06-20")
        );
        assert_eq!(
            d("https://sputnikglobe.com/20240114/russian-x-1116157856.html").as_deref(),
            Some("2024-01-14")
        );
        assert_eq!(
            d("https://www.cnnindonesia.com/internasional/20230912125856-117-997896/video")
                .as_deref(),
            Some("2023-09-12")
        );
        assert_eq!(d("https://tass.com/politics/1674463/amp"), None);
        assert_eq!(d("https://x.com/2024/13/40/x"), None);
    }

    #[test]
    fn slugs_as_titles() {
        let words = |u: &str| slug_words(u).map(|w| w.join(" "));
        assert_eq!(
            words("https://news.detik.com/internasional/d-7398774/mesranya-putin-disambut-kim/amp")
                .as_deref(),
            Some("mesranya putin disambut kim")
        );
        assert_eq!(
            words("https://x.com/a/korut-dan-rusia-kembangkan-drone-militer-01-3fz8h-18k3nn/amp")
                .as_deref(),
            Some("korut dan rusia kembangkan drone militer")
        );
        assert_eq!(words("https://tass.com/politics/1864565"), None);
        let w: Vec<String> = "putin-to-visit-north-korea-today"
            .split('-')
            .map(String::from)
            .collect();
        assert_eq!(slug_title(&w, ""), "Putin to Visit North Korea Today");
        let w: Vec<String> = "bps-inflasi-beras-mulai-mereda"
            .split('-')
            .map(String::from)
            .collect();
        assert_eq!(
            slug_title(&w, "Badan Pusat Statistik (BPS) menyatakan"),
            "BPS Inflasi Beras Mulai Mereda"
        );
    }
}
