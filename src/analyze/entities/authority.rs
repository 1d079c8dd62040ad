//! Authority files: controlled vocabularies mapping aliases to one canonical
//! name and type, and the Aho-Corasick matcher built over all of them.
//!
//! The format (documented in `schema/README.md`) is one entity per line,
//! tab-separated: `TYPE<TAB>CANONICAL NAME[<TAB>ALIAS]...`, with `#`
//! comments and blank lines ignored. The default authority is compiled into
//! the binary from `schema/authority/`, because users' copies of gazette
//! have no checkout to read it from.

use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashMap};

use aho_corasick::automaton::Automaton;
use aho_corasick::{nfa, Anchored, MatchKind};

use super::fold::{ascii_word_end, char_at, fold, is_word_char};
use super::{Entity, EntityKind};
use std::ops::Range;

/// The authority files shipped with gazette, by name.
const BUILTIN: &[(&str, &str)] = &[
    (
        "schema/authority/countries.tsv",
        include_str!("../../../schema/authority/countries.tsv"),
    ),
    (
        "schema/authority/cities.tsv",
        include_str!("../../../schema/authority/cities.tsv"),
    ),
    (
        "schema/authority/us-states.tsv",
        include_str!("../../../schema/authority/us-states.tsv"),
    ),
    (
        "schema/authority/historical-countries.tsv",
        include_str!("../../../schema/authority/historical-countries.tsv"),
    ),
    (
        "schema/authority/regions.tsv",
        include_str!("../../../schema/authority/regions.tsv"),
    ),
    (
        "schema/authority/organisations.tsv",
        include_str!("../../../schema/authority/organisations.tsv"),
    ),
    (
        "schema/authority/people.tsv",
        include_str!("../../../schema/authority/people.tsv"),
    ),
];

/// Aliases of at most this many letters, all capitals, are acronyms and
/// match only as written: `US` is a country, `us` is a pronoun.
const MAX_ACRONYM_LETTERS: usize = 6;

/// One line of an authority file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorityEntry {
    /// The entity's type.
    pub kind: EntityKind,
    /// The canonical name.
    pub name: String,
    /// Other names (the canonical name is not repeated here).
    pub aliases: Vec<String>,
    /// Names that stand for this entity only in articles of a period
    /// (`Exxon [1999-11-30..]`).
    pub dated: Vec<(String, Period)>,
}

/// The days an alias is valid, both ends included; an end left open is
/// unbounded. Written `[FROM..TO]` after the alias, either date left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Period {
    /// First day, if bounded.
    pub from: Option<NaiveDate>,
    /// Last day, if bounded.
    pub to: Option<NaiveDate>,
}

impl Period {
    /// Whether `day` falls in the period.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|from| from <= day) && self.to.is_none_or(|to| day <= to)
    }

    /// Splits `Exxon [1999-11-30..]` into the alias and its period. An alias
    /// without a trailing bracket has none; a bracket holding `..` must be a
    /// period.
    pub fn split(alias: &str) -> Result<(&str, Option<Period>), String> {
        let Some(open) = alias.rfind(" [").filter(|_| alias.ends_with(']')) else {
            return Ok((alias, None));
        };
        let inner = alias.get(open + 2..alias.len() - 1).unwrap_or_default();
        let Some((from, to)) = inner.split_once("..") else {
            return Ok((alias, None));
        };
        let day = |text: &str| -> Result<Option<NaiveDate>, String> {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| {
                    format!(
                        "`{alias}`: `{text}` is not a date; a validity period is written \
                     [YYYY-MM-DD..YYYY-MM-DD] after the alias, either end may be left out"
                    )
                })
        };
        let period = Period {
            from: day(from)?,
            to: day(to)?,
        };
        if let (Some(from), Some(to)) = (period.from, period.to) {
            if to < from {
                return Err(format!("`{alias}`: the period ends before it starts"));
            }
        }
        let name = alias.get(..open).unwrap_or_default().trim_end();
        if name.is_empty() {
            return Err(format!("`{alias}`: a period needs an alias before it"));
        }
        Ok((name, Some(period)))
    }
}

/// A malformed line of an authority file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorityLineError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

impl std::fmt::Display for AuthorityLineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for AuthorityLineError {}

