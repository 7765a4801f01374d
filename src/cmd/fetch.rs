//! `kgdb fetch [SOURCE...]`: download the sources (all enabled ones by default) and stage
//! their rows.
//!
//! Why one place for every source: the fetch of each source is the source module's business
//! (through a [`Session`]); this module decides which sources run, runs them concurrently,
//! records each one's outcome in the store, and keeps a failed source's previous rows.
//!
//! A load that falls far short of the last good one is refused the same way ([`Guard`]): an
//! upstream that answers with a valid but cut list (a lost page, a half file) must not
//! silently drop genes from the site; the maintainer accepts a real drop with
//! `--accept-drop SOURCE`.

use std::collections::HashMap;
use std::io::{self, Write};

use crate::Exit;
use crate::fetch::{Cap, Fetcher, Mirror, SourceCaps};
use crate::lock::RunLock;
use crate::registry::Registry;
use crate::report::Event;
use crate::source_state::FetchStatus;
use crate::sources::session::Session;
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
    /// Why it failed, in plain words, without the source's name in front.
    pub error: Option<String>,
    /// The raw error chain behind `error`, when it is not in it (shown under `-v`).
    pub detail: Option<String>,
    /// What a failed source keeps, when `error` does not say it: `last good data from DATE
    /// kept` or `no earlier data`.
    pub kept: Option<String>,
    /// It failed because its host (or the mirror) could not be reached.
    pub unreachable: bool,
}

impl SourceOutcome {
    /// The failure in one line, e.g. `cannot reach storage.googleapis.com: DNS lookup
    /// failed; no earlier data`; with `verbose`, the raw error chain follows in brackets.
    pub fn failure_line(&self, verbose: bool) -> Option<String> {
        failure_line(
            self.error.as_deref(),
            self.kept.as_deref(),
            self.detail.as_deref(),
            verbose,
        )
    }

    /// A source that succeeded (ok or unchanged).
    fn good(
        source: &str,
        status: FetchStatus,
        rows: Option<u64>,
        upstream_version: Option<String>,
    ) -> SourceOutcome {
        SourceOutcome {
            source: source.to_string(),
            status,
            rows,
            upstream_version,
            error: None,
            detail: None,
            kept: None,
            unreachable: false,
        }
    }
}

/// A failed source's line: the plain error, what it keeps, and with `verbose` the raw error
/// chain in brackets. `None` when there is no error.
pub fn failure_line(
    error: Option<&str>,
    kept: Option<&str>,
    detail: Option<&str>,
    verbose: bool,
) -> Option<String> {
    let mut line = error?.to_string();
    if let Some(kept) = kept {
        line.push_str("; ");
        line.push_str(kept);
    }
    if let Some(detail) = detail.filter(|_| verbose) {
        line.push_str(&format!(" ({detail})"));
    }
    Some(line)
}

/// What a failed source keeps, for its summary line: the day of its last good data, or that
/// it has none.
fn kept_note(store: &Store, name: &str) -> Result<String, crate::store::StoreError> {
    let (_, good) = store.source_status(name)?;
    Ok(match good {
        Some(g) => format!(
            "last good data from {} kept",
            g.finished.get(..10).unwrap_or(&g.finished)
        ),
        None => "no earlier data".into(),
    })
}

/// What `kgdb fetch` did: one outcome per source (and per companion it staged).
#[derive(Debug, Clone, Default)]
pub struct FetchSummary {
    pub outcomes: Vec<SourceOutcome>,
    /// Show the raw error chains (`-v`).
    pub verbose: bool,
    /// What to do when nothing was ever fetched ([`FetchSummary::how_to_start`]).
    pub hint: Option<String>,
}

impl FetchSummary {
    /// True when every source failed and none has earlier data: a first run that fetched
    /// nothing (typically: no network).
    pub fn nothing_ever_fetched(&self) -> bool {
        !self.outcomes.is_empty()
            && self.outcomes.iter().all(|o| {
                o.status == FetchStatus::Failed && o.kept.as_deref() == Some("no earlier data")
            })
    }
}

