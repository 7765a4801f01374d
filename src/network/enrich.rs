//! Over-representation of gene-set terms in a gene list: one-sided Fisher exact test
//! (hypergeometric upper tail) and Benjamini–Hochberg FDR.
//!
//! Why here and in log space: the cluster tables are computed at build time (no server, no
//! Enrichr calls), and tail probabilities of large terms reach 1e-300 and below; summing
//! the upper tail from log-probabilities (log-factorials from a table) keeps full relative
//! accuracy. `scripts/check_enrichment.py` recomputes a build's tables with scipy and
//! statsmodels.

/// ln(n!) for n = 0..=max, summed exactly in order (so every value is reproducible).
#[derive(Debug, Clone)]
pub struct LogFactorials(Vec<f64>);

impl LogFactorials {
    pub fn new(max: usize) -> Self {
        let mut v = Vec::with_capacity(max + 1);
        v.push(0.0);
        let mut acc = 0.0f64;
        for i in 1..=max {
            acc += (i as f64).ln();
            v.push(acc);
        }
        LogFactorials(v)
    }

    fn ln_choose(&self, n: usize, k: usize) -> f64 {
        self.0[n] - self.0[k] - self.0[n - k]
    }

    /// ln P(X = x) for X ~ Hypergeometric(population `big_n`, successes `big_k`, draws `n`).
    fn ln_pmf(&self, x: usize, big_n: usize, big_k: usize, n: usize) -> f64 {
        self.ln_choose(big_k, x) + self.ln_choose(big_n - big_k, n - x) - self.ln_choose(big_n, n)
    }

    /// P(X ≥ k): the one-sided (greater) Fisher exact p-value of the 2×2 table
    /// [[k, n−k], [K−k, N−n−K+k]].
    pub fn upper_tail(&self, k: usize, big_n: usize, big_k: usize, n: usize) -> f64 {
        let lo = k.max((n + big_k).saturating_sub(big_n));
        let hi = n.min(big_k);
        if lo > hi {
            return 0.0;
        }
        let logs: Vec<f64> = (lo..=hi).map(|x| self.ln_pmf(x, big_n, big_k, n)).collect();
        let max = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let sum: f64 = logs.iter().map(|l| (l - max).exp()).sum();
        (max + sum.ln()).exp().min(1.0)
    }
}

/// The sample odds ratio (a·d)/(b·c) of the table, as scipy's `fisher_exact` reports it,
/// capped at [`OR_CAP`] (also when b·c = 0).
pub fn odds_ratio(k: usize, big_n: usize, big_k: usize, n: usize) -> f64 {
    let a = k as f64;
    let b = (n - k) as f64;
    let c = (big_k - k) as f64;
    let d = (big_n + k - n - big_k) as f64;
    if b * c == 0.0 {
        return if a * d == 0.0 { 0.0 } else { OR_CAP };
    }
    (a * d / (b * c)).min(OR_CAP)
}

/// The largest odds ratio reported (the predecessor's cap).
pub const OR_CAP: f64 = 1000.0;

/// Benjamini–Hochberg adjusted p-values (statsmodels `fdr_bh`), in the input order.
pub fn bh(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]).then(a.cmp(&b)));
    let mut out = vec![0.0; m];
    let mut running = 1.0f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        let q = p[i] * m as f64 / (rank + 1) as f64;
        running = running.min(q);
        out[i] = running.min(1.0);
    }
    out
}

/// One tested term.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TermResult {
    /// Index of the term in its library.
    #[serde(skip)]
    pub term: usize,
    pub k: usize,
    pub n: usize,
    #[serde(rename = "K")]
    pub big_k: usize,
    #[serde(rename = "N")]
    pub big_n: usize,
    pub odds_ratio: f64,
    pub p: f64,
    pub fdr: f64,
}

/// A gene-set library restricted to a background: term → sorted member indices (genes are
/// numbered 0..background size by the caller).
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub terms: Vec<Vec<usize>>,
    /// Per gene: whether it has at least one term (the background is these genes).
    pub annotated: Vec<bool>,
    /// N: number of annotated genes.
    pub background: usize,
    /// Per gene: its terms.
    pub of_gene: Vec<Vec<usize>>,
}

impl Library {
    /// `members[t]` are gene indices below `genes`.
    pub fn new(genes: usize, members: Vec<Vec<usize>>) -> Library {
        let mut of_gene = vec![Vec::new(); genes];
        let mut terms = Vec::with_capacity(members.len());
        for (t, mut m) in members.into_iter().enumerate() {
            m.sort_unstable();
            m.dedup();
            for &g in &m {
                of_gene[g].push(t);
            }
            terms.push(m);
        }
        let annotated: Vec<bool> = of_gene.iter().map(|t| !t.is_empty()).collect();
        let background = annotated.iter().filter(|&&a| a).count();
        Library {
            terms,
            annotated,
            background,
            of_gene,
        }
    }

