//! STRING v12 physical protein–protein interactions (human), with STRING's protein names.
//!
//! Why: the predecessor annotated every kidney gene with its STRING partners among kidney
//! genes and a `ppi_score`, and built its network page from them. kgdb stores each
//! protein's partners here; the figures that depend on the scores (degree among kidney
//! genes, `ppi_score`, its percentile, the cluster) are computed at build time by
//! [`crate::network`] and shown through [`AnnotationSource::with_network`].
//!
//! Files (read by header NAME, separator from the header line):
//! - `9606.protein.physical.links.v12.0.txt.gz`: STRING's file is space-separated with the
//!   header `protein1 protein2 combined_score` (scores 0–1000, every pair in both
//!   directions). The offline mirror serves a derived copy: comma-separated, CRLF, header
//!   `protein1,protein2`, only pairs with a score of at least 900, each pair once. Without
//!   a `combined_score` column every link counts as "at least 900" (and the Sources and
//!   Methods pages say so); with it, links below `min_score` are dropped.
//! - `9606.protein.info.v12.0.txt.gz`: tab-separated, header `#string_protein_id
//!   preferred_name [protein_size annotation]`; the preferred name (a symbol) is what the
//!   normalizer maps to HGNC. Proteins without a name keep their id (the normalizer logs
//!   what does not map).

use std::collections::BTreeMap;

use futures_util::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::fetch::{self, Rows, Transfer};
use super::model::{Part, PartKind, PartType, part_of};
use super::view::*;
use super::{AnnotationSource, Body, CsvColumn, Interactions, PartContext};
use crate::config::{Config, Problem};
use crate::sources::session::Session;
use crate::sources::{ParseProblem, SourceError, Staged, StagedRow, text_of};

/// The links file as read.
#[derive(Debug, Clone, PartialEq)]
pub struct Links {
    /// False when the file has no `combined_score` column.
    pub scores_present: bool,
    /// protein1, protein2, score.
    pub pairs: Vec<(String, String, Option<u16>)>,
}

/// Split a line by the separator the header uses.
#[derive(Debug, Clone, Copy)]
enum Sep {
    Comma,
    Tab,
    Space,
}

impl Sep {
    fn of(header: &str) -> Sep {
        if header.contains('\t') {
            Sep::Tab
        } else if header.contains(',') {
            Sep::Comma
        } else {
            Sep::Space
        }
    }

    fn split(self, line: &str) -> Vec<&str> {
        match self {
            Sep::Comma => line.split(',').map(str::trim).collect(),
            Sep::Tab => line.split('\t').map(str::trim).collect(),
            Sep::Space => line.split_whitespace().collect(),
        }
    }
}

/// Non-empty lines with their 1-based number, CR removed.
fn lines(text: &str) -> impl Iterator<Item = (u64, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.strip_suffix('\r').unwrap_or(l)))
        .filter(|(_, l)| !l.trim().is_empty())
}

/// Parse the physical links file (either layout).
pub fn parse_links(bytes: &[u8]) -> Result<Links, ParseProblem> {
    let text = text_of(bytes, "STRING links table")?;
    let mut it = lines(text);
    let (hline, header) = it
        .next()
        .ok_or_else(|| ParseProblem::whole("no header line"))?;
    let sep = Sep::of(header);
    let names = sep.split(header);
    let col = |name: &str| {
        names
            .iter()
            .position(|h| *h == name)
            .ok_or_else(|| ParseProblem::at(hline, format!("missing column `{name}` in header")))
    };
    let p1 = col("protein1")?;
    let p2 = col("protein2")?;
    let score = names.iter().position(|h| *h == "combined_score");
    let mut pairs = Vec::new();
    for (line, raw) in it {
        let f = sep.split(raw);
        if f.len() != names.len() {
            return Err(ParseProblem::at(
                line,
                format!("{} fields, the header has {}", f.len(), names.len()),
            ));
        }
        let (a, b) = (f[p1], f[p2]);
        if a.is_empty() || b.is_empty() {
            return Err(ParseProblem::at(line, "empty protein id"));
        }
        let s = match score {
            None => None,
            Some(i) => match f[i].parse::<u16>() {
                Ok(v) if v <= 1000 => Some(v),
                _ => {
                    return Err(ParseProblem::at(
                        line,
                        format!("`combined_score` `{}` is not a score 0–1000", f[i]),
                    ));
                }
            },
        };
        pairs.push((a.to_string(), b.to_string(), s));
    }
    if pairs.is_empty() {
        return Err(ParseProblem::whole("STRING links table has no rows"));
    }
    Ok(Links {
        scores_present: score.is_some(),
        pairs,
    })
}

