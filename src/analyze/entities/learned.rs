//! Recognition with a learned model: words, what the authority and the
//! cue lists say of each, the model's tags, then the mentions they make,
//! cut to the name (no titles, no sentence adverbs) and linked to one
//! canonical name per entity within the article.

use std::borrow::Cow;
use std::cell::RefCell;
use std::ops::Range;

use super::authority::AuthorityMatch;
use super::fold::fold;
use super::rules::{ALIAS_START_, LOWER_START_, STARTERS_, TITLES_};
use super::tagger::{begin, inside, spans, Model, Sentence, WordFacts, OUTSIDE};
use super::tokens::{has_capital, tokenize, Token};
use super::{EntityKind, EntityRecogniser};

/// A mention: where, what kind, which canonical name.
pub type Found<'r> = (Range<usize>, EntityKind, Cow<'r, str>);

thread_local! {
    /// Each thread's word buffer, kept between texts.
    static TOKENS: RefCell<Vec<Token>> = const { RefCell::new(Vec::new()) };
}

/// The largest word buffer kept between texts.
const MAX_KEPT_TOKENS: usize = 1 << 16;

/// What the authority and the cue lists say of each word of `text`, and
/// the authority's matches.
pub fn word_facts(
    recogniser: &EntityRecogniser,
    text: &str,
    folded: &str,
    tokens: &[Token],
) -> (Vec<WordFacts>, Vec<AuthorityMatch>) {
    let capital_at = |i: Option<usize>| i.and_then(|i| tokens.get(i)).is_some_and(|t| t.capital);
    let mut facts = Vec::with_capacity(tokens.len());
    let mut starts = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let key = folded.get(token.folded.clone()).unwrap_or_default();
        let capital = capital_at(Some(i));
        // The tagger asks for the cues of the words next to a capital
        // only: words far from one are looked up only for the aliases
        // that start in lower case (`the former Yugoslavia`), with the
        // rules' filter by initial.
        let near_capital = capital || capital_at(i.checked_sub(1)) || capital_at(Some(i + 1));
        let mut cues = if near_capital {
            recogniser.cues.flags(key)
        } else if recogniser
            .cues
            .may_start_in_lower_case(folded, token.folded.start, key.len())
        {
            LOWER_START_
        } else {
            0
        };
        // `al-Assad`, `U.S.-led`: an alias may start with the first part.
        let joined = near_capital && key.bytes().any(|b| matches!(b, b'-' | b'\'' | b'.' | 0xE2));
        if let Some(first_part) = key
            .split(['-', '\'', '’', '.'])
            .next()
            .filter(|p| joined && p.len() < key.len())
        {
            cues |= recogniser.cues.flags(first_part) & (ALIAS_START_ | LOWER_START_);
        }
        let starts_alias = if capital {
            cues & ALIAS_START_ != 0
        } else {
            cues & LOWER_START_ != 0
        };
        if starts_alias {
            starts.push((token.range.start, token.folded.start));
        }
        facts.push(WordFacts {
            cues,
            first_name: capital && recogniser.cues.is_first_name(key),
            authority: OUTSIDE,
            capital,
        });
    }
    let matches = recogniser.matcher.find_at(text, folded, starts);
    let mut token = 0;
    for m in &matches {
        let Some((kind, _)) = recogniser.matcher.entity(m.entity) else {
            continue;
        };
        while tokens
            .get(token)
            .is_some_and(|t| t.range.start < m.range.start)
        {
            token += 1;
        }
        let mut first = true;
        while let Some(t) = tokens.get(token).filter(|t| t.range.end <= m.range.end) {
            if let Some(f) = facts.get_mut(token) {
                f.authority = if first && t.range.start == m.range.start {
                    begin(kind)
                } else {
                    inside(kind)
                };
            }
            first = false;
            token += 1;
        }
    }
    (facts, matches)
}

