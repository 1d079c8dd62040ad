//! From the user's query string to a tantivy query over the per-language
//! fields, plus the patterns to highlight.
//!
//! tantivy's grammar parses the string (terms, `"phrases"`, `AND`/`OR`/`NOT`,
//! `+`/`-`, `field:value`, `[a TO b]`, `^boost`, `*`); gazette maps the
//! result itself instead of using tantivy's `QueryParser`, because one
//! user-facing field (`text`, `title`) stands for one indexed field per
//! language, and each must see the query analyzed by its own analyzer.

use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query,
    RangeQuery, TermQuery,
};
use tantivy::query_grammar::{self, UserInputAst, UserInputBound, UserInputLeaf, UserInputLiteral};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::entities::EntityCatalog;
use super::filters::DateRange;
use crate::analyze::normalise_code;
use crate::analyze::EntityKind;
use crate::schema::{build_analyzer, Fields, PLAIN};
use crate::{Error, Result};

/// How much a match in the title weighs against one in the passage.
const TITLE_BOOST: f32 = 2.0;

/// The longest query string accepted, in bytes. Every word becomes one
/// query per language field, so a longer string costs memory and time in
/// proportion; no query a person types comes near it.
pub const MAX_QUERY_BYTES: usize = 16 * 1024;

/// How deeply a query may nest groups `( … )` and `NOT`s. The grammar and
/// the query built from it recurse once per level, so an unbounded depth
/// would overflow the stack; real queries nest two or three levels.
pub const MAX_QUERY_DEPTH: usize = 32;

/// The largest weight boosts may give a clause (`word^N`, multiplied
/// through nested groups): far above any useful weight, and far enough
/// below `f32::MAX` that scores stay finite numbers.
pub const MAX_BOOST: f64 = 1_000_000.0;

/// Field names a query can use, for error messages.
const QUERY_FIELDS: &str =
    "title, text, author, lang, source, url, id, published (or date), crawled, person, org, place, entity, country";

/// Something to highlight in passage text: a word or a phrase as the user
/// typed it, analyzed later with each passage's own analyzer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The words.
    pub phrase: String,
    /// Whether the last word is a prefix (`mine*`).
    pub prefix: bool,
    /// Whether the words must be adjacent (a phrase without slop).
    pub adjacent: bool,
}

/// A query ready to run, with what to highlight.
pub struct PlannedQuery {
    /// The tantivy query.
    pub query: Box<dyn Query>,
    /// Words and phrases to highlight in passage text.
    pub patterns: Vec<Pattern>,
}

/// Turns query strings into [`PlannedQuery`]s for one index.
pub struct QueryPlanner<'a> {
    fields: &'a Fields,
    /// The analyzers of the languages present in the index.
    analyzers: Vec<&'static str>,
    /// Whether terms without an operator are all required.
    conjunction: bool,
    /// The index's entities, for `person:…`, `org:…`, `place:…`, `entity:…`.
    entities: Option<&'a EntityCatalog>,
}

impl<'a> QueryPlanner<'a> {
    /// A planner expanding text queries over `analyzers`.
    pub fn new(fields: &'a Fields, analyzers: Vec<&'static str>, conjunction: bool) -> Self {
        QueryPlanner {
            fields,
            analyzers,
            conjunction,
            entities: None,
        }
    }

    /// Lets queries name entities, resolved with `catalog`.
    pub fn with_entities(mut self, catalog: &'a EntityCatalog) -> Self {
        self.entities = Some(catalog);
        self
    }

    /// Parses and maps `text`.
    pub fn plan(&self, text: &str) -> Result<PlannedQuery> {
        if text.trim().is_empty() {
            return Err(Error::Query(
                "the query is empty: give words to search for, or `*` to match every passage"
                    .to_owned(),
            ));
        }
        check_size(text)?;
        let ast = query_grammar::parse_query(text).map_err(|_| syntax_error(text))?;
        check_boosts(&ast, 1.0)?;
        let mut patterns = Vec::new();
        let query = self
            .convert(&ast, false, &mut patterns)?
            .unwrap_or_else(|| Box::new(EmptyQuery));
        Ok(PlannedQuery { query, patterns })
    }

