use crate::util::{corpus_index, gazette, on_corpus, search, search_index};

/// The article about illegal coltan mining names the mineral in its title
/// and throughout; two others mention it in passing. Every passage of the
/// coltan article ranks above them.
#[test]
fn the_obviously_best_passage_comes_first() {
    let results = search("coltan", &["--limit", "0"]);
    let ids: Vec<&str> = results.hits.iter().map(|h| h.article_id.as_str()).collect();
    assert_eq!(ids.first(), Some(&"en-0010"));
    let first_other = ids
        .iter()
        .position(|id| *id != "en-0010")
        .expect("passing mentions");
    assert!(
        ids[first_other..].iter().all(|id| *id != "en-0010"),
        "{ids:?}"
    );

    let results = search("oil sanctions PDVSA", &["--per-article", "1"]);
    let top: Vec<&str> = results
        .hits
        .iter()
        .take(3)
        .map(|h| h.article_id.as_str())
        .collect();
    assert!(top.contains(&"en-0002"), "{top:?}");
    assert!(
        !top.contains(&"en-0013"),
        "the football report that says `sanctions` once ranks below: {top:?}"
    );
}

/// The jewellery report has both words but never the phrase.
#[test]
fn a_phrase_matches_only_where_its_words_stand_together() {
    let jewellers = "2024-04-11-record-gold-price-squeezes-jewellers.txt";
    let phrase = search("\"gold mining\"", &["--limit", "0"]);
    assert!(!phrase.hits.is_empty());
    assert!(phrase
        .hits
        .iter()
        .all(|hit| !hit.provenance.file.ends_with(jewellers)));
    for hit in &phrase.hits {
        let words = hit.highlighted();
        let in_text = hit.text.to_lowercase().contains("gold mining");
        assert_eq!(
            !words.is_empty(),
            in_text,
            "passage matched through its title only"
        );
        assert!(
            words.iter().all(|w| w.to_lowercase() == "gold mining"),
            "phrase highlighted as {words:?}"
        );
    }
    let terms = search("gold mining", &["--limit", "0"]);
    assert!(terms.total_hits > phrase.total_hits);
    assert!(terms
        .hits
        .iter()
        .any(|hit| hit.provenance.file.ends_with(jewellers)));
}

#[test]
fn english_stemming_finds_inflections_and_highlights_them() {
    let results = search("accusation", &["--lang", "en", "--limit", "0"]);
    let words: Vec<String> = results.hits.iter().flat_map(|h| h.highlighted()).collect();
    assert!(words.iter().any(|w| w == "accusations"), "{words:?}");
    assert!(
        words.iter().all(|w| w.to_lowercase().starts_with("accus")),
        "{words:?}"
    );
}

#[test]
fn spanish_stemming_and_accent_folding() {
    let results = search("acusacion", &["--lang", "es", "--limit", "0"]);
    let words: Vec<String> = results.hits.iter().flat_map(|h| h.highlighted()).collect();
    assert!(words.iter().any(|w| w == "acusaciones"), "{words:?}");
    assert!(words.iter().any(|w| w == "acusación"), "{words:?}");

    let results = search("mineria", &["--limit", "0"]);
    let words: Vec<String> = results.hits.iter().flat_map(|h| h.highlighted()).collect();
    assert!(words.iter().any(|w| w == "minería"), "{words:?}");
    assert!(
        results
            .hits
            .iter()
            .any(|h| h.provenance.file.ends_with("latin1-archivo-1998.txt")),
        "the Latin-1 article is decoded and found"
    );
}

#[test]
fn names_are_found_without_their_accents() {
    let results = search("Nicolas", &["--limit", "0"]);
    let words: Vec<String> = results.hits.iter().flat_map(|h| h.highlighted()).collect();
    assert!(words.iter().any(|w| w == "Nicolás"), "{words:?}");
    assert!(
        words
            .iter()
            .all(|w| w == "Nicolás" || w == "Nicolas" || w == "NICOLÁS"),
        "{words:?}"
    );
}

