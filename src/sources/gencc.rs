//! GenCC: the Gene Curation Coalition's harmonised gene–disease submissions from many
//! curators (ClinGen, G2P, Orphanet, PanelApp, Invitae, …), so a gene's validity is seen
//! through every submitter that assessed it, not just one.
//!
//! **Requests**: one file, the submissions export `settings.url`
//! (`https://search.thegencc.org/download/action/submissions-export-tsv`), conditional on
//! the last good download.
//!
//! **Format**: tab-separated, every field double-quoted (`"` doubled inside; notes may hold
//! line breaks), so a real CSV parser (tab delimiter) reads it. Columns are found by header
//! NAME: required `gene_curie`, `gene_symbol`, `disease_title`, `classification_title`,
//! `submitter_title`; the others are used when present (`uuid` in the legacy 30-column
//! layout, `sgc_id` in the 2026 "new" layout, `disease_curie`, `disease_original_curie`,
//! `disease_original_title`, `classification_curie`, `moi_curie`, `moi_title`,
//! `submitter_curie`, `submitted_as_hgnc_id`, `submitted_as_hgnc_symbol`,
//! `submitted_as_disease_name`, `submitted_as_date`, `submitted_as_public_report_url`,
//! `submitted_as_pmids`, `submitted_as_assertion_criteria_url`, `submitted_run_date`).
//!
//! **Upstream version**: the export carries no release stamp and the live endpoint is
//! generated per request, so the version is taken from the content: the newest
//! `submitted_run_date` (the day GenCC ingested a submission run), else the newest
//! `submitted_as_date`, as `YYYY-MM-DD`, over all rows (not only the kidney ones). It is
//! therefore reproducible from a stored copy (`--offline`).
//!
//! **Selection** (`sources.yaml`): a submission is kept when one of its disease names
//! (`disease_title`, `disease_original_title`, `submitted_as_disease_name`) contains one of
//! `disease_keywords` and none of `disease_exclusions` (case-insensitive substrings; the
//! original title matters because GenCC's MONDO title can be missing for OMIM submissions).
//! Every classification is kept: Refuted, Disputed, No Known Disease Relationship are
//! contradicting evidence that scoring weighs.
//!
//! **Staged**, one row per kept submission:
//! * `record_key`: the submission `uuid` (legacy; e.g.
//!   `GENCC_000102-HGNC_9008-MONDO_0004691-HP_0000006-GENCC_100001`), else `sgc_id`, else
//!   `submitter|gene|disease|moi|classification` curies.
//! * reported HGNC id = `gene_curie` (else `submitted_as_hgnc_id`; the predecessor ignored
//!   both), reported symbol = `gene_symbol` (else `submitted_as_hgnc_symbol`).
//! * `details`: `gene_symbol`, `hgnc_id`, `submitter` (title), `submitter_curie`,
//!   `classification` (title, e.g. `Definitive`, `Disputed Evidence`),
//!   `classification_curie`, `disease_title`, `disease_curie` (MONDO),
//!   `disease_original_title`, `disease_original_curie` (as submitted: OMIM/ORPHA/MONDO),
//!   `moi`, `moi_curie`, `date` (`submitted_as_date` as given), `report_url`,
//!   `assertion_criteria_url`, `pmids` (list of digit strings), `matched` (the keyword).
//!   Absent values are JSON null. ClinGen's own submissions are included (submitter
//!   `GENCC:000102`); scoring decides whether to count them next to the ClinGen source.

use std::collections::HashSet;

use futures_util::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_saphyr::Spanned;

use super::select::{DiseaseFilter, date_part};
use super::view::{
    Cell, ROWS_SHOWN, classification_cell, clean, contradicting_note, curie_url, cut, date10,
    http_url, link, plural, pubmed_url, shown, styled, text,
};
use super::{
    Contribution, EvidenceSource, Fetched, GeneSection, Method, ParseProblem, ScoringSource,
    SectionContext, SourceError, Staged, StagedRow, StoredRecord, text_of,
};
use crate::config::{Config, Problem, RawCommon};
use crate::sources::hgnc::canonical_hgnc_id;
use crate::sources::session::Session;

