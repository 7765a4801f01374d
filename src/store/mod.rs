//! The SQLite store: the one file every stage reads from and writes to.
//!
//! Keeping all state in one SQLite file (WAL mode) makes every run replayable: downloads are
//! recorded with their provenance, each source's rows are replaced in one transaction (a
//! failed load leaves the previous rows untouched), and the schema moves forward by
//! numbered migrations tracked in `PRAGMA user_version`.

mod annotations;
pub mod genes;
pub use annotations::Coverage;
mod checkpoint;
mod curation;
mod evidence;
mod releases;
pub mod run_log;

use crate::lock::RunLock;
use genes::{HgncGene, WithdrawnEntry};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

pub use curation::{CurationLogRow, CurationState, UnresolvedInput};
pub use evidence::EvidenceRecord;
pub use releases::ReleasedGene;

mod scores;

/// Migrations in order; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("schema.sql"),
    include_str!("schema_2_scores.sql"),
    include_str!("schema_3_releases.sql"),
    include_str!("schema_4_annotations.sql"),
    include_str!("schema_5_public_error.sql"),
    include_str!("schema_6_curation.sql"),
];

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path}: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "database {path} has schema version {found}, newer than this kgdb knows ({known}); upgrade kgdb"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "the database at {path} is schema {found}, this kgdb needs {known}: run `kgdb fetch` (or any writing command) to upgrade it (a backup of it is kept beside it)"
    )]
    TooOld {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "no database at {path}: run `kgdb run` (or fetch, normalize and score) first, or serve a built site with --site DIR"
    )]
    Missing { path: PathBuf },
    #[error("cannot back up the database before upgrading it, to {path}: {source}")]
    Backup {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("cannot create the data directory {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// One unit of writing: a savepoint, so it nests inside a transaction held by
/// [`Store::hold_writes`] (outside one it is an ordinary transaction). Rolled back on drop
/// unless committed.
pub(crate) struct Tx<'a> {
    conn: &'a Connection,
    done: bool,
}

impl<'a> Tx<'a> {
    fn begin(conn: &'a Connection) -> rusqlite::Result<Tx<'a>> {
        conn.execute_batch("SAVEPOINT kgdb_tx")?;
        Ok(Tx { conn, done: false })
    }

    pub(crate) fn commit(mut self) -> rusqlite::Result<()> {
        self.done = true;
        self.conn.execute_batch("RELEASE kgdb_tx")
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = self
                .conn
                .execute_batch("ROLLBACK TO kgdb_tx; RELEASE kgdb_tx");
        }
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
    }
}

/// The current time, RFC 3339 in UTC (second precision).
/// One gene statement of a source, before normalization: what the source reported, in its
/// own identifiers, plus the details the site shows.
#[derive(Debug, Clone, PartialEq)]
pub struct StagedRow {
    /// Unique within the source (e.g. `panel 285 / PKD1`).
    pub record_key: String,
    pub reported_symbol: Option<String>,
    pub reported_hgnc_id: Option<String>,
    pub reported_ncbi_id: Option<String>,
    pub reported_ensembl_id: Option<String>,
    pub details: StoredRecord,
}

/// One stored record of a source (a staged row's `details`, with its `record_key` and
/// `staged_source`), kept as its JSON text until a reader asks for its type: a build holds
/// every gene's records at once, and text takes a fraction of the memory of a JSON tree.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct StoredRecord(Box<serde_json::value::RawValue>);

impl StoredRecord {
    /// The record as the source's own type.
    pub fn parse<T: serde::de::DeserializeOwned>(
        &self,
    ) -> std::result::Result<T, serde_json::Error> {
        serde_json::from_str(self.0.get())
    }

    /// The record's JSON text.
    pub fn json(&self) -> &str {
        self.0.get()
    }

    /// The record as a JSON tree (a look at one field; tests).
    pub fn value(&self) -> serde_json::Value {
        serde_json::from_str(self.0.get()).unwrap_or(serde_json::Value::Null)
    }

    /// A record from its stored JSON text; text that is not JSON becomes `null`.
    pub fn from_json(text: String) -> StoredRecord {
        StoredRecord(
            serde_json::value::RawValue::from_string(text)
                .unwrap_or_else(|_| serde_json::value::RawValue::NULL.to_owned()),
        )
    }

    /// A record from a JSON value.
    pub fn from_value(v: &serde_json::Value) -> StoredRecord {
        // A Value always serializes.
        StoredRecord(
            serde_json::value::to_raw_value(v)
                .unwrap_or_else(|_| serde_json::value::RawValue::NULL.to_owned()),
        )
    }
}

impl PartialEq for StoredRecord {
    fn eq(&self, other: &Self) -> bool {
        self.json() == other.json()
    }
}

impl std::fmt::Display for StoredRecord {
    /// The JSON text, as stored.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.json())
    }
}

