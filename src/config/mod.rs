//! `sources.yaml`: what kgdb fetches, from where, how politely, and how it scores.
//!
//! Every selection rule, URL, rate limit and scoring weight lives in this one file so that a
//! curator can read what a build did without reading code. Loading is two steps, as in
//! cargo-deny: a *raw* serde model that rejects unknown keys (a typo must never silently turn a
//! rule off, the predecessor's config had many keys nothing read), then [`Config::validate`],
//! which checks meaning and reports *every* problem at once with file, line and key.

mod raw;
mod section;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_saphyr::Spanned;
use sha2::{Digest, Sha256};
use url::Url;

pub use raw::*;

/// One problem found in the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: Option<u64>,
    pub key: String,
    pub message: String,
}

/// The config could not be used; lists every problem found.
#[derive(Debug, thiserror::Error)]
pub struct ConfigError {
    pub file: PathBuf,
    pub problems: Vec<Problem>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        writeln!(
            f,
            "{}: {} problem{} in the config",
            self.file.display(),
            n,
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            match p.line {
                Some(line) => write!(f, "  {}:{}: ", self.file.display(), line)?,
                None => write!(f, "  {}: ", self.file.display())?,
            }
            if p.key.is_empty() {
                writeln!(f, "{}", p.message)?;
            } else {
                writeln!(f, "{}: {}", p.key, p.message)?;
            }
        }
        Ok(())
    }
}

/// The validated configuration: everything later stages need, with spans stripped.
#[derive(Debug, Clone)]
pub struct Config {
    pub file: PathBuf,
    /// sha256 of the config bytes, recorded with every run.
    pub sha256: String,
    pub raw: RawConfig,
    /// The file's text: source modules read their own blocks from it ([`Config::block`]).
    text: String,
}

/// A source's or annotation's settings (declared with [`crate::source_settings!`]): the keys
/// every block has, for the checks they all get ([`Checker::common`]).
pub trait SourceBlock {
    fn common(&self) -> RawCommon<'_>;
}

/// Per-host politeness settings, resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HostLimit {
    pub requests_per_second: f64,
    pub concurrency: usize,
}

