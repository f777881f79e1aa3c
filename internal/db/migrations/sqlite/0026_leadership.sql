-- Leadership: the vision and mission of the city and each agency, the
-- registry of regulations and what they require, announcements with read
-- receipts, monitoring-and-evaluation reviews with their follow-ups, and
-- recognition. agency_id NULL means the city throughout. Keep in step with
-- ../postgres/0026_leadership.sql.

-- Every change of a vision and mission is a new row: the latest per agency
-- is the one in force, the earlier ones its history (who changed it when).
CREATE TABLE visions (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER REFERENCES agencies(id),
    vision      TEXT NOT NULL,
    mission     TEXT NOT NULL,
    term        TEXT NOT NULL DEFAULT '',
    created_by  INTEGER REFERENCES accounts(id),
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX visions_agency ON visions(agency_id, id);

-- Dates of regulations are midnight in the city's zone, stored in UTC;
-- in_force_until is the last day in force (inclusive), NULL for no end.
CREATE TABLE regulations (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('perwali','sk','se','other')),
    number          TEXT NOT NULL,
    title           TEXT NOT NULL,
    agency_id       INTEGER REFERENCES agencies(id),
    signed_on       TIMESTAMP NOT NULL,
    in_force_from   TIMESTAMP NOT NULL,
    in_force_until  TIMESTAMP,
    summary         TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'in_force' CHECK (status IN ('in_force','revoked')),
    revoked_at      TIMESTAMP,
    version         INTEGER NOT NULL DEFAULT 1,
    created_by      INTEGER REFERENCES accounts(id),
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
);
CREATE UNIQUE INDEX regulations_number ON regulations(kind, COALESCE(agency_id, 0), number);
CREATE INDEX regulations_signed ON regulations(signed_on, id);

-- What a regulation requires, each optionally tied to a competency, a
-- number of JP or an application.
CREATE TABLE regulation_obligations (
    id             INTEGER PRIMARY KEY,
    regulation_id  INTEGER NOT NULL REFERENCES regulations(id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    text           TEXT NOT NULL,
    competency_id  INTEGER REFERENCES competencies(id),
    jp             INTEGER CHECK (jp IS NULL OR jp > 0),
    app_id         INTEGER REFERENCES apps(id)
);
CREATE INDEX regulation_obligations_regulation ON regulation_obligations(regulation_id, position);

CREATE TABLE regulation_files (
    id             INTEGER PRIMARY KEY,
    regulation_id  INTEGER NOT NULL REFERENCES regulations(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    size           INTEGER NOT NULL,
    content_type   TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    created_by     INTEGER REFERENCES accounts(id),
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX regulation_files_regulation ON regulation_files(regulation_id, id);

CREATE TABLE regulation_file_data (
    file_id  INTEGER PRIMARY KEY REFERENCES regulation_files(id) ON DELETE CASCADE,
    content  BLOB NOT NULL
);

-- An announcement goes to the city (no agencies listed) or to agencies,
-- optionally only to holders of some roles. Its recipients are resolved
-- once, when it is posted: a read receipt is a recipient's read_at.
CREATE TABLE announcements (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER REFERENCES agencies(id),
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    roles       TEXT NOT NULL DEFAULT '',
    recipients  INTEGER NOT NULL DEFAULT 0,
    posted_by   INTEGER NOT NULL REFERENCES accounts(id),
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX announcements_created ON announcements(created_at, id);

CREATE TABLE announcement_agencies (
    announcement_id  INTEGER NOT NULL REFERENCES announcements(id) ON DELETE CASCADE,
    agency_id        INTEGER NOT NULL REFERENCES agencies(id),
    PRIMARY KEY (announcement_id, agency_id)
);

CREATE TABLE announcement_recipients (
    announcement_id  INTEGER NOT NULL REFERENCES announcements(id) ON DELETE CASCADE,
    account_id       INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    agency_id        INTEGER NOT NULL REFERENCES agencies(id),
    read_at          TIMESTAMP,
    PRIMARY KEY (announcement_id, account_id)
);
CREATE INDEX announcement_recipients_account ON announcement_recipients(account_id, announcement_id);
-- Counts the read receipts of an announcement from the index alone.
CREATE INDEX announcement_recipients_read ON announcement_recipients(announcement_id, read_at);

-- A monitoring-and-evaluation review of an agency (or the city) for a
-- period (internal/period's label).
CREATE TABLE reviews (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER REFERENCES agencies(id),
    period      TEXT NOT NULL,
    title       TEXT NOT NULL,
    summary     TEXT NOT NULL DEFAULT '',
    created_by  INTEGER REFERENCES accounts(id),
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX reviews_agency ON reviews(agency_id, period);

CREATE TABLE review_findings (
    id          INTEGER PRIMARY KEY,
    review_id   INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    text        TEXT NOT NULL,
    severity    TEXT NOT NULL CHECK (severity IN ('low','medium','high')),
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX review_findings_review ON review_findings(review_id, id);

-- A follow-up action, assigned to a person with a due date (midnight in
-- the city's zone); reminded once before it is due and once when overdue.
CREATE TABLE follow_ups (
    id                   INTEGER PRIMARY KEY,
    review_id            INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    finding_id           INTEGER REFERENCES review_findings(id) ON DELETE CASCADE,
    action               TEXT NOT NULL,
    assignee_id          INTEGER NOT NULL REFERENCES employees(id),
    due_on               TIMESTAMP NOT NULL,
    status               TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','done')),
    done_at              TIMESTAMP,
    reminded_at          TIMESTAMP,
    overdue_reminded_at  TIMESTAMP,
    created_by           INTEGER REFERENCES accounts(id),
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    CHECK ((status = 'done') = (done_at IS NOT NULL))
);
CREATE INDEX follow_ups_review ON follow_ups(review_id, id);
CREATE INDEX follow_ups_assignee ON follow_ups(assignee_id, status, due_on);
CREATE INDEX follow_ups_due ON follow_ups(status, due_on);

CREATE TABLE follow_up_notes (
    id            INTEGER PRIMARY KEY,
    follow_up_id  INTEGER NOT NULL REFERENCES follow_ups(id) ON DELETE CASCADE,
    author_id     INTEGER NOT NULL REFERENCES accounts(id),
    body          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX follow_up_notes_follow_up ON follow_up_notes(follow_up_id, id);

-- Recognition of a person or a team (a name and its members) by a leader.
CREATE TABLE recognitions (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER REFERENCES agencies(id),
    team        TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL,
    period      TEXT NOT NULL,
    given_by    INTEGER NOT NULL REFERENCES accounts(id),
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX recognitions_created ON recognitions(created_at, id);

CREATE TABLE recognition_members (
    recognition_id  INTEGER NOT NULL REFERENCES recognitions(id) ON DELETE CASCADE,
    employee_id     INTEGER NOT NULL REFERENCES employees(id),
    PRIMARY KEY (recognition_id, employee_id)
);
CREATE INDEX recognition_members_employee ON recognition_members(employee_id);
