//! The polars half of scoring (the only polars code in the crate): per-source mid-rank
//! percentiles (a window over each source) and per-gene totals (a group-by).

use polars::prelude::*;

/// Evidence rows as columns, sorted by (gene, src).
pub(super) struct Rows {
    /// HGNC number.
    pub gene: Vec<u32>,
    /// Index of the source in the considered sources.
    pub src: Vec<u32>,
    /// The measure of a percentile row with measure > 0 (the rows that are ranked).
    pub key: Vec<Option<f64>>,
    /// The classification weight of a classification row.
    pub weight: Vec<Option<f64>>,
    /// Percentile (true) or classification (false) row.
    pub percentile: Vec<bool>,
    /// Whether the source is one of the N scoring sources.
    pub counted: Vec<bool>,
}

/// Per evidence row, in input order.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Ranked {
    pub rank: Option<f64>,
    pub n: u32,
    pub s: f64,
}

/// Per gene, sorted by HGNC number.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Total {
    pub gene: u32,
    pub percentage: f64,
    pub source_count: u32,
}

pub(super) fn compute(rows: Rows, n_sources: usize) -> PolarsResult<(Vec<Ranked>, Vec<Total>)> {
    let height = rows.gene.len();
    if height == 0 {
        return Ok((Vec::new(), Vec::new()));
    }
    let df = DataFrame::new(
        height,
        vec![
            Column::new("gene".into(), rows.gene),
            Column::new("src".into(), rows.src),
            Column::new("key".into(), rows.key),
            Column::new("weight".into(), rows.weight),
            Column::new("percentile".into(), rows.percentile),
            Column::new("counted".into(), rows.counted),
        ],
    )?;
    let mid_rank = RankOptions {
        method: RankMethod::Average,
        descending: false,
    };
    let ranked = df
        .lazy()
        .with_columns([
            // Nulls (measure 0, classification rows) are neither ranked nor counted.
            col("key")
                .rank(mid_rank, None)
                .over([col("src")])?
                .cast(DataType::Float64)
                .alias("rank"),
            col("key")
                .count()
                .over([col("src")])?
                .cast(DataType::UInt32)
                .alias("ranked"),
            len()
                .over([col("src")])?
                .cast(DataType::UInt32)
                .alias("rows"),
        ])
        .with_columns([
            when(col("percentile"))
                .then(col("ranked"))
                .otherwise(col("rows"))
                .alias("n"),
            when(col("percentile"))
                .then(col("rank") / col("ranked").cast(DataType::Float64))
                .otherwise(col("weight"))
                .fill_null(lit(0.0))
                .alias("s"),
        ])
        .collect()?;

    let totals = ranked
        .clone()
        .lazy()
        .group_by([col("gene")])
        .agg([
            col("s")
                .filter(col("counted"))
                .sum()
                .fill_null(lit(0.0))
                .alias("sum_s"),
            col("s")
                .gt(lit(0.0))
                .and(col("counted"))
                .sum()
                .cast(DataType::UInt32)
                .alias("source_count"),
        ])
        .with_column((lit(100.0) * col("sum_s") / lit(n_sources as f64)).alias("percentage"))
        .sort(["gene"], SortMultipleOptions::default())
        .collect()?;

    let rank = ranked.column("rank")?.f64()?;
    let n = ranked.column("n")?.u32()?;
    let s = ranked.column("s")?.f64()?;
    let per_row = rank
        .iter()
        .zip(n.iter())
        .zip(s.iter())
        .map(|((rank, n), s)| Ranked {
            rank,
            n: n.unwrap_or(0),
            s: s.unwrap_or(0.0),
        })
        .collect();

    let gene = totals.column("gene")?.u32()?;
    let percentage = totals.column("percentage")?.f64()?;
    let source_count = totals.column("source_count")?.u32()?;
    let per_gene = gene
        .iter()
        .zip(percentage.iter())
        .zip(source_count.iter())
        .filter_map(|((gene, percentage), count)| {
            Some(Total {
                gene: gene?,
                percentage: percentage.unwrap_or(0.0),
                source_count: count.unwrap_or(0),
            })
        })
        .collect();
    Ok((per_row, per_gene))
}