crate::source_settings! {
    /// `sources.gencc` in `sources.yaml`.
    pub struct Settings {
        /// The submissions export (TSV).
        pub url: Spanned<String>,
        pub disease_keywords: Spanned<Vec<String>>,
        #[serde(default)]
        pub disease_exclusions: Vec<String>,
    }
}

/// One kept submission: the `details` of a staged row, what evidence counts, what the gene
/// page and the JSON downloads show. Absent values are `null`.
///
/// Read leniently (a field missing from an older stored record takes its default), written
/// in full.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Record {
    pub gene_symbol: Option<String>,
    pub hgnc_id: Option<String>,
    /// Submitter title, e.g. `Genomics England PanelApp`.
    pub submitter: Option<String>,
    pub submitter_curie: Option<String>,
    /// Classification title, e.g. `Definitive`, `Disputed Evidence`.
    pub classification: Option<String>,
    pub classification_curie: Option<String>,
    pub disease_title: Option<String>,
    /// MONDO.
    pub disease_curie: Option<String>,
    pub disease_original_title: Option<String>,
    /// As submitted: OMIM, ORPHA or MONDO.
    pub disease_original_curie: Option<String>,
    pub moi: Option<String>,
    pub moi_curie: Option<String>,
    /// `submitted_as_date` as given.
    pub date: Option<String>,
    pub report_url: Option<String>,
    pub assertion_criteria_url: Option<String>,
    /// PubMed ids (digit strings).
    #[serde(default)]
    pub pmids: Vec<String>,
    /// The disease keyword that selected the submission.
    pub matched: String,
}

/// GenCC as configured: one export, a disease filter.
pub struct GenCC {
    name: &'static str,
    settings: Settings,
}

/// The registry's constructor: read and validate `sources.<name>`.
pub fn load(name: &'static str, config: &Config) -> Result<Box<dyn EvidenceSource>, Vec<Problem>> {
    super::load_block(
        name,
        config,
        |s: &Settings, c, k| {
            c.url(&s.url, &format!("{k}.url"));
            c.non_empty_list(&s.disease_keywords, &format!("{k}.disease_keywords"));
        },
        |settings| Box::new(GenCC { name, settings }),
    )
}

impl EvidenceSource for GenCC {
    fn name(&self) -> &str {
        self.name
    }

    fn common(&self) -> RawCommon<'_> {
        self.settings.common()
    }

    fn fetch<'a>(
        &'a self,
        session: &'a mut Session<'_>,
    ) -> LocalBoxFuture<'a, Result<Fetched, SourceError>> {
        Box::pin(async move { fetch(session, &self.settings).await.map(Fetched::Staged) })
    }

    fn selection(&self) -> Vec<String> {
        let s = &self.settings;
        vec![
            format!(
                "Submissions whose disease title contains one of: {}; and none of: {}.",
                s.disease_keywords.value.join(", "),
                s.disease_exclusions.join(", ")
            ),
            "Every classification is kept; the best one counts.".into(),
        ]
    }

    fn scoring(&self) -> Option<&dyn ScoringSource> {
        Some(self)
    }
}

/// One row of the gene-page table (`templates/sources/gencc.html`).
#[derive(Serialize)]
struct Row {
    submitter: Cell,
    classification: Cell,
    disease: Cell,
    moi: Cell,
    date: Cell,
    record: Cell,
}

impl ScoringSource for GenCC {
    fn scoring_name(&self) -> &str {
        self.name
    }

    fn scoring_title(&self) -> String {
        self.settings.title.clone()
    }

