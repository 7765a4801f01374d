//! Scoring: from the `evidence` table to each gene's per-source scores, percentage, tier,
//! group and classic evidence count (SCORING.md).
//!
//! Why a module of its own: the predecessor scored in SQL views whose bugs went unnoticed for
//! lack of tests (reference-behaviour.md §3): `percent_rank` gave 0 to every gene at a
//! source's minimum count, ClinGen took an arbitrary curation instead of the best one, and
//! weight-0 curations counted as a supporting source. Here the rules live in one pure
//! function, [`score`], over plain Rust rows, with every number taken from `sources.yaml`
//! ([`crate::registry::Registry::scoring_settings`]) and a golden test whose expected values are worked out
//! by hand.
//!
//! How: the per-source ranking (mid-rank percentile, a window over each source) and the
//! per-gene totals (a group-by) run in polars ([`frame`], the only polars code of the crate);
//! tiers, groups, the classic count and the explainable breakdown are plain Rust. The public
//! types are plain Rust so the rest of the crate never sees polars.
//!
//! Determinism: genes come out sorted by HGNC number, each gene's sources in the configured
//! order; exports ([`to_tsv`], [`to_json`]) round every float to 4 decimals, and tiers and
//! groups are decided on the percentage rounded the same way, so what a reader sees is what
//! decided the tier.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

mod export;
mod frame;
#[cfg(test)]
mod tests;

pub use export::{round4, to_json, to_tsv};

/// One row of the `evidence` table: what one source says about one gene.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRow {
    /// `HGNC:<number>`, as normalization wrote it.
    pub hgnc_id: String,
    /// A scoring source name (see [`ScoringSettings::methods`]).
    pub source: String,
    /// The source's measure (distinct panels, publications, labs, diseases, PMIDs; for
    /// ClinGen and GenCC the number of kidney curations, shown but not scored).
    pub measure: f64,
    /// ClinGen and GenCC: the gene's best classification (see
    /// [`ScoringSettings::best_classification`]). Ignored by percentile sources.
    pub classification: Option<String>,
}

/// A tier or group rule: matches when source count >= `min_sources` and percentage >=
/// `min_percentage` (and percentage > 0).
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    pub name: String,
    pub min_sources: u32,
    pub min_percentage: f64,
}

impl Threshold {
    fn matches(&self, source_count: u32, percentage: f64) -> bool {
        percentage > 0.0 && source_count >= self.min_sources && percentage >= self.min_percentage
    }
}

/// How a source's score `s` is derived from its evidence (SCORING.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Mid-rank percentile of the measure among the genes with measure > 0.
    Percentile,
    /// The weight of the gene's classification.
    Classification,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Percentile => "percentile",
            Method::Classification => "classification",
        }
    }
}

/// Everything scoring needs from `sources.yaml` (section `scoring`).
#[derive(Debug, Clone, PartialEq)]
pub struct ScoringSettings {
    /// The sources in the denominator N of the percentage, in display order.
    pub sources: Vec<String>,
    /// Every known scoring source and how its score is derived (from the registry).
    pub methods: BTreeMap<String, Method>,
    /// Classification weights, keys lower-cased.
    pub weights: BTreeMap<String, f64>,
    /// Classic evidence count: minimum measure per classic source.
    pub classic_thresholds: BTreeMap<String, f64>,
    /// First match wins.
    pub tiers: Vec<Threshold>,
    pub default_tier: String,
    /// First match wins.
    pub groups: Vec<Threshold>,
    pub default_group: String,
}

fn thresholds(raw: &[crate::config::RawTier]) -> Vec<Threshold> {
    raw.iter()
        .map(|t| Threshold {
            name: t.name.clone(),
            min_sources: u32::try_from(t.min_sources).unwrap_or(u32::MAX),
            min_percentage: t.min_percentage,
        })
        .collect()
}

