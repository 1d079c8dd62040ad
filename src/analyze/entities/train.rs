//! Training the learned recogniser ([`super::tagger`]) from annotated
//! text in CoNLL form, and measuring it.
//!
//! CoNLL files hold one word per line with its label in the last column
//! (whitespace-separated), a blank line between sentences and
//! `-DOCSTART-` between documents. Labels may be IOB1, IOB2/BIO, BIOES or
//! bare types (IO); a [`LabelMap`] maps each corpus's types to gazette's
//! four. Training is deterministic: the same files and options give the
//! same model bytes.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::fold::fold;
use super::tagger::{
    allowed, begin, best_tag, inside, scored, spans, Featurizer, Model, Sentence, Weight, OUTSIDE,
    TAGS,
};
use super::tokens::{has_capital, Token};
use super::{EntityKind, EntityRecogniser};

/// A sentence of annotated text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotated {
    /// The words.
    pub words: Vec<String>,
    /// One BIO tag per word (see [`super::tagger::TAGS`]).
    pub tags: Vec<u8>,
}

/// What reading annotated files met besides sentences.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadReport {
    /// Types the label map does not know, with how many words had them
    /// (read as outside any name).
    pub unknown: BTreeMap<String, usize>,
    /// Word lines without a label column, left out.
    pub unlabelled: usize,
    /// The first of them: file (as the caller names it) and 1-based line.
    pub first_unlabelled: Option<(String, usize)>,
}

/// A label map entry that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ConllError {
    /// A `--map` entry that is not `LABEL=TYPE`.
    #[error(
        "label map entry {0:?} is not LABEL=TYPE with TYPE one of person, org, place, misc, none"
    )]
    BadMapEntry(String),
}

/// From a corpus's entity types to gazette's.
#[derive(Debug, Clone)]
pub struct LabelMap {
    types: FxHashMap<String, Option<EntityKind>>,
}

impl Default for LabelMap {
    /// The usual names of the four types (CoNLL, OntoNotes, WNUT, GUM).
    fn default() -> Self {
        let mut types = FxHashMap::default();
        for (labels, kind) in [
            (&["per", "person", "pers"][..], EntityKind::Person),
            (
                &["org", "organization", "organisation", "corporation"][..],
                EntityKind::Org,
            ),
            (&["loc", "location", "place", "gpe"][..], EntityKind::Place),
            (&["misc"][..], EntityKind::Misc),
        ] {
            for label in labels {
                types.insert((*label).to_owned(), Some(kind));
            }
        }
        LabelMap { types }
    }
}

impl LabelMap {
    /// Adds `LABEL=TYPE` (TYPE `none` drops the label).
    pub fn add(&mut self, entry: &str) -> Result<(), ConllError> {
        let bad = || ConllError::BadMapEntry(entry.to_owned());
        let (label, kind) = entry.split_once('=').ok_or_else(bad)?;
        let kind = match kind.trim() {
            "none" => None,
            other => Some(EntityKind::parse(other).ok_or_else(bad)?),
        };
        self.types.insert(label.trim().to_lowercase(), kind);
        Ok(())
    }

    /// The kind of a corpus type, `Err` with the type if the map has none.
    fn kind<'a>(&self, label: &'a str) -> Result<Option<EntityKind>, &'a str> {
        self.types.get(&label.to_lowercase()).copied().ok_or(label)
    }
}

