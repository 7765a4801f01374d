//! The *requests* half every annotation shares, and the pure helpers from parsed rows to
//! staged rows.
//!
//! Why: annotations must travel the same road as evidence (one fetcher with per-host
//! limits and conditional requests, content-addressed storage, a provenance record per
//! file, staged rows normalized to HGNC ids with an audit log), so a gene page can say which
//! file, release and checksum each value came from. Each annotation module names its files
//! and parses them; [`fetch`] downloads them once, runs the module's parser on the blocking
//! pool and stages one row per gene as the upstream identified it (symbol, NCBI Gene,
//! Ensembl or HGNC id) with the module's part as `details`.

use std::collections::HashSet;

use serde::Serialize;

use crate::sources::session::Session;
use crate::sources::{ParseProblem, SourceError, Staged, StagedRow};

/// What the transfer of the first file tells about the release (a module's version rule
/// reads it when the content states none).
#[derive(Debug, Clone, Copy)]
pub struct Transfer<'a> {
    /// The configured URL.
    pub url: &'a str,
    /// The URL after redirects.
    pub final_url: &'a str,
    pub last_modified: Option<&'a str>,
}

/// A module's parser: the files as `(url, bytes)` in the order requested, to staged rows and
/// the release the content states (ClinVar's date line). Pure; runs on the blocking pool.
pub type Parse = fn(
    source: &str,
    bodies: &[(String, Vec<u8>)],
) -> Result<(Vec<StagedRow>, Option<String>), SourceError>;

/// Download an annotation's files and stage its rows with `parse`; the version is the one the
/// content states, else `version` of the first file's transfer. Parsing runs on the blocking
/// pool, one annotation at a time, so it overlaps with the other sources' downloads and
/// parsing on another core.
pub async fn fetch(
    session: &mut Session<'_>,
    urls: Vec<String>,
    version: fn(&Transfer<'_>) -> Option<String>,
    parse: Parse,
) -> Result<Staged, SourceError> {
    let mut files = Vec::with_capacity(urls.len());
    for url in &urls {
        files.push(session.get(url).await?);
    }
    if let Some(s) = unchanged(session) {
        return s;
    }
    let downloads: Vec<usize> = files.iter().map(|f| f.download).collect();
    let meta_version = match (urls.first(), files.first()) {
        (Some(url), Some(f)) => version(&Transfer {
            url,
            final_url: &f.final_url,
            last_modified: session
                .records
                .get(f.download)
                .and_then(|r| r.last_modified.as_deref()),
        }),
        _ => None,
    };
    let bodies: Vec<(String, Vec<u8>)> = urls
        .into_iter()
        .zip(files.into_iter().map(|f| f.bytes))
        .collect();
    let source = session.source.to_string();
    // One annotation parse at a time: in parallel they would hold every file and its rows
    // in memory at once (peak RSS of a first run 0.9 GB instead of 0.5 GB).
    static ONE_AT_A_TIME: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);
    let _permit = ONE_AT_A_TIME
        .acquire()
        .await
        .map_err(|e| SourceError::unusable(&source, format!("parser queue closed: {e}")))?;
    let (rows, content_version) = tokio::task::spawn_blocking(move || parse(&source, &bodies))
        .await
        .map_err(|e| SourceError::unusable(session.source, format!("parser stopped: {e}")))??;
    finish(session, &downloads, content_version.or(meta_version), rows)
}

/// File `i` of `bodies` as `(url, content)` (a `.gz` unpacked), or the error naming it.
pub fn file<'b>(
    source: &str,
    bodies: &'b [(String, Vec<u8>)],
    i: usize,
) -> Result<(&'b str, std::borrow::Cow<'b, [u8]>), SourceError> {
    let (url, bytes) = bodies
        .get(i)
        .ok_or_else(|| SourceError::unusable(source, format!("file {} missing", i + 1)))?;
    Ok((url.as_str(), content(bytes, source, url)?))
}

/// A parse problem of `url`, naming the source.
pub fn at(source: &str, url: &str) -> impl Fn(ParseProblem) -> SourceError {
    move |p| p.at_url(source, url)
}

/// Every file answered 304 (or, offline, the stored files are those of the last good run):
/// nothing to parse, the staged rows stay (the pipeline records the source as unchanged,
/// with its last version).
fn unchanged(session: &Session<'_>) -> Option<Result<Staged, SourceError>> {
    if !session.unchanged() {
        return None;
    }
    let version = session
        .store
        .source_status(session.source)
        .map(|(_, good)| good.and_then(|g| g.upstream_version));
    Some(
        version
            .map(|upstream_version| Staged {
                upstream_version,
                ..Default::default()
            })
            .map_err(SourceError::from),
    )
}

