//! Scoring benchmark: ~5,000 genes and ~14,500 evidence rows of synthetic evidence (the size
//! of a real run) through `score`, plus the TSV and JSON exports.
//!
//! Run with `cargo bench --bench score` (harness = false: a plain timing loop, no extra
//! dependency). Prints the median of the timed iterations.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use kgdb::registry::Registry;
use kgdb::score::{score, to_json, to_tsv};

#[path = "../tests/testkit/evidence.rs"]
mod testkit_evidence;
use testkit_evidence::synthetic_evidence;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(name: &str, iterations: usize, mut f: impl FnMut() -> T) {
    black_box(f()); // warm-up
    let runs: Vec<Duration> = (0..iterations)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed()
        })
        .collect();
    println!(
        "{name:<24} median {:?} over {iterations} runs",
        median(runs)
    );
}

fn main() {
    // `cargo test --all-targets` runs bench targets too; measure only under `cargo bench`.
    if !std::env::args().any(|a| a == "--bench") {
        println!("score: run with `cargo bench --bench score` to measure");
        return;
    }
    let registry = Registry::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sources.yaml"
    )))
    .expect("sources.yaml is valid");
    let settings = registry.scoring_settings();
    let evidence = synthetic_evidence(5_000, 42);
    println!("{} evidence rows", evidence.len());

    time("score", 20, || score(&evidence, &settings).expect("scores"));
    let scores = score(&evidence, &settings).expect("scores");
    println!("{} genes scored", scores.len());
    time("to_tsv", 20, || to_tsv(&scores, &settings));
    time("to_json", 20, || to_json(&scores));
}
