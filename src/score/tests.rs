//! Tests of scoring: a golden set worked out by hand, error cases, properties, determinism.

use proptest::prelude::*;

use super::*;
use crate::registry::Registry;

/// The settings of the real `sources.yaml` (so the tests check the shipped defaults).
fn settings() -> ScoringSettings {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/sources.yaml");
    Registry::load(path.as_ref())
        .expect("sources.yaml is valid")
        .scoring_settings()
}

/// The scoring sources of the shipped configuration, in its order.
const SCORING_SOURCES: [&str; 7] = [
    "panelapp",
    "literature",
    "diagnostic_panels",
    "hpo",
    "pubtator",
    "clingen",
    "gencc",
];

fn ev(hgnc_id: &str, source: &str, measure: f64, classification: Option<&str>) -> EvidenceRow {
    EvidenceRow {
        hgnc_id: hgnc_id.into(),
        source: source.into(),
        measure,
        classification: classification.map(str::to_string),
    }
}

fn gene<'a>(scores: &'a [GeneScore], hgnc_id: &str) -> &'a GeneScore {
    scores
        .iter()
        .find(|g| g.hgnc_id == hgnc_id)
        .unwrap_or_else(|| panic!("{hgnc_id} not scored"))
}

fn source<'a>(g: &'a GeneScore, name: &str) -> &'a SourceScore {
    g.sources
        .iter()
        .find(|s| s.source == name)
        .unwrap_or_else(|| panic!("{} has no {name}", g.hgnc_id))
}

#[test]
fn settings_come_from_sources_yaml() {
    let s = settings();
    assert_eq!(
        s.sources,
        [
            "panelapp",
            "literature",
            "diagnostic_panels",
            "hpo",
            "pubtator",
            "clingen",
            "gencc"
        ]
    );
    assert_eq!(s.weight("Definitive"), Some(1.0));
    assert_eq!(s.weight("LIMITED"), Some(0.3));
    assert_eq!(s.weight("Animal Model Only"), Some(0.1));
    assert_eq!(s.weight("Refuted Evidence"), Some(0.0));
    assert_eq!(s.weight("Probably"), None);
    assert_eq!(s.classic_thresholds.get("pubtator"), Some(&3.0));
    assert_eq!(s.classic_thresholds.len(), 5);
    assert_eq!(
        s.tiers.first().map(|t| t.name.as_str()),
        Some("comprehensive_support")
    );
    assert_eq!(s.default_tier, "no_evidence");
    assert_eq!(s.default_group, "insufficient");
}

#[test]
fn best_classification_is_the_highest_weight_whatever_the_order() {
    let s = settings();
    assert_eq!(
        s.best_classification(["Limited", "Definitive", "Moderate"]),
        Ok(Some("Definitive"))
    );
    assert_eq!(
        s.best_classification(["moderate", "Limited"]),
        Ok(Some("moderate"))
    );
    // Equal weights: alphabetical, so the order of curations never matters.
    assert_eq!(
        s.best_classification(["Refuted", "Disputed"]),
        Ok(Some("Disputed"))
    );
    assert_eq!(
        s.best_classification(["Disputed", "Refuted"]),
        Ok(Some("Disputed"))
    );
    assert_eq!(s.best_classification([]), Ok(None));
    assert_eq!(
        s.best_classification(["Strong", "Probably"]),
        Err("Probably")
    );
}

