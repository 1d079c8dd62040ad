use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use crate::util::{
    freeze_outside_commit, gazette, gazette_process, index_json, signal, stats, total_hits,
    wait_for_writer, write_collection, IndexReportJson,
};

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

/// `gazette index --quiet` of `inputs` into `index`, which must succeed.
fn index_quietly(index: &Path, inputs: &Path) {
    gazette()
        .args(["index", "--quiet", "--index"])
        .arg(index)
        .arg(inputs)
        .assert()
        .success();
}

fn body(words: &str) -> String {
    format!("{words} ").repeat(20)
}

#[test]
fn unchanged_inputs_are_skipped_changed_ones_replaced_and_gone_ones_pruned() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("inputs");
    let index = dir.path().join("index");
    write(
        &inputs.join("a.txt"),
        &format!("Alpha\n\n{}", body("ibis migration")),
    );
    let jsonl = |second: &str| {
        format!(
            "{{\"id\": \"b1\", \"body\": \"{}\"}}\n{second}",
            body("heron nesting")
        )
    };
    write(
        &inputs.join("b.jsonl"),
        &jsonl(&format!(
            "{{\"id\": \"b2\", \"body\": \"{}\"}}\n",
            body("egret plumage")
        )),
    );
    write(
        &inputs.join("c.md"),
        &format!("# Gamma\n\n{}", body("stork chimney")),
    );

    let (code, first) = index_json(&index, &[&inputs]);
    assert_eq!((code, first.articles, first.unchanged), (0, 4, 0));

    let (code, again) = index_json(&index, &[&inputs]);
    assert_eq!((code, again.articles, again.unchanged), (0, 0, 3));

    // Same content, new modification time: confirmed unchanged by its hash.
    let a = std::fs::File::options()
        .append(true)
        .open(inputs.join("a.txt"))
        .expect("open");
    a.set_modified(std::time::SystemTime::now() + Duration::from_secs(60))
        .expect("touch");
    let (_, touched) = index_json(&index, &[&inputs]);
    assert_eq!((touched.articles, touched.unchanged), (0, 3));

    // A changed file replaces everything it held.
    write(
        &inputs.join("b.jsonl"),
        &jsonl(&format!(
            "{{\"id\": \"b3\", \"body\": \"{}\"}}\n",
            body("spoonbill wading")
        )),
    );
    let (_, changed) = index_json(&index, &[&inputs]);
    assert_eq!((changed.articles, changed.unchanged), (2, 2));
    assert_eq!(total_hits(&index, "egret"), 0, "the removed record is gone");
    assert_eq!(total_hits(&index, "spoonbill"), 1);
    assert_eq!(
        total_hits(&index, "heron"),
        1,
        "the kept record is there once"
    );
    assert_eq!(stats(&index)["articles"], 4);

    // A file that is gone stays until --prune.
    std::fs::remove_file(inputs.join("c.md")).expect("remove");
    let (_, kept) = index_json(&index, &[&inputs]);
    assert_eq!(kept.pruned, 0);
    assert_eq!(total_hits(&index, "stork"), 1);
    let output = gazette()
        .args(["index", "--quiet", "--prune", "--format", "json", "--index"])
        .arg(&index)
        .arg(&inputs)
        .output()
        .expect("runs");
    let pruned: IndexReportJson = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(pruned.pruned, 1);
    assert_eq!(total_hits(&index, "stork"), 0);
    assert_eq!(stats(&index)["articles"], 3);
}

