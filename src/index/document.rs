//! From an analyzed [`Article`] to one tantivy document per passage.
//!
//! Entities go in three fields: each passage's own as indexed strings with
//! a fast column (`passage_entity`, see [`entity_value`]), the mentions of
//! each of them as a line of byte offsets into the passage text
//! (`mention_offsets`, a line per `passage_entity` value and in the same
//! order; an internal format that [`stored_entities`] reads back with the
//! values, not a wire format), and, on the first passage (`entity`), the article's
//! entities that no passage holds (a mention across a passage boundary). An
//! article's entities are the union of its passages' and those: search takes
//! that union instead of indexing every entity twice (the article-level
//! values were a fifth of the entity work at indexing, `benches/README.md`).

use std::ops::Range;

use chrono::{DateTime, Datelike, Utc};
use tantivy::schema::document::ReferenceValueLeaf;
use tantivy::schema::Facet;
use tantivy::{DateTime as TantivyDate, TantivyDocument};

use crate::analyze::{Article, Entity, EntityKind};
use crate::schema::{analyzer_for, Fields};

/// The documents of one article, one per passage, in passage order.
/// `input_key` is the canonical path of the input (see `Fields::input_key`).
pub fn passage_documents(
    article: &Article,
    input_key: &str,
    fields: &Fields,
) -> Vec<TantivyDocument> {
    let analyzed = fields.analyzed(analyzer_for(&article.language.code));
    let input = article.input.display().to_string();
    // Once per article, not per passage: it is formatted from the date.
    let effective_date = article.published.or(article.crawled);
    let calendar_facet = effective_date.map(date_facet);
    let placement = passage_mentions(&article.entities, &article.passages);
    let mut unplaced = placement.placed.as_slice();
    let title_len = article.title.as_ref().map_or(0, String::len);
    // Buffers reused from passage to passage: the document copies them.
    let (mut value, mut mentions) = (String::new(), String::new());
    let mut char_offset = 0u64;
    let mut byte_offset = 0usize;
    article
        .passages
        .iter()
        .enumerate()
        .map(|(number, range)| {
            let text = article.text.get(range.clone()).unwrap_or_default();
            char_offset += article
                .text
                .get(byte_offset..range.start)
                .map_or(0, |gap| gap.chars().count() as u64);
            byte_offset = range.start;

            let here = unplaced.partition_point(|placed| placed.passage == number);
            let (own, rest) = unplaced.split_at(here);
            unplaced = rest;
            // Room for every value from the start: the document's buffer
            // otherwise grows, copying the passage text, two or three times.
            // A placed mention takes some 64 bytes: its share of an entity
            // value and of a stored line.
            let mut doc = TantivyDocument::with_capacity(
                2 * (text.len() + title_len)
                    + article.id.len()
                    + input.len()
                    + input_key.len()
                    + 64 * own.len()
                    + 256,
            );
            // Values in the order of their fields: tantivy sorts a
            // document's values by field before indexing them, and a sorted
            // list costs it one pass (out of order, a document with entities
            // cost it a merge sort with a scratch buffer).
            doc.add_text(fields.article_id, &article.id);
            doc.add_u64(fields.passage, number as u64);
            if let Some(title) = &article.title {
                doc.add_text(fields.title, title);
            }
            doc.add_text(fields.text, text);
            doc.add_u64(fields.passage_start, char_offset);
            doc.add_text(fields.lang, &article.language.code);
            doc.add_text(fields.source, &article.source);
            if let Some(url) = &article.url {
                doc.add_text(fields.url, url);
            }
            if let Some(author) = &article.author {
                doc.add_text(fields.author, author);
            }
            if let Some(published) = article.published {
                doc.add_date(fields.published, to_tantivy(published));
            }
            doc.add_text(fields.date_origin, article.date_origin.as_str());
            if let Some(crawled) = article.crawled {
                doc.add_date(fields.crawled, to_tantivy(crawled));
            }
            if let Some(facet) = &calendar_facet {
                doc.add_leaf_field_value(
                    fields.date_facet,
                    ReferenceValueLeaf::Facet(facet.encoded_str()),
                );
            }
            if let Some(date) = effective_date {
                doc.add_date(fields.effective_date, to_tantivy(date));
            }
            // Search reaches an article's other passages through its id
            // (`search::EntityCatalog::article_query`).
            if number == 0 {
                for entity in &placement.outside {
                    write_entity_value(&mut value, entity.kind, &entity.name);
                    doc.add_text(fields.entity, &value);
                }
            }
            for mentions in by_entity(own) {
                let Some(Placed { entity, .. }) = mentions.first() else {
                    continue;
                };
                write_entity_value(&mut value, entity.kind, &entity.name);
                doc.add_text(fields.passage_entity, &value);
            }
            if !own.is_empty() {
                write_stored_mentions(&mut mentions, own);
                doc.add_text(fields.entity_mentions, &mentions);
            }
            doc.add_text(fields.input, &input);
            doc.add_text(fields.input_key, input_key);
            doc.add_u64(fields.record, article.record);
            doc.add_text(fields.encoding, article.encoding);
            // On every passage: a passage is what a search returns and a
            // filter selects.
            for country in &article.countries {
                doc.add_text(fields.countries, country);
            }
            if let Some(title) = &article.title {
                doc.add_text(analyzed.title, title);
            }
            doc.add_text(analyzed.text, text);
            doc
        })
        .collect()
}

