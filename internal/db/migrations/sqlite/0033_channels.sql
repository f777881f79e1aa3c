-- Channels: the outbox every email, SMS and WhatsApp message leaves
-- through, the log of what came in, and each person's choice of channels.
-- Keep in step with ../postgres/0033_channels.sql.

-- One row a message to one address. It is written in the transaction of
-- the change that caused it, so a message exists exactly when its cause
-- does; a worker delivers it. A claimed row is 'sending' until next_at (its
-- lease): a worker that died holding it leaves it due again. attempts
-- counts claims, so a row killed in flight is counted as tried.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    channel         TEXT NOT NULL CHECK (channel IN ('email','sms','whatsapp')),
    account_id      INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    address         TEXT NOT NULL,              -- +62… for sms and whatsapp, an email address
    kind            TEXT NOT NULL,              -- a notification's kind, or reply, command, page
    lang            TEXT NOT NULL DEFAULT 'id',
    ref             TEXT NOT NULL DEFAULT '',   -- what it is about, e.g. a ticket's T-000123 (threads email)
    subject         TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL,
    link            TEXT NOT NULL DEFAULT '',   -- a path on this site
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending','sending','sent','delivered','failed','dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_at         TIMESTAMP NOT NULL,
    provider_id     TEXT NOT NULL DEFAULT '',   -- the gateway's id for it (SMTP queue id, wamid)
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP,
    delivered_at    TIMESTAMP
);
-- What the worker claims next; what an admin looks through.
CREATE INDEX outbox_due ON outbox(next_at) WHERE status IN ('pending','sending');
CREATE INDEX outbox_status ON outbox(status, id);
CREATE INDEX outbox_account ON outbox(account_id, id);

-- Every message that came in by SMS, email or WhatsApp, whatever became of
-- it: a ticket, a reply on one, a command answered, or refused and why. The
-- gateway's own id makes a redelivered message a no-op.
CREATE TABLE inbound_messages (
    id           INTEGER PRIMARY KEY,
    channel      TEXT NOT NULL CHECK (channel IN ('sms','email','whatsapp')),
    external_id  TEXT NOT NULL,
    sender       TEXT NOT NULL,                 -- as received
    account_id   INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    subject      TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL
                 CHECK (status IN ('received','ticket','reply','command','refused','throttled','ignored')),
    reason       TEXT NOT NULL DEFAULT '',
    ticket_id    INTEGER REFERENCES tickets(id) ON DELETE SET NULL,
    received_at  TIMESTAMP NOT NULL,
    UNIQUE (channel, external_id)
);
CREATE INDEX inbound_messages_sender ON inbound_messages(channel, sender, received_at);
CREATE INDEX inbound_messages_status ON inbound_messages(status, id);

-- A person's choice of channels per topic of notification, where it
-- differs from the topic's default (internal/notify's Topics). The in-app
-- inbox always receives.
CREATE TABLE notify_prefs (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    topic       TEXT NOT NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('email','sms','whatsapp')),
    enabled     BOOLEAN NOT NULL,
    PRIMARY KEY (account_id, topic, channel)
);

-- Quiet hours, in the city's time: SMS and WhatsApp wait until they end
-- (email does not ring). starts = ends is no quiet hours.
CREATE TABLE notify_quiet (
    account_id  INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    starts      TEXT NOT NULL CHECK (length(starts) = 5),   -- HH:MM
    ends        TEXT NOT NULL CHECK (length(ends) = 5)
);
