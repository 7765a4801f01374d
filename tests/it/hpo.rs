//! HPO end to end through the mirror: the "latest" URLs redirect (302) to the versioned
//! release 2025-01-16, whose real files are staged as (kidney disease, gene) rows.

use std::time::Instant;

use crate::support::*;

const RELEASE: &str =
    "https://github.com/obophenotype/human-phenotype-ontology/releases/download/v2025-01-16/";

fn staged_count(w: &Workdir) -> i64 {
    w.count("SELECT count(*) FROM staged WHERE source = 'hpo'")
}

#[test]
fn fetch_follows_the_redirect_stages_kidney_diseases_then_304() {
    let m = MirrorServer::start(&[]);
    let w = Workdir::new();
    let started = Instant::now();
    let out = w
        .kgdb_cmd(&["--mirror", &m.url, "fetch", "hpo"])
        .env("KGDB_LOG", "kgdb=info")
        .output()
        .unwrap();
    eprintln!("kgdb fetch hpo through the mirror: {:?}", started.elapsed());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("hpo: release 2025-01-16"),
        "{}",
        stderr(&out)
    );

    // Each file: a 302 from .../latest/download/<file>, then the versioned file.
    for file in ["hp.obo", "phenotype.hpoa", "genes_to_disease.txt"] {
        let statuses: Vec<_> = m
            .requests_to(file)
            .iter()
            .map(|r| {
                (
                    r["path"].as_str().unwrap().contains("/latest/"),
                    r["status"].clone(),
                )
            })
            .collect();
        assert_eq!(
            statuses,
            [(true, 302.into()), (false, 200.into())],
            "{file}"
        );
        let (final_url, version, status): (String, String, i64) = w
            .db()
            .query_row(
                "SELECT final_url, upstream_version, http_status FROM downloads
                 WHERE source = 'hpo' AND url LIKE '%/latest/download/' || ?1",
                [file],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(final_url, format!("{RELEASE}{file}"));
        assert_eq!(version, "2025-01-16");
        assert_eq!(status, 200);
    }
    let run_version: String = w
        .db()
        .query_row(
            "SELECT upstream_version FROM source_runs WHERE source = 'hpo' AND status = 'ok'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(run_version, "2025-01-16");

    // 2,300 (kidney disease, gene) pairs: 1,954 OMIM/ORPHA diseases with a kidney phenotype
    // under HP:0010935 (593 terms), 1,481 genes.
    assert_eq!(staged_count(&w), 2_300);
    assert_eq!(
        w.count("SELECT count(DISTINCT reported_ncbi_id) FROM staged WHERE source = 'hpo'"),
        1_481
    );
    let (symbol, ncbi, details): (String, String, String) = w
        .db()
        .query_row(
            "SELECT reported_symbol, reported_ncbi_id, details FROM staged
             WHERE source = 'hpo' AND record_key = 'OMIM:256300/4868'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((symbol.as_str(), ncbi.as_str()), ("NPHS1", "4868"));
    let d: serde_json::Value = serde_json::from_str(&details).unwrap();
    assert_eq!(d["disease_name"], "Nephrotic syndrome, type 1");
    assert_eq!(d["hpo_version"], "2025-01-16");
    assert!(
        d["kidney_terms"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == "HP:0000100" && t["name"] == "Nephrotic syndrome"),
        "{d}"
    );
    assert_eq!(
        w.count(
            "SELECT count(*) FROM staged WHERE source = 'hpo' AND reported_symbol = 'PKD1'
             AND json_extract(details, '$.disease_name') = 'Autosomal dominant polycystic kidney disease'"
        ),
        1
    );
    // A disease whose only kidney annotation is NOT-qualified is not a kidney disease.
    assert_eq!(
        w.count(
            "SELECT count(*) FROM staged WHERE source = 'hpo' AND record_key LIKE 'ORPHA:79147/%'"
        ),
        0
    );
    // Every staged row points at the genes_to_disease download.
    assert_eq!(
        w.count(
            "SELECT count(*) FROM staged s JOIN downloads d ON d.id = s.download_id
             WHERE s.source = 'hpo' AND d.url LIKE '%genes_to_disease.txt'"
        ),
        2_300
    );

    let raw = w.raw_files();
    assert_eq!(raw.len(), 3);
    let started = Instant::now();
    let out = w
        .kgdb_cmd(&["--mirror", &m.url, "fetch", "hpo"])
        .env("KGDB_LOG", "kgdb=info")
        .output()
        .unwrap();
    eprintln!("second (conditional) fetch: {:?}", started.elapsed());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("unchanged"), "{}", stderr(&out));
    // Same files, kgdb and configuration as the last good run: nothing is parsed (the
    // parse logs the release it found).
    assert!(
        !stderr(&out).contains("hpo: release"),
        "parsed again: {}",
        stderr(&out)
    );
    assert_eq!(
        w.count("SELECT count(*) FROM source_runs WHERE source = 'hpo_phenotypes' AND status = 'unchanged'"),
        1,
        "the companion is recorded unchanged too"
    );
    for file in ["hp.obo", "phenotype.hpoa", "genes_to_disease.txt"] {
        let reqs = m.requests_to(file);
        assert_eq!(reqs.len(), 4, "{file}");
        assert_eq!(reqs[3]["status"], 304, "{file}");
        assert_eq!(reqs[3]["bytes"], 0);
    }
    assert_eq!(w.raw_files(), raw, "a 304 stores no new file");
    assert_eq!(staged_count(&w), 2_300);
    let (rows, version): (i64, String) = w
        .db()
        .query_row(
            "SELECT rows_staged, upstream_version FROM source_runs
             WHERE source = 'hpo' AND status = 'unchanged'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((rows, version.as_str()), (2_300, "2025-01-16"));
}

#[test]
fn a_failing_annotation_file_keeps_the_previous_rows() {
    let w = Workdir::new();
    {
        let m = MirrorServer::start(&[]);
        assert_eq!(code(&w.kgdb(&["--mirror", &m.url, "fetch", "hpo"])), 0);
    }
    assert_eq!(staged_count(&w), 2_300);
    let m = MirrorServer::start(&["--fault", "*/v2025-01-16/phenotype.hpoa:status:500"]);
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "hpo"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 2, "the only source failed: fatal\n{err}");
    assert!(
        err.contains("phenotype.hpoa"),
        "the error names the file:\n{err}"
    );
    assert!(err.contains("500"), "{err}");
    assert!(err.contains("; last good data from 20"), "{err}");
    assert_eq!(staged_count(&w), 2_300, "previous rows intact");
    assert_eq!(
        w.count("SELECT count(*) FROM source_runs WHERE source = 'hpo' AND status = 'failed'"),
        1
    );
    // Retried (3 retries in the test config), each time through the redirect.
    assert_eq!(
        m.requests_to("/v2025-01-16/phenotype.hpoa")
            .iter()
            .filter(|r| r["status"] == 500)
            .count(),
        4
    );
}

#[test]
fn a_corrupt_ontology_body_is_refused() {
    // A corrupt body on a fresh download: nothing is staged, the error names the URL.
    let m = MirrorServer::start(&["--fault", "*/v2025-01-16/hp.obo:corrupt"]);
    let w = Workdir::new();
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "hpo"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 2, "{err}");
    assert!(err.contains("hp.obo"), "{err}");
    assert_eq!(staged_count(&w), 0);
}
