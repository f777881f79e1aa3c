-- Training events at work (internal/training): the sessions an event is
-- held in, who attended each (tapped by the trainer or checked in with the
-- code shown in the room), the pre- and post-test scores and the reaction
-- evaluation of each participant. Keep in step with
-- ../postgres/0022_training_events.sql.

-- An event is held in one or more sessions (a three-day bimtek: three);
-- the event's starts_at and ends_at are kept as the first start and the
-- last end of its sessions.
CREATE TABLE event_sessions (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    starts_at   TIMESTAMP NOT NULL,
    ends_at     TIMESTAMP NOT NULL,
    place       TEXT NOT NULL DEFAULT '',
    link        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX event_sessions_event ON event_sessions(event_id, starts_at);

-- A check-in code shown in the room: short enough to type on a phone,
-- unique, valid until expires_at, usable once by each participant.
CREATE TABLE session_codes (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES event_sessions(id) ON DELETE CASCADE,
    code        TEXT NOT NULL UNIQUE,
    expires_at  TIMESTAMP NOT NULL,
    created_by  INTEGER REFERENCES accounts(id),
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX session_codes_session ON session_codes(session_id, expires_at);

-- A participant present at a session: marked by a trainer, or checked in
-- with a code (code_id names it, so a code is used once per person).
CREATE TABLE session_attendance (
    session_id    INTEGER NOT NULL REFERENCES event_sessions(id) ON DELETE CASCADE,
    enrolment_id  INTEGER NOT NULL REFERENCES enrolments(id),
    method        TEXT NOT NULL CHECK (method IN ('trainer','code')),
    code_id       INTEGER REFERENCES session_codes(id),
    marked_by     INTEGER REFERENCES accounts(id),
    marked_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (session_id, enrolment_id)
);
CREATE INDEX session_attendance_enrolment ON session_attendance(enrolment_id);

-- Test scores (0..100) before and after, for the learning gain; who
-- cancelled a place and when; when the place was last queued (the
-- waitlist is served oldest first, and a person enrolling again joins
-- its end).
ALTER TABLE enrolments ADD COLUMN pre_score INTEGER CHECK (pre_score BETWEEN 0 AND 100);
ALTER TABLE enrolments ADD COLUMN post_score INTEGER CHECK (post_score BETWEEN 0 AND 100);
ALTER TABLE enrolments ADD COLUMN cancelled_by INTEGER REFERENCES accounts(id);
ALTER TABLE enrolments ADD COLUMN cancelled_at TIMESTAMP;
ALTER TABLE enrolments ADD COLUMN queued_at TIMESTAMP;
CREATE INDEX enrolments_queue ON enrolments(event_id, status, queued_at, id);

-- A participant's reaction (Kirkpatrick level 1): four questions on a
-- 1..5 scale and a comment, one per enrolment, shown to the organizers
-- only in aggregate and without names.
CREATE TABLE event_evaluations (
    enrolment_id  INTEGER PRIMARY KEY REFERENCES enrolments(id),
    relevance     INTEGER NOT NULL CHECK (relevance BETWEEN 1 AND 5),
    content       INTEGER NOT NULL CHECK (content BETWEEN 1 AND 5),
    trainer       INTEGER NOT NULL CHECK (trainer BETWEEN 1 AND 5),
    usefulness    INTEGER NOT NULL CHECK (usefulness BETWEEN 1 AND 5),
    comment       TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
