//! Publishing: the output folder is assembled from the release archive and swapped in.
//!
//! Why apart from rendering: the site is a copy of the archive ([`crate::archive`]), made
//! of the newest release's files plus every release's downloads under `releases/<name>/`,
//! so the same function restores a deleted site byte for byte and publishes a new release.
//! The swap must never leave the output without a whole site, nor delete the only copy:
//! - a plain folder is exchanged with the assembled one in one atomic `renameat2
//!   (RENAME_EXCHANGE)` on Linux (elsewhere two renames; a crash between them leaves the old
//!   site in `.<name>.old-*`, which the next build puts back instead of deleting);
//! - a symbolic link keeps being a link: the new site is assembled beside the link's target
//!   (`<link>.<release>`), a new link is renamed over the old one (atomic), then the old
//!   target is removed.
//!
//! Files are hard links to the archive's objects where the file system allows (else
//! copies): a site costs no space twice and publishing is quick.
//!
//! `KGDB_TEST_CRASH_AT=swap:N` aborts the process at step N of the swap (tests only; see
//! tests/it/archive.rs).

use std::fs;
use std::path::{Path, PathBuf};

use crate::archive::{Archive, Header};

use super::{MARKER, SiteError, io};

/// What [`publish`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    /// The folder the site is in (the link's new target for a symbolic link).
    pub dir: PathBuf,
    pub files: usize,
}

/// The marker text of a site showing `header`'s release.
pub fn marker_text(header: &Header) -> String {
    format!("kgdb {} release {}\n", header.kgdb_version, header.release)
}

/// Whether `out` shows `header`'s release already (its marker names it).
pub fn is_current(out: &Path, header: &Header) -> bool {
    fs::read_to_string(out.join(MARKER)).is_ok_and(|t| t == marker_text(header))
}

/// The kgdb version and release a site's marker names (`kgdb V release R`).
pub fn marker_fields(out: &Path) -> Option<(String, String)> {
    let text = fs::read_to_string(out.join(MARKER)).ok()?;
    let rest = text.trim().strip_prefix("kgdb ")?;
    let (version, release) = rest.split_once(" release ")?;
    Some((version.to_string(), release.to_string()))
}

/// Abort here when the test hook names this step (`KGDB_TEST_CRASH_AT=swap:N`).
fn crash_point(step: u32) {
    if let Ok(v) = std::env::var("KGDB_TEST_CRASH_AT")
        && v.strip_prefix("swap:").and_then(|n| n.parse().ok()) == Some(step)
    {
        eprintln!("kgdb: KGDB_TEST_CRASH_AT={v}: aborting");
        std::process::abort();
    }
}

fn parent_of(p: &Path) -> PathBuf {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn name_of(p: &Path) -> Result<String, SiteError> {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| SiteError::Io {
            path: p.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the output must be a named folder",
            ),
        })
}

/// Refuse an output that is neither missing, empty, nor a kgdb site (checked before any
/// work). A symbolic link is judged by its target.
pub fn check_output(out: &Path) -> Result<(), SiteError> {
    let dir = match fs::symlink_metadata(out) {
        Ok(m) if m.file_type().is_symlink() => link_target(out)?.1,
        _ => out.to_path_buf(),
    };
    if dir.exists() && !dir.join(MARKER).exists() {
        let empty = fs::read_dir(&dir).map_err(io(&dir))?.next().is_none();
        if !empty {
            return Err(SiteError::NotASite(out.to_path_buf()));
        }
    }
    Ok(())
}

/// A link's target as written, and as a path from here.
fn link_target(link: &Path) -> Result<(PathBuf, PathBuf), SiteError> {
    let text = fs::read_link(link).map_err(io(link))?;
    let resolved = if text.is_absolute() {
        text.clone()
    } else {
        parent_of(link).join(&text)
    };
    Ok((text, resolved))
}

