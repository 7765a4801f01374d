//! Store access for curator decisions: the curation log of the last normalization, the
//! file it applied, and the rows an `exclude` takes out of the count.

use rusqlite::{OptionalExtension, params};

use super::{Result, StagedIdentity, Store, now_utc};

/// One row of `curation_log` (see `schema_6_curation.sql`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CurationLogRow {
    pub decision: String,
    pub kind: String,
    /// `applied` or `stale`.
    pub status: String,
    pub source: Option<String>,
    pub reported: Option<String>,
    pub hgnc_id: Option<String>,
    pub rows: u64,
    pub change: String,
    pub reason: String,
    pub curator: String,
    pub date: String,
}

/// The curation file the last normalization applied.
#[derive(Debug, Clone, PartialEq)]
pub struct CurationState {
    pub file: Option<String>,
    pub sha256: Option<String>,
    pub applied_at: String,
}

impl Store {
    /// A staged record's current gene and reported name, if the record is staged.
    pub fn staged_record(
        &self,
        source: &str,
        record_key: &str,
    ) -> Result<Option<(Option<String>, String)>> {
        self.conn
            .query_row(
                "SELECT hgnc_id, coalesce(reported_symbol, reported_hgnc_id, reported_ncbi_id,
                        reported_ensembl_id, '') FROM staged WHERE source = ?1 AND record_key = ?2",
                [source, record_key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(self.err())
    }

    /// Record what the decisions did (the log is replaced) and take excluded rows out of
    /// the count: their `staged.hgnc_id` is cleared (the next normalization sets it again
    /// before applying the decisions again).
    pub fn save_curation(
        &self,
        run_id: i64,
        file: Option<&str>,
        sha256: Option<&str>,
        log: &[CurationLogRow],
        excluded: &[StagedIdentity],
        excluded_records: &[(&str, &str)],
    ) -> Result<()> {
        let tx = self.conn.unchecked_transaction().map_err(self.err())?;
        for id in excluded {
            tx.execute(
                "UPDATE staged SET hgnc_id = NULL WHERE source = ?1 AND reported_symbol IS ?2
                   AND reported_hgnc_id IS ?3 AND reported_ncbi_id IS ?4
                   AND reported_ensembl_id IS ?5",
                params![id.source, id.symbol, id.hgnc_id, id.ncbi_id, id.ensembl_id],
            )
            .map_err(self.err())?;
        }
        for (source, key) in excluded_records {
            tx.execute(
                "UPDATE staged SET hgnc_id = NULL WHERE source = ?1 AND record_key = ?2",
                [source, key],
            )
            .map_err(self.err())?;
        }
        tx.execute("DELETE FROM curation_log", [])
            .map_err(self.err())?;
        for r in log {
            tx.execute(
                "INSERT INTO curation_log (run_id, decision, kind, status, source, reported,
                    hgnc_id, rows, change, reason, curator, date)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    run_id,
                    r.decision,
                    r.kind,
                    r.status,
                    r.source,
                    r.reported,
                    r.hgnc_id,
                    r.rows as i64,
                    r.change,
                    r.reason,
                    r.curator,
                    r.date
                ],
            )
            .map_err(self.err())?;
        }
        tx.execute(
            "INSERT INTO curation_state (id, run_id, file, sha256, applied_at)
             VALUES (1, ?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET run_id = excluded.run_id, file = excluded.file,
                sha256 = excluded.sha256, applied_at = excluded.applied_at",
            params![run_id, file, sha256, now_utc()],
        )
        .map_err(self.err())?;
        tx.commit().map_err(self.err())
    }

