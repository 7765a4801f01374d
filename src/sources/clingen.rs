//! ClinGen gene–disease validity: expert-panel curations of how strongly a gene is known to
//! cause a disease (Definitive … Refuted), the strongest curated evidence kgdb has.
//!
//! **Requests**: one file, the bulk CSV `settings.url`
//! (`https://search.clinicalgenome.org/kb/gene-validity/download`), conditional on the last
//! good download (a 304 re-stages from the stored copy).
//!
//! **Format** (checked on the real releases of 2023-10-18 and 2026-06-21): CSV with every
//! field double-quoted (labels contain commas and quotes, so a real CSV parser is used), a
//! preamble of metadata lines (`CLINGEN GENE DISEASE VALIDITY CURATIONS`,
//! `FILE CREATED: 2026-06-21`, `WEBPAGE: …`) and a `+++` rule, then the header, another
//! `+++` rule, then one curation per line. Columns are found by header NAME (`GENE SYMBOL`,
//! `GENE ID (HGNC)`, `DISEASE LABEL`, `DISEASE ID (MONDO)`, `MOI`, `SOP`, `CLASSIFICATION`,
//! `ONLINE REPORT`, `CLASSIFICATION DATE`, `GCEP`), never by position. The `FILE CREATED`
//! date is the upstream version (falling back to the newest classification date).
//!
//! **Selection** (all from `sources.yaml`): a curation is kept when its GCEP is one of
//! `expert_panels`, or when its disease label contains one of `disease_keywords` and none of
//! `disease_exclusions` (case-insensitive substrings). GCEP names are compared
//! case-insensitively without the trailing "Gene Curation Expert Panel", because the 2023
//! file spells them short ("Tubulopathy") and 2026 long ("Tubulopathy Gene Curation Expert
//! Panel"). Every classification is kept (Disputed/Refuted/No Known Disease Relationship are
//! contradicting evidence that scoring weighs). The predecessor's bare `cystic`, `tubul` and
//! `renal` picked up cystic fibrosis, tubulinopathies and adrenal disorders; the exclusions
//! stop that (in the 2026 file: MCM4 "… adrenal insufficiency" is excluded, CFTR "cystic
//! fibrosis" and the tubulinopathies match no keyword).
//!
//! **Staged**, one row per kept curation:
//! * `record_key`: the ClinGen assertion id from the report URL without its trailing
//!   timestamp (`CGGV:assertion_92de3832-…` or `CGGCIEX:assertion_6238`), stable across
//!   re-classifications; without a report URL `HGNC id|MONDO id|MOI|GCEP`.
//! * reported symbol = `GENE SYMBOL`, reported HGNC id = `GENE ID (HGNC)`.
//! * `details`: `gene_symbol`, `hgnc_id`, `disease_label`, `mondo_id`, `moi`, `sop`,
//!   `classification` (as ClinGen spells it: Definitive, Strong, Moderate, Limited, Disputed,
//!   Refuted, No Known Disease Relationship), `classification_date` (as given, ISO 8601),
//!   `expert_panel` (the GCEP), `report_url`, `assertion_id` (the full last URL segment),
//!   `selected_by` (`expert_panel` or `disease_keyword`) and `matched` (the configured panel
//!   or keyword that selected it).

use std::collections::HashSet;

use futures_util::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_saphyr::Spanned;

use super::view::{
    Cell, ROWS_SHOWN, classification_cell, clean, contradicting_note, curie_url, cut, date10,
    http_url, link, plural, shown, styled, text,
};
use super::{
    Contribution, EvidenceSource, Fetched, GeneSection, Method, ParseProblem, ScoringSource,
    SectionContext, SourceError, Staged, StagedRow, StoredRecord, text_of,
};
use crate::config::{Config, Problem, RawCommon};
use crate::sources::hgnc::canonical_hgnc_id;
use crate::sources::select::{DiseaseFilter, date_part};
use crate::sources::session::Session;

crate::source_settings! {
    /// `sources.clingen` in `sources.yaml`.
    pub struct Settings {
        pub url: Spanned<String>,
        /// Curations by these GCEPs are kept whatever their disease label says.
        pub expert_panels: Spanned<Vec<String>>,
        /// Otherwise a curation is kept when its disease label contains one of these…
        pub disease_keywords: Spanned<Vec<String>>,
        /// …and none of these.
        #[serde(default)]
        pub disease_exclusions: Vec<String>,
    }
}

