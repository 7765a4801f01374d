//! Evidence sources: one module per source, each behind [`EvidenceSource`].
//!
//! Why: everything one source *means* (its settings and their validation, its requests, its
//! typed record, how records become evidence, its Methods text and its gene-page partial)
//! lives in its module, so adding a source is one module, one line in
//! [`crate::registry::SOURCES`], one block in `sources.yaml` and one template partial
//! (`docs/adding-a-source.md`). The rest of kgdb sees sources only through this trait.
//!
//! Each module has two halves: *requests* (which URLs to download, through a
//! [`Session`]) and a pure *parse(bytes) -> rows*, so every parser is tested on real bytes
//! without HTTP.

pub mod clingen;
pub mod curated;
pub mod diagnostic_panels;
pub mod error;
pub mod gencc;
pub mod hgnc;
pub mod hpo;
pub mod literature;
pub mod panelapp;
pub mod pubtator;
pub mod select;
pub mod session;
pub mod view;

use std::collections::BTreeMap;

use futures_util::future::LocalBoxFuture;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::config::{Checker, Config, Problem, RawCommon, SourceBlock};
use crate::sources::session::Session;
use crate::store::{Store, StoreError};
pub use error::{ParseError, ParseProblem, SourceError};

pub use crate::score::Method;

/// What one stored record (a staged row's `details`) contributes to its gene's evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contribution {
    /// Records with the same key count once toward the measure; `None`: shown, not counted
    /// (a Red PanelApp rating).
    pub key: Option<String>,
    /// The record's classification (classification sources only).
    pub classification: Option<String>,
}

/// A gene's measure and classifications in one scoring source, from all its records.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub measure: f64,
    pub classifications: Vec<String>,
}

/// A stored record that does not read as its source's record type.
#[derive(Debug, thiserror::Error)]
#[error("stored record {record_key}: {error}")]
pub struct RecordError {
    pub record_key: String,
    #[source]
    pub error: serde_json::Error,
}

/// The default tally: distinct contribution keys, every classification. `records` carry
/// their `record_key`.
pub fn tally_by_keys(
    scoring: &(impl ScoringSource + ?Sized),
    records: &[Value],
) -> Result<Tally, RecordError> {
    let mut keys = std::collections::BTreeSet::new();
    let mut classifications = Vec::new();
    for d in records {
        let c = contribution_of(scoring, d)?;
        keys.extend(c.key);
        classifications.extend(c.classification);
    }
    Ok(Tally {
        measure: keys.len() as f64,
        classifications,
    })
}

/// One record's contribution, its error naming the record.
pub fn contribution_of(
    scoring: &(impl ScoringSource + ?Sized),
    details: &Value,
) -> Result<Contribution, RecordError> {
    let record_key = details["record_key"].as_str().unwrap_or_default();
    scoring
        .contribution(record_key, details)
        .map_err(|error| RecordError {
            record_key: record_key.to_string(),
            error,
        })
}

/// What a fetch produced.
#[derive(Debug)]
pub enum Fetched {
    /// Rows for the caller to store (with the source's companions).
    Staged(Staged),
    /// The source stored its data itself (the HGNC reference set) and says how it went.
    Stored {
        /// `true` when every file answered 304 and nothing was stored.
        unchanged: bool,
        rows: u64,
        upstream_version: Option<String>,
    },
}

/// Everything a gene-page partial needs besides the records.
#[derive(Debug, Clone, Copy)]
pub struct SectionContext<'a> {
    /// The gene's approved symbol.
    pub symbol: &'a str,
    /// `HGNC_9008`: the gene's JSON file is `{stem}.json` beside its page.
    pub stem: &'a str,
    /// The scoring source's title (e.g. `PanelApp (UK and Australia)`).
    pub title: &'a str,
    /// Every record of this source has a zero-weight classification.
    pub contradicting: bool,
    /// Classification (lower case) -> weight, from `scoring.classification_weights`.
    pub weights: &'a BTreeMap<String, f64>,
    /// The upstream version of this source's current data, when known.
    pub upstream_version: Option<&'a str>,
}

/// A source's section of a gene page: the data its partial (`templates/sources/<name>.html`)
/// lays out. `rows` is the source's own row type, serialized.
#[derive(Debug, Clone, Serialize)]
pub struct GeneSection {
    /// After the heading, e.g. `3 panels`.
    pub summary: String,
    pub notes: Vec<String>,
    pub rows: Value,
    /// "Showing 25 of 130; every record is in HGNC_9008.json." when rows were cut.
    pub more: Option<String>,
}

/// One evidence source (an instance: PanelApp UK and PanelApp Australia are two instances of
/// one module). Object-safe, so the registry is a plain list; each implementation holds its
/// validated settings.
pub trait EvidenceSource: Send + Sync {
    /// The key of its block in `sources.yaml` (and its name in the store and on the site).
    fn name(&self) -> &str;
    /// Title, homepage, licence, citation, maximum age.
    fn common(&self) -> RawCommon<'_>;
    /// Download (or read) the source's files and stage its rows.
    fn fetch<'a>(
        &'a self,
        session: &'a mut Session<'_>,
    ) -> LocalBoxFuture<'a, Result<Fetched, SourceError>>;
    /// Rows stored for this source (the reference set keeps its own table).
    fn stored_rows(&self, store: &Store) -> Result<i64, StoreError> {
        store.staged_count(self.name())
    }
    /// Lines for Methods: which upstream records are selected, from the settings in force.
    fn selection(&self) -> Vec<String> {
        Vec::new()
    }
    /// A notice the source's licence asks every page to show, for the upstream version in
    /// use (without a final full stop).
    fn notice(&self, _version: &str) -> Option<String> {
        None
    }
    /// How this source counts toward scores; `None` for a reference that is not evidence.
    fn scoring(&self) -> Option<&dyn ScoringSource> {
        None
    }
}

