//! The store side of scoring: read the `evidence` table, replace the `scores` table.
//!
//! `scores` keeps the totals as columns (for SQL filters) and the per-source breakdown as
//! JSON (`breakdown`, migration 2); `source_scores` is the plain `{source: s}` object of the
//! counted sources. Every float is stored rounded to 4 decimals, as in the exports.

use rusqlite::{OptionalExtension, params, types::Type};

use super::{Result, Store};
use crate::score::{EvidenceRow, GeneScore, SourceScore, round4};

const SELECT_SCORES: &str = "SELECT hgnc_id, hgnc_num, percentage, source_count, tier, grp,
        classic_count, breakdown FROM scores";

fn score_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<GeneScore> {
    let breakdown: String = r.get(7)?;
    let sources: Vec<SourceScore> = serde_json::from_str(&breakdown)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(7, Type::Text, Box::new(e)))?;
    Ok(GeneScore {
        hgnc_id: r.get(0)?,
        hgnc_num: r.get(1)?,
        percentage: r.get(2)?,
        source_count: r.get(3)?,
        tier: r.get(4)?,
        group: r.get(5)?,
        classic_count: r.get(6)?,
        sources,
    })
}

impl Store {
    /// Every evidence row, ordered by HGNC ID and source.
    pub fn evidence_rows(&self) -> Result<Vec<EvidenceRow>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT hgnc_id, source, measure, classification FROM evidence
                 ORDER BY hgnc_id, source",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| {
                Ok(EvidenceRow {
                    hgnc_id: r.get(0)?,
                    source: r.get(1)?,
                    measure: r.get(2)?,
                    classification: r.get(3)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    /// Replace the whole `scores` table in one transaction (a failure leaves the old one).
    pub fn replace_scores(&self, scores: &[GeneScore]) -> Result<()> {
        let tx = self.tx()?;
        tx.execute("DELETE FROM scores", []).map_err(self.err())?;
        {
            let mut ins = tx
                .prepare(
                    "INSERT INTO scores (hgnc_id, hgnc_num, source_scores, percentage,
                        source_count, tier, grp, classic_count, breakdown)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )
                .map_err(self.err())?;
            for g in scores {
                let g = g.rounded();
                let source_scores: serde_json::Map<String, serde_json::Value> = g
                    .sources
                    .iter()
                    .filter(|s| s.counted)
                    .map(|s| (s.source.clone(), serde_json::json!(round4(s.s))))
                    .collect();
                let breakdown = serde_json::to_string(&g.sources)
                    .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
                    .map_err(self.err())?;
                ins.execute(params![
                    g.hgnc_id,
                    g.hgnc_num,
                    serde_json::Value::Object(source_scores).to_string(),
                    g.percentage,
                    g.source_count,
                    g.tier,
                    g.group,
                    g.classic_count,
                    breakdown,
                ])
                .map_err(self.err())?;
            }
        }
        tx.commit().map_err(self.err())
    }

    /// All stored scores, ordered by HGNC number.
    pub fn scores(&self) -> Result<Vec<GeneScore>> {
        let mut stmt = self
            .conn
            .prepare(&format!("{SELECT_SCORES} ORDER BY hgnc_num"))
            .map_err(self.err())?;
        let rows = stmt.query_map([], score_from_row).map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    /// The stored score of one gene.
    pub fn gene_score(&self, hgnc_id: &str) -> Result<Option<GeneScore>> {
        self.conn
            .query_row(
                &format!("{SELECT_SCORES} WHERE hgnc_id = ?1"),
                [hgnc_id],
                score_from_row,
            )
            .optional()
            .map_err(self.err())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::{ScoringSettings, score, to_json};

    fn settings() -> ScoringSettings {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/sources.yaml");
        crate::registry::Registry::load(path.as_ref())
            .unwrap()
            .scoring_settings()
    }

    fn insert_evidence(store: &Store, rows: &[(&str, &str, f64, Option<&str>)]) {
        for (id, src, m, c) in rows {
            store
                .conn()
                .execute(
                    "INSERT INTO evidence (hgnc_id, source, measure, classification, details)
                     VALUES (?1, ?2, ?3, ?4, '{}')",
                    params![id, src, m, c],
                )
                .unwrap();
        }
    }

    #[test]
    fn migration_2_adds_breakdown_columns() {
        let dir = tempfile::tempdir().unwrap();
        let store =
            Store::open_for_writing(&crate::lock::RunLock::acquire(dir.path(), "test").unwrap())
                .unwrap();
        assert!(store.schema_version().unwrap() >= 2);
        let cols: Vec<String> = store
            .conn()
            .prepare("SELECT name FROM pragma_table_info('scores')")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<std::result::Result<_, _>>()
            .unwrap();
        assert!(cols.contains(&"breakdown".to_string()), "{cols:?}");
        assert!(cols.contains(&"hgnc_num".to_string()), "{cols:?}");
    }

    #[test]
    fn scores_round_trip_and_replace() {
        let dir = tempfile::tempdir().unwrap();
        let store =
            Store::open_for_writing(&crate::lock::RunLock::acquire(dir.path(), "test").unwrap())
                .unwrap();
        insert_evidence(
            &store,
            &[
                ("HGNC:9008", "panelapp", 3.0, None),
                ("HGNC:9008", "clingen", 2.0, Some("Definitive")),
                ("HGNC:11", "panelapp", 1.0, None),
                ("HGNC:11", "gencc", 1.0, Some("Refuted Evidence")),
                ("HGNC:200", "pubtator", 7.0, None),
            ],
        );
        let settings = settings();
        let evidence = store.evidence_rows().unwrap();
        assert_eq!(evidence.len(), 5);
        let scores = score(&evidence, &settings).unwrap();
        store.replace_scores(&scores).unwrap();

        let back = store.scores().unwrap();
        let ids: Vec<&str> = back.iter().map(|g| g.hgnc_id.as_str()).collect();
        assert_eq!(ids, ["HGNC:11", "HGNC:200", "HGNC:9008"]);
        let rounded: Vec<GeneScore> = scores.iter().map(GeneScore::rounded).collect();
        assert_eq!(back, rounded);
        assert_eq!(to_json(&back), to_json(&scores));

        // PKD1-like gene: panelapp 3 panels ranks 2 of 2 (s = 1), ClinGen Definitive (1.0).
        let g = store.gene_score("HGNC:9008").unwrap().unwrap();
        assert_eq!(g.percentage, round4(200.0 / 7.0));
        let source_scores: String = store
            .conn()
            .query_row(
                "SELECT source_scores FROM scores WHERE hgnc_id = 'HGNC:9008'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(source_scores, r#"{"clingen":1.0,"panelapp":1.0}"#);
        // The Refuted GenCC curation is kept as contradicting evidence, not support.
        let g = store.gene_score("HGNC:11").unwrap().unwrap();
        assert_eq!(g.contradicting().collect::<Vec<_>>(), ["gencc"]);
        assert_eq!(g.source_count, 1);

        // Replacing drops genes that no longer have evidence.
        store.replace_scores(&scores[..1]).unwrap();
        assert_eq!(store.scores().unwrap().len(), 1);
        assert!(store.gene_score("HGNC:9008").unwrap().is_none());
    }
}