impl Config {
    /// Read and validate a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: path.to_path_buf(),
            problems: vec![Problem {
                line: None,
                key: String::new(),
                message: format!("cannot read the file: {e}"),
            }],
        })?;
        Self::from_str(path, &text)
    }

    /// Parse and validate config text (`path` is used in messages only). The sources'
    /// blocks are validated by their modules: [`crate::registry::Registry::from_str`]
    /// does both.
    pub fn from_str(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let (config, problems) = Self::parse(path, text)?;
        if !problems.is_empty() {
            return Err(ConfigError {
                file: path.to_path_buf(),
                problems,
            });
        }
        Ok(config)
    }

    /// Parse config text; a YAML or unknown-key error fails at once, semantic problems of
    /// the global sections are returned to be reported with the sources' own.
    pub fn parse(path: &Path, text: &str) -> Result<(Config, Vec<Problem>), ConfigError> {
        let raw: RawConfig = serde_saphyr::from_str(text).map_err(|e| ConfigError {
            file: path.to_path_buf(),
            problems: vec![problem_from_yaml_error(&e)],
        })?;
        let problems = validate(&raw);
        Ok((
            Config {
                file: path.to_path_buf(),
                sha256: hex::encode(Sha256::digest(text.as_bytes())),
                raw,
                text: text.to_string(),
            },
            problems,
        ))
    }

    /// Rate limit and concurrency cap for an upstream host.
    pub fn host_limit(&self, host: &str) -> HostLimit {
        let h = self
            .raw
            .http
            .hosts
            .get(host)
            .map(|s| &s.value)
            .unwrap_or(&self.raw.http.default_host.value);
        HostLimit {
            requests_per_second: h.requests_per_second.value,
            concurrency: h.concurrency.value as usize,
        }
    }

    /// True when `url` names bytes that never change: its host sets `immutable_at_commit`
    /// and its path's third segment is a full commit id (`/OWNER/REPO/<sha>/…`).
    pub fn immutable_url(&self, url: &str) -> bool {
        let Ok(u) = url::Url::parse(url) else {
            return false;
        };
        let pinned_host = u
            .host_str()
            .and_then(|h| self.raw.http.hosts.get(h))
            .is_some_and(|h| h.value.immutable_at_commit);
        pinned_host
            && u.path_segments()
                .and_then(|mut s| s.nth(2))
                .is_some_and(|c| c.len() == 40 && c.bytes().all(|b| b.is_ascii_hexdigit()))
    }

    /// `site.base_url`, when the site's public address is configured (validated: http(s),
    /// ending in `/`).
    pub fn base_url(&self) -> Option<&str> {
        self.raw
            .site
            .as_ref()
            .and_then(|s| s.base_url.as_ref())
            .map(|u| u.value.as_str())
    }

    /// `site.doi`, when a DOI was minted for the release (validated: `10.<registrant>/<suffix>`).
    pub fn doi(&self) -> Option<&str> {
        self.raw
            .site
            .as_ref()
            .and_then(|s| s.doi.as_ref())
            .map(|d| d.value.as_str())
    }

    /// `guards.max_row_drop`: the largest share by which a source's rows may fall against
    /// its last good load (validated 0..=1).
    pub fn max_row_drop(&self) -> f64 {
        self.raw
            .guards
            .as_ref()
            .map_or(DEFAULT_MAX_ROW_DROP, |g| g.max_row_drop.value)
    }

    pub fn hosts(&self) -> &BTreeMap<String, Spanned<RawHost>> {
        &self.raw.http.hosts
    }

    /// The block at `path` (e.g. `["sources", "gencc"]`), typed by its owner; `Ok(None)`
    /// when absent. A YAML or unknown-key error names its line.
    pub fn block<T: serde::de::DeserializeOwned>(
        &self,
        path: &[&str],
    ) -> Result<Option<T>, Problem> {
        section::pick(&self.text, path).map_err(|e| {
            let mut p = problem_from_yaml_error(&e);
            p.key = path.join(".");
            p
        })
    }
}

fn problem_from_yaml_error(e: &serde_saphyr::Error) -> Problem {
    let line = e.location().map(|l| l.line()).filter(|l| *l > 0);
    // serde-saphyr renders the location into its message; keep only the first line of it
    // and let our own formatter add file and line.
    let msg = e.to_string();
    let first = msg
        .lines()
        .next()
        .unwrap_or("invalid YAML")
        .trim()
        .to_string();
    Problem {
        line,
        key: String::new(),
        message: first,
    }
}

/// Collects every problem of a config (or of one source's block) before anything fails.
#[derive(Debug, Default)]
pub struct Checker {
    pub problems: Vec<Problem>,
}

impl Checker {
    pub fn new() -> Checker {
        Checker::default()
    }

