//! `kgdb review`: what needs a curator, and (`--yaml`) the stubs to decide it.
//!
//! Why: normalization never guesses and upstream lists carry artefacts; only a person can
//! settle those, and the settlement belongs in `curation.yaml` (see [`crate::curation`]).
//! This command reads what the last `kgdb normalize` recorded (the audit log and the
//! curation log) and lists: names no HGNC gene fits, names several genes fit (with the
//! candidates and the sources and row counts behind them), and decisions gone stale. Names a
//! decision already speaks for are left out. With `--yaml` it prints the same as commented
//! YAML stubs to append to `curation.yaml`: run, edit, commit.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::Exit;
use crate::curation::name_key;
use crate::store::{Store, now_utc};

use super::{App, CmdError, Summary};

/// A name one source reports and no HGNC gene has.
#[derive(Debug, Clone, PartialEq)]
pub struct Unresolved {
    pub source: String,
    /// As the source gave it (symbol and identifiers).
    pub reported: String,
    pub symbol: Option<String>,
    pub rows: u64,
}

/// A name several genes fit (or a withdrawn one without a single successor), across the
/// sources reporting it.
#[derive(Debug, Clone, PartialEq)]
pub struct Ambiguous {
    pub name: String,
    /// `ambiguous` or `withdrawn`, and the normalizer's method (alias_symbol, ...).
    pub outcome: String,
    pub method: Option<String>,
    /// `HGNC:… SYMBOL`, in HGNC order.
    pub candidates: Vec<String>,
    /// source -> staged rows.
    pub sources: BTreeMap<String, u64>,
}

/// A decision that matched nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct Stale {
    pub decision: String,
    pub why: String,
    pub line: Option<u64>,
}

/// What `kgdb review` found.
#[derive(Debug, Clone, Default)]
pub struct ReviewSummary {
    pub unresolved: Vec<Unresolved>,
    pub ambiguous: Vec<Ambiguous>,
    pub stale: Vec<Stale>,
    /// Print YAML stubs instead of the list.
    pub yaml: bool,
    /// The curation file stubs go to (for the header).
    pub file: String,
    /// `YYYY-MM-DD` for the stubs.
    pub today: String,
    /// The curation file changed since the last normalization.
    pub pending: bool,
}

fn rows(n: u64) -> String {
    format!("{n} row{}", if n == 1 { "" } else { "s" })
}

/// A YAML scalar: JSON strings are valid YAML.
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

impl ReviewSummary {
    fn print_list(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.pending {
            writeln!(
                out,
                "note: {} changed since the last normalization; run `kgdb normalize` first",
                self.file
            )?;
        }
        writeln!(out, "unresolved names ({}):", self.unresolved.len())?;
        for u in &self.unresolved {
            writeln!(out, "  {:<18} {}  {}", u.source, u.reported, rows(u.rows))?;
        }
        writeln!(out, "ambiguous names ({}):", self.ambiguous.len())?;
        for a in &self.ambiguous {
            let by: Vec<String> = a
                .sources
                .iter()
                .map(|(s, n)| format!("{s} {}", rows(*n)))
                .collect();
            writeln!(
                out,
                "  {} ({} {}): {}; reported by {}",
                a.name,
                a.outcome,
                a.method.as_deref().unwrap_or("-"),
                a.candidates.join(", "),
                by.join(", ")
            )?;
        }
        writeln!(out, "stale decisions ({}):", self.stale.len())?;
        for s in &self.stale {
            writeln!(
                out,
                "  {}{}: {}",
                s.decision,
                s.line.map(|l| format!(" (line {l})")).unwrap_or_default(),
                s.why
            )?;
        }
        if !self.unresolved.is_empty() || !self.ambiguous.is_empty() {
            writeln!(
                out,
                "`kgdb review --yaml >> {}` writes stubs to accept",
                self.file
            )?;
        }
        Ok(())
    }

