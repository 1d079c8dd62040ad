//! `gazette bench`: a reproducible benchmark of indexing throughput and
//! query latency.
//!
//! It generates a deterministic collection (seeded; Zipf-distributed
//! vocabulary taken from the project's own corpus; ~600-word articles in
//! English, Spanish and Portuguese with names and dates), indexes it with the
//! normal indexing run, then times a fixed, seeded set of queries (rare and
//! common terms, AND, OR, phrases, language and date filters), top 10 with
//! highlighted passages, in-process and as whole `gazette search` processes.
//! The same seed and size give the same collection and queries on any machine.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::index::{index_paths, IndexOptions, IndexReport, Progress};
use crate::search::{search_in, DateRange, Filters, SearchOptions, Sort};
use crate::{Error, Result};

/// Text the vocabulary is drawn from: the project's own articles.
const VOCABULARY_SOURCES: &[(&str, &str)] = &[
    (
        "en",
        include_str!("../corpus/en/en-0002-us-oil-sanctions-pdvsa.txt"),
    ),
    (
        "en",
        include_str!("../corpus/en/en-0004-orinoco-mining-arc-mercury.txt"),
    ),
    (
        "en",
        include_str!("../corpus/en/en-0006-venezuela-election-disputed.txt"),
    ),
    (
        "en",
        include_str!("../corpus/en/en-0008-darien-gap-venezuelan-migrants.txt"),
    ),
    (
        "en",
        include_str!("../corpus/en/2020-02-16-storm-dennis-floods-south-wales.txt"),
    ),
    (
        "en",
        include_str!("../corpus/seed/us-narcoterrorism-case.txt"),
    ),
    (
        "es",
        include_str!("../corpus/es/acusacion-narcoterrorismo-maduro.txt"),
    ),
    (
        "es",
        include_str!("../corpus/es/mineros-mercurio-bolivar.txt"),
    ),
    ("es", include_str!("../corpus/es/sanciones-pdvsa-citgo.txt")),
    (
        "es",
        include_str!("../corpus/es/migracion-cucuta-estatuto.txt"),
    ),
    ("es", include_str!("../corpus/es/glaciares-cocuy.md")),
    (
        "pt",
        include_str!("../corpus/other/pt-0001-migrantes-venezuelanos-roraima.txt"),
    ),
    (
        "pt",
        include_str!("../corpus/other/pt-0002-lula-vence-segundo-turno.txt"),
    ),
];

const NAMES: &[&str] = &[
    "Nicolás Maduro",
    "Cilia Flores",
    "Gustavo Petro",
    "Diosdado Cabello",
    "María Corina Machado",
    "Edmundo González",
    "Luiz Inácio Lula da Silva",
];

const SOURCES: &[&str] = &[
    "Andes Herald",
    "Caribbean Wire",
    "Northern Ledger",
    "Global Desk",
    "El Observador Andino",
    "Diario del Caribe",
];

/// Format of the generated collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BenchFormat {
    /// JSON Lines files of about 64 MB.
    Jsonl,
    /// One `.txt` file with front matter per article.
    Text,
}

/// What to benchmark.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// Size of the collection, in MB (10^6 bytes).
    pub size_mb: f64,
    /// Seed of the collection and of the queries.
    pub seed: u64,
    /// Format of the collection.
    pub format: BenchFormat,
    /// Where the collection and the index go (created; left in place). A
    /// run refuses a non-empty directory it did not make ([`WORK_DIR_MARKER`]).
    pub work_dir: PathBuf,
    /// Indexing options (the index directory is set inside `work_dir`).
    pub threads: usize,
    /// Writer heap, in MiB.
    pub heap_mb: usize,
    /// Queries to time.
    pub queries: usize,
    /// Recognise entities while indexing, as `gazette index` does by
    /// default; off, the run measures what `--no-entities` costs.
    pub entities: bool,
    /// The gazette binary, to time whole `gazette search` processes.
    pub binary: Option<PathBuf>,
}

/// Latency percentiles of a query set.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Latency {
    /// Queries timed.
    pub count: usize,
    /// Median.
    pub p50: Duration,
    /// 95th percentile.
    pub p95: Duration,
    /// 99th percentile.
    pub p99: Duration,
}

