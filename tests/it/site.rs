//! The renderer at full size: a synthetic 5,000-gene set (`tests/testkit/site.rs`, scored by
//! the real scorer) must fit the page-weight budgets. The renderer's other tests run on the
//! real-pipeline fixture (`src/site/tests.rs`).

use std::fs;
use std::path::Path;

use kgdb::registry::Registry;
use kgdb::site::{GENE_PAGE_BUDGET, render};

use crate::support::repo;
use crate::testkit_site::synthetic;

/// Every gene page below `dir` (file names).
fn gene_pages(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".html"))
        .collect();
    v.sort();
    v
}

#[test]
fn synthetic_5000_genes_fit_the_page_weight_budgets() {
    let data = synthetic(5000);
    assert_eq!(data.genes.len(), 5000);
    let heavy = &data.genes[0];
    let pubtator = heavy.breakdown.iter().find(|b| b.source == "pubtator");
    assert_eq!(pubtator.map(|b| b.measure), Some(900.0));
    // Scored by the real scorer: the heavy genes reach the top tier.
    assert_eq!(heavy.summary.tier, "comprehensive_support");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let registry = Registry::load(&repo().join("sources.yaml")).expect("sources.yaml is valid");
    render(&data, &registry, &out).unwrap();
    // Recompute the weights from the files (not only the report).
    let gz = |rel: &str| {
        let bytes = fs::read(out.join(rel)).unwrap();
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut e, &bytes).unwrap();
        e.finish().unwrap().len()
    };
    let index = gz("index.html") + gz("site.css") + gz("table.js") + gz("data.js");
    eprintln!("index page with JS, CSS and 5,000 genes: {index} bytes gzip");
    assert!(index < 250 * 1024, "index weight {index} bytes gzip");
    // The optional annotation columns load ann.js on demand; with it the page still fits.
    let ann = gz("ann.js");
    eprintln!("ann.js (optional columns, on demand): {ann} bytes gzip");
    assert!(
        ann > 10 * 1024,
        "ann.js only {ann} bytes: the columns are missing"
    );
    assert!(
        index + ann < 250 * 1024,
        "index with ann.js {} bytes gzip",
        index + ann
    );
    let pages = gene_pages(&out.join("genes"));
    assert_eq!(pages.len(), 5000);
    let mut largest = 0;
    for f in pages {
        let len = fs::metadata(out.join("genes").join(&f)).unwrap().len();
        assert!(len < GENE_PAGE_BUDGET, "{f}: {len} bytes");
        largest = largest.max(len);
    }
    eprintln!("largest gene page: {largest} bytes");
    // The heaviest genes really are heavy (the budget is not met by rendering nothing).
    assert!(
        largest > 30 * 1024,
        "largest gene page only {largest} bytes"
    );
}
