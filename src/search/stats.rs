//! `gazette stats`: what an index holds.

use chrono::{DateTime, Utc};
use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::languages;
use crate::index::{disk_size, GazetteIndex};
use crate::Result;

/// Counts and spans of an index.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexStats {
    /// Articles (documents with passage number 0).
    pub articles: u64,
    /// Passages (documents).
    pub passages: u64,
    /// Articles per language, most first.
    pub languages: Vec<(String, u64)>,
    /// Earliest published date.
    pub first_published: Option<DateTime<Utc>>,
    /// Latest published date.
    pub last_published: Option<DateTime<Utc>>,
    /// Articles without a published date.
    pub undated_articles: u64,
    /// Bytes on disk.
    pub index_bytes: u64,
    /// Number of segments.
    pub segments: usize,
}

/// Reads the statistics of an index.
pub fn stats(index: &GazetteIndex) -> Result<IndexStats> {
    let fields = &index.fields;
    let searcher = index.index.reader()?.searcher();
    let first_passage = || -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_u64(fields.passage, 0),
            IndexRecordOption::Basic,
        ))
    };
    let articles = searcher.search(&*first_passage(), &Count)? as u64;
    let mut per_language = Vec::new();
    for (code, _) in languages(&searcher, fields)? {
        let query = BooleanQuery::new(vec![
            (Occur::Must, first_passage()),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(fields.lang, &code),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        let count = searcher.search(&query, &Count)? as u64;
        if count > 0 {
            per_language.push((code, count));
        }
    }
    per_language.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));

    let mut first: Option<i64> = None;
    let mut last: Option<i64> = None;
    let mut dated = 0u64;
    for segment in searcher.segment_readers() {
        let column = segment.fast_fields().date("published")?;
        let passages = segment.fast_fields().u64("passage")?;
        for doc in 0..segment.max_doc() {
            if segment.is_deleted(doc) || passages.first(doc) != Some(0) {
                continue;
            }
            if let Some(date) = column.first(doc) {
                let seconds = date.into_timestamp_secs();
                dated += 1;
                first = Some(first.map_or(seconds, |f| f.min(seconds)));
                last = Some(last.map_or(seconds, |l| l.max(seconds)));
            }
        }
    }
    Ok(IndexStats {
        articles,
        passages: searcher.num_docs(),
        languages: per_language,
        first_published: first.and_then(|s| DateTime::from_timestamp(s, 0)),
        last_published: last.and_then(|s| DateTime::from_timestamp(s, 0)),
        undated_articles: articles.saturating_sub(dated),
        index_bytes: disk_size(&index.dir),
        segments: searcher.segment_readers().len(),
    })
}
