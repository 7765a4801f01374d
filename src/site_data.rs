//! From the store to [`SiteData`]: everything one build shows, gathered once.
//!
//! Why: the renderer must stay a pure function of its input (testable without a database),
//! and every number it shows must come from the store with its provenance. This module is
//! the one place that knows both: scores with their breakdown, the evidence records behind
//! each measure, and per source the files (URL, retrieval time, checksum, upstream version)
//! the build used.

use std::collections::{BTreeMap, HashMap};

use crate::gene_annotations::GeneAnnotations;
use crate::registry::Registry;
use crate::score::{GeneScore, ScoringSettings};
use crate::site::model::{
    AnnotationInfo, CurationInfo, DownloadInfo, Gene, GeneDecision, GeneSummary, Methods, Rule,
    SiteData, SourceInfo, SourceScore, StaleDecision,
};
use crate::source_state::SourceState;
use crate::sources::StoredRecord;
use crate::store::{Store, StoreError};

/// Why the data of a build could not be gathered.
#[derive(Debug, thiserror::Error)]
pub enum SiteDataError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("annotation of {hgnc_id} in the store is unreadable: {message}")]
    Annotation { hgnc_id: String, message: String },
}

/// The human title of a scoring source.
pub fn scoring_title(registry: &Registry, source: &str) -> String {
    registry
        .scoring(source)
        .map(|s| s.scoring_title())
        .unwrap_or_else(|| source.to_string())
}

