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
//! An article found in several inputs (the same id) is kept from the input
//! whose key sorts first, whatever order the inputs were read in and
//! whatever runs came before: see [`manifest`] for how the manifest makes
//! that a function of the inputs alone, and which inputs a run must read
//! again when the copy it kept goes away.
//!
//! It reports progress through the [`Progress`] trait and draws nothing:
//! progress bars belong to the binary.

mod check;
mod columns;
mod dispositions;
mod document;
pub mod manifest;
mod store;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tantivy::indexer::LogMergePolicy;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{IndexWriter, TantivyDocument, Term};

use crate::analyze::{Analyzer, EntityRecogniser, Origin};
use crate::ingest::{self, discover_excluding, location, IngestOptions, InputFile, RecordOutcome};
use crate::schema::Fields;
use crate::{Error, Result};

pub use check::{check, CheckReport};
pub use columns::{dictionary_terms, sorted_distinct};
pub use dispositions::{Disposition, DispositionKind, Dispositions};
pub use document::{
    date_facet, entity_of_value, entity_value, passage_documents, stored_entities, to_tantivy,
};
use manifest::{
    hash_file, input_key, key_path, last_payload, now_ns, stat, sync_directory, Claim,
    CommitPayload, Fingerprint, InputRecord, Manifest,
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
    /// An input or record was skipped, failed, or indexed with a warning.
    /// The report counts them all but lists only the first: this sees
    /// every one.
    fn noted(&self, _kind: DispositionKind, _entry: &Disposition) {}
}

