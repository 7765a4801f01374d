//! What each MCP tool answers, as plain JSON from the [`ReadModel`].
//!
//! Why apart from the server: the answers (which fields in which mode, the checks of every
//! input, the errors) are the substance; the rmcp glue in [`super::server`] only names and
//! describes the tools. Every answer goes through [`respond`]: the response mode, the
//! character budget with its truncation note, and the citation block.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Value, json};

use super::budget::{ResponseMode, respond};
use super::model::{Candidate, GeneEntry, Lookup, ReadModel};
use crate::site::model::SourceScore;

/// A tool call that cannot be answered as asked: shown to the caller as a tool error.
#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    #[error(
        "no gene matches `{query}`: try an approved HGNC symbol (PKD1), an alias or previous symbol, an HGNC ID (HGNC:9008), an NCBI Gene ID (5310) or an Ensembl gene ID (ENSG00000008710); search_genes finds genes by part of a name"
    )]
    UnknownGene { query: String },
    #[error(
        "`{query}` is ambiguous ({how}): it names {candidates}; ask again with one of their HGNC IDs"
    )]
    Ambiguous {
        query: String,
        how: &'static str,
        candidates: String,
    },
    #[error("`{query}`: {id} was withdrawn by HGNC{merged}")]
    Withdrawn {
        query: String,
        id: String,
        merged: String,
    },
    #[error(
        "{symbol} ({hgnc_id}) is an approved HGNC gene, but kgdb has no evidence for it in release {release} (it is in no scoring source)"
    )]
    NotScored {
        symbol: String,
        hgnc_id: String,
        release: String,
    },
    #[error("unknown {what} `{value}`; known: {known}")]
    Unknown {
        what: &'static str,
        value: String,
        known: String,
    },
    #[error("bad {what}: {problem}")]
    BadInput { what: &'static str, problem: String },
    #[error("cannot read the evidence: {0}")]
    Unreadable(String),
}

/// The tools, with what each is for (the `capabilities` answer; the server's descriptions).
pub const TOOLS: &[(&str, &str)] = &[
    (
        "capabilities",
        "What this server can answer: its tools, the fields search_genes filters and sorts by (tiers, groups, sources), the response modes and their character budgets, and the data it serves (release, origin). Call it first.",
    ),
    (
        "resolve_gene",
        "Resolve any gene name or ID (approved symbol, alias, previous symbol, HGNC ID like HGNC:9008, NCBI Gene ID like 5310, Ensembl ID like ENSG00000008710) to the one gene it means, with how it matched and its score in kgdb; an ambiguous alias returns the candidate genes instead.",
    ),
    (
        "search_genes",
        "Find and rank kidney-disease genes: by part of a symbol, name, alias or an ID (query), by tier, group, score range (percentage 0-100), sources with evidence, minimum classic evidence count; sorted by score (default), symbol, classic_count or source_count; paged.",
    ),
    (
        "get_gene",
        "One gene's evidence score: percentage (0-100), tier, group, number of sources, classic evidence count, and per scoring source its measure, rank or classification, score and contribution; plus identifiers and how many evidence records each source has.",
    ),
    (
        "get_gene_evidence",
        "The evidence records behind one gene's score, per scoring source (panels, curations, publications, diseases, labs), in each source's own words; optionally one source only.",
    ),
    (
        "get_gene_annotations",
        "What the annotation sources say of one gene (ClinVar variant counts, gnomAD constraint, expression, HPO phenotypes, mouse phenotypes, MANE transcripts); never part of the score. Optionally one annotation only.",
    ),
    (
        "database_stats",
        "The database in figures: genes, genes per tier and group, per classic evidence count and per number of sources, genes per scoring source and the overlaps between sources (genes supported by both).",
    ),
    (
        "list_sources",
        "Every evidence and annotation source: title, upstream version, URLs, retrieval time, checksum, rows and genes, status (ok, unchanged, failed), staleness, licence and how to cite it.",
    ),
    (
        "release_citation",
        "How to cite the data served: title, release, kgdb version, date, URL, checksum of the release's manifest, DOI when there is one, the citation text, a BibTeX entry and each source's own citation.",
    ),
    (
        "get_interaction_partners",
        "One gene's protein interaction partners among the scored kidney genes (STRING physical links): degree, ppi_score and its percentile, its network cluster (network.html#cluster=N), and the partners ranked by percentage score with their tier and STRING score. Never part of the evidence score.",
    ),
];