impl ScoringSettings {
    /// The `scoring` section of a validated config, with every scoring source's method (the
    /// registry knows them: [`crate::registry::Registry::scoring_settings`]).
    pub fn new(
        sc: &crate::config::RawScoring,
        methods: BTreeMap<String, Method>,
    ) -> ScoringSettings {
        ScoringSettings {
            sources: sc.sources.value.clone(),
            methods,
            weights: sc
                .classification_weights
                .iter()
                .map(|(k, w)| (k.trim().to_lowercase(), w.value))
                .collect(),
            classic_thresholds: sc
                .classic_thresholds
                .iter()
                .map(|(k, v)| (k.clone(), *v as f64))
                .collect(),
            tiers: thresholds(&sc.tiers.value),
            default_tier: sc.default_tier.clone(),
            groups: thresholds(&sc.groups),
            default_group: sc.default_group.clone(),
        }
    }

    /// The weight of a classification (case-insensitive), `None` when not configured.
    pub fn weight(&self, classification: &str) -> Option<f64> {
        self.weights
            .get(&classification.trim().to_lowercase())
            .copied()
    }

    /// The best of a gene's classifications: highest weight; among equal weights the
    /// alphabetically first (case-insensitive), so the answer never depends on input order.
    /// `Err` names the first classification that has no configured weight.
    pub fn best_classification<'a>(
        &self,
        classifications: impl IntoIterator<Item = &'a str>,
    ) -> Result<Option<&'a str>, &'a str> {
        let mut best: Option<(f64, String, &'a str)> = None;
        for c in classifications {
            let w = self.weight(c).ok_or(c)?;
            let key = c.trim().to_lowercase();
            let better = match &best {
                None => true,
                Some((bw, bk, bc)) => w > *bw || (w == *bw && (&key, c) < (bk, *bc)),
            };
            if better {
                best = Some((w, key, c));
            }
        }
        Ok(best.map(|(_, _, c)| c))
    }

    /// How a source's score is derived (count sources when unknown).
    pub fn method(&self, source: &str) -> Method {
        self.methods
            .get(source)
            .copied()
            .unwrap_or(Method::Percentile)
    }

    /// Sources shown in a gene's breakdown: the scoring sources, then classic-only ones.
    pub fn considered_sources(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.sources.iter().map(String::as_str).collect();
        for s in self.classic_thresholds.keys() {
            if !v.contains(&s.as_str()) {
                v.push(s);
            }
        }
        v
    }

    /// The tier of a gene (first match wins; a gene with percentage 0 matches none).
    pub fn tier_of(&self, source_count: u32, percentage: f64) -> &str {
        first_match(&self.tiers, source_count, percentage).unwrap_or(&self.default_tier)
    }

    /// The group of a gene (first match wins; a gene with percentage 0 matches none).
    pub fn group_of(&self, source_count: u32, percentage: f64) -> &str {
        first_match(&self.groups, source_count, percentage).unwrap_or(&self.default_group)
    }
}

fn first_match(rules: &[Threshold], source_count: u32, percentage: f64) -> Option<&str> {
    rules
        .iter()
        .find(|t| t.matches(source_count, percentage))
        .map(|t| t.name.as_str())
}

/// One source's part in a gene's score: everything the gene page explains.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceScore {
    pub source: String,
    pub method: Method,
    /// The source's measure for this gene.
    pub measure: f64,
    /// Percentile: genes with measure > 0 in this source. Classification: genes with a
    /// classification in this source.
    pub n: u32,
    /// Percentile: the average 1-based rank of the gene's tie group (ascending measure);
    /// `None` when the measure is 0.
    pub rank: Option<f64>,
    /// Classification: the gene's (best) classification as the source wrote it.
    pub classification: Option<String>,
    /// Classification: its configured weight.
    pub weight: Option<f64>,
    /// The source score in [0, 1]: rank / n, or the weight.
    pub s: f64,
    /// Points added to the percentage: 100 * s / N (0 when the source is not counted).
    pub contribution: f64,
    /// Whether the source is one of the N scoring sources.
    pub counted: bool,
    /// s > 0.
    pub supported: bool,
    /// A classification whose weight is 0 (Refuted, Disputed, No Known Disease
    /// Relationship): shown as contradicting evidence, not counted as support.
    pub contradicting: bool,
    /// The classic flag (measure >= threshold); `None` for a non-classic source.
    pub classic: Option<bool>,
}