/// The golden evidence set: 13 genes (real HGNC IDs, invented evidence) across all seven
/// sources, with ties, a single-gene source, a measure-0 row, a Refuted-only gene and a
/// PubTator-only gene.
///
/// ```text
/// gene           panelapp literature diag_panels hpo pubtator clingen      gencc
/// HGNC:5     A1BG      .        .        .        .     2       .            .
/// HGNC:7     A2M       .        .        .        .     .     Refuted      Refuted Evidence
/// HGNC:618   APOL1     .        1        .        .    40     Limited        .
/// HGNC:2207  COL4A5    4       10        .        .    80     Definitive     .
/// HGNC:4883  CFH       0        .        .        .    15     Moderate       .
/// HGNC:7908  NPHS1     3        .        .        1     .     Strong         .
/// HGNC:8616  PAX2      2        .        .        .     .       .          No Known Disease Relationship
/// HGNC:9008  PKD1      5       10        .        2   120     Definitive   Definitive
/// HGNC:9009  PKD2      5        .        .        2    80     Definitive   Definitive
/// HGNC:11630 HNF1B     .        .        .        .     .     Strong       Moderate
/// HGNC:12559 UMOD      1        .        3        .     3       .            .
/// HGNC:12796 WT1       3        2        .        3     .       .          supportive
/// HGNC:13394 NPHS2     3        4        .        1     .       .          Strong
/// ```
///
/// Mid-rank percentiles, s = (average 1-based rank of the tie group, ascending) / n, over
/// the genes with measure > 0:
/// - panelapp, n = 8 (CFH's 0 is not ranked): UMOD 1 -> r 1 -> 1/8 = .125; PAX2 2 -> r 2 ->
///   .25; NPHS1, NPHS2, WT1 3 -> r (3+4+5)/3 = 4 -> .5; COL4A5 4 -> r 6 -> .75;
///   PKD1, PKD2 5 -> r (7+8)/2 = 7.5 -> .9375.
/// - literature, n = 5: APOL1 1 -> .2; WT1 2 -> .4; NPHS2 4 -> .6;
///   PKD1, COL4A5 10 -> r 4.5 -> .9.
/// - diagnostic_panels, n = 1: UMOD -> r 1 -> 1.
/// - hpo, n = 5: NPHS1, NPHS2 1 -> r 1.5 -> .3; PKD1, PKD2 2 -> r 3.5 -> .7; WT1 3 -> 1.
/// - pubtator, n = 7: A1BG 2 -> 1/7; UMOD 3 -> 2/7; CFH 15 -> 3/7; APOL1 40 -> 4/7;
///   PKD2, COL4A5 80 -> r 5.5 -> 11/14; PKD1 120 -> 1.
/// - clingen / gencc: weights Definitive 1, Strong .8, Moderate .6, Supportive .5,
///   Limited .3, Refuted / Refuted Evidence / No Known Disease Relationship 0.
///
/// percentage P = 100 * sum(s) / 7; sc = sources with s > 0; classic thresholds panelapp >= 1,
/// literature >= 2, diagnostic_panels >= 2, hpo >= 1, pubtator >= 3:
/// ```text
/// A1BG   1/7                        = 1/7     P = 100/49   =  2.0408 sc 1 minimal_evidence      emerging  classic 0 (pubtator 2 < 3)
/// A2M    0 + 0                      = 0       P = 0                  sc 0 no_evidence           insufficient classic 0; contradicting clingen, gencc
/// APOL1  .2 + 4/7 + .3              = 15/14   P = 750/49   = 15.3061 sc 3 preliminary_evidence  emerging  classic 1 (pubtator; literature 1 < 2)
/// COL4A5 .75 + .9 + 11/14 + 1       = 481/140 P = 2405/49  = 49.0816 sc 4 multi_source_support  well      classic 3 (P < 50: not comprehensive)
/// CFH    0 + 3/7 + .6               = 36/35   P = 720/49   = 14.6939 sc 2 preliminary_evidence  emerging  classic 1 (panelapp 0 < 1)
/// NPHS1  .5 + .3 + .8               = 8/5     P = 160/7    = 22.8571 sc 3 established_support   well      classic 2
/// PAX2   .25 + 0                    = 1/4     P = 25/7     =  3.5714 sc 1 minimal_evidence      emerging  classic 1; contradicting gencc
/// PKD1   .9375 + .9 + .7 + 1 + 1 + 1 = 443/80 P = 2215/28  = 79.1071 sc 6 comprehensive_support well      classic 4
/// PKD2   .9375 + .7 + 11/14 + 1 + 1 = 2477/560 P = 12385/196 = 63.1888 sc 5 comprehensive_support well   classic 3
/// HNF1B  .8 + .6                    = 7/5     P = 20 exactly        sc 2 established_support   well      classic 0 (P >= 20 inclusive)
/// UMOD   .125 + 1 + 2/7             = 79/56   P = 1975/98  = 20.1531 sc 3 established_support   well      classic 3 (pubtator 3 >= 3 inclusive)
/// WT1    .5 + .4 + 1 + .5           = 12/5    P = 240/7    = 34.2857 sc 4 established_support   well      classic 3 (P < 35: not multi_source)
/// NPHS2  .5 + .6 + .3 + .8          = 11/5    P = 220/7    = 31.4286 sc 4 established_support   well      classic 3
/// ```
fn golden_evidence() -> Vec<EvidenceRow> {
    vec![
        ev("HGNC:5", "pubtator", 2.0, None),
        ev("HGNC:7", "clingen", 1.0, Some("Refuted")),
        ev("HGNC:7", "gencc", 1.0, Some("Refuted Evidence")),
        ev("HGNC:618", "literature", 1.0, None),
        ev("HGNC:618", "pubtator", 40.0, None),
        ev("HGNC:618", "clingen", 1.0, Some("Limited")),
        ev("HGNC:2207", "panelapp", 4.0, None),
        ev("HGNC:2207", "literature", 10.0, None),
        ev("HGNC:2207", "pubtator", 80.0, None),
        ev("HGNC:2207", "clingen", 2.0, Some("Definitive")),
        ev("HGNC:4883", "panelapp", 0.0, None),
        ev("HGNC:4883", "pubtator", 15.0, None),
        ev("HGNC:4883", "clingen", 1.0, Some("Moderate")),
        ev("HGNC:7908", "panelapp", 3.0, None),
        ev("HGNC:7908", "hpo", 1.0, None),
        ev("HGNC:7908", "clingen", 1.0, Some("Strong")),
        ev("HGNC:8616", "panelapp", 2.0, None),
        ev(
            "HGNC:8616",
            "gencc",
            1.0,
            Some("No Known Disease Relationship"),
        ),
        ev("HGNC:9008", "panelapp", 5.0, None),
        ev("HGNC:9008", "literature", 10.0, None),
        ev("HGNC:9008", "hpo", 2.0, None),
        ev("HGNC:9008", "pubtator", 120.0, None),
        ev("HGNC:9008", "clingen", 3.0, Some("Definitive")),
        ev("HGNC:9008", "gencc", 4.0, Some("Definitive")),
        ev("HGNC:9009", "panelapp", 5.0, None),
        ev("HGNC:9009", "hpo", 2.0, None),
        ev("HGNC:9009", "pubtator", 80.0, None),
        ev("HGNC:9009", "clingen", 1.0, Some("Definitive")),
        ev("HGNC:9009", "gencc", 2.0, Some("Definitive")),
        ev("HGNC:11630", "clingen", 1.0, Some("Strong")),
        ev("HGNC:11630", "gencc", 1.0, Some("Moderate")),
        ev("HGNC:12559", "panelapp", 1.0, None),
        ev("HGNC:12559", "diagnostic_panels", 3.0, None),
        ev("HGNC:12559", "pubtator", 3.0, None),
        ev("HGNC:12796", "panelapp", 3.0, None),
        ev("HGNC:12796", "literature", 2.0, None),
        ev("HGNC:12796", "hpo", 3.0, None),
        ev("HGNC:12796", "gencc", 1.0, Some("supportive")),
        ev("HGNC:13394", "panelapp", 3.0, None),
        ev("HGNC:13394", "literature", 4.0, None),
        ev("HGNC:13394", "hpo", 1.0, None),
        ev("HGNC:13394", "gencc", 1.0, Some("Strong")),
    ]
}

