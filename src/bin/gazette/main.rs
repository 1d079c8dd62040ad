//! The `gazette` command: parses arguments, calls the library, prints,
//! and maps outcomes to exit codes (0 success or hits, 1 some inputs failed
//! or no hits, 2 usage or fatal error).

mod cli;
mod progress;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Parser;
use gazette::analyze::entities::train::{LabelMap, Scores, TrainOptions};
use gazette::analyze::entities::{parse_authority, Authority};
use gazette::analyze::{
    valid_date_format, Article, DateOrder, DateSettings, DateVerdict, EntityKind, EntityRecogniser,
};
use gazette::bench::{self, BenchFormat, BenchOptions};
use gazette::extract::{extract, Extracted};
use gazette::index::{check, index_paths, IndexOptions};
use gazette::ingest::{FieldMap, IngestOptions};
use gazette::output::json::{
    ArticleOutput, BenchOutput, CheckOutput, FacetsOutput, HitOutput, IndexReportOutput,
    SearchOutput, StatsOutput,
};
use gazette::output::plot::{self, PlotFormat};
use gazette::output::{csv as csv_output, text, Measure};
use gazette::search::{
    facets, search, stats, DateBasis, DateRange, EntityScope, FacetOptions, Filters, Period,
    SearchOptions, Sort,
};
use gazette::train_ner::{read_model, test_ner, train_ner, TrainSpec};
use mimalloc::MiMalloc;

use cli::{
    Cli, ColorWhen, Command, CountArg, DateArg, ExtractFormat, FacetsFormat, HitFormat,
    IndexFormat, PeriodArg, ReportFormat, ScopeArg, SortArg,
};

/// mimalloc instead of the system allocator: indexing allocates and frees
/// small strings and vectors on many threads (documents are built on one
/// and freed on another), where glibc's malloc spends a measurable share
/// of the run (`benches/README.md`).
#[global_allocator]
static ALLOCATOR: MiMalloc = MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            if is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            }
            // Errors name files and quote inputs: one line, no escapes.
            eprintln!("gazette: error: {}", text::one_line(&format!("{error:#}")));
            ExitCode::from(2)
        }
    }
}

/// `| head` closing stdout is not an error, whichever writer met it
/// (serde_json and csv wrap the I/O error in their own).
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let kind = if let Some(io) = cause.downcast_ref::<io::Error>() {
            Some(io.kind())
        } else if let Some(json) = cause.downcast_ref::<serde_json::Error>() {
            json.io_error_kind()
        } else if let Some(csv) = cause.downcast_ref::<csv::Error>() {
            match csv.kind() {
                csv::ErrorKind::Io(io) => Some(io.kind()),
                _ => None,
            }
        } else {
            None
        };
        kind == Some(io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Index(args) => run_index(args),
        Command::Search(args) => run_search(args),
        Command::Facets(args) => run_facets(args),
        Command::Stats(args) => run_stats(args),
        Command::Extract(args) => run_extract(args),
        Command::Check(args) => run_check(args),
        Command::Bench(args) => run_bench(args),
        Command::TrainNer(args) => run_train_ner(args),
    }
}

fn ingest_options(maps: &[String], max_record_mb: u64) -> Result<IngestOptions> {
    let mut field_map = FieldMap::default();
    for spec in maps {
        field_map.extend(FieldMap::parse(spec).map_err(anyhow::Error::msg)?);
    }
    Ok(IngestOptions {
        field_map,
        max_record_bytes: max_record_mb << 20,
        dates: DateSettings::default(),
    })
}

/// How metadata dates are read, from `--date-order` and `--date-format`.
fn date_settings(args: &cli::DateArgs) -> Result<DateSettings> {
    for format in &args.date_formats {
        if !valid_date_format(format) {
            anyhow::bail!(
                "--date-format `{format}` is not a chrono format (see \
                 https://docs.rs/chrono/latest/chrono/format/strftime/)"
            );
        }
    }
    Ok(DateSettings {
        order: args.date_order.map(|order| match order {
            cli::DateOrderArg::Dmy => DateOrder::DayFirst,
            cli::DateOrderArg::Mdy => DateOrder::MonthFirst,
        }),
        formats: args.date_formats.clone(),
    })
}