/// The entities of every authority file loaded, in load order.
#[derive(Debug, Clone, Default)]
pub struct Authority {
    entries: Vec<AuthorityEntry>,
}

impl Authority {
    /// The authority shipped with gazette: countries, capitals and major
    /// cities, regions, international organisations, a few people.
    pub fn builtin() -> Authority {
        let mut authority = Authority::default();
        for (_, text) in BUILTIN {
            // The shipped files are ours and a unit test keeps them
            // well-formed; were one not, the others still load.
            let _ = authority.add(text);
        }
        authority
    }

    /// Adds the entities of one authority file. Nothing is added when a
    /// line is malformed.
    pub fn add(&mut self, text: &str) -> Result<(), AuthorityLineError> {
        let entries = parse(text)?;
        self.entries.extend(entries);
        Ok(())
    }

    /// Every entity, in load order.
    pub fn entries(&self) -> &[AuthorityEntry] {
        &self.entries
    }
}

/// Parses an authority file.
pub fn parse(text: &str) -> Result<Vec<AuthorityEntry>, AuthorityLineError> {
    let mut entries = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let error = |message: String| AuthorityLineError {
            line: number + 1,
            message,
        };
        let mut columns = line.split('\t').map(str::trim);
        let kind_text = columns.next().unwrap_or_default();
        let kind = EntityKind::parse(kind_text).ok_or_else(|| {
            error(format!(
                "`{kind_text}` is not a type: the first column is person, org, place or misc, \
                 then a tab and the canonical name"
            ))
        })?;
        let name = columns
            .next()
            .filter(|name| !name.is_empty())
            .ok_or_else(|| {
                error("no canonical name: write TYPE<TAB>NAME[<TAB>ALIAS]...".to_owned())
            })?;
        if name.contains('/') {
            return Err(error(format!(
                "`{name}` contains `/`, which facet paths cannot hold"
            )));
        }
        let mut aliases = Vec::new();
        let mut dated = Vec::new();
        for alias in columns.filter(|alias| !alias.is_empty() && *alias != name) {
            match Period::split(alias).map_err(error)? {
                (alias, Some(period)) => dated.push((alias.to_owned(), period)),
                (alias, None) => aliases.push(alias.to_owned()),
            }
        }
        entries.push(AuthorityEntry {
            kind,
            name: name.to_owned(),
            aliases,
            dated,
        });
    }
    Ok(entries)
}

/// Whether an alias is a short all-capitals acronym (`US`, `EE.UU.`, `OPEC`).
fn is_acronym(alias: &str) -> bool {
    let letters: Vec<char> = alias.chars().filter(|c| c.is_alphabetic()).collect();
    !letters.is_empty()
        && letters.len() <= MAX_ACRONYM_LETTERS
        && letters.iter().all(|c| c.is_uppercase())
}

/// How the text must be written for one folded alias to count.
#[derive(Debug, Default)]
struct Spelling {
    /// Acronyms that must match exactly as written.
    exact: Vec<String>,
    /// Whether some non-acronym alias folds to this key: then any spelling
    /// starting with a capital (or as the alias starts) counts.
    loose: bool,
    /// Whether that loose alias starts in lower case (`the Caribbean`).
    lower_start: bool,
}

/// An authority name found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorityMatch {
    /// Byte range in the original text.
    pub range: std::ops::Range<usize>,
    /// Index of the entity in [`AuthorityMatcher::entity`].
    pub entity: usize,
}

/// Finds authority aliases in text: whole words, longest match first,
/// accent- and case-insensitive except for acronyms.
pub struct AuthorityMatcher {
    automaton: AliasAutomaton,
    /// Per pattern: the entity and the spellings that count.
    patterns: Vec<(usize, Spelling)>,
    /// (type, canonical name) of every entity.
    entities: Vec<(EntityKind, String)>,
    /// Folded alias or name → entity, for lookups.
    by_alias: FxHashMap<String, usize>,
    /// The first words of aliases, each with whether an alias it starts
    /// may be written in lower case (`the` of `the Caribbean`, `al` of
    /// `al-Shabaab`), in order: see [`first_words`](Self::first_words).
    first_words: Vec<(String, bool)>,
    /// Folded aliases valid in a period only: the entity of the alias
    /// without a period (if any), and each period's entity.
    dated: FxHashMap<String, DatedAlias>,
}

