//! Opening and creating the on-disk index safely.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use tantivy::columnar::{Column, StrColumn};
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle,
    WritePtr, META_LOCK,
};
use tantivy::fastfield::FastFieldReaders;
use tantivy::index::SegmentId;
use tantivy::{Index, ReloadPolicy, SegmentReader, TantivyError};

use crate::analyze::entities::{Authority, AuthorityLineError};
use crate::schema::{register_analyzers, Fields};
use crate::{Error, Result};

/// An opened gazette index: the tantivy index with its typed fields.
pub struct GazetteIndex {
    /// The tantivy index, analyzers registered.
    pub index: Index,
    /// Field handles.
    pub fields: Fields,
    /// The directory it lives in.
    pub dir: PathBuf,
    /// The built-in authority plus the entries users added when indexing
    /// (see [`keep_authority`]): what entity names resolve against.
    pub authority: Arc<KeptAuthority>,
    /// Fast columns searches opened, kept for the next search.
    pub columns: Arc<ColumnCache>,
}

/// Fast columns opened once per segment and field, kept while the index
/// is open: opening a large segment's column decodes its block index,
/// which costs about as much as a whole search of a rare term. Entries of
/// segments that merges retired go at the next [`retain`](Self::retain).
#[derive(Default)]
pub struct ColumnCache {
    strings: ColumnsOf<Option<StrColumn>>,
    numbers: ColumnsOf<Column<u64>>,
}

/// Columns of one kind by segment and field name.
type ColumnsOf<C> = Mutex<HashMap<(SegmentId, &'static str), C>>;

impl ColumnCache {
    /// The string column `field` of `segment` (none when it has no values).
    pub fn strings(
        &self,
        segment: &SegmentReader,
        field: &'static str,
    ) -> tantivy::Result<Option<StrColumn>> {
        cached(&self.strings, segment, field, |fast| fast.str(field))
    }

    /// The u64 column `field` of `segment`.
    pub fn numbers(
        &self,
        segment: &SegmentReader,
        field: &'static str,
    ) -> tantivy::Result<Column<u64>> {
        cached(&self.numbers, segment, field, |fast| fast.u64(field))
    }

    /// Forgets the columns of segments other than `segments` (the current
    /// searcher's).
    pub fn retain(&self, segments: &[SegmentReader]) {
        let live: Vec<SegmentId> = segments.iter().map(SegmentReader::segment_id).collect();
        let strings = &mut self.strings.lock().unwrap_or_else(PoisonError::into_inner);
        strings.retain(|(segment, _), _| live.contains(segment));
        let numbers = &mut self.numbers.lock().unwrap_or_else(PoisonError::into_inner);
        numbers.retain(|(segment, _), _| live.contains(segment));
    }
}

/// The column `field` of `segment` from `cache`, opened by `open` the
/// first time.
fn cached<C: Clone>(
    cache: &ColumnsOf<C>,
    segment: &SegmentReader,
    field: &'static str,
    open: impl FnOnce(&FastFieldReaders) -> tantivy::Result<C>,
) -> tantivy::Result<C> {
    let key = (segment.segment_id(), field);
    let mut columns = cache.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(column) = columns.get(&key) {
        return Ok(column.clone());
    }
    let column = open(segment.fast_fields())?;
    columns.insert(key, column.clone());
    Ok(column)
}

/// The authority of an index, read on first use: most searches name no
/// entity and need not parse it.
#[derive(Debug)]
pub struct KeptAuthority {
    path: PathBuf,
    loaded: OnceLock<std::result::Result<(Authority, bool), AuthorityLineError>>,
}

impl KeptAuthority {
    /// The authority of the index in `dir`.
    pub fn of(dir: &Path) -> KeptAuthority {
        KeptAuthority {
            path: dir.join(AUTHORITY_FILE),
            loaded: OnceLock::new(),
        }
    }

    /// The built-in authority plus the kept entries.
    pub fn get(&self) -> Result<&Authority> {
        self.read().map(|(authority, _)| authority)
    }

    /// Whether users added entries (the authority is more than the built-in one).
    pub fn has_own_entries(&self) -> Result<bool> {
        self.read().map(|(_, own)| *own)
    }

    fn read(&self) -> Result<&(Authority, bool)> {
        self.loaded
            .get_or_init(|| {
                let mut authority = Authority::builtin();
                let text = match std::fs::read_to_string(&self.path) {
                    Ok(text) => text,
                    Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                        return Ok((authority, false))
                    }
                    Err(error) => {
                        return Err(AuthorityLineError {
                            line: 0,
                            message: format!("cannot be read: {error}"),
                        })
                    }
                };
                authority.add(&text)?;
                Ok((authority, true))
            })
            .as_ref()
            .map_err(|source| Error::Authority {
                path: self.path.clone(),
                source: source.clone(),
            })
    }
}

const META_FILE: &str = "meta.json";

/// The authority entries users added with `gazette index --authority`,
/// kept with the index so that later runs recognise them and searches
/// resolve their aliases.
pub const AUTHORITY_FILE: &str = "gazette-authority.tsv";

