//! `kgdb build -o DIR`: render the site of the current scores as a new release.
//!
//! Why a command module: the renderer ([`crate::site`]) is a pure function of [`SiteData`]
//! (gathered by [`crate::site_data`]); this module names the release, compares it with the
//! previous one, and records it only once the new site is in place (a failed build is no
//! release).
//!
//! [`SiteData`]: crate::site::model::SiteData

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::Exit;
use crate::archive::{Archive, Header, Manifest};
use crate::lock::{OutputLock, RunLock};
use crate::site::publish::{self, Published};
use crate::store::{Store, now_utc};

use super::{App, CmdError, Summary};

/// What `kgdb build` published.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    /// The current release: the new one, or the one that stays current.
    pub release: String,
    /// A new release was cut (false: what it would publish equals the current release).
    pub new_release: bool,
    /// The rendering of the new release.
    pub report: Option<crate::site::BuildReport>,
    /// The new release's changes against the previous one.
    pub changes: Option<crate::changes::ReleaseChanges>,
    /// Sources shown as stale (failed last time, or older than their max age).
    pub stale_sources: Vec<String>,
    /// The site written to the output folder (None: it showed the current release already).
    pub published: Option<Published>,
    /// Releases of an older site taken into the archive (first build with this kgdb).
    pub migrated: usize,
    pub out: PathBuf,
    /// The protein network: genes, links, clusters, milliseconds in all, per phase.
    pub network: Option<(usize, usize, usize, u128, crate::network::Timings)>,
}

