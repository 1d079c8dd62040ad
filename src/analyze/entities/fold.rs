//! Accent and case folding.
//!
//! Matching is done on folded text (`Nicolás` and `NICOLAS` both become
//! `nicolas`), but mentions must point into the text as written. Folding
//! maps every character to exactly one character, so the folded and the
//! original text can be walked side by side to carry offsets across.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_maps_each_character_to_one() {
        let text = "Sr. NICOLÁS Maduro’s Ñandú";
        let folded = fold(text);
        assert_eq!(folded, "sr. nicolas maduro's nandu");
        assert_eq!(folded.chars().count(), text.chars().count());
    }
}
