//! Resumable per-source state (the `checkpoints` table) and the read-backs a resumable,
//! incremental source needs: its staged rows and the downloads they point to.
//!
//! A checkpoint is one JSON value per source, written by a single statement, so a process
//! killed at any point leaves either the old or the new state, never a torn one.

use rusqlite::{OptionalExtension, params};

use super::StagedRow;
use super::{DownloadRecord, Result, Store, download_from_row, now_utc};

impl Store {
    /// The saved state of a source, if any.
    pub fn checkpoint(&self, source: &str) -> Result<Option<serde_json::Value>> {
        let text: Option<String> = self
            .conn
            .query_row(
                "SELECT state FROM checkpoints WHERE source = ?1",
                [source],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())?;
        // A state this version cannot read is treated as absent (the fetch starts over).
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
    }

    /// Replace the saved state of a source (one statement: atomic).
    pub fn save_checkpoint(&self, source: &str, state: &serde_json::Value) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO checkpoints (source, state, updated) VALUES (?1, ?2, ?3)
                 ON CONFLICT (source) DO UPDATE SET state = excluded.state,
                                                    updated = excluded.updated",
                params![source, state.to_string(), now_utc()],
            )
            .map_err(self.err())?;
        Ok(())
    }

    /// The staged rows of a source with the id of the download each came from, in insertion
    /// order.
    pub fn staged_rows(&self, source: &str) -> Result<Vec<(Option<i64>, StagedRow)>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT record_key, reported_symbol, reported_hgnc_id, reported_ncbi_id,
                        reported_ensembl_id, details, download_id
                 FROM staged WHERE source = ?1 ORDER BY id",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([source], |r| {
                let details: String = r.get(5)?;
                Ok((
                    r.get(6)?,
                    StagedRow {
                        record_key: r.get(0)?,
                        reported_symbol: r.get(1)?,
                        reported_hgnc_id: r.get(2)?,
                        reported_ncbi_id: r.get(3)?,
                        reported_ensembl_id: r.get(4)?,
                        details: super::StoredRecord::from_json(details),
                    },
                ))
            })
            .map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    /// One recorded download by id.
    pub fn download_by_id(&self, id: i64) -> Result<Option<DownloadRecord>> {
        self.conn
            .query_row(
                "SELECT id, source, url, final_url, http_status, etag, last_modified, sha256,
                        bytes, stored_path, fetched_at, not_modified, upstream_version
                 FROM downloads WHERE id = ?1",
                [id],
                download_from_row,
            )
            .optional()
            .map_err(self.err())
    }

    /// Whether this very response (same URL, body, time and 304 flag) is already recorded,
    /// i.e. the run that made the request has been committed.
    pub fn download_recorded(&self, d: &DownloadRecord) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM downloads WHERE source = ?1 AND url = ?2
                    AND sha256 = ?3 AND fetched_at = ?4 AND not_modified = ?5)",
                params![d.source, d.url, d.sha256, d.fetched_at, d.not_modified],
                |r| r.get(0),
            )
            .map_err(self.err())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoint_round_trip_and_replace() {
        let dir = tempfile::tempdir().unwrap();
        let store =
            Store::open_for_writing(&crate::lock::RunLock::acquire(dir.path(), "test").unwrap())
                .unwrap();
        assert_eq!(store.checkpoint("pubtator").unwrap(), None);
        store
            .save_checkpoint("pubtator", &serde_json::json!({"page": 2}))
            .unwrap();
        store
            .save_checkpoint("pubtator", &serde_json::json!({"page": 3}))
            .unwrap();
        assert_eq!(
            store.checkpoint("pubtator").unwrap(),
            Some(serde_json::json!({"page": 3}))
        );
        assert_eq!(store.checkpoint("hpo").unwrap(), None);
    }

    #[test]
    fn staged_rows_and_downloads_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let store =
            Store::open_for_writing(&crate::lock::RunLock::acquire(dir.path(), "test").unwrap())
                .unwrap();
        let run = store.begin_run("fetch", "x").unwrap();
        let d = DownloadRecord {
            id: 0,
            source: "pubtator".into(),
            url: "https://example.org/search/?page=1".into(),
            final_url: "https://example.org/search/?page=1".into(),
            http_status: 200,
            etag: None,
            last_modified: None,
            sha256: "ab".into(),
            bytes: 2,
            stored_path: "raw/pubtator/ab.gz".into(),
            fetched_at: "2024-05-14T00:00:00Z".into(),
            not_modified: false,
            upstream_version: None,
        };
        assert!(!store.download_recorded(&d).unwrap());
        let row = StagedRow {
            record_key: "38275584/5310".into(),
            reported_symbol: Some("PKD1".into()),
            reported_hgnc_id: None,
            reported_ncbi_id: Some("5310".into()),
            reported_ensembl_id: None,
            details: crate::store::StoredRecord::from_value(
                &serde_json::json!({"pmid": "38275584"}),
            ),
        };
        store
            .load_staged(
                run,
                "pubtator",
                std::slice::from_ref(&d),
                &[(0, row.clone())],
                None,
                "now",
            )
            .unwrap();
        assert!(store.download_recorded(&d).unwrap());
        let back = store.staged_rows("pubtator").unwrap();
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].1, row);
        let id = back[0].0.expect("linked to its download");
        let rec = store.download_by_id(id).unwrap().expect("recorded");
        assert_eq!(rec.url, d.url);
        assert_eq!(store.download_by_id(id + 100).unwrap(), None);
    }
}
