//! ClinGen gene-disease validity end to end through the mirror: the real 2026-06-21 bulk
//! CSV (and the real 2023-10-18 release through a copied routes table), 304 re-fetch, and a
//! corrupt body that must leave the previous rows in place.

use crate::support::*;

const DOWNLOAD: &str = "/search.clinicalgenome.org/kb/gene-validity/download";

/// A routes table that serves the 2023-10-18 release at the ClinGen download URL.
fn routes_2023(dir: &std::path::Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(shared().join("mirror/routes.json")).unwrap();
    let from = "data/raw/clingen/clingen-gene-validity.2026-06-21.csv.gz";
    assert!(text.contains(from), "routes.json serves the 2026 file");
    let path = dir.join("routes-clingen-2023.json");
    std::fs::write(
        &path,
        text.replace(
            from,
            "data/raw/clingen/clingen-gene-validity.2023-10-18.csv",
        ),
    )
    .unwrap();
    path
}

fn detail(w: &Workdir, symbol: &str, label: &str, key: &str) -> String {
    w.db()
        .query_row(
            "SELECT json_extract(details, '$.' || ?3) FROM staged
             WHERE source = 'clingen' AND reported_symbol = ?1
               AND json_extract(details, '$.disease_label') = ?2",
            rusqlite::params![symbol, label, key],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("{symbol} / {label}: {e}"))
}

#[test]
fn fetch_stages_kidney_curations_then_304_is_unchanged() {
    let m = MirrorServer::start(&[]);
    let w = Workdir::new();
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "clingen"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("clingen: ok, 169 rows"),
        "{}",
        stderr(&out)
    );
    // 146 curations by the five kidney GCEPs + 23 by disease keyword (2026-06-21 file).
    assert_eq!(
        w.count("SELECT count(*) FROM staged WHERE source = 'clingen'"),
        169
    );
    assert_eq!(
        w.count(
            "SELECT count(*) FROM staged WHERE source = 'clingen'
             AND json_extract(details, '$.selected_by') = 'expert_panel'"
        ),
        146
    );
    assert_eq!(
        detail(&w, "COL4A5", "Alport syndrome", "classification"),
        "Definitive"
    );
    assert_eq!(
        detail(&w, "COL4A5", "Alport syndrome", "expert_panel"),
        "Hearing Loss Gene Curation Expert Panel"
    );
    assert_eq!(
        detail(
            &w,
            "PKD1",
            "autosomal dominant polycystic kidney disease",
            "hgnc_id"
        ),
        "HGNC:9008"
    );
    assert_eq!(
        w.count(
            "SELECT count(*) FROM staged WHERE source = 'clingen' AND reported_hgnc_id = 'HGNC:9008'"
        ),
        2,
        "PKD1: ADPKD and ARPKD"
    );
    assert_eq!(
        w.count(
            "SELECT count(*) FROM staged WHERE source = 'clingen'
             AND reported_symbol IN ('CFTR', 'MCM4', 'TUBA1A')"
        ),
        0,
        "cystic fibrosis, adrenal insufficiency, tubulinopathy are not kidney"
    );
    let version: String = w
        .db()
        .query_row(
            "SELECT upstream_version FROM downloads WHERE source = 'clingen'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(version, "2026-06-21");

    let raw = w.raw_files();
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "clingen"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("unchanged"), "{}", stderr(&out));
    let reqs = m.requests_to(DOWNLOAD);
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[1]["status"], 304);
    assert_eq!(w.raw_files(), raw, "a 304 stores nothing new");
    assert_eq!(
        w.count("SELECT count(*) FROM staged WHERE source = 'clingen'"),
        169
    );
    assert_eq!(
        w.count(
            "SELECT count(*) FROM source_runs WHERE source = 'clingen' AND status = 'unchanged'"
        ),
        1
    );
}

#[test]
fn a_new_release_replaces_rows_and_a_corrupt_body_keeps_them() {
    let w = Workdir::new();
    let routes = routes_2023(w.dir.path());
    {
        let m = MirrorServer::start(&["--routes", routes.to_str().unwrap()]);
        let out = w.kgdb(&["--mirror", &m.url, "fetch", "clingen"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    }
    // 2023-10-18: GCEP names are short ("Tubulopathy") and still select 74 curations.
    let rows_2023 = w.count("SELECT count(*) FROM staged WHERE source = 'clingen'");
    assert_eq!(rows_2023, 93);
    assert_eq!(
        w.count(
            "SELECT count(*) FROM staged WHERE source = 'clingen'
             AND json_extract(details, '$.expert_panel') = 'Tubulopathy'"
        ),
        12
    );
    let col4a5_key: String = w
        .db()
        .query_row(
            "SELECT record_key FROM staged WHERE source = 'clingen' AND reported_symbol = 'COL4A5'",
            [],
            |r| r.get(0),
        )
        .unwrap();

    // The 2026 release through a mirror that corrupts the body: 2023 rows stay.
    let raw_before = w.raw_files();
    {
        let m = MirrorServer::start(&["--fault", &format!("{DOWNLOAD}:corrupt")]);
        let out = w.kgdb(&["--mirror", &m.url, "fetch", "clingen"]);
        let err = stderr(&out);
        assert_eq!(code(&out), 2, "the only source failed: fatal\n{err}");
        assert!(
            err.contains("gene-validity/download"),
            "names the URL: {err}"
        );
        assert!(err.contains("; last good data from 20"), "{err}");
    }
    assert_eq!(
        w.count("SELECT count(*) FROM staged WHERE source = 'clingen'"),
        rows_2023
    );
    assert_eq!(
        w.raw_files(),
        raw_before,
        "nothing of the bad body is stored"
    );
    assert_eq!(
        w.count("SELECT count(*) FROM source_runs WHERE source = 'clingen' AND status = 'failed'"),
        1
    );

    // A clean 2026 fetch replaces them; the same curation keeps its record key.
    let m = MirrorServer::start(&[]);
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "clingen"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        w.count("SELECT count(*) FROM staged WHERE source = 'clingen'"),
        169
    );
    assert_eq!(
        w.count(&format!(
            "SELECT count(*) FROM staged WHERE source = 'clingen' AND record_key = '{col4a5_key}'"
        )),
        1
    );
    let versions: Vec<String> = w
        .db()
        .prepare(
            "SELECT upstream_version FROM source_runs WHERE source = 'clingen' AND status = 'ok' ORDER BY id",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(versions, ["2023-10-18", "2026-06-21"]);
}
