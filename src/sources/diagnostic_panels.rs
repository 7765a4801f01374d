//! Diagnostic panels: the kidney gene panels of commercial and academic testing labs.
//!
//! Why a source: a gene a lab tests for kidney disease is one clinicians already order;
//! each lab counts once, however many of its sub-panels name the gene. The files are read
//! by [`super::curated`] (shared with the publications); this module owns the lab record,
//! its evidence rule and its gene-page section.
//!
//! Staged, one row per (lab, gene): record key `{list_id}/{reported symbol or HGNC id}`;
//! details: [`Record`].

use futures_util::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::curated::{self, Kind, Settings};
use super::view::{
    Cell, ROWS_SHOWN, clean, clean_list, cut, date10, http_url, join, link, plural, shown, styled,
    text,
};
use super::{
    Contribution, EvidenceSource, Fetched, GeneSection, Method, ScoringSource, SectionContext,
    SourceError, StoredRecord,
};
use crate::config::{Config, Problem, RawCommon};
use crate::sources::session::Session;

/// One gene of one lab's panels: the `details` of a staged row.
///
/// Read leniently (a field missing from an older stored record takes its default), written
/// in full.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Record {
    /// The lab's id (`provider_id`, else the file name).
    pub list_id: String,
    pub list_name: String,
    /// Always `lab`.
    pub kind: String,
    pub url: Option<String>,
    /// The lab's name.
    pub lab: Option<String>,
    /// When the lab's pages were read.
    pub scraped_at: Option<String>,
    /// The approved symbol the list gives, if any.
    pub symbol: Option<String>,
    /// The name as the lab printed it.
    pub reported_as: Option<String>,
    /// The lab's panels naming the gene.
    #[serde(default)]
    pub panels: Vec<String>,
}

/// The labs' panel lists as configured.
pub struct DiagnosticPanels {
    name: &'static str,
    settings: Settings,
}

/// The registry's constructor: read and validate `sources.<name>`.
pub fn load(name: &'static str, config: &Config) -> Result<Box<dyn EvidenceSource>, Vec<Problem>> {
    super::load_block(
        name,
        config,
        |s: &Settings, c, k| s.check(c, k),
        |settings| Box::new(DiagnosticPanels { name, settings }),
    )
}

/// A parsed row's details, through [`Record`].
fn typed(details: &StoredRecord) -> Result<StoredRecord, serde_json::Error> {
    Ok(super::details(&details.parse::<Record>()?))
}

impl EvidenceSource for DiagnosticPanels {
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
            curated::fetch(session, &self.settings, Kind::Lab, typed)
                .await
                .map(Fetched::Staged)
        })
    }

    fn selection(&self) -> Vec<String> {
        vec![format!(
            "{} diagnostic laboratories' kidney panels.",
            self.settings.files.value.len()
        )]
    }

    fn scoring(&self) -> Option<&dyn ScoringSource> {
        Some(self)
    }
}

/// One row of the gene-page table (`templates/sources/diagnostic_panels.html`).
#[derive(Serialize)]
struct Row {
    lab: Cell,
    panels: Cell,
    retrieved: Cell,
    reported_as: Cell,
}

impl ScoringSource for DiagnosticPanels {
    fn scoring_name(&self) -> &str {
        self.name
    }

    fn scoring_title(&self) -> String {
        self.settings.title.clone()
    }

    fn short_label(&self) -> &'static str {
        "Lab"
    }

    fn method(&self) -> Method {
        Method::Percentile
    }

    fn measure_text(&self) -> &'static str {
        "distinct diagnostic labs (providers, not sub-panels) listing the gene"
    }

    /// Each lab counts once.
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
            "sources/diagnostic_panels.html",
            include_str!("../../templates/sources/diagnostic_panels.html"),
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
            let lab = clean(&r.lab)
                .or_else(|| clean(&Some(r.list_name.clone())))
                .or_else(|| clean(&Some(r.list_id.clone())))
                .unwrap_or_default();
            rows.push(Row {
                lab: vec![link(lab, clean(&r.url).and_then(|u| http_url(&u)))],
                panels: join(clean_list(&r.panels).into_iter().map(text).collect(), "; "),
                retrieved: vec![styled(date10(clean(&r.scraped_at)), "nowrap")],
                reported_as: vec![text(shown(&r.reported_as))],
            });
        }
        let (rows, more) = cut(rows, ROWS_SHOWN, &format!("{}.json", cx.stem), "");
        Ok(GeneSection {
            summary: plural(records.len(), "lab", "labs"),
            notes: Vec::new(),
            rows: serde_json::to_value(rows)?,
            more,
        })
    }
}
