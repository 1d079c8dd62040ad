//! Search filters (`--lang`, `--source`, `--from`, `--to`, `--date`,
//! `--entity` and its typed forms) and partial dates.

use std::ops::Bound;

use chrono::{DateTime, Months, NaiveDate, TimeZone, Utc};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::entities::{entity_query, EntityCatalog};
use super::query::date_query;
use crate::analyze::{normalise_code, parse_date, EntityKind};
use crate::index::to_tantivy;
use crate::schema::Fields;
use crate::{Error, Result};

/// The canonical name of the country `name` stands for (a name or alias,
/// accents and case ignored), or a message saying it is not a country.
pub fn country_name(name: &str) -> std::result::Result<String, String> {
    crate::analyze::countries::canonical_country(name)
        .map(str::to_owned)
        .ok_or_else(|| {
            format!(
                "`{name}` is not a country gazette knows: give a country's name or alias \
                 (Venezuela, United States, USA, EE.UU., Soviet Union, West Germany)"
            )
        })
}

/// The period a (possibly partial) date names: `2024` is the whole year,
/// `2024-03` the month, `2024-03-05` the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    /// First instant of the period.
    pub start: DateTime<Utc>,
    /// First instant after the period.
    pub end: DateTime<Utc>,
}

impl DateRange {
    /// The earliest instant an index can hold (tantivy keeps dates as
    /// 64-bit nanoseconds), to the second.
    pub const EARLIEST: DateTime<Utc> = DateTime::from_timestamp_nanos(-9_223_372_036_000_000_000);
    /// The latest instant an index can hold, to the second.
    pub const LATEST: DateTime<Utc> = DateTime::from_timestamp_nanos(9_223_372_036_000_000_000);

    /// `date` as a bound on indexed dates.
    ///
    /// Years 0000-9999 are accepted in queries, but an index holds dates
    /// between [`EARLIEST`](Self::EARLIEST) and [`LATEST`](Self::LATEST)
    /// only (and articles are dated 1800-2200): a date outside is the
    /// nearest end, which selects the same articles, where converting it
    /// as it is would wrap around.
    pub fn index_date(date: DateTime<Utc>) -> tantivy::DateTime {
        to_tantivy(date.clamp(Self::EARLIEST, Self::LATEST))
    }

    /// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or a full timestamp.
    pub fn parse(text: &str) -> Result<DateRange, String> {
        let text = text.trim();
        let invalid = || {
            format!("`{text}` is not a date: use YYYY, YYYY-MM or YYYY-MM-DD (for example 2024-03)")
        };
        let parts: Vec<&str> = text.split('-').collect();
        let number = |part: &str| {
            part.parse::<u32>()
                .ok()
                .filter(|_| part.chars().all(|c| c.is_ascii_digit()))
        };
        let (start, months, days) = match parts.as_slice() {
            [year] if year.len() == 4 => {
                let year = number(year).ok_or_else(invalid)?;
                (NaiveDate::from_ymd_opt(year as i32, 1, 1), 12, 0)
            }
            [year, month] if year.len() == 4 && month.len() == 2 => {
                let year = number(year).ok_or_else(invalid)?;
                let month = number(month).ok_or_else(invalid)?;
                (NaiveDate::from_ymd_opt(year as i32, month, 1), 1, 0)
            }
            [year, month, day] if year.len() == 4 && month.len() == 2 && day.len() == 2 => {
                let year = number(year).ok_or_else(invalid)?;
                let month = number(month).ok_or_else(invalid)?;
                let day = number(day).ok_or_else(invalid)?;
                (NaiveDate::from_ymd_opt(year as i32, month, day), 0, 1)
            }
            _ => {
                let instant = parse_date(text).ok_or_else(invalid)?;
                return Ok(DateRange {
                    start: instant,
                    end: instant + chrono::Duration::seconds(1),
                });
            }
        };
        let start = start.ok_or_else(invalid)?;
        let end = start
            .checked_add_months(Months::new(months))
            .and_then(|date| date.checked_add_days(chrono::Days::new(days)))
            .ok_or_else(invalid)?;
        let midnight = |date: NaiveDate| {
            date.and_hms_opt(0, 0, 0)
                .map(|dt| Utc.from_utc_datetime(&dt))
        };
        Ok(DateRange {
            start: midnight(start).ok_or_else(invalid)?,
            end: midnight(end).ok_or_else(invalid)?,
        })
    }
}

/// Restrictions on which passages match, whatever the query.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Languages (any of them).
    pub langs: Vec<String>,
    /// Sources, exactly as indexed (any of them).
    pub sources: Vec<String>,
    /// Dated on or after the start of this period.
    pub from: Option<DateRange>,
    /// Dated on or before the end of this period.
    pub to: Option<DateRange>,
    /// Which date `from`, `to`, date sorts and calendar facets use.
    pub date: DateBasis,
    /// Entities that must all be mentioned, each by name and optional type.
    pub entities: Vec<(Option<EntityKind>, String)>,
    /// Whether entities must be in the passage itself or anywhere in its article.
    pub entity_scope: EntityScope,
    /// Countries the article is about (any of them), by canonical name or alias.
    pub countries: Vec<String>,
}

