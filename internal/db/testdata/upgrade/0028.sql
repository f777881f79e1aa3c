-- The rest of the city's life, written against 0028_survey, the first
-- schema holding every area (see 0001.sql for the conventions): a finished
-- training with its participant, and a closed LO survey of five anonymous
-- responses.
INSERT INTO events (kind, title, description, starts_at, ends_at, place, capacity, jp, self_enrol, needs_approval,
    finished_at, created_by, created_at, updated_at)
SELECT 'bimtek', 'Bimtek Keamanan Siber untuk Operator', 'Sandi kuat dan *phishing*.', $1, $2, 'Ruang Rapat Diskominfo',
    30, 16, TRUE, FALSE, $2, id, $1, $1
FROM accounts WHERE employee_id = (SELECT id FROM employees WHERE email = 'andi@makassarkota.go.id');
INSERT INTO enrolments (event_id, employee_id, status, approval, source, completed_at, pre_score, post_score, created_at, updated_at)
SELECT v.id, e.id, 'completed', 'not_needed', 'self', $2, 55, 85, $1, $2
FROM events v, employees e WHERE e.email = 'rizal@makassarkota.go.id';
-- Two more of Diskominfo's people, so five are invited and the results
-- show (fewer than five are never shown).
INSERT INTO employees (agency_id, name, employment_type, created_at, updated_at)
SELECT id, 'Andi Baso Tenri', 'contract', $1, $1 FROM agencies WHERE code = 'DISKOMINFO';
INSERT INTO employees (agency_id, name, employment_type, created_at, updated_at)
SELECT id, 'Hasnah Daeng Ngai', 'contract', $1, $1 FROM agencies WHERE code = 'DISKOMINFO';
INSERT INTO survey_instruments (code, title, builtin, created_at, updated_at)
VALUES ('lo', 'Survei organisasi pembelajar', TRUE, $1, $1);
INSERT INTO survey_items (instrument_id, position, dimension, text_id, section)
SELECT i.id, v.column1, v.column2, v.column3, '' FROM survey_instruments i, (VALUES
    (1, 'continuous_learning', 'Kami saling membantu belajar.'),
    (2, 'continuous_learning', 'Kesalahan dibahas untuk dipelajari.'),
    (3, 'inquiry_dialogue', 'Kami memberi umpan balik secara terbuka.'),
    (4, 'inquiry_dialogue', 'Pendapat bawahan didengar.'),
    (5, 'team_learning', 'Tim bebas menyesuaikan tujuannya.'),
    (6, 'team_learning', 'Tim mengubah cara kerja dari diskusi.'),
    (7, 'embedded_system', 'Pengetahuan tersimpan dan mudah dicari.'),
    (8, 'embedded_system', 'Kesenjangan kinerja diukur.'),
    (9, 'empowerment', 'Pegawai ikut menetapkan tujuan.'),
    (10, 'empowerment', 'Pegawai diberi sumber daya yang cukup.'),
    (11, 'system_connection', 'Kebutuhan warga dipertimbangkan.'),
    (12, 'system_connection', 'Kami bekerja sama dengan OPD lain.'),
    (13, 'strategic_leadership', 'Pimpinan membimbing yang dipimpinnya.'),
    (14, 'strategic_leadership', 'Pimpinan mencari peluang belajar.')) AS v
WHERE i.code = 'lo';
INSERT INTO survey_campaigns (instrument_id, title, period, status, opens_at, closes_at, created_by, created_at, updated_at)
SELECT i.id, 'Survei organisasi pembelajar 2026-1', '2026-1', 'closed', $1, $2, a.id, $1, $2
FROM survey_instruments i, accounts a
WHERE i.code = 'lo' AND a.employee_id = (SELECT id FROM employees WHERE email = 'andi@makassarkota.go.id');
INSERT INTO survey_campaign_agencies (campaign_id, agency_id) SELECT c.id, a.id FROM survey_campaigns c, agencies a WHERE a.code = 'DISKOMINFO';
-- The invitations know who answered; the responses only their agency.
INSERT INTO survey_invitations (campaign_id, employee_id, agency_id, token_hash, answered, created_at)
SELECT c.id, e.id, e.agency_id, 'invitation-' || CAST(e.id AS TEXT), TRUE, $1
FROM survey_campaigns c, employees e JOIN agencies a ON a.id = e.agency_id WHERE a.code = 'DISKOMINFO';
INSERT INTO survey_responses (campaign_id, agency_id) SELECT campaign_id, agency_id FROM survey_invitations;
INSERT INTO survey_answers (response_id, item_id, value)
SELECT r.id, i.id, 2 + (r.id + i.position) % 5 FROM survey_responses r, survey_items i;