/// The figures of a benchmark run.
#[derive(Debug, Clone)]
pub struct BenchReport {
    /// The generated collection: bytes, articles, files, and how long it took.
    pub collection_bytes: u64,
    /// Articles generated.
    pub collection_articles: u64,
    /// Files generated.
    pub collection_files: u64,
    /// Time to generate it.
    pub generate_time: Duration,
    /// The indexing run.
    pub index: IndexReport,
    /// Whether it recognised entities.
    pub entities: bool,
    /// Index size on disk.
    pub index_bytes: u64,
    /// CPU time (user + system) of the indexing run.
    pub index_cpu: Duration,
    /// Peak resident memory of this process so far, in bytes.
    pub peak_rss_bytes: u64,
    /// In-process query latency, top 10 with highlights.
    pub query: Latency,
    /// Whole `gazette search` process latency (when a binary was given).
    pub process: Option<Latency>,
}

/// A small deterministic generator (xorshift64*): the same seed gives the
/// same collection everywhere, with no dependency on a crate's algorithm.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Words of one language ranked by frequency, drawn with Zipf weights.
struct Vocabulary {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocabulary {
    fn of(lang: &str) -> Vocabulary {
        let mut counts: std::collections::HashMap<String, usize> = Default::default();
        for (_, text) in VOCABULARY_SOURCES.iter().filter(|(l, _)| *l == lang) {
            for word in text
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| !w.is_empty())
            {
                *counts.entry(word.to_owned()).or_default() += 1;
            }
        }
        let mut ranked: Vec<(String, usize)> = counts.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut total = 0.0;
        let cumulative = (1..=ranked.len())
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Vocabulary {
            words: ranked.into_iter().map(|(word, _)| word).collect(),
            cumulative,
        }
    }

    fn draw(&self, rng: &mut Rng) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let target = rng.unit() * total;
        let index = self.cumulative.partition_point(|&c| c < target);
        self.words
            .get(index)
            .or(self.words.last())
            .map_or("", String::as_str)
    }
}

struct GeneratedArticle {
    id: String,
    title: String,
    body: String,
    date: String,
    source: &'static str,
    lang: &'static str,
}

