//! The raw serde model of `sources.yaml`. Unknown keys are errors; values that validation
//! checks carry their position ([`Spanned`]) so problems can name the line.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_saphyr::Spanned;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub http: RawHttp,
    pub sources: RawSources,
    /// Gene annotations: shown next to the evidence, never scored.
    pub annotations: RawAnnotations,
    pub scoring: RawScoring,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHttp {
    /// Contact URL sent in the User-Agent so upstream operators can reach us.
    pub contact: String,
    pub connect_timeout_secs: Spanned<u64>,
    /// Longest silence allowed while reading a response body.
    pub read_timeout_secs: Spanned<u64>,
    /// Retries after the first attempt, for 429, 5xx, resets and timeouts.
    pub retries: u32,
    pub backoff_initial_ms: Spanned<u64>,
    pub backoff_max_secs: Spanned<u64>,
    /// A Retry-After longer than this fails the request instead of waiting.
    pub max_retry_after_secs: Spanned<u64>,
    pub default_host: Spanned<RawHost>,
    /// Per upstream host (before any `--mirror` rewrite).
    #[serde(default)]
    pub hosts: BTreeMap<String, Spanned<RawHost>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHost {
    pub requests_per_second: Spanned<f64>,
    pub concurrency: Spanned<u64>,
}

/// Settings every source has, as seen through [`RawSources::common`].
#[derive(Debug, Clone, Copy)]
pub struct RawCommon<'a> {
    pub enabled: bool,
    /// Human name shown on the site.
    pub title: &'a str,
    pub homepage: Option<&'a Spanned<String>>,
    pub licence: &'a str,
    pub citation: &'a str,
    /// `kgdb status` fails when the last success is older than this.
    pub max_age_days: &'a Spanned<u64>,
}

fn yes() -> bool {
    true
}

/// Declares a source's settings struct with the common keys inlined (serde's `flatten`
/// would lose both `deny_unknown_fields` and line numbers).
macro_rules! source_settings {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* pub $f:ident : $t:ty,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            #[serde(default = "yes")]
            pub enabled: bool,
            pub title: String,
            pub homepage: Option<Spanned<String>>,
            pub licence: String,
            pub citation: String,
            pub max_age_days: Spanned<u64>,
            $($(#[$fm])* pub $f: $t,)*
        }
        impl $name {
            pub fn common(&self) -> RawCommon<'_> {
                RawCommon {
                    enabled: self.enabled,
                    title: &self.title,
                    homepage: self.homepage.as_ref(),
                    licence: &self.licence,
                    citation: &self.citation,
                    max_age_days: &self.max_age_days,
                }
            }
        }
    };
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSources {
    pub hgnc: RawHgnc,
    pub panelapp_uk: RawPanelApp,
    pub panelapp_au: RawPanelApp,
    pub clingen: RawClinGen,
    pub gencc: RawGenCC,
    pub hpo: RawHpo,
    pub pubtator: RawPubTator,
    pub literature: RawCurated,
    pub diagnostic_panels: RawCurated,
}

impl RawSources {
    /// The common settings of a source by name.
    pub fn common(&self, name: &str) -> Option<RawCommon<'_>> {
        Some(match name {
            "hgnc" => self.hgnc.common(),
            "panelapp_uk" => self.panelapp_uk.common(),
            "panelapp_au" => self.panelapp_au.common(),
            "clingen" => self.clingen.common(),
            "gencc" => self.gencc.common(),
            "hpo" => self.hpo.common(),
            "pubtator" => self.pubtator.common(),
            "literature" => self.literature.common(),
            "diagnostic_panels" => self.diagnostic_panels.common(),
            _ => return None,
        })
    }
}

source_settings! {
    pub struct RawHgnc {
        /// The HGNC complete set (TSV).
        pub url: Spanned<String>,
        /// HGNC's `withdrawn.txt` (optional): lets withdrawn IDs and symbols follow their merge.
        pub withdrawn_url: Option<Spanned<String>>,
    }
}

source_settings! {
    pub struct RawPanelApp {
        /// API root, e.g. `https://panelapp.genomicsengland.co.uk/api/v1`.
        pub api_url: Spanned<String>,
        /// Region label stored with every panel (`UK`, `Australia`).
        pub region: Spanned<String>,
        /// Case-insensitive substrings of the panel name that select a panel.
        pub panel_name_patterns: Spanned<Vec<String>>,
        /// Substrings that reject a panel even if a pattern matched (e.g. `adrenal`).
        #[serde(default)]
        pub panel_name_exclusions: Vec<String>,
        #[serde(default)]
        pub include_panels: Vec<u64>,
        #[serde(default)]
        pub exclude_panels: Vec<u64>,
        /// Ratings that count as evidence (`green`, `amber`); others are staged and shown only.
        pub counted_ratings: Spanned<Vec<String>>,
    }
}

source_settings! {
    pub struct RawClinGen {
        pub url: Spanned<String>,
        /// Curations by these GCEPs are kept whatever their disease label says.
        pub expert_panels: Spanned<Vec<String>>,
        /// Otherwise a curation is kept when its disease label contains one of these…
        pub disease_keywords: Spanned<Vec<String>>,
        /// …and none of these.
        #[serde(default)]
        pub disease_exclusions: Vec<String>,
    }
}

source_settings! {
    pub struct RawGenCC {
        /// The submissions export (TSV).
        pub url: Spanned<String>,
        pub disease_keywords: Spanned<Vec<String>>,
        #[serde(default)]
        pub disease_exclusions: Vec<String>,
    }
}

