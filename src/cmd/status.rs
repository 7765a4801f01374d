//! `kgdb status`: per source and annotation the last success, upstream version, age, rows
//! and last error, and which are stale; `--json` says the same as one JSON document.
//!
//! Why: the nightly job is unattended; this is what a person (or monitoring, through the
//! exit code or the JSON) reads to see whether the published data is current. The JSON is a
//! separate, flat view ([`StatusJson`]) so its field names are a contract of their own, not
//! whatever the store's types happen to be called.

use std::io::{self, Write};

use crate::Exit;
use crate::archive::dir_size;
use crate::source_state::{Freshness, SourceState, StaleReason};
use crate::store::Store;

use super::{App, CmdError, Summary};

/// One line of `kgdb status`.
#[derive(Debug, Clone)]
pub struct StatusRow {
    pub source: String,
    pub kind: Kind,
    pub state: SourceState,
    pub rows: i64,
    /// For an annotation: how many scored genes it covers.
    pub coverage: Option<crate::store::Coverage>,
}

impl StatusRow {
    /// The state column: the Sources page's rule ([`crate::source_state::freshness`]).
    fn label(&self) -> &'static str {
        match self.state.freshness {
            Freshness::Disabled => "disabled",
            Freshness::Stale(_) => "STALE",
            Freshness::Fresh => "fresh",
        }
    }
}

/// Whether a status row is an evidence source or a gene annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Source,
    Annotation,
}

/// What `kgdb status` shows: every source, then every annotation with its coverage of
/// scored genes.
#[derive(Debug, Clone)]
pub struct StatusSummary {
    pub rows: Vec<StatusRow>,
    /// Sizes of the data folder and its parts ([`DataFolder`]).
    pub data_folder: DataFolder,
    /// Print as one JSON document (`--json`) instead of the table.
    pub json: bool,
    pub curation: CurationStatus,
}

/// Curator decisions as the last normalization applied them (`kgdb status`, `--json`).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CurationStatus {
    /// The curation file in the config now (none: no decisions).
    pub file: Option<String>,
    /// sha256 of that file now.
    pub sha256: Option<String>,
    /// sha256 of the file the last `kgdb normalize` applied.
    pub applied_sha256: Option<String>,
    /// The file changed since the last normalization: run `kgdb normalize` (or `run`).
    pub pending: bool,
    /// Kind -> decisions in force.
    pub in_force: std::collections::BTreeMap<String, u64>,
    /// Decisions that matched nothing in the last normalization.
    pub stale: Vec<StaleJson>,
}

/// A stale decision in `kgdb status --json`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StaleJson {
    pub decision: String,
    pub why: String,
    pub reason: String,
    pub curator: String,
    pub date: String,
}

/// How much disk the data folder takes (`kgdb gc` frees what nothing needs).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct DataFolder {
    pub path: String,
    /// Every file below it, in bytes.
    pub bytes: u64,
    /// Raw downloads (`raw/`).
    pub raw_bytes: u64,
    /// The release archive (`releases/`).
    pub releases_bytes: u64,
}

impl DataFolder {
    fn of(dir: &std::path::Path) -> DataFolder {
        DataFolder {
            path: dir.display().to_string(),
            bytes: dir_size(dir),
            raw_bytes: dir_size(&dir.join("raw")),
            releases_bytes: dir_size(&dir.join("releases")),
        }
    }
}

/// `kgdb status --json`: the whole document.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StatusJson<'a> {
    /// The process exit code: 0, or 1 when any enabled source or annotation is stale.
    pub exit_code: u8,
    /// Names of the stale sources and annotations (what makes the exit code 1).
    pub stale: Vec<&'a str>,
    /// Every configured source, then every annotation.
    pub sources: Vec<StatusJsonRow<'a>>,
    /// Curator decisions (curation.yaml): in force per kind, stale ones.
    pub curation: &'a CurationStatus,
    /// The data folder's size.
    pub data_folder: &'a DataFolder,
}

