//! GenCC submissions end to end through the mirror (the assembled legacy export of real
//! ClinGen and TGMI/G2P submissions), 304 re-fetch, offline rebuild and a 500 that must
//! leave the previous rows in place.

use crate::support::*;

const EXPORT: &str = "/search.thegencc.org/download/action/submissions-export-tsv";

fn staged(w: &Workdir) -> i64 {
    w.count("SELECT count(*) FROM staged WHERE source = 'gencc'")
}

#[test]
fn fetch_stages_kidney_submissions_then_304_and_offline() {
    let m = MirrorServer::start(&[]);
    let w = Workdir::new();
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "gencc"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // 118 of the 5,865 submissions name a kidney disease (59 ClinGen, 59 TGMI/G2P).
    assert_eq!(staged(&w), 118);
    assert_eq!(
        w.count(
            "SELECT count(*) FROM staged WHERE source = 'gencc'
             AND json_extract(details, '$.submitter_curie') = 'GENCC:000112'"
        ),
        59
    );
    let (hgnc, class, disease, pmid): (String, String, String, String) = w
        .db()
        .query_row(
            "SELECT reported_hgnc_id, json_extract(details, '$.classification'),
                    json_extract(details, '$.disease_original_title'),
                    json_extract(details, '$.pmids[0]')
             FROM staged WHERE source = 'gencc'
               AND record_key = 'GENCC_000112-HGNC_7908-OMIM_256300-HP_0000007-GENCC_100001'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        (
            hgnc.as_str(),
            class.as_str(),
            disease.as_str(),
            pmid.as_str()
        ),
        (
            "HGNC:7908",
            "Definitive",
            "NEPHROTIC SYNDROME TYPE 1",
            "17290294"
        )
    );
    assert_eq!(
        w.count(
            "SELECT count(*) FROM staged WHERE source = 'gencc' AND reported_hgnc_id = 'HGNC:9008'
             AND json_extract(details, '$.disease_curie') = 'MONDO:0004691'"
        ),
        1,
        "PKD1 - ADPKD from ClinGen"
    );
    assert_eq!(
        w.count(
            "SELECT count(*) FROM staged WHERE source = 'gencc'
             AND json_extract(details, '$.classification') = 'Disputed Evidence'"
        ),
        2,
        "contradicting evidence is staged"
    );
    let version: String = w
        .db()
        .query_row(
            "SELECT upstream_version FROM source_runs WHERE source = 'gencc'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(version, "2023-10-10", "newest submission date");

    let out = w.kgdb(&["--mirror", &m.url, "fetch", "gencc"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("unchanged"), "{}", stderr(&out));
    let reqs = m.requests_to(EXPORT);
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[1]["status"], 304);
    assert_eq!(staged(&w), 118);

    w.db()
        .execute("DELETE FROM staged WHERE source = 'gencc'", [])
        .unwrap();
    let out = w.kgdb(&["--offline", "fetch", "gencc"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(staged(&w), 118, "rebuilt from the stored download");
    assert_eq!(m.requests_to(EXPORT).len(), 2, "offline makes no request");
}

#[test]
fn a_server_error_keeps_the_previous_rows() {
    let w = Workdir::new();
    {
        let m = MirrorServer::start(&[]);
        assert_eq!(code(&w.kgdb(&["--mirror", &m.url, "fetch", "gencc"])), 0);
    }
    let m = MirrorServer::start(&["--fault", &format!("{EXPORT}:status:500")]);
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "gencc"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 2, "the only source failed: fatal\n{err}");
    assert!(
        err.contains("submissions-export-tsv"),
        "names the URL: {err}"
    );
    assert!(err.contains("; last good data from 20"), "{err}");
    assert_eq!(staged(&w), 118);
    assert_eq!(
        w.count("SELECT count(*) FROM source_runs WHERE source = 'gencc' AND status = 'failed'"),
        1
    );
}
