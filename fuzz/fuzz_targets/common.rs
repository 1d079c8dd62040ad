//! What every target does: the fuzzer's bytes become a file with the
//! reader's extension, read through `ingest::read_file` (so gzip detection,
//! decoding and the reader all run), and every article is analyzed and
//! turned into index documents. Any panic is a bug.

use std::path::PathBuf;

use gazette::analyze::{Analyzer, Origin};
use gazette::index::passage_documents;
use gazette::ingest::{read_file, IngestOptions, RecordOutcome};
use gazette::schema::Fields;

pub fn run(extension: &str, data: &[u8]) {
    let dir = std::env::temp_dir().join(format!("gazette-fuzz-{}", std::process::id()));
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let path: PathBuf = dir.join(format!("input.{extension}"));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let analyzer = Analyzer::default();
    let fields = Fields::new();
    read_file(&path, &IngestOptions::default(), &|_| {}, &mut |outcome| {
        if let RecordOutcome::Article(raw) = outcome {
            let origin = Origin {
                input: &path,
                collection: "fuzz",
            };
            let (article, _) = analyzer.analyze(*raw, origin);
            passage_documents(&article, "fuzz", &fields);
        }
    });
}
