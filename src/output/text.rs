//! The terminal printer: numbered hits with highlighted passages, index
//! reports and statistics, for people.
//!
//! Archived text is untrusted: every string from the index passes through
//! [`sanitize`] before it reaches the terminal, so that escape sequences,
//! carriage returns and bidirectional overrides in an archived page cannot
//! rewrite the screen, and every field printed on a line of its own (a
//! title, a source, a file name, a reason) through [`one_line`], so that a
//! newline in it cannot forge a line of gazette's output.

use std::borrow::Cow;
use std::io::{self, Write};

use super::Measure;
use crate::analyze::EntityKind;
use crate::bench::BenchReport;
use crate::index::{CheckReport, Dispositions, IndexReport};
use crate::search::{DateBasis, FacetCounts, IndexStats, SearchResults, Series, Timelines};

/// How highlighted words are marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// ANSI colours.
    Color,
    /// `[[word]]` markers.
    Plain,
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const MATCH: &str = "\x1b[1;31m";
const RANK: &str = "\x1b[32m";

impl Style {
    fn paint(self, color: &str, text: &str) -> String {
        match self {
            Style::Color => format!("{color}{text}{RESET}"),
            Style::Plain => text.to_owned(),
        }
    }
}

/// Replaces characters that could act on a terminal or hide what a text
/// says: C0 and C1 controls (except newline and tab) become their visible
/// Control Pictures or U+FFFD; bidirectional overrides, isolates and marks,
/// line and paragraph separators and invisible characters (zero-width
/// space, word joiner, invisible operators, byte-order mark) become
/// U+FFFD. Zero-width joiners and non-joiners stay: scripts such as
/// Persian and Devanagari, and emoji, need them, and they move nothing.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// [`sanitize`] for a field printed on one line of a listing (a title, a
/// source, a file name, a reason): newlines and tabs are escaped visibly
/// too, so that a crafted field cannot start a line that looks like
/// gazette's own output (a fake hit, a fake `ok`).
pub fn one_line(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

fn escape(text: &str, one_line: bool) -> Cow<'_, str> {
    let kept = |c: char| !one_line && (c == '\n' || c == '\t');
    let unsafe_char = |c: char| (c.is_control() && !kept(c)) || is_hidden(c);
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                c if kept(c) => c,
                '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'),
                '\u{7f}' => '\u{2421}',
                c if unsafe_char(c) => '\u{FFFD}',
                c => c,
            })
            .collect(),
    )
}

/// Characters that are not controls but reorder, split or hide text.
pub(crate) fn is_hidden(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{200B}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}'
    )
}

/// Prints search hits.
pub fn write_hits(out: &mut dyn Write, results: &SearchResults, style: Style) -> io::Result<()> {
    for hit in &results.hits {
        let title = hit.title.as_deref().unwrap_or("(untitled)");
        writeln!(
            out,
            "{} {}",
            style.paint(RANK, &format!("{}.", hit.rank)),
            style.paint(BOLD, &one_line(title))
        )?;
        let date = hit.published.map_or_else(
            || "undated".to_owned(),
            |date| date.format("%Y-%m-%d").to_string(),
        );
        let mut meta = vec![
            date,
            one_line(&hit.lang).into_owned(),
            one_line(&hit.source).into_owned(),
        ];
        if let Some(score) = hit.score {
            meta.push(format!("score {score:.2}"));
        }
        let location = if hit.record > 0 {
            format!("{}:{}", hit.input, hit.record)
        } else {
            hit.input.clone()
        };
        meta.push(one_line(&location).into_owned());
        writeln!(out, "   {}", style.paint(DIM, &meta.join(" · ")))?;
        let passage = highlighted(&hit.text, &hit.highlights, style);
        for line in passage.lines().filter(|line| !line.trim().is_empty()) {
            writeln!(out, "   {line}")?;
        }
        writeln!(out)?;
    }
    let shown = results.hits.len();
    let summary = if results.total_hits == 0 {
        "no passages matched".to_owned()
    } else {
        format!("{shown} of {} matching passages shown", results.total_hits)
    };
    writeln!(out, "{}", style.paint(DIM, &summary))
}

