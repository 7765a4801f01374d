//! HGNC end to end through the mirror: download, store, conditional re-fetch, faults.

use std::time::Duration;

use crate::support::*;

const COMPLETE_SET: &str = "hgnc_complete_set.txt";
const NON_ALT: &str =
    "https://storage.googleapis.com/public-download-files/hgnc/tsv/tsv/non_alt_loci_set.txt";

#[test]
fn fetch_then_gene_then_304_stores_nothing_new() {
    let m = MirrorServer::start(&[]);
    let w = Workdir::new();
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "hgnc"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // The real 2024-10-18 complete set has 43,882 approved genes.
    assert_eq!(w.count("SELECT count(*) FROM hgnc"), 43_882);
    let (status, sha, final_url, version): (i64, String, String, String) = w
        .db()
        .query_row(
            "SELECT http_status, sha256, final_url, upstream_version FROM downloads WHERE source = 'hgnc'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(
        final_url,
        "https://storage.googleapis.com/public-download-files/hgnc/tsv/tsv/hgnc_complete_set.txt"
    );
    assert_eq!(version, "2024-10-18");
    let raw = w.raw_files();
    assert_eq!(raw.len(), 1);
    assert!(raw[0].ends_with(format!("raw/hgnc/{sha}.gz")), "{raw:?}");
    // The mirror's ETag is the sha256 of the body: the stored copy is byte-exact.
    let reqs = m.requests_to(COMPLETE_SET);
    assert!(reqs[0]["user_agent"].as_str().unwrap().starts_with("kgdb/"));

    let out = w.kgdb(&["gene", "pkd1"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(text.starts_with("PKD1  HGNC:9008"), "{text}");
    assert!(text.contains("NM_001009944.3"), "{text}");

    let mtime = std::fs::metadata(&raw[0]).unwrap().modified().unwrap();
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "hgnc"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("unchanged"), "{}", stderr(&out));
    let reqs = m.requests_to(COMPLETE_SET);
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[1]["status"], 304);
    assert_eq!(reqs[1]["bytes"], 0);
    assert_eq!(reqs[1]["if_none_match"], format!("\"{sha}\""));
    assert_eq!(w.raw_files(), raw, "a 304 stores no new file");
    assert_eq!(
        std::fs::metadata(&raw[0]).unwrap().modified().unwrap(),
        mtime
    );
    assert_eq!(w.count("SELECT count(*) FROM hgnc"), 43_882);
    assert_eq!(
        w.count("SELECT count(*) FROM source_runs WHERE source = 'hgnc' AND status = 'unchanged'"),
        1
    );
}