/// `kgdb status --json`: one source or annotation.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StatusJsonRow<'a> {
    pub name: &'a str,
    pub kind: Kind,
    pub enabled: bool,
    /// fresh, stale or disabled (the table's state column).
    pub state: &'static str,
    /// Why it is stale: never_fetched, last_fetch_failed or too_old; null when not stale.
    pub stale_reason: Option<&'static str>,
    /// How the newest fetch ended: ok, unchanged, failed or never.
    pub last_status: &'static str,
    /// When the newest successful fetch finished (RFC 3339).
    pub last_success: Option<&'a str>,
    pub upstream_version: Option<&'a str>,
    /// Days since the newest successful fetch.
    pub age_days: Option<f64>,
    /// Rows stored for it now.
    pub rows: i64,
    /// The error of the newest fetch, when it failed.
    pub last_error: Option<&'a str>,
    /// Annotations only: how many scored genes it covers.
    pub coverage: Option<CoverageJson>,
}

/// An annotation's coverage of the scored genes.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct CoverageJson {
    pub covered_genes: u64,
    pub scored_genes: u64,
    pub covered_protein_coding: u64,
    pub scored_protein_coding: u64,
}

impl StatusSummary {
    /// The `--json` document.
    pub fn to_json(&self) -> StatusJson<'_> {
        let sources = self
            .rows
            .iter()
            .map(|r| StatusJsonRow {
                name: &r.source,
                kind: r.kind,
                enabled: r.state.freshness != Freshness::Disabled,
                state: match r.state.freshness {
                    Freshness::Disabled => "disabled",
                    Freshness::Stale(_) => "stale",
                    Freshness::Fresh => "fresh",
                },
                stale_reason: match r.state.freshness {
                    Freshness::Stale(StaleReason::NeverFetched) => Some("never_fetched"),
                    Freshness::Stale(StaleReason::LastFetchFailed) => Some("last_fetch_failed"),
                    Freshness::Stale(StaleReason::TooOld { .. }) => Some("too_old"),
                    Freshness::Disabled | Freshness::Fresh => None,
                },
                last_status: r.state.last.as_str(),
                last_success: r.state.last_success.as_deref(),
                upstream_version: r.state.upstream_version.as_deref(),
                age_days: r.state.age_days,
                rows: r.rows,
                last_error: r.state.last_error.as_deref(),
                coverage: r.coverage.as_ref().map(|c| CoverageJson {
                    covered_genes: c.covered_genes,
                    scored_genes: c.scored_genes,
                    covered_protein_coding: c.covered_protein_coding,
                    scored_protein_coding: c.scored_protein_coding,
                }),
            })
            .collect();
        StatusJson {
            exit_code: self.exit() as u8,
            stale: self
                .rows
                .iter()
                .filter(|r| r.state.is_stale())
                .map(|r| r.source.as_str())
                .collect(),
            sources,
            curation: &self.curation,
            data_folder: &self.data_folder,
        }
    }
}

