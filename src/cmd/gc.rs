//! `kgdb gc [--keep N] [--yes]`: free the disk space nothing needs any more.
//!
//! Why: every changed upstream file is stored (content-addressed, under `raw/`) and every
//! release is archived (`releases/`), so a data folder only grows. This command removes the
//! raw downloads that no kept release and no current source run references, and (with
//! `--keep N`) the releases older than the newest N with the archived files only they used.
//! It is a dry run unless `--yes`: it lists what it would delete and how many bytes.
//! It never touches the database, the run log or the output folder.

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::path::Path;

use crate::Exit;
use crate::archive::{Archive, walk};
use crate::lock::RunLock;
use crate::store::Store;

use super::{App, CmdError, Summary};

/// One thing `kgdb gc` removes (or would remove).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Garbage {
    /// Relative to the data folder (a release: its manifest).
    pub path: String,
    pub bytes: u64,
    /// raw_download, release or archived_file.
    pub kind: &'static str,
}

/// What `kgdb gc` found and did.
#[derive(Debug, Clone)]
pub struct GcSummary {
    pub items: Vec<Garbage>,
    pub deleted: bool,
    /// Releases kept in the archive.
    pub kept_releases: Vec<String>,
}

impl GcSummary {
    pub fn bytes(&self) -> u64 {
        self.items.iter().map(|i| i.bytes).sum()
    }
}

impl Summary for GcSummary {
    fn print(&self, out: &mut dyn Write, _err: &mut dyn Write) -> io::Result<()> {
        let verb = if self.deleted {
            "deleted"
        } else {
            "would delete"
        };
        for i in &self.items {
            writeln!(out, "{verb} {:<14} {:>12} B  {}", i.kind, i.bytes, i.path)?;
        }
        let count = |k: &str| self.items.iter().filter(|i| i.kind == k).count();
        writeln!(
            out,
            "{verb} {} files ({:.1} MB): {} raw downloads, {} releases, {} archived files; \
             {} releases kept",
            self.items.len(),
            self.bytes() as f64 / 1e6,
            count("raw_download"),
            count("release"),
            count("archived_file"),
            self.kept_releases.len()
        )?;
        if !self.deleted && !self.items.is_empty() {
            writeln!(out, "dry run: pass --yes to delete")?;
        }
        Ok(())
    }

    fn exit(&self) -> Exit {
        Exit::Ok
    }
}

/// `kgdb gc [--keep N] [--yes]`.
pub fn execute(ctx: &App, keep: Option<u64>, yes: bool) -> Result<GcSummary, CmdError> {
    let lock = RunLock::acquire(&ctx.data_dir, "gc")?;
    super::note_take_over(ctx, lock.taken_over());
    let store = Store::open_for_writing(&lock)?;
    let archive = Archive::of(&ctx.data_dir);
    let releases = archive.releases()?;
    // The newest release is always kept: the site is made from it.
    let keep_from = keep.map_or(0, |n| {
        releases
            .len()
            .saturating_sub(usize::try_from(n.max(1)).unwrap_or(usize::MAX))
    });
    let (gone, kept) = releases.split_at(keep_from);
    let mut items = Vec::new();
    for h in gone {
        let path = format!("releases/manifests/{}.manifest", h.release);
        let bytes = std::fs::metadata(ctx.data_dir.join(&path)).map_or(0, |m| m.len());
        items.push(Garbage {
            path,
            bytes,
            kind: "release",
        });
    }
    let kept_names: Vec<String> = kept.iter().map(|h| h.release.clone()).collect();
    let used = archive.referenced(&kept_names)?;
    for (sha, bytes) in archive.objects()? {
        if !used.contains(&sha) {
            let path = archive.object_path(&sha);
            items.push(Garbage {
                path: relative(&ctx.data_dir, &path),
                bytes,
                kind: "archived_file",
            });
        }
    }
    // Raw downloads: kept when a kept release was built from them (by checksum, the file's
    // name) or the current source runs use them.
    let by_release: BTreeSet<&str> = kept
        .iter()
        .flat_map(|h| &h.raw)
        .map(String::as_str)
        .collect();
    let current = store.current_raw_paths()?;
    let raw = ctx.data_dir.join("raw");
    let mut files = Vec::new();
    if raw.is_dir() {
        walk(&ctx.data_dir, &raw, &mut files).map_err(|source| CmdError::Io {
            path: raw.clone(),
            source,
        })?;
    }
    for rel in files {
        let name = rel.rsplit('/').next().unwrap_or(&rel);
        let sha = name.split('.').next().unwrap_or(name);
        if current.contains(&rel) || by_release.contains(sha) {
            continue;
        }
        let bytes = std::fs::metadata(ctx.data_dir.join(&rel)).map_or(0, |m| m.len());
        items.push(Garbage {
            path: rel,
            bytes,
            kind: "raw_download",
        });
    }
    if yes {
        // Releases first: an archived file is deleted only once no manifest names it.
        for h in gone {
            archive.remove_release(&h.release)?;
        }
        for i in &items {
            match i.kind {
                "archived_file" => {
                    let sha = i.path.rsplit('/').take(2).collect::<Vec<_>>();
                    archive.remove_object(&format!("{}{}", sha[1], sha[0]))?;
                }
                "raw_download" => {
                    let path = ctx.data_dir.join(&i.path);
                    std::fs::remove_file(&path).map_err(|source| CmdError::Io { path, source })?;
                }
                _ => {}
            }
        }
    }
    Ok(GcSummary {
        items,
        deleted: yes,
        kept_releases: kept_names,
    })
}

fn relative(base: &Path, p: &Path) -> String {
    p.strip_prefix(base)
        .unwrap_or(p)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
