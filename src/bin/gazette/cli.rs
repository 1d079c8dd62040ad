//! Command-line arguments, as typed. `main.rs` turns them into library
//! options once.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Full-text search for archives of news articles.
#[derive(Debug, Parser)]
#[command(name = "gazette", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index files and folders of articles (.txt, .md, .jsonl, .json, .html, .warc, .arc, gzipped too).
    Index(IndexArgs),
    /// Search an index: ranked passages with the query highlighted.
    Search(SearchArgs),
    /// Count what matching articles are about: top people, organisations,
    /// places, languages, sources, and timelines by year, quarter, month, week or day.
    Facets(FacetsArgs),
    /// Show what an index holds: articles, passages, languages, dates.
    Stats(StatsArgs),
    /// Show what gazette reads in each article, without indexing.
    Extract(ExtractArgs),
    /// Verify an index: checksums, counts against its manifest, leftover files.
    Check(CheckArgs),
    /// Generate a collection, index it and time queries: a reproducible benchmark.
    Bench(BenchArgs),
    /// Train the entity recogniser on annotated files (CoNLL form) and write a model file.
    TrainNer(TrainNerArgs),
}

#[derive(Debug, Args)]
pub struct TrainNerArgs {
    /// Annotated files or folders to train on: one word per line with its
    /// label in the last column (IOB1, IOB2/BIO, BIOES or bare types), a
    /// blank line between sentences.
    #[arg(value_name = "PATH")]
    pub files: Vec<PathBuf>,
    /// Annotated files or folders whose names take in descriptions
    /// (`the Iraqi Foreign Minister, Ibrahim al-Jaafari`): cut to the
    /// names (after the last comma, without titles or lower-case words)
    /// before training.
    #[arg(long = "descriptive", value_name = "PATH")]
    pub descriptive: Vec<PathBuf>,
    /// Where to write the model (use it with `gazette index --ner-model FILE`).
    #[arg(
        long,
        short = 'o',
        value_name = "FILE",
        required_unless_present = "model"
    )]
    pub out: Option<PathBuf>,
    /// Measure the model on these annotated files or folders (never trained on).
    #[arg(long, value_name = "PATH")]
    pub test: Vec<PathBuf>,
    /// Measure this model on the --test files instead of training one.
    #[arg(long, value_name = "FILE", requires = "test", conflicts_with_all = ["out", "files"])]
    pub model: Option<PathBuf>,
    /// Map a label of the files to a type: LABEL=person|org|place|misc|none
    /// (repeat). PER, ORG, LOC, MISC, person, organization, location,
    /// place, GPE and corporation are known already; other labels are
    /// trained as outside any name, and listed.
    #[arg(long = "map", value_name = "LABEL=TYPE")]
    pub maps: Vec<String>,
    /// The language the model is for (ISO 639-1 code), or * for any language without a model of its own.
    #[arg(long, default_value = "en")]
    pub language: String,
    /// Passes over the training data.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=100))]
    pub epochs: u16,
    /// Leave out weights under this share of the largest, and the features
    /// left with none: a smaller model that tags faster (0 keeps every weight).
    #[arg(long, default_value_t = 0.06)]
    pub prune: f64,
    /// Seeds the order of sentences in each pass (the same seed, files and options give the same model bytes).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// An authority file to add to the default one, whose matches the model learns from (repeat for several).
    #[arg(long = "authority", value_name = "FILE")]
    pub authorities: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct IndexLocation {
    /// Index directory.
    #[arg(
        long = "index",
        env = "GAZETTE_INDEX",
        default_value = "gazette-index",
        value_name = "DIR"
    )]
    pub dir: PathBuf,
}

