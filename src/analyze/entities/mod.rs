//! Entities: people, organisations and places named in an article.
//!
//! Two passes over the article text. The [`Authority`] (controlled
//! vocabularies in `schema/authority/`, plus the user's own files) is
//! matched with one Aho-Corasick automaton: whole words, longest match,
//! accent- and case-insensitive except for short acronyms. Then a
//! rule-based recogniser finds the capitalised names the authority does not
//! list, types them by cues (titles, organisation and place words, first
//! names, locative prepositions, datelines) or leaves them `misc`, and
//! links short mentions to the full names seen in the same article.
//!
//! An [`EntityRecogniser`] is built once per run (the automaton over a few
//! thousand aliases takes milliseconds) and shared by every worker: it is
//! immutable and `Sync`. Recognition never fails; text it cannot read
//! yields fewer entities, never an error.

mod authority;
mod fold;
mod learned;
mod rules;
pub mod tagger;
mod tokens;
pub mod train;
mod word_flags;
mod words;

use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

pub(crate) use authority::AuthorityMatcher;
pub use authority::{parse as parse_authority, Authority, AuthorityEntry, AuthorityLineError};
pub use authority::{OnDate, Period};
pub use fold::{fold, folds_to};
pub(crate) use fold::{fold_char, is_word_char};
pub use tagger::{Model, ModelError};

use rules::Cues;

/// The shipped English model, trained by `schema/ner/train.sh` on
/// redistributable annotations only (see `schema/ner/MODEL-CARD.md`).
const ENGLISH_MODEL: &[u8] = include_bytes!("../../../schema/ner/en.model");

/// First names that make a capitalised pair a person, shipped with gazette.
const FIRST_NAMES: &str = include_str!("../../../schema/authority/first-names.txt");

/// The type of an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    /// A person.
    Person,
    /// An organisation: agency, company, party, armed group, court…
    Org,
    /// A place: country, city, region, river…
    Place,
    /// A name whose type no cue told.
    Misc,
}

impl EntityKind {
    /// Every type, in display order.
    pub const ALL: [EntityKind; 4] = [
        EntityKind::Person,
        EntityKind::Org,
        EntityKind::Place,
        EntityKind::Misc,
    ];

    /// The name used in facets, files and output: `person`, `org`, `place`, `misc`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Org => "org",
            EntityKind::Place => "place",
            EntityKind::Misc => "misc",
        }
    }

    /// Parses a type name (case-insensitive).
    pub fn parse(text: &str) -> Option<EntityKind> {
        EntityKind::ALL
            .into_iter()
            .find(|kind| kind.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// An entity of an article (or passage) with every mention of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// Type.
    pub kind: EntityKind,
    /// Canonical name.
    pub name: String,
    /// Mentions, as byte ranges of the text they were found in, in order.
    pub mentions: Vec<Range<usize>>,
}

/// Finds entities in text. Build once, share between threads.
pub struct EntityRecogniser {
    matcher: AuthorityMatcher,
    cues: Cues,
    /// Learned models, by language; texts of other languages go to the rules.
    models: Vec<Model>,
}

impl std::fmt::Debug for EntityRecogniser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EntityRecogniser")
            .field("matcher", &self.matcher)
            .finish_non_exhaustive()
    }
}

impl Default for EntityRecogniser {
    fn default() -> Self {
        EntityRecogniser::new(&Authority::builtin())
    }
}

impl EntityRecogniser {
    /// The recogniser of the built-in authority, built once per process
    /// (its automaton takes tens of milliseconds) and shared.
    pub fn builtin() -> Arc<EntityRecogniser> {
        static BUILTIN: OnceLock<Arc<EntityRecogniser>> = OnceLock::new();
        Arc::clone(BUILTIN.get_or_init(|| Arc::new(EntityRecogniser::default())))
    }

    /// A recogniser matching `authority` (usually [`Authority::builtin`]
    /// plus the user's files), with the shipped models.
    pub fn new(authority: &Authority) -> EntityRecogniser {
        EntityRecogniser::with_models(authority, Self::shipped_models())
    }

    /// A recogniser matching `authority` that tags with `models` (one per
    /// language; a later one replaces an earlier one of its language) and
    /// with the rules for languages none of them is for.
    pub fn with_models(authority: &Authority, models: Vec<Model>) -> EntityRecogniser {
        let matcher = AuthorityMatcher::new(authority);
        let cues = Cues::new(FIRST_NAMES, matcher.first_words());
        let mut kept: Vec<Model> = Vec::with_capacity(models.len());
        for model in models {
            kept.retain(|k| k.language != model.language);
            kept.push(model);
        }
        EntityRecogniser {
            matcher,
            cues,
            models: kept,
        }
    }

