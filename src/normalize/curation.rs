//! Applying the decisions of `curation.yaml` to one normalization run.
//!
//! Why a fixed order: two decisions may touch the same rows, and the outcome must not depend
//! on the order of the file. `kgdb normalize` applies, after the [`Normalizer`] has resolved
//! every staged identity:
//!
//! 1. `map`: a reported name the normalizer left unresolved, ambiguous or withdrawn becomes
//!    the decided gene (method `curator_map`); a decision scoped to the source wins over an
//!    unscoped one. A name that now resolves by itself is not overridden: the decision is
//!    stale.
//! 2. `exclude` by name, then 3. `exclude` by record: the rows stay staged (and in the audit
//!    log) but lose their gene, so `kgdb score` does not count them; an exclusion wins over a
//!    map of the same name.
//! 4. `note`: checked against the HGNC set; shown on the gene's page by `kgdb build`.
//!
//! Every decision gives at least one log row: `applied` with what it changed, or `stale`
//! with why it matched nothing. Nothing is dropped silently.

use std::collections::HashSet;

use super::Normalizer;
use crate::curation::{Action, Curation, Decision, ExcludeTarget, Kind, name_key};
use crate::store::{CurationLogRow, LogEntry, StagedIdentity};

/// The method a curator's `map` records in the normalization log.
pub const CURATOR_MAP: &str = "curator_map";

/// A decision's state after a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Applied,
    Stale,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Applied => "applied",
            Status::Stale => "stale",
        }
    }
}

/// What applying the identity-level decisions produced.
#[derive(Debug, Default)]
pub struct Applied {
    /// One row per applied change or stale decision (record excludes come later, from the
    /// store: see [`record_row`]).
    pub log: Vec<CurationLogRow>,
    /// Identities whose rows are not counted.
    pub excluded: Vec<StagedIdentity>,
}

fn row(d: &Decision, status: Status) -> CurationLogRow {
    CurationLogRow {
        decision: d.label(),
        kind: d.kind().as_str().to_string(),
        status: status.as_str().to_string(),
        source: None,
        reported: None,
        hgnc_id: None,
        rows: 0,
        change: String::new(),
        reason: d.reason.clone(),
        curator: d.curator.clone(),
        date: d.date.clone(),
    }
}

fn gene_label(n: &Normalizer, id: &str) -> String {
    match n.gene(id) {
        Some(g) => format!("{id} {}", g.symbol),
        None => id.to_string(),
    }
}

