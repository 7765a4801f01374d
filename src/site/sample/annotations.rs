//! Sample annotations for the hand-written genes, the seven annotation sources and the
//! annotation rules of the Methods page.
//!
//! Why real values: the gene pages, the optional table columns and `annotations.csv` are
//! checked against them, so every number is read from the files in
//! `shared/data/raw/annotations/` and `shared/data/raw/hpo/` (the file is named at each
//! value); the HPO classes are those kgdb computes from HPO 2025-01-16; only the second Pkd1
//! kidney phenotype is an illustration, said so where it is set.

use std::collections::BTreeMap;

use crate::annotations::GeneAnnotations;
use crate::annotations::clinvar::ClinVar;
use crate::annotations::descartes::{CellType, FetalKidney};
use crate::annotations::gnomad::Constraint;
use crate::annotations::gtex::Expression;
use crate::annotations::hpo_phenotypes::{GroupCall, HpoPhenotypes, Syndromic};
use crate::annotations::mane::ManeSelect;
use crate::annotations::mgi::{Mouse, Ortholog};
use crate::annotations::model::Term;

use super::super::model::{AnnotationInfo, DownloadInfo, Gene};
use super::Rng;

fn terms(v: &[(&str, &str)]) -> Vec<Term> {
    v.iter()
        .map(|(id, name)| Term {
            id: id.to_string(),
            name: name.to_string(),
        })
        .collect()
}

fn call(shares: &[(&str, f64)], primary: Option<&str>) -> GroupCall {
    GroupCall {
        shares: shares.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        primary: primary.map(String::from),
    }
}

/// The four syndromic indicator systems with their shares, the score and the call.
fn syndromic(growth: f64, skeletal: f64, neurologic: f64, head_neck: f64, score: f64) -> Syndromic {
    Syndromic {
        shares: [
            ("growth", growth),
            ("skeletal", skeletal),
            ("neurologic", neurologic),
            ("head_neck", head_neck),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), *v))
        .collect(),
        score,
        is_syndromic: score >= 0.3,
    }
}

/// The six clinical groups, all present (shares of the groups not matched are 0).
fn clinical(nonzero: &[(&str, f64)], primary: Option<&str>) -> GroupCall {
    let mut shares: Vec<(&str, f64)> = [
        "complement",
        "cakut",
        "glomerulopathy",
        "cyst_cilio",
        "tubulopathy",
        "nephrolithiasis",
    ]
    .iter()
    .map(|g| (*g, 0.0))
    .collect();
    for (g, v) in nonzero {
        if let Some(s) = shares.iter_mut().find(|s| s.0 == *g) {
            s.1 = *v;
        }
    }
    call(&shares, primary)
}

fn onset(nonzero: &[(&str, f64)], primary: Option<&str>) -> GroupCall {
    let mut shares: Vec<(&str, f64)> = ["adult", "pediatric", "congenital"]
        .iter()
        .map(|g| (*g, 0.0))
        .collect();
    for (g, v) in nonzero {
        if let Some(s) = shares.iter_mut().find(|s| s.0 == *g) {
            s.1 = *v;
        }
    }
    call(&shares, primary)
}

fn hpo(
    phenotypes: &[(&str, &str)],
    diseases: &[(&str, &str)],
    kidney: &[(&str, &str)],
    clinical_group: GroupCall,
    onset_group: GroupCall,
    syndromic: Syndromic,
) -> HpoPhenotypes {
    HpoPhenotypes {
        phenotypes: terms(phenotypes),
        diseases: terms(diseases),
        kidney_phenotypes: terms(kidney),
        clinical_group,
        onset_group,
        syndromic,
    }
}

/// gnomAD v2.1.1 (`gnomad_constraints_2023-10-12.csv.gz`): pLI, oe_lof, obs/exp LoF and the
/// Z scores as the file has them; the file has no `oe_lof_upper`, so LOEUF and the lower bound
/// are gnomAD's Poisson interval computed from obs/exp (kgdb's rule; `loeuf_computed`).
#[allow(clippy::too_many_arguments)]
fn gnomad(
    pli: f64,
    oe_lof: f64,
    lower: f64,
    loeuf: f64,
    obs: u64,
    exp: f64,
    lof_z: f64,
    mis_z: f64,
    syn_z: f64,
) -> Constraint {
    Constraint {
        pli: Some(pli),
        loeuf: Some(loeuf),
        oe_lof: Some(oe_lof),
        oe_lof_lower: Some(lower),
        loeuf_computed: true,
        obs_lof: Some(obs),
        exp_lof: Some(exp),
        lof_z: Some(lof_z),
        mis_z: Some(mis_z),
        syn_z: Some(syn_z),
        transcript: None,
    }
}

/// ClinVar `gene_specific_summary.2021-11-07.txt.gz`: Total_submissions, Total_alleles,
/// Alleles_reported_Pathogenic_Likely_pathogenic (`-` = None), Number_uncertain,
/// Number_with_conflicts, Gene_MIM_number.
fn clinvar(
    submissions: u64,
    alleles: u64,
    plp: Option<u64>,
    uncertain: u64,
    conflicting: u64,
    mim: &str,
) -> ClinVar {
    ClinVar {
        total_submissions: Some(submissions),
        total_alleles: Some(alleles),
        pathogenic_alleles: plp,
        uncertain_alleles: Some(uncertain),
        conflicting_alleles: Some(conflicting),
        gene_mim_number: Some(mim.into()),
    }
}

/// HPA nTPM from GTEx (`rna_tissue_gtex_nTPM_agg_2023-10-12.csv.gz`): the kidney column, its
/// rank among the file's 29 tissue columns (28 tissues + the brain median), the top tissue.
fn gtex(kidney: f64, rank: usize, top: &str, top_ntpm: f64) -> Expression {
    Expression {
        kidney_ntpm: Some(kidney),
        kidney_rank: Some(rank),
        tissue_count: 29,
        top_tissue: Some(top.into()),
        top_ntpm: Some(top_ntpm),
    }
}

/// Descartes fetal kidney (`descartes_fetal_kidney_{tpm,percent_expression}_2023-10-12`):
/// (cell type, TPM, fraction of cells), sorted by TPM; values rounded to 4 decimals here.
fn descartes(cells: &[(&str, f64, f64)]) -> FetalKidney {
    FetalKidney {
        cell_types: cells
            .iter()
            .map(|(c, tpm, frac)| CellType {
                cell_type: c.to_string(),
                tpm: Some(*tpm),
                fraction_expressing: Some(*frac),
            })
            .collect(),
    }
}