    fn short_label(&self) -> &'static str {
        "GC"
    }

    fn method(&self) -> Method {
        Method::Classification
    }

    fn measure_text(&self) -> &'static str {
        "the best classification among the gene's kidney submissions"
    }

    /// Each submission counts; its classification competes for the gene's best.
    fn contribution(
        &self,
        record_key: &str,
        details: &Value,
    ) -> Result<Contribution, serde_json::Error> {
        let r: Record = super::record(details)?;
        Ok(Contribution {
            key: Some(record_key.to_string()),
            classification: r.classification,
        })
    }

    fn partial(&self) -> (&'static str, &'static str) {
        (
            "sources/gencc.html",
            include_str!("../../templates/sources/gencc.html"),
        )
    }

    fn gene_section(
        &self,
        records: &[StoredRecord],
        cx: &SectionContext<'_>,
    ) -> Result<GeneSection, serde_json::Error> {
        let mut rows = Vec::with_capacity(records.len());
        for details in records {
            let r: Record = details.parse()?;
            let disease = clean(&r.disease_title)
                .or_else(|| clean(&r.disease_original_title))
                .unwrap_or_default();
            let curie = clean(&r.disease_curie)
                .or_else(|| clean(&r.disease_original_curie))
                .unwrap_or_default();
            let mut dis = vec![text(disease)];
            if !curie.is_empty() {
                dis.push(text(" "));
                dis.push(link(curie.clone(), curie_url(&curie)));
            }
            let mut rec: Cell = clean(&r.report_url)
                .and_then(|u| http_url(&u))
                .map(|u| vec![link("report", Some(u))])
                .unwrap_or_default();
            let pmids = super::view::clean_list(&r.pmids);
            for (i, p) in pmids.iter().take(3).enumerate() {
                rec.push(text(if i == 0 && rec.len() == 1 {
                    "; PMID "
                } else if i == 0 {
                    "PMID "
                } else {
                    ", "
                }));
                rec.push(link(p.clone(), pubmed_url(p)));
            }
            if pmids.len() > 3 {
                rec.push(styled(format!(" (+{})", pmids.len() - 3), "muted"));
            }
            let date = date10(clean(&r.date));
            rows.push((
                date.clone(),
                Row {
                    submitter: vec![text(shown(&r.submitter))],
                    classification: classification_cell(cx.weights, clean(&r.classification)),
                    disease: dis,
                    moi: vec![text(shown(&r.moi))],
                    date: vec![styled(date, "nowrap")],
                    record: rec,
                },
            ));
        }
        // Newest first.
        rows.sort_by(|a, b| b.0.cmp(&a.0));
        let rows: Vec<Row> = rows.into_iter().map(|(_, r)| r).collect();
        let (rows, more) = cut(rows, ROWS_SHOWN, &format!("{}.json", cx.stem), "");
        let mut notes = Vec::new();
        if cx.contradicting {
            notes.push(contradicting_note("submission", cx.symbol, cx.title));
        }
        Ok(GeneSection {
            summary: plural(records.len(), "submission", "submissions"),
            notes,
            rows: serde_json::to_value(rows)?,
            more,
        })
    }
}

/// One submission of the export, as GenCC wrote it (empty cells are None).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Submission {
    /// 1-based line where the record starts.
    pub line: u64,
    pub uuid: Option<String>,
    pub gene_curie: Option<String>,
    pub gene_symbol: Option<String>,
    pub disease_curie: Option<String>,
    pub disease_title: Option<String>,
    pub disease_original_curie: Option<String>,
    pub disease_original_title: Option<String>,
    pub submitted_disease_name: Option<String>,
    pub classification_curie: Option<String>,
    pub classification_title: Option<String>,
    pub moi_curie: Option<String>,
    pub moi_title: Option<String>,
    pub submitter_curie: Option<String>,
    pub submitter_title: Option<String>,
    pub date: Option<String>,
    pub run_date: Option<String>,
    pub report_url: Option<String>,
    pub assertion_criteria_url: Option<String>,
    pub pmids: Vec<String>,
}

