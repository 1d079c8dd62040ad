//! index: writing articles into the tantivy index.
//!
//! Owns the write side: opening or creating the index, deciding which inputs
//! need reading (new or changed since the last commit's [`manifest`]),
//! fanning them out over rayon workers (read → analyze → documents),
//! handing documents to tantivy's multi-threaded `IndexWriter`, accounting
//! for every input, and committing — every `commit_every_mb` and at the end —
//! with a manifest recording what each commit holds.
//!
//! Re-reading an input always deletes what the index held from it first, so
//! a run killed at any point and re-run ends with each article exactly once.
//!
//! It reports progress through the [`Progress`] trait and draws nothing:
//! progress bars belong to the binary.

mod check;
mod document;
pub mod manifest;
mod store;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tantivy::collector::TopDocs;
use tantivy::indexer::LogMergePolicy;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{IndexWriter, Searcher, TantivyDocument, Term};

use crate::analyze::{Analyzer, Article, EntityRecogniser, Origin};
use crate::ingest::{self, discover, location, IngestOptions, InputFile, RecordOutcome};
use crate::schema::Fields;
use crate::{Error, Result};

pub use check::{check, CheckReport};
pub use document::{
    date_facet, entity_of_value, entity_value, passage_documents, stored_entities, to_tantivy,
};
use manifest::{
    hash_file, last_payload, stat, sync_directory, CommitPayload, Fingerprint, InputRecord,
    Manifest,
};
pub use store::{
    disk_size, keep_authority, open, open_or_create, ColumnCache, GazetteIndex, KeptAuthority,
    AUTHORITY_FILE,
};

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
    /// Remove the documents of inputs, under the paths given, that no longer exist.
    pub prune: bool,
    /// Commit after about this many MiB of input have been read (0: only at the end).
    pub commit_every_mb: u64,
    /// Set to stop the run: it stops reading, commits what is done and returns.
    pub interrupt: Arc<AtomicBool>,
    /// The entity recogniser, shared by the workers; `None` turns entity
    /// extraction off. When the index keeps authority entries of its own
    /// (or `added_authority` brings some), a recogniser of the built-in
    /// authority plus those replaces it for the run.
    pub entities: Option<Arc<EntityRecogniser>>,
    /// Authority lines (TSV, see `schema/authority/README.md`) to add to the
    /// index's own: kept with the index, so that later runs recognise them
    /// and searches resolve their aliases.
    pub added_authority: String,
}

impl IndexOptions {
    /// Options with the defaults for everything but the index directory:
    /// all cores, entities recognised with the built-in authority.
    pub fn new(index_dir: PathBuf) -> IndexOptions {
        IndexOptions {
            index_dir,
            threads: std::thread::available_parallelism().map_or(1, usize::from),
            heap_mb: DEFAULT_HEAP_MB,
            ingest: IngestOptions::default(),
            prune: false,
            commit_every_mb: DEFAULT_COMMIT_EVERY_MB,
            interrupt: Arc::new(AtomicBool::new(false)),
            entities: Some(EntityRecogniser::builtin()),
            added_authority: String::new(),
        }
    }
}

/// Default writer heap, in MiB. Each indexing thread fills its share before
/// it writes a segment; larger in-memory segments index more slowly (at
/// 1024 MiB a 500 MB collection took 11 % more CPU than at 256 MiB,
/// benches/README.md), and tantivy only takes what it fills.
pub const DEFAULT_HEAP_MB: usize = 256;

/// Default commit interval, in MiB of input read: a killed run loses at
/// most about this much work, and each commit costs a segment flush.
pub const DEFAULT_COMMIT_EVERY_MB: u64 = 512;

/// The writer's minimum heap per thread (tantivy refuses less).
const MIN_HEAP_MB_PER_THREAD: usize = 15;

/// Records read from one file are analyzed and written in batches of this
/// many, so that a single large file is still analyzed in parallel.
const BATCH_RECORDS: usize = 256;

/// The file a writing gazette process records its pid in, for the lock message.
const PID_FILE: &str = "gazette-writer.pid";

