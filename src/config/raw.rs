//! The raw serde model of `sources.yaml`. Unknown keys are errors; values that validation
//! checks carry their position ([`Spanned`]) so problems can name the line.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_saphyr::Spanned;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub http: RawHttp,
    /// One block per evidence source, read by the source's own module (see
    /// [`crate::sources`]); the loader checks only that each key names a registered source.
    pub sources: BTreeMap<String, serde::de::IgnoredAny>,
    /// One block per annotation (shown next to the evidence, never scored), read by the
    /// annotation's own module (see [`crate::annotations`]); the loader checks only that
    /// each key names a registered annotation.
    pub annotations: BTreeMap<String, serde::de::IgnoredAny>,
    pub scoring: RawScoring,
    /// Where the site is published; optional (a site that is only opened from disk needs
    /// none).
    #[serde(default)]
    pub site: Option<RawSite>,
    /// Checks on what a fetch would store; optional (the defaults apply without it).
    #[serde(default)]
    pub guards: Option<RawGuards>,
    /// The curator decisions file, relative to this file (default `curation.yaml` beside
    /// it; without that file there are no decisions). See [`crate::curation`].
    #[serde(default)]
    pub curation: Option<Spanned<String>>,
}

/// `guards:`: refuse a load that looks wrong rather than replace good rows with it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGuards {
    /// The largest share (0..=1) by which a source's row count may fall against its last
    /// good load before the load is refused (default [`DEFAULT_MAX_ROW_DROP`]).
    pub max_row_drop: Spanned<f64>,
}

/// `guards.max_row_drop` when the config does not set it: a fall of more than 30 %.
pub const DEFAULT_MAX_ROW_DROP: f64 = 0.3;

/// `site:`: the public address of the built site.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    /// The http(s) URL the site root is served at, ending in `/`: with it, every page gets
    /// a canonical link and the build adds sitemap.xml, robots.txt and 404.html.
    #[serde(default)]
    pub base_url: Option<Spanned<String>>,
    /// The DOI minted for the published release (e.g. `10.5281/zenodo.1234567`, without
    /// `https://doi.org/`): shown in every citation and page footer.
    #[serde(default)]
    pub doi: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHttp {
    /// Contact URL sent in the User-Agent so upstream operators can reach us.
    pub contact: String,
    pub connect_timeout_secs: Spanned<u64>,
    /// Longest silence allowed while reading a response body.
    pub read_timeout_secs: Spanned<u64>,
    /// Retries after the first attempt, for 429, 5xx, resets and timeouts.
    pub retries: u32,
    pub backoff_initial_ms: Spanned<u64>,
    pub backoff_max_secs: Spanned<u64>,
    /// A Retry-After longer than this fails the request instead of waiting.
    pub max_retry_after_secs: Spanned<u64>,
    /// Largest response body accepted as sent (gzip-compressed when it came so).
    #[serde(default = "default_max_bytes")]
    pub max_bytes: Spanned<u64>,
    /// Largest body accepted after gzip decompression (stops a gzip bomb early).
    #[serde(default = "default_max_decompressed_bytes")]
    pub max_decompressed_bytes: Spanned<u64>,
    /// Longest one request may take from sending it to the last body byte (redirects
    /// included), however steadily the server drips bytes.
    #[serde(default = "default_request_deadline_secs")]
    pub request_deadline_secs: Spanned<u64>,
    /// Most redirects followed for one request.
    #[serde(default = "default_max_redirects")]
    pub max_redirects: Spanned<u64>,
    pub default_host: Spanned<RawHost>,
    /// Per upstream host (before any `--mirror` rewrite).
    #[serde(default)]
    pub hosts: BTreeMap<String, Spanned<RawHost>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHost {
    pub requests_per_second: Spanned<f64>,
    pub concurrency: Spanned<u64>,
    /// Other hosts this host may redirect to (e.g. GitHub release downloads to its asset
    /// host); any other cross-host redirect is refused.
    #[serde(default)]
    pub redirect_to: Vec<String>,
    /// A path that names a commit (`/OWNER/REPO/<40-hex sha>/…`, as on
    /// raw.githubusercontent.com) serves bytes that never change: once stored and verified,
    /// such a file is used without asking upstream again. A branch or tag path is still
    /// revalidated. Default false.
    #[serde(default)]
    pub immutable_at_commit: bool,
}

fn unlocated<T>(value: T) -> Spanned<T> {
    Spanned::new(
        value,
        serde_saphyr::Location::UNKNOWN,
        serde_saphyr::Location::UNKNOWN,
    )
}

/// 512 MiB: several times the largest upstream file (ClinVar's variant summary, gzip).
fn default_max_bytes() -> Spanned<u64> {
    unlocated(512 << 20)
}

/// 4 GiB decompressed.
fn default_max_decompressed_bytes() -> Spanned<u64> {
    unlocated(4 << 30)
}

/// 30 minutes: a large file over a slow link, but never forever.
fn default_request_deadline_secs() -> Spanned<u64> {
    unlocated(1800)
}

fn default_max_redirects() -> Spanned<u64> {
    unlocated(10)
}

/// Settings every source has, as seen through [`RawSources::common`].
#[derive(Debug, Clone, Copy)]
pub struct RawCommon<'a> {
    pub enabled: bool,
    /// Human name shown on the site.
    pub title: &'a str,
    pub homepage: Option<&'a Spanned<String>>,
    pub licence: &'a str,
    pub citation: &'a str,
    /// `kgdb status` fails when the last success is older than this.
    pub max_age_days: &'a Spanned<u64>,
    /// This source's cap on a body as sent; `None`: `http.max_bytes`.
    pub max_bytes: Option<&'a Spanned<u64>>,
    /// This source's cap on a body after gzip decompression; `None`:
    /// `http.max_decompressed_bytes`.
    pub max_decompressed_bytes: Option<&'a Spanned<u64>>,
}

