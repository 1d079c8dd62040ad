//! Entity names as a user types them, resolved to the entities in the index.
//!
//! `--entity maduro`, `--person "Nicolas Maduro"` and `place:"EE.UU."` must all
//! find the facet `/person/Nicolás Maduro` or `/place/United States`:
//! names are compared folded (case and accents), and aliases of the default
//! authority lead to their canonical names. A name that resolves to
//! nothing is an error that suggests the closest known names.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;

use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, TermSetQuery};
use tantivy::schema::Field;
use tantivy::{DocAddress, Searcher, Term};

use crate::analyze::entities::{fold, folds_to};
use crate::analyze::EntityKind;
use crate::index::{
    dictionary_terms, entity_of_value, entity_value, sorted_distinct, KeptAuthority,
};
use crate::schema::Fields;
use crate::{Error, Result};

/// How many close names an unknown-name error suggests.
const SUGGESTIONS: usize = 5;

/// Resolves entity names against the entities an index holds and the
/// aliases of its authority.
///
/// A name is looked for by one walk over the entity terms of the index,
/// comparing each folded in place: no string per term is built. Only a
/// name that resolves to nothing reads every name into memory, to suggest
/// the closest (on a large archive that costs far more than a search).
pub struct EntityCatalog {
    searcher: Searcher,
    /// The authority whose aliases resolve names (the index's own).
    authority: Arc<KeptAuthority>,
    /// The entity fields: per passage, and the article's entities no
    /// passage holds (see `index::passage_documents`).
    entity_fields: [Field; 2],
    /// The article id field.
    article_id: Field,
}

impl EntityCatalog {
    /// A catalog of the index behind `searcher`, resolving aliases with
    /// `authority`.
    pub fn new(
        searcher: &Searcher,
        fields: &Fields,
        authority: &Arc<KeptAuthority>,
    ) -> Result<EntityCatalog> {
        Ok(EntityCatalog {
            searcher: searcher.clone(),
            authority: Arc::clone(authority),
            entity_fields: [fields.passage_entity, fields.entity],
            article_id: fields.article_id,
        })
    }

    /// The entities `name` stands for, of type `kind` when given. Canonical
    /// names in the index come first; then the authority's aliases.
    pub fn resolve(
        &self,
        kind: Option<EntityKind>,
        name: &str,
    ) -> Result<Vec<(EntityKind, String)>> {
        let found = self.lookup(kind, name)?;
        if found.is_empty() {
            let known = self.entities(&[(Vec::new(), None)], |_| true)?;
            return Err(Error::Usage(unknown(&known, kind, name)));
        }
        Ok(found)
    }

    /// As [`resolve`](Self::resolve), but an unknown name is no entity
    /// rather than an error (and costs no walk over every name).
    pub fn lookup(
        &self,
        kind: Option<EntityKind>,
        name: &str,
    ) -> Result<Vec<(EntityKind, String)>> {
        let folded = fold(name.trim());
        let of_kind = |entity: &(EntityKind, String)| kind.is_none_or(|kind| entity.0 == kind);
        // The ranges hold only names of type `kind` when it is given.
        let ranges = name_ranges(kind, &folded);
        let named = self.entities(&ranges, |entity_name| folds_to(entity_name, &folded))?;
        let mut found: Vec<(EntityKind, String)> = named.into_iter().collect();
        if found.is_empty() {
            let authority = self.authority.get()?;
            for entry in authority.entries() {
                let alias_matches = std::iter::once(&entry.name)
                    .chain(&entry.aliases)
                    .any(|alias| folds_to(alias, &folded));
                let entity = (entry.kind, entry.name.clone());
                if alias_matches && of_kind(&entity) && found.last() != Some(&entity) {
                    found.push(entity);
                }
            }
        }
        Ok(found)
    }

