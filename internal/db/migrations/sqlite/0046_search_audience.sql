-- Search: a document's audience keys live in its row (search_docs.audience,
-- the keys separated by spaces) and in the full-text index, as a third
-- column. A search then intersects the query's words and the searcher's keys
-- inside FTS5, newest first, and stops at the pool: before, it looked up
-- each matching document's keys in search_keys, which for a common word and
-- a searcher who may see few of the documents read tens of thousands of rows
-- for a page. One statement fewer per Put, too.
-- Keep in step with ../postgres/0046_search_audience.sql.
DROP TRIGGER search_docs_ai;
DROP TRIGGER search_docs_ad;
DROP TABLE search_fts;
ALTER TABLE search_docs ADD COLUMN audience TEXT NOT NULL DEFAULT '';
UPDATE search_docs SET audience = COALESCE((SELECT group_concat(key, ' ')
    FROM (SELECT key FROM search_keys k WHERE k.doc = search_docs.id ORDER BY key)), '');
DROP TABLE search_keys;
-- Queries name the columns they search: words {title_terms body_terms},
-- keys audience (a stem such as "desk" must not find the help desk's key).
CREATE VIRTUAL TABLE search_fts USING fts5(title_terms, body_terms, audience, content='search_docs', content_rowid='id',
    tokenize='unicode61 remove_diacritics 0');
INSERT INTO search_fts (search_fts) VALUES ('rebuild');
CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, title_terms, body_terms, audience) VALUES (new.id, new.title_terms, new.body_terms, new.audience);
END;
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, title_terms, body_terms, audience)
    VALUES ('delete', old.id, old.title_terms, old.body_terms, old.audience);
END;