/// The indexed value of an entity in the `entity` and `passage_entity`
/// fields: its type and name joined by a NUL, `person\0Nicolás Maduro` (the
/// encoded form of the facet `/person/Nicolás Maduro`). Plain strings
/// rather than tantivy facets: a facet value is indexed as three terms (the
/// root, the type and the whole path), a string as one, and nothing asks
/// for the other two (`benches/README.md`).
pub fn entity_value(kind: EntityKind, name: &str) -> String {
    let mut value = String::new();
    write_entity_value(&mut value, kind, name);
    value
}

/// Writes [`entity_value`] into `buffer`: no allocation per value, and an
/// article has dozens.
fn write_entity_value(buffer: &mut String, kind: EntityKind, name: &str) {
    buffer.clear();
    buffer.push_str(kind.as_str());
    buffer.push('\0');
    buffer.push_str(name);
}

/// The type and name of an [`entity_value`]; none for anything else.
pub fn entity_of_value(value: &str) -> Option<(EntityKind, String)> {
    let (kind, name) = value.split_once('\0')?;
    if name.is_empty() || name.contains('\0') {
        return None;
    }
    Some((EntityKind::parse(kind)?, name.to_owned()))
}

/// A mention inside a passage, its offsets relative to the passage start.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Placed<'a> {
    passage: usize,
    entity: &'a Entity,
    range: [usize; 2],
}

/// Where an article's entities are: in which passages, or in none.
struct Placement<'a> {
    /// Every mention inside a passage, in passage order, and within a
    /// passage in article entity order: each entity's mentions in a
    /// passage are one run. One vector, not one per passage and entity.
    placed: Vec<Placed<'a>>,
    /// The entities with no mention inside a passage.
    outside: Vec<&'a Entity>,
}

/// Places the mentions of `entities` in `passages` (sorted byte ranges of
/// the article text that do not overlap). One walk over the mentions, not
/// one per passage.
fn passage_mentions<'a>(entities: &'a [Entity], passages: &[Range<usize>]) -> Placement<'a> {
    let mut placed = Vec::with_capacity(entities.iter().map(|e| e.mentions.len()).sum());
    let mut outside = Vec::new();
    for entity in entities {
        let before = placed.len();
        for mention in &entity.mentions {
            // The only passage that can hold the mention: the first to end at or after it.
            let number = passages.partition_point(|passage| passage.end < mention.end);
            match passages.get(number) {
                Some(passage) if mention.start >= passage.start => placed.push(Placed {
                    passage: number,
                    entity,
                    range: [mention.start - passage.start, mention.end - passage.start],
                }),
                _ => {}
            }
        }
        if placed.len() == before {
            outside.push(entity);
        }
    }
    // Stable: within a passage, entities stay in article order.
    placed.sort_by_key(|placed| placed.passage);
    Placement { placed, outside }
}

/// The entities of one passage's placed mentions, each as its run of them.
fn by_entity<'p, 'a>(placed: &'p [Placed<'a>]) -> impl Iterator<Item = &'p [Placed<'a>]> {
    placed.chunk_by(|a, b| std::ptr::eq(a.entity, b.entity))
}

