//! `kgdb status`: per source and annotation the last success, upstream version, age, rows
//! and last error, and which are stale.
//!
//! Why: the nightly job is unattended; this is what a person (or monitoring, through the
//! exit code) reads to see whether the published data is current.

use std::io::{self, Write};

use crate::Exit;
use crate::annotations::model::ANNOTATION_NAMES;
use crate::config::SOURCE_NAMES;
use crate::store::Store;

use super::{App, CmdError, Summary};

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

/// What `kgdb status` shows: every source, then every annotation with its coverage of
/// scored genes.
#[derive(Debug, Clone)]
pub struct StatusSummary {
    pub rows: Vec<StatusRow>,
}

impl Summary for StatusSummary {
    fn print(&self, out: &mut dyn Write, _err: &mut dyn Write) -> io::Result<()> {
        let rows = &self.rows;
        writeln!(
            out,
            "{:<18} {:<9} {:<21} {:<36} {:>8} {:>9}  last error",
            "source", "state", "last success", "version", "age (d)", "rows"
        )?;
        for r in rows {
            let state = if !r.enabled {
                "disabled"
            } else if r.is_stale() {
                "STALE"
            } else {
                "fresh"
            };
            writeln!(
                out,
                "{:<18} {:<9} {:<21} {:<36} {:>8} {:>9}  {}",
                r.source,
                state,
                r.last_success.as_deref().unwrap_or("never"),
                r.upstream_version.as_deref().unwrap_or("-"),
                r.age_days
                    .map(|a| format!("{a:.1}"))
                    .unwrap_or_else(|| "-".into()),
                r.rows,
                if r.last_status.as_deref() == Some("failed") {
                    r.last_error.as_deref().unwrap_or("")
                } else {
                    ""
                }
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
        Ok(())
    }

    /// A stale source is degraded (1), so monitoring can alert on `kgdb status`.
    fn exit(&self) -> Exit {
        if self.rows.iter().any(|r| r.is_stale()) {
            Exit::Degraded
        } else {
            Exit::Ok
        }
    }
}

/// `kgdb status`.
pub fn execute(ctx: &App) -> Result<StatusSummary, CmdError> {
    let store = Store::open(&ctx.data_dir)?;
    let now = time::OffsetDateTime::now_utc();
    let mut out = Vec::new();
    let names = SOURCE_NAMES.iter().chain(ANNOTATION_NAMES.iter());
    for &source in names {
        let (common, is_annotation) = match ctx.config.raw.sources.common(source) {
            Some(c) => (c, false),
            None => match ctx.config.raw.annotations.info(source) {
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
        let rows = if source == "hgnc" {
            store.hgnc_count()?
        } else {
            store.staged_count(source)?
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
    Ok(StatusSummary { rows: out })
}
