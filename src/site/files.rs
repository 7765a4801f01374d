//! What a download is, as the pages, the data package and the typed tables see it: its
//! columns (the column dictionary) and the written file.
//!
//! Why a module of its own: the downloads writer, the data package, the typed tables and the
//! pages all read these; kept below them, none has to import another to get them.

use serde::Serialize;

/// A column of a download, as the dictionary shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Column {
    pub name: String,
    pub kind: &'static str,
    pub description: String,
}

impl Column {
    pub fn new(
        name: impl Into<String>,
        kind: &'static str,
        description: impl Into<String>,
    ) -> Column {
        Column {
            name: name.into(),
            kind,
            description: description.into(),
        }
    }
}

/// A written download file.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FileInfo {
    pub name: String,
    /// Relative to the site root.
    pub path: String,
    pub bytes: u64,
    pub size: String,
    pub sha256: String,
    pub description: String,
    /// The table it holds (`genes`, `evidence`, `annotations`), for CSV, TSV and Parquet.
    pub table: Option<String>,
    /// The column dictionary (on the CSV file of each table only).
    pub columns: Vec<Column>,
}
