//! analyze: from a [`RawArticle`] to an [`Article`] ready to index.
//!
//! Owns language, paragraphs and passages, the published date and the
//! article's identity. It does no I/O and never fails: what it cannot
//! determine (no language, no date) is recorded as such, with a
//! [`Warning`] when the input stated something it could not read.
//! Per-thread state (the language detector) lives in an [`Analyzer`], made
//! once per worker.

mod dates;
pub mod entities;
mod language;
mod passages;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::ingest::{DateSource, RawArticle};

pub use dates::{
    date_from_dateline, date_from_file_name, date_from_url, date_in_text, parse_date, DateOrigin,
};
pub use entities::{Entity, EntityKind, EntityRecogniser};
pub use language::{normalise_code, LangOrigin, LanguageDecision, UNDETERMINED};
pub use passages::{paragraphs, passages, sentences, MAX_WORDS, MIN_WORDS, PARAGRAPH_BREAK};

/// An article as gazette indexes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// The input file.
    pub input: PathBuf,
    /// Line or record number within the input (0: the whole file).
    pub record: u64,
    /// Identity: the input's id, else its URL (followed by a hash of its
    /// content for web captures), else a hash of its content.
    pub id: String,
    /// Headline, if the input has one.
    pub title: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Author or byline.
    pub author: Option<String>,
    /// Publisher or collection.
    pub source: String,
    /// Published date.
    pub published: Option<DateTime<Utc>>,
    /// Where the published date came from.
    pub date_origin: DateOrigin,
    /// Crawl date (web archives).
    pub crawled: Option<DateTime<Utc>>,
    /// The language decision.
    pub language: LanguageDecision,
    /// Body text: paragraphs joined by [`PARAGRAPH_BREAK`].
    pub text: String,
    /// Passages as byte ranges of `text`.
    pub passages: Vec<Range<usize>>,
    /// The encoding the input was decoded from.
    pub encoding: &'static str,
    /// Entities with mentions as byte ranges of `text` (empty when
    /// extraction is off).
    pub entities: Vec<Entity>,
}

impl Article {
    /// The text of passage `index`.
    pub fn passage_text(&self, index: usize) -> &str {
        self.passages
            .get(index)
            .and_then(|range| self.text.get(range.clone()))
            .unwrap_or_default()
    }
}

/// Something the input stated that analysis could not use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// A date field that is not a date gazette can read.
    UnreadableDate(String),
    /// A language field that names no known language.
    UnknownLanguage(String),
    /// A title longer than [`MAX_TITLE_CHARS`], cut there; how many
    /// characters it had.
    LongTitle(usize),
    /// Something the reader of the input had to leave out or bound
    /// (hostile or broken markup), as it says it.
    Input(String),
}

/// Titles are cut at this many characters: a headline is a line, and a
/// title field that holds a whole file would be stored, searched and
/// printed with every passage.
pub const MAX_TITLE_CHARS: usize = 1_000;

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::UnreadableDate(raw) => {
                write!(f, "date `{raw}` is not a date gazette can read")
            }
            Warning::UnknownLanguage(raw) => {
                write!(f, "language `{raw}` is not a known language code")
            }
            Warning::LongTitle(chars) => write!(
                f,
                "the title has {chars} characters: cut at {MAX_TITLE_CHARS}"
            ),
            Warning::Input(note) => f.write_str(note),
        }
    }
}

/// Where a record came from, for identity, source and file-name dates.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    /// The input file.
    pub input: &'a Path,
    /// The collection the file belongs to (the folder the user named).
    pub collection: &'a str,
}

/// Per-thread analysis state. The entity recogniser is shared between
/// threads; the language detector is made per thread.
pub struct Analyzer {
    detector: whatlang::Detector,
    entities: Option<Arc<EntityRecogniser>>,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::new(None)
    }
}

impl Analyzer {
    /// An analyzer that extracts entities with `entities` (none when `None`).
    pub fn new(entities: Option<Arc<EntityRecogniser>>) -> Analyzer {
        Analyzer {
            detector: whatlang::Detector::new(),
            entities,
        }
    }

