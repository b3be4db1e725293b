//! Dates as news pages write them, in Indonesian and English: "Jumat, 29 Maret 2024 / 06:30 WIB",
//! "June 19, 2024 9:35 AM GMT+8", "Kamis (28/3)", "2024-03-28".
//!
//! Month and weekday names are the only part written here: chrono has no Indonesian names.
//! Calendar arithmetic (valid days, weekdays) is chrono's.

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveTime, Weekday};
use regex::Regex;

/// One date found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    /// Byte range of the match in the text.
    pub(crate) span: (usize, usize),
    pub(crate) date: NaiveDate,
    /// Whether the year was written (otherwise it was inferred from the weekday).
    pub(crate) year_written: bool,
}

/// What places a date written without its year: the earliest year it may be in (the latest
/// year the text or the address names), and the first day of the latest month the text names
/// ("October 2023": a "January 14" after it is in 2024).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Years {
    pub(crate) min: i32,
    pub(crate) floor: Option<NaiveDate>,
}

impl Years {
    pub(crate) fn from(min: i32) -> Years {
        Years { min, floor: None }
    }
}

/// A publication date, with a time and zone when the page states them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub(crate) date: NaiveDate,
    pub(crate) time: Option<(NaiveTime, FixedOffset)>,
}

impl Stamp {
    /// As the front matter writes it: `2024-03-29` or `2024-03-29T06:30:00+07:00`.
    pub(crate) fn to_front_matter(self) -> String {
        match self.time {
            None => self.date.format("%Y-%m-%d").to_string(),
            Some((t, z)) => format!(
                "{}T{}{}",
                self.date.format("%Y-%m-%d"),
                t.format("%H:%M:%S"),
                z
            ),
        }
    }
}

const WEEKDAYS: &[(&str, Weekday)] = &[
    ("senin", Weekday::Mon),
    ("selasa", Weekday::Tue),
    ("rabu", Weekday::Wed),
    ("kamis", Weekday::Thu),
    ("jumat", Weekday::Fri),
    ("jum'at", Weekday::Fri),
    ("sabtu", Weekday::Sat),
    ("minggu", Weekday::Sun),
    ("ahad", Weekday::Sun),
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
    ("mon", Weekday::Mon),
    ("tue", Weekday::Tue),
    ("wed", Weekday::Wed),
    ("thu", Weekday::Thu),
    ("fri", Weekday::Fri),
    ("sat", Weekday::Sat),
    ("sun", Weekday::Sun),
];

fn weekday(name: &str) -> Option<Weekday> {
    let n = name.to_lowercase().replace('’', "'");
    WEEKDAYS.iter().find(|(w, _)| *w == n).map(|(_, v)| *v)
}

fn alternation(names: &[&str]) -> String {
    let mut v: Vec<&str> = names.to_vec();
    // Longest first, so that "Maret" is not read as "Mar".
    v.sort_by_key(|s| std::cmp::Reverse(s.len()));
    v.join("|")
}

/// The compiled date patterns; built once per import.
pub(crate) struct DatePatterns {
    /// Every way a month is written, lower case (`i18n`'s names, abbreviations, old spellings).
    months: Vec<(String, u32)>,
    day_month_year: Regex,
    month_day_year: Regex,
    weekday_numeric: Regex,
    weekday_day_month: Regex,
    iso: Regex,
    numeric: Regex,
    time: Regex,
    year: Regex,
    month_year: Regex,
    month_day: Regex,
    day_month: Regex,
    labels: Regex,
}

impl DatePatterns {
    /// The number of a month as written in text ("Maret", "Agt.", "sept").
    pub(crate) fn month(&self, name: &str) -> Option<u32> {
        let n = name.trim_end_matches('.').to_lowercase();
        self.months.iter().find(|(m, _)| *m == n).map(|(_, v)| *v)
    }

