//! PanelApp (Genomics England, UK) and PanelApp Australia: expert-reviewed diagnostic gene
//! panels. A gene rated on a kidney panel is direct clinical evidence that testing laboratories
//! look at it for kidney disease, so both instances are evidence sources (same code, two
//! configs: `sources.panelapp_uk`, `sources.panelapp_au`).
//!
//! Requests (all URLs from the settings' `api_url`):
//! 1. the whole panel list `{api_url}/panels/`, following `next` until it is null (`next`
//!    holds real upstream URLs; the session rewrites them for `--mirror`), at most
//!    `max_pages` pages and only on the list's own host, never from https to http;
//! 2. each selected panel `{api_url}/panels/{id}/`, unless the last good download of it is
//!    the version the list gives (PanelApp bumps a panel's version on every edit): an
//!    unchanged night asks for the list pages only.
//!
//! Selection (all from `sources.yaml`): a listed panel is selected when its name contains one
//! of `panel_name_patterns` and none of `panel_name_exclusions` (case-insensitive substrings;
//! `adrenal` keeps `renal` from matching adrenal panels). Ids in `include_panels` are always
//! fetched (even when not listed or excluded by name); ids in `exclude_panels` never are
//! (they win over everything).
//!
//! Staged: one row per gene per panel (`entity_type` `gene`; STRs and regions are not genes),
//! **every** rating, Red included (the site shows them; `counted_ratings` says which count).
//! A panel that lists a gene more than once (super panels list it once per child panel) gets
//! one row with the best rating and the union of phenotypes, publications, evidence and tags.
//!
//! - `record_key`: `{region}/{panel_id}/{hgnc_id}` (`{region}/{panel_id}/{symbol}` when the
//!   entry has no HGNC id), e.g. `UK/283/HGNC:9008`.
//! - reported identifiers: `gene_data.hgnc_id`, `gene_data.gene_symbol` (else `entity_name`),
//!   an Ensembl gene id from `gene_data.ensembl_genes` (GRch38 preferred, newest release).
//! - `details` keys: `region`, `panel_id`, `panel_name`, `panel_version`,
//!   `panel_version_created`, `panel_url` (the panel's page), `url` (the gene's page on the
//!   panel, e.g. `https://panelapp-aus.org/panels/194/gene/PKD1/`), `selected_by`
//!   (`name contains "renal"` or `include_panels`), `rating` (`green`/`amber`/`red`),
//!   `confidence_level` (as PanelApp gave it), `counted` (rating is in `counted_ratings`),
//!   `gene_symbol`, `mode_of_inheritance` (string or null), `phenotypes`, `publications`,
//!   `evidence`, `tags`, `omim_gene` (lists of strings), `penetrance`,
//!   `mode_of_pathogenicity` (string or null), `entries` (how many entries were merged, 1
//!   normally), `super_panel` (true for a super panel; absent otherwise).
//!
//! Super panels (SCORING.md, "Super panels count once"): a panel whose `types` carry the slug
//! `superpanel`, or, when it has no types (the mirror's reconstructed panels), whose name
//! contains one of `super_panel_patterns`, is the union of component panels. Its entries are
//! staged and shown (marked "super panel"), but count only when no other panel counts the
//! gene, and then once ([`ScoringSource::tally`]), so one expert review is not counted twice.
//!
//! Versions: each panel download records the panel's own version (e.g. `5.3`); the source's
//! upstream version is a summary: `14 panels, newest 2024-05-03` (newest `version_created`).

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use futures_util::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};
#[cfg(test)]
use serde_json::json;
use serde_json::{Map, Value};
use serde_saphyr::Spanned;

use super::hgnc::canonical_hgnc_id;
use super::view::{
    Cell, ROWS_SHOWN, clean, clean_list, cut, date10, http_url, join, link, plural, shown, styled,
    text, thousands,
};
use super::{
    Contribution, EvidenceSource, Fetched, GeneSection, Method, ParseProblem, RecordError,
    ScoringSource, SectionContext, SourceError, Staged, StagedRow, StoredRecord, Tally, text_of,
};
use crate::config::{Config, Problem, RawCommon};
use crate::report::Event;
use crate::sources::session::Session;

/// The scoring source both instances feed: one expert review is one kind of evidence,
/// whichever region published it.
const SCORING_NAME: &str = "panelapp";

/// The PanelApp `types` slug of a super panel.
pub const SUPER_PANEL_TYPE: &str = "superpanel";

/// Phenotypes shown per entry on a gene page.
pub const PHENOTYPES_SHOWN: usize = 3;

crate::source_settings! {
    /// `sources.panelapp_uk` / `sources.panelapp_au` in `sources.yaml`.
    pub struct Settings {
        /// API root, e.g. `https://panelapp.genomicsengland.co.uk/api/v1`.
        pub api_url: Spanned<String>,
        /// Region label stored with every panel (`UK`, `Australia`).
        pub region: Spanned<String>,
        /// Case-insensitive substrings of the panel name that select a panel.
        pub panel_name_patterns: Spanned<Vec<String>>,
        /// Substrings that reject a panel even if a pattern matched (e.g. `adrenal`).
        #[serde(default)]
        pub panel_name_exclusions: Vec<String>,
        #[serde(default)]
        pub include_panels: Vec<u64>,
        #[serde(default)]
        pub exclude_panels: Vec<u64>,
        /// Ratings that count as evidence (`green`, `amber`); others are staged and shown only.
        pub counted_ratings: Spanned<Vec<String>>,
        /// Case-insensitive substrings of the name that mark a panel without PanelApp
        /// `types` as a super panel (a panel whose types carry `superpanel` is one anyway).
        #[serde(default)]
        pub super_panel_patterns: Vec<String>,
        /// Most panel-list pages followed through `next` (a bound on a looping or endless
        /// list; the real lists have a handful).
        #[serde(default = "default_max_pages")]
        pub max_pages: Spanned<u64>,
    }
}

fn default_max_pages() -> Spanned<u64> {
    Spanned::new(
        50,
        serde_saphyr::Location::UNKNOWN,
        serde_saphyr::Location::UNKNOWN,
    )
}

/// One gene on one panel: the `details` of a staged row (see the module docs).
///
/// Read leniently (a field missing from an older stored record takes its default), written
/// in full.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Record {
    /// `UK`, `Australia`.
    pub region: String,
    pub panel_id: u64,
    pub panel_name: String,
    pub panel_version: Option<String>,
    pub panel_version_created: Option<String>,
    /// The panel's page.
    pub panel_url: Option<String>,
    /// The gene's page on the panel.
    pub url: Option<String>,
    /// `name contains "renal"` or `include_panels`.
    pub selected_by: Option<String>,
    /// `green`, `amber`, `red`.
    pub rating: String,
    pub confidence_level: Option<String>,
    /// The rating is one of `counted_ratings`.
    pub counted: bool,
    pub gene_symbol: Option<String>,
    pub mode_of_inheritance: Option<String>,
    #[serde(default)]
    pub phenotypes: Vec<String>,
    #[serde(default)]
    pub publications: Vec<String>,
    #[serde(default)]
    pub evidence: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub omim_gene: Vec<String>,
    pub penetrance: Option<String>,
    pub mode_of_pathogenicity: Option<String>,
    /// How many entries of the panel were merged into this row (1 normally).
    pub entries: u64,
    /// The panel is a super panel (the union of component panels): shown, and counted only
    /// when no other panel counts (SCORING.md). Written only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub super_panel: bool,
}

/// One PanelApp instance as configured.
pub struct PanelApp {
    name: &'static str,
    settings: Settings,
}

