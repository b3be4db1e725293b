//! The briefing: the dossier, or the part of it a filter selects, as one document to print: a
//! cover, contents, each event with how its reports agree and its reports in full, and the
//! numbered sources the text cites. The site's `briefing/` page and `dossier briefing`'s
//! self-contained file render the same template with this context.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::json;
use tera::Context;

use super::common::{Common, Texts};
use super::pages::report_url;
use super::theme::{template_error, Theme};
use super::{charts, event, into_inner};
use crate::analyze::briefing::Selection;
use crate::analyze::Dossier;
use crate::diag::Diagnostics;
use crate::load::config::Config;

/// The site's `briefing/` page: the selection `analyze::briefing::for_site` makes. The texts'
/// own pages report their problems: once is enough, so the briefing's are dropped.
pub(super) fn site_page(c: &Common<'_>, tera: &tera::Tera, root: &str, ctx: &mut Context) {
    let sel = crate::analyze::briefing::for_site(c.dossier);
    let again = Mutex::new(Vec::new());
    let texts = Texts {
        common: c,
        tera,
        root,
        problems: &again,
    };
    context(&sel, &texts, ctx);
}

/// How the briefing cites its reports: sources are numbered in reading order, so the numbers
/// in the text rise as one reads.
struct Citations {
    number: HashMap<usize, usize>,
    /// A report's address in the site → its source number.
    by_url: HashMap<String, usize>,
    /// A link to a report of the briefing, as the text writes it → its anchor and number.
    cite: HashMap<String, (String, usize)>,
}

impl Citations {
    fn new(d: &Dossier, sel: &Selection, root: &str) -> Citations {
        let number: HashMap<usize, usize> =
            sel.reports().enumerate().map(|(n, r)| (r, n + 1)).collect();
        let by_url = number
            .iter()
            .map(|(&r, &n)| (report_url(&d.reports[r].id), n))
            .collect();
        // A link in the text to a report of the briefing goes to its place in the briefing.
        let cite = number
            .iter()
            .map(|(&r, &n)| {
                let id = &d.reports[r].id;
                (format!("{root}{}", report_url(id)), (format!("r-{id}"), n))
            })
            .collect();
        Citations {
            number,
            by_url,
            cite,
        }
    }
}

/// The briefing's context: cover, contents, events with their reports, numbered sources.
fn context(sel: &Selection, texts: &Texts<'_>, ctx: &mut Context) {
    let c = texts.common;
    let citations = Citations::new(c.dossier, sel, texts.root);
    let events: Vec<_> = sel
        .events
        .iter()
        .map(|(i, rs)| event_entry(*i, rs, sel, texts, &citations))
        .collect();
    let loose: Vec<_> = sel
        .loose
        .iter()
        .map(|&r| report_entry(r, sel, texts, &citations))
        .collect();
    let sources = sources(c, sel, &citations);
    ctx.insert("page_title", c.strings["briefing"]);
    ctx.insert("cover", &cover(c, sel, sources.len()));
    ctx.insert("events", &events);
    ctx.insert("loose", &loose);
    ctx.insert("sources", &sources);
    ctx.insert("excerpts", &sel.excerpts);
    let shown: Vec<(usize, usize)> = sel.events.iter().map(|(i, rs)| (*i, rs.len())).collect();
    ctx.insert(
        "timeline_chart",
        &charts::timeline(c, "chart-timeline", &shown, &sel.loose, texts.root),
    );
    ctx.insert("css_title", &css_string(&c.config.title));
}

/// One report of the briefing: its card, source number, anchor and text (or excerpt).
fn report_entry(
    r: usize,
    sel: &Selection,
    texts: &Texts<'_>,
    citations: &Citations,
) -> serde_json::Value {
    let rep = &texts.common.dossier.reports[r];
    let text = if sel.excerpts {
        excerpt(&rep.body)
    } else {
        &*rep.body
    };
    json!({
        "card": texts.common.report_card(r),
        "n": citations.number.get(&r),
        "anchor": format!("r-{}", rep.id),
        "dateline": rep.dateline,
        "body": cite_reports(&texts.html(text, &rep.path, rep.body_line), &citations.cite),
        "excerpt": sel.excerpts && text.len() < rep.body.len(),
    })
}

/// One event of the briefing: its card, note, how its reports agree (outlets with their
/// source numbers) and the reports of it the selection holds.
fn event_entry(
    i: usize,
    reports: &[usize],
    sel: &Selection,
    texts: &Texts<'_>,
    citations: &Citations,
) -> serde_json::Value {
    let c = texts.common;
    let e = &c.dossier.events[i];
    let note = e
        .note
        .as_ref()
        .map(|n| texts.html(&n.body, &n.path, n.body_line))
        .map(|html| cite_reports(&html, &citations.cite))
        .unwrap_or_default();
    let compared = event::compared(c, i);
    let mut agreement = compared.map(|ag| event::agreement_of(c, i, ag));
    if let Some(a) = agreement.as_mut() {
        number_outlets(a, &citations.by_url);
    }
    let picture = compared.and_then(|ag| {
        let id = format!("chart-{}", e.id);
        charts::agreement(c, i, ag, &id, texts.root)
    });
    json!({
        "event": c.event_card(i),
        "anchor": format!("e-{}", e.id),
        "note": note,
        "agreement": agreement,
        "agreement_chart": picture,
        "detected": e.detected,
        "reports": reports.iter().map(|&r| report_entry(r, sel, texts, citations)).collect::<Vec<_>>(),
    })
}