/// What the normalizer said of an input, in words.
fn before(n: &Normalizer, e: &LogEntry) -> String {
    match (e.outcome, &e.hgnc_id) {
        ("resolved", Some(id)) => format!(
            "resolved to {} by {}",
            gene_label(n, id),
            e.method.unwrap_or("?")
        ),
        (outcome, _) if e.candidates.is_empty() => outcome.to_string(),
        (outcome, _) => format!(
            "{outcome}: {}",
            e.candidates
                .iter()
                .map(|c| gene_label(n, c))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn plural(rows: u64) -> &'static str {
    if rows == 1 { "" } else { "s" }
}

/// Apply steps 1, 2 and 4 to the normalizer's results (changed in place).
pub fn apply(
    cur: &Curation,
    n: &Normalizer,
    results: &mut [(StagedIdentity, LogEntry)],
) -> Applied {
    let mut out = Applied::default();
    let name_of = |id: &StagedIdentity| id.symbol.as_deref().map(name_key);
    // 2 before 1 in the loop below is avoided by collecting the excluded names first.
    let excluded_names: HashSet<(String, String)> = cur
        .of(Kind::Exclude)
        .filter_map(|d| match &d.action {
            Action::Exclude {
                source,
                target: ExcludeTarget::Name(nm),
            } => Some((source.clone(), name_key(nm))),
            _ => None,
        })
        .collect();
    let scoped_maps: HashSet<(String, String)> = cur
        .of(Kind::Map)
        .filter_map(|d| match &d.action {
            Action::Map {
                name,
                source: Some(s),
                ..
            } => Some((s.clone(), name_key(name))),
            _ => None,
        })
        .collect();

    // 1. map
    for d in cur.of(Kind::Map) {
        let Action::Map {
            name,
            source,
            hgnc_id,
        } = &d.action
        else {
            continue;
        };
        let key = name_key(name);
        let Some(target) = n.gene(hgnc_id) else {
            let mut r = row(d, Status::Stale);
            r.change = format!("{hgnc_id} is not an approved gene in the loaded HGNC set");
            out.log.push(r);
            continue;
        };
        let mut matched = Vec::new();
        let mut applied = 0;
        for (id, e) in results.iter_mut() {
            let fits = name_of(id).as_deref() == Some(key.as_str())
                && match source {
                    Some(s) => &id.source == s,
                    None => !scoped_maps.contains(&(id.source.clone(), key.clone())),
                }
                && !excluded_names.contains(&(id.source.clone(), key.clone()));
            if !fits {
                continue;
            }
            if e.outcome == "resolved" {
                matched.push(format!("{} {}", id.source, before(n, e)));
                continue;
            }
            let was = before(n, e);
            e.outcome = "resolved";
            e.method = Some(CURATOR_MAP);
            e.hgnc_id = Some(target.hgnc_id.clone());
            applied += 1;
            let mut r = row(d, Status::Applied);
            r.source = Some(id.source.clone());
            r.reported = Some(e.reported.clone());
            r.hgnc_id = Some(target.hgnc_id.clone());
            r.rows = e.rows;
            r.change = format!(
                "{} `{}` ({was}) mapped to {}: {} row{} counted",
                id.source,
                e.reported,
                gene_label(n, &target.hgnc_id),
                e.rows,
                plural(e.rows)
            );
            out.log.push(r);
        }
        if applied == 0 {
            let mut r = row(d, Status::Stale);
            r.change = if matched.is_empty() {
                format!("no staged row reports `{name}`")
            } else {
                format!(
                    "`{name}` resolves without the decision now ({})",
                    matched.join("; ")
                )
            };
            out.log.push(r);
        }
    }

    // 2. exclude by name
    for d in cur.of(Kind::Exclude) {
        let Action::Exclude {
            source,
            target: ExcludeTarget::Name(name),
        } = &d.action
        else {
            continue;
        };
        let key = name_key(name);
        let mut applied = 0;
        for (id, e) in results.iter() {
            if &id.source != source || name_of(id).as_deref() != Some(key.as_str()) {
                continue;
            }
            applied += 1;
            out.excluded.push(id.clone());
            let mut r = row(d, Status::Applied);
            r.source = Some(id.source.clone());
            r.reported = Some(e.reported.clone());
            r.hgnc_id = e.hgnc_id.clone();
            r.rows = e.rows;
            r.change = format!(
                "{} row{} of {source} reporting `{}` ({}) not counted",
                e.rows,
                plural(e.rows),
                e.reported,
                before(n, e)
            );
            out.log.push(r);
        }
        if applied == 0 {
            let mut r = row(d, Status::Stale);
            r.change = format!("no staged row of {source} reports `{name}`");
            out.log.push(r);
        }
    }

    // 4. note
    for d in cur.of(Kind::Note) {
        let Action::Note { hgnc_id, text } = &d.action else {
            continue;
        };
        match n.gene(hgnc_id) {
            Some(_) => {
                // A note changes nothing but the page: the log keeps its text.
                let mut r = row(d, Status::Applied);
                r.hgnc_id = Some(hgnc_id.clone());
                r.change = text.clone();
                out.log.push(r);
            }
            None => {
                let mut r = row(d, Status::Stale);
                r.change = format!("{hgnc_id} is not an approved gene in the loaded HGNC set");
                out.log.push(r);
            }
        }
    }
    out
}

/// Step 3: the by-record excludes, `(decision, source, record key)`.
pub fn record_excludes(cur: &Curation) -> impl Iterator<Item = (&Decision, &str, &str)> {
    cur.of(Kind::Exclude).filter_map(|d| match &d.action {
        Action::Exclude {
            source,
            target: ExcludeTarget::Record(k),
        } => Some((d, source.as_str(), k.as_str())),
        _ => None,
    })
}

/// The log row of a by-record exclude, from the staged row it names (`found`: the row's
/// current gene and reported name), or stale when no such row is staged.
pub fn record_row(
    d: &Decision,
    n: &Normalizer,
    source: &str,
    key: &str,
    found: Option<(Option<String>, String)>,
) -> CurationLogRow {
    match found {
        Some((hgnc_id, reported)) => {
            let mut r = row(d, Status::Applied);
            r.change = format!(
                "record `{key}` of {source} ({}) not counted",
                match &hgnc_id {
                    Some(id) => format!("`{reported}`, {}", gene_label(n, id)),
                    None => format!("`{reported}`, no gene"),
                }
            );
            r.source = Some(source.to_string());
            r.reported = Some(reported);
            r.hgnc_id = hgnc_id;
            r.rows = 1;
            r
        }
        None => {
            let mut r = row(d, Status::Stale);
            r.change = format!("no staged record `{key}` in {source}");
            r
        }
    }
}

#[cfg(test)]
mod tests {
    //! On the real HGNC complete set of 2024-10-18 (../shared/data/raw/hgnc/).
    use std::path::Path;

    use super::*;
    use crate::normalize::{Reported, Resolution};
    use crate::sources::hgnc;

    fn real() -> &'static Normalizer {
        static N: std::sync::OnceLock<Normalizer> = std::sync::OnceLock::new();
        N.get_or_init(|| {
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../shared/data/raw/hgnc/hgnc_complete_set.2024-10-18.txt.gz"
            );
            let bytes = crate::fetch::read_maybe_gzip(Path::new(path)).expect("real HGNC file");
            Normalizer::new(hgnc::parse(&bytes).expect("parses"), Vec::new())
        })
    }

    fn identity(source: &str, symbol: &str, rows: u64) -> (StagedIdentity, LogEntry) {
        let id = StagedIdentity {
            source: source.into(),
            symbol: Some(symbol.into()),
            hgnc_id: None,
            ncbi_id: None,
            ensembl_id: None,
        };
        let res = real().resolve(Reported {
            symbol: Some(symbol),
            ..Default::default()
        });
        let e = LogEntry {
            source: source.into(),
            reported: symbol.into(),
            method: res.method().map(|m| m.as_str()),
            outcome: res.outcome(),
            hgnc_id: res.hgnc_id().map(str::to_string),
            candidates: res.candidates().to_vec(),
            rows,
        };
        (id, e)
    }

    fn curation(yaml: &str) -> Curation {
        Curation::from_str(
            Path::new("curation.yaml"),
            yaml,
            &["panelapp_uk", "literature", "diagnostic_panels"],
        )
        .expect("valid")
    }

    #[test]
    fn an_ambiguous_alias_of_the_real_hgnc_set_is_mapped() {
        // `ASP` is an alias of several approved genes in the real set: the normalizer
        // leaves it ambiguous. The curator decides for ASIP (HGNC:745) in one source only.
        let Resolution::Ambiguous { candidates, .. } = real().resolve(Reported {
            symbol: Some("ASP"),
            ..Default::default()
        }) else {
            panic!("ASP is ambiguous in the real HGNC set");
        };
        assert!(
            candidates.contains(&"HGNC:745".to_string()),
            "{candidates:?}"
        );
        let mut results = vec![
            identity("panelapp_uk", "asp", 2),
            identity("literature", "ASP", 1),
        ];
        let c = curation(
            "- map: {name: ASP, source: panelapp_uk, hgnc_id: 'HGNC:745'}\n  reason: the panel lists agouti signalling protein\n  curator: bp\n  date: 2026-12-01\n",
        );
        let a = apply(&c, real(), &mut results);
        assert_eq!(results[0].1.outcome, "resolved");
        assert_eq!(results[0].1.hgnc_id.as_deref(), Some("HGNC:745"));
        assert_eq!(results[0].1.method, Some(CURATOR_MAP));
        // The other source's `ASP` is not this decision's business.
        assert_eq!(results[1].1.outcome, "ambiguous");
        assert_eq!(a.log.len(), 1);
        assert_eq!(a.log[0].status, "applied");
        assert_eq!(a.log[0].hgnc_id.as_deref(), Some("HGNC:745"));
        assert!(
            a.log[0].change.contains("ambiguous: "),
            "{}",
            a.log[0].change
        );
        assert!(
            a.log[0]
                .change
                .contains("mapped to HGNC:745 ASIP: 2 rows counted"),
            "{}",
            a.log[0].change
        );
    }

    #[test]
    fn a_map_of_a_name_that_resolves_by_itself_is_stale() {
        // WDR60 is a previous symbol of DYNC2I1 alone: nothing to decide.
        let mut results = vec![identity("panelapp_uk", "WDR60", 1)];
        let c = curation(
            "- map: {name: WDR60, hgnc_id: 'HGNC:9008'}\n  reason: r\n  curator: bp\n  date: 2026-12-01\n\
             - map: {name: NOSUCHNAME1, hgnc_id: 'HGNC:9008'}\n  reason: r\n  curator: bp\n  date: 2026-12-01\n\
             - note: {hgnc_id: 'HGNC:999999999', text: gone}\n  reason: r\n  curator: bp\n  date: 2026-12-01\n",
        );
        let a = apply(&c, real(), &mut results);
        assert_eq!(results[0].1.method, Some("prev_symbol"), "not overridden");
        let stale: Vec<_> = a.log.iter().filter(|r| r.status == "stale").collect();
        assert_eq!(stale.len(), 3, "{:?}", a.log);
        assert!(
            stale[0]
                .change
                .contains("resolves without the decision now")
        );
        assert!(
            stale[1]
                .change
                .contains("no staged row reports `NOSUCHNAME1`")
        );
        assert!(stale[2].change.contains("not an approved gene"));
    }

    #[test]
    fn exclude_by_name_wins_over_a_map_and_names_the_gene() {
        let mut results = vec![
            identity("diagnostic_panels", "PKD1", 1),
            identity("diagnostic_panels", "ASP", 1),
        ];
        let c = curation(
            "- exclude: {source: diagnostic_panels, name: pkd1}\n  reason: r\n  curator: bp\n  date: 2026-12-01\n\
             - exclude: {source: diagnostic_panels, name: ASP}\n  reason: r\n  curator: bp\n  date: 2026-12-01\n\
             - map: {name: ASP, hgnc_id: 'HGNC:745'}\n  reason: r\n  curator: bp\n  date: 2026-12-01\n",
        );
        let a = apply(&c, real(), &mut results);
        assert_eq!(a.excluded.len(), 2);
        assert_eq!(results[1].1.outcome, "ambiguous", "the exclusion wins");
        let pkd1 = a.log.iter().find(|r| r.decision.contains("pkd1")).unwrap();
        assert_eq!(pkd1.hgnc_id.as_deref(), Some("HGNC:9008"));
        assert!(
            pkd1.change.contains("resolved to HGNC:9008 PKD1 by symbol"),
            "{}",
            pkd1.change
        );
        // The map had nothing left to do.
        assert!(a.log.iter().any(|r| r.kind == "map" && r.status == "stale"));
    }
}
