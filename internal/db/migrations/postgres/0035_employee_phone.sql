-- An SMS or WhatsApp message is matched to the person whose phone it came
-- from (internal/inbound): one lookup by phone per message.
CREATE INDEX employees_phone ON employees(phone);