    /// The (type, canonical name) of every entity of the index in `ranges`
    /// of entity terms (from, up to if given) whose name `wanted` accepts,
    /// in one walk over each range of every segment.
    fn entities(
        &self,
        ranges: &[(Vec<u8>, Option<Vec<u8>>)],
        wanted: impl Fn(&str) -> bool,
    ) -> Result<BTreeSet<(EntityKind, String)>> {
        let mut found = BTreeSet::new();
        for segment in self.searcher.segment_readers() {
            for field in self.entity_fields {
                let inverted = segment.inverted_index(field)?;
                let dictionary = inverted.terms();
                for (from, to) in ranges {
                    let mut range = dictionary.range().ge(from);
                    if let Some(to) = to {
                        range = range.lt(to);
                    }
                    let mut terms = range.into_stream().map_err(tantivy::TantivyError::from)?;
                    while terms.advance() {
                        let Ok(value) = std::str::from_utf8(terms.key()) else {
                            continue;
                        };
                        let name = value.split_once('\0').map_or("", |(_, name)| name);
                        if wanted(name) {
                            found.extend(entity_of_value(value));
                        }
                    }
                }
            }
        }
        Ok(found)
    }

    /// Every passage of the articles that mention any of `entities`: the
    /// passages that hold them lead to their articles' ids, the ids to the
    /// articles' other passages.
    pub fn article_query(&self, entities: &[(EntityKind, String)]) -> Result<Box<dyn Query>> {
        let holding: Vec<(Occur, Box<dyn Query>)> = self
            .entity_fields
            .iter()
            .map(|field| (Occur::Should, entity_query(*field, entities)))
            .collect();
        let holding = self
            .searcher
            .search(&BooleanQuery::new(holding), &DocSetCollector)?;
        let ids = article_ids(&self.searcher, &holding)?;
        Ok(Box::new(TermSetQuery::new(
            ids.iter()
                .map(|id| Term::from_field_text(self.article_id, id)),
        )))
    }
}

/// The ranges of entity terms (`type\0name`, from, up to if given) that
/// hold every name of type `kind` (any when none) that may fold to
/// `folded`: its first character folds to `folded`'s, so it is that
/// ASCII byte, in either case for a letter, or any character outside
/// ASCII (`Ñ` folds to `n`; nothing in ASCII folds outside it). Walking
/// these instead of every term cuts the walk some twentyfold.
fn name_ranges(kind: Option<EntityKind>, folded: &str) -> Vec<(Vec<u8>, Option<Vec<u8>>)> {
    let first = folded.as_bytes().first().copied();
    let starts: Vec<(u8, Option<u8>)> = match first {
        Some(byte) if byte.is_ascii_lowercase() => vec![
            (
                byte.to_ascii_uppercase(),
                Some(byte.to_ascii_uppercase() + 1),
            ),
            (byte, Some(byte + 1)),
            (0x80, None),
        ],
        Some(byte) if byte.is_ascii() => vec![(byte, Some(byte + 1)), (0x80, None)],
        Some(_) => vec![(0x80, None)],
        None => vec![(0, None)],
    };
    let kinds: Vec<EntityKind> = match kind {
        Some(kind) => vec![kind],
        None => EntityKind::ALL.to_vec(),
    };
    kinds
        .iter()
        .flat_map(|kind| {
            let prefix = entity_value(*kind, "");
            starts.iter().map(move |(from, to)| {
                let bound = |byte: u8| {
                    let mut bound = prefix.clone().into_bytes();
                    bound.push(byte);
                    bound
                };
                // Past the type's last name: its prefix with the closing
                // NUL raised by one.
                let after_type = || {
                    let mut end = prefix.clone().into_bytes();
                    if let Some(separator) = end.last_mut() {
                        *separator += 1;
                    }
                    end
                };
                let end = to.map_or_else(after_type, bound);
                (bound(*from), Some(end))
            })
        })
        .collect()
}

