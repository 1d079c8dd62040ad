//! Analysis (language, passages, dates) of the corpus articles, entity
//! recognition and language detection on their text, and the text analyzers
//! (folding + cached stemming).

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gazette::analyze::{Analyzer, EntityRecogniser, Origin};
use gazette::ingest::{read_articles, RawArticle};
use gazette::schema::build_analyzer;

fn corpus_articles() -> Vec<(PathBuf, RawArticle)> {
    read_articles(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")])
}

fn analyze(c: &mut Criterion) {
    let articles = corpus_articles();
    let bytes: u64 = articles.iter().map(|(_, a)| a.body.len() as u64).sum();
    let analyzer = Analyzer::default();
    let mut group = c.benchmark_group("analyze");
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("articles", |b| {
        b.iter(|| {
            let passages: usize = articles
                .iter()
                .map(|(path, raw)| {
                    let origin = Origin {
                        input: path,
                        collection: "corpus",
                        modified: None,
                    };
                    analyzer.analyze(raw.clone(), origin).0.passages.len()
                })
                .sum();
            assert!(passages > articles.len());
        });
    });

    let recogniser = EntityRecogniser::default();
    group.bench_function("entities", |b| {
        b.iter(|| {
            let found: usize = articles
                .iter()
                .map(|(_, raw)| recogniser.recognise(&raw.body, "en").len())
                .sum();
            assert!(found > articles.len() * 5, "{found} entities");
        });
    });

    let english: String = articles
        .iter()
        .filter(|(path, _)| path.to_string_lossy().contains("/en/"))
        .map(|(_, raw)| raw.body.as_str())
        .collect();
    group.throughput(Throughput::Bytes(english.len() as u64));
    for name in ["plain", "en"] {
        let mut text_analyzer = build_analyzer(name);
        group.bench_function(format!("tokenize-{name}"), |b| {
            b.iter(|| {
                let mut stream = text_analyzer.token_stream(&english);
                let mut tokens = 0;
                while stream.advance() {
                    tokens += 1;
                }
                assert!(tokens > 5000);
            });
        });
    }
    group.finish();
}

criterion_group!(benches, analyze);
criterion_main!(benches);
