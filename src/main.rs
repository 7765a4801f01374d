//! The `kgdb` binary: parse arguments, choose a reporter, run a stage, map the result to an
//! exit code. All logic lives in the library.

mod cli;

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use kgdb::Exit;
use kgdb::fetch::Mirror;
use kgdb::pipeline::{self, Context, GeneAnswer};
use kgdb::registry::Registry;
use kgdb::report::{Bars, JsonLines, Plain, Reporter, Silent};

use cli::{Cli, Command, Progress};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => code(Exit::Usage),
            };
        }
    };
    init_tracing(&cli);
    code(run(cli))
}

fn code(e: Exit) -> ExitCode {
    ExitCode::from(e as u8)
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
        .try_init();
}

fn reporter(cli: &Cli) -> Arc<dyn Reporter> {
    if cli.quiet {
        return Arc::new(Silent);
    }
    match cli.progress {
        Progress::Json => Arc::new(JsonLines),
        Progress::Plain => Arc::new(Plain {
            verbose: cli.verbose > 0,
        }),
        Progress::Bars => Arc::new(Bars::default()),
        Progress::Auto if std::io::stderr().is_terminal() => Arc::new(Bars::default()),
        Progress::Auto => Arc::new(Plain {
            verbose: cli.verbose > 0,
        }),
    }
}

fn fail(msg: impl std::fmt::Display, exit: Exit) -> Exit {
    eprintln!("kgdb: {msg}");
    exit
}

fn run(cli: Cli) -> Exit {
    let registry = match Registry::load(&cli.config) {
        Ok(c) => c,
        Err(e) => {
            eprint!("kgdb: {e}");
            return Exit::Config;
        }
    };
    let mirror = match cli.mirror.as_deref().map(Mirror::new).transpose() {
        Ok(m) => m,
        Err(e) => return fail(e, Exit::Usage),
    };
    let ctx = Context {
        registry,
        data_dir: cli.data_dir.clone(),
        mirror,
        offline: cli.offline,
        reporter: reporter(&cli),
    };
    match cli.command {
        Command::Fetch { sources } => {
            let rt = match tokio::runtime::Runtime::new() {
                Ok(rt) => rt,
                Err(e) => return fail(format!("cannot start the async runtime: {e}"), Exit::Fatal),
            };
            match rt.block_on(pipeline::fetch(&ctx, &sources)) {
                Ok(summary) => {
                    for o in &summary.outcomes {
                        if let Some(err) = &o.error {
                            eprintln!("kgdb: {} failed (previous data kept): {err}", o.source);
                        }
                    }
                    summary.exit()
                }
                Err(e) => fail(e.to_string(), e.exit()),
            }
        }
        Command::Normalize => match pipeline::normalize(&ctx) {
            Ok(s) => {
                for (source, counts) in &s.counts {
                    let total: u64 = counts.values().sum();
                    let parts: Vec<String> = counts
                        .iter()
                        .map(|(k, v)| {
                            format!("{k} {v} ({:.1}%)", 100.0 * *v as f64 / total.max(1) as f64)
                        })
                        .collect();
                    println!("{source}: {total} rows: {}", parts.join(", "));
                }
                if s.counts.is_empty() {
                    println!("nothing staged yet");
                }
                println!(
                    "{} inputs to review in {}",
                    s.review_entries,
                    s.review_file.display()
                );
                Exit::Ok
            }
            Err(e) => fail(&e, e.exit()),
        },
        Command::Gene { query } => match pipeline::gene(&ctx, &query) {
            Ok(GeneAnswer::Found { gene, how }) => {
                if how != "symbol" && how != "hgnc_id" {
                    println!("{query} -> {} (by {how})", gene.symbol);
                }
                print!("{}", pipeline::format_gene(&gene));
                match pipeline::gene_score(&ctx, &gene.hgnc_id) {
                    Ok(Some(score)) => {
                        print!("{}", pipeline::format_breakdown(&ctx, &score));
                        match pipeline::format_annotations(&ctx, &gene.hgnc_id) {
                            Ok(text) => print!("{text}"),
                            Err(e) => return fail(&e, e.exit()),
                        }
                    }
                    Ok(None) => println!(
                        "  no evidence scored (run `kgdb score` after fetch and normalize)"
                    ),
                    Err(e) => return fail(&e, e.exit()),
                }
                Exit::Ok
            }
            Ok(GeneAnswer::Ambiguous { how, candidates }) => {
                println!(
                    "{query} is ambiguous ({how}); it matches {} genes:",
                    candidates.len()
                );
                for g in candidates {
                    println!("  {}  {}  {}", g.symbol, g.hgnc_id, g.name);
                }
                Exit::Ok
            }
            Ok(GeneAnswer::Withdrawn { id, candidates }) => {
                println!("{query}: {id} was withdrawn by HGNC");
                for g in candidates {
                    println!("  merged into {}  {}", g.symbol, g.hgnc_id);
                }
                Exit::Ok
            }
            Ok(GeneAnswer::NotFound) => fail(
                format!(
                    "no HGNC gene matches `{query}` (symbol, alias, previous symbol, HGNC, Entrez or Ensembl ID)"
                ),
                Exit::Degraded,
            ),
            Err(e) => fail(&e, e.exit()),
        },
        Command::Status => match pipeline::status(&ctx) {
            Ok(rows) => {
                println!(
                    "{:<18} {:<9} {:<21} {:<36} {:>8} {:>9}  last error",
                    "source", "state", "last success", "version", "age (d)", "rows"
                );
                for r in &rows {
                    let state = if !r.enabled {
                        "disabled"
                    } else if r.is_stale() {
                        "STALE"
                    } else {
                        "fresh"
                    };
                    println!(
                        "{:<18} {:<9} {:<21} {:<36} {:>8} {:>9}  {}",
                        r.source,
                        state,
                        r.last_success.as_deref().unwrap_or("never"),
                        r.upstream_version.as_deref().unwrap_or("-"),
                        r.age_days
                            .map(|a| format!("{a:.1}"))
                            .unwrap_or_else(|| "-".into()),
                        r.rows,
                        if r.last_status.as_deref() == Some("failed") {
                            r.last_error.as_deref().unwrap_or("")
                        } else {
                            ""
                        }
                    );
                }
                let covered: Vec<_> = rows
                    .iter()
                    .filter_map(|r| Some((r, r.coverage.as_ref()?)))
                    .collect();
                if let Some((_, c)) = covered.first() {
                    println!(
                        "\nannotation coverage of the {} scored genes ({} protein-coding):",
                        c.scored_genes, c.scored_protein_coding
                    );
                    let pct = |a: u64, b: u64| 100.0 * a as f64 / b.max(1) as f64;
                    for (r, c) in &covered {
                        println!(
                            "{:<18} {:>6} genes ({:>5.1} %), protein-coding {:>6} ({:>5.1} %)",
                            r.source,
                            c.covered_genes,
                            pct(c.covered_genes, c.scored_genes),
                            c.covered_protein_coding,
                            pct(c.covered_protein_coding, c.scored_protein_coding)
                        );
                    }
                }
                if rows.iter().any(|r| r.is_stale()) {
                    Exit::Degraded
                } else {
                    Exit::Ok
                }
            }
            Err(e) => fail(&e, e.exit()),
        },
        Command::Score => match pipeline::score(&ctx) {
            Ok(s) => {
                println!(
                    "scored {} genes from {} evidence rows in {:.1} ms; export {}",
                    s.genes,
                    s.evidence_rows,
                    s.scoring_time.as_secs_f64() * 1000.0,
                    s.export.display()
                );
                for (tier, n) in &s.tiers {
                    println!("  {tier:<24} {n:>6}");
                }
                let classic: Vec<String> =
                    s.classic.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                println!("  classic evidence count   {}", classic.join(", "));
                let annotated: Vec<String> = s
                    .annotated
                    .iter()
                    .map(|(a, n)| format!("{a} {n}"))
                    .collect();
                println!("  genes annotated          {}", annotated.join(", "));
                Exit::Ok
            }
            Err(e) => fail(&e, e.exit()),
        },
        Command::Build { output } => match pipeline::build(&ctx, &output) {
            Ok(b) => {
                print_build(&b);
                Exit::Ok
            }
            Err(e) => fail(&e, e.exit()),
        },
        Command::Run { output, json } => {
            let rt = match tokio::runtime::Runtime::new() {
                Ok(rt) => rt,
                Err(e) => return fail(format!("cannot start the async runtime: {e}"), Exit::Fatal),
            };
            match rt.block_on(pipeline::run(&ctx, &output)) {
                Ok(s) => {
                    if json {
                        println!("{}", serde_json::to_string_pretty(&s).unwrap_or_default());
                    } else {
                        print_run(&s, &output);
                    }
                    s.exit()
                }
                Err(e) => fail(&e, e.exit()),
            }
        }
    }
}