source_settings! {
    pub struct RawHpo {
        pub obo_url: Spanned<String>,
        pub hpoa_url: Spanned<String>,
        pub genes_to_disease_url: Spanned<String>,
        /// A disease is a kidney disease when annotated to one of these terms or a descendant.
        pub kidney_root_terms: Spanned<Vec<String>>,
        /// Disease id prefixes kept (OMIM, ORPHA), without the colon.
        pub disease_prefixes: Spanned<Vec<String>>,
    }
}

source_settings! {
    pub struct RawPubTator {
        /// API root, e.g. `https://www.ncbi.nlm.nih.gov/research/pubtator3-api`.
        pub api_url: Spanned<String>,
        pub query: Spanned<String>,
        /// Upper bound on pages per fetch (none: until the last page).
        pub max_pages: Option<Spanned<u64>>,
        /// An incremental fetch stops after this many consecutive pages with no new PMID.
        pub known_pages_to_stop: Spanned<u64>,
        /// The API's `sort` parameter; `date desc` lists new articles first, which the
        /// incremental stop relies on.
        pub sort: Option<String>,
    }
}

source_settings! {
    pub struct RawCurated {
        /// Files are `base_url` + name; without it each entry is a URL or a local path.
        pub base_url: Option<Spanned<String>>,
        pub files: Spanned<Vec<String>>,
    }
}

/// Declares an annotation source's settings: the common source keys plus whether its
/// licence allows redistribution and the upstream page of a gene.
macro_rules! annotation_settings {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* pub $f:ident : $t:ty,)* }) => {
        source_settings! {
            $(#[$m])*
            pub struct $name {
                /// False when the licence forbids redistribution: the site links to
                /// `gene_link` instead of showing values, and downloads leave it out.
                #[serde(default = "yes")]
                pub redistribute: bool,
                /// The upstream page of a gene; `{symbol}`, `{hgnc_id}`, `{entrez_id}` and
                /// `{ensembl_gene_id}` are replaced.
                pub gene_link: Option<Spanned<String>>,
                $($(#[$fm])* pub $f: $t,)*
            }
        }
    };
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAnnotations {
    pub hpo_phenotypes: RawHpoPhenotypes,
    pub gnomad: RawOneFile,
    pub clinvar: RawOneFile,
    pub gtex: RawOneFile,
    pub descartes: RawDescartes,
    pub mgi: RawMgi,
    pub mane: RawOneFile,
}

/// What every annotation source has, as seen through [`RawAnnotations::info`].
#[derive(Debug, Clone, Copy)]
pub struct RawAnnotationInfo<'a> {
    pub common: RawCommon<'a>,
    pub redistribute: bool,
    pub gene_link: Option<&'a Spanned<String>>,
}

impl RawAnnotations {
    /// The common settings of an annotation source by name.
    pub fn info(&self, name: &str) -> Option<RawAnnotationInfo<'_>> {
        macro_rules! info {
            ($s:expr) => {
                RawAnnotationInfo {
                    common: $s.common(),
                    redistribute: $s.redistribute,
                    gene_link: $s.gene_link.as_ref(),
                }
            };
        }
        Some(match name {
            "hpo_phenotypes" => info!(self.hpo_phenotypes),
            "gnomad" => info!(self.gnomad),
            "clinvar" => info!(self.clinvar),
            "gtex" => info!(self.gtex),
            "descartes" => info!(self.descartes),
            "mgi" => info!(self.mgi),
            "mane" => info!(self.mane),
            _ => return None,
        })
    }
}

annotation_settings! {
    /// Phenotype classes from the files the `hpo` source downloads (no download of its own).
    pub struct RawHpoPhenotypes {
        /// Kidney roots, clinical and onset groups, syndromic indicators (missing keys take
        /// the defaults of [`crate::annotations::hpo_classes::ClassRules`]).
        pub rules: Spanned<crate::annotations::hpo_classes::ClassRules>,
    }
}

annotation_settings! {
    /// An annotation read from one file.
    pub struct RawOneFile {
        pub url: Spanned<String>,
    }
}

annotation_settings! {
    pub struct RawDescartes {
        /// Fetal kidney TPM per cell type.
        pub tpm_url: Spanned<String>,
        /// Fraction of each cell type's cells expressing the gene.
        pub fraction_url: Spanned<String>,
    }
}

annotation_settings! {
    pub struct RawMgi {
        /// `HMD_HumanPhenotype.rpt`: human-mouse orthologs with the mouse MP terms.
        pub orthologs_url: Spanned<String>,
        /// `VOC_MammalianPhenotype.rpt`: MP term names.
        pub vocabulary_url: Spanned<String>,
        /// JSON list of the MP ids under MP:0005367 (renal/urinary system phenotype).
        pub kidney_terms_url: Spanned<String>,
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScoring {
    /// Sources in the denominator N of the percentage.
    pub sources: Spanned<Vec<String>>,
    /// ClinGen and GenCC classification weights (matched case-insensitively).
    pub classification_weights: BTreeMap<String, Spanned<f64>>,
    /// Classic evidence count: minimum measure per classic source.
    pub classic_thresholds: BTreeMap<String, u64>,
    /// First match wins, strictest first.
    pub tiers: Spanned<Vec<RawTier>>,
    /// The tier of a gene no tier matches (always that of a gene with percentage 0).
    pub default_tier: String,
    pub groups: Vec<RawTier>,
    /// The group of a gene no group matches (always that of a gene with percentage 0).
    pub default_group: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTier {
    pub name: String,
    #[serde(default)]
    pub min_sources: u64,
    #[serde(default)]
    pub min_percentage: f64,
}
