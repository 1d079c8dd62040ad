//! The rule-based recogniser: names the authority does not list.
//!
//! Capitalised sequences (joined by connectors such as `de la` or `of`) are
//! candidates; sentence-initial function words, headline-style lines and
//! lone sentence-initial words are not. Each candidate is typed by cues in
//! a fixed order: organisation words inside it, place words inside it,
//! titles before it, person cues before it, a first name, place cues
//! around it (or a dateline); what has no cue is `misc`. Afterwards, short
//! mentions (`Maduro`, `González Urrutia`) and parenthesised acronyms
//! (`(SEBIN)`) link to the full names they stand for in the same article.

use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;
use std::cell::RefCell;
use std::ops::Range;

use super::authority::{AuthorityMatch, AuthorityMatcher};
use super::fold::{
    ascii_word_end, char_at, fold, folded_size_change, folds_to, is_letter, is_upper_case,
    is_word_char,
};
use super::word_flags::WordFlags;
use super::words::*;
use super::EntityKind;

/// The cue lists, folded, as one map from a word to the lists it is in:
/// one lookup per word of the text instead of one per list. Nearly every
/// word of running text is looked up, so words of up to eight bytes (most
/// of them) are keyed by their bytes packed in an integer: no string
/// hashing or comparison. The same map tells the words authority aliases
/// start with (`ALIAS_START_`, `LOWER_START_`): a word near a capital is
/// looked up once for both, in one table (two tables cost a second cache
/// miss per capitalised word).
pub struct Cues {
    /// The words of the lists, a few hundred, and the aliases' first
    /// words, some 1,300: the lookups of running text stay in the
    /// processor's cache.
    lists: WordFlags,
    /// Whether a byte starts a `LOWER_START_` word: most lower-case words
    /// of the text are turned away by one table read.
    lower_initials: [bool; 256],
    /// First names, thousands: looked up only for the first word of a
    /// name that no earlier cue typed.
    first_names: WordFlags,
}

pub(super) const CONNECTORS_: u16 = 1;
pub(super) const STARTERS_: u16 = 1 << 1;
const NEVER_: u16 = 1 << 2;
const ADJECTIVES_: u16 = 1 << 3;
pub(super) const TITLES_: u16 = 1 << 4;
const ABBREVIATIONS_: u16 = 1 << 5;
const PERSON_CUES_: u16 = 1 << 6;
const ORG_WORDS_: u16 = 1 << 7;
const PLACE_WORDS_: u16 = 1 << 8;
const PLACE_CUES_: u16 = 1 << 9;
const PLACE_AFTER_: u16 = 1 << 10;
const PLACE_PREFIXES_: u16 = 1 << 11;
pub(super) const COMPANY_SUFFIXES_: u16 = 1 << 12;
pub(super) const LIST_JOINERS_: u16 = 1 << 13;
/// The first word of an authority alias.
pub(super) const ALIAS_START_: u16 = 1 << 14;
/// The first word of an authority alias that may be written in lower case.
pub(super) const LOWER_START_: u16 = 1 << 15;
/// The value of every entry of [`Cues::first_names`].
const FIRST_NAME: u16 = 1;

impl Cues {
    /// The cues, with first names from `first_names` (one per line, `#`
    /// comments) and the authority's `alias_first_words` (see
    /// [`AuthorityMatcher::first_words`]).
    pub fn new(first_names: &str, alias_first_words: &[(String, bool)]) -> Cues {
        let mut words: FxHashMap<String, u16> = FxHashMap::default();
        let lists: [(&[&str], u16); 14] = [
            (CONNECTORS, CONNECTORS_),
            (SENTENCE_STARTERS, STARTERS_),
            (NEVER_NAMES, NEVER_),
            (ADJECTIVES, ADJECTIVES_),
            (TITLES, TITLES_),
            (ABBREVIATIONS, ABBREVIATIONS_),
            (PERSON_CUES, PERSON_CUES_),
            (ORG_WORDS, ORG_WORDS_),
            (PLACE_WORDS, PLACE_WORDS_),
            (PLACE_CUES, PLACE_CUES_),
            (PLACE_AFTER, PLACE_AFTER_),
            (PLACE_PREFIXES, PLACE_PREFIXES_),
            (COMPANY_SUFFIXES, COMPANY_SUFFIXES_),
            (LIST_JOINERS, LIST_JOINERS_),
        ];
        for (list, flag) in lists {
            for word in list {
                *words.entry((*word).to_owned()).or_default() |= flag;
            }
        }
        let mut cues = Cues {
            lists: WordFlags::default(),
            lower_initials: [false; 256],
            first_names: WordFlags::default(),
        };
        for (word, lower_start) in alias_first_words {
            let mut flags = ALIAS_START_;
            if let (true, Some(initial)) = (*lower_start, word.bytes().next()) {
                cues.lower_initials[usize::from(initial)] = true;
                flags |= LOWER_START_;
            }
            *words.entry(word.clone()).or_default() |= flags;
        }
        for (word, flags) in words {
            cues.lists.add(word, flags);
        }
        for name in first_names
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
        {
            cues.first_names.add(fold(name), FIRST_NAME);
        }
        cues
    }

    /// The lists a folded word is in.
    pub(super) fn flags(&self, folded: &str) -> u16 {
        self.lists.get(folded)
    }

    /// `flags` of the `len` bytes at `start` of `folded_text`.
    fn flags_at(&self, folded_text: &str, start: usize, len: usize) -> u16 {
        self.lists.get_at(folded_text, start, len)
    }

    /// Whether an alias can start at a lower-case word of the text (not
    /// looked up yet): the `len` bytes at `start` of the folded text, a
    /// whole run of letters and digits (a word without joiners).
    pub(super) fn may_start_in_lower_case(
        &self,
        folded_text: &str,
        start: usize,
        len: usize,
    ) -> bool {
        folded_text
            .as_bytes()
            .get(start)
            .is_some_and(|initial| self.lower_initials[usize::from(*initial)])
            && self.flags_at(folded_text, start, len) & LOWER_START_ != 0
    }

