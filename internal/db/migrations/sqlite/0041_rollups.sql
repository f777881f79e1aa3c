-- Roll-ups: the LO index's figures per agency and day, kept current by
-- marking what a write touches (see internal/rollup). Keep in step with
-- ../postgres/0041_rollups.sql. Times are microseconds since 1970, so a
-- moment's UTC hour is t / 3600000000.

CREATE TABLE rollup_days (
    figure     TEXT NOT NULL,
    day        TEXT NOT NULL,
    agency_id  INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    m          INTEGER NOT NULL DEFAULT 0,
    k          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, figure, agency_id)
);

CREATE TABLE rollup_dirty (
    id      INTEGER PRIMARY KEY,
    figure  TEXT NOT NULL,
    ref     INTEGER NOT NULL
);

CREATE TABLE rollup_state (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    zone      TEXT NOT NULL DEFAULT '',
    built     BOOLEAN NOT NULL DEFAULT FALSE,
    ran_at    TIMESTAMP
);
INSERT INTO rollup_state (id) VALUES (1);

CREATE INDEX rollup_posts_created ON posts(created_at);
CREATE INDEX rollup_article_published ON article_events(created_at) WHERE to_status = 'published';
CREATE INDEX rollup_articles_author ON articles(author_account_id);
CREATE INDEX rollup_self_service_viewed ON search_self_service(viewed_at);
CREATE INDEX rollup_tickets_running ON tickets(created_at) WHERE resolved_at IS NULL AND pending_since IS NULL;

CREATE TRIGGER rollup_tickets_ins AFTER INSERT ON tickets BEGIN
    INSERT INTO rollup_dirty (figure, ref) VALUES ('tickets', NEW.created_at / 3600000000);
    INSERT INTO rollup_dirty (figure, ref) SELECT 'self', v.viewed_at / 3600000000 FROM search_self_service v
        WHERE v.account_id = NEW.reporter_account_id AND v.viewed_at <= NEW.created_at AND v.window_ends_at > NEW.created_at;
END;
CREATE TRIGGER rollup_tickets_del AFTER DELETE ON tickets BEGIN
    INSERT INTO rollup_dirty (figure, ref) VALUES ('tickets', OLD.created_at / 3600000000);
    INSERT INTO rollup_dirty (figure, ref) SELECT 'self', v.viewed_at / 3600000000 FROM search_self_service v
        WHERE v.account_id = OLD.reporter_account_id AND v.viewed_at <= OLD.created_at AND v.window_ends_at > OLD.created_at;
END;
CREATE TRIGGER rollup_tickets_upd AFTER UPDATE OF created_at, agency_id, resolved_at, resolution_due, pending_since, reporter_account_id
    ON tickets WHEN OLD.created_at IS NOT NEW.created_at OR OLD.agency_id IS NOT NEW.agency_id
        OR OLD.resolved_at IS NOT NEW.resolved_at OR OLD.resolution_due IS NOT NEW.resolution_due
        OR OLD.pending_since IS NOT NEW.pending_since OR OLD.reporter_account_id IS NOT NEW.reporter_account_id BEGIN
    INSERT INTO rollup_dirty (figure, ref) VALUES ('tickets', OLD.created_at / 3600000000), ('tickets', NEW.created_at / 3600000000);
    INSERT INTO rollup_dirty (figure, ref) SELECT 'self', v.viewed_at / 3600000000 FROM search_self_service v
        WHERE (OLD.reporter_account_id IS NOT NEW.reporter_account_id OR OLD.created_at <> NEW.created_at)
        AND ((v.account_id = OLD.reporter_account_id AND v.viewed_at <= OLD.created_at AND v.window_ends_at > OLD.created_at)
        OR (v.account_id = NEW.reporter_account_id AND v.viewed_at <= NEW.created_at AND v.window_ends_at > NEW.created_at));
END;

CREATE TRIGGER rollup_ledger_ins AFTER INSERT ON learning_records BEGIN
    INSERT INTO rollup_dirty (figure, ref) VALUES ('jp', NEW.completed_at / 3600000000);
END;
CREATE TRIGGER rollup_ledger_del AFTER DELETE ON learning_records BEGIN
    INSERT INTO rollup_dirty (figure, ref) VALUES ('jp', OLD.completed_at / 3600000000);
END;
CREATE TRIGGER rollup_ledger_upd AFTER UPDATE OF completed_at, jp, employee_id ON learning_records BEGIN
    INSERT INTO rollup_dirty (figure, ref) VALUES ('jp', OLD.completed_at / 3600000000), ('jp', NEW.completed_at / 3600000000);
END;

CREATE TRIGGER rollup_self_ins AFTER INSERT ON search_self_service BEGIN
    INSERT INTO rollup_dirty (figure, ref) VALUES ('self', NEW.viewed_at / 3600000000);