fn day(date: chrono::DateTime<chrono::Utc>) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// `--explain-dates` in JSON: the crawl date, the latest date the article
/// can have, and every candidate with its verdict.
fn dates_json(article: &Article) -> serde_json::Value {
    let explanation = &article.date_explanation;
    serde_json::json!({
        "published": article.published.map(day),
        "origin": article.date_origin.as_str(),
        "crawled": article.crawled.map(day),
        "latest": explanation.latest.map(|bound| serde_json::json!({
            "date": day(bound.date),
            "origin": bound.origin,
        })),
        "candidates": explanation.candidates.iter().map(|candidate| serde_json::json!({
            "origin": candidate.origin.as_str(),
            "place": candidate.place,
            "value": candidate.value,
            "date": candidate.date.map(day),
            "verdict": candidate.verdict.as_str(),
        })).collect::<Vec<_>>(),
    })
}

/// One article of `extract --format text`: where it is from, its title and
/// dates, its warnings, and with `--explain-dates` every date candidate.
fn write_article_text(
    out: &mut impl Write,
    article: &Article,
    warnings: &[String],
    explain: bool,
) -> io::Result<()> {
    let record = if article.record > 0 {
        format!(" #{}", article.record)
    } else {
        String::new()
    };
    writeln!(
        out,
        "{}{record}: {}",
        text::one_line(&article.input.display().to_string()),
        text::one_line(article.title.as_deref().unwrap_or("(no title)"))
    )?;
    let published = article.published.map_or_else(|| "none".to_owned(), day);
    writeln!(
        out,
        "  published {published} ({})",
        article.date_origin.as_str()
    )?;
    let crawled = article.crawled.map_or_else(|| "none".to_owned(), day);
    writeln!(out, "  crawled {crawled}")?;
    if explain {
        if let Some(bound) = article.date_explanation.latest {
            writeln!(
                out,
                "  latest possible {} ({}, plus one day)",
                day(bound.date),
                bound.origin
            )?;
        }
        if article.date_explanation.candidates.is_empty() {
            writeln!(out, "  no date candidates")?;
        }
        for candidate in &article.date_explanation.candidates {
            let mark = match candidate.verdict {
                DateVerdict::Chosen | DateVerdict::ChosenAsLocal => '*',
                _ => '-',
            };
            writeln!(
                out,
                "  {mark} {:<13} {} {:?} -> {}: {}",
                candidate.origin.as_str(),
                text::one_line(&candidate.place),
                text::one_line(&candidate.value),
                candidate.date.map_or_else(|| "no date".to_owned(), day),
                candidate.verdict.as_str()
            )?;
        }
    }
    for warning in warnings {
        writeln!(out, "  warning: {}", text::one_line(warning))?;
    }
    writeln!(out)
}

/// The authority files named, read and checked, as one text.
fn added_authority(paths: &[std::path::PathBuf]) -> Result<String> {
    let mut added = String::new();
    for path in paths {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading authority file {}", path.display()))?;
        parse_authority(&text)
            .with_context(|| format!("authority file {} is malformed", path.display()))?;
        added.push_str(&text);
        added.push('\n');
    }
    Ok(added)
}

/// The entity recogniser the arguments ask for: the default authority plus
/// the user's files, or none with `--no-entities`.
fn entity_recogniser(args: &cli::EntityArgs) -> Result<Option<Arc<EntityRecogniser>>> {
    if args.no_entities {
        return Ok(None);
    }
    let added = added_authority(&args.authorities)?;
    if added.is_empty() && args.ner_models.is_empty() {
        return Ok(Some(EntityRecogniser::builtin()));
    }
    let mut authority = Authority::builtin();
    authority.add(&added)?;
    let mut models = EntityRecogniser::shipped_models();
    for path in &args.ner_models {
        models.push(read_model(path)?);
    }
    Ok(Some(Arc::new(EntityRecogniser::with_models(
        &authority, models,
    ))))
}

