//! Gene annotations: facts shown next to a gene that do not count as evidence.
//!
//! Why: a curator judging a kidney gene wants its constraint (gnomAD), its ClinVar load,
//! where it is expressed (GTEx, Descartes fetal kidney), whether the mouse ortholog has a
//! kidney phenotype (MGI) and its MANE Select transcript. None of these feed the score
//! (SCORING.md); they are displayed "in their own words" with the upstream version.
//!
//! This module holds only the pure parsers (bytes in, rows out; no I/O, no HTTP). Each
//! submodule documents the file it reads, the identifiers it reports (HGNC id when the
//! file has one, else symbol / NCBI Gene / Ensembl id) and the meaning of every field.
//! Columns are found by header NAME; the two header-less MGI reports are checked field by
//! field instead (see [`mgi`]). Missing values (`NA`, `-`, empty) become `None`.

pub mod clinvar;
pub mod expression;
pub mod fetch;
pub mod gnomad;
pub mod hpo_classes;
pub mod mane;
pub mod mgi;
pub mod model;

use std::collections::BTreeMap;

use crate::sources::ParseProblem;

/// The rules behind each annotation in plain words, for the Methods page (annotation name
/// -> lines). The HPO class rules are those of the configuration in use.
pub fn rules_text(hpo: &hpo_classes::ClassRules) -> BTreeMap<String, Vec<String>> {
    let lines = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut r = BTreeMap::new();
    r.insert("hpo_phenotypes".to_string(), hpo.describe());
    r.insert(
        "gnomad".to_string(),
        lines(&[
            "pLI, observed/expected LoF, missense and synonymous Z as gnomAD reports them.",
            "LOEUF is oe_lof_upper. When the file has no such column, kgdb computes the 90 % \
             interval of obs/exp LoF as gnomAD does (oe_confidence_interval): the Poisson \
             likelihood of the observed count over o/e = 0, 0.001, ..., 1.999, normalised to a \
             cumulative sum of 1; upper = the first o/e whose cumulative value exceeds 0.95, \
             lower = the last below 0.05. Such values are marked \"computed by kgdb\"; checked \
             against the published bounds of real gnomAD rows.",
        ]),
    );
    r.insert(
        "clinvar".to_string(),
        lines(&[
            "Counts as NCBI's gene_specific_summary.txt gives them: submissions, alleles, \
             alleles reported pathogenic or likely pathogenic, uncertain, with conflicts.",
        ]),
    );
    r.insert(
        "gtex".to_string(),
        lines(&[
            "Kidney nTPM (Human Protein Atlas, from GTEx v8) and the rank of kidney among the \
             tissues with a value (1 = highest; ties share the better rank); the top tissue is \
             the one with the highest nTPM.",
        ]),
    );
    r.insert(
        "descartes".to_string(),
        lines(&[
            "Fetal kidney cell types (TPM and fraction of cells expressing). No licence is \
             stated upstream, so kgdb links to Descartes instead of showing or redistributing \
             the values.",
        ]),
    );
    r.insert(
        "mgi".to_string(),
        lines(&[
            "Mouse orthologs from MGI's HMD_HumanPhenotype.rpt with the MP terms MGI lists for \
             them; an ortholog has a kidney phenotype when one of those terms is in the \
             661-term set under MP:0005367 (renal/urinary system phenotype). Term names from \
             VOC_MammalianPhenotype.rpt.",
        ]),
    );
    r.insert(
        "mane".to_string(),
        lines(&[
            "The MANE Select transcript pair (RefSeq and Ensembl, with proteins) of the gene, \
             and its MANE Plus Clinical transcripts if any.",
        ]),
    );
    r.insert(
        "all_annotations".to_string(),
        lines(&[
            "Every annotation file is normalised to HGNC ids like the evidence (HGNC id, then \
             symbol, NCBI Gene or Ensembl id, previous symbol, alias). When several rows of one \
             file resolve to the same gene, the row whose own identifiers agree most with HGNC \
             wins (HGNC id, approved symbol, NCBI Gene id, Ensembl id).",
            "Annotations never change a gene's score.",
        ]),
    );
    r
}

/// A delimited table read into memory: header names and data rows with their 1-based line.
pub(crate) struct Table {
    pub header: Vec<String>,
    pub rows: Vec<(u64, Vec<String>)>,
    /// Line number of the header (for error messages).
    pub header_line: u64,
}

impl Table {
    /// Index of the column called `name`, or a problem naming the missing column.
    pub fn col(&self, name: &str) -> Result<usize, ParseProblem> {
        self.find(name).ok_or_else(|| {
            ParseProblem::at(
                self.header_line,
                format!("missing column `{name}` in header"),
            )
        })
    }

