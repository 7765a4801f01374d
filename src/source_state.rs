//! Where a source (or annotation) stands: how its last fetch ended, and whether its data is
//! stale. One rule, used by `kgdb status`, the site's Sources page and `kgdb run`.
//!
//! Why one module: two rules used to decide "stale" (`kgdb status` ignored a failed last
//! fetch, the Sources page did not), so the command and the page could disagree about the
//! same store. The rule the page uses is the one kept: an enabled source is stale when it was
//! never fetched, when its last fetch failed, or when its last success is older than its
//! `max_age_days`.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::config::RawCommon;
use crate::registry::Registry;
use crate::store::{Store, StoreError};

/// How a fetch of a source ended (as `source_runs.status` records it), or that none did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchStatus {
    Ok,
    /// Upstream answered 304: nothing new stored, previous rows kept.
    Unchanged,
    /// Failed; previous rows kept.
    Failed,
    /// No fetch recorded yet.
    Never,
}

impl FetchStatus {
    /// The word the store, the site and the summaries use.
    pub fn as_str(self) -> &'static str {
        match self {
            FetchStatus::Ok => "ok",
            FetchStatus::Unchanged => "unchanged",
            FetchStatus::Failed => "failed",
            FetchStatus::Never => "never",
        }
    }

    /// From a `source_runs.status` value; anything unknown counts as failed (it is no
    /// success).
    pub fn parse(s: &str) -> FetchStatus {
        match s {
            "ok" => FetchStatus::Ok,
            "unchanged" => FetchStatus::Unchanged,
            _ => FetchStatus::Failed,
        }
    }
}

/// Whether a source's data can be trusted as current.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Freshness {
    /// Not enabled in sources.yaml: never stale.
    Disabled,
    Fresh,
    /// Its data is used, but a reader should be warned.
    Stale(StaleReason),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StaleReason {
    /// No successful fetch ever.
    NeverFetched,
    /// The last fetch failed (the last good data is used).
    LastFetchFailed,
    /// The last success is older than the configured maximum age.
    TooOld { age_days: f64, max_age_days: u64 },
}

/// The one staleness rule.
pub fn freshness(
    enabled: bool,
    last: FetchStatus,
    age_days: Option<f64>,
    max_age_days: u64,
) -> Freshness {
    if !enabled {
        return Freshness::Disabled;
    }
    match age_days {
        None => Freshness::Stale(StaleReason::NeverFetched),
        Some(_) if last == FetchStatus::Failed => Freshness::Stale(StaleReason::LastFetchFailed),
        Some(a) if a > max_age_days as f64 => Freshness::Stale(StaleReason::TooOld {
            age_days: a,
            max_age_days,
        }),
        Some(_) => Freshness::Fresh,
    }
}

/// A source's state as read from the store.
#[derive(Debug, Clone)]
pub struct SourceState {
    /// How the newest fetch ended.
    pub last: FetchStatus,
    pub freshness: Freshness,
    /// When the newest successful fetch finished (RFC 3339).
    pub last_success: Option<String>,
    /// The upstream version of the newest successful fetch.
    pub upstream_version: Option<String>,
    /// Days since the newest successful fetch.
    pub age_days: Option<f64>,
    /// The error of the newest fetch, when it failed, in full (terminal, `kgdb status`).
    pub last_error: Option<String>,
    /// The same error as the public site shows it (upstream URL and a short reason);
    /// `None` for a failure recorded before kgdb stored that form.
    pub last_public_error: Option<String>,
}

impl SourceState {
    /// The state of `name` now, under its configured `enabled` and `max_age_days`.
    pub fn of(store: &Store, name: &str, common: RawCommon<'_>) -> Result<SourceState, StoreError> {
        Self::at(store, name, common, OffsetDateTime::now_utc())
    }

    /// The state of `name` at `now`.
    pub fn at(
        store: &Store,
        name: &str,
        common: RawCommon<'_>,
        now: OffsetDateTime,
    ) -> Result<SourceState, StoreError> {
        let (last, good) = store.source_status(name)?;
        let age_days = good.as_ref().and_then(|g| {
            OffsetDateTime::parse(&g.finished, &Rfc3339)
                .ok()
                .map(|t| (now - t).as_seconds_f64() / 86_400.0)
        });
        let status = last
            .as_ref()
            .map_or(FetchStatus::Never, |l| FetchStatus::parse(&l.status));
        Ok(SourceState {
            last: status,
            freshness: freshness(common.enabled, status, age_days, common.max_age_days.value),
            last_success: good.as_ref().map(|g| g.finished.clone()),
            upstream_version: good.and_then(|g| g.upstream_version),
            age_days,
            last_public_error: last
                .as_ref()
                .filter(|_| status == FetchStatus::Failed)
                .and_then(|l| l.public_error.clone()),
            last_error: last
                .filter(|_| status == FetchStatus::Failed)
                .and_then(|l| l.error),
        })
    }

    /// The state of a configured source or annotation; `None` when `name` is neither.
    pub fn of_configured(
        store: &Store,
        registry: &Registry,
        name: &str,
    ) -> Result<Option<SourceState>, StoreError> {
        let common = match (registry.source(name), registry.annotation(name)) {
            (Some(s), _) => s.common(),
            (None, Some(a)) => a.common(),
            (None, None) => return Ok(None),
        };
        Self::of(store, name, common).map(Some)
    }

    /// The error the public site shows: the stored public form, or for a failure recorded
    /// without one a generic line (its full text may name local paths or a mirror).
    pub fn public_error(&self) -> Option<String> {
        self.last_error.as_ref().map(|_| {
            self.last_public_error
                .clone()
                .unwrap_or_else(|| "the last fetch failed (details: `kgdb status`)".into())
        })
    }

    pub fn is_stale(&self) -> bool {
        matches!(self.freshness, Freshness::Stale(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule() {
        use FetchStatus::*;
        assert_eq!(freshness(false, Failed, None, 7), Freshness::Disabled);
        assert_eq!(
            freshness(true, Never, None, 7),
            Freshness::Stale(StaleReason::NeverFetched)
        );
        assert_eq!(
            freshness(true, Failed, None, 7),
            Freshness::Stale(StaleReason::NeverFetched)
        );
        // A recent success does not hide a failed last fetch (the Sources page's rule).
        assert_eq!(
            freshness(true, Failed, Some(0.5), 7),
            Freshness::Stale(StaleReason::LastFetchFailed)
        );
        assert_eq!(freshness(true, Ok, Some(6.9), 7), Freshness::Fresh);
        assert_eq!(freshness(true, Unchanged, Some(7.0), 7), Freshness::Fresh);
        assert_eq!(
            freshness(true, Ok, Some(7.5), 7),
            Freshness::Stale(StaleReason::TooOld {
                age_days: 7.5,
                max_age_days: 7
            })
        );
    }

    #[test]
    fn unknown_store_status_is_no_success() {
        assert_eq!(FetchStatus::parse("ok"), FetchStatus::Ok);
        assert_eq!(FetchStatus::parse("unchanged"), FetchStatus::Unchanged);
        assert_eq!(FetchStatus::parse("failed"), FetchStatus::Failed);
        assert_eq!(FetchStatus::parse("running"), FetchStatus::Failed);
    }
}