#[test]
fn an_article_already_indexed_from_another_file_is_a_duplicate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = dir.path().join("index");
    let first = dir.path().join("first.jsonl");
    let second = dir.path().join("second.jsonl");
    write(
        &first,
        "{\"id\": \"dup-1\", \"body\": \"kingfisher diving\"}\n",
    );
    write(
        &second,
        "{\"id\": \"dup-1\", \"body\": \"kingfisher diving\"}\n",
    );
    let (_, report) = index_json(&index, &[&first]);
    assert_eq!(report.articles, 1);
    let (code, report) = index_json(&index, &[&second]);
    assert_eq!((code, report.articles), (0, 0));
    let reason = IndexReportJson::reason(&report.skipped, "second.jsonl").expect("skipped");
    assert!(
        reason.contains("duplicate of article `dup-1`") && reason.contains("first.jsonl:1"),
        "{reason}"
    );
    assert_eq!(total_hits(&index, "kingfisher"), 1);
}

/// A tiny seeded generator, so the kill moments are the same on every run.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn killed_runs_resume_with_every_article_exactly_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("inputs");
    let expected = write_collection(&inputs, 48, 50);
    assert!(expected >= 2000);
    let index = dir.path().join("index");

    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    for _ in 0..6 {
        let delay = Duration::from_millis(next(&mut seed) % 600);
        let mut child = gazette_process()
            .args(["index", "--quiet", "--commit-every", "1", "--index"])
            .arg(&index)
            .arg(&inputs)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawns");
        std::thread::sleep(delay);
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        if index.join("meta.json").exists() {
            // The index opens and answers at its last commit.
            let articles = stats(&index)["articles"].as_u64().expect("articles");
            assert!(articles as usize <= expected);
            total_hits(&index, "river");
        }
    }
    index_quietly(&index, &inputs);
    let stats = stats(&index);
    assert_eq!(stats["articles"], expected as u64, "none missing");
    assert_eq!(stats["passages"], expected as u64, "no duplicate passage");
    assert_eq!(total_hits(&index, "tok7x13"), 1);
    gazette()
        .args(["check", "--index"])
        .arg(&index)
        .assert()
        .success()
        .stdout(predicates::str::ends_with("ok\n"));
}

#[test]
fn a_second_writer_is_refused_and_searches_run_during_indexing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("inputs");
    let expected = write_collection(&inputs, 30, 40);
    let index = dir.path().join("index");
    let first_half = dir.path().join("first");
    write_collection(&first_half, 2, 10);
    index_quietly(&index, &first_half);

    let mut writer = gazette_process()
        .args(["index", "--quiet", "--index"])
        .arg(&index)
        .arg(&inputs)
        .stdout(Stdio::null())
        .spawn()
        .expect("spawns");
    wait_for_writer(&index);
    // Frozen while it holds the lock, so the checks below cannot race its end.
    freeze_outside_commit(writer.id(), &index);
    gazette()
        .args(["index", "--quiet", "--index"])
        .arg(&index)
        .arg(&inputs)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(format!(
            "locked by another gazette process (pid {})",
            writer.id()
        )));
    assert!(
        total_hits(&index, "river") > 0,
        "searches see the last commit"
    );
    signal(writer.id(), "CONT");
    for _ in 0..5 {
        total_hits(&index, "mining");
    }
    assert!(writer.wait().expect("waits").success());
    // The first twenty articles were already indexed from `first`: duplicates.
    assert_eq!(stats(&index)["articles"], expected as u64);

    // A killed writer leaves no lock behind.
    let mut killed = gazette_process()
        .args(["index", "--quiet", "--index"])
        .arg(&index)
        .arg(&first_half)
        .spawn()
        .expect("spawns");
    killed.kill().expect("SIGKILL");
    killed.wait().expect("reaped");
    index_quietly(&index, &first_half);
}