/// One kept curation: the `details` of a staged row (see the module docs).
///
/// Read leniently (a field missing from an older stored record takes its default), written
/// in full.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Record {
    pub gene_symbol: String,
    pub hgnc_id: Option<String>,
    pub disease_label: String,
    pub mondo_id: Option<String>,
    pub moi: Option<String>,
    pub sop: Option<String>,
    /// As ClinGen spells it: Definitive, Strong, Moderate, Limited, Disputed, Refuted, No
    /// Known Disease Relationship.
    pub classification: String,
    /// ISO 8601, as given.
    pub classification_date: Option<String>,
    /// The GCEP.
    pub expert_panel: String,
    pub report_url: Option<String>,
    /// The full last segment of the report URL.
    pub assertion_id: Option<String>,
    /// `expert_panel` or `disease_keyword`.
    pub selected_by: String,
    /// The configured panel or keyword that selected the curation.
    pub matched: String,
}

/// ClinGen gene-disease validity as configured.
pub struct ClinGen {
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
            c.non_empty_list(&s.expert_panels, &format!("{k}.expert_panels"));
            c.non_empty_list(&s.disease_keywords, &format!("{k}.disease_keywords"));
        },
        |settings| Box::new(ClinGen { name, settings }),
    )
}

impl EvidenceSource for ClinGen {
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
                "Curations by the expert panels: {}.",
                s.expert_panels.value.join(", ")
            ),
            format!(
                "Or whose disease label contains one of: {}; and none of: {}.",
                s.disease_keywords.value.join(", "),
                s.disease_exclusions.join(", ")
            ),
            "Every classification is kept; zero-weight ones are contradicting evidence.".into(),
        ]
    }

    fn scoring(&self) -> Option<&dyn ScoringSource> {
        Some(self)
    }
}

/// One row of the gene-page table (`templates/sources/clingen.html`).
#[derive(Serialize)]
struct Row {
    disease: Cell,
    mondo: Cell,
    classification: Cell,
    moi: Cell,
    date: Cell,
    expert_panel: Cell,
    report: Cell,
}

impl ScoringSource for ClinGen {
    fn scoring_name(&self) -> &str {
        self.name
    }

    fn scoring_title(&self) -> String {
        self.settings.title.clone()
    }

    fn short_label(&self) -> &'static str {
        "CG"
    }

    fn method(&self) -> Method {
        Method::Classification
    }

    fn measure_text(&self) -> &'static str {
        "the best classification among the gene's kidney curations"
    }

    /// Each curation counts; its classification competes for the gene's best.
    fn contribution(
        &self,
        record_key: &str,
        details: &Value,
    ) -> Result<Contribution, serde_json::Error> {
        let r: Record = super::record(details)?;
        Ok(Contribution {
            key: Some(record_key.to_string()),
            classification: Some(r.classification),
        })
    }

    fn partial(&self) -> (&'static str, &'static str) {
        (
            "sources/clingen.html",
            include_str!("../../templates/sources/clingen.html"),
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
            let mondo = shown(&r.mondo_id);
            let date = date10(clean(&r.classification_date));
            rows.push((
                date.clone(),
                Row {
                    disease: vec![text(r.disease_label.trim())],
                    mondo: vec![link(mondo.clone(), curie_url(&mondo))],
                    classification: classification_cell(
                        cx.weights,
                        clean(&Some(r.classification.clone())),
                    ),
                    moi: vec![text(shown(&r.moi))],
                    date: vec![styled(date, "nowrap")],
                    expert_panel: vec![text(r.expert_panel.trim())],
                    report: clean(&r.report_url)
                        .and_then(|u| http_url(&u))
                        .map(|u| vec![link("ClinGen report", Some(u))])
                        .unwrap_or_default(),
                },
            ));
        }
        // Newest first.
        rows.sort_by(|a, b| b.0.cmp(&a.0));
        let rows: Vec<Row> = rows.into_iter().map(|(_, r)| r).collect();
        let (rows, more) = cut(rows, ROWS_SHOWN, &format!("{}.json", cx.stem), "");
        let mut notes = Vec::new();
        if cx.contradicting {
            notes.push(contradicting_note("curation", cx.symbol, cx.title));
        }
        Ok(GeneSection {
            summary: plural(records.len(), "curation", "curations"),
            notes,
            rows: serde_json::to_value(rows)?,
            more,
        })
    }
}

