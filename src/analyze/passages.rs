//! Paragraphs and passages.
//!
//! A body becomes paragraphs (blank-line separated blocks, or one per line
//! when the text has no blank lines), joined by a blank line into the
//! article text. Passages are ranges of that text: a paragraph of at least
//! [`MIN_WORDS`] words is a passage of its own; shorter ones (headings,
//! bullets, one-liners) merge into what follows; a paragraph over
//! [`MAX_WORDS`] is split at sentence ends into balanced pieces. Whatever
//! the punctuation, no passage has more than [`MAX_WORDS`] words or
//! [`MAX_CHARS`] characters: past that it is cut between words, and a
//! word longer than that (text without spaces) between characters.

use std::borrow::Cow;
use std::ops::Range;

/// A passage shorter than this merges with its neighbour where it can.
pub const MIN_WORDS: usize = 40;
/// A passage longer than this is split (at sentence ends where possible).
pub const MAX_WORDS: usize = 200;
/// No passage is longer than this, in characters: a passage is what a hit
/// shows, and text without spaces (scripts written without them, hostile
/// input) has no words to count.
pub const MAX_CHARS: usize = 3_000;

/// A line with at most this many words and no closing punctuation is a
/// heading and is merged forward.
const HEADING_WORDS: usize = 12;

/// Separator between paragraphs in the article text.
pub const PARAGRAPH_BREAK: &str = "\n\n";

/// Normalises a body into paragraphs: whitespace collapsed, lines of one
/// block joined (except bullet lines), bare bullet markers dropped.
pub fn paragraphs(body: &str) -> Vec<String> {
    let normalised: Cow<str> = if body.contains('\r') {
        Cow::Owned(body.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(body)
    };
    let body = normalised.as_ref();
    let has_blank_lines = body
        .split('\n')
        .zip(body.split('\n').skip(1))
        .any(|(a, b)| !a.trim().is_empty() && b.trim().is_empty());
    let mut out = Vec::new();
    if has_blank_lines {
        // Blocks are runs of non-blank lines; a bullet line starts a new
        // paragraph within its block.
        let mut current = String::new();
        for line in body.split('\n').map(str::trim) {
            if line.is_empty() || (is_bullet(line) && !current.is_empty()) {
                push_paragraph(&mut out, &current);
                current.clear();
            }
            if line.is_empty() {
                continue;
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(line);
        }
        push_paragraph(&mut out, &current);
    } else {
        for line in body.lines() {
            push_paragraph(&mut out, line);
        }
    }
    out
}

fn push_paragraph(out: &mut Vec<String>, text: &str) {
    let mut collapsed = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(word);
    }
    let is_bare_marker = collapsed.chars().all(|c| "-*•·–—_=#>".contains(c));
    if !collapsed.is_empty() && !is_bare_marker {
        out.push(collapsed);
    }
}

fn is_bullet(line: &str) -> bool {
    let mut chars = line.chars();
    match chars.next() {
        Some('-' | '*' | '•' | '·' | '–') => chars.next().is_some_and(char::is_whitespace),
        Some(c) if c.is_ascii_digit() => {
            let rest = line.trim_start_matches(|c: char| c.is_ascii_digit());
            rest.starts_with(". ") || rest.starts_with(") ")
        }
        _ => false,
    }
}

/// Splits `text` (paragraphs joined by [`PARAGRAPH_BREAK`]) into passages,
/// returned as byte ranges into `text`, in order, covering every word.
pub fn passages(text: &str) -> Vec<Range<usize>> {
    let units = units(text);
    let mut passages: Vec<(Range<usize>, usize)> = Vec::new();
    let mut current: Option<(Range<usize>, usize, bool)> = None;
    for unit in units {
        if let Some((range, words, _)) = current.take() {
            // A heading goes with what follows it, unless that makes the
            // passage too long: lines without final punctuation must not
            // pile up into one passage.
            if words + unit.words > MAX_WORDS {
                passages.push((range, words));
                current = Some((unit.range, unit.words, unit.heading));
            } else {
                current = Some((
                    range.start..unit.range.end,
                    words + unit.words,
                    unit.heading,
                ));
            }
        } else {
            current = Some((unit.range, unit.words, unit.heading));
        }
        if let Some((range, words, false)) = &current {
            if *words >= MIN_WORDS {
                passages.push((range.clone(), *words));
                current = None;
            }
        }
    }
    if let Some((range, words, _)) = current {
        match passages.last_mut() {
            Some((last, last_words)) if *last_words + words <= MAX_WORDS => {
                last.end = range.end;
                *last_words += words;
            }
            _ => passages.push((range, words)),
        }
    }
    passages
        .into_iter()
        .flat_map(|(range, _)| within_max_chars(text, range))
        .collect()
}

/// `range` of `text` cut into pieces of at most [`MAX_CHARS`] characters:
/// at the last whitespace that fits, else at a character boundary.
fn within_max_chars(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut pieces = Vec::new();
    let mut start = range.start;
    while start < range.end {
        let rest = text.get(start..range.end).unwrap_or_default();
        let limit = rest
            .char_indices()
            .nth(MAX_CHARS)
            .map_or(rest.len(), |(at, _)| at);
        let cut = if limit == rest.len() {
            limit
        } else {
            rest.get(..limit)
                .and_then(|head| head.rfind(char::is_whitespace))
                .filter(|&space| space > 0)
                .unwrap_or(limit)
        };
        let piece = rest.get(..cut).unwrap_or_default();
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            let lead = piece.len() - piece.trim_start().len();
            pieces.push(start + lead..start + lead + trimmed.len());
        }
        start += cut.max(1);
        while !text.is_char_boundary(start) && start < range.end {
            start += 1;
        }
    }
    pieces
}

