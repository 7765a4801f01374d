//! `kgdb normalize`: map every staged gene to an HGNC ID and write the review file.
//!
//! Why a stage of its own: the [`Normalizer`] decides; this module runs it over every staged
//! identity, stores the decisions (the audit log) and lists for people the inputs that need a
//! look (ambiguous, withdrawn or unknown genes reported by an evidence source).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::PathBuf;

use crate::Exit;
use crate::lock::RunLock;
use crate::normalize::Normalizer;
use crate::store::{LogEntry, StagedIdentity, Store};

use super::{App, CmdError, Summary, write_atomic};

/// Counts of one normalization run.
#[derive(Debug, Clone, Default)]
pub struct NormalizeSummary {
    /// source -> (outcome or method) -> staged rows.
    pub counts: BTreeMap<String, BTreeMap<String, u64>>,
    pub review_file: PathBuf,
    pub review_entries: usize,
    /// Curator decisions applied and gone stale.
    pub decisions_applied: usize,
    pub decisions_stale: usize,
}

impl Summary for NormalizeSummary {
    fn print(&self, out: &mut dyn Write, _err: &mut dyn Write) -> io::Result<()> {
        for (source, counts) in &self.counts {
            let total: u64 = counts.values().sum();
            let parts: Vec<String> = counts
                .iter()
                .map(|(k, v)| format!("{k} {v} ({:.1}%)", 100.0 * *v as f64 / total.max(1) as f64))
                .collect();
            writeln!(out, "{source}: {total} rows: {}", parts.join(", "))?;
        }
        if self.counts.is_empty() {
            writeln!(out, "nothing staged yet")?;
        }
        writeln!(
            out,
            "{} inputs to review in {}",
            self.review_entries,
            self.review_file.display()
        )?;
        if self.decisions_applied + self.decisions_stale > 0 {
            writeln!(
                out,
                "curator decisions: {} changes applied, {} stale (see `kgdb review`)",
                self.decisions_applied, self.decisions_stale
            )?;
        }
        Ok(())
    }

    fn exit(&self) -> Exit {
        Exit::Ok
    }
}

/// Build the normalizer from the HGNC tables of a store.
pub fn normalizer(store: &Store) -> Result<Normalizer, CmdError> {
    let genes = store.hgnc_genes()?;
    if genes.is_empty() {
        return Err(CmdError::HgncMissing {
            db: store.path().to_path_buf(),
        });
    }
    Ok(Normalizer::new(genes, store.hgnc_withdrawn()?))
}

/// Resolve a batch of staged identities.
pub fn normalize_identities(
    n: &Normalizer,
    identities: &[(StagedIdentity, u64)],
) -> Vec<(StagedIdentity, LogEntry)> {
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
pub fn execute(ctx: &App) -> Result<NormalizeSummary, CmdError> {
    let lock = RunLock::acquire(&ctx.data_dir, "normalize")?;
    super::note_take_over(ctx, lock.taken_over());
    locked(ctx, &lock)
}

pub(super) fn locked(ctx: &App, lock: &RunLock) -> Result<NormalizeSummary, CmdError> {
    let store = Store::open_for_writing(lock)?;
    let n = normalizer(&store)?;
    let run_id = store.begin_run("normalize", &ctx.registry.config.sha256)?;
    let identities = store.staged_identities()?;
    let mut results = normalize_identities(&n, &identities);
    // The curator's decisions, in their documented order (crate::normalize::curation).
    let curation = &ctx.registry.curation;
    let applied = crate::normalize::curation::apply(curation, &n, &mut results);
    store.save_normalization(run_id, &results)?;
    let mut log = applied.log;
    let mut records = Vec::new();
    for (d, source, key) in crate::normalize::curation::record_excludes(curation) {
        let found = store.staged_record(source, key)?;
        if found.is_some() {
            records.push((source, key));
        }
        log.push(crate::normalize::curation::record_row(
            d, &n, source, key, found,
        ));
    }
    let file = curation.file.as_ref().map(|f| f.display().to_string());
    store.save_curation(
        run_id,
        file.as_deref(),
        curation.sha256.as_deref(),
        &log,
        &applied.excluded,
        &records,
    )?;
    let excluded: std::collections::HashSet<&StagedIdentity> = applied.excluded.iter().collect();

    let mut summary = NormalizeSummary {
        review_file: ctx.data_dir.join("normalization_review.tsv"),
        ..Default::default()
    };
    let mut review = String::from("source\treported\toutcome\tmethod\tcandidates\trows\n");
    for (id, e) in &results {
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
        // A name a curator excluded needs no second look.
        if e.outcome != "resolved"
            && ctx.registry.source(&e.source).is_some()
            && !excluded.contains(id)
        {
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
    summary.decisions_applied = log.iter().filter(|r| r.status == "applied").count();
    summary.decisions_stale = log.iter().filter(|r| r.status == "stale").count();
    write_atomic(&summary.review_file, review.as_bytes())?;
    store.finish_run(run_id, "ok")?;
    Ok(summary)
}
