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
