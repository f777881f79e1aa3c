-- Development beyond events: learning paths, mentoring by the trainers
-- placed in agencies, self-study completions, learning done outside
-- Lontara, and the yearly JP target the
-- ledger (learning_records, 0019) is read against. Keep in step with
-- ../postgres/0024_development.sql.

-- A learning path ("Operator SIPD baru") is an ordered set of activities.
-- open: anyone may join it; otherwise people are assigned to it.
CREATE TABLE learning_paths (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '', -- Markdown
    agency_id    INTEGER REFERENCES agencies(id), -- the provider; NULL: the city
    open         BOOLEAN NOT NULL DEFAULT TRUE,
    retired_at   TIMESTAMP,
    created_by   INTEGER REFERENCES accounts(id),
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);

CREATE TABLE learning_path_steps (
    path_id      INTEGER NOT NULL REFERENCES learning_paths(id) ON DELETE CASCADE,
    activity_id  INTEGER NOT NULL REFERENCES activities(id),
    position     INTEGER NOT NULL,
    PRIMARY KEY (path_id, activity_id)
);

-- Who follows a path: assigned by someone (assigned_by) or joined.
CREATE TABLE learning_path_members (
    path_id      INTEGER NOT NULL REFERENCES learning_paths(id) ON DELETE CASCADE,
    employee_id  INTEGER NOT NULL REFERENCES employees(id),
    source       TEXT NOT NULL CHECK (source IN ('assigned','joined')),
    assigned_by  INTEGER REFERENCES accounts(id),
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (path_id, employee_id)
);
CREATE INDEX learning_path_members_person ON learning_path_members(employee_id);

-- A trainer placed in an agency (a trainer grant there; outsourced staff
-- too) mentors a person of that agency.
CREATE TABLE mentoring_assignments (
    id                 INTEGER PRIMARY KEY,
    agency_id          INTEGER NOT NULL REFERENCES agencies(id),
    mentor_account_id  INTEGER NOT NULL REFERENCES accounts(id),
    mentee_id          INTEGER NOT NULL REFERENCES employees(id),
    goal               TEXT NOT NULL DEFAULT '',
    assigned_by        INTEGER REFERENCES accounts(id),
    ended_at           TIMESTAMP,
    created_at         TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX mentoring_assignments_open ON mentoring_assignments(mentor_account_id, mentee_id) WHERE ended_at IS NULL;
CREATE INDEX mentoring_assignments_agency ON mentoring_assignments(agency_id, id);
CREATE INDEX mentoring_assignments_mentee ON mentoring_assignments(mentee_id);

-- A mentoring session, with its lesson hours (to the ledger, source
-- mentoring) and, optionally, the level of a competency the mentor saw.
CREATE TABLE mentoring_sessions (
    id             INTEGER PRIMARY KEY,
    assignment_id  INTEGER NOT NULL REFERENCES mentoring_assignments(id),
    held_at        TIMESTAMP NOT NULL,
    jp             INTEGER NOT NULL CHECK (jp BETWEEN 0 AND 40),
    topic          TEXT NOT NULL,
    notes          TEXT NOT NULL DEFAULT '',
    competency_id  INTEGER REFERENCES competencies(id),
    level          INTEGER CHECK (level BETWEEN 1 AND 4),
    logged_by      INTEGER REFERENCES accounts(id),
    created_at     TIMESTAMP NOT NULL,
    CHECK ((competency_id IS NULL) = (level IS NULL))
);
-- One session per assignment and moment: a double submit is a 409, not two.
CREATE UNIQUE INDEX mentoring_sessions_once ON mentoring_sessions(assignment_id, held_at);

-- A person's own word that they finished a self-study module, with what
-- they took from it.
CREATE TABLE self_study_completions (
    id            INTEGER PRIMARY KEY,
    employee_id   INTEGER NOT NULL REFERENCES employees(id),
    activity_id   INTEGER NOT NULL REFERENCES activities(id),
    reflection    TEXT NOT NULL,
    completed_at  TIMESTAMP NOT NULL,
    UNIQUE (employee_id, activity_id)
);

-- Learning a person finished outside Lontara (a course of the provincial
-- training agency, a ministry's e-learning), recorded by their agency's
-- admin with what it rests on; in the ledger as source manual.
CREATE TABLE external_learning (
    id            INTEGER PRIMARY KEY,
    employee_id   INTEGER NOT NULL REFERENCES employees(id),
    kind          TEXT NOT NULL CHECK (kind IN ('bimtek','workshop','course','ojt','mentoring','self_study','online_meeting')),
    title         TEXT NOT NULL,
    provider      TEXT NOT NULL DEFAULT '',
    evidence      TEXT NOT NULL DEFAULT '', -- a certificate number, a letter
    jp            INTEGER NOT NULL CHECK (jp BETWEEN 1 AND 200),
    completed_at  TIMESTAMP NOT NULL,
    recorded_by   INTEGER REFERENCES accounts(id),
    created_at    TIMESTAMP NOT NULL
);
-- One record per person, title and day finished: a double submit is a 409.
CREATE UNIQUE INDEX external_learning_once ON external_learning(employee_id, title, completed_at);

-- The JP target of a year; a year without a row has the regulation's 20.
CREATE TABLE jp_targets (
    year        INTEGER PRIMARY KEY,
    jp          INTEGER NOT NULL CHECK (jp BETWEEN 1 AND 500),
    updated_by  INTEGER REFERENCES accounts(id),
    updated_at  TIMESTAMP NOT NULL
);
