//! `kgdb fetch [SOURCE...]`: download the sources (all enabled ones by default) and stage
//! their rows.
//!
//! Why one place for every source: the fetch of each source is the source module's business
//! (through a [`Session`]); this module decides which sources run, runs them concurrently,
//! records each one's outcome in the store, and keeps a failed source's previous rows.

use std::io::{self, Write};

use crate::Exit;
use crate::fetch::{Fetcher, Mirror};
use crate::lock::RunLock;
use crate::registry::Registry;
use crate::report::Event;
use crate::session::Session;
use crate::source_state::FetchStatus;
use crate::sources::{Fetched, SourceError, Staged};
use crate::store::{RunError, Store, now_utc};

use super::{App, CmdError, Summary};

/// How one source's fetch ended (never [`FetchStatus::Never`]).
#[derive(Debug, Clone)]
pub struct SourceOutcome {
    pub source: String,
    pub status: FetchStatus,
    pub rows: Option<u64>,
    pub upstream_version: Option<String>,
    pub error: Option<String>,
}

/// What `kgdb fetch` did: one outcome per source (and per companion it staged).
#[derive(Debug, Clone, Default)]
pub struct FetchSummary {
    pub outcomes: Vec<SourceOutcome>,
}

impl Summary for FetchSummary {
    /// The progress events said what went well; only failures are repeated, on stderr.
    fn print(&self, _out: &mut dyn Write, err: &mut dyn Write) -> io::Result<()> {
        for o in &self.outcomes {
            if let Some(e) = &o.error {
                writeln!(err, "kgdb: {} failed (previous data kept): {e}", o.source)?;
            }
        }
        Ok(())
    }

    fn exit(&self) -> Exit {
        let failed = self
            .outcomes
            .iter()
            .filter(|o| o.status == FetchStatus::Failed)
            .count();
        match failed {
            0 => Exit::Ok,
            n if n == self.outcomes.len() => Exit::Fatal,
            _ => Exit::Degraded,
        }
    }
}

/// The enabled annotations a source stages besides its own rows, from the same files (its
/// companions in the registry).
fn companions_of<'a>(ctx: &'a App, source: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    ctx.registry.companions_of(source).map(|a| a.name())
}

