//! Language: a stated language normalised to ISO 639-1, else a detection
//! when it is confident, else undetermined (`und`).
//!
//! Detection first counts function words (`the`, `los`, `não`, `der`…) of
//! the seven languages most news archives hold: when one language's words
//! outnumber every other language's (and those of its close neighbours,
//! such as Catalan next to Spanish) several times over, that is the answer.
//! That vote costs a fraction of whatlang's trigram scoring, which was the
//! largest single item of indexing time; every text the vote does not
//! settle (other languages, other scripts, mixed or short texts) goes to
//! whatlang.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use whatlang::Detector;

use super::packed_word;

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
    if let Some((code, confidence)) = function_word_vote(prefix(text, SAMPLE_BYTES)) {
        return LanguageDecision {
            code: code.to_owned(),
            confidence,
            origin: LangOrigin::Detected,
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

/// Function words of the languages the vote decides: frequent in running
/// text of that language and rare in the others listed here (a test keeps
/// the lists disjoint). Words shared by several of them (`de`, `la`, `en`,
/// `que`, `in`) say nothing and are left out.
const FUNCTION_WORDS: &[(&str, &str)] = &[
    (
        "en",
        "the and of to that with from have has this were which would been their \
         they are it by at his her said not will its who but",
    ),
    (
        "es",
        "el los las y más fue dijo según también muy pero sus hay cuando donde \
         es tras ese esa están",
    ),
    (
        "pt",
        "os não em uma com ao foi disse pelo pela é também ele eles isso são \
         mas seu sua na ainda já muito até",
    ),
    (
        "fr",
        "le les des et est du une dans pour pas sur qui au aux ont été ce cette \
         sont avec plus elle ils leur nous",
    ),
    (
        "de",
        "der die und das ist nicht den mit von zu sich auf dem ein eine für im \
         wird auch wurde hat bei nach aus sie werden sind noch einem einen über \
         zum zur dass",
    ),
    (
        "it",
        "di che della per sono non gli nel delle è anche alla dei degli nella \
         questo questa più stato essere",
    ),
    (
        "nl",
        "het een van niet op dat met zijn voor werd ook naar bij worden wordt \
         heeft hebben maar nog deze dit uit tot",
    ),
];

/// Function words of languages close to those above, which the vote leaves
/// to whatlang: Catalan, Galician, the Scandinavian languages, Afrikaans,
/// Romanian. Their presence stops the vote.
const NEIGHBOUR_WORDS: &str = "els amb dels aquest aquesta pel seva unha polo pola coa dun nun \
     tamén xa og och er det som på til att av ikke inte jeg jag ett fra från eller nie wat vir \
     sal hulle și în cu pe care este sunt fost";

/// How many function words the winning language needs in the sample.
const MIN_VOTES: u32 = 6;

/// How many times the winner's count must exceed the runner-up's.
const VOTE_MARGIN: u32 = 4;

/// Longest function word, in bytes (words are looked up packed in a
/// `u64`, see [`packed_word`]).
const MAX_FUNCTION_WORD_BYTES: usize = 8;

/// Function word (packed) → index into [`FUNCTION_WORDS`] (the neighbours
/// are the index past the end).
fn function_words() -> &'static FxHashMap<u64, usize> {
    static TABLE: OnceLock<FxHashMap<u64, usize>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let lists = FUNCTION_WORDS
            .iter()
            .map(|(_, words)| *words)
            .chain(std::iter::once(NEIGHBOUR_WORDS));
        let mut table = FxHashMap::default();
        for (index, words) in lists.enumerate() {
            for word in words.split_whitespace() {
                if let Some(key) = packed_word(word.bytes()) {
                    table.insert(key, index);
                }
            }
        }
        table
    })
}

/// A word lower-cased and packed (see [`packed_word`]); `None` if longer
/// than any function word.
fn packed_lowercase(word: &str) -> Option<u64> {
    if word.is_ascii() {
        return packed_word(word.bytes().map(|b| b.to_ascii_lowercase()));
    }
    packed_word(word.chars().flat_map(char::to_lowercase).flat_map(|c| {
        let mut bytes = [0u8; 4];
        let length = c.encode_utf8(&mut bytes).len();
        bytes.into_iter().take(length)
    }))
}

