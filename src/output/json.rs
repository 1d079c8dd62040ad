//! The JSON wire formats. These shapes are a public contract: scripts
//! parse them. Internal types are converted into these, never serialised
//! directly, so that refactoring the library cannot change the wire.

use std::collections::BTreeMap;

use serde::Serialize;

use super::CodePoints;
use crate::analyze::{Article, Entity, EntityKind};
use crate::bench::{BenchOptions, BenchReport, Latency};
use crate::index::{CheckReport, Disposition, DispositionKind, Dispositions, IndexReport};
use crate::search::{DateBasis, FacetCounts, Hit, IndexStats, SearchResults, Timelines};

/// `gazette search --format json`.
#[derive(Debug, Serialize)]
pub struct SearchOutput<'a> {
    /// The query as given.
    pub query: &'a str,
    /// Matching passages in total.
    pub total_hits: usize,
    /// The hits returned.
    pub hits: Vec<HitOutput<'a>>,
    /// Facet counts of all matches (with `--facets`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<FacetsOutput<'a>>,
}

/// One hit, in `search --format json` and as one line of `jsonl`.
#[derive(Debug, Serialize)]
pub struct HitOutput<'a> {
    /// 1-based rank.
    pub rank: usize,
    /// BM25 score; null when sorted by date.
    pub score: Option<f32>,
    /// The article's identity.
    pub article_id: &'a str,
    /// Passage number within the article, from 0.
    pub passage: u64,
    /// Title.
    pub title: Option<&'a str>,
    /// Published date, `YYYY-MM-DD`.
    pub published: Option<String>,
    /// Language code.
    pub lang: &'a str,
    /// Source.
    pub source: &'a str,
    /// URL.
    pub url: Option<&'a str>,
    /// Entities of the passage.
    pub entities: Vec<EntityOutput>,
    /// The countries the article is about (canonical names).
    pub countries: &'a [String],
    /// The passage text.
    pub text: &'a str,
    /// Highlighted spans, as code-point offsets into `text`.
    pub highlights: Vec<[usize; 2]>,
    /// Where the passage came from.
    pub provenance: Provenance<'a>,
}

/// An entity with its mentions (code-point offsets).
#[derive(Debug, Serialize)]
pub struct EntityOutput {
    /// `person`, `org`, `place` or `misc`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Canonical name.
    pub name: String,
    /// Mentions as `[start, end]` code-point offsets.
    pub mentions: Vec<[usize; 2]>,
}

impl EntityOutput {
    /// Converts entities with byte-range mentions of `text` to their wire
    /// form, with code-point offsets.
    pub fn from_entities(text: &str, entities: &[Entity]) -> Vec<EntityOutput> {
        let code_points = CodePoints::new(text);
        entities
            .iter()
            .map(|entity| EntityOutput {
                kind: entity.kind.as_str().to_owned(),
                name: entity.name.clone(),
                mentions: code_points.ranges(&entity.mentions),
            })
            .collect()
    }
}

/// Input file and record of a hit.
#[derive(Debug, Serialize)]
pub struct Provenance<'a> {
    /// The input file.
    pub file: &'a str,
    /// Line or record number within it (null when the file is one article).
    pub record: Option<u64>,
}

impl<'a> HitOutput<'a> {
    /// Converts a hit to its wire form.
    pub fn from_hit(hit: &'a Hit) -> Self {
        HitOutput {
            rank: hit.rank,
            score: hit.score,
            article_id: &hit.article_id,
            passage: hit.passage,
            title: hit.title.as_deref(),
            published: hit
                .published
                .map(|date| date.format("%Y-%m-%d").to_string()),
            lang: &hit.lang,
            source: &hit.source,
            url: hit.url.as_deref(),
            entities: EntityOutput::from_entities(&hit.text, &hit.entities),
            countries: &hit.countries,
            text: &hit.text,
            highlights: CodePoints::new(&hit.text).ranges(&hit.highlights),
            provenance: Provenance {
                file: &hit.input,
                record: (hit.record > 0).then_some(hit.record),
            },
        }
    }
}

