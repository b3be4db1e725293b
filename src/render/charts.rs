//! Pictures of the dossier, made at build time as inline SVG: the timeline (events over
//! time), the coverage matrix (outlets × events), an event's coverage (when each outlet
//! reported) and its agreement picture (statements × reports).
//!
//! Each chart is data first: a [`Chart`] is a list of plain [`Mark`]s (rectangles, circles,
//! lines, text) built from the model, written out as SVG by [`Chart::svg`], a small writer
//! that escapes every text. A [`Figure`] carries the SVG with the same data as a table, which
//! the `charts.html` macro shows beside the picture (in a `<details>`), for screen readers
//! and for anyone who wants the numbers. Colours are CSS classes on the marks (`static/style.css`,
//! `.chart …`): the page's variables make them follow dark mode and print, and no chart has
//! a colour of its own. Charts aggregate: the timeline has a bar per day, week, month or
//! year, not a mark per report, and the matrices are capped, so a chart stays small at any size
//! of dossier.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use super::common::Common;
use super::markdown::escape_html;
use super::pages::{event_url, outlet_url, report_url};
use crate::analyze::corroborate::Agreement;
use crate::load::content::Dated;

/// The shape of one mark, in the chart's own units (its `viewBox`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shape {
    Rect {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
    },
    Circle {
        cx: f64,
        cy: f64,
        r: f64,
    },
    Line {
        x1: f64,
        y1: f64,
        x2: f64,
        y2: f64,
    },
    /// Text, anchored at its start, middle or end; `rotate` turns it 45° up (column heads).
    Text {
        x: f64,
        y: f64,
        text: String,
        anchor: &'static str,
        rotate: bool,
    },
}

/// One mark: a shape, its CSS class (its colour), a tooltip and a link.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mark {
    pub(crate) shape: Shape,
    pub(crate) class: &'static str,
    pub(crate) tip: Option<String>,
    pub(crate) href: Option<String>,
}

impl Mark {
    fn new(shape: Shape, class: &'static str) -> Mark {
        Mark {
            shape,
            class,
            tip: None,
            href: None,
        }
    }
    fn tip(mut self, tip: String) -> Mark {
        self.tip = Some(tip);
        self
    }
    fn link(mut self, href: Option<String>) -> Mark {
        self.href = href;
        self
    }
}

fn text(x: f64, y: f64, t: impl Into<String>, anchor: &'static str, class: &'static str) -> Mark {
    Mark::new(
        Shape::Text {
            x,
            y,
            text: t.into(),
            anchor,
            rotate: false,
        },
        class,
    )
}

/// A chart: its size, what it shows (title and description, for screen readers) and marks.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Chart {
    /// Unique in its page: the title's and description's ids start with it.
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) desc: String,
    pub(crate) width: f64,
    pub(crate) height: f64,
    pub(crate) marks: Vec<Mark>,
}

/// A number as SVG writes it: at most one decimal, no trailing `.0`.
fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// Text escaped for XML content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

impl Chart {
    /// The chart as one `<svg>` element named by its `<title>` and `<desc>`: `role="img"`, or
    /// `role="group"` when its marks are links (an image holds no controls: axe's
    /// nested-interactive). Links are for the mouse (`tabindex="-1"`): the table beside the
    /// chart has the same links for the keyboard, which would otherwise tab through every mark.
    pub(crate) fn svg(&self) -> String {
        let mut s = String::with_capacity(256 + self.marks.len() * 96);
        let id = esc(&self.id);
        let role = if self.marks.iter().any(|m| m.href.is_some()) {
            "group"
        } else {
            "img"
        };
        let _ = write!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="{role}" aria-labelledby="{id}-t {id}-d"><title id="{id}-t">{t}</title><desc id="{id}-d">{d}</desc>"#,
            w = num(self.width),
            h = num(self.height),
            t = esc(&self.title),
            d = esc(&self.desc),
        );
        for m in &self.marks {
            if let Some(href) = &m.href {
                let _ = write!(s, r#"<a href="{}" tabindex="-1">"#, esc(href));
            }
            write_mark(&mut s, m);
            if m.href.is_some() {
                s.push_str("</a>");
            }
        }
        s.push_str("</svg>");
        s
    }
}