struct Unit {
    range: Range<usize>,
    words: usize,
    heading: bool,
}

/// Paragraphs, with long ones already split at sentence ends.
fn units(text: &str) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut start = 0;
    for paragraph in text.split(PARAGRAPH_BREAK) {
        let range = start..start + paragraph.len();
        start = range.end + PARAGRAPH_BREAK.len();
        let words = paragraph.split_whitespace().count();
        if words == 0 {
            continue;
        }
        if words <= MAX_WORDS {
            units.push(Unit {
                heading: is_heading(paragraph, words),
                range,
                words,
            });
        } else {
            units.extend(split_long(paragraph, range.start, words));
        }
    }
    units
}

fn is_heading(paragraph: &str, words: usize) -> bool {
    if is_bullet(paragraph) {
        return true;
    }
    let closes_sentence = paragraph
        .trim_end()
        .trim_end_matches(['"', '\'', '”', '’', ')', '»'])
        .ends_with(['.', '!', '?', '…']);
    words <= HEADING_WORDS && !closes_sentence
}

/// Splits one long paragraph into pieces of balanced size, cutting at
/// sentence ends, or between words when a sentence alone is too long.
fn split_long(paragraph: &str, offset: usize, words: usize) -> Vec<Unit> {
    let pieces = words.div_ceil(MAX_WORDS);
    let target = words.div_ceil(pieces);
    let mut units = Vec::new();
    let mut piece_start = 0;
    let mut piece_words = 0;
    for (sentence_start, sentence) in sentences(paragraph) {
        let sentence_words = sentence.split_whitespace().count();
        if piece_words > 0 && piece_words + sentence_words > MAX_WORDS {
            units.push(unit(
                paragraph,
                offset,
                piece_start..sentence_start,
                piece_words,
            ));
            piece_start = sentence_start;
            piece_words = 0;
        }
        if sentence_words > MAX_WORDS {
            for (start, end) in word_chunks(paragraph, sentence_start, sentence, MAX_WORDS) {
                units.push(unit(
                    paragraph,
                    offset,
                    start..end,
                    MAX_WORDS.min(sentence_words),
                ));
                piece_start = end;
            }
            piece_words = 0;
            continue;
        }
        piece_words += sentence_words;
        if piece_words >= target {
            let end = sentence_start + sentence.len();
            units.push(unit(paragraph, offset, piece_start..end, piece_words));
            piece_start = end;
            piece_words = 0;
        }
    }
    let rest = paragraph.get(piece_start..).unwrap_or_default();
    if !rest.trim().is_empty() {
        units.push(unit(
            paragraph,
            offset,
            piece_start..paragraph.len(),
            rest.split_whitespace().count(),
        ));
    }
    units
}

