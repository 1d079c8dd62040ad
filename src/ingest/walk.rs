//! Finding the input files under the paths a user names.
//!
//! Each file is found once per run, however many ways lead to it (the
//! same file named twice, overlapping folders, symlinks): files are known
//! by their canonical path, and the first path that reached a file is
//! the one it is read and cited by.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// One file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The file, as the walk reached it.
    pub path: PathBuf,
    /// The file's canonical path (symlinks resolved): what identifies it
    /// across paths and runs.
    pub canonical: PathBuf,
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
    /// Files to read, in a stable order (paths sorted within each argument),
    /// each once.
    pub files: Vec<InputFile>,
    /// Paths passed over on purpose (FIFOs, devices, sockets), with the reason.
    pub skipped: Vec<(PathBuf, String)>,
    /// Paths that could not be walked, with the reason.
    pub failed: Vec<(PathBuf, String)>,
}

/// Walks `roots` recursively. Hidden files and folders below a root are
/// passed over (as ripgrep and fd do); symlinks are followed, and a symlink
/// loop is reported rather than followed forever.
pub fn discover(roots: &[PathBuf]) -> Discovery {
    discover_excluding(roots, &[])
}

/// [`discover`], never entering the folders `excluded` (an index folder
/// inside the collection it indexes).
pub fn discover_excluding(roots: &[PathBuf], excluded: &[PathBuf]) -> Discovery {
    let excluded: Vec<PathBuf> = excluded
        .iter()
        .filter_map(|dir| dir.canonicalize().ok())
        .collect();
    let is_excluded = |path: &Path| {
        !excluded.is_empty()
            && path
                .canonicalize()
                .is_ok_and(|canonical| excluded.contains(&canonical))
    };
    let mut found = Discovery::default();
    let mut seen = HashSet::new();
    for root in roots {
        let collection = collection_name(root);
        let walker = WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| {
                (entry.depth() == 0 || !is_hidden(entry.file_name()))
                    && !(entry.file_type().is_dir() && is_excluded(entry.path()))
            });
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_file() => {
                    let size = entry.metadata().map(|meta| meta.len()).unwrap_or(0);
                    let path = entry.into_path();
                    let canonical = match path.canonicalize() {
                        Ok(canonical) => canonical,
                        Err(error) => {
                            found.failed.push((path, error.to_string()));
                            continue;
                        }
                    };
                    if seen.insert(canonical.clone()) {
                        found.files.push(InputFile {
                            path,
                            canonical,
                            size,
                            collection: collection.clone(),
                        });
                    }
                }
                Ok(entry) if entry.file_type().is_dir() => {}
                Ok(entry) => {
                    let reason = format!(
                        "not a regular file ({}): only files are read",
                        special_file_kind(&entry.file_type())
                    );
                    found.skipped.push((entry.into_path(), reason));
                }
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

fn special_file_kind(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    if file_type.is_symlink() {
        return "a dangling symlink";
    }
    "a special file"
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
        assert!(found.files.iter().all(|file| file.canonical.is_absolute()));
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

    /// See: issue 22, case 1 (an input read twice deleted its own articles).
    #[cfg(unix)]
    #[test]
    fn each_file_is_found_once_however_many_paths_lead_to_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let news = dir.path().join("news");
        std::fs::create_dir_all(news.join("2024")).expect("mkdir");
        std::fs::write(news.join("2024/a.txt"), "a").expect("write");
        std::fs::write(news.join("b.txt"), "b").expect("write");
        std::os::unix::fs::symlink("2024", news.join("current")).expect("symlink");
        let found = discover(&[
            news.join("b.txt"),
            news.clone(),
            news.join("2024"),
            news.join("b.txt"),
        ]);
        let paths: Vec<_> = found.files.iter().map(|file| file.path.clone()).collect();
        assert_eq!(paths, vec![news.join("b.txt"), news.join("2024/a.txt")]);
        assert!(found.failed.is_empty() && found.skipped.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_skipped_with_a_reason_and_the_excluded_folder_never_walked() {
        let dir = tempfile::tempdir().expect("temp dir");
        let fifo = dir.path().join("pipe.txt");
        let name = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).expect("path");
        // SAFETY: `name` is a NUL-terminated path that outlives the call.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        std::fs::create_dir(dir.path().join("gazette-index")).expect("mkdir");
        std::fs::write(dir.path().join("gazette-index/meta.json"), "{}").expect("write");
        std::fs::write(dir.path().join("a.txt"), "a").expect("write");
        let found = discover_excluding(
            &[dir.path().to_path_buf()],
            &[dir.path().join("gazette-index")],
        );
        assert_eq!(found.files.len(), 1);
        assert_eq!(found.skipped.len(), 1);
        assert!(found.skipped[0].1.contains("FIFO"), "{:?}", found.skipped);
    }
}
