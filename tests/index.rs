use std::io::Write;
use std::path::Path;

use crate::util::{corpus, gazette, index_json, index_json_with, search, IndexReportJson};

fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, bytes).expect("write");
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

fn article(title: &str, words: &str) -> String {
    format!("{title}\n\n{}\n", format!("{words} ").repeat(30))
}

/// Every bad input of the issue, beside good articles: each bad one is
/// accounted with its reason, and every good one is indexed.
#[test]
fn bad_inputs_are_accounted_and_good_neighbours_indexed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("inputs");
    let index = dir.path().join("index");

    write(
        &inputs.join("good-1.txt"),
        article("Good one", "zebra crossing").as_bytes(),
    );
    write(
        &inputs.join("good-2.md"),
        format!("# Good two\n\n{}", "quokka habitat ".repeat(30)).as_bytes(),
    );
    let jsonl = concat!(
        "{\"id\": \"j1\", \"title\": \"First\", \"body\": \"narwhal tusks are teeth\"}\n",
        "{\"id\": \"j2\", \"title\": \"Broken\", \"body\": \n",
        "{\"id\": \"j3\", \"title\": \"Third\", \"body\": \"axolotl regeneration\"}\n",
        "[\"not\", \"an\", \"object\"]\n",
        "{\"id\": \"j5\", \"title\": \"No body\"}\n",
    );
    write(&inputs.join("mixed.jsonl"), jsonl.as_bytes());
    write(
        &inputs.join("good.jsonl.gz"),
        &gzip(b"{\"id\": \"g1\", \"body\": \"pangolin scales\"}\n"),
    );
    let mut corrupt = gzip(b"{\"id\": \"c1\", \"body\": \"lost\"}\n");
    let middle = corrupt.len() / 2;
    corrupt[middle..].iter_mut().for_each(|byte| *byte = 0x55);
    write(&inputs.join("corrupt.jsonl.gz"), &corrupt);
    write(&inputs.join("empty.txt"), b"");
    write(
        &inputs.join("binary.txt"),
        b"\x7fELF\x02\x01\x01\x00\x00\x00binary\x00\x00",
    );
    write(&inputs.join("report.pdf"), b"%PDF-1.4");
    let mut latin1 = b"Informe de Bol\xEDvar\n\n".to_vec();
    latin1.extend_from_slice(&b"La miner\xEDa ilegal crece en el sur del pa\xEDs. ".repeat(10));
    write(&inputs.join("latin1.txt"), &latin1);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(
        article("UTF-16 report", "okapi sighting")
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    write(&inputs.join("utf16.txt"), &utf16);
    let huge = "wombat burrow ".repeat(100 * 1024 * 1024 / 14);
    write(&inputs.join("huge-single-line.txt"), huge.as_bytes());

    let (code, report) = index_json(&index, &[&inputs]);
    assert_eq!(code, 1, "some inputs failed, the rest were committed");

    let failed = |name| IndexReportJson::reason(&report.failed, name);
    let skipped = |name| IndexReportJson::reason(&report.skipped, name);
    assert!(
        failed("corrupt.jsonl.gz").is_some_and(|r| r.contains("gzip")),
        "{:?}",
        report.failed
    );
    assert!(
        failed("binary.txt").is_some_and(|r| r.contains("binary")),
        "{:?}",
        report.failed
    );
    assert_eq!(skipped("empty.txt"), Some("empty file"));
    assert_eq!(skipped("report.pdf"), Some("unsupported file type (.pdf)"));

    let line = |n: u64, list: &[crate::util::DispositionJson]| {
        list.iter()
            .find(|item| item.input.ends_with("mixed.jsonl") && item.record == Some(n))
            .map(|item| item.reason.clone())
    };
    assert!(line(2, &report.failed).is_some_and(|r| r.starts_with("line 2: invalid JSON")));
    assert!(line(4, &report.failed).is_some_and(|r| r.contains("expected a JSON object")));
    assert!(line(5, &report.skipped).is_some_and(|r| r.contains("no body text")));

    // good-1, good-2, j1, j3, g1, latin1, utf16, huge.
    assert_eq!(
        report.articles, 8,
        "skipped {:?} failed {:?}",
        report.skipped, report.failed
    );
    assert_eq!(report.files, 11);
    assert!(report.bytes > 100_000_000);
    assert!(report.elapsed_s > 0.0);

    let found = |query: &str| {
        let output = gazette()
            .args(["search", query, "--format", "json", "--index"])
            .arg(&index)
            .output()
            .expect("runs");
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
        json["total_hits"].as_u64().unwrap_or(0)
    };
    for query in [
        "zebra", "quokka", "narwhal", "axolotl", "pangolin", "okapi", "mineria", "wombat",
    ] {
        assert!(found(query) > 0, "`{query}` was not indexed");
    }
}

