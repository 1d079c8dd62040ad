//! Issue 22's ways of losing articles, each rebuilt through the binary:
//! inputs named twice, swapped contents, moved folders and pruning,
//! duplicates whose kept copy goes away, names differing only in bytes
//! that are not UTF-8, prune roots, and ids shared across files.
//! See: issue 22.

use std::path::{Path, PathBuf};

use crate::util::{gazette, index_json, index_json_with, stats, total_hits, IndexReportJson};

/// A sentence of 20+ words, made distinct by `marker`.
fn sentence(marker: &str) -> String {
    format!(
        "The {marker} council met on the harbour front to discuss the market, the river \
         crossing and the forest fires that the mayor described on Monday evening."
    )
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

/// `gazette check` of `index`: whether it says ok, and its JSON.
fn check(index: &Path) -> (bool, serde_json::Value) {
    let output = gazette()
        .args(["check", "--format", "json", "--index"])
        .arg(index)
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("check json");
    (output.status.success() && json["ok"] == true, json)
}

fn articles(index: &Path) -> u64 {
    stats(index)["articles"].as_u64().expect("articles")
}

#[test]
fn an_input_named_twice_or_reached_twice_is_read_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let news = dir.path().join("news");
    write(
        &news.join("2024/a.txt"),
        &format!("Alpha\n\n{}", sentence("alpha")),
    );
    write(
        &news.join("b.txt"),
        &format!("Beta\n\n{}", sentence("beta")),
    );
    std::os::unix::fs::symlink("2024", news.join("current")).expect("symlink");
    let a = news.join("2024/a.txt");
    let idx = dir.path().join("idx");

    let (code, report) = index_json_with(&idx, &[&a, &a], &[]);
    assert_eq!((code, report.files, report.articles), (0, 1, 1));
    let (code, report) = index_json_with(
        &idx,
        &[&news, &news.join("2024"), &news.join("current")],
        &[],
    );
    assert_eq!((code, report.files), (0, 2));
    assert_eq!(articles(&idx), 2);
    assert!(check(&idx).0, "{}", check(&idx).1);
}

#[test]
fn swapping_the_contents_of_two_files_keeps_both_articles() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("in");
    let (a, b) = (inputs.join("a.txt"), inputs.join("b.txt"));
    write(&a, &format!("Alpha\n\n{}", sentence("alpha")));
    write(&b, &format!("Beta\n\n{} zz", sentence("alpha")));
    let idx = dir.path().join("idx");
    index_json_with(&idx, &[&inputs], &[]);
    let (text_a, text_b) = (
        std::fs::read(&a).expect("read"),
        std::fs::read(&b).expect("read"),
    );
    std::fs::write(&a, text_b).expect("write");
    std::fs::write(&b, text_a).expect("write");
    let (code, _) = index_json_with(&idx, &[&inputs], &[]);
    assert_eq!((code, articles(&idx)), (0, 2));
    assert_eq!(total_hits(&idx, "zz"), 1);
    assert!(check(&idx).0);
}

#[test]
fn a_moved_folder_then_prune_keeps_every_article() {
    let dir = tempfile::tempdir().expect("temp dir");
    let col = dir.path().join("col");
    for name in ["a", "b", "c"] {
        write(
            &col.join(format!("news/{name}.txt")),
            &format!("Title {name}\n\n{}", sentence(name)),
        );
    }
    let idx = dir.path().join("idx");
    index_json_with(&idx, &[&col], &[]);
    std::fs::rename(col.join("news"), col.join("archive")).expect("move");
    index_json_with(&idx, &[&col], &[]);
    assert_eq!(articles(&idx), 3);
    let (code, report) = index_json_with(&idx, &[&col], &["--prune"]);
    assert_eq!((code, report.pruned), (0, 3));
    assert_eq!(articles(&idx), 3, "the copies under archive/ are kept");
    assert!(check(&idx).0, "{}", check(&idx).1);
    let cited: Vec<String> = crate::util::search_index(&idx, "council", &[])
        .hits
        .into_iter()
        .map(|hit| hit.provenance.file)
        .collect();
    assert!(
        cited.iter().all(|file| file.contains("archive")),
        "{cited:?}"
    );
}

#[test]
fn a_duplicate_is_indexed_when_its_kept_copy_is_deleted_or_edited() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("in");
    let text = format!("Same\n\n{}", sentence("copied"));
    let (first, second) = (inputs.join("a.txt"), inputs.join("b.txt"));
    write(&first, &text);
    write(&second, &text);
    let idx = dir.path().join("idx");
    let (_, report) = index_json_with(&idx, &[&inputs], &[]);
    assert_eq!(report.articles, 1);
    assert!(IndexReportJson::reason(&report.skipped, "b.txt")
        .is_some_and(|reason| reason.contains("duplicate of article") && reason.contains("a.txt")));

    // Edited: its new text is indexed, and the duplicate comes back.
    write(&first, &format!("Other\n\n{}", sentence("edited")));
    index_json_with(&idx, &[&inputs], &[]);
    assert_eq!(articles(&idx), 2);
    assert_eq!(total_hits(&idx, "copied"), 1);
    assert!(check(&idx).0);

    // Copied back, then deleted and pruned: the other copy stays.
    write(&first, &text);
    index_json_with(&idx, &[&inputs], &[]);
    assert_eq!(articles(&idx), 1);
    std::fs::remove_file(&first).expect("delete");
    index_json_with(&idx, &[&inputs], &["--prune"]);
    assert_eq!((articles(&idx), total_hits(&idx, "copied")), (1, 1));
    assert!(check(&idx).0, "{}", check(&idx).1);
}

