//! View models: what each template shows, computed from [`SiteData`] in Rust so the templates
//! only loop and print (numbers are formatted here; links are built here and only from
//! identifiers that look like identifiers or from `http(s)` URLs).

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use super::SiteError;
use super::charts;
use super::downloads::{Downloads, FileInfo};
use super::format::{
    Cell, digits, gene_stem, hgnc_number, hgnc_url, http_url, id_ok, join, label, link, num, text,
    thousands,
};
use super::model::{Gene, SiteData, SourceScore};
use super::schema::Citation;
use super::view::{Common, SiteView};
use crate::registry::Registry;
use crate::sources::{GeneSection, SectionContext};

// ---------------------------------------------------------------------------------------
// Index

#[derive(Serialize)]
pub struct IndexPage<'a> {
    #[serde(flatten)]
    pub common: Common,
    pub site: &'a SiteView,
    /// The first page of the default view (score, descending), rendered in the HTML so the
    /// table shows without script and does not shift when the script takes over.
    pub first_rows: Vec<FirstRow>,
    /// What table.js will write in the status line and the pager for that view.
    pub status_text: String,
    pub page_info: String,
    /// The optional annotation columns (hidden until switched on): key, header, tooltip.
    pub optional: Vec<(&'static str, &'static str, &'static str)>,
}

/// One row of the gene table, as table.js draws it.
#[derive(Debug, Serialize)]
pub struct FirstRow {
    pub n: u64,
    pub symbol: String,
    pub name: String,
    pub score: String,
    pub tier: usize,
    pub mark: &'static str,
    pub tier_label: String,
    pub group_label: String,
    pub source_count: u32,
    pub chips: Vec<Chip>,
    pub sr: String,
    pub classic: u32,
}

#[derive(Debug, Serialize)]
pub struct Chip {
    pub cls: &'static str,
    pub title: String,
    pub short: String,
}

/// Rows per page of the default view (table.js `size` default).
const FIRST_PAGE: usize = 50;
const TIER_MARK: [&str; 6] = ["★★★", "★★", "★", "◆", "◇", "–"];

pub fn index<'a>(site: &'a SiteView, data: &SiteData) -> Result<IndexPage<'a>, SiteError> {
    let mut order: Vec<(i64, &Gene)> = data
        .genes
        .iter()
        .map(|g| ((g.summary.percentage * 100.0).round() as i64, g))
        .collect();
    order.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| a.1.summary.symbol.cmp(&b.1.summary.symbol))
    });
    let mut first_rows = Vec::new();
    for (score100, g) in order.into_iter().take(FIRST_PAGE) {
        let (present, supported) = super::index_data::masks(g, site);
        let tier = site.tier_index(&g.summary.tier);
        let group = site.group_index(&g.summary.group);
        let mut chips = Vec::new();
        let mut names = Vec::new();
        for (i, s) in site.scoring.iter().enumerate() {
            let bit = 1u32 << i;
            if (present | supported) & bit != 0 {
                let sup = supported & bit != 0;
                chips.push(Chip {
                    cls: if sup { "s" } else { "p" },
                    title: format!(
                        "{}{}",
                        s.title,
                        if sup {
                            ": supports"
                        } else {
                            ": evidence, not counted"
                        }
                    ),
                    short: s.short.clone(),
                });
                names.push(format!(
                    "{}{}",
                    s.title,
                    if sup { "" } else { " (not counted)" }
                ));
            }
        }
        first_rows.push(FirstRow {
            n: hgnc_number(&g.summary.hgnc_id)?,
            symbol: g.summary.symbol.clone(),
            name: g.summary.name.clone(),
            score: format!("{:.1}", score100 as f64 / 100.0),
            tier,
            mark: TIER_MARK.get(tier).copied().unwrap_or(""),
            tier_label: site
                .tiers
                .get(tier)
                .map(|t| t.label.clone())
                .unwrap_or_default(),
            group_label: site
                .groups
                .get(group)
                .map(|t| t.label.clone())
                .unwrap_or_default(),
            source_count: g.summary.source_count,
            chips,
            sr: if names.is_empty() {
                " no sources".into()
            } else {
                format!(" sources: {}", names.join(", "))
            },
            classic: g.summary.classic_count,
        });
    }
    let total = data.genes.len();
    let status_text = if total == 0 {
        "No gene matches (0 genes in total).".to_string()
    } else {
        format!(
            "Showing 1–{} of {} genes",
            thousands(first_rows.len() as u64),
            thousands(total as u64)
        )
    };
    let page_info = format!("Page 1 of {}", total.div_ceil(FIRST_PAGE).max(1));
    Ok(IndexPage {
        common: site.common("index.html", "index", "Kidney genes".into()),
        site,
        first_rows,
        status_text,
        page_info,
        optional: super::index_data::optional_columns(data, site),
    })
}

