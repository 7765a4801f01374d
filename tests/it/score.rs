//! Scoring end to end on the real data through the mirror: fetch every source, normalize,
//! score; check well-known kidney genes and determinism.

use kgdb::registry::Registry;
use kgdb::score::{ScoringSettings, score, to_json, to_tsv};

use crate::support::*;
use crate::testkit_evidence::synthetic_evidence;

/// The settings of the repository's `sources.yaml`.
fn settings() -> ScoringSettings {
    let registry = Registry::load(&repo().join("sources.yaml")).expect("sources.yaml is valid");
    registry.scoring_settings()
}

/// The repository config with every per-host rate limit raised (the mirror is local).
fn unthrottled() -> String {
    let mut out = String::new();
    for line in fast_config().lines() {
        if let Some(i) = line.find("requests_per_second:") {
            out.push_str(&line[..i]);
            out.push_str("requests_per_second: 1000");
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

#[test]
fn real_data_scores_known_kidney_genes_and_is_deterministic() {
    let m = MirrorServer::start(&[]);
    let w = Workdir::with_config(&unthrottled());
    let out = w.kgdb(&["--mirror", &m.url, "fetch"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = w.kgdb(&["normalize"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = w.kgdb(&["score"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("scored "), "{}", stdout(&out));

    let strong = [
        "comprehensive_support",
        "multi_source_support",
        "established_support",
    ];
    for symbol in [
        "PKD1", "PKD2", "COL4A3", "COL4A4", "COL4A5", "NPHS1", "NPHS2", "UMOD", "HNF1B",
    ] {
        let (tier, classic, pct): (String, i64, f64) = w
            .db()
            .query_row(
                "SELECT s.tier, s.classic_count, s.percentage FROM scores s
                 JOIN hgnc h ON h.hgnc_id = s.hgnc_id WHERE h.symbol = ?1",
                [symbol],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap_or_else(|e| panic!("{symbol} not scored: {e}"));
        assert!(classic >= 2, "{symbol}: classic count {classic}");
        assert!(
            strong.contains(&tier.as_str()),
            "{symbol}: tier {tier} ({pct:.1} %)"
        );
    }

    // A gene whose only evidence is one PubTator article stays minimal.
    let single: Option<String> = w
        .db()
        .query_row(
            "SELECT e.hgnc_id FROM evidence e
             WHERE e.source = 'pubtator' AND e.measure = 1
               AND (SELECT count(*) FROM evidence x WHERE x.hgnc_id = e.hgnc_id) = 1
             ORDER BY e.hgnc_id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .ok();
    let single = single.expect("the real PubTator pages have genes seen in one article only");
    let tier: String = w
        .db()
        .query_row(
            "SELECT tier FROM scores WHERE hgnc_id = ?1",
            [&single],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tier, "minimal_evidence", "{single}");

    // `kgdb gene` explains the score.
    let out = w.kgdb(&["gene", "PKD1"]);
    let text = stdout(&out);
    assert!(text.contains("score breakdown"), "{text}");
    assert!(
        text.contains("clingen") && text.contains("Definitive (1)"),
        "{text}"
    );
    assert!(text.contains("classic evidence count"), "{text}");

    // Same database, byte-identical export.
    let first = std::fs::read(w.data().join("scores.tsv")).unwrap();
    let out = w.kgdb(&["score"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let second = std::fs::read(w.data().join("scores.tsv")).unwrap();
    assert!(
        first == second,
        "scores.tsv differs between two runs on the same database"
    );
}

#[test]
fn score_without_normalized_rows_is_a_clear_error() {
    let w = Workdir::new();
    let out = w.kgdb(&["score"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("kgdb fetch") && stderr(&out).contains("kgdb normalize"),
        "{}",
        stderr(&out)
    );
}

/// Scoring is pure: the same synthetic rows (5,000-gene generator of the score bench) in
/// another order give byte-identical exports.
#[test]
fn exports_are_byte_identical_across_runs() {
    let s = settings();
    let rows = synthetic_evidence(2_000, 7);
    let a = score(&rows, &s).unwrap();
    let mut shuffled = rows.clone();
    // A fixed permutation: interleave from both ends.
    let n = shuffled.len();
    shuffled = (0..n)
        .map(|i| rows[if i % 2 == 0 { i / 2 } else { n - 1 - i / 2 }].clone())
        .collect();
    let b = score(&shuffled, &s).unwrap();
    assert_eq!(to_tsv(&a, &s), to_tsv(&b, &s));
    assert_eq!(to_json(&a), to_json(&b));
    let c = score(&rows, &s).unwrap();
    assert_eq!(to_json(&a).as_bytes(), to_json(&c).as_bytes());
    // Sorted by HGNC number, every gene once.
    assert!(a.windows(2).all(|w| w[0].hgnc_num < w[1].hgnc_num));
    assert_eq!(a.len(), 2_000);
}