/// Opens an existing index for reading.
pub fn open(dir: &Path) -> Result<GazetteIndex> {
    if !dir.join(META_FILE).is_file() {
        if holds_segments(dir) {
            return Err(Error::OrphanSegments {
                path: dir.to_path_buf(),
            });
        }
        return Err(Error::NoIndex {
            path: dir.to_path_buf(),
        });
    }
    let directory = MmapDirectory::open(dir)
        .map_err(|error| Error::io(dir, std::io::Error::other(error.to_string())))?;
    let index = Index::open(ReadOnlyTolerant {
        inner: directory,
        root: dir.to_path_buf(),
    })?;
    let opened = finish_opening(index, dir)?;
    verify_segments(&opened)?;
    Ok(opened)
}

/// Opens the index in `dir` for writing, creating it (and the directory)
/// when there is none.
///
/// A directory that holds segment files but no `meta.json` is refused:
/// tantivy would start an empty index there and its garbage collection
/// would then delete the old segments.
pub fn open_or_create(dir: &Path) -> Result<GazetteIndex> {
    if dir.join(META_FILE).is_file() {
        let opened = open(dir)?;
        refuse_read_only(dir)?;
        return Ok(opened);
    }
    if holds_segments(dir) {
        return Err(Error::OrphanSegments {
            path: dir.to_path_buf(),
        });
    }
    std::fs::create_dir_all(dir).map_err(|source| Error::io(dir, source))?;
    let directory = MmapDirectory::open(dir)
        .map_err(|error| Error::io(dir, std::io::Error::other(error.to_string())))?;
    let index = Index::create(directory, Fields::new().schema, Default::default())?;
    finish_opening(index, dir)
}

fn finish_opening(index: Index, dir: &Path) -> Result<GazetteIndex> {
    let fields = Fields::new();
    let found = index.schema();
    if found != fields.schema {
        let expected: Vec<_> = fields
            .schema
            .fields()
            .map(|(_, entry)| entry.clone())
            .collect();
        // A field this gazette added since is named as such: comparing
        // position by position would blame the field after it.
        let missing = expected
            .iter()
            .find(|entry| found.get_field(entry.name()).is_err());
        let detail = match missing {
            Some(entry) => format!(
                "it has no field `{}`, which this version of gazette writes",
                entry.name()
            ),
            None => found
                .fields()
                .map(|(_, entry)| entry)
                .zip(expected.iter())
                .find(|(a, b)| a != b)
                .map(|(a, _)| format!("field `{}` differs", a.name()))
                .unwrap_or_else(|| "its fields differ in number".to_owned()),
        };
        return Err(Error::SchemaMismatch {
            path: dir.to_path_buf(),
            detail,
        });
    }
    register_analyzers(&index);
    Ok(GazetteIndex {
        index,
        fields,
        dir: dir.to_path_buf(),
        authority: Arc::new(KeptAuthority::of(dir)),
        columns: Arc::default(),
    })
}

/// Refuses to write to an index whose directory cannot be written (a
/// read-only mount, or no write permission), rather than letting tantivy's
/// writer lock fail in a way that reads as "locked by another process".
///
/// Opens the writer's lock file as tantivy is about to: no lock is taken,
/// and the file is created only where tantivy would create it anyway.
fn refuse_read_only(dir: &Path) -> Result<()> {
    let lock = dir.join(".tantivy-writer.lock");
    match std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock)
    {
        Ok(_) => Ok(()),
        Err(error) if is_read_only(&error) => Err(Error::ReadOnly {
            path: dir.to_path_buf(),
        }),
        Err(error) => Err(Error::io(lock, error)),
    }
}

fn is_read_only(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    )
}

/// Cheap checks that each segment's files hold as many documents as
/// `meta.json` says: a count that disagrees makes tantivy read past the
/// end of its columns (a panic), so the index is reported as damaged
/// instead. Reads one fast column's header per segment, no documents.
fn verify_segments(opened: &GazetteIndex) -> Result<()> {
    let damaged = |detail: String| Error::Corrupt {
        path: opened.dir.clone(),
        detail,
    };
    let reader = opened
        .index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(|error| match error {
            TantivyError::DataCorruption(_) | TantivyError::OpenReadError(_) => {
                damaged(error.to_string())
            }
            other => Error::Tantivy(other),
        })?;
    let searcher = reader.searcher();
    for segment in searcher.segment_readers() {
        let id = segment.segment_id().uuid_string();
        let stated = segment.max_doc();
        let rows = segment
            .fast_fields()
            .u64("passage")
            .map_err(|error| damaged(format!("segment {id}: {error}")))?
            .num_docs();
        if rows != stated {
            return Err(damaged(format!(
                "meta.json says segment {id} holds {stated} documents, but its files hold {rows}"
            )));
        }
    }
    Ok(())
}

/// The index directory, readable when it cannot be written.
///
/// A reader takes tantivy's meta lock while it opens segments, so that a
/// writer's garbage collection cannot delete them meanwhile; tantivy opens
/// the lock file for writing, which fails on read-only media. Where it
/// does, this takes the same lock through a read-only handle (file locks
/// need no write access), and goes without one where the file does not
/// exist and cannot be made: then no writer can be at work there either.
#[derive(Clone, Debug)]
struct ReadOnlyTolerant {
    inner: MmapDirectory,
    root: PathBuf,
}

