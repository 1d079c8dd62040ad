//! What WARC and ARC files share: gzip members read one by one, records
//! framed by a length, HTTP responses, and recovery from damage.
//!
//! A web archive is a sequence of records, each a header that states the
//! length of the block that follows. Crawlers compress each record as its
//! own gzip member (or the whole file as one). This module reads such files
//! with bounded memory (one record's block at a time) and accounts for every
//! record with its byte offset:
//! - a corrupt gzip member fails the record it held; reading resumes at the
//!   next gzip member that starts a record;
//! - bytes that are not a record (garbage between records or members) are
//!   reported once and passed over up to the next record;
//! - a block shorter than its stated length (truncated file) or one that
//!   does not end where its length says (wrong `Content-Length`) fails that
//!   record; a record header found inside the overlong block is read again
//!   as the next record, so no neighbour is lost, whatever the stated length;
//! - a block, or a payload once its content encoding is undone, larger than
//!   [`IngestOptions::max_record_bytes`] is never held in memory: the block
//!   is read through and the record reported as over the cap.
//!
//! The record formats themselves (headers, record types) are the framers'
//! (`warc.rs`, `arc.rs`); what a payload becomes is the HTML and text
//! readers'.

use std::io::{self, BufRead, BufReader, Read, SeekFrom};

use encoding_rs::Encoding;
use flate2::bufread::GzDecoder;

use super::decode::decode;
use super::html::{decode_html, page_outcome};
use super::text::text_outcome;
use super::{
    read_in_pieces, Capped, IngestOptions, Input, InputError, OverCap, RawStream, Reader,
    RecordOutcome, GZIP_MAGIC,
};

/// A record header as the framing states it.
#[derive(Debug, Default)]
pub(super) struct RecordHead {
    /// `response`, `resource`, `request`, `revisit`, … (lower-case).
    pub kind: String,
    /// The captured URL.
    pub uri: Option<String>,
    /// The capture date, as written.
    pub date: Option<String>,
    /// The block's stated length.
    pub length: u64,
    /// The block's content type.
    pub content_type: Option<String>,
}

/// A web archive reader: WARC ([`super::WARC`]) or ARC ([`super::ARC`]),
/// which differ only in how their records are framed.
pub struct ArchiveReader {
    pub(super) name: &'static str,
    pub(super) extensions: &'static [&'static str],
    pub(super) framing: &'static dyn Framing,
}

impl Reader for ArchiveReader {
    fn name(&self) -> &'static str {
        self.name
    }
    fn extensions(&self) -> &'static [&'static str] {
        self.extensions
    }
    fn reads_raw(&self) -> bool {
        true
    }
    fn read(
        &self,
        input: &mut Input<'_>,
        options: &IngestOptions,
        emit: &mut dyn FnMut(RecordOutcome),
    ) -> Result<(), InputError> {
        read_archive(input, self.framing, options.max_record_bytes, emit)
    }
}

/// A web archive format: how records start and what their headers say.
pub(super) trait Framing: Sync {
    /// Whether `line` (with its line ending) starts a record.
    fn is_record_start(&self, line: &[u8]) -> bool;
    /// Reads a record header whose first line is `first`: the header, or
    /// why it is not one. An `Err` is a read error (damaged gzip data).
    fn read_head(
        &self,
        first: &[u8],
        src: &mut dyn BufRead,
    ) -> io::Result<Result<RecordHead, String>>;
}

/// Longest header line read; longer ones are cut (a header line this long is
/// damage, not a header).
const MAX_LINE: usize = 64 * 1024;

/// Reads every record of a web archive with `framing`, emitting one outcome
/// per record (and one per stretch of damage). Blocks larger than `cap` are
/// not held in memory.
fn read_archive(
    input: &mut Input<'_>,
    framing: &dyn Framing,
    cap: u64,
    emit: &mut dyn FnMut(RecordOutcome),
) -> Result<(), InputError> {
    let Some(raw) = input.raw() else {
        return Err(InputError::Syntax(
            "web archive opened without raw access".to_owned(),
        ));
    };
    Ok(read_raw(raw, framing, cap, emit)?)
}

/// Reads the records of a raw (possibly gzipped) archive stream.
fn read_raw(
    raw: &mut dyn RawStream,
    framing: &dyn Framing,
    cap: u64,
    emit: &mut dyn FnMut(RecordOutcome),
) -> io::Result<()> {
    let mut records = Records {
        framing,
        emit,
        cap,
        number: 0,
        current: None,
        rewind: None,
        size: None,
        rest_after_rewind: None,
    };
    let gzipped = raw.fill_buf()?.starts_with(&GZIP_MAGIC);
    if gzipped {
        records.read_members(raw)?;
    } else {
        records.size = Some(raw.seek(SeekFrom::End(0))?);
        raw.seek(SeekFrom::Start(0))?;
        let mut src = Pushback::new(raw);
        while let Err(error) = records.read_records(&mut src) {
            let Some(Rewind(anchor)) = Rewind::in_error(&error) else {
                return Err(error);
            };
            let raw = src.inner;
            raw.seek(SeekFrom::Start(anchor.offset))?;
            src = Pushback::new(raw);
            src.pos = anchor.offset;
            records.rest_after_rewind = None;
        }
    }
    Ok(())
}

/// The reading state of one archive.
struct Records<'a> {
    framing: &'a dyn Framing,
    emit: &'a mut dyn FnMut(RecordOutcome),
    /// The largest block held in memory, and the largest decoded payload.
    cap: u64,
    /// Records (and stretches of damage) seen so far.
    number: u64,
    /// The record being read, with its location, while its block is read.
    current: Option<(u64, String)>,
    /// Where to read again from once the current record is reported: the
    /// record header found inside a block too large to hold, whose stated
    /// length proved wrong.
    rewind: Option<Anchor>,
    /// Where the stream ends, when known: the size of an uncompressed file,
    /// or the decompressed end once a block has been read through to it. A
    /// length that runs past it needs no more than the rest of the stream
    /// read to be found wrong.
    size: Option<u64>,
    /// With [`Records::rewind`], how many bytes the stream holds from the
    /// rewind anchor on, when the block was read through to the end.
    rest_after_rewind: Option<u64>,
}