/// The citation block every answer carries.
pub fn citation(m: &ReadModel) -> Value {
    let versions: BTreeMap<&str, Option<&str>> = m
        .sources
        .iter()
        .map(|s| (s.name.as_str(), s.upstream_version.as_deref()))
        .chain(
            m.annotation_sources
                .iter()
                .map(|s| (s.name.as_str(), s.upstream_version.as_deref())),
        )
        .collect();
    let mut c = json!({
        "release": m.release.name,
        "kgdb_version": m.release.kgdb_version,
        "built": m.release.build_time,
        "source_versions": versions,
        "how_to_cite": m.release.citation,
    });
    if let Some(sha) = &m.release.manifest_sha256 {
        c["manifest_sha256"] = json!(sha);
    }
    if let Some(doi) = &m.release.doi {
        c["doi"] = json!(doi);
    }
    c
}

fn answer(m: &ReadModel, mode: ResponseMode, body: Value) -> Value {
    respond(mode, body, citation(m))
}

/// `capabilities`.
pub fn capabilities(m: &ReadModel, mode: ResponseMode) -> Value {
    let tools: Vec<Value> = TOOLS
        .iter()
        .map(|(name, what)| {
            if mode == ResponseMode::Minimal {
                json!(name)
            } else {
                json!({"name": name, "description": what})
            }
        })
        .collect();
    let modes: BTreeMap<&str, usize> = ResponseMode::ALL
        .iter()
        .map(|m| (m.as_str(), m.budget()))
        .collect();
    answer(
        m,
        mode,
        json!({
            "server": "kgdb",
            "serving": m.origin.describe(),
            "genes": m.genes.len(),
            "tools": tools,
            "search_genes": {
                "filters": {
                    "query": "part of a symbol, name, alias or previous symbol; or an HGNC, NCBI Gene or Ensembl ID",
                    "tier": m.tiers,
                    "group": m.groups,
                    "min_score / max_score": "percentage, 0-100",
                    "sources": m.scoring.iter().map(|(n, _)| n).collect::<Vec<_>>(),
                    "min_classic_count": "0-5",
                },
                "sort": ["score", "symbol", "hgnc_id", "classic_count", "source_count"],
                "max_page_size": MAX_PAGE,
            },
            "evidence_sources": m.scoring.iter().map(|(n, t)| json!({"name": n, "title": t})).collect::<Vec<_>>(),
            "annotations": m.annotation_parts,
            "limits": {
                "response_modes": modes,
                "default_response_mode": ResponseMode::default().as_str(),
                "truncation": "a list cut to fit the budget keeps its first items and is named under `truncated` with how many items were shown of how many",
            },
        }),
    )
}

/// Input of `resolve_gene`.
#[derive(Debug, Deserialize, rmcp::schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(deny_unknown_fields)]
pub struct ResolveParams {
    /// Any gene name or ID: approved symbol (PKD1), alias (PC1), previous symbol, HGNC ID
    /// (HGNC:9008), NCBI Gene ID (5310) or Ensembl gene ID (ENSG00000008710).
    pub query: String,
    /// minimal | compact (default) | standard | full.
    #[serde(default)]
    pub response_mode: ResponseMode,
}

fn brief(g: &GeneEntry) -> Value {
    json!({
        "hgnc_id": g.summary.hgnc_id, "symbol": g.summary.symbol, "name": g.summary.name,
        "percentage": g.summary.percentage, "tier": g.summary.tier, "group": g.summary.group,
    })
}

fn identity(g: &GeneEntry) -> Value {
    json!({
        "hgnc_id": g.summary.hgnc_id, "symbol": g.summary.symbol, "name": g.summary.name, "location": g.summary.location,
        "locus_group": g.summary.locus_group, "locus_type": g.summary.locus_type,
        "alias_symbols": g.summary.alias_symbols, "prev_symbols": g.summary.prev_symbols,
        "entrez_id": g.summary.entrez_id, "ensembl_gene_id": g.summary.ensembl_gene_id,
        "omim_ids": g.summary.omim_ids, "mane_select": g.summary.mane_select,
    })
}

