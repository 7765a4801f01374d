//! The annotation data model: what kgdb stores and shows for a gene besides its evidence.
//!
//! Why: every annotation source stages one of these parts per gene (as the JSON `details`
//! of its staged row), the store keeps it per (HGNC id, annotation) after normalization,
//! and the site, `genes.json` and `annotations.csv` read the same structs. One plain-Rust
//! model keeps the three in step. Every part is `None` when its source has nothing for the
//! gene; values are as upstream reported them (no rescaling).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Annotation source names, in the order the site shows them. Each fills one field of
/// [`GeneAnnotations`].
pub const ANNOTATION_NAMES: &[&str] = &[
    "hpo_phenotypes",
    "gnomad",
    "clinvar",
    "gtex",
    "descartes",
    "mgi",
    "mane",
];

/// Everything kgdb knows about one gene besides its evidence.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GeneAnnotations {
    /// `hpo_phenotypes`: HPO phenotypes, diseases and the derived classes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hpo: Option<HpoPhenotypes>,
    /// `gnomad`: loss-of-function and missense constraint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraint: Option<Constraint>,
    /// `clinvar`: NCBI's per-gene ClinVar counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clinvar: Option<ClinVar>,
    /// `gtex`: adult tissue expression (HPA nTPM from GTEx).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<Expression>,
    /// `descartes`: fetal kidney cell types (Descartes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetal_kidney: Option<FetalKidney>,
    /// `mgi`: mouse orthologs and their kidney/urinary phenotypes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mouse: Option<Mouse>,
    /// `mane`: the MANE Select transcript.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mane: Option<ManeSelect>,
}

impl GeneAnnotations {
    /// True when no annotation covers the gene.
    pub fn is_empty(&self) -> bool {
        *self == GeneAnnotations::default()
    }

    /// Set the part of annotation `name` from its stored JSON.
    pub fn set(&mut self, name: &str, json: &str) -> Result<(), String> {
        fn p<T: serde::de::DeserializeOwned>(name: &str, json: &str) -> Result<T, String> {
            serde_json::from_str(json).map_err(|e| format!("annotation {name}: {e}"))
        }
        match name {
            "hpo_phenotypes" => self.hpo = Some(p(name, json)?),
            "gnomad" => self.constraint = Some(p(name, json)?),
            "clinvar" => self.clinvar = Some(p(name, json)?),
            "gtex" => self.expression = Some(p(name, json)?),
            "descartes" => self.fetal_kidney = Some(p(name, json)?),
            "mgi" => self.mouse = Some(p(name, json)?),
            "mane" => self.mane = Some(p(name, json)?),
            other => return Err(format!("unknown annotation `{other}`")),
        }
        Ok(())
    }

    /// Whether annotation `name` covers the gene.
    pub fn has(&self, name: &str) -> bool {
        match name {
            "hpo_phenotypes" => self.hpo.is_some(),
            "gnomad" => self.constraint.is_some(),
            "clinvar" => self.clinvar.is_some(),
            "gtex" => self.expression.is_some(),
            "descartes" => self.fetal_kidney.is_some(),
            "mgi" => self.mouse.is_some(),
            "mane" => self.mane.is_some(),
            _ => false,
        }
    }

    /// Drop the part of annotation `name` (used for link-only licences).
    pub fn clear(&mut self, name: &str) {
        match name {
            "hpo_phenotypes" => self.hpo = None,
            "gnomad" => self.constraint = None,
            "clinvar" => self.clinvar = None,
            "gtex" => self.expression = None,
            "descartes" => self.fetal_kidney = None,
            "mgi" => self.mouse = None,
            "mane" => self.mane = None,
            _ => {}
        }
    }
}

/// An ontology term or disease with its label.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Term {
    pub id: String,
    pub name: String,
}

/// Shares of a gene's phenotypes per group, and the winning group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupCall {
    /// Group -> share in 0..=1 (shares sum to 1 when any group matched, else all 0).
    pub shares: BTreeMap<String, f64>,
    /// The group with the largest share; `None` when no phenotype matched any group.
    pub primary: Option<String>,
}

