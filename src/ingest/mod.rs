//! ingest: reading archives into [`RawArticle`] records.
//!
//! Owns everything between a path on disk and a record of strings: walking
//! folders, gzip, text decoding, and one [`Reader`] per format. It does no
//! analysis (no language, no dates parsed, no passages): a reader copies what
//! the input says and leaves interpretation to `analyze`.
//!
//! Every file ends as records ([`RecordOutcome`]) or one [`InputError`]; a
//! reader that hits a bad record reports it and carries on with the next, and
//! a file-level error after some records keeps those records.
//!
//! Adding a format: write a reader module implementing [`Reader`] and add it
//! to [`READERS`].

mod arc;
mod capture;
mod decode;
mod html;
mod json;
mod text;
mod walk;
mod warc;

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

pub use arc::ARC;
pub use capture::ArchiveReader;
pub use decode::{decode, DecodedText, NotText};
pub(crate) use html::is_generic_meta;
pub use html::HtmlReader;
pub use json::{FieldMap, JsonArrayReader, JsonLinesReader};
pub use text::{DocumentReader, MARKDOWN, TEXT};
pub use walk::{discover, discover_excluding, Discovery, InputFile};
pub use warc::WARC;

/// One article as an input describes it, before any analysis.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawArticle {
    /// Line or record number within the input (1-based); 0 when the whole
    /// file is one article.
    pub record: u64,
    /// Identifier given by the input.
    pub id: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// URL of the article.
    pub url: Option<String>,
    /// Author or byline.
    pub author: Option<String>,
    /// Publisher or collection name.
    pub source: Option<String>,
    /// Published date as the input's metadata writes it.
    pub published: Option<String>,
    /// Other published-date candidates found in the input (HTML meta tags,
    /// JSON-LD), best first, used when `published` is absent or unreadable.
    pub date_candidates: Vec<StatedDate>,
    /// Crawl date as the input writes it (web archives).
    pub crawled: Option<String>,
    /// Language as the input states it (`es`, `spa`, `Spanish`, `es-ES`, …).
    pub lang_hint: Option<String>,
    /// Body text; paragraphs separated by blank lines, or one per line.
    pub body: String,
    /// The encoding the input was decoded from.
    pub encoding: &'static str,
    /// What the reader left out or bounded in this record (hostile or
    /// broken markup), for the run's warnings.
    pub notes: Vec<String>,
}

/// A published date as a web page states it, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedDate {
    /// Where in the page it was found.
    pub source: DateSource,
    /// The date as written.
    pub value: String,
    /// The element or field it was read from (`meta property="article:published_time"`,
    /// `JSON-LD datePublished`, `<span class="date">`), for `--explain-dates`.
    pub place: String,
}

/// Where in a web page a published date was stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSource {
    /// A meta tag (`article:published_time`, `date`, `DC.date.issued`…),
    /// `itemprop="datePublished"` or `<time datetime>`.
    HtmlMeta,
    /// `datePublished` in JSON-LD.
    JsonLd,
    /// The text of an element that holds the date (`class="date"`,
    /// `class="published"`, …), as written: "Stand: 19.10.2019 11:05".
    HtmlText,
    /// A date written in the page's text near the headline or after a label
    /// ("Veröffentlicht am", "Posted on"), best placed first.
    PageText,
    /// A date the page gives as its last change (`article:modified_time`,
    /// `dateModified`): used only when the page states no other date.
    Modified,
}

/// What became of one record of an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordOutcome {
    /// A record that reads as an article.
    Article(Box<RawArticle>),
    /// A record left out on purpose.
    Skipped {
        /// Line or record number (0: the whole file).
        record: u64,
        /// Why.
        reason: String,
    },
    /// A record that could not be read.
    Failed {
        /// Line or record number (0: the whole file).
        record: u64,
        /// Why, for a person to act on.
        reason: String,
    },
}

/// Why a whole input (or the rest of it) could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// Reading the file failed.
    #[error("read error: {0}")]
    Io(#[from] io::Error),
    /// The gzip stream is damaged.
    #[error("corrupt or truncated gzip data ({0})")]
    Gzip(io::Error),
    /// The bytes are not text.
    #[error(transparent)]
    NotText(#[from] NotText),
    /// The file expands to more than the size cap.
    #[error("the file is {0}")]
    OverCap(OverCap),
    /// The file has a syntax error that stops the rest of it from being read.
    #[error("{0}")]
    Syntax(String),
}

/// An opened input: its path and a buffered stream of its bytes,
/// decompressed unless its reader asked for the raw file.
pub struct Input<'a> {
    /// The file.
    pub path: &'a Path,
    gzipped: bool,
    stream: Stream<'a>,
}