/// The mentions of `text` by `model`, in text order.
pub fn recognise<'r>(
    recogniser: &'r EntityRecogniser,
    model: &Model,
    text: &str,
) -> Vec<Found<'r>> {
    let mut tokens = TOKENS.with(|buffer| std::mem::take(&mut *buffer.borrow_mut()));
    tokenize(text, &mut tokens);
    let folded = fold(text);
    let (facts, matches) = word_facts(recogniser, text, &folded, &tokens);
    let sentence = Sentence {
        text,
        folded: &folded,
        tokens: &tokens,
        facts: &facts,
    };
    let mut tags = Vec::with_capacity(tokens.len());
    model.tag(&sentence, &mut tags);
    let found = mentions(recogniser, &sentence, &tags, &matches);
    if tokens.capacity() <= MAX_KEPT_TOKENS {
        TOKENS.with(|buffer| *buffer.borrow_mut() = tokens);
    }
    found
}

/// The model's spans as mentions, with the authority's matches it did not
/// tag, then linked to one name per entity.
fn mentions<'r>(
    recogniser: &'r EntityRecogniser,
    sentence: &Sentence,
    tags: &[u8],
    matches: &[AuthorityMatch],
) -> Vec<Found<'r>> {
    let (text, tokens) = (sentence.text, sentence.tokens);
    let mut found: Vec<Found<'r>> = Vec::new();
    for (words, kind) in spans(tags) {
        let words = trim(sentence, words, kind);
        // A title or a sentence opener alone (`Mr`, `President`, `Earlier`)
        // names no one.
        let alone = words.len() == 1
            && sentence
                .facts
                .get(words.start)
                .is_some_and(|f| f.cues & (TITLES_ | STARTERS_) != 0 && f.authority == OUTSIDE);
        if alone {
            continue;
        }
        let (Some(first), Some(last)) = (
            tokens.get(words.start),
            words.end.checked_sub(1).and_then(|i| tokens.get(i)),
        ) else {
            continue;
        };
        let range = first.range.start..last.range.end;
        let listed = matches
            .iter()
            .find(|m| m.range == range)
            .and_then(|m| recogniser.matcher.entity(m.entity));
        found.push(match listed {
            Some((kind, name)) => (range, kind, Cow::Borrowed(name)),
            None => {
                let written = text.get(range.clone()).unwrap_or_default();
                (
                    range,
                    kind,
                    Cow::Owned(written.split_whitespace().collect::<Vec<_>>().join(" ")),
                )
            }
        });
    }
    // Authority names the model left untagged (a listed name written in
    // lower case, a known acronym) count as written in the authority.
    let tagged = found.len();
    for m in matches {
        let overlaps = found
            .iter()
            .take(tagged)
            .any(|(r, _, _)| r.start < m.range.end && m.range.start < r.end);
        let capitalised = text.get(m.range.clone()).is_some_and(has_capital);
        if let (false, true, Some((kind, name))) =
            (overlaps, capitalised, recogniser.matcher.entity(m.entity))
        {
            found.push((m.range.clone(), kind, Cow::Borrowed(name)));
        }
    }
    add_surnames(sentence, &mut found);
    found.sort_by_key(|(r, _, _)| (r.start, r.end));
    link(&mut found);
    found
}

/// `words` without what is not part of the name: leading titles of a
/// person (`Prime Minister`, `Mr`), a leading sentence adverb (`Earlier`,
/// `Instead`), trailing words without a capital or digit.
fn trim(sentence: &Sentence, mut words: Range<usize>, kind: EntityKind) -> Range<usize> {
    let cues = |i: usize| sentence.facts.get(i).map_or(0, |f| f.cues);
    let word = |i: usize| {
        sentence
            .tokens
            .get(i)
            .and_then(|t| sentence.text.get(t.range.clone()))
            .unwrap_or_default()
    };
    while words.len() > 1 {
        let leading = words.start;
        let adverb = cues(leading) & STARTERS_ != 0
            && sentence
                .tokens
                .get(leading)
                .is_some_and(|t| t.sentence_start);
        let title = kind == EntityKind::Person && cues(leading) & TITLES_ != 0;
        let stray = !word(leading).chars().any(char::is_alphanumeric) || word(leading) == "'s";
        if adverb || title || stray {
            words.start += 1;
        } else {
            break;
        }
    }
    while words.len() > 1 {
        let trailing = word(words.end - 1);
        if has_capital(trailing)
            || trailing.chars().any(|c| c.is_ascii_digit())
            || trailing == "." && word(words.end - 2).len() == 1
        {
            break;
        }
        words.end -= 1;
    }
    words
}