#[test]
fn highlights_are_code_point_offsets_of_the_query_terms() {
    let results = search("Bolívar mercurio", &["--limit", "0"]);
    assert!(!results.hits.is_empty());
    for hit in &results.hits {
        for word in hit.highlighted() {
            let lower = word.to_lowercase();
            assert!(
                lower.starts_with("bol") || lower.starts_with("mercur"),
                "highlight `{word}` is not a query term in: {}",
                hit.text
            );
        }
    }
}

#[test]
fn date_filters_take_partial_dates() {
    let year = search("*", &["--from", "2020", "--to", "2020", "--limit", "0"]);
    assert!(!year.hits.is_empty());
    assert!(year.hits.iter().all(|hit| hit
        .published
        .as_deref()
        .is_some_and(|d| d.starts_with("2020-"))));

    let month = search(
        "*",
        &["--from", "2024-07", "--to", "2024-07", "--limit", "0"],
    );
    assert!(!month.hits.is_empty());
    assert!(month.hits.iter().all(|hit| hit
        .published
        .as_deref()
        .is_some_and(|d| d.starts_with("2024-07"))));

    let open_ended = search("*", &["--from", "2025-06-01", "--limit", "0"]);
    assert!(open_ended
        .hits
        .iter()
        .all(|hit| hit.published.as_deref().is_some_and(|d| d >= "2025-06-01")));
}

#[test]
fn everything_in_spanish_from_one_year() {
    let results = search(
        "*",
        &[
            "--lang", "es", "--from", "2024", "--to", "2024", "--limit", "0",
        ],
    );
    assert!(!results.hits.is_empty());
    assert_eq!(
        results.hits.len(),
        results.total_hits,
        "--limit 0 returns every hit"
    );
    for hit in &results.hits {
        assert_eq!(hit.lang, "es");
        assert!(hit
            .published
            .as_deref()
            .is_some_and(|d| d.starts_with("2024")));
    }
}

#[test]
fn language_and_source_filters() {
    let results = search("Venezuela", &["--lang", "pt", "--limit", "0"]);
    assert!(!results.hits.is_empty());
    assert!(results.hits.iter().all(|hit| hit.lang == "pt"));

    let results = search("*", &["--source", "Caribbean Wire", "--limit", "0"]);
    assert!(!results.hits.is_empty());
    assert!(results
        .hits
        .iter()
        .all(|hit| hit.source == "Caribbean Wire"));
}

#[test]
fn sorting_by_date_and_collapsing_per_article() {
    let newest = search("Maduro", &["--sort", "newest", "--limit", "20"]);
    let dates: Vec<&str> = newest
        .hits
        .iter()
        .filter_map(|h| h.published.as_deref())
        .collect();
    assert!(dates.windows(2).all(|pair| pair[0] >= pair[1]), "{dates:?}");
    assert!(newest.hits.iter().all(|hit| hit.score.is_none()));

    let oldest = search("Maduro", &["--sort", "oldest", "--limit", "20"]);
    let dates: Vec<&str> = oldest
        .hits
        .iter()
        .filter_map(|h| h.published.as_deref())
        .collect();
    assert!(dates.windows(2).all(|pair| pair[0] <= pair[1]), "{dates:?}");

    let all = search("Maduro", &["--limit", "0"]);
    let mut passages: Vec<(&str, u64)> = all
        .hits
        .iter()
        .map(|h| (h.article_id.as_str(), h.passage))
        .collect();
    passages.sort_unstable();
    passages.dedup();
    assert_eq!(passages.len(), all.total_hits, "no passage returned twice");

    let collapsed = search("Maduro", &["--per-article", "1", "--limit", "15"]);
    let mut ids: Vec<&str> = collapsed
        .hits
        .iter()
        .map(|h| h.article_id.as_str())
        .collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "one passage per article");
    assert_eq!(count, 15);
}