/// The file's content: a `.gz` served as is (MANE, the derived tables) is unpacked here;
/// the recorded checksum stays that of the bytes upstream serves.
fn content<'b>(
    bytes: &'b [u8],
    source: &str,
    url: &str,
) -> Result<std::borrow::Cow<'b, [u8]>, SourceError> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        crate::fetch::gunzip(bytes)
            .map(std::borrow::Cow::Owned)
            .map_err(|e| {
                SourceError::unusable(source, format!("{url}: corrupt or truncated gzip: {e}"))
            })
    } else {
        Ok(std::borrow::Cow::Borrowed(bytes))
    }
}

/// Pair staged rows with the download they came from (the first file of the source: every
/// row is built from all of `downloads`, which the Sources page lists) and set versions.
fn finish(
    session: &mut Session<'_>,
    downloads: &[usize],
    version: Option<String>,
    rows: Vec<StagedRow>,
) -> Result<Staged, SourceError> {
    if rows.is_empty() {
        return Err(SourceError::unusable(session.source, "no gene rows"));
    }
    if let Some(v) = &version {
        for &d in downloads {
            session.set_version(d, v.clone());
        }
    }
    let first = downloads.first().copied().unwrap_or(0);
    Ok(Staged {
        rows: rows.into_iter().map(|r| (first, r)).collect(),
        upstream_version: version,
        ..Default::default()
    })
}

/// Builds staged rows with record keys unique within the source (a repeated key gets the
/// line it came from appended, so no row is silently dropped).
pub struct Rows {
    seen: HashSet<String>,
    out: Vec<StagedRow>,
}

impl Default for Rows {
    fn default() -> Self {
        Self::new()
    }
}

impl Rows {
    /// The rows built.
    pub fn rows(self) -> Vec<StagedRow> {
        self.out
    }

    pub fn new() -> Self {
        Rows {
            seen: HashSet::new(),
            out: Vec::new(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn push<T: Serialize>(
        &mut self,
        key: String,
        line: u64,
        symbol: Option<&str>,
        hgnc_id: Option<&str>,
        ncbi_id: Option<u64>,
        ensembl_id: Option<&str>,
        part: &T,
    ) {
        let key = if self.seen.insert(key.clone()) {
            key
        } else {
            let k = format!("{key}#{line}");
            self.seen.insert(k.clone());
            k
        };
        self.out.push(StagedRow {
            record_key: key,
            reported_symbol: symbol.map(str::to_string),
            reported_hgnc_id: hgnc_id.map(str::to_string),
            reported_ncbi_id: ncbi_id.map(|n| n.to_string()),
            reported_ensembl_id: ensembl_id.map(str::to_string),
            details: crate::sources::details(part),
        });
    }
}

/// The ISO date in the last path segment of a URL (`…_2023-10-12.csv.gz` -> `2023-10-12`).
pub fn date_in_url(url: &str) -> Option<String> {
    let name = url.rsplit('/').next()?;
    let b = name.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let s = name.get(i..i + 10)?;
        let ok = s.bytes().enumerate().all(|(j, c)| match j {
            4 | 7 => c == b'-',
            _ => c.is_ascii_digit(),
        });
        ok.then(|| s.to_string())
    })
}

/// `Wed, 13 May 2026 00:00:00 GMT` -> `2026-05-13`.
pub fn http_date_to_iso(s: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut it = s.split_whitespace().skip(1);
    let day: u32 = it.next()?.parse().ok()?;
    let month = MONTHS.iter().position(|m| Some(*m) == it.clone().next())? + 1;
    it.next();
    let year: u32 = it.next()?.parse().ok()?;
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_from_urls_and_headers() {
        assert_eq!(
            date_in_url(
                "https://x/gene_score/features/results/gnomad_constraints_2023-10-12.csv.gz"
            )
            .as_deref(),
            Some("2023-10-12")
        );
        assert_eq!(date_in_url("https://x/HMD_HumanPhenotype.rpt"), None);
        assert_eq!(
            http_date_to_iso("Wed, 13 May 2026 00:00:00 GMT").as_deref(),
            Some("2026-05-13")
        );
        assert_eq!(http_date_to_iso("yesterday"), None);
    }
}
