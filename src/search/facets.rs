//! `gazette facets` and `search --facets`: what the matching articles are
//! about, where they come from and when they were published.
//!
//! Counts are of articles (an article with several matching passages
//! counts once), except co-occurrence, which counts passages. Timelines
//! count both, per calendar period (year, quarter, month, ISO week, day)
//! of the date the filters choose (published, crawled, or the published
//! date else the crawl date), read from that date's fast column: tantivy's
//! date histogram has fixed-length intervals only, and months are not
//! fixed-length.
//!
//! Each section is computed on its own from the matching documents (the
//! articles' ids, the entities, the calendar), so that a new one is one
//! more function and one more field of [`FacetCounts`].

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, Days, Months, NaiveDate};
use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::collector::{Count, DocSetCollector};
use tantivy::columnar::StrColumn;
use tantivy::query::{BooleanQuery, Occur, TermSetQuery};
use tantivy::{DocAddress, Searcher, Term};

use super::entities::{by_segment, entity_query, EntityCatalog};
use super::{plan_query, Filters};
use crate::analyze::EntityKind;
use crate::index::{dictionary_terms, sorted_distinct};
use crate::index::{entity_of_value, GazetteIndex};
use crate::schema::Fields;
use crate::Result;

/// Calendar period of a histogram bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    /// `2024`.
    #[default]
    Year,
    /// `2024-Q1` (January to March).
    Quarter,
    /// `2024-03`.
    Month,
    /// `2024-W09`: an ISO 8601 week, Monday to Sunday, numbered in the
    /// year that holds its Thursday (so 2024-12-30 is in `2025-W01`).
    Week,
    /// `2024-03-05`.
    Day,
}

impl Period {
    /// `year`, `quarter`, `month`, `week` or `day`.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Year => "year",
            Period::Quarter => "quarter",
            Period::Month => "month",
            Period::Week => "week",
            Period::Day => "day",
        }
    }

    /// The first day of the period that holds `date`.
    pub fn start(self, date: NaiveDate) -> NaiveDate {
        let first_of = |month: u32| NaiveDate::from_ymd_opt(date.year(), month, 1).unwrap_or(date);
        match self {
            Period::Year => first_of(1),
            Period::Quarter => first_of((date.month0() / 3) * 3 + 1),
            Period::Month => first_of(date.month()),
            Period::Week => date - Days::new(u64::from(date.weekday().num_days_from_monday())),
            Period::Day => date,
        }
    }

    /// The first day of the period after the one starting on `start`.
    pub fn next(self, start: NaiveDate) -> Option<NaiveDate> {
        match self {
            Period::Year => start.checked_add_months(Months::new(12)),
            Period::Quarter => start.checked_add_months(Months::new(3)),
            Period::Month => start.checked_add_months(Months::new(1)),
            Period::Week => start.checked_add_days(Days::new(7)),
            Period::Day => start.checked_add_days(Days::new(1)),
        }
    }

    /// The name of the period starting on `start`.
    pub fn label(self, start: NaiveDate) -> String {
        match self {
            Period::Year => format!("{:04}", start.year()),
            Period::Quarter => format!("{:04}-Q{}", start.year(), start.month0() / 3 + 1),
            Period::Month => format!("{:04}-{:02}", start.year(), start.month()),
            Period::Week => {
                let week = start.iso_week();
                format!("{:04}-W{:02}", week.year(), week.week())
            }
            Period::Day => start.format("%Y-%m-%d").to_string(),
        }
    }
}

/// A facets request.
#[derive(Debug, Clone)]
pub struct FacetOptions {
    /// The query (`*` for every passage).
    pub query: String,
    /// Filters, as for a search (their `date` also chooses the date of the
    /// calendar buckets).
    pub filters: Filters,
    /// Whether query terms are all required.
    pub conjunction: bool,
    /// Histogram bucket size.
    pub by: Period,
    /// How many entities, languages and sources of each kind to list.
    pub top: usize,
    /// Count the entities in the same passages as this one.
    pub cooccur: Option<String>,
    /// One series per entry, counted per period among the matches: an
    /// entity name (the articles mentioning it), else a query in the search
    /// grammar (the passages matching it too).
    pub timelines: Vec<String>,
    /// Also count every article and passage that passes the filters per
    /// period, so that each period's count can be read as a share of it.
    pub normalize: bool,
}

