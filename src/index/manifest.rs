//! The manifest: which inputs the index holds, with their fingerprints and
//! the articles each holds.
//!
//! Each commit references exactly one manifest file by name in its tantivy
//! commit payload. The manifest is written (to a temporary file, fsynced,
//! renamed) *before* the commit that names it, so it can never describe a
//! commit that did not happen: a manifest no commit names is garbage from a
//! killed run, removed by the next one.
//!
//! Every input records every article id it holds, duplicates included, so
//! that which copy of an article the index keeps is a function of the
//! manifest alone: the copy of the input whose key sorts first ([`owners`]).
//! That makes the outcome independent of the order files were read in or of
//! the history of runs, and it tells a run which inputs must be read again
//! when the copy kept so far goes away. Inputs a run had not finished when a
//! commit was made are listed as *unsettled*: the index may hold part of
//! them, or still their older copy, and the next run reads them again.
//!
//! [`owners`]: Manifest::owners

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

const MANIFEST_PREFIX: &str = "gazette-manifest-";
const MANIFEST_SUFFIX: &str = ".json";

/// The manifest format this gazette writes and reads. Version 1 recorded
/// counts instead of article ids, which cannot tell which inputs hold
/// the duplicates of an article.
pub const MANIFEST_VERSION: u32 = 2;

/// A file's times are trusted to reveal a change only once this long has
/// passed between its last change and the moment it was looked at: file
/// systems keep times with a coarse clock (up to 2 s on FAT), so a file
/// changed twice within one tick can keep its times.
const RACY_NS: u64 = 2_000_000_000;

/// What the commit payload records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitPayload {
    /// The gazette version that committed.
    pub gazette: String,
    /// File name of the manifest of this commit, in the index directory.
    pub manifest: String,
    /// Articles recorded in the manifest.
    pub articles: u64,
    /// Passages recorded in the manifest.
    pub passages: u64,
    /// Inputs recorded in the manifest.
    pub inputs: u64,
}

/// What the file system says of a file, without reading it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStat {
    /// Bytes on disk.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: u64,
    /// Status change time (which no program can set back), nanoseconds
    /// since the Unix epoch; 0 where the platform has none.
    pub ctime_ns: u64,
    /// Inode number (0 where the platform has none): a file replaced by
    /// another, even of the same size and times, changes it.
    pub inode: u64,
    /// Device of the inode.
    pub device: u64,
}

/// What an input file was when it was read: its stat, its content hash and
/// when it was looked at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// The file's stat when it was read.
    #[serde(flatten)]
    pub stat: FileStat,
    /// xxh3-128 of the raw bytes, hex.
    pub hash: String,
    /// Wall-clock time, nanoseconds since the Unix epoch, just before the
    /// file was looked at.
    pub checked_ns: u64,
}

impl Fingerprint {
    /// Whether a file whose stat is now `stat` is certainly unchanged,
    /// without reading it: same stat, and the stat was taken long enough
    /// after the file's last change for any later change to show in it.
    pub fn unchanged_by_stat(&self, stat: &FileStat) -> bool {
        self.stat == *stat && self.checked_ns >= self.stat.ctime_ns.saturating_add(RACY_NS)
    }
}

/// An article an input holds: its id, how many passages it has and its
/// record number in the input (0: the whole file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim(pub String, pub u64, pub u64);

impl Claim {
    /// The article id.
    pub fn id(&self) -> &str {
        &self.0
    }

    /// Its passages.
    pub fn passages(&self) -> u64 {
        self.1
    }

    /// Its record number in the input.
    pub fn record(&self) -> u64 {
        self.2
    }
}

/// One input file the index holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputRecord {
    /// The path as it was given when indexed (what provenance shows).
    pub path: String,
    /// The collection name its articles were read with.
    pub collection: String,
    /// The file's fingerprint when it was read.
    pub fingerprint: Fingerprint,
    /// False when the index does not hold all the file held when it was
    /// read: reading failed part-way (the records before the failure are
    /// indexed), or the file is gone and an article only it could give
    /// back was lost with it. The next run that finds the file reads it.
    pub complete: bool,
    /// Every article the input holds, each id once, in record order,
    /// whether the index keeps this input's copy or another's.
    pub articles: Vec<Claim>,
}