/// Adds the capitalised words the model left untagged that are the
/// surname of one person the article names in full (`Maduro, speaking in
/// Caracas` after `Nicolás Maduro`): a name at the head of a sentence or
/// in a list is easily missed, and the article has told who it is.
fn add_surnames<'r>(sentence: &Sentence, found: &mut Vec<Found<'r>>) {
    let mut surnames: Vec<(String, String)> = found
        .iter()
        .filter(|(_, kind, name)| *kind == EntityKind::Person && name.contains(' '))
        .filter_map(|(_, _, name)| Some((fold(name.rsplit(' ').next()?), name.to_string())))
        .collect();
    if surnames.is_empty() {
        return;
    }
    surnames.sort();
    surnames.dedup();
    let tagged: Vec<Range<usize>> = found.iter().map(|(r, _, _)| r.clone()).collect();
    for (token, facts) in sentence.tokens.iter().zip(sentence.facts) {
        if !facts.capital
            || tagged
                .iter()
                .any(|r| r.start < token.range.end && token.range.start < r.end)
        {
            continue;
        }
        let key = sentence
            .folded
            .get(token.folded.clone())
            .unwrap_or_default();
        let mut people = surnames.iter().filter(|(surname, _)| surname == key);
        if let (Some((_, full)), None) = (people.next(), people.next()) {
            found.push((
                token.range.clone(),
                EntityKind::Person,
                Cow::Owned(full.clone()),
            ));
        }
    }
}

/// Links the mentions of one entity to one name: a surname to the full
/// name the article gives (`Blair` → `Tony Blair`), an organisation's
/// legal form written out (`Chrysler Corp` → `Chrysler Corporation`) and
/// its name without it to the name with it (`Chrysler`), an acronym to the
/// name whose initials it is (`OPEC`).
fn link(found: &mut [Found]) {
    let mut heads: Vec<(String, String)> = Vec::new();
    for (_, kind, name) in found.iter_mut() {
        if *kind != EntityKind::Org || matches!(name, Cow::Borrowed(_)) {
            continue;
        }
        if let Some((head, form)) = legal_form(name) {
            let full = format!("{head} {form}");
            heads.push((fold(&head), full.clone()));
            *name = Cow::Owned(full);
        }
    }
    heads.sort();
    heads.dedup();
    for (_, kind, name) in found.iter_mut() {
        if *kind != EntityKind::Org || matches!(name, Cow::Borrowed(_)) {
            continue;
        }
        let key = fold(name);
        let mut with_form = heads.iter().filter(|(head, _)| *head == key);
        if let (Some((_, full)), None) = (with_form.next(), with_form.next()) {
            *name = Cow::Owned(full.clone());
        }
    }
    let full_names: Vec<(String, String)> = found
        .iter()
        .filter(|(_, kind, name)| *kind == EntityKind::Person && name.contains(' '))
        .filter_map(|(_, _, name)| {
            let last = name.rsplit(' ').next()?;
            Some((fold(last), name.to_string()))
        })
        .collect();
    let long_names: Vec<(String, EntityKind, String)> = found
        .iter()
        .filter(|(_, kind, name)| *kind != EntityKind::Person && name.split(' ').count() >= 2)
        .map(|(_, kind, name)| (initials(name), *kind, name.to_string()))
        .filter(|(initials, _, _)| initials.len() >= 2)
        .collect();
    for (_, kind, name) in found.iter_mut() {
        if name.contains(' ') {
            continue;
        }
        let key = fold(name);
        let mut candidates: Vec<&String> = full_names
            .iter()
            .filter(|(last, _)| *last == key)
            .map(|(_, full)| full)
            .collect();
        candidates.dedup();
        if let [full] = candidates[..] {
            *kind = EntityKind::Person;
            *name = Cow::Owned(full.clone());
            continue;
        }
        let acronym =
            name.len() >= 2 && name.len() <= 8 && name.chars().all(|c| c.is_ascii_uppercase());
        if acronym {
            let mut expansions = long_names.iter().filter(|(i, _, _)| i == name.as_ref());
            if let (Some((_, long_kind, long)), None) = (expansions.next(), expansions.next()) {
                *kind = *long_kind;
                *name = Cow::Owned(long.clone());
            }
        }
    }
}