/// Parse protein.info: protein id → preferred name.
pub fn parse_info(bytes: &[u8]) -> Result<BTreeMap<String, String>, ParseProblem> {
    let text = text_of(bytes, "STRING protein info table")?;
    let mut it = lines(text);
    let (hline, header) = it
        .next()
        .ok_or_else(|| ParseProblem::whole("no header line"))?;
    let sep = if header.contains('\t') {
        Sep::Tab
    } else {
        Sep::of(header)
    };
    let names: Vec<&str> = sep
        .split(header)
        .into_iter()
        .map(|h| h.trim_start_matches('#'))
        .collect();
    let col = |name: &str| {
        names
            .iter()
            .position(|h| *h == name)
            .ok_or_else(|| ParseProblem::at(hline, format!("missing column `{name}` in header")))
    };
    let id = col("string_protein_id")?;
    let name = col("preferred_name")?;
    let mut out = BTreeMap::new();
    for (line, raw) in it {
        let f = sep.split(raw);
        let (Some(i), Some(n)) = (f.get(id), f.get(name)) else {
            return Err(ParseProblem::at(line, "fewer fields than the header"));
        };
        if i.is_empty() {
            return Err(ParseProblem::at(line, "empty `string_protein_id`"));
        }
        if !n.is_empty() {
            out.insert(i.to_string(), n.to_string());
        }
    }
    if out.is_empty() {
        return Err(ParseProblem::whole("STRING protein info table has no rows"));
    }
    Ok(out)
}

/// One row per linked protein: its name and its partners' names with the best score of the
/// pair. Every link is kept; `min_score` applies when the network is built (so a changed
/// threshold needs no new download).
pub fn stage(links: &Links, info: &BTreeMap<String, String>) -> Vec<StagedRow> {
    let name = |id: &str| info.get(id).cloned().unwrap_or_else(|| id.to_string());
    let mut by: BTreeMap<&str, BTreeMap<&str, Option<u16>>> = BTreeMap::new();
    for (a, b, s) in &links.pairs {
        if a == b {
            continue;
        }
        for (x, y) in [(a, b), (b, a)] {
            let e = by
                .entry(x.as_str())
                .or_default()
                .entry(y.as_str())
                .or_insert(*s);
            if *s > *e {
                *e = *s;
            }
        }
    }
    let unnamed = by.keys().filter(|id| !info.contains_key(**id)).count();
    if unnamed > 0 {
        tracing::warn!("STRING: {unnamed} linked proteins have no preferred name; kept by id");
    }
    let mut rows = Rows::new();
    for (protein, partners) in by {
        let n = name(protein);
        let part = StringPpi {
            protein: protein.to_string(),
            name: n.clone(),
            string_partners: partners.len(),
            links: partners.iter().map(|(p, s)| (name(p), *s)).collect(),
            network: None,
        };
        rows.push(protein.to_string(), 0, Some(&n), None, None, None, &part);
    }
    rows.rows()
}

// ---------------------------------------------------------------------------------------
// The annotation.