/// What an indexing run reports as it goes. Implementations must be cheap:
/// they are called from worker threads.
pub trait Progress: Sync {
    /// The run starts: this many bytes in this many files.
    fn start(&self, _total_bytes: u64, _files: usize) {}
    /// More raw input bytes were read (or found unchanged).
    fn bytes_read(&self, _bytes: u64) {}
    /// More articles were handed to the writer.
    fn articles_written(&self, _articles: u64) {}
    /// A commit starts.
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
    /// Input files left as they were: unchanged since the last commit.
    pub unchanged: u64,
    /// Input files whose documents were removed because the files are gone (`--prune`).
    pub pruned: u64,
    /// Input files not read because the run was interrupted.
    pub not_read: u64,
    /// Commits made.
    pub commits: u64,
    /// Whether the run was interrupted (it committed what was done).
    pub interrupted: bool,
    /// Time spent in each stage.
    pub stages: StageTimes,
}

/// Time spent in each stage of a run. Stages run in parallel on several
/// threads, so these are thread-times summed over threads, not wall time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageTimes {
    /// Reading, decompressing, decoding and parsing inputs (and hashing new ones).
    pub read: Duration,
    /// Analysis: language, passages, dates.
    pub analyze: Duration,
    /// Building documents and handing them to tantivy's writer (which
    /// tokenizes and indexes them on its own threads, and makes this stage
    /// wait when it falls behind).
    pub write: Duration,
    /// Commits: flushing segments, the manifest, fsyncs.
    pub commit: Duration,
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
    let dir = options.index_dir.as_path();
    let entities = run_recogniser(&target, options)?;
    let threads = options.threads.max(1);
    let heap_mb = options.heap_mb.max(MIN_HEAP_MB_PER_THREAD * threads);
    let writer = acquire_writer(&target, threads, heap_mb)?;
    let last_commit = last_payload(&target.index)?;
    let previous = match &last_commit {
        Some(payload) => Manifest::read(dir, payload)?,
        None => Manifest::default(),
    };
    remove_stale_manifests(dir, last_commit.as_ref().map(|p| p.manifest.as_str()))?;
    let searcher = target.index.reader()?.searcher();

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
        dir,
        writer: RwLock::new(writer),
        ingest: &options.ingest,
        entities: &entities,
        progress,
        searcher,
        previous: &previous,
        manifest: Mutex::new(previous.clone()),
        pruned: Mutex::new(BTreeSet::new()),
        seen: Mutex::new(HashMap::new()),
        interrupt: &options.interrupt,
        bytes_read: AtomicU64::new(0),
        committed_at: AtomicU64::new(0),
        commit_every: options.commit_every_mb.saturating_mul(1024 * 1024),
        commits: AtomicU64::new(0),
        read_ns: AtomicU64::new(0),
        analyze_ns: AtomicU64::new(0),
        write_ns: AtomicU64::new(0),
        commit_ns: AtomicU64::new(0),
    };
    if options.prune {
        report.pruned = run.prune(paths);
    }
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

    run.commit()?;
    report.stages = run.stage_times();
    report.interrupted = options.interrupt.load(Ordering::SeqCst);
    report.commits = run.commits.load(Ordering::SeqCst);
    let writer = run
        .writer
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    if !report.interrupted {
        writer.wait_merging_threads()?;
    }
    // Best effort: the pid file only serves the lock message.
    let _ = std::fs::remove_file(dir.join(PID_FILE));
    report.elapsed = started.elapsed();
    Ok(report)
}

/// The recogniser of this run: the index's own authority entries and the
/// added ones (kept with the index from now on) on top of the built-in ones.
fn run_recogniser(
    target: &GazetteIndex,
    options: &IndexOptions,
) -> Result<Option<Arc<EntityRecogniser>>> {
    let added = !options.added_authority.trim().is_empty();
    let mut authority = target.authority.get()?.clone();
    if added {
        authority
            .add(&options.added_authority)
            .map_err(|source| Error::Authority {
                path: PathBuf::from("the added authority"),
                source,
            })?;
        keep_authority(&target.dir, &options.added_authority)?;
    }
    match &options.entities {
        Some(_) if added || target.authority.has_own_entries()? => {
            Ok(Some(Arc::new(EntityRecogniser::new(&authority))))
        }
        other => Ok(other.clone()),
    }
}

/// tantivy's log merge policy, merging only when 16 segments of a size have
/// piled up rather than 8: a bulk load of 1 GB (about 15 segments) runs
/// without a merge competing for the cores, while a collection grown over
/// many runs still ends up in few large segments.
fn bulk_merge_policy() -> LogMergePolicy {
    let mut policy = LogMergePolicy::default();
    policy.set_min_num_segments(MERGE_SEGMENTS);
    policy
}

