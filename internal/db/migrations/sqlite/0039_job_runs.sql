-- The scheduled jobs' leases: one row a job, so that when several nodes
-- share the database each tick of a job runs on one of them. A node takes
-- a tick by moving next_at on with a conditional UPDATE (next_at <= now);
-- the node that moved it runs the job, the others find next_at ahead and
-- wait for it. A node that dies mid-run has already moved next_at, so the
-- next tick is anyone's. The other columns are for people reading the
-- table: the node that took the last tick (holder), the ticks taken on
-- every node (runs), and how the last one went (a last_finished_at NULL
-- or before last_started_at: still running, or its node died).
-- Keep in step with ../postgres/0039_job_runs.sql.
CREATE TABLE job_runs (
    name             TEXT PRIMARY KEY,
    next_at          TIMESTAMP NOT NULL,
    holder           TEXT NOT NULL DEFAULT '',
    runs             INTEGER NOT NULL DEFAULT 0,
    last_started_at  TIMESTAMP,
    last_finished_at TIMESTAMP,
    last_error       TEXT NOT NULL DEFAULT ''
);
