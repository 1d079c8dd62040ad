//! Countries: the set of countries an article is about.
//!
//! A separate step after entity recognition: it takes the recognised
//! entities and the text, whichever recogniser found them. Evidence, in
//! two tiers:
//!
//! 1. *Named*: a place entity that is a country, or a city or first-level
//!    region of one (`schema/authority/places-in-countries.tsv`, from
//!    GeoNames and ISO 3166-2); a country's name or alias, or an adjectival
//!    or demonym form ("West German", "Dutch", "venezolanos",
//!    `schema/authority/demonyms.tsv`) anywhere in the text, inside
//!    organisation names too ("U.S. Agriculture Department"); and the
//!    dateline ("BEVERLY HILLS, Calif., March 3 -").
//! 2. *Weak*, only when the first tier finds nothing: the legal forms of
//!    the companies named ("Chrysler Corp") and the currency the article
//!    counts in (`schema/authority/country-cues.tsv`).
//!
//! Historical countries are countries of their own (`Soviet Union`, `West
//! Germany`), and forms with a validity period ("German" is West German in
//! an article of 1987) apply by the article's date.

use std::sync::OnceLock;

use chrono::NaiveDate;
use rustc_hash::{FxHashMap, FxHashSet};

use super::entities::{
    fold, fold_char, is_word_char, parse_authority, Authority, AuthorityEntry, AuthorityMatcher,
    Entity, EntityKind, OnDate, Period,
};

const COUNTRIES: &str = include_str!("../../schema/authority/countries.tsv");
const HISTORICAL: &str = include_str!("../../schema/authority/historical-countries.tsv");
const HIERARCHY: &str = include_str!("../../schema/authority/places-in-countries.tsv");
const REGIONS: &str = include_str!("../../schema/authority/regions.tsv");
const DEMONYMS: &str = include_str!("../../schema/authority/demonyms.tsv");
const CUES: &str = include_str!("../../schema/authority/country-cues.tsv");
const SUCCESSIONS: &str = include_str!("../../schema/authority/country-successions.tsv");

/// The country column of a demonym that stands for no country ("Latin
/// American" keeps "American" from counting).
const NO_COUNTRY: &str = "-";

/// A dateline is at the start of the text: its place ends within this many bytes.
const DATELINE_BYTES: usize = 120;

/// Months as datelines write them, English and Spanish, folded: a dateline
/// part starting with one is its date, not its place.
const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "ene",
    "abr", "ago", "dic",
];

/// The tables the step looks things up in, built once per process.
pub struct CountryTables {
    /// Country names and aliases, and demonyms with their inflections, to
    /// find in text: whole words, longest match, acronyms as written.
    words: AuthorityMatcher,
    /// Canonical country names.
    names: Vec<String>,
    /// A country's canonical name or alias (folded) → index in `names`.
    countries: FxHashMap<String, u16>,
    /// A city's or region's name (folded) → index of its country.
    places: FxHashMap<String, u16>,
    /// Legal forms, as written → country.
    legal: FxHashMap<String, u16>,
    /// Currency names (folded) → country.
    currencies: FxHashMap<String, u16>,
    /// Per entity of `words`, its country (none for forms of no country).
    word_countries: Vec<Option<u16>>,
    /// The first three bytes (folded) of the forms a lower-case word may
    /// start: a lower-case word starting otherwise is not tried.
    lower_case_prefixes: LowerCasePrefixes,
    /// A country → its predecessors, each for a period.
    predecessors: FxHashMap<u16, Vec<(Period, u16)>>,
}

/// One piece of evidence: where in the text, which country, and whether
/// the text names the country itself (a name or alias: kept as named) or
/// only something of it (a city, a demonym, a legal form: the country of
/// the article's time).
#[derive(Debug, Clone, Copy)]
struct Evidence {
    at: usize,
    country: u16,
    named: bool,
}

impl std::fmt::Debug for CountryTables {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CountryTables")
            .field("countries", &self.names.len())
            .field("places", &self.places.len())
            .finish_non_exhaustive()
    }
}

/// The countries of an article: canonical names, in order of first
/// evidence. `day` is its published date, `lang` its language code.
pub fn countries(
    entities: &[Entity],
    text: &str,
    day: Option<NaiveDate>,
    lang: &str,
) -> Vec<String> {
    CountryTables::builtin().countries(entities, text, day, lang)
}

