-- Attachments of tickets and of their replies and notes. Keep in step with
-- ../postgres/0008_attachments.sql: same tables, columns and constraints.
--
-- The metadata and the bytes live in separate tables, so that reading a
-- ticket, its conversation or its list of files never touches the content.
-- message_id NULL: the file came with the ticket itself. Whether a reporter
-- may see a file follows its message (a note's files are the help desk's).
CREATE TABLE ticket_attachments (
    id                   INTEGER PRIMARY KEY,
    ticket_id            INTEGER NOT NULL REFERENCES tickets(id),
    message_id           INTEGER REFERENCES ticket_messages(id),
    uploader_account_id  INTEGER REFERENCES accounts(id),
    name                 TEXT NOT NULL CHECK (name <> ''),
    size                 INTEGER NOT NULL CHECK (size > 0),
    content_type         TEXT NOT NULL,
    sha256               TEXT NOT NULL,
    created_at           TIMESTAMP NOT NULL
);
CREATE INDEX ticket_attachments_ticket ON ticket_attachments(ticket_id, id);
CREATE INDEX ticket_attachments_message ON ticket_attachments(message_id);

CREATE TABLE ticket_attachment_data (
    attachment_id  INTEGER PRIMARY KEY REFERENCES ticket_attachments(id),
    content        BLOB NOT NULL
);