END;
CREATE TRIGGER rollup_self_del AFTER DELETE ON search_self_service BEGIN
    INSERT INTO rollup_dirty (figure, ref) VALUES ('self', OLD.viewed_at / 3600000000);
END;
CREATE TRIGGER rollup_self_upd AFTER UPDATE ON search_self_service BEGIN
    INSERT INTO rollup_dirty (figure, ref) VALUES ('self', OLD.viewed_at / 3600000000), ('self', NEW.viewed_at / 3600000000);
END;

CREATE TRIGGER rollup_posts_del AFTER DELETE ON posts BEGIN
    INSERT INTO rollup_dirty (figure, ref) VALUES ('answers', OLD.created_at / 3600000000);
END;
CREATE TRIGGER rollup_posts_upd AFTER UPDATE OF hidden_at, author_account_id, created_at, thread_id ON posts
    WHEN OLD.hidden_at IS NOT NEW.hidden_at OR OLD.author_account_id IS NOT NEW.author_account_id
        OR OLD.created_at IS NOT NEW.created_at OR OLD.thread_id IS NOT NEW.thread_id BEGIN
    INSERT INTO rollup_dirty (figure, ref) VALUES ('answers', OLD.created_at / 3600000000), ('answers', NEW.created_at / 3600000000);
END;

CREATE TRIGGER rollup_threads_ins AFTER INSERT ON threads WHEN NEW.accepted_post_id IS NOT NULL BEGIN
    INSERT INTO rollup_dirty (figure, ref) SELECT 'answers', created_at / 3600000000 FROM posts WHERE id = NEW.accepted_post_id;
END;
CREATE TRIGGER rollup_threads_del AFTER DELETE ON threads WHEN OLD.accepted_post_id IS NOT NULL BEGIN
    INSERT INTO rollup_dirty (figure, ref) SELECT 'answers', created_at / 3600000000 FROM posts WHERE id = OLD.accepted_post_id;
END;
CREATE TRIGGER rollup_threads_upd AFTER UPDATE OF accepted_post_id, author_account_id ON threads
    WHEN OLD.accepted_post_id IS NOT NEW.accepted_post_id OR OLD.author_account_id IS NOT NEW.author_account_id BEGIN
    INSERT INTO rollup_dirty (figure, ref) SELECT 'answers', created_at / 3600000000 FROM posts
        WHERE id IN (OLD.accepted_post_id, NEW.accepted_post_id);
END;

CREATE TRIGGER rollup_article_events_ins AFTER INSERT ON article_events BEGIN
    INSERT INTO rollup_dirty (figure, ref) SELECT 'articles', created_at / 3600000000 FROM article_events
        WHERE article_id = NEW.article_id AND to_status = 'published';
END;
CREATE TRIGGER rollup_article_events_del AFTER DELETE ON article_events BEGIN
    INSERT INTO rollup_dirty (figure, ref) VALUES ('articles', OLD.created_at / 3600000000);
    INSERT INTO rollup_dirty (figure, ref) SELECT 'articles', created_at / 3600000000 FROM article_events
        WHERE article_id = OLD.article_id AND to_status = 'published';
END;
CREATE TRIGGER rollup_article_events_upd AFTER UPDATE ON article_events BEGIN
    INSERT INTO rollup_dirty (figure, ref) VALUES ('articles', OLD.created_at / 3600000000);
    INSERT INTO rollup_dirty (figure, ref) SELECT 'articles', created_at / 3600000000 FROM article_events
        WHERE article_id IN (OLD.article_id, NEW.article_id) AND to_status = 'published';
END;
CREATE TRIGGER rollup_articles AFTER UPDATE OF status, author_account_id ON articles
    WHEN OLD.status IS NOT NEW.status OR OLD.author_account_id IS NOT NEW.author_account_id BEGIN
    INSERT INTO rollup_dirty (figure, ref) SELECT 'articles', created_at / 3600000000 FROM article_events
        WHERE article_id = NEW.id AND to_status = 'published';
END;

CREATE TRIGGER rollup_employees_ins AFTER INSERT ON employees BEGIN
    INSERT INTO rollup_dirty (figure, ref) VALUES ('people', 0);
END;
CREATE TRIGGER rollup_employees_del AFTER DELETE ON employees BEGIN
    INSERT INTO rollup_dirty (figure, ref) VALUES ('employee', OLD.id);
END;
CREATE TRIGGER rollup_employees_upd AFTER UPDATE OF agency_id, active ON employees
    WHEN OLD.agency_id IS NOT NEW.agency_id OR OLD.active IS NOT NEW.active BEGIN
    INSERT INTO rollup_dirty (figure, ref) VALUES ('employee', NEW.id);
END;
CREATE TRIGGER rollup_accounts_upd AFTER UPDATE OF employee_id ON accounts WHEN OLD.employee_id IS NOT NEW.employee_id BEGIN
    INSERT INTO rollup_dirty (figure, ref) VALUES ('account', NEW.id);
END;
