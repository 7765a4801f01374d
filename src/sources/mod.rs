//! Upstream sources. Each module has two halves: *requests* (which URLs to download) and a
//! pure *parse(bytes) -> rows*, so every parser is tested on real bytes without HTTP.

pub mod clingen;
pub mod curated;
pub mod gencc;
pub mod hgnc;
pub mod hpo;
pub mod panelapp;
pub mod pubtator;

use std::fmt;

use serde_json::Value;

/// One gene statement of a source, before normalization: what the source reported, in its
/// own identifiers, plus the details the site shows.
#[derive(Debug, Clone, PartialEq)]
pub struct StagedRow {
    /// Unique within the source (e.g. `panel 285 / PKD1`).
    pub record_key: String,
    pub reported_symbol: Option<String>,
    pub reported_hgnc_id: Option<String>,
    pub reported_ncbi_id: Option<String>,
    pub reported_ensembl_id: Option<String>,
    pub details: Value,
}

/// Staged rows paired with the index of their download.
pub type StagedRows = Vec<(usize, StagedRow)>;

/// What a source's fetch produced: rows paired with the index of the download (in
/// [`crate::session::Session::records`]) they came from, and the upstream version.
#[derive(Debug, Clone, Default)]
pub struct Staged {
    pub rows: Vec<(usize, StagedRow)>,
    pub upstream_version: Option<String>,
    /// Rows of other sources built from the same files, stored in the same transaction
    /// with the same version (the `hpo` source stages the `hpo_phenotypes` annotation).
    /// A companion that could not be built carries its error (the source itself is fine).
    pub companions: Vec<(&'static str, Result<StagedRows, String>)>,
}

/// A problem found while parsing upstream bytes, located by line (or record) when known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ParseProblem {
    /// 1-based line (text formats) or record number (JSON arrays).
    pub line: Option<u64>,
    pub message: String,
}

impl ParseProblem {
    pub fn new(line: Option<u64>, message: impl Into<String>) -> Self {
        ParseProblem {
            line,
            message: message.into(),
        }
    }

    pub fn at(line: u64, message: impl Into<String>) -> Self {
        Self::new(Some(line), message)
    }

    pub fn whole(message: impl Into<String>) -> Self {
        Self::new(None, message)
    }
}

impl fmt::Display for ParseProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// A parse problem with the source and URL it came from: what the user sees.
#[derive(Debug, thiserror::Error)]
#[error("{source_name}: cannot parse {url}: {problem}")]
pub struct ParseError {
    pub source_name: String,
    pub url: String,
    pub problem: ParseProblem,
}

impl ParseProblem {
    /// The user-facing message, naming the source, the URL and the line.
    pub fn describe(self, source: &str, url: &str) -> String {
        ParseError {
            source_name: source.to_string(),
            url: url.to_string(),
            problem: self,
        }
        .to_string()
    }
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