fn write_mark(s: &mut String, m: &Mark) {
    let tip = m
        .tip
        .as_deref()
        .map(|t| format!("<title>{}</title>", esc(t)));
    let (open, close) = match &tip {
        Some(t) => (format!(">{t}"), true),
        None => (String::new(), false),
    };
    let end = |s: &mut String, tag: &str| {
        if close {
            let _ = write!(s, "{open}</{tag}>");
        } else {
            s.push_str("/>");
        }
    };
    match &m.shape {
        Shape::Rect { x, y, w, h } => {
            let _ = write!(
                s,
                r#"<rect class="{}" x="{}" y="{}" width="{}" height="{}""#,
                m.class,
                num(*x),
                num(*y),
                num(*w),
                num(*h)
            );
            end(s, "rect");
        }
        Shape::Circle { cx, cy, r } => {
            let _ = write!(
                s,
                r#"<circle class="{}" cx="{}" cy="{}" r="{}""#,
                m.class,
                num(*cx),
                num(*cy),
                num(*r)
            );
            end(s, "circle");
        }
        Shape::Line { x1, y1, x2, y2 } => {
            let _ = write!(
                s,
                r#"<line class="{}" x1="{}" y1="{}" x2="{}" y2="{}""#,
                m.class,
                num(*x1),
                num(*y1),
                num(*x2),
                num(*y2)
            );
            end(s, "line");
        }
        Shape::Text {
            x,
            y,
            text,
            anchor,
            rotate,
        } => {
            let turn = if *rotate {
                format!(r#" transform="rotate(-45 {} {})""#, num(*x), num(*y))
            } else {
                String::new()
            };
            let _ = write!(
                s,
                r#"<text class="{}" x="{}" y="{}" text-anchor="{anchor}"{turn}>{}{}</text>"#,
                m.class,
                num(*x),
                num(*y),
                tip.as_deref().unwrap_or(""),
                esc(text)
            );
        }
    }
}

/// A cell of a chart's table: text, and a link (relative to the site root) if it has one.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cell {
    pub(crate) text: String,
    pub(crate) url: Option<String>,
}

fn cell(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        url: None,
    }
}

fn linked(text: impl Into<String>, url: String) -> Cell {
    Cell {
        text: text.into(),
        url: Some(url),
    }
}

/// One entry of a legend: a colour (its class) and what it means.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct Key {
    pub(crate) class: String,
    pub(crate) label: String,
}

fn key(class: &str, label: &str) -> Key {
    Key {
        class: class.to_string(),
        label: label.to_string(),
    }
}

/// What a page shows of a chart: the SVG, and the same data as a table. Templates get the
/// table as its HTML (`table`), written here: a figure's rows were a tenth of the build's
/// template work at 10,000 reports, for a table no template needs to shape.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Figure {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) svg: String,
    /// Said under the picture: what was left out, when the chart is capped.
    pub(crate) note: Option<String>,
    /// The legend: each colour's class and what it means.
    pub(crate) legend: Vec<Key>,
    pub(crate) head: Vec<String>,
    pub(crate) rows: Vec<Vec<Cell>>,
}

impl Serialize for Figure {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shown<'a> {
            id: &'a str,
            title: &'a str,
            svg: &'a str,
            note: &'a Option<String>,
            legend: &'a [Key],
            table: String,
        }
        Shown {
            id: &self.id,
            title: &self.title,
            svg: &self.svg,
            note: &self.note,
            legend: &self.legend,
            table: self.table(),
        }
        .serialize(serializer)
    }
}

impl Figure {
    /// The data as an HTML table: a column head per `head`, each row's first cell its head.
    fn table(&self) -> String {
        let mut out = String::from("<table>\n<thead><tr>");
        for h in &self.head {
            let _ = write!(out, r#"<th scope="col">{}</th>"#, escape_html(h));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in &self.rows {
            out.push_str("<tr>");
            for (k, c) in row.iter().enumerate() {
                out.push_str(if k == 0 {
                    r#"<th scope="row">"#
                } else {
                    "<td>"
                });
                let text = escape_html(&c.text);
                match &c.url {
                    Some(u) => {
                        let _ = write!(out, r#"<a href="{}">{text}</a>"#, escape_html(u));
                    }
                    None => out.push_str(&text),
                }
                out.push_str(if k == 0 { "</th>" } else { "</td>" });
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>");
        out
    }

    fn of(chart: &Chart) -> Figure {
        Figure {
            id: chart.id.clone(),
            title: chart.title.clone(),
            svg: chart.svg(),
            note: None,
            legend: Vec::new(),
            head: Vec::new(),
            rows: Vec::new(),
        }
    }
}

/// A UI string with `{name}` placeholders filled in.
fn fill(template: &str, args: &[(&str, String)]) -> String {
    args.iter().fold(template.to_string(), |s, (k, v)| {
        s.replace(&format!("{{{k}}}"), v)
    })
}

/// At most `n` characters of `s`, with `…` when cut.
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.truncate(t.trim_end().len());
        t.push('…');
        t
    }
}

// ---------------------------------------------------------------------------------------
// The timeline

/// How long a bar of the timeline is: the shortest that keeps the bars few.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Day,
    Week,
    Month,
    Year,
}

impl Unit {
    /// The unit for a span of days: at most about 60 bars.
    pub(crate) fn for_span(days: i64) -> Unit {
        match days {
            d if d < 60 => Unit::Day,
            d if d < 7 * 60 => Unit::Week,
            d if d < 366 * 6 => Unit::Month,
            _ => Unit::Year,
        }
    }