/// Whether the forms written in lower case (the Spanish demonyms) are
/// looked for in text of language `lang`: in Spanish, and where the
/// language is not known.
fn lower_case_forms(lang: &str) -> bool {
    matches!(lang, "es" | super::UNDETERMINED | "")
}

/// The canonical name of the country `name` is a name or alias of
/// (accents and case ignored), historical countries included.
pub fn canonical_country(name: &str) -> Option<&'static str> {
    let tables = CountryTables::builtin();
    tables
        .countries
        .get(&fold(name.trim()))
        .and_then(|index| tables.name(*index))
}

impl CountryTables {
    /// The tables of the shipped files.
    pub fn builtin() -> &'static CountryTables {
        static TABLES: OnceLock<CountryTables> = OnceLock::new();
        TABLES.get_or_init(|| {
            CountryTables::new(
                &[COUNTRIES, HISTORICAL],
                HIERARCHY,
                DEMONYMS,
                CUES,
                SUCCESSIONS,
            )
        })
    }

    /// Tables from the text of the files: countries (authority format),
    /// the place hierarchy, demonyms and weak cues. The shipped files are
    /// ours and a unit test keeps them well-formed; a malformed line of
    /// one is passed over.
    fn new(
        country_files: &[&str],
        hierarchy: &str,
        demonyms: &str,
        cues: &str,
        successions: &str,
    ) -> CountryTables {
        let mut tables = CountryTables {
            words: AuthorityMatcher::new(&Authority::default()),
            names: Vec::new(),
            countries: FxHashMap::default(),
            places: FxHashMap::default(),
            legal: FxHashMap::default(),
            currencies: FxHashMap::default(),
            word_countries: Vec::new(),
            lower_case_prefixes: LowerCasePrefixes::default(),
            predecessors: FxHashMap::default(),
        };
        let mut authority = Authority::default();
        let mut entries: Vec<AuthorityEntry> = Vec::new();
        for file in country_files {
            for entry in parse_authority(file).unwrap_or_default() {
                let index = tables.country(&entry.name);
                for alias in std::iter::once(&entry.name).chain(&entry.aliases) {
                    tables.countries.insert(fold(alias), index);
                }
                entries.push(entry);
            }
        }
        // Regions hold countries' names ("Latin America"): matched as no
        // country, they keep the name inside from counting.
        for entry in parse_authority(REGIONS).unwrap_or_default() {
            entries.push(AuthorityEntry {
                kind: EntityKind::Misc,
                name: NO_COUNTRY.to_owned(),
                aliases: std::iter::once(entry.name).chain(entry.aliases).collect(),
                dated: Vec::new(),
            });
        }
        for (country, forms) in table_lines(demonyms) {
            let mut entry = AuthorityEntry {
                kind: EntityKind::Misc,
                name: country.to_owned(),
                aliases: Vec::new(),
                dated: Vec::new(),
            };
            if country != NO_COUNTRY {
                tables.country(country);
            }
            for form in forms {
                let Ok((form, period)) = Period::split(form) else {
                    continue;
                };
                for inflected in inflections(form) {
                    match period {
                        Some(period) => entry.dated.push((inflected, period)),
                        None => entry.aliases.push(inflected),
                    }
                }
            }
            entries.push(entry);
        }
        for entry in entries {
            let mut text = format!("{}\t{}", entry.kind.as_str(), entry.name);
            for alias in &entry.aliases {
                text.push('\t');
                text.push_str(alias);
            }
            for (alias, period) in &entry.dated {
                text.push_str(&format!(
                    "\t{alias} [{}..{}]",
                    day_text(period.from),
                    day_text(period.to)
                ));
            }
            let _ = authority.add(&text);
        }
        tables.words = AuthorityMatcher::new(&authority);
        tables.lower_case_prefixes = LowerCasePrefixes::new(
            tables
                .words
                .first_words()
                .iter()
                .filter(|(_, lower_case)| *lower_case)
                .map(|(word, _)| word.as_str()),
        );
        let mut id = 0;
        while let Some((_, name)) = tables.words.entity(id) {
            let country = (name != NO_COUNTRY)
                .then(|| tables.names.iter().position(|known| known == name))
                .flatten()
                .map(|index| index as u16);
            tables.word_countries.push(country);
            id += 1;
        }
        for (country, places) in table_lines(hierarchy) {
            let index = tables.country(country);
            for place in places {
                tables.places.insert(fold(place), index);
            }
        }
        for line in cues.lines().filter(|line| !line.starts_with('#')) {
            let mut columns = line.split('\t').map(str::trim);
            let (Some(kind), Some(country)) = (columns.next(), columns.next()) else {
                continue;
            };
            let index = tables.country(country);
            for form in columns.filter(|form| !form.is_empty()) {
                match kind {
                    "legal" => tables.legal.insert(form.to_owned(), index),
                    "currency" => tables.currencies.insert(fold(form), index),
                    _ => None,
                };
            }
        }
        for (predecessor, columns) in table_lines(successions) {
            let Some((period, successors)) = columns.split_first() else {
                continue;
            };
            let Ok((_, Some(period))) = Period::split(&format!("x {period}")) else {
                continue;
            };
            let predecessor = tables.country(predecessor);
            for successor in successors {
                let successor = tables.country(successor);
                tables
                    .predecessors
                    .entry(successor)
                    .or_default()
                    .push((period, predecessor));
            }
        }
        tables
    }

    /// The index of country `name`, added if new.
    fn country(&mut self, name: &str) -> u16 {
        match self.names.iter().position(|known| known == name) {
            Some(index) => index as u16,
            None => {
                self.names.push(name.to_owned());
                (self.names.len() - 1) as u16
            }
        }
    }

    fn name(&self, index: u16) -> Option<&str> {
        self.names.get(usize::from(index)).map(String::as_str)
    }

    /// The country a place's name stands for: the country itself, or the
    /// country of a city or region.
    fn country_of_place(&self, name: &str) -> Option<(u16, bool)> {
        let folded = fold(name.trim());
        match self.countries.get(&folded) {
            Some(country) => Some((*country, true)),
            None => self.places.get(&folded).map(|country| (*country, false)),
        }
    }

    /// The countries of an article: canonical names, in order of first
    /// evidence (the dateline first).
    pub fn countries(
        &self,
        entities: &[Entity],
        text: &str,
        day: Option<NaiveDate>,
        lang: &str,
    ) -> Vec<String> {
        let mut found: Vec<Evidence> = Vec::new();
        if let Some((country, named)) = self.dateline_country(text) {
            found.push(Evidence {
                at: 0,
                country,
                named,
            });
        }
        for entity in entities
            .iter()
            .filter(|entity| entity.kind == EntityKind::Place)
        {
            if let Some((country, named)) = self.country_of_place(&entity.name) {
                let at = entity.mentions.first().map_or(0, |range| range.start);
                found.push(Evidence { at, country, named });
            }
        }
        found.extend(self.named_in_text(text, day, lower_case_forms(lang)));
        if found.is_empty() {
            found.extend(self.weak_cues(text));
        }
        found.sort_by_key(|evidence| evidence.at);
        let mut seen = FxHashSet::default();
        found
            .into_iter()
            .map(|evidence| self.of_the_time(evidence, day))
            .filter(|country| seen.insert(*country))
            .filter_map(|country| self.name(country).map(str::to_owned))
            .collect()
    }

    /// The country evidence stands for in an article of `day`: a named
    /// country as named, another the predecessor of its country then.
    fn of_the_time(&self, evidence: Evidence, day: Option<NaiveDate>) -> u16 {
        let (false, Some(day)) = (evidence.named, day) else {
            return evidence.country;
        };
        self.predecessors
            .get(&evidence.country)
            .and_then(|list| list.iter().find(|(period, _)| period.contains(day)))
            .map_or(evidence.country, |(_, predecessor)| *predecessor)
    }

    /// Country names, aliases and demonyms in `text`, as (offset, country).
    fn named_in_text(
        &self,
        text: &str,
        day: Option<NaiveDate>,
        lower_case_forms: bool,
    ) -> Vec<Evidence> {
        // Forms written in lower case (Spanish demonyms) are the only ones
        // a lower-case word can start: elsewhere only capitals are tried.
        let starts = word_starts(text, lower_case_forms.then_some(&self.lower_case_prefixes));
        if starts.is_empty() {
            return Vec::new();
        }
        let folded = fold(text);
        let mut found = Vec::new();
        for m in self.words.find_at(text, &folded, starts) {
            let written = text.get(m.range.clone()).unwrap_or_default();
            let id = match self.words.on_date(written, day) {
                Some(OnDate::Entity(id)) => id,
                Some(OnDate::AsWritten) => continue,
                None => m.entity,
            };
            if let Some(country) = self.word_countries.get(id).copied().flatten() {
                found.push(Evidence {
                    at: m.range.start,
                    country,
                    named: self.countries.contains_key(&fold(written)),
                });
            }
        }
        found
    }

    /// The country of the dateline's place, if the text starts with one:
    /// `TOKYO, March 3 -`, `BEVERLY HILLS, Calif., March 3 -`, `EL CALLAO,
    /// Venezuela —`, `Caracas, 3 mar (EFE).-`. The most specific part that
    /// names a country, a region or a city decides, the last first.
    fn dateline_country(&self, text: &str) -> Option<(u16, bool)> {
        // Only the start of the first line is looked at: a text that is
        // one long line costs no more than a short one.
        let mut cut = text.len().min(DATELINE_BYTES + 8);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let head = text.get(..cut)?.lines().next()?;
        let end = [" - ", " -- ", " — ", " – ", "—", " (", "("]
            .iter()
            .filter_map(|separator| head.find(separator))
            .min()
            .filter(|end| *end <= DATELINE_BYTES)?;
        let head = head.get(..end)?;
        let mut parts: Vec<&str> = Vec::new();
        for part in head.split(',').map(str::trim) {
            let first_word = fold(part.split_whitespace().next().unwrap_or_default());
            let is_date = part.chars().next().is_some_and(|c| c.is_ascii_digit())
                || MONTHS.iter().any(|month| first_word.starts_with(month));
            if part.is_empty() || is_date {
                break;
            }
            parts.push(part);
        }
        // A place starts with a capital and is a few words; a sentence
        // with a dash in it is not a dateline.
        let place = parts.first()?;
        if !place.chars().next().is_some_and(char::is_uppercase)
            || place.split_whitespace().count() > 4
            || parts.len() > 3
        {
            return None;
        }
        parts
            .iter()
            .rev()
            .find_map(|part| self.country_of_place(part))
    }

    /// Legal forms after a capitalised word, and currency names, as
    /// (offset, country).
    fn weak_cues(&self, text: &str) -> Vec<Evidence> {
        let mut found = Vec::new();
        let mut previous_capitalised = false;
        for (offset, word) in words(text) {
            let bare = word.trim_end_matches('.');
            let legal = [word, bare]
                .iter()
                .find_map(|form| self.legal.get(*form))
                .filter(|_| previous_capitalised);
            if let Some(country) = legal.or_else(|| self.currencies.get(&fold(bare))) {
                found.push(Evidence {
                    at: offset,
                    country: *country,
                    named: false,
                });
            }
            previous_capitalised =
                word.chars().next().is_some_and(char::is_uppercase) || word == "&";
        }
        found
    }
}

