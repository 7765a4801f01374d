//! The network's files: `network/network-data.js` (what the network page draws, in the
//! shape of `docs/architecture.md`, "Network"), the on-demand gene-set scripts, and the
//! downloads `network_edges.tsv`, `network_clusters.tsv`, `cluster_enrichment.tsv` and
//! `network.cyjs` (Cytoscape JSON).
//!
//! Why one module: the page, the downloads and the Methods text describe the same
//! computed network ([`crate::network::NetworkBuild`]); the values are written here
//! once, in the form each reader needs. KEGG's library is never written (licence): only its
//! results in the cluster tables.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::downloads::{Column, File};
use super::index_data::script_safe;
use super::model::SiteData;
use super::{SiteError, Writer};
use crate::network::NetworkBuild;

fn ser(what: &str, v: &Value) -> Result<String, SiteError> {
    serde_json::to_string(v).map_err(|e| SiteError::Serialize {
        what: what.to_string(),
        source: e,
    })
}

/// Index of `v` in `list`, or null.
fn index_of(list: &[String], v: &Option<String>) -> Value {
    v.as_ref()
        .and_then(|v| list.iter().position(|x| x == v))
        .map_or(Value::Null, |i| json!(i))
}

fn distinct<'a>(it: impl Iterator<Item = &'a Option<String>>) -> Vec<String> {
    it.flatten()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// How the genes were chosen, in words.
pub fn selection_text(b: &NetworkBuild) -> String {
    let s = &b.net.settings;
    format!(
        "scored genes with a percentage score above {} that have at least one STRING physical \
         link (combined score ≥ {}{}) to another such gene: {} genes, {} links",
        s.min_percentage,
        b.net.threshold_in_force(),
        if b.net.scores_present {
            ""
        } else {
            "; the file has no score column and holds only links ≥ 900"
        },
        b.net.nodes.len(),
        b.net.edges.len()
    )
}

pub fn layout_text(b: &NetworkBuild) -> String {
    format!(
        "force-directed (Fruchterman–Reingold, grid repulsion), start positions by cluster, \
         seed {}, {} iterations, computed at build time",
        b.net.settings.seed, b.net.settings.layout_iterations
    )
}

pub fn clustering_text(b: &NetworkBuild) -> String {
    let s = &b.net.settings;
    format!(
        "Leiden (modularity, resolution {}, seed {}, up to {} iterations; edge weight = \
         combined score / 1000, or 1 without scores); clusters of fewer than {} genes are not \
         reported: {} clusters, modularity {:.3}",
        s.resolution,
        s.seed,
        s.iterations,
        s.min_cluster_size,
        b.net.clusters.len(),
        b.net.modularity
    )
}

/// The enrichment test, in words.
pub fn enrichment_text(b: &NetworkBuild) -> String {
    format!(
        "One-sided Fisher exact test (hypergeometric upper tail, computed from log-factorials) \
         of every term sharing at least one gene with the cluster; Benjamini–Hochberg FDR over \
         those terms, per cluster and library; odds ratio (a·d)/(b·c) capped at 1000. \
         Background per library: the network's genes with at least one term of that library \
         (n = cluster genes with a term). The {} terms with the smallest p are listed.",
        b.net.settings.top_terms
    )
}

fn background_text(b: &NetworkBuild, key: &str) -> String {
    let lib = b.libraries.iter().find(|l| l.key == key);
    match (b.net.backgrounds.get(key), lib) {
        (Some((n, _)), Some(l)) => format!(
            "{}: the {n} genes of the kidney network with at least one term",
            l.library
        ),
        _ => String::new(),
    }
}

/// The Methods page's lines on the network, with the figures of this build.
pub fn methods_lines(b: &NetworkBuild) -> Vec<String> {
    let net = &b.net;
    let mut out = vec![
        format!(
            "Interactions: {} {}, physical links. Score threshold in force: {}{}.",
            b.source_title,
            b.version.as_deref().unwrap_or("(version unknown)"),
            net.threshold_in_force(),
            if net.scores_present {
                format!(" (configured min_score {})", net.settings.min_score)
            } else {
                format!(
                    ": the links file has no combined_score column (it holds only links of at \
                     least 900), so every link counts as ≥ 900 and the configured min_score {} \
                     does not apply",
                    net.settings.min_score
                )
            }
        ),
        format!(
            "Mapped: {} STRING proteins to genes of this release (STRING's preferred name \
             through the HGNC normalizer: approved symbol, previous symbol, alias); {} links \
             between them read.",
            b.proteins_mapped, net.interactions_in
        ),
        format!("Network: {}.", selection_text(b)),
        format!("Clusters: {}.", clustering_text(b)),
        format!("Layout: {}.", layout_text(b)),
        format!("Enrichment: {}", enrichment_text(b)),
    ];
    for l in &b.libraries {
        out.push(format!(
            "Background {}: {}.{}",
            l.key,
            background_text(b, l.key),
            if l.shippable {
                ""
            } else {
                " The library itself is not published (licence); its results link to the pathway pages."
            }
        ));
    }
    out
}

/// `network/network-data.js`.
pub fn data_js(data: &SiteData, b: &NetworkBuild) -> Result<String, SiteError> {
    let net = &b.net;
    let mut tiers = b.tiers.clone();
    for t in distinct(net.nodes.iter().map(|n| &n.tier)) {
        if !tiers.contains(&t) {
            tiers.push(t);
        }
    }
    let clinical = distinct(net.nodes.iter().map(|n| &n.clinical_group));
    let onset = distinct(net.nodes.iter().map(|n| &n.onset_group));
    let synd = distinct(net.nodes.iter().map(|n| &n.syndromic));
    let col = |f: &dyn Fn(&crate::network::Node) -> Value| -> Value {
        Value::Array(net.nodes.iter().map(f).collect())
    };
    let nodes = json!({
        "hgnc": col(&|n| json!(n.hgnc)),
        "symbol": col(&|n| json!(n.symbol)),
        "x": col(&|n| json!(n.x)),
        "y": col(&|n| json!(n.y)),
        "score": col(&|n| json!(crate::score::round4(n.percentage))),
        "tier": col(&|n| index_of(&tiers, &n.tier)),
        "clinical_group": col(&|n| index_of(&clinical, &n.clinical_group)),
        "onset_group": col(&|n| index_of(&onset, &n.onset_group)),
        "syndromic": col(&|n| index_of(&synd, &n.syndromic)),
        "cluster": col(&|n| n.cluster.map_or(Value::Null, |c| json!(c))),
        "degree": col(&|n| json!(n.degree)),
    });
    let edges: Vec<usize> = net.edges.iter().flat_map(|&(a, b, _)| [a, b]).collect();
    let edge_scores = if net.scores_present {
        json!(net.edges.iter().map(|e| e.2).collect::<Vec<_>>())
    } else {
        Value::Null
    };
    // The page shows 4 significant digits; cluster_enrichment.tsv has every digit.
    let sig = |x: f64| -> Value {
        format!("{x:.3e}")
            .parse::<f64>()
            .map_or(Value::Null, |v| json!(v))
    };
    let clusters: Vec<Value> = net
        .clusters
        .iter()
        .map(|c| {
            let enrichment: serde_json::Map<String, Value> = c
                .enrichment
                .iter()
                .map(|(lib, rows)| {
                    let rows: Vec<Value> = rows
                        .iter()
                        .map(|r| {
                            let mut o = json!({"id": r.id, "name": r.name, "k": r.stats.k,
                                "n": r.stats.n, "K": r.stats.big_k, "N": r.stats.big_n,
                                "odds_ratio": sig(r.stats.odds_ratio), "p": sig(r.stats.p),
                                "fdr": sig(r.stats.fdr)});
                            if let Some(u) = &r.url {
                                o["url"] = json!(u);
                            }
                            o
                        })
                        .collect();
                    (lib.to_string(), Value::Array(rows))
                })
                .collect();
            json!({"id": c.id, "size": c.size, "nodes": c.nodes, "label": c.label,
                   "enrichment": enrichment})
        })
        .collect();
    let mut background = serde_json::Map::new();
    for l in &b.libraries {
        background.insert(l.key.to_string(), json!(background_text(b, l.key)));
    }
    let v = json!({
        "schema": 1,
        "release": data.release,
        "string": {
            "version": b.version,
            "scores_present": net.scores_present,
            "threshold_in_force": net.threshold_in_force(),
            "min_score_configured": net.settings.min_score,
        },
        "selection": selection_text(b),
        "layout": layout_text(b),
        "clustering": {"method": "leiden", "resolution": net.settings.resolution,
                       "seed": net.settings.seed, "text": clustering_text(b),
                       "modularity": net.modularity},
        "enrichment_test": enrichment_text(b),
        "tiers": tiers,
        "clinical_groups": clinical,
        "onset_groups": onset,
        "syndromic_classes": synd,
        "nodes": nodes,
        "edges": edges,
        "edge_scores": edge_scores,
        "clusters": clusters,
        "background": background,
    });
    Ok(format!(
        "window.KGDB_NETWORK = {};\n",
        script_safe(&ser("network/network-data.js", &v)?)
    ))
}

/// `network/genesets-<go|hpo>.js` for every shippable library (KEGG never).
pub fn geneset_scripts(b: &NetworkBuild) -> Result<Vec<(String, String)>, SiteError> {
    let mut out = Vec::new();
    for l in b.libraries.iter().filter(|l| l.shippable) {
        let Some((file, var)) = l.script else {
            continue;
        };
        let terms: Vec<Value> = l
            .terms
            .iter()
            .map(|(id, name, m)| {
                let label = if id == name {
                    id.clone()
                } else {
                    format!("{name} ({id})")
                };
                json!([label, m])
            })
            .collect();
        let v = json!({
            "library": l.library,
            "background": format!(
                "the {} scored genes of this release with at least one term of {}",
                l.genes_with_terms, l.library
            ),
            "terms": terms,
        });
        out.push((
            format!("network/{file}"),
            format!(
                "window.{var} = {};\n",
                script_safe(&ser(&format!("network/{file}"), &v)?)
            ),
        ));
    }
    Ok(out)
}

/// Write the page's data scripts.
pub fn write_scripts(data: &SiteData, w: &mut Writer) -> Result<(), SiteError> {
    let Some(b) = &data.network else {
        return Ok(());
    };
    w.write("network/network-data.js", data_js(data, b)?.as_bytes())?;
    for (path, text) in geneset_scripts(b)? {
        w.write(&path, text.as_bytes())?;
    }
    Ok(())
}

fn hgnc(n: u32) -> String {
    format!("HGNC:{n}")
}

fn delimited(what: &str, cols: &[Column], rows: Vec<Vec<String>>) -> Result<Vec<u8>, SiteError> {
    super::downloads::delimited(what, b'\t', cols, rows.into_iter())
}

/// The network downloads (none without a network).
pub fn downloads(data: &SiteData) -> Result<Vec<File>, SiteError> {
    let Some(b) = &data.network else {
        return Ok(Vec::new());
    };
    let net = &b.net;
    let cl = |v: usize| {
        net.nodes[v]
            .cluster
            .map(|c| c.to_string())
            .unwrap_or_default()
    };
    let ecols = vec![
        Column::new(
            "hgnc_id_a",
            "text",
            "HGNC id of one gene (the smaller node index)",
        ),
        Column::new("symbol_a", "text", "Its approved symbol"),
        Column::new("hgnc_id_b", "text", "HGNC id of the other gene"),
        Column::new("symbol_b", "text", "Its approved symbol"),
        Column::new(
            "combined_score",
            "integer",
            "STRING combined score 0–1000; empty when the links file had no score column (every link then ≥ 900)",
        ),
        Column::new(
            "cluster_a",
            "integer",
            "Cluster of gene a (empty: in no reported cluster)",
        ),
        Column::new("cluster_b", "integer", "Cluster of gene b"),
    ];
    let erows = net
        .edges
        .iter()
        .map(|&(a, bb, s)| {
            vec![
                hgnc(net.nodes[a].hgnc),
                net.nodes[a].symbol.clone(),
                hgnc(net.nodes[bb].hgnc),
                net.nodes[bb].symbol.clone(),
                s.map(|s| s.to_string()).unwrap_or_default(),
                cl(a),
                cl(bb),
            ]
        })
        .collect();
    let ncols = vec![
        Column::new("hgnc_id", "text", "HGNC id of the network gene"),
        Column::new("symbol", "text", "Approved symbol"),
        Column::new(
            "cluster",
            "integer",
            "Leiden cluster (empty: in a cluster below the minimum size)",
        ),
        Column::new(
            "cluster_label",
            "text",
            "The cluster's most enriched GO BP term",
        ),
        Column::new("cluster_size", "integer", "Genes in the cluster"),
        Column::new("degree", "integer", "Links of the gene within the network"),
        Column::new("percentage_score", "number", "The gene's percentage score"),
        Column::new("tier", "text", "The gene's evidence tier"),
        Column::new("x", "number", "Layout x (network page)"),
        Column::new("y", "number", "Layout y"),
    ];
    let nrows = net
        .nodes
        .iter()
        .map(|n| {
            let clu = n.cluster.map(|c| &net.clusters[c]);
            vec![
                hgnc(n.hgnc),
                n.symbol.clone(),
                n.cluster.map(|c| c.to_string()).unwrap_or_default(),
                clu.map(|c| c.label.clone()).unwrap_or_default(),
                clu.map(|c| c.size.to_string()).unwrap_or_default(),
                n.degree.to_string(),
                crate::sources::view::fnum(n.percentage),
                n.tier.clone().unwrap_or_default(),
                n.x.to_string(),
                n.y.to_string(),
            ]
        })
        .collect();
    let tcols = vec![
        Column::new("cluster", "integer", "Cluster (network_clusters.tsv)"),
        Column::new(
            "library",
            "text",
            format!(
                "The gene-set library: {}",
                b.libraries
                    .iter()
                    .map(|l| format!("{} ({})", l.key, l.library))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        Column::new(
            "rank",
            "integer",
            "Rank of the term in the cluster by p (1 = smallest)",
        ),
        Column::new(
            "term_id",
            "text",
            "Term id (HP:…, GO:…; KEGG: the pathway name)",
        ),
        Column::new("term_name", "text", "Term name"),
        Column::new("k", "integer", "Cluster genes in the term"),
        Column::new(
            "n",
            "integer",
            "Cluster genes with at least one term of the library",
        ),
        Column::new("K", "integer", "Background genes in the term"),
        Column::new(
            "N",
            "integer",
            "Background size: network genes with at least one term of the library",
        ),
        Column::new(
            "odds_ratio",
            "number",
            "(a·d)/(b·c) of the 2×2 table, capped at 1000",
        ),
        Column::new(
            "p_value",
            "number",
            "One-sided Fisher exact test (hypergeometric upper tail)",
        ),
        Column::new(
            "fdr",
            "number",
            "Benjamini–Hochberg over the terms tested for this cluster and library",
        ),
    ];
    let mut trows = Vec::new();
    for cluster in &net.clusters {
        for (lib, rows) in &cluster.enrichment {
            for (i, r) in rows.iter().enumerate() {
                trows.push(vec![
                    cluster.id.to_string(),
                    lib.to_string(),
                    (i + 1).to_string(),
                    r.id.clone(),
                    r.name.clone(),
                    r.stats.k.to_string(),
                    r.stats.n.to_string(),
                    r.stats.big_k.to_string(),
                    r.stats.big_n.to_string(),
                    format!("{:e}", r.stats.odds_ratio),
                    format!("{:e}", r.stats.p),
                    format!("{:e}", r.stats.fdr),
                ]);
            }
        }
    }
    let cyjs = cytoscape(data, b)?;
    Ok(vec![
        (
            "network_edges.tsv",
            delimited("downloads/network_edges.tsv", &ecols, erows)?,
            format!("The kidney protein network: one row per STRING physical link between two network genes ({}), tab-separated", selection_text(b)),
            ecols,
        ),
        (
            "network_clusters.tsv",
            delimited("downloads/network_clusters.tsv", &ncols, nrows)?,
            format!("One row per network gene: its cluster ({}) and layout position", clustering_text(b)),
            ncols,
        ),
        (
            "cluster_enrichment.tsv",
            delimited("downloads/cluster_enrichment.tsv", &tcols, trows)?,
            format!("Per cluster and library (HPO, GO BP, KEGG) the most enriched terms. {}", enrichment_text(b)),
            tcols,
        ),
        (
            "network.cyjs",
            cyjs,
            "The kidney network as Cytoscape JSON (File → Import → Network from File in Cytoscape desktop): nodes with HGNC id, symbol, score, tier, cluster, degree and layout position; edges with the combined score".into(),
            Vec::new(),
        ),
    ])
}

/// Cytoscape JSON (`elements.nodes[].data/position`, `elements.edges[].data`).
fn cytoscape(data: &SiteData, b: &NetworkBuild) -> Result<Vec<u8>, SiteError> {
    let net = &b.net;
    let nodes: Vec<Value> = net
        .nodes
        .iter()
        .map(|n| {
            json!({
                "data": {"id": hgnc(n.hgnc), "name": n.symbol, "shared_name": n.symbol,
                         "percentage_score": n.percentage, "tier": n.tier,
                         "cluster": n.cluster, "degree": n.degree,
                         "clinical_group": n.clinical_group, "onset_group": n.onset_group,
                         "syndromic": n.syndromic},
                "position": {"x": (n.x * 40.0).round(), "y": (n.y * 40.0).round()},
            })
        })
        .collect();
    let edges: Vec<Value> = net
        .edges
        .iter()
        .enumerate()
        .map(|(i, &(a, bb, s))| {
            json!({"data": {"id": format!("e{i}"), "source": hgnc(net.nodes[a].hgnc),
                            "target": hgnc(net.nodes[bb].hgnc), "interaction": "pp",
                            "name": format!("{} (pp) {}", net.nodes[a].symbol, net.nodes[bb].symbol),
                            "combined_score": s}})
        })
        .collect();
    let v = json!({
        "format_version": "1.0",
        "generated_by": format!("kgdb {}", data.kgdb_version),
        "target_cytoscapejs_version": "~2.1",
        "data": {"name": format!("kgdb {} kidney network", data.release),
                 "selection": selection_text(b), "clustering": clustering_text(b)},
        "elements": {"nodes": nodes, "edges": edges},
    });
    serde_json::to_vec(&v).map_err(|e| SiteError::Serialize {
        what: "downloads/network.cyjs".into(),
        source: e,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::{self, GeneSets, Interaction, LibraryUsed, NodeIn, Timings};

    /// A small network: the five ciliary genes of the landmark (real HGNC numbers) in a ring,
    /// plus a triangle of collagen genes (numbers illustrative), an illustrative GO BP
    /// library and no STRING scores.
    fn small() -> SiteData {
        let mut data: SiteData =
            serde_json::from_str(include_str!("../../tests/fixtures/site_data.json")).unwrap();
        let genes: Vec<NodeIn> = [
            (7905, "NPHP1", 90.0),
            (19104, "NPHP4", 97.8),
            (29168, "RPGRIP1L", 83.4),
            (28396, "TMEM67", 95.0),
            (29021, "CEP290", 96.0),
            (2206, "COL4A3", 99.0),
            (2207, "COL4A4", 98.0),
            (2207 + 1, "COL4A5", 99.5),
        ]
        .into_iter()
        .map(|(h, s, p)| NodeIn {
            hgnc: h,
            symbol: s.to_string(),
            percentage: p,
            tier: Some("comprehensive_support".into()),
            clinical_group: None,
            onset_group: None,
            syndromic: None,
        })
        .collect();
        let it = |a, b| Interaction { a, b, score: None };
        let links = [
            it(7905, 19104),
            it(19104, 29168),
            it(29168, 28396),
            it(28396, 29021),
            it(29021, 7905),
            it(2206, 2207),
            it(2207, 2208),
            it(2206, 2208),
        ];
        let sets = [GeneSets {
            key: "go_bp",
            terms: vec![
                (
                    "GO:0060271".into(),
                    "Cilium Assembly".into(),
                    vec![28396, 29168, 29021],
                ),
                (
                    "GO:0001822".into(),
                    "Kidney Development".into(),
                    vec![29021, 2206],
                ),
            ],
            term_url: None,
        }];
        let net = network::build(&genes, &links, &sets, &network::Settings::default());
        data.network = Some(NetworkBuild {
            net,
            source_title: "STRING".into(),
            version: Some("12.0".into()),
            proteins_mapped: 8,
            libraries: vec![LibraryUsed {
                key: "go_bp",
                library: "GO_Biological_Process_2023".into(),
                shippable: true,
                script: Some(("genesets-go.js", "KGDB_GENESETS_GO")),
                terms: sets[0].terms.clone(),
                genes_with_terms: 5,
            }],
            tiers: vec!["comprehensive_support".into()],
            elapsed_ms: 0,
            timings: Timings::default(),
        });
        data
    }

    #[test]
    fn network_files_as_the_page_and_readers_get_them() {
        let data = small();
        let b = data.network.as_ref().unwrap();
        insta::assert_snapshot!("network_data_js", data_js(&data, b).unwrap());
        let files = downloads(&data).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.0).collect();
        assert_eq!(
            names,
            [
                "network_edges.tsv",
                "network_clusters.tsv",
                "cluster_enrichment.tsv",
                "network.cyjs"
            ]
        );
        insta::assert_snapshot!(
            "network_edges_tsv",
            String::from_utf8(files[0].1.clone()).unwrap()
        );
        insta::assert_snapshot!(
            "cluster_enrichment_tsv",
            String::from_utf8(files[2].1.clone()).unwrap()
        );
        let cy: Value = serde_json::from_slice(&files[3].1).unwrap();
        assert_eq!(cy["elements"]["nodes"].as_array().unwrap().len(), 8);
        assert_eq!(cy["elements"]["edges"][0]["data"]["source"], "HGNC:2206");
        let scripts = geneset_scripts(b).unwrap();
        assert_eq!(scripts.len(), 1);
        assert!(scripts[0].1.starts_with("window.KGDB_GENESETS_GO = {"));
        assert!(
            scripts[0]
                .1
                .contains("[\"Cilium Assembly (GO:0060271)\",[28396,29168,29021]]")
        );
        let methods = methods_lines(b).join("\n");
        assert!(
            methods.contains("Score threshold in force: 900"),
            "{methods}"
        );
    }
}