/// The registry's constructor: read and validate `sources.<name>`.
pub fn load(name: &'static str, config: &Config) -> Result<Box<dyn EvidenceSource>, Vec<Problem>> {
    super::load_block(
        name,
        config,
        |p: &Settings, c, k| {
            c.url(&p.api_url, &format!("{k}.api_url"));
            c.non_empty_list(&p.panel_name_patterns, &format!("{k}.panel_name_patterns"));
            c.positive_u64(&p.max_pages, &format!("{k}.max_pages"));
            if p.region.value.trim().is_empty() {
                c.push(
                    &p.region,
                    format!("{k}.region"),
                    "must name the region (e.g. UK)",
                );
            }
            if p.super_panel_patterns.iter().any(|x| x.trim().is_empty()) {
                c.problem(
                    format!("{k}.super_panel_patterns"),
                    "contains an empty entry (it would make every panel without types a super panel)",
                );
            }
            if p.panel_name_exclusions.iter().any(|x| x.trim().is_empty()) {
                c.problem(
                    format!("{k}.panel_name_exclusions"),
                    "contains an empty entry (it would exclude every panel)",
                );
            }
            let both: Vec<String> = p
                .include_panels
                .iter()
                .filter(|id| p.exclude_panels.contains(id))
                .map(u64::to_string)
                .collect();
            if !both.is_empty() {
                c.problem(
                    format!("{k}.include_panels"),
                    format!("panel {} also listed in exclude_panels", both.join(", ")),
                );
            }
            for r in &p.counted_ratings.value {
                if !matches!(r.as_str(), "green" | "amber" | "red") {
                    c.push(
                        &p.counted_ratings,
                        format!("{k}.counted_ratings"),
                        format!("unknown rating `{r}` (expected green, amber or red)"),
                    );
                }
            }
        },
        |settings| Box::new(PanelApp { name, settings }),
    )
}

impl EvidenceSource for PanelApp {
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
        let p = &self.settings;
        let list = |v: &[String]| v.join(", ");
        let mut lines = vec![format!(
            "Every panel of {} whose name contains one of: {}.",
            p.api_url.value,
            list(&p.panel_name_patterns.value)
        )];
        if !p.panel_name_exclusions.is_empty() {
            lines.push(format!(
                "Never a panel whose name contains: {}.",
                list(&p.panel_name_exclusions)
            ));
        }
        if !p.include_panels.is_empty() {
            lines.push(format!("Always panels {:?}.", p.include_panels));
        }
        if !p.exclude_panels.is_empty() {
            lines.push(format!("Never panels {:?}.", p.exclude_panels));
        }
        lines.push(format!(
            "Counted ratings: {} (other ratings are shown, not counted).",
            list(&p.counted_ratings.value)
        ));
        let by_name = if p.super_panel_patterns.is_empty() {
            String::new()
        } else {
            format!(
                ", or without types and a name containing one of: {}",
                list(&p.super_panel_patterns)
            )
        };
        lines.push(format!(
            "Super panels (PanelApp type `{SUPER_PANEL_TYPE}`{by_name}) are shown but not counted: \
             they are the union of component panels that count themselves. A gene rated only on \
             super panels (its component not selected) counts one panel."
        ));
        lines
    }

    fn scoring(&self) -> Option<&dyn ScoringSource> {
        Some(self)
    }
}

/// One row of the gene-page table (`templates/sources/panelapp.html`).
#[derive(Serialize)]
struct Row {
    panel: Cell,
    region: Cell,
    rating: Cell,
    version: Cell,
    moi: Cell,
    phenotypes: Cell,
}

impl ScoringSource for PanelApp {
    fn scoring_name(&self) -> &str {
        SCORING_NAME
    }

    fn scoring_title(&self) -> String {
        "PanelApp (UK and Australia)".to_string()
    }

    fn short_label(&self) -> &'static str {
        "PA"
    }

    fn method(&self) -> Method {
        Method::Percentile
    }

    fn measure_text(&self) -> &'static str {
        "distinct panels (region + panel) rating the gene Green or Amber, super panels not counted (1 when only super panels rate it Green or Amber); Red ratings are shown but do not count"
    }

    /// A panel counts once per region, and only with a counted rating; a super panel not at
    /// all here ([`ScoringSource::tally`] counts it when nothing else does).
    fn contribution(
        &self,
        _record_key: &str,
        details: &Value,
    ) -> Result<Contribution, serde_json::Error> {
        let r: Record = super::record(details)?;
        Ok(Contribution {
            key: (r.counted && !r.super_panel).then(|| format!("{}/{}", r.region, r.panel_id)),
            classification: None,
        })
    }

    /// Super panels count once, through their components (SCORING.md): the distinct
    /// non-super panels with a counted rating; 1 if there are none but a super panel rates
    /// the gene with a counted rating (its component is not among the selected panels).
    fn tally(&self, records: &[Value]) -> Result<Tally, RecordError> {
        let mut tally = super::tally_by_keys(self, records)?;
        if tally.measure == 0.0 {
            for d in records {
                let r: Record = super::record(d).map_err(|error| RecordError {
                    record_key: d["record_key"].as_str().unwrap_or_default().to_string(),
                    error,
                })?;
                if r.counted && r.super_panel {
                    tally.measure = 1.0;
                    break;
                }
            }
        }
        Ok(tally)
    }

    fn partial(&self) -> (&'static str, &'static str) {
        (
            "sources/panelapp.html",
            include_str!("../../templates/sources/panelapp.html"),
        )
    }

    fn gene_section(
        &self,
        records: &[StoredRecord],
        cx: &SectionContext<'_>,
    ) -> Result<GeneSection, serde_json::Error> {
        let mut recs = records
            .iter()
            .map(StoredRecord::parse::<Record>)
            .collect::<Result<Vec<_>, _>>()?;
        let rank = |r: &Record| match r.rating.trim().to_lowercase().as_str() {
            "green" => 0,
            "amber" => 1,
            "red" => 2,
            _ => 3,
        };
        recs.sort_by_key(|r| {
            (
                rank(r),
                clean(&Some(r.region.clone())),
                clean(&Some(r.panel_name.clone())),
            )
        });
        let counted = recs.iter().filter(|r| r.counted).count();
        let supers = recs.iter().filter(|r| r.super_panel).count();
        let rows: Vec<Row> = recs
            .iter()
            .map(|r| {
                let (cls, label) = match r.rating.trim().to_lowercase().as_str() {
                    "green" => ("rating-green", "● Green"),
                    "amber" => ("rating-amber", "◐ Amber"),
                    "red" => ("rating-red", "○ Red"),
                    _ => ("muted", "unrated"),
                };
                let mut rating = vec![styled(label, cls)];
                if !r.counted {
                    rating.push(styled(" (not counted)", "muted"));
                }
                let name = clean(&Some(r.panel_name.clone())).unwrap_or_else(|| "panel".into());
                let mut version = vec![styled(
                    clean(&r.panel_version)
                        .map(|v| format!("v{v}"))
                        .unwrap_or_default(),
                    "nowrap",
                )];
                let created = date10(clean(&r.panel_version_created));
                if !created.is_empty() {
                    version.push(text(" "));
                    version.push(styled(created, "muted nowrap"));
                }
                let phen = clean_list(&r.phenotypes);
                let mut phenotypes = join(
                    phen.iter()
                        .take(PHENOTYPES_SHOWN)
                        .map(|p| text(p.clone()))
                        .collect(),
                    "; ",
                );
                if phen.len() > PHENOTYPES_SHOWN {
                    phenotypes.push(styled(
                        format!(" (+{} more)", phen.len() - PHENOTYPES_SHOWN),
                        "muted",
                    ));
                }
                let region = r.region.trim();
                let mut panel = vec![link(name, clean(&r.url).and_then(|u| http_url(&u)))];
                if r.super_panel {
                    panel.push(text(" "));
                    panel.push(styled("super panel", "muted small super-panel"));
                }
                Row {
                    panel,
                    region: vec![link(
                        format!("{region} {}", r.panel_id).trim().to_string(),
                        clean(&r.panel_url).and_then(|u| http_url(&u)),
                    )],
                    rating,
                    version,
                    moi: vec![text(shown(&r.mode_of_inheritance))],
                    phenotypes,
                }
            })
            .collect();
        let (rows, more) = cut(rows, ROWS_SHOWN, &format!("{}.json", cx.stem), "");
        Ok(GeneSection {
            summary: format!(
                "{}; {} rated Green or Amber",
                plural(records.len(), "panel", "panels"),
                thousands(counted as u64)
            ),
            notes: if supers > 0 {
                vec![format!(
                    "{} marked \"super panel\": a super panel is the union of its component panels, so its rating counts through its components (once, when no component panel is selected), not again.",
                    plural(supers, "entry is", "entries are")
                )]
            } else {
                Vec::new()
            },
            rows: serde_json::to_value(rows)?,
            more,
        })
    }
}

/// One panel as the panel list summarises it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelSummary {
    pub id: u64,
    pub name: String,
    pub version: Option<String>,
    pub version_created: Option<String>,
    /// Slugs of the panel's PanelApp `types` (empty: none given).
    pub types: Vec<String>,
}

/// One page of `{api_url}/panels/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelPage {
    /// Total panels the API announces (over all pages).
    pub count: Option<u64>,
    /// The next page (an absolute upstream URL), `None` on the last page.
    pub next: Option<String>,
    pub panels: Vec<PanelSummary>,
}

