//! HTML pages (`.html`, `.htm`, and HTML found inside web archives): the
//! article a reader of the page sees, without the page around it.
//!
//! Parsing is html5ever's (through `scraper`), so broken markup is read the
//! way browsers read it. From the parsed page this module takes:
//! - the title: `og:title` / `twitter:title`, else `<title>` without a
//!   site-name suffix, else the first `<h1>`;
//! - published-date candidates with where they were found (meta tags,
//!   JSON-LD `datePublished` also inside `@graph`, `itemprop`, `<time>`),
//!   best first; `analyze` picks the first it can read;
//! - author, canonical URL and the `lang` attribute (a hint only);
//! - the body as paragraphs: the `itemprop=articleBody`, `<article>` or
//!   `<main>` container if there is one, else the block with the most
//!   paragraph text that is not links; navigation, headers, footers, scripts,
//!   cookie banners, share buttons, related-story lists and comments are left
//!   out wherever they are.
//!
//! Hostile markup is bounded before it is parsed ([`MAX_ATTRIBUTES`] per
//! element, [`MAX_DEPTH`] of nesting): what is left out is said in the
//! article's warnings.
//!
//! Decoding follows the browsers' order: byte-order mark, then the charset
//! the HTTP header declares (inside web archives), then `<meta charset>` /
//! `http-equiv`, then detection.

use std::borrow::Cow;
use std::sync::LazyLock;

use ego_tree::NodeId;
use encoding_rs::Encoding;
use rustc_hash::FxHashSet;
use scraper::node::Node;
use scraper::{ElementRef, Html, Selector};

use super::decode::{decode, DecodedText, NotText};
use super::{
    DateSource, IngestOptions, Input, InputError, RawArticle, Reader, RecordOutcome, StatedDate,
};

/// Reads one HTML page per file.
pub struct HtmlReader;

impl Reader for HtmlReader {
    fn name(&self) -> &'static str {
        "html"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["html", "htm", "xhtml"]
    }
    fn read(
        &self,
        input: &mut Input<'_>,
        _options: &IngestOptions,
        emit: &mut dyn FnMut(RecordOutcome),
    ) -> Result<(), InputError> {
        let mut bytes = Vec::new();
        if let Err(error) = input.stream().read_to_end(&mut bytes) {
            return Err(input.read_error(error));
        }
        let decoded = decode_html(&bytes, None)?;
        emit(page_outcome(&decoded, None, 0));
        Ok(())
    }
}

/// How far into a page a `<meta charset>` is looked for (browsers look at
/// the first 1024 bytes; some pages put it later, after long comments).
const CHARSET_PRESCAN_BYTES: usize = 4096;

/// Decodes an HTML page: BOM, then `transport_charset` (the HTTP header's),
/// then a charset declared in the page, then detection.
pub(super) fn decode_html(
    bytes: &[u8],
    transport_charset: Option<&str>,
) -> Result<DecodedText, NotText> {
    if Encoding::for_bom(bytes).is_some() {
        return decode(bytes);
    }
    let declared = transport_charset
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .or_else(|| declared_charset(bytes.get(..CHARSET_PRESCAN_BYTES).unwrap_or(bytes)));
    match declared {
        // A page that says UTF-8 but is not is common in old archives:
        // detection is a better guess than replacement characters.
        Some(encoding) if encoding != encoding_rs::UTF_8 || std::str::from_utf8(bytes).is_ok() => {
            let encoding = encoding.output_encoding();
            let (text, _) = encoding.decode_without_bom_handling(bytes);
            if text.contains('\0') {
                return decode(bytes);
            }
            Ok(DecodedText {
                text: text.into_owned(),
                encoding: encoding.name(),
            })
        }
        _ => decode(bytes),
    }
}

/// The charset named by `charset=` in the head of a page (`<meta charset>`
/// and `<meta http-equiv="Content-Type" content="…; charset=…">` both say it
/// this way). This is the byte-level prescan browsers do before parsing.
fn declared_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = find(lower.get(from..)?, b"charset") {
        let after = from + pos + b"charset".len();
        let rest = lower.get(after..)?;
        let rest = rest.trim_ascii_start();
        if let Some(value) = rest.strip_prefix(b"=") {
            let value = value.trim_ascii_start();
            let value = value
                .strip_prefix(b"\"")
                .or_else(|| value.strip_prefix(b"'"))
                .unwrap_or(value);
            let end = value
                .iter()
                .position(|&b| {
                    matches!(b, b'"' | b'\'' | b';' | b'>' | b'/') || b.is_ascii_whitespace()
                })
                .unwrap_or(value.len());
            if let Some(encoding) = value.get(..end).and_then(Encoding::for_label) {
                return Some(encoding);
            }
        }
        from = after;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// The article of a decoded page as record `record`; `page_url` is the URL
/// the page was captured from, when known (web archives).
pub(super) fn page_outcome(
    decoded: &DecodedText,
    page_url: Option<&str>,
    record: u64,
) -> RecordOutcome {
    let bounded = bound_markup(&decoded.text);
    let document = Html::parse_document(&bounded.html);
    let page = Page::new(&document);
    let paragraphs = page.body();
    let title = page.title();
    let body: Vec<String> = paragraphs
        .into_iter()
        .filter(|paragraph| title.as_deref() != Some(paragraph.as_str()))
        .collect();
    if body.is_empty() {
        let mut reason = if page.is_link_list() {
            "no article text (a page of links)".to_owned()
        } else {
            "no article text in the page".to_owned()
        };
        for note in &bounded.notes {
            reason.push_str("; ");
            reason.push_str(note);
        }
        return RecordOutcome::Skipped { record, reason };
    }
    let canonical = page.canonical_url();
    let article = RawArticle {
        record,
        url: page_url.map(str::to_owned).or(canonical),
        title,
        author: page.author(),
        source: page.meta(&["og:site_name"]),
        date_candidates: page.dates(),
        lang_hint: page.lang(),
        body: body.join("\n\n"),
        encoding: decoded.encoding,
        notes: bounded.notes,
        ..RawArticle::default()
    };
    RecordOutcome::Article(Box::new(article))
}

/// Compiles a selector written in this file; they are constants, so a
/// failure is a bug here, not bad input.
fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|_| panic!("invalid built-in selector `{css}`"))
}

/// Links, looked for once per paragraph: compiled once.
static LINKS: LazyLock<Selector> = LazyLock::new(|| selector("a"));

/// Collapses runs of whitespace to one space and trims.
fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn element_text(element: ElementRef<'_>) -> String {
    normalise(&element.text().collect::<String>())
}

/// A parsed page and the metadata in its head.
struct Page<'a> {
    document: &'a Html,
    /// `(name, content)` of every `<meta>`, names lower-cased: `property`,
    /// `name` or `itemprop`.
    metas: Vec<(String, String)>,
    json_ld: Vec<serde_json::Value>,
    furniture: Furniture,
}

/// Which elements are page furniture ([`is_boilerplate`]), decided once
/// per page: the walks ask about every element and its ancestors, and
/// asking again each time made a deep page cost its depth times its size.
#[derive(Default)]
struct Furniture {
    /// Elements that are furniture themselves.
    own: FxHashSet<NodeId>,
    /// Elements that are furniture or inside furniture.
    inside: FxHashSet<NodeId>,
}

impl Furniture {
    fn of(document: &Html) -> Furniture {
        let mut furniture = Furniture::default();
        // Descendants come in document order: a parent before its children.
        for node in document.tree.root().descendants() {
            let Some(element) = ElementRef::wrap(node) else {
                continue;
            };
            if is_boilerplate(element) {
                furniture.own.insert(node.id());
                furniture.inside.insert(node.id());
            } else if node
                .parent()
                .is_some_and(|parent| furniture.inside.contains(&parent.id()))
            {
                furniture.inside.insert(node.id());
            }
        }
        furniture
    }

    fn is(&self, element: ElementRef<'_>) -> bool {
        self.own.contains(&element.id())
    }

    fn holds(&self, element: ElementRef<'_>) -> bool {
        self.inside.contains(&element.id())
    }
}