/// MGI `HMD_HumanPhenotype.2026-05.rpt.gz`: orthologs, the number of distinct MP IDs listed
/// for them, and those in the kidney set (`mpo_kidney_terms`, names from
/// `VOC_MammalianPhenotype.2026-05.rpt.gz`).
fn mgi(orthologs: &[(&str, &str)], phenotype_count: usize, kidney: &[(&str, &str)]) -> Mouse {
    Mouse {
        orthologs: orthologs
            .iter()
            .map(|(s, id)| Ortholog {
                symbol: s.to_string(),
                mgi_id: id.to_string(),
            })
            .collect(),
        phenotype_count,
        kidney_phenotypes: terms(kidney),
    }
}

/// MANE v1.5 `MANE.GRCh38.v1.5.summary.txt.gz`, the MANE Select row.
fn mane(refseq: &str, refseq_protein: &str, ensembl: &str, ensembl_protein: &str) -> ManeSelect {
    ManeSelect {
        refseq_transcript: refseq.into(),
        refseq_protein: Some(refseq_protein.into()),
        ensembl_transcript: ensembl.into(),
        ensembl_protein: Some(ensembl_protein.into()),
        plus_clinical: Vec::new(),
    }
}

const RENAL_URINARY: (&str, &str) = ("MP:0005367", "renal/urinary system phenotype");

/// The annotations of a hand-written sample gene; PKD1L1 (and any other symbol) has none, so
/// the pages and downloads are seen coping with a gene no annotation covers.
pub fn for_gene(symbol: &str) -> GeneAnnotations {
    match symbol {
        "PKD1" => GeneAnnotations::default()
            // Classes as kgdb computes them from HPO 2025-01-16 (`kgdb gene PKD1`, and
            // annotations::hpo_classes tests): cyst_cilio 3 of 10 phenotype matches; its
            // diseases have no onset term; 4 of 30 phenotypes under the nervous system.
            .with(hpo(
                PKD1_PHENOTYPES,
                PKD1_DISEASES,
                PKD1_KIDNEY,
                clinical(
                    &[
                        ("cyst_cilio", 0.3),
                        ("cakut", 0.2),
                        ("glomerulopathy", 0.2),
                        ("nephrolithiasis", 0.2),
                        ("complement", 0.1),
                    ],
                    Some("cyst_cilio"),
                ),
                onset(&[], None),
                syndromic(0.0, 0.0, 0.1333, 0.0, 0.1333),
            ))
            // 18 observed / 149.37 expected LoF; LOEUF 0.179, lower 0.082 (computed).
            .with(gnomad(
                1.0, 0.12051, 0.082, 0.179, 18, 149.37, 9.9605, -4.3234, -17.859,
            ))
            .with(clinvar(3358, 2103, Some(774), 630, 59, "601313"))
            .with(gtex(7.3, 28, "pituitary gland", 70.4))
            .with(descartes(&[
                ("stromal", 144.9927, 0.0955),
                ("mesangial", 118.0842, 0.0758),
                ("vascular_endothelial", 86.692, 0.0611),
                ("metanephric", 75.3415, 0.075),
                ("ureteric_bud", 45.3613, 0.0467),
            ]))
            // HMD lists only top-level MP terms (22 for Pkd1; MP:0005367 is the one in the
            // kidney set). "kidney cyst" (MP:0003675, a real term of the kidney set, named as
            // in VOC 2026-05) is added as an illustration of a finer kidney phenotype, as
            // MGI's genotype annotations of Pkd1 mutants have it; so 22 + 1 terms.
            .with(mgi(
                &[("Pkd1", "MGI:97603")],
                23,
                &[("MP:0003675", "kidney cyst"), RENAL_URINARY],
            ))
            .with(mane(
                "NM_001009944.3",
                "NP_001009944.3",
                "ENST00000262304.9",
                "ENSP00000262304.4",
            )),
        "COL4A5" => GeneAnnotations::default()
            // Classes as kgdb computes them from HPO 2025-01-16: glomerulopathy and
            // complement 2 phenotypes each, the tie going to glomerulopathy (listed first);
            // no onset term (only Progressive); head_neck (ear and eye included) 9 of 53,
            // growth 2, nervous system 1: score 12/53 = 0.2264, not syndromic.
            .with(hpo(
                COL4A5_PHENOTYPES,
                COL4A5_DISEASES,
                COL4A5_KIDNEY,
                clinical(
                    &[("glomerulopathy", 0.5), ("complement", 0.5)],
                    Some("glomerulopathy"),
                ),
                onset(&[], None),
                syndromic(0.0377, 0.0, 0.0189, 0.1698, 0.2264),
            ))
            .with(gnomad(
                1.0, 0.09686, 0.052, 0.191, 6, 61.945, 6.5869, 2.4995, -0.35551,
            ))
            .with(clinvar(2396, 1901, Some(1180), 111, 25, "303630"))
            .with(gtex(16.5, 12, "endometrium", 57.3))
            .with(descartes(&[
                ("ureteric_bud", 209.6118, 0.174),
                ("mesangial", 165.7618, 0.1189),
                ("metanephric", 135.4489, 0.1338),
                ("vascular_endothelial", 126.0574, 0.1015),
                ("stromal", 72.8474, 0.0536),
            ]))
            .with(mgi(&[("Col4a5", "MGI:88456")], 10, &[RENAL_URINARY]))
            .with(mane(
                "NM_033380.3",
                "NP_203699.1",
                "ENST00000328300.11",
                "ENSP00000331902.7",
            )),
        "NPHS1" => GeneAnnotations::default()
            // Classes as kgdb computes them from HPO 2025-01-16: glomerulopathy and
            // complement 3 phenotypes each, glomerulopathy wins on signature terms hit (4 to
            // 2); Congenital onset; syndromic 7 of 37 = 0.1892.
            .with(hpo(
                NPHS1_PHENOTYPES,
                NPHS1_DISEASES,
                NPHS1_KIDNEY,
                clinical(
                    &[
                        ("glomerulopathy", 0.4286),
                        ("complement", 0.4286),
                        ("cyst_cilio", 0.1429),
                    ],
                    Some("glomerulopathy"),
                ),
                onset(&[("congenital", 1.0)], Some("congenital")),
                syndromic(0.0541, 0.0, 0.0811, 0.0541, 0.1892),
            ))
            .with(gnomad(
                2.5376e-14, 0.52087, 0.394, 0.696, 33, 63.356, 3.534, 0.40824, -1.0356,
            ))
            .with(clinvar(1335, 803, Some(214), 160, 50, "602716"))
            .with(gtex(40.3, 1, "kidney", 40.3))
            .with(descartes(&[
                ("metanephric", 123.3674, 0.0505),
                ("stromal", 3.3986, 0.0019),
                ("vascular_endothelial", 2.3057, 0.0024),
                ("ureteric_bud", 2.2409, 0.0034),
                ("mesangial", 1.596, 0.0013),
            ]))
            .with(mgi(&[("Nphs1", "MGI:1859637")], 5, &[RENAL_URINARY]))
            .with(mane(
                "NM_004646.4",
                "NP_004637.1",
                "ENST00000378910.10",
                "ENSP00000368190.4",
            )),
        "UMOD" => GeneAnnotations::default()
            // Classes as kgdb computes them from HPO 2025-01-16: a three-way tie (cakut,
            // complement, cyst_cilio 3 phenotypes each) that complement wins on signature
            // terms hit: the predecessor's signatures fit ADTKD poorly. Onset 3 adult, 2
            // pediatric; syndromic 1 of 33 (skeletal).
            .with(hpo(
                UMOD_PHENOTYPES,
                UMOD_DISEASES,
                UMOD_KIDNEY,
                clinical(
                    &[
                        ("cakut", 0.2727),
                        ("complement", 0.2727),
                        ("cyst_cilio", 0.2727),
                        ("glomerulopathy", 0.1818),
                    ],
                    Some("complement"),
                ),
                onset(&[("adult", 0.6), ("pediatric", 0.4)], Some("adult")),
                syndromic(0.0, 0.0303, 0.0, 0.0, 0.0303),
            ))
            .with(gnomad(
                3.0798e-17, 0.90859, 0.669, 1.253, 27, 29.716, 0.46177, 0.99836, -0.2343,
            ))
            .with(clinvar(286, 207, Some(57), 61, 5, "191845"))
            .with(gtex(1676.6, 1, "kidney", 1676.6))
            .with(descartes(&[
                ("metanephric", 16.5579, 0.0048),
                ("vascular_endothelial", 1.2614, 0.0003),
                ("mesangial", 0.5676, 0.0003),
                ("ureteric_bud", 0.1606, 0.0005),
                ("stromal", 0.0, 0.0),
            ]))
            .with(mgi(&[("Umod", "MGI:102674")], 9, &[RENAL_URINARY]))
            .with(mane(
                "NM_003361.4",
                "NP_003352.2",
                "ENST00000396138.9",
                "ENSP00000379442.5",
            )),
        "APOL1" => GeneAnnotations::default()
            // Classes as kgdb computes them from HPO 2025-01-16: glomerulopathy 3 of 4
            // phenotype matches; no onset term; syndromic 4 of 17 = 0.2353.
            .with(hpo(
                APOL1_PHENOTYPES,
                APOL1_DISEASES,
                APOL1_KIDNEY,
                clinical(
                    &[("glomerulopathy", 0.75), ("complement", 0.25)],
                    Some("glomerulopathy"),
                ),
                onset(&[], None),
                syndromic(0.0, 0.0, 0.1765, 0.0588, 0.2353),
            ))
            .with(gnomad(
                5.1357e-06, 1.009, 0.588, 1.725, 8, 7.9284, -0.023556, -0.58285, -0.95218,
            ))
            // ClinVar 2021-11-07 reports no P/LP allele for APOL1 (`-`).
            .with(clinvar(141, 92, None, 15, 1, "603743"))
            .with(gtex(41.1, 4, "liver", 121.8))
            .with(descartes(&[
                ("vascular_endothelial", 60.5619, 0.0452),
                ("ureteric_bud", 30.0621, 0.0318),
                ("stromal", 5.0635, 0.0058),
                ("mesangial", 1.0915, 0.0009),
                ("metanephric", 1.0239, 0.0013),
            ]))
            // Eleven mouse Apol genes; two MP terms between them, neither renal/urinary.
            .with(mgi(
                &[
                    ("Apol10a", "MGI:3036238"),
                    ("Apol10b", "MGI:3043522"),
                    ("Apol11a", "MGI:3649094"),
                    ("Apol11b", "MGI:3036248"),
                    ("Apol7a", "MGI:1923011"),
                    ("Apol7b", "MGI:3583950"),
                    ("Apol7c", "MGI:1920912"),
                    ("Apol7e", "MGI:3704456"),
                    ("Apol8", "MGI:2444921"),
                    ("Apol9a", "MGI:3606001"),
                    ("Apol9b", "MGI:1919148"),
                ],
                2,
                &[],
            ))
            .with(mane(
                "NM_003661.4",
                "NP_003652.2",
                "ENST00000397278.8",
                "ENSP00000380448.4",
            )),
        _ => GeneAnnotations::default(),
    }
}

