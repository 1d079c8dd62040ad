//! The index schema: one tantivy document per passage, carrying its article's fields.
//!
//! This module is the one source of truth for field names, field options and
//! text analysis. `schema/news.json` is the same schema as tantivy serialises
//! it (a unit test keeps the two equal) and `schema/README.md` explains it.
//!
//! Language-aware analysis: tantivy fixes one tokenizer per field, so the
//! passage text and the title each have one indexed field per language that
//! tantivy's stemmer supports (`text_en`, `text_es`, …) and one folded,
//! unstemmed fallback (`text_plain`) for every other language and for texts
//! whose language detection was not confident. A document fills exactly one
//! of them; queries are expanded over the languages present in the index.
//! Every analyzer lower-cases and folds accents *before* stemming, so that a
//! query typed without accents (`mineria`) reaches the same stem as the text
//! (`minería`).

mod stemmer;

use std::collections::BTreeMap;

use tantivy::schema::{
    DateOptions, DateTimePrecision, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};

use stemmer::CachedStemmer;
use tantivy::Index;

/// Tokens longer than this many bytes are dropped (base64 blobs, URLs glued
/// to words) so that they do not bloat the term dictionary.
const MAX_TOKEN_BYTES: usize = 40;

/// The languages with a stemmer: ISO 639-1 code and Snowball algorithm, the
/// set tantivy's stemmer supports.
pub const STEMMED_LANGUAGES: &[(&str, &str)] = &[
    ("ar", "arabic"),
    ("da", "danish"),
    ("de", "german"),
    ("el", "greek"),
    ("en", "english"),
    ("es", "spanish"),
    ("fi", "finnish"),
    ("fr", "french"),
    ("hu", "hungarian"),
    ("it", "italian"),
    ("nl", "dutch"),
    ("no", "norwegian"),
    ("pt", "portuguese"),
    ("ro", "romanian"),
    ("ru", "russian"),
    ("sv", "swedish"),
    ("ta", "tamil"),
    ("tr", "turkish"),
];

/// Name of the folded, unstemmed analyzer and suffix of the fallback fields.
pub const PLAIN: &str = "plain";

/// The analyzer a text in language `lang` (ISO 639-1, or `und`) is indexed
/// with: its stemmer where tantivy has one, else the plain analyzer.
pub fn analyzer_for(lang: &str) -> &'static str {
    STEMMED_LANGUAGES
        .iter()
        .find(|(code, _)| *code == lang)
        .map_or(PLAIN, |(code, _)| code)
}

/// Builds the text analyzer registered under `name` (a language code or [`PLAIN`]).
pub fn build_analyzer(name: &str) -> TextAnalyzer {
    let folded = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    let stemmer = STEMMED_LANGUAGES
        .iter()
        .find(|(code, _)| *code == name)
        .and_then(|(_, algorithm)| CachedStemmer::from_name(algorithm));
    match stemmer {
        Some(stemmer) => folded.filter(stemmer).build(),
        None => folded.build(),
    }
}

fn tokenizer_name(analyzer: &str) -> String {
    format!("gazette_{analyzer}")
}

/// Registers every analyzer the schema names on `index`. tantivy does not
/// persist tokenizers, so this runs each time an index is created or opened.
pub fn register_analyzers(index: &Index) {
    let manager = index.tokenizers();
    for analyzer in all_analyzers() {
        manager.register(&tokenizer_name(analyzer), build_analyzer(analyzer));
    }
}

fn all_analyzers() -> impl Iterator<Item = &'static str> {
    STEMMED_LANGUAGES
        .iter()
        .map(|(code, _)| *code)
        .chain(std::iter::once(PLAIN))
}

/// A pair of per-analyzer indexed fields: title and passage text.
#[derive(Debug, Clone, Copy)]
pub struct AnalyzedFields {
    /// The title, analyzed for this language.
    pub title: Field,
    /// The passage text, analyzed for this language.
    pub text: Field,
}