    pub(crate) fn new() -> DatePatterns {
        let month_names = crate::i18n::Language::all_month_spellings();
        let months = alternation(
            &month_names
                .iter()
                .map(|(m, _)| m.as_str())
                .collect::<Vec<_>>(),
        );
        let weekdays = alternation(&WEEKDAYS.iter().map(|(w, _)| *w).collect::<Vec<_>>());
        let re = |s: String| Regex::new(&s).expect("built-in date pattern");
        DatePatterns {
            months: month_names,
            day_month_year: re(format!(
                r"(?i)\b(\d{{1,2}})\s+({months})\.?,?\s+(\d{{4}})\b"
            )),
            month_day_year: re(format!(
                r"(?i)\b({months})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})"
            )),
            weekday_numeric: re(format!(
                r"(?i)\b({weekdays})\s*\(\s*(\d{{1,2}})/(\d{{1,2}})(?:/(\d{{2,4}}))?\s*\)"
            )),
            weekday_day_month: re(format!(
                r"(?i)\b({weekdays}),?\s+(\d{{1,2}})\s+({months})\b(?:\.?,?\s+(\d{{4}}))?"
            )),
            iso: re(r"\b(\d{4})-(\d{2})-(\d{2})\b".to_string()),
            numeric: re(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b".to_string()),
            time: re(r"(?i)\b(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?\s*((?:gmt|utc)\s*[+-]\s*\d{1,2}(?::?\d{2})?|wib|wita|wit|gmt|utc|kst|msk|[+-]\d{2}:?\d{2})?".to_string()),
            year: re(r"\b(19[5-9]\d|20\d\d)\b".to_string()),
            month_year: re(format!(r"(?i)\b({months})\.?,?\s+(19[5-9]\d|20\d\d)\b")),
            month_day: re(format!(
                r"(?i)\b(?:({weekdays}),?\s+)?({months})\.?\s+(\d{{1,2}})\b(?:st|nd|rd|th)?"
            )),
            day_month: re(format!(
                r"(?i)\b(?:({weekdays}),?\s+)?(\d{{1,2}})\s+({months})\b"
            )),
            labels: re(format!(
                r"(?i)\b({weekdays}|diterbitkan|dipublikasikan|publikasi|published|posted|updated|diperbarui|pembaruan|terakhir|last|first|on|at|pada|pukul|jam|hari|ini|wib|wita|wit|gmt|utc|am|pm|kst|msk)\b"
            )),
        }
    }

    /// Every date written in `text`. Dates without a year get one from their weekday, between
    /// `min_year` and `today` (see [`infer_year`]); those that cannot be placed are left out.
    pub(crate) fn find(&self, text: &str, years: Years, today: NaiveDate) -> Vec<Found> {
        let mut found: Vec<Found> = Vec::new();
        let mut push = |span: (usize, usize), date: Option<NaiveDate>, year_written: bool| {
            if let Some(date) = date {
                if !found.iter().any(|f| f.span.0 < span.1 && span.0 < f.span.1) {
                    found.push(Found {
                        span,
                        date,
                        year_written,
                    });
                }
            }
        };
        let num = |s: Option<regex::Match<'_>>| s.and_then(|m| m.as_str().parse::<i32>().ok());
        for c in self.weekday_day_month.captures_iter(text) {
            let m = c.get(0).map(|m| (m.start(), m.end())).unwrap_or((0, 0));
            let (Some(d), Some(mo)) =
                (num(c.get(2)), c.get(3).and_then(|m| self.month(m.as_str())))
            else {
                continue;
            };
            let wd = c.get(1).and_then(|w| weekday(w.as_str()));
            match num(c.get(4)) {
                Some(y) => push(m, ymd(y, mo, d as u32), true),
                None => push(
                    m,
                    infer_year(d as u32, mo, wd, years, today).and_then(|y| ymd(y, mo, d as u32)),
                    false,
                ),
            }
        }
        for c in self.weekday_numeric.captures_iter(text) {
            let m = c.get(0).map(|m| (m.start(), m.end())).unwrap_or((0, 0));
            let (Some(d), Some(mo)) = (num(c.get(2)), num(c.get(3))) else {
                continue;
            };
            let wd = c.get(1).and_then(|w| weekday(w.as_str()));
            match num(c.get(4)) {
                Some(y) => {
                    let y = if y < 100 { 2000 + y } else { y };
                    push(m, ymd(y, mo as u32, d as u32), true)
                }
                None => push(
                    m,
                    infer_year(d as u32, mo as u32, wd, years, today)
                        .and_then(|y| ymd(y, mo as u32, d as u32)),
                    false,
                ),
            }
        }
        for c in self.day_month_year.captures_iter(text) {
            let m = c.get(0).map(|m| (m.start(), m.end())).unwrap_or((0, 0));
            if let (Some(d), Some(mo), Some(y)) = (
                num(c.get(1)),
                c.get(2).and_then(|m| self.month(m.as_str())),
                num(c.get(3)),
            ) {
                push(m, ymd(y, mo, d as u32), true);
            }
        }
        for c in self.month_day_year.captures_iter(text) {
            let m = c.get(0).map(|m| (m.start(), m.end())).unwrap_or((0, 0));
            if let (Some(mo), Some(d), Some(y)) = (
                c.get(1).and_then(|m| self.month(m.as_str())),
                num(c.get(2)),
                num(c.get(3)),
            ) {
                push(m, ymd(y, mo, d as u32), true);
            }
        }
        for c in self.iso.captures_iter(text) {
            let m = c.get(0).map(|m| (m.start(), m.end())).unwrap_or((0, 0));
            if let (Some(y), Some(mo), Some(d)) = (num(c.get(1)), num(c.get(2)), num(c.get(3))) {
                push(m, ymd(y, mo as u32, d as u32), true);
            }
        }
        for c in self.numeric.captures_iter(text) {
            let m = c.get(0).map(|m| (m.start(), m.end())).unwrap_or((0, 0));
            if let (Some(a), Some(b), Some(y)) = (num(c.get(1)), num(c.get(2)), num(c.get(3))) {
                // Day first, as Indonesian and most non-US pages write it; month first before
                // a 12-hour time, as US pages write it ("11/12/2024 5:11:05 AM" is 12 November).
                let twelve_hour = (self.time.captures(text[m.1..].trim_start())).is_some_and(|t| {
                    t.get(0).is_some_and(|t| t.start() == 0) && t.get(4).is_some()
                });
                let (d, mo) = if twelve_hour { (b, a) } else { (a, b) };
                push(m, ymd(y, mo as u32, d as u32), true);
            }
        }
        found.sort_by_key(|f| f.span);
        found
    }

    /// Days written without a year and without a weekday ("on November 6", "9 November"), not
    /// part of a date [`DatePatterns::find`] reads, placed in `year`: the year the text names.
    pub(crate) fn find_without_year(&self, text: &str, year: i32, found: &[Found]) -> Vec<Found> {
        let mut out = Vec::new();
        let free = |a: usize, b: usize| !found.iter().any(|f| f.span.0 < b && a < f.span.1);
        for (re, day_first) in [(&self.month_day, false), (&self.day_month, true)] {
            for c in re.captures_iter(text) {
                let Some(whole) = c.get(0) else { continue };
                if !free(whole.start(), whole.end()) || c.get(1).is_some() {
                    continue;
                }
                let (month, day) = if day_first {
                    (c.get(3), c.get(2))
                } else {
                    (c.get(2), c.get(3))
                };
                let (Some(mo), Some(d)) = (
                    month.and_then(|m| self.month(m.as_str())),
                    day.and_then(|d| d.as_str().parse::<u32>().ok()),
                ) else {
                    continue;
                };
                if let Some(date) = ymd(year, mo, d) {
                    out.push(Found {
                        span: (whole.start(), whole.end()),
                        date,
                        year_written: false,
                    });
                }
            }
        }
        out
    }

    /// The first day of the latest month `text` names with its year ("Oktober 2023",
    /// "13 September 2023", "2023-10-05"), if any.
    pub(crate) fn latest_month(&self, text: &str) -> Option<NaiveDate> {
        let named = self.month_year.captures_iter(text).filter_map(|c| {
            let m = self.month(c.get(1)?.as_str())?;
            let y: i32 = c.get(2)?.as_str().parse().ok()?;
            ymd(y, m, 1)
        });
        let far = NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or(NaiveDate::MAX);
        let full = self
            .find(text, Years::from(1950), far)
            .into_iter()
            .filter(|f| f.year_written)
            .filter_map(|f| ymd(f.date.year(), f.date.month(), 1));
        named.chain(full).max()
    }

    /// A short page stamp whose date has no year ("Russia January 14, 11:30",
    /// "Rabu, 19 Juni | 06:23"): a day and month, a time, and at most two other words.
    pub(crate) fn stamp_without_year(
        &self,
        line: &str,
        years: Years,
        today: NaiveDate,
        assume_zone: Option<FixedOffset>,
    ) -> Option<Stamp> {
        if line.len() > 60 {
            return None;
        }
        let (c, dm) = match self.month_day.captures(line) {
            Some(c) => (c, false),
            None => (self.day_month.captures(line)?, true),
        };
        let whole = c.get(0)?;
        let wd = c.get(1).and_then(|w| weekday(w.as_str()));
        let (mo, d) = if dm {
            (
                self.month(c.get(3)?.as_str())?,
                c.get(2)?.as_str().parse::<u32>().ok()?,
            )
        } else {
            (
                self.month(c.get(2)?.as_str())?,
                c.get(3)?.as_str().parse::<u32>().ok()?,
            )
        };
        let mut rest = String::with_capacity(line.len());
        rest.push_str(&line[..whole.start()]);
        rest.push(' ');
        rest.push_str(&line[whole.end()..]);
        let t = self.time.captures(&rest)?;
        let time = parse_time(&t, assume_zone);
        let span = t.get(0).map(|m| m.range()).unwrap_or(0..0);
        rest.replace_range(span, " ");
        let rest = self.labels.replace_all(&rest, " ");
        let leftover = rest
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .count();
        if leftover > 2 {
            return None;
        }
        let y = infer_year(d, mo, wd, years, today)?;
        Some(Stamp {
            date: ymd(y, mo, d)?,
            time,
        })
    }

    /// A day and month written without a year, as a dateline writes them ("June 19",
    /// "19 Juni"), placed by the weekday the text names near it, or by `years`.
    pub(crate) fn day_and_month(
        &self,
        month_name: &str,
        day: u32,
        weekday_text: &str,
        years: Years,
        today: NaiveDate,
    ) -> Option<NaiveDate> {
        let mo = self.month(month_name)?;
        let wd = weekday_text
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .find_map(|w| (w.len() > 3).then(|| weekday(w)).flatten());
        let y = infer_year(day, mo, wd, years, today)?;
        ymd(y, mo, day)
    }

    /// `line` with its dates and times replaced by `|`: what else a stamp line says
    /// ("Susi Susanti , Jurnalis-| |").
    pub(crate) fn without_dates(&self, line: &str) -> String {
        let far = NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or(NaiveDate::MAX);
        let mut spans: Vec<(usize, usize)> = self
            .find(line, Years::from(1950), far)
            .iter()
            .map(|f| f.span)
            .collect();
        for re in [&self.time, &self.month_day, &self.day_month] {
            spans.extend(re.find_iter(line).map(|m| (m.start(), m.end())));
        }
        spans.sort_unstable();
        let mut out = String::with_capacity(line.len());
        let mut at = 0;
        for (start, end) in spans {
            if start < at {
                at = at.max(end);
                continue;
            }
            out.push_str(&line[at..start]);
            out.push('|');
            at = end;
        }
        out.push_str(&line[at.min(line.len())..]);
        out
    }

    /// The latest year named in `text` (1950-2099), if any.
    pub(crate) fn latest_year(&self, text: &str) -> Option<i32> {
        self.year
            .captures_iter(text)
            .filter_map(|c| c.get(1)?.as_str().parse().ok())
            .max()
    }

    /// Reads `line` as a page's date line ("Rabu, 17 Januari 2024 21:02 WIB",
    /// "Published June 19, 2024 9:35 AM GMT+8"): a date, perhaps a time and zone, and nothing
    /// else but labels and punctuation. `assume_zone` is used for a time written without one.
    pub(crate) fn date_line(
        &self,
        line: &str,
        years: Years,
        today: NaiveDate,
        assume_zone: Option<FixedOffset>,
    ) -> Option<Stamp> {
        if line.len() > 120 {
            return None;
        }
        let found = self.find(line, years, today);
        let first = found.first()?;
        let mut rest = String::with_capacity(line.len());
        rest.push_str(&line[..first.span.0]);
        rest.push(' ');
        rest.push_str(&line[first.span.1..]);
        let mut time = None;
        if let Some(c) = self.time.captures(&rest) {
            let whole = c.get(0).map(|m| m.range()).unwrap_or(0..0);
            time = parse_time(&c, assume_zone);
            rest.replace_range(whole, " ");
        }
        let rest = self.labels.replace_all(&rest, " ");
        let leftover = rest
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .count();
        (leftover == 0).then_some(Stamp {
            date: first.date,
            time,
        })
    }

    /// A header line that holds the page's date among other things ("Susi Susanti ,
    /// Jurnalis-Rabu, 19 Juni 2024 |06:23 WIB"): a date with its year, and a time.
    pub(crate) fn dated_header(
        &self,
        line: &str,
        years: Years,
        today: NaiveDate,
        assume_zone: Option<FixedOffset>,
    ) -> Option<Stamp> {
        let found = self.find(line, years, today);
        let first = found.iter().find(|f| f.year_written)?;
        let after = &line[first.span.1..];
        let c = self.time.captures(after)?;
        let time = parse_time(&c, assume_zone);
        Some(Stamp {
            date: first.date,
            time,
        })
    }
}

fn parse_time(
    c: &regex::Captures<'_>,
    assume_zone: Option<FixedOffset>,
) -> Option<(NaiveTime, FixedOffset)> {
    let mut h: u32 = c.get(1)?.as_str().parse().ok()?;
    let m: u32 = c.get(2)?.as_str().parse().ok()?;
    let s: u32 = c.get(3).and_then(|s| s.as_str().parse().ok()).unwrap_or(0);
    if let Some(ampm) = c.get(4) {
        let pm = ampm.as_str().to_lowercase().starts_with('p');
        if h == 12 {
            h = 0;
        }
        if pm {
            h += 12;
        }
    }
    let t = NaiveTime::from_hms_opt(h, m, s)?;
    let zone = match c.get(5) {
        Some(z) => zone(z.as_str())?,
        None => assume_zone?,
    };
    Some((t, zone))
}

/// A zone as pages write it: WIB/WITA/WIT (Indonesia), GMT+7, UTC, KST, MSK, +07:00.
pub(crate) fn zone(z: &str) -> Option<FixedOffset> {
    let z = z.to_lowercase().replace(' ', "");
    let hours = |h: i32| FixedOffset::east_opt(h * 3600);
    match z.as_str() {
        "wib" => hours(7),
        "wita" => hours(8),
        "wit" => hours(9),
        "gmt" | "utc" => hours(0),
        "kst" => hours(9),
        "msk" => hours(3),
        _ => {
            let signed = z
                .strip_prefix("gmt")
                .or_else(|| z.strip_prefix("utc"))
                .unwrap_or(&z);
            let (sign, digits) = match signed.split_at_checked(1)? {
                ("+", d) => (1, d),
                ("-", d) => (-1, d),
                _ => return None,
            };
            let digits = digits.replace(':', "");
            let (h, m) = match digits.len() {
                1 | 2 => (digits.parse::<i32>().ok()?, 0),
                4 => (digits[..2].parse().ok()?, digits[2..].parse::<i32>().ok()?),
                _ => return None,
            };
            FixedOffset::east_opt(sign * (h * 3600 + m * 60))
        }
    }
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// The year of a day and month written without one ("Kamis (28/3)"): the earliest year from
/// `years.min` (the latest year the text names) to `today` in which that day falls on the
/// weekday written. Without a weekday: `years.min`, or, when the text names a later month
/// than that day's in that year ("October 2023" for "January 14"), the year after. A
/// `years.min` after `today`'s year means the text names no year: then the latest such year up
/// to today, at most seven years back.
pub(crate) fn infer_year(
    day: u32,
    month: u32,
    weekday: Option<Weekday>,
    years: Years,
    today: NaiveDate,
) -> Option<i32> {
    let min_year = years.min;
    if min_year > today.year() {
        let w = weekday?;
        return (today.year() - 7..=today.year())
            .rev()
            .find(|&y| ymd(y, month, day).is_some_and(|d| d.weekday() == w && d <= today));
    }
    match weekday {
        None => {
            let mut y = min_year;
            if let Some(f) = years.floor.filter(|f| f.year() >= min_year) {
                y = f.year();
                if ymd(y, month, day).is_some_and(|d| d < f) {
                    y += 1;
                }
            }
            ymd(y, month, day).filter(|d| *d <= today).map(|d| d.year())
        }
        Some(w) => (min_year..=today.year())
            .find(|&y| ymd(y, month, day).is_some_and(|d| d.weekday() == w && d <= today)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn check_line(line: &str, expected: Option<&str>) {
        let p = DatePatterns::new();
        let wib = FixedOffset::east_opt(7 * 3600);
        let got = p
            .date_line(line, Years::from(2020), today(), wib)
            .map(|s| s.to_front_matter());
        assert_eq!(got.as_deref(), expected, "date line {line:?}");
    }

    #[test]
    fn date_lines() {
        check_line(
            "Jumat, 29 Maret 2024 / 06:30 WIB",
            Some("2024-03-29T06:30:00+07:00"),
        );
        check_line(
            "Rabu, 17 Januari 2024 21:02 WIB",
            Some("2024-01-17T21:02:00+07:00"),
        );
        check_line(
            "June 19, 2024 9:35 AM GMT+8",
            Some("2024-06-19T09:35:00+08:00"),
        );
        check_line(
            "Updated 3:14 PM GMT+7, June 19, 2024",
            Some("2024-06-19T15:14:00+07:00"),
        );
        check_line(
            "Published: Thu 28 Mar 2024 06.30 GMT",
            Some("2024-03-28T06:30:00+00:00"),
        );
        check_line(
            "Kamis, 28 Mar 2024 10:15 WITA",
            Some("2024-03-28T10:15:00+08:00"),
        );
        check_line("Senin, 16/01/2024 20:00", Some("2024-01-16T20:00:00+07:00"));
        check_line("2024-06-19", Some("2024-06-19"));
        check_line("19 June 2024", Some("2024-06-19"));
        // Prose that contains a date is not a date line.
        check_line("Putin tiba di Pyongyang pada 19 Juni 2024 dini hari.", None);
        check_line("Kim Jong Un", None);
    }

    fn check_find(text: &str, expected: &[&str]) {
        let p = DatePatterns::new();
        let min = p.latest_year(text).unwrap_or(2020);
        let got: Vec<String> = p
            .find(text, Years::from(min), today())
            .iter()
            .map(|f| f.date.to_string())
            .collect();
        assert_eq!(got, expected, "dates in {text:?}");
    }

    #[test]
    fn dates_in_text() {
        // 28 March is a Thursday in 2024: the one such year from 2022 (named) to today.
        check_find(
            "sejak invasi pada tahun 2022, kata dinas itu, Kamis (28/3).",
            &["2024-03-28"],
        );
        check_find("pada Kamis (28/3/2024) mengatakan", &["2024-03-28"]);
        check_find("12/11/2024 09:42 WIB", &["2024-11-12"]);
        check_find("11/12/2024 5:11:05 AM", &["2024-11-12"]);
        check_find(
            "dilaporkan AFP, Kamis, 28 Maret 2024. Pada Senin, 25 Maret 2024, Kim",
            &["2024-03-28", "2024-03-25"],
        );
        check_find("on Wednesday, June 19, 2024, in Pyongyang", &["2024-06-19"]);
        check_find("pada 25-27 Maret", &[]);
        // A weekday that matches no year in range gives nothing rather than a wrong year.
        check_find("pada 2024, Senin (28/3)", &[]);
    }

    #[test]
    fn years_left_out() {
        let p = DatePatterns::new();
        // No weekday: the month the text names last places it ("October 2023" → 2024).
        let text = "Lavrov visited Pyongyang in October 2023.";
        let years = Years {
            min: p.latest_year(text).unwrap_or(2027),
            floor: p.latest_month(text),
        };
        let s = p.stamp_without_year("Russia January 14, 11:30", years, today(), None);
        assert_eq!(s.map(|s| s.date.to_string()).as_deref(), Some("2024-01-14"));
        assert_eq!(
            p.stamp_without_year(
                "Putin tiba di Pyongyang pada 19 Juni dini hari bersama rombongan besar",
                years,
                today(),
                None
            ),
            None
        );
        // A weekday near a dateline's day places it: 19 June was a Wednesday in 2024.
        let d = p.day_and_month(
            "June",
            19,
            "summit talks in Pyongyang on Wednesday",
            Years::from(2027),
            today(),
        );
        assert_eq!(d.map(|d| d.to_string()).as_deref(), Some("2024-06-19"));
    }

    #[test]
    fn zones() {
        assert_eq!(zone("WIB"), FixedOffset::east_opt(7 * 3600));
        assert_eq!(zone("GMT+8"), FixedOffset::east_opt(8 * 3600));
        assert_eq!(zone("+05:30"), FixedOffset::east_opt(5 * 3600 + 1800));
        assert_eq!(zone("UTC-4"), FixedOffset::east_opt(-4 * 3600));
        assert_eq!(zone("XYZ"), None);
    }
}
