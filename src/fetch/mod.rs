//! The polite HTTP fetcher: every byte kgdb reads from upstream goes through here.
//!
//! It exists so that politeness and integrity are implemented once: per-host rate limits and
//! concurrency caps, conditional requests (an unchanged file costs a 304), retries with
//! exponential backoff and jitter that honour `Retry-After`, a real User-Agent, and bodies
//! checked against `Content-Length` and gzip integrity before anyone may store them.
//! Inputs are bounded so that a broken or hostile server can fail one source but never
//! exhaust memory or hang a build: bodies are capped as sent and while inflating (reading
//! stops at the cap), every request has an overall deadline, and redirects are capped, stay
//! on the request's host (or a host it is configured to redirect to) and never downgrade
//! https to http.
//! A host that cannot be reached at all (DNS lookup or connection failed) trips its circuit
//! breaker after one second try a second later (a one-off hiccup costs a nightly nothing):
//! the host's other requests in this run fail at once with the same plain reason, reported once, so an offline run ends in seconds instead
//! of retrying every file of every host. HTTP errors (a 503, a 429) never trip it.
//! Downloads are stored content-addressed under `data/raw/<source>/<sha256>.gz`.

pub mod mirror;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use backon::{ExponentialBuilder, Retryable};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

pub use mirror::Mirror;

use crate::config::{Config, HostLimit};
use crate::report::{Event, Reporter};
use crate::store::{DownloadRecord, now_utc};

/// How long a failed DNS lookup or connection waits before its one second try.
const CONNECT_RETRY_PAUSE: Duration = Duration::from_secs(1);

/// Connection and retry settings.
#[derive(Debug, Clone)]
pub struct FetchSettings {
    pub user_agent: String,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    pub retries: usize,
    pub backoff_initial: Duration,
    pub backoff_max: Duration,
    pub max_retry_after: Duration,
    /// Largest body accepted as sent.
    pub max_bytes: u64,
    /// Largest body accepted after gzip decompression.
    pub max_decompressed_bytes: u64,
    /// Longest one request may take, from sending it to its last body byte.
    pub request_deadline: Duration,
    pub max_redirects: usize,
    /// Upstream host -> other hosts it may redirect to.
    pub redirect_to: HashMap<String, Vec<String>>,
    /// A failed DNS lookup or connection is tried once more after this pause before the
    /// host's circuit breaker opens (`None`: at once), so a one-off hiccup does not cost a
    /// nightly the host.
    pub connect_retry_pause: Option<Duration>,
}

impl FetchSettings {
    pub fn from_config(cfg: &Config) -> FetchSettings {
        let h = &cfg.raw.http;
        FetchSettings {
            user_agent: format!("kgdb/{} (+{})", crate::VERSION, h.contact),
            connect_timeout: Duration::from_secs(h.connect_timeout_secs.value),
            read_timeout: Duration::from_secs(h.read_timeout_secs.value),
            retries: h.retries as usize,
            backoff_initial: Duration::from_millis(h.backoff_initial_ms.value),
            backoff_max: Duration::from_secs(h.backoff_max_secs.value),
            max_retry_after: Duration::from_secs(h.max_retry_after_secs.value),
            max_bytes: h.max_bytes.value,
            max_decompressed_bytes: h.max_decompressed_bytes.value,
            request_deadline: Duration::from_secs(h.request_deadline_secs.value),
            max_redirects: usize::try_from(h.max_redirects.value).unwrap_or(usize::MAX),
            redirect_to: h
                .hosts
                .iter()
                .filter(|(_, v)| !v.value.redirect_to.is_empty())
                .map(|(k, v)| (k.clone(), v.value.redirect_to.clone()))
                .collect(),
            connect_retry_pause: Some(CONNECT_RETRY_PAUSE),
        }
    }
}

/// Why a download failed. Every variant names the URL.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FetchError {
    #[error("GET {url}: HTTP {status}{}", snippet_suffix(.snippet))]
    Status {
        url: String,
        status: u16,
        retry_after: Option<Duration>,
        snippet: String,
    },
    #[error("GET {url}: truncated body: {got} of {expected} bytes announced by Content-Length")]
    Truncated {
        url: String,
        expected: u64,
        got: u64,
    },
    #[error("GET {url}: connection closed mid-body after {got} bytes: {detail}")]
    BodyInterrupted {
        url: String,
        got: u64,
        detail: String,
    },
    #[error("GET {url}: corrupt gzip body ({detail})")]
    CorruptGzip { url: String, detail: String },
    #[error("GET {url}: {detail}")]
    Transport { url: String, detail: String },
    /// The DNS lookup or the connection failed: the host's circuit breaker is open for the
    /// rest of the run. `url` is the upstream URL; `host` what could not be reached (the
    /// upstream host, or the mirror); `detail` the raw error chain (shown under `-v`).
    #[error("cannot reach {host}: {reason}")]
    Unreachable {
        url: String,
        host: String,
        reason: String,
        detail: String,
    },
    #[error(
        "GET {url}: server asks to retry after {secs} s, longer than http.max_retry_after_secs"
    )]
    RetryAfterTooLong { url: String, secs: u64 },
    #[error("GET {url}: more than {max} redirects (http.max_redirects)")]
    TooManyRedirects { url: String, max: usize },
    #[error("GET {url}: redirect to {location} refused: {reason}")]
    RedirectRefused {
        url: String,
        location: String,
        reason: String,
    },
    /// `setting` names the key that set `limit` (`http.max_bytes` or the source's own).
    #[error(
        "GET {url}: body larger than the {limit} bytes allowed by {setting} (stopped reading at {got})"
    )]
    BodyTooLarge {
        url: String,
        limit: u64,
        setting: String,
        got: u64,
    },
    #[error(
        "GET {url}: body inflates past the {limit} bytes allowed by {setting} (stopped decompressing there)"
    )]
    InflatedTooLarge {
        url: String,
        limit: u64,
        setting: String,
    },
    #[error(
        "GET {url}: not finished within http.request_deadline_secs = {secs} s (after {got} body bytes)"
    )]
    DeadlineExceeded { url: String, secs: u64, got: u64 },
    #[error("GET {url}: redirect without a usable Location header")]
    BadRedirect { url: String },
    #[error("offline: no stored download of {url} for {source_name}; run once without --offline")]
    NotStored { source_name: String, url: String },
    #[error("stored download {path} of {url} is unreadable or does not match its sha256: {detail}")]
    StoredCorrupt {
        url: String,
        path: String,
        detail: String,
    },
}

