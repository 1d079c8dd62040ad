//! Plain text and Markdown articles, one per file, with optional front matter.
//!
//! ```text
//! ---
//! title: Headline
//! date: 2024-03-05
//! ---
//! Body…
//! ```
//! Without a front-matter title, a plain text file's first line is its
//! headline; a Markdown file's first `# heading` is.

use super::{IngestOptions, Input, InputError, RawArticle, Reader, RecordOutcome};

/// A one-article-per-file reader: `.txt` ([`TEXT`]) or `.md` ([`MARKDOWN`]).
pub struct DocumentReader {
    name: &'static str,
    extensions: &'static [&'static str],
    flavor: Flavor,
}

/// `.txt` files: the first line is the headline.
pub static TEXT: DocumentReader = DocumentReader {
    name: "text",
    extensions: &["txt", "text"],
    flavor: Flavor::Text,
};

/// `.md` files: the first `# heading` is the headline; Markdown syntax is removed.
pub static MARKDOWN: DocumentReader = DocumentReader {
    name: "markdown",
    extensions: &["md", "markdown"],
    flavor: Flavor::Markdown,
};

impl Reader for DocumentReader {
    fn name(&self) -> &'static str {
        self.name
    }
    fn extensions(&self) -> &'static [&'static str] {
        self.extensions
    }
    fn read(
        &self,
        input: &mut Input<'_>,
        _options: &IngestOptions,
        emit: &mut dyn FnMut(RecordOutcome),
    ) -> Result<(), InputError> {
        let decoded = input.read_text()?;
        emit(parse_document(&decoded.text, decoded.encoding, self.flavor));
        Ok(())
    }
}

/// A plain-text payload (from a web archive) as article `record`.
pub(super) fn text_outcome(text: &str, encoding: &'static str, record: u64) -> RecordOutcome {
    match parse_document(text, encoding, Flavor::Text) {
        RecordOutcome::Article(mut article) => {
            article.record = record;
            RecordOutcome::Article(article)
        }
        RecordOutcome::Skipped { reason, .. } => RecordOutcome::Skipped { record, reason },
        RecordOutcome::Failed { reason, .. } => RecordOutcome::Failed { record, reason },
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Flavor {
    Text,
    Markdown,
}

/// A first line longer than this is body text, not a headline.
const MAX_HEADLINE_CHARS: usize = 250;

fn parse_document(text: &str, encoding: &'static str, flavor: Flavor) -> RecordOutcome {
    let mut article = RawArticle {
        encoding,
        ..RawArticle::default()
    };
    let body = match split_front_matter(text) {
        FrontMatter::None => text,
        FrontMatter::Unclosed => {
            return RecordOutcome::Failed {
                record: 0,
                reason: "front matter opened with `---` on line 1 is never closed: \
                         add a `---` line after the metadata"
                    .to_owned(),
            }
        }
        FrontMatter::Closed { pairs, body } => {
            for (key, value) in pairs {
                apply_front_matter(&mut article, &key, value);
            }
            body
        }
    };
    let (headline, rest) = match flavor {
        Flavor::Text => split_first_line(body),
        Flavor::Markdown => strip_markdown(body),
    };
    article.body = match (&article.title, headline) {
        (None, Some(headline)) => {
            article.title = Some(headline);
            rest
        }
        (Some(title), Some(headline)) if !same_text(title, &headline) => {
            format!("{headline}\n{rest}")
        }
        _ => rest,
    };
    if article.body.trim().is_empty() {
        return RecordOutcome::Skipped {
            record: 0,
            reason: if text.trim().is_empty() {
                "empty file".to_owned()
            } else {
                "no body text".to_owned()
            },
        };
    }
    RecordOutcome::Article(Box::new(article))
}

enum FrontMatter<'a> {
    None,
    Unclosed,
    Closed {
        pairs: Vec<(String, String)>,
        body: &'a str,
    },
}

/// Front matter is a `---` first line followed by `key: value` lines and a
/// closing `---` (or `...`). A `---` that is not followed by a `key: value`
/// line is a horizontal rule, not front matter.
fn split_front_matter(text: &str) -> FrontMatter<'_> {
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.next() else {
        return FrontMatter::None;
    };
    if first.trim_end() != "---" {
        return FrontMatter::None;
    }
    let mut consumed = first.len();
    let mut pairs = Vec::new();
    for line in lines {
        consumed += line.len();
        let trimmed = line.trim();
        if trimmed == "---" || trimmed == "..." {
            return FrontMatter::Closed {
                pairs,
                body: text.get(consumed..).unwrap_or_default(),
            };
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        match trimmed.split_once(':') {
            Some((key, value)) if is_key(key) => {
                pairs.push((key.trim().to_lowercase(), unquote(value.trim()).to_owned()));
            }
            _ if pairs.is_empty() => return FrontMatter::None,
            // Continuation lines (YAML lists, folded values) are passed over.
            _ => {}
        }
    }
    if pairs.is_empty() {
        FrontMatter::None
    } else {
        FrontMatter::Unclosed
    }
}

fn is_key(key: &str) -> bool {
    let key = key.trim();
    !key.is_empty()
        && key.len() <= 40
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return inner;
        }
    }
    value
}

