-- The learning-organization index kept for closed periods, and learning
-- targets. Keep in step with ../postgres/0029_lo_index.sql.

-- A closed period's index, computed once by the roll-up job (see
-- internal/loindex) so that dashboards and trends read history instead of
-- recomputing it. agency_id 0 is the city (no agency row). data is the
-- whole loindex.Index as JSON; value repeats its index for sorting.
CREATE TABLE lo_index_rollups (
    period       TEXT NOT NULL,
    agency_id    INTEGER NOT NULL,
    value        REAL,
    data         TEXT NOT NULL,
    computed_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (period, agency_id)
);

-- A learning target of an agency (agency_id NULL: city-wide) for a period
-- ("2026", "2026-Q3", see internal/period). metric says what is measured
-- and goal the figure to reach: JP per employee, the percent of a group at
-- a competency level, the SLA compliance percent, or the LO index. A
-- competency_level target names the competency and level and the group:
-- the operators of an application, the holders of a role, or the people
-- of a position (none: everyone in scope).
CREATE TABLE learning_targets (
    id             INTEGER PRIMARY KEY,
    agency_id      INTEGER REFERENCES agencies(id),
    period         TEXT NOT NULL,
    metric         TEXT NOT NULL CHECK (metric IN ('jp_per_employee','competency_level','sla_compliance','lo_index')),
    goal           REAL NOT NULL CHECK (goal >= 0),
    competency_id  INTEGER REFERENCES competencies(id),
    level          INTEGER CHECK (level IS NULL OR level BETWEEN 1 AND 4),
    app_id         INTEGER REFERENCES apps(id),
    role           TEXT,
    position_id    INTEGER REFERENCES positions(id),
    note           TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1,
    created_by     INTEGER REFERENCES accounts(id),
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    CHECK ((metric = 'competency_level') = (competency_id IS NOT NULL AND level IS NOT NULL))
);
CREATE INDEX learning_targets_scope ON learning_targets(period, agency_id);

-- What the LO index reads per period, without visiting the tables' rows:
-- each person's JP completed in a span, and whether a person who opened a
-- suggested article filed a ticket in its window.
CREATE INDEX learning_records_period ON learning_records(completed_at, employee_id, jp);
CREATE INDEX tickets_reporter_created ON tickets(reporter_account_id, created_at);