    /// The models shipped with gazette.
    pub fn shipped_models() -> Vec<Model> {
        // The shipped file is checked by a unit test: it always reads.
        Model::from_bytes(ENGLISH_MODEL).into_iter().collect()
    }

    /// The model that tags texts of `language`, if any (`*` models take
    /// every language no other model is for).
    fn model_for(&self, language: &str) -> Option<&Model> {
        self.models
            .iter()
            .find(|m| m.language == language)
            .or_else(|| self.models.iter().find(|m| m.language == "*"))
    }

    /// The authority entity a name or alias stands for, if any.
    pub fn lookup(&self, name: &str) -> Option<(EntityKind, &str)> {
        self.matcher.lookup(name)
    }

    /// `entities` (of `text`) as they stand in an article of `day`: a
    /// dated alias (`Exxon [1999-11-30..]`) goes to the entity valid that
    /// day. `None`: the article's date is unknown, and only undated
    /// aliases hold.
    pub fn on_date(
        &self,
        text: &str,
        entities: Vec<Entity>,
        day: Option<chrono::NaiveDate>,
    ) -> Vec<Entity> {
        authority::entities_on_date(&self.matcher, text, entities, day)
    }

    /// The entities of `text`, written in `language` (ISO 639-1), in
    /// order of first mention: by the learned model of the language if
    /// there is one, else by the rules.
    pub fn recognise(&self, text: &str, language: &str) -> Vec<Entity> {
        match self.model_for(language) {
            Some(model) => group(learned::recognise(self, model, text)),
            None => self.recognise_by_rules(text),
        }
    }

    /// The entities the rules find in `text`.
    fn recognise_by_rules(&self, text: &str) -> Vec<Entity> {
        let folded = fold(text);
        let (matches, found) = rules::recognise(text, &folded, &self.matcher, &self.cues);
        // Authority mentions borrow their canonical name from the matcher:
        // a name is copied once per entity, not once per mention.
        // Sized up front: collected from a filter, the vector would grow
        // from empty, copied at every doubling.
        let mut known: Vec<(Range<usize>, EntityKind, Cow<str>)> =
            Vec::with_capacity(matches.len());
        known.extend(matches.into_iter().filter_map(|m| {
            self.matcher
                .entity(m.entity)
                .map(|(kind, name)| (m.range, kind, Cow::Borrowed(name)))
        }));
        let recognised = found
            .into_iter()
            .map(|m| (m.range, m.kind, Cow::Owned(m.name)))
            .collect();
        group(merge_in_text_order(known, recognised))
    }

    /// What the authority and the cue lists say of each of `tokens`.
    fn word_facts(
        &self,
        text: &str,
        folded: &str,
        tokens: &[tokens::Token],
    ) -> Vec<tagger::WordFacts> {
        learned::word_facts(self, text, folded, tokens).0
    }

    /// Whether a folded word is a title or role (`president`, `mr`).
    pub fn is_title(&self, folded: &str) -> bool {
        self.cues.flags(folded) & rules::TITLES_ != 0
    }
}

/// Mentions in text order grouped into entities, in order of first mention.
fn group(mentions: Vec<(Range<usize>, EntityKind, Cow<str>)>) -> Vec<Entity> {
    let mut entities: Vec<Entity> = Vec::with_capacity(mentions.len());
    let mut index: FxHashMap<(EntityKind, &str), usize> =
        FxHashMap::with_capacity_and_hasher(mentions.len(), Default::default());
    for (range, kind, name) in &mentions {
        let slot = *index.entry((*kind, name.as_ref())).or_insert_with(|| {
            entities.push(Entity {
                kind: *kind,
                name: name.to_string(),
                mentions: Vec::new(),
            });
            entities.len() - 1
        });
        if let Some(entity) = entities.get_mut(slot) {
            entity.mentions.push(range.clone());
        }
    }
    entities
}

