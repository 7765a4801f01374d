//! The *requests* half of the annotation sources, and the pure step from parsed rows to
//! staged rows.
//!
//! Why: annotations must travel the same road as evidence (one fetcher with per-host
//! limits and conditional requests, content-addressed storage, a provenance record per
//! file, staged rows normalized to HGNC ids with an audit log), so a gene page can say which
//! file, release and checksum each value came from. Each source reads its files once,
//! parses them with the pure parsers of [`crate::annotations`], and stages one row per gene
//! as the upstream identified it (symbol, NCBI Gene, Ensembl or HGNC id) with the part of
//! [`GeneAnnotations`](super::model::GeneAnnotations) it fills as `details`.
//!
//! `hpo_phenotypes` has no files of its own: the `hpo` source stages it from the HPO files
//! it has already parsed (see [`crate::sources::hpo::fetch`]).

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use super::model::{self, CellType, ClinVar, Constraint, Expression, ManeSelect, Mouse, Ortholog};
use super::{clinvar, expression, gnomad, mane, mgi};
use crate::session::Session;
use crate::sources::{ParseProblem, Staged, StagedRow};

/// Fetch and stage annotation `name` (not `hpo_phenotypes`, which the `hpo` source stages).
/// Parsing runs on the blocking pool, one annotation at a time, so it overlaps with the
/// other sources' downloads and parsing on another core.
pub async fn fetch(session: &mut Session<'_>, name: &str) -> Result<Staged, String> {
    let a = &session.ctx.registry.config.raw.annotations;
    let urls: Vec<String> = match name {
        "gnomad" => vec![a.gnomad.url.value.clone()],
        "clinvar" => vec![a.clinvar.url.value.clone()],
        "gtex" => vec![a.gtex.url.value.clone()],
        "descartes" => vec![
            a.descartes.tpm_url.value.clone(),
            a.descartes.fraction_url.value.clone(),
        ],
        "mgi" => vec![
            a.mgi.orthologs_url.value.clone(),
            a.mgi.vocabulary_url.value.clone(),
            a.mgi.kidney_terms_url.value.clone(),
        ],
        "mane" => vec![a.mane.url.value.clone()],
        other => return Err(format!("{other}: not an annotation fetched on its own")),
    };
    let mut files = Vec::with_capacity(urls.len());
    for url in &urls {
        files.push(session.get(url).await.map_err(|e| e.to_string())?);
    }
    if let Some(s) = unchanged(session) {
        return s;
    }
    let downloads: Vec<usize> = files.iter().map(|f| f.download).collect();
    // What the transfer tells about the release (the files' own dates come from parsing).
    let first_url = urls.first().map(String::as_str).unwrap_or_default();
    let meta_version = match name {
        "gnomad" => date_in_url(first_url).map(|d| format!("v2.1.1 (tabulated {d})")),
        "gtex" => date_in_url(first_url).map(|d| format!("HPA v23 / GTEx v8 (tabulated {d})")),
        "descartes" => date_in_url(first_url).map(|d| format!("human fetal atlas (tabulated {d})")),
        // MGI reports carry no release line: the file date (Last-Modified) is its "as of".
        "mgi" => files
            .first()
            .and_then(|f| session.records.get(f.download))
            .and_then(|r| r.last_modified.as_deref())
            .and_then(http_date_to_iso)
            .map(|d| format!("as of {d}")),
        "mane" => files
            .first()
            .and_then(|f| mane_release(&f.final_url))
            .or_else(|| mane_release(first_url)),
        _ => None,
    };
    let bodies: Vec<(String, Vec<u8>)> = urls
        .into_iter()
        .zip(files.into_iter().map(|f| f.bytes))
        .collect();
    let (source, what) = (session.source.to_string(), name.to_string());
    // One annotation parse at a time: in parallel they would hold every file and its rows
    // in memory at once (peak RSS of a first run 0.9 GB instead of 0.5 GB).
    static ONE_AT_A_TIME: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);
    let _permit = ONE_AT_A_TIME
        .acquire()
        .await
        .map_err(|e| format!("{source}: {e}"))?;
    let (rows, content_version) =
        tokio::task::spawn_blocking(move || parse_and_stage(&what, &source, &bodies))
            .await
            .map_err(|e| format!("{}: parser stopped: {e}", session.source))??;
    finish(session, &downloads, content_version.or(meta_version), rows)
}