/// `string`: a gene's STRING protein and interactions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StringPpi {
    /// `9606.ENSP…`.
    pub protein: String,
    /// STRING's preferred name.
    pub name: String,
    /// Partners in STRING (any gene, any score in the file).
    #[serde(default)]
    pub string_partners: usize,
    /// As stored: every partner (name, combined score). Left out of what the site shows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<(String, Option<u16>)>,
    /// The gene in the kidney network (set at build time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<crate::network::GenePpi>,
}

impl PartType for StringPpi {
    const KEY: &'static str = "string";
}

/// The network block of the settings (the build-time kidney network).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkBlock {
    /// Genes with a percentage score above this form the network.
    pub min_percentage: Spanned<f64>,
    pub resolution: Spanned<f64>,
    pub seed: u64,
    pub iterations: Spanned<u64>,
    pub min_cluster_size: Spanned<u64>,
    pub layout_iterations: Spanned<u64>,
}

crate::annotation_settings! {
    pub struct Settings {
        pub links_url: Spanned<String>,
        pub info_url: Spanned<String>,
        /// Links below this combined score are dropped (when the file has scores).
        pub min_score: Spanned<u64>,
        pub network: NetworkBlock,
    }
}

pub fn load(
    name: &'static str,
    config: &Config,
) -> Result<Box<dyn AnnotationSource>, Vec<Problem>> {
    super::load_block(
        name,
        config,
        |s: &Settings, c, k| {
            c.url(&s.links_url, &format!("{k}.links_url"));
            c.url(&s.info_url, &format!("{k}.info_url"));
            if s.min_score.value > 1000 {
                c.push(
                    &s.min_score,
                    format!("{k}.min_score"),
                    "a STRING combined score lies in 0..=1000",
                );
            }
            let n = &s.network;
            if !(0.0..100.0).contains(&n.min_percentage.value) {
                c.push(
                    &n.min_percentage,
                    format!("{k}.network.min_percentage"),
                    "must lie in 0..100",
                );
            }
            c.positive_f64(&n.resolution, &format!("{k}.network.resolution"));
            c.positive_u64(&n.iterations, &format!("{k}.network.iterations"));
            c.positive_u64(
                &n.min_cluster_size,
                &format!("{k}.network.min_cluster_size"),
            );
            c.positive_u64(
                &n.layout_iterations,
                &format!("{k}.network.layout_iterations"),
            );
        },
        |settings| Box::new(StringSource { name, settings }),
    )
}

pub struct StringSource {
    name: &'static str,
    settings: Settings,
}

/// `…/protein.physical.links.v12.0/…` → `12.0`.
pub fn string_version(url: &str) -> Option<String> {
    let name = url.rsplit('/').next()?;
    let rest = name.split(".v").nth(1)?;
    let mut parts = rest.split('.');
    let major = parts.next()?;
    let minor = parts.next()?;
    (!major.is_empty()
        && major.chars().all(|c| c.is_ascii_digit())
        && minor.chars().all(|c| c.is_ascii_digit()))
    .then(|| format!("{major}.{minor}"))
}

fn version(t: &Transfer<'_>) -> Option<String> {
    string_version(t.final_url).or_else(|| string_version(t.url))
}

/// Links, then info.
fn parse_files(
    source: &str,
    bodies: &[(String, Vec<u8>)],
) -> Result<(Vec<StagedRow>, Option<String>), SourceError> {
    let (lurl, ltext) = fetch::file(source, bodies, 0)?;
    let links = parse_links(&ltext).map_err(fetch::at(source, lurl))?;
    let (iurl, itext) = fetch::file(source, bodies, 1)?;
    let info = parse_info(&itext).map_err(fetch::at(source, iurl))?;
    let version = if links.scores_present {
        None
    } else {
        // Said on Sources: the file had no scores.
        string_version(lurl).map(|v| format!("{v} (no combined_score column: links ≥ 900)"))
    };
    Ok((stage(&links, &info), version))
}

impl AnnotationSource for StringSource {
    crate::annotation_accessors!();

