-- Online meetings held in a discussion space: when, the call's address (any
-- video service), the agenda, who is invited and what they answered, and
-- the notes written afterwards (which can become a knowledge article, found
-- through articles' origin). Keep in step with ../postgres/0017_meetings.sql.
CREATE TABLE meetings (
    id                    INTEGER PRIMARY KEY,
    space_id              INTEGER NOT NULL REFERENCES spaces(id),
    title                 TEXT NOT NULL,
    starts_at             TIMESTAMP NOT NULL,
    ends_at               TIMESTAMP NOT NULL,
    link                  TEXT NOT NULL,
    agenda                TEXT NOT NULL DEFAULT '', -- Markdown
    notes                 TEXT NOT NULL DEFAULT '', -- Markdown, written afterwards
    organizer_account_id  INTEGER NOT NULL REFERENCES accounts(id),
    cancelled_at          TIMESTAMP,
    -- Set by the reminder job in the transaction that sends the reminders,
    -- so a reminder goes out once however many nodes run the job; cleared
    -- when the meeting moves.
    reminded_at           TIMESTAMP,
    -- Raised on every change, so calendar apps replace their copy (the
    -- iCalendar SEQUENCE).
    sequence              INTEGER NOT NULL DEFAULT 0,
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX meetings_space ON meetings(space_id, starts_at);
CREATE INDEX meetings_due ON meetings(starts_at) WHERE reminded_at IS NULL AND cancelled_at IS NULL;

CREATE TABLE meeting_invitees (
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    response    TEXT NOT NULL DEFAULT 'pending' CHECK (response IN ('pending','yes','maybe','no')),
    invited_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (meeting_id, account_id)
);
CREATE INDEX meeting_invitees_account ON meeting_invitees(account_id, meeting_id);
