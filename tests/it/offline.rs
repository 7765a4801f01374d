//! Upstream out of reach: no network (DNS fails), or a mirror that does not answer. Each host
//! trips its circuit breaker once, every source says in one plain line why it failed and what
//! it keeps, and a first run that fetched nothing says how to start and exits 2 at once
//! (measured time: docs/benchmarks.md, "Offline first run").

use std::collections::BTreeSet;

use crate::support::{MirrorServer, Workdir, code, fast_config, stderr, stdout};

/// The test config with every upstream host moved under `.invalid`, which never resolves
/// (RFC 6761): the no-network case, whether or not the machine has one.
fn unresolvable_config() -> (String, BTreeSet<String>) {
    let text = fast_config();
    let mut out = String::with_capacity(text.len() + 1024);
    let mut hosts = BTreeSet::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find("https://") {
        let after = &rest[i + "https://".len()..];
        let end = after
            .find(|c: char| c == '/' || c == '"' || c == '\'' || c.is_whitespace())
            .unwrap_or(after.len());
        let host = &after[..end];
        out.push_str(&rest[..i]);
        out.push_str("https://");
        out.push_str(host);
        out.push_str(".invalid");
        hosts.insert(format!("{host}.invalid"));
        rest = &after[end..];
    }
    out.push_str(rest);
    (out, hosts)
}

/// The per-source lines of a `kgdb run` summary: (source, detail).
fn source_lines(summary: &str) -> Vec<(String, String)> {
    summary
        .lines()
        .skip(1)
        .filter(|l| l.starts_with("  ") && l.contains(" failed "))
        .filter_map(|l| {
            let mut parts = l.trim().splitn(2, ' ');
            let source = parts.next()?.to_string();
            let detail = parts
                .next()?
                .trim()
                .strip_prefix("failed")?
                .trim()
                .to_string();
            Some((source, detail))
        })
        .collect()
}

#[test]
fn a_first_run_without_dns_fails_at_once_and_says_how_to_start() {
    let (config, hosts) = unresolvable_config();
    let w = Workdir::with_config(&config);
    let site = w.dir.path().join("site");
    let out = w.kgdb(&["run", "-o", site.to_str().unwrap()]);
    let (text, err) = (stdout(&out), stderr(&out));
    assert_eq!(code(&out), 2, "{text}\n{err}");
    // One plain line per source: which host, why, and that there is no earlier data.
    let lines = source_lines(&text);
    assert!(lines.len() >= 10, "{text}");
    for (source, detail) in &lines {
        assert!(
            detail.starts_with("cannot reach ")
                && detail.ends_with(": DNS lookup failed; no earlier data"),
            "{source}: {detail}"
        );
        assert!(!detail.contains("last good data"), "{source}: {detail}");
    }
    // The raw chain and the URLs only under -v; no retries of an unreachable host.
    for noise in ["dns error", "error sending request", "https://", "retry"] {
        assert!(
            !text.contains(noise) && !err.contains(noise),
            "{noise}:\n{text}\n{err}"
        );
    }
    // Every host that was asked is reported once on stderr.
    let reported: Vec<&str> = err
        .lines()
        .filter_map(|l| l.strip_prefix("cannot reach "))
        .filter_map(|l| l.split(':').next())
        .collect();
    let unique: BTreeSet<&str> = reported.iter().copied().collect();
    assert_eq!(
        reported.len(),
        unique.len(),
        "a host reported twice:\n{err}"
    );
    assert!(unique.len() >= 8, "{err}");
    assert!(unique.iter().all(|h| hosts.contains(*h)), "{unique:?}");
    // How to start, and nothing published.
    assert!(text.contains("nothing has been fetched yet"), "{text}");
    assert!(text.contains("check the network"), "{text}");
    assert!(text.contains("--mirror URL"), "{text}");
    assert!(!text.contains("kgdb fetch hgnc"), "{text}");
    assert!(!site.exists(), "no site from nothing");
    // -v adds the raw chain to each line.
    let out = w.kgdb(&["-v", "run", "-o", site.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(
        source_lines(&stdout(&out))
            .iter()
            .all(|(_, d)| d.contains("no earlier data (") && d.contains("dns error")),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_mirror_that_does_not_answer_is_reported_once() {
    let w = Workdir::new();
    let site = w.dir.path().join("site");
    let out = w.kgdb(&[
        "--mirror",
        "http://127.0.0.1:1",
        "run",
        "-o",
        site.to_str().unwrap(),
    ]);
    let (text, err) = (stdout(&out), stderr(&out));
    assert_eq!(code(&out), 2, "{text}\n{err}");
    let lines = source_lines(&text);
    assert!(lines.len() >= 10, "{text}");
    for (source, detail) in &lines {
        assert_eq!(
            detail,
            "cannot reach the mirror http://127.0.0.1:1: connection refused; no earlier data",
            "{source}"
        );
    }
    assert_eq!(
        err.lines()
            .filter(|l| l.starts_with("cannot reach"))
            .count(),
        1,
        "{err}"
    );
    assert!(!err.contains("retry"), "{err}");
    // The advice is about the mirror, not the network.
    assert!(
        text.contains("the mirror http://127.0.0.1:1 does not answer"),
        "{text}"
    );
    assert!(text.contains("serve.py"), "{text}");
    // `kgdb status` keeps the raw chain for the diagnosis.
    let status = stdout(&w.kgdb(&["status"]));
    assert!(status.contains("connection refused ("), "{status}");
}

#[test]
fn a_source_with_earlier_data_names_its_day() {
    let w = Workdir::new();
    {
        let m = MirrorServer::start(&[]);
        let out = w.kgdb(&["--mirror", &m.url, "fetch", "clingen"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    }
    let today = w
        .db()
        .query_row(
            "SELECT substr(finished, 1, 10) FROM source_runs WHERE source = 'clingen' AND status = 'ok'",
            [],
            |r| r.get::<_, String>(0),
        )
        .expect("a good clingen run");
    let out = w.kgdb(&[
        "--mirror",
        "http://127.0.0.1:1",
        "fetch",
        "clingen",
        "gencc",
    ]);
    let err = stderr(&out);
    assert_eq!(code(&out), 2, "{err}");
    assert!(
        err.contains(&format!(
            "kgdb: clingen failed: cannot reach the mirror http://127.0.0.1:1: connection refused; last good data from {today} kept"
        )),
        "{err}"
    );
    assert!(
        err.contains("kgdb: gencc failed: cannot reach the mirror http://127.0.0.1:1: connection refused; no earlier data"),
        "{err}"
    );
    // Not a first run: no advice on how to start.
    assert!(!err.contains("nothing has been fetched yet"), "{err}");
    assert!(
        w.count("SELECT count(*) FROM staged WHERE source = 'clingen'") > 0,
        "previous rows kept"
    );
}

#[test]
fn an_offline_first_run_says_to_run_once_online() {
    let w = Workdir::new();
    let site = w.dir.path().join("site");
    let out = w.kgdb(&["--offline", "run", "-o", site.to_str().unwrap()]);
    let text = stdout(&out);
    assert_eq!(code(&out), 2, "{text}\n{}", stderr(&out));
    assert!(
        text.contains(
            "nothing has been fetched yet, so there is nothing to build: run once without --offline"
        ),
        "{text}"
    );
    assert!(!text.contains("--mirror URL"), "{text}");
}
