//! The best passages by score, equal scores in a fixed order.
//!
//! tantivy breaks ties by document address, which depends on how indexing
//! threads happened to fill segments: the same collection indexed twice
//! could rank passages of equal score differently, and the last places of
//! a top 10 could change. Here equal scores are ordered by article id and
//! passage number, so a query gives the same hits on any build of the same
//! collection, while a union of terms keeps tantivy's block-WAND pruning.
//!
//! Article ids are read only where scores tie, and passage numbers only
//! where passages of one article tie: opening a segment's column costs
//! about as much as a whole search of a rare term.

use std::cmp::Ordering;
use std::collections::{BTreeSet, BinaryHeap};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::index::ColumnCache;
use crate::index::{dictionary_terms, sorted_distinct};
use crate::Result;

/// Collects the `limit` best documents: by score, then by article id, then
/// by passage number.
pub struct TopByScore {
    limit: usize,
    columns: Arc<ColumnCache>,
}

impl TopByScore {
    /// The best `limit` documents (at least one is kept, as tantivy's
    /// `TopDocs`), reading article ids and passage numbers through `columns`.
    pub fn with_limit(limit: usize, columns: &Arc<ColumnCache>) -> TopByScore {
        TopByScore {
            limit: limit.max(1),
            columns: Arc::clone(columns),
        }
    }
}

/// A scored document of one segment.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    score: Score,
    doc: DocId,
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Candidate {}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Worse is greater, so that a heap's top is the candidate to drop: a
/// lower score, or an equal score later in the segment.
impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then(self.doc.cmp(&other.doc))
    }
}

/// The best documents of one segment by score and document order (what
/// tantivy itself keeps), and every document that scores as the worst of
/// them but lost to it on document order: among those the article ids
/// decide, at harvest.
struct Candidates {
    limit: usize,
    kept: BinaryHeap<Candidate>,
    tied_with_worst: Vec<Candidate>,
}

impl Candidates {
    fn new(limit: usize) -> Candidates {
        Candidates {
            limit,
            kept: BinaryHeap::with_capacity(limit.saturating_add(1).min(1024)),
            tied_with_worst: Vec::new(),
        }
    }

    /// Offers the documents of the segment, in document order.
    fn offer(&mut self, doc: DocId, score: Score) {
        let candidate = Candidate { score, doc };
        if self.kept.len() < self.limit {
            self.kept.push(candidate);
            return;
        }
        let Some(mut worst) = self.kept.peek_mut() else {
            return;
        };
        match score.total_cmp(&worst.score) {
            Ordering::Less => {}
            Ordering::Equal => self.tied_with_worst.push(candidate),
            Ordering::Greater => {
                let dropped = std::mem::replace(&mut *worst, candidate);
                drop(worst);
                let still_tied = self
                    .kept
                    .peek()
                    .is_some_and(|worst| worst.score == dropped.score);
                if still_tied {
                    self.tied_with_worst.push(dropped);
                } else {
                    self.tied_with_worst.clear();
                }
            }
        }
    }

    /// Drops the tied documents (their article ordinals `ords`, in order)
    /// whose article comes after the `limit`-th smallest among them: that
    /// many come before each, so none can make the cut. What keeps a query
    /// whose matches all score the same (`*`) from holding every match.
    fn drop_later_articles(&mut self, ords: Vec<u64>) {
        let Some(last) = self.limit.checked_sub(1) else {
            return;
        };
        let mut sorted = ords.clone();
        if last >= sorted.len() {
            return;
        }
        let cut = *sorted.select_nth_unstable(last).1;
        let mut ords = ords.into_iter();
        self.tied_with_worst
            .retain(|_| ords.next().is_some_and(|ord| ord <= cut));
    }

    /// The score a document must exceed to be offered: just below the
    /// worst kept one once the heap is full, so that ties still reach
    /// [`offer`](Self::offer).
    fn threshold(&self) -> Score {
        match self.kept.peek() {
            Some(worst) if self.kept.len() >= self.limit => worst.score.next_down(),
            _ => Score::MIN,
        }
    }