/// The largest `--max-record-mb` taken (1 TiB): beyond, MiB would not fit
/// in bytes on every platform's sizes.
const MAX_RECORD_MB: u64 = 1 << 20;

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Files or folders to index (folders are walked recursively; hidden entries are skipped).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub location: IndexLocation,
    /// Worker threads [default and maximum: the threads the machine runs at once].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Memory for the index writer, in MiB, shared by its threads.
    #[arg(long, default_value_t = gazette::index::DEFAULT_HEAP_MB, value_name = "MB")]
    pub heap_mb: usize,
    /// Commit after about this many MiB of input (0: only at the end); a killed run
    /// loses at most that much work.
    #[arg(long, default_value_t = gazette::index::DEFAULT_COMMIT_EVERY_MB, value_name = "MB")]
    pub commit_every: u64,
    /// Remove the documents of files under PATH... that no longer exist.
    #[arg(long)]
    pub prune: bool,
    /// JSON field names for article fields, e.g. `title=headline,body=story.text`.
    /// Targets: id, title, body, date, crawled, url, author, source, lang.
    #[arg(long = "map", value_name = "TARGET=FIELD,...")]
    pub maps: Vec<String>,
    /// Most MiB that one file (text, Markdown, HTML, JSON), one web archive record or one
    /// JSON Lines line may take once decompressed; larger ones fail alone.
    #[arg(long, default_value_t = gazette::ingest::DEFAULT_MAX_RECORD_MB, value_name = "MB",
          value_parser = clap::value_parser!(u64).range(1..=MAX_RECORD_MB))]
    pub max_record_mb: u64,
    #[command(flatten)]
    pub entities: EntityArgs,
    #[command(flatten)]
    pub dates: DateArgs,
    /// Output format of the run summary. `jsonl` streams every skipped,
    /// failed and warned-about input and record as it happens (the summary
    /// lists only the first of each input), then the summary.
    #[arg(long, value_enum, default_value_t = IndexFormat::Text)]
    pub format: IndexFormat,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IndexFormat {
    Text,
    Json,
    Jsonl,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: words, "phrases", AND/OR/NOT, +required, -excluded, field:value
    /// (title, text, author, lang, source, url, id, published, person, org, place, entity, country),
    /// published:[2019 TO 2021], person:"Nicolás Maduro", prefix*, or * for everything.
    #[arg(value_name = "QUERY")]
    pub query: String,
    #[command(flatten)]
    pub location: IndexLocation,
    /// Number of hits to show (0: all of them).
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N")]
    pub limit: usize,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// At most N passages from any one article.
    #[arg(long, value_name = "N")]
    pub per_article: Option<usize>,
    /// Order of hits.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    pub sort: SortArg,
    /// Require every term (default: any term, ranked by BM25).
    #[arg(long)]
    pub and: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = HitFormat::Text)]
    pub format: HitFormat,
    /// CSV columns, comma-separated (with --format csv).
    #[arg(long, value_name = "COLUMNS")]
    pub fields: Option<String>,
    /// With --format csv, write cells that start with =, +, -, @ or a tab as
    /// archived, without the leading ' that keeps spreadsheets from running them.
    #[arg(long)]
    pub csv_raw_formulas: bool,
    /// When to colour the output (NO_COLOR is honoured with auto).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// Also count top entities, languages, sources and years of all matches.
    #[arg(long)]
    pub facets: bool,
}

#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only passages in this language (ISO 639-1 code; repeat for several).
    #[arg(long = "lang", value_name = "LANG")]
    pub langs: Vec<String>,
    /// Only passages from this source (exact name; repeat for several).
    #[arg(long = "source", value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// Dated on or after this date (YYYY, YYYY-MM or YYYY-MM-DD; which date: --date).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Dated on or before this date (YYYY, YYYY-MM or YYYY-MM-DD; the whole period counts).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only articles mentioning this entity: canonical name or any alias,
    /// accents and case ignored (repeat: all must be mentioned).
    #[arg(long = "entity", value_name = "NAME")]
    pub entities: Vec<String>,
    /// Only articles mentioning this person (repeat: all of them).
    #[arg(long = "person", value_name = "NAME")]
    pub persons: Vec<String>,
    /// Only articles mentioning this organisation (repeat: all of them).
    #[arg(long = "org", value_name = "NAME")]
    pub orgs: Vec<String>,
    /// Only articles mentioning this place (repeat: all of them).
    #[arg(long = "place", value_name = "NAME")]
    pub places: Vec<String>,
    /// Where entity filters look: the passage itself or its whole article.
    #[arg(long = "in", value_enum, default_value_t = ScopeArg::Article)]
    pub scope: ScopeArg,
    /// The date --from, --to, --sort and the facets' periods use: the published date,
    /// the crawl date of web captures, or either (published, else crawled).
    #[arg(long, value_enum, default_value_t = DateArg::Either)]
    pub date: DateArg,
    /// Only articles about this country: canonical name or any alias, in
    /// English or Spanish, historical ones too (repeat for several: any of them).
    #[arg(long = "country", value_name = "NAME")]
    pub countries: Vec<String>,
}