    fn default_gene_link(&self) -> Option<&'static str> {
        Some("https://string-db.org/cgi/network?identifiers={symbol}&species=9606")
    }

    fn part(&self) -> PartKind {
        PartKind::of::<StringPpi>()
    }

    fn heading(&self) -> &'static str {
        "Protein interactions (STRING)"
    }

    fn methods_text(&self) -> Vec<String> {
        let n = &self.settings.network;
        vec![
            format!(
                "STRING physical links (human) with a combined score of at least {}; a \
                 links file without a combined_score column (the offline mirror's copy holds \
                 only pairs of at least 900) is taken as is and every link counts as at least \
                 900. Proteins are mapped to HGNC through STRING's preferred name.",
                self.settings.min_score.value
            ),
            format!(
                "Partners and ppi_score count kidney genes only (percentage score above {}): \
                 ppi_score = Σ (combined score / 1000 × partner's percentage score) / \
                 √degree, with weight 1 per link when the file has no scores; the percentile \
                 is the percent rank among genes with a ppi_score above 0. The {} partners \
                 with the largest weighted score are listed.",
                num(n.min_percentage.value, 2),
                crate::network::Settings::default().top_partners
            ),
        ]
    }

    fn fetch<'a>(
        &'a self,
        session: &'a mut Session<'_>,
    ) -> LocalBoxFuture<'a, Result<Staged, SourceError>> {
        let urls = vec![
            self.settings.links_url.value.clone(),
            self.settings.info_url.value.clone(),
        ];
        Box::pin(fetch::fetch(session, urls, version, parse_files))
    }

    fn network_settings(&self) -> Option<crate::network::Settings> {
        let n = &self.settings.network;
        Some(crate::network::Settings {
            min_score: self.settings.min_score.value.min(1000) as u16,
            min_percentage: n.min_percentage.value,
            resolution: n.resolution.value,
            seed: n.seed,
            iterations: n.iterations.value as usize,
            min_cluster_size: n.min_cluster_size.value as usize,
            layout_iterations: n.layout_iterations.value as usize,
            ..Default::default()
        })
    }

    fn interactions<'a>(&self, part: &'a dyn Part) -> Option<Interactions<'a>> {
        let p = part_of::<StringPpi>(part)?;
        Some(Interactions {
            name: &p.name,
            partners: p.links.iter().map(|(n, s)| (n.as_str(), *s)).collect(),
        })
    }

    fn with_network(
        &self,
        part: &dyn Part,
        ppi: Option<&crate::network::GenePpi>,
    ) -> Option<Box<dyn Part>> {
        let p = part_of::<StringPpi>(part)?;
        Some(Box::new(StringPpi {
            protein: p.protein.clone(),
            name: p.name.clone(),
            string_partners: p.string_partners,
            links: Vec::new(),
            network: ppi.cloned(),
        }))
    }

    fn gene_line(&self, part: &dyn Part) -> Option<String> {
        let p = part_of::<StringPpi>(part)?;
        Some(format!(
            "STRING     {} ({}), {} partners",
            p.name, p.protein, p.string_partners
        ))
    }

    fn csv_columns(&self) -> Vec<CsvColumn> {
        fn net(p: &dyn Part) -> Option<&crate::network::GenePpi> {
            part_of::<StringPpi>(p).and_then(|s| s.network.as_ref())
        }
        vec![
            CsvColumn {
                name: "string_protein",
                kind: "text",
                description: "STRING protein id (9606.ENSP…)",
                value: |p| of(part_of::<StringPpi>(p), |s| s.protein.clone()),
            },
            CsvColumn {
                name: "ppi_degree",
                kind: "integer",
                description: "Distinct STRING partners among kidney genes",
                value: |p| of(net(p), |n| n.degree.to_string()),
            },
            CsvColumn {
                name: "ppi_score",
                kind: "number",
                description: "Σ (combined score/1000 × partner percentage score) / √degree",
                value: |p| of(net(p), |n| fnum(n.ppi_score)),
            },
            CsvColumn {
                name: "ppi_percentile",
                kind: "number",
                description: "Percent rank (0–1) of ppi_score among genes with a ppi_score above 0",
                value: |p| of(net(p).and_then(|n| n.ppi_percentile), fnum),
            },
            CsvColumn {
                name: "network_cluster",
                kind: "integer",
                description: "Cluster of the gene in the kidney network (network_clusters.tsv)",
                value: |p| of(net(p).and_then(|n| n.cluster), |c| c.to_string()),
            },
        ]
    }

    fn section(&self, part: &dyn Part, cx: &PartContext<'_>) -> Body {
        let mut b = Body::default();
        let Some(p) = part_of::<StringPpi>(part) else {
            return b;
        };
        b.facts.push(fact(
            "STRING protein",
            vec![link(
                format!("{} ({})", p.name, p.protein),
                id_ok(&p.protein).then(|| {
                    format!(
                        "https://string-db.org/network/{}",
                        p.protein.replace(' ', "")
                    )
                }),
            )],
        ));
        let Some(n) = &p.network else {
            b.notes.push(format!(
                "{} STRING partners, none of them a kidney gene.",
                p.string_partners
            ));
            return b;
        };
        b.facts.push(fact(
            "Kidney partners",
            vec![text(format!(
                "{} (of {} STRING partners)",
                n.degree, p.string_partners
            ))],
        ));
        b.facts
            .push(fact("ppi_score", vec![text(num(n.ppi_score, 2))]));
        if let Some(pc) = n.ppi_percentile {
            b.facts.push(fact("Percentile", vec![text(pct(pc))]));
        }
        b.facts.push(fact(
            "Cluster",
            match n.cluster {
                Some(c) => vec![link(
                    format!("cluster {c} on the network page"),
                    Some(format!("../network.html#cluster={c}")),
                )],
                None => vec![text("none (not in a cluster of the kidney network)")],
            },
        ));
        let rows: Vec<Vec<Cell>> = n
            .partners
            .iter()
            .map(|pt| {
                vec![
                    vec![link(
                        pt.symbol.clone(),
                        Some(format!("HGNC_{}.html", pt.hgnc)),
                    )],
                    vec![text(
                        pt.string_score
                            .map_or_else(|| "≥ 900".to_string(), |s| s.to_string()),
                    )],
                    vec![text(pt.tier.clone().unwrap_or_default())],
                    vec![text(num(pt.percentage, 2))],
                ]
            })
            .collect();
        if !rows.is_empty() {
            b.table = Some(super::view::AnnTable {
                caption: more_text(n.partners.len(), n.degree, cx.json).map_or_else(
                    || "Kidney partners by weighted score".to_string(),
                    |m| format!("Kidney partners by weighted score. {m}"),
                ),
                headers: vec!["Partner", "Combined score", "Tier", "Score"],
                rows,
            });
        }
        b
    }

    fn partial(&self) -> (&'static str, &'static str) {
        (
            "annotations/string_ppi.html",
            include_str!("../../templates/annotations/string_ppi.html"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const REAL_LAYOUT: &str = include_str!("../../tests/fixtures/string/links_real_layout.txt");
    const MIRROR_LAYOUT: &str = include_str!("../../tests/fixtures/string/links_mirror_layout.csv");
    const INFO: &str = include_str!("../../tests/fixtures/string/protein_info.txt");

    #[test]
    fn both_link_layouts_load_by_header() {
        let real = parse_links(REAL_LAYOUT.as_bytes()).unwrap();
        assert!(real.scores_present);
        assert_eq!(
            real.pairs[0],
            (
                "9606.ENSP00000000412".to_string(),
                "9606.ENSP00000349437".to_string(),
                Some(950)
            )
        );
        let mirror = parse_links(MIRROR_LAYOUT.as_bytes()).unwrap();
        assert!(!mirror.scores_present);
        assert_eq!(
            mirror.pairs[0],
            (
                "9606.ENSP00000000412".to_string(),
                "9606.ENSP00000349437".to_string(),
                None
            )
        );
        let info = parse_info(INFO.as_bytes()).unwrap();
        assert_eq!(info["9606.ENSP00000000412"], "M6PR");
    }

    #[test]
    fn staging_keeps_every_link_with_partner_names() {
        let info = parse_info(INFO.as_bytes()).unwrap();
        let real = parse_links(REAL_LAYOUT.as_bytes()).unwrap();
        let rows = stage(&real, &info);
        let parts: Vec<StringPpi> = rows
            .iter()
            .map(|r| serde_json::from_str::<StringPpi>(r.details.json()).unwrap())
            .collect();
        // Real file: both directions listed; every link kept (the threshold is applied by
        // the network build), each pair once per protein.
        let nphp1 = parts.iter().find(|p| p.name == "NPHP1").unwrap();
        assert_eq!(
            nphp1.links,
            vec![
                ("ARF5".to_string(), Some(173)),
                ("NPHP4".to_string(), Some(999))
            ]
        );
        let mirror = parse_links(MIRROR_LAYOUT.as_bytes()).unwrap();
        let rows = stage(&mirror, &info);
        let m6pr = rows
            .iter()
            .map(|r| serde_json::from_str::<StringPpi>(r.details.json()).unwrap())
            .find(|p| p.name == "M6PR")
            .unwrap();
        assert_eq!(
            m6pr.links,
            vec![
                ("IGF2R".to_string(), None),
                ("9606.ENSP00000438085".to_string(), None)
            ]
        );
        assert_eq!(m6pr.string_partners, 2);
    }

    #[test]
    fn errors_name_the_problem() {
        let e = parse_links(b"proteinA proteinB combined_score\nx y 5\n").unwrap_err();
        assert!(e.message.contains("protein1"), "{e:?}");
        let e = parse_links(b"protein1 protein2 combined_score\na b 1001\n").unwrap_err();
        assert!(e.message.contains("combined_score"), "{e:?}");
        assert!(parse_links(b"protein1,protein2\r\n").is_err());
        assert!(parse_info(b"#string_protein_id\tname\nx\ty\n").is_err());
        assert_eq!(
            string_version("https://x/y/9606.protein.physical.links.v12.0.txt.gz").as_deref(),
            Some("12.0")
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let _ = parse_links(&bytes);
            let _ = parse_info(&bytes);
        }

        #[test]
        fn rows_round_trip_in_both_layouts(pairs in proptest::collection::vec((1u32..50, 1u32..50, 0u16..=1000), 1..40)) {
            let real: String = std::iter::once("protein1 protein2 combined_score".to_string())
                .chain(pairs.iter().map(|(a, b, s)| format!("9606.P{a} 9606.P{b} {s}")))
                .collect::<Vec<_>>().join("\n");
            let csv: String = std::iter::once("protein1,protein2".to_string())
                .chain(pairs.iter().map(|(a, b, _)| format!("9606.P{a},9606.P{b}")))
                .collect::<Vec<_>>().join("\r\n");
            let r = parse_links(real.as_bytes()).unwrap();
            let c = parse_links(csv.as_bytes()).unwrap();
            prop_assert_eq!(r.pairs.len(), pairs.len());
            prop_assert_eq!(c.pairs.len(), pairs.len());
            for ((x, y), (a, b, s)) in r.pairs.iter().zip(&c.pairs).zip(&pairs) {
                prop_assert_eq!(&x.0, &format!("9606.P{a}"));
                prop_assert_eq!(&y.1, &format!("9606.P{b}"));
                prop_assert_eq!(x.2, Some(*s));
                prop_assert_eq!(y.2, None);
            }
        }
    }
}