    /// Test every term sharing at least one gene with `list` (gene indices); BH over those
    /// terms. Sorted by p, then term index.
    pub fn enrich(&self, list: &[usize], lf: &LogFactorials) -> Vec<TermResult> {
        let mut genes: Vec<usize> = list
            .iter()
            .copied()
            .filter(|&g| self.annotated[g])
            .collect();
        genes.sort_unstable();
        genes.dedup();
        let n = genes.len();
        if n == 0 {
            return Vec::new();
        }
        let mut k_of: std::collections::BTreeMap<usize, usize> = Default::default();
        for &g in &genes {
            for &t in &self.of_gene[g] {
                *k_of.entry(t).or_default() += 1;
            }
        }
        let big_n = self.background;
        let mut out: Vec<TermResult> = k_of
            .into_iter()
            .map(|(t, k)| {
                let big_k = self.terms[t].len();
                TermResult {
                    term: t,
                    k,
                    n,
                    big_k,
                    big_n,
                    odds_ratio: odds_ratio(k, big_n, big_k, n),
                    p: lf.upper_tail(k, big_n, big_k, n),
                    fdr: 0.0,
                }
            })
            .collect();
        let q = bh(&out.iter().map(|r| r.p).collect::<Vec<_>>());
        for (r, q) in out.iter_mut().zip(q) {
            r.fdr = q;
        }
        out.sort_by(|a, b| a.p.total_cmp(&b.p).then(a.term.cmp(&b.term)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1e-300)
    }

    #[test]
    fn hypergeometric_tail_matches_direct_sums() {
        let lf = LogFactorials::new(100);
        // N=20, K=5, n=4: P(X>=2) = sum_{x=2}^{4} C(5,x)C(15,4-x)/C(20,4)
        let c = |n: u64, k: u64| -> f64 {
            (0..k).fold(1.0, |a, i| a * (n - i) as f64 / (i + 1) as f64)
        };
        let want = (2..=4).map(|x| c(5, x) * c(15, 4 - x)).sum::<f64>() / c(20, 4);
        assert!(
            close(lf.upper_tail(2, 20, 5, 4), want),
            "{}",
            lf.upper_tail(2, 20, 5, 4)
        );
        assert_eq!(lf.upper_tail(0, 20, 5, 4), 1.0);
        assert!(lf.upper_tail(5, 20, 5, 4) == 0.0);
        // scipy.stats.fisher_exact([[3, 1], [1, 3]], alternative='greater') = 0.24285714285714283
        let lf8 = LogFactorials::new(8);
        assert!(close(lf8.upper_tail(3, 8, 4, 4), 0.24285714285714283));
        assert_eq!(odds_ratio(3, 8, 4, 4), 9.0);
    }

    #[test]
    fn tiny_tails_keep_their_precision() {
        let lf = LogFactorials::new(5000);
        // All 50 members of a 50-gene term drawn in 50 from 5000: 1 / C(5000, 50).
        let p = lf.upper_tail(50, 5000, 50, 50);
        let ln_c: f64 = (0..50)
            .map(|i| ((5000 - i) as f64 / (i + 1) as f64).ln())
            .sum();
        assert!(p > 0.0 && (p.ln() + ln_c).abs() < 1e-9, "{p}");
    }

    #[test]
    fn benjamini_hochberg_as_statsmodels() {
        // statsmodels multipletests([0.01, 0.04, 0.03, 0.2], method='fdr_bh')[1]
        // = [0.04, 0.05333333, 0.05333333, 0.2]
        let q = bh(&[0.01, 0.04, 0.03, 0.2]);
        let want = [0.04, 0.16 / 3.0, 0.16 / 3.0, 0.2];
        for (a, b) in q.iter().zip(want) {
            assert!((a - b).abs() < 1e-15, "{q:?}");
        }
        assert!(bh(&[]).is_empty());
    }

    #[test]
    fn a_library_tests_only_overlapping_terms() {
        // 6 genes; term 0 = {0,1,2}, term 1 = {3,4}, gene 5 unannotated.
        let lib = Library::new(6, vec![vec![0, 1, 2], vec![4, 3]]);
        assert_eq!(lib.background, 5);
        let lf = LogFactorials::new(10);
        let r = lib.enrich(&[0, 1, 5], &lf);
        assert_eq!(r.len(), 1);
        assert_eq!(
            (r[0].term, r[0].k, r[0].n, r[0].big_k, r[0].big_n),
            (0, 2, 2, 3, 5)
        );
        // P(X>=2), N=5, K=3, n=2 = C(3,2)/C(5,2) = 0.3
        assert!(close(r[0].p, 0.3));
        assert!(close(r[0].fdr, 0.3));
    }
}