// ---------------------------------------------------------------------------------------
// Gene page

#[derive(Debug, Serialize)]
pub struct IdentityRow {
    pub label: &'static str,
    pub value: Cell,
}

#[derive(Debug, Serialize)]
pub struct BreakdownRow {
    pub source: String,
    pub title: String,
    pub anchor: Option<String>,
    pub measure: String,
    pub n: String,
    pub rank: String,
    pub class_weight: String,
    pub s: String,
    pub contribution: String,
    pub bar: String,
    /// supported, contradicting, present (evidence but no score), none.
    pub status: &'static str,
    pub status_label: &'static str,
    pub classic: Option<bool>,
    pub classic_threshold: Option<u64>,
}

/// A source's section of a gene page: the frame (anchor, title) and what the source's
/// partial (`partial`, from the registry) lays out.
#[derive(Debug, Serialize)]
pub struct Section {
    pub source: String,
    pub partial: &'static str,
    pub title: String,
    pub anchor: String,
    pub contradicting: bool,
    #[serde(flatten)]
    pub body: GeneSection,
}

#[derive(Serialize)]
pub struct GenePage {
    #[serde(flatten)]
    pub common: Common,
    pub symbol: String,
    pub name: String,
    pub hgnc_id: String,
    pub stem: String,
    pub percentage: String,
    pub tier: String,
    pub tier_label: String,
    pub tier_index: usize,
    pub group_label: String,
    pub source_count: u32,
    pub scoring_count: usize,
    pub classic_count: u32,
    pub identity: Vec<IdentityRow>,
    pub breakdown: Vec<BreakdownRow>,
    pub sections: Vec<Section>,
    pub contradicting: Vec<String>,
    /// One subsection per configured annotation source (never part of the score).
    pub annotations: Vec<super::gene_annotations::AnnotationSection>,
    /// Curator decisions on this gene (curation.yaml).
    pub decisions: Vec<super::model::GeneDecision>,
}

fn bar_svg(score: f64, status: &str) -> String {
    let w = (score.clamp(0.0, 1.0) * 100.0 * 10.0).round() / 10.0;
    format!(
        "<svg class=\"bar\" width=\"100\" height=\"10\" viewBox=\"0 0 100 10\" aria-hidden=\"true\" focusable=\"false\"><rect class=\"bar-bg\" width=\"100\" height=\"10\"/><rect class=\"bar-fg {status}\" width=\"{}\" height=\"10\"/></svg>",
        num(w, 1)
    )
}

fn breakdown_row(b: &SourceScore, data: &SiteData, has_section: bool) -> BreakdownRow {
    let (status, status_label) = if b.contradicting {
        ("contradicting", "⚠ Contradicting")
    } else if b.supported {
        ("supported", "✓ Supported")
    } else if b.measure > 0.0 {
        ("present", "Present, not counted")
    } else {
        ("none", "— No evidence")
    };
    let class_weight = match (&b.classification, b.weight) {
        (Some(c), Some(w)) => format!("{c} ({})", num(w, 2)),
        (Some(c), None) => c.clone(),
        _ => "—".into(),
    };
    BreakdownRow {
        source: b.source.clone(),
        title: b.title.clone(),
        anchor: has_section.then(|| format!("src-{}", b.source)),
        measure: num(b.measure, 2),
        n: thousands(b.n),
        rank: b.rank.map(|r| num(r, 1)).unwrap_or_else(|| "—".into()),
        class_weight,
        s: num(b.score, 4),
        contribution: num(b.contribution, 2),
        bar: bar_svg(b.score, status),
        status,
        status_label,
        classic: b.classic,
        classic_threshold: data.methods.classic_thresholds.get(&b.source).copied(),
    }
}

