-- Failed sign-ins, counted in the database so that every node sharing it
-- holds back the same clients (auth.DBLimiter). A key is an email with a
-- client address, or an address alone, and is kept as its SHA-256, never as
-- it is: the table must not become a list of who failed to sign in from
-- where (the audit log keeps the successful sign-ins). Rows are deleted
-- once they leave the 15-minute window. Keep in step with
-- ../postgres/0040_signin_failures.sql.
CREATE TABLE signin_failures (
    id        INTEGER PRIMARY KEY,
    key_hash  TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX signin_failures_key ON signin_failures(key_hash, failed_at);
CREATE INDEX signin_failures_at ON signin_failures(failed_at);
