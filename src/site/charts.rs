//! Inline SVG charts for the Sources page: an UpSet-style overlap chart of the most frequent
//! combinations of supporting sources, and horizontal bar charts (score distribution,
//! tiers). Colours come from site.css classes (no inline style); every text is escaped.

use std::collections::HashMap;
use std::fmt::Write;

use serde::Serialize;

use super::format::thousands;
use super::model::SiteData;
use super::view::SiteView;

/// Escapes text for SVG/HTML content and attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

/// One combination of supporting sources and how many genes have exactly it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Combination {
    /// Titles of the sources in the combination, in configuration order.
    pub sources: Vec<String>,
    /// Which scoring sources (by index) are in it.
    pub members: Vec<bool>,
    pub genes: usize,
}

/// The `limit` most frequent combinations of sources supporting a gene (score > 0), most
/// frequent first (ties: fewer sources first, then configuration order). Genes supported
/// by no source are not counted.
pub fn combinations(data: &SiteData, site: &SiteView, limit: usize) -> Vec<Combination> {
    let mut counts: HashMap<Vec<bool>, usize> = HashMap::new();
    for g in &data.genes {
        let members: Vec<bool> = site
            .scoring
            .iter()
            .map(|s| {
                g.breakdown
                    .iter()
                    .any(|b| b.source == s.name && b.score > 0.0)
            })
            .collect();
        if members.iter().any(|m| *m) {
            *counts.entry(members).or_default() += 1;
        }
    }
    let mut v: Vec<(Vec<bool>, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(
                a.0.iter()
                    .filter(|m| **m)
                    .count()
                    .cmp(&b.0.iter().filter(|m| **m).count()),
            )
            .then(b.0.cmp(&a.0))
    });
    v.into_iter()
        .take(limit)
        .map(|(members, genes)| Combination {
            sources: site
                .scoring
                .iter()
                .zip(&members)
                .filter(|(_, m)| **m)
                .map(|(s, _)| s.title.clone())
                .collect(),
            members,
            genes,
        })
        .collect()
}

/// UpSet-style chart: a bar per combination (gene count on top), and below it a matrix with
/// one row per source where filled dots mark the sources of that combination.
pub fn upset_svg(combos: &[Combination], site: &SiteView) -> String {
    let label_w = 190.0;
    let col_w = 28.0;
    let bar_h = 120.0;
    let row_h = 20.0;
    let top = 18.0;
    let n = site.scoring.len() as f64;
    let width = label_w + col_w * combos.len().max(1) as f64 + 10.0;
    let height = top + bar_h + 10.0 + row_h * n + 6.0;
    let max = combos.iter().map(|c| c.genes).max().unwrap_or(1).max(1) as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart upset\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"upset-title\"><title id=\"upset-title\">Genes per combination of supporting sources (the {} most frequent combinations; the table below has the numbers)</title>",
        combos.len()
    );
    for (i, c) in combos.iter().enumerate() {
        let x = label_w + col_w * i as f64 + 4.0;
        let h = (c.genes as f64 / max * bar_h).max(1.0);
        let y = top + bar_h - h;
        let _ = write!(
            s,
            "<rect class=\"bar-fg\" x=\"{x}\" y=\"{y:.1}\" width=\"{}\" height=\"{h:.1}\"><title>{}: {} genes</title></rect><text class=\"count\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            col_w - 8.0,
            esc(&c.sources.join(" + ")),
            c.genes,
            x + (col_w - 8.0) / 2.0,
            y - 4.0,
            c.genes
        );
    }
    for (r, src) in site.scoring.iter().enumerate() {
        let y = top + bar_h + 10.0 + row_h * r as f64 + row_h / 2.0;
        if r % 2 == 0 {
            let _ = write!(
                s,
                "<rect class=\"stripe\" x=\"0\" y=\"{:.1}\" width=\"{width}\" height=\"{row_h}\"/>",
                y - row_h / 2.0
            );
        }
        let _ = write!(
            s,
            "<text class=\"label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            label_w - 8.0,
            y + 4.0,
            esc(&src.title)
        );
        for (i, c) in combos.iter().enumerate() {
            let cx = label_w + col_w * i as f64 + 4.0 + (col_w - 8.0) / 2.0;
            let cls = if c.members.get(r).copied().unwrap_or(false) {
                "dot on"
            } else {
                "dot"
            };
            let _ = write!(
                s,
                "<circle class=\"{cls}\" cx=\"{cx:.1}\" cy=\"{y:.1}\" r=\"5\"/>"
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// Genes per score range: 0–10, 10–20, …, 90–100 (lower bound inclusive; 100 is in the
/// last range).
pub fn histogram(data: &SiteData) -> Vec<(String, usize)> {
    let mut bins = vec![0usize; 10];
    for g in &data.genes {
        let i = ((g.summary.percentage / 10.0).floor().max(0.0) as usize).min(9);
        bins[i] += 1;
    }
    bins.into_iter()
        .enumerate()
        .map(|(i, c)| (format!("{}–{}", i * 10, i * 10 + 10), c))
        .collect()
}

/// Horizontal bars: label, bar, count. `kind` names the CSS class of the bars.
pub fn bars_svg(items: &[(String, usize)], title: &str, kind: &str) -> String {
    let label_w = 170.0;
    let bar_w = 300.0;
    let row_h = 22.0;
    let width = label_w + bar_w + 70.0;
    let height = row_h * items.len() as f64 + 4.0;
    let max = items.iter().map(|(_, c)| *c).max().unwrap_or(1).max(1) as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart bars {}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">",
        esc(kind),
        esc(title)
    );
    for (i, (label, count)) in items.iter().enumerate() {
        let y = row_h * i as f64 + 2.0;
        let w = (*count as f64 / max * bar_w).max(if *count > 0 { 1.0 } else { 0.0 });
        let _ = write!(
            s,
            "<text class=\"label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text><rect class=\"bar-fg b{i}\" x=\"{label_w}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{:.1}\"/><text class=\"count\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            label_w - 8.0,
            y + row_h / 2.0 + 2.0,
            esc(label),
            row_h - 6.0,
            label_w + w + 6.0,
            y + row_h / 2.0 + 2.0,
            thousands(*count as u64)
        );
    }
    s.push_str("</svg>");
    s
}
