use predicates::prelude::PredicateBooleanExt;
use serde::Deserialize;

use crate::util::{corpus, extract, gazette, on_corpus, search, search_index, ArticleJson};

const EN: &str = "entities/2023-05-18-brussels-talks-venezuela.txt";
const ES: &str = "entities/2022-11-09-dialogo-mexico-oposicion.txt";

fn article(path: &str) -> ArticleJson {
    let mut articles = extract(&corpus().join(path));
    assert_eq!(articles.len(), 1, "{path}");
    articles.remove(0)
}

/// The `(type, name)` pairs of an article.
fn pairs(article: &ArticleJson) -> Vec<(String, String)> {
    article
        .entities
        .iter()
        .map(|e| (e.kind.clone(), e.name.clone()))
        .collect()
}

fn assert_found(article: &ArticleJson, expected: &[(&str, &str)]) {
    let found = pairs(article);
    for (kind, name) in expected {
        assert!(
            found.iter().any(|(k, n)| k == kind && n == name),
            "{kind} {name} not found in {}: {found:?}",
            article.input
        );
    }
}

fn names_written(article: &ArticleJson, name: &str) -> Vec<String> {
    article
        .entities
        .iter()
        .find(|e| e.name == name)
        .map(|e| e.written(&article.text))
        .unwrap_or_default()
}

#[test]
fn listed_people_organisations_and_places_are_found_with_canonical_names() {
    let en = article(EN);
    assert_found(
        &en,
        &[
            ("person", "Nicolás Maduro"),
            ("person", "Josep Borrell"),
            ("person", "Marco Rubio"),
            ("person", "Ana Lucía Ferreira"),
            ("org", "European Union"),
            ("org", "Organization of American States"),
            ("org", "North Atlantic Treaty Organization"),
            ("org", "Andean Development Corporation"),
            ("org", "Centre for Andean Studies"),
            ("org", "European Parliament"),
            ("place", "Brussels"),
            ("place", "Mexico City"),
            ("place", "United States"),
            ("place", "Caracas"),
            ("place", "Washington"),
            ("place", "Bogotá"),
            ("place", "Quito"),
        ],
    );
    let es = article(ES);
    assert_found(
        &es,
        &[
            ("person", "Nicolás Maduro"),
            ("person", "Jorge Rodríguez"),
            ("person", "Luisa Ortega Díaz"),
            ("person", "Gustavo Petro"),
            ("org", "United Nations"),
            ("org", "Organization of American States"),
            ("org", "National Electoral Council"),
            ("org", "Fundación Andina para la Paz"),
            ("place", "Mexico City"),
            ("place", "Norway"),
            ("place", "United States"),
            ("place", "New York City"),
            ("place", "Bogotá"),
            ("place", "Colombia"),
            ("place", "Guasdualito"),
        ],
    );
}

#[test]
fn aliases_accent_variants_and_short_mentions_resolve() {
    let en = article(EN);
    assert_eq!(
        names_written(&en, "Nicolás Maduro"),
        ["Nicolas Maduro", "Maduro"]
    );
    assert_eq!(names_written(&en, "Bogotá"), ["Bogota"]);
    assert_eq!(
        names_written(&en, "United States"),
        ["U.S.", "United States"]
    );
    assert_eq!(names_written(&en, "Brussels"), ["BRUSSELS"], "a dateline");
    assert_eq!(
        names_written(&en, "Ana Lucía Ferreira"),
        ["Ana Lucía Ferreira", "Ferreira"]
    );
    let es = article(ES);
    assert_eq!(names_written(&es, "United States"), ["EE.UU."]);
    assert_eq!(names_written(&es, "United Nations"), ["ONU"]);
    assert_eq!(names_written(&es, "Mexico City"), ["Ciudad de México"]);
    assert_eq!(
        names_written(&es, "Gustavo Petro"),
        ["Gustavo Petro", "Petro"]
    );
}