fn identity(g: &Gene) -> Vec<IdentityRow> {
    let mut rows = vec![IdentityRow {
        label: "HGNC ID",
        value: vec![link(
            g.summary.hgnc_id.clone(),
            hgnc_url(&g.summary.hgnc_id),
        )],
    }];
    let mut plain = |label: &'static str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            rows.push(IdentityRow {
                label,
                value: vec![text(v)],
            });
        }
    };
    plain("Name", Some(g.summary.name.clone()));
    plain("Location", g.summary.location.clone());
    plain(
        "Locus type",
        match (&g.summary.locus_group, &g.summary.locus_type) {
            (Some(a), Some(b)) if a != b => Some(format!("{b} ({a})")),
            (Some(a), _) | (None, Some(a)) => Some(a.clone()),
            _ => None,
        },
    );
    plain("Aliases", Some(g.summary.alias_symbols.join(", ")));
    plain("Previous symbols", Some(g.summary.prev_symbols.join(", ")));
    if let Some(e) = &g.summary.entrez_id {
        rows.push(IdentityRow {
            label: "NCBI Gene",
            value: vec![link(
                e.clone(),
                digits(e).then(|| format!("https://www.ncbi.nlm.nih.gov/gene/{e}")),
            )],
        });
    }
    if let Some(e) = &g.summary.ensembl_gene_id {
        rows.push(IdentityRow {
            label: "Ensembl",
            value: vec![link(
                e.clone(),
                id_ok(e).then(|| format!("https://www.ensembl.org/id/{e}")),
            )],
        });
    }
    if !g.summary.omim_ids.is_empty() {
        rows.push(IdentityRow {
            label: "OMIM",
            value: join(
                g.summary
                    .omim_ids
                    .iter()
                    .map(|o| {
                        link(
                            o.clone(),
                            digits(o).then(|| format!("https://omim.org/entry/{o}")),
                        )
                    })
                    .collect(),
                ", ",
            ),
        });
    }
    if !g.summary.mane_select.is_empty() {
        rows.push(IdentityRow {
            label: "MANE Select",
            value: join(
                g.summary
                    .mane_select
                    .iter()
                    .map(|t| {
                        let href = if !id_ok(t) {
                            None
                        } else if t.starts_with("ENST") {
                            Some(format!("https://www.ensembl.org/id/{t}"))
                        } else {
                            Some(format!("https://www.ncbi.nlm.nih.gov/nuccore/{t}"))
                        };
                        link(t.clone(), href)
                    })
                    .collect(),
                ", ",
            ),
        });
    }
    rows
}

/// The gene page: identity, breakdown, one section per source with records (laid out by
/// the source's own partial), annotations.
pub fn gene(
    site: &SiteView,
    data: &SiteData,
    registry: &Registry,
    g: &Gene,
) -> Result<GenePage, SiteError> {
    let stem = gene_stem(&g.summary.hgnc_id)?;
    let mut sections = Vec::new();
    let mut done = HashSet::new();
    // Sections in breakdown (configuration) order, then any other evidence keys.
    let order: Vec<(String, String)> = g
        .breakdown
        .iter()
        .map(|b| (b.source.clone(), b.title.clone()))
        .chain(g.evidence.keys().map(|k| (k.clone(), label(k))))
        .collect();
    for (source, title) in order {
        if !done.insert(source.clone()) {
            continue;
        }
        let Some(records) = g.evidence.get(&source).filter(|r| !r.is_empty()) else {
            continue;
        };
        let Some(scoring) = registry.scoring(&source) else {
            return Err(SiteError::Gene {
                hgnc_id: g.summary.hgnc_id.clone(),
                problem: format!("evidence of `{source}`, which no registered source feeds"),
            });
        };
        let contradicting = g
            .breakdown
            .iter()
            .find(|b| b.source == source)
            .is_some_and(|b| b.contradicting);
        let cx = SectionContext {
            symbol: &g.summary.symbol,
            stem: &stem,
            title: &title,
            contradicting,
            weights: &data.methods.classification_weights,
            upstream_version: data
                .sources
                .iter()
                .find(|s| s.name == source)
                .and_then(|s| s.upstream_version.as_deref()),
        };
        let body = scoring
            .gene_section(records, &cx)
            .map_err(|e| SiteError::Gene {
                hgnc_id: g.summary.hgnc_id.clone(),
                problem: format!("a `{source}` record does not match its type: {e}"),
            })?;
        sections.push(Section {
            source: source.clone(),
            partial: scoring.partial().0,
            title,
            anchor: format!("src-{source}"),
            contradicting,
            body,
        });
    }
    let with_section: HashSet<&str> = sections.iter().map(|s| s.source.as_str()).collect();
    let breakdown = g
        .breakdown
        .iter()
        .map(|b| breakdown_row(b, data, with_section.contains(b.source.as_str())))
        .collect();
    let annotations = super::gene_annotations::sections(data, registry, g, &stem);
    Ok(GenePage {
        common: site.common(
            &format!("genes/{stem}.html"),
            "gene",
            format!("{} ({})", g.summary.symbol, g.summary.hgnc_id),
        ),
        symbol: g.summary.symbol.clone(),
        name: g.summary.name.clone(),
        hgnc_id: g.summary.hgnc_id.clone(),
        stem,
        percentage: num(g.summary.percentage, 1),
        tier: g.summary.tier.clone(),
        tier_label: label(&g.summary.tier),
        tier_index: site.tier_index(&g.summary.tier),
        group_label: label(&g.summary.group),
        source_count: g.summary.source_count,
        scoring_count: data.methods.scoring_sources.len(),
        classic_count: g.summary.classic_count,
        identity: identity(g),
        breakdown,
        sections,
        contradicting: g
            .breakdown
            .iter()
            .filter(|b| b.contradicting)
            .map(|b| b.title.clone())
            .collect(),
        annotations,
        decisions: g
            .decisions
            .iter()
            .map(|d| super::model::GeneDecision {
                // The template ends the sentence.
                change: d.change.trim_end_matches('.').to_string(),
                ..d.clone()
            })
            .collect(),
    })
}