fn download(url: &str, version: &str, bytes: u64, sha256: &str) -> DownloadInfo {
    DownloadInfo {
        url: url.into(),
        final_url: url.into(),
        fetched_at: "2026-06-21T02:20:00Z".into(),
        etag: None,
        last_modified: Some("Sat, 20 Jun 2026 22:00:00 GMT".into()),
        sha256: sha256.into(),
        bytes,
        upstream_version: Some(version.into()),
    }
}

#[allow(clippy::too_many_arguments)]
fn info(
    name: &str,
    title: &str,
    homepage: &str,
    licence: &str,
    citation: &str,
    redistribute: bool,
    gene_link: Option<&str>,
    version: &str,
    downloads: Vec<DownloadInfo>,
) -> AnnotationInfo {
    AnnotationInfo {
        name: name.into(),
        title: title.into(),
        homepage: Some(homepage.into()),
        licence: licence.into(),
        citation: citation.into(),
        redistribute,
        gene_link: gene_link.map(String::from),
        status: "ok".into(),
        stale: false,
        last_success: Some("2026-06-21T02:20:00Z".into()),
        upstream_version: Some(version.into()),
        last_error: None,
        covered_genes: 0,
        covered_protein_coding: 0,
        scored_genes: 0,
        scored_protein_coding: 0,
        downloads,
    }
}

const NCS: &str = "https://raw.githubusercontent.com/halbritter-lab/nephro_candidate_score/81829d0c867fb1d6069440a960773ab05a8aee51/gene_score/features/results";