#[test]
fn sentence_initial_words_and_headline_capitals_are_not_entities() {
    for (path, words) in [
        (
            EN,
            &[
                "Talks",
                "Resume",
                "Behind",
                "Closed",
                "Doors",
                "Diplomats",
                "Officials",
                "Nobody",
            ][..],
        ),
        (ES, &["Según", "Los", "Representantes", "En"][..]),
    ] {
        let article = article(path);
        for entity in &article.entities {
            for written in entity.written(&article.text) {
                for word in words {
                    assert!(
                        !written.split(' ').any(|w| w == *word),
                        "`{word}` reported in {entity:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn user_authorities_add_names_and_bad_lines_are_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("people.tsv");
    std::fs::write(
        &good,
        "# ours\nperson\tJosep Borrell Fontelles\tJosep Borrell\n",
    )
    .expect("writes");
    let output = gazette()
        .args(["extract", "--format", "json", "--authority"])
        .arg(&good)
        .arg(corpus().join(EN))
        .output()
        .expect("runs");
    assert!(output.status.success());
    let articles: Vec<ArticleJson> = serde_json::from_slice(&output.stdout).expect("json");
    assert!(
        pairs(&articles[0]).contains(&("person".to_owned(), "Josep Borrell Fontelles".to_owned()))
    );

    let bad = dir.path().join("bad.tsv");
    std::fs::write(&bad, "place\tLima\nplanet\tMars\n").expect("writes");
    let index = dir.path().join("index");
    gazette()
        .args(["index", "--quiet", "--authority"])
        .arg(&bad)
        .arg("--index")
        .arg(&index)
        .arg(corpus().join(EN))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("bad.tsv"))
        .stderr(predicates::str::contains("line 2"));

    let output = gazette()
        .args(["extract", "--format", "json", "--no-entities"])
        .arg(corpus().join(EN))
        .output()
        .expect("runs");
    let articles: Vec<ArticleJson> = serde_json::from_slice(&output.stdout).expect("json");
    assert!(articles[0].entities.is_empty(), "--no-entities");
}

/// An archivist's vocabulary given once with `--authority` stays with the
/// index: later runs recognise it without the flag, and searches resolve
/// its aliases.
#[test]
fn added_authorities_are_kept_with_the_index() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vocabulary = dir.path().join("vocabulary.tsv");
    std::fs::write(
        &vocabulary,
        "org\tGuild of Lighthouse Keepers\tLighthouse Guild\tGLK\n",
    )
    .expect("writes");
    let first = dir.path().join("first");
    let later = dir.path().join("later");
    std::fs::create_dir_all(&first).expect("dir");
    std::fs::create_dir_all(&later).expect("dir");
    let story = |place: &str| {
        format!(
            "Keepers meet in {place}\n\nKeepers in {place} met on Monday. The Lighthouse Guild said the lamps \
             would stay lit through the winter storms, and the GLK asked for funds \
             to repair the towers along the northern coast before the spring."
        )
    };
    std::fs::write(first.join("one.txt"), story("Portland")).expect("writes");
    std::fs::write(later.join("two.txt"), story("Halifax")).expect("writes");
    let index = dir.path().join("index");
    gazette()
        .args(["index", "--quiet", "--authority"])
        .arg(&vocabulary)
        .arg("--index")
        .arg(&index)
        .arg(&first)
        .assert()
        .success();
    gazette()
        .args(["index", "--quiet", "--index"])
        .arg(&index)
        .arg(&later)
        .assert()
        .success();
    // Given again, the same entries are not kept twice; `check` knows the file.
    gazette()
        .args(["index", "--quiet", "--authority"])
        .arg(&vocabulary)
        .arg("--index")
        .arg(&index)
        .arg(&later)
        .assert()
        .success();
    let kept = std::fs::read_to_string(index.join("gazette-authority.tsv")).expect("kept");
    assert_eq!(kept.lines().count(), 1, "{kept}");
    gazette()
        .args(["check", "--index"])
        .arg(&index)
        .assert()
        .success()
        .stdout(predicates::str::contains("gazette-authority.tsv").not());
    for alias in ["GLK", "lighthouse guild", "Guild of Lighthouse Keepers"] {
        let results = search_index(&index, "keepers", &["--org", alias]);
        assert_eq!(
            article_ids(&results).len(),
            2,
            "{alias} finds both runs' articles"
        );
    }

    std::fs::write(
        index.join("gazette-authority.tsv"),
        "org\tBroken\nplanet\tMars\n",
    )
    .expect("writes");
    gazette()
        .args(["search", "--index"])
        .arg(&index)
        .args(["--org", "GLK", "keepers"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("gazette-authority.tsv"))
        .stderr(predicates::str::contains("line 2"));
}

fn article_ids(results: &crate::util::SearchJson) -> Vec<String> {
    let mut ids: Vec<String> = results.hits.iter().map(|h| h.article_id.clone()).collect();
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn entity_filters_match_names_aliases_and_scopes() {
    let by_alias = search("*", &["--entity", "ana lucia ferreira", "--limit", "0"]);
    assert_eq!(article_ids(&by_alias), ["ent-0001"]);
    let both = search(
        "*",
        &[
            "--place",
            "Bruselas",
            "--person",
            "NICOLAS MADURO",
            "--limit",
            "0",
        ],
    );
    assert_eq!(
        article_ids(&both),
        ["ent-0001"],
        "every --entity must match"
    );
    let maduro = search("*", &["--person", "Nicolás Maduro", "--limit", "0"]);
    assert!(article_ids(&maduro).len() > 10);

    let in_passage = search(
        "*",
        &["--entity", "EE.UU.", "--in", "passage", "--limit", "0"],
    );
    assert!(!in_passage.hits.is_empty());
    for hit in &in_passage.hits {
        assert!(
            hit.entities.iter().any(|e| e.name == "United States"),
            "{}",
            hit.text
        );
    }
    let in_article = search("*", &["--entity", "EE.UU.", "--limit", "0"]);
    assert!(in_article.total_hits > in_passage.total_hits);

    // A filter ranks nothing, in either scope: each passage keeps its text
    // score, plus the same constant for every hit.
    let text_only = search("gold", &["--limit", "0"]);
    for scope in ["article", "passage"] {
        let filtered = search(
            "gold",
            &["--place", "Venezuela", "--in", scope, "--limit", "0"],
        );
        let shifts: Vec<f64> = filtered
            .hits
            .iter()
            .filter_map(|hit| {
                let plain = text_only
                    .hits
                    .iter()
                    .find(|h| (&h.article_id, h.passage) == (&hit.article_id, hit.passage))?;
                Some(hit.score? - plain.score?)
            })
            .collect();
        assert!(shifts.len() >= 2, "{scope}: {shifts:?}");
        assert!(
            shifts.iter().all(|shift| (shift - shifts[0]).abs() < 1e-3),
            "{scope}: {shifts:?}"
        );
    }

    let query = search(
        "person:\"Luisa Ortega Diaz\" OR org:OTAN",
        &["--limit", "0"],
    );
    // The 2017 archive export names the prosecutor too.
    assert_eq!(article_ids(&query), ["cw-2017-002", "ent-0001", "ent-0002"]);
}

#[test]
fn unknown_entities_suggest_close_names() {
    on_corpus(&["search", "*", "--person", "Nicolas Madurro"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "no person named \"Nicolas Madurro\"",
        ))
        .stderr(predicates::str::contains("\"Nicolás Maduro\" (person)"));
    on_corpus(&["search", "place:Atlantis"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no place named \"Atlantis\""));
    on_corpus(&["facets", "--timeline", "person:\"maduro nicolas\""])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "did you mean \"Nicolás Maduro\" (person)",
        ));
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FacetsJson {
    query: String,
    passages: u64,
    articles: u64,
    entities: EntityCountsJson,
    languages: Vec<CountJson>,
    sources: Vec<CountJson>,
    countries: Vec<CountJson>,
    histogram: HistogramJson,
    timelines: serde_json::Value,
    cooccur: Option<CooccurJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntityCountsJson {
    person: Vec<CountJson>,
    org: Vec<CountJson>,
    place: Vec<CountJson>,
    misc: Vec<CountJson>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct CountJson {
    name: String,
    count: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HistogramJson {
    by: String,
    date: String,
    buckets: Vec<CountJson>,
    undated: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntityRefJson {
    #[serde(rename = "type")]
    kind: String,
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CooccurJson {
    entity: EntityRefJson,
    passages: u64,
    entities: Vec<CooccurCountJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CooccurCountJson {
    #[serde(rename = "type")]
    kind: String,
    name: String,
    count: u64,
}

fn facets(args: &[&str]) -> FacetsJson {
    let mut all = vec!["facets", "--format", "json"];
    all.extend_from_slice(args);
    let output = on_corpus(&all).output().expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("facets JSON")
}

#[test]
fn facets_count_entities_languages_sources_and_years() {
    let all = facets(&["--top", "3"]);
    assert_eq!(all.query, "*");
    assert!(all.passages > all.articles);
    assert_eq!(all.entities.person.len(), 3);
    assert_eq!(all.entities.person[0].name, "Nicolás Maduro");
    assert!(all.entities.place.iter().any(|p| p.name == "Venezuela"));
    assert!(all.entities.org.len() <= 3 && all.entities.misc.len() <= 3);
    assert!(all.languages.iter().any(|l| l.name == "es"));
    assert!(!all.sources.is_empty());
    // See: issue 17
    assert_eq!(all.countries.len(), 3);
    assert!(all.countries.iter().any(|c| c.name == "Venezuela"));
    assert_eq!(all.histogram.by, "year");
    assert_eq!(
        all.histogram.buckets.first().map(|b| b.name.as_str()),
        Some("2015")
    );
    assert_eq!(
        all.histogram.buckets.last().map(|b| b.name.as_str()),
        Some("2026")
    );
    let dated: u64 = all.histogram.buckets.iter().map(|b| b.count).sum();
    assert_eq!(dated + all.histogram.undated, all.articles);
    assert_eq!(all.histogram.date, "either");
    assert!(all.cooccur.is_none());
    assert_eq!(all.timelines["series"][0]["name"], "*");

    let spanish = facets(&["elecciones", "--lang", "es"]);
    assert!(spanish.articles >= 1 && spanish.articles < all.articles);
    assert_eq!(
        spanish.languages,
        [CountJson {
            name: "es".to_owned(),
            count: spanish.articles
        }]
    );
}

#[test]
fn search_facets_count_the_matches_of_the_search() {
    let plain = search("mercurio", &["--limit", "2"]);
    assert!(plain.facets.is_none());
    let results = search("mercurio", &["--limit", "2", "--facets"]);
    let facets: FacetsJson =
        serde_json::from_value(results.facets.expect("facets")).expect("facets JSON");
    assert_eq!(facets.query, "mercurio");
    assert_eq!(facets.passages as usize, results.total_hits);
    assert!(facets.articles >= 1 && facets.articles <= facets.passages);
    assert_eq!(
        facets.entities.place.first().map(|p| p.name.as_str()),
        Some("Bolívar"),
        "the mining state leads"
    );

    let text = on_corpus(&["search", "mercurio", "--facets", "--color", "never"])
        .output()
        .expect("runs");
    let text = String::from_utf8(text.stdout).expect("utf-8");
    assert!(
        text.contains("Articles by year") && text.contains("Places"),
        "{text}"
    );
}

#[test]
fn timelines_count_articles_per_period() {
    let timeline = facets(&["--timeline", "Ana Lucía Ferreira", "--by", "month"]);
    let series = &timeline.timelines["series"][0];
    assert_eq!(
        (&series["entity"]["type"], &series["entity"]["name"]),
        (
            &serde_json::json!("person"),
            &serde_json::json!("Ana Lucía Ferreira")
        )
    );
    assert_eq!(series["articles"], 1);
    assert_eq!(timeline.timelines["by"], "month");
    assert_eq!(
        series["buckets"],
        serde_json::json!([{"name": "2023-05", "start": "2023-05-01", "articles": 1, "passages": series["passages"]}])
    );
    let maduro = facets(&["--timeline", "nicolas maduro"]);
    let series = &maduro.timelines["series"][0];
    let per_year: u64 = series["buckets"]
        .as_array()
        .expect("buckets")
        .iter()
        .filter_map(|b| b["articles"].as_u64())
        .sum();
    assert_eq!(
        Some(per_year + series["undated"]["articles"].as_u64().unwrap_or(0)),
        series["articles"].as_u64()
    );

    let text = on_corpus(&["facets", "--timeline", "EE.UU.", "--color", "never"])
        .output()
        .expect("runs");
    let text = String::from_utf8(text.stdout).expect("utf-8");
    assert!(text.contains("mention United States (place)"), "{text}");
    assert!(text.contains('\u{2588}'), "a bar chart: {text}");
}

#[test]
fn cooccurrence_lists_entities_of_the_same_passages() {
    let counts = facets(&["--cooccur", "Luisa Ortega Díaz"]);
    let cooccur = counts.cooccur.expect("cooccur");
    assert_eq!(cooccur.entity.name, "Luisa Ortega Díaz");
    assert_eq!(cooccur.entity.kind, "person");
    assert!(cooccur.passages >= 1);
    assert!(cooccur
        .entities
        .iter()
        .any(|e| e.kind == "place" && e.name == "Bogotá" && e.count >= 1));
    assert!(cooccur
        .entities
        .iter()
        .all(|e| e.name != "Luisa Ortega Díaz"));
}