#[test]
fn golden_set_matches_the_hand_worked_values() {
    let scores = score(&golden_evidence(), &settings()).unwrap();
    // (gene, percentage, source count, tier, group, classic count), in HGNC-number order.
    let expected: [(&str, f64, u32, &str, &str, u32); 13] = [
        (
            "HGNC:5",
            2.0408,
            1,
            "minimal_evidence",
            "emerging_evidence",
            0,
        ),
        ("HGNC:7", 0.0, 0, "no_evidence", "insufficient", 0),
        (
            "HGNC:618",
            15.3061,
            3,
            "preliminary_evidence",
            "emerging_evidence",
            1,
        ),
        (
            "HGNC:2207",
            49.0816,
            4,
            "multi_source_support",
            "well_supported",
            3,
        ),
        (
            "HGNC:4883",
            14.6939,
            2,
            "preliminary_evidence",
            "emerging_evidence",
            1,
        ),
        (
            "HGNC:7908",
            22.8571,
            3,
            "established_support",
            "well_supported",
            2,
        ),
        (
            "HGNC:8616",
            3.5714,
            1,
            "minimal_evidence",
            "emerging_evidence",
            1,
        ),
        (
            "HGNC:9008",
            79.1071,
            6,
            "comprehensive_support",
            "well_supported",
            4,
        ),
        (
            "HGNC:9009",
            63.1888,
            5,
            "comprehensive_support",
            "well_supported",
            3,
        ),
        (
            "HGNC:11630",
            20.0,
            2,
            "established_support",
            "well_supported",
            0,
        ),
        (
            "HGNC:12559",
            20.1531,
            3,
            "established_support",
            "well_supported",
            3,
        ),
        (
            "HGNC:12796",
            34.2857,
            4,
            "established_support",
            "well_supported",
            3,
        ),
        (
            "HGNC:13394",
            31.4286,
            4,
            "established_support",
            "well_supported",
            3,
        ),
    ];
    let got: Vec<(&str, f64, u32, &str, &str, u32)> = scores
        .iter()
        .map(|g| {
            (
                g.hgnc_id.as_str(),
                round4(g.percentage),
                g.source_count,
                g.tier.as_str(),
                g.group.as_str(),
                g.classic_count,
            )
        })
        .collect();
    assert_eq!(got, expected);

    // Exact fractions (not just the rounded figures).
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
    assert!(close(gene(&scores, "HGNC:2207").percentage, 2405.0 / 49.0));
    assert!(close(gene(&scores, "HGNC:11630").percentage, 20.0));

    // Per-source breakdown: ranks, n and s as worked out above.
    let pkd1 = gene(&scores, "HGNC:9008");
    let pa = source(pkd1, "panelapp");
    assert_eq!((pa.n, pa.rank, pa.s), (8, Some(7.5), 0.9375));
    assert!(close(pa.contribution, 100.0 * 0.9375 / 7.0));
    assert_eq!(pa.classic, Some(true));
    let lit = source(pkd1, "literature");
    assert_eq!((lit.n, lit.rank, lit.s), (5, Some(4.5), 0.9));
    let hpo = source(pkd1, "hpo");
    assert_eq!((hpo.n, hpo.rank, hpo.s), (5, Some(3.5), 0.7));
    let pub_ = source(pkd1, "pubtator");
    assert_eq!((pub_.n, pub_.rank, pub_.s), (7, Some(7.0), 1.0));
    let cg = source(pkd1, "clingen");
    assert_eq!(
        (cg.method, cg.n, cg.weight, cg.s, cg.classic),
        (Method::Classification, 8, Some(1.0), 1.0, None)
    );
    assert_eq!(source(pkd1, "gencc").n, 7);
    // Sources are listed in the configured order.
    let order: Vec<&str> = pkd1.sources.iter().map(|s| s.source.as_str()).collect();
    assert_eq!(
        order,
        [
            "panelapp",
            "literature",
            "hpo",
            "pubtator",
            "clingen",
            "gencc"
        ]
    );

    let nphs1 = gene(&scores, "HGNC:7908");
    assert_eq!(source(nphs1, "panelapp").rank, Some(4.0));
    assert_eq!(source(nphs1, "hpo").rank, Some(1.5));
    let col4a5 = gene(&scores, "HGNC:2207");
    assert_eq!(source(col4a5, "pubtator").rank, Some(5.5));
    assert!(close(source(col4a5, "pubtator").s, 11.0 / 14.0));
    // The single-gene source gives its gene s = 1.
    let umod = gene(&scores, "HGNC:12559");
    let dp = source(umod, "diagnostic_panels");
    assert_eq!(
        (dp.n, dp.rank, dp.s, dp.classic),
        (1, Some(1.0), 1.0, Some(true))
    );
    assert_eq!(source(umod, "panelapp").s, 0.125);
    // The gene at a source's minimum count still gets a positive score (the predecessor's
    // percent_rank gave it 0).
    assert!(close(
        source(gene(&scores, "HGNC:5"), "pubtator").s,
        1.0 / 7.0
    ));
    // A measure-0 row is shown but neither ranked nor supporting.
    let cfh_pa = source(gene(&scores, "HGNC:4883"), "panelapp");
    assert_eq!(
        (
            cfh_pa.n,
            cfh_pa.rank,
            cfh_pa.s,
            cfh_pa.supported,
            cfh_pa.classic
        ),
        (8, None, 0.0, false, Some(false))
    );
    // Case-insensitive classification, original text kept.
    let wt1_gencc = source(gene(&scores, "HGNC:12796"), "gencc");
    assert_eq!(
        (wt1_gencc.classification.as_deref(), wt1_gencc.weight),
        (Some("supportive"), Some(0.5))
    );
    // Weight-0 curations contradict; they do not support.
    let a2m = gene(&scores, "HGNC:7");
    assert_eq!(
        a2m.contradicting().collect::<Vec<_>>(),
        ["clingen", "gencc"]
    );
    assert!(a2m.sources.iter().all(|s| !s.supported));
    let pax2 = gene(&scores, "HGNC:8616");
    assert_eq!(pax2.contradicting().collect::<Vec<_>>(), ["gencc"]);
    assert!(!pkd1.sources.iter().any(|s| s.contradicting));
}