/// The message for a name that resolves to nothing, with the closest names.
fn unknown(known: &BTreeSet<(EntityKind, String)>, kind: Option<EntityKind>, name: &str) -> String {
    let what = kind.map_or("entity", EntityKind::as_str);
    let folded = fold(name.trim());
    let mut scored: Vec<(usize, &(EntityKind, String))> = known
        .iter()
        .filter(|(k, _)| kind.is_none_or(|kind| *k == kind))
        .map(|entity| {
            let candidate = fold(&entity.1);
            // Every word typed is in the name: `maduro`, `maduro nicolas`.
            let contains = folded.split_whitespace().all(|typed| {
                candidate.split(' ').any(|word| word == typed)
                    || (typed.len() >= 3 && candidate.contains(typed))
            });
            let distance = if contains {
                0
            } else {
                1 + edit_distance(&folded, &candidate)
            };
            (distance, entity)
        })
        .collect();
    scored.sort();
    // Names containing what was typed beat names merely spelled alike.
    let limit = if scored.first().is_some_and(|(distance, _)| *distance == 0) {
        0
    } else {
        folded.chars().count() / 2 + 2
    };
    let close: Vec<String> = scored
        .into_iter()
        .filter(|(distance, _)| *distance <= limit)
        .take(SUGGESTIONS)
        .map(|(_, (kind, name))| format!("\"{name}\" ({})", kind.as_str()))
        .collect();
    if close.is_empty() {
        format!("no {what} named \"{name}\" in the index (`gazette facets` lists the known ones)")
    } else {
        format!(
            "no {what} named \"{name}\" in the index; did you mean {}?",
            close.join(", ")
        )
    }
}

/// The article ids of `docs`, read from the `article_id` fast column.
pub fn article_ids(searcher: &Searcher, docs: &HashSet<DocAddress>) -> Result<HashSet<String>> {
    let mut ids = HashSet::new();
    for (segment_ord, doc_ids) in by_segment(docs) {
        let segment = searcher.segment_reader(segment_ord);
        let Some(column) = segment.fast_fields().str("article_id")? else {
            continue;
        };
        let ords = sorted_distinct(doc_ids.iter().flat_map(|doc| column.term_ords(*doc)));
        ids.extend(dictionary_terms(column.dictionary(), &ords)?);
    }
    Ok(ids)
}

/// Document ids grouped by segment, each group sorted.
pub fn by_segment(docs: &HashSet<DocAddress>) -> BTreeMap<u32, Vec<u32>> {
    let mut by_segment: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for address in docs {
        by_segment
            .entry(address.segment_ord)
            .or_default()
            .push(address.doc_id);
    }
    for doc_ids in by_segment.values_mut() {
        doc_ids.sort_unstable();
    }
    by_segment
}

/// A query for any of `entities` in entity field `field`. A filter: every
/// passage it matches scores the same, as with the article scope's query
/// (an entity's rarity must not rank one passage above another).
pub fn entity_query(field: Field, entities: &[(EntityKind, String)]) -> Box<dyn Query> {
    Box::new(TermSetQuery::new(entities.iter().map(|(kind, name)| {
        Term::from_field_text(field, &entity_value(*kind, name))
    })))
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(0);
            let left = row.get(j).copied().unwrap_or(0);
            let value = (diagonal + usize::from(ca != *cb))
                .min(above + 1)
                .min(left + 1);
            diagonal = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = value;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_ranges_hold_every_name_that_may_fold_to_the_typed_one() {
        let within = |ranges: &[(Vec<u8>, Option<Vec<u8>>)], kind, name: &str| {
            let value = entity_value(kind, name).into_bytes();
            ranges
                .iter()
                .any(|(from, to)| *from <= value && to.as_ref().is_none_or(|to| value < *to))
        };
        let person = name_ranges(Some(EntityKind::Person), "nicolas maduro");
        for name in [
            "Nicolás Maduro",
            "nicolas maduro",
            "NICOLAS MADURO",
            "Ñico",
            "Østergaard",
        ] {
            assert!(within(&person, EntityKind::Person, name), "{name}");
        }
        for name in ["Maduro", "Oscar", "3M"] {
            assert!(!within(&person, EntityKind::Person, name), "{name}");
        }
        assert!(!within(&person, EntityKind::Place, "Nicolás Maduro"));
        // Any type; a name typed with a digit, or with a letter outside ASCII.
        let any = name_ranges(None, "3m");
        assert!(within(&any, EntityKind::Org, "3M"));
        assert!(!within(&any, EntityKind::Org, "Alcoa"));
        let greek = name_ranges(None, "αθηνα");
        assert!(within(&greek, EntityKind::Place, "Αθήνα"));
        assert!(!within(&greek, EntityKind::Place, "Athens"));
        for kind in EntityKind::ALL {
            assert!(within(&name_ranges(None, ""), kind, "Anything"));
        }
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("maduro", "maduro"), 0);
        assert_eq!(edit_distance("madruo", "maduro"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