/// Typed handles to every field of the schema.
#[derive(Debug, Clone)]
pub struct Fields {
    /// The schema the handles belong to.
    pub schema: Schema,
    /// Article identity: the record's id, else its url, else a content hash.
    pub article_id: Field,
    /// Passage number within the article, from 0.
    pub passage: Field,
    /// Article title as written (stored only; searched through `title_*`).
    pub title: Field,
    /// Passage text as written (stored only; searched through `text_*`).
    pub text: Field,
    /// Code-point offset of the passage within the article text.
    pub passage_start: Field,
    /// Language, ISO 639-1 (`und` when undetermined).
    pub lang: Field,
    /// Source: the publisher or collection.
    pub source: Field,
    /// Canonical URL of the article.
    pub url: Field,
    /// Author or byline.
    pub author: Field,
    /// Published date.
    pub published: Field,
    /// Where the published date came from (`metadata`, `filename`, …).
    pub date_origin: Field,
    /// Crawl date (WARC-Date) for web captures.
    pub crawled: Field,
    /// Calendar facet `/YYYY/MM/DD` of the published (else crawl) date.
    pub date_facet: Field,
    /// The date facets, filters and date sorts use by default: the
    /// published date, else the crawl date (indexed and fast, not stored).
    pub effective_date: Field,
    /// The article's entities that no passage holds, on its first passage:
    /// `person\0Nicolás Maduro`.
    pub entity: Field,
    /// The entities of this passage, in the same form.
    pub passage_entity: Field,
    /// The mention offsets of the passage's entities, a line per value of
    /// `passage_entity`, in the same order.
    pub entity_mentions: Field,
    /// The input file the article came from, as the user named it.
    pub input: Field,
    /// The input file's canonical path: what re-indexing and pruning key on.
    pub input_key: Field,
    /// Line or record number within the input file (0 when the file is one article).
    pub record: Field,
    /// The text encoding the input was decoded from.
    pub encoding: Field,
    /// The countries the article is about (canonical names), on every
    /// passage: filtered on, counted, and shown with each hit.
    pub countries: Field,
    /// Per-analyzer indexed fields, keyed by analyzer name.
    analyzed: BTreeMap<&'static str, AnalyzedFields>,
}

impl Fields {
    /// Builds the gazette schema.
    pub fn new() -> Fields {
        let mut builder = Schema::builder();
        let stored_text = TextOptions::default().set_stored();
        let date = DateOptions::default()
            .set_indexed()
            .set_stored()
            .set_fast()
            .set_precision(DateTimePrecision::Seconds);

        let article_id = builder.add_text_field("article_id", STRING | STORED | FAST);
        let passage = builder.add_u64_field(
            "passage",
            NumericOptions::default()
                .set_indexed()
                .set_stored()
                .set_fast(),
        );
        let title = builder.add_text_field("title", stored_text.clone());
        let text = builder.add_text_field("text", stored_text.clone());
        let passage_start = builder.add_u64_field("passage_start", STORED);
        let lang = builder.add_text_field("lang", STRING | STORED | FAST);
        let source = builder.add_text_field("source", STRING | STORED | FAST);
        let url = builder.add_text_field("url", STRING | STORED);
        let author = builder.add_text_field("author", analyzed_text(PLAIN).set_stored());
        let published = builder.add_date_field("published", date.clone());
        let date_origin = builder.add_text_field("date_origin", STRING | STORED);
        let crawled = builder.add_date_field("crawled", date);
        let date_facet = builder.add_facet_field("date", FacetOptions::default().set_stored());
        // Written at index time so that a filter is one range and a date
        // sort one column, where choosing between two columns per document
        // would need a query of three clauses and a sort key of our own.
        let effective_date = builder.add_date_field(
            "effective_date",
            DateOptions::default()
                .set_indexed()
                .set_fast()
                .set_precision(DateTimePrecision::Seconds),
        );
        // Entities (`person\0Nicolás Maduro`, see `index::entity_value`) are
        // read from their fast columns, for counts and for the names of the
        // hits' entities (whose mentions `mention_offsets` holds); storing
        // them too would only grow the store.
        // No field norms: entities are filtered on, never scored.
        let entity_options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("raw")
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        ) | FAST;
        let entity = builder.add_text_field("entity", entity_options.clone());
        let passage_entity = builder.add_text_field("passage_entity", entity_options);
        let entity_mentions = builder.add_text_field("mention_offsets", stored_text);
        let input = builder.add_text_field("input", STRING | STORED);
        let input_key = builder.add_text_field("input_key", STRING | STORED);
        let record = builder.add_u64_field("record", STORED);
        let encoding = builder.add_text_field("encoding", STRING | STORED);
        let countries = builder.add_text_field("countries", STRING | STORED | FAST);

