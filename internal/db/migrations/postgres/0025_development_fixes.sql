-- A double submit records the same learning once: a mentoring session is
-- one per assignment and moment, a record of learning done elsewhere one
-- per person, title and day it was finished.
CREATE UNIQUE INDEX mentoring_sessions_once ON mentoring_sessions(assignment_id, held_at);
CREATE UNIQUE INDEX external_learning_once ON external_learning(employee_id, title, completed_at);
