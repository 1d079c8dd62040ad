//! index: writing articles into the tantivy index.
//!
//! Owns the write side: opening or creating the index, fanning input files
//! out over rayon workers (read → analyze → documents), handing documents to
//! tantivy's multi-threaded `IndexWriter`, accounting for every input, and
//! committing once at the end with a payload that records the run.
//!
//! It reports progress through the [`Progress`] trait and draws nothing:
//! progress bars belong to the binary.

mod document;
mod store;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tantivy::{IndexWriter, TantivyDocument, Term};

use crate::analyze::{Analyzer, Article, EntityRecogniser, Origin};
use crate::ingest::{self, discover, location, IngestOptions, InputFile, RecordOutcome};
use crate::schema::Fields;
use crate::{Error, Result};

pub use document::{
    date_facet, entity_facet, kind_name_facet, passage_documents, stored_entities, to_tantivy,
};
pub use store::{disk_size, open, open_or_create, GazetteIndex};

/// Options of an indexing run.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// The index directory.
    pub index_dir: PathBuf,
    /// Worker threads for parsing/analysis and for tantivy's writer.
    pub threads: usize,
    /// Memory budget of tantivy's writer, in MiB, shared by its threads.
    pub heap_mb: usize,
    /// How inputs are read.
    pub ingest: IngestOptions,
    /// The entity recogniser, shared by the workers; `None` turns entity
    /// extraction off.
    pub entities: Option<Arc<EntityRecogniser>>,
}

/// The writer's minimum heap per thread (tantivy refuses less).
const MIN_HEAP_MB_PER_THREAD: usize = 15;

/// Records read from one file are analyzed and written in batches of this
/// many, so that a single large file is still analyzed in parallel.
const BATCH_RECORDS: usize = 256;

/// What an indexing run reports as it goes. Implementations must be cheap:
/// they are called from worker threads.
pub trait Progress: Sync {
    /// The run starts: this many bytes in this many files.
    fn start(&self, _total_bytes: u64, _files: usize) {}
    /// More raw input bytes were read.
    fn bytes_read(&self, _bytes: u64) {}
    /// More articles were handed to the writer.
    fn articles_written(&self, _articles: u64) {}
    /// Reading is done; the commit starts.
    fn committing(&self) {}
}

/// A [`Progress`] that ignores everything.
pub struct NoProgress;
impl Progress for NoProgress {}

/// An input, or a record of one, that was not indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disposition {
    /// The input file (or path that could not be walked).
    pub input: String,
    /// Line or record number within it, when the reason is about one record.
    pub record: Option<u64>,
    /// Why, for a person to act on.
    pub reason: String,
}

impl Disposition {
    /// A disposition of `record` of the input at `path` (record 0: the whole input).
    pub fn at(path: &Path, record: u64, reason: String) -> Disposition {
        Disposition {
            input: path.display().to_string(),
            record: (record > 0).then_some(record),
            reason,
        }
    }
}

/// The account of an indexing run.
#[derive(Debug, Clone, Default)]
pub struct IndexReport {
    /// Articles indexed.
    pub articles: u64,
    /// Passages (documents) indexed.
    pub passages: u64,
    /// Input bytes (on disk) of the files read.
    pub bytes: u64,
    /// Input files found.
    pub files: u64,
    /// Wall time, commit included.
    pub elapsed: Duration,
    /// Inputs and records left out on purpose.
    pub skipped: Vec<Disposition>,
    /// Inputs and records that could not be read.
    pub failed: Vec<Disposition>,
    /// Things an input stated that could not be used (the article was indexed).
    pub warnings: Vec<Disposition>,
}

/// Indexes `paths` (files or folders) into the index of `options`.
///
/// Per-input problems are accounted in the report; an `Err` means the run
/// itself could not proceed (index unopenable, locked, unwritable).
pub fn index_paths(
    paths: &[PathBuf],
    options: &IndexOptions,
    progress: &dyn Progress,
) -> Result<IndexReport> {
    let started = Instant::now();
    let target = open_or_create(&options.index_dir)?;
    let threads = options.threads.max(1);
    let heap_mb = options.heap_mb.max(MIN_HEAP_MB_PER_THREAD * threads);
    let writer: IndexWriter<TantivyDocument> = target
        .index
        .writer_with_num_threads(threads, heap_mb * 1024 * 1024)
        .map_err(|error| match error {
            tantivy::TantivyError::LockFailure(..) => Error::Locked {
                path: options.index_dir.clone(),
            },
            other => Error::Tantivy(other),
        })?;
    let replaces = target.index.reader()?.searcher().num_docs() > 0;

    let discovery = discover(paths);
    let mut report = IndexReport {
        files: discovery.files.len() as u64,
        bytes: discovery.files.iter().map(|file| file.size).sum(),
        ..IndexReport::default()
    };
    report.failed.extend(
        discovery
            .failed
            .into_iter()
            .map(|(path, reason)| Disposition::at(&path, 0, reason)),
    );
    progress.start(report.bytes, discovery.files.len());

    let run = Run {
        fields: &target.fields,
        writer: &writer,
        ingest: &options.ingest,
        entities: &options.entities,
        progress,
        replaces,
        seen: Mutex::new(HashMap::new()),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|error| Error::Usage(format!("cannot start {threads} worker threads: {error}")))?;
    let outcomes: Vec<FileAccount> = pool.install(|| {
        discovery
            .files
            .par_iter()
            .map(|file| run.index_file(file))
            .collect()
    });
    for outcome in outcomes {
        report.absorb(outcome)?;
    }

    progress.committing();
    let mut writer = writer;
    let payload = serde_json::json!({
        "gazette": env!("CARGO_PKG_VERSION"),
        "articles": report.articles,
        "passages": report.passages,
        "files": report.files,
    });
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload.to_string());
    prepared.commit()?;
    writer.wait_merging_threads()?;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Shared state of one run, used from the worker threads.
