//! Leiden community detection (Traag, Waltman & van Eck 2019) maximising modularity with a
//! resolution parameter, deterministic for a given seed.
//!
//! Why our own: the kidney network is small (a few thousand nodes), the algorithm is a few
//! hundred lines, and a crate would bring its own random numbers (results must not change
//! with a dependency update). Phases per iteration, as in the paper: fast local moving of
//! nodes, refinement of every community into well-connected sub-communities, aggregation of
//! the refined partition (the aggregate starts from the unrefined one). The refinement picks
//! the best merge (the paper's randomness θ → 0), so the seed only orders the node visits.

use super::rng::SplitMix64;

/// An undirected weighted graph in adjacency-list form (self-loops allowed after
/// aggregation; a self-loop's weight is counted once in `adj` and twice in the strength).
#[derive(Debug, Clone)]
pub struct Graph {
    pub adj: Vec<Vec<(usize, f64)>>,
    /// Strength (weighted degree) of each node, self-loops counted twice.
    pub strength: Vec<f64>,
    /// Sum of all strengths (2m).
    pub total: f64,
}

impl Graph {
    /// From an edge list (each undirected edge once, `a != b`).
    pub fn from_edges(n: usize, edges: &[(usize, usize, f64)]) -> Graph {
        let mut adj = vec![Vec::new(); n];
        for &(a, b, w) in edges {
            adj[a].push((b, w));
            adj[b].push((a, w));
        }
        Self::with_adj(adj)
    }

    fn with_adj(adj: Vec<Vec<(usize, f64)>>) -> Graph {
        let strength: Vec<f64> = adj
            .iter()
            .enumerate()
            .map(|(i, l)| {
                l.iter()
                    .map(|&(j, w)| if i == j { 2.0 * w } else { w })
                    .sum()
            })
            .collect();
        let total = strength.iter().sum();
        Graph {
            adj,
            strength,
            total,
        }
    }

    pub fn len(&self) -> usize {
        self.adj.len()
    }

    pub fn is_empty(&self) -> bool {
        self.adj.is_empty()
    }
}

/// Leiden parameters.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    pub resolution: f64,
    pub seed: u64,
    /// Maximum number of iterations of the whole algorithm (it also stops when an
    /// iteration changes nothing).
    pub iterations: usize,
}

/// Community of every node, numbered 0.. by decreasing size (ties: smallest node first).
pub fn leiden(g: &Graph, p: Params) -> Vec<usize> {
    let n = g.len();
    if n == 0 || g.total <= 0.0 {
        return (0..n).collect();
    }
    let mut rng = SplitMix64::new(p.seed);
    let mut membership: Vec<usize> = (0..n).collect();
    for _ in 0..p.iterations.max(1) {
        let before = membership.clone();
        membership = one_iteration(g, membership, p.resolution, &mut rng);
        if renumber(&membership) == renumber(&before) {
            break;
        }
    }
    renumber(&membership)
}

/// One Leiden iteration from a starting partition of `g`'s nodes.
fn one_iteration(g: &Graph, start: Vec<usize>, gamma: f64, rng: &mut SplitMix64) -> Vec<usize> {
    // `node_of[v]`: the aggregate node original node v is in; `level` is the current graph.
    let mut node_of: Vec<usize> = (0..g.len()).collect();
    let mut level = g.clone();
    let mut part = start;
    loop {
        move_nodes_fast(&level, &mut part, gamma, rng);
        let communities = compact(&mut part);
        if communities == level.len() {
            break;
        }
        let refined = refine(&level, &part, gamma, rng);
        let (refined, m) = compact_owned(refined);
        // Aggregate: one node per refined community; its initial community is that of P.
        let mut next_part = vec![0; m];
        for v in 0..level.len() {
            next_part[refined[v]] = part[v];
        }
        let agg = aggregate(&level, &refined, m);
        for x in node_of.iter_mut() {
            *x = refined[*x];
        }
        if m == level.len() {
            // Refinement merged nothing: aggregation would not shrink the graph.
            part = next_part;
            break;
        }
        level = agg;
        part = next_part;
    }
    node_of.iter().map(|&a| part[a]).collect()
}

