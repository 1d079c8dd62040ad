//! Turning input bytes into text: BOMs, UTF-8, legacy single-byte encodings
//! and UTF-16, and refusing what is not text at all.
//!
//! Old archives are often Latin-1 or Windows-1252, and some exports are
//! UTF-16 with a byte-order mark. Such files are decoded and the encoding is
//! recorded; only bytes that are not text (NUL bytes without a UTF-16 BOM, a
//! high share of control characters) are refused.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// Text decoded from an input, with the encoding it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedText {
    /// The text, as UTF-8.
    pub text: String,
    /// The encoding's WHATWG name (`UTF-8`, `windows-1252`, `UTF-16LE`, …).
    pub encoding: &'static str,
}

/// Why bytes were not accepted as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotText {
    /// A NUL byte outside UTF-16: binary data.
    #[error("binary content (NUL byte at offset {offset}), not text")]
    NulByte {
        /// Byte offset of the first NUL.
        offset: usize,
    },
    /// Too many control characters for any text encoding.
    #[error("binary content ({percent}% control bytes), not text")]
    ControlBytes {
        /// Share of control bytes, in percent.
        percent: usize,
    },
}

/// How much of a file is looked at to decide whether it is binary.
const SNIFF_BYTES: usize = 64 * 1024;

/// Above this share of control characters (other than tab, CR, LF, FF) in the
/// sniffed prefix, bytes are taken as binary.
const MAX_CONTROL_PERCENT: usize = 5;

/// Decodes `bytes` as text, detecting the encoding.
pub fn decode(bytes: &[u8]) -> Result<DecodedText, NotText> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        if encoding != UTF_8 {
            return decode_with(encoding, body);
        }
        return decode_unlabelled(body);
    }
    decode_unlabelled(bytes)
}

fn decode_unlabelled(bytes: &[u8]) -> Result<DecodedText, NotText> {
    let sniffed = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if let Some(offset) = sniffed.iter().position(|&b| b == 0) {
        return Err(NotText::NulByte { offset });
    }
    check_control_bytes(sniffed)?;
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(DecodedText {
            text: text.to_owned(),
            encoding: UTF_8.name(),
        }),
        Err(_) => {
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(bytes, true);
            let encoding = detector.guess(None, false);
            decode_with(encoding, bytes)
        }
    }
}

fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> Result<DecodedText, NotText> {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    if encoding != UTF_16LE && encoding != UTF_16BE {
        if let Some(offset) = bytes.iter().take(SNIFF_BYTES).position(|&b| b == 0) {
            return Err(NotText::NulByte { offset });
        }
    }
    let sample: String = text.chars().take(SNIFF_BYTES).collect();
    if let Some(offset) = sample.find('\0') {
        return Err(NotText::NulByte { offset });
    }
    check_control_chars(&sample)?;
    Ok(DecodedText {
        text: text.into_owned(),
        encoding: encoding.name(),
    })
}

fn is_binary_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c')
}

fn check_control_bytes(sample: &[u8]) -> Result<(), NotText> {
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && is_binary_control(char::from(b)))
        .count();
    control_share(controls, sample.len())
}

fn check_control_chars(sample: &str) -> Result<(), NotText> {
    let total = sample.chars().count();
    let controls = sample.chars().filter(|&c| is_binary_control(c)).count();
    control_share(controls, total)
}

fn control_share(controls: usize, total: usize) -> Result<(), NotText> {
    if total == 0 {
        return Ok(());
    }
    let percent = controls * 100 / total;
    if percent > MAX_CONTROL_PERCENT {
        Err(NotText::ControlBytes { percent })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(bytes: &[u8], text: &str, encoding: &str) {
        let decoded = decode(bytes).expect("decodes");
        assert_eq!(decoded.text, text);
        assert_eq!(decoded.encoding, encoding);
    }

    #[test]
    fn utf8_with_and_without_bom() {
        check("minería".as_bytes(), "minería", "UTF-8");
        check(b"\xEF\xBB\xBFmin\xC3\xADa", "minía", "UTF-8");
    }

    #[test]
    fn latin1_text_is_decoded() {
        check(
            b"La miner\xEDa ilegal en Bol\xEDvar, se\xF1al\xF3 el informe.",
            "La minería ilegal en Bolívar, señaló el informe.",
            "windows-1252",
        );
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("Caracas, señal".encode_utf16().flat_map(u16::to_le_bytes));
        check(&le, "Caracas, señal", "UTF-16LE");
        let mut be = vec![0xFE, 0xFF];
        be.extend("Bogotá".encode_utf16().flat_map(u16::to_be_bytes));
        check(&be, "Bogotá", "UTF-16BE");
    }

    #[test]
    fn binary_is_refused() {
        assert_eq!(
            decode(b"PK\x03\x04\x00\x00abc"),
            Err(NotText::NulByte { offset: 4 })
        );
        let controls: Vec<u8> = (0..200u8).map(|i| i % 8 + 1).collect();
        assert!(matches!(
            decode(&controls),
            Err(NotText::ControlBytes { .. })
        ));
    }

    #[test]
    fn empty_input_is_empty_text() {
        check(b"", "", "UTF-8");
    }
}
