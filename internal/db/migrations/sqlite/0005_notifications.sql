-- Notifications: what a person must know now (a ticket about to breach its
-- SLA, an escalation). Stored as a kind and its arguments, not as text, so
-- each is shown in the reader's language and a later channel (SMS, email)
-- renders the same record. Keep in step with ../postgres/0005_notifications.sql.

CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    args        TEXT NOT NULL DEFAULT '[]',
    link        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    read_at     TIMESTAMP
);
-- A person's inbox, newest first, and their unread count.
CREATE INDEX notifications_account ON notifications(account_id, id);
CREATE INDEX notifications_unread ON notifications(account_id) WHERE read_at IS NULL;
