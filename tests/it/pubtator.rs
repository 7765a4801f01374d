//! PubTator3 end to end through the mirror: paging at the configured rate, the real counts,
//! resume after an interruption (HTTP 500 or SIGKILL), incremental stop, unchanged re-runs.
//!
//! Facts: the mirror serves the kidney query as 486 reconstructed pages (4,860 PMIDs,
//! 10,933 PMID-gene pairs; `shared/data/reconstructed/README.md`). Cumulative pairs on
//! pages 1..N (counted from those files): 1: 24, 2: 42, 3: 65, 4: 99, 5: 126, 7: 181,
//! 10: 236. PMID 38275584 (page 1) mentions DNAJB11, PKD1 (NCBI 5310) and PKD2.

use std::time::{Duration, Instant};

use crate::support::*;

const SEARCH: &str = "/www.ncbi.nlm.nih.gov/research/pubtator3-api/search/";

/// Test config: `max_pages` and (when `fast`) a high rate for NCBI.
fn config(max_pages: Option<u64>, fast: bool) -> String {
    let mut c = fast_config().replace(
        "max_pages: null",
        &match max_pages {
            Some(n) => format!("max_pages: {n}"),
            None => "max_pages: null".into(),
        },
    );
    if fast {
        let before = c.clone();
        c = c.replace(
            "www.ncbi.nlm.nih.gov:\n      requests_per_second: 3",
            "www.ncbi.nlm.nih.gov:\n      requests_per_second: 1000",
        );
        assert_ne!(c, before, "the NCBI rate limit is in sources.yaml");
    }
    c
}

/// The page numbers requested, in order.
fn pages(m: &MirrorServer) -> Vec<u64> {
    m.requests_to(SEARCH)
        .iter()
        .map(|r| {
            let p = r["path"].as_str().unwrap();
            let after = p.rsplit("page=").next().unwrap();
            after.split('&').next().unwrap().parse().unwrap()
        })
        .collect()
}

fn staged(w: &Workdir) -> i64 {
    w.count("SELECT count(*) FROM staged WHERE source = 'pubtator'")
}

fn fetch(w: &Workdir, m: &MirrorServer) -> std::process::Output {
    w.kgdb(&["--mirror", &m.url, "fetch", "pubtator"])
}

