//! Expression: GTEx adult tissues (HPA nTPM) and Descartes fetal kidney cell types.
//!
//! Why: a kidney gene is usually expressed in kidney; the gene page shows the kidney value,
//! where kidney ranks among tissues, and which fetal kidney cell types express the gene.
//!
//! Files (both derived by nephro_candidate_score on 2023-10-12, see PROVENANCE.md):
//! - [`parse_gtex`]: `rna_tissue_gtex_nTPM_agg_<date>.csv.gz`, CSV with `ensembl_gene_id`,
//!   one `gtex_<tissue>` column per tissue (28 tissues plus `gtex_brain_median`) and
//!   `symbol`. Values are HPA's **nTPM** from GTEx v8, not GTEx median TPM. Every column
//!   starting with `gtex_` is a tissue; `gtex_kidney` is required.
//! - [`parse_descartes`]: `descartes_fetal_kidney_tpm_<date>.csv.gz` (columns
//!   `<cell type>_tpm`) or `..._percent_expression_<date>.csv.gz` (columns
//!   `<cell type>_perc_expr`, fraction of cells 0..1), with `symbol`, `ensembl_gene_id`.
//!   These are **fetal** kidney cell types (Descartes human fetal atlas).
//!
//! Key: Ensembl gene id (unversioned ENSG; GTEx rows always have one) and symbol.

use super::{Table, num, opt_text};
use crate::sources::{ParseProblem, text_of};

/// One gene's adult tissue expression (HPA nTPM from GTEx v8).
#[derive(Debug, Clone, PartialEq)]
pub struct GtexRow {
    pub line: u64,
    pub ensembl_gene_id: String,
    pub symbol: Option<String>,
    /// `gtex_kidney` (nTPM).
    pub kidney_ntpm: Option<f64>,
    /// Rank of kidney among the tissues with a value: 1 + number of tissues with a strictly
    /// higher value (ties share the better rank). `None` when kidney has no value.
    pub kidney_rank: Option<usize>,
    /// Number of tissues with a value (29 in the 2023-10-12 file).
    pub tissues_with_value: usize,
    /// Every tissue (column name without `gtex_`) with its value, in file order.
    pub tissues: Vec<(String, Option<f64>)>,
}

/// Which Descartes measure a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DescartesMeasure {
    /// Transcripts per million in the cell type.
    Tpm,
    /// Fraction of the cell type's cells that express the gene (0..1).
    FractionExpressing,
}

/// One gene's fetal kidney cell-type values.
#[derive(Debug, Clone, PartialEq)]
pub struct DescartesRow {
    pub line: u64,
    pub symbol: String,
    pub ensembl_gene_id: Option<String>,
    pub measure: DescartesMeasure,
    /// Always true: Descartes is a fetal atlas (shown as such on the site).
    pub fetal: bool,
    /// (cell type, value) in file order, e.g. `("metanephric", Some(123.37))`.
    pub cell_types: Vec<(String, Option<f64>)>,
}

/// Parse the GTEx nTPM aggregate CSV.
pub fn parse_gtex(bytes: &[u8]) -> Result<Vec<GtexRow>, ParseProblem> {
    let text = text_of(bytes, "GTEx nTPM CSV")?;
    let t = Table::csv(text)?;
    let id = t.col("ensembl_gene_id")?;
    let sym = t.col("symbol")?;
    let kidney = t.col("gtex_kidney")?;
    let tissue_cols: Vec<(usize, String)> = t
        .header
        .iter()
        .enumerate()
        .filter_map(|(i, h)| Some((i, h.strip_prefix("gtex_")?.to_string())))
        .collect();
    let mut out = Vec::with_capacity(t.rows.len());
    for (line, f) in &t.rows {
        let line = *line;
        let ensembl_gene_id =
            opt_text(&f[id]).ok_or_else(|| ParseProblem::at(line, "empty `ensembl_gene_id`"))?;
        let mut tissues = Vec::with_capacity(tissue_cols.len());
        for (i, name) in &tissue_cols {
            tissues.push((name.clone(), num(&f[*i], line, &t.header[*i])?));
        }
        let kidney_ntpm = num(&f[kidney], line, "gtex_kidney")?;
        let values: Vec<f64> = tissues.iter().filter_map(|(_, v)| *v).collect();
        let kidney_rank = kidney_ntpm.map(|k| 1 + values.iter().filter(|v| **v > k).count());
        out.push(GtexRow {
            line,
            ensembl_gene_id,
            symbol: opt_text(&f[sym]),
            kidney_ntpm,
            kidney_rank,
            tissues_with_value: values.len(),
            tissues,
        });
    }
    if out.is_empty() {
        return Err(ParseProblem::whole("GTEx table has no rows"));
    }
    Ok(out)
}