/// A unit for `range` of `paragraph`, trimmed of surrounding spaces.
fn unit(paragraph: &str, offset: usize, range: Range<usize>, words: usize) -> Unit {
    let piece = paragraph.get(range.clone()).unwrap_or_default();
    let leading = piece.len() - piece.trim_start().len();
    let trailing = piece.len() - piece.trim_end().len();
    Unit {
        range: offset + range.start + leading..offset + range.end - trailing,
        words,
        heading: false,
    }
}

/// Cuts one over-long sentence into chunks of `size` words: (start, end) byte
/// offsets within the paragraph.
fn word_chunks(
    paragraph: &str,
    sentence_start: usize,
    sentence: &str,
    size: usize,
) -> Vec<(usize, usize)> {
    let base = sentence.as_ptr() as usize - paragraph.as_ptr() as usize;
    debug_assert_eq!(base, sentence_start);
    let mut chunks = Vec::new();
    let mut chunk_start = None;
    let mut count = 0;
    let mut last_end = 0;
    for (index, word) in word_spans(sentence) {
        chunk_start.get_or_insert(index);
        count += 1;
        last_end = index + word;
        if count == size {
            if let Some(start) = chunk_start.take() {
                chunks.push((sentence_start + start, sentence_start + last_end));
            }
            count = 0;
        }
    }
    if let Some(start) = chunk_start {
        chunks.push((sentence_start + start, sentence_start + last_end));
    }
    chunks
}

/// (byte offset, byte length) of each whitespace-separated word.
fn word_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    text.split_whitespace()
        .map(move |word| (word.as_ptr() as usize - text.as_ptr() as usize, word.len()))
}

/// Abbreviations after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "sra", "srta", "dña", "dn", "gen", "gral", "gov", "sen",
    "rep", "st", "jr", "inc", "co", "corp", "ltd", "vs", "etc", "no", "lt", "col", "capt", "sgt",
    "cmdr", "adm", "pres", "av", "ave", "dept", "univ", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "ee", "uu",
];