/// A place in the file that reading can start again from: the file offset
/// of a gzip member (or of the byte, in an uncompressed file), and how many
/// decompressed bytes into the member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Anchor {
    offset: u64,
    within: u64,
}

/// Asks the caller of [`Records::read_records`] to read again from an
/// anchor (the stream it reads cannot go back by itself).
#[derive(Debug)]
struct Rewind(Anchor);

impl Rewind {
    fn in_error(error: &io::Error) -> Option<&Rewind> {
        error.get_ref().and_then(|e| e.downcast_ref::<Rewind>())
    }
}

impl std::fmt::Display for Rewind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "reading again from offset {}", self.0.offset)
    }
}

impl std::error::Error for Rewind {}

/// Where a record is, for reasons: its byte offset in the file, or for
/// gzipped files the offset of the gzip member it starts in (and where in
/// the member's decompressed bytes, when the member holds several records).
trait Locate {
    /// The location of decompressed position `pos`.
    fn locate(&self, pos: u64) -> String;
    /// Where reading can start again at decompressed position `pos`, if
    /// that is still known.
    fn anchor(&self, pos: u64) -> Option<Anchor>;
}

impl Locate for &mut (dyn RawStream + '_) {
    fn locate(&self, pos: u64) -> String {
        format!("offset {pos}")
    }
    fn anchor(&self, pos: u64) -> Option<Anchor> {
        Some(Anchor {
            offset: pos,
            within: 0,
        })
    }
}

impl Locate for BufReader<&mut Members<'_>> {
    fn locate(&self, pos: u64) -> String {
        match self.get_ref().member_at(pos) {
            None => format!("offset {pos} (decompressed)"),
            Some((member, 0)) => format!("offset {member}"),
            Some((member, within)) => format!("offset {member} (+{within} in the gzip member)"),
        }
    }
    fn anchor(&self, pos: u64) -> Option<Anchor> {
        self.get_ref()
            .member_at(pos)
            .map(|(offset, within)| Anchor { offset, within })
    }
}

/// Bytes where a gzip member should start, at this file offset.
#[derive(Debug)]
struct NotAMember(u64);

impl std::fmt::Display for NotAMember {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "bytes that are not gzip data at offset {}", self.0)
    }
}

impl std::error::Error for NotAMember {}

/// How many member starts are remembered to locate records: enough for
/// what the buffers read ahead, bounded for files of millions of members.
const REMEMBERED_MEMBERS: usize = 4096;

/// Gzip members decompressed one after another as one stream (a record may
/// span members), remembering where in the file each member starts. A read
/// error leaves the raw file to the caller to resynchronise.
struct Members<'r> {
    decoder: Option<GzDecoder<&'r mut dyn RawStream>>,
    raw: Option<&'r mut dyn RawStream>,
    /// `(decompressed position, file offset)` of recent member starts.
    starts: std::collections::VecDeque<(u64, u64)>,
    out: u64,
}

impl<'r> Members<'r> {
    fn new(raw: &'r mut dyn RawStream) -> Self {
        Members {
            decoder: None,
            raw: Some(raw),
            starts: std::collections::VecDeque::new(),
            out: 0,
        }
    }

    /// The member holding decompressed position `pos`: its file offset, and
    /// `pos` relative to its start.
    fn member_at(&self, pos: u64) -> Option<(u64, u64)> {
        self.starts
            .iter()
            .rev()
            .find(|(start, _)| *start <= pos)
            .map(|(start, offset)| (*offset, pos - start))
    }

    /// The file offset of the member being decompressed.
    fn current_member(&self) -> Option<u64> {
        self.starts.back().map(|(_, offset)| *offset)
    }

    fn into_raw(self) -> Option<&'r mut dyn RawStream> {
        self.raw.or_else(|| self.decoder.map(GzDecoder::into_inner))
    }
}

impl Read for Members<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if let Some(decoder) = &mut self.decoder {
                let n = decoder.read(buf)?;
                if n > 0 {
                    self.out += n as u64;
                    return Ok(n);
                }
                self.raw = self.decoder.take().map(GzDecoder::into_inner);
                continue;
            }
            let Some(raw) = self.raw.take() else {
                return Ok(0);
            };
            let at = raw.stream_position()?;
            let next = raw.fill_buf()?;
            if next.is_empty() {
                self.raw = Some(raw);
                return Ok(0);
            }
            if !next.starts_with(&GZIP_MAGIC) {
                self.raw = Some(raw);
                return Err(io::Error::other(NotAMember(at)));
            }
            self.starts.push_back((self.out, at));
            if self.starts.len() > REMEMBERED_MEMBERS {
                self.starts.pop_front();
            }
            self.decoder = Some(GzDecoder::new(raw));
        }
    }
}