    /// Index of the column called `name`, if any.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// Read a comma-separated file with quoted fields (R `write.csv` style); first record = header.
    pub fn csv(text: &str) -> Result<Table, ParseProblem> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut header: Option<(u64, Vec<String>)> = None;
        let mut rows = Vec::new();
        for (i, rec) in rdr.records().enumerate() {
            let fallback = i as u64 + 1;
            let rec = rec.map_err(|e| {
                let line = e.position().map(|p| p.line()).unwrap_or(fallback);
                ParseProblem::at(line, format!("malformed CSV: {e}"))
            })?;
            let line = rec.position().map(|p| p.line()).unwrap_or(fallback);
            if rec.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let fields: Vec<String> = rec.iter().map(|f| f.trim().to_string()).collect();
            match &header {
                None => header = Some((line, fields)),
                Some((_, h)) => {
                    if fields.len() != h.len() {
                        return Err(ParseProblem::at(
                            line,
                            format!("{} fields, the header has {}", fields.len(), h.len()),
                        ));
                    }
                    rows.push((line, fields));
                }
            }
        }
        let (header_line, header) = header.ok_or_else(|| ParseProblem::whole("no header line"))?;
        Ok(Table {
            header,
            rows,
            header_line,
        })
    }

    /// Read a tab-separated file. Lines starting with `#` before the header are skipped,
    /// except that a `#`-prefixed line whose first field is `first_header_field` IS the
    /// header (ClinVar and MANE write `#Symbol ...` / `#NCBI_GeneID ...`).
    pub fn tsv(text: &str, first_header_field: &str) -> Result<Table, ParseProblem> {
        let mut header: Option<(u64, Vec<String>)> = None;
        let mut rows = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i as u64 + 1;
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            if raw.trim().is_empty() {
                continue;
            }
            match &header {
                None => {
                    let candidate = raw.trim_start_matches('#');
                    let fields: Vec<String> = candidate
                        .split('\t')
                        .map(|f| f.trim().to_string())
                        .collect();
                    if fields.first().map(String::as_str) == Some(first_header_field) {
                        header = Some((line, fields));
                    } else if !raw.starts_with('#') {
                        return Err(ParseProblem::at(
                            line,
                            format!(
                                "expected a header starting with `{first_header_field}`, found `{}`",
                                raw.chars().take(60).collect::<String>()
                            ),
                        ));
                    }
                }
                Some((_, h)) => {
                    let fields: Vec<String> =
                        raw.split('\t').map(|f| f.trim().to_string()).collect();
                    if fields.len() != h.len() {
                        return Err(ParseProblem::at(
                            line,
                            format!("{} fields, the header has {}", fields.len(), h.len()),
                        ));
                    }
                    rows.push((line, fields));
                }
            }
        }
        let (header_line, header) = header.ok_or_else(|| {
            ParseProblem::whole(format!(
                "no header line starting with `{first_header_field}`"
            ))
        })?;
        Ok(Table {
            header,
            rows,
            header_line,
        })
    }
}

/// True for the spellings upstream files use for "no value".
pub(crate) fn is_missing(s: &str) -> bool {
    matches!(s, "" | "NA" | "-" | "NaN" | "nan" | "null")
}

/// A float field; missing values are `None`, anything else unparsable is a problem.
pub(crate) fn num(s: &str, line: u64, column: &str) -> Result<Option<f64>, ParseProblem> {
    if is_missing(s) {
        return Ok(None);
    }
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(ParseProblem::at(
            line,
            format!("column `{column}`: `{s}` is not a number"),
        )),
    }
}

/// A non-negative integer field (counts, NCBI Gene ids); missing values are `None`.
pub(crate) fn count(s: &str, line: u64, column: &str) -> Result<Option<u64>, ParseProblem> {
    if is_missing(s) {
        return Ok(None);
    }
    s.parse::<u64>().map(Some).map_err(|_| {
        ParseProblem::at(
            line,
            format!("column `{column}`: `{s}` is not a whole number"),
        )
    })
}

/// A text field; missing values are `None`.
pub(crate) fn opt_text(s: &str) -> Option<String> {
    if is_missing(s) {
        None
    } else {
        Some(s.to_string())
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    /// Bytes of a real file under /work/shared/data/raw/annotations (gunzipped).
    pub fn real(rel: &str) -> Vec<u8> {
        let path = format!(
            "{}/../shared/data/raw/annotations/{rel}",
            env!("CARGO_MANIFEST_DIR")
        );
        crate::fetch::read_maybe_gzip(std::path::Path::new(&path))
            .unwrap_or_else(|e| panic!("reading {path}: {e}"))
    }
}
