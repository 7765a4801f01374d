//! Text and link helpers every part of the site shares: labels, numbers as people read
//! them, and links built only from identifiers that look like identifiers or from `http(s)`
//! URLs (upstream strings are untrusted).
//!
//! Why a module of its own: the page view models, the charts, the downloads, the annotation
//! sections and the table data all format the same way; keeping these helpers in a leaf
//! (it imports none of its sibling modules) lets those modules depend on it without
//! depending on each other.

use serde::Serialize;

use super::SiteError;

/// "comprehensive_support" -> "Comprehensive support".
pub fn label(name: &str) -> String {
    let s = name.replace('_', " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => s,
    }
}

pub fn short_label(source: &str) -> String {
    match source {
        "panelapp" => "PA".into(),
        "literature" => "Lit".into(),
        "diagnostic_panels" => "Lab".into(),
        "hpo" => "HPO".into(),
        "pubtator" => "PT".into(),
        "clingen" => "CG".into(),
        "gencc" => "GC".into(),
        other => other.chars().take(3).collect(),
    }
}

/// A link target only when it is an http(s) URL (upstream strings are untrusted:
/// `javascript:` and friends never become links).
pub fn http_url(s: &str) -> Option<String> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    if (lower.starts_with("https://") || lower.starts_with("http://"))
        && !t.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        Some(t.to_string())
    } else {
        None
    }
}

/// An identifier safe to put into a URL path as it is.
pub(crate) fn id_ok(s: &str) -> bool {
    !s.is_empty()
        && s.len() < 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '_' | '-'))
}

pub(crate) fn digits(s: &str) -> bool {
    !s.is_empty() && s.len() < 16 && s.chars().all(|c| c.is_ascii_digit())
}

pub fn hgnc_url(hgnc_id: &str) -> Option<String> {
    hgnc_id
        .strip_prefix("HGNC:")
        .filter(|n| digits(n))
        .map(|_| format!("https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/{hgnc_id}"))
}

pub fn pubmed_url(pmid: &str) -> Option<String> {
    digits(pmid).then(|| format!("https://pubmed.ncbi.nlm.nih.gov/{pmid}/"))
}

/// OMIM, Orphanet, MONDO and HPO identifiers to their pages.
pub fn curie_url(curie: &str) -> Option<String> {
    let (prefix, local) = curie.split_once(':')?;
    match prefix.to_ascii_uppercase().as_str() {
        "OMIM" | "MIM" if digits(local) => Some(format!("https://omim.org/entry/{local}")),
        "ORPHA" | "ORPHANET" if digits(local) => {
            Some(format!("https://www.orpha.net/en/disease/detail/{local}"))
        }
        "MONDO" if digits(local) => Some(format!("https://monarchinitiative.org/MONDO:{local}")),
        "HP" if digits(local) => Some(format!("https://hpo.jax.org/browse/term/HP:{local}")),
        _ => None,
    }
}

/// `HGNC:9008` -> `HGNC_9008` (the file name of the gene's page and JSON).
pub fn gene_stem(hgnc_id: &str) -> Result<String, SiteError> {
    match hgnc_id.strip_prefix("HGNC:") {
        Some(n) if digits(n) => Ok(format!("HGNC_{n}")),
        _ => Err(SiteError::Gene {
            hgnc_id: hgnc_id.to_string(),
            problem: "not an HGNC ID of the form HGNC:<number>".into(),
        }),
    }
}

pub fn hgnc_number(hgnc_id: &str) -> Result<u64, SiteError> {
    hgnc_id
        .strip_prefix("HGNC:")
        .and_then(|n| if digits(n) { n.parse().ok() } else { None })
        .ok_or_else(|| SiteError::Gene {
            hgnc_id: hgnc_id.to_string(),
            problem: "not an HGNC ID of the form HGNC:<number>".into(),
        })
}

/// A number as people read it: integers without decimals, others with up to `dec` decimals.
pub fn num(x: f64, dec: usize) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.dec$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    }
}

/// 43882 -> "43,882".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A piece of text, a link when `href` is set, styled by `cls` when set.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    pub t: String,
    pub href: Option<String>,
    pub cls: Option<&'static str>,
}

pub(crate) fn text(t: impl Into<String>) -> Part {
    Part {
        t: t.into(),
        href: None,
        cls: None,
    }
}

pub(crate) fn link(t: impl Into<String>, href: Option<String>) -> Part {
    Part {
        t: t.into(),
        href,
        cls: None,
    }
}

pub(crate) fn styled(t: impl Into<String>, cls: &'static str) -> Part {
    Part {
        t: t.into(),
        href: None,
        cls: Some(cls),
    }
}

pub(crate) type Cell = Vec<Part>;

/// Joins parts with a separator part between them.
pub(crate) fn join(parts: Vec<Part>, sep: &str) -> Cell {
    let mut out = Vec::new();
    for (i, p) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push(text(sep));
        }
        out.push(p);
    }
    out
}