    /// Whether a folded word is a first name of the shipped list.
    pub(super) fn is_first_name(&self, folded: &str) -> bool {
        self.first_names.get(folded) != 0
    }

    fn is(&self, folded: &str, flag: u16) -> bool {
        self.flags(folded) & flag != 0
    }
}

/// A word of the text.
#[derive(Debug, Clone)]
struct Token<'a> {
    range: Range<usize>,
    /// Folded form, borrowed from the folded text (no allocation per word).
    key: &'a str,
    /// Where `key` starts in the folded text.
    folded_start: usize,
    /// Holds a joiner (`al-Assad`, `U.S.`, `O'Brien`): words start inside it too.
    joined: bool,
    /// The cue lists the word is in.
    flags: u16,
    /// Starts with a capital letter.
    capital: bool,
    /// Every letter is a capital.
    all_caps: bool,
    /// First word of a sentence.
    sentence_start: bool,
    /// Index of its line.
    line: usize,
}

/// One mention found by the rules, before grouping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Byte range in the text.
    pub range: Range<usize>,
    /// Type.
    pub kind: EntityKind,
    /// Canonical name.
    pub name: String,
}

/// The words of a text, with what the rules ask of them as a whole.
struct Words<'a> {
    tokens: Vec<Token<'a>>,
    lines: Vec<LineShape>,
    /// Indices of the capitalised tokens, where names start.
    capitals: Vec<usize>,
    /// Where authority names may start (see [`push_word_starts`]).
    starts: Vec<(usize, usize)>,
}