    /// The `limit` best of `reader`'s documents in order: by score, then
    /// article id (ordinals of one segment's dictionary sort as their
    /// terms), then passage.
    fn ranked(self, segment: &SegmentColumns) -> tantivy::Result<Vec<Candidate>> {
        let mut candidates = self.kept.into_vec();
        candidates.extend(self.tied_with_worst);
        candidates.sort_unstable();
        let ties = candidates
            .windows(2)
            .any(|pair| matches!(pair, [a, b] if a.score == b.score));
        if ties {
            let column = segment.article_ids()?;
            let ords = article_ords(column.as_ref(), &candidates);
            // (candidate, article ordinal, passage number once needed)
            let mut keyed: Vec<(Candidate, u64, u64)> = candidates
                .into_iter()
                .zip(ords)
                .map(|(candidate, ord)| (candidate, ord, 0))
                .collect();
            let order = |a: &(Candidate, u64, u64), b: &(Candidate, u64, u64)| {
                b.0.score
                    .total_cmp(&a.0.score)
                    .then(a.1.cmp(&b.1))
                    .then(a.2.cmp(&b.2))
                    .then(a.0.doc.cmp(&b.0.doc))
            };
            keyed.sort_unstable_by(order);
            // Document order is not passage order where indexing threads
            // split an article between segments that were merged later.
            let one_article_ties = keyed
                .windows(2)
                .any(|pair| matches!(pair, [a, b] if a.0.score == b.0.score && a.1 == b.1));
            if one_article_ties {
                let docs: Vec<DocId> = keyed
                    .iter()
                    .map(|(candidate, _, _)| candidate.doc)
                    .collect();
                for (entry, passage) in keyed.iter_mut().zip(segment.passages(&docs)?) {
                    entry.2 = passage;
                }
                keyed.sort_unstable_by(order);
            }
            candidates = keyed
                .into_iter()
                .map(|(candidate, _, _)| candidate)
                .collect();
        }
        candidates.truncate(self.limit);
        Ok(candidates)
    }
}

/// A segment with the columns that break ties, opened when needed.
struct SegmentColumns {
    ordinal: SegmentOrdinal,
    reader: SegmentReader,
    cache: Arc<ColumnCache>,
}

impl SegmentColumns {
    fn article_ids(&self) -> tantivy::Result<Option<StrColumn>> {
        self.cache.strings(&self.reader, "article_id")
    }

    /// The passage number of each of `docs` (`u64::MAX` for a document without one).
    fn passages(&self, docs: &[DocId]) -> tantivy::Result<Vec<u64>> {
        let column = self.cache.numbers(&self.reader, "passage")?;
        Ok(docs
            .iter()
            .map(|doc| column.first(*doc).unwrap_or(u64::MAX))
            .collect())
    }
}

/// The candidates of one segment.
pub struct SegmentTop {
    segment: SegmentColumns,
    candidates: Candidates,
    /// How many tied documents call for dropping those of later articles.
    drop_at: usize,
}

impl SegmentTop {
    fn offer(&mut self, doc: DocId, score: Score) {
        self.candidates.offer(doc, score);
        let tied = &self.candidates.tied_with_worst;
        if tied.len() > self.drop_at {
            // Only an optimisation: without the column, harvest fails anyway.
            if let Ok(column) = self.segment.article_ids() {
                let ords = article_ords(column.as_ref(), tied);
                self.candidates.drop_later_articles(ords);
            }
            // Passages of one article are not dropped: where they are what
            // piles up, the next attempt waits until twice as many.
            self.drop_at = self
                .drop_at
                .max(self.candidates.tied_with_worst.len().saturating_mul(2));
        }
    }
}

/// The ordinal of each candidate's article id in the dictionary of
/// `column`, its segment's ids (`u64::MAX`, last, for a document without one).
fn article_ords(column: Option<&StrColumn>, candidates: &[Candidate]) -> Vec<u64> {
    candidates
        .iter()
        .map(|candidate| {
            column
                .and_then(|column| column.term_ords(candidate.doc).next())
                .unwrap_or(u64::MAX)
        })
        .collect()
}

/// A segment's best documents, in order.
pub struct SegmentRanked {
    segment: SegmentColumns,
    candidates: Vec<Candidate>,
}

