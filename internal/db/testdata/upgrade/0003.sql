-- The help desk's first ticket, written against 0003_helpdesk (see
-- 0001.sql for the conventions): an account problem reported on the web,
-- answered in public, with an internal note and its history.
INSERT INTO teams (code, name, description, created_at, updated_at)
VALUES ('TI', 'Tim Layanan TI', 'Jaringan, akun dan aplikasi', $1, $1);
INSERT INTO team_members (team_id, account_id, lead, created_at)
SELECT t.id, a.id, TRUE, $1 FROM teams t, accounts a JOIN employees e ON e.id = a.employee_id
WHERE t.code = 'TI' AND e.email = 'aisyah@makassarkota.go.id';
INSERT INTO tickets (subject, body, reporter_account_id, channel, category, app_id, agency_id, priority, status,
    team_id, assignee_account_id, tags, first_response_due, resolution_due, first_responded_at, created_at, updated_at)
SELECT 'Tidak bisa masuk SIMPEG sejak pagi', 'Muncul pesan sandi salah padahal belum diganti.', r.id, 'web', 'account',
    p.id, g.id, 'normal', 'open', t.id, s.id, 'simpeg', $2, $2, $1, $1, $1
FROM accounts r, accounts s, apps p, agencies g, teams t
WHERE r.employee_id = (SELECT id FROM employees WHERE email = 'rizal@makassarkota.go.id')
    AND s.employee_id = (SELECT id FROM employees WHERE email = 'aisyah@makassarkota.go.id')
    AND p.slug = 'simpeg' AND g.code = 'DISKOMINFO' AND t.code = 'TI';
INSERT INTO ticket_messages (ticket_id, author_account_id, author, body, internal, time_spent_minutes, created_at)
SELECT t.id, a.id, 'Nur Aisyah Dottoro''ta', 'Sandi Bapak sudah kami atur ulang; silakan cek surel dinas.', FALSE, 10, $1
FROM tickets t, accounts a WHERE a.employee_id = (SELECT id FROM employees WHERE email = 'aisyah@makassarkota.go.id');
INSERT INTO ticket_messages (ticket_id, author_account_id, author, body, internal, created_at)
SELECT t.id, a.id, 'Nur Aisyah Dottoro''ta', 'Catatan: akun terkunci oleh sinkronisasi LDAP semalam.', TRUE, $1
FROM tickets t, accounts a WHERE a.employee_id = (SELECT id FROM employees WHERE email = 'aisyah@makassarkota.go.id');
INSERT INTO ticket_events (ticket_id, actor_account_id, actor, kind, old_value, new_value, at)
SELECT t.id, t.reporter_account_id, 'Muhammad Rizal', 'created', '', 'new', $1 FROM tickets t;
INSERT INTO ticket_events (ticket_id, actor_account_id, actor, kind, old_value, new_value, at)
SELECT t.id, t.assignee_account_id, 'Nur Aisyah Dottoro''ta', 'status', 'new', 'open', $1 FROM tickets t;
