//! Releases and their change log: what a reader needs to trust a list that changes nightly.
//!
//! Each successful build is a release named by its CalVer date. Comparing its genes with the
//! previous release says which genes were added, removed, or changed tier or classic count,
//! and which sources caused it (a source that started or stopped supporting the gene) or which
//! curator decision (a map or exclude of `curation.yaml` that started or stopped applying).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::store::ReleasedGene;

/// One gene's change between two releases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeneChange {
    pub hgnc_id: String,
    pub symbol: String,
    pub tier_before: Option<String>,
    pub tier_after: Option<String>,
    pub classic_before: Option<u32>,
    pub classic_after: Option<u32>,
    /// Scoring sources that support the gene now and did not before.
    pub sources_gained: Vec<String>,
    /// Scoring sources that supported the gene before and no longer do.
    pub sources_lost: Vec<String>,
    /// Curator decisions (map, exclude) on the gene's evidence new in this release: the
    /// change is (at least partly) theirs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions_added: Vec<String>,
    /// Curator decisions the previous release had and this one no longer applies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions_removed: Vec<String>,
}

/// What one release changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseChanges {
    pub release: String,
    pub built_at: String,
    pub previous: Option<String>,
    pub genes: usize,
    pub added: Vec<GeneChange>,
    pub removed: Vec<GeneChange>,
    /// Tier or classic evidence count changed.
    pub changed: Vec<GeneChange>,
}

/// The release name for a build on `date` (`YYYY-MM-DD`): `YYYY.MM.DD`, then `YYYY.MM.DD-2`…
/// when that name is taken.
pub fn release_name(date: &str, existing: &[String]) -> String {
    let base = date.get(..10).unwrap_or(date).replace('-', ".");
    if !existing.contains(&base) {
        return base;
    }
    (2..)
        .map(|i| format!("{base}-{i}"))
        .find(|n| !existing.contains(n))
        .unwrap_or(base)
}

