-- Search: the posts of an open space also carry a key that every reader of
-- the space holds anyway (discuss.PostAudience): 'all' for a space open to
-- the whole city, 'citywide' for an agency's open space, which the
-- city-wide roles read (policy.ReadsOpenSpaces). See
-- ../postgres/0050_search_open_spaces.sql. The full-text table keeps the
-- audience too (an external-content table with no update trigger: a Put
-- replaces rows), so the rows changed leave it first and come back after.
CREATE TEMP TABLE open_posts (id INTEGER PRIMARY KEY, key TEXT NOT NULL);
INSERT INTO open_posts (id, key)
SELECT d.id, CASE WHEN s.level = 'agency' THEN ' citywide' ELSE ' all' END
FROM search_docs d
JOIN posts p ON p.id = d.doc_id
JOIN threads t ON t.id = p.thread_id
JOIN spaces s ON s.id = t.space_id
WHERE d.kind = 'post' AND NOT s.members_only;
INSERT INTO search_fts (search_fts, rowid, title_terms, body_terms, audience)
SELECT 'delete', d.id, d.title_terms, d.body_terms, d.audience FROM search_docs d JOIN open_posts o ON o.id = d.id;
UPDATE search_docs SET audience = audience || (SELECT key FROM open_posts o WHERE o.id = search_docs.id)
WHERE id IN (SELECT id FROM open_posts);
INSERT INTO search_fts (rowid, title_terms, body_terms, audience)
SELECT d.id, d.title_terms, d.body_terms, d.audience FROM search_docs d JOIN open_posts o ON o.id = d.id;
DROP TABLE open_posts;
