//! A model-based test of incremental indexing: random sequences of file
//! operations (create, edit, same-size edit with the old mtime, rename,
//! folder move, content swap, copy, delete, symlinked folders), each
//! followed by an indexing run (with or without `--prune`, one or two
//! threads, overlapping paths), checked after every step against a
//! reference model of what the index must hold, and against `check`.
//!
//! The runs go through the library in process (thousands of runs would
//! spend most of their time starting processes); `tests/robust.rs` runs
//! the binary on the same cases one by one.
//!
//! The model: every file found now holds its current content; a file gone
//! holds what it held when last read until `--prune` removes it; an article
//! (an id) that several files hold is kept from the file whose canonical
//! path sorts first, except that a gone file cannot give back an article
//! it did not hold in the index already.
//!
//! `GAZETTE_MODEL_CASES` sets the number of sequences (default 500),
//! `GAZETTE_MODEL_SEED` the seed (default fixed, so CI is reproducible).
//! See: issue 22.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use gazette::index::{check, index_paths, IndexOptions, NoProgress};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use tantivy::schema::Value;
use tantivy::{DocAddress, TantivyDocument};

/// Where a file of the collection can be, relative to the collection root.
const SLOTS: &[&str] = &[
    "a.txt",
    "b.txt",
    "c.jsonl",
    "d0/e.txt",
    "d0/f.jsonl",
    "d0/g.txt",
    "d1/h.txt",
    "d1/i.jsonl",
];
const FOLDERS: &[&str] = &["d0", "d1", "d2"];

/// What a file holds: one text article, or JSON Lines records (id, version).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Content {
    Text(u8),
    Lines(Vec<(u8, u8)>),
}

impl Content {
    fn render(&self) -> String {
        match self {
            Content::Text(story) => format!("Story {story:03}\n\n{}\n", body("text", *story, 0)),
            Content::Lines(records) => records
                .iter()
                .map(|(id, version)| {
                    format!(
                        "{{\"id\": \"r{id:02}\", \"title\": \"Record {id:02}\", \"body\": \"{}\"}}\n",
                        body("record", *id, *version)
                    )
                })
                .collect(),
        }
    }

    /// The articles, each id once (the first record wins), with their text.
    fn articles(&self) -> Vec<(String, String)> {
        match self {
            Content::Text(story) => vec![(format!("t{story}"), body("text", *story, 0))],
            Content::Lines(records) => {
                let mut seen = BTreeSet::new();
                records
                    .iter()
                    .filter(|(id, _)| seen.insert(*id))
                    .map(|(id, version)| (format!("r{id:02}"), body("record", *id, *version)))
                    .collect()
            }
        }
    }

    /// The content as a file named `name` can hold it: JSON Lines records
    /// in `.jsonl` files, one text article in the others.
    fn fit(self, name: &str) -> Content {
        match (self, name.ends_with(".jsonl")) {
            (Content::Text(story), true) => Content::Lines(vec![(story % 6, 0)]),
            (Content::Lines(records), false) => {
                Content::Text(records.first().map_or(0, |(id, _)| *id))
            }
            (content, _) => content,
        }
    }

    /// Another content of exactly the same length.
    fn same_size_variant(&self) -> Content {
        match self {
            Content::Text(story) => Content::Text((story + 1) % 8),
            Content::Lines(records) => Content::Lines(
                records
                    .iter()
                    .map(|(id, version)| (*id, (version + 1) % 4))
                    .collect(),
            ),
        }
    }
}

/// A body of fixed length for every kind, number and version, long enough
/// to be a passage of its own.
fn body(kind: &str, number: u8, version: u8) -> String {
    const WORDS: &[&str] = &[
        "harbour", "council", "mercury", "ballots", "borders", "markets", "forests", "rivers",
    ];
    let words: Vec<&str> = (0..22)
        .map(|i| WORDS[(usize::from(number) * 3 + usize::from(version) + i) % WORDS.len()])
        .collect();
    format!(
        "The {kind} number {number:03} in version {version:03} reports that {}.",
        words.join(" ")
    )
}

/// Whether two file names hold the same kind of content.
fn same_kind(a: &str, b: &str) -> bool {
    a.ends_with(".jsonl") == b.ends_with(".jsonl")
}

#[derive(Debug, Clone)]
enum Op {
    Create(usize, Content),
    Edit(usize, Content),
    SameSizeEdit(usize),
    Rename(usize, usize),
    MoveFolder(usize, usize),
    Swap(usize, usize),
    Copy(usize, usize),
    Delete(usize),
    Symlink(usize),
    Unlink,
}

/// How a step runs `gazette index`.
#[derive(Debug, Clone)]
struct Run {
    prune: bool,
    threads: usize,
    /// Extra paths named besides the collection: 0 none, 1 a folder inside
    /// it, 2 the symlinked folder, 3 the collection twice.
    overlap: u8,
}

