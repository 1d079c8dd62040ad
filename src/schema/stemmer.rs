//! A Snowball stemming filter that remembers what it has stemmed.
//!
//! Stemming is the most expensive step of tantivy's text analysis (about
//! 44 % of its indexing CPU, measured in `PERF-NOTES.md`), while word
//! frequencies follow Zipf's law: most tokens are words seen many times
//! before. Each analyzer instance (one per indexing thread; clones start
//! empty) keeps a bounded map from word to stem, so a frequent word is
//! stemmed once per thread. The stems are exactly tantivy's: the same
//! Snowball algorithms (`frostem`), called on a miss.

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
            stems: FxHashMap::default(),
        }
    }
}

/// The tokenizer wrapped by [`CachedStemmer`], holding the memory of stems.
pub struct CachedStemmerFilter<T> {
    stemmer: frostem::Stemmer,
    inner: T,
    stems: FxHashMap<String, String>,
}

impl<T: Clone> Clone for CachedStemmerFilter<T> {
    /// A clone serves another thread: it starts with an empty memory.
    fn clone(&self) -> Self {
        CachedStemmerFilter {
            stemmer: self.stemmer,
            inner: self.inner.clone(),
            stems: FxHashMap::default(),
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

/// The token stream of [`CachedStemmerFilter`].
pub struct CachedStemmerStream<'a, T> {
    tail: T,
    stemmer: frostem::Stemmer,
    stems: &'a mut FxHashMap<String, String>,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.stems.get(token.text.as_str()) {
            token.text.clear();
            token.text.push_str(stem);
        } else {
            let word = std::mem::take(&mut token.text);
            let stem = self.stemmer.stem(&word).into_owned();
            token.text.push_str(&stem);
            self.stems.insert(word, stem);
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
        let text = "Accusations accused the running runners; accusations ran running";
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
}