/// Writes the `mention_offsets` field of a passage (its placed mentions)
/// into `stored`: a line per entity, in the order of the passage's
/// `passage_entity` values, its mentions as `start end` pairs of byte
/// offsets: `0 14 200 206\n`. The entity itself is the value in the same
/// place of the `passage_entity` column (tantivy keeps a document's values of
/// a string column in the order they were added, through merges too):
/// naming it again here made the store 9 to 12 % larger.
fn write_stored_mentions(stored: &mut String, placed: &[Placed]) {
    // `itoa` rather than `write!`: the formatter machinery was most of the
    // cost of these lines (callgrind).
    let mut number = itoa::Buffer::new();
    stored.clear();
    for mentions in by_entity(placed) {
        for (
            index,
            Placed {
                range: [start, end],
                ..
            },
        ) in mentions.iter().enumerate()
        {
            if index > 0 {
                stored.push(' ');
            }
            stored.push_str(number.format(*start));
            stored.push(' ');
            stored.push_str(number.format(*end));
        }
        stored.push('\n');
    }
}

/// The entities of a passage, from its `mention_offsets` field and its
/// `passage_entity` values in column order (see `write_stored_mentions`;
/// none for a value that could not be read, which keeps its place); a
/// line or value without its counterpart, or unreadable, is left out.
/// (Indexes that named the entities in the stored field, `entity_mentions`,
/// have the older schema and are refused when opened.)
pub fn stored_entities(
    stored: &str,
    values: impl IntoIterator<Item = Option<(EntityKind, String)>>,
) -> Vec<Entity> {
    stored
        .lines()
        .zip(values)
        .filter_map(|(line, value)| {
            let (kind, name) = value?;
            let offsets: Vec<usize> = line
                .split(' ')
                .map(str::parse)
                .collect::<Result<_, _>>()
                .ok()?;
            let mentions = offsets
                .chunks_exact(2)
                .filter_map(|pair| match pair {
                    [start, end] => Some(*start..*end),
                    _ => None,
                })
                .collect();
            Some(Entity {
                kind,
                name,
                mentions,
            })
        })
        .collect()
}

/// Converts a chrono date to tantivy's.
pub fn to_tantivy(date: DateTime<Utc>) -> TantivyDate {
    TantivyDate::from_timestamp_secs(date.timestamp())
}