impl Default for FacetOptions {
    fn default() -> Self {
        FacetOptions {
            query: "*".to_owned(),
            filters: Filters::default(),
            conjunction: false,
            by: Period::Year,
            top: 10,
            cooccur: None,
            timelines: Vec::new(),
            normalize: false,
        }
    }
}

/// Entities found in the same passages as one entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Cooccurrence {
    /// The entity asked about (type, canonical name).
    pub entity: (EntityKind, String),
    /// Matching passages that mention it.
    pub passages: u64,
    /// Other entities in those passages, with the number of passages, most first.
    pub entities: Vec<(EntityKind, String, u64)>,
}

/// Articles and passages, of one period or in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    /// Articles (each counted once, in the period of its date).
    pub articles: u64,
    /// Passages.
    pub passages: u64,
}

impl Tally {
    /// `self` as a share of `total`, articles and passages apart (0 where
    /// the total is 0).
    pub fn share_of(&self, total: &Tally) -> (f64, f64) {
        let share = |part: u64, whole: u64| {
            if whole == 0 {
                0.0
            } else {
                part as f64 / whole as f64
            }
        };
        (
            share(self.articles, total.articles),
            share(self.passages, total.passages),
        )
    }
}

/// One line of a timeline: what it counts and its counts per period.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// What was asked for: the query, or the `--timeline` text.
    pub name: String,
    /// The entity the name stands for, when it named one.
    pub entity: Option<(EntityKind, String)>,
    /// Matching articles and passages in all.
    pub total: Tally,
    /// Of those, the ones without a date.
    pub undated: Tally,
    /// Per period of [`Timelines::periods`], in the same order.
    pub counts: Vec<Tally>,
}

/// Series counted over the same calendar periods.
#[derive(Debug, Clone, PartialEq)]
pub struct Timelines {
    /// The size of the periods.
    pub by: Period,
    /// Whether the series are the `--timeline`s asked for (else the one
    /// series is the matches themselves).
    pub asked: bool,
    /// The first day of each period, from the first to the last period any
    /// series (or the totals) has a count in, empty ones included.
    pub periods: Vec<NaiveDate>,
    /// The series: the matches themselves, or one per `--timeline`.
    pub series: Vec<Series>,
    /// With `normalize`: every article and passage that passes the filters
    /// (whatever the query), per period.
    pub totals: Option<Vec<Tally>>,
}

/// The counts of a facets request.
#[derive(Debug, Clone)]
pub struct FacetCounts {
    /// The query as given.
    pub query: String,
    /// The filters as given.
    pub filters: Filters,
    /// Matching passages.
    pub passages: u64,
    /// Articles with at least one matching passage.
    pub articles: u64,
    /// Top entities per type (person, org, place, misc), by articles.
    pub entities: Vec<(EntityKind, Vec<(String, u64)>)>,
    /// Articles per language, most first.
    pub languages: Vec<(String, u64)>,
    /// Articles per source, most first.
    pub sources: Vec<(String, u64)>,
    /// Articles per country they are about, most first.
    pub countries: Vec<(String, u64)>,
    /// Bucket size of `histogram` and `timelines`.
    pub by: Period,
    /// Articles per period, in calendar order, empty periods included.
    pub histogram: Vec<(String, u64)>,
    /// Matching articles without a date (of the kind `filters.date` chooses).
    pub undated: u64,
    /// Articles and passages per period, per series.
    pub timelines: Timelines,
    /// Co-occurrence counts, when asked for.
    pub cooccur: Option<Cooccurrence>,
}

/// Whether `text` reads as a query rather than as a name: it uses the
/// query grammar's operators, fields or wildcards.
fn is_query(text: &str) -> bool {
    text.contains([':', '"', '(', ')', '*', '+', '^', '[', '{', '~'])
        || text.starts_with('-')
        || text
            .split_whitespace()
            .any(|word| matches!(word, "AND" | "OR" | "NOT"))
}