/// Splits `text` into tokens in one walk, noting what each gap holds, the
/// cue flags of the words near capitals, the shape of each line and where
/// authority names may start.
///
/// `tokens` is an empty vector to fill, kept by the caller between texts
/// (see [`TOKEN_BUFFER`]).
fn tokenize<'a>(text: &str, folded: &'a str, cues: &Cues, mut tokens: Vec<Token<'a>>) -> Words<'a> {
    let bytes = text.as_bytes();
    // About one word per five to six bytes of news text: room for more,
    // so that the vector never grows (a copy of every token).
    tokens.reserve(text.len() / 4);
    // A line per paragraph, a paragraph per 400 bytes or so.
    let mut lines: Vec<LineShape> = Vec::with_capacity(text.len() / 256 + 4);
    let mut capitals: Vec<usize> = Vec::with_capacity(text.len() / 16);
    let mut starts: Vec<(usize, usize)> = Vec::with_capacity(text.len() / 12);
    // Folding maps every character to one character, so a folded offset is
    // the original one plus the size difference of the non-ASCII characters
    // before it: no second decoding of the folded text.
    let mut shift: isize = 0;
    let mut line = 0;
    // What the gap since the previous word holds (`GAP_*` bits), noted
    // while skipping it.
    let mut gap = 0;
    // Lower-case words within reach of a capital may be cues: they are
    // looked up (each once) as the capital or they are pushed. How many
    // words the last capital still reaches, and the first token not yet
    // looked up.
    let (mut reach_left, mut looked_up_to) = (0, 0);
    let mut offset = 0;
    while let Some(&byte) = bytes.get(offset) {
        let class = BYTE_CLASSES
            .get(usize::from(byte))
            .copied()
            .unwrap_or(NON_ASCII);
        if class & (WORD_BYTE | NON_ASCII) == 0 {
            gap |= class;
            offset += 1;
            continue;
        }
        let start = offset;
        // Offsets wrap rather than saturate: the shift never exceeds the
        // bytes before it, and a wrong offset would only make `get` fail.
        let folded_start = start.wrapping_add_signed(shift);
        // An ASCII first letter (most words) is classed from its byte: the
        // character tests below would not know it is ASCII.
        let ascii_first = class & WORD_BYTE != 0;
        // Running text: a lower-case ASCII word in mid-sentence with no
        // joiner after it. Most words of an article; each needs only its
        // token, its line's count, perhaps an alias start and, within a
        // capital's reach, its cues: not the checks below.
        if ascii_first
            && byte.is_ascii_lowercase()
            && gap & (GAP_NEWLINE | GAP_STOP | GAP_PERIOD) == 0
        {
            let end = ascii_word_end(text, start + 1);
            let plain = bytes
                .get(end)
                .is_none_or(|next| next.is_ascii() && !matches!(next, b'\'' | b'-' | b'.'));
            let key = folded.get(folded_start..end.wrapping_add_signed(shift));
            if let (true, Some(key), Some(shape)) = (plain, key, lines.last_mut()) {
                let (flags, looked_up) = if reach_left > 0 {
                    reach_left -= 1;
                    looked_up_to = tokens.len() + 1;
                    (cues.flags_at(folded, folded_start, key.len()), true)
                } else {
                    (0, false)
                };
                // A connector (`para`) does not count towards a headline.
                shape.words += usize::from(key.len() >= 4 && flags & CONNECTORS_ == 0);
                shape.end = end;
                let may_start = if looked_up {
                    flags & LOWER_START_ != 0
                } else {
                    cues.may_start_in_lower_case(folded, folded_start, key.len())
                };
                if may_start {
                    starts.push((start, folded_start));
                }
                tokens.push(Token {
                    range: start..end,
                    key,
                    folded_start,
                    joined: false,
                    flags,
                    capital: false,
                    all_caps: false,
                    sentence_start: false,
                    line,
                });
                offset = end;
                gap = 0;
                continue;
            }
        }
        let c = if ascii_first {
            char::from(byte)
        } else {
            let Some(c) = char_at(text, offset) else {
                break;
            };
            offset += c.len_utf8();
            shift += folded_size_change(c);
            if !is_word_char(c) {
                if matches!(c, '\u{2014}' | '\u{2013}') {
                    gap |= GAP_STOP;
                }
                continue;
            }
            c
        };
        let mut end = start + if ascii_first { 1 } else { c.len_utf8() };
        let mut joined = false;
        // Most words are ASCII: their checks below need no decoding.
        let mut ascii_word = ascii_first;
        loop {
            // ASCII letters and digits in bulk: most of every word.
            end = ascii_word_end(text, end);
            let Some(&next_byte) = bytes.get(end) else {
                break;
            };
            if next_byte.is_ascii() && !matches!(next_byte, b'\'' | b'-' | b'.') {
                break;
            }
            let Some(next) = char_at(text, end) else {
                break;
            };
            let after_next = end + next.len_utf8();
            let after = char_at(text, after_next);
            // `Panama's` is `Panama` and a possessive.
            let possessive = matches!(next, '\'' | '\u{2019}')
                && matches!(after, Some('s' | 'S'))
                && !char_at(text, after_next + 1).is_some_and(is_word_char);
            let joins = !possessive
                && matches!(next, '\'' | '\u{2019}' | '-' | '.')
                && after.is_some_and(|after| {
                    is_word_char(after)
                        && (next != '.'
                            || (after.is_uppercase()
                                && text
                                    .get(..end)
                                    .and_then(|word| word.chars().next_back())
                                    .is_some_and(char::is_uppercase)))
                });
            if is_word_char(next) || joins {
                joined |= joins;
                ascii_word &= next.is_ascii();
                end = after_next;
                shift += folded_size_change(next);
            } else {
                break;
            }
        }
        offset = end;
        let folded_end = end.wrapping_add_signed(shift);
        let new_line = tokens.is_empty() || gap & GAP_NEWLINE != 0;
        if new_line && !tokens.is_empty() {
            line += 1;
        }
        let ends_sentence = gap & GAP_STOP != 0
            || (gap & GAP_PERIOD != 0
                && !tokens.last().is_some_and(|previous: &Token| {
                    (previous.capital && previous.flags & ABBREVIATIONS_ != 0)
                        || (previous.joined && previous.key.contains('.'))
                        || (previous.range.len() == 1 && previous.capital)
                }));
        gap = 0;
        let key = folded.get(folded_start..folded_end).unwrap_or_default();
        let (capital, lower_case_first) = if ascii_first {
            (byte.is_ascii_uppercase(), byte.is_ascii_lowercase())
        } else {
            (is_upper_case(c), c.is_lowercase())
        };
        // The first lower-case letter ends the test: the second letter of
        // most capitalised words.
        let all_caps = capital && {
            let word = text.get(start..end).unwrap_or_default();
            if ascii_word {
                let letters = word.bytes().filter(u8::is_ascii_alphabetic);
                letters.clone().all(|byte| byte.is_ascii_uppercase()) && letters.count() > 1
            } else {
                let letters = word.chars().filter(|c| c.is_alphabetic());
                letters.clone().all(char::is_uppercase) && letters.count() > 1
            }
        };
        // Only capitals and the words near them are looked up: the others
        // (most of running text) never act as cues.
        let (flags, looked_up) = if capital {
            // The lower-case words just before it are within its reach.
            let from = tokens.len().saturating_sub(CUE_REACH).max(looked_up_to);
            for token in tokens.get_mut(from..).into_iter().flatten() {
                if !token.capital {
                    token.flags = cues.flags_at(folded, token.folded_start, token.key.len());
                    // A connector (`para`) does not count towards a headline.
                    if token.flags & CONNECTORS_ != 0 && counts_for_headline(token.key) {
                        if let Some(shape) = lines.get_mut(token.line) {
                            shape.words = shape.words.saturating_sub(1);
                        }
                    }
                }
            }
            reach_left = CUE_REACH;
            looked_up_to = tokens.len() + 1;
            (cues.flags_at(folded, folded_start, key.len()), true)
        } else if reach_left > 0 {
            reach_left -= 1;
            looked_up_to = tokens.len() + 1;
            (cues.flags_at(folded, folded_start, key.len()), true)
        } else {
            (0, false)
        };
        // A capitalised function word opens a sentence even where the
        // punctuation was lost (a heading run into its paragraph).
        let starter = capital && !all_caps && flags & STARTERS_ != 0;
        if lines.len() <= line {
            lines.push(LineShape {
                start,
                ..LineShape::default()
            });
        }
        if let Some(shape) = lines.last_mut() {
            // An ASCII word folds to as many letters.
            let counts = if ascii_word {
                key.len() >= 4
            } else {
                counts_for_headline(key)
            };
            if flags & CONNECTORS_ == 0 && counts {
                shape.words += 1;
                shape.capitals += usize::from(capital);
            }
            shape.end = end;
        }
        let token = Token {
            range: start..end,
            key,
            folded_start,
            joined,
            flags,
            capital,
            all_caps,
            sentence_start: new_line || ends_sentence || starter,
            line,
        };
        push_word_starts(
            &mut starts,
            text,
            folded,
            &token,
            lower_case_first,
            looked_up,
            cues,
        );
        if capital {
            capitals.push(tokens.len());
        }
        tokens.push(token);
    }
    Words {
        tokens,
        lines,
        capitals,
        starts,
    }
}

/// What a byte says to the tokeniser: a gap byte's `GAP_*` bits, or that
/// it is part of a word (an ASCII letter or digit), or not ASCII (decoded to
/// tell). One table lookup per byte of the gaps between words, not a chain
/// of comparisons.
const BYTE_CLASSES: [u8; 256] = {
    let mut classes = [0; 256];
    let mut byte = 0;
    while byte < 256 {
        classes[byte] = match byte as u8 {
            b'\n' => GAP_NEWLINE,
            b'!' | b'?' | b':' => GAP_STOP,
            b'.' => GAP_PERIOD,
            b if b.is_ascii_alphanumeric() => WORD_BYTE,
            b if !b.is_ascii() => NON_ASCII,
            _ => 0,
        };
        byte += 1;
    }
    classes
};
/// A line break: the next word starts a line.
const GAP_NEWLINE: u8 = 1;
/// `!`, `?`, `:` or a long dash: the next word starts a sentence.
const GAP_STOP: u8 = 1 << 1;
/// A full stop: the next word starts a sentence unless an abbreviation ends here.
const GAP_PERIOD: u8 = 1 << 2;
/// An ASCII letter or digit: a word starts or goes on.
const WORD_BYTE: u8 = 1 << 3;
/// The first byte of a character to decode (word or gap, it tells).
const NON_ASCII: u8 = 1 << 4;

