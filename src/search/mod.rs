//! search: answering a query with ranked, highlighted passages.
//!
//! Owns the read side up to plain data: the query mapped over the
//! languages present (`query`), filters (`filters`), ranking (BM25 over
//! passages, or by date), collapsing per article, and highlight spans
//! (`highlight`). It returns [`Hit`]s with byte ranges; turning them into
//! colours, markers or JSON offsets is `output`'s job.

mod entities;
mod facets;
mod filters;
mod highlight;
mod query;
mod stats;
mod top;

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use chrono::{DateTime, Utc};
use tantivy::collector::sort_key::{SortByStaticFastValue, SortByString};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::Value;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument};

use crate::analyze::Entity;
use crate::index::{entity_of_value, stored_entities, GazetteIndex};
use crate::schema::{analyzer_for, Fields};
use crate::{Error, Result};

pub use entities::EntityCatalog;
pub use facets::{
    facets, Cooccurrence, FacetCounts, FacetOptions, Period, Series, Tally, Timelines,
};
pub use filters::{DateBasis, DateRange, EntityScope, Filters};
pub use highlight::Highlighter;
pub use query::{Pattern, PlannedQuery, QueryPlanner};
pub use stats::{stats, IndexStats};
use top::TopByScore;

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// By BM25 score.
    #[default]
    Relevance,
    /// Most recent first (by the date `Filters::date` chooses).
    Newest,
    /// Earliest first (by the date `Filters::date` chooses).
    Oldest,
}

/// A search request.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// The query string (tantivy's query grammar; `*` matches everything).
    pub query: String,
    /// Filters every hit must pass.
    pub filters: Filters,
    /// Hits to return; `None` returns them all.
    pub limit: Option<usize>,
    /// At most this many passages per article (1 or more; `Some(0)` is
    /// refused).
    pub per_article: Option<usize>,
    /// Order of hits.
    pub sort: Sort,
    /// Whether terms without an operator are all required (`AND`) rather
    /// than any of them (`OR`, ranked by BM25).
    pub conjunction: bool,
}

/// One matching passage.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// 1-based rank.
    pub rank: usize,
    /// BM25 score (absent when sorted by date).
    pub score: Option<f32>,
    /// The article's identity.
    pub article_id: String,
    /// Passage number within the article, from 0.
    pub passage: u64,
    /// Code-point offset of the passage within the article text.
    pub passage_start: u64,
    /// Article title.
    pub title: Option<String>,
    /// Published date.
    pub published: Option<DateTime<Utc>>,
    /// Language code.
    pub lang: String,
    /// Source.
    pub source: String,
    /// URL.
    pub url: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// The passage text.
    pub text: String,
    /// Byte ranges of `text` to highlight.
    pub highlights: Vec<Range<usize>>,
    /// The input file.
    pub input: String,
    /// Line or record number within it (0: the whole file).
    pub record: u64,
    /// Entities of the passage, mentions as byte ranges of `text`.
    pub entities: Vec<Entity>,
    /// The countries the passage's article is about.
    pub countries: Vec<String>,
}

/// The answer to a search.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// Passages matching the query and filters (before collapsing).
    pub total_hits: usize,
    /// The hits returned.
    pub hits: Vec<Hit>,
}

/// The languages present in the index with the number of passages in each.
pub fn languages(searcher: &Searcher, fields: &Fields) -> Result<Vec<(String, u64)>> {
    let mut counts: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(fields.lang)?;
        let mut terms = inverted
            .terms()
            .stream()
            .map_err(tantivy::TantivyError::from)?;
        while terms.advance() {
            let code = String::from_utf8_lossy(terms.key()).into_owned();
            *counts.entry(code).or_default() += u64::from(terms.value().doc_freq);
        }
    }
    let mut languages: Vec<_> = counts.into_iter().collect();
    languages.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(languages)
}

/// Runs a search.
pub fn search(index: &GazetteIndex, options: &SearchOptions) -> Result<SearchResults> {
    let reader = index.index.reader()?;
    search_in(&reader.searcher(), index, options)
}