/// One curation of the bulk CSV, as ClinGen wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Curation {
    /// 1-based line where the record starts.
    pub line: u64,
    pub gene_symbol: String,
    pub hgnc_id: Option<String>,
    pub disease_label: String,
    pub mondo_id: Option<String>,
    pub moi: Option<String>,
    pub sop: Option<String>,
    pub classification: String,
    pub report_url: Option<String>,
    pub classification_date: Option<String>,
    pub gcep: String,
}

/// A parsed bulk CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClinGenFile {
    /// `FILE CREATED: 2026-06-21` -> `2026-06-21`.
    pub created: Option<String>,
    pub curations: Vec<Curation>,
}

impl ClinGenFile {
    /// The upstream version: `FILE CREATED`, else the newest classification date (day).
    pub fn version(&self) -> Option<String> {
        self.created.clone().or_else(|| {
            self.curations
                .iter()
                .filter_map(|c| c.classification_date.as_deref())
                .filter_map(date_part)
                .max()
                .map(str::to_string)
        })
    }
}

const GENE_SYMBOL: &str = "GENE SYMBOL";
const GENE_ID: &str = "GENE ID (HGNC)";
const DISEASE_LABEL: &str = "DISEASE LABEL";
const DISEASE_ID: &str = "DISEASE ID (MONDO)";
const MOI: &str = "MOI";
const SOP: &str = "SOP";
const CLASSIFICATION: &str = "CLASSIFICATION";
const ONLINE_REPORT: &str = "ONLINE REPORT";
const CLASSIFICATION_DATE: &str = "CLASSIFICATION DATE";
const GCEP: &str = "GCEP";

fn is_rule(rec: &csv::StringRecord) -> bool {
    let mut any = false;
    for f in rec.iter() {
        let f = f.trim();
        if f.is_empty() {
            continue;
        }
        if !f.bytes().all(|b| b == b'+') {
            return false;
        }
        any = true;
    }
    any
}

fn is_blank(rec: &csv::StringRecord) -> bool {
    rec.iter().all(|f| f.trim().is_empty())
}

fn line_of(rec: &csv::StringRecord, fallback: u64) -> u64 {
    rec.position().map(|p| p.line()).unwrap_or(fallback)
}

fn csv_problem(e: &csv::Error, fallback: u64) -> ParseProblem {
    let line = e.position().map(|p| p.line()).unwrap_or(fallback);
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => ParseProblem::at(line, "not UTF-8 text"),
        _ => ParseProblem::at(line, format!("malformed CSV ({e})")),
    }
}

fn cell(rec: &csv::StringRecord, i: Option<usize>) -> Option<String> {
    let v = rec.get(i?)?.trim();
    (!v.is_empty()).then(|| v.to_string())
}

/// Parse the bulk gene-validity CSV (pure: bytes in, curations out).
pub fn parse(bytes: &[u8]) -> Result<ClinGenFile, ParseProblem> {
    let text = text_of(bytes, "the ClinGen gene-validity CSV")?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut created = None;
    let mut header: Option<(Vec<String>, u64)> = None;
    let mut curations = Vec::new();
    let mut cols = None;
    let mut last_line = 1;
    for result in reader.records() {
        let rec = result.map_err(|e| csv_problem(&e, last_line))?;
        let line = line_of(&rec, last_line);
        last_line = line;
        if is_blank(&rec) || is_rule(&rec) {
            continue;
        }
        let Some((names, _)) = &header else {
            // Preamble: metadata lines until the header (the record naming GENE SYMBOL).
            let first = rec.get(0).unwrap_or_default().trim();
            const CREATED: &str = "FILE CREATED:";
            if first
                .get(..CREATED.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(CREATED))
            {
                created = first
                    .get(CREATED.len()..)
                    .and_then(date_part)
                    .map(str::to_string);
            }
            if rec
                .iter()
                .any(|f| f.trim().eq_ignore_ascii_case(GENE_SYMBOL))
            {
                let names: Vec<String> =
                    rec.iter().map(|f| f.trim().to_ascii_uppercase()).collect();
                cols = Some(Columns::of(&names, line)?);
                header = Some((names, line));
            }
            continue;
        };
        let Some(c) = &cols else { continue };
        if rec.len() != names.len() {
            return Err(ParseProblem::at(
                line,
                format!(
                    "expected {} fields as in the header, found {} (truncated or malformed row)",
                    names.len(),
                    rec.len()
                ),
            ));
        }
        curations.push(c.curation(&rec, line)?);
    }
    if header.is_none() {
        return Err(ParseProblem::whole(format!(
            "no header row naming `{GENE_SYMBOL}` (not a ClinGen gene-validity CSV)"
        )));
    }
    if curations.is_empty() {
        return Err(ParseProblem::whole("no curation rows after the header"));
    }
    Ok(ClinGenFile { created, curations })
}