/// The words of a line that tell whether it is headline-style.
#[derive(Debug, Clone, Copy, Default)]
struct LineShape {
    /// Start of its first word.
    start: usize,
    /// Words that count: four letters or more, not connectors.
    words: usize,
    /// Capitalised ones among them.
    capitals: usize,
    /// End of its last word.
    end: usize,
}

/// Whether a (folded) word is long enough to count towards a headline.
fn counts_for_headline(key: &str) -> bool {
    key.len() >= 4
        && (key.as_bytes().get(..4).is_some_and(<[u8]>::is_ascii) || key.chars().nth(3).is_some())
}

/// How many words from a capitalised word a cue can be (`departamentos de la
/// Córdoba`): lower-case words farther away are never looked up.
const CUE_REACH: usize = 3;

/// For each line, whether it is a headline-style title: short, no closing
/// punctuation, most words capitalised.
fn headline_lines(text: &str, lines: &[LineShape]) -> Vec<bool> {
    lines
        .iter()
        .map(|shape| {
            let rest = text.get(shape.end..).unwrap_or_default();
            let closing = rest
                .split('\n')
                .next()
                .is_some_and(|tail| tail.contains(['.', '!', '?', '"', '\u{201D}', ':']));
            (3..=14).contains(&shape.words) && shape.capitals * 3 >= shape.words * 2 && !closing
        })
        .collect()
}

/// What the rules ask of each line.
struct LineFacts {
    /// Whether it is a headline-style title ([`headline_lines`]).
    headlines: Vec<bool>,
    /// Where its dateline ends, if it has one ([`dateline_ends`]).
    datelines: Vec<Option<usize>>,
}

/// For each line, where its dateline ends: the byte offset of an em dash
/// in its first 80 bytes, unless a sentence ends before it.
fn dateline_ends(text: &str, lines: &[LineShape]) -> Vec<Option<usize>> {
    let em_dash = memchr::memmem::Finder::new("\u{2014}".as_bytes());
    lines
        .iter()
        .map(|shape| {
            // Only the head of the line is searched: paragraphs are lines
            // too. Searched a vector at a time: every paragraph's head is.
            let line = text.get(shape.start..).unwrap_or_default();
            let head = line
                .as_bytes()
                .get(..line.len().min(80 + 2))
                .unwrap_or_default();
            let head =
                memchr::memchr(b'\n', head).map_or(head, |end| head.get(..end).unwrap_or_default());
            em_dash
                .find(head)
                .filter(|dash| *dash < 80)
                .filter(|dash| !line.get(..*dash).is_some_and(|h| h.contains(['!', '?'])))
                .map(|dash| shape.start + dash)
        })
        .collect()
}

/// A capitalised sequence: token indices `start..end`.
#[derive(Debug, Clone)]
struct Run {
    start: usize,
    end: usize,
}

/// Finds the mentions the authority does not cover, and links short
/// mentions. `matches` are the authority's matches in `text`; those that a
/// longer recognised name swallows (`Venezuela` in `Central University of
/// Venezuela`) are removed from it.
pub fn recognise(
    text: &str,
    folded: &str,
    matcher: &AuthorityMatcher,
    cues: &Cues,
) -> (Vec<AuthorityMatch>, Vec<Mention>) {
    // An empty buffer of `'static` tokens serves as one of this text's.
    let buffer = TOKEN_BUFFER.with(|buffer| std::mem::take(&mut *buffer.borrow_mut()));
    let mut words = tokenize(text, folded, cues, buffer);
    let mut matches = matcher.find_at(text, folded, std::mem::take(&mut words.starts));
    let lines = LineFacts {
        headlines: headline_lines(text, &words.lines),
        datelines: dateline_ends(text, &words.lines),
    };
    let mentions = recognise_names(
        text,
        &words.tokens,
        &words.capitals,
        &lines,
        &mut matches,
        matcher,
        cues,
    );
    let mut tokens = words.tokens;
    if tokens.capacity() <= MAX_KEPT_TOKENS {
        tokens.clear();
        // Emptied, the buffer holds no token of this text: collected in
        // place it is a buffer of `'static` tokens again, its memory kept.
        let emptied: Vec<Token<'static>> = tokens.into_iter().map_while(|_| None).collect();
        TOKEN_BUFFER.with(|buffer| *buffer.borrow_mut() = emptied);
    }
    (matches, mentions)
}

thread_local! {
    /// Each thread's token vector, kept from one text to the next. The
    /// tokens take some fourteen bytes per byte of text; allocated anew for
    /// every article, they made the allocator take fresh pages and zero
    /// them: some 15 % of the memory the run with entities wrote for the
    /// first time (callgrind's cache simulation).
    static TOKEN_BUFFER: RefCell<Vec<Token<'static>>> = const { RefCell::new(Vec::new()) };
}

/// The largest token vector kept between texts (3.7 MB, room for a text of
/// 256 KB): a rare huge text does not hold its memory for the rest of the
/// run.
const MAX_KEPT_TOKENS: usize = 1 << 16;