enum Stream<'a> {
    Decoded(Box<dyn BufRead + 'a>),
    Raw(BufReader<CountingReader<'a, File>>),
}

/// A buffered, seekable byte stream: the raw file, for readers that find
/// their own way through compression (web archives resynchronise after a
/// corrupt gzip member).
pub trait RawStream: BufRead + Seek {}
impl<T: BufRead + Seek> RawStream for T {}

impl<'a> Input<'a> {
    /// The buffered byte stream (decompressed, unless opened raw).
    pub fn stream(&mut self) -> &mut dyn BufRead {
        match &mut self.stream {
            Stream::Decoded(stream) => stream,
            Stream::Raw(raw) => raw,
        }
    }

    /// The raw file, when the reader asked for it ([`Reader::reads_raw`]).
    pub fn raw(&mut self) -> Option<&mut dyn RawStream> {
        match &mut self.stream {
            Stream::Decoded(_) => None,
            Stream::Raw(raw) => Some(raw),
        }
    }

    /// Turns an I/O error while reading into an [`InputError`], naming gzip
    /// damage as such.
    pub fn read_error(&self, error: io::Error) -> InputError {
        if let Some(over) = OverCap::in_error(&error) {
            InputError::OverCap(over)
        } else if self.gzipped && error.kind() != io::ErrorKind::PermissionDenied {
            InputError::Gzip(error)
        } else {
            InputError::Io(error)
        }
    }

    /// Reads the whole input and decodes it as text.
    pub fn read_text(&mut self) -> Result<DecodedText, InputError> {
        let mut bytes = Vec::new();
        if let Err(error) = self.stream().read_to_end(&mut bytes) {
            return Err(self.read_error(error));
        }
        Ok(decode(&bytes)?)
    }
}

/// Default of [`IngestOptions::max_record_bytes`], in MiB.
pub const DEFAULT_MAX_RECORD_MB: u64 = 256;

/// Options that change how inputs are read.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Field names for JSON records, beyond the ones detected by themselves.
    pub field_map: FieldMap,
    /// The most bytes that one whole-file input (text, Markdown, HTML,
    /// JSON), one web archive record or one JSON Lines line may take once
    /// decompressed. What is larger fails alone, without being held in
    /// memory: a few kilobytes of gzip can expand to gigabytes.
    pub max_record_bytes: u64,
    /// How dates in metadata fields are read (`--date-order`, `--date-format`).
    pub dates: crate::analyze::DateSettings,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            field_map: FieldMap::default(),
            max_record_bytes: DEFAULT_MAX_RECORD_MB << 20,
            dates: crate::analyze::DateSettings::default(),
        }
    }
}

/// An input, record or line that expands to more than
/// [`IngestOptions::max_record_bytes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub struct OverCap {
    /// The cap, in bytes.
    pub limit: u64,
}

impl std::fmt::Display for OverCap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let limit = self.limit;
        // Whole MiB as the flag gives them; bytes for caps set otherwise.
        if limit.is_multiple_of(1 << 20) {
            write!(f, "over the size cap ({} MiB)", limit >> 20)?;
        } else {
            write!(f, "over the size cap ({limit} bytes)")?;
        }
        f.write_str("; raise it with --max-record-mb")
    }
}

impl OverCap {
    /// The cap an I/O error reports being over, if that is what it is.
    pub fn in_error(error: &io::Error) -> Option<OverCap> {
        error
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<OverCap>())
            .copied()
    }
}

/// A stream that fails with [`OverCap`] once more than `left` bytes have
/// been read from it, so that a reader holding the whole input never holds
/// more than the cap.
pub(crate) struct Capped<R> {
    inner: R,
    limit: u64,
    left: u64,
}

impl<R> Capped<R> {
    pub(crate) fn new(inner: R, limit: u64) -> Self {
        Capped {
            inner,
            limit,
            left: limit,
        }
    }

    fn over(&self) -> io::Error {
        io::Error::other(OverCap { limit: self.limit })
    }
}