    fn convert(
        &self,
        ast: &UserInputAst,
        negated: bool,
        patterns: &mut Vec<Pattern>,
    ) -> Result<Option<Box<dyn Query>>> {
        match ast {
            UserInputAst::Clause(clauses) => {
                let default = if self.conjunction {
                    Occur::Must
                } else {
                    Occur::Should
                };
                let mut subqueries = Vec::new();
                for (occur, sub) in clauses {
                    let occur = occur.unwrap_or(default);
                    let negated = negated ^ (occur == Occur::MustNot);
                    // Optional words join the clause's union directly, not
                    // as unions of their own: scores are the same sums, and
                    // a flat union of terms is what tantivy's block-WAND
                    // top-k runs on.
                    if let (Occur::Should, UserInputAst::Leaf(leaf)) = (occur, sub) {
                        if let UserInputLeaf::Literal(literal) = leaf.as_ref() {
                            subqueries
                                .extend(self.literal_alternatives(literal, negated, patterns)?);
                            continue;
                        }
                    }
                    if let Some(query) = self.convert(sub, negated, patterns)? {
                        subqueries.push((occur, query));
                    }
                }
                if subqueries.iter().all(|(occur, _)| *occur == Occur::MustNot) {
                    if subqueries.is_empty() {
                        return Ok(None);
                    }
                    subqueries.push((Occur::Must, Box::new(AllQuery)));
                }
                // One clause that is not negated is that clause's query.
                if let [(Occur::Should | Occur::Must, _)] = subqueries.as_slice() {
                    return Ok(subqueries.pop().map(|(_, query)| query));
                }
                Ok(Some(Box::new(BooleanQuery::new(subqueries))))
            }
            UserInputAst::Boost(inner, boost) => {
                Ok(self.convert(inner, negated, patterns)?.map(|query| {
                    Box::new(BoostQuery::new(query, boost.into_inner() as f32)) as Box<dyn Query>
                }))
            }
            UserInputAst::Leaf(leaf) => self.leaf(leaf, negated, patterns),
        }
    }

    fn leaf(
        &self,
        leaf: &UserInputLeaf,
        negated: bool,
        patterns: &mut Vec<Pattern>,
    ) -> Result<Option<Box<dyn Query>>> {
        match leaf {
            UserInputLeaf::All => Ok(Some(Box::new(AllQuery))),
            UserInputLeaf::Literal(literal) => self.literal(literal, negated, patterns),
            UserInputLeaf::Range { field, lower, upper } => {
                let field = field.as_deref().unwrap_or("");
                let date_field = self.date_field(field).ok_or_else(|| {
                    Error::Query(format!(
                        "ranges work on dates only (published:[2019 TO 2021]); `{field}` is not a date field"
                    ))
                })?;
                let lower = match lower {
                    UserInputBound::Unbounded => None,
                    bound => Some(DateRange::parse(bound.term_str()).map_err(Error::Query)?),
                };
                let upper = match upper {
                    UserInputBound::Unbounded => None,
                    bound => Some(DateRange::parse(bound.term_str()).map_err(Error::Query)?),
                };
                let lower_bound = match (lower, lower_is_inclusive(leaf)) {
                    (None, _) => Bound::Unbounded,
                    (Some(range), true) => Bound::Included(range.start),
                    (Some(range), false) => Bound::Included(range.end),
                };
                let upper_bound = match (upper, upper_is_inclusive(leaf)) {
                    (None, _) => Bound::Unbounded,
                    (Some(range), true) => Bound::Excluded(range.end),
                    (Some(range), false) => Bound::Excluded(range.start),
                };
                Ok(Some(date_query(date_field, lower_bound, upper_bound)))
            }
            UserInputLeaf::Set { field, elements } => {
                let mut alternatives = Vec::new();
                for element in elements {
                    let literal = UserInputLiteral {
                        field_name: field.clone(),
                        phrase: element.clone(),
                        delimiter: query_grammar::Delimiter::None,
                        slop: 0,
                        prefix: false,
                    };
                    if let Some(query) = self.literal(&literal, negated, patterns)? {
                        alternatives.push((Occur::Should, query));
                    }
                }
                Ok((!alternatives.is_empty())
                    .then(|| Box::new(BooleanQuery::new(alternatives)) as Box<dyn Query>))
            }
            UserInputLeaf::Exists { field } => Err(Error::Query(format!(
                "`{field}:*` (field exists) is not supported; search a value of the field instead"
            ))),
            UserInputLeaf::Regex { .. } => Err(Error::Query(
                "regular expressions are not supported in queries; use words, \"phrases\" or prefix*"
                    .to_owned(),
            )),
        }
    }