impl Summary for BuildSummary {
    fn print(&self, out: &mut dyn Write, _err: &mut dyn Write) -> io::Result<()> {
        if self.migrated > 0 {
            writeln!(
                out,
                "took {} release(s) of the existing site into the release archive",
                self.migrated
            )?;
        }
        let Some(r) = self.report.as_ref().filter(|_| self.new_release) else {
            writeln!(out, "no change; release {} stays current", self.release)?;
            if let Some(p) = &self.published {
                writeln!(
                    out,
                    "  site restored from the release archive: {} files -> {}",
                    p.files,
                    self.out.display()
                )?;
            }
            return Ok(());
        };
        writeln!(
            out,
            "release {}: {} genes, {} files ({:.1} MB) in {} ms -> {}",
            self.release,
            r.genes,
            r.files,
            r.bytes as f64 / 1e6,
            r.elapsed_ms,
            self.out.display()
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
        match self
            .changes
            .as_ref()
            .and_then(|c| c.previous.as_ref().map(|p| (c, p)))
        {
            Some((c, prev)) => writeln!(
                out,
                "  since {prev}: {} added, {} removed, {} changed tier or classic count",
                c.added.len(),
                c.removed.len(),
                c.changed.len()
            )?,
            None => writeln!(out, "  first release")?,
        }
        if let Some((genes, links, clusters, ms, t)) = self.network {
            writeln!(
                out,
                "  network: {genes} genes, {links} links, {clusters} clusters in {ms} ms \
                 (clustering {:.0}, layout {:.0}, enrichment {:.0}, the rest gathering input)",
                t.clustering_ms, t.layout_ms, t.enrichment_ms
            )?;
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

/// `kgdb build -o DIR`: render the site of the current scores as a new release when what it
/// publishes changed; otherwise (re)assemble the current release's site from the archive
/// when the output does not show it.
pub fn execute(ctx: &App, out: &Path) -> Result<BuildSummary, CmdError> {
    let lock = RunLock::acquire(&ctx.data_dir, "build")?;
    super::note_take_over(ctx, lock.taken_over());
    let out_lock = OutputLock::acquire(out, "build")?;
    super::note_take_over(ctx, out_lock.taken_over());
    locked(ctx, &lock, &out_lock, out)
}

/// What the current site would be computed from: the kgdb version, the configuration, the
/// newest load that changed stored rows, and which sources' last fetch failed (the site
/// shows them as stale). A release records it, so the nightly can tell without normalizing,
/// scoring or rendering that nothing new can come out.
pub(super) fn inputs_key(ctx: &App, store: &Store) -> Result<String, CmdError> {
    use sha2::Digest;
    // The curation file counts: an edited decision must reach the next release even on a
    // night when every upstream file answers 304.
    let text = format!(
        "kgdb {}\nconfig {}\ncuration {}\nload {}\nfailed {}\n",
        crate::VERSION,
        ctx.registry.config.sha256,
        ctx.registry.curation.sha256.as_deref().unwrap_or("none"),
        store.last_load_id()?,
        store.failed_sources()?.join(",")
    );
    Ok(hex::encode(sha2::Sha256::digest(text.as_bytes())))
}

/// `out_lock` (of `out`) keeps another data folder from building into `out` meanwhile.
pub(super) fn locked(
    ctx: &App,
    lock: &RunLock,
    _out_lock: &OutputLock,
    out: &Path,
) -> Result<BuildSummary, CmdError> {
    publish::check_output(out)?;
    publish::recover(out)?;
    let store = Store::open_for_writing(lock)?;
    let archive = Archive::of(&ctx.data_dir);
    let migrated = migrate_site(&archive, &store, out)?;
    let inputs = inputs_key(ctx, &store)?;
    // Built from the same inputs as the current release: nothing new can come out, so
    // neither gather nor render (the site is restored from the archive if it is missing).
    if let Some(latest) = archive.latest()?
        && latest.inputs.as_deref() == Some(inputs.as_str())
    {
        return no_change(&archive, latest, out, Vec::new(), migrated);
    }
    let built_at = now_utc();
    let mut names = store.release_names()?;
    names.extend(archive.releases()?.into_iter().map(|h| h.release));
    let release = crate::changes::release_name(&built_at, &names);
    // The annotations of the scored genes as normalized now (an annotation fetched and
    // normalized after the last `kgdb score` shows up without re-scoring).
    store.rebuild_annotations(&ctx.registry.annotation_names().collect::<Vec<_>>())?;
    let mut data = crate::site_data::load(&ctx.registry, &store, &release, &built_at)?;
    if data.genes.is_empty() {
        return Err(CmdError::NothingToBuild {
            db: store.path().to_path_buf(),
        });
    }
    let stale_sources = data
        .sources
        .iter()
        .filter(|s| s.stale)
        .map(|s| s.name.clone())
        .collect();
    let digest = data.content_digest();

    // Nothing new to publish: the current release stays (now also the release of these
    // inputs); its site is restored if missing.
    if let Some(mut latest) = archive.latest()?
        && latest.digest.as_deref() == Some(digest.as_str())
    {
        latest.inputs = Some(inputs);
        archive.update_header(&latest)?;
        return no_change(&archive, latest, out, stale_sources, migrated);
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
    // Rendered (with a Parquet copy of each table among the downloads) inside the archive, stored as objects, then the manifest: from here on the
    // release exists in the data folder, whatever happens to the output folder.
    let scratch = archive.scratch()?;
    let report = crate::site::render_into_dir(
        &data,
        &ctx.registry,
        &[&crate::parquet::Parquet],
        scratch.path(),
    )?;
    let files = archive.store_dir(scratch.path(), true, &|_| false)?;
    drop(scratch);
    let header = Header {
        release: release.clone(),
        built_at: built_at.clone(),
        kgdb_version: data.kgdb_version.clone(),
        digest: Some(digest),
        inputs: Some(inputs),
        raw: data.input_files(),
    };
    archive.write_manifest(&Manifest { header, files })?;
    let changes_json = serde_json::to_string(&changes).unwrap_or_else(|_| "{}".into());
    store.record_release(&release, &built_at, &genes, &changes_json)?;
    let published = publish::publish(&archive, out)?;
    Ok(BuildSummary {
        release,
        new_release: true,
        report: Some(report),
        changes: Some(changes),
        stale_sources,
        published: Some(published),
        migrated,
        out: out.to_path_buf(),
        network: data.network.as_ref().map(|n| {
            (
                n.net.nodes.len(),
                n.net.edges.len(),
                n.net.clusters.len(),
                n.elapsed_ms,
                n.timings,
            )
        }),
    })
}

/// The current release stays; `out` is (re)assembled from the archive unless it shows it.
fn no_change(
    archive: &Archive,
    latest: Header,
    out: &Path,
    stale_sources: Vec<String>,
    migrated: usize,
) -> Result<BuildSummary, CmdError> {
    let published = if publish::is_current(out, &latest) {
        None
    } else {
        Some(publish::publish(archive, out)?)
    };
    Ok(BuildSummary {
        release: latest.release,
        new_release: false,
        report: None,
        changes: None,
        stale_sources,
        published,
        migrated,
        out: out.to_path_buf(),
        network: None,
    })
}

/// Take the releases of a site built by an older kgdb (its pages, and its `releases/<name>/`
/// downloads) into an empty archive, once: nothing in the output folder is changed or lost.
fn migrate_site(archive: &Archive, store: &Store, out: &Path) -> Result<usize, CmdError> {
    if !archive.releases()?.is_empty() {
        return Ok(0);
    }
    let Some((version, current)) = publish::marker_fields(out) else {
        return Ok(0);
    };
    let built_at = |name: &str| -> Result<String, CmdError> {
        Ok(store.release_built_at(name)?.unwrap_or_else(|| {
            // An unrecorded release: its date from its name (`2026.12.01-2`).
            format!(
                "{}T00:00:00Z",
                name.get(..10).unwrap_or(name).replace('.', "-")
            )
        }))
    };
    let mut n = 0;
    if !archive.has(&current) {
        let files = archive.store_dir(out, false, &|p| {
            p.starts_with("releases/") || p == crate::site::MARKER
        })?;
        let header = Header {
            release: current.clone(),
            built_at: built_at(&current)?,
            kgdb_version: version.clone(),
            digest: None,
            inputs: None,
            raw: Vec::new(),
        };
        archive.write_manifest(&Manifest { header, files })?;
        n += 1;
    }
    let older = out.join("releases");
    let Ok(entries) = std::fs::read_dir(&older) else {
        return Ok(n);
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !e.path().is_dir() || archive.has(&name) {
            continue;
        }
        let files = archive
            .store_dir(&e.path(), false, &|_| false)?
            .into_iter()
            .map(|mut f| {
                f.path = format!("downloads/{}", f.path);
                f
            })
            .collect();
        let header = Header {
            release: name.clone(),
            built_at: built_at(&name)?,
            kgdb_version: version.clone(),
            digest: None,
            inputs: None,
            raw: Vec::new(),
        };
        archive.write_manifest(&Manifest { header, files })?;
        n += 1;
    }
    Ok(n)
}
