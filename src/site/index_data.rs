//! The gene table's data (`data.js`) and the static JSON API (`api/*.json`,
//! `genes/HGNC_<n>.json`).
//!
//! `data.js` is one classic script, `window.KGDB = {…};`, so the table works from `file://`
//! (no fetch). It is compact: one array per gene, tiers and groups as integers, sources as
//! bit masks, the score as an integer in hundredths. Its layout (`cols`) is:
//! `[hgnc number, symbol, name, aliases "a|b", previous symbols "a|b", score×100, tier index,
//! group index, source count, classic count, present mask, supported mask]`, where bit i of
//! a mask is scoring source `src[i]` (present = measure > 0, supported = score > 0).
//! The optional annotation columns are in a second script, `ann.js` (columnar, see
//! [`annotation_columns`]), loaded only when the user switches a column on.
//! Every `<` in it is written `\u003c`, so no upstream string can close a script element.

use serde_json::{Value, json};

use super::downloads::{FileInfo, gene_base, round4, score_object};
use super::model::{Gene, SiteData};
use super::pages::{SiteView, gene_stem, hgnc_number};
use super::{SiteError, Writer, to_json, to_json_compact};

/// JSON made safe to sit in a script: `<` (so `</script>` and `<!--` cannot appear) and the
/// line separators U+2028/U+2029 are escaped.
pub fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

pub(crate) fn masks(g: &Gene, site: &SiteView) -> (u32, u32) {
    let mut present = 0;
    let mut supported = 0;
    for (i, s) in site.scoring.iter().enumerate().take(31) {
        if let Some(b) = g.breakdown.iter().find(|b| b.source == s.name) {
            if b.measure > 0.0 || g.evidence.get(&s.name).is_some_and(|e| !e.is_empty()) {
                present |= 1 << i;
            }
            if b.supported {
                supported |= 1 << i;
            }
        }
    }
    (present, supported)
}

pub fn js(data: &SiteData, site: &SiteView) -> Result<String, SiteError> {
    let mut genes = Vec::with_capacity(data.genes.len());
    for g in &data.genes {
        let (present, supported) = masks(g, site);
        genes.push(json!([
            hgnc_number(&g.hgnc_id)?,
            g.symbol,
            g.name,
            g.alias_symbols.join("|"),
            g.prev_symbols.join("|"),
            (g.percentage * 100.0).round() as i64,
            site.tier_index(&g.tier),
            site.group_index(&g.group),
            g.source_count,
            g.classic_count,
            present,
            supported,
        ]));
    }
    let v = json!({
        "v": 1,
        "release": data.release,
        "built": data.build_time,
        "cols": ["hgnc", "symbol", "name", "aliases", "prev", "score100", "tier", "group",
                 "sources", "classic", "present", "supported"],
        "src": site.scoring.iter().map(|s| json!([s.name, s.title, s.short])).collect::<Vec<_>>(),
        "tiers": site.tiers.iter().map(|t| json!([t.name, t.label])).collect::<Vec<_>>(),
        "groups": site.groups.iter().map(|t| json!([t.name, t.label])).collect::<Vec<_>>(),
        "g": genes,
    });
    let s = serde_json::to_string(&v).map_err(|source| SiteError::Serialize {
        what: "data.js".into(),
        source,
    })?;
    // One gene per line keeps diffs between releases readable at almost no cost.
    let s = s.replace("],[", "],\n[");
    Ok(format!("window.KGDB={};\n", script_safe(&s)))
}

/// The optional columns of the gene table: (key in `data.js`, annotation source, header,
/// header tooltip). table.js knows how to show each key.
pub const OPTIONAL_COLUMNS: [(&str, &str, &str, &str); 8] = [
    (
        "pli",
        "gnomad",
        "pLI",
        "gnomAD pLI: probability of loss-of-function intolerance (not part of the score)",
    ),
    (
        "loeuf",
        "gnomad",
        "LOEUF",
        "gnomAD LOEUF: lower means more constrained (not part of the score)",
    ),
    (
        "plp",
        "clinvar",
        "ClinVar P/LP",
        "ClinVar alleles reported pathogenic or likely pathogenic (not part of the score)",
    ),
    (
        "kidney",
        "gtex",
        "Kidney nTPM",
        "Adult kidney expression, nTPM (Human Protein Atlas, GTEx data; not part of the score)",
    ),
    (
        "mouse",
        "mgi",
        "Mouse kidney",
        "A mouse ortholog has a kidney/urinary phenotype (MGI; not part of the score)",
    ),
    (
        "cg",
        "hpo_phenotypes",
        "Clinical group",
        "HPO clinical group (not part of the score)",
    ),
    (
        "onset",
        "hpo_phenotypes",
        "Onset",
        "HPO onset group (not part of the score)",
    ),
    (
        "synd",
        "hpo_phenotypes",
        "Syndromic",
        "HPO syndromic assessment (not part of the score)",
    ),
];