/// [`Store::staged_fingerprint`] of rows not stored yet.
pub fn fingerprint<'r>(rows: impl Iterator<Item = &'r StagedRow>) -> String {
    digest(
        rows.map(|r| (r.record_key.clone(), r.details.to_string()))
            .collect(),
    )
}

fn digest(mut rows: Vec<(String, String)>) -> String {
    use sha2::Digest;
    rows.sort();
    let mut h = sha2::Sha256::new();
    for (k, d) in &rows {
        h.update(k.as_bytes());
        h.update([0]);
        h.update(d.as_bytes());
        h.update([0]);
    }
    format!("{}:{}", rows.len(), hex::encode(h.finalize()))
}

pub fn now_utc() -> String {
    let now = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| now.to_string())
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    data_dir: PathBuf,
    /// The run log's newest unchanged confirmation per source ([`run_log`]), read once.
    confirmed: std::cell::OnceCell<std::collections::BTreeMap<String, String>>,
}

/// A download as recorded in the `downloads` table.
#[derive(Debug, Clone, PartialEq)]
pub struct DownloadRecord {
    pub id: i64,
    pub source: String,
    pub url: String,
    pub final_url: String,
    pub http_status: u16,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub sha256: String,
    pub bytes: u64,
    pub stored_path: String,
    pub fetched_at: String,
    pub not_modified: bool,
    pub upstream_version: Option<String>,
}

/// What [`Store::last_good_run_files`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastGoodRun {
    /// (URL, sha256) of each file, sorted (a 304 record carries its stored copy's sha256).
    pub files: Vec<(String, String)>,
    pub rows: Option<i64>,
    pub kgdb_version: String,
    /// The sha256 of the configuration that run used.
    pub config_sha256: String,
}

/// A failed source's error: the full text (terminal, `kgdb status`) and the public form
/// (the site).
#[derive(Debug, Clone, Copy)]
pub struct RunError<'a> {
    pub full: &'a str,
    pub public: &'a str,
}

/// The latest `source_runs` row of a source.
#[derive(Debug, Clone)]
pub struct SourceRunRecord {
    pub source: String,
    pub status: String,
    pub upstream_version: Option<String>,
    pub rows_staged: Option<i64>,
    pub error: Option<String>,
    /// The error as the public site shows it (no mirror address, local path or body);
    /// `None` for rows written before migration 5.
    pub public_error: Option<String>,
    pub finished: String,
}

/// One line of the normalization audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    pub source: String,
    pub reported: String,
    pub method: Option<&'static str>,
    pub outcome: &'static str,
    pub hgnc_id: Option<String>,
    pub candidates: Vec<String>,
    pub rows: u64,
}

impl Store {
    /// Open `<data_dir>/kgdb.sqlite` for reading (`status`, `gene`): never migrates, so a
    /// database of an older schema is refused with the command that upgrades it, and one of
    /// a newer schema is refused too. Without a database file, an empty store of the
    /// current schema is opened in memory (nothing is created on disk).
    pub fn open(data_dir: &Path) -> Result<Store> {
        let path = data_dir.join("kgdb.sqlite");
        let sqlite = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        if !path.exists() {
            let store = Store {
                conn: Connection::open_in_memory().map_err(sqlite)?,
                path,
                data_dir: data_dir.to_path_buf(),
                confirmed: Default::default(),
            };
            store.init()?;
            return Ok(store);
        }
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE
            | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX
            | rusqlite::OpenFlags::SQLITE_OPEN_URI;
        let store = Store {
            conn: Connection::open_with_flags(&path, flags).map_err(sqlite)?,
            path: path.clone(),
            data_dir: data_dir.to_path_buf(),
            confirmed: Default::default(),
        };
        let found = store.schema_version()?;
        let known = MIGRATIONS.len() as i64;
        if found < known {
            return Err(StoreError::TooOld { path, found, known });
        }
        store.init()?;
        Ok(store)
    }

    /// Open `<data_dir>/kgdb.sqlite` strictly read-only (`kgdb mcp`): SQLite's read-only
    /// mode and `query_only`, so nothing can be written, not even a journal mode. The
    /// database must exist and be of the current schema.
    pub fn open_read_only(data_dir: &Path) -> Result<Store> {
        let path = data_dir.join("kgdb.sqlite");
        let sqlite = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        if !path.exists() {
            return Err(StoreError::Missing { path });
        }
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
            | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX
            | rusqlite::OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(&path, flags).map_err(sqlite)?;
        conn.execute_batch(
            "PRAGMA query_only = ON; PRAGMA busy_timeout = 10000; PRAGMA cache_size = -16384;",
        )
        .map_err(sqlite)?;
        let store = Store {
            conn,
            path: path.clone(),
            data_dir: data_dir.to_path_buf(),
            confirmed: Default::default(),
        };
        let found = store.schema_version()?;
        let known = MIGRATIONS.len() as i64;
        if found < known {
            return Err(StoreError::TooOld { path, found, known });
        }
        if found > known {
            return Err(StoreError::TooNew { path, found, known });
        }
        Ok(store)
    }