/// Counts facets of the passages matching `options`.
pub fn facets(index: &GazetteIndex, options: &FacetOptions) -> Result<FacetCounts> {
    let reader = index.index.reader()?;
    let searcher = reader.searcher();
    let fields = &index.fields;
    let catalog = EntityCatalog::new(&searcher, fields, &index.authority)?;
    let plan = |query: &str, filters: &Filters| {
        plan_query(
            &searcher,
            fields,
            &catalog,
            query,
            filters,
            options.conjunction,
        )
        .map(|(query, _)| query)
    };
    let base = plan(&options.query, &options.filters)?;
    let docs = searcher.search(&*base, &DocSetCollector)?;
    let counted = count_articles(&searcher, &docs, options)?;

    let mut series = Vec::new();
    if options.timelines.is_empty() {
        series.push((options.query.clone(), None, counted.calendar.clone()));
    }
    for text in &options.timelines {
        let mut entities = if is_query(text) {
            Vec::new()
        } else {
            catalog.lookup(None, text)?
        };
        let mut restriction = None;
        if !entities.is_empty() {
            // An alias of the authority whose entity no article names is
            // taken for words: "oil" is a word before it is an acronym.
            let query = catalog.article_query(&entities)?;
            if searcher.search(&*query, &Count)? > 0 {
                restriction = Some(query);
            } else {
                entities.clear();
            }
        }
        let restriction = match restriction {
            Some(query) => query,
            None => plan(text, &Filters::default())?,
        };
        let query = BooleanQuery::new(vec![
            (Occur::Must, base.box_clone()),
            (Occur::Must, restriction),
        ]);
        let docs = searcher.search(&query, &DocSetCollector)?;
        let calendar = count_articles(&searcher, &docs, options)?.calendar;
        series.push((text.clone(), entities.into_iter().next(), calendar));
    }
    let totals = if options.normalize {
        let everything = plan("*", &options.filters)?;
        let docs = searcher.search(&*everything, &DocSetCollector)?;
        Some(count_articles(&searcher, &docs, options)?.calendar)
    } else {
        None
    };
    let timelines = align(options.by, !options.timelines.is_empty(), series, totals);

    let entities = article_entity_counts(&searcher, fields, &counted.seen)?;
    let mut per_kind: Vec<(EntityKind, Vec<(String, u64)>)> = EntityKind::ALL
        .iter()
        .map(|kind| (*kind, Vec::new()))
        .collect();
    for ((kind, name), count) in entities {
        if let Some((_, list)) = per_kind.iter_mut().find(|(k, _)| *k == kind) {
            list.push((name, count));
        }
    }
    for (_, list) in &mut per_kind {
        *list = top(std::mem::take(list), options.top);
    }
    let mut counts = FacetCounts {
        query: options.query.clone(),
        filters: options.filters.clone(),
        passages: docs.len() as u64,
        articles: counted.seen.len() as u64,
        entities: per_kind,
        languages: top(counted.languages.into_iter().collect(), options.top),
        sources: top(counted.sources.into_iter().collect(), options.top),
        countries: top(counted.countries.into_iter().collect(), options.top),
        by: options.by,
        histogram: counted.calendar.histogram(options.by),
        undated: counted.calendar.undated.articles,
        timelines,
        cooccur: None,
    };

    if let Some(name) = &options.cooccur {
        let entities = catalog.resolve(None, name)?;
        let query = BooleanQuery::new(vec![
            (Occur::Must, base),
            (Occur::Must, entity_query(fields.passage_entity, &entities)),
        ]);
        let docs = searcher.search(&query, &DocSetCollector)?;
        counts.cooccur = Some(cooccurrence(
            &searcher,
            fields,
            &docs,
            entities,
            options.top,
        )?);
    }
    Ok(counts)
}

/// Articles and passages per calendar period, by the first day of each.
#[derive(Debug, Clone, Default)]
struct Calendar {
    periods: BTreeMap<NaiveDate, Tally>,
    undated: Tally,
}

impl Calendar {
    fn tally(&mut self, date: Option<NaiveDate>) -> &mut Tally {
        match date {
            Some(start) => self.periods.entry(start).or_default(),
            None => &mut self.undated,
        }
    }

