//! Short loads (`guards.max_row_drop`) through the binary and the mirror: a valid but cut
//! upstream answer must not replace a source's good rows unless the maintainer accepts it.
//!
//! The cut copies are made at test time from the real files in ../shared (never committed):
//! the 2026-06-21 ClinGen CSV with half its data rows, and the UK PanelApp panel list's real
//! first page with its `next` link removed (5 panels listed instead of 18).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::support::*;

/// A copy of routes.json in which `from` (a served file) is replaced by `to`.
fn routes_with(dir: &Path, from: &str, to: &Path) -> PathBuf {
    let text = std::fs::read_to_string(shared().join("mirror/routes.json")).expect("routes");
    assert!(text.contains(from), "routes.json serves {from}");
    let to = to.to_str().expect("utf-8 temp path");
    let path = dir.join("routes-cut.json");
    std::fs::write(&path, text.replace(from, to)).expect("write routes");
    path
}

fn last_run(w: &Workdir, source: &str) -> (String, String) {
    w.db()
        .query_row(
            "SELECT status, coalesce(error, '') FROM source_runs WHERE source = ?1
             ORDER BY id DESC LIMIT 1",
            [source],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a run of the source")
}

fn staged(w: &Workdir, source: &str) -> i64 {
    w.count(&format!(
        "SELECT count(*) FROM staged WHERE source = '{source}'"
    ))
}

#[test]
fn a_clingen_file_cut_to_half_keeps_the_rows_until_accepted() {
    let w = Workdir::new();
    {
        let m = MirrorServer::start(&[]);
        let out = w.kgdb(&["--mirror", &m.url, "fetch", "clingen"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    }
    assert_eq!(staged(&w, "clingen"), 169);

    // The real file's 6 header lines and the first half of its 3,631 curations.
    let file = shared().join("data/raw/clingen/clingen-gene-validity.2026-06-21.csv.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&file).expect("clingen file"))
        .read_to_string(&mut text)
        .expect("gzip text");
    let lines: Vec<&str> = text.lines().collect();
    let (head, rows) = lines.split_at(6);
    assert_eq!(rows.len(), 3631);
    let mut cut = head.join("\n");
    for r in &rows[..rows.len() / 2] {
        cut.push('\n');
        cut.push_str(r);
    }
    cut.push('\n');
    let half = w.dir.path().join("clingen-half.csv");
    std::fs::write(&half, cut).expect("write the cut copy");
    let routes = routes_with(
        w.dir.path(),
        "data/raw/clingen/clingen-gene-validity.2026-06-21.csv.gz",
        &half,
    );
    let m = MirrorServer::start(&["--routes", routes.to_str().unwrap()]);

    // Refused: with a second source that loads, the fetch is degraded (exit 1).
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "clingen", "diagnostic_panels"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let says = "clingen: 84 rows instead of 169 (-50 %); previous rows kept; \
                pass --accept-drop clingen if this is right";
    // The summary line names the source once, in front.
    let line = format!(
        "kgdb: clingen failed: {}",
        says.trim_start_matches("clingen: ")
    );
    assert!(stderr(&out).contains(&line), "{}", stderr(&out));
    let (status, error) = last_run(&w, "clingen");
    assert_eq!(status, "failed");
    assert_eq!(error, says);
    assert_eq!(staged(&w, "clingen"), 169, "the previous rows are kept");
    let status = w.kgdb(&["status"]);
    assert!(
        stdout(&status).contains("84 rows instead of 169"),
        "{}",
        stdout(&status)
    );

    // An unknown name is a usage error, not a silent no-op.
    let out = w.kgdb(&[
        "--mirror",
        &m.url,
        "fetch",
        "clingen",
        "--accept-drop",
        "clingne",
    ]);
    assert_eq!(code(&out), 64, "{}", stderr(&out));
    assert_eq!(staged(&w, "clingen"), 169);

    // Accepted: the cut file is loaded.
    let out = w.kgdb(&[
        "--mirror",
        &m.url,
        "fetch",
        "clingen",
        "--accept-drop",
        "clingen",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("clingen: ok, 84 rows"),
        "{}",
        stderr(&out)
    );
    assert_eq!(staged(&w, "clingen"), 84);
    assert_eq!(last_run(&w, "clingen"), ("ok".to_string(), String::new()));
}

#[test]
fn a_panelapp_list_of_one_page_keeps_the_rows_until_accepted() {
    let mut config = fast_config();
    let from = "    panelapp.genomicsengland.co.uk:\n      requests_per_second: 5\n";
    assert!(config.contains(from));
    config = config.replace(
        from,
        "    panelapp.genomicsengland.co.uk:\n      requests_per_second: 200\n",
    );
    let w = Workdir::with_config(&config);
    {
        let m = MirrorServer::start(&[]);
        let out = w.kgdb(&["--mirror", &m.url, "fetch", "panelapp_uk"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    }
    let full = staged(&w, "panelapp_uk");
    assert_eq!(full, 1872, "14 kidney panels");

    // The real first page (5 panels, two of them kidney: 283 and 487), as the last page.
    let page = shared().join("data/reconstructed/panelapp/uk/panels/page-1.json");
    let mut list: serde_json::Value =
        serde_json::from_slice(&std::fs::read(page).expect("page 1")).expect("JSON");
    assert_eq!(list["results"].as_array().map(Vec::len), Some(5));
    list["next"] = serde_json::Value::Null;
    list["count"] = 5.into();
    let dir = w.dir.path().join("uk-one-page");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("page-1.json"), list.to_string()).unwrap();
    let routes = routes_with(
        w.dir.path(),
        "data/reconstructed/panelapp/uk/panels/page-{page}.json",
        &dir.join("page-{page}.json"),
    );
    let m = MirrorServer::start(&["--routes", routes.to_str().unwrap()]);

    let out = w.kgdb(&[
        "--mirror",
        &m.url,
        "fetch",
        "panelapp_uk",
        "diagnostic_panels",
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let (status, error) = last_run(&w, "panelapp_uk");
    assert_eq!(status, "failed");
    assert!(
        error.contains("rows instead of 1872") && error.contains("--accept-drop panelapp_uk"),
        "{error}"
    );
    assert_eq!(
        staged(&w, "panelapp_uk"),
        full,
        "the previous rows are kept"
    );

    let out = w.kgdb(&[
        "--mirror",
        &m.url,
        "fetch",
        "panelapp_uk",
        "--accept-drop",
        "panelapp-uk",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let rows = staged(&w, "panelapp_uk");
    assert!(rows > 0 && rows < full * 7 / 10, "{rows}");
    assert!(
        error.contains(&format!("{rows} rows instead of 1872")),
        "{error}"
    );
    assert_eq!(
        w.count(
            "SELECT count(DISTINCT json_extract(details, '$.panel_id')) FROM staged
             WHERE source = 'panelapp_uk'"
        ),
        2,
        "panels 283 and 487"
    );
}
