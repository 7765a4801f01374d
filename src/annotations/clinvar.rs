//! ClinVar per-gene summary (`gene_specific_summary.txt`).
//!
//! Why: how many pathogenic / likely pathogenic alleles ClinVar holds for a gene is the
//! quickest signal of a known disease gene. The file is NCBI's own per-gene rollup
//! (one row per gene), so no variant-level aggregation is needed here.
//!
//! Layout: `#Overview of data in ClinVar by gene, dated <Month D, YYYY>` (the release date,
//! see [`release_date`]), then the header `#Symbol GeneID Total_submissions Total_alleles
//! Submissions_reporting_this_gene Alleles_reported_Pathogenic_Likely_pathogenic
//! Gene_MIM_number Number_uncertain Number_with_conflicts`. `-` means no value.
//!
//! Key: NCBI Gene id (`GeneID`, bare integer) plus `Symbol`; no HGNC id in the file.

use super::{Table, count, opt_text};
use crate::sources::{ParseProblem, text_of};

/// One gene's ClinVar counts. `None` = `-` in the file (ClinVar prints `-` where it has
/// nothing to count, e.g. no P/LP allele).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub line: u64,
    pub symbol: String,
    pub ncbi_gene_id: Option<u64>,
    pub total_submissions: Option<u64>,
    pub total_alleles: Option<u64>,
    pub submissions_reporting_this_gene: Option<u64>,
    /// `Alleles_reported_Pathogenic_Likely_pathogenic`.
    pub pathogenic_alleles: Option<u64>,
    pub gene_mim_number: Option<String>,
    pub uncertain: Option<u64>,
    pub with_conflicts: Option<u64>,
}

/// Parse the summary; columns by header name.
pub fn parse(bytes: &[u8]) -> Result<Vec<Row>, ParseProblem> {
    let text = text_of(bytes, "ClinVar gene_specific_summary TSV")?;
    let t = Table::tsv(text, "Symbol")?;
    let sym = t.col("Symbol")?;
    let gid = t.col("GeneID")?;
    let subs = t.col("Total_submissions")?;
    let alleles = t.col("Total_alleles")?;
    let reporting = t.col("Submissions_reporting_this_gene")?;
    let plp = t.col("Alleles_reported_Pathogenic_Likely_pathogenic")?;
    let mim = t.col("Gene_MIM_number")?;
    let vus = t.col("Number_uncertain")?;
    let conflicts = t.col("Number_with_conflicts")?;
    let mut out = Vec::with_capacity(t.rows.len());
    for (line, f) in &t.rows {
        let line = *line;
        if f[sym].is_empty() {
            return Err(ParseProblem::at(line, "empty `Symbol`"));
        }
        out.push(Row {
            line,
            symbol: f[sym].clone(),
            ncbi_gene_id: count(&f[gid], line, "GeneID")?,
            total_submissions: count(&f[subs], line, "Total_submissions")?,
            total_alleles: count(&f[alleles], line, "Total_alleles")?,
            submissions_reporting_this_gene: count(
                &f[reporting],
                line,
                "Submissions_reporting_this_gene",
            )?,
            pathogenic_alleles: count(
                &f[plp],
                line,
                "Alleles_reported_Pathogenic_Likely_pathogenic",
            )?,
            gene_mim_number: opt_text(&f[mim]),
            uncertain: count(&f[vus], line, "Number_uncertain")?,
            with_conflicts: count(&f[conflicts], line, "Number_with_conflicts")?,
        });
    }
    if out.is_empty() {
        return Err(ParseProblem::whole("ClinVar gene summary has no rows"));
    }
    Ok(out)
}

/// The release date from the leading `#Overview ... dated November 7, 2021` line, as
/// `2021-11-07`; `None` when the file has no such line.
pub fn release_date(bytes: &[u8]) -> Result<Option<String>, ParseProblem> {
    let text = text_of(bytes, "ClinVar gene_specific_summary TSV")?;
    let Some(first) = text.lines().next() else {
        return Ok(None);
    };
    let Some((_, date)) = first.split_once("dated ") else {
        return Ok(None);
    };
    let bad = || ParseProblem::at(1, format!("unreadable date `{}`", date.trim()));
    let mut parts = date.split_whitespace();
    let (Some(month), Some(day), Some(year)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let m = MONTHS.iter().position(|x| *x == month).ok_or_else(bad)? + 1;
    let d: u32 = day.trim_end_matches(',').parse().map_err(|_| bad())?;
    let y: u32 = year.parse().map_err(|_| bad())?;
    if !(1..=31).contains(&d) {
        return Err(bad());
    }
    Ok(Some(format!("{y:04}-{m:02}-{d:02}")))
}

// ---------------------------------------------------------------------------------------
// The annotation: settings, requests, typed part, presentation.

use futures_util::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::fetch::{self, Rows, Transfer};
use super::model::{Part, PartKind, PartType, part_of};
use super::view::*;
use super::{AnnotationSource, Body, CsvColumn, PartContext};
use crate::config::{Config, Problem};
use crate::sources::session::Session;
use crate::sources::{SourceError, Staged, StagedRow};

/// `clinvar`: NCBI's gene_specific_summary row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClinVar {
    pub total_submissions: Option<u64>,
    pub total_alleles: Option<u64>,
    /// Alleles reported pathogenic or likely pathogenic.
    pub pathogenic_alleles: Option<u64>,
    pub uncertain_alleles: Option<u64>,
    pub conflicting_alleles: Option<u64>,
    pub gene_mim_number: Option<String>,
}

