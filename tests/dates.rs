//! Published dates: datelines only where they are datelines, the date
//! formats of archives' metadata, `--date-order`, `--date-format`, the
//! latest possible date, and `extract --explain-dates`.

use std::path::Path;

use crate::util::gazette;

/// `gazette extract --format jsonl` with `extra` arguments: one JSON value
/// per article.
fn extract_with(path: &Path, extra: &[&str]) -> Vec<serde_json::Value> {
    let output = gazette()
        .args(["extract", "--format", "jsonl"])
        .args(extra)
        .arg(path)
        .output()
        .expect("runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect()
}

fn published(article: &serde_json::Value) -> Option<&str> {
    article["published"].as_str()
}

// See: issue 18
#[test]
fn issue_18_a_date_inside_a_sentence_never_dates_an_article() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, body) in [
        (
            "obituary.txt",
            "Ada Smith, teacher\n\nBorn in Luton, Bedfordshire, on 5 April 1920, she taught for forty years.\n\n\
             She died on 2 March 2019 at home.",
        ),
        (
            "died.txt",
            "A farmer\n\nHe died on March 5, 2001, in the house where he was born.",
        ),
        (
            "history.txt",
            "The mill\n\nIn 1920, the mill closed; on 5 April 1920 the workers left.",
        ),
        (
            "later.txt",
            "A title line\n\nA first line\n\nA second line\n\nLIMA, May 1, 2020 — too far down to be a dateline.",
        ),
    ] {
        std::fs::write(dir.path().join(name), body).expect("write");
    }
    let articles = extract_with(dir.path(), &[]);
    assert_eq!(articles.len(), 4);
    for article in &articles {
        assert_eq!(published(article), None, "{article}");
        assert_eq!(article["date_origin"], "none");
    }
    std::fs::write(
        dir.path().join("wire.txt"),
        "Talks\n\nLIMA, Peru, May 1, 2020 — The talks resumed.",
    )
    .expect("write");
    let wire = extract_with(&dir.path().join("wire.txt"), &[]);
    assert_eq!(published(&wire[0]), Some("2020-05-01"));
    assert_eq!(wire[0]["date_origin"], "dateline");
}

// See: issue 18
#[test]
fn issue_18_an_obituary_page_is_dated_by_its_page_not_its_subject() {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = dir.path().join("obituary.html");
    std::fs::write(
        &page,
        r#"<html><head><title>Ada Smith</title></head><body><article>
        <h1>Ada Smith, teacher</h1>
        <p class="meta">Posted 3 March 2019</p>
        <p>Born in Luton on 5 April 1920, Ada Smith taught children to read for forty years.</p>
        <p>She died on 1 March 2019, at home, surrounded by the family she loved so much.</p>
        </article></body></html>"#,
    )
    .expect("write");
    let articles = extract_with(&page, &[]);
    assert_eq!(published(&articles[0]), Some("2019-03-03"));
}