    /// The first day of the bar `d` falls in.
    pub(crate) fn start(self, d: NaiveDate) -> NaiveDate {
        match self {
            Unit::Day => d,
            Unit::Week => d - Duration::days(i64::from(d.weekday().num_days_from_monday())),
            Unit::Month => d.with_day(1).unwrap_or(d),
            Unit::Year => NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap_or(d),
        }
    }

    fn next(self, d: NaiveDate) -> NaiveDate {
        match self {
            Unit::Day => d + Duration::days(1),
            Unit::Week => d + Duration::days(7),
            Unit::Month => d
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(NaiveDate::MAX),
            Unit::Year => d
                .checked_add_months(chrono::Months::new(12))
                .unwrap_or(NaiveDate::MAX),
        }
    }

    fn key(self) -> &'static str {
        match self {
            Unit::Day => "unit_day",
            Unit::Week => "unit_week",
            Unit::Month => "unit_month",
            Unit::Year => "unit_year",
        }
    }
}

/// One bar of the timeline: its first day, its largest events (index, reports), the reports
/// of its other events together and the reports in no event.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Bucket {
    pub(crate) start: Option<NaiveDate>,
    pub(crate) events: Vec<(usize, usize)>,
    pub(crate) others: usize,
    pub(crate) loose: usize,
    pub(crate) event_count: usize,
}

impl Bucket {
    fn total(&self) -> usize {
        self.events.iter().map(|e| e.1).sum::<usize>() + self.others + self.loose
    }
}

/// The timeline's bars: events (index, number of reports) by their first day, and reports in
/// no event by their day; every bar from the first to the last, empty ones too. Each bar keeps
/// its `per_bar` largest events apart (the chart links them), the rest summed.
pub(crate) fn buckets(
    events: &[(usize, NaiveDate, usize)],
    loose: &[NaiveDate],
    max_marks: usize,
) -> (Unit, Vec<Bucket>) {
    let days = events.iter().map(|e| e.1).chain(loose.iter().copied());
    let (Some(first), Some(last)) = (days.clone().min(), days.max()) else {
        return (Unit::Day, Vec::new());
    };
    let unit = Unit::for_span((last - first).num_days());
    let mut by_start: BTreeMap<NaiveDate, (Vec<(usize, usize)>, usize)> = BTreeMap::new();
    let mut d = unit.start(first);
    while d <= last {
        by_start.insert(d, (Vec::new(), 0));
        d = unit.next(d);
    }
    for &(e, day, n) in events {
        by_start.entry(unit.start(day)).or_default().0.push((e, n));
    }
    for &day in loose {
        by_start.entry(unit.start(day)).or_default().1 += 1;
    }
    let per_bar = (max_marks / by_start.len().max(1)).clamp(1, 6);
    let out = by_start
        .into_iter()
        .map(|(start, (mut evs, loose))| {
            // The largest first; equal ones in time order (their index).
            evs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let event_count = evs.len();
            let others: usize = evs.iter().skip(per_bar).map(|e| e.1).sum();
            evs.truncate(per_bar);
            Bucket {
                start: Some(start),
                events: evs,
                others,
                loose,
                event_count,
            }
        })
        .collect();
    (unit, out)
}

/// A bar's label: "3 Mar", "Mar 2024", "2024".
fn bar_label(c: &Common<'_>, unit: Unit, d: NaiveDate) -> String {
    let month: String = c
        .config
        .language
        .month_name(d.month())
        .chars()
        .take(3)
        .collect();
    match unit {
        Unit::Day | Unit::Week => format!("{} {month}", d.day()),
        Unit::Month => format!("{month} {}", d.year()),
        Unit::Year => d.year().to_string(),
    }
}

/// A bar's period in words, for the table and tooltips.
fn period_text(c: &Common<'_>, unit: Unit, d: NaiveDate) -> String {
    let lang = c.config.language;
    match unit {
        Unit::Day => lang.date(d),
        Unit::Week => lang.date_range(d, d + Duration::days(6)),
        Unit::Month => format!("{} {}", lang.month_name(d.month()), d.year()),
        Unit::Year => d.year().to_string(),
    }
}

/// The most linked marks a timeline draws (its size stays a few tens of kilobytes).
const TIMELINE_MARKS: usize = 240;
const TL_W: f64 = 720.0;
const TL_H: f64 = 220.0;
const TL_LEFT: f64 = 40.0;
const TL_TOP: f64 = 14.0;
const TL_BOTTOM: f64 = 30.0;

