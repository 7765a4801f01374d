//! The JSON documents the site publishes, as types, and their JSON Schemas (`api/schema/`).
//!
//! Why a module of its own: scripts and other programs read `api/genes.json`,
//! `api/sources.json`, `api/release.json`, `genes/HGNC_<n>.json` and `downloads/genes.json`;
//! they need a contract that cannot drift from what is written. So each of those files is
//! serialized from a type here, and its schema is generated from the same type (`schemars`)
//! at every build. Every file carries [`SCHEMA_VERSION`]: raised when a field is removed or
//! changes meaning or type (minor: a field added).
//!
//! Two parts stay open objects in the schemas: a gene's evidence records (each source's own
//! record shape, documented on [`super::model::Gene::evidence`]) and its annotations (each
//! annotation's own part).

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, schema_for};
use serde::Serialize;

use crate::gene_annotations::GeneAnnotations;
use crate::sources::StoredRecord;

pub use super::model::GeneSummary;
use super::model::{SourceInfo, SourceScore};
use crate::sources::view::round4;

/// The version of the published JSON shapes (`schema_version` in every file).
pub const SCHEMA_VERSION: &str = "1.0";

/// A source score with its floats rounded to 4 decimals (as every file shows it).
pub fn rounded(b: &SourceScore) -> SourceScore {
    SourceScore {
        measure: round4(b.measure),
        rank: b.rank.map(round4),
        weight: b.weight.map(round4),
        score: round4(b.score),
        contribution: round4(b.contribution),
        ..b.clone()
    }
}

/// A row of `api/genes.json`: the gene and where its page and JSON are.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GeneListing {
    #[serde(flatten)]
    pub gene: GeneSummary,
    /// Its page, relative to the site root (`genes/HGNC_9008.html`).
    pub page: String,
    /// Its JSON, relative to the site root (`genes/HGNC_9008.json`).
    pub json: String,
}

/// `api/genes.json`: the gene index.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GenesIndex<'a> {
    pub schema_version: &'static str,
    pub kgdb_version: &'a str,
    pub release: &'a str,
    pub genes: Vec<GeneListing>,
}

/// `api/sources.json`: every configured source.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SourcesDoc<'a> {
    pub schema_version: &'static str,
    pub kgdb_version: &'a str,
    pub release: &'a str,
    pub sources: &'a [SourceInfo],
}

/// How to cite a release: the text, and its parts for reference managers.
#[derive(Debug, Clone, Serialize, JsonSchema, PartialEq)]
pub struct Citation {
    /// The citation as one line of text.
    pub text: String,
    pub title: String,
    /// The release name (CalVer).
    pub version: String,
    /// The build date (YYYY-MM-DD, UTC).
    pub date: String,
    /// Where the release is published (`site.base_url`), or kgdb's repository.
    pub url: String,
    /// SHA-256 of the release's `downloads/manifest.json` (which lists the SHA-256 of every
    /// other download): what exactly is cited.
    pub manifest_sha256: String,
    /// The DOI of the release (`site.doi` in sources.yaml), when one was minted.
    pub doi: Option<String>,
    /// The same as BibTeX (`@misc`).
    pub bibtex: String,
}

/// A source as `api/release.json` lists it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ReleaseSource {
    pub name: String,
    pub title: String,
    pub upstream_version: Option<String>,
    pub licence: String,
    pub citation: String,
    pub stale: bool,
}

/// A download as `api/release.json` lists it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ReleaseFile {
    /// Relative to the site root.
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

/// `api/release.json`: the release, how to cite it, its sources and files.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ReleaseDoc<'a> {
    pub schema_version: &'static str,
    pub kgdb_version: &'a str,
    pub release: &'a str,
    pub build_time: &'a str,
    /// Scored genes.
    pub genes: usize,
    /// How to cite this release ([`Citation::text`]).
    pub citation: String,
    /// The citation's parts.
    pub cite: Citation,
    /// The first notice a source's licence asks for (the field predates `notices`).
    pub hpo_notice: Option<String>,
    pub sources: Vec<ReleaseSource>,
    pub files: Vec<ReleaseFile>,
}