/// A [`Progress`] that ignores everything.
pub struct NoProgress;
impl Progress for NoProgress {}

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
    pub skipped: Dispositions,
    /// Inputs and records that could not be read.
    pub failed: Dispositions,
    /// Things an input stated that could not be used (the article was indexed).
    pub warnings: Dispositions,
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
/// itself could not proceed (index unopenable, locked, unwritable, a
/// `--prune` root that does not exist).
pub fn index_paths(
    paths: &[PathBuf],
    options: &IndexOptions,
    progress: &dyn Progress,
) -> Result<IndexReport> {
    let started = Instant::now();
    let prune_roots = if options.prune {
        Some(prune_roots(paths)?)
    } else {
        None
    };
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

    let discovery = discover_excluding(paths, &[dir.to_path_buf()]);
    let mut report = IndexReport {
        files: discovery.files.len() as u64,
        bytes: discovery.files.iter().map(|file| file.size).sum(),
        ..IndexReport::default()
    };
    progress.start(report.bytes, discovery.files.len());
    let ledger = Ledger {
        progress,
        lists: Mutex::default(),
    };
    for (kind, found) in [
        (DispositionKind::Failed, discovery.failed),
        (DispositionKind::Skipped, discovery.skipped),
    ] {
        for (path, reason) in found {
            ledger.note(kind, Disposition::at(&path, 0, reason));
        }
    }

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|error| Error::Usage(format!("cannot start {threads} worker threads: {error}")))?;
    let plan = pool.install(|| Plan::make(&previous, discovery.files, prune_roots.as_deref()));
    progress.bytes_read(plan.unchanged_bytes);
    report.unchanged = plan.unchanged;
    report.pruned = plan.pruned;
    for entry in plan.failed {
        ledger.note(DispositionKind::Failed, entry);
    }

    let writer = RwLock::new(writer);
    {
        let writer = writer.read().unwrap_or_else(PoisonError::into_inner);
        for key in &plan.removed {
            writer.delete_term(Term::from_field_text(target.fields.input_key, key));
        }
    }
    let owners = kept_copies(&plan.manifest);
    let run = Run {
        fields: &target.fields,
        dir,
        writer,
        ingest: &options.ingest,
        entities: &entities,
        progress,
        ledger,
        manifest: Mutex::new(plan.manifest),
        owners: Mutex::new(owners),
        takeovers: Mutex::new(Vec::new()),
        replaced: Mutex::new((0, 0)),
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
    let outcomes: Vec<FileAccount> = pool.install(|| {
        plan.to_read
            .par_iter()
            .map(|(file, fingerprint)| run.index_file(file, fingerprint.as_ref()))
            .collect()
    });
    for outcome in outcomes {
        if let Err(error) = report.absorb(outcome) {
            return Err(run.writer_failure(error));
        }
    }

    run.commit().map_err(|error| writer_error(dir, error))?;
    let (replaced_articles, replaced_passages) = *lock(&run.replaced);
    report.articles = report.articles.saturating_sub(replaced_articles);
    report.passages = report.passages.saturating_sub(replaced_passages);
    let (skipped, failed, warnings) = std::mem::take(&mut *lock(&run.ledger.lists));
    (report.skipped, report.failed, report.warnings) = (skipped, failed, warnings);
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

/// Where the index keeps each article from, as a run starts: the inputs
/// of the manifest that the run does not read again.
fn kept_copies(manifest: &Manifest) -> HashMap<String, Holder> {
    let owners = manifest.owners();
    let mut kept = HashMap::with_capacity(owners.len());
    for (key, record) in &manifest.inputs {
        if manifest.unsettled.contains(key) {
            continue;
        }
        for claim in &record.articles {
            if owners.get(claim.id()) == Some(&key.as_str()) {
                let holder = Holder {
                    key: key.clone(),
                    input: PathBuf::from(&record.path),
                    record: claim.record(),
                    written_passages: None,
                };
                kept.insert(claim.id().to_owned(), holder);
            }
        }
    }
    kept
}

/// The canonical paths of the roots `--prune` works under. A root that does
/// not exist is refused: pruning under it would remove everything it held.
fn prune_roots(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    paths
        .iter()
        .map(|root| {
            root.canonicalize().map_err(|error| {
                Error::Usage(format!(
                    "--prune: {} cannot be read ({error}); nothing was pruned. \
                     Name the folders that exist, or run without --prune",
                    root.display()
                ))
            })
        })
        .collect()
}

/// What a run must do, decided before anything is written: which inputs
/// to read (new, changed, unfinished last time, or holding a duplicate of
/// an article whose kept copy goes away), which to remove, and the
/// manifest the run starts from.
struct Plan {
    /// Inputs to read, with their fingerprint when it is already known.
    to_read: Vec<(InputFile, Option<Fingerprint>)>,
    /// Keys whose documents go before anything is read: pruned inputs, and
    /// unfinished ones that no longer exist.
    removed: BTreeSet<String>,
    /// The manifest as the run starts: every input to read is unsettled.
    manifest: Manifest,
    unchanged: u64,
    unchanged_bytes: u64,
    pruned: u64,
    failed: Vec<Disposition>,
}

/// Whether an input found on disk must be read.
enum Freshness {
    Unchanged(Option<Fingerprint>),
    Changed(Option<Fingerprint>),
}

impl Plan {
    fn make(previous: &Manifest, files: Vec<InputFile>, prune_roots: Option<&[PathBuf]>) -> Plan {
        let mut manifest = previous.clone();
        let mut plan_failed = Vec::new();
        let checked: Vec<_> = files
            .into_par_iter()
            .map(|file| {
                let key = input_key(&file.canonical);
                let freshness = freshness(previous, &key, &file.canonical);
                (file, key, freshness)
            })
            .collect();

        let mut to_read = Vec::new();
        let mut reading = HashSet::new();
        let (mut unchanged, mut unchanged_bytes) = (0u64, 0u64);
        let mut unchanged_sizes = HashMap::new();
        for (file, key, freshness) in checked {
            match freshness {
                Ok(Freshness::Unchanged(refreshed)) => {
                    unchanged += 1;
                    unchanged_bytes += file.size;
                    unchanged_sizes.insert(key.clone(), file.size);
                    if let (Some(fingerprint), Some(record)) =
                        (refreshed, manifest.inputs.get_mut(&key))
                    {
                        record.fingerprint = fingerprint;
                    }
                }
                Ok(Freshness::Changed(fingerprint)) => {
                    reading.insert(key);
                    to_read.push((file, fingerprint));
                }
                // Left as the index has it: the file is there, and may be
                // readable next time.
                Err(error) => plan_failed.push(Disposition::at(&file.path, 0, error.to_string())),
            }
        }

        // Unfinished inputs that are not read again lose what the index
        // holds of them; with --prune, so do recorded inputs that are gone.
        let mut removed: BTreeSet<String> = previous
            .unsettled
            .iter()
            .filter(|key| !reading.contains(*key) && !key_path(key).is_file())
            .cloned()
            .collect();
        let mut pruned = 0;
        if let Some(roots) = prune_roots {
            for key in previous.inputs.keys().chain(&previous.unsettled) {
                let path = key_path(key);
                if roots.iter().any(|root| path.starts_with(root))
                    && !path.is_file()
                    && !removed.contains(key)
                {
                    pruned += u64::from(previous.inputs.contains_key(key));
                    removed.insert(key.clone());
                }
            }
        }
        for key in &removed {
            manifest.inputs.remove(key);
            manifest.unsettled.remove(key);
        }

        // An article whose kept copy is replaced or removed is read again
        // from the other inputs that hold it; one that no longer exists
        // cannot give it back, and stops claiming it.
        let replaced: HashSet<&str> = reading
            .iter()
            .map(String::as_str)
            .chain(removed.iter().map(String::as_str))
            .chain(previous.unsettled.iter().map(String::as_str))
            .collect();
        let owners = previous.owners();
        let mut forced = BTreeSet::new();
        let mut dropped: Vec<(String, String)> = Vec::new();
        for (key, record) in &previous.inputs {
            if replaced.contains(key.as_str()) {
                continue;
            }
            for claim in &record.articles {
                let owner = owners.get(claim.id()).copied();
                if owner == Some(key.as_str()) || !owner.is_some_and(|o| replaced.contains(o)) {
                    continue;
                }
                if key_path(key).is_file() {
                    forced.insert(key.clone());
                } else {
                    dropped.push((key.clone(), claim.id().to_owned()));
                }
            }
        }
        for (key, id) in dropped {
            if let Some(record) = manifest.inputs.get_mut(&key) {
                record.articles.retain(|claim| claim.id() != id);
                // No longer what the file holds: read it again if it comes back.
                record.complete = false;
            }
        }
        // Unfinished inputs outside this run's paths are finished too.
        forced.extend(
            previous
                .unsettled
                .iter()
                .filter(|key| !reading.contains(*key) && !removed.contains(*key))
                .cloned(),
        );
        for key in forced {
            if reading.contains(&key) {
                continue;
            }
            let path = key_path(&key);
            let size = std::fs::metadata(&path).map_or(0, |meta| meta.len());
            if let Some(size) = unchanged_sizes.remove(&key) {
                unchanged -= 1;
                unchanged_bytes -= size;
            }
            let collection = manifest
                .inputs
                .get(&key)
                .map(|record| record.collection.clone())
                .unwrap_or_default();
            to_read.push((
                InputFile {
                    canonical: path.clone(),
                    path,
                    size,
                    collection,
                },
                None,
            ));
            reading.insert(key);
        }
        manifest.unsettled.extend(reading);
        Plan {
            to_read,
            removed,
            manifest,
            unchanged,
            unchanged_bytes,
            pruned,
            failed: plan_failed,
        }
    }
}

/// Whether the input at `path` must be read, with its new fingerprint
/// when finding out needed one: unchanged when its stat says so, or when
/// its content hash is the recorded one.
fn freshness(previous: &Manifest, key: &str, path: &Path) -> std::io::Result<Freshness> {
    let recorded = previous
        .inputs
        .get(key)
        .filter(|record| record.complete && !previous.unsettled.contains(key));
    let Some(recorded) = recorded else {
        return Ok(Freshness::Changed(None));
    };
    let checked_ns = now_ns();
    let stat = stat(path)?;
    if recorded.fingerprint.unchanged_by_stat(&stat) {
        return Ok(Freshness::Unchanged(None));
    }
    let fingerprint = Fingerprint {
        stat,
        hash: hash_file(path)?,
        checked_ns,
    };
    if fingerprint.hash == recorded.fingerprint.hash {
        // Touched, moved back or copied over with the same bytes: remember
        // the new stat so the next run need not read it.
        Ok(Freshness::Unchanged(Some(fingerprint)))
    } else {
        Ok(Freshness::Changed(Some(fingerprint)))
    }
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
    ledger: Ledger<'a>,
    /// The manifest of the next commit.
    manifest: Mutex<Manifest>,
    /// For each article id, the input whose copy the index holds (or will
    /// once this run commits).
    owners: Mutex<HashMap<String, Holder>>,
    /// Copies replaced by a copy from an input whose key sorts first, to be
    /// deleted once that input is finished.
    takeovers: Mutex<Vec<Takeover>>,
    /// Articles and passages this run wrote and then gave way to another
    /// copy: the report does not count them.
    replaced: Mutex<(u64, u64)>,
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

/// The input that holds the kept copy of an article.
struct Holder {
    key: String,
    /// The input's path as given, for the duplicates' reason.
    input: PathBuf,
    /// The copy's record in it.
    record: u64,
    /// The copy's passages when this run wrote it (it counts in this run's
    /// report), none when an earlier run did.
    written_passages: Option<u64>,
}

impl Holder {
    fn location(&self) -> String {
        location(&self.input, self.record)
    }
}

/// An article whose copy from `from` gives way to the copy from `by`.
struct Takeover {
    id: String,
    from: String,
    by: String,
}

/// What a run does with an article just read.
enum Decision {
    /// The first copy seen, or one that sorts before the copy kept so far.
    Keep,
    /// Another copy is kept; this is where it is.
    DuplicateOf(String),
}

/// What became of one input file.
#[derive(Default)]
struct FileAccount {
    articles: u64,
    passages: u64,
    unchanged: bool,
    not_read: bool,
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
        Ok(())
    }
}

/// The skipped, failed and warned-about entries of a run, as they come.
struct Ledger<'a> {
    progress: &'a dyn Progress,
    /// Skipped, failed, warnings.
    lists: Mutex<(Dispositions, Dispositions, Dispositions)>,
}