fn apply_front_matter(article: &mut RawArticle, key: &str, value: String) {
    if value.is_empty() {
        return;
    }
    let slot = match key {
        "id" | "guid" | "uuid" => &mut article.id,
        "title" | "headline" => &mut article.title,
        "date" | "published" | "published_at" | "pubdate" | "publish_date" => {
            &mut article.published
        }
        "url" | "link" | "canonical" => &mut article.url,
        "author" | "byline" | "authors" => &mut article.author,
        "source" | "publisher" | "site" => &mut article.source,
        "lang" | "language" | "locale" => &mut article.lang_hint,
        _ => return,
    };
    if slot.is_none() {
        *slot = Some(value);
    }
}

/// Splits off the first non-empty line as the headline when it is short
/// enough to be one.
fn split_first_line(body: &str) -> (Option<String>, String) {
    let rest = body.trim_start();
    let (line, after) = rest.split_once('\n').unwrap_or((rest, ""));
    let line = line.trim();
    if !line.is_empty() && line.chars().count() <= MAX_HEADLINE_CHARS {
        (Some(line.to_owned()), after.to_owned())
    } else {
        (None, body.to_owned())
    }
}

fn same_text(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// Reduces Markdown to the text a reader sees: heading markers, emphasis,
/// link and image syntax removed. A level-1 heading on the first non-empty
/// line is returned apart, as the headline.
fn strip_markdown(markdown: &str) -> (Option<String>, String) {
    let mut out = String::with_capacity(markdown.len());
    let mut headline = None;
    let mut seen_text = false;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        let hashes = trimmed.chars().take_while(|&c| c == '#').count();
        let heading_text = trimmed
            .get(hashes..)
            .filter(|rest| (1..=6).contains(&hashes) && rest.starts_with(' '))
            .map(str::trim);
        let content = strip_inline(heading_text.unwrap_or(line));
        if !seen_text && hashes == 1 && heading_text.is_some() {
            headline = Some(content);
            seen_text = true;
            continue;
        }
        seen_text |= !content.trim().is_empty();
        out.push_str(&content);
        out.push('\n');
    }
    (headline, out)
}

fn strip_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(pos) = rest.find(['[', '*', '_', '`', '!']) {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        if let Some((text, after)) = link(tail.strip_prefix('!').unwrap_or(tail)) {
            if !tail.starts_with('!') {
                out.push_str(text);
            }
            rest = after;
            continue;
        }
        let marker = tail.chars().next().unwrap_or(' ');
        let run = tail.chars().take_while(|&c| c == marker).count();
        // Emphasis markers go; an underscore inside a word stays.
        let inside_word = marker == '_'
            && out.chars().last().is_some_and(char::is_alphanumeric)
            && tail[run..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
        if marker == '!' || inside_word {
            out.push_str(&tail[..run]);
        }
        rest = &tail[run..];
    }
    out.push_str(rest);
    out
}