/// Fast local moving: visit nodes from a queue, move each to the neighbouring community
/// with the best modularity gain, re-queue neighbours outside the new community.
fn move_nodes_fast(g: &Graph, part: &mut [usize], gamma: f64, rng: &mut SplitMix64) {
    let n = g.len();
    let mut tot = vec![0.0; n.max(part.iter().max().map_or(0, |m| m + 1))];
    let mut size = vec![0usize; tot.len()];
    for v in 0..n {
        tot[part[v]] += g.strength[v];
        size[part[v]] += 1;
    }
    let mut order: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut order);
    let mut queue: std::collections::VecDeque<usize> = order.into_iter().collect();
    let mut queued = vec![true; n];
    let mut w_to = vec![0.0; tot.len()];
    let mut touched: Vec<usize> = Vec::new();
    let mut empty: Vec<usize> = (0..tot.len()).filter(|&c| size[c] == 0).collect();
    let m2 = g.total;
    while let Some(v) = queue.pop_front() {
        queued[v] = false;
        let cv = part[v];
        let kv = g.strength[v];
        for &(u, w) in &g.adj[v] {
            if u == v {
                continue;
            }
            let c = part[u];
            if w_to[c] == 0.0 {
                touched.push(c);
            }
            w_to[c] += w;
        }
        tot[cv] -= kv;
        size[cv] -= 1;
        if size[cv] == 0 {
            empty.push(cv);
        }
        // Gain of joining c (up to a constant): w(v,c) - gamma * kv * tot_c / 2m.
        let gain = |c: usize, w: f64, tot: &[f64]| w - gamma * kv * tot[c] / m2;
        let mut best = cv;
        let mut best_gain = gain(cv, w_to[cv], &tot);
        for &c in &touched {
            let gc = gain(c, w_to[c], &tot);
            if gc > best_gain + 1e-12 {
                best = c;
                best_gain = gc;
            }
        }
        if best_gain < -1e-12 {
            // Alone in an empty community is better (gain 0).
            if let Some(&e) = empty.last() {
                best = e;
            }
        }
        if size[best] == 0 {
            empty.retain(|&e| e != best);
        }
        tot[best] += kv;
        size[best] += 1;
        if best != cv {
            part[v] = best;
            for &(u, _) in &g.adj[v] {
                if !queued[u] && part[u] != best {
                    queued[u] = true;
                    queue.push_back(u);
                }
            }
        }
        for &c in &touched {
            w_to[c] = 0.0;
        }
        touched.clear();
    }
}

/// Refinement: inside every community of `part`, start from singletons and merge
/// well-connected singletons into the well-connected sub-community with the best gain.
fn refine(g: &Graph, part: &[usize], gamma: f64, rng: &mut SplitMix64) -> Vec<usize> {
    let n = g.len();
    let m2 = g.total;
    let ncom = part.iter().max().map_or(0, |m| m + 1);
    let mut com_tot = vec![0.0; ncom];
    for v in 0..n {
        com_tot[part[v]] += g.strength[v];
    }
    let mut refined: Vec<usize> = (0..n).collect();
    let mut r_tot: Vec<f64> = g.strength.clone();
    let mut r_size = vec![1usize; n];
    // w(S, C - S) for every refined community S, initially w(v, C - v).
    let mut r_ext: Vec<f64> = (0..n)
        .map(|v| {
            g.adj[v]
                .iter()
                .filter(|&&(u, _)| u != v && part[u] == part[v])
                .map(|&(_, w)| w)
                .sum()
        })
        .collect();
    let mut order: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut order);
    let mut w_to = vec![0.0; n];
    let mut touched = Vec::new();
    for &v in &order {
        if r_size[refined[v]] != 1 {
            continue;
        }
        let c = part[v];
        let kv = g.strength[v];
        // v must be well connected to its community.
        if r_ext[v] < gamma * kv * (com_tot[c] - kv) / m2 - 1e-12 {
            continue;
        }
        for &(u, w) in &g.adj[v] {
            if u == v || part[u] != c {
                continue;
            }
            let s = refined[u];
            if w_to[s] == 0.0 {
                touched.push(s);
            }
            w_to[s] += w;
        }
        let mut best = refined[v];
        let mut best_gain = 0.0;
        for &s in &touched {
            if s == refined[v] {
                continue;
            }
            // S must be well connected to its community.
            if r_ext[s] < gamma * r_tot[s] * (com_tot[c] - r_tot[s]) / m2 - 1e-12 {
                continue;
            }
            let gain = w_to[s] - gamma * kv * r_tot[s] / m2;
            if gain > best_gain + 1e-12 {
                best = s;
                best_gain = gain;
            }
        }
        if best != refined[v] {
            let old = refined[v];
            r_size[old] = 0;
            r_tot[old] = 0.0;
            // w(S+v, C-S-v) = w(S, C-S) + w(v, C-v) - 2 w(v, S).
            r_ext[best] = r_ext[best] + r_ext[v] - 2.0 * w_to[best];
            r_tot[best] += kv;
            r_size[best] += 1;
            refined[v] = best;
        }
        for &s in &touched {
            w_to[s] = 0.0;
        }
        touched.clear();
    }
    refined
}

/// The graph of communities: summed edge weights, internal weight as a self-loop.
fn aggregate(g: &Graph, membership: &[usize], m: usize) -> Graph {
    let mut maps: Vec<std::collections::BTreeMap<usize, f64>> =
        vec![std::collections::BTreeMap::new(); m];
    for v in 0..g.len() {
        let a = membership[v];
        for &(u, w) in &g.adj[v] {
            let b = membership[u];
            if u == v {
                *maps[a].entry(a).or_default() += w;
            } else if a == b {
                // Each internal edge is seen from both ends: half each, one self-loop.
                *maps[a].entry(a).or_default() += w / 2.0;
            } else {
                *maps[a].entry(b).or_default() += w;
            }
        }
    }
    let adj = maps.into_iter().map(|m| m.into_iter().collect()).collect();
    Graph::with_adj(adj)
}