struct Columns {
    symbol: usize,
    hgnc: usize,
    label: usize,
    mondo: usize,
    moi: usize,
    sop: Option<usize>,
    classification: usize,
    report: Option<usize>,
    date: Option<usize>,
    gcep: usize,
}

impl Columns {
    fn of(names: &[String], line: u64) -> Result<Columns, ParseProblem> {
        let find = |n: &str| names.iter().position(|h| h == n);
        let req = |n: &str| {
            find(n).ok_or_else(|| {
                ParseProblem::at(line, format!("missing column `{n}` in the header"))
            })
        };
        Ok(Columns {
            symbol: req(GENE_SYMBOL)?,
            hgnc: req(GENE_ID)?,
            label: req(DISEASE_LABEL)?,
            mondo: req(DISEASE_ID)?,
            moi: req(MOI)?,
            sop: find(SOP),
            classification: req(CLASSIFICATION)?,
            report: find(ONLINE_REPORT),
            date: find(CLASSIFICATION_DATE),
            gcep: req(GCEP)?,
        })
    }

    fn curation(&self, rec: &csv::StringRecord, line: u64) -> Result<Curation, ParseProblem> {
        let gene_symbol = cell(rec, Some(self.symbol))
            .ok_or_else(|| ParseProblem::at(line, format!("empty `{GENE_SYMBOL}`")))?;
        let hgnc_id = match cell(rec, Some(self.hgnc)) {
            None => None,
            Some(raw) => Some(
                canonical_hgnc_id(&raw)
                    .filter(|_| raw.to_ascii_uppercase().starts_with("HGNC:"))
                    .ok_or_else(|| {
                        ParseProblem::at(
                            line,
                            format!("`{GENE_ID}` is `{raw}`, expected HGNC:<number>"),
                        )
                    })?,
            ),
        };
        let mondo_id = cell(rec, Some(self.mondo));
        if let Some(m) = &mondo_id {
            let ok = m
                .split_once(':')
                .is_some_and(|(p, n)| p.eq_ignore_ascii_case("MONDO") && !n.is_empty());
            if !ok {
                return Err(ParseProblem::at(
                    line,
                    format!("`{DISEASE_ID}` is `{m}`, expected MONDO:<number>"),
                ));
            }
        }
        let classification = cell(rec, Some(self.classification))
            .ok_or_else(|| ParseProblem::at(line, format!("empty `{CLASSIFICATION}`")))?;
        let classification_date = cell(rec, self.date);
        if let Some(d) = &classification_date
            && date_part(d).is_none()
        {
            return Err(ParseProblem::at(
                line,
                format!("`{CLASSIFICATION_DATE}` is `{d}`, expected an ISO date"),
            ));
        }
        Ok(Curation {
            line,
            gene_symbol,
            hgnc_id,
            disease_label: cell(rec, Some(self.label)).unwrap_or_default(),
            mondo_id,
            moi: cell(rec, Some(self.moi)),
            sop: cell(rec, self.sop),
            classification,
            report_url: cell(rec, self.report),
            classification_date,
            gcep: cell(rec, Some(self.gcep)).unwrap_or_default(),
        })
    }
}

/// `Tubulopathy Gene Curation Expert Panel` and `Tubulopathy` -> `tubulopathy`.
fn panel_key(name: &str) -> String {
    let lower = name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    lower
        .strip_suffix("gene curation expert panel")
        .map(|s| s.trim_end().to_string())
        .unwrap_or(lower)
}

/// Which curations to keep (from `sources.yaml`).
#[derive(Debug, Clone)]
pub struct Selection {
    panels: Vec<(String, String)>,
    diseases: DiseaseFilter,
}

/// Why a curation was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectedBy {
    ExpertPanel,
    DiseaseKeyword,
}

