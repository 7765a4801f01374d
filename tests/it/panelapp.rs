//! PanelApp UK and Australia end to end through the mirror: paging the panel list, the
//! kidney selection from sources.yaml, staged ratings, conditional re-fetch, faults.
//!
//! Facts: the mirror serves the reconstructed 2024-05-14 capture (shared/data/reconstructed/
//! README.md): 18 UK / 17 AU listed panels on 4 pages of 5, of which 14 UK / 12 AU are kidney
//! panels with 1,872 / 1,166 gene entries; UK green/amber/red totals 1,276 / 134 / 462.

use crate::support::*;

const UK_KIDNEY: [i64; 14] = [
    18, 106, 149, 154, 156, 283, 292, 487, 521, 548, 678, 725, 902, 903,
];
const AU_KIDNEY: [i64; 12] = [61, 63, 191, 193, 194, 199, 251, 262, 263, 275, 3278, 3993];

/// The repository config with fast retries and PanelApp's polite 5 req/s raised for speed.
fn config() -> String {
    let mut text = fast_config();
    for host in ["panelapp.genomicsengland.co.uk", "panelapp-aus.org"] {
        let from = format!("    {host}:\n      requests_per_second: 5\n");
        assert!(text.contains(&from), "sources.yaml lists {host} at 5 req/s");
        text = text.replace(
            &from,
            &format!("    {host}:\n      requests_per_second: 200\n"),
        );
    }
    text
}