#[test]
fn json_hits_carry_the_documented_fields() {
    let results = search("\"gold mining\"", &["--limit", "3"]);
    assert_eq!(results.query, "\"gold mining\"");
    let ranks: Vec<usize> = results.hits.iter().map(|h| h.rank).collect();
    assert_eq!(ranks, vec![1, 2, 3]);
    for hit in &results.hits {
        assert!(hit.score.is_some_and(|s| s > 0.0));
        assert!(hit.title.is_some());
        assert!(!hit.source.is_empty());
        for entity in &hit.entities {
            assert!(!entity.mentions.is_empty(), "{entity:?}");
            for written in entity.written(&hit.text) {
                assert!(!written.trim().is_empty(), "{entity:?} in {}", hit.text);
            }
        }
        assert!(hit.provenance.file.starts_with("corpus/"));
    }
    assert!(
        results
            .hits
            .iter()
            .any(|hit| hit.entities.iter().any(|e| e.kind == "place")),
        "gold mining passages name places"
    );
    let wire = results
        .hits
        .iter()
        .find(|hit| hit.provenance.file.ends_with("wire-2023.jsonl"))
        .expect("the wire article matches");
    assert_eq!(
        wire.provenance.record,
        Some(1),
        "JSON Lines provenance names the line"
    );
    assert_eq!(wire.published.as_deref(), Some("2023-03-14"));
    assert!(wire
        .url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://")));
}

#[test]
fn jsonl_and_csv_exports() {
    let output = on_corpus(&["search", "Maduro", "--format", "jsonl", "--limit", "0"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    assert!(lines.len() > 10, "no cap on exports");
    assert!(lines
        .iter()
        .all(|hit| hit["text"].is_string() && hit["highlights"].is_array()));

    let csv_args = ["search", "coltan", "--format", "csv", "--fields"];
    let output = on_corpus(&[&csv_args[..], &["rank,article_id,text"]].concat())
        .output()
        .expect("runs");
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let headers: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(headers, ["rank", "article_id", "text"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert!(!rows.is_empty());
    assert_eq!(&rows[0][1], "en-0010");

    on_corpus(&[&csv_args[..], &["rank,colour"]].concat())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown column `colour`"));
}

#[test]
fn text_output_marks_highlights_and_colours_only_when_asked() {
    let stdout = |mut command: assert_cmd::Command| {
        String::from_utf8(command.output().expect("runs").stdout).expect("utf-8")
    };
    let plain = stdout(on_corpus(&["search", "coltan", "--limit", "1"]));
    assert!(plain.starts_with("1. "), "{plain}");
    assert!(plain.contains("[[coltan]]"), "{plain}");
    assert!(!plain.contains('\x1b'));

    let coloured = stdout(on_corpus(&[
        "search", "coltan", "--limit", "1", "--color", "always",
    ]));
    assert!(coloured.contains("\x1b[1;31mcoltan\x1b[0m"), "{coloured}");

    let mut no_color = on_corpus(&["search", "coltan", "--limit", "1"]);
    no_color.env("NO_COLOR", "1");
    assert!(!stdout(no_color).contains('\x1b'));
}

#[test]
fn exit_codes() {
    let index = corpus_index();
    gazette()
        .args(["search", "coltan", "--index"])
        .arg(index)
        .assert()
        .code(0);
    gazette()
        .args(["search", "zzyzxqq", "--index"])
        .arg(index)
        .assert()
        .code(1);
    gazette()
        .args(["search", "\"unclosed phrase", "--index"])
        .arg(index)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("syntax error"));
    gazette()
        .args(["search", "colour:red", "--index"])
        .arg(index)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown field `colour`"));
    gazette()
        .args(["search", "x", "--from", "March", "--index"])
        .arg(index)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("YYYY-MM"));
    let empty = tempfile::tempdir().expect("temp dir");
    gazette()
        .args(["search", "x", "--index"])
        .arg(empty.path().join("none"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("gazette index PATH"));
}

#[test]
fn boolean_operators_and_fields() {
    let both = search("+coltan +mercury", &["--limit", "0"]);
    let either = search("coltan OR mercury", &["--limit", "0"]);
    let without = search("mercury -coltan", &["--limit", "0"]);
    assert!(both.total_hits < either.total_hits);
    assert!(without
        .hits
        .iter()
        .all(|hit| !hit.text.to_lowercase().contains("coltan")));
    let titles = search("title:coltan", &["--limit", "0"]);
    assert!(titles.hits.iter().all(|hit| hit.article_id == "en-0010"));
    let by_lang = search("lang:fr", &["--limit", "0"]);
    assert!(!by_lang.hits.is_empty() && by_lang.hits.iter().all(|hit| hit.lang == "fr"));
    let range = search("published:[2019 TO 2020]", &["--limit", "0"]);
    assert!(range.hits.iter().all(|hit| hit
        .published
        .as_deref()
        .is_some_and(|d| ("2019".."2021").contains(&d))));
    let prefix = search("sanction*", &["--lang", "en", "--limit", "5"]);
    assert!(prefix
        .hits
        .iter()
        .flat_map(|h| h.highlighted())
        .all(|w| w.to_lowercase().starts_with("sanction")));
}

/// Passages of equal score (here identical dispatches) come in the order of
/// their article ids, whatever order the input held them in and however
/// indexing threads filled the segments: a query gives the same hits on
/// every build of the same collection.
#[test]
fn equal_scores_rank_by_article_id_then_passage() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("wire.jsonl");
    // Written in descending id order: tantivy alone would rank the first
    // documents written first.
    let lines: Vec<String> = (0..40)
        .rev()
        .map(|n| {
            serde_json::json!({
                "id": format!("tie-{n:02}"),
                "title": "Harbour strike",
                "date": "2024-03-05",
                "text": "Dockers at the harbour walked out on Tuesday over pay.",
            })
            .to_string()
        })
        .collect();
    // One article of identical paragraphs: its passages tie with each other.
    let paragraph = "The longshoremen of the northern quay voted again on Friday to keep the \
                     cranes still until the port authority answers their demands on pay, \
                     shifts and safety, and the union said the vote was the largest it had \
                     seen since the strike of the previous decade closed the docks for weeks.";
    let text = [paragraph; 4].join("\n\n");
    let mut lines = lines;
    lines.push(
        serde_json::json!({
            "id": "tie-multi",
            "title": "Quay vote",
            "date": "2024-03-05",
            "text": text,
        })
        .to_string(),
    );
    std::fs::write(&input, lines.join("\n")).expect("writes");
    let index = dir.path().join("index");
    for threads in ["1", "2"] {
        gazette()
            .args(["index", "--quiet", "--threads", threads, "--index"])
            .arg(&index)
            .arg(&input)
            .assert()
            .success();
        for extra in [&["--limit", "3"][..], &["--limit", "3", "--sort", "newest"]] {
            let results = search_index(&index, "harbour", extra);
            let ids: Vec<&str> = results
                .hits
                .iter()
                .map(|hit| hit.article_id.as_str())
                .collect();
            assert_eq!(ids, ["tie-00", "tie-01", "tie-02"], "{threads} {extra:?}");
            assert_eq!(results.total_hits, 40);
        }
        for extra in [&["--limit", "0"][..], &["--limit", "0", "--sort", "oldest"]] {
            let results = search_index(&index, "longshoremen", extra);
            let passages: Vec<u64> = results.hits.iter().map(|hit| hit.passage).collect();
            assert_eq!(passages, [0, 1, 2, 3], "{threads} {extra:?}");
        }
        std::fs::remove_dir_all(&index).expect("removes the index");
    }
}

/// An index of one crafted article whose fields try to forge output: a
/// title with a newline and a fake hit, terminal escapes (colour, an OSC 8
/// link, BEL), a bidi override and a formula; the file name has a newline.
fn hostile_index() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("feed\n2. Fake file.jsonl");
    let article = serde_json::json!({
        "id": "real\n3. Fake id",
        "title": "Real title\n2. Fake hit\x1b[31m red \x1b]8;;http://evil.example\x07link\x1b]8;;\x07 \u{202E}gnp.exe",
        "source": "=HYPERLINK(\"http://evil.example\")",
        "url": "@SUM(1+1)",
        "date": "2024-03-05",
        "text": "The zanzibarite shipment arrived at the harbour on a grey morning, and the \
                 dockers unloaded it crate by crate while the inspectors counted every one \
                 of them twice before the ship could leave again for the open sea that day.\n\n\
                 -1+1 is how the second paragraph starts, with a bell \x07 and an escape \x1b[2J in it.",
    });
    std::fs::write(&input, format!("{article}\n")).expect("writes");
    let index = dir.path().join("index");
    gazette()
        .args(["index", "--quiet", "--index"])
        .arg(&index)
        .arg(&input)
        .assert()
        .success();
    (dir, index)
}

// See: issue 22
#[test]
fn issue_22_a_crafted_title_cannot_forge_a_hit_in_text_output() {
    let (_dir, index) = hostile_index();
    for color in ["never", "always"] {
        let output = gazette()
            .args(["search", "zanzibarite", "--color", color, "--index"])
            .arg(&index)
            .output()
            .expect("runs");
        assert!(output.status.success());
        let stdout = String::from_utf8(output.stdout).expect("utf-8");
        let lines: Vec<&str> = stdout.lines().collect();
        assert!(
            lines[0].starts_with("1. ") || lines[0].contains("1."),
            "{stdout}"
        );
        assert!(
            lines[0].contains("Real title\u{240A}2. Fake hit"),
            "{stdout}"
        );
        assert!(
            !lines.iter().any(|line| line.starts_with("2.")
                || line.starts_with("3.")
                || line.contains("2. Fake hit") && !line.contains("Real title")),
            "{stdout}"
        );
        assert!(
            lines[1].contains("feed\u{240A}2. Fake file.jsonl:1"),
            "{stdout}"
        );
        // Only gazette's own colours (SGR sequences it writes) carry an ESC.
        let foreign_escapes = stdout
            .replace("\x1b[0m", "")
            .replace("\x1b[1m", "")
            .replace("\x1b[2m", "")
            .replace("\x1b[1;31m", "")
            .replace("\x1b[32m", "");
        assert!(!foreign_escapes.contains('\x1b'), "{stdout:?}");
        assert!(!stdout.contains('\x07') && !stdout.contains('\u{202E}'));
    }
    let facets = gazette()
        .args(["facets", "zanzibarite", "--color", "never", "--index"])
        .arg(&index)
        .output()
        .expect("runs");
    let facets = String::from_utf8(facets.stdout).expect("utf-8");
    assert!(facets.contains("=HYPERLINK"), "{facets}");
    assert!(!facets.contains('\x1b'), "{facets:?}");
}

// See: issue 22
#[test]
fn issue_22_csv_cells_are_sanitised_and_formulas_neutralised() {
    let (_dir, index) = hostile_index();
    let csv_rows = |extra: &[&str]| {
        let output = gazette()
            .args(["search", "zanzibarite", "--format", "csv", "--fields"])
            .arg("rank,title,source,url,article_id,text,file")
            .args(extra)
            .arg("--index")
            .arg(&index)
            .output()
            .expect("runs");
        assert!(output.status.success());
        let stdout = String::from_utf8(output.stdout).expect("utf-8");
        assert!(
            !stdout.contains(['\x1b', '\x07', '\u{202E}']),
            "controls reach the CSV raw: {stdout:?}"
        );
        let mut reader = csv::Reader::from_reader(stdout.as_bytes());
        reader
            .records()
            .map(|row| row.expect("row").iter().map(str::to_owned).collect())
            .collect::<Vec<Vec<String>>>()
    };
    let rows = csv_rows(&[]);
    let row = rows.first().expect("a hit");
    assert_eq!(row[0], "1");
    assert!(
        row[1].starts_with("Real title\n2. Fake hit\u{241B}[31m"),
        "{row:?}"
    );
    assert_eq!(row[2], "'=HYPERLINK(\"http://evil.example\")");
    assert_eq!(row[3], "'@SUM(1+1)");
    assert!(row[6].ends_with("Fake file.jsonl"));
    let raw = csv_rows(&["--csv-raw-formulas"]);
    assert_eq!(raw[0][2], "=HYPERLINK(\"http://evil.example\")");
    assert_eq!(raw[0][3], "@SUM(1+1)");
    gazette()
        .args(["search", "zanzibarite", "--csv-raw-formulas", "--index"])
        .arg(&index)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--csv-raw-formulas goes with --format csv",
        ));
}

