//! `kgdb fetch [SOURCE...]`: download the sources (all enabled ones by default) and stage
//! their rows.
//!
//! Why one place for every source: the fetch of each source is the source module's business
//! (through a [`Session`]); this module decides which sources run, runs them concurrently,
//! records each one's outcome in the store, and keeps a failed source's previous rows.

use std::io::{self, Write};

use crate::Exit;
use crate::annotations::model::ANNOTATION_NAMES;
use crate::config::SOURCE_NAMES;
use crate::fetch::Fetcher;
use crate::lock::RunLock;
use crate::report::Event;
use crate::session::Session;
use crate::source_state::FetchStatus;
use crate::sources::{self, Staged, hgnc};
use crate::store::{Store, now_utc};

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

/// (source, companion): the companion is staged by the source from the files it already
/// read (see [`crate::sources::Staged::companions`]); it has no fetch of its own.
const COMPANIONS: &[(&str, &str)] = &[("hpo", "hpo_phenotypes")];

/// The source that stages `name`, if `name` is a companion.
fn parent_of(name: &str) -> Option<&'static str> {
    COMPANIONS
        .iter()
        .find(|(_, c)| *c == name)
        .map(|(parent, _)| *parent)
}

/// The enabled sources a source stages besides its own rows, from the same files.
fn companions_of<'a>(ctx: &'a App, source: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    COMPANIONS
        .iter()
        .filter(move |(parent, _)| *parent == source)
        .map(|(_, c)| *c)
        .filter(|n| ctx.config.is_enabled(n))
}

