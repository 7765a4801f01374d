//! Progress and outcome reporting, decoupled from the pipeline.
//!
//! The core emits [`Event`]s to a [`Reporter`]; the command line picks how a person or a
//! machine sees them: progress bars on a terminal, plain lines for cron logs, or JSON lines
//! for monitoring. The pipeline never prints. Colour and styling (ANSI escapes) appear only on
//! a terminal and never with `NO_COLOR` set ([`stderr_colour`]): logs and pipes get plain text.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

/// Whether what kgdb writes to stderr may carry colour and styling: only when stderr is a
/// terminal and `NO_COLOR` is unset or empty (<https://no-color.org>).
pub fn stderr_colour() -> bool {
    colour_allowed(
        std::io::stderr().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    )
}

/// The rule of [`stderr_colour`], given what it looks at.
pub fn colour_allowed(terminal: bool, no_color: Option<&OsStr>) -> bool {
    terminal && no_color.is_none_or(OsStr::is_empty)
}

/// Something the pipeline wants to tell the person running it.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    SourceStarted {
        source: &'a str,
    },
    RequestStarted {
        source: &'a str,
        url: &'a str,
    },
    Progress {
        source: &'a str,
        url: &'a str,
        bytes: u64,
        total: Option<u64>,
    },
    RequestFinished {
        source: &'a str,
        url: &'a str,
        status: u16,
        bytes: u64,
    },
    Retrying {
        source: &'a str,
        url: &'a str,
        attempt: u32,
        wait: Duration,
        reason: &'a str,
    },
    /// A host (or the mirror) could not be reached: its circuit breaker opened, so its other
    /// requests in this run fail at once. Sent once per host and run.
    Unreachable {
        source: &'a str,
        host: &'a str,
        reason: &'a str,
        /// The raw error chain (shown under `-v`).
        detail: &'a str,
    },
    SourceFinished {
        source: &'a str,
        status: &'a str,
        rows: Option<u64>,
        detail: Option<&'a str>,
    },
    /// A stored file used without a request: upstream cannot have changed it (a
    /// commit-pinned URL, or a PanelApp panel whose version the panel list gives unchanged).
    Reused {
        source: &'a str,
        url: &'a str,
        why: &'a str,
    },
    Info {
        message: &'a str,
    },
}