impl SelectedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            SelectedBy::ExpertPanel => "expert_panel",
            SelectedBy::DiseaseKeyword => "disease_keyword",
        }
    }
}

impl Selection {
    pub fn new(expert_panels: &[String], keywords: &[String], exclusions: &[String]) -> Self {
        Selection {
            panels: expert_panels
                .iter()
                .map(|p| (panel_key(p), p.trim().to_string()))
                .filter(|(k, _)| !k.is_empty())
                .collect(),
            diseases: DiseaseFilter::new(keywords, exclusions),
        }
    }

    pub fn from_settings(s: &Settings) -> Self {
        Self::new(
            &s.expert_panels.value,
            &s.disease_keywords.value,
            &s.disease_exclusions,
        )
    }

    /// Why `c` is kept (and the configured panel or keyword that matched), or None.
    pub fn keeps(&self, c: &Curation) -> Option<(SelectedBy, &str)> {
        let key = panel_key(&c.gcep);
        if let Some((_, p)) = self.panels.iter().find(|(k, _)| *k == key) {
            return Some((SelectedBy::ExpertPanel, p));
        }
        self.diseases
            .matches(&c.disease_label)
            .map(|k| (SelectedBy::DiseaseKeyword, k))
    }
}

/// The last URL segment (`CGGV:assertion_<uuid>-2024-03-14T160000.000Z`).
fn assertion_id(url: &str) -> Option<&str> {
    let seg = url.trim_end_matches('/').rsplit('/').next()?;
    (!seg.is_empty() && !seg.contains("://")).then_some(seg)
}

/// Strip a trailing `-YYYY-MM-DDTHHMMSS.mmmZ` version stamp.
fn without_stamp(id: &str) -> &str {
    const PATTERN: &[u8] = b"-dddd-dd-ddTdddddd.dddZ";
    let b = id.as_bytes();
    if b.len() <= PATTERN.len() {
        return id;
    }
    let tail = &b[b.len() - PATTERN.len()..];
    let matches = tail.iter().zip(PATTERN).all(|(c, p)| match p {
        b'd' => c.is_ascii_digit(),
        _ => c == p,
    });
    if matches {
        &id[..id.len() - PATTERN.len()]
    } else {
        id
    }
}

/// Stage the kept curations of a parsed file.
pub fn stage(file: &ClinGenFile, sel: &Selection) -> Vec<StagedRow> {
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for c in &file.curations {
        let Some((by, matched)) = sel.keeps(c) else {
            continue;
        };
        let assertion = c.report_url.as_deref().and_then(assertion_id);
        let mut key = match assertion {
            Some(a) => without_stamp(a).to_string(),
            None => format!(
                "{}|{}|{}|{}",
                c.hgnc_id.as_deref().unwrap_or(&c.gene_symbol),
                c.mondo_id.as_deref().unwrap_or(&c.disease_label),
                c.moi.as_deref().unwrap_or(""),
                c.gcep
            ),
        };
        if !seen.insert(key.clone()) {
            key = format!("{key}#line{}", c.line);
            seen.insert(key.clone());
        }
        rows.push(StagedRow {
            record_key: key,
            reported_symbol: Some(c.gene_symbol.clone()),
            reported_hgnc_id: c.hgnc_id.clone(),
            reported_ncbi_id: None,
            reported_ensembl_id: None,
            details: super::details(&Record {
                gene_symbol: c.gene_symbol.clone(),
                hgnc_id: c.hgnc_id.clone(),
                disease_label: c.disease_label.clone(),
                mondo_id: c.mondo_id.clone(),
                moi: c.moi.clone(),
                sop: c.sop.clone(),
                classification: c.classification.clone(),
                classification_date: c.classification_date.clone(),
                expert_panel: c.gcep.clone(),
                report_url: c.report_url.clone(),
                assertion_id: assertion.map(str::to_string),
                selected_by: by.as_str().to_string(),
                matched: matched.to_string(),
            }),
        });
    }
    rows
}