/// The numbered list of sources: outlet, date, wire, title, original URL, the report's
/// address in the dossier and the raw file it was imported from.
fn sources(c: &Common<'_>, sel: &Selection, citations: &Citations) -> Vec<serde_json::Value> {
    sel.reports()
        .map(|r| {
            let rep = &c.dossier.reports[r];
            json!({
                "n": citations.number.get(&r),
                "card": c.report_card(r),
                "url": rep.url,
                "site_url": format!("{}{}", c.config.base_url, report_url(&rep.id)),
                "file": rep.source.as_ref().and_then(|x| x.file.as_deref()),
                "anchor": format!("r-{}", rep.id),
            })
        })
        .collect()
}

/// The cover: title, scope, date, and the number of events, reports and outlets.
fn cover(c: &Common<'_>, sel: &Selection, report_total: usize) -> serde_json::Value {
    let d = c.dossier;
    let mut outlets: Vec<Option<usize>> = sel.reports().map(|r| d.outlet_of[r]).collect();
    outlets.sort_unstable();
    outlets.dedup();
    let scope: Vec<_> = sel
        .scope
        .iter()
        .map(|(k, v)| json!({"label": c.strings.get(k).copied().unwrap_or(k), "value": v}))
        .collect();
    let lang = c.config.language;
    json!({
        "date_iso": sel.date.map(|x| x.format("%Y-%m-%d").to_string()),
        "date_text": sel.date.map(|x| lang.date(x)),
        "scope": scope,
        "events": sel.events.len(),
        "reports": report_total,
        "reports_text": c.count_reports(report_total),
        "outlets": outlets.len(),
    })
}

/// Points the links of `html` to reports of the briefing (`cite`: their address → anchor and
/// source number) at their place in it, each followed by its source number: paper shows the
/// number where the screen had a link.
fn cite_reports(html: &str, cite: &HashMap<String, (String, usize)>) -> String {
    const OPEN: &str = "<a href=\"";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        let (before, from) = rest.split_at(at + OPEN.len());
        out.push_str(before);
        let href_end = from.find('"').unwrap_or(from.len());
        let href = &from[..href_end];
        let target = href.split('#').next().unwrap_or(href);
        match (cite.get(target), from[href_end..].find("</a>")) {
            (Some((anchor, n)), Some(close)) => {
                let close = href_end + close + "</a>".len();
                out.push('#');
                out.push_str(anchor);
                out.push_str(&from[href_end..close]);
                out.push_str(&format!(" <a class=\"ref\" href=\"#src-{n}\">[{n}]</a>"));
                rest = &from[close..];
            }
            _ => rest = from,
        }
    }
    out.push_str(rest);
    out
}

/// `text` as a quoted CSS string, safe inside a `<style>` element (for the running header).
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", c as u32)),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The first two paragraphs of a report's markdown, for `--excerpts`.
fn excerpt(body: &str) -> &str {
    match body.trim_start().match_indices("\n\n").nth(1) {
        Some((i, _)) => &body.trim_start()[..i],
        None => body,
    }
}

/// Adds each cited report's source number (`n`) beside its URL in an event's agreement.
fn number_outlets(v: &mut serde_json::Value, by_url: &HashMap<String, usize>) {
    match v {
        serde_json::Value::Object(m) => {
            if let Some(n) = m
                .get("url")
                .and_then(|u| u.as_str())
                .and_then(|u| by_url.get(u))
            {
                let n = *n;
                m.insert("n".into(), json!(n));
            }
            for (_, x) in m.iter_mut() {
                number_outlets(x, by_url);
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(|x| number_outlets(x, by_url)),
        _ => {}
    }
}

/// A briefing of `sel` as one self-contained HTML file: the stylesheets are inlined and links
/// to the site's pages point at `base_url`, so the file opens and prints anywhere.
pub(crate) fn render_briefing(
    config: &Config,
    dossier: &Dossier,
    sel: &Selection,
    paper: Option<&str>,
    diags: &mut Diagnostics,
) -> Option<String> {
    let Theme {
        tera,
        template_paths,
        assets,
        highlight,
    } = Theme::load(config, diags)?;
    let c = Common::new(config, dossier, &assets, &highlight);
    let root = config.base_url.clone();
    let mut ctx = c.context("briefing/index.html", &root, "briefing");
    let problems = Mutex::new(Vec::new());
    let texts = Texts {
        common: &c,
        tera: &tera,
        root: &root,
        problems: &problems,
    };
    context(sel, &texts, &mut ctx);
    ctx.insert("paper", &paper);
    let mut style = assets
        .get("style.css")
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    style.push_str(&highlight);
    // `</style` inside the stylesheet would end the element early.
    ctx.insert("inline_style", &style.replace("</", "<\\/"));
    diags.extend(into_inner(problems));
    match tera.render("briefing.html", &ctx) {
        Ok(html) => Some(html),
        Err(e) => {
            diags.push(template_error(&template_paths, "briefing.html", &e));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_reports_of_a_briefing_become_anchors_and_source_numbers() {
        let cite = HashMap::from([("../reports/a/".to_string(), ("r-a".to_string(), 3))]);
        assert_eq!(
            cite_reports(
                r#"<p>See <a href="../reports/a/">this</a>, <a href="../reports/b/">that</a> and <a href="https://x.org/">x</a>.</p>"#,
                &cite
            ),
            r##"<p>See <a href="#r-a">this</a> <a class="ref" href="#src-3">[3]</a>, <a href="../reports/b/">that</a> and <a href="https://x.org/">x</a>.</p>"##
        );
    }

    #[test]
    fn css_strings_cannot_break_out_of_their_quotes_or_the_style_element() {
        // An escape ends at the one space after its hex digits; the text's own space follows.
        assert_eq!(
            css_string("Rusia & \"Korut\""),
            "\"Rusia \\26  \\22 Korut\\22 \""
        );
        assert_eq!(css_string("</style>"), "\"\\3c /style\\3e \"");
    }
}