impl<R: Read> Read for Capped<R> {
    /// Whole-file readers read the stream with this (the HTML reader
    /// through [`Input::stream`]): in pieces, so that memory near the cap
    /// stays near the cap.
    fn read_to_end(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
        read_in_pieces(self, buf)
    }

    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // One byte past the cap tells a stream that ends at the cap from
        // one that goes on.
        let room = usize::try_from(self.left.saturating_add(1)).unwrap_or(usize::MAX);
        let want = buf.len().min(room);
        let n = self.inner.read(buf.get_mut(..want).unwrap_or_default())?;
        if n as u64 > self.left {
            return Err(self.over());
        }
        self.left -= n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Capped<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.left == 0 {
            // At the cap: only the end of the stream is fine.
            if self.inner.fill_buf()?.is_empty() {
                return Ok(&[]);
            }
            return Err(self.over());
        }
        let left = usize::try_from(self.left).unwrap_or(usize::MAX);
        let buf = self.inner.fill_buf()?;
        Ok(buf.get(..left).unwrap_or(buf))
    }

    fn consume(&mut self, amount: usize) {
        self.left = self.left.saturating_sub(amount as u64);
        self.inner.consume(amount);
    }
}

/// The largest piece [`read_in_pieces`] reads at once.
const MAX_PIECE: usize = 8 << 20;

/// Reads `reader` to its end and appends what it holds to `out`, in pieces
/// joined at the end into exactly the size read. (A buffer grown by
/// doubling holds up to twice what it needs, and the allocator keeps the
/// blocks it outgrew: reading 256 MiB that way peaked at over 1 GB.)
pub(crate) fn read_in_pieces(reader: &mut dyn Read, out: &mut Vec<u8>) -> io::Result<usize> {
    let mut pieces: Vec<Vec<u8>> = Vec::new();
    let mut size = 64 * 1024;
    loop {
        let mut piece = Vec::with_capacity(size);
        let n = reader.take(size as u64).read_to_end(&mut piece)?;
        if n > 0 {
            pieces.push(piece);
        }
        if n < size {
            break;
        }
        size = (size * 2).min(MAX_PIECE);
    }
    let total: usize = pieces.iter().map(Vec::len).sum();
    if out.is_empty() && pieces.len() == 1 {
        if let Some(piece) = pieces.pop() {
            *out = piece;
        }
        return Ok(total);
    }
    out.reserve_exact(total);
    for piece in pieces {
        out.extend_from_slice(&piece);
    }
    Ok(total)
}

/// A format reader. Each reader turns one opened input into records.
pub trait Reader: Sync {
    /// Short name of the format (`text`, `jsonl`, …).
    fn name(&self) -> &'static str;
    /// File name endings this reader takes, lower-case, without `.gz`.
    fn extensions(&self) -> &'static [&'static str];
    /// Whether the reader takes the raw file (see [`Input::raw`]) rather
    /// than a decompressed stream.
    fn reads_raw(&self) -> bool {
        false
    }
    /// Whether the reader holds one record of the stream at a time (JSON
    /// Lines) and caps each itself; otherwise it holds the whole input, and
    /// the stream stops at [`IngestOptions::max_record_bytes`].
    fn caps_records(&self) -> bool {
        self.reads_raw()
    }
    /// Reads `input`, calling `emit` once per record, in input order.
    fn read(
        &self,
        input: &mut Input<'_>,
        options: &IngestOptions,
        emit: &mut dyn FnMut(RecordOutcome),
    ) -> Result<(), InputError>;
}

/// Every format gazette reads, in the order their extensions are tried.
pub static READERS: &[&dyn Reader] = &[
    &TEXT,
    &MARKDOWN,
    &JsonLinesReader,
    &JsonArrayReader,
    &HtmlReader,
    &WARC,
    &ARC,
];

/// The reader for a file name (`.gz` looked through), if any.
pub fn reader_for(path: &Path) -> Option<&'static dyn Reader> {
    let name = inner_name(path);
    READERS.iter().copied().find(|reader| {
        reader
            .extensions()
            .iter()
            .any(|ext| name.ends_with(&format!(".{ext}")))
    })
}

/// The lower-cased file name with a trailing `.gz` removed.
fn inner_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match name.strip_suffix(".gz") {
        Some(inner) => inner.to_owned(),
        None => name,
    }
}