// See: issue 22
#[test]
fn issue_22_jsonl_keeps_one_hit_per_line_whatever_the_fields_hold() {
    let (_dir, index) = hostile_index();
    let output = gazette()
        .args([
            "search",
            "zanzibarite OR harbour",
            "--format",
            "jsonl",
            "--index",
        ])
        .arg(&index)
        .output()
        .expect("runs");
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    assert!(!stdout.contains(['\x1b', '\x07', '\r']), "{stdout:?}");
    let hits: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|hit| hit["title"]
        .as_str()
        .is_some_and(|title| title.contains("\n2. Fake hit\x1b[31m"))));
}

// Issue 22: queries that crashed, dates that wrapped, indexes that could
// not be opened, a broken pipe that failed.

/// `gazette ARGS --index <corpus>`: exit code, stdout, stderr.
fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let output = on_corpus(args).output().expect("runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `gazette facets QUERY ARGS --format json` on the corpus.
fn facets_json(query: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["facets", query, "--format", "json"];
    args.extend_from_slice(extra);
    let (code, out, err) = run(&args);
    assert_eq!(code, Some(0), "facets {query} {extra:?}: {err}");
    serde_json::from_str(&out).expect("facets JSON")
}

fn dated_articles(facets: &serde_json::Value) -> u64 {
    facets["articles"].as_u64().expect("articles")
        - facets["histogram"]["undated"].as_u64().expect("undated")
}

// See: issue 22
#[test]
fn issue_22_open_date_ranges_mean_has_a_date() {
    let all = facets_json("*", &[]);
    let dated = dated_articles(&all);
    assert!(dated > 0 && dated < all["articles"].as_u64().expect("articles"));
    let open = facets_json("published:[* TO *]", &[]);
    assert_eq!(open["articles"].as_u64(), Some(dated));
    assert_eq!(open["histogram"]["undated"].as_u64(), Some(0));
    assert_eq!(
        facets_json("date:{* TO *}", &[])["articles"].as_u64(),
        Some(dated)
    );
    // Half-open ranges still work; the two halves cover every dated article.
    let before = facets_json("published:[* TO 2020}", &[]);
    let after = facets_json("published:[2020 TO *]", &[]);
    assert_eq!(
        before["articles"].as_u64().expect("before") + after["articles"].as_u64().expect("after"),
        dated
    );
    // The corpus records no crawl dates outside web archives; the query
    // runs either way.
    for query in ["crawled:[* TO *]", "+coltan -published:[* TO *]"] {
        let (code, _, err) = run(&["search", query]);
        assert!(matches!(code, Some(0 | 1)), "{query}: {err}");
        let (code, _, err) = run(&["facets", query]);
        assert_eq!(code, Some(0), "{query}: {err}");
    }
    let results = search("published:[* TO *]", &["--limit", "0"]);
    assert!(results.total_hits > 0);
    assert!(results.hits.iter().all(|hit| hit.published.is_some()));
}

// See: issue 22
#[test]
fn issue_22_deep_or_long_queries_are_refused_with_a_reason() {
    let nots = format!("{}coltan", "NOT ".repeat(1000));
    let parens = format!("{}coltan{}", "(".repeat(5000), ")".repeat(5000));
    let boosts = format!("{}coltan{}", "(".repeat(40), ")^2".repeat(40));
    let groups = format!("{}coltan{}", "NOT title:(".repeat(20), ")".repeat(20));
    let phrases = format!("{}\"coltan mining\"{}", "(".repeat(40), ")".repeat(40));
    for query in [&nots, &parens, &boosts, &groups, &phrases] {
        for command in ["search", "facets"] {
            let (code, _, err) = run(&[command, query]);
            assert_eq!(code, Some(2), "{command} {:.40}: {err}", query);
            assert!(err.contains("levels deep (at character"), "{err}");
        }
    }
    let long = "coltan ".repeat(3000);
    let (code, _, err) = run(&["search", &long]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("the limit is 16384 bytes"), "{err}");
    // Prefix chains are syntax errors, not recursion.
    let (code, _, err) = run(&["search", &format!("{}coltan", "+-".repeat(2000))]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("syntax error"), "{err}");
    // Nesting up to the limit is fine, and many groups side by side are
    // not nesting.
    let nested = format!("{}coltan{}", "(".repeat(16), ")".repeat(16));
    let negated = format!("mining {}coltan", "NOT ".repeat(30));
    let side_by_side = vec!["(coltan OR mercury)"; 200].join(" AND ");
    for query in [&nested, &negated, &side_by_side] {
        let (code, _, err) = run(&["search", query]);
        assert!(matches!(code, Some(0 | 1)), "{:.60}: {err}", query);
    }
    assert_eq!(
        search(&nested, &["--limit", "0"]).total_hits,
        search("coltan", &["--limit", "0"]).total_hits
    );
}

// See: issue 22
#[test]
fn issue_22_dates_beyond_what_an_index_holds_do_not_wrap() {
    let all = facets_json("*", &[]);
    let dated = dated_articles(&all);
    for args in [["--from", "1000"], ["--to", "9999"], ["--from", "0000"]] {
        let counts = facets_json("*", &args);
        assert_eq!(counts["articles"].as_u64(), Some(dated), "{args:?}");
        let hits = search("*", &[args[0], args[1], "--limit", "0"]);
        assert!(hits.total_hits > 0, "{args:?}");
        assert!(hits.hits.iter().all(|hit| hit.published.is_some()));
    }
    for args in [["--from", "9999"], ["--to", "1000"], ["--from", "2263"]] {
        let counts = facets_json("*", &args);
        assert_eq!(counts["articles"].as_u64(), Some(0), "{args:?}");
        let (code, _, _) = run(&["search", "*", args[0], args[1]]);
        assert_eq!(code, Some(1), "{args:?}");
    }
    // Query ranges go through the same dates.
    let wide = facets_json("published:[1000 TO 9999]", &[]);
    assert_eq!(wide["articles"].as_u64(), Some(dated));
    let ancient = facets_json("published:[1000 TO 1500]", &[]);
    assert_eq!(ancient["articles"].as_u64(), Some(0));
    let future = facets_json("published:9999", &[]);
    assert_eq!(future["articles"].as_u64(), Some(0));
}

// See: issue 22
#[test]
fn issue_22_per_article_zero_is_refused() {
    let (code, out, err) = run(&["search", "coltan", "--per-article", "0"]);
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert!(
        err.contains("--per-article 0 would show no passage"),
        "{err}"
    );
    let one = search("coltan", &["--per-article", "1", "--limit", "0"]);
    let mut ids: Vec<&str> = one.hits.iter().map(|h| h.article_id.as_str()).collect();
    let count = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), count, "one passage per article");
}