/// The passage with highlighted ranges marked, sanitized. Ranges separated
/// only by spaces (the words of a query found side by side) are marked as one.
fn highlighted(text: &str, ranges: &[std::ops::Range<usize>], style: Style) -> String {
    let mut joined: Vec<std::ops::Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match joined.last_mut() {
            Some(last)
                if text
                    .get(last.end..range.start)
                    .is_some_and(|gap| gap.chars().all(|c| c == ' ')) =>
            {
                last.end = range.end;
            }
            _ => joined.push(range.clone()),
        }
    }
    let mut out = String::with_capacity(text.len() + joined.len() * 12);
    let mut cursor = 0;
    for range in &joined {
        let (Some(before), Some(word)) = (text.get(cursor..range.start), text.get(range.clone()))
        else {
            continue;
        };
        out.push_str(&sanitize(before));
        match style {
            Style::Color => out.push_str(&format!("{MATCH}{}{RESET}", sanitize(word))),
            Style::Plain => out.push_str(&format!("[[{}]]", sanitize(word))),
        }
        cursor = range.end;
    }
    out.push_str(&sanitize(text.get(cursor..).unwrap_or_default()));
    out
}

/// Prints the account of an indexing run.
pub fn write_index_report(out: &mut dyn Write, report: &IndexReport) -> io::Result<()> {
    let seconds = report.elapsed.as_secs_f64();
    let megabytes = report.bytes as f64 / 1_000_000.0;
    let rate = |amount: f64| if seconds > 0.0 { amount / seconds } else { 0.0 };
    writeln!(
        out,
        "indexed {} articles ({} passages) from {} files, {:.1} MB in {:.2} s ({:.1} MB/s, {:.0} articles/s)",
        report.articles,
        report.passages,
        report.files,
        megabytes,
        seconds,
        rate(megabytes),
        rate(report.articles as f64),
    )?;
    if report.unchanged > 0 {
        writeln!(
            out,
            "{} files unchanged since the last run, not read again",
            report.unchanged
        )?;
    }
    if report.pruned > 0 {
        writeln!(
            out,
            "{} files gone: their documents were removed",
            report.pruned
        )?;
    }
    if report.interrupted {
        writeln!(
            out,
            "interrupted: what was read is committed; {} files were not read. \
             Run the same command again to finish.",
            report.not_read
        )?;
    }
    // Failures need action and are all listed; skips are routine, so an
    // input with many (a web archive's request and metadata records) is
    // summed up in one line.
    write_dispositions(out, "failed", &report.failed, usize::MAX)?;
    write_dispositions(out, "skipped", &report.skipped, MAX_SKIPS_LISTED_PER_INPUT)?;
    write_dispositions(
        out,
        "warnings",
        &report.warnings,
        MAX_SKIPS_LISTED_PER_INPUT,
    )?;
    Ok(())
}

/// Beyond this many entries for one input, the text report gives a count.
const MAX_SKIPS_LISTED_PER_INPUT: usize = 3;

fn write_dispositions(
    out: &mut dyn Write,
    label: &str,
    list: &Dispositions,
    per_input: usize,
) -> io::Result<()> {
    if list.is_empty() {
        return Ok(());
    }
    writeln!(out, "{label} ({}):", list.len())?;
    let listed = list.listed();
    let mut start = 0;
    let mut shown = 0u64;
    while let Some(first) = listed.get(start) {
        let same_input = listed
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(|item| item.input == first.input)
            .count();
        let of_input = list.by_input().get(&first.input).copied().unwrap_or(0);
        if same_input > per_input {
            writeln!(
                out,
                "  {}: {of_input} records (--format jsonl lists each with its reason)",
                one_line(&first.input)
            )?;
        } else {
            for item in listed.get(start..start + same_input).unwrap_or_default() {
                writeln!(
                    out,
                    "  {}: {}",
                    one_line(&item.input),
                    one_line(&item.reason)
                )?;
            }
            let more = of_input.saturating_sub(same_input as u64);
            if more > 0 {
                writeln!(
                    out,
                    "  {}: {more} more (--format jsonl lists each with its reason)",
                    one_line(&first.input)
                )?;
            }
        }
        shown += of_input;
        start += same_input;
    }
    let unlisted = list.len().saturating_sub(shown);
    if unlisted > 0 {
        writeln!(
            out,
            "  {unlisted} more in other inputs (--format jsonl lists each with its reason)"
        )?;
    }
    Ok(())
}

