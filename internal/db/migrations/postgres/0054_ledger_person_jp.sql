-- A person's records by time, with their JP: summing a person's year, or
-- every person's year in person order, reads the index alone. The city's
-- JP ledger grouped the year's records (736,000 at ministry scale) in a
-- hash of every person's sum, spilled to disk, again in each parallel
-- worker: about 750 ms a view. Read in person order from this index, the
-- sums stream and the view takes about 300 ms.
DROP INDEX learning_records_person;
CREATE INDEX learning_records_person ON learning_records(employee_id, completed_at, jp);