/// The timeline of `events` (index, reports shown) and `loose` reports (in no event), with
/// links relative to `root`.
pub(crate) fn timeline(
    c: &Common<'_>,
    id: &str,
    events: &[(usize, usize)],
    loose: &[usize],
    root: &str,
) -> Option<Figure> {
    let d = c.dossier;
    let dated: Vec<(usize, NaiveDate, usize)> = events
        .iter()
        .filter(|&&(e, _)| d.events[e].dated)
        .map(|&(e, n)| (e, d.events[e].start, n))
        .collect();
    let loose_days: Vec<NaiveDate> = loose
        .iter()
        .filter_map(|&r| d.reports[r].date.day())
        .collect();
    let (unit, bars) = buckets(&dated, &loose_days, TIMELINE_MARKS);
    let busiest = bars
        .iter()
        .max_by(|a, b| a.total().cmp(&b.total()).then(b.start.cmp(&a.start)))?;
    let max = round_up(busiest.total().max(1));
    let s = &c.strings;
    let unit_word = s.get(unit.key()).copied().unwrap_or("");
    let (first, last) = (bars[0].start?, bars[bars.len() - 1].start?);
    let desc = fill(
        s["chart_timeline_desc"],
        &[
            ("unit", unit_word.to_string()),
            ("from", period_text(c, unit, first)),
            ("to", period_text(c, unit, last)),
            (
                "busiest",
                busiest
                    .start
                    .map(|b| period_text(c, unit, b))
                    .unwrap_or_default(),
            ),
            ("count", c.count_reports(busiest.total())),
        ],
    );
    let mut chart = Chart {
        id: id.to_string(),
        title: s["chart_timeline"].to_string(),
        desc,
        width: TL_W,
        height: TL_H,
        marks: Vec::new(),
    };
    axes(&mut chart, max);
    let plot_w = TL_W - TL_LEFT - 8.0;
    let col = plot_w / bars.len() as f64;
    let plot_h = TL_H - TL_TOP - TL_BOTTOM;
    let scale = plot_h / max as f64;
    // A label at least 70 units from the next.
    let every = ((70.0 / col).ceil() as usize).max(1);
    let mut rows = Vec::new();
    for (k, b) in bars.iter().enumerate() {
        let Some(start) = b.start else { continue };
        let x = TL_LEFT + k as f64 * col + col * 0.1;
        let w = (col * 0.8).max(1.0);
        let mut y = TL_H - TL_BOTTOM;
        let period = period_text(c, unit, start);
        for (n, &(e, count)) in b.events.iter().enumerate() {
            let h = count as f64 * scale;
            y -= h;
            let ev = &d.events[e];
            let class = if n % 2 == 0 { "bar" } else { "bar alt" };
            chart.marks.push(
                Mark::new(Shape::Rect { x, y, w, h }, class)
                    .tip(format!(
                        "{} · {} · {}",
                        ev.title,
                        period,
                        c.count_reports(count)
                    ))
                    .link(Some(format!("{root}{}", event_url(&ev.id)))),
            );
        }
        // The bar's other events in a pale shade of the events' colour, so that a year of
        // many small events reads as events; reports in no event grey above them.
        for (n, class, key) in [
            (b.others, "others", "chart_other"),
            (b.loose, "rest", "chart_loose"),
        ] {
            if n > 0 {
                let h = n as f64 * scale;
                y -= h;
                chart.marks.push(
                    Mark::new(Shape::Rect { x, y, w, h }, class)
                        .tip(format!("{period} · {} {}", n, s[key])),
                );
            }
        }
        if k % every == 0 {
            let label = bar_label(c, unit, start);
            chart
                .marks
                .push(text(x, TL_H - TL_BOTTOM + 16.0, label, "start", "label"));
        }
        if b.total() > 0 {
            rows.push(timeline_row(c, b, period, root));
        }
    }
    let mut fig = Figure::of(&chart);
    fig.legend = vec![key("bar", s["chart_legend_event"])];
    if bars.iter().any(|b| b.others > 0) {
        fig.legend.push(key("others", s["chart_other"]));
    }
    if bars.iter().any(|b| b.loose > 0) {
        fig.legend.push(key("rest", s["chart_loose"]));
    }
    fig.head = [
        s["chart_period"],
        s["reports"],
        s["events"],
        s["chart_largest"],
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    fig.rows = rows;
    Some(fig)
}

/// The axis's top for a largest bar of `n`: `n` rounded up in its first digit (685 → 700,
/// 26 → 30) and even below ten, so both lines (the top and its half) read as whole numbers.
pub(crate) fn round_up(n: usize) -> usize {
    if n <= 1 {
        return 1;
    }
    if n < 10 {
        return n + n % 2;
    }
    let mut m = 1;
    while m * 10 <= n {
        m *= 10;
    }
    n.div_ceil(m) * m
}

/// The y axis: the baseline, and lines at the maximum and half of it, labelled.
fn axes(chart: &mut Chart, max: usize) {
    let base = TL_H - TL_BOTTOM;
    let right = TL_W - 8.0;
    let plot_h = base - TL_TOP;
    let half = max / 2;
    for v in [half, max] {
        if v == 0 {
            continue;
        }
        let y = base - v as f64 * plot_h / max as f64;
        chart.marks.push(Mark::new(
            Shape::Line {
                x1: TL_LEFT,
                y1: y,
                x2: right,
                y2: y,
            },
            "grid",
        ));
        chart
            .marks
            .push(text(TL_LEFT - 4.0, y + 4.0, v.to_string(), "end", "label"));
    }
    chart.marks.push(Mark::new(
        Shape::Line {
            x1: TL_LEFT,
            y1: base,
            x2: right,
            y2: base,
        },
        "axis",
    ));
}

fn timeline_row(c: &Common<'_>, b: &Bucket, period: String, root: &str) -> Vec<Cell> {
    let largest: Vec<String> = b
        .events
        .iter()
        .map(|&(e, _)| c.dossier.events[e].title.clone())
        .collect();
    let first = b
        .events
        .first()
        .map(|&(e, _)| format!("{root}{}", event_url(&c.dossier.events[e].id)));
    let largest = largest.join("; ");
    vec![
        cell(period),
        cell(b.total().to_string()),
        cell(b.event_count.to_string()),
        match first {
            Some(url) if b.events.len() == 1 => linked(largest, url),
            _ => cell(largest),
        },
    ]
}

// ---------------------------------------------------------------------------------------
// The coverage matrix (outlets page)

/// How many events (rows) and outlets (columns) the coverage matrix shows at most.
const MATRIX_EVENTS: usize = 24;
const MATRIX_OUTLETS: usize = 16;
const CELL: f64 = 20.0;
const ROW_LABEL: f64 = 320.0;
const HEAD: f64 = 110.0;

/// How soon an outlet reported an event, from the event's first report: its class and key.
fn earliness(days: Option<i64>) -> (&'static str, &'static str) {
    match days {
        Some(0) => ("early", "cov_first"),
        Some(1..=2) => ("soon", "cov_soon"),
        Some(_) => ("late", "cov_later"),
        None => ("undated", "date_unknown"),
    }
}

/// The first day of `reports` that has a date.
fn first_day_of(c: &Common<'_>, reports: &[usize]) -> Option<NaiveDate> {
    reports
        .iter()
        .filter_map(|&r| c.dossier.reports[r].date.day())
        .min()
}

/// The `keep` items of `0..n` with the most reports (`size`), ties to the first, in their
/// own order.
fn largest(n: usize, size: impl Fn(usize) -> usize, keep: usize) -> Vec<usize> {
    let mut items: Vec<usize> = (0..n).collect();
    items.sort_by(|&a, &b| size(b).cmp(&size(a)).then(a.cmp(&b)));
    items.truncate(keep);
    items.sort_unstable();
    items
}

/// Outlets × events: which outlet reported which event, and how early.
pub(crate) fn coverage_matrix(c: &Common<'_>, root: &str) -> Option<Figure> {
    let d = c.dossier;
    if d.events.is_empty() || d.outlets.is_empty() {
        return None;
    }
    // The largest events, shown in time order; the outlets with most reports, by name.
    let evs = largest(d.events.len(), |e| d.events[e].reports.len(), MATRIX_EVENTS);
    let outs = largest(
        d.outlets.len(),
        |o| d.outlets[o].reports.len(),
        MATRIX_OUTLETS,
    );
    let s = &c.strings;
    let mut chart = Chart {
        id: "coverage".into(),
        title: s["chart_coverage"].into(),
        desc: s["chart_coverage_desc"].into(),
        width: 0.0,
        height: HEAD + evs.len() as f64 * CELL + 8.0,
        marks: Vec::new(),
    };
    let heads = outs
        .iter()
        .map(|&o| {
            let href = format!("{root}{}", outlet_url(&d.outlets[o].slug));
            (clip(&d.outlets[o].name, 18), None, href)
        })
        .collect();
    let reach = column_heads(&mut chart, ROW_LABEL, heads);
    chart.width = ROW_LABEL + outs.len() as f64 * CELL + reach.max(CELL) + 8.0;
    let mut rows = Vec::new();
    for (row, &e) in evs.iter().enumerate() {
        let ev = &d.events[e];
        let y = HEAD + row as f64 * CELL;
        let url = format!("{root}{}", event_url(&ev.id));
        chart.marks.push(
            text(
                ROW_LABEL - 6.0,
                y + CELL * 0.7,
                fit(&ev.title, ROW_LABEL - 10.0),
                "end",
                "label",
            )
            .link(Some(url.clone())),
        );
        // A faint line along the row, so the eye can follow it to the outlets far right.
        chart.marks.push(Mark::new(
            Shape::Line {
                x1: ROW_LABEL,
                y1: y + CELL / 2.0,
                x2: ROW_LABEL + outs.len() as f64 * CELL,
                y2: y + CELL / 2.0,
            },
            "grid",
        ));
        let first = first_day_of(c, &ev.reports);
        let mut line = vec![linked(ev.title.clone(), url)];
        for (k, &o) in outs.iter().enumerate() {
            let mine: Vec<usize> = ev
                .reports
                .iter()
                .copied()
                .filter(|&r| d.outlet_of[r] == Some(o))
                .collect();
            if mine.is_empty() {
                line.push(cell("–"));
                continue;
            }
            let lag = first
                .zip(first_day_of(c, &mine))
                .map(|(a, b)| (b - a).num_days());
            let (class, key) = earliness(lag);
            let x = ROW_LABEL + k as f64 * CELL;
            let what = format!(
                "{} · {} · {}",
                d.outlets[o].name,
                c.count_reports(mine.len()),
                s[key]
            );
            chart.marks.push(
                Mark::new(
                    Shape::Rect {
                        x: x + 2.0,
                        y: y + 2.0,
                        w: CELL - 4.0,
                        h: CELL - 4.0,
                    },
                    class,
                )
                .tip(format!("{} · {what}", clip(&ev.title, 60))),
            );
            line.push(cell(format!("{} ({})", mine.len(), s[key])));
        }
        rows.push(line);
    }
    let mut fig = Figure::of(&chart);
    fig.legend = [Some(0), Some(1), Some(3)]
        .into_iter()
        .map(earliness)
        .map(|(class, k)| key(class, s[k]))
        .collect();
    fig.head = std::iter::once(s["event"].to_string())
        .chain(outs.iter().map(|&o| d.outlets[o].name.clone()))
        .collect();
    fig.rows = rows;
    if evs.len() < d.events.len() || outs.len() < d.outlets.len() {
        fig.note = Some(fill(
            s["chart_capped"],
            &[
                ("events", evs.len().to_string()),
                ("events_total", d.events.len().to_string()),
                ("outlets", outs.len().to_string()),
                ("outlets_total", d.outlets.len().to_string()),
            ],
        ));
    }
    Some(fig)
}

// ---------------------------------------------------------------------------------------
// An event's coverage: when each outlet reported

/// The most outlets an event's coverage shows.
const EVENT_OUTLETS: usize = 20;

/// A report's moment in hours, for placing it on an event's time axis (a bare day at midnight
/// UTC); `None` for a report of unknown date.
fn hours(date: &Dated) -> Option<f64> {
    match date {
        Dated::At(t) => Some(t.timestamp() as f64 / 3600.0),
        Dated::Day(d) => d
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc().timestamp() as f64 / 3600.0),
        Dated::Unknown => None,
    }
}