#[test]
fn golden_tsv_export() {
    let s = settings();
    let scores = score(&golden_evidence(), &s).unwrap();
    let tsv = to_tsv(&scores, &s);
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(lines.len(), 14);
    assert_eq!(
        lines[0],
        "hgnc_id\tpercentage\tsource_count\ttier\tgroup\tclassic_count\tcontradicting\t\
         panelapp_measure\tpanelapp_s\tliterature_measure\tliterature_s\t\
         diagnostic_panels_measure\tdiagnostic_panels_s\thpo_measure\thpo_s\t\
         pubtator_measure\tpubtator_s\tclingen_classification\tclingen_measure\tclingen_s\t\
         gencc_classification\tgencc_measure\tgencc_s"
    );
    assert_eq!(
        lines[2],
        "HGNC:7\t0.0000\t0\tno_evidence\tinsufficient\t0\tclingen,gencc\t\t\t\t\t\t\t\t\t\t\t\
         Refuted\t1\t0.0000\tRefuted Evidence\t1\t0.0000"
    );
    assert_eq!(
        lines[8],
        "HGNC:9008\t79.1071\t6\tcomprehensive_support\twell_supported\t4\t\t5\t0.9375\t10\t\
         0.9000\t\t\t2\t0.7000\t120\t1.0000\tDefinitive\t3\t1.0000\tDefinitive\t4\t1.0000"
    );
}