/// Parse annotation `name`'s files (`(url, bytes)` in configuration order) and build its
/// staged rows; also the release the content states (ClinVar's date line). Pure.
pub fn parse_and_stage(
    name: &str,
    source: &str,
    bodies: &[(String, Vec<u8>)],
) -> Result<(Vec<StagedRow>, Option<String>), String> {
    let err = |url: &str, p: ParseProblem| p.describe(source, url);
    let file = |i: usize| {
        bodies
            .get(i)
            .ok_or_else(|| format!("{source}: file {} missing", i + 1))
            .and_then(|(url, bytes)| Ok((url.as_str(), content(bytes, source, url)?)))
    };
    match name {
        "gnomad" => {
            let (url, text) = file(0)?;
            let rows = gnomad::parse(&text).map_err(|p| err(url, p))?;
            Ok((stage_gnomad(&rows), None))
        }
        "clinvar" => {
            let (url, text) = file(0)?;
            let rows = clinvar::parse(&text).map_err(|p| err(url, p))?;
            let version = clinvar::release_date(&text).map_err(|p| err(url, p))?;
            Ok((stage_clinvar(&rows), version))
        }
        "gtex" => {
            let (url, text) = file(0)?;
            let rows = expression::parse_gtex(&text).map_err(|p| err(url, p))?;
            Ok((stage_gtex(&rows), None))
        }
        "descartes" => {
            let (tpm_url, tpm_text) = file(0)?;
            let (frac_url, frac_text) = file(1)?;
            let tpm = expression::parse_descartes(&tpm_text).map_err(|p| err(tpm_url, p))?;
            let frac = expression::parse_descartes(&frac_text).map_err(|p| err(frac_url, p))?;
            if tpm.first().map(|r| r.measure) != Some(expression::DescartesMeasure::Tpm) {
                return Err(format!(
                    "{source}: {tpm_url}: expected `<cell type>_tpm` columns"
                ));
            }
            if frac.first().map(|r| r.measure)
                != Some(expression::DescartesMeasure::FractionExpressing)
            {
                return Err(format!(
                    "{source}: {frac_url}: expected `<cell type>_perc_expr` columns"
                ));
            }
            Ok((stage_descartes(&tpm, &frac), None))
        }
        "mgi" => {
            let (hmd_url, hmd_text) = file(0)?;
            let (voc_url, voc_text) = file(1)?;
            let (kid_url, kid_text) = file(2)?;
            let hmd = mgi::parse_hmd(&hmd_text).map_err(|p| err(hmd_url, p))?;
            let voc = mgi::parse_voc(&voc_text).map_err(|p| err(voc_url, p))?;
            let kidney = mgi::parse_kidney_terms(&kid_text).map_err(|p| err(kid_url, p))?;
            Ok((
                stage_mgi(&mgi::kidney_phenotypes(&hmd, &voc, &kidney)),
                None,
            ))
        }
        "mane" => {
            let (url, text) = file(0)?;
            let rows = mane::parse(&text).map_err(|p| err(url, p))?;
            Ok((stage_mane(&rows), None))
        }
        other => Err(format!("{other}: not an annotation fetched on its own")),
    }
}

/// Every file answered 304 (or, offline, the stored files are those of the last good run):
/// nothing to parse, the staged rows stay (the pipeline records the source as unchanged,
/// with its last version).
fn unchanged(session: &Session<'_>) -> Option<Result<Staged, String>> {
    if !session.unchanged() {
        return None;
    }
    let version = session
        .store
        .source_status(session.source)
        .map(|(_, good)| good.and_then(|g| g.upstream_version));
    Some(
        version
            .map(|upstream_version| Staged {
                upstream_version,
                ..Default::default()
            })
            .map_err(|e| format!("{}: {e}", session.source)),
    )
}

/// The file's content: a `.gz` served as is (MANE, the derived tables) is unpacked here;
/// the recorded checksum stays that of the bytes upstream serves.
fn content<'b>(
    bytes: &'b [u8],
    source: &str,
    url: &str,
) -> Result<std::borrow::Cow<'b, [u8]>, String> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        crate::fetch::gunzip(bytes)
            .map(std::borrow::Cow::Owned)
            .map_err(|e| format!("{source}: {url}: corrupt or truncated gzip: {e}"))
    } else {
        Ok(std::borrow::Cow::Borrowed(bytes))
    }
}