    /// A problem without a position.
    pub fn problem(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            line: None,
            key: key.into(),
            message: message.into(),
        });
    }

    pub fn push<T>(&mut self, at: &Spanned<T>, key: impl Into<String>, message: impl Into<String>) {
        let line = at.referenced.line();
        self.problems.push(Problem {
            line: (line > 0).then_some(line),
            key: key.into(),
            message: message.into(),
        });
    }

    pub fn url(&mut self, at: &Spanned<String>, key: &str) {
        match Url::parse(&at.value) {
            Ok(u) if matches!(u.scheme(), "https" | "http") && u.host_str().is_some() => {}
            Ok(u) if u.scheme() == "file" => {}
            Ok(u) => self.push(
                at,
                key,
                format!(
                    "`{}` must be an http(s) URL (scheme is {})",
                    at.value,
                    u.scheme()
                ),
            ),
            Err(e) => self.push(at, key, format!("`{}` is not a URL: {e}", at.value)),
        }
    }

    /// A site root: an http(s) URL with a host, ending in `/` (page paths are appended).
    pub fn base_url(&mut self, at: &Spanned<String>, key: &str) {
        match Url::parse(&at.value) {
            Ok(u) if matches!(u.scheme(), "https" | "http") && u.host_str().is_some() => {
                if !at.value.ends_with('/') {
                    self.push(at, key, format!("`{}` must end in `/`", at.value));
                }
                if u.query().is_some() || u.fragment().is_some() {
                    self.push(
                        at,
                        key,
                        format!("`{}` must have no query or fragment", at.value),
                    );
                }
            }
            Ok(u) => self.push(
                at,
                key,
                format!(
                    "`{}` must be an http(s) URL (scheme is {})",
                    at.value,
                    u.scheme()
                ),
            ),
            Err(e) => self.push(at, key, format!("`{}` is not a URL: {e}", at.value)),
        }
    }

    pub fn positive_f64(&mut self, at: &Spanned<f64>, key: &str) {
        if !(at.value.is_finite() && at.value > 0.0) {
            self.push(
                at,
                key,
                format!("must be a number above 0, found {}", at.value),
            );
        }
    }

    pub fn positive_u64(&mut self, at: &Spanned<u64>, key: &str) {
        if at.value == 0 {
            self.push(at, key, "must be at least 1");
        }
    }

    pub fn weight(&mut self, at: &Spanned<f64>, key: &str) {
        if !(0.0..=1.0).contains(&at.value) {
            self.push(
                at,
                key,
                format!("a weight must lie in 0..=1, found {}", at.value),
            );
        }
    }

    pub fn non_empty_list(&mut self, at: &Spanned<Vec<String>>, key: &str) {
        if at.value.is_empty() {
            self.push(at, key, "must list at least one entry");
        }
        if at.value.iter().any(|s| s.trim().is_empty()) {
            self.push(at, key, "contains an empty entry");
        }
    }

    /// A gene page template: an http(s) URL whose `{...}` placeholders are known.
    pub fn gene_link(&mut self, at: &Spanned<String>, key: &str) {
        const KNOWN: [&str; 4] = ["{symbol}", "{hgnc_id}", "{entrez_id}", "{ensembl_gene_id}"];
        let mut rest = at.value.clone();
        for k in KNOWN {
            rest = rest.replace(k, "X");
        }
        if let Some(i) = rest.find('{') {
            let bad: String = rest[i..].chars().take_while(|&ch| ch != '}').collect();
            self.push(
                at,
                key,
                format!("unknown placeholder `{bad}}}`; known: {}", KNOWN.join(", ")),
            );
            return;
        }
        let probe = Spanned {
            value: rest,
            referenced: at.referenced,
            defined: at.defined,
        };
        self.url(&probe, key);
    }

    pub fn common(&mut self, c: RawCommon<'_>, key: &str) {
        self.positive_u64(c.max_age_days, &format!("{key}.max_age_days"));
        if let Some(b) = c.max_bytes {
            self.positive_u64(b, &format!("{key}.max_bytes"));
        }
        if let Some(b) = c.max_decompressed_bytes {
            self.positive_u64(b, &format!("{key}.max_decompressed_bytes"));
        }
        if let Some(h) = c.homepage {
            self.url(h, &format!("{key}.homepage"));
        }
    }
}

