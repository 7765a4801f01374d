//! `curation.yaml`: the decisions of a curator, kept in the repository next to `sources.yaml`.
//!
//! Why: normalization never guesses (an ambiguous alias stays ambiguous) and upstream lists
//! carry artefacts (a lab's `ACMG` row). A person decides those once; the decision must be
//! written down with who, when and why, so that every nightly respects it and a release says
//! which decisions it used. This module is the config-level half: the typed decisions and
//! their validation, reported like `sources.yaml` (every problem at once, file:line:key,
//! exit 78). [`crate::normalize::curation`] runs them over the normalizer's results.
//!
//! The file is a YAML list, so stubs from `kgdb review --yaml` can be appended to it:
//!
//! ```yaml
//! - exclude: {source: diagnostic_panels, name: ACMG}
//!   reason: a lab's list heading scraped as a gene
//!   curator: bp
//!   date: 2026-12-01
//! - map: {name: ASP, source: panelapp_uk, hgnc_id: "HGNC:14297"}
//!   reason: …
//! - note: {hgnc_id: "HGNC:11630", text: "…"}
//!   reason: …
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_saphyr::Spanned;
use sha2::{Digest, Sha256};

use crate::config::{Checker, ConfigError, Problem};

/// The kind of a decision (its log and page label).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Map,
    Exclude,
    Note,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Map, Kind::Exclude, Kind::Note];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Map => "map",
            Kind::Exclude => "exclude",
            Kind::Note => "note",
        }
    }
}

/// What an `exclude` removes from the count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExcludeTarget {
    /// Every staged row of the source reporting this name (case-insensitive).
    Name(String),
    /// One staged row, by its record key (`kgdb gene` and the gene page show it).
    Record(String),
}

/// What a decision does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A reported name (of one source, or of every source) is this HGNC gene.
    Map {
        name: String,
        source: Option<String>,
        hgnc_id: String,
    },
    /// Rows of a source that are not counted.
    Exclude {
        source: String,
        target: ExcludeTarget,
    },
    /// A short note shown on a gene's page.
    Note { hgnc_id: String, text: String },
}

/// One validated decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub action: Action,
    pub reason: String,
    pub curator: String,
    /// `YYYY-MM-DD`, validated.
    pub date: String,
    /// Line of the item in the file, for messages.
    pub line: Option<u64>,
}

impl Decision {
    pub fn kind(&self) -> Kind {
        match self.action {
            Action::Map { .. } => Kind::Map,
            Action::Exclude { .. } => Kind::Exclude,
            Action::Note { .. } => Kind::Note,
        }
    }

