//! MANE (Matched Annotation from NCBI and EMBL-EBI) summary, v1.5.
//!
//! Why: the gene page names one reference transcript, the MANE Select (RefSeq NM_ and
//! Ensembl ENST that match exactly), which is what variant reports are written against.
//!
//! Layout: `MANE.GRCh38.v<version>.summary.txt(.gz)`, TSV with the header `#NCBI_GeneID
//! Ensembl_Gene HGNC_ID symbol name RefSeq_nuc RefSeq_prot Ensembl_nuc Ensembl_prot
//! MANE_status GRCh38_chr chr_start chr_end chr_strand`. `NCBI_GeneID` is `GeneID:<n>`;
//! ids are versioned; `GRCh38_chr` is a RefSeq accession (`NC_000016.10`).
//!
//! Key: `HGNC_ID` (empty on 52 of the 19,437 v1.5 rows, e.g. `LOC400499`, `TARP`), plus
//! NCBI Gene id, Ensembl gene and symbol, which every row has.
//! A gene may have a `MANE Select` and a `MANE Plus Clinical` row; all rows are returned.

use super::{Table, count, opt_text};
use crate::sources::{ParseProblem, text_of};

/// One MANE transcript row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub line: u64,
    pub ncbi_gene_id: Option<u64>,
    /// Versioned Ensembl gene id, e.g. `ENSG00000008710.20`.
    pub ensembl_gene: Option<String>,
    pub hgnc_id: Option<String>,
    pub symbol: String,
    pub name: Option<String>,
    /// RefSeq transcript, e.g. `NM_001009944.3`.
    pub refseq_nuc: String,
    pub refseq_prot: Option<String>,
    /// Ensembl transcript, e.g. `ENST00000262304.9`.
    pub ensembl_nuc: String,
    pub ensembl_prot: Option<String>,
    /// `MANE Select` or `MANE Plus Clinical`.
    pub mane_status: String,
    pub chromosome: Option<String>,
    pub start: Option<u64>,
    pub end: Option<u64>,
    pub strand: Option<String>,
}

impl Row {
    pub fn is_select(&self) -> bool {
        self.mane_status == "MANE Select"
    }
}

/// Parse the summary file; columns by header name.
pub fn parse(bytes: &[u8]) -> Result<Vec<Row>, ParseProblem> {
    let text = text_of(bytes, "MANE summary TSV")?;
    let t = Table::tsv(text, "NCBI_GeneID")?;
    let gid = t.col("NCBI_GeneID")?;
    let eg = t.col("Ensembl_Gene")?;
    let hgnc = t.col("HGNC_ID")?;
    let sym = t.col("symbol")?;
    let name = t.col("name")?;
    let rn = t.col("RefSeq_nuc")?;
    let rp = t.col("RefSeq_prot")?;
    let en = t.col("Ensembl_nuc")?;
    let ep = t.col("Ensembl_prot")?;
    let status = t.col("MANE_status")?;
    let chr = t.col("GRCh38_chr")?;
    let start = t.col("chr_start")?;
    let end = t.col("chr_end")?;
    let strand = t.col("chr_strand")?;
    let mut out = Vec::with_capacity(t.rows.len());
    for (line, f) in &t.rows {
        let line = *line;
        let required = |i: usize, what: &str| -> Result<String, ParseProblem> {
            opt_text(&f[i]).ok_or_else(|| ParseProblem::at(line, format!("empty `{what}`")))
        };
        let hgnc_id = opt_text(&f[hgnc]);
        if let Some(h) = hgnc_id.as_deref().filter(|h| !h.starts_with("HGNC:")) {
            return Err(ParseProblem::at(
                line,
                format!("`HGNC_ID` `{h}` is not HGNC:<n>"),
            ));
        }
        let gene = &f[gid];
        let ncbi = count(
            gene.strip_prefix("GeneID:").unwrap_or(gene),
            line,
            "NCBI_GeneID",
        )?;
        out.push(Row {
            line,
            ncbi_gene_id: ncbi,
            ensembl_gene: opt_text(&f[eg]),
            hgnc_id,
            symbol: required(sym, "symbol")?,
            name: opt_text(&f[name]),
            refseq_nuc: required(rn, "RefSeq_nuc")?,
            refseq_prot: opt_text(&f[rp]),
            ensembl_nuc: required(en, "Ensembl_nuc")?,
            ensembl_prot: opt_text(&f[ep]),
            mane_status: required(status, "MANE_status")?,
            chromosome: opt_text(&f[chr]),
            start: count(&f[start], line, "chr_start")?,
            end: count(&f[end], line, "chr_end")?,
            // `+` / `-`: read as is (`-` is a value here, not "missing").
            strand: Some(f[strand].clone()).filter(|s| !s.is_empty()),
        });
    }
    if out.is_empty() {
        return Err(ParseProblem::whole("MANE summary has no rows"));
    }
    Ok(out)
}

