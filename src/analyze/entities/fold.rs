//! Accent and case folding.
//!
//! Matching is done on folded text (`Nicolás` and `NICOLAS` both become
//! `nicolas`), but mentions must point into the text as written. Folding
//! maps every character to exactly one character, so the folded and the
//! original text can be walked side by side to carry offsets across.

use std::sync::OnceLock;

/// Folds one character: lower case, then the accent dropped from Latin letters.
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    match latin(c) {
        Some(latin) => latin.folded,
        None => fold_non_ascii(c),
    }
}

/// What the recogniser asks of a character, for the first non-ASCII
/// characters (Latin-1 Supplement, Latin Extended-A and -B: the accented
/// letters of the Western European languages gazette mostly reads),
/// answered from a table instead of Unicode's tables.
struct LatinChar {
    folded: char,
    word: bool,
    letter: bool,
    upper: bool,
}

/// The first character after those of [`LatinChar`]'s table.
const LATIN_END: u32 = 0x250;

fn latin(c: char) -> Option<&'static LatinChar> {
    static TABLE: OnceLock<Vec<LatinChar>> = OnceLock::new();
    let index = (c as u32).checked_sub(0x80)?;
    TABLE
        .get_or_init(|| {
            // Every code point of the range is a character: the table's
            // index is the code point less 0x80.
            (0x80..LATIN_END)
                .map(|code| char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER))
                .map(|c| LatinChar {
                    folded: fold_non_ascii(c),
                    word: c.is_alphanumeric(),
                    letter: c.is_alphabetic(),
                    upper: c.is_uppercase(),
                })
                .collect()
        })
        .get(usize::try_from(index).ok()?)
}

fn fold_non_ascii(c: char) -> char {
    let lower = c.to_lowercase().next().unwrap_or(c);
    match lower {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
        'ł' | 'ľ' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'š' | 'ş' | 'ș' => 's',
        'ť' | 'ţ' | 'ț' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        // Typographic apostrophes and dashes match their ASCII forms.
        '\u{2019}' | '\u{2018}' => '\'',
        '\u{2010}' | '\u{2011}' => '-',
        other => other,
    }
}

/// Folds a whole string (for keys and lookups).
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut rest = text;
    // News text is mostly ASCII: its runs are copied and lower-cased in
    // bulk, and only the other characters go through `fold_char`.
    while !rest.is_empty() {
        let (run, tail) = rest.split_at(ascii_prefix_len(rest.as_bytes()));
        let from = folded.len();
        folded.push_str(run);
        if let Some(pushed) = folded.get_mut(from..) {
            pushed.make_ascii_lowercase();
        }
        let mut chars = tail.chars();
        if let Some(c) = chars.next() {
            folded.push(fold_char(c));
        }
        rest = chars.as_str();
    }
    folded
}

/// Whether `text` folds to `folded` (without building the folded string).
pub fn folds_to(text: &str, folded: &str) -> bool {
    text.chars().map(fold_char).eq(folded.chars())
}

/// How many bytes `bytes` starts with that are ASCII, tested sixteen at a
/// time: a byte at a time, this search was most of the cost of [`fold`].
fn ascii_prefix_len(bytes: &[u8]) -> usize {
    const HIGH_BITS: u128 = u128::from_le_bytes([0x80; 16]);
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..).and_then(|rest| rest.first_chunk::<16>()) {
        let high = u128::from_le_bytes(*chunk) & HIGH_BITS;
        if high != 0 {
            return at + (high.trailing_zeros() / 8) as usize;
        }
        at += 16;
    }
    at + bytes.get(at..).map_or(0, |rest| {
        rest.iter().take_while(|byte| byte.is_ascii()).count()
    })
}

/// The character starting at byte `offset` of `text` (none past the end or
/// inside a character); ASCII without decoding.
pub fn char_at(text: &str, offset: usize) -> Option<char> {
    match text.as_bytes().get(offset) {
        Some(byte) if byte.is_ascii() => Some(char::from(*byte)),
        Some(_) => text.get(offset..).and_then(|rest| rest.chars().next()),
        None => None,
    }
}

/// How many bytes longer (or shorter, negative) `c` is once folded: what
/// carries an offset in the text over to the folded text.
pub fn folded_size_change(c: char) -> isize {
    if c.is_ascii() {
        0
    } else {
        fold_char(c).len_utf8() as isize - c.len_utf8() as isize
    }
}

