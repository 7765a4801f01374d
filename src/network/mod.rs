//! The kidney protein-interaction network, built once per release: per-gene interaction
//! figures (`ppi_score`), the network of the selected kidney genes, its Leiden clusters, a
//! layout, and each cluster's enrichment in HPO, GO BP and KEGG terms.
//!
//! Why at build time and pure: the predecessor did this on a server (igraph, Enrichr calls);
//! kgdb has no server, so the network page, the gene pages and the downloads read what this
//! module computes from the build's data. It knows no source: its input is genes (HGNC
//! number, score, tier, classes), interactions between HGNC numbers with an optional STRING
//! combined score, and gene-set libraries already mapped to HGNC numbers (gathered by
//! [`crate::site_data`] through the annotation trait).

pub mod enrich;
pub mod layout;
pub mod leiden;
mod rng;

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use enrich::{Library, LogFactorials, TermResult};

/// One gene offered to the network (a scored gene of the build).
#[derive(Debug, Clone)]
pub struct NodeIn {
    /// HGNC number (9008 for HGNC:9008).
    pub hgnc: u32,
    pub symbol: String,
    /// Percentage score 0–100.
    pub percentage: f64,
    pub tier: Option<String>,
    pub clinical_group: Option<String>,
    pub onset_group: Option<String>,
    /// `syndromic` / `non-syndromic` when the gene has HPO classes.
    pub syndromic: Option<String>,
}

/// An interaction between two genes (HGNC numbers) with its STRING combined score (None
/// when the file had no score column: every pair then counts as at least 900).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interaction {
    pub a: u32,
    pub b: u32,
    pub score: Option<u16>,
}

/// A gene-set library mapped to HGNC numbers.
#[derive(Debug, Clone)]
pub struct GeneSets {
    /// `hpo`, `go_bp`, `kegg`: the key in the cluster tables.
    pub key: &'static str,
    /// Terms: id, name, members.
    pub terms: Vec<(String, String, Vec<u32>)>,
    /// The page of a term, from its id.
    pub term_url: Option<fn(&str) -> String>,
}

/// The build-time settings of the network (from the interaction annotation's block).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Links below this STRING combined score are dropped (when the file has scores).
    pub min_score: u16,
    /// Genes with a percentage score above this join the network (and count as partners).
    pub min_percentage: f64,
    pub resolution: f64,
    pub seed: u64,
    pub iterations: usize,
    /// Clusters smaller than this are not reported (their genes have no cluster).
    pub min_cluster_size: usize,
    pub layout_iterations: usize,
    /// Terms per library and cluster in the tables.
    pub top_terms: usize,
    /// Partners listed per gene.
    pub top_partners: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            min_score: 400,
            min_percentage: 0.0,
            resolution: 1.0,
            seed: 42,
            iterations: 10,
            min_cluster_size: 3,
            layout_iterations: 300,
            top_terms: 10,
            top_partners: 30,
        }
    }
}

/// A gene of the network.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    pub hgnc: u32,
    pub symbol: String,
    pub x: f64,
    pub y: f64,
    pub percentage: f64,
    pub tier: Option<String>,
    pub clinical_group: Option<String>,
    pub onset_group: Option<String>,
    pub syndromic: Option<String>,
    pub cluster: Option<usize>,
    pub degree: usize,
}

/// One enriched term of a cluster.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermRow {
    pub id: String,
    pub name: String,
    #[serde(flatten)]
    pub stats: TermResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cluster {
    pub id: usize,
    pub size: usize,
    /// Node indices.
    pub nodes: Vec<usize>,
    /// The name of its most enriched GO BP term (else `cluster N`).
    pub label: String,
    /// Library key → its top terms by p.
    pub enrichment: BTreeMap<&'static str, Vec<TermRow>>,
}

/// A partner of a gene, for its page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partner {
    pub hgnc: u32,
    pub symbol: String,
    pub string_score: Option<u16>,
    pub percentage: f64,
    pub tier: Option<String>,
    /// score/1000 × partner percentage (score counted as 1 without scores).
    pub weighted: f64,
}

