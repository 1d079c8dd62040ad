//! Countries an article is about, and authority aliases that hold by date
//! (issue 17, items 5 and 6), through the binary on generated inputs.

use std::path::Path;

use serde_json::Value;
use tempfile::TempDir;

use crate::util::{extract, gazette, index_json, search_index};

/// A collection of five articles: two Reuters-style datelines from 1987, a
/// 2004 article, a Spanish one and one about no country at all.
fn collection(dir: &Path) -> std::path::PathBuf {
    let records = [
        serde_json::json!({"id": "reuters-1987", "date": "1987-03-03",
            "title": "Exxon to sell refinery",
            "body": "BEVERLY HILLS, Calif., March 3 - Exxon said it agreed to sell a refinery \
                     to a group of West German and Dutch investors. The Soviet trade mission \
                     also bid."}),
        serde_json::json!({"id": "bbc-2004", "date": "2004-05-06",
            "title": "Exxon profits",
            "body": "Exxon reported record profits on Tuesday, helped by prices in Burma and \
                     strong demand from Japanese refiners."}),
        serde_json::json!({"id": "efe-2019", "date": "2019-02-01", "lang": "es",
            "title": "Crisis en la frontera",
            "body": "Caracas, 1 feb (EFE).- Miles de venezolanos cruzaron hacia Cúcuta, \
                     dijeron las autoridades colombianas."}),
        serde_json::json!({"id": "moscow-1987", "date": "1987-03-04",
            "title": "Grain output",
            "body": "MOSCOW, March 4 - Ukrainian grain output fell, officials said."}),
        serde_json::json!({"id": "nowhere", "date": "2019-02-02",
            "title": "Recipes",
            "body": "Boil the water, add the pasta and stir it for ten minutes."}),
    ];
    let path = dir.join("news.jsonl");
    let lines: Vec<String> = records.iter().map(Value::to_string).collect();
    std::fs::write(&path, lines.join("\n") + "\n").expect("writes");
    path
}

fn countries_of(articles: &[crate::util::ArticleJson], id: &str) -> Vec<String> {
    articles
        .iter()
        .find(|article| article.id == id)
        .map(|article| article.countries.clone())
        .unwrap_or_else(|| panic!("{id} extracted"))
}

// See: issue 17
#[test]
fn issue_17_extract_gives_each_article_its_countries_and_dated_names() {
    let dir = TempDir::new().expect("temp dir");
    let articles = extract(&collection(dir.path()));
    // Dateline (a city and a state abbreviation), demonyms, a historical
    // country; "West German" is West Germany, not Germany.
    assert_eq!(
        countries_of(&articles, "reuters-1987"),
        [
            "United States",
            "West Germany",
            "Netherlands",
            "Soviet Union"
        ]
    );
    assert_eq!(countries_of(&articles, "bbc-2004"), ["Myanmar", "Japan"]);
    // A Spanish dateline, a city of the hierarchy, lower-case demonyms.
    assert_eq!(
        countries_of(&articles, "efe-2019"),
        ["Venezuela", "Colombia"]
    );
    assert!(countries_of(&articles, "nowhere").is_empty());
    // A city and a demonym give the country of the article's time.
    assert_eq!(countries_of(&articles, "moscow-1987"), ["Soviet Union"]);
    // Exxon is Exxon Corporation in 1987, ExxonMobil in 2004.
    let orgs = |id: &str| -> Vec<String> {
        let article = articles.iter().find(|a| a.id == id).expect("article");
        article
            .entities
            .iter()
            .filter(|e| e.kind == "org")
            .map(|e| e.name.clone())
            .collect()
    };
    assert!(orgs("reuters-1987").contains(&"Exxon Corporation".to_owned()));
    assert!(orgs("bbc-2004").contains(&"ExxonMobil".to_owned()));
    // A place mention stays a place entity.
    let efe = articles.iter().find(|a| a.id == "efe-2019").expect("efe");
    assert!(efe
        .entities
        .iter()
        .any(|e| e.kind == "place" && e.name == "Caracas"));
}

// See: issue 17
#[test]
fn issue_17_country_filters_queries_and_facets_work_end_to_end() {
    let dir = TempDir::new().expect("temp dir");
    let input = collection(dir.path());
    let index = dir.path().join("index");
    let (code, _) = index_json(&index, &[&input]);
    assert_eq!(code, 0);
    let ids = |query: &str, extra: &[&str]| -> Vec<String> {
        let mut ids: Vec<String> = search_index(&index, query, extra)
            .hits
            .into_iter()
            .map(|hit| hit.article_id)
            .collect();
        ids.sort();
        ids.dedup();
        ids
    };
    // Aliases and accents resolve to the canonical name; any of several.
    assert_eq!(ids("*", &["--country", "USA"]), ["reuters-1987"]);
    assert_eq!(
        ids("*", &["--country", "Japón", "--country", "EE.UU."]),
        ["bbc-2004", "reuters-1987"]
    );
    assert_eq!(
        ids("country:\"Soviet Union\"", &[]),
        ["moscow-1987", "reuters-1987"]
    );
    assert_eq!(ids("+exxon +country:myanmar", &[]), ["bbc-2004"]);
    // Hits carry the article's countries.
    let hits = search_index(&index, "venezolanos", &[]).hits;
    assert_eq!(hits[0].countries, ["Venezuela", "Colombia"]);
    // An unknown country is a usage error that says what to give.
    let output = gazette()
        .args(["search", "*", "--country", "Atlantis", "--index"])
        .arg(&index)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not a country"));

    let output = gazette()
        .args(["facets", "--format", "json", "--index"])
        .arg(&index)
        .output()
        .expect("runs");
    assert!(output.status.success());
    let facets: Value = serde_json::from_slice(&output.stdout).expect("facets JSON");
    let countries: Vec<(String, u64)> = facets["countries"]
        .as_array()
        .expect("a Countries section")
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap_or_default().to_owned(),
                c["count"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    for (expected, count) in [
        ("Soviet Union", 2),
        ("United States", 1),
        ("Myanmar", 1),
        ("Venezuela", 1),
    ] {
        assert!(
            countries.contains(&(expected.to_owned(), count)),
            "{expected} in {countries:?}"
        );
    }
    let output = gazette()
        .args(["facets", "--country", "Venezuela", "--index"])
        .arg(&index)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("Countries"), "{text}");
    assert!(text.contains("Colombia"), "{text}");
    assert!(!text.contains("Japan"), "{text}");
}

// See: issue 17
#[test]
fn issue_17_a_malformed_validity_period_names_the_file_and_line() {
    let dir = TempDir::new().expect("temp dir");
    let authority = dir.path().join("mine.tsv");
    std::fs::write(
        &authority,
        "# mine\norg\tAcme Holdings\tAcme [2001-02-30..]\n",
    )
    .expect("writes");
    let input = collection(dir.path());
    let output = gazette()
        .arg("extract")
        .arg(&input)
        .arg("--authority")
        .arg(&authority)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("mine.tsv"), "{stderr}");
    assert!(stderr.contains("line 2"), "{stderr}");
    assert!(stderr.contains("YYYY-MM-DD"), "{stderr}");
}