        let mut analyzed = BTreeMap::new();
        for analyzer in all_analyzers() {
            let fields = AnalyzedFields {
                title: builder
                    .add_text_field(&format!("title_{analyzer}"), analyzed_text(analyzer)),
                text: builder.add_text_field(&format!("text_{analyzer}"), analyzed_text(analyzer)),
            };
            analyzed.insert(analyzer, fields);
        }

        Fields {
            schema: builder.build(),
            article_id,
            passage,
            title,
            text,
            passage_start,
            lang,
            source,
            url,
            author,
            published,
            date_origin,
            crawled,
            date_facet,
            effective_date,
            entity,
            passage_entity,
            entity_mentions,
            input,
            input_key,
            record,
            encoding,
            countries,
            analyzed,
        }
    }

    /// The indexed title/text fields of one analyzer (see [`analyzer_for`]).
    pub fn analyzed(&self, analyzer: &str) -> AnalyzedFields {
        match self.analyzed.get(analyzer) {
            Some(fields) => *fields,
            // `new` registers PLAIN, so this lookup cannot fail.
            None => self.analyzed[PLAIN],
        }
    }
}

impl Default for Fields {
    fn default() -> Self {
        Fields::new()
    }
}

fn analyzed_text(analyzer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(&tokenizer_name(analyzer))
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// The token texts an analyzer makes of `text`.
#[cfg(test)]
pub(crate) fn token_texts(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(analyzer: &str, text: &str) -> Vec<String> {
        token_texts(&mut build_analyzer(analyzer), text)
    }

    #[test]
    fn schema_matches_the_published_description() {
        let built = serde_json::to_value(&Fields::new().schema).expect("schema serialises");
        let published: serde_json::Value =
            serde_json::from_str(include_str!("../schema/news.json"))
                .expect("schema/news.json is valid JSON");
        assert_eq!(
            built, published,
            "schema/news.json is out of date: regenerate it with \
             `cargo test -- --ignored write_schema_description`"
        );
    }

    #[test]
    #[ignore = "writes schema/news.json from the code"]
    fn write_schema_description() {
        let json = serde_json::to_string_pretty(&Fields::new().schema).expect("schema serialises");
        std::fs::write(
            concat!(env!("CARGO_MANIFEST_DIR"), "/schema/news.json"),
            json + "\n",
        )
        .expect("schema/news.json is writable");
    }

    #[test]
    fn accents_are_folded_before_stemming() {
        assert_eq!(tokens("es", "minería"), tokens("es", "mineria"));
        assert_eq!(tokens("es", "Nicolás"), tokens("es", "nicolas"));
        assert_eq!(tokens(PLAIN, "Nicolás MADURO"), vec!["nicolas", "maduro"]);
    }

    #[test]
    fn stemming_conflates_inflections() {
        assert_eq!(tokens("en", "accusations"), tokens("en", "accusation"));
        assert_eq!(tokens("es", "acusaciones"), tokens("es", "acusación"));
        assert_eq!(tokens(PLAIN, "accusations"), vec!["accusations"]);
    }

    #[test]
    fn every_stemmed_language_has_its_snowball_algorithm() {
        for (code, algorithm) in STEMMED_LANGUAGES {
            assert!(
                CachedStemmer::from_name(algorithm).is_some(),
                "{code}: {algorithm}"
            );
        }
    }

    #[test]
    fn every_language_without_a_stemmer_uses_the_plain_analyzer() {
        assert_eq!(analyzer_for("en"), "en");
        assert_eq!(analyzer_for("ja"), PLAIN);
        assert_eq!(analyzer_for("und"), PLAIN);
    }
}
