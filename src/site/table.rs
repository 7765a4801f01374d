//! The downloads' tables as typed columns, for binary formats (Parquet) that keep types.
//!
//! Why a module of its own: genes.csv, evidence.csv and annotations.csv are written from
//! text fields in the order of their column dictionary ([`super::downloads`]); a typed copy of
//! the same table is derived here from those very fields and the dictionary's kinds
//! (`number` → float, `integer` → integer, `boolean` → boolean, `list` → list of strings split
//! at `|`, `text` → string; an empty cell is null, an empty list cell the empty list). So the
//! typed file cannot say anything the CSV does not, and a value the CSV holds that does not
//! fit its declared kind fails the build instead of being written wrong.
//!
//! The encoding itself (polars' Parquet writer) is I/O at the edge: the renderer gets it as a
//! [`TableEncoder`] (see `crate::parquet`), so the site's core stays a pure function of the
//! data.

use super::files::Column;

/// One column's values, in row order.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    Text(Vec<Option<String>>),
    List(Vec<Vec<String>>),
    Number(Vec<Option<f64>>),
    Integer(Vec<Option<i64>>),
    Boolean(Vec<Option<bool>>),
}

impl Values {
    fn new(kind: &str, rows: usize) -> Result<Self, String> {
        Ok(match kind {
            "text" => Values::Text(Vec::with_capacity(rows)),
            "list" => Values::List(Vec::with_capacity(rows)),
            "number" => Values::Number(Vec::with_capacity(rows)),
            "integer" => Values::Integer(Vec::with_capacity(rows)),
            "boolean" => Values::Boolean(Vec::with_capacity(rows)),
            other => return Err(format!("unknown column kind `{other}`")),
        })
    }

    fn push(&mut self, cell: String) -> Result<(), String> {
        let empty = cell.is_empty();
        match self {
            Values::Text(v) => v.push((!empty).then_some(cell)),
            Values::List(v) => v.push(if empty {
                Vec::new()
            } else {
                cell.split('|').map(str::to_string).collect()
            }),
            Values::Number(v) => v.push(if empty {
                None
            } else {
                Some(
                    cell.parse::<f64>()
                        .map_err(|_| format!("`{cell}` is not a number"))?,
                )
            }),
            Values::Integer(v) => v.push(if empty {
                None
            } else {
                Some(
                    cell.parse::<i64>()
                        .map_err(|_| format!("`{cell}` is not an integer"))?,
                )
            }),
            Values::Boolean(v) => v.push(match cell.as_str() {
                "" => None,
                "true" => Some(true),
                "false" => Some(false),
                _ => return Err(format!("`{cell}` is not true or false")),
            }),
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        match self {
            Values::Text(v) => v.len(),
            Values::List(v) => v.len(),
            Values::Number(v) => v.len(),
            Values::Integer(v) => v.len(),
            Values::Boolean(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A download as typed columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The file's stem (`genes`, `evidence`, `annotations`).
    pub name: String,
    pub columns: Vec<(String, Values)>,
}

impl Table {
    /// The typed table of `rows` (text fields in `columns` order, as the CSV writes them).
    pub fn from_fields(
        name: &str,
        columns: &[Column],
        rows: impl Iterator<Item = Vec<String>>,
    ) -> Result<Table, String> {
        let mut values = columns
            .iter()
            .map(|c| Values::new(c.kind, 0).map_err(|e| format!("column {}: {e}", c.name)))
            .collect::<Result<Vec<_>, _>>()?;
        for (i, row) in rows.enumerate() {
            if row.len() != columns.len() {
                return Err(format!(
                    "row {}: {} fields for {} columns",
                    i + 1,
                    row.len(),
                    columns.len()
                ));
            }
            for ((cell, v), c) in row.into_iter().zip(values.iter_mut()).zip(columns) {
                v.push(cell)
                    .map_err(|e| format!("row {}, column {}: {e}", i + 1, c.name))?;
            }
        }
        Ok(Table {
            name: name.to_string(),
            columns: columns.iter().map(|c| c.name.clone()).zip(values).collect(),
        })
    }

    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |(_, v)| v.len())
    }
}

/// Encodes a [`Table`] as a binary file (Parquet: `crate::parquet::Parquet`).
pub trait TableEncoder: Sync {
    /// The file extension, without the dot (`parquet`).
    fn extension(&self) -> &'static str;
    /// The file's bytes.
    fn encode(&self, table: &Table) -> Result<Vec<u8>, String>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str, kind: &'static str) -> Column {
        Column {
            name: name.into(),
            kind,
            description: String::new(),
        }
    }

    #[test]
    fn cells_become_typed_values_and_empty_cells_nulls() {
        let cols = [
            col("id", "text"),
            col("aliases", "list"),
            col("score", "number"),
            col("n", "integer"),
            col("ok", "boolean"),
        ];
        let rows = vec![
            vec![
                "HGNC:1".into(),
                "A|B".into(),
                "0.5".into(),
                "3".into(),
                "true".into(),
            ],
            vec!["".into(), "".into(), "".into(), "".into(), "".into()],
        ];
        let t = Table::from_fields("genes", &cols, rows.into_iter()).unwrap();
        assert_eq!(t.rows(), 2);
        assert_eq!(
            t.columns[0].1,
            Values::Text(vec![Some("HGNC:1".into()), None])
        );
        assert_eq!(
            t.columns[1].1,
            Values::List(vec![vec!["A".into(), "B".into()], vec![]])
        );
        assert_eq!(t.columns[2].1, Values::Number(vec![Some(0.5), None]));
        assert_eq!(t.columns[3].1, Values::Integer(vec![Some(3), None]));
        assert_eq!(t.columns[4].1, Values::Boolean(vec![Some(true), None]));
    }

    #[test]
    fn a_cell_that_does_not_fit_its_kind_is_an_error() {
        let cols = [col("n", "integer")];
        let err =
            Table::from_fields("t", &cols, vec![vec!["1.5".to_string()]].into_iter()).unwrap_err();
        assert!(err.contains("row 1, column n"), "{err}");
        let err = Table::from_fields("t", &[col("x", "blob")], std::iter::empty()).unwrap_err();
        assert!(err.contains("unknown column kind"), "{err}");
    }
}
