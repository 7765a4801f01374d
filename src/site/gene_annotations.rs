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

use crate::annotations::model::{GeneAnnotations, GroupCall};

use super::format::{
    Cell, curie_url, digits, http_url, id_ok, join, label, link, num, styled, text, thousands,
};
use super::model::{AnnotationInfo, Gene, SiteData};

/// Kidney phenotypes listed on a gene page (the rest are in the gene's JSON).
pub const KIDNEY_SHOWN: usize = 30;
/// Phenotypes listed in the collapsible "all phenotypes" list.
pub const PHENOTYPES_SHOWN: usize = 50;
/// Diseases listed.
pub const DISEASES_SHOWN: usize = 30;

/// The annotations of `g` that may be shown and redistributed: the parts of configured
/// sources whose licence allows it. Parts of link-only sources, and of sources the build
/// does not list (their licence is unknown), are dropped.
/// Borrowed when the gene has nothing to drop (the usual case: the build leaves link-only
/// parts out already), so the large HPO lists are not copied per output.
pub fn shareable<'g>(data: &SiteData, g: &'g Gene) -> std::borrow::Cow<'g, GeneAnnotations> {
    let drop: Vec<&str> = crate::annotations::model::ANNOTATION_NAMES
        .iter()
        .copied()
        .filter(|name| g.annotations.has(name))
        .filter(|name| {
            !data
                .annotation_sources
                .iter()
                .any(|s| s.name == *name && s.redistribute)
        })
        .collect();
    if drop.is_empty() {
        return std::borrow::Cow::Borrowed(&g.annotations);
    }
    let mut a = g.annotations.clone();
    for name in drop {
        a.clear(name);
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
        ("{symbol}", Some(g.symbol.as_str())),
        ("{hgnc_id}", Some(g.hgnc_id.as_str())),
        ("{entrez_id}", g.entrez_id.as_deref()),
        ("{ensembl_gene_id}", g.ensembl_gene_id.as_deref()),
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

/// The upstream page of `g` in an annotation source: its `gene_link`, else the default of the
/// few sources that have one (gnomAD by Ensembl ID, ClinVar by symbol).
fn upstream_link(info: &AnnotationInfo, g: &Gene) -> Option<String> {
    if let Some(t) = &info.gene_link {
        return fill_link(t, g);
    }
    match info.name.as_str() {
        "gnomad" => fill_link(
            "https://gnomad.broadinstitute.org/gene/{ensembl_gene_id}",
            g,
        ),
        "clinvar" => fill_link(
            "https://www.ncbi.nlm.nih.gov/clinvar/?term={symbol}[gene]",
            g,
        ),
        _ => None,
    }
}

/// A fact row of a subsection.
#[derive(Debug, Serialize)]
pub struct Fact {
    pub label: String,
    pub value: Cell,
}

/// A list of terms, shown open or folded.
#[derive(Debug, Serialize)]
pub struct TermList {
    pub label: String,
    pub collapsed: bool,
    pub items: Vec<Cell>,
    pub more: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct AnnTable {
    pub caption: String,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// One annotation source on a gene page.
#[derive(Debug, Serialize)]
pub struct AnnotationSection {
    pub name: String,
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

fn heading(name: &str) -> String {
    match name {
        "hpo_phenotypes" => "Phenotypes (HPO)".into(),
        "gnomad" => "Constraint (gnomAD)".into(),
        "clinvar" => "Variants (ClinVar)".into(),
        "gtex" => "Adult tissue expression (GTEx)".into(),
        "descartes" => "Fetal kidney cell types (Descartes)".into(),
        "mgi" => "Mouse models (MGI)".into(),
        "mane" => "MANE Select transcript".into(),
        other => label(other),
    }
}

/// Group, onset and indicator names as people read them.
pub fn group_label(name: &str) -> String {
    match name {
        "cakut" => "CAKUT".into(),
        "cyst_cilio" => "Cyst/ciliopathy".into(),
        "neurologic" => "Nervous system".into(),
        "head_neck" => "Head and neck".into(),
        other => label(other),
    }
}

fn pct(x: f64) -> String {
    format!("{} %", num(x * 100.0, 1))
}

/// A value as gnomAD shows it: 3 decimals, tiny non-zero values in scientific notation.
fn sig(x: f64) -> String {
    if x != 0.0 && x.abs() < 0.001 {
        format!("{x:.1e}")
    } else {
        num(x, 3)
    }
}

fn fact(label: &str, value: Cell) -> Fact {
    Fact {
        label: label.to_string(),
        value,
    }
}

fn group_cell(c: &GroupCall, none: &str) -> Cell {
    let mut shares: Vec<(&String, &f64)> = c.shares.iter().filter(|(_, v)| **v > 0.0).collect();
    shares.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
    let mut cell = vec![text(
        c.primary
            .as_deref()
            .map(group_label)
            .unwrap_or_else(|| "none".into()),
    )];
    if shares.is_empty() {
        cell.push(styled(format!(" ({none})"), "muted"));
    } else {
        cell.push(styled(
            format!(
                " (shares: {})",
                shares
                    .iter()
                    .map(|(k, v)| format!("{} {}", group_label(k), pct(**v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "muted",
        ));
    }
    cell
}

/// A term as its linked name (the ID is in the link; shown only when there is no name).
fn term_cell(id: &str, name: &str, href: Option<String>) -> Cell {
    vec![link(
        if name.is_empty() { id } else { name }.to_string(),
        href,
    )]
}

fn mp_url(id: &str) -> Option<String> {
    id.strip_prefix("MP:")
        .filter(|n| digits(n))
        .map(|_| format!("https://www.informatics.jax.org/vocab/mp_ontology/{id}"))
}

fn mgi_url(id: &str) -> Option<String> {
    id.strip_prefix("MGI:")
        .filter(|n| digits(n))
        .map(|_| format!("https://www.informatics.jax.org/marker/{id}"))
}

/// Ensembl's resolver takes the unversioned ID.
fn ensembl_url(id: &str) -> Option<String> {
    let base = id.split('.').next().unwrap_or(id);
    id_ok(id).then(|| format!("https://www.ensembl.org/id/{base}"))
}

fn ncbi_url(kind: &str, id: &str) -> Option<String> {
    id_ok(id).then(|| format!("https://www.ncbi.nlm.nih.gov/{kind}/{id}"))
}

fn more_text(shown: usize, total: usize, json: &str) -> Option<String> {
    (total > shown).then(|| {
        format!(
            "Showing {shown} of {}; every one is in {json}.",
            thousands(total as u64)
        )
    })
}

fn empty(info: &AnnotationInfo, g: &Gene, release: &str) -> AnnotationSection {
    AnnotationSection {
        name: info.name.clone(),
        anchor: format!("ann-{}", info.name),
        heading: heading(&info.name),
        source_title: info.title.clone(),
        source_href: info.homepage.as_deref().and_then(http_url),
        release: release.to_string(),
        fetal: info.name == "descartes",
        link_only: None,
        missing: None,
        notes: Vec::new(),
        facts: Vec::new(),
        lists: Vec::new(),
        table: None,
        link: upstream_link(info, g)
            .map(|href| vec![link(format!("{} in {}", g.symbol, info.title), Some(href))]),
    }
}

/// The gene page's annotation subsections, one per configured annotation source, in the
/// configured order.
pub fn sections(data: &SiteData, g: &Gene, stem: &str) -> Vec<AnnotationSection> {
    let a = shareable(data, g);
    let json = format!("{stem}.json");
    data.annotation_sources
        .iter()
        .map(|info| {
            let release = match &info.upstream_version {
                Some(v) => format!("release {v}"),
                None => "release not stated".into(),
            };
            let mut s = empty(info, g, &release);
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
            if !a.has(&info.name) {
                s.missing = Some(format!(
                    "No data in {} {} for {}.",
                    info.title,
                    info.upstream_version
                        .as_deref()
                        .unwrap_or("(release not stated)"),
                    g.symbol
                ));
                return s;
            }
            fill(&mut s, &a, g, &json);
            s
        })
        .collect()
}

fn fill(s: &mut AnnotationSection, a: &GeneAnnotations, g: &Gene, json: &str) {
    match s.name.as_str() {
        "hpo_phenotypes" => {
            let Some(h) = &a.hpo else { return };
            s.facts.push(fact(
                "Clinical group",
                group_cell(
                    &h.clinical_group,
                    "no phenotype under any group's signature terms",
                ),
            ));
            s.facts.push(fact(
                "Onset group",
                group_cell(&h.onset_group, "no onset term in the gene's diseases"),
            ));
            let sy = &h.syndromic;
            let mut cell = vec![
                styled(
                    if sy.is_syndromic {
                        "Syndromic"
                    } else {
                        "Not syndromic"
                    },
                    "strong",
                ),
                text(format!(" (score {}; syndromic from 0.3)", num(sy.score, 3))),
            ];
            if !sy.shares.is_empty() {
                let order = ["growth", "skeletal", "neurologic", "head_neck"];
                let mut keys: Vec<&String> = sy.shares.keys().collect();
                keys.sort_by_key(|k| order.iter().position(|o| o == k).unwrap_or(order.len()));
                cell.push(styled(
                    format!(
                        " share of phenotypes per system: {}",
                        keys.iter()
                            .map(|k| format!("{} {}", group_label(k), pct(sy.shares[*k])))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    "muted",
                ));
            }
            s.facts.push(fact("Syndromic assessment", cell));
            s.facts.push(fact(
                "Phenotypes",
                vec![text(format!(
                    "{} kidney phenotypes of {} phenotypes, {} {}",
                    thousands(h.kidney_phenotypes.len() as u64),
                    thousands(h.phenotypes.len() as u64),
                    thousands(h.diseases.len() as u64),
                    if h.diseases.len() == 1 {
                        "disease"
                    } else {
                        "diseases"
                    }
                ))],
            ));
            if !h.kidney_phenotypes.is_empty() {
                s.lists.push(TermList {
                    label: "Kidney phenotypes".into(),
                    collapsed: false,
                    items: h
                        .kidney_phenotypes
                        .iter()
                        .take(KIDNEY_SHOWN)
                        .map(|t| term_cell(&t.id, &t.name, curie_url(&t.id)))
                        .collect(),
                    more: more_text(KIDNEY_SHOWN, h.kidney_phenotypes.len(), json),
                });
            }
            if !h.diseases.is_empty() {
                s.lists.push(TermList {
                    label: "Diseases".into(),
                    collapsed: false,
                    items: h
                        .diseases
                        .iter()
                        .take(DISEASES_SHOWN)
                        .map(|t| term_cell(&t.id, &t.name, curie_url(&t.id)))
                        .collect(),
                    more: more_text(DISEASES_SHOWN, h.diseases.len(), json),
                });
            }
            if !h.phenotypes.is_empty() {
                s.lists.push(TermList {
                    label: format!("All {} phenotypes", thousands(h.phenotypes.len() as u64)),
                    collapsed: true,
                    items: h
                        .phenotypes
                        .iter()
                        .take(PHENOTYPES_SHOWN)
                        .map(|t| term_cell(&t.id, &t.name, curie_url(&t.id)))
                        .collect(),
                    more: more_text(PHENOTYPES_SHOWN, h.phenotypes.len(), json),
                });
            }
        }
        "gnomad" => {
            let Some(c) = &a.constraint else { return };
            let opt = |x: Option<f64>, f: fn(f64) -> String| {
                x.map(f).unwrap_or_else(|| "not reported".into())
            };
            s.facts.push(fact("pLI", vec![text(opt(c.pli, sig))]));
            let mut loeuf = vec![text(opt(c.loeuf, sig))];
            if c.loeuf.is_some() && c.loeuf_computed {
                loeuf.push(text(" "));
                loeuf.push(styled("computed by kgdb", "mark"));
            }
            loeuf.push(styled(
                " (upper bound of the 90 % interval of observed/expected LoF; lower means more constrained)",
                "muted",
            ));
            s.facts.push(fact("LOEUF", loeuf));
            let mut oe = vec![text(opt(c.oe_lof, sig))];
            if let (Some(lo), Some(up)) = (c.oe_lof_lower, c.loeuf) {
                oe.push(text(format!(" (90 % interval {}–{})", sig(lo), sig(up))));
            }
            if let (Some(o), Some(e)) = (c.obs_lof, c.exp_lof) {
                oe.push(styled(
                    format!("; {} observed / {} expected", thousands(o), num(e, 2)),
                    "muted",
                ));
            }
            s.facts.push(fact("Observed/expected LoF", oe));
            if let Some(z) = c.lof_z {
                s.facts.push(fact("LoF Z", vec![text(num(z, 2))]));
            }
            s.facts
                .push(fact("Missense Z", vec![text(opt(c.mis_z, |z| num(z, 2)))]));
            s.facts.push(fact(
                "Synonymous Z",
                vec![text(opt(c.syn_z, |z| num(z, 2)))],
            ));
            if let Some(t) = &c.transcript {
                s.facts
                    .push(fact("Transcript", vec![link(t.clone(), ensembl_url(t))]));
            }
        }
        "clinvar" => {
            let Some(c) = &a.clinvar else { return };
            let n = |x: Option<u64>| x.map(thousands).unwrap_or_else(|| "none reported".into());
            s.facts.push(fact(
                "Pathogenic / likely pathogenic alleles",
                vec![styled(n(c.pathogenic_alleles), "strong")],
            ));
            s.facts
                .push(fact("Alleles in total", vec![text(n(c.total_alleles))]));
            s.facts
                .push(fact("Submissions", vec![text(n(c.total_submissions))]));
            s.facts.push(fact(
                "Uncertain significance",
                vec![text(n(c.uncertain_alleles))],
            ));
            s.facts.push(fact(
                "With conflicting interpretations",
                vec![text(n(c.conflicting_alleles))],
            ));
        }
        "gtex" => {
            let Some(e) = &a.expression else { return };
            s.facts.push(fact(
                "Kidney",
                vec![text(
                    e.kidney_ntpm
                        .map(|v| format!("{} nTPM", num(v, 1)))
                        .unwrap_or_else(|| "no kidney value".into()),
                )],
            ));
            if let Some(r) = e.kidney_rank {
                s.facts.push(fact(
                    "Kidney among tissues",
                    vec![text(format!("rank {r} of {} tissues", e.tissue_count))],
                ));
            }
            if let Some(t) = &e.top_tissue {
                s.facts.push(fact(
                    "Highest",
                    vec![text(format!(
                        "{t}{}",
                        e.top_ntpm
                            .map(|v| format!(", {} nTPM", num(v, 1)))
                            .unwrap_or_default()
                    ))],
                ));
            }
        }
        "descartes" => {
            let Some(f) = &a.fetal_kidney else { return };
            s.notes.push(
                "FETAL: cell types of the human fetal kidney (Descartes fetal atlas), not adult kidney."
                    .into(),
            );
            s.table = Some(AnnTable {
                caption: format!("Fetal kidney cell types expressing {}", g.symbol),
                headers: vec!["Cell type (fetal kidney)", "TPM", "Cells expressing"],
                rows: f
                    .cell_types
                    .iter()
                    .map(|c| {
                        vec![
                            vec![text(label(&c.cell_type))],
                            vec![text(c.tpm.map(|v| num(v, 2)).unwrap_or_default())],
                            vec![text(c.fraction_expressing.map(pct).unwrap_or_default())],
                        ]
                    })
                    .collect(),
            });
        }
        "mgi" => {
            let Some(m) = &a.mouse else { return };
            s.facts.push(fact(
                if m.orthologs.len() == 1 {
                    "Mouse ortholog"
                } else {
                    "Mouse orthologs"
                },
                join(
                    m.orthologs
                        .iter()
                        .map(|o| link(format!("{} ({})", o.symbol, o.mgi_id), mgi_url(&o.mgi_id)))
                        .collect(),
                    ", ",
                ),
            ));
            let k = m.kidney_phenotypes.len();
            s.facts.push(fact(
                "Kidney/urinary phenotype",
                vec![
                    styled(if k > 0 { "yes" } else { "no" }, "strong"),
                    text(format!(
                        ": {k} of {} phenotypes",
                        thousands(m.phenotype_count as u64)
                    )),
                ],
            ));
            if k > 0 {
                s.lists.push(TermList {
                    label: "Kidney/urinary phenotypes (MP)".into(),
                    collapsed: false,
                    items: m
                        .kidney_phenotypes
                        .iter()
                        .take(KIDNEY_SHOWN)
                        .map(|t| term_cell(&t.id, &t.name, mp_url(&t.id)))
                        .collect(),
                    more: more_text(KIDNEY_SHOWN, k, json),
                });
            }
        }
        "mane" => {
            let Some(m) = &a.mane else { return };
            let mut refseq = vec![link(
                m.refseq_transcript.clone(),
                ncbi_url("nuccore", &m.refseq_transcript),
            )];
            if let Some(p) = &m.refseq_protein {
                refseq.push(text(" / "));
                refseq.push(link(p.clone(), ncbi_url("protein", p)));
            }
            s.facts.push(fact("RefSeq", refseq));
            let mut ens = vec![link(
                m.ensembl_transcript.clone(),
                ensembl_url(&m.ensembl_transcript),
            )];
            if let Some(p) = &m.ensembl_protein {
                ens.push(text(" / "));
                ens.push(link(p.clone(), ensembl_url(p)));
            }
            s.facts.push(fact("Ensembl", ens));
            if !m.plus_clinical.is_empty() {
                s.facts.push(fact(
                    "MANE Plus Clinical",
                    join(
                        m.plus_clinical.iter().map(|t| text(t.clone())).collect(),
                        ", ",
                    ),
                ));
            }
        }
        _ => {}
    }
}
