//! Highlighting the query in a passage.
//!
//! Only passages that are returned are highlighted, and a passage is short,
//! so each is re-tokenized with its own language's analyzer: the spans are
//! exactly the words the index matched, through stemming and accent
//! folding. A phrase is highlighted where its words stand together, not
//! wherever one of them occurs.

use std::collections::HashMap;
use std::ops::Range;

use tantivy::tokenizer::TextAnalyzer;

use super::query::{analyze_positions, Pattern};
use crate::schema::{build_analyzer, PLAIN};

struct Token {
    text: String,
    span: Range<usize>,
    position: usize,
}

/// Highlights [`Pattern`]s in passages; keeps one analyzer per language.
pub struct Highlighter {
    patterns: Vec<Pattern>,
    analyzers: HashMap<&'static str, TextAnalyzer>,
    /// Analyzed words of each pattern, per analyzer.
    words: HashMap<&'static str, Vec<Vec<String>>>,
}

impl Highlighter {
    /// A highlighter for the patterns of one query.
    pub fn new(patterns: Vec<Pattern>) -> Self {
        Highlighter {
            patterns,
            analyzers: HashMap::new(),
            words: HashMap::new(),
        }
    }

    /// Byte ranges of `text` to highlight, sorted and not overlapping.
    pub fn highlight(&mut self, text: &str, analyzer: &'static str) -> Vec<Range<usize>> {
        if self.patterns.is_empty() {
            return Vec::new();
        }
        let tokens = self.tokens(analyzer, text);
        let patterns = &self.patterns;
        let words_per_pattern = self
            .words
            .entry(analyzer)
            .or_insert_with(|| pattern_words(patterns, analyzer));
        let mut spans = Vec::new();
        for (pattern, words) in patterns.iter().zip(words_per_pattern.iter()) {
            if words.len() > 1 && pattern.adjacent {
                spans.extend(phrase_spans(&tokens, words, pattern.prefix));
            } else {
                let last = words.len().saturating_sub(1);
                for (index, word) in words.iter().enumerate() {
                    let prefix = pattern.prefix && index == last;
                    spans.extend(
                        tokens
                            .iter()
                            .filter(|token| matches(&token.text, word, prefix))
                            .map(|token| token.span.clone()),
                    );
                }
            }
        }
        merge(spans)
    }

    fn tokens(&mut self, analyzer: &'static str, text: &str) -> Vec<Token> {
        let analyzer = self
            .analyzers
            .entry(analyzer)
            .or_insert_with(|| build_analyzer(analyzer));
        let mut stream = analyzer.token_stream(text);
        let mut tokens = Vec::new();
        while stream.advance() {
            let token = stream.token();
            tokens.push(Token {
                text: token.text.clone(),
                span: token.offset_from..token.offset_to,
                position: token.position,
            });
        }
        tokens
    }
}

/// The analyzed words of every pattern for one analyzer; the highlighter
/// keeps them per analyzer rather than analyzing them again for each passage.
fn pattern_words(patterns: &[Pattern], analyzer: &'static str) -> Vec<Vec<String>> {
    patterns
        .iter()
        .map(|pattern| {
            let mut words: Vec<String> = analyze_positions(analyzer, &pattern.phrase)
                .into_iter()
                .map(|(_, word)| word)
                .collect();
            // A prefix is matched unstemmed, as the query does.
            if pattern.prefix {
                if let (Some(last), Some((_, plain))) = (
                    words.last_mut(),
                    analyze_positions(PLAIN, &pattern.phrase).pop(),
                ) {
                    *last = plain;
                }
            }
            words
        })
        .collect()
}

fn matches(token: &str, word: &str, prefix: bool) -> bool {
    if prefix {
        token.starts_with(word)
    } else {
        token == word
    }
}

fn phrase_spans<'t>(
    tokens: &'t [Token],
    words: &'t [String],
    prefix: bool,
) -> impl Iterator<Item = Range<usize>> + 't {
    let last = words.len() - 1;
    tokens.windows(words.len()).filter_map(move |window| {
        let consecutive = window
            .iter()
            .zip(window.iter().skip(1))
            .all(|(a, b)| b.position == a.position + 1);
        let same = window
            .iter()
            .zip(words)
            .enumerate()
            .all(|(index, (token, word))| matches(&token.text, word, prefix && index == last));
        match (consecutive && same, window.first(), window.last()) {
            (true, Some(first), Some(end)) => Some(first.span.start..end.span.end),
            _ => None,
        }
    })
}

fn merge(mut spans: Vec<Range<usize>>) -> Vec<Range<usize>> {
    spans.sort_by_key(|span| (span.start, span.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(
        patterns: &[(&str, bool, bool)],
        analyzer: &'static str,
        text: &str,
        expected: &[&str],
    ) {
        let patterns = patterns
            .iter()
            .map(|(phrase, prefix, adjacent)| Pattern {
                phrase: phrase.to_string(),
                prefix: *prefix,
                adjacent: *adjacent,
            })
            .collect();
        let spans = Highlighter::new(patterns).highlight(text, analyzer);
        let got: Vec<&str> = spans.iter().map(|span| &text[span.clone()]).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn stemmed_and_folded_words_are_highlighted() {
        check(
            &[("accusation", false, true)],
            "en",
            "New accusations; the accused denied.",
            &["accusations", "accused"],
        );
        check(
            &[("mineria", false, true)],
            "es",
            "La minería ilegal y la MINERÍA.",
            &["minería", "MINERÍA"],
        );
    }

    #[test]
    fn phrases_only_where_the_words_stand_together() {
        check(
            &[("gold mining", false, true)],
            "en",
            "Gold prices rose; mining slowed. Illegal gold mining grew.",
            &["gold mining"],
        );
        check(
            &[("gold mining", false, false)],
            "en",
            "Gold prices rose; mining slowed.",
            &["Gold", "mining"],
        );
    }

    #[test]
    fn prefixes_and_overlaps() {
        check(
            &[("sanct", true, true)],
            "en",
            "Sanctions and sanctioned firms.",
            &["Sanctions", "sanctioned"],
        );
        check(
            &[("oil", false, true), ("oil sanctions", false, true)],
            "en",
            "Oil sanctions hit oil.",
            &["Oil sanctions", "oil"],
        );
    }
}
