-- Help desk satisfaction: one rating (1–5 with a comment) per ticket, and
-- the one-time rating link of a resolved ticket, stored as the SHA-256 of
-- its secret like API tokens. Keep in step with ../postgres/0004_ratings.sql.

CREATE TABLE ticket_ratings (
    id           INTEGER PRIMARY KEY,
    ticket_id    INTEGER NOT NULL UNIQUE REFERENCES tickets(id) ON DELETE CASCADE,
    score        INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment      TEXT NOT NULL DEFAULT '',
    account_id   INTEGER REFERENCES accounts(id),
    created_at   TIMESTAMP NOT NULL
);

-- A ticket has at most one rating link at a time; issuing a new one
-- replaces it. used_at marks a link that has rated the ticket.
CREATE TABLE ticket_rating_tokens (
    ticket_id    INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    used_at      TIMESTAMP
);

-- The secret status link of a ticket, for reporters without an account (an
-- outside contact who called): it shows the ticket's public side. Stored as
-- its SHA-256; a new link replaces the old one.
CREATE TABLE ticket_status_tokens (
    ticket_id    INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL
);
