//! From a build's genes and annotation parts to the network's input, and back: the
//! interaction annotation's parts replaced by what the gene pages and downloads show.
//!
//! Why separate from [`crate::network`]: the network core is pure and knows no annotation;
//! this glue walks the registry's annotations through the trait hooks
//! ([`AnnotationSource::network_settings`], [`AnnotationSource::interactions`],
//! [`AnnotationSource::gene_sets`], [`AnnotationSource::node_classes`]) so no source is
//! named here either.

use std::collections::HashMap;

use crate::annotations::AnnotationSource;
use crate::gene_annotations::GeneAnnotations;
use crate::network::{self, GeneSets, Interaction, LibraryUsed, NetworkBuild, NodeIn};
use crate::registry::Registry;
use crate::site::model::{AnnotationInfo, Gene};

/// HGNC:9008 → 9008.
pub fn hgnc_number(id: &str) -> Option<u32> {
    id.strip_prefix("HGNC:")?.parse().ok()
}

/// Build the network from the genes' parts (`hidden`: parts of link-only annotations, used
/// for enrichment only) and replace the interaction parts by their network view. `None`
/// when no enabled annotation provides interactions.
pub fn build(
    registry: &Registry,
    genes: &mut [Gene],
    hidden: &HashMap<String, GeneAnnotations>,
    infos: &[AnnotationInfo],
) -> Option<NetworkBuild> {
    let start = std::time::Instant::now();
    let source = registry
        .annotations()
        .find(|a| a.common().enabled && a.network_settings().is_some())?;
    let settings = source.network_settings()?;
    let version = infos
        .iter()
        .find(|i| i.name == source.name())
        .and_then(|i| i.upstream_version.clone());
    let key = source.part().key;
    fn annotations_with<'a>(
        g: &'a Gene,
        key: &str,
        hidden: &'a HashMap<String, GeneAnnotations>,
    ) -> Option<&'a GeneAnnotations> {
        if g.annotations.has(key) {
            Some(&g.annotations)
        } else {
            hidden.get(&g.summary.hgnc_id)
        }
    }
    let parts_of = |g| annotations_with(g, key, hidden);
    // Protein name → gene, from each gene's own part.
    let mut by_name: HashMap<&str, u32> = HashMap::new();
    let mut proteins_mapped = 0;
    for g in genes.iter() {
        let (Some(h), Some(part)) = (
            hgnc_number(&g.summary.hgnc_id),
            parts_of(g).and_then(|a| a.part(key)),
        ) else {
            continue;
        };
        if let Some(i) = source.interactions(part) {
            by_name.insert(i.name, h);
            proteins_mapped += 1;
        }
    }
    let mut interactions = Vec::new();
    let mut unmapped_partners = 0usize;
    for g in genes.iter() {
        let (Some(h), Some(part)) = (
            hgnc_number(&g.summary.hgnc_id),
            parts_of(g).and_then(|a| a.part(key)),
        ) else {
            continue;
        };
        if let Some(i) = source.interactions(part) {
            for (p, score) in i.partners {
                match by_name.get(p) {
                    Some(&b) if b > h => interactions.push(Interaction { a: h, b, score }),
                    Some(_) => {}
                    None => unmapped_partners += 1,
                }
            }
        }
    }
    tracing::debug!("network: {unmapped_partners} partner links to proteins of no build gene");
    // Node classes and gene sets.
    let classes: Vec<&dyn AnnotationSource> = registry
        .annotations()
        .filter(|a| a.common().enabled)
        .collect();
    let nodes: Vec<NodeIn> = genes
        .iter()
        .filter_map(|g| {
            let h = hgnc_number(&g.summary.hgnc_id)?;
            let mut n = NodeIn {
                hgnc: h,
                symbol: g.summary.symbol.clone(),
                percentage: g.summary.percentage,
                tier: Some(g.summary.tier.clone()).filter(|t| !t.is_empty()),
                clinical_group: None,
                onset_group: None,
                syndromic: None,
            };
            for a in &classes {
                if let Some(c) = g
                    .annotations
                    .part(a.part().key)
                    .and_then(|p| a.node_classes(p))
                {
                    n.clinical_group = c.clinical_group;
                    n.onset_group = c.onset_group;
                    n.syndromic = c.syndromic;
                }
            }
            Some(n)
        })
        .collect();
    let mut libraries = Vec::new();
    let mut sets = Vec::new();
    for a in &classes {
        let Some(info) = a.gene_sets() else { continue };
        let pk = a.part().key;
        let mut terms: HashMap<(String, String), Vec<u32>> = HashMap::new();
        let mut with = 0;
        for g in genes.iter() {
            let Some(h) = hgnc_number(&g.summary.hgnc_id) else {
                continue;
            };
            let part = g
                .annotations
                .part(pk)
                .or_else(|| hidden.get(&g.summary.hgnc_id).and_then(|x| x.part(pk)));
            let Some(part) = part else { continue };
            let t = a.gene_terms(part);
            if !t.is_empty() {
                with += 1;
            }
            for term in t {
                terms.entry(term).or_default().push(h);
            }
        }
        let mut terms: Vec<(String, String, Vec<u32>)> = terms
            .into_iter()
            .map(|((id, name), m)| (id, name, m))
            .collect();
        terms.sort_unstable_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        sets.push(GeneSets {
            key: info.key,
            terms,
            term_url: info.term_url,
        });
        libraries.push(LibraryUsed {
            key: info.key,
            library: info.library,
            shippable: info.shippable,
            script: info.script.filter(|_| info.shippable),
            terms: Vec::new(),
            genes_with_terms: with,
        });
    }
    let (net, timings) = network::build_timed(&nodes, &interactions, &sets, &settings);
    // Shippable libraries keep their sets for the network page's on-demand scripts.
    for (lib, set) in libraries.iter_mut().zip(sets) {
        if lib.shippable {
            lib.terms = set.terms;
        }
    }
    // The gene pages and downloads show the network view of the interaction part.
    for g in genes.iter_mut() {
        let Some(h) = hgnc_number(&g.summary.hgnc_id) else {
            continue;
        };
        if let Some(part) = g.annotations.part(key)
            && let Some(view) = source.with_network(part, net.genes.get(&h))
        {
            g.annotations.replace(key, view);
        }
    }
    let tiers = registry
        .config
        .raw
        .scoring
        .tiers
        .value
        .iter()
        .map(|t| t.name.clone())
        .collect();
    Some(NetworkBuild {
        net,
        source_title: source.common().title.to_string(),
        version,
        proteins_mapped,
        libraries,
        tiers,
        elapsed_ms: start.elapsed().as_millis(),
        timings,
    })
}
