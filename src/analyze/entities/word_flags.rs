//! A small map from folded words to bit flags, for lookups on nearly every
//! word of the text (cue lists, the first words of authority aliases).
//!
//! Words of up to eight bytes (most of them) are keyed by their bytes
//! packed in an integer: no string hashing or comparison.

use rustc_hash::FxHashMap;

use crate::analyze::packed_word;

/// Folded words and their flags.
#[derive(Default)]
pub struct WordFlags {
    short: FxHashMap<u64, u16>,
    long: FxHashMap<String, u16>,
}

impl WordFlags {
    /// Adds `flags` to those of `word`.
    pub fn add(&mut self, word: String, flags: u16) {
        match packed_word(word.bytes()) {
            Some(key) => *self.short.entry(key).or_default() |= flags,
            None => *self.long.entry(word).or_default() |= flags,
        };
    }

    /// The flags of `folded` (0 when it is not in the map).
    pub fn get(&self, folded: &str) -> u16 {
        match packed_word(folded.bytes()) {
            Some(key) => self.short.get(&key),
            None => self.long.get(folded),
        }
        .copied()
        .unwrap_or(0)
    }

    /// `get` of the `len` bytes at `start` of `folded_text`. The packed key
    /// is one eight-byte load masked to the word where the text goes on
    /// that far: building it byte by byte, the loop's exit mispredicted on
    /// nearly every word, and nearly every word is looked up.
    #[inline]
    pub fn get_at(&self, folded_text: &str, start: usize, len: usize) -> u16 {
        if (1..=8).contains(&len) {
            let window = folded_text
                .as_bytes()
                .get(start..start.saturating_add(8))
                .and_then(|window| <[u8; 8]>::try_from(window).ok());
            if let Some(window) = window {
                let key = u64::from_le_bytes(window) & (u64::MAX >> (64 - 8 * len));
                return self.short.get(&key).copied().unwrap_or(0);
            }
        }
        self.get(
            folded_text
                .get(start..start.saturating_add(len))
                .unwrap_or_default(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::entities::fold;

    #[test]
    fn a_word_looked_up_in_place_has_the_flags_of_the_word_alone() {
        let mut flags = WordFlags::default();
        for (word, flag) in [
            ("de", 1),
            ("la", 2),
            ("general", 4),
            ("ministerio", 8),
            ("in", 16),
        ] {
            flags.add(word.to_owned(), flag);
        }
        flags.add("de".to_owned(), 32);
        assert_eq!(flags.get("de"), 33);
        let text = fold(
            "El presidente de la República, Sr. Pérez, habló en Caracas con el General \
             del Ejército y el Ministerio de Defensa in",
        );
        let mut found = 0;
        for start in 0..text.len() {
            for len in 0..=12 {
                let Some(word) = text.get(start..start + len) else {
                    continue;
                };
                assert_eq!(
                    flags.get_at(&text, start, len),
                    flags.get(word),
                    "{word:?} at {start}"
                );
                found += usize::from(flags.get(word) != 0);
            }
        }
        // Every listed word is in the text, the last at its very end.
        assert!(found >= 6, "{found}");
        assert_eq!(flags.get_at(&text, text.len() - 2, 2), 16);
    }
}