/// The initials of the capitalised words of a name (`Organization of
/// Petroleum Exporting Countries` → `OPEC`).
fn initials(name: &str) -> String {
    name.split([' ', '-'])
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

/// An organisation's name split into the name and its trailing legal
/// form, written out (`Corp` → `Corporation`), if it has one.
fn legal_form(name: &str) -> Option<(String, &'static str)> {
    let (head, last) = name.rsplit_once(' ')?;
    let folded = fold(last.trim_end_matches('.'));
    let form = match folded.as_str() {
        "corp" | "corporation" => "Corporation",
        "co" | "company" => "Company",
        "inc" | "incorporated" => "Inc.",
        "ltd" | "limited" => "Ltd",
        "plc" => "plc",
        _ => return None,
    };
    let head = head.trim_end_matches(',').trim_end();
    (!head.is_empty()).then(|| (head.to_owned(), form))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(EntityKind, String)> {
        let recogniser = EntityRecogniser::builtin();
        recogniser
            .recognise(text, "en")
            .into_iter()
            .map(|e| (e.kind, e.name))
            .collect()
    }

    #[test]
    fn titles_and_adverbs_are_cut_and_surnames_link_to_full_names() {
        let found = names(
            "British Prime Minister Tony Blair met President Ronald Reagan in London. \
             Earlier Blair said Reagan was right.",
        );
        assert!(
            found.contains(&(EntityKind::Person, "Tony Blair".into())),
            "{found:?}"
        );
        assert!(
            found.contains(&(EntityKind::Person, "Ronald Reagan".into())),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .all(|(_, n)| n != "Blair" && n != "Reagan" && !n.starts_with("Earlier")),
            "{found:?}"
        );
    }

    #[test]
    fn legal_forms_surnames_and_acronyms_link_to_one_name() {
        let owned =
            |range: Range<usize>, kind, name: &str| (range, kind, Cow::Owned(name.to_owned()));
        let mut found: Vec<Found> = vec![
            owned(0..12, EntityKind::Org, "Chrysler Corp"),
            owned(20..28, EntityKind::Org, "Chrysler"),
            owned(30..61, EntityKind::Org, "Organization of American States"),
            owned(63..66, EntityKind::Misc, "OAS"),
            owned(70..80, EntityKind::Person, "Tony Blair"),
            owned(90..95, EntityKind::Org, "Blair"),
            owned(99..107, EntityKind::Org, "Acme Inc"),
        ];
        link(&mut found);
        let names: Vec<(EntityKind, &str)> =
            found.iter().map(|(_, k, n)| (*k, n.as_ref())).collect();
        assert_eq!(
            names,
            [
                (EntityKind::Org, "Chrysler Corporation"),
                (EntityKind::Org, "Chrysler Corporation"),
                (EntityKind::Org, "Organization of American States"),
                (EntityKind::Org, "Organization of American States"),
                (EntityKind::Person, "Tony Blair"),
                (EntityKind::Person, "Tony Blair"),
                (EntityKind::Org, "Acme Inc."),
            ]
        );
    }
}
