use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use serde::Deserialize;
use tempfile::TempDir;

/// The binary, with every environment variable that changes output removed.
pub fn gazette() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
    command
        .env_remove("NO_COLOR")
        .env_remove("TERM")
        .env_remove("COLUMNS")
        .env_remove("GAZETTE_INDEX")
        .current_dir(repo());
    command
}

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn corpus() -> PathBuf {
    repo().join("corpus")
}

/// An index of `corpus/`, built once for all tests (one thread, so that
/// document order, and hence tie-breaking, is stable).
pub fn corpus_index() -> &'static Path {
    static INDEX: OnceLock<TempDir> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            gazette()
                .args(["index", "corpus", "--threads", "1", "--quiet", "--index"])
                .arg(dir.path())
                .assert()
                .success();
            dir
        })
        .path()
}

/// `gazette ARGS --index <the corpus index>`, ready to run.
pub fn on_corpus(args: &[&str]) -> Command {
    let mut command = gazette();
    command.args(args).arg("--index").arg(corpus_index());
    command
}

/// Runs `gazette search` on the corpus index with `--format json`.
pub fn search(query: &str, extra: &[&str]) -> SearchJson {
    search_index(corpus_index(), query, extra)
}

/// Runs `gazette search` on `index` with `--format json`.
pub fn search_index(index: &Path, query: &str, extra: &[&str]) -> SearchJson {
    let output = gazette()
        .args(["search", query, "--format", "json", "--index"])
        .arg(index)
        .args(extra)
        .output()
        .expect("runs");
    assert!(
        output.status.code() == Some(0) || output.status.code() == Some(1),
        "search {query} {extra:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("search prints the JSON schema")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchJson {
    pub query: String,
    pub total_hits: usize,
    pub hits: Vec<HitJson>,
    /// Only with `--facets` (its shape is checked in `entities.rs`).
    pub facets: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HitJson {
    pub rank: usize,
    pub score: Option<f64>,
    pub article_id: String,
    pub passage: u64,
    pub title: Option<String>,
    pub published: Option<String>,
    pub lang: String,
    pub source: String,
    pub url: Option<String>,
    pub entities: Vec<EntityJson>,
    pub countries: Vec<String>,
    pub text: String,
    pub highlights: Vec<[usize; 2]>,
    pub provenance: ProvenanceJson,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityJson {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub mentions: Vec<[usize; 2]>,
}

impl EntityJson {
    /// The mentions as written, cut out of `text` by code-point offsets.
    pub fn written(&self, text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        self.mentions
            .iter()
            .map(|[start, end]| chars[*start..*end].iter().collect())
            .collect()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvenanceJson {
    pub file: String,
    pub record: Option<u64>,
}

impl HitJson {
    /// The highlighted words, cut out of `text` by code-point offsets.
    pub fn highlighted(&self) -> Vec<String> {
        let chars: Vec<char> = self.text.chars().collect();
        self.highlights
            .iter()
            .map(|[start, end]| chars[*start..*end].iter().collect())
            .collect()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexReportJson {
    pub articles: u64,
    pub passages: u64,
    pub bytes: u64,
    pub files: u64,
    pub elapsed_s: f64,
    pub skipped: Vec<DispositionJson>,
    pub failed: Vec<DispositionJson>,
    pub warnings: Vec<DispositionJson>,
    pub counts: CountsJson,
    pub unchanged: u64,
    pub pruned: u64,
    pub not_read: u64,
    pub commits: u64,
    pub interrupted: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountsJson {
    pub skipped: KindCountsJson,
    pub failed: KindCountsJson,
    pub warnings: KindCountsJson,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindCountsJson {
    pub total: u64,
    pub by_reason: std::collections::BTreeMap<String, u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DispositionJson {
    pub input: String,
    pub record: Option<u64>,
    pub reason: String,
}

impl IndexReportJson {
    /// The reason given for `file_name` in `list`, if it is there.
    pub fn reason<'a>(list: &'a [DispositionJson], file_name: &str) -> Option<&'a str> {
        list.iter()
            .find(|item| item.input.ends_with(file_name))
            .map(|item| item.reason.as_str())
    }
}

/// Indexes `paths` into `index` with `--format json`, returning the exit
/// code and the parsed report.
pub fn index_json(index: &Path, paths: &[&Path]) -> (i32, IndexReportJson) {
    index_json_with(index, paths, &[])
}

/// [`index_json`] with `extra` arguments.
pub fn index_json_with(index: &Path, paths: &[&Path], extra: &[&str]) -> (i32, IndexReportJson) {
    let output = gazette()
        .args(["index", "--quiet", "--format", "json", "--index"])
        .arg(index)
        .args(paths)
        .args(extra)
        .output()
        .expect("runs");
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "index report is not the JSON schema ({error}); stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().unwrap_or(-1), report)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleJson {
    pub input: String,
    pub record: Option<u64>,
    pub id: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub date_origin: String,
    pub lang: String,
    pub lang_confidence: f64,
    pub lang_origin: String,
    pub url: Option<String>,
    pub author: Option<String>,
    pub source: String,
    pub encoding: String,
    pub text: String,
    pub passages: Vec<[usize; 2]>,
    pub entities: Vec<EntityJson>,
    pub countries: Vec<String>,
    pub warnings: Vec<String>,
}

/// Runs `gazette extract --format json` on `path`.
pub fn extract(path: &Path) -> Vec<ArticleJson> {
    let output = gazette()
        .args(["extract", "--format", "json"])
        .arg(path)
        .output()
        .expect("runs");
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "extract output is not the JSON schema ({error}); stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// `gazette stats --format json` of an index.
pub fn stats(index: &Path) -> serde_json::Value {
    let output = gazette()
        .args(["stats", "--format", "json", "--index"])
        .arg(index)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "stats failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stats JSON")
}

/// The number of passages `query` matches in an index.
pub fn total_hits(index: &Path, query: &str) -> u64 {
    let output = gazette()
        .args([
            "search", query, "--format", "json", "--limit", "1", "--index",
        ])
        .arg(index)
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "search `{query}` printed no JSON: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    json["total_hits"].as_u64().expect("total_hits")
}

/// Writes `files` JSON Lines files of `per_file` distinct articles each
/// (ids `gen-F-N`, every body naming its id's token `tokF_N`), and returns
/// the number of articles.
pub fn write_collection(dir: &Path, files: usize, per_file: usize) -> usize {
    std::fs::create_dir_all(dir).expect("mkdir");
    const WORDS: &[&str] = &[
        "river",
        "mining",
        "election",
        "border",
        "oil",
        "harbour",
        "market",
        "court",
        "storm",
        "festival",
        "migration",
        "sanctions",
        "council",
        "forest",
        "mercury",
        "ballot",
    ];
    for file in 0..files {
        let mut lines = String::new();
        for n in 0..per_file {
            let words: Vec<&str> = (0..120)
                .map(|i| WORDS[(file * 7 + n * 3 + i) % WORDS.len()])
                .collect();
            let body = format!("Report tok{file}x{n} begins. {}.", words.join(" "));
            let record = serde_json::json!({
                "id": format!("gen-{file}-{n}"),
                "title": format!("Generated report {file}-{n}"),
                "body": body,
                "date": format!("20{:02}-0{}-1{}", 15 + file % 11, 1 + n % 9, n % 10),
                "lang": "en",
            });
            lines.push_str(&record.to_string());
            lines.push('\n');
        }
        std::fs::write(dir.join(format!("batch-{file:03}.jsonl")), lines).expect("write");
    }
    files * per_file
}

/// The binary as a `std` command, for runs that are spawned and signalled.
pub fn gazette_process() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"));
    command
        .env_remove("NO_COLOR")
        .env_remove("GAZETTE_INDEX")
        .current_dir(repo())
        .stdin(std::process::Stdio::null());
    command
}

/// Sends `signal` (`INT`, `STOP`, `CONT`, …) to a process.
pub fn signal(pid: u32, signal: &str) {
    let status = std::process::Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -{signal} {pid} failed");
}

/// Waits until a writing gazette has taken the lock on `index`.
pub fn wait_for_writer(index: &Path) {
    let pid_file = index.join("gazette-writer.pid");
    for _ in 0..2000 {
        if pid_file.exists() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    panic!("no writer started on {}", index.display());
}

/// Freezes (SIGSTOP) the writer `pid` of `index` at a moment it is not
/// committing: frozen inside a commit it would hold tantivy's meta lock,
/// which readers take too, and every search would wait for it.
pub fn freeze_outside_commit(pid: u32, index: &Path) {
    let lock_path = index.join(".tantivy-meta.lock");
    for _ in 0..1000 {
        signal(pid, "STOP");
        let Ok(lock) = std::fs::OpenOptions::new().write(true).open(&lock_path) else {
            return;
        };
        let fd = std::os::fd::AsRawFd::as_raw_fd(&lock);
        // SAFETY: `fd` is an open descriptor owned by `lock` for this call.
        if unsafe { libc::flock(fd, libc::LOCK_EX | libc::LOCK_NB) } == 0 {
            // SAFETY: as above; releases the lock just taken.
            unsafe { libc::flock(fd, libc::LOCK_UN) };
            return;
        }
        signal(pid, "CONT");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    panic!("writer {pid} never left its commit");
}