    fn date_field(&self, name: &str) -> Option<Field> {
        match name {
            "published" | "date" => Some(self.fields.published),
            "crawled" => Some(self.fields.crawled),
            _ => None,
        }
    }

    fn literal(
        &self,
        literal: &UserInputLiteral,
        negated: bool,
        patterns: &mut Vec<Pattern>,
    ) -> Result<Option<Box<dyn Query>>> {
        let mut alternatives = self.literal_alternatives(literal, negated, patterns)?;
        Ok(match alternatives.len() {
            0 => None,
            1 => alternatives.pop().map(|(_, query)| query),
            _ => Some(Box::new(BooleanQuery::new(alternatives))),
        })
    }

    /// A literal as alternatives to join by `Should`: one per analyzer and
    /// field (title, text) it may match in, or a keyword field's one query.
    fn literal_alternatives(
        &self,
        literal: &UserInputLiteral,
        negated: bool,
        patterns: &mut Vec<Pattern>,
    ) -> Result<Vec<(Occur, Box<dyn Query>)>> {
        // The grammar reads a trailing `*` as a prefix only after a quoted
        // phrase; `sanction*` means the same to a user.
        let unquoted_prefix = literal.delimiter == query_grammar::Delimiter::None
            && literal.phrase.len() > 1
            && literal.phrase.ends_with('*');
        let normalised;
        let literal = if unquoted_prefix {
            normalised = UserInputLiteral {
                phrase: literal.phrase.trim_end_matches('*').to_owned(),
                prefix: true,
                ..literal.clone()
            };
            &normalised
        } else {
            literal
        };
        let name = literal.field_name.as_deref();
        let (title, text) = match name {
            None => (true, true),
            Some("title") => (true, false),
            Some("text") => (false, true),
            Some(other) => {
                return self
                    .keyword(other, &literal.phrase)
                    .map(|query| vec![(Occur::Should, query)])
            }
        };
        if text && !negated {
            patterns.push(Pattern {
                phrase: literal.phrase.clone(),
                prefix: literal.prefix,
                adjacent: literal.slop == 0,
            });
        }
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for analyzer in &self.analyzers {
            let fields = self.fields.analyzed(analyzer);
            let targets = [(title, fields.title, TITLE_BOOST), (text, fields.text, 1.0)];
            for (wanted, field, boost) in targets {
                if !wanted {
                    continue;
                }
                if let Some(query) = text_query(field, analyzer, literal) {
                    let query: Box<dyn Query> = if boost == 1.0 {
                        query
                    } else {
                        Box::new(BoostQuery::new(query, boost))
                    };
                    alternatives.push((Occur::Should, query));
                }
            }
        }
        Ok(alternatives)
    }

