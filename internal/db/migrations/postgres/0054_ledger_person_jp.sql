-- A person's records by time, with their JP: summing a person's year, or
-- every person's year in person order, reads the index alone. The city's
-- JP ledger grouped the year's records (736,000 at ministry scale) in a
-- hash of every person's sum, spilled to disk, again in each parallel
-- worker: 0.65–0.90 s a view. Read in person order from this index, the
-- sums stream: 0.27–0.29 s, with the statement planned for its year
-- (ledger's yearJP). The index is rebuilt in about a second at that scale.
DROP INDEX learning_records_person;
CREATE INDEX learning_records_person ON learning_records(employee_id, completed_at, jp);
