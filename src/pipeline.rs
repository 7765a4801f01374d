//! The stages behind each subcommand: what `kgdb fetch`, `normalize`, `gene` and `status` do.
//!
//! Each stage opens the store, takes the run lock when it writes, reports through the
//! [`Reporter`], and returns a summary the binary turns into output and an exit code.
//! A source that fails is recorded as failed and keeps its previous rows; it never stops
//! the other sources.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::Exit;
use crate::annotations::model::ANNOTATION_NAMES;
use crate::fetch::{FetchError, Fetcher, Mirror};
use crate::lock::{LockError, RunLock};
use crate::normalize::{Normalizer, Resolution};
use crate::registry::Registry;
use crate::report::{Event, Reporter};
use crate::session::Session;
use crate::sources::hgnc::HgncGene;
use crate::sources::{Fetched, SourceError, Staged};
use crate::store::{LogEntry, Store, StoreError, now_utc};

/// Everything a stage needs to know about this invocation.
pub struct Context {
    /// The validated configuration and every registered source.
    pub registry: Registry,
    pub data_dir: PathBuf,
    pub mirror: Option<Mirror>,
    pub offline: bool,
    pub reporter: Arc<dyn Reporter>,
}

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Evidence(#[from] crate::evidence::EvidenceError),
    #[error("scoring: {0}")]
    Score(#[from] crate::score::ScoreError),
    #[error("site: {0}")]
    Site(#[from] crate::site::SiteError),
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
    Store(#[from] StoreError),
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("unknown source `{name}`; known sources: {known}")]
    UnknownSource { name: String, known: String },
    #[error("the HGNC gene set is not loaded in {db}; run `kgdb fetch hgnc` first")]
    HgncMissing { db: PathBuf },
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl PipelineError {
    pub fn exit(&self) -> Exit {
        match self {
            PipelineError::UnknownSource { .. } => Exit::Usage,
            _ => Exit::Fatal,
        }
    }
}

/// How one source's fetch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceStatus {
    Ok,
    /// Upstream answered 304: nothing new stored, previous rows kept.
    Unchanged,
    /// Failed; previous rows kept.
    Failed,
}

impl SourceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceStatus::Ok => "ok",
            SourceStatus::Unchanged => "unchanged",
            SourceStatus::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone)]
