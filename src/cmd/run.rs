//! `kgdb run`: fetch, normalize, score and build under one lock: the nightly job.
//!
//! Why one command: the stages must see one consistent store (no other kgdb in between), and
//! the job needs one summary for people and one for monitoring (`--json`). A failed source is
//! reported and its last good data used (degraded, exit 1); a failure of a later stage
//! publishes nothing and keeps the previous site (exit 2).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::Exit;
use crate::archive::Archive;
use crate::lock::{OutputLock, RunLock};
use crate::site::publish;
use crate::source_state::{FetchStatus, SourceState};
use crate::store::Store;
use crate::store::run_log::{self, LoggedRun, LoggedSource};

use super::build::BuildSummary;
use super::fetch::failure_line;
use super::score::ScoreSummary;
use super::{App, CmdError, Summary};

/// What `kgdb run` did, for people (a summary) and monitoring (`--json`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct RunSummary {
    /// The current release after the run (new, or the one that stays current).
    pub release: Option<String>,
    /// Whether this run cut a new release (false: nothing it would publish changed).
    pub new_release: bool,
    pub sources: Vec<RunSource>,
    pub genes: usize,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub tiers: Vec<(String, usize)>,
    pub wall_seconds: f64,
    /// ok, degraded or failed.
    pub status: String,
    pub error: Option<String>,
    /// Where the site was published (for the text summary).
    #[serde(skip)]
    pub out: PathBuf,
    /// Print as JSON (`--json`) instead of text.
    #[serde(skip)]
    pub json: bool,
    /// Show the raw error chains (`-v`).
    #[serde(skip)]
    pub verbose: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct RunSource {
    pub source: String,
    /// ok, unchanged (304) or failed.
    pub status: String,
    pub rows: Option<u64>,
    pub upstream_version: Option<String>,
    /// Why it failed, in plain words.
    pub error: Option<String>,
    /// What a failed source keeps: `last good data from DATE kept` or `no earlier data`
    /// (absent when `error` says it).
    pub kept: Option<String>,
    /// The raw error chain behind `error`, when there is one (a host that cannot be reached).
    pub detail: Option<String>,
    /// Stale after this fetch, by the rule `kgdb status` and the Sources page use
    /// ([`crate::source_state::freshness`]): its fetch failed, or its data is too old.
    pub stale: bool,
}

impl Summary for RunSummary {
    fn print(&self, out: &mut dyn Write, _err: &mut dyn Write) -> io::Result<()> {
        if self.json {
            return writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(self).unwrap_or_default()
            );
        }
        writeln!(
            out,
            "kgdb run: {} in {:.1} s",
            self.status, self.wall_seconds
        )?;
        for src in &self.sources {
            let detail = failure_line(
                src.error.as_deref(),
                src.kept.as_deref(),
                src.detail.as_deref(),
                self.verbose,
            )
            .unwrap_or_else(|| {
                format!(
                    "{}{}",
                    src.rows.map(|r| format!("{r} rows")).unwrap_or_default(),
                    src.upstream_version
                        .as_deref()
                        .map(|v| format!(", {v}"))
                        .unwrap_or_default()
                )
            });
            writeln!(out, "  {:<18} {:<9} {detail}", src.source, src.status)?;
        }
        match &self.release {
            Some(r) if !self.new_release => {
                writeln!(out, "  no change; release {r} stays current")
            }
            Some(r) => writeln!(
                out,
                "  release {r} -> {}: {} genes; {} added, {} removed, {} changed tier or classic count",
                self.out.display(),
                self.genes,
                self.added,
                self.removed,
                self.changed
            ),
            None => writeln!(
                out,
                "  nothing published, the previous site is untouched: {}",
                self.error.as_deref().unwrap_or("")
            ),
        }
    }

    fn exit(&self) -> Exit {
        match self.status.as_str() {
            "ok" => Exit::Ok,
            "degraded" => Exit::Degraded,
            _ => Exit::Fatal,
        }
    }
}