fn panels_staged(w: &Workdir, source: &str) -> Vec<i64> {
    let db = w.db();
    let mut st = db
        .prepare(
            "SELECT DISTINCT json_extract(details, '$.panel_id') AS p FROM staged
             WHERE source = ?1 ORDER BY p",
        )
        .unwrap();
    st.query_map([source], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn detail(w: &Workdir, source: &str, key: &str, path: &str) -> String {
    w.db()
        .query_row(
            &format!(
                "SELECT json_extract(details, '$.{path}') FROM staged
                 WHERE source = ?1 AND record_key = ?2"
            ),
            [source, key],
            |r| r.get::<_, rusqlite::types::Value>(0),
        )
        .map(|v| match v {
            rusqlite::types::Value::Text(t) => t,
            rusqlite::types::Value::Integer(i) => i.to_string(),
            other => format!("{other:?}"),
        })
        .unwrap_or_else(|e| panic!("{source} {key} {path}: {e}"))
}

#[test]
fn uk_and_au_page_select_stage_then_304_is_unchanged() {
    let m = MirrorServer::start(&[]);
    let w = Workdir::with_config(&config());
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "panelapp_uk", "panelapp_au"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 0, "{err}");
    assert!(
        err.contains("panelapp_uk: 14 of 18 listed panels selected (4 list pages)"),
        "{err}"
    );
    assert!(
        err.contains("panelapp_au: 12 of 17 listed panels selected (4 list pages)"),
        "{err}"
    );

    // Every list page was read, following `next` (real upstream URLs, rewritten).
    for host in ["panelapp.genomicsengland.co.uk", "panelapp-aus.org"] {
        let list = format!("/{host}/api/v1/panels/");
        let pages: Vec<String> = m
            .requests_to(&list)
            .iter()
            .filter_map(|r| r["path"].as_str())
            .filter(|p| *p == list || p.starts_with(&format!("{list}?page=")))
            .map(str::to_string)
            .collect();
        assert_eq!(pages.len(), 4, "{host}: {pages:?}");
    }

    // Selection: the kidney panels, nothing else fetched.
    assert_eq!(panels_staged(&w, "panelapp_uk"), UK_KIDNEY);
    assert_eq!(panels_staged(&w, "panelapp_au"), AU_KIDNEY);
    for not_kidney in [
        "/panels/1207/",
        "/panels/285/",
        "/panels/3149/",
        "/panels/137/",
    ] {
        assert!(m.requests_to(not_kidney).is_empty(), "{not_kidney} fetched");
    }
    assert_eq!(
        w.count("SELECT count(*) FROM staged WHERE lower(json_extract(details, '$.panel_name')) LIKE '%adrenal%'"),
        0
    );

    // Every gene entry staged, Red included.
    assert_eq!(
        w.count("SELECT count(*) FROM staged WHERE source = 'panelapp_uk'"),
        1872
    );
    assert_eq!(
        w.count("SELECT count(*) FROM staged WHERE source = 'panelapp_au'"),
        1166
    );
    let by_rating = |r: &str| {
        w.count(&format!(
            "SELECT count(*) FROM staged WHERE source = 'panelapp_uk'
             AND json_extract(details, '$.rating') = '{r}'"
        ))
    };
    assert_eq!(
        (by_rating("green"), by_rating("amber"), by_rating("red")),
        (1276, 134, 462)
    );
    assert_eq!(
        w.count(
            "SELECT count(*) FROM staged WHERE source = 'panelapp_uk'
             AND json_extract(details, '$.counted') = 1"
        ),
        1276 + 134,
        "counted_ratings [green, amber]"
    );

    // PKD1 and PKD2: Green on the UK cystic kidney panel and the AU macrocystic panel.
    for (sym, id) in [("PKD1", "HGNC:9008"), ("PKD2", "HGNC:9009")] {
        let key = format!("UK/283/{id}");
        assert_eq!(detail(&w, "panelapp_uk", &key, "rating"), "green");
        assert_eq!(detail(&w, "panelapp_uk", &key, "gene_symbol"), sym);
        assert_eq!(
            detail(&w, "panelapp_uk", &key, "panel_name"),
            "Cystic kidney disease"
        );
        assert_eq!(detail(&w, "panelapp_uk", &key, "panel_version"), "5.3");
        assert_eq!(
            detail(&w, "panelapp_uk", &key, "url"),
            format!("https://panelapp.genomicsengland.co.uk/panels/283/gene/{sym}/")
        );
        let key = format!("Australia/194/{id}");
        assert_eq!(detail(&w, "panelapp_au", &key, "rating"), "green");
        assert_eq!(
            detail(&w, "panelapp_au", &key, "url"),
            format!("https://panelapp-aus.org/panels/194/gene/{sym}/")
        );
    }
    assert_eq!(
        w.count(
            "SELECT count(*) FROM staged WHERE source = 'panelapp_uk'
             AND record_key = 'UK/283/HGNC:9008' AND reported_hgnc_id = 'HGNC:9008'
             AND reported_symbol = 'PKD1'"
        ),
        1
    );

    // Versions: per panel on its download, a summary per source.
    let v: String = w
        .db()
        .query_row(
            "SELECT upstream_version FROM downloads WHERE source = 'panelapp_au'
             AND url = 'https://panelapp-aus.org/api/v1/panels/275/'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(v, "8.58", "Kidneyome_SuperPanel v8.58");
    let v: String = w
        .db()
        .query_row(
            "SELECT upstream_version FROM source_runs WHERE source = 'panelapp_uk'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(v, "14 panels, newest 2024-05-03");

    // Second fetch: the list pages answer 304 and give every panel's version unchanged, so
    // no panel is asked for again; nothing is replaced.
    let requests_before = m.requests().len();
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "panelapp_uk", "panelapp_au"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 0, "{err}");
    assert!(err.contains("panelapp_uk: unchanged"), "{err}");
    assert!(err.contains("panelapp_au: unchanged"), "{err}");
    assert!(
        err.contains("panelapp_uk: 14 of 14 panels unchanged by the versions in the panel list"),
        "{err}"
    );
    let second = &m.requests()[requests_before..];
    assert_eq!(second.len(), 2 * 4, "{second:?}");
    let list_page = |r: &serde_json::Value| {
        let p = r["path"].as_str().unwrap_or_default();
        p.ends_with("/panels/") || p.contains("/panels/?")
    };
    assert!(
        second.iter().all(|r| r["status"] == 304 && list_page(r)),
        "{second:?}"
    );
    assert_eq!(
        w.count("SELECT count(*) FROM source_runs WHERE status = 'unchanged'"),
        2
    );
    assert_eq!(w.count("SELECT count(*) FROM staged"), 1872 + 1166);

    // A stored panel older than the list says (as after an edit upstream): that panel, and
    // only that one, is asked for again (conditionally: the mirror's copy is the same).
    w.db()
        .execute(
            "UPDATE downloads SET upstream_version = '5.2'
             WHERE url = 'https://panelapp.genomicsengland.co.uk/api/v1/panels/283/'",
            [],
        )
        .unwrap();
    let requests_before = m.requests().len();
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "panelapp_uk"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let third = &m.requests()[requests_before..];
    let panels: Vec<&str> = third
        .iter()
        .filter(|r| !list_page(r))
        .map(|r| r["path"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        panels,
        ["/panelapp.genomicsengland.co.uk/api/v1/panels/283/"],
        "{third:?}"
    );
    assert!(third.iter().all(|r| r["status"] == 304), "{third:?}");
}

#[test]
fn selection_rules_come_from_the_config() {
    // include_panels fetches a listed non-kidney panel (porphyria, 1207: real bytes),
    // exclude_panels drops 902, and an extra exclusion `cystic` drops 283 and 487.
    let text = config()
        .replacen(
            "    include_panels: []\n    exclude_panels: []\n",
            "    include_panels: [1207]\n    exclude_panels: [902]\n",
            1,
        )
        .replacen(
            "    panel_name_exclusions: &panel_exclusions\n      - adrenal\n",
            "    panel_name_exclusions: &panel_exclusions\n      - adrenal\n      - CYSTIC\n",
            1,
        );
    let m = MirrorServer::start(&[]);
    let w = Workdir::with_config(&text);
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "panelapp_uk"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        panels_staged(&w, "panelapp_uk"),
        [18, 106, 149, 154, 156, 292, 521, 548, 678, 725, 903, 1207]
    );
    assert!(m.requests_to("/panels/902/").is_empty());
    let key = "UK/1207/HGNC:4982";
    assert_eq!(detail(&w, "panelapp_uk", key, "gene_symbol"), "HMBS");
    assert_eq!(
        detail(&w, "panelapp_uk", key, "selected_by"),
        "include_panels"
    );
    assert_eq!(
        detail(&w, "panelapp_uk", key, "publications"),
        r#"["27539938","38940544","14262853","1577472","15534187","14970743","27558376","31153822","34089223"]"#
    );
    let ens: String = w
        .db()
        .query_row(
            "SELECT reported_ensembl_id FROM staged WHERE record_key = ?1",
            [key],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(ens, "ENSG00000256269");
}

#[test]
fn a_500_on_one_panel_keeps_the_previous_rows() {
    let w = Workdir::with_config(&config());
    {
        let m = MirrorServer::start(&[]);
        let out = w.kgdb(&["--mirror", &m.url, "fetch", "panelapp_au"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    }
    // Panel 194 edited upstream since (its stored copy is older than the list says), so it
    // is asked for again, and answers 500.
    w.db()
        .execute(
            "UPDATE downloads SET upstream_version = '0.67'
             WHERE url = 'https://panelapp-aus.org/api/v1/panels/194/'",
            [],
        )
        .unwrap();
    let m = MirrorServer::start(&["--fault", "/panelapp-aus.org/api/v1/panels/194/:status:500"]);
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "panelapp_au"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 2, "the only source failed: fatal\n{err}");
    assert!(err.contains("panelapp-aus.org/api/v1/panels/194/"), "{err}");
    assert!(err.contains("HTTP 500"), "{err}");
    assert!(err.contains("; last good data from 20"), "{err}");
    // Retried (3 retries in the test config), then given up.
    assert_eq!(m.requests_to("/panels/194/").len(), 4);
    assert_eq!(
        w.count("SELECT count(*) FROM staged WHERE source = 'panelapp_au'"),
        1166
    );
    assert_eq!(
        w.count(
            "SELECT count(*) FROM source_runs WHERE source = 'panelapp_au' AND status = 'failed'"
        ),
        1
    );
}

#[test]
fn a_corrupt_list_page_fails_with_its_url() {
    let m = MirrorServer::start(&["--fault", "*panels/?page=3:corrupt"]);
    let w = Workdir::with_config(&config());
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "panelapp_uk"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 2, "{err}");
    assert!(
        err.contains(
            "kgdb: panelapp_uk failed: cannot parse https://panelapp.genomicsengland.co.uk/api/v1/panels/?page=3"
        ),
        "{err}"
    );
    // The mirror's garbage is not UTF-8; it is rejected before any JSON parsing.
    assert!(err.contains("not UTF-8 text"), "{err}");
    assert_eq!(w.count("SELECT count(*) FROM staged"), 0);
    assert!(m.requests_to("/panels/283/").is_empty(), "no panel fetched");
}

#[test]
fn offline_rebuilds_from_the_stored_pages() {
    let w = Workdir::with_config(&config());
    {
        let m = MirrorServer::start(&[]);
        assert_eq!(
            code(&w.kgdb(&["--mirror", &m.url, "fetch", "panelapp_uk"])),
            0
        );
    }
    w.db()
        .execute("DELETE FROM staged WHERE source = 'panelapp_uk'", [])
        .unwrap();
    let downloads = w.count("SELECT count(*) FROM downloads");
    let out = w.kgdb(&["--offline", "fetch", "panelapp_uk"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        w.count("SELECT count(*) FROM staged WHERE source = 'panelapp_uk'"),
        1872
    );
    assert_eq!(w.count("SELECT count(*) FROM downloads"), downloads);
}

#[test]
fn super_panels_count_once_hnf1b_has_11_panels_and_its_page_marks_them() {
    let m = MirrorServer::start(&[]);
    let w = Workdir::with_config(&config());
    let out = w.kgdb(&[
        "--mirror",
        &m.url,
        "fetch",
        "hgnc",
        "panelapp_uk",
        "panelapp_au",
    ]);
    let err = stderr(&out);
    assert_eq!(code(&out), 0, "{err}");
    // By name (the mirror's panels carry no types): UK 902, 903; AU 251, 262, 263, 275.
    assert!(
        err.contains(
            "panelapp_uk: super panels (shown, counted only through their components): 902 903"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "panelapp_au: super panels (shown, counted only through their components): 251 262 263 275"
        ),
        "{err}"
    );
    // HNF1B (HGNC:11630) is rated Green or Amber on 16 panels, 5 of them super panels.
    assert_eq!(
        w.count(
            "SELECT count(*) FROM staged WHERE record_key LIKE '%/HGNC:11630'
             AND json_extract(details, '$.super_panel') = 1"
        ),
        5
    );
    for cmd in ["normalize", "score"] {
        let out = w.kgdb(&[cmd]);
        assert_eq!(code(&out), 0, "{cmd}: {}", stderr(&out));
    }
    assert_eq!(
        w.count(
            "SELECT CAST(measure AS INTEGER) FROM evidence
             WHERE hgnc_id = 'HGNC:11630' AND source = 'panelapp'"
        ),
        11
    );
    let site = w.data().parent().unwrap().join("site");
    let out = w.kgdb(&["build", "-o", site.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let page = std::fs::read_to_string(site.join("genes/HGNC_11630.html")).unwrap();
    assert_eq!(page.matches(">super panel</span>").count(), 5, "HNF1B page");
    assert!(
        page.contains("5 entries are marked &quot;super panel&quot;"),
        "HNF1B note"
    );
    let methods = std::fs::read_to_string(site.join("methods.html")).unwrap();
    assert!(methods.contains("Super panels (PanelApp type"), "Methods");
}

#[test]
fn the_panel_list_is_followed_for_max_pages_at_most() {
    // The UK list has 4 pages; with max_pages 2 the third is never requested.
    let text = config().replacen(
        "    region: UK\n    # Most",
        "    region: UK\n    max_pages: 2\n    # Most",
        1,
    );
    let text = text.replacen("    max_pages: 50\n", "", 1);
    assert!(
        text.contains("max_pages: 2\n"),
        "the UK block sets max_pages"
    );
    let m = MirrorServer::start(&[]);
    let w = Workdir::with_config(&text);
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "panelapp_uk"]);
    let err = stderr(&out);
    assert_ne!(code(&out), 0, "{err}");
    assert!(
        err.contains("the panel list goes on past 2 pages (sources.panelapp_uk.max_pages)"),
        "{err}"
    );
    assert!(
        err.contains("https://panelapp.genomicsengland.co.uk/api/v1/panels/?page=3 not fetched"),
        "{err}"
    );
    assert!(m.requests_to("page=3").is_empty(), "page 3 was requested");
    assert_eq!(m.requests_to("/panels/?page=2").len(), 1);
}
