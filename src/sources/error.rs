//! Why a source's fetch failed, and where in a file its parser stopped.
//!
//! Why a module of its own: the fetch session reports in these types, and every source
//! module returns them; keeping them below both (the session may not import the sources)
//! keeps the layers pointing down.

use std::fmt;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::fetch::FetchError;
use crate::fetch::mirror::Mirror;
use crate::store::StoreError;

/// Why a source's fetch failed. Every variant names the source; what it shows is what the
/// Sources page and `kgdb status` show.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{source_name}: {error}")]
    Fetch {
        source_name: String,
        #[source]
        error: FetchError,
    },
    /// A stored copy is missing (offline) or unreadable; the error names source and URL.
    #[error(transparent)]
    Stored(FetchError),
    #[error(transparent)]
    Parse(#[from] ParseError),
    #[error("{error}")]
    Store {
        #[from]
        error: StoreError,
    },
    #[error("{source_name}: cannot {what} {path}: {error}")]
    Io {
        source_name: String,
        what: &'static str,
        path: String,
        #[source]
        error: std::io::Error,
    },
    /// The files were read but give nothing usable (no row selected, versions disagree…);
    /// the message says why, and that the previous rows are kept.
    #[error("{source_name}: {message}")]
    Unusable {
        source_name: String,
        message: String,
    },
    /// The new rows are far fewer than those of the last good load (`guards.max_row_drop`):
    /// refused, the previous rows are kept until the maintainer accepts the drop.
    #[error(
        "{source_name}: {rows} rows instead of {previous} ({}); previous rows kept; pass --accept-drop {source_name} if this is right",
        drop_percent(*.previous, *.rows)
    )]
    ShortLoad {
        source_name: String,
        previous: u64,
        rows: u64,
    },
}

/// A fall from `previous` to `rows` as a whole percentage, e.g. `-50 %`.
fn drop_percent(previous: u64, rows: u64) -> String {
    let share = 1.0 - rows as f64 / previous.max(1) as f64;
    format!("-{:.0} %", share * 100.0)
}

impl SourceError {
    /// The error as the public site shows it: where (the upstream URL, a mirror's address
    /// mapped back to it; a local file by its name and sha256) and a short reason. Never the
    /// mirror's address, a local path or a response body; the terminal and `kgdb status` keep
    /// the full text ([`Display`](fmt::Display)).
    pub fn public(&self, mirror: Option<&Mirror>) -> String {
        match self {
            SourceError::Fetch { error, .. } | SourceError::Stored(error) => {
                public_fetch(error, mirror)
            }
            SourceError::Parse(e) => {
                let at = public_place(&e.url, mirror);
                match e.problem.line {
                    Some(l) => format!("{at}: cannot parse (line {l})"),
                    None => format!("{at}: cannot parse"),
                }
            }
            SourceError::Store { .. } => "could not be stored (see `kgdb status`)".into(),
            SourceError::Io { what, path, .. } => {
                format!("{}: cannot {what} it", public_place(path, mirror))
            }
            SourceError::ShortLoad { previous, rows, .. } => format!(
                "{rows} rows instead of {previous} ({}); previous rows kept",
                drop_percent(*previous, *rows)
            ),
            SourceError::Unusable { message, .. } => match mirror {
                Some(m) => m.upstream_text(message),
                None => message.clone(),
            },
        }
    }

    /// The message without the source's name in front, for a line that already names it.
    pub fn brief(&self, source: &str) -> String {
        let full = self.to_string();
        match full.strip_prefix(source).and_then(|r| r.strip_prefix(": ")) {
            Some(rest) => rest.to_string(),
            None => full,
        }
    }

    /// The raw error chain behind a plain message (a host that cannot be reached), for `-v`
    /// and `kgdb status`.
    pub fn detail(&self) -> Option<&str> {
        match self {
            SourceError::Fetch { error, .. } | SourceError::Stored(error) => error.detail(),
            _ => None,
        }
    }

    /// True when the source failed because its host (or the mirror) could not be reached.
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            SourceError::Fetch {
                error: FetchError::Unreachable { .. },
                ..
            }
        )
    }

    pub fn unusable(source_name: &str, message: impl Into<String>) -> SourceError {
        SourceError::Unusable {
            source_name: source_name.to_string(),
            message: message.into(),
        }
    }
}