impl<'a> SearchOutput<'a> {
    /// Converts search results to their wire form.
    pub fn from_results(results: &'a SearchResults) -> Self {
        SearchOutput {
            query: &results.query,
            total_hits: results.total_hits,
            hits: results.hits.iter().map(HitOutput::from_hit).collect(),
            facets: None,
        }
    }
}

/// `gazette index --format json`.
#[derive(Debug, Serialize)]
pub struct IndexReportOutput<'a> {
    /// Articles indexed.
    pub articles: u64,
    /// Passages indexed.
    pub passages: u64,
    /// Input bytes.
    pub bytes: u64,
    /// Input files found.
    pub files: u64,
    /// Wall time in seconds.
    pub elapsed_s: f64,
    /// Inputs left out on purpose.
    pub skipped: Vec<DispositionOutput<'a>>,
    /// Inputs that could not be read.
    pub failed: Vec<DispositionOutput<'a>>,
    /// Indexed inputs with something that could not be used.
    pub warnings: Vec<DispositionOutput<'a>>,
    /// Every skipped, failed and warned-about entry, counted: the lists
    /// above hold only the first of each input.
    pub counts: DispositionCounts<'a>,
    /// Input files unchanged since the last commit, not read again.
    pub unchanged: u64,
    /// Input files gone whose documents were removed (`--prune`).
    pub pruned: u64,
    /// Input files not read because the run was interrupted.
    pub not_read: u64,
    /// Commits made.
    pub commits: u64,
    /// Whether the run was interrupted (what was done is committed).
    pub interrupted: bool,
}

/// How many entries of each kind a run had, in all and by reason.
#[derive(Debug, Serialize)]
pub struct DispositionCounts<'a> {
    /// Skipped entries.
    pub skipped: KindCounts<'a>,
    /// Failed entries.
    pub failed: KindCounts<'a>,
    /// Warnings.
    pub warnings: KindCounts<'a>,
}

/// How many entries of one kind, in all and by reason (numbers and quoted
/// names in reasons blanked).
#[derive(Debug, Serialize)]
pub struct KindCounts<'a> {
    /// Entries in all.
    pub total: u64,
    /// Entries per reason.
    pub by_reason: &'a BTreeMap<String, u64>,
}

impl<'a> KindCounts<'a> {
    fn of(list: &'a Dispositions) -> Self {
        KindCounts {
            total: list.len(),
            by_reason: list.by_reason(),
        }
    }
}

/// One entry of `gazette index --format jsonl`'s stream: a skipped,
/// failed or warned-about input or record, as it happens.
#[derive(Debug, Serialize)]
pub struct DispositionLine<'a> {
    /// `skipped`, `failed` or `warning`.
    pub kind: &'static str,
    /// The input file.
    pub input: &'a str,
    /// Line or record number, when about one record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
    /// Why.
    pub reason: &'a str,
}

impl<'a> DispositionLine<'a> {
    /// The wire form of one entry.
    pub fn new(kind: DispositionKind, entry: &'a Disposition) -> Self {
        DispositionLine {
            kind: kind.name(),
            input: &entry.input,
            record: entry.record,
            reason: &entry.reason,
        }
    }
}

/// One skipped, failed or warned-about input.
#[derive(Debug, Serialize)]
pub struct DispositionOutput<'a> {
    /// The input file.
    pub input: &'a str,
    /// Line or record number, when about one record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
    /// Why.
    pub reason: &'a str,
}

impl<'a> IndexReportOutput<'a> {
    /// Converts an index report to its wire form.
    pub fn from_report(report: &'a IndexReport) -> Self {
        let list = |items: &'a Dispositions| {
            items
                .listed()
                .iter()
                .map(|item| DispositionOutput {
                    input: &item.input,
                    record: item.record,
                    reason: &item.reason,
                })
                .collect()
        };
        IndexReportOutput {
            articles: report.articles,
            passages: report.passages,
            bytes: report.bytes,
            files: report.files,
            elapsed_s: report.elapsed.as_secs_f64(),
            skipped: list(&report.skipped),
            failed: list(&report.failed),
            warnings: list(&report.warnings),
            counts: DispositionCounts {
                skipped: KindCounts::of(&report.skipped),
                failed: KindCounts::of(&report.failed),
                warnings: KindCounts::of(&report.warnings),
            },
            unchanged: report.unchanged,
            pruned: report.pruned,
            not_read: report.not_read,
            commits: report.commits,
            interrupted: report.interrupted,
        }
    }
}