/// Renumber `part` to 0..k in order of first appearance; returns k.
fn compact(part: &mut [usize]) -> usize {
    let mut map = std::collections::HashMap::new();
    for c in part.iter_mut() {
        let next = map.len();
        *c = *map.entry(*c).or_insert(next);
    }
    map.len()
}

fn compact_owned(mut part: Vec<usize>) -> (Vec<usize>, usize) {
    let k = compact(&mut part);
    (part, k)
}

/// Number communities by decreasing size, ties by their smallest node.
pub fn renumber(part: &[usize]) -> Vec<usize> {
    let mut members: std::collections::BTreeMap<usize, (usize, usize)> = Default::default();
    for (v, &c) in part.iter().enumerate() {
        let e = members.entry(c).or_insert((0, v));
        e.0 += 1;
    }
    let mut order: Vec<(usize, usize, usize)> = members
        .into_iter()
        .map(|(c, (s, first))| (c, s, first))
        .collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    let mut map = std::collections::HashMap::new();
    for (i, (c, _, _)) in order.into_iter().enumerate() {
        map.insert(c, i);
    }
    part.iter().map(|c| map[c]).collect()
}

/// Modularity of a partition at resolution `gamma`.
pub fn modularity(g: &Graph, part: &[usize], gamma: f64) -> f64 {
    if g.total <= 0.0 {
        return 0.0;
    }
    let k = part.iter().max().map_or(0, |m| m + 1);
    let mut inside = vec![0.0; k];
    let mut tot = vec![0.0; k];
    for v in 0..g.len() {
        tot[part[v]] += g.strength[v];
        for &(u, w) in &g.adj[v] {
            if part[u] == part[v] {
                inside[part[v]] += if u == v { 2.0 * w } else { w };
            }
        }
    }
    (0..k)
        .map(|c| inside[c] / g.total - gamma * (tot[c] / g.total).powi(2))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two 5-cliques joined by one edge, plus a separate triangle.
    fn cliques() -> Graph {
        let mut e = Vec::new();
        for base in [0, 5] {
            for i in 0..5 {
                for j in i + 1..5 {
                    e.push((base + i, base + j, 1.0));
                }
            }
        }
        e.push((4, 5, 1.0));
        e.extend([(10, 11, 1.0), (11, 12, 1.0), (10, 12, 1.0)]);
        Graph::from_edges(13, &e)
    }

    fn params(seed: u64) -> Params {
        Params {
            resolution: 1.0,
            seed,
            iterations: 10,
        }
    }

    #[test]
    fn finds_the_cliques_and_is_deterministic() {
        let g = cliques();
        let a = leiden(&g, params(42));
        let b = leiden(&g, params(42));
        assert_eq!(a, b);
        assert!(a[..5].iter().all(|&c| c == a[0]));
        assert!(a[5..10].iter().all(|&c| c == a[5]));
        assert!(a[10..].iter().all(|&c| c == a[10]));
        assert_ne!(a[0], a[5]);
        assert_ne!(a[0], a[10]);
        // Largest first, ties by smallest node.
        assert_eq!((a[0], a[5], a[10]), (0, 1, 2));
        let q = modularity(&g, &a, 1.0);
        assert!(q > 0.5, "{q}");
    }

    #[test]
    fn communities_are_connected_and_beat_singletons() {
        // A ring of 30 triangles: every community must be connected.
        let mut e = Vec::new();
        for t in 0..30 {
            let b = 3 * t;
            e.extend([(b, b + 1, 1.0), (b + 1, b + 2, 1.0), (b, b + 2, 1.0)]);
            e.push((b + 2, (b + 3) % 90, 1.0));
        }
        let g = Graph::from_edges(90, &e);
        for seed in [1, 2, 3] {
            let part = leiden(&g, params(seed));
            let singletons: Vec<usize> = (0..90).collect();
            assert!(modularity(&g, &part, 1.0) > modularity(&g, &singletons, 1.0) + 0.5);
            let k = part.iter().max().unwrap() + 1;
            for c in 0..k {
                let nodes: Vec<usize> = (0..90).filter(|&v| part[v] == c).collect();
                let mut seen = vec![nodes[0]];
                let mut i = 0;
                while i < seen.len() {
                    let v = seen[i];
                    for &(u, _) in &g.adj[v] {
                        if part[u] == c && !seen.contains(&u) {
                            seen.push(u);
                        }
                    }
                    i += 1;
                }
                assert_eq!(seen.len(), nodes.len(), "community {c} is not connected");
            }
        }
    }
}
