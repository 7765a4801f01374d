//! Renders the hand-written sample site (six real genes, plausible evidence; see
//! `kgdb::site::sample`) into a folder, for the browser test and for looking at the pages
//! without the store or the network.
//!
//! `cargo run --example render_sample -- OUT [--synthetic N]`: with `--synthetic N`, renders
//! N synthetic genes shaped like the real set instead (page weights, build time).

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first() else {
        eprintln!("usage: render_sample OUT [--synthetic N]");
        return ExitCode::from(64);
    };
    let data = match args.get(1).map(String::as_str) {
        Some("--synthetic") => {
            let n = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(5000);
            kgdb::site::sample::synthetic(n)
        }
        Some(other) => {
            eprintln!("unknown argument {other:?}");
            return ExitCode::from(64);
        }
        None => kgdb::site::sample::site_data(),
    };
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