// ---------------------------------------------------------------------------------------
// Sources page

#[derive(Serialize)]
pub struct DownloadRow {
    pub url: String,
    pub href: Option<String>,
    pub final_url: Option<String>,
    pub fetched_at: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub sha256: String,
    pub bytes: String,
    pub upstream_version: Option<String>,
}

#[derive(Serialize)]
pub struct SourceRow {
    pub name: String,
    pub title: String,
    pub homepage: Option<String>,
    pub homepage_text: Option<String>,
    pub licence: String,
    pub citation: String,
    pub status: String,
    pub stale: bool,
    pub last_success: Option<String>,
    pub upstream_version: Option<String>,
    pub rows: String,
    pub genes: String,
    pub last_error: Option<String>,
    pub downloads: Vec<DownloadRow>,
    /// The notice the source's licence asks for (without a final full stop).
    pub notice: Option<String>,
}

/// An annotation source on the Sources page.
#[derive(Serialize)]
pub struct AnnotationRow {
    pub name: String,
    pub title: String,
    pub homepage: Option<String>,
    pub homepage_text: Option<String>,
    pub licence: String,
    pub citation: String,
    pub redistribute: bool,
    pub status: String,
    pub stale: bool,
    pub last_success: Option<String>,
    pub upstream_version: Option<String>,
    pub last_error: Option<String>,
    /// "5,080 of 5,210 scored protein-coding genes (97.5 %)".
    pub coverage_protein_coding: String,
    /// "5,100 of 5,400 scored genes".
    pub coverage_all: String,
    pub downloads: Vec<DownloadRow>,
}

#[derive(Serialize)]
pub struct SourcesPage {
    #[serde(flatten)]
    pub common: Common,
    pub sources: Vec<SourceRow>,
    pub annotations: Vec<AnnotationRow>,
    pub stale: Vec<String>,
    pub overlap_svg: String,
    pub overlap: Vec<charts::Combination>,
    pub histogram_svg: String,
    pub histogram: Vec<(String, usize)>,
    pub tiers_svg: String,
    pub tier_counts: Vec<(String, usize)>,
    pub gene_count: String,
    /// The curation file the data was normalized with, and its stale decisions.
    pub curation: super::model::CurationInfo,
}

fn download_row(d: &super::model::DownloadInfo) -> DownloadRow {
    DownloadRow {
        url: d.url.clone(),
        href: http_url(&d.url),
        final_url: (d.final_url != d.url).then(|| d.final_url.clone()),
        fetched_at: d.fetched_at.clone(),
        etag: d.etag.clone(),
        last_modified: d.last_modified.clone(),
        sha256: d.sha256.clone(),
        bytes: thousands(d.bytes),
        upstream_version: d.upstream_version.clone(),
    }
}