/// `resolve_gene`: an unknown name is an error; an ambiguous one lists its candidates.
pub fn resolve_gene(m: &ReadModel, p: &ResolveParams) -> Result<Value, ToolError> {
    let query = p.query.trim();
    if query.is_empty() {
        return Err(ToolError::BadInput {
            what: "query",
            problem: "it is empty; give a gene symbol or ID".into(),
        });
    }
    let body = match m.lookup(query) {
        Lookup::Found { gene, how } => {
            let mut g = if p.response_mode == ResponseMode::Minimal {
                brief(gene)
            } else {
                identity(gene)
            };
            if p.response_mode != ResponseMode::Minimal {
                g["percentage"] = json!(gene.summary.percentage);
                g["tier"] = json!(gene.summary.tier);
                g["group"] = json!(gene.summary.group);
                g["classic_count"] = json!(gene.summary.classic_count);
                g["source_count"] = json!(gene.summary.source_count);
            }
            json!({"query": query, "status": "found", "matched_by": how, "gene": g})
        }
        Lookup::NotScored { gene, how } => json!({
            "query": query, "status": "not_in_database", "matched_by": how,
            "gene": {"hgnc_id": gene.hgnc_id, "symbol": gene.symbol, "name": gene.name},
            "note": "an approved HGNC gene without evidence in any scoring source of this release",
        }),
        Lookup::Ambiguous { how, candidates } => json!({
            "query": query, "status": "ambiguous", "matched_by": how,
            "candidates": candidates,
            "note": "the query names several genes; ask again with one candidate's HGNC ID",
        }),
        Lookup::Withdrawn { id, candidates } => json!({
            "query": query, "status": "withdrawn", "withdrawn_id": id,
            "merged_into": candidates,
        }),
        Lookup::NotFound => {
            return Err(ToolError::UnknownGene {
                query: query.to_string(),
            });
        }
    };
    Ok(answer(m, p.response_mode, body))
}

