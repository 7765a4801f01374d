-- kgdb schema, version 2: the explainable score breakdown (SCORING.md "Explainability").
-- `breakdown`: JSON array, per source with evidence: measure, n, rank, s or classification
-- and weight, contribution, counted/supported/contradicting flags, classic flag.
-- `hgnc_num`: the HGNC number, for ordering.
ALTER TABLE scores ADD COLUMN hgnc_num INTEGER NOT NULL DEFAULT 0;
ALTER TABLE scores ADD COLUMN breakdown TEXT NOT NULL DEFAULT '[]';
CREATE INDEX scores_by_num ON scores (hgnc_num);