pub fn sources(site: &SiteView, data: &SiteData) -> SourcesPage {
    let annotations = data
        .annotation_sources
        .iter()
        .map(|a| AnnotationRow {
            name: a.name.clone(),
            title: a.title.clone(),
            homepage: a.homepage.as_deref().and_then(http_url),
            homepage_text: a.homepage.clone(),
            licence: a.licence.clone(),
            citation: a.citation.clone(),
            redistribute: a.redistribute,
            status: a.status.clone(),
            stale: a.stale,
            last_success: a.last_success.clone(),
            upstream_version: a.upstream_version.clone(),
            last_error: a.last_error.clone(),
            coverage_protein_coding: format!(
                "{} of {} scored protein-coding genes ({:.1} %)",
                thousands(a.covered_protein_coding),
                thousands(a.scored_protein_coding),
                a.protein_coding_coverage()
            ),
            coverage_all: format!(
                "{} of {} scored genes",
                thousands(a.covered_genes),
                thousands(a.scored_genes)
            ),
            downloads: a.downloads.iter().map(download_row).collect(),
        })
        .collect();
    let sources: Vec<SourceRow> = data
        .sources
        .iter()
        .map(|s| SourceRow {
            name: s.name.clone(),
            title: s.title.clone(),
            homepage: s.homepage.as_deref().and_then(http_url),
            homepage_text: s.homepage.clone(),
            licence: s.licence.clone(),
            citation: s.citation.clone(),
            status: s.status.clone(),
            stale: s.stale,
            last_success: s.last_success.clone(),
            upstream_version: s.upstream_version.clone(),
            rows: thousands(s.rows),
            genes: thousands(s.genes),
            last_error: s.last_error.clone(),
            downloads: s.downloads.iter().map(download_row).collect(),
            notice: site.notice_of.get(&s.name).cloned(),
        })
        .collect();
    let overlap = charts::combinations(data, site, 15);
    let histogram = charts::histogram(data);
    let tier_counts: Vec<(String, usize)> = site
        .tiers
        .iter()
        .map(|t| {
            (
                t.label.clone(),
                data.genes
                    .iter()
                    .filter(|g| g.summary.tier == t.name)
                    .count(),
            )
        })
        .collect();
    SourcesPage {
        curation: data.curation.clone(),
        common: site.common("sources.html", "sources", "Sources".into()),
        stale: data
            .sources
            .iter()
            .filter(|s| s.stale)
            .map(|s| s.title.clone())
            .collect(),
        sources,
        annotations,
        overlap_svg: charts::upset_svg(&overlap, site),
        overlap,
        histogram_svg: charts::bars_svg(&histogram, "Genes per score range", "scores"),
        histogram,
        tiers_svg: charts::bars_svg(&tier_counts, "Genes per tier", "tiers"),
        tier_counts,
        gene_count: thousands(data.genes.len() as u64),
    }
}

// ---------------------------------------------------------------------------------------
// Methods page

#[derive(Serialize)]
pub struct MethodSource {
    pub name: String,
    pub title: String,
    pub method: String,
    pub measure: &'static str,
    pub classic_threshold: Option<u64>,
}

#[derive(Serialize)]
pub struct RuleRow {
    pub name: String,
    pub label: String,
    pub min_sources: u64,
    pub min_percentage: String,
}

#[derive(Serialize)]
pub struct SelectionRow {
    pub name: String,
    pub title: String,
    pub lines: Vec<String>,
}

#[derive(Serialize)]
pub struct MethodsPage {
    #[serde(flatten)]
    pub common: Common,
    pub n: usize,
    pub scoring: Vec<MethodSource>,
    pub weights: Vec<(String, String)>,
    pub tiers: Vec<RuleRow>,
    pub groups: Vec<RuleRow>,
    pub classic_sources: usize,
    pub selection: Vec<SelectionRow>,
    /// Annotation rules per annotation source (titles from the annotation sources).
    pub annotation_rules: Vec<SelectionRow>,
    /// Curator decisions in force: (kind, count) for map, exclude, note.
    pub curation: Vec<(String, u64)>,
    /// The protein network's methods with this build's figures.
    pub network: Vec<String>,
}

