-- The core of competency-based training and development, shared by the
-- competency framework (internal/competency), training events
-- (internal/training), certificates and the JP ledger: what the
-- organization needs people to be able to do, what builds it, who takes
-- part and what each person has completed. The parts add their own tables
-- in later migrations. Keep in step with ../postgres/0019_training_core.sql.

-- A framework groups competencies; the expert team edits it, and each
-- published change raises its version.
CREATE TABLE competency_frameworks (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);

-- A competency with its four proficiency levels described in words
-- (1 knows of it … 4 can teach and improve it). The code is stable and is
-- what other parts link to (article_competencies.code): lowercase letters,
-- digits, dots and dashes, e.g. "keamanan-informasi" or "sipd.operasi".
-- An application's competencies name the application and whether they are
-- about operating or administering it.
CREATE TABLE competencies (
    id               INTEGER PRIMARY KEY,
    framework_id     INTEGER NOT NULL REFERENCES competency_frameworks(id),
    code             TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    app_id           INTEGER REFERENCES apps(id),
    app_use          TEXT CHECK (app_use IN ('operate','administer')),
    level1           TEXT NOT NULL,
    level2           TEXT NOT NULL,
    level3           TEXT NOT NULL,
    level4           TEXT NOT NULL,
    -- A verified level lapses this many months after it was shown (tools
    -- and threats change); NULL: it does not lapse.
    validity_months  INTEGER CHECK (validity_months > 0),
    retired_at       TIMESTAMP,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    CHECK ((app_id IS NULL) = (app_use IS NULL))
);
CREATE UNIQUE INDEX competencies_app ON competencies(app_id, app_use) WHERE app_id IS NOT NULL;
CREATE INDEX competencies_framework ON competencies(framework_id);

-- What is required: a competency at a level for everyone holding a
-- position, a role, or operating an application (its operators), in the
-- whole city (agency_id NULL) or in one agency.
CREATE TABLE competency_requirements (
    id             INTEGER PRIMARY KEY,
    competency_id  INTEGER NOT NULL REFERENCES competencies(id),
    level          INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    position_id    INTEGER REFERENCES positions(id),
    role           TEXT CHECK (role IN ('employee','operator','agency_admin','agency_head','trainer','agent','expert','executive','superadmin')),
    app_id         INTEGER REFERENCES apps(id),
    agency_id      INTEGER REFERENCES agencies(id),
    created_by     INTEGER REFERENCES accounts(id),
    created_at     TIMESTAMP NOT NULL,
    CHECK ((CASE WHEN position_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN role IS NULL THEN 0 ELSE 1 END)
           + (CASE WHEN app_id IS NULL THEN 0 ELSE 1 END) = 1)
);
CREATE UNIQUE INDEX competency_requirements_unique ON competency_requirements(competency_id,
    COALESCE(position_id, 0), COALESCE(role, ''), COALESCE(app_id, 0), COALESCE(agency_id, 0));

-- What a person has shown, entry by entry: a self-assessment, a
-- verification by a trainer or the direct supervisor, a passed test, an
-- attended session, a certificate, mentoring. Only verified entries
-- (source other than 'self') count for gap analysis; each keeps what it
-- rests on and may lapse.
CREATE TABLE competency_assessments (
    id                   INTEGER PRIMARY KEY,
    employee_id          INTEGER NOT NULL REFERENCES employees(id),
    competency_id        INTEGER NOT NULL REFERENCES competencies(id),
    level                INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    source               TEXT NOT NULL CHECK (source IN ('self','trainer','supervisor','test','session','certificate','mentoring')),
    assessor_account_id  INTEGER REFERENCES accounts(id),
    evidence_kind        TEXT NOT NULL DEFAULT '' CHECK (evidence_kind IN ('','certificate','session','test','document','mentoring')),
    evidence_ref         TEXT NOT NULL DEFAULT '', -- a certificate code, an event id, a file name
    score                INTEGER CHECK (score BETWEEN 0 AND 100),
    note                 TEXT NOT NULL DEFAULT '',
    assessed_at          TIMESTAMP NOT NULL,
    expires_at           TIMESTAMP,
    created_at           TIMESTAMP NOT NULL
);
-- A person's record in the order it was written: "is there a later
-- entry?" (the verification queue asks it of every pending
-- self-assessment) reads a few rows of one person, not every later
-- assessment of the competency city-wide.
CREATE INDEX competency_assessments_person ON competency_assessments(employee_id, competency_id, id);
CREATE INDEX competency_assessments_competency ON competency_assessments(competency_id);

