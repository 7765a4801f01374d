//! The data the static site is rendered from: plain, serializable, already sorted.
//!
//! Why a model of its own: the renderer must not query SQLite or know how scores are
//! computed; it gets one [`SiteData`] (built from the store by the build stage) and turns it
//! into HTML, JS data and downloads. Its unit tests load one that the real pipeline produced
//! (`tests/fixtures/site_data.json`, `just site-fixture`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::store::ReleasedGene;

/// Everything one build shows.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SiteData {
    pub kgdb_version: String,
    /// RFC 3339, UTC.
    pub build_time: String,
    /// CalVer release name (`YYYY.MM.DD`, suffix `.2`… for a second one the same day).
    pub release: String,
    /// Every scored gene, sorted by HGNC number.
    pub genes: Vec<Gene>,
    /// Every configured source (evidence sources and HGNC), in configuration order.
    pub sources: Vec<SourceInfo>,
    pub methods: Methods,
    /// Every release's changes, newest first (this build's first).
    #[serde(default)]
    pub changes: Vec<crate::changes::ReleaseChanges>,
    /// Every configured annotation source, in [`crate::annotations::model::ANNOTATION_NAMES`]
    /// order.
    #[serde(default)]
    pub annotation_sources: Vec<AnnotationInfo>,
    /// The curator decisions this build's data was normalized with.
    #[serde(default)]
    pub curation: CurationInfo,
    /// The kidney protein network of this build (none without an interaction annotation).
    #[serde(skip)]
    pub network: Option<crate::network::NetworkBuild>,
}

/// The curation file a build used: its checksum, the decisions in force per kind, and the
/// decisions gone stale (shown on the Sources page until a curator removes them).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct CurationInfo {
    /// The file's name (no folder: the site is public).
    pub file: Option<String>,
    pub sha256: Option<String>,
    /// Kind (`map`, `exclude`, `note`) -> decisions in force (applied).
    pub in_force: BTreeMap<String, u64>,
    pub stale: Vec<StaleDecision>,
}

/// A decision that matched nothing in the last normalization.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StaleDecision {
    pub decision: String,
    pub why: String,
    pub reason: String,
    pub curator: String,
    pub date: String,
}

/// A curator decision as a gene page shows it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GeneDecision {
    /// `map`, `exclude` or `note`.
    pub kind: String,
    pub decision: String,
    /// What it changed (for a note: the note's text).
    pub change: String,
    pub reason: String,
    pub curator: String,
    pub date: String,
}

impl SiteData {
    /// A digest of what this build publishes: every gene with its scores, evidence and
    /// annotations, the methods, each source's rows and files by checksum, and whether the
    /// site shows it as stale (with its public error); without anything that changes when
    /// nothing upstream did (build time, release name, the change log, fetch times, ok vs
    /// unchanged). Two builds with an equal digest publish the same data, so the second is
    /// no new release.
    pub fn content_digest(&self) -> String {
        use sha2::Digest;
        /// Feeds serde_json's output straight into the hash (no copy of the whole data).
        struct HashWriter(sha2::Sha256);
        impl std::io::Write for HashWriter {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.update(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        /// A source's content, without when and how it was last fetched.
        fn content(v: serde_json::Result<serde_json::Value>) -> serde_json::Value {
            let mut v = v.unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                for k in ["status", "last_success"] {
                    o.remove(k);
                }
                if let Some(files) = o.get_mut("downloads").and_then(|d| d.as_array_mut()) {
                    for f in files.iter_mut().filter_map(|f| f.as_object_mut()) {
                        for k in ["fetched_at", "etag", "last_modified", "final_url"] {
                            f.remove(k);
                        }
                    }
                }
            }
            v
        }
        #[derive(Serialize)]
        struct Published<'a> {
            kgdb_version: &'a str,
            genes: &'a [Gene],
            methods: &'a Methods,
            sources: Vec<serde_json::Value>,
            annotation_sources: Vec<serde_json::Value>,
        }
        let view = Published {
            kgdb_version: &self.kgdb_version,
            genes: &self.genes,
            methods: &self.methods,
            sources: self
                .sources
                .iter()
                .map(|s| content(serde_json::to_value(s)))
                .collect(),
            annotation_sources: self
                .annotation_sources
                .iter()
                .map(|s| content(serde_json::to_value(s)))
                .collect(),
        };
        let mut w = HashWriter(sha2::Sha256::new());
        // Writing into a hash cannot fail; a value that cannot be serialized would have
        // failed the render already.
        let _ = serde_json::to_writer(&mut w, &view);
        hex::encode(w.0.finalize())
    }

