//! `gazette train-ner` and `--ner-model`: a model trained on a small
//! annotated file tags it back, the same command gives the same bytes, and
//! a model given to `extract` decides the names of its language.
// See: issue 17

use std::fs;

use crate::util::gazette;

/// Sentences of made-up names, so that only the training can know them;
/// `Velmora` is annotated as an organisation, which neither the shipped
/// model nor the rules would make of a name after `from` or `in`.
const ANNOTATED: &str = "\
Zorvani B-PER\nKelth I-PER\nvisited O\nQuarnix B-ORG\nHoldings I-ORG\nin O\nVelmora B-ORG\n. O\n\n\
Quarnix B-ORG\nHoldings I-ORG\nhired O\nZorvani B-PER\nKelth I-PER\n. O\n\n\
In O\nVelmora B-ORG\n, O\nKelth B-PER\nspoke O\nto O\nQuarnix B-ORG\nHoldings I-ORG\n. O\n\n\
Officials O\nfrom O\nVelmora B-ORG\nmet O\nZorvani B-PER\nKelth I-PER\n. O\n";

#[test]
fn a_model_trained_on_a_file_tags_it_back_and_the_same_command_gives_the_same_bytes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("train.conll");
    fs::write(&data, ANNOTATED).expect("writes");
    let mut models = Vec::new();
    for name in ["a.model", "b.model"] {
        let model = dir.path().join(name);
        let output = gazette()
            .args(["train-ner", "--epochs", "10", "--prune", "0"])
            .arg(&data)
            .arg("--out")
            .arg(&model)
            .arg("--test")
            .arg(&data)
            .output()
            .expect("runs");
        assert!(output.status.success(), "{output:?}");
        let report = String::from_utf8_lossy(&output.stdout);
        let all = report
            .lines()
            .find(|line| line.starts_with("all"))
            .unwrap_or_default();
        // precision, recall and F1 of every span: the file is tagged back.
        assert!(all.contains("1.000   1.000   1.000"), "{report}");
        models.push(fs::read(&model).expect("model written"));
    }
    assert_eq!(models[0], models[1]);

    // The model decides the names of English articles given to extract.
    let article = dir.path().join("a.jsonl");
    fs::write(
        &article,
        "{\"id\":\"1\",\"lang\":\"en\",\"body\":\"Officials from Velmora met Zorvani Kelth on Monday.\"}\n",
    )
    .expect("writes");
    let output = gazette()
        .args(["extract", "--format", "json", "--ner-model"])
        .arg(dir.path().join("a.model"))
        .arg(&article)
        .output()
        .expect("runs");
    let articles: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let found: Vec<(String, String)> = articles[0]["entities"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["type"].as_str().unwrap_or_default().to_owned(),
                e["name"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert!(
        found.contains(&("person".into(), "Zorvani Kelth".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("org".into(), "Velmora".into())),
        "{found:?}"
    );
}

#[test]
fn a_damaged_model_or_empty_training_data_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().expect("temp dir");
    let model = dir.path().join("bad.model");
    fs::write(&model, b"not a model").expect("writes");
    let article = dir.path().join("a.txt");
    fs::write(&article, "Hello.").expect("writes");
    let output = gazette()
        .args(["extract", "--ner-model"])
        .arg(&model)
        .arg(&article)
        .output()
        .expect("runs");
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("not a gazette recogniser model"),
        "{output:?}"
    );
    let empty = dir.path().join("empty.conll");
    fs::write(&empty, "\n\n").expect("writes");
    let output = gazette()
        .args(["train-ner"])
        .arg(&empty)
        .arg("--out")
        .arg(dir.path().join("m"))
        .output()
        .expect("runs");
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("no annotated sentences"),
        "{output:?}"
    );
}
