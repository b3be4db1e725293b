//! The site's user-facing language: every UI string and every date on the pages.
//!
//! Strings live here as data, one table per language; `site.toml`'s `[strings]`
//! overrides any of them, and templates see the merged table as `t`.

use std::collections::BTreeMap;

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveDateTime, Timelike};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    En,
    Id,
}

impl Language {
    pub(crate) const ALL: [Language; 2] = [Language::En, Language::Id];

    pub(crate) fn from_code(code: &str) -> Option<Language> {
        match code.to_ascii_lowercase().as_str() {
            "en" | "en-us" | "en-gb" | "english" => Some(Language::En),
            "id" | "id-id" | "indonesian" | "bahasa" => Some(Language::Id),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Id => "id",
        }
    }

    /// The name of the language written `code` (a report's `language:`), in this language;
    /// the code itself for a language dossier has no name for.
    pub(crate) fn name_of(self, code: &str) -> &str {
        match (self, Language::from_code(code)) {
            (Language::En, Some(Language::En)) => "English",
            (Language::En, Some(Language::Id)) => "Indonesian",
            (Language::Id, Some(Language::En)) => "Inggris",
            (Language::Id, Some(Language::Id)) => "Indonesia",
            (_, None) => code,
        }
    }

    fn table(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Language::En => EN,
            Language::Id => ID,
        }
    }

    /// The UI strings of this language, by key.
    pub(crate) fn strings(self) -> BTreeMap<&'static str, &'static str> {
        self.table().iter().copied().collect()
    }

    fn months(self) -> &'static [&'static str; 12] {
        match self {
            Language::En => &[
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ],
            Language::Id => &[
                "Januari",
                "Februari",
                "Maret",
                "April",
                "Mei",
                "Juni",
                "Juli",
                "Agustus",
                "September",
                "Oktober",
                "November",
                "Desember",
            ],
        }
    }

    fn weekdays(self) -> &'static [&'static str; 7] {
        // Monday first, as chrono numbers them.
        match self {
            Language::En => &[
                "Monday",
                "Tuesday",
                "Wednesday",
                "Thursday",
                "Friday",
                "Saturday",
                "Sunday",
            ],
            Language::Id => &[
                "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu",
            ],
        }
    }

    /// Every month's name in every language, in lower case, with its number (1–12): how
    /// analysis and import recognise months in text.
    pub(crate) fn all_month_names() -> impl Iterator<Item = (String, u32)> {
        Language::ALL.into_iter().flat_map(|l| {
            (l.months().iter())
                .zip(1..)
                .map(|(m, n)| (m.to_lowercase(), n))
        })
    }

    /// How pages also write months, beside the full names: abbreviations and old spellings.
    fn month_variants(self) -> &'static [(&'static str, u32)] {
        match self {
            Language::En => &[
                ("jan", 1),
                ("feb", 2),
                ("mar", 3),
                ("apr", 4),
                ("jun", 6),
                ("jul", 7),
                ("aug", 8),
                ("sept", 9),
                ("sep", 9),
                ("oct", 10),
                ("nov", 11),
                ("dec", 12),
            ],
            Language::Id => &[
                ("pebruari", 2),
                ("agu", 8),
                ("agt", 8),
                ("ags", 8),
                ("okt", 10),
                ("nopember", 11),
                ("des", 12),
            ],
        }
    }

    /// Every way a month is written in text, in every language (the names, abbreviations and
    /// old spellings), in lower case, each once, with its number: how import reads dates.
    pub(crate) fn all_month_spellings() -> Vec<(String, u32)> {
        let variants = Language::ALL
            .into_iter()
            .flat_map(|l| (l.month_variants().iter()).map(|(m, n)| ((*m).to_string(), *n)));
        let mut out: Vec<(String, u32)> = Vec::new();
        for (m, n) in Language::all_month_names().chain(variants) {
            if !out.iter().any(|(o, _)| *o == m) {
                out.push((m, n));
            }
        }
        out
    }

    /// Every weekday's name in every language, in lower case.
    pub(crate) fn all_weekday_names() -> impl Iterator<Item = String> {
        Language::ALL
            .into_iter()
            .flat_map(|l| l.weekdays().iter().map(|d| d.to_lowercase()))
    }

    /// Whether a word is a weekday's name in some language, as written ("Kamis", "Monday").
    pub(crate) fn is_weekday(word: &str) -> bool {
        Language::ALL
            .into_iter()
            .any(|l| l.weekdays().contains(&word))
    }

    pub(crate) fn month_name(self, month: u32) -> &'static str {
        self.months()[(month.clamp(1, 12) - 1) as usize]
    }

    /// "29 Maret 2024" / "29 March 2024".
    pub(crate) fn date(self, d: NaiveDate) -> String {
        format!("{} {} {}", d.day(), self.month_name(d.month()), d.year())
    }

    /// "Jumat, 29 Maret 2024".
    pub(crate) fn date_with_weekday(self, d: NaiveDate) -> String {
        let wd = self.weekdays()[d.weekday().num_days_from_monday() as usize];
        format!("{wd}, {}", self.date(d))
    }

    /// "06:30 WIB" in Indonesian for the three Indonesian zones, else "06:30 UTC+07:00".
    pub(crate) fn time(self, t: NaiveDateTime, offset: FixedOffset) -> String {
        let secs = offset.local_minus_utc();
        let zone = match (self, secs) {
            (Language::Id, 25200) => "WIB".to_string(),
            (Language::Id, 28800) => "WITA".to_string(),
            (Language::Id, 32400) => "WIT".to_string(),
            _ => {
                let sign = if secs < 0 { '-' } else { '+' };
                let a = secs.abs();
                format!("UTC{sign}{:02}:{:02}", a / 3600, (a % 3600) / 60)
            }
        };
        format!("{:02}:{:02} {zone}", t.hour(), t.minute())
    }

    /// "25–27 Maret 2024", "30 Maret – 2 April 2024", "30 Desember 2023 – 2 Januari 2024".
    pub(crate) fn date_range(self, start: NaiveDate, end: NaiveDate) -> String {
        if start >= end {
            return self.date(start);
        }
        if start.year() != end.year() {
            format!("{} – {}", self.date(start), self.date(end))
        } else if start.month() != end.month() {
            format!(
                "{} {} – {}",
                start.day(),
                self.month_name(start.month()),
                self.date(end)
            )
        } else {
            format!("{}–{}", start.day(), self.date(end))
        }
    }

    /// "1 report" / "3 reports" / "3 laporan".
    pub(crate) fn count(self, n: usize, one: &str, many: &str) -> String {
        let word = if n == 1 { one } else { many };
        format!("{n} {word}")
    }
}