/// Event `i`'s outlets, each a row from its first report (a dot sized by its number of
/// reports, linked to that report) to its last, on the event's time axis.
pub(crate) fn event_coverage(c: &Common<'_>, i: usize, id: &str, root: &str) -> Option<Figure> {
    let d = c.dossier;
    let e = &d.events[i];
    // Per outlet name, in the order of their first report: (first, last, count, first report).
    let mut rows: Vec<(String, f64, f64, usize, usize)> = Vec::new();
    for &r in &e.reports {
        let Some(h) = hours(&d.reports[r].date) else {
            continue;
        };
        let name = d.reports[r]
            .outlet
            .as_deref()
            .unwrap_or(c.strings["outlet_unknown"]);
        match rows.iter_mut().find(|x| x.0 == name) {
            Some(x) => {
                x.1 = x.1.min(h);
                x.2 = x.2.max(h);
                x.3 += 1;
            }
            None => rows.push((name.to_string(), h, h, 1, r)),
        }
    }
    if rows.len() < 2 {
        return None;
    }
    rows.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let shown_total = rows.len();
    rows.truncate(EVENT_OUTLETS);
    let t0 = rows.iter().map(|x| x.1).fold(f64::INFINITY, f64::min);
    let t1 = rows
        .iter()
        .map(|x| x.2)
        .fold(f64::NEG_INFINITY, f64::max)
        .max(t0 + 1.0);
    let max_n = rows.iter().map(|x| x.3).max().unwrap_or(1) as f64;
    let s = &c.strings;
    let (left, right, top, row_h) = (190.0, 60.0, 26.0, 24.0);
    let width = 640.0;
    let mut chart = Chart {
        id: id.to_string(),
        title: s["chart_event_coverage"].into(),
        desc: s["chart_event_coverage_desc"].into(),
        width,
        height: top + rows.len() as f64 * row_h + 8.0,
        marks: Vec::new(),
    };
    let x_of = |h: f64| left + (h - t0) / (t1 - t0) * (width - left - right);
    let first_day = e
        .reports
        .iter()
        .filter_map(|&r| d.reports[r].date.day())
        .min();
    let last_day = e
        .reports
        .iter()
        .filter_map(|&r| d.reports[r].date.day())
        .max();
    let lang = c.config.language;
    if let (Some(a), Some(b)) = (first_day, last_day) {
        chart
            .marks
            .push(text(left, 14.0, lang.date(a), "start", "label"));
        if b > a {
            chart
                .marks
                .push(text(width - right, 14.0, lang.date(b), "end", "label"));
        }
    }
    let mut table = Vec::new();
    for (k, (name, a, b, n, r)) in rows.iter().enumerate() {
        let y = top + k as f64 * row_h + row_h / 2.0;
        chart.marks.push(text(
            left - 14.0,
            y + 4.0,
            fit(name, left - 18.0),
            "end",
            "label",
        ));
        chart.marks.push(Mark::new(
            Shape::Line {
                x1: left,
                y1: y,
                x2: width - right,
                y2: y,
            },
            "grid",
        ));
        if b > a {
            chart.marks.push(Mark::new(
                Shape::Line {
                    x1: x_of(*a),
                    y1: y,
                    x2: x_of(*b),
                    y2: y,
                },
                "span",
            ));
        }
        let rad = 3.0 + 6.0 * (*n as f64 / max_n).sqrt();
        let rep = &d.reports[*r];
        let url = format!("{root}{}", report_url(&rep.id));
        chart.marks.push(
            Mark::new(
                Shape::Circle {
                    cx: x_of(*a),
                    cy: y,
                    r: rad,
                },
                "dot",
            )
            .tip(format!("{name} · {} · {}", c.count_reports(*n), rep.title))
            .link(Some(url.clone())),
        );
        // Clear of the largest dot (radius 9) at the axis's end.
        chart.marks.push(text(
            width - right + 14.0,
            y + 4.0,
            n.to_string(),
            "start",
            "label",
        ));
        let when = rep.date.day().map(|x| lang.date(x)).unwrap_or_default();
        table.push(vec![
            cell(name.clone()),
            linked(when, url),
            cell(n.to_string()),
        ]);
    }
    let mut fig = Figure::of(&chart);
    fig.head = vec![
        s["outlet"].into(),
        s["chart_first"].into(),
        s["reports"].into(),
    ];
    fig.rows = table;
    if shown_total > rows.len() {
        fig.note = Some(fill(
            s["chart_outlets_capped"],
            &[
                ("shown", rows.len().to_string()),
                ("total", shown_total.to_string()),
            ],
        ));
    }
    Some(fig)
}

