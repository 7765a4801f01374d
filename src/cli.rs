//! Command-line types (clap derive) and the few facts read off them (which reporter, which
//! sources may drop).

use std::{io::IsTerminal, path::PathBuf, sync::Arc};

use clap::{Parser, Subcommand, ValueEnum};
use kgdb::report::{Bars, JsonLines, Plain, Reporter, Silent};

/// kgdb: the Kidney-Genetics Database as a batch pipeline and a static site.
///
/// Fetches the evidence sources, normalizes every gene to HGNC, scores them and builds
/// the site. Exit codes: 0 ok, 1 degraded (a source failed; last good data used),
/// 2 fatal, 64 usage, 78 config.
#[derive(Debug, Parser)]
#[command(name = "kgdb", version, about, long_about)]
pub struct Cli {
    /// The sources file.
    #[arg(
        short,
        long,
        global = true,
        default_value = "sources.yaml",
        env = "KGDB_CONFIG"
    )]
    pub config: PathBuf,

    /// Working data: the SQLite database and stored downloads.
    #[arg(
        short,
        long,
        global = true,
        default_value = "data",
        env = "KGDB_DATA_DIR"
    )]
    pub data_dir: PathBuf,

    /// Fetch every upstream URL from this mirror instead (https://HOST/PATH -> URL/HOST/PATH).
    #[arg(long, global = true, value_name = "URL", env = "KGDB_MIRROR")]
    pub mirror: Option<String>,

    /// Make no request: rebuild each source from its newest stored download.
    #[arg(long, global = true)]
    pub offline: bool,

    /// More detail (each request); repeat for debug logs.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Only errors and the final result.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// How progress is shown: bars on a terminal, plain lines otherwise (auto), or JSON lines.
    #[arg(long, global = true, value_enum, default_value_t = Progress::Auto)]
    pub progress: Progress,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Progress {
    Auto,
    Bars,
    Plain,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Download sources (all enabled ones by default) and stage their rows.
    Fetch {
        /// Sources to fetch: hgnc, panelapp_uk, panelapp_au, clingen, gencc, hpo, pubtator,
        /// literature, diagnostic_panels.
        sources: Vec<String>,
        /// Store this source's rows even when they fall by more than `guards.max_row_drop`
        /// against its last good load (repeatable).
        #[arg(long, value_name = "SOURCE")]
        accept_drop: Vec<String>,
    },
    /// Map every staged gene to an HGNC ID and write the audit log.
    Normalize,
    /// Compute evidence, per-source scores, totals and tiers.
    Score,
    /// Render the static site and the downloads (atomically: never a half site).
    Build {
        /// Output folder.
        #[arg(short, long, default_value = "site")]
        output: PathBuf,
    },
    /// Fetch, normalize, score and build: the nightly job.
    Run {
        /// Output folder.
        #[arg(short, long, default_value = "site")]
        output: PathBuf,
        /// Print the run summary as JSON on stdout (for monitoring).
        #[arg(long)]
        json: bool,
        /// Store this source's rows even when they fall by more than `guards.max_row_drop`
        /// against its last good load (repeatable).
        #[arg(long, value_name = "SOURCE")]
        accept_drop: Vec<String>,
    },
    /// Show per source the last success, upstream version, rows, age and last error.
    Status {
        /// Print one JSON document on stdout instead of the table (same exit code).
        #[arg(long)]
        json: bool,
    },
    /// List what needs a curator: unresolved and ambiguous names, stale decisions.
    Review {
        /// Print commented YAML stubs to append to curation.yaml instead of the list.
        #[arg(long)]
        yaml: bool,
    },
    /// Free disk space: remove raw downloads and archived files that no kept release and no
    /// current source run needs (a dry run unless --yes).
    Gc {
        /// Keep only the newest N releases in the archive (N ≥ 1; default: keep every
        /// release).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        keep: Option<u64>,
        /// Delete (without it, only list what would be deleted and how many bytes).
        #[arg(long)]
        yes: bool,
    },
    /// Look a gene up by symbol, alias, previous symbol, HGNC, Entrez or Ensembl ID.
    Gene {
        /// e.g. PKD1, WDR60, HGNC:9008, 5310, ENSG00000008710
        query: String,
    },
    /// Serve the database to AI assistants (Model Context Protocol), read-only: over stdio,
    /// or Streamable HTTP with --http; from the data folder, or a built site with --site.
    Mcp {
        /// Serve Streamable HTTP at http://ADDR/mcp instead of stdio (e.g. 127.0.0.1:8765).
        #[arg(long, value_name = "ADDR")]
        http: Option<String>,
        /// Serve this built site folder (its downloads/ and genes/ JSON) instead of the
        /// data folder; needs no config and no database.
        #[arg(long, value_name = "DIR")]
        site: Option<PathBuf>,
    },
    /// Print a shell completion script: bash, zsh, fish, elvish or powershell.
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: kgdb::cmd::completions::Shell,
    },
    /// Print the man page (roff); `just man` writes it to target/man/kgdb.1.
    #[command(hide = true)]
    Man,
}

impl Command {
    /// `--accept-drop` of the commands that fetch (empty for the others).
    pub fn accept_drop(&self) -> &[String] {
        match self {
            Command::Fetch { accept_drop, .. } | Command::Run { accept_drop, .. } => accept_drop,
            _ => &[],
        }
    }
}

impl Cli {
    /// How progress is shown: `-q` silences it, `--progress` chooses, and `auto` draws bars
    /// only on a terminal (cron logs get plain lines).
    pub fn reporter(&self) -> Arc<dyn Reporter> {
        let verbose = self.verbose > 0;
        let plain = || Arc::new(Plain { verbose });
        match self.progress {
            _ if self.quiet => Arc::new(Silent),
            Progress::Json => Arc::new(JsonLines),
            Progress::Plain => plain(),
            Progress::Bars => Arc::new(Bars::default()),
            Progress::Auto if std::io::stderr().is_terminal() => Arc::new(Bars::default()),
            Progress::Auto => plain(),
        }
    }
}