fn content() -> impl Strategy<Value = Content> {
    prop_oneof![
        (0u8..8).prop_map(Content::Text),
        prop::collection::vec((0u8..6, 0u8..4), 1..4).prop_map(Content::Lines),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let slot = 0..SLOTS.len();
    let folder = 0..FOLDERS.len();
    prop_oneof![
        3 => (slot.clone(), content()).prop_map(|(s, c)| Op::Create(s, c)),
        2 => (slot.clone(), content()).prop_map(|(s, c)| Op::Edit(s, c)),
        1 => slot.clone().prop_map(Op::SameSizeEdit),
        2 => (slot.clone(), slot.clone()).prop_map(|(a, b)| Op::Rename(a, b)),
        1 => (folder.clone(), folder.clone()).prop_map(|(a, b)| Op::MoveFolder(a, b)),
        2 => (slot.clone(), slot.clone()).prop_map(|(a, b)| Op::Swap(a, b)),
        2 => (slot.clone(), slot.clone()).prop_map(|(a, b)| Op::Copy(a, b)),
        2 => slot.prop_map(Op::Delete),
        1 => folder.prop_map(Op::Symlink),
        1 => Just(Op::Unlink),
    ]
}

fn run() -> impl Strategy<Value = Run> {
    (any::<bool>(), 1usize..=2, 0u8..4).prop_map(|(prune, threads, overlap)| Run {
        prune,
        threads,
        overlap,
    })
}

/// The collection on disk and what each file holds, kept side by side.
struct World {
    root: PathBuf,
    /// Files by path relative to the collection root (real paths, not
    /// through the symlink).
    files: BTreeMap<String, Content>,
    link: Option<String>,
}

impl World {
    fn collection(&self) -> PathBuf {
        self.root.join("col")
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.collection().join(relative)
    }

    /// The existing file at position `n` (modulo), if any.
    fn existing(&self, n: usize) -> Option<String> {
        let count = self.files.len();
        (count > 0).then(|| {
            self.files
                .keys()
                .nth(n % count)
                .cloned()
                .unwrap_or_default()
        })
    }

    fn write(&mut self, relative: &str, content: Content) {
        let content = content.fit(relative);
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, content.render()).expect("write");
        self.files.insert(relative.to_owned(), content);
    }

    fn apply(&mut self, op: &Op) {
        match op {
            Op::Create(slot, content) => {
                if !self.files.contains_key(SLOTS[*slot]) {
                    self.write(SLOTS[*slot], content.clone());
                }
            }
            Op::Edit(n, content) => {
                if let Some(file) = self.existing(*n) {
                    self.write(&file, content.clone());
                }
            }
            Op::SameSizeEdit(n) => {
                if let Some(file) = self.existing(*n) {
                    let path = self.path(&file);
                    let mtime = std::fs::metadata(&path)
                        .and_then(|meta| meta.modified())
                        .expect("mtime");
                    let variant = self.files[&file].same_size_variant();
                    self.write(&file, variant);
                    std::fs::File::options()
                        .write(true)
                        .open(&path)
                        .and_then(|handle| handle.set_modified(mtime))
                        .expect("set mtime");
                }
            }
            Op::Rename(n, slot) => {
                let to = SLOTS[*slot];
                if let Some(from) = self.existing(*n) {
                    if !self.files.contains_key(to) && same_kind(&from, to) {
                        let target = self.path(to);
                        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
                        std::fs::rename(self.path(&from), target).expect("rename");
                        let content = self.files.remove(&from).expect("known");
                        self.files.insert(to.to_owned(), content);
                    }
                }
            }
            Op::MoveFolder(from, to) => {
                let (from, to) = (FOLDERS[*from], FOLDERS[*to]);
                if from != to && self.path(from).is_dir() && !self.path(to).exists() {
                    std::fs::rename(self.path(from), self.path(to)).expect("move folder");
                    let moved: Vec<String> = self
                        .files
                        .keys()
                        .filter(|file| file.starts_with(&format!("{from}/")))
                        .cloned()
                        .collect();
                    for file in moved {
                        let content = self.files.remove(&file).expect("known");
                        self.files
                            .insert(format!("{to}/{}", &file[from.len() + 1..]), content);
                    }
                }
            }
            Op::Swap(a, b) => {
                if let (Some(a), Some(b)) = (self.existing(*a), self.existing(*b)) {
                    if same_kind(&a, &b) {
                        let (content_a, content_b) =
                            (self.files[&a].clone(), self.files[&b].clone());
                        self.write(&a, content_b);
                        self.write(&b, content_a);
                    }
                }
            }
            Op::Copy(n, slot) => {
                let to = SLOTS[*slot];
                if let Some(from) = self.existing(*n) {
                    if !self.files.contains_key(to) && same_kind(&from, to) {
                        let content = self.files[&from].clone();
                        self.write(to, content);
                    }
                }
            }
            Op::Delete(n) => {
                if let Some(file) = self.existing(*n) {
                    std::fs::remove_file(self.path(&file)).expect("delete");
                    self.files.remove(&file);
                }
            }
            Op::Symlink(folder) => {
                let folder = FOLDERS[*folder];
                if self.link.is_none() && self.path(folder).is_dir() {
                    std::os::unix::fs::symlink(folder, self.path("current")).expect("symlink");
                    self.link = Some(folder.to_owned());
                }
            }
            Op::Unlink => {
                if self.link.take().is_some() {
                    std::fs::remove_file(self.path("current")).expect("unlink");
                }
            }
        }
        // A moved or removed folder leaves the symlink dangling: gone with it.
        if let Some(folder) = &self.link {
            if !self.path(folder).is_dir() {
                std::fs::remove_file(self.path("current")).expect("unlink");
                self.link = None;
            }
        }
    }

    fn roots(&self, run: &Run) -> Vec<PathBuf> {
        let mut roots = vec![self.collection()];
        match (run.overlap, &self.link) {
            (1, _) if self.path("d0").is_dir() => roots.insert(0, self.path("d0")),
            (2, Some(_)) => roots.push(self.path("current")),
            (3, _) => roots.push(self.collection()),
            _ => {}
        }
        roots
    }
}