/// Prints what `gazette check` found.
pub fn write_check_report(out: &mut dyn Write, report: &CheckReport) -> io::Result<()> {
    writeln!(
        out,
        "{} segments, {} files checksummed, {} articles, {} passages, {} inputs recorded",
        report.segments, report.files_checked, report.articles, report.passages, report.inputs
    )?;
    if !report.missing_inputs.is_empty() {
        writeln!(
            out,
            "{} recorded inputs no longer exist (gazette index --prune removes their documents):",
            report.missing_inputs.len()
        )?;
        for input in &report.missing_inputs {
            writeln!(out, "  {}", one_line(input))?;
        }
    }
    if report.writer_active {
        writeln!(
            out,
            "a gazette index run is writing this index: this describes its last commit"
        )?;
    }
    if !report.leftovers.is_empty() {
        writeln!(
            out,
            "files no commit refers to (the next gazette index removes them):"
        )?;
        for name in &report.leftovers {
            writeln!(out, "  {}", one_line(name))?;
        }
    }
    if !report.foreign_files.is_empty() {
        writeln!(
            out,
            "files gazette did not write (left alone; better kept outside the index folder):"
        )?;
        for name in &report.foreign_files {
            writeln!(out, "  {}", one_line(name))?;
        }
    }
    if report.problems.is_empty() {
        writeln!(out, "ok")
    } else {
        for problem in &report.problems {
            writeln!(out, "problem: {}", one_line(problem))?;
        }
        Ok(())
    }
}

/// Prints the figures of `gazette bench`.
pub fn write_bench_report(out: &mut dyn Write, report: &BenchReport) -> io::Result<()> {
    let seconds = report.index.elapsed.as_secs_f64().max(f64::EPSILON);
    let megabytes = report.collection_bytes as f64 / 1e6;
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    writeln!(
        out,
        "collection  {megabytes:.1} MB, {} articles in {} files (generated in {:.1} s)",
        report.collection_articles,
        report.collection_files,
        report.generate_time.as_secs_f64()
    )?;
    writeln!(
        out,
        "indexing    {seconds:.2} s: {:.1} MB/s, {:.0} articles/s, {:.0} passages/s, entities {}",
        megabytes / seconds,
        report.index.articles as f64 / seconds,
        report.index.passages as f64 / seconds,
        if report.entities { "on" } else { "off" }
    )?;
    writeln!(
        out,
        "resources   {:.1} CPU s, peak RSS {:.0} MB, index {:.1} MB ({:.2}× the collection)",
        report.index_cpu.as_secs_f64(),
        report.peak_rss_bytes as f64 / 1e6,
        report.index_bytes as f64 / 1e6,
        report.index_bytes as f64 / report.collection_bytes.max(1) as f64
    )?;
    let stages = report.index.stages;
    writeln!(
        out,
        "stages      read {:.1} s · analyze {:.1} s · write {:.1} s · commit {:.1} s (thread-seconds)",
        stages.read.as_secs_f64(),
        stages.analyze.as_secs_f64(),
        stages.write.as_secs_f64(),
        stages.commit.as_secs_f64()
    )?;
    writeln!(
        out,
        "queries     {} in-process, top 10 with highlights: p50 {:.2} ms · p95 {:.2} ms · p99 {:.2} ms",
        report.query.count,
        ms(report.query.p50),
        ms(report.query.p95),
        ms(report.query.p99)
    )?;
    if let Some(process) = &report.process {
        writeln!(
            out,
            "processes   {} whole `gazette search` runs: p50 {:.1} ms · p95 {:.1} ms · p99 {:.1} ms",
            process.count,
            ms(process.p50),
            ms(process.p95),
            ms(process.p99)
        )?;
    }
    Ok(())
}

/// Prints index statistics.
pub fn write_stats(out: &mut dyn Write, stats: &IndexStats) -> io::Result<()> {
    writeln!(out, "articles:  {}", stats.articles)?;
    writeln!(out, "passages:  {}", stats.passages)?;
    let span = match (stats.first_published, stats.last_published) {
        (Some(first), Some(last)) => {
            format!(
                "{} to {}",
                first.format("%Y-%m-%d"),
                last.format("%Y-%m-%d")
            )
        }
        _ => "no dated articles".to_owned(),
    };
    writeln!(
        out,
        "published: {span} ({} undated)",
        stats.undated_articles
    )?;
    let languages: Vec<String> = stats
        .languages
        .iter()
        .map(|(code, count)| format!("{} {count}", one_line(code)))
        .collect();
    writeln!(out, "languages: {}", languages.join(", "))?;
    writeln!(
        out,
        "index:     {:.1} MB in {} segments",
        stats.index_bytes as f64 / 1_000_000.0,
        stats.segments
    )
}