#[test]
fn default_rate_spaces_requests_and_stages_pkd1() {
    let m = MirrorServer::start(&[]);
    let w = Workdir::with_config(&config(Some(4), false));
    let out = fetch(&w, &m);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let reqs = m.requests_to(SEARCH);
    assert_eq!(pages(&m), [1, 2, 3, 4]);
    // sources.yaml allows 3 requests/s to www.ncbi.nlm.nih.gov (one per 0.333 s). The mirror
    // stamps each request when its thread handles it, which on a loaded machine can lag the
    // send by tens of ms, so the bounds leave room for that jitter; without the limiter the
    // four pages arrive within a few ms of each other and both checks fail.
    let t: Vec<f64> = reqs.iter().map(|r| r["t"].as_f64().unwrap()).collect();
    for (k, pair) in t.windows(2).enumerate() {
        assert!(pair[1] - pair[0] >= 0.2, "gap {k}: {t:?}");
    }
    assert!(t[3] - t[0] >= 0.8, "{t:?}");
    assert!(reqs.iter().all(|r| r["status"] == 200));
    assert!(
        reqs[0]["path"]
            .as_str()
            .unwrap()
            .contains("text=%28%22kidney+disease%22+OR+%22renal+disease%22%29+AND+%28gene+OR+syndrome%29+AND+%28variant+OR+mutation%29&page=1"),
        "{}",
        reqs[0]["path"]
    );
    assert_eq!(staged(&w), 99);
    let (sym, ncbi, details, url): (String, String, String, String) = w
        .db()
        .query_row(
            "SELECT s.reported_symbol, s.reported_ncbi_id, s.details, d.url FROM staged s
             JOIN downloads d ON d.id = s.download_id
             WHERE s.source = 'pubtator' AND s.record_key = '38275584/5310'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!((sym.as_str(), ncbi.as_str()), ("PKD1", "5310"));
    let d: serde_json::Value = serde_json::from_str(&details).unwrap();
    assert_eq!(d["pmid"], "38275584");
    assert_eq!(d["mention"], "PKD1");
    assert!(url.ends_with("&page=1&sort=date+desc"), "{url}");
    assert_eq!(
        w.count("SELECT count(*) FROM downloads WHERE source = 'pubtator'"),
        4
    );
}

#[test]
fn all_486_pages_then_an_unchanged_rerun_of_three_requests_then_offline() {
    let m = MirrorServer::start(&[]);
    let w = Workdir::with_config(&config(None, true));
    let t0 = Instant::now();
    let out = fetch(&w, &m);
    let took = t0.elapsed();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    eprintln!("486 pages through the mirror in {took:?}");
    // total_pages = 486 ends the paging: page 487 (a 404 here) is never asked for.
    assert_eq!(pages(&m), (1..=486).collect::<Vec<_>>());
    assert_eq!(staged(&w), 10_933);
    assert_eq!(
        w.count(
            "SELECT count(DISTINCT json_extract(details, '$.pmid')) FROM staged WHERE source = 'pubtator'"
        ),
        4_860
    );
    assert_eq!(
        w.count(
            "SELECT count(*) FROM staged WHERE source = 'pubtator' AND reported_ncbi_id = '5310'"
        ),
        878
    );
    assert!(
        stderr(&out).contains("486 page(s), 4860 articles"),
        "{}",
        stderr(&out)
    );

    // Incremental and unchanged: pages 1-3 are conditional (304) and all known -> stop.
    let out = fetch(&w, &m);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("unchanged"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("stopped after 3 known pages"),
        "{}",
        stderr(&out)
    );
    let second: Vec<_> = m.requests_to(SEARCH).split_off(486);
    assert_eq!(second.len(), 3, "{second:?}");
    assert!(second.iter().all(|r| r["status"] == 304));
    assert_eq!(staged(&w), 10_933);

    // Offline rebuilds every page from the stored copies, without a request.
    w.db()
        .execute("DELETE FROM staged WHERE source = 'pubtator'", [])
        .unwrap();
    let out = w.kgdb(&["--offline", "fetch", "pubtator"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(staged(&w), 10_933);
    assert_eq!(m.requests_to(SEARCH).len(), 489);
}

#[test]
fn a_failed_page_keeps_the_rows_and_the_rerun_resumes_after_it() {
    let w = Workdir::with_config(&config(Some(2), true));
    {
        let m = MirrorServer::start(&[]);
        let out = fetch(&w, &m);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    }
    assert_eq!(staged(&w), 42);

    // Page 3 fails after every retry: the source fails, its previous rows stay.
    w.write_config(&config(Some(5), true));
    {
        let m = MirrorServer::start(&["--fault", "*page=3*:status:500"]);
        let out = fetch(&w, &m);
        assert_eq!(code(&out), 2, "{}", stderr(&out));
        assert!(stderr(&out).contains("HTTP 500"), "{}", stderr(&out));
        // 1 + 3 retries of page 3, after pages 1-2 (304: unchanged since the first fetch).
        assert_eq!(pages(&m), [1, 2, 3, 3, 3, 3]);
    }
    assert_eq!(staged(&w), 42);
    let cp: String = w
        .db()
        .query_row(
            "SELECT state FROM checkpoints WHERE source = 'pubtator'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let cp: serde_json::Value = serde_json::from_str(&cp).unwrap();
    assert_eq!(cp["pages"].as_array().unwrap().len(), 2);

    // The clean re-run reads pages 1-2 from the stored copies and asks only for 3-5.
    let m = MirrorServer::start(&[]);
    let out = fetch(&w, &m);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("resuming an interrupted fetch: pages 1-2"),
        "{}",
        stderr(&out)
    );
    assert_eq!(pages(&m), [3, 4, 5]);
    assert_eq!(staged(&w), 126);
    assert_eq!(
        w.count("SELECT count(*) FROM staged WHERE source = 'pubtator' AND download_id IS NULL"),
        0
    );

    // The finished checkpoint is not replayed again: the next run pages normally.
    let m = MirrorServer::start(&[]);
    let out = fetch(&w, &m);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!stderr(&out).contains("resuming"), "{}", stderr(&out));
    assert_eq!(pages(&m), [1, 2, 3]);
    assert_eq!(staged(&w), 126);
}

#[test]
fn a_sigkilled_fetch_resumes_without_refetching_finished_pages() {
    let w = Workdir::with_config(&config(Some(10), false));
    let m = MirrorServer::start(&[]);
    let mut child = w
        .kgdb_cmd(&["--mirror", &m.url, "fetch", "pubtator"])
        .stderr(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // At 3 requests/s, 10 pages take about 3 s: kill it part-way.
    let deadline = Instant::now() + Duration::from_secs(10);
    while m.requests_to(SEARCH).len() < 4 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let before = pages(&m);
    assert!(before.len() >= 4 && before.len() < 10, "{before:?}");
    let done: i64 = w
        .db()
        .query_row(
            "SELECT json_array_length(state, '$.pages') FROM checkpoints WHERE source = 'pubtator'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(done >= 3, "{done}");
    assert_eq!(staged(&w), 0);

    w.write_config(&config(Some(10), true));
    let out = fetch(&w, &m);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let after: Vec<u64> = pages(&m).split_off(before.len());
    assert_eq!(after, (done as u64 + 1..=10).collect::<Vec<_>>());
    assert_eq!(staged(&w), 236);
}

#[test]
fn a_changed_query_starts_over() {
    let w = Workdir::with_config(&config(Some(5), true));
    {
        let m = MirrorServer::start(&["--fault", "*page=3*:status:500"]);
        let out = fetch(&w, &m);
        assert_eq!(code(&out), 2, "{}", stderr(&out));
    }
    // The real recorded `text=BRCA1` page 1: 10 articles, 9 PMID-gene pairs.
    let brca1 = config(Some(1), true).replace(
        "query: '(\"kidney disease\" OR \"renal disease\") AND (gene OR syndrome) AND (variant OR mutation)'",
        "query: BRCA1",
    );
    assert!(brca1.contains("query: BRCA1"));
    w.write_config(&brca1);
    let m = MirrorServer::start(&[]);
    let out = fetch(&w, &m);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!stderr(&out).contains("resuming"), "{}", stderr(&out));
    let reqs = m.requests_to(SEARCH);
    assert_eq!(reqs.len(), 1);
    assert!(
        reqs[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("?text=BRCA1&page=1&sort=date+desc")
    );
    assert_eq!(staged(&w), 9);
    assert_eq!(
        w.count(
            "SELECT count(*) FROM staged WHERE source = 'pubtator' AND record_key = '34083286/672'"
        ),
        1
    );
}

#[test]
fn an_empty_answer_fails_the_source_and_keeps_the_rows() {
    let w = Workdir::with_config(&config(Some(1), true));
    let m = MirrorServer::start(&[]);
    assert_eq!(code(&fetch(&w, &m)), 0);
    assert_eq!(staged(&w), 24);
    // Any other query text gets the real empty PubTator3 answer.
    w.write_config(&config(Some(1), true).replace(
        "query: '(\"kidney disease\" OR \"renal disease\") AND (gene OR syndrome) AND (variant OR mutation)'",
        "query: xyzzy12345nonexistent98765",
    ));
    let out = fetch(&w, &m);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("matched no articles"),
        "{}",
        stderr(&out)
    );
    assert_eq!(staged(&w), 24);
    // The empty answer is not checkpointed: the next run asks again.
    assert_eq!(
        w.count("SELECT count(*) FROM checkpoints WHERE state LIKE '%xyzzy%'"),
        0
    );
}

#[test]
fn a_checkpoint_older_than_max_age_days_is_not_resumed() {
    let w = Workdir::with_config(&config(Some(4), true));
    {
        let m = MirrorServer::start(&["--fault", "*page=3*:status:500"]);
        assert_eq!(code(&fetch(&w, &m)), 2);
    }
    w.db()
        .execute(
            "UPDATE checkpoints SET state = json_set(state, '$.pages[0].fetched_at',
                '2020-01-01T00:00:00Z') WHERE source = 'pubtator'",
            [],
        )
        .unwrap();
    let m = MirrorServer::start(&[]);
    let out = fetch(&w, &m);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("not resuming"), "{}", stderr(&out));
    assert_eq!(pages(&m), [1, 2, 3, 4]);
    assert_eq!(staged(&w), 99);
}

/// A mirror whose kidney pages are the real ones shifted by one page: the state of the
/// search before the 10 newest articles (real page 1) appeared.
struct Before {
    _dir: tempfile::TempDir,
    mirror: MirrorServer,
}

fn before_mirror() -> Before {
    let dir = tempfile::tempdir().unwrap();
    let kidney = shared().join("data/reconstructed/pubtator3/search/kidney");
    std::fs::create_dir_all(dir.path().join("before")).unwrap();
    for n in 1..=10u64 {
        let real: serde_json::Value = serde_json::from_slice(
            &std::fs::read(kidney.join(format!("page-{}.json", n + 1))).unwrap(),
        )
        .unwrap();
        let mut page = real.clone();
        page["current"] = n.into();
        page["total_pages"] = 485.into();
        page["count"] = 4850.into();
        std::fs::write(
            dir.path().join(format!("before/page-{n}.json")),
            page.to_string(),
        )
        .unwrap();
    }
    let routes: serde_json::Value =
        serde_json::from_slice(&std::fs::read(shared().join("mirror/routes.json")).unwrap())
            .unwrap();
    let mut route = routes["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "pubtator3-search-kidney")
        .unwrap()
        .clone();
    route["file"] = "before/page-{page}.json".into();
    let mut table = routes.clone();
    table["routes"] = serde_json::json!([route]);
    let file = dir.path().join("routes.json");
    std::fs::write(&file, table.to_string()).unwrap();
    let mirror = MirrorServer::start(&[
        "--routes",
        file.to_str().unwrap(),
        "--data-root",
        dir.path().to_str().unwrap(),
    ]);
    Before { _dir: dir, mirror }
}

#[test]
fn incremental_fetch_stops_after_known_pages_and_stages_old_plus_new() {
    let w = Workdir::with_config(&config(Some(6), true));
    {
        let b = before_mirror();
        let out = fetch(&w, &b.mirror);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        assert_eq!(pages(&b.mirror), [1, 2, 3, 4, 5, 6]);
    }
    // Real pages 2-7: 181 - 24 pairs; not yet the newest article 38275584.
    assert_eq!(staged(&w), 157);
    assert_eq!(
        w.count("SELECT count(*) FROM staged WHERE record_key = '38275584/5310'"),
        0
    );

    // Now the real search: page 1 is new, pages 2-4 hold only known PMIDs -> stop there.
    w.write_config(&config(None, true));
    let m = MirrorServer::start(&[]);
    let out = fetch(&w, &m);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(pages(&m), [1, 2, 3, 4]);
    assert!(
        stderr(&out).contains("stopped after 3 known pages"),
        "{}",
        stderr(&out)
    );
    // Old rows of real pages 5-7 kept, new rows of pages 1-4: real pages 1-7.
    assert_eq!(staged(&w), 181);
    assert_eq!(
        w.count("SELECT count(*) FROM staged WHERE record_key = '38275584/5310'"),
        1
    );
    // The 82 kept rows (real pages 5-7) still point at the downloads they came from.
    assert_eq!(
        w.count(
            "SELECT count(*) FROM staged s JOIN downloads d ON d.id = s.download_id
             WHERE s.source = 'pubtator' AND d.run_id = (SELECT min(run_id) FROM downloads)"
        ),
        181 - 99
    );
    assert_eq!(
        w.count("SELECT count(*) FROM staged WHERE source = 'pubtator' AND download_id IS NULL"),
        0
    );
}
