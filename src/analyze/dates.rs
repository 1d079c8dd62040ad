//! Dates: reading date strings, and finding a published date where the input
//! states none: in the URL path (`/2024/03/05/`), in the file name
//! (`2024-03-05-…`), or in a dateline at the top of the text
//! ("CARACAS, March 5, 2024 —", "Caracas, 5 de marzo de 2024.").
//!
//! Which source wins is decided by the caller (`Analyzer`); this module only
//! reads each one and names it with a [`DateOrigin`].

use std::path::Path;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Where a published date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrigin {
    /// A date field of the input (front matter, JSON).
    Metadata,
    /// An HTML meta tag, `itemprop="datePublished"` or `<time datetime>`.
    HtmlMeta,
    /// `datePublished` in a page's JSON-LD.
    JsonLd,
    /// The text of a page element that holds the date (`class="date"`…).
    HtmlText,
    /// A date written in the page's text, after a label ("Veröffentlicht
    /// am") or near the headline.
    PageText,
    /// The date of the page's latest change (`article:modified_time`,
    /// `dateModified`), when it states no other.
    Modified,
    /// A `/YYYY/MM/DD/` in the article's URL path.
    Url,
    /// A `YYYY-MM-DD` in the file name.
    FileName,
    /// A dateline at the top of the text.
    Dateline,
    /// No published date; the article is a web capture, dated (in the date
    /// facet) by its crawl date.
    Crawl,
    /// No date was found.
    None,
}

impl DateOrigin {
    /// The name used in output and in the index.
    pub fn as_str(self) -> &'static str {
        match self {
            DateOrigin::Metadata => "metadata",
            DateOrigin::HtmlMeta => "html-meta",
            DateOrigin::JsonLd => "json-ld",
            DateOrigin::HtmlText => "html-text",
            DateOrigin::PageText => "page-text",
            DateOrigin::Modified => "html-modified",
            DateOrigin::Url => "url",
            DateOrigin::FileName => "filename",
            DateOrigin::Dateline => "dateline",
            DateOrigin::Crawl => "crawl",
            DateOrigin::None => "none",
        }
    }
}

/// Years outside this range are taken as typos or placeholders, not dates.
const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1800..=2200;

/// Years a date written in a metadata field may have: before 1000 it is a
/// placeholder (`0001-01-01`), not a date.
const STATED_YEARS: std::ops::RangeInclusive<i32> = 1000..=2200;

/// Which part comes first in an all-numeric date such as `02/03/1987`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// `26/02/1987`: day, month, year.
    DayFirst,
    /// `02/26/1987`: month, day, year.
    MonthFirst,
}

/// How the dates of an input's metadata are read (`--date-order`,
/// `--date-format`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateSettings {
    /// The order of all-numeric dates whose day is 12 or less. Without it
    /// such a date is ambiguous: it is reported, not guessed.
    pub order: Option<DateOrder>,
    /// chrono (strftime-style) formats tried before the built-in ones.
    pub formats: Vec<String>,
}

/// Why a stated date could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// Not a date in any form gazette knows.
    Unreadable,
    /// `02/03/1987` with no `--date-order`: the 2nd of March or the 3rd of
    /// February.
    Ambiguous,
}

/// Parses a date as exports write them: RFC 3339 / ISO 8601 with or without
/// time and offset, `YYYY/MM/DD`, RFC 2822, `March 5, 2024`, `5 March 2024`,
/// `26-FEB-1987 15:01:01.79`, and Unix timestamps (seconds or milliseconds).
///
/// A time with an offset is kept as the publisher wrote it, offset dropped:
/// `2023-11-08T22:00:00-05:00` is 8 November, the day a reader of the page
/// sees, not 9 November in UTC. Dates are searched and faceted by day, and
/// that day is the publisher's. Times without an offset are the same.
pub fn parse_date(raw: &str) -> Option<DateTime<Utc>> {
    parse_date_with(raw, &DateSettings::default())
        .ok()
        .filter(|date| PLAUSIBLE_YEARS.contains(&chrono::Datelike::year(date)))
}