/// Width of the longest bar of a chart, in characters.
const BAR_WIDTH: usize = 40;

/// Prints facet counts: the timelines (or the histogram) and the lists of
/// top values as bar charts. `measure` chooses what the timelines count.
pub fn write_facets(
    out: &mut dyn Write,
    counts: &FacetCounts,
    measure: Measure,
    style: Style,
) -> io::Result<()> {
    let heading = |text: &str| style.paint(BOLD, text);
    let timelines = &counts.timelines;
    let asked = timelines.asked;
    if asked {
        for series in &timelines.series {
            writeln!(out, "{}", series_summary(series))?;
        }
    } else {
        writeln!(
            out,
            "{} articles, {} matching passages",
            counts.articles, counts.passages
        )?;
    }
    for series in &timelines.series {
        let title = chart_title(counts, measure);
        let title = if timelines.series.len() > 1 {
            format!("{title}: {}", series_name(series))
        } else {
            title
        };
        writeln!(out, "\n{}", heading(&title))?;
        let items = series_bars(timelines, series, measure);
        bars_of(out, &items, style)?;
        let undated = match measure {
            Measure::Articles => series.undated.articles,
            Measure::Passages => series.undated.passages,
        };
        if undated > 0 {
            let note = match counts.filters.date {
                DateBasis::Crawled => format!("({undated} without a crawl date)"),
                DateBasis::Published | DateBasis::Either => format!("({undated} undated)"),
            };
            writeln!(out, "{}", style.paint(DIM, &note))?;
        }
    }
    if !asked {
        write_lists(out, counts, style)?;
    }
    if let Some(cooccur) = &counts.cooccur {
        writeln!(
            out,
            "\n{}",
            heading(&format!(
                "In the same passages as {} ({} passages)",
                one_line(&cooccur.entity.1),
                cooccur.passages
            ))
        )?;
        let items: Vec<(String, u64)> = cooccur
            .entities
            .iter()
            .map(|(kind, name, count)| (format!("{name} ({})", kind.as_str()), *count))
            .collect();
        bars(out, &items, style)?;
    }
    Ok(())
}

/// The lists of top values, one section each.
fn write_lists(out: &mut dyn Write, counts: &FacetCounts, style: Style) -> io::Result<()> {
    let heading = |text: &str| style.paint(BOLD, text);
    for (kind, items) in &counts.entities {
        if items.is_empty() {
            continue;
        }
        let title = match kind {
            EntityKind::Person => "People",
            EntityKind::Org => "Organisations",
            EntityKind::Place => "Places",
            EntityKind::Misc => "Other names",
        };
        writeln!(out, "\n{}", heading(title))?;
        bars(out, items, style)?;
    }
    writeln!(out, "\n{}", heading("Languages"))?;
    bars(out, &counts.languages, style)?;
    writeln!(out, "\n{}", heading("Sources"))?;
    bars(out, &counts.sources, style)?;
    if !counts.countries.is_empty() {
        writeln!(out, "\n{}", heading("Countries"))?;
        bars(out, &counts.countries, style)?;
    }
    Ok(())
}

/// `7 articles mention Gustavo Petro (person) in 46 matching passages`.
fn series_summary(series: &Series) -> String {
    match &series.entity {
        Some((kind, name)) => format!(
            "{} articles mention {} ({}) in {} matching passages",
            series.total.articles,
            one_line(name),
            kind.as_str(),
            series.total.passages
        ),
        None => format!(
            "{} articles match {} in {} passages",
            series.total.articles,
            one_line(&series.name),
            series.total.passages
        ),
    }
}

/// What a series is called in a chart: the entity it names, else the
/// query as typed.
pub(crate) fn series_name(series: &Series) -> String {
    match &series.entity {
        Some((kind, name)) => format!("{} ({})", one_line(name), kind.as_str()),
        None => one_line(&series.name).into_owned(),
    }
}

/// `Articles by month`, `Share of all passages by week (%)`.
pub(crate) fn chart_title(counts: &FacetCounts, measure: Measure) -> String {
    let by = counts.by.as_str();
    match (measure, counts.timelines.totals.is_some()) {
        (Measure::Articles, false) => format!("Articles by {by}"),
        (Measure::Passages, false) => format!("Passages by {by}"),
        (Measure::Articles, true) => format!("Share of all articles by {by} (%)"),
        (Measure::Passages, true) => format!("Share of all passages by {by} (%)"),
    }
}