impl<'a> Page<'a> {
    fn new(document: &'a Html) -> Page<'a> {
        let metas = document
            .select(&selector("meta[content]"))
            .filter_map(|meta| {
                let element = meta.value();
                let name = element
                    .attr("property")
                    .or_else(|| element.attr("name"))
                    .or_else(|| element.attr("itemprop"))
                    .or_else(|| element.attr("http-equiv"))?;
                let content = normalise(element.attr("content")?);
                (!content.is_empty()).then(|| (name.trim().to_lowercase(), content))
            })
            .collect();
        let json_ld = document
            .select(&selector("script[type]"))
            .filter(|script| {
                script
                    .value()
                    .attr("type")
                    .is_some_and(|kind| kind.trim().eq_ignore_ascii_case("application/ld+json"))
            })
            .filter_map(|script| serde_json::from_str(&script.text().collect::<String>()).ok())
            .collect();
        Page {
            document,
            metas,
            json_ld,
            furniture: Furniture::of(document),
        }
    }

    /// The first meta content under any of `names`, in the order given.
    fn meta(&self, names: &[&str]) -> Option<String> {
        names.iter().find_map(|name| {
            self.metas
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, content)| content.clone())
        })
    }

    fn first_text(&self, css: &str) -> Option<String> {
        self.document
            .select(&selector(css))
            .map(element_text)
            .find(|text| !text.is_empty())
    }

    fn title(&self) -> Option<String> {
        if let Some(title) = self.meta(&["og:title", "twitter:title"]) {
            return Some(title);
        }
        let h1 = self.first_text("h1");
        match self.first_text("title") {
            Some(title) => Some(strip_site_name(
                &title,
                self.meta(&["og:site_name", "application-name"]).as_deref(),
                h1.as_deref(),
            )),
            None => h1,
        }
    }

    /// Every date the page states, best first: structured published dates
    /// (meta tags, JSON-LD, `itemprop`, `<time>`, dates in the page's
    /// scripts), then the text of elements named for a date, then dates
    /// written near the headline or after a label, and last the dates of
    /// the page's latest change.
    fn dates(&self) -> Vec<StatedDate> {
        let mut dates = Vec::new();
        let mut push = |source, place: String, value: Option<String>| {
            let Some(value) = value.filter(|value| !value.trim().is_empty()) else {
                return;
            };
            // The same date found twice (a `<time>` in the article is also
            // a `<time>` in the page) is one candidate.
            if !dates
                .iter()
                .any(|date: &StatedDate| date.value == value && date.source == source)
            {
                dates.push(StatedDate {
                    source,
                    value,
                    place,
                });
            }
        };
        for name in ["article:published_time", "og:article:published_time"] {
            push(
                DateSource::HtmlMeta,
                format!("meta {name}"),
                self.meta(&[name]),
            );
        }
        for value in &self.json_ld {
            push(
                DateSource::JsonLd,
                "JSON-LD datePublished".to_owned(),
                json_ld_field(value, "datePublished"),
            );
        }
        for property in ["datePublished", "dateCreated", "uploadDate"] {
            let css = format!("[itemprop={property}]");
            let value = self.document.select(&selector(&css)).find_map(|element| {
                let value = element.value();
                value
                    .attr("content")
                    .or_else(|| value.attr("datetime"))
                    .or_else(|| value.attr("title"))
                    .map(str::to_owned)
                    .or_else(|| Some(element_text(element)))
                    .filter(|text| !text.is_empty())
            });
            push(DateSource::HtmlMeta, format!("itemprop {property}"), value);
        }
        // Blogger and hAtom: `<abbr class="published" title="2019-10-16T14:33:00-07:00">`.
        push(
            DateSource::HtmlMeta,
            "<abbr class=\"published\" title>".to_owned(),
            self.document
                .select(&selector("abbr.published[title], .entry-date[title]"))
                .find_map(|abbr| abbr.value().attr("title").map(str::to_owned)),
        );
        for value in &self.json_ld {
            push(
                DateSource::JsonLd,
                "JSON-LD dateCreated".to_owned(),
                json_ld_field(value, "dateCreated"),
            );
        }
        let time = self
            .document
            .select(&selector(
                "time[pubdate], article time[datetime], main time[datetime]",
            ))
            .find_map(|time| time.value().attr("datetime").map(str::to_owned));
        push(
            DateSource::HtmlMeta,
            "<time datetime> of the article".to_owned(),
            time,
        );
        for name in PUBLISHED_META
            .iter()
            .filter(|name| !GENERIC_META.contains(name))
        {
            push(
                DateSource::HtmlMeta,
                format!("meta {name}"),
                self.meta(&[name]),
            );
        }
        // Facebook and some blogs: `<abbr data-utime="1507287600">`.
        push(
            DateSource::HtmlMeta,
            "<abbr data-utime>".to_owned(),
            self.document
                .select(&selector("abbr[data-utime]"))
                .find_map(|abbr| abbr.value().attr("data-utime").map(str::to_owned)),
        );
        for (key, value) in self.script_dates() {
            push(
                DateSource::HtmlMeta,
                format!("script \"{key}\""),
                Some(value),
            );
        }
        let date_texts = self.date_texts();
        let (near, far): (Vec<_>, Vec<_>) = date_texts
            .into_iter()
            .partition(|(distance, _, _)| *distance <= NEAR_HEADLINE_NODES);
        for (_, place, text) in near {
            push(DateSource::HtmlText, place, Some(text));
        }
        // `<meta name="date">` is whatever date a CMS puts there, often the
        // last change: a date shown by the headline outranks it, a date
        // element further down does not.
        for name in GENERIC_META {
            push(
                DateSource::HtmlMeta,
                generic_meta_place(name),
                self.meta(&[name]),
            );
        }
        for (_, place, text) in far {
            push(DateSource::HtmlText, place, Some(text));
        }
        // A `<time>` outside the article may be any story's (a sidebar's,
        // an embedded post's): it counts as much as a date element's text.
        push(
            DateSource::HtmlText,
            "<time datetime> outside the article".to_owned(),
            self.document
                .select(&selector("time[datetime]"))
                .filter(|time| !in_other_story(*time))
                .find_map(|time| time.value().attr("datetime").map(str::to_owned)),
        );
        for (place, text) in self.page_text_dates() {
            push(DateSource::PageText, place, Some(text));
        }
        for name in MODIFIED_META {
            push(
                DateSource::Modified,
                format!("meta {name}"),
                self.meta(&[name]),
            );
        }
        for value in &self.json_ld {
            push(
                DateSource::Modified,
                "JSON-LD dateModified".to_owned(),
                json_ld_field(value, "dateModified"),
            );
        }
        let modified = self
            .document
            .select(&selector("[itemprop=dateModified]"))
            .find_map(|element| {
                let value = element.value();
                value
                    .attr("content")
                    .or_else(|| value.attr("datetime"))
                    .map(str::to_owned)
                    .or_else(|| Some(element_text(element)))
            });
        push(
            DateSource::Modified,
            "itemprop dateModified".to_owned(),
            modified,
        );
        dates
    }

    /// Dates that scripts of the page hold under a published-date key
    /// (`"datePublished":"2022-01-28"` in a framework's state), first of
    /// each key. JSON-LD is read as JSON above; this catches the rest.
    fn script_dates(&self) -> Vec<(&'static str, String)> {
        let mut found: Vec<(&'static str, String)> = Vec::new();
        for script in self.document.select(&selector("script")) {
            let is_json_ld = script
                .value()
                .attr("type")
                .is_some_and(|kind| kind.trim().eq_ignore_ascii_case("application/ld+json"));
            if is_json_ld {
                continue;
            }
            let text: String = script.text().collect();
            // One pass for all keys: scripts can be large bundles.
            for hit in SCRIPT_KEYS.find_iter(&text) {
                let Some(key) = SCRIPT_DATE_KEYS.get(hit.pattern().as_usize()) else {
                    continue;
                };
                if found.iter().any(|(known, _)| known == key) {
                    continue;
                }
                if let Some(value) = text.get(hit.end()..).and_then(script_value) {
                    found.push((key, value));
                }
            }
            if found.len() == SCRIPT_DATE_KEYS.len() {
                break;
            }
        }
        found
    }

    /// Texts of the first few elements whose class or id says they hold a
    /// date ("date", "datum", "fecha", "published", "posted", …), with a
    /// description of the element.
    fn date_texts(&self) -> Vec<(usize, String, String)> {
        let order: rustc_hash::FxHashMap<NodeId, usize> = self
            .document
            .tree
            .root()
            .descendants()
            .enumerate()
            .map(|(index, node)| (node.id(), index))
            .collect();
        let headline = self
            .document
            .select(&selector("h1"))
            .next()
            .and_then(|h1| order.get(&h1.id()).copied());
        let mut found: Vec<(usize, String, String)> = self
            .document
            .select(&selector("[class], [id]"))
            .filter_map(|element| {
                let value = element.value();
                let names = value
                    .attr("class")
                    .into_iter()
                    .chain(value.attr("id"))
                    .find(|names| {
                        let names = names.to_lowercase();
                        DATE_CLASS_WORDS.iter().any(|word| names.contains(word))
                            && !UPDATE_CLASS_WORDS.iter().any(|word| names.contains(word))
                    })?;
                if in_other_story(element) {
                    return None;
                }
                // A container named `meta` or `info` may hold the whole
                // page: its text is not gathered past what a date needs.
                let text = short_text(element, MAX_DATE_TEXT_CHARS)?;
                let text = if text.is_empty() {
                    // `<span class="date" title="20.06.2018"></span>`
                    value.attr("title").map(normalise).unwrap_or_default()
                } else {
                    text
                };
                let fits = !text.is_empty() && text.chars().count() <= MAX_DATE_TEXT_CHARS;
                let place = format!("<{} \"{}\">", value.name(), one_line(names, 40));
                let at = order.get(&element.id()).copied().unwrap_or(usize::MAX);
                // Nodes above the headline (a site's "today" in its top
                // bar) count as three times as far as those below it.
                let distance = headline.map_or(at, |headline| {
                    if at >= headline {
                        at - headline
                    } else {
                        (headline - at).saturating_mul(3)
                    }
                });
                fits.then_some((distance, place, text))
            })
            .filter(|(_, _, text)| crate::analyze::date_in_text(text).is_some())
            .take(MAX_DATE_ELEMENTS)
            .collect();
        found.sort_by_key(|(distance, _, _)| *distance);
        found.truncate(MAX_DATE_TEXTS);
        found
    }

    /// Short texts of the page that hold a date, best placed first: after a
    /// publication label ("Veröffentlicht am", "Datum:", "Posted on"), then
    /// near the headline, then after a label of a change ("Aktualisiert",
    /// "last edited"), then anywhere else in the page. A date in a sentence
    /// (a long text, or one about a birth or death) is never taken.
    fn page_text_dates(&self) -> Vec<(String, String)> {
        let Some(body) = self.document.select(&selector("body")).next() else {
            return Vec::new();
        };
        let mut segments: Vec<String> = Vec::new();
        let mut headline: Option<usize> = None;
        // Elements inside other stories and inside the headline, decided
        // once top-down (descendants come after their parents) rather than
        // by walking every text's ancestors.
        let mut other_story: FxHashSet<NodeId> = FxHashSet::default();
        let mut in_headline: FxHashSet<NodeId> = FxHashSet::default();
        for node in body.descendants() {
            let parent = node.parent();
            let inherited = |set: &FxHashSet<NodeId>| parent.is_some_and(|p| set.contains(&p.id()));
            if let Some(element) = ElementRef::wrap(node) {
                if inherited(&other_story) || names_other_story(element) {
                    other_story.insert(node.id());
                }
                if inherited(&in_headline) || element.value().name() == "h1" {
                    in_headline.insert(node.id());
                }
                continue;
            }
            let Node::Text(text) = node.value() else {
                continue;
            };
            let parent_element = parent.and_then(ElementRef::wrap);
            if parent_element.is_some_and(|parent| {
                NO_TEXT_TAGS.contains(&parent.value().name()) || other_story.contains(&parent.id())
            }) {
                continue;
            }
            let text = normalise(text);
            if text.is_empty() {
                continue;
            }
            if headline.is_none() && inherited(&in_headline) {
                headline = Some(segments.len());
            }
            segments.push(text);
            if segments.len() >= MAX_PAGE_SEGMENTS {
                break;
            }
        }
        let title = self.first_text("title");
        let mut ranked: Vec<(u8, usize, String, String)> = Vec::new();
        if let Some(title) = title.filter(|title| crate::analyze::date_in_text(title).is_some()) {
            ranked.push((1, 0, "<title>".to_owned(), title));
        }
        for (index, text) in segments.iter().enumerate() {
            let chars = text.chars().count();
            if chars < MIN_DATE_SEGMENT_CHARS {
                continue;
            }
            // A longer text counts only when it opens with its date, as a
            // dated first paragraph does ("27.1.2022 - Bei der …"), and only
            // near the headline (below).
            let opening: String = text
                .split_whitespace()
                .take(OPENING_DATE_WORDS)
                .collect::<Vec<_>>()
                .join(" ");
            let long = chars > MAX_DATE_SEGMENT_CHARS;
            let text = if long { &opening } else { text };
            if crate::analyze::date_in_text(text).is_none() {
                continue;
            }
            let starts_with_date = text
                .split_whitespace()
                .next()
                .is_some_and(|word| word.starts_with(|c: char| c.is_ascii_digit()));
            if long && !starts_with_date {
                continue;
            }
            let before = index
                .checked_sub(1)
                .and_then(|previous| segments.get(previous))
                .filter(|previous| previous.chars().count() <= MAX_DATE_SEGMENT_CHARS)
                .map_or("", String::as_str);
            let context = format!("{before} {text}").to_lowercase();
            if LIFE_EVENT_WORDS.iter().any(|word| context.contains(word)) {
                continue;
            }
            let distance = headline.map_or(usize::MAX, |headline| {
                if index >= headline {
                    index - headline
                } else {
                    // Kickers and datelines above a headline are closer
                    // than text below it at the same distance.
                    (headline - index) * 3
                }
            });
            if long && distance > HEADLINE_WINDOW {
                continue;
            }
            let (tier, place) = if PUBLISHED_LABELS.iter().any(|word| context.contains(word)) {
                (0, "text after a publication label")
            } else if distance <= HEADLINE_WINDOW {
                (1, "text near the headline")
            } else if UPDATED_LABELS.iter().any(|word| context.contains(word)) {
                (2, "text after a label of a change")
            } else {
                (3, crate::analyze::PAGE_ANYWHERE)
            };
            let text = if tier == 0 && !text.chars().any(|c| c.is_alphabetic()) {
                // The label is kept with the date it names.
                format!("{before} {text}")
            } else {
                text.to_owned()
            };
            ranked.push((tier, distance, place.to_owned(), text));
        }
        ranked.sort_by_key(|(tier, distance, _, _)| (*tier, *distance));
        ranked
            .into_iter()
            .take(MAX_PAGE_DATES)
            .map(|(_, _, place, text)| (place, text))
            .collect()
    }

    fn author(&self) -> Option<String> {
        self.meta(&["author", "article:author", "twitter:creator"])
            .filter(|author| !author.starts_with("http"))
            .or_else(|| {
                self.json_ld
                    .iter()
                    .find_map(|value| json_ld_field(value, "author"))
            })
            .or_else(|| self.first_text("[itemprop=author], [rel=author], .byline, .author"))
    }

    fn canonical_url(&self) -> Option<String> {
        self.document
            .select(&selector("link[rel=canonical][href]"))
            .find_map(|link| link.value().attr("href").map(str::trim).map(str::to_owned))
            .filter(|href| href.contains("://"))
            .or_else(|| self.meta(&["og:url"]))
    }

    fn lang(&self) -> Option<String> {
        self.document
            .root_element()
            .value()
            .attr("lang")
            .map(str::trim)
            .filter(|lang| !lang.is_empty())
            .map(str::to_owned)
            .or_else(|| self.meta(&["content-language", "og:locale", "language"]))
    }

    /// Whether the page is mostly links (an index or a list of stories).
    fn is_link_list(&self) -> bool {
        let body = self.document.select(&selector("body")).next();
        body.is_some_and(|body| {
            let total = element_text(body).chars().count();
            let links: usize = body
                .select(&LINKS)
                .map(|a| element_text(a).chars().count())
                .sum();
            total > 0 && links * 2 > total
        })
    }

    /// The article's paragraphs.
    fn body(&self) -> Vec<String> {
        let container = ["[itemprop=articleBody]", "article", "main, [role=main]"]
            .iter()
            .find_map(|css| {
                self.document
                    .select(&selector(css))
                    .filter(|element| !self.furniture.is(*element))
                    .map(|element| (paragraph_score(element, &self.furniture), element))
                    .filter(|(score, _)| *score >= MIN_CONTAINER_SCORE)
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(_, element)| element)
            })
            .or_else(|| self.densest_block());
        container
            .map(|container| paragraphs(container, &self.furniture))
            .unwrap_or_default()
    }

    /// The element whose paragraphs hold the most text that is not links,
    /// in the spirit of readability: each paragraph scores its parent fully
    /// and its grandparent by half.
    fn densest_block(&self) -> Option<ElementRef<'a>> {
        let mut scores = std::collections::HashMap::new();
        let mut add = |id, score| *scores.entry(id).or_insert(0.0) += score;
        // Text written straight into a `<div>` (lines split by `<br>`)
        // counts as a paragraph too.
        let candidates = selector("p, pre, td, blockquote, div");
        let blocks = self
            .document
            .select(&candidates)
            .filter(|element| element.value().name() != "div" || !has_block_child(*element));
        for paragraph in blocks {
            if self.furniture.holds(paragraph) {
                continue;
            }
            let score = text_score(paragraph);
            if score < MIN_PARAGRAPH_CHARS {
                continue;
            }
            let parent = paragraph.parent();
            if let Some(parent) = parent {
                add(parent.id(), score);
                if let Some(grandparent) = parent.parent() {
                    add(grandparent.id(), score / 2.0);
                }
            }
        }
        scores
            .into_iter()
            // Ties go to the earlier element, so that the choice is stable.
            .max_by(|a: &(_, f64), b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .and_then(|(id, _)| self.document.tree.get(id))
            .and_then(ElementRef::wrap)
    }
}

