//! The nightly job end to end through the mirror: a full run, an unchanged re-run that
//! transfers no body, and a run with a source down (degraded: last good data, marked stale).

use crate::support::*;

fn unthrottled() -> String {
    let mut out = String::new();
    for line in fast_config().lines() {
        match line.find("requests_per_second:") {
            Some(i) => out.push_str(&format!("{}requests_per_second: 1000", &line[..i])),
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

#[test]
fn nightly_runs_full_unchanged_and_degraded() {
    let w = Workdir::with_config(&unthrottled());
    let site = w.data().parent().unwrap().join("site");
    let site_arg = site.to_str().unwrap().to_string();

    // 1. First run: everything fresh, a first release.
    let m = MirrorServer::start(&[]);
    let out = w.kgdb(&["--mirror", &m.url, "run", "-o", &site_arg, "--json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let summary: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("--json prints JSON");
    assert_eq!(summary["status"], "ok");
    // 9 evidence sources + 10 annotations (hpo_phenotypes reported with hpo).
    let sources = summary["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 19, "{summary}");
    assert!(
        sources
            .iter()
            .any(|s| s["source"] == "hpo_phenotypes" && s["status"] == "ok"),
        "{summary}"
    );
    assert!(summary["genes"].as_u64().unwrap() > 3000, "{summary}");
    let first_release = summary["release"].as_str().unwrap().to_string();
    for f in [
        "index.html",
        "data.js",
        "sources.html",
        "changes.json",
        "downloads/SHA256SUMS",
    ] {
        assert!(site.join(f).is_file(), "missing {f}");
    }
    assert!(
        site.join("releases")
            .join(&first_release)
            .join("genes.csv")
            .is_file()
    );
    let requests_first_run = m.requests().len();
    // The protein network (one full run serves both tests): landmark, counts, downloads.
    crate::network::check_kidney_network(&site);
    let first_network = crate::network::network_data_without_release(&site);

    // 2. Nothing changed upstream: no body transferred, no new release.
    let out = w.kgdb(&["--mirror", &m.url, "run", "-o", &site_arg]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(&format!("no change; release {first_release} stays current")),
        "{text}"
    );
    let again: Vec<_> = m.requests().into_iter().skip(requests_first_run).collect();
    let bodies: Vec<_> = again
        .iter()
        .filter(|r| r["status"] == 200 && r["bytes"].as_u64().unwrap_or(0) > 0)
        .collect();
    assert!(
        bodies.is_empty(),
        "an unchanged re-run downloaded bodies: {bodies:?}"
    );
    assert!(
        again.iter().filter(|r| r["status"] == 304).count() >= 20,
        "{again:?}"
    );
    // Nothing is asked that cannot have changed: no PanelApp panel at the version its list
    // gives, no file pinned to a commit.
    let path = |r: &serde_json::Value| r["path"].as_str().unwrap_or_default().to_string();
    let panel = |p: &str| {
        p.split_once("/api/v1/panels/").is_some_and(|(_, id)| {
            id.strip_suffix('/')
                .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
        })
    };
    assert!(
        again.iter().all(|r| {
            let p = path(r);
            !(p.starts_with("/raw.githubusercontent.com/") || panel(&p))
        }),
        "{:?}",
        again.iter().map(path).collect::<Vec<_>>()
    );
    let releases: Vec<_> = std::fs::read_dir(site.join("releases")).unwrap().collect();
    assert_eq!(releases.len(), 1, "no second copy of the same release");
    // The same input gives the same network, clusters, layout and enrichment.
    assert_eq!(
        crate::network::network_data_without_release(&site),
        first_network,
        "a second run changed the network"
    );
    drop(m);

    // A build killed part-way leaves the previous site whole and the database usable.
    let index_before = std::fs::read(site.join("index.html")).unwrap();
    let mut child = w
        .kgdb_cmd(&["build", "-o", &site_arg])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(400));
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
    // Either the old site or the complete new one, never a mix: the index names the release
    // its data.js belongs to.
    let index_after = std::fs::read_to_string(site.join("index.html")).expect("a site is in place");
    let data_js = std::fs::read_to_string(site.join("data.js")).unwrap();
    let release_of = |html: &str| html.split("release ").nth(1).map(|r| r[..10].to_string());
    assert!(
        data_js.contains(&release_of(&index_after).unwrap()),
        "index and data.js disagree"
    );
    let _ = index_before;
    for f in [
        "data.js",
        "downloads/SHA256SUMS",
        "downloads/genes.csv",
        "changes.json",
    ] {
        assert!(site.join(f).is_file(), "{f} missing after a killed build");
    }
    assert!(
        w.count("SELECT count(*) FROM scores") > 3000,
        "database still usable"
    );

    // 3. ClinGen stays down: the run is degraded (exit 1), uses ClinGen's last good data,
    //    says so on the site, and the other sources are fresh (unchanged).
    let m = MirrorServer::start(&["--fault", "/search.clinicalgenome.org/*:status:503"]);
    let out = w.kgdb(&["--mirror", &m.url, "run", "-o", &site_arg, "--json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["status"], "degraded");
    let by_source = |name: &str| {
        summary["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["source"] == name)
            .cloned()
            .unwrap()
    };
    assert_eq!(by_source("clingen")["status"], "failed");
    assert!(
        by_source("clingen")["error"]
            .as_str()
            .unwrap()
            .contains("503")
    );
    assert_eq!(by_source("hgnc")["status"], "unchanged");
    // One staleness rule: a failed fetch makes the source stale even though its last good
    // data is recent, in the run summary, on the Sources page and in `kgdb status`.
    assert_eq!(by_source("clingen")["stale"], true);
    assert_eq!(by_source("hgnc")["stale"], false);
    // ClinGen's last good curations still count (COL4A5: Definitive).
    assert_eq!(
        w.count("SELECT count(*) FROM evidence WHERE hgnc_id = 'HGNC:2207' AND source = 'clingen'"),
        1
    );
    let sources_page = std::fs::read_to_string(site.join("sources.html")).unwrap();
    assert!(
        sources_page.contains("Stale data"),
        "the site says ClinGen is stale"
    );
    // The site names the upstream URL and a short reason, never the mirror's address, a
    // local path or the response body; `kgdb status` keeps the full text.
    assert!(
        sources_page.contains("https://search.clinicalgenome.org/")
            && sources_page.contains("HTTP 503"),
        "the public error names the upstream URL and the status"
    );
    let api = std::fs::read_to_string(site.join("api/sources.json")).unwrap();
    for (what, text) in [("sources.html", &sources_page), ("api/sources.json", &api)] {
        for internal in ["127.0.0.1", "file://", m.url.as_str()] {
            assert!(!text.contains(internal), "{what} shows {internal}");
        }
    }
    let status = w.kgdb(&["status"]);
    assert!(stdout(&status).contains("503"), "{}", stdout(&status));
    assert_eq!(code(&status), 1, "a stale source is degraded");
    let state_of = |name: &str| {
        let text = stdout(&status);
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .and_then(|l| l.split_whitespace().nth(1).map(str::to_string))
            .unwrap_or_else(|| panic!("no {name} line in:\n{text}"))
    };
    assert_eq!(state_of("clingen"), "STALE");
    assert_eq!(state_of("hgnc"), "fresh");
    // The killed build's temporary folder was cleaned up by the next build (the output
    // folder's lock file, `.site.kgdb-lock`, stays: it is not a build's leftover).
    let leftovers: Vec<_> = std::fs::read_dir(site.parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with(".site.") && name != ".site.kgdb-lock"
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