/// One article of `gazette extract`.
#[derive(Debug, Serialize)]
pub struct ArticleOutput<'a> {
    /// The input file.
    pub input: String,
    /// Line or record number (null when the file is one article).
    pub record: Option<u64>,
    /// Identity.
    pub id: &'a str,
    /// Title.
    pub title: Option<&'a str>,
    /// Published date, `YYYY-MM-DD`.
    pub published: Option<String>,
    /// Where the date came from.
    pub date_origin: &'a str,
    /// Language code.
    pub lang: &'a str,
    /// Language detection confidence (1 when stated by the input).
    pub lang_confidence: f64,
    /// How the language was decided.
    pub lang_origin: &'a str,
    /// URL.
    pub url: Option<&'a str>,
    /// Author.
    pub author: Option<&'a str>,
    /// Source.
    pub source: &'a str,
    /// Encoding of the input.
    pub encoding: &'a str,
    /// Body text, paragraphs joined by a blank line.
    pub text: &'a str,
    /// Passages as `[start, end]` code-point offsets into `text`.
    pub passages: Vec<[usize; 2]>,
    /// Entities with mentions in `text`.
    pub entities: Vec<EntityOutput>,
    /// The countries the article is about (canonical names).
    pub countries: &'a [String],
    /// What the input stated that could not be used.
    pub warnings: Vec<String>,
}

impl<'a> ArticleOutput<'a> {
    /// Converts an analyzed article to its wire form.
    pub fn from_article(article: &'a Article, warnings: Vec<String>) -> Self {
        ArticleOutput {
            input: article.input.display().to_string(),
            record: (article.record > 0).then_some(article.record),
            id: &article.id,
            title: article.title.as_deref(),
            published: article
                .published
                .map(|date| date.format("%Y-%m-%d").to_string()),
            date_origin: article.date_origin.as_str(),
            lang: &article.language.code,
            lang_confidence: article.language.confidence,
            lang_origin: article.language.origin.as_str(),
            url: article.url.as_deref(),
            author: article.author.as_deref(),
            source: &article.source,
            encoding: article.encoding,
            text: &article.text,
            passages: CodePoints::new(&article.text).ranges(&article.passages),
            entities: EntityOutput::from_entities(&article.text, &article.entities),
            countries: &article.countries,
            warnings,
        }
    }
}

/// `gazette stats --format json`.
#[derive(Debug, Serialize)]
pub struct StatsOutput {
    /// Articles.
    pub articles: u64,
    /// Passages.
    pub passages: u64,
    /// Articles per language.
    pub languages: serde_json::Map<String, serde_json::Value>,
    /// Earliest published date.
    pub first_published: Option<String>,
    /// Latest published date.
    pub last_published: Option<String>,
    /// Articles without a date.
    pub undated_articles: u64,
    /// Bytes on disk.
    pub index_bytes: u64,
    /// Segments.
    pub segments: usize,
}

impl StatsOutput {
    /// Converts statistics to their wire form.
    pub fn from_stats(stats: &IndexStats) -> Self {
        StatsOutput {
            articles: stats.articles,
            passages: stats.passages,
            languages: stats
                .languages
                .iter()
                .map(|(code, count)| (code.clone(), serde_json::Value::from(*count)))
                .collect(),
            first_published: stats
                .first_published
                .map(|d| d.format("%Y-%m-%d").to_string()),
            last_published: stats
                .last_published
                .map(|d| d.format("%Y-%m-%d").to_string()),
            undated_articles: stats.undated_articles,
            index_bytes: stats.index_bytes,
            segments: stats.segments,
        }
    }
}

/// `gazette check --format json`.
#[derive(Debug, Serialize)]
pub struct CheckOutput<'a> {
    /// Whether no problem was found.
    pub ok: bool,
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
    /// Recorded inputs that no longer exist.
    pub missing_inputs: &'a [String],
    /// Whether a gazette index run was writing the index.
    pub writer_active: bool,
    /// Files no commit refers to, which the next run removes.
    pub leftovers: &'a [String],
    /// Files gazette did not write, left alone.
    pub foreign_files: &'a [String],
    /// Inconsistencies found.
    pub problems: &'a [String],
}

