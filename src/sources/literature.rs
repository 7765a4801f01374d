//! Key publications: gene lists a curator extracted from kidney-genetics papers.
//!
//! Why a source: a gene named in a curated review or cohort study of kidney disease is
//! evidence a clinician recognises; each publication counts once, however many genes it
//! lists. The files are read by [`super::curated`] (shared with the labs' panels); this
//! module owns the publication record, its evidence rule and its gene-page section.
//!
//! Staged, one row per (publication, gene): record key `{list_id}/{reported symbol or HGNC
//! id}`; details: [`Record`].

use futures_util::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::curated::{self, Kind, Settings};
use super::view::{
    Cell, ROWS_SHOWN, clean, cut, date10, http_url, link, plural, pubmed_url, shown, styled, text,
};
use super::{
    Contribution, EvidenceSource, Fetched, GeneSection, Method, ScoringSource, SectionContext,
    SourceError, StoredRecord,
};
use crate::config::{Config, Problem, RawCommon};
use crate::sources::session::Session;

/// One gene of one publication's list: the `details` of a staged row.
///
/// Read leniently (a field missing from an older stored record takes its default), written
/// in full.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Record {
    /// The publication's id (its PMID when the list gives one, else the file name).
    pub list_id: String,
    pub list_name: String,
    /// Always `publication`.
    pub kind: String,
    pub url: Option<String>,
    pub pmid: Option<String>,
    pub title: Option<String>,
    pub journal: Option<String>,
    pub publication_date: Option<String>,
    pub doi: Option<String>,
    /// The approved symbol the list gives, if any.
    pub symbol: Option<String>,
    /// The name as the publication printed it.
    pub reported_as: Option<String>,
    /// Sub-lists of the publication naming the gene.
    #[serde(default)]
    pub panels: Vec<String>,
}

/// The publication lists as configured.
pub struct Literature {
    name: &'static str,
    settings: Settings,
}

/// The registry's constructor: read and validate `sources.<name>`.
pub fn load(name: &'static str, config: &Config) -> Result<Box<dyn EvidenceSource>, Vec<Problem>> {
    super::load_block(
        name,
        config,
        |s: &Settings, c, k| s.check(c, k),
        |settings| Box::new(Literature { name, settings }),
    )
}

/// A parsed row's details, through [`Record`].
fn typed(details: &StoredRecord) -> Result<StoredRecord, serde_json::Error> {
    Ok(super::details(&details.parse::<Record>()?))
}

impl EvidenceSource for Literature {
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
        Box::pin(async move {
            curated::fetch(session, &self.settings, Kind::Publication, typed)
                .await
                .map(Fetched::Staged)
        })
    }

    fn selection(&self) -> Vec<String> {
        vec![format!(
            "{} curated publication gene lists.",
            self.settings.files.value.len()
        )]
    }

    fn scoring(&self) -> Option<&dyn ScoringSource> {
        Some(self)
    }
}

/// One row of the gene-page table (`templates/sources/literature.html`).
#[derive(Serialize)]
struct Row {
    publication: Cell,
    journal: Cell,
    date: Cell,
    pmid: Cell,
    doi: Cell,
    reported_as: Cell,
}

/// A DOI that can go into a doi.org link as it is.
fn doi_url(doi: &str) -> Option<String> {
    (!doi.is_empty()
        && doi.len() < 200
        && doi
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "./_;()-:".contains(c)))
    .then(|| format!("https://doi.org/{doi}"))
}

impl ScoringSource for Literature {
    fn scoring_name(&self) -> &str {
        self.name
    }

    fn scoring_title(&self) -> String {
        self.settings.title.clone()
    }

    fn short_label(&self) -> &'static str {
        "Lit"
    }

    fn method(&self) -> Method {
        Method::Percentile
    }

    fn measure_text(&self) -> &'static str {
        "distinct curated publications listing the gene"
    }

    /// Each publication counts once.
    fn contribution(
        &self,
        _record_key: &str,
        details: &Value,
    ) -> Result<Contribution, serde_json::Error> {
        let r: Record = super::record(details)?;
        Ok(Contribution {
            key: Some(r.list_id),
            classification: None,
        })
    }

    fn partial(&self) -> (&'static str, &'static str) {
        (
            "sources/literature.html",
            include_str!("../../templates/sources/literature.html"),
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
            let pmid = shown(&r.pmid);
            let doi = shown(&r.doi);
            let title = clean(&r.title)
                .or_else(|| clean(&Some(r.list_name.clone())))
                .unwrap_or_default();
            let href = clean(&r.url)
                .and_then(|u| http_url(&u))
                .or_else(|| pubmed_url(&pmid));
            rows.push(Row {
                publication: vec![link(title, href)],
                journal: vec![text(shown(&r.journal))],
                date: vec![styled(date10(clean(&r.publication_date)), "nowrap")],
                pmid: vec![link(pmid.clone(), pubmed_url(&pmid))],
                doi: vec![link(doi.clone(), doi_url(&doi))],
                reported_as: vec![text(shown(&r.reported_as))],
            });
        }
        let (rows, more) = cut(rows, ROWS_SHOWN, &format!("{}.json", cx.stem), "");
        Ok(GeneSection {
            summary: plural(records.len(), "publication", "publications"),
            notes: Vec::new(),
            rows: serde_json::to_value(rows)?,
            more,
        })
    }
}
