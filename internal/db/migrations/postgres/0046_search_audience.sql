-- Search: a document's audience keys live in its row (search_docs.audience,
-- the keys separated by spaces), and one GIN index holds its stems, its keys
-- and its bucket of ids (id >> 14: 16,384 documents). A search intersects the
-- query's words, the searcher's keys and a window of the newest buckets
-- inside the index, window after window until its pool is full
-- (search.Service.newest). Before, it walked the documents newest first and
-- looked up each one's keys in search_keys: a common word, or several words
-- found together in few documents, read tens of thousands of rows or all of
-- them (1.5–3 s at ministry scale). One statement fewer per Put, too.
-- Keep in step with ../sqlite/0046_search_audience.sql.
ALTER TABLE search_docs ADD COLUMN audience TEXT NOT NULL DEFAULT '';
DROP INDEX search_docs_tsv;
UPDATE search_docs d SET audience = k.keys
FROM (SELECT doc, string_agg(key, ' ' ORDER BY key) AS keys FROM search_keys GROUP BY doc) k
WHERE k.doc = d.id;
ALTER TABLE search_docs ALTER COLUMN audience DROP DEFAULT;
DROP TABLE search_keys;
-- Queries name these expressions exactly as here, or the index is not used.
CREATE INDEX search_docs_find ON search_docs USING GIN (tsv, (string_to_array(audience, ' ')), (ARRAY[(id >> 14)::int]));