/// The evidence rule and presentation of a scoring source (several instances may feed one:
/// both PanelApp instances feed `panelapp`).
pub trait ScoringSource: Send + Sync {
    /// The name scoring, the site and the downloads use.
    fn scoring_name(&self) -> &str;
    /// Shown in the breakdown and as the section heading.
    fn scoring_title(&self) -> String;
    /// A short column label for the gene table (`PA`, `GC`).
    fn short_label(&self) -> &'static str;
    fn method(&self) -> Method;
    /// What the measure counts, for Methods ("distinct panels rating the gene Green or Amber").
    fn measure_text(&self) -> &'static str;
    /// How one stored record (JSON of the source's record type) counts.
    fn contribution(
        &self,
        record_key: &str,
        details: &Value,
    ) -> Result<Contribution, serde_json::Error>;
    /// The gene's measure and classifications from all its records here (each with
    /// `record_key`). Default: the distinct keys of [`ScoringSource::contribution`]; a source
    /// whose rule needs the gene's other records (PanelApp's super panels) overrides it.
    fn tally(&self, records: &[Value]) -> Result<Tally, RecordError> {
        tally_by_keys(self, records)
    }
    /// The gene-page partial: (template name, template source), embedded in the binary.
    fn partial(&self) -> (&'static str, &'static str);
    /// The gene-page section from the gene's stored records (each with `record_key` and
    /// `staged_source`).
    fn gene_section(
        &self,
        records: &[StoredRecord],
        cx: &SectionContext<'_>,
    ) -> Result<GeneSection, serde_json::Error>;
}

/// Builds a source from its `sources.yaml` block, or says everything wrong with the block.
pub type Load =
    fn(name: &'static str, config: &Config) -> Result<Box<dyn EvidenceSource>, Vec<Problem>>;

/// A registry entry: how to build a source from its `sources.yaml` block.
pub struct Entry {
    /// The `sources.yaml` key.
    pub name: &'static str,
    pub load: Load,
}

/// Read a source's settings block (`sources.<name>`), or the problem that it is missing.
pub fn settings<T: DeserializeOwned>(config: &Config, name: &str) -> Result<T, Vec<Problem>> {
    match config.block::<T>(&["sources", name]) {
        Ok(Some(t)) => Ok(t),
        Ok(None) => Err(vec![Problem {
            line: None,
            key: format!("sources.{name}"),
            message: "missing: every registered source needs its block".into(),
        }]),
        Err(p) => Err(vec![p]),
    }
}

/// A source's `load` (the registry's constructor): read its block (`sources.NAME`), run the
/// checks every source gets ([`Checker::common`]) and the module's own (`check`, given the
/// block's key: its URLs, lists, ranges), report every problem at once, and `build` the source
/// from the settings.
pub fn load_block<S: DeserializeOwned + SourceBlock>(
    name: &'static str,
    config: &Config,
    check: impl FnOnce(&S, &mut Checker, &str),
    build: impl FnOnce(S) -> Box<dyn EvidenceSource>,
) -> Result<Box<dyn EvidenceSource>, Vec<Problem>> {
    let settings: S = settings(config, name)?;
    let key = format!("sources.{name}");
    let mut c = Checker::new();
    c.common(settings.common(), &key);
    check(&settings, &mut c, &key);
    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    Ok(build(settings))
}

/// Deserialize a stored record of a source's own type.
pub fn record<T: DeserializeOwned>(details: &Value) -> Result<T, serde_json::Error> {
    T::deserialize(details)
}

/// Serialize a record as the `details` of a staged row (keys in sorted order, as every
/// stored record has them).
pub fn details<T: Serialize>(record: &T) -> StoredRecord {
    // A derived Serialize of plain fields cannot fail.
    StoredRecord::from_value(&serde_json::to_value(record).unwrap_or(Value::Null))
}

pub use crate::store::{StagedRow, StoredRecord};

/// Staged rows paired with the index of their download.
pub type StagedRows = Vec<(usize, StagedRow)>;

/// What a source's fetch produced: rows paired with the index of the download (in
/// [`crate::sources::session::Session::records`]) they came from, and the upstream version.
#[derive(Debug, Default)]
pub struct Staged {
    pub rows: Vec<(usize, StagedRow)>,
    pub upstream_version: Option<String>,
    /// Rows of other sources built from the same files, stored in the same transaction
    /// with the same version (the `hpo` source stages the `hpo_phenotypes` annotation).
    /// A companion that could not be built carries its error (the source itself is fine).
    pub companions: Vec<(&'static str, Result<StagedRows, SourceError>)>,
    /// Nothing changed since the source's last good run ([`Session::same_as_last_good`]):
    /// its stored rows and its companions' stand as they are (no rows are staged).
    ///
    /// [`Session::same_as_last_good`]: crate::sources::session::Session::same_as_last_good
    pub keep_stored: bool,
}

/// Decode bytes as UTF-8 text, refusing empty bodies and HTML error pages.
pub fn text_of<'a>(bytes: &'a [u8], expected: &str) -> Result<&'a str, ParseProblem> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64
            + 1;
        ParseProblem::at(line, format!("not UTF-8 text ({e})"))
    })?;
    let start = text.trim_start_matches('\u{feff}').trim_start();
    if start.is_empty() {
        return Err(ParseProblem::whole(format!(
            "empty file (expected {expected})"
        )));
    }
    if start.starts_with('<') {
        let first: String = start.chars().take(60).collect();
        return Err(ParseProblem::at(
            1,
            format!("HTML or XML instead of {expected}: `{first}`"),
        ));
    }
    Ok(text.trim_start_matches('\u{feff}'))
}