/// How many segments of a size the merge policy waits for.
const MERGE_SEGMENTS: usize = 16;

/// Takes tantivy's writer lock (an OS file lock, released by the system
/// when a process dies, so a killed run never leaves a lock behind) and
/// records this process's pid for the message another process would get.
fn acquire_writer(
    target: &GazetteIndex,
    threads: usize,
    heap_mb: usize,
) -> Result<IndexWriter<TantivyDocument>> {
    let pid_file = target.dir.join(PID_FILE);
    match target
        .index
        .writer_with_num_threads(threads, heap_mb * 1024 * 1024)
    {
        Ok(writer) => {
            std::fs::write(&pid_file, std::process::id().to_string())
                .map_err(|e| Error::io(&pid_file, e))?;
            writer.set_merge_policy(Box::new(bulk_merge_policy()));
            Ok(writer)
        }
        Err(tantivy::TantivyError::LockFailure(..)) => Err(Error::Locked {
            path: target.dir.clone(),
            pid: std::fs::read_to_string(&pid_file)
                .ok()
                .and_then(|pid| pid.trim().parse().ok()),
        }),
        Err(other) => Err(Error::Tantivy(other)),
    }
}

/// Removes manifest files other than `keep` (the one the last commit
/// names): those of earlier commits and those a killed run wrote for a
/// commit that never happened, and temporary ones.
fn remove_stale_manifests(dir: &Path, keep: Option<&str>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if Manifest::is_leftover_candidate(&name) && Some(name.as_str()) != keep {
            std::fs::remove_file(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
        }
    }
    Ok(())
}

/// Shared state of one run, used from the worker threads.
struct Run<'a> {
    fields: &'a Fields,
    dir: &'a Path,
    /// Workers add documents under the read lock; a commit takes the write lock.
    writer: RwLock<IndexWriter<TantivyDocument>>,
    ingest: &'a IngestOptions,
    entities: &'a Option<Arc<EntityRecogniser>>,
    progress: &'a dyn Progress,
    /// The last commit, as the run started.
    searcher: Searcher,
    /// The manifest of the last commit.
    previous: &'a Manifest,
    /// The manifest of the next commit: inputs completed so far.
    manifest: Mutex<Manifest>,
    /// Canonical paths pruned in this run.
    pruned: Mutex<BTreeSet<String>>,
    /// Article ids written in this run, with where they came from.
    seen: Mutex<HashMap<String, String>>,
    interrupt: &'a AtomicBool,
    bytes_read: AtomicU64,
    /// `bytes_read` at the last commit.
    committed_at: AtomicU64,
    commit_every: u64,
    commits: AtomicU64,
    /// Nanoseconds spent per stage, summed over threads.
    read_ns: AtomicU64,
    analyze_ns: AtomicU64,
    write_ns: AtomicU64,
    commit_ns: AtomicU64,
}

