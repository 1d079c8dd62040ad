//! Language: a stated language normalised to ISO 639-1, else whatlang's
//! detection when it is confident, else undetermined (`und`).

use whatlang::Detector;

/// Code recorded when no language could be determined (ISO 639-2 `und`).
pub const UNDETERMINED: &str = "und";

/// Below this whatlang confidence a detection is not trusted: short texts
/// are where whatlang is weak, and a wrong stemmer does more harm than none.
const MIN_CONFIDENCE: f64 = 0.5;

/// How much text detection looks at first: whatlang's cost grows with the
/// text, and a few hundred bytes of an article in a major language give a
/// reliable answer.
const SAMPLE_BYTES: usize = 512;

/// How much it looks at when the first sample gave no reliable answer.
const SECOND_SAMPLE_BYTES: usize = 4096;

/// How the language of an article was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LangOrigin {
    /// The input stated it.
    Metadata,
    /// whatlang detected it with enough confidence.
    Detected,
    /// Neither: the language is undetermined.
    Undetermined,
}

impl LangOrigin {
    /// The name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            LangOrigin::Metadata => "metadata",
            LangOrigin::Detected => "detected",
            LangOrigin::Undetermined => "undetermined",
        }
    }
}

/// The language an article is taken to be in.
#[derive(Debug, Clone, PartialEq)]
pub struct LanguageDecision {
    /// ISO 639-1 code where one exists, else ISO 639-3; `und` if unknown.
    pub code: String,
    /// whatlang's confidence (1.0 when the input stated the language).
    pub confidence: f64,
    /// How it was decided.
    pub origin: LangOrigin,
}

/// ISO 639-3 (as whatlang names them) to ISO 639-1.
const ISO_639_3_TO_1: &[(&str, &str)] = &[
    ("afr", "af"),
    ("aka", "ak"),
    ("amh", "am"),
    ("ara", "ar"),
    ("aze", "az"),
    ("bel", "be"),
    ("ben", "bn"),
    ("bul", "bg"),
    ("cat", "ca"),
    ("ces", "cs"),
    ("cmn", "zh"),
    ("cym", "cy"),
    ("dan", "da"),
    ("deu", "de"),
    ("ell", "el"),
    ("eng", "en"),
    ("epo", "eo"),
    ("est", "et"),
    ("fin", "fi"),
    ("fra", "fr"),
    ("guj", "gu"),
    ("heb", "he"),
    ("hin", "hi"),
    ("hrv", "hr"),
    ("hun", "hu"),
    ("hye", "hy"),
    ("ind", "id"),
    ("ita", "it"),
    ("jav", "jv"),
    ("jpn", "ja"),
    ("kan", "kn"),
    ("kat", "ka"),
    ("khm", "km"),
    ("kor", "ko"),
    ("lat", "la"),
    ("lav", "lv"),
    ("lit", "lt"),
    ("mal", "ml"),
    ("mar", "mr"),
    ("mkd", "mk"),
    ("mya", "my"),
    ("nep", "ne"),
    ("nld", "nl"),
    ("nob", "no"),
    ("nor", "no"),
    ("ori", "or"),
    ("pan", "pa"),
    ("pes", "fa"),
    ("fas", "fa"),
    ("pol", "pl"),
    ("por", "pt"),
    ("ron", "ro"),
    ("rus", "ru"),
    ("sin", "si"),
    ("slk", "sk"),
    ("slv", "sl"),
    ("sna", "sn"),
    ("spa", "es"),
    ("srp", "sr"),
    ("swe", "sv"),
    ("tam", "ta"),
    ("tel", "te"),
    ("tgl", "tl"),
    ("tha", "th"),
    ("tuk", "tk"),
    ("tur", "tr"),
    ("ukr", "uk"),
    ("urd", "ur"),
    ("uzb", "uz"),
    ("vie", "vi"),
    ("yid", "yi"),
    ("zho", "zh"),
    ("zul", "zu"),
    // Bibliographic ISO 639-2 codes still found in library metadata.
    ("fre", "fr"),
    ("ger", "de"),
    ("dut", "nl"),
    ("gre", "el"),
    ("chi", "zh"),
    ("cze", "cs"),
    ("rum", "ro"),
    ("per", "fa"),
    ("arm", "hy"),
    ("geo", "ka"),
];