/// The seven annotation sources in `ANNOTATION_NAMES` order, with the URLs, sizes and
/// sha256 of the files kgdb reads (the bodies the mirror serves for those URLs: the staged
/// `.gz` where it is served as stored, its decompressed content otherwise); the
/// coverage counts are filled from `genes` (see [`fill_coverage`]).
pub fn sources(genes: &[Gene]) -> Vec<AnnotationInfo> {
    let hpo_rel =
        "https://github.com/obophenotype/human-phenotype-ontology/releases/download/v2025-01-16";
    let mut v = vec![
        info(
            "hpo_phenotypes",
            "HPO gene phenotypes",
            "https://hpo.jax.org/",
            "HPO licence: free use with acknowledgement; displayed files must state their version",
            "Gargano MA et al. The Human Phenotype Ontology in 2024: phenotypes around the world. Nucleic Acids Res 2024;52:D1333-D1346",
            true,
            Some("https://hpo.jax.org/browse/gene/NCBIGene:{entrez_id}"),
            "2025-01-16",
            vec![download(
                &format!("{hpo_rel}/genes_to_phenotype.txt"),
                "2025-01-16",
                19_746_634,
                "77d4c616780ac048a6766f958ec8f6f194cd216e2edd3944c1a0756b6f3e9a36",
            )],
        ),
        info(
            "gnomad",
            "gnomAD v2.1.1 gene constraint",
            "https://gnomad.broadinstitute.org/",
            "CC0 1.0 (gnomAD summary data)",
            "Karczewski KJ et al. The mutational constraint spectrum quantified from variation in 141,456 humans. Nature 2020;581:434-443",
            true,
            Some("https://gnomad.broadinstitute.org/gene/{ensembl_gene_id}?dataset=gnomad_r2_1"),
            "v2.1.1",
            vec![download(
                &format!("{NCS}/gnomad_constraints_2023-10-12.csv.gz"),
                "v2.1.1",
                2_138_051,
                "7f1c02afe37a3545bf05a4b4cba1f99bf56bd512f1e3944f0bd529eddc58558a",
            )],
        ),
        info(
            "clinvar",
            "ClinVar gene summary",
            "https://www.ncbi.nlm.nih.gov/clinvar/",
            "Public domain (NCBI, US government work)",
            "Landrum MJ et al. ClinVar: improving access to variant interpretations and supporting evidence. Nucleic Acids Res 2018;46:D1062-D1067",
            true,
            Some("https://www.ncbi.nlm.nih.gov/clinvar/?term={symbol}[gene]"),
            "2021-11-07",
            vec![download(
                "https://ftp.ncbi.nlm.nih.gov/pub/clinvar/tab_delimited/gene_specific_summary.txt",
                "2021-11-07",
                1_172_146,
                "d49022ff04ea0bbea97ce3817a42a29e3e4f7d3a50914ab17cf4c2e9eec37147",
            )],
        ),
        info(
            "gtex",
            "Human Protein Atlas tissue expression (GTEx)",
            "https://www.proteinatlas.org/",
            "CC BY-SA 3.0 (Human Protein Atlas); GTEx open-access data",
            "Uhlén M et al. Tissue-based map of the human proteome. Science 2015;347:1260419; GTEx Consortium. The GTEx Consortium atlas of genetic regulatory effects across human tissues. Science 2020;369:1318-1330",
            true,
            Some("https://www.proteinatlas.org/{ensembl_gene_id}/tissue"),
            "HPA v23 (GTEx v8), 2023-10-12",
            vec![download(
                &format!("{NCS}/rna_tissue_gtex_nTPM_agg_2023-10-12.csv.gz"),
                "HPA v23",
                923_145,
                "d7ca6db2a5afed5a5971107b4b231c66c260b336f3511643af00773cc88c4e86",
            )],
        ),
        info(
            "descartes",
            "Descartes fetal kidney (single cell)",
            "https://descartes.brotmanbaty.org/",
            "No licence stated upstream: values are not redistributed, only linked",
            "Cao J et al. A human cell atlas of fetal gene expression. Science 2020;370:eaba7721",
            false,
            Some(
                "https://descartes.brotmanbaty.org/bbi/human-gene-expression-during-development/gene/{symbol}/in/kidney",
            ),
            "2023-10-12 extract",
            vec![
                download(
                    &format!("{NCS}/descartes_fetal_kidney_tpm_2023-10-12.csv.gz"),
                    "2023-10-12",
                    844_232,
                    "35c20f52a85c2b2a9d12c3c6b2520e47828b35cd918a577819e67ed859d2f666",
                ),
                download(
                    &format!("{NCS}/descartes_fetal_kidney_percent_expression_2023-10-12.csv.gz"),
                    "2023-10-12",
                    639_173,
                    "9f3d22de0e8ff240fa80ee59ab84db4e456625c58e6f94d14b49fa51a67887c1",
                ),
            ],
        ),
        info(
            "mgi",
            "MGI mouse orthologs and phenotypes",
            "https://www.informatics.jax.org/",
            "Free to use with citation (MGI); Mammalian Phenotype Ontology CC BY 4.0",
            "Baldarelli RM et al. Mouse Genome Informatics: an integrated knowledgebase system for the laboratory mouse. Genetics 2024;227:iyae031",
            true,
            None,
            "2026-05",
            vec![
                download(
                    "https://www.informatics.jax.org/downloads/reports/HMD_HumanPhenotype.rpt",
                    "2026-05",
                    1_986_641,
                    "79ed9eedaf65dd44f03a8ad0912ce99878666974fb5a8114b7d41c62b118c740",
                ),
                download(
                    "https://www.informatics.jax.org/downloads/reports/VOC_MammalianPhenotype.rpt",
                    "2026-05",
                    2_924_897,
                    "fa0d2bbf73d15cf429f97febc8c91bd1892feed1c0abb217e4348c7542cad17b",
                ),
            ],
        ),
        info(
            "mane",
            "MANE Select",
            "https://www.ncbi.nlm.nih.gov/refseq/MANE/",
            "Public domain (NCBI / EMBL-EBI)",
            "Morales J et al. A joint NCBI and EMBL-EBI transcript set for clinical genomics and research. Nature 2022;604:310-315",
            true,
            None,
            "v1.5",
            vec![download(
                "https://ftp.ncbi.nlm.nih.gov/refseq/MANE/MANE_human/release_1.5/MANE.GRCh38.v1.5.summary.txt.gz",
                "v1.5",
                1_115_288,
                "d10ace2720681a3b2e0eefd9da4f551274a6b4141ac9bfd6a2565dfb6e9ad55c",
            )],
        ),
    ];
    fill_coverage(&mut v, genes);
    v
}

/// Coverage of each annotation among `genes` (all scored; protein-coding by locus group).
/// The link-only ones count the genes their data covered, as the store would.
pub fn fill_coverage(infos: &mut [AnnotationInfo], genes: &[Gene]) {
    let pc = |g: &Gene| g.locus_group.as_deref() == Some("protein-coding gene");
    for a in infos {
        a.scored_genes = genes.len() as u64;
        a.scored_protein_coding = genes.iter().filter(|g| pc(g)).count() as u64;
        a.covered_genes = genes
            .iter()
            .filter(|g| g.annotations.has(key_of(&a.name)))
            .count() as u64;
        a.covered_protein_coding = genes
            .iter()
            .filter(|g| pc(g) && g.annotations.has(key_of(&a.name)))
            .count() as u64;
    }
}

