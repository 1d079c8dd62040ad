//! CSV export of hits (a header and one row per hit, columns chosen with
//! `--fields`) and of the timelines of `gazette facets` (one row per series
//! and period: a long table, ready for a spreadsheet's pivot or a plotting
//! library).
//!
//! Cells hold archived text, which is untrusted: control characters,
//! bidirectional overrides and invisible characters are replaced as for the
//! terminal ([`super::text::sanitize`]; newlines and tabs stay, quoted),
//! and a text cell that a spreadsheet would run as a formula (starting with
//! `=`, `+`, `-`, `@`, a tab or a carriage return, as OWASP lists them)
//! gets a leading `'` unless the caller asks for raw formulas.

use std::io::Write;

use super::json::HitOutput;
use super::text::sanitize;
use crate::search::{FacetCounts, SearchResults};

/// Every column a CSV export can have.
pub const COLUMNS: &[&str] = &[
    "rank",
    "score",
    "article_id",
    "passage",
    "title",
    "published",
    "lang",
    "source",
    "url",
    "text",
    "highlights",
    "file",
    "record",
    "countries",
];

/// Columns when `--fields` is not given.
pub const DEFAULT_COLUMNS: &[&str] = &[
    "rank",
    "score",
    "published",
    "lang",
    "source",
    "title",
    "url",
    "article_id",
    "passage",
    "text",
];

/// Checks a `--fields` list against [`COLUMNS`].
pub fn parse_columns(spec: &str) -> Result<Vec<String>, String> {
    let columns: Vec<String> = spec
        .split(',')
        .map(|column| column.trim().to_owned())
        .filter(|column| !column.is_empty())
        .collect();
    if columns.is_empty() {
        return Err("--fields names no column".to_owned());
    }
    if let Some(unknown) = columns
        .iter()
        .find(|column| !COLUMNS.contains(&column.as_str()))
    {
        return Err(format!(
            "--fields: unknown column `{unknown}`; columns are {}",
            COLUMNS.join(", ")
        ));
    }
    Ok(columns)
}

/// How formula-like cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Formulas {
    /// A leading `'` keeps spreadsheets from running them.
    #[default]
    Neutralise,
    /// As archived (`--csv-raw-formulas`), for tools that read CSV as data.
    Raw,
}

/// Columns whose cells are numbers gazette computed, never archived text.
const NUMERIC_COLUMNS: &[&str] = &["rank", "score", "passage", "record"];

/// Writes hits as CSV.
pub fn write_hits(
    out: &mut dyn Write,
    results: &SearchResults,
    columns: &[String],
    formulas: Formulas,
) -> csv::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(columns)?;
    for hit in &results.hits {
        let wire = HitOutput::from_hit(hit);
        let row: Vec<String> = columns
            .iter()
            .map(|column| {
                let value = cell(&wire, column);
                if NUMERIC_COLUMNS.contains(&column.as_str()) {
                    value
                } else {
                    safe_cell(&value, formulas)
                }
            })
            .collect();
        writer.write_record(&row)?;
    }
    writer.flush()?;
    Ok(())
}

/// The columns of a timelines export.
pub const TIMELINE_COLUMNS: &[&str] = &[
    "series",
    "entity_type",
    "entity",
    "period",
    "start",
    "articles",
    "passages",
    "total_articles",
    "total_passages",
    "share",
    "passage_share",
];

/// Writes the timelines of facet counts as CSV: a row per series and
/// period, in the order of the series, then of the periods; totals and
/// shares are empty unless the counts were normalised.
pub fn write_timelines(
    out: &mut dyn Write,
    counts: &FacetCounts,
    formulas: Formulas,
) -> csv::Result<()> {
    let timelines = &counts.timelines;
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(TIMELINE_COLUMNS)?;
    for series in &timelines.series {
        let (kind, entity) = series
            .entity
            .as_ref()
            .map_or(("", ""), |(kind, name)| (kind.as_str(), name.as_str()));
        for (i, (start, tally)) in timelines.periods.iter().zip(&series.counts).enumerate() {
            let total = timelines
                .totals
                .as_ref()
                .map(|totals| totals.get(i).copied().unwrap_or_default());
            let shares = total.map(|total| tally.share_of(&total));
            let optional = |value: Option<String>| value.unwrap_or_default();
            writer.write_record([
                safe_cell(&series.name, formulas),
                kind.to_owned(),
                safe_cell(entity, formulas),
                timelines.by.label(*start),
                start.format("%Y-%m-%d").to_string(),
                tally.articles.to_string(),
                tally.passages.to_string(),
                optional(total.map(|t| t.articles.to_string())),
                optional(total.map(|t| t.passages.to_string())),
                optional(shares.map(|(articles, _)| format!("{articles:.6}"))),
                optional(shares.map(|(_, passages)| format!("{passages:.6}"))),
            ])?;
        }
    }
    writer.flush()?;
    Ok(())
}

/// A text cell with controls replaced and, unless `formulas` is
/// [`Formulas::Raw`], a leading `'` before what a spreadsheet would run.
fn safe_cell(value: &str, formulas: Formulas) -> String {
    let clean = sanitize(value);
    let formula = clean.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula && formulas == Formulas::Neutralise {
        format!("'{clean}")
    } else {
        clean.into_owned()
    }
}

fn cell(hit: &HitOutput<'_>, column: &str) -> String {
    let optional = |value: Option<&str>| value.unwrap_or_default().to_owned();
    match column {
        "rank" => hit.rank.to_string(),
        "score" => hit
            .score
            .map(|score| format!("{score:.4}"))
            .unwrap_or_default(),
        "article_id" => hit.article_id.to_owned(),
        "passage" => hit.passage.to_string(),
        "title" => optional(hit.title),
        "published" => optional(hit.published.as_deref()),
        "lang" => hit.lang.to_owned(),
        "source" => hit.source.to_owned(),
        "url" => optional(hit.url),
        "text" => hit.text.to_owned(),
        "highlights" => serde_json::to_string(&hit.highlights).unwrap_or_default(),
        "file" => hit.provenance.file.to_owned(),
        "record" => hit
            .provenance
            .record
            .map(|r| r.to_string())
            .unwrap_or_default(),
        // Country names come from the shipped tables, none of which holds
        // a `;`: one cell, the names joined.
        "countries" => hit.countries.join("; "),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_unless_asked_raw() {
        for formula in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"] {
            assert_eq!(
                safe_cell(formula, Formulas::Neutralise),
                format!("'{formula}")
            );
            assert_eq!(safe_cell(formula, Formulas::Raw), formula);
        }
        assert_eq!(safe_cell("a=1", Formulas::Neutralise), "a=1");
        // A carriage return is replaced first, so it cannot start a formula.
        assert_eq!(safe_cell("\r=1", Formulas::Neutralise), "\u{240d}=1");
    }

    #[test]
    fn controls_and_bidi_never_reach_a_cell_raw() {
        let cell = safe_cell("a\x1b]8;;x\x07b\u{202E}c\nd", Formulas::Neutralise);
        assert_eq!(cell, "a\u{241b}]8;;x\u{2407}b\u{FFFD}c\nd");
    }
}