/// Compare a release with the previous one.
pub fn diff(
    release: &str,
    built_at: &str,
    previous: Option<&(String, Vec<ReleasedGene>)>,
    current: &[ReleasedGene],
) -> ReleaseChanges {
    let mut out = ReleaseChanges {
        release: release.to_string(),
        built_at: built_at.to_string(),
        previous: previous.map(|p| p.0.clone()),
        genes: current.len(),
        added: Vec::new(),
        removed: Vec::new(),
        changed: Vec::new(),
    };
    let Some((_, before)) = previous else {
        return out; // the first release: nothing to compare with
    };
    let before: BTreeMap<&str, &ReleasedGene> =
        before.iter().map(|g| (g.hgnc_id.as_str(), g)).collect();
    let after: BTreeMap<&str, &ReleasedGene> =
        current.iter().map(|g| (g.hgnc_id.as_str(), g)).collect();
    let change = |b: Option<&ReleasedGene>, a: Option<&ReleasedGene>| {
        let set = |g: Option<&ReleasedGene>| -> BTreeSet<String> {
            g.map(|g| g.supported.iter().cloned().collect())
                .unwrap_or_default()
        };
        let (sb, sa) = (set(b), set(a));
        let dec = |g: Option<&ReleasedGene>| -> BTreeSet<String> {
            g.map(|g| g.decisions.iter().cloned().collect())
                .unwrap_or_default()
        };
        let (db, da) = (dec(b), dec(a));
        let g = a.or(b).expect("one side exists");
        GeneChange {
            hgnc_id: g.hgnc_id.clone(),
            symbol: g.symbol.clone(),
            tier_before: b.map(|g| g.tier.clone()),
            tier_after: a.map(|g| g.tier.clone()),
            classic_before: b.map(|g| g.classic_count),
            classic_after: a.map(|g| g.classic_count),
            sources_gained: sa.difference(&sb).cloned().collect(),
            sources_lost: sb.difference(&sa).cloned().collect(),
            decisions_added: da.difference(&db).cloned().collect(),
            decisions_removed: db.difference(&da).cloned().collect(),
        }
    };
    for (id, a) in &after {
        match before.get(id) {
            None => out.added.push(change(None, Some(a))),
            Some(b) if b.tier != a.tier || b.classic_count != a.classic_count => {
                out.changed.push(change(Some(b), Some(a)))
            }
            Some(_) => {}
        }
    }
    for (id, b) in &before {
        if !after.contains_key(id) {
            out.removed.push(change(Some(b), None));
        }
    }
    let by_num = |c: &GeneChange| crate::sources::hgnc::hgnc_num(&c.hgnc_id).unwrap_or(i64::MAX);
    out.added.sort_by_key(by_num);
    out.removed.sort_by_key(by_num);
    out.changed.sort_by_key(by_num);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gene(id: &str, sym: &str, tier: &str, classic: u32, sup: &[&str]) -> ReleasedGene {
        ReleasedGene {
            hgnc_id: id.into(),
            symbol: sym.into(),
            tier: tier.into(),
            classic_count: classic,
            percentage: 0.0,
            supported: sup.iter().map(|s| s.to_string()).collect(),
            decisions: Vec::new(),
        }
    }

    #[test]
    fn a_decision_that_moves_a_tier_is_named() {
        // An exclusion took ClinGen's curation of TULP3 out: its tier fell.
        let before = (
            "2026.11.30".to_string(),
            vec![gene(
                "HGNC:12425",
                "TULP3",
                "multi_source_support",
                2,
                &["clingen"],
            )],
        );
        let mut after = gene("HGNC:12425", "TULP3", "established_support", 2, &[]);
        after.decisions = vec!["exclude clingen `TULP3`".into()];
        let d = diff("2026.12.01", "t", Some(&before), &[after]);
        assert_eq!(d.changed.len(), 1);
        assert_eq!(d.changed[0].decisions_added, ["exclude clingen `TULP3`"]);
        assert!(d.changed[0].decisions_removed.is_empty());
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(
            json["changed"][0]["decisions_added"][0],
            "exclude clingen `TULP3`"
        );
    }

    #[test]
    fn names_follow_calver_with_a_suffix_for_the_same_day() {
        assert_eq!(release_name("2026-11-29T17:00:00Z", &[]), "2026.11.29");
        let e = vec!["2026.11.29".to_string()];
        assert_eq!(release_name("2026-11-29", &e), "2026.11.29-2");
        let e = vec!["2026.11.29".to_string(), "2026.11.29-2".to_string()];
        assert_eq!(release_name("2026-11-29", &e), "2026.11.29-3");
    }

    #[test]
    fn diff_names_added_removed_changed_and_the_sources_behind() {
        let before = (
            "2026.11.28".to_string(),
            vec![
                gene(
                    "HGNC:9008",
                    "PKD1",
                    "comprehensive_support",
                    5,
                    &["panelapp", "clingen"],
                ),
                gene("HGNC:9009", "PKD2", "established_support", 2, &["panelapp"]),
                gene("HGNC:1", "GONE", "minimal_evidence", 0, &["pubtator"]),
            ],
        );
        let now = vec![
            gene(
                "HGNC:9008",
                "PKD1",
                "comprehensive_support",
                5,
                &["panelapp", "clingen"],
            ),
            gene(
                "HGNC:9009",
                "PKD2",
                "multi_source_support",
                3,
                &["panelapp", "hpo"],
            ),
            gene("HGNC:7908", "NPHS1", "minimal_evidence", 0, &["gencc"]),
        ];
        let d = diff("2026.11.29", "t", Some(&before), &now);
        assert_eq!(d.previous.as_deref(), Some("2026.11.28"));
        assert_eq!(d.added.len(), 1);
        assert_eq!(d.added[0].symbol, "NPHS1");
        assert_eq!(d.added[0].sources_gained, ["gencc"]);
        assert_eq!(d.removed[0].symbol, "GONE");
        assert_eq!(d.removed[0].sources_lost, ["pubtator"]);
        assert_eq!(d.changed.len(), 1, "PKD1 unchanged is not listed");
        let pkd2 = &d.changed[0];
        assert_eq!(pkd2.tier_before.as_deref(), Some("established_support"));
        assert_eq!(pkd2.tier_after.as_deref(), Some("multi_source_support"));
        assert_eq!(pkd2.sources_gained, ["hpo"]);
        assert!(
            diff("x", "t", None, &now).added.is_empty(),
            "first release lists no change"
        );
    }
}
