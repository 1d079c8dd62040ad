//! Accent and case folding with a way back to the original text.
//!
//! Matching is done on folded text (`Nicolás` and `NICOLAS` both become
//! `nicolas`), but mentions must point into the text as written. Folding
//! maps every character to exactly one character, so a folded byte offset
//! maps back to an original byte offset through one table.

/// Folds one character: lower case, then the accent dropped from Latin letters.
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let lower = c.to_lowercase().next().unwrap_or(c);
    match lower {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
        'ł' | 'ľ' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'š' | 'ş' | 'ș' => 's',
        'ť' | 'ţ' | 'ț' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        // Typographic apostrophes and dashes match their ASCII forms.
        '\u{2019}' | '\u{2018}' => '\'',
        '\u{2010}' | '\u{2011}' => '-',
        other => other,
    }
}

/// Folds a whole string (for keys and lookups).
pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// Text folded for matching, with the original byte offset of every folded byte.
pub struct Folded {
    /// The folded text.
    pub text: String,
    /// `origin[i]` is the byte offset in the original text of the character
    /// that folded byte `i` belongs to; one extra entry holds the original length.
    origin: Vec<usize>,
}

impl Folded {
    /// Folds `text`.
    pub fn new(text: &str) -> Folded {
        let mut folded = String::with_capacity(text.len());
        let mut origin = Vec::with_capacity(text.len() + 1);
        for (offset, c) in text.char_indices() {
            let f = fold_char(c);
            folded.push(f);
            origin.extend(std::iter::repeat_n(offset, f.len_utf8()));
        }
        origin.push(text.len());
        Folded {
            text: folded,
            origin,
        }
    }

    /// The original byte offset of folded byte offset `folded`.
    pub fn original(&self, folded: usize) -> usize {
        self.origin
            .get(folded)
            .or(self.origin.last())
            .copied()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_a_way_back() {
        let text = "Sr. NICOLÁS Maduro’s";
        let folded = Folded::new(text);
        assert_eq!(folded.text, "sr. nicolas maduro's");
        let start = folded.text.find("nicolas").expect("present");
        let end = start + "nicolas".len();
        assert_eq!(
            text.get(folded.original(start)..folded.original(end)),
            Some("NICOLÁS")
        );
        assert_eq!(folded.original(folded.text.len()), text.len());
    }
}
