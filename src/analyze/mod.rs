//! analyze: from a [`RawArticle`] to an [`Article`] ready to index.
//!
//! Owns language, paragraphs and passages, the published date and the
//! article's identity. It does no I/O and never fails: what it cannot
//! determine (no language, no date) is recorded as such, with a
//! [`Warning`] when the input stated something it could not read.
//! Per-thread state (the language detector) lives in an [`Analyzer`], made
//! once per worker.

pub mod countries;
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
    date_from_dateline, date_from_file_name, date_from_url, date_in_text, parse_date,
    parse_date_with, valid_date_format, DateOrder, DateOrigin, DateProblem, DateSettings,
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
    /// Every date considered for `published`, and why the chosen one won.
    pub date_explanation: DateExplanation,
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
    /// The countries the article is about, canonical names in order of
    /// first evidence (empty when entity extraction is off).
    pub countries: Vec<String>,
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
    /// An all-numeric date field that reads both day-first and month-first.
    AmbiguousDate(String),
    /// A date field later than the article can be: the value and what
    /// bounds it (`crawl`, `file-time`, `now`).
    LateDate(String, &'static str),
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
                write!(f, "date `{raw}` is not a date gazette can read (see --date-format)")
            }
            Warning::AmbiguousDate(raw) => write!(
                f,
                "date `{raw}` reads both day-first and month-first: not used (pass --date-order dmy or mdy)"
            ),
            Warning::LateDate(raw, bound) => write!(
                f,
                "date `{raw}` is more than a day after the {} date: not used",
                match *bound {
                    "crawl" => "crawl",
                    "file-time" => "file's modification",
                    _ => "current",
                }
            ),
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
    /// When the file was last written, if known: no article in it can have
    /// been published more than a day later (unless it is a capture with a
    /// crawl date, which bounds it instead).
    pub modified: Option<DateTime<Utc>>,
}

/// Per-thread analysis state. The entity recogniser is shared between
/// threads; the language detector is made per thread.
pub struct Analyzer {
    detector: whatlang::Detector,
    entities: Option<Arc<EntityRecogniser>>,
    dates: DateSettings,
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
            dates: DateSettings::default(),
        }
    }

    /// The same analyzer reading metadata dates with `dates` (`--date-order`,
    /// `--date-format`).
    pub fn with_dates(mut self, dates: DateSettings) -> Analyzer {
        self.dates = dates;
        self
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

        let stated_date = raw
            .published
            .as_deref()
            .map(|raw| (raw, parse_date_with(raw, &self.dates)));
        match stated_date {
            Some((raw, Err(DateProblem::Unreadable))) => {
                warnings.push(Warning::UnreadableDate(raw.to_owned()));
            }
            Some((raw, Err(DateProblem::Ambiguous))) => {
                warnings.push(Warning::AmbiguousDate(raw.to_owned()));
            }
            _ => {}
        }
        let crawled = raw.crawled.as_deref().and_then(parse_date);
        let latest = latest_date(crawled, origin.modified);
        let (published, date_origin, date_explanation) =
            published_date(&raw, stated_date, origin.input, &text, latest);
        if let Some(late) = date_explanation.candidates.iter().find(|candidate| {
            candidate.origin == DateOrigin::Metadata && candidate.verdict == DateVerdict::TooLate
        }) {
            warnings.push(Warning::LateDate(late.value.clone(), latest.origin));
        }

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

        // Dated aliases and forms (`Exxon [1999-11-30..]`) hold by the
        // published date, known by now.
        let day = published.map(|date| date.date_naive());
        let (entities, countries) = match self.entities.as_ref() {
            Some(recogniser) => {
                let entities = recogniser.recognise(&text, &language.code);
                let entities = recogniser.on_date(&text, entities, day);
                let countries = countries::countries(&entities, &text, day, &language.code);
                (entities, countries)
            }
            None => (Vec::new(), Vec::new()),
        };
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
            date_explanation,
            language,
            text,
            passages,
            encoding: raw.encoding,
            entities,
            countries,
        };
        (article, warnings)
    }
}