impl Submission {
    /// The disease names the selection looks at, in order of preference.
    pub fn disease_names(&self) -> impl Iterator<Item = &str> {
        [
            &self.disease_title,
            &self.disease_original_title,
            &self.submitted_disease_name,
        ]
        .into_iter()
        .filter_map(|n| n.as_deref())
    }
}

/// The upstream version of an export: newest `submitted_run_date`, else newest
/// `submitted_as_date` (day).
pub fn upstream_version(subs: &[Submission]) -> Option<String> {
    let newest = |f: fn(&Submission) -> Option<&String>| {
        subs.iter()
            .filter_map(f)
            .filter_map(|d| date_part(d))
            .max()
            .map(str::to_string)
    };
    newest(|s| s.run_date.as_ref()).or_else(|| newest(|s| s.date.as_ref()))
}

/// PMIDs as submitted (`8651296,2349482`, `PMID:1; PMID:2`) -> digit strings.
fn pmids(raw: Option<&str>) -> Vec<String> {
    raw.unwrap_or_default()
        .split(|c: char| c == ',' || c == ';' || c == '|' || c.is_whitespace())
        .map(|t| {
            let t = t.trim();
            t.get(..5)
                .filter(|p| p.eq_ignore_ascii_case("pmid:"))
                .map_or(t, |_| t[5..].trim())
        })
        .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_string)
        .collect()
}

struct Columns {
    names: Vec<String>,
}

impl Columns {
    fn find(&self, n: &str) -> Option<usize> {
        self.names.iter().position(|h| h == n)
    }

    fn require(&self, n: &str, line: u64) -> Result<usize, ParseProblem> {
        self.find(n)
            .ok_or_else(|| ParseProblem::at(line, format!("missing column `{n}` in the header")))
    }
}

fn cell(rec: &csv::StringRecord, i: Option<usize>) -> Option<String> {
    let v = rec.get(i?)?.trim();
    (!v.is_empty()).then(|| v.to_string())
}