// ---------------------------------------------------------------------------------------
// The agreement picture: statements × reports

/// How a report carries a statement, which is the cell's colour: the independent sources of a
/// statement are the dark cells of its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Carried {
    /// The row's first report from its origin (its own reporting, a wire, a story).
    Origin,
    /// A later report of an origin already in the row: a copy of the story, the same wire.
    Repeat,
    /// In this report only.
    Single,
}

impl Carried {
    fn class(self) -> &'static str {
        match self {
            Carried::Origin => "origin",
            Carried::Repeat => "repeat",
            Carried::Single => "single",
        }
    }
}

/// The most statements (rows) and reports (columns) the agreement picture shows.
const AG_STATEMENTS: usize = 14;
const AG_REPORTS: usize = 16;
const AG_LABEL: f64 = 330.0;

/// About how wide a character of a chart's 12px label is, and how far right a 45° column head
/// reaches per character: for clipping labels to the room they have.
const CHAR_W: f64 = 7.5;
const SLANT_W: f64 = 5.0;

/// A label clipped to fit `room` units.
fn fit(s: &str, room: f64) -> String {
    clip(s, (room / CHAR_W) as usize)
}

/// Column heads turned 45° up at `left + k × CELL`, linked; how far right of the last column
/// the longest of them reaches.
fn column_heads(chart: &mut Chart, left: f64, heads: Vec<(String, Option<String>, String)>) -> f64 {
    let n = heads.len();
    let mut reach: f64 = 0.0;
    for (k, (label, tip, href)) in heads.into_iter().enumerate() {
        let x = left + k as f64 * CELL + CELL / 2.0;
        let after = (n - 1 - k) as f64 * CELL + CELL / 2.0;
        reach = reach.max(label.chars().count() as f64 * SLANT_W - after);
        let mut mark = Mark::new(
            Shape::Text {
                x,
                y: HEAD - 6.0,
                text: label,
                anchor: "start",
                rotate: true,
            },
            "label",
        )
        .link(Some(href));
        if let Some(t) = tip {
            mark = mark.tip(t);
        }
        chart.marks.push(mark);
    }
    reach
}