/// PanelApp's traffic-light rating of a gene on a panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rating {
    Red,
    Amber,
    Green,
}

impl Rating {
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Green => "green",
            Rating::Amber => "amber",
            Rating::Red => "red",
        }
    }

    /// `confidence_level`: 3/4 green, 2 amber, 0/1 red; textual levels (`Green`,
    /// `Amber List (moderate evidence)`, …) by their colour.
    pub fn from_confidence(level: &str) -> Option<Rating> {
        let l = level.trim().to_ascii_lowercase();
        match l.as_str() {
            "3" | "4" => return Some(Rating::Green),
            "2" => return Some(Rating::Amber),
            "0" | "1" => return Some(Rating::Red),
            _ => {}
        }
        if l.contains("green") {
            Some(Rating::Green)
        } else if l.contains("amber") {
            Some(Rating::Amber)
        } else if l.contains("red") {
            Some(Rating::Red)
        } else {
            None
        }
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One gene entry of a panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneEntry {
    pub symbol: String,
    pub hgnc_id: Option<String>,
    pub ensembl_id: Option<String>,
    pub omim_gene: Vec<String>,
    pub confidence_level: String,
    pub rating: Rating,
    pub mode_of_inheritance: Option<String>,
    pub penetrance: Option<String>,
    pub mode_of_pathogenicity: Option<String>,
    pub phenotypes: Vec<String>,
    pub publications: Vec<String>,
    pub evidence: Vec<String>,
    pub tags: Vec<String>,
}

/// A panel with its gene entries (`{api_url}/panels/{id}/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panel {
    pub id: u64,
    pub name: String,
    pub version: String,
    pub version_created: Option<String>,
    /// Slugs of the panel's PanelApp `types` (empty: none given).
    pub types: Vec<String>,
    pub genes: Vec<GeneEntry>,
    /// Entries of `genes` that are not genes (`entity_type` other than `gene`), skipped.
    pub skipped: usize,
}

/// The panel selection rules of one PanelApp instance.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub patterns: Vec<String>,
    pub exclusions: Vec<String>,
    pub include: Vec<u64>,
    pub exclude: Vec<u64>,
}

impl Selection {
    pub fn from_settings(s: &Settings) -> Selection {
        let lower = |v: &[String]| -> Vec<String> {
            v.iter()
                .map(|p| p.trim().to_lowercase())
                .filter(|p| !p.is_empty())
                .collect()
        };
        Selection {
            patterns: lower(&s.panel_name_patterns.value),
            exclusions: lower(&s.panel_name_exclusions),
            include: s.include_panels.clone(),
            exclude: s.exclude_panels.clone(),
        }
    }

    /// Why a panel is selected (`None`: not selected).
    pub fn why(&self, id: u64, name: &str) -> Option<String> {
        if self.exclude.contains(&id) {
            return None;
        }
        if self.include.contains(&id) {
            return Some("include_panels".to_string());
        }
        let name = name.to_lowercase();
        if self.exclusions.iter().any(|x| name.contains(x.as_str())) {
            return None;
        }
        self.patterns
            .iter()
            .find(|p| name.contains(p.as_str()))
            .map(|p| format!("name contains \"{p}\""))
    }
}

fn problem_of_json(e: serde_json::Error) -> ParseProblem {
    ParseProblem::at(e.line() as u64, format!("invalid JSON: {e}"))
}

fn json_root(bytes: &[u8]) -> Result<Map<String, Value>, ParseProblem> {
    let text = text_of(bytes, "PanelApp API JSON")?;
    match serde_json::from_str::<Value>(text).map_err(problem_of_json)? {
        Value::Object(m) => Ok(m),
        other => Err(ParseProblem::whole(format!(
            "expected a JSON object, found {}",
            kind(&other)
        ))),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn wrong(at: &str, key: &str, expected: &str, found: &Value) -> ParseProblem {
    ParseProblem::whole(format!(
        "{at}`{key}` is {}, expected {expected}",
        kind(found)
    ))
}

/// A required id: a non-negative integer (or a string of digits).
fn req_id(m: &Map<String, Value>, at: &str, key: &str) -> Result<u64, ParseProblem> {
    match m.get(key) {
        None => Err(ParseProblem::whole(format!("{at}missing key `{key}`"))),
        Some(Value::Number(n)) => n
            .as_u64()
            .ok_or_else(|| ParseProblem::whole(format!("{at}`{key}` is {n}, expected an id"))),
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s
            .parse()
            .map_err(|_| ParseProblem::whole(format!("{at}`{key}` `{s}` is out of range"))),
        Some(v) => Err(wrong(at, key, "an integer id", v)),
    }
}

/// A required non-empty string.
fn req_str(m: &Map<String, Value>, at: &str, key: &str) -> Result<String, ParseProblem> {
    match opt_str(m, at, key)? {
        Some(s) => Ok(s),
        None if m.contains_key(key) => Err(ParseProblem::whole(format!("{at}`{key}` is empty"))),
        None => Err(ParseProblem::whole(format!("{at}missing key `{key}`"))),
    }
}

/// An optional string (null and "" are absent; numbers are accepted as text).
fn opt_str(m: &Map<String, Value>, at: &str, key: &str) -> Result<Option<String>, ParseProblem> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => {
            let t = s.trim();
            Ok((!t.is_empty()).then(|| t.to_string()))
        }
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(v) => Err(wrong(at, key, "a string", v)),
    }
}

/// An optional list of strings (null is empty; numbers are accepted as text).
fn str_list(m: &Map<String, Value>, at: &str, key: &str) -> Result<Vec<String>, ParseProblem> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, v) in items.iter().enumerate() {
                match v {
                    Value::String(s) if s.trim().is_empty() => {}
                    Value::String(s) => out.push(s.trim().to_string()),
                    Value::Number(n) => out.push(n.to_string()),
                    other => {
                        return Err(wrong(at, &format!("{key}[{i}]"), "a string", other));
                    }
                }
            }
            Ok(out)
        }
        Some(v) => Err(wrong(at, key, "a list of strings", v)),
    }
}

fn opt_obj<'a>(
    m: &'a Map<String, Value>,
    at: &str,
    key: &str,
) -> Result<Option<&'a Map<String, Value>>, ParseProblem> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(v) => Err(wrong(at, key, "an object", v)),
    }
}

/// The slugs of a panel's `types` (`[{"name", "slug", "description"}]`; a plain string is
/// taken as a slug), lower case; null or absent is none.
fn type_slugs(m: &Map<String, Value>, at: &str) -> Result<Vec<String>, ParseProblem> {
    let items = match m.get("types") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(a)) => a,
        Some(v) => return Err(wrong(at, "types", "a list of panel types", v)),
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, t) in items.iter().enumerate() {
        let slug = match t {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Object(o) => opt_str(o, &format!("{at}types[{i}]."), "slug")?,
            other => return Err(wrong(at, &format!("types[{i}]"), "a panel type", other)),
        };
        match slug {
            Some(s) if !s.is_empty() => out.push(s.to_lowercase()),
            _ => {
                return Err(ParseProblem::whole(format!("{at}types[{i}] has no `slug`")));
            }
        }
    }
    Ok(out)
}

/// Which panels are super panels: the `superpanel` type, or (for a panel without types) a
/// name containing one of the configured patterns.
#[derive(Debug, Clone, Default)]
pub struct SuperPanels {
    /// Lower-case name substrings (`super_panel_patterns`).
    pub patterns: Vec<String>,
}

impl SuperPanels {
    pub fn from_settings(s: &Settings) -> SuperPanels {
        SuperPanels {
            patterns: s
                .super_panel_patterns
                .iter()
                .map(|p| p.trim().to_lowercase())
                .filter(|p| !p.is_empty())
                .collect(),
        }
    }

    /// Whether a panel with this name and these type slugs is a super panel. Types, when
    /// given, decide; the name only when there are none (the mirror's reconstructed panels).
    pub fn is_super(&self, name: &str, types: &[String]) -> bool {
        if !types.is_empty() {
            return types.iter().any(|t| t == SUPER_PANEL_TYPE);
        }
        let name = name.to_lowercase();
        self.patterns.iter().any(|p| name.contains(p.as_str()))
    }
}

