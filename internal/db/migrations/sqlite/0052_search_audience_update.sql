-- Search: a change of who finds many documents at once (a discussion space
-- made members-only or open) updates their audience in place
-- (search.SetAudience) instead of putting each document again. The
-- full-text table keeps the audience too and is an external-content table:
-- this trigger carries such an update to it, as search_docs_ai and
-- search_docs_ad carry an insert and a delete. PostgreSQL's GIN index
-- follows an update by itself (../postgres/0052_search_audience_update.sql).
CREATE TRIGGER search_docs_au AFTER UPDATE OF audience ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, title_terms, body_terms, audience)
    VALUES ('delete', old.id, old.title_terms, old.body_terms, old.audience);
    INSERT INTO search_fts (rowid, title_terms, body_terms, audience)
    VALUES (new.id, new.title_terms, new.body_terms, new.audience);
END;