/// The extension to name in an "unsupported type" reason.
pub fn describe_type(path: &Path) -> String {
    match Path::new(&inner_name(path)).extension() {
        Some(ext) => format!(".{}", ext.to_string_lossy()),
        None => "no extension".to_owned(),
    }
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Opens `path`, counting raw bytes read. Unless `raw`, gzip compression is
/// looked through (by magic bytes, so a mislabelled `.gz` is still read
/// right).
///
/// With a `cap`, the decompressed stream fails with [`OverCap`] past that
/// many bytes.
pub fn open<'a>(
    path: &'a Path,
    on_bytes: &'a (dyn Fn(u64) + Sync),
    raw: bool,
    cap: Option<u64>,
) -> io::Result<Input<'a>> {
    let file = File::open(path)?;
    let mut file = BufReader::with_capacity(
        256 * 1024,
        CountingReader {
            inner: file,
            on_bytes,
        },
    );
    let gzipped = !raw && file.fill_buf()?.starts_with(&GZIP_MAGIC);
    let stream = if raw {
        Stream::Raw(file)
    } else {
        let decoded: Box<dyn BufRead + 'a> = if gzipped {
            Box::new(BufReader::with_capacity(
                256 * 1024,
                flate2::bufread::MultiGzDecoder::new(file),
            ))
        } else {
            Box::new(file)
        };
        match cap {
            Some(limit) => Stream::Decoded(Box::new(Capped::new(decoded, limit))),
            None => Stream::Decoded(decoded),
        }
    };
    Ok(Input {
        path,
        gzipped,
        stream,
    })
}

/// Reports the number of raw bytes read so far, for progress.
struct CountingReader<'a, R> {
    inner: R,
    on_bytes: &'a (dyn Fn(u64) + Sync),
}

impl<R: Read> Read for CountingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        (self.on_bytes)(n as u64);
        Ok(n)
    }
}

/// Seeking back (web archives resynchronising) re-reads bytes, which are
/// counted again: progress may run slightly ahead on damaged archives.
impl<R: Seek> Seek for CountingReader<'_, R> {
    fn seek(&mut self, position: SeekFrom) -> io::Result<u64> {
        self.inner.seek(position)
    }
}

/// Every article read from the files under `paths` with default options,
/// with the file it came from (for benches and tests over a folder; what
/// is skipped or fails is left out).
pub fn read_articles(paths: &[PathBuf]) -> Vec<(PathBuf, RawArticle)> {
    let mut articles = Vec::new();
    for file in discover(paths).files {
        read_file(
            &file.path,
            &IngestOptions::default(),
            &|_| {},
            &mut |outcome| {
                if let RecordOutcome::Article(raw) = outcome {
                    articles.push((file.path.clone(), *raw));
                }
            },
        );
    }
    articles
}

/// Reads one input file with the reader its name calls for, emitting one
/// outcome per record. What concerns the whole file (no reader for its
/// type, unreadable, empty, a read error after some records) is emitted as
/// an outcome with record 0, so every file yields at least one outcome.
pub fn read_file(
    path: &Path,
    options: &IngestOptions,
    on_bytes: &(dyn Fn(u64) + Sync),
    emit: &mut dyn FnMut(RecordOutcome),
) {
    if is_collection_documentation(path) {
        emit(RecordOutcome::Skipped {
            record: 0,
            reason: "collection documentation (README, LICENSE, …), not an article".to_owned(),
        });
        return;
    }
    let Some(reader) = reader_for(path) else {
        emit(RecordOutcome::Skipped {
            record: 0,
            reason: format!("unsupported file type ({})", describe_type(path)),
        });
        return;
    };
    let mut records = 0u64;
    let mut counted = |outcome: RecordOutcome| {
        records += 1;
        emit(outcome);
    };
    let cap = (!reader.caps_records()).then_some(options.max_record_bytes);
    let result = open(path, on_bytes, reader.reads_raw(), cap)
        .map_err(InputError::from)
        .and_then(|mut input| reader.read(&mut input, options, &mut counted));
    let outcome = match result {
        Err(error) => RecordOutcome::Failed {
            record: 0,
            reason: error.to_string(),
        },
        Ok(()) if records == 0 => {
            let empty = std::fs::metadata(path).is_ok_and(|meta| meta.len() == 0);
            RecordOutcome::Skipped {
                record: 0,
                reason: if empty { "empty file" } else { "no records" }.to_owned(),
            }
        }
        Ok(()) => return,
    };
    emit(outcome);
}

/// README, LICENSE and the like describe a collection; they are not articles.
fn is_collection_documentation(path: &Path) -> bool {
    let stem = path
        .file_name()
        .map(|name| name.to_string_lossy().to_uppercase())
        .unwrap_or_default();
    let stem = stem.split('.').next().unwrap_or_default();
    matches!(
        stem,
        "README" | "LICENSE" | "LICENCE" | "COPYING" | "CHANGELOG" | "NOTICE" | "AUTHORS"
    )
}

