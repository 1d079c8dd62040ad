//! `gazette extract`: ingest and analyze without indexing, to show what
//! gazette sees in each article.
//!
//! Runs one file after another in path order, so that its output is stable
//! and can be compared between runs.

use std::path::PathBuf;
use std::sync::Arc;

use crate::analyze::{Analyzer, Article, EntityRecogniser, Origin};
use crate::index::Disposition;
use crate::ingest::{discover, read_file, IngestOptions, RecordOutcome};

/// One event of an extraction, in input order.
pub enum Extracted {
    /// An article, with what analysis could not use.
    Article(Box<Article>, Vec<String>),
    /// A record or input left out.
    Skipped(Disposition),
    /// A record or input that could not be read.
    Failed(Disposition),
}

/// Reads and analyzes every input under `paths`, calling `emit` in order.
/// Entities are extracted with `entities` when it is given.
pub fn extract(
    paths: &[PathBuf],
    options: &IngestOptions,
    entities: Option<Arc<EntityRecogniser>>,
    emit: &mut dyn FnMut(Extracted),
) {
    let discovery = discover(paths);
    for (path, reason) in discovery.failed {
        emit(Extracted::Failed(Disposition::at(&path, 0, reason)));
    }
    for (path, reason) in discovery.skipped {
        emit(Extracted::Skipped(Disposition::at(&path, 0, reason)));
    }
    let analyzer = Analyzer::new(entities).with_dates(options.dates.clone());
    for file in &discovery.files {
        let origin = Origin {
            input: &file.path,
            collection: &file.collection,
            modified: file_time(&file.path),
        };
        let disposition = |record, reason| Disposition::at(&file.path, record, reason);
        read_file(&file.path, options, &|_| {}, &mut |outcome| match outcome {
            RecordOutcome::Article(raw) => {
                let (article, warnings) = analyzer.analyze(*raw, origin);
                let warnings = warnings.iter().map(ToString::to_string).collect();
                emit(Extracted::Article(Box::new(article), warnings));
            }
            RecordOutcome::Skipped { record, reason } => {
                emit(Extracted::Skipped(disposition(record, reason)));
            }
            RecordOutcome::Failed { record, reason } => {
                emit(Extracted::Failed(disposition(record, reason)));
            }
        });
    }
}

/// When the file at `path` was last written, if the file system says.
pub fn file_time(path: &std::path::Path) -> Option<chrono::DateTime<chrono::Utc>> {
    let modified = std::fs::metadata(path)
        .and_then(|meta| meta.modified())
        .ok()?;
    Some(modified.into())
}
