//! output: rendering results for a terminal or for tools.
//!
//! Owns every wire format and every byte written for a person: the
//! terminal printer ([`text`]), the JSON shapes ([`json`], a public
//! contract that scripts depend on) and CSV ([`csv`]). Nothing else in the
//! library knows about colours, escape sequences or serde wire types.
//! Offsets leave this module as Unicode code points.

pub mod csv;
pub mod json;
pub mod text;

use std::ops::Range;

/// Converts byte ranges of `text` to code-point ranges.
pub fn code_point_ranges(text: &str, ranges: &[Range<usize>]) -> Vec<[usize; 2]> {
    let to_chars = |byte: usize| text.get(..byte).map_or(0, |before| before.chars().count());
    ranges
        .iter()
        .map(|range| [to_chars(range.start), to_chars(range.end)])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges_become_code_points() {
        let text = "Nicolás Maduro";
        let byte_start = text.find("Maduro").expect("present");
        assert_eq!(
            code_point_ranges(text, &[0..8, byte_start..text.len()]),
            vec![[0, 7], [8, 14]]
        );
    }
}