/// A date gazette considered for an article's published date, for
/// `gazette extract --explain-dates`.
#[derive(Debug, Clone, PartialEq)]
pub struct DateCandidate {
    /// The kind of source.
    pub origin: DateOrigin,
    /// Where it was read: the field, meta tag, element or text.
    pub place: String,
    /// The value as written.
    pub value: String,
    /// The date read from it, if one was.
    pub date: Option<DateTime<Utc>>,
    /// What became of it.
    pub verdict: DateVerdict,
}

/// What became of a [`DateCandidate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateVerdict {
    /// The published date.
    Chosen,
    /// Chosen over the first structured date: the same moment, but that one
    /// is written in UTC and this one in the publisher's own time.
    ChosenAsLocal,
    /// A readable date that a better source outranks.
    Outranked,
    /// Not a date gazette can read.
    Unreadable,
    /// An all-numeric date that reads both ways and no `--date-order` says
    /// which.
    Ambiguous,
    /// Later than the article can be (its crawl, its file's time, or now).
    TooLate,
}

impl DateVerdict {
    /// The reason, as `--explain-dates` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            DateVerdict::Chosen => "chosen: the best source that gives a date",
            DateVerdict::ChosenAsLocal => {
                "chosen: the same moment as a UTC timestamp above, in the publisher's time zone"
            }
            DateVerdict::Outranked => "outranked by the chosen date's source",
            DateVerdict::Unreadable => "not a date gazette can read",
            DateVerdict::Ambiguous => "ambiguous day and month (see --date-order)",
            DateVerdict::TooLate => "after the latest possible date",
        }
    }
}

/// The latest date an article can have, and what says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateBound {
    /// The date; a published date up to one day after it is still taken
    /// (time zones).
    pub date: DateTime<Utc>,
    /// What it is: `crawl`, `file-time` or `now`.
    pub origin: &'static str,
}

/// File times before this are placeholders of tools (the Unix and DOS
/// epochs, archives that keep no times), not when the file was written.
const EARLIEST_FILE_TIME: i64 = 347_155_200; // 1981-01-01T00:00:00Z

/// The latest date an article can have: its crawl date for a capture; else
/// the time its file was last written, unless that is a placeholder; else
/// now. A page on disk cannot have been published after it was saved; a
/// capture's file time says when the archive was copied, its crawl date
/// when the page was seen.
pub fn latest_date(crawled: Option<DateTime<Utc>>, file_time: Option<DateTime<Utc>>) -> DateBound {
    let now = DateBound {
        date: Utc::now(),
        origin: "now",
    };
    let stated = crawled
        .map(|date| DateBound {
            date,
            origin: "crawl",
        })
        .or_else(|| {
            file_time
                .filter(|time| time.timestamp() >= EARLIEST_FILE_TIME)
                .map(|date| DateBound {
                    date,
                    origin: "file-time",
                })
        });
    match stated {
        Some(bound) if bound.date < now.date => bound,
        _ => now,
    }
}

/// How a published date was chosen: every candidate in the order of trust,
/// each with its verdict, and the bound it was held to.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DateExplanation {
    /// The candidates, best source first.
    pub candidates: Vec<DateCandidate>,
    /// The latest date the article can have.
    pub latest: Option<DateBound>,
}

/// Where a candidate stands in the order of trust (lower first).
fn rank(candidate: &DateCandidate) -> u8 {
    if candidate.origin == DateOrigin::PageText && candidate.place == PAGE_ANYWHERE {
        return 8;
    }
    if candidate.origin == DateOrigin::HtmlMeta && crate::ingest::is_generic_meta(&candidate.place)
    {
        return 3;
    }
    match candidate.origin {
        DateOrigin::Metadata => 0,
        DateOrigin::Url => 1,
        DateOrigin::HtmlMeta | DateOrigin::JsonLd => 2,
        DateOrigin::HtmlText => 3,
        DateOrigin::PageText => 4,
        DateOrigin::Modified => 5,
        DateOrigin::FileName => 6,
        DateOrigin::Dateline => 7,
        DateOrigin::Crawl | DateOrigin::None => 9,
    }
}