    /// Articles per period, from the first to the last with a count.
    fn histogram(&self, by: Period) -> Vec<(String, u64)> {
        let (Some(first), Some(last)) = (self.periods.keys().next(), self.periods.keys().last())
        else {
            return Vec::new();
        };
        periods_between(by, *first, *last)
            .into_iter()
            .map(|start| {
                let count = self.periods.get(&start).map_or(0, |tally| tally.articles);
                (by.label(start), count)
            })
            .collect()
    }
}

/// The first day of every period from the one starting on `first` to the
/// one starting on `last`.
fn periods_between(by: Period, first: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut current = Some(first);
    while let Some(start) = current.filter(|start| *start <= last) {
        out.push(start);
        current = by.next(start);
    }
    out
}

/// A series as counted: its name, the entity it names, its calendar.
type Counted = (String, Option<(EntityKind, String)>, Calendar);

/// Puts every series (and the totals) on the same periods.
fn align(by: Period, asked: bool, series: Vec<Counted>, totals: Option<Calendar>) -> Timelines {
    let calendars = series
        .iter()
        .map(|(_, _, calendar)| calendar)
        .chain(totals.as_ref());
    let first = calendars
        .clone()
        .filter_map(|calendar| calendar.periods.keys().next())
        .min();
    let last = calendars
        .filter_map(|calendar| calendar.periods.keys().last())
        .max();
    let periods = match (first, last) {
        (Some(first), Some(last)) => periods_between(by, *first, *last),
        _ => Vec::new(),
    };
    let on_periods = |calendar: &Calendar| -> Vec<Tally> {
        periods
            .iter()
            .map(|start| calendar.periods.get(start).copied().unwrap_or_default())
            .collect()
    };
    let series = series
        .into_iter()
        .map(|(name, entity, calendar)| {
            let mut total = calendar.undated;
            for tally in calendar.periods.values() {
                total.articles += tally.articles;
                total.passages += tally.passages;
            }
            Series {
                name,
                entity,
                total,
                undated: calendar.undated,
                counts: on_periods(&calendar),
            }
        })
        .collect();
    let totals = totals.as_ref().map(on_periods);
    Timelines {
        by,
        asked,
        periods,
        series,
        totals,
    }
}

/// What [`count_articles`] finds.
struct ArticleCounts {
    /// The ids of the articles.
    seen: FxHashSet<String>,
    languages: HashMap<String, u64>,
    sources: HashMap<String, u64>,
    countries: HashMap<String, u64>,
    calendar: Calendar,
}

/// Counts the articles of `docs` (each once, by its first passage there)
/// by language, source and period, and the passages by period.
fn count_articles(
    searcher: &Searcher,
    docs: &HashSet<DocAddress>,
    options: &FacetOptions,
) -> Result<ArticleCounts> {
    let mut seen: FxHashSet<String> = FxHashSet::default();
    let mut languages: HashMap<String, u64> = HashMap::new();
    let mut sources: HashMap<String, u64> = HashMap::new();
    let mut countries: HashMap<String, u64> = HashMap::new();
    let mut calendar = Calendar::default();
    let by = options.by;
    for (segment_ord, doc_ids) in by_segment(docs) {
        let segment = searcher.segment_reader(segment_ord);
        let fast = segment.fast_fields();
        let Some(ids) = fast.str("article_id")? else {
            continue;
        };
        let langs = fast.str("lang")?;
        let source_column = fast.str("source")?;
        let country_column = fast.str("countries")?;
        let mut country_ords: HashMap<u64, u64> = HashMap::new();
        let dates = fast.date(options.filters.date.column())?;
        let period = |doc: u32| {
            dates
                .first(doc)
                .and_then(|date| DateTime::from_timestamp(date.into_timestamp_secs(), 0))
                .map(|date| by.start(date.date_naive()))
        };
        // The first matching passage of each of the segment's articles.
        let mut firsts: BTreeMap<u64, u32> = BTreeMap::new();
        for doc in doc_ids {
            calendar.tally(period(doc)).passages += 1;
            if let Some(ord) = ids.term_ords(doc).next() {
                firsts.entry(ord).or_insert(doc);
            }
        }
        let ords: Vec<u64> = firsts.keys().copied().collect();
        let names = dictionary_terms(ids.dictionary(), &ords)?;
        let mut language_ords: HashMap<u64, u64> = HashMap::new();
        let mut source_ords: HashMap<u64, u64> = HashMap::new();
        for (&doc, id) in firsts.values().zip(names) {
            if !seen.insert(id) {
                continue;
            }
            for (column, counts) in [
                (&langs, &mut language_ords),
                (&source_column, &mut source_ords),
            ] {
                if let Some(ord) = column.as_ref().and_then(|c| c.term_ords(doc).next()) {
                    *counts.entry(ord).or_default() += 1;
                }
            }
            for ord in country_column.iter().flat_map(|c| c.term_ords(doc)) {
                *country_ords.entry(ord).or_default() += 1;
            }
            calendar.tally(period(doc)).articles += 1;
        }
        add_named(&langs, language_ords, &mut languages)?;
        add_named(&source_column, source_ords, &mut sources)?;
        add_named(&country_column, country_ords, &mut countries)?;
    }
    Ok(ArticleCounts {
        seen,
        languages,
        sources,
        countries,
        calendar,
    })
}

