-- The vocabulary learns each document once, by a flag on its row: a
-- high-water mark over search_docs.id skipped, on PostgreSQL, a document
-- whose transaction committed after one with a later id. search.Learn
-- reads the rows not learnt (through the partial index) and marks them in
-- the transaction that adds their stems; a Put writes a fresh row, learnt
-- again. Keep in step with ../postgres/0018_search_learnt.sql.
ALTER TABLE search_docs ADD COLUMN learnt BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE search_docs SET learnt = TRUE WHERE id <= (SELECT doc FROM search_learnt WHERE id = 1);
CREATE INDEX search_docs_unlearnt ON search_docs(id) WHERE NOT learnt;
DROP TABLE search_learnt;
