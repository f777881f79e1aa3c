-- Help desk routing: rules that send a new ticket to a team, the default
-- team, the on-call roster, the round-robin of auto-assignment and the
-- record of SLA escalations. Keep in step with ../postgres/0007_routing.sql.

-- Rules are tried in order of position (then id); a rule's empty criteria
-- match anything. The first that matches sets the team of a ticket filed
-- without one.
CREATE TABLE routing_rules (
    id          INTEGER PRIMARY KEY,
    position    INTEGER NOT NULL,
    category    TEXT CHECK (category IN ('network','application','procedure','account','request','other')),
    app_id      INTEGER REFERENCES apps(id) ON DELETE CASCADE,
    agency_id   INTEGER REFERENCES agencies(id) ON DELETE CASCADE,
    team_id     INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX routing_rules_position ON routing_rules(position, id);

-- At most one team is the default, where a ticket no rule matches goes.
CREATE TABLE routing_default_team (
    singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
    team_id    INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE
);

-- The on-call roster: a member of a team on duty from starts_at until
-- ends_at (a shift may cross midnight). Taking someone out of the team
-- takes their shifts with them.
CREATE TABLE team_shifts (
    id          INTEGER PRIMARY KEY,
    team_id     INTEGER NOT NULL,
    account_id  INTEGER NOT NULL,
    starts_at   TIMESTAMP NOT NULL,
    ends_at     TIMESTAMP NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at),
    FOREIGN KEY (team_id, account_id) REFERENCES team_members(team_id, account_id) ON DELETE CASCADE
);
CREATE INDEX team_shifts_team ON team_shifts(team_id, starts_at);
CREATE INDEX team_shifts_account ON team_shifts(account_id, starts_at);
CREATE INDEX team_shifts_starts ON team_shifts(starts_at);

-- Round-robin: when each member of a team was last given a ticket.
CREATE TABLE team_rotation (
    team_id           INTEGER NOT NULL,
    account_id        INTEGER NOT NULL,
    last_assigned_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (team_id, account_id),
    FOREIGN KEY (team_id, account_id) REFERENCES team_members(team_id, account_id) ON DELETE CASCADE
);

-- Each escalation of a ticket's SLA clock, once: the unique key is what
-- keeps two nodes, or two runs, from notifying twice.
CREATE TABLE ticket_escalations (
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
    clock      TEXT NOT NULL CHECK (clock IN ('first_response','resolution')),
    level      TEXT NOT NULL CHECK (level IN ('warning','breached')),
    at         TIMESTAMP NOT NULL,
    UNIQUE (ticket_id, clock, level)
);

-- The escalation job's scan: running tickets by how soon each clock runs out.
CREATE INDEX tickets_first_response_due ON tickets(status, first_response_due);
CREATE INDEX tickets_resolution_due ON tickets(status, resolution_due);
