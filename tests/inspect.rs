use crate::util::{corpus, extract, gazette, on_corpus};

#[test]
fn extract_shows_text_passages_language_and_dates() {
    let articles = extract(&corpus().join("other/fr-0002-orpaillage-illegal-guyane.txt"));
    let [article] = articles.as_slice() else {
        panic!("one article expected, got {}", articles.len());
    };
    assert_eq!(article.lang, "fr", "detected without a lang field");
    assert_eq!(article.lang_origin, "detected");
    assert!(article.lang_confidence > 0.5);
    assert_eq!(article.published.as_deref(), Some("2023-03-14"));
    assert_eq!(article.date_origin, "metadata");
    assert_eq!(article.record, None);
    assert!(article
        .input
        .ends_with("fr-0002-orpaillage-illegal-guyane.txt"));
    assert!(article
        .url
        .as_deref()
        .is_some_and(|url| url.starts_with("https://")));
    assert!(article.author.is_some());
    assert!(article.warnings.is_empty());
    assert!(!article.entities.is_empty(), "entities are extracted");
    for entity in &article.entities {
        assert!(["person", "org", "place", "misc"].contains(&entity.kind.as_str()));
        for written in entity.written(&article.text) {
            assert!(
                written.chars().next().is_some_and(char::is_uppercase),
                "{written:?} of {entity:?}"
            );
        }
    }
    let chars: Vec<char> = article.text.chars().collect();
    let mut previous_end = 0;
    for [start, end] in &article.passages {
        assert!(start >= &previous_end && start < end && *end <= chars.len());
        let passage: String = chars[*start..*end].iter().collect();
        let words = passage.split_whitespace().count();
        assert!(words <= 200, "{words} words");
        previous_end = *end;
    }
    let covered: usize = article
        .passages
        .iter()
        .map(|[s, e]| {
            chars[*s..*e]
                .iter()
                .collect::<String>()
                .split_whitespace()
                .count()
        })
        .sum();
    assert_eq!(
        covered,
        article.text.split_whitespace().count(),
        "passages cover every word"
    );
}

#[test]
fn extract_reports_encodings_file_name_dates_and_records() {
    let latin1 = extract(&corpus().join("es/latin1-archivo-1998.txt"));
    assert_eq!(latin1[0].encoding, "windows-1252");
    assert!(latin1[0].text.contains("minería"));

    let dated = extract(&corpus().join("en/2017-09-21-venezuela-oil-exports-fall.txt"));
    assert_eq!(dated[0].published.as_deref(), Some("2017-09-21"));
    assert_eq!(dated[0].date_origin, "filename");
    assert!(dated[0].title.is_some());

    let undated = extract(&corpus().join("en/undated-harbour-report.txt"));
    assert_eq!(
        (
            undated[0].published.as_deref(),
            undated[0].date_origin.as_str()
        ),
        (None, "none")
    );

    let export = extract(&corpus().join("jsonl/archive-export.jsonl"));
    assert_eq!(export.len(), 5);
    let records: Vec<Option<u64>> = export.iter().map(|a| a.record).collect();
    assert_eq!(records, vec![Some(1), Some(2), Some(3), Some(4), Some(5)]);
    assert!(export
        .iter()
        .all(|a| a.id.starts_with("cw-") && a.source == "Caribbean Wire"));
    assert!(export.iter().all(|a| a.lang == "en" || a.lang == "es"));

    let gzipped = extract(&corpus().join("jsonl/feed-2025.jsonl.gz"));
    assert_eq!(gzipped.len(), 4);
}

#[test]
fn unreadable_metadata_is_a_warning_not_a_failure() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("2019-04-12-odd.txt");
    std::fs::write(
        &file,
        "---\ndate: the other day\nlang: klingon\n---\nTitle\n\nBody text.\n",
    )
    .expect("write");
    let articles = extract(&file);
    assert_eq!(articles[0].published.as_deref(), Some("2019-04-12"));
    assert_eq!(articles[0].date_origin, "filename");
    assert_eq!(
        articles[0].warnings,
        [
            "language `klingon` is not a known language code",
            "date `the other day` is not a date gazette can read (see --date-format)",
        ]
    );
}