pub fn methods(site: &SiteView, data: &SiteData) -> MethodsPage {
    let m = &data.methods;
    let rule = |r: &super::model::Rule| RuleRow {
        name: r.name.clone(),
        label: label(&r.name),
        min_sources: r.min_sources,
        min_percentage: num(r.min_percentage, 2),
    };
    let mut weights: Vec<(String, f64)> = m
        .classification_weights
        .iter()
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    weights.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let titles: BTreeMap<&str, &str> = data
        .sources
        .iter()
        .map(|s| (s.name.as_str(), s.title.as_str()))
        .collect();
    MethodsPage {
        common: site.common("methods.html", "methods", "Methods".into()),
        n: m.scoring_sources.len(),
        scoring: site
            .scoring
            .iter()
            .map(|s| MethodSource {
                name: s.name.clone(),
                title: s.title.clone(),
                method: s.method.clone(),
                measure: s.measure,
                classic_threshold: m.classic_thresholds.get(&s.name).copied(),
            })
            .collect(),
        weights: weights
            .into_iter()
            .map(|(k, v)| (label(&k), num(v, 2)))
            .collect(),
        tiers: m.tiers.iter().map(rule).collect(),
        groups: m.groups.iter().map(rule).collect(),
        classic_sources: m.classic_thresholds.len(),
        curation: ["map", "exclude", "note"]
            .iter()
            .map(|k| (k.to_string(), m.curation.get(*k).copied().unwrap_or(0)))
            .collect(),
        network: data
            .network
            .as_ref()
            .map(super::network::methods_lines)
            .unwrap_or_default(),
        annotation_rules: m
            .annotation_rules
            .iter()
            .map(|(k, lines)| SelectionRow {
                name: k.clone(),
                title: data
                    .annotation_sources
                    .iter()
                    .find(|a| &a.name == k)
                    .map(|a| a.title.clone())
                    .unwrap_or_else(|| label(k)),
                lines: lines.clone(),
            })
            .collect(),
        selection: m
            .selection
            .iter()
            .map(|(k, lines)| SelectionRow {
                name: k.clone(),
                title: titles
                    .get(k.as_str())
                    .map(|t| t.to_string())
                    .unwrap_or_else(|| label(k)),
                lines: lines.clone(),
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------
// Downloads and API pages

#[derive(Serialize)]
pub struct DownloadsPage<'a> {
    #[serde(flatten)]
    pub common: Common,
    pub files: &'a [FileInfo],
    /// Annotation sources left out of every download (licence), with the reason.
    pub withheld: Vec<String>,
    /// How to cite this release.
    pub citation: &'a Citation,
    /// Typed copies of the tables (`genes.parquet`…), for the one-line loads.
    pub parquet: Vec<&'a str>,
    /// Where the downloads are published (`site.base_url` + `downloads/`), or a placeholder.
    pub downloads_url: String,
}

pub fn downloads<'a>(site: &SiteView, data: &SiteData, d: &'a Downloads) -> DownloadsPage<'a> {
    DownloadsPage {
        common: site.common("downloads/index.html", "downloads", "Downloads".into()),
        files: &d.files,
        citation: &d.citation,
        parquet: d
            .files
            .iter()
            .filter(|f| f.name.ends_with(".parquet"))
            .map(|f| f.name.as_str())
            .collect(),
        downloads_url: site.base_url.as_ref().map_or_else(
            || "https://example.org/kgdb/downloads/".to_string(),
            |b| format!("{b}downloads/"),
        ),
        withheld: super::gene_annotations::link_only(data)
            .into_iter()
            .map(|a| format!("{} (licence: {})", a.title, a.licence))
            .collect(),
    }
}

#[derive(Serialize)]
pub struct ApiPage<'a> {
    #[serde(flatten)]
    pub common: Common,
    pub example_stem: String,
    pub example_symbol: String,
    /// The published schemas: (path, the file it describes).
    pub schemas: Vec<(&'static str, &'static str)>,
    pub schema_version: &'static str,
    pub citation: &'a Citation,
}