/// The MANE Select row per HGNC id (rows without an HGNC id are left out).
pub fn select_by_hgnc(rows: &[Row]) -> std::collections::BTreeMap<&str, &Row> {
    rows.iter()
        .filter(|r| r.is_select())
        .filter_map(|r| Some((r.hgnc_id.as_deref()?, r)))
        .collect()
}

// ---------------------------------------------------------------------------------------
// The annotation: settings, requests, typed part, presentation.

use std::collections::BTreeMap;

use futures_util::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::fetch::{self, Rows, Transfer};
use super::model::{Part, PartKind, PartType, part_of};
use super::view::*;
use super::{AnnotationSource, Body, CsvColumn, GenomicSpan, PartContext, ucsc_chrom};
use crate::config::{Config, Problem};
use crate::sources::session::Session;
use crate::sources::{SourceError, Staged, StagedRow};

/// `mane`: the MANE Select transcript pair.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ManeSelect {
    pub refseq_transcript: String,
    pub refseq_protein: Option<String>,
    pub ensembl_transcript: String,
    pub ensembl_protein: Option<String>,
    /// MANE Plus Clinical transcripts of the gene (RefSeq / Ensembl), if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plus_clinical: Vec<String>,
    /// Where the Select transcript lies on GRCh38 (`GRCh38_chr` mapped to `chr1`…,
    /// `chr_start`/`chr_end` 1-based as in the file); absent when the row has no
    /// coordinates or an accession that is not a primary chromosome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grch38: Option<GenomicSpan>,
}

impl PartType for ManeSelect {
    const KEY: &'static str = "mane";
}

crate::annotation_settings! {
    pub struct Settings {
        pub url: Spanned<String>,
        /// Bases added on each side of a transcript span in the gene table's BED export.
        #[serde(default)]
        pub bed_padding: Option<Spanned<u64>>,
    }
}

/// The largest `bed_padding` accepted (1 Mb: beyond it a "gene panel" is a chromosome arm).
const MAX_BED_PADDING: u64 = 1_000_000;

pub fn load(
    name: &'static str,
    config: &Config,
) -> Result<Box<dyn AnnotationSource>, Vec<Problem>> {
    super::load_block(
        name,
        config,
        |s: &Settings, c, k| {
            c.url(&s.url, &format!("{k}.url"));
            if let Some(p) = &s.bed_padding
                && p.value > MAX_BED_PADDING
            {
                c.push(
                    p,
                    format!("{k}.bed_padding"),
                    format!(
                        "must be between 0 and {MAX_BED_PADDING} bases, found {}",
                        p.value
                    ),
                );
            }
        },
        |settings| Box::new(Mane { name, settings }),
    )
}

pub struct Mane {
    name: &'static str,
    settings: Settings,
}

/// The release the transfer tells (when the content states none).
fn version(t: &Transfer<'_>) -> Option<String> {
    mane_release(t.final_url).or_else(|| mane_release(t.url))
}

fn parse_files(
    source: &str,
    bodies: &[(String, Vec<u8>)],
) -> Result<(Vec<StagedRow>, Option<String>), SourceError> {
    let (url, text) = fetch::file(source, bodies, 0)?;
    let rows = parse(&text).map_err(fetch::at(source, url))?;
    Ok((stage(&rows), None))
}