/// Pair staged rows with the download they came from (the first file of the source: every
/// row is built from all of `downloads`, which the Sources page lists) and set versions.
fn finish(
    session: &mut Session<'_>,
    downloads: &[usize],
    version: Option<String>,
    rows: Vec<StagedRow>,
) -> Result<Staged, String> {
    if rows.is_empty() {
        return Err(format!("{}: no gene rows", session.source));
    }
    if let Some(v) = &version {
        for &d in downloads {
            session.set_version(d, v.clone());
        }
    }
    let first = downloads.first().copied().unwrap_or(0);
    Ok(Staged {
        rows: rows.into_iter().map(|r| (first, r)).collect(),
        upstream_version: version,
        ..Default::default()
    })
}

/// Builds staged rows with record keys unique within the source (a repeated key gets the
/// line it came from appended, so no row is silently dropped).
struct Rows {
    seen: HashSet<String>,
    out: Vec<StagedRow>,
}

impl Rows {
    fn new() -> Self {
        Rows {
            seen: HashSet::new(),
            out: Vec::new(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push<T: Serialize>(
        &mut self,
        key: String,
        line: u64,
        symbol: Option<&str>,
        hgnc_id: Option<&str>,
        ncbi_id: Option<u64>,
        ensembl_id: Option<&str>,
        part: &T,
    ) {
        let key = if self.seen.insert(key.clone()) {
            key
        } else {
            let k = format!("{key}#{line}");
            self.seen.insert(k.clone());
            k
        };
        self.out.push(StagedRow {
            record_key: key,
            reported_symbol: symbol.map(str::to_string),
            reported_hgnc_id: hgnc_id.map(str::to_string),
            reported_ncbi_id: ncbi_id.map(|n| n.to_string()),
            reported_ensembl_id: ensembl_id.map(str::to_string),
            details: serde_json::to_value(part).unwrap_or(serde_json::Value::Null),
        });
    }
}

/// gnomAD: one row per gene (key: Ensembl gene id, else symbol).
pub fn stage_gnomad(rows: &[gnomad::Row]) -> Vec<StagedRow> {
    let mut out = Rows::new();
    for r in rows {
        let part = Constraint {
            pli: r.pli,
            loeuf: r.oe_lof_upper,
            oe_lof: r.oe_lof,
            oe_lof_lower: r.oe_lof_lower,
            loeuf_computed: r.oe_lof_ci_computed,
            obs_lof: r.obs_lof,
            exp_lof: r.exp_lof,
            lof_z: r.lof_z,
            mis_z: r.mis_z,
            syn_z: r.syn_z,
            transcript: r.transcript.clone(),
        };
        let key = r
            .ensembl_gene_id
            .clone()
            .unwrap_or_else(|| r.symbol.clone());
        out.push(
            key,
            r.line,
            Some(&r.symbol),
            None,
            None,
            r.ensembl_gene_id.as_deref(),
            &part,
        );
    }
    out.out
}

/// ClinVar: one row per gene (key: NCBI Gene id, else symbol).
pub fn stage_clinvar(rows: &[clinvar::Row]) -> Vec<StagedRow> {
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
    out.out
}

/// GTEx (HPA nTPM): kidney value, its rank among tissues and the top tissue.
pub fn stage_gtex(rows: &[expression::GtexRow]) -> Vec<StagedRow> {
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
    out.out
}

/// Descartes: the TPM and fraction-expressing files merged per gene (key: symbol, as the
/// files are keyed), cell types sorted by TPM, highest first.
pub fn stage_descartes(
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
        let part = model::FetalKidney { cell_types: cells };
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
    out.out
}

/// MGI: one row per human gene of the orthology report (key: Entrez id, else symbol).
pub fn stage_mgi(genes: &[mgi::GeneMouseKidney]) -> Vec<StagedRow> {
    let mut out = Rows::new();
    for (i, g) in genes.iter().enumerate() {
        let part = Mouse {
            orthologs: g
                .orthologs
                .iter()
                .map(|(symbol, mgi_id)| Ortholog {
                    symbol: symbol.clone(),
                    mgi_id: mgi_id.clone(),
                })
                .collect(),
            phenotype_count: g.phenotype_count,
            kidney_phenotypes: g
                .kidney_terms
                .iter()
                .map(|(id, name)| model::Term {
                    id: id.clone(),
                    name: name.clone().unwrap_or_default(),
                })
                .collect(),
        };
        let key = g
            .human_entrez
            .map(|n| n.to_string())
            .unwrap_or_else(|| g.human_symbol.clone());
        out.push(
            key,
            i as u64 + 1,
            Some(&g.human_symbol),
            None,
            g.human_entrez,
            None,
            &part,
        );
    }
    out.out
}

/// MANE: the Select row per gene, with the gene's Plus Clinical transcripts (key: NCBI
/// Gene id, else HGNC id, else symbol).
pub fn stage_mane(rows: &[mane::Row]) -> Vec<StagedRow> {
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
    out.out
}

/// The ISO date in the last path segment of a URL (`…_2023-10-12.csv.gz` -> `2023-10-12`).
pub fn date_in_url(url: &str) -> Option<String> {
    let name = url.rsplit('/').next()?;
    let b = name.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let s = name.get(i..i + 10)?;
        let ok = s.bytes().enumerate().all(|(j, c)| match j {
            4 | 7 => c == b'-',
            _ => c.is_ascii_digit(),
        });
        ok.then(|| s.to_string())
    })
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

/// `Wed, 13 May 2026 00:00:00 GMT` -> `2026-05-13`.
pub fn http_date_to_iso(s: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut it = s.split_whitespace().skip(1);
    let day: u32 = it.next()?.parse().ok()?;
    let month = MONTHS.iter().position(|m| Some(*m) == it.clone().next())? + 1;
    it.next();
    let year: u32 = it.next()?.parse().ok()?;
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotations::test_support::real;

    #[test]
    fn versions_from_urls_and_headers() {
        assert_eq!(
            date_in_url(
                "https://x/gene_score/features/results/gnomad_constraints_2023-10-12.csv.gz"
            )
            .as_deref(),
            Some("2023-10-12")
        );
        assert_eq!(date_in_url("https://x/HMD_HumanPhenotype.rpt"), None);
        assert_eq!(
            mane_release(
                "https://ftp.ncbi.nlm.nih.gov/refseq/MANE/MANE_human/release_1.5/MANE.GRCh38.v1.5.summary.txt.gz"
            )
            .as_deref(),
            Some("v1.5")
        );
        assert_eq!(
            http_date_to_iso("Wed, 13 May 2026 00:00:00 GMT").as_deref(),
            Some("2026-05-13")
        );
        assert_eq!(http_date_to_iso("yesterday"), None);
    }

    /// Real MANE v1.5 summary: PKD1 is Select NM_001009944.3 / ENST00000262304.9 and keys
    /// are unique; a gene with a Plus Clinical transcript carries it.
    #[test]
    fn mane_rows_real() {
        let rows = mane::parse(&real("mane/MANE.GRCh38.v1.5.summary.txt.gz")).unwrap();
        let staged = stage_mane(&rows);
        assert_eq!(staged.len(), 19_363);
        let keys: HashSet<_> = staged.iter().map(|r| &r.record_key).collect();
        assert_eq!(keys.len(), staged.len());
        let pkd1 = staged
            .iter()
            .find(|r| r.reported_hgnc_id.as_deref() == Some("HGNC:9008"))
            .unwrap();
        let part: ManeSelect = serde_json::from_value(pkd1.details.clone()).unwrap();
        assert_eq!(part.refseq_transcript, "NM_001009944.3");
        assert_eq!(part.ensembl_transcript, "ENST00000262304.9");
        assert!(staged.iter().any(|r| {
            serde_json::from_value::<ManeSelect>(r.details.clone())
                .is_ok_and(|p| !p.plus_clinical.is_empty())
        }));
    }

    /// Real derived gnomAD table: PKD1 pLI 1, LOEUF computed (the file has no upper bound).
    #[test]
    fn gnomad_rows_real() {
        let rows = gnomad::parse(&real("gnomad/gnomad_constraints_2023-10-12.csv.gz")).unwrap();
        let staged = stage_gnomad(&rows);
        assert_eq!(staged.len(), rows.len());
        let pkd1 = staged
            .iter()
            .find(|r| r.reported_symbol.as_deref() == Some("PKD1"))
            .unwrap();
        let c: Constraint = serde_json::from_value(pkd1.details.clone()).unwrap();
        assert_eq!(c.pli, Some(1.0));
        assert!(c.loeuf_computed);
        let loeuf = c.loeuf.unwrap();
        assert!((0.17..0.19).contains(&loeuf), "{loeuf}");
    }
}