/// Fetch and stage this source.
pub async fn fetch(session: &mut Session<'_>, settings: &Settings) -> Result<Staged, SourceError> {
    let url = settings.url.value.as_str();
    let file = session.get(url).await?;
    let parsed = parse(&file.bytes).map_err(|problem| problem.at_url(session.source, url))?;
    let rows = stage(&parsed, &Selection::from_settings(settings));
    if rows.is_empty() {
        return Err(SourceError::unusable(
            session.source,
            format!(
                "{url}: none of {} curations matched expert_panels or disease_keywords \
                 (renamed panels?); previous rows kept",
                parsed.curations.len()
            ),
        ));
    }
    let version = parsed.version();
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

    const REAL_2026: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/raw/clingen/clingen-gene-validity.2026-06-21.csv.gz"
    );
    const REAL_2023: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/raw/clingen/clingen-gene-validity.2023-10-18.csv"
    );

    fn real(path: &str) -> ClinGenFile {
        let bytes = crate::fetch::read_maybe_gzip(std::path::Path::new(path)).unwrap();
        parse(&bytes).unwrap()
    }

    fn config_selection() -> Selection {
        let cfg = crate::config::Config::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/sources.yaml"
        )))
        .unwrap();
        Selection::from_settings(&crate::sources::settings::<Settings>(&cfg, "clingen").unwrap())
    }

    fn find<'a>(rows: &'a [StagedRow], symbol: &str, label: &str) -> &'a StagedRow {
        rows.iter()
            .find(|r| {
                r.reported_symbol.as_deref() == Some(symbol)
                    && r.details.value()["disease_label"] == label
            })
            .unwrap_or_else(|| panic!("{symbol} / {label} not staged"))
    }

    // Preamble, header and rules as in the real file; two real 2026 rows (AARS1, and PKD1
    // whose label carries no comma) plus a hand-made label with a comma and quotes.
    const SMALL: &str = "\"CLINGEN GENE DISEASE VALIDITY CURATIONS\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"\n\