/// Sentences of a paragraph with their byte offsets. A sentence ends at
/// `.`, `!` or `?` (and any closing quotes) followed by a space and a
/// capital, a digit or an opening quote — unless the period closes an
/// abbreviation or an initial.
pub fn sentences(paragraph: &str) -> Vec<(usize, &str)> {
    let is_closing = |c: char| matches!(c, '"' | '\'' | '”' | '’' | ')' | '»');
    let opens_sentence = |c: char| {
        c.is_uppercase()
            || c.is_ascii_digit()
            || matches!(c, '"' | '“' | '«' | '¿' | '¡' | '\'' | '‘')
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = paragraph.char_indices().peekable();
    while let Some((pos, c)) = chars.next() {
        if !matches!(c, '.' | '!' | '?' | '…') {
            continue;
        }
        while chars.next_if(|&(_, next)| is_closing(next)).is_some() {}
        let Some(&(space_pos, space)) = chars.peek() else {
            continue;
        };
        if !space.is_whitespace() {
            continue;
        }
        let next = paragraph
            .get(space_pos..)
            .and_then(|rest| rest.chars().find(|c| !c.is_whitespace()));
        if !next.is_some_and(opens_sentence) {
            continue;
        }
        let before = paragraph.get(start..pos).unwrap_or_default();
        if c == '.' && ends_with_abbreviation(before) {
            continue;
        }
        out.push((start, paragraph.get(start..space_pos).unwrap_or_default()));
        start = space_pos;
    }
    if start < paragraph.len() {
        out.push((start, paragraph.get(start..).unwrap_or_default()));
    }
    out
}

fn ends_with_abbreviation(before_period: &str) -> bool {
    let word = before_period
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"')
        .next()
        .unwrap_or_default();
    let last = word.rsplit('.').next().unwrap_or_default().to_lowercase();
    last.chars().count() == 1 || ABBREVIATIONS.contains(&last.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(n: usize, word: &str) -> String {
        vec![word; n].join(" ")
    }

    fn passage_texts(paragraphs: &[String]) -> Vec<String> {
        let text = paragraphs.join(PARAGRAPH_BREAK);
        passages(&text)
            .into_iter()
            .map(|r| text[r].to_owned())
            .collect()
    }

    #[test]
    fn paragraphs_from_blank_lines_or_lines() {
        assert_eq!(
            paragraphs("One line\nwrapped.\n\n- a\n- b\n\n\nLast.  "),
            vec!["One line wrapped.", "- a", "- b", "Last."]
        );
        assert_eq!(
            paragraphs("Heading\n-\nText here.\r\nMore text."),
            vec!["Heading", "Text here.", "More text."]
        );
    }

    #[test]
    fn headings_merge_into_the_following_paragraph() {
        let body = vec![
            "Transit hub".to_owned(),
            format!("{}.", words(50, "cocaine")),
        ];
        let out = passage_texts(&body);
        assert_eq!(out.len(), 1);
        assert!(out[0].starts_with("Transit hub\n\ncocaine"));
    }

    #[test]
    fn each_long_enough_paragraph_is_a_passage() {
        let body = vec![
            format!("{}.", words(60, "a")),
            format!("{}.", words(45, "b")),
        ];
        assert_eq!(passage_texts(&body).len(), 2);
    }

    #[test]
    fn short_paragraphs_merge_and_a_short_tail_joins_the_previous_passage() {
        let body = vec![
            format!("{}.", words(20, "a")),
            format!("{}.", words(25, "b")),
            format!("{}.", words(10, "c")),
        ];
        let out = passage_texts(&body);
        assert_eq!(out.len(), 1, "{out:?}");
    }

    #[test]
    fn long_paragraphs_split_at_sentence_ends_into_balanced_pieces() {
        let sentence = format!("Word {}.", words(28, "word"));
        let paragraph = vec![format!(
            "Mr. Smith said so. {}",
            vec![sentence.as_str(); 14].join(" ")
        )];
        let out = passage_texts(&paragraph);
        assert!(out.len() >= 3, "{out:?}");
        for piece in &out {
            let n = piece.split_whitespace().count();
            assert!((MIN_WORDS..=MAX_WORDS).contains(&n), "{n} words: {piece}");
            assert!(piece.ends_with('.'), "{piece:?}");
        }
        assert!(out[0].starts_with("Mr. Smith said so. Word"));
    }

    #[test]
    fn a_huge_unpunctuated_line_is_cut_between_words() {
        let paragraph = vec![words(1000, "x")];
        let out = passage_texts(&paragraph);
        assert_eq!(out.len(), 5);
        assert!(out
            .iter()
            .all(|p| p.split_whitespace().count() == MAX_WORDS));
    }

    // See: issue 22
    #[test]
    fn issue_22_short_lines_without_punctuation_never_make_a_giant_passage() {
        let lines: Vec<String> = (0..5_000).map(|i| format!("line {i} of a list")).collect();
        let text = lines.join(PARAGRAPH_BREAK);
        let ranges = passages(&text);
        assert!(ranges.len() > 20, "{}", ranges.len());
        let mut covered = 0;
        for range in &ranges {
            let piece = &text[range.clone()];
            assert!(piece.split_whitespace().count() <= MAX_WORDS, "{piece}");
            covered += piece.split_whitespace().count();
        }
        assert_eq!(covered, text.split_whitespace().count(), "every word kept");
    }

    // See: issue 22
    #[test]
    fn issue_22_text_without_spaces_is_cut_at_character_boundaries() {
        let text = format!("{}\n\n{} tail.", "ñ".repeat(10_000), "word ".repeat(700));
        let ranges = passages(&text);
        let mut chars = 0;
        for range in &ranges {
            let piece = text.get(range.clone()).expect("char boundaries");
            assert!(
                piece.chars().count() <= MAX_CHARS,
                "{}",
                piece.chars().count()
            );
            assert!(piece.split_whitespace().count() <= MAX_WORDS);
            chars += piece.chars().filter(|c| !c.is_whitespace()).count();
        }
        assert_eq!(chars, text.chars().filter(|c| !c.is_whitespace()).count());
        let long_words = format!("{} end", "abcdefghij ".repeat(400));
        for range in passages(&long_words) {
            let piece = &long_words[range];
            assert!(piece.chars().count() <= MAX_CHARS);
            assert!(!piece.starts_with(' ') && !piece.ends_with(' '));
        }
    }

    #[test]
    fn sentence_ends_skip_abbreviations_and_initials() {
        let text = "Gen. Padrino met U.S. officials. J. Smith left! ¿Qué pasó? Nada.";
        let got: Vec<&str> = sentences(text).into_iter().map(|(_, s)| s.trim()).collect();
        assert_eq!(
            got,
            vec![
                "Gen. Padrino met U.S. officials.",
                "J. Smith left!",
                "¿Qué pasó?",
                "Nada."
            ]
        );
    }
}