/// A gene's score, with its per-source breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeneScore {
    pub hgnc_id: String,
    pub hgnc_num: u32,
    /// Sources with evidence for the gene, in [`ScoringSettings::considered_sources`] order.
    pub sources: Vec<SourceScore>,
    /// 100 * (sum of the counted sources' s) / N, in [0, 100].
    pub percentage: f64,
    /// Counted sources with s > 0.
    pub source_count: u32,
    pub tier: String,
    pub group: String,
    /// Classic flags that hold (0..=5 with the default config).
    pub classic_count: u32,
}

impl GeneScore {
    /// Sources whose evidence contradicts (weight-0 classifications).
    pub fn contradicting(&self) -> impl Iterator<Item = &str> {
        self.sources
            .iter()
            .filter(|s| s.contradicting)
            .map(|s| s.source.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScoreError {
    #[error("evidence for unknown source `{source_name}` (known: {known})")]
    UnknownSource { source_name: String, known: String },
    #[error("evidence with malformed HGNC ID `{hgnc_id}` (expected HGNC:<number>)")]
    BadHgncId { hgnc_id: String },
    #[error("{source_name} evidence for {hgnc_id}: measure {measure} is not a finite number >= 0")]
    BadMeasure {
        hgnc_id: String,
        source_name: String,
        measure: f64,
    },
    #[error("{source_name} has more than one evidence row for {hgnc_id}")]
    Duplicate {
        hgnc_id: String,
        source_name: String,
    },
    #[error("{source_name} evidence for {hgnc_id} has no classification")]
    MissingClassification {
        hgnc_id: String,
        source_name: String,
    },
    #[error(
        "{source_name} evidence for {hgnc_id}: classification `{classification}` has no weight; add it to scoring.classification_weights in sources.yaml"
    )]
    UnknownClassification {
        hgnc_id: String,
        source_name: String,
        classification: String,
    },
    #[error("scoring computation failed: {0}")]
    Compute(String),
}

/// The HGNC number of a canonical `HGNC:<number>` id.
pub fn hgnc_num(hgnc_id: &str) -> Option<u32> {
    let digits = hgnc_id.strip_prefix("HGNC:")?;
    let n: u32 = digits.parse().ok()?;
    (digits.bytes().all(|b| b.is_ascii_digit()) && n.to_string() == digits).then_some(n)
}

/// Score every gene that has evidence. Pure: same rows and settings give the same result,
/// whatever the order of the rows.
///
/// Rows of a known source that is neither a scoring source nor a classic one are ignored;
/// a gene whose only rows are ignored does not appear.
pub fn score(
    evidence: &[EvidenceRow],
    settings: &ScoringSettings,
) -> Result<Vec<GeneScore>, ScoreError> {
    let considered = settings.considered_sources();
    let n_sources = settings.sources.len();

    // Validate and lay the rows out as columns (sorted, so the row order never matters).
    let mut kept: Vec<(u32, u32, &EvidenceRow, Option<f64>)> = Vec::with_capacity(evidence.len());
    let mut seen = HashSet::with_capacity(evidence.len());
    for row in evidence {
        let Some(src) = considered.iter().position(|s| *s == row.source) else {
            if settings.methods.contains_key(&row.source) {
                continue;
            }
            return Err(ScoreError::UnknownSource {
                source_name: row.source.clone(),
                known: settings
                    .methods
                    .keys()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        };
        let num = hgnc_num(&row.hgnc_id).ok_or_else(|| ScoreError::BadHgncId {
            hgnc_id: row.hgnc_id.clone(),
        })?;
        if !(row.measure.is_finite() && row.measure >= 0.0) {
            return Err(ScoreError::BadMeasure {
                hgnc_id: row.hgnc_id.clone(),
                source_name: row.source.clone(),
                measure: row.measure,
            });
        }
        if !seen.insert((num, src)) {
            return Err(ScoreError::Duplicate {
                hgnc_id: row.hgnc_id.clone(),
                source_name: row.source.clone(),
            });
        }
        let weight = match settings.method(&row.source) {
            Method::Percentile => None,
            Method::Classification => {
                let c = row.classification.as_deref().ok_or_else(|| {
                    ScoreError::MissingClassification {
                        hgnc_id: row.hgnc_id.clone(),
                        source_name: row.source.clone(),
                    }
                })?;
                Some(
                    settings
                        .weight(c)
                        .ok_or_else(|| ScoreError::UnknownClassification {
                            hgnc_id: row.hgnc_id.clone(),
                            source_name: row.source.clone(),
                            classification: c.to_string(),
                        })?,
                )
            }
        };
        kept.push((num, src as u32, row, weight));
    }
    kept.sort_by_key(|(num, src, _, _)| (*num, *src));

    let columns = frame::Rows {
        gene: kept.iter().map(|k| k.0).collect(),
        src: kept.iter().map(|k| k.1).collect(),
        key: kept
            .iter()
            .map(|(_, _, r, _)| {
                (settings.method(&r.source) == Method::Percentile && r.measure > 0.0)
                    .then_some(r.measure)
            })
            .collect(),
        weight: kept.iter().map(|k| k.3).collect(),
        percentile: kept
            .iter()
            .map(|(_, _, r, _)| settings.method(&r.source) == Method::Percentile)
            .collect(),
        counted: kept
            .iter()
            .map(|(_, _, r, _)| settings.sources.contains(&r.source))
            .collect(),
    };
    let (ranked, totals) =
        frame::compute(columns, n_sources).map_err(|e| ScoreError::Compute(e.to_string()))?;

    // Assemble the breakdown per gene; rows are sorted by (gene, source index).
    let mut out = Vec::with_capacity(totals.len());
    let mut rows = kept.iter().zip(ranked).peekable();
    for t in totals {
        let mut sources = Vec::new();
        while let Some(((num, _, row, weight), r)) = rows.next_if(|((num, ..), _)| *num == t.gene) {
            debug_assert_eq!(*num, t.gene);
            let counted = settings.sources.contains(&row.source);
            let method = settings.method(&row.source);
            sources.push(SourceScore {
                source: row.source.clone(),
                method,
                measure: row.measure,
                n: r.n,
                rank: r.rank,
                classification: row.classification.clone(),
                weight: *weight,
                s: r.s,
                contribution: if counted {
                    100.0 * r.s / n_sources as f64
                } else {
                    0.0
                },
                counted,
                supported: r.s > 0.0,
                contradicting: method == Method::Classification && r.s == 0.0,
                classic: settings
                    .classic_thresholds
                    .get(&row.source)
                    .map(|min| row.measure >= *min),
            });
        }
        let percentage = t.percentage.clamp(0.0, 100.0);
        let shown = round4(percentage);
        out.push(GeneScore {
            hgnc_id: format!("HGNC:{}", t.gene),
            hgnc_num: t.gene,
            classic_count: sources.iter().filter(|s| s.classic == Some(true)).count() as u32,
            tier: settings.tier_of(t.source_count, shown).to_string(),
            group: settings.group_of(t.source_count, shown).to_string(),
            sources,
            percentage,
            source_count: t.source_count,
        });
    }
    if rows.next().is_some() {
        return Err(ScoreError::Compute(
            "per-gene totals do not cover every evidence row".into(),
        ));
    }
    Ok(out)
}
