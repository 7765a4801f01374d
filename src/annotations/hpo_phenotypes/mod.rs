//! `hpo_phenotypes`: a gene's HPO phenotypes, diseases and the classes kgdb derives from
//! them (clinical group, onset group, syndromic assessment).
//!
//! Why: a curator wants to see what a gene's diseases look like and which kind of kidney
//! disease it mostly causes. The values come from the release files the `hpo` evidence
//! source already downloads and parses (one version, no second download), so this
//! annotation is that source's *companion* (`companion_of` in the registry): it has no
//! fetch of its own, the source stages it through [`crate::sources::hpo::Companion`]. The
//! rules are in [`classes`].

pub mod classes;

use std::any::Any;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use serde_saphyr::Spanned;

use super::model::{Part, PartKind, PartType, Term, part_of};
use super::view::*;
use super::{AnnotationSource, Body, CsvColumn, PartContext, TableColumn, TableValues};
use crate::config::{Config, Problem, is_hpo_id};
use crate::sources::hpo::{Companion, Files};
use crate::sources::{SourceError, StagedRow};

use classes::ClassRules;

/// Phenotypes listed in the collapsible "all phenotypes" list.
pub const PHENOTYPES_SHOWN: usize = 50;
/// Diseases listed.
pub const DISEASES_SHOWN: usize = 30;

/// Shares of a gene's phenotypes per group, and the winning group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupCall {
    /// Group -> share in 0..=1 (shares sum to 1 when any group matched, else all 0).
    pub shares: BTreeMap<String, f64>,
    /// The group with the largest share; `None` when no phenotype matched any group.
    pub primary: Option<String>,
}

/// The syndromic assessment: how much of the phenotype lies outside the kidney.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Syndromic {
    /// Indicator system (growth, skeletal, neurologic, head_neck) -> share of the gene's
    /// phenotypes under it (0..=1).
    pub shares: BTreeMap<String, f64>,
    /// The combined score (rule on the Methods page).
    pub score: f64,
    pub is_syndromic: bool,
}

/// `hpo_phenotypes`: from the HPO files the HPO source downloads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HpoPhenotypes {
    /// Every phenotype of the gene's diseases (distinct, sorted by id).
    pub phenotypes: Vec<Term>,
    /// The gene's diseases (OMIM/ORPHA/DECIPHER ids with names), sorted by id.
    pub diseases: Vec<Term>,
    /// The phenotypes under the kidney root terms.
    pub kidney_phenotypes: Vec<Term>,
    /// complement, cakut, glomerulopathy, cyst_cilio, tubulopathy, nephrolithiasis.
    pub clinical_group: GroupCall,
    /// adult, pediatric, congenital.
    pub onset_group: GroupCall,
    pub syndromic: Syndromic,
}

impl PartType for HpoPhenotypes {
    const KEY: &'static str = "hpo";
}

crate::annotation_settings! {
    /// Phenotype classes from the files the `hpo` source downloads (no download of its own).
    pub struct Settings {
        /// Kidney roots, clinical and onset groups, syndromic indicators (missing keys take
        /// the defaults of [`ClassRules`]).
        pub rules: Spanned<ClassRules>,
    }
}

pub fn load(
    name: &'static str,
    config: &Config,
) -> Result<Box<dyn AnnotationSource>, Vec<Problem>> {
    super::load_block(
        name,
        config,
        |s: &Settings, c, k| {
            let rules = &s.rules;
            let key = format!("{k}.rules");
            let r = &rules.value;
            if !(0.0..=1.0).contains(&r.syndromic_threshold) {
                c.push(
                    rules,
                    format!("{key}.syndromic_threshold"),
                    format!(
                        "a share: must lie in 0..=1, found {}",
                        r.syndromic_threshold
                    ),
                );
            }
            let named = [
                ("clinical_groups", &r.clinical_groups),
                ("onset_groups", &r.onset_groups),
                ("syndromic_indicators", &r.syndromic_indicators),
            ];
            let roots = ("kidney_roots".to_string(), r.kidney_roots.clone());
            for (what, groups) in named {
                if groups.is_empty() {
                    c.push(
                        rules,
                        format!("{key}.{what}"),
                        "must list at least one group",
                    );
                }
                for (name, terms) in groups
                    .iter()
                    .chain(std::iter::once(&roots).filter(|_| what == "clinical_groups"))
                {
                    if terms.is_empty() {
                        c.push(rules, format!("{key}.{what}.{name}"), "lists no term");
                    }
                    for t in terms.iter().filter(|t| !is_hpo_id(t)) {
                        c.push(
                            rules,
                            format!("{key}.{what}.{name}"),
                            format!("`{t}` is not an HPO id (HP:0000000)"),
                        );
                    }
                }
            }
        },
        |settings| {
            let rules = settings.rules.value.clone();
            let companion = Companion(Box::new(move |files: &Files<'_>| {
                stage(name, files, &rules)
            }));
            Box::new(HpoPhenotypesSource {
                name,
                settings,
                companion,
            })
        },
    )
}

