//! Dates: the published date from what the input states, else from a
//! `YYYY-MM-DD` in the file name. (Datelines and HTML dates come later.)

use std::path::Path;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Where a published date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrigin {
    /// A date field of the input (front matter, JSON).
    Metadata,
    /// A `YYYY-MM-DD` in the file name.
    FileName,
    /// No date was found.
    None,
}

impl DateOrigin {
    /// The name used in output and in the index.
    pub fn as_str(self) -> &'static str {
        match self {
            DateOrigin::Metadata => "metadata",
            DateOrigin::FileName => "filename",
            DateOrigin::None => "none",
        }
    }
}

/// Years outside this range are taken as typos or placeholders, not dates.
const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1800..=2200;

/// Parses a date as exports write them: RFC 3339 / ISO 8601 with or without
/// time and offset, `YYYY/MM/DD`, RFC 2822, `March 5, 2024`, `5 March 2024`,
/// and Unix timestamps (seconds or milliseconds). Times without an offset
/// are taken as UTC.
pub fn parse_date(raw: &str) -> Option<DateTime<Utc>> {
    let text = raw.trim();
    let parsed = DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_rfc2822(text))
        .map(|date| date.with_timezone(&Utc))
        .ok()
        .or_else(|| parse_naive(text))
        .or_else(|| parse_timestamp(text))?;
    PLAUSIBLE_YEARS
        .contains(&chrono::Datelike::year(&parsed))
        .then_some(parsed)
}

fn parse_naive(text: &str) -> Option<DateTime<Utc>> {
    const DATE_TIMES: &[&str] = &[
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S %z",
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
        "%B %d %Y",
        "%A, %B %d, %Y",
    ];
    if let Some(date_time) = DATE_TIMES
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
    {
        return Some(Utc.from_utc_datetime(&date_time));
    }
    // A date followed by a time we cannot read still gives the day.
    let date_part = text.split(['T', ' ']).next().unwrap_or(text);
    DATES
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
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
        let rest = &name[start..];
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
            ("2021-06-03T14:20:00-05:00", "2021-06-03 19:20"),
            ("2021-06-03 14:20:00", "2021-06-03 14:20"),
            ("2021-06-03T14:20:00.123", "2021-06-03 14:20"),
            ("2024/03/05", "2024-03-05 00:00"),
            ("Tue, 5 Mar 2024 10:00:00 +0000", "2024-03-05 10:00"),
            ("March 5, 2024", "2024-03-05 00:00"),
            ("5 March 2024", "2024-03-05 00:00"),
            ("Mar 5, 2024", "2024-03-05 00:00"),
            ("1709596800", "2024-03-05 00:00"),
            ("1709596800000", "2024-03-05 00:00"),
        ] {
            assert_eq!(day(raw).as_deref(), Some(expected), "{raw}");
        }
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
    }
}