/// The JSON key of an annotation's part.
fn key_of(name: &str) -> &'static str {
    crate::registry::ANNOTATIONS
        .iter()
        .find(|e| e.name == name)
        .map_or("", |e| e.part.key)
}

/// The Methods page's annotation rules (what sources.yaml's annotation settings mean).
pub fn rules() -> BTreeMap<String, Vec<String>> {
    let registry = crate::registry::Registry::from_str(
        std::path::Path::new("sources.yaml"),
        include_str!("../../../sources.yaml"),
    )
    .expect("the default sources.yaml is valid");
    registry
        .annotations()
        .map(|a| (a.name().to_string(), a.methods_text()))
        .chain(std::iter::once((
            "all_annotations".to_string(),
            crate::annotations::common_methods_text(),
        )))
        .collect()
}

/// Annotations for synthetic gene `i` (of `protein_coding` genes): shaped like the real
/// coverage (constraint, ClinVar, expression, MANE for about 95 %; mouse orthologs 80 %;
/// HPO for about a quarter, more for curated genes; Descartes 85 %), with value
/// distributions like the real files'. The heaviest genes get as many phenotypes as the most
/// annotated real gene (LMNA: 520 in HPO 2025-01-16).
pub(super) fn synthetic(
    rng: &mut Rng,
    i: usize,
    curated: bool,
    symbol: &str,
    num: u64,
) -> GeneAnnotations {
    let mut a = GeneAnnotations::default();
    let pct = |rng: &mut Rng, p: u64| rng.below(100) < p;
    let f = |rng: &mut Rng, scale: f64| rng.below(100_000) as f64 / 100_000.0 * scale;
    if pct(rng, 95) {
        let obs = rng.below(80);
        let exp = 5.0 + f(rng, 150.0);
        let oe = obs as f64 / exp;
        a.insert(Constraint {
            // pLI is bimodal upstream: most genes near 0, a quarter near 1.
            pli: Some(
                (match rng.below(100) {
                    0..55 => f(rng, 0.01),
                    55..80 => 0.9 + f(rng, 0.1),
                    _ => f(rng, 1.0),
                } * 10_000.0)
                    .round()
                    / 10_000.0,
            ),
            loeuf: Some(((oe + 0.2) * 1000.0).round() / 1000.0),
            oe_lof: Some((oe * 100_000.0).round() / 100_000.0),
            oe_lof_lower: Some(((oe * 0.6) * 1000.0).round() / 1000.0),
            loeuf_computed: true,
            obs_lof: Some(obs),
            exp_lof: Some((exp * 100.0).round() / 100.0),
            lof_z: Some(((f(rng, 12.0) - 3.0) * 10_000.0).round() / 10_000.0),
            mis_z: Some(((f(rng, 8.0) - 3.0) * 10_000.0).round() / 10_000.0),
            syn_z: Some(((f(rng, 6.0) - 3.0) * 10_000.0).round() / 10_000.0),
            transcript: None,
        });
    }
    if pct(rng, 96) {
        let alleles = rng.below(2500);
        a.insert(ClinVar {
            total_submissions: Some(alleles + rng.below(800)),
            total_alleles: Some(alleles),
            // Most genes have no P/LP allele; the rest a long tail (up to ~1,000).
            pathogenic_alleles: if pct(rng, 40) {
                Some(f(rng, 7.0).exp().floor() as u64)
            } else {
                None
            },
            uncertain_alleles: Some(rng.below(alleles.max(1))),
            conflicting_alleles: Some(rng.below(60)),
            gene_mim_number: Some((600_000 + num).to_string()),
        });
    }
    if pct(rng, 96) {
        // Skewed like real nTPM: mostly single digits, a few in the thousands.
        let k = ((f(rng, 9.0) - 2.3).exp() * 10.0).round() / 10.0;
        a.insert(Expression {
            kidney_ntpm: Some(k),
            kidney_rank: Some(1 + rng.below(29) as usize),
            tissue_count: 29,
            top_tissue: Some(
                ["kidney", "liver", "testis", "brain median", "pancreas"][rng.below(5) as usize]
                    .into(),
            ),
            top_ntpm: Some(k + (f(rng, 200.0) * 10.0).round() / 10.0),
        });
    }
    if pct(rng, 85) {
        a.insert(descartes(&[
            ("metanephric", (f(rng, 200.0) * 100.0).round() / 100.0, 0.05),
            ("stromal", (f(rng, 100.0) * 100.0).round() / 100.0, 0.02),
        ]));
    }
    if pct(rng, 80) {
        let kidney = pct(rng, if curated { 60 } else { 12 });
        let mut mouse_symbol = symbol.to_lowercase();
        if let Some(c) = mouse_symbol.get(..1) {
            mouse_symbol = format!("{}{}", c.to_uppercase(), &mouse_symbol[1..]);
        }
        a.insert(Mouse {
            orthologs: vec![Ortholog {
                symbol: mouse_symbol,
                mgi_id: format!("MGI:{}", 1_000_000 + num),
            }],
            phenotype_count: rng.below(28) as usize,
            kidney_phenotypes: if kidney {
                terms(&[RENAL_URINARY])
            } else {
                Vec::new()
            },
        });
    }
    if pct(rng, 96) {
        a.insert(ManeSelect {
            refseq_transcript: format!("NM_{:06}.{}", 1_000 + num, 1 + rng.below(5)),
            refseq_protein: Some(format!("NP_{:06}.{}", 1_000 + num, 1 + rng.below(5))),
            ensembl_transcript: format!("ENST{:011}.{}", 200_000 + num, 1 + rng.below(12)),
            ensembl_protein: Some(format!("ENSP{:011}.{}", 200_000 + num, 1 + rng.below(12))),
            plus_clinical: Vec::new(),
        });
    }
    let heavy = i < 5;
    if heavy || pct(rng, if curated { 70 } else { 20 }) {
        let n = if heavy {
            500
        } else {
            3 + rng.below(60) as usize
        };
        let phen: Vec<Term> = (0..n)
            .map(|k| Term {
                id: format!("HP:{:07}", 100 + k * 37 + rng.below(30) as usize),
                name: format!(
                    "Abnormality of the {} {}",
                    ["kidney", "ear", "skeleton", "brain", "heart", "eye"][rng.below(6) as usize],
                    k
                ),
            })
            .collect();
        let kidney: Vec<Term> = phen.iter().step_by(3).cloned().collect();
        let groups = [
            "complement",
            "cakut",
            "glomerulopathy",
            "cyst_cilio",
            "tubulopathy",
            "nephrolithiasis",
        ];
        let g = groups[rng.below(6) as usize];
        let o = ["adult", "pediatric", "congenital"][rng.below(3) as usize];
        let share = |rng: &mut Rng| (f(rng, 0.3) * 10_000.0).round() / 10_000.0;
        let (gr, sk, ne, hn) = (share(rng), share(rng), share(rng), share(rng));
        let score = ((gr + sk + ne + hn) * 0.8 * 10_000.0).round() / 10_000.0;
        a.insert(HpoPhenotypes {
            diseases: (0..1 + rng.below(if heavy { 12 } else { 3 }))
                .map(|k| Term {
                    id: format!("OMIM:{}", 600_000 + num * 10 + k),
                    name: format!("{symbol} related disorder type {k}"),
                })
                .collect(),
            kidney_phenotypes: kidney,
            phenotypes: phen,
            clinical_group: clinical(&[(g, 1.0)], Some(g)),
            onset_group: onset(&[(o, 1.0)], Some(o)),
            syndromic: syndromic(gr, sk, ne, hn, score.min(1.0)),
        });
    }
    a
}