impl PartType for ClinVar {
    const KEY: &'static str = "clinvar";
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
        |settings| Box::new(Clinvar { name, settings }),
    )
}

pub struct Clinvar {
    name: &'static str,
    settings: Settings,
}

/// The release the transfer tells (when the content states none).
fn version(_t: &Transfer<'_>) -> Option<String> {
    None
}

fn parse_files(
    source: &str,
    bodies: &[(String, Vec<u8>)],
) -> Result<(Vec<StagedRow>, Option<String>), SourceError> {
    let (url, text) = fetch::file(source, bodies, 0)?;
    let rows = parse(&text).map_err(fetch::at(source, url))?;
    let version = release_date(&text).map_err(fetch::at(source, url))?;
    Ok((stage(&rows), version))
}

impl AnnotationSource for Clinvar {
    crate::annotation_accessors!();

    fn default_gene_link(&self) -> Option<&'static str> {
        Some("https://www.ncbi.nlm.nih.gov/clinvar/?term={symbol}[gene]")
    }

    fn part(&self) -> PartKind {
        PartKind::of::<ClinVar>()
    }

    fn heading(&self) -> &'static str {
        "Variants (ClinVar)"
    }

    fn methods_text(&self) -> Vec<String> {
        [
            "Counts as NCBI's gene_specific_summary.txt gives them: submissions, alleles, \
             alleles reported pathogenic or likely pathogenic, uncertain, with conflicts.",
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
        let c = part_of::<ClinVar>(part)?;
        let n = |v: Option<u64>| v.map_or("-".to_string(), |v| v.to_string());
        Some(format!(
            "ClinVar    {} pathogenic/likely pathogenic of {} alleles",
            n(c.pathogenic_alleles),
            n(c.total_alleles)
        ))
    }

    fn csv_columns(&self) -> Vec<CsvColumn> {
        vec![
            CsvColumn {
                name: "clinvar_pathogenic_alleles",
                kind: "integer",
                description: "ClinVar alleles reported pathogenic or likely pathogenic (empty: none reported)",
                value: |p| {
                    of(
                        part_of::<ClinVar>(p).and_then(|c| c.pathogenic_alleles),
                        |n| n.to_string(),
                    )
                },
            },
            CsvColumn {
                name: "clinvar_total_alleles",
                kind: "integer",
                description: "ClinVar alleles of the gene",
                value: |p| {
                    of(part_of::<ClinVar>(p).and_then(|c| c.total_alleles), |n| {
                        n.to_string()
                    })
                },
            },
            CsvColumn {
                name: "clinvar_total_submissions",
                kind: "integer",
                description: "ClinVar submissions",
                value: |p| {
                    of(
                        part_of::<ClinVar>(p).and_then(|c| c.total_submissions),
                        |n| n.to_string(),
                    )
                },
            },
            CsvColumn {
                name: "clinvar_uncertain_alleles",
                kind: "integer",
                description: "Alleles of uncertain significance",
                value: |p| {
                    of(
                        part_of::<ClinVar>(p).and_then(|c| c.uncertain_alleles),
                        |n| n.to_string(),
                    )
                },
            },
            CsvColumn {
                name: "clinvar_conflicting_alleles",
                kind: "integer",
                description: "Alleles with conflicting interpretations",
                value: |p| {
                    of(
                        part_of::<ClinVar>(p).and_then(|c| c.conflicting_alleles),
                        |n| n.to_string(),
                    )
                },
            },
        ]
    }

    fn table_columns(&self) -> Vec<super::TableColumn> {
        vec![super::TableColumn {
            key: "plp",
            header: "ClinVar P/LP",
            title: "ClinVar alleles reported pathogenic or likely pathogenic (not part of the score)",
            order: 20,
        }]
    }

    /// `plp` = P/LP alleles (0 when ClinVar lists none).
    fn table_values(&self, parts: &[Option<&dyn Part>]) -> super::TableValues {
        let of = |f: fn(&ClinVar) -> serde_json::Value| -> Vec<serde_json::Value> {
            parts
                .iter()
                .map(|p| {
                    p.and_then(part_of::<ClinVar>)
                        .map_or(serde_json::Value::Null, f)
                })
                .collect()
        };
        super::TableValues {
            columns: vec![of(|c| serde_json::json!(c.pathogenic_alleles.unwrap_or(0)))],
            lookups: Vec::new(),
        }
    }

    fn section(&self, part: &dyn Part, _cx: &PartContext<'_>) -> Body {
        let mut b = Body::default();
        let Some(c) = part_of::<ClinVar>(part) else {
            return b;
        };
        let n = |x: Option<u64>| x.map(thousands).unwrap_or_else(|| "none reported".into());
        b.facts.push(fact(
            "Pathogenic / likely pathogenic alleles",
            vec![styled(n(c.pathogenic_alleles), "strong")],
        ));
        b.facts
            .push(fact("Alleles in total", vec![text(n(c.total_alleles))]));
        b.facts
            .push(fact("Submissions", vec![text(n(c.total_submissions))]));
        b.facts.push(fact(
            "Uncertain significance",
            vec![text(n(c.uncertain_alleles))],
        ));
        b.facts.push(fact(
            "With conflicting interpretations",
            vec![text(n(c.conflicting_alleles))],
        ));
        b
    }

    fn partial(&self) -> (&'static str, &'static str) {
        (
            "annotations/clinvar.html",
            include_str!("../../templates/annotations/clinvar.html"),
        )
    }
}