/// The location of a record for messages: `file:N` or `file`.
pub fn location(path: &Path, record: u64) -> String {
    if record == 0 {
        path.display().to_string()
    } else {
        format!("{}:{record}", path.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcomes(path: &Path) -> Vec<RecordOutcome> {
        let mut out = Vec::new();
        read_file(path, &IngestOptions::default(), &|_| {}, &mut |o| {
            out.push(o)
        });
        out
    }

    #[test]
    fn a_file_that_disappeared_after_discovery_fails_with_the_reason() {
        let dir = tempfile::tempdir().expect("temp dir");
        let gone = dir.path().join("gone.txt");
        match outcomes(&gone).as_slice() {
            [RecordOutcome::Failed { record: 0, reason }] => {
                assert!(reason.contains("No such file"), "{reason}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn every_file_yields_an_outcome() {
        let dir = tempfile::tempdir().expect("temp dir");
        let unsupported = dir.path().join("scan.pdf");
        let empty = dir.path().join("empty.jsonl");
        std::fs::write(&unsupported, b"%PDF").expect("write");
        std::fs::write(&empty, b"").expect("write");
        assert!(matches!(outcomes(&unsupported).as_slice(),
            [RecordOutcome::Skipped { reason, .. }] if reason == "unsupported file type (.pdf)"));
        assert!(matches!(outcomes(&empty).as_slice(),
            [RecordOutcome::Skipped { reason, .. }] if reason == "empty file"));
        let readme = dir.path().join("README.md");
        std::fs::write(&readme, "# About this collection\n\nNotes.").expect("write");
        assert!(matches!(outcomes(&readme).as_slice(),
            [RecordOutcome::Skipped { reason, .. }] if reason.starts_with("collection documentation")));
    }

    // See: issue 22
    #[test]
    fn issue_22_whole_files_and_lines_over_the_cap_fail_alone() {
        use std::io::Write;
        let dir = tempfile::tempdir().expect("temp dir");
        let gzip = |bytes: &[u8]| {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            gz.write_all(bytes).expect("gzip");
            gz.finish().expect("gzip")
        };
        let options = IngestOptions {
            max_record_bytes: 4096,
            ..IngestOptions::default()
        };
        let read = |path: &Path, options: &IngestOptions| {
            let mut out = Vec::new();
            read_file(path, options, &|_| {}, &mut |o| out.push(o));
            out
        };
        let text = format!("Title\n\n{}", "many words here ".repeat(1000));
        for name in ["bomb.txt.gz", "bomb.md.gz", "bomb.html.gz", "bomb.json.gz"] {
            let path = dir.path().join(name);
            std::fs::write(&path, gzip(text.as_bytes())).expect("write");
            assert_eq!(
                read(&path, &options),
                [RecordOutcome::Failed {
                    record: 0,
                    reason: "the file is over the size cap (4096 bytes); \
                             raise it with --max-record-mb"
                        .to_owned()
                }],
                "{name}"
            );
        }
        // Up to the cap, the same file reads.
        let small = dir.path().join("small.txt.gz");
        std::fs::write(&small, gzip(&text.as_bytes()[..4096])).expect("write");
        assert!(matches!(
            read(&small, &options).as_slice(),
            [RecordOutcome::Article(_)]
        ));
        let path = dir.path().join("bomb.txt.gz");
        assert!(matches!(
            read(&path, &IngestOptions::default()).as_slice(),
            [RecordOutcome::Article(_)]
        ));

        let long = format!("{{\"body\": \"{}\"}}", "x".repeat(8192));
        let lines = format!("{{\"body\": \"one\"}}\n{long}\n{{\"body\": \"three\"}}\n");
        let path = dir.path().join("lines.jsonl.gz");
        std::fs::write(&path, gzip(lines.as_bytes())).expect("write");
        let outcomes = read(&path, &options);
        let bodies: Vec<_> = outcomes
            .iter()
            .filter_map(|o| match o {
                RecordOutcome::Article(a) => Some(a.body.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(bodies, ["one", "three"]);
        assert!(outcomes.contains(&RecordOutcome::Failed {
            record: 2,
            reason: format!(
                "line 2: {} bytes long, over the size cap (4096 bytes); \
                 raise it with --max-record-mb",
                long.len() + 1
            ),
        }));
    }
}
