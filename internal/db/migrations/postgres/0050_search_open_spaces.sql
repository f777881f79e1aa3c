-- Search: the posts of an open space also carry a key that every reader of
-- the space holds anyway (discuss.PostAudience): 'all' for a space open to
-- the whole city, 'citywide' for an agency's open space, which the
-- city-wide roles read (policy.ReadsOpenSpaces). Searchers then name only
-- the spaces no such key covers: at ministry scale the help desk's agents
-- held a key for each of hundreds of agency spaces, each a posting list
-- the index merged in every window of every search. Members-only rooms keep
-- their own key alone. Keep in step with ../sqlite/0050_search_open_spaces.sql.
UPDATE search_docs d
SET audience = d.audience || CASE WHEN s.level = 'agency' THEN ' citywide' ELSE ' all' END
FROM posts p
JOIN threads t ON t.id = p.thread_id
JOIN spaces s ON s.id = t.space_id
WHERE d.kind = 'post' AND d.doc_id = p.id AND NOT s.members_only;
