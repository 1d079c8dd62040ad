//! Web pages and web archives: the committed HTML pages and wget WARC in
//! `corpus/`, WARCs built here for every kind of damage, and (when
//! `../shared` is there) third-party archives.

use std::io::Write;
use std::path::Path;

use crate::util::{corpus, extract, gazette, index_json, index_json_with, repo, ArticleJson};

fn one(path: &str) -> ArticleJson {
    let mut articles = extract(&corpus().join(path));
    assert_eq!(articles.len(), 1, "{path}");
    articles.remove(0)
}

/// Words of the pages' furniture: menus, banners, share buttons, related
/// lists, comments, footers, scripts and styles.
const BOILERPLATE: &[&str] = &[
    "Subscribe",
    "Suscríbete",
    "cookies",
    "Accept all",
    "Share on",
    "Compartir",
    "Related stories",
    "Noticias relacionadas",
    "Le puede interesar",
    "All rights reserved",
    "Todos los derechos reservados",
    "Privacy policy",
    "Great reporting",
    "Most read",
    "Trending",
    "Advertisement",
    "dataLayer",
    "font-family",
    "Portada",
    "Inicio",
    "Redacción",
];

#[test]
fn html_pages_read_as_a_person_reads_them() {
    // (file, title, published, date origin, url, first words, last words)
    let expected = [
        (
            "html/lithium-claims-catamarca.html",
            "Lithium rush brings hundreds of mining claims to Argentina's salt flats",
            "2023-05-17",
            "html-meta",
            Some("https://www.andesherald.com/economy/lithium-claims-catamarca"),
            "Lithium prospectors have filed",
            "remain poorly understood.",
        ),
        (
            "html/cafe-roya-jinotega.html",
            "La roya y la sequía hunden la cosecha de café en el norte de Nicaragua",
            "2022-11-08",
            "json-ld",
            None,
            "Los productores de café",
            "las pérdidas acumuladas.",
        ),
        (
            "html/grenadines-fishermen-catch.htm",
            "Grenadines fishermen see catches halve as seas warm",
            "2021-09-22",
            "html-meta",
            None,
            "Fishermen in the Grenadines",
            "ministerial meeting next month.",
        ),
        (
            "html/magdalena-sequia-barrancabermeja.html",
            "Sequía deja al río Magdalena en su nivel más bajo en 17 años",
            "2024-01-29",
            "html-meta",
            None,
            "El caudal del río Magdalena",
            "llega a los acueductos.",
        ),
        (
            "html/monteverde-hummingbird-count.html",
            "Record hummingbird count in Monteverde cloud forest",
            "2019-08-14",
            "url",
            Some("https://www.northernledger.com/2019/08/14/monteverde-hummingbird-count/"),
            "A volunteer survey of the cloud forests",
            "listen through the night.",
        ),
        (
            "html/transporte-caracas-repuestos.html",
            "Falta de repuestos paraliza el transporte público en Caracas",
            "2025-02-12",
            "dateline",
            None,
            "Caracas, 12 de febrero de 2025.",
            "por razones de seguridad.",
        ),
    ];
    for (file, title, published, origin, url, first, last) in expected {
        let article = one(file);
        assert_eq!(article.title.as_deref(), Some(title), "{file}");
        assert_eq!(
            (article.published.as_deref(), article.date_origin.as_str()),
            (Some(published), origin),
            "{file}"
        );
        assert_eq!(article.url.as_deref(), url, "{file}");
        assert!(
            article.text.starts_with(first) && article.text.ends_with(last),
            "{file}: {}",
            article.text
        );
        for word in BOILERPLATE {
            assert!(!article.text.contains(word), "{file}: `{word}` in the body");
        }
        assert!(
            article.warnings.is_empty(),
            "{file}: {:?}",
            article.warnings
        );
    }
    let lithium = one("html/lithium-claims-catamarca.html");
    assert_eq!(lithium.author.as_deref(), Some("Martín Quiroga"));
    assert_eq!(lithium.source, "Andes Herald");
    assert_eq!(lithium.lang, "en");
    assert_eq!(lithium.text.matches("\n\n").count(), 3, "four paragraphs");
    let latin = one("html/magdalena-sequia-barrancabermeja.html");
    assert_eq!(latin.encoding, "windows-1252");
    assert!(latin.text.contains("Eliécer Ramírez"));
    assert_eq!(
        one("html/cafe-roya-jinotega.html").author.as_deref(),
        Some("Lucía Herrera")
    );
}