/// Whether a stated timestamp is written in UTC (`Z`, `+00:00`) with a time.
fn written_in_utc(value: &str) -> bool {
    let value = value.trim();
    let has_time = value.len() > 10 && value.contains(':');
    has_time
        && (value.ends_with('Z')
            || value.ends_with("+00:00")
            || value.ends_with("+0000")
            || value.ends_with("GMT")
            || value.ends_with("UTC"))
}

/// The published date by precedence (README: "Dates: what wins over
/// what"): the input's metadata; a date in the URL; what a page states in
/// its markup (meta tags, JSON-LD, `itemprop`, `<time>`); the text of an
/// element that holds the date; a date written after a label or near the
/// headline; the page's last change; the file name; a dateline at the top
/// of the text. Every candidate later than `latest` (plus a day) is passed
/// over.
fn published_date(
    raw: &RawArticle,
    stated: Option<(&str, Result<DateTime<Utc>, DateProblem>)>,
    input: &Path,
    text: &str,
    latest: DateBound,
) -> (Option<DateTime<Utc>>, DateOrigin, DateExplanation) {
    let mut candidates: Vec<DateCandidate> = Vec::new();
    let mut add = |origin, place: &str, value: &str, parsed: Result<DateTime<Utc>, DateProblem>| {
        let (date, verdict) = match parsed {
            Ok(date) => (Some(date), DateVerdict::Outranked),
            Err(DateProblem::Ambiguous) => (None, DateVerdict::Ambiguous),
            Err(DateProblem::Unreadable) => (None, DateVerdict::Unreadable),
        };
        candidates.push(DateCandidate {
            origin,
            place: place.to_owned(),
            value: value.to_owned(),
            date,
            verdict,
        });
    };
    let found = |date: Option<DateTime<Utc>>| date.ok_or(DateProblem::Unreadable);
    if let Some((value, parsed)) = stated {
        add(
            DateOrigin::Metadata,
            "the input's date field",
            value,
            parsed,
        );
    }
    if let Some(url) = raw.url.as_deref() {
        if let Some(date) = date_from_url(url) {
            add(DateOrigin::Url, "the URL's path", url, Ok(date));
        }
    }
    // In a page's markup, servers write `11/01/2023 12:43:42` month first
    // and `01-11-2023 10:29` day first.
    let markup = |value: &str| {
        let order = if value.contains('/') {
            DateOrder::MonthFirst
        } else {
            DateOrder::DayFirst
        };
        let settings = DateSettings {
            order: Some(order),
            formats: Vec::new(),
        };
        parse_date_with(value, &settings)
    };
    for candidate in &raw.date_candidates {
        let (origin, parsed) = match candidate.source {
            DateSource::HtmlMeta => (DateOrigin::HtmlMeta, markup(&candidate.value)),
            DateSource::JsonLd => (DateOrigin::JsonLd, markup(&candidate.value)),
            DateSource::Modified => (DateOrigin::Modified, markup(&candidate.value)),
            DateSource::HtmlText => (DateOrigin::HtmlText, found(date_in_text(&candidate.value))),
            DateSource::PageText => (DateOrigin::PageText, found(date_in_text(&candidate.value))),
        };
        add(origin, &candidate.place, &candidate.value, parsed);
    }
    let name = input
        .file_name()
        .map(|name| name.to_string_lossy().into_owned());
    if let (Some(date), Some(name)) = (date_from_file_name(input), name) {
        add(DateOrigin::FileName, "the file name", &name, Ok(date));
    }
    if let Some(date) = date_from_dateline(text) {
        let line = text
            .lines()
            .find(|line| !line.trim().is_empty())
            .unwrap_or_default();
        let line: String = line.chars().take(80).collect();
        add(DateOrigin::Dateline, "the dateline", &line, Ok(date));
    }
    // The order of trust; candidates of one rank stay in the page's order.
    candidates.sort_by_key(rank);
    let limit = latest.date + chrono::Duration::days(1);
    for candidate in &mut candidates {
        if candidate.date.is_some_and(|date| date > limit) {
            candidate.verdict = DateVerdict::TooLate;
        }
    }
    let winner = candidates
        .iter()
        .position(|candidate| candidate.verdict == DateVerdict::Outranked);
    let winner = winner.map(|index| local_twin(&candidates, index).unwrap_or(index));
    let chosen = winner.and_then(|index| {
        let first_structured = candidates
            .iter()
            .position(|candidate| candidate.verdict == DateVerdict::Outranked);
        let candidate = candidates.get_mut(index)?;
        candidate.verdict = if Some(index) == first_structured {
            DateVerdict::Chosen
        } else {
            DateVerdict::ChosenAsLocal
        };
        Some((candidate.date?, candidate.origin))
    });
    let explanation = DateExplanation {
        candidates,
        latest: Some(latest),
    };
    match chosen {
        Some((date, origin)) => (Some(date), origin, explanation),
        // The date facet falls back to the crawl date: say so.
        None if raw.crawled.is_some() => (None, DateOrigin::Crawl, explanation),
        None => (None, DateOrigin::None, explanation),
    }
}