/// Parts of class and id names of elements that hold a page's date.
const DATE_CLASS_WORDS: &[&str] = &[
    "date",
    "datum",
    "fecha",
    "publish",
    "posted",
    "pubtime",
    "timestamp",
    "dateline",
    "byline",
    "meta",
    "time",
    "submitted",
    "created",
    "authored",
    "subline",
    "info",
    "autor",
    "author",
    "parution",
    "calendar",
];

/// Parts of class and id names of elements that hold the date of a change,
/// not of publication, or that are not dates at all (`timeline`, `update`).
const UPDATE_CLASS_WORDS: &[&str] = &["update", "modified", "lastmod", "timeline", "times"];

/// An element holding a date says little else: longer texts are passed over.
const MAX_DATE_TEXT_CHARS: usize = 100;

/// How many such elements are kept, nearest the headline first.
const MAX_DATE_TEXTS: usize = 5;

/// How many such elements are looked at, first in the page first.
const MAX_DATE_ELEMENTS: usize = 50;

/// Parts of class and id names of containers of other stories or of
/// readers' comments, whose dates are not the article's; `wm-ipp` is the
/// Wayback Machine's banner.
const OTHER_STORY_WORDS: &[&str] = &[
    "comment",
    "related",
    "widget_",
    "widget-",
    "recent",
    "popular",
    "wprss",
    "rp4wp",
    "wm-ipp",
    "most-read",
    "mostread",
    "readmore",
    "read-more",
];

