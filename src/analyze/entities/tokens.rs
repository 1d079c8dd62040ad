//! Words for the learned recogniser: text split the way annotated corpora
//! split it (CoNLL style), each word with its byte range, its accent- and
//! case-folded range, and whether it starts a sentence.
//!
//! Punctuation is a token of its own, except a full stop that belongs to
//! the word (`U.S.`, `Corp.`, `J.`); joiners inside a word keep it whole
//! (`Coca-Cola`, `O'Brien`, `AT&T`), and a possessive `'s` is split off, so
//! that `Blair's` names `Blair`.

use std::ops::Range;

use super::fold::{folded_size_change, is_upper_case, is_word_char};

/// A word of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte range in the text.
    pub range: Range<usize>,
    /// Byte range in the folded text (see [`super::fold`]).
    pub folded: Range<usize>,
    /// First word of a sentence or of a line.
    pub sentence_start: bool,
    /// Has a capital letter (`Blair`, `eBay`, `NASA`).
    pub capital: bool,
}

/// Words whose full stop is part of them, beyond single letters and words
/// with a stop inside (`U.S.`): titles, company forms, months, US states.
const ABBREVIATED: &[&str] = &[
    "mr", "mrs", "ms", "dr", "sr", "jr", "st", "mt", "ft", "gen", "col", "lt", "capt", "sgt",
    "cmdr", "adm", "maj", "sen", "rep", "gov", "pres", "prof", "rev", "hon", "messrs", "inc", "co",
    "corp", "ltd", "bros", "plc", "no", "vs", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "ala", "ariz", "ark", "calif", "colo", "conn", "del",
    "fla", "ga", "ill", "ind", "kan", "ky", "la", "md", "mass", "mich", "minn", "miss", "mo",
    "mont", "neb", "nev", "okla", "ore", "pa", "tenn", "tex", "va", "vt", "wash", "wis", "wyo",
    "sra", "srta", "dra", "avda", "av",
];

/// Characters that join two runs of letters or digits into one word.
fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '’' | '.' | '&' | '_' | '@')
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

/// Whether `word` (as written, without a final stop) keeps a following
/// full stop.
fn keeps_stop(word: &str) -> bool {
    let mut chars = word.chars();
    let single = matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic());
    single
        || word.contains('.')
        || (word.len() <= 6
            && ABBREVIATED
                .iter()
                .any(|abbreviation| abbreviation.eq_ignore_ascii_case(word)))
}

/// Splits `text` into words (see the module doc), into `tokens`.
///
/// ASCII, most of the text, is walked byte by byte without decoding;
/// other characters are decoded where they are met.
pub fn tokenize(text: &str, tokens: &mut Vec<Token>) {
    tokens.clear();
    let bytes = text.as_bytes();
    // Folded offset less text offset: folding may change a character's size.
    let mut shift: isize = 0;
    let mut sentence_start = true;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let (c, size) = char_at(text, at, byte);
        if c.is_whitespace() {
            if c == '\n' {
                sentence_start = true;
            }
            shift += folded_size_change(c);
            at += size;
            continue;
        }
        let start = at;
        let folded_start = start.saturating_add_signed(shift);
        if !is_word_char(c) {
            shift += folded_size_change(c);
            at += size;
            tokens.push(Token {
                range: start..at,
                folded: folded_start..at.saturating_add_signed(shift),
                sentence_start,
                capital: false,
            });
            sentence_start = is_sentence_end(c);
            continue;
        }
        // The word, with joiners that have a word character after them.
        let mut capital = false;
        while let Some(&byte) = bytes.get(at) {
            let (c, size) = char_at(text, at, byte);
            let joins = is_joiner(c)
                && bytes
                    .get(at + size)
                    .is_some_and(|&next| is_word_char(char_at(text, at + size, next).0));
            if !(is_word_char(c) || joins) {
                break;
            }
            capital |= is_upper_case(c);
            shift += folded_size_change(c);
            at += size;
        }
        let mut end = at;
        let word = text.get(start..end).unwrap_or_default();
        // A possessive is a word of its own.
        let possessive = ["'s", "’s", "'S", "’S"]
            .iter()
            .find(|suffix| word.len() > suffix.len() && word.ends_with(*suffix));
        if let Some(suffix) = possessive {
            let cut = end - suffix.len();
            // Both apostrophes fold to themselves, and `s` is ASCII.
            let folded_cut = cut.saturating_add_signed(shift);
            tokens.push(Token {
                range: start..cut,
                folded: folded_start..folded_cut,
                sentence_start,
                capital,
            });
            tokens.push(Token {
                range: cut..end,
                folded: folded_cut..end.saturating_add_signed(shift),
                sentence_start: false,
                capital: false,
            });
            sentence_start = false;
            continue;
        }
        if bytes.get(end) == Some(&b'.') && keeps_stop(word) {
            end += 1;
            at = end;
        }
        tokens.push(Token {
            range: start..end,
            folded: folded_start..end.saturating_add_signed(shift),
            sentence_start,
            capital,
        });
        sentence_start = false;
    }
}

/// The character at byte `at` of `text` (whose byte there is `byte`) and
/// its size: ASCII without decoding.
fn char_at(text: &str, at: usize, byte: u8) -> (char, usize) {
    if byte.is_ascii() {
        return (char::from(byte), 1);
    }
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or((char::REPLACEMENT_CHARACTER, 1), |c| (c, c.len_utf8()))
}

/// Whether `word` has a capital letter in it (`Blair`, `eBay`, `NASA`).
pub fn has_capital(word: &str) -> bool {
    word.chars().any(is_upper_case)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(&str, bool)> {
        let mut tokens = Vec::new();
        tokenize(text, &mut tokens);
        tokens
            .iter()
            .map(|t| (&text[t.range.clone()], t.sentence_start))
            .collect()
    }

    #[test]
    fn punctuation_is_split_and_abbreviations_keep_their_stop() {
        assert_eq!(
            words("Mr. Blair's visit to the U.S. (and Coca-Cola). Then"),
            vec![
                ("Mr.", true),
                ("Blair", false),
                ("'s", false),
                ("visit", false),
                ("to", false),
                ("the", false),
                ("U.S.", false),
                ("(", false),
                ("and", false),
                ("Coca-Cola", false),
                (")", false),
                (".", false),
                ("Then", true),
            ]
        );
    }

    #[test]
    fn lines_start_sentences_and_a_word_at_the_end_keeps_no_stray_joiner() {
        assert_eq!(
            words("LONDON 1996-08-30\nO'Brien -- AT&T."),
            vec![
                ("LONDON", true),
                ("1996-08-30", false),
                ("O'Brien", true),
                ("-", false),
                ("-", false),
                ("AT&T", false),
                (".", false),
            ]
        );
    }

    #[test]
    fn folded_ranges_follow_characters_that_change_size() {
        let text = "Él visitó İstanbul y Nicolás";
        let folded = super::super::fold::fold(text);
        let mut tokens = Vec::new();
        tokenize(text, &mut tokens);
        let folded_words: Vec<&str> = tokens.iter().map(|t| &folded[t.folded.clone()]).collect();
        assert_eq!(
            folded_words,
            vec!["el", "visito", "istanbul", "y", "nicolas"]
        );
    }
}