\"FILE CREATED: 2026-06-21\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"\n\
\"WEBPAGE: https://search.clinicalgenome.org/kb/gene-validity\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"\n\
\"+++\",\"+++\",\"+++\",\"+++\",\"+++\",\"+++\",\"+++\",\"+++\",\"+++\",\"+++\"\n\
\"GENE SYMBOL\",\"GENE ID (HGNC)\",\"DISEASE LABEL\",\"DISEASE ID (MONDO)\",\"MOI\",\"SOP\",\"CLASSIFICATION\",\"ONLINE REPORT\",\"CLASSIFICATION DATE\",\"GCEP\"\n\
\"+++\",\"+++\",\"+++\",\"+++\",\"+++\",\"+++\",\"+++\",\"+++\",\"+++\",\"+++\"\n\
\"AARS1\",\"HGNC:20\",\"Charcot-Marie-Tooth disease axonal type 2N\",\"MONDO:0013212\",\"AD\",\"SOP10\",\"Definitive\",\"https://search.clinicalgenome.org/kb/gene-validity/CGGV:assertion_92de3832-c272-4993-8586-288c6331dec2-2024-03-14T160000.000Z\",\"2024-03-14T16:00:00.000Z\",\"Charcot-Marie-Tooth Disease Gene Curation Expert Panel\"\n\
\"X\",\"HGNC:1\",\"renal \"\"thing\"\", with comma\",\"MONDO:1\",\"AD\",\"SOP10\",\"Limited\",\"\",\"2024-01-01T00:00:00.000Z\",\"None\"\n";

    #[test]
    fn parses_the_real_2026_file() {
        let f = real(REAL_2026);
        assert_eq!(f.created.as_deref(), Some("2026-06-21"));
        assert_eq!(f.version().as_deref(), Some("2026-06-21"));
        // PROVENANCE.md: 3,631 curations.
        assert_eq!(f.curations.len(), 3631);
        let first = &f.curations[0];
        assert_eq!(first.gene_symbol, "AARS1");
        assert_eq!(first.hgnc_id.as_deref(), Some("HGNC:20"));
        assert_eq!(
            first.line, 7,
            "data starts on line 7 after 6 preamble lines"
        );
        let definitive = f
            .curations
            .iter()
            .filter(|c| c.classification == "Definitive")
            .count();
        assert_eq!(definitive, 2266);
        // Labels with commas survive as one field.
        assert!(
            f.curations.iter().any(
                |c| c.disease_label == "vertebral, cardiac, renal, and limb defects syndrome 1"
            )
        );
    }

    #[test]
    fn selects_kidney_curations_of_2026() {
        let f = real(REAL_2026);
        let rows = stage(&f, &config_selection());
        let by = |b: &str| {
            rows.iter()
                .filter(|r| r.details.value()["selected_by"] == b)
                .count()
        };
        // 77 + 31 + 24 + 12 + 2 by the five kidney GCEPs; 23 more by disease keyword.
        assert_eq!(by("expert_panel"), 146);
        assert_eq!(by("disease_keyword"), 23);
        assert_eq!(rows.len(), 169);
        let ehhadh = find(&rows, "EHHADH", "Fanconi renotubular syndrome 3");
        assert_eq!(ehhadh.details.value()["matched"], "renotubular");

        // COL4A5 is curated by the Hearing Loss GCEP: kept by `alport`, Definitive.
        let col4a5 = find(&rows, "COL4A5", "Alport syndrome");
        assert_eq!(col4a5.reported_hgnc_id.as_deref(), Some("HGNC:2207"));
        assert_eq!(col4a5.details.value()["classification"], "Definitive");
        assert_eq!(col4a5.details.value()["moi"], "XL");
        assert_eq!(col4a5.details.value()["matched"], "alport");
        assert_eq!(
            col4a5.details.value()["expert_panel"],
            "Hearing Loss Gene Curation Expert Panel"
        );

        let pkd1 = find(
            &rows,
            "PKD1",
            "autosomal dominant polycystic kidney disease",
        );
        assert_eq!(pkd1.reported_hgnc_id.as_deref(), Some("HGNC:9008"));
        assert_eq!(pkd1.details.value()["classification"], "Definitive");
        assert_eq!(pkd1.details.value()["mondo_id"], "MONDO:0004691");
        assert_eq!(pkd1.details.value()["selected_by"], "expert_panel");
        assert_eq!(pkd1.details.value()["sop"], "SOP6");
        assert_eq!(
            pkd1.details.value()["classification_date"],
            "2021-02-26T15:13:56.823Z"
        );
        assert!(
            pkd1.record_key.starts_with("CGGV:assertion_"),
            "{}",
            pkd1.record_key
        );
        assert!(
            pkd1.details.value()["report_url"]
                .as_str()
                .unwrap()
                .ends_with(pkd1.details.value()["assertion_id"].as_str().unwrap())
        );
        find(
            &rows,
            "PKD1",
            "autosomal recessive polycystic kidney disease",
        );

        // Not kidney: adrenal, cystic fibrosis, tubulinopathies, Fanconi anemia
        // "complementation" (all taken by the predecessor's naive substrings).
        for sym in ["MCM4", "CFTR", "TUBA1A", "TUBB3", "FANCA"] {
            assert!(
                !rows
                    .iter()
                    .any(|r| r.reported_symbol.as_deref() == Some(sym)),
                "{sym} must not be selected"
            );
        }
        // Contradicting evidence is staged too.
        assert!(
            rows.iter()
                .any(|r| r.details.value()["classification"] == "Refuted"
                    || r.details.value()["classification"] == "Disputed")
        );
        let keys: HashSet<_> = rows.iter().map(|r| &r.record_key).collect();
        assert_eq!(keys.len(), rows.len(), "record keys are unique");
    }

    #[test]
    fn the_2023_release_parses_and_short_panel_names_match() {
        let f = real(REAL_2023);
        assert_eq!(f.version().as_deref(), Some("2023-10-18"));
        assert_eq!(f.curations.len(), 2345);
        let rows = stage(&f, &config_selection());
        let by_panel = rows
            .iter()
            .filter(|r| r.details.value()["selected_by"] == "expert_panel");
        // 50 + 12 + 6 + 4 + 2 curations by the five kidney GCEPs (short names in 2023).
        assert_eq!(by_panel.count(), 74);
        let tubulo = rows
            .iter()
            .find(|r| r.details.value()["expert_panel"] == "Tubulopathy")
            .unwrap();
        assert_eq!(
            tubulo.details.value()["matched"],
            "Tubulopathy Gene Curation Expert Panel"
        );
        let col4a5 = find(&rows, "COL4A5", "Alport syndrome");
        assert_eq!(col4a5.details.value()["classification"], "Definitive");
        // The same curation keeps its record key between releases (stamp stripped).
        let rows26 = stage(&real(REAL_2026), &config_selection());
        let col26 = find(&rows26, "COL4A5", "Alport syndrome");
        assert_eq!(col4a5.record_key, col26.record_key);
    }

    #[test]
    fn small_file_quotes_and_selection() {
        let f = parse(SMALL.as_bytes()).unwrap();
        assert_eq!(f.curations.len(), 2);
        assert_eq!(f.curations[1].disease_label, "renal \"thing\", with comma");
        assert_eq!(f.curations[1].report_url, None);
        let sel = Selection::new(&[], &["renal".into()], &["adrenal".into()]);
        let rows = stage(&f, &sel);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].record_key, "HGNC:1|MONDO:1|AD|None");
        assert_eq!(rows[0].details.value()["matched"], "renal");
        assert!(
            sel.diseases
                .matches("Adrenal hypoplasia with renal cysts")
                .is_none()
        );
        assert_eq!(sel.diseases.matches("RENAL cysts"), Some("renal"));
    }

    #[test]
    fn stamp_is_stripped_only_when_present() {
        assert_eq!(
            without_stamp(
                "CGGV:assertion_92de3832-c272-4993-8586-288c6331dec2-2024-03-14T160000.000Z"
            ),
            "CGGV:assertion_92de3832-c272-4993-8586-288c6331dec2"
        );
        assert_eq!(
            without_stamp("CGGCIEX:assertion_6238"),
            "CGGCIEX:assertion_6238"
        );
    }

    #[test]
    fn duplicate_keys_are_made_unique() {
        let dup = format!(
            "{SMALL}{}",
            SMALL.lines().nth(7).unwrap().to_string() + "\n"
        );
        let f = parse(dup.as_bytes()).unwrap();
        let rows = stage(&f, &Selection::new(&[], &["renal".into()], &[]));
        assert_eq!(rows.len(), 2);
        assert_ne!(rows[0].record_key, rows[1].record_key);
        assert!(
            rows[1].record_key.ends_with("#line9"),
            "{}",
            rows[1].record_key
        );
    }

    #[test]
    fn rejects_bad_input() {
        let e = parse(SMALL.replace("\"GCEP\"", "\"PANEL\"").as_bytes()).unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        assert!(e.message.contains("`GCEP`"), "{e}");

        let e = parse(SMALL.replace("\"HGNC:20\"", "\"20x\"").as_bytes()).unwrap_err();
        assert_eq!(e.line, Some(7), "{e}");
        assert!(e.message.contains("HGNC:<number>"), "{e}");

        let e = parse(SMALL.replace("\"MONDO:0013212\"", "\"OMIM:1\"").as_bytes()).unwrap_err();
        assert!(e.message.contains("MONDO"), "{e}");

        let e = parse(
            SMALL
                .replace("2024-03-14T16:00:00.000Z", "yesterday")
                .as_bytes(),
        )
        .unwrap_err();
        assert!(e.message.contains("ISO date"), "{e}");

        // A row cut short (truncated download).
        let cut = &SMALL[..SMALL.len() - 60];
        let e = parse(cut.as_bytes()).unwrap_err();
        assert_eq!(e.line, Some(8), "{e}");

        let e = parse(b"<!DOCTYPE html><html>Service unavailable</html>").unwrap_err();
        assert!(e.message.contains("HTML"), "{e}");
        let e = parse(b"").unwrap_err();
        assert!(e.message.contains("empty"), "{e}");
        let e = parse(b"\"a\",\"b\"\n\"1\",\"2\"\n").unwrap_err();
        assert!(e.message.contains("no header"), "{e}");
        let header_only: String = SMALL.lines().take(6).map(|l| format!("{l}\n")).collect();
        let e = parse(header_only.as_bytes()).unwrap_err();
        assert!(e.message.contains("no curation rows"), "{e}");
        let e = parse(b"\"GENE SYMBOL\",\"x\"\n\"\xff\xfe\",\"1\"\n").unwrap_err();
        assert!(e.message.contains("UTF-8"), "{e}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = parse(&bytes);
        }

        #[test]
        fn garbage_after_a_real_header_never_panics(tail in "[\"a-zA-Z0-9:,+\n\r -]{0,600}") {
            let head: String = SMALL.lines().take(6).map(|l| format!("{l}\n")).collect();
            if let Ok(f) = parse(format!("{head}{tail}").as_bytes()) {
                let _ = stage(&f, &Selection::new(&["x".into()], &["a".into()], &["b".into()]));
            }
        }
    }
}