/// Lower-case words shorter than this many bytes are never a form written
/// in lower case (the shortest Spanish demonym, `ruso`, has four letters),
/// and are most of a Spanish text's words (`de`, `la`, `que`): not tried.
const MIN_LOWER_CASE_FORM_BYTES: usize = 4;

/// The first three letters (folded, `a` to `z`) of the forms a lower-case
/// word may start, as a set of bits: a lower-case word starting otherwise
/// is not tried.
#[derive(Debug, Clone, Default)]
struct LowerCasePrefixes {
    bits: Vec<u64>,
}

impl LowerCasePrefixes {
    /// The bit of three ASCII lower-case letters, none for anything else.
    fn bit(prefix: [u8; 3]) -> Option<usize> {
        let letter = |byte: u8| byte.is_ascii_lowercase().then(|| usize::from(byte - b'a'));
        Some((letter(prefix[0])? * 26 + letter(prefix[1])?) * 26 + letter(prefix[2])?)
    }

    fn new<'a>(words: impl Iterator<Item = &'a str>) -> LowerCasePrefixes {
        let mut bits = vec![0u64; 26 * 26 * 26 / 64 + 1];
        for word in words {
            let bit = word
                .as_bytes()
                .first_chunk::<3>()
                .and_then(|p| Self::bit(*p));
            if let Some(slot) = bit.and_then(|bit| bits.get_mut(bit / 64).map(|w| (w, bit))) {
                *slot.0 |= 1 << (slot.1 % 64);
            }
        }
        LowerCasePrefixes { bits }
    }

    /// Whether a word starting with `prefix` (as written) may start a form:
    /// a prefix of letters not all ASCII may.
    fn may_start(&self, prefix: [u8; 3]) -> bool {
        match Self::bit(prefix.map(|byte| byte.to_ascii_lowercase())) {
            Some(bit) => self
                .bits
                .get(bit / 64)
                .is_some_and(|word| word & (1 << (bit % 64)) != 0),
            None => !prefix.is_ascii(),
        }
    }
}