impl Records<'_> {
    fn next_number(&mut self) -> u64 {
        self.number += 1;
        self.number
    }

    fn fail(&mut self, record: u64, reason: String) {
        (self.emit)(RecordOutcome::Failed { record, reason });
    }

    /// The records of a gzipped file: one gzip member per record, one for
    /// the whole file, or anything between. After damage, reading resumes at
    /// the next member that starts a record.
    fn read_members(&mut self, raw: &mut dyn RawStream) -> io::Result<()> {
        let mut raw = raw;
        // Decompressed bytes to pass over at the start of the first member:
        // how far into it a rewind anchor lies.
        let mut skip = 0;
        loop {
            let mut members = Members::new(raw);
            let result = {
                let mut src = Pushback::new(BufReader::new(&mut members));
                io::copy(&mut (&mut src).take(skip), &mut io::sink())
                    .and_then(|_| self.read_records(&mut src))
            };
            skip = 0;
            let Err(error) = result else {
                return Ok(());
            };
            let damaged = members.current_member();
            let Some(back) = members.into_raw() else {
                return Err(error);
            };
            raw = back;
            if let Some(Rewind(anchor)) = Rewind::in_error(&error) {
                raw.seek(SeekFrom::Start(anchor.offset))?;
                skip = anchor.within;
                // Positions start again at the anchor's member.
                self.size = self
                    .rest_after_rewind
                    .take()
                    .map(|rest| anchor.within + rest);
                continue;
            }
            self.size = None;
            let (from, corrupt) = match (
                error.get_ref().and_then(|e| e.downcast_ref::<NotAMember>()),
                damaged,
            ) {
                (Some(NotAMember(at)), _) => (*at, None),
                (None, Some(member)) => (member + 1, Some((member, error.to_string()))),
                // A read error before any member: the file itself is unreadable.
                (None, None) => return Err(error),
            };
            let resumed = self.resync(raw, from)?;
            let end = raw.stream_position()?;
            let start = corrupt.as_ref().map_or(from, |(member, _)| *member);
            let damage = match corrupt {
                Some((member, error)) => {
                    format!("corrupt gzip member at offset {member} ({error})")
                }
                None => format!(
                    "{} bytes that are not gzip data at offset {from}",
                    end - from
                ),
            };
            let (number, here) = match self.current.take() {
                Some(current) => current,
                None => (self.next_number(), format!("offset {start}")),
            };
            self.fail(number, format!("{here}: {damage}{}", resumed_at(resumed)));
            if resumed.is_none() {
                return Ok(());
            }
        }
    }

    /// Moves `raw` to the next gzip member, from `from` on, that decompresses
    /// to the start of a record; returns its offset, or `None` at the end.
    fn resync(&self, raw: &mut dyn RawStream, from: u64) -> io::Result<Option<u64>> {
        raw.seek(SeekFrom::Start(from))?;
        while let Some(candidate) = skip_to_magic(raw)? {
            let starts_record = {
                let mut head = Vec::new();
                let mut decoder = GzDecoder::new(&mut *raw).take(64);
                // A false magic number inside compressed data fails here.
                decoder.read_to_end(&mut head).is_ok() && self.framing.is_record_start(&head)
            };
            if starts_record {
                raw.seek(SeekFrom::Start(candidate))?;
                return Ok(Some(candidate));
            }
            raw.seek(SeekFrom::Start(candidate + 1))?;
        }
        Ok(None)
    }

    /// Records of a stream. An `Err` is a read error (damaged gzip data),
    /// with the record it interrupted in `self.current`.
    fn read_records<R: BufRead + Locate>(&mut self, src: &mut Pushback<R>) -> io::Result<()> {
        loop {
            let mut start = src.pos;
            let Some(mut line) = read_line(src)? else {
                return Ok(());
            };
            if line.trim_ascii().is_empty() {
                continue;
            }
            if !self.framing.is_record_start(&line) {
                let garbage = start;
                let found = loop {
                    let at = src.pos;
                    match read_line(src)? {
                        None => break None,
                        Some(next) if self.framing.is_record_start(&next) => {
                            break Some((at, next))
                        }
                        Some(_) => {}
                    }
                };
                let number = self.next_number();
                let end = found.as_ref().map_or(src.pos, |(at, _)| *at);
                self.fail(
                    number,
                    format!(
                        "{}: {} bytes that are not a record{}",
                        src.inner.locate(garbage),
                        end - garbage,
                        if found.is_some() {
                            ", skipped to the next record"
                        } else {
                            " at the end"
                        }
                    ),
                );
                let Some((at, next)) = found else {
                    return Ok(());
                };
                start = at;
                line = next;
            }
            let number = self.next_number();
            let here = src.inner.locate(start);
            self.current = Some((number, here.clone()));
            let outcome = self.read_record(src, &line, number, &here)?;
            self.current = None;
            (self.emit)(outcome);
            if let Some(anchor) = self.rewind.take() {
                return Err(io::Error::other(Rewind(anchor)));
            }
        }
    }

    fn read_record<R: BufRead + Locate>(
        &mut self,
        src: &mut Pushback<R>,
        first: &[u8],
        number: u64,
        here: &str,
    ) -> io::Result<RecordOutcome> {
        let failed = |reason: String| RecordOutcome::Failed {
            record: number,
            reason: format!("{here}: {reason}"),
        };
        let head = match self.framing.read_head(first, src)? {
            Ok(head) => head,
            Err(reason) => return Ok(failed(reason)),
        };
        // Records that each state a length past the end of the file would
        // otherwise each be read through to the end, one after another.
        let window = match self.size {
            Some(size) => head.length.min(size.saturating_sub(src.pos)),
            None => head.length,
        };
        let length = match usize::try_from(window) {
            Ok(length) if window <= self.cap => length,
            _ => return self.pass_over(src, &head, number, here),
        };
        // The block and the byte after it are looked at where they lie, read
        // ahead but not consumed: a wrong length then costs only the bytes up
        // to the next record, which are read once whatever the damage that
        // follows (damaged records each stating a long length would
        // otherwise read their lengths' worth again, one after another).
        let (consumed, block) = {
            let ahead = src.fill_to(length.saturating_add(1))?;
            let block = ahead.get(..length).unwrap_or(ahead);
            let short = (block.len() as u64) < head.length;
            if !short && matches!(ahead.get(length), None | Some(b'\r' | b'\n')) {
                (length, Ok(block.to_vec()))
            } else {
                // The stated length is wrong: a record that starts inside
                // the block is read as the next record, so that it is not
                // lost with this one.
                let reread = line_starts(block).find(|&at| {
                    block
                        .get(at..)
                        .is_some_and(|rest| self.framing.is_record_start(rest))
                });
                let reason = wrong_length(head.length, short, block.len() as u64, reread.is_some());
                (reread.unwrap_or(block.len()), Err(reason))
            }
        };
        src.consume(consumed);
        Ok(match block {
            Ok(block) => capture_outcome(&head, &block, number, here, self.cap),
            Err(reason) => failed(reason),
        })
    }

    /// A block longer than the cap, read through line by line without
    /// being held. Should it not end where its length says, reading starts
    /// again at the first record header found inside it (see
    /// [`Records::rewind`]).
    fn pass_over<R: BufRead + Locate>(
        &mut self,
        src: &mut Pushback<R>,
        head: &RecordHead,
        number: u64,
        here: &str,
    ) -> io::Result<RecordOutcome> {
        let start = src.pos;
        let end = start.saturating_add(head.length);
        let mut inner = None;
        while src.pos < end {
            let at = src.pos;
            let Some(line) = read_line(&mut (&mut *src).take(end - at))? else {
                break;
            };
            if inner.is_none() && self.framing.is_record_start(&line) {
                inner = Some((src.inner.anchor(at), at));
            }
        }
        let found = src.pos - start;
        let short = found < head.length;
        if !short && self.ends_cleanly(src)? {
            return Ok(RecordOutcome::Skipped {
                record: number,
                reason: format!(
                    "{here}: record of {} bytes, {}",
                    head.length,
                    OverCap { limit: self.cap }
                ),
            });
        }
        // An anchor that is no longer known (thousands of gzip members
        // back) cannot be read again: the record fails as if none was found.
        self.rest_after_rewind = inner.filter(|_| short).map(|(_, at)| src.pos - at);
        let inner = inner.and_then(|(anchor, _)| anchor);
        self.rewind = inner;
        Ok(RecordOutcome::Failed {
            record: number,
            reason: format!(
                "{here}: {}",
                wrong_length(head.length, short, found, inner.is_some())
            ),
        })
    }

    /// After a block: the end of the stream, or a line end. (What follows
    /// the line ends is the next record's business: garbage there is
    /// reported on its own, not held against this record.)
    fn ends_cleanly(&self, src: &mut Pushback<impl BufRead>) -> io::Result<bool> {
        let buf = src.fill_buf()?;
        Ok(matches!(buf.first(), None | Some(b'\r' | b'\n')))
    }
}