impl<'a> CheckOutput<'a> {
    /// Converts a check report to its wire form.
    pub fn from_report(report: &'a CheckReport) -> Self {
        CheckOutput {
            ok: report.problems.is_empty(),
            segments: report.segments,
            files_checked: report.files_checked,
            articles: report.articles,
            passages: report.passages,
            inputs: report.inputs,
            missing_inputs: &report.missing_inputs,
            writer_active: report.writer_active,
            leftovers: &report.leftovers,
            foreign_files: &report.foreign_files,
            problems: &report.problems,
        }
    }
}

/// `gazette bench --format json`.
#[derive(Debug, Serialize)]
pub struct BenchOutput {
    /// Seed of the collection and queries.
    pub seed: u64,
    /// Collection bytes.
    pub bytes: u64,
    /// Collection articles.
    pub articles: u64,
    /// Passages indexed.
    pub passages: u64,
    /// Collection files.
    pub files: u64,
    /// Indexing wall time, seconds.
    pub index_s: f64,
    /// Indexing throughput, MB/s (10^6 bytes).
    pub mb_per_s: f64,
    /// Articles per second.
    pub articles_per_s: f64,
    /// Passages per second.
    pub passages_per_s: f64,
    /// Whether entities were recognised while indexing.
    pub entities: bool,
    /// CPU seconds (user + system) of indexing.
    pub cpu_s: f64,
    /// Peak resident memory, MB.
    pub peak_rss_mb: f64,
    /// Index size on disk, bytes.
    pub index_bytes: u64,
    /// Thread-seconds per stage.
    pub stages_s: serde_json::Value,
    /// In-process query latency, milliseconds.
    pub query_ms: LatencyOutput,
    /// Whole-process `gazette search` latency, milliseconds.
    pub process_ms: Option<LatencyOutput>,
}

/// Latency percentiles in milliseconds.
#[derive(Debug, Serialize)]
pub struct LatencyOutput {
    /// Queries timed.
    pub queries: usize,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
}

impl LatencyOutput {
    fn from_latency(latency: &Latency) -> Self {
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        LatencyOutput {
            queries: latency.count,
            p50: ms(latency.p50),
            p95: ms(latency.p95),
            p99: ms(latency.p99),
        }
    }
}

impl BenchOutput {
    /// Converts a benchmark report to its wire form.
    pub fn from_report(report: &BenchReport, options: &BenchOptions) -> Self {
        let seconds = report.index.elapsed.as_secs_f64().max(f64::EPSILON);
        let stages = report.index.stages;
        BenchOutput {
            seed: options.seed,
            bytes: report.collection_bytes,
            articles: report.collection_articles,
            passages: report.index.passages,
            files: report.collection_files,
            index_s: seconds,
            mb_per_s: report.collection_bytes as f64 / 1e6 / seconds,
            articles_per_s: report.index.articles as f64 / seconds,
            passages_per_s: report.index.passages as f64 / seconds,
            entities: report.entities,
            cpu_s: report.index_cpu.as_secs_f64(),
            peak_rss_mb: report.peak_rss_bytes as f64 / 1e6,
            index_bytes: report.index_bytes,
            stages_s: serde_json::json!({
                "read": stages.read.as_secs_f64(),
                "analyze": stages.analyze.as_secs_f64(),
                "write": stages.write.as_secs_f64(),
                "commit": stages.commit.as_secs_f64(),
            }),
            query_ms: LatencyOutput::from_latency(&report.query),
            process_ms: report.process.as_ref().map(LatencyOutput::from_latency),
        }
    }
}

