//! Deterministic exports of scores: TSV and JSON, genes sorted by HGNC number, floats rounded
//! to 4 decimals, so the same inputs give byte-identical files.

use std::fmt::Write as _;

use super::{GeneScore, Method, ScoringSettings, SourceScore};

/// Rounded to 4 decimals (the precision of every dump, so rebuilds are byte-identical);
/// -0 becomes 0.
pub fn round4(x: f64) -> f64 {
    let r = (x * 10_000.0).round() / 10_000.0;
    if r == 0.0 { 0.0 } else { r }
}

fn opt4(x: Option<f64>) -> Option<f64> {
    x.map(round4)
}

impl SourceScore {
    /// This breakdown with every float rounded to 4 decimals.
    pub fn rounded(&self) -> SourceScore {
        SourceScore {
            measure: round4(self.measure),
            rank: opt4(self.rank),
            weight: opt4(self.weight),
            s: round4(self.s),
            contribution: round4(self.contribution),
            ..self.clone()
        }
    }
}

impl GeneScore {
    /// This score with every float rounded to 4 decimals (what the dumps and the store hold).
    pub fn rounded(&self) -> GeneScore {
        GeneScore {
            sources: self.sources.iter().map(SourceScore::rounded).collect(),
            percentage: round4(self.percentage),
            ..self.clone()
        }
    }
}

fn sorted(scores: &[GeneScore]) -> Vec<&GeneScore> {
    let mut v: Vec<&GeneScore> = scores.iter().collect();
    v.sort_by_key(|g| g.hgnc_num);
    v
}

fn tsv_field(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// One line per gene: totals, then per considered source its measure and s (and for
/// classification sources the classification). Empty cells where a source has no evidence.
pub fn to_tsv(scores: &[GeneScore], settings: &ScoringSettings) -> String {
    let sources = settings.considered_sources();
    let mut out = String::from(
        "hgnc_id\tpercentage\tsource_count\ttier\tgroup\tclassic_count\tcontradicting",
    );
    for src in &sources {
        if settings.method(src) == Method::Classification {
            let _ = write!(out, "\t{src}_classification");
        }
        let _ = write!(out, "\t{src}_measure\t{src}_s");
    }
    out.push('\n');
    for g in sorted(scores) {
        let contradicting: Vec<&str> = g.contradicting().collect();
        let _ = write!(
            out,
            "{}\t{:.4}\t{}\t{}\t{}\t{}\t{}",
            g.hgnc_id,
            round4(g.percentage),
            g.source_count,
            tsv_field(&g.tier),
            tsv_field(&g.group),
            g.classic_count,
            contradicting.join(",")
        );
        for src in &sources {
            let s = g.sources.iter().find(|s| s.source == *src);
            if settings.method(src) == Method::Classification {
                let c = s.and_then(|s| s.classification.as_deref()).unwrap_or("");
                let _ = write!(out, "\t{}", tsv_field(c));
            }
            match s {
                Some(s) => {
                    let _ = write!(out, "\t{}\t{:.4}", round4(s.measure), round4(s.s));
                }
                None => out.push_str("\t\t"),
            }
        }
        out.push('\n');
    }
    out
}

/// A JSON array of the rounded scores with their breakdown, sorted by HGNC number.
pub fn to_json(scores: &[GeneScore]) -> String {
    let rounded: Vec<GeneScore> = sorted(scores).into_iter().map(|g| g.rounded()).collect();
    let mut s = serde_json::to_string_pretty(&rounded).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}
