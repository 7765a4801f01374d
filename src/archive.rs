//! The release archive: every published release, kept in the data folder, content-addressed.
//!
//! Why: the site is only a copy. Past releases used to live only inside the output folder
//! (`site/releases/`), copied forward by each build, so `rm -rf site`, a new `-o`, or a crash
//! in the swap lost the history. Here each release is a manifest (every file of its site,
//! by path, with its sha256) and the files are objects named by their sha256, so a file that
//! is the same in two releases is stored once. `kgdb build` assembles the whole site, every
//! past release included, from this folder alone.
//!
//! Layout under `<data>/releases/`:
//! - `objects/sha256/ab/cdef…`: the bytes of one file (its sha256 split after two digits);
//! - `manifests/<release>.manifest`: line 1 a JSON [`Header`], then one line per file:
//!   `<sha256> <bytes> <path>` (path relative to the site root, `/`-separated);
//! - `tmp-*`: a release being rendered (removed on the next start if a build died).
//!
//! Writes are crash-safe by order: objects first (each written to a temporary name and
//! renamed), then the manifest (likewise, after a file-system sync), so a manifest never
//! names a missing object. Nothing here deletes except [`Archive::remove_release`] and
//! [`Archive::remove_object`], which only `kgdb gc --yes` calls.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("release archive {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("release archive {path}: {message}")]
    Corrupt { path: PathBuf, message: String },
}

pub type Result<T> = std::result::Result<T, ArchiveError>;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ArchiveError + '_ {
    move |source| ArchiveError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What a release is, besides its files (line 1 of its manifest).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Header {
    pub release: String,
    /// RFC 3339, UTC; orders the releases.
    pub built_at: String,
    pub kgdb_version: String,
    /// The content digest of what the release publishes (genes, evidence, scores, the
    /// sources' files by checksum; no timestamps): an equal digest means nothing to publish.
    /// `None` for a release migrated from an older site.
    #[serde(default)]
    pub digest: Option<String>,
    /// The inputs the release was built from (kgdb version, configuration, the newest
    /// changed load): the nightly skips normalize, score and build when they are the same.
    #[serde(default)]
    pub inputs: Option<String>,
    /// The sha256 of every upstream file the release was built from (`kgdb gc` keeps their
    /// raw downloads while the release is kept).
    #[serde(default)]
    pub raw: Vec<String>,
}

/// One file of a release's site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

/// A release: its header and every file of its site (without `releases/`, which the
/// assembled site derives from all manifests).
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    pub header: Header,
    pub files: Vec<Entry>,
}

impl Manifest {
    /// The release's downloads (the files under `downloads/`), as `(name, entry)`.
    pub fn downloads(&self) -> impl Iterator<Item = (&str, &Entry)> {
        self.files
            .iter()
            .filter_map(|e| Some((e.path.strip_prefix("downloads/")?, e)))
    }
}

/// The release archive of one data folder.
#[derive(Debug, Clone)]
pub struct Archive {
    root: PathBuf,
}

impl Archive {
    /// The archive of `data_dir` (nothing is created until something is stored).
    pub fn of(data_dir: &Path) -> Archive {
        Archive {
            root: data_dir.join("releases"),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn manifests_dir(&self) -> PathBuf {
        self.root.join("manifests")
    }

    fn manifest_path(&self, release: &str) -> PathBuf {
        self.manifests_dir().join(format!("{release}.manifest"))
    }

    /// Where the object of `sha256` lives.
    pub fn object_path(&self, sha256: &str) -> PathBuf {
        let (a, b) = sha256.split_at(2.min(sha256.len()));
        self.root.join("objects").join("sha256").join(a).join(b)
    }

    /// A fresh folder inside the archive to render a release into (same file system as the
    /// objects, so [`Archive::store_dir`] moves files instead of copying them). Leftovers
    /// of a build that died are removed first (callers hold the run lock).
    pub fn scratch(&self) -> Result<tempfile::TempDir> {
        fs::create_dir_all(&self.root).map_err(io(&self.root))?;
        if let Ok(entries) = fs::read_dir(&self.root) {
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().starts_with("tmp-") {
                    let _ = fs::remove_dir_all(e.path());
                }
            }
        }
        tempfile::Builder::new()
            .prefix("tmp-")
            .tempdir_in(&self.root)
            .map_err(io(&self.root))
    }

    /// Every release's header, oldest first (by build time, then name).
    pub fn releases(&self) -> Result<Vec<Header>> {
        let dir = self.manifests_dir();
        let mut out = Vec::new();
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(io(&dir)(e)),
        };
        for e in entries {
            let e = e.map_err(io(&dir))?;
            let path = e.path();
            if path.extension().is_some_and(|x| x == "manifest") {
                out.push(read_header(&path)?);
            }
        }
        out.sort_by(|a, b| (&a.built_at, &a.release).cmp(&(&b.built_at, &b.release)));
        Ok(out)
    }

