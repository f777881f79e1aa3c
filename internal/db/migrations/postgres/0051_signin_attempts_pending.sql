-- A sign-in attempt is counted before its password is checked
-- (auth.DBLimiter.Take), as pending; it becomes a failure if the password
-- was wrong and is deleted if it was right. A key over its limit only
-- because of attempts still pending (a burst from one office's address at
-- eight in the morning) is told to wait seconds, not until its oldest
-- failure leaves the window. Rows from before are failures. Keep in step
-- with ../sqlite/0051_signin_attempts_pending.sql.
ALTER TABLE signin_failures ADD COLUMN pending BOOLEAN NOT NULL DEFAULT FALSE;