fn ncbi_url(kind: &str, id: &str) -> Option<String> {
    id_ok(id).then(|| format!("https://www.ncbi.nlm.nih.gov/{kind}/{id}"))
}

impl AnnotationSource for Mane {
    crate::annotation_accessors!();

    fn part(&self) -> PartKind {
        PartKind::of::<ManeSelect>()
    }

    fn heading(&self) -> &'static str {
        "MANE Select transcript"
    }

    fn methods_text(&self) -> Vec<String> {
        [
            "The MANE Select transcript pair (RefSeq and Ensembl, with proteins) of the gene, \
             and its MANE Plus Clinical transcripts if any.",
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
        let m = part_of::<ManeSelect>(part)?;
        Some(format!(
            "MANE       {} / {}",
            m.refseq_transcript, m.ensembl_transcript
        ))
    }

    fn csv_columns(&self) -> Vec<CsvColumn> {
        vec![
            CsvColumn {
                name: "mane_refseq",
                kind: "text",
                description: "MANE Select RefSeq transcript (NM_…, versioned)",
                value: |p| of(part_of::<ManeSelect>(p), |m| m.refseq_transcript.clone()),
            },
            CsvColumn {
                name: "mane_refseq_protein",
                kind: "text",
                description: "Its RefSeq protein (NP_…)",
                value: |p| {
                    of(
                        part_of::<ManeSelect>(p).and_then(|m| m.refseq_protein.clone()),
                        |s| s,
                    )
                },
            },
            CsvColumn {
                name: "mane_ensembl",
                kind: "text",
                description: "MANE Select Ensembl transcript (ENST…, versioned)",
                value: |p| of(part_of::<ManeSelect>(p), |m| m.ensembl_transcript.clone()),
            },
            CsvColumn {
                name: "mane_ensembl_protein",
                kind: "text",
                description: "Its Ensembl protein (ENSP…)",
                value: |p| {
                    of(
                        part_of::<ManeSelect>(p).and_then(|m| m.ensembl_protein.clone()),
                        |s| s,
                    )
                },
            },
            CsvColumn {
                name: "mane_plus_clinical",
                kind: "list",
                description: "MANE Plus Clinical transcripts, separated by |",
                value: |p| of(part_of::<ManeSelect>(p), |m| m.plus_clinical.join("|")),
            },
        ]
    }

    fn section(&self, part: &dyn Part, _cx: &PartContext<'_>) -> Body {
        let mut b = Body::default();
        let Some(m) = part_of::<ManeSelect>(part) else {
            return b;
        };
        let mut refseq = vec![link(
            m.refseq_transcript.clone(),
            ncbi_url("nuccore", &m.refseq_transcript),
        )];
        if let Some(p) = &m.refseq_protein {
            refseq.push(text(" / "));
            refseq.push(link(p.clone(), ncbi_url("protein", p)));
        }
        b.facts.push(fact("RefSeq", refseq));
        let mut ens = vec![link(
            m.ensembl_transcript.clone(),
            ensembl_url(&m.ensembl_transcript),
        )];
        if let Some(p) = &m.ensembl_protein {
            ens.push(text(" / "));
            ens.push(link(p.clone(), ensembl_url(p)));
        }
        b.facts.push(fact("Ensembl", ens));
        if !m.plus_clinical.is_empty() {
            b.facts.push(fact(
                "MANE Plus Clinical",
                join(
                    m.plus_clinical.iter().map(|t| text(t.clone())).collect(),
                    ", ",
                ),
            ));
        }
        b
    }

    fn partial(&self) -> (&'static str, &'static str) {
        (
            "annotations/mane.html",
            include_str!("../../templates/annotations/mane.html"),
        )
    }

    fn transcript_span(&self, part: &dyn Part) -> Option<GenomicSpan> {
        part_of::<ManeSelect>(part)?.grch38.clone()
    }

    fn span_export(&self) -> Option<(&'static str, u64)> {
        Some((
            "MANE Select transcript spans",
            self.settings.bed_padding.as_ref().map_or(0, |p| p.value),
        ))
    }
}

