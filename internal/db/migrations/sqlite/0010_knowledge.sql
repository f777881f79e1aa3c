-- Knowledge: the seam the knowledge base grows from. An article starts as a
-- draft — today made from a resolved ticket ("Jadikan FAQ") — and goes
-- through review to publication. Keep in step with
-- ../postgres/0010_knowledge.sql.

CREATE TABLE articles (
    id                 INTEGER PRIMARY KEY,
    title              TEXT NOT NULL,
    body               TEXT NOT NULL DEFAULT '', -- Markdown
    status             TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','in_review','published')),
    -- Where the article came from: a ticket (its id) for an FAQ; none for
    -- an article written from scratch.
    origin_kind        TEXT CHECK (origin_kind IN ('ticket')),
    origin_id          INTEGER,
    author_account_id  INTEGER REFERENCES accounts(id),
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    CHECK ((origin_kind IS NULL) = (origin_id IS NULL))
);
-- One article per origin: a ticket becomes one FAQ, however often the
-- button is pressed.
CREATE UNIQUE INDEX articles_origin ON articles(origin_kind, origin_id) WHERE origin_kind IS NOT NULL;
CREATE INDEX articles_status ON articles(status, updated_at, id);

-- Tickets an article prevented. A signed-in person reading an article is a
-- view; the view counts as a ticket prevented when that person files no
-- ticket before window_ends_at (the view time plus the window, stored so the
-- count needs no date arithmetic, which the two engines spell differently).
-- One view per person and article is kept per window: reading it three
-- times in an afternoon is one need, not three.
CREATE TABLE article_views (
    id              INTEGER PRIMARY KEY,
    article_id      INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    viewed_at       TIMESTAMP NOT NULL,
    window_ends_at  TIMESTAMP NOT NULL
);
CREATE INDEX article_views_article ON article_views(article_id, window_ends_at);
CREATE INDEX article_views_account ON article_views(account_id, article_id, window_ends_at);
