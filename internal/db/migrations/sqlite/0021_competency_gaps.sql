-- Gap analysis: the levels each person holds now, kept up to date by
-- competency.RecordEvidence, so that the city's gaps read one short row per
-- person instead of every assessment ever made. Keep in step with
-- ../postgres/0021_competency_gaps.sql.

-- The verified levels a person has shown, one row per person, as text:
-- "competency_id:level[:until]" entries joined by commas, until being the
-- Unix time (seconds) the level lapses — the latest expiry among the
-- verified assessments (source other than 'self') at that level; none: it
-- does not lapse. The person's level now in a competency is the highest
-- level of an entry not yet lapsed. One row per person, rather than per
-- person and competency, is what makes the city's analysis of 300,000
-- people read 300,000 rows instead of millions.
CREATE TABLE competency_held (
    employee_id  INTEGER PRIMARY KEY REFERENCES employees(id),
    levels       TEXT NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);

-- The help desk's signal: procedure tickets about an application by date
-- and agency, read without touching the tickets themselves.
CREATE INDEX tickets_procedure ON tickets(created_at, agency_id, app_id, reporter_account_id) WHERE category = 'procedure';