fn print_build(b: &pipeline::BuildSummary) {
    let r = &b.report;
    println!(
        "release {}: {} genes, {} files ({:.1} MB) in {} ms -> {}",
        b.release,
        r.genes,
        r.files,
        r.bytes as f64 / 1e6,
        r.elapsed_ms,
        r.out.display()
    );
    println!(
        "  gene table {:.0} KB gzip; largest gene page {}",
        r.index_gzip_bytes as f64 / 1024.0,
        r.largest_gene_page
            .as_ref()
            .map(|(p, n)| format!("{p} ({:.1} KB)", *n as f64 / 1024.0))
            .unwrap_or_default()
    );
    match &b.changes.previous {
        Some(prev) => println!(
            "  since {prev}: {} added, {} removed, {} changed tier or classic count",
            b.changes.added.len(),
            b.changes.removed.len(),
            b.changes.changed.len()
        ),
        None => println!("  first release"),
    }
    if !b.stale_sources.is_empty() {
        println!("  shown as stale: {}", b.stale_sources.join(", "));
    }
}

fn print_run(s: &pipeline::RunSummary, out: &std::path::Path) {
    println!("kgdb run: {} in {:.1} s", s.status, s.wall_seconds);
    for src in &s.sources {
        let detail = src
            .error
            .as_deref()
            .map(|e| format!("FAILED, last good data kept: {e}"))
            .unwrap_or_else(|| {
                format!(
                    "{}{}",
                    src.rows.map(|r| format!("{r} rows")).unwrap_or_default(),
                    src.upstream_version
                        .as_deref()
                        .map(|v| format!(", {v}"))
                        .unwrap_or_default()
                )
            });
        println!("  {:<18} {:<9} {detail}", src.source, src.status);
    }
    match &s.release {
        Some(r) => println!(
            "  release {r} -> {}: {} genes; {} added, {} removed, {} changed tier or classic count",
            out.display(),
            s.genes,
            s.added,
            s.removed,
            s.changed
        ),
        None => println!(
            "  nothing published, the previous site is untouched: {}",
            s.error.as_deref().unwrap_or("")
        ),
    }
}
