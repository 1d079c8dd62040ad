//! The learned recogniser: a greedy, left-to-right tagger with an averaged
//! perceptron over hashed features (the word, its shape, prefixes and
//! suffixes, the neighbouring words and shapes, sentence position, the
//! authority's matches, the cue lists, first names and the tags already
//! given), deciding person / organisation / place / misc spans in BIO tags.
//!
//! Only where a name can start is anything scored: a word with a capital
//! letter, or the start of an authority match. A lower-case word after
//! `O` is `O` without a look at the weights, so running text costs little.
//!
//! A [`Model`] is a table from feature to one weight per tag, stored
//! compressed in a small file (see [`Model::to_bytes`]); training is in
//! [`super::train`].

use std::cell::RefCell;
use std::io::{Read, Write};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use rustc_hash::FxHashMap;

use super::rules::{CONNECTORS_, LIST_JOINERS_, STARTERS_};
use super::tokens::Token;
use super::EntityKind;

/// The tags: `O`, then `B-` and `I-` of each kind in [`EntityKind::ALL`] order.
pub const TAGS: usize = 1 + 2 * EntityKind::ALL.len();
/// The tag outside any name.
pub const OUTSIDE: u8 = 0;

/// A weight, quantised: a byte keeps a feature's weights in one small slot.
pub type Weight = i8;

/// The `B-` tag of `kind`.
pub fn begin(kind: EntityKind) -> u8 {
    1 + 2 * kind_index(kind)
}

/// The `I-` tag of `kind`.
pub fn inside(kind: EntityKind) -> u8 {
    2 + 2 * kind_index(kind)
}

fn kind_index(kind: EntityKind) -> u8 {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Org => 1,
        EntityKind::Place => 2,
        EntityKind::Misc => 3,
    }
}

/// The kind of a tag other than `O`.
pub fn tag_kind(tag: u8) -> Option<EntityKind> {
    let index = usize::from(tag.checked_sub(1)? / 2);
    EntityKind::ALL.get(index).copied()
}

/// What the tagger knows of one word beyond its text: filled in by the
/// caller from the authority and the cue lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WordFacts {
    /// The cue lists the word is in (the rules' flags).
    pub cues: u16,
    /// A first name of the shipped list.
    pub first_name: bool,
    /// Inside an authority match: its `B-`/`I-` tag, else `O`.
    pub authority: u8,
    /// Has a capital letter (`Blair`, `eBay`, `NASA`).
    pub capital: bool,
}

/// A text to tag: its words, their folded forms and facts.
pub struct Sentence<'a> {
    /// The text as written.
    pub text: &'a str,
    /// The folded text (see [`super::fold`]).
    pub folded: &'a str,
    /// Its words.
    pub tokens: &'a [Token],
    /// One per token.
    pub facts: &'a [WordFacts],
}

/// The per-word features, computed once per word and only for words near
/// a place where a name can start.
#[derive(Debug, Clone, Copy, Default)]
struct WordFeatures {
    word: u64,
    shape: u64,
    short_shape: u64,
    prefixes: [u64; 2],
    suffixes: [u64; 3],
}

/// Feature templates: each feature's hash mixes its template in, so equal
/// values of different templates are different features.
#[derive(Clone, Copy)]
#[repr(u8)]
enum Template {
    Bias = 1,
    Word,
    WordBefore,
    WordAfter,
    WordTwoBefore,
    WordTwoAfter,
    Shape,
    ShapeBefore,
    ShapeAfter,
    ShortShape,
    Prefix,
    Suffix,
    Tag,
    TwoTags,
    TagWord,
    TagShape,
    SentenceShape,
    Authority,
    AuthorityBefore,
    AuthorityAfter,
    Cue,
    CueBefore,
    CueAfter,
    FirstName,
    FirstNameBefore,
    Shapes,
    Bigram,
    BigramAfter,
}