/// English UI strings. Every language has the same keys (a unit test holds them together).
const EN: &[(&str, &str)] = &[
    ("skip_to_content", "Skip to content"),
    ("home", "Home"),
    ("timeline", "Timeline"),
    ("events", "Events"),
    ("event", "Event"),
    ("reports", "Reports"),
    ("report", "report"),
    ("reports_many", "reports"),
    ("outlets", "Outlets"),
    ("outlet", "Outlet"),
    ("outlet_unknown", "Unknown outlet"),
    ("wire", "Wire"),
    ("by", "By"),
    ("authors", "Authors"),
    ("editors", "Editors"),
    ("dateline", "Dateline"),
    ("caption", "Photo caption"),
    ("original", "Original article"),
    ("provenance", "Provenance"),
    ("imported_from", "Imported from"),
    ("sha256", "SHA-256 of the raw file"),
    ("date", "Date"),
    ("date_unknown", "date unknown"),
    ("dates", "Dates"),
    ("location", "Location"),
    ("language", "Language"),
    ("tags", "Tags"),
    (
        "title_generated",
        "Title written by the editor: the source page has none",
    ),
    ("analyst_note", "Analyst's note"),
    ("event_reports", "Reports of this event"),
    ("other_reports", "Other reports of the same event"),
    (
        "no_other_reports",
        "No other outlet's report of this event is in the dossier.",
    ),
    ("no_event", "This report is not part of any event."),
    ("event_page", "Event page"),
    ("previous_event", "Previous event"),
    ("next_event", "Next event"),
    ("latest_reports", "Latest reports"),
    ("unassigned_reports", "Reports without an event"),
    ("all_outlets", "All outlets"),
    ("not_found_title", "Page not found"),
    (
        "not_found_text",
        "There is no page at this address. It may have moved, or the link may be wrong.",
    ),
    ("back_home", "Back to the front page"),
    ("generated_by", "Built with dossier"),
    ("feed", "Atom feed"),
    ("main_nav", "Main"),
    ("breadcrumb", "Breadcrumb"),
    ("no_events", "No events yet."),
    ("no_reports", "No reports yet."),
    ("entities", "People & places"),
    ("entity", "Name"),
    (
        "entities_intro",
        "The people, organisations and places the reports name, most named first.",
    ),
    ("named_in", "Named in"),
    ("entity_events", "Events"),
    ("entity_reports", "Reports that name it"),
    ("related_events", "Related events"),
    ("shared_names", "shared"),
    ("agreement", "How the reports agree"),
    (
        "agreement_intro",
        "Statements found in several reports, and those only one report makes. Matched by wording: check the reports before relying on it.",
    ),
    ("corroborated", "Found in several reports"),
    ("independent_sources", "independent sources"),
    ("one_origin", "one origin"),
    ("not_corroborated", "not corroborated: the reports relay one text"),
    ("corroborated_badge", "Corroborated"),
    (
        "provenance_intro",
        "Reports that relay one wire story or copy one report count as one origin: a statement is corroborated only when two independent origins carry it.",
    ),
    ("story", "Story"),
    ("story_copies", "Other copies of this text"),
    ("story_pages", "Pages of this article"),
    ("origin", "Origin"),
    ("origin_own", "own reporting"),
    ("origin_wire", "wire story"),
    ("origin_wire_inferred", "wire story (credited by other copies)"),
    ("origin_copy", "copy of"),
    ("single_source", "Found in one report only"),
    ("compare", "The reports side by side"),
    ("compare_link", "Compare the reports side by side"),
    (
        "compare_caption",
        "Each row is a statement, each column a report, grouped by story; each cell is the report's own sentence.",
    ),
    (
        "compare_intro",
        "What each report says of each statement, in its own words, so you can see who relays what and who adds what. Columns under one story carry one text.",
    ),
    ("compare_hidden", "Reports not shown side by side"),
    ("statement", "Statement"),
    ("sources_page", "Sources named in the reports"),
    ("sources_link", "Every source the reports name"),
    (
        "sources_intro",
        "The primary sources and wires the statements rest on, as the reports name them (\u{201c}said SVR\u{201d}, \u{201c}according to KCNA\u{201d}) or relay them: each statement with the chain by which each report passed it on. Only what the text says: a statement whose reports name no source is not listed.",
    ),
    ("sources_none", "No report names a source for its statements."),
    ("sources_hidden", "more sources, each named less often, are not listed"),
    ("statements_in", "statements in"),
    ("events_many", "events"),
    ("attributed", "Source named in the text"),
    ("quotes", "Quotes side by side"),
    ("no_shared", "No statement appears in more than one report."),
    ("detected_event", "Grouped by dossier from the reports' text"),
    ("year", "Year"),
    ("search", "Search"),
    ("search_label", "Search the reports"),
    ("search_needs_js", "Search runs in your browser: it needs JavaScript."),
    ("more_older", "older, not listed"),
    ("more_in_report", "more in the report"),
    ("on_this_page", "On this page"),
    ("briefing", "Briefing"),
    ("contents", "Contents"),
    ("sources", "Sources"),
    ("briefing_scope", "Scope"),
    ("briefing_everything", "The whole dossier"),
    ("briefing_since", "From"),
    ("briefing_until", "Until"),
    ("briefing_as_of", "As of"),
    ("briefing_in_dossier", "In the dossier"),
    ("briefing_back", "Back to the report"),
    ("briefing_excerpt", "Excerpt: the full text is in the source."),
    ("briefing_print", "Print this briefing from the browser, or run"),
    ("chart_data", "The chart's data"),
    ("chart_timeline", "Events over time"),
    (
        "chart_timeline_desc",
        "Reports by {unit}, from {from} to {to}; each bar is divided into its largest events, then its other events together, then reports in no event in grey. Busiest {unit}: {busiest}, {count}.",
    ),
    ("unit_day", "day"),
    ("unit_week", "week"),
    ("unit_month", "month"),
    ("unit_year", "year"),
    ("chart_other", "other events"),
    ("chart_loose", "reports in no event"),
    ("chart_legend_event", "an event (a link to it)"),
    ("chart_period", "Period"),
    ("chart_largest", "Largest events"),
    ("chart_coverage", "Who covered which event"),
    (
        "chart_coverage_desc",
        "Rows are events, columns outlets; a square where the outlet reported the event, darker the sooner after the event's first report.",
    ),
    ("cov_first", "on the first day"),
    ("cov_soon", "within three days"),
    ("cov_later", "later"),
    (
        "chart_capped",
        "The {events} largest of {events_total} events and the {outlets} largest of {outlets_total} outlets.",
    ),
    ("chart_event_coverage", "When each outlet reported"),
    (
        "chart_event_coverage_desc",
        "One row per outlet, in the order they first reported: a dot at its first report (larger for more reports), a line to its last, and its number of reports.",
    ),
    ("chart_first", "First report"),
    ("chart_outlets_capped", "The first {shown} of {total} outlets."),
    ("chart_agreement", "Statements by report"),
    (
        "chart_agreement_desc",
        "{shared} statements several reports make, and {single} only one makes. Rows are statements, columns reports in time order; a square where the report makes the statement: dark for the first report of each independent source, pale where a report repeats a source already in the row (a copy of one story, or the same wire), so a row's dark squares count its independent sources; the last row: each report's statements found in it alone.",
    ),
    ("chart_statement", "Statement"),
    ("chart_single_row", "in this report only"),
    ("ag_origin", "an independent source"),
    ("ag_repeat", "the same source again (a copy, or the same wire)"),
    ("ag_repeat_short", "same source"),
    (
        "chart_agreement_capped",
        "The {statements} most widely carried of {statements_total} shared statements, in the first {reports} of {reports_total} reports.",
    ),
];

