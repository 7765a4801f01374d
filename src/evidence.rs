//! Evidence: what each source says about each gene, gathered per (HGNC gene, scoring source).
//!
//! Why: sources stage rows in their own shapes (a panel entry, a curation, a disease-gene
//! pair, a PMID); scoring needs one measure per gene and source, and the site needs the rows
//! behind it. This module turns normalized staged rows into `evidence` rows: the measure
//! (SCORING.md: distinct panels rated Green/Amber, publications, labs, kidney diseases,
//! PMIDs; for ClinGen and GenCC the number of kidney curations plus the best
//! classification), and a details JSON with every staged record, so every number on the site
//! traces back to the staged rows and from there to their download.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::score::{EvidenceRow, ScoringSettings};
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
        "{source_name}: classification `{classification}` (gene {hgnc_id}) has no weight in scoring.classification_weights of sources.yaml"
    )]
    UnknownClassification {
        source_name: String,
        hgnc_id: String,
        classification: String,
    },
}

/// The scoring source a staged source feeds (PanelApp UK and Australia are one source).
pub fn scoring_source(staged_source: &str) -> &str {
    match staged_source {
        "panelapp_uk" | "panelapp_au" => "panelapp",
        other => other,
    }
}

/// The key that makes two records count once for the measure, or `None` when the record
/// does not count (a Red PanelApp rating).
fn measure_key(source: &str, d: &Value) -> Option<String> {
    let s = |k: &str| match &d[k] {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    match source {
        "panelapp" => (d["counted"] == Value::Bool(true))
            .then(|| format!("{}/{}", s("region"), s("panel_id"))),
        "literature" | "diagnostic_panels" => Some(s("list_id")),
        "hpo" => Some(s("disease_id")),
        "pubtator" => Some(s("pmid")),
        // ClinGen and GenCC: each curation or submission.
        _ => Some(s("record_key")),
    }
}

/// Gather the evidence of every normalized gene from the staged rows.
pub fn build(store: &Store, settings: &ScoringSettings) -> Result<Vec<Evidence>, EvidenceError> {
    // (hgnc_id, scoring source) -> records, in staged order (source, record_key).
    let mut groups: BTreeMap<(String, String), Vec<Value>> = BTreeMap::new();
    for (staged_source, hgnc_id, record_key, mut details) in store.normalized_staged()? {
        let source = scoring_source(&staged_source).to_string();
        if !settings.considered_sources().contains(&source.as_str()) {
            continue;
        }
        if let Value::Object(o) = &mut details {
            o.insert("record_key".into(), json!(record_key));
            o.insert("staged_source".into(), json!(staged_source));
        }
        groups.entry((hgnc_id, source)).or_default().push(details);
    }
    let mut out = Vec::with_capacity(groups.len());
    for ((hgnc_id, source), records) in groups {
        let keys: BTreeSet<String> = records
            .iter()
            .filter_map(|d| measure_key(&source, d))
            .collect();
        let classification = match source.as_str() {
            "clingen" | "gencc" => {
                let all: Vec<&str> = records
                    .iter()
                    .filter_map(|d| d["classification"].as_str())
                    .collect();
                settings
                    .best_classification(all)
                    .map_err(|c| EvidenceError::UnknownClassification {
                        source_name: source.clone(),
                        hgnc_id: hgnc_id.clone(),
                        classification: c.to_string(),
                    })?
                    .map(str::to_string)
            }
            _ => None,
        };
        out.push(Evidence {
            row: EvidenceRow {
                hgnc_id,
                source,
                measure: keys.len() as f64,
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

    #[test]
    fn measures_count_what_scoring_md_says() {
        // PanelApp: distinct (region, panel) rated Green or Amber; Red is kept but not counted.
        let green = json!({"region": "UK", "panel_id": 283, "counted": true});
        let red = json!({"region": "UK", "panel_id": 9, "counted": false});
        assert_eq!(measure_key("panelapp", &green).as_deref(), Some("UK/283"));
        assert_eq!(measure_key("panelapp", &red), None);
        // The same panel id in Australia is another panel.
        let au = json!({"region": "Australia", "panel_id": 283, "counted": true});
        assert_ne!(
            measure_key("panelapp", &au),
            measure_key("panelapp", &green)
        );
        // Labs count once however many sub-panels list the gene.
        let lab = json!({"list_id": "blueprint_genetics", "panels": ["a", "b"]});
        assert_eq!(
            measure_key("diagnostic_panels", &lab).as_deref(),
            Some("blueprint_genetics")
        );
        assert_eq!(
            measure_key("pubtator", &json!({"pmid": "38275584"})).as_deref(),
            Some("38275584")
        );
        assert_eq!(
            measure_key("hpo", &json!({"disease_id": "OMIM:256300"})).as_deref(),
            Some("OMIM:256300")
        );
        assert_eq!(scoring_source("panelapp_au"), "panelapp");
    }
}