/// Parse one page of the panel list (`{"count", "next", "previous", "results": [...]}`).
pub fn parse_panel_list(bytes: &[u8]) -> Result<PanelPage, ParseProblem> {
    let root = json_root(bytes)?;
    let results = match root.get("results") {
        Some(Value::Array(a)) => a,
        Some(v) => return Err(wrong("", "results", "a list of panels", v)),
        None => {
            return Err(ParseProblem::whole(
                "missing key `results` (not a PanelApp panel list)",
            ));
        }
    };
    let count = match root.get("count") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => n.as_u64(),
        Some(v) => return Err(wrong("", "count", "an integer", v)),
    };
    let next = match root.get("next") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => Some(s.trim().to_string()),
        Some(v) => return Err(wrong("", "next", "a URL or null", v)),
    };
    let mut panels = Vec::with_capacity(results.len());
    for (i, r) in results.iter().enumerate() {
        let at = format!("results[{i}]: ");
        let Value::Object(m) = r else {
            return Err(ParseProblem::whole(format!(
                "{at}expected a panel object, found {}",
                kind(r)
            )));
        };
        panels.push(PanelSummary {
            id: req_id(m, &at, "id")?,
            name: req_str(m, &at, "name")?,
            version: opt_str(m, &at, "version")?,
            version_created: opt_str(m, &at, "version_created")?,
            types: type_slugs(m, &at)?,
        });
    }
    Ok(PanelPage {
        count,
        next,
        panels,
    })
}

/// The Ensembl gene id of `gene_data.ensembl_genes` (`{GRch38: {"90": {ensembl_id}}}`):
/// GRch38 before GRch37, the newest release first.
fn ensembl_id(gene_data: &Map<String, Value>) -> Option<String> {
    let builds = gene_data.get("ensembl_genes")?.as_object()?;
    let mut order: Vec<(&String, &Value)> = builds.iter().collect();
    order.sort_by_key(|(build, _)| match build.to_ascii_lowercase().as_str() {
        "grch38" => 0,
        "grch37" => 1,
        _ => 2,
    });
    for (_, releases) in order {
        let Some(releases) = releases.as_object() else {
            continue;
        };
        let mut rel: Vec<(&String, &Value)> = releases.iter().collect();
        rel.sort_by_key(|(r, _)| std::cmp::Reverse(r.parse::<u64>().unwrap_or(0)));
        for (_, v) in rel {
            if let Some(id) = v.get("ensembl_id").and_then(Value::as_str)
                && id.starts_with("ENSG")
            {
                return Some(id.to_string());
            }
        }
    }
    None
}

fn parse_gene(m: &Map<String, Value>, at: &str) -> Result<GeneEntry, ParseProblem> {
    let gene_data = opt_obj(m, at, "gene_data")?;
    let gd_at = format!("{at}gene_data.");
    let mut symbol = None;
    let mut hgnc_id = None;
    let mut ensembl = None;
    let mut omim_gene = Vec::new();
    if let Some(gd) = gene_data {
        symbol = opt_str(gd, &gd_at, "gene_symbol")?;
        if let Some(raw) = opt_str(gd, &gd_at, "hgnc_id")? {
            hgnc_id = Some(canonical_hgnc_id(&raw).ok_or_else(|| {
                ParseProblem::whole(format!(
                    "{gd_at}`hgnc_id` is `{raw}`, expected HGNC:<number>"
                ))
            })?);
        }
        ensembl = ensembl_id(gd);
        omim_gene = str_list(gd, &gd_at, "omim_gene")?;
    }
    let symbol = match symbol {
        Some(s) => s,
        None => opt_str(m, at, "entity_name")?.ok_or_else(|| {
            ParseProblem::whole(format!(
                "{at}gene entry without `gene_data.gene_symbol` or `entity_name`"
            ))
        })?,
    };
    let at = format!("{at}({symbol}) ");
    let confidence_level = match m.get("confidence_level") {
        None => {
            return Err(ParseProblem::whole(format!(
                "{at}missing key `confidence_level`"
            )));
        }
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(v) => return Err(wrong(&at, "confidence_level", "a rating", v)),
    };
    let rating = Rating::from_confidence(&confidence_level).ok_or_else(|| {
        ParseProblem::whole(format!(
            "{at}unknown `confidence_level` `{confidence_level}` (expected 0-4 or green/amber/red)"
        ))
    })?;
    Ok(GeneEntry {
        symbol,
        hgnc_id,
        ensembl_id: ensembl,
        omim_gene,
        confidence_level,
        rating,
        mode_of_inheritance: opt_str(m, &at, "mode_of_inheritance")?,
        penetrance: opt_str(m, &at, "penetrance")?,
        mode_of_pathogenicity: opt_str(m, &at, "mode_of_pathogenicity")?,
        phenotypes: str_list(m, &at, "phenotypes")?,
        publications: str_list(m, &at, "publications")?,
        evidence: str_list(m, &at, "evidence")?,
        tags: str_list(m, &at, "tags")?,
    })
}

/// Parse one panel (`{api_url}/panels/{id}/`): its identity and its gene entries.
pub fn parse_panel(bytes: &[u8]) -> Result<Panel, ParseProblem> {
    let root = json_root(bytes)?;
    let id = req_id(&root, "", "id")?;
    let name = req_str(&root, "", "name")?;
    let version = req_str(&root, "", "version")?;
    let version_created = opt_str(&root, "", "version_created")?;
    let types = type_slugs(&root, "")?;
    let entries = match root.get("genes") {
        Some(Value::Array(a)) => a,
        Some(v) => return Err(wrong("", "genes", "a list of gene entries", v)),
        None => {
            return Err(ParseProblem::whole(
                "missing key `genes` (not a PanelApp panel)",
            ));
        }
    };
    let mut genes = Vec::with_capacity(entries.len());
    let mut skipped = 0;
    for (i, e) in entries.iter().enumerate() {
        let at = format!("genes[{i}]: ");
        let Value::Object(m) = e else {
            return Err(ParseProblem::whole(format!(
                "{at}expected a gene entry object, found {}",
                kind(e)
            )));
        };
        match opt_str(m, &at, "entity_type")? {
            Some(t) if !t.eq_ignore_ascii_case("gene") => {
                skipped += 1;
                continue;
            }
            _ => {}
        }
        genes.push(parse_gene(m, &at)?);
    }
    Ok(Panel {
        id,
        name,
        version,
        version_created,
        types,
        genes,
        skipped,
    })
}

/// The site root of an API root: `https://panelapp-aus.org/api/v1` -> `https://panelapp-aus.org`.
pub fn site_root(api_url: &str) -> String {
    let api = api_url.trim_end_matches('/');
    if let Some(root) = api.strip_suffix("/api/v1") {
        return root.to_string();
    }
    match url::Url::parse(api) {
        Ok(u) => u.origin().ascii_serialization(),
        Err(_) => api.to_string(),
    }
}

/// How the rows of one panel are labelled.
#[derive(Debug, Clone)]
pub struct StageContext<'a> {
    pub region: &'a str,
    /// Site root, e.g. `https://panelapp.genomicsengland.co.uk`.
    pub site: &'a str,
    pub counted: &'a [Rating],
    pub selected_by: &'a str,
    /// The panel is a super panel ([`SuperPanels::is_super`]).
    pub super_panel: bool,
}

fn union(into: &mut Vec<String>, more: &[String]) {
    for s in more {
        if !into.contains(s) {
            into.push(s.clone());
        }
    }
}