/// Why a block did not end where its stated `length` says: `found` bytes
/// were there before the end of the stream (`short`) or the block's end.
fn wrong_length(length: u64, short: bool, found: u64, reread: bool) -> String {
    match (short, reread) {
        (_, true) => format!("the record's length ({length} bytes) runs into the next record"),
        (true, false) => {
            format!("truncated record: its length is {length} bytes, only {found} remain")
        }
        (false, false) => format!("the record does not end where its length ({length} bytes) says"),
    }
}

fn resumed_at(resumed: Option<u64>) -> String {
    match resumed {
        Some(offset) => format!("; resumed at the next record, offset {offset}"),
        None => "; nothing readable follows".to_owned(),
    }
}

/// Consumes bytes up to the next gzip magic number (`1f 8b 08`), leaving the
/// stream at it; returns its offset, or `None` at the end of the stream.
fn skip_to_magic(raw: &mut dyn RawStream) -> io::Result<Option<u64>> {
    let mut matched = 0usize;
    loop {
        let buf = raw.fill_buf()?;
        if buf.is_empty() {
            return Ok(None);
        }
        let mut used = 0;
        let mut found = false;
        for &byte in buf {
            used += 1;
            matched = match (matched, byte) {
                (0, 0x1f) => 1,
                (1, 0x8b) => 2,
                (2, 0x08) => 3,
                (_, 0x1f) => 1,
                _ => 0,
            };
            if matched == 3 {
                found = true;
                break;
            }
        }
        raw.consume(used);
        if found {
            let at = raw.seek(SeekFrom::Current(-3))?;
            return Ok(Some(at));
        }
    }
}

/// Offsets in `block` at which a line starts.
fn line_starts(block: &[u8]) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(
        block
            .iter()
            .enumerate()
            .filter(|(_, &byte)| byte == b'\n')
            .map(|(at, _)| at + 1),
    )
}

/// Reads one line (up to [`MAX_LINE`] bytes kept), with its line ending;
/// `None` at the end of the stream.
pub(super) fn read_line(src: &mut dyn BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    let mut any = false;
    loop {
        let buf = src.fill_buf()?;
        if buf.is_empty() {
            return Ok(any.then_some(line));
        }
        any = true;
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(end) => (end + 1, true),
            None => (buf.len(), false),
        };
        let room = MAX_LINE.saturating_sub(line.len()).min(take);
        line.extend_from_slice(buf.get(..room).unwrap_or_default());
        src.consume(take);
        if done {
            return Ok(Some(line));
        }
    }
}

/// A buffered stream that can read ahead as far as asked, counting its
/// position.
struct Pushback<R> {
    inner: R,
    /// Bytes read ahead; those before `taken` have been consumed. (Reading
    /// moves `taken` rather than removing bytes from the front, which would
    /// copy the rest on every line.)
    pending: Vec<u8>,
    taken: usize,
    /// Position in the stream: bytes consumed.
    pos: u64,
}

impl<R: BufRead> Pushback<R> {
    fn new(inner: R) -> Self {
        Pushback {
            inner,
            pending: Vec::new(),
            taken: 0,
            pos: 0,
        }
    }

    /// Reads ahead until `n` bytes are held unread (fewer at the end of the
    /// stream) and returns them, without consuming them.
    fn fill_to(&mut self, n: usize) -> io::Result<&[u8]> {
        while self.unread().len() < n {
            // Bytes already read again are dropped once they are at least
            // half the buffer, so that each byte is moved at most once on
            // average.
            if self.taken > 0 && self.taken >= self.pending.len() / 2 {
                self.pending.drain(..self.taken);
                self.taken = 0;
            }
            let missing = n - self.unread().len();
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let take = buf.len().min(missing);
            self.pending
                .extend_from_slice(buf.get(..take).unwrap_or_default());
            self.inner.consume(take);
        }
        Ok(self.unread())
    }

    fn unread(&self) -> &[u8] {
        self.pending.get(self.taken..).unwrap_or_default()
    }
}

impl<R: BufRead> Read for Pushback<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let buf = self.fill_buf()?;
        let n = buf.len().min(out.len());
        if let (Some(to), Some(from)) = (out.get_mut(..n), buf.get(..n)) {
            to.copy_from_slice(from);
        }
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Pushback<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.unread().is_empty() {
            self.inner.fill_buf()
        } else {
            Ok(self.unread())
        }
    }

    fn consume(&mut self, amount: usize) {
        self.pos += amount as u64;
        if self.unread().is_empty() {
            self.inner.consume(amount);
        } else {
            self.taken = (self.taken + amount).min(self.pending.len());
            if self.taken == self.pending.len() {
                self.pending = Vec::new();
                self.taken = 0;
            }
        }
    }
}