fn list(c: &[Candidate]) -> String {
    c.iter()
        .map(|c| format!("{} ({})", c.symbol, c.hgnc_id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The scored gene `query` means, or why there is none.
fn scored_gene<'m>(
    m: &'m ReadModel,
    query: &str,
) -> Result<(&'m GeneEntry, &'static str), ToolError> {
    let query = query.trim();
    if query.is_empty() {
        return Err(ToolError::BadInput {
            what: "gene",
            problem: "it is empty; give a gene symbol or ID".into(),
        });
    }
    match m.lookup(query) {
        Lookup::Found { gene, how } => Ok((gene, how)),
        Lookup::NotScored { gene, .. } => Err(ToolError::NotScored {
            symbol: gene.symbol.clone(),
            hgnc_id: gene.hgnc_id.clone(),
            release: m.release.name.clone(),
        }),
        Lookup::Ambiguous { how, candidates } => Err(ToolError::Ambiguous {
            query: query.to_string(),
            how,
            candidates: list(&candidates),
        }),
        Lookup::Withdrawn { id, candidates } => Err(ToolError::Withdrawn {
            query: query.to_string(),
            id,
            merged: if candidates.is_empty() {
                String::new()
            } else {
                format!("; it was merged into {}", list(&candidates))
            },
        }),
        Lookup::NotFound => Err(ToolError::UnknownGene {
            query: query.to_string(),
        }),
    }
}

/// Input of the tools about one gene (`get_gene`).
#[derive(Debug, Deserialize, rmcp::schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(deny_unknown_fields)]
pub struct GeneParams {
    /// The gene: symbol, alias, previous symbol, HGNC, NCBI Gene or Ensembl ID.
    pub gene: String,
    /// minimal | compact (default) | standard | full.
    #[serde(default)]
    pub response_mode: ResponseMode,
}

fn score_part(b: &SourceScore, mode: ResponseMode) -> Value {
    let mut v = json!({
        "source": b.source, "measure": b.measure, "score": b.score,
        "contribution": b.contribution, "supported": b.supported,
    });
    if let Some(r) = b.rank {
        v["rank"] = json!(r);
    }
    if let Some(c) = &b.classification {
        v["classification"] = json!(c);
    }
    if let Some(c) = b.classic {
        v["classic"] = json!(c);
    }
    if b.contradicting {
        v["contradicting"] = json!(true);
    }
    if mode.detailed() {
        v["title"] = json!(b.title);
        v["method"] = json!(b.method);
        v["n"] = json!(b.n);
        v["weight"] = json!(b.weight);
    }
    v
}

/// `get_gene`.
pub fn get_gene(m: &ReadModel, p: &GeneParams) -> Result<Value, ToolError> {
    let (g, how) = scored_gene(m, &p.gene)?;
    let mode = p.response_mode;
    let mut body = json!({
        "query": p.gene.trim(), "matched_by": how,
        "gene": if mode == ResponseMode::Minimal { json!({"hgnc_id": g.summary.hgnc_id, "symbol": g.summary.symbol, "name": g.summary.name}) } else { identity(g) },
        "score": {
            "percentage": g.summary.percentage, "tier": g.summary.tier, "group": g.summary.group,
            "source_count": g.summary.source_count, "classic_count": g.summary.classic_count,
            "supported_by": g.supported().collect::<Vec<_>>(),
        },
    });
    let parts: Vec<Value> = g
        .breakdown
        .iter()
        .filter(|b| mode != ResponseMode::Minimal || b.supported || b.contradicting)
        .map(|b| score_part(b, mode))
        .collect();
    body["breakdown"] = json!(parts);
    if mode != ResponseMode::Minimal {
        let records = m
            .evidence(g)
            .map_err(|e| ToolError::Unreadable(e.to_string()))?;
        let counts: BTreeMap<&String, usize> = records.iter().map(|(k, v)| (k, v.len())).collect();
        body["evidence_records"] = json!(counts);
        body["annotations_available"] = json!(g.annotations.keys().collect::<Vec<_>>());
        body["page"] = json!(format!("genes/{}.html", g.stem()));
    }
    Ok(answer(m, mode, body))
}

/// Input of `get_gene_evidence`.
#[derive(Debug, Deserialize, rmcp::schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(deny_unknown_fields)]
pub struct EvidenceParams {
    /// The gene: symbol, alias, previous symbol, HGNC, NCBI Gene or Ensembl ID.
    pub gene: String,
    /// One scoring source only (panelapp, clingen, gencc, hpo, pubtator, literature,
    /// diagnostic_panels; see capabilities); all when left out.
    #[serde(default)]
    pub source: Option<String>,
    /// minimal | compact (default) | standard | full.
    #[serde(default)]
    pub response_mode: ResponseMode,
}

fn known(items: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    items
        .into_iter()
        .map(|s| s.as_ref().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `get_gene_evidence`.
pub fn get_gene_evidence(m: &ReadModel, p: &EvidenceParams) -> Result<Value, ToolError> {
    let source = p.source.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(s) = source
        && !m.scoring.iter().any(|(n, _)| n == s)
    {
        return Err(ToolError::Unknown {
            what: "evidence source",
            value: s.to_string(),
            known: known(m.scoring.iter().map(|(n, _)| n)),
        });
    }
    let (g, how) = scored_gene(m, &p.gene)?;
    let mut records = m
        .evidence(g)
        .map_err(|e| ToolError::Unreadable(e.to_string()))?;
    if let Some(s) = source {
        records.retain(|k, _| k == s);
    }
    let counts: BTreeMap<&String, usize> = records.iter().map(|(k, v)| (k, v.len())).collect();
    let counts = json!(counts);
    // Records in compact and minimal modes drop the fields every record of a source repeats.
    if !p.response_mode.detailed() {
        for list in records.values_mut() {
            for r in list.iter_mut() {
                if let Some(o) = r.as_object_mut() {
                    o.remove("staged_source");
                    o.remove("record_key");
                }
            }
        }
    }
    let body = json!({
        "query": p.gene.trim(), "matched_by": how,
        "gene": {"hgnc_id": g.summary.hgnc_id, "symbol": g.summary.symbol, "percentage": g.summary.percentage, "tier": g.summary.tier},
        "source": source,
        "record_counts": counts,
        "evidence": records,
    });
    Ok(answer(m, p.response_mode, body))
}

/// Input of `get_gene_annotations`.
#[derive(Debug, Deserialize, rmcp::schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(deny_unknown_fields)]
pub struct AnnotationParams {
    /// The gene: symbol, alias, previous symbol, HGNC, NCBI Gene or Ensembl ID.
    pub gene: String,
    /// One annotation only (see capabilities: `annotations`); all when left out.
    #[serde(default)]
    pub annotation: Option<String>,
    /// minimal | compact (default) | standard | full.
    #[serde(default)]
    pub response_mode: ResponseMode,
}

/// `get_gene_annotations`.
pub fn get_gene_annotations(m: &ReadModel, p: &AnnotationParams) -> Result<Value, ToolError> {
    let part = p
        .annotation
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(a) = part
        && !m.annotation_parts.iter().any(|n| n == a)
    {
        return Err(ToolError::Unknown {
            what: "annotation",
            value: a.to_string(),
            known: known(&m.annotation_parts),
        });
    }
    let (g, how) = scored_gene(m, &p.gene)?;
    let mut annotations = g.annotations.clone();
    if let Some(a) = part {
        annotations.retain(|k, _| k == a);
    }
    let mut body = json!({
        "query": p.gene.trim(), "matched_by": how,
        "gene": {"hgnc_id": g.summary.hgnc_id, "symbol": g.summary.symbol},
        "annotations": annotations,
        "note": "annotations describe the gene; they are never part of its score",
    });
    if annotations.is_empty() {
        body["note"] = json!(match part {
            Some(a) => format!("no `{a}` annotation for {}", g.summary.symbol),
            None => format!("no annotation for {}", g.summary.symbol),
        });
    }
    Ok(answer(m, p.response_mode, body))
}

/// How `search_genes` orders its results.
#[derive(Debug, Clone, Copy, Default, Deserialize, rmcp::schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    /// Percentage, highest first (default).
    #[default]
    Score,
    /// Approved symbol, A to Z.
    Symbol,
    /// HGNC number, lowest first.
    HgncId,
    /// Classic evidence count, highest first.
    ClassicCount,
    /// Number of sources with evidence, highest first.
    SourceCount,
}

/// The largest page `search_genes` returns.
pub const MAX_PAGE: usize = 500;

/// Input of `search_genes`.
#[derive(Debug, Default, Deserialize, rmcp::schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// Part of a symbol, name, alias or previous symbol (case-insensitive), or an exact
    /// HGNC, NCBI Gene or Ensembl ID. All genes when left out.
    #[serde(default)]
    pub query: Option<String>,
    /// Only this tier (see capabilities), e.g. comprehensive_support.
    #[serde(default)]
    pub tier: Option<String>,
    /// Only this group (see capabilities), e.g. well_supported.
    #[serde(default)]
    pub group: Option<String>,
    /// Lowest percentage (0-100).
    #[serde(default)]
    pub min_score: Option<f64>,
    /// Highest percentage (0-100).
    #[serde(default)]
    pub max_score: Option<f64>,
    /// Only genes with evidence in every one of these scoring sources.
    #[serde(default)]
    pub sources: Option<Vec<String>>,
    /// Lowest classic evidence count (0-5).
    #[serde(default)]
    pub min_classic_count: Option<u32>,
    /// score (default) | symbol | hgnc_id | classic_count | source_count.
    #[serde(default)]
    pub sort: SortKey,
    /// Page number, from 1.
    #[serde(default)]
    pub page: Option<usize>,
    /// Genes per page (default by response mode: 10, 25, 100, 500; at most 500).
    #[serde(default)]
    pub page_size: Option<usize>,
    /// minimal | compact (default) | standard | full.
    #[serde(default)]
    pub response_mode: ResponseMode,
}

fn check_one(
    what: &'static str,
    value: &Option<String>,
    known_values: &[String],
) -> Result<Option<String>, ToolError> {
    match value.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(v) => known_values
            .iter()
            .find(|k| k.eq_ignore_ascii_case(v))
            .cloned()
            .map(Some)
            .ok_or_else(|| ToolError::Unknown {
                what,
                value: v.to_string(),
                known: known(known_values),
            }),
    }
}

/// `search_genes`.
pub fn search_genes(m: &ReadModel, p: &SearchParams) -> Result<Value, ToolError> {
    let tier = check_one("tier", &p.tier, &m.tiers)?;
    let group = check_one("group", &p.group, &m.groups)?;
    let scoring: Vec<String> = m.scoring.iter().map(|(n, _)| n.clone()).collect();
    let mut sources = Vec::new();
    for s in p.sources.iter().flatten() {
        sources.push(check_one("evidence source", &Some(s.clone()), &scoring)?.unwrap_or_default());
    }
    sources.retain(|s| !s.is_empty());
    let (lo, hi) = (p.min_score.unwrap_or(0.0), p.max_score.unwrap_or(100.0));
    for (name, v) in [("min_score", lo), ("max_score", hi)] {
        if !(0.0..=100.0).contains(&v) {
            return Err(ToolError::BadInput {
                what: "score range",
                problem: format!("{name} {v} is outside 0-100 (the percentage)"),
            });
        }
    }
    if lo > hi {
        return Err(ToolError::BadInput {
            what: "score range",
            problem: format!("min_score {lo} is above max_score {hi}"),
        });
    }
    if let Some(c) = p.min_classic_count
        && c > 5
    {
        return Err(ToolError::BadInput {
            what: "min_classic_count",
            problem: format!("{c} is above 5 (the classic count is 0-5)"),
        });
    }
    let page = p.page.unwrap_or(1);
    if page == 0 {
        return Err(ToolError::BadInput {
            what: "page",
            problem: "pages count from 1".into(),
        });
    }
    let size = p.page_size.unwrap_or(p.response_mode.page_size());
    if size == 0 || size > MAX_PAGE {
        return Err(ToolError::BadInput {
            what: "page_size",
            problem: format!("{size} is not within 1-{MAX_PAGE}"),
        });
    }
    let q = p
        .query
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_lowercase);
    // A query may also be an ID or an alias: what the normalizer resolves it to matches too.
    let resolved: Vec<String> = match q.as_deref().map(|q| m.lookup(q)) {
        Some(Lookup::Found { gene, .. }) => vec![gene.summary.hgnc_id.clone()],
        Some(Lookup::Ambiguous { candidates, .. }) => {
            candidates.into_iter().map(|c| c.hgnc_id).collect()
        }
        _ => Vec::new(),
    };
    let text_match = |g: &GeneEntry, q: &str| {
        resolved.contains(&g.summary.hgnc_id)
            || g.summary.symbol.to_lowercase().contains(q)
            || g.summary.name.to_lowercase().contains(q)
            || g.summary
                .alias_symbols
                .iter()
                .any(|a| a.to_lowercase().contains(q))
            || g.summary
                .prev_symbols
                .iter()
                .any(|a| a.to_lowercase().contains(q))
    };
    let mut hits: Vec<&GeneEntry> = m
        .genes
        .iter()
        .filter(|g| q.as_deref().is_none_or(|q| text_match(g, q)))
        .filter(|g| tier.as_deref().is_none_or(|t| g.summary.tier == t))
        .filter(|g| group.as_deref().is_none_or(|t| g.summary.group == t))
        .filter(|g| g.summary.percentage >= lo && g.summary.percentage <= hi)
        .filter(|g| {
            p.min_classic_count
                .is_none_or(|c| g.summary.classic_count >= c)
        })
        .filter(|g| sources.iter().all(|s| g.supported().any(|x| x == s)))
        .collect();
    let exact = |g: &GeneEntry| {
        q.as_deref()
            .is_some_and(|q| g.summary.symbol.to_lowercase() == q)
    };
    hits.sort_by(|a, b| {
        // An exact symbol match comes first whatever the order.
        exact(b).cmp(&exact(a)).then_with(|| match p.sort {
            SortKey::Score => b.summary.percentage.total_cmp(&a.summary.percentage),
            SortKey::Symbol => a.summary.symbol.cmp(&b.summary.symbol),
            SortKey::HgncId => std::cmp::Ordering::Equal,
            SortKey::ClassicCount => b.summary.classic_count.cmp(&a.summary.classic_count),
            SortKey::SourceCount => b.summary.source_count.cmp(&a.summary.source_count),
        })
    });
    let total = hits.len();
    let pages = total.div_ceil(size);
    let results: Vec<Value> = hits
        .iter()
        .skip((page - 1) * size)
        .take(size)
        .map(|g| {
            let mut v = json!({
                "symbol": g.summary.symbol, "hgnc_id": g.summary.hgnc_id, "percentage": g.summary.percentage,
                "tier": g.summary.tier,
            });
            if p.response_mode != ResponseMode::Minimal {
                v["name"] = json!(g.summary.name);
                v["group"] = json!(g.summary.group);
                v["source_count"] = json!(g.summary.source_count);
                v["classic_count"] = json!(g.summary.classic_count);
            }
            if p.response_mode.detailed() {
                v["supported_by"] = json!(g.supported().collect::<Vec<_>>());
            }
            v
        })
        .collect();
    let body = json!({
        "total": total, "page": page, "page_size": size, "pages": pages,
        "filters": {
            "query": q, "tier": tier, "group": group, "min_score": p.min_score,
            "max_score": p.max_score, "sources": sources,
            "min_classic_count": p.min_classic_count,
        },
        "results": results,
    });
    Ok(answer(m, p.response_mode, body))
}