fn snippet_suffix(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(" ({s})")
    }
}

impl FetchError {
    fn retryable(&self) -> bool {
        match self {
            FetchError::Status { status, .. } => {
                matches!(status, 408 | 425 | 429 | 500 | 502 | 503 | 504)
            }
            FetchError::Truncated { .. }
            | FetchError::BodyInterrupted { .. }
            | FetchError::CorruptGzip { .. }
            | FetchError::Transport { .. } => true,
            _ => false,
        }
    }

    /// The raw error chain behind a plain message, for `-v` and `kgdb status`.
    pub fn detail(&self) -> Option<&str> {
        match self {
            FetchError::Unreachable { detail, .. } => Some(detail),
            _ => None,
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// Validators of a stored download, for a conditional request.
#[derive(Debug, Clone, Default)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl From<&DownloadRecord> for Validators {
    fn from(d: &DownloadRecord) -> Self {
        Validators {
            etag: d.etag.clone(),
            last_modified: d.last_modified.clone(),
        }
    }
}

/// A complete, verified response body.
#[derive(Debug, Clone)]
pub struct Body {
    /// Upstream URL as requested.
    pub url: String,
    /// Upstream form of the URL after redirects.
    pub final_url: String,
    pub status: u16,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Decompressed body.
    pub bytes: Vec<u8>,
    /// The body as gzip, when it came gzip-encoded (kept to store without recompressing).
    pub gzip: Option<Vec<u8>>,
    pub sha256: String,
    pub fetched_at: String,
}

#[derive(Debug, Clone)]
pub enum Fetched {
    Body(Body),
    NotModified {
        url: String,
        final_url: String,
        etag: Option<String>,
        last_modified: Option<String>,
        fetched_at: String,
    },
}

/// A cap on a body and the configuration key that set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cap {
    pub bytes: u64,
    pub setting: String,
}

/// One source's own body caps (`sources.NAME.max_bytes`, `…max_decompressed_bytes`); a
/// missing one falls back to the `http.` value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceCaps {
    pub max_bytes: Option<Cap>,
    pub max_decompressed_bytes: Option<Cap>,
}

/// Rate limit and concurrency cap of one upstream host.
struct HostGate {
    interval: Duration,
    next: tokio::sync::Mutex<Instant>,
    slots: Semaphore,
}

impl HostGate {
    fn new(limit: HostLimit) -> HostGate {
        HostGate {
            interval: Duration::from_secs_f64(1.0 / limit.requests_per_second),
            next: tokio::sync::Mutex::new(Instant::now()),
            slots: Semaphore::new(limit.concurrency.max(1)),
        }
    }

    /// Wait for a concurrency slot, then for the next request start the rate allows.
    async fn enter(&self) -> tokio::sync::SemaphorePermit<'_> {
        let permit = self
            .slots
            .acquire()
            .await
            .expect("host semaphore is never closed");
        let start = {
            let mut next = self.next.lock().await;
            let now = Instant::now();
            let start = (*next).max(now);
            *next = start + self.interval;
            start
        };
        tokio::time::sleep_until(start.into()).await;
        permit
    }
}

pub struct Fetcher {
    client: reqwest::Client,
    settings: FetchSettings,
    mirror: Option<Mirror>,
    limits: HashMap<String, HostLimit>,
    default_limit: HostLimit,
    gates: Mutex<HashMap<String, Arc<HostGate>>>,
    /// The circuit breakers: addresses (`host:port` as connected to) found unreachable in
    /// this run, with the plain reason and the raw error chain.
    unreachable: Mutex<HashMap<String, (String, String)>>,
    /// Per source: its own body caps.
    caps: HashMap<String, SourceCaps>,
    reporter: Arc<dyn Reporter>,
}

impl Fetcher {
    pub fn new(
        cfg: &Config,
        mirror: Option<Mirror>,
        reporter: Arc<dyn Reporter>,
    ) -> Result<Fetcher, FetchError> {
        let settings = FetchSettings::from_config(cfg);
        let limits = cfg
            .hosts()
            .keys()
            .map(|h| (h.clone(), cfg.host_limit(h)))
            .collect();
        let default_limit = cfg.host_limit("");
        Self::with_settings(settings, limits, default_limit, mirror, reporter)
    }

    pub fn with_settings(
        settings: FetchSettings,
        limits: HashMap<String, HostLimit>,
        default_limit: HostLimit,
        mirror: Option<Mirror>,
        reporter: Arc<dyn Reporter>,
    ) -> Result<Fetcher, FetchError> {
        let client = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            .connect_timeout(settings.connect_timeout)
            .read_timeout(settings.read_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| FetchError::Transport {
                url: String::new(),
                detail: format!("cannot build the HTTP client: {e}"),
            })?;
        Ok(Fetcher {
            client,
            settings,
            mirror,
            limits,
            default_limit,
            gates: Mutex::new(HashMap::new()),
            unreachable: Mutex::new(HashMap::new()),
            caps: HashMap::new(),
            reporter,
        })
    }

    /// Give sources their own body caps (by source name).
    pub fn with_source_caps(mut self, caps: HashMap<String, SourceCaps>) -> Fetcher {
        self.caps = caps;
        self
    }

