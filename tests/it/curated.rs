//! Curated lists (publications, diagnostic lab panels) through the mirror and from local files.

use crate::support::*;

#[test]
fn publications_and_labs_through_the_mirror() {
    let m = MirrorServer::start(&[]);
    let w = Workdir::new();
    let out = w.kgdb(&[
        "--mirror",
        &m.url,
        "fetch",
        "literature",
        "diagnostic_panels",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // 12 publications, 2,993 distinct (publication, gene) rows in the real seed files.
    assert_eq!(
        w.count("SELECT count(*) FROM staged WHERE source = 'literature'"),
        2_993
    );
    assert_eq!(
        w.count("SELECT count(DISTINCT json_extract(details, '$.list_id')) FROM staged WHERE source = 'literature'"),
        12
    );
    // 9 labs, 3,183 distinct (lab, gene) rows.
    assert_eq!(
        w.count("SELECT count(*) FROM staged WHERE source = 'diagnostic_panels'"),
        3_183
    );
    assert_eq!(
        w.count("SELECT count(DISTINCT json_extract(details, '$.lab')) FROM staged WHERE source = 'diagnostic_panels'"),
        9
    );
    // PKD1 is on the Natera Renasight panel; every row links to its download.
    assert_eq!(
        w.count("SELECT count(*) FROM staged WHERE source = 'diagnostic_panels' AND record_key = 'natera/PKD1'"),
        1
    );
    assert_eq!(
        w.count("SELECT count(*) FROM staged WHERE download_id IS NULL"),
        0
    );
    assert_eq!(
        w.count("SELECT count(*) FROM downloads WHERE source = 'literature'"),
        12
    );

    // The seed files sit at a pinned commit (raw.githubusercontent.com sets
    // `immutable_at_commit`): the second fetch uses the stored copies without a request.
    let fetch = [
        "--mirror",
        &m.url,
        "fetch",
        "literature",
        "diagnostic_panels",
    ];
    let out = w.kgdb(&fetch);
    let err = stderr(&out);
    assert_eq!(code(&out), 0, "{err}");
    assert!(
        err.contains("stored copy used (commit-pinned, never changes)"),
        "{err}"
    );
    assert_eq!(m.requests_to("/seed/").len(), 21);
    assert_eq!(
        w.count("SELECT count(*) FROM source_runs WHERE status = 'unchanged'"),
        2
    );

    // Without it, each file is asked again: 21 conditional requests, 21 answers of 304,
    // nothing restaged.
    w.write_config(
        &fast_config().replace("immutable_at_commit: true", "immutable_at_commit: false"),
    );
    let out = w.kgdb(&fetch);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let seeds = m.requests_to("/seed/");
    assert_eq!(seeds.len(), 42);
    assert!(seeds[21..].iter().all(|r| r["status"] == 304), "{seeds:?}");
    assert_eq!(
        w.count("SELECT count(*) FROM source_runs WHERE status = 'unchanged'"),
        4
    );
}

#[test]
fn a_damaged_copy_of_a_commit_pinned_file_is_downloaded_again() {
    let m = MirrorServer::start(&[]);
    let w = Workdir::new();
    let fetch = ["--mirror", &m.url, "fetch", "literature"];
    assert_eq!(code(&w.kgdb(&fetch)), 0);
    let seeds = m.requests_to("/seed/");
    assert_eq!(seeds.len(), 12);
    // Damage the stored copy of the first list: it is no longer used as it is, but asked for
    // (304) and downloaded again (200); the other 11 need no request.
    let first: String = w
        .db()
        .query_row(
            "SELECT stored_path FROM downloads WHERE source = 'literature' AND url = ?1",
            [&format!(
                "https://raw.githubusercontent.com{}",
                seeds[0]["path"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("/raw.githubusercontent.com")
            )],
            |r| r.get(0),
        )
        .unwrap();
    let stored = w.data().join(&first);
    std::fs::write(&stored, b"damaged").unwrap();
    let out = w.kgdb(&fetch);
    let err = stderr(&out);
    assert_eq!(code(&out), 0, "{err}");
    assert!(err.contains("; downloading it again"), "{err}");
    assert!(err.contains("literature: unchanged"), "{err}");
    let again = m.requests_to(seeds[0]["path"].as_str().unwrap());
    let statuses: Vec<_> = again.iter().map(|r| r["status"].clone()).collect();
    assert_eq!(statuses, [200, 304, 200]);
    assert_eq!(m.requests_to("/seed/").len(), 12 + 2);
    assert_ne!(std::fs::read(&stored).unwrap(), b"damaged");
}

#[test]
fn a_local_csv_list_and_a_broken_one() {
    let w = Workdir::new();
    let cfg = fast_config();
    let start = cfg.find("  diagnostic_panels:").unwrap();
    let end = start + cfg[start..].find("\n\n").unwrap();
    let local = "  diagnostic_panels:\n    title: Diagnostic lab panels\n    licence: x\n    citation: x\n    max_age_days: 365\n    files:\n      - lists/mylab.csv\n";
    w.write_config(&format!("{}{}{}", &cfg[..start], local, &cfg[end..]));
    let lists = w.config().parent().unwrap().join("lists");
    std::fs::create_dir_all(&lists).unwrap();
    // A small list written for this test from real symbols.
    std::fs::write(
        lists.join("mylab.csv"),
        "gene,panel\nPKD1,Cystic kidney\nNPHS2,Nephrotic\n",
    )
    .unwrap();
    let out = w.kgdb(&["fetch", "diagnostic_panels"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        w.count("SELECT count(*) FROM staged WHERE source = 'diagnostic_panels'"),
        2
    );
    let url: String = w
        .db()
        .query_row(
            "SELECT url FROM downloads WHERE source = 'diagnostic_panels'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        url.starts_with("file://") && url.ends_with("lists/mylab.csv"),
        "{url}"
    );

    // A broken edit: the error names the source, the file and the line; the rows stay.
    std::fs::write(lists.join("mylab.csv"), "gene,panel\nPKD1,Cystic,extra\n").unwrap();
    let out = w.kgdb(&["fetch", "diagnostic_panels"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("diagnostic_panels") && err.contains("mylab.csv") && err.contains("line 2"),
        "{err}"
    );
    assert_eq!(
        w.count("SELECT count(*) FROM staged WHERE source = 'diagnostic_panels'"),
        2
    );
}
