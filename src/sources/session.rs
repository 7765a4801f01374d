//! A source's view of the network during one fetch: the *requests* half of a source module.
//!
//! A source asks for upstream URLs and gets verified bytes back; the session decides whether
//! they come fresh (stored content-addressed at once), unchanged (a 304 answered from the
//! stored copy) or, with `--offline`, from the newest stored download. It keeps the
//! provenance record of every file used, so the staged rows can be linked to their download.

use std::any::Any;
use std::path::Path;

use sha2::Digest;

use crate::config::Config;
use crate::fetch::{self, FetchError, Fetched, Fetcher, Validators};
use crate::report::{Event, Reporter};
use crate::sources::error::SourceError;
use crate::store::{DownloadRecord, Store};

/// The bytes of one upstream file and where they came from.
#[derive(Debug)]
pub struct File {
    /// Index into [`Session::records`]: pass it with each staged row.
    pub download: usize,
    /// The decompressed body.
    pub bytes: Vec<u8>,
    /// Upstream form of the URL after redirects (e.g. the versioned HPO release URL).
    pub final_url: String,
    /// True when the bytes are new since the last good download of this URL.
    pub changed: bool,
}

/// What a source's fetch may read besides the network: the narrow parts of the invocation.
pub struct Session<'a> {
    pub source: &'a str,
    /// The whole configuration (a source reads its own settings; the config file's folder
    /// locates local curated lists).
    pub config: &'a Config,
    /// Where the stored downloads live.
    pub data_dir: &'a Path,
    /// Progress and notes for the person running kgdb.
    pub reporter: &'a dyn Reporter,
    pub store: &'a Store,
    fetcher: Option<&'a Fetcher>,
    /// Every file this fetch used, in request order. Records with `id != 0` already exist
    /// in the store (offline reuse); the others are inserted with the staged rows.
    pub records: Vec<DownloadRecord>,
    /// The run this fetch belongs to, and when the source started (RFC 3339): for a source
    /// that stores its data itself ([`crate::sources::Fetched::Stored`]).
    pub run_id: i64,
    pub started: String,
    /// The enabled annotations this source stages from its own files (its companions, see
    /// `companion_of` in the registry), each with what it handed the source to stage its
    /// rows (the source downcasts it to its own companion type; `None`: it handed nothing).
    pub companions: Vec<(&'static str, Option<&'a dyn Any>)>,
}

impl<'a> Session<'a> {
    pub fn new(
        source: &'a str,
        config: &'a Config,
        data_dir: &'a Path,
        reporter: &'a dyn Reporter,
        store: &'a Store,
        fetcher: Option<&'a Fetcher>,
    ) -> Self {
        Session {
            source,
            config,
            data_dir,
            reporter,
            store,
            fetcher,
            records: Vec::new(),
            run_id: 0,
            started: String::new(),
            companions: Vec::new(),
        }
    }

    pub fn offline(&self) -> bool {
        self.fetcher.is_none()
    }

    /// True when any file used so far is new.
    pub fn changed(&self) -> bool {
        self.records.iter().any(|r| r.id == 0 && !r.not_modified)
    }

    /// True when the staged data can stand as it is: every file answered 304, or, offline,
    /// the stored files are exactly those of the source's last good run, made by this kgdb
    /// version, and its rows are all still there (an offline run otherwise re-stages, e.g.
    /// after an upgrade or to restore deleted rows).
    pub fn unchanged(&self) -> bool {
        if !self.offline() {
            return !self.changed();
        }
        let Ok(Some(last)) = self.store.last_good_run_files(self.source) else {
            return false;
        };
        let mut files: Vec<(String, String)> = self
            .records
            .iter()
            .map(|r| (r.url.clone(), r.sha256.clone()))
            .collect();
        files.sort_unstable();
        files.dedup();
        let rows = if self.source == "hgnc" {
            self.store.hgnc_count()
        } else {
            self.store.staged_count(self.source)
        };
        last.kgdb_version == crate::VERSION
            && last.files == files
            && rows.is_ok_and(|n| Some(n) == last.rows)
    }

    /// True when nothing a source builds its rows from changed since its last good run:
    /// every file answered 304 (or, offline, is that run's), and that run used this kgdb and
    /// this configuration. A source may then keep its stored rows without parsing.
    pub fn same_as_last_good(&self) -> bool {
        let Ok(Some(last)) = self.store.last_good_run_files(self.source) else {
            return false;
        };
        let mut files: Vec<(String, String)> = self
            .records
            .iter()
            .map(|r| (r.url.clone(), r.sha256.clone()))
            .collect();
        files.sort_unstable();
        files.dedup();
        self.unchanged()
            && last.kgdb_version == crate::VERSION
            && last.config_sha256 == self.config.sha256
            && last.files == files
    }