/// Meta names of a published date, after `article:published_time`, in the
/// order they are trusted.
const PUBLISHED_META: &[&str] = &[
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published-date",
    "published_date",
    "publish_time",
    "published_time",
    "publication_date",
    "date_published",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dc:date",
    "dcterms.date",
    "dc.date.publication",
    "sailthru.date",
    "parsely-pub-date",
    "og:published_time",
    "og:pubdate",
    "og:publish_date",
    "og:article:published",
    "article:published",
    "article.published",
    "article:post_date",
    "rnews:datepublished",
    "originalpublicationdate",
    "article_date_original",
    "dcsext.articlefirstpublished",
    "cxenseparse:recs:publishtime",
    "shareaholic:article_published_time",
    "mediator_published_time",
    "vr:published_time",
    "bt:pubdate",
    "rbpubdate",
    "displaydate",
    "dateposted",
    "dc.date.created",
    "dcterms.created",
    "dc.created",
    "datecreated",
    "date_created",
    "content_create_date",
    "citation_publication_date",
    "citation_date",
];

/// Meta names of no stated kind of date.
const GENERIC_META: &[&str] = &["date", "dc.date", "dcterms.date", "dc:date"];

/// How a generic meta date is named among the candidates.
fn generic_meta_place(name: &str) -> String {
    format!("meta {name} (no stated kind)")
}

/// Whether a candidate's place is a generic meta date, which ranks with
/// the dates of elements near the headline.
pub(crate) fn is_generic_meta(place: &str) -> bool {
    place.ends_with("(no stated kind)")
}

/// Document nodes between a headline and a date element near it.
const NEAR_HEADLINE_NODES: usize = 150;

/// Meta names of the date of a page's latest change.
const MODIFIED_META: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "og:modified_time",
    "article:modified",
    "dcterms.modified",
    "dc.modified",
    "datemodified",
    "last-modified",
    "lastmod",
    "lastmodified",
    "modified",
];

/// Keys under which scripts hold a page's published date.
const SCRIPT_DATE_KEYS: &[&str] = &[
    "datePublished",
    "publishedDate",
    "publishDate",
    "published_at",
    "publishedAt",
    "firstPublished",
    "dateCreated",
    "createdAt",
];

/// Elements whose text is never a date a reader sees.
const NO_TEXT_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "select", "option", "textarea", "svg", "button",
];

/// A text with a date is a date line ("Datum: 03.11.2021", "Jan 18, 2019 |
/// Politics") when it is this short; longer ones are sentences.
const MAX_DATE_SEGMENT_CHARS: usize = 80;
const MIN_DATE_SEGMENT_CHARS: usize = 6;

/// How many texts of a page are looked at: a date line is near the top.
const MAX_PAGE_SEGMENTS: usize = 5000;

/// How many words open a long text whose date is its first words.
const OPENING_DATE_WORDS: usize = 3;

/// How many text nodes after the headline count as near it.
const HEADLINE_WINDOW: usize = 30;

/// How many dates found in a page's text are kept as candidates.
const MAX_PAGE_DATES: usize = 6;

/// Words that say the date next to them is the publication date.
const PUBLISHED_LABELS: &[&str] = &[
    "veröffentlicht",
    "ver&ouml;ffentlicht",
    "erschienen",
    "datum",
    "erstellt",
    "gespeichert",
    "publiziert",
    "published",
    "posted",
    "publié",
    "mise en ligne",
    "pubblicato",
    "publicado",
    "publicada",
    "опубліковано",
    "dated",
    "date:",
    "pressemitteilung vom",
    "meldung vom",
    "notizia del",
];

/// Words that say the date next to them is the date of a change.
const UPDATED_LABELS: &[&str] = &[
    "aktualisiert",
    "geändert",
    "änderung",
    "stand",
    "updated",
    "last edited",
    "last modified",
    "revision",
    "mis à jour",
    "actualizado",
    "aggiornato",
    "оновлено",
];

/// Words of a date about someone's life, not about the article.
const LIFE_EVENT_WORDS: &[&str] = &[
    "born",
    "died",
    "geboren",
    "gestorben",
    "né le",
    "née le",
    "décédé",
    "nato il",
    "nata il",
    "morto",
    "nació",
    "nacido",
    "murió",
    "народився",
    "помер",
];

/// Paragraphs shorter than this (in characters, links discounted) say
/// nothing about where the article is: captions, buttons, datelines.
const MIN_PARAGRAPH_CHARS: f64 = 25.0;

/// A semantic container with less paragraph text than this is a teaser or
/// a card, not the article: the densest block is looked for instead.
const MIN_CONTAINER_SCORE: f64 = 200.0;

fn has_block_child(element: ElementRef<'_>) -> bool {
    element
        .child_elements()
        .any(|child| child.value().name() != "br" && BLOCK_TAGS.contains(&child.value().name()))
}

/// Text length of an element, less what is link text.
fn text_score(element: ElementRef<'_>) -> f64 {
    let total = element_text(element).chars().count() as f64;
    let links: usize = element
        .select(&LINKS)
        .map(|a| element_text(a).chars().count())
        .sum();
    (total - links as f64).max(0.0)
}

/// Paragraph text (outside boilerplate) of a candidate container.
fn paragraph_score(container: ElementRef<'_>, furniture: &Furniture) -> f64 {
    paragraphs(container, furniture)
        .iter()
        .map(|paragraph| paragraph.chars().count() as f64)
        .sum()
}

/// The keys of [`SCRIPT_DATE_KEYS`], found together.
static SCRIPT_KEYS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::new(SCRIPT_DATE_KEYS)
        .unwrap_or_else(|_| panic!("invalid built-in script date keys"))
});

/// The string value that follows a key in a script (`":"2022-01-28"`,
/// `\":\"…`, `:"…"`), if it is short enough to be a date.
fn script_value(after: &str) -> Option<String> {
    let after = after
        .strip_prefix("\\\"")
        .or_else(|| after.strip_prefix('"'))
        .unwrap_or(after);
    let after = after.trim_start().strip_prefix(':')?.trim_start();
    let after = after
        .strip_prefix("\\\"")
        .or_else(|| after.strip_prefix('"'))?;
    // A date is short: the closing quote is looked for only that far.
    let (end, _) = after
        .char_indices()
        .take(MAX_SCRIPT_VALUE + 1)
        .find(|(_, c)| matches!(c, '"' | '\\'))?;
    let value = after.get(..end)?.trim();
    ((6..=MAX_SCRIPT_VALUE).contains(&value.len()) && value.bytes().any(|b| b.is_ascii_digit()))
        .then(|| value.to_owned())
}

/// The longest script value taken for a date.
const MAX_SCRIPT_VALUE: usize = 40;

/// The normalised text of `element` if it is at most `max` characters
/// (whitespace collapsed), read no further than needed to know.
fn short_text(element: ElementRef<'_>, max: usize) -> Option<String> {
    let mut raw = String::new();
    let mut visible = 0usize;
    for piece in element.text() {
        raw.push_str(piece);
        // Whitespace collapses; the other characters all stay.
        visible += piece.chars().filter(|c| !c.is_whitespace()).count();
        if visible > max {
            return None;
        }
    }
    let text = normalise(&raw);
    (text.chars().count() <= max).then_some(text)
}

/// Whether `element` is inside a container of other stories or comments.
fn in_other_story(element: ElementRef<'_>) -> bool {
    std::iter::once(element)
        .chain(element.ancestors().filter_map(ElementRef::wrap))
        .any(names_other_story)
}

/// Whether `element` itself is a container of other stories or comments.
fn names_other_story(element: ElementRef<'_>) -> bool {
    std::iter::once(element)
        // Page-wide classes (`<body class="has-sidebar">`) say nothing
        // about one element.
        .filter(|element| !matches!(element.value().name(), "html" | "body" | "main" | "article"))
        .any(|element| {
            let value = element.value();
            // Whole names are compared by their start: `comment-meta` and
            // `widget_recent` are other stories; `category-popular` (a
            // post's own class) is not.
            value
                .attr("class")
                .into_iter()
                .chain(value.attr("id"))
                .flat_map(str::split_whitespace)
                .any(|name| {
                    let name = name.to_lowercase();
                    OTHER_STORY_WORDS.iter().any(|word| name.starts_with(word))
                })
        })
}

/// At most `max` characters of a text, for a description.
fn one_line(text: &str, max: usize) -> String {
    let text = normalise(text);
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()),
        None => text,
    }
}

/// `<title>` without the site name: " | The Daily Paper", " - Site" are
/// removed when the part after the separator is the site's name, or when the
/// part before it is the page's `<h1>`.
fn strip_site_name(title: &str, site_name: Option<&str>, h1: Option<&str>) -> String {
    let title = normalise(title);
    for separator in [" | ", " - ", " – ", " — ", " :: ", " · ", " » "] {
        if let Some((head, tail)) = title.rsplit_once(separator) {
            let tail_is_site = site_name.is_some_and(|site| {
                let (tail, site) = (tail.trim().to_lowercase(), site.trim().to_lowercase());
                tail == site || tail.contains(&site) || site.contains(&tail)
            });
            let head_is_h1 = h1.is_some_and(|h1| h1.eq_ignore_ascii_case(head.trim()));
            if tail_is_site || head_is_h1 {
                return head.trim().to_owned();
            }
        }
    }
    title
}