#[test]
fn row_order_does_not_matter() {
    let s = settings();
    let rows = golden_evidence();
    let mut reversed = rows.clone();
    reversed.reverse();
    let a = score(&rows, &s).unwrap();
    let b = score(&reversed, &s).unwrap();
    assert_eq!(a, b);
}

#[test]
fn classic_only_source_is_shown_but_not_counted() {
    let mut s = settings();
    s.sources.retain(|x| x != "pubtator");
    let scores = score(&golden_evidence(), &s).unwrap();
    // A1BG only has PubTator: still listed (classic flag), but scores 0 with N = 6.
    let a1bg = gene(&scores, "HGNC:5");
    let p = source(a1bg, "pubtator");
    assert!(!p.counted && p.contribution == 0.0 && p.classic == Some(false));
    assert_eq!((a1bg.percentage, a1bg.tier.as_str()), (0.0, "no_evidence"));
    // PKD1 without PubTator: (.9375 + .9 + .7 + 1 + 1) / 6 = 4.5375 / 6 = 75.625 %.
    let pkd1 = gene(&scores, "HGNC:9008");
    assert!((pkd1.percentage - 75.625).abs() < 1e-9);
    assert_eq!((pkd1.source_count, pkd1.classic_count), (5, 4));
    assert_eq!(source(pkd1, "pubtator").s, 1.0);
}

#[test]
fn bad_evidence_is_refused_with_a_clear_error() {
    let s = settings();
    let err = |rows: Vec<EvidenceRow>| score(&rows, &s).unwrap_err();
    assert!(matches!(
        err(vec![ev("HGNC:5", "panelapp_uk", 1.0, None)]),
        ScoreError::UnknownSource { .. }
    ));
    for bad in ["5", "HGNC:", "HGNC:05", "HGNC:5a", "hgnc:5"] {
        assert_eq!(
            err(vec![ev(bad, "hpo", 1.0, None)]),
            ScoreError::BadHgncId {
                hgnc_id: bad.into()
            }
        );
    }
    for m in [-1.0, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            err(vec![ev("HGNC:5", "hpo", m, None)]),
            ScoreError::BadMeasure { .. }
        ));
    }
    assert!(matches!(
        err(vec![
            ev("HGNC:5", "hpo", 1.0, None),
            ev("HGNC:5", "hpo", 2.0, None)
        ]),
        ScoreError::Duplicate { .. }
    ));
    assert!(matches!(
        err(vec![ev("HGNC:5", "clingen", 1.0, None)]),
        ScoreError::MissingClassification { .. }
    ));
    let e = err(vec![ev("HGNC:5", "gencc", 1.0, Some("Probable"))]);
    assert!(matches!(e, ScoreError::UnknownClassification { .. }));
    assert!(e.to_string().contains("Probable") && e.to_string().contains("HGNC:5"));
    assert_eq!(score(&[], &s).unwrap(), Vec::new());
}

