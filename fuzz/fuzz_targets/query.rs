#![no_main]
//! The query parser and planner, and the date filters, against a small
//! index built once: the fuzzer's bytes are split at newlines into a
//! query, `--from`, `--to` and a per-article count, then run through
//! `search` and `facets` as the command line would. Errors are fine (they
//! are how a bad query is refused); a panic, an abort or a stack overflow
//! is a bug.

use std::path::PathBuf;
use std::sync::OnceLock;

use gazette::index::{index_paths, open, GazetteIndex, IndexOptions, NoProgress};
use gazette::search::{
    facets, search, DateRange, FacetOptions, Filters, Period, SearchOptions, Sort,
};

/// Articles with dates, languages, sources and entities, so that every
/// kind of clause has something to match.
const ARTICLES: &[(&str, &str)] = &[
    (
        "en-1.jsonl",
        r#"{"id":"a1","title":"Gold mining in Bolívar","date":"2019-03-05","lang":"en","source":"Example Times","author":"Ana Pérez","url":"https://example.org/a1","text":"Illegal gold mining in Bolívar state poisoned rivers with mercury, said Nicolás Maduro in Caracas. The mines near the Orinoco grew again in 2019, and the OAS asked for inspections."}"#,
    ),
    (
        "es-1.jsonl",
        r#"{"id":"b2","title":"Sanciones petroleras","date":"2021-11-30","crawled":"2022-01-02T03:04:05Z","lang":"es","source":"Diario Ejemplo","text":"Las sanciones contra PDVSA redujeron las exportaciones de petróleo de Venezuela. Diosdado Cabello habló en Maracaibo sobre la minería de coltán y el mercurio."}"#,
    ),
    (
        "undated.jsonl",
        r#"{"id":"c3","title":"Harbour report","text":"The harbour in Puerto Cabello reopened after the storm; fishermen counted petrels and shearwaters on the breakwater again this spring."}"#,
    ),
];

fn index() -> Option<&'static GazetteIndex> {
    static INDEX: OnceLock<Option<GazetteIndex>> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            let dir =
                std::env::temp_dir().join(format!("gazette-fuzz-query-{}", std::process::id()));
            let inputs = dir.join("inputs");
            std::fs::create_dir_all(&inputs).ok()?;
            for (name, line) in ARTICLES {
                std::fs::write(inputs.join(name), format!("{line}\n")).ok()?;
            }
            let mut options = IndexOptions::new(dir.join("index"));
            options.threads = 1;
            index_paths(&[PathBuf::from(&inputs)], &options, &NoProgress).ok()?;
            open(&dir.join("index")).ok()
        })
        .as_ref()
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(index) = index() else {
        panic!("the fuzzing index could not be built");
    };
    let mut parts = text.splitn(4, '\n');
    let query = parts.next().unwrap_or_default();
    // A date the filters refuse stops the command, as on the command line.
    let mut dates = [None, None];
    for date in &mut dates {
        match parts
            .next()
            .filter(|part| !part.is_empty())
            .map(DateRange::parse)
        {
            Some(Ok(range)) => *date = Some(range),
            Some(Err(_)) => return,
            None => {}
        }
    }
    let per_article = parts
        .next()
        .and_then(|p| p.bytes().next())
        .map(|b| usize::from(b % 4));
    let [from, to] = dates;
    let filters = Filters {
        from,
        to,
        ..Filters::default()
    };
    let options = SearchOptions {
        query: query.to_owned(),
        filters: filters.clone(),
        limit: Some(5),
        per_article,
        sort: if data.len() % 2 == 0 {
            Sort::Relevance
        } else {
            Sort::Newest
        },
        conjunction: data.len() % 3 == 0,
    };
    let _ = search(index, &options);
    let _ = facets(
        index,
        &FacetOptions {
            query: query.to_owned(),
            filters,
            conjunction: options.conjunction,
            by: Period::Month,
            top: 3,
            cooccur: None,
            timelines: vec![query.to_owned()],
            normalize: data.len() % 5 == 0,
        },
    );
});
