-- The staff directory lists an agency's people by name (GET
-- /api/v1/employees?agency_id=…, the hot path); this index serves its filter,
-- order and keyset cursor in one range scan.
CREATE INDEX employees_agency_name ON employees(agency_id, name, id);