/// A JSON-LD field of the article object: top level, in an array, or in an
/// `@graph`. Article-like types are preferred; authors are reduced to names.
fn json_ld_field(value: &serde_json::Value, field: &str) -> Option<String> {
    let mut objects = Vec::new();
    collect_objects(value, &mut objects, 0);
    let is_article = |object: &&&serde_json::Map<String, serde_json::Value>| {
        let types = match object.get("@type") {
            Some(serde_json::Value::String(kind)) => vec![kind.as_str()],
            Some(serde_json::Value::Array(kinds)) => {
                kinds.iter().filter_map(|kind| kind.as_str()).collect()
            }
            _ => Vec::new(),
        };
        types
            .iter()
            .any(|kind| kind.ends_with("Article") || *kind == "BlogPosting" || *kind == "Report")
    };
    let preferred = objects.iter().filter(is_article).chain(objects.iter());
    preferred
        .filter_map(|object| object.get(field))
        .find_map(json_ld_text)
}

/// Nested JSON-LD deeper than this is not a page's metadata.
const MAX_JSON_LD_DEPTH: usize = 8;

fn collect_objects<'v>(
    value: &'v serde_json::Value,
    out: &mut Vec<&'v serde_json::Map<String, serde_json::Value>>,
    depth: usize,
) {
    if depth > MAX_JSON_LD_DEPTH {
        return;
    }
    match value {
        serde_json::Value::Object(object) => {
            out.push(object);
            if let Some(graph) = object.get("@graph") {
                collect_objects(graph, out, depth + 1);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                collect_objects(item, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// A JSON-LD value as text: a string, a `{"name": …}` object, or a list of
/// either joined with commas.
fn json_ld_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(text) => Some(normalise(text)).filter(|t| !t.is_empty()),
        serde_json::Value::Object(object) => object.get("name").and_then(json_ld_text),
        serde_json::Value::Array(items) => {
            let names: Vec<String> = items.iter().filter_map(json_ld_text).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    }
}

/// Elements that are never article text, wherever they are.
const BOILERPLATE_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "iframe", "svg", "button", "select", "textarea", "menu", "dialog", "figure", "object",
    "canvas", "video", "audio", "map",
];

/// ARIA roles of page furniture.
const BOILERPLATE_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "dialog",
    "alertdialog",
    "search",
    "menu",
    "menubar",
];

/// Words in class and id names that mark page furniture. A class or id is
/// split at `-`, `_` and spaces and each part is compared whole, so that
/// `headline` is not taken for `ad`.
const FURNITURE_WORDS: &[&str] = &[
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "share",
    "sharing",
    "social",
    "related",
    "comment",
    "comments",
    "newsletter",
    "subscribe",
    "subscription",
    "promo",
    "ad",
    "ads",
    "advert",
    "advertisement",
    "sponsored",
    "popup",
    "modal",
    "outbrain",
    "taboola",
    "recommended",
    "trending",
    "tags",
    "byline",
    "firma",
    "author",
    "autor",
];

/// Class names that carry a post's tags and categories, not a role.
const TAXONOMY_PREFIXES: &[&str] = &["tag-", "category-", "tag_", "category_"];

/// Words of layout names that mark furniture unless the same names also
/// say content ([`CONTENT_WORDS`]).
const LAYOUT_WORDS: &[&str] = &[
    // A paywall's prompt is furniture; `entry-content paywall-container`
    // is the article behind it, saved with the page.
    "paywall",
    "nav",
    "navbar",
    "navigation",
    "menu",
    "breadcrumb",
    "breadcrumbs",
    "sidebar",
    "footer",
    "masthead",
    "banner",
    "toolbar",
    "skip",
];

/// Words of class and id names that say the element holds the article.
const CONTENT_WORDS: &[&str] = &[
    "article", "body", "content", "main", "entry", "post", "story", "text",
];

/// Whether an element is page furniture. Its attributes are read in one
/// pass (looking one up by name interns the name first).
fn is_boilerplate(element: ElementRef<'_>) -> bool {
    let value = element.value();
    // ASP.NET pages wrap the whole page in one `<form>`: that one holds the
    // article, not a search box.
    let page_form = value.name() == "form"
        && element
            .parent()
            .and_then(ElementRef::wrap)
            .is_some_and(|parent| parent.value().name() == "body");
    if BOILERPLATE_TAGS.contains(&value.name()) && !page_form {
        return true;
    }
    let (mut class, mut id, mut article_body) = (None, None, false);
    for (name, attribute) in value.attrs() {
        match name {
            "hidden" => return true,
            "aria-hidden" if attribute == "true" => return true,
            "style" if attribute.replace(' ', "").contains("display:none") => return true,
            "role" if BOILERPLATE_ROLES.contains(&attribute.trim().to_lowercase().as_str()) => {
                return true
            }
            "itemprop" => article_body = attribute == "articleBody",
            "class" => class = Some(attribute),
            "id" => id = Some(attribute),
            _ => {}
        }
    }
    // Containers that hold the article itself are never furniture, even
    // when a class name says e.g. `article-with-sidebar`.
    if article_body || matches!(value.name(), "article" | "main" | "body") {
        return false;
    }
    // WordPress names a post's tags and categories in its classes
    // (`tag-social-media`, `category-ads`): words of the post's subject,
    // not of its role in the page.
    let words: Vec<String> = class
        .into_iter()
        .chain(id)
        .flat_map(str::split_whitespace)
        .filter(|name| {
            !TAXONOMY_PREFIXES
                .iter()
                .any(|prefix| name.starts_with(prefix))
        })
        .flat_map(|name| name.split(['-', '_']))
        .map(str::to_lowercase)
        .collect();
    // A class that is content and nothing else (`entry`, `entry-content`)
    // names the article; a theme may add `share` beside it for its buttons'
    // styles (`entry themeform share`).
    let names_content = class.is_some_and(|class| {
        class.split_whitespace().any(|name| {
            // `entry__content`: BEM's double separators leave empty parts.
            let mut parts = name.split(['-', '_']).filter(|part| !part.is_empty());
            parts.clone().next().is_some()
                && parts.all(|part| CONTENT_WORDS.contains(&part.to_lowercase().as_str()))
        })
    });
    if names_content {
        return false;
    }
    let has = |list: &[&str]| words.iter().any(|word| list.contains(&word.as_str()));
    // Layout names mix words: `l-sidebar-fixed l-article-body-segment` holds
    // the article. Only furniture that is never the article (cookies,
    // sharing, related stories…) is left out whatever else the names say.
    if has(FURNITURE_WORDS) {
        return true;
    }
    // `layout--sidebar`, `two-col-sidebar`: a grid of the article and its
    // sidebar, which holds the headline, is not the sidebar.
    let grid = has(&["sidebar"]) && element.select(&GRID_CONTENT).next().is_some();
    has(LAYOUT_WORDS) && !has(CONTENT_WORDS) && !grid
}

/// What only the article's part of a page holds.
static GRID_CONTENT: LazyLock<Selector> =
    LazyLock::new(|| selector("h1, article, [itemprop=articleBody]"));

/// Elements that end a paragraph.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "br",
    "hr",
    "figcaption",
    "address",
    "center",
];

/// A paragraph with more than this share of its characters in links is a
/// list of links (related stories, tags), not text.
const MAX_LINK_SHARE: f64 = 0.5;

/// The paragraphs of a container: text of block elements, whitespace
/// normalised, boilerplate and link lists left out.
fn paragraphs(container: ElementRef<'_>, furniture: &Furniture) -> Vec<String> {
    let mut walker = Paragraphs {
        furniture,
        done: Vec::new(),
        current: String::new(),
        link_chars: 0,
    };
    walker.walk(container, false, 0);
    walker.flush();
    walker.done
}

/// How deep [`Paragraphs::walk`] recurses into nested elements.
const MAX_WALK_DEPTH: usize = 256;

struct Paragraphs<'f> {
    furniture: &'f Furniture,
    done: Vec<String>,
    current: String,
    link_chars: usize,
}

impl Paragraphs<'_> {
    fn walk(&mut self, element: ElementRef<'_>, in_link: bool, depth: usize) {
        for child in element.children() {
            match child.value() {
                Node::Text(text) => {
                    if in_link {
                        self.link_chars += text.chars().filter(|c| !c.is_whitespace()).count();
                    }
                    self.current.push_str(text);
                }
                Node::Element(_) => {
                    let Some(child) = ElementRef::wrap(child) else {
                        continue;
                    };
                    if self.furniture.is(child) {
                        continue;
                    }
                    // Hostile nesting must not exhaust the stack: past this
                    // depth, a subtree's text is taken whole.
                    if depth >= MAX_WALK_DEPTH {
                        self.current.extend(child.text());
                        continue;
                    }
                    let name = child.value().name();
                    let block = BLOCK_TAGS.contains(&name);
                    if block {
                        self.flush();
                    }
                    self.walk(child, in_link || name == "a", depth + 1);
                    if block {
                        self.flush();
                    }
                }
                _ => {}
            }
        }
    }

    fn flush(&mut self) {
        let paragraph = normalise(&self.current);
        let chars = paragraph.chars().filter(|c| !c.is_whitespace()).count();
        if chars > 0 && (self.link_chars as f64) <= chars as f64 * MAX_LINK_SHARE {
            self.done.push(paragraph);
        }
        self.current.clear();
        self.link_chars = 0;
    }
}

