//! What every page shares: the release facts and the ordered tier, group and scoring-source
//! lists, computed once per build from [`SiteData`] and the registry.
//!
//! Why a module of its own: the pages, the charts, the downloads and the table data all read
//! this view; it lives below them so none of those has to import another to get it.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use super::format::label;
use super::model::SiteData;
use crate::registry::Registry;

#[derive(Debug, Clone, Serialize)]
pub struct Named {
    pub name: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScoringSource {
    pub name: String,
    pub title: String,
    /// A short label for table chips (PA, Lit, …).
    pub short: String,
    /// percentile or classification.
    pub method: String,
    /// What the measure counts (Methods).
    #[serde(skip)]
    pub measure: &'static str,
}

/// What every page needs: release facts, label lists, the HPO notice.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub release: String,
    pub kgdb_version: String,
    pub build_time: String,
    pub tiers: Vec<Named>,
    pub groups: Vec<Named>,
    pub scoring: Vec<ScoringSource>,
    /// Notices the sources' licences ask every page to show (without a final full stop).
    pub notices: Vec<String>,
    /// Source name -> its notice.
    #[serde(skip)]
    pub notice_of: BTreeMap<String, String>,
    /// The optional gene-table columns the annotations declare: (annotation, column).
    #[serde(skip)]
    pub optional_columns: Vec<(String, crate::annotations::TableColumn)>,
    pub gene_count: usize,
    /// `site.base_url`: where the site is published (canonical links, sitemap.xml,
    /// robots.txt, 404.html), when configured.
    #[serde(skip)]
    pub base_url: Option<String>,
    /// `site.doi`: the DOI minted for this release, when configured (shown in every footer
    /// and citation).
    #[serde(skip)]
    pub doi: Option<String>,
}

/// Rule names in configuration order, then any other names the genes use (in order of first
/// use), so every gene's tier has an index.
fn ordered_names<'a>(
    rules: impl Iterator<Item = &'a str>,
    used: impl Iterator<Item = &'a str>,
) -> Vec<Named> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for n in rules.chain(used) {
        if seen.insert(n.to_string()) {
            out.push(Named {
                name: n.to_string(),
                label: label(n),
            });
        }
    }
    out
}

impl SiteView {
    pub fn new(data: &SiteData, registry: &Registry) -> Self {
        let tiers = ordered_names(
            data.methods.tiers.iter().map(|r| r.name.as_str()),
            data.genes.iter().map(|g| g.summary.tier.as_str()),
        );
        let groups = ordered_names(
            data.methods.groups.iter().map(|r| r.name.as_str()),
            data.genes.iter().map(|g| g.summary.group.as_str()),
        );
        let scoring = data
            .methods
            .scoring_sources
            .iter()
            .map(|name| {
                let b = data
                    .genes
                    .iter()
                    .find_map(|g| g.breakdown.iter().find(|b| &b.source == name));
                let source = registry.scoring(name);
                ScoringSource {
                    name: name.clone(),
                    title: b.map(|b| b.title.clone()).unwrap_or_else(|| label(name)),
                    short: source.map_or_else(
                        || name.chars().take(3).collect(),
                        |s| s.short_label().to_string(),
                    ),
                    method: b.map(|b| b.method.clone()).unwrap_or_default(),
                    measure: source.map_or("see the source's section", |s| s.measure_text()),
                }
            })
            .collect();
        let notice_of: BTreeMap<String, String> = data
            .sources
            .iter()
            .filter_map(|s| {
                let v = s.upstream_version.as_deref()?;
                let n = registry.source(&s.name)?.notice(v)?;
                Some((s.name.clone(), n))
            })
            .collect();
        let notices = data
            .sources
            .iter()
            .filter_map(|s| notice_of.get(&s.name).cloned())
            .collect();
        SiteView {
            release: data.release.clone(),
            kgdb_version: data.kgdb_version.clone(),
            build_time: data.build_time.clone(),
            tiers,
            groups,
            scoring,
            notices,
            notice_of,
            optional_columns: declared_columns(registry),
            gene_count: data.genes.len(),
            base_url: registry.config.base_url().map(str::to_string),
            doi: registry.config.doi().map(str::to_string),
        }
    }

    pub fn tier_index(&self, tier: &str) -> usize {
        self.tiers.iter().position(|t| t.name == tier).unwrap_or(0)
    }

    pub fn group_index(&self, group: &str) -> usize {
        self.groups
            .iter()
            .position(|t| t.name == group)
            .unwrap_or(0)
    }

    /// The shared context of the page at `path` (relative to the site root, e.g.
    /// `genes/HGNC_9008.html`).
    pub(crate) fn common(&self, path: &str, nav: &str, title: String) -> Common {
        Common {
            root: "../".repeat(path.matches('/').count()),
            canonical: self.base_url.as_ref().map(|b| public_url(b, path)),
            nav: nav.to_string(),
            title,
            release: self.release.clone(),
            kgdb_version: self.kgdb_version.clone(),
            build_time: self.build_time.clone(),
            notices: self.notices.clone(),
            doi: self.doi.clone(),
        }
    }
}

/// The part of every page's context that base.html uses.
#[derive(Debug, Serialize)]
pub struct Common {
    /// Relative path to the site root ("" or "../").
    pub root: String,
    /// The page's public URL, when `site.base_url` is configured.
    pub canonical: Option<String>,
    /// Which navigation entry is current.
    pub nav: String,
    pub title: String,
    pub release: String,
    pub kgdb_version: String,
    pub build_time: String,
    pub notices: Vec<String>,
    /// The release's DOI (`site.doi`), when configured.
    pub doi: Option<String>,
}

/// The public URL of the page at `path` below `base_url` (which ends in `/`): a folder's
/// `index.html` is the folder itself, as static hosts serve it.
pub fn public_url(base_url: &str, path: &str) -> String {
    let path = match path.strip_suffix("index.html") {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => folder,
        _ => path,
    };
    format!("{base_url}{path}")
}

/// The optional columns of the gene table, from the annotations that declare them (each
/// module says which, and their position): (annotation, column). table.js knows how to
/// show each key.
pub fn declared_columns(registry: &Registry) -> Vec<(String, crate::annotations::TableColumn)> {
    let mut out: Vec<(String, crate::annotations::TableColumn)> = registry
        .annotations()
        .flat_map(|a| {
            a.table_columns()
                .into_iter()
                .map(move |c| (a.name().to_string(), c))
        })
        .collect();
    out.sort_by_key(|(_, c)| c.order);
    out
}