    /// Open (creating if needed) `<data_dir>/kgdb.sqlite` for a writing command, which holds
    /// the run lock of `data_dir`, and bring its schema up to date. An existing database of
    /// an older schema is first copied (`VACUUM INTO`) to
    /// `kgdb.sqlite.backup-v<N>-<UTC timestamp>` beside it; a new one needs no backup.
    pub fn open_for_writing(lock: &RunLock) -> Result<Store> {
        let data_dir = lock.data_dir();
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::Io {
            path: data_dir.to_path_buf(),
            source,
        })?;
        let path = data_dir.join("kgdb.sqlite");
        let conn = Connection::open(&path).map_err(|source| StoreError::Sqlite {
            path: path.clone(),
            source,
        })?;
        let store = Store {
            conn,
            path,
            data_dir: data_dir.to_path_buf(),
            confirmed: Default::default(),
        };
        let found = store.schema_version()?;
        if found > 0 && found < MIGRATIONS.len() as i64 {
            store.backup(found)?;
        }
        store.init()?;
        Ok(store)
    }

    /// `VACUUM INTO` a consistent copy of the database beside it, named for its schema
    /// version and the time; returns its path.
    fn backup(&self, version: i64) -> Result<PathBuf> {
        let stamp = now_utc().replace([':', '-'], "");
        let mut name = self.path.as_os_str().to_owned();
        name.push(format!(".backup-v{version}-{stamp}"));
        let backup = PathBuf::from(name);
        let target = backup.to_string_lossy().into_owned();
        self.conn
            .execute("VACUUM INTO ?1", params![target])
            .map_err(|source| StoreError::Backup {
                path: backup.clone(),
                source,
            })?;
        Ok(backup)
    }

    /// A database file at an older schema `version` (only the first migrations applied),
    /// for the tests of upgrades. Not for use by commands.
    #[doc(hidden)]
    pub fn create_at_schema_version(data_dir: &Path, version: usize) -> Result<()> {
        let path = data_dir.join("kgdb.sqlite");
        let conn = Connection::open(&path).map_err(|source| StoreError::Sqlite {
            path: path.clone(),
            source,
        })?;
        conn.execute_batch("PRAGMA journal_mode = WAL;")
            .map_err(|source| StoreError::Sqlite {
                path: path.clone(),
                source,
            })?;
        for (i, sql) in MIGRATIONS.iter().enumerate().take(version) {
            let sql = format!("BEGIN; {sql}; PRAGMA user_version = {}; COMMIT;", i + 1);
            conn.execute_batch(&sql)
                .map_err(|source| StoreError::Sqlite {
                    path: path.clone(),
                    source,
                })?;
        }
        Ok(())
    }

    /// A savepoint for one unit of writing ([`Tx`]).
    pub(crate) fn tx(&self) -> Result<Tx<'_>> {
        Tx::begin(&self.conn).map_err(self.err())
    }

    /// Hold every following write in one transaction until [`Store::release_writes`]: the
    /// nightly's fetch stage is kept only when it changed something (an unchanged night
    /// leaves the database file untouched).
    pub fn hold_writes(&self) -> Result<()> {
        self.conn.execute_batch("BEGIN").map_err(self.err())
    }

    /// End the transaction of [`Store::hold_writes`]: commit it (`keep`) or roll it back.
    pub fn release_writes(&self, keep: bool) -> Result<()> {
        if self.conn.is_autocommit() {
            return Ok(());
        }
        self.conn
            .execute_batch(if keep { "COMMIT" } else { "ROLLBACK" })
            .map_err(self.err())
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        |source| StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    fn init(&self) -> Result<()> {
        self.conn
            .execute_batch(
                "PRAGMA journal_mode = WAL;
                 PRAGMA synchronous = NORMAL;
                 PRAGMA foreign_keys = ON;
                 PRAGMA busy_timeout = 10000;
                 -- A 16 MB page cache and no memory map: a mapped database counts in the
                 -- process's resident memory page by page (a build touched ~100 MB of it),
                 -- and the nightly must stay small (docs/benchmarks.md).
                 PRAGMA cache_size = -16384;",
            )
            .map_err(self.err())?;
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(self.err())?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found: version,
                known,
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let sql = format!("BEGIN; {sql}; PRAGMA user_version = {}; COMMIT;", i + 1);
            self.conn.execute_batch(&sql).map_err(self.err())?;
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn schema_version(&self) -> Result<i64> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(self.err())
    }

    /// Start a run; returns its id.
    pub fn begin_run(&self, command: &str, config_sha256: &str) -> Result<i64> {
        self.conn
            .execute(
                "INSERT INTO runs (command, started, status, kgdb_version, config_sha256)
                 VALUES (?1, ?2, 'running', ?3, ?4)",
                params![command, now_utc(), crate::VERSION, config_sha256],
            )
            .map_err(self.err())?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn finish_run(&self, run_id: i64, status: &str) -> Result<()> {
        self.conn
            .execute(
                "UPDATE runs SET finished = ?2, status = ?3 WHERE id = ?1",
                params![run_id, now_utc(), status],
            )
            .map_err(self.err())?;
        Ok(())
    }

    /// The newest good (stored, 200) download of a URL whose file still exists.
    pub fn last_good_download(&self, source: &str, url: &str) -> Result<Option<DownloadRecord>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, source, url, final_url, http_status, etag, last_modified, sha256,
                        bytes, stored_path, fetched_at, not_modified, upstream_version
                 FROM downloads WHERE source = ?1 AND url = ?2 AND not_modified = 0
                 ORDER BY id DESC",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map(params![source, url], download_from_row)
            .map_err(self.err())?;
        for row in rows {
            let d = row.map_err(self.err())?;
            if self.data_dir.join(&d.stored_path).is_file() {
                return Ok(Some(d));
            }
        }
        Ok(None)
    }

    /// Record a source that failed or was skipped (its previous rows stay), with its error
    /// in full and in its public form.
    pub fn record_source_run(
        &self,
        run_id: i64,
        source: &str,
        status: &str,
        started: &str,
        error: Option<RunError<'_>>,
    ) -> Result<()> {
        insert_source_run(
            &self.conn,
            run_id,
            source,
            status,
            None,
            None,
            error.map(|e| e.full),
            started,
        )
        .map_err(self.err())?;
        if let Some(e) = error {
            self.conn
                .execute(
                    "UPDATE source_runs SET public_error = ?1 WHERE id = ?2",
                    params![e.public, self.conn.last_insert_rowid()],
                )
                .map_err(self.err())?;
        }
        Ok(())
    }

    /// A 304: record the check, keep everything staged as it is.
    pub fn record_unchanged(
        &self,
        run_id: i64,
        source: &str,
        downloads: &[DownloadRecord],
        upstream_version: Option<&str>,
        started: &str,
    ) -> Result<Vec<i64>> {
        let tx = self.tx()?;
        let ids = download_ids(&tx, run_id, downloads).map_err(self.err())?;
        self.unchanged_in(&tx, run_id, source, &ids, upstream_version, started)?;
        tx.commit().map_err(self.err())?;
        Ok(ids)
    }

    /// A source built from files another source's run already recorded (a companion such
    /// as `hpo_phenotypes`) is unchanged: link those files, keep its rows.
    pub fn record_unchanged_from(
        &self,
        run_id: i64,
        source: &str,
        download_ids: &[i64],
        upstream_version: Option<&str>,
        started: &str,
    ) -> Result<()> {
        let tx = self.tx()?;
        self.unchanged_in(&tx, run_id, source, download_ids, upstream_version, started)?;
        tx.commit().map_err(self.err())
    }

    fn unchanged_in(
        &self,
        tx: &Connection,
        run_id: i64,
        source: &str,
        ids: &[i64],
        upstream_version: Option<&str>,
        started: &str,
    ) -> Result<()> {
        let rows: i64 = if source == "hgnc" {
            tx.query_row("SELECT count(*) FROM hgnc", [], |r| r.get(0))
        } else {
            tx.query_row(
                "SELECT count(*) FROM staged WHERE source = ?1",
                [source],
                |r| r.get(0),
            )
        }
        .map_err(self.err())?;
        let sr = insert_source_run(
            tx,
            run_id,
            source,
            "unchanged",
            upstream_version,
            Some(rows),
            None,
            started,
        )
        .map_err(self.err())?;
        link_downloads(tx, sr, ids).map_err(self.err())
    }

    /// Replace the HGNC tables in one transaction, with their downloads and run record.
    pub fn load_hgnc(
        &self,
        run_id: i64,
        downloads: &[DownloadRecord],
        genes: &[HgncGene],
        withdrawn: &[WithdrawnEntry],
        upstream_version: Option<&str>,
        started: &str,
    ) -> Result<()> {
        let tx = self.tx()?;
        let ids = download_ids(&tx, run_id, downloads).map_err(self.err())?;
        tx.execute("DELETE FROM hgnc", []).map_err(self.err())?;
        {
            let mut ins = tx
                .prepare(
                    "INSERT INTO hgnc (hgnc_id, hgnc_num, symbol, name, locus_group, locus_type,
                        status, location, alias_symbols, prev_symbols, entrez_id, ensembl_gene_id,
                        omim_ids, mane_select, uniprot_ids, date_modified)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                )
                .map_err(self.err())?;
            for g in genes {
                ins.execute(params![
                    g.hgnc_id,
                    g.hgnc_num(),
                    g.symbol,
                    g.name,
                    g.locus_group,
                    g.locus_type,
                    g.status,
                    g.location,
                    json_list(&g.alias_symbols),
                    json_list(&g.prev_symbols),
                    g.entrez_id,
                    g.ensembl_gene_id,
                    json_list(&g.omim_ids),
                    json_list(&g.mane_select),
                    json_list(&g.uniprot_ids),
                    g.date_modified,
                ])
                .map_err(self.err())?;
            }
        }
        if !withdrawn.is_empty() {
            tx.execute("DELETE FROM hgnc_withdrawn", [])
                .map_err(self.err())?;
            let mut ins = tx
                .prepare(
                    "INSERT OR REPLACE INTO hgnc_withdrawn (hgnc_id, symbol, status, merged_into)
                     VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(self.err())?;
            for w in withdrawn {
                ins.execute(params![
                    w.hgnc_id,
                    w.symbol,
                    w.status,
                    json_list(&w.merged_into)
                ])
                .map_err(self.err())?;
            }
        }
        let sr = insert_source_run(
            &tx,
            run_id,
            "hgnc",
            "ok",
            upstream_version,
            Some(genes.len() as i64),
            None,
            started,
        )
        .map_err(self.err())?;
        link_downloads(&tx, sr, &ids).map_err(self.err())?;
        tx.commit().map_err(self.err())
    }

    /// Replace a source's staged rows in one transaction, with its downloads and run record.
    /// `rows` are paired with the index (into `downloads`) of the download they came from.
    pub fn load_staged(
        &self,
        run_id: i64,
        source: &str,
        downloads: &[DownloadRecord],
        rows: &[(usize, StagedRow)],
        upstream_version: Option<&str>,
        started: &str,
    ) -> Result<()> {
        self.load_staged_many(
            run_id,
            downloads,
            &[(source, rows)],
            upstream_version,
            started,
        )
    }

    /// [`Store::load_staged`] for several sources built from the same downloads (one
    /// transaction: either all are replaced or none).
    pub fn load_staged_many(
        &self,
        run_id: i64,
        downloads: &[DownloadRecord],
        sets: &[(&str, &[(usize, StagedRow)])],
        upstream_version: Option<&str>,
        started: &str,
    ) -> Result<()> {
        let tx = self.tx()?;
        // Records that already exist (offline reuse) are linked, not inserted again.
        let ids = download_ids(&tx, run_id, downloads).map_err(self.err())?;
        for (source, rows) in sets {
            tx.execute("DELETE FROM staged WHERE source = ?1", [source])
                .map_err(self.err())?;
            {
                let mut ins = tx
                    .prepare_cached(
                        "INSERT INTO staged (source, record_key, reported_symbol, reported_hgnc_id,
                            reported_ncbi_id, reported_ensembl_id, details, download_id)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    )
                    .map_err(self.err())?;
                for (di, r) in rows.iter() {
                    ins.execute(params![
                        source,
                        r.record_key,
                        r.reported_symbol,
                        r.reported_hgnc_id,
                        r.reported_ncbi_id,
                        r.reported_ensembl_id,
                        r.details.to_string(),
                        ids.get(*di),
                    ])
                    .map_err(self.err())?;
                }
            }
            let sr = insert_source_run(
                &tx,
                run_id,
                source,
                "ok",
                upstream_version,
                Some(rows.len() as i64),
                None,
                started,
            )
            .map_err(self.err())?;
            link_downloads(&tx, sr, &ids).map_err(self.err())?;
        }
        tx.commit().map_err(self.err())
    }

    /// The files, row count and kgdb version of a source's last good run (schema 4 links);
    /// `None` before any or when the run recorded no files.
    pub fn last_good_run_files(&self, source: &str) -> Result<Option<LastGoodRun>> {
        let last: Option<(i64, Option<i64>, String, String)> = self
            .conn
            .query_row(
                "SELECT sr.id, sr.rows_staged, r.kgdb_version, r.config_sha256 FROM source_runs sr
                 JOIN runs r ON r.id = sr.run_id
                 WHERE sr.source = ?1 AND sr.status IN ('ok', 'unchanged')
                 ORDER BY sr.id DESC LIMIT 1",
                [source],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
            .map_err(self.err())?;
        let Some((id, rows, kgdb_version, config_sha256)) = last else {
            return Ok(None);
        };
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT d.url, d.sha256 FROM source_run_downloads l
                 JOIN downloads d ON d.id = l.download_id
                 WHERE l.source_run_id = ?1 ORDER BY d.url, d.sha256",
            )
            .map_err(self.err())?;
        let files: Vec<(String, String)> = stmt
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(self.err())?
            .collect::<std::result::Result<_, _>>()
            .map_err(self.err())?;
        if files.is_empty() {
            return Ok(None);
        }
        Ok(Some(LastGoodRun {
            files,
            rows,
            kgdb_version,
            config_sha256,
        }))
    }

    /// A digest of a source's staged rows (record key and details, by record key), to tell
    /// whether rows built again from unchanged files differ from the stored ones.
    pub fn staged_fingerprint(&self, source: &str) -> Result<String> {
        let mut stmt = self
            .conn
            .prepare("SELECT record_key, details FROM staged WHERE source = ?1")
            .map_err(self.err())?;
        let rows = stmt
            .query_map([source], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(self.err())?;
        let rows: Vec<(String, String)> = rows
            .collect::<std::result::Result<_, _>>()
            .map_err(self.err())?;
        Ok(digest(rows))
    }

    /// The whole HGNC set, ordered by HGNC number.
    pub fn hgnc_genes(&self) -> Result<Vec<HgncGene>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT hgnc_id, symbol, name, locus_group, locus_type, status, location,
                        alias_symbols, prev_symbols, entrez_id, ensembl_gene_id, omim_ids,
                        mane_select, uniprot_ids, date_modified
                 FROM hgnc ORDER BY hgnc_num",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| {
                Ok(HgncGene {
                    hgnc_id: r.get(0)?,
                    symbol: r.get(1)?,
                    name: r.get(2)?,
                    locus_group: r.get(3)?,
                    locus_type: r.get(4)?,
                    status: r.get(5)?,
                    location: r.get(6)?,
                    alias_symbols: parse_list(r.get(7)?),
                    prev_symbols: parse_list(r.get(8)?),
                    entrez_id: r.get(9)?,
                    ensembl_gene_id: r.get(10)?,
                    omim_ids: parse_list(r.get(11)?),
                    mane_select: parse_list(r.get(12)?),
                    uniprot_ids: parse_list(r.get(13)?),
                    date_modified: r.get(14)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    pub fn hgnc_withdrawn(&self) -> Result<Vec<WithdrawnEntry>> {
        let mut stmt = self
            .conn
            .prepare("SELECT hgnc_id, symbol, status, merged_into FROM hgnc_withdrawn")
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| {
                Ok(WithdrawnEntry {
                    hgnc_id: r.get(0)?,
                    symbol: r.get(1)?,
                    status: r.get(2)?,
                    merged_into: parse_list(r.get(3)?),
                })
            })
            .map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    pub fn hgnc_count(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT count(*) FROM hgnc", [], |r| r.get(0))
            .map_err(self.err())
    }

    /// Distinct reported identities per source, with how many staged rows carry each.
    pub fn staged_identities(&self) -> Result<Vec<(StagedIdentity, u64)>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT source, reported_symbol, reported_hgnc_id, reported_ncbi_id,
                        reported_ensembl_id, count(*)
                 FROM staged
                 GROUP BY source, reported_symbol, reported_hgnc_id, reported_ncbi_id, reported_ensembl_id
                 ORDER BY source, reported_symbol, reported_hgnc_id, reported_ncbi_id, reported_ensembl_id",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    StagedIdentity {
                        source: r.get(0)?,
                        symbol: r.get(1)?,
                        hgnc_id: r.get(2)?,
                        ncbi_id: r.get(3)?,
                        ensembl_id: r.get(4)?,
                    },
                    r.get::<_, i64>(5)? as u64,
                ))
            })
            .map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    /// Write the normalization results: the audit log (replaced) and `staged.hgnc_id`.
    pub fn save_normalization(
        &self,
        run_id: i64,
        results: &[(StagedIdentity, LogEntry)],
    ) -> Result<()> {
        let tx = self.tx()?;
        tx.execute("DELETE FROM normalization_log", [])
            .map_err(self.err())?;
        // Many rows per statement: with the annotation files' 140k identities, one
        // statement per row costs more than the rows.
        const BATCH: usize = 64;
        const COLS: usize = 12;
        for chunk in results.chunks(BATCH) {
            let one = format!("({})", ["?"; COLS].join(", "));
            let mut log = tx
                .prepare_cached(&format!(
                    "INSERT INTO normalization_log (run_id, source, reported, method, outcome,
                        hgnc_id, candidates, rows, reported_symbol, reported_hgnc_id,
                        reported_ncbi_id, reported_ensembl_id) VALUES {}",
                    vec![one; chunk.len()].join(", ")
                ))
                .map_err(self.err())?;
            let candidates: Vec<String> = chunk
                .iter()
                .map(|(_, e)| json_list(&e.candidates))
                .collect();
            let rows: Vec<i64> = chunk.iter().map(|(_, e)| e.rows as i64).collect();
            let mut args: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(chunk.len() * COLS);
            for (i, (id, e)) in chunk.iter().enumerate() {
                args.extend([
                    &run_id as &dyn rusqlite::ToSql,
                    &e.source,
                    &e.reported,
                    &e.method,
                    &e.outcome,
                    &e.hgnc_id,
                    &candidates[i],
                    &rows[i],
                    &id.symbol,
                    &id.hgnc_id,
                    &id.ncbi_id,
                    &id.ensembl_id,
                ]);
            }
            log.execute(rusqlite::params_from_iter(args))
                .map_err(self.err())?;
        }
        // The answers into `staged` in one statement. Rows that already carry the answer
        // are not rewritten.
        tx.execute(
            "UPDATE staged SET hgnc_id = l.hgnc_id
             FROM normalization_log l
             WHERE l.source = staged.source AND l.reported_symbol IS staged.reported_symbol
               AND l.reported_hgnc_id IS staged.reported_hgnc_id
               AND l.reported_ncbi_id IS staged.reported_ncbi_id
               AND l.reported_ensembl_id IS staged.reported_ensembl_id
               AND staged.hgnc_id IS NOT l.hgnc_id",
            [],
        )
        .map_err(self.err())?;
        tx.commit().map_err(self.err())
    }

    /// The newest `source_runs` row per source, and the newest successful one.
    pub fn source_status(
        &self,
        source: &str,
    ) -> Result<(Option<SourceRunRecord>, Option<SourceRunRecord>)> {
        let q = |sql: &str| -> Result<Option<SourceRunRecord>> {
            self.conn
                .query_row(sql, [source], |r| {
                    Ok(SourceRunRecord {
                        source: r.get(0)?,
                        status: r.get(1)?,
                        upstream_version: r.get(2)?,
                        rows_staged: r.get(3)?,
                        error: r.get(4)?,
                        finished: r.get(5)?,
                        public_error: r.get(6)?,
                    })
                })
                .optional()
                .map_err(self.err())
        };
        let last = q(
            "SELECT source, status, upstream_version, rows_staged, error, finished,
                      public_error FROM source_runs WHERE source = ?1 ORDER BY id DESC LIMIT 1",
        )?;
        let mut good = q(
            "SELECT source, status, upstream_version, rows_staged, error, finished,
                      public_error FROM source_runs WHERE source = ?1 AND status IN ('ok', 'unchanged')
                      ORDER BY id DESC LIMIT 1",
        )?;
        let mut last = last;
        // An unchanged night is recorded in the run log only (the database stays as it
        // was): a newer confirmation there is the newest fetch, and a success.
        if let Some(at) = self.confirmed_at(source)
            && let Some(g) = good.as_mut()
            && at > g.finished
            && last.as_ref().is_none_or(|l| at > l.finished)
        {
            g.finished = at.clone();
            g.status = "unchanged".into();
            last = Some(g.clone());
        }
        Ok((last, good))
    }

    pub fn staged_count(&self, source: &str) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT count(*) FROM staged WHERE source = ?1",
                [source],
                |r| r.get(0),
            )
            .map_err(self.err())
    }

    /// Direct access for tests and ad-hoc queries.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// The reported identity of a staged gene (what normalization resolves).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StagedIdentity {
    pub source: String,
    pub symbol: Option<String>,
    pub hgnc_id: Option<String>,
    pub ncbi_id: Option<String>,
    pub ensembl_id: Option<String>,
}