/// The sources and annotations `kgdb fetch NAMES` runs (all enabled ones when `names` is
/// empty). A companion (`hpo_phenotypes`) runs as its source (`hpo`).
fn resolve_sources(ctx: &App, names: &[String]) -> Result<Vec<String>, CmdError> {
    if names.is_empty() {
        return Ok(SOURCE_NAMES
            .iter()
            .chain(ANNOTATION_NAMES.iter().filter(|n| parent_of(n).is_none()))
            .copied()
            .filter(|s| ctx.config.is_enabled(s))
            .map(String::from)
            .collect());
    }
    let mut todo = Vec::new();
    for n in names {
        let mut n = n.replace('-', "_");
        if let Some(parent) = parent_of(&n) {
            n = parent.to_string();
        }
        if !SOURCE_NAMES.contains(&n.as_str()) && !ANNOTATION_NAMES.contains(&n.as_str()) {
            return Err(CmdError::UnknownSource { name: n });
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
    let _lock = RunLock::acquire(&ctx.data_dir, "fetch")?;
    super::runtime()?.block_on(locked(ctx, names))
}

/// `fetch` for a caller that holds the run lock.
pub(super) async fn locked(ctx: &App, names: &[String]) -> Result<FetchSummary, CmdError> {
    let todo = resolve_sources(ctx, names)?;
    let store = Store::open(&ctx.data_dir)?;
    let run_id = store.begin_run("fetch", &ctx.config.sha256)?;
    let fetcher = if ctx.offline {
        None
    } else {
        Some(Fetcher::new(
            &ctx.config,
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
            &ctx.config,
            &ctx.data_dir,
            ctx.reporter.as_ref(),
            store,
            fetcher,
        );
        let outcomes = match fetch_source(&mut session, run_id, &started).await {
            Ok(o) => o,
            Err(error) => {
                // The source and what it stages for others (its companions) keep their rows.
                let mut failed = Vec::new();
                for name in std::iter::once(source.as_str()).chain(companions_of(ctx, source)) {
                    store.record_source_run(run_id, name, "failed", &started, Some(&error))?;
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

async fn fetch_hgnc(
    session: &mut Session<'_>,
    run_id: i64,
    started: &str,
) -> Result<SourceOutcome, String> {
    let settings = &session.config.raw.sources.hgnc;
    let source = "hgnc";
    let mut withdrawn = Vec::new();
    if let Some(wurl) = &settings.withdrawn_url {
        let wurl = wurl.value.as_str();
        let file = session.get(wurl).await?;
        withdrawn = hgnc::parse_withdrawn(&file.bytes).map_err(|p| p.describe(source, wurl))?;
    }
    let url = settings.url.value.as_str();
    let file = session.get(url).await?;
    let store = session.store;
    if session.unchanged() {
        let version = store
            .last_good_download(source, url)
            .map_err(|e| e.to_string())?
            .and_then(|d| d.upstream_version);
        store
            .record_unchanged(
                run_id,
                source,
                &session.records,
                version.as_deref(),
                started,
            )
            .map_err(|e| e.to_string())?;
        return Ok(SourceOutcome {
            source: source.into(),
            status: FetchStatus::Unchanged,
            rows: Some(store.hgnc_count().map_err(|e| e.to_string())? as u64),
            upstream_version: version,
            error: None,
        });
    }
    let genes = hgnc::parse(&file.bytes).map_err(|p| p.describe(source, url))?;
    let version = hgnc::upstream_version(&genes);
    if let Some(v) = &version {
        session.set_version(file.download, v.clone());
    }
    store
        .load_hgnc(
            run_id,
            &session.records,
            &genes,
            &withdrawn,
            version.as_deref(),
            started,
        )
        .map_err(|e| e.to_string())?;
    Ok(SourceOutcome {
        source: source.into(),
        status: FetchStatus::Ok,
        rows: Some(genes.len() as u64),
        upstream_version: version,
        error: None,
    })
}

/// Store what a source staged (with its companions, e.g. `hpo_phenotypes` of `hpo`), or
/// record it as unchanged when every file it used answered 304. A companion that could not
/// be built is recorded as failed and keeps its previous rows.
fn finish_staged(
    session: &Session<'_>,
    run_id: i64,
    started: &str,
    staged: Staged,
) -> Result<Vec<SourceOutcome>, String> {
    let store = session.store;
    let source = session.source;
    let version = staged.upstream_version.as_deref();
    let mut good: Vec<(&str, &[(usize, crate::sources::StagedRow)])> = Vec::new();
    let mut failed: Vec<(&str, &str)> = Vec::new();
    for (name, rows) in &staged.companions {
        if !session.config.is_enabled(name) {
            continue;
        }
        match rows {
            Ok(rows) => good.push((name, rows.as_slice())),
            Err(e) => failed.push((name, e.as_str())),
        }
    }
    // A companion is rebuilt even from unchanged files when its rows would differ (first
    // run after it was enabled, or its rules changed in sources.yaml).
    let mut companions_differ = false;
    for (name, rows) in &good {
        let stored = store.staged_fingerprint(name).map_err(|e| e.to_string())?;
        if stored != crate::store::fingerprint(rows.iter().map(|(_, r)| r)) {
            companions_differ = true;
        }
    }
    let status = if session.unchanged() && !companions_differ {
        let ids = store
            .record_unchanged(run_id, source, &session.records, version, started)
            .map_err(|e| e.to_string())?;
        for (name, _) in &good {
            store
                .record_unchanged_from(run_id, name, &ids, version, started)
                .map_err(|e| e.to_string())?;
        }
        FetchStatus::Unchanged
    } else {
        let mut sets = vec![(source, staged.rows.as_slice())];
        sets.extend(good.iter().copied());
        store
            .load_staged_many(run_id, &session.records, &sets, version, started)
            .map_err(|e| e.to_string())?;
        FetchStatus::Ok
    };
    for (name, error) in &failed {
        store
            .record_source_run(run_id, name, "failed", started, Some(error))
            .map_err(|e| e.to_string())?;
    }
    // Unchanged: the stored rows stand (a source may skip parsing then, see
    // `annotations::fetch`), so count those.
    let rows = if status == FetchStatus::Unchanged {
        store.staged_count(source).map_err(|e| e.to_string())? as u64
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
    for (name, error) in failed {
        out.push(SourceOutcome {
            source: name.to_string(),
            status: FetchStatus::Failed,
            rows: None,
            upstream_version: None,
            error: Some(error.to_string()),
        });
    }
    Ok(out)
}

async fn fetch_source(
    session: &mut Session<'_>,
    run_id: i64,
    started: &str,
) -> Result<Vec<SourceOutcome>, String> {
    let s = &session.config.raw.sources;
    let staged = match session.source {
        "hgnc" => return Ok(vec![fetch_hgnc(session, run_id, started).await?]),
        "panelapp_uk" => sources::panelapp::fetch(session, &s.panelapp_uk).await?,
        "panelapp_au" => sources::panelapp::fetch(session, &s.panelapp_au).await?,
        "clingen" => sources::clingen::fetch(session, &s.clingen).await?,
        "gencc" => sources::gencc::fetch(session, &s.gencc).await?,
        "hpo" => sources::hpo::fetch(session, &s.hpo).await?,
        "pubtator" => sources::pubtator::fetch(session, &s.pubtator).await?,
        "literature" => sources::curated::fetch(session, &s.literature).await?,
        "diagnostic_panels" => sources::curated::fetch(session, &s.diagnostic_panels).await?,
        name if ANNOTATION_NAMES.contains(&name) => {
            crate::annotations::fetch::fetch(session, name).await?
        }
        other => return Err(format!("{other}: unknown source")),
    };
    finish_staged(session, run_id, started, staged)
}