    /// Analyzes one raw article. Never fails.
    pub fn analyze(&self, raw: RawArticle, origin: Origin<'_>) -> (Article, Vec<Warning>) {
        let mut raw = raw;
        let mut warnings: Vec<Warning> = std::mem::take(&mut raw.notes)
            .into_iter()
            .map(Warning::Input)
            .collect();
        if let Some(title) = raw.title.as_mut() {
            if let Some((cut, _)) = title.char_indices().nth(MAX_TITLE_CHARS) {
                warnings.push(Warning::LongTitle(title.chars().count()));
                title.truncate(cut);
                title.shrink_to_fit();
            }
        }
        let text = paragraphs(&raw.body).join(PARAGRAPH_BREAK);
        let passages = passages(&text);

        let stated_lang = raw
            .lang_hint
            .as_deref()
            .filter(|hint| !hint.trim().is_empty());
        if let Some(hint) = stated_lang {
            if normalise_code(hint).is_none() {
                warnings.push(Warning::UnknownLanguage(hint.to_owned()));
            }
        }
        let language = language::decide(stated_lang, &self.detector, &text);

        let stated_date = raw.published.as_deref().map(|raw| (raw, parse_date(raw)));
        if let Some((raw, None)) = stated_date {
            warnings.push(Warning::UnreadableDate(raw.to_owned()));
        }
        let (published, date_origin) = published_date(&raw, stated_date, origin.input, &text);
        let crawled = raw.crawled.as_deref().and_then(parse_date);

        let id = raw
            .id
            .clone()
            .unwrap_or_else(|| match (&raw.url, &raw.crawled) {
                // A web capture: the same URL crawled again is the same article
                // only if its content is the same.
                (Some(url), Some(_)) => {
                    format!("{url} {}", content_id(raw.title.as_deref(), &text))
                }
                (Some(url), None) => url.clone(),
                (None, _) => content_id(raw.title.as_deref(), &text),
            });
        let source = raw
            .source
            .clone()
            .or_else(|| raw.url.as_deref().and_then(url_host))
            .unwrap_or_else(|| origin.collection.to_owned());

        let entities = self
            .entities
            .as_ref()
            .map(|recogniser| recogniser.recognise(&text, &language.code))
            .unwrap_or_default();
        let article = Article {
            input: origin.input.to_path_buf(),
            record: raw.record,
            id,
            title: raw.title,
            url: raw.url,
            author: raw.author,
            source,
            published,
            date_origin,
            crawled,
            language,
            text,
            passages,
            encoding: raw.encoding,
            entities,
        };
        (article, warnings)
    }
}

/// The published date by precedence: the input's metadata, then what a web
/// page states (meta tags, JSON-LD), then the URL path, a date written in a
/// page element that holds one, the file name, and last a dateline at the
/// top of the text.
fn published_date(
    raw: &RawArticle,
    stated: Option<(&str, Option<DateTime<Utc>>)>,
    input: &Path,
    text: &str,
) -> (Option<DateTime<Utc>>, DateOrigin) {
    let page = |text: bool| {
        raw.date_candidates
            .iter()
            .filter(move |candidate| (candidate.source == DateSource::HtmlText) == text)
            .find_map(|candidate| match candidate.source {
                DateSource::HtmlMeta => {
                    parse_date(&candidate.value).map(|d| (d, DateOrigin::HtmlMeta))
                }
                DateSource::JsonLd => parse_date(&candidate.value).map(|d| (d, DateOrigin::JsonLd)),
                DateSource::HtmlText => {
                    date_in_text(&candidate.value).map(|d| (d, DateOrigin::HtmlText))
                }
            })
    };
    let found = stated
        .and_then(|(_, date)| date)
        .map(|date| (date, DateOrigin::Metadata))
        .or_else(|| page(false))
        .or_else(|| {
            raw.url
                .as_deref()
                .and_then(date_from_url)
                .map(|date| (date, DateOrigin::Url))
        })
        .or_else(|| page(true))
        .or_else(|| date_from_file_name(input).map(|date| (date, DateOrigin::FileName)))
        .or_else(|| date_from_dateline(text).map(|date| (date, DateOrigin::Dateline)));
    match found {
        Some((date, origin)) => (Some(date), origin),
        // The date facet falls back to the crawl date: say so.
        None if raw.crawled.is_some() => (None, DateOrigin::Crawl),
        None => (None, DateOrigin::None),
    }
}

/// A stable identity for an article with neither id nor URL.
fn content_id(title: Option<&str>, text: &str) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(title.unwrap_or_default().as_bytes());
    hasher.update(b"\0");
    hasher.update(text.as_bytes());
    format!("xxh3:{:032x}", hasher.digest128())
}

/// The host of an `http(s)://` URL, without `www.`.
fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| host.to_lowercase())
}

