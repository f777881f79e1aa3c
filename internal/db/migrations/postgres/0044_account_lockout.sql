-- Account lockout (ASVS 2.2.1): failed_sign_ins counts wrong passwords for an
-- account in a row, from anywhere; at auth.LockAfter the account is locked
-- (locked_at) until an admin of its agency unlocks it or resets its password.
-- A successful sign-in sets the count back to 0.
-- Keep in step with ../sqlite/0044_account_lockout.sql.
ALTER TABLE accounts ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN locked_at TIMESTAMPTZ;