    /// A short stable label naming the decision in logs, `kgdb status` and pages.
    pub fn label(&self) -> String {
        match &self.action {
            Action::Map {
                name,
                source: Some(s),
                hgnc_id,
            } => format!("map {s} `{name}` to {hgnc_id}"),
            Action::Map {
                name,
                source: None,
                hgnc_id,
            } => format!("map `{name}` to {hgnc_id}"),
            Action::Exclude {
                source,
                target: ExcludeTarget::Name(n),
            } => format!("exclude {source} `{n}`"),
            Action::Exclude {
                source,
                target: ExcludeTarget::Record(k),
            } => format!("exclude {source} record `{k}`"),
            Action::Note { hgnc_id, .. } => format!("note on {hgnc_id}"),
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// The decisions in force, and the file they came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Curation {
    /// The file read (`None`: no curation file, no decisions).
    pub file: Option<PathBuf>,
    /// sha256 of the file's bytes, recorded with each normalization and in the manifest.
    pub sha256: Option<String>,
    pub decisions: Vec<Decision>,
}

/// The key normalization compares names by (case and surrounding quotes ignored).
pub fn name_key(name: &str) -> String {
    name.trim()
        .trim_matches(|c| c == '"' || c == '\'')
        .trim()
        .to_uppercase()
}

impl Curation {
    /// Decisions of one kind.
    pub fn of(&self, kind: Kind) -> impl Iterator<Item = &Decision> {
        self.decisions.iter().filter(move |d| d.kind() == kind)
    }

    /// Whether a map or a by-name exclude speaks for this reported name of `source`
    /// (`kgdb review` leaves such names out: a curator already decided).
    pub fn covers(&self, source: &str, name: &str) -> bool {
        let key = name_key(name);
        self.decisions.iter().any(|d| match &d.action {
            Action::Map {
                name, source: s, ..
            } => name_key(name) == key && s.as_deref().is_none_or(|s| s == source),
            Action::Exclude {
                source: s,
                target: ExcludeTarget::Name(n),
            } => s == source && name_key(n) == key,
            _ => false,
        })
    }

    /// Read and validate `path`. `sources` are the evidence sources a decision may name.
    pub fn load(path: &Path, sources: &[&str]) -> Result<Curation, ConfigError> {
        let bytes = std::fs::read(path).map_err(|e| ConfigError {
            file: path.to_path_buf(),
            problems: vec![Problem {
                line: None,
                key: String::new(),
                message: format!("cannot read the file: {e}"),
            }],
        })?;
        let text = String::from_utf8_lossy(&bytes);
        let mut c = Self::from_str(path, &text, sources)?;
        c.sha256 = Some(hex::encode(Sha256::digest(&bytes)));
        Ok(c)
    }

    /// Parse and validate curation text (`path` names the file in messages).
    pub fn from_str(path: &Path, text: &str, sources: &[&str]) -> Result<Curation, ConfigError> {
        let fail = |problems| ConfigError {
            file: path.to_path_buf(),
            problems,
        };
        // A file of comments only (a fresh one, or only stubs not yet accepted) is empty.
        let blank = text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
        let raw: Vec<Spanned<RawDecision>> = if blank {
            Vec::new()
        } else {
            serde_saphyr::from_str(text).map_err(|e| {
                let line = e.location().map(|l| l.line()).filter(|l| *l > 0);
                let msg = e.to_string();
                fail(vec![Problem {
                    line,
                    key: String::new(),
                    message: msg.lines().next().unwrap_or("invalid YAML").trim().into(),
                }])
            })?
        };
        let mut check = Checker::new();
        let mut decisions = Vec::new();
        for (i, item) in raw.iter().enumerate() {
            if let Some(d) = validate(&mut check, i, item, sources) {
                decisions.push(d);
            }
        }
        // The same target twice, or a name both mapped and excluded in one source: which
        // one holds would depend on the order of the file.
        let mut seen: Vec<(String, &Decision)> = Vec::new();
        for d in &decisions {
            let target = match &d.action {
                Action::Map { name, source, .. } => {
                    format!(
                        "name {} in {}",
                        name_key(name),
                        source.as_deref().unwrap_or("*")
                    )
                }
                Action::Exclude {
                    source,
                    target: ExcludeTarget::Name(n),
                } => format!("name {} in {source}", name_key(n)),
                Action::Exclude {
                    source,
                    target: ExcludeTarget::Record(k),
                } => format!("record {k} in {source}"),
                Action::Note { hgnc_id, .. } => format!("note {hgnc_id}"),
            };
            if let Some((_, first)) = seen.iter().find(|(t, _)| *t == target) {
                check.problems.push(Problem {
                    line: d.line,
                    key: d.kind().as_str().into(),
                    message: format!(
                        "`{}` decides again what line {} decided (`{}`); keep one",
                        d.label(),
                        first.line.unwrap_or(0),
                        first.label()
                    ),
                });
            } else {
                seen.push((target, d));
            }
        }
        if !check.problems.is_empty() {
            check.problems.sort_by_key(|p| p.line.unwrap_or(u64::MAX));
            return Err(fail(check.problems));
        }
        Ok(Curation {
            file: Some(path.to_path_buf()),
            sha256: Some(hex::encode(Sha256::digest(text.as_bytes()))),
            decisions,
        })
    }
}

/// One list item as written. Every key is optional here so that validation can name each
/// missing one (serde would stop at the first).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecision {
    map: Option<Spanned<RawMap>>,
    exclude: Option<Spanned<RawExclude>>,
    note: Option<Spanned<RawNote>>,
    reason: Option<Spanned<String>>,
    curator: Option<Spanned<String>>,
    date: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMap {
    name: Spanned<String>,
    source: Option<Spanned<String>>,
    hgnc_id: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExclude {
    source: Spanned<String>,
    name: Option<Spanned<String>>,
    record: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNote {
    hgnc_id: Spanned<String>,
    text: Spanned<String>,
}

fn line_of<T>(s: &Spanned<T>) -> Option<u64> {
    let l = s.referenced.line();
    (l > 0).then_some(l)
}

/// `HGNC:` and digits.
fn is_hgnc_id(s: &str) -> bool {
    s.strip_prefix("HGNC:")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn validate(
    check: &mut Checker,
    i: usize,
    item: &Spanned<RawDecision>,
    sources: &[&str],
) -> Option<Decision> {
    let key = |k: &str| format!("[{i}].{k}");
    let line = line_of(item);
    let missing = |check: &mut Checker, k: &str, what: &str| {
        check.problems.push(Problem {
            line,
            key: key(k),
            message: format!("missing: {what}"),
        });
    };
    let r = &item.value;
    let text = |check: &mut Checker, v: &Option<Spanned<String>>, k: &str, what: &str| match v {
        Some(s) if !s.value.trim().is_empty() && !s.value.contains("TODO") => {
            Some(s.value.trim().to_string())
        }
        Some(s) => {
            check.push(s, key(k), format!("must be filled in ({what})"));
            None
        }
        None => {
            missing(check, k, what);
            None
        }
    };
    let reason = text(check, &r.reason, "reason", "why the decision was taken");
    let curator = text(check, &r.curator, "curator", "who took it");
    let date = match &r.date {
        Some(d) => {
            let fmt = time::macros::format_description!("[year]-[month]-[day]");
            match time::Date::parse(d.value.trim(), &fmt) {
                Ok(_) => Some(d.value.trim().to_string()),
                Err(_) => {
                    check.push(
                        d,
                        key("date"),
                        format!("`{}` is not a date YYYY-MM-DD", d.value),
                    );
                    None
                }
            }
        }
        None => {
            missing(check, "date", "when it was taken (YYYY-MM-DD)");
            None
        }
    };
    let source_ok = |check: &mut Checker, s: &Spanned<String>, k: &str| {
        if sources.contains(&s.value.as_str()) {
            true
        } else {
            check.push(
                s,
                key(k),
                format!(
                    "unknown source `{}` (known: {})",
                    s.value,
                    sources.join(", ")
                ),
            );
            false
        }
    };
    let hgnc_ok = |check: &mut Checker, s: &Spanned<String>, k: &str| {
        if is_hgnc_id(s.value.trim()) {
            true
        } else {
            check.push(
                s,
                key(k),
                format!("`{}` is not an HGNC ID (HGNC: and digits)", s.value),
            );
            false
        }
    };
    let kinds = [r.map.is_some(), r.exclude.is_some(), r.note.is_some()];
    let action = match (&r.map, &r.exclude, &r.note) {
        _ if kinds.iter().filter(|k| **k).count() != 1 => {
            check.problems.push(Problem {
                line,
                key: format!("[{i}]"),
                message: "a decision is exactly one of `map`, `exclude` or `note`".into(),
            });
            None
        }
        (Some(m), _, _) => {
            let mut ok = hgnc_ok(check, &m.value.hgnc_id, "map.hgnc_id");
            if let Some(s) = &m.value.source {
                ok &= source_ok(check, s, "map.source");
            }
            if m.value.name.value.trim().is_empty() {
                check.push(&m.value.name, key("map.name"), "must not be empty");
                ok = false;
            }
            ok.then(|| Action::Map {
                name: m.value.name.value.trim().to_string(),
                source: m.value.source.as_ref().map(|s| s.value.clone()),
                hgnc_id: m.value.hgnc_id.value.trim().to_string(),
            })
        }
        (_, Some(e), _) => {
            let ok = source_ok(check, &e.value.source, "exclude.source");
            let target = match (&e.value.name, &e.value.record) {
                (Some(n), None) if !n.value.trim().is_empty() => {
                    Some(ExcludeTarget::Name(n.value.trim().to_string()))
                }
                (None, Some(k)) if !k.value.trim().is_empty() => {
                    Some(ExcludeTarget::Record(k.value.trim().to_string()))
                }
                _ => {
                    check.push(
                        e,
                        key("exclude"),
                        "names exactly one of `name` (a reported name) or `record` (a record key)",
                    );
                    None
                }
            };
            match (ok, target) {
                (true, Some(target)) => Some(Action::Exclude {
                    source: e.value.source.value.clone(),
                    target,
                }),
                _ => None,
            }
        }
        (_, _, Some(n)) => {
            let ok = hgnc_ok(check, &n.value.hgnc_id, "note.hgnc_id");
            let t = n.value.text.value.trim();
            let text_ok = if t.is_empty() {
                check.push(&n.value.text, key("note.text"), "must not be empty");
                false
            } else if t.chars().count() > 500 {
                check.push(
                    &n.value.text,
                    key("note.text"),
                    "a note is short: at most 500 characters",
                );
                false
            } else {
                true
            };
            (ok && text_ok).then(|| Action::Note {
                hgnc_id: n.value.hgnc_id.value.trim().to_string(),
                text: t.to_string(),
            })
        }
        _ => None,
    };
    Some(Decision {
        action: action?,
        reason: reason?,
        curator: curator?,
        date: date?,
        line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCES: &[&str] = &["diagnostic_panels", "panelapp_uk", "clingen"];

    fn parse(text: &str) -> Result<Curation, ConfigError> {
        Curation::from_str(Path::new("curation.yaml"), text, SOURCES)
    }

    #[test]
    fn typed_decisions_of_each_kind() {
        let c = parse(
            "- exclude: {source: diagnostic_panels, name: ACMG}\n  reason: lab heading\n  curator: bp\n  date: 2026-12-01\n\
             - map: {name: asp, source: panelapp_uk, hgnc_id: 'HGNC:14297'}\n  reason: r\n  curator: bp\n  date: 2026-12-01\n\
             - note: {hgnc_id: 'HGNC:11630', text: Often de novo.}\n  reason: r\n  curator: bp\n  date: 2026-12-01\n",
        )
        .expect("valid");
        assert_eq!(c.decisions.len(), 3);
        assert_eq!(
            c.decisions[0].action,
            Action::Exclude {
                source: "diagnostic_panels".into(),
                target: ExcludeTarget::Name("ACMG".into())
            }
        );
        assert_eq!(c.decisions[1].line, Some(5));
        assert!(c.covers("panelapp_uk", "ASP"));
        assert!(!c.covers("clingen", "ASP"));
        assert!(c.covers("diagnostic_panels", "acmg"));
        assert_eq!(c.of(Kind::Note).count(), 1);
    }

    #[test]
    fn every_problem_at_once_with_its_line() {
        let e = parse(
            "- exclude: {source: nosuch, name: ACMG}\n  reason: x\n  curator: bp\n  date: 2026-13-01\n\
             - map: {name: ASP, hgnc_id: '14297'}\n  curator: ''\n  date: 2026-12-01\n",
        )
        .expect_err("invalid");
        let text = e.to_string();
        for want in [
            "curation.yaml:1: [0].exclude.source: unknown source `nosuch`",
            "curation.yaml:4: [0].date: `2026-13-01` is not a date",
            "curation.yaml:5: [1].map.hgnc_id: `14297` is not an HGNC ID",
            "[1].reason: missing",
            "curation.yaml:6: [1].curator: must be filled in",
        ] {
            assert!(text.contains(want), "{want} not in:\n{text}");
        }
        assert_eq!(e.problems.len(), 5, "{text}");
    }

    #[test]
    fn unknown_keys_and_conflicts_are_refused() {
        let e = parse("- exclud: {source: clingen, name: X}\n").expect_err("typo");
        assert!(e.to_string().contains("exclud"), "{e}");
        let e = parse(
            "- exclude: {source: clingen, name: X}\n  reason: a\n  curator: b\n  date: 2026-12-01\n\
             - exclude: {source: clingen, name: x}\n  reason: a\n  curator: b\n  date: 2026-12-01\n",
        )
        .expect_err("twice");
        assert!(e.to_string().contains("curation.yaml:5: exclude:"), "{e}");
    }

    proptest::proptest! {
        /// Any text: a curation or a list of problems, never a panic; a refused file names
        /// at least one problem.
        #[test]
        fn any_text_is_decisions_or_problems(text in "(- |  |map|exclude|note|: |\\{|\\}|, |name|source|reason|curator|date|2026-12-01|HGNC:1|clingen|x|\n|#|'){0,40}") {
            match parse(&text) {
                Ok(c) => proptest::prop_assert!(c.decisions.iter().all(|d| !d.reason.is_empty())),
                Err(e) => proptest::prop_assert!(!e.problems.is_empty()),
            }
        }
    }

    #[test]
    fn comments_only_is_no_decision() {
        let c = parse("# stubs\n#- exclude: {source: clingen, name: X}\n").unwrap();
        assert!(c.decisions.is_empty());
    }
}