#[test]
fn the_wget_warc_gives_its_two_articles_and_accounts_for_every_record() {
    let warc = corpus().join("warc/wget-crawl.warc.gz");
    let articles = extract(&warc);
    let summary: Vec<_> = articles
        .iter()
        .map(|a| {
            (
                a.record,
                a.title.as_deref(),
                a.published.as_deref(),
                a.date_origin.as_str(),
                a.lang.as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                Some(7),
                Some("Ecuador's cacao farmers replant as prices soar"),
                Some("2024-06-11"),
                "html-meta",
                "en"
            ),
            (
                Some(9),
                Some("Friaje hará bajar la temperatura a cinco grados en la selva sur"),
                Some("2018-10-03"),
                "dateline",
                "es"
            ),
        ]
    );
    for article in &articles {
        let url = article.url.as_deref().unwrap_or_default();
        assert!(
            url.starts_with("http://127.0.0.1:") && url.ends_with(".html"),
            "{url}"
        );
        assert!(
            article.id.starts_with(url),
            "a capture is its URL and content"
        );
        for word in BOILERPLATE
            .iter()
            .chain(&["Latest", "Markets", "Cocoa futures"])
        {
            assert!(!article.text.contains(word), "`{word}` in {}", article.text);
        }
    }

    let dir = tempfile::tempdir().expect("temp dir");
    let (code, report) = index_json(&dir.path().join("index"), &[&warc]);
    assert_eq!((code, report.articles), (0, 2), "{:?}", report.failed);
    let reasons: Vec<&str> = report.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(
        reasons.len(),
        12,
        "every other record is accounted: {reasons:#?}"
    );
    for expected in [
        "offset 0 (no URI): warcinfo record",
        "request record",
        "/): no article text (a page of links)",
        "/robots.txt): HTTP status 404 File not found",
        "/logo.png): content type image/png, not an article",
        "metadata record",
        "wget.log): a metadata: record of the crawler, not a web capture",
    ] {
        assert!(
            reasons.iter().any(|reason| reason.contains(expected)),
            "{expected} not in {reasons:#?}"
        );
    }
    let output = gazette()
        .args(["search", "crawled:2026", "--format", "json", "--index"])
        .arg(dir.path().join("index"))
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert!(
        json["total_hits"].as_u64().is_some_and(|n| n >= 2),
        "crawl dates are searchable: {json}"
    );
}

/// A WARC record.
fn record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-05-01T10:00:00Z\r\n\
         WARC-Record-ID: <urn:uuid:{}>\r\nContent-Type: application/http; msgtype=response\r\n\
         Content-Length: {}\r\n\r\n",
        block.len(),
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// An HTTP response.
fn http(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n{headers}\r\n").into_bytes();
    out.extend_from_slice(body);
    out
}

/// A news page whose text is about `topic`.
fn page(topic: &str) -> String {
    format!(
        "<html><head><title>{topic} report</title></head><body><nav><a href=/>Home menu</a></nav>\
         <article><h1>{topic} report</h1><p>{}</p></article><footer>Footer text</footer></body></html>",
        format!("Rangers counted the {topic} population along the river again this year. ").repeat(4)
    )
}

fn html_response(topic: &str) -> Vec<u8> {
    http(
        "200 OK",
        "Content-Type: text/html; charset=utf-8\r\n",
        page(topic).as_bytes(),
    )
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

fn hits(index: &Path, query: &str) -> u64 {
    let output = gazette()
        .args(["search", query, "--format", "json", "--index"])
        .arg(index)
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    json["total_hits"].as_u64().unwrap_or(0)
}

fn reason_with<'a>(list: &'a [crate::util::DispositionJson], part: &str) -> Option<&'a str> {
    list.iter()
        .map(|item| item.reason.as_str())
        .find(|reason| reason.contains(part))
}