/// PKD1: every phenotype of its diseases in HPO 2025-01-16 `genes_to_phenotype.txt` (31).
const PKD1_PHENOTYPES: &[(&str, &str)] = &[
    ("HP:0000010", "Recurrent urinary tract infections"),
    ("HP:0000083", "Renal insufficiency"),
    ("HP:0000105", "Enlarged kidney"),
    ("HP:0000107", "Renal cyst"),
    ("HP:0000113", "Polycystic kidney dysplasia"),
    ("HP:0000790", "Hematuria"),
    ("HP:0000791", "Uric acid nephrolithiasis"),
    ("HP:0000822", "Hypertension"),
    ("HP:0001407", "Hepatic cysts"),
    ("HP:0001634", "Mitral valve prolapse"),
    ("HP:0001653", "Mitral regurgitation"),
    ("HP:0001737", "Pancreatic cysts"),
    ("HP:0002253", "Colonic diverticula"),
    ("HP:0002616", "Aortic root aneurysm"),
    (
        "HP:0003259",
        "Elevated circulating creatinine concentration",
    ),
    ("HP:0003774", "Stage 5 chronic kidney disease"),
    ("HP:0004944", "Dilatation of the cerebral artery"),
    ("HP:0006557", "Polycystic liver disease"),
    ("HP:0007029", "Cerebral berry aneurysm"),
    ("HP:0008672", "Calcium oxalate nephrolithiasis"),
    ("HP:0011004", "Abnormal systemic arterial morphology"),
    ("HP:0011760", "Pituitary growth hormone cell adenoma"),
    ("HP:0012207", "Reduced sperm motility"),
    ("HP:0012213", "Decreased glomerular filtration rate"),
    ("HP:0012330", "Pyelonephritis"),
    ("HP:0012591", "Abnormal urinary electrolyte concentration"),
    ("HP:0012592", "Albuminuria"),
    ("HP:0012622", "Chronic kidney disease"),
    ("HP:0030157", "Flank pain"),
    ("HP:0100702", "Arachnoid cyst"),
];
/// PKD1: its diseases (`genes_to_phenotype.txt` disease_id, names from `phenotype.hpoa`).
const PKD1_DISEASES: &[(&str, &str)] = &[
    ("OMIM:173900", "Polycystic kidneys"),
    ("ORPHA:730", "Autosomal dominant polycystic kidney disease"),
];
/// PKD1: the phenotypes under the four kidney roots (HP:0010935, HP:0000077, HP:0012210,
/// HP:0000079) in `hp.obo` 2025-01-16.
const PKD1_KIDNEY: &[(&str, &str)] = &[
    ("HP:0000010", "Recurrent urinary tract infections"),
    ("HP:0000083", "Renal insufficiency"),
    ("HP:0000105", "Enlarged kidney"),
    ("HP:0000107", "Renal cyst"),
    ("HP:0000113", "Polycystic kidney dysplasia"),
    ("HP:0000790", "Hematuria"),
    ("HP:0000791", "Uric acid nephrolithiasis"),
    ("HP:0003774", "Stage 5 chronic kidney disease"),
    ("HP:0008672", "Calcium oxalate nephrolithiasis"),
    ("HP:0012213", "Decreased glomerular filtration rate"),
    ("HP:0012330", "Pyelonephritis"),
    ("HP:0012591", "Abnormal urinary electrolyte concentration"),
    ("HP:0012592", "Albuminuria"),
    ("HP:0012622", "Chronic kidney disease"),
];