/// `gazette facets --format json` (and `facets` in `search --facets`).
#[derive(Debug, Serialize)]
pub struct FacetsOutput<'a> {
    /// The query as given.
    pub query: &'a str,
    /// Matching passages.
    pub passages: u64,
    /// Articles with at least one matching passage.
    pub articles: u64,
    /// Top entities per type, counted in articles.
    pub entities: EntityCountsOutput<'a>,
    /// Articles per language.
    pub languages: Vec<CountOutput<'a>>,
    /// Articles per source.
    pub sources: Vec<CountOutput<'a>>,
    /// Articles per country they are about.
    pub countries: Vec<CountOutput<'a>>,
    /// Articles per period.
    pub histogram: HistogramOutput<'a>,
    /// Articles and passages per period, per series: the matches
    /// themselves, or one series per `--timeline`.
    pub timelines: TimelinesOutput<'a>,
    /// Entities in the same passages as the `--cooccur` entity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cooccur: Option<CooccurOutput<'a>>,
}

/// Top entities of each type.
#[derive(Debug, Serialize)]
pub struct EntityCountsOutput<'a> {
    /// People.
    pub person: Vec<CountOutput<'a>>,
    /// Organisations.
    pub org: Vec<CountOutput<'a>>,
    /// Places.
    pub place: Vec<CountOutput<'a>>,
    /// Names of unknown type.
    pub misc: Vec<CountOutput<'a>>,
}

/// A value with a count.
#[derive(Debug, Serialize)]
pub struct CountOutput<'a> {
    /// The name, language code, source or period.
    pub name: &'a str,
    /// How many.
    pub count: u64,
}

/// A histogram of articles by calendar period.
#[derive(Debug, Serialize)]
pub struct HistogramOutput<'a> {
    /// `year`, `quarter`, `month`, `week` or `day`.
    pub by: &'a str,
    /// The date counted: `published`, `crawled` or `either` (published,
    /// else crawled).
    pub date: &'a str,
    /// Periods in calendar order (`2024`, `2024-Q1`, `2024-03`,
    /// `2024-W09`, `2024-03-05`), empty ones included.
    pub buckets: Vec<CountOutput<'a>>,
    /// Matching articles without that date.
    pub undated: u64,
}

/// Series counted over the same periods.
#[derive(Debug, Serialize)]
pub struct TimelinesOutput<'a> {
    /// `year`, `quarter`, `month`, `week` or `day`.
    pub by: &'a str,
    /// The date counted, as in the histogram.
    pub date: &'a str,
    /// The series, in the order asked for.
    pub series: Vec<SeriesOutput<'a>>,
    /// With `--normalize`: every article and passage that passes the
    /// filters (whatever the query), per period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub totals: Option<Vec<TallyOutput>>,
}

/// One series of a timeline.
#[derive(Debug, Serialize)]
pub struct SeriesOutput<'a> {
    /// The query, or the `--timeline` as typed.
    pub name: &'a str,
    /// The entity it names, when it names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<EntityRefOutput<'a>>,
    /// Matching articles.
    pub articles: u64,
    /// Matching passages.
    pub passages: u64,
    /// Of those, without a date.
    pub undated: TallyOutput,
    /// Per period, in calendar order, empty ones included; the same
    /// periods for every series.
    pub buckets: Vec<BucketOutput>,
}

/// Articles and passages of one period (or undated).
#[derive(Debug, Serialize)]
pub struct TallyOutput {
    /// The period (absent for the undated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Articles.
    pub articles: u64,
    /// Passages.
    pub passages: u64,
}

/// One period of a series.
#[derive(Debug, Serialize)]
pub struct BucketOutput {
    /// The period (`2024`, `2024-Q1`, `2024-03`, `2024-W09`, `2024-03-05`).
    pub name: String,
    /// Its first day, `YYYY-MM-DD`.
    pub start: String,
    /// Articles.
    pub articles: u64,
    /// Passages.
    pub passages: u64,
    /// With `--normalize`: articles as a share (0 to 1) of all the period's articles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// With `--normalize`: passages as a share of all the period's passages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passage_share: Option<f64>,
}