/// The Select row's GRCh38 span, when it has coordinates on a primary chromosome.
fn span_of(r: &Row) -> Option<GenomicSpan> {
    let chrom = ucsc_chrom(r.chromosome.as_deref()?)?;
    let (start, end) = (r.start?, r.end?);
    (start >= 1 && start <= end).then(|| GenomicSpan {
        chrom,
        start,
        end,
        strand: r.strand.clone(),
    })
}

/// MANE: the Select row per gene, with the gene's Plus Clinical transcripts (key: NCBI
/// Gene id, else HGNC id, else symbol).
pub fn stage(rows: &[Row]) -> Vec<StagedRow> {
    let mut plus: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for r in rows.iter().filter(|r| !r.is_select()) {
        plus.entry(r.symbol.as_str())
            .or_default()
            .push(format!("{} / {}", r.refseq_nuc, r.ensembl_nuc));
    }
    let mut out = Rows::new();
    for r in rows.iter().filter(|r| r.is_select()) {
        let part = ManeSelect {
            refseq_transcript: r.refseq_nuc.clone(),
            refseq_protein: r.refseq_prot.clone(),
            ensembl_transcript: r.ensembl_nuc.clone(),
            ensembl_protein: r.ensembl_prot.clone(),
            plus_clinical: plus.get(r.symbol.as_str()).cloned().unwrap_or_default(),
            grch38: span_of(r),
        };
        let key = r
            .ncbi_gene_id
            .map(|n| n.to_string())
            .or_else(|| r.hgnc_id.clone())
            .unwrap_or_else(|| r.symbol.clone());
        out.push(
            key,
            r.line,
            Some(&r.symbol),
            r.hgnc_id.as_deref(),
            r.ncbi_gene_id,
            r.ensembl_gene.as_deref(),
            &part,
        );
    }
    out.rows()
}