/// COL4A5: every phenotype of its diseases in HPO 2025-01-16 `genes_to_phenotype.txt` (56).
const COL4A5_PHENOTYPES: &[(&str, &str)] = &[
    ("HP:0000083", "Renal insufficiency"),
    ("HP:0000093", "Proteinuria"),
    ("HP:0000100", "Nephrotic syndrome"),
    ("HP:0000112", "Nephropathy"),
    ("HP:0000123", "Nephritis"),
    ("HP:0000407", "Sensorineural hearing impairment"),
    ("HP:0000478", "Abnormality of the eye"),
    ("HP:0000491", "Keratitis"),
    ("HP:0000518", "Cataract"),
    ("HP:0000519", "Developmental cataract"),
    ("HP:0000545", "Myopia"),
    ("HP:0000790", "Hematuria"),
    ("HP:0000822", "Hypertension"),
    ("HP:0000829", "Hypoparathyroidism"),
    ("HP:0001142", "Lenticonus"),
    ("HP:0001508", "Failure to thrive"),
    ("HP:0001824", "Weight loss"),
    ("HP:0001873", "Thrombocytopenia"),
    ("HP:0002013", "Vomiting"),
    ("HP:0002015", "Dysphagia"),
    ("HP:0002020", "Gastroesophageal reflux"),
    ("HP:0002031", "Abnormal esophagus morphology"),
    ("HP:0002094", "Dyspnea"),
    ("HP:0002205", "Recurrent respiratory infections"),
    ("HP:0002571", "Achalasia"),
    ("HP:0002907", "Microscopic hematuria"),
    ("HP:0003262", "Anti-smooth muscle antibody positivity"),
    ("HP:0003774", "Stage 5 chronic kidney disease"),
    ("HP:0004722", "Thickened glomerular basement membrane"),
    ("HP:0006524", "Tracheobronchial leiomyomatosis"),
    ("HP:0006756", "Diffuse leiomyomatosis"),
    ("HP:0008064", "Ichthyosis"),
    ("HP:0010450", "Esophageal stenosis"),
    ("HP:0010460", "Abnormality of the female genitalia"),
    ("HP:0010614", "Fibroma"),
    ("HP:0010784", "Uterine neoplasm"),
    ("HP:0011501", "Anterior lenticonus"),
    ("HP:0011951", "Aspiration pneumonia"),
    ("HP:0012252", "Abnormal respiratory system morphology"),
    ("HP:0012622", "Chronic kidney disease"),
    ("HP:0012718", "Abnormal gastrointestinal tract morphology"),
    ("HP:0012735", "Cough"),
    ("HP:0030034", "Glomerular basement membrane lamellation"),
    ("HP:0030416", "Vulvar neoplasm"),
    ("HP:0032141", "Precordial pain"),
    ("HP:0040288", "Nasogastric tube feeding"),
    ("HP:0100650", "Vaginal neoplasm"),
    ("HP:0100749", "Chest pain"),
    ("HP:0100751", "Esophageal neoplasm"),
    ("HP:0100771", "Hypoperistalsis"),
    ("HP:0200020", "Corneal erosion"),
    ("HP:0410281", "Dyspepsia"),
    (
        "HP:6001026",
        "Reduced epidermal collagen IV alpha 5 chain staining",
    ),
];
/// COL4A5: its diseases (`genes_to_phenotype.txt` disease_id, names from `phenotype.hpoa`).
const COL4A5_DISEASES: &[(&str, &str)] = &[
    ("OMIM:301050", "Alport syndrome, X-linked"),
    (
        "ORPHA:1018",
        "X-linked Alport syndrome-diffuse leiomyomatosis",
    ),
];
/// COL4A5: the phenotypes under the four kidney roots (HP:0010935, HP:0000077, HP:0012210,
/// HP:0000079) in `hp.obo` 2025-01-16.
const COL4A5_KIDNEY: &[(&str, &str)] = &[
    ("HP:0000083", "Renal insufficiency"),
    ("HP:0000093", "Proteinuria"),
    ("HP:0000100", "Nephrotic syndrome"),
    ("HP:0000112", "Nephropathy"),
    ("HP:0000123", "Nephritis"),
    ("HP:0000790", "Hematuria"),
    ("HP:0002907", "Microscopic hematuria"),
    ("HP:0003774", "Stage 5 chronic kidney disease"),
    ("HP:0004722", "Thickened glomerular basement membrane"),
    ("HP:0012622", "Chronic kidney disease"),
    ("HP:0030034", "Glomerular basement membrane lamellation"),
];

/// NPHS1: every phenotype of its diseases in HPO 2025-01-16 `genes_to_phenotype.txt` (40).
const NPHS1_PHENOTYPES: &[(&str, &str)] = &[
    ("HP:0000083", "Renal insufficiency"),
    ("HP:0000091", "Abnormal renal tubule morphology"),
    ("HP:0000092", "Renal tubular atrophy"),
    ("HP:0000093", "Proteinuria"),
    ("HP:0000096", "Glomerular sclerosis"),
    ("HP:0000097", "Focal segmental glomerulosclerosis"),
    ("HP:0000100", "Nephrotic syndrome"),
    ("HP:0000696", "Delayed eruption of permanent teeth"),
    ("HP:0000707", "Abnormality of the nervous system"),
    ("HP:0000737", "Irritability"),
    ("HP:0000821", "Hypothyroidism"),
    ("HP:0000969", "Edema"),
    ("HP:0001510", "Growth delay"),
    ("HP:0001518", "Small for gestational age"),
    ("HP:0001945", "Fever"),
    ("HP:0001967", "Diffuse mesangial sclerosis"),
    ("HP:0002020", "Gastroesophageal reflux"),
    ("HP:0002021", "Pyloric stenosis"),
    ("HP:0002027", "Abdominal pain"),
    ("HP:0002315", "Headache"),
    ("HP:0002586", "Peritonitis"),
    ("HP:0002643", "Neonatal respiratory distress"),
    ("HP:0002719", "Recurrent infections"),
    ("HP:0003073", "Hypoalbuminemia"),
    ("HP:0003075", "Hypoproteinemia"),
    ("HP:0003077", "Hyperlipidemia"),
    ("HP:0003124", "Hypercholesterolemia"),
    ("HP:0003270", "Abdominal distention"),
    ("HP:0003774", "Stage 5 chronic kidney disease"),
    ("HP:0004639", "Elevated amniotic fluid alpha-fetoprotein"),
    ("HP:0008677", "Congenital nephrotic syndrome"),
    ("HP:0011947", "Respiratory tract infection"),
    ("HP:0012050", "Anasarca"),
    ("HP:0012579", "Minimal change glomerulonephritis"),
    ("HP:0012622", "Chronic kidney disease"),
    ("HP:0031504", "Foamy urine"),
    ("HP:0100539", "Periorbital edema"),
];
/// NPHS1: its diseases (`genes_to_phenotype.txt` disease_id, names from `phenotype.hpoa`).
const NPHS1_DISEASES: &[(&str, &str)] = &[
    ("OMIM:256300", "Nephrotic syndrome, type 1"),
    (
        "ORPHA:656",
        "Hereditary steroid-resistant nephrotic syndrome",
    ),
    ("ORPHA:839", "Congenital nephrotic syndrome, Finnish type"),
];
/// NPHS1: the phenotypes under the four kidney roots (HP:0010935, HP:0000077, HP:0012210,
/// HP:0000079) in `hp.obo` 2025-01-16.
const NPHS1_KIDNEY: &[(&str, &str)] = &[
    ("HP:0000083", "Renal insufficiency"),
    ("HP:0000091", "Abnormal renal tubule morphology"),
    ("HP:0000092", "Renal tubular atrophy"),
    ("HP:0000093", "Proteinuria"),
    ("HP:0000096", "Glomerular sclerosis"),
    ("HP:0000097", "Focal segmental glomerulosclerosis"),
    ("HP:0000100", "Nephrotic syndrome"),
    ("HP:0001967", "Diffuse mesangial sclerosis"),
    ("HP:0003774", "Stage 5 chronic kidney disease"),
    ("HP:0008677", "Congenital nephrotic syndrome"),
    ("HP:0012579", "Minimal change glomerulonephritis"),
    ("HP:0012622", "Chronic kidney disease"),
    ("HP:0031504", "Foamy urine"),
];

