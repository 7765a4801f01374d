//! The store side of gene annotations: the `annotations` table (migration 4).
//!
//! Why a table of its own: a gene must have at most one value per annotation, chosen the
//! same way every time, and the site, downloads and `kgdb status` must agree on it. Each
//! `kgdb score` and `kgdb build` rebuilds it for the scored genes (the genes the site shows) from the
//! normalized staged rows of the annotation sources; when several rows of one source resolve to the same gene (a merged
//! symbol, a reused one), the row whose own identifiers agree most with the HGNC entry wins:
//! reported HGNC id, then approved symbol, then NCBI Gene id, then Ensembl id, then the
//! smallest record key.

use rusqlite::params;

use super::{Result, Store};

/// Coverage of one annotation among scored genes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    pub covered_genes: u64,
    pub covered_protein_coding: u64,
    pub scored_genes: u64,
    pub scored_protein_coding: u64,
}

/// HGNC's locus group of protein-coding genes.
const PROTEIN_CODING: &str = "protein-coding gene";

impl Store {
    /// Rebuild `annotations` for the scored genes from the normalized staged rows of the
    /// annotations `names` (the registry's); returns the genes annotated per annotation.
    pub fn rebuild_annotations(&self, names: &[&str]) -> Result<Vec<(String, u64)>> {
        let tx = self.tx()?;
        tx.execute("DELETE FROM annotations", [])
            .map_err(self.err())?;
        let mut counts = Vec::new();
        for name in names {
            let n = tx
                .execute(
                    "INSERT INTO annotations (hgnc_id, source, record_key, data, download_id)
                     SELECT hgnc_id, source, record_key, details, download_id FROM (
                       SELECT s.hgnc_id, s.source, s.record_key, s.details, s.download_id,
                              row_number() OVER (PARTITION BY s.hgnc_id ORDER BY
                                (s.reported_hgnc_id IS h.hgnc_id) DESC,
                                (s.reported_symbol IS h.symbol) DESC,
                                (s.reported_ncbi_id IS h.entrez_id) DESC,
                                (s.reported_ensembl_id IS h.ensembl_gene_id) DESC,
                                s.record_key) AS pick
                       FROM scores sc
                       JOIN staged s ON s.source = ?1 AND s.hgnc_id = sc.hgnc_id
                       JOIN hgnc h ON h.hgnc_id = sc.hgnc_id)
                     WHERE pick = 1",
                    [name],
                )
                .map_err(self.err())?;
            counts.push((name.to_string(), n as u64));
        }
        tx.commit().map_err(self.err())?;
        Ok(counts)
    }

    /// Every annotation of the scored genes: (hgnc_id, annotation, JSON), by gene.
    pub fn scored_annotations(&self) -> Result<Vec<(String, String, String)>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT a.hgnc_id, a.source, a.data FROM annotations a
                 JOIN scores s ON s.hgnc_id = a.hgnc_id
                 ORDER BY a.hgnc_id, a.source",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    /// The annotations of one gene: (annotation, JSON).
    pub fn gene_annotations(&self, hgnc_id: &str) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT source, data FROM annotations WHERE hgnc_id = ?1 ORDER BY source")
            .map_err(self.err())?;
        let rows = stmt
            .query_map(params![hgnc_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    /// How many scored genes (and scored protein-coding genes) annotation `source` covers.
    pub fn annotation_coverage(&self, source: &str) -> Result<Coverage> {
        let (scored, scored_pc): (i64, i64) = self
            .conn
            .query_row(
                "SELECT count(*), coalesce(sum(h.locus_group = ?1), 0)
                 FROM scores s JOIN hgnc h ON h.hgnc_id = s.hgnc_id",
                [PROTEIN_CODING],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(self.err())?;
        let (covered, covered_pc): (i64, i64) = self
            .conn
            .query_row(
                "SELECT count(*), coalesce(sum(h.locus_group = ?2), 0)
                 FROM annotations a
                 JOIN scores s ON s.hgnc_id = a.hgnc_id
                 JOIN hgnc h ON h.hgnc_id = a.hgnc_id
                 WHERE a.source = ?1",
                params![source, PROTEIN_CODING],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(self.err())?;
        Ok(Coverage {
            covered_genes: covered as u64,
            covered_protein_coding: covered_pc as u64,
            scored_genes: scored as u64,
            scored_protein_coding: scored_pc as u64,
        })
    }
}