/// What a well-framed record becomes.
fn capture_outcome(
    head: &RecordHead,
    block: &[u8],
    number: u64,
    here: &str,
    cap: u64,
) -> RecordOutcome {
    let uri = head.uri.as_deref().unwrap_or("no URI");
    let skipped = |reason: String| RecordOutcome::Skipped {
        record: number,
        reason: format!("{here} ({uri}): {reason}"),
    };
    let failed = |reason: String| RecordOutcome::Failed {
        record: number,
        reason: format!("{here} ({uri}): {reason}"),
    };
    let payload = match head.kind.as_str() {
        "response" if block.starts_with(b"HTTP/") => match http_payload(block, cap) {
            Ok(Http::Payload(payload)) => payload,
            Ok(Http::Status(status)) => return skipped(format!("HTTP status {status}")),
            Err(reason) => return failed(reason),
        },
        "response" | "resource" => Payload {
            content_type: head.content_type.clone(),
            body: block.to_vec(),
        },
        "revisit" => {
            return skipped("revisit record (an unchanged capture of an earlier record)".to_owned())
        }
        other => return skipped(format!("{other} record")),
    };
    if let Some(scheme) = head
        .uri
        .as_deref()
        .and_then(|uri| uri.split_once(':'))
        .map(|(s, _)| s)
    {
        // Crawlers archive their own logs and settings as `metadata:` or
        // `dns:` records: they are not captures of the web.
        if !matches!(
            scheme.to_ascii_lowercase().as_str(),
            "http" | "https" | "ftp" | "file"
        ) {
            return skipped(format!(
                "a {scheme}: record of the crawler, not a web capture"
            ));
        }
    }
    if head.uri.as_deref().is_some_and(|uri| {
        uri.split(['?', '#'])
            .next()
            .unwrap_or(uri)
            .ends_with("/robots.txt")
    }) {
        return skipped("robots.txt, not an article".to_owned());
    }
    let mime = payload
        .content_type
        .as_deref()
        .and_then(|value| value.split(';').next())
        .map(|mime| mime.trim().to_lowercase())
        .filter(|mime| !mime.is_empty())
        .unwrap_or_else(|| sniff(&payload.body).to_owned());
    let charset = payload.content_type.as_deref().and_then(charset_param);
    let outcome = match mime.as_str() {
        "text/html" | "application/xhtml+xml" => match decode_html(&payload.body, charset) {
            Ok(decoded) => page_outcome(&decoded, head.uri.as_deref(), number),
            Err(error) => return failed(error.to_string()),
        },
        "text/plain" => {
            let decoded = match charset.and_then(|label| Encoding::for_label(label.as_bytes())) {
                Some(encoding) => {
                    let (text, _) = encoding.decode_with_bom_removal(&payload.body);
                    Ok(super::DecodedText {
                        text: text.into_owned(),
                        encoding: encoding.name(),
                    })
                }
                None => decode(&payload.body),
            };
            match decoded {
                Ok(decoded) => text_outcome(&decoded.text, decoded.encoding, number),
                Err(error) => return failed(error.to_string()),
            }
        }
        "" => return skipped("no content type, and the payload is not HTML".to_owned()),
        other => return skipped(format!("content type {other}, not an article")),
    };
    match outcome {
        RecordOutcome::Article(mut article) => {
            article.record = number;
            article.url = head.uri.clone();
            article.crawled = head.date.clone();
            RecordOutcome::Article(article)
        }
        RecordOutcome::Skipped { reason, .. } => skipped(reason),
        RecordOutcome::Failed { reason, .. } => failed(reason),
    }
}

/// A payload without a content type is taken for HTML when it looks like it.
fn sniff(body: &[u8]) -> &'static str {
    let head = body.get(..1024).unwrap_or(body).to_ascii_lowercase();
    let trimmed = head.trim_ascii_start();
    if trimmed.starts_with(b"<!doctype html") || trimmed.starts_with(b"<html") {
        "text/html"
    } else {
        ""
    }
}

/// The `charset` parameter of a content type.
fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']))
    })
}

/// The entity of an HTTP response, transfer and content encodings removed.
#[derive(Debug, PartialEq, Eq)]
struct Payload {
    content_type: Option<String>,
    body: Vec<u8>,
}

#[derive(Debug, PartialEq, Eq)]
enum Http {
    /// A successful response's payload.
    Payload(Payload),
    /// A status that carries no article: redirects, errors, no content.
    Status(String),
}

/// Reads an HTTP response: status line, headers, then the body with
/// `Transfer-Encoding: chunked` and `Content-Encoding: gzip|deflate|br`
/// undone.
fn http_payload(block: &[u8], cap: u64) -> Result<Http, String> {
    // Headers that run to the end of the block are a response without a
    // body (some writers drop the blank line after them).
    let (head_end, body_start) = header_end(block).unwrap_or((block.len(), block.len()));
    let head = String::from_utf8_lossy(block.get(..head_end).unwrap_or_default());
    let body = block.get(body_start..).unwrap_or_default();
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.splitn(3, ' ');
    let code: u16 = parts
        .nth(1)
        .and_then(|code| code.trim().parse().ok())
        .ok_or_else(|| format!("bad HTTP status line `{}`", status_line.trim()))?;
    if !(200..300).contains(&code) || code == 204 {
        let status = status_line.split_once(' ').map_or("", |(_, s)| s);
        return Ok(Http::Status(status.trim().to_owned()));
    }
    let header = |name: &str| {
        lines.clone().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_lowercase())
        })
    };
    let content_type = lines.clone().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case("content-type")
            .then(|| value.trim().to_owned())
    });
    let mut body = body.to_vec();
    if header("transfer-encoding").is_some_and(|te| te.contains("chunked")) && looks_chunked(&body)
    {
        body = dechunk(&body)?;
    }
    if let Some(encoding) = header("content-encoding") {
        body = content_decode(&encoding, body, cap)?;
    }
    Ok(Http::Payload(Payload { content_type, body }))
}

