//! Finding the input files under the paths a user names.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// One file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The file.
    pub path: PathBuf,
    /// Its size in bytes on disk.
    pub size: u64,
    /// Name of the collection: the folder the user named (or, for a file
    /// named directly, its parent folder). Used as the source when the
    /// input names none.
    pub collection: String,
}

/// What walking the user's paths found.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Files to read, in a stable order (paths sorted within each argument).
    pub files: Vec<InputFile>,
    /// Paths that could not be walked, with the reason.
    pub failed: Vec<(PathBuf, String)>,
}

/// Walks `roots` recursively. Hidden files and folders below a root are
/// passed over (as ripgrep and fd do); symlinks are followed, and a symlink
/// loop is reported rather than followed forever.
pub fn discover(roots: &[PathBuf]) -> Discovery {
    let mut found = Discovery::default();
    for root in roots {
        let collection = collection_name(root);
        let walker = WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_file() => {
                    let size = entry.metadata().map(|meta| meta.len()).unwrap_or(0);
                    found.files.push(InputFile {
                        path: entry.into_path(),
                        size,
                        collection: collection.clone(),
                    });
                }
                Ok(_) => {}
                Err(error) => {
                    let path = error.path().map_or_else(|| root.clone(), Path::to_path_buf);
                    let reason = match (error.loop_ancestor(), error.io_error()) {
                        (Some(ancestor), _) => {
                            format!("symlink loop back to {}", ancestor.display())
                        }
                        (None, Some(io)) => io.to_string(),
                        (None, None) => error.to_string(),
                    };
                    found.failed.push((path, reason));
                }
            }
        }
    }
    found
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

fn collection_name(root: &Path) -> String {
    let folder = if root.is_dir() {
        root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
    } else {
        root.canonicalize()
            .ok()
            .and_then(|path| path.parent().map(Path::to_path_buf))
            .unwrap_or_default()
    };
    folder
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_skips_hidden_and_reports_missing_roots() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("archive");
        std::fs::create_dir_all(root.join("b")).expect("mkdir");
        std::fs::create_dir_all(root.join(".git")).expect("mkdir");
        std::fs::write(root.join("b/2.txt"), "two").expect("write");
        std::fs::write(root.join("a.txt"), "one").expect("write");
        std::fs::write(root.join(".hidden.txt"), "no").expect("write");
        std::fs::write(root.join(".git/config"), "no").expect("write");

        let found = discover(&[root.clone(), dir.path().join("missing")]);
        let names: Vec<_> = found
            .files
            .iter()
            .map(|file| {
                file.path
                    .strip_prefix(&root)
                    .expect("under root")
                    .to_owned()
            })
            .collect();
        assert_eq!(
            names,
            vec![PathBuf::from("a.txt"), PathBuf::from("b/2.txt")]
        );
        assert!(found.files.iter().all(|file| file.collection == "archive"));
        assert_eq!(found.files[0].size, 3);
        assert_eq!(found.failed.len(), 1);
        assert!(found.failed[0].0.ends_with("missing"));
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_reported_not_followed() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
        std::fs::write(dir.path().join("sub/a.txt"), "text").expect("write");
        std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).expect("symlink");
        let found = discover(&[dir.path().to_path_buf()]);
        assert_eq!(found.files.len(), 1);
        assert!(found
            .failed
            .iter()
            .any(|(_, reason)| reason.contains("symlink loop")));
    }
}