impl SegmentCollector for SegmentTop {
    type Fruit = tantivy::Result<SegmentRanked>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.offer(doc, score);
    }

    fn harvest(self) -> tantivy::Result<SegmentRanked> {
        Ok(SegmentRanked {
            candidates: self.candidates.ranked(&self.segment)?,
            segment: self.segment,
        })
    }
}

/// Merges the segments' best documents into the `limit` best. Equal scores
/// of different segments are ordered by the article ids themselves
/// (ordinals only compare within a segment), looked up only for such ties.
fn merge(segments: Vec<SegmentRanked>, limit: usize) -> Result<Vec<(Score, DocAddress)>> {
    // (candidate, its segment's position in `segments`, its rank there)
    let mut all: Vec<(Candidate, usize, usize)> = segments
        .iter()
        .enumerate()
        .flat_map(|(at, segment)| {
            segment
                .candidates
                .iter()
                .enumerate()
                .map(move |(rank, candidate)| (*candidate, at, rank))
        })
        .collect();
    all.sort_unstable_by(|(a, a_at, a_rank), (b, b_at, b_rank)| {
        b.score
            .total_cmp(&a.score)
            .then(a_at.cmp(b_at))
            .then(a_rank.cmp(b_rank))
    });
    let mut start = 0;
    while start < limit.min(all.len()) {
        let score = all.get(start).map_or(0.0, |(c, _, _)| c.score);
        let end = all
            .iter()
            .skip(start)
            .position(|(c, _, _)| c.score != score)
            .map_or(all.len(), |length| start + length);
        if let Some(tied) = all.get_mut(start..end) {
            let first_segment = tied.first().map(|(_, at, _)| *at);
            if tied.iter().any(|(_, at, _)| Some(*at) != first_segment) {
                order_across_segments(tied, &segments)?;
            }
        }
        start = end;
    }
    all.truncate(limit);
    Ok(all
        .into_iter()
        .filter_map(|(candidate, at, _)| {
            let segment = segments.get(at)?;
            Some((
                candidate.score,
                DocAddress::new(segment.segment.ordinal, candidate.doc),
            ))
        })
        .collect())
}

/// A candidate tied with candidates of other segments, with what orders it
/// among them.
struct Tied {
    /// Its article id (`None`, last, for a document without one).
    id: Option<String>,
    /// Its passage number, read only when needed (else 0).
    passage: u64,
    /// Its segment's position in the merge, and its rank there.
    segment: usize,
    rank: usize,
    candidate: Candidate,
}

impl Tied {
    fn order(&self, other: &Tied) -> Ordering {
        (
            self.id.is_none(),
            &self.id,
            self.passage,
            self.segment,
            self.rank,
        )
            .cmp(&(
                other.id.is_none(),
                &other.id,
                other.passage,
                other.segment,
                other.rank,
            ))
    }
}

/// Orders candidates of equal score from several segments by article id,
/// then passage number (an article split between segments by indexing
/// threads), then their order in their segment.
fn order_across_segments(
    tied: &mut [(Candidate, usize, usize)],
    segments: &[SegmentRanked],
) -> Result<()> {
    let mut keyed: Vec<Tied> = Vec::with_capacity(tied.len());
    for (at, segment) in segments.iter().enumerate() {
        let mine: Vec<(Candidate, usize)> = tied
            .iter()
            .filter(|(_, of, _)| *of == at)
            .map(|(candidate, _, rank)| (*candidate, *rank))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let candidates: Vec<Candidate> = mine.iter().map(|(candidate, _)| *candidate).collect();
        let column = segment.segment.article_ids()?;
        let ords = article_ords(column.as_ref(), &candidates);
        let known = sorted_distinct(ords.iter().copied().filter(|ord| *ord != u64::MAX));
        let ids = match &column {
            Some(column) => dictionary_terms(column.dictionary(), &known)?,
            None => Vec::new(),
        };
        for ((candidate, rank), ord) in mine.into_iter().zip(ords) {
            let id = known
                .binary_search(&ord)
                .ok()
                .and_then(|index| ids.get(index).cloned());
            keyed.push(Tied {
                id,
                passage: 0,
                segment: at,
                rank,
                candidate,
            });
        }
    }
    keyed.sort_unstable_by(Tied::order);
    // Segments holding passages of one article: their passage numbers decide.
    let split: BTreeSet<usize> = keyed
        .windows(2)
        .filter_map(|pair| match pair {
            [a, b] if a.id.is_some() && a.id == b.id && a.segment != b.segment => {
                Some([a.segment, b.segment])
            }
            _ => None,
        })
        .flatten()
        .collect();
    for at in split {
        let Some(segment) = segments.get(at) else {
            continue;
        };
        let docs: Vec<DocId> = keyed
            .iter()
            .filter(|entry| entry.segment == at)
            .map(|entry| entry.candidate.doc)
            .collect();
        let passages = segment.segment.passages(&docs)?;
        let entries = keyed.iter_mut().filter(|entry| entry.segment == at);
        for (entry, passage) in entries.zip(passages) {
            entry.passage = passage;
        }
    }
    keyed.sort_unstable_by(Tied::order);
    for (slot, entry) in tied.iter_mut().zip(keyed) {
        *slot = (entry.candidate, entry.segment, entry.rank);
    }
    Ok(())
}