/// When the best candidate is a structured UTC timestamp, another
/// candidate may give the same moment in the publisher's time zone, and the
/// day a reader saw (`2023-11-09T02:11Z` is the evening of 8 November in
/// Boston): a structured one with its own offset and the same instant, or
/// the first element text near the headline when the UTC time is so early
/// in the day that the Americas were still on the day before.
fn local_twin(candidates: &[DateCandidate], best: usize) -> Option<usize> {
    let first = candidates.get(best)?;
    let structured = |origin| matches!(origin, DateOrigin::HtmlMeta | DateOrigin::JsonLd);
    if !structured(first.origin) || !written_in_utc(&first.value) {
        return None;
    }
    let instant = DateTime::parse_from_rfc3339(first.value.trim()).ok()?;
    let day = instant.date_naive();
    let same_instant = candidates
        .iter()
        .enumerate()
        .skip(best + 1)
        .find(|(_, candidate)| {
            structured(candidate.origin)
                && candidate.verdict == DateVerdict::Outranked
                && DateTime::parse_from_rfc3339(candidate.value.trim()).is_ok_and(|other| {
                    other.offset().local_minus_utc() != 0
                        && (other.timestamp() - instant.timestamp()).abs() <= 60
                        && other.date_naive() != day
                })
        });
    if let Some((index, _)) = same_instant {
        return Some(index);
    }
    // Early in the UTC day the Americas are still on the day before; late
    // in it, Europe and Asia are already on the next.
    let hour = chrono::Timelike::hour(&instant);
    let local_day = if hour < AMERICAS_EVENING_UTC_HOURS {
        day.pred_opt()?
    } else if hour >= EUROPE_MIDNIGHT_UTC_HOURS {
        day.succ_opt()?
    } else {
        return None;
    };
    let visible = |candidate: &DateCandidate| {
        candidate.origin == DateOrigin::HtmlText
            || (candidate.origin == DateOrigin::PageText && candidate.place != PAGE_ANYWHERE)
    };
    let on_local_day = |candidate: &DateCandidate| {
        candidate.verdict == DateVerdict::Outranked
            && candidate
                .date
                .is_some_and(|date| date.date_naive() == local_day)
    };
    let (index, _) = candidates
        .iter()
        .enumerate()
        .skip(best + 1)
        .find(|(_, candidate)| candidate.origin == DateOrigin::HtmlText)?;
    let first_text = candidates.get(index)?;
    // The page shows that day twice: one date element alone may be a
    // teaser's.
    let witnesses = candidates
        .iter()
        .enumerate()
        .filter(|(other, candidate)| {
            *other != index && visible(candidate) && on_local_day(candidate)
        })
        .count();
    (on_local_day(first_text) && witnesses >= 1).then_some(index)
}

/// A UTC time before this hour is the evening before in the Americas.
const AMERICAS_EVENING_UTC_HOURS: u32 = 8;

