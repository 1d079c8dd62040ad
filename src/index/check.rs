//! `gazette check`: the archivist's fsck. Verifies that the index opens,
//! that every segment file matches its checksum, that the counts match the
//! manifest of the last commit, and lists files nothing refers to.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::manifest::{last_payload, Manifest};
use super::{open, AUTHORITY_FILE, PID_FILE};
use crate::Result;

/// What `check` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Segments in the last commit.
    pub segments: usize,
    /// Files whose checksum was verified.
    pub files_checked: usize,
    /// Articles in the index.
    pub articles: u64,
    /// Passages in the index.
    pub passages: u64,
    /// Inputs the manifest records.
    pub inputs: u64,
    /// Recorded inputs that no longer exist (`gazette index --prune` removes them).
    pub missing_inputs: Vec<String>,
    /// Files in the index directory that the last commit does not refer to:
    /// segments or manifests of a killed run, stray files.
    pub leftovers: Vec<String>,
    /// Inconsistencies, each said for a person to act on.
    pub problems: Vec<String>,
}

/// Checks the index in `dir`. An `Err` means it could not be opened at all.
pub fn check(dir: &Path) -> Result<CheckReport> {
    let target = open(dir)?;
    let index = &target.index;
    let mut report = CheckReport::default();

    let damaged = index.validate_checksum()?;
    let metas = index.load_metas()?;
    report.segments = metas.segments.len();
    let managed: HashSet<PathBuf> = index.directory().list_managed_files();
    let active: HashSet<PathBuf> = metas.list_segment_files();
    report.files_checked = active.intersection(&managed).count();
    let mut damaged: Vec<_> = damaged
        .into_iter()
        .map(|p| p.display().to_string())
        .collect();
    damaged.sort();
    for file in damaged {
        report.problems.push(format!(
            "{file}: checksum mismatch (the file is damaged; restore the index from a backup or re-index)"
        ));
    }

    let searcher = index.reader()?.searcher();
    report.passages = searcher.num_docs();
    let first_passages = TermQuery::new(
        Term::from_field_u64(target.fields.passage, 0),
        IndexRecordOption::Basic,
    );
    report.articles = searcher.search(&first_passages, &Count)? as u64;

    let payload = last_payload(index)?;
    let manifest_name = payload.as_ref().map(|p| p.manifest.clone());
    match &payload {
        // A new index, or one whose first run was killed before committing.
        None if report.passages == 0 => {}
        None => report.problems.push(
            "the last commit records no gazette manifest (written by another tool?): \
             re-index to record what the index holds"
                .to_owned(),
        ),
        Some(payload) => match Manifest::read(dir, payload) {
            Err(error) => report.problems.push(format!(
                "the manifest of the last commit cannot be read ({error}): re-run gazette index"
            )),
            Ok(manifest) => {
                report.inputs = manifest.inputs.len() as u64;
                let (articles, passages) = (manifest.articles(), manifest.passages());
                if (articles, passages) != (report.articles, report.passages) {
                    report.problems.push(format!(
                        "the index holds {} articles and {} passages but its manifest records {articles} and {passages} \
                         (a run was interrupted mid-input): re-run the same gazette index command to complete it",
                        report.articles, report.passages
                    ));
                }
                report.missing_inputs = manifest
                    .inputs
                    .iter()
                    .filter(|(key, _)| !Path::new(key.as_str()).exists())
                    .map(|(_, record)| record.path.clone())
                    .collect();
            }
        },
    }

    // Managed files outside the last commit are segments a killed run wrote;
    // tantivy deletes them at the next commit.
    let known = |name: &str| {
        active.contains(Path::new(name))
            || matches!(
                name,
                "meta.json" | ".managed.json" | PID_FILE | AUTHORITY_FILE
            )
            || name.starts_with(".tantivy-")
            || Some(name) == manifest_name.as_deref()
    };
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !known(&name) {
                report.leftovers.push(name);
            }
        }
    }
    report.leftovers.sort();
    Ok(report)
}