/// Assemble the archive's newest release (with every release's downloads) into `out` and
/// swap it in. Leftovers of a build that died are recovered first: a previous site moved
/// aside is put back when `out` is missing, never deleted while it is the only copy.
pub fn publish(archive: &Archive, out: &Path) -> Result<Published, SiteError> {
    let archive_err = |e: crate::archive::ArchiveError| SiteError::Io {
        path: archive.root().to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    };
    let releases = archive.releases().map_err(archive_err)?;
    let Some(latest) = releases.last() else {
        return Err(SiteError::Io {
            path: archive.root().to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "the release archive is empty: nothing to publish",
            ),
        });
    };
    let is_link = fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink());
    let name = name_of(out)?;
    let parent = parent_of(out);
    fs::create_dir_all(&parent).map_err(io(&parent))?;
    check_output(out)?;
    recover(out)?;

    // Assemble.
    let new_dir = if is_link {
        let (_, target) = link_target(out)?;
        let base = parent_of(&target).join(format!("{name}.{}", latest.release));
        let mut dir = base.clone();
        let mut i = 1;
        while fs::symlink_metadata(&dir).is_ok() {
            i += 1;
            dir = PathBuf::from(format!("{}.{i}", base.display()));
        }
        fs::create_dir_all(&dir).map_err(io(&dir))?;
        dir
    } else {
        tempfile::Builder::new()
            .prefix(&format!(".{name}.tmp-"))
            .tempdir_in(&parent)
            .map_err(io(&parent))?
            .keep()
    };
    let files = match assemble(archive, &releases, &new_dir) {
        Ok(n) => n,
        Err(e) => {
            let _ = fs::remove_dir_all(&new_dir);
            return Err(e);
        }
    };
    crash_point(1);

    if is_link {
        swap_link(out, &name, &new_dir)?;
    } else if fs::symlink_metadata(out).is_ok() {
        swap_dirs(out, &parent, &name, &new_dir)?;
    } else {
        fs::rename(&new_dir, out).map_err(io(out))?;
        crash_point(2);
    }
    Ok(Published {
        dir: if is_link { new_dir } else { out.to_path_buf() },
        files,
    })
}

/// Clean up after a build that died while publishing into `out` (callers hold the output
/// lock): a whole site left aside is put back when `out` is missing; what is not the site
/// is removed. Never deletes the only whole copy.
pub fn recover(out: &Path) -> Result<(), SiteError> {
    let name = name_of(out)?;
    if fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink()) {
        recover_link(out, &name)
    } else {
        recover_plain(out, &parent_of(out), &name)
    }
}

/// Build the site of `releases` (oldest first) in the empty folder `dir`.
fn assemble(archive: &Archive, releases: &[Header], dir: &Path) -> Result<usize, SiteError> {
    let archive_err = |e: crate::archive::ArchiveError| SiteError::Io {
        path: archive.root().to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    };
    let mut files = 0;
    let latest = releases.last().map(|h| h.release.clone());
    for h in releases {
        let m = archive.manifest(&h.release).map_err(archive_err)?;
        if Some(&h.release) == latest.as_ref() {
            for e in &m.files {
                place(archive, &e.sha256, &dir.join(&e.path))?;
                files += 1;
            }
        }
        for (file, e) in m.downloads() {
            let to = dir.join("releases").join(&h.release).join(file);
            place(archive, &e.sha256, &to)?;
            files += 1;
        }
    }
    if let Some(h) = releases.last() {
        fs::write(dir.join(MARKER), marker_text(h)).map_err(io(dir))?;
        files += 1;
    }
    Ok(files)
}

/// Put the object `sha256` at `to` (a hard link, or a copy across file systems).
fn place(archive: &Archive, sha256: &str, to: &Path) -> Result<(), SiteError> {
    let from = archive.object_path(sha256);
    if let Some(d) = to.parent() {
        fs::create_dir_all(d).map_err(io(d))?;
    }
    if fs::hard_link(&from, to).is_err() {
        fs::copy(&from, to).map_err(io(&from))?;
    }
    Ok(())
}

/// Leftovers beside a plain output folder: `.<name>.tmp-*` (an assembled site never swapped
/// in, or after an exchange the old site) are removed when `out` is a whole site; an old
/// site moved aside (`.<name>.old-*`) is put back when `out` is missing.
fn recover_plain(out: &Path, parent: &Path, name: &str) -> Result<(), SiteError> {
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    let mut aside = Vec::new();
    let mut tmp = Vec::new();
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.starts_with(&format!(".{name}.old-")) {
            aside.push(e.path());
        } else if n.starts_with(&format!(".{name}.tmp-")) {
            tmp.push(e.path());
        }
    }
    if fs::symlink_metadata(out).is_err() {
        // The only copy may be aside: put back a whole one (it has the marker).
        if let Some(whole) = aside
            .iter()
            .chain(tmp.iter())
            .find(|p| p.join(MARKER).is_file())
        {
            fs::rename(whole, out).map_err(io(out))?;
        }
    }
    for p in aside.iter().chain(tmp.iter()) {
        if p.exists() {
            fs::remove_dir_all(p).map_err(io(p))?;
        }
    }
    Ok(())
}