/// Input of the tools without arguments but the response mode.
#[derive(Debug, Default, Deserialize, rmcp::schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(deny_unknown_fields)]
pub struct ModeParams {
    /// minimal | compact (default) | standard | full.
    #[serde(default)]
    pub response_mode: ResponseMode,
}

/// `database_stats`.
pub fn database_stats(m: &ReadModel, mode: ResponseMode) -> Value {
    let count_by = |key: &dyn Fn(&GeneEntry) -> String, order: &[String]| {
        let mut v: Vec<(String, usize)> = order.iter().map(|t| (t.clone(), 0)).collect();
        for g in &m.genes {
            let k = key(g);
            match v.iter_mut().find(|(n, _)| *n == k) {
                Some((_, c)) => *c += 1,
                None => v.push((k, 1)),
            }
        }
        v.into_iter()
            .map(|(k, c)| json!({"name": k, "genes": c}))
            .collect::<Vec<_>>()
    };
    let mut classic = [0usize; 6];
    let mut n_sources: BTreeMap<u32, usize> = BTreeMap::new();
    for g in &m.genes {
        classic[(g.summary.classic_count as usize).min(5)] += 1;
        *n_sources.entry(g.summary.source_count).or_default() += 1;
    }
    let names: Vec<&str> = m.scoring.iter().map(|(n, _)| n.as_str()).collect();
    let supported: Vec<Vec<bool>> = m
        .genes
        .iter()
        .map(|g| {
            names
                .iter()
                .map(|n| g.supported().any(|s| s == *n))
                .collect()
        })
        .collect();
    let per_source: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(i, n)| json!({"source": n, "genes": supported.iter().filter(|s| s[i]).count()}))
        .collect();
    let mut overlaps = Vec::new();
    for i in 0..names.len() {
        for j in i + 1..names.len() {
            let both = supported.iter().filter(|s| s[i] && s[j]).count();
            overlaps.push(json!({"sources": [names[i], names[j]], "genes": both}));
        }
    }
    let mut body = json!({
        "genes": m.genes.len(),
        "tiers": count_by(&|g| g.summary.tier.clone(), &m.tiers),
        "groups": count_by(&|g| g.summary.group.clone(), &m.groups),
        "genes_per_source": per_source,
    });
    if mode != ResponseMode::Minimal {
        body["hgnc_genes_known"] = json!(m.hgnc_genes);
        body["classic_count"] = json!(
            classic
                .iter()
                .enumerate()
                .map(|(k, n)| json!({"classic_count": k, "genes": n}))
                .collect::<Vec<_>>()
        );
        body["source_count"] = json!(
            n_sources
                .iter()
                .map(|(k, n)| json!({"sources": k, "genes": n}))
                .collect::<Vec<_>>()
        );
        body["source_overlaps"] = json!(overlaps);
    }
    answer(m, mode, body)
}

