//! The raw serde model of `sources.yaml`. Unknown keys are errors; values that validation
//! checks carry their position ([`Spanned`]) so problems can name the line.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_saphyr::Spanned;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub http: RawHttp,
    /// One block per evidence source, read by the source's own module (see
    /// [`crate::sources`]); the loader checks only that each key names a registered source.
    pub sources: BTreeMap<String, serde::de::IgnoredAny>,
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

/// serde default for `enabled` and `redistribute`.
pub fn yes() -> bool {
    true
}

/// Declares a source's settings struct with the common keys inlined (serde's `flatten`
/// would lose both `deny_unknown_fields` and line numbers). Source modules use it for their
/// own settings type.
#[macro_export]
macro_rules! source_settings {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* pub $f:ident : $t:ty,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            #[serde(default = "crate::config::yes")]
            pub enabled: bool,
            pub title: String,
            pub homepage: Option<serde_saphyr::Spanned<String>>,
            pub licence: String,
            pub citation: String,
            pub max_age_days: serde_saphyr::Spanned<u64>,
            $($(#[$fm])* pub $f: $t,)*
        }
        impl $name {
            pub fn common(&self) -> $crate::config::RawCommon<'_> {
                $crate::config::RawCommon {
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

/// Declares an annotation source's settings: the common source keys plus whether its
/// licence allows redistribution and the upstream page of a gene.
macro_rules! annotation_settings {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* pub $f:ident : $t:ty,)* }) => {
        $crate::source_settings! {
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
