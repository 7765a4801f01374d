//! The vocabulary of displayed values, shared by the sources' gene-page partials and the
//! site: text parts that may be links, and numbers, dates and identifiers formatted as
//! readers see them.
//!
//! Why here, below the site: a source module builds the rows of its own gene-page section
//! (see [`super::ScoringSource::gene_section`]) and must be able to say "a link to this
//! PMID" without depending on the site renderer. Links are built only from identifiers that
//! look like identifiers or from `http(s)` URLs: upstream strings are untrusted.

use std::collections::BTreeMap;

use serde::Serialize;

/// Rows shown per evidence section (PubTator has its own, smaller number).
pub const ROWS_SHOWN: usize = 60;

/// A piece of text, a link when `href` is set, styled by `cls` when set.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    pub t: String,
    pub href: Option<String>,
    pub cls: Option<&'static str>,
}

pub fn text(t: impl Into<String>) -> Part {
    Part {
        t: t.into(),
        href: None,
        cls: None,
    }
}

pub fn link(t: impl Into<String>, href: Option<String>) -> Part {
    Part {
        t: t.into(),
        href,
        cls: None,
    }
}

pub fn styled(t: impl Into<String>, cls: &'static str) -> Part {
    Part {
        t: t.into(),
        href: None,
        cls: Some(cls),
    }
}

/// One table cell: parts printed one after the other.
pub type Cell = Vec<Part>;

/// Joins parts with a separator part between them.
pub fn join(parts: Vec<Part>, sep: &str) -> Cell {
    let mut out = Vec::new();
    for (i, p) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push(text(sep));
        }
        out.push(p);
    }
    out
}

/// A trimmed, non-empty upstream string (what a cell shows), else `None`.
pub fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// [`clean`], or the empty string.
pub fn shown(s: &Option<String>) -> String {
    clean(s).unwrap_or_default()
}

/// The trimmed, non-empty entries of an upstream list.
pub fn clean_list(v: &[String]) -> Vec<String> {
    v.iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The date part (first ten characters) of a timestamp.
pub fn date10(s: Option<String>) -> String {
    s.map(|d| d.chars().take(10).collect()).unwrap_or_default()
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
pub fn id_ok(s: &str) -> bool {
    !s.is_empty()
        && s.len() < 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '_' | '-'))
}

pub fn digits(s: &str) -> bool {
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

/// "1 panel", "1,204 panels".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        thousands(n as u64),
        if n == 1 { one } else { many }
    )
}

/// A classification with its weight; a zero weight is marked as contradicting.
pub fn classification_cell(weights: &BTreeMap<String, f64>, c: Option<String>) -> Cell {
    let Some(c) = c else { return vec![] };
    match weights.get(&c.trim().to_lowercase()).copied() {
        Some(w) if w <= 0.0 => vec![styled(format!("⚠ {c}"), "contra"), text(" (contradicting)")],
        Some(w) => vec![text(c), styled(format!(" ({})", num(w, 2)), "muted")],
        None => vec![text(c)],
    }
}

/// Keep the first `shown` rows; say so when some were cut (every record stays in the
/// gene's JSON).
pub fn cut<R>(
    mut rows: Vec<R>,
    shown: usize,
    json_name: &str,
    order: &str,
) -> (Vec<R>, Option<String>) {
    let total = rows.len();
    rows.truncate(shown);
    let more = (total > rows.len()).then(|| {
        format!(
            "Showing {} of {}{order}; every record is in {json_name}.",
            rows.len(),
            thousands(total as u64),
        )
    });
    (rows, more)
}

/// The note of a classification source whose every record weighs 0.
pub fn contradicting_note(noun: &str, symbol: &str, title: &str) -> String {
    format!(
        "Contradicting evidence: every kidney {noun} of {symbol} in {title} has a classification that weighs 0 (such as Refuted, Disputed or No Known Disease Relationship), so this source does not count as support."
    )
}

/// "comprehensive_support" -> "Comprehensive support".
pub fn label(name: &str) -> String {
    let s = name.replace('_', " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => s,
    }
}

pub use crate::score::round4;

/// A float for the downloads: rounded to 4 decimals, whole numbers without a fraction.
pub fn fnum(x: f64) -> String {
    let r = round4(x);
    if r.fract() == 0.0 && r.abs() < 1e15 {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_urls_and_clean_ids_become_links() {
        assert_eq!(
            http_url(" https://x.org/a "),
            Some("https://x.org/a".into())
        );
        assert_eq!(http_url("javascript:alert(1)"), None);
        assert_eq!(http_url("https://x.org/a b"), None);
        assert_eq!(
            pubmed_url("123"),
            Some("https://pubmed.ncbi.nlm.nih.gov/123/".into())
        );
        assert_eq!(pubmed_url("12a"), None);
        assert_eq!(
            curie_url("ORPHA:93"),
            Some("https://www.orpha.net/en/disease/detail/93".into())
        );
        assert_eq!(curie_url("MONDO:x"), None);
    }

    #[test]
    fn numbers_and_cuts_read_as_people_expect() {
        assert_eq!(num(2.0, 2), "2");
        assert_eq!(num(0.126, 2), "0.13");
        assert_eq!(num(1.5, 2), "1.5");
        assert_eq!(thousands(43882), "43,882");
        assert_eq!(plural(1, "panel", "panels"), "1 panel");
        let (rows, more) = cut(vec![1, 2, 3], 2, "HGNC_1.json", ", newest first");
        assert_eq!(rows, [1, 2]);
        assert_eq!(
            more.as_deref(),
            Some("Showing 2 of 3, newest first; every record is in HGNC_1.json.")
        );
        assert_eq!(cut(vec![1], 2, "x", "").1, None);
        assert_eq!(clean(&Some("  ".into())), None);
    }
}
