//! The `kgdb` binary: parse arguments, choose a reporter, load the config, run one command,
//! print its summary and map the result to an exit code. All logic lives in the library
//! ([`kgdb::cmd`], one module per verb).

mod cli;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use kgdb::Exit;
use kgdb::cmd::{self, App, CmdError, Summary, completions};
use kgdb::{fetch::Mirror, registry::Registry};

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => Exit::Usage.into(),
            };
        }
    };
    init_tracing(&cli);
    run(&cli).unwrap_or_else(|e| e).into()
}

fn init_tracing(cli: &Cli) {
    let default = match (cli.quiet, cli.verbose) {
        (true, _) => "error",
        (_, 0) | (_, 1) => "warn",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("KGDB_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(kgdb::report::stderr_colour())
        .try_init();
}

/// Err: a config or usage problem, already reported (completions, man, mcp --site need none).
fn run(cli: &Cli) -> Result<Exit, Exit> {
    Ok(match &cli.command {
        Command::Completions { shell } => finish(completions::execute(Cli::command(), *shell)),
        Command::Man => finish(cmd::man::execute(Cli::command())),
        Command::Fetch { sources, .. } => finish(cmd::fetch::execute(&app(cli)?, sources)),
        Command::Normalize => finish(cmd::normalize::execute(&app(cli)?)),
        Command::Score => finish(cmd::score::execute(&app(cli)?)),
        Command::Build { output } => finish(cmd::build::execute(&app(cli)?, output)),
        Command::Run { output, json, .. } => finish(cmd::run::execute(&app(cli)?, output, *json)),
        Command::Status { json } => finish(cmd::status::execute(&app(cli)?, *json)),
        Command::Review { yaml } => finish(cmd::review::execute(&app(cli)?, *yaml)),
        Command::Gc { keep, yes } => finish(cmd::gc::execute(&app(cli)?, *keep, *yes)),
        Command::Gene { query } => finish(cmd::gene::execute(&app(cli)?, query)),
        Command::Mcp { site: None, http } => finish(cmd::mcp::serve(Some(&app(cli)?), None, http)),
        Command::Mcp { site, http } => finish(cmd::mcp::serve(None, site.as_deref(), http)),
    })
}

/// The validated config, the mirror and the reporter of this invocation.
fn app(cli: &Cli) -> Result<App, Exit> {
    let registry = Registry::load(&cli.config).map_err(|e| {
        eprint!("kgdb: {e}");
        Exit::Config
    })?;
    let mirror = cli.mirror.as_deref().map(Mirror::new).transpose();
    let mirror = mirror.map_err(|e| {
        eprintln!("kgdb: {e}");
        Exit::Usage
    })?;
    Ok(App {
        registry,
        data_dir: cli.data_dir.clone(),
        mirror,
        offline: cli.offline,
        reporter: cli.reporter(),
        accept_drop: cli.command.accept_drop().to_vec(),
        verbose: cli.verbose > 0,
    })
}

/// Print a command's summary (or its error) and say how the process ends.
fn finish(result: Result<impl Summary, CmdError>) -> Exit {
    match result {
        Ok(summary) => {
            match summary.print(&mut std::io::stdout().lock(), &mut std::io::stderr()) {
                Ok(()) => summary.exit(),
                // A reader that went away (`kgdb status | head`) is no failure of the command.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => summary.exit(),
                Err(e) => {
                    eprintln!("kgdb: cannot print the summary: {e}");
                    Exit::Fatal
                }
            }
        }
        Err(e) => {
            eprintln!("kgdb: {e}");
            e.exit()
        }
    }
}