/// The syndromic assessment: how much of the phenotype lies outside the kidney.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Syndromic {
    /// Indicator system (growth, skeletal, neurologic, head_neck) -> share of the gene's
    /// phenotypes under it (0..=1).
    pub shares: BTreeMap<String, f64>,
    /// The combined score (rule on the Methods page).
    pub score: f64,
    pub is_syndromic: bool,
}

/// `hpo_phenotypes`: from the HPO files the HPO source downloads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HpoPhenotypes {
    /// Every phenotype of the gene's diseases (distinct, sorted by id).
    pub phenotypes: Vec<Term>,
    /// The gene's diseases (OMIM/ORPHA/DECIPHER ids with names), sorted by id.
    pub diseases: Vec<Term>,
    /// The phenotypes under the kidney root terms.
    pub kidney_phenotypes: Vec<Term>,
    /// complement, cakut, glomerulopathy, cyst_cilio, tubulopathy, nephrolithiasis.
    pub clinical_group: GroupCall,
    /// adult, pediatric, congenital.
    pub onset_group: GroupCall,
    pub syndromic: Syndromic,
}

/// `gnomad`: constraint metrics as gnomAD reports them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Constraint {
    pub pli: Option<f64>,
    /// LOEUF: upper bound of the 90 % interval of observed/expected LoF.
    pub loeuf: Option<f64>,
    pub oe_lof: Option<f64>,
    pub oe_lof_lower: Option<f64>,
    /// True when kgdb computed the interval (the file had no `oe_lof_upper`).
    pub loeuf_computed: bool,
    pub obs_lof: Option<u64>,
    pub exp_lof: Option<f64>,
    pub lof_z: Option<f64>,
    pub mis_z: Option<f64>,
    pub syn_z: Option<f64>,
    /// The transcript the metrics were computed on.
    pub transcript: Option<String>,
}

/// `clinvar`: NCBI's gene_specific_summary row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClinVar {
    pub total_submissions: Option<u64>,
    pub total_alleles: Option<u64>,
    /// Alleles reported pathogenic or likely pathogenic.
    pub pathogenic_alleles: Option<u64>,
    pub uncertain_alleles: Option<u64>,
    pub conflicting_alleles: Option<u64>,
    pub gene_mim_number: Option<String>,
}

/// `gtex`: adult tissue expression.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Expression {
    /// Kidney nTPM.
    pub kidney_ntpm: Option<f64>,
    /// Rank of kidney among tissues with a value (1 = highest).
    pub kidney_rank: Option<usize>,
    pub tissue_count: usize,
    /// The tissue with the highest value, and that value.
    pub top_tissue: Option<String>,
    pub top_ntpm: Option<f64>,
}

/// One fetal kidney cell type's values.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CellType {
    pub cell_type: String,
    pub tpm: Option<f64>,
    /// Fraction of the cell type's cells expressing the gene (0..=1).
    pub fraction_expressing: Option<f64>,
}

/// `descartes`: fetal kidney cell types (always fetal).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FetalKidney {
    /// Cell types sorted by TPM, highest first.
    pub cell_types: Vec<CellType>,
}

/// A mouse ortholog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ortholog {
    pub symbol: String,
    pub mgi_id: String,
}

/// `mgi`: mouse orthologs and their kidney/urinary phenotypes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Mouse {
    pub orthologs: Vec<Ortholog>,
    /// Distinct MP terms of the orthologs.
    pub phenotype_count: usize,
    /// The ones in the kidney/urinary set (under MP:0005367), with names.
    pub kidney_phenotypes: Vec<Term>,
}

impl Mouse {
    pub fn has_kidney_phenotype(&self) -> bool {
        !self.kidney_phenotypes.is_empty()
    }
}

/// `mane`: the MANE Select transcript pair.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ManeSelect {
    pub refseq_transcript: String,
    pub refseq_protein: Option<String>,
    pub ensembl_transcript: String,
    pub ensembl_protein: Option<String>,
    /// MANE Plus Clinical transcripts of the gene (RefSeq / Ensembl), if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plus_clinical: Vec<String>,
}
