//! kgdb: the Kidney-Genetics Database as one batch pipeline.
//!
//! Stages (each a module, each reading what the previous stored in SQLite):
//! [`fetch`] upstream files politely, parse them per [`sources`] into staged rows,
//! [`normalize`] every gene to an HGNC ID, then score and build (later stages).
//! The binary (`src/main.rs`, `src/cli.rs`) only parses arguments and picks a [`report`]er;
//! everything else lives here: each subcommand in [`cmd`], one module per verb, on top of
//! the stages.

pub mod annotations;
pub mod archive;
pub mod changes;
pub mod cmd;
pub mod config;
pub mod curation;
pub mod evidence;
pub mod fetch;
pub mod gene_annotations;
pub mod lock;
pub mod mcp;
pub mod network;
pub mod network_data;
pub mod normalize;
pub mod parquet;
pub mod registry;
pub mod report;
pub mod score;
pub mod site;
pub mod site_data;
pub mod source_state;
pub mod sources;
pub mod store;

/// The kgdb version, recorded with every run and sent in the User-Agent.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Process exit codes (ARCHITECTURE.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything requested succeeded.
    Ok = 0,
    /// At least one source failed; the others (and the last good data) were used.
    /// `kgdb gene` also uses it for "no gene matched".
    Degraded = 1,
    /// Nothing usable was produced.
    Fatal = 2,
    /// Bad command line.
    Usage = 64,
    /// Bad sources.yaml.
    Config = 78,
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(e as u8)
    }
}