/// serde default for `enabled` and `redistribute`.
pub fn yes() -> bool {
    true
}

/// Declares a source's settings struct with the common keys inlined (serde's `flatten`
/// would lose both `deny_unknown_fields` and line numbers). Source modules use it for their
/// own settings type.
#[macro_export]
macro_rules! source_settings {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* pub $f:ident : $t:ty,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            #[serde(default = "crate::config::yes")]
            pub enabled: bool,
            pub title: String,
            pub homepage: Option<serde_saphyr::Spanned<String>>,
            pub licence: String,
            pub citation: String,
            pub max_age_days: serde_saphyr::Spanned<u64>,
            /// Largest body of this source's downloads as sent (default `http.max_bytes`).
            #[serde(default)]
            pub max_bytes: Option<serde_saphyr::Spanned<u64>>,
            /// Largest body after gzip decompression (default `http.max_decompressed_bytes`).
            #[serde(default)]
            pub max_decompressed_bytes: Option<serde_saphyr::Spanned<u64>>,
            $($(#[$fm])* pub $f: $t,)*
        }
        impl $name {
            pub fn common(&self) -> $crate::config::RawCommon<'_> {
                $crate::config::RawCommon {
                    enabled: self.enabled,
                    title: &self.title,
                    homepage: self.homepage.as_ref(),
                    licence: &self.licence,
                    citation: &self.citation,
                    max_age_days: &self.max_age_days,
                    max_bytes: self.max_bytes.as_ref(),
                    max_decompressed_bytes: self.max_decompressed_bytes.as_ref(),
                }
            }
        }
        impl $crate::config::SourceBlock for $name {
            fn common(&self) -> $crate::config::RawCommon<'_> {
                $name::common(self)
            }
        }
    };
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScoring {
    /// Sources in the denominator N of the percentage.
    pub sources: Spanned<Vec<String>>,
    /// ClinGen and GenCC classification weights (matched case-insensitively).
    pub classification_weights: BTreeMap<String, Spanned<f64>>,
    /// Classic evidence count: minimum measure per classic source.
    pub classic_thresholds: BTreeMap<String, u64>,
    /// First match wins, strictest first.
    pub tiers: Spanned<Vec<RawTier>>,
    /// The tier of a gene no tier matches (always that of a gene with percentage 0).
    pub default_tier: String,
    pub groups: Vec<RawTier>,
    /// The group of a gene no group matches (always that of a gene with percentage 0).
    pub default_group: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTier {
    pub name: String,
    #[serde(default)]
    pub min_sources: u64,
    #[serde(default)]
    pub min_percentage: f64,
}