/// At most this many attributes of one element are read; the rest are
/// left out. html5ever checks each new attribute against the element's
/// others, so an element with very many costs their square.
pub const MAX_ATTRIBUTES: usize = 256;

/// Elements nested deeper than this are read as if their tags were not
/// there (their text stays, in place). The parser and the article walk
/// both do work in proportion to the depth for every element.
pub const MAX_DEPTH: usize = 256;

/// Elements without content: never open.
const VOID_TAGS: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose content is text up to their end tag, not markup.
const RAW_TEXT_TAGS: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// Start tags that close an open `<p>`.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "dd",
    "dt",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
];

/// Start tags that end foreign content (SVG, MathML) where they appear.
const BREAKS_OUT_OF_FOREIGN: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];

/// Foreign elements whose content is HTML again.
const INTEGRATION_POINTS: &[&str] = &[
    "foreignobject",
    "desc",
    "title",
    "annotation-xml",
    "mi",
    "mo",
    "mn",
    "ms",
    "mtext",
];

/// Elements that bound the search for an open `<p>` or list item.
const SCOPE_BOUNDARIES: &[&str] = &[
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "button",
];

/// The elements a start tag closes when one is open, as the parser closes
/// them: `(names closed, names that stop the search)`. A foreign element
/// stops every search.
const IMPLIED_ENDS: [(&[&str], &[&str]); 8] = [
    (&["p"], SCOPE_BOUNDARIES),
    (&["a"], &["table", "td", "th", "html"]),
    (&["nobr"], SCOPE_BOUNDARIES),
    (&["li"], &["ul", "ol", "table"]),
    (&["dd", "dt"], &["dl", "table"]),
    (&["option"], &["select"]),
    (&["tr"], &["table"]),
    (&["td", "th"], &["tr", "table"]),
];

/// An element open while [`bound_markup`] reads a page.
struct Open {
    /// Lower-cased.
    name: String,
    /// SVG or MathML.
    foreign: bool,
    /// For each rule of [`IMPLIED_ENDS`], the nearest element at or below
    /// this one that the rule's search stops at, so that a start tag finds
    /// what it closes without walking the stack.
    nearest: [Option<usize>; IMPLIED_ENDS.len()],
}

/// The stack of open elements, and how many of each name it holds, so
/// that every step costs what it pops, not the depth.
#[derive(Default)]
struct OpenElements {
    stack: Vec<Open>,
    counts: rustc_hash::FxHashMap<String, usize>,
}

impl OpenElements {
    fn len(&self) -> usize {
        self.stack.len()
    }

    fn push(&mut self, name: String, foreign: bool) {
        let at = self.stack.len();
        let below = self.stack.last().map(|top| top.nearest);
        let mut nearest = [None; IMPLIED_ENDS.len()];
        for (rule, (closes, within)) in IMPLIED_ENDS.iter().enumerate() {
            let stops =
                foreign || closes.contains(&name.as_str()) || within.contains(&name.as_str());
            nearest[rule] = if stops {
                Some(at)
            } else {
                below.and_then(|below| below.get(rule).copied().flatten())
            };
        }
        *self.counts.entry(name.clone()).or_default() += 1;
        self.stack.push(Open {
            name,
            foreign,
            nearest,
        });
    }

    fn truncate(&mut self, len: usize) {
        for open in self.stack.drain(len.min(self.stack.len())..) {
            if let Some(count) = self.counts.get_mut(&open.name) {
                *count = count.saturating_sub(1);
            }
        }
    }

    /// Closes the innermost open element named `name`, if one is open.
    fn close(&mut self, name: &str) {
        if self.counts.get(name).is_some_and(|count| *count > 0) {
            if let Some(open) = self.stack.iter().rposition(|open| open.name == name) {
                self.truncate(open);
            }
        }
    }

    /// Whether the current node is foreign content (not an integration
    /// point, where HTML rules apply again).
    fn in_foreign(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|top| top.foreign && !INTEGRATION_POINTS.contains(&top.name.as_str()))
    }

    /// Leaves foreign content: closes the foreign elements on top.
    fn break_out_of_foreign(&mut self) {
        let html_top = self.stack.iter().rposition(|open| !open.foreign);
        self.truncate(html_top.map_or(0, |top| top + 1));
    }

    /// Closes what a start tag `name` closes, as the parser does: an open
    /// paragraph before a block, an open link before a link, the previous
    /// list item, term or definition, option, row or cell.
    fn close_implied(&mut self, name: &str) {
        let rule = match name {
            "a" => Some(1),
            "nobr" => Some(2),
            "li" => Some(3),
            "dd" | "dt" => Some(4),
            "option" => Some(5),
            "tr" => Some(6),
            "td" | "th" => Some(7),
            _ => None,
        };
        let closes_p = CLOSES_P.contains(&name).then_some(0);
        for rule in closes_p.into_iter().chain(rule) {
            let Some((closes, _)) = IMPLIED_ENDS.get(rule) else {
                continue;
            };
            let found = self
                .stack
                .last()
                .and_then(|top| top.nearest.get(rule).copied().flatten());
            let closed = found.filter(|&at| {
                self.stack
                    .get(at)
                    .is_some_and(|open| !open.foreign && closes.contains(&open.name.as_str()))
            });
            if let Some(at) = closed {
                self.truncate(at);
            }
        }
    }
}

/// A page bounded by [`MAX_ATTRIBUTES`] and [`MAX_DEPTH`], and what was
/// left out to bound it.
struct Bounded<'a> {
    html: Cow<'a, str>,
    notes: Vec<String>,
}

/// Reads through the page's tags once, as the HTML tokenizer does, keeping
/// a stack of open elements that follows the parser's main rules (void
/// elements, raw text, foreign content, end tags that close what they
/// name, start tags that close an open paragraph, link, list item or
/// cell), and rewrites the tags that go past the limits: attributes after
/// the [`MAX_ATTRIBUTES`]th are cut, and a start tag that would open an
/// element deeper than [`MAX_DEPTH`] is dropped (its end tag is then one
/// the parser ignores). Linear in the page; a page within the limits is
/// returned as it is.
fn bound_markup(html: &str) -> Bounded<'_> {
    let bytes = html.as_bytes();
    let mut out = String::new();
    // Bytes of `html` already copied to `out`.
    let mut copied = 0;
    let mut rewritten = false;
    let mut open = OpenElements::default();
    let (mut cut_tags, mut dropped_tags) = (0usize, 0usize);
    let mut at = 0;
    while let Some(offset) = bytes.get(at..).and_then(|rest| memchr::memchr(b'<', rest)) {
        let lt = at + offset;
        let rest = bytes.get(lt..).unwrap_or_default();
        match rest.get(1) {
            Some(b'!') if rest.starts_with(b"<!--") => {
                at = find_from(bytes, lt + 4, b"-->").map_or(bytes.len(), |end| end + 3);
            }
            Some(b'!' | b'?') => {
                at = find_byte(bytes, lt + 2, b'>').map_or(bytes.len(), |gt| gt + 1);
            }
            Some(b'/') => {
                let Some(tag) = bytes
                    .get(lt + 2)
                    .filter(|b| b.is_ascii_alphabetic())
                    .and_then(|_| read_tag(bytes, lt + 2))
                else {
                    at = find_byte(bytes, lt + 2, b'>').map_or(bytes.len(), |gt| gt + 1);
                    continue;
                };
                open.close(&tag.name);
                at = tag.end;
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let Some(tag) = read_tag(bytes, lt + 1) else {
                    break;
                };
                at = tag.end;
                let name = tag.name.as_str();
                let in_foreign = open.in_foreign();
                let foreign = if in_foreign && BREAKS_OUT_OF_FOREIGN.contains(&name) {
                    open.break_out_of_foreign();
                    false
                } else {
                    in_foreign || name == "svg" || name == "math"
                };
                let raw_text = !foreign && RAW_TEXT_TAGS.contains(&name);
                if raw_text {
                    at = find_end_tag(bytes, tag.end, name).unwrap_or(bytes.len());
                } else if !foreign && name == "plaintext" {
                    break;
                }
                let opens = if foreign {
                    !tag.self_closing
                } else {
                    !VOID_TAGS.contains(&name) && !raw_text
                };
                if opens && !foreign {
                    open.close_implied(name);
                }
                if opens && open.len() >= MAX_DEPTH {
                    dropped_tags += 1;
                    out.push_str(html.get(copied..lt).unwrap_or_default());
                    copied = tag.end;
                    rewritten = true;
                    continue;
                }
                if let Some(cut) = tag.cut_at {
                    cut_tags += 1;
                    out.push_str(html.get(copied..cut).unwrap_or_default());
                    copied = tag.close;
                    rewritten = true;
                }
                if opens {
                    open.push(tag.name, foreign);
                }
            }
            _ => at = lt + 1,
        }
    }
    let mut notes = Vec::new();
    if cut_tags > 0 {
        notes.push(format!(
            "{cut_tags} elements have more than {MAX_ATTRIBUTES} attributes: the rest were not read"
        ));
    }
    if dropped_tags > 0 {
        notes.push(format!(
            "{dropped_tags} elements are nested deeper than {MAX_DEPTH}: \
             their text was read without them"
        ));
    }
    if !rewritten {
        return Bounded {
            html: Cow::Borrowed(html),
            notes,
        };
    }
    out.push_str(html.get(copied..).unwrap_or_default());
    Bounded {
        html: Cow::Owned(out),
        notes,
    }
}