/// The gene object of `genes/HGNC_<n>.json`: everything its page shows.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GeneDetail<'a> {
    #[serde(flatten)]
    pub gene: GeneSummary,
    /// UniProt accessions (HGNC's `uniprot_ids`); absent when HGNC gives none.
    #[serde(default, skip_serializing_if = "<[String]>::is_empty")]
    pub uniprot_ids: &'a [String],
    /// One entry per scoring source, in configuration order.
    pub breakdown: Vec<SourceScore>,
    /// Scoring source -> the records behind its measure, in that source's own words.
    #[schemars(with = "BTreeMap<String, Vec<serde_json::Map<String, serde_json::Value>>>")]
    pub evidence: &'a BTreeMap<String, Vec<StoredRecord>>,
    /// Annotation -> what it says of the gene (not part of the score; link-only
    /// annotations left out).
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub annotations: Cow<'a, GeneAnnotations>,
}

/// `genes/HGNC_<n>.json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GeneFile<'a> {
    pub schema_version: &'static str,
    pub kgdb_version: &'a str,
    pub release: &'a str,
    pub build_time: &'a str,
    /// The gene's page, relative to this file.
    pub page: String,
    pub gene: GeneDetail<'a>,
}

/// A row of `downloads/genes.json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GeneRow<'a> {
    #[serde(flatten)]
    pub gene: GeneSummary,
    /// Scoring source -> its part of the score (sources with a breakdown entry).
    pub sources: BTreeMap<String, SourceScore>,
    /// Annotation -> what it says of the gene (not part of the score; link-only
    /// annotations left out).
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub annotations: Cow<'a, GeneAnnotations>,
}

/// `downloads/genes.json` (written gene by gene; this type gives its schema and its key
/// order, which is alphabetical).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GenesDownload<'a> {
    pub build_time: &'a str,
    /// The genes.csv columns (the keys of each gene besides `sources` and `annotations`).
    pub columns: Vec<String>,
    pub genes: Vec<GeneRow<'a>>,
    pub kgdb_version: &'a str,
    pub release: &'a str,
    pub schema_version: &'static str,
}

/// Every published schema: (path relative to the site root, the file it describes, schema).
pub fn schemas() -> Vec<(&'static str, &'static str, Schema)> {
    let titled = |mut s: Schema, path: &str, describes: &str| {
        s.insert("$id".into(), serde_json::json!(path));
        s.insert(
            "description".into(),
            serde_json::json!(format!(
                "The shape of {describes} (kgdb JSON schema version {SCHEMA_VERSION})"
            )),
        );
        s
    };
    let list = [
        (
            "api/schema/genes.schema.json",
            "api/genes.json",
            schema_for!(GenesIndex<'static>),
        ),
        (
            "api/schema/sources.schema.json",
            "api/sources.json",
            schema_for!(SourcesDoc<'static>),
        ),
        (
            "api/schema/release.schema.json",
            "api/release.json",
            schema_for!(ReleaseDoc<'static>),
        ),
        (
            "api/schema/gene.schema.json",
            "genes/HGNC_<n>.json",
            schema_for!(GeneFile<'static>),
        ),
        (
            "api/schema/downloads-genes.schema.json",
            "downloads/genes.json",
            schema_for!(GenesDownload<'static>),
        ),
    ];
    list.into_iter()
        .map(|(path, describes, s)| (path, describes, titled(s, path, describes)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_requires_schema_version_and_names_its_file() {
        let all = schemas();
        assert_eq!(all.len(), 5);
        for (path, describes, s) in all {
            let v = serde_json::to_value(&s).unwrap();
            let required: Vec<&str> = v["required"]
                .as_array()
                .unwrap_or_else(|| panic!("{path}: no required list"))
                .iter()
                .filter_map(|r| r.as_str())
                .collect();
            assert!(required.contains(&"schema_version"), "{path}: {required:?}");
            assert_eq!(v["$id"], path);
            assert!(
                v["description"].as_str().unwrap().contains(describes),
                "{path}"
            );
        }
    }

    #[test]
    fn the_gene_schema_types_the_score_and_leaves_records_open() {
        let v = serde_json::to_value(schema_for!(GeneFile<'static>)).unwrap();
        let text = v.to_string();
        // The breakdown's entries are typed source scores.
        assert!(text.contains("\"contribution\""), "{text}");
        // A field left out when empty is not required (2,000 genes have no UniProt id).
        let gene = &v["$defs"]["GeneDetail"];
        assert!(gene["properties"]["uniprot_ids"].is_object(), "{gene}");
        let required: Vec<&str> = gene["required"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r.as_str())
            .collect();
        assert!(!required.contains(&"uniprot_ids"), "{required:?}");
        assert!(required.contains(&"hgnc_id"), "{required:?}");
        assert!(text.contains("\"classic_count\""), "{text}");
    }
}