#[test]
fn every_damaged_record_is_reported_and_every_good_one_indexed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("inputs");
    std::fs::create_dir_all(&inputs).expect("mkdir");

    // An uncompressed WARC with every kind of record and damage.
    let mut plain = record("warcinfo", "", b"software: test\r\n");
    plain.extend(record(
        "request",
        "http://x.org/a",
        b"GET /a HTTP/1.1\r\n\r\n",
    ));
    let chunked_page = page("axolotl");
    let chunked = format!(
        "{:x}\r\n{}\r\n{:x}\r\n{}\r\n0\r\n\r\n",
        10,
        chunked_page.get(..10).expect("ascii"),
        chunked_page.len() - 10,
        chunked_page.get(10..).expect("ascii")
    );
    plain.extend(record(
        "response",
        "<http://x.org/a>",
        &http(
            "200 OK",
            "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n",
            chunked.as_bytes(),
        ),
    ));
    plain.extend(record(
        "response",
        "http://x.org/b",
        &http(
            "200 OK",
            "Content-Type: text/html\r\nContent-Encoding: gzip\r\n",
            &gzip(page("pangolin").as_bytes()),
        ),
    ));
    plain.extend(record(
        "response",
        "http://x.org/gone",
        &http("404 Not Found", "Content-Type: text/html\r\n", b"<p>gone"),
    ));
    plain.extend(record(
        "revisit",
        "http://x.org/b",
        &http("200 OK", "", b""),
    ));
    plain.extend(record(
        "response",
        "http://x.org/logo.png",
        &http("200 OK", "Content-Type: image/png\r\n", b"\x89PNG\r\n"),
    ));
    plain.extend_from_slice(b"some garbage that is not a record\r\n");
    // The same URL captured again: same content (a duplicate), then new content.
    plain.extend(record(
        "response",
        "http://x.org/a",
        &html_response("axolotl"),
    ));
    plain.extend(record(
        "response",
        "http://x.org/a",
        &html_response("okapi"),
    ));
    // A record whose Content-Length runs into the next one.
    let mut overlong = record("response", "http://x.org/long", &html_response("lemur"));
    let stated = format!("Content-Length: {}", html_response("lemur").len());
    let overlong_text = String::from_utf8(overlong.clone()).expect("utf-8");
    overlong = overlong_text
        .replacen(
            &stated,
            &format!("Content-Length: {}", html_response("lemur").len() + 400),
            1,
        )
        .into_bytes();
    plain.extend(overlong);
    plain.extend(record(
        "response",
        "http://x.org/narwhal",
        &html_response("narwhal"),
    ));
    // A truncated last record.
    let mut last = record("response", "http://x.org/cut", &html_response("ibex"));
    last.truncate(last.len() - 300);
    plain.extend(last);
    std::fs::write(inputs.join("damaged.warc"), &plain).expect("write");

    // A per-record gzip WARC with a corrupt member and garbage between members.
    let mut members = gzip(&record(
        "response",
        "http://y.org/1",
        &html_response("quokka"),
    ));
    let mut corrupt = gzip(&record(
        "response",
        "http://y.org/2",
        &html_response("tapir"),
    ));
    let middle = corrupt.len() / 2;
    corrupt
        .iter_mut()
        .skip(middle)
        .take(20)
        .for_each(|byte| *byte = 0x55);
    members.extend(corrupt);
    members.extend(gzip(&record(
        "response",
        "http://y.org/3",
        &html_response("wombat"),
    )));
    members.extend_from_slice(b"garbage between members");
    members.extend(gzip(&record(
        "response",
        "http://y.org/4",
        &html_response("kestrel"),
    )));
    std::fs::write(inputs.join("members.warc.gz"), &members).expect("write");

    // A whole-file gzip WARC (`.warc` inside `.gz`).
    let mut whole = record("response", "http://z.org/1", &html_response("heron"));
    whole.extend(record("response", "http://z.org/2", &html_response("ibis")));
    std::fs::write(inputs.join("whole.warc.gz"), gzip(&whole)).expect("write");

    let index = dir.path().join("index");
    let (code, report) = index_json(&index, &[&inputs]);
    assert_eq!(code, 1, "some records failed, the rest were committed");
    for good in [
        "axolotl", "pangolin", "okapi", "narwhal", "quokka", "wombat", "kestrel", "heron", "ibis",
    ] {
        assert!(
            hits(&index, good) > 0,
            "`{good}` was not indexed: {:#?}",
            report.failed
        );
    }
    for boilerplate in ["menu", "footer"] {
        assert_eq!(hits(&index, boilerplate), 0, "`{boilerplate}` was indexed");
    }
    assert_eq!(report.articles, 9, "failed {:#?}", report.failed);
    assert_eq!(
        hits(&index, "crawled:2024-05-01"),
        hits(&index, "*"),
        "WARC-Date is the crawl date"
    );

    let failed = |part| reason_with(&report.failed, part);
    let skipped = |part| reason_with(&report.skipped, part);
    assert!(failed("bytes that are not a record").is_some_and(|r| r.starts_with("offset ")));
    assert!(
        failed("runs into the next record").is_some(),
        "{:#?}",
        report.failed
    );
    assert!(failed("truncated record").is_some(), "{:#?}", report.failed);
    assert!(failed("corrupt gzip member").is_some_and(|r| r.contains("resumed at the next record")));
    assert!(
        failed("bytes that are not gzip data").is_some(),
        "{:#?}",
        report.failed
    );
    assert_eq!(report.failed.len(), 5, "{:#?}", report.failed);
    assert!(skipped("(http://x.org/gone): HTTP status 404 Not Found").is_some());
    assert!(skipped("revisit record").is_some());
    assert!(skipped("content type image/png").is_some());
    assert!(skipped("warcinfo record").is_some());
    assert!(skipped("request record").is_some());
    assert!(
        skipped("duplicate of article `http://x.org/a xxh3:")
            .is_some_and(|r| r.contains("damaged.warc:")),
        "{:#?}",
        report.skipped
    );
    let damaged: Vec<_> = report
        .failed
        .iter()
        .filter(|item| item.input.ends_with("damaged.warc"))
        .collect();
    assert!(
        damaged.iter().all(|item| item.record.is_some()),
        "each failure names its record"
    );
}