/// What the index must hold: article id → (canonical path, text).
#[derive(Default)]
struct Model {
    /// What each file held when last read, by canonical path.
    known: BTreeMap<String, Vec<(String, String)>>,
    index: BTreeMap<String, (String, String)>,
}

impl Model {
    fn index(&mut self, world: &World, prune: bool) {
        let collection = world.collection().canonicalize().expect("canonical");
        let present: BTreeMap<String, &Content> = world
            .files
            .iter()
            .map(|(file, content)| (collection.join(file).display().to_string(), content))
            .collect();
        for (path, content) in &present {
            self.known.insert(path.clone(), content.articles());
        }
        if prune {
            self.known.retain(|path, _| present.contains_key(path));
        }
        let mut index = BTreeMap::new();
        for (path, articles) in &self.known {
            let here = present.contains_key(path);
            for (id, text) in articles {
                let held_before = self.index.get(id).is_some_and(|(p, _)| p == path);
                if (here || held_before) && !index.contains_key(id) {
                    index.insert(id.clone(), (path.clone(), text.clone()));
                }
            }
        }
        self.index = index;
    }

    /// The (canonical path, text) pairs the index must hold.
    fn expected(&self) -> BTreeSet<(String, String)> {
        self.index.values().cloned().collect()
    }
}

/// The (input key, passage text) of every passage, and the article ids.
fn index_contents(dir: &Path) -> (BTreeSet<(String, String)>, Vec<String>) {
    let index = gazette::index::open(dir).expect("opens");
    let searcher = index.index.reader().expect("reader").searcher();
    let mut pairs = BTreeSet::new();
    let mut ids = Vec::new();
    for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
        for doc in segment.doc_ids_alive() {
            let doc: TantivyDocument = searcher
                .doc(DocAddress::new(ordinal as u32, doc))
                .expect("stored");
            let text = |field| {
                doc.get_first(field)
                    .and_then(|value| value.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            pairs.insert((text(index.fields.input_key), text(index.fields.text)));
            ids.push(text(index.fields.article_id));
        }
    }
    ids.sort();
    (pairs, ids)
}

fn sequence(steps: &[(Op, Run)]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut world = World {
        root: dir.path().to_path_buf(),
        files: BTreeMap::new(),
        link: None,
    };
    std::fs::create_dir_all(world.collection()).expect("mkdir");
    let index_dir = dir.path().join("index");
    let mut model = Model::default();
    for (number, (op, run)) in steps.iter().enumerate() {
        world.apply(op);
        let mut options = IndexOptions::new(index_dir.clone());
        options.threads = run.threads;
        options.heap_mb = 15 * run.threads;
        options.prune = run.prune;
        options.entities = None;
        let report = index_paths(&world.roots(run), &options, &NoProgress)
            .map_err(|error| TestCaseError::fail(format!("step {number}: {error}")))?;
        prop_assert!(
            report.failed.is_empty(),
            "step {number}: {:?}",
            report.failed
        );
        model.index(&world, run.prune);
        let (held, ids) = index_contents(&index_dir);
        prop_assert_eq!(
            &held,
            &model.expected(),
            "step {} ({:?}, {:?})",
            number,
            op,
            run
        );
        let mut distinct = ids.clone();
        distinct.dedup();
        prop_assert_eq!(
            distinct.len(),
            ids.len(),
            "step {}: an article twice",
            number
        );
        let checked = check(&index_dir).expect("check runs");
        prop_assert!(
            checked.problems.is_empty(),
            "step {number}: check says {:?}",
            checked.problems
        );
    }
    Ok(())
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

#[test]
fn incremental_indexing_matches_the_model_after_every_step() {
    let cases = env_number("GAZETTE_MODEL_CASES", 500);
    let seed = env_number("GAZETTE_MODEL_SEED", 22);
    let config = Config {
        cases: u32::try_from(cases).unwrap_or(u32::MAX),
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(seed),
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let steps = prop::collection::vec((op(), run()), 10..=30);
    let result = runner.run(&steps, |steps| sequence(&steps));
    if let Err(error) = result {
        panic!("{error}");
    }
}
