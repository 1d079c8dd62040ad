//! `gazette facets` and `search --facets`: what the matching articles are
//! about, where they come from and when they were published.
//!
//! Counts are of articles (an article with several matching passages
//! counts once), except co-occurrence, which counts passages. Calendar
//! buckets (year, month) are computed here from the `published` fast
//! field: tantivy's date histogram has fixed-length intervals only, and
//! months are not fixed-length.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike};
use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::collector::DocSetCollector;
use tantivy::columnar::StrColumn;
use tantivy::query::{BooleanQuery, Occur, Query, TermSetQuery};
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
    /// `2024-03`.
    Month,
}

/// A facets request.
#[derive(Debug, Clone)]
pub struct FacetOptions {
    /// The query (`*` for every passage).
    pub query: String,
    /// Filters, as for a search.
    pub filters: Filters,
    /// Whether query terms are all required.
    pub conjunction: bool,
    /// Histogram bucket size.
    pub by: Period,
    /// How many entities, languages and sources of each kind to list.
    pub top: usize,
    /// Count the entities in the same passages as this one.
    pub cooccur: Option<String>,
    /// Restrict everything to articles mentioning this entity (a timeline).
    pub timeline: Option<String>,
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

/// The counts of a facets request.
#[derive(Debug, Clone, PartialEq)]
pub struct FacetCounts {
    /// The query as given.
    pub query: String,
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
    /// Bucket size of `histogram`.
    pub by: Period,
    /// Articles per period, in calendar order, empty periods included.
    pub histogram: Vec<(String, u64)>,
    /// Matching articles without a published date.
    pub undated: u64,
    /// The entity of a timeline, when one was asked for.
    pub timeline: Option<(EntityKind, String)>,
    /// Co-occurrence counts, when asked for.
    pub cooccur: Option<Cooccurrence>,
}

/// Counts facets of the passages matching `options`.
pub fn facets(index: &GazetteIndex, options: &FacetOptions) -> Result<FacetCounts> {
    let reader = index.index.reader()?;
    let searcher = reader.searcher();
    let fields = &index.fields;
    let catalog = EntityCatalog::new(&searcher, fields, &index.authority)?;
    let (base, _) = plan_query(
        &searcher,
        fields,
        &catalog,
        &options.query,
        &options.filters,
        options.conjunction,
    )?;
    let timeline = match &options.timeline {
        Some(name) => Some(catalog.resolve(None, name)?),
        None => None,
    };
    let query: Box<dyn Query> = match &timeline {
        Some(entities) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, base.box_clone()),
            (Occur::Must, catalog.article_query(entities)?),
        ])),
        None => base.box_clone(),
    };
    let docs = searcher.search(&*query, &DocSetCollector)?;
    let mut counts = count_articles(&searcher, fields, &docs, options)?;
    counts.query = options.query.clone();
    counts.timeline = timeline.and_then(|entities| entities.into_iter().next());

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

fn count_articles(
    searcher: &Searcher,
    fields: &Fields,
    docs: &HashSet<DocAddress>,
    options: &FacetOptions,
) -> Result<FacetCounts> {
    let mut seen: FxHashSet<String> = FxHashSet::default();
    let mut languages: HashMap<String, u64> = HashMap::new();
    let mut sources: HashMap<String, u64> = HashMap::new();
    let mut periods: BTreeMap<(i32, u32), u64> = BTreeMap::new();
    let mut undated = 0;
    for (segment_ord, doc_ids) in by_segment(docs) {
        let segment = searcher.segment_reader(segment_ord);
        let fast = segment.fast_fields();
        let Some(ids) = fast.str("article_id")? else {
            continue;
        };
        let langs = fast.str("lang")?;
        let source_column = fast.str("source")?;
        let published = fast.date("published")?;
        // The first matching passage of each of the segment's articles.
        let mut firsts: BTreeMap<u64, u32> = BTreeMap::new();
        for doc in doc_ids {
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
            let date = published
                .first(doc)
                .and_then(|date| DateTime::from_timestamp(date.into_timestamp_secs(), 0));
            match date {
                Some(date) => {
                    let month = match options.by {
                        Period::Year => 1,
                        Period::Month => date.month(),
                    };
                    *periods.entry((date.year(), month)).or_default() += 1;
                }
                None => undated += 1,
            }
        }
        add_named(&langs, language_ords, &mut languages)?;
        add_named(&source_column, source_ords, &mut sources)?;
    }
    let entities = article_entity_counts(searcher, fields, &seen)?;
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
    Ok(FacetCounts {
        query: String::new(),
        passages: docs.len() as u64,
        articles: seen.len() as u64,
        entities: per_kind,
        languages: top(languages.into_iter().collect(), options.top),
        sources: top(sources.into_iter().collect(), options.top),
        by: options.by,
        histogram: calendar(&periods, options.by),
        undated,
        timeline: None,
        cooccur: None,
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

/// Every period from the first to the last with a count, empty ones as 0.
fn calendar(periods: &BTreeMap<(i32, u32), u64>, by: Period) -> Vec<(String, u64)> {
    let (Some((&first, _)), Some((&last, _))) =
        (periods.first_key_value(), periods.last_key_value())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut current = first;
    while current <= last {
        let count = periods.get(&current).copied().unwrap_or(0);
        let label = match by {
            Period::Year => format!("{:04}", current.0),
            Period::Month => format!("{:04}-{:02}", current.0, current.1),
        };
        out.push((label, count));
        current = match by {
            Period::Year => (current.0 + 1, 1),
            Period::Month if current.1 >= 12 => (current.0 + 1, 1),
            Period::Month => (current.0, current.1 + 1),
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_buckets_include_empty_periods() {
        let periods: BTreeMap<(i32, u32), u64> =
            [((2023, 11), 2), ((2024, 2), 1)].into_iter().collect();
        let months = calendar(&periods, Period::Month);
        let labels: Vec<&str> = months.iter().map(|(label, _)| label.as_str()).collect();
        assert_eq!(labels, ["2023-11", "2023-12", "2024-01", "2024-02"]);
        assert_eq!(months.iter().map(|(_, c)| c).sum::<u64>(), 3);
        let years: BTreeMap<(i32, u32), u64> =
            [((2019, 1), 1), ((2021, 1), 4)].into_iter().collect();
        assert_eq!(
            calendar(&years, Period::Year),
            vec![
                ("2019".to_owned(), 1),
                ("2020".to_owned(), 0),
                ("2021".to_owned(), 4)
            ]
        );
    }
}