    /// The caps on `source`'s bodies: as sent, and after decompression.
    fn caps_of(&self, source: &str) -> (Cap, Cap) {
        let own = self.caps.get(source);
        let sent = own
            .and_then(|c| c.max_bytes.clone())
            .unwrap_or_else(|| Cap {
                bytes: self.settings.max_bytes,
                setting: "http.max_bytes".into(),
            });
        let inflated = own
            .and_then(|c| c.max_decompressed_bytes.clone())
            .unwrap_or_else(|| Cap {
                bytes: self.settings.max_decompressed_bytes,
                setting: "http.max_decompressed_bytes".into(),
            });
        (sent, inflated)
    }

    /// What a person calls the address a wire URL connects to: the upstream host, or the
    /// mirror when every host is served by one.
    fn reach_name(&self, upstream: &str, wire: &str) -> String {
        match &self.mirror {
            Some(m) if wire.starts_with(m.base()) => format!("the mirror {}", m.base()),
            _ => url::Url::parse(upstream)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_else(|| upstream.to_string()),
        }
    }

    /// Fail at once when the address `wire` connects to was found unreachable in this run.
    fn check_breaker(&self, upstream: &str, wire: &str) -> Result<(), FetchError> {
        let broken = self
            .unreachable
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&authority(wire))
            .cloned();
        match broken {
            Some((reason, detail)) => Err(FetchError::Unreachable {
                url: upstream.to_string(),
                host: self.reach_name(upstream, wire),
                reason,
                detail,
            }),
            None => Ok(()),
        }
    }

    /// The error for a request that got no response. A failed DNS lookup or connection
    /// opens the address's circuit breaker (reported once, the first time).
    fn send_error(
        &self,
        source: &str,
        upstream: &str,
        wire: &str,
        e: reqwest::Error,
    ) -> FetchError {
        if !e.is_connect() {
            return FetchError::Transport {
                url: wire.to_string(),
                detail: reqwest_chain(e),
            };
        }
        let reason = unreachable_reason(&e, self.settings.connect_timeout);
        let detail = reqwest_chain(e);
        let host = self.reach_name(upstream, wire);
        // Concurrent requests may fail together: the first to record the address reports it,
        // and all of them give the recorded reason.
        let (first, (reason, detail)) = {
            let mut broken = self.unreachable.lock().unwrap_or_else(|p| p.into_inner());
            let key = authority(wire);
            let first = !broken.contains_key(&key);
            let recorded = broken.entry(key).or_insert((reason, detail)).clone();
            (first, recorded)
        };
        if first {
            self.reporter.event(Event::Unreachable {
                source,
                host: &host,
                reason: &reason,
                detail: &detail,
            });
        }
        FetchError::Unreachable {
            url: upstream.to_string(),
            host,
            reason,
            detail,
        }
    }

    fn gate(&self, upstream_url: &str) -> Arc<HostGate> {
        let host = url::Url::parse(upstream_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        let mut gates = self.gates.lock().unwrap_or_else(|p| p.into_inner());
        gates
            .entry(host.clone())
            .or_insert_with(|| {
                let limit = self
                    .limits
                    .get(&host)
                    .copied()
                    .unwrap_or(self.default_limit);
                Arc::new(HostGate::new(limit))
            })
            .clone()
    }

    fn wire_url(&self, upstream: &str) -> String {
        match &self.mirror {
            Some(m) => m.rewrite(upstream),
            None => upstream.to_string(),
        }
    }

    fn upstream_url(&self, wire: &str) -> String {
        match &self.mirror {
            Some(m) => m.upstream(wire),
            None => wire.to_string(),
        }
    }

    /// GET an upstream URL, with retries. `validators` make the request conditional.
    pub async fn get(
        &self,
        source: &str,
        url: &str,
        validators: Option<&Validators>,
    ) -> Result<Fetched, FetchError> {
        let backoff = ExponentialBuilder::default()
            .with_min_delay(self.settings.backoff_initial)
            .with_max_delay(self.settings.backoff_max)
            .with_factor(2.0)
            .with_max_times(self.settings.retries)
            .with_jitter();
        let max_ra = self.settings.max_retry_after;
        let mut attempt = 0u32;
        (|| async { self.attempt(source, url, validators).await })
            .retry(backoff)
            .when(|e: &FetchError| e.retryable())
            .adjust(|e: &FetchError, planned: Option<Duration>| {
                let planned = planned?;
                match e.retry_after() {
                    Some(ra) if ra > max_ra => None,
                    Some(ra) => Some(ra.max(planned.min(ra + Duration::from_millis(250)))),
                    None => Some(planned),
                }
            })
            .notify(|e: &FetchError, wait: Duration| {
                attempt += 1;
                self.reporter.event(Event::Retrying {
                    source,
                    url,
                    attempt,
                    wait,
                    reason: &e.to_string(),
                });
            })
            .sleep(tokio::time::sleep)
            .await
            .map_err(|e| match e.retry_after() {
                Some(ra) if ra > max_ra => FetchError::RetryAfterTooLong {
                    url: url.to_string(),
                    secs: ra.as_secs(),
                },
                _ => e,
            })
    }

    /// One attempt: follow redirects by hand (so each hop is rewritten through the mirror and
    /// rate-limited), then read and verify the body.
    async fn attempt(
        &self,
        source: &str,
        url: &str,
        validators: Option<&Validators>,
    ) -> Result<Fetched, FetchError> {
        let mut current = url.to_string();
        // Starts with the first request sent (waiting for the host's rate limit is not
        // counted: that is our own politeness, not the server's slowness).
        let mut deadline: Option<tokio::time::Instant> = None;
        for _ in 0..=self.settings.max_redirects {
            let wire = self.wire_url(&current);
            self.check_breaker(&current, &wire)?;
            let gate = self.gate(&current);
            let _permit = gate.enter().await;
            // Another request may have found the host unreachable while this one waited.
            self.check_breaker(&current, &wire)?;
            let deadline = *deadline.get_or_insert_with(|| {
                tokio::time::Instant::now() + self.settings.request_deadline
            });
            let too_slow = |got: u64| FetchError::DeadlineExceeded {
                url: wire.clone(),
                secs: self.settings.request_deadline.as_secs(),
                got,
            };
            self.reporter.event(Event::RequestStarted {
                source,
                url: &current,
            });
            let mut req = self
                .client
                .get(&wire)
                .header(reqwest::header::ACCEPT_ENCODING, "gzip");
            if let Some(v) = validators {
                if let Some(etag) = &v.etag {
                    req = req.header(reqwest::header::IF_NONE_MATCH, etag);
                }
                if let Some(lm) = &v.last_modified {
                    req = req.header(reqwest::header::IF_MODIFIED_SINCE, lm);
                }
            }
            let second_try = req.try_clone();
            let sent = tokio::time::timeout_at(deadline, req.send())
                .await
                .map_err(|_| too_slow(0))?;
            let sent = match (sent, second_try, self.settings.connect_retry_pause) {
                (Err(e), Some(req), Some(pause)) if e.is_connect() => {
                    tracing::debug!("{wire}: {e}; trying once more in {pause:?}");
                    tokio::time::sleep(pause).await;
                    self.check_breaker(&current, &wire)?;
                    tokio::time::timeout_at(deadline, req.send())
                        .await
                        .map_err(|_| too_slow(0))?
                }
                (sent, _, _) => sent,
            };
            let resp = sent.map_err(|e| self.send_error(source, &current, &wire, e))?;
            let status = resp.status();
            let header = |name: reqwest::header::HeaderName| {
                resp.headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string)
            };
            if status.is_redirection() && status != reqwest::StatusCode::NOT_MODIFIED {
                let loc = header(reqwest::header::LOCATION)
                    .ok_or_else(|| FetchError::BadRedirect { url: wire.clone() })?;
                let next = url::Url::parse(&wire)
                    .and_then(|base| base.join(&loc))
                    .map_err(|_| FetchError::BadRedirect { url: wire.clone() })?;
                let next = self.upstream_url(next.as_str());
                check_redirect(&current, &next, &self.settings.redirect_to).map_err(|reason| {
                    FetchError::RedirectRefused {
                        url: wire.clone(),
                        location: next.clone(),
                        reason,
                    }
                })?;
                current = next;
                continue;
            }
            let etag = header(reqwest::header::ETAG);
            let last_modified = header(reqwest::header::LAST_MODIFIED);
            let fetched_at = now_utc();
            if status == reqwest::StatusCode::NOT_MODIFIED {
                self.reporter.event(Event::RequestFinished {
                    source,
                    url: &current,
                    status: 304,
                    bytes: 0,
                });
                return Ok(Fetched::NotModified {
                    url: url.to_string(),
                    final_url: current,
                    etag: etag.or_else(|| validators.and_then(|v| v.etag.clone())),
                    last_modified: last_modified
                        .or_else(|| validators.and_then(|v| v.last_modified.clone())),
                    fetched_at,
                });
            }
            if !status.is_success() {
                let retry_after =
                    header(reqwest::header::RETRY_AFTER).and_then(|v| parse_retry_after(&v));
                let snippet = tokio::time::timeout_at(deadline, resp.text())
                    .await
                    .map_err(|_| too_slow(0))?
                    .map(|t| t.chars().take(200).collect::<String>().replace('\n', " "))
                    .unwrap_or_default();
                return Err(FetchError::Status {
                    url: wire,
                    status: status.as_u16(),
                    retry_after,
                    snippet,
                });
            }
            let gzipped = header(reqwest::header::CONTENT_ENCODING)
                .is_some_and(|v| v.eq_ignore_ascii_case("gzip"));
            let expected = resp.content_length();
            let raw = self
                .read_body(source, &current, &wire, resp, expected, deadline)
                .await?;
            if let Some(n) = expected
                && raw.len() as u64 != n
            {
                return Err(FetchError::Truncated {
                    url: wire,
                    expected: n,
                    got: raw.len() as u64,
                });
            }
            let (bytes, gzip) = if gzipped {
                let (_, inflated_cap) = self.caps_of(source);
                let plain = gunzip_capped(&raw, inflated_cap.bytes).map_err(|e| match e {
                    GunzipError::TooLarge => FetchError::InflatedTooLarge {
                        url: wire.clone(),
                        limit: inflated_cap.bytes,
                        setting: inflated_cap.setting.clone(),
                    },
                    GunzipError::Corrupt(detail) => FetchError::CorruptGzip {
                        url: wire.clone(),
                        detail,
                    },
                })?;
                (plain, Some(raw))
            } else {
                (raw, None)
            };
            self.reporter.event(Event::RequestFinished {
                source,
                url: &current,
                status: status.as_u16(),
                bytes: bytes.len() as u64,
            });
            let sha256 = hex::encode(Sha256::digest(&bytes));
            return Ok(Fetched::Body(Body {
                url: url.to_string(),
                final_url: current,
                status: status.as_u16(),
                etag,
                last_modified,
                bytes,
                gzip,
                sha256,
                fetched_at,
            }));
        }
        Err(FetchError::TooManyRedirects {
            url: url.to_string(),
            max: self.settings.max_redirects,
        })
    }

    async fn read_body(
        &self,
        source: &str,
        upstream: &str,
        wire: &str,
        mut resp: reqwest::Response,
        expected: Option<u64>,
        deadline: tokio::time::Instant,
    ) -> Result<Vec<u8>, FetchError> {
        let (cap, _) = self.caps_of(source);
        let limit = cap.bytes;
        let too_large = |got: u64| FetchError::BodyTooLarge {
            url: wire.to_string(),
            limit,
            setting: cap.setting.clone(),
            got,
        };
        if let Some(n) = expected
            && n > limit
        {
            return Err(too_large(0));
        }
        let mut buf = Vec::with_capacity(expected.unwrap_or(64 * 1024).min(512 << 20) as usize);
        let mut last_report = Instant::now();
        loop {
            let next = tokio::time::timeout_at(deadline, resp.chunk())
                .await
                .map_err(|_| FetchError::DeadlineExceeded {
                    url: wire.to_string(),
                    secs: self.settings.request_deadline.as_secs(),
                    got: buf.len() as u64,
                })?;
            match next {
                Ok(Some(chunk)) => {
                    if (buf.len() + chunk.len()) as u64 > limit {
                        return Err(too_large((buf.len() + chunk.len()) as u64));
                    }
                    buf.extend_from_slice(&chunk);
                    if last_report.elapsed() > Duration::from_millis(100) {
                        last_report = Instant::now();
                        self.reporter.event(Event::Progress {
                            source,
                            url: upstream,
                            bytes: buf.len() as u64,
                            total: expected,
                        });
                    }
                }
                Ok(None) => return Ok(buf),
                Err(e) => {
                    let got = buf.len() as u64;
                    return Err(match expected {
                        Some(n) if got < n => FetchError::Truncated {
                            url: wire.to_string(),
                            expected: n,
                            got,
                        },
                        _ => FetchError::BodyInterrupted {
                            url: wire.to_string(),
                            got,
                            detail: reqwest_chain(e),
                        },
                    });
                }
            }
        }
    }
}

