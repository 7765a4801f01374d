//! Store access for the evidence stage: normalized staged rows in, `evidence` rows out.

use rusqlite::params;

use super::{Result, Store};

/// One `evidence` row as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceRecord {
    pub hgnc_id: String,
    pub source: String,
    pub measure: f64,
    pub classification: Option<String>,
    /// JSON text.
    pub details: String,
}

impl Store {
    /// Every staged row of `sources` that normalization resolved: (source, HGNC ID, record
    /// key, details), ordered by HGNC number, source and record key.
    pub fn normalized_staged(
        &self,
        sources: &[&str],
    ) -> Result<Vec<(String, String, String, serde_json::Value)>> {
        let mut stmt = self
            .conn
            .prepare(
                // Evidence sources only: annotation rows never count (and are large).
                "SELECT source, hgnc_id, record_key, details FROM staged
                 WHERE hgnc_id IS NOT NULL AND source IN (SELECT value FROM json_each(?1))
                 ORDER BY CAST(substr(hgnc_id, 6) AS INTEGER), source, record_key",
            )
            .map_err(self.err())?;
        let evidence_sources = serde_json::to_string(sources).unwrap_or_else(|_| "[]".into());
        let rows = stmt
            .query_map([evidence_sources], |r| {
                let details: String = r.get(3)?;
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    serde_json::from_str(&details).unwrap_or(serde_json::Value::Null),
                ))
            })
            .map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    /// Replace the `evidence` table in one transaction.
    pub fn replace_evidence(&self, rows: &[EvidenceRecord]) -> Result<()> {
        let tx = self.tx()?;
        tx.execute("DELETE FROM evidence", []).map_err(self.err())?;
        {
            let mut ins = tx
                .prepare(
                    "INSERT INTO evidence (hgnc_id, source, measure, classification, details)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(self.err())?;
            for r in rows {
                ins.execute(params![
                    r.hgnc_id,
                    r.source,
                    r.measure,
                    r.classification,
                    r.details
                ])
                .map_err(self.err())?;
            }
        }
        tx.commit().map_err(self.err())
    }

    /// Every `evidence` row, ordered by HGNC number and source.
    pub fn all_evidence(&self) -> Result<Vec<EvidenceRecord>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT hgnc_id, source, measure, classification, details FROM evidence
                 ORDER BY CAST(substr(hgnc_id, 6) AS INTEGER), source",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| {
                Ok(EvidenceRecord {
                    hgnc_id: r.get(0)?,
                    source: r.get(1)?,
                    measure: r.get(2)?,
                    classification: r.get(3)?,
                    details: r.get(4)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    /// The files a source's current data came from: the downloads of its last successful
    /// fetch, and those its staged rows link to (an incremental fetch keeps older ones).
    pub fn source_downloads(&self, source: &str) -> Result<Vec<super::DownloadRecord>> {
        // The files linked to the source's latest good run (schema 4); for runs recorded
        // before that, the downloads of that run and those its staged rows point to.
        let mut stmt = self
            .conn
            .prepare(
                "WITH last AS (SELECT id, run_id FROM source_runs
                               WHERE source = ?1 AND status IN ('ok', 'unchanged')
                               ORDER BY id DESC LIMIT 1),
                      linked AS (SELECT download_id FROM source_run_downloads
                                 WHERE source_run_id = (SELECT id FROM last))
                 SELECT id, source, url, final_url, http_status, etag, last_modified, sha256,
                        bytes, stored_path, fetched_at, not_modified, upstream_version
                 FROM downloads
                 WHERE id IN (SELECT download_id FROM linked)
                    OR (NOT EXISTS (SELECT 1 FROM linked) AND source = ?1 AND (
                         run_id = (SELECT run_id FROM last)
                         OR id IN (SELECT DISTINCT download_id FROM staged WHERE source = ?1)))
                 ORDER BY url, id",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([source], super::download_from_row)
            .map_err(self.err())?;
        let all: Vec<super::DownloadRecord> = rows
            .collect::<std::result::Result<_, _>>()
            .map_err(self.err())?;
        // One entry per URL: the newest.
        let mut out: Vec<super::DownloadRecord> = Vec::with_capacity(all.len());
        for d in all {
            match out.last_mut() {
                Some(last) if last.url == d.url => *last = d,
                _ => out.push(d),
            }
        }
        Ok(out)
    }

    /// Distinct normalized genes among a source's staged rows.
    pub fn staged_gene_count(&self, source: &str) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT count(DISTINCT hgnc_id) FROM staged WHERE source = ?1",
                [source],
                |r| r.get(0),
            )
            .map_err(self.err())
    }
}
