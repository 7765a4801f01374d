//! `kgdb build -o DIR`: render the site of the current scores as a new release.
//!
//! Why a command module: the renderer ([`crate::site`]) is a pure function of [`SiteData`]
//! (gathered by [`crate::site_data`]); this module names the release, compares it with the
//! previous one, and records it only once the new site is in place (a failed build is no
//! release).
//!
//! [`SiteData`]: crate::site::model::SiteData

use std::io::{self, Write};
use std::path::Path;

use crate::Exit;
use crate::lock::{OutputLock, RunLock};
use crate::store::{Store, now_utc};

use super::{App, CmdError, Summary};

/// What `kgdb build` published.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    pub release: String,
    pub report: crate::site::BuildReport,
    pub changes: crate::changes::ReleaseChanges,
    /// Sources shown as stale (failed last time, or older than their max age).
    pub stale_sources: Vec<String>,
}

impl Summary for BuildSummary {
    fn print(&self, out: &mut dyn Write, _err: &mut dyn Write) -> io::Result<()> {
        let r = &self.report;
        writeln!(
            out,
            "release {}: {} genes, {} files ({:.1} MB) in {} ms -> {}",
            self.release,
            r.genes,
            r.files,
            r.bytes as f64 / 1e6,
            r.elapsed_ms,
            r.out.display()
        )?;
        writeln!(
            out,
            "  gene table {:.0} KB gzip; largest gene page {}",
            r.index_gzip_bytes as f64 / 1024.0,
            r.largest_gene_page
                .as_ref()
                .map(|(p, n)| format!("{p} ({:.1} KB)", *n as f64 / 1024.0))
                .unwrap_or_default()
        )?;
        match &self.changes.previous {
            Some(prev) => writeln!(
                out,
                "  since {prev}: {} added, {} removed, {} changed tier or classic count",
                self.changes.added.len(),
                self.changes.removed.len(),
                self.changes.changed.len()
            )?,
            None => writeln!(out, "  first release")?,
        }
        if !self.stale_sources.is_empty() {
            writeln!(out, "  shown as stale: {}", self.stale_sources.join(", "))?;
        }
        Ok(())
    }

    fn exit(&self) -> Exit {
        Exit::Ok
    }
}

/// `kgdb build -o DIR`: render the site of the current scores as a new release.
pub fn execute(ctx: &App, out: &Path) -> Result<BuildSummary, CmdError> {
    let lock = RunLock::acquire(&ctx.data_dir, "build")?;
    super::note_take_over(ctx, lock.taken_over());
    let out_lock = OutputLock::acquire(out, "build")?;
    super::note_take_over(ctx, out_lock.taken_over());
    locked(ctx, &lock, &out_lock, out)
}

/// `out_lock` (of `out`) keeps another data folder from building into `out` meanwhile.
pub(super) fn locked(
    ctx: &App,
    lock: &RunLock,
    _out_lock: &OutputLock,
    out: &Path,
) -> Result<BuildSummary, CmdError> {
    let store = Store::open_for_writing(lock)?;
    let built_at = now_utc();
    let release = crate::changes::release_name(&built_at, &store.release_names()?);
    // The annotations of the scored genes as normalized now (an annotation fetched and
    // normalized after the last `kgdb score` shows up without re-scoring).
    store.rebuild_annotations(&ctx.registry.annotation_names().collect::<Vec<_>>())?;
    let mut data = crate::site_data::load(&ctx.registry, &store, &release, &built_at)?;
    if data.genes.is_empty() {
        return Err(CmdError::NothingToBuild {
            db: store.path().to_path_buf(),
        });
    }
    let genes = data.released_genes();
    let previous = store.latest_release()?;
    let changes = crate::changes::diff(&release, &built_at, previous.as_ref(), &genes);
    data.changes.push(changes.clone());
    for older in store.release_changes()? {
        if let Ok(c) = serde_json::from_str(&older) {
            data.changes.push(c);
        }
    }
    // The site, with a Parquet copy of each table among the downloads.
    let report = crate::site::render_with(&data, &ctx.registry, &[&crate::parquet::Parquet], out)?;
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
