//! Evidence: what each source says about each gene, gathered per (HGNC gene, scoring source).
//!
//! Why: sources stage rows in their own shapes (a panel entry, a curation, a disease-gene
//! pair, a PMID); scoring needs one measure per gene and source, and the site needs the rows
//! behind it. This module turns normalized staged rows into `evidence` rows: the measure
//! (SCORING.md: distinct panels rated Green/Amber, publications, labs, kidney diseases,
//! PMIDs; for ClinGen and GenCC the number of kidney curations plus the best
//! classification), and a details JSON with every staged record, so every number on the site
//! traces back to the staged rows and from there to their download.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::registry::Registry;
use crate::score::{EvidenceRow, ScoringSettings};
use crate::sources::Method;
use crate::store::{EvidenceRecord, Store, StoreError};

/// One `evidence` row with the records behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub row: EvidenceRow,
    /// `{"records": [...staged details, with "record_key" and "staged_source"...]}`.
    pub details: Value,
}

#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "{source_name}: stored record {record_key} does not match the source's record type: {error}"
    )]
    Record {
        source_name: String,
        record_key: String,
        #[source]
        error: serde_json::Error,
    },
    #[error(
        "{source_name}: classification `{classification}` (gene {hgnc_id}) has no weight in scoring.classification_weights of sources.yaml"
    )]
    UnknownClassification {
        source_name: String,
        hgnc_id: String,
        classification: String,
    },
}

/// Gather the evidence of every normalized gene from the staged rows: each scoring
/// source's own rule ([`crate::sources::ScoringSource::contribution`]) says what a record
/// counts for.
pub fn build(
    store: &Store,
    registry: &Registry,
    settings: &ScoringSettings,
) -> Result<Vec<Evidence>, EvidenceError> {
    // (hgnc_id, scoring source) -> records, in staged order (source, record_key).
    let mut groups: BTreeMap<(String, String), Vec<Value>> = BTreeMap::new();
    let considered = settings.considered_sources();
    // Evidence sources only: annotation rows never count (and are large).
    let staged: Vec<&str> = registry
        .sources()
        .filter(|s| s.scoring().is_some())
        .map(|s| s.name())
        .collect();
    for (staged_source, hgnc_id, record_key, mut details) in store.normalized_staged(&staged)? {
        let Some(scoring) = registry.scoring_of(&staged_source) else {
            continue;
        };
        let source = scoring.scoring_name();
        if !considered.contains(&source) {
            continue;
        }
        if let Value::Object(o) = &mut details {
            o.insert("record_key".into(), json!(record_key));
            o.insert("staged_source".into(), json!(staged_source));
        }
        groups
            .entry((hgnc_id, source.to_string()))
            .or_default()
            .push(details);
    }
    let mut out = Vec::with_capacity(groups.len());
    for ((hgnc_id, source), records) in groups {
        let Some(scoring) = registry.scoring(&source) else {
            continue;
        };
        let tally = scoring.tally(&records).map_err(|e| EvidenceError::Record {
            source_name: source.clone(),
            record_key: e.record_key,
            error: e.error,
        })?;
        let classifications = tally.classifications;
        let classification = match scoring.method() {
            Method::Classification => settings
                .best_classification(
                    classifications
                        .iter()
                        .map(String::as_str)
                        .collect::<Vec<_>>(),
                )
                .map_err(|c| EvidenceError::UnknownClassification {
                    source_name: source.clone(),
                    hgnc_id: hgnc_id.clone(),
                    classification: c.to_string(),
                })?
                .map(str::to_string),
            Method::Percentile => None,
        };
        out.push(Evidence {
            row: EvidenceRow {
                hgnc_id,
                source,
                measure: tally.measure,
                classification,
            },
            details: json!({ "records": records }),
        });
    }
    Ok(out)
}

impl Evidence {
    /// The row as stored in the `evidence` table.
    pub fn record(&self) -> EvidenceRecord {
        EvidenceRecord {
            hgnc_id: self.row.hgnc_id.clone(),
            source: self.row.source.clone(),
            measure: self.row.measure,
            classification: self.row.classification.clone(),
            details: self.details.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Registry {
        Registry::from_str(
            std::path::Path::new("sources.yaml"),
            include_str!("../sources.yaml"),
        )
        .unwrap()
    }

    fn key(r: &Registry, source: &str, d: Value) -> Option<String> {
        r.scoring(source)
            .unwrap()
            .contribution("rk", &d)
            .unwrap()
            .key
    }

    #[test]
    fn measures_count_what_scoring_md_says() {
        let r = registry();
        // GenCC and ClinGen: each curation or submission, with its classification.
        let gc = r
            .scoring("gencc")
            .unwrap()
            .contribution(
                "GENCC_1",
                &json!({"classification": "Definitive", "matched": "kidney", "pmids": []}),
            )
            .unwrap();
        assert_eq!(gc.key.as_deref(), Some("GENCC_1"));
        assert_eq!(gc.classification.as_deref(), Some("Definitive"));
        // PubTator: the PMID; HPO: the disease.
        assert_eq!(
            key(&r, "pubtator", json!({"pmid": "38275584"})).as_deref(),
            Some("38275584")
        );
        assert_eq!(
            key(&r, "hpo", json!({"disease_id": "OMIM:256300"})).as_deref(),
            Some("OMIM:256300")
        );
        // Labs count once however many sub-panels list the gene.
        assert_eq!(
            key(
                &r,
                "diagnostic_panels",
                json!({"list_id": "blueprint_genetics", "panels": ["a", "b"]})
            )
            .as_deref(),
            Some("blueprint_genetics")
        );
        assert_eq!(
            r.scoring_of("panelapp_au").unwrap().scoring_name(),
            "panelapp"
        );
    }
}