/// Parse a Descartes fetal kidney CSV (TPM or percent-expression; detected from the
/// column suffixes, which must all agree).
pub fn parse_descartes(bytes: &[u8]) -> Result<Vec<DescartesRow>, ParseProblem> {
    let text = text_of(bytes, "Descartes fetal kidney CSV")?;
    let t = Table::csv(text)?;
    let sym = t.col("symbol")?;
    let id = t.col("ensembl_gene_id")?;
    let mut measure = None;
    let mut cols = Vec::new();
    for (i, h) in t.header.iter().enumerate() {
        if i == sym || i == id {
            continue;
        }
        let (cell, m) = if let Some(c) = h.strip_suffix("_tpm") {
            (c, DescartesMeasure::Tpm)
        } else if let Some(c) = h.strip_suffix("_perc_expr") {
            (c, DescartesMeasure::FractionExpressing)
        } else {
            return Err(ParseProblem::at(
                t.header_line,
                format!("column `{h}` is neither `<cell type>_tpm` nor `<cell type>_perc_expr`"),
            ));
        };
        if measure.is_some_and(|x| x != m) {
            return Err(ParseProblem::at(
                t.header_line,
                "mixed `_tpm` and `_perc_expr` columns",
            ));
        }
        measure = Some(m);
        cols.push((i, cell.to_string()));
    }
    let measure = measure.ok_or_else(|| {
        ParseProblem::at(
            t.header_line,
            "no `<cell type>_tpm` or `<cell type>_perc_expr` column",
        )
    })?;
    let mut out = Vec::with_capacity(t.rows.len());
    for (line, f) in &t.rows {
        let line = *line;
        let symbol = opt_text(&f[sym]).ok_or_else(|| ParseProblem::at(line, "empty `symbol`"))?;
        let mut cell_types = Vec::with_capacity(cols.len());
        for (i, cell) in &cols {
            let v = num(&f[*i], line, &t.header[*i])?;
            if measure == DescartesMeasure::FractionExpressing
                && v.is_some_and(|v| !(0.0..=1.0).contains(&v))
            {
                return Err(ParseProblem::at(
                    line,
                    format!("column `{}`: fraction outside 0..1", t.header[*i]),
                ));
            }
            cell_types.push((cell.clone(), v));
        }
        out.push(DescartesRow {
            line,
            symbol,
            ensembl_gene_id: opt_text(&f[id]),
            measure,
            fetal: true,
            cell_types,
        });
    }
    if out.is_empty() {
        return Err(ParseProblem::whole("Descartes table has no rows"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotations::test_support::real;
    use proptest::prelude::*;

    #[test]
    fn gtex_real_rows() {
        let rows = parse_gtex(&real("gtex/rna_tissue_gtex_nTPM_agg_2023-10-12.csv.gz")).unwrap();
        // PROVENANCE.md: 19,266 rows, no NA; 28 tissues + brain median.
        assert_eq!(rows.len(), 19_266);
        assert!(rows.iter().all(|r| r.tissues_with_value == 29));
        let get = |s: &str| {
            rows.iter()
                .find(|r| r.symbol.as_deref() == Some(s))
                .unwrap()
        };
        // PROVENANCE.md: gtex_kidney UMOD 1676.6, NPHS1 40.3, PKD1 7.3.
        let pkd1 = get("PKD1");
        assert_eq!(pkd1.ensembl_gene_id, "ENSG00000008710");
        assert_eq!(pkd1.kidney_ntpm, Some(7.3));
        // PKD1 row: only retina (6.6) is below kidney (7.3) among 29 values -> rank 28.
        assert_eq!(pkd1.kidney_rank, Some(28));
        let umod = get("UMOD");
        assert_eq!(umod.kidney_ntpm, Some(1676.6));
        assert_eq!(umod.kidney_rank, Some(1));
        let nphs1 = get("NPHS1");
        assert_eq!(nphs1.kidney_ntpm, Some(40.3));
        assert_eq!(nphs1.kidney_rank, Some(1));
    }

    #[test]
    fn descartes_real_rows() {
        let tpm = parse_descartes(&real(
            "descartes/descartes_fetal_kidney_tpm_2023-10-12.csv.gz",
        ))
        .unwrap();
        let pct = parse_descartes(&real(
            "descartes/descartes_fetal_kidney_percent_expression_2023-10-12.csv.gz",
        ))
        .unwrap();
        // PROVENANCE.md: 18,856 rows each, 16,283 with values.
        for rows in [&tpm, &pct] {
            assert_eq!(rows.len(), 18_856);
            assert_eq!(
                rows.iter()
                    .filter(|r| r.cell_types.iter().any(|(_, v)| v.is_some()))
                    .count(),
                16_283
            );
            assert!(rows.iter().all(|r| r.fetal));
        }
        assert!(tpm.iter().all(|r| r.measure == DescartesMeasure::Tpm));
        assert!(
            pct.iter()
                .all(|r| r.measure == DescartesMeasure::FractionExpressing)
        );
        let cells: Vec<&str> = tpm[0].cell_types.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(
            cells,
            [
                "mesangial",
                "metanephric",
                "ureteric_bud",
                "stromal",
                "vascular_endothelial"
            ]
        );
        // File rows: "NPHS1","ENSG00000161270",1.596...,123.367421631885,... and
        // percent ...,0.050486377041243,...
        let value = |rows: &[DescartesRow], sym: &str, cell: &str| {
            let r = rows.iter().find(|r| r.symbol == sym).unwrap();
            r.cell_types
                .iter()
                .find(|(c, _)| c == cell)
                .unwrap()
                .1
                .unwrap()
        };
        assert!((value(&tpm, "NPHS1", "metanephric") - 123.367421631885).abs() < 1e-9);
        assert!((value(&pct, "NPHS1", "metanephric") - 0.050486377041243).abs() < 1e-12);
        assert!((value(&tpm, "PKD1", "stromal") - 144.9926786643).abs() < 1e-9);
        // "OR4F5","ENSG00000186092",NA,NA,NA,NA,NA
        assert!(tpm[0].cell_types.iter().all(|(_, v)| v.is_none()));
    }

    #[test]
    fn errors() {
        let e = parse_gtex(b"\"ensembl_gene_id\",\"gtex_liver\",\"symbol\"\n\"ENSG1\",1,\"X\"\n")
            .unwrap_err();
        assert!(e.message.contains("gtex_kidney"), "{e:?}");
        let e =
            parse_gtex(b"\"ensembl_gene_id\",\"gtex_kidney\",\"symbol\"\n\"ENSG1\",high,\"X\"\n")
                .unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = parse_descartes(
            b"\"symbol\",\"ensembl_gene_id\",\"a_tpm\",\"b_perc_expr\"\nX,E,1,0.5\n",
        )
        .unwrap_err();
        assert!(e.message.contains("mixed"), "{e:?}");
        let e = parse_descartes(b"\"symbol\",\"ensembl_gene_id\",\"a_perc_expr\"\nX,E,3\n")
            .unwrap_err();
        assert!(e.message.contains("0..1"), "{e:?}");
        let e = parse_descartes(b"\"symbol\",\"a_tpm\"\nX,1\n").unwrap_err();
        assert!(e.message.contains("ensembl_gene_id"), "{e:?}");
        assert!(
            parse_gtex(b"<html></html>")
                .unwrap_err()
                .message
                .contains("HTML")
        );
        assert!(
            parse_descartes(b"   ")
                .unwrap_err()
                .message
                .contains("empty")
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let _ = parse_gtex(&bytes);
            let _ = parse_descartes(&bytes);
        }
    }
}
