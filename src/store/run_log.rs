//! The run log (`<data>/runs.jsonl`): one JSON line per `kgdb run`.
//!
//! Why a file beside the database: an unchanged night (every file answered 304, the inputs
//! of the current release the same) must change no file in the data folder but this log, so
//! such a run's fetch is rolled back in the database ([`Store::hold_writes`]) and recorded
//! here only. [`Store::source_status`] reads the newest unchanged confirmation of each
//! source from it, so `kgdb status` still knows the source was checked last night.
//! Appending one line is the only write; the log is small (about 2 KB a night).

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use super::Store;

/// The run log's file name in the data folder.
pub const RUN_LOG: &str = "runs.jsonl";

/// One source in a run log line.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LoggedSource {
    pub source: String,
    /// ok, unchanged or failed.
    pub status: String,
    #[serde(default)]
    pub upstream_version: Option<String>,
    #[serde(default)]
    pub rows: Option<u64>,
}

/// One line of the run log.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LoggedRun {
    pub started: String,
    pub finished: String,
    pub kgdb_version: String,
    /// ok, degraded, failed, or unchanged (nothing to publish).
    pub status: String,
    /// The release current after the run.
    #[serde(default)]
    pub release: Option<String>,
    /// Whether the run published a new release.
    #[serde(default)]
    pub new_release: bool,
    /// Whether the run's fetch is recorded in the database too (false: only here).
    #[serde(default)]
    pub in_database: bool,
    #[serde(default)]
    pub sources: Vec<LoggedSource>,
}

/// The run log of a data folder.
pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(RUN_LOG)
}

/// Append one run (one line, one `write` call).
pub fn append(data_dir: &Path, run: &LoggedRun) -> std::io::Result<()> {
    let mut line = serde_json::to_string(run).map_err(std::io::Error::other)?;
    line.push('\n');
    std::fs::create_dir_all(data_dir)?;
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path(data_dir))?;
    f.write_all(line.as_bytes())
}

/// Source -> when a run recorded only in the log last found it unchanged.
fn confirmations(data_dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Ok(f) = std::fs::File::open(path(data_dir)) else {
        return out;
    };
    for line in std::io::BufReader::new(f).lines().map_while(Result::ok) {
        let Ok(run) = serde_json::from_str::<LoggedRun>(&line) else {
            continue;
        };
        if run.in_database {
            continue;
        }
        for s in run.sources.iter().filter(|s| s.status == "unchanged") {
            out.insert(s.source.clone(), run.finished.clone());
        }
    }
    out
}

impl Store {
    /// When the run log last confirmed `source` unchanged (a run recorded only there).
    pub(super) fn confirmed_at(&self, source: &str) -> Option<String> {
        self.confirmed
            .get_or_init(|| confirmations(&self.data_dir))
            .get(source)
            .cloned()
    }
}