/// A tag read by [`read_tag`].
struct Tag {
    /// Lower-cased.
    name: String,
    /// Just past its `>` (or the end of the page).
    end: usize,
    /// Where its `>` (or `/>`) starts.
    close: usize,
    /// Where its attribute after the [`MAX_ATTRIBUTES`]th starts, if it has one.
    cut_at: Option<usize>,
    self_closing: bool,
}

/// Reads the tag whose name starts at `start`, as the tokenizer does:
/// attribute values quoted with `"` or `'` may hold `>`. `None` when the
/// page ends inside the tag (the tokenizer drops such a tag).
fn read_tag(bytes: &[u8], start: usize) -> Option<Tag> {
    let is_space = |b: u8| matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ');
    let mut at = start;
    while bytes
        .get(at)
        .is_some_and(|&b| !is_space(b) && b != b'/' && b != b'>')
    {
        at += 1;
    }
    let name = String::from_utf8_lossy(bytes.get(start..at)?).to_ascii_lowercase();
    let mut attributes = 0;
    let mut cut_at = None;
    let mut self_closing = false;
    loop {
        let &byte = bytes.get(at)?;
        match byte {
            b'>' => {
                let close = if self_closing { at - 1 } else { at };
                return Some(Tag {
                    name,
                    end: at + 1,
                    close,
                    cut_at,
                    self_closing,
                });
            }
            b'/' => {
                self_closing = true;
                at += 1;
            }
            b if is_space(b) => {
                self_closing = false;
                at += 1;
            }
            _ => {
                self_closing = false;
                attributes += 1;
                if attributes == MAX_ATTRIBUTES + 1 {
                    cut_at = Some(at);
                }
                // The name: up to a space, `/`, `>` or `=` (a leading `=`
                // is part of it).
                at += 1;
                while bytes
                    .get(at)
                    .is_some_and(|&b| !is_space(b) && !matches!(b, b'/' | b'>' | b'='))
                {
                    at += 1;
                }
                while bytes.get(at).is_some_and(|&b| is_space(b)) {
                    at += 1;
                }
                if bytes.get(at) != Some(&b'=') {
                    continue;
                }
                at += 1;
                while bytes.get(at).is_some_and(|&b| is_space(b)) {
                    at += 1;
                }
                match bytes.get(at) {
                    Some(&quote @ (b'"' | b'\'')) => at = find_byte(bytes, at + 1, quote)? + 1,
                    _ => {
                        while bytes.get(at).is_some_and(|&b| !is_space(b) && b != b'>') {
                            at += 1;
                        }
                    }
                }
            }
        }
    }
}

/// Where `</name` (any case) next starts at or after `from`.
fn find_end_tag(bytes: &[u8], from: usize, name: &str) -> Option<usize> {
    let mut at = from;
    loop {
        let lt = find_from(bytes, at, b"</")?;
        let after = bytes.get(lt + 2..)?;
        if after.len() >= name.len()
            && after
                .get(..name.len())
                .is_some_and(|candidate| candidate.eq_ignore_ascii_case(name.as_bytes()))
        {
            return Some(lt);
        }
        at = lt + 2;
    }
}

fn find_byte(bytes: &[u8], from: usize, byte: u8) -> Option<usize> {
    memchr::memchr(byte, bytes.get(from..)?).map(|offset| from + offset)
}

