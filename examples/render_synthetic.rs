//! Renders N synthetic genes shaped like the real set (`tests/testkit/site.rs`) into a
//! folder: page weights and build time at full size (5,000 genes; 20,000 for headroom)
//! without the store or the network. The browser test's site is built by the real pipeline
//! instead (`scripts/browser_site.sh`).
//!
//! `cargo run --example render_synthetic -- OUT [N]` (N defaults to 5000).

use std::path::PathBuf;
use std::process::ExitCode;

#[path = "../tests/testkit/site.rs"]
mod testkit_site;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first() else {
        eprintln!("usage: render_synthetic OUT [N]");
        return ExitCode::from(64);
    };
    let n = match args.get(1).map(|n| n.parse::<usize>()) {
        None => 5000,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("N must be a number of genes: {e}");
            return ExitCode::from(64);
        }
    };
    let data = testkit_site::synthetic(n);
    let registry = match kgdb::registry::Registry::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sources.yaml"
    ))) {
        Ok(r) => r,
        Err(e) => {
            eprint!("{e}");
            return ExitCode::from(78);
        }
    };
    match kgdb::site::render(&data, &registry, &PathBuf::from(out)) {
        Ok(r) => {
            println!(
                "{}: {} genes, {} files, {} bytes; index + JS + CSS + data gzip {} bytes; largest gene page {:?}; {} gene pages over budget; {} ms",
                r.out.display(),
                r.genes,
                r.files,
                r.bytes,
                r.index_gzip_bytes,
                r.largest_gene_page,
                r.gene_pages_over_budget.len(),
                r.elapsed_ms
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("render failed: {e}");
            ExitCode::from(2)
        }
    }
}