/// Parse the submissions export TSV (pure: bytes in, submissions out).
pub fn parse(bytes: &[u8]) -> Result<Vec<Submission>, ParseProblem> {
    let text = text_of(bytes, "the GenCC submissions TSV")?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let csv_problem = |e: csv::Error, fallback: u64| {
        let line = e.position().map(|p| p.line()).unwrap_or(fallback);
        match e.kind() {
            csv::ErrorKind::Utf8 { .. } => ParseProblem::at(line, "not UTF-8 text"),
            _ => ParseProblem::at(line, format!("malformed TSV ({e})")),
        }
    };
    let header = match records.next() {
        Some(r) => r.map_err(|e| csv_problem(e, 1))?,
        None => return Err(ParseProblem::whole("empty file")),
    };
    let cols = Columns {
        names: header
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect(),
    };
    let g = |n: &str| cols.find(n);
    let (gene_curie, gene_symbol) = (
        cols.require("gene_curie", 1)?,
        cols.require("gene_symbol", 1)?,
    );
    let disease_title = cols.require("disease_title", 1)?;
    let classification_title = cols.require("classification_title", 1)?;
    let submitter_title = cols.require("submitter_title", 1)?;
    let uuid = g("uuid").or_else(|| g("sgc_id"));
    let (disease_curie, orig_curie, orig_title) = (
        g("disease_curie"),
        g("disease_original_curie"),
        g("disease_original_title"),
    );
    let (class_curie, moi_curie, moi_title, submitter_curie) = (
        g("classification_curie"),
        g("moi_curie"),
        g("moi_title"),
        g("submitter_curie"),
    );
    let (sub_hgnc, sub_symbol, sub_disease) = (
        g("submitted_as_hgnc_id"),
        g("submitted_as_hgnc_symbol"),
        g("submitted_as_disease_name"),
    );
    let (date, run_date, report, criteria, pmid_col) = (
        g("submitted_as_date"),
        g("submitted_run_date"),
        g("submitted_as_public_report_url"),
        g("submitted_as_assertion_criteria_url"),
        g("submitted_as_pmids"),
    );

    let mut out = Vec::new();
    let mut last_line = 1;
    for result in records {
        let rec = result.map_err(|e| csv_problem(e, last_line))?;
        let line = rec.position().map(|p| p.line()).unwrap_or(last_line);
        last_line = line;
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rec.len() != cols.names.len() {
            return Err(ParseProblem::at(
                line,
                format!(
                    "expected {} tab-separated fields as in the header, found {} (truncated or malformed row)",
                    cols.names.len(),
                    rec.len()
                ),
            ));
        }
        let hgnc = |i: Option<usize>, name: &str| -> Result<Option<String>, ParseProblem> {
            match cell(&rec, i) {
                None => Ok(None),
                Some(raw) => canonical_hgnc_id(&raw)
                    .filter(|_| raw.to_ascii_uppercase().starts_with("HGNC:"))
                    .map(Some)
                    .ok_or_else(|| {
                        ParseProblem::at(
                            line,
                            format!("`{name}` is `{raw}`, expected HGNC:<number>"),
                        )
                    }),
            }
        };
        let gene = hgnc(Some(gene_curie), "gene_curie")?;
        // The submitted id is what the submitter typed: use it only when well-formed.
        let gene = gene.or_else(|| hgnc(sub_hgnc, "submitted_as_hgnc_id").ok().flatten());
        let symbol = cell(&rec, Some(gene_symbol)).or_else(|| cell(&rec, sub_symbol));
        if gene.is_none() && symbol.is_none() {
            return Err(ParseProblem::at(
                line,
                "neither `gene_curie` nor `gene_symbol` given",
            ));
        }
        let sub_date = cell(&rec, date);
        if let Some(d) = &sub_date
            && date_part(d).is_none()
        {
            return Err(ParseProblem::at(
                line,
                format!("`submitted_as_date` is `{d}`, expected YYYY-MM-DD…"),
            ));
        }
        out.push(Submission {
            line,
            uuid: cell(&rec, uuid),
            gene_curie: gene,
            gene_symbol: symbol,
            disease_curie: cell(&rec, disease_curie),
            disease_title: cell(&rec, Some(disease_title)),
            disease_original_curie: cell(&rec, orig_curie),
            disease_original_title: cell(&rec, orig_title),
            submitted_disease_name: cell(&rec, sub_disease),
            classification_curie: cell(&rec, class_curie),
            classification_title: cell(&rec, Some(classification_title)),
            moi_curie: cell(&rec, moi_curie),
            moi_title: cell(&rec, moi_title),
            submitter_curie: cell(&rec, submitter_curie),
            submitter_title: cell(&rec, Some(submitter_title)),
            date: sub_date,
            run_date: cell(&rec, run_date),
            report_url: cell(&rec, report),
            assertion_criteria_url: cell(&rec, criteria),
            pmids: pmids(cell(&rec, pmid_col).as_deref()),
        });
    }
    if out.is_empty() {
        return Err(ParseProblem::whole("no submission rows after the header"));
    }
    Ok(out)
}

