-- Search: the GIN index of the documents also holds each one's fine bucket
-- of ids (id >> 11: 2,048 documents), beside its bucket of 16,384. A search
-- reads the newest two fine buckets first, then the wider windows as before
-- (search.Service.newest). A window is read whole before its newest matches
-- are kept, so a first window of two wide buckets thick with matches cost a
-- read of every one: after filing 36,000 tickets of the same few words, an
-- employee's searches ran at 250 a second against 570 before (16 clients,
-- ministry scale), as the help desk's would during an outage. With the first
-- window at most 4,096 documents: 355 against 530. Queries name these
-- expressions exactly as here, or the index is not used. The statistics of
-- the index's expressions are gathered at once, not at autovacuum's next
-- ANALYZE of the table: the searches' corrections are planned with them.
-- Keep in step with ../sqlite/0049_search_fine_window.sql.
SET LOCAL maintenance_work_mem = '256MB';
DROP INDEX search_docs_find;
CREATE INDEX search_docs_find ON search_docs USING GIN (tsv, (string_to_array(audience, ' ')),
    (ARRAY[(id >> 14)::int]), (ARRAY[(id >> 11)::int])) WITH (fastupdate = off);
ANALYZE search_docs;