/// Leftovers beside a linked output: the temporary link, and sites assembled beside the
/// target (`<name>.<release>…`) that the link does not point to.
fn recover_link(out: &Path, name: &str) -> Result<(), SiteError> {
    let tmp_link = parent_of(out).join(format!(".{name}.link-tmp"));
    if fs::symlink_metadata(&tmp_link).is_ok() {
        fs::remove_file(&tmp_link).map_err(io(&tmp_link))?;
    }
    let (_, target) = link_target(out)?;
    let current = fs::canonicalize(&target).ok();
    let Ok(entries) = fs::read_dir(parent_of(&target)) else {
        return Ok(());
    };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        let p = e.path();
        if n.starts_with(&format!("{name}."))
            && p.is_dir()
            && p.join(MARKER).is_file()
            && fs::canonicalize(&p).ok() != current
        {
            fs::remove_dir_all(&p).map_err(io(&p))?;
        }
    }
    Ok(())
}

/// Replace the folder `out` with `new_dir` (both in `parent`).
pub(super) fn swap_dirs(
    out: &Path,
    parent: &Path,
    name: &str,
    new_dir: &Path,
) -> Result<(), SiteError> {
    #[cfg(target_os = "linux")]
    {
        let exchanged = rustix::fs::renameat_with(
            rustix::fs::CWD,
            new_dir,
            rustix::fs::CWD,
            out,
            rustix::fs::RenameFlags::EXCHANGE,
        );
        if exchanged.is_ok() {
            crash_point(2);
            // `new_dir` now holds the old site.
            fs::remove_dir_all(new_dir).map_err(io(new_dir))?;
            crash_point(3);
            return Ok(());
        }
    }
    // Two renames: the old site aside, the new one in; a crash between them is recovered by
    // `recover_plain` on the next build.
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if let Err(e) = fs::rename(out, &old) {
        let _ = fs::remove_dir_all(new_dir);
        return Err(io(out)(e));
    }
    crash_point(2);
    if let Err(e) = fs::rename(new_dir, out) {
        let _ = fs::rename(&old, out);
        let _ = fs::remove_dir_all(new_dir);
        return Err(io(out)(e));
    }
    crash_point(3);
    fs::remove_dir_all(&old).map_err(io(&old))?;
    Ok(())
}

/// Point the link `out` at `new_dir` (a new link renamed over it), then remove the old
/// target.
fn swap_link(out: &Path, name: &str, new_dir: &Path) -> Result<(), SiteError> {
    let (text, old_target) = link_target(out)?;
    let new_name = new_dir.file_name().unwrap_or_default();
    // Keep the link's style: a relative link stays relative.
    let new_text = match text.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.join(new_name),
        _ => PathBuf::from(new_name),
    };
    let tmp_link = parent_of(out).join(format!(".{name}.link-tmp"));
    let _ = fs::remove_file(&tmp_link);
    symlink(&new_text, &tmp_link)?;
    crash_point(2);
    fs::rename(&tmp_link, out).map_err(io(out))?;
    crash_point(3);
    if old_target.join(MARKER).is_file()
        && fs::canonicalize(&old_target).ok() != fs::canonicalize(new_dir).ok()
    {
        fs::remove_dir_all(&old_target).map_err(io(&old_target))?;
    }
    Ok(())
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> Result<(), SiteError> {
    std::os::unix::fs::symlink(target, link).map_err(io(link))
}

#[cfg(not(unix))]
fn symlink(_target: &Path, link: &Path) -> Result<(), SiteError> {
    Err(SiteError::Io {
        path: link.to_path_buf(),
        source: std::io::Error::other("symbolic links are supported on Unix only"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_in(dir: &Path, page: &str) {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join("index.html"), page).unwrap();
        fs::write(dir.join(MARKER), "kgdb 0 release 2026.12.01\n").unwrap();
    }

    #[test]
    fn a_site_left_aside_is_put_back_never_deleted() {
        // A crash between the two renames of the fallback swap: no output, the old site
        // aside, and a half-assembled one (no marker yet).
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        site_in(&dir.path().join(".site.old-123"), "old");
        fs::create_dir_all(dir.path().join(".site.tmp-x")).unwrap();
        fs::write(dir.path().join(".site.tmp-x/index.html"), "half").unwrap();
        recover(&out).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(left.len(), 1, "leftovers: {left:?}");
        // With a whole site in place, a copy aside is a leftover.
        site_in(&dir.path().join(".site.old-456"), "older");
        recover(&out).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        assert!(!dir.path().join(".site.old-456").exists());
    }

    #[test]
    fn the_marker_names_version_and_release() {
        let dir = tempfile::tempdir().unwrap();
        site_in(dir.path(), "x");
        assert_eq!(
            marker_fields(dir.path()),
            Some(("0".to_string(), "2026.12.01".to_string()))
        );
    }
}
