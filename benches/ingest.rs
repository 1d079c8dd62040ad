//! Reading and parsing: every file of `corpus/` through its reader, and a
//! generated JSON Lines file, in bytes per second.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gazette::ingest::{discover, read_file, IngestOptions, RecordOutcome};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

fn read_all(files: &[PathBuf]) -> usize {
    let options = IngestOptions::default();
    let mut articles = 0;
    for file in files {
        read_file(file, &options, &|_| {}, &mut |outcome| {
            if let RecordOutcome::Article(_) = outcome {
                articles += 1;
            }
        });
    }
    articles
}

fn ingest(c: &mut Criterion) {
    let found = discover(&[corpus()]);
    let files: Vec<PathBuf> = found.files.iter().map(|f| f.path.clone()).collect();
    let bytes: u64 = found.files.iter().map(|f| f.size).sum();
    let expected = read_all(&files);
    assert!(expected >= 40, "the corpus reads as articles");

    let mut group = c.benchmark_group("ingest");
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("corpus", |b| {
        b.iter(|| assert_eq!(read_all(&files), expected));
    });

    let dir = tempfile::tempdir().expect("temp dir");
    let jsonl = dir.path().join("generated.jsonl");
    let line = serde_json::json!({
        "id": "x", "title": "Generated", "date": "2024-03-05",
        "body": "La minería ilegal avanza en el sur del estado Bolívar. ".repeat(60),
    })
    .to_string();
    let records = 2000;
    std::fs::write(&jsonl, format!("{line}\n").repeat(records)).expect("write");
    group.throughput(Throughput::Bytes((line.len() as u64 + 1) * records as u64));
    group.bench_function("jsonl", |b| {
        b.iter(|| assert_eq!(read_all(std::slice::from_ref(&jsonl)), records));
    });
    group.finish();
}

criterion_group!(benches, ingest);
criterion_main!(benches);
