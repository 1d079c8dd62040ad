//! Query latency on an index of `corpus/`, built once in setup: terms,
//! phrases, boolean and filtered queries, top 10 with highlights.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use gazette::index::{index_paths, open, IndexOptions, NoProgress};
use gazette::search::{search_in, DateRange, Filters, SearchOptions, Sort};

fn search(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut options = IndexOptions::new(dir.path().join("index"));
    options.threads = 1;
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let report = index_paths(&[corpus], &options, &NoProgress).expect("indexes");
    assert!(report.articles >= 40);
    let index = open(&options.index_dir).expect("opens");
    let reader = index.index.reader().expect("reader");
    let searcher = reader.searcher();

    let mut group = c.benchmark_group("search");
    let cases = [
        ("term", "mercury", Filters::default()),
        ("phrase", "\"gold mining\"", Filters::default()),
        ("or", "sanctions migration election", Filters::default()),
        ("and", "+Maduro +sanctions", Filters::default()),
        (
            "filtered",
            "minería",
            Filters {
                langs: vec!["es".to_owned()],
                from: DateRange::parse("2016").ok(),
                ..Filters::default()
            },
        ),
    ];
    for (name, query, filters) in cases {
        let search_options = SearchOptions {
            query: query.to_owned(),
            filters,
            limit: Some(10),
            per_article: None,
            sort: Sort::Relevance,
            conjunction: false,
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                let results = search_in(&searcher, &index, &search_options).expect("searches");
                assert!(!results.hits.is_empty(), "{query} finds passages");
            });
        });
    }
    group.finish();
}

criterion_group!(benches, search);
criterion_main!(benches);
