//! `gazette check`: the archivist's fsck. Verifies that the index opens,
//! that every segment file matches its checksum, and that the index holds
//! exactly what its manifest says: every article the manifest assigns to
//! an input, with its passages, and nothing else. It lists recorded inputs
//! that no longer exist and files in the index folder that no commit uses.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use tantivy::collector::Count;
use tantivy::directory::INDEX_WRITER_LOCK;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Directory, DocSet, Searcher, Term, TERMINATED};

use super::manifest::{key_path, last_payload, Manifest};
use super::{dictionary_terms, open, sorted_distinct, AUTHORITY_FILE, PID_FILE};
use crate::schema::Fields;
use crate::Result;

/// How many differences of each kind a report lists (all are counted).
const LISTED_DIFFERENCES: usize = 10;

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
    /// Whether a gazette index run holds the index's writer lock: the
    /// report describes its last commit, and the run is not finished.
    pub writer_active: bool,
    /// Recorded inputs that no longer exist (`gazette index --prune` removes them).
    pub missing_inputs: Vec<String>,
    /// Files in the index directory that gazette or tantivy wrote and the
    /// last commit does not use (segments or manifests of a killed run):
    /// the next `gazette index` removes them.
    pub leftovers: Vec<String>,
    /// Files in the index directory that gazette did not write: left alone.
    pub foreign_files: Vec<String>,
    /// Inconsistencies, each said for a person to act on.
    pub problems: Vec<String>,
}

/// Checks the index in `dir`. An `Err` means it could not be opened at all.
pub fn check(dir: &Path) -> Result<CheckReport> {
    let target = open(dir)?;
    let index = &target.index;
    let mut report = CheckReport {
        writer_active: index
            .directory()
            .acquire_lock(&INDEX_WRITER_LOCK)
            .is_err_and(|error| matches!(error, tantivy::directory::error::LockError::LockBusy)),
        ..CheckReport::default()
    };

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
             re-index into a new directory"
                .to_owned(),
        ),
        Some(payload) => match Manifest::read(dir, payload) {
            Err(error) => report.problems.push(format!(
                "the manifest of the last commit cannot be read ({error})"
            )),
            Ok(manifest) => {
                report.inputs = manifest.inputs.len() as u64;
                report.missing_inputs = manifest
                    .inputs
                    .iter()
                    .filter(|(key, _)| !key_path(key).is_file())
                    .map(|(_, record)| record.path.clone())
                    .collect();
                if manifest.unsettled.is_empty() {
                    let held = held_articles(&searcher, &target.fields)?;
                    compare(&manifest, &held, &mut report.problems);
                } else {
                    let unfinished = if report.writer_active {
                        "a gazette index run is writing the index; check again when it is done"
                    } else {
                        "the last run stopped before it finished them (interrupted, killed, or \
                         an input failed): re-run the same gazette index command to complete it"
                    };
                    report.problems.push(format!(
                        "{} inputs are not fully indexed: {unfinished}",
                        manifest.unsettled.len()
                    ));
                }
            }
        },
    }

    // Managed files outside the last commit are segments a killed run wrote;
    // tantivy deletes them at the next commit.
    let ours = |name: &str| {
        active.contains(Path::new(name))
            || matches!(
                name,
                "meta.json" | ".managed.json" | PID_FILE | AUTHORITY_FILE
            )
            || name.starts_with(".tantivy-")
            || Some(name) == manifest_name.as_deref()
    };
    let leftover =
        |name: &str| managed.contains(Path::new(name)) || Manifest::is_leftover_candidate(name);
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if ours(&name) {
                continue;
            }
            if leftover(&name) {
                report.leftovers.push(name);
            } else {
                report.foreign_files.push(name);
            }
        }
    }
    report.leftovers.sort();
    report.foreign_files.sort();
    Ok(report)
}

/// Passages per article, by input key and article id, as the index holds them.
type Held = BTreeMap<(String, String), u64>;

