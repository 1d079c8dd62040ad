//! ARC web archives (`.arc`, `.arc.gz`), the Internet Archive's format
//! before WARC: each record is one header line
//! `URL IP-address YYYYMMDDhhmmss content-type length` (version 2 adds
//! fields before the length), then the captured bytes: for HTTP, the
//! response with its headers.
//!
//! Reading, recovery and payloads are `capture.rs`'s, as for WARC. The
//! `filedesc://` record that opens each file describes the file, and is
//! skipped.

use std::io::{self, BufRead};

use super::capture::{ArchiveReader, Framing, RecordHead};

/// Reads ARC files.
pub static ARC: ArchiveReader = ArchiveReader {
    name: "arc",
    extensions: &["arc"],
    framing: &Arc,
};

struct Arc;

/// The fields of an ARC header line: URL, date, content type and length,
/// if it is one. The date is the third field from the end in version 1
/// headers and the eighth in version 2; URLs may contain spaces.
fn fields(line: &[u8]) -> Option<(String, &str, Option<&str>, u64)> {
    let line = std::str::from_utf8(line)
        .ok()?
        .trim_end_matches(['\r', '\n']);
    let parts: Vec<&str> = line.split(' ').collect();
    let length = parts.last()?.parse().ok()?;
    let is_date = |at: usize| {
        parts
            .get(at)
            .is_some_and(|d| d.len() == 14 && d.chars().all(|c| c.is_ascii_digit()))
    };
    let date_at = [parts.len().checked_sub(3)?, parts.len().saturating_sub(8)]
        .into_iter()
        .find(|&at| at >= 2 && is_date(at))?;
    let url = parts.get(..date_at - 1)?.join(" ");
    url.contains(':').then_some(()).and_then(|()| {
        Some((
            url,
            *parts.get(date_at)?,
            parts.get(date_at + 1).copied(),
            length,
        ))
    })
}

impl Framing for Arc {
    fn is_record_start(&self, line: &[u8]) -> bool {
        let first = line.split(|&b| b == b'\n').next().unwrap_or_default();
        fields(first).is_some()
    }

    fn read_head(
        &self,
        first: &[u8],
        _src: &mut dyn BufRead,
    ) -> io::Result<Result<RecordHead, String>> {
        let Some((url, date, content_type, length)) = fields(first) else {
            return Ok(Err("not an ARC record header line".to_owned()));
        };
        let kind = if url.starts_with("filedesc:") {
            "filedesc"
        } else if url.starts_with("dns:") {
            "dns"
        } else {
            "response"
        };
        // 20240305101500 → 2024-03-05T10:15:00Z
        let iso = format!(
            "{}-{}-{}T{}:{}:{}Z",
            date.get(0..4).unwrap_or_default(),
            date.get(4..6).unwrap_or_default(),
            date.get(6..8).unwrap_or_default(),
            date.get(8..10).unwrap_or_default(),
            date.get(10..12).unwrap_or_default(),
            date.get(12..14).unwrap_or_default()
        );
        Ok(Ok(RecordHead {
            kind: kind.to_owned(),
            uri: Some(url),
            date: Some(iso),
            length,
            content_type: content_type.map(str::to_owned),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(line: &[u8]) -> Result<RecordHead, String> {
        Arc.read_head(line, &mut &b""[..]).expect("no read error")
    }

    #[test]
    fn header_lines_of_both_versions() {
        let v1 = head(b"http://x.org/a 10.0.0.1 20240305101500 text/html 1234\n").expect("v1");
        assert_eq!(
            (
                v1.kind.as_str(),
                v1.uri.as_deref(),
                v1.date.as_deref(),
                v1.length
            ),
            (
                "response",
                Some("http://x.org/a"),
                Some("2024-03-05T10:15:00Z"),
                1234
            )
        );
        let v2 = b"http://x.org/b 10.0.0.1 20240305101500 text/html 200 abc - 0 x.arc 99\n";
        assert_eq!(head(v2).expect("v2").length, 99);
        let desc = b"filedesc://x.arc 0.0.0.0 20240305101500 text/plain 70\n";
        assert_eq!(head(desc).expect("filedesc").kind, "filedesc");
        assert!(!Arc.is_record_start(b"<html><body>not a header 12\n"));
        let spaced = b"http://x.org/a b 10.0.0.1 20240305101500 text/html 12\n";
        assert_eq!(
            head(spaced).expect("space").uri.as_deref(),
            Some("http://x.org/a b")
        );
    }
}
