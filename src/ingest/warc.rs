//! WARC web archives (ISO 28500; `.warc`, `.warc.gz` with one gzip member
//! per record or one for the whole file), as Heritrix, wget, Browsertrix and
//! webrecorder write them.
//!
//! This module reads WARC record headers; reading records, recovering from
//! damage and turning HTTP responses into articles is `capture.rs`'s.
//! `response` and `resource` records with HTML or plain-text payloads become
//! articles, with `WARC-Target-URI` as their URL (wget's `<…>` form too) and
//! `WARC-Date` as their crawl date; every other record type is skipped with
//! its type as the reason.

use std::io::{self, BufRead};

use super::capture::{read_line, ArchiveReader, Framing, RecordHead};

/// Reads WARC files.
pub static WARC: ArchiveReader = ArchiveReader {
    name: "warc",
    extensions: &["warc"],
    framing: &Warc,
};

struct Warc;

/// More header lines than this is damage, not a record header.
const MAX_HEADER_LINES: usize = 512;

impl Framing for Warc {
    fn is_record_start(&self, line: &[u8]) -> bool {
        line.starts_with(b"WARC/1.") || line.starts_with(b"WARC/0.")
    }

    fn read_head(
        &self,
        _first: &[u8],
        src: &mut dyn BufRead,
    ) -> io::Result<Result<RecordHead, String>> {
        let mut head = RecordHead::default();
        let mut length = None;
        for _ in 0..MAX_HEADER_LINES {
            let Some(line) = read_line(src)? else {
                return Ok(Err(
                    "truncated record: the file ends inside the header".to_owned()
                ));
            };
            let line = String::from_utf8_lossy(&line);
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                let Some(length) = length else {
                    return Ok(Err(
                        "record header without a valid Content-Length".to_owned()
                    ));
                };
                head.length = length;
                if head.kind.is_empty() {
                    return Ok(Err("record header without WARC-Type".to_owned()));
                }
                return Ok(Ok(head));
            }
            // Folded continuation lines (RFC 822 style) add nothing we use.
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            match name.trim().to_ascii_lowercase().as_str() {
                "warc-type" => head.kind = value.to_ascii_lowercase(),
                "warc-target-uri" => {
                    let uri = value.trim_start_matches('<').trim_end_matches('>').trim();
                    head.uri = (!uri.is_empty()).then(|| uri.to_owned());
                }
                "warc-date" => head.date = Some(value.to_owned()),
                "content-length" => length = value.parse().ok(),
                "content-type" => head.content_type = Some(value.to_owned()),
                _ => {}
            }
        }
        Ok(Err(format!(
            "record header of more than {MAX_HEADER_LINES} lines"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Result<RecordHead, String> {
        let mut src = text.as_bytes();
        Warc.read_head(b"WARC/1.0\r\n", &mut src)
            .expect("no read error")
    }

    #[test]
    fn headers_are_read_in_both_uri_forms() {
        let parsed = head(
            "WARC-Type: response\r\nWARC-Target-URI: <http://x.org/a>\r\n\
             WARC-Date: 2024-03-05T10:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n\
             Content-Length: 42\r\n\r\n",
        )
        .expect("header");
        assert_eq!(parsed.kind, "response");
        assert_eq!(parsed.uri.as_deref(), Some("http://x.org/a"));
        assert_eq!(parsed.date.as_deref(), Some("2024-03-05T10:00:00Z"));
        assert_eq!(parsed.length, 42);
        let plain = head(
            "WARC-Type: resource\r\nWARC-Target-URI: http://x.org/b\r\nContent-Length: 0\r\n\r\n",
        );
        assert_eq!(
            plain.expect("header").uri.as_deref(),
            Some("http://x.org/b")
        );
    }

    #[test]
    fn bad_headers_say_why() {
        assert!(head("WARC-Type: response\r\nContent-Length: x\r\n\r\n")
            .is_err_and(|e| e.contains("Content-Length")));
        assert!(head("WARC-Type: response\r\n").is_err_and(|e| e.contains("truncated")));
        assert!(Warc.is_record_start(b"WARC/1.1\r\n") && !Warc.is_record_start(b"HTTP/1.1 200"));
    }
}
