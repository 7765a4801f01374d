//! Store access for releases: what each published build contained, for the change log.

use rusqlite::{OptionalExtension, params};

use super::{Result, Store};

/// A gene as a release published it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReleasedGene {
    pub hgnc_id: String,
    pub symbol: String,
    pub tier: String,
    pub classic_count: u32,
    pub percentage: f64,
    pub supported: Vec<String>,
    /// Labels of the curator decisions (map, exclude) that changed the gene's evidence.
    pub decisions: Vec<String>,
}

impl Store {
    /// Release names, oldest first.
    pub fn release_names(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT name FROM releases ORDER BY id")
            .map_err(self.err())?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    /// The newest release's name, build time and kgdb version (`kgdb mcp` on a data folder).
    pub fn latest_release_meta(&self) -> Result<Option<(String, String, String)>> {
        self.conn
            .query_row(
                "SELECT name, built_at, kgdb_version FROM releases ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(self.err())
    }

    /// The newest release: name and its genes.
    pub fn latest_release(&self) -> Result<Option<(String, Vec<ReleasedGene>)>> {
        let latest: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT id, name FROM releases ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(self.err())?;
        let Some((id, name)) = latest else {
            return Ok(None);
        };
        let mut stmt = self
            .conn
            .prepare(
                "SELECT hgnc_id, symbol, tier, classic_count, percentage, supported, decisions
                 FROM release_genes WHERE release_id = ?1 ORDER BY hgnc_id",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([id], |r| {
                let supported: String = r.get(5)?;
                Ok(ReleasedGene {
                    hgnc_id: r.get(0)?,
                    symbol: r.get(1)?,
                    tier: r.get(2)?,
                    classic_count: r.get(3)?,
                    percentage: r.get(4)?,
                    supported: serde_json::from_str(&supported).unwrap_or_default(),
                    decisions: serde_json::from_str(&r.get::<_, String>(6)?).unwrap_or_default(),
                })
            })
            .map_err(self.err())?;
        let genes = rows
            .collect::<std::result::Result<_, _>>()
            .map_err(self.err())?;
        Ok(Some((name, genes)))
    }

    /// Every release's changes JSON, newest first.
    pub fn release_changes(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT changes FROM releases ORDER BY id DESC")
            .map_err(self.err())?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    /// Record a published release (after the site was swapped in).
    pub fn record_release(
        &self,
        name: &str,
        built_at: &str,
        genes: &[ReleasedGene],
        changes_json: &str,
    ) -> Result<()> {
        let tx = self.conn.unchecked_transaction().map_err(self.err())?;
        tx.execute(
            "INSERT INTO releases (name, built_at, kgdb_version, genes, changes) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![name, built_at, crate::VERSION, genes.len() as i64, changes_json],
        )
        .map_err(self.err())?;
        let id = tx.last_insert_rowid();
        {
            let mut ins = tx
                .prepare(
                    "INSERT INTO release_genes (release_id, hgnc_id, symbol, tier, classic_count, percentage, supported, decisions)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(self.err())?;
            for g in genes {
                ins.execute(params![
                    id,
                    g.hgnc_id,
                    g.symbol,
                    g.tier,
                    g.classic_count,
                    g.percentage,
                    serde_json::to_string(&g.supported).unwrap_or_else(|_| "[]".into()),
                    serde_json::to_string(&g.decisions).unwrap_or_else(|_| "[]".into()),
                ])
                .map_err(self.err())?;
            }
        }
        tx.commit().map_err(self.err())
    }
}