fn find_from(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, needle).map(|offset| from + offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(html: &str) -> RawArticle {
        let decoded = decode_html(html.as_bytes(), None).expect("text");
        match page_outcome(&decoded, None, 0) {
            RecordOutcome::Article(article) => *article,
            other => panic!("expected an article, got {other:?}"),
        }
    }

    const PAGE: &str = r##"<!doctype html><html lang="es-VE"><head>
        <meta charset="utf-8"><title>Oro y mercurio | El Diario</title>
        <meta property="og:site_name" content="El Diario">
        <link rel="canonical" href="https://eldiario.example/2024/03/05/oro">
        <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
          {"@type":"WebSite","name":"El Diario"},
          {"@type":"NewsArticle","datePublished":"2024-03-05T08:00:00-04:00",
           "author":[{"@type":"Person","name":"Ana Pérez"}]}]}</script>
        <script>var tracking = "Menú secreto";</script><style>p{color:red}</style>
        </head><body>
        <nav><a href="/">Portada</a><a href="/politica">Política</a></nav>
        <div class="cookie-banner">Usamos cookies. <button>Aceptar</button></div>
        <article><h1>Oro y mercurio</h1>
          <div class="share-buttons"><a href="#">Compartir en X</a></div>
          <p>CIUDAD BOLÍVAR, 5 de marzo de 2024. La minería ilegal de oro avanza&nbsp;en el sur
          del país, según un informe de la organización ambiental.</p>
          <p>Los mineros usan mercurio<br>para separar el oro del sedimento, y el metal termina en los ríos.</p>
          <aside><h2>Related stories</h2><ul><li><a href="/a">Otra nota</a></li></ul></aside>
          <ul class="tags"><li><a href="/t/oro">oro</a></li></ul>
        </article>
        <section id="comments"><p>Un lector opina algo largo sobre la nota de hoy.</p></section>
        <footer>© 2024 El Diario. Todos los derechos reservados.</footer>
        </body></html>"##;

    #[test]
    fn a_news_page_reads_as_a_person_reads_it() {
        // `&nbsp;` is decoded, then normalised with the other whitespace.
        let a = article(PAGE);
        assert_eq!(a.title.as_deref(), Some("Oro y mercurio"));
        assert_eq!(
            a.url.as_deref(),
            Some("https://eldiario.example/2024/03/05/oro")
        );
        assert_eq!(a.author.as_deref(), Some("Ana Pérez"));
        assert_eq!(a.source.as_deref(), Some("El Diario"));
        assert_eq!(a.lang_hint.as_deref(), Some("es-VE"));
        assert_eq!(
            a.date_candidates,
            vec![StatedDate {
                source: DateSource::JsonLd,
                value: "2024-03-05T08:00:00-04:00".to_owned(),
                place: "JSON-LD datePublished".to_owned(),
            }]
        );
        assert_eq!(
            a.body,
            "CIUDAD BOLÍVAR, 5 de marzo de 2024. La minería ilegal de oro avanza en el sur del país, \
             según un informe de la organización ambiental.\n\n\
             Los mineros usan mercurio\n\npara separar el oro del sedimento, y el metal termina en los ríos."
        );
        for boilerplate in [
            "Portada",
            "cookies",
            "Compartir",
            "Related",
            "Otra nota",
            "lector",
            "derechos",
            "Menú",
            "color",
        ] {
            assert!(!a.body.contains(boilerplate), "{boilerplate} in {}", a.body);
        }
    }

    // See: issue 18 — pages whose text was left out got no date at all.
    #[test]
    fn the_article_is_found_inside_theme_and_framework_wrappers() {
        let text = "The council voted to keep the harbour open through the winter months. ";
        for (wrapper_open, wrapper_close) in [
            (
                r#"<form id="aspnetForm"><div id="content">"#,
                "</div></form>",
            ),
            (
                r#"<div class="post tag-social-media category-ads"><div class="entry themeform share">"#,
                "</div></div>",
            ),
            (
                r#"<div class="entry__content steady-paywall-container">"#,
                "</div>",
            ),
            (
                r#"<div class="layout layout--sidebar"><h1>Harbour</h1><div class="body">"#,
                "</div></div>",
            ),
        ] {
            let page = format!(
                "<html><body>{wrapper_open}<p>{}</p><p>{}</p>{wrapper_close}</body></html>",
                text.repeat(3),
                text.repeat(2)
            );
            let a = article(&page);
            assert!(a.body.contains("keep the harbour open"), "{wrapper_open}");
        }
        // A page's own furniture is still furniture.
        let a = article(&format!(
            r#"<html><body><div class="sidebar"><p>{}</p></div><div><p>{}</p></div></body></html>"#,
            "Most read today: the ten best harbours of the coast and more. ".repeat(3),
            text.repeat(3)
        ));
        assert!(!a.body.contains("Most read"), "{}", a.body);
    }

    #[test]
    fn dates_in_scripts_are_read_by_key() {
        assert_eq!(
            script_value(r#"":"2022-01-28T10:00:00Z","x":1"#).as_deref(),
            Some("2022-01-28T10:00:00Z")
        );
        assert_eq!(
            script_value(r#"\":\"2022-01-28\""#).as_deref(),
            Some("2022-01-28")
        );
        assert_eq!(script_value(r#"":"not a date at all""#), None);
        assert_eq!(script_value(r#"": 12"#), None);
        let unterminated = format!(r#"":"{}"#, "9".repeat(10_000));
        assert_eq!(script_value(&unterminated), None);
        let a = article(
            r#"<html><head><script>window.state={"article":{"publishedAt":"2023-04-01T10:00:00.000Z"}}</script></head>
            <body><article><p>The council voted to keep the harbour open through the winter months.</p></article></body></html>"#,
        );
        assert_eq!(
            a.date_candidates
                .first()
                .map(|d| (d.place.as_str(), d.value.as_str())),
            Some(("script \"publishedAt\"", "2023-04-01T10:00:00.000Z"))
        );
    }

    #[test]
    fn page_dates_come_from_labels_and_the_headline_not_comments() {
        let a = article(
            r#"<html><body><div class="top-bar"><span class="date">Monday, 6 May 2024</span></div>
            <article><h1>Harbour</h1><div class="meta">Veröffentlicht am 3. Mai 2024</div>
            <p>The council voted to keep the harbour open through the winter months, said the mayor.</p>
            <p>Born in Luton on 5 April 1920, the oldest fisherman remembers every storm.</p>
            <div class="comments"><span class="comment-date">7. Mai 2024</span></div>
            </article></body></html>"#,
        );
        let texts: Vec<(DateSource, &str)> = a
            .date_candidates
            .iter()
            .map(|d| (d.source, d.value.as_str()))
            .collect();
        assert_eq!(
            texts.first(),
            Some(&(DateSource::HtmlText, "Veröffentlicht am 3. Mai 2024")),
            "{texts:?}"
        );
        assert!(
            !texts.iter().any(|(_, text)| text.contains("7. Mai")),
            "{texts:?}"
        );
        assert!(
            !texts.iter().any(|(_, text)| text.contains("1920")),
            "{texts:?}"
        );
    }

    #[test]
    fn date_candidates_come_in_precedence_order() {
        let a = article(
            r#"<html><head><meta name="date" content="2020-01-04">
            <meta property="article:published_time" content="2020-01-01T10:00:00Z"></head>
            <body><article><p itemprop="datePublished" content="2020-01-02">x</p>
            <time datetime="2020-01-03">3 Jan</time>
            <span class="post-date">Posted 5 January 2020</span>
            <p>A paragraph long enough to be the article text of this small page.</p></article></body></html>"#,
        );
        let values: Vec<(DateSource, &str)> = a
            .date_candidates
            .iter()
            .map(|d| (d.source, d.value.as_str()))
            .collect();
        assert_eq!(
            values,
            vec![
                (DateSource::HtmlMeta, "2020-01-01T10:00:00Z"),
                (DateSource::HtmlMeta, "2020-01-02"),
                (DateSource::HtmlMeta, "2020-01-03"),
                // `<meta name="date">` ranks after a date shown by the headline.
                (DateSource::HtmlText, "Posted 5 January 2020"),
                (DateSource::HtmlMeta, "2020-01-04"),
                (DateSource::HtmlText, "2020-01-03"),
                (DateSource::PageText, "Posted 5 January 2020"),
            ]
        );
    }

    #[test]
    fn without_containers_the_densest_block_is_the_article() {
        let text = "The river carries mercury from the mining camps downstream. ".repeat(4);
        let a = article(&format!(
            r#"<html><head><title>Mercury - Wire</title></head><body>
            <div class="top"><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></div>
            <div class="content"><h1>Mercury</h1><p>{text}</p><p>{text}</p></div>
            <div><ul><li><a href="/x">A much longer link title that is only a link</a></li></ul></div>
            </body></html>"#
        ));
        assert_eq!(
            a.title.as_deref(),
            Some("Mercury"),
            "h1 repeats the head of <title>"
        );
        assert_eq!(a.body, format!("{}\n\n{}", text.trim(), text.trim()));
    }

    #[test]
    fn layout_names_that_also_say_content_are_not_furniture() {
        let text = "Smoke from burning fields covers the city for a third week. ".repeat(5);
        let a = article(&format!(
            r#"<html><body><main><article>
            <div class="l-sidebar-fixed l-article-body-segment"><p>{text}</p></div>
            <div class="l-sidebar"><p>Sidebar text that is long enough to count as a paragraph.</p></div>
            <div class="related-content"><p>Related content that is long enough to count too.</p></div>
            </article></main></body></html>"#
        ));
        assert_eq!(a.body, text.trim());
    }

    #[test]
    fn text_written_into_a_div_with_line_breaks_is_a_block() {
        let line = "The council approved the budget after a long night of debate";
        let a = article(&format!(
            "<html><body><div class=menu><a href=/>Home</a></div>\
             <div class=box>{line} one.<br>{line} two.<br>{line} three.<br>{line} four.</div></body></html>"
        ));
        assert_eq!(
            a.body,
            format!("{line} one.\n\n{line} two.\n\n{line} three.\n\n{line} four.")
        );
    }

    #[test]
    fn deeply_nested_markup_is_read_without_exhausting_the_stack() {
        let depth = 3_000;
        let page = format!(
            "<html><body><article><p>{}</p>{}deep text{}</article></body></html>",
            "A paragraph long enough to be the article text of a hostile page. ".repeat(4),
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let a = article(&page);
        assert!(a.body.ends_with("deep text"), "{}", a.body);
    }

    // See: issue 22
    #[test]
    fn issue_22_ordinary_pages_pass_the_bounds_untouched() {
        let paragraphs =
            "<p><font face=Arial>An old page never closes its paragraphs".repeat(1_000);
        let lists = "<ul><li>one<li>two<li><a href=x>three</a><a href=y>four</ul>".repeat(500);
        let page = format!(
            "<!DOCTYPE html><html><head><title>a<b</title><script>if (a<b && c) {{ x = '<div>'; }}</script>\
             <!-- <div a b c> --></head><body>{paragraphs}<table>{}</table>{lists}\
             <svg><path d=\"M0 0\"/><g/></svg><div title=\"a > b\" data-x='>'>end</div></body></html>",
            "<tr><td>cell<td>cell".repeat(1_000)
        );
        let bounded = bound_markup(&page);
        assert!(
            matches!(bounded.html, Cow::Borrowed(_)),
            "{:?}",
            bounded.notes
        );
        assert!(bounded.notes.is_empty());
    }

    // See: issue 22
    #[test]
    fn issue_22_deep_nesting_and_many_attributes_are_cut() {
        let attributes: Vec<String> = (0..300).map(|i| format!("a{i}='>'")).collect();
        let page = format!("<div {} />text</div>", attributes.join(" "));
        let bounded = bound_markup(&page);
        let expected: Vec<String> = (0..MAX_ATTRIBUTES).map(|i| format!("a{i}='>'")).collect();
        assert_eq!(
            bounded.html,
            format!("<div {} />text</div>", expected.join(" "))
        );
        assert_eq!(bounded.notes.len(), 1);

        // Self-closing tags open HTML elements, also right after foreign
        // content they break out of.
        for opener in ["<div/>", "<svg><div/>", "<svg><foreignObject><div/>"] {
            let page = format!("{opener}{}deep", "<div/>".repeat(MAX_DEPTH + 10));
            let bounded = bound_markup(&page);
            assert!(bounded.html.len() < page.len(), "{opener}");
            assert!(
                bounded.notes[0].contains("nested deeper than 256"),
                "{opener}"
            );
            assert!(bounded.html.ends_with("deep"));
        }
        let svg = format!("<svg>{}</svg>", "<path/>".repeat(10_000));
        assert!(matches!(bound_markup(&svg).html, Cow::Borrowed(_)));

        // A page left without text still says what was bounded.
        let empty = format!(
            "<html><body>{}x</body></html>",
            "<div>".repeat(MAX_DEPTH * 2)
        );
        let decoded = decode_html(empty.as_bytes(), None).expect("text");
        assert!(matches!(
            page_outcome(&decoded, None, 0),
            RecordOutcome::Skipped { ref reason, .. }
                if reason.starts_with("no article text in the page; ")
                    && reason.contains("nested deeper than 256")
        ));
    }

    #[test]
    fn a_page_of_links_is_skipped() {
        let decoded = decode_html(
            b"<html><body><ul><li><a href=a.html>a.html</a></li><li><a href=b.html>b.html</a></li></ul></body></html>",
            None,
        )
        .expect("text");
        assert!(matches!(
            page_outcome(&decoded, None, 3),
            RecordOutcome::Skipped { record: 3, ref reason } if reason.contains("page of links")
        ));
    }

    #[test]
    fn charsets_declared_in_the_page_or_by_http() {
        let page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"></head><body><p>Bol\xEDvar</p></body></html>";
        let decoded = decode_html(page, None).expect("text");
        assert_eq!(decoded.encoding, "windows-1252");
        assert!(decoded.text.contains("Bolívar"));
        let decoded = decode_html(
            "<meta charset=utf-8><p>Bolívar".as_bytes(),
            Some("iso-8859-1"),
        )
        .expect("text");
        assert_eq!(decoded.encoding, "windows-1252", "the HTTP header wins");
        let decoded = decode_html(b"<meta charset=\"utf-8\"><p>Bol\xEDvar", None).expect("text");
        assert_eq!(
            decoded.encoding, "windows-1252",
            "a false UTF-8 claim is detected"
        );
    }

    #[test]
    fn site_name_suffixes() {
        assert_eq!(
            strip_site_name("Gold | The Daily Paper", Some("The Daily Paper"), None),
            "Gold"
        );
        assert_eq!(strip_site_name("Gold - Herald", None, Some("Gold")), "Gold");
        assert_eq!(strip_site_name("Left - Right", None, None), "Left - Right");
    }
}