/// What became of one input file.
#[derive(Default)]
struct FileAccount {
    articles: u64,
    passages: u64,
    unchanged: bool,
    not_read: bool,
    skipped: Vec<Disposition>,
    failed: Vec<Disposition>,
    warnings: Vec<Disposition>,
    /// Time spent analyzing and writing this file's records.
    analyze: Duration,
    write: Duration,
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
        self.unchanged += u64::from(account.unchanged);
        self.not_read += u64::from(account.not_read);
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

/// The key an input is known by across runs: its canonical path.
fn input_key(path: &Path) -> String {
    path.canonicalize()
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

fn add_time(total: &AtomicU64, time: Duration) {
    let nanos = u64::try_from(time.as_nanos()).unwrap_or(u64::MAX);
    total.fetch_add(nanos, Ordering::Relaxed);
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Run<'_> {
    /// Deletes the documents of recorded inputs under `roots` that no longer exist.
    fn prune(&self, roots: &[PathBuf]) -> u64 {
        let roots: Vec<String> = roots.iter().map(|root| input_key(root)).collect();
        let gone: Vec<String> = self
            .previous
            .inputs
            .keys()
            .filter(|key| roots.iter().any(|root| key.starts_with(root)))
            .filter(|key| !Path::new(key).exists())
            .cloned()
            .collect();
        let writer = self.writer.read().unwrap_or_else(PoisonError::into_inner);
        let mut manifest = lock(&self.manifest);
        for key in &gone {
            writer.delete_term(Term::from_field_text(self.fields.input_key, key));
            manifest.inputs.remove(key);
        }
        lock(&self.pruned).extend(gone.iter().cloned());
        gone.len() as u64
    }

    fn index_file(&self, file: &InputFile) -> FileAccount {
        let mut account = FileAccount::default();
        if self.interrupt.load(Ordering::SeqCst) {
            account.not_read = true;
            return account;
        }
        let path = file.path.as_path();
        let key = input_key(path);
        let started = Instant::now();
        let fingerprint = match self.fingerprint(path, &key) {
            Ok(Some(fingerprint)) => fingerprint,
            Ok(None) => {
                account.unchanged = true;
                self.progress.bytes_read(file.size);
                return account;
            }
            Err(error) => {
                FileAccount::note(&mut account.failed, path, 0, error.to_string());
                return account;
            }
        };
        self.with_writer(|writer| {
            writer.delete_term(Term::from_field_text(self.fields.input_key, &key));
        });
        let on_bytes = |bytes: u64| {
            self.bytes_read.fetch_add(bytes, Ordering::Relaxed);
            self.progress.bytes_read(bytes);
        };
        let mut batch = Vec::with_capacity(BATCH_RECORDS);
        let mut file_failed = false;
        ingest::read_file(path, self.ingest, &on_bytes, &mut |outcome| match outcome {
            RecordOutcome::Article(raw) => {
                if self.interrupt.load(Ordering::Relaxed) {
                    return;
                }
                batch.push(*raw);
                if batch.len() == BATCH_RECORDS {
                    self.write_batch(file, &key, std::mem::take(&mut batch), &mut account);
                }
            }
            RecordOutcome::Skipped { record, reason } => {
                FileAccount::note(&mut account.skipped, path, record, reason);
            }
            RecordOutcome::Failed { record, reason } => {
                file_failed |= record == 0;
                FileAccount::note(&mut account.failed, path, record, reason);
            }
        });
        self.write_batch(file, &key, batch, &mut account);
        let reading = started
            .elapsed()
            .saturating_sub(account.analyze + account.write);
        add_time(&self.read_ns, reading);
        add_time(&self.analyze_ns, account.analyze);
        add_time(&self.write_ns, account.write);
        let complete = !file_failed && !self.interrupt.load(Ordering::SeqCst);
        {
            let mut manifest = lock(&self.manifest);
            if complete && account.fatal.is_none() {
                let record = InputRecord {
                    path: path.display().to_string(),
                    fingerprint,
                    articles: account.articles,
                    passages: account.passages,
                };
                manifest.inputs.insert(key, record);
            } else {
                // Not recorded: the next run reads it again and replaces
                // whatever part of it a commit holds.
                manifest.inputs.remove(&key);
            }
        }
        if let Err(error) = self.maybe_commit() {
            account.fatal.get_or_insert(error);
        }
        account
    }

    /// The fingerprint of an input that must be read, or `None` when it is
    /// unchanged since the last commit (same size and time, or same content).
    fn fingerprint(&self, path: &Path, key: &str) -> std::io::Result<Option<Fingerprint>> {
        let (size, mtime_ns) = stat(path)?;
        let recorded = self.previous.inputs.get(key);
        if recorded
            .is_some_and(|r| r.fingerprint.size == size && r.fingerprint.mtime_ns == mtime_ns)
        {
            return Ok(None);
        }
        // Hashed before reading: if the file changes while it is read, the
        // recorded hash is the older one and the next run reads it again.
        let hash = hash_file(path)?;
        let fingerprint = Fingerprint {
            size,
            mtime_ns,
            hash,
        };
        match recorded {
            Some(record) if record.fingerprint.hash == fingerprint.hash => {
                // Touched but not changed: remember the new time.
                if let Some(entry) = lock(&self.manifest).inputs.get_mut(key) {
                    entry.fingerprint = fingerprint;
                }
                Ok(None)
            }
            _ => Ok(Some(fingerprint)),
        }
    }

    fn with_writer<T>(&self, action: impl FnOnce(&IndexWriter<TantivyDocument>) -> T) -> T {
        let writer = self.writer.read().unwrap_or_else(PoisonError::into_inner);
        action(&writer)
    }

    fn write_batch(
        &self,
        file: &InputFile,
        key: &str,
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
        let analyzing = Instant::now();
        let analyzed: Vec<_> = batch
            .into_par_iter()
            .map_init(
                || Analyzer::new(self.entities.clone()),
                |analyzer, raw| analyzer.analyze(raw, origin),
            )
            .collect();
        account.analyze += analyzing.elapsed();
        let writing = Instant::now();
        let mut written = 0;
        let result = self.with_writer(|writer| -> Result<()> {
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
                if let Some(first) = self.duplicate_of(&article, key) {
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
                for doc in passage_documents(&article, key, self.fields) {
                    writer.add_document(doc)?;
                }
                account.articles += 1;
                account.passages += article.passages.len() as u64;
                written += 1;
            }
            Ok(())
        });
        account.write += writing.elapsed();
        if let Err(error) = result {
            account.fatal = Some(error);
            return;
        }
        self.progress.articles_written(written);
        if let Err(error) = self.maybe_commit() {
            account.fatal = Some(error);
        }
    }

    /// Where an article with the same id was read before — earlier in this
    /// run, or from another input in the last commit — if it was.
    fn duplicate_of(&self, article: &Article, key: &str) -> Option<String> {
        let here = location(&article.input, article.record);
        {
            let mut seen = lock(&self.seen);
            if let Some(first) = seen.get(&article.id) {
                return Some(first.clone());
            }
            seen.insert(article.id.clone(), here);
        }
        self.indexed_elsewhere(&article.id, key)
    }

    fn indexed_elsewhere(&self, id: &str, key: &str) -> Option<String> {
        if self.searcher.num_docs() == 0 {
            return None;
        }
        let query = TermQuery::new(
            Term::from_field_text(self.fields.article_id, id),
            IndexRecordOption::Basic,
        );
        let top = self
            .searcher
            .search(&query, &TopDocs::with_limit(1).order_by_score())
            .ok()?;
        let (_, address) = top.first()?;
        let doc: TantivyDocument = self.searcher.doc(*address).ok()?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|value| value.as_str().map(str::to_owned))
        };
        let other_key = text(self.fields.input_key)?;
        if other_key == key || lock(&self.pruned).contains(&other_key) {
            return None;
        }
        let record = doc
            .get_first(self.fields.record)
            .and_then(|value| value.as_u64())
            .unwrap_or(0);
        let input = text(self.fields.input)?;
        Some(location(Path::new(&input), record))
    }