/// UMOD: every phenotype of its diseases in HPO 2025-01-16 `genes_to_phenotype.txt` (40).
const UMOD_PHENOTYPES: &[(&str, &str)] = &[
    ("HP:0000076", "Vesicoureteral reflux"),
    ("HP:0000083", "Renal insufficiency"),
    ("HP:0000089", "Renal hypoplasia"),
    ("HP:0000092", "Renal tubular atrophy"),
    ("HP:0000093", "Proteinuria"),
    ("HP:0000096", "Glomerular sclerosis"),
    ("HP:0000103", "Polyuria"),
    ("HP:0000107", "Renal cyst"),
    ("HP:0000108", "Renal corticomedullary cysts"),
    ("HP:0000123", "Nephritis"),
    ("HP:0000790", "Hematuria"),
    ("HP:0000794", "IgA deposition in the glomerulus"),
    ("HP:0000822", "Hypertension"),
    ("HP:0001942", "Metabolic acidosis"),
    ("HP:0001970", "Tubulointerstitial nephritis"),
    ("HP:0001997", "Gout"),
    ("HP:0002149", "Hyperuricemia"),
    ("HP:0003138", "Increased blood urea nitrogen"),
    ("HP:0003158", "Hyposthenuria"),
    (
        "HP:0003165",
        "Elevated circulating parathyroid hormone level",
    ),
    (
        "HP:0003259",
        "Elevated circulating creatinine concentration",
    ),
    ("HP:0003774", "Stage 5 chronic kidney disease"),
    ("HP:0004719", "Hyperechogenic kidneys"),
    ("HP:0004722", "Thickened glomerular basement membrane"),
    (
        "HP:0005565",
        "Reduced renal corticomedullary differentiation",
    ),
    ("HP:0011935", "Decreased urinary urate"),
    ("HP:0012213", "Decreased glomerular filtration rate"),
    ("HP:0012622", "Chronic kidney disease"),
    ("HP:0012623", "Stage 1 chronic kidney disease"),
    ("HP:0012624", "Stage 2 chronic kidney disease"),
    ("HP:0012625", "Stage 3 chronic kidney disease"),
    ("HP:0012626", "Stage 4 chronic kidney disease"),
    ("HP:0032948", "Renal interstitial fibrosis"),
];
/// UMOD: its diseases (`genes_to_phenotype.txt` disease_id, names from `phenotype.hpoa`).
const UMOD_DISEASES: &[(&str, &str)] = &[(
    "OMIM:162000",
    "Tubulointerstitial kidney disease, autosomal dominant, 1",
)];
/// UMOD: the phenotypes under the four kidney roots (HP:0010935, HP:0000077, HP:0012210,
/// HP:0000079) in `hp.obo` 2025-01-16.
const UMOD_KIDNEY: &[(&str, &str)] = &[
    ("HP:0000076", "Vesicoureteral reflux"),
    ("HP:0000083", "Renal insufficiency"),
    ("HP:0000089", "Renal hypoplasia"),
    ("HP:0000092", "Renal tubular atrophy"),
    ("HP:0000093", "Proteinuria"),
    ("HP:0000096", "Glomerular sclerosis"),
    ("HP:0000103", "Polyuria"),
    ("HP:0000107", "Renal cyst"),
    ("HP:0000108", "Renal corticomedullary cysts"),
    ("HP:0000123", "Nephritis"),
    ("HP:0000790", "Hematuria"),
    ("HP:0000794", "IgA deposition in the glomerulus"),
    ("HP:0001970", "Tubulointerstitial nephritis"),
    ("HP:0003158", "Hyposthenuria"),
    ("HP:0003774", "Stage 5 chronic kidney disease"),
    ("HP:0004719", "Hyperechogenic kidneys"),
    ("HP:0004722", "Thickened glomerular basement membrane"),
    (
        "HP:0005565",
        "Reduced renal corticomedullary differentiation",
    ),
    ("HP:0011935", "Decreased urinary urate"),
    ("HP:0012213", "Decreased glomerular filtration rate"),
    ("HP:0012622", "Chronic kidney disease"),
    ("HP:0012623", "Stage 1 chronic kidney disease"),
    ("HP:0012624", "Stage 2 chronic kidney disease"),
    ("HP:0012625", "Stage 3 chronic kidney disease"),
    ("HP:0012626", "Stage 4 chronic kidney disease"),
    ("HP:0032948", "Renal interstitial fibrosis"),
];

/// APOL1: every phenotype of its diseases in HPO 2025-01-16 `genes_to_phenotype.txt` (18).
const APOL1_PHENOTYPES: &[(&str, &str)] = &[
    ("HP:0000093", "Proteinuria"),
    ("HP:0000097", "Focal segmental glomerulosclerosis"),
    ("HP:0000707", "Abnormality of the nervous system"),
    ("HP:0000737", "Irritability"),
    ("HP:0000969", "Edema"),
    ("HP:0001945", "Fever"),
    ("HP:0001967", "Diffuse mesangial sclerosis"),
    ("HP:0002027", "Abdominal pain"),
    ("HP:0002315", "Headache"),
    ("HP:0002586", "Peritonitis"),
    ("HP:0003073", "Hypoalbuminemia"),
    ("HP:0003774", "Stage 5 chronic kidney disease"),
    ("HP:0011947", "Respiratory tract infection"),
    ("HP:0012579", "Minimal change glomerulonephritis"),
    ("HP:0012622", "Chronic kidney disease"),
    ("HP:0031504", "Foamy urine"),
    ("HP:0100539", "Periorbital edema"),
];
/// APOL1: its diseases (`genes_to_phenotype.txt` disease_id, names from `phenotype.hpoa`).
const APOL1_DISEASES: &[(&str, &str)] = &[
    (
        "OMIM:612551",
        "Focal segmental glomerulosclerosis 4, susceptibility to",
    ),
    (
        "ORPHA:656",
        "Hereditary steroid-resistant nephrotic syndrome",
    ),
];
/// APOL1: the phenotypes under the four kidney roots (HP:0010935, HP:0000077, HP:0012210,
/// HP:0000079) in `hp.obo` 2025-01-16.
const APOL1_KIDNEY: &[(&str, &str)] = &[
    ("HP:0000093", "Proteinuria"),
    ("HP:0000097", "Focal segmental glomerulosclerosis"),
    ("HP:0001967", "Diffuse mesangial sclerosis"),
    ("HP:0003774", "Stage 5 chronic kidney disease"),
    ("HP:0012579", "Minimal change glomerulonephritis"),
    ("HP:0012622", "Chronic kidney disease"),
    ("HP:0031504", "Foamy urine"),
];