impl Directory for ReadOnlyTolerant {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn open_read(&self, path: &Path) -> Result<tantivy::directory::FileSlice, OpenReadError> {
        self.inner.open_read(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        self.inner.sync_directory()
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(LockError::IoError(error))
                if lock.filepath == META_LOCK.filepath && is_read_only(&error) =>
            {
                shared_lock(&self.root.join(&lock.filepath))
            }
            other => other,
        }
    }
}

/// A shared lock on the existing file `path`, opened read-only; none when
/// there is no such file.
fn shared_lock(path: &Path) -> Result<DirectoryLock, LockError> {
    use std::os::fd::AsRawFd;
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(DirectoryLock::from(Box::new(())))
        }
        Err(error) => return Err(LockError::wrap_io_error(error)),
    };
    loop {
        // SAFETY: `file` owns the descriptor and outlives the call; flock
        // touches nothing else.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_SH) } == 0 {
            // Closing the file releases the lock.
            return Ok(DirectoryLock::from(Box::new(file)));
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(LockError::wrap_io_error(error));
        }
    }
}

/// Adds the authority lines of `text` (already validated) to the index's
/// kept entries, each line once, replacing the file atomically.
pub fn keep_authority(dir: &Path, text: &str) -> Result<()> {
    let path = dir.join(AUTHORITY_FILE);
    let mut kept = match std::fs::read_to_string(&path) {
        Ok(kept) => kept,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(error) => return Err(Error::io(path, error)),
    };
    let mut present: std::collections::HashSet<String> = kept.lines().map(str::to_owned).collect();
    let mut added = false;
    for line in text.lines().filter(|line| !line.trim().is_empty()) {
        if !present.insert(line.to_owned()) {
            continue;
        }
        if !kept.is_empty() && !kept.ends_with('\n') {
            kept.push('\n');
        }
        kept.push_str(line);
        kept.push('\n');
        added = true;
    }
    if !added {
        return Ok(());
    }
    let temporary = dir.join(format!("{AUTHORITY_FILE}.tmp"));
    std::fs::write(&temporary, &kept).map_err(|error| Error::io(&temporary, error))?;
    std::fs::rename(&temporary, &path).map_err(|error| Error::io(&path, error))
}

fn holds_segments(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|entry| {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        [".idx", ".pos", ".term", ".store", ".fast", ".fieldnorm"]
            .iter()
            .any(|ext| name.ends_with(ext))
    })
}

/// Bytes used by the files of the index directory.
pub fn disk_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|entry| entry.metadata().ok())
                .filter(|meta| meta.is_file())
                .map(|meta| meta.len())
                .sum()
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_index_says_how_to_make_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let error = open(&dir.path().join("none")).err().expect("no index");
        assert!(error.to_string().contains("gazette index PATH"));
    }

    #[test]
    fn segments_without_meta_are_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("0a1b.idx"), b"old segment").expect("write");
        assert!(matches!(
            open_or_create(dir.path()),
            Err(Error::OrphanSegments { .. })
        ));
        assert!(dir.path().join("0a1b.idx").exists(), "nothing deleted");
    }

    #[test]
    fn create_then_reopen() {
        let dir = tempfile::tempdir().expect("temp dir");
        open_or_create(dir.path()).expect("created");
        let reopened = open(dir.path()).expect("reopened");
        assert_eq!(reopened.index.schema(), Fields::new().schema);
    }

    #[test]
    fn columns_are_opened_once_per_segment_and_forgotten_with_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let opened = open_or_create(dir.path()).expect("created");
        let mut writer: tantivy::IndexWriter = opened.index.writer(15_000_000).expect("writer");
        for id in ["b", "a"] {
            let mut doc = tantivy::TantivyDocument::default();
            doc.add_text(opened.fields.article_id, id);
            doc.add_u64(opened.fields.passage, 3);
            writer.add_document(doc).expect("added");
        }
        writer.commit().expect("committed");
        let searcher = opened.index.reader().expect("reader").searcher();
        let segment = searcher.segment_reader(0);
        let ids = opened
            .columns
            .strings(segment, "article_id")
            .expect("opens");
        let ids = ids.expect("has values");
        assert_eq!(ids.dictionary().num_terms(), 2);
        let passages = opened.columns.numbers(segment, "passage").expect("opens");
        assert_eq!(passages.first(1), Some(3));
        assert_eq!(opened.columns.strings.lock().expect("lock").len(), 1);
        // Asked again, the same column comes from the cache.
        opened
            .columns
            .strings(segment, "article_id")
            .expect("cached");
        assert_eq!(opened.columns.strings.lock().expect("lock").len(), 1);
        opened.columns.retain(searcher.segment_readers());
        assert_eq!(opened.columns.numbers.lock().expect("lock").len(), 1);
        opened.columns.retain(&[]);
        assert!(opened.columns.strings.lock().expect("lock").is_empty());
        assert!(opened.columns.numbers.lock().expect("lock").is_empty());
    }
}
