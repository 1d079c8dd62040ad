//! The library's error type.
//!
//! Two kinds of failure are kept apart on purpose. A problem with one input
//! record (a malformed JSON line, a corrupt gzip member, bytes that are not
//! text) is *not* an [`Error`]: readers report it as a record outcome with its
//! location and the run goes on. [`Error`] is for what stops a whole command:
//! an index that cannot be opened or written, a query that cannot be parsed,
//! an option that makes no sense.

use std::path::PathBuf;

/// Result alias used across the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that stops a gazette command.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The index directory holds no gazette index.
    #[error("no index at {path}: run `gazette index PATH... --index {path}` first")]
    NoIndex {
        /// The directory that was looked at.
        path: PathBuf,
    },
    /// The directory holds segment files but no `meta.json`: opening it as a
    /// new index would let tantivy delete the old segments.
    #[error(
        "{path} holds index segment files but no meta.json; refusing to touch it \
         (restore meta.json from a backup, or point --index at an empty directory)"
    )]
    OrphanSegments {
        /// The directory that was looked at.
        path: PathBuf,
    },
    /// The index was written with a different schema.
    #[error(
        "the index at {path} was written with a different schema ({detail}); \
         re-index into a new directory"
    )]
    SchemaMismatch {
        /// The directory of the index.
        path: PathBuf,
        /// Which field differs.
        detail: String,
    },
    /// Another process holds the writer lock.
    #[error(
        "index at {path} is locked by another gazette process{}; wait for it to finish, \
         or stop it (a killed process releases the lock by itself)",
        pid.map(|pid| format!(" (pid {pid})")).unwrap_or_default()
    )]
    Locked {
        /// The directory of the index.
        path: PathBuf,
        /// The process holding the lock, as it recorded itself.
        pid: Option<u32>,
    },
    /// The index's manifest is of another format than this gazette's.
    #[error(
        "the index at {path} records its inputs in an older format (manifest version {version}); \
         re-index into a new directory"
    )]
    ManifestVersion {
        /// The directory of the index.
        path: PathBuf,
        /// The version found (0: before versions were recorded).
        version: u32,
    },
    /// The disk holding the index is full.
    #[error(
        "the disk holding the index at {path} is full; the index is as its last commit left it: \
         free some space and run the same gazette index command again"
    )]
    DiskFull {
        /// The directory of the index.
        path: PathBuf,
    },
    /// The index directory cannot be written (read-only media or mount,
    /// no permission): it can be searched, not indexed into.
    #[error(
        "the index at {path} is read-only (read-only media or mount, or no write permission): \
         it can be searched, but not indexed into; copy it to a writable place to add to it"
    )]
    ReadOnly {
        /// The directory of the index.
        path: PathBuf,
    },
    /// The index's files disagree with each other.
    #[error(
        "the index at {path} is damaged: {detail}; restore it from a backup, \
         or re-index the collection into a new directory"
    )]
    Corrupt {
        /// The directory of the index.
        path: PathBuf,
        /// What disagrees.
        detail: String,
    },
    /// An authority file is malformed.
    #[error("{path}, {source}; fix that line (format: TYPE<tab>NAME<tab>ALIAS...)")]
    Authority {
        /// The file.
        path: PathBuf,
        /// The line and what is wrong with it.
        #[source]
        source: crate::analyze::entities::AuthorityLineError,
    },
    /// A recogniser model file cannot be read.
    #[error("{path}: {problem}")]
    Model {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        problem: crate::analyze::entities::ModelError,
    },
    /// The search query could not be parsed.
    #[error("{0}")]
    Query(String),
    /// An option given by the user is invalid.
    #[error("{0}")]
    Usage(String),
    /// A file or directory the command needs could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// tantivy failed on an operation on the index itself.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

impl Error {
    /// Wraps an I/O error with the path it happened on.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