/// Every input of a commit, keyed by [`input_key`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`MANIFEST_VERSION`] when written by this gazette.
    #[serde(default)]
    pub version: u32,
    /// Inputs by key.
    pub inputs: BTreeMap<String, InputRecord>,
    /// Keys of inputs whose documents the commit may hold only in part, or
    /// in an older copy than their record's (a run stopped before it
    /// finished them): the next run deletes their documents and reads them
    /// again.
    #[serde(default)]
    pub unsettled: BTreeSet<String>,
}

impl Default for Manifest {
    fn default() -> Manifest {
        Manifest {
            version: MANIFEST_VERSION,
            inputs: BTreeMap::new(),
            unsettled: BTreeSet::new(),
        }
    }
}

impl Manifest {
    /// For each article id, the key of the input whose copy the index
    /// holds: of the inputs that hold the id, the one whose key sorts first.
    pub fn owners(&self) -> HashMap<&str, &str> {
        let mut owners = HashMap::new();
        // BTreeMap iterates keys in order: the first claimant of an id wins.
        for (key, record) in &self.inputs {
            for claim in &record.articles {
                owners.entry(claim.id()).or_insert(key.as_str());
            }
        }
        owners
    }

    /// The articles the index holds from each input, with their passages:
    /// what [`owners`](Manifest::owners) gives it.
    pub fn owned(&self) -> BTreeMap<&str, Vec<&Claim>> {
        let owners = self.owners();
        let mut owned: BTreeMap<&str, Vec<&Claim>> = BTreeMap::new();
        for (key, record) in &self.inputs {
            let list = owned.entry(key.as_str()).or_default();
            for claim in &record.articles {
                if owners.get(claim.id()) == Some(&key.as_str()) {
                    list.push(claim);
                }
            }
        }
        owned
    }

    /// Total articles.
    pub fn articles(&self) -> u64 {
        self.owners().len() as u64
    }

    /// Total passages.
    pub fn passages(&self) -> u64 {
        self.owned()
            .values()
            .flatten()
            .map(|claim| claim.passages())
            .sum()
    }

    /// The file name of the manifest of the commit with `opstamp`.
    pub fn file_name(opstamp: u64) -> String {
        format!("{MANIFEST_PREFIX}{opstamp:020}{MANIFEST_SUFFIX}")
    }

    /// Whether `name` is a manifest file name.
    pub fn is_manifest_file(name: &str) -> bool {
        name.starts_with(MANIFEST_PREFIX) && name.ends_with(MANIFEST_SUFFIX)
    }

    /// Whether `name` is a manifest or a temporary one, which only the
    /// manifest the last commit names may outlive.
    pub fn is_leftover_candidate(name: &str) -> bool {
        name.starts_with(MANIFEST_PREFIX)
    }

    /// Writes the manifest durably as `dir/name`: a temporary file, fsynced,
    /// renamed, and the directory fsynced.
    pub fn write(&self, dir: &Path, name: &str) -> Result<()> {
        let path = dir.join(name);
        let temporary = dir.join(format!("{name}.tmp"));
        let json = serde_json::to_vec(self).map_err(|e| Error::io(&path, e.into()))?;
        let mut file = File::create(&temporary).map_err(|e| Error::io(&temporary, e))?;
        file.write_all(&json)
            .and_then(|()| file.sync_all())
            .map_err(|e| Error::io(&temporary, e))?;
        std::fs::rename(&temporary, &path).map_err(|e| Error::io(&path, e))?;
        sync_directory(dir)
    }

    /// Reads the manifest a commit payload names.
    pub fn read(dir: &Path, payload: &CommitPayload) -> Result<Manifest> {
        let path = dir.join(&payload.manifest);
        let mut json = Vec::new();
        File::open(&path)
            .and_then(|mut file| file.read_to_end(&mut json))
            .map_err(|e| Error::io(&path, e))?;
        let version =
            serde_json::from_slice::<Versioned>(&json).map_or(0, |versioned| versioned.version);
        if version != MANIFEST_VERSION {
            return Err(Error::ManifestVersion {
                path: dir.to_path_buf(),
                version,
            });
        }
        serde_json::from_slice(&json).map_err(|e| {
            Error::io(
                &path,
                std::io::Error::new(std::io::ErrorKind::InvalidData, e),
            )
        })
    }
}

