//! Test support: a mirror process on a free port, temporary data dirs, running the binary.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// `../shared` beside the repository.
pub fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A running `serve.py`, killed on drop.
pub struct MirrorServer {
    child: Child,
    pub url: String,
    pub log: PathBuf,
    _dir: tempfile::TempDir,
}

impl MirrorServer {
    pub fn start(extra: &[&str]) -> MirrorServer {
        let dir = tempfile::tempdir().expect("tempdir");
        let log = dir.path().join("mirror.jsonl");
        let mut child = Command::new("python3")
            .arg(shared().join("mirror/serve.py"))
            .args(["--port", "0", "--log"])
            .arg(&log)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 and ../shared/mirror/serve.py are needed for the integration tests");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("mirror prints its address");
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line from the mirror: {line:?}"))
            .to_string();
        MirrorServer {
            child,
            url,
            log,
            _dir: dir,
        }
    }

    /// The request log: one JSON object per request.
    pub fn requests(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    pub fn requests_to(&self, path_fragment: &str) -> Vec<serde_json::Value> {
        self.requests()
            .into_iter()
            .filter(|r| {
                r["path"]
                    .as_str()
                    .is_some_and(|p| p.contains(path_fragment))
            })
            .collect()
    }
}

impl Drop for MirrorServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A temporary working folder with a config file.
pub struct Workdir {
    pub dir: tempfile::TempDir,
}

impl Workdir {
    /// The repository's sources.yaml with fast retries (tests must not wait minutes).
    pub fn new() -> Workdir {
        Self::with_config(&fast_config())
    }

    pub fn with_config(text: &str) -> Workdir {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("sources.yaml"), text).expect("write config");
        Workdir { dir }
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn config(&self) -> PathBuf {
        self.dir.path().join("sources.yaml")
    }

    pub fn write_config(&self, text: &str) {
        std::fs::write(self.config(), text).expect("write config");
    }

    /// Run kgdb with this workdir's config and data dir.
    pub fn kgdb(&self, args: &[&str]) -> Output {
        self.kgdb_cmd(args).output().expect("run kgdb")
    }

    pub fn kgdb_cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kgdb"));
        cmd.arg("-c")
            .arg(self.config())
            .arg("-d")
            .arg(self.data())
            .args(["--progress", "plain"])
            .args(args)
            .env_remove("KGDB_LOG")
            .stdin(Stdio::null());
        cmd
    }

    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.data().join("kgdb.sqlite")).expect("open db")
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.db().query_row(sql, [], |r| r.get(0)).expect(sql)
    }

    /// Files under data/raw.
    pub fn raw_files(&self) -> Vec<PathBuf> {
        fn walk(p: &Path, out: &mut Vec<PathBuf>) {
            if let Ok(rd) = std::fs::read_dir(p) {
                for e in rd.flatten() {
                    let p = e.path();
                    if p.is_dir() {
                        walk(&p, out)
                    } else {
                        out.push(p)
                    }
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.data().join("raw"), &mut out);
        out.sort();
        out
    }
}

/// The repository's sources.yaml, with retries and backoff shortened for tests.
pub fn fast_config() -> String {
    std::fs::read_to_string(repo().join("sources.yaml"))
        .expect("sources.yaml")
        .replace("retries: 5", "retries: 3")
        .replace("backoff_initial_ms: 500", "backoff_initial_ms: 50")
        .replace("backoff_max_secs: 60", "backoff_max_secs: 2")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}
