//! `kgdb status`: per source and annotation the last success, upstream version, age, rows
//! and last error, and which are stale.
//!
//! Why: the nightly job is unattended; this is what a person (or monitoring, through the
//! exit code) reads to see whether the published data is current.

use std::io::{self, Write};

use crate::Exit;
use crate::source_state::{Freshness, SourceState};
use crate::store::Store;

use super::{App, CmdError, Summary};

/// One line of `kgdb status`.
#[derive(Debug, Clone)]
pub struct StatusRow {
    pub source: String,
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

/// `kgdb status`.
pub fn execute(ctx: &App) -> Result<StatusSummary, CmdError> {
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
        let coverage = if registry.annotation(source).is_some() {
            Some(store.annotation_coverage(source)?)
        } else {
            None
        };
        out.push(StatusRow {
            source: source.to_string(),
            state,
            rows,
            coverage,
        });
    }
    Ok(StatusSummary { rows: out })
}