fn validate(raw: &RawConfig) -> Vec<Problem> {
    let mut c = Checker {
        problems: Vec::new(),
    };

    // HTTP politeness.
    let http = &raw.http;
    c.positive_u64(&http.connect_timeout_secs, "http.connect_timeout_secs");
    c.positive_u64(&http.read_timeout_secs, "http.read_timeout_secs");
    c.positive_u64(&http.backoff_initial_ms, "http.backoff_initial_ms");
    c.positive_u64(&http.backoff_max_secs, "http.backoff_max_secs");
    c.positive_u64(&http.max_retry_after_secs, "http.max_retry_after_secs");
    c.positive_u64(&http.max_bytes, "http.max_bytes");
    c.positive_u64(&http.max_decompressed_bytes, "http.max_decompressed_bytes");
    c.positive_u64(&http.request_deadline_secs, "http.request_deadline_secs");
    if http.request_deadline_secs.value < http.read_timeout_secs.value {
        c.push(
            &http.request_deadline_secs,
            "http.request_deadline_secs",
            "must be at least http.read_timeout_secs",
        );
    }
    let d = &http.default_host.value;
    c.positive_f64(
        &d.requests_per_second,
        "http.default_host.requests_per_second",
    );
    c.positive_u64(&d.concurrency, "http.default_host.concurrency");
    for (host, h) in &http.hosts {
        if host.contains('/') || host.contains(':') || host.trim().is_empty() {
            c.push(h, format!("http.hosts.{host}"), "must be a bare host name");
        }
        c.positive_f64(
            &h.value.requests_per_second,
            &format!("http.hosts.{host}.requests_per_second"),
        );
        c.positive_u64(
            &h.value.concurrency,
            &format!("http.hosts.{host}.concurrency"),
        );
        for to in &h.value.redirect_to {
            if to.contains('/') || to.contains(':') || to.trim().is_empty() {
                c.push(
                    h,
                    format!("http.hosts.{host}.redirect_to"),
                    format!("`{to}` must be a bare host name"),
                );
            }
        }
    }

    // The site's public address.
    if let Some(site) = &raw.site {
        if let Some(url) = &site.base_url {
            c.base_url(url, "site.base_url");
        }
        if let Some(doi) = &site.doi
            && let Err(why) = check_doi(&doi.value)
        {
            c.push(doi, "site.doi", format!("`{}` {why}", doi.value));
        }
    }

    // Guards.
    if let Some(g) = &raw.guards {
        let share = &g.max_row_drop;
        if !(0.0..=1.0).contains(&share.value) {
            c.push(
                share,
                "guards.max_row_drop",
                format!("a share must lie in 0..=1, found {}", share.value),
            );
        }
    }

    // Scoring.
    let sc = &raw.scoring;
    if sc.sources.value.is_empty() {
        c.push(
            &sc.sources,
            "scoring.sources",
            "must list at least one source",
        );
    }
    for (name, w) in &sc.classification_weights {
        c.weight(w, &format!("scoring.classification_weights.{name}"));
    }
    for (name, min) in &sc.classic_thresholds {
        let message = if *min == 0 {
            "a threshold must be at least 1".to_string()
        } else {
            continue;
        };
        c.problems.push(Problem {
            line: None,
            key: format!("scoring.classic_thresholds.{name}"),
            message,
        });
    }
    let mut last: Option<(&String, f64)> = None;
    for t in &sc.tiers.value {
        if let Some((prev, pct)) = last
            && t.min_percentage > pct
        {
            c.push(
                &sc.tiers,
                "scoring.tiers",
                format!(
                    "tier `{}` is stricter than `{prev}` listed before it; list tiers from strictest to weakest",
                    t.name
                ),
            );
        }
        if !(0.0..=100.0).contains(&t.min_percentage) {
            c.push(
                &sc.tiers,
                format!("scoring.tiers.{}", t.name),
                "min_percentage must lie in 0..=100",
            );
        }
        last = Some((&t.name, t.min_percentage));
    }

    c.problems.sort_by_key(|p| p.line.unwrap_or(u64::MAX));
    c.problems
}

pub fn is_hpo_id(s: &str) -> bool {
    s.strip_prefix("HP:")
        .is_some_and(|d| d.len() == 7 && d.bytes().all(|b| b.is_ascii_digit()))
}