impl Ledger<'_> {
    fn note(&self, kind: DispositionKind, entry: Disposition) {
        self.progress.noted(kind, &entry);
        let mut lists = lock(&self.lists);
        let list = match kind {
            DispositionKind::Skipped => &mut lists.0,
            DispositionKind::Failed => &mut lists.1,
            DispositionKind::Warning => &mut lists.2,
        };
        list.push(entry);
    }

    fn at(&self, kind: DispositionKind, path: &Path, record: u64, reason: String) {
        self.note(kind, Disposition::at(path, record, reason));
    }
}

/// `error`, said as a person can act on it when it is a full disk: the
/// index stays at its last commit.
fn writer_error(dir: &Path, error: Error) -> Error {
    let io = match &error {
        Error::Tantivy(tantivy::TantivyError::IoError(io)) => Some(io.kind()),
        Error::Tantivy(tantivy::TantivyError::OpenWriteError(
            tantivy::directory::error::OpenWriteError::IoError { io_error, .. },
        )) => Some(io_error.kind()),
        Error::Io { source, .. } => Some(source.kind()),
        // tantivy's indexing threads pass their I/O errors on as text.
        Error::Tantivy(tantivy::TantivyError::InternalError(message))
            if message.contains(&format!("(os error {})", libc::ENOSPC)) =>
        {
            Some(std::io::ErrorKind::StorageFull)
        }
        _ => None,
    };
    if io == Some(std::io::ErrorKind::StorageFull) {
        return Error::DiskFull {
            path: dir.to_path_buf(),
        };
    }
    error
}

