//! Descartes: fetal kidney cell types (TPM and fraction of cells expressing).
//!
//! Why: where in the developing kidney a gene is expressed hints at CAKUT and other
//! developmental disorders. No licence is stated upstream, so by default kgdb shows only
//! a link (`redistribute: false`). The files and their parser are described in
//! [`super::expression`].

// ---------------------------------------------------------------------------------------
// The annotation: settings, requests, typed part, presentation.

use std::collections::BTreeMap;

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

impl PartType for FetalKidney {
    const KEY: &'static str = "fetal_kidney";
}

crate::annotation_settings! {
    pub struct Settings {
        /// Fetal kidney TPM per cell type.
        pub tpm_url: Spanned<String>,
        /// Fraction of each cell type's cells expressing the gene.
        pub fraction_url: Spanned<String>,
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
            c.url(&s.tpm_url, &format!("{k}.tpm_url"));
            c.url(&s.fraction_url, &format!("{k}.fraction_url"));
        },
        |settings| Box::new(Descartes { name, settings }),
    )
}

pub struct Descartes {
    name: &'static str,
    settings: Settings,
}

/// The release the transfer tells (when the content states none).
fn version(t: &Transfer<'_>) -> Option<String> {
    fetch::date_in_url(t.url).map(|d| format!("human fetal atlas (tabulated {d})"))
}

fn parse_files(
    source: &str,
    bodies: &[(String, Vec<u8>)],
) -> Result<(Vec<StagedRow>, Option<String>), SourceError> {
    let (tpm_url, tpm_text) = fetch::file(source, bodies, 0)?;
    let (frac_url, frac_text) = fetch::file(source, bodies, 1)?;
    let tpm = expression::parse_descartes(&tpm_text).map_err(fetch::at(source, tpm_url))?;
    let frac = expression::parse_descartes(&frac_text).map_err(fetch::at(source, frac_url))?;
    if tpm.first().map(|r| r.measure) != Some(expression::DescartesMeasure::Tpm) {
        return Err(SourceError::unusable(
            source,
            format!("{tpm_url}: expected `<cell type>_tpm` columns"),
        ));
    }
    if frac.first().map(|r| r.measure) != Some(expression::DescartesMeasure::FractionExpressing) {
        return Err(SourceError::unusable(
            source,
            format!("{frac_url}: expected `<cell type>_perc_expr` columns"),
        ));
    }
    Ok((stage(&tpm, &frac), None))
}

impl AnnotationSource for Descartes {
    crate::annotation_accessors!();

    fn part(&self) -> PartKind {
        PartKind::of::<FetalKidney>()
    }

    fn heading(&self) -> &'static str {
        "Fetal kidney cell types (Descartes)"
    }

    fn fetal(&self) -> bool {
        true
    }

    fn methods_text(&self) -> Vec<String> {
        [
            "Fetal kidney cell types (TPM and fraction of cells expressing). No licence is \
             stated upstream, so kgdb links to Descartes instead of showing or redistributing \
             the values.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    fn fetch<'a>(
        &'a self,
        session: &'a mut Session<'_>,
    ) -> LocalBoxFuture<'a, Result<Staged, SourceError>> {
        let urls = vec![
            self.settings.tpm_url.value.clone(),
            self.settings.fraction_url.value.clone(),
        ];
        Box::pin(fetch::fetch(session, urls, version, parse_files))
    }

    fn csv_columns(&self) -> Vec<CsvColumn> {
        vec![
            CsvColumn {
                name: "descartes_top_cell_type",
                kind: "text",
                description: "Fetal kidney cell type with the highest TPM (fetal, Descartes)",
                value: |p| {
                    of(
                        part_of::<FetalKidney>(p).and_then(|f| f.cell_types.first()),
                        |c| c.cell_type.clone(),
                    )
                },
            },
            CsvColumn {
                name: "descartes_top_tpm",
                kind: "number",
                description: "TPM of that fetal cell type",
                value: |p| {
                    of(
                        part_of::<FetalKidney>(p)
                            .and_then(|f| f.cell_types.first())
                            .and_then(|c| c.tpm),
                        fnum,
                    )
                },
            },
        ]
    }

    fn section(&self, part: &dyn Part, cx: &PartContext<'_>) -> Body {
        let mut b = Body::default();
        let Some(f) = part_of::<FetalKidney>(part) else {
            return b;
        };
        b.notes.push(
            "FETAL: cell types of the human fetal kidney (Descartes fetal atlas), not adult kidney."
                .into(),
        );
        b.table = Some(AnnTable {
            caption: format!("Fetal kidney cell types expressing {}", cx.symbol),
            headers: vec!["Cell type (fetal kidney)", "TPM", "Cells expressing"],
            rows: f
                .cell_types
                .iter()
                .map(|c| {
                    vec![
                        vec![text(label(&c.cell_type))],
                        vec![text(c.tpm.map(|v| num(v, 2)).unwrap_or_default())],
                        vec![text(c.fraction_expressing.map(pct).unwrap_or_default())],
                    ]
                })
                .collect(),
        });
        b
    }

    fn partial(&self) -> (&'static str, &'static str) {
        (
            "annotations/descartes.html",
            include_str!("../../templates/annotations/descartes.html"),
        )
    }
}

/// Descartes: the TPM and fraction-expressing files merged per gene (key: symbol, as the
/// files are keyed), cell types sorted by TPM, highest first.
pub fn stage(
    tpm: &[expression::DescartesRow],
    fraction: &[expression::DescartesRow],
) -> Vec<StagedRow> {
    let frac_of: BTreeMap<&str, &expression::DescartesRow> =
        fraction.iter().map(|r| (r.symbol.as_str(), r)).collect();
    let mut out = Rows::new();
    for r in tpm {
        let f = frac_of.get(r.symbol.as_str());
        let mut cells: Vec<CellType> = r
            .cell_types
            .iter()
            .map(|(cell, v)| CellType {
                cell_type: cell.clone(),
                tpm: *v,
                fraction_expressing: f.and_then(|f| {
                    f.cell_types
                        .iter()
                        .find(|(c, _)| c == cell)
                        .and_then(|(_, v)| *v)
                }),
            })
            .collect();
        cells.sort_by(|a, b| {
            b.tpm
                .unwrap_or(f64::NEG_INFINITY)
                .total_cmp(&a.tpm.unwrap_or(f64::NEG_INFINITY))
                .then_with(|| a.cell_type.cmp(&b.cell_type))
        });
        let part = FetalKidney { cell_types: cells };
        out.push(
            r.symbol.clone(),
            r.line,
            Some(&r.symbol),
            None,
            None,
            r.ensembl_gene_id.as_deref(),
            &part,
        );
    }
    out.rows()
}