#[test]
fn names_that_differ_only_in_bytes_that_are_not_utf8_are_two_inputs() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("in");
    let name = |byte: u8| {
        inputs.join(std::ffi::OsStr::from_bytes(&[
            b'x', byte, b'.', b't', b'x', b't',
        ]))
    };
    write(&name(0xff), &format!("One\n\n{}", sentence("first")));
    write(&name(0xfe), &format!("Two\n\n{}", sentence("second")));
    let idx = dir.path().join("idx");
    for _ in 0..3 {
        index_json_with(&idx, &[&inputs], &[]);
        assert_eq!(articles(&idx), 2);
        assert_eq!(
            (total_hits(&idx, "first"), total_hits(&idx, "second")),
            (1, 1)
        );
    }
    assert!(check(&idx).0);
}

#[test]
fn prune_works_by_path_components_under_roots_that_exist() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (news, old) = (dir.path().join("news"), dir.path().join("news-old"));
    write(&news.join("a.txt"), &format!("A\n\n{}", sentence("kept")));
    write(&old.join("b.txt"), &format!("B\n\n{}", sentence("older")));
    let idx = dir.path().join("idx");
    index_json_with(&idx, &[&news, &old], &[]);
    std::fs::remove_file(old.join("b.txt")).expect("delete");
    let (code, report) = index_json_with(&idx, &[&news], &["--prune"]);
    assert_eq!(
        (code, report.pruned),
        (0, 0),
        "news-old/ is not under news/"
    );
    assert_eq!(articles(&idx), 2);

    let missing = dir.path().join("gone");
    let output = gazette()
        .args(["index", "--quiet", "--prune", "--index"])
        .arg(&idx)
        .arg(&missing)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("--prune") && message.contains("gone"),
        "{message}"
    );
    assert_eq!(articles(&idx), 2, "nothing pruned");

    let (code, report) = index_json_with(&idx, &[&news, &old], &["--prune"]);
    assert_eq!((code, report.pruned, articles(&idx)), (0, 1, 1));
    assert!(check(&idx).0);
}

#[test]
fn an_id_shared_across_files_is_kept_from_the_first_path_whatever_the_order_of_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let record = |body: &str| {
        format!(
            "{{\"id\": \"shared-1\", \"body\": \"{}\"}}\n",
            sentence(body)
        )
    };
    let (a, b): (PathBuf, PathBuf) = (dir.path().join("a.jsonl"), dir.path().join("b.jsonl"));
    write(&a, &record("anchovy"));
    write(&b, &record("bluefin"));
    for order in [[&a, &b], [&b, &a]] {
        let idx = dir
            .path()
            .join(format!("idx-{}", order[0].display()).replace('/', "_"));
        let (code, _) = index_json_with(&idx, &[order[0]], &[]);
        assert_eq!(code, 0);
        let (code, report) = index_json_with(&idx, &[order[1]], &[]);
        assert_eq!(code, 0);
        assert_eq!(
            (total_hits(&idx, "anchovy"), total_hits(&idx, "bluefin")),
            (1, 0),
            "a.jsonl sorts first"
        );
        assert!(
            report
                .skipped
                .iter()
                .any(|item| item.input.ends_with("b.jsonl") && item.reason.contains("shared-1")),
            "{:?}",
            report.skipped
        );
        assert!(check(&idx).0, "{}", check(&idx).1);
    }
    // Both in one run, on two threads: the same outcome every time.
    for _ in 0..3 {
        let idx = tempfile::tempdir().expect("temp dir");
        let (code, _) = index_json(idx.path(), &[&b, &a]);
        assert_eq!(code, 0);
        assert_eq!(total_hits(idx.path(), "anchovy"), 1);
    }
}

#[test]
fn check_tells_files_it_will_remove_from_files_it_leaves_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("in");
    write(&inputs.join("a.txt"), &format!("A\n\n{}", sentence("only")));
    let idx = dir.path().join("idx");
    index_json_with(&idx, &[&inputs], &[]);
    write(&idx.join("notes.txt"), "the archivist's notes");
    let (ok, json) = check(&idx);
    assert!(ok, "{json}");
    assert_eq!(json["foreign_files"][0], "notes.txt");
    assert_eq!(json["leftovers"].as_array().map(Vec::len), Some(0));
    assert_eq!(json["writer_active"], false);
    index_json_with(&idx, &[&inputs], &[]);
    assert!(idx.join("notes.txt").exists());
}

/// Found by the model-based test (seed 7): a file renamed away, its
/// article lost when the copy that replaced it was edited, then the file
/// put back with its old content, same bytes as when it was first read.
#[test]
fn a_file_put_back_after_its_article_was_lost_is_read_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let col = dir.path().join("col");
    let (first, moved) = (col.join("d0/g.txt"), col.join("a.txt"));
    let text = format!("Zero\n\n{}", sentence("returning"));
    write(&first, &text);
    let idx = dir.path().join("idx");
    index_json_with(&idx, &[&col], &[]);
    std::fs::rename(&first, &moved).expect("rename");
    index_json_with(&idx, &[&col], &[]);
    write(&moved, &format!("One\n\n{}", sentence("edited")));
    index_json_with(&idx, &[&col], &[]);
    assert_eq!(total_hits(&idx, "returning"), 0, "no file holds it now");
    write(&first, &text);
    let (code, _) = index_json_with(&idx, &[&col], &[]);
    assert_eq!(code, 0);
    assert_eq!(total_hits(&idx, "returning"), 1);
    assert!(check(&idx).0, "{}", check(&idx).1);
}