/// The value of each period of `series`: its count, or its share in
/// percent of the period's total when the timelines were normalised.
pub(crate) fn series_values(timelines: &Timelines, series: &Series, measure: Measure) -> Vec<f64> {
    series
        .counts
        .iter()
        .enumerate()
        .map(|(i, tally)| {
            let pick = |(articles, passages): (f64, f64)| match measure {
                Measure::Articles => articles,
                Measure::Passages => passages,
            };
            match &timelines.totals {
                Some(totals) => {
                    let total = totals.get(i).copied().unwrap_or_default();
                    100.0 * pick(tally.share_of(&total))
                }
                None => pick((tally.articles as f64, tally.passages as f64)),
            }
        })
        .collect()
}

/// Label, value and the value as printed, per period.
fn series_bars(
    timelines: &Timelines,
    series: &Series,
    measure: Measure,
) -> Vec<(String, f64, String)> {
    let values = series_values(timelines, series, measure);
    timelines
        .periods
        .iter()
        .zip(values)
        .map(|(start, value)| {
            let shown = if timelines.totals.is_some() {
                format!("{value:.1}%")
            } else {
                format!("{value}")
            };
            (timelines.by.label(*start), value, shown)
        })
        .collect()
}

/// One line per item: label, count and a bar scaled to the largest count.
fn bars(out: &mut dyn Write, items: &[(String, u64)], style: Style) -> io::Result<()> {
    let items: Vec<(String, f64, String)> = items
        .iter()
        .map(|(label, count)| (label.clone(), *count as f64, count.to_string()))
        .collect();
    bars_of(out, &items, style)
}

/// One line per item: label, value as printed and a bar scaled to the
/// largest value.
fn bars_of(out: &mut dyn Write, items: &[(String, f64, String)], style: Style) -> io::Result<()> {
    let max = items.iter().map(|(_, value, _)| *value).fold(0.0, f64::max);
    let width = items
        .iter()
        .map(|(label, _, _)| label.chars().count())
        .max()
        .unwrap_or(0)
        .min(40);
    let digits = items
        .iter()
        .map(|(_, _, shown)| shown.chars().count())
        .max()
        .unwrap_or(0);
    for (label, value, shown) in items {
        let length = if max > 0.0 {
            ((value / max) * BAR_WIDTH as f64).ceil() as usize
        } else {
            0
        };
        let label: String = one_line(label).chars().take(40).collect();
        writeln!(
            out,
            "  {label:<width$}  {shown:>digits$}  {}",
            style.paint(RANK, &"\u{2588}".repeat(length))
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_cannot_reach_the_terminal() {
        assert_eq!(sanitize("plain text\n"), "plain text\n");
        assert_eq!(
            sanitize("a\x1b[31mred\r\u{202E}b"),
            "a\u{241b}[31mred\u{240d}\u{FFFD}b"
        );
        assert_eq!(sanitize("\u{9b}x"), "\u{FFFD}x");
    }

    #[test]
    fn an_interrupted_run_says_how_to_finish() {
        let report = IndexReport {
            interrupted: true,
            not_read: 3,
            unchanged: 2,
            ..IndexReport::default()
        };
        let mut out = Vec::new();
        write_index_report(&mut out, &report).expect("writes");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(
            text.contains("2 files unchanged since the last run"),
            "{text}"
        );
        assert!(
            text.contains("interrupted: what was read is committed; 3 files were not read"),
            "{text}"
        );
        assert!(
            text.contains("Run the same command again to finish."),
            "{text}"
        );
    }

    #[test]
    fn markers_surround_highlights() {
        let text = "Illegal gold mining grew.";
        let start = text.find("gold").expect("present");
        let gold_mining: Vec<_> = std::iter::once(start..start + 11).collect();
        let marked = highlighted(text, &gold_mining, Style::Plain);
        assert_eq!(marked, "Illegal [[gold mining]] grew.");
        let gold: Vec<_> = std::iter::once(start..start + 4).collect();
        let painted = highlighted(text, &gold, Style::Color);
        assert_eq!(painted, format!("Illegal {MATCH}gold{RESET} mining grew."));
        let words = vec![start..start + 4, start + 5..start + 11];
        assert_eq!(highlighted(text, &words, Style::Plain), marked);
    }
}
