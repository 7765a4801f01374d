//! Releases on change only, the release archive in the data folder, the crash-safe swap,
//! a symlinked output, and `kgdb gc` (issue 12), on one pipeline run from the mirror.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::support::*;

fn unthrottled() -> String {
    fast_config()
        .lines()
        .map(|line| match line.find("requests_per_second:") {
            Some(i) => format!("{}requests_per_second: 1000\n", &line[..i]),
            None => format!("{line}\n"),
        })
        .collect()
}

/// Every file below `dir` (not following links below it), relative path -> value.
fn files_of<T>(dir: &Path, f: &dyn Fn(&Path) -> T) -> BTreeMap<String, T> {
    fn walk<T>(base: &Path, dir: &Path, f: &dyn Fn(&Path) -> T, out: &mut BTreeMap<String, T>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            let t = e.file_type().unwrap();
            if t.is_dir() {
                walk(base, &p, f, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
                out.insert(rel, f(&p));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, f, &mut out);
    out
}

fn mtimes(dir: &Path) -> BTreeMap<String, (SystemTime, u64)> {
    files_of(dir, &|p| {
        let m = std::fs::symlink_metadata(p).unwrap();
        (m.modified().unwrap(), m.len())
    })
}

/// Files added, removed or changed between two listings.
fn changed<T: PartialEq>(a: &BTreeMap<String, T>, b: &BTreeMap<String, T>) -> Vec<String> {
    let mut out: Vec<String> = a
        .iter()
        .filter(|(k, v)| b.get(*k) != Some(v))
        .map(|(k, _)| k.clone())
        .chain(b.keys().filter(|k| !a.contains_key(*k)).cloned())
        .collect();
    out.sort();
    out
}

fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files_of(dir, &|p| std::fs::read(p).unwrap())
}

/// Entries beside `dir` whose names start with `prefix` (a build's leftovers).
fn beside(dir: &Path, prefix: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix) && !n.ends_with(".kgdb-lock"))
        .collect();
    v.sort();
    v
}

/// Make the site at `dir` look like another release, so the next build publishes again.
fn outdate(dir: &Path) {
    std::fs::write(dir.join(".kgdb-site"), "kgdb 0 release 2000.01.01\n").unwrap();
}