/// Where authority names may start in `token` (whose first character is
/// lower case if `lower_case_first`; looked up in `cues` already if
/// `looked_up`), pushed as `(offset, folded offset)`:
/// at a word that is the first word of an alias (of one written in lower
/// case, for a lower-case word), and at a joined token and after each
/// joiner inside it (`Assad` in `al-Assad`).
fn push_word_starts(
    starts: &mut Vec<(usize, usize)>,
    text: &str,
    folded: &str,
    token: &Token,
    lower_case_first: bool,
    looked_up: bool,
    cues: &Cues,
) {
    // A joined token (`al-Assad`) is not one word: its starts are tried
    // whatever its words are. A word looked up for its cues has the flags
    // of the aliases' first words already.
    let (folded_start, len) = (token.folded_start, token.key.len());
    let may_start = token.joined
        || match (lower_case_first, looked_up) {
            (true, true) => token.flags & LOWER_START_ != 0,
            (true, false) => cues.may_start_in_lower_case(folded, folded_start, len),
            (false, true) => token.flags & ALIAS_START_ != 0,
            (false, false) => cues.flags_at(folded, folded_start, len) & ALIAS_START_ != 0,
        };
    if !may_start {
        return;
    }
    starts.push((token.range.start, token.folded_start));
    if token.joined {
        let word = text.get(token.range.clone()).unwrap_or_default();
        let mut shift: isize = 0;
        let mut previous_word_char = true;
        for (offset, c) in word.char_indices() {
            let word_char = is_word_char(c);
            if word_char && !previous_word_char {
                let folded_offset = (token.folded_start + offset).saturating_add_signed(shift);
                starts.push((token.range.start + offset, folded_offset));
            }
            previous_word_char = word_char;
            shift += folded_size_change(c);
        }
    }
}

/// Whether authority match `m` holds the whole of `token`.
fn covers(m: &AuthorityMatch, token: &Token) -> bool {
    m.range.start <= token.range.start && token.range.end <= m.range.end
}

