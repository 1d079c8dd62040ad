//! The manifest: which inputs the index holds, with their fingerprints.
//!
//! Each commit references exactly one manifest file by name in its tantivy
//! commit payload. The manifest is written (to a temporary file, fsynced,
//! renamed) *before* the commit that names it, so it can never describe a
//! commit that did not happen: a manifest no commit names is garbage from a
//! killed run, removed by the next one. Inputs in flight when a commit
//! happens are not in its manifest; a later run re-reads them and replaces
//! whatever part of them the commit held.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

const MANIFEST_PREFIX: &str = "gazette-manifest-";
const MANIFEST_SUFFIX: &str = ".json";

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

/// Size, modification time and content hash of an input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// Bytes on disk.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: u64,
    /// xxh3-128 of the raw bytes, hex.
    pub hash: String,
}

/// One input file the index holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputRecord {
    /// The path as it was given when indexed (what provenance shows).
    pub path: String,
    /// The file's fingerprint when it was read.
    pub fingerprint: Fingerprint,
    /// Articles indexed from it.
    pub articles: u64,
    /// Passages indexed from it.
    pub passages: u64,
}

/// Every input of a commit, keyed by canonical path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Inputs by canonical path.
    pub inputs: BTreeMap<String, InputRecord>,
}

impl Manifest {
    /// Total articles.
    pub fn articles(&self) -> u64 {
        self.inputs.values().map(|input| input.articles).sum()
    }

    /// Total passages.
    pub fn passages(&self) -> u64 {
        self.inputs.values().map(|input| input.passages).sum()
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
        serde_json::from_slice(&json).map_err(|e| {
            Error::io(
                &path,
                std::io::Error::new(std::io::ErrorKind::InvalidData, e),
            )
        })
    }
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

/// Size and modification time of a file, with no hash yet.
pub fn stat(path: &Path) -> std::io::Result<(u64, u64)> {
    let meta = std::fs::metadata(path)?;
    let mtime_ns = meta
        .modified()
        .ok()
        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |since| {
            u64::try_from(since.as_nanos()).unwrap_or(u64::MAX)
        });
    Ok((meta.len(), mtime_ns))
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

    #[test]
    fn manifests_round_trip_and_name_themselves_by_opstamp() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut manifest = Manifest::default();
        manifest.inputs.insert(
            "/a/b.txt".to_owned(),
            InputRecord {
                path: "b.txt".to_owned(),
                fingerprint: Fingerprint {
                    size: 3,
                    mtime_ns: 7,
                    hash: "ab".to_owned(),
                },
                articles: 1,
                passages: 2,
            },
        );
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
