-- Help desk reports: covering indexes, so a report for a year of a city's
-- tickets reads narrow index entries in one range instead of every
-- ticket's row (subject and body included). Keep in step with
-- ../sqlite/0011_reports.sql.

-- Every column a report reads of the tickets filed in a period, so the
-- period is one range of this index and no ticket's row is read.
CREATE INDEX tickets_report ON tickets(created_at, team_id, priority, category, channel, agency_id, app_id,
    assignee_account_id, tags, first_responded_at, first_response_due, resolved_at, resolution_due,
    pending_since, paused_seconds, id);

-- The minutes logged on tickets, read as one range by ticket (most
-- messages log none).
CREATE INDEX ticket_messages_time ON ticket_messages(ticket_id, time_spent_minutes) WHERE time_spent_minutes > 0;

-- The ratings' scores, read as one range by ticket without their rows.
CREATE INDEX ticket_ratings_score ON ticket_ratings(ticket_id, score);