-- A learning activity of a kind the paper names, the competencies (and the
-- level of each) it builds, and its lesson hours (JP, 45 minutes each).
CREATE TABLE activities (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('bimtek','workshop','course','ojt','mentoring','self_study','online_meeting')),
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '', -- Markdown
    jp           INTEGER NOT NULL CHECK (jp >= 0),
    link         TEXT NOT NULL DEFAULT '', -- a self-study module's address
    agency_id    INTEGER REFERENCES agencies(id), -- the provider; NULL: the city (Kominfo's training)
    retired_at   TIMESTAMP,
    created_by   INTEGER REFERENCES accounts(id),
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);

CREATE TABLE activity_competencies (
    activity_id    INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    competency_id  INTEGER NOT NULL REFERENCES competencies(id),
    level          INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    PRIMARY KEY (activity_id, competency_id)
);
CREATE INDEX activity_competencies_competency ON activity_competencies(competency_id, level);

-- An event runs an activity (or stands alone) at a time and place or
-- link, for a number of seats. The competencies it builds are copied from
-- its activity when it is made and may be changed for the event.
CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    activity_id     INTEGER REFERENCES activities(id),
    kind            TEXT NOT NULL CHECK (kind IN ('bimtek','workshop','course','ojt','mentoring','self_study','online_meeting')),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '', -- Markdown
    starts_at       TIMESTAMP NOT NULL,
    ends_at         TIMESTAMP NOT NULL,
    place           TEXT NOT NULL DEFAULT '',
    link            TEXT NOT NULL DEFAULT '',
    capacity        INTEGER NOT NULL CHECK (capacity > 0),
    jp              INTEGER NOT NULL CHECK (jp >= 0),
    agency_id       INTEGER REFERENCES agencies(id), -- the organizer; NULL: the city, open to every agency
    self_enrol      BOOLEAN NOT NULL DEFAULT FALSE,
    needs_approval  BOOLEAN NOT NULL DEFAULT TRUE, -- a nomination waits for the nominee's agency head
    cancelled_at    TIMESTAMP,
    finished_at     TIMESTAMP,
    reminded_at     TIMESTAMP,
    sequence        INTEGER NOT NULL DEFAULT 0, -- the iCalendar SEQUENCE, raised on every change
    created_by      INTEGER REFERENCES accounts(id),
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX events_starts ON events(starts_at);
CREATE INDEX events_activity ON events(activity_id);

CREATE TABLE event_competencies (
    event_id       INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    competency_id  INTEGER NOT NULL REFERENCES competencies(id),
    level          INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    PRIMARY KEY (event_id, competency_id)
);

CREATE TABLE event_trainers (
    event_id    INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    PRIMARY KEY (event_id, account_id)
);
CREATE INDEX event_trainers_account ON event_trainers(account_id);

-- A person's place at an event. status is the seat: enrolled (holding
-- one), waitlisted (in line, oldest first), cancelled, completed (attended
-- and finished). approval is the nominee's agency head's answer, apart from
-- the seat, so a nomination holds its place while it waits.
CREATE TABLE enrolments (
    id            INTEGER PRIMARY KEY,
    event_id      INTEGER NOT NULL REFERENCES events(id),
    employee_id   INTEGER NOT NULL REFERENCES employees(id),
    status        TEXT NOT NULL CHECK (status IN ('enrolled','waitlisted','cancelled','completed')),
    approval      TEXT NOT NULL CHECK (approval IN ('pending','approved','declined','not_needed')),
    source        TEXT NOT NULL CHECK (source IN ('self','nominated','organizer')),
    nominated_by  INTEGER REFERENCES accounts(id),
    decided_by    INTEGER REFERENCES accounts(id),
    decided_at    TIMESTAMP,
    completed_at  TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (event_id, employee_id)
);
CREATE INDEX enrolments_event ON enrolments(event_id, status, id);
CREATE INDEX enrolments_employee ON enrolments(employee_id);

-- The JP ledger: one row per piece of learning a person finished (an
-- event, a mentoring session, a self-study module), with its lesson hours.
-- source_kind/source_id name the row it came from, once.
CREATE TABLE learning_records (
    id            INTEGER PRIMARY KEY,
    employee_id   INTEGER NOT NULL REFERENCES employees(id),
    kind          TEXT NOT NULL CHECK (kind IN ('bimtek','workshop','course','ojt','mentoring','self_study','online_meeting')),
    title         TEXT NOT NULL,
    jp            INTEGER NOT NULL CHECK (jp >= 0),
    activity_id   INTEGER REFERENCES activities(id),
    event_id      INTEGER REFERENCES events(id),
    source_kind   TEXT NOT NULL CHECK (source_kind IN ('enrolment','mentoring','self_study','manual')),
    source_id     INTEGER NOT NULL,
    completed_at  TIMESTAMP NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (source_kind, source_id)
);
CREATE INDEX learning_records_person ON learning_records(employee_id, completed_at);
CREATE INDEX learning_records_completed ON learning_records(completed_at);