/// A gene's interaction figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GenePpi {
    /// Distinct kidney partners.
    pub degree: usize,
    pub ppi_score: f64,
    /// percent_rank of `ppi_score` among genes with a score above 0 (0–1).
    pub ppi_percentile: Option<f64>,
    /// The cluster of the gene in the network, if any.
    pub cluster: Option<usize>,
    /// The strongest partners by weighted score.
    pub partners: Vec<Partner>,
}

/// Everything computed.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    pub settings: Settings,
    pub scores_present: bool,
    /// Interactions read (among any genes) and how many joined kidney genes.
    pub interactions_in: usize,
    pub nodes: Vec<Node>,
    /// Node-index pairs (a < b) with the combined score if known, sorted.
    pub edges: Vec<(usize, usize, Option<u16>)>,
    pub clusters: Vec<Cluster>,
    pub genes: HashMap<u32, GenePpi>,
    /// Per library key: the background size N and what it is.
    pub backgrounds: BTreeMap<&'static str, (usize, String)>,
    pub modularity: f64,
}

impl Network {
    /// The score threshold in force: the configured one, or 900 when the file had no
    /// scores (it holds only pairs of at least 900).
    pub fn threshold_in_force(&self) -> u16 {
        if self.scores_present {
            self.settings.min_score
        } else {
            900
        }
    }
}

/// A gene-set library as the build used it.
#[derive(Debug, Clone, PartialEq)]
pub struct LibraryUsed {
    /// `hpo`, `go_bp`, `kegg`.
    pub key: &'static str,
    pub library: String,
    /// May the library itself be shipped (gene-set file for the page)?
    pub shippable: bool,
    /// Its on-demand script for the network page (file, variable), when shippable.
    pub script: Option<(&'static str, &'static str)>,
    /// Terms mapped to HGNC numbers of the build's genes (empty when not shippable).
    pub terms: Vec<(String, String, Vec<u32>)>,
    /// Genes of the build with at least one term.
    pub genes_with_terms: usize,
}

/// The network of a build with what the pages say about it.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkBuild {
    pub net: Network,
    /// The interaction annotation's title, upstream version and licence.
    pub source_title: String,
    pub version: Option<String>,
    /// Interaction parts among the build's genes (proteins mapped to scored genes).
    pub proteins_mapped: usize,
    pub libraries: Vec<LibraryUsed>,
    /// The tiers in the configured order.
    pub tiers: Vec<String>,
    /// Milliseconds spent in all (gathering the input included).
    pub elapsed_ms: u128,
    /// Milliseconds per phase of the network build.
    pub timings: Timings,
}

/// Build the network. `genes`: every scored gene; `interactions`: pairs of HGNC numbers
/// (either order, duplicates allowed: the best score is kept); `libraries`: gene sets.
pub fn build(
    genes: &[NodeIn],
    interactions: &[Interaction],
    libraries: &[GeneSets],
    s: &Settings,
) -> Network {
    build_timed(genes, interactions, libraries, s).0
}

/// Milliseconds per phase of [`build`] (for `kgdb build`'s summary and the benchmarks).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timings {
    pub clustering_ms: f64,
    pub layout_ms: f64,
    pub enrichment_ms: f64,
    pub total_ms: f64,
}