#[test]
fn the_same_article_in_two_files_is_indexed_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("inputs");
    let line = b"{\"id\": \"same-1\", \"body\": \"kestrel hovering\"}\n";
    write(&inputs.join("a.jsonl"), line);
    write(&inputs.join("b.jsonl"), line);
    let (code, report) = index_json(&dir.path().join("index"), &[&inputs]);
    assert_eq!((code, report.articles), (0, 1));
    assert!(report
        .skipped
        .iter()
        .any(|s| s.reason.contains("duplicate of article `same-1`")));
}

#[test]
fn the_corpus_indexes_cleanly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, report) = index_json(&dir.path().join("index"), &[&corpus()]);
    assert_eq!(code, 0, "failed: {:?}", report.failed);
    assert!(report.failed.is_empty() && report.warnings.is_empty());
    // README.md is collection documentation; the wget crawl holds records
    // that are not articles (its request, warcinfo and metadata records,
    // robots.txt, the link page, an image). They, and nothing else, are skipped.
    assert!(
        report.skipped.iter().all(|skipped| {
            skipped.input.ends_with("corpus/warc/wget-crawl.warc.gz")
                || (skipped.input.ends_with("corpus/README.md")
                    && skipped.reason.starts_with("collection documentation"))
        }),
        "{:#?}",
        report.skipped
    );
    assert!(report.articles >= 40);
    assert!(report.passages > report.articles);
}

#[test]
fn a_json_map_names_unusual_fields() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("export.jsonl");
    write(&file, b"{\"hed\": \"Falcons\", \"copy\": {\"text\": \"peregrine falcons nest on towers\"}, \"when\": \"2019-05-02\"}\n");
    let index = dir.path().join("index");
    gazette()
        .args([
            "index",
            "--quiet",
            "--map",
            "title=hed,body=copy.text",
            "--map",
            "date=when",
            "--index",
        ])
        .arg(&index)
        .arg(&file)
        .assert()
        .success();
    let output = gazette()
        .args(["search", "peregrine", "--format", "json", "--index"])
        .arg(&index)
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(json["hits"][0]["title"], "Falcons");
    assert_eq!(json["hits"][0]["published"], "2019-05-02");

    gazette()
        .args(["index", "--map", "headline", "--index"])
        .arg(&index)
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("TARGET=FIELD"));
}

#[test]
fn archived_control_characters_never_reach_the_terminal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("hostile.txt");
    let body =
        "Escape \x1b[2J\x1b]0;owned\x07 and \u{202E}reversed\u{202C} text about lemurs. ".repeat(8);
    write(&file, format!("Lemur \x1b[31mtitle\n\n{body}").as_bytes());
    let index = dir.path().join("index");
    gazette()
        .args(["index", "--quiet", "--index"])
        .arg(&index)
        .arg(&file)
        .assert()
        .success();
    let output = gazette()
        .args(["search", "lemurs", "--color", "never", "--index"])
        .arg(&index)
        .output()
        .expect("runs");
    let text = String::from_utf8(output.stdout).expect("utf-8");
    assert!(text.contains("[[lemurs]]"));
    assert!(
        !text.contains('\x1b') && !text.contains('\x07') && !text.contains('\u{202E}'),
        "{text:?}"
    );
}

