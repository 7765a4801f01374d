//! Annotations on the site: the gene page's "Annotations" section, the licence filter every
//! output goes through, and the upstream links of link-only sources.
//!
//! Why one place: an annotation whose licence forbids redistribution (`redistribute: false`)
//! must never leave kgdb as values, on the page, in `data.js`, in the downloads or in the
//! JSON API, even if the build stage handed its values over. Every output therefore reads
//! annotations through [`shareable`], and the page shows such a source only as a link built
//! from its `gene_link` template. Annotations describe a gene; the page says they are not
//! part of the score.

use serde::Serialize;

use crate::annotations::PartContext;
use crate::annotations::view::{AnnTable, Fact, TermList};
use crate::gene_annotations::GeneAnnotations;
use crate::registry::Registry;

use super::format::{Cell, http_url, id_ok, label, link, styled, text};
use super::model::{AnnotationInfo, Gene, SiteData};

/// The annotations of `g` that may be shown and redistributed: the parts of configured
/// sources whose licence allows it. Parts of link-only sources, and of sources the build
/// does not list (their licence is unknown), are dropped.
/// Borrowed when the gene has nothing to drop (the usual case: the build leaves link-only
/// parts out already), so the large HPO lists are not copied per output.
pub fn shareable<'g>(data: &SiteData, g: &'g Gene) -> std::borrow::Cow<'g, GeneAnnotations> {
    let drop: Vec<&str> = crate::registry::ANNOTATIONS
        .iter()
        .filter(|e| g.annotations.has(e.part.key))
        .filter(|e| {
            !data
                .annotation_sources
                .iter()
                .any(|s| s.name == e.name && s.redistribute)
        })
        .map(|e| e.part.key)
        .collect();
    if drop.is_empty() {
        return std::borrow::Cow::Borrowed(&g.annotations);
    }
    let mut a = g.annotations.clone();
    for key in drop {
        a.remove(key);
    }
    std::borrow::Cow::Owned(a)
}

/// The configured annotation sources whose values are left out of every output.
pub fn link_only(data: &SiteData) -> Vec<&AnnotationInfo> {
    data.annotation_sources
        .iter()
        .filter(|s| !s.redistribute)
        .collect()
}

/// `gene_link` with `{symbol}`, `{hgnc_id}`, `{entrez_id}`, `{ensembl_gene_id}` filled in;
/// `None` when a placeholder's value is missing or does not look like an identifier, or the
/// result is not an http(s) URL.
pub fn fill_link(template: &str, g: &Gene) -> Option<String> {
    let mut out = template.to_string();
    let values: [(&str, Option<&str>); 4] = [
        ("{symbol}", Some(g.summary.symbol.as_str())),
        ("{hgnc_id}", Some(g.summary.hgnc_id.as_str())),
        ("{entrez_id}", g.summary.entrez_id.as_deref()),
        ("{ensembl_gene_id}", g.summary.ensembl_gene_id.as_deref()),
    ];
    for (key, value) in values {
        if out.contains(key) {
            let v = value.filter(|v| id_ok(v))?;
            out = out.replace(key, v);
        }
    }
    if out.contains('{') || out.contains('}') {
        return None;
    }
    http_url(&out)
}

/// The upstream page of `g` in an annotation source: its `gene_link`, else the module's
/// default (gnomAD by Ensembl ID, ClinVar by symbol).
fn upstream_link(
    info: &AnnotationInfo,
    source: Option<&dyn crate::annotations::AnnotationSource>,
    g: &Gene,
) -> Option<String> {
    match &info.gene_link {
        Some(t) => fill_link(t, g),
        None => fill_link(source?.default_gene_link()?, g),
    }
}

/// One annotation source on a gene page.
#[derive(Debug, Serialize)]
pub struct AnnotationSection {
    pub name: String,
    /// The module's partial (`annotations/<name>.html`).
    pub partial: &'static str,
    pub anchor: String,
    pub heading: String,
    pub source_title: String,
    pub source_href: Option<String>,
    /// "release 2021-11-07" (or "release not stated").
    pub release: String,
    /// Descartes: fetal tissue, said in the heading.
    pub fetal: bool,
    /// Link-only source: the link (or, without a usable link, a sentence) and nothing else.
    pub link_only: Option<Cell>,
    /// The source has nothing for the gene.
    pub missing: Option<String>,
    pub notes: Vec<String>,
    pub facts: Vec<Fact>,
    pub lists: Vec<TermList>,
    pub table: Option<AnnTable>,
    /// The gene's page upstream.
    pub link: Option<Cell>,
}

fn empty(
    info: &AnnotationInfo,
    source: Option<&dyn crate::annotations::AnnotationSource>,
    g: &Gene,
    release: &str,
) -> AnnotationSection {
    AnnotationSection {
        name: info.name.clone(),
        partial: source.map_or(FALLBACK_PARTIAL, |s| s.partial().0),
        anchor: format!("ann-{}", info.name),
        heading: source.map_or_else(|| label(&info.name), |s| s.heading().to_string()),
        source_title: info.title.clone(),
        source_href: info.homepage.as_deref().and_then(http_url),
        release: release.to_string(),
        fetal: source.is_some_and(|s| s.fetal()),
        link_only: None,
        missing: None,
        notes: Vec::new(),
        facts: Vec::new(),
        lists: Vec::new(),
        table: None,
        link: upstream_link(info, source, g).map(|href| {
            vec![link(
                format!("{} in {}", g.summary.symbol, info.title),
                Some(href),
            )]
        }),
    }
}

/// The partial of a listed annotation the registry does not know (a site built from data of
/// another configuration): the frame with its "no data" line.
const FALLBACK_PARTIAL: &str = "annotations/_unknown.html";

/// The gene page's annotation subsections, one per configured annotation source, in the
/// configured order.
pub fn sections(
    data: &SiteData,
    registry: &Registry,
    g: &Gene,
    stem: &str,
) -> Vec<AnnotationSection> {
    let a = shareable(data, g);
    let json = format!("{stem}.json");
    data.annotation_sources
        .iter()
        .map(|info| {
            let release = match &info.upstream_version {
                Some(v) => format!("release {v}"),
                None => "release not stated".into(),
            };
            let source = registry.annotation(&info.name);
            let mut s = empty(info, source, g, &release);
            if !info.redistribute {
                let why = "the licence does not allow kgdb to redistribute its values";
                s.link_only = Some(match s.link.take() {
                    Some(mut l) => {
                        l.insert(0, text("See "));
                        l.push(styled(format!(" (values not shown: {why})."), "muted"));
                        l
                    }
                    None => vec![text(format!(
                        "Values not shown: {why}; see {}.",
                        info.title
                    ))],
                });
                return s;
            }
            let part = source.and_then(|src| a.part(src.part().key));
            let (Some(source), Some(part)) = (source, part) else {
                s.missing = Some(format!(
                    "No data in {} {} for {}.",
                    info.title,
                    info.upstream_version
                        .as_deref()
                        .unwrap_or("(release not stated)"),
                    g.summary.symbol
                ));
                return s;
            };
            let body = source.section(
                part,
                &PartContext {
                    symbol: &g.summary.symbol,
                    json: &json,
                },
            );
            s.notes = body.notes;
            s.facts = body.facts;
            s.lists = body.lists;
            s.table = body.table;
            s
        })
        .collect()
}
