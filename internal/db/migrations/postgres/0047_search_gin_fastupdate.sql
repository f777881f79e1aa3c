-- Search: the GIN index of the documents takes each new document into its
-- tree at once, not into a pending list first (fastupdate off). With the
-- pending list on, every search read the whole list (up to
-- gin_pending_list_limit, 4 MB) before the tree: while tickets were filed at
-- a few hundred a second, the ministry's searches went from p50 7 ms to
-- 27 ms and p95 29 ms to 92 ms for one client, and "printer" read 320 pages
-- of pending entries to find the tree's 3,570. Each Put now pays its own
-- index entries instead (PostgreSQL's documentation: "if consistent
-- response time is more important than update speed"). Entries already
-- pending are moved into the tree by the next VACUUM or by
-- gin_clean_pending_list.
-- SQLite's full-text index has no such list: ../sqlite/0047 is empty.
ALTER INDEX search_docs_find SET (fastupdate = off);
SELECT gin_clean_pending_list('search_docs_find'::regclass);