/// [`parse_date`] for a field's stated value, with the user's settings:
/// years from 1000 on, their formats first, and
/// all-numeric dates (`26/02/1987`, `02/26/1987 10:00`) read in the stated
/// order. A numeric date that is ambiguous without an order is
/// [`DateProblem::Ambiguous`].
pub fn parse_date_with(raw: &str, settings: &DateSettings) -> Result<DateTime<Utc>, DateProblem> {
    let text = raw.trim();
    let stated = settings
        .formats
        .iter()
        .find_map(|format| parse_with_format(text, format));
    if let Some(date) = stated {
        return STATED_YEARS
            .contains(&chrono::Datelike::year(&date))
            .then_some(date)
            .ok_or(DateProblem::Unreadable);
    }
    if let Some(numeric) = numeric_day_month(text, settings.order) {
        return numeric;
    }
    let parsed = DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_rfc2822(text))
        .map(|date| Utc.from_utc_datetime(&date.naive_local()))
        .ok()
        .or_else(|| parse_naive(text))
        .or_else(|| parse_timestamp(text))
        .ok_or(DateProblem::Unreadable)?;
    // What a field states may be old (a chronicle of 1750); guesses from
    // text are held to PLAUSIBLE_YEARS instead.
    STATED_YEARS
        .contains(&chrono::Datelike::year(&parsed))
        .then_some(parsed)
        .ok_or(DateProblem::Unreadable)
}

/// Whether `format` is a chrono format gazette can use (`--date-format`).
pub fn valid_date_format(format: &str) -> bool {
    !format.trim().is_empty()
        && chrono::format::StrftimeItems::new(format)
            .all(|item| !matches!(item, chrono::format::Item::Error))
}

fn parse_with_format(text: &str, format: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_str(text, format)
        .map(|date| Utc.from_utc_datetime(&date.naive_local()))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(text, format)
                .ok()
                .map(|date| Utc.from_utc_datetime(&date))
        })
        .or_else(|| {
            NaiveDate::parse_from_str(text, format)
                .ok()
                .and_then(|date| date.and_hms_opt(0, 0, 0))
                .map(|date| Utc.from_utc_datetime(&date))
        })
}