/// Reads CoNLL text (from the file named `source`) into sentences. Types
/// the map does not know are left out (their words tagged `O`) and word
/// lines without a label are skipped; both are counted in `report`.
pub fn read_conll(
    text: &str,
    source: &str,
    labels: &LabelMap,
    report: &mut ReadReport,
) -> Vec<Annotated> {
    let unknown = &mut report.unknown;
    let mut sentences = Vec::new();
    let mut words = Vec::new();
    let mut raw_labels: Vec<&str> = Vec::new();
    let mut finish = |words: &mut Vec<String>, raw: &mut Vec<&str>| {
        if !words.is_empty() {
            let tags = bio_tags(raw, labels, unknown);
            sentences.push(Annotated {
                words: std::mem::take(words),
                tags,
            });
        }
        raw.clear();
    };
    for (number, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with("-DOCSTART-") {
            finish(&mut words, &mut raw_labels);
            continue;
        }
        let mut columns = line.split(['\t', ' ']).filter(|c| !c.is_empty());
        let (Some(word), Some(label)) = (columns.next(), columns.next_back()) else {
            // A blank word (a space some corpora tokenised) is no word.
            if !line.starts_with([' ', '\t']) {
                report.unlabelled += 1;
                report
                    .first_unlabelled
                    .get_or_insert_with(|| (source.to_owned(), number + 1));
            }
            continue;
        };
        words.push(word.to_owned());
        raw_labels.push(label);
    }
    finish(&mut words, &mut raw_labels);
    sentences
}

/// BIO tags of a sentence's labels, whatever scheme they are in: a name
/// starts at `B-`/`S-`, or where the type changes, or after `O`.
fn bio_tags(raw: &[&str], labels: &LabelMap, unknown: &mut BTreeMap<String, usize>) -> Vec<u8> {
    let mut tags = Vec::with_capacity(raw.len());
    let mut previous: Option<(&str, EntityKind)> = None;
    for label in raw {
        if *label == "O" || *label == "_" {
            tags.push(OUTSIDE);
            previous = None;
            continue;
        }
        let (prefix, corpus_type) = match label.split_once('-') {
            Some((p @ ("B" | "I" | "E" | "S" | "L" | "U"), t)) => (p, t),
            _ => ("I", *label),
        };
        let kind = match labels.kind(corpus_type) {
            Ok(Some(kind)) => kind,
            Ok(None) => {
                tags.push(OUTSIDE);
                previous = None;
                continue;
            }
            Err(t) => {
                *unknown.entry(t.to_owned()).or_default() += 1;
                tags.push(OUTSIDE);
                previous = None;
                continue;
            }
        };
        let starts = matches!(prefix, "B" | "S" | "U")
            || previous.is_none_or(|(t, k)| t != corpus_type || k != kind);
        tags.push(if starts { begin(kind) } else { inside(kind) });
        previous = Some((corpus_type, kind));
    }
    tags
}

/// Trims the names of corpora that annotate descriptions as well as names
/// (`the Iraqi Foreign Minister, Ibrahim al-Jaafari`, `new homes`) to the
/// name: the part after the last comma, without leading or trailing words
/// that have no capital, and without leading titles (`Foreign Minister`).
/// A name with no capital left is dropped.
pub fn names_only(sentence: &mut Annotated, recogniser: &EntityRecogniser) {
    let found = spans(&sentence.tags);
    for (range, kind) in found {
        let words = sentence.words.get(range.clone()).unwrap_or_default();
        let after_comma = words
            .iter()
            .rposition(|w| w == ",")
            .map_or(0, |comma| comma + 1);
        let mut start = range.start + after_comma;
        let mut end = range.end;
        let capital = |i: usize| sentence.words.get(i).is_some_and(|w| has_capital(w));
        while start < end
            && (!capital(start)
                || sentence
                    .words
                    .get(start)
                    .is_some_and(|w| recogniser.is_title(&fold(w))))
        {
            start += 1;
        }
        while end > start && !capital(end - 1) {
            end -= 1;
        }
        for i in range {
            let tag = if i == start {
                begin(kind)
            } else if i > start && i < end {
                inside(kind)
            } else {
                OUTSIDE
            };
            if let Some(slot) = sentence.tags.get_mut(i) {
                *slot = tag;
            }
        }
    }
}