/// A fetch error in its public form (see [`SourceError::public`]).
fn public_fetch(e: &FetchError, mirror: Option<&Mirror>) -> String {
    let at = |url: &str| public_place(url, mirror);
    match e {
        FetchError::Status { url, status, .. } => format!("{}: HTTP {status}", at(url)),
        FetchError::Truncated {
            url, expected, got, ..
        } => format!(
            "{}: truncated download ({got} of {expected} bytes)",
            at(url)
        ),
        FetchError::BodyInterrupted { url, .. } => {
            format!("{}: connection closed mid-download", at(url))
        }
        FetchError::CorruptGzip { url, .. } => format!("{}: corrupt gzip data", at(url)),
        FetchError::Transport { url, .. } => format!("{}: unreachable", at(url)),
        FetchError::Unreachable { url, reason, .. } => {
            format!("{}: unreachable ({reason})", at(url))
        }
        FetchError::RetryAfterTooLong { url, secs } => {
            format!("{}: rate limited (retry after {secs} s)", at(url))
        }
        FetchError::TooManyRedirects { url, max } => {
            format!("{}: more than {max} redirects", at(url))
        }
        FetchError::RedirectRefused { url, location, .. } => {
            format!("{}: redirect to {} refused", at(url), at(location))
        }
        FetchError::BodyTooLarge { url, limit, .. } => {
            format!("{}: larger than the {limit}-byte limit", at(url))
        }
        FetchError::InflatedTooLarge { url, limit, .. } => {
            format!("{}: decompresses past the {limit}-byte limit", at(url))
        }
        FetchError::DeadlineExceeded { url, secs, .. } => {
            format!("{}: not finished within {secs} s", at(url))
        }
        FetchError::BadRedirect { url } => format!("{}: unusable redirect", at(url)),
        FetchError::NotStored { url, .. } => {
            format!("{}: offline, and no stored download", at(url))
        }
        FetchError::StoredCorrupt { url, .. } => {
            format!("{}: stored download unreadable", at(url))
        }
    }
}

/// Where, publicly: an http(s) URL in its upstream form (a mirror's address mapped back);
/// anything else is a local file, named by its file name and, when readable, its sha256.
fn public_place(url: &str, mirror: Option<&Mirror>) -> String {
    let url = mirror.map_or_else(|| url.to_string(), |m| m.upstream(url));
    if url.starts_with("https://") || url.starts_with("http://") {
        return url;
    }
    let path = url::Url::parse(&url)
        .ok()
        .filter(|u| u.scheme() == "file")
        .and_then(|u| u.to_file_path().ok())
        .unwrap_or_else(|| Path::new(&url).to_path_buf());
    let name = path.file_name().map_or_else(
        || "a local file".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    match std::fs::read(&path) {
        Ok(bytes) => format!("{name} (sha256 {})", hex::encode(Sha256::digest(&bytes))),
        Err(_) => name,
    }
}

/// A problem found while parsing upstream bytes, located by line (or record) when known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ParseProblem {
    /// 1-based line (text formats) or record number (JSON arrays).
    pub line: Option<u64>,
    pub message: String,
}

impl ParseProblem {
    pub fn new(line: Option<u64>, message: impl Into<String>) -> Self {
        ParseProblem {
            line,
            message: message.into(),
        }
    }

    pub fn at(line: u64, message: impl Into<String>) -> Self {
        Self::new(Some(line), message)
    }

    pub fn whole(message: impl Into<String>) -> Self {
        Self::new(None, message)
    }
}

impl fmt::Display for ParseProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// A parse problem with the source and URL it came from: what the user sees.
#[derive(Debug, thiserror::Error)]
#[error("{source_name}: cannot parse {url}: {problem}")]
pub struct ParseError {
    pub source_name: String,
    pub url: String,
    pub problem: ParseProblem,
}

impl ParseProblem {
    /// The error naming the source, the URL and the line.
    pub fn at_url(self, source: &str, url: &str) -> SourceError {
        SourceError::Parse(ParseError {
            source_name: source.to_string(),
            url: url.to_string(),
            problem: self,
        })
    }

    /// The message naming the source, the URL and the line (for callers still on strings).
    pub fn describe(self, source: &str, url: &str) -> String {
        self.at_url(source, url).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_form_names_upstream_urls_and_local_files_by_name_and_checksum() {
        let m = Mirror::new("http://127.0.0.1:4000").unwrap();
        let wire = "http://127.0.0.1:4000/search.clinicalgenome.org/kb/download";
        let e = SourceError::Fetch {
            source_name: "clingen".into(),
            error: FetchError::Status {
                url: wire.into(),
                status: 500,
                retry_after: None,
                snippet: "<html>secret body</html>".into(),
            },
        };
        assert!(
            e.to_string().contains("secret body"),
            "the terminal keeps all"
        );
        assert_eq!(
            e.public(Some(&m)),
            "https://search.clinicalgenome.org/kb/download: HTTP 500"
        );
        let e = SourceError::Fetch {
            source_name: "clingen".into(),
            error: FetchError::Transport {
                url: wire.into(),
                detail: "connection refused to 127.0.0.1:4000".into(),
            },
        };
        assert_eq!(
            e.public(Some(&m)),
            "https://search.clinicalgenome.org/kb/download: unreachable"
        );

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("kidney_panel.csv");
        std::fs::write(&file, "symbol\n").unwrap();
        let url = url::Url::from_file_path(&file).unwrap().to_string();
        let e = ParseProblem::at(7, "bad value 'x' in /home/me").at_url("literature", &url);
        let public = e.public(Some(&m));
        assert_eq!(
            public,
            format!(
                "kidney_panel.csv (sha256 {}): cannot parse (line 7)",
                hex::encode(Sha256::digest(b"symbol\n"))
            )
        );
        let e = SourceError::Io {
            source_name: "literature".into(),
            what: "read",
            path: dir.path().join("gone.csv").to_string_lossy().into_owned(),
            error: std::io::Error::from(std::io::ErrorKind::NotFound),
        };
        assert_eq!(e.public(None), "gone.csv: cannot read it");
        assert!(!e.public(None).contains(&*dir.path().to_string_lossy()));
    }
}