/// `…/MANE.GRCh38.v1.5.summary.txt.gz` -> `v1.5`.
pub fn mane_release(url: &str) -> Option<String> {
    let name = url.rsplit('/').next()?;
    let rest = name.split(".v").nth(1)?;
    let mut parts = rest.split('.');
    let major = parts.next()?;
    let minor = parts.next()?;
    (major.chars().all(|c| c.is_ascii_digit()) && minor.chars().all(|c| c.is_ascii_digit()))
        .then(|| format!("v{major}.{minor}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotations::test_support::real;
    use proptest::prelude::*;

    #[test]
    fn real_summary_pkd1() {
        let rows = parse(&real("mane/MANE.GRCh38.v1.5.summary.txt.gz")).unwrap();
        // PROVENANCE.md: 19,437 rows (MANE Select 19,363; MANE Plus Clinical 74);
        // Measured here: 19,311 distinct HGNC ids on Select rows (PROVENANCE.md says 19,310
        // after its HGNC join); 52 rows have an empty HGNC_ID.
        assert_eq!(rows.len(), 19_437);
        assert_eq!(rows.iter().filter(|r| r.is_select()).count(), 19_363);
        assert_eq!(
            rows.iter()
                .filter(|r| r.mane_status == "MANE Plus Clinical")
                .count(),
            74
        );
        let select = select_by_hgnc(&rows);
        assert_eq!(select.len(), 19_311);
        assert_eq!(rows.iter().filter(|r| r.hgnc_id.is_none()).count(), 52);
        // File row: GeneID:5310 ENSG00000008710.20 HGNC:9008 PKD1 ... NM_001009944.3
        // NP_001009944.3 ENST00000262304.9 ENSP00000262304.4 MANE Select NC_000016.10
        // 2088708 2135898 -
        let pkd1 = select["HGNC:9008"];
        assert_eq!(pkd1.symbol, "PKD1");
        assert_eq!(pkd1.ncbi_gene_id, Some(5310));
        assert_eq!(pkd1.ensembl_gene.as_deref(), Some("ENSG00000008710.20"));
        assert_eq!(pkd1.refseq_nuc, "NM_001009944.3");
        assert_eq!(pkd1.ensembl_nuc, "ENST00000262304.9");
        assert_eq!(pkd1.refseq_prot.as_deref(), Some("NP_001009944.3"));
        assert_eq!(pkd1.chromosome.as_deref(), Some("NC_000016.10"));
        assert_eq!((pkd1.start, pkd1.end), (Some(2088708), Some(2135898)));
        assert_eq!(pkd1.strand.as_deref(), Some("-"));
        assert_eq!(
            span_of(pkd1),
            Some(GenomicSpan {
                chrom: "chr16".into(),
                start: 2088708,
                end: 2135898,
                strand: Some("-".into()),
            })
        );
        // Select rows on a primary chromosome (NC_) have a span; the 64 on alternate loci or
        // patches (NT_, NW_ scaffolds, e.g. NT_187633.1) have none.
        let spans: Vec<_> = rows.iter().filter(|r| r.is_select()).map(span_of).collect();
        let on_nc = rows
            .iter()
            .filter(|r| {
                r.is_select()
                    && r.chromosome
                        .as_deref()
                        .is_some_and(|c| c.starts_with("NC_"))
            })
            .count();
        assert_eq!(spans.iter().flatten().count(), on_nc);
        assert_eq!(spans.len() - on_nc, 64);
        assert!(spans.iter().flatten().any(|s| s.chrom == "chrX"));
        assert!(spans.iter().flatten().any(|s| s.chrom == "chrY"));
    }

    #[test]
    fn chromosome_accessions() {
        assert_eq!(ucsc_chrom("NC_000001.11").as_deref(), Some("chr1"));
        assert_eq!(ucsc_chrom("NC_000016.10").as_deref(), Some("chr16"));
        assert_eq!(ucsc_chrom("NC_000022.11").as_deref(), Some("chr22"));
        assert_eq!(ucsc_chrom("NC_000023.11").as_deref(), Some("chrX"));
        assert_eq!(ucsc_chrom("NC_000024.10").as_deref(), Some("chrY"));
        assert_eq!(ucsc_chrom("NC_012920.1").as_deref(), Some("chrM"));
        for bad in [
            "NC_000025.1",
            "NC_000000.1",
            "NT_187361.1",
            "chr1",
            "",
            "NC_0000011.1",
        ] {
            assert_eq!(ucsc_chrom(bad), None, "{bad}");
        }
    }

    #[test]
    fn bed_padding_is_validated() {
        let yaml = include_str!("../../sources.yaml");
        let padded = yaml.replace("bed_padding: 0", "bed_padding: 2000000");
        assert_ne!(padded, yaml);
        let (config, _) = Config::parse(std::path::Path::new("sources.yaml"), &padded).unwrap();
        let problems = load("mane", &config).err().unwrap();
        assert!(
            problems
                .iter()
                .any(|p| p.key == "annotations.mane.bed_padding" && p.line.is_some()),
            "{problems:?}"
        );
        let (config, _) = Config::parse(std::path::Path::new("sources.yaml"), yaml).unwrap();
        let m = load("mane", &config).ok().unwrap();
        assert_eq!(m.span_export().map(|(_, p)| p), Some(0));
    }

    #[test]
    fn errors() {
        let e = parse(b"#NCBI_GeneID\tEnsembl_Gene\tsymbol\nGeneID:1\tENSG1\tA1BG\n").unwrap_err();
        assert!(e.message.contains("HGNC_ID"), "{e:?}");
        assert!(parse(b"<html>").unwrap_err().message.contains("HTML"));
        assert!(parse(b"").unwrap_err().message.contains("empty"));
        // The changed-accessions file is a different table: its header is refused.
        let other = real("mane/MANE.GRCh38.v1.5.changed_select_accessions.txt.gz");
        assert!(parse(&other).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let _ = parse(&bytes);
        }
    }
}