/// Runs a search on an open searcher of `index` (to run many against one reader).
pub fn search_in(
    searcher: &Searcher,
    index: &GazetteIndex,
    options: &SearchOptions,
) -> Result<SearchResults> {
    if options.per_article == Some(0) {
        return Err(Error::Usage(
            "--per-article 0 would show no passage at all: give 1 or more \
             (the most passages shown from any one article), or leave it out \
             to show every matching passage"
                .to_owned(),
        ));
    }
    let fields = &index.fields;
    index.columns.retain(searcher.segment_readers());
    let catalog = EntityCatalog::new(searcher, fields, &index.authority)?;
    let (query, patterns) = plan_query(
        searcher,
        fields,
        &catalog,
        &options.query,
        &options.filters,
        options.conjunction,
    )?;

    let (total_hits, ranked) = match options.limit {
        // Queries tantivy cannot prune (phrases, filters, nested clauses)
        // visit every match to rank them anyway: counted in the same pass.
        Some(limit)
            if options.sort == Sort::Relevance
                && options.per_article.is_none()
                && !prunable(&*query) =>
        {
            let collector = (Count, TopByScore::with_limit(limit, &index.columns));
            let (total_hits, top) = searcher.search(&*query, &collector)?;
            let ranked = top?
                .into_iter()
                .take(limit)
                .map(|(score, address)| Ok((Some(score), address, searcher.doc(address)?)))
                .collect::<Result<Vec<_>>>()?;
            (total_hits, ranked)
        }
        _ => {
            let total_hits = searcher.search(&*query, &Count)?;
            let limit = options.limit.unwrap_or(total_hits);
            let ranked = rank(searcher, index, &*query, options, limit, total_hits)?;
            (total_hits, ranked)
        }
    };

    let mut highlighter = Highlighter::new(patterns);
    let hits = ranked
        .into_iter()
        .enumerate()
        .map(|(position, (score, address, doc))| {
            let mut hit = hit_from_doc(&doc, fields, score, position + 1);
            hit.highlights = highlighter.highlight(&hit.text, analyzer_for(&hit.lang));
            hit.entities = passage_entities(searcher, index, address, &doc)?;
            Ok(hit)
        })
        .collect::<Result<_>>()?;
    Ok(SearchResults {
        query: options.query.clone(),
        total_hits,
        hits,
    })
}

/// The query string and filters as one tantivy query, with the patterns to highlight.
/// Entity names resolve through `catalog`, which the caller keeps for any
/// further names (its entity list is read once).
fn plan_query(
    searcher: &Searcher,
    fields: &Fields,
    catalog: &EntityCatalog,
    query: &str,
    filters: &Filters,
    conjunction: bool,
) -> Result<(Box<dyn Query>, Vec<Pattern>)> {
    let analyzers: BTreeSet<&'static str> = languages(searcher, fields)?
        .iter()
        .map(|(code, _)| analyzer_for(code))
        .collect();
    let planner = QueryPlanner::new(fields, analyzers.into_iter().collect(), conjunction)
        .with_entities(catalog);
    let planned = planner.plan(query)?;
    let filters = filters.clauses(fields, catalog)?;
    if filters.is_empty() {
        // Unwrapped, a union of terms stays one that tantivy's top-k can
        // prune with block-WAND.
        return Ok((planned.query, planned.patterns));
    }
    let mut clauses = vec![(Occur::Must, planned.query)];
    clauses.extend(filters);
    Ok((Box::new(BooleanQuery::new(clauses)), planned.patterns))
}

/// Whether tantivy's top-k can skip matches of `query` (block-WAND over a
/// union of terms, or one term): then counting the matches apart and
/// ranking only the best is cheaper than one pass that scores them all.
fn prunable(query: &dyn Query) -> bool {
    // The planner boosts title fields only; a boosted phrase (`title:"a
    // b"` alone) passes for a term here and is merely ranked in two passes.
    let term = |query: &dyn Query| {
        query.downcast_ref::<TermQuery>().is_some() || query.downcast_ref::<BoostQuery>().is_some()
    };
    term(query)
        || query.downcast_ref::<BooleanQuery>().is_some_and(|union| {
            union
                .clauses()
                .iter()
                .all(|(occur, clause)| *occur == Occur::Should && term(clause.as_ref()))
        })
}

/// The top documents in order, collapsed per article when asked.
fn rank(
    searcher: &Searcher,
    index: &GazetteIndex,
    query: &dyn Query,
    options: &SearchOptions,
    limit: usize,
    total_hits: usize,
) -> Result<Vec<Ranked>> {
    if limit == 0 || total_hits == 0 {
        return Ok(Vec::new());
    }
    let Some(per_article) = options.per_article else {
        let top = top_docs(searcher, index, query, options, limit)?;
        return top
            .into_iter()
            .map(|(score, address)| Ok((score, address, searcher.doc(address)?)))
            .collect();
    };
    // Collapsing needs more candidates than hits; widen the window until
    // enough survive or every match has been seen.
    let mut window = limit.saturating_mul(4).saturating_add(16).min(total_hits);
    loop {
        let top = top_docs(searcher, index, query, options, window)?;
        let exhausted = top.len() < window || window >= total_hits;
        let mut per_id: HashMap<String, usize> = HashMap::new();
        let mut kept = Vec::new();
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let id = text_value(&doc, index.fields.article_id).unwrap_or_default();
            let count = per_id.entry(id).or_default();
            if *count < per_article {
                *count += 1;
                kept.push((score, address, doc));
                if kept.len() == limit {
                    return Ok(kept);
                }
            }
        }
        if exhausted {
            return Ok(kept);
        }
        window = window.saturating_mul(4).min(total_hits);
    }
}

