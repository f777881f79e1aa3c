-- A person's assessments of one competency in the order they were written:
-- "is there a later entry?" (the verification queue asks it of every
-- pending self-assessment) then reads a few rows of one person instead of
-- every later assessment of the competency city-wide (0.1 s → 6 ms for the
-- demo city's queue on SQLite). A person's whole record is still read by
-- its first column. Keep in step with ../postgres/0026_assessment_order.sql.
DROP INDEX competency_assessments_person;
CREATE INDEX competency_assessments_person ON competency_assessments(employee_id, competency_id, id);