#[derive(Debug, Args)]
pub struct FacetsArgs {
    /// The query (as for `search`); every passage when omitted.
    #[arg(value_name = "QUERY", default_value = "*")]
    pub query: String,
    #[command(flatten)]
    pub location: IndexLocation,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Require every term (default: any term).
    #[arg(long)]
    pub and: bool,
    /// Histogram buckets.
    #[arg(long, value_enum, default_value_t = PeriodArg::Year)]
    pub by: PeriodArg,
    /// How many of each to list.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub top: usize,
    /// List the entities found most often in the same passages as NAME.
    #[arg(long, value_name = "NAME")]
    pub cooccur: Option<String>,
    /// A timeline of the matches mentioning NAME (an entity), else matching
    /// QUERY too (as for `search`), per period; repeat for several side by side.
    #[arg(long, value_name = "NAME|QUERY")]
    pub timeline: Vec<String>,
    /// Show each period's count as a share of all the articles (or passages)
    /// of that period that pass the filters.
    #[arg(long)]
    pub normalize: bool,
    /// What the timelines and the histogram show (JSON and CSV carry both).
    #[arg(long, value_enum, default_value_t = CountArg::Articles)]
    pub count: CountArg,
    /// Also draw the histogram or the timelines as a chart, to FILE.svg or FILE.png.
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
    /// Output format (csv: the timelines, a row per series and period).
    #[arg(long, value_enum, default_value_t = FacetsFormat::Text)]
    pub format: FacetsFormat,
    /// When to colour the output (NO_COLOR is honoured with auto).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Size of the generated collection, in MB.
    #[arg(long, default_value_t = 100.0, value_name = "MB")]
    pub size: f64,
    /// Seed of the collection and the queries.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Format of the generated collection.
    #[arg(long, value_enum, default_value_t = BenchInput::Jsonl)]
    pub input: BenchInput,
    /// Working directory for the collection and the index (kept afterwards).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Worker threads [default and maximum: the threads the machine runs at once].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Memory for the index writer, in MiB.
    #[arg(long, default_value_t = gazette::index::DEFAULT_HEAP_MB, value_name = "MB")]
    pub heap_mb: usize,
    /// Queries to time.
    #[arg(long, default_value_t = 400, value_name = "N")]
    pub queries: usize,
    /// Index without extracting entities, to measure what extracting them costs.
    #[arg(long)]
    pub no_entities: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum BenchInput {
    Jsonl,
    Text,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Files or folders to read.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// JSON field names for article fields (as for `index`).
    #[arg(long = "map", value_name = "TARGET=FIELD,...")]
    pub maps: Vec<String>,
    /// Most MiB that one file (text, Markdown, HTML, JSON), one web archive record or one
    /// JSON Lines line may take once decompressed; larger ones fail alone.
    #[arg(long, default_value_t = gazette::ingest::DEFAULT_MAX_RECORD_MB, value_name = "MB",
          value_parser = clap::value_parser!(u64).range(1..=MAX_RECORD_MB))]
    pub max_record_mb: u64,
    #[command(flatten)]
    pub entities: EntityArgs,
    #[command(flatten)]
    pub dates: DateArgs,
    /// Output format: one JSON array, one object per line, or a summary for people.
    #[arg(long, value_enum, default_value_t = ExtractFormat::Json)]
    pub format: ExtractFormat,
    /// Show the crawl date and every published-date candidate, where it was found and why the
    /// chosen one won (a `dates` object in JSON, an indented list in text).
    #[arg(long)]
    pub explain_dates: bool,
}

/// How dates in metadata fields (JSON, front matter) are read.
#[derive(Debug, Args)]
pub struct DateArgs {
    /// Order of all-numeric dates such as 02/03/1987: dmy (day first) or mdy (month first).
    /// Without it, such a date whose day is 12 or less is ambiguous: a warning, not a guess.
    #[arg(long, value_enum, value_name = "ORDER")]
    pub date_order: Option<DateOrderArg>,
    /// A chrono (strftime-style) format for dates gazette does not read by itself, tried
    /// first (repeat for several), e.g. `--date-format '%d %B %Y, %H.%M'`.
    #[arg(long = "date-format", value_name = "FORMAT")]
    pub date_formats: Vec<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DateOrderArg {
    /// Day, month, year: 26/02/1987.
    Dmy,
    /// Month, day, year: 02/26/1987.
    Mdy,
}

#[derive(Debug, Args)]
pub struct EntityArgs {
    /// An authority file to add to the default one (repeat for several).
    ///
    /// One entity per line, tab-separated: TYPE (person, org, place or misc),
    /// canonical name, then any aliases. Lines starting with # are comments.
    /// Entries here override default aliases spelled the same.
    #[arg(long = "authority", value_name = "FILE")]
    pub authorities: Vec<PathBuf>,
    /// A recogniser model made by `gazette train-ner`, used for the
    /// articles of its language instead of the shipped one (repeat for
    /// several languages).
    #[arg(long = "ner-model", value_name = "FILE")]
    pub ner_models: Vec<PathBuf>,
    /// Do not extract entities (faster; no entity facets or filters).
    #[arg(long, conflicts_with_all = ["authorities", "ner_models"])]
    pub no_entities: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum HitFormat {
    Text,
    Json,
    Jsonl,
    Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExtractFormat {
    Json,
    Jsonl,
    Text,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortArg {
    Relevance,
    Newest,
    Oldest,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ScopeArg {
    Article,
    Passage,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PeriodArg {
    Year,
    Quarter,
    Month,
    /// ISO 8601 weeks, Monday to Sunday.
    Week,
    Day,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DateArg {
    Published,
    Crawled,
    Either,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CountArg {
    Articles,
    Passages,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FacetsFormat {
    Text,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}