fn run_train_ner(args: cli::TrainNerArgs) -> Result<ExitCode> {
    let mut labels = LabelMap::default();
    for entry in &args.maps {
        labels.add(entry)?;
    }
    if args.files.is_empty() && args.descriptive.is_empty() && args.model.is_none() {
        anyhow::bail!("train-ner needs annotated files to train on (or --model FILE --test FILES to measure one)");
    }
    let mut authority = Authority::builtin();
    authority.add(&added_authority(&args.authorities)?)?;
    let recogniser = EntityRecogniser::with_models(&authority, Vec::new());
    let mut out = io::stdout().lock();
    if let Some(path) = &args.model {
        let scores = test_ner(&read_model(path)?, &args.test, &labels, &recogniser)?;
        write_scores(&mut out, &scores)?;
        return Ok(ExitCode::SUCCESS);
    }
    let spec = TrainSpec {
        files: args.files.clone(),
        descriptive: args.descriptive.clone(),
        test: args.test.clone(),
        labels,
        options: TrainOptions {
            epochs: usize::from(args.epochs),
            seed: args.seed,
            language: args.language.clone(),
            prune: args.prune.clamp(0.0, 1.0),
        },
    };
    let trained = train_ner(&spec, &recogniser)?;
    let bytes = trained.model.to_bytes();
    if let Some(path) = &args.out {
        std::fs::write(path, &bytes)
            .with_context(|| format!("writing the model to {}", path.display()))?;
        writeln!(
            out,
            "trained on {} sentences ({} words): {} features, {} bytes, written to {}",
            trained.sentences,
            trained.words,
            trained.model.features(),
            bytes.len(),
            path.display()
        )?;
    }
    if let (n, Some((file, line))) = (trained.report.unlabelled, &trained.report.first_unlabelled) {
        writeln!(
            out,
            "{n} word lines without a label left out (the first: {file}, line {line})"
        )?;
    }
    if !trained.report.unknown.is_empty() {
        let listed: Vec<String> = trained
            .report
            .unknown
            .iter()
            .map(|(label, words)| format!("{label} ({words} words)"))
            .collect();
        writeln!(
            out,
            "labels trained as outside any name (map them with --map LABEL=TYPE): {}",
            listed.join(", ")
        )?;
    }
    if let Some(scores) = &trained.scores {
        write_scores(&mut out, scores)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Precision, recall and F1 per type, as a table.
fn write_scores(out: &mut impl Write, scores: &Scores) -> io::Result<()> {
    writeln!(
        out,
        "{:<8} {:>9} {:>7} {:>7} {:>7} {:>7} {:>7}",
        "type", "precision", "recall", "F1", "right", "wrong", "missed"
    )?;
    let rows = scores
        .counts
        .iter()
        .map(|(kind, counts)| (kind.as_str(), *counts))
        .chain(std::iter::once(("all", scores.total())));
    for (name, counts) in rows {
        let (p, r, f) = Scores::prf(counts);
        writeln!(
            out,
            "{name:<8} {p:>9.3} {r:>7.3} {f:>7.3} {:>7} {:>7} {:>7}",
            counts.0, counts.1, counts.2
        )?;
    }
    Ok(())
}

fn run_index(args: cli::IndexArgs) -> Result<ExitCode> {
    let mut options = IndexOptions::new(args.location.dir.clone());
    if let Some(threads) = args.threads {
        options.threads = capped_threads(threads);
    }
    options.heap_mb = args.heap_mb;
    options.commit_every_mb = args.commit_every;
    options.prune = args.prune;
    options.ingest = ingest_options(&args.maps, args.max_record_mb)?;
    options.ingest.dates = date_settings(&args.dates)?;
    // The index keeps the added entries and builds the run's recogniser.
    options.entities = (!args.entities.no_entities).then(EntityRecogniser::builtin);
    options.added_authority = added_authority(&args.entities.authorities)?;
    let interrupt = Arc::clone(&options.interrupt);
    // The first Ctrl-C asks the run to commit what it has and stop; a
    // second one stops at once (the last commit stays intact).
    ctrlc::set_handler(move || {
        if interrupt.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    })
    .context("installing the Ctrl-C handler")?;

    let mut bar = progress::Bar::new(!args.quiet && io::stderr().is_terminal());
    if args.format == IndexFormat::Jsonl {
        bar = bar.streaming_to(Box::new(io::LineWriter::new(io::stdout())));
    }
    let report = index_paths(&args.paths, &options, &bar);
    bar.finish();
    let report =
        report.with_context(|| format!("indexing into {}", args.location.dir.display()))?;
    let mut out = io::stdout().lock();
    match args.format {
        IndexFormat::Text => text::write_index_report(&mut out, &report)?,
        IndexFormat::Json | IndexFormat::Jsonl => {
            serde_json::to_writer(&mut out, &IndexReportOutput::from_report(&report))?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(if report.interrupted {
        ExitCode::from(130)
    } else if report.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The threads the machine can run at once.
fn available_threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// `--threads N`, at most what the machine can run at once: more only add
/// writer segments, memory and switching, and thousands take minutes to
/// start and join. Says so on stderr when it lowers the number.
fn capped_threads(asked: usize) -> usize {
    let available = available_threads();
    if asked > available {
        eprintln!(
            "gazette: --threads {asked} lowered to {available}, the threads this machine can run at once"
        );
        available
    } else {
        asked
    }
}

fn run_bench(args: cli::BenchArgs) -> Result<ExitCode> {
    let options = BenchOptions {
        size_mb: args.size,
        seed: args.seed,
        format: match args.input {
            cli::BenchInput::Jsonl => BenchFormat::Jsonl,
            cli::BenchInput::Text => BenchFormat::Text,
        },
        work_dir: args
            .dir
            .unwrap_or_else(|| std::env::temp_dir().join("gazette-bench")),
        threads: args.threads.map_or_else(available_threads, capped_threads),
        heap_mb: args.heap_mb,
        queries: args.queries,
        entities: !args.no_entities,
        binary: std::env::current_exe().ok(),
    };
    let bar = progress::Bar::new(!args.quiet && io::stderr().is_terminal());
    let report = bench::run(&options, &bar);
    bar.finish();
    let report = report.with_context(|| format!("benchmark in {}", options.work_dir.display()))?;
    let mut out = io::stdout().lock();
    match args.format {
        ReportFormat::Text => text::write_bench_report(&mut out, &report)?,
        ReportFormat::Json => {
            serde_json::to_writer(&mut out, &BenchOutput::from_report(&report, &options))?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn run_check(args: cli::CheckArgs) -> Result<ExitCode> {
    let report = check(&args.location.dir)?;
    let mut out = io::stdout().lock();
    match args.format {
        ReportFormat::Text => text::write_check_report(&mut out, &report)?,
        ReportFormat::Json => {
            serde_json::to_writer(&mut out, &CheckOutput::from_report(&report))?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn run_search(args: cli::SearchArgs) -> Result<ExitCode> {
    if args.csv_raw_formulas && !matches!(args.format, HitFormat::Csv) {
        anyhow::bail!("--csv-raw-formulas goes with --format csv");
    }
    let columns = match (&args.fields, args.format) {
        (Some(spec), HitFormat::Csv) => {
            csv_output::parse_columns(spec).map_err(anyhow::Error::msg)?
        }
        (Some(_), _) => anyhow::bail!("--fields goes with --format csv"),
        (None, _) => csv_output::DEFAULT_COLUMNS
            .iter()
            .map(|c| c.to_string())
            .collect(),
    };
    let options = SearchOptions {
        query: args.query.clone(),
        filters: filters(&args.filters)?,
        limit: (args.limit > 0).then_some(args.limit),
        per_article: args.per_article,
        sort: match args.sort {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Newest => Sort::Newest,
            SortArg::Oldest => Sort::Oldest,
        },
        conjunction: args.and,
    };
    let index = gazette::index::open(&args.location.dir)?;
    let results = search(&index, &options)?;
    let counts = if args.facets {
        Some(facets(
            &index,
            &FacetOptions {
                query: options.query.clone(),
                filters: options.filters.clone(),
                conjunction: options.conjunction,
                ..FacetOptions::default()
            },
        )?)
    } else {
        None
    };

    let (style, mut out) = styled_stdout(args.color);
    match args.format {
        HitFormat::Text => {
            text::write_hits(&mut out, &results, style)?;
            if let Some(counts) = &counts {
                writeln!(out)?;
                text::write_facets(&mut out, counts, Measure::Articles, style)?;
            }
        }
        HitFormat::Json => {
            let mut wire = SearchOutput::from_results(&results);
            wire.facets = counts.as_ref().map(FacetsOutput::from_counts);
            serde_json::to_writer(&mut out, &wire)?;
            writeln!(out)?;
        }
        HitFormat::Jsonl => {
            for hit in &results.hits {
                serde_json::to_writer(&mut out, &HitOutput::from_hit(hit))?;
                writeln!(out)?;
            }
        }
        HitFormat::Csv => {
            let formulas = if args.csv_raw_formulas {
                csv_output::Formulas::Raw
            } else {
                csv_output::Formulas::Neutralise
            };
            csv_output::write_hits(&mut out, &results, &columns, formulas)?
        }
    }
    out.flush()?;
    Ok(if results.hits.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Library filters from the filter arguments.
fn filters(args: &cli::FilterArgs) -> Result<Filters> {
    let date = |flag: &str, value: &Option<String>| -> Result<Option<DateRange>> {
        value
            .as_deref()
            .map(|text| DateRange::parse(text).map_err(|e| anyhow::anyhow!("--{flag}: {e}")))
            .transpose()
    };
    let typed = |kind: Option<EntityKind>, names: &[String]| {
        names
            .iter()
            .map(move |name| (kind, name.clone()))
            .collect::<Vec<_>>()
    };
    let mut entities = typed(None, &args.entities);
    entities.extend(typed(Some(EntityKind::Person), &args.persons));
    entities.extend(typed(Some(EntityKind::Org), &args.orgs));
    entities.extend(typed(Some(EntityKind::Place), &args.places));
    Ok(Filters {
        langs: args.langs.clone(),
        sources: args.sources.clone(),
        from: date("from", &args.from)?,
        to: date("to", &args.to)?,
        entities,
        entity_scope: match args.scope {
            ScopeArg::Article => EntityScope::Article,
            ScopeArg::Passage => EntityScope::Passage,
        },
        date: match args.date {
            DateArg::Published => DateBasis::Published,
            DateArg::Crawled => DateBasis::Crawled,
            DateArg::Either => DateBasis::Either,
        },
        countries: args.countries.clone(),
    })
}

fn run_facets(args: cli::FacetsArgs) -> Result<ExitCode> {
    if let Some(path) = &args.plot {
        PlotFormat::of_path(path).map_err(anyhow::Error::msg)?;
    }
    let options = FacetOptions {
        query: args.query.clone(),
        filters: filters(&args.filters)?,
        conjunction: args.and,
        by: match args.by {
            PeriodArg::Year => Period::Year,
            PeriodArg::Quarter => Period::Quarter,
            PeriodArg::Month => Period::Month,
            PeriodArg::Week => Period::Week,
            PeriodArg::Day => Period::Day,
        },
        top: args.top,
        cooccur: args.cooccur.clone(),
        timelines: args.timeline.clone(),
        normalize: args.normalize,
    };
    let measure = match args.count {
        CountArg::Articles => Measure::Articles,
        CountArg::Passages => Measure::Passages,
    };
    let index = gazette::index::open(&args.location.dir)?;
    let counts = facets(&index, &options)?;
    if let Some(path) = &args.plot {
        plot::write_plot(path, &counts, measure)?;
    }
    let (style, mut out) = styled_stdout(args.color);
    match args.format {
        FacetsFormat::Text => text::write_facets(&mut out, &counts, measure, style)?,
        FacetsFormat::Json => {
            serde_json::to_writer(&mut out, &FacetsOutput::from_counts(&counts))?;
            writeln!(out)?;
        }
        FacetsFormat::Csv => {
            csv_output::write_timelines(&mut out, &counts, csv_output::Formulas::Neutralise)?
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Buffered stdout and the style it gets, decided once.
fn styled_stdout(color: ColorWhen) -> (text::Style, io::BufWriter<io::StdoutLock<'static>>) {
    let stdout = io::stdout();
    let style = if use_color(color, stdout.is_terminal()) {
        text::Style::Color
    } else {
        text::Style::Plain
    };
    (style, io::BufWriter::new(stdout.lock()))
}

/// `auto` colours only a terminal, and never with NO_COLOR set or TERM=dumb.
fn use_color(when: ColorWhen, stdout_is_terminal: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
            let dumb = std::env::var_os("TERM").is_some_and(|term| term == "dumb");
            stdout_is_terminal && !no_color && !dumb
        }
    }
}

fn run_stats(args: cli::StatsArgs) -> Result<ExitCode> {
    let index = gazette::index::open(&args.location.dir)?;
    let stats = stats(&index)?;
    let mut out = io::stdout().lock();
    match args.format {
        ReportFormat::Text => text::write_stats(&mut out, &stats)?,
        ReportFormat::Json => {
            serde_json::to_writer(&mut out, &StatsOutput::from_stats(&stats))?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn run_extract(args: cli::ExtractArgs) -> Result<ExitCode> {
    let mut options = ingest_options(&args.maps, args.max_record_mb)?;
    options.dates = date_settings(&args.dates)?;
    let entities = entity_recogniser(&args.entities)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut failed = false;
    let mut first = true;
    let mut write_error: Option<io::Error> = None;
    if matches!(args.format, ExtractFormat::Json) {
        out.write_all(b"[")?;
    }
    extract(&args.paths, &options, entities, &mut |event| {
        if write_error.is_some() {
            return;
        }
        let result = match event {
            Extracted::Article(article, warnings) if matches!(args.format, ExtractFormat::Text) => {
                write_article_text(&mut out, &article, &warnings, args.explain_dates)
            }
            Extracted::Article(article, warnings) => {
                let wire = ArticleOutput::from_article(&article, warnings);
                let separator: &[u8] = match (args.format, first) {
                    (ExtractFormat::Json, true) => b"\n",
                    (ExtractFormat::Json, false) => b",\n",
                    (ExtractFormat::Jsonl | ExtractFormat::Text, _) => b"",
                };
                first = false;
                let value = serde_json::to_value(&wire).map(|mut value| {
                    if let (true, Some(object)) = (args.explain_dates, value.as_object_mut()) {
                        object.insert("dates".to_owned(), dates_json(&article));
                    }
                    value
                });
                out.write_all(separator)
                    .and_then(|()| value.map_err(io::Error::from))
                    .and_then(|value| {
                        serde_json::to_writer(&mut out, &value).map_err(io::Error::from)
                    })
                    .and_then(|()| match args.format {
                        ExtractFormat::Jsonl => out.write_all(b"\n"),
                        ExtractFormat::Json | ExtractFormat::Text => Ok(()),
                    })
            }
            Extracted::Skipped(item) => {
                eprintln!(
                    "gazette: skipped {}: {}",
                    text::one_line(&item.input),
                    text::one_line(&item.reason)
                );
                Ok(())
            }
            Extracted::Failed(item) => {
                failed = true;
                eprintln!(
                    "gazette: failed {}: {}",
                    text::one_line(&item.input),
                    text::one_line(&item.reason)
                );
                Ok(())
            }
        };
        if let Err(error) = result {
            write_error = Some(error);
        }
    });
    if let Some(error) = write_error {
        return Err(error.into());
    }
    if matches!(args.format, ExtractFormat::Json) {
        out.write_all(b"\n]\n")?;
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
