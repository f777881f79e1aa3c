-- Articles take the knowledge base's vocabulary: the review status is
-- 'review' (as the API names it), an article can come from a discussion
-- thread or a meeting's notes as well as a ticket, and every save bumps its
-- version (what an editor's If-Match / version check compares). Keep in step
-- with ../postgres/0013_article_workflow.sql.
--
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt.
-- Dropping `articles` while foreign keys are on would cascade into
-- article_views, so that table is rebuilt beside it and both are renamed
-- into place (the rename rewrites the views' reference to the new table).

CREATE TABLE articles_new (
    id                 INTEGER PRIMARY KEY,
    title              TEXT NOT NULL,
    body               TEXT NOT NULL DEFAULT '', -- Markdown
    status             TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','review','published')),
    -- Where the article came from: a ticket, a discussion thread or a
    -- meeting (its id); none for an article written from scratch.
    origin_kind        TEXT CHECK (origin_kind IN ('ticket','thread','meeting')),
    origin_id          INTEGER,
    author_account_id  INTEGER REFERENCES accounts(id),
    version            INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    CHECK ((origin_kind IS NULL) = (origin_id IS NULL))
);
INSERT INTO articles_new (id, title, body, status, origin_kind, origin_id, author_account_id, version, created_at, updated_at)
SELECT id, title, body, CASE status WHEN 'in_review' THEN 'review' ELSE status END,
       origin_kind, origin_id, author_account_id, 1, created_at, updated_at
FROM articles;

CREATE TABLE article_views_new (
    id              INTEGER PRIMARY KEY,
    article_id      INTEGER NOT NULL REFERENCES articles_new(id) ON DELETE CASCADE,
    account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    viewed_at       TIMESTAMP NOT NULL,
    window_ends_at  TIMESTAMP NOT NULL
);
INSERT INTO article_views_new SELECT id, article_id, account_id, viewed_at, window_ends_at FROM article_views;

DROP TABLE article_views;
DROP TABLE articles;
ALTER TABLE articles_new RENAME TO articles;
ALTER TABLE article_views_new RENAME TO article_views;

CREATE UNIQUE INDEX articles_origin ON articles(origin_kind, origin_id) WHERE origin_kind IS NOT NULL;
CREATE INDEX articles_status ON articles(status, updated_at, id);
CREATE INDEX article_views_article ON article_views(article_id, window_ends_at);
CREATE INDEX article_views_account ON article_views(account_id, article_id, window_ends_at);