#[test]
fn a_folder_with_segments_but_no_meta_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = dir.path().join("index");
    write(&index.join("00000000000000000000000000000000.idx"), b"old");
    gazette()
        .args(["index", "--index"])
        .arg(&index)
        .arg(corpus().join("seed"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no meta.json"));
    assert!(index.join("00000000000000000000000000000000.idx").exists());
}

#[test]
fn searching_the_index_just_built_finds_the_seed_article() {
    let results = search("narcoterrorism", &["--per-article", "1", "--limit", "0"]);
    assert!(results
        .hits
        .iter()
        .any(|hit| hit.provenance.file == "corpus/seed/us-narcoterrorism-case.txt"));
}

// See: issue 22
#[test]
fn issue_22_decompression_bombs_fail_alone_and_the_cap_can_be_raised() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("inputs");
    // The cap scaled down to 1 MiB: each bomb expands to 1.5 MiB.
    let filler = "Bombs of the same words ".repeat(65_536);
    write(
        &inputs.join("bomb.txt.gz"),
        &gzip(format!("Bomb\n\n{filler}").as_bytes()),
    );
    write(
        &inputs.join("bomb.html.gz"),
        &gzip(
            format!(
                "<html><body><p>{}</p></body></html>",
                "Pages of other words ".repeat(75_000)
            )
            .as_bytes(),
        ),
    );
    let lines = format!(
        "{{\"id\": \"a\", \"body\": \"{}\"}}\n{{\"id\": \"bomb\", \"body\": \"{filler}\"}}\n\
         {{\"id\": \"c\", \"body\": \"{}\"}}\n",
        "okapi stripes ".repeat(20),
        "gecko toes ".repeat(20)
    );
    write(&inputs.join("lines.jsonl.gz"), &gzip(lines.as_bytes()));
    write(
        &inputs.join("good.txt"),
        article("Good", "zebra crossing").as_bytes(),
    );

    let index = dir.path().join("index");
    let (code, report) = index_json_with(&index, &[&inputs], &["--max-record-mb", "1"]);
    assert_eq!(code, 1);
    assert_eq!(report.articles, 3, "{:#?}", report.failed);
    let over = "over the size cap (1 MiB); raise it with --max-record-mb";
    let mut failed: Vec<(String, Option<u64>, String)> = report
        .failed
        .iter()
        .map(|item| {
            let name = Path::new(&item.input)
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, item.record, item.reason.clone())
        })
        .collect();
    failed.sort();
    assert_eq!(
        failed,
        [
            (
                "bomb.html.gz".to_owned(),
                None,
                format!("the file is {over}")
            ),
            (
                "bomb.txt.gz".to_owned(),
                None,
                format!("the file is {over}")
            ),
            (
                "lines.jsonl.gz".to_owned(),
                Some(2),
                format!("line 2: {} bytes long, {over}", filler.len() + 27)
            ),
        ]
    );
    for word in ["okapi", "gecko", "zebra"] {
        assert_eq!(search_in(&index, word), 1, "{word}");
    }

    // Raised, the same files are read.
    let raised = dir.path().join("raised");
    let (code, report) = index_json_with(&raised, &[&inputs], &["--max-record-mb", "2"]);
    assert_eq!((code, report.articles), (0, 6), "{:#?}", report.failed);
    gazette()
        .args(["index", "--max-record-mb", "0", "--index"])
        .arg(&raised)
        .arg(&inputs)
        .assert()
        .code(2);
}

fn search_in(index: &Path, query: &str) -> u64 {
    let output = gazette()
        .args(["search", query, "--format", "json", "--index"])
        .arg(index)
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    json["total_hits"].as_u64().unwrap_or(0)
}
