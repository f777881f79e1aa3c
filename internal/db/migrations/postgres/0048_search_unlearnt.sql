-- Search: the documents the vocabulary has not learnt yet are a list of
-- their own (search_unlearnt), no longer a flag on their row. Marking a row
-- learnt rewrote it: PostgreSQL wrote a new version of the whole row and new
-- entries in every index, the GIN index's one per stem and key among them,
-- so each new document was indexed twice and its dead version stayed in the
-- index until a vacuum. While tickets were filed at 2,000 a second, the
-- Learn job's updates took a quarter of PostgreSQL's statement time; and
-- a typo's correction, which also looks for the word among the documents
-- not learnt yet, walked all of them: 50 ms a correction after about 20,000
-- new tickets, 10 ms with the list. Now a Put
-- adds one id to the list and Learn deletes it; search_docs is only ever
-- inserted into and deleted from. Like search_texts, the list has no foreign
-- key: Remove deletes both. Keep in step with ../sqlite/0048_search_unlearnt.sql.
CREATE TABLE search_unlearnt (
    doc BIGINT PRIMARY KEY -- search_docs.id
);
INSERT INTO search_unlearnt (doc) SELECT id FROM search_docs WHERE NOT learnt;
DROP INDEX search_docs_unlearnt;
ALTER TABLE search_docs DROP COLUMN learnt;