impl Summary for StatusSummary {
    fn print(&self, out: &mut dyn Write, _err: &mut dyn Write) -> io::Result<()> {
        if self.json {
            let text = serde_json::to_string_pretty(&self.to_json()).map_err(io::Error::other)?;
            return writeln!(out, "{text}");
        }
        let rows = &self.rows;
        writeln!(
            out,
            "{:<18} {:<9} {:<21} {:<36} {:>8} {:>9}  last error",
            "source", "state", "last success", "version", "age (d)", "rows"
        )?;
        for r in rows {
            writeln!(
                out,
                "{:<18} {:<9} {:<21} {:<36} {:>8} {:>9}  {}",
                r.source,
                r.label(),
                r.state.last_success.as_deref().unwrap_or("never"),
                r.state.upstream_version.as_deref().unwrap_or("-"),
                r.state
                    .age_days
                    .map(|a| format!("{a:.1}"))
                    .unwrap_or_else(|| "-".into()),
                r.rows,
                r.state.last_error.as_deref().unwrap_or("")
            )?;
        }
        let covered: Vec<_> = rows
            .iter()
            .filter_map(|r| Some((r, r.coverage.as_ref()?)))
            .collect();
        if let Some((_, c)) = covered.first() {
            writeln!(
                out,
                "\nannotation coverage of the {} scored genes ({} protein-coding):",
                c.scored_genes, c.scored_protein_coding
            )?;
            let pct = |a: u64, b: u64| 100.0 * a as f64 / b.max(1) as f64;
            for (r, c) in &covered {
                writeln!(
                    out,
                    "{:<18} {:>6} genes ({:>5.1} %), protein-coding {:>6} ({:>5.1} %)",
                    r.source,
                    c.covered_genes,
                    pct(c.covered_genes, c.scored_genes),
                    c.covered_protein_coding,
                    pct(c.covered_protein_coding, c.scored_protein_coding)
                )?;
            }
        }
        let c = &self.curation;
        if c.file.is_some() || c.applied_sha256.is_some() {
            let counts: Vec<String> = c.in_force.iter().map(|(k, n)| format!("{n} {k}")).collect();
            writeln!(
                out,
                "\ncurator decisions ({}): {} in force, {} stale",
                c.file.as_deref().unwrap_or("no curation file"),
                if counts.is_empty() {
                    "none".to_string()
                } else {
                    counts.join(", ")
                },
                c.stale.len()
            )?;
            if c.pending {
                writeln!(
                    out,
                    "  the curation file changed since the last normalization: run `kgdb normalize`"
                )?;
            }
            for s in &c.stale {
                writeln!(
                    out,
                    "  STALE {}: {} ({}, {})",
                    s.decision, s.why, s.curator, s.date
                )?;
            }
        }
        let mb = |b: u64| b as f64 / 1e6;
        let d = &self.data_folder;
        writeln!(
            out,
            "\ndata folder {}: {:.1} MB (raw downloads {:.1} MB, release archive {:.1} MB; \
             `kgdb gc` lists what can go)",
            d.path,
            mb(d.bytes),
            mb(d.raw_bytes),
            mb(d.releases_bytes)
        )?;
        Ok(())
    }

    /// A stale source is degraded (1), so monitoring can alert on `kgdb status`.
    fn exit(&self) -> Exit {
        if self.rows.iter().any(|r| r.state.is_stale()) {
            Exit::Degraded
        } else {
            Exit::Ok
        }
    }
}

/// `kgdb status` (`json`: print the `--json` document).
pub fn execute(ctx: &App, json: bool) -> Result<StatusSummary, CmdError> {
    let store = Store::open(&ctx.data_dir)?;
    let mut out = Vec::new();
    let registry = &ctx.registry;
    for source in registry.names().chain(registry.annotation_names()) {
        let Some(state) = SourceState::of_configured(&store, registry, source)? else {
            continue;
        };
        let rows = match registry.source(source) {
            Some(s) => s.stored_rows(&store)?,
            None => store.staged_count(source)?,
        };
        let (kind, coverage) = if registry.annotation(source).is_some() {
            (Kind::Annotation, Some(store.annotation_coverage(source)?))
        } else {
            (Kind::Source, None)
        };
        out.push(StatusRow {
            source: source.to_string(),
            kind,
            state,
            rows,
            coverage,
        });
    }
    Ok(StatusSummary {
        rows: out,
        data_folder: DataFolder::of(&ctx.data_dir),
        json,
        curation: curation_status(ctx, &store)?,
    })
}

/// The curation file now against what the last normalization applied.
pub fn curation_status(ctx: &App, store: &Store) -> Result<CurationStatus, CmdError> {
    let cur = &ctx.registry.curation;
    let state = store.curation_state()?;
    let applied_sha256 = state.and_then(|s| s.sha256);
    let mut out = CurationStatus {
        file: cur.file.as_ref().map(|f| f.display().to_string()),
        sha256: cur.sha256.clone(),
        pending: applied_sha256 != cur.sha256,
        applied_sha256,
        ..Default::default()
    };
    let mut seen = std::collections::BTreeSet::new();
    for r in store.curation_log()? {
        if r.status == "stale" {
            out.stale.push(StaleJson {
                decision: r.decision,
                why: r.change,
                reason: r.reason,
                curator: r.curator,
                date: r.date,
            });
        } else if seen.insert((r.kind.clone(), r.decision.clone())) {
            *out.in_force.entry(r.kind).or_default() += 1;
        }
    }
    Ok(out)
}
