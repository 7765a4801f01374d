//! Writes the site unit tests' fixture (`tests/fixtures/site_data.json`): the [`SiteData`] of
//! a few real genes, loaded from a data folder the real pipeline filled, exactly the way
//! `kgdb build` loads it.
//!
//! Why: the renderer's unit tests and snapshots must see what the real scorer produces, so
//! the fixture can never drift from the scorer; `just site-fixture` regenerates it (the
//! pipeline on the offline mirror, then this program).
//!
//! `cargo run --example site_fixture -- CONFIG DATA_DIR OUT.json SYMBOL…`
//!
//! Every source, method and annotation source is kept; only the genes are narrowed to the
//! given symbols (all must be scored). Release, build time and the retrieval times (each
//! source's last success and download times, which are the wall clock of the run) are fixed
//! strings, so the fixture changes only when the data, the scorer or the loader does.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use kgdb::registry::Registry;
use kgdb::site::model::{DownloadInfo, SiteData};
use kgdb::store::Store;

/// Fixed, so regenerating the fixture does not churn it.
const RELEASE: &str = "2026.06.21";
const BUILD_TIME: &str = "2026-06-21T03:00:00Z";
/// Stands for every retrieval time (last success, download time) of the run.
const RETRIEVED: &str = "2026-06-21T02:00:00Z";

#[derive(Debug, thiserror::Error)]
enum FixtureError {
    #[error("{0}")]
    Config(#[from] kgdb::config::ConfigError),
    #[error("opening the store in {dir}: {source}")]
    Store {
        dir: PathBuf,
        source: kgdb::store::StoreError,
    },
    #[error("loading the site data: {0}")]
    Load(#[from] kgdb::site_data::SiteDataError),
    #[error("not scored in this data: {0}")]
    Missing(String),
    #[error("writing {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("serializing the fixture: {0}")]
    Json(#[from] serde_json::Error),
}

fn fixture(config: &Path, data_dir: &Path, symbols: &[String]) -> Result<SiteData, FixtureError> {
    let registry = Registry::load(config)?;
    let store = Store::open(data_dir).map_err(|source| FixtureError::Store {
        dir: data_dir.to_path_buf(),
        source,
    })?;
    let mut data = kgdb::site_data::load(&registry, &store, RELEASE, BUILD_TIME)?;
    let missing: Vec<&str> = symbols
        .iter()
        .filter(|s| !data.genes.iter().any(|g| &g.summary.symbol == *s))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        return Err(FixtureError::Missing(missing.join(", ")));
    }
    data.genes.retain(|g| symbols.contains(&g.summary.symbol));
    for s in &mut data.sources {
        pin_times(&mut s.last_success, &mut s.downloads);
    }
    for a in &mut data.annotation_sources {
        pin_times(&mut a.last_success, &mut a.downloads);
    }
    Ok(data)
}

/// Replace a source's retrieval times (the run's wall clock) by [`RETRIEVED`].
fn pin_times(last_success: &mut Option<String>, downloads: &mut [DownloadInfo]) {
    if let Some(t) = last_success {
        *t = RETRIEVED.to_string();
    }
    for d in downloads {
        d.fetched_at = RETRIEVED.to_string();
    }
}

fn run(args: &[String]) -> Result<usize, FixtureError> {
    let (config, data_dir, out) = (&args[0], &args[1], PathBuf::from(&args[2]));
    let data = fixture(Path::new(config), Path::new(data_dir), &args[3..])?;
    let mut json = serde_json::to_string_pretty(&data)?;
    json.push('\n');
    std::fs::write(&out, json).map_err(|source| FixtureError::Write { path: out, source })?;
    Ok(data.genes.len())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 4 {
        eprintln!("usage: site_fixture CONFIG DATA_DIR OUT.json SYMBOL...");
        return ExitCode::from(64);
    }
    match run(&args) {
        Ok(n) => {
            println!("{}: {n} genes", args[2]);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("site_fixture: {e}");
            ExitCode::from(2)
        }
    }
}