#[derive(Deserialize)]
struct Versioned {
    #[serde(default)]
    version: u32,
}

/// The key an input is known by across runs: its canonical path, byte for
/// byte. Bytes that are not UTF-8 (file names from other systems) are
/// written `%XX` and `%` itself `%25`, so two names that differ only there
/// never share a key and [`key_path`] gives the path back.
pub fn input_key(canonical: &Path) -> String {
    let bytes = canonical.as_os_str().as_encoded_bytes();
    let mut key = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for part in chunk.valid().split_inclusive('%') {
            match part.strip_suffix('%') {
                Some(before) => {
                    key.push_str(before);
                    key.push_str("%25");
                }
                None => key.push_str(part),
            }
        }
        for byte in chunk.invalid() {
            key.push_str(&format!("%{byte:02X}"));
        }
    }
    key
}

/// The path an [`input_key`] was made from.
pub fn key_path(key: &str) -> PathBuf {
    let mut bytes = Vec::with_capacity(key.len());
    let mut rest = key.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        let escaped = (byte == b'%')
            .then(|| tail.get(..2))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(decoded) => {
                bytes.push(decoded);
                rest = tail.get(2..).unwrap_or_default();
            }
            None => {
                bytes.push(byte);
                rest = tail;
            }
        }
    }
    path_from_bytes(bytes)
}

#[cfg(unix)]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

/// fsyncs a directory, so that renames in it survive a crash.
pub fn sync_directory(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|handle| handle.sync_all())
        .map_err(|e| Error::io(dir, e))
}

/// The commit payload of the last commit, if gazette wrote one.
pub fn last_payload(index: &tantivy::Index) -> Result<Option<CommitPayload>> {
    let metas = index.load_metas()?;
    Ok(metas
        .payload
        .as_deref()
        .and_then(|payload| serde_json::from_str(payload).ok()))
}

/// What the file system says of `path` (following symlinks).
pub fn stat(path: &Path) -> std::io::Result<FileStat> {
    let meta = std::fs::metadata(path)?;
    let nanos = |time: std::io::Result<std::time::SystemTime>| {
        time.ok()
            .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |since| {
                u64::try_from(since.as_nanos()).unwrap_or(u64::MAX)
            })
    };
    #[cfg(unix)]
    let (ctime_ns, inode, device) = {
        use std::os::unix::fs::MetadataExt;
        let ctime = u64::try_from(meta.ctime()).unwrap_or(0);
        let ctime_nsec = u64::try_from(meta.ctime_nsec()).unwrap_or(0);
        (
            ctime
                .saturating_mul(1_000_000_000)
                .saturating_add(ctime_nsec),
            meta.ino(),
            meta.dev(),
        )
    };
    #[cfg(not(unix))]
    let (ctime_ns, inode, device) = (0, 0, 0);
    Ok(FileStat {
        size: meta.len(),
        mtime_ns: nanos(meta.modified()),
        ctime_ns,
        inode,
        device,
    })
}

/// Wall-clock time now, nanoseconds since the Unix epoch.
pub fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| {
            u64::try_from(since.as_nanos()).unwrap_or(u64::MAX)
        })
}

