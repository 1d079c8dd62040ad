//! A Snowball stemming filter that remembers what it has stemmed.
//!
//! Stemming is the most expensive step of tantivy's text analysis (about
//! 44 % of its indexing CPU, measured in `PERF-NOTES.md`), while word
//! frequencies follow Zipf's law: most tokens are words seen many times
//! before. Each analyzer instance (one per indexing thread; clones start
//! empty) keeps a bounded map from word to stem, so a frequent word is
//! stemmed once per thread. The stems are exactly tantivy's: the same
//! Snowball algorithms (`frostem`), called on a miss.
//!
//! Words of up to 16 bytes (nearly all) are remembered under a key of two
//! integers and their length: a lookup hashes and compares three integers
//! instead of calling `memcmp` on the word (perf, 100 MB: 315 fewer samples
//! in `memcmp`, of about 1,340 for this filter and the tokens it reads).

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Words remembered per analyzer before the memory is cleared and refilled.
const MAX_REMEMBERED: usize = 200_000;

/// The filter: stems lower-cased tokens with one Snowball algorithm.
#[derive(Clone, Copy)]
pub struct CachedStemmer {
    algorithm: frostem::Algorithm,
}

impl CachedStemmer {
    /// A stemmer for the Snowball algorithm called `name` (`english`, …).
    pub fn from_name(name: &str) -> Option<CachedStemmer> {
        frostem::Algorithm::from_name(name)
            .ok()
            .map(|algorithm| CachedStemmer { algorithm })
    }
}

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            stemmer: frostem::Stemmer::new(self.algorithm),
            inner: tokenizer,
            stems: Stems::default(),
        }
    }
}

/// The tokenizer wrapped by [`CachedStemmer`], holding the memory of stems.
pub struct CachedStemmerFilter<T> {
    stemmer: frostem::Stemmer,
    inner: T,
    stems: Stems,
}

impl<T: Clone> Clone for CachedStemmerFilter<T> {
    /// A clone serves another thread: it starts with an empty memory.
    fn clone(&self) -> Self {
        CachedStemmerFilter {
            stemmer: self.stemmer,
            inner: self.inner.clone(),
            stems: Stems::default(),
        }
    }
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.stems.len() > MAX_REMEMBERED {
            self.stems.clear();
        }
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: self.stemmer,
            stems: &mut self.stems,
        }
    }
}

/// The memory of stems: short words by [`ShortWord`], the rest by text.
#[derive(Default)]
struct Stems {
    short: FxHashMap<ShortWord, String>,
    long: FxHashMap<String, String>,
}

impl Stems {
    fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    fn clear(&mut self) {
        self.short.clear();
        self.long.clear();
    }
}

/// A word of up to 16 bytes as two integers and its length. Words of 8 to
/// 16 bytes are their first and last eight bytes (which overlap), 4 to 7
/// their first and last four, shorter ones their bytes: with the length,
/// each key stands for one word.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
struct ShortWord {
    head: u64,
    tail: u64,
    len: u8,
}

impl ShortWord {
    fn of(word: &str) -> Option<ShortWord> {
        let bytes = word.as_bytes();
        let (head, tail) = match bytes.len() {
            0..=3 => (
                bytes.iter().enumerate().fold(0, |key, (index, byte)| {
                    key | u64::from(*byte) << (8 * index)
                }),
                0,
            ),
            4..=7 => (
                u64::from(u32::from_le_bytes(*bytes.first_chunk::<4>()?)),
                u64::from(u32::from_le_bytes(*bytes.last_chunk::<4>()?)),
            ),
            8..=16 => (
                u64::from_le_bytes(*bytes.first_chunk::<8>()?),
                u64::from_le_bytes(*bytes.last_chunk::<8>()?),
            ),
            _ => return None,
        };
        Some(ShortWord {
            head,
            tail,
            len: u8::try_from(bytes.len()).ok()?,
        })
    }
}

/// The token stream of [`CachedStemmerFilter`].
pub struct CachedStemmerStream<'a, T> {
    tail: T,
    stemmer: frostem::Stemmer,
    stems: &'a mut Stems,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let short = ShortWord::of(&token.text);
        let known = match &short {
            Some(key) => self.stems.short.get(key),
            None => self.stems.long.get(token.text.as_str()),
        };
        if let Some(stem) = known {
            token.text.clear();
            token.text.push_str(stem);
        } else {
            let word = std::mem::take(&mut token.text);
            let stem = self.stemmer.stem(&word).into_owned();
            token.text.push_str(&stem);
            match short {
                Some(key) => self.stems.short.insert(key, stem),
                None => self.stems.long.insert(word, stem),
            };
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};

    fn tokens(mut analyzer: TextAnalyzer, text: &str) -> Vec<String> {
        crate::schema::token_texts(&mut analyzer, text)
    }

    #[test]
    fn stems_are_tantivys_stems_hit_or_miss() {
        // Words of every key length, each seen twice (a miss, then a hit).
        let text = "Accusations accused the running runners; accusations ran running a an \
                    nationalities internationalization internationalizations \
                    representatives representatives nationalities a an über naïveté naïveté";
        for (name, language) in [
            ("english", tantivy::tokenizer::Language::English),
            ("spanish", tantivy::tokenizer::Language::Spanish),
        ] {
            let cached = TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(CachedStemmer::from_name(name).expect("known algorithm"))
                .build();
            let plain = TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(Stemmer::new(language))
                .build();
            assert_eq!(tokens(cached, text), tokens(plain, text));
        }
        assert!(CachedStemmer::from_name("klingon").is_none());
    }

    #[test]
    fn each_short_word_has_a_key_of_its_own() {
        let words = [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "abcda",
            "abcdabcd",
            "abcdefgh",
            "abcdefgha",
            "abcdefghabcdefgh",
            "abcdefghbcdefgh",
            "über",
            "uber",
        ];
        let keys: Vec<ShortWord> = words.iter().filter_map(|w| ShortWord::of(w)).collect();
        assert_eq!(keys.len(), words.len());
        for (index, key) in keys.iter().enumerate() {
            assert!(!keys[..index].contains(key), "{}", words[index]);
        }
        assert_eq!(ShortWord::of("abcdefghijklmnopq"), None);
    }
}