#[test]
fn arc_files_are_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let desc = b"1 0 test\n";
    let body = html_response("manatee");
    let arc = [
        format!(
            "filedesc://test.arc 0.0.0.0 20240305101500 text/plain {}\n",
            desc.len()
        )
        .into_bytes(),
        desc.to_vec(),
        b"\n".to_vec(),
        format!(
            "http://a.org/m 10.0.0.1 20240305101500 text/html {}\n",
            body.len()
        )
        .into_bytes(),
        body,
        b"\n".to_vec(),
    ]
    .concat();
    let file = dir.path().join("test.arc.gz");
    std::fs::write(&file, gzip(&arc)).expect("write");
    let articles = extract(&file);
    assert_eq!(articles.len(), 1);
    assert_eq!(articles[0].url.as_deref(), Some("http://a.org/m"));
    assert_eq!(articles[0].title.as_deref(), Some("manatee report"));
    assert_eq!(
        (
            articles[0].published.as_deref(),
            articles[0].date_origin.as_str()
        ),
        (None, "crawl"),
        "undated in the page: the date facet is the crawl date"
    );
}

/// Third-party archives and pages from `../shared/data`, when present: every
/// file is read to the end without a crash, and yields articles.
#[test]
fn shared_web_archives_and_pages_are_read_to_the_end() {
    let shared = repo().join("../shared/data");
    let warcs = shared.join("warc");
    let html = shared.join("html/newspaper4k");
    if !warcs.is_dir() || !html.is_dir() {
        eprintln!("skipped: {} is not there", shared.display());
        return;
    }
    for path in [warcs, html] {
        let output = gazette()
            .args(["extract", "--format", "jsonl"])
            .arg(&path)
            .output()
            .expect("runs");
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        let articles = String::from_utf8_lossy(&output.stdout).lines().count();
        assert!(articles >= 10, "{}: {articles} articles", path.display());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

// See: issue 22
#[test]
fn issue_22_hostile_markup_is_bounded_and_said_in_warnings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "The harbour strike entered its third week as dockers voted again. ".repeat(4);
    let attributes: Vec<String> = (0..2_000).map(|i| format!("data-a{i}=\"x\"")).collect();
    let wide = dir.path().join("wide.html");
    std::fs::write(
        &wide,
        format!(
            "<html><body><article {}><p>{text}</p></article></body></html>",
            attributes.join(" ")
        ),
    )
    .expect("writes");
    // Other words, so that the two pages are not duplicates.
    let deep_text = text.replace("third", "fourth");
    let deep = dir.path().join("deep.html");
    std::fs::write(
        &deep,
        format!(
            "<html><body>{}<p>{deep_text}</p>{}</body></html>",
            "<table><tr><td>".repeat(1_000),
            "</td></tr></table>".repeat(1_000)
        ),
    )
    .expect("writes");
    for (page, body, warning) in [
        (
            &wide,
            &text,
            "1 elements have more than 256 attributes: the rest were not read",
        ),
        (
            &deep,
            &deep_text,
            "elements are nested deeper than 256: their text was read without them",
        ),
    ] {
        let articles = extract(page);
        let [article] = articles.as_slice() else {
            panic!("one article expected, got {}", articles.len());
        };
        assert_eq!(article.text, body.trim(), "{page:?}");
        assert!(
            article.warnings.iter().any(|w| w.contains(warning)),
            "{:?}",
            article.warnings
        );
    }
    let index = dir.path().join("index");
    let (code, report) = index_json(&index, &[&wide, &deep]);
    assert_eq!(code, 0);
    assert_eq!(report.articles, 2);
    assert_eq!(report.warnings.len(), 2, "{:?}", report.warnings);
}

/// A response record whose Content-Length says `length`.
fn misstated(uri: &str, block: &[u8], length: usize) -> Vec<u8> {
    String::from_utf8(record("response", uri, block))
        .expect("utf-8")
        .replacen(
            &format!("Content-Length: {}\r\n", block.len()),
            &format!("Content-Length: {length}\r\n"),
            1,
        )
        .into_bytes()
}

// See: issue 22
#[test]
fn issue_22_wrong_lengths_above_the_cap_and_encoding_bombs_fail_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("inputs");
    std::fs::create_dir_all(&inputs).expect("mkdir");
    // The cap scaled down to 1 MiB: a stated length of 5 MiB is above it.
    let five_mib = 5 << 20;
    let mut plain = record("response", "http://p.org/1", &html_response("quokka"));
    let second = plain.len();
    plain.extend(misstated(
        "http://p.org/2",
        &html_response("tapir"),
        five_mib,
    ));
    plain.extend(record(
        "response",
        "http://p.org/3",
        &html_response("wombat"),
    ));
    plain.extend(record(
        "response",
        "http://p.org/4",
        &html_response("kestrel"),
    ));
    std::fs::write(inputs.join("plain.warc"), &plain).expect("write");

    let members = [
        gzip(&record(
            "response",
            "http://g.org/1",
            &html_response("heron"),
        )),
        gzip(&misstated(
            "http://g.org/2",
            &html_response("tapir"),
            five_mib,
        )),
        gzip(&record(
            "response",
            "http://g.org/3",
            &html_response("ibis"),
        )),
        gzip(&record(
            "response",
            "http://g.org/4",
            &html_response("egret"),
        )),
    ];
    let member_two = members[0].len();
    std::fs::write(inputs.join("members.warc.gz"), members.concat()).expect("write");

    // A deflate body that expands past the cap, between two good records.
    let mut deflated = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    deflated
        .write_all(page("bomb").repeat(20_000).as_bytes())
        .expect("zlib");
    let bomb = http(
        "200 OK",
        "Content-Type: text/html\r\nContent-Encoding: deflate\r\n",
        &deflated.finish().expect("zlib"),
    );
    let mut bombs = record("response", "http://b.org/1", &html_response("marmot"));
    let bomb_at = bombs.len();
    bombs.extend(record("response", "http://b.org/bomb", &bomb));
    bombs.extend(record(
        "response",
        "http://b.org/3",
        &html_response("badger"),
    ));
    std::fs::write(inputs.join("bomb.warc"), &bombs).expect("write");

    let index = dir.path().join("index");
    let (code, report) = index_json_with(&index, &[&inputs], &["--max-record-mb", "1"]);
    assert_eq!(code, 1, "{:#?}", report.failed);
    for good in [
        "quokka", "wombat", "kestrel", "heron", "ibis", "egret", "marmot", "badger",
    ] {
        assert!(
            hits(&index, good) > 0,
            "`{good}` lost: {:#?}",
            report.failed
        );
    }
    assert_eq!(report.articles, 8, "{:#?}", report.failed);
    let mut failures: Vec<(String, Option<u64>, &str)> = report
        .failed
        .iter()
        .map(|item| {
            let name = Path::new(&item.input)
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, item.record, item.reason.as_str())
        })
        .collect();
    failures.sort();
    let runs_into = format!("the record's length ({five_mib} bytes) runs into the next record");
    assert_eq!(
        failures,
        [
            (
                "bomb.warc".to_owned(),
                Some(2),
                format!(
                    "offset {bomb_at} (http://b.org/bomb): deflate payload once decoded is \
                     over the size cap (1 MiB); raise it with --max-record-mb"
                )
                .as_str()
            ),
            (
                "members.warc.gz".to_owned(),
                Some(2),
                format!("offset {member_two}: {runs_into}").as_str()
            ),
            (
                "plain.warc".to_owned(),
                Some(2),
                format!("offset {second}: {runs_into}").as_str()
            ),
        ]
    );
}