/// The mentions of `a` and `b` in text order (by start, then end; `a`'s
/// first on a tie). Each comes in text order already (the authority's
/// matches and the rules' runs are found walking the text), so one merge
/// replaces sorting them together; one out of order is sorted first.
fn merge_in_text_order<T>(
    mut a: Vec<(Range<usize>, EntityKind, T)>,
    mut b: Vec<(Range<usize>, EntityKind, T)>,
) -> Vec<(Range<usize>, EntityKind, T)> {
    let key = |(range, _, _): &(Range<usize>, EntityKind, T)| (range.start, range.end);
    for list in [&mut a, &mut b] {
        if !list.is_sorted_by_key(key) {
            list.sort_by_key(key);
        }
    }
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let mut b = b.into_iter().peekable();
    for mention in a {
        while let Some(before) = b.next_if(|next| key(next) < key(&mention)) {
            merged.push(before);
        }
        merged.push(mention);
    }
    merged.extend(b);
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recogniser() -> EntityRecogniser {
        EntityRecogniser::default()
    }

    /// `(type, name, mentions as written)` for every entity of `text`.
    fn found(text: &str) -> Vec<(String, String, Vec<String>)> {
        recogniser()
            .recognise(text, "und")
            .into_iter()
            .map(|entity| {
                let mentions = entity
                    .mentions
                    .iter()
                    .map(|m| text.get(m.clone()).unwrap_or_default().to_owned())
                    .collect();
                (entity.kind.as_str().to_owned(), entity.name, mentions)
            })
            .collect()
    }

    fn has(text: &str, kind: &str, name: &str) -> bool {
        found(text).iter().any(|(k, n, _)| k == kind && n == name)
    }

    fn check(text: &str, expected: &[(&str, &str)]) {
        for (kind, name) in expected {
            assert!(
                has(text, kind, name),
                "{kind} {name} in {text}: {:?}",
                found(text)
            );
        }
    }

    #[test]
    fn mentions_merge_in_text_order() {
        let mention = |start, end, name| (start..end, EntityKind::Misc, name);
        let a = vec![
            mention(0, 3, "a0"),
            mention(10, 12, "a1"),
            mention(5, 6, "a2"),
        ];
        let b = vec![
            mention(4, 5, "b0"),
            mention(10, 12, "b1"),
            mention(20, 21, "b2"),
        ];
        let names: Vec<&str> = merge_in_text_order(a, b)
            .into_iter()
            .map(|(_, _, name)| name)
            .collect();
        assert_eq!(names, ["a0", "b0", "a2", "a1", "b1", "b2"]);
    }

    #[test]
    fn authority_names_and_aliases_resolve_to_canonical_names() {
        check(
            "Officials in EE.UU. and the U.S. met the OEA in Bogota; NATO and the ELN too.",
            &[
                ("place", "United States"),
                ("org", "Organization of American States"),
                ("place", "Bogotá"),
                ("org", "North Atlantic Treaty Organization"),
                ("org", "National Liberation Army"),
            ],
        );
        let entities = found("Nicolas Maduro spoke. Nicolás Maduro left.");
        assert_eq!(entities.len(), 1, "{entities:?}");
        assert_eq!(entities[0].2, vec!["Nicolas Maduro", "Nicolás Maduro"]);
    }

    #[test]
    fn user_aliases_in_lower_case_with_joiners_or_digits_match() {
        let mut authority = Authority::builtin();
        authority
            .add(
                "place\tFormer Yugoslavia\tthe former Yugoslavia\n\
                 org\t3M\n\
                 org\tal-Shabaab\tHarakat al-Shabaab\n\
                 org\tMinistry of Popular Power for Defence\tMPPD\n",
            )
            .expect("parses");
        let recogniser = EntityRecogniser::new(&authority);
        let text = "Refugees from the former Yugoslavia met 3M staff; al-Shabaab \
                    and Harakat al-Shabaab, and the MPPD too.";
        let entities: Vec<(EntityKind, String, usize)> = recogniser
            .recognise(text, "und")
            .into_iter()
            .map(|entity| (entity.kind, entity.name, entity.mentions.len()))
            .collect();
        for expected in [
            (EntityKind::Place, "Former Yugoslavia", 1),
            (EntityKind::Org, "3M", 1),
            (EntityKind::Org, "al-Shabaab", 2),
            (EntityKind::Org, "Ministry of Popular Power for Defence", 1),
        ] {
            assert!(
                entities
                    .iter()
                    .any(|(kind, name, mentions)| (*kind, name.as_str(), *mentions) == expected),
                "{expected:?} in {entities:?}"
            );
        }
    }

    #[test]
    fn a_place_swallowed_into_a_longer_name_does_not_list_the_next_name_as_a_place() {
        // `America` is part of the bank's name: `UBS` follows an
        // organisation, not a place.
        let text = "Bank of America, UBS and Barclays were fined. Visitors came \
                    from Peru, Zorbania and the UN.";
        assert!(!has(text, "place", "UBS"), "{:?}", found(text));
        // `Peru` is a place of its own: the unlisted name after it is one too.
        assert!(has(text, "place", "Zorbania"), "{:?}", found(text));
    }

    #[test]
    fn titles_first_names_and_cues_type_unlisted_names() {
        check(
            "Attorney General William Barr spoke with Elena Sarmiento, an economist, \
             about the Ministry of Ecological Mining Development and the Yuruari River. \
             Later, officials flew in from Tumeremo.",
            &[
                ("person", "William Barr"),
                ("person", "Elena Sarmiento"),
                ("org", "Ministry of Ecological Mining Development"),
                ("place", "Yuruari River"),
                ("place", "Tumeremo"),
            ],
        );
        check(
            "La bióloga Elena Marcano visitó el estado Yaracuy con la Corporación Venezolana de Minería.",
            &[
                ("person", "Elena Marcano"),
                ("place", "Yaracuy"),
                ("org", "Corporación Venezolana de Minería"),
            ],
        );
    }

    #[test]
    fn short_mentions_and_acronyms_link_to_the_full_name() {
        let text = "Rafael Guaiquirima works near the river. Later Guaiquirima said it was \
                    hard. The Democratic Unity Roundtable (MUD) met; the MUD agreed.";
        let entities = found(text);
        let rafael = entities
            .iter()
            .find(|(_, name, _)| name == "Rafael Guaiquirima")
            .expect("person found");
        assert_eq!(rafael.0, "person");
        assert_eq!(rafael.2, vec!["Rafael Guaiquirima", "Guaiquirima"]);
        let mud = entities
            .iter()
            .find(|(_, name, _)| name == "Democratic Unity Roundtable")
            .expect("org found");
        assert_eq!(mud.2.len(), 3, "{mud:?}");
        check(
            "President Nicolás Maduro spoke. Maduro said no.",
            &[("person", "Nicolás Maduro")],
        );
        assert_eq!(
            found("President Nicolás Maduro spoke. Maduro said no.").len(),
            1
        );
    }

    #[test]
    fn sentence_initial_words_and_headlines_are_not_entities() {
        let text = "Economists warned on Monday. The decision was late. \
                    Sanctions Hit Hard Across The Region\nRefiners are preparing.";
        assert_eq!(found(text), Vec::<(String, String, Vec<String>)>::new());
        check("The Carter Center said so.", &[("org", "Carter Center")]);
    }

    #[test]
    fn datelines_are_places_and_unknown_names_are_misc() {
        check(
            "EL CALLAO, Venezuela \u{2014} Miners met Pemón Kuyu leaders.",
            &[
                ("place", "El Callao"),
                ("place", "Venezuela"),
                ("misc", "Pemón Kuyu"),
            ],
        );
    }

    #[test]
    fn longer_names_swallow_the_places_inside_them() {
        let text = "She studied at the Central University of Venezuela last year.";
        check(text, &[("org", "Central University of Venezuela")]);
        assert!(!has(text, "place", "Venezuela"));
    }

    /// Words far from any capital take the tokeniser's short path: they
    /// must still count towards their line's shape and start aliases.
    #[test]
    fn plain_running_words_count_for_headlines_and_start_aliases() {
        // Three capitals and three short words after them: without the
        // long words further on, the line would look like a headline.
        let text = "Maria Gomez Ruiz and her son whose family still works the river fields\n";
        assert!(
            found(text)
                .iter()
                .any(|(_, name, _)| name == "Maria Gomez Ruiz"),
            "{:?}",
            found(text)
        );
        let mut authority = Authority::builtin();
        authority
            .add("place\tFormer Yugoslavia\tthe former Yugoslavia\n")
            .expect("parses");
        let text = "Refugees came back. many of them had lived for years in the former Yugoslavia.";
        let entities = EntityRecogniser::new(&authority).recognise(text, "und");
        let yugoslavia = entities
            .iter()
            .find(|entity| entity.name == "Former Yugoslavia")
            .expect("alias matched");
        let written: Vec<&str> = yugoslavia
            .mentions
            .iter()
            .filter_map(|m| text.get(m.clone()))
            .collect();
        assert_eq!(written, ["the former Yugoslavia"]);
    }

    #[test]
    fn a_text_is_read_alike_after_others_on_the_same_thread() {
        // The recogniser keeps its token buffer per thread between texts.
        let short = "Cilia Flores met Gustavo Petro in Bogotá.";
        let alone = std::thread::spawn(move || found(short))
            .join()
            .expect("thread");
        let long = "Nicolás Maduro spoke in Caracas. ".repeat(200);
        assert!(!found(&long).is_empty());
        assert_eq!(found(short), alone);
        assert!(alone
            .iter()
            .any(|(kind, name, _)| kind == "person" && name == "Cilia Flores"));
    }

    #[test]
    fn an_unlisted_name_takes_its_accented_spelling() {
        let text = "Senator Jose Ramirez Ochoa spoke on Monday. \
                    Later, Senator José Ramírez Ochoa left the hall.";
        assert_eq!(
            found(text),
            [(
                "person".to_owned(),
                "José Ramírez Ochoa".to_owned(),
                vec![
                    "Jose Ramirez Ochoa".to_owned(),
                    "José Ramírez Ochoa".to_owned()
                ]
            )]
        );
    }

    #[test]
    fn connectors_in_reach_of_capitals_do_not_count_towards_headlines() {
        // Two capitals and one other word besides the connector: a
        // headline, unless `para`, looked up as a word near the capitals,
        // counted as a word of its own.
        let text = "Protestas Masivas para reformas\nEl ministro habló ayer.";
        assert!(found(text).is_empty(), "{:?}", found(text));
    }
}
