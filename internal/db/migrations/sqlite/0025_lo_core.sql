-- The learning-organization core: the survey (instruments, campaigns, the
-- one-time invitations and the anonymous answers) and ideas with their
-- votes, which the LO index reads beside what the other capabilities
-- record. Keep in step with ../postgres/0025_lo_core.sql.

-- An instrument is a questionnaire: the built-in LO instrument (code 'lo',
-- the seven Watkins & Marsick dimensions, three items each) or one an
-- admin built. Answers are on a scale from scale_min to scale_max.
CREATE TABLE survey_instruments (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    scale_min    INTEGER NOT NULL DEFAULT 1,
    scale_max    INTEGER NOT NULL DEFAULT 6 CHECK (scale_max > scale_min),
    builtin      BOOLEAN NOT NULL DEFAULT FALSE,
    created_by   INTEGER REFERENCES accounts(id),
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);

-- An item belongs to a dimension (for the LO instrument one of the keys in
-- internal/survey/dimensions.go); a dimension's score is its items' mean.
CREATE TABLE survey_items (
    id             INTEGER PRIMARY KEY,
    instrument_id  INTEGER NOT NULL REFERENCES survey_instruments(id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    dimension      TEXT NOT NULL,
    text_id        TEXT NOT NULL,
    text_en        TEXT NOT NULL DEFAULT '',
    UNIQUE (instrument_id, position)
);

-- A campaign runs an instrument for a period ("2026-Q3", see
-- internal/period) over a set of agencies, between opens_at and closes_at.
CREATE TABLE survey_campaigns (
    id             INTEGER PRIMARY KEY,
    instrument_id  INTEGER NOT NULL REFERENCES survey_instruments(id),
    title          TEXT NOT NULL,
    period         TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','open','closed')),
    opens_at       TIMESTAMP NOT NULL,
    closes_at      TIMESTAMP NOT NULL,
    created_by     INTEGER REFERENCES accounts(id),
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX survey_campaigns_closes ON survey_campaigns(status, closes_at);

CREATE TABLE survey_campaign_agencies (
    campaign_id  INTEGER NOT NULL REFERENCES survey_campaigns(id) ON DELETE CASCADE,
    agency_id    INTEGER NOT NULL REFERENCES agencies(id),
    PRIMARY KEY (campaign_id, agency_id)
);

-- Participation, kept apart from the answers: who was invited (once per
-- campaign), the hash of their one-time link, and whether they answered.
-- It holds no time of answering and no reference to a response, so the
-- two tables cannot be joined back: answered exists only to refuse a
-- second answer and to count the response rate.
CREATE TABLE survey_invitations (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES survey_campaigns(id) ON DELETE CASCADE,
    employee_id  INTEGER NOT NULL REFERENCES employees(id),
    agency_id    INTEGER NOT NULL REFERENCES agencies(id), -- where they worked when invited
    token_hash   TEXT NOT NULL UNIQUE,
    answered     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (campaign_id, employee_id)
);
CREATE INDEX survey_invitations_agency ON survey_invitations(campaign_id, agency_id);

-- A response: which campaign and agency, nothing about who or when.
CREATE TABLE survey_responses (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES survey_campaigns(id) ON DELETE CASCADE,
    agency_id    INTEGER NOT NULL REFERENCES agencies(id)
);
CREATE INDEX survey_responses_agency ON survey_responses(campaign_id, agency_id);

CREATE TABLE survey_answers (
    response_id  INTEGER NOT NULL REFERENCES survey_responses(id) ON DELETE CASCADE,
    item_id      INTEGER NOT NULL REFERENCES survey_items(id),
    value        INTEGER NOT NULL,
    PRIMARY KEY (response_id, item_id)
);

-- An idea for an application (app_id) or a procedure, owned by an agency
-- whose leadership must answer it (the application's owner, or the agency
-- the procedure belongs to). answered_at is the first answer: the time an
-- idea waited is answered_at - created_at (or now - created_at while it
-- waits).
CREATE TABLE ideas (
    id           INTEGER PRIMARY KEY,
    agency_id    INTEGER NOT NULL REFERENCES agencies(id),
    app_id       INTEGER REFERENCES apps(id),
    topic        TEXT NOT NULL CHECK (topic IN ('app','procedure')),
    title        TEXT NOT NULL,
    body         TEXT NOT NULL DEFAULT '', -- Markdown
    author_id    INTEGER NOT NULL REFERENCES employees(id),
    status       TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new','review','planned','done','declined')),
    answer       TEXT NOT NULL DEFAULT '', -- Markdown
    answered_by  INTEGER REFERENCES accounts(id),
    answered_at  TIMESTAMP,
    votes        INTEGER NOT NULL DEFAULT 0, -- count of idea_votes, kept in the vote's transaction
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX ideas_agency ON ideas(agency_id, created_at);
CREATE INDEX ideas_status ON ideas(status, created_at);

CREATE TABLE idea_votes (
    idea_id     INTEGER NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (idea_id, account_id)
);