/// `Retry-After`: delta-seconds or an HTTP date.
pub fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(v).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// `scheme://host:port` of a URL: what one connection goes to (one circuit breaker each).
fn authority(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .map(|u| {
            format!(
                "{}://{}:{}",
                u.scheme(),
                u.host_str().unwrap_or(""),
                u.port_or_known_default().unwrap_or(0)
            )
        })
        .unwrap_or_else(|| url.to_string())
}

/// Why a connection could not be made, in plain words (the raw chain stays in the detail).
fn unreachable_reason(e: &reqwest::Error, connect_timeout: Duration) -> String {
    let mut src: Option<&dyn std::error::Error> = Some(e);
    let mut text = String::new();
    while let Some(inner) = src {
        if let Some(io) = inner.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind as K;
            match io.kind() {
                K::ConnectionRefused => return "connection refused".into(),
                K::TimedOut => {
                    return format!("no answer within {} s", connect_timeout.as_secs());
                }
                K::NetworkUnreachable => return "network unreachable".into(),
                K::HostUnreachable => return "no route to host".into(),
                _ => {}
            }
        }
        text.push_str(&inner.to_string().to_ascii_lowercase());
        text.push(' ');
        src = inner.source();
    }
    if text.contains("dns error") || text.contains("failed to lookup address") {
        "DNS lookup failed".into()
    } else if e.is_timeout() || text.contains("timed out") {
        format!("no answer within {} s", connect_timeout.as_secs())
    } else if text.contains("certificate") || text.contains("tls") {
        "TLS handshake failed".into()
    } else {
        "connection failed".into()
    }
}

