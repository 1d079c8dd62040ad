//! CSV export of hits: a header and one row per hit, columns chosen with
//! `--fields`.

use std::io::Write;

use super::json::HitOutput;
use crate::search::SearchResults;

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

/// Writes hits as CSV.
pub fn write_hits(
    out: &mut dyn Write,
    results: &SearchResults,
    columns: &[String],
) -> csv::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(columns)?;
    for hit in &results.hits {
        let wire = HitOutput::from_hit(hit);
        let row: Vec<String> = columns.iter().map(|column| cell(&wire, column)).collect();
        writer.write_record(&row)?;
    }
    writer.flush()?;
    Ok(())
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
        _ => String::new(),
    }
}
