//! The run lock names its holder and is taken over only from a process that is gone; the
//! output folder's lock keeps two data folders from building into one `-o`; an older
//! database is refused by the read-only commands.

use std::io::Write;

use crate::support::{Workdir, code, stderr};

/// Hold `path` locked (as another kgdb would) with `text` in it.
fn hold(path: &std::path::Path, text: &str) -> std::fs::File {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut f = std::fs::File::create(path).unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f.try_lock().unwrap();
    f
}

#[test]
fn busy_lock_names_the_live_holder_and_asks_for_a_rerun() {
    let w = Workdir::new();
    let pid = std::process::id();
    let _held = hold(
        &w.data().join("kgdb.lock"),
        &format!("kgdb run, pid {pid}, since 2026-01-01T00:00:00Z"),
    );
    let out = w.kgdb(&["score"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains(&format!("kgdb run, pid {pid}, since 2026-01-01")),
        "{err}"
    );
    assert!(err.contains("re-run this command after"), "{err}");
    assert!(!err.contains("remove"), "{err}");
}

#[test]
fn lock_of_a_process_that_is_gone_is_taken_over() {
    let w = Workdir::new();
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let lock = w.data().join("kgdb.lock");
    let _held = hold(
        &lock,
        &format!("kgdb run, pid {dead}, since 2026-01-01T00:00:00Z"),
    );
    let out = w.kgdb(&["score"]);
    let err = stderr(&out);
    assert!(!err.contains("in use by another kgdb"), "{err}");
    // Past the lock: the empty store has nothing to score.
    assert!(err.contains("nothing to score"), "{err}");
    assert_eq!(std::fs::read_to_string(&lock).unwrap(), "", "released");
}

#[test]
fn second_data_folder_cannot_build_into_a_busy_output_folder() {
    let first = Workdir::new();
    let second = Workdir::new();
    let site = first.data().parent().unwrap().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("index.html"), "first site").unwrap();
    // The first data folder's build, held by the test for determinism.
    let _building = kgdb::lock::OutputLock::acquire(&site, "build").unwrap();
    let out = second.kgdb(&["build", "-o", site.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("the output folder"), "{err}");
    assert!(err.contains("in use by another kgdb"), "{err}");
    assert_eq!(
        std::fs::read_to_string(site.join("index.html")).unwrap(),
        "first site"
    );
    assert_eq!(std::fs::read_dir(&site).unwrap().count(), 1);
}

#[test]
fn status_on_an_older_database_names_the_upgrade_and_changes_nothing() {
    use sha2::Digest;
    let w = Workdir::new();
    std::fs::create_dir_all(w.data()).unwrap();
    kgdb::store::Store::create_at_schema_version(&w.data(), 4).unwrap();
    let db = w.data().join("kgdb.sqlite");
    let before = sha2::Sha256::digest(std::fs::read(&db).unwrap());
    let out = w.kgdb(&["status"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("is schema 4, this kgdb needs"), "{err}");
    assert!(err.contains("run `kgdb fetch`"), "{err}");
    assert_eq!(sha2::Sha256::digest(std::fs::read(&db).unwrap()), before);
}