/// Classify every gene of the release's files and stage one row per gene.
fn stage(name: &str, files: &Files<'_>, rules: &ClassRules) -> Result<Vec<StagedRow>, SourceError> {
    let started = std::time::Instant::now();
    let c = classes::classify(files.ontology, files.hpoa, files.genes, rules)
        .map_err(|e| SourceError::unusable(name, format!("rules: {e} ({})", files.obo_url)))?;
    tracing::info!(
        genes = c.genes.len(),
        unresolved_rows = c.unresolved_rows,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "{name}: classified"
    );
    Ok(classes::stage_rows(&c))
}

pub struct HpoPhenotypesSource {
    name: &'static str,
    settings: Settings,
    companion: Companion,
}

impl HpoPhenotypesSource {
    /// The class rules in force.
    pub fn rules(&self) -> &ClassRules {
        &self.settings.rules.value
    }
}

/// Group, onset and indicator names as people read them.
pub fn group_label(name: &str) -> String {
    match name {
        "cakut" => "CAKUT".into(),
        "cyst_cilio" => "Cyst/ciliopathy".into(),
        "neurologic" => "Nervous system".into(),
        "head_neck" => "Head and neck".into(),
        other => label(other),
    }
}

fn group_cell(c: &GroupCall, none: &str) -> Cell {
    let mut shares: Vec<(&String, &f64)> = c.shares.iter().filter(|(_, v)| **v > 0.0).collect();
    shares.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
    let mut cell = vec![text(
        c.primary
            .as_deref()
            .map(group_label)
            .unwrap_or_else(|| "none".into()),
    )];
    if shares.is_empty() {
        cell.push(styled(format!(" ({none})"), "muted"));
    } else {
        cell.push(styled(
            format!(
                " (shares: {})",
                shares
                    .iter()
                    .map(|(k, v)| format!("{} {}", group_label(k), pct(**v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "muted",
        ));
    }
    cell
}

impl AnnotationSource for HpoPhenotypesSource {
    crate::annotation_accessors!();

    fn part(&self) -> PartKind {
        PartKind::of::<HpoPhenotypes>()
    }

    fn heading(&self) -> &'static str {
        "Phenotypes (HPO)"
    }

    fn methods_text(&self) -> Vec<String> {
        self.rules().describe()
    }

    fn companion(&self) -> Option<&dyn Any> {
        Some(&self.companion)
    }

    fn gene_line(&self, part: &dyn Part) -> Option<String> {
        let h = part_of::<HpoPhenotypes>(part)?;
        Some(format!(
            "HPO        clinical group {}, onset {}, syndromic {} (score {}), {} kidney of {} phenotypes, {} diseases",
            h.clinical_group.primary.as_deref().unwrap_or("none"),
            h.onset_group.primary.as_deref().unwrap_or("none"),
            if h.syndromic.is_syndromic {
                "yes"
            } else {
                "no"
            },
            h.syndromic.score,
            h.kidney_phenotypes.len(),
            h.phenotypes.len(),
            h.diseases.len()
        ))
    }

    fn csv_columns(&self) -> Vec<CsvColumn> {
        vec![
            CsvColumn {
                name: "hpo_clinical_group",
                kind: "text",
                description: "Primary clinical group (complement, cakut, glomerulopathy, cyst_cilio, tubulopathy, nephrolithiasis); empty when no phenotype matched a group (rule on methods.html)",
                value: |p| {
                    of(
                        part_of::<HpoPhenotypes>(p).and_then(|h| h.clinical_group.primary.clone()),
                        |s| s,
                    )
                },
            },
            CsvColumn {
                name: "hpo_clinical_group_share",
                kind: "number",
                description: "Share (0–1) of the primary clinical group",
                value: |p| {
                    of(
                        part_of::<HpoPhenotypes>(p).and_then(|h| {
                            h.clinical_group
                                .primary
                                .as_ref()
                                .and_then(|p| h.clinical_group.shares.get(p).copied())
                        }),
                        fnum,
                    )
                },
            },
            CsvColumn {
                name: "hpo_onset_group",
                kind: "text",
                description: "Primary onset group (adult, pediatric, congenital); empty when the diseases have no onset term",
                value: |p| {
                    of(
                        part_of::<HpoPhenotypes>(p).and_then(|h| h.onset_group.primary.clone()),
                        |s| s,
                    )
                },
            },
            CsvColumn {
                name: "hpo_syndromic_score",
                kind: "number",
                description: "Share (0–1) of the gene's phenotypes under at least one of growth, skeletal, nervous system, head and neck",
                value: |p| of(part_of::<HpoPhenotypes>(p), |h| fnum(h.syndromic.score)),
            },
            CsvColumn {
                name: "hpo_is_syndromic",
                kind: "boolean",
                description: "true when hpo_syndromic_score ≥ 0.3",
                value: |p| {
                    of(part_of::<HpoPhenotypes>(p), |h| {
                        h.syndromic.is_syndromic.to_string()
                    })
                },
            },
            CsvColumn {
                name: "hpo_kidney_phenotypes",
                kind: "list",
                description: "HPO IDs of the gene's kidney phenotypes, separated by |",
                value: |p| of(part_of::<HpoPhenotypes>(p), |h| ids(&h.kidney_phenotypes)),
            },
            CsvColumn {
                name: "hpo_phenotype_count",
                kind: "integer",
                description: "Distinct phenotypes of the gene's diseases",
                value: |p| {
                    of(part_of::<HpoPhenotypes>(p), |h| {
                        h.phenotypes.len().to_string()
                    })
                },
            },
            CsvColumn {
                name: "hpo_disease_count",
                kind: "integer",
                description: "The gene's diseases (OMIM, ORPHA, DECIPHER)",
                value: |p| {
                    of(part_of::<HpoPhenotypes>(p), |h| {
                        h.diseases.len().to_string()
                    })
                },
            },
            CsvColumn {
                name: "hpo_diseases",
                kind: "list",
                description: "The gene's disease IDs, separated by |",
                value: |p| of(part_of::<HpoPhenotypes>(p), |h| ids(&h.diseases)),
            },
        ]
    }

    fn table_columns(&self) -> Vec<TableColumn> {
        vec![
            TableColumn {
                key: "cg",
                header: "Clinical group",
                title: "HPO clinical group (not part of the score)",
                order: 60,
            },
            TableColumn {
                key: "onset",
                header: "Onset",
                title: "HPO onset group (not part of the score)",
                order: 61,
            },
            TableColumn {
                key: "synd",
                header: "Syndromic",
                title: "HPO syndromic assessment (not part of the score)",
                order: 62,
            },
        ]
    }

    /// `cg` and `onset` index into the lookups of the same names (`[[name, label]…]`, the
    /// groups of the rules in force: every gene's shares list all of them); `synd` is 1/0.
    fn table_values(&self, parts: &[Option<&dyn Part>]) -> TableValues {
        let hpo: Vec<Option<&HpoPhenotypes>> = parts
            .iter()
            .map(|p| p.and_then(part_of::<HpoPhenotypes>))
            .collect();
        let names_in = |call: fn(&HpoPhenotypes) -> &GroupCall| {
            let mut names: Vec<String> = hpo
                .iter()
                .flatten()
                .flat_map(|h| call(h).shares.keys().cloned())
                .collect();
            names.sort();
            names.dedup();
            names
        };
        let cg = names_in(|h| &h.clinical_group);
        let onset = names_in(|h| &h.onset_group);
        let index_of = |names: &[String], n: &Option<String>| -> Value {
            n.as_deref()
                .and_then(|n| names.iter().position(|x| x == n))
                .map_or(Value::Null, |i| json!(i))
        };
        let groups = |names: &[String]| -> Value {
            Value::Array(names.iter().map(|n| json!([n, group_label(n)])).collect())
        };
        let column = |f: &dyn Fn(&HpoPhenotypes) -> Value| -> Vec<Value> {
            hpo.iter().map(|h| h.map_or(Value::Null, f)).collect()
        };
        TableValues {
            columns: vec![
                column(&|h| index_of(&cg, &h.clinical_group.primary)),
                column(&|h| index_of(&onset, &h.onset_group.primary)),
                column(&|h| json!(u8::from(h.syndromic.is_syndromic))),
            ],
            lookups: vec![("cg", groups(&cg)), ("onset", groups(&onset))],
        }
    }

    fn gene_sets(&self) -> Option<super::GeneSetInfo> {
        Some(super::GeneSetInfo {
            key: "hpo",
            library: "HPO phenotypes of the gene's diseases (direct annotations)".into(),
            shippable: true,
            term_url: Some(|id| format!("https://hpo.jax.org/browse/term/{id}")),
            script: Some(("genesets-hpo.js", "KGDB_GENESETS_HPO")),
        })
    }

    fn gene_terms(&self, part: &dyn Part) -> Vec<(String, String)> {
        part_of::<HpoPhenotypes>(part)
            .map(|h| {
                h.phenotypes
                    .iter()
                    .map(|t| (t.id.clone(), t.name.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn node_classes(&self, part: &dyn Part) -> Option<super::NodeClasses> {
        let h = part_of::<HpoPhenotypes>(part)?;
        Some(super::NodeClasses {
            clinical_group: h.clinical_group.primary.clone(),
            onset_group: h.onset_group.primary.clone(),
            syndromic: Some(
                if h.syndromic.is_syndromic {
                    "syndromic"
                } else {
                    "non-syndromic"
                }
                .to_string(),
            ),
        })
    }

    fn section(&self, part: &dyn Part, cx: &PartContext<'_>) -> Body {
        let mut b = Body::default();
        let Some(h) = part_of::<HpoPhenotypes>(part) else {
            return b;
        };
        b.facts.push(fact(
            "Clinical group",
            group_cell(
                &h.clinical_group,
                "no phenotype under any group's signature terms",
            ),
        ));
        b.facts.push(fact(
            "Onset group",
            group_cell(&h.onset_group, "no onset term in the gene's diseases"),
        ));
        let sy = &h.syndromic;
        let mut cell = vec![
            styled(
                if sy.is_syndromic {
                    "Syndromic"
                } else {
                    "Not syndromic"
                },
                "strong",
            ),
            text(format!(" (score {}; syndromic from 0.3)", num(sy.score, 3))),
        ];
        if !sy.shares.is_empty() {
            let order = ["growth", "skeletal", "neurologic", "head_neck"];
            let mut keys: Vec<&String> = sy.shares.keys().collect();
            keys.sort_by_key(|k| order.iter().position(|o| o == k).unwrap_or(order.len()));
            cell.push(styled(
                format!(
                    " share of phenotypes per system: {}",
                    keys.iter()
                        .map(|k| format!("{} {}", group_label(k), pct(sy.shares[*k])))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "muted",
            ));
        }
        b.facts.push(fact("Syndromic assessment", cell));
        b.facts.push(fact(
            "Phenotypes",
            vec![text(format!(
                "{} kidney phenotypes of {} phenotypes, {} {}",
                thousands(h.kidney_phenotypes.len() as u64),
                thousands(h.phenotypes.len() as u64),
                thousands(h.diseases.len() as u64),
                if h.diseases.len() == 1 {
                    "disease"
                } else {
                    "diseases"
                }
            ))],
        ));
        if !h.kidney_phenotypes.is_empty() {
            b.lists.push(TermList {
                label: "Kidney phenotypes".into(),
                collapsed: false,
                items: h
                    .kidney_phenotypes
                    .iter()
                    .take(KIDNEY_SHOWN)
                    .map(|t| term_cell(&t.id, &t.name, curie_url(&t.id)))
                    .collect(),
                more: more_text(KIDNEY_SHOWN, h.kidney_phenotypes.len(), cx.json),
            });
        }
        if !h.diseases.is_empty() {
            b.lists.push(TermList {
                label: "Diseases".into(),
                collapsed: false,
                items: h
                    .diseases
                    .iter()
                    .take(DISEASES_SHOWN)
                    .map(|t| term_cell(&t.id, &t.name, curie_url(&t.id)))
                    .collect(),
                more: more_text(DISEASES_SHOWN, h.diseases.len(), cx.json),
            });
        }
        if !h.phenotypes.is_empty() {
            b.lists.push(TermList {
                label: format!("All {} phenotypes", thousands(h.phenotypes.len() as u64)),
                collapsed: true,
                items: h
                    .phenotypes
                    .iter()
                    .take(PHENOTYPES_SHOWN)
                    .map(|t| term_cell(&t.id, &t.name, curie_url(&t.id)))
                    .collect(),
                more: more_text(PHENOTYPES_SHOWN, h.phenotypes.len(), cx.json),
            });
        }
        b
    }

    fn partial(&self) -> (&'static str, &'static str) {
        (
            "annotations/hpo_phenotypes.html",
            include_str!("../../../templates/annotations/hpo_phenotypes.html"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// sources.yaml spells out the HPO class rules; they must equal the documented
    /// defaults the tests of `classes` check on the real files.
    #[test]
    fn hpo_class_rules_in_sources_yaml_are_the_defaults() {
        let r = crate::registry::Registry::from_str(
            std::path::Path::new("sources.yaml"),
            include_str!("../../../sources.yaml"),
        )
        .expect("valid");
        let a = r.annotation("hpo_phenotypes").expect("registered");
        let any: &dyn Any = a.companion().expect("a companion");
        assert!(any.downcast_ref::<Companion>().is_some());
        assert_eq!(a.methods_text(), ClassRules::default().describe());
    }
}
