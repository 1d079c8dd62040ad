//! output: rendering results for a terminal or for tools.
//!
//! Owns every wire format and every byte written for a person: the
//! terminal printer ([`text`]), the JSON shapes ([`json`], a public
//! contract that scripts depend on) and CSV ([`csv`]). Nothing else in the
//! library knows about colours, escape sequences or serde wire types.
//! Offsets leave this module as Unicode code points.

pub mod csv;
pub mod json;
pub mod plot;
pub mod text;

use std::ops::Range;

/// What a timeline shows per period (JSON and CSV carry both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Measure {
    /// Articles, each in the period of its date.
    #[default]
    Articles,
    /// Passages.
    Passages,
}

/// Converts byte offsets of one text to code-point offsets, in time
/// independent of the offset: an article's every mention is converted
/// without walking the text from its start each time.
pub struct CodePoints<'a> {
    text: &'a str,
    /// Characters starting before each multiple of [`BLOCK`] bytes; empty
    /// for ASCII text, where offsets are the same.
    blocks: Vec<usize>,
}

/// Bytes per entry of [`CodePoints::blocks`].
const BLOCK: usize = 256;

impl<'a> CodePoints<'a> {
    /// The converter of `text`.
    pub fn new(text: &'a str) -> CodePoints<'a> {
        let blocks = if text.is_ascii() {
            Vec::new()
        } else {
            let mut before = 0;
            let mut blocks = vec![0];
            for chunk in text.as_bytes().chunks(BLOCK) {
                before += starting_characters(chunk);
                blocks.push(before);
            }
            blocks
        };
        CodePoints { text, blocks }
    }

    /// The code-point offset of byte offset `byte` (0 where `byte` is not
    /// a character boundary of the text).
    pub fn offset(&self, byte: usize) -> usize {
        if !self.text.is_char_boundary(byte) {
            return 0;
        }
        if self.blocks.is_empty() {
            return byte;
        }
        let block = byte / BLOCK;
        let tail = self
            .text
            .as_bytes()
            .get(block * BLOCK..byte)
            .map_or(0, starting_characters);
        self.blocks.get(block).copied().unwrap_or(0) + tail
    }

    /// Converts byte ranges to code-point ranges.
    pub fn ranges(&self, ranges: &[Range<usize>]) -> Vec<[usize; 2]> {
        ranges
            .iter()
            .map(|range| [self.offset(range.start), self.offset(range.end)])
            .collect()
    }
}

/// How many characters start in `bytes` (its bytes that are not UTF-8
/// continuation bytes).
fn starting_characters(bytes: &[u8]) -> usize {
    bytes.iter().filter(|byte| (**byte & 0xC0) != 0x80).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges_become_code_points() {
        let text = "Nicolás Maduro";
        let byte_start = text.find("Maduro").expect("present");
        let code_points = CodePoints::new(text);
        assert_eq!(
            code_points.ranges(&[0..8, byte_start..text.len()]),
            vec![[0, 7], [8, 14]]
        );
        assert_eq!(code_points.offset(6), 0, "inside á");
        assert_eq!(code_points.offset(99), 0, "past the end");
        assert_eq!(CodePoints::new("abc").offset(2), 2);
    }

    #[test]
    fn offsets_far_into_a_long_text_match_counting_from_its_start() {
        let text = "ñandú y árbol, ".repeat(100);
        let code_points = CodePoints::new(&text);
        for (byte, _) in text.char_indices().step_by(7) {
            let expected = text.get(..byte).map_or(0, |before| before.chars().count());
            assert_eq!(code_points.offset(byte), expected, "at byte {byte}");
        }
        assert_eq!(code_points.offset(text.len()), text.chars().count());
    }
}