/// A sentence ready for the tagger: its words laid out as text.
pub struct Prepared {
    text: String,
    folded: String,
    tokens: Vec<Token>,
    facts: Vec<super::tagger::WordFacts>,
    tags: Vec<u8>,
}

impl Prepared {
    /// Lays `sentence` out as one line of text and finds its facts.
    pub fn new(sentence: &Annotated, recogniser: &EntityRecogniser) -> Prepared {
        let mut text = String::new();
        let mut folded = String::new();
        let mut tokens = Vec::with_capacity(sentence.words.len());
        for (i, word) in sentence.words.iter().enumerate() {
            if i > 0 {
                text.push(' ');
                folded.push(' ');
            }
            let (start, folded_start) = (text.len(), folded.len());
            text.push_str(word);
            folded.push_str(&fold(word));
            tokens.push(Token {
                range: start..text.len(),
                folded: folded_start..folded.len(),
                sentence_start: i == 0,
                capital: has_capital(word),
            });
        }
        let facts = recogniser.word_facts(&text, &folded, &tokens);
        Prepared {
            text,
            folded,
            tokens,
            facts,
            tags: sentence.tags.clone(),
        }
    }

    /// How many words it has.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Whether it has no words.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    fn sentence(&self) -> Sentence<'_> {
        Sentence {
            text: &self.text,
            folded: &self.folded,
            tokens: &self.tokens,
            facts: &self.facts,
        }
    }
}

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Passes over the data.
    pub epochs: usize,
    /// Seeds the order of the sentences in each pass.
    pub seed: u64,
    /// The language the model is for (ISO 639-1), or `*`.
    pub language: String,
    /// Weights under this share of the largest are dropped (0 keeps all).
    pub prune: f64,
}

/// One feature's weights while training, with what averaging needs.
#[derive(Clone, Default)]
struct Learning {
    weights: [f32; TAGS],
    totals: [f64; TAGS],
    stamps: [u32; TAGS],
}

impl Learning {
    fn update(&mut self, tag: u8, delta: f32, now: u32) {
        let t = usize::from(tag);
        if let (Some(w), Some(total), Some(stamp)) = (
            self.weights.get_mut(t),
            self.totals.get_mut(t),
            self.stamps.get_mut(t),
        ) {
            *total += f64::from(now - *stamp) * f64::from(*w);
            *stamp = now;
            *w += delta;
        }
    }

    fn average(&self, now: u32) -> [f64; TAGS] {
        let mut average = [0.0; TAGS];
        for (t, slot) in average.iter_mut().enumerate() {
            let total =
                self.totals[t] + f64::from(now - self.stamps[t]) * f64::from(self.weights[t]);
            *slot = total / f64::from(now.max(1));
        }
        average
    }
}

/// Trains a model on `sentences` (an averaged perceptron, greedy decoding
/// with its own predictions as history, as at tagging time).
pub fn train(sentences: &[Prepared], options: &TrainOptions) -> Model {
    let mut learning: FxHashMap<u32, Learning> = FxHashMap::default();
    let mut order: Vec<usize> = (0..sentences.len()).collect();
    let mut rng = options.seed ^ 0x5DEE_CE66_D1CE_4E5B;
    let mut now: u32 = 1;
    let mut features = Vec::with_capacity(48);
    for _ in 0..options.epochs {
        shuffle(&mut order, &mut rng);
        for index in &order {
            let Some(prepared) = sentences.get(*index) else {
                continue;
            };
            let sentence = prepared.sentence();
            let mut featurizer = Featurizer::new(&sentence);
            let (mut previous, mut before_previous) = (OUTSIDE, OUTSIDE);
            for (i, gold) in prepared.tags.iter().enumerate() {
                let predicted = if !scored(&sentence, i, previous) {
                    OUTSIDE
                } else {
                    featurizer.features(i, previous, before_previous, &mut features);
                    let mut scores = [0f32; TAGS];
                    for f in &features {
                        if let Some(l) = learning.get(f) {
                            for (s, w) in scores.iter_mut().zip(&l.weights) {
                                *s += w;
                            }
                        }
                    }
                    let predicted = best_tag(&scores, previous);
                    // A gold tag the history cannot reach teaches nothing.
                    if predicted != *gold && allowed(previous, *gold) {
                        for f in &features {
                            let l = learning.entry(*f).or_default();
                            l.update(*gold, 1.0, now);
                            l.update(predicted, -1.0, now);
                        }
                    }
                    now += 1;
                    predicted
                };
                before_previous = previous;
                previous = predicted;
            }
        }
    }
    Model::new(&options.language, quantise(&learning, now, options.prune))
}