pub struct SourceOutcome {
    pub source: String,
    pub status: SourceStatus,
    pub rows: Option<u64>,
    pub upstream_version: Option<String>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct FetchSummary {
    pub outcomes: Vec<SourceOutcome>,
}

impl FetchSummary {
    pub fn exit(&self) -> Exit {
        let failed = self
            .outcomes
            .iter()
            .filter(|o| o.status == SourceStatus::Failed)
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
fn companions_of<'a>(ctx: &'a Context, source: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    COMPANIONS
        .iter()
        .filter(move |(parent, _)| *parent == source)
        .map(|(_, c)| *c)
        .filter(|n| ctx.registry.is_enabled(n))
}

/// The sources and annotations `kgdb fetch NAMES` runs (all enabled ones when `names` is
/// empty). A companion (`hpo_phenotypes`) runs as its source (`hpo`).
fn resolve_sources(ctx: &Context, names: &[String]) -> Result<Vec<String>, PipelineError> {
    let registry = &ctx.registry;
    if names.is_empty() {
        return Ok(registry
            .names()
            .chain(
                ANNOTATION_NAMES
                    .iter()
                    .copied()
                    .filter(|n| parent_of(n).is_none()),
            )
            .filter(|s| registry.is_enabled(s))
            .map(String::from)
            .collect());
    }
    let mut todo = Vec::new();
    for n in names {
        let mut n = n.replace('-', "_");
        if let Some(parent) = parent_of(&n) {
            n = parent.to_string();
        }
        if registry.source(&n).is_none() && !ANNOTATION_NAMES.contains(&n.as_str()) {
            return Err(PipelineError::UnknownSource {
                name: n,
                known: registry
                    .names()
                    .chain(ANNOTATION_NAMES.iter().copied())
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
pub async fn fetch(ctx: &Context, names: &[String]) -> Result<FetchSummary, PipelineError> {
    resolve_sources(ctx, names)?;
    let _lock = RunLock::acquire(&ctx.data_dir, "fetch")?;
    fetch_locked(ctx, names).await
}

/// `fetch` for a caller that holds the run lock.
async fn fetch_locked(ctx: &Context, names: &[String]) -> Result<FetchSummary, PipelineError> {
    let todo = resolve_sources(ctx, names)?;
    let store = Store::open(&ctx.data_dir)?;
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
    let mut summary = FetchSummary {
        outcomes: Vec::new(),
    };
    // Sources run concurrently on this thread (each host keeps its own rate limit and
    // concurrency cap in the fetcher); every store write is synchronous, so two sources'
    // transactions never interleave.
    let store = &store;
    let fetcher = fetcher.as_ref();
    let runs = todo.iter().map(|source| async move {
        ctx.reporter.event(Event::SourceStarted { source });
        let started = now_utc();
        let mut session = Session::new(source, ctx, store, fetcher);
        session.run_id = run_id;
        session.started = started.clone();
        let outcomes = match fetch_source(&mut session, run_id, &started).await {
            Ok(o) => o,
            Err(error) => {
                let error = error.to_string();
                // The source and what it stages for others (its companions) keep their rows.
                let mut failed = Vec::new();
                for name in std::iter::once(source.as_str()).chain(companions_of(ctx, source)) {
                    store.record_source_run(run_id, name, "failed", &started, Some(&error))?;
                    failed.push(SourceOutcome {
                        source: name.to_string(),
                        status: SourceStatus::Failed,
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
        Ok::<_, PipelineError>(outcomes)
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

/// Store what a source staged (with its companions, e.g. `hpo_phenotypes` of `hpo`), or
/// record it as unchanged when every file it used answered 304. A companion that could not
/// be built is recorded as failed and keeps its previous rows.
fn finish_staged(
    session: &Session<'_>,
    run_id: i64,
    started: &str,
    staged: Staged,
) -> Result<Vec<SourceOutcome>, SourceError> {
    let store = session.store;
    let source = session.source;
    let version = staged.upstream_version.as_deref();
    let mut good: Vec<(&str, &[(usize, crate::sources::StagedRow)])> = Vec::new();
    let mut failed: Vec<(&str, &str)> = Vec::new();
    for (name, rows) in &staged.companions {
        if !session.ctx.registry.is_enabled(name) {
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
        let stored = store.staged_fingerprint(name)?;
        if stored != crate::store::fingerprint(rows.iter().map(|(_, r)| r)) {
            companions_differ = true;
        }
    }
    let status = if session.unchanged() && !companions_differ {
        let ids = store.record_unchanged(run_id, source, &session.records, version, started)?;
        for (name, _) in &good {
            store.record_unchanged_from(run_id, name, &ids, version, started)?;
        }
        SourceStatus::Unchanged
    } else {
        let mut sets = vec![(source, staged.rows.as_slice())];
        sets.extend(good.iter().copied());
        store.load_staged_many(run_id, &session.records, &sets, version, started)?;
        SourceStatus::Ok
    };
    for (name, error) in &failed {
        store.record_source_run(run_id, name, "failed", started, Some(error))?;
    }
    // Unchanged: the stored rows stand (a source may skip parsing then, see
    // `annotations::fetch`), so count those.
    let rows = if status == SourceStatus::Unchanged {
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
    for (name, error) in failed {
        out.push(SourceOutcome {
            source: name.to_string(),
            status: SourceStatus::Failed,
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
) -> Result<Vec<SourceOutcome>, SourceError> {
    let registry = &session.ctx.registry;
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
                        SourceStatus::Unchanged
                    } else {
                        SourceStatus::Ok
                    },
                    rows: Some(rows),
                    upstream_version,
                    error: None,
                }]);
            }
        },
        None if ANNOTATION_NAMES.contains(&session.source) => {
            let name = session.source;
            crate::annotations::fetch::fetch(session, name)
                .await
                .map_err(SourceError::Worded)?
        }
        None => {
            return Err(SourceError::unusable(session.source, "unknown source"));
        }
    };
    finish_staged(session, run_id, started, staged)
}

/// Counts of one normalization run.
#[derive(Debug, Clone, Default)]
pub struct NormalizeSummary {
    /// source -> (outcome or method) -> staged rows.
    pub counts: BTreeMap<String, BTreeMap<String, u64>>,
    pub review_file: PathBuf,
    pub review_entries: usize,
}

/// Build the normalizer from the HGNC tables of a store.
pub fn normalizer(store: &Store) -> Result<Normalizer, PipelineError> {
    let genes = store.hgnc_genes()?;
    if genes.is_empty() {
        return Err(PipelineError::HgncMissing {
            db: store.path().to_path_buf(),
        });
    }
    Ok(Normalizer::new(genes, store.hgnc_withdrawn()?))
}

/// Resolve a batch of staged identities.
pub fn normalize_identities(
    n: &Normalizer,
    identities: &[(crate::store::StagedIdentity, u64)],
) -> Vec<(crate::store::StagedIdentity, LogEntry)> {
    identities
        .iter()
        .map(|(id, rows)| {
            let res = n.resolve(crate::normalize::Reported {
                symbol: id.symbol.as_deref(),
                hgnc_id: id.hgnc_id.as_deref(),
                ncbi_id: id.ncbi_id.as_deref(),
                ensembl_id: id.ensembl_id.as_deref(),
            });
            let reported = [
                id.symbol.as_deref(),
                id.hgnc_id.as_deref(),
                id.ncbi_id.as_deref(),
                id.ensembl_id.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" / ");
            let entry = LogEntry {
                source: id.source.clone(),
                reported,
                method: res.method().map(|m| m.as_str()),
                outcome: res.outcome(),
                hgnc_id: res.hgnc_id().map(str::to_string),
                candidates: res.candidates().to_vec(),
                rows: *rows,
            };
            (id.clone(), entry)
        })
        .collect()
}

/// `kgdb normalize`.
pub fn normalize(ctx: &Context) -> Result<NormalizeSummary, PipelineError> {
    let _lock = RunLock::acquire(&ctx.data_dir, "normalize")?;
    normalize_locked(ctx)
}

fn normalize_locked(ctx: &Context) -> Result<NormalizeSummary, PipelineError> {
    let store = Store::open(&ctx.data_dir)?;
    let n = normalizer(&store)?;
    let run_id = store.begin_run("normalize", &ctx.registry.config.sha256)?;
    let identities = store.staged_identities()?;
    let results = normalize_identities(&n, &identities);
    store.save_normalization(run_id, &results)?;

    let mut summary = NormalizeSummary {
        review_file: ctx.data_dir.join("normalization_review.tsv"),
        ..Default::default()
    };
    let mut review = String::from("source\treported\toutcome\tmethod\tcandidates\trows\n");
    for (_, e) in &results {
        let key = match e.method {
            Some(m) if e.outcome == "resolved" => m.to_string(),
            _ => e.outcome.to_string(),
        };
        *summary
            .counts
            .entry(e.source.clone())
            .or_default()
            .entry(key)
            .or_default() += e.rows;
        // Annotation files list every gene of their provider (ClinVar's LOC genes, say);
        // one that HGNC does not know is not evidence lost, so only the log keeps it.
        if e.outcome != "resolved" && ctx.registry.source(&e.source).is_some() {
            summary.review_entries += 1;
            let cands: Vec<String> = e
                .candidates
                .iter()
                .map(|c| match n.gene(c) {
                    Some(g) => format!("{c} {}", g.symbol),
                    None => c.clone(),
                })
                .collect();
            let _ = writeln!(
                review,
                "{}\t{}\t{}\t{}\t{}\t{}",
                e.source,
                e.reported,
                e.outcome,
                e.method.unwrap_or(""),
                cands.join("; "),
                e.rows
            );
        }
    }
    write_atomic(&summary.review_file, review.as_bytes())?;
    store.finish_run(run_id, "ok")?;
    Ok(summary)
}

/// Write a file by renaming a finished temporary file over it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), PipelineError> {
    let io = |source| PipelineError::Io {
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

/// The answer to `kgdb gene QUERY`.
#[derive(Debug)]
pub enum GeneAnswer {
    Found {
        gene: Box<HgncGene>,
        how: &'static str,
    },
    Ambiguous {
        how: &'static str,
        candidates: Vec<HgncGene>,
    },
    Withdrawn {
        id: String,
        candidates: Vec<HgncGene>,
    },
    NotFound,
}

/// `kgdb gene QUERY`.
pub fn gene(ctx: &Context, query: &str) -> Result<GeneAnswer, PipelineError> {
    let store = Store::open(&ctx.data_dir)?;
    let n = normalizer(&store)?;
    let genes = |ids: &[String]| ids.iter().filter_map(|c| n.gene(c).cloned()).collect();
    Ok(match n.lookup(query) {
        Resolution::Resolved { hgnc_id, method } => match n.gene(&hgnc_id) {
            Some(g) => GeneAnswer::Found {
                gene: Box::new(g.clone()),
                how: method.as_str(),
            },
            None => GeneAnswer::NotFound,
        },
        Resolution::Ambiguous { method, candidates } => GeneAnswer::Ambiguous {
            how: method.as_str(),
            candidates: genes(&candidates),
        },
        Resolution::Withdrawn {
            withdrawn_id,
            candidates,
        } => GeneAnswer::Withdrawn {
            id: withdrawn_id,
            candidates: genes(&candidates),
        },
        Resolution::Unresolved => GeneAnswer::NotFound,
    })
}

/// A gene's identity as plain text (the evidence follows once scoring exists).
pub fn format_gene(g: &HgncGene) -> String {
    let mut s = String::new();
    let list = |v: &[String]| {
        if v.is_empty() {
            "-".to_string()
        } else {
            v.join(", ")
        }
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let _ = writeln!(s, "{}  {}  {}", g.symbol, g.hgnc_id, g.name);
    let _ = writeln!(s, "  location         {}", opt(&g.location));
    let _ = writeln!(s, "  locus type       {}", opt(&g.locus_type));
    let _ = writeln!(s, "  aliases          {}", list(&g.alias_symbols));
    let _ = writeln!(s, "  previous symbols {}", list(&g.prev_symbols));
    let _ = writeln!(s, "  NCBI Gene        {}", opt(&g.entrez_id));
    let _ = writeln!(s, "  Ensembl          {}", opt(&g.ensembl_gene_id));
    let _ = writeln!(s, "  OMIM             {}", list(&g.omim_ids));
    let _ = writeln!(s, "  MANE Select      {}", list(&g.mane_select));
    let _ = writeln!(
        s,
        "  https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/{}",
        g.hgnc_id
    );
    s
}

/// One line of `kgdb status`.
#[derive(Debug, Clone)]
pub struct StatusRow {
    pub source: String,
    pub enabled: bool,
    pub last_success: Option<String>,
    pub upstream_version: Option<String>,
    pub age_days: Option<f64>,
    pub max_age_days: u64,
    pub rows: i64,
    pub last_status: Option<String>,
    pub last_error: Option<String>,
    /// For an annotation: how many scored genes it covers.
    pub coverage: Option<crate::store::Coverage>,
}

impl StatusRow {
    /// Enabled and never fetched, or older than its configured maximum age.
    pub fn is_stale(&self) -> bool {
        self.enabled && self.age_days.is_none_or(|a| a > self.max_age_days as f64)
    }
}

/// `kgdb status`: every source, then every annotation with its coverage of scored genes.
pub fn status(ctx: &Context) -> Result<Vec<StatusRow>, PipelineError> {
    let store = Store::open(&ctx.data_dir)?;
    let now = time::OffsetDateTime::now_utc();
    let mut out = Vec::new();
    let registry = &ctx.registry;
    let names = registry.names().chain(ANNOTATION_NAMES.iter().copied());
    for source in names {
        let (common, is_annotation) = match registry.source(source) {
            Some(s) => (s.common(), false),
            None => match registry.config.raw.annotations.info(source) {
                Some(a) => (a.common, true),
                None => continue,
            },
        };
        let (last, good) = store.source_status(source)?;
        let age_days = good.as_ref().and_then(|g| {
            time::OffsetDateTime::parse(&g.finished, &time::format_description::well_known::Rfc3339)
                .ok()
                .map(|t| (now - t).as_seconds_f64() / 86_400.0)
        });
        let rows = match registry.source(source) {
            Some(s) => s.stored_rows(&store)?,
            None => store.staged_count(source)?,
        };
        let coverage = if is_annotation {
            Some(store.annotation_coverage(source)?)
        } else {
            None
        };
        out.push(StatusRow {
            source: source.to_string(),
            enabled: common.enabled,
            last_success: good.as_ref().map(|g| g.finished.clone()),
            upstream_version: good.as_ref().and_then(|g| g.upstream_version.clone()),
            age_days,
            max_age_days: common.max_age_days.value,
            rows,
            last_status: last.as_ref().map(|l| l.status.clone()),
            last_error: last.and_then(|l| l.error),
            coverage,
        });
    }
    Ok(out)
}

/// What `kgdb score` did.
#[derive(Debug, Clone)]
pub struct ScoreSummary {
    pub genes: usize,
    pub evidence_rows: usize,
    /// tier -> genes, in configured order.
    pub tiers: Vec<(String, usize)>,
    /// Genes per classic evidence count 0..=5.
    pub classic: BTreeMap<u32, usize>,
    /// The scoring step itself (polars), without reading and writing the store.
    pub scoring_time: std::time::Duration,
    /// The deterministic export written by this run.
    pub export: PathBuf,
    /// Annotation -> scored genes it annotates.
    pub annotated: Vec<(String, u64)>,
}

/// `kgdb score`: evidence from the normalized staged rows, then scores (SCORING.md).
pub fn score(ctx: &Context) -> Result<ScoreSummary, PipelineError> {
    let _lock = RunLock::acquire(&ctx.data_dir, "score")?;
    score_locked(ctx)
}

fn score_locked(ctx: &Context) -> Result<ScoreSummary, PipelineError> {
    let store = Store::open(&ctx.data_dir)?;
    let run_id = store.begin_run("score", &ctx.registry.config.sha256)?;
    let settings = crate::score::ScoringSettings::from_registry(&ctx.registry);
    let evidence = crate::evidence::build(&store, &ctx.registry, &settings)?;
    if evidence.is_empty() {
        store.finish_run(run_id, "failed")?;
        return Err(PipelineError::NothingToScore {
            db: store.path().to_path_buf(),
        });
    }
    let rows: Vec<crate::score::EvidenceRow> = evidence.iter().map(|e| e.row.clone()).collect();
    let started = std::time::Instant::now();
    let scores = crate::score::score(&rows, &settings)?;
    let scoring_time = started.elapsed();
    let records: Vec<_> = evidence.iter().map(|e| e.record()).collect();
    store.replace_evidence(&records)?;
    store.replace_scores(&scores)?;
    let annotated = store.rebuild_annotations()?;
    let export = ctx.data_dir.join("scores.tsv");
    write_atomic(&export, crate::score::to_tsv(&scores, &settings).as_bytes())?;
    store.finish_run(run_id, "ok")?;

    let mut tiers: Vec<(String, usize)> = settings
        .tiers
        .iter()
        .map(|t| (t.name.clone(), 0))
        .chain(std::iter::once((settings.default_tier.clone(), 0)))
        .collect();
    let mut classic = BTreeMap::new();
    for g in &scores {
        if let Some(t) = tiers.iter_mut().find(|(n, _)| *n == g.tier) {
            t.1 += 1;
        }
        *classic.entry(g.classic_count).or_default() += 1;
    }
    Ok(ScoreSummary {
        genes: scores.len(),
        evidence_rows: rows.len(),
        tiers,
        classic,
        scoring_time,
        export,
        annotated,
    })
}

/// A gene's score explained, one line per source (for `kgdb gene`).
pub fn format_breakdown(ctx: &Context, g: &crate::score::GeneScore) -> String {
    let mut s = String::new();
    let n_sources = ctx.registry.config.raw.scoring.sources.value.len();
    let _ = writeln!(s, "  score breakdown (N = {n_sources} scoring sources)");
    let _ = writeln!(
        s,
        "    {:<18} {:>8} {:>6} {:>8} {:>8}  {:<28} {:>8}  classic",
        "source", "measure", "n", "rank", "s", "classification (weight)", "points"
    );
    for src in &g.sources {
        let rank = src
            .rank
            .map(|r| format!("{r:.1}"))
            .unwrap_or_else(|| "-".into());
        let class = match (&src.classification, src.weight) {
            (Some(c), Some(w)) => format!("{c} ({w})"),
            (Some(c), None) => c.clone(),
            _ => "-".into(),
        };
        let classic = match src.classic {
            Some(true) => "yes",
            Some(false) => "no",
            None => "-",
        };
        let note = if src.contradicting {
            "  contradicting evidence"
        } else if !src.counted {
            "  (not scored)"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "    {:<18} {:>8} {:>6} {:>8} {:>8.4}  {:<28} {:>8.2}  {classic}{note}",
            src.source, src.measure, src.n, rank, src.s, class, src.contribution
        );
    }
    let _ = writeln!(
        s,
        "  total {:.2} %  tier {}  group {}  sources {}  classic evidence count {}/5",
        g.percentage, g.tier, g.group, g.source_count, g.classic_count
    );
    s
}

/// The stored score of a gene, when `kgdb score` has run.
pub fn gene_score(
    ctx: &Context,
    hgnc_id: &str,
) -> Result<Option<crate::score::GeneScore>, PipelineError> {
    let store = Store::open(&ctx.data_dir)?;
    Ok(store.gene_score(hgnc_id)?)
}

/// A scored gene's annotations, one line each (for `kgdb gene`); empty when it has none.
pub fn format_annotations(ctx: &Context, hgnc_id: &str) -> Result<String, PipelineError> {
    let store = Store::open(&ctx.data_dir)?;
    let mut a = crate::annotations::model::GeneAnnotations::default();
    for (name, json) in store.gene_annotations(hgnc_id)? {
        a.set(&name, &json)
            .map_err(|message| PipelineError::Annotation {
                hgnc_id: hgnc_id.to_string(),
                message,
            })?;
    }
    let mut out = String::new();
    if a.is_empty() {
        return Ok(out);
    }
    let opt = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v}"));
    let _ = writeln!(out, "  annotations (not scored):");
    if let Some(h) = &a.hpo {
        let _ = writeln!(
            out,
            "    HPO        clinical group {}, onset {}, syndromic {} (score {}), {} kidney of {} phenotypes, {} diseases",
            h.clinical_group.primary.as_deref().unwrap_or("none"),
            h.onset_group.primary.as_deref().unwrap_or("none"),
            if h.syndromic.is_syndromic {
                "yes"
            } else {
                "no"
            },
            h.syndromic.score,
            h.kidney_phenotypes.len(),
            h.phenotypes.len(),
            h.diseases.len()
        );
    }
    if let Some(c) = &a.constraint {
        let _ = writeln!(
            out,
            "    gnomAD     pLI {}, LOEUF {}{}, o/e LoF {}, missense Z {}",
            opt(c.pli),
            opt(c.loeuf),
            if c.loeuf_computed { " (computed)" } else { "" },
            opt(c.oe_lof),
            opt(c.mis_z)
        );
    }
    if let Some(c) = &a.clinvar {
        let n = |v: Option<u64>| v.map_or("-".to_string(), |v| v.to_string());
        let _ = writeln!(
            out,
            "    ClinVar    {} pathogenic/likely pathogenic of {} alleles",
            n(c.pathogenic_alleles),
            n(c.total_alleles)
        );
    }
    if let Some(e) = &a.expression {
        let _ = writeln!(
            out,
            "    GTEx       kidney {} nTPM, rank {} of {} tissues",
            opt(e.kidney_ntpm),
            e.kidney_rank.map_or("-".to_string(), |r| r.to_string()),
            e.tissue_count
        );
    }
    if let Some(m) = &a.mouse {
        let orthologs: Vec<String> = m
            .orthologs
            .iter()
            .map(|o| format!("{} {}", o.symbol, o.mgi_id))
            .collect();
        let _ = writeln!(
            out,
            "    MGI        {}; kidney phenotypes {} of {}",
            orthologs.join(", "),
            m.kidney_phenotypes.len(),
            m.phenotype_count
        );
    }
    if let Some(m) = &a.mane {
        let _ = writeln!(
            out,
            "    MANE       {} / {}",
            m.refseq_transcript, m.ensembl_transcript
        );
    }
    Ok(out)
}

/// What `kgdb build` published.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    pub release: String,
    pub report: crate::site::BuildReport,
    pub changes: crate::changes::ReleaseChanges,
    /// Sources shown as stale (failed last time, or older than their max age).
    pub stale_sources: Vec<String>,
}

/// `kgdb build -o DIR`: render the site of the current scores as a new release.
pub fn build(ctx: &Context, out: &Path) -> Result<BuildSummary, PipelineError> {
    let _lock = RunLock::acquire(&ctx.data_dir, "build")?;
    build_locked(ctx, out)
}

fn build_locked(ctx: &Context, out: &Path) -> Result<BuildSummary, PipelineError> {
    let store = Store::open(&ctx.data_dir)?;
    let built_at = now_utc();
    let release = crate::changes::release_name(&built_at, &store.release_names()?);
    // The annotations of the scored genes as normalized now (an annotation fetched and
    // normalized after the last `kgdb score` shows up without re-scoring).
    store.rebuild_annotations()?;
    let mut data = crate::site_data::load(&ctx.registry, &store, &release, &built_at)?;
    if data.genes.is_empty() {
        return Err(PipelineError::NothingToBuild {
            db: store.path().to_path_buf(),
        });
    }
    let genes = crate::changes::released_genes(&data);
    let previous = store.latest_release()?;
    let changes = crate::changes::diff(&release, &built_at, previous.as_ref(), &genes);
    data.changes.push(changes.clone());
    for older in store.release_changes()? {
        if let Ok(c) = serde_json::from_str(&older) {
            data.changes.push(c);
        }
    }
    let report = crate::site::render(&data, &ctx.registry, out)?;
    // Recorded only once the new site is in place: a failed build is no release.
    let changes_json = serde_json::to_string(&changes).unwrap_or_else(|_| "{}".into());
    store.record_release(&release, &built_at, &genes, &changes_json)?;
    Ok(BuildSummary {
        release,
        report,
        changes,
        stale_sources: data
            .sources
            .iter()
            .filter(|s| s.stale)
            .map(|s| s.name.clone())
            .collect(),
    })
}

/// What `kgdb run` did, for people (a summary) and monitoring (`--json`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct RunSummary {
    pub release: Option<String>,
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
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct RunSource {
    pub source: String,
    /// ok, unchanged (304) or failed.
    pub status: String,
    pub rows: Option<u64>,
    pub upstream_version: Option<String>,
    pub error: Option<String>,
}

impl RunSummary {
    pub fn exit(&self) -> Exit {
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
pub async fn run(ctx: &Context, out: &Path) -> Result<RunSummary, PipelineError> {
    let started = std::time::Instant::now();
    let _lock = RunLock::acquire(&ctx.data_dir, "run")?;
    let fetched = fetch_locked(ctx, &[]).await?;
    let mut summary = RunSummary {
        release: None,
        sources: fetched
            .outcomes
            .iter()
            .map(|o| RunSource {
                source: o.source.clone(),
                status: o.status.as_str().to_string(),
                rows: o.rows,
                upstream_version: o.upstream_version.clone(),
                error: o.error.clone(),
            })
            .collect(),
        genes: 0,
        added: 0,
        removed: 0,
        changed: 0,
        tiers: Vec::new(),
        wall_seconds: 0.0,
        status: "failed".into(),
        error: None,
    };
    let rest = || -> Result<(ScoreSummary, BuildSummary), PipelineError> {
        normalize_locked(ctx)?;
        let scored = score_locked(ctx)?;
        let built = build_locked(ctx, out)?;
        Ok((scored, built))
    };
    match rest() {
        Ok((scored, built)) => {
            summary.release = Some(built.release.clone());
            summary.genes = scored.genes;
            summary.tiers = scored.tiers;
            summary.added = built.changes.added.len();
            summary.removed = built.changes.removed.len();
            summary.changed = built.changes.changed.len();
            summary.status = match fetched.exit() {
                Exit::Ok => "ok",
                _ => "degraded",
            }
            .into();
        }
        Err(e) => summary.error = Some(e.to_string()),
    }
    summary.wall_seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}