    /// `field:value` on a field that is not full text.
    fn keyword(&self, field_name: &str, value: &str) -> Result<Box<dyn Query>> {
        let exact = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        match field_name {
            "lang" | "language" => {
                let code = normalise_code(value).unwrap_or_else(|| value.to_lowercase());
                Ok(exact(self.fields.lang, &code))
            }
            "source" => Ok(exact(self.fields.source, value)),
            "country" | "countries" => {
                let name = super::filters::country_name(value).map_err(Error::Query)?;
                Ok(exact(self.fields.countries, &name))
            }
            "person" | "org" | "place" | "entity" => {
                let kind = EntityKind::parse(field_name);
                let Some(catalog) = self.entities else {
                    return Ok(Box::new(EmptyQuery));
                };
                let entities = catalog.resolve(kind, value).map_err(|error| match error {
                    Error::Usage(message) => Error::Query(message),
                    other => other,
                })?;
                catalog.article_query(&entities)
            }
            "url" => Ok(exact(self.fields.url, value)),
            "id" | "article_id" => Ok(exact(self.fields.article_id, value)),
            "author" => Ok(text_query(
                self.fields.author,
                PLAIN,
                &UserInputLiteral {
                    field_name: None,
                    phrase: value.to_owned(),
                    delimiter: query_grammar::Delimiter::None,
                    slop: 0,
                    prefix: false,
                },
            )
            .unwrap_or_else(|| Box::new(EmptyQuery))),
            name => match self.date_field(name) {
                Some(field) => {
                    let range = DateRange::parse(value).map_err(Error::Query)?;
                    Ok(date_query(
                        field,
                        Bound::Included(range.start),
                        Bound::Excluded(range.end),
                    ))
                }
                None => Err(Error::Query(format!(
                    "unknown field `{name}` in the query; fields are {QUERY_FIELDS}"
                ))),
            },
        }
    }
}

fn lower_is_inclusive(leaf: &UserInputLeaf) -> bool {
    matches!(
        leaf,
        UserInputLeaf::Range {
            lower: UserInputBound::Inclusive(_),
            ..
        }
    )
}

fn upper_is_inclusive(leaf: &UserInputLeaf) -> bool {
    matches!(
        leaf,
        UserInputLeaf::Range {
            upper: UserInputBound::Inclusive(_),
            ..
        }
    )
}

/// Dates between `lower` and `upper` in `field`; documents without a date
/// never match.
///
/// An open end is the earliest or latest date an index can hold, so
/// `published:[* TO *]` means "has a published date" (tantivy panics on a
/// range open at both ends).
pub(super) fn date_query(
    field: Field,
    lower: Bound<chrono::DateTime<chrono::Utc>>,
    upper: Bound<chrono::DateTime<chrono::Utc>>,
) -> Box<dyn Query> {
    let lower = match lower {
        Bound::Unbounded => Bound::Included(DateRange::EARLIEST),
        bound => bound,
    };
    let upper = match upper {
        Bound::Unbounded => Bound::Included(DateRange::LATEST),
        bound => bound,
    };
    let term = |date| Term::from_field_date(field, DateRange::index_date(date));
    Box::new(RangeQuery::new(lower.map(term), upper.map(term)))
}

/// Refuses boosts that would make scores infinite (`word^99999…`) or
/// that multiply to more than [`MAX_BOOST`] through nested groups.
/// `product` is the boost of the enclosing groups.
fn check_boosts(ast: &UserInputAst, product: f64) -> Result<()> {
    match ast {
        UserInputAst::Clause(clauses) => clauses
            .iter()
            .try_for_each(|(_, clause)| check_boosts(clause, product)),
        UserInputAst::Boost(inner, boost) => {
            let product = product * boost.into_inner();
            if product.is_nan() || product > MAX_BOOST {
                return Err(Error::Query(format!(
                    "boost ^{} is too large: boosts (multiplied through nested groups) \
                     go up to {MAX_BOOST}",
                    boost.into_inner()
                )));
            }
            check_boosts(inner, product)
        }
        UserInputAst::Leaf(_) => Ok(()),
    }
}