/// Stage the kidney submissions.
pub fn stage(subs: &[Submission], filter: &DiseaseFilter) -> Vec<StagedRow> {
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for s in subs {
        let Some(matched) = s.disease_names().find_map(|n| filter.matches(n)) else {
            continue;
        };
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let mut key = s.uuid.clone().unwrap_or_else(|| {
            format!(
                "{}|{}|{}|{}|{}",
                opt(&s.submitter_curie),
                s.gene_curie
                    .clone()
                    .or(s.gene_symbol.clone())
                    .unwrap_or_default(),
                s.disease_original_curie
                    .clone()
                    .or(s.disease_curie.clone())
                    .unwrap_or_default(),
                opt(&s.moi_curie),
                s.classification_curie
                    .clone()
                    .or(s.classification_title.clone())
                    .unwrap_or_default(),
            )
        });
        if !seen.insert(key.clone()) {
            key = format!("{key}#line{}", s.line);
            seen.insert(key.clone());
        }
        let record = Record {
            gene_symbol: s.gene_symbol.clone(),
            hgnc_id: s.gene_curie.clone(),
            submitter: s.submitter_title.clone(),
            submitter_curie: s.submitter_curie.clone(),
            classification: s.classification_title.clone(),
            classification_curie: s.classification_curie.clone(),
            disease_title: s.disease_title.clone(),
            disease_curie: s.disease_curie.clone(),
            disease_original_title: s.disease_original_title.clone(),
            disease_original_curie: s.disease_original_curie.clone(),
            moi: s.moi_title.clone(),
            moi_curie: s.moi_curie.clone(),
            date: s.date.clone(),
            report_url: s.report_url.clone(),
            assertion_criteria_url: s.assertion_criteria_url.clone(),
            pmids: s.pmids.clone(),
            matched: matched.to_string(),
        };
        rows.push(StagedRow {
            record_key: key,
            reported_symbol: s.gene_symbol.clone(),
            reported_hgnc_id: s.gene_curie.clone(),
            reported_ncbi_id: None,
            reported_ensembl_id: None,
            details: super::details(&record),
        });
    }
    rows
}

