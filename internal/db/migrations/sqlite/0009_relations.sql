-- Help desk relations: canned replies per team, tickets merged into or
-- linked with others, the followers of a ticket, and problem records that
-- group recurring incidents under their root cause. Keep in step with
-- ../postgres/0009_relations.sql: same tables, columns and constraints.

-- A team's ready-made answers; the body may name a few placeholders
-- ({{nomor}}, {{nama_pelapor}}, {{petugas}}, {{subjek}}) filled in when an
-- agent uses it.
CREATE TABLE canned_replies (
    id          INTEGER PRIMARY KEY,
    team_id     INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_by  INTEGER REFERENCES accounts(id),
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (team_id, title)
);

-- 'duplicate_of': ticket_id was merged into other_id (at most once per
-- ticket). 'related': stored once per pair, the lower id first, so the
-- same pair cannot be linked twice from either side.
CREATE TABLE ticket_links (
    ticket_id   INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    other_id    INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('duplicate_of','related')),
    created_by  INTEGER REFERENCES accounts(id),
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (ticket_id, other_id),
    CHECK (ticket_id <> other_id),
    CHECK (kind = 'duplicate_of' OR ticket_id < other_id)
);
CREATE UNIQUE INDEX ticket_links_duplicate ON ticket_links(ticket_id) WHERE kind = 'duplicate_of';
CREATE INDEX ticket_links_other ON ticket_links(other_id);

-- People who may follow a ticket they did not report: the reporter of a
-- duplicate merged into it sees its public side.
CREATE TABLE ticket_followers (
    ticket_id   INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (ticket_id, account_id)
);
CREATE INDEX ticket_followers_account ON ticket_followers(account_id);

-- A problem (P-0001) is the cause behind recurring incidents; its number is
-- its id, so ids are never reused (AUTOINCREMENT).
CREATE TABLE problems (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    root_cause   TEXT NOT NULL DEFAULT '',
    workaround   TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN ('open','known_error','resolved')),
    app_id       INTEGER REFERENCES apps(id),
    created_by   INTEGER REFERENCES accounts(id),
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX problems_status ON problems(status, id);

-- A ticket belongs to at most one problem.
CREATE TABLE problem_tickets (
    ticket_id   INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
    problem_id  INTEGER NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
    created_by  INTEGER REFERENCES accounts(id),
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX problem_tickets_problem ON problem_tickets(problem_id, ticket_id);