/// Where the headers end: the first line that is empty but for carriage
/// returns (some writers double them). Returns the header length and where
/// the body starts.
fn header_end(block: &[u8]) -> Option<(usize, usize)> {
    let mut line_start = 0;
    for (at, _) in block.iter().enumerate().filter(|(_, &b)| b == b'\n') {
        let line = block.get(line_start..at).unwrap_or_default();
        if line_start > 0 && line.iter().all(|&b| b == b'\r') {
            return Some((line_start, at + 1));
        }
        line_start = at + 1;
    }
    None
}

/// Some archivers store the body already de-chunked while keeping the
/// header: only a body that starts with a chunk size is de-chunked.
fn looks_chunked(body: &[u8]) -> bool {
    let line = body.split(|&b| b == b'\n').next().unwrap_or_default();
    let size = line
        .split(|&b| b == b';')
        .next()
        .unwrap_or_default()
        .trim_ascii();
    !size.is_empty() && size.iter().all(u8::is_ascii_hexdigit)
}

fn dechunk(mut body: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(body.len());
    loop {
        let line_end = body
            .iter()
            .position(|&b| b == b'\n')
            .ok_or("chunked body ends inside a chunk size line")?;
        let line = body.get(..line_end).unwrap_or_default();
        let size_text =
            String::from_utf8_lossy(line.split(|&b| b == b';').next().unwrap_or_default());
        let size = usize::from_str_radix(size_text.trim(), 16)
            .map_err(|_| format!("bad chunk size `{}` in chunked body", size_text.trim()))?;
        let rest = body.get(line_end + 1..).unwrap_or_default();
        if size == 0 {
            return Ok(out);
        }
        let chunk = rest
            .get(..size)
            .ok_or_else(|| format!("chunked body ends inside a chunk of {size} bytes"))?;
        out.extend_from_slice(chunk);
        let after = rest.get(size..).unwrap_or_default();
        body = after
            .strip_prefix(b"\r\n")
            .or_else(|| after.strip_prefix(b"\n"))
            .unwrap_or(after);
    }
}

