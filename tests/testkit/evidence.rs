//! A synthetic but realistic evidence set for the scoring benchmark and the determinism test
//! (a fixed-seed generator: no real facts, no randomness between runs).
//!
//! Why here and not in `src/`: it is test data, not part of the library. Dev-only targets
//! include it with `#[path = "…/tests/testkit/evidence.rs"] mod …;` (`benches/score.rs`,
//! `tests/it`).

use kgdb::score::EvidenceRow;

/// SplitMix64: small, deterministic, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const SOURCES: [&str; 7] = [
    "panelapp",
    "literature",
    "diagnostic_panels",
    "hpo",
    "pubtator",
    "clingen",
    "gencc",
];

/// The share (per mille) of genes each source covers: PubTator the most, ClinGen the fewest.
const COVER: [u64; 7] = [550, 250, 450, 400, 900, 100, 250];

const CLASSIFICATIONS: [&str; 10] = [
    "Definitive",
    "Strong",
    "Moderate",
    "Supportive",
    "Limited",
    "Animal Model Only",
    "Disputed Evidence",
    "Refuted Evidence",
    "No Known Disease Relationship",
    "Definitive",
];

/// About three evidence rows per gene (5,000 genes give about 14,500 rows) over `genes` genes with scattered HGNC numbers;
/// counts are heavy-tailed (many genes at 1, few with hundreds of PMIDs), so ties abound.
pub fn synthetic_evidence(genes: u32, seed: u64) -> Vec<EvidenceRow> {
    let mut rng = Rng(seed);
    let mut rows = Vec::with_capacity(genes as usize * 3);
    let mut num = 0u64;
    for _ in 0..genes {
        num += 1 + rng.below(9);
        let mut any = false;
        for (i, source) in SOURCES.iter().enumerate() {
            if rng.below(1000) >= COVER[i] {
                continue;
            }
            any = true;
            let (measure, classification) = if i >= 5 {
                let c = CLASSIFICATIONS[rng.below(CLASSIFICATIONS.len() as u64) as usize];
                ((1 + rng.below(3)) as f64, Some(c.to_string()))
            } else {
                // Roughly log-uniform in 1..2^bits: many small counts, a few large ones.
                let bits = if *source == "pubtator" { 9 } else { 4 };
                let m = 1u64 << rng.below(bits);
                ((m + rng.below(m)) as f64, None)
            };
            rows.push(EvidenceRow {
                hgnc_id: format!("HGNC:{num}"),
                source: source.to_string(),
                measure,
                classification,
            });
        }
        if !any {
            rows.push(EvidenceRow {
                hgnc_id: format!("HGNC:{num}"),
                source: "pubtator".into(),
                measure: 1.0,
                classification: None,
            });
        }
    }
    rows
}