/// The rules proper, over the tokens of `text` and its authority matches.
fn recognise_names(
    text: &str,
    tokens: &[Token],
    capitals: &[usize],
    lines: &LineFacts,
    matches: &mut Vec<AuthorityMatch>,
    matcher: &AuthorityMatcher,
    cues: &Cues,
) -> Vec<Mention> {
    let LineFacts {
        headlines,
        datelines,
    } = lines;
    // Which authority match covers a token (matches are sorted and do not
    // overlap), for the few questions asked after the runs.
    let covering = |matches: &[AuthorityMatch], index: usize| -> Option<usize> {
        let token = tokens.get(index)?;
        let candidate = matches.partition_point(|m| m.range.end <= token.range.start);
        matches
            .get(candidate)
            .filter(|m| covers(m, token))
            .map(|_| candidate)
    };

    let is_name_word = |token: &Token| {
        token.capital
            && token.flags & NEVER_ == 0
            && (token
                .key
                .as_bytes()
                .first()
                .is_some_and(u8::is_ascii_alphabetic)
                || token.key.chars().any(is_letter))
    };
    let gap = |a: usize, b: usize| -> &str {
        match (tokens.get(a), tokens.get(b)) {
            (Some(a), Some(b)) => text.get(a.range.end..b.range.start).unwrap_or_default(),
            _ => "",
        }
    };
    let joined = |a: usize, b: usize| {
        let between = gap(a, b);
        !between.is_empty() && between.chars().all(|c| c == ' ')
    };

    // Capitalised runs, with up to two connectors inside.
    // Only capitalised words start runs: the others are never looked at.
    let mut runs = Vec::with_capacity(capitals.len());
    let mut i = 0;
    for &capital in capitals {
        if capital < i {
            continue;
        }
        i = capital;
        let Some(token) = tokens.get(i) else { break };
        if !is_name_word(token) || headlines.get(token.line).copied().unwrap_or(false) {
            continue;
        }
        let mut end = i + 1;
        loop {
            let mut next = end;
            while next < end + 2
                && tokens
                    .get(next)
                    .is_some_and(|t| !t.capital && (t.flags & CONNECTORS_ != 0))
                && joined(next - 1, next)
            {
                next += 1;
            }
            match tokens.get(next) {
                Some(t) if is_name_word(t) && joined(next - 1, next) && !t.sentence_start => {
                    end = next + 1;
                }
                _ => break,
            }
        }
        runs.push(Run { start: i, end });
        i = end;
    }

    let mut candidates: Vec<(Run, Option<EntityKind>, bool)> = Vec::with_capacity(runs.len());
    let mut swallowed: FxHashSet<usize> = FxHashSet::default();
    // Which authority match covers each word of a run and the word after
    // it: found once per run, walking the matches along with the runs
    // (a search per question took a fifth of this function).
    let mut cover: Vec<Option<usize>> = Vec::new();
    let mut match_cursor = 0;
    for run in runs {
        cover.clear();
        let words_and_next = run.end + 1 - run.start;
        for token in tokens.iter().skip(run.start).take(words_and_next) {
            while matches
                .get(match_cursor)
                .is_some_and(|m| m.range.end <= token.range.start)
            {
                match_cursor += 1;
            }
            let covering_match = matches.get(match_cursor).filter(|m| covers(m, token));
            cover.push(covering_match.map(|_| match_cursor));
        }
        let first = run.start;
        let covered = |index: usize| {
            index
                .checked_sub(first)
                .and_then(|offset| cover.get(offset).copied().flatten())
        };
        let mut start = run.start;
        // Sentence-initial function words are not part of a name.
        let initial = tokens.get(start).is_some_and(|t| t.sentence_start);
        while start < run.end
            && tokens.get(start).is_some_and(|t| {
                // `El Callao` keeps its article; `Callao` alone is elsewhere.
                let names_place = (t.flags & PLACE_PREFIXES_ != 0)
                    && covered(start + 1)
                        .and_then(|m| matches.get(m))
                        .and_then(|m| matcher.entity(m.entity))
                        .is_some_and(|(kind, _)| kind == EntityKind::Place);
                !t.all_caps
                    && !names_place
                    && ((initial && (t.flags & STARTERS_ != 0)) || (t.flags & ADJECTIVES_ != 0))
            })
        {
            start += 1;
        }
        let dropped_starter = start > run.start;
        let run = Run {
            start,
            end: run.end,
        };
        if run.start >= run.end {
            continue;
        }
        let authority_in_run: Vec<usize> = (run.start..run.end).filter_map(covered).collect();
        if authority_in_run.is_empty() {
            candidates.push((run, None, initial && !dropped_starter));
            continue;
        }
        // A run holding authority names: one name if a cue word outside
        // them says it is an organisation or place of its own.
        let leads_with_own_word = covered(run.start).is_none();
        let own_cue = (run.start..run.end).any(|index| {
            covered(index).is_none()
                && tokens
                    .get(index)
                    .is_some_and(|t| (t.flags & ORG_WORDS_ != 0) || (t.flags & PLACE_WORDS_ != 0))
        });
        let authority_is_place_or_org = authority_in_run.iter().all(|m| {
            matches
                .get(*m)
                .and_then(|m| matcher.entity(m.entity))
                .is_some_and(|(kind, _)| kind != EntityKind::Person)
        });
        if leads_with_own_word && own_cue && authority_is_place_or_org {
            swallowed.extend(authority_in_run);
            candidates.push((run, None, false));
            continue;
        }
        let prefixed_place = leads_with_own_word
            && (run.start..run.end)
                .filter(|index| covered(*index).is_none())
                .all(|index| {
                    tokens
                        .get(index)
                        .is_some_and(|t| t.flags & PLACE_PREFIXES_ != 0)
                })
            && authority_in_run.iter().all(|m| {
                matches
                    .get(*m)
                    .and_then(|m| matcher.entity(m.entity))
                    .is_some_and(|(kind, _)| kind == EntityKind::Place)
            });
        if prefixed_place {
            swallowed.extend(authority_in_run);
            candidates.push((run, Some(EntityKind::Place), false));
            continue;
        }
        // Otherwise the parts between authority names are candidates.
        let mut part_start = None;
        for index in run.start..=run.end {
            let free = index < run.end && covered(index).is_none();
            match (free, part_start) {
                (true, None) => part_start = Some(index),
                (false, Some(s)) => {
                    let mut s: usize = s;
                    let mut e = index;
                    while s < e && tokens.get(s).is_some_and(|t| !t.capital) {
                        s += 1;
                    }
                    while e > s && tokens.get(e - 1).is_some_and(|t| !t.capital) {
                        e -= 1;
                    }
                    if s < e {
                        let first = s == run.start && initial && !dropped_starter;
                        candidates.push((Run { start: s, end: e }, None, first));
                    }
                    part_start = None;
                }
                _ => {}
            }
        }
    }
    // From here on a name swallowed into a longer one covers no word: the
    // place in `Bank of America, UBS` does not make `UBS` a listed place.
    if !swallowed.is_empty() {
        let mut index = 0;
        matches.retain(|_| {
            index += 1;
            !swallowed.contains(&(index - 1))
        });
    }

    // Type each candidate.
    let mut typed: Vec<(Run, EntityKind, bool, bool)> = Vec::with_capacity(candidates.len());
    let mut last_place_end: Option<usize> = None;
    for (run, forced, initial) in candidates {
        let mut start = run.start;
        // Titles before a name: `Attorney General William Barr`.
        let mut titled = false;
        while start + 1 < run.end
            && tokens.get(start).is_some_and(|t| {
                (t.flags & TITLES_ != 0)
                    || (titled
                        && ((t.flags & CONNECTORS_ != 0) || t.key == "state" || t.key == "estado"))
            })
        {
            start += 1;
            titled = true;
        }
        while start < run.end
            && tokens
                .get(start)
                .is_some_and(|t| !t.capital || (t.flags & CONNECTORS_ != 0))
        {
            start += 1;
        }
        // Every word of a run is a capital or next to one: its cue flags
        // are already looked up.
        let words = tokens.get(run.start..run.end).unwrap_or_default();
        let has = |flag: u16| words.iter().any(|t| t.flags & flag != 0);
        // `S.A.` after a comma, a title alone (`the President said`), or a
        // cue word alone (`the River`, `the University`).
        if words.iter().all(|t| t.flags & COMPANY_SUFFIXES_ != 0)
            || (words.len() == 1 && has(TITLES_ | ORG_WORDS_ | PLACE_WORDS_))
        {
            continue;
        }
        // `Secretary of State` with the name matched elsewhere: no name left.
        if titled
            && (start..run.end).all(|index| {
                tokens.get(index).is_some_and(|t| {
                    (t.flags & TITLES_ != 0) || t.key == "state" || t.key == "estado"
                })
            })
        {
            continue;
        }
        let before_word = |flag: u16, skip_connectors: bool| {
            // Skip connectors back to a place cue: `departamentos de Córdoba`;
            // a cue in the sentence before does not count.
            let mut index = run.start;
            if tokens.get(index).is_some_and(|t| t.sentence_start) {
                return false;
            }
            while index > 0 {
                index -= 1;
                match tokens.get(index) {
                    Some(t) if skip_connectors && (t.flags & CONNECTORS_ != 0) && !t.capital => {
                        continue
                    }
                    Some(t) => return t.flags & flag != 0,
                    None => return false,
                }
            }
            false
        };
        let after = tokens.get(run.end);
        // `CARACAS —`, `EL CALLAO, Venezuela —`, `Cúcuta, Norte de Santander.—`
        let dateline = || {
            tokens.get(run.end - 1).is_some_and(|last| {
                datelines
                    .get(last.line)
                    .copied()
                    .flatten()
                    .is_some_and(|dash| last.range.end <= dash)
            })
        };
        // The cues below are closures: the chain that types a candidate
        // stops at the first that applies, and most candidates (lone
        // capitalised words) never reach the person cues.
        let first_name = || words.first().is_some_and(|t| cues.is_first_name(t.key));
        let age_after = || {
            after.is_some_and(|t| {
                t.key.chars().all(|c| c.is_ascii_digit()) && gap(run.end - 1, run.end) == ", "
            })
        };
        // `Diosdado Cabello, president of …`, `Marta Rojas, a coordinator`.
        let appositive = || {
            gap(run.end - 1, run.end) == ", "
                && (run.end..run.end + 2)
                    .filter_map(|index| tokens.get(index))
                    .find(|t| !matches!(t.key, "a" | "an" | "the" | "el" | "la" | "un" | "una"))
                    .is_some_and(|t| !t.capital && (t.flags & PERSON_CUES_ != 0))
        };
        // `Maracaibo, Valencia and Barquisimeto`: an item of a list of places.
        let listed_place = || {
            run.start.checked_sub(1).is_some_and(|index| {
                let mut index = index;
                if tokens
                    .get(index)
                    .is_some_and(|t| t.flags & LIST_JOINERS_ != 0)
                {
                    match index.checked_sub(1) {
                        Some(previous) => index = previous,
                        None => return false,
                    }
                } else if gap(index, run.start) != ", " {
                    return false;
                }
                let by_authority = covering(matches, index)
                    .and_then(|m| matches.get(m))
                    .and_then(|m| matcher.entity(m.entity))
                    .is_some_and(|(kind, _)| kind == EntityKind::Place);
                by_authority || last_place_end.is_some_and(|end| end == index + 1)
            })
        };
        let kind = if let Some(kind) = forced {
            kind
        } else if has(ORG_WORDS_) {
            EntityKind::Org
        } else if has(PLACE_WORDS_) {
            EntityKind::Place
        } else if titled {
            EntityKind::Person
        } else if dateline() {
            EntityKind::Place
        } else if run.end - start >= 2
            && (before_word(PERSON_CUES_, false) || first_name() || age_after() || appositive())
        {
            EntityKind::Person
        } else if listed_place()
            || before_word(PLACE_CUES_, true)
            || after.is_some_and(|t| t.flags & PLACE_AFTER_ != 0)
        {
            EntityKind::Place
        } else {
            EntityKind::Misc
        };
        let start = if kind == EntityKind::Person {
            start
        } else {
            run.start
        };
        if start >= run.end {
            continue;
        }
        if kind == EntityKind::Place {
            last_place_end = Some(run.end);
        }
        typed.push((
            Run {
                start,
                end: run.end,
            },
            kind,
            initial && start == run.start,
            titled || kind != EntityKind::Misc,
        ));
    }

    // Canonical names, and the words of every person's name for linking.
    let name_of = |run: &Run| -> String {
        let all_caps = (run.start..run.end)
            .filter_map(|index| tokens.get(index))
            .filter(|t| t.flags & CONNECTORS_ == 0)
            .all(|t| t.all_caps);
        let single = run.end - run.start == 1;
        // Room for the run's text: a name grows word by word otherwise.
        let span = match (
            tokens.get(run.start),
            run.end.checked_sub(1).and_then(|last| tokens.get(last)),
        ) {
            (Some(first), Some(last)) => last.range.end.saturating_sub(first.range.start),
            _ => 0,
        };
        let mut name = String::with_capacity(span);
        for index in run.start..run.end {
            let Some(token) = tokens.get(index) else {
                continue;
            };
            if index > run.start {
                name.push(' ');
            }
            let word = text.get(token.range.clone()).unwrap_or_default();
            if all_caps && !single {
                name.push_str(&title_case(word, token.flags & CONNECTORS_ != 0));
            } else {
                name.push_str(word);
            }
        }
        name
    };
    // The people of the article, and for each folded word of their names
    // the one it belongs to (an index into `person_names`), or none when
    // two people share it. Room for an article's people from the start:
    // growing the map rehashes every word.
    let mut person_names: Vec<Cow<str>> = Vec::with_capacity(16);
    let mut person_words: FxHashMap<String, Option<usize>> =
        FxHashMap::with_capacity_and_hasher(64, Default::default());
    let mut note_person = |name, folded: &str| {
        let owner = person_names.len();
        person_names.push(name);
        for word in folded.split(' ') {
            if word.chars().count() < 3 || cues.is(word, CONNECTORS_) {
                continue;
            }
            match person_words.get_mut(word) {
                Some(slot) => {
                    let same_person = slot
                        .and_then(|index| person_names.get(index))
                        .is_some_and(|noted| Some(noted) == person_names.get(owner));
                    if !same_person {
                        *slot = None;
                    }
                }
                None => {
                    person_words.insert(word.to_owned(), Some(owner));
                }
            }
        }
    };
    // A person the authority knows is often matched many times: noting
    // each once is enough (a word's owner depends only on which names hold it).
    let mut known_persons: Vec<usize> = matches
        .iter()
        .map(|m| m.entity)
        .filter(|entity| matches!(matcher.entity(*entity), Some((EntityKind::Person, _))))
        .collect();
    known_persons.sort_unstable();
    known_persons.dedup();
    for entity in known_persons {
        if let Some((_, name)) = matcher.entity(entity) {
            note_person(Cow::Borrowed(name), &fold(name));
        }
    }
    // Full names: the longest spelling seen wins, accents preferred.
    let mut canonical: FxHashMap<String, String> =
        FxHashMap::with_capacity_and_hasher(64, Default::default());
    for (run, kind, _, _) in &typed {
        if *kind == EntityKind::Misc && run.end - run.start == 1 {
            continue;
        }
        let name = name_of(run);
        let folded = fold(&name);
        if *kind == EntityKind::Person && run.end - run.start >= 2 {
            note_person(Cow::Owned(name.clone()), &folded);
        }
        let entry = canonical.entry(folded).or_insert_with(|| name.clone());
        if non_ascii(&name) > non_ascii(entry) {
            *entry = name;
        }
    }
    // Recognised names take the authority's spelling when it has them.
    let mut mentions: Vec<Mention> = Vec::with_capacity(typed.len());
    let mut acronyms: FxHashMap<String, (EntityKind, String)> = FxHashMap::default();
    for (run, kind, initial, cued) in typed {
        let (Some(first), Some(last)) = (tokens.get(run.start), tokens.get(run.end - 1)) else {
            continue;
        };
        // `Later Guaiquirima said`: a sentence-initial word before a known
        // surname is not part of the name.
        let (run, first) = match (initial, run.end - run.start, tokens.get(run.start + 1)) {
            (true, 2, Some(second))
                if !person_words.contains_key(first.key)
                    && person_words
                        .get(second.key)
                        .is_some_and(|owner| owner.is_some()) =>
            {
                (
                    Run {
                        start: run.start + 1,
                        end: run.end,
                    },
                    second,
                )
            }
            _ => (run, first),
        };
        let range = first.range.start..last.range.end;
        // Most candidates of running text are lone capitalised words that
        // neither link nor get reported: settle them before building names.
        if run.end - run.start == 1
            && kind == EntityKind::Misc
            && !person_words.contains_key(first.key)
            && (acronyms.is_empty() || !acronyms.contains_key(first.key))
            && (!first.all_caps || !text.get(..range.start).is_some_and(|b| b.ends_with('(')))
            && !matcher.is_folded_alias(first.key)
        {
            continue;
        }
        let name = name_of(&run);
        let folded = fold(&name);
        let word_count = folded.bytes().filter(|byte| *byte == b' ').count() + 1;
        // A short mention of one person (every word theirs), not the full
        // name itself.
        let linked_person = if word_count <= 2 && kind != EntityKind::Org {
            let mut owners = folded.split(' ').map(|word| {
                person_words
                    .get(word)
                    .copied()
                    .flatten()
                    .and_then(|owner| person_names.get(owner))
                    .map(AsRef::as_ref)
            });
            owners
                .next()
                .flatten()
                .filter(|owner: &&str| owners.all(|other| other == Some(*owner)))
                .filter(|owner| !folds_to(owner, &folded) || word_count == 1)
                .map(str::to_owned)
        } else {
            None
        };
        let in_parens = text.get(..range.start).is_some_and(|b| b.ends_with('('))
            && text.get(range.end..).is_some_and(|a| a.starts_with(')'));
        let mention = if let Some(owner) = linked_person {
            Some((EntityKind::Person, owner))
        } else if let Some(known) = acronyms.get(&folded) {
            Some(known.clone())
        } else if let Some((kind, name)) = matcher.lookup_folded(&folded) {
            Some((kind, name.to_owned()))
        } else if in_parens && first.all_caps && run.end - run.start == 1 {
            // `Democratic Unity Roundtable (MUD)`: the acronym names the
            // entity just before it.
            let before_paren = range.start.saturating_sub(2);
            let found = mentions
                .last()
                .filter(|previous| previous.range.end == before_paren)
                .map(|previous| (previous.kind, previous.name.clone()))
                .or_else(|| {
                    matches
                        .iter()
                        .find(|m| m.range.end == before_paren)
                        .and_then(|m| matcher.entity(m.entity))
                        .map(|(kind, name)| (kind, name.to_owned()))
                });
            if let Some(found) = &found {
                acronyms.insert(folded.clone(), found.clone());
            }
            found
        } else if initial && run.end - run.start == 1 && !cued {
            // A lone capitalised word opening a sentence says nothing.
            None
        } else if word_count == 1 && (kind == EntityKind::Misc || is_adjective(&folded, cues)) {
            // A lone capitalised word with no cue is as often a common word
            // (`Emergency`, `Gold`) as a name; reporting it would drown the
            // misc facet.
            None
        } else {
            let name = canonical.get(&folded).cloned().unwrap_or(name);
            Some((kind, name))
        };
        if let Some((kind, name)) = mention {
            mentions.push(Mention { range, kind, name });
        }
    }
    mentions
}