/// `kgdb run`: fetch, normalize, score and build under one lock. A failed source is reported
/// and its last good data used (degraded, exit 1); a failure of a later stage publishes
/// nothing and keeps the previous site (exit 2).
///
/// An unchanged night (every file answered 304, the current release was built from the same
/// inputs, and the output shows it) changes nothing: the fetch's records are rolled back,
/// normalize, score and build are skipped, and only the run log gets a line.
pub fn execute(ctx: &App, out: &Path, json: bool) -> Result<RunSummary, CmdError> {
    let started = std::time::Instant::now();
    let started_at = crate::store::now_utc();
    let lock = RunLock::acquire(&ctx.data_dir, "run")?;
    super::note_take_over(ctx, lock.taken_over());
    // Taken before fetching: a second data folder building into `out` stops at once.
    let out_lock = OutputLock::acquire(out, "run")?;
    super::note_take_over(ctx, out_lock.taken_over());
    let store = Store::open_for_writing(&lock)?;
    store.hold_writes()?;
    let fetched = match super::runtime()?.block_on(super::fetch::locked(ctx, &store, &[])) {
        Ok(f) => f,
        Err(e) => {
            store.release_writes(true)?;
            return Err(e);
        }
    };
    let current = if fetched
        .outcomes
        .iter()
        .all(|o| o.status == FetchStatus::Unchanged)
    {
        let inputs = super::build::inputs_key(ctx, &store)?;
        Archive::of(&ctx.data_dir)
            .latest()?
            .filter(|h| h.inputs.as_deref() == Some(inputs.as_str()) && publish::is_current(out, h))
    } else {
        None
    };
    store.release_writes(current.is_none())?;
    let mut sources = Vec::new();
    for o in &fetched.outcomes {
        let state = SourceState::of_configured(&store, &ctx.registry, &o.source)?;
        sources.push(RunSource {
            source: o.source.clone(),
            status: o.status.as_str().to_string(),
            rows: o.rows,
            upstream_version: o.upstream_version.clone(),
            error: o.error.clone(),
            kept: o.kept.clone(),
            detail: o.detail.clone(),
            // Unchanged means checked now: fresh, whatever the database says.
            stale: current.is_none() && state.is_some_and(|s| s.is_stale()),
        });
    }
    drop(store);
    let mut summary = RunSummary {
        release: None,
        new_release: false,
        sources,
        genes: 0,
        added: 0,
        removed: 0,
        changed: 0,
        tiers: Vec::new(),
        wall_seconds: 0.0,
        status: "failed".into(),
        error: None,
        out: out.to_path_buf(),
        json,
        verbose: ctx.verbose,
    };
    // A first run that fetched nothing (no network, a mirror that is down): there is nothing
    // to normalize or build from, and the fix is to reach upstream, not `kgdb fetch hgnc`.
    if let Some(hint) = &fetched.hint {
        summary.error = Some(hint.clone());
        summary.wall_seconds = started.elapsed().as_secs_f64();
        return Ok(summary);
    }
    if let Some(h) = current {
        summary.release = Some(h.release);
        summary.status = "ok".into();
        summary.wall_seconds = started.elapsed().as_secs_f64();
        log_run(ctx, &summary, &started_at, false)?;
        return Ok(summary);
    }
    let rest = || -> Result<(ScoreSummary, BuildSummary), CmdError> {
        super::normalize::locked(ctx, &lock)?;
        let scored = super::score::locked(ctx, &lock)?;
        let built = super::build::locked(ctx, &lock, &out_lock, out)?;
        Ok((scored, built))
    };
    match rest() {
        Ok((scored, built)) => {
            summary.release = Some(built.release.clone());
            summary.new_release = built.new_release;
            summary.genes = scored.genes;
            summary.tiers = scored.tiers;
            if let Some(c) = &built.changes {
                summary.added = c.added.len();
                summary.removed = c.removed.len();
                summary.changed = c.changed.len();
            }
            summary.status = match fetched.exit() {
                Exit::Ok => "ok",
                _ => "degraded",
            }
            .into();
        }
        Err(e) => summary.error = Some(e.to_string()),
    }
    summary.wall_seconds = started.elapsed().as_secs_f64();
    log_run(ctx, &summary, &started_at, true)?;
    Ok(summary)
}

/// One line in the run log (`runs.jsonl`); `in_database`: the fetch is recorded in the
/// database too.
fn log_run(
    ctx: &App,
    summary: &RunSummary,
    started: &str,
    in_database: bool,
) -> Result<(), CmdError> {
    let run = LoggedRun {
        started: started.to_string(),
        finished: crate::store::now_utc(),
        kgdb_version: crate::VERSION.to_string(),
        status: if summary.new_release || summary.status != "ok" {
            summary.status.clone()
        } else {
            "unchanged".into()
        },
        release: summary.release.clone(),
        new_release: summary.new_release,
        in_database,
        sources: summary
            .sources
            .iter()
            .map(|s| LoggedSource {
                source: s.source.clone(),
                status: s.status.clone(),
                upstream_version: s.upstream_version.clone(),
                rows: s.rows,
            })
            .collect(),
    };
    run_log::append(&ctx.data_dir, &run).map_err(|source| CmdError::Io {
        path: run_log::path(&ctx.data_dir),
        source,
    })
}
