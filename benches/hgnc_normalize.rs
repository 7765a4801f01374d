//! `just bench` / `cargo bench --bench hgnc_normalize`: HGNC load + normalizing 20,000 staged
//! symbols, on the real HGNC complete set in ../shared. Prints wall times per step and the
//! peak resident memory of the process (VmHWM).
//!
//! Not a criterion bench: the steps are seconds-scale and stateful (a fresh SQLite store
//! each round); we report the median of 5 rounds.

use std::path::Path;
use std::time::{Duration, Instant};

use kgdb::cmd::normalize::normalize_identities;
use kgdb::normalize::Normalizer;
use kgdb::sources::hgnc;
use kgdb::store::{DownloadRecord, Store};

fn vm_hwm_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// 20,000 reported symbols drawn from the real set: approved (in lower case), previous
/// symbols, aliases, and unknown strings, interleaved deterministically.
fn workload(genes: &[hgnc::HgncGene]) -> Vec<String> {
    let mut out = Vec::with_capacity(20_000);
    let mut i = 0usize;
    while out.len() < 20_000 {
        let g = &genes[(i * 7919) % genes.len()];
        let s = match i % 4 {
            0 => g.symbol.to_lowercase(),
            1 => g
                .prev_symbols
                .first()
                .cloned()
                .unwrap_or_else(|| g.symbol.clone()),
            2 => g
                .alias_symbols
                .first()
                .cloned()
                .unwrap_or_else(|| g.symbol.clone()),
            _ => format!("NOTAGENE{i}"),
        };
        out.push(s);
        i += 1;
    }
    out
}

fn main() {
    // `cargo test --all-targets` runs bench targets too; measure only under `cargo bench`.
    if !std::env::args().any(|a| a == "--bench") {
        println!("hgnc_normalize: run with `cargo bench --bench hgnc_normalize` to measure");
        return;
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/raw/hgnc/hgnc_complete_set.2024-10-18.txt.gz");
    let gz = std::fs::read(&path).expect("the real HGNC file in ../shared");
    let (mut t_gunzip, mut t_parse, mut t_load, mut t_index, mut t_norm, mut t_total) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let mut genes_n = 0;
    for _round in 0..5 {
        let dir = tempfile::tempdir().expect("tempdir");
        let lock = kgdb::lock::RunLock::acquire(dir.path(), "bench").expect("lock");
        let store = Store::open_for_writing(&lock).expect("store");
        let run = store.begin_run("bench", "bench").expect("run");

        let t0 = Instant::now();
        let bytes = kgdb::fetch::gunzip(&gz).expect("gunzip");
        let t1 = Instant::now();
        let genes = hgnc::parse(&bytes).expect("parse");
        let t2 = Instant::now();
        let rec = DownloadRecord {
            id: 0,
            source: "hgnc".into(),
            url: "https://example.org/hgnc_complete_set.txt".into(),
            final_url: "https://example.org/hgnc_complete_set.txt".into(),
            http_status: 200,
            etag: None,
            last_modified: None,
            sha256: "0".repeat(64),
            bytes: bytes.len() as u64,
            stored_path: "raw/hgnc/x.gz".into(),
            fetched_at: kgdb::store::now_utc(),
            not_modified: false,
            upstream_version: None,
        };
        store
            .load_hgnc(run, &[rec], &genes, &[], None, "bench")
            .expect("load");
        let t3 = Instant::now();
        genes_n = genes.len();

        // Stage the workload (not timed: that is the sources' job).
        let symbols = workload(&genes);
        {
            let tx = store.conn().unchecked_transaction().unwrap();
            let mut ins = tx
                .prepare("INSERT INTO staged (source, record_key, reported_symbol, details) VALUES ('bench', ?1, ?2, '{}')")
                .unwrap();
            for (i, s) in symbols.iter().enumerate() {
                ins.execute(rusqlite::params![i.to_string(), s]).unwrap();
            }
            drop(ins);
            tx.commit().unwrap();
        }

        let t4 = Instant::now();
        let n = Normalizer::new(store.hgnc_genes().expect("genes"), vec![]);
        let t5 = Instant::now();
        let ids = store.staged_identities().expect("ids");
        let results = normalize_identities(&n, &ids);
        store.save_normalization(run, &results).expect("save");
        let t6 = Instant::now();
        let resolved = results
            .iter()
            .filter(|(_, e)| e.outcome == "resolved")
            .count();
        assert!(resolved > 10_000, "only {resolved} resolved");

        t_gunzip.push(t1 - t0);
        t_parse.push(t2 - t1);
        t_load.push(t3 - t2);
        t_index.push(t5 - t4);
        t_norm.push(t6 - t5);
        t_total.push((t3 - t0) + (t6 - t4));
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "HGNC complete set 2024-10-18: {genes_n} genes; 20,000 staged symbols; median of 5 rounds"
    );
    println!(
        "  gunzip                      {:8.1} ms",
        ms(median(t_gunzip))
    );
    println!(
        "  parse TSV                   {:8.1} ms",
        ms(median(t_parse))
    );
    println!(
        "  load into SQLite            {:8.1} ms",
        ms(median(t_load))
    );
    println!(
        "  build normalizer from store {:8.1} ms",
        ms(median(t_index))
    );
    println!(
        "  normalize + log 20,000      {:8.1} ms",
        ms(median(t_norm))
    );
    println!(
        "  total (load + normalize)    {:8.1} ms",
        ms(median(t_total))
    );
    println!("  peak RSS (VmHWM)            {:8.1} MB", vm_hwm_mb());
}