/// Refuses a query too long, or nested too deeply, to parse safely.
///
/// Runs before tantivy's grammar, which recurses once per group and per
/// `NOT`. The depth counted here is never below the grammar's: every `(`
/// opens a level (even inside a phrase); a `)` closes one only in a query
/// without phrases, ranges, sets or regexes, where it cannot stand inside
/// one of them; and each `NOT` counts until the word or group it negates.
fn check_size(text: &str) -> Result<()> {
    if text.len() > MAX_QUERY_BYTES {
        return Err(Error::Query(format!(
            "the query is {} bytes long; the limit is {MAX_QUERY_BYTES} bytes: \
             split it into several searches, or move repeated conditions into \
             filters (--lang, --source, --from, --to, --entity)",
            text.len()
        )));
    }
    let closes_safely = !text.contains(['"', '\'', '[', ']', '{', '}', '/', '`']);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    // One entry per open level: the `NOT`s in it still waiting for their operand.
    let mut levels: Vec<usize> = vec![0];
    let mut i = 0;
    while let Some(&(at, c)) = chars.get(i) {
        match c {
            '(' => {
                levels.push(0);
                i += 1;
            }
            ')' => {
                if closes_safely && levels.len() > 1 {
                    levels.pop();
                    // The group was the operand of the `NOT`s before it.
                    if let Some(level) = levels.last_mut() {
                        *level = 0;
                    }
                }
                i += 1;
            }
            c if c.is_whitespace() => i += 1,
            _ => {
                let start = at;
                while let Some(&(_, c)) = chars.get(i) {
                    if c.is_whitespace() || c == '(' || c == ')' {
                        break;
                    }
                    // An escaped character belongs to the word, whatever it is.
                    i += if c == '\\' { 2 } else { 1 };
                }
                let end = chars.get(i).map_or(text.len(), |&(end, _)| end);
                let word = text.get(start..end).unwrap_or_default();
                let bare = word.trim_start_matches(['+', '-']);
                let next = chars
                    .get(i..)
                    .and_then(|rest| rest.iter().find(|(_, c)| !c.is_whitespace()))
                    .map(|&(_, c)| c);
                // A field name (`title:`, `title :`, `title:(…)`) is not yet
                // the operand; `AND`/`OR` are not operands at all.
                let operand = !matches!(bare, "" | "AND" | "OR" | "NOT")
                    && !bare.ends_with(':')
                    && !matches!(next, Some('(' | ':'));
                if let Some(level) = levels.last_mut() {
                    if bare == "NOT" {
                        *level += 1;
                    } else if operand {
                        *level = 0;
                    }
                }
            }
        }
        let depth = levels.len() - 1 + levels.iter().sum::<usize>();
        if depth > MAX_QUERY_DEPTH {
            let column = text.get(..at).map_or(0, |before| before.chars().count());
            return Err(Error::Query(format!(
                "the query nests groups ( … ) and NOT more than {MAX_QUERY_DEPTH} levels deep \
                 (at character {}): simplify it, or split it into several searches",
                column + 1
            )));
        }
    }
    Ok(())
}