/// The calendar facet `/YYYY/MM/DD` of a date.
pub fn date_facet(date: DateTime<Utc>) -> Facet {
    Facet::from_path([
        format!("{:04}", date.year()),
        format!("{:02}", date.month()),
        format!("{:02}", date.day()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::{Analyzer, EntityRecogniser, Origin};
    use crate::ingest::RawArticle;
    use std::path::Path;
    use tantivy::schema::{Field, Value};

    #[test]
    fn one_document_per_passage_with_code_point_offsets() {
        let body = format!(
            "Nicolás Maduro habló en Caracas. {}.\n\nÑandú {}.",
            "á ".repeat(45).trim(),
            "b ".repeat(45).trim()
        );
        let raw = RawArticle {
            title: Some("Título".to_owned()),
            published: Some("2024-03-05".to_owned()),
            lang_hint: Some("es".to_owned()),
            body,
            encoding: "UTF-8",
            ..RawArticle::default()
        };
        let (article, _) = Analyzer::new(Some(EntityRecogniser::builtin())).analyze(
            raw,
            Origin {
                input: Path::new("a.txt"),
                collection: "c",
                modified: None,
            },
        );
        let fields = Fields::new();
        let docs = passage_documents(&article, "/abs/a.txt", &fields);
        assert_eq!(docs.len(), 2);
        let start = docs[1]
            .get_first(fields.passage_start)
            .and_then(|v| v.as_u64())
            .expect("passage_start");
        let expected = article.text.chars().position(|c| c == 'Ñ').expect("Ñ") as u64;
        assert_eq!(start, expected);
        let facet = docs[0]
            .get_first(fields.date_facet)
            .and_then(|v| v.as_facet().map(str::to_owned));
        let expected = Facet::from("/2024/03/05");
        assert_eq!(facet.as_deref(), Some(expected.encoded_str()));
        assert!(docs[0].get_first(fields.analyzed("es").text).is_some());
        let entities: Vec<&str> = docs[0]
            .get_all(fields.passage_entity)
            .filter_map(|v| v.as_str())
            .collect();
        assert_eq!(entities, ["person\0Nicolás Maduro", "place\0Caracas"]);
        // See: issue 17
        for doc in &docs {
            let countries: Vec<&str> = doc
                .get_all(fields.countries)
                .filter_map(|v| v.as_str())
                .collect();
            assert_eq!(countries, ["Venezuela"]);
        }
        // Values come in the order of their fields (tantivy sorts them).
        for doc in &docs {
            let order: Vec<Field> = doc.field_values().map(|(field, _)| field).collect();
            assert!(order.is_sorted(), "{order:?}");
        }
    }

    #[test]
    fn entity_values_read_back_and_are_the_encoded_facets_of_their_paths() {
        let mut buffer = String::from("left over");
        for (kind, name) in [
            (EntityKind::Person, "Nicolás Maduro"),
            (EntityKind::Org, "AC/DC"),
            (EntityKind::Place, "São Tomé and Príncipe"),
        ] {
            write_entity_value(&mut buffer, kind, name);
            assert_eq!(buffer, entity_value(kind, name));
            // The same bytes as the facets of indexes before 2026-11-29.
            assert_eq!(
                buffer,
                Facet::from_path([kind.as_str(), name]).encoded_str()
            );
            assert_eq!(entity_of_value(&buffer), Some((kind, name.to_owned())));
        }
        for other in ["", "person", "person\0", "planet\0Mars", "person\0a\0b"] {
            assert_eq!(entity_of_value(other), None, "{other:?}");
        }
    }

    #[test]
    fn passages_store_their_own_mentions_relative_to_their_text() {
        let entity = |kind, name: &str, mentions: Vec<Range<usize>>| Entity {
            kind,
            name: name.to_owned(),
            mentions,
        };
        let entities = vec![
            entity(EntityKind::Place, "Peru", vec![0..4, 30..34]),
            entity(EntityKind::Place, "Chile", vec![6..11, 13..18]),
            // Each mention runs past the end of a passage.
            entity(EntityKind::Org, "Across", vec![18..27, 38..45]),
        ];
        let placement = passage_mentions(&entities, &[0..5, 6..20, 25..40]);
        assert_eq!(placement.outside, vec![&entities[2]]);
        fn placed(passage: usize, entity: &Entity, range: [usize; 2]) -> Placed<'_> {
            Placed {
                passage,
                entity,
                range,
            }
        }
        let (peru, chile) = (&entities[0], &entities[1]);
        assert_eq!(
            placement.placed,
            vec![
                placed(0, peru, [0, 4]),
                placed(1, chile, [0, 5]),
                placed(1, chile, [7, 12]),
                placed(2, peru, [5, 9]),
            ]
        );
        let chile_value = || [Some((EntityKind::Place, "Chile".to_owned()))];
        let mut stored = String::from("left over");
        write_stored_mentions(&mut stored, &placement.placed[1..3]);
        assert_eq!(stored, "0 5 7 12\n");
        assert_eq!(
            stored_entities(&stored, chile_value()),
            vec![entity(EntityKind::Place, "Chile", vec![0..5, 7..12])]
        );
        // Two entities in a passage are two lines, in article order: the
        // order their `passage_entity` values are added in.
        write_stored_mentions(
            &mut stored,
            &[
                placed(0, chile, [1, 2]),
                placed(0, chile, [5, 6]),
                placed(0, peru, [3, 4]),
                placed(0, peru, [8, 9]),
            ],
        );
        assert_eq!(stored, "1 2 5 6\n3 4 8 9\n");
        let values = [
            Some((EntityKind::Place, "Chile".to_owned())),
            Some((EntityKind::Place, "Peru".to_owned())),
        ];
        assert_eq!(
            stored_entities(&stored, values.clone()),
            vec![
                entity(EntityKind::Place, "Chile", vec![1..2, 5..6]),
                entity(EntityKind::Place, "Peru", vec![3..4, 8..9]),
            ]
        );
        // A line without its value, or a value without its line, is left out,
        // and an unreadable value leaves the next line to the next value.
        assert_eq!(stored_entities(&stored, chile_value()).len(), 1);
        assert_eq!(
            stored_entities(&stored, [None, values[1].clone()]),
            vec![entity(EntityKind::Place, "Peru", vec![3..4, 8..9])]
        );
        assert_eq!(stored_entities("1 2\n", values).len(), 1);
        assert!(stored_entities("0 x", chile_value()).is_empty());
        assert!(stored_entities("", chile_value()).is_empty());
    }
}