/// What a folded alias stands for when some entity holds it for a period only.
#[derive(Debug, Default)]
struct DatedAlias {
    /// The entity that holds it without a period.
    undated: Option<usize>,
    /// The entities that hold it for a period, in load order.
    periods: Vec<(Period, usize)>,
}

/// Which entity a mention stands for on the article's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnDate {
    /// This entity.
    Entity(usize),
    /// No entity of the authority: the name as written.
    AsWritten,
}

impl std::fmt::Debug for AuthorityMatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthorityMatcher")
            .field("entities", &self.entities.len())
            .field("patterns", &self.patterns.len())
            .finish()
    }
}

impl AuthorityMatcher {
    /// Builds the matcher. A later entry's alias replaces an earlier one
    /// with the same folded spelling, so users' files override the defaults.
    pub fn new(authority: &Authority) -> AuthorityMatcher {
        let mut entities: Vec<(EntityKind, String)> = Vec::new();
        let mut entity_ids: HashMap<(EntityKind, String), usize> = HashMap::new();
        let mut by_alias: FxHashMap<String, usize> = FxHashMap::default();
        let mut spellings: HashMap<String, Spelling> = HashMap::new();
        for entry in authority.entries() {
            let key = (entry.kind, entry.name.clone());
            let id = *entity_ids.entry(key.clone()).or_insert_with(|| {
                entities.push(key);
                entities.len() - 1
            });
            for alias in std::iter::once(&entry.name).chain(&entry.aliases) {
                let folded = fold(alias);
                if folded.trim().is_empty() {
                    continue;
                }
                if by_alias.insert(folded.clone(), id) != Some(id) {
                    spellings.remove(&folded);
                }
                let spelling = spellings.entry(folded).or_default();
                if is_acronym(alias) {
                    spelling.exact.push(alias.clone());
                } else {
                    spelling.loose = true;
                    spelling.lower_start |= alias.chars().next().is_some_and(char::is_lowercase);
                }
            }
        }
        // Dated aliases come after every undated one: an alias with no
        // period keeps its entity; one held only for periods is matched as
        // the first such entity, and set right once the date is known.
        let mut dated: FxHashMap<String, DatedAlias> = FxHashMap::default();
        for entry in authority.entries() {
            let Some(id) = entity_ids.get(&(entry.kind, entry.name.clone())).copied() else {
                continue;
            };
            for (alias, period) in &entry.dated {
                let folded = fold(alias);
                if folded.trim().is_empty() {
                    continue;
                }
                let slot = dated.entry(folded.clone()).or_insert_with(|| DatedAlias {
                    undated: by_alias.get(&folded).copied(),
                    periods: Vec::new(),
                });
                slot.periods.push((*period, id));
                by_alias.entry(folded.clone()).or_insert(id);
                let spelling = spellings.entry(folded).or_default();
                if is_acronym(alias) {
                    spelling.exact.push(alias.clone());
                } else {
                    spelling.loose = true;
                    spelling.lower_start |= alias.chars().next().is_some_and(char::is_lowercase);
                }
            }
        }
        let mut first_words: BTreeMap<String, bool> = BTreeMap::new();
        for (key, spelling) in &spellings {
            *first_words.entry(first_word(key).to_owned()).or_default() |= spelling.lower_start;
        }
        let mut keys: Vec<(String, Spelling)> = spellings.into_iter().collect();
        keys.sort_by(|a, b| a.0.cmp(&b.0));
        // The contiguous NFA rather than a DFA: a DFA of these aliases
        // takes megabytes, and most word starts leave the automaton after a
        // few transitions, each a likely cache miss in a table that size.
        // The compact NFA measured a fifth faster (`benches/README.md`).
        let aliases = || keys.iter().map(|(key, _)| key.as_str());
        let automaton = nfa::contiguous::Builder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .prefilter(false)
            .build(aliases())
            .map(AliasAutomaton::Compact)
            // Its states are offsets into one table of 2^31 words, which a
            // user's authority of hundreds of millions of alias bytes can
            // outgrow; the plain NFA numbers states instead.
            .or_else(|_| {
                nfa::noncontiguous::Builder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .prefilter(false)
                    .build(aliases())
                    .map(AliasAutomaton::Large)
            })
            // Only more than 2^31 states could fail here, far beyond what
            // fits in memory as authority files.
            .expect("the authority's aliases build an automaton");
        let patterns = keys
            .into_iter()
            .map(|(key, spelling)| (by_alias.get(&key).copied().unwrap_or(0), spelling))
            .collect();
        AuthorityMatcher {
            automaton,
            patterns,
            entities,
            by_alias,
            first_words: first_words.into_iter().collect(),
            dated,
        }
    }

