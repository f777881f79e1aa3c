-- Search: the documents the vocabulary has not learnt yet are a list of
-- their own (search_unlearnt), no longer a flag on their row: on PostgreSQL
-- marking a row learnt rewrote it and indexed it again (see
-- ../postgres/0048_search_unlearnt.sql). A Put adds one id to the list and
-- Learn deletes it. Like search_texts, the list has no foreign key: Remove
-- deletes both. Keep in step with ../postgres/0048_search_unlearnt.sql.
CREATE TABLE search_unlearnt (
    doc INTEGER PRIMARY KEY -- search_docs.id
);
INSERT INTO search_unlearnt (doc) SELECT id FROM search_docs WHERE NOT learnt;
DROP INDEX search_docs_unlearnt;
ALTER TABLE search_docs DROP COLUMN learnt;