/// The language whose function words clearly dominate `sample`, with a
/// confidence of 1 − runner-up / winner; `None` when no language does.
fn function_word_vote(sample: &str) -> Option<(&'static str, f64)> {
    let table = function_words();
    let mut votes = [0u32; FUNCTION_WORDS.len() + 1];
    for word in sample.split(|c: char| !c.is_alphabetic()) {
        if word.is_empty() || word.len() > MAX_FUNCTION_WORD_BYTES {
            continue;
        }
        let slot = packed_lowercase(word)
            .and_then(|key| table.get(&key))
            .and_then(|index| votes.get_mut(*index));
        if let Some(slot) = slot {
            *slot += 1;
        }
    }
    let (winner, best) = votes
        .iter()
        .take(FUNCTION_WORDS.len())
        .enumerate()
        .max_by_key(|(_, count)| **count)?;
    let runner_up = votes
        .iter()
        .enumerate()
        .filter(|(index, _)| *index != winner)
        .map(|(_, count)| *count)
        .max()
        .unwrap_or(0);
    if *best < MIN_VOTES || *best < runner_up * VOTE_MARGIN {
        return None;
    }
    let (code, _) = FUNCTION_WORDS.get(winner)?;
    Some((code, 1.0 - f64::from(runner_up) / f64::from(*best)))
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
    fn function_word_lists_are_disjoint() {
        let mut seen = std::collections::HashMap::new();
        let lists = FUNCTION_WORDS
            .iter()
            .copied()
            .chain(std::iter::once(("neighbours", NEIGHBOUR_WORDS)));
        for (code, words) in lists {
            for word in words.split_whitespace() {
                assert!(word.len() <= MAX_FUNCTION_WORD_BYTES, "{word}");
                assert_eq!(word, word.to_lowercase(), "{word}");
                if let Some(other) = seen.insert(word, code) {
                    assert_eq!(other, code, "`{word}` is in two lists");
                }
            }
        }
    }

    #[test]
    fn function_words_decide_clear_texts_and_leave_the_rest_to_whatlang() {
        let texts = [
            ("en", "The minister said that the report, which was published on Monday, would be sent to the committee by the end of the month and that its findings were not final."),
            ("es", "El ministro dijo que el informe, publicado el lunes, fue enviado a los diputados y que sus conclusiones, según las fuentes, también son muy provisionales, pero hay dudas."),
            ("pt", "O ministro disse que o relatório foi enviado ao Congresso e que as conclusões ainda não são definitivas, mas ele também afirmou que isso já era esperado pela equipe."),
            ("fr", "Le ministre a déclaré que le rapport, publié lundi, est envoyé aux députés et que les conclusions ne sont pas définitives, mais elle ont été discutées dans la commission."),
            ("de", "Der Minister sagte, dass der Bericht am Montag veröffentlicht wurde und dass die Ergebnisse nicht endgültig sind, auch wenn sie von der Kommission geprüft werden."),
            ("it", "Il ministro ha detto che il rapporto è stato pubblicato lunedì e che le conclusioni della commissione non sono definitive, anche se gli esperti sono più ottimisti."),
            ("nl", "De minister zei dat het rapport maandag werd gepubliceerd en dat de conclusies niet definitief zijn, maar ook dat deze door de commissie worden besproken."),
        ];
        for (code, text) in texts {
            let vote = function_word_vote(text).map(|(code, _)| code);
            assert_eq!(vote, Some(code), "{text}");
            assert_eq!(decide(None, &Detector::new(), text).code, code);
        }
        // Catalan shares words with Spanish and French: its own stop the vote.
        let catalan = "El ministre va dir que l'informe, publicat dilluns, és a la comissió \
                       i que les conclusions dels experts amb els diputats no són definitives.";
        assert_eq!(function_word_vote(catalan), None);
        // Other scripts and short texts are whatlang's.
        assert_eq!(
            function_word_vote("Министр заявил, что доклад опубликован"),
            None
        );
        assert_eq!(function_word_vote("The end"), None);
    }

    #[test]
    fn prefix_respects_char_boundaries() {
        assert_eq!(prefix("añb", 2), "a");
        assert_eq!(prefix("añb", 3), "añ");
        assert_eq!(prefix("ab", 10), "ab");
    }
}

#[cfg(test)]
mod real_pages {
    use super::*;
    use crate::ingest::read_articles;
    use std::path::Path;

    /// Real web pages from `../shared/data/html` (when present) that state
    /// their language. Where the vote decides, it must agree with the
    /// stated language or, where pages state it wrongly (a CMS default of
    /// `en` on a German page), with whatlang over 4 KB.
    #[test]
    fn the_vote_agrees_with_real_pages() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/html");
        if !root.is_dir() {
            eprintln!("skipped: {} is absent", root.display());
            return;
        }
        let detector = Detector::new();
        let (mut stated, mut voted, mut contradicted) = (0, 0, Vec::new());
        for (path, raw) in read_articles(&[root]) {
            let Some(hint) = raw.lang_hint.as_deref().and_then(normalise_code) else {
                continue;
            };
            stated += 1;
            let Some((code, _)) = function_word_vote(prefix(&raw.body, SAMPLE_BYTES)) else {
                continue;
            };
            voted += 1;
            let whatlang = detector
                .detect(prefix(&raw.body, SECOND_SAMPLE_BYTES))
                .and_then(|info| normalise_code(info.lang().code()));
            if code != hint && whatlang.as_deref() != Some(code) {
                contradicted.push((path.display().to_string(), hint, code));
            }
        }
        eprintln!("{stated} pages state a language, the vote decided {voted}: {contradicted:?}");
        assert!(voted * 2 > stated, "{voted} of {stated}");
        assert!(contradicted.is_empty(), "{contradicted:?}");
    }
}