    /// What the mention written `written` stands for in an article of
    /// `day` (`None`: undated), when its alias is valid in a period only;
    /// `None` when it is not such an alias. A period containing the day
    /// wins (the last loaded first); else the entity that holds the alias
    /// without a period; else no entity.
    pub fn on_date(&self, written: &str, day: Option<NaiveDate>) -> Option<OnDate> {
        let alias = self.dated.get(&fold(written.trim()))?;
        let in_period = day.and_then(|day| {
            alias
                .periods
                .iter()
                .rev()
                .find(|(period, _)| period.contains(day))
                .map(|(_, id)| *id)
        });
        Some(match in_period.or(alias.undated) {
            Some(id) => OnDate::Entity(id),
            None => OnDate::AsWritten,
        })
    }

    /// The type and canonical name of entity `id`.
    pub fn entity(&self, id: usize) -> Option<(EntityKind, &str)> {
        self.entities
            .get(id)
            .map(|(kind, name)| (*kind, name.as_str()))
    }

    /// The entity a name or alias stands for (accent- and case-insensitive).
    pub fn lookup(&self, name: &str) -> Option<(EntityKind, &str)> {
        self.lookup_folded(&fold(name.trim()))
    }

    /// [`lookup`](Self::lookup) of a name already folded.
    pub fn lookup_folded(&self, folded: &str) -> Option<(EntityKind, &str)> {
        self.by_alias.get(folded).and_then(|id| self.entity(*id))
    }

    /// Whether an already folded name is an alias (no allocation).
    pub fn is_folded_alias(&self, folded: &str) -> bool {
        self.by_alias.contains_key(folded)
    }

    /// The authority names in `text` (already folded as `folded`, see
    /// [`fold`]) that start at `word_starts`: `(offset, folded offset)` of
    /// characters that follow a character that is not a letter or digit,
    /// in order. Any such start gives the right answer; the recogniser
    /// passes only the words that are [`first_words`](Self::first_words)
    /// (those an alias written in lower case starts, for a word in lower
    /// case), because the others cannot match and the automaton's time on
    /// them would be lost.
    pub fn find_at(
        &self,
        text: &str,
        folded: &str,
        word_starts: impl IntoIterator<Item = (usize, usize)>,
    ) -> Vec<AuthorityMatch> {
        // News text names a few dozen known entities per article.
        let mut found: Vec<AuthorityMatch> = Vec::with_capacity(64);
        for (start, folded_start) in word_starts {
            if found.last().is_some_and(|m| start < m.range.end) {
                continue;
            }
            let Some(first) = char_at(text, start) else {
                continue;
            };
            if let Some(m) = self.match_at(text, folded, start, folded_start, first) {
                found.push(m);
            }
        }
        found
    }

    /// The first words of the aliases (folded), each with whether an alias
    /// it starts may be written in lower case. An alias matches whole words
    /// only, so a match starts only at a word that is all of an alias's
    /// first word: most capitalised words of news text start no alias, and
    /// one lookup of the word turns them away before the automaton.
    pub fn first_words(&self) -> &[(String, bool)] {
        &self.first_words
    }

    /// The authority name starting at word start `start` (`folded_start`
    /// in the folded text), whose first character is `first`.
    fn match_at(
        &self,
        text: &str,
        folded: &str,
        start: usize,
        folded_start: usize,
        first: char,
    ) -> Option<AuthorityMatch> {
        let rest = folded.get(folded_start..)?;
        // A lower-case start takes only aliases written so: no acronym (all
        // capitals) and no alias that is only capitalised is accepted there.
        let lowercase = first.is_lowercase();
        let (pattern, length) = self.automaton.longest_prefix(rest.as_bytes())?;
        let end = original_end(text, start, rest, length);
        let written = text.get(start..end)?;
        if char_at(text, end).is_some_and(is_word_char) {
            return None;
        }
        let (entity, spelling) = self.patterns.get(pattern)?;
        let accepted = spelling.exact.iter().any(|exact| exact == written)
            || (spelling.loose && (!lowercase || spelling.lower_start));
        accepted.then_some(AuthorityMatch {
            range: start..end,
            entity: *entity,
        })
    }
}