fn top_docs(
    searcher: &Searcher,
    index: &GazetteIndex,
    query: &dyn Query,
    options: &SearchOptions,
    limit: usize,
) -> Result<Vec<(Option<f32>, DocAddress)>> {
    let date_column = options.filters.date.column();
    let by_date = |order| -> Result<Vec<(Option<f32>, DocAddress)>> {
        // Articles of one day in the order of their ids, passages in text
        // order: the same on every build of the index (see `top`).
        let collector = TopDocs::with_limit(limit).order_by((
            (
                SortByStaticFastValue::<tantivy::DateTime>::for_field(date_column),
                order,
            ),
            (SortByString::for_field("article_id"), Order::Asc),
            (
                SortByStaticFastValue::<u64>::for_field("passage"),
                Order::Asc,
            ),
        ));
        Ok(searcher
            .search(query, &collector)?
            .into_iter()
            .map(|(_, address)| (None, address))
            .collect())
    };
    match options.sort {
        Sort::Relevance => Ok(searcher
            .search(query, &TopByScore::with_limit(limit, &index.columns))??
            .into_iter()
            .map(|(score, address)| (Some(score), address))
            .collect()),
        Sort::Newest => by_date(Order::Desc),
        Sort::Oldest => by_date(Order::Asc),
    }
}

fn text_value(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|value| value.as_str())
        .map(str::to_owned)
}

fn hit_from_doc(doc: &TantivyDocument, fields: &Fields, score: Option<f32>, rank: usize) -> Hit {
    let number = |field| {
        doc.get_first(field)
            .and_then(|value| value.as_u64())
            .unwrap_or(0)
    };
    Hit {
        rank,
        score,
        article_id: text_value(doc, fields.article_id).unwrap_or_default(),
        passage: number(fields.passage),
        passage_start: number(fields.passage_start),
        title: text_value(doc, fields.title),
        published: doc
            .get_first(fields.published)
            .and_then(|value| value.as_datetime())
            .and_then(|date| DateTime::from_timestamp(date.into_timestamp_secs(), 0)),
        lang: text_value(doc, fields.lang).unwrap_or_default(),
        source: text_value(doc, fields.source).unwrap_or_default(),
        url: text_value(doc, fields.url),
        author: text_value(doc, fields.author),
        text: text_value(doc, fields.text).unwrap_or_default(),
        highlights: Vec::new(),
        input: text_value(doc, fields.input).unwrap_or_default(),
        record: number(fields.record),
        entities: Vec::new(),
        countries: doc
            .get_all(fields.countries)
            .filter_map(|value| value.as_str())
            .map(str::to_owned)
            .collect(),
    }
}

/// A ranked passage: its score (none when sorted by date), where it is,
/// and its stored fields.
type Ranked = (Option<f32>, DocAddress, TantivyDocument);

