//! Text and link helpers every part of the site shares: labels, numbers as people read
//! them, and links built only from identifiers that look like identifiers or from `http(s)`
//! URLs (upstream strings are untrusted).
//!
//! Why a module of its own: the page view models, the charts, the downloads, the annotation
//! sections and the table data all format the same way; keeping these helpers in a leaf
//! (it imports none of its sibling modules) lets those modules depend on it without
//! depending on each other. The vocabulary itself lives in [`crate::sources::view`], below
//! the sources, whose gene-page partials speak it too.

use super::SiteError;
pub use crate::sources::view::{
    Cell, digits, hgnc_url, http_url, id_ok, join, label, link, num, styled, text, thousands,
};

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