/// `entities` of `text` as they stand in an article of `day` (`None`:
/// undated): every mention of a dated alias goes to the entity valid that
/// day ([`AuthorityMatcher::on_date`]), or, when none is, to a name of its
/// own as written. Order of first mention is kept.
pub fn entities_on_date(
    matcher: &AuthorityMatcher,
    text: &str,
    entities: Vec<Entity>,
    day: Option<NaiveDate>,
) -> Vec<Entity> {
    // Whichever recogniser found them, mentions are checked by how they
    // are written: the learned one may name a mention as written.
    let dated = |range: &Range<usize>| {
        text.get(range.clone())
            .and_then(|written| matcher.on_date(written, day))
    };
    if matcher.dated.is_empty()
        || !entities
            .iter()
            .any(|entity| entity.mentions.iter().any(|range| dated(range).is_some()))
    {
        return entities;
    }
    let mut mentions: Vec<(Range<usize>, EntityKind, String)> = Vec::new();
    for entity in entities {
        for range in entity.mentions {
            let written = text.get(range.clone()).unwrap_or_default();
            let (kind, name) = match dated(&range) {
                Some(OnDate::Entity(id)) => matcher
                    .entity(id)
                    .map_or((entity.kind, entity.name.clone()), |(kind, name)| {
                        (kind, name.to_owned())
                    }),
                Some(OnDate::AsWritten) => (entity.kind, written.trim().to_owned()),
                None => (entity.kind, entity.name.clone()),
            };
            mentions.push((range, kind, name));
        }
    }
    mentions.sort_by_key(|(range, _, _)| (range.start, range.end));
    let mut regrouped: Vec<Entity> = Vec::new();
    let mut index: FxHashMap<(EntityKind, String), usize> = FxHashMap::default();
    for (range, kind, name) in mentions {
        let slot = *index.entry((kind, name.clone())).or_insert_with(|| {
            regrouped.push(Entity {
                kind,
                name,
                mentions: Vec::new(),
            });
            regrouped.len() - 1
        });
        if let Some(entity) = regrouped.get_mut(slot) {
            entity.mentions.push(range);
        }
    }
    regrouped
}

/// The aliases' automaton: the compact one, or for an authority too large
/// for it, the plain one.
enum AliasAutomaton {
    Compact(nfa::contiguous::NFA),
    Large(nfa::noncontiguous::NFA),
}

impl AliasAutomaton {
    /// The longest alias that `bytes` starts with: its pattern index and length.
    fn longest_prefix(&self, bytes: &[u8]) -> Option<(usize, usize)> {
        match self {
            AliasAutomaton::Compact(automaton) => longest_prefix(automaton, bytes),
            AliasAutomaton::Large(automaton) => longest_prefix(automaton, bytes),
        }
    }
}

/// The longest alias that `bytes` starts with: its pattern index and
/// length. The automaton is stepped by hand: a search through
/// aho-corasick's general interface costs more than the few transitions
/// most words take before the automaton gives up.
fn longest_prefix(automaton: &impl Automaton, bytes: &[u8]) -> Option<(usize, usize)> {
    let mut state = automaton.start_state(Anchored::Yes).ok()?;
    let mut longest = None;
    for (at, byte) in bytes.iter().enumerate() {
        state = automaton.next_state(Anchored::Yes, state, *byte);
        if automaton.is_special(state) {
            if automaton.is_dead(state) {
                break;
            }
            if automaton.is_match(state) {
                let pattern = automaton.match_pattern(state, 0);
                let length = automaton.pattern_len(pattern);
                // Match states also carry aliases that start after the word
                // start (reached through failure transitions): not ours.
                if length == at + 1 {
                    longest = Some((pattern.as_usize(), length));
                }
            }
        }
    }
    longest
}