/// Per entity, how many of the articles `ids` mention it. An article's
/// entities are the union of its passages' entity values and of the
/// article-level values of entities no passage holds; each counts once per
/// article.
fn article_entity_counts(
    searcher: &Searcher,
    fields: &Fields,
    ids: &FxHashSet<String>,
) -> Result<HashMap<(EntityKind, String), u64>> {
    let passages = searcher.search(
        &TermSetQuery::new(
            ids.iter()
                .map(|id| Term::from_field_text(fields.article_id, id)),
        ),
        &DocSetCollector,
    )?;
    let entity_fields =
        [fields.passage_entity, fields.entity].map(|field| fields.schema.get_field_name(field));
    // Entities and articles are numbered as first met: each segment decodes
    // its dictionary entries once, and articles collect numbers.
    let mut entities: Vec<(EntityKind, String)> = Vec::new();
    let mut entity_numbers: FxHashMap<(EntityKind, String), u32> = FxHashMap::default();
    let mut article_numbers: FxHashMap<String, u32> = FxHashMap::default();
    let mut per_article: Vec<Vec<u32>> = Vec::new();
    for (segment_ord, doc_ids) in by_segment(&passages) {
        let segment = searcher.segment_reader(segment_ord);
        let Some(article_column) = segment.fast_fields().str("article_id")? else {
            continue;
        };
        let article_ords = sorted_distinct(
            doc_ids
                .iter()
                .flat_map(|doc| article_column.term_ords(*doc).next()),
        );
        let ids = dictionary_terms(article_column.dictionary(), &article_ords)?;
        let mut article_of_ord = ByOrd::new(article_column.dictionary().num_terms());
        for (ord, id) in article_ords.into_iter().zip(ids) {
            let next = article_numbers.len() as u32;
            let number = *article_numbers.entry(id).or_insert(next);
            if number == next {
                per_article.push(Vec::new());
            }
            article_of_ord.set(ord, number);
        }
        for field in entity_fields {
            // A segment none of whose passages names an entity has no column.
            let Some(reader) = segment.fast_fields().str(field)? else {
                continue;
            };
            let ords = sorted_distinct(doc_ids.iter().flat_map(|doc| reader.term_ords(*doc)));
            let values = dictionary_terms(reader.dictionary(), &ords)?;
            let mut entity_of_ord = ByOrd::new(reader.dictionary().num_terms());
            for (ord, value) in ords.into_iter().zip(values) {
                let Some(entity) = entity_of_value(&value) else {
                    continue;
                };
                let next = entities.len() as u32;
                let number = *entity_numbers.entry(entity.clone()).or_insert(next);
                if number == next {
                    entities.push(entity);
                }
                entity_of_ord.set(ord, number);
            }
            for &doc in &doc_ids {
                let Some(list) = article_column
                    .term_ords(doc)
                    .next()
                    .and_then(|ord| article_of_ord.get(ord))
                    .and_then(|article| per_article.get_mut(article as usize))
                else {
                    continue;
                };
                list.extend(
                    reader
                        .term_ords(doc)
                        .filter_map(|ord| entity_of_ord.get(ord)),
                );
            }
        }
    }
    let mut counts = vec![0u64; entities.len()];
    for mut list in per_article {
        list.sort_unstable();
        list.dedup();
        for number in list {
            if let Some(count) = counts.get_mut(number as usize) {
                *count += 1;
            }
        }
    }
    Ok(entities.into_iter().zip(counts).collect())
}

