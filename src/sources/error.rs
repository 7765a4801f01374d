//! Why a source's fetch failed, and where in a file its parser stopped.
//!
//! Why a module of its own: the fetch session reports in these types, and every source
//! module returns them; keeping them below both (the session may not import the sources)
//! keeps the layers pointing down.

use std::fmt;

use crate::fetch::FetchError;
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
}

impl SourceError {
    pub fn unusable(source_name: &str, message: impl Into<String>) -> SourceError {
        SourceError::Unusable {
            source_name: source_name.to_string(),
            message: message.into(),
        }
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
