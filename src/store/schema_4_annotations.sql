-- kgdb schema, version 4: gene annotations (never scored).
--
-- `staged` is rebuilt with `details` as its LAST column: SQLite reads a record's columns in
-- order, so with the large JSON before `hgnc_id` every read of `hgnc_id` walked the JSON's
-- overflow pages (annotation files stage 140k rows, ~60 MB of details).
CREATE TABLE staged_v4 (
    id                  INTEGER PRIMARY KEY,
    source              TEXT NOT NULL,
    record_key          TEXT NOT NULL,
    reported_symbol     TEXT,
    reported_hgnc_id    TEXT,
    reported_ncbi_id    TEXT,
    reported_ensembl_id TEXT,
    download_id         INTEGER REFERENCES downloads(id),
    hgnc_id             TEXT,               -- filled by `kgdb normalize`
    details             TEXT NOT NULL,      -- JSON
    UNIQUE (source, record_key)
);
INSERT INTO staged_v4 (id, source, record_key, reported_symbol, reported_hgnc_id,
        reported_ncbi_id, reported_ensembl_id, download_id, hgnc_id, details)
    SELECT id, source, record_key, reported_symbol, reported_hgnc_id, reported_ncbi_id,
        reported_ensembl_id, download_id, hgnc_id, details FROM staged;
DROP TABLE staged;
ALTER TABLE staged_v4 RENAME TO staged;
CREATE INDEX staged_by_identity ON staged
    (source, reported_symbol, reported_hgnc_id, reported_ncbi_id, reported_ensembl_id);
CREATE INDEX staged_by_hgnc ON staged (source, hgnc_id);

-- The log keeps each decision's input identity too, so normalization writes the answers
-- into `staged` with one joined UPDATE.
ALTER TABLE normalization_log ADD COLUMN reported_symbol TEXT;
ALTER TABLE normalization_log ADD COLUMN reported_hgnc_id TEXT;
ALTER TABLE normalization_log ADD COLUMN reported_ncbi_id TEXT;
ALTER TABLE normalization_log ADD COLUMN reported_ensembl_id TEXT;

-- One row per (scored gene, annotation), rebuilt by each `kgdb score` from the normalized
-- staged rows of the annotation sources; the staged row it came from kept for provenance.
CREATE TABLE annotations (
    hgnc_id      TEXT NOT NULL,
    source       TEXT NOT NULL,              -- gnomad, clinvar, gtex, descartes, mgi, mane, hpo_phenotypes
    record_key   TEXT NOT NULL,              -- the staged row (source, record_key)
    download_id  INTEGER REFERENCES downloads(id),
    data         TEXT NOT NULL,              -- JSON: the part of GeneAnnotations this source fills
    PRIMARY KEY (hgnc_id, source)
);

-- The files each source run used (also the stored copies an unchanged or offline run reused,
-- and the files a companion such as hpo_phenotypes was built from): the Sources page lists
-- exactly these.
CREATE TABLE source_run_downloads (
    source_run_id  INTEGER NOT NULL REFERENCES source_runs(id),
    download_id    INTEGER NOT NULL REFERENCES downloads(id),
    PRIMARY KEY (source_run_id, download_id)
);
