//! `kgdb mcp` refusing to start: without data to serve it says what to run, and changes
//! nothing. (The tools themselves are tested with a real MCP client in
//! `tests/mcp/client_test.py`, on the mirror build of the README test command.)

use crate::support::{Workdir, code, stderr};

#[test]
fn mcp_without_a_database_says_what_to_run_and_creates_nothing() {
    let w = Workdir::new();
    let out = w.kgdb(&["mcp"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("no database at"), "{err}");
    assert!(err.contains("--site DIR"), "{err}");
    assert!(!w.data().join("kgdb.sqlite").exists());
    assert!(
        out.stdout.is_empty(),
        "stdout is the protocol: nothing else goes there"
    );
}

#[test]
fn mcp_on_a_folder_that_is_no_site_names_the_missing_file() {
    let w = Workdir::new();
    let out = w.kgdb(&["mcp", "--site", w.dir.path().to_str().unwrap()]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("is no kgdb site folder"), "{err}");
    assert!(err.contains("downloads/manifest.json"), "{err}");
}