    /// The newest release's header.
    pub fn latest(&self) -> Result<Option<Header>> {
        Ok(self.releases()?.pop())
    }

    /// Whether `release` is archived.
    pub fn has(&self, release: &str) -> bool {
        self.manifest_path(release).is_file()
    }

    /// A release's manifest.
    pub fn manifest(&self, release: &str) -> Result<Manifest> {
        let path = self.manifest_path(release);
        let f = fs::File::open(&path).map_err(io(&path))?;
        let mut lines = BufReader::new(f).lines();
        let corrupt = |message: String| ArchiveError::Corrupt {
            path: path.clone(),
            message,
        };
        let first = lines
            .next()
            .ok_or_else(|| corrupt("empty manifest".into()))?
            .map_err(io(&path))?;
        let header: Header =
            serde_json::from_str(&first).map_err(|e| corrupt(format!("header: {e}")))?;
        let mut files = Vec::new();
        for (i, line) in lines.enumerate() {
            let line = line.map_err(io(&path))?;
            let mut parts = line.splitn(3, ' ');
            let (Some(sha256), Some(bytes), Some(p)) = (parts.next(), parts.next(), parts.next())
            else {
                return Err(corrupt(format!("line {}: not `sha256 bytes path`", i + 2)));
            };
            let bytes = bytes
                .parse()
                .map_err(|_| corrupt(format!("line {}: bad size {bytes:?}", i + 2)))?;
            files.push(Entry {
                path: p.to_string(),
                sha256: sha256.to_string(),
                bytes,
            });
        }
        Ok(Manifest { header, files })
    }

    /// Store every file below `dir` as an object (moved when `consume`, else copied) and
    /// return their entries, sorted by path. `skip` leaves out paths (relative, `/`).
    pub fn store_dir(
        &self,
        dir: &Path,
        consume: bool,
        skip: &dyn Fn(&str) -> bool,
    ) -> Result<Vec<Entry>> {
        let mut files = Vec::new();
        walk(dir, dir, &mut files).map_err(io(dir))?;
        let mut out = Vec::with_capacity(files.len());
        for rel in files {
            if skip(&rel) {
                continue;
            }
            let path = dir.join(&rel);
            let (sha256, bytes) = hash_file(&path)?;
            self.put(&path, &sha256, consume)?;
            out.push(Entry {
                path: rel,
                sha256,
                bytes,
            });
        }
        out.sort();
        Ok(out)
    }

    /// Put the file at `src` in as the object `sha256` (unless it is there already).
    fn put(&self, src: &Path, sha256: &str, consume: bool) -> Result<()> {
        let dst = self.object_path(sha256);
        if dst.is_file() {
            return Ok(());
        }
        let dir = dst.parent().unwrap_or(&self.root).to_path_buf();
        fs::create_dir_all(&dir).map_err(io(&dir))?;
        if !(consume && fs::rename(src, &dst).is_ok()) {
            let tmp = tempfile::NamedTempFile::new_in(&dir).map_err(io(&dir))?;
            fs::copy(src, tmp.path()).map_err(io(src))?;
            tmp.persist(&dst).map_err(|e| io(&dst)(e.error))?;
        }
        // Read-only for everyone: an object never changes, and the sites made of hard links
        // to it must not change it in place (and must be readable by a web server).
        set_read_only(&dst)
    }

    /// Write a release's manifest (atomically, after syncing the objects it names to disk).
    pub fn write_manifest(&self, m: &Manifest) -> Result<()> {
        let dir = self.manifests_dir();
        fs::create_dir_all(&dir).map_err(io(&dir))?;
        let mut text = serde_json::to_string(&m.header).map_err(|e| ArchiveError::Corrupt {
            path: dir.clone(),
            message: e.to_string(),
        })?;
        text.push('\n');
        for e in &m.files {
            text.push_str(&format!("{} {} {}\n", e.sha256, e.bytes, e.path));
        }
        sync_all();
        let path = self.manifest_path(&m.header.release);
        let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(io(&dir))?;
        tmp.write_all(text.as_bytes()).map_err(io(&path))?;
        tmp.as_file().sync_all().map_err(io(&path))?;
        tmp.persist(&path).map_err(|e| io(&path)(e.error))?;
        Ok(())
    }

    /// Replace a release's header (its files unchanged), e.g. to record new inputs that
    /// gave the same content.
    pub fn update_header(&self, header: &Header) -> Result<()> {
        let mut m = self.manifest(&header.release)?;
        m.header = header.clone();
        self.write_manifest(&m)
    }

    /// Delete a release's manifest (`kgdb gc --yes`); its objects stay until
    /// [`Archive::remove_object`].
    pub fn remove_release(&self, release: &str) -> Result<()> {
        let path = self.manifest_path(release);
        fs::remove_file(&path).map_err(io(&path))
    }