/// Which of an article's dates counts: for date filters, date sorts and
/// the calendar buckets of facets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateBasis {
    /// The published date only: an undated capture has no date.
    Published,
    /// The crawl date only: only web captures have one.
    Crawled,
    /// The published date, else the crawl date (what the `date` facet
    /// holds).
    #[default]
    Either,
}

impl DateBasis {
    /// The indexed, fast date field holding this date.
    pub fn field(self, fields: &Fields) -> Field {
        match self {
            DateBasis::Published => fields.published,
            DateBasis::Crawled => fields.crawled,
            DateBasis::Either => fields.effective_date,
        }
    }

    /// The name of that field (and of its fast column).
    pub fn column(self) -> &'static str {
        match self {
            DateBasis::Published => "published",
            DateBasis::Crawled => "crawled",
            DateBasis::Either => "effective_date",
        }
    }

    /// `published`, `crawled` or `either`, as `--date` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            DateBasis::Published => "published",
            DateBasis::Crawled => "crawled",
            DateBasis::Either => "either",
        }
    }
}

/// Where an entity filter looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EntityScope {
    /// Anywhere in the passage's article.
    #[default]
    Article,
    /// In the passage itself.
    Passage,
}

impl Filters {
    /// The filter clauses, each one required. Entity names are resolved
    /// with `catalog`; an unknown name is an error that suggests close ones.
    pub fn clauses(
        &self,
        fields: &Fields,
        catalog: &EntityCatalog,
    ) -> Result<Vec<(Occur, Box<dyn Query>)>> {
        let mut clauses = Vec::new();
        let any_of = |field, values: Vec<String>| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(
                values
                    .into_iter()
                    .map(|value| {
                        let term = Term::from_field_text(field, &value);
                        (
                            Occur::Should,
                            Box::new(TermQuery::new(term, IndexRecordOption::Basic))
                                as Box<dyn Query>,
                        )
                    })
                    .collect(),
            ))
        };
        if !self.langs.is_empty() {
            let codes = self
                .langs
                .iter()
                .map(|lang| normalise_code(lang).unwrap_or_else(|| lang.to_lowercase()))
                .collect();
            clauses.push((Occur::Must, any_of(fields.lang, codes)));
        }
        if !self.sources.is_empty() {
            clauses.push((Occur::Must, any_of(fields.source, self.sources.clone())));
        }
        if self.from.is_some() || self.to.is_some() {
            let lower = self
                .from
                .map_or(Bound::Unbounded, |range| Bound::Included(range.start));
            let upper = self
                .to
                .map_or(Bound::Unbounded, |range| Bound::Excluded(range.end));
            clauses.push((
                Occur::Must,
                date_query(self.date.field(fields), lower, upper),
            ));
        }
        if !self.countries.is_empty() {
            let names = self
                .countries
                .iter()
                .map(|name| country_name(name).map_err(Error::Usage))
                .collect::<Result<Vec<String>>>()?;
            clauses.push((Occur::Must, any_of(fields.countries, names)));
        }
        for (kind, name) in &self.entities {
            let entities = catalog.resolve(*kind, name)?;
            let query = match self.entity_scope {
                EntityScope::Article => catalog.article_query(&entities)?,
                EntityScope::Passage => entity_query(fields.passage_entity, &entities),
            };
            clauses.push((Occur::Must, query));
        }
        Ok(clauses)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, start: &str, end: &str) {
        let range = DateRange::parse(text).expect("parses");
        assert_eq!(range.start.format("%F").to_string(), start, "{text}");
        assert_eq!(range.end.format("%F").to_string(), end, "{text}");
    }

    #[test]
    fn partial_dates_name_periods() {
        check("2024", "2024-01-01", "2025-01-01");
        check("2024-03", "2024-03-01", "2024-04-01");
        check("2024-12", "2024-12-01", "2025-01-01");
        check("2024-02-29", "2024-02-29", "2024-03-01");
    }

    // See: issue 22
    #[test]
    fn issue_22_dates_outside_what_an_index_holds_are_its_ends() {
        let start = |text: &str| DateRange::index_date(DateRange::parse(text).expect(text).start);
        let earliest = DateRange::index_date(DateRange::EARLIEST);
        let latest = DateRange::index_date(DateRange::LATEST);
        assert_eq!(start("1000"), earliest);
        assert_eq!(start("0000"), earliest);
        assert_eq!(start("9999"), latest);
        assert!(earliest < start("1800") && start("1800") < start("2200"));
        assert!(start("2200") < latest);
        assert_eq!(earliest.into_utc().year(), 1677);
        assert_eq!(latest.into_utc().year(), 2262);
    }

    #[test]
    fn bad_dates_say_what_is_expected() {
        for bad in ["24", "2024-13", "2024-02-30", "March", "2024-3"] {
            let error = DateRange::parse(bad).expect_err(bad);
            assert!(error.contains("YYYY-MM"), "{bad}: {error}");
        }
    }
}