/// `list_sources`.
pub fn list_sources(m: &ReadModel, mode: ResponseMode) -> Value {
    // Compact: the URLs and the latest retrieval; standard and full: every file with its
    // checksum, size and upstream version.
    let files = |v: &mut Value, d: &[crate::site::model::DownloadInfo]| {
        v["retrieved"] = json!(d.iter().map(|f| f.fetched_at.as_str()).max());
        v["file_count"] = json!(d.len());
        if mode.detailed() {
            v["files"] = json!(d.iter().map(|f| json!({"url": f.url, "final_url": f.final_url, "fetched_at": f.fetched_at, "sha256": f.sha256, "bytes": f.bytes, "upstream_version": f.upstream_version, "etag": f.etag, "last_modified": f.last_modified})).collect::<Vec<_>>());
        } else {
            v["urls"] = json!(d.iter().map(|f| f.url.as_str()).collect::<Vec<_>>());
        }
    };
    let minimal = mode == ResponseMode::Minimal;
    // What every kind of source has; the error only when there is one.
    let common =
        |v: &mut Value, title: &str, last_success: &Option<String>, last_error: &Option<String>| {
            if !minimal {
                v["title"] = json!(title);
            }
            if mode.detailed() {
                v["last_success"] = json!(last_success);
            }
            if let Some(e) = last_error {
                v["last_error"] = json!(e);
            }
        };
    let evidence: Vec<Value> = m
        .sources
        .iter()
        .map(|s| {
            let mut v = json!({"name": s.name, "upstream_version": s.upstream_version, "status": s.status, "stale": s.stale, "rows": s.rows, "genes": s.genes});
            common(&mut v, &s.title, &s.last_success, &s.last_error);
            if !minimal {
                files(&mut v, &s.downloads);
            }
            if mode.detailed() {
                v["homepage"] = json!(s.homepage);
                v["licence"] = json!(s.licence);
                v["citation"] = json!(s.citation);
            }
            v
        })
        .collect();
    let annotations: Vec<Value> = m
        .annotation_sources
        .iter()
        .map(|s| {
            let mut v = json!({"name": s.name, "upstream_version": s.upstream_version, "status": s.status, "stale": s.stale, "covered_genes": s.covered_genes});
            common(&mut v, &s.title, &s.last_success, &s.last_error);
            if !minimal {
                files(&mut v, &s.downloads);
            }
            if mode.detailed() {
                v["redistributed"] = json!(s.redistribute);
                v["homepage"] = json!(s.homepage);
                v["licence"] = json!(s.licence);
                v["citation"] = json!(s.citation);
            }
            v
        })
        .collect();
    answer(
        m,
        mode,
        json!({"evidence_sources": evidence, "annotation_sources": annotations}),
    )
}