pub trait Reporter: Send + Sync {
    fn event(&self, event: Event<'_>);
}

/// Reports nothing (tests, `-q`).
pub struct Silent;

impl Reporter for Silent {
    fn event(&self, _: Event<'_>) {}
}

/// One plain line per notable event on stderr: for cron and CI logs.
pub struct Plain {
    pub verbose: bool,
}

impl Reporter for Plain {
    fn event(&self, e: Event<'_>) {
        let line = match e {
            Event::SourceStarted { source } => format!("{source}: fetching"),
            Event::RequestStarted { source, url } if self.verbose => format!("{source}: GET {url}"),
            Event::RequestFinished {
                source,
                url,
                status,
                bytes,
            } if self.verbose || status == 304 => {
                if status == 304 {
                    format!("{source}: {url}: not modified (304)")
                } else {
                    format!("{source}: {url}: {status}, {bytes} bytes")
                }
            }
            Event::Retrying {
                source,
                attempt,
                wait,
                reason,
                ..
            } => format!(
                "{source}: retry {attempt} in {:.1} s after: {reason}",
                wait.as_secs_f64()
            ),
            Event::Unreachable {
                host,
                reason,
                detail,
                ..
            } => {
                let mut s = format!(
                    "cannot reach {host}: {reason}; its other requests in this run fail at once"
                );
                if self.verbose {
                    s.push_str(&format!(" ({detail})"));
                }
                s
            }
            Event::SourceFinished {
                source,
                status,
                rows,
                detail,
            } => {
                let mut s = format!("{source}: {status}");
                if let Some(r) = rows {
                    s.push_str(&format!(", {r} rows"));
                }
                if let Some(d) = detail {
                    s.push_str(&format!(": {d}"));
                }
                s
            }
            Event::Reused { source, url, why } => {
                format!("{source}: {url}: stored copy used ({why})")
            }
            Event::Info { message } => message.to_string(),
            _ => return,
        };
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    }
}

/// One JSON object per event on stderr.
pub struct JsonLines;

impl Reporter for JsonLines {
    fn event(&self, e: Event<'_>) {
        let v = match e {
            Event::SourceStarted { source } => {
                serde_json::json!({"event": "source_started", "source": source})
            }
            Event::RequestStarted { source, url } => {
                serde_json::json!({"event": "request_started", "source": source, "url": url})
            }
            Event::Progress { .. } => return,
            Event::RequestFinished {
                source,
                url,
                status,
                bytes,
            } => {
                serde_json::json!({"event": "request_finished", "source": source, "url": url, "status": status, "bytes": bytes})
            }
            Event::Retrying {
                source,
                url,
                attempt,
                wait,
                reason,
            } => {
                serde_json::json!({"event": "retrying", "source": source, "url": url, "attempt": attempt, "wait_secs": wait.as_secs_f64(), "reason": reason})
            }
            Event::Unreachable {
                source,
                host,
                reason,
                detail,
            } => {
                serde_json::json!({"event": "unreachable", "source": source, "host": host, "reason": reason, "detail": detail})
            }
            Event::SourceFinished {
                source,
                status,
                rows,
                detail,
            } => {
                serde_json::json!({"event": "source_finished", "source": source, "status": status, "rows": rows, "detail": detail})
            }
            Event::Reused { source, url, why } => {
                serde_json::json!({"event": "reused", "source": source, "url": url, "why": why})
            }
            Event::Info { message } => serde_json::json!({"event": "info", "message": message}),
        };
        let _ = writeln!(std::io::stderr().lock(), "{v}");
    }
}

/// Progress bars for a person at a terminal (indicatif draws nothing elsewhere).
pub struct Bars {
    multi: MultiProgress,
    bars: Mutex<HashMap<String, ProgressBar>>,
    colour: bool,
}

impl Default for Bars {
    /// Bars styled as [`stderr_colour`] allows.
    fn default() -> Self {
        Bars::new(stderr_colour())
    }
}

impl Bars {
    /// Bars; `colour` false draws the source name plain (no ANSI styling).
    pub fn new(colour: bool) -> Self {
        Bars {
            multi: MultiProgress::new(),
            bars: Mutex::new(HashMap::new()),
            colour,
        }
    }

    fn template(&self) -> &'static str {
        if self.colour {
            "{spinner} {prefix:.bold} {msg} {bytes}/{total_bytes} {bytes_per_sec}"
        } else {
            "{spinner} {prefix} {msg} {bytes}/{total_bytes} {bytes_per_sec}"
        }
    }
}

impl Bars {
    fn bar(&self, source: &str, url: &str) -> ProgressBar {
        let mut bars = self.bars.lock().unwrap_or_else(|p| p.into_inner());
        bars.entry(url.to_string())
            .or_insert_with(|| {
                let pb = self.multi.add(ProgressBar::new_spinner());
                pb.set_style(
                    ProgressStyle::with_template(self.template())
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                pb.set_prefix(source.to_string());
                let short = url.rsplit('/').find(|s| !s.is_empty()).unwrap_or(url);
                pb.set_message(short.to_string());
                pb.enable_steady_tick(Duration::from_millis(120));
                pb
            })
            .clone()
    }
}

impl Reporter for Bars {
    fn event(&self, e: Event<'_>) {
        match e {
            Event::RequestStarted { source, url } => {
                self.bar(source, url);
            }
            Event::Progress {
                source,
                url,
                bytes,
                total,
            } => {
                let pb = self.bar(source, url);
                if let Some(t) = total {
                    pb.set_length(t);
                }
                pb.set_position(bytes);
            }
            Event::RequestFinished { url, .. } => {
                let pb = self
                    .bars
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(url);
                if let Some(pb) = pb {
                    pb.finish_and_clear();
                }
            }
            // Everything else in the plain wording, printed above the bars.
            other => self.multi.suspend(|| Plain { verbose: false }.event(other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(colour_allowed(true, None));
        assert!(colour_allowed(true, Some(OsStr::new(""))));
        assert!(!colour_allowed(true, Some(OsStr::new("1"))));
        assert!(!colour_allowed(false, None));
        assert!(!colour_allowed(false, Some(OsStr::new(""))));
    }

    #[test]
    fn bars_without_colour_use_no_styling() {
        assert!(Bars::new(true).template().contains(".bold"));
        assert!(!Bars::new(false).template().contains('.'));
    }
}