#[test]
fn extract_jsonl_prints_one_object_per_line_and_fails_like_index() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("a.jsonl"), "{\"body\": \"one\"}\n{oops\n").expect("write");
    let output = gazette()
        .args(["extract", "--format", "jsonl"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    assert_eq!(stdout.lines().count(), 1);
    assert!(String::from_utf8_lossy(&output.stderr).contains("line 2: invalid JSON"));
}

#[test]
fn stats_count_articles_languages_and_dates() {
    let output = on_corpus(&["stats", "--format", "json"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let stats: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let articles = stats["articles"].as_u64().expect("articles");
    assert!(articles >= 40);
    assert!(stats["passages"].as_u64().expect("passages") > articles);
    for lang in ["en", "es", "pt", "fr"] {
        assert!(
            stats["languages"][lang].as_u64().is_some_and(|n| n > 0),
            "{lang}: {stats}"
        );
    }
    let by_language: u64 = stats["languages"]
        .as_object()
        .expect("object")
        .values()
        .filter_map(serde_json::Value::as_u64)
        .sum();
    assert_eq!(by_language, articles);
    assert_eq!(stats["first_published"], "2015-03-10");
    assert_eq!(stats["last_published"], "2026-02-15");

    let text = on_corpus(&["stats"]).output().expect("runs");
    let text = String::from_utf8(text.stdout).expect("utf-8");
    assert!(text.contains(&format!("articles:  {articles}")), "{text}");
}

// See: issue 22
#[test]
fn issue_22_file_names_and_reasons_stay_on_one_line_of_a_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("in");
    std::fs::create_dir(&folder).expect("mkdir");
    std::fs::write(folder.join("bad\nok\x1b[2J.json"), "{ not json").expect("writes");
    let index = dir.path().join("index");
    let output = gazette()
        .args(["index", "--quiet", "--index"])
        .arg(&index)
        .arg(&folder)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    assert!(
        stdout.contains("bad\u{240A}ok\u{241B}[2J.json: "),
        "{stdout}"
    );
    assert!(
        !stdout.lines().any(|line| line.starts_with("ok")),
        "{stdout}"
    );
    assert!(!stdout.contains('\x1b'));

    let output = gazette()
        .args(["extract", "--format", "jsonl"])
        .arg(&folder)
        .output()
        .expect("runs");
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("bad\u{240A}ok\u{241B}[2J.json"), "{stderr}");
}

// See: issue 22
#[test]
fn issue_22_a_huge_title_is_cut_with_a_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("long.jsonl");
    let title = "Ñandú-".repeat(2_000);
    let article = serde_json::json!({
        "title": title,
        "text": "A short body about the harbour and its dockers, long enough to be read.",
    });
    std::fs::write(&input, format!("{article}\n")).expect("writes");
    let articles = extract(&input);
    let [article] = articles.as_slice() else {
        panic!("one article expected, got {}", articles.len());
    };
    let kept = article.title.as_deref().expect("a title");
    assert_eq!(kept.chars().count(), 1_000);
    assert!(title.starts_with(kept));
    assert_eq!(
        article.warnings,
        ["the title has 12000 characters: cut at 1000"]
    );
}

// See: issue 22
#[test]
fn issue_22_bench_leaves_a_directory_it_did_not_make_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let precious = dir.path().join("collection").join("thesis.txt");
    std::fs::create_dir_all(precious.parent().expect("parent")).expect("mkdir");
    std::fs::write(&precious, "years of work").expect("writes");
    std::fs::create_dir(dir.path().join("index")).expect("mkdir");
    gazette()
        .args([
            "bench",
            "--size",
            "0.05",
            "--queries",
            "1",
            "--quiet",
            "--dir",
        ])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "is not empty and was not made by gazette bench",
        ));
    assert_eq!(
        std::fs::read_to_string(&precious).expect("still there"),
        "years of work"
    );
    assert!(dir.path().join("index").is_dir());
}

// See: issue 22
#[test]
fn issue_22_threads_are_capped_at_what_the_machine_has() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("a.txt");
    std::fs::write(
        &input,
        "Harbour strike\n\nThe dockers voted to strike again on Monday morning.\n",
    )
    .expect("writes");
    let available = std::thread::available_parallelism().map_or(1, usize::from);
    let output = gazette()
        .args(["index", "--quiet", "--threads", "10000", "--index"])
        .arg(dir.path().join("index"))
        .arg(&input)
        .output()
        .expect("runs");
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("--threads 10000 lowered to {available}")),
        "{stderr}"
    );
    let output = gazette()
        .args(["index", "--quiet", "--threads", "1", "--index"])
        .arg(dir.path().join("index"))
        .arg(&input)
        .output()
        .expect("runs");
    assert!(!String::from_utf8_lossy(&output.stderr).contains("lowered"));
}
