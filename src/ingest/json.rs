//! JSON Lines (`.jsonl`, `.ndjson`) and JSON (`.json`: an array of objects,
//! one object, or concatenated objects) exports.
//!
//! Common field names are found by themselves (`title`/`headline`,
//! `body`/`text`/`content`, `date`/`published_at`, …); a [`FieldMap`] names
//! the others. JSON Lines is read line by line, so a malformed line fails
//! alone, and a line longer than [`IngestOptions::max_record_bytes`] fails
//! alone without being held; in a `.json` file a syntax error stops what follows it (JSON cannot
//! be resynchronised), and everything before it is kept.

use std::fmt;
use std::io::{self, BufRead};

use serde::de::{DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::{decode, IngestOptions, Input, InputError, OverCap, RawArticle, Reader, RecordOutcome};

/// The article fields a JSON record can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Id,
    Title,
    Body,
    Published,
    Crawled,
    Url,
    Author,
    Source,
    Lang,
}

impl Target {
    const ALL: [Target; 9] = [
        Target::Id,
        Target::Title,
        Target::Body,
        Target::Published,
        Target::Crawled,
        Target::Url,
        Target::Author,
        Target::Source,
        Target::Lang,
    ];

    /// The name used in `--map`.
    fn name(self) -> &'static str {
        match self {
            Target::Id => "id",
            Target::Title => "title",
            Target::Body => "body",
            Target::Published => "date",
            Target::Crawled => "crawled",
            Target::Url => "url",
            Target::Author => "author",
            Target::Source => "source",
            Target::Lang => "lang",
        }
    }

    /// Field names detected without a mapping, most specific first
    /// (compared case-insensitively, ignoring `_` and `-`).
    fn known_names(self) -> &'static [&'static str] {
        match self {
            Target::Id => &["id", "_id", "guid", "uuid", "articleid", "docid", "docno"],
            Target::Title => &["title", "headline", "heading", "hed"],
            Target::Body => &[
                "body",
                "text",
                "content",
                "articlebody",
                "bodytext",
                "fulltext",
                "article",
                "story",
                "maintext",
                "description",
                "summary",
            ],
            Target::Published => &[
                "date",
                "published",
                "publishedat",
                "publishdate",
                "datepublished",
                "pubdate",
                "publicationdate",
                "createdat",
                "timestamp",
            ],
            Target::Crawled => &[
                "crawled",
                "crawledat",
                "crawldate",
                "fetchedat",
                "retrievedat",
            ],
            Target::Url => &["url", "link", "uri", "canonicalurl", "permalink", "href"],
            Target::Author => &["author", "byline", "authors", "creator", "writer"],
            Target::Source => &["source", "publisher", "sitename", "site", "outlet", "feed"],
            Target::Lang => &["lang", "language", "locale", "inlanguage"],
        }
    }
}

/// Explicit JSON field names for article fields: `title=headline,body=story.text`.
///
/// A mapped field wins over detection; a dotted name reaches into nested
/// objects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldMap {
    entries: Vec<(Target, String)>,
}

impl FieldMap {
    /// Parses `target=field[,target=field…]`.
    pub fn parse(spec: &str) -> Result<FieldMap, String> {
        let mut map = FieldMap::default();
        for pair in spec
            .split(',')
            .map(str::trim)
            .filter(|pair| !pair.is_empty())
        {
            let Some((target, field)) = pair.split_once('=') else {
                return Err(format!(
                    "--map entry `{pair}` is not TARGET=FIELD (for example title=headline)"
                ));
            };
            let target = target.trim();
            let Some(target) = Target::ALL
                .into_iter()
                .find(|t| t.name() == target || (target == "published" && *t == Target::Published))
            else {
                let names: Vec<_> = Target::ALL.iter().map(|t| t.name()).collect();
                return Err(format!(
                    "--map: unknown article field `{target}`; use one of {}",
                    names.join(", ")
                ));
            };
            let field = field.trim();
            if field.is_empty() {
                return Err(format!("--map entry `{pair}` names no JSON field"));
            }
            map.entries.retain(|(t, _)| *t != target);
            map.entries.push((target, field.to_owned()));
        }
        Ok(map)
    }

    /// Merges `other` into this map; `other`'s entries win.
    pub fn extend(&mut self, other: FieldMap) {
        for (target, field) in other.entries {
            self.entries.retain(|(t, _)| *t != target);
            self.entries.push((target, field));
        }
    }

    fn mapped(&self, target: Target) -> Option<&str> {
        self.entries
            .iter()
            .find(|(t, _)| *t == target)
            .map(|(_, field)| field.as_str())
    }
}

/// `.jsonl` / `.ndjson`: one JSON object per line.
pub struct JsonLinesReader;

