//! The HGNC gene model: approved genes and withdrawn IDs, as the reference set gives them.
//!
//! Why here: every layer keys genes by HGNC ID; the store keeps the reference set in a table
//! of its own, normalization resolves against it and the site shows it. The types live with
//! the store (the lowest layer that holds them), so nothing below the sources has to import
//! a source module; the HGNC source parses into them.

/// One approved gene of the HGNC complete set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HgncGene {
    pub hgnc_id: String,
    pub symbol: String,
    pub name: String,
    pub locus_group: Option<String>,
    pub locus_type: Option<String>,
    pub status: Option<String>,
    pub location: Option<String>,
    pub alias_symbols: Vec<String>,
    pub prev_symbols: Vec<String>,
    pub entrez_id: Option<String>,
    pub ensembl_gene_id: Option<String>,
    pub omim_ids: Vec<String>,
    /// MANE Select transcripts: Ensembl (ENST…) and RefSeq (NM_…).
    pub mane_select: Vec<String>,
    pub uniprot_ids: Vec<String>,
    pub date_modified: Option<String>,
}

impl HgncGene {
    /// The number of the HGNC ID (`HGNC:9008` -> 9008), for ordering.
    pub fn hgnc_num(&self) -> i64 {
        hgnc_num(&self.hgnc_id).unwrap_or(i64::MAX)
    }
}

/// A withdrawn HGNC ID and the approved IDs it was merged into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithdrawnEntry {
    pub hgnc_id: String,
    pub symbol: String,
    pub status: String,
    pub merged_into: Vec<String>,
}

/// `HGNC:9008` -> 9008.
pub fn hgnc_num(id: &str) -> Option<i64> {
    id.strip_prefix("HGNC:")?.parse().ok()
}