/// Indonesian UI strings.
const ID: &[(&str, &str)] = &[
    ("skip_to_content", "Langsung ke isi"),
    ("home", "Beranda"),
    ("timeline", "Linimasa"),
    ("events", "Peristiwa"),
    ("event", "Peristiwa"),
    ("reports", "Laporan"),
    ("report", "laporan"),
    ("reports_many", "laporan"),
    ("outlets", "Media"),
    ("outlet", "Media"),
    ("outlet_unknown", "Media tidak diketahui"),
    ("wire", "Kantor berita"),
    ("by", "Oleh"),
    ("authors", "Penulis"),
    ("editors", "Editor"),
    ("dateline", "Tempat berita"),
    ("caption", "Keterangan foto"),
    ("original", "Artikel asli"),
    ("provenance", "Asal-usul"),
    ("imported_from", "Diimpor dari"),
    ("sha256", "SHA-256 berkas mentah"),
    ("date", "Tanggal"),
    ("date_unknown", "tanggal tidak diketahui"),
    ("dates", "Tanggal"),
    ("location", "Lokasi"),
    ("language", "Bahasa"),
    ("tags", "Label"),
    ("title_generated", "Judul ditulis oleh editor: halaman sumber tidak memilikinya"),
    ("analyst_note", "Catatan analis"),
    ("event_reports", "Laporan tentang peristiwa ini"),
    ("other_reports", "Laporan lain tentang peristiwa yang sama"),
    ("no_other_reports", "Belum ada laporan media lain tentang peristiwa ini dalam dosier."),
    ("no_event", "Laporan ini tidak termasuk peristiwa mana pun."),
    ("event_page", "Halaman peristiwa"),
    ("previous_event", "Peristiwa sebelumnya"),
    ("next_event", "Peristiwa berikutnya"),
    ("latest_reports", "Laporan terbaru"),
    ("unassigned_reports", "Laporan tanpa peristiwa"),
    ("all_outlets", "Semua media"),
    ("not_found_title", "Halaman tidak ditemukan"),
    ("not_found_text", "Tidak ada halaman di alamat ini. Mungkin halaman telah dipindahkan, atau tautannya keliru."),
    ("back_home", "Kembali ke beranda"),
    ("generated_by", "Dibuat dengan dossier"),
    ("feed", "Umpan Atom"),
    ("main_nav", "Utama"),
    ("breadcrumb", "Jejak navigasi"),
    ("no_events", "Belum ada peristiwa."),
    ("no_reports", "Belum ada laporan."),
    ("entities", "Tokoh & tempat"),
    ("entity", "Nama"),
    (
        "entities_intro",
        "Tokoh, lembaga, dan tempat yang disebut dalam laporan, dari yang paling sering disebut.",
    ),
    ("named_in", "Disebut dalam"),
    ("entity_events", "Peristiwa"),
    ("entity_reports", "Laporan yang menyebutnya"),
    ("related_events", "Peristiwa terkait"),
    ("shared_names", "sama-sama menyebut"),
    ("agreement", "Kesesuaian antarlaporan"),
    (
        "agreement_intro",
        "Pernyataan yang muncul di beberapa laporan, dan yang hanya dimuat satu laporan. Dicocokkan menurut kata-katanya: periksa laporannya sebelum mengandalkannya.",
    ),
    ("corroborated", "Dimuat beberapa laporan"),
    ("independent_sources", "sumber independen"),
    ("one_origin", "satu sumber"),
    ("not_corroborated", "belum dikuatkan: laporan-laporan ini memuat satu naskah"),
    ("corroborated_badge", "Dikuatkan"),
    (
        "provenance_intro",
        "Laporan yang memuat satu berita kantor berita atau menyalin satu laporan dihitung sebagai satu sumber: pernyataan baru dikuatkan bila dimuat dua sumber independen.",
    ),
    ("story", "Naskah"),
    ("story_copies", "Salinan lain naskah ini"),
    ("story_pages", "Halaman artikel ini"),
    ("origin", "Asal"),
    ("origin_own", "liputan sendiri"),
    ("origin_wire", "berita kantor berita"),
    ("origin_wire_inferred", "berita kantor berita (disebut oleh salinan lain)"),
    ("origin_copy", "salinan dari"),
    ("single_source", "Hanya dimuat satu laporan"),
    ("compare", "Laporan berdampingan"),
    ("compare_link", "Bandingkan laporan berdampingan"),
    (
        "compare_caption",
        "Setiap baris satu pernyataan, setiap kolom satu laporan, dikelompokkan menurut naskah; setiap sel berisi kalimat laporan itu sendiri.",
    ),
    (
        "compare_intro",
        "Apa yang ditulis setiap laporan tentang setiap pernyataan, dengan kata-katanya sendiri, sehingga tampak siapa meneruskan apa dan siapa menambahkan apa. Kolom di bawah satu naskah memuat satu teks yang sama.",
    ),
    ("compare_hidden", "Laporan yang tidak ditampilkan berdampingan"),
    ("statement", "Pernyataan"),
    ("sources_page", "Sumber yang disebut laporan"),
    ("sources_link", "Semua sumber yang disebut laporan"),
    (
        "sources_intro",
        "Sumber utama dan kantor berita yang menjadi dasar pernyataan, sebagaimana disebut laporan (\u{201c}kata SVR\u{201d}, \u{201c}menurut KCNA\u{201d}) atau diteruskannya: setiap pernyataan dengan rantai penerusannya di setiap laporan. Hanya yang dikatakan teks: pernyataan yang laporannya tidak menyebut sumber tidak dicantumkan.",
    ),
    ("sources_none", "Tidak ada laporan yang menyebut sumber pernyataannya."),
    ("sources_hidden", "sumber lain, yang lebih jarang disebut, tidak dicantumkan"),
    ("statements_in", "pernyataan dalam"),
    ("events_many", "peristiwa"),
    ("attributed", "Sumber yang disebut dalam teks"),
    ("quotes", "Kutipan berdampingan"),
    ("no_shared", "Tidak ada pernyataan yang muncul di lebih dari satu laporan."),
    ("detected_event", "Dikelompokkan oleh dossier berdasarkan teks laporan"),
    ("year", "Tahun"),
    ("search", "Cari"),
    ("search_label", "Cari laporan"),
    ("search_needs_js", "Pencarian berjalan di peramban Anda: perlu JavaScript."),
    ("more_older", "lainnya yang lebih lama, tidak dicantumkan"),
    ("more_in_report", "lainnya di laporan itu"),
    ("on_this_page", "Di halaman ini"),
    ("briefing", "Taklimat"),
    ("contents", "Daftar isi"),
    ("sources", "Sumber"),
    ("briefing_scope", "Cakupan"),
    ("briefing_everything", "Seluruh dosir"),
    ("briefing_since", "Sejak"),
    ("briefing_until", "Hingga"),
    ("briefing_as_of", "Per"),
    ("briefing_in_dossier", "Di dosir"),
    ("briefing_back", "Kembali ke laporan"),
    ("briefing_excerpt", "Kutipan: teks lengkapnya ada di sumber."),
    ("briefing_print", "Cetak taklimat ini dari peramban, atau jalankan"),
    ("chart_data", "Data grafik"),
    ("chart_timeline", "Peristiwa dari waktu ke waktu"),
    (
        "chart_timeline_desc",
        "Laporan per {unit}, dari {from} sampai {to}; tiap batang dibagi menurut peristiwa terbesarnya, lalu peristiwa lainnya bersama, lalu laporan tanpa peristiwa dalam abu-abu. Tersibuk: {busiest}, {count}.",
    ),
    ("unit_day", "hari"),
    ("unit_week", "minggu"),
    ("unit_month", "bulan"),
    ("unit_year", "tahun"),
    ("chart_other", "peristiwa lain"),
    ("chart_loose", "laporan tanpa peristiwa"),
    ("chart_legend_event", "satu peristiwa (tautan ke peristiwa itu)"),
    ("chart_period", "Periode"),
    ("chart_largest", "Peristiwa terbesar"),
    ("chart_coverage", "Siapa meliput peristiwa apa"),
    (
        "chart_coverage_desc",
        "Baris adalah peristiwa, kolom adalah media; kotak berarti media itu memberitakan peristiwanya, makin gelap makin cepat setelah laporan pertama.",
    ),
    ("cov_first", "pada hari pertama"),
    ("cov_soon", "dalam tiga hari"),
    ("cov_later", "kemudian"),
    (
        "chart_capped",
        "{events} peristiwa terbesar dari {events_total}, dan {outlets} media terbesar dari {outlets_total}.",
    ),
    ("chart_event_coverage", "Kapan tiap media melaporkan"),
    (
        "chart_event_coverage_desc",
        "Satu baris per media, menurut urutan laporan pertamanya: titik pada laporan pertama (makin besar makin banyak laporan), garis sampai laporan terakhir, dan jumlah laporannya.",
    ),
    ("chart_first", "Laporan pertama"),
    ("chart_outlets_capped", "{shown} media pertama dari {total}."),
    ("chart_agreement", "Pernyataan per laporan"),
    (
        "chart_agreement_desc",
        "{shared} pernyataan dimuat beberapa laporan, dan {single} hanya dimuat satu. Baris adalah pernyataan, kolom adalah laporan menurut waktu; kotak berarti laporan itu memuat pernyataannya: gelap untuk laporan pertama dari tiap sumber independen, pucat bila laporan mengulang sumber yang sudah ada di baris itu (salinan satu naskah, atau kantor berita yang sama), sehingga kotak gelap sebaris menghitung sumber independennya; baris terakhir: pernyataan yang hanya dimuat tiap laporan.",
    ),
    ("chart_statement", "Pernyataan"),
    ("chart_single_row", "hanya di laporan ini"),
    ("ag_origin", "sumber independen"),
    ("ag_repeat", "sumber yang sama lagi (salinan, atau kantor berita yang sama)"),
    ("ag_repeat_short", "sumber sama"),
    (
        "chart_agreement_capped",
        "{statements} dari {statements_total} pernyataan bersama yang paling banyak dimuat, dalam {reports} dari {reports_total} laporan pertama.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_key() {
        let en: Vec<_> = Language::En.strings().into_keys().collect();
        for l in Language::ALL {
            let keys: Vec<_> = l.strings().into_keys().collect();
            assert_eq!(keys, en, "language {}", l.code());
            assert_eq!(l.table().len(), keys.len(), "duplicate key in {}", l.code());
        }
    }

    #[test]
    fn a_reports_language_is_named_in_the_sites() {
        let named: Vec<&str> = ["id", "EN", "ru"]
            .iter()
            .flat_map(|c| Language::ALL.map(|l| l.name_of(c)))
            .collect();
        assert_eq!(
            named,
            ["Indonesian", "Indonesia", "English", "Inggris", "ru", "ru"]
        );
    }

    #[test]
    fn dates_read_naturally() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let id = Language::Id;
        assert_eq!(id.date(d(2024, 3, 29)), "29 Maret 2024");
        assert_eq!(id.date_with_weekday(d(2024, 3, 29)), "Jumat, 29 Maret 2024");
        assert_eq!(Language::En.date(d(2024, 1, 17)), "17 January 2024");
        assert_eq!(
            id.date_range(d(2024, 3, 25), d(2024, 3, 27)),
            "25–27 Maret 2024"
        );
        assert_eq!(
            id.date_range(d(2024, 3, 30), d(2024, 4, 2)),
            "30 Maret – 2 April 2024"
        );
        assert_eq!(
            Language::En.date_range(d(2023, 12, 30), d(2024, 1, 2)),
            "30 December 2023 – 2 January 2024"
        );
        assert_eq!(
            id.date_range(d(2024, 3, 25), d(2024, 3, 25)),
            "25 Maret 2024"
        );
        let t = d(2024, 3, 29).and_hms_opt(6, 30, 0).unwrap();
        let wib = FixedOffset::east_opt(7 * 3600).unwrap();
        assert_eq!(id.time(t, wib), "06:30 WIB");
        assert_eq!(Language::En.time(t, wib), "06:30 UTC+07:00");
    }
}