/// The repository URL in a citation text (its last `http…` word).
fn url_of(text: &str) -> Option<&str> {
    text.split_whitespace()
        .rev()
        .find(|w| w.starts_with("http://") || w.starts_with("https://"))
        .map(|w| w.trim_end_matches(['.', ',', ')']))
}

/// `release_citation`.
pub fn release_citation(m: &ReadModel, mode: ResponseMode) -> Value {
    let r = &m.release;
    let date = r.build_time.get(..10).unwrap_or(&r.build_time);
    let url = url_of(&r.citation).unwrap_or("https://github.com/kidney-genetics/kgdb");
    let key = format!("kgdb_{}", r.name.replace(['.', '-'], "_"));
    let bibtex = format!(
        "@misc{{{key},\n  title = {{Kidney-Genetics Database}},\n  version = {{{}}},\n  note = {{release {}, kgdb {}}},\n  year = {{{}}},\n  date = {{{date}}},\n  url = {{{url}}}{}\n}}",
        r.name,
        r.name,
        r.kgdb_version,
        date.get(..4).unwrap_or(date),
        r.doi
            .as_ref()
            .map(|d| format!(",\n  doi = {{{d}}}"))
            .unwrap_or_default(),
    );
    let mut body = json!({
        "title": "Kidney-Genetics Database",
        "release": r.name,
        "kgdb_version": r.kgdb_version,
        "date": date,
        "built": r.build_time,
        "url": url,
        "manifest_sha256": r.manifest_sha256,
        "doi": r.doi,
        "citation_text": r.citation,
        "how_to_cite": format!("Cite the release you used: {} Name the sources the genes you report come from (their citations below).", r.citation),
        "bibtex": bibtex,
    });
    if r.manifest_sha256.is_none() {
        body["manifest_note"] = json!(
            "served from a data folder: the manifest checksum is that of the built site (serve it with --site DIR to show it)"
        );
    }
    if mode != ResponseMode::Minimal {
        body["source_citations"] = json!(m.sources.iter().map(|s| json!({"name": s.name, "title": s.title, "version": s.upstream_version, "citation": s.citation})).chain(m.annotation_sources.iter().map(|s| json!({"name": s.name, "title": s.title, "version": s.upstream_version, "citation": s.citation}))).collect::<Vec<_>>());
    }
    answer(m, mode, body)
}