/// The bytes of a word of at most eight bytes, zero-padded, as one
/// integer: a map key that costs one multiplication to hash and one
/// comparison to match, for the word lists looked up once per word of
/// every article. Words hold no NUL byte, so no two words share one.
pub(crate) fn packed_word(bytes: impl IntoIterator<Item = u8>) -> Option<u64> {
    let mut key = 0u64;
    for (index, byte) in bytes.into_iter().enumerate() {
        if index >= 8 {
            return None;
        }
        key |= u64::from(byte) << (8 * index);
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyze(raw: RawArticle, input: &str) -> (Article, Vec<Warning>) {
        Analyzer::default().analyze(
            raw,
            Origin {
                input: Path::new(input),
                collection: "corpus",
            },
        )
    }

    fn raw(body: &str) -> RawArticle {
        RawArticle {
            body: body.to_owned(),
            encoding: "UTF-8",
            ..RawArticle::default()
        }
    }

    #[test]
    fn metadata_date_wins_over_file_name() {
        let mut article = raw("Body.");
        article.published = Some("2020-01-02".to_owned());
        let (a, warnings) = analyze(article, "2019-05-06-x.txt");
        assert_eq!(a.date_origin, DateOrigin::Metadata);
        assert_eq!(
            a.published.map(|d| d.format("%F").to_string()).as_deref(),
            Some("2020-01-02")
        );
        assert!(warnings.is_empty());
    }

    #[test]
    fn unreadable_date_falls_back_to_file_name_with_a_warning() {
        let mut article = raw("Body.");
        article.published = Some("last Tuesday".to_owned());
        let (a, warnings) = analyze(article, "2019-05-06-x.txt");
        assert_eq!(a.date_origin, DateOrigin::FileName);
        assert_eq!(
            warnings,
            vec![Warning::UnreadableDate("last Tuesday".to_owned())]
        );
        let (a, _) = analyze(raw("Body."), "undated.txt");
        assert_eq!((a.published, a.date_origin), (None, DateOrigin::None));
    }

    #[test]
    fn date_precedence_page_then_url_then_file_name_then_dateline() {
        let day = |a: &Article| a.published.map(|d| d.format("%F").to_string());
        let mut page = raw("LIMA, May 1, 2020 — Text.");
        page.url = Some("https://x.org/2021/02/03/a".to_owned());
        let (a, _) = analyze(page.clone(), "2022-04-05-x.html");
        assert_eq!(
            (day(&a).as_deref(), a.date_origin),
            (Some("2021-02-03"), DateOrigin::Url)
        );
        page.date_candidates = vec![
            crate::ingest::StatedDate {
                source: DateSource::HtmlMeta,
                value: "not a date".to_owned(),
            },
            crate::ingest::StatedDate {
                source: DateSource::JsonLd,
                value: "2019-01-02T10:00:00Z".to_owned(),
            },
        ];
        let (a, warnings) = analyze(page.clone(), "x.html");
        assert_eq!(
            (day(&a).as_deref(), a.date_origin),
            (Some("2019-01-02"), DateOrigin::JsonLd)
        );
        assert!(
            warnings.is_empty(),
            "page candidates are guesses, not statements"
        );
        page.date_candidates = vec![crate::ingest::StatedDate {
            source: DateSource::HtmlText,
            value: "Stand: 19.10.2019".to_owned(),
        }];
        let (a, _) = analyze(page.clone(), "x.html");
        assert_eq!(
            a.date_origin,
            DateOrigin::Url,
            "the URL is the better source"
        );
        page.url = None;
        let (a, _) = analyze(page.clone(), "2022-04-05-x.html");
        assert_eq!(
            (day(&a).as_deref(), a.date_origin),
            (Some("2019-10-19"), DateOrigin::HtmlText)
        );
        page.date_candidates.clear();
        let (a, _) = analyze(page.clone(), "2022-04-05-x.html");
        assert_eq!(a.date_origin, DateOrigin::FileName);
        let (a, _) = analyze(page, "x.html");
        assert_eq!(
            (day(&a).as_deref(), a.date_origin),
            (Some("2020-05-01"), DateOrigin::Dateline)
        );
    }

    #[test]
    fn identity_and_source_fall_back_in_order() {
        let mut with_url = raw("Body.");
        with_url.url = Some("https://www.Example.org:443/a?b".to_owned());
        let (a, _) = analyze(with_url, "x.txt");
        assert_eq!(a.id, "https://www.Example.org:443/a?b");
        assert_eq!(a.source, "example.org");

        let (a, _) = analyze(raw("Body."), "x.txt");
        let (b, _) = analyze(raw("Body."), "y.txt");
        assert!(a.id.starts_with("xxh3:"));
        assert_eq!(a.id, b.id, "same content, same identity");
        assert_eq!(a.source, "corpus");

        let capture = |body: &str| {
            let mut capture = raw(body);
            capture.url = Some("http://x.org/a".to_owned());
            capture.crawled = Some("2024-03-05T10:00:00Z".to_owned());
            analyze(capture, "crawl.warc").0.id
        };
        assert!(capture("One.").starts_with("http://x.org/a xxh3:"));
        let mut undated = raw("Body.");
        undated.crawled = Some("2024-03-05T10:00:00Z".to_owned());
        let (a, _) = analyze(undated, "crawl.warc");
        assert_eq!((a.published, a.date_origin), (None, DateOrigin::Crawl));
        assert_eq!(capture("One."), capture("One."));
        assert_ne!(capture("One."), capture("Two."));
    }

    #[test]
    fn text_is_paragraphs_and_passages_index_into_it() {
        let (a, _) = analyze(raw("First line.\nSecond line."), "x.txt");
        assert_eq!(a.text, "First line.\n\nSecond line.");
        assert_eq!(a.passages, vec![0..a.text.len()]);
        assert_eq!(a.passage_text(0), a.text);
        assert_eq!(a.passage_text(5), "");
    }
}