/// The optional columns this build can show (their source is configured and redistributable).
pub fn optional_columns(data: &SiteData) -> Vec<(&'static str, &'static str, &'static str)> {
    OPTIONAL_COLUMNS
        .iter()
        .filter(|(_, source, _, _)| {
            data.annotation_sources
                .iter()
                .any(|s| s.name == *source && s.redistribute)
        })
        .map(|(key, _, label, title)| (*key, *label, *title))
        .collect()
}

/// The data of the optional columns of the gene table (hidden until the user switches them on), one
/// array per column in gene order (columnar: similar values sit together and compress
/// well), only for annotation sources whose licence allows redistribution. `None` when no
/// column is available.
///
/// `{cols: [key…], cg: [[name, label]…], onset: [[name, label]…], v: [[value per
/// gene]…]}` with `null` where the gene has no value and the values as integers:
/// `pli` = pLI × 100, `loeuf` = LOEUF × 1000, `plp` = ClinVar P/LP alleles (0 when
/// ClinVar lists none), `kidney` =
/// kidney nTPM × 10, `mouse` = 1/0 (an ortholog has a kidney/urinary phenotype), `cg` and
/// `onset` = index into `cg` / `onset` (the primary group), `synd` = 1/0 (syndromic).
pub fn annotation_columns(data: &SiteData) -> Option<Value> {
    use super::gene_annotations::{group_label, shareable};
    use crate::annotations::model::GroupCall;
    let shared: Vec<_> = data.genes.iter().map(|g| shareable(data, g)).collect();
    let allowed: Vec<&str> = optional_columns(data).iter().map(|c| c.0).collect();
    let groups = |names: &[&str]| -> Vec<Value> {
        names.iter().map(|n| json!([n, group_label(n)])).collect()
    };
    // The groups are those of the configured rules: every gene's shares list all of them.
    let names_in = |call: fn(&crate::annotations::model::HpoPhenotypes) -> &GroupCall| {
        let mut names: Vec<String> = shared
            .iter()
            .filter_map(|a| a.hpo.as_ref())
            .flat_map(|h| call(h).shares.keys().cloned())
            .collect();
        names.sort();
        names.dedup();
        names
    };
    let cg_owned = names_in(|h| &h.clinical_group);
    let onset_owned = names_in(|h| &h.onset_group);
    let cg_names: Vec<&str> = cg_owned.iter().map(String::as_str).collect();
    let onset_names: Vec<&str> = onset_owned.iter().map(String::as_str).collect();
    let index_of = |names: &[&str], n: &Option<String>| -> Value {
        n.as_deref()
            .and_then(|n| names.iter().position(|x| *x == n))
            .map_or(Value::Null, |i| json!(i))
    };
    let int = |x: Option<f64>, scale: f64| -> Value {
        x.filter(|x| x.is_finite())
            .map_or(Value::Null, |x| json!((x * scale).round() as i64))
    };
    let mut cols: Vec<&str> = Vec::new();
    let mut values: Vec<Vec<Value>> = Vec::new();
    let mut add =
        |key: &'static str, f: &dyn Fn(&crate::annotations::model::GeneAnnotations) -> Value| {
            if allowed.contains(&key) {
                cols.push(key);
                values.push(shared.iter().map(|a| f(a)).collect());
            }
        };
    add("pli", &|a| {
        int(a.constraint.as_ref().and_then(|c| c.pli), 100.0)
    });
    add("loeuf", &|a| {
        int(a.constraint.as_ref().and_then(|c| c.loeuf), 1000.0)
    });
    add("plp", &|a| {
        a.clinvar
            .as_ref()
            .map_or(Value::Null, |c| json!(c.pathogenic_alleles.unwrap_or(0)))
    });
    add("kidney", &|a| {
        int(a.expression.as_ref().and_then(|e| e.kidney_ntpm), 10.0)
    });
    add("mouse", &|a| {
        a.mouse
            .as_ref()
            .map_or(Value::Null, |m| json!(u8::from(m.has_kidney_phenotype())))
    });
    add("cg", &|a| {
        a.hpo.as_ref().map_or(Value::Null, |h| {
            index_of(&cg_names, &h.clinical_group.primary)
        })
    });
    add("onset", &|a| {
        a.hpo.as_ref().map_or(Value::Null, |h| {
            index_of(&onset_names, &h.onset_group.primary)
        })
    });
    add("synd", &|a| {
        a.hpo
            .as_ref()
            .map_or(Value::Null, |h| json!(u8::from(h.syndromic.is_syndromic)))
    });
    if cols.is_empty() {
        return None;
    }
    Some(json!({
        "cols": cols,
        "cg": groups(&cg_names),
        "onset": groups(&onset_names),
        "v": values,
    }))
}