/// `.json`: an array of objects, one object, or concatenated objects.
pub struct JsonArrayReader;

impl Reader for JsonLinesReader {
    fn name(&self) -> &'static str {
        "jsonl"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["jsonl", "ndjson"]
    }
    fn caps_records(&self) -> bool {
        true
    }
    fn read(
        &self,
        input: &mut Input<'_>,
        options: &IngestOptions,
        emit: &mut dyn FnMut(RecordOutcome),
    ) -> Result<(), InputError> {
        let cap = options.max_record_bytes;
        let mut line = Vec::new();
        let mut number = 0u64;
        loop {
            // A long line once read is not kept allocated for the rest of
            // the file.
            if line.capacity() > KEPT_LINE_CAPACITY {
                line = Vec::new();
            }
            line.clear();
            let read = read_capped_line(input.stream(), &mut line, cap);
            match read {
                Ok(Line::End) => return Ok(()),
                Ok(Line::Over(length)) => {
                    number += 1;
                    emit(RecordOutcome::Failed {
                        record: number,
                        reason: format!(
                            "line {number}: {length} bytes long, {}",
                            OverCap { limit: cap }
                        ),
                    });
                    continue;
                }
                Ok(Line::Read) => number += 1,
                Err(error) => {
                    let error = input.read_error(error);
                    return Err(InputError::Syntax(format!("after line {number}: {error}")));
                }
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            emit(parse_line(&line, number, &options.field_map));
        }
    }
}

/// The line buffer's capacity kept from one line to the next.
const KEPT_LINE_CAPACITY: usize = 1 << 20;

/// What [`read_capped_line`] found.
#[derive(Debug, PartialEq, Eq)]
enum Line {
    /// The end of the stream: no line.
    End,
    /// A line, now in the buffer.
    Read,
    /// A line longer than the cap, of this many bytes (its line ending
    /// included), read through but not kept.
    Over(u64),
}

/// Reads one line, with its line ending, into `line`; a line of more than
/// `cap` bytes (line ending aside) is read through to its end without being
/// held.
fn read_capped_line(src: &mut dyn BufRead, line: &mut Vec<u8>, cap: u64) -> io::Result<Line> {
    let mut length = 0u64;
    let mut over = false;
    // A line longer than the stream's buffer is kept in pieces, joined at
    // its end into exactly its size (see `read_in_pieces`).
    let mut pieces: Vec<Vec<u8>> = Vec::new();
    loop {
        let buf = src.fill_buf()?;
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(end) => (end + 1, true),
            None => (buf.len(), false),
        };
        if take == 0 {
            // The end of the stream.
            if length == 0 {
                return Ok(Line::End);
            }
            break;
        }
        let content = if done { take - 1 } else { take };
        if !over && length + content as u64 > cap {
            over = true;
            pieces = Vec::new();
        }
        if !over {
            let piece = buf.get(..take).unwrap_or_default();
            if done && pieces.is_empty() {
                line.extend_from_slice(piece);
            } else {
                pieces.push(piece.to_vec());
            }
        }
        length += take as u64;
        src.consume(take);
        if done {
            break;
        }
    }
    if over {
        return Ok(Line::Over(length));
    }
    if !pieces.is_empty() {
        line.reserve_exact(pieces.iter().map(Vec::len).sum());
        for piece in pieces {
            line.extend_from_slice(&piece);
        }
    }
    Ok(Line::Read)
}

fn parse_line(line: &[u8], number: u64, map: &FieldMap) -> RecordOutcome {
    let decoded = match decode(line) {
        Ok(decoded) => decoded,
        Err(error) => {
            return RecordOutcome::Failed {
                record: number,
                reason: format!("line {number}: {error}"),
            }
        }
    };
    match serde_json::from_str::<Value>(&decoded.text) {
        Ok(value) => record_from_value(value, number, decoded.encoding, map, "line"),
        Err(error) => RecordOutcome::Failed {
            record: number,
            reason: format!(
                "line {number}: invalid JSON {}",
                describe_json_error(&error)
            ),
        },
    }
}

/// "at column N: message" for an error in a one-line JSON document; an
/// error past the line's end (an unfinished value) says so.
fn describe_json_error(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(message, _)| message);
    if error.line() > 1 {
        format!("at the end of the line: {message}")
    } else {
        format!("at column {}: {message}", error.column())
    }
}