/// Every live passage of the index, counted by the input key and the
/// article id it carries: one pass over the `input_key` postings, the ids
/// counted by ordinal and named in one walk over each segment's dictionary.
fn held_articles(searcher: &Searcher, fields: &Fields) -> Result<Held> {
    let mut held = Held::new();
    for segment in searcher.segment_readers() {
        let Some(ids) = segment.fast_fields().str("article_id")? else {
            continue;
        };
        let alive = segment.alive_bitset();
        let inverted = segment.inverted_index(fields.input_key)?;
        let mut terms = inverted
            .terms()
            .stream()
            .map_err(tantivy::TantivyError::from)?;
        let mut by_ord: HashMap<(String, Option<u64>), u64> = HashMap::new();
        while terms.advance() {
            let key = String::from_utf8_lossy(terms.key()).into_owned();
            let mut postings = inverted
                .read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)
                .map_err(tantivy::TantivyError::from)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|alive| alive.is_alive(doc)) {
                    let ord = ids.term_ords(doc).next();
                    *by_ord.entry((key.clone(), ord)).or_default() += 1;
                }
                doc = postings.advance();
            }
        }
        let ords = sorted_distinct(by_ord.keys().filter_map(|(_, ord)| *ord));
        let names: HashMap<u64, String> = ords
            .iter()
            .copied()
            .zip(dictionary_terms(ids.dictionary(), &ords)?)
            .collect();
        for ((key, ord), passages) in by_ord {
            let id = ord
                .and_then(|ord| names.get(&ord).cloned())
                .unwrap_or_default();
            *held.entry((key, id)).or_default() += passages;
        }
    }
    Ok(held)
}

/// Compares what the index holds with what the manifest says it must,
/// adding a problem for each kind of difference.
fn compare(manifest: &Manifest, held: &Held, problems: &mut Vec<String>) {
    let mut expected = Held::new();
    for (key, claims) in manifest.owned() {
        for claim in claims {
            expected.insert((key.to_owned(), claim.id().to_owned()), claim.passages());
        }
    }
    let path_of = |key: &str| {
        manifest
            .inputs
            .get(key)
            .map_or_else(|| key_path(key).display().to_string(), |r| r.path.clone())
    };
    let mut missing = Vec::new();
    let mut partial = Vec::new();
    for ((key, id), passages) in &expected {
        match held.get(&(key.clone(), id.clone())) {
            None => missing.push(format!("`{id}` of {}", path_of(key))),
            Some(count) if count != passages => partial.push(format!(
                "`{id}` of {} has {count} passages, {passages} recorded",
                path_of(key)
            )),
            Some(_) => {}
        }
    }
    let extra: Vec<String> = held
        .keys()
        .filter(|entry| !expected.contains_key(*entry))
        .map(|(key, id)| format!("`{id}` from {}", path_of(key)))
        .collect();
    let mut say = |list: Vec<String>, what: &str| {
        if list.is_empty() {
            return;
        }
        let shown: Vec<&str> = list
            .iter()
            .take(LISTED_DIFFERENCES)
            .map(String::as_str)
            .collect();
        let more = list.len().saturating_sub(LISTED_DIFFERENCES);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        problems.push(format!(
            "{} {what}: {}{more}; re-run gazette index on the same paths, \
             or re-index into a new directory if this stays",
            list.len(),
            shown.join(", ")
        ));
    };
    say(
        missing,
        "articles the manifest records are missing from the index",
    );
    say(partial, "articles have other passages than recorded");
    say(
        extra,
        "articles in the index are not in the manifest (duplicates or orphans)",
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{index_paths, IndexOptions, NoProgress};

    /// An index of two articles, built in `dir`, and its directory.
    fn two_articles(dir: &Path) -> PathBuf {
        let inputs = dir.join("in");
        std::fs::create_dir_all(&inputs).expect("mkdir");
        for (name, word) in [("a.txt", "heron"), ("b.txt", "egret")] {
            let body = format!("{word} ").repeat(30);
            std::fs::write(inputs.join(name), format!("Title\n\n{body}")).expect("write");
        }
        let index_dir = dir.join("index");
        let mut options = IndexOptions::new(index_dir.clone());
        options.threads = 1;
        options.entities = None;
        index_paths(&[inputs], &options, &NoProgress).expect("indexed");
        index_dir
    }

    #[test]
    fn an_article_removed_behind_gazettes_back_is_reported_missing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let index_dir = two_articles(dir.path());
        assert_eq!(
            check(&index_dir).expect("check").problems,
            Vec::<String>::new()
        );

        // Delete one article's passages, keeping the commit's payload.
        let target = open(&index_dir).expect("opens");
        let payload = target.index.load_metas().expect("metas").payload;
        let mut writer: tantivy::IndexWriter<tantivy::TantivyDocument> = target
            .index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        let key = crate::index::manifest::input_key(
            &dir.path()
                .join("in/a.txt")
                .canonicalize()
                .expect("canonical"),
        );
        writer.delete_term(Term::from_field_text(target.fields.input_key, &key));
        let mut prepared = writer.prepare_commit().expect("prepare");
        prepared.set_payload(payload.as_deref().unwrap_or_default());
        prepared.commit().expect("commit");
        drop(writer);

        let report = check(&index_dir).expect("check");
        assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
        assert!(
            report.problems[0].contains("missing from the index")
                && report.problems[0].contains("a.txt"),
            "{:?}",
            report.problems
        );
    }
}