#[test]
fn ctrl_c_commits_what_is_done_and_the_next_run_finishes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("inputs");
    // Enough that the signal lands before the run reads every file, even
    // on a loaded machine (1,200 articles sometimes finished first).
    let expected = write_collection(&inputs, 40, 150);
    let index = dir.path().join("index");
    let writer = gazette_process()
        .args(["index", "--quiet", "--format", "json", "--index"])
        .arg(&index)
        .arg(&inputs)
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawns");
    wait_for_writer(&index);
    signal(writer.id(), "STOP");
    signal(writer.id(), "INT");
    signal(writer.id(), "CONT");
    let output = writer.wait_with_output().expect("waits");
    assert_eq!(output.status.code(), Some(130));
    let report: IndexReportJson = serde_json::from_slice(&output.stdout).expect("json");
    assert!(report.interrupted);
    assert!(report.not_read > 0, "stopped before reading everything");
    assert_eq!(report.commits, 1, "what was done is committed");
    let committed = stats(&index)["articles"].as_u64().expect("articles");
    assert!(committed < expected as u64, "stopped early: {committed}");

    let (code, report) = index_json(&index, &[&inputs]);
    assert_eq!(code, 0);
    assert!(!report.interrupted);
    assert_eq!(stats(&index)["articles"], expected as u64);
    assert_eq!(stats(&index)["passages"], expected as u64);
}

#[test]
fn check_verifies_checksums_counts_and_leftovers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("inputs");
    write_collection(&inputs, 3, 20);
    let index = dir.path().join("index");
    index_quietly(&index, &inputs);
    let check = |code: i32| {
        let output = gazette()
            .args(["check", "--format", "json", "--index"])
            .arg(&index)
            .output()
            .expect("runs");
        assert_eq!(
            output.status.code(),
            Some(code),
            "{}",
            String::from_utf8_lossy(&output.stdout)
        );
        serde_json::from_slice::<serde_json::Value>(&output.stdout).expect("json")
    };
    let clean = check(0);
    assert_eq!(clean["ok"], true);
    assert_eq!(clean["articles"], 60);
    assert_eq!(clean["inputs"], 3);

    let stray = index.join("gazette-manifest-00000000000000000999.json.tmp");
    write(&stray, "{}");
    assert_eq!(
        check(0)["leftovers"][0],
        "gazette-manifest-00000000000000000999.json.tmp"
    );
    index_quietly(&index, &inputs);
    assert!(!stray.exists(), "the next run removes leftovers");

    let store = std::fs::read_dir(&index)
        .expect("list")
        .flatten()
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|ext| ext == "store"))
        .expect("a store file");
    let mut bytes = std::fs::read(&store).expect("read");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&store, bytes).expect("write");
    let damaged = check(1);
    assert!(damaged["problems"][0]
        .as_str()
        .is_some_and(|problem| problem.contains("checksum mismatch")));
}