    fn print_yaml(&self, out: &mut dyn Write) -> io::Result<()> {
        let today = &self.today;
        let meta = |out: &mut dyn Write| -> io::Result<()> {
            writeln!(out, "#   reason: TODO")?;
            writeln!(out, "#   curator: TODO")?;
            writeln!(out, "#   date: {today}")
        };
        writeln!(
            out,
            "# kgdb review --yaml, {today}: stubs for {}.\n\
             # To accept one, remove `# ` before its lines (from `- ` on), fill in reason and\n\
             # curator, then run `kgdb run` (or `kgdb normalize`). Stubs left commented change nothing.",
            self.file
        )?;
        for u in &self.unresolved {
            let name = u.symbol.as_deref().unwrap_or(&u.reported);
            writeln!(
                out,
                "\n# {} reports `{}` ({}): no HGNC gene fits it.\n\
                 # Exclude it (an artefact), or map it to the gene it means: \
                 `- map: {{name: {}, source: {}, hgnc_id: \"HGNC:…\"}}`",
                u.source,
                u.reported,
                rows(u.rows),
                q(name),
                u.source
            )?;
            writeln!(
                out,
                "# - exclude: {{source: {}, name: {}}}",
                u.source,
                q(name)
            )?;
            meta(out)?;
        }
        for a in &self.ambiguous {
            let by: Vec<String> = a
                .sources
                .iter()
                .map(|(s, n)| format!("{s} {}", rows(*n)))
                .collect();
            writeln!(
                out,
                "\n# `{}` is {} ({}), reported by {}.\n# candidates:",
                a.name,
                a.outcome,
                a.method.as_deref().unwrap_or("-"),
                by.join(", ")
            )?;
            for c in &a.candidates {
                writeln!(out, "#   {c}")?;
            }
            let scope = match a.sources.keys().collect::<Vec<_>>().as_slice() {
                [one] => format!(", source: {one}"),
                _ => String::new(),
            };
            writeln!(
                out,
                "# - map: {{name: {}{scope}, hgnc_id: \"HGNC:?\"}}",
                q(&a.name)
            )?;
            meta(out)?;
        }
        for s in &self.stale {
            writeln!(
                out,
                "\n# STALE{}: `{}`: {}. Remove it from {} (or correct it).",
                s.line.map(|l| format!(" (line {l})")).unwrap_or_default(),
                s.decision,
                s.why,
                self.file
            )?;
        }
        Ok(())
    }
}

impl Summary for ReviewSummary {
    fn print(&self, out: &mut dyn Write, _err: &mut dyn Write) -> io::Result<()> {
        if self.yaml {
            self.print_yaml(out)
        } else {
            self.print_list(out)
        }
    }

    fn exit(&self) -> Exit {
        Exit::Ok
    }
}

/// `kgdb review` (`yaml`: print stubs).
pub fn execute(ctx: &App, yaml: bool) -> Result<ReviewSummary, CmdError> {
    let store = Store::open(&ctx.data_dir)?;
    let cur = &ctx.registry.curation;
    let status = super::status::curation_status(ctx, &store)?;
    let label = |id: &str, genes: &BTreeMap<String, String>| match genes.get(id) {
        Some(s) => format!("{id} {s}"),
        None => id.to_string(),
    };
    let inputs = store.unresolved_inputs()?;
    let wanted: Vec<&String> = inputs.iter().flat_map(|i| &i.candidates).collect();
    let genes: BTreeMap<String, String> = if wanted.is_empty() {
        BTreeMap::new()
    } else {
        store
            .hgnc_genes()?
            .into_iter()
            .filter(|g| wanted.contains(&&g.hgnc_id))
            .map(|g| (g.hgnc_id, g.symbol))
            .collect()
    };
    let mut summary = ReviewSummary {
        yaml,
        file: cur
            .file
            .as_ref()
            .map_or_else(|| "curation.yaml".to_string(), |f| f.display().to_string()),
        today: now_utc().get(..10).unwrap_or_default().to_string(),
        pending: status.pending,
        ..Default::default()
    };
    let mut ambiguous: BTreeMap<(String, String), Ambiguous> = BTreeMap::new();
    for i in inputs {
        // Annotation files list every gene of their provider; only evidence counts here.
        if ctx.registry.source(&i.source).is_none() {
            continue;
        }
        let name = i.symbol.clone().unwrap_or_else(|| i.reported.clone());
        if cur.covers(&i.source, &name) {
            continue;
        }
        if i.outcome == "unresolved" {
            summary.unresolved.push(Unresolved {
                source: i.source,
                reported: i.reported,
                symbol: i.symbol,
                rows: i.rows,
            });
            continue;
        }
        let a = ambiguous
            .entry((name_key(&name), i.candidates.join(",")))
            .or_insert_with(|| Ambiguous {
                name: name.clone(),
                outcome: i.outcome.clone(),
                method: i.method.clone(),
                candidates: i.candidates.iter().map(|c| label(c, &genes)).collect(),
                sources: BTreeMap::new(),
            });
        *a.sources.entry(i.source).or_default() += i.rows;
    }
    summary.ambiguous = ambiguous.into_values().collect();
    summary.stale = status
        .stale
        .into_iter()
        .map(|s| Stale {
            line: cur
                .decisions
                .iter()
                .find(|d| d.label() == s.decision)
                .and_then(|d| d.line),
            decision: s.decision,
            why: s.why,
        })
        .collect();
    Ok(summary)
}