impl Reader for JsonArrayReader {
    fn name(&self) -> &'static str {
        "json"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["json"]
    }
    fn read(
        &self,
        input: &mut Input<'_>,
        options: &IngestOptions,
        emit: &mut dyn FnMut(RecordOutcome),
    ) -> Result<(), InputError> {
        let decoded = input.read_text()?;
        let text = decoded.text.trim_start();
        if text.is_empty() {
            emit(RecordOutcome::Skipped {
                record: 0,
                reason: "empty file".to_owned(),
            });
            return Ok(());
        }
        let mut count = 0u64;
        let mut on_value = |value: Value| {
            count += 1;
            emit(record_from_value(
                value,
                count,
                decoded.encoding,
                &options.field_map,
                "record",
            ));
        };
        let result = if text.starts_with('[') {
            let mut deserializer = serde_json::Deserializer::from_str(text);
            deserializer
                .deserialize_seq(EachElement(&mut on_value))
                .and_then(|()| deserializer.end())
        } else {
            serde_json::Deserializer::from_str(text)
                .into_iter::<Value>()
                .try_for_each(|value| value.map(&mut on_value))
        };
        result.map_err(|error| {
            InputError::Syntax(format!(
                "invalid JSON at line {}, column {} (after record {count}): {error}",
                error.line(),
                error.column()
            ))
        })
    }
}

/// Visits a JSON array element by element, so that the elements before a
/// syntax error are kept.
struct EachElement<'f>(&'f mut dyn FnMut(Value));

impl<'de> Visitor<'de> for EachElement<'_> {
    type Value = ();
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an array of JSON objects")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(value) = seq.next_element_seed(ValueSeed)? {
            (self.0)(value);
        }
        Ok(())
    }
}

struct ValueSeed;

impl<'de> DeserializeSeed<'de> for ValueSeed {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        serde::Deserialize::deserialize(deserializer)
    }
}

fn record_from_value(
    value: Value,
    record: u64,
    encoding: &'static str,
    map: &FieldMap,
    unit: &str,
) -> RecordOutcome {
    let Value::Object(object) = value else {
        return RecordOutcome::Failed {
            record,
            reason: format!(
                "{unit} {record}: expected a JSON object, found {}",
                kind(&value)
            ),
        };
    };
    let mut article = RawArticle {
        record,
        encoding,
        ..RawArticle::default()
    };
    for target in Target::ALL {
        let found = match map.mapped(target) {
            Some(path) => lookup_path(&object, path),
            None => detect(&object, target),
        };
        let Some(value) = found else { continue };
        let text = if target == Target::Body {
            match text_of(value, "\n\n") {
                Some(text) => text,
                None => {
                    return RecordOutcome::Skipped {
                        record,
                        reason: format!(
                            "{unit} {record}: the body field holds {}, not text",
                            kind(value)
                        ),
                    }
                }
            }
        } else {
            match text_of(value, "; ") {
                Some(text) => text,
                None => continue,
            }
        };
        let text = text.trim().to_owned();
        if text.is_empty() {
            continue;
        }
        let slot = match target {
            Target::Id => &mut article.id,
            Target::Title => &mut article.title,
            Target::Body => {
                article.body = text;
                continue;
            }
            Target::Published => &mut article.published,
            Target::Crawled => &mut article.crawled,
            Target::Url => &mut article.url,
            Target::Author => &mut article.author,
            Target::Source => &mut article.source,
            Target::Lang => &mut article.lang_hint,
        };
        *slot = Some(text);
    }
    if article.body.is_empty() {
        let reason = match map.mapped(Target::Body) {
            Some(field) => format!("{unit} {record}: no text in mapped body field `{field}`"),
            None => format!(
                "{unit} {record}: no body text (looked for {}; name the field with --map body=FIELD)",
                Target::Body.known_names().join(", ")
            ),
        };
        return RecordOutcome::Skipped { record, reason };
    }
    RecordOutcome::Article(Box::new(article))
}

fn normalise_key(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

fn detect(object: &Map<String, Value>, target: Target) -> Option<&Value> {
    target.known_names().iter().find_map(|name| {
        object
            .iter()
            .find(|(key, value)| normalise_key(key) == *name && !value.is_null())
            .map(|(_, value)| value)
    })
}

fn lookup_path<'v>(object: &'v Map<String, Value>, path: &str) -> Option<&'v Value> {
    if let Some(value) = object.get(path) {
        return Some(value);
    }
    let mut parts = path.split('.');
    let mut current = object.get(parts.next()?)?;
    for part in parts {
        current = current.as_object()?.get(part)?;
    }
    Some(current)
}