impl Collector for TopByScore {
    type Fruit = Result<Vec<(Score, DocAddress)>>;
    type Child = SegmentTop;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentTop> {
        Ok(SegmentTop {
            segment: SegmentColumns {
                ordinal: segment,
                reader: reader.clone(),
                cache: Arc::clone(&self.columns),
            },
            candidates: Candidates::new(self.limit),
            drop_at: self.limit.saturating_mul(2).saturating_add(1024),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        segments: Vec<tantivy::Result<SegmentRanked>>,
    ) -> tantivy::Result<Self::Fruit> {
        let segments = segments.into_iter().collect::<tantivy::Result<Vec<_>>>()?;
        Ok(merge(segments, self.limit))
    }

    /// Alone (not in a tuple with another collector), a segment is ranked
    /// with tantivy's pruning: blocks that cannot beat the threshold are
    /// skipped.
    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<tantivy::Result<SegmentRanked>> {
        let mut top = self.for_segment(segment, reader)?;
        let alive = reader.alive_bitset();
        weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
            if alive.is_none_or(|alive| alive.is_alive(doc)) {
                top.offer(doc, score);
            }
            top.candidates.threshold()
        })?;
        Ok(top.harvest())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a full segment keeps and remembers: `(kept, tied)` as
    /// `(doc, score)` and docs, sorted by document.
    fn offered(limit: usize, docs: &[(DocId, Score)]) -> (Vec<(DocId, Score)>, Vec<DocId>) {
        let mut candidates = Candidates::new(limit);
        for (doc, score) in docs {
            candidates.offer(*doc, *score);
        }
        let mut kept: Vec<(DocId, Score)> =
            candidates.kept.iter().map(|c| (c.doc, c.score)).collect();
        kept.sort_by_key(|(doc, _)| *doc);
        let mut tied: Vec<DocId> = candidates.tied_with_worst.iter().map(|c| c.doc).collect();
        tied.sort_unstable();
        (kept, tied)
    }

    #[test]
    fn the_best_are_kept_and_every_tie_with_the_worst_is_remembered() {
        let (kept, tied) = offered(2, &[(0, 1.0), (1, 3.0), (2, 2.0), (3, 0.5)]);
        assert_eq!(kept, [(1, 3.0), (2, 2.0)]);
        assert!(tied.is_empty());
        // Four documents tie for the second place: one kept, three remembered.
        let (kept, tied) = offered(2, &[(0, 2.0), (1, 2.0), (2, 5.0), (3, 2.0), (4, 2.0)]);
        assert_eq!(kept, [(0, 2.0), (2, 5.0)]);
        assert_eq!(tied, [1, 3, 4]);
        // A better score lifts the worst: the old ties are forgotten.
        let (kept, tied) = offered(2, &[(0, 1.0), (1, 1.0), (2, 4.0), (3, 3.0)]);
        assert_eq!(kept, [(2, 4.0), (3, 3.0)]);
        assert!(tied.is_empty());
    }

    #[test]
    fn tied_documents_of_later_articles_are_dropped() {
        let mut candidates = Candidates::new(2);
        for doc in 0..8 {
            candidates.offer(doc, 1.0);
        }
        assert_eq!(candidates.tied_with_worst.len(), 6);
        // Docs 2..8 belong to articles 9, 4, 4, 7, 1, 8: the second smallest
        // is 4, so the two passages of article 4 and article 1 stay.
        candidates.drop_later_articles(vec![9, 4, 4, 7, 1, 8]);
        let tied: Vec<DocId> = candidates.tied_with_worst.iter().map(|c| c.doc).collect();
        assert_eq!(tied, [3, 4, 6]);
        // Fewer tied documents than the limit: nothing to drop.
        let mut few = Candidates::new(5);
        for doc in 0..7 {
            few.offer(doc, 1.0);
        }
        few.drop_later_articles(vec![3, 1]);
        assert_eq!(few.tied_with_worst.len(), 2);
    }

    /// Passage 1 of article `a` and article `b` in one segment, passage 0
    /// of `a` in another (indexing threads split articles so), every
    /// passage scoring the same: `a`'s passages come first, in text order,
    /// across the two segments and once they are merged in the order that
    /// puts passage 1 first.
    #[test]
    fn passages_of_one_article_tie_in_text_order_across_and_within_segments() {
        use tantivy::schema::Value;
        let dir = tempfile::tempdir().expect("temp dir");
        let index = crate::index::open_or_create(dir.path()).expect("created");
        let mut writer: tantivy::IndexWriter = index.index.writer(15_000_000).expect("writer");
        let passage = |id: &str, number: u64| {
            let mut doc = tantivy::TantivyDocument::default();
            doc.add_text(index.fields.article_id, id);
            doc.add_u64(index.fields.passage, number);
            doc
        };
        writer.add_document(passage("a", 1)).expect("added");
        writer.add_document(passage("b", 0)).expect("added");
        writer.commit().expect("committed");
        writer.add_document(passage("a", 0)).expect("added");
        writer.commit().expect("committed");
        let top = |index: &crate::index::GazetteIndex| -> Vec<(String, u64)> {
            let searcher = index.index.reader().expect("reader").searcher();
            let collector = TopByScore::with_limit(2, &index.columns);
            let ranked = searcher
                .search(&tantivy::query::AllQuery, &collector)
                .expect("searched")
                .expect("ranked");
            ranked
                .into_iter()
                .map(|(_, address)| {
                    let doc: tantivy::TantivyDocument = searcher.doc(address).expect("doc");
                    let id = doc
                        .get_first(index.fields.article_id)
                        .and_then(|v| v.as_str());
                    let number = doc.get_first(index.fields.passage).and_then(|v| v.as_u64());
                    (
                        id.unwrap_or_default().to_owned(),
                        number.unwrap_or(u64::MAX),
                    )
                })
                .collect()
        };
        let expected = [("a".to_owned(), 0), ("a".to_owned(), 1)];
        assert_eq!(top(&index), expected, "across segments");
        // Merged with the segment holding passage 1 first.
        let mut segments = index.index.searchable_segment_metas().expect("metas");
        segments.sort_by_key(|meta| std::cmp::Reverse(meta.num_docs()));
        let ids: Vec<_> = segments.iter().map(|meta| meta.id()).collect();
        writer.merge(&ids).wait().expect("merged");
        writer.wait_merging_threads().expect("merges done");
        let reopened = crate::index::open(dir.path()).expect("reopened");
        let searcher = reopened.index.reader().expect("reader").searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        assert_eq!(top(&reopened), expected, "within one segment");
    }

    #[test]
    fn a_full_heap_lets_ties_with_its_worst_through() {
        let mut candidates = Candidates::new(2);
        assert_eq!(candidates.threshold(), Score::MIN);
        candidates.offer(0, 2.0);
        assert_eq!(candidates.threshold(), Score::MIN);
        candidates.offer(1, 3.0);
        assert!(candidates.threshold() < 2.0 && candidates.threshold() > 1.99);
    }
}