#[test]
fn releases_on_change_only_and_a_history_that_cannot_be_lost() {
    let w = Workdir::with_config(&unthrottled());
    let root = w.dir.path().to_path_buf();
    let site = root.join("site");
    let site_arg = site.to_str().unwrap().to_string();
    let m = MirrorServer::start(&[]);

    // A first run publishes a release, archived in the data folder.
    let out = w.kgdb(&["--mirror", &m.url, "run", "-o", &site_arg, "--json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let first: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(first["new_release"], true, "{first}");
    let release = first["release"].as_str().unwrap().to_string();
    let manifest = w
        .data()
        .join("releases/manifests")
        .join(format!("{release}.manifest"));
    assert!(manifest.is_file(), "the release is archived");

    // 1. Unchanged upstream: no release, no file written in the site or the data folder
    //    except the run log.
    let site_before = mtimes(&site);
    let data_before = mtimes(&w.data());
    let out = w.kgdb(&["--mirror", &m.url, "run", "-o", &site_arg]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!("no change; release {release} stays current")),
        "{}",
        stdout(&out)
    );
    assert_eq!(changed(&site_before, &mtimes(&site)), Vec::<String>::new());
    // The run log gets the run's line; the lock file holds the running process's pid while
    // it runs (emptied at the end; no data). Nothing else may change.
    let mut differ = changed(&data_before, &mtimes(&w.data()));
    differ.retain(|f| f != "kgdb.lock");
    assert_eq!(differ, ["runs.jsonl"], "files of the data folder changed");
    // `kgdb status` still knows every source was checked by that run.
    let status = w.kgdb(&["status", "--json"]);
    assert_eq!(code(&status), 0, "{}", stdout(&status));
    let s: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    let log = std::fs::read_to_string(w.data().join("runs.jsonl")).unwrap();
    let last: serde_json::Value = serde_json::from_str(log.lines().last().unwrap()).unwrap();
    let hgnc = s["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "hgnc")
        .unwrap();
    assert_eq!(hgnc["last_status"], "unchanged");
    assert_eq!(hgnc["last_success"], last["finished"], "{hgnc}");
    let bytes = s["data_folder"]["bytes"].as_u64().unwrap();
    assert!(
        bytes > s["data_folder"]["raw_bytes"].as_u64().unwrap() && bytes > 1_000_000,
        "{}",
        s["data_folder"]
    );
    assert!(stdout(&w.kgdb(&["status"])).contains("data folder "));
    drop(m);

    // 2. The whole site comes back from the data folder alone, byte for byte.
    let reference = contents(&site);
    assert!(
        reference
            .keys()
            .any(|k| k.starts_with(&format!("releases/{release}/")))
    );
    std::fs::remove_dir_all(&site).unwrap();
    let out = w.kgdb(&["build", "-o", &site_arg]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("stays current"), "{}", stdout(&out));
    assert_eq!(changed(&reference, &contents(&site)), Vec::<String>::new());
    // Into a new folder as well.
    let elsewhere = root.join("elsewhere");
    let out = w.kgdb(&["build", "-o", elsewhere.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        changed(&reference, &contents(&elsewhere)),
        Vec::<String>::new()
    );

    // A changed configuration that changes nothing published (a comment) is rendered
    // again, compared by content, and is no new release either.
    let mut config = std::fs::read_to_string(w.config()).unwrap();
    config.push_str("# a comment changes the configuration's checksum only\n");
    w.write_config(&config);
    let site_before = mtimes(&site);
    let out = w.kgdb(&["build", "-o", &site_arg]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!("no change; release {release} stays current")),
        "{}",
        stdout(&out)
    );
    assert_eq!(changed(&site_before, &mtimes(&site)), Vec::<String>::new());

    // 3. A build killed at each step of the swap leaves a whole site (old or new), and the
    //    next build recovers it without losing anything.
    for step in 1..=3 {
        outdate(&site);
        let out = w
            .kgdb_cmd(&["build", "-o", &site_arg])
            .env("KGDB_TEST_CRASH_AT", format!("swap:{step}"))
            .output()
            .unwrap();
        assert_ne!(code(&out), 0, "step {step}: the hook did not fire");
        let now = contents(&site);
        let mut whole = reference.clone();
        whole.remove(".kgdb-site");
        let mut now_without_marker = now.clone();
        now_without_marker.remove(".kgdb-site");
        assert_eq!(
            changed(&whole, &now_without_marker),
            Vec::<String>::new(),
            "step {step}"
        );
        let out = w.kgdb(&["build", "-o", &site_arg]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        assert_eq!(
            changed(&reference, &contents(&site)),
            Vec::<String>::new(),
            "{step}"
        );
        assert!(
            beside(&site, ".site.").is_empty(),
            "{:?}",
            beside(&site, ".site.")
        );
    }

    // 4. A symlinked output stays a link: the new site is built beside its target and the
    //    link swapped; the old target goes, the releases stay.
    let target = root.join("www-1");
    let out = w.kgdb(&["build", "-o", target.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let link = root.join("live");
    std::os::unix::fs::symlink("www-1", &link).unwrap();
    for step in [0, 2, 3] {
        let current = std::fs::canonicalize(&link).unwrap();
        outdate(&current);
        let mut cmd = w.kgdb_cmd(&["build", "-o", link.to_str().unwrap()]);
        if step > 0 {
            cmd.env("KGDB_TEST_CRASH_AT", format!("swap:{step}"));
        }
        let out = cmd.output().unwrap();
        assert_eq!(code(&out) == 0, step == 0, "step {step}: {}", stderr(&out));
        let meta = std::fs::symlink_metadata(&link).unwrap();
        assert!(
            meta.file_type().is_symlink(),
            "step {step}: no longer a link"
        );
        let text = std::fs::read_link(&link).unwrap();
        assert!(
            text.is_relative(),
            "a relative link stays relative: {text:?}"
        );
        let mut whole = reference.clone();
        whole.remove(".kgdb-site");
        let mut now = contents(&std::fs::canonicalize(&link).unwrap());
        now.remove(".kgdb-site");
        assert_eq!(changed(&whole, &now), Vec::<String>::new(), "step {step}");
    }
    let out = w.kgdb(&["build", "-o", link.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let live = std::fs::canonicalize(&link).unwrap();
    assert_ne!(live, target, "the link points at a new folder");
    assert!(!target.exists(), "the old target is removed");
    assert_eq!(changed(&reference, &contents(&live)), Vec::<String>::new());
    let sites: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            !std::fs::symlink_metadata(p)
                .unwrap()
                .file_type()
                .is_symlink()
        })
        .filter(|p| p.join(".kgdb-site").is_file() && p.file_name().unwrap() != "site")
        .filter(|p| p.file_name().unwrap() != "elsewhere")
        .collect();
    assert_eq!(
        sites.len(),
        1,
        "one linked site left, no leftovers: {sites:?}"
    );

    // 5. A data folder of an older kgdb (releases only inside the site) is taken into the
    //    archive on the first build; no release is lost.
    std::fs::remove_dir_all(w.data().join("releases")).unwrap();
    let out = w.kgdb(&["build", "-o", &site_arg]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("took 1 release(s)"),
        "{}",
        stdout(&out)
    );
    assert!(manifest.is_file(), "the site's release is archived again");
    let after = contents(&site);
    for (path, bytes) in reference.iter().filter(|(p, _)| p.starts_with("releases/")) {
        assert_eq!(after.get(path), Some(bytes), "{path} lost");
    }

    // 6. `kgdb gc`: a dry run lists what no kept release and no current run needs; --yes
    //    deletes it; the next unchanged night still needs nothing it deleted.
    let planted = w.data().join(format!("raw/hgnc/{}.gz", "0".repeat(64)));
    std::fs::write(&planted, b"old download").unwrap();
    let raw_before = w.raw_files();
    let out = w.kgdb(&["gc"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("would delete raw_download"), "{text}");
    assert!(text.contains(&"0".repeat(64)), "{text}");
    assert!(text.contains("dry run"), "{text}");
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with("would delete raw_download"))
            .count(),
        1,
        "only the planted file is unreferenced: {text}"
    );
    assert_eq!(w.raw_files(), raw_before, "a dry run deletes nothing");
    // Keeping only the newest release drops the migrated one (and what only it used).
    let out = w.kgdb(&["gc", "--keep", "1"]);
    assert!(
        stdout(&out).contains("would delete release"),
        "{}",
        stdout(&out)
    );
    let out = w.kgdb(&["gc", "--keep", "1", "--yes"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("deleted raw_download"),
        "{}",
        stdout(&out)
    );
    assert!(!planted.exists());
    assert_eq!(w.raw_files().len(), raw_before.len() - 1);
    let manifests = std::fs::read_dir(w.data().join("releases/manifests"))
        .unwrap()
        .count();
    assert_eq!(manifests, 1);
    let out = w.kgdb(&["gc"]);
    assert!(
        stdout(&out).contains("would delete 0 files"),
        "{}",
        stdout(&out)
    );
    let m = MirrorServer::start(&[]);
    let out = w.kgdb(&["--mirror", &m.url, "run", "-o", &site_arg]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}
