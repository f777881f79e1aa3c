-- Search: one index over articles, discussion posts and tickets. The owner of
-- a thing writes its document here (search.Put) in the transaction that
-- changes it. Text is analysed in Go (internal/search: folding, stop words,
-- Indonesian stemming), so the engines index stems, separated by spaces,
-- with their plainest tokenizer. Keep in step with
-- ../postgres/0016_search.sql.

-- One row per document, what a search scans and ranks by. Every Put deletes and re-inserts the row, so ids
-- grow with the time of the last change: the newest match is the highest id.
CREATE TABLE search_docs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT NOT NULL CHECK (kind IN ('article','post','ticket')),
    doc_id       INTEGER NOT NULL,
    ref          TEXT NOT NULL,             -- what a result names: article id, thread id, ticket number
    app_id       INTEGER,
    helpful      INTEGER NOT NULL DEFAULT 0,
    updated_at   TIMESTAMP NOT NULL,
    title_terms  TEXT NOT NULL,             -- stems of the title
    body_terms   TEXT NOT NULL,             -- stems of the body
    UNIQUE (kind, doc_id)
);

-- The full-text index of the stems, kept by triggers (an external-content
-- FTS5 table: the text lives once, in search_docs).
CREATE VIRTUAL TABLE search_fts USING fts5(title_terms, body_terms, content='search_docs', content_rowid='id',
    tokenize='unicode61 remove_diacritics 0');
CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, title_terms, body_terms) VALUES (new.id, new.title_terms, new.body_terms);
END;
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, title_terms, body_terms) VALUES ('delete', old.id, old.title_terms, old.body_terms);
END;

-- The text results show (title, and the plain text snippets are cut from),
-- apart from the rows a search scans, which stay small.
CREATE TABLE search_texts (
    doc    INTEGER PRIMARY KEY,          -- search_docs.id
    title  TEXT NOT NULL,
    body   TEXT NOT NULL
);

-- Who may find a document: a searcher finds it holding any of its keys.
CREATE TABLE search_keys (
    doc  INTEGER NOT NULL,      -- search_docs.id; Remove deletes both
    key  TEXT NOT NULL,
    PRIMARY KEY (doc, key)
) WITHOUT ROWID;

-- The vocabulary of indexed stems and their one-letter deletions
-- (SymSpell): a mistyped query word finds the stems within one edit through
-- the deletions they share. A stem is stored as (stem, stem); each of its
-- deletions as (deletion, stem). Stems are never removed: a stale one only
-- offers a correction that finds nothing, and is then not chosen. The
-- vocabulary is learnt in batches after the documents are written
-- (search.Learn, a job), so a Put costs no more than its document.
CREATE TABLE search_terms (
    del   TEXT NOT NULL,
    term  TEXT NOT NULL,
    PRIMARY KEY (del, term)
) WITHOUT ROWID;

-- How far the vocabulary has learnt: the highest search_docs id read.
CREATE TABLE search_learnt (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    doc  INTEGER NOT NULL
);
INSERT INTO search_learnt (id, doc) VALUES (1, 0);

-- Problems solved by self-service: a person opened an article suggested on
-- the "Minta bantuan" form, about the application chosen there (NULL: none).
-- Like article_views, it counts when that person files no ticket before
-- window_ends_at; one row per person, article and window.
CREATE TABLE search_self_service (
    id              INTEGER PRIMARY KEY,
    article_id      INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    app_id          INTEGER REFERENCES apps(id) ON DELETE SET NULL,
    viewed_at       TIMESTAMP NOT NULL,
    window_ends_at  TIMESTAMP NOT NULL
);
CREATE INDEX search_self_service_account ON search_self_service(account_id, article_id, window_ends_at);
CREATE INDEX search_self_service_time ON search_self_service(window_ends_at);
