-- kgdb schema, version 4: gene annotations (never scored). Rebuilt after each normalization
-- from the normalized staged rows of the annotation sources: one row per (gene, annotation),
-- the staged row it came from kept for provenance.
CREATE TABLE annotations (
    hgnc_id      TEXT NOT NULL,
    source       TEXT NOT NULL,              -- gnomad, clinvar, gtex, descartes, mgi, mane, hpo_phenotypes
    record_key   TEXT NOT NULL,              -- the staged row (source, record_key)
    data         TEXT NOT NULL,              -- JSON: the part of GeneAnnotations this source fills
    download_id  INTEGER REFERENCES downloads(id),
    PRIMARY KEY (hgnc_id, source)
);
CREATE INDEX staged_by_hgnc ON staged (source, hgnc_id);
