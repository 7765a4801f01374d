//! From the store to [`SiteData`]: everything one build shows, gathered once.
//!
//! Why: the renderer must stay a pure function of its input (testable without a database),
//! and every number it shows must come from the store with its provenance. This module is
//! the one place that knows both: scores with their breakdown, the evidence records behind
//! each measure, and per source the files (URL, retrieval time, checksum, upstream version)
//! the build used.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::annotations::model::{ANNOTATION_NAMES, GeneAnnotations};
use crate::config::{Config, SOURCE_NAMES};
use crate::score::{GeneScore, Method, ScoringSettings};
use crate::site::model::{
    AnnotationInfo, DownloadInfo, Gene, Methods, Rule, SiteData, SourceInfo, SourceScore,
};
use crate::source_state::SourceState;
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
pub fn scoring_title(config: &Config, source: &str) -> String {
    let s = &config.raw.sources;
    match source {
        "panelapp" => "PanelApp (UK and Australia)".to_string(),
        other => s
            .common(other)
            .map(|c| c.title.to_string())
            .unwrap_or_else(|| other.to_string()),
    }
}

/// Gather a build's data. `release` and `build_time` are decided by the caller.
pub fn load(
    config: &Config,
    store: &Store,
    release: &str,
    build_time: &str,
) -> Result<SiteData, SiteDataError> {
    let settings = ScoringSettings::from_config(config);
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
    let mut evidence: HashMap<String, BTreeMap<String, Vec<Value>>> = HashMap::new();
    for e in store.all_evidence()? {
        let details: Value = serde_json::from_str(&e.details).unwrap_or(Value::Null);
        let records = match details.get("records") {
            Some(Value::Array(a)) => a.clone(),
            _ => Vec::new(),
        };
        evidence
            .entry(e.hgnc_id)
            .or_default()
            .insert(e.source, records);
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
            breakdown: breakdown(config, &settings, &considered, &n_of, g),
            evidence: evidence.remove(&g.hgnc_id).unwrap_or_default(),
            annotations: Default::default(),
        });
    }

    let mut sources = Vec::new();
    for name in SOURCE_NAMES {
        let Some(common) = config.raw.sources.common(name) else {
            continue;
        };
        let state = SourceState::of(store, name, common)?;
        let rows = if name == "hgnc" {
            store.hgnc_count()?
        } else {
            store.staged_count(name)?
        };
        let genes_n = if name == "hgnc" {
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
            last_error: state.last_error,
            downloads: downloads_of(store, name)?,
        });
    }

    // Annotations: per gene the parts whose licence allows showing them; per source its
    // release, licence and coverage of the scored genes.
    let mut annotation_sources = Vec::new();
    let mut link_only = Vec::new();
    for name in ANNOTATION_NAMES {
        let Some(info) = config.raw.annotations.info(name) else {
            continue;
        };
        let common = info.common;
        if !info.redistribute {
            link_only.push(*name);
        }
        let state = SourceState::of(store, name, common)?;
        let coverage = store.annotation_coverage(name)?;
        annotation_sources.push(AnnotationInfo {
            name: name.to_string(),
            title: common.title.to_string(),
            homepage: common.homepage.map(|h| h.value.clone()),
            licence: common.licence.to_string(),
            citation: common.citation.to_string(),
            redistribute: info.redistribute,
            gene_link: info.gene_link.map(|l| l.value.clone()),
            status: state.last.as_str().to_string(),
            stale: state.is_stale(),
            last_success: state.last_success,
            upstream_version: state.upstream_version,
            last_error: state.last_error,
            covered_genes: coverage.covered_genes,
            covered_protein_coding: coverage.covered_protein_coding,
            scored_genes: coverage.scored_genes,
            scored_protein_coding: coverage.scored_protein_coding,
            downloads: downloads_of(store, name)?,
        });
    }
    let mut annotations: HashMap<String, GeneAnnotations> = HashMap::new();
    for (hgnc_id, name, json) in store.scored_annotations()? {
        if link_only.contains(&name.as_str()) {
            continue;
        }
        annotations
            .entry(hgnc_id.clone())
            .or_default()
            .set(&name, &json)
            .map_err(|e| SiteDataError::Annotation {
                hgnc_id: hgnc_id.clone(),
                message: e,
            })?;
    }
    for g in &mut genes {
        if let Some(a) = annotations.remove(&g.hgnc_id) {
            g.annotations = a;
        }
    }

    Ok(SiteData {
        kgdb_version: crate::VERSION.to_string(),
        build_time: build_time.to_string(),
        release: release.to_string(),
        genes,
        sources,
        methods: methods(config),
        changes: Vec::new(),
        annotation_sources,
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
    config: &Config,
    settings: &ScoringSettings,
    considered: &[String],
    n_of: &HashMap<String, u32>,
    g: &GeneScore,
) -> Vec<SourceScore> {
    considered
        .iter()
        .map(|source| {
            let method = Method::of(source);
            let method_name = match method {
                Method::Percentile => "percentile",
                Method::Classification => "classification",
            };
            match g.sources.iter().find(|s| &s.source == source) {
                Some(s) => SourceScore {
                    source: source.clone(),
                    title: scoring_title(config, source),
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
                    title: scoring_title(config, source),
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
pub fn methods(config: &Config) -> Methods {
    let sc = &config.raw.scoring;
    let s = &config.raw.sources;
    let mut selection = BTreeMap::new();
    let list = |v: &[String]| v.join(", ");
    for (name, p) in [
        ("panelapp_uk", &s.panelapp_uk),
        ("panelapp_au", &s.panelapp_au),
    ] {
        let mut lines = vec![format!(
            "Every panel of {} whose name contains one of: {}.",
            p.api_url.value,
            list(&p.panel_name_patterns.value)
        )];
        if !p.panel_name_exclusions.is_empty() {
            lines.push(format!(
                "Never a panel whose name contains: {}.",
                list(&p.panel_name_exclusions)
            ));
        }
        if !p.include_panels.is_empty() {
            lines.push(format!("Always panels {:?}.", p.include_panels));
        }
        if !p.exclude_panels.is_empty() {
            lines.push(format!("Never panels {:?}.", p.exclude_panels));
        }
        lines.push(format!(
            "Counted ratings: {} (other ratings are shown, not counted).",
            list(&p.counted_ratings.value)
        ));
        selection.insert(name.to_string(), lines);
    }
    selection.insert(
        "clingen".into(),
        vec![
            format!(
                "Curations by the expert panels: {}.",
                list(&s.clingen.expert_panels.value)
            ),
            format!(
                "Or whose disease label contains one of: {}; and none of: {}.",
                list(&s.clingen.disease_keywords.value),
                list(&s.clingen.disease_exclusions)
            ),
            "Every classification is kept; zero-weight ones are contradicting evidence.".into(),
        ],
    );
    selection.insert(
        "gencc".into(),
        vec![
            format!(
                "Submissions whose disease title contains one of: {}; and none of: {}.",
                list(&s.gencc.disease_keywords.value),
                list(&s.gencc.disease_exclusions)
            ),
            "Every classification is kept; the best one counts.".into(),
        ],
    );
    selection.insert(
        "hpo".into(),
        vec![
            format!(
                "Diseases ({}) with at least one phenotype annotation, not qualified NOT, to {} or a descendant term.",
                list(&s.hpo.disease_prefixes.value),
                list(&s.hpo.kidney_root_terms.value)
            ),
            "Genes linked to those diseases in genes_to_disease.txt.".into(),
        ],
    );
    selection.insert(
        "pubtator".into(),
        vec![
            format!("PubTator3 search: {}", s.pubtator.query.value),
            "Genes annotated in each article (title and abstract highlights).".into(),
        ],
    );
    selection.insert(
        "literature".into(),
        vec![format!(
            "{} curated publication gene lists.",
            s.literature.files.value.len()
        )],
    );
    selection.insert(
        "diagnostic_panels".into(),
        vec![format!(
            "{} diagnostic laboratories' kidney panels.",
            s.diagnostic_panels.files.value.len()
        )],
    );
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
        annotation_rules: crate::annotations::rules_text(
            &config.raw.annotations.hpo_phenotypes.rules.value,
        ),
    }
}