/// Up to 40 genes x 7 sources; one row per (gene, source).
fn arb_evidence() -> impl Strategy<Value = Vec<EvidenceRow>> {
    let classes = [
        "Definitive",
        "Strong",
        "Moderate",
        "Supportive",
        "Limited",
        "Animal Model Only",
        "Disputed",
        "Refuted",
        "No Known Disease Relationship",
    ];
    proptest::collection::btree_map((1u32..40, 0usize..7), (0u32..30, 0usize..9), 0..120).prop_map(
        move |m| {
            m.into_iter()
                .map(|((g, src), (measure, c))| {
                    let source = SCORING_SOURCES[src];
                    let classification = (settings().method(source) == Method::Classification)
                        .then(|| classes[c].to_string());
                    ev(
                        &format!("HGNC:{g}"),
                        source,
                        measure as f64,
                        classification.as_deref(),
                    )
                })
                .collect()
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Adding a gene with a higher measure never raises another gene's percentile score.
    #[test]
    fn a_new_higher_gene_never_raises_others(
        measures in proptest::collection::vec(0u32..20, 1..30),
        new in 1u32..25,
        src in 0usize..5,
    ) {
        let s = settings();
        let source = SCORING_SOURCES[src];
        prop_assume!(settings().method(source) == Method::Percentile);
        let rows: Vec<EvidenceRow> = measures
            .iter()
            .enumerate()
            .map(|(i, m)| ev(&format!("HGNC:{}", i + 1), source, *m as f64, None))
            .collect();
        let before = score(&rows, &s).unwrap();
        let mut more = rows.clone();
        more.push(ev("HGNC:1000", source, new as f64, None));
        let after = score(&more, &s).unwrap();
        for (b, a) in before.iter().zip(&after) {
            prop_assert_eq!(&b.hgnc_id, &a.hgnc_id);
            let m = b.sources[0].measure;
            if m < new as f64 {
                prop_assert!(a.sources[0].s <= b.sources[0].s + 1e-12,
                    "{}: measure {} s {} -> {}", b.hgnc_id, m, b.sources[0].s, a.sources[0].s);
                prop_assert!(a.percentage <= b.percentage + 1e-9);
            }
        }
    }

    /// Percentages stay in 0..=100, add up from the contributions, and tiers and groups
    /// follow their thresholds (first match wins; percentage 0 gets the default).
    #[test]
    fn percentages_and_tiers_follow_the_rules(rows in arb_evidence()) {
        let s = settings();
        let scores = score(&rows, &s).unwrap();
        for g in &scores {
            prop_assert!((0.0..=100.0).contains(&g.percentage), "{}", g.percentage);
            let sum: f64 = g.sources.iter().map(|x| x.contribution).sum();
            prop_assert!((sum - g.percentage).abs() < 1e-9);
            for x in &g.sources {
                prop_assert!((0.0..=1.0).contains(&x.s));
                prop_assert_eq!(x.supported, x.s > 0.0);
                if x.method == Method::Percentile && x.measure > 0.0 {
                    prop_assert!(x.s > 0.0, "evidence with a positive measure scores > 0");
                }
            }
            let count = g.sources.iter().filter(|x| x.counted && x.s > 0.0).count() as u32;
            prop_assert_eq!(g.source_count, count);
            let p = round4(g.percentage);
            let holds = |t: &Threshold| p > 0.0 && g.source_count >= t.min_sources && p >= t.min_percentage;
            for (rules, got, default) in [
                (&s.tiers, &g.tier, &s.default_tier),
                (&s.groups, &g.group, &s.default_group),
            ] {
                match rules.iter().position(|t| &t.name == got) {
                    Some(i) => {
                        prop_assert!(holds(&rules[i]), "{} does not meet {}", g.hgnc_id, got);
                        prop_assert!(!rules[..i].iter().any(holds), "{}: earlier rule matched", g.hgnc_id);
                    }
                    None => {
                        prop_assert_eq!(got, default);
                        prop_assert!(!rules.iter().any(holds));
                    }
                }
            }
            if g.percentage == 0.0 {
                prop_assert_eq!(&g.tier, &s.default_tier);
            }
        }
    }
}