    /// The sha256 of every upstream file this build's data came from.
    pub fn input_files(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .sources
            .iter()
            .flat_map(|s| &s.downloads)
            .chain(self.annotation_sources.iter().flat_map(|a| &a.downloads))
            .map(|d| d.sha256.clone())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The genes of this build, as a release records them (the input of
    /// [`crate::changes::diff`]).
    pub fn released_genes(&self) -> Vec<ReleasedGene> {
        self.genes
            .iter()
            .map(|g| ReleasedGene {
                hgnc_id: g.summary.hgnc_id.clone(),
                symbol: g.summary.symbol.clone(),
                tier: g.summary.tier.clone(),
                classic_count: g.summary.classic_count,
                percentage: g.summary.percentage,
                supported: g
                    .breakdown
                    .iter()
                    .filter(|b| b.supported)
                    .map(|b| b.source.clone())
                    .collect(),
                decisions: {
                    let mut d: Vec<String> = g
                        .decisions
                        .iter()
                        .filter(|d| d.kind != "note")
                        .map(|d| d.decision.clone())
                        .collect();
                    d.dedup();
                    d
                },
            })
            .collect()
    }
}

/// A gene's identifiers and score: what every listing shows of it (the columns of
/// genes.csv before the per-source columns, the rows of `api/genes.json`, the MCP tools'
/// genes). One type for all of them, so a field added here reaches every file and its JSON
/// Schema ([`super::schema`]).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct GeneSummary {
    /// HGNC ID, e.g. `HGNC:9008`: the key of every gene.
    pub hgnc_id: String,
    /// Approved HGNC symbol.
    pub symbol: String,
    /// Approved HGNC name.
    pub name: String,
    /// Cytogenetic location.
    pub location: Option<String>,
    /// HGNC locus group.
    pub locus_group: Option<String>,
    /// HGNC locus type.
    pub locus_type: Option<String>,
    pub alias_symbols: Vec<String>,
    pub prev_symbols: Vec<String>,
    /// NCBI Gene ID.
    pub entrez_id: Option<String>,
    /// Ensembl gene ID (ENSG…).
    pub ensembl_gene_id: Option<String>,
    /// OMIM gene entries.
    pub omim_ids: Vec<String>,
    /// MANE Select transcripts (Ensembl ENST…, RefSeq NM_…).
    pub mane_select: Vec<String>,
    /// Harmonized score 0–100, rounded to 4 decimals.
    pub percentage: f64,
    /// Evidence tier: comprehensive_support, multi_source_support, established_support,
    /// preliminary_evidence, minimal_evidence, no_evidence.
    pub tier: String,
    /// Evidence group: well_supported, emerging_evidence, insufficient.
    pub group: String,
    /// Scoring sources with a positive score.
    pub source_count: u32,
    /// Classic Kidney-Genetics evidence count, 0–5.
    pub classic_count: u32,
}

impl GeneSummary {
    /// The gene's summary as every file publishes it (percentage rounded to 4 decimals).
    pub fn of(g: &Gene) -> Self {
        GeneSummary {
            percentage: crate::sources::view::round4(g.summary.percentage),
            ..g.summary.clone()
        }
    }
}

/// A scored gene with everything its page shows.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Gene {
    #[serde(flatten)]
    pub summary: GeneSummary,
    /// UniProt accessions (HGNC's `uniprot_ids`); the gene table finds the gene by them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uniprot_ids: Vec<String>,
    /// One entry per configured scoring source, in configuration order (also the sources
    /// without evidence for this gene, with `measure` 0).
    pub breakdown: Vec<SourceScore>,
    /// Scoring source -> the records behind the measure, in that source's own words (the
    /// staged `details` objects, see [`Gene::evidence`] keys below).
    ///
    /// Keys of the records, per source (all also have `record_key` and `staged_source`):
    /// - `panelapp`: region, panel_id, panel_name, panel_version, panel_version_created,
    ///   panel_url, url (the gene on that panel), rating (green/amber/red), counted (bool),
    ///   confidence_level, mode_of_inheritance, phenotypes[], publications[], evidence[],
    ///   tags[], gene_symbol;
    /// - `clingen`: gene_symbol, hgnc_id, disease_label, mondo_id, moi, sop, classification,
    ///   classification_date, expert_panel, report_url;
    /// - `gencc`: submitter, classification, disease_title, disease_curie,
    ///   disease_original_title, disease_original_curie, moi, date, report_url, pmids[];
    /// - `hpo`: disease_id (OMIM:…/ORPHA:…), disease_name, association_type,
    ///   kidney_terms[{id, name}], hpo_version;
    /// - `pubtator`: pmid, title, journal, date, score, mention;
    /// - `literature`: list_id, list_name, pmid, title, journal, publication_date, doi, url,
    ///   reported_as;
    /// - `diagnostic_panels`: list_id, lab, url, panels[], scraped_at, reported_as.
    pub evidence: BTreeMap<String, Vec<crate::sources::StoredRecord>>,
    /// What the annotation sources say of the gene (never part of the score). Parts of a
    /// link-only annotation (licence forbids redistribution) are left out here.
    /// Not read back: a part's type is known only to its module (through the registry).
    #[serde(default)]
    pub annotations: crate::gene_annotations::GeneAnnotations,
    /// Curator decisions that concern the gene (curation.yaml), in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<GeneDecision>,
}