fn download_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DownloadRecord> {
    Ok(DownloadRecord {
        id: r.get(0)?,
        source: r.get(1)?,
        url: r.get(2)?,
        final_url: r.get(3)?,
        http_status: r.get(4)?,
        etag: r.get(5)?,
        last_modified: r.get(6)?,
        sha256: r.get(7)?,
        bytes: r.get::<_, i64>(8)? as u64,
        stored_path: r.get(9)?,
        fetched_at: r.get(10)?,
        not_modified: r.get(11)?,
        upstream_version: r.get(12)?,
    })
}

fn insert_download(conn: &Connection, run_id: i64, d: &DownloadRecord) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO downloads (run_id, source, url, final_url, http_status, etag, last_modified,
            sha256, bytes, stored_path, fetched_at, not_modified, upstream_version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            run_id,
            d.source,
            d.url,
            d.final_url,
            d.http_status,
            d.etag,
            d.last_modified,
            d.sha256,
            d.bytes as i64,
            d.stored_path,
            d.fetched_at,
            d.not_modified,
            d.upstream_version,
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

#[allow(clippy::too_many_arguments)]
fn insert_source_run(
    conn: &Connection,
    run_id: i64,
    source: &str,
    status: &str,
    upstream_version: Option<&str>,
    rows: Option<i64>,
    error: Option<&str>,
    started: &str,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO source_runs (run_id, source, status, upstream_version, rows_staged, error,
            started, finished) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            run_id,
            source,
            status,
            upstream_version,
            rows,
            error,
            started,
            now_utc()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Record which stored files a source run used.
fn link_downloads(conn: &Connection, source_run_id: i64, ids: &[i64]) -> rusqlite::Result<()> {
    let mut st = conn.prepare_cached(
        "INSERT OR IGNORE INTO source_run_downloads (source_run_id, download_id) VALUES (?1, ?2)",
    )?;
    for id in ids {
        st.execute(params![source_run_id, id])?;
    }
    Ok(())
}

/// Insert the new download records (id 0); the ids of all, in order.
fn download_ids(
    conn: &Connection,
    run_id: i64,
    downloads: &[DownloadRecord],
) -> rusqlite::Result<Vec<i64>> {
    downloads
        .iter()
        .map(|d| {
            if d.id != 0 {
                Ok(d.id)
            } else {
                insert_download(conn, run_id, d)
            }
        })
        .collect()
}

fn json_list(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

fn parse_list(s: String) -> Vec<String> {
    serde_json::from_str(&s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_set_user_version_and_wal() {
        let dir = tempfile::tempdir().unwrap();
        let store =
            Store::open_for_writing(&crate::lock::RunLock::acquire(dir.path(), "test").unwrap())
                .unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
        let mode: String = store
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        drop(store);
        // Re-opening does not re-run migrations.
        let store =
            Store::open_for_writing(&crate::lock::RunLock::acquire(dir.path(), "test").unwrap())
                .unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
    }

    #[test]
    fn newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store =
            Store::open_for_writing(&crate::lock::RunLock::acquire(dir.path(), "test").unwrap())
                .unwrap();
        store
            .conn()
            .execute_batch("PRAGMA user_version = 99")
            .unwrap();
        drop(store);
        let err = Store::open(dir.path()).err().expect("refused");
        assert!(err.to_string().contains("99"), "{err}");
    }

    fn sha256_of(path: &Path) -> String {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(std::fs::read(path).unwrap()))
    }

    #[test]
    fn newer_schema_is_refused_for_writing_too() {
        let dir = tempfile::tempdir().unwrap();
        let lock = crate::lock::RunLock::acquire(dir.path(), "test").unwrap();
        Store::open_for_writing(&lock)
            .unwrap()
            .conn()
            .execute_batch("PRAGMA user_version = 99")
            .unwrap();
        let err = Store::open_for_writing(&lock).err().expect("refused");
        assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
    }

    #[test]
    fn reading_an_older_schema_is_refused_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let old = MIGRATIONS.len() - 1;
        Store::create_at_schema_version(dir.path(), old).unwrap();
        let db = dir.path().join("kgdb.sqlite");
        let before = sha256_of(&db);
        let err = Store::open(dir.path()).err().expect("refused");
        let msg = err.to_string();
        assert!(
            msg.contains(&format!(
                "is schema {old}, this kgdb needs {}",
                MIGRATIONS.len()
            )),
            "{msg}"
        );
        assert!(msg.contains("run `kgdb fetch`"), "{msg}");
        assert_eq!(sha256_of(&db), before);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!names.iter().any(|n| n.contains("backup")), "{names:?}");
    }

    #[test]
    fn reading_without_a_database_creates_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
        assert_eq!(store.staged_count("hgnc").unwrap(), 0);
        assert!(!dir.path().join("kgdb.sqlite").exists());
    }

    #[test]
    fn writing_an_older_schema_backs_it_up_then_migrates() {
        let dir = tempfile::tempdir().unwrap();
        let old = MIGRATIONS.len() - 1;
        Store::create_at_schema_version(dir.path(), old).unwrap();
        let lock = crate::lock::RunLock::acquire(dir.path(), "fetch").unwrap();
        let store = Store::open_for_writing(&lock).unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
        drop(store);
        let backups: Vec<PathBuf> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(&format!("kgdb.sqlite.backup-v{old}-"))
            })
            .collect();
        assert_eq!(backups.len(), 1, "{backups:?}");
        let copy = Connection::open(&backups[0]).unwrap();
        let version: i64 = copy
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, old as i64);
        // Now current: reading works, and writing again makes no second backup.
        Store::open(dir.path()).unwrap();
        Store::open_for_writing(&lock).unwrap();
        let count = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains("backup")
            })
            .count();
        assert_eq!(count, 1);
    }

    #[test]
    fn a_new_database_needs_no_backup() {
        let dir = tempfile::tempdir().unwrap();
        let lock = crate::lock::RunLock::acquire(dir.path(), "fetch").unwrap();
        Store::open_for_writing(&lock).unwrap();
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!names.iter().any(|n| n.contains("backup")), "{names:?}");
    }
}
