-- Certificates of finished training events (internal/certificate). A
-- certificate keeps, in its own row, what it states — the holder's name, the
-- event, its dates and JP, the competencies and the issuer — as it was when
-- it was issued, so it never changes afterwards; its code is what anyone
-- types to verify it, and what its Open Badges assertion is named by.
-- Keep in step with ../postgres/0023_certificates.sql.
CREATE TABLE certificates (
    id                 INTEGER PRIMARY KEY,
    code               TEXT NOT NULL UNIQUE, -- 12 letters and digits (Crockford base32), the last a check
    event_id           INTEGER NOT NULL REFERENCES events(id),
    enrolment_id       INTEGER NOT NULL UNIQUE REFERENCES enrolments(id),
    employee_id        INTEGER NOT NULL REFERENCES employees(id),
    holder_name        TEXT NOT NULL,
    event_title        TEXT NOT NULL,
    event_kind         TEXT NOT NULL,
    jp                 INTEGER NOT NULL CHECK (jp >= 0),
    starts_at          TIMESTAMP NOT NULL,
    ends_at            TIMESTAMP NOT NULL,
    place              TEXT NOT NULL DEFAULT '',
    competencies       TEXT NOT NULL DEFAULT '[]', -- JSON: [{code, name, level}]
    issuer_agency_id   INTEGER REFERENCES agencies(id),
    issuer_name        TEXT NOT NULL,
    -- The Open Badges recipient: the holder's email (or, without one, their
    -- verification URL) hashed with a salt, so the public assertion does
    -- not give it away.
    recipient_type     TEXT NOT NULL CHECK (recipient_type IN ('email','url')),
    recipient_salt     TEXT NOT NULL,
    recipient_hash     TEXT NOT NULL,
    issued_by          INTEGER REFERENCES accounts(id),
    issued_at          TIMESTAMP NOT NULL,
    revoked_at         TIMESTAMP,
    revoked_by         INTEGER REFERENCES accounts(id),
    revoke_reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX certificates_employee ON certificates(employee_id, issued_at);
CREATE INDEX certificates_event ON certificates(event_id, id);
