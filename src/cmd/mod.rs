//! The subcommands, one file per verb: what `kgdb fetch`, `normalize`, `score`, `build`,
//! `run`, `status`, `review`, `gc`, `gene`, `mcp`, `completions` and `man` do.
//!
//! Why here and not in the binary: every verb is library code (tested without spawning a
//! process) that opens the store, takes the run lock when it writes, reports progress through
//! the [`Reporter`] and returns a [`Summary`]. The summary prints itself, so `main.rs` only
//! parses arguments, dispatches and maps the result to an exit code. A source that fails is
//! recorded as failed and keeps its previous rows; it never stops the other sources.
//!
//! Layering: these modules sit on top of everything else; nothing below imports them.

pub mod build;
pub mod completions;
pub mod fetch;
pub mod gc;
pub mod gene;
pub mod man;
pub mod mcp;
pub mod normalize;
pub mod review;
pub mod run;
pub mod score;
pub mod status;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::Exit;
use crate::fetch::{FetchError, Mirror};
use crate::lock::LockError;
use crate::registry::Registry;
use crate::report::Reporter;
use crate::store::StoreError;

/// Everything a command needs to know about this invocation (from the global flags, and the
/// fetching commands' `--accept-drop`).
pub struct App {
    /// The validated configuration and every registered source and annotation.
    pub registry: Registry,
    pub data_dir: PathBuf,
    pub mirror: Option<Mirror>,
    pub offline: bool,
    pub reporter: Arc<dyn Reporter>,
    /// Sources whose rows may fall beyond `guards.max_row_drop` in this fetch
    /// ([`fetch::Guard`]); empty for commands that do not fetch.
    pub accept_drop: Vec<String>,
    /// `-v`: summaries show raw error chains besides the plain messages.
    pub verbose: bool,
}

/// What a command says when it is done, for people, and the exit code it ends with.
pub trait Summary {
    /// Write the summary: results on `out` (stdout), problems on `err` (stderr).
    fn print(&self, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<()>;
    /// The process exit code (ARCHITECTURE.md).
    fn exit(&self) -> Exit;
}

/// Why a command stopped.
#[derive(Debug, thiserror::Error)]
pub enum CmdError {
    #[error(transparent)]
    Evidence(#[from] crate::evidence::EvidenceError),
    #[error("scoring: {0}")]
    Score(#[from] crate::score::ScoreError),
    #[error("site: {0}")]
    Site(#[from] crate::site::SiteError),
    #[error(transparent)]
    SiteData(#[from] crate::site_data::SiteDataError),
    #[error("annotation of {hgnc_id} in the store is unreadable: {message}")]
    Annotation { hgnc_id: String, message: String },
    #[error("nothing to build from {db}: no gene is scored; run `kgdb score` first")]
    NothingToBuild { db: PathBuf },
    #[error(
        "nothing to score in {db}: no staged gene is normalized; run `kgdb fetch` and `kgdb normalize` first"
    )]
    NothingToScore { db: PathBuf },
    #[error(transparent)]
    Lock(#[from] LockError),
    #[error(transparent)]
    Model(#[from] crate::mcp::ModelError),
    #[error(transparent)]
    Mcp(#[from] crate::mcp::server::ServeError),
    #[error("kgdb mcp needs a data folder (-d DIR, with its config) or a built site (--site DIR)")]
    McpNothingToServe,
    #[error(transparent)]
    Archive(#[from] crate::archive::ArchiveError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("unknown source `{name}`; known sources: {known}")]
    UnknownSource { name: String, known: String },
    #[error("the HGNC gene set is not loaded in {db}; run `kgdb fetch hgnc` first")]
    HgncMissing { db: PathBuf },
    #[error("cannot start the async runtime: {0}")]
    Runtime(#[source] std::io::Error),
    #[error("cannot render the man page: {0}")]
    ManPage(#[source] std::io::Error),
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl CmdError {
    pub fn exit(&self) -> Exit {
        match self {
            CmdError::UnknownSource { .. } => Exit::Usage,
            _ => Exit::Fatal,
        }
    }
}

/// A runtime for the commands that fetch (sources run concurrently on it).
fn runtime() -> Result<tokio::runtime::Runtime, CmdError> {
    tokio::runtime::Runtime::new().map_err(CmdError::Runtime)
}

/// Say that a lock was taken over from a holder whose process is gone.
fn note_take_over(ctx: &App, holder: Option<&str>) {
    if let Some(holder) = holder {
        let message = format!("took over a lock left by a process that is gone ({holder})");
        ctx.reporter
            .event(crate::report::Event::Info { message: &message });
    }
}

/// Write a file by renaming a finished temporary file over it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), CmdError> {
    let io = |source| CmdError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    std::io::Write::write_all(&mut tmp, bytes).map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}
