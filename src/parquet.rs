//! The Parquet encoder of the downloads' typed tables (`genes.parquet`, `evidence.parquet`,
//! `annotations.parquet`), written with polars.
//!
//! Why here, outside [`crate::site`]: the renderer is a pure function of the data and knows
//! nothing of polars; it derives each table's typed columns ([`Table`]) and hands them to a
//! [`TableEncoder`]. Encoding them as Parquet is I/O at the edge, so `kgdb build` passes this
//! encoder in. One table is encoded at a time (a few MB at most), and its frame is dropped
//! before the next.

use polars::prelude::*;

use crate::site::table::{Table, TableEncoder, Values};

/// Writes a [`Table`] as Parquet (zstd, one row group), lists as `list[str]` columns.
pub struct Parquet;

fn column(name: &str, values: &Values) -> Column {
    let name: PlSmallStr = name.into();
    match values {
        Values::Text(v) => Column::new(name, v),
        Values::Number(v) => Column::new(name, v),
        Values::Integer(v) => Column::new(name, v),
        Values::Boolean(v) => Column::new(name, v),
        Values::List(v) => {
            let items: Vec<Series> = v
                .iter()
                .map(|l| Series::new(PlSmallStr::EMPTY, l.as_slice()))
                .collect();
            let mut s = Series::new(name, items);
            // An all-empty list column would be list[null]: say it holds strings.
            if let Ok(cast) = s.cast(&DataType::List(Box::new(DataType::String))) {
                s = cast;
            }
            s.into_column()
        }
    }
}

impl Parquet {
    /// The table as a polars frame.
    pub fn frame(table: &Table) -> Result<DataFrame, PolarsError> {
        let columns: Vec<Column> = table
            .columns
            .iter()
            .map(|(name, v)| column(name, v))
            .collect();
        DataFrame::new(table.rows(), columns)
    }
}

impl TableEncoder for Parquet {
    fn extension(&self) -> &'static str {
        "parquet"
    }

    fn encode(&self, table: &Table) -> Result<Vec<u8>, String> {
        let mut df = Parquet::frame(table).map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        ParquetWriter::new(&mut out)
            .with_compression(ParquetCompression::Zstd(None))
            .finish(&mut df)
            .map_err(|e| e.to_string())?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::table::Values;

    #[test]
    fn a_table_round_trips_through_parquet_with_its_types() {
        let table = Table {
            name: "genes".into(),
            columns: vec![
                (
                    "hgnc_id".into(),
                    Values::Text(vec![Some("HGNC:9008".into()), Some("HGNC:9009".into())]),
                ),
                (
                    "alias_symbols".into(),
                    Values::List(vec![vec!["PBP".into(), "Pc-1".into()], vec![]]),
                ),
                (
                    "percentage".into(),
                    Values::Number(vec![Some(91.4286), None]),
                ),
                (
                    "source_count".into(),
                    Values::Integer(vec![Some(7), Some(0)]),
                ),
                ("classic".into(), Values::Boolean(vec![Some(true), None])),
            ],
        };
        let bytes = Parquet.encode(&table).unwrap();
        assert_eq!(&bytes[..4], b"PAR1");
        let df = ParquetReader::new(std::io::Cursor::new(bytes))
            .finish()
            .unwrap();
        assert_eq!(df.height(), 2);
        let dtypes: Vec<DataType> = df.dtypes();
        assert_eq!(
            dtypes,
            vec![
                DataType::String,
                DataType::List(Box::new(DataType::String)),
                DataType::Float64,
                DataType::Int64,
                DataType::Boolean,
            ]
        );
        let aliases = df.column("alias_symbols").unwrap().list().unwrap().clone();
        let first = aliases.get_as_series(0).unwrap();
        let first = first.str().unwrap();
        assert_eq!(
            (0..first.len()).map(|i| first.get(i)).collect::<Vec<_>>(),
            vec![Some("PBP"), Some("Pc-1")]
        );
        assert_eq!(aliases.get_as_series(1).unwrap().len(), 0);
        let pct = df.column("percentage").unwrap().f64().unwrap();
        assert_eq!(pct.get(0), Some(91.4286));
        assert_eq!(pct.get(1), None);
    }

    /// The fixture site built with this encoder: each Parquet file holds exactly the rows of
    /// its CSV, typed as datapackage.json says.
    #[test]
    fn the_fixture_sites_parquet_files_hold_the_csv_rows_typed() {
        let data: crate::site::model::SiteData =
            serde_json::from_str(include_str!("../tests/fixtures/site_data.json")).unwrap();
        let registry = crate::registry::Registry::load(
            concat!(env!("CARGO_MANIFEST_DIR"), "/sources.yaml").as_ref(),
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        crate::site::render_with(&data, &registry, &[&Parquet], &out).unwrap();
        let down = out.join("downloads");
        let package: serde_json::Value =
            serde_json::from_slice(&std::fs::read(down.join("datapackage.json")).unwrap()).unwrap();
        let mut lists = 0;
        for table in ["genes", "evidence", "annotations"] {
            let res = package["resources"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["name"] == table)
                .unwrap();
            let kinds: Vec<&str> = res["schema"]["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["type"].as_str().unwrap())
                .collect();
            let df = ParquetReader::new(
                std::fs::File::open(down.join(format!("{table}.parquet"))).unwrap(),
            )
            .finish()
            .unwrap();
            let mut rdr = csv::Reader::from_path(down.join(format!("{table}.csv"))).unwrap();
            let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
            let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
            let names: Vec<String> = df
                .get_column_names()
                .iter()
                .map(|n| n.to_string())
                .collect();
            assert_eq!(names, header, "{table}");
            assert_eq!(df.height(), rows.len(), "{table}");
            assert!(!rows.is_empty());
            for (i, (name, kind)) in header.iter().zip(&kinds).enumerate() {
                let c = df.column(name).unwrap();
                for (r, row) in rows.iter().enumerate() {
                    let cell = &row[i];
                    let at = format!("{table}.{name} row {r}");
                    match *kind {
                        "list" => {
                            lists += 1;
                            let items = c.list().unwrap().get_as_series(r).unwrap();
                            let items = items.str().unwrap();
                            let got: Vec<String> = (0..items.len())
                                .map(|k| items.get(k).unwrap().to_string())
                                .collect();
                            let want: Vec<String> = if cell.is_empty() {
                                Vec::new()
                            } else {
                                cell.split('|').map(String::from).collect()
                            };
                            assert_eq!(got, want, "{at}");
                        }
                        "number" => assert_eq!(
                            c.f64().unwrap().get(r),
                            (!cell.is_empty()).then(|| cell.parse::<f64>().unwrap()),
                            "{at}"
                        ),
                        "integer" => assert_eq!(
                            c.i64().unwrap().get(r),
                            (!cell.is_empty()).then(|| cell.parse::<i64>().unwrap()),
                            "{at}"
                        ),
                        "boolean" => assert_eq!(
                            c.bool().unwrap().get(r),
                            (!cell.is_empty()).then(|| cell == "true"),
                            "{at}"
                        ),
                        _ => assert_eq!(
                            c.str().unwrap().get(r),
                            (!cell.is_empty()).then_some(cell),
                            "{at}"
                        ),
                    }
                }
            }
        }
        assert!(lists > 0, "no list column compared");
    }
}
