-- A delivery report that names a message by its gateway's id (WhatsApp's
-- wamid) finds it without scanning the outbox, which keeps every message
-- ever sent. Keep in step with ../sqlite/0038_outbox_provider.sql.
CREATE INDEX outbox_provider ON outbox(channel, provider_id) WHERE provider_id <> '';