fn article(
    rng: &mut Rng,
    number: u64,
    seed: u64,
    vocabularies: &[(&'static str, Vocabulary)],
) -> GeneratedArticle {
    let roll = rng.below(100);
    let (lang, vocabulary) = match roll {
        0..=54 => &vocabularies[0],
        55..=89 => &vocabularies[1],
        _ => &vocabularies[2],
    };
    let sentence = |rng: &mut Rng, words: usize| {
        let mut text = String::new();
        for i in 0..words {
            if i > 0 {
                text.push(' ');
            }
            if rng.below(40) == 0 {
                text.push_str(NAMES[rng.below(NAMES.len())]);
            } else {
                text.push_str(vocabulary.draw(rng));
            }
        }
        let mut chars = text.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
            None => text,
        }
    };
    let title_words = rng.between(5, 10);
    let title = sentence(rng, title_words);
    let paragraphs: Vec<String> = (0..rng.between(5, 9))
        .map(|_| {
            (0..rng.between(3, 5))
                .map(|_| {
                    let words = rng.between(10, 24);
                    sentence(rng, words) + "."
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    GeneratedArticle {
        id: format!("bench-{seed}-{number}"),
        title,
        body: paragraphs.join("\n\n"),
        date: format!(
            "{}-{:02}-{:02}",
            rng.between(2015, 2026),
            rng.between(1, 12),
            rng.between(1, 28)
        ),
        source: SOURCES[rng.below(SOURCES.len())],
        lang,
    }
}

/// Writes the collection into `dir`; returns (bytes, articles, files).
fn generate(dir: &Path, options: &BenchOptions) -> Result<(u64, u64, u64)> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let vocabularies = [
        ("en", Vocabulary::of("en")),
        ("es", Vocabulary::of("es")),
        ("pt", Vocabulary::of("pt")),
    ];
    let mut rng = Rng::new(options.seed);
    let target = (options.size_mb * 1_000_000.0) as u64;
    let (mut bytes, mut articles, mut files) = (0u64, 0u64, 0u64);
    let mut jsonl: Option<(PathBuf, std::io::BufWriter<std::fs::File>, u64)> = None;
    while bytes < target {
        let generated = article(&mut rng, articles, options.seed, &vocabularies);
        articles += 1;
        match options.format {
            BenchFormat::Jsonl => {
                if jsonl
                    .as_ref()
                    .is_none_or(|(_, _, written)| *written >= 64_000_000)
                {
                    if let Some((path, mut out, _)) = jsonl.take() {
                        out.flush().map_err(|e| Error::io(&path, e))?;
                    }
                    let path = dir.join(format!("part-{files:04}.jsonl"));
                    let file = std::fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
                    jsonl = Some((path, std::io::BufWriter::new(file), 0));
                    files += 1;
                }
                let line = serde_json::json!({
                    "id": generated.id, "title": generated.title, "body": generated.body,
                    "date": generated.date, "source": generated.source,
                })
                .to_string()
                    + "\n";
                if let Some((path, out, written)) = jsonl.as_mut() {
                    out.write_all(line.as_bytes())
                        .map_err(|e| Error::io(path.as_path(), e))?;
                    *written += line.len() as u64;
                }
                bytes += line.len() as u64;
            }
            BenchFormat::Text => {
                let folder = dir.join(format!("{:04}", articles / 1000));
                std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
                let path = folder.join(format!("{}.txt", generated.id));
                let text = format!(
                    "---\nid: {}\ntitle: {}\ndate: {}\nsource: {}\nlang: {}\n---\n{}\n",
                    generated.id,
                    generated.title,
                    generated.date,
                    generated.source,
                    generated.lang,
                    generated.body
                );
                std::fs::write(&path, &text).map_err(|e| Error::io(&path, e))?;
                bytes += text.len() as u64;
                files += 1;
            }
        }
    }
    if let Some((path, mut out, _)) = jsonl.take() {
        out.flush().map_err(|e| Error::io(&path, e))?;
    }
    Ok((bytes, articles, files))
}

/// The seeded query set: (query, filters).
fn queries(options: &BenchOptions) -> Vec<(String, Filters)> {
    let en = Vocabulary::of("en");
    let es = Vocabulary::of("es");
    let mut rng = Rng::new(options.seed ^ 0x5EED);
    let common = |rng: &mut Rng, v: &Vocabulary| {
        v.words
            .get(rng.between(20, 200))
            .cloned()
            .unwrap_or_default()
    };
    let rare = |rng: &mut Rng, v: &Vocabulary| {
        let start = v.words.len() / 2;
        v.words
            .get(rng.between(start, v.words.len().saturating_sub(1)))
            .cloned()
            .unwrap_or_default()
    };
    (0..options.queries)
        .map(|i| {
            let v = if i % 3 == 2 { &es } else { &en };
            let none = Filters::default();
            match i % 8 {
                0 => (rare(&mut rng, v), none),
                1 => (common(&mut rng, v), none),
                2 => (
                    format!("+{} +{}", common(&mut rng, v), rare(&mut rng, v)),
                    none,
                ),
                3 => (
                    format!("{} {}", rare(&mut rng, v), common(&mut rng, v)),
                    none,
                ),
                4 => (
                    format!("\"{} {}\"", v.draw(&mut rng), v.draw(&mut rng)),
                    none,
                ),
                5 => (
                    common(&mut rng, v),
                    Filters {
                        langs: vec!["es".to_owned()],
                        ..Filters::default()
                    },
                ),
                6 => (
                    rare(&mut rng, v),
                    Filters {
                        from: DateRange::parse("2019").ok(),
                        to: DateRange::parse("2021").ok(),
                        ..Filters::default()
                    },
                ),
                _ => ("Maduro".to_owned(), none),
            }
        })
        .collect()
}

fn percentiles(mut times: Vec<Duration>) -> Latency {
    times.sort();
    let at = |p: f64| {
        let index = ((times.len() as f64 * p).ceil() as usize).saturating_sub(1);
        times.get(index).copied().unwrap_or_default()
    };
    Latency {
        count: times.len(),
        p50: at(0.50),
        p95: at(0.95),
        p99: at(0.99),
    }
}

/// CPU time (user + system) of this process so far.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes into the struct we own.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return Duration::ZERO;
    }
    let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    Duration::from_micros(micros(usage.ru_utime) + micros(usage.ru_stime))
}

/// Peak resident memory of this process, from `/proc/self/status` (Linux).
fn peak_rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

/// The file that marks a directory as made by `gazette bench`, whose
/// `collection` and `index` a run may delete and write again.
pub const WORK_DIR_MARKER: &str = ".gazette-bench";

/// Makes sure the benchmark may replace `dir/collection` and `dir/index`:
/// `dir` is new or empty (then marked as the benchmark's) or carries the
/// marker of an earlier run. Anything else may be someone's data.
fn claim_work_dir(dir: &Path) -> Result<()> {
    let marker = dir.join(WORK_DIR_MARKER);
    match std::fs::symlink_metadata(dir) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        Err(error) => return Err(Error::io(dir, error)),
        Ok(meta) if !meta.is_dir() => {
            return Err(Error::Usage(format!(
                "{} is not a directory: give --dir a new or empty directory",
                dir.display()
            )))
        }
        Ok(_) => {
            if marker.is_file() {
                return Ok(());
            }
            let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
            if entries.next().is_some() {
                return Err(Error::Usage(format!(
                    "{} is not empty and was not made by gazette bench (it has no {WORK_DIR_MARKER} \
                     file); a run replaces its collection/ and index/ folders, so give --dir a new \
                     or empty directory",
                    dir.display()
                )));
            }
        }
    }
    std::fs::write(
        &marker,
        "made by gazette bench, which replaces collection/ and index/ here on every run\n",
    )
    .map_err(|e| Error::io(&marker, e))
}

/// Generates, indexes and queries; see the module documentation.
pub fn run(options: &BenchOptions, progress: &dyn Progress) -> Result<BenchReport> {
    claim_work_dir(&options.work_dir)?;
    let collection = options.work_dir.join("collection");
    let index_dir = options.work_dir.join("index");
    if index_dir.exists() {
        std::fs::remove_dir_all(&index_dir).map_err(|e| Error::io(&index_dir, e))?;
    }
    if collection.exists() {
        std::fs::remove_dir_all(&collection).map_err(|e| Error::io(&collection, e))?;
    }
    let generating = Instant::now();
    let (collection_bytes, collection_articles, collection_files) = generate(&collection, options)?;
    let generate_time = generating.elapsed();

    let mut index_options = IndexOptions::new(index_dir.clone());
    index_options.threads = options.threads;
    index_options.heap_mb = options.heap_mb;
    index_options.commit_every_mb = 0;
    if !options.entities {
        index_options.entities = None;
    }
    let cpu_before = cpu_time();
    let index = index_paths(std::slice::from_ref(&collection), &index_options, progress)?;
    let index_cpu = cpu_time().saturating_sub(cpu_before);
    let peak_rss_bytes = peak_rss_bytes();

    let opened = crate::index::open(&index_dir)?;
    let reader = opened.index.reader()?;
    let searcher = reader.searcher();
    let set = queries(options);
    let search_options = |query: &str, filters: &Filters| SearchOptions {
        query: query.to_owned(),
        filters: filters.clone(),
        limit: Some(10),
        per_article: None,
        sort: Sort::Relevance,
        conjunction: false,
    };
    // One untimed pass warms the caches a long-running process would have.
    for (query, filters) in &set {
        search_in(&searcher, &opened, &search_options(query, filters))?;
    }
    let mut times = Vec::with_capacity(set.len());
    for (query, filters) in &set {
        let started = Instant::now();
        let results = search_in(&searcher, &opened, &search_options(query, filters))?;
        times.push(started.elapsed());
        if results.hits.len() > 10 {
            return Err(Error::Usage(format!(
                "query `{query}` returned more than its limit"
            )));
        }
    }
    let query = percentiles(times);

    let process = match &options.binary {
        None => None,
        Some(binary) => {
            let mut times = Vec::new();
            for (query, _) in set.iter().take(50) {
                let started = Instant::now();
                let status = std::process::Command::new(binary)
                    .args([
                        "search", query, "--limit", "10", "--color", "never", "--index",
                    ])
                    .arg(&index_dir)
                    .stdout(std::process::Stdio::null())
                    .status()
                    .map_err(|e| Error::io(binary, e))?;
                times.push(started.elapsed());
                if status.code().is_none_or(|code| code > 1) {
                    return Err(Error::Usage(format!(
                        "`gazette search {query}` failed: {status}"
                    )));
                }
            }
            Some(percentiles(times))
        }
    };

    Ok(BenchReport {
        collection_bytes,
        collection_articles,
        collection_files,
        generate_time,
        entities: options.entities,
        index_bytes: crate::index::disk_size(&index_dir),
        index,
        index_cpu,
        peak_rss_bytes,
        query,
        process,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(dir: &Path, format: BenchFormat) -> BenchOptions {
        BenchOptions {
            size_mb: 0.2,
            seed: 7,
            format,
            work_dir: dir.to_path_buf(),
            threads: 1,
            heap_mb: 50,
            queries: 16,
            entities: true,
            binary: None,
        }
    }

    // See: issue 22
    #[test]
    fn issue_22_a_directory_bench_did_not_make_is_left_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let precious = dir.path().join("collection").join("precious.txt");
        std::fs::create_dir_all(precious.parent().expect("parent")).expect("mkdir");
        std::fs::write(&precious, "keep me").expect("write");
        let refused = claim_work_dir(dir.path());
        assert!(
            matches!(&refused, Err(Error::Usage(message)) if message.contains("not empty")),
            "{refused:?}"
        );
        assert!(precious.exists());

        let new = dir.path().join("new");
        claim_work_dir(&new).expect("a new directory is the benchmark's");
        std::fs::write(new.join("collection"), "made by a run").expect("write");
        claim_work_dir(&new).expect("a marked directory is the benchmark's again");
        let empty = tempfile::tempdir().expect("temp dir");
        claim_work_dir(empty.path()).expect("an empty directory is the benchmark's");
        assert!(empty.path().join(WORK_DIR_MARKER).is_file());
    }

    #[test]
    fn the_same_seed_writes_the_same_collection() {
        let a = tempfile::tempdir().expect("temp dir");
        let b = tempfile::tempdir().expect("temp dir");
        let first = generate(a.path(), &options(a.path(), BenchFormat::Jsonl)).expect("generated");
        let second = generate(b.path(), &options(b.path(), BenchFormat::Jsonl)).expect("generated");
        assert_eq!(first, second);
        let read = |dir: &Path| std::fs::read(dir.join("part-0000.jsonl")).expect("read");
        assert_eq!(read(a.path()), read(b.path()));
        assert!(first.0 >= 200_000);
    }

    #[test]
    fn a_small_run_indexes_everything_and_times_every_query() {
        let dir = tempfile::tempdir().expect("temp dir");
        let report = run(
            &options(dir.path(), BenchFormat::Text),
            &crate::index::NoProgress,
        )
        .expect("runs");
        assert_eq!(report.index.articles, report.collection_articles);
        assert!(report.index.passages >= report.index.articles);
        assert_eq!(report.query.count, 16);
        assert!(report.query.p50 <= report.query.p95 && report.query.p95 <= report.query.p99);
        assert!(report.index_bytes > 0);
    }

    #[test]
    fn entities_can_be_left_out_of_the_indexing_run() {
        let entity_terms = |entities: bool| {
            let dir = tempfile::tempdir().expect("temp dir");
            let report = run(
                &BenchOptions {
                    entities,
                    ..options(dir.path(), BenchFormat::Jsonl)
                },
                &crate::index::NoProgress,
            )
            .expect("runs");
            assert_eq!(report.entities, entities);
            assert_eq!(report.index.articles, report.collection_articles);
            let opened = crate::index::open(&dir.path().join("index")).expect("opens");
            let searcher = opened.index.reader().expect("reader").searcher();
            searcher
                .segment_readers()
                .iter()
                .map(|segment| {
                    segment
                        .inverted_index(opened.fields.passage_entity)
                        .expect("field")
                        .terms()
                        .num_terms()
                })
                .sum::<usize>()
        };
        assert!(entity_terms(true) > 0);
        assert_eq!(entity_terms(false), 0);
    }
}