/// `26/02/1987`, `02-26-1987`, `26.02.1987`, each optionally followed by a
/// time `HH:MM[:SS]`: `None` when the text is not of this form.
fn numeric_day_month(
    text: &str,
    order: Option<DateOrder>,
) -> Option<Result<DateTime<Utc>, DateProblem>> {
    let (date, time) = match text.split_once([' ', 'T']) {
        Some((date, time)) => (date, Some(time.trim())),
        None => (text, None),
    };
    let separator = date.chars().find(|c| matches!(c, '/' | '.' | '-'))?;
    let parts: Vec<&str> = date.split(separator).collect();
    let [first, second, year] = parts.as_slice() else {
        return None;
    };
    let number = |part: &str, lens: &[usize]| {
        (lens.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let (a, b, y) = (
        number(first, &[1, 2])?,
        number(second, &[1, 2])?,
        number(year, &[4])?,
    );
    let time = match time {
        None => Some(chrono::NaiveTime::MIN),
        Some(time) => ["%H:%M:%S%.f", "%H:%M"]
            .iter()
            .find_map(|format| chrono::NaiveTime::parse_from_str(time, format).ok()),
    };
    let Some(time) = time else {
        return Some(Err(DateProblem::Unreadable));
    };
    let (day, month) = match (a > 12, b > 12, order) {
        (true, false, _) => (a, b),
        (false, true, _) => (b, a),
        (false, false, _) if a == b => (a, b),
        (false, false, Some(DateOrder::DayFirst)) => (a, b),
        (false, false, Some(DateOrder::MonthFirst)) => (b, a),
        // Dots are written day first wherever they are used.
        (false, false, None) if separator == '.' => (a, b),
        (false, false, None) => return Some(Err(DateProblem::Ambiguous)),
        (true, true, _) => return Some(Err(DateProblem::Unreadable)),
    };
    let year = i32::try_from(y).ok()?;
    Some(
        NaiveDate::from_ymd_opt(year, month, day)
            .filter(|_| STATED_YEARS.contains(&year))
            .map(|date| Utc.from_utc_datetime(&date.and_time(time)))
            .ok_or(DateProblem::Unreadable),
    )
}

fn parse_naive(text: &str) -> Option<DateTime<Utc>> {
    const DATE_TIMES: &[&str] = &[
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S %z",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
        // Reuters-21578's own form: `26-FEB-1987 15:01:01.79`.
        "%d-%b-%Y %H:%M:%S%.f",
        "%b %d, %Y %H:%M:%S",
        "%b %d, %Y %H:%M",
        "%B %d, %Y %H:%M",
    ];
    const DATES: &[&str] = &[
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%Y.%m.%d",
        "%B %d, %Y",
        "%b %d, %Y",
        "%b. %d, %Y",
        "%d %B %Y",
        "%d %b %Y",
        "%d %b. %Y",
        "%B %d %Y",
        "%b %d %Y",
        "%A, %B %d, %Y",
        "%a, %b %d, %Y",
        "%A, %d %B %Y",
        "%a, %d %b %Y",
        "%d-%b-%Y",
        "%d-%B-%Y",
    ];
    if let Some(date_time) = DATE_TIMES
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
    {
        return Some(Utc.from_utc_datetime(&date_time));
    }
    // A date followed by a time we cannot read still gives the day.
    let date_part = text.split(['T', ' ']).next().unwrap_or(text);
    let compact = (text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| NaiveDate::parse_from_str(text, "%Y%m%d").ok())
        .flatten();
    compact
        .or_else(|| {
            DATES
                .iter()
                .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
        })
        .or_else(|| NaiveDate::parse_from_str(date_part, "%Y-%m-%d").ok())
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .map(|date_time| Utc.from_utc_datetime(&date_time))
}

fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    if !text.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let number: i64 = text.parse().ok()?;
    match text.len() {
        9 | 10 => DateTime::from_timestamp(number, 0),
        12 | 13 => DateTime::from_timestamp_millis(number),
        _ => None,
    }
}

/// The first valid `YYYY-MM-DD` (or `YYYY_MM_DD`, `YYYYMMDD` between
/// separators) in a file name.
pub fn date_from_file_name(path: &Path) -> Option<DateTime<Utc>> {
    let name = path.file_name()?.to_string_lossy();
    let bytes = name.as_bytes();
    (0..bytes.len()).find_map(|start| {
        let at_boundary = start == 0 || !bytes[start - 1].is_ascii_digit();
        if !at_boundary {
            return None;
        }
        // A byte inside a multi-byte character starts no date.
        let rest = name.get(start..)?;
        let candidate = rest.get(..10).filter(|c| {
            let b = c.as_bytes();
            b[4] == b[7] && matches!(b[4], b'-' | b'_' | b'.')
        });
        let date = match candidate {
            Some(candidate) => {
                let normalised: String = candidate
                    .chars()
                    .map(|c| if c.is_ascii_digit() { c } else { '-' })
                    .collect();
                NaiveDate::parse_from_str(&normalised, "%Y-%m-%d").ok()
            }
            None => None,
        };
        let after = if date.is_some() { 10 } else { 0 };
        let followed_by_digit = rest.as_bytes().get(after).is_some_and(u8::is_ascii_digit);
        date.filter(|_| !followed_by_digit)
            .filter(|date| PLAUSIBLE_YEARS.contains(&chrono::Datelike::year(date)))
            .and_then(|date| date.and_hms_opt(0, 0, 0))
            .map(|date_time| Utc.from_utc_datetime(&date_time))
    })
}

fn midnight(date: NaiveDate) -> Option<DateTime<Utc>> {
    PLAUSIBLE_YEARS
        .contains(&chrono::Datelike::year(&date))
        .then(|| date.and_hms_opt(0, 0, 0))
        .flatten()
        .map(|date_time| Utc.from_utc_datetime(&date_time))
}

/// A `/YYYY/MM/DD/` (or `/YYYY/MM/DD` at the end) in a URL's path, as news
/// sites write their article URLs.
pub fn date_from_url(url: &str) -> Option<DateTime<Utc>> {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme.split(['?', '#']).next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    // `/20200428/` and `/2019-12-02-health-workers`: one segment.
    let compact = segments.iter().find_map(|segment| {
        let digits = |part: &str| part.len() == 8 && part.bytes().all(|b| b.is_ascii_digit());
        if digits(segment) {
            return NaiveDate::parse_from_str(segment, "%Y%m%d")
                .ok()
                .and_then(midnight);
        }
        let head = segment.get(..10)?;
        let rest = segment.get(10..)?;
        // `2019-12-02-slug`, and day first: `29-10-2021`, `23-01-2022-slug`.
        (rest.is_empty() || rest.starts_with(['-', '_', '.']))
            .then(|| {
                NaiveDate::parse_from_str(head, "%Y-%m-%d")
                    .or_else(|_| NaiveDate::parse_from_str(head, "%d-%m-%Y"))
                    .ok()
            })
            .flatten()
            .and_then(midnight)
    });
    if compact.is_some() {
        return compact;
    }
    segments.windows(3).find_map(|window| {
        let [year, month, day] = window else {
            return None;
        };
        let digits = |s: &str, lens: &[usize]| {
            lens.contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit())
        };
        if !(digits(year, &[4]) && digits(month, &[1, 2]) && digits(day, &[1, 2])) {
            return None;
        }
        let date =
            NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)?;
        midnight(date)
    })
}