/// The articles one input holds, each id once, in record order.
#[derive(Default)]
struct FileClaims {
    list: Vec<Claim>,
    /// The record each id was first seen in.
    seen: HashMap<String, u64>,
}

impl FileClaims {
    /// Records article `id` of `record`; when the input held it already,
    /// the record it was first seen in.
    fn add(&mut self, id: &str, passages: u64, record: u64) -> Option<u64> {
        if let Some(first) = self.seen.get(id) {
            return Some(*first);
        }
        self.seen.insert(id.to_owned(), record);
        self.list.push(Claim(id.to_owned(), passages, record));
        None
    }
}

/// The fingerprint of an input about to be read. Hashed before reading: if
/// the file changes while it is read, the recorded hash is the older one
/// and the next run reads it again.
fn fingerprint_now(path: &Path) -> std::io::Result<Fingerprint> {
    let checked_ns = now_ns();
    Ok(Fingerprint {
        stat: stat(path)?,
        hash: hash_file(path)?,
        checked_ns,
    })
}

fn add_time(total: &AtomicU64, time: Duration) {
    let nanos = u64::try_from(time.as_nanos()).unwrap_or(u64::MAX);
    total.fetch_add(nanos, Ordering::Relaxed);
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Run<'_> {
    fn index_file(&self, file: &InputFile, fingerprint: Option<&Fingerprint>) -> FileAccount {
        let mut account = FileAccount::default();
        if self.interrupt.load(Ordering::SeqCst) {
            account.not_read = true;
            return account;
        }
        let path = file.path.as_path();
        let key = input_key(&file.canonical);
        let started = Instant::now();
        let fingerprint = match fingerprint {
            Some(known) => known.clone(),
            None => match fingerprint_now(&file.canonical) {
                Ok(fingerprint) => fingerprint,
                Err(error) => {
                    // Not read: what the index holds of it stays, and the
                    // input stays unsettled, to be read next time.
                    self.ledger
                        .at(DispositionKind::Failed, path, 0, error.to_string());
                    return account;
                }
            },
        };
        self.with_writer(|writer| {
            writer.delete_term(Term::from_field_text(self.fields.input_key, &key));
        });
        let on_bytes = |bytes: u64| {
            self.bytes_read.fetch_add(bytes, Ordering::Relaxed);
            self.progress.bytes_read(bytes);
        };
        let mut batch = Vec::with_capacity(BATCH_RECORDS);
        let mut claims = FileClaims::default();
        let mut file_failed = false;
        ingest::read_file(path, self.ingest, &on_bytes, &mut |outcome| match outcome {
            RecordOutcome::Article(raw) => {
                if self.interrupt.load(Ordering::Relaxed) {
                    return;
                }
                batch.push(*raw);
                if batch.len() == BATCH_RECORDS {
                    let full = std::mem::take(&mut batch);
                    self.write_batch(file, &key, full, &mut claims, &mut account);
                }
            }
            RecordOutcome::Skipped { record, reason } => {
                self.ledger
                    .at(DispositionKind::Skipped, path, record, reason);
            }
            RecordOutcome::Failed { record, reason } => {
                file_failed |= record == 0;
                self.ledger
                    .at(DispositionKind::Failed, path, record, reason);
            }
        });
        self.write_batch(file, &key, batch, &mut claims, &mut account);
        let reading = started
            .elapsed()
            .saturating_sub(account.analyze + account.write);
        add_time(&self.read_ns, reading);
        add_time(&self.analyze_ns, account.analyze);
        add_time(&self.write_ns, account.write);
        // An interrupted input stays unsettled: the next run reads it again
        // and replaces whatever part of it a commit holds.
        if !self.interrupt.load(Ordering::SeqCst) && account.fatal.is_none() {
            let record = InputRecord {
                path: path.display().to_string(),
                collection: file.collection.clone(),
                fingerprint,
                complete: !file_failed,
                articles: claims.list,
            };
            let mut manifest = lock(&self.manifest);
            manifest.unsettled.remove(&key);
            manifest.inputs.insert(key, record);
        }
        if let Err(error) = self.maybe_commit() {
            account.fatal.get_or_insert(error);
        }
        account
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
        claims: &mut FileClaims,
        account: &mut FileAccount,
    ) {
        if batch.is_empty() || account.fatal.is_some() {
            return;
        }
        let origin = Origin {
            input: &file.path,
            collection: &file.collection,
            modified: crate::extract::file_time(&file.path),
        };
        let analyzing = Instant::now();
        let analyzed: Vec<_> = batch
            .into_par_iter()
            .map_init(
                || Analyzer::new(self.entities.clone()).with_dates(self.ingest.dates.clone()),
                |analyzer, raw| analyzer.analyze(raw, origin),
            )
            .collect();
        account.analyze += analyzing.elapsed();
        let writing = Instant::now();
        let mut written = 0;
        // Deciding and adding under one read lock: a commit, which applies
        // the takeovers decided so far, waits for the documents they
        // concern to be added.
        let result = self.with_writer(|writer| -> Result<()> {
            for (article, warnings) in analyzed {
                for warning in warnings {
                    self.ledger.at(
                        DispositionKind::Warning,
                        &file.path,
                        article.record,
                        warning.to_string(),
                    );
                }
                if article.passages.is_empty() {
                    self.ledger.at(
                        DispositionKind::Skipped,
                        &file.path,
                        article.record,
                        "no body text".to_owned(),
                    );
                    continue;
                }
                let passages = article.passages.len() as u64;
                let decision = match claims.add(&article.id, passages, article.record) {
                    None => {
                        let here = Holder {
                            key: key.to_owned(),
                            input: article.input.clone(),
                            record: article.record,
                            written_passages: Some(passages),
                        };
                        self.decide(&article.id, here)
                    }
                    Some(first) => Decision::DuplicateOf(location(&file.path, first)),
                };
                if let Decision::DuplicateOf(first) = decision {
                    self.ledger.at(
                        DispositionKind::Skipped,
                        &file.path,
                        article.record,
                        format!("duplicate of article `{}` in {first}", article.id),
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

    /// Whether the article `id` read from `here` is kept: the copy from
    /// the input whose key sorts first is, so a copy kept so far from an
    /// input that sorts after gives way to this one.
    fn decide(&self, id: &str, here: Holder) -> Decision {
        let mut owners = lock(&self.owners);
        match owners.get_mut(id) {
            None => {
                owners.insert(id.to_owned(), here);
                Decision::Keep
            }
            Some(kept) if kept.key < here.key => Decision::DuplicateOf(kept.location()),
            Some(kept) => {
                let replaced = std::mem::replace(kept, here);
                if let Some(passages) = replaced.written_passages {
                    let mut counts = lock(&self.replaced);
                    counts.0 += 1;
                    counts.1 += passages;
                }
                self.ledger.at(
                    DispositionKind::Skipped,
                    &replaced.input,
                    replaced.record,
                    format!(
                        "duplicate of article `{id}` in {}, whose path sorts first: \
                         the copy here was removed from the index",
                        kept.location()
                    ),
                );
                lock(&self.takeovers).push(Takeover {
                    id: id.to_owned(),
                    from: replaced.key,
                    by: kept.key.clone(),
                });
                Decision::Keep
            }
        }
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

    /// The cause of a writer failure: when tantivy's indexing threads
    /// stopped, adding a document only says so; their own error (disk
    /// full, most likely) comes out when a commit collects them.
    fn writer_failure(&self, error: Error) -> Error {
        let mut writer = self.writer.write().unwrap_or_else(PoisonError::into_inner);
        let cause = match writer.prepare_commit() {
            Err(cause) => Error::Tantivy(cause),
            Ok(_) => error,
        };
        writer_error(self.dir, cause)
    }

    /// The documents of article `id` read from the input `key`.
    fn copy_of(&self, id: &str, key: &str) -> BooleanQuery {
        let term = |field, text| -> (Occur, Box<dyn Query>) {
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(field, text),
                    IndexRecordOption::Basic,
                )),
            )
        };
        BooleanQuery::new(vec![
            term(self.fields.article_id, id),
            term(self.fields.input_key, key),
        ])
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
        // A copy gives way only once the input whose copy replaces it is
        // finished: until then, the manifest still names the older one.
        let (settled, pending): (Vec<_>, Vec<_>) = std::mem::take(&mut *lock(&self.takeovers))
            .into_iter()
            .partition(|takeover| {
                manifest.inputs.contains_key(&takeover.by)
                    && !manifest.unsettled.contains(&takeover.by)
            });
        *lock(&self.takeovers) = pending;
        for takeover in settled {
            writer.delete_query(Box::new(self.copy_of(&takeover.id, &takeover.from)))?;
        }
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