/// Undoes a content encoding, holding at most `cap` decoded bytes: a
/// payload that decodes to more is reported as over the cap (even if its
/// compressed data would turn out damaged further on), never as corrupt.
fn content_decode(encoding: &str, body: Vec<u8>, cap: u64) -> Result<Vec<u8>, String> {
    /// Why a payload was not decoded: over the cap, or does not decode.
    enum Undecoded {
        Over,
        Corrupt(io::Error),
    }
    let limited = |reader: &mut dyn Read| -> Result<Vec<u8>, Undecoded> {
        let mut out = Vec::new();
        // Stopped at the cap, before the pieces read are joined.
        match read_in_pieces(&mut Capped::new(reader, cap), &mut out) {
            Ok(_) => Ok(out),
            Err(error) if OverCap::in_error(&error).is_some() => Err(Undecoded::Over),
            Err(error) => Err(Undecoded::Corrupt(error)),
        }
    };
    let name = encoding.trim();
    let decoded = match name {
        "" | "identity" => Ok(body),
        // Archivers that store decoded bodies keep the header: a body that
        // is not compressed is used as it is.
        "gzip" | "x-gzip" if !body.starts_with(&GZIP_MAGIC) => Ok(body),
        "gzip" | "x-gzip" => limited(&mut flate2::read::MultiGzDecoder::new(body.as_slice())),
        // Servers send raw deflate as often as zlib: the other is tried when
        // the first does not decode (not when it decodes past the cap).
        "deflate" => match limited(&mut flate2::read::ZlibDecoder::new(body.as_slice())) {
            Err(Undecoded::Corrupt(_)) => {
                limited(&mut flate2::read::DeflateDecoder::new(body.as_slice()))
            }
            other => other,
        },
        "br" => limited(&mut brotli_decompressor::Decompressor::new(
            body.as_slice(),
            4096,
        )),
        other => return Err(format!("unsupported content encoding `{other}`")),
    };
    decoded.map_err(|why| match why {
        Undecoded::Over => format!("{name} payload once decoded is {}", OverCap { limit: cap }),
        Undecoded::Corrupt(error) => format!("{name} content encoding does not decode ({error})"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn payload(response: &[u8]) -> Http {
        http_payload(response, 1 << 20).expect("parses")
    }

    #[test]
    fn status_lines_and_headers() {
        assert_eq!(
            payload(b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<p>gone"),
            Http::Status("404 Not Found".to_owned())
        );
        assert_eq!(
            payload(b"HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>hi"),
            Http::Payload(Payload {
                content_type: Some("text/html; charset=utf-8".to_owned()),
                body: b"<p>hi".to_vec()
            })
        );
        assert!(http_payload(b"HTTP/1.1 OK\r\n\r\n", 1 << 20).is_err());
        assert_eq!(
            payload(b"HTTP/1.1 301 Moved\r\nLocation: /x\r\n"),
            Http::Status("301 Moved".to_owned())
        );
        assert_eq!(
            payload(b"HTTP/1.0 302 \r\r\nLocation: /x\r\r\n\r\r\n"),
            Http::Status("302".to_owned())
        );
        assert_eq!(
            charset_param("text/html; Charset=\"ISO-8859-1\""),
            Some("ISO-8859-1")
        );
    }

    #[test]
    fn chunked_and_compressed_bodies_are_decoded() {
        let response = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n";
        let Http::Payload(body) = payload(response) else {
            panic!("payload expected")
        };
        assert_eq!(body.body, b"hello, world");
        assert!(dechunk(b"5\r\nhel").is_err_and(|e| e.contains("inside a chunk")));

        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"compressed").expect("gzip");
        let gz = gz.finish().expect("gzip");
        assert_eq!(
            content_decode("gzip", gz, 1 << 20),
            Ok(b"compressed".to_vec())
        );
        assert_eq!(
            content_decode("gzip", b"plain".to_vec(), 1 << 20),
            Ok(b"plain".to_vec())
        );
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(b"zlib").expect("zlib");
        assert_eq!(
            content_decode("deflate", z.finish().expect("zlib"), 1 << 20),
            Ok(b"zlib".to_vec())
        );
        // "hello\n" compressed with brotli (the vector brotli-decompressor tests with).
        let br = b"\x8f\x02\x80\x68\x65\x6c\x6c\x6f\x0a\x03";
        assert_eq!(
            content_decode("br", br.to_vec(), 1 << 20),
            Ok(b"hello\n".to_vec())
        );
        assert!(content_decode("compress", Vec::new(), 1 << 20).is_err());
    }

    fn resource(text: &str) -> Vec<u8> {
        format!(
            "WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: http://x.org/{}\r\n\
             Content-Type: text/plain\r\nContent-Length: {}\r\n\r\n{text}\r\n\r\n",
            text.len(),
            text.len()
        )
        .into_bytes()
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(bytes).expect("gzip");
        gz.finish().expect("gzip")
    }

    /// Reads `bytes` as a WARC; each outcome as `article <first body word>`,
    /// `skipped …` or `failed …` with its reason.
    fn check(bytes: &[u8], expected: &[&str]) {
        assert_eq!(outcomes(bytes, 1 << 20), expected);
    }

    /// The outcomes of `bytes` read as a WARC with blocks capped at `cap`,
    /// as [`check`] writes them.
    fn outcomes(bytes: &[u8], cap: u64) -> Vec<String> {
        let mut outcomes = Vec::new();
        read_raw(
            &mut io::Cursor::new(bytes),
            super::super::WARC.framing,
            cap,
            &mut |outcome| {
                outcomes.push(match outcome {
                    RecordOutcome::Article(a) => format!("{} article {}", a.record, a.body.trim()),
                    RecordOutcome::Skipped { record, reason } => {
                        format!("{record} skipped {reason}")
                    }
                    RecordOutcome::Failed { record, reason } => format!("{record} failed {reason}"),
                })
            },
        )
        .expect("no read error");
        outcomes
    }

    /// `resource(text)` stating `length` as its Content-Length.
    fn misstated(text: &str, length: u64) -> Vec<u8> {
        String::from_utf8(resource(text))
            .expect("utf-8")
            .replacen(
                &format!("Content-Length: {}\r\n", text.len()),
                &format!("Content-Length: {length}\r\n"),
                1,
            )
            .into_bytes()
    }

    // See: issue 22
    #[test]
    fn issue_22_a_wrong_length_above_the_cap_does_not_swallow_later_records() {
        let cap = 4096;
        let first = resource("Title\n\nalpha");
        let damaged = misstated("Title\n\nbeta", 100 * cap);
        let later = [resource("Title\n\ngamma"), resource("Title\n\ndelta")];
        let second = first.len();

        let plain = [first.clone(), damaged.clone(), later.concat()].concat();
        let runs_into = format!(
            "the record's length ({} bytes) runs into the next record",
            100 * cap
        );
        assert_eq!(
            outcomes(&plain, cap),
            [
                "1 article alpha".to_owned(),
                format!("2 failed offset {second}: {runs_into}"),
                "3 article gamma".to_owned(),
                "4 article delta".to_owned(),
            ]
        );
        // With more than the cap after it, the block is read through
        // rather than ahead, and reading starts again by seeking back.
        let big = format!("Title\n\n{}", "word ".repeat(2 * cap as usize));
        let padded = [plain.clone(), resource(&big)].concat();
        let read = outcomes(&padded, cap);
        assert_eq!(
            read.get(..4),
            Some(
                &[
                    "1 article alpha".to_owned(),
                    format!("2 failed offset {second}: {runs_into}"),
                    "3 article gamma".to_owned(),
                    "4 article delta".to_owned(),
                ][..]
            )
        );
        assert!(
            read.get(4).is_some_and(|last| last.starts_with(&format!(
                "5 skipped offset {}: record of {} bytes, over the size cap",
                plain.len(),
                big.len()
            ))),
            "{read:?}"
        );
        // The gzip member that starts the next record is read again.
        let members: Vec<Vec<u8>> = [&first, &damaged, &later[0], &later[1]]
            .iter()
            .map(|record| gzip(record))
            .collect();
        let member_two = members[0].len();
        assert_eq!(
            outcomes(&members.concat(), cap),
            [
                "1 article alpha".to_owned(),
                format!("2 failed offset {member_two}: {runs_into}"),
                "3 article gamma".to_owned(),
                "4 article delta".to_owned(),
            ]
        );
        // One member for the whole file: decompressed again up to the record.
        let whole = gzip(&plain);
        assert_eq!(
            outcomes(&whole, cap),
            [
                "1 article alpha".to_owned(),
                format!("2 failed offset 0 (+{second} in the gzip member): {runs_into}"),
                "3 article gamma".to_owned(),
                "4 article delta".to_owned(),
            ]
        );
        // Damage after the damage: a second wrong length, then a cut.
        let mut cut = misstated("Title\n\nepsilon", 100 * cap);
        cut.truncate(cut.len() - 4);
        let twice = [plain.clone(), misstated("Title\n\nzeta", 50 * cap), cut].concat();
        let outcome = outcomes(&twice, cap);
        assert_eq!(outcome.len(), 6, "{outcome:?}");
        assert_eq!(
            outcome[4],
            format!(
                "5 failed offset {}: the record's length ({} bytes) runs into the next record",
                plain.len(),
                50 * cap
            )
        );
        assert!(
            outcome[5].starts_with("6 failed offset ") && outcome[5].contains("truncated record"),
            "{outcome:?}"
        );

        // A block that is over the cap but whose length is right is passed
        // over without being held, and reported as such.
        let big = format!("Title\n\n{}", "word ".repeat(2 * cap as usize));
        let archive = [resource(&big), later.concat()].concat();
        assert_eq!(
            outcomes(&archive, cap),
            [
                format!("1 skipped offset 0: record of {} bytes, over the size cap (4096 bytes); raise it with --max-record-mb", big.len()),
                "2 article gamma".to_owned(),
                "3 article delta".to_owned(),
            ]
        );
    }

    // See: issue 22
    #[test]
    fn issue_22_blank_lines_read_again_after_a_wrong_length_are_read_once_each() {
        // A wrong length sends the rest of its block back to be read again;
        // the blank lines in it were each copied again once per line.
        let blank = "\r\n".repeat(256 * 1024);
        let mut records = misstated("Title\n\nalpha", 600 * 1024);
        records.extend(resource("Title\n\nbeta"));
        records.extend_from_slice(blank.as_bytes());
        records.extend(resource("Title\n\ngamma"));
        check(
            &records,
            &[
                &format!(
                    "1 failed offset 0: the record's length ({} bytes) runs into the next record",
                    600 * 1024
                ),
                "2 article beta",
                "3 article gamma",
            ],
        );
    }

    // See: issue 22
    #[test]
    fn issue_22_content_encodings_over_the_cap_are_not_called_corrupt() {
        let zeros = vec![b' '; 64 * 1024];
        let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        zlib.write_all(&zeros).expect("zlib");
        let zlib = zlib.finish().expect("zlib");
        let mut raw = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        raw.write_all(&zeros).expect("deflate");
        let raw = raw.finish().expect("deflate");
        for (encoding, body) in [("gzip", gzip(&zeros)), ("deflate", zlib), ("deflate", raw)] {
            assert_eq!(
                content_decode(encoding, body.clone(), 4096),
                Err(format!("{encoding} payload once decoded is over the size cap (4096 bytes); raise it with --max-record-mb"))
            );
            assert_eq!(content_decode(encoding, body, 64 * 1024), Ok(zeros.clone()));
        }
        let corrupt = damaged(gzip(&zeros));
        assert!(content_decode("gzip", corrupt, 1 << 20)
            .is_err_and(|e| e.starts_with("gzip content encoding does not decode")));
    }

    /// `bytes` with eight bytes in the middle overwritten.
    fn damaged(mut bytes: Vec<u8>) -> Vec<u8> {
        let middle = bytes.len() / 2;
        bytes
            .iter_mut()
            .skip(middle)
            .take(8)
            .for_each(|b| *b = 0x55);
        bytes
    }

    #[test]
    fn garbage_between_records_fails_alone() {
        let mut warc = resource("Title\n\nalpha");
        let junk = warc.len();
        warc.extend_from_slice(b"junk\r\n");
        warc.extend(resource("Title\n\nbeta"));
        check(
            &warc,
            &[
                "1 article alpha",
                &format!("2 failed offset {junk}: 6 bytes that are not a record, skipped to the next record"),
                "3 article beta",
            ],
        );
    }

    #[test]
    fn a_corrupt_gzip_member_fails_alone() {
        let corrupt = damaged(gzip(&resource("Title\n\nbeta")));
        let first = gzip(&resource("Title\n\nalpha"));
        let second = first.len();
        let third = second + corrupt.len();
        let warc = [first, corrupt, gzip(&resource("Title\n\ngamma"))].concat();
        let mut outcomes = Vec::new();
        read_raw(
            &mut io::Cursor::new(&warc),
            super::super::WARC.framing,
            1 << 20,
            &mut |o| outcomes.push(o),
        )
        .expect("no read error");
        let articles: Vec<&str> = outcomes
            .iter()
            .filter_map(|o| match o {
                RecordOutcome::Article(a) => Some(a.body.trim()),
                _ => None,
            })
            .collect();
        assert_eq!(articles, ["alpha", "gamma"]);
        // Deflate may decode the damage into garbage before the checksum
        // fails: the garbage is reported too, but never read as a record.
        let failures: Vec<&str> = outcomes
            .iter()
            .filter_map(|o| match o {
                RecordOutcome::Failed { reason, .. } => Some(reason.as_str()),
                _ => None,
            })
            .collect();
        assert!(
            failures
                .iter()
                .all(|r| r.starts_with(&format!("offset {second}"))),
            "{failures:?}"
        );
        assert!(
            failures.iter().any(
                |r| r.contains(&format!("corrupt gzip member at offset {second}"))
                    && r.ends_with(&format!("resumed at the next record, offset {third}"))
            ),
            "{failures:?}"
        );
    }

    #[test]
    fn pushback_reads_ahead_without_consuming() {
        let mut src = Pushback::new(io::BufReader::with_capacity(
            4,
            &b"line one\nline two\n"[..],
        ));
        assert_eq!(src.fill_to(12).expect("io"), b"line one\nlin");
        assert_eq!(src.pos, 0);
        let first = read_line(&mut src).expect("io").expect("line");
        assert_eq!(first, b"line one\n");
        assert_eq!(src.pos, 9);
        assert_eq!(src.fill_to(100).expect("io"), b"line two\n");
        let mut all = String::new();
        src.read_to_string(&mut all).expect("io");
        assert_eq!(all, "line two\n");
        assert_eq!(src.pos, 18);
    }

    // See: issue 22
    #[test]
    fn issue_22_records_that_each_state_a_long_wrong_length_are_each_reported() {
        // Every record states a length that runs past the end of the file:
        // each fails, naming its offset, and the last good one is read.
        let archive = |stated: u64| {
            let mut records = Vec::new();
            let mut expected = Vec::new();
            for n in 1..=200u64 {
                expected.push(format!(
                    "{n} failed offset {}: the record's length ({stated} bytes) runs into the next record",
                    records.len()
                ));
                records.extend(misstated("Title\n\nword", stated));
            }
            records.extend(resource("Title\n\nlast"));
            expected.push("201 article last".to_owned());
            (records, expected)
        };
        let (records, expected) = archive(900_000);
        assert_eq!(outcomes(&records, 1 << 20), expected);
        // Lengths over the cap, past the end of the file.
        let (records, expected) = archive(1 << 30);
        assert_eq!(outcomes(&records, 64 * 1024), expected);
        // Gzipped, one member per record or one for the whole file: the
        // first block read through to the end tells where the stream ends.
        let mut members = Vec::new();
        let mut at = 0;
        let mut stated = Vec::new();
        for n in 1..=200 {
            let member = gzip(&misstated("Title\n\nword", 1 << 30));
            stated.push(format!(
                "{n} failed offset {at}: the record's length (1073741824 bytes) runs into the next record"
            ));
            at += member.len();
            members.extend(member);
        }
        members.extend(gzip(&resource("Title\n\nlast")));
        stated.push("201 article last".to_owned());
        assert_eq!(outcomes(&members, 64 * 1024), stated);
        let whole = outcomes(&gzip(&records), 64 * 1024);
        assert_eq!(whole.len(), 201);
        assert_eq!(whole.last().map(String::as_str), Some("201 article last"));
    }
}