/// Gather a build's data. `release` and `build_time` are decided by the caller.
pub fn load(
    registry: &Registry,
    store: &Store,
    release: &str,
    build_time: &str,
) -> Result<SiteData, SiteDataError> {
    let settings = registry.scoring_settings();
    let scores = store.scores()?;
    let hgnc: HashMap<String, crate::sources::hgnc::HgncGene> = store
        .hgnc_genes()?
        .into_iter()
        .map(|g| (g.hgnc_id.clone(), g))
        .collect();

    // Per source n (the same for every gene of a source).
    let mut n_of: HashMap<String, u32> = HashMap::new();
    for g in &scores {
        for s in &g.sources {
            n_of.entry(s.source.clone()).or_insert(s.n);
        }
    }
    // Evidence records per gene and source.
    let mut evidence: HashMap<String, BTreeMap<String, Vec<StoredRecord>>> = HashMap::new();
    for e in store.all_evidence()? {
        /// The `details` of an `evidence` row (see [`crate::evidence::Evidence`]).
        #[derive(serde::Deserialize)]
        struct Details {
            #[serde(default)]
            records: Vec<StoredRecord>,
        }
        let records = serde_json::from_str::<Details>(&e.details)
            .map(|d| d.records)
            .unwrap_or_default();
        evidence
            .entry(e.hgnc_id)
            .or_default()
            .insert(e.source, records);
    }

    // Curator decisions as the last normalization applied them.
    let curation_log = store.curation_log()?;
    let mut decisions: HashMap<String, Vec<GeneDecision>> = HashMap::new();
    let mut curation = CurationInfo::default();
    if let Some(state) = store.curation_state()? {
        curation.file = state.file.as_deref().map(|f| {
            std::path::Path::new(f)
                .file_name()
                .map_or_else(|| f.to_string(), |n| n.to_string_lossy().into_owned())
        });
        curation.sha256 = state.sha256;
    }
    let mut counted: std::collections::BTreeSet<(String, String)> = Default::default();
    for r in &curation_log {
        if r.status == "stale" {
            curation.stale.push(StaleDecision {
                decision: r.decision.clone(),
                why: r.change.clone(),
                reason: r.reason.clone(),
                curator: r.curator.clone(),
                date: r.date.clone(),
            });
            continue;
        }
        if counted.insert((r.kind.clone(), r.decision.clone())) {
            *curation.in_force.entry(r.kind.clone()).or_default() += 1;
        }
        if let Some(id) = &r.hgnc_id {
            decisions.entry(id.clone()).or_default().push(GeneDecision {
                kind: r.kind.clone(),
                decision: r.decision.clone(),
                change: r.change.clone(),
                reason: r.reason.clone(),
                curator: r.curator.clone(),
                date: r.date.clone(),
            });
        }
    }

    let considered: Vec<String> = settings
        .considered_sources()
        .into_iter()
        .map(str::to_string)
        .collect();
    let mut genes = Vec::with_capacity(scores.len());
    for g in &scores {
        let Some(h) = hgnc.get(&g.hgnc_id) else {
            continue; // scored before an HGNC update removed the gene; the next score drops it
        };
        genes.push(Gene {
            summary: GeneSummary {
                hgnc_id: g.hgnc_id.clone(),
                symbol: h.symbol.clone(),
                name: h.name.clone(),
                location: h.location.clone(),
                locus_group: h.locus_group.clone(),
                locus_type: h.locus_type.clone(),
                alias_symbols: h.alias_symbols.clone(),
                prev_symbols: h.prev_symbols.clone(),
                entrez_id: h.entrez_id.clone(),
                ensembl_gene_id: h.ensembl_gene_id.clone(),
                omim_ids: h.omim_ids.clone(),
                mane_select: h.mane_select.clone(),
                percentage: crate::score::round4(g.percentage),
                tier: g.tier.clone(),
                group: g.group.clone(),
                source_count: g.source_count,
                classic_count: g.classic_count,
            },
            uniprot_ids: h.uniprot_ids.clone(),
            breakdown: breakdown(registry, &settings, &considered, &n_of, g),
            evidence: evidence.remove(&g.hgnc_id).unwrap_or_default(),
            annotations: Default::default(),
            decisions: decisions.remove(&g.hgnc_id).unwrap_or_default(),
        });
    }

    let mut sources = Vec::new();
    for source in registry.sources() {
        let name = source.name();
        let common = source.common();
        let state = SourceState::of(store, name, common)?;
        let last_error = state.public_error();
        let rows = source.stored_rows(store)?;
        let genes_n = if source.scoring().is_none() {
            rows
        } else {
            store.staged_gene_count(name)?
        };
        sources.push(SourceInfo {
            name: name.to_string(),
            title: common.title.to_string(),
            homepage: common.homepage.map(|h| h.value.clone()),
            licence: common.licence.to_string(),
            citation: common.citation.to_string(),
            status: state.last.as_str().to_string(),
            stale: state.is_stale(),
            last_success: state.last_success,
            upstream_version: state.upstream_version,
            rows: rows as u64,
            genes: genes_n as u64,
            last_error,
            downloads: downloads_of(store, name)?,
        });
    }

    // Annotations: per gene the parts whose licence allows showing them; per source its
    // release, licence and coverage of the scored genes.
    let mut annotation_sources = Vec::new();
    let mut link_only = Vec::new();
    for annotation in registry.annotations() {
        let name = annotation.name();
        let common = annotation.common();
        if !annotation.redistribute() {
            link_only.push(name);
        }
        let state = SourceState::of(store, name, common)?;
        let last_error = state.public_error();
        let coverage = store.annotation_coverage(name)?;
        annotation_sources.push(AnnotationInfo {
            name: name.to_string(),
            title: common.title.to_string(),
            homepage: common.homepage.map(|h| h.value.clone()),
            licence: common.licence.to_string(),
            citation: common.citation.to_string(),
            redistribute: annotation.redistribute(),
            gene_link: annotation.gene_link().map(str::to_string),
            status: state.last.as_str().to_string(),
            stale: state.is_stale(),
            last_success: state.last_success,
            upstream_version: state.upstream_version,
            last_error,
            covered_genes: coverage.covered_genes,
            covered_protein_coding: coverage.covered_protein_coding,
            scored_genes: coverage.scored_genes,
            scored_protein_coding: coverage.scored_protein_coding,
            downloads: downloads_of(store, name)?,
        });
    }
    let mut annotations: HashMap<String, GeneAnnotations> = HashMap::new();
    // Link-only parts never reach a page or a download; the network's enrichment uses them.
    let mut hidden: HashMap<String, GeneAnnotations> = HashMap::new();
    for (hgnc_id, name, json) in store.scored_annotations()? {
        let into = if link_only.contains(&name.as_str()) {
            &mut hidden
        } else {
            &mut annotations
        };
        into.entry(hgnc_id.clone())
            .or_default()
            .set(&name, &json)
            .map_err(|e| SiteDataError::Annotation {
                hgnc_id: hgnc_id.clone(),
                message: e.to_string(),
            })?;
    }
    for g in &mut genes {
        if let Some(a) = annotations.remove(&g.summary.hgnc_id) {
            g.annotations = a;
        }
    }
    let network = crate::network_data::build(registry, &mut genes, &hidden, &annotation_sources);

    Ok(SiteData {
        kgdb_version: crate::VERSION.to_string(),
        build_time: build_time.to_string(),
        release: release.to_string(),
        genes,
        sources,
        methods: Methods {
            curation: curation.in_force.clone(),
            ..methods(registry)
        },
        changes: Vec::new(),
        annotation_sources,
        curation,
        network,
    })
}