/// The sources and annotations `kgdb fetch NAMES` runs (all enabled ones when `names` is
/// empty). A companion runs as its source (the source stages it from its own files).
fn resolve_sources(ctx: &App, names: &[String]) -> Result<Vec<String>, CmdError> {
    let registry = &ctx.registry;
    if names.is_empty() {
        return Ok(registry
            .names()
            .chain(
                registry
                    .annotation_names()
                    .filter(|n| registry.companion_parent(n).is_none()),
            )
            .filter(|s| registry.is_enabled(s))
            .map(String::from)
            .collect());
    }
    let mut todo = Vec::new();
    for n in names {
        let mut n = n.replace('-', "_");
        if let Some(parent) = registry.companion_parent(&n) {
            n = parent.to_string();
        }
        if registry.source(&n).is_none() && registry.annotation(&n).is_none() {
            return Err(CmdError::UnknownSource {
                name: n,
                known: registry
                    .names()
                    .chain(registry.annotation_names())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        if !todo.contains(&n) {
            todo.push(n);
        }
    }
    Ok(todo)
}

/// `kgdb fetch [SOURCE...]`.
pub fn execute(ctx: &App, names: &[String]) -> Result<FetchSummary, CmdError> {
    resolve_sources(ctx, names)?;
    let lock = RunLock::acquire(&ctx.data_dir, "fetch")?;
    super::note_take_over(ctx, lock.taken_over());
    super::runtime()?.block_on(locked(ctx, &lock, names))
}

/// `fetch` for a caller that holds the run lock.
pub(super) async fn locked(
    ctx: &App,
    lock: &RunLock,
    names: &[String],
) -> Result<FetchSummary, CmdError> {
    let todo = resolve_sources(ctx, names)?;
    let store = Store::open_for_writing(lock)?;
    let run_id = store.begin_run("fetch", &ctx.registry.config.sha256)?;
    let fetcher = if ctx.offline {
        None
    } else {
        Some(Fetcher::new(
            &ctx.registry.config,
            ctx.mirror.clone(),
            ctx.reporter.clone(),
        )?)
    };
    let mut summary = FetchSummary::default();
    // Sources run concurrently on this thread (each host keeps its own rate limit and
    // concurrency cap in the fetcher); every store write is synchronous, so two sources'
    // transactions never interleave.
    let store = &store;
    let fetcher = fetcher.as_ref();
    let runs = todo.iter().map(|source| async move {
        ctx.reporter.event(Event::SourceStarted { source });
        let started = now_utc();
        let mut session = Session::new(
            source,
            &ctx.registry.config,
            &ctx.data_dir,
            ctx.reporter.as_ref(),
            store,
            fetcher,
        );
        session.run_id = run_id;
        session.started = started.clone();
        session.companions = ctx
            .registry
            .companions_of(source)
            .map(|a| (a.name(), a.companion()))
            .collect();
        let mirror = ctx.mirror.as_ref();
        let outcomes =
            match fetch_source(&ctx.registry, &mut session, run_id, &started, mirror).await {
                Ok(o) => o,
                Err(error) => {
                    let public = error.public(mirror);
                    let error = error.to_string();
                    // The source and what it stages for others (its companions) keep their rows.
                    let mut failed = Vec::new();
                    for name in std::iter::once(source.as_str()).chain(companions_of(ctx, source)) {
                        let e = RunError {
                            full: &error,
                            public: &public,
                        };
                        store.record_source_run(run_id, name, "failed", &started, Some(e))?;
                        failed.push(SourceOutcome {
                            source: name.to_string(),
                            status: FetchStatus::Failed,
                            rows: None,
                            upstream_version: None,
                            error: Some(error.clone()),
                        });
                    }
                    failed
                }
            };
        for outcome in &outcomes {
            ctx.reporter.event(Event::SourceFinished {
                source: &outcome.source,
                status: outcome.status.as_str(),
                rows: outcome.rows,
                detail: outcome
                    .error
                    .as_deref()
                    .or(outcome.upstream_version.as_deref()),
            });
        }
        Ok::<_, CmdError>(outcomes)
    });
    for outcomes in futures_util::future::join_all(runs).await {
        summary.outcomes.extend(outcomes?);
    }
    let status = match summary.exit() {
        Exit::Ok => "ok",
        Exit::Degraded => "degraded",
        _ => "failed",
    };
    store.finish_run(run_id, status)?;
    Ok(summary)
}

/// Store what a source staged (with its companions), or record it as unchanged when every
/// file it used answered 304. A companion that could not be built is recorded as failed and
/// keeps its previous rows.
fn finish_staged(
    registry: &Registry,
    session: &Session<'_>,
    run_id: i64,
    started: &str,
    staged: Staged,
    mirror: Option<&Mirror>,
) -> Result<Vec<SourceOutcome>, SourceError> {
    let store = session.store;
    let source = session.source;
    let version = staged.upstream_version.as_deref();
    let mut good: Vec<(&str, &[(usize, crate::sources::StagedRow)])> = Vec::new();
    let mut failed: Vec<(&str, String, String)> = Vec::new();
    for (name, rows) in &staged.companions {
        if !registry.is_enabled(name) {
            continue;
        }
        match rows {
            Ok(rows) => good.push((name, rows.as_slice())),
            Err(e) => failed.push((name, e.to_string(), e.public(mirror))),
        }
    }
    // A companion is rebuilt even from unchanged files when its rows would differ (first
    // run after it was enabled, or its rules changed in sources.yaml).
    let mut companions_differ = false;
    for (name, rows) in &good {
        let stored = store.staged_fingerprint(name)?;
        if stored != crate::store::fingerprint(rows.iter().map(|(_, r)| r)) {
            companions_differ = true;
        }
    }
    // So is the source itself: rows built again from unchanged files that differ from the
    // stored ones (a new kgdb stages a new field, e.g. PanelApp's `super_panel`) are stored.
    // A source that skips parsing unchanged files stages no rows and keeps its stored ones.
    let own_differs = session.unchanged()
        && !staged.rows.is_empty()
        && store.staged_fingerprint(source)?
            != crate::store::fingerprint(staged.rows.iter().map(|(_, r)| r));
    let status = if session.unchanged() && !companions_differ && !own_differs {
        let ids = store.record_unchanged(run_id, source, &session.records, version, started)?;
        for (name, _) in &good {
            store.record_unchanged_from(run_id, name, &ids, version, started)?;
        }
        FetchStatus::Unchanged
    } else {
        let mut sets = vec![(source, staged.rows.as_slice())];
        sets.extend(good.iter().copied());
        store.load_staged_many(run_id, &session.records, &sets, version, started)?;
        FetchStatus::Ok
    };
    for (name, full, public) in &failed {
        let e = RunError { full, public };
        store.record_source_run(run_id, name, "failed", started, Some(e))?;
    }
    // Unchanged: the stored rows stand (a source may skip parsing then, see
    // `annotations::fetch`), so count those.
    let rows = if status == FetchStatus::Unchanged {
        store.staged_count(source)? as u64
    } else {
        staged.rows.len() as u64
    };
    let mut out = vec![SourceOutcome {
        source: source.to_string(),
        status,
        rows: Some(rows),
        upstream_version: staged.upstream_version.clone(),
        error: None,
    }];
    for (name, rows) in &good {
        out.push(SourceOutcome {
            source: name.to_string(),
            status,
            rows: Some(rows.len() as u64),
            upstream_version: staged.upstream_version.clone(),
            error: None,
        });
    }
    for (name, error, _) in failed {
        out.push(SourceOutcome {
            source: name.to_string(),
            status: FetchStatus::Failed,
            rows: None,
            upstream_version: None,
            error: Some(error),
        });
    }
    Ok(out)
}

/// One source's fetch through its registry entry (an evidence source or an annotation).
async fn fetch_source(
    registry: &Registry,
    session: &mut Session<'_>,
    run_id: i64,
    started: &str,
    mirror: Option<&Mirror>,
) -> Result<Vec<SourceOutcome>, SourceError> {
    let staged = match registry.source(session.source) {
        Some(source) => match source.fetch(session).await? {
            Fetched::Staged(staged) => staged,
            Fetched::Stored {
                unchanged,
                rows,
                upstream_version,
            } => {
                return Ok(vec![SourceOutcome {
                    source: session.source.to_string(),
                    status: if unchanged {
                        FetchStatus::Unchanged
                    } else {
                        FetchStatus::Ok
                    },
                    rows: Some(rows),
                    upstream_version,
                    error: None,
                }]);
            }
        },
        None => match registry.annotation(session.source) {
            Some(annotation) => annotation.fetch(session).await?,
            None => return Err(SourceError::unusable(session.source, "unknown source")),
        },
    };
    finish_staged(registry, session, run_id, started, staged, mirror)
}
