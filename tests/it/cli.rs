//! The command line contract: help, exit codes, config errors.

use crate::support::*;

#[test]
fn help_lists_every_subcommand_with_a_sentence() {
    let w = Workdir::new();
    let out = w.kgdb(&["--help"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    for cmd in [
        "fetch",
        "normalize",
        "score",
        "build",
        "run",
        "status",
        "gene",
    ] {
        assert!(
            text.lines()
                .any(|l| l.trim_start().starts_with(cmd) && l.len() > cmd.len() + 10),
            "`{cmd}` missing or undocumented in --help:\n{text}"
        );
    }
    for opt in [
        "--config",
        "--data-dir",
        "--mirror",
        "--offline",
        "--verbose",
        "--quiet",
    ] {
        assert!(text.contains(opt), "{opt} missing from --help");
    }
}

#[test]
fn build_before_score_is_a_clear_error_and_writes_nothing() {
    let w = Workdir::new();
    let site = w.data().parent().unwrap().join("site");
    let out = w.kgdb(&["build", "-o", site.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("kgdb score"), "{err}");
    assert!(stdout(&out).is_empty(), "no fake output");
    assert!(!site.exists(), "nothing published");
}

#[test]
fn usage_errors_exit_64() {
    let w = Workdir::new();
    let out = w.kgdb(&["frobnicate"]);
    assert_eq!(code(&out), 64, "{}", stderr(&out));
    let out = w.kgdb(&["fetch", "nosuchsource"]);
    assert_eq!(code(&out), 64, "{}", stderr(&out));
    assert!(stderr(&out).contains("nosuchsource"));
}

#[test]
fn broken_config_exits_78_naming_file_line_and_key() {
    let good = fast_config();
    // An unknown key (a typo) under the ClinGen source.
    let bad = good.replacen("  clingen:\n", "  clingen:\n    expert_panel: oops\n", 1);
    let line = bad
        .lines()
        .position(|l| l.contains("expert_panel: oops"))
        .expect("inserted") as u64
        + 1;
    let w = Workdir::with_config(&bad);
    let out = w.kgdb(&["status"]);
    assert_eq!(code(&out), 78);
    let err = stderr(&out);
    assert!(
        err.contains(&format!("sources.yaml:{line}")),
        "no file:line in:\n{err}"
    );
    assert!(err.contains("expert_panel"), "no key in:\n{err}");

    // Semantic problems are all reported at once.
    let bad = good
        .replacen("requests_per_second: 3", "requests_per_second: -1", 1)
        .replacen("- HP:0010935", "- HP:12", 1);
    w.write_config(&bad);
    let out = w.kgdb(&["status"]);
    assert_eq!(code(&out), 78);
    let err = stderr(&out);
    assert!(err.contains("2 problems"), "{err}");
    assert!(
        err.contains("requests_per_second") && err.contains("kidney_root_terms"),
        "{err}"
    );
}

/// Logs and pipes get plain text: with stderr not a terminal (piped here) no ANSI escape
/// reaches it, whether or not `NO_COLOR` is set, even with the chattiest log level.
#[test]
fn no_ansi_escapes_when_stderr_is_not_a_terminal() {
    let m = MirrorServer::start(&[]);
    for no_color in [None, Some("1")] {
        let w = Workdir::new();
        let mut cmd = w.kgdb_cmd(&["--mirror", &m.url, "fetch", "clingen"]);
        cmd.env("KGDB_LOG", "debug").env_remove("NO_COLOR");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let out = cmd.output().expect("run kgdb");
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let err = stderr(&out);
        // The debug log is there (the check is not vacuous) and plain.
        assert!(err.contains("DEBUG"), "NO_COLOR={no_color:?}: {err}");
        assert!(err.contains("clingen: ok"), "{err}");
        assert!(
            !err.contains("\x1b["),
            "NO_COLOR={no_color:?}: ANSI escape on a piped stderr:\n{err}"
        );
    }
}

/// `kgdb status --json` after a real fetch from the mirror, then after a failed one: the
/// values are the store's, and the exit code is the table's.
#[test]
fn status_json_reports_each_source_and_annotation() {
    const EXPORT: &str = "/search.thegencc.org/download/action/submissions-export-tsv";
    let config = fast_config().replacen("  pubtator:\n", "  pubtator:\n    enabled: false\n", 1);
    let w = Workdir::with_config(&config);
    {
        let m = MirrorServer::start(&[]);
        let out = w.kgdb(&["--mirror", &m.url, "fetch", "gencc"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    }
    let status = |w: &Workdir| {
        let out = w.kgdb(&["status", "--json"]);
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", stdout(&out), stderr(&out)));
        (code(&out), doc)
    };
    let entry = |doc: &serde_json::Value, name: &str| {
        doc["sources"]
            .as_array()
            .expect("sources array")
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("{name} missing from {doc}"))
            .clone()
    };
    let (exit, doc) = status(&w);
    // Other sources were never fetched: stale, so exit 1 as without --json.
    assert_eq!(exit, 1);
    assert_eq!(doc["exit_code"], 1);
    let gencc = entry(&doc, "gencc");
    assert_eq!(gencc["kind"], "source");
    assert_eq!(gencc["enabled"], true);
    assert_eq!(gencc["state"], "fresh");
    assert_eq!(gencc["stale_reason"], serde_json::Value::Null);
    assert_eq!(gencc["last_status"], "ok");
    assert_eq!(gencc["upstream_version"], "2023-10-10");
    assert_eq!(gencc["rows"], 118);
    assert_eq!(gencc["last_error"], serde_json::Value::Null);
    assert_eq!(gencc["coverage"], serde_json::Value::Null);
    let age = gencc["age_days"].as_f64().expect("age_days is a number");
    assert!((0.0..0.1).contains(&age), "fetched just now: {age}");
    assert!(
        gencc["last_success"]
            .as_str()
            .is_some_and(|s| s.starts_with("20") && s.contains('T')),
        "{gencc}"
    );
    let hgnc = entry(&doc, "hgnc");
    assert_eq!(hgnc["state"], "stale");
    assert_eq!(hgnc["stale_reason"], "never_fetched");
    assert_eq!(hgnc["last_status"], "never");
    assert_eq!(hgnc["rows"], 0);
    let pubtator = entry(&doc, "pubtator");
    assert_eq!(
        (pubtator["enabled"].clone(), pubtator["state"].clone()),
        (false.into(), "disabled".into())
    );
    let mane = entry(&doc, "mane");
    assert_eq!(mane["kind"], "annotation");
    assert_eq!(mane["coverage"]["covered_genes"], 0, "nothing scored yet");
    assert_eq!(mane["coverage"]["scored_genes"], 0);
    let stale: Vec<&str> = doc["stale"]
        .as_array()
        .expect("stale array")
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert!(
        stale.contains(&"hgnc") && stale.contains(&"mane"),
        "{stale:?}"
    );
    assert!(
        !stale.contains(&"gencc") && !stale.contains(&"pubtator"),
        "{stale:?}"
    );

    // A failed fetch: stale, with the error, and the previous rows still counted.
    let m = MirrorServer::start(&["--fault", &format!("{EXPORT}:status:500")]);
    assert_eq!(code(&w.kgdb(&["--mirror", &m.url, "fetch", "gencc"])), 2);
    let (exit, doc) = status(&w);
    assert_eq!(exit, 1);
    let gencc = entry(&doc, "gencc");
    assert_eq!(gencc["state"], "stale");
    assert_eq!(gencc["stale_reason"], "last_fetch_failed");
    assert_eq!(gencc["last_status"], "failed");
    assert_eq!(gencc["rows"], 118);
    assert_eq!(
        gencc["upstream_version"], "2023-10-10",
        "of the last success"
    );
    assert!(
        gencc["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("500")),
        "{gencc}"
    );
}

/// Completions and the man page come from the parser's definition and need no config.
fn kgdb_without_config(args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().expect("tempdir");
    std::process::Command::new(env!("CARGO_BIN_EXE_kgdb"))
        .arg("-c")
        .arg(dir.path().join("no-such-sources.yaml"))
        .args(args)
        .env_remove("KGDB_CONFIG")
        .output()
        .expect("run kgdb")
}

#[test]
fn completions_name_the_subcommands_and_flags() {
    let out = kgdb_without_config(&["completions", "bash"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("complete -F"), "a bash script:\n{text}");
    for word in ["fetch", "status", "--mirror", "--json"] {
        assert!(text.contains(word), "{word} missing from:\n{text}");
    }
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let out = kgdb_without_config(&["completions", shell]);
        assert_eq!(code(&out), 0, "{shell}: {}", stderr(&out));
        assert!(stdout(&out).contains("fetch"), "{shell}");
    }
    let out = kgdb_without_config(&["completions", "tcsh"]);
    assert_eq!(code(&out), 64, "unknown shell is a usage error");
}

#[test]
fn man_page_renders_with_every_subcommand() {
    let out = kgdb_without_config(&["man"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let page = stdout(&out);
    assert!(page.contains(".TH kgdb 1"), "{page}");
    for cmd in [
        "fetch",
        "normalize",
        "score",
        "build",
        "run",
        "status",
        "gene",
        "completions",
    ] {
        assert!(
            page.contains(&format!("\nkgdb\\-{cmd}(1)\n")),
            "{cmd} missing from the SUBCOMMANDS of:\n{page}"
        );
    }
    assert!(page.contains("Exit codes"), "the long about is in the page");
    assert!(
        !page.contains("kgdb\\-man"),
        "the hidden command is not listed"
    );
    // Hidden from --help, which lists what users run.
    let help = stdout(&kgdb_without_config(&["--help"]));
    assert!(
        !help.lines().any(|l| l.trim_start().starts_with("man ")),
        "{help}"
    );
}