    /// GET an upstream URL (conditional on the last good download of it).
    pub async fn get(&mut self, url: &str) -> Result<File, SourceError> {
        let source = self.source;
        let prev = self.store.last_good_download(source, url)?;
        let fetch_error = |error| SourceError::Fetch {
            source_name: source.to_string(),
            error,
        };
        let Some(fetcher) = self.fetcher else {
            let d = prev.ok_or_else(|| {
                SourceError::Stored(FetchError::NotStored {
                    source_name: source.to_string(),
                    url: url.to_string(),
                })
            })?;
            let bytes = fetch::load_stored(self.data_dir, &d).map_err(SourceError::Stored)?;
            return Ok(self.use_stored(d, bytes));
        };
        // A commit-pinned URL never changes: its verified stored copy is the answer (a
        // damaged copy is asked for, and downloaded again below).
        if let Some(d) = prev.as_ref().filter(|_| self.config.immutable_url(url))
            && let Ok(bytes) = fetch::load_stored(self.data_dir, d)
        {
            self.reporter.event(Event::Reused {
                source,
                url,
                why: "commit-pinned, never changes",
            });
            return Ok(self.use_stored(d.clone(), bytes));
        }
        let validators = prev.as_ref().map(Validators::from);
        let prev_sha = prev.as_ref().map(|p| p.sha256.clone());
        let answer = fetcher
            .get(source, url, validators.as_ref())
            .await
            .map_err(fetch_error)?;
        let (body, repair) = match answer {
            Fetched::Body(b) => (b, false),
            Fetched::NotModified {
                final_url,
                etag,
                last_modified,
                fetched_at,
                ..
            } => {
                let prev = prev.ok_or_else(|| {
                    SourceError::unusable(source, format!("{url}: 304 without a stored copy"))
                })?;
                match fetch::load_stored(self.data_dir, &prev) {
                    Ok(bytes) => {
                        self.records.push(DownloadRecord {
                            id: 0,
                            final_url: final_url.clone(),
                            http_status: 304,
                            etag,
                            last_modified,
                            fetched_at,
                            not_modified: true,
                            ..prev
                        });
                        return Ok(File {
                            download: self.records.len() - 1,
                            bytes,
                            final_url,
                            changed: false,
                        });
                    }
                    // Unchanged upstream, but the stored copy is damaged on disk (its
                    // checksum fails): download it again, unconditionally, and store it anew.
                    Err(damaged) => {
                        self.reporter.event(Event::Info {
                            message: &format!("{source}: {damaged}; downloading it again"),
                        });
                        match fetcher.get(source, url, None).await.map_err(fetch_error)? {
                            Fetched::Body(b) => (b, true),
                            Fetched::NotModified { .. } => {
                                return Err(SourceError::Stored(damaged));
                            }
                        }
                    }
                }
            }
        };
        let path = fetch::store_body(self.data_dir, source, &body, repair).map_err(|error| {
            SourceError::Io {
                source_name: source.to_string(),
                what: "store",
                path: url.to_string(),
                error,
            }
        })?;
        let mut rec = fetch::record_for(source, &body, path, None);
        // A repaired copy of what upstream still serves is no change.
        let changed = !(repair && prev_sha.as_deref() == Some(body.sha256.as_str()));
        rec.not_modified = !changed;
        let final_url = body.final_url.clone();
        self.records.push(rec);
        Ok(File {
            download: self.records.len() - 1,
            bytes: body.bytes,
            final_url,
            changed,
        })
    }

    /// The stored copy of `url`, used without a request, when `current` says its last good
    /// download is still what upstream serves (e.g. a PanelApp panel whose version the panel
    /// list gives unchanged; `why` says so in the report). `None`: nothing stored, not
    /// current, or the copy fails its checksum: ask with [`Session::get`]. Offline, this is
    /// what `get` does anyway.
    pub fn reuse(
        &mut self,
        url: &str,
        why: &str,
        current: impl FnOnce(&DownloadRecord) -> bool,
    ) -> Result<Option<File>, SourceError> {
        let Some(d) = self.store.last_good_download(self.source, url)? else {
            return Ok(None);
        };
        if self.offline() || !current(&d) {
            return Ok(None);
        }
        let Ok(bytes) = fetch::load_stored(self.data_dir, &d) else {
            return Ok(None);
        };
        self.reporter.event(Event::Reused {
            source: self.source,
            url,
            why,
        });
        Ok(Some(self.use_stored(d, bytes)))
    }

    /// Record a stored download (its existing row, `id != 0`) as used, unchanged.
    fn use_stored(&mut self, d: DownloadRecord, bytes: Vec<u8>) -> File {
        let final_url = d.final_url.clone();
        self.records.push(d);
        File {
            download: self.records.len() - 1,
            bytes,
            final_url,
            changed: false,
        }
    }

    /// Read a local file (a curated list kept beside the config). It is stored and recorded
    /// like a download (URL `file://…`), so provenance and `--offline` work the same way.
    pub fn read_local(&mut self, path: &std::path::Path) -> Result<File, SourceError> {
        let source = self.source;
        let io = |what, p: &std::path::Path| {
            let path = p.display().to_string();
            move |error| SourceError::Io {
                source_name: source.to_string(),
                what,
                path,
                error,
            }
        };
        let abs = std::fs::canonicalize(path).map_err(io("read", path))?;
        let url = format!("file://{}", abs.display());
        let bytes = fetch::read_maybe_gzip(&abs).map_err(io("read", &abs))?;
        let body = fetch::Body {
            url: url.clone(),
            final_url: url.clone(),
            status: 200,
            etag: None,
            last_modified: None,
            sha256: hex::encode(sha2::Sha256::digest(&bytes)),
            bytes,
            gzip: None,
            fetched_at: crate::store::now_utc(),
        };
        let prev = self.store.last_good_download(source, &url)?;
        let changed = prev.as_ref().is_none_or(|p| p.sha256 != body.sha256);
        let path = fetch::store_body(self.data_dir, source, &body, false).map_err(|error| {
            SourceError::Io {
                source_name: source.to_string(),
                what: "store",
                path: url.clone(),
                error,
            }
        })?;
        let mut rec = fetch::record_for(source, &body, path, None);
        if !changed {
            rec.not_modified = true;
        }
        self.records.push(rec);
        Ok(File {
            download: self.records.len() - 1,
            bytes: body.bytes,
            final_url: url,
            changed,
        })
    }

    /// Record the upstream version a file carries (shown on the Sources page).
    pub fn set_version(&mut self, download: usize, version: impl Into<String>) {
        if let Some(r) = self.records.get_mut(download) {
            r.upstream_version = Some(version.into());
        }
    }
}