// See: issue 22
#[test]
fn issue_22_a_closed_pipe_ends_every_format_quietly() {
    use std::process::Stdio;
    for format in ["text", "json", "jsonl", "csv"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args(["search", "*", "--limit", "0", "--format", format, "--index"])
            .arg(corpus_index())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runs");
        // The reader goes away before gazette writes a byte, as `| head -0` would.
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("waits");
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{format}: {err}");
        assert!(err.is_empty(), "{format}: {err}");
    }
}

fn small_index(dir: &std::path::Path) -> std::path::PathBuf {
    let inputs = dir.join("inputs");
    std::fs::create_dir_all(&inputs).expect("mkdir");
    for (name, words) in [("a.txt", "petrel colony"), ("b.txt", "petrel harbour")] {
        let text = format!(
            "Title {name}\n\n{}\n",
            format!("The {words} was counted again this spring. ").repeat(6)
        );
        std::fs::write(inputs.join(name), text).expect("write");
    }
    let index = dir.join("index");
    gazette()
        .args(["index", "--quiet", "--threads", "1", "--index"])
        .arg(&index)
        .arg(&inputs)
        .assert()
        .success();
    index
}

/// Runs `gazette ARGS --index INDEX`, as an unprivileged user when this
/// runs as root (for whom permissions stop no write). `None` when that
/// user cannot be taken on.
fn run_unprivileged(args: &[&str], index: &std::path::Path) -> Option<std::process::Output> {
    use std::os::unix::process::CommandExt;
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"));
    command.args(args).arg("--index").arg(index);
    if is_root() {
        command.uid(65534).gid(65534);
    }
    command.output().ok()
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Uid:"))
                .and_then(|ids| ids.split_whitespace().nth(1).map(|id| id == "0"))
        })
        .unwrap_or(false)
}