/// Where the words of `text` that may start a form start, and where they
/// start in the text folded (see [`fold`]): words starting with a capital
/// letter, and with `lower_case` lower-case words of
/// [`MIN_LOWER_CASE_FORM_BYTES`] or more whose first letters may start a
/// form. One pass over the bytes; only characters that are not ASCII are
/// decoded, for their folded size.
fn word_starts(text: &str, lower_case: Option<&LowerCasePrefixes>) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut starts = Vec::with_capacity(text.len() / 40);
    // How much longer the folded text is than the text so far.
    let mut growth: isize = 0;
    let mut previous_word_char = false;
    // A lower-case word being walked: its start and folded start.
    let mut pending: Option<(usize, usize)> = None;
    for (at, &byte) in bytes.iter().enumerate() {
        let (word_char, upper) = if byte.is_ascii() {
            (byte.is_ascii_alphanumeric(), byte.is_ascii_uppercase())
        } else if byte >= 0xC0 {
            let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
                continue;
            };
            let size = |c: char| c.len_utf8() as isize;
            let word_char = is_word_char(c);
            let upper = c.is_uppercase();
            let folded_at = at.saturating_add_signed(growth);
            growth += size(fold_char(c)) - size(c);
            if word_char && !previous_word_char {
                if upper {
                    starts.push((at, folded_at));
                } else if lower_case.is_some() {
                    pending = Some((at, folded_at));
                }
            } else if !word_char {
                end_lower_case_word(&mut pending, at, bytes, lower_case, &mut starts);
            }
            previous_word_char = word_char;
            continue;
        } else {
            // Inside a character already decoded.
            continue;
        };
        if word_char && !previous_word_char {
            let folded_at = at.saturating_add_signed(growth);
            if upper {
                starts.push((at, folded_at));
            } else if lower_case.is_some() {
                pending = Some((at, folded_at));
            }
        } else if !word_char && previous_word_char {
            end_lower_case_word(&mut pending, at, bytes, lower_case, &mut starts);
        }
        previous_word_char = word_char;
    }
    end_lower_case_word(&mut pending, bytes.len(), bytes, lower_case, &mut starts);
    starts
}

