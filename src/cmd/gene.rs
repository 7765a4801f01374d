//! `kgdb gene QUERY`: one gene as kgdb sees it: its HGNC identity, its score explained
//! source by source, and its annotations.
//!
//! Why a command: to check a gene without building the site, and to see which identifier a
//! query resolved through (an alias or a previous symbol says so).

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::Exit;
use crate::gene_annotations::GeneAnnotations;
use crate::normalize::Resolution;
use crate::score::GeneScore;
use crate::sources::hgnc::HgncGene;
use crate::store::Store;

use super::normalize::normalizer;
use super::{App, CmdError, Summary};

/// The answer to `kgdb gene QUERY`.
#[derive(Debug)]
pub struct GeneSummary {
    pub query: String,
    pub answer: GeneAnswer,
    /// How many sources the scoring uses (the N of the breakdown).
    pub n_sources: usize,
}

/// What the query matched.
#[derive(Debug)]
pub enum GeneAnswer {
    Found {
        gene: Box<HgncGene>,
        how: &'static str,
        /// Its stored score and one line per annotation, when `kgdb score` has run.
        scored: Option<Box<(GeneScore, Vec<String>)>>,
    },
    Ambiguous {
        how: &'static str,
        candidates: Vec<HgncGene>,
    },
    Withdrawn {
        id: String,
        candidates: Vec<HgncGene>,
    },
    NotFound,
}

/// `kgdb gene QUERY`.
pub fn execute(ctx: &App, query: &str) -> Result<GeneSummary, CmdError> {
    let store = Store::open(&ctx.data_dir)?;
    let mut answer = lookup(&store, query)?;
    if let GeneAnswer::Found { gene, scored, .. } = &mut answer
        && let Some(score) = store.gene_score(&gene.hgnc_id)?
    {
        let mut a = GeneAnnotations::default();
        for (name, json) in store.gene_annotations(&gene.hgnc_id)? {
            a.set(&name, &json).map_err(|e| CmdError::Annotation {
                hgnc_id: gene.hgnc_id.clone(),
                message: e.to_string(),
            })?;
        }
        // Each annotation says itself what its line shows.
        let lines = ctx
            .registry
            .annotations()
            .filter_map(|ann| a.part(ann.part().key).and_then(|p| ann.gene_line(p)))
            .collect();
        *scored = Some(Box::new((score, lines)));
    }
    Ok(GeneSummary {
        query: query.to_string(),
        answer,
        n_sources: ctx.registry.config.raw.scoring.sources.value.len(),
    })
}