    /// Commits when `commit_every` bytes have been read since the last commit.
    fn maybe_commit(&self) -> Result<()> {
        if self.commit_every == 0 {
            return Ok(());
        }
        let read = self.bytes_read.load(Ordering::SeqCst);
        let last = self.committed_at.load(Ordering::SeqCst);
        if read.saturating_sub(last) < self.commit_every {
            return Ok(());
        }
        // One worker commits; the others carry on until it takes the lock.
        if self
            .committed_at
            .compare_exchange(last, read, Ordering::SeqCst, Ordering::SeqCst)
            .is_err()
        {
            return Ok(());
        }
        self.commit()
    }

    fn stage_times(&self) -> StageTimes {
        let time = |nanos: &AtomicU64| Duration::from_nanos(nanos.load(Ordering::SeqCst));
        StageTimes {
            read: time(&self.read_ns),
            analyze: time(&self.analyze_ns),
            write: time(&self.write_ns),
            commit: time(&self.commit_ns),
        }
    }

    /// Commits everything added so far with the manifest of completed inputs.
    fn commit(&self) -> Result<()> {
        let started = Instant::now();
        let result = self.commit_now();
        add_time(&self.commit_ns, started.elapsed());
        result
    }

    fn commit_now(&self) -> Result<()> {
        self.progress.committing();
        let mut writer = self.writer.write().unwrap_or_else(PoisonError::into_inner);
        let manifest = lock(&self.manifest).clone();
        let mut prepared = writer.prepare_commit()?;
        let name = Manifest::file_name(prepared.opstamp());
        manifest.write(self.dir, &name)?;
        let payload = CommitPayload {
            gazette: env!("CARGO_PKG_VERSION").to_owned(),
            manifest: name.clone(),
            articles: manifest.articles(),
            passages: manifest.passages(),
            inputs: manifest.inputs.len() as u64,
        };
        prepared.set_payload(&serde_json::to_string(&payload).unwrap_or_default());
        prepared.commit()?;
        // tantivy fsyncs the directory before renaming meta.json, not after:
        // without this, a power cut could bring back the previous commit.
        sync_directory(self.dir)?;
        self.commits.fetch_add(1, Ordering::SeqCst);
        remove_stale_manifests(self.dir, Some(&name))
    }
}