/// A reqwest error's chain without the URL reqwest puts in it (the message names it once).
fn reqwest_chain(e: reqwest::Error) -> String {
    error_chain(&e.without_url())
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        let t = inner.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        src = inner.source();
    }
    s
}

/// Why a capped decompression failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GunzipError {
    /// Truncated or not gzip at all.
    Corrupt(String),
    /// The stream inflates past the cap; decompression stopped there.
    TooLarge,
}

/// Decompress a whole gzip stream (all members), stopping as soon as the output would pass
/// `limit` bytes: at most `limit + 1` bytes are ever held, however far the input inflates.
pub fn gunzip_capped(raw: &[u8], limit: u64) -> Result<Vec<u8>, GunzipError> {
    let mut out = Vec::with_capacity((raw.len() as u64 * 4).min(limit) as usize);
    flate2::read::MultiGzDecoder::new(raw)
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| GunzipError::Corrupt(e.to_string()))?;
    if out.len() as u64 > limit {
        return Err(GunzipError::TooLarge);
    }
    Ok(out)
}

/// Where a redirect from `from` to `to` (both upstream URLs) may not go: another host (unless
/// `redirect_to` lists it for `from`'s host) or from https down to http.
pub fn check_redirect(
    from: &str,
    to: &str,
    redirect_to: &HashMap<String, Vec<String>>,
) -> Result<(), String> {
    let from = url::Url::parse(from).map_err(|e| format!("{from} is not a URL: {e}"))?;
    let to = url::Url::parse(to).map_err(|e| format!("not a URL: {e}"))?;
    if from.scheme() == "https" && to.scheme() != "https" {
        return Err(format!("it downgrades https to {}", to.scheme()));
    }
    let (fh, th) = (from.host_str().unwrap_or(""), to.host_str().unwrap_or(""));
    // The same host; the same port too, unless the redirect upgrades http to https.
    let same = fh.eq_ignore_ascii_case(th)
        && (from.scheme() != to.scheme()
            || from.port_or_known_default() == to.port_or_known_default());
    let allowed = redirect_to
        .get(fh)
        .is_some_and(|hosts| hosts.iter().any(|h| h.eq_ignore_ascii_case(th)));
    if !same && !allowed {
        return Err(format!(
            "it leaves {fh} for another host (list it in http.hosts.{fh}.redirect_to to allow)"
        ));
    }
    Ok(())
}