/// A DOI as `site.doi` takes it: `10.<registrant digits, dots>/<suffix without spaces>`.
pub fn check_doi(doi: &str) -> Result<(), &'static str> {
    if doi.starts_with("https://") || doi.starts_with("http://") || doi.starts_with("doi:") {
        return Err("must be the bare DOI (10.…/…), without https://doi.org/ or doi:");
    }
    let Some((prefix, suffix)) = doi.split_once('/') else {
        return Err("is not a DOI (10.<registrant>/<suffix>)");
    };
    let registrant = prefix.strip_prefix("10.").unwrap_or("");
    if registrant.is_empty()
        || !registrant.chars().all(|c| c.is_ascii_digit() || c == '.')
        || suffix.is_empty()
        || doi.chars().any(char::is_whitespace)
    {
        return Err("is not a DOI (10.<registrant>/<suffix>)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: &str = include_str!("../../sources.yaml");

    #[test]
    fn default_config_is_valid() {
        let cfg = Config::from_str(Path::new("sources.yaml"), DEFAULT).expect("valid");
        assert_eq!(
            cfg.host_limit("www.ncbi.nlm.nih.gov").requests_per_second,
            3.0
        );
        assert_eq!(cfg.raw.scoring.sources.value.len(), 7);
        assert_eq!(cfg.base_url(), None, "the shipped config publishes nowhere");
        assert_eq!(cfg.max_row_drop(), 0.3);
    }

    #[test]
    fn guards_max_row_drop_is_a_share() {
        let key = "  max_row_drop: 0.3\n";
        assert!(DEFAULT.contains(key), "sources.yaml states the default");
        let with = |v: &str| DEFAULT.replace(key, &format!("  max_row_drop: {v}\n"));
        let cfg = Config::from_str(Path::new("s.yaml"), &with("0.5")).expect("valid");
        assert_eq!(cfg.max_row_drop(), 0.5);
        let line = DEFAULT.lines().position(|l| l == key.trim_end()).unwrap() as u64 + 1;
        for bad in ["1.5", "-0.1"] {
            let (_, problems) = Config::parse(Path::new("s.yaml"), &with(bad)).expect("parses");
            assert_eq!(problems.len(), 1, "{bad}: {problems:?}");
            assert_eq!(problems[0].key, "guards.max_row_drop");
            assert_eq!(problems[0].line, Some(line), "{bad}");
            assert!(problems[0].message.contains("0..=1"), "{problems:?}");
        }
        assert!(
            Config::parse(
                Path::new("s.yaml"),
                &DEFAULT.replace(key, "  max_drop: 0.3\n")
            )
            .is_err()
        );
        let without = DEFAULT.replace(&format!("guards:\n{key}"), "");
        let cfg = Config::from_str(Path::new("s.yaml"), &without).expect("valid");
        assert_eq!(
            cfg.max_row_drop(),
            DEFAULT_MAX_ROW_DROP,
            "the default without `guards:`"
        );
    }

    #[test]
    fn only_commit_pinned_paths_of_a_pinned_host_are_immutable() {
        let cfg = Config::from_str(Path::new("sources.yaml"), DEFAULT).expect("valid");
        let sha = "434b1fa33ba866f37a3b2feb78087186ddb054fe";
        let raw = "https://raw.githubusercontent.com/berntpopp/kidney-genetics-db";
        assert!(cfg.immutable_url(&format!("{raw}/{sha}/backend/app/data/seed/x.json")));
        // A branch, a short sha or a tag may move; another host is not pinned.
        assert!(!cfg.immutable_url(&format!("{raw}/main/backend/app/data/seed/x.json")));
        assert!(!cfg.immutable_url(&format!("{raw}/434b1fa/backend/x.json")));
        assert!(!cfg.immutable_url(&format!("{raw}/v1.0.0/backend/x.json")));
        assert!(!cfg.immutable_url(&format!(
            "https://github.com/berntpopp/kidney-genetics-db/{sha}/x.json"
        )));
        assert!(!cfg.immutable_url("not a url"));
        let off = DEFAULT.replace("immutable_at_commit: true", "immutable_at_commit: false");
        let cfg = Config::from_str(Path::new("sources.yaml"), &off).expect("valid");
        assert!(!cfg.immutable_url(&format!("{raw}/{sha}/backend/app/data/seed/x.json")));
    }

    #[test]
    fn input_bounds_have_defaults_and_are_validated() {
        let cfg = Config::from_str(Path::new("sources.yaml"), DEFAULT).expect("valid");
        assert_eq!(cfg.raw.http.max_bytes.value, 512 << 20);
        assert_eq!(cfg.raw.http.max_redirects.value, 10);
        // Absent keys take the same defaults.
        let without: String = DEFAULT
            .lines()
            .filter(|l| {
                ![
                    "max_bytes:",
                    "max_decompressed_bytes:",
                    "request_deadline_secs:",
                    "max_redirects:",
                ]
                .iter()
                .any(|k| l.trim_start().starts_with(k))
            })
            .map(|l| format!("{l}\n"))
            .collect();
        let cfg = Config::from_str(Path::new("s.yaml"), &without).expect("valid");
        assert_eq!(cfg.raw.http.max_decompressed_bytes.value, 4 << 30);
        assert_eq!(cfg.raw.http.request_deadline_secs.value, 1800);
        let bad = DEFAULT
            .replacen("  max_bytes: 536870912", "  max_bytes: 0", 1)
            .replacen("request_deadline_secs: 1800", "request_deadline_secs: 5", 1)
            .replacen(
                "redirect_to: [objects.githubusercontent.com",
                "redirect_to: [https://x.org/",
                1,
            );
        let (_, problems) = Config::parse(Path::new("s.yaml"), &bad).expect("parses");
        let keys: Vec<&str> = problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "http.max_bytes",
                "http.request_deadline_secs",
                "http.hosts.github.com.redirect_to"
            ],
            "{problems:?}"
        );
    }

    #[test]
    fn site_doi_must_be_a_bare_doi() {
        let with = |doi: &str| format!("{DEFAULT}\nsite:\n  doi: \"{doi}\"\n");
        let ok =
            Config::from_str(Path::new("s.yaml"), &with("10.5281/zenodo.1234567")).expect("a DOI");
        assert_eq!(ok.doi(), Some("10.5281/zenodo.1234567"));
        assert_eq!(ok.base_url(), None);
        for (bad, why) in [
            ("https://doi.org/10.5281/zenodo.1", "bare DOI"),
            ("10.5281", "is not a DOI"),
            ("11.5281/x", "is not a DOI"),
            ("10.ab/x", "is not a DOI"),
            ("10.5281/a b", "is not a DOI"),
        ] {
            let (_, problems) = Config::parse(Path::new("s.yaml"), &with(bad)).expect("parses");
            assert_eq!(problems.len(), 1, "{bad}: {problems:?}");
            assert_eq!(problems[0].key, "site.doi");
            assert!(
                problems[0].message.contains(why),
                "{bad}: {}",
                problems[0].message
            );
        }
    }

    #[test]
    fn site_base_url_is_an_http_url_ending_in_a_slash() {
        let with = |url: &str| format!("{DEFAULT}\nsite:\n  base_url: \"{url}\"\n");
        let cfg = Config::from_str(
            Path::new("s.yaml"),
            &with("https://kidney-genetics.org/db/"),
        )
        .expect("valid");
        assert_eq!(cfg.base_url(), Some("https://kidney-genetics.org/db/"));
        let line = DEFAULT.lines().count() as u64 + 3;
        for (url, says) in [
            ("https://kidney-genetics.org/db", "must end in `/`"),
            ("ftp://kidney-genetics.org/", "must be an http(s) URL"),
            ("file:///srv/site/", "must be an http(s) URL"),
            ("kidney-genetics.org/", "is not a URL"),
            ("https://kidney-genetics.org/?x=1/", "no query"),
        ] {
            let (_, problems) = Config::parse(Path::new("s.yaml"), &with(url)).expect("parses");
            assert_eq!(problems.len(), 1, "{url}: {problems:?}");
            assert_eq!(problems[0].key, "site.base_url");
            assert_eq!(problems[0].line, Some(line), "{url}");
            assert!(problems[0].message.contains(says), "{url}: {problems:?}");
        }
        let unknown = format!("{DEFAULT}\nsite:\n  base_uri: https://x.org/\n");
        assert!(
            Config::parse(Path::new("s.yaml"), &unknown).is_err(),
            "unknown key"
        );
    }
}
