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
    short: PackedTable,
    long: FxHashMap<String, u16>,
}

impl WordFlags {
    /// Adds `flags` to those of `word`.
    pub fn add(&mut self, word: String, flags: u16) {
        match packed_word(word.bytes()) {
            Some(key) => self.short.add(key, flags),
            None => *self.long.entry(word).or_default() |= flags,
        };
    }

    /// The flags of `folded` (0 when it is not in the map).
    pub fn get(&self, folded: &str) -> u16 {
        match packed_word(folded.bytes()) {
            Some(key) => self.short.get(key),
            None => self.long.get(folded).copied().unwrap_or(0),
        }
    }

    /// `get` of the `len` bytes at `start` of `folded_text`. The packed key
    /// is one eight-byte load masked to the word where the text goes on
    /// that far: building it byte by byte, the loop's exit mispredicted on
    /// nearly every word, and nearly every word is looked up.
    ///
    /// Inlined where it is called, the rest out of line: a call took more
    /// instructions than the lookup.
    #[inline(always)]
    pub fn get_at(&self, folded_text: &str, start: usize, len: usize) -> u16 {
        if (1..=8).contains(&len) {
            let window = folded_text
                .as_bytes()
                .get(start..)
                .and_then(<[u8]>::first_chunk::<8>);
            if let Some(window) = window {
                let key = u64::from_le_bytes(*window) & (u64::MAX >> (64 - 8 * len));
                return self.short.get(key);
            }
        }
        self.get_in_place(folded_text, start, len)
    }

    /// `get_at` of a word longer than eight bytes or at the end of the text.
    #[cold]
    #[inline(never)]
    fn get_in_place(&self, folded_text: &str, start: usize, len: usize) -> u16 {
        self.get(
            folded_text
                .get(start..start.saturating_add(len))
                .unwrap_or_default(),
        )
    }
}

/// Packed words (never 0: words hold no NUL byte) and their flags, open
/// addressed: at most half full, a lookup is one multiplication and one or
/// two probes of neighbouring keys. A general hash map took some 70
/// instructions per lookup, and there is a lookup for most words of every
/// article. The keys are apart from the flags, and the table no emptier
/// than that, because the lookups' time went to cache misses on the keys:
/// the keys of the cue words (some 700) and of the aliases' first words
/// (some 1,300) now take 48 KB instead of 192 KB.
#[derive(Default)]
struct PackedTable {
    keys: Vec<u64>,
    /// The flags of the key in the same slot.
    flags: Vec<u16>,
    len: usize,
    /// `64 - log2(keys.len())`: the hash's top bits index the slots.
    shift: u32,
}

impl PackedTable {
    fn add(&mut self, key: u64, flags: u16) {
        // 0 marks an empty slot: the empty word is never stored (and never
        // looked up: lookups are of words of at least one byte).
        if key == 0 {
            return;
        }
        if (self.len + 1) * 2 > self.keys.len() {
            self.grow();
        }
        let slot = self.slot_of(key);
        if let (Some(stored), Some(stored_flags)) =
            (self.keys.get_mut(slot), self.flags.get_mut(slot))
        {
            if *stored == 0 {
                *stored = key;
                self.len += 1;
            }
            *stored_flags |= flags;
        }
    }

    #[inline(always)]
    fn get(&self, key: u64) -> u16 {
        let slot = self.slot_of(key);
        match self.keys.get(slot) {
            Some(stored) if *stored == key => self.flags.get(slot).copied().unwrap_or(0),
            _ => 0,
        }
    }

    /// The slot holding `key`, or the empty one where it would go.
    #[inline(always)]
    fn slot_of(&self, key: u64) -> usize {
        let mask = self.keys.len().wrapping_sub(1);
        let mut slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize;
        while let Some(stored) = self.keys.get(slot) {
            if *stored == key || *stored == 0 {
                break;
            }
            slot = (slot + 1) & mask;
        }
        slot
    }

    fn grow(&mut self) {
        let size = (self.keys.len() * 2).max(64);
        let keys = std::mem::replace(&mut self.keys, vec![0; size]);
        let flags = std::mem::replace(&mut self.flags, vec![0; size]);
        self.shift = 64 - size.trailing_zeros();
        self.len = 0;
        for (key, flags) in keys.into_iter().zip(flags).filter(|(key, _)| *key != 0) {
            self.add(key, flags);
        }
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

    #[test]
    fn the_packed_table_keeps_every_word_as_it_grows() {
        let mut flags = WordFlags::default();
        let words: Vec<String> = (0..3000).map(|n| format!("w{n}")).collect();
        for (n, word) in words.iter().enumerate() {
            flags.add(word.clone(), 1 << (n % 16));
        }
        flags.add("w7".to_owned(), 1);
        for (n, word) in words.iter().enumerate() {
            let expected = (1 << (n % 16)) | if word == "w7" { 1 } else { 0 };
            assert_eq!(flags.get(word), expected, "{word}");
        }
        for absent in ["w3000", "x1", "w", "w12345678"] {
            assert_eq!(flags.get(absent), 0, "{absent}");
        }
        assert_eq!(WordFlags::default().get("de"), 0);
        // The empty word does not take an empty slot's place.
        flags.add(String::new(), 2);
        assert_eq!(flags.get(""), 0);
        assert_eq!(flags.get("w3000"), 0);
    }
}