/// The files a source's (or annotation's) current data came from.
fn downloads_of(store: &Store, source: &str) -> Result<Vec<DownloadInfo>, SiteDataError> {
    Ok(store
        .source_downloads(source)?
        .into_iter()
        .map(|d| DownloadInfo {
            url: d.url,
            final_url: d.final_url,
            fetched_at: d.fetched_at,
            etag: d.etag,
            last_modified: d.last_modified,
            sha256: d.sha256,
            bytes: d.bytes,
            upstream_version: d.upstream_version,
        })
        .collect())
}

fn breakdown(
    registry: &Registry,
    settings: &ScoringSettings,
    considered: &[String],
    n_of: &HashMap<String, u32>,
    g: &GeneScore,
) -> Vec<SourceScore> {
    considered
        .iter()
        .map(|source| {
            let method_name = settings.method(source).as_str();
            match g.sources.iter().find(|s| &s.source == source) {
                Some(s) => SourceScore {
                    source: source.clone(),
                    title: scoring_title(registry, source),
                    method: method_name.into(),
                    measure: s.measure,
                    n: u64::from(s.n),
                    rank: s.rank,
                    classification: s.classification.clone(),
                    weight: s.weight,
                    score: crate::score::round4(s.s),
                    contribution: crate::score::round4(s.contribution),
                    supported: s.supported,
                    contradicting: s.contradicting,
                    classic: s.classic,
                },
                None => SourceScore {
                    source: source.clone(),
                    title: scoring_title(registry, source),
                    method: method_name.into(),
                    measure: 0.0,
                    n: u64::from(n_of.get(source).copied().unwrap_or(0)),
                    rank: None,
                    classification: None,
                    weight: None,
                    score: 0.0,
                    contribution: 0.0,
                    supported: false,
                    contradicting: false,
                    classic: settings
                        .classic_thresholds
                        .contains_key(source)
                        .then_some(false),
                },
            }
        })
        .collect()
}

/// The rules of this build, in plain words, from the config.
pub fn methods(registry: &Registry) -> Methods {
    let config = &registry.config;
    let sc = &config.raw.scoring;
    let mut selection = BTreeMap::new();
    for source in registry.sources() {
        let lines = source.selection();
        if !lines.is_empty() {
            selection.insert(source.name().to_string(), lines);
        }
    }
    let rules = |v: &[crate::config::RawTier]| {
        v.iter()
            .map(|t| Rule {
                name: t.name.clone(),
                min_sources: t.min_sources,
                min_percentage: t.min_percentage,
            })
            .collect()
    };
    Methods {
        scoring_sources: sc.sources.value.clone(),
        classification_weights: sc
            .classification_weights
            .iter()
            .map(|(k, v)| (k.clone(), v.value))
            .collect(),
        classic_thresholds: sc.classic_thresholds.clone(),
        tiers: rules(&sc.tiers.value),
        groups: rules(&sc.groups),
        selection,
        annotation_rules: registry
            .annotations()
            .map(|a| (a.name().to_string(), a.methods_text()))
            .chain(std::iter::once((
                "all_annotations".to_string(),
                crate::annotations::common_methods_text(),
            )))
            .collect(),
        curation: BTreeMap::new(),
    }
}