/// The query for one literal on one analyzed field: a term, a phrase, or a
/// phrase prefix, or `None` when the literal has no token for this analyzer.
fn text_query(field: Field, analyzer: &str, literal: &UserInputLiteral) -> Option<Box<dyn Query>> {
    let mut tokens = analyze_positions(analyzer, &literal.phrase);
    if literal.prefix {
        // A prefix is matched against indexed stems: stem it only if it is
        // a whole word; a partial word is used folded but unstemmed.
        let last_plain = analyze_positions(PLAIN, &literal.phrase).pop();
        if let (Some(last), Some((position, plain))) = (tokens.last_mut(), last_plain) {
            *last = (position, plain);
        }
    }
    let terms: Vec<(usize, Term)> = tokens
        .into_iter()
        .map(|(position, token)| (position, Term::from_field_text(field, &token)))
        .collect();
    match (terms.len(), literal.prefix) {
        (0, _) => None,
        (_, true) => Some(Box::new(PhrasePrefixQuery::new_with_offset(terms))),
        (1, false) => terms.into_iter().next().map(|(_, term)| {
            Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)) as Box<dyn Query>
        }),
        (_, false) => Some(Box::new(PhraseQuery::new_with_offset_and_slop(
            terms,
            literal.slop,
        ))),
    }
}

/// The tokens of `text` under `analyzer`, with their positions.
pub fn analyze_positions(analyzer: &str, text: &str) -> Vec<(usize, String)> {
    let mut analyzer = build_analyzer(analyzer);
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while stream.advance() {
        let token = stream.token();
        tokens.push((token.position, token.text.clone()));
    }
    tokens
}