/// xxh3-128 of a file's bytes, hex.
pub fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buffer = vec![0u8; 256 * 1024];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(buffer.get(..read).unwrap_or_default());
    }
    Ok(format!("{:032x}", hasher.digest128()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(claims: &[(&str, u64)]) -> InputRecord {
        InputRecord {
            path: "b.txt".to_owned(),
            collection: "news".to_owned(),
            fingerprint: Fingerprint {
                stat: FileStat {
                    size: 3,
                    mtime_ns: 7,
                    ..FileStat::default()
                },
                hash: "ab".to_owned(),
                checked_ns: 9,
            },
            complete: true,
            articles: claims
                .iter()
                .map(|(id, passages)| Claim((*id).to_owned(), *passages, 1))
                .collect(),
        }
    }

    #[test]
    fn manifests_round_trip_and_name_themselves_by_opstamp() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut manifest = Manifest::default();
        manifest
            .inputs
            .insert("/a/b.txt".to_owned(), record(&[("x", 2)]));
        manifest.unsettled.insert("/a/c.txt".to_owned());
        let name = Manifest::file_name(42);
        assert!(Manifest::is_manifest_file(&name));
        manifest.write(dir.path(), &name).expect("written");
        let payload = CommitPayload {
            manifest: name,
            ..CommitPayload::default()
        };
        assert_eq!(
            Manifest::read(dir.path(), &payload).expect("read"),
            manifest
        );
        assert_eq!((manifest.articles(), manifest.passages()), (1, 2));
    }

    #[test]
    fn manifests_of_the_older_format_are_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("m.json"),
            r#"{"inputs":{"/a":{"path":"a","fingerprint":{"size":1,"mtime_ns":2,"hash":"x"},"articles":1,"passages":1}}}"#,
        )
        .expect("write");
        let payload = CommitPayload {
            manifest: "m.json".to_owned(),
            ..CommitPayload::default()
        };
        let error = Manifest::read(dir.path(), &payload).expect_err("refused");
        assert!(error.to_string().contains("re-index"), "{error}");
    }

    #[test]
    fn the_input_whose_key_sorts_first_holds_a_shared_article() {
        let mut manifest = Manifest::default();
        manifest
            .inputs
            .insert("/n/b.jsonl".to_owned(), record(&[("x", 1), ("y", 3)]));
        manifest
            .inputs
            .insert("/n/a.jsonl".to_owned(), record(&[("y", 2)]));
        let owners = manifest.owners();
        assert_eq!(owners.get("x"), Some(&"/n/b.jsonl"));
        assert_eq!(owners.get("y"), Some(&"/n/a.jsonl"));
        assert_eq!((manifest.articles(), manifest.passages()), (2, 3));
    }

    /// See: issue 22, case 4 (names differing only in invalid UTF-8 bytes shared a key).
    #[cfg(unix)]
    #[test]
    fn keys_keep_every_byte_of_the_path() {
        use std::os::unix::ffi::OsStrExt;
        let path = |bytes: &[u8]| PathBuf::from(std::ffi::OsStr::from_bytes(bytes));
        let a = path(b"/n/x\xff.txt");
        let b = path(b"/n/x\xfe.txt");
        let percent = path(b"/n/100%FF.txt");
        assert_ne!(input_key(&a), input_key(&b));
        assert_ne!(input_key(&a), input_key(&percent));
        for original in [a, b, percent, path("/n/señal.txt".as_bytes())] {
            assert_eq!(key_path(&input_key(&original)), original);
        }
        assert_eq!(input_key(Path::new("/n/plain.txt")), "/n/plain.txt");
    }

    #[test]
    fn times_are_trusted_only_well_after_the_last_change() {
        let stat = FileStat {
            size: 5,
            mtime_ns: 1_000,
            ctime_ns: 1_000,
            inode: 4,
            device: 1,
        };
        let fingerprint = |checked_ns| Fingerprint {
            stat,
            hash: String::new(),
            checked_ns,
        };
        assert!(fingerprint(1_000 + RACY_NS).unchanged_by_stat(&stat));
        assert!(!fingerprint(1_000 + RACY_NS - 1).unchanged_by_stat(&stat));
        let moved = FileStat { inode: 5, ..stat };
        assert!(!fingerprint(1_000 + RACY_NS).unchanged_by_stat(&moved));
    }

    #[test]
    fn file_hashes_depend_on_content_only() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("a"), "same").expect("write");
        std::fs::write(dir.path().join("b"), "same").expect("write");
        std::fs::write(dir.path().join("c"), "other").expect("write");
        let hash = |name| hash_file(&dir.path().join(name)).expect("hash");
        assert_eq!(hash("a"), hash("b"));
        assert_ne!(hash("a"), hash("c"));
    }
}