/// Event `i`'s agreement as a grid: a row per statement several reports make (the most
/// widely carried first), a column per report (in time order), a cell where the report makes
/// the statement, dark for the row's first report of each independent origin and pale for a
/// repeat of one; the last row counts each report's single-source statements.
pub(crate) fn agreement(
    c: &Common<'_>,
    i: usize,
    ag: &Agreement,
    id: &str,
    root: &str,
) -> Option<Figure> {
    let d = c.dossier;
    let e = &d.events[i];
    if e.reports.len() < 2 {
        return None;
    }
    let cols = e.reports.len().min(AG_REPORTS);
    let stmts = &ag.shared[..ag.shared.len().min(AG_STATEMENTS)];
    let s = &c.strings;
    let mut chart = Chart {
        id: id.to_string(),
        title: s["chart_agreement"].into(),
        desc: fill(
            s["chart_agreement_desc"],
            &[
                ("shared", ag.shared.len().to_string()),
                ("single", ag.single.len().to_string()),
            ],
        ),
        width: 0.0,
        height: HEAD + (stmts.len() + 1) as f64 * CELL + 12.0,
        marks: Vec::new(),
    };
    let outlet = |k: usize| {
        d.reports[e.reports[k]]
            .outlet
            .as_deref()
            .unwrap_or(s["outlet_unknown"])
    };
    let heads = (0..cols)
        .map(|k| {
            let rep = &d.reports[e.reports[k]];
            let href = format!("{root}{}", report_url(&rep.id));
            (clip(outlet(k), 18), Some(rep.title.clone()), href)
        })
        .collect();
    let reach = column_heads(&mut chart, AG_LABEL, heads);
    chart.width = AG_LABEL + cols as f64 * CELL + reach.max(CELL) + 8.0;
    let mut rows = Vec::new();
    for (n, st) in stmts.iter().enumerate() {
        let y = HEAD + n as f64 * CELL;
        chart.marks.push(
            text(
                AG_LABEL - 6.0,
                y + CELL * 0.7,
                fit(st.text(), AG_LABEL - 10.0),
                "end",
                "label",
            )
            .tip(st.text().to_string()),
        );
        let mut line = vec![cell(st.text().to_string())];
        let mut seen = Vec::new();
        for k in 0..cols {
            let x = AG_LABEL + k as f64 * CELL;
            let class = if st.reports.contains(&k) {
                let key = d.stories.origin_key(e.reports[k]);
                let carried = if seen.contains(&key) {
                    Carried::Repeat
                } else {
                    seen.push(key);
                    Carried::Origin
                };
                line.push(cell(match carried {
                    Carried::Repeat => format!("✓ ({})", s["ag_repeat_short"]),
                    _ => "✓".to_string(),
                }));
                carried.class()
            } else {
                line.push(cell(""));
                "none"
            };
            chart.marks.push(Mark::new(
                Shape::Rect {
                    x: x + 2.0,
                    y: y + 2.0,
                    w: CELL - 4.0,
                    h: CELL - 4.0,
                },
                class,
            ));
        }
        rows.push(line);
    }
    rows.push(single_row(c, &mut chart, ag, cols, stmts.len(), &outlet));
    let mut fig = Figure::of(&chart);
    fig.legend = [Carried::Origin, Carried::Repeat, Carried::Single]
        .into_iter()
        .map(|k| key(k.class(), s[k.key()]))
        .collect();
    fig.head = std::iter::once(s["chart_statement"].to_string())
        .chain((0..cols).map(|k| outlet(k).to_string()))
        .collect();
    fig.rows = rows;
    if stmts.len() < ag.shared.len() || cols < e.reports.len() {
        fig.note = Some(fill(
            s["chart_agreement_capped"],
            &[
                ("statements", stmts.len().to_string()),
                ("statements_total", ag.shared.len().to_string()),
                ("reports", cols.to_string()),
                ("reports_total", e.reports.len().to_string()),
            ],
        ));
    }
    Some(fig)
}