/// `[text](url)` at the start of `s`: the text and what follows the link.
fn link(s: &str) -> Option<(&str, &str)> {
    let inner = s.strip_prefix('[')?;
    let close = inner.find("](")?;
    let text = &inner[..close];
    let after_paren = &inner[close + 2..];
    let end = after_paren.find(')')?;
    Some((text, &after_paren[end + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(text: &str, flavor: Flavor) -> RawArticle {
        match parse_document(text, "UTF-8", flavor) {
            RecordOutcome::Article(article) => *article,
            other => panic!("expected an article, got {other:?}"),
        }
    }

    #[test]
    fn front_matter_fields_are_read() {
        let a = article(
            "---\nid: en-1\ntitle: \"Gold rush\"\ndate: 2024-03-05\nurl: https://x.org/a\n\
             author: Ana\nsource: Herald\nlang: en\n---\nFirst paragraph.\n\nSecond.\n",
            Flavor::Text,
        );
        assert_eq!(a.id.as_deref(), Some("en-1"));
        assert_eq!(a.title.as_deref(), Some("Gold rush"));
        assert_eq!(a.published.as_deref(), Some("2024-03-05"));
        assert_eq!(a.url.as_deref(), Some("https://x.org/a"));
        assert_eq!(a.author.as_deref(), Some("Ana"));
        assert_eq!(a.source.as_deref(), Some("Herald"));
        assert_eq!(a.lang_hint.as_deref(), Some("en"));
        assert_eq!(a.body, "First paragraph.\n\nSecond.\n");
    }

    #[test]
    fn first_line_is_the_headline_without_front_matter() {
        let a = article("Oil exports fall\n\nExports fell.\n", Flavor::Text);
        assert_eq!(a.title.as_deref(), Some("Oil exports fall"));
        assert_eq!(a.body.trim(), "Exports fell.");
    }

    #[test]
    fn a_long_first_line_is_body() {
        let long = "word ".repeat(80);
        let a = article(&long, Flavor::Text);
        assert_eq!(a.title, None);
        assert_eq!(a.body, long);
    }

    #[test]
    fn unclosed_front_matter_fails_with_a_reason() {
        let outcome = parse_document("---\ntitle: x\n\nbody text\n", "UTF-8", Flavor::Text);
        assert!(
            matches!(outcome, RecordOutcome::Failed { ref reason, .. } if reason.contains("never closed"))
        );
    }

    #[test]
    fn a_rule_is_not_front_matter() {
        let a = article("---\nJust text after a rule.\n", Flavor::Text);
        assert_eq!(a.title.as_deref(), Some("---"));
    }

    #[test]
    fn empty_files_are_skipped() {
        assert!(matches!(
            parse_document("  \n", "UTF-8", Flavor::Text),
            RecordOutcome::Skipped { ref reason, .. } if reason == "empty file"
        ));
        assert!(matches!(
            parse_document("---\ntitle: t\n---\n\n", "UTF-8", Flavor::Text),
            RecordOutcome::Skipped { ref reason, .. } if reason == "no body text"
        ));
    }

    #[test]
    fn markdown_heading_is_the_title_and_syntax_is_removed() {
        let a = article(
            "# Mining *boom*\n\nSee [the report](https://x.org) and ![map](m.png) **now**.\n\n## Rivers\n\nsnake_case stays.\n",
            Flavor::Markdown,
        );
        assert_eq!(a.title.as_deref(), Some("Mining boom"));
        assert_eq!(
            a.body.trim(),
            "See the report and  now.\n\nRivers\n\nsnake_case stays."
        );
    }

    #[test]
    fn markdown_heading_repeating_the_front_matter_title_is_dropped() {
        let a = article("---\ntitle: Gold\n---\n# Gold\n\nBody.\n", Flavor::Markdown);
        assert_eq!(a.title.as_deref(), Some("Gold"));
        assert_eq!(a.body.trim(), "Body.");
    }
}
