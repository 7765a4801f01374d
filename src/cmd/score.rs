//! `kgdb score`: evidence from the normalized staged rows, then per-source scores, totals
//! and tiers (SCORING.md), and the deterministic `scores.tsv` export.
//!
//! Why a command module: the scoring itself ([`crate::score`]) is a pure function of evidence
//! rows; this module reads them from the store, writes the results back, and says what came
//! out.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::PathBuf;

use crate::Exit;
use crate::lock::RunLock;
use crate::store::Store;

use super::{App, CmdError, Summary, write_atomic};

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

impl Summary for ScoreSummary {
    fn print(&self, out: &mut dyn Write, _err: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "scored {} genes from {} evidence rows in {:.1} ms; export {}",
            self.genes,
            self.evidence_rows,
            self.scoring_time.as_secs_f64() * 1000.0,
            self.export.display()
        )?;
        for (tier, n) in &self.tiers {
            writeln!(out, "  {tier:<24} {n:>6}")?;
        }
        let classic: Vec<String> = self
            .classic
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        writeln!(out, "  classic evidence count   {}", classic.join(", "))?;
        let annotated: Vec<String> = self
            .annotated
            .iter()
            .map(|(a, n)| format!("{a} {n}"))
            .collect();
        writeln!(out, "  genes annotated          {}", annotated.join(", "))
    }

    fn exit(&self) -> Exit {
        Exit::Ok
    }
}

/// `kgdb score`: evidence from the normalized staged rows, then scores (SCORING.md).
pub fn execute(ctx: &App) -> Result<ScoreSummary, CmdError> {
    let lock = RunLock::acquire(&ctx.data_dir, "score")?;
    super::note_take_over(ctx, lock.taken_over());
    locked(ctx, &lock)
}

pub(super) fn locked(ctx: &App, lock: &RunLock) -> Result<ScoreSummary, CmdError> {
    let store = Store::open_for_writing(lock)?;
    let run_id = store.begin_run("score", &ctx.registry.config.sha256)?;
    let settings = ctx.registry.scoring_settings();
    let evidence = crate::evidence::build(&store, &ctx.registry, &settings)?;
    if evidence.is_empty() {
        store.finish_run(run_id, "failed")?;
        return Err(CmdError::NothingToScore {
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
    let annotated =
        store.rebuild_annotations(&ctx.registry.annotation_names().collect::<Vec<_>>())?;
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
