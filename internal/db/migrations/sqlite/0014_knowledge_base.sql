-- The knowledge base over the articles of 0010/0013: categories with their
-- reviewers, links to applications and to competencies, every saved
-- version of an article, the review workflow's events, "was this
-- helpful?" votes and files. Keep in step with
-- ../postgres/0014_knowledge_base.sql: same tables, columns and constraints.

-- A category groups articles (SIMPEG, SIPD, webmail…) and names who
-- reviews them: only its reviewers (and the expert team) publish its articles.
CREATE TABLE article_categories (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL CHECK (name <> ''),
    description  TEXT NOT NULL DEFAULT '',
    position     INTEGER NOT NULL DEFAULT 0,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX article_categories_name ON article_categories(lower(name));

CREATE TABLE article_category_reviewers (
    category_id  INTEGER NOT NULL REFERENCES article_categories(id) ON DELETE CASCADE,
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    PRIMARY KEY (category_id, account_id)
);
CREATE INDEX article_category_reviewers_account ON article_category_reviewers(account_id);

ALTER TABLE articles ADD COLUMN category_id INTEGER REFERENCES article_categories(id);
CREATE INDEX articles_category ON articles(category_id, status);

-- The applications an article is about: an application's FAQ page lists
-- its published articles.
CREATE TABLE article_apps (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    app_id      INTEGER NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, app_id)
);
CREATE INDEX article_apps_app ON article_apps(app_id, article_id);

-- The competencies an article teaches, by the competency framework's
-- stable code (lowercase letters, digits, dots and dashes, at most 64):
-- the learning issue adds the framework's table and keys on this code.
CREATE TABLE article_competencies (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    code        TEXT NOT NULL CHECK (code <> ''),
    PRIMARY KEY (article_id, code)
);
CREATE INDEX article_competencies_code ON article_competencies(code, article_id);

-- Every save of an article, in full. A save made against an older version
-- than the current one (two people editing at once) is kept too, marked
-- conflict: version is then the version it started from, and nothing typed
-- is lost. The article row holds the current text; revision `version`
-- (conflict false) always equals it.
CREATE TABLE article_revisions (
    id                 INTEGER PRIMARY KEY,
    article_id         INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    version            INTEGER NOT NULL CHECK (version > 0),
    conflict           BOOLEAN NOT NULL DEFAULT FALSE,
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    editor_account_id  INTEGER REFERENCES accounts(id),
    created_at         TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX article_revisions_version ON article_revisions(article_id, version) WHERE conflict = FALSE;
CREATE INDEX article_revisions_article ON article_revisions(article_id, id);

INSERT INTO article_revisions (article_id, version, conflict, title, body, editor_account_id, created_at)
SELECT id, version, FALSE, title, body, author_account_id, updated_at FROM articles;

-- The review workflow's steps: sent to review, published, returned to
-- draft or unpublished, with the comment the reviewer gave.
CREATE TABLE article_events (
    id                INTEGER PRIMARY KEY,
    article_id        INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    from_status       TEXT NOT NULL,
    to_status         TEXT NOT NULL,
    comment           TEXT NOT NULL DEFAULT '',
    actor_account_id  INTEGER REFERENCES accounts(id),
    created_at        TIMESTAMP NOT NULL
);
CREATE INDEX article_events_article ON article_events(article_id, id);

-- "Was this helpful?": one vote per person and article, which they may change.
CREATE TABLE article_votes (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    helpful     BOOLEAN NOT NULL,
    voted_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (article_id, account_id)
);

-- Files of an article, checked like the help desk's (internal/upload).
-- The bytes live apart, so listing an article's files never reads them.
CREATE TABLE article_files (
    id                   INTEGER PRIMARY KEY,
    article_id           INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    uploader_account_id  INTEGER REFERENCES accounts(id),
    name                 TEXT NOT NULL CHECK (name <> ''),
    size                 INTEGER NOT NULL CHECK (size > 0),
    content_type         TEXT NOT NULL,
    sha256               TEXT NOT NULL,
    created_at           TIMESTAMP NOT NULL
);
CREATE INDEX article_files_article ON article_files(article_id, id);

CREATE TABLE article_file_data (
    file_id  INTEGER PRIMARY KEY REFERENCES article_files(id) ON DELETE CASCADE,
    content  BLOB NOT NULL
);