/// [`build`] with the time of each phase.
pub fn build_timed(
    genes: &[NodeIn],
    interactions: &[Interaction],
    libraries: &[GeneSets],
    s: &Settings,
) -> (Network, Timings) {
    let t0 = std::time::Instant::now();
    let ms = |t: std::time::Instant| t.elapsed().as_secs_f64() * 1000.0;
    let scores_present = interactions.iter().any(|i| i.score.is_some());
    let by_hgnc: HashMap<u32, usize> = genes.iter().enumerate().map(|(i, g)| (g.hgnc, i)).collect();
    let kidney = |i: usize| genes[i].percentage > s.min_percentage;
    // Distinct kidney pairs with their best score.
    let mut pairs: BTreeMap<(usize, usize), Option<u16>> = BTreeMap::new();
    for it in interactions {
        if it.a == it.b {
            continue;
        }
        if let Some(sc) = it.score
            && sc < s.min_score
        {
            continue;
        }
        let (Some(&a), Some(&b)) = (by_hgnc.get(&it.a), by_hgnc.get(&it.b)) else {
            continue;
        };
        if !kidney(a) || !kidney(b) {
            continue;
        }
        let key = (a.min(b), a.max(b));
        let e = pairs.entry(key).or_insert(it.score);
        if it.score > *e {
            *e = it.score;
        }
    }
    // Nodes: kidney genes with at least one edge, in HGNC order.
    let mut members: Vec<usize> = pairs.keys().flat_map(|&(a, b)| [a, b]).collect();
    members.sort_by_key(|&i| genes[i].hgnc);
    members.dedup();
    let node_of: HashMap<usize, usize> = members.iter().enumerate().map(|(n, &g)| (g, n)).collect();
    let mut edges: Vec<(usize, usize, Option<u16>)> = pairs
        .iter()
        .map(|(&(a, b), &sc)| {
            let (x, y) = (node_of[&a], node_of[&b]);
            (x.min(y), x.max(y), sc)
        })
        .collect();
    edges.sort_unstable();
    let n = members.len();
    let weight = |sc: Option<u16>| sc.map_or(1.0, |v| f64::from(v) / 1000.0);
    let t_cluster = std::time::Instant::now();
    let graph = leiden::Graph::from_edges(
        n,
        &edges
            .iter()
            .map(|&(a, b, sc)| (a, b, weight(sc)))
            .collect::<Vec<_>>(),
    );
    let part = leiden::leiden(
        &graph,
        leiden::Params {
            resolution: s.resolution,
            seed: s.seed,
            iterations: s.iterations,
        },
    );
    let modularity = leiden::modularity(&graph, &part, s.resolution);
    // Clusters of at least the minimum size, numbered by size (leiden numbers them so).
    let ncl = part.iter().max().map_or(0, |m| m + 1);
    let mut cl_nodes: Vec<Vec<usize>> = vec![Vec::new(); ncl];
    for (v, &c) in part.iter().enumerate() {
        cl_nodes[c].push(v);
    }
    let kept: Vec<Vec<usize>> = cl_nodes
        .into_iter()
        .filter(|m| m.len() >= s.min_cluster_size.max(1))
        .collect();
    let mut cluster_of: Vec<Option<usize>> = vec![None; n];
    for (c, m) in kept.iter().enumerate() {
        for &v in m {
            cluster_of[v] = Some(c);
        }
    }
    let mut degree = vec![0usize; n];
    for &(a, b, _) in &edges {
        degree[a] += 1;
        degree[b] += 1;
    }
    let clustering_ms = ms(t_cluster);
    let t_layout = std::time::Instant::now();
    let pos = layout::layout(
        n,
        &edges.iter().map(|&(a, b, _)| (a, b)).collect::<Vec<_>>(),
        &cluster_of,
        layout::LayoutParams {
            seed: s.seed,
            iterations: s.layout_iterations,
        },
    );
    let nodes: Vec<Node> = members
        .iter()
        .enumerate()
        .map(|(v, &g)| {
            let gi = &genes[g];
            Node {
                hgnc: gi.hgnc,
                symbol: gi.symbol.clone(),
                x: pos[v].0,
                y: pos[v].1,
                percentage: gi.percentage,
                tier: gi.tier.clone(),
                clinical_group: gi.clinical_group.clone(),
                onset_group: gi.onset_group.clone(),
                syndromic: gi.syndromic.clone(),
                cluster: cluster_of[v],
                degree: degree[v],
            }
        })
        .collect();

    let layout_ms = ms(t_layout);
    let t_enrich = std::time::Instant::now();
    // Enrichment: background = network genes with at least one term of the library.
    let node_index: HashMap<u32, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, nd)| (nd.hgnc, i))
        .collect();
    let lf = LogFactorials::new(n.max(1));
    let mut backgrounds = BTreeMap::new();
    let mut tables: Vec<BTreeMap<&'static str, Vec<TermRow>>> = vec![BTreeMap::new(); kept.len()];
    for lib in libraries {
        let members: Vec<Vec<usize>> = lib
            .terms
            .iter()
            .map(|(_, _, m)| {
                m.iter()
                    .filter_map(|h| node_index.get(h).copied())
                    .collect()
            })
            .collect();
        let library = Library::new(n, members);
        backgrounds.insert(
            lib.key,
            (
                library.background,
                format!(
                    "the {} network genes with at least one term of the library",
                    library.background
                ),
            ),
        );
        for (c, m) in kept.iter().enumerate() {
            let rows: Vec<TermRow> = library
                .enrich(m, &lf)
                .into_iter()
                .take(s.top_terms)
                .map(|r| {
                    let (id, name, _) = &lib.terms[r.term];
                    TermRow {
                        id: id.clone(),
                        name: name.clone(),
                        url: lib.term_url.map(|f| f(id)),
                        stats: r,
                    }
                })
                .collect();
            tables[c].insert(lib.key, rows);
        }
    }
    let clusters: Vec<Cluster> = kept
        .into_iter()
        .zip(tables)
        .enumerate()
        .map(|(id, (nodes, enrichment))| {
            let label = enrichment
                .get("go_bp")
                .and_then(|r| r.first())
                .map(|t| t.name.clone())
                .unwrap_or_else(|| format!("cluster {id}"));
            Cluster {
                id,
                size: nodes.len(),
                nodes,
                label,
                enrichment,
            }
        })
        .collect();

    let enrichment_ms = ms(t_enrich);
    // Per gene: partners among kidney genes (the same edges), ppi_score, percentile.
    let mut partners: HashMap<usize, Vec<(usize, Option<u16>)>> = HashMap::new();
    for (&(a, b), &sc) in &pairs {
        partners.entry(a).or_default().push((b, sc));
        partners.entry(b).or_default().push((a, sc));
    }
    let mut per_gene: HashMap<u32, GenePpi> = HashMap::new();
    for (&g, list) in &partners {
        let mut ps: Vec<Partner> = list
            .iter()
            .map(|&(p, sc)| {
                let pg = &genes[p];
                Partner {
                    hgnc: pg.hgnc,
                    symbol: pg.symbol.clone(),
                    string_score: sc,
                    percentage: pg.percentage,
                    tier: pg.tier.clone(),
                    weighted: weight(sc) * pg.percentage,
                }
            })
            .collect();
        let degree = ps.len();
        let sum: f64 = ps.iter().map(|p| p.weighted).sum();
        let ppi_score = sum / (degree as f64).sqrt();
        ps.sort_by(|a, b| b.weighted.total_cmp(&a.weighted).then(a.hgnc.cmp(&b.hgnc)));
        ps.truncate(s.top_partners);
        per_gene.insert(
            genes[g].hgnc,
            GenePpi {
                degree,
                ppi_score,
                ppi_percentile: None,
                cluster: node_index.get(&genes[g].hgnc).and_then(|&v| cluster_of[v]),
                partners: ps,
            },
        );
    }
    // percent_rank = (rank − 1) / (n − 1), rank = 1 + number of smaller scores.
    let mut positive: Vec<f64> = per_gene
        .values()
        .map(|p| p.ppi_score)
        .filter(|&v| v > 0.0)
        .collect();
    positive.sort_by(f64::total_cmp);
    let m = positive.len();
    for p in per_gene.values_mut() {
        if p.ppi_score > 0.0 {
            let below = positive.partition_point(|&v| v < p.ppi_score);
            p.ppi_percentile = Some(if m > 1 {
                below as f64 / (m - 1) as f64
            } else {
                0.0
            });
        }
    }

    let net = Network {
        settings: s.clone(),
        scores_present,
        interactions_in: interactions.len(),
        nodes,
        edges,
        clusters,
        genes: per_gene,
        backgrounds,
        modularity,
    };
    let timings = Timings {
        clustering_ms,
        layout_ms,
        enrichment_ms,
        total_ms: ms(t0),
    };
    (net, timings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gene(h: u32, pct: f64) -> NodeIn {
        NodeIn {
            hgnc: h,
            symbol: format!("G{h}"),
            percentage: pct,
            tier: None,
            clinical_group: None,
            onset_group: None,
            syndromic: None,
        }
    }

    #[test]
    fn ppi_score_follows_the_predecessor() {
        // 1–2 (900), 1–3 (500), 1–4 (300: below 400), 1–5 (5 is not a kidney gene).
        let genes = [
            gene(1, 50.0),
            gene(2, 80.0),
            gene(3, 40.0),
            gene(4, 90.0),
            gene(5, 0.0),
        ];
        let it = |a, b, s| Interaction {
            a,
            b,
            score: Some(s),
        };
        let net = build(
            &genes,
            &[
                it(1, 2, 900),
                it(2, 1, 700),
                it(1, 3, 500),
                it(1, 4, 300),
                it(1, 5, 999),
            ],
            &[],
            &Settings::default(),
        );
        let g1 = &net.genes[&1];
        assert_eq!(g1.degree, 2);
        let want = (0.9 * 80.0 + 0.5 * 40.0) / 2f64.sqrt();
        assert!((g1.ppi_score - want).abs() < 1e-12, "{}", g1.ppi_score);
        assert_eq!(g1.partners[0].symbol, "G2");
        assert_eq!(g1.partners[0].string_score, Some(900));
        assert_eq!(net.nodes.len(), 3);
        assert_eq!(net.edges.len(), 2);
        assert_eq!(net.threshold_in_force(), 400);
        // Ranks: G2 (0.9*50=45), G3 (0.5*50=25), G1 (65.05): percent_rank 0.5, 0, 1.
        assert_eq!(net.genes[&3].ppi_percentile, Some(0.0));
        assert_eq!(net.genes[&1].ppi_percentile, Some(1.0));
        assert!(!net.genes.contains_key(&4));
    }

    #[test]
    fn without_scores_every_edge_weighs_one_and_the_threshold_is_900() {
        let genes = [gene(1, 50.0), gene(2, 80.0), gene(3, 40.0)];
        let it = |a, b| Interaction { a, b, score: None };
        let net = build(
            &genes,
            &[it(1, 2), it(2, 3), it(3, 1)],
            &[],
            &Settings::default(),
        );
        assert!(!net.scores_present);
        assert_eq!(net.threshold_in_force(), 900);
        let g1 = &net.genes[&1];
        assert!((g1.ppi_score - (80.0 + 40.0) / 2f64.sqrt()).abs() < 1e-12);
        assert_eq!(net.clusters.len(), 1);
        assert_eq!(net.clusters[0].size, 3);
        assert_eq!(g1.cluster, Some(0));
    }

    #[test]
    fn clusters_are_enriched_and_the_build_is_deterministic() {
        // Two 6-cliques (hgnc 1..=6, 11..=16) joined by one edge; term A = first clique.
        let mut genes = Vec::new();
        let mut its = Vec::new();
        for base in [0u32, 10] {
            for i in 1..=6 {
                genes.push(gene(base + i, 10.0));
                for j in i + 1..=6 {
                    its.push(Interaction {
                        a: base + i,
                        b: base + j,
                        score: None,
                    });
                }
            }
        }
        its.push(Interaction {
            a: 6,
            b: 11,
            score: None,
        });
        let lib = GeneSets {
            key: "go_bp",
            terms: vec![
                ("GO:1".into(), "Cilium Assembly".into(), vec![1, 2, 3, 4, 5]),
                (
                    "GO:2".into(),
                    "Other".into(),
                    vec![6, 11, 12, 13, 14, 15, 16],
                ),
            ],
            term_url: None,
        };
        let s = Settings::default();
        let a = build(&genes, &its, std::slice::from_ref(&lib), &s);
        let b = build(&genes, &its, &[lib], &s);
        assert_eq!(a, b);
        assert_eq!(a.clusters.len(), 2);
        let c = a.nodes[0].cluster.unwrap();
        assert_eq!(a.clusters[c].label, "Cilium Assembly");
        let top = &a.clusters[c].enrichment["go_bp"][0];
        assert_eq!(
            (top.stats.k, top.stats.n, top.stats.big_k, top.stats.big_n),
            (5, 6, 5, 12)
        );
        assert_eq!(a.backgrounds["go_bp"].0, 12);
    }
}