fn set_writable(path: &std::path::Path, writable: bool) {
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir::WalkDir::new(path) {
        let entry = entry.expect("walk");
        let mode = entry.metadata().expect("metadata").permissions().mode();
        let readable = if entry.file_type().is_dir() {
            0o555
        } else {
            0o444
        };
        let mode = if writable {
            mode | 0o200
        } else {
            mode & !0o222
        } | readable;
        std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode))
            .expect("chmod");
    }
}

// See: issue 22
#[test]
fn issue_22_a_read_only_index_is_searched_and_not_indexed_into() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    // An unprivileged user must reach the index (temp dirs are 0700).
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let index = small_index(dir.path());
    // With and without the reader's lock file (an index copied without
    // hidden files, or written by a version that made none).
    for lock_file in [true, false] {
        if !lock_file {
            set_writable(&index, true);
            let _ = std::fs::remove_file(index.join(".tantivy-meta.lock"));
        }
        set_writable(&index, false);
        let Some(probe) = run_unprivileged(&["stats"], &index) else {
            eprintln!("SKIPPED issue_22 read-only index: cannot run as an unprivileged user");
            set_writable(&index, true);
            return;
        };
        assert!(
            probe.status.success(),
            "stats (lock file: {lock_file}): {}",
            String::from_utf8_lossy(&probe.stderr)
        );
        let search =
            run_unprivileged(&["search", "petrel", "--format", "json"], &index).expect("runs");
        assert_eq!(
            search.status.code(),
            Some(0),
            "search (lock file: {lock_file}): {}",
            String::from_utf8_lossy(&search.stderr)
        );
        let results: serde_json::Value = serde_json::from_slice(&search.stdout).expect("JSON");
        assert_eq!(results["hits"].as_array().map(Vec::len), Some(2));
        for args in [&["facets"][..], &["check"], &["search", "*", "--facets"]] {
            let output = run_unprivileged(args, &index).expect("runs");
            assert_eq!(
                output.status.code(),
                Some(0),
                "{args:?} (lock file: {lock_file}): {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let inputs = dir.path().join("inputs");
        let inputs = inputs.to_str().expect("utf-8 path");
        let output = run_unprivileged(&["index", inputs, "--quiet"], &index).expect("runs");
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{err}");
        assert!(err.contains("is read-only"), "{err}");
        assert!(!err.contains("locked"), "{err}");
    }
    set_writable(&index, true);
}

// See: issue 22
#[test]
fn issue_22_segment_counts_that_disagree_with_the_files_are_corruption() {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = small_index(dir.path());
    let meta_path = index.join("meta.json");
    let mut meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&meta_path).expect("meta")).expect("JSON");
    let max_doc = &mut meta["segments"][0]["max_doc"];
    *max_doc = serde_json::json!(max_doc.as_u64().expect("max_doc") + 1000);
    std::fs::write(&meta_path, meta.to_string()).expect("write");
    for args in [
        &["search", "*"][..],
        &["search", "petrel", "--facets"],
        &["facets"],
        &["stats"],
        &["check"],
    ] {
        let output = gazette()
            .args(args)
            .arg("--index")
            .arg(&index)
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("is damaged"), "{args:?}: {err}");
        assert!(
            err.contains("holds 1002 documents, but its files hold 2"),
            "{err}"
        );
        assert!(err.contains("restore it from a backup"), "{err}");
        assert!(
            !err.contains("interrupted") && !err.contains("panicked"),
            "{err}"
        );
    }
}