/// The text a JSON value stands for: strings as they are, numbers printed,
/// arrays joined, and objects by their `name`/`text`/`value` member
/// (`"author": {"name": "…"}`).
fn text_of(value: &Value, separator: &str) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .filter_map(|item| text_of(item, separator))
                .filter(|text| !text.trim().is_empty())
                .collect();
            (!parts.is_empty()).then(|| parts.join(separator))
        }
        Value::Object(object) => ["name", "text", "value", "@value"]
            .iter()
            .find_map(|key| object.get(*key).and_then(|inner| text_of(inner, separator))),
        Value::Bool(_) | Value::Null => None,
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(json: &str, map: &FieldMap) -> RawArticle {
        match parse_line(json.as_bytes(), 1, map) {
            RecordOutcome::Article(article) => *article,
            other => panic!("expected an article, got {other:?}"),
        }
    }

    #[test]
    fn common_field_names_are_detected() {
        let a = article(
            r#"{"_id": 7, "Headline": "Oil", "text": ["One.", "Two."], "published_at": "2020-11-03T08:15:00Z",
                "link": "https://x.org", "byline": {"name": "Ana"}, "source": {"id": "x", "name": "Wire"}, "language": "es"}"#,
            &FieldMap::default(),
        );
        assert_eq!(a.id.as_deref(), Some("7"));
        assert_eq!(a.title.as_deref(), Some("Oil"));
        assert_eq!(a.body, "One.\n\nTwo.");
        assert_eq!(a.published.as_deref(), Some("2020-11-03T08:15:00Z"));
        assert_eq!(a.url.as_deref(), Some("https://x.org"));
        assert_eq!(a.author.as_deref(), Some("Ana"));
        assert_eq!(a.source.as_deref(), Some("Wire"));
        assert_eq!(a.lang_hint.as_deref(), Some("es"));
    }

    #[test]
    fn a_map_names_other_fields_including_nested_ones() {
        let map = FieldMap::parse("title=hed, body=story.copy").expect("valid map");
        let a = article(
            r#"{"hed": "Gold", "title": "ignored", "story": {"copy": "Body."}}"#,
            &map,
        );
        assert_eq!(a.title.as_deref(), Some("Gold"));
        assert_eq!(a.body, "Body.");
    }

    #[test]
    fn bad_maps_are_explained() {
        assert!(FieldMap::parse("headline")
            .unwrap_err()
            .contains("TARGET=FIELD"));
        assert!(FieldMap::parse("colour=x")
            .unwrap_err()
            .contains("unknown article field"));
    }

    #[test]
    fn records_without_body_or_not_objects_are_reported() {
        let none = FieldMap::default();
        assert!(matches!(parse_line(b"{\"title\": \"x\"}", 3, &none),
            RecordOutcome::Skipped { record: 3, ref reason } if reason.contains("no body text")));
        assert!(matches!(parse_line(b"[1, 2]", 4, &none),
            RecordOutcome::Failed { record: 4, ref reason } if reason.contains("expected a JSON object")));
        assert!(matches!(parse_line(b"{\"body\": ", 5, &none),
            RecordOutcome::Failed { record: 5, ref reason } if reason == "line 5: invalid JSON at column 9: EOF while parsing a value"));
        assert!(matches!(parse_line(b"{\"body\": {\"x\": 1}}", 6, &none),
            RecordOutcome::Skipped { record: 6, ref reason } if reason.contains("holds an object")));
    }

    #[test]
    fn latin1_lines_are_decoded() {
        let a = article("{\"body\": \"miner\u{ed}a\"}", &FieldMap::default());
        assert_eq!(a.body, "minería");
        let latin1 = b"{\"body\": \"miner\xEDa ilegal\"}";
        match parse_line(latin1, 1, &FieldMap::default()) {
            RecordOutcome::Article(a) => {
                assert_eq!(a.body, "minería ilegal");
                assert_eq!(a.encoding, "windows-1252");
            }
            other => panic!("expected an article, got {other:?}"),
        }
    }

    // See: issue 22
    #[test]
    fn issue_22_a_line_over_the_cap_is_read_through_without_being_held() {
        let long = format!("{{\"body\": \"{}\"}}", "x".repeat(100));
        let input = format!("{{\"body\": \"a\"}}\n{long}\n\n{long}tail");
        let mut src = input.as_bytes();
        let mut line = Vec::new();
        let mut lines = Vec::new();
        loop {
            line.clear();
            let read = read_capped_line(&mut src, &mut line, 20).expect("in memory");
            if read == Line::End {
                break;
            }
            lines.push((read, String::from_utf8_lossy(&line).into_owned()));
        }
        let over = Line::Over(long.len() as u64 + 1);
        assert_eq!(
            lines,
            [
                (Line::Read, "{\"body\": \"a\"}\n".to_owned()),
                (over, String::new()),
                (Line::Read, "\n".to_owned()),
                (Line::Over(long.len() as u64 + 4), String::new()),
            ]
        );
        // A line exactly at the cap is read; its line ending does not count.
        let mut line = Vec::new();
        assert_eq!(
            read_capped_line(&mut &b"12345\n6"[..], &mut line, 5).expect("in memory"),
            Line::Read
        );
        assert_eq!(line, b"12345\n");
    }
}