fn syntax_error(text: &str) -> Error {
    let (_, errors) = query_grammar::parse_query_lenient(text);
    let detail = match errors.first() {
        Some(error) => {
            let column = text
                .get(..error.pos.min(text.len()))
                .map_or(0, |before| before.chars().count());
            format!(
                "{} at character {}\n  {text}\n  {}^",
                error.message,
                column + 1,
                " ".repeat(column)
            )
        }
        None => format!("cannot parse `{text}`"),
    };
    Error::Query(format!(
        "query syntax error: {detail}\n(quote a phrase with \"…\"; escape special characters with \\)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planner(fields: &Fields) -> QueryPlanner<'_> {
        QueryPlanner::new(fields, vec!["en", "es", PLAIN], false)
    }

    #[test]
    fn syntax_errors_point_at_the_problem() {
        let fields = Fields::new();
        for bad in ["\"unclosed phrase", "(gold AND", "title:"] {
            match planner(&fields).plan(bad) {
                Err(Error::Query(message)) => {
                    assert!(message.contains("syntax error"), "{bad}: {message}")
                }
                Err(other) => panic!("{bad}: unexpected error {other}"),
                Ok(_) => panic!("{bad}: parsed"),
            }
        }
    }

    #[test]
    fn optional_words_make_one_flat_union_of_terms() {
        let fields = Fields::new();
        let is_term = |query: &dyn Query| {
            query.downcast_ref::<TermQuery>().is_some()
                || query.downcast_ref::<BoostQuery>().is_some()
        };
        let planned = planner(&fields).plan("sanctions oil").expect("plans");
        let union = planned
            .query
            .downcast_ref::<BooleanQuery>()
            .expect("a union");
        // Two words, each in the title and text fields of three analyzers.
        assert_eq!(union.clauses().len(), 2 * 2 * 3);
        assert!(union
            .clauses()
            .iter()
            .all(|(occur, clause)| *occur == Occur::Should && is_term(clause.as_ref())));
        assert_eq!(planned.patterns.len(), 2);
        // A required word keeps its own clause.
        let planned = planner(&fields).plan("+sanctions oil").expect("plans");
        let clauses = planned
            .query
            .downcast_ref::<BooleanQuery>()
            .expect("a boolean query")
            .clauses();
        assert_eq!(
            clauses
                .iter()
                .filter(|(occur, _)| *occur == Occur::Must)
                .count(),
            1
        );
    }

    #[test]
    fn unknown_fields_and_regexes_are_refused() {
        let fields = Fields::new();
        let Err(Error::Query(message)) = planner(&fields).plan("colour:red") else {
            panic!("unknown field accepted");
        };
        assert!(message.contains("unknown field `colour`"));
        assert!(planner(&fields).plan("").is_err());
    }

    fn depth_error(query: &str) -> bool {
        matches!(check_size(query), Err(Error::Query(message)) if message.contains("levels deep"))
    }

    // See: issue 22
    #[test]
    fn issue_22_nesting_is_bounded_before_parsing() {
        let limit = MAX_QUERY_DEPTH;
        let nested = |n: usize| format!("{}x{}", "(".repeat(n), ")".repeat(n));
        let nots = |n: usize| format!("{}x", "NOT ".repeat(n));
        let both = |n: usize| format!("{}x{}", "NOT (".repeat(n), ")".repeat(n));
        let fields = |n: usize| format!("{}x{}", "-NOT title : (".repeat(n), ")".repeat(n));
        for query in [
            nested(limit),
            nots(limit),
            both(limit / 2),
            fields(limit / 2),
        ] {
            assert!(check_size(&query).is_ok(), "{query}");
            planner(&Fields::new()).plan(&query).expect("plans");
        }
        for query in [
            nested(limit + 1),
            nots(limit + 1),
            both(limit / 2 + 1),
            fields(limit / 2 + 1),
            // Inside a query with phrases, a `)` is not trusted to close.
            format!("\"a\" {}", "(x) ".repeat(limit + 1)),
            // Escaped parentheses are words, but an unescaped one counts.
            format!("\\( {}", nested(limit + 1)),
        ] {
            assert!(depth_error(&query), "{query}");
        }
        // Groups and negations side by side do not add up.
        let side_by_side = "NOT (a OR b) ".repeat(limit * 4);
        assert!(check_size(&side_by_side).is_ok());
        assert!(check_size(&"NOT a ".repeat(limit * 4)).is_ok());
        assert!(check_size(&"\\(".repeat(limit * 4)).is_ok());
    }

    // See: issue 22
    #[test]
    fn issue_22_long_queries_are_refused() {
        let fields = Fields::new();
        let at_limit = "ab ".repeat(MAX_QUERY_BYTES / 3);
        assert!(planner(&fields).plan(&at_limit).is_ok());
        let Err(Error::Query(message)) = planner(&fields).plan(&"ab ".repeat(MAX_QUERY_BYTES))
        else {
            panic!("a long query was accepted");
        };
        assert!(message.contains("the limit is 16384 bytes"), "{message}");
    }

    // See: issue 22
    #[test]
    fn issue_22_boosts_keep_scores_finite() {
        let fields = Fields::new();
        let huge = format!("gold^{}", "9".repeat(400));
        let nested = format!("{}gold{}", "(".repeat(4), ")^100".repeat(4));
        for query in [huge.as_str(), "gold^1000001", nested.as_str()] {
            let Err(Error::Query(message)) = planner(&fields).plan(query) else {
                panic!("{query}: boost accepted");
            };
            assert!(message.contains("go up to 1000000"), "{message}");
        }
        for query in ["gold^1000000", "(gold^10 mining)^1000", "gold^0"] {
            planner(&fields).plan(query).expect(query);
        }
    }

    // See: issue 22
    #[test]
    fn issue_22_ranges_open_at_both_ends_plan() {
        let fields = Fields::new();
        for query in [
            "published:[* TO *]",
            "crawled:{* TO *}",
            "date:[* TO 2020]",
            "published:[1000 TO 9999]",
        ] {
            let planned = planner(&fields).plan(query).expect(query);
            assert!(
                planned.query.downcast_ref::<RangeQuery>().is_some(),
                "{query}"
            );
        }
    }

    #[test]
    fn patterns_exclude_negated_and_title_only_literals() {
        let fields = Fields::new();
        let planned = planner(&fields)
            .plan("\"gold mining\" -mercury title:venezuela sanction*")
            .expect("plans");
        let phrases: Vec<_> = planned
            .patterns
            .iter()
            .map(|p| (p.phrase.as_str(), p.prefix))
            .collect();
        assert_eq!(phrases, vec![("gold mining", false), ("sanction", true)]);
    }
}
