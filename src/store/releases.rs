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

    /// When a recorded release was built (RFC 3339), if it is recorded.
    pub fn release_built_at(&self, name: &str) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT built_at FROM releases WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())
    }

    /// The id of the newest load that changed stored rows (a source run that ended `ok`),
    /// 0 before any: what a release was built from, besides the configuration.
    pub fn last_load_id(&self) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT coalesce(max(id), 0) FROM source_runs WHERE status = 'ok'",
                [],
                |r| r.get(0),
            )
            .map_err(self.err())
    }

    /// The raw downloads (paths relative to the data folder) the current state needs: every
    /// file of each source's newest good run, and the newest stored copy of every URL (what
    /// a conditional request's 304 is answered from).
    pub fn current_raw_paths(&self) -> Result<std::collections::BTreeSet<String>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT d.stored_path FROM source_run_downloads l
                   JOIN downloads d ON d.id = l.download_id
                  WHERE l.source_run_id IN (SELECT max(id) FROM source_runs
                                             WHERE status IN ('ok', 'unchanged') GROUP BY source)
                 UNION
                 SELECT d.stored_path FROM downloads d
                  WHERE d.not_modified = 0
                    AND d.id = (SELECT max(id) FROM downloads e
                                 WHERE e.source = d.source AND e.url = d.url AND e.not_modified = 0)",
            )
            .map_err(self.err())?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    /// The sources whose newest fetch failed, by name.
    pub fn failed_sources(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT source FROM source_runs s
                  WHERE id = (SELECT max(id) FROM source_runs t WHERE t.source = s.source)
                    AND status = 'failed' ORDER BY source",
            )
            .map_err(self.err())?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
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
        let tx = self.tx()?;
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