impl<'a> TimelinesOutput<'a> {
    /// Converts timelines to their wire form.
    pub fn from_timelines(timelines: &'a Timelines, date: DateBasis) -> Self {
        let by = timelines.by;
        let series = timelines
            .series
            .iter()
            .map(|series| SeriesOutput {
                name: &series.name,
                entity: series.entity.as_ref().map(|(kind, name)| EntityRefOutput {
                    kind: kind.as_str(),
                    name,
                }),
                articles: series.total.articles,
                passages: series.total.passages,
                undated: TallyOutput {
                    name: None,
                    articles: series.undated.articles,
                    passages: series.undated.passages,
                },
                buckets: timelines
                    .periods
                    .iter()
                    .zip(&series.counts)
                    .enumerate()
                    .map(|(i, (start, tally))| {
                        let shares = timelines.totals.as_ref().map(|totals| {
                            tally.share_of(&totals.get(i).copied().unwrap_or_default())
                        });
                        BucketOutput {
                            name: by.label(*start),
                            start: start.format("%Y-%m-%d").to_string(),
                            articles: tally.articles,
                            passages: tally.passages,
                            share: shares.map(|(articles, _)| articles),
                            passage_share: shares.map(|(_, passages)| passages),
                        }
                    })
                    .collect(),
            })
            .collect();
        TimelinesOutput {
            by: by.as_str(),
            date: date.as_str(),
            series,
            totals: timelines.totals.as_ref().map(|totals| {
                timelines
                    .periods
                    .iter()
                    .zip(totals)
                    .map(|(start, tally)| TallyOutput {
                        name: Some(by.label(*start)),
                        articles: tally.articles,
                        passages: tally.passages,
                    })
                    .collect()
            }),
        }
    }
}

/// An entity by type and canonical name.
#[derive(Debug, Serialize)]
pub struct EntityRefOutput<'a> {
    /// `person`, `org`, `place` or `misc`.
    #[serde(rename = "type")]
    pub kind: &'a str,
    /// Canonical name.
    pub name: &'a str,
}

/// Co-occurrence counts.
#[derive(Debug, Serialize)]
pub struct CooccurOutput<'a> {
    /// The entity asked about.
    pub entity: EntityRefOutput<'a>,
    /// Matching passages that mention it.
    pub passages: u64,
    /// Other entities in those passages, with passage counts.
    pub entities: Vec<CooccurCountOutput<'a>>,
}

/// An entity with the number of passages it shares.
#[derive(Debug, Serialize)]
pub struct CooccurCountOutput<'a> {
    /// `person`, `org`, `place` or `misc`.
    #[serde(rename = "type")]
    pub kind: &'a str,
    /// Canonical name.
    pub name: &'a str,
    /// Passages.
    pub count: u64,
}

impl<'a> FacetsOutput<'a> {
    /// Converts facet counts to their wire form.
    pub fn from_counts(counts: &'a FacetCounts) -> Self {
        let list = |items: &'a [(String, u64)]| {
            items
                .iter()
                .map(|(name, count)| CountOutput {
                    name,
                    count: *count,
                })
                .collect()
        };
        let of_kind = |kind: EntityKind| {
            counts
                .entities
                .iter()
                .find(|(k, _)| *k == kind)
                .map(|(_, items)| list(items))
                .unwrap_or_default()
        };
        FacetsOutput {
            query: &counts.query,
            passages: counts.passages,
            articles: counts.articles,
            entities: EntityCountsOutput {
                person: of_kind(EntityKind::Person),
                org: of_kind(EntityKind::Org),
                place: of_kind(EntityKind::Place),
                misc: of_kind(EntityKind::Misc),
            },
            languages: list(&counts.languages),
            sources: list(&counts.sources),
            countries: list(&counts.countries),
            histogram: HistogramOutput {
                by: counts.by.as_str(),
                date: counts.filters.date.as_str(),
                buckets: list(&counts.histogram),
                undated: counts.undated,
            },
            timelines: TimelinesOutput::from_timelines(&counts.timelines, counts.filters.date),
            cooccur: counts.cooccur.as_ref().map(|c| CooccurOutput {
                entity: EntityRefOutput {
                    kind: c.entity.0.as_str(),
                    name: &c.entity.1,
                },
                passages: c.passages,
                entities: c
                    .entities
                    .iter()
                    .map(|(kind, name, count)| CooccurCountOutput {
                        kind: kind.as_str(),
                        name,
                        count: *count,
                    })
                    .collect(),
            }),
        }
    }
}