/// ClinVar: one row per gene (key: NCBI Gene id, else symbol).
pub fn stage(rows: &[Row]) -> Vec<StagedRow> {
    let mut out = Rows::new();
    for r in rows {
        let part = ClinVar {
            total_submissions: r.total_submissions,
            total_alleles: r.total_alleles,
            pathogenic_alleles: r.pathogenic_alleles,
            uncertain_alleles: r.uncertain,
            conflicting_alleles: r.with_conflicts,
            gene_mim_number: r.gene_mim_number.clone(),
        };
        let key = r
            .ncbi_gene_id
            .map(|n| n.to_string())
            .unwrap_or_else(|| r.symbol.clone());
        out.push(
            key,
            r.line,
            Some(&r.symbol),
            None,
            r.ncbi_gene_id,
            None,
            &part,
        );
    }
    out.rows()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotations::test_support::real;
    use proptest::prelude::*;

    const FILE: &str = "clinvar/gene_specific_summary.2021-11-07.txt.gz";

    #[test]
    fn real_file_pkd1_and_counts() {
        let bytes = real(FILE);
        assert_eq!(release_date(&bytes).unwrap().as_deref(), Some("2021-11-07"));
        let rows = parse(&bytes).unwrap();
        // PROVENANCE.md: 33,890 genes, 8,280 with >= 1 P/LP allele.
        assert_eq!(rows.len(), 33_890);
        assert_eq!(
            rows.iter()
                .filter(|r| r.pathogenic_alleles.unwrap_or(0) >= 1)
                .count(),
            8_280
        );
        // First data row: A-GAMMA3'E 109951028 6 6 - - - 1 0 (line 3).
        assert_eq!(rows[0].symbol, "A-GAMMA3'E");
        assert_eq!(rows[0].line, 3);
        assert_eq!(rows[0].pathogenic_alleles, None);
        // File row: PKD1 5310 3358 2103 3036 774 601313 630 59.
        let pkd1 = rows.iter().find(|r| r.symbol == "PKD1").unwrap();
        assert_eq!(pkd1.ncbi_gene_id, Some(5310));
        assert_eq!(pkd1.total_submissions, Some(3358));
        assert_eq!(pkd1.total_alleles, Some(2103));
        assert_eq!(pkd1.submissions_reporting_this_gene, Some(3036));
        assert_eq!(pkd1.pathogenic_alleles, Some(774));
        assert_eq!(pkd1.gene_mim_number.as_deref(), Some("601313"));
        assert_eq!(pkd1.uncertain, Some(630));
        assert_eq!(pkd1.with_conflicts, Some(59));
    }

    #[test]
    fn errors() {
        let no_plp = "#Symbol\tGeneID\tTotal_submissions\tTotal_alleles\n\
                      PKD1\t5310\t3358\t2103\n";
        let e = parse(no_plp.as_bytes()).unwrap_err();
        assert!(
            e.message.contains("Submissions_reporting_this_gene"),
            "{e:?}"
        );
        assert!(
            parse(b"<!DOCTYPE html><html>")
                .unwrap_err()
                .message
                .contains("HTML")
        );
        assert!(parse(b"\n").unwrap_err().message.contains("empty"));
        let header = "#Symbol\tGeneID\tTotal_submissions\tTotal_alleles\t\
                      Submissions_reporting_this_gene\t\
                      Alleles_reported_Pathogenic_Likely_pathogenic\tGene_MIM_number\t\
                      Number_uncertain\tNumber_with_conflicts\n";
        let wrong = format!("{header}PKD1\t5310\tmany\t2103\t3036\t774\t601313\t630\t59\n");
        let e = parse(wrong.as_bytes()).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("Total_submissions"), "{e:?}");
        assert!(
            parse(header.as_bytes())
                .unwrap_err()
                .message
                .contains("no rows")
        );
        assert!(
            release_date(b"#Overview of data in ClinVar by gene, dated Smarch 7, 2021\n").is_err()
        );
        assert_eq!(release_date(header.as_bytes()).unwrap(), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let _ = parse(&bytes);
            let _ = release_date(&bytes);
        }
    }
}