/// The hash of a feature: its template and value, mixed (splitmix64's
/// finaliser) and cut to 32 bits. Stable across machines and versions:
/// a model file's features are these numbers.
fn feature(template: Template, value: u64) -> u32 {
    let mut x = value ^ (template as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    // 0 marks an empty slot of the weight table.
    ((x >> 32) as u32).max(1)
}

fn pair(a: u64, b: u64) -> u64 {
    a.rotate_left(17) ^ b.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

/// FNV-1a's start and step: a stable hash, fed a byte at a time so that
/// one walk over a word gives the hashes of its prefixes too.
const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv(h: u64, byte: u8) -> u64 {
    (h ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
}

/// The class of a character in a word's shape: `X` capital, `x` other
/// letter, `d` digit, ASCII punctuation as itself, `*` anything else.
fn shape_class(c: char) -> u8 {
    if c.is_ascii() {
        match c {
            'A'..='Z' => b'X',
            'a'..='z' => b'x',
            '0'..='9' => b'd',
            _ => c as u8,
        }
    } else if c.is_uppercase() {
        b'X'
    } else if c.is_alphabetic() {
        b'x'
    } else if c.is_numeric() {
        b'd'
    } else {
        b'*'
    }
}

/// The longest shape hashed: the first eight characters.
const SHAPE_LENGTH: usize = 8;

fn word_features(sentence: &Sentence, token: &Token) -> WordFeatures {
    let word = sentence.text.get(token.range.clone()).unwrap_or_default();
    let folded = sentence
        .folded
        .get(token.folded.clone())
        .unwrap_or_default();
    // The shape (`Xxxx`) and the short shape (`Xx`, runs of a class as one).
    let (mut shape, mut short_shape) = (FNV_START, FNV_START);
    let mut last_class = 0;
    for (n, c) in word.chars().take(SHAPE_LENGTH).enumerate() {
        let class = shape_class(c);
        shape = fnv(shape, class);
        if n == 0 || class != last_class {
            short_shape = fnv(short_shape, class);
            last_class = class;
        }
    }
    // The folded word's hash, with those of its first two and three
    // characters on the way.
    let mut hash = FNV_START;
    let mut prefixes = [0u64; 2];
    let mut characters: usize = 0;
    for c in folded.chars() {
        let mut utf8 = [0u8; 4];
        for byte in c.encode_utf8(&mut utf8).bytes() {
            hash = fnv(hash, byte);
        }
        characters += 1;
        if let Some(slot) = prefixes.get_mut(characters.wrapping_sub(2)) {
            *slot = hash;
        }
    }
    // Suffixes of two, three and four characters, hashed from the end.
    let mut suffixes = [0u64; 3];
    let mut backwards = FNV_START;
    for (n, c) in folded.chars().rev().take(4).enumerate() {
        let mut utf8 = [0u8; 4];
        for byte in c.encode_utf8(&mut utf8).bytes() {
            backwards = fnv(backwards, byte);
        }
        if let Some(slot) = suffixes.get_mut(n.wrapping_sub(1)) {
            *slot = backwards;
        }
    }
    WordFeatures {
        word: hash,
        shape,
        short_shape,
        prefixes,
        suffixes,
    }
}

/// Where a name can start: a capital letter in the word, or an authority
/// match starting there.
///
/// A capitalised word that opens most sentences (`The`, `In`, `But`) opens
/// no name when the next word has no capital: it is not even scored.
pub fn may_start(sentence: &Sentence, index: usize) -> bool {
    let Some(facts) = sentence.facts.get(index) else {
        return false;
    };
    if facts.authority % 2 == 1 {
        return true;
    }
    let opener = facts.cues & STARTERS_ != 0
        && sentence.tokens.get(index).is_some_and(|t| t.sentence_start)
        && !sentence.facts.get(index + 1).is_some_and(|f| f.capital);
    facts.capital && !opener
}

/// Where a name under way can go on: a capitalised word, a connector
/// (`of`, `de`, `and`) or punctuation (`&`, `-`, `'s`). Any other word
/// after a name is outside it without a look at the weights.
pub fn may_continue(sentence: &Sentence, index: usize) -> bool {
    let Some(facts) = sentence.facts.get(index) else {
        return false;
    };
    let punctuation = sentence
        .tokens
        .get(index)
        .and_then(|t| sentence.text.get(t.range.clone()))
        .and_then(|word| word.chars().next())
        .is_some_and(|c| !c.is_alphanumeric());
    facts.capital || punctuation || facts.cues & (CONNECTORS_ | LIST_JOINERS_) != 0
}

/// Whether the word at `index` is scored, after a word tagged `previous`.
pub fn scored(sentence: &Sentence, index: usize, previous: u8) -> bool {
    if previous == OUTSIDE {
        may_start(sentence, index)
    } else {
        may_continue(sentence, index)
    }
}

/// Whether `tag` may follow `previous` (`I-X` only after `B-X` or `I-X`).
pub fn allowed(previous: u8, tag: u8) -> bool {
    tag == OUTSIDE || tag % 2 == 1 || (previous != OUTSIDE && tag_kind(previous) == tag_kind(tag))
}

/// Computes the features of words, caching each word's own.
pub struct Featurizer<'s, 'a> {
    sentence: &'s Sentence<'a>,
    cache: Vec<Option<WordFeatures>>,
}

impl<'s, 'a> Featurizer<'s, 'a> {
    /// A featurizer of `sentence`.
    pub fn new(sentence: &'s Sentence<'a>) -> Self {
        Featurizer {
            sentence,
            cache: vec![None; sentence.tokens.len()],
        }
    }

    fn word(&mut self, index: Option<usize>) -> WordFeatures {
        let Some(index) = index else {
            return WordFeatures::default();
        };
        if let Some(Some(cached)) = self.cache.get(index) {
            return *cached;
        }
        let Some(token) = self.sentence.tokens.get(index) else {
            return WordFeatures::default();
        };
        let computed = word_features(self.sentence, token);
        if let Some(slot) = self.cache.get_mut(index) {
            *slot = Some(computed);
        }
        computed
    }

    fn facts(&self, index: Option<usize>) -> WordFacts {
        index
            .and_then(|i| self.sentence.facts.get(i))
            .copied()
            .unwrap_or_default()
    }

    /// The features of word `index`, given the two tags before it: its own
    /// and those of its context.
    pub fn features(
        &mut self,
        index: usize,
        previous: u8,
        before_previous: u8,
        out: &mut Vec<u32>,
    ) {
        out.clear();
        self.own_features(index, out);
        self.context_features(index, previous, before_previous, out);
    }

    fn sentence_start(&self, index: usize) -> bool {
        self.sentence
            .tokens
            .get(index)
            .is_some_and(|t| t.sentence_start)
    }

    /// A key for the features of word `index` alone: words with the same
    /// key have the same [`own_features`](Self::own_features).
    pub fn own_key(&mut self, index: usize) -> u64 {
        let current = self.word(Some(index));
        let facts = self.facts(Some(index));
        let sentence_start = self.sentence_start(index);
        let bits = u64::from(facts.cues)
            | u64::from(facts.authority) << 16
            | u64::from(facts.first_name) << 24
            | u64::from(sentence_start) << 25;
        pair(pair(current.word, current.shape), bits)
    }

    /// The features of word `index` that depend on nothing around it,
    /// appended to `out`.
    pub fn own_features(&mut self, index: usize, out: &mut Vec<u32>) {
        use Template::*;
        let current = self.word(Some(index));
        let facts = self.facts(Some(index));
        let sentence_start = self.sentence_start(index);
        out.push(feature(Bias, 0));
        out.push(feature(Word, current.word));
        out.push(feature(Shape, current.shape));
        out.push(feature(ShortShape, current.short_shape));
        for (i, prefix) in current.prefixes.iter().enumerate() {
            out.push(feature(Prefix, pair(*prefix, i as u64)));
        }
        for (i, suffix) in current.suffixes.iter().enumerate() {
            out.push(feature(Suffix, pair(*suffix, i as u64)));
        }
        out.push(feature(
            SentenceShape,
            pair(current.short_shape, u64::from(sentence_start)),
        ));
        out.push(feature(Authority, u64::from(facts.authority)));
        push_cues(Cue, facts.cues, out);
        if facts.first_name {
            out.push(feature(FirstName, 1));
        }
    }

    /// The features of word `index` that depend on the words and tags
    /// around it, appended to `out`.
    pub fn context_features(
        &mut self,
        index: usize,
        previous: u8,
        before_previous: u8,
        out: &mut Vec<u32>,
    ) {
        use Template::*;
        let n = self.sentence.tokens.len();
        let at = |offset: isize| index.checked_add_signed(offset).filter(|i| *i < n);
        let current = self.word(Some(index));
        let before = self.word(at(-1));
        let after = self.word(at(1));
        let two_before = self.word(at(-2));
        let two_after = self.word(at(2));
        let facts_before = self.facts(at(-1));
        let facts_after = self.facts(at(1));
        out.push(feature(WordBefore, before.word));
        out.push(feature(WordAfter, after.word));
        out.push(feature(WordTwoBefore, two_before.word));
        out.push(feature(WordTwoAfter, two_after.word));
        out.push(feature(ShapeBefore, before.shape));
        out.push(feature(ShapeAfter, after.shape));
        out.push(feature(Tag, u64::from(previous)));
        out.push(feature(
            TwoTags,
            u64::from(previous) << 8 | u64::from(before_previous),
        ));
        out.push(feature(TagWord, pair(current.word, u64::from(previous))));
        out.push(feature(
            TagShape,
            pair(current.short_shape, u64::from(previous)),
        ));
        out.push(feature(AuthorityBefore, u64::from(facts_before.authority)));
        out.push(feature(AuthorityAfter, u64::from(facts_after.authority)));
        push_cues(CueBefore, facts_before.cues, out);
        push_cues(CueAfter, facts_after.cues, out);
        if facts_before.first_name {
            out.push(feature(FirstNameBefore, 1));
        }
        out.push(feature(
            Shapes,
            pair(
                pair(before.short_shape, current.short_shape),
                after.short_shape,
            ),
        ));
        out.push(feature(Bigram, pair(before.word, current.word)));
        out.push(feature(BigramAfter, pair(current.word, after.word)));
    }
}

/// One feature per cue list the word is in.
fn push_cues(template: Template, cues: u16, out: &mut Vec<u32>) {
    let mut bits = cues;
    while bits != 0 {
        out.push(feature(template, u64::from(bits.trailing_zeros())));
        bits &= bits - 1;
    }
}

thread_local! {
    /// Each thread's sums of the weights of words' own features, by model
    /// and [`Featurizer::own_key`]: the capitalised words of news repeat
    /// (`Mr`, `U.S.`, `Monday`, the names of a story), and a third of a
    /// word's lookups are its own features.
    static OWN_SCORES: RefCell<FxHashMap<(u64, u64), [i32; TAGS]>> = RefCell::new(FxHashMap::default());
}

/// The most sums [`OWN_SCORES`] keeps before it starts again.
const MAX_OWN_SCORES: usize = 1 << 15;

/// Numbers models for [`OWN_SCORES`].
static MODELS: AtomicU64 = AtomicU64::new(0);

/// A trained tagger: weights per feature and tag.
#[derive(Debug, Clone)]
pub struct Model {
    /// The language the model was trained for (ISO 639-1), or `*`.
    pub language: String,
    weights: WeightTable,
    /// This model among the process's, for [`OWN_SCORES`].
    id: u64,
}

impl PartialEq for Model {
    fn eq(&self, other: &Model) -> bool {
        self.language == other.language && self.weights.sorted() == other.weights.sorted()
    }
}

/// A feature's weights, beside its key: one cache line read per lookup.
#[derive(Debug, Clone, Copy, Default)]
#[repr(C)]
struct Slot {
    feature: u32,
    weights: [Weight; TAGS],
}

/// Features to weights, open addressing with linear probing, at most three
/// quarters full. Tagging is bound by these lookups (a few dozen per
/// capitalised word); a general map reads its control bytes and then its
/// slot, this reads one slot of 16 bytes, and the table of the shipped
/// model fits in a core's second-level cache.
#[derive(Debug, Clone)]
struct WeightTable {
    slots: Vec<Slot>,
    len: usize,
}

impl WeightTable {
    fn new(weights: &FxHashMap<u32, [Weight; TAGS]>) -> WeightTable {
        let size = (weights.len() * 4 / 3).max(16);
        let mut table = WeightTable {
            slots: vec![Slot::default(); size],
            len: 0,
        };
        let mut sorted: Vec<(&u32, &[Weight; TAGS])> = weights.iter().collect();
        sorted.sort_unstable_by_key(|(f, _)| **f);
        for (feature, row) in sorted {
            table.insert(*feature, *row);
        }
        table
    }

    fn insert(&mut self, feature: u32, weights: [Weight; TAGS]) {
        if feature == 0 {
            return;
        }
        let mut at = self.home(feature);
        loop {
            let Some(slot) = self.slots.get_mut(at) else {
                at = 0;
                continue;
            };
            if slot.feature == 0 || slot.feature == feature {
                if slot.feature == 0 {
                    self.len += 1;
                }
                *slot = Slot { feature, weights };
                return;
            }
            at += 1;
        }
    }

    /// Where `feature` is looked for first: feature hashes are mixed
    /// already, so their high bits scaled to the table's size spread well.
    fn home(&self, feature: u32) -> usize {
        ((u64::from(feature) * self.slots.len() as u64) >> 32) as usize
    }

    fn get(&self, feature: u32) -> Option<&[Weight; TAGS]> {
        let mut at = self.home(feature);
        loop {
            let Some(slot) = self.slots.get(at) else {
                at = 0;
                continue;
            };
            if slot.feature == feature {
                return Some(&slot.weights);
            }
            if slot.feature == 0 {
                return None;
            }
            at += 1;
        }
    }

    fn sorted(&self) -> Vec<(u32, [Weight; TAGS])> {
        let mut entries: Vec<(u32, [Weight; TAGS])> = self
            .slots
            .iter()
            .filter(|s| s.feature != 0)
            .map(|s| (s.feature, s.weights))
            .collect();
        entries.sort_unstable_by_key(|(f, _)| *f);
        entries
    }
}

/// What [`Model::from_bytes`] could not read.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// Not a gazette model file.
    #[error("not a gazette recogniser model (it does not start with {MAGIC:?}): train one with `gazette train-ner`")]
    NotAModel,
    /// Truncated or damaged.
    #[error("the model file is damaged ({0}): train it again with `gazette train-ner`")]
    Damaged(&'static str),
}

/// The first bytes of a model file; the digit is the format's version.
const MAGIC: &[u8] = b"gazette-ner-1\n";

impl Model {
    /// A model of `language` with these weights.
    pub fn new(language: &str, weights: FxHashMap<u32, [Weight; TAGS]>) -> Model {
        Model {
            language: language.to_owned(),
            weights: WeightTable::new(&weights),
            id: MODELS.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// How many features have weights.
    pub fn features(&self) -> usize {
        self.weights.len
    }

    /// Tags every word of `sentence` (greedy, left to right), into `tags`.
    pub fn tag(&self, sentence: &Sentence, tags: &mut Vec<u8>) {
        tags.clear();
        let mut featurizer = Featurizer::new(sentence);
        let mut features = Vec::with_capacity(48);
        let (mut previous, mut before_previous) = (OUTSIDE, OUTSIDE);
        OWN_SCORES.with(|own| {
            let mut own = own.borrow_mut();
            if own.len() > MAX_OWN_SCORES {
                own.clear();
            }
        });
        for index in 0..sentence.tokens.len() {
            let tag = if !scored(sentence, index, previous) {
                OUTSIDE
            } else {
                let key = (self.id, featurizer.own_key(index));
                let mut scores = OWN_SCORES
                    .with(|own| own.borrow().get(&key).copied())
                    .unwrap_or_else(|| {
                        features.clear();
                        featurizer.own_features(index, &mut features);
                        let scores = self.scores(&features);
                        OWN_SCORES.with(|own| own.borrow_mut().insert(key, scores));
                        scores
                    });
                features.clear();
                featurizer.context_features(index, previous, before_previous, &mut features);
                for (total, context) in scores.iter_mut().zip(self.scores(&features)) {
                    *total += context;
                }
                best_tag(&scores, previous)
            };
            tags.push(tag);
            before_previous = previous;
            previous = tag;
        }
    }

    fn scores(&self, features: &[u32]) -> [i32; TAGS] {
        let mut scores = [0i32; TAGS];
        for f in features {
            if let Some(weights) = self.weights.get(*f) {
                for (score, weight) in scores.iter_mut().zip(weights) {
                    *score += i32::from(*weight);
                }
            }
        }
        scores
    }

    /// The model as a file: a header naming the format, the language, then the features in
    /// increasing order, each with its weights, deflated. The same model
    /// gives the same bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let features = self.weights.sorted();
        let mut raw = Vec::with_capacity(features.len() * (4 + TAGS) + 64);
        raw.push(self.language.len().min(255) as u8);
        raw.extend(self.language.bytes().take(255));
        raw.push(TAGS as u8);
        raw.extend((features.len() as u32).to_le_bytes());
        // Deltas of sorted features are small: they deflate well.
        let mut last = 0u32;
        for (f, _) in &features {
            raw.extend((*f - last).to_le_bytes());
            last = *f;
        }
        for (_, weights) in &features {
            for w in weights.iter() {
                raw.extend(w.to_le_bytes());
            }
        }
        let mut out = MAGIC.to_vec();
        let mut encoder = flate2::write::DeflateEncoder::new(&mut out, flate2::Compression::best());
        // Writing to a vector cannot fail.
        let _ = encoder.write_all(&raw);
        let _ = encoder.finish();
        out
    }

    /// Reads a model written by [`to_bytes`](Self::to_bytes).
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let body = bytes.strip_prefix(MAGIC).ok_or(ModelError::NotAModel)?;
        let mut raw = Vec::new();
        flate2::read::DeflateDecoder::new(body)
            .read_to_end(&mut raw)
            .map_err(|_| ModelError::Damaged("it does not inflate"))?;
        let mut reader = Bytes(&raw);
        let language_length = usize::from(reader.byte()?);
        let language = String::from_utf8(reader.take(language_length)?.to_vec())
            .map_err(|_| ModelError::Damaged("its language is not UTF-8"))?;
        if usize::from(reader.byte()?) != TAGS {
            return Err(ModelError::Damaged("it has another set of tags"));
        }
        let count = u32::from_le_bytes(reader.array()?) as usize;
        if count > raw.len() / 4 {
            return Err(ModelError::Damaged("its feature count is impossible"));
        }
        let mut features = Vec::with_capacity(count);
        let mut last = 0u32;
        for _ in 0..count {
            last = last.wrapping_add(u32::from_le_bytes(reader.array()?));
            features.push(last);
        }
        let mut weights = FxHashMap::with_capacity_and_hasher(count, Default::default());
        for f in features {
            let mut row = [0; TAGS];
            for w in row.iter_mut() {
                *w = Weight::from_le_bytes(reader.array()?);
            }
            weights.insert(f, row);
        }
        if !reader.0.is_empty() {
            return Err(ModelError::Damaged("it has bytes after its weights"));
        }
        Ok(Model::new(&language, weights))
    }
}

/// The best tag that may follow `previous`.
pub fn best_tag<T: PartialOrd + Copy>(scores: &[T; TAGS], previous: u8) -> u8 {
    let mut best = OUTSIDE;
    let mut best_score = scores[0];
    for (tag, score) in (0u8..).zip(scores.iter()).skip(1) {
        if allowed(previous, tag) && *score > best_score {
            best = tag;
            best_score = *score;
        }
    }
    best
}

/// The spans of `tags`: token ranges with their kind.
pub fn spans(tags: &[u8]) -> Vec<(Range<usize>, EntityKind)> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, EntityKind)> = None;
    for (index, tag) in tags.iter().enumerate() {
        let continues = *tag != OUTSIDE && tag % 2 == 0;
        let kind = tag_kind(*tag);
        match (open, kind) {
            (Some((_, open_kind)), Some(kind)) if continues && kind == open_kind => {}
            _ => {
                if let Some((start, kind)) = open.take() {
                    spans.push((start..index, kind));
                }
                open = kind.map(|kind| (index, kind));
            }
        }
    }
    if let Some((start, kind)) = open {
        spans.push((start..tags.len(), kind));
    }
    spans
}

/// A cursor over a model file's bytes.
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        if self.0.len() < n {
            return Err(ModelError::Damaged("it is cut short"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn byte(&mut self) -> Result<u8, ModelError> {
        Ok(self.array::<1>()?[0])
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        self.take(N)?
            .try_into()
            .map_err(|_| ModelError::Damaged("it is cut short"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_name_their_kinds_and_spans_follow_bio() {
        assert_eq!(tag_kind(begin(EntityKind::Place)), Some(EntityKind::Place));
        assert_eq!(tag_kind(inside(EntityKind::Misc)), Some(EntityKind::Misc));
        assert_eq!(tag_kind(OUTSIDE), None);
        let (bp, ip, bo) = (
            begin(EntityKind::Person),
            inside(EntityKind::Person),
            begin(EntityKind::Org),
        );
        assert!(allowed(bp, ip) && allowed(ip, ip) && !allowed(bo, ip) && !allowed(OUTSIDE, ip));
        assert_eq!(
            spans(&[bp, ip, OUTSIDE, bo, bp, ip]),
            vec![
                (0..2, EntityKind::Person),
                (3..4, EntityKind::Org),
                (4..6, EntityKind::Person)
            ]
        );
    }

    #[test]
    fn the_shipped_model_reads() {
        let models = super::super::EntityRecogniser::shipped_models();
        assert_eq!(models.len(), 1);
        assert!(models
            .iter()
            .all(|m| m.language == "en" && m.features() > 1000));
    }

    #[test]
    fn a_model_reads_back_what_it_wrote_and_refuses_damage() {
        let mut weights = FxHashMap::default();
        weights.insert(7u32, [1, -2, 3, 0, 0, 0, 0, 0, 9]);
        weights.insert(3u32, [0, 0, 0, 0, 0, 0, 0, 0, -128]);
        let model = Model::new("en", weights);
        let bytes = model.to_bytes();
        assert_eq!(Model::from_bytes(&bytes).ok(), Some(model.clone()));
        assert_eq!(model.to_bytes(), bytes);
        assert!(matches!(
            Model::from_bytes(b"nonsense"),
            Err(ModelError::NotAModel)
        ));
        let cut = bytes.get(..bytes.len() - 3).unwrap_or_default();
        assert!(Model::from_bytes(cut).is_err());
    }
}