/// The staged rows of one panel: one per gene (duplicate entries merged).
pub fn stage_panel(panel: &Panel, cx: &StageContext<'_>) -> Vec<StagedRow> {
    // key -> (best entry, merged entry, count); BTreeMap keeps the output order stable.
    let mut by_key: BTreeMap<String, (GeneEntry, usize)> = BTreeMap::new();
    let mut order = Vec::new();
    for g in &panel.genes {
        let key = g.hgnc_id.clone().unwrap_or_else(|| g.symbol.clone());
        match by_key.get_mut(&key) {
            None => {
                order.push(key.clone());
                by_key.insert(key, (g.clone(), 1));
            }
            Some((merged, n)) => {
                *n += 1;
                if g.rating > merged.rating {
                    merged.rating = g.rating;
                    merged.confidence_level = g.confidence_level.clone();
                    if g.mode_of_inheritance.is_some() {
                        merged.mode_of_inheritance = g.mode_of_inheritance.clone();
                    }
                }
                union(&mut merged.phenotypes, &g.phenotypes);
                union(&mut merged.publications, &g.publications);
                union(&mut merged.evidence, &g.evidence);
                union(&mut merged.tags, &g.tags);
            }
        }
    }
    let panel_url = format!("{}/panels/{}/", cx.site, panel.id);
    order
        .into_iter()
        .filter_map(|key| {
            let (g, n) = by_key.remove(&key)?;
            let details = super::details(&Record {
                region: cx.region.to_string(),
                panel_id: panel.id,
                panel_name: panel.name.clone(),
                panel_version: Some(panel.version.clone()),
                panel_version_created: panel.version_created.clone(),
                panel_url: Some(panel_url.clone()),
                url: Some(format!("{panel_url}gene/{}/", g.symbol)),
                selected_by: Some(cx.selected_by.to_string()),
                rating: g.rating.as_str().to_string(),
                confidence_level: Some(g.confidence_level.clone()),
                counted: cx.counted.contains(&g.rating),
                gene_symbol: Some(g.symbol.clone()),
                mode_of_inheritance: g.mode_of_inheritance.clone(),
                phenotypes: g.phenotypes.clone(),
                publications: g.publications.clone(),
                evidence: g.evidence.clone(),
                tags: g.tags.clone(),
                omim_gene: g.omim_gene.clone(),
                penetrance: g.penetrance.clone(),
                mode_of_pathogenicity: g.mode_of_pathogenicity.clone(),
                entries: n as u64,
                super_panel: cx.super_panel,
            });
            Some(StagedRow {
                record_key: format!("{}/{}/{key}", cx.region, panel.id),
                reported_symbol: Some(g.symbol),
                reported_hgnc_id: g.hgnc_id,
                reported_ncbi_id: None,
                reported_ensembl_id: g.ensembl_id,
                details,
            })
        })
        .collect()
}

/// The ratings of `counted_ratings` (validated by the config loader).
pub fn counted_ratings(names: &[String]) -> Vec<Rating> {
    names
        .iter()
        .filter_map(|n| Rating::from_confidence(n))
        .collect()
}

/// Resolve a `next` link against the page it came from (DRF sends absolute URLs). Like a
/// redirect, it must stay on the page's host and must not downgrade https to http: a list
/// page is not allowed to send kgdb elsewhere.
fn resolve_next(page_url: &str, next: &str) -> Result<String, String> {
    let resolved = url::Url::parse(page_url)
        .and_then(|base| base.join(next))
        .map(|u| u.to_string())
        .map_err(|e| format!("`next` link `{next}` of {page_url} is not a URL: {e}"))?;
    crate::fetch::check_redirect(page_url, &resolved, &Default::default())
        .map_err(|why| format!("`next` link {resolved} of {page_url} refused: {why}"))?;
    Ok(resolved)
}

/// True when a stored panel is the version the panel list gives (both known: a list or a
/// download without a version proves nothing).
pub fn same_version(listed: Option<&str>, stored: Option<&str>) -> bool {
    matches!((listed, stored), (Some(l), Some(s)) if l.trim() == s.trim() && !l.trim().is_empty())
}