/// Fetch and stage this source.
pub async fn fetch(session: &mut Session<'_>, settings: &Settings) -> Result<Staged, SourceError> {
    let url = settings.url.value.as_str();
    let file = session.get(url).await?;
    let subs = parse(&file.bytes).map_err(|problem| problem.at_url(session.source, url))?;
    let filter = DiseaseFilter::new(
        &settings.disease_keywords.value,
        &settings.disease_exclusions,
    );
    let rows = stage(&subs, &filter);
    if rows.is_empty() {
        return Err(SourceError::unusable(
            session.source,
            format!(
                "{url}: none of {} submissions matched disease_keywords; previous rows kept",
                subs.len()
            ),
        ));
    }
    let version = upstream_version(&subs);
    if let Some(v) = &version {
        session.set_version(file.download, v.clone());
    }
    Ok(Staged {
        rows: rows.into_iter().map(|r| (file.download, r)).collect(),
        upstream_version: version,
        companions: Vec::new(),
        keep_stored: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const EXPORT: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/reconstructed/gencc/gencc-submissions.tsv.gz"
    );

    fn real() -> Vec<Submission> {
        let bytes = crate::fetch::read_maybe_gzip(std::path::Path::new(EXPORT)).unwrap();
        parse(&bytes).unwrap()
    }

    fn config_filter() -> DiseaseFilter {
        let cfg = crate::config::Config::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/sources.yaml"
        )))
        .unwrap();
        let g: Settings = crate::sources::settings(&cfg, "gencc").unwrap();
        DiseaseFilter::new(&g.disease_keywords.value, &g.disease_exclusions)
    }

    /// The 30 legacy column names, as in the header of the export (PROVENANCE.md).
    const LEGACY_HEADER: &str = "uuid gene_curie gene_symbol disease_curie disease_title disease_original_curie disease_original_title classification_curie classification_title moi_curie moi_title submitter_curie submitter_title submitted_as_hgnc_id submitted_as_hgnc_symbol submitted_as_disease_id submitted_as_disease_name submitted_as_moi_id submitted_as_moi_name submitted_as_submitter_id submitted_as_submitter_name submitted_as_classification_id submitted_as_classification_name submitted_as_date submitted_as_public_report_url submitted_as_notes submitted_as_pmids submitted_as_assertion_criteria_url submitted_as_submission_id submitted_run_date";

    fn quoted(cells: &[&str]) -> String {
        cells
            .iter()
            .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join("\t")
    }

    /// Header plus one real TGMI/G2P submission (NPHS1, from the TGMI sheet), with a note
    /// spanning two lines added to exercise quoted line breaks.
    fn small() -> String {
        let header: Vec<&str> = LEGACY_HEADER.split(' ').collect();
        let row = [
            "GENCC_000112-HGNC_7908-OMIM_256300-HP_0000007-GENCC_100001",
            "HGNC:7908",
            "NPHS1",
            "",
            "",
            "OMIM:256300",
            "NEPHROTIC SYNDROME TYPE 1",
            "GENCC:100001",
            "Definitive",
            "HP:0000007",
            "Autosomal recessive",
            "GENCC:000112",
            "TGMI",
            "HGNC:7908",
            "NPHS1",
            "OMIM:256300",
            "NEPHROTIC SYNDROME TYPE 1",
            "HP:0000007",
            "Autosomal recessive",
            "GENCC:000112",
            "TGMI G2P",
            "GENCC:100001",
            "",
            "2015-07-22 00:00:00",
            "",
            "a note\nover two \"lines\"",
            "17290294,11854170,9660941,10577936,10652016",
            "",
            "",
            "",
        ];
        format!("{}\n{}\n", quoted(&header), quoted(&row))
    }

    #[test]
    fn parses_the_export_served_by_the_mirror() {
        let subs = real();
        // reconstructed/README.md: 5,865 rows (2,345 ClinGen + 3,520 TGMI).
        assert_eq!(subs.len(), 5865);
        assert_eq!(
            subs.iter()
                .filter(|s| s.submitter_title.as_deref() == Some("ClinGen"))
                .count(),
            2345
        );
        assert_eq!(upstream_version(&subs).as_deref(), Some("2023-10-10"));
        let first = &subs[0];
        assert_eq!(
            first.uuid.as_deref(),
            Some("GENCC_000102-HGNC_23336-MONDO_0018997-HP_0000006-GENCC_100005")
        );
        assert_eq!(first.gene_curie.as_deref(), Some("HGNC:23336"));
        assert_eq!(
            first.classification_title.as_deref(),
            Some("Disputed Evidence")
        );
    }

    #[test]
    fn selects_kidney_submissions_with_every_classification() {
        let rows = stage(&real(), &config_filter());
        assert_eq!(rows.len(), 118);
        let submitters: HashSet<_> = rows
            .iter()
            .map(|r| r.details.value()["submitter"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            submitters,
            HashSet::from(["ClinGen".to_string(), "TGMI".to_string()])
        );
        let keys: HashSet<_> = rows.iter().map(|r| &r.record_key).collect();
        assert_eq!(keys.len(), rows.len());

        let pkd1 = rows
            .iter()
            .find(|r| {
                r.record_key == "GENCC_000102-HGNC_9008-MONDO_0004691-HP_0000006-GENCC_100001"
            })
            .expect("ClinGen's ADPKD submission for PKD1");
        assert_eq!(pkd1.reported_hgnc_id.as_deref(), Some("HGNC:9008"));
        assert_eq!(pkd1.reported_symbol.as_deref(), Some("PKD1"));
        assert_eq!(pkd1.details.value()["classification"], "Definitive");
        assert_eq!(pkd1.details.value()["disease_curie"], "MONDO:0004691");
        assert_eq!(pkd1.details.value()["moi"], "Autosomal dominant");
        assert_eq!(pkd1.details.value()["date"], "2021-02-26 15:13:56");

        // A G2P submission with an OMIM id only: no MONDO title, kept by its original title.
        let nphs1 = rows
            .iter()
            .find(|r| r.record_key == "GENCC_000112-HGNC_7908-OMIM_256300-HP_0000007-GENCC_100001")
            .expect("G2P NPHS1");
        assert_eq!(
            nphs1.details.value()["disease_title"],
            serde_json::Value::Null
        );
        assert_eq!(
            nphs1.details.value()["disease_original_title"],
            "NEPHROTIC SYNDROME TYPE 1"
        );
        assert_eq!(nphs1.details.value()["pmids"][0], "17290294");
        assert_eq!(nphs1.details.value()["submitter_curie"], "GENCC:000112");

        // Contradicting evidence is kept.
        assert!(
            rows.iter()
                .any(|r| r.details.value()["classification"] == "Disputed Evidence")
        );
        // Adrenal disorders (NR0B1 congenital adrenal hypoplasia, STAR) are not kidney.
        for sym in ["NR0B1", "STAR", "CFTR"] {
            assert!(
                !rows
                    .iter()
                    .any(|r| r.reported_symbol.as_deref() == Some(sym)),
                "{sym}"
            );
        }
    }

    #[test]
    fn small_export_with_multiline_note() {
        let subs = parse(small().as_bytes()).unwrap();
        assert_eq!(subs.len(), 1);
        let s = &subs[0];
        assert_eq!(s.disease_title, None);
        assert_eq!(s.pmids.len(), 5);
        let rows = stage(&subs, &DiseaseFilter::new(&["nephrotic".into()], &[]));
        assert_eq!(rows[0].details.value()["matched"], "nephrotic");
        assert_eq!(upstream_version(&subs).as_deref(), Some("2015-07-22"));
    }

    #[test]
    fn new_layout_keys_by_sgc_id_and_composite() {
        let text = small().replacen("\"uuid\"", "\"sgc_id\"", 1);
        let subs = parse(text.as_bytes()).unwrap();
        assert!(subs[0].uuid.as_deref().unwrap().starts_with("GENCC_000112"));
        let no_id = small().replacen(
            "\"GENCC_000112-HGNC_7908-OMIM_256300-HP_0000007-GENCC_100001\"",
            "\"\"",
            1,
        );
        let subs = parse(no_id.as_bytes()).unwrap();
        let rows = stage(&subs, &DiseaseFilter::new(&["nephrotic".into()], &[]));
        assert_eq!(
            rows[0].record_key,
            "GENCC:000112|HGNC:7908|OMIM:256300|HP:0000007|GENCC:100001"
        );
    }

    #[test]
    fn pmid_lists() {
        assert_eq!(pmids(Some("PMID:1; PMID: 2,3 x")), ["1", "2", "3"]);
        assert!(pmids(None).is_empty());
    }

    #[test]
    fn rejects_bad_input() {
        let e = parse(small().replacen("\"gene_curie\"", "\"gene\"", 1).as_bytes()).unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("`gene_curie`"), "{e}");

        let e = parse(small().replacen("\"HGNC:7908\"", "\"7908x\"", 1).as_bytes()).unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.message.contains("HGNC:<number>"), "{e}");

        let e = parse(
            small()
                .replace("2015-07-22 00:00:00", "July 2015")
                .as_bytes(),
        )
        .unwrap_err();
        assert!(e.message.contains("submitted_as_date"), "{e}");

        let s = small();
        let cut = &s[..s.len() - 30];
        let e = parse(cut.as_bytes()).unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");

        let header_only: String = small().lines().next().unwrap().to_string() + "\n";
        let e = parse(header_only.as_bytes()).unwrap_err();
        assert!(e.message.contains("no submission rows"), "{e}");
        let e = parse(b"<html><body>Too many requests</body></html>").unwrap_err();
        assert!(e.message.contains("HTML"), "{e}");
        let e = parse(b"  \n").unwrap_err();
        assert!(e.message.contains("empty"), "{e}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = parse(&bytes);
        }

        #[test]
        fn garbage_after_a_real_header_never_panics(tail in "[\"a-zA-Z0-9:,;\t\n\r -]{0,600}") {
            let head = small().lines().next().unwrap().to_string();
            if let Ok(subs) = parse(format!("{head}\n{tail}").as_bytes()) {
                let _ = upstream_version(&subs);
                let _ = stage(&subs, &DiseaseFilter::new(&["a".into()], &["b".into()]));
            }
        }
    }
}