impl FetchSummary {
    /// The advice when nothing was ever fetched ([`Self::nothing_ever_fetched`]): how to get
    /// a first download, given the mirror this run used.
    pub fn how_to_start(&self, mirror: Option<&Mirror>, offline: bool) -> Option<String> {
        if !self.nothing_ever_fetched() {
            return None;
        }
        let start = "nothing has been fetched yet, so there is nothing to build";
        let all_unreachable = self.outcomes.iter().all(|o| o.unreachable);
        if offline {
            return Some(format!("{start}: run once without --offline"));
        }
        Some(match mirror {
            Some(m) if all_unreachable => format!(
                "{start}: the mirror {} does not answer; start it \
                 (`python3 ../shared/mirror/serve.py --port 0` prints its URL) or correct --mirror",
                m.base()
            ),
            _ => format!(
                "{start}: check the network connection (and any proxy), or fetch from the \
                 offline mirror with `kgdb --mirror URL run` (URL: what \
                 `python3 ../shared/mirror/serve.py --port 0` prints)"
            ),
        })
    }
}

impl Summary for FetchSummary {
    /// The progress events said what went well; only failures are repeated, on stderr.
    fn print(&self, _out: &mut dyn Write, err: &mut dyn Write) -> io::Result<()> {
        for o in &self.outcomes {
            if let Some(line) = o.failure_line(self.verbose) {
                writeln!(err, "kgdb: {} failed: {line}", o.source)?;
            }
        }
        if let Some(hint) = &self.hint {
            writeln!(err, "kgdb: {hint}")?;
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

/// What may replace a source's stored rows: at most `guards.max_row_drop` fewer than its
/// last good load, unless the maintainer accepted the drop (`--accept-drop SOURCE`).
#[derive(Debug, Clone, Copy)]
pub struct Guard<'a> {
    pub max_row_drop: f64,
    /// Sources (or companions) whose drop is accepted, by their registry names.
    pub accepted: &'a [String],
}

impl Guard<'_> {
    /// Refuse `rows` new rows of `source` against `previous` stored ones when they fall by
    /// more than the allowed share and the drop was not accepted. A first load (nothing
    /// stored) always passes.
    pub fn check(&self, source: &str, previous: u64, rows: u64) -> Result<(), SourceError> {
        let fall = previous.saturating_sub(rows) as f64;
        let short = previous > 0 && fall > self.max_row_drop * previous as f64;
        if short && !self.accepted.iter().any(|a| a == source) {
            return Err(SourceError::ShortLoad {
                source_name: source.to_string(),
                previous,
                rows,
            });
        }
        Ok(())
    }
}

/// The registry names of `--accept-drop` arguments (`-` read as `_`); an unknown name is a
/// usage error, so a typo never lets a drop through unnoticed or blocks the wrong source.
fn resolve_accepted(ctx: &App, names: &[String]) -> Result<Vec<String>, CmdError> {
    let registry = &ctx.registry;
    names
        .iter()
        .map(|n| {
            let n = n.replace('-', "_");
            if registry.source(&n).is_some() || registry.annotation(&n).is_some() {
                Ok(n)
            } else {
                Err(CmdError::UnknownSource {
                    name: n,
                    known: registry
                        .names()
                        .chain(registry.annotation_names())
                        .collect::<Vec<_>>()
                        .join(", "),
                })
            }
        })
        .collect()
}

/// The enabled annotations a source stages besides its own rows, from the same files (its
/// companions in the registry).
fn companions_of<'a>(ctx: &'a App, source: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    ctx.registry.companions_of(source).map(|a| a.name())
}