    /// Every stored object: sha256 and size.
    pub fn objects(&self) -> Result<BTreeMap<String, u64>> {
        let dir = self.root.join("objects").join("sha256");
        let mut files = Vec::new();
        if dir.is_dir() {
            walk(&dir, &dir, &mut files).map_err(io(&dir))?;
        }
        let mut out = BTreeMap::new();
        for rel in files {
            let sha = rel.replace('/', "");
            let len = fs::metadata(dir.join(&rel)).map(|m| m.len()).unwrap_or(0);
            out.insert(sha, len);
        }
        Ok(out)
    }

    /// Delete one object (`kgdb gc --yes`).
    pub fn remove_object(&self, sha256: &str) -> Result<()> {
        let path = self.object_path(sha256);
        fs::remove_file(&path).map_err(io(&path))
    }

    /// The objects every kept manifest names.
    pub fn referenced(&self, releases: &[String]) -> Result<BTreeSet<String>> {
        let mut out = BTreeSet::new();
        for r in releases {
            out.extend(self.manifest(r)?.files.into_iter().map(|e| e.sha256));
        }
        Ok(out)
    }
}

#[cfg(unix)]
fn set_read_only(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o444)).map_err(io(path))
}

#[cfg(not(unix))]
fn set_read_only(path: &Path) -> Result<()> {
    let mut p = fs::metadata(path).map_err(io(path))?.permissions();
    p.set_readonly(true);
    fs::set_permissions(path, p).map_err(io(path))
}

/// Header line of a manifest, without reading its file list.
fn read_header(path: &Path) -> Result<Header> {
    let f = fs::File::open(path).map_err(io(path))?;
    let mut first = String::new();
    BufReader::new(f).read_line(&mut first).map_err(io(path))?;
    serde_json::from_str(&first).map_err(|e| ArchiveError::Corrupt {
        path: path.to_path_buf(),
        message: format!("header: {e}"),
    })
}

/// sha256 (hex) and size of a file, streamed.
pub fn hash_file(path: &Path) -> Result<(String, u64)> {
    let mut f = fs::File::open(path).map_err(io(path))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0u64;
    loop {
        let n = f.read(&mut buf).map_err(io(path))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        total += n as u64;
    }
    Ok((hex::encode(h.finalize()), total))
}

/// Every file below `dir`, relative to `base`, `/`-separated (symbolic links are not
/// followed).
pub fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
    for e in fs::read_dir(dir)? {
        let e = e?;
        let t = e.file_type()?;
        let p = e.path();
        if t.is_dir() {
            walk(base, &p, out)?;
        } else if t.is_file() {
            let rel = p.strip_prefix(base).unwrap_or(&p);
            let parts: Vec<_> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
    Ok(())
}

/// Total size of the files below `dir` (0 when it does not exist).
pub fn dir_size(dir: &Path) -> u64 {
    let mut total = 0;
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    for e in entries.flatten() {
        match e.file_type() {
            Ok(t) if t.is_dir() => total += dir_size(&e.path()),
            Ok(t) if t.is_file() => total += e.metadata().map(|m| m.len()).unwrap_or(0),
            _ => {}
        }
    }
    total
}

/// Flush written files to disk before a manifest names them (a power cut must not leave a
/// manifest naming empty objects).
fn sync_all() {
    #[cfg(target_os = "linux")]
    rustix::fs::sync();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_file_in_two_releases_is_stored_once_and_read_back() {
        let data = tempfile::tempdir().unwrap();
        let a = Archive::of(data.path());
        let mut headers = Vec::new();
        for (release, built_at, body) in [
            ("2026.12.01", "2026-12-01T02:00:00Z", "one"),
            ("2026.12.02", "2026-12-02T02:00:00Z", "two"),
        ] {
            let scratch = a.scratch().unwrap();
            fs::create_dir_all(scratch.path().join("downloads")).unwrap();
            fs::write(scratch.path().join("downloads/genes.csv"), "same\n").unwrap();
            fs::write(scratch.path().join("index.html"), body).unwrap();
            fs::write(scratch.path().join("skip.me"), "x").unwrap();
            let files = a
                .store_dir(scratch.path(), true, &|p| p == "skip.me")
                .unwrap();
            assert_eq!(files.len(), 2);
            let header = Header {
                release: release.into(),
                built_at: built_at.into(),
                kgdb_version: "0".into(),
                digest: Some(body.into()),
                inputs: None,
                raw: vec![],
            };
            a.write_manifest(&Manifest {
                header: header.clone(),
                files,
            })
            .unwrap();
            headers.push(header);
        }
        assert_eq!(a.releases().unwrap(), headers);
        assert_eq!(a.objects().unwrap().len(), 3, "genes.csv stored once");
        let m = a.manifest("2026.12.02").unwrap();
        let names: Vec<_> = m.downloads().map(|(n, _)| n).collect();
        assert_eq!(names, ["genes.csv"]);
        let index = m.files.iter().find(|e| e.path == "index.html").unwrap();
        assert_eq!(fs::read(a.object_path(&index.sha256)).unwrap(), b"two");
    }
}
