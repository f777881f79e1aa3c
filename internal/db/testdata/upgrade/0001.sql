-- A city's first data, written against 0001_foundation as Lontara wrote it
-- then. Shared by both engines: no ids (foreign keys by subquery), TRUE and
-- FALSE for booleans, and every time bound: $1 is when the data was
-- written, $2 a week later. Keep each statement runnable on its own.
INSERT INTO agencies (code, name, type, created_at, updated_at)
VALUES ('DISKOMINFO', 'Dinas Komunikasi dan Informatika', 'dinas', $1, $1);
INSERT INTO agencies (code, name, type, parent_id, created_at, updated_at)
SELECT 'KEC-TAMALATE', 'Kecamatan Tamalate', 'kecamatan', NULL, $1, $1;
INSERT INTO units (agency_id, name, created_at)
SELECT id, 'Bidang Aplikasi Informatika', $1 FROM agencies WHERE code = 'DISKOMINFO';
INSERT INTO positions (name, created_at) VALUES ('Pranata Komputer Ahli Muda', $1);
INSERT INTO employees (agency_id, unit_id, position_id, nip, name, front_title, back_title, email, phone, rank,
    employment_type, created_at, updated_at)
SELECT a.id, u.id, p.id, '198503122010011002', 'Andi Mappaenre', '', 'S.Kom.', 'andi@makassarkota.go.id', '081234567801',
    'Penata (III/c)', 'pns', $1, $1
FROM agencies a, units u, positions p WHERE a.code = 'DISKOMINFO' AND u.agency_id = a.id AND p.name = 'Pranata Komputer Ahli Muda';
INSERT INTO employees (agency_id, name, email, employment_type, created_at, updated_at)
SELECT id, 'Nur Aisyah Dottoro''ta', 'aisyah@makassarkota.go.id', 'contract', $1, $1 FROM agencies WHERE code = 'DISKOMINFO';
INSERT INTO employees (agency_id, name, email, employment_type, supervisor_id, created_at, updated_at)
SELECT a.id, 'Muhammad Rizal', 'rizal@makassarkota.go.id', 'contract', e.id, $1, $1
FROM agencies a, employees e WHERE a.code = 'DISKOMINFO' AND e.email = 'andi@makassarkota.go.id';
INSERT INTO employees (agency_id, name, email, employment_type, active, end_reason, created_at, updated_at)
SELECT id, 'Sitti Rahmah', 'rahmah@makassarkota.go.id', 'contract', FALSE, 'contract_ended', $1, $1
FROM agencies WHERE code = 'KEC-TAMALATE';
-- Every account's password is kopi-toraja-2026, hashed as 0001's Lontara
-- hashed it (argon2id, OWASP's first setting).
INSERT INTO accounts (employee_id, password_hash, locale, password_changed_at, created_at, updated_at)
SELECT id, '$argon2id$v=19$m=19456,t=2,p=1$6qNWSkxwxYOe81oDAA/QJw$BZ346bj9At6bBkCZjRUKCDWHNu02u0Qdw4pt9BRQ6/4',
    'id', $1, $1, $1
FROM employees WHERE email IN ('andi@makassarkota.go.id', 'aisyah@makassarkota.go.id', 'rizal@makassarkota.go.id');
INSERT INTO role_grants (account_id, role, created_at)
SELECT a.id, 'superadmin', $1 FROM accounts a JOIN employees e ON e.id = a.employee_id WHERE e.email = 'andi@makassarkota.go.id';
INSERT INTO role_grants (account_id, role, created_at)
SELECT a.id, 'agent', $1 FROM accounts a JOIN employees e ON e.id = a.employee_id WHERE e.email = 'aisyah@makassarkota.go.id';
INSERT INTO role_grants (account_id, role, agency_id, created_at)
SELECT a.id, 'employee', e.agency_id, $1 FROM accounts a JOIN employees e ON e.id = a.employee_id;
INSERT INTO apps (slug, name, owner_agency_id, status, url, created_at, updated_at)
SELECT 'simpeg', 'SIMPEG', id, 'active', 'https://simpeg.makassarkota.go.id', $1, $1 FROM agencies WHERE code = 'DISKOMINFO';
INSERT INTO app_agencies (app_id, agency_id) SELECT p.id, a.id FROM apps p, agencies a WHERE p.slug = 'simpeg';
INSERT INTO api_tokens (account_id, name, token_hash, prefix, created_at)
SELECT id, 'integrasi lama', 'f1e2d3c4b5a6978877665544332211000112233445566778899aabbccddeeff0', 'lnt_old', $1 FROM accounts
WHERE employee_id = (SELECT id FROM employees WHERE email = 'andi@makassarkota.go.id');
INSERT INTO audit_log (at, actor_account_id, actor, action, entity, entity_id, agency_id, after_json)
SELECT $1, a.id, 'andi@makassarkota.go.id', 'create', 'agency', CAST(g.id AS TEXT), g.id, '{"code":"KEC-TAMALATE"}'
FROM accounts a, agencies g WHERE a.employee_id = (SELECT id FROM employees WHERE email = 'andi@makassarkota.go.id')
    AND g.code = 'KEC-TAMALATE';