/// The start of `text` up to its first character that is not a letter or digit.
fn first_word(text: &str) -> &str {
    // ASCII letters and digits in bulk; only a word going on past them
    // (`niño`) is decoded.
    let ascii_end = ascii_word_end(text, 0);
    let end = match (text.as_bytes().get(ascii_end), text.get(ascii_end..)) {
        (Some(byte), Some(rest)) if !byte.is_ascii() => {
            ascii_end
                + rest
                    .char_indices()
                    .find(|(_, c)| !is_word_char(*c))
                    .map_or(rest.len(), |(end, _)| end)
        }
        _ => ascii_end,
    };
    text.get(..end).unwrap_or_default()
}

/// The original byte offset where a match ends that starts at `start` in
/// `text` and spans `length` bytes of the folded text `folded_rest` (which
/// starts at the same character).
fn original_end(text: &str, start: usize, folded_rest: &str, length: usize) -> usize {
    // An ASCII character folds to one of the same size: most names are
    // ASCII, and need no walk.
    let end = start.saturating_add(length);
    if text
        .as_bytes()
        .get(start..end)
        .is_some_and(<[u8]>::is_ascii)
    {
        return end;
    }
    let rest = text.get(start..).unwrap_or_default();
    rest.char_indices()
        .zip(folded_rest.char_indices())
        .find(|(_, (folded_offset, _))| *folded_offset >= length)
        .map_or(text.len(), |((offset, _), _)| start + offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::entities::fold::fold_char;

    fn matcher(text: &str) -> AuthorityMatcher {
        let mut authority = Authority::default();
        authority.add(text).expect("parses");
        AuthorityMatcher::new(&authority)
    }

    /// Every word start of `text` with its folded offset (the recogniser
    /// takes them from its tokens).
    fn word_starts(text: &str) -> Vec<(usize, usize)> {
        let mut starts = Vec::new();
        let (mut folded_offset, mut previous_word_char) = (0, false);
        for (offset, c) in text.char_indices() {
            if is_word_char(c) && !previous_word_char {
                starts.push((offset, folded_offset));
            }
            previous_word_char = is_word_char(c);
            folded_offset += fold_char(c).len_utf8();
        }
        starts
    }

    fn check(matcher: &AuthorityMatcher, text: &str, expected: &[(&str, &str)]) {
        let folded = fold(text);
        let found: Vec<(&str, &str)> = matcher
            .find_at(text, &folded, word_starts(text))
            .iter()
            .map(|m| {
                let name = matcher.entity(m.entity).map_or("", |(_, name)| name);
                (text.get(m.range.clone()).unwrap_or_default(), name)
            })
            .collect();
        assert_eq!(found, expected, "{text}");
    }

    #[test]
    fn a_malformed_line_is_reported_with_its_number() {
        let text = "# comment\nplace\tPeru\tPerú\n\nplanet\tMars\n";
        let error = parse(text).expect_err("bad type");
        assert_eq!(error.line, 4);
        assert!(error.message.contains("`planet` is not a type"));
        let error = parse("org\t\tX\n").expect_err("no name");
        assert_eq!(error.line, 1);
        let mut authority = Authority::default();
        assert!(authority.add(text).is_err());
        assert!(
            authority.entries().is_empty(),
            "nothing added from a bad file"
        );
    }

    #[test]
    fn the_shipped_authority_parses() {
        for (name, text) in BUILTIN {
            if let Err(error) = parse(text) {
                panic!("{name} line {}: {}", error.line, error.message);
            }
        }
        let matcher = AuthorityMatcher::new(&Authority::builtin());
        for alias in ["EE.UU.", "U.S.", "Estados Unidos", "US", "united states"] {
            assert_eq!(
                matcher.lookup(alias),
                Some((EntityKind::Place, "United States")),
                "{alias}"
            );
        }
        assert_eq!(
            matcher.lookup("OTAN"),
            Some((EntityKind::Org, "North Atlantic Treaty Organization"))
        );
    }

    #[test]
    fn whole_words_longest_match_accents_and_acronym_case() {
        let m = matcher(
            "place\tUnited States\tUS\tU.S.\tEstados Unidos\n\
             org\tUnited States Army\n\
             place\tPeru\tPerú\n\
             org\tNational Liberation Army\tELN\n\
             place\tCaribbean\tthe Caribbean\tCaribe\n",
        );
        check(
            &m,
            "The US and us; the United States Army in Peruvian PERU, Peru's ELN, eln.",
            &[
                ("US", "United States"),
                ("United States Army", "United States Army"),
                ("PERU", "Peru"),
                ("Peru", "Peru"),
                ("ELN", "National Liberation Army"),
            ],
        );
        check(
            &m,
            "Los estados unidos, Estados Unidos y el Caribe; islands in the Caribbean.",
            &[
                ("Estados Unidos", "United States"),
                ("Caribe", "Caribbean"),
                ("the Caribbean", "Caribbean"),
            ],
        );
        check(&m, "Peru and Perú", &[("Peru", "Peru"), ("Perú", "Peru")]);
    }

    #[test]
    fn first_words_are_those_aliases_start_with() {
        let m = matcher("place\tUnited States\tthe Caribbean\nplace\tPerú\tUSA\n");
        let first_words: Vec<(&str, bool)> = m
            .first_words()
            .iter()
            .map(|(word, lower)| (word.as_str(), *lower))
            .collect();
        assert_eq!(
            first_words,
            [
                ("peru", false),
                ("the", true),
                ("united", false),
                ("usa", false)
            ]
        );
    }

    // See: issue 17
    #[test]
    fn issue_17_validity_periods_parse_and_malformed_ones_say_their_line() {
        let entries = parse(
            "org\tExxon Corporation\tExxon\n\
             org\tExxonMobil\tExxon Mobil\tExxon [1999-11-30..]\tX [..1990-01-01]\n\
             misc\tBracketed\tName [not a period]\n",
        )
        .expect("parses");
        let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
        assert_eq!(entries[1].aliases, ["Exxon Mobil"]);
        assert_eq!(
            entries[1].dated,
            [
                (
                    "Exxon".to_owned(),
                    Period {
                        from: day("1999-11-30"),
                        to: None
                    }
                ),
                (
                    "X".to_owned(),
                    Period {
                        from: None,
                        to: day("1990-01-01")
                    }
                )
            ]
        );
        // A bracket without `..` is part of the alias, as before periods.
        assert_eq!(entries[2].aliases, ["Name [not a period]"]);
        let error = parse("# c\norg\tA\tB [1999-13-01..]\n").expect_err("bad month");
        assert_eq!(error.line, 2);
        assert!(error.message.contains("YYYY-MM-DD"), "{}", error.message);
        let error = parse("org\tA\tB [2000-01-01..1999-01-01]\n").expect_err("reversed");
        assert!(error.message.contains("ends before"), "{}", error.message);
    }

    // See: issue 17
    #[test]
    fn issue_17_validity_periods_apply_by_the_article_date() {
        use crate::analyze::EntityRecogniser;
        let recogniser = EntityRecogniser::builtin();
        let text = "Exxon said output rose.";
        let named = |day: Option<&str>| -> Vec<String> {
            let day = day.and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok());
            recogniser
                .on_date(text, recogniser.recognise(text, "en"), day)
                .into_iter()
                .map(|entity| entity.name)
                .collect()
        };
        assert_eq!(named(Some("1987-03-03")), ["Exxon Corporation"]);
        assert_eq!(named(Some("2004-03-03")), ["ExxonMobil"]);
        assert_eq!(named(Some("1999-11-30")), ["ExxonMobil"]);
        assert_eq!(
            named(None),
            ["Exxon Corporation"],
            "undated: no period holds"
        );
        // An alias held only for a period is, outside it, the name as written.
        let m = matcher("org\tExxonMobil\tExxon [1999-11-30..]\n");
        assert_eq!(
            m.on_date("EXXON", day_of("1987-01-01")),
            Some(OnDate::AsWritten)
        );
        assert_eq!(
            m.on_date("Exxon", day_of("2001-01-01")),
            Some(OnDate::Entity(0))
        );
        assert_eq!(m.on_date("Mobil", day_of("2001-01-01")), None);
    }

    fn day_of(text: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
    }

    #[test]
    fn later_files_override_earlier_aliases() {
        let m = matcher("place\tGeorgia\nplace\tGeorgia (US state)\tGeorgia\n");
        assert_eq!(
            m.lookup("georgia"),
            Some((EntityKind::Place, "Georgia (US state)"))
        );
    }
}