/// The entities of the passage at `address` with their mentions: the
/// offsets `doc` stores, the names its `passage_entity` values hold, in
/// the same order (see `index::stored_entities`).
fn passage_entities(
    searcher: &Searcher,
    index: &GazetteIndex,
    address: DocAddress,
    doc: &TantivyDocument,
) -> Result<Vec<Entity>> {
    let Some(stored) = text_value(doc, index.fields.entity_mentions) else {
        return Ok(Vec::new());
    };
    let segment = searcher.segment_reader(address.segment_ord);
    let Some(column) = index.columns.strings(segment, "passage_entity")? else {
        return Ok(Vec::new());
    };
    // The column's values are the field's indexed terms (one term per value,
    // raw), so their ordinals are the same: a term is read from the term
    // dictionary's FST in about a microsecond, where the column's own
    // dictionary decompresses a block per value (some 20 µs, most of a
    // query's time with ten hits).
    let inverted = segment.inverted_index(index.fields.passage_entity)?;
    let terms = inverted.terms();
    let same_ords = terms.num_terms() == column.dictionary().num_terms();
    let mut value = Vec::new();
    let mut values = Vec::new();
    for ord in column.term_ords(address.doc_id) {
        let found = if same_ords {
            terms.ord_to_term(ord, &mut value)
        } else {
            column.ord_to_bytes(ord, &mut value)
        }
        .map_err(tantivy::TantivyError::from)?;
        // An unreadable value keeps its place: the lines pair by position.
        values.push(
            found
                .then(|| std::str::from_utf8(&value).ok().and_then(entity_of_value))
                .flatten(),
        );
    }
    Ok(stored_entities(&stored, values))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::PhraseQuery;
    use tantivy::schema::IndexRecordOption;
    use tantivy::Term;

    #[test]
    fn only_unions_of_terms_are_pruned() {
        let fields = Fields::new();
        let term = |word: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(fields.analyzed("en").text, word),
                IndexRecordOption::WithFreqs,
            ))
        };
        let phrase = || -> Box<dyn Query> {
            Box::new(PhraseQuery::new(vec![
                Term::from_field_text(fields.analyzed("en").text, "de"),
                Term::from_field_text(fields.analyzed("en").text, "la"),
            ]))
        };
        assert!(prunable(&*term("oil")));
        assert!(prunable(&BooleanQuery::new(vec![
            (Occur::Should, term("oil")),
            (Occur::Should, Box::new(BoostQuery::new(term("gold"), 2.0))),
        ])));
        assert!(!prunable(&*phrase()));
        assert!(!prunable(&BooleanQuery::new(vec![
            (Occur::Should, term("oil")),
            (Occur::Should, phrase()),
        ])));
        assert!(!prunable(&BooleanQuery::new(vec![
            (Occur::Must, term("oil")),
            (Occur::Should, term("gold")),
        ])));
    }
    #[test]
    fn hits_name_their_entities_in_the_order_their_mentions_are_stored_after_a_merge() {
        use crate::index::{index_paths, NoProgress};
        let dir = tempfile::tempdir().expect("temp dir");
        let index_dir = dir.path().join("index");
        // The same people and places in different orders: had the names
        // come back in another order than the stored mentions (sorted, say),
        // some mention would be given another entity's name.
        let orders = [
            ["Nicolás Maduro", "Gustavo Petro", "Caracas", "Bogotá"],
            ["Bogotá", "Gustavo Petro", "Nicolás Maduro", "Caracas"],
            ["Caracas", "Nicolás Maduro", "Bogotá", "Gustavo Petro"],
        ];
        for (number, names) in orders.iter().enumerate() {
            let input = dir.path().join(format!("part-{number}.jsonl"));
            let body = format!(
                "Talks today: {} spoke first, then {}, while delegates from {} and {} listened.",
                names[0], names[1], names[2], names[3]
            );
            let line = serde_json::json!({"id": format!("a{number}"), "body": body});
            std::fs::write(&input, format!("{line}\n")).expect("written");
            // One run per file: a segment each.
            index_paths(
                &[input],
                &crate::index::IndexOptions::new(index_dir.clone()),
                &NoProgress,
            )
            .expect("indexed");
        }
        let opened = crate::index::open(&index_dir).expect("opens");
        let segments = opened.index.searchable_segment_ids().expect("segments");
        assert_eq!(segments.len(), 3);
        let mut writer: tantivy::IndexWriter<TantivyDocument> =
            opened.index.writer(50_000_000).expect("writer");
        writer.merge(&segments).wait().expect("merged");
        writer.wait_merging_threads().expect("merges done");

        let opened = crate::index::open(&index_dir).expect("opens");
        // The names are read from the term dictionary, whose ordinals are the
        // column's when both hold the same values.
        let searcher = opened.index.reader().expect("reader").searcher();
        for segment in searcher.segment_readers() {
            let column = segment
                .fast_fields()
                .str("passage_entity")
                .expect("column")
                .expect("values");
            let terms = segment
                .inverted_index(opened.fields.passage_entity)
                .expect("field")
                .terms()
                .num_terms();
            assert_eq!(terms, column.dictionary().num_terms());
        }
        let results = search(
            &opened,
            &SearchOptions {
                query: "talks".to_owned(),
                filters: Filters::default(),
                limit: Some(10),
                per_article: None,
                sort: Sort::Relevance,
                conjunction: false,
            },
        )
        .expect("searched");
        assert_eq!(results.hits.len(), 3);
        for hit in &results.hits {
            let mut names: Vec<&str> = hit.entities.iter().map(|e| e.name.as_str()).collect();
            names.sort_unstable();
            assert_eq!(
                names,
                ["Bogotá", "Caracas", "Gustavo Petro", "Nicolás Maduro"]
            );
            for entity in &hit.entities {
                for mention in &entity.mentions {
                    assert_eq!(hit.text.get(mention.clone()), Some(entity.name.as_str()));
                }
            }
        }
    }
}