#[test]
fn offline_rebuilds_from_the_stored_download() {
    let w = Workdir::new();
    {
        let m = MirrorServer::start(&[]);
        let out = w.kgdb(&["--mirror", &m.url, "fetch", "hgnc"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    }
    w.db().execute("DELETE FROM hgnc", []).unwrap();
    let out = w.kgdb(&["--offline", "fetch", "hgnc"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(w.count("SELECT count(*) FROM hgnc"), 43_882);
    assert_eq!(
        w.count("SELECT count(*) FROM downloads"),
        1,
        "offline makes no download"
    );
}

#[test]
fn the_2023_non_alt_loci_set_loads_too() {
    // Its column `rna_central_ids` differs from 2024's `rna_central_id`: parsing is by name.
    let m = MirrorServer::start(&[]);
    let w = Workdir::with_config(&fast_config().replace(
        "https://storage.googleapis.com/public-download-files/hgnc/tsv/tsv/hgnc_complete_set.txt",
        NON_ALT,
    ));
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "hgnc"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(w.count("SELECT count(*) FROM hgnc"), 43_675);
    let out = w.kgdb(&["gene", "HGNC:9008"]);
    assert!(stdout(&out).starts_with("PKD1"), "{}", stdout(&out));
}

#[test]
fn a_503_burst_is_retried() {
    let m = MirrorServer::start(&["--fault", "/storage.googleapis.com/*:status:503:2"]);
    let w = Workdir::new();
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "hgnc"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let statuses: Vec<_> = m
        .requests_to(COMPLETE_SET)
        .iter()
        .map(|r| r["status"].clone())
        .collect();
    assert_eq!(statuses, [503, 503, 200]);
    assert!(stderr(&out).contains("retry 1"), "{}", stderr(&out));
    assert_eq!(w.count("SELECT count(*) FROM hgnc"), 43_882);
}

#[test]
fn retry_after_on_429_is_honoured() {
    // The mirror sends `Retry-After: 1`; our own backoff would wait only 50 ms.
    let m = MirrorServer::start(&["--fault", "/storage.googleapis.com/*:status:429:1"]);
    let w = Workdir::new();
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "hgnc"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let reqs = m.requests_to(COMPLETE_SET);
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0]["status"], 429);
    let gap = reqs[1]["t"].as_f64().unwrap() - reqs[0]["t"].as_f64().unwrap();
    assert!(gap >= 0.95, "waited only {gap:.3} s after Retry-After: 1");
}

/// Load the 2024 set, then fetch the (never downloaded) 2023 URL through a faulty mirror:
/// the fault hits a full download, and the 2024 data must survive.
fn fault_keeps_previous_data(fault: &str, expect_in_error: &str) {
    let w = Workdir::new();
    {
        let m = MirrorServer::start(&[]);
        assert_eq!(code(&w.kgdb(&["--mirror", &m.url, "fetch", "hgnc"])), 0);
    }
    let raw_before = w.raw_files();
    w.write_config(&fast_config().replace(
        "https://storage.googleapis.com/public-download-files/hgnc/tsv/tsv/hgnc_complete_set.txt",
        NON_ALT,
    ));
    let m = MirrorServer::start(&["--fault", fault]);
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "hgnc"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 2, "the only source failed: fatal\n{err}");
    assert!(
        err.contains("non_alt_loci_set.txt"),
        "error must name the URL:\n{err}"
    );
    assert!(err.contains(expect_in_error), "{err}");
    assert!(err.contains("; last good data from 20"), "{err}");
    assert_eq!(
        w.count("SELECT count(*) FROM hgnc"),
        43_882,
        "previous HGNC data intact"
    );
    assert_eq!(
        w.raw_files(),
        raw_before,
        "nothing of the bad body is stored"
    );
    assert_eq!(
        w.count("SELECT count(*) FROM source_runs WHERE source = 'hgnc' AND status = 'failed'"),
        1
    );
    // Retried before giving up (3 retries in the test config).
    assert_eq!(m.requests_to("non_alt_loci_set").len(), 4);
}

#[test]
fn a_truncated_body_is_never_stored() {
    fault_keeps_previous_data("/storage.googleapis.com/*:truncate", "truncated");
}

#[test]
fn a_corrupt_body_is_never_stored() {
    fault_keeps_previous_data("/storage.googleapis.com/*:corrupt", "corrupt gzip");
}

#[test]
fn a_second_writer_is_refused() {
    let m = MirrorServer::start(&["--fault", "/storage.googleapis.com/*:delay:3000"]);
    let w = Workdir::new();
    let mut first = w
        .kgdb_cmd(&["--mirror", &m.url, "fetch", "hgnc"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the first run holds the lock (its request reached the mirror).
    for _ in 0..100 {
        if !m.requests().is_empty() || m.log.exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "hgnc"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    // The message names the holder and never suggests removing the lock file.
    let err = stderr(&out);
    assert!(
        err.contains("is in use by another kgdb: kgdb fetch, pid"),
        "{err}"
    );
    assert!(
        err.contains("re-run this command after that one finishes"),
        "{err}"
    );
    assert!(!err.contains("remove"), "{err}");
    assert!(first.wait().unwrap().success());
    assert_eq!(w.count("SELECT count(*) FROM hgnc"), 43_882);
}

#[test]
fn normalize_reports_and_logs() {
    let m = MirrorServer::start(&[]);
    let w = Workdir::new();
    assert_eq!(code(&w.kgdb(&["--mirror", &m.url, "fetch", "hgnc"])), 0);
    // Stage a few rows by hand (real symbols; sources arrive with issue 3).
    let db = w.db();
    for (i, (sym, id)) in [
        ("PKD1", None),
        ("WDR60", None),
        ("ASP", None),
        ("NOTAGENE1", None),
        ("ANYTHING", Some("HGNC:9009")),
    ]
    .iter()
    .enumerate()
    {
        db.execute(
            "INSERT INTO staged (source, record_key, reported_symbol, reported_hgnc_id, details)
             VALUES ('literature', ?1, ?2, ?3, '{}')",
            rusqlite::params![i.to_string(), sym, id],
        )
        .unwrap();
    }
    let out = w.kgdb(&["normalize"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("literature: 5 rows"), "{text}");
    assert!(
        text.contains("ambiguous 1") && text.contains("unresolved 1"),
        "{text}"
    );
    assert_eq!(w.count("SELECT count(*) FROM normalization_log"), 5);
    assert_eq!(
        w.count("SELECT count(*) FROM staged WHERE hgnc_id = 'HGNC:21862'"),
        1,
        "WDR60 -> DYNC2I1"
    );
    assert_eq!(
        w.count("SELECT count(*) FROM staged WHERE hgnc_id = 'HGNC:9009'"),
        1
    );
    let review = std::fs::read_to_string(w.data().join("normalization_review.tsv")).unwrap();
    assert!(
        review.contains("ASP\tambiguous\talias_symbol\tHGNC:589 ATG5"),
        "{review}"
    );
    assert!(review.contains("NOTAGENE1\tunresolved"), "{review}");
}

#[test]
fn bodies_over_the_caps_fail_the_source_with_the_setting_named() {
    // The mirror sends the stored gzip (about 4 MB) that inflates to about 16 MB.
    let m = MirrorServer::start(&[]);
    for (key, limit, says) in [
        (
            "max_decompressed_bytes: 4294967296",
            "max_decompressed_bytes: 2000000",
            "body inflates past the 2000000 bytes allowed by http.max_decompressed_bytes",
        ),
        (
            "max_bytes: 536870912",
            "max_bytes: 1000000",
            "body larger than the 1000000 bytes allowed by http.max_bytes",
        ),
    ] {
        let text = fast_config();
        assert!(text.contains(key), "sources.yaml sets {key}");
        let w = Workdir::with_config(&text.replacen(key, limit, 1));
        let out = w.kgdb(&["--mirror", &m.url, "fetch", "hgnc"]);
        let err = stderr(&out);
        assert_eq!(code(&out), 2, "the only source failed: fatal\n{err}");
        assert!(err.contains("hgnc_complete_set.txt"), "{err}");
        assert!(err.contains(says), "{limit}: {err}");
        assert!(!err.contains("retry"), "a cap is not retried: {err}");
        assert!(w.raw_files().is_empty(), "nothing stored");
    }
    // Each limit cost exactly one request.
    assert_eq!(m.requests_to(COMPLETE_SET).len(), 2);
}

#[test]
fn a_connection_reset_is_retried_and_opens_no_breaker() {
    // A reset after the connection was made is a transient fault, not an unreachable host.
    let m = MirrorServer::start(&["--fault", "/storage.googleapis.com/*:reset:2"]);
    let w = Workdir::new();
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "hgnc"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 0, "{err}");
    let statuses: Vec<_> = m
        .requests_to(COMPLETE_SET)
        .iter()
        .map(|r| r["status"].clone())
        .collect();
    assert_eq!(
        statuses,
        [
            serde_json::json!("reset"),
            serde_json::json!("reset"),
            serde_json::json!(200)
        ]
    );
    assert!(!err.contains("cannot reach"), "{err}");
    assert_eq!(w.count("SELECT count(*) FROM hgnc"), 43_882);
}

#[test]
fn a_stored_download_damaged_on_disk_is_downloaded_again_when_upstream_answers_304() {
    let w = Workdir::new();
    let m = MirrorServer::start(&[]);
    assert_eq!(code(&w.kgdb(&["--mirror", &m.url, "fetch", "hgnc"])), 0);
    let raw = w.raw_files();
    assert_eq!(raw.len(), 1, "{raw:?}");
    let good = std::fs::read(&raw[0]).unwrap();
    std::fs::write(&raw[0], b"not the stored gzip").unwrap();
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "hgnc"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 0, "{err}");
    assert!(
        err.contains("does not match its sha256") && err.contains("; downloading it again"),
        "{err}"
    );
    // Asked conditionally (304), then again without validators (200, the whole body).
    let reqs = m.requests_to("hgnc_complete_set.txt");
    let statuses: Vec<_> = reqs.iter().map(|r| r["status"].clone()).collect();
    assert_eq!(statuses, [200, 304, 200], "{reqs:?}");
    assert!(reqs[2]["if_none_match"].is_null(), "{:?}", reqs[2]);
    // The same content, so the same file, now whole again: the next night's 304 reads it.
    assert_eq!(w.raw_files(), raw);
    let restored = std::fs::read(&raw[0]).unwrap();
    assert_ne!(restored, b"not the stored gzip");
    assert_eq!(
        kgdb::fetch::gunzip(&restored).unwrap(),
        kgdb::fetch::gunzip(&good).unwrap()
    );
    let out = w.kgdb(&["--offline", "fetch", "hgnc"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(w.count("SELECT count(*) FROM hgnc"), 43_882);
}

#[test]
fn a_stored_download_damaged_on_disk_is_refused_and_the_rows_kept() {
    let w = Workdir::new();
    {
        let m = MirrorServer::start(&[]);
        assert_eq!(code(&w.kgdb(&["--mirror", &m.url, "fetch", "hgnc"])), 0);
    }
    let raw = w.raw_files();
    assert_eq!(raw.len(), 1, "{raw:?}");
    std::fs::write(&raw[0], b"not the stored gzip").unwrap();
    let out = w.kgdb(&["--offline", "fetch", "hgnc"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 2, "{err}");
    assert!(
        err.contains("kgdb: hgnc failed: stored download")
            && err.contains("is unreadable or does not match its sha256")
            && err.contains("; last good data from 20"),
        "{err}"
    );
    assert_eq!(w.count("SELECT count(*) FROM hgnc"), 43_882, "rows kept");
}
