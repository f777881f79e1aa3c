-- Help desk: teams (queues) and their members, tickets with their
-- conversation and history, and the SLA targets per priority. Keep in step
-- with ../postgres/0003_helpdesk.sql: same tables, columns and constraints.

CREATE TABLE teams (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);

-- A member marked lead is the one escalations go to.
CREATE TABLE team_members (
    team_id     INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    lead        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (team_id, account_id)
);
CREATE INDEX team_members_account ON team_members(account_id);

-- First-response and resolution targets per priority, on a 24/7 calendar.
CREATE TABLE sla_policies (
    priority                TEXT PRIMARY KEY CHECK (priority IN ('low','normal','high','urgent')),
    first_response_minutes  INTEGER NOT NULL CHECK (first_response_minutes > 0),
    resolution_minutes      INTEGER NOT NULL CHECK (resolution_minutes > 0)
);
INSERT INTO sla_policies (priority, first_response_minutes, resolution_minutes) VALUES
    ('urgent', 15, 240), ('high', 60, 480), ('normal', 240, 1440), ('low', 480, 4320);

-- A ticket's number (T-000123) is its id, so ids are never reused
-- (AUTOINCREMENT). The reporter is an account, or an outside contact known
-- by phone or email. The SLA dues move on by the time spent in pending:
-- pending_since marks the pause, paused_seconds sums the pauses so far.
CREATE TABLE tickets (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    subject              TEXT NOT NULL,
    body                 TEXT NOT NULL DEFAULT '',
    reporter_account_id  INTEGER REFERENCES accounts(id),
    contact_name         TEXT NOT NULL DEFAULT '',
    contact_phone        TEXT NOT NULL DEFAULT '',
    contact_email        TEXT NOT NULL DEFAULT '',
    channel              TEXT NOT NULL CHECK (channel IN ('web','api','phone','sms','email','whatsapp')),
    category             TEXT NOT NULL CHECK (category IN ('network','application','procedure','account','request','other')),
    app_id               INTEGER REFERENCES apps(id),
    agency_id            INTEGER REFERENCES agencies(id),
    priority             TEXT NOT NULL CHECK (priority IN ('low','normal','high','urgent')),
    status               TEXT NOT NULL CHECK (status IN ('new','open','pending','resolved','closed')),
    team_id              INTEGER REFERENCES teams(id),
    assignee_account_id  INTEGER REFERENCES accounts(id),
    tags                 TEXT NOT NULL DEFAULT '',
    version              INTEGER NOT NULL DEFAULT 1,
    first_response_due   TIMESTAMP NOT NULL,
    resolution_due       TIMESTAMP NOT NULL,
    first_responded_at   TIMESTAMP,
    resolved_at          TIMESTAMP,
    closed_at            TIMESTAMP,
    pending_since        TIMESTAMP,
    paused_seconds       INTEGER NOT NULL DEFAULT 0,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    CHECK (reporter_account_id IS NOT NULL OR contact_phone <> '' OR contact_email <> ''),
    CHECK ((status = 'pending') = (pending_since IS NOT NULL))
);
-- The agent queue: by status, team or assignee, most recently changed first.
CREATE INDEX tickets_status ON tickets(status, updated_at, id);
CREATE INDEX tickets_team ON tickets(team_id, status, updated_at, id);
CREATE INDEX tickets_assignee ON tickets(assignee_account_id, status, updated_at, id);
CREATE INDEX tickets_updated ON tickets(updated_at, id);
-- "My tickets" and an agency's tickets.
CREATE INDEX tickets_reporter ON tickets(reporter_account_id, updated_at, id);
CREATE INDEX tickets_agency ON tickets(agency_id, updated_at, id);
CREATE INDEX tickets_app ON tickets(app_id);

-- Public replies and internal notes (internal = TRUE: never shown to reporters).
CREATE TABLE ticket_messages (
    id                  INTEGER PRIMARY KEY,
    ticket_id           INTEGER NOT NULL REFERENCES tickets(id),
    author_account_id   INTEGER REFERENCES accounts(id),
    author              TEXT NOT NULL,
    body                TEXT NOT NULL,
    internal            BOOLEAN NOT NULL DEFAULT FALSE,
    time_spent_minutes  INTEGER NOT NULL DEFAULT 0 CHECK (time_spent_minutes >= 0),
    created_at          TIMESTAMP NOT NULL
);
CREATE INDEX ticket_messages_ticket ON ticket_messages(ticket_id, id);

-- A ticket's history: every state change with who made it and when.
CREATE TABLE ticket_events (
    id                INTEGER PRIMARY KEY,
    ticket_id         INTEGER NOT NULL REFERENCES tickets(id),
    actor_account_id  INTEGER REFERENCES accounts(id),
    actor             TEXT NOT NULL,
    kind              TEXT NOT NULL,
    old_value         TEXT NOT NULL DEFAULT '',
    new_value         TEXT NOT NULL DEFAULT '',
    at                TIMESTAMP NOT NULL
);
CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, id);