/// Input of `get_interaction_partners`.
#[derive(Debug, Deserialize, rmcp::schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(deny_unknown_fields)]
pub struct PartnerParams {
    /// The gene: symbol, alias, previous symbol, HGNC, NCBI Gene or Ensembl ID.
    pub gene: String,
    /// How many partners at most (1-30, default 30; the site keeps the top 30).
    #[serde(default)]
    pub limit: Option<u64>,
    /// minimal | compact (default) | standard | full.
    #[serde(default)]
    pub response_mode: ResponseMode,
}

/// A gene's place in the kidney protein network as `genes.json` publishes it (the
/// annotation part that carries a `network` object).
#[derive(Debug, Deserialize)]
struct InteractionPart {
    network: NetworkPlace,
}

#[derive(Debug, Deserialize)]
struct NetworkPlace {
    #[serde(default)]
    cluster: Option<u64>,
    degree: u64,
    #[serde(default)]
    ppi_score: Option<f64>,
    #[serde(default)]
    ppi_percentile: Option<f64>,
    #[serde(default)]
    partners: Vec<NetworkPartner>,
}

#[derive(Debug, Deserialize)]
struct NetworkPartner {
    hgnc: u64,
    symbol: String,
    #[serde(default)]
    tier: Option<String>,
    #[serde(default)]
    percentage: Option<f64>,
    #[serde(default)]
    string_score: Option<f64>,
}

/// `get_interaction_partners`.
pub fn get_interaction_partners(m: &ReadModel, p: &PartnerParams) -> Result<Value, ToolError> {
    let limit = match p.limit {
        None => 30,
        Some(n @ 1..=30) => n as usize,
        Some(n) => {
            return Err(ToolError::BadInput {
                what: "limit",
                problem: format!("{n} is outside 1-30"),
            });
        }
    };
    let (g, how) = scored_gene(m, &p.gene)?;
    let place = g
        .annotations
        .values()
        .find_map(|v| serde_json::from_value::<InteractionPart>(v.clone()).ok())
        .map(|part| part.network);
    let Some(net) = place else {
        let body = json!({
            "query": p.gene.trim(), "matched_by": how,
            "gene": {"hgnc_id": g.summary.hgnc_id, "symbol": g.summary.symbol},
            "degree": 0, "partners": [],
            "note": format!("{} has no STRING physical link to another scored kidney gene in release {}", g.summary.symbol, m.release.name),
        });
        return Ok(answer(m, p.response_mode, body));
    };
    let partners: Vec<Value> = net
        .partners
        .iter()
        .take(limit)
        .map(|q| {
            json!({
                "hgnc_id": format!("HGNC:{}", q.hgnc), "symbol": q.symbol, "tier": q.tier,
                "percentage": q.percentage, "string_score": q.string_score,
            })
        })
        .collect();
    let body = json!({
        "query": p.gene.trim(), "matched_by": how,
        "gene": {"hgnc_id": g.summary.hgnc_id, "symbol": g.summary.symbol},
        "degree": net.degree,
        "ppi_score": net.ppi_score,
        "ppi_percentile": net.ppi_percentile,
        "cluster": net.cluster,
        "cluster_page": net.cluster.map(|c| format!("network.html#cluster={c}")),
        "partners": partners,
        "note": "partners are scored kidney genes linked by STRING physical interactions; a null string_score means the STRING file gave no scores (links >= 900 only); never part of the evidence score",
    });
    Ok(answer(m, p.response_mode, body))
}