/// Decompress a whole gzip stream (all members), failing on truncation or garbage.
pub fn gunzip(raw: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(raw.len() * 4);
    flate2::read::MultiGzDecoder::new(raw)
        .read_to_end(&mut out)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

/// Read a file, decompressing it when it is gzip (by magic bytes).
pub fn read_maybe_gzip(path: &Path) -> std::io::Result<Vec<u8>> {
    let raw = std::fs::read(path)?;
    if raw.starts_with(&[0x1f, 0x8b]) {
        gunzip(&raw).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    } else {
        Ok(raw)
    }
}

/// Store a verified body content-addressed as `raw/<source>/<sha256>.gz` under the data dir
/// (atomically: written to a temporary file, then renamed). Returns the relative path. A file
/// already there is kept (same name, same content), unless `replace`: a copy found damaged on
/// disk is written anew.
pub fn store_body(
    data_dir: &Path,
    source: &str,
    body: &Body,
    replace: bool,
) -> std::io::Result<String> {
    let rel = format!("raw/{source}/{}.gz", body.sha256);
    let path = data_dir.join(&rel);
    if path.is_file() && !replace {
        return Ok(rel);
    }
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    std::fs::create_dir_all(&dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)?;
    match &body.gzip {
        Some(gz) => tmp.write_all(gz)?,
        None => {
            let mut enc = flate2::write::GzEncoder::new(&mut tmp, flate2::Compression::fast());
            enc.write_all(&body.bytes)?;
            enc.finish()?;
        }
    }
    tmp.as_file().sync_all()?;
    tmp.persist(&path).map_err(|e| e.error)?;
    Ok(rel)
}

/// Load a stored download, checking it against its recorded sha256.
pub fn load_stored(data_dir: &Path, d: &DownloadRecord) -> Result<Vec<u8>, FetchError> {
    let path: PathBuf = data_dir.join(&d.stored_path);
    let bytes = read_maybe_gzip(&path).map_err(|e| FetchError::StoredCorrupt {
        url: d.url.clone(),
        path: path.display().to_string(),
        detail: e.to_string(),
    })?;
    let sha = hex::encode(Sha256::digest(&bytes));
    if sha != d.sha256 {
        return Err(FetchError::StoredCorrupt {
            url: d.url.clone(),
            path: path.display().to_string(),
            detail: format!("sha256 is {sha}, recorded {}", d.sha256),
        });
    }
    Ok(bytes)
}

/// The `downloads` row for a fresh body stored at `stored_path`.
pub fn record_for(
    source: &str,
    body: &Body,
    stored_path: String,
    version: Option<String>,
) -> DownloadRecord {
    DownloadRecord {
        id: 0,
        source: source.to_string(),
        url: body.url.clone(),
        final_url: body.final_url.clone(),
        http_status: body.status,
        etag: body.etag.clone(),
        last_modified: body.last_modified.clone(),
        sha256: body.sha256.clone(),
        bytes: body.bytes.len() as u64,
        stored_path,
        fetched_at: body.fetched_at.clone(),
        not_modified: false,
        upstream_version: version,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn gunzip_rejects_truncation_and_garbage() {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(b"hgnc_id\tsymbol\n".repeat(1000).as_slice())
            .unwrap();
        let gz = enc.finish().unwrap();
        assert!(gunzip(&gz).is_ok());
        assert!(gunzip(&gz[..gz.len() / 2]).is_err());
        assert!(gunzip(b"<!-- upstream-mirror fault -->").is_err());
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn a_gzip_bomb_stops_at_the_inflate_cap() {
        // 10 MB of zeros compress to about 10 KB; the cap is 1 MB.
        let bomb = gzip(&vec![0u8; 10 << 20]);
        assert!(bomb.len() < 64 << 10, "bomb is {} bytes", bomb.len());
        assert_eq!(gunzip_capped(&bomb, 1 << 20), Err(GunzipError::TooLarge));
        // Exactly at the cap is fine; garbage is still corrupt, not too large.
        assert_eq!(
            gunzip_capped(&gzip(&[7u8; 1000]), 1000).map(|v| v.len()),
            Ok(1000)
        );
        assert!(matches!(
            gunzip_capped(b"<!-- upstream-mirror fault -->", 1 << 20),
            Err(GunzipError::Corrupt(_))
        ));
    }

    #[test]
    fn redirects_stay_on_the_host_and_on_https() {
        let none = HashMap::new();
        let gh = HashMap::from([(
            "github.com".to_string(),
            vec!["objects.githubusercontent.com".to_string()],
        )]);
        let ok = |from, to, allow| check_redirect(from, to, allow).is_ok();
        assert!(ok("https://a.org/x", "https://a.org/y", &none));
        assert!(ok("http://a.org/x", "https://a.org/y", &none));
        let down = check_redirect("https://a.org/x", "http://a.org/x", &none).unwrap_err();
        assert!(down.contains("downgrades https to http"), "{down}");
        let away = check_redirect("https://a.org/x", "https://b.org/x", &none).unwrap_err();
        assert!(away.contains("leaves a.org"), "{away}");
        assert!(!ok("http://127.0.0.1:1/x", "http://127.0.0.1:2/x", &none));
        assert!(ok(
            "https://github.com/o/r/releases/latest/download/hp.obo",
            "https://objects.githubusercontent.com/abc",
            &gh
        ));
        assert!(!ok("https://github.com/o", "https://evil.example/abc", &gh));
    }

    /// A one-connection-at-a-time HTTP server on 127.0.0.1 that answers every request with
    /// `head` and then `body` in `chunk`-byte pieces `pause` apart. Returns its base URL.
    fn serve(head: String, body: Vec<u8>, chunk: usize, pause: Duration) -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        serve_on(listener, head, body, chunk, pause).0
    }

    /// [`serve`] on a given listener; also returns how many connections it accepted.
    fn serve_on(
        listener: std::net::TcpListener,
        head: String,
        body: Vec<u8>,
        chunk: usize,
        pause: Duration,
    ) -> (String, Arc<std::sync::atomic::AtomicUsize>) {
        let addr = listener.local_addr().unwrap();
        let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = count.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(mut conn) = conn else { return };
                counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let mut req = [0u8; 4096];
                let _ = conn.read(&mut req);
                if conn.write_all(head.as_bytes()).is_err() {
                    continue;
                }
                for piece in body.chunks(chunk.max(1)) {
                    if conn.write_all(piece).and_then(|()| conn.flush()).is_err() {
                        break;
                    }
                    std::thread::sleep(pause);
                }
            }
        });
        (format!("http://{addr}"), count)
    }

    fn fetcher(tweak: impl FnOnce(&mut FetchSettings)) -> Fetcher {
        fetcher_reporting(Arc::new(crate::report::Silent), tweak)
    }

    fn fetcher_reporting(
        reporter: Arc<dyn Reporter>,
        tweak: impl FnOnce(&mut FetchSettings),
    ) -> Fetcher {
        let mut settings = FetchSettings {
            user_agent: "kgdb-test".into(),
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(5),
            retries: 0,
            backoff_initial: Duration::from_millis(10),
            backoff_max: Duration::from_millis(10),
            max_retry_after: Duration::from_secs(1),
            max_bytes: 1 << 30,
            max_decompressed_bytes: 1 << 30,
            request_deadline: Duration::from_secs(30),
            max_redirects: 10,
            redirect_to: HashMap::new(),
            connect_retry_pause: None,
        };
        tweak(&mut settings);
        let limit = HostLimit {
            requests_per_second: 1000.0,
            concurrency: 4,
        };
        Fetcher::with_settings(settings, HashMap::new(), limit, None, reporter).unwrap()
    }

    /// Records the breaker and retry events.
    #[derive(Default)]
    struct Recorder(Mutex<Vec<String>>);

    impl Reporter for Recorder {
        fn event(&self, e: Event<'_>) {
            let line = match e {
                Event::Unreachable { host, reason, .. } => format!("unreachable {host}: {reason}"),
                Event::Retrying { url, .. } => format!("retry {url}"),
                _ => return,
            };
            self.0.lock().unwrap().push(line);
        }
    }

    impl Recorder {
        fn lines(&self) -> Vec<String> {
            self.0.lock().unwrap().clone()
        }
    }

    #[test]
    fn a_refused_connection_opens_the_breaker_of_that_host_only() {
        // A port nobody listens on (yet).
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = closed.local_addr().unwrap().port();
        drop(closed);
        let rec = Arc::new(Recorder::default());
        let f = fetcher_reporting(rec.clone(), |s| s.retries = 3);
        let rt = runtime();
        let down = format!("http://127.0.0.1:{port}");
        let err = rt
            .block_on(f.get("test", &format!("{down}/first"), None))
            .unwrap_err();
        match &err {
            FetchError::Unreachable { host, reason, .. } => {
                assert_eq!(host, "127.0.0.1");
                assert_eq!(reason, "connection refused");
            }
            other => panic!("expected Unreachable, got {other}"),
        }
        assert_eq!(
            err.to_string(),
            "cannot reach 127.0.0.1: connection refused"
        );
        assert!(
            err.detail().is_some_and(|d| d.contains("onnect")),
            "{err:?}"
        );
        // Now something listens there: the open breaker must not even try it.
        let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
        let ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n";
        let (_, connections) = serve_on(listener, ok.into(), b"ok".to_vec(), 2, Duration::ZERO);
        let again = rt
            .block_on(f.get("test", &format!("{down}/second"), None))
            .unwrap_err();
        assert!(matches!(again, FetchError::Unreachable { .. }), "{again}");
        assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 0);
        // Reported once, never retried.
        assert_eq!(
            rec.lines(),
            ["unreachable 127.0.0.1: connection refused".to_string()]
        );
        // Another host (another port) is not affected.
        let up = serve(ok.into(), b"ok".to_vec(), 2, Duration::ZERO);
        let body = rt
            .block_on(f.get("test", &format!("{up}/x"), None))
            .unwrap();
        assert!(matches!(body, Fetched::Body(b) if b.bytes == b"ok"));
    }

    #[test]
    fn a_connection_refused_once_is_tried_again_before_the_breaker_opens() {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = closed.local_addr().unwrap().port();
        drop(closed);
        let rec = Arc::new(Recorder::default());
        let f = fetcher_reporting(rec.clone(), |s| {
            s.connect_retry_pause = Some(Duration::from_secs(2))
        });
        // The server comes up well after the first connect (refused) and well before the
        // second try.
        let up = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(600));
            let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
            let ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n";
            serve_on(listener, ok.into(), b"ok".to_vec(), 1, Duration::ZERO)
        });
        let got = runtime().block_on(f.get("test", &format!("http://127.0.0.1:{port}/x"), None));
        let (_, connections) = up.join().unwrap();
        assert!(matches!(got, Ok(Fetched::Body(b)) if b.bytes == b"ok"));
        assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert!(rec.lines().is_empty(), "{:?}", rec.lines());
    }

    #[test]
    fn a_failed_dns_lookup_says_so() {
        // `.invalid` never resolves (RFC 6761), with or without a network.
        let rec = Arc::new(Recorder::default());
        let f = fetcher_reporting(rec.clone(), |s| s.retries = 3);
        let err = runtime()
            .block_on(f.get("test", "http://kgdb-breaker-test.invalid/x", None))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot reach kgdb-breaker-test.invalid: DNS lookup failed"
        );
        assert_eq!(rec.lines().len(), 1, "{:?}", rec.lines());
    }

    #[test]
    fn http_errors_never_open_the_breaker() {
        let head =
            "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let (base, connections) = serve_on(listener, head.into(), Vec::new(), 1, Duration::ZERO);
        let rec = Arc::new(Recorder::default());
        let f = fetcher_reporting(rec.clone(), |s| s.retries = 2);
        let rt = runtime();
        for path in ["/a", "/b"] {
            let err = rt
                .block_on(f.get("test", &format!("{base}{path}"), None))
                .unwrap_err();
            assert!(
                matches!(err, FetchError::Status { status: 503, .. }),
                "{err}"
            );
        }
        // Both requests were sent and retried: 2 x (1 + 2 retries).
        assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 6);
        assert!(
            rec.lines().iter().all(|l| l.starts_with("retry")),
            "{:?}",
            rec.lines()
        );
    }

    #[test]
    fn transport_errors_name_the_url_once() {
        // A server that closes the connection without answering: reqwest's own message
        // carries the URL again; the error names it once.
        let base = serve(String::new(), Vec::new(), 1, Duration::ZERO);
        let url = format!("{base}/cut");
        let err = runtime()
            .block_on(fetcher(|_| {}).get("test", &url, None))
            .unwrap_err();
        assert!(matches!(err, FetchError::Transport { .. }), "{err}");
        let msg = err.to_string();
        assert_eq!(msg.matches("/cut").count(), 1, "{msg}");
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn a_slow_drip_body_hits_the_deadline() {
        // A byte every 500 ms keeps the idle-read timeout happy forever; the deadline is 2 s.
        let head = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n";
        let base = serve(head.into(), vec![b'x'; 100], 1, Duration::from_millis(500));
        let f = fetcher(|s| s.request_deadline = Duration::from_secs(2));
        let started = Instant::now();
        let err = runtime()
            .block_on(f.get("test", &format!("{base}/slow"), None))
            .unwrap_err();
        assert!(
            matches!(err, FetchError::DeadlineExceeded { secs: 2, got, .. } if got < 100),
            "{err}"
        );
        assert!(err.to_string().contains("/slow"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn reading_stops_at_the_byte_cap() {
        // No Content-Length: the cap must be enforced while streaming.
        let head = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n";
        let base = serve(head.into(), vec![b'x'; 4 << 20], 64 << 10, Duration::ZERO);
        let f = fetcher(|s| s.max_bytes = 1 << 20);
        let err = runtime()
            .block_on(f.get("test", &format!("{base}/big"), None))
            .unwrap_err();
        match &err {
            FetchError::BodyTooLarge { limit, got, .. } => {
                assert_eq!(*limit, 1 << 20);
                // Stopped within one chunk of the cap, long before the 4 MiB end.
                assert!(*got <= (1 << 20) + (256 << 10), "read {got} bytes");
            }
            other => panic!("expected BodyTooLarge, got {other}"),
        }
        assert!(err.to_string().contains("http.max_bytes"), "{err}");
        // An announced Content-Length over the cap is refused before reading.
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            2 << 20
        );
        let base = serve(head, Vec::new(), 1, Duration::ZERO);
        let err = runtime()
            .block_on(f.get("test", &format!("{base}/announced"), None))
            .unwrap_err();
        assert!(
            matches!(err, FetchError::BodyTooLarge { got: 0, .. }),
            "{err}"
        );
    }

    #[test]
    fn a_gzip_bomb_over_http_fails_with_a_clear_message() {
        let bomb = gzip(&vec![0u8; 10 << 20]);
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            bomb.len()
        );
        let base = serve(head, bomb, 64 << 10, Duration::ZERO);
        let f = fetcher(|s| s.max_decompressed_bytes = 1 << 20);
        let err = runtime()
            .block_on(f.get("test", &format!("{base}/bomb.gz"), None))
            .unwrap_err();
        assert!(
            matches!(err, FetchError::InflatedTooLarge { limit: 1048576, .. }),
            "{err}"
        );
        let msg = err.to_string();
        assert!(
            msg.contains("/bomb.gz") && msg.contains("http.max_decompressed_bytes"),
            "{msg}"
        );
    }

    #[test]
    fn a_redirect_to_another_host_is_refused() {
        let head = "HTTP/1.1 302 Found\r\nLocation: http://elsewhere.invalid/x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        let base = serve(head.into(), Vec::new(), 1, Duration::ZERO);
        let err = runtime()
            .block_on(fetcher(|_| {}).get("test", &format!("{base}/start"), None))
            .unwrap_err();
        match &err {
            FetchError::RedirectRefused {
                location, reason, ..
            } => {
                assert_eq!(location, "http://elsewhere.invalid/x");
                assert!(reason.contains("another host"), "{reason}");
            }
            other => panic!("expected RedirectRefused, got {other}"),
        }
    }

    #[test]
    fn a_redirect_from_https_down_to_http_is_refused() {
        // Through a mirror the request is https upstream; the server redirects to the same
        // host over plain http.
        let head = "HTTP/1.1 302 Found\r\nLocation: http://a.example/next\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        let base = serve(head.into(), Vec::new(), 1, Duration::ZERO);
        let mut f = fetcher(|_| {});
        f.mirror = Some(Mirror::new(&base).unwrap());
        let err = runtime()
            .block_on(f.get("test", "https://a.example/start", None))
            .unwrap_err();
        match &err {
            FetchError::RedirectRefused {
                location, reason, ..
            } => {
                assert_eq!(location, "http://a.example/next");
                assert!(reason.contains("downgrades https to http"), "{reason}");
            }
            other => panic!("expected RedirectRefused, got {other}"),
        }
    }

    #[test]
    fn a_source_cap_overrides_the_http_cap_for_that_source_only() {
        let head = "HTTP/1.1 200 OK\r\nContent-Length: 4096\r\nConnection: close\r\n\r\n";
        let base = serve(head.into(), vec![b'x'; 4096], 4096, Duration::ZERO);
        let caps = HashMap::from([(
            "small".to_string(),
            SourceCaps {
                max_bytes: Some(Cap {
                    bytes: 1000,
                    setting: "sources.small.max_bytes".into(),
                }),
                max_decompressed_bytes: None,
            },
        )]);
        let f = fetcher(|_| {}).with_source_caps(caps);
        let rt = runtime();
        let err = rt
            .block_on(f.get("small", &format!("{base}/a"), None))
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("the 1000 bytes allowed by sources.small.max_bytes"),
            "{err}"
        );
        assert!(
            rt.block_on(f.get("other", &format!("{base}/b"), None))
                .is_ok()
        );
    }

    #[test]
    fn redirects_are_capped() {
        // Every answer redirects back to the same path: a loop the cap must end.
        let head = "HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        let base = serve(head.into(), Vec::new(), 1, Duration::ZERO);
        let err = runtime()
            .block_on(fetcher(|s| s.max_redirects = 3).get("test", &format!("{base}/again"), None))
            .unwrap_err();
        assert!(
            matches!(err, FetchError::TooManyRedirects { max: 3, .. }),
            "{err}"
        );
    }
}
