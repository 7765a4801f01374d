//! What an annotation hands the site: its gene-page section's values, its download columns
//! and its gene-table columns, with the display helpers the annotation modules share.
//!
//! Why here: the site lays out what each module says (frame, lists, tables) without knowing
//! any annotation; the modules build these plain values from their own typed parts.

use serde::Serialize;
use serde_json::Value;

pub use crate::sources::view::{
    Cell, curie_url, digits, id_ok, join, label, link, num, styled, text, thousands,
};

use super::model::Part;

/// Kidney phenotypes listed on a gene page (the rest are in the gene's JSON).
pub const KIDNEY_SHOWN: usize = 30;

/// Everything a section needs besides the part.
#[derive(Debug, Clone, Copy)]
pub struct PartContext<'a> {
    /// The gene's approved symbol.
    pub symbol: &'a str,
    /// `HGNC_9008.json`: where every value the page leaves out is.
    pub json: &'a str,
}

/// A fact row of a section.
#[derive(Debug, Serialize)]
pub struct Fact {
    pub label: String,
    pub value: Cell,
}

/// A list of terms, shown open or folded.
#[derive(Debug, Serialize)]
pub struct TermList {
    pub label: String,
    pub collapsed: bool,
    pub items: Vec<Cell>,
    pub more: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct AnnTable {
    pub caption: String,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// The values of an annotation's gene-page section (its partial lays them out inside the
/// shared frame `templates/annotations/_section.html`).
#[derive(Debug, Default, Serialize)]
pub struct Body {
    pub notes: Vec<String>,
    pub facts: Vec<Fact>,
    pub lists: Vec<TermList>,
    pub table: Option<AnnTable>,
}

/// A column of annotations.csv: name, type, meaning (the source's title is appended) and
/// its value from the part.
#[derive(Clone, Copy)]
pub struct CsvColumn {
    pub name: &'static str,
    pub kind: &'static str,
    pub description: &'static str,
    pub value: fn(&dyn Part) -> String,
}

/// An optional column of the gene table (table.js knows how to show each key).
#[derive(Debug, Clone, Copy)]
pub struct TableColumn {
    /// The key in `ann.js` and the table's column switch.
    pub key: &'static str,
    pub header: &'static str,
    /// The header's tooltip.
    pub title: &'static str,
    /// Position among the optional columns (they are shown in this order, not in registry
    /// order).
    pub order: u8,
}

/// The values of an annotation's table columns, one array per column in gene order, and
/// the lookup tables (`[[name, label]…]`) some values index into, by their key in `ann.js`.
#[derive(Debug, Default)]
pub struct TableValues {
    pub columns: Vec<Vec<Value>>,
    pub lookups: Vec<(&'static str, Value)>,
}

pub fn fact(label: &str, value: Cell) -> Fact {
    Fact {
        label: label.to_string(),
        value,
    }
}

/// A share as a percentage with one decimal.
pub fn pct(x: f64) -> String {
    format!("{} %", num(x * 100.0, 1))
}

/// A term as its linked name (the ID is in the link; shown only when there is no name).
pub fn term_cell(id: &str, name: &str, href: Option<String>) -> Cell {
    vec![link(
        if name.is_empty() { id } else { name }.to_string(),
        href,
    )]
}

/// Ensembl's resolver takes the unversioned ID.
pub fn ensembl_url(id: &str) -> Option<String> {
    let base = id.split('.').next().unwrap_or(id);
    id_ok(id).then(|| format!("https://www.ensembl.org/id/{base}"))
}

/// "Showing 30 of 120; every one is in HGNC_9008.json." when a list was cut.
pub fn more_text(shown: usize, total: usize, json: &str) -> Option<String> {
    (total > shown).then(|| {
        format!(
            "Showing {shown} of {}; every one is in {json}.",
            thousands(total as u64)
        )
    })
}

/// A value of a CSV cell: empty when absent.
pub fn of<T>(x: Option<T>, f: impl Fn(T) -> String) -> String {
    x.map(f).unwrap_or_default()
}

/// Term ids separated by `|`.
pub fn ids(terms: &[super::model::Term]) -> String {
    terms
        .iter()
        .map(|t| t.id.as_str())
        .collect::<Vec<_>>()
        .join("|")
}

/// A float for the downloads (4 decimals, as every float there).
pub use crate::sources::view::fnum;

/// A table value scaled to an integer (`null` when absent).
pub fn scaled(x: Option<f64>, scale: f64) -> Value {
    x.filter(|x| x.is_finite()).map_or(Value::Null, |x| {
        serde_json::json!((x * scale).round() as i64)
    })
}