/// Ends the lower-case word `pending` at `end`: its start is kept if it is
/// long enough and starts as a form may.
fn end_lower_case_word(
    pending: &mut Option<(usize, usize)>,
    end: usize,
    bytes: &[u8],
    lower_case: Option<&LowerCasePrefixes>,
    starts: &mut Vec<(usize, usize)>,
) {
    let (Some((start, folded_start)), Some(prefixes)) = (pending.take(), lower_case) else {
        return;
    };
    let prefix = bytes.get(start..).and_then(<[u8]>::first_chunk::<3>);
    if end - start >= MIN_LOWER_CASE_FORM_BYTES && prefix.is_some_and(|p| prefixes.may_start(*p)) {
        starts.push((start, folded_start));
    }
}

/// The words of `text` with their offsets: runs of letters, digits, `.`,
/// `&` and `$`, without a trailing comma or other punctuation.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '(' | ')' | '"'))
        .filter(|word| !word.is_empty())
        .map(move |word| {
            let offset = word.as_ptr() as usize - text.as_ptr() as usize;
            (offset, word)
        })
}

/// The lines of a `KEY<TAB>VALUE<TAB>VALUE...` file, comments and blank lines left out.
fn table_lines(text: &str) -> impl Iterator<Item = (&str, Vec<&str>)> {
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let mut columns = line.split('\t').map(str::trim);
            let key = columns.next().filter(|key| !key.is_empty())?;
            Some((key, columns.filter(|value| !value.is_empty()).collect()))
        })
}