pub fn api<'a>(site: &SiteView, data: &SiteData, d: &'a Downloads) -> ApiPage<'a> {
    let example = data
        .genes
        .iter()
        .find(|g| g.summary.symbol == "PKD1")
        .or_else(|| data.genes.first());
    ApiPage {
        common: site.common("api.html", "api", "JSON API".into()),
        example_stem: example
            .and_then(|g| gene_stem(&g.summary.hgnc_id).ok())
            .unwrap_or_else(|| "HGNC_9008".into()),
        example_symbol: example
            .map(|g| g.summary.symbol.clone())
            .unwrap_or_else(|| "PKD1".into()),
        schemas: super::schema::schemas()
            .into_iter()
            .map(|(path, describes, _)| (path, describes))
            .collect(),
        schema_version: super::schema::SCHEMA_VERSION,
        citation: &d.citation,
    }
}

/// The network page: the drawing, clusters and tables come from `network/network-data.js`
/// at run time; the page itself carries the filter's tiers and the labels of the data's
/// category names (so nothing moves when the script starts, and no source is named here).
#[derive(Serialize)]
pub struct NetworkPage {
    #[serde(flatten)]
    pub common: Common,
    /// (tier name, label) of the tiers the network's genes can have, in tier order.
    pub tiers: Vec<(String, String)>,
    /// name → label for the category names in the data (tiers, clinical and onset groups,
    /// syndromic classes), as JSON for a data attribute.
    pub labels: String,
    /// Whether this build has a network (without one the page says so).
    pub has_network: bool,
    /// The enrichment libraries as JSON for a data attribute: `[{key, title, file, var}]`,
    /// `file`/`var` the on-demand gene-set script (null when the library is not shipped).
    pub libraries: String,
}

pub fn network(
    site: &SiteView,
    data: &SiteData,
    lookups: Option<&serde_json::Value>,
) -> NetworkPage {
    let tier_label = |name: &str| {
        site.tiers
            .iter()
            .find(|t| t.name == name)
            .map_or_else(|| label(name), |t| t.label.clone())
    };
    let tiers: Vec<(String, String)> = match &data.network {
        Some(b) => b.tiers.iter().map(|t| (t.clone(), tier_label(t))).collect(),
        None => Vec::new(),
    };
    let mut labels: BTreeMap<String, String> = tiers.iter().cloned().collect();
    // The annotation columns' lookup tables: [[name, label], …] per category.
    if let Some(serde_json::Value::Object(m)) = lookups {
        for v in m.values() {
            for pair in v.as_array().into_iter().flatten() {
                if let (Some(name), Some(l)) = (
                    pair.get(0).and_then(|x| x.as_str()),
                    pair.get(1).and_then(|x| x.as_str()),
                ) {
                    labels.insert(name.to_string(), l.to_string());
                }
            }
        }
    }
    NetworkPage {
        common: site.common("network.html", "network", "Kidney gene network".into()),
        tiers,
        labels: serde_json::to_string(&labels).unwrap_or_else(|_| "{}".into()),
        has_network: data.network.is_some(),
        libraries: serde_json::to_string(
            &data
                .network
                .iter()
                .flat_map(|b| &b.libraries)
                .map(|l| {
                    let (file, var) = match l.script.filter(|_| l.shippable) {
                        Some((file, var)) => (Some(format!("network/{file}")), Some(var)),
                        None => (None, None),
                    };
                    serde_json::json!({"key": l.key, "title": l.library, "file": file, "var": var})
                })
                .collect::<Vec<_>>(),
        )
        .unwrap_or_else(|_| "[]".into()),
    }
}

/// The change log page.
#[derive(Debug, Serialize)]
pub struct ChangesPage<'a> {
    #[serde(flatten)]
    pub common: Common,
    pub releases: &'a [crate::changes::ReleaseChanges],
    /// How to cite this release.
    pub citation: &'a Citation,
    pub tier_labels: std::collections::BTreeMap<String, String>,
    pub source_labels: std::collections::BTreeMap<String, String>,
}

pub fn changes<'a>(site: &SiteView, data: &'a SiteData, citation: &'a Citation) -> ChangesPage<'a> {
    let mut tier_labels = std::collections::BTreeMap::new();
    for t in data.methods.tiers.iter().chain(data.methods.groups.iter()) {
        tier_labels.insert(t.name.clone(), label(&t.name));
    }
    let mut source_labels = std::collections::BTreeMap::new();
    for s in &site.scoring {
        source_labels.insert(s.name.clone(), s.short.clone());
    }
    ChangesPage {
        common: site.common("changes.html", "changes", "Changes".into()),
        releases: &data.changes,
        citation,
        tier_labels,
        source_labels,
    }
}