/// A UTC time from this hour on is past midnight in Europe and Asia.
const EUROPE_MIDNIGHT_UTC_HOURS: u32 = 22;

/// The place `html.rs` gives a date found anywhere in a page's text: the
/// weakest guess, ranked after a dateline.
pub(crate) const PAGE_ANYWHERE: &str = "text of the page";

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
                modified: None,
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
    fn date_precedence_url_then_page_then_file_name_then_dateline() {
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
                place: "meta date".to_owned(),
            },
            crate::ingest::StatedDate {
                source: DateSource::JsonLd,
                value: "2019-01-02T10:00:00Z".to_owned(),
                place: "JSON-LD datePublished".to_owned(),
            },
        ];
        let (a, warnings) = analyze(page.clone(), "x.html");
        assert_eq!(
            (day(&a).as_deref(), a.date_origin),
            (Some("2021-02-03"), DateOrigin::Url),
            "the URL's date is the publisher's day"
        );
        page.url = None;
        let (a, _) = analyze(page.clone(), "x.html");
        assert_eq!(
            (day(&a).as_deref(), a.date_origin),
            (Some("2019-01-02"), DateOrigin::JsonLd)
        );
        page.url = Some("https://x.org/2021/02/03/a".to_owned());
        assert!(
            warnings.is_empty(),
            "page candidates are guesses, not statements"
        );
        page.date_candidates = vec![crate::ingest::StatedDate {
            source: DateSource::HtmlText,
            value: "Stand: 19.10.2019".to_owned(),
            place: "<p \"date\">".to_owned(),
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

    // See: issue 18
    #[test]
    fn no_date_is_more_than_a_day_after_the_crawl_or_the_file() {
        let day = |a: &Article| a.published.map(|d| d.format("%F").to_string());
        let mut capture = raw("Body.");
        capture.published = Some("2024-03-07".to_owned());
        capture.crawled = Some("2024-03-05T10:00:00Z".to_owned());
        capture.url = Some("https://x.org/2024/03/04/a".to_owned());
        let (a, warnings) = analyze(capture.clone(), "crawl.warc");
        assert_eq!(
            (day(&a).as_deref(), a.date_origin),
            (Some("2024-03-04"), DateOrigin::Url)
        );
        assert_eq!(
            warnings,
            vec![Warning::LateDate("2024-03-07".to_owned(), "crawl")]
        );
        capture.published = Some("2024-03-06T09:00:00".to_owned());
        let (a, _) = analyze(capture, "crawl.warc");
        assert_eq!(day(&a).as_deref(), Some("2024-03-06"), "a day of leeway");

        let file_time = |text: &str| {
            DateTime::parse_from_rfc3339(text)
                .ok()
                .map(|date| date.with_timezone(&Utc))
        };
        let mut page = raw("Body.");
        page.date_candidates = vec![
            crate::ingest::StatedDate {
                source: DateSource::HtmlMeta,
                value: "2031-01-01".to_owned(),
                place: "meta date".to_owned(),
            },
            crate::ingest::StatedDate {
                source: DateSource::Modified,
                value: "2019-05-06".to_owned(),
                place: "meta article:modified_time".to_owned(),
            },
        ];
        let analyze_at = |page: RawArticle, modified| {
            Analyzer::default()
                .analyze(
                    page,
                    Origin {
                        input: Path::new("page.html"),
                        collection: "corpus",
                        modified,
                    },
                )
                .0
        };
        let a = analyze_at(page.clone(), file_time("2020-01-01T00:00:00Z"));
        assert_eq!(day(&a).as_deref(), Some("2019-05-06"));
        let bound = a.date_explanation.latest.expect("a bound");
        assert_eq!(bound.origin, "file-time");
        assert_eq!(
            a.date_explanation.candidates.first().map(|c| c.verdict),
            Some(DateVerdict::TooLate)
        );
        // The Unix epoch is a tool's placeholder, not when the page was saved.
        let a = analyze_at(page, file_time("1970-01-01T00:00:00Z"));
        assert_eq!(a.date_explanation.latest.map(|b| b.origin), Some("now"));
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