/// A form and its plurals (and, for a Spanish form written in lower case,
/// its feminine forms): `Venezuelan`, `Venezuelans`; `venezolano`,
/// `venezolana`, `venezolanos`, `venezolanas`; `francés`, `francesa`,
/// `franceses`.
fn inflections(form: &str) -> Vec<String> {
    let mut forms = vec![form.to_owned()];
    let lower = form.chars().next().is_some_and(char::is_lowercase);
    if !lower {
        if !form.ends_with('s') && !form.ends_with("ese") && !form.ends_with("ish") {
            forms.push(format!("{form}s"));
        }
        return forms;
    }
    let folded = fold(form);
    if let Some(stem) = form.strip_suffix('o') {
        forms.extend(["a", "os", "as"].map(|ending| format!("{stem}{ending}")));
    } else if folded.ends_with('e') || folded.ends_with('a') {
        forms.push(format!("{form}s"));
    } else if folded.ends_with('i') || folded.ends_with('u') {
        forms.extend(["es", "s"].map(|ending| format!("{folded}{ending}")));
    } else {
        // `francés`, `alemán`, `español`: the accent goes with the ending.
        forms.extend(["a", "es", "as"].map(|ending| format!("{folded}{ending}")));
    }
    forms
}

fn day_text(day: Option<NaiveDate>) -> String {
    day.map(|day| day.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::{EntityRecogniser, UNDETERMINED};

    fn of(text: &str, day: Option<&str>) -> Vec<String> {
        let day = day.and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok());
        let recogniser = EntityRecogniser::builtin();
        let entities = recogniser.on_date(text, recogniser.recognise(text, "en"), day);
        countries(&entities, text, day, UNDETERMINED)
    }

    // See: issue 17
    #[test]
    fn issue_17_countries_come_from_the_place_hierarchy() {
        let found = of(
            "Officials met in Tokyo and later in Texas and Bavaria.",
            None,
        );
        assert!(found.contains(&"Japan".to_owned()), "{found:?}");
        assert!(found.contains(&"United States".to_owned()), "{found:?}");
        // A country named is itself; a region is not a country.
        let found = of("Trade with Peru grew across Latin America.", None);
        assert_eq!(found, ["Peru"]);
    }

    // See: issue 17
    #[test]
    fn issue_17_countries_come_from_demonyms_in_english_and_spanish() {
        let found = of(
            "West German and Dutch banks lent to Soviet and Yugoslavian firms.",
            None,
        );
        for country in ["West Germany", "Netherlands", "Soviet Union", "Yugoslavia"] {
            assert!(found.contains(&country.to_owned()), "{country}: {found:?}");
        }
        assert!(!found.contains(&"Germany".to_owned()), "{found:?}");
        let found = of(
            "Los venezolanos y las autoridades colombianas hablaron.",
            None,
        );
        assert_eq!(found, ["Venezuela", "Colombia"]);
        // A form of a region is not a country's, and lower case English is
        // not a demonym.
        assert!(of("Latin American leaders met; polish the shoes.", None).is_empty());
        // Lower-case forms are Spanish: looked for in Spanish text and text
        // of unknown language, not in English.
        let text = "Los venezolanos votaron.";
        let tables = CountryTables::builtin();
        assert_eq!(tables.countries(&[], text, None, "es"), ["Venezuela"]);
        assert!(tables.countries(&[], text, None, "en").is_empty());
        assert_eq!(
            tables.countries(&[], "Venezuelans voted.", None, "en"),
            ["Venezuela"]
        );
    }

    // See: issue 17
    #[test]
    fn issue_17_countries_come_from_datelines() {
        let found = of(
            "BEVERLY HILLS, Calif., March 3 - The company said sales rose.",
            None,
        );
        assert_eq!(found, ["United States"]);
        assert_eq!(of("TOKYO, March 3 - Output fell.", None), ["Japan"]);
        assert_eq!(
            of("Caracas, 3 mar (EFE).- El ministro habló.", None),
            ["Venezuela"]
        );
        // Not a dateline: a sentence with a dash.
        assert!(of("Prices rose sharply - but then fell.", None).is_empty());
        // A text of one long line: only its start is read for a dateline.
        let long = format!("TOKYO, March 3 - {}", "word ".repeat(100_000));
        assert_eq!(of(&long, None), ["Japan"]);
        assert!(of(&"x".repeat(200_001), None).is_empty());
    }

    // See: issue 17
    #[test]
    fn issue_17_historical_countries_and_forms_apply_by_date() {
        let text = "German exports rose, the ministry in Bonn said.";
        assert!(of(text, Some("1987-03-03")).contains(&"West Germany".to_owned()));
        assert!(!of(text, Some("2004-03-03")).contains(&"West Germany".to_owned()));
        assert!(of(text, Some("2004-03-03")).contains(&"Germany".to_owned()));
        assert_eq!(
            of("Rangoon is the capital of Burma.", Some("1987-01-01"))[..1],
            ["Burma"]
        );
        assert!(of("Aid reached Burma.", Some("2004-01-01")).contains(&"Myanmar".to_owned()));
        assert_eq!(of("The USSR and the Soviet Union.", None), ["Soviet Union"]);
        // A city gives the country of the article's time; a country named
        // stays as named.
        let text = "MOSCOW, March 3 - Ukrainian grain output fell.";
        assert_eq!(of(text, Some("1987-03-03")), ["Soviet Union"]);
        assert_eq!(of(text, Some("2004-03-03")), ["Russia", "Ukraine"]);
        assert_eq!(of(text, None), ["Russia", "Ukraine"]);
        assert_eq!(
            of("Russia and Ukraine signed.", Some("1987-03-03")),
            ["Russia", "Ukraine"]
        );
    }

    // See: issue 17
    #[test]
    fn issue_17_weak_cues_count_only_when_nothing_names_a_country() {
        assert_eq!(
            of("Acme Widgets Inc said profit rose to 5 mln dlrs.", None),
            ["United States"]
        );
        assert_eq!(
            of("Acme Widgets Inc said profit in Japan rose.", None),
            ["Japan"]
        );
        assert!(of("The inc and corp of it.", None).is_empty());
    }

    #[test]
    fn word_starts_follow_the_folded_text() {
        let text = "Ærø, São Paulo y los ñandúes";
        let folded = fold(text);
        let all = LowerCasePrefixes::new(["sao", "pau", "los", "nan"].into_iter());
        for (start, folded_start) in word_starts(text, Some(&all)) {
            let word = text.get(start..).and_then(|rest| rest.chars().next());
            let folded_word = folded
                .get(folded_start..)
                .and_then(|rest| rest.chars().next());
            assert_eq!(word.map(fold_char), folded_word, "{start}");
        }
        // `y` and `los` are too short to be a lower-case form; `ñandúes`
        // starts with a letter that is not ASCII.
        assert_eq!(word_starts(text, Some(&all)).len(), 4);
        assert_eq!(word_starts(text, None), [(0, 0), (7, 6), (12, 10)]);
        assert_eq!(word_starts("In the US.", None), [(0, 0), (7, 7)]);
        let tables = CountryTables::builtin();
        let prefixes = Some(&tables.lower_case_prefixes);
        assert_eq!(
            word_starts("In the rusos US", prefixes),
            [(0, 0), (7, 7), (13, 13)]
        );
        // `cuatro` starts no form; `cubanos` does.
        assert_eq!(word_starts("los cuatro cubanos", prefixes), [(11, 11)]);
    }

    #[test]
    fn inflections_cover_plurals_and_spanish_genders() {
        assert_eq!(inflections("Venezuelan"), ["Venezuelan", "Venezuelans"]);
        assert_eq!(
            inflections("venezolano"),
            ["venezolano", "venezolana", "venezolanos", "venezolanas"]
        );
        assert_eq!(
            inflections("francés"),
            ["francés", "francesa", "franceses", "francesas"]
        );
        assert_eq!(inflections("iraquí"), ["iraquí", "iraquies", "iraquis"]);
    }

    #[test]
    fn the_shipped_tables_are_well_formed() {
        for (name, text) in [
            ("countries.tsv", COUNTRIES),
            ("historical-countries.tsv", HISTORICAL),
        ] {
            if let Err(error) = parse_authority(text) {
                panic!("{name} {error}");
            }
        }
        let tables = CountryTables::builtin();
        let known: Vec<String> = parse_authority(COUNTRIES)
            .into_iter()
            .chain(parse_authority(HISTORICAL))
            .flatten()
            .map(|entry| entry.name)
            .collect();
        // Every country the other files name is a country of the authority.
        for name in &tables.names {
            assert!(known.contains(name), "{name} is not in countries.tsv");
        }
        for (_, forms) in table_lines(DEMONYMS) {
            for form in forms {
                assert!(Period::split(form).is_ok(), "{form}");
            }
        }
        assert!(tables.places.len() > 10_000, "{tables:?}");
    }
}