/// A JSON Lines export whose `date` field is each value in turn.
fn dates_of(values: &[&str], extra: &[&str]) -> Vec<(Option<String>, Vec<String>)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("export.jsonl");
    let lines: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, value)| {
            serde_json::json!({"id": format!("r{i}"), "title": "T", "date": value,
                               "body": format!("Story number {i} about the harbour.")})
            .to_string()
        })
        .collect();
    std::fs::write(&path, lines.join("\n")).expect("write");
    extract_with(&path, extra)
        .iter()
        .map(|article| {
            let warnings = article["warnings"]
                .as_array()
                .map(|list| {
                    list.iter()
                        .filter_map(|w| w.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            (published(article).map(str::to_owned), warnings)
        })
        .collect()
}

// See: issue 18
#[test]
fn issue_18_each_metadata_date_format_is_read() {
    let values = [
        "1987-02-26",
        "1987-02-26T15:01:01",
        "1987-02-26T15:01:01Z",
        "1987-02-26T22:01:01-05:00",
        "Thu, 26 Feb 1987 15:01:01 +0000",
        "26-FEB-1987 15:01:01.79",
        "Feb 26, 1987",
        "26/02/1987",
        "02/26/1987",
        "26.02.1987",
        "541339200",
        "541339200000",
    ];
    let got = dates_of(&values, &[]);
    assert_eq!(got.len(), values.len());
    for ((date, warnings), value) in got.iter().zip(values) {
        assert_eq!(date.as_deref(), Some("1987-02-26"), "{value}");
        assert!(warnings.is_empty(), "{value}: {warnings:?}");
    }
}

// See: issue 18
#[test]
fn issue_18_numeric_dates_follow_the_stated_order_and_ambiguity_is_a_warning() {
    let got = dates_of(&["03/02/1987"], &[]);
    assert_eq!(got[0].0, None, "kept, undated");
    assert!(
        got[0].1.iter().any(|w| w.contains("--date-order")),
        "{:?}",
        got[0].1
    );
    let got = dates_of(&["03/02/1987"], &["--date-order", "dmy"]);
    assert_eq!(got[0].0.as_deref(), Some("1987-02-03"));
    let got = dates_of(&["03/02/1987 10:30"], &["--date-order", "mdy"]);
    assert_eq!(got[0].0.as_deref(), Some("1987-03-02"));
}

// See: issue 18
#[test]
fn issue_18_date_format_reads_what_nothing_else_does_and_bad_dates_keep_the_article() {
    let got = dates_of(&["26 février 1987 à 15h01", "Donnerstag"], &[]);
    assert_eq!(got.len(), 2, "both articles are kept");
    for (date, warnings) in &got {
        assert_eq!(date, &None);
        assert!(
            warnings.iter().any(|w| w.contains("is not a date")),
            "{warnings:?}"
        );
    }
    assert!(got[1].1.iter().any(|w| w.contains("`Donnerstag`")));
    let got = dates_of(&["1987|057"], &["--date-format", "%Y|%j"]);
    assert_eq!(got[0].0.as_deref(), Some("1987-02-26"));
    let got = dates_of(&["26.2.87 15h01"], &["--date-format", "%d.%m.%y %Hh%M"]);
    assert_eq!(got[0].0.as_deref(), Some("1987-02-26"));
    let refused = gazette()
        .args(["extract", "--date-format", "%Q", "."])
        .output()
        .expect("runs");
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--date-format"));
}

// See: issue 18
#[test]
fn issue_18_no_date_after_the_crawl_and_explain_dates_says_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = dir.path().join("page.html");
    std::fs::write(
        &page,
        r#"<html><head>
        <meta property="article:published_time" content="2099-01-01T10:00:00Z">
        <meta property="article:modified_time" content="2021-06-04T10:00:00Z">
        <script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2021-06-03T14:20:00Z"}</script>
        </head><body><article><h1>Harbour</h1>
        <p>The harbour reopened after the storm, and the boats went out again at dawn.</p>
        </article></body></html>"#,
    )
    .expect("write");
    let articles = extract_with(&page, &["--explain-dates"]);
    let article = &articles[0];
    assert_eq!(published(article), Some("2021-06-03"));
    assert_eq!(article["date_origin"], "json-ld");
    let dates = &article["dates"];
    assert_eq!(dates["crawled"], serde_json::Value::Null);
    let candidates = dates["candidates"].as_array().expect("candidates");
    let verdict = |value: &str| {
        candidates
            .iter()
            .find(|c| c["value"] == value)
            .and_then(|c| c["verdict"].as_str())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(verdict("2099-01-01T10:00:00Z").starts_with("after the latest"));
    assert!(verdict("2021-06-03T14:20:00Z").starts_with("chosen"));
    assert!(verdict("2021-06-04T10:00:00Z").starts_with("outranked"));
    let text = gazette()
        .args(["extract", "--format", "text", "--explain-dates"])
        .arg(&page)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("published 2021-06-03 (json-ld)"), "{text}");
    assert!(text.contains("crawled none"), "{text}");
    assert!(text.contains("* json-ld"), "{text}");
    assert!(text.contains("after the latest possible date"), "{text}");
}