/// The offset past the ASCII letters and digits starting at `offset`:
/// the bulk of a word, found without decoding. Eight bytes are tested at
/// once, so that a word's end costs no branch per byte.
pub fn ascii_word_end(text: &str, offset: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = offset;
    while let Some(chunk) = bytes.get(at..).and_then(|rest| rest.first_chunk::<8>()) {
        let others = not_ascii_word_bytes(u64::from_le_bytes(*chunk));
        if others != 0 {
            return at + (others.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + bytes.get(at..).map_or(0, |rest| {
        rest.iter()
            .take_while(|byte| byte.is_ascii_alphanumeric())
            .count()
    })
}

/// The high bit of each byte of `chunk` that is not an ASCII letter or
/// digit. Each byte is compared with range bounds by adding an offset that
/// carries into its high bit (values stay below 0x100, so no carry crosses
/// into the next byte).
fn not_ascii_word_bytes(chunk: u64) -> u64 {
    const fn each(byte: u8) -> u64 {
        u64::from_le_bytes([byte; 8])
    }
    let low_bits = chunk & each(0x7F);
    let letters = (low_bits | each(0x20)) & each(0x7F);
    let at_least = |value: u64, low: u8| value + each(0x80 - low);
    let above = |value: u64, high: u8| value + each(0x7F - high);
    let letter = at_least(letters, b'a') & !above(letters, b'z');
    let digit = at_least(low_bits, b'0') & !above(low_bits, b'9');
    let ascii = !chunk;
    !((letter | digit) & ascii) & each(0x80)
}

/// `char::is_alphanumeric` with fast paths for ASCII and Latin letters.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        latin(c).map_or_else(|| c.is_alphanumeric(), |latin| latin.word)
    }
}

/// `char::is_alphabetic` with fast paths for ASCII and Latin letters.
pub fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        latin(c).map_or_else(|| c.is_alphabetic(), |latin| latin.letter)
    }
}

/// `char::is_uppercase` with fast paths for ASCII and Latin letters.
pub fn is_upper_case(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_uppercase()
    } else {
        latin(c).map_or_else(|| c.is_uppercase(), |latin| latin.upper)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_maps_each_character_to_one() {
        let text = "Sr. NICOLÁS Maduro’s Ñandú";
        let folded = fold(text);
        assert_eq!(folded, "sr. nicolas maduro's nandu");
        assert_eq!(folded.chars().count(), text.chars().count());
        assert_eq!(fold("ÁÉ AB ção"), "ae ab cao");
        assert_eq!(fold(""), "");
        assert!(folds_to(text, &folded));
        assert!(!folds_to(text, "sr. nicolas maduro's nand"));
        assert!(!folds_to("Ñandú", "nandu nandu"));
    }

    #[test]
    fn the_ascii_prefix_ends_at_the_first_other_byte_wherever_it_is() {
        for len in 0..40 {
            let ascii = "Ab1 .".repeat(8);
            let ascii = ascii.get(..len).unwrap_or_default();
            assert_eq!(ascii_prefix_len(ascii.as_bytes()), len);
            let text = format!("{ascii}ñ{ascii}");
            assert_eq!(ascii_prefix_len(text.as_bytes()), len, "{text}");
            assert_eq!(fold(&text), format!("{0}n{0}", ascii.to_lowercase()));
        }
    }

    #[test]
    fn folding_keeps_letters_and_digits_apart_from_the_rest() {
        // A lower-case word of the text is compared with the first words of
        // lower-case aliases, cut where their folded spelling stops being
        // letters and digits: sound only if words end at the same
        // characters in the folded text as in the original.
        for c in (0..0x11000).filter_map(char::from_u32) {
            assert_eq!(is_word_char(fold_char(c)), is_word_char(c), "{c:?}");
        }
    }

    #[test]
    fn word_ends_are_found_eight_bytes_at_a_time() {
        for text in [
            "abc def",
            "abcdefgh",
            "abcdefghijklmnop, x",
            "Zz09Az90@[`{/:",
            "word\u{e9}s",
            "",
            "a",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz-",
        ] {
            for offset in 0..=text.len() {
                let expected = offset
                    + text.as_bytes()[offset..]
                        .iter()
                        .take_while(|b| b.is_ascii_alphanumeric())
                        .count();
                assert_eq!(
                    ascii_word_end(text, offset),
                    expected,
                    "{text:?} at {offset}"
                );
            }
        }
        for byte in 0..=255u8 {
            let chunk = u64::from_le_bytes([byte, b'a', b'a', b'a', b'a', b'a', b'a', b'a']);
            let stops = not_ascii_word_bytes(chunk) & 0x80 != 0;
            assert_eq!(stops, !byte.is_ascii_alphanumeric(), "byte {byte:#x}");
        }
    }

    #[test]
    fn the_latin_table_answers_as_unicode_does() {
        for c in (0..0x800).filter_map(char::from_u32) {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
            assert_eq!(is_upper_case(c), c.is_uppercase(), "{c:?}");
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(fold_char(c), fold_non_ascii(c), "{c:?}");
        }
    }

    #[test]
    fn characters_are_read_at_byte_offsets() {
        let text = "aé!";
        assert_eq!(char_at(text, 0), Some('a'));
        assert_eq!(char_at(text, 1), Some('é'));
        assert_eq!(char_at(text, 2), None, "inside é");
        assert_eq!(char_at(text, 3), Some('!'));
        assert_eq!(char_at(text, 4), None);
        assert_eq!(folded_size_change('É'), 1 - 2);
        assert_eq!(folded_size_change('x'), 0);
    }
}