/// Fetch and stage this source.
pub async fn fetch(session: &mut Session<'_>, settings: &Settings) -> Result<Staged, SourceError> {
    let source = session.source.to_string();
    let api = settings.api_url.value.trim_end_matches('/').to_string();
    let region = settings.region.value.trim().to_string();
    let site = site_root(&api);
    let selection = Selection::from_settings(settings);
    let supers = SuperPanels::from_settings(settings);
    let counted = counted_ratings(&settings.counted_ratings.value);
    let parse_err = |url: &str, problem: ParseProblem| problem.at_url(&source, url);
    let unusable = |message: String| SourceError::unusable(&source, message);

    // 1. The whole panel list, page by page.
    let mut url = format!("{api}/panels/");
    let mut seen_pages = HashSet::new();
    let mut listed: Vec<PanelSummary> = Vec::new();
    let mut listed_ids = HashSet::new();
    let mut announced = None;
    let mut pages = 0;
    loop {
        if !seen_pages.insert(url.clone()) {
            return Err(unusable(format!(
                "the panel list links back to {url}, already fetched (pagination loop)"
            )));
        }
        if pages >= settings.max_pages.value {
            return Err(unusable(format!(
                "the panel list goes on past {pages} pages (sources.{source}.max_pages); {url} not fetched"
            )));
        }
        let file = session.get(&url).await?;
        let page = parse_panel_list(&file.bytes).map_err(|p| parse_err(&url, p))?;
        pages += 1;
        announced = announced.or(page.count);
        for p in page.panels {
            if listed_ids.insert(p.id) {
                listed.push(p);
            }
        }
        match page.next {
            Some(next) => url = resolve_next(&url, &next).map_err(unusable)?,
            None => break,
        }
    }
    if let Some(c) = announced
        && c != listed.len() as u64
    {
        session.reporter.event(Event::Info {
            message: &format!(
                "{source}: the panel list announced {c} panels but {pages} pages held {} distinct ones (did the list change while paging?)",
                listed.len()
            ),
        });
    }

    // 2. Selection.
    let mut selected: Vec<(u64, String)> = listed
        .iter()
        .filter_map(|p| selection.why(p.id, &p.name).map(|w| (p.id, w)))
        .collect();
    for id in &selection.include {
        if !selection.exclude.contains(id) && !selected.iter().any(|(s, _)| s == id) {
            selected.push((*id, "include_panels".to_string()));
        }
    }
    if selected.is_empty() {
        return Err(unusable(format!(
            "no panel selected among the {} listed at {api}/panels/ (check panel_name_patterns, include_panels)",
            listed.len()
        )));
    }
    selected.sort_by_key(|(id, _)| *id);
    session.reporter.event(Event::Info {
        message: &format!(
            "{source}: {} of {} listed panels selected ({} list pages): {}",
            selected.len(),
            listed.len(),
            pages,
            selected
                .iter()
                .map(|(id, _)| id.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        ),
    });

    // 3. Each selected panel, in full.
    let mut rows = Vec::new();
    let mut newest: Option<String> = None;
    let mut super_ids = Vec::new();
    let mut reused = 0;
    for (id, why) in &selected {
        let url = format!("{api}/panels/{id}/");
        // PanelApp bumps a panel's version on every edit, and the list gives each panel's
        // version: a stored panel of the listed version is current without asking again.
        let listed_version = listed
            .iter()
            .find(|p| p.id == *id)
            .and_then(|p| p.version.as_deref());
        let file = match session.reuse(&url, "the panel list gives its version unchanged", |d| {
            same_version(listed_version, d.upstream_version.as_deref())
        })? {
            Some(file) => {
                reused += 1;
                file
            }
            None => session.get(&url).await?,
        };
        let panel = parse_panel(&file.bytes).map_err(|p| parse_err(&url, p))?;
        if panel.id != *id {
            return Err(parse_err(
                &url,
                ParseProblem::whole(format!("asked for panel {id}, got panel {}", panel.id)),
            ));
        }
        session.set_version(file.download, panel.version.clone());
        if let Some(vc) = &panel.version_created {
            let day: String = vc.chars().take(10).collect();
            if newest.as_ref().is_none_or(|n| day > *n) {
                newest = Some(day);
            }
        }
        // The panel's own types; the list's when the panel gives none.
        let types = match listed.iter().find(|p| p.id == panel.id) {
            Some(l) if panel.types.is_empty() => l.types.as_slice(),
            _ => panel.types.as_slice(),
        };
        let cx = StageContext {
            region: &region,
            site: &site,
            counted: &counted,
            selected_by: why,
            super_panel: supers.is_super(&panel.name, types),
        };
        if cx.super_panel {
            super_ids.push(panel.id.to_string());
        }
        rows.extend(
            stage_panel(&panel, &cx)
                .into_iter()
                .map(|r| (file.download, r)),
        );
    }
    if reused > 0 {
        session.reporter.event(Event::Info {
            message: &format!(
                "{source}: {reused} of {} panels unchanged by the versions in the panel list, not asked again",
                selected.len()
            ),
        });
    }
    if !super_ids.is_empty() {
        session.reporter.event(Event::Info {
            message: &format!(
                "{source}: super panels (shown, counted only through their components): {}",
                super_ids.join(" ")
            ),
        });
    }
    if rows.is_empty() {
        return Err(unusable(format!(
            "the {} selected panels list no genes",
            selected.len()
        )));
    }
    let upstream_version = match newest {
        Some(d) => format!("{} panels, newest {d}", selected.len()),
        None => format!("{} panels", selected.len()),
    };
    Ok(Staged {
        rows,
        upstream_version: Some(upstream_version),
        companions: Vec::new(),
        keep_stored: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(rel: &str) -> Vec<u8> {
        let path = format!("{}/../shared/data/{rel}", env!("CARGO_MANIFEST_DIR"));
        crate::fetch::read_maybe_gzip(std::path::Path::new(&path))
            .unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn kidney_selection() -> Selection {
        // The patterns and exclusions of the repository's sources.yaml.
        let cfg = crate::config::Config::from_str(
            std::path::Path::new("sources.yaml"),
            include_str!("../../sources.yaml"),
        )
        .expect("valid sources.yaml");
        Selection::from_settings(
            &crate::sources::settings::<Settings>(&cfg, "panelapp_uk").unwrap(),
        )
    }

    /// Every page of a reconstructed list, following `next` by its page number.
    fn all_pages(region: &str) -> Vec<PanelSummary> {
        let mut out = Vec::new();
        let mut page = 1;
        loop {
            let p = parse_panel_list(&shared(&format!(
                "reconstructed/panelapp/{region}/panels/page-{page}.json"
            )))
            .unwrap();
            out.extend(p.panels);
            match p.next {
                Some(n) => {
                    page = n.rsplit("page=").next().unwrap().parse().unwrap();
                }
                None => return out,
            }
        }
    }

    #[test]
    fn real_list_page_parses() {
        let p = parse_panel_list(&shared("raw/panelapp/uk_panels_page1.json")).unwrap();
        assert_eq!(p.count, Some(434));
        assert_eq!(p.next, None);
        assert_eq!(p.panels.len(), 3);
        assert_eq!(p.panels[0].id, 1207);
        assert_eq!(p.panels[0].name, "Acute intermittent porphyria");
        assert_eq!(p.panels[0].version.as_deref(), Some("2.1"));
        let au = parse_panel_list(&shared("raw/panelapp/au_panels_page1.json")).unwrap();
        assert_eq!(au.count, Some(261));
        assert_eq!(au.panels[0].name, "Achromatopsia");
    }

    #[test]
    fn reconstructed_list_pages_link_to_the_next() {
        let p1 = parse_panel_list(&shared("reconstructed/panelapp/uk/panels/page-1.json")).unwrap();
        assert_eq!(p1.count, Some(18));
        assert_eq!(
            p1.next.as_deref(),
            Some("https://panelapp.genomicsengland.co.uk/api/v1/panels/?page=2")
        );
        let p4 = parse_panel_list(&shared("reconstructed/panelapp/uk/panels/page-4.json")).unwrap();
        assert_eq!(p4.next, None);
        assert_eq!(all_pages("uk").len(), 18);
        assert_eq!(all_pages("au").len(), 17);
    }

    #[test]
    fn the_kidney_patterns_select_the_kidney_panels_only() {
        let sel = kidney_selection();
        let pick = |region| {
            let mut ids: Vec<u64> = all_pages(region)
                .iter()
                .filter(|p| sel.why(p.id, &p.name).is_some())
                .map(|p| p.id)
                .collect();
            ids.sort();
            ids
        };
        // The 14 UK and 12 AU kidney panels of the 2024-05-14 capture; not porphyria (1207),
        // rhabdomyolysis (1141), intellectual disability (285), Mendeliome (137) etc.
        assert_eq!(
            pick("uk"),
            [
                18, 106, 149, 154, 156, 283, 292, 487, 521, 548, 678, 725, 902, 903
            ]
        );
        assert_eq!(
            pick("au"),
            [61, 63, 191, 193, 194, 199, 251, 262, 263, 275, 3278, 3993]
        );
        assert_eq!(
            sel.why(283, "Cystic kidney disease").as_deref(),
            Some("name contains \"kidney\"")
        );
    }

    #[test]
    fn adrenal_is_not_renal() {
        let sel = kidney_selection();
        // Handwritten adrenal panel names (the mirror's lists hold none): each contains `renal`.
        assert_eq!(sel.why(490, "Congenital adrenal hypoplasia"), None);
        assert_eq!(sel.why(1, "Adrenal insufficiency"), None);
        assert_eq!(sel.why(2, "ADRENAL hyperplasia"), None);
        assert!(sel.why(292, "Renal tubulopathies").is_some());
    }

    #[test]
    fn explicit_ids_override_names() {
        let sel = Selection {
            patterns: vec!["renal".into()],
            exclusions: vec!["adrenal".into()],
            include: vec![7, 9],
            exclude: vec![292, 9],
        };
        assert_eq!(sel.why(292, "Renal tubulopathies"), None, "exclude wins");
        assert_eq!(
            sel.why(7, "Adrenal insufficiency").as_deref(),
            Some("include_panels")
        );
        assert_eq!(sel.why(9, "Renal x"), None, "exclude wins over include");
        assert_eq!(sel.why(10, "Achromatopsia"), None);
    }

    #[test]
    fn a_stored_panel_is_current_only_at_the_listed_version() {
        assert!(same_version(Some("5.3"), Some("5.3")));
        assert!(!same_version(Some("5.4"), Some("5.3")));
        // 1.10 is not 1.1: versions compare as text, never as numbers.
        assert!(!same_version(Some("1.10"), Some("1.1")));
        assert!(!same_version(None, Some("5.3")));
        assert!(!same_version(Some("5.3"), None));
        assert!(!same_version(Some(""), Some("")));
    }

    #[test]
    fn ratings_from_confidence_levels() {
        use Rating::*;
        for (l, r) in [
            ("4", Green),
            ("3", Green),
            ("2", Amber),
            ("1", Red),
            ("0", Red),
            ("Green", Green),
            ("amber", Amber),
            ("Red List (low evidence)", Red),
            ("Green List (high evidence)", Green),
        ] {
            assert_eq!(Rating::from_confidence(l), Some(r), "{l}");
        }
        assert_eq!(Rating::from_confidence("5"), None);
        assert_eq!(Rating::from_confidence(""), None);
    }

    #[test]
    fn real_panel_1207_has_hmbs_green() {
        let p = parse_panel(&shared("raw/panelapp/uk_panel_1207.json")).unwrap();
        assert_eq!(
            (p.id, p.name.as_str(), p.version.as_str()),
            (1207, "Acute intermittent porphyria", "2.1")
        );
        assert_eq!(p.genes.len(), 1);
        let g = &p.genes[0];
        assert_eq!(g.symbol, "HMBS");
        assert_eq!(g.hgnc_id.as_deref(), Some("HGNC:4982"));
        assert_eq!(g.ensembl_id.as_deref(), Some("ENSG00000256269"));
        assert_eq!(g.rating, Rating::Green);
        assert_eq!(g.publications.len(), 9);
        assert_eq!(g.omim_gene, ["609806"]);
        assert!(
            g.mode_of_inheritance
                .as_deref()
                .unwrap()
                .starts_with("BOTH monoallelic")
        );
        assert!(
            g.phenotypes
                .contains(&"Porphyria, acute intermittent, OMIM:176000".to_string())
        );
    }

    #[test]
    fn real_panel_285_skips_strs_and_regions() {
        let p = parse_panel(&shared("raw/panelapp/uk_panel_285.json")).unwrap();
        assert_eq!(p.name, "Intellectual disability");
        assert_eq!(p.version, "10.18");
        assert_eq!(p.genes.len(), 5);
        assert_eq!(p.genes[0].symbol, "AAAS");
        assert_eq!(p.genes[0].ensembl_id.as_deref(), Some("ENSG00000094914"));
    }

    #[test]
    fn au_panel_3149_uses_the_grch38_release_it_has() {
        let p = parse_panel(&shared("raw/panelapp/au_panel_3149.json")).unwrap();
        let atf6 = p.genes.iter().find(|g| g.symbol == "ATF6").unwrap();
        assert_eq!(atf6.ensembl_id.as_deref(), Some("ENSG00000118217"));
        assert_eq!(atf6.phenotypes, ["Achromatopsia 7 MIM#616517"]);
        let rows = stage_panel(
            &p,
            &StageContext {
                region: "Australia",
                site: &site_root("https://panelapp-aus.org/api/v1"),
                counted: &[Rating::Green, Rating::Amber],
                selected_by: "include_panels",
                super_panel: false,
            },
        );
        let r = rows
            .iter()
            .find(|r| r.reported_symbol.as_deref() == Some("ATF6"))
            .unwrap();
        assert_eq!(r.record_key, "Australia/3149/HGNC:791");
        assert_eq!(
            r.details.value()["url"],
            "https://panelapp-aus.org/panels/3149/gene/ATF6/"
        );
        assert_eq!(
            r.details.value()["mode_of_inheritance"],
            "BIALLELIC, autosomal or pseudoautosomal"
        );
    }

    #[test]
    fn cystic_kidney_disease_stages_pkd1_and_pkd2_green_and_reds_too() {
        let p = parse_panel(&shared("reconstructed/panelapp/uk/panels/283.json")).unwrap();
        assert_eq!((p.id, p.version.as_str()), (283, "5.3"));
        assert_eq!(p.genes.len(), 73);
        let site = site_root("https://panelapp.genomicsengland.co.uk/api/v1/");
        let cx = StageContext {
            region: "UK",
            site: &site,
            counted: &[Rating::Green, Rating::Amber],
            selected_by: "name contains \"kidney\"",
            super_panel: false,
        };
        let rows = stage_panel(&p, &cx);
        assert_eq!(rows.len(), 73);
        let count = |r: &str| {
            rows.iter()
                .filter(|x| x.details.value()["rating"] == r)
                .count()
        };
        assert_eq!((count("green"), count("amber"), count("red")), (35, 4, 34));
        for (sym, id) in [("PKD1", "HGNC:9008"), ("PKD2", "HGNC:9009")] {
            let r = rows
                .iter()
                .find(|r| r.reported_symbol.as_deref() == Some(sym))
                .unwrap();
            assert_eq!(r.record_key, format!("UK/283/{id}"));
            assert_eq!(r.reported_hgnc_id.as_deref(), Some(id));
            assert_eq!(r.details.value()["rating"], "green");
            assert_eq!(r.details.value()["counted"], true);
            assert_eq!(r.details.value()["panel_name"], "Cystic kidney disease");
            assert_eq!(r.details.value()["panel_version"], "5.3");
            assert_eq!(
                r.details.value()["url"],
                format!("https://panelapp.genomicsengland.co.uk/panels/283/gene/{sym}/")
            );
        }
        let red = rows
            .iter()
            .find(|r| r.details.value()["rating"] == "red")
            .unwrap();
        assert_eq!(red.details.value()["counted"], false);
        assert_eq!(red.details.value()["confidence_level"], "1");
    }

    #[test]
    fn duplicate_entries_merge_with_the_best_rating() {
        let body = br#"{"id":5,"name":"Renal superpanel","version":"1.0","genes":[
            {"entity_type":"gene","entity_name":"PKD1","confidence_level":"1","gene_data":{"hgnc_id":"HGNC:9008","gene_symbol":"PKD1"},"phenotypes":["a"],"publications":["1"]},
            {"entity_type":"gene","entity_name":"PKD1","confidence_level":"3","gene_data":{"hgnc_id":"HGNC:9008","gene_symbol":"PKD1"},"phenotypes":["b","a"],"mode_of_inheritance":"MONOALLELIC"},
            {"entity_type":"gene","entity_name":"NOID","confidence_level":2,"gene_data":null},
            {"entity_type":"str","entity_name":"X","confidence_level":"3"}]}"#;
        let p = parse_panel(body).unwrap();
        assert_eq!(p.skipped, 1);
        let rows = stage_panel(
            &p,
            &StageContext {
                region: "UK",
                site: "https://x",
                counted: &[Rating::Green],
                selected_by: "include_panels",
                super_panel: false,
            },
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].record_key, "UK/5/HGNC:9008");
        assert_eq!(rows[0].details.value()["rating"], "green");
        assert_eq!(rows[0].details.value()["entries"], 2);
        assert_eq!(rows[0].details.value()["phenotypes"], json!(["a", "b"]));
        assert_eq!(
            rows[0].details.value()["mode_of_inheritance"],
            "MONOALLELIC"
        );
        assert_eq!(rows[1].record_key, "UK/5/NOID");
        assert_eq!(rows[1].details.value()["rating"], "amber");
        assert_eq!(rows[1].details.value()["counted"], false);
        assert_eq!(rows[1].reported_hgnc_id, None);
    }

    fn kidney_panelapp() -> Box<dyn EvidenceSource> {
        let cfg = crate::config::Config::from_str(
            std::path::Path::new("sources.yaml"),
            include_str!("../../sources.yaml"),
        )
        .expect("valid sources.yaml");
        load("panelapp_uk", &cfg).unwrap_or_else(|p| panic!("{p:?}"))
    }

    fn entry(region: &str, panel: u64, rating: &str, counted: bool, sup: bool) -> Value {
        let mut v = serde_json::to_value(Record {
            region: region.into(),
            panel_id: panel,
            rating: rating.into(),
            counted,
            super_panel: sup,
            ..Record::default()
        })
        .unwrap();
        v["record_key"] = json!(format!("{region}/{panel}/HGNC:11630"));
        v
    }

    #[test]
    fn super_panels_count_once_through_their_components() {
        let src = kidney_panelapp();
        let scoring = src.scoring().unwrap();
        let measure = |recs: &[Value]| scoring.tally(recs).unwrap().measure;
        // A super panel and its component, both Green: the component counts, once.
        let both = [
            entry("UK", 283, "green", true, false),
            entry("UK", 903, "green", true, true),
            entry("UK", 902, "green", true, true),
        ];
        assert_eq!(measure(&both), 1.0);
        // Two components in two regions count two; their super panels nothing more.
        let two = [
            entry("UK", 283, "green", true, false),
            entry("Australia", 194, "amber", true, false),
            entry("UK", 902, "green", true, true),
            entry("Australia", 275, "green", true, true),
        ];
        assert_eq!(measure(&two), 2.0);
        // Fallback: only super panels rate it (its component is not selected): 1, however
        // many super panels.
        let only_super = [
            entry("UK", 902, "green", true, true),
            entry("Australia", 275, "amber", true, true),
        ];
        assert_eq!(measure(&only_super), 1.0);
        // ...but not when the super panel's rating is not counted (Red).
        assert_eq!(measure(&[entry("UK", 902, "red", false, true)]), 0.0);
        // A counted component with a Red super panel: 1; a Red component and a Green super
        // panel: the fallback (the component does not count).
        assert_eq!(
            measure(&[
                entry("UK", 283, "amber", true, false),
                entry("UK", 902, "red", false, true)
            ]),
            1.0
        );
        assert_eq!(
            measure(&[
                entry("UK", 283, "red", false, false),
                entry("UK", 902, "green", true, true)
            ]),
            1.0
        );
        // One record alone: a super panel has no key of its own.
        assert_eq!(
            scoring
                .contribution("UK/902/HGNC:11630", &entry("UK", 902, "green", true, true))
                .unwrap()
                .key,
            None
        );
        // Old stored rows (no `super_panel`) read as ordinary panels.
        let old = json!({"region": "UK", "panel_id": 283, "rating": "green", "counted": true, "record_key": "UK/283/X"});
        assert_eq!(measure(&[old]), 1.0);
        // A record of the wrong shape is an error naming the record.
        let e = scoring
            .tally(&[json!({"panel_id": "x", "record_key": "UK/x/Y"})])
            .unwrap_err();
        assert_eq!(e.record_key, "UK/x/Y");
    }

    #[test]
    fn super_panels_by_type_or_by_name_without_types() {
        let s = SuperPanels {
            patterns: vec!["superpanel".into(), "super panel".into()],
        };
        // The mirror's reconstructed panels carry no types: the name decides.
        assert!(s.is_super("Renal superpanel - broad", &[]));
        assert!(s.is_super("Kidneyome_SuperPanel", &[]));
        assert!(s.is_super("Renal Super Panel", &[]));
        assert!(!s.is_super("Cystic kidney disease", &[]));
        // Types, when given, decide (a component's `component-of-super-panel` is not one).
        assert!(s.is_super("Renal disease", &["superpanel".to_string()]));
        assert!(!s.is_super(
            "Renal superpanel",
            &["component-of-super-panel".to_string()]
        ));
        // No patterns: only the type marks one.
        assert!(!SuperPanels::default().is_super("Renal superpanel", &[]));
    }

    #[test]
    fn types_are_parsed_as_slugs() {
        let p = parse_panel(&shared("raw/panelapp/uk_panel_285.json")).unwrap();
        assert_eq!(
            p.types,
            [
                "rare-disease-100k",
                "gms-rare-disease-virtual",
                "component-of-super-panel",
                "gms-signed-off"
            ]
        );
        let list = parse_panel_list(&shared("raw/panelapp/au_panels_page1.json")).unwrap();
        assert_eq!(
            list.panels[0].types,
            [
                "royal-melbourne-hospital",
                "rare-disease",
                "victorian-clinical-genetics-services"
            ]
        );
        // The mirror's reconstructed panels: an empty list.
        let p = parse_panel(&shared("reconstructed/panelapp/uk/panels/902.json")).unwrap();
        assert!(p.types.is_empty());
        let body = br#"{"id":9,"name":"x","version":"1","types":[{"name":"Super Panel","slug":"SuperPanel"},"rare-disease"],"genes":[]}"#;
        assert_eq!(
            parse_panel(body).unwrap().types,
            ["superpanel", "rare-disease"]
        );
        let msg = |b: &[u8]| parse_panel(b).unwrap_err().to_string();
        assert!(
            msg(br#"{"id":9,"name":"x","version":"1","types":"superpanel","genes":[]}"#)
                .contains("`types` is a string")
        );
        assert!(
            msg(br#"{"id":9,"name":"x","version":"1","types":[{"name":"x"}],"genes":[]}"#)
                .contains("types[0] has no `slug`")
        );
    }

    #[test]
    fn super_panel_rows_are_marked_and_others_unchanged() {
        let p = parse_panel(&shared("reconstructed/panelapp/uk/panels/902.json")).unwrap();
        let cx = StageContext {
            region: "UK",
            site: "https://x",
            counted: &[Rating::Green, Rating::Amber],
            selected_by: "include_panels",
            super_panel: true,
        };
        let rows = stage_panel(&p, &cx);
        assert!(!rows.is_empty());
        assert!(
            rows.iter()
                .all(|r| r.details.value()["super_panel"] == true)
        );
        let plain = stage_panel(
            &p,
            &StageContext {
                super_panel: false,
                ..cx
            },
        );
        // An ordinary row does not write the field (stored rows stay as they were).
        assert!(plain[0].details.value().get("super_panel").is_none());
    }

    #[test]
    fn empty_super_panel_patterns_are_refused() {
        let text = include_str!("../../sources.yaml").replace(
            "      - superpanel\n      - super panel\n",
            "      - superpanel\n      - \" \"\n",
        );
        assert_ne!(text, include_str!("../../sources.yaml"));
        let cfg =
            crate::config::Config::from_str(std::path::Path::new("sources.yaml"), &text).unwrap();
        let p = load("panelapp_uk", &cfg).err().expect("refused");
        assert!(
            p.iter()
                .any(|p| p.key == "sources.panelapp_uk.super_panel_patterns"),
            "{p:?}"
        );
    }

    #[test]
    fn next_links_stay_on_the_list_host() {
        let page = "https://panelapp.genomicsengland.co.uk/api/v1/panels/?page=1";
        assert_eq!(
            resolve_next(page, "?page=2").as_deref(),
            Ok("https://panelapp.genomicsengland.co.uk/api/v1/panels/?page=2")
        );
        assert_eq!(
            resolve_next(
                page,
                "https://panelapp.genomicsengland.co.uk/api/v1/panels/?page=2"
            )
            .as_deref(),
            Ok("https://panelapp.genomicsengland.co.uk/api/v1/panels/?page=2")
        );
        let away = resolve_next(page, "https://evil.example/api/v1/panels/?page=2").unwrap_err();
        assert!(
            away.contains("`next` link https://evil.example/api/v1/panels/?page=2")
                && away.contains("refused")
                && away.contains("leaves panelapp.genomicsengland.co.uk for another host"),
            "{away}"
        );
        let down = resolve_next(
            page,
            "http://panelapp.genomicsengland.co.uk/api/v1/panels/?page=2",
        )
        .unwrap_err();
        assert!(down.contains("downgrades https to http"), "{down}");
    }

    #[test]
    fn site_roots() {
        assert_eq!(
            site_root("https://panelapp.genomicsengland.co.uk/api/v1"),
            "https://panelapp.genomicsengland.co.uk"
        );
        assert_eq!(
            site_root("https://panelapp-aus.org/api/v1/"),
            "https://panelapp-aus.org"
        );
        assert_eq!(
            site_root("https://example.org/panelapp/api/v2"),
            "https://example.org"
        );
    }

    #[test]
    fn bad_bodies_are_rejected_with_a_reason() {
        let msg = |r: Result<Panel, ParseProblem>| r.unwrap_err().to_string();
        assert!(msg(parse_panel(b"")).contains("empty"));
        assert!(msg(parse_panel(b"<!DOCTYPE html><html>")).contains("HTML"));
        assert!(msg(parse_panel(b"{\"id\": 1,\n\"name\": ")).starts_with("line 2: invalid JSON"));
        assert!(msg(parse_panel(b"[1,2]")).contains("expected a JSON object"));
        assert!(
            msg(parse_panel(br#"{"id":1,"name":"x","version":"1"}"#))
                .contains("missing key `genes`")
        );
        assert!(
            msg(parse_panel(br#"{"name":"x","version":"1","genes":[]}"#))
                .contains("missing key `id`")
        );
        assert!(
            msg(parse_panel(
                br#"{"id":"x","name":"x","version":"1","genes":[]}"#
            ))
            .contains("`id` is a string")
        );
        assert!(
            msg(parse_panel(
                br#"{"id":1,"name":"x","version":"1","genes":{}}"#
            ))
            .contains("`genes` is an object")
        );
        let e = msg(parse_panel(
            br#"{"id":1,"name":"x","version":"1","genes":[{"entity_type":"gene","entity_name":"PKD1"}]}"#,
        ));
        assert!(
            e.contains("genes[0]: (PKD1) missing key `confidence_level`"),
            "{e}"
        );
        let e = msg(parse_panel(
            br#"{"id":1,"name":"x","version":"1","genes":[{"entity_name":"PKD1","confidence_level":"9"}]}"#,
        ));
        assert!(e.contains("unknown `confidence_level` `9`"), "{e}");
        let e = msg(parse_panel(
            br#"{"id":1,"name":"x","version":"1","genes":[{"entity_name":"PKD1","confidence_level":"3","phenotypes":"cyst"}]}"#,
        ));
        assert!(
            e.contains("`phenotypes` is a string, expected a list"),
            "{e}"
        );
        let e = msg(parse_panel(
            br#"{"id":1,"name":"x","version":"1","genes":[{"confidence_level":"3","gene_data":{"hgnc_id":"9008x"}}]}"#,
        ));
        assert!(e.contains("`hgnc_id` is `9008x`"), "{e}");
        // Found by the fuzz test: a multi-byte character across byte 5 used to panic.
        let e = msg(parse_panel(
            r#"{"id":1,"name":"x","version":"1","genes":[{"confidence_level":"3","gene_data":{"hgnc_id":"⁴ἠ"}}]}"#.as_bytes(),
        ));
        assert!(e.contains("expected HGNC:<number>"), "{e}");

        let list = |b: &[u8]| parse_panel_list(b).unwrap_err().to_string();
        assert!(list(br#"{"count":1}"#).contains("missing key `results`"));
        assert!(list(br#"{"results":[{"id":1}]}"#).contains("results[0]: missing key `name`"));
        assert!(list(br#"{"results":[],"next":3}"#).contains("`next` is a number"));
        assert!(list(b"\n\n").contains("empty"));
        // The mirror's `corrupt` fault body.
        assert!(list(b"<!-- upstream-mirror fault -->").contains("HTML"));
    }

    mod fuzz {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]
            #[test]
            fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
                let _ = parse_panel(&bytes);
                let _ = parse_panel_list(&bytes);
            }

            #[test]
            fn arbitrary_json_panels_never_panic(
                level in prop_oneof![Just(json!("3")), Just(json!(2)), Just(json!(null)), Just(json!("Amber")), any::<String>().prop_map(Value::from)],
                hgnc in prop_oneof![Just(json!("HGNC:9008")), Just(json!(null)), Just(json!(9008)), any::<String>().prop_map(Value::from)],
                pheno in prop_oneof![Just(json!([])), Just(json!(["a", 1])), Just(json!("x")), Just(json!([null]))],
                name in any::<String>(),
            ) {
                let body = json!({"id": 1, "name": name, "version": "1", "genes": [
                    {"entity_type": "gene", "entity_name": "PKD1", "confidence_level": level,
                     "phenotypes": pheno, "gene_data": {"hgnc_id": hgnc, "gene_symbol": "PKD1"}}]});
                if let Ok(p) = parse_panel(body.to_string().as_bytes()) {
                    let rows = stage_panel(&p, &StageContext { region: "UK", site: "https://x", counted: &[], selected_by: "", super_panel: false });
                    prop_assert_eq!(rows.len(), 1);
                }
            }
        }
    }
}