/// The averaged weights as bytes. Weights under `prune` of the
/// largest are taken as zero, and features left with no weight are left
/// out: a model a fraction of the size, whose table stays in the
/// processor's cache, decides nearly as well.
fn quantise(
    learning: &FxHashMap<u32, Learning>,
    now: u32,
    prune: f64,
) -> FxHashMap<u32, [Weight; TAGS]> {
    let averages: Vec<(u32, [f64; TAGS])> =
        learning.iter().map(|(f, l)| (*f, l.average(now))).collect();
    let largest = averages
        .iter()
        .flat_map(|(_, w)| w.iter())
        .fold(0f64, |m, w| m.max(w.abs()));
    let top = f64::from(Weight::MAX);
    let scale = if largest > 0.0 { top / largest } else { 0.0 };
    let floor = (prune * top).max(1.0);
    averages
        .into_iter()
        .filter_map(|(f, w)| {
            let mut row = [0; TAGS];
            for (q, w) in row.iter_mut().zip(w) {
                *q = (w * scale).round().clamp(-top, top) as Weight;
                if f64::from(q.unsigned_abs()) < floor {
                    *q = 0;
                }
            }
            row.iter().any(|q| *q != 0).then_some((f, row))
        })
        .collect()
}

/// Fisher-Yates with xorshift64: the same seed gives the same order on
/// every machine.
fn shuffle(order: &mut [usize], state: &mut u64) {
    for i in (1..order.len()).rev() {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        let j = (*state % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
}

/// Precision, recall and F1 of exact spans, per kind and overall.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scores {
    /// `(true positives, false positives, false negatives)` per kind.
    pub counts: BTreeMap<EntityKind, (usize, usize, usize)>,
}

impl Scores {
    /// `(precision, recall, F1)` of `counts`.
    pub fn prf((tp, fp, fn_): (usize, usize, usize)) -> (f64, f64, f64) {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let (p, r) = (ratio(tp, tp + fp), ratio(tp, tp + fn_));
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f)
    }

    /// The counts of every kind added up.
    pub fn total(&self) -> (usize, usize, usize) {
        self.counts
            .values()
            .fold((0, 0, 0), |(a, b, c), (x, y, z)| (a + x, b + y, c + z))
    }
}