fn cooccurrence(
    searcher: &Searcher,
    fields: &Fields,
    docs: &HashSet<DocAddress>,
    entities: Vec<(EntityKind, String)>,
    limit: usize,
) -> Result<Cooccurrence> {
    let mut counts = passage_entity_counts(
        searcher,
        docs,
        fields.schema.get_field_name(fields.passage_entity),
    )?;
    counts.retain(|entity, _| !entities.contains(entity));
    let mut list: Vec<(EntityKind, String, u64)> = counts
        .into_iter()
        .map(|((kind, name), count)| (kind, name, count))
        .collect();
    list.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| (a.0, &a.1).cmp(&(b.0, &b.1))));
    list.truncate(limit);
    let entity = entities
        .into_iter()
        .next()
        .unwrap_or((EntityKind::Misc, String::new()));
    Ok(Cooccurrence {
        entity,
        passages: docs.len() as u64,
        entities: list,
    })
}

/// Numbers by dictionary ordinal, for one segment's column: ordinals are
/// dense, so a vector beats hashing one for every document.
struct ByOrd(Vec<u32>);

impl ByOrd {
    const NONE: u32 = u32::MAX;

    /// For a dictionary of `terms` terms.
    fn new(terms: usize) -> ByOrd {
        ByOrd(vec![Self::NONE; terms])
    }

    fn set(&mut self, ord: u64, number: u32) {
        if let Some(slot) = usize::try_from(ord)
            .ok()
            .and_then(|ord| self.0.get_mut(ord))
        {
            *slot = number;
        }
    }

    fn get(&self, ord: u64) -> Option<u32> {
        usize::try_from(ord)
            .ok()
            .and_then(|ord| self.0.get(ord))
            .copied()
            .filter(|number| *number != Self::NONE)
    }
}

/// Per entity value of field `field`, on how many of `docs` it is.
fn passage_entity_counts(
    searcher: &Searcher,
    docs: &HashSet<DocAddress>,
    field: &str,
) -> Result<HashMap<(EntityKind, String), u64>> {
    let mut counts: HashMap<(EntityKind, String), u64> = HashMap::new();
    for (segment_ord, doc_ids) in by_segment(docs) {
        let Some(reader) = searcher
            .segment_reader(segment_ord)
            .fast_fields()
            .str(field)?
        else {
            continue;
        };
        let mut by_ord: BTreeMap<u64, u64> = BTreeMap::new();
        for doc in doc_ids {
            for ord in reader.term_ords(doc) {
                *by_ord.entry(ord).or_default() += 1;
            }
        }
        let ords: Vec<u64> = by_ord.keys().copied().collect();
        let values = dictionary_terms(reader.dictionary(), &ords)?;
        for (value, count) in values.into_iter().zip(by_ord.into_values()) {
            if let Some(entity) = entity_of_value(&value) {
                *counts.entry(entity).or_default() += count;
            }
        }
    }
    Ok(counts)
}

/// Adds the counts of a string column's ords to `counts`, by name.
fn add_named(
    column: &Option<StrColumn>,
    by_ord: HashMap<u64, u64>,
    counts: &mut HashMap<String, u64>,
) -> Result<()> {
    let Some(column) = column else {
        return Ok(());
    };
    let mut by_ord: Vec<(u64, u64)> = by_ord.into_iter().collect();
    by_ord.sort_unstable();
    let ords: Vec<u64> = by_ord.iter().map(|(ord, _)| *ord).collect();
    let names = dictionary_terms(column.dictionary(), &ords)?;
    for (name, (_, count)) in names.into_iter().zip(by_ord) {
        *counts.entry(name).or_default() += count;
    }
    Ok(())
}