impl Carried {
    /// The UI string that names the kind (legend and table).
    fn key(self) -> &'static str {
        match self {
            Carried::Origin => "ag_origin",
            Carried::Repeat => "ag_repeat",
            Carried::Single => "single_source",
        }
    }
}

/// The agreement picture's last row, under `rows` statements: a circle per report sized by its
/// single-source statements; its line of the table.
fn single_row<'a>(
    c: &Common<'_>,
    chart: &mut Chart,
    ag: &Agreement,
    cols: usize,
    rows: usize,
    outlet: &dyn Fn(usize) -> &'a str,
) -> Vec<Cell> {
    let label = c.strings["chart_single_row"];
    let mut single = vec![0usize; cols];
    for st in &ag.single {
        if let Some(n) = st.reports.first().and_then(|&k| single.get_mut(k)) {
            *n += 1;
        }
    }
    let y = HEAD + rows as f64 * CELL + 6.0;
    chart
        .marks
        .push(text(AG_LABEL - 6.0, y + CELL * 0.7, label, "end", "label"));
    let max = single.iter().copied().max().unwrap_or(0).max(1) as f64;
    let mut line = vec![cell(label)];
    for (k, &n) in single.iter().enumerate() {
        line.push(cell(n.to_string()));
        if n == 0 {
            continue;
        }
        let cx = AG_LABEL + k as f64 * CELL + CELL / 2.0;
        let r = 2.0 + 6.0 * (n as f64 / max).sqrt();
        chart.marks.push(
            Mark::new(
                Shape::Circle {
                    cx,
                    cy: y + CELL / 2.0,
                    r,
                },
                Carried::Single.class(),
            )
            .tip(format!("{} · {n} {label}", outlet(k))),
        );
    }
    line
}

#[cfg(test)]
mod tests;