    /// The curation log of the last normalization, in the order it was written.
    pub fn curation_log(&self) -> Result<Vec<CurationLogRow>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT decision, kind, status, source, reported, hgnc_id, rows, change, reason,
                        curator, date FROM curation_log ORDER BY id",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| {
                Ok(CurationLogRow {
                    decision: r.get(0)?,
                    kind: r.get(1)?,
                    status: r.get(2)?,
                    source: r.get(3)?,
                    reported: r.get(4)?,
                    hgnc_id: r.get(5)?,
                    rows: r.get::<_, i64>(6)? as u64,
                    change: r.get(7)?,
                    reason: r.get(8)?,
                    curator: r.get(9)?,
                    date: r.get(10)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    /// The curation file the last normalization applied (`None`: never normalized since
    /// curation existed).
    pub fn curation_state(&self) -> Result<Option<CurationState>> {
        self.conn
            .query_row(
                "SELECT file, sha256, applied_at FROM curation_state WHERE id = 1",
                [],
                |r| {
                    Ok(CurationState {
                        file: r.get(0)?,
                        sha256: r.get(1)?,
                        applied_at: r.get(2)?,
                    })
                },
            )
            .optional()
            .map_err(self.err())
    }

    /// The normalizer's open questions of the evidence sources: inputs not resolved, with
    /// their reported symbol, outcome, method, candidates (JSON list) and row count.
    pub fn unresolved_inputs(&self) -> Result<Vec<UnresolvedInput>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT source, reported, reported_symbol, outcome, method, candidates, rows
                 FROM normalization_log WHERE outcome != 'resolved' ORDER BY source, reported",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| {
                let candidates: String = r.get(5)?;
                Ok(UnresolvedInput {
                    source: r.get(0)?,
                    reported: r.get(1)?,
                    symbol: r.get(2)?,
                    outcome: r.get(3)?,
                    method: r.get(4)?,
                    candidates: serde_json::from_str(&candidates).unwrap_or_default(),
                    rows: r.get::<_, i64>(6)? as u64,
                })
            })
            .map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }
}

/// One input the normalizer could not resolve (a `normalization_log` row).
#[derive(Debug, Clone, PartialEq)]
pub struct UnresolvedInput {
    pub source: String,
    pub reported: String,
    pub symbol: Option<String>,
    pub outcome: String,
    pub method: Option<String>,
    pub candidates: Vec<String>,
    pub rows: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An excluded record and an excluded identity lose their gene; the others keep theirs;
    /// the log and the file's checksum are replaced by each save.
    #[test]
    fn exclusions_clear_the_gene_and_the_log_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let lock = crate::lock::RunLock::acquire(dir.path(), "test").unwrap();
        let store = Store::open_for_writing(&lock).unwrap();
        store
            .conn()
            .execute_batch(
                "INSERT INTO staged (source, record_key, reported_symbol, hgnc_id, details) VALUES
                   ('lab', 'a/PKD1', 'PKD1', 'HGNC:9008', '{}'),
                   ('lab', 'b/PKD1', 'PKD1', 'HGNC:9008', '{}'),
                   ('lab', 'a/PKD2', 'PKD2', 'HGNC:9009', '{}'),
                   ('lab', 'a/ACMG', 'ACMG', NULL, '{}');",
            )
            .unwrap();
        assert_eq!(
            store.staged_record("lab", "a/PKD2").unwrap(),
            Some((Some("HGNC:9009".into()), "PKD2".into()))
        );
        assert_eq!(store.staged_record("lab", "nosuch").unwrap(), None);
        let row = |decision: &str, status: &str| CurationLogRow {
            decision: decision.into(),
            kind: "exclude".into(),
            status: status.into(),
            source: Some("lab".into()),
            reported: None,
            hgnc_id: None,
            rows: 1,
            change: "c".into(),
            reason: "r".into(),
            curator: "bp".into(),
            date: "2026-12-01".into(),
        };
        let pkd1 = StagedIdentity {
            source: "lab".into(),
            symbol: Some("PKD1".into()),
            hgnc_id: None,
            ncbi_id: None,
            ensembl_id: None,
        };
        let run = store.begin_run("normalize", "test").unwrap();
        store
            .save_curation(
                run,
                Some("curation.yaml"),
                Some("ab"),
                &[row("one", "applied"), row("two", "stale")],
                &[pkd1],
                &[("lab", "a/PKD2")],
            )
            .unwrap();
        let counted = |sql: &str| -> i64 { store.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(
            counted("SELECT count(*) FROM staged WHERE hgnc_id IS NOT NULL"),
            0
        );
        assert_eq!(
            counted("SELECT count(*) FROM staged"),
            4,
            "rows stay staged"
        );
        assert_eq!(store.curation_log().unwrap().len(), 2);
        let run = store.begin_run("normalize", "test").unwrap();
        store.save_curation(run, None, None, &[], &[], &[]).unwrap();
        assert!(store.curation_log().unwrap().is_empty());
        let state = store.curation_state().unwrap().unwrap();
        assert_eq!((state.file, state.sha256), (None, None));
    }
}
