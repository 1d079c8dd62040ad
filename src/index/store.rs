//! Opening and creating the on-disk index safely.

use std::path::{Path, PathBuf};

use tantivy::directory::MmapDirectory;
use tantivy::Index;

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
}

const META_FILE: &str = "meta.json";

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
    let index = Index::open_in_dir(dir)?;
    finish_opening(index, dir)
}

/// Opens the index in `dir` for writing, creating it (and the directory)
/// when there is none.
///
/// A directory that holds segment files but no `meta.json` is refused:
/// tantivy would start an empty index there and its garbage collection
/// would then delete the old segments.
pub fn open_or_create(dir: &Path) -> Result<GazetteIndex> {
    if dir.join(META_FILE).is_file() {
        return open(dir);
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
        let detail = found
            .fields()
            .map(|(_, entry)| entry)
            .zip(expected.iter())
            .find(|(a, b)| a != b)
            .map(|(a, _)| format!("field `{}` differs", a.name()))
            .unwrap_or_else(|| "its fields differ in number".to_owned());
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
    })
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
}
