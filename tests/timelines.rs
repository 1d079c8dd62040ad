//! Issue 18: one date for facets, filters and date sorts (`--date`), and
//! timelines (`--by`, several `--timeline`, `--normalize`, `--count`,
//! `--plot`, CSV), on collections made here.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::util::{gazette, index_json, search_index};

/// A WARC response record of an HTML page, crawled at `date`.
fn warc_record(uri: &str, date: &str, html: &str) -> Vec<u8> {
    let block = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}");
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\n\
         WARC-Record-ID: <urn:uuid:{uri}>\r\nContent-Type: application/http; msgtype=response\r\n\
         Content-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block.as_bytes());
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// A news page about `topic`, with `head` in its `<head>`.
fn page(topic: &str, head: &str) -> String {
    format!(
        "<html><head><title>{topic} report</title>{head}</head><body><article><h1>{topic} report</h1>\
         <p>{}</p></article></body></html>",
        format!("Rangers counted the {topic} population along the river again this year. ")
            .repeat(4)
    )
}

/// A JSON Lines article.
fn line(id: &str, date: &str, text: &str) -> String {
    serde_json::json!({"id": id, "title": format!("Report {id}"), "date": date, "body": text, "lang": "en"})
        .to_string()
        + "\n"
}

/// Indexes `files` (name, bytes) written in a new temporary folder.
fn indexed(files: &[(&str, Vec<u8>)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("inputs");
    std::fs::create_dir_all(&inputs).expect("mkdir");
    for (name, bytes) in files {
        std::fs::write(inputs.join(name), bytes).expect("write");
    }
    let index = dir.path().join("index");
    let (code, report) = index_json(&index, &[&inputs]);
    assert_eq!(code, 0, "{:?}", report.failed);
    (dir, index)
}

#[derive(Debug, Deserialize)]
struct Facets {
    articles: u64,
    histogram: Histogram,
    timelines: Timelines,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Histogram {
    by: String,
    date: String,
    buckets: Vec<Count>,
    undated: u64,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Count {
    name: String,
    count: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Timelines {
    by: String,
    date: String,
    series: Vec<SeriesJson>,
    totals: Option<Vec<TallyJson>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeriesJson {
    name: String,
    entity: Option<EntityJson>,
    articles: u64,
    passages: u64,
    undated: TallyJson,
    buckets: Vec<BucketJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntityJson {
    #[serde(rename = "type")]
    kind: String,
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TallyJson {
    name: Option<String>,
    articles: u64,
    passages: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BucketJson {
    name: String,
    start: String,
    articles: u64,
    passages: u64,
    share: Option<f64>,
    passage_share: Option<f64>,
}

fn facets(index: &Path, args: &[&str]) -> Facets {
    let output = gazette()
        .args(["facets", "--format", "json", "--index"])
        .arg(index)
        .args(args)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "facets {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("facets JSON")
}

fn buckets(histogram: &Histogram) -> Vec<(&str, u64)> {
    histogram
        .buckets
        .iter()
        .map(|bucket| (bucket.name.as_str(), bucket.count))
        .collect()
}

/// Two undated pages crawled in 2014, a page published in 2013 and crawled
/// in 2014, and two JSON articles published in 2014 and 2015.
fn captures_and_articles() -> (tempfile::TempDir, PathBuf) {
    let mut warc = warc_record(
        "http://news.example/a.html",
        "2014-06-10T08:00:00Z",
        &page("otter", ""),
    );
    warc.extend(warc_record(
        "http://news.example/b.html",
        "2014-07-01T08:00:00Z",
        &page("heron", ""),
    ));
    warc.extend(warc_record(
        "http://news.example/c.html",
        "2014-08-01T08:00:00Z",
        &page(
            "beaver",
            r#"<meta property="article:published_time" content="2013-02-01T09:00:00Z">"#,
        ),
    ));
    let jsonl = line(
        "j2014",
        "2014-03-01",
        "The otter survey of the lower river.",
    ) + &line(
        "j2015",
        "2015-01-02",
        "The heron survey of the upper river.",
    );
    indexed(&[("crawl.warc", warc), ("wire.jsonl", jsonl.into_bytes())])
}

// See: issue 18
#[test]
fn issue_18_an_undated_capture_is_counted_and_found_by_its_crawl_date() {
    let (_dir, index) = captures_and_articles();

    let either = facets(&index, &[]);
    assert_eq!(either.articles, 5);
    assert_eq!(either.histogram.date, "either");
    assert_eq!(
        buckets(&either.histogram),
        [("2013", 1), ("2014", 3), ("2015", 1)],
        "the undated captures are in their crawl year"
    );
    assert_eq!(either.histogram.undated, 0);

    let published = facets(&index, &["--date", "published"]);
    assert_eq!(
        buckets(&published.histogram),
        [("2013", 1), ("2014", 1), ("2015", 1)]
    );
    assert_eq!(published.histogram.undated, 2);

    let crawled = facets(&index, &["--date", "crawled", "--by", "month"]);
    assert_eq!(
        buckets(&crawled.histogram),
        [("2014-06", 1), ("2014-07", 1), ("2014-08", 1)]
    );
    assert_eq!(
        crawled.histogram.undated, 2,
        "the JSON articles were not crawled"
    );
    let text = gazette()
        .args(["facets", "--date", "crawled", "--index"])
        .arg(&index)
        .output()
        .expect("runs");
    let text = String::from_utf8(text.stdout).expect("utf-8");
    assert!(text.contains("(2 without a crawl date)"), "{text}");

    let ids = |extra: &[&str]| {
        let mut args = vec!["--from", "2014", "--to", "2014", "--per-article", "1"];
        args.extend_from_slice(extra);
        let mut titles: Vec<String> = search_index(&index, "*", &args)
            .hits
            .into_iter()
            .filter_map(|hit| hit.title)
            .collect();
        titles.sort();
        titles
    };
    assert_eq!(
        ids(&[]),
        ["Report j2014", "heron report", "otter report"],
        "--from/--to find the undated captures by their crawl date"
    );
    assert_eq!(ids(&["--date", "published"]), ["Report j2014"]);
    assert_eq!(
        ids(&["--date", "crawled"]),
        ["beaver report", "heron report", "otter report"]
    );

    let oldest = search_index(&index, "*", &["--sort", "oldest", "--per-article", "1"]);
    let order: Vec<String> = oldest.hits.into_iter().filter_map(|h| h.title).collect();
    assert_eq!(
        order,
        [
            "beaver report",
            "Report j2014",
            "otter report",
            "heron report",
            "Report j2015"
        ],
        "date sorts use the same date"
    );
}

/// Articles per year, and which of them mention the lighthouse and the harbour.
fn constructed() -> (tempfile::TempDir, PathBuf) {
    let mut jsonl = String::new();
    let years = [
        // year, articles, about the lighthouse, about the harbour
        ("2020", 4, 1, 2),
        ("2021", 2, 2, 0),
        ("2022", 5, 0, 1),
    ];
    for (year, articles, lighthouse, harbour) in years {
        for n in 0..articles {
            let mut text = String::from("The council met about the budget. ");
            if n < lighthouse {
                text.push_str("The lighthouse keeper spoke. ");
            }
            if n >= articles - harbour {
                text.push_str("The harbour master spoke. ");
            }
            jsonl.push_str(&line(
                &format!("a{year}-{n}"),
                &format!("{year}-05-0{}", n + 1),
                &text,
            ));
        }
    }
    indexed(&[("wire.jsonl", jsonl.into_bytes())])
}

// See: issue 18
#[test]
fn issue_18_normalized_timelines_are_shares_of_each_periods_articles() {
    let (_dir, index) = constructed();
    let counts = facets(&index, &["--timeline", "lighthouse", "--normalize"]);
    let totals: Vec<u64> = counts
        .timelines
        .totals
        .as_ref()
        .expect("totals")
        .iter()
        .map(|tally| tally.articles)
        .collect();
    assert_eq!(totals, [4, 2, 5]);
    let total_names: Vec<Option<&str>> = counts
        .timelines
        .totals
        .iter()
        .flatten()
        .map(|t| t.name.as_deref())
        .collect();
    assert_eq!(total_names, [Some("2020"), Some("2021"), Some("2022")]);
    let [series] = counts.timelines.series.as_slice() else {
        panic!("one series: {:?}", counts.timelines.series);
    };
    assert_eq!((series.name.as_str(), series.articles), ("lighthouse", 3));
    assert!(series.entity.is_none(), "a word, not an entity");
    let shares: Vec<(&str, u64, Option<f64>)> = series
        .buckets
        .iter()
        .map(|b| (b.name.as_str(), b.articles, b.share))
        .collect();
    assert_eq!(
        shares,
        [
            ("2020", 1, Some(0.25)),
            ("2021", 2, Some(1.0)),
            ("2022", 0, Some(0.0))
        ]
    );
    // The query itself as the series gives the same shares.
    let by_query = facets(&index, &["lighthouse", "--normalize"]);
    let query_shares: Vec<Option<f64>> = by_query.timelines.series[0]
        .buckets
        .iter()
        .map(|b| b.share)
        .collect();
    assert_eq!(query_shares, [Some(0.25), Some(1.0), Some(0.0)]);
    // Each article is one passage here: passages have the same shares.
    let totals = counts.timelines.totals.as_ref().expect("totals");
    for (bucket, total) in series.buckets.iter().zip(totals) {
        assert_eq!(total.passages, total.articles);
        assert_eq!(bucket.passage_share, bucket.share, "{bucket:?}");
    }
    assert!(facets(&index, &["lighthouse"]).timelines.totals.is_none());

    let text = gazette()
        .args([
            "facets",
            "--timeline",
            "lighthouse",
            "--normalize",
            "--index",
        ])
        .arg(&index)
        .output()
        .expect("runs");
    let text = String::from_utf8(text.stdout).expect("utf-8");
    assert!(text.contains("Share of all articles by year (%)"), "{text}");
    assert!(
        text.contains("2020   25.0%") && text.contains("2021  100.0%"),
        "{text}"
    );
}

// See: issue 18
#[test]
fn issue_18_several_timelines_share_their_periods() {
    let (_dir, index) = constructed();
    let counts = facets(
        &index,
        &[
            "--timeline",
            "lighthouse",
            "--timeline",
            "harbour OR budget",
            "--by",
            "quarter",
        ],
    );
    assert_eq!(counts.timelines.by, "quarter");
    assert_eq!(counts.timelines.date, "either");
    let series: Vec<(&str, u64, Vec<u64>)> = counts
        .timelines
        .series
        .iter()
        .map(|s| {
            (
                s.name.as_str(),
                s.articles,
                s.buckets.iter().map(|b| b.articles).collect(),
            )
        })
        .collect();
    // Quarters from 2020-Q2 to 2022-Q2, each year's articles in its Q2.
    let with = |q2s: [u64; 3]| {
        let mut counts = vec![0u64; 9];
        counts[0] = q2s[0];
        counts[4] = q2s[1];
        counts[8] = q2s[2];
        counts
    };
    assert_eq!(
        series,
        [
            ("lighthouse", 3, with([1, 2, 0])),
            ("harbour OR budget", 11, with([4, 2, 5])),
        ]
    );
    let first = &counts.timelines.series[0].buckets;
    assert_eq!(
        (first[0].name.as_str(), first[0].start.as_str()),
        ("2020-Q2", "2020-04-01")
    );
    for series in &counts.timelines.series {
        let passages: u64 = series.buckets.iter().map(|b| b.passages).sum();
        assert_eq!(passages + series.undated.passages, series.passages);
        assert_eq!(series.undated.articles, 0);
    }
    assert!(counts.timelines.series[0].buckets[0].passages >= 1);

    // CSV: a row per series and period.
    let output = gazette()
        .args([
            "facets",
            "--timeline",
            "lighthouse",
            "--timeline",
            "harbour",
            "--format",
            "csv",
            "--index",
        ])
        .arg(&index)
        .output()
        .expect("runs");
    let csv = String::from_utf8(output.stdout).expect("utf-8");
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows.first().copied(),
        Some("series,entity_type,entity,period,start,articles,passages,total_articles,total_passages,share,passage_share")
    );
    assert_eq!(rows.len(), 1 + 2 * 3, "{csv}");
    assert!(rows.contains(&"harbour,,,2020,2020-01-01,2,2,,,,"), "{csv}");
}

// See: issue 18
#[test]
fn issue_18_an_entity_timeline_counts_the_articles_naming_it() {
    let jsonl = line("m1", "2019-01-05", "Nicolás Maduro spoke in Caracas.")
        + &line("m2", "2019-02-05", "The council met.")
        + &line("m3", "2020-01-05", "Maduro and Nicolás Maduro again.");
    let (_dir, index) = indexed(&[("wire.jsonl", jsonl.into_bytes())]);
    let counts = facets(
        &index,
        &["--timeline", "nicolas maduro", "--timeline", "council"],
    );
    let maduro = &counts.timelines.series[0];
    let entity = maduro.entity.as_ref().expect("an entity");
    assert_eq!(
        (entity.kind.as_str(), entity.name.as_str()),
        ("person", "Nicolás Maduro")
    );
    let per_year: Vec<u64> = maduro.buckets.iter().map(|b| b.articles).collect();
    assert_eq!(per_year, [1, 1]);
    assert_eq!(counts.timelines.series[1].articles, 1);

    // An entity of the authority that no article names is taken for words.
    let absent = facets(&index, &["--timeline", "Organization of American States"]);
    let series = &absent.timelines.series[0];
    assert!(series.entity.is_none(), "{series:?}");
    assert_eq!(series.articles, 0);
}

// See: issue 18
#[test]
fn issue_18_weeks_quarters_and_days_have_calendar_edges() {
    // 2024-12-29 is a Sunday (ISO week 52 of 2024); 2024-12-30 a Monday in
    // week 1 of 2025, which runs to Sunday 2025-01-05.
    let jsonl = ["2024-12-29", "2024-12-30", "2025-01-05", "2025-01-06"]
        .iter()
        .enumerate()
        .map(|(n, date)| line(&format!("d{n}"), date, "The council met."))
        .collect::<String>();
    let (_dir, index) = indexed(&[("wire.jsonl", jsonl.into_bytes())]);
    let weeks = facets(&index, &["--by", "week"]);
    assert_eq!(weeks.histogram.by, "week");
    assert_eq!(
        buckets(&weeks.histogram),
        [("2024-W52", 1), ("2025-W01", 2), ("2025-W02", 1)]
    );
    assert_eq!(
        weeks.timelines.series[0].buckets[1].start, "2024-12-30",
        "a week starts on its Monday"
    );
    let quarters = facets(&index, &["--by", "quarter"]);
    assert_eq!(
        buckets(&quarters.histogram),
        [("2024-Q4", 2), ("2025-Q1", 2)]
    );
    let days = facets(&index, &["--by", "day"]);
    assert_eq!(days.histogram.buckets.len(), 9, "2024-12-29 to 2025-01-06");
    assert_eq!(
        days.histogram.buckets.first(),
        Some(&Count {
            name: "2024-12-29".to_owned(),
            count: 1
        })
    );
}

/// The elements named `tag` in an SVG document with attribute `fill` (any
/// fill when `None`).
fn svg_elements(svg: &str, tag: &str, fill: Option<&str>) -> usize {
    svg.split('<')
        .filter(|element| element.starts_with(&format!("{tag} ")))
        .filter(|element| fill.is_none_or(|fill| element.contains(&format!("fill=\"{fill}\""))))
        .count()
}

/// The texts of an SVG document's `<text>` elements.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text ")
        .skip(1)
        .filter_map(|element| {
            let (_, rest) = element.split_once('>')?;
            let (text, _) = rest.split_once("</text>")?;
            Some(text.trim().to_owned())
        })
        .collect()
}

// See: issue 18
#[test]
fn issue_18_plots_are_valid_svg_and_png_with_a_bar_or_point_per_period() {
    let (dir, index) = constructed();
    let plot = |name: &str, args: &[&str]| -> Vec<u8> {
        let path = dir.path().join(name);
        gazette()
            .args(["facets", "--index"])
            .arg(&index)
            .args(args)
            .arg("--plot")
            .arg(&path)
            .assert()
            .success();
        std::fs::read(&path).expect("the chart is written")
    };

    // The histogram: one bar per month from 2020-05 to 2022-05.
    let svg = String::from_utf8(plot("months.svg", &["--by", "month"])).expect("utf-8");
    assert!(
        svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
        "{svg}"
    );
    assert_eq!(svg_elements(&svg, "rect", Some("#4E79A7")), 25);
    let texts = svg_texts(&svg);
    let has = |text: &str| texts.iter().any(|t| t == text);
    assert!(has("Articles by month"), "titled: {texts:?}");
    assert!(
        has("articles") && has("2021-05") && has("month of publication, else of crawl"),
        "axes labelled"
    );

    // Two timelines: a point per series and year.
    let svg = String::from_utf8(plot(
        "lines.svg",
        &[
            "--timeline",
            "lighthouse",
            "--timeline",
            "harbour",
            "--lang",
            "en",
        ],
    ))
    .expect("utf-8");
    assert_eq!(svg_elements(&svg, "circle", None), 2 * 3);
    assert_eq!(svg_elements(&svg, "rect", Some("#4E79A7")), 0);
    let texts = svg_texts(&svg);
    let has = |text: &str| texts.iter().any(|t| t == text);
    assert!(
        has("Articles by year: lang en"),
        "the filters are in the title: {texts:?}"
    );
    assert!(has("lighthouse") && has("harbour"), "a legend: {texts:?}");

    let png = plot("shares.png", &["--timeline", "lighthouse", "--normalize"]);
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG signature");
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let reader = decoder.read_info().expect("a valid PNG");
    let info = reader.info();
    assert_eq!((info.width, info.height), (1200, 600));

    gazette()
        .args(["facets", "--plot", "chart.pdf", "--index"])
        .arg(&index)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("name a .svg or a .png file"));
}

// See: issue 18
#[test]
fn issue_18_an_index_without_the_effective_date_is_refused_with_a_way_out() {
    let (_dir, index) = constructed();
    // What an index written before the field looks like.
    let meta_path = index.join("meta.json");
    let mut meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&meta_path).expect("meta.json")).expect("JSON");
    let fields = meta["schema"].as_array_mut().expect("schema fields");
    fields.retain(|field| field["name"] != "effective_date");
    std::fs::write(&meta_path, meta.to_string()).expect("write");
    gazette()
        .args(["facets", "--index"])
        .arg(&index)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "has no field `effective_date`, which this version of gazette writes",
        ))
        .stderr(predicates::str::contains("re-index into a new directory"));
}