/// Tags `sentences` with `model` and scores the spans against their own.
pub fn evaluate(model: &Model, sentences: &[Prepared]) -> Scores {
    let mut scores = Scores::default();
    let mut tags = Vec::new();
    for prepared in sentences {
        model.tag(&prepared.sentence(), &mut tags);
        let predicted = spans(&tags);
        let gold = spans(&prepared.tags);
        for (range, kind) in &predicted {
            let counts = scores.counts.entry(*kind).or_default();
            if gold.contains(&(range.clone(), *kind)) {
                counts.0 += 1;
            } else {
                counts.1 += 1;
            }
        }
        for (range, kind) in &gold {
            if !predicted.contains(&(range.clone(), *kind)) {
                scores.counts.entry(*kind).or_default().2 += 1;
            }
        }
    }
    scores
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Annotated> {
        read_conll(
            text,
            "test",
            &LabelMap::default(),
            &mut ReadReport::default(),
        )
    }

    #[test]
    fn every_label_scheme_gives_the_same_bio_tags() {
        let (bp, ip, bl) = (
            begin(EntityKind::Person),
            inside(EntityKind::Person),
            begin(EntityKind::Place),
        );
        let expected = vec![bp, ip, OUTSIDE, bl];
        for text in [
            "Tony B-PER\nBlair I-PER\nin O\nLeeds B-LOC\n",
            "Tony I-PER\nBlair I-PER\nin O\nLeeds I-LOC\n",
            "Tony x B-person\nBlair x E-person\nin x O\nLeeds x S-place\n",
            "Tony\tperson\nBlair\tperson\nin\tO\nLeeds\tplace\n",
        ] {
            assert_eq!(
                read(text).first().map(|s| s.tags.clone()),
                Some(expected.clone()),
                "{text}"
            );
        }
    }

    #[test]
    fn documents_and_blank_lines_split_sentences_and_unknown_types_are_counted() {
        let mut report = ReadReport::default();
        let text = "-DOCSTART- -X- O\n\nA O\nRolex B-product\n\nB O\nunlabelled\n \tO\n";
        let sentences = read_conll(text, "a.conll", &LabelMap::default(), &mut report);
        assert_eq!(sentences.len(), 2);
        assert_eq!(report.unknown.get("product"), Some(&1));
        // The blank word (a space tokenised) is no word; the word without a
        // label is counted and named.
        assert_eq!(
            sentences.get(1).map(|s| s.words.clone()),
            Some(vec!["B".to_owned()])
        );
        assert_eq!(report.unlabelled, 1);
        assert_eq!(report.first_unlabelled, Some(("a.conll".to_owned(), 7)));
        let mut map = LabelMap::default();
        assert!(map.add("product=misc").is_ok());
        assert!(map.add("product").is_err());
        let sentences = read_conll(text, "a.conll", &map, &mut report);
        assert_eq!(
            sentences.first().map(|s| s.tags.clone()),
            Some(vec![OUTSIDE, begin(EntityKind::Misc)])
        );
    }

    #[test]
    fn descriptions_are_trimmed_to_names() {
        let recogniser = EntityRecogniser::default();
        let mut sentence = read(
            "the B-PER\nIraqi I-PER\nForeign I-PER\nMinister I-PER\n, I-PER\nIbrahim I-PER\nJaafari I-PER\nnew B-LOC\nhomes I-LOC\n",
        )
        .remove(0);
        names_only(&mut sentence, &recogniser);
        let (bp, ip) = (begin(EntityKind::Person), inside(EntityKind::Person));
        let o = OUTSIDE;
        assert_eq!(sentence.tags, vec![o, o, o, o, o, bp, ip, o, o]);
    }

    #[test]
    fn a_model_trained_on_a_few_sentences_tags_them_back_and_training_is_repeatable() {
        let recogniser = EntityRecogniser::default();
        let text = "Yesterday O\nMaria B-PER\nGonzalez I-PER\nvisited O\nAcme B-ORG\nWidgets I-ORG\nin O\nSpringfield B-LOC\n. O\n\n\
                    Acme B-ORG\nWidgets I-ORG\nhired O\nMaria B-PER\nGonzalez I-PER\n. O\n\n\
                    In O\nSpringfield B-LOC\n, O\nGonzalez B-PER\nspoke O\n. O\n";
        let sentences: Vec<Prepared> = read(text)
            .iter()
            .map(|s| Prepared::new(s, &recogniser))
            .collect();
        let options = TrainOptions {
            epochs: 10,
            seed: 1,
            language: "en".into(),
            prune: 0.0,
        };
        let model = train(&sentences, &options);
        let scores = evaluate(&model, &sentences);
        let (tp, fp, fn_) = scores.total();
        assert_eq!((tp, fp, fn_), (7, 0, 0), "{scores:?}");
        assert_eq!(train(&sentences, &options).to_bytes(), model.to_bytes());
    }
}
