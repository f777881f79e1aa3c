-- Help desk reports: the backlog (the open tickets now, by team and age)
-- read from one small index of the open tickets alone, instead of a
-- lookup of each open ticket's row all over the table. Keep in step with
-- ../postgres/0012_report_backlog.sql.
CREATE INDEX tickets_backlog ON tickets(team_id, agency_id, app_id, created_at, status)
    WHERE status IN ('new', 'open', 'pending');