/// `ann.js`: the optional columns' data, `window.KGDB_ANN = {…};` (see
/// [`annotation_columns`]); table.js loads it only when a column is switched on, so the gene
/// table's default weight does not grow. `None` when no column is available.
pub fn ann_js(data: &SiteData) -> Result<Option<String>, SiteError> {
    let Some(v) = annotation_columns(data) else {
        return Ok(None);
    };
    let s = serde_json::to_string(&v).map_err(|source| SiteError::Serialize {
        what: "ann.js".into(),
        source,
    })?;
    Ok(Some(format!("window.KGDB_ANN={};\n", script_safe(&s))))
}

/// genes/HGNC_<n>.json: everything the gene page shows (and every evidence record, also
/// those the page leaves out for size).
pub fn gene_json(data: &SiteData, g: &Gene, stem: &str) -> Result<Vec<u8>, SiteError> {
    let mut gene = serde_json::to_value(g).map_err(|source| SiteError::Serialize {
        what: format!("genes/{stem}.json"),
        source,
    })?;
    if let Some(o) = gene.as_object_mut() {
        o.insert("percentage".into(), json!(round4(g.percentage)));
        o.insert(
            "breakdown".into(),
            Value::Array(g.breakdown.iter().map(score_object).collect()),
        );
        // `gene` serialized its annotations already; replace them only when some part
        // may not be redistributed.
        let shared = super::gene_annotations::shareable(data, g);
        if let std::borrow::Cow::Owned(a) = shared {
            o.insert(
                "annotations".into(),
                serde_json::to_value(a).map_err(|source| SiteError::Serialize {
                    what: format!("genes/{stem}.json"),
                    source,
                })?,
            );
        }
    }
    to_json_compact(
        &format!("genes/{stem}.json"),
        &json!({
            "kgdb_version": data.kgdb_version,
            "release": data.release,
            "build_time": data.build_time,
            "page": format!("{stem}.html"),
            "gene": gene,
        }),
    )
}

/// The kgdb citation line.
pub fn citation(data: &SiteData) -> String {
    format!(
        "Kidney-Genetics Database (kgdb {}), release {}, built {}. https://github.com/kidney-genetics/kgdb",
        data.kgdb_version, data.release, data.build_time
    )
}

/// api/genes.json, api/sources.json, api/release.json.
pub fn api(
    data: &SiteData,
    site: &SiteView,
    files: &[FileInfo],
    w: &mut Writer,
) -> Result<(), SiteError> {
    let mut genes = Vec::with_capacity(data.genes.len());
    for g in &data.genes {
        let stem = gene_stem(&g.hgnc_id)?;
        // A listing: each gene's score parts and annotations are in its own JSON.
        let mut o = gene_base(g, site);
        if let Some(m) = o.as_object_mut() {
            m.remove("sources");
            m.insert("page".into(), json!(format!("genes/{stem}.html")));
            m.insert("json".into(), json!(format!("genes/{stem}.json")));
        }
        genes.push(o);
    }
    w.write(
        "api/genes.json",
        &to_json_compact(
            "api/genes.json",
            &json!({"kgdb_version": data.kgdb_version, "release": data.release, "genes": genes}),
        )?,
    )?;
    w.write(
        "api/sources.json",
        &to_json(
            "api/sources.json",
            &json!({"kgdb_version": data.kgdb_version, "release": data.release, "sources": data.sources}),
        )?,
    )?;
    w.write(
        "api/release.json",
        &to_json(
            "api/release.json",
            &json!({
                "kgdb_version": data.kgdb_version,
                "release": data.release,
                "build_time": data.build_time,
                "genes": data.genes.len(),
                "citation": citation(data),
                // The first notice, under its first name (the field predates `notices`).
                "hpo_notice": site.notices.first(),
                "sources": data.sources.iter().map(|s| json!({
                    "name": s.name, "title": s.title, "upstream_version": s.upstream_version,
                    "licence": s.licence, "citation": s.citation, "stale": s.stale,
                })).collect::<Vec<_>>(),
                "files": files.iter().map(|f| json!({"path": f.path, "bytes": f.bytes, "sha256": f.sha256})).collect::<Vec<_>>(),
            }),
        )?,
    )?;
    Ok(())
}