/// Language names, in English and in the language itself, as some exports
/// write them.
const LANGUAGE_NAMES: &[(&str, &str)] = &[
    ("english", "en"),
    ("spanish", "es"),
    ("espanol", "es"),
    ("español", "es"),
    ("castellano", "es"),
    ("portuguese", "pt"),
    ("portugues", "pt"),
    ("português", "pt"),
    ("french", "fr"),
    ("francais", "fr"),
    ("français", "fr"),
    ("german", "de"),
    ("deutsch", "de"),
    ("italian", "it"),
    ("italiano", "it"),
    ("dutch", "nl"),
    ("nederlands", "nl"),
    ("russian", "ru"),
    ("arabic", "ar"),
    ("chinese", "zh"),
    ("japanese", "ja"),
    ("norwegian", "no"),
    ("swedish", "sv"),
    ("danish", "da"),
    ("finnish", "fi"),
    ("turkish", "tr"),
    ("greek", "el"),
    ("romanian", "ro"),
    ("hungarian", "hu"),
    ("polish", "pl"),
    ("catalan", "ca"),
    ("catala", "ca"),
];

/// Normalises a stated language (`es`, `ES-mx`, `spa`, `Spanish`, `pt_BR`)
/// to the code gazette records, or `None` if it is not a language it knows.
pub fn normalise_code(stated: &str) -> Option<String> {
    let lower = stated.trim().to_lowercase();
    if let Some((_, code)) = LANGUAGE_NAMES.iter().find(|(name, _)| *name == lower) {
        return Some((*code).to_owned());
    }
    let primary = lower.split(['-', '_']).next().unwrap_or_default();
    match primary.len() {
        2 if primary.chars().all(|c| c.is_ascii_lowercase()) => Some(match primary {
            "nb" | "nn" => "no".to_owned(),
            other => other.to_owned(),
        }),
        3 => ISO_639_3_TO_1
            .iter()
            .find(|(three, _)| *three == primary)
            .map(|(_, two)| (*two).to_owned()),
        _ => None,
    }
}

/// Decides the language of a text: the stated one if it is understood,
/// else a confident detection, else undetermined.
pub fn decide(stated: Option<&str>, detector: &Detector, text: &str) -> LanguageDecision {
    if let Some(code) = stated.and_then(normalise_code) {
        return LanguageDecision {
            code,
            confidence: 1.0,
            origin: LangOrigin::Metadata,
        };
    }
    let mut detected = detector.detect(prefix(text, SAMPLE_BYTES));
    if !detected.as_ref().is_some_and(whatlang::Info::is_reliable) && text.len() > SAMPLE_BYTES {
        detected = detector.detect(prefix(text, SECOND_SAMPLE_BYTES));
    }
    match detected {
        Some(info) if info.confidence() >= MIN_CONFIDENCE => {
            let three = info.lang().code();
            let code = ISO_639_3_TO_1
                .iter()
                .find(|(t, _)| *t == three)
                .map_or(three, |(_, two)| *two);
            LanguageDecision {
                code: code.to_owned(),
                confidence: info.confidence(),
                origin: LangOrigin::Detected,
            }
        }
        detected => LanguageDecision {
            code: UNDETERMINED.to_owned(),
            confidence: detected.map_or(0.0, |info| info.confidence()),
            origin: LangOrigin::Undetermined,
        },
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends on a char boundary.
pub(crate) fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stated_languages_are_normalised() {
        for (stated, code) in [
            ("es", "es"),
            ("ES-mx", "es"),
            ("pt_BR", "pt"),
            ("spa", "es"),
            ("Spanish", "es"),
            ("Español", "es"),
            ("nb", "no"),
            ("fre", "fr"),
        ] {
            assert_eq!(normalise_code(stated).as_deref(), Some(code), "{stated}");
        }
        assert_eq!(normalise_code("klingon"), None);
        assert_eq!(normalise_code("12"), None);
    }

    #[test]
    fn stated_language_wins_over_detection() {
        let english = "The government announced new sanctions on the state oil company today.";
        let decision = decide(Some("es"), &Detector::new(), english);
        assert_eq!(decision.code, "es");
        assert_eq!(decision.origin, LangOrigin::Metadata);
    }

    #[test]
    fn confident_detection_is_used_and_weak_detection_is_undetermined() {
        let spanish = "El gobierno anunció nuevas sanciones contra la empresa petrolera estatal \
                       y los mineros denunciaron la contaminación de los ríos del estado Bolívar.";
        let decision = decide(None, &Detector::new(), spanish);
        assert_eq!(
            (decision.code.as_str(), decision.origin),
            ("es", LangOrigin::Detected)
        );

        let decision = decide(None, &Detector::new(), "OK 42");
        assert_eq!(decision.code, UNDETERMINED);
        assert_eq!(decision.origin, LangOrigin::Undetermined);
    }

    #[test]
    fn prefix_respects_char_boundaries() {
        assert_eq!(prefix("añb", 2), "a");
        assert_eq!(prefix("añb", 3), "añ");
        assert_eq!(prefix("ab", 10), "ab");
    }
}