/// `Venezuelan`, `Colombians`, `Chinese`, `Spanish`: nationality adjectives,
/// not names.
fn is_adjective(folded: &str, cues: &Cues) -> bool {
    cues.is(folded, ADJECTIVES_)
        || [
            "an", "ans", "ese", "ish", "ano", "anos", "ana", "anas", "ense", "enses",
        ]
        .iter()
        .any(|suffix| folded.ends_with(suffix) && folded.len() > suffix.len() + 3)
}

/// How many characters of `text` are not ASCII.
fn non_ascii(text: &str) -> usize {
    // Each such character has one leading byte, and only it is 0xC0 or above.
    text.bytes().filter(|byte| *byte >= 0xC0).count()
}

/// `CARACAS` → `Caracas`; connectors stay lower case (`SAN ANTONIO DEL TÁCHIRA`).
fn title_case(word: &str, connector: bool) -> String {
    let lower = word.to_lowercase();
    if connector {
        return lower;
    }
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::entities::Authority;

    #[test]
    fn authority_names_are_tried_only_at_the_first_words_of_aliases() {
        let mut authority = Authority::default();
        authority
            .add("place\tUnited States\tthe Caribbean\nplace\tPerú\n")
            .expect("parses");
        let matcher = AuthorityMatcher::new(&authority);
        let cues = Cues::new("", matcher.first_words());
        let starts = |text: &str| -> Vec<String> {
            let folded = fold(text);
            let words = tokenize(text, &folded, &cues, Vec::new());
            words
                .starts
                .iter()
                .filter_map(|(start, _)| text.get(*start..))
                .filter_map(|rest| rest.split(' ').next())
                .map(str::to_owned)
                .collect()
        };
        // Capitalised words in and out of a capital's reach, lower-case
        // words in and out of it, and the first words of the aliases.
        assert_eq!(
            starts(
                "United States and the Caribbean met Peru, Perú and UNITED officials in the \
                 end, and then all of us went to see the sea. the sea. then"
            ),
            ["United", "the", "Peru,", "Perú", "UNITED", "the", "the", "the"]
        );
        // Later words of aliases, words that only begin like a first word,
        // and first words of aliases never written in lower case.
        assert!(starts("States Caribbean Unit Officials united peru").is_empty());
    }

    #[test]
    fn the_token_buffer_is_kept_between_texts() {
        let matcher = AuthorityMatcher::new(&Authority::builtin());
        let cues = Cues::new("", matcher.first_words());
        let text = "Nicolás Maduro spoke in Caracas. ".repeat(50);
        let folded = fold(&text);
        let (matches, _) = recognise(&text, &folded, &matcher, &cues);
        assert_eq!(matches.len(), 100);
        // Emptied and kept with its memory, not dropped or shrunk.
        let kept = TOKEN_BUFFER.with(|buffer| {
            let buffer = buffer.borrow();
            (buffer.len(), buffer.capacity())
        });
        assert_eq!(kept.0, 0);
        assert!(kept.1 >= text.len() / 4, "{kept:?}");
    }
}