/// One source's part of a gene's score, explained.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct SourceScore {
    /// Scoring source name (panelapp, literature, diagnostic_panels, hpo, pubtator, clingen,
    /// gencc).
    pub source: String,
    /// Human title of the source.
    pub title: String,
    /// `percentile` (count sources) or `classification` (ClinGen, GenCC).
    pub method: String,
    /// The measure (distinct panels, publications, labs, diseases, PMIDs; for ClinGen and
    /// GenCC the number of kidney curations).
    pub measure: f64,
    /// Genes with measure > 0 in this source.
    pub n: u64,
    /// Average 1-based rank of the gene's tie group (percentile sources).
    pub rank: Option<f64>,
    /// Best classification and its weight (classification sources).
    pub classification: Option<String>,
    pub weight: Option<f64>,
    /// The source score s in [0, 1].
    pub score: f64,
    /// 100 × s / N: this source's part of the percentage.
    pub contribution: f64,
    pub supported: bool,
    /// Only zero-weight classifications (Refuted, Disputed, No Known Disease Relationship).
    pub contradicting: bool,
    /// Meets its classic-count threshold (classic sources only; None for the others).
    pub classic: Option<bool>,
}

/// A source as the Sources page shows it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct SourceInfo {
    /// Configured name (hgnc, panelapp_uk, …).
    pub name: String,
    pub title: String,
    pub homepage: Option<String>,
    pub licence: String,
    pub citation: String,
    /// ok, unchanged, failed, never.
    pub status: String,
    /// Older than its max_age_days, or its last fetch failed: the site says so.
    pub stale: bool,
    pub last_success: Option<String>,
    pub upstream_version: Option<String>,
    pub rows: u64,
    /// Distinct HGNC genes among its rows.
    pub genes: u64,
    /// The last fetch's error in its public form (upstream URL and a short reason).
    pub last_error: Option<String>,
    /// The files this build's data came from.
    pub downloads: Vec<DownloadInfo>,
}

/// An annotation source as the Sources page shows it (annotations never count as evidence).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AnnotationInfo {
    /// Configured name (gnomad, clinvar, …; see `ANNOTATION_NAMES`).
    pub name: String,
    pub title: String,
    pub homepage: Option<String>,
    pub licence: String,
    pub citation: String,
    /// False when the licence forbids redistribution: the site links to the upstream page
    /// of the gene (`gene_link`) instead of showing values, and downloads leave it out.
    pub redistribute: bool,
    /// Upstream page of a gene: `{symbol}`, `{hgnc_id}`, `{entrez_id}`, `{ensembl_gene_id}`
    /// are replaced.
    pub gene_link: Option<String>,
    /// ok, unchanged, failed, never.
    pub status: String,
    pub stale: bool,
    pub last_success: Option<String>,
    /// The release shown (e.g. `2021-11-07`, `v1.5`).
    pub upstream_version: Option<String>,
    /// The last fetch's error in its public form (upstream URL and a short reason).
    pub last_error: Option<String>,
    /// Scored genes this annotation covers, and of those the protein-coding ones.
    pub covered_genes: u64,
    pub covered_protein_coding: u64,
    /// Scored genes, and scored protein-coding genes (the coverage denominators).
    pub scored_genes: u64,
    pub scored_protein_coding: u64,
    /// The files this build's annotation came from.
    pub downloads: Vec<DownloadInfo>,
}

impl AnnotationInfo {
    /// Percentage of scored protein-coding genes covered (0 when there are none).
    pub fn protein_coding_coverage(&self) -> f64 {
        if self.scored_protein_coding == 0 {
            0.0
        } else {
            100.0 * self.covered_protein_coding as f64 / self.scored_protein_coding as f64
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct DownloadInfo {
    pub url: String,
    pub final_url: String,
    pub fetched_at: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub sha256: String,
    pub bytes: u64,
    pub upstream_version: Option<String>,
}

/// The rules of this build, rendered on the Methods page from the config.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Methods {
    /// N: the number of scoring sources.
    pub scoring_sources: Vec<String>,
    /// Classification -> weight.
    pub classification_weights: BTreeMap<String, f64>,
    /// Classic source -> minimum measure.
    pub classic_thresholds: BTreeMap<String, u64>,
    /// In order: (name, min_sources, min_percentage).
    pub tiers: Vec<Rule>,
    pub groups: Vec<Rule>,
    /// Per source: how it is selected (keywords, panels, roots, query) in plain words.
    pub selection: BTreeMap<String, Vec<String>>,
    /// Per annotation (name as in `ANNOTATION_NAMES`): how its derived values are computed,
    /// in plain words (the Methods page's "Annotations (not scored)" section).
    #[serde(default)]
    pub annotation_rules: BTreeMap<String, Vec<String>>,
    /// Curator decisions in force, per kind (`map`, `exclude`, `note`), and how they apply.
    #[serde(default)]
    pub curation: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Rule {
    pub name: String,
    pub min_sources: u64,
    pub min_percentage: f64,
}