struct Run<'a> {
    fields: &'a Fields,
    writer: &'a IndexWriter<TantivyDocument>,
    ingest: &'a IngestOptions,
    entities: &'a Option<Arc<EntityRecogniser>>,
    progress: &'a dyn Progress,
    /// Whether the index held documents before the run, so that documents
    /// of re-read inputs and articles must replace older ones.
    replaces: bool,
    /// Article ids written in this run, with where they came from.
    seen: Mutex<HashMap<String, String>>,
}

/// What became of one input file.
#[derive(Default)]
struct FileAccount {
    articles: u64,
    passages: u64,
    skipped: Vec<Disposition>,
    failed: Vec<Disposition>,
    warnings: Vec<Disposition>,
    /// A writer failure: stops the run.
    fatal: Option<Error>,
}

impl IndexReport {
    fn absorb(&mut self, account: FileAccount) -> Result<()> {
        if let Some(error) = account.fatal {
            return Err(error);
        }
        self.articles += account.articles;
        self.passages += account.passages;
        self.skipped.extend(account.skipped);
        self.failed.extend(account.failed);
        self.warnings.extend(account.warnings);
        Ok(())
    }
}

impl FileAccount {
    fn note(list: &mut Vec<Disposition>, path: &Path, record: u64, reason: String) {
        list.push(Disposition::at(path, record, reason));
    }
}

impl Run<'_> {
    fn index_file(&self, file: &InputFile) -> FileAccount {
        let mut account = FileAccount::default();
        let path = file.path.as_path();
        if self.replaces {
            self.writer.delete_term(Term::from_field_text(
                self.fields.input,
                &path.display().to_string(),
            ));
        }
        let on_bytes = |bytes: u64| self.progress.bytes_read(bytes);
        let mut batch = Vec::with_capacity(BATCH_RECORDS);
        ingest::read_file(path, self.ingest, &on_bytes, &mut |outcome| match outcome {
            RecordOutcome::Article(raw) => {
                batch.push(*raw);
                if batch.len() == BATCH_RECORDS {
                    self.write_batch(file, std::mem::take(&mut batch), &mut account);
                }
            }
            RecordOutcome::Skipped { record, reason } => {
                FileAccount::note(&mut account.skipped, path, record, reason);
            }
            RecordOutcome::Failed { record, reason } => {
                FileAccount::note(&mut account.failed, path, record, reason);
            }
        });
        self.write_batch(file, batch, &mut account);
        account
    }

    fn write_batch(
        &self,
        file: &InputFile,
        batch: Vec<ingest::RawArticle>,
        account: &mut FileAccount,
    ) {
        if batch.is_empty() || account.fatal.is_some() {
            return;
        }
        let origin = Origin {
            input: &file.path,
            collection: &file.collection,
        };
        let analyzed: Vec<_> = batch
            .into_par_iter()
            .map_init(
                || Analyzer::new(self.entities.clone()),
                |analyzer, raw| analyzer.analyze(raw, origin),
            )
            .collect();
        let mut written = 0;
        for (article, warnings) in analyzed {
            for warning in warnings {
                FileAccount::note(
                    &mut account.warnings,
                    &file.path,
                    article.record,
                    warning.to_string(),
                );
            }
            if article.passages.is_empty() {
                FileAccount::note(
                    &mut account.skipped,
                    &file.path,
                    article.record,
                    "no body text".to_owned(),
                );
                continue;
            }
            if let Some(first) = self.first_seen(&article) {
                FileAccount::note(
                    &mut account.skipped,
                    &file.path,
                    article.record,
                    format!(
                        "duplicate of article `{}` already read from {first}",
                        article.id
                    ),
                );
                continue;
            }
            if let Err(error) = self.write_article(&article) {
                account.fatal = Some(error);
                return;
            }
            account.articles += 1;
            account.passages += article.passages.len() as u64;
            written += 1;
        }
        self.progress.articles_written(written);
    }

    /// Where an article with the same id was read before in this run, if it was.
    fn first_seen(&self, article: &Article) -> Option<String> {
        let here = location(&article.input, article.record);
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match seen.get(&article.id) {
            Some(first) => Some(first.clone()),
            None => {
                seen.insert(article.id.clone(), here);
                None
            }
        }
    }

    fn write_article(&self, article: &Article) -> Result<()> {
        if self.replaces {
            self.writer
                .delete_term(Term::from_field_text(self.fields.article_id, &article.id));
        }
        for doc in passage_documents(article, self.fields) {
            self.writer.add_document(doc)?;
        }
        Ok(())
    }
}