/// The `limit` largest counts, ties by name.
fn top(mut list: Vec<(String, u64)>, limit: usize) -> Vec<(String, u64)> {
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list.truncate(limit);
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calendar(dates: &[(i32, u32, u32)], by: Period) -> Vec<(String, u64)> {
        let mut calendar = Calendar::default();
        for (year, month, day) in dates {
            let date = NaiveDate::from_ymd_opt(*year, *month, *day).expect("a date");
            calendar.tally(Some(by.start(date))).articles += 1;
        }
        calendar.histogram(by)
    }

    fn labels(histogram: &[(String, u64)]) -> Vec<&str> {
        histogram.iter().map(|(label, _)| label.as_str()).collect()
    }

    #[test]
    fn calendar_buckets_include_empty_periods() {
        let months = calendar(
            &[(2023, 11, 3), (2023, 11, 30), (2024, 2, 29)],
            Period::Month,
        );
        assert_eq!(
            labels(&months),
            ["2023-11", "2023-12", "2024-01", "2024-02"]
        );
        assert_eq!(months.iter().map(|(_, c)| c).sum::<u64>(), 3);
        assert_eq!(
            calendar(&[(2019, 6, 1), (2021, 1, 1), (2021, 12, 31)], Period::Year),
            vec![
                ("2019".to_owned(), 1),
                ("2020".to_owned(), 0),
                ("2021".to_owned(), 2)
            ]
        );
    }

    // See: issue 18
    #[test]
    fn issue_18_quarters_start_in_january_april_july_and_october() {
        let quarters = calendar(
            &[
                (2023, 12, 31),
                (2024, 1, 1),
                (2024, 3, 31),
                (2024, 4, 1),
                (2024, 10, 1),
            ],
            Period::Quarter,
        );
        assert_eq!(
            quarters,
            vec![
                ("2023-Q4".to_owned(), 1),
                ("2024-Q1".to_owned(), 2),
                ("2024-Q2".to_owned(), 1),
                ("2024-Q3".to_owned(), 0),
                ("2024-Q4".to_owned(), 1),
            ]
        );
    }

    // See: issue 18
    #[test]
    fn issue_18_weeks_are_iso_weeks_from_monday_to_sunday() {
        // 2024-12-30 is a Monday whose Thursday is in 2025: week 1 of 2025.
        // 2021-01-03 is a Sunday in the last week of 2020 (a 53-week year).
        let weeks = calendar(
            &[(2024, 12, 29), (2024, 12, 30), (2025, 1, 5), (2025, 1, 6)],
            Period::Week,
        );
        assert_eq!(
            weeks,
            vec![
                ("2024-W52".to_owned(), 1),
                ("2025-W01".to_owned(), 2),
                ("2025-W02".to_owned(), 1),
            ]
        );
        let start = |y, m, d| Period::Week.start(NaiveDate::from_ymd_opt(y, m, d).expect("date"));
        assert_eq!(Period::Week.label(start(2021, 1, 3)), "2020-W53");
        assert_eq!(start(2021, 1, 3), start(2020, 12, 28));
        assert_eq!(Period::Week.label(start(2021, 1, 4)), "2021-W01");
    }

    // See: issue 18
    #[test]
    fn issue_18_days_cross_months_and_leap_days() {
        let days = calendar(&[(2024, 2, 28), (2024, 3, 1)], Period::Day);
        assert_eq!(labels(&days), ["2024-02-28", "2024-02-29", "2024-03-01"]);
        assert_eq!(
            days.iter().map(|(_, c)| c).collect::<Vec<_>>(),
            [&1, &0, &1]
        );
    }

    #[test]
    fn shares_are_of_the_period_total() {
        let part = Tally {
            articles: 1,
            passages: 3,
        };
        let whole = Tally {
            articles: 4,
            passages: 6,
        };
        assert_eq!(part.share_of(&whole), (0.25, 0.5));
        assert_eq!(part.share_of(&Tally::default()), (0.0, 0.0));
    }

    #[test]
    fn query_syntax_is_told_from_names() {
        assert!(!is_query("Gustavo Petro"));
        assert!(!is_query("EE.UU."));
        assert!(is_query("person:Petro"));
        assert!(is_query("\"gold mining\""));
        assert!(is_query("gold AND mining"));
        assert!(is_query("-mining"));
        assert!(is_query("min*"));
    }
}
