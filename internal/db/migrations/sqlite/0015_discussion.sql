-- Discussion: spaces (rooms) at every level, their members and moderators,
-- threads and posts in Markdown, reactions, follows and reports. Keep in
-- step with ../postgres/0015_discussion.sql: same tables, columns and
-- constraints.

-- A space belongs to one level: the whole city, an agency, an application
-- or a help desk team (its agency_id, app_id or team_id says which). Open
-- spaces (not members_only) are read by everyone the level reaches (see internal/policy
-- SpaceRead); members-only spaces by their members. Formal spaces are the
-- official forums, informal ones the places to chat ("Ruang santai").
CREATE TABLE spaces (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    level        TEXT NOT NULL CHECK (level IN ('city','agency','app','team')),
    agency_id    INTEGER REFERENCES agencies(id),
    app_id       INTEGER REFERENCES apps(id),
    team_id      INTEGER REFERENCES teams(id),
    members_only BOOLEAN NOT NULL DEFAULT FALSE,
    formal       BOOLEAN NOT NULL DEFAULT FALSE,
    created_by   INTEGER REFERENCES accounts(id),
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    CHECK ((level = 'agency') = (agency_id IS NOT NULL)),
    CHECK ((level = 'app') = (app_id IS NOT NULL)),
    CHECK ((level = 'team') = (team_id IS NOT NULL))
);
CREATE INDEX spaces_agency ON spaces(agency_id) WHERE agency_id IS NOT NULL;
CREATE INDEX spaces_app ON spaces(app_id) WHERE app_id IS NOT NULL;
CREATE INDEX spaces_team ON spaces(team_id) WHERE team_id IS NOT NULL;

-- A space's members; a moderator is a member with the moderator role.
CREATE TABLE space_members (
    space_id    INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    role        TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member','moderator')),
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (space_id, account_id)
);
CREATE INDEX space_members_account ON space_members(account_id);

-- A thread: its title, whether it asks a question (and which reply answers
-- it), and what its moderators did to it. post_count, last_post_id and
-- last_post_at are kept with every post so a space's list needs no
-- aggregate; lists order by last_post_id (the latest activity first).
CREATE TABLE threads (
    id                 INTEGER PRIMARY KEY,
    space_id           INTEGER NOT NULL REFERENCES spaces(id),
    title              TEXT NOT NULL,
    author_account_id  INTEGER NOT NULL REFERENCES accounts(id),
    question           BOOLEAN NOT NULL DEFAULT FALSE,
    accepted_post_id   INTEGER,
    locked             BOOLEAN NOT NULL DEFAULT FALSE,
    pinned             BOOLEAN NOT NULL DEFAULT FALSE,
    post_count         INTEGER NOT NULL DEFAULT 0,
    last_post_id       INTEGER NOT NULL DEFAULT 0,
    last_post_at       TIMESTAMP NOT NULL,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
CREATE INDEX threads_space ON threads(space_id, pinned, last_post_id);

-- A post: the thread's first post is its question or opening, the rest are
-- replies. A hidden post keeps its text for its author and the moderators;
-- edited_at marks a post changed after it was written.
CREATE TABLE posts (
    id                 INTEGER PRIMARY KEY,
    thread_id          INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    author_account_id  INTEGER NOT NULL REFERENCES accounts(id),
    body               TEXT NOT NULL,
    hidden_at          TIMESTAMP,
    hidden_by          INTEGER REFERENCES accounts(id),
    hidden_reason      TEXT NOT NULL DEFAULT '',
    edited_at          TIMESTAMP,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
CREATE INDEX posts_thread ON posts(thread_id, id);
CREATE INDEX posts_author ON posts(author_account_id);

-- One reaction of each kind per person and post.
CREATE TABLE post_reactions (
    post_id     INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('helpful','thanks','agree','idea')),
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (post_id, account_id, kind)
);

-- Following a thread or a space. A row with following FALSE is an
-- unfollow that the automatic follow (writing in a thread) respects.
CREATE TABLE thread_follows (
    thread_id   INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    following   BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (thread_id, account_id)
);
CREATE TABLE space_follows (
    space_id    INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (space_id, account_id)
);

-- A report of a post to the space's moderators; one per person and post.
CREATE TABLE post_reports (
    id                    INTEGER PRIMARY KEY,
    post_id               INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    reporter_account_id   INTEGER NOT NULL REFERENCES accounts(id),
    reason                TEXT NOT NULL,
    status                TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','dismissed','acted')),
    resolved_by           INTEGER REFERENCES accounts(id),
    resolved_at           TIMESTAMP,
    created_at            TIMESTAMP NOT NULL,
    UNIQUE (post_id, reporter_account_id)
);
CREATE INDEX post_reports_open ON post_reports(status, id);