/// Each source's and annotation's own body caps (`max_bytes`, `max_decompressed_bytes` in
/// its block), for the fetcher.
fn source_caps(registry: &Registry) -> HashMap<String, SourceCaps> {
    let cap = |key: String, v: Option<&serde_saphyr::Spanned<u64>>| {
        v.map(|v| Cap {
            bytes: v.value,
            setting: key,
        })
    };
    let sources = registry
        .names()
        .filter_map(|n| registry.source(n).map(|s| (n, "sources", s.common())));
    let annotations = registry.annotation_names().filter_map(|n| {
        registry
            .annotation(n)
            .map(|a| (n, "annotations", a.common()))
    });
    sources
        .chain(annotations)
        .map(|(name, section, c)| {
            let caps = SourceCaps {
                max_bytes: cap(format!("{section}.{name}.max_bytes"), c.max_bytes),
                max_decompressed_bytes: cap(
                    format!("{section}.{name}.max_decompressed_bytes"),
                    c.max_decompressed_bytes,
                ),
            };
            (name.to_string(), caps)
        })
        .filter(|(_, caps)| *caps != SourceCaps::default())
        .collect()
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

/// `kgdb fetch [SOURCE...]` (with `--accept-drop SOURCE...` in [`App::accept_drop`]).
pub fn execute(ctx: &App, names: &[String]) -> Result<FetchSummary, CmdError> {
    resolve_sources(ctx, names)?;
    resolve_accepted(ctx, &ctx.accept_drop)?;
    let lock = RunLock::acquire(&ctx.data_dir, "fetch")?;
    super::note_take_over(ctx, lock.taken_over());
    let store = Store::open_for_writing(&lock)?;
    super::runtime()?.block_on(locked(ctx, &store, names))
}

/// `fetch` into `store`, opened for writing by a caller that holds the run lock.
pub(super) async fn locked(
    ctx: &App,
    store: &Store,
    names: &[String],
) -> Result<FetchSummary, CmdError> {
    let todo = resolve_sources(ctx, names)?;
    let accepted = resolve_accepted(ctx, &ctx.accept_drop)?;
    let guard = Guard {
        max_row_drop: ctx.registry.config.max_row_drop(),
        accepted: &accepted,
    };
    let run_id = store.begin_run("fetch", &ctx.registry.config.sha256)?;
    let fetcher = if ctx.offline {
        None
    } else {
        Some(
            Fetcher::new(
                &ctx.registry.config,
                ctx.mirror.clone(),
                ctx.reporter.clone(),
            )?
            .with_source_caps(source_caps(&ctx.registry)),
        )
    };
    let mut summary = FetchSummary {
        verbose: ctx.verbose,
        ..FetchSummary::default()
    };
    // Sources run concurrently on this thread (each host keeps its own rate limit and
    // concurrency cap in the fetcher); every store write is synchronous, so two sources'
    // transactions never interleave.
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
            match fetch_source(&ctx.registry, &mut session, &started, mirror, guard).await {
                Ok(o) => o,
                Err(error) => {
                    let public = error.public(mirror);
                    // `kgdb status` keeps the raw chain too.
                    let full = match error.detail() {
                        Some(d) => format!("{error} ({d})"),
                        None => error.to_string(),
                    };
                    // A short load says itself that the previous rows are kept.
                    let says_kept = matches!(error, SourceError::ShortLoad { .. });
                    // The source and what it stages for others (its companions) keep their rows.
                    let mut failed = Vec::new();
                    for name in std::iter::once(source.as_str()).chain(companions_of(ctx, source)) {
                        let kept = if says_kept {
                            None
                        } else {
                            Some(kept_note(store, name)?)
                        };
                        let e = RunError {
                            full: &full,
                            public: &public,
                        };
                        store.record_source_run(run_id, name, "failed", &started, Some(e))?;
                        failed.push(SourceOutcome {
                            error: Some(error.brief(source)),
                            detail: error.detail().map(str::to_string),
                            kept,
                            unreachable: error.is_unreachable(),
                            ..SourceOutcome::good(name, FetchStatus::Failed, None, None)
                        });
                    }
                    failed
                }
            };
        for outcome in &outcomes {
            let line = outcome.failure_line(ctx.verbose);
            ctx.reporter.event(Event::SourceFinished {
                source: &outcome.source,
                status: outcome.status.as_str(),
                rows: outcome.rows,
                detail: line.as_deref().or(outcome.upstream_version.as_deref()),
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
    summary.hint = summary.how_to_start(ctx.mirror.as_ref(), ctx.offline);
    Ok(summary)
}

/// Store what a source staged (with its companions), or record it as unchanged when every
/// file it used answered 304. A companion that could not be built, or whose rows fall short
/// of its last good load ([`Guard`]), is recorded as failed and keeps its previous rows; a
/// source whose own rows fall short fails with its companions.
fn finish_staged(
    registry: &Registry,
    session: &Session<'_>,
    started: &str,
    staged: Staged,
    mirror: Option<&Mirror>,
    guard: Guard<'_>,
) -> Result<Vec<SourceOutcome>, SourceError> {
    let run_id = session.run_id;
    let store = session.store;
    let source = session.source;
    let version = staged.upstream_version.as_deref();
    if staged.keep_stored && session.unchanged() {
        return keep_stored(registry, session, started, version);
    }
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
        guard.check(
            source,
            stored_count(session, source)?,
            staged.rows.len() as u64,
        )?;
        let mut short = Vec::new();
        for (name, rows) in &good {
            if let Err(e) = guard.check(name, stored_count(session, name)?, rows.len() as u64) {
                short.push((*name, e.to_string(), e.public(mirror)));
            }
        }
        good.retain(|(name, _)| !short.iter().any(|(s, _, _)| s == name));
        failed.extend(short);
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
    let mut out = vec![SourceOutcome::good(
        source,
        status,
        Some(rows),
        staged.upstream_version.clone(),
    )];
    for (name, rows) in &good {
        out.push(SourceOutcome::good(
            name,
            status,
            Some(rows.len() as u64),
            staged.upstream_version.clone(),
        ));
    }
    for (name, error, _) in failed {
        let brief = error
            .strip_prefix(name)
            .and_then(|r| r.strip_prefix(": "))
            .map_or_else(|| error.clone(), str::to_string);
        let kept = if brief.contains("kept") {
            None
        } else {
            Some(kept_note(session.store, name)?)
        };
        out.push(SourceOutcome {
            error: Some(brief),
            kept,
            ..SourceOutcome::good(name, FetchStatus::Failed, None, None)
        });
    }
    Ok(out)
}

/// Record a source whose files, kgdb and configuration are those of its last good run as
/// unchanged, with its enabled companions: everyone's stored rows stand.
fn keep_stored(
    registry: &Registry,
    session: &Session<'_>,
    started: &str,
    version: Option<&str>,
) -> Result<Vec<SourceOutcome>, SourceError> {
    let (store, source) = (session.store, session.source);
    let ids = store.record_unchanged(session.run_id, source, &session.records, version, started)?;
    let mut names = vec![source];
    for c in registry.companions_of(source) {
        if registry.is_enabled(c.name()) {
            store.record_unchanged_from(session.run_id, c.name(), &ids, version, started)?;
            names.push(c.name());
        }
    }
    names
        .into_iter()
        .map(|name| {
            Ok(SourceOutcome {
                source: name.to_string(),
                status: FetchStatus::Unchanged,
                rows: Some(stored_count(session, name)?),
                upstream_version: version.map(String::from),
                error: None,
                detail: None,
                kept: None,
                unreachable: false,
            })
        })
        .collect()
}

/// The rows a source has stored now: those of its last good load (a failed load keeps them).
fn stored_count(session: &Session<'_>, source: &str) -> Result<u64, SourceError> {
    Ok(u64::try_from(session.store.staged_count(source)?).unwrap_or(0))
}

/// One source's fetch through its registry entry (an evidence source or an annotation).
async fn fetch_source(
    registry: &Registry,
    session: &mut Session<'_>,
    started: &str,
    mirror: Option<&Mirror>,
    guard: Guard<'_>,
) -> Result<Vec<SourceOutcome>, SourceError> {
    let staged = match registry.source(session.source) {
        Some(source) => match source.fetch(session).await? {
            Fetched::Staged(staged) => staged,
            Fetched::Stored {
                unchanged,
                rows,
                upstream_version,
            } => {
                let status = if unchanged {
                    FetchStatus::Unchanged
                } else {
                    FetchStatus::Ok
                };
                return Ok(vec![SourceOutcome::good(
                    session.source,
                    status,
                    Some(rows),
                    upstream_version,
                )]);
            }
        },
        None => match registry.annotation(session.source) {
            Some(annotation) => annotation.fetch(session).await?,
            None => return Err(SourceError::unusable(session.source, "unknown source")),
        },
    };
    finish_staged(registry, session, started, staged, mirror, guard)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fall_beyond_the_share_is_refused_unless_accepted() {
        let none: Vec<String> = Vec::new();
        let guard = Guard {
            max_row_drop: 0.3,
            accepted: &none,
        };
        assert!(guard.check("clingen", 0, 0).is_ok(), "first load");
        assert!(guard.check("clingen", 169, 500).is_ok(), "growth");
        assert!(
            guard.check("clingen", 10, 7).is_ok(),
            "exactly 30 % is allowed"
        );
        let e = guard.check("clingen", 169, 84).unwrap_err();
        assert_eq!(
            e.to_string(),
            "clingen: 84 rows instead of 169 (-50 %); previous rows kept; \
             pass --accept-drop clingen if this is right"
        );
        assert_eq!(
            e.public(None),
            "84 rows instead of 169 (-50 %); previous rows kept"
        );
        assert!(guard.check("clingen", 10, 0).is_err(), "an empty load");
        let accepted = vec!["clingen".to_string()];
        let guard = Guard {
            max_row_drop: 0.3,
            accepted: &accepted,
        };
        assert!(guard.check("clingen", 169, 84).is_ok());
        assert!(
            guard.check("gencc", 169, 84).is_err(),
            "only the named source"
        );
    }
}