impl Summary for GeneSummary {
    fn print(&self, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<()> {
        let query = &self.query;
        match &self.answer {
            GeneAnswer::Found { gene, how, scored } => {
                if *how != "symbol" && *how != "hgnc_id" {
                    writeln!(out, "{query} -> {} (by {how})", gene.symbol)?;
                }
                write!(out, "{}", format_gene(gene))?;
                match scored.as_deref() {
                    Some((score, annotations)) => {
                        write!(out, "{}", format_breakdown(self.n_sources, score))?;
                        write!(out, "{}", format_annotations(annotations))?;
                    }
                    None => writeln!(
                        out,
                        "  no evidence scored (run `kgdb score` after fetch and normalize)"
                    )?,
                }
            }
            GeneAnswer::Ambiguous { how, candidates } => {
                writeln!(
                    out,
                    "{query} is ambiguous ({how}); it matches {} genes:",
                    candidates.len()
                )?;
                for g in candidates {
                    writeln!(out, "  {}  {}  {}", g.symbol, g.hgnc_id, g.name)?;
                }
            }
            GeneAnswer::Withdrawn { id, candidates } => {
                writeln!(out, "{query}: {id} was withdrawn by HGNC")?;
                for g in candidates {
                    writeln!(out, "  merged into {}  {}", g.symbol, g.hgnc_id)?;
                }
            }
            GeneAnswer::NotFound => writeln!(
                err,
                "kgdb: no HGNC gene matches `{query}` (symbol, alias, previous symbol, HGNC, Entrez or Ensembl ID)"
            )?,
        }
        Ok(())
    }

    /// "No gene matched" is degraded (1), so scripts can tell.
    fn exit(&self) -> Exit {
        match self.answer {
            GeneAnswer::NotFound => Exit::Degraded,
            _ => Exit::Ok,
        }
    }
}

/// Look `query` up as `kgdb normalize` would resolve it (but in every way HGNC knows).
fn lookup(store: &Store, query: &str) -> Result<GeneAnswer, CmdError> {
    let n = normalizer(store)?;
    let genes = |ids: &[String]| ids.iter().filter_map(|c| n.gene(c).cloned()).collect();
    Ok(match n.lookup(query) {
        Resolution::Resolved { hgnc_id, method } => match n.gene(&hgnc_id) {
            Some(g) => GeneAnswer::Found {
                gene: Box::new(g.clone()),
                how: method.as_str(),
                scored: None,
            },
            None => GeneAnswer::NotFound,
        },
        Resolution::Ambiguous { method, candidates } => GeneAnswer::Ambiguous {
            how: method.as_str(),
            candidates: genes(&candidates),
        },
        Resolution::Withdrawn {
            withdrawn_id,
            candidates,
        } => GeneAnswer::Withdrawn {
            id: withdrawn_id,
            candidates: genes(&candidates),
        },
        Resolution::Unresolved => GeneAnswer::NotFound,
    })
}

/// A gene's identity as plain text.
fn format_gene(g: &HgncGene) -> String {
    let mut s = String::new();
    let list = |v: &[String]| {
        if v.is_empty() {
            "-".to_string()
        } else {
            v.join(", ")
        }
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let _ = writeln!(s, "{}  {}  {}", g.symbol, g.hgnc_id, g.name);
    let _ = writeln!(s, "  location         {}", opt(&g.location));
    let _ = writeln!(s, "  locus type       {}", opt(&g.locus_type));
    let _ = writeln!(s, "  aliases          {}", list(&g.alias_symbols));
    let _ = writeln!(s, "  previous symbols {}", list(&g.prev_symbols));
    let _ = writeln!(s, "  NCBI Gene        {}", opt(&g.entrez_id));
    let _ = writeln!(s, "  Ensembl          {}", opt(&g.ensembl_gene_id));
    let _ = writeln!(s, "  OMIM             {}", list(&g.omim_ids));
    let _ = writeln!(s, "  MANE Select      {}", list(&g.mane_select));
    let _ = writeln!(
        s,
        "  https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/{}",
        g.hgnc_id
    );
    s
}

/// A gene's score explained, one line per source (for `kgdb gene`).
fn format_breakdown(n_sources: usize, g: &GeneScore) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "  score breakdown (N = {n_sources} scoring sources)");
    let _ = writeln!(
        s,
        "    {:<18} {:>8} {:>6} {:>8} {:>8}  {:<28} {:>8}  classic",
        "source", "measure", "n", "rank", "s", "classification (weight)", "points"
    );
    for src in &g.sources {
        let rank = src
            .rank
            .map(|r| format!("{r:.1}"))
            .unwrap_or_else(|| "-".into());
        let class = match (&src.classification, src.weight) {
            (Some(c), Some(w)) => format!("{c} ({w})"),
            (Some(c), None) => c.clone(),
            _ => "-".into(),
        };
        let classic = match src.classic {
            Some(true) => "yes",
            Some(false) => "no",
            None => "-",
        };
        let note = if src.contradicting {
            "  contradicting evidence"
        } else if !src.counted {
            "  (not scored)"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "    {:<18} {:>8} {:>6} {:>8} {:>8.4}  {:<28} {:>8.2}  {classic}{note}",
            src.source, src.measure, src.n, rank, src.s, class, src.contribution
        );
    }
    let _ = writeln!(
        s,
        "  total {:.2} %  tier {}  group {}  sources {}  classic evidence count {}/5",
        g.percentage, g.tier, g.group, g.source_count, g.classic_count
    );
    s
}

/// A scored gene's annotations, one line each; empty when it has none.
fn format_annotations(lines: &[String]) -> String {
    let mut out = String::new();
    if lines.is_empty() {
        return out;
    }
    let _ = writeln!(out, "  annotations (not scored):");
    for line in lines {
        let _ = writeln!(out, "    {line}");
    }
    out
}