#[test]
fn more_bad_inputs_each_with_a_reason_and_neighbours_indexed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("inputs");
    write(
        &inputs.join("good.txt"),
        &format!("Good\n\n{}", body("puffin colony")),
    );
    let nested = format!(
        "{{\"body\": {}1{}}}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let wrong_types = "{\"title\": 42, \"body\": [\"avocet\", \"stilts\"], \"date\": {\"y\": 1}, \"lang\": true}\n";
    write(&inputs.join("odd.jsonl"), &format!("{nested}{wrong_types}"));
    write(
        &inputs.join("unclosed.md"),
        "---\ntitle: Never closed\ndate: 2020-01-01\n\nbody text\n",
    );
    write(
        &inputs.join("sub/inner.txt"),
        &format!("Inner\n\n{}", body("bittern boom")),
    );
    std::os::unix::fs::symlink(&inputs, inputs.join("sub/loop")).expect("symlink");
    let deep = format!(
        "<html><head><title>Deep page</title></head><body>{}<p>{}{}</body>",
        "<div>".repeat(10_000),
        body("gannet diving"),
        "<p>Unclosed <b>bold <i>italic".repeat(3)
    );
    write(&inputs.join("deep.html"), &deep);
    let page = format!(
        "<html><head><title>Undated capture</title></head><body><article><p>{}</p></article></body></html>",
        body("petrel gliding")
    );
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{page}",
        page.len()
    );
    // A response record without the WARC-Date the standard requires.
    let record = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.org/undated\r\n\
         WARC-Record-ID: <urn:uuid:1>\r\nContent-Type: application/http; msgtype=response\r\n\
         Content-Length: {}\r\n\r\n{response}\r\n\r\n",
        response.len()
    );
    write(&inputs.join("undated.warc"), &record);
    let locked = inputs.join("locked.txt");
    write(&locked, &format!("Locked\n\n{}", body("shearwater")));
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000))
        .expect("chmod");
    let readable_anyway = std::fs::File::open(&locked).is_ok(); // as root

    let (code, report) = index_json(&dir.path().join("index"), &[&inputs]);
    assert_eq!(code, 1);
    let failed = |name| IndexReportJson::reason(&report.failed, name);
    assert!(
        failed("odd.jsonl").is_some_and(|r| r.contains("line 1") && r.contains("recursion limit"))
    );
    assert!(failed("unclosed.md").is_some_and(|r| r.contains("never closed")));
    assert!(report
        .failed
        .iter()
        .any(|item| item.input.ends_with("loop") && item.reason.contains("symlink loop")));
    if readable_anyway {
        assert!(failed("locked.txt").is_none());
    } else {
        assert!(failed("locked.txt").is_some_and(|r| r.contains("ermission denied")));
    }
    // good, avocet record, inner, deep page, undated capture (+ locked)
    let expected = 5 + u64::from(readable_anyway);
    assert_eq!(report.articles, expected, "{:?}", report.failed);
    let index = dir.path().join("index");
    for (word, what) in [
        ("avocet", "a number title and an array body are read"),
        ("bittern", "inside the loop, indexed once"),
        ("gannet", "10 000 nested elements, unclosed tags"),
        ("petrel", "a WARC record without WARC-Date"),
    ] {
        assert_eq!(total_hits(&index, word), 1, "{word}: {what}");
    }
}

/// See: issue 22 (ten million invalid lines printed ten million failure lines).
#[test]
fn a_flood_of_bad_records_gives_a_bounded_report_and_a_full_stream() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("in");
    let mut lines = String::new();
    for n in 0..20_000 {
        lines.push_str(&format!("not json {n}\n"));
    }
    lines.push_str(&format!(
        "{{\"id\": \"good-1\", \"body\": \"{}\"}}\n",
        body("lapwing flock")
    ));
    write(&inputs.join("flood.jsonl"), &lines);
    let index = dir.path().join("index");

    let (code, report) = index_json(&index, &[&inputs]);
    assert_eq!((code, report.articles), (1, 1));
    assert_eq!(report.counts.failed.total, 20_000);
    assert_eq!(report.failed.len(), 20, "the first of the input are listed");
    assert_eq!(
        report.counts.failed.by_reason.len(),
        1,
        "{:?}",
        report.counts
    );
    assert_eq!(
        (report.counts.skipped.total, report.counts.warnings.total),
        (report.skipped.len() as u64, report.warnings.len() as u64)
    );

    let text = gazette()
        .args(["index", "--quiet", "--index"])
        .arg(dir.path().join("index-text"))
        .arg(&inputs)
        .output()
        .expect("runs");
    let printed = String::from_utf8_lossy(&text.stdout);
    assert!(printed.lines().count() < 40, "{printed}");
    assert!(
        printed.contains("failed (20000)") && printed.contains("19980 more"),
        "{printed}"
    );

    let streamed = gazette()
        .args(["index", "--quiet", "--format", "jsonl", "--index"])
        .arg(dir.path().join("index-jsonl"))
        .arg(&inputs)
        .output()
        .expect("runs");
    let lines: Vec<serde_json::Value> = streamed
        .stdout
        .split(|byte| *byte == b'\n')
        .filter(|line| !line.is_empty())
        .map(|line| serde_json::from_slice(line).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 20_001, "every failure, then the summary");
    assert!(lines[..20_000].iter().all(|line| line["kind"] == "failed"));
    assert_eq!(lines[20_000]["counts"]["failed"]["total"], 20_000);
}