/// Month names (and their common abbreviations) in the languages of the
/// archives gazette is used on: English, German, French, Spanish,
/// Portuguese, Italian, Ukrainian and Russian (the genitive forms dates use).
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
    // Spanish
    ("enero", 1),
    ("ene", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("abr", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("ago", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    ("dic", 12),
    // Portuguese
    ("janeiro", 1),
    ("fevereiro", 2),
    ("março", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("novembro", 11),
    ("dezembro", 12),
    // French
    ("janvier", 1),
    ("janv", 1),
    ("février", 2),
    ("fevrier", 2),
    ("févr", 2),
    ("fév", 2),
    ("mars", 3),
    ("avril", 4),
    ("avr", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("juil", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    ("déc", 12),
    // German
    ("januar", 1),
    ("jänner", 1),
    ("jän", 1),
    ("februar", 2),
    ("feber", 2),
    ("märz", 3),
    ("maerz", 3),
    ("mär", 3),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("okt", 10),
    ("dezember", 12),
    ("dez", 12),
    // Italian
    ("gennaio", 1),
    ("gen", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("mag", 5),
    ("giugno", 6),
    ("giu", 6),
    ("luglio", 7),
    ("lug", 7),
    ("settembre", 9),
    ("set", 9),
    ("ottobre", 10),
    ("ott", 10),
    ("dicembre", 12),
    // Ukrainian (genitive, then nominative)
    ("січня", 1),
    ("лютого", 2),
    ("березня", 3),
    ("квітня", 4),
    ("травня", 5),
    ("червня", 6),
    ("липня", 7),
    ("серпня", 8),
    ("вересня", 9),
    ("жовтня", 10),
    ("листопада", 11),
    ("грудня", 12),
    ("січень", 1),
    ("лютий", 2),
    ("березень", 3),
    ("квітень", 4),
    ("травень", 5),
    ("червень", 6),
    ("липень", 7),
    ("серпень", 8),
    ("вересень", 9),
    ("жовтень", 10),
    ("листопад", 11),
    ("грудень", 12),
    // Russian (genitive)
    ("января", 1),
    ("февраля", 2),
    ("марта", 3),
    ("апреля", 4),
    ("мая", 5),
    ("июня", 6),
    ("июля", 7),
    ("августа", 8),
    ("сентября", 9),
    ("октября", 10),
    ("ноября", 11),
    ("декабря", 12),
];

/// Weekday names, which may stand between a dateline's place and its date.
const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
    "sábado",
    "domingo",
    "lunedì",
    "martedì",
    "mercoledì",
    "giovedì",
    "venerdì",
    "sabato",
    "domenica",
];

/// Small words inside place names ("Rio de Janeiro", "Frankfurt am Main").
const PLACE_PARTICLES: &[&str] = &[
    "de", "del", "da", "do", "dos", "das", "am", "an", "der", "la", "le", "les", "di", "el", "sur",
    "upon", "im", "bei", "y", "e",
];

/// A dateline is the place and date that open a news story; only this many
/// characters of the first lines are looked at, so that a date mentioned
/// later in the text is never taken for the publication date.
const DATELINE_CHARS: usize = 120;

/// The date of a dateline at the top of `body`: a place, a comma, then the
/// date in English ("CARACAS, March 5, 2024 —", "LONDON, 5 March 2024 —") or
/// with `de` as in Spanish and Portuguese ("Caracas, 5 de marzo de 2024.").
/// Only the first two non-empty lines are looked at, and only a dateline's
/// form counts: the place is a name (capitalised words, "de"/"am" between
/// them), the date follows it at once (after more place names or a weekday)
/// and ends where the story starts ("—", "(", "." or the end of the line).
/// A date inside a sentence ("Born in Luton, Bedfordshire, on 5 April 1920")
/// is not a dateline.
pub fn date_from_dateline(body: &str) -> Option<DateTime<Utc>> {
    body.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .take(2)
        .find_map(|line| {
            let head: String = line.chars().take(DATELINE_CHARS).collect();
            let (place, after_place) = head.split_once(',')?;
            if !is_place_name(place) {
                return None;
            }
            let tokens: Vec<&str> = after_place.split_whitespace().collect();
            let word = |token: &str| {
                token
                    .trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            };
            // More of the place ("Colombia,") or a weekday before the date.
            let skipped = tokens
                .iter()
                .take(3)
                .take_while(|token| {
                    let lower = word(token);
                    let capitalised = token.chars().next().is_some_and(char::is_uppercase);
                    WEEKDAYS.contains(&lower.as_str())
                        || (capitalised && token.ends_with(',') && month_number(&lower).is_none())
                })
                .count();
            let rest = tokens.get(skipped..)?;
            let words: Vec<String> = rest.iter().map(|token| word(token)).collect();
            let (date, used) = date_at(&words)?;
            let last = rest.get(used.checked_sub(1)?)?;
            let next = rest.get(used);
            let ends = last.ends_with(['.', ',', ':', ';', '—', '–', '-'])
                || next.is_none_or(|next| next.starts_with(['—', '–', '-', '(', '|', ':', '/']));
            ends.then_some(date)
        })
}

/// Whether `text` reads as a place name: one to five words, each
/// capitalised or a particle, not a sentence's start ("Born in Luton").
fn is_place_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 {
        return false;
    }
    words.iter().enumerate().all(|(index, word)| {
        let capitalised = word.chars().next().is_some_and(char::is_uppercase);
        capitalised || (index > 0 && PLACE_PARTICLES.contains(&word.to_lowercase().as_str()))
    })
}

/// The first date written in a short text, such as a page's "Published
/// 14.01.2022, 10:00" or "Stand: 5. März 2024": ISO `YYYY-MM-DD`,
/// `DD.MM.YYYY`, `DD.MM.YY`, `DD/MM/YYYY` (day first unless the day is
/// over 12), `YYYY年MM月DD日`, or a day, month name and year in the orders
/// the languages above write them.
pub fn date_in_text(text: &str) -> Option<DateTime<Utc>> {
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '—' | '–' | '(' | ')' | '|' | ';'))
        .map(|word| {
            word.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|word| !word.is_empty())
        .take(40)
        .collect();
    (0..words.len()).find_map(|start| date_at(words.get(start..)?).map(|(date, _)| date))
}

fn month_number(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.');
    MONTHS
        .iter()
        .find(|(name, _)| *name == word)
        .map(|(_, m)| *m)
}

/// A date written at the start of `words`, and how many words it takes.
fn date_at(words: &[String]) -> Option<(DateTime<Utc>, usize)> {
    let at = |offset: usize| words.get(offset).map(String::as_str).unwrap_or_default();
    if let Some(date) = numeric_date(at(0)) {
        return Some((date, 1));
    }
    let day = |word: &str| {
        let digits = word.trim_end_matches(|c: char| !c.is_ascii_digit());
        let suffix = word.get(digits.len()..).unwrap_or_default();
        let ordinal = matches!(
            suffix,
            "" | "." | "st" | "nd" | "rd" | "th" | "er" | "º" | "o"
        );
        (ordinal && (1..=2).contains(&digits.len()))
            .then(|| digits.parse::<u32>().ok())
            .flatten()
            .filter(|d| (1..=31).contains(d))
    };
    let year = |word: &str| {
        (word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()))
            .then(|| word.parse::<i32>().ok())
            .flatten()
    };
    let make = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).and_then(midnight);
    // March 5, 2024
    if let (Some(m), Some(d), Some(y)) = (month_number(at(0)), day(at(1)), year(at(2))) {
        return make(y, m, d).map(|date| (date, 3));
    }
    // 5 March 2024, 5. März 2024, 5 of March 2024
    if let Some(d) = day(at(0)) {
        let of = usize::from(at(1) == "of");
        if let (Some(m), Some(y)) = (month_number(at(1 + of)), year(at(2 + of))) {
            return make(y, m, d).map(|date| (date, 3 + of));
        }
        // 5 de marzo de 2024, 5 de março de 2024
        let de = |word: &str| word == "de" || word == "del";
        if let (true, Some(m), true, Some(y)) =
            (de(at(1)), month_number(at(2)), de(at(3)), year(at(4)))
        {
            return make(y, m, d).map(|date| (date, 5));
        }
    }
    None
}

/// One word that is a whole date: `2024-03-05` (or the day of
/// `2024-03-05T10:00`), `2024.03.05`, `2024/03/05`, `05.03.2024`,
/// `05.03.24`, `05/03/2024`, `2024年3月5日`.
fn numeric_date(word: &str) -> Option<DateTime<Utc>> {
    if !word.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
        return None;
    }
    let iso = word
        .get(..10)
        .and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())
        .filter(|_| word.len() == 10 || word.as_bytes().get(10) == Some(&b't'));
    if let Some(date) = iso {
        return midnight(date);
    }
    let cjk;
    let word = if word.is_ascii() {
        word
    } else {
        cjk = word.replace(['年', '月'], "-").replace('日', "");
        cjk.as_str()
    };
    let parts: Vec<&str> = word.split(['.', '/', '-']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let number = |part: &str, lens: &[usize]| {
        (lens.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let date = if let Some(year) = number(a, &[4]) {
        NaiveDate::from_ymd_opt(
            i32::try_from(year).ok()?,
            number(b, &[1, 2])?,
            number(c, &[1, 2])?,
        )
    } else {
        let (first, second) = (number(a, &[1, 2])?, number(b, &[1, 2])?);
        let year = match number(c, &[4, 2])? {
            // Two-digit years are written for recent dates: `28.01.22`
            // (always two digits each: `4.8.12` is a version number).
            short if c.len() == 2 && a.len() == 2 && b.len() == 2 && word.contains('.') => {
                if short < 70 {
                    2000 + short
                } else {
                    1900 + short
                }
            }
            _ if c.len() == 2 => return None,
            full => full,
        };
        let (day, month) = if second > 12 {
            (second, first)
        } else {
            (first, second)
        };
        NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
    };
    date.and_then(midnight)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(raw: &str) -> Option<String> {
        parse_date(raw).map(|date| date.format("%Y-%m-%d %H:%M").to_string())
    }

    #[test]
    fn formats_found_in_exports() {
        for (raw, expected) in [
            ("2024-03-05", "2024-03-05 00:00"),
            ("2021-06-03T14:20:00Z", "2021-06-03 14:20"),
            ("2021-06-03T14:20:00-05:00", "2021-06-03 14:20"),
            ("2023-11-08T22:00:00-05:00", "2023-11-08 22:00"),
            ("2020-04-30T00:30:00+02:00", "2020-04-30 00:30"),
            ("2021-06-03 14:20:00", "2021-06-03 14:20"),
            ("2021-06-03T14:20:00.123", "2021-06-03 14:20"),
            ("2024/03/05", "2024-03-05 00:00"),
            ("Tue, 5 Mar 2024 10:00:00 +0000", "2024-03-05 10:00"),
            ("March 5, 2024", "2024-03-05 00:00"),
            ("5 March 2024", "2024-03-05 00:00"),
            ("Mar 5, 2024", "2024-03-05 00:00"),
            ("1709596800", "2024-03-05 00:00"),
            ("1709596800000", "2024-03-05 00:00"),
            ("26-FEB-1987 15:01:01.79", "1987-02-26 15:01"),
            (" 5-MAR-1987 09:16:28.86", "1987-03-05 09:16"),
            ("5-Mar-1987", "1987-03-05 00:00"),
        ] {
            assert_eq!(day(raw).as_deref(), Some(expected), "{raw}");
        }
    }

    #[test]
    fn stated_dates_may_be_old_but_not_placeholders() {
        let settings = DateSettings::default();
        assert!(parse_date_with("1750-05-01", &settings).is_ok());
        assert_eq!(day("1750-05-01"), None, "a guess is held to 1800");
        assert_eq!(
            parse_date_with("0001-01-01", &settings),
            Err(DateProblem::Unreadable)
        );
    }

    #[test]
    fn nonsense_is_not_a_date() {
        for raw in [
            "",
            "yesterday",
            "2024-13-45",
            "0000-00-00",
            "9999-01-01",
            "42",
        ] {
            assert_eq!(day(raw), None, "{raw}");
        }
    }

    #[test]
    fn file_names() {
        let date = |name: &str| {
            date_from_file_name(Path::new(name)).map(|d| d.format("%Y-%m-%d").to_string())
        };
        assert_eq!(
            date("corpus/2017-09-21-oil.txt").as_deref(),
            Some("2017-09-21")
        );
        assert_eq!(date("wire_2019_04_12.md").as_deref(), Some("2019-04-12"));
        assert_eq!(date("report-2019-02-30.txt"), None);
        assert_eq!(date("id-12019-04-12.txt"), None);
        assert_eq!(date("undated-harbour-report.txt"), None);
        assert_eq!(
            date("stössenseer.2019-04-12.html").as_deref(),
            Some("2019-04-12")
        );
    }

    #[test]
    fn dates_in_short_texts() {
        let date = |text: &str| date_in_text(text).map(|d| d.format("%Y-%m-%d").to_string());
        assert_eq!(
            date("Stand: 19.10.2019 11:05 Uhr").as_deref(),
            Some("2019-10-19")
        );
        assert_eq!(
            date("Veröffentlicht am 5. März 2024").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(
            date("Posted on 2021-06-03T14:20").as_deref(),
            Some("2021-06-03")
        );
        assert_eq!(date("Updated: June 3, 2021").as_deref(), Some("2021-06-03"));
        assert_eq!(date("12 comments, 3 shares"), None);
        assert_eq!(
            date("Notizia del 14 Gennaio 2020").as_deref(),
            Some("2020-01-14")
        );
        assert_eq!(
            date("Опубліковано 5 березня 2024").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(
            date("Publié le 29 juin 2019").as_deref(),
            Some("2019-06-29")
        );
        assert_eq!(date("January 22nd, 2014").as_deref(), Some("2014-01-22"));
        assert_eq!(date("mardi 10.12.19").as_deref(), Some("2019-12-10"));
        assert_eq!(date("2020年02月19日").as_deref(), Some("2020-02-19"));
        assert_eq!(date("31.02.2021"), None);
    }

    #[test]
    fn url_paths() {
        let date = |url: &str| date_from_url(url).map(|d| d.format("%Y-%m-%d").to_string());
        assert_eq!(
            date("https://x.org/world/2024/03/05/gold-rush").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(
            date("https://x.org/2019/7/4").as_deref(),
            Some("2019-07-04")
        );
        assert_eq!(date("/2021/02/30/no-such-day"), None);
        assert_eq!(
            date("https://x.org/20200428/swede").as_deref(),
            Some("2020-04-28")
        );
        assert_eq!(
            date("https://x.org/en/2019-12-02-health").as_deref(),
            Some("2019-12-02")
        );
        assert_eq!(
            date("https://x.org/news/29-10-2021").as_deref(),
            Some("2021-10-29")
        );
        assert_eq!(date("https://x.org/item/12345678"), None);
        assert_eq!(date("https://x.org/2024/03/gold"), None);
        assert_eq!(date("https://2024.org/?d=2024/03/05"), None);
    }

    #[test]
    fn datelines_in_english_and_spanish() {
        let date = |body: &str| date_from_dateline(body).map(|d| d.format("%Y-%m-%d").to_string());
        for (body, expected) in [
            (
                "CARACAS, March 5, 2024 — The opposition said…",
                Some("2024-03-05"),
            ),
            (
                "\nLONDON, Tuesday, 5 March 2024 - Prices rose.",
                Some("2024-03-05"),
            ),
            (
                "Caracas, 5 de marzo de 2024. El gobierno anunció…",
                Some("2024-03-05"),
            ),
            (
                "BOGOTÁ, Colombia, Sept. 12, 2019 (Wire) — Talks",
                Some("2019-09-12"),
            ),
            ("São Paulo, 1º de maio, diz o relatório", None),
            ("The talks of March 5, 2024 failed.", None),
            ("WILLEMSTAD, Curaçao (Caribbean Wire) — On Tuesday…", None),
            (
                "Headline\n\nSecond line\n\nBOGOTÁ, May 1, 2020 — late",
                None,
            ),
            ("Bonn, 11.10.2021 — Das THW…", Some("2021-10-11")),
            // See: issue 18 — dates inside sentences are not datelines.
            (
                "Born in Luton, Bedfordshire, on 5 April 1920, she taught.",
                None,
            ),
            ("Luton, on 5 April 1920 she was born.", None),
            ("Smith, who was born 5 April 1920 in Luton", None),
        ] {
            assert_eq!(date(body).as_deref(), expected, "{body}");
        }
    }
}
