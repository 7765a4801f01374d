//! A deterministic force-directed layout (Fruchterman–Reingold with a grid for the
//! repulsion and a weak pull to the centre), computed at build time so the network page
//! draws at once.
//!
//! Why a grid: all-pairs repulsion is O(n²) per step; with repulsion cut off at a few ideal
//! edge lengths each node only sees its neighbouring cells, and the whole layout of the
//! kidney network takes a few tens of milliseconds. Clusters start around their own centre
//! (a sunflower spiral, largest first) so they come out as groups.

use super::rng::SplitMix64;

#[derive(Debug, Clone, Copy)]
pub struct LayoutParams {
    pub seed: u64,
    pub iterations: usize,
}

/// Positions (x, y) of `n` nodes joined by `edges`; `group[v]` (a cluster, if any) places
/// the start positions.
pub fn layout(
    n: usize,
    edges: &[(usize, usize)],
    group: &[Option<usize>],
    p: LayoutParams,
) -> Vec<(f64, f64)> {
    if n == 0 {
        return Vec::new();
    }
    let mut rng = SplitMix64::new(p.seed);
    // Start: group centres on a sunflower spiral, spaced by the groups' sizes.
    let ngroups = group.iter().flatten().max().map_or(0, |m| m + 1);
    let mut size = vec![0usize; ngroups + 1];
    for g in group {
        size[g.unwrap_or(ngroups)] += 1;
    }
    let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
    let mut centre = vec![(0.0, 0.0); ngroups + 1];
    let mut area = 0.0;
    for (i, c) in centre.iter_mut().enumerate() {
        area += size[i] as f64;
        let r = area.sqrt() * 1.2;
        let a = i as f64 * golden;
        *c = (r * a.cos(), r * a.sin());
    }
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|v| {
            let g = group[v].unwrap_or(ngroups);
            let spread = (size[g] as f64).sqrt() * 0.5 + 0.5;
            let a = rng.next_f64() * std::f64::consts::TAU;
            let r = rng.next_f64().sqrt() * spread;
            (centre[g].0 + r * a.cos(), centre[g].1 + r * a.sin())
        })
        .collect();
    let k = 1.0f64; // ideal edge length
    let cutoff = 3.0 * k;
    let gravity = 0.02;
    let mut temp = (n as f64).sqrt() * 0.1 + 1.0;
    let cool = temp / (p.iterations.max(1) as f64 + 1.0);
    let mut disp = vec![(0.0f64, 0.0f64); n];
    // A counting-sort grid over the current bounding box: `order` holds the nodes cell by
    // cell, `start[c]..start[c + 1]` those of cell c.
    let mut order = vec![0usize; n];
    let mut cell_of = vec![0usize; n];
    let mut start: Vec<usize> = Vec::new();
    for _ in 0..p.iterations {
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(x, y) in &pos {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        let w = ((x1 - x0) / cutoff).floor() as usize + 1;
        let h = ((y1 - y0) / cutoff).floor() as usize + 1;
        let cx_of = |x: f64| ((x - x0) / cutoff).floor() as usize;
        let cy_of = |y: f64| ((y - y0) / cutoff).floor() as usize;
        start.clear();
        start.resize(w * h + 1, 0);
        for (v, &(x, y)) in pos.iter().enumerate() {
            let c = cy_of(y).min(h - 1) * w + cx_of(x).min(w - 1);
            cell_of[v] = c;
            start[c + 1] += 1;
        }
        for c in 0..w * h {
            start[c + 1] += start[c];
        }
        let mut fill = start.clone();
        for v in 0..n {
            order[fill[cell_of[v]]] = v;
            fill[cell_of[v]] += 1;
        }
        for d in disp.iter_mut() {
            *d = (0.0, 0.0);
        }
        for v in 0..n {
            let (x, y) = pos[v];
            let (cx, cy) = (cell_of[v] % w, cell_of[v] / w);
            for gy in cy.saturating_sub(1)..=(cy + 1).min(h - 1) {
                for gx in cx.saturating_sub(1)..=(cx + 1).min(w - 1) {
                    let c = gy * w + gx;
                    for &u in &order[start[c]..start[c + 1]] {
                        if u == v {
                            continue;
                        }
                        let (ex, ey) = (x - pos[u].0, y - pos[u].1);
                        let d2 = (ex * ex + ey * ey).max(1e-4);
                        if d2 > cutoff * cutoff {
                            continue;
                        }
                        let f = k * k / d2; // (k²/d) / d: scales the unit vector
                        disp[v].0 += ex * f;
                        disp[v].1 += ey * f;
                    }
                }
            }
            disp[v].0 -= gravity * x;
            disp[v].1 -= gravity * y;
        }
        for &(a, b) in edges {
            let (ex, ey) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let d = (ex * ex + ey * ey).sqrt().max(1e-3);
            let f = d / k; // (d²/k) / d
            disp[a].0 -= ex * f;
            disp[a].1 -= ey * f;
            disp[b].0 += ex * f;
            disp[b].1 += ey * f;
        }
        for v in 0..n {
            let (dx, dy) = disp[v];
            let len = (dx * dx + dy * dy).sqrt();
            if len > 0.0 {
                let step = len.min(temp) / len;
                pos[v].0 += dx * step;
                pos[v].1 += dy * step;
            }
        }
        temp = (temp - cool).max(0.01);
    }
    pos.into_iter()
        .map(|(x, y)| ((x * 100.0).round() / 100.0, (y * 100.0).round() / 100.0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_finite_and_edges_shorter_than_non_edges() {
        // Two 4-cycles apart.
        let edges = [
            (0, 1),
            (1, 2),
            (2, 3),
            (3, 0),
            (4, 5),
            (5, 6),
            (6, 7),
            (7, 4),
        ];
        let group = [
            Some(0),
            Some(0),
            Some(0),
            Some(0),
            Some(1),
            Some(1),
            Some(1),
            Some(1),
        ];
        let p = LayoutParams {
            seed: 42,
            iterations: 200,
        };
        let a = layout(8, &edges, &group, p);
        assert_eq!(a, layout(8, &edges, &group, p));
        assert!(a.iter().all(|(x, y)| x.is_finite() && y.is_finite()));
        let d = |i: usize, j: usize| ((a[i].0 - a[j].0).powi(2) + (a[i].1 - a[j].1).powi(2)).sqrt();
        let mean_edge = edges.iter().map(|&(i, j)| d(i, j)).sum::<f64>() / 8.0;
        let across = (0..4).flat_map(|i| (4..8).map(move |j| (i, j)));
        let mean_across = across.clone().map(|(i, j)| d(i, j)).sum::<f64>() / 16.0;
        assert!(mean_edge < mean_across, "{mean_edge} vs {mean_across}");
    }
}
