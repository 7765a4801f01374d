//! GTEx: adult tissue expression (Human Protein Atlas nTPM from GTEx v8), kidney first.
//!
//! Why: a kidney gene is usually expressed in kidney; the gene page shows the kidney value,
//! where kidney ranks among tissues and the top tissue. The file and its parser are
//! described in [`super::expression`].

// ---------------------------------------------------------------------------------------
// The annotation: settings, requests, typed part, presentation.

use futures_util::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::expression;
use super::fetch::{self, Rows, Transfer};
use super::model::{Part, PartKind, PartType, part_of};
use super::view::*;
use super::{AnnotationSource, Body, CsvColumn, PartContext};
use crate::config::{Config, Problem};
use crate::sources::session::Session;
use crate::sources::{SourceError, Staged, StagedRow};

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

impl PartType for Expression {
    const KEY: &'static str = "expression";
}

crate::annotation_settings! {
    pub struct Settings {
        pub url: Spanned<String>,
    }
}

pub fn load(
    name: &'static str,
    config: &Config,
) -> Result<Box<dyn AnnotationSource>, Vec<Problem>> {
    super::load_block(
        name,
        config,
        |s: &Settings, c, k| {
            c.url(&s.url, &format!("{k}.url"));
        },
        |settings| Box::new(Gtex { name, settings }),
    )
}

pub struct Gtex {
    name: &'static str,
    settings: Settings,
}

/// The release the transfer tells (when the content states none).
fn version(t: &Transfer<'_>) -> Option<String> {
    fetch::date_in_url(t.url).map(|d| format!("HPA v23 / GTEx v8 (tabulated {d})"))
}

fn parse_files(
    source: &str,
    bodies: &[(String, Vec<u8>)],
) -> Result<(Vec<StagedRow>, Option<String>), SourceError> {
    let (url, text) = fetch::file(source, bodies, 0)?;
    let rows = expression::parse_gtex(&text).map_err(fetch::at(source, url))?;
    Ok((stage(&rows), None))
}

impl AnnotationSource for Gtex {
    crate::annotation_accessors!();

    fn part(&self) -> PartKind {
        PartKind::of::<Expression>()
    }

    fn heading(&self) -> &'static str {
        "Adult tissue expression (GTEx)"
    }

    fn methods_text(&self) -> Vec<String> {
        [
            "Kidney nTPM (Human Protein Atlas, from GTEx v8) and the rank of kidney among the \
             tissues with a value (1 = highest; ties share the better rank); the top tissue is \
             the one with the highest nTPM.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    fn fetch<'a>(
        &'a self,
        session: &'a mut Session<'_>,
    ) -> LocalBoxFuture<'a, Result<Staged, SourceError>> {
        let urls = vec![self.settings.url.value.clone()];
        Box::pin(fetch::fetch(session, urls, version, parse_files))
    }

    fn gene_line(&self, part: &dyn Part) -> Option<String> {
        let e = part_of::<Expression>(part)?;
        let opt = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v}"));
        Some(format!(
            "GTEx       kidney {} nTPM, rank {} of {} tissues",
            opt(e.kidney_ntpm),
            e.kidney_rank.map_or("-".to_string(), |r| r.to_string()),
            e.tissue_count
        ))
    }

    fn csv_columns(&self) -> Vec<CsvColumn> {
        vec![
            CsvColumn {
                name: "gtex_kidney_ntpm",
                kind: "number",
                description: "Kidney expression, nTPM (Human Protein Atlas, GTEx data)",
                value: |p| of(part_of::<Expression>(p).and_then(|e| e.kidney_ntpm), fnum),
            },
            CsvColumn {
                name: "gtex_kidney_rank",
                kind: "integer",
                description: "Rank of kidney among the tissues (1 = highest)",
                value: |p| {
                    of(part_of::<Expression>(p).and_then(|e| e.kidney_rank), |n| {
                        n.to_string()
                    })
                },
            },
            CsvColumn {
                name: "gtex_tissue_count",
                kind: "integer",
                description: "Tissues with a value",
                value: |p| of(part_of::<Expression>(p), |e| e.tissue_count.to_string()),
            },
            CsvColumn {
                name: "gtex_top_tissue",
                kind: "text",
                description: "Tissue with the highest nTPM",
                value: |p| {
                    of(
                        part_of::<Expression>(p).and_then(|e| e.top_tissue.clone()),
                        |s| s,
                    )
                },
            },
            CsvColumn {
                name: "gtex_top_ntpm",
                kind: "number",
                description: "nTPM of that tissue",
                value: |p| of(part_of::<Expression>(p).and_then(|e| e.top_ntpm), fnum),
            },
        ]
    }

    fn table_columns(&self) -> Vec<super::TableColumn> {
        vec![super::TableColumn {
            key: "kidney",
            header: "Kidney nTPM",
            title: "Adult kidney expression, nTPM (Human Protein Atlas, GTEx data; not part of the score)",
            order: 30,
        }]
    }

    /// `kidney` = kidney nTPM × 10.
    fn table_values(&self, parts: &[Option<&dyn Part>]) -> super::TableValues {
        let of = |f: fn(&Expression) -> serde_json::Value| -> Vec<serde_json::Value> {
            parts
                .iter()
                .map(|p| {
                    p.and_then(part_of::<Expression>)
                        .map_or(serde_json::Value::Null, f)
                })
                .collect()
        };
        super::TableValues {
            columns: vec![of(|e| scaled(e.kidney_ntpm, 10.0))],
            lookups: Vec::new(),
        }
    }

    fn section(&self, part: &dyn Part, _cx: &PartContext<'_>) -> Body {
        let mut b = Body::default();
        let Some(e) = part_of::<Expression>(part) else {
            return b;
        };
        b.facts.push(fact(
            "Kidney",
            vec![text(
                e.kidney_ntpm
                    .map(|v| format!("{} nTPM", num(v, 1)))
                    .unwrap_or_else(|| "no kidney value".into()),
            )],
        ));
        if let Some(r) = e.kidney_rank {
            b.facts.push(fact(
                "Kidney among tissues",
                vec![text(format!("rank {r} of {} tissues", e.tissue_count))],
            ));
        }
        if let Some(t) = &e.top_tissue {
            b.facts.push(fact(
                "Highest",
                vec![text(format!(
                    "{t}{}",
                    e.top_ntpm
                        .map(|v| format!(", {} nTPM", num(v, 1)))
                        .unwrap_or_default()
                ))],
            ));
        }
        b
    }

    fn partial(&self) -> (&'static str, &'static str) {
        (
            "annotations/gtex.html",
            include_str!("../../templates/annotations/gtex.html"),
        )
    }
}

/// GTEx (HPA nTPM): kidney value, its rank among tissues and the top tissue.
pub fn stage(rows: &[expression::GtexRow]) -> Vec<StagedRow> {
    let mut out = Rows::new();
    for r in rows {
        let top = r.tissues.iter().filter_map(|(t, v)| Some((t, (*v)?))).fold(
            None::<(&String, f64)>,
            |best, (t, v)| match best {
                Some((_, b)) if b >= v => best,
                _ => Some((t, v)),
            },
        );
        let part = Expression {
            kidney_ntpm: r.kidney_ntpm,
            kidney_rank: r.kidney_rank,
            tissue_count: r.tissues_with_value,
            top_tissue: top.map(|(t, _)| t.clone()),
            top_ntpm: top.map(|(_, v)| v),
        };
        out.push(
            r.ensembl_gene_id.clone(),
            r.line,
            r.symbol.as_deref(),
            None,
            None,
            Some(&r.ensembl_gene_id),
            &part,
        );
    }
    out.rows()
}
