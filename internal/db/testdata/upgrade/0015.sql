-- The knowledge base and the discussions, written against 0015_discussion,
-- the last schema before the search index (see 0001.sql for the
-- conventions): a published article with its revision and a discussion
-- thread. Lontara wrote no search documents then: the upgrade indexes them
-- (and 0003.sql's ticket).
INSERT INTO articles (title, body, status, author_account_id, version, created_at, updated_at)
SELECT 'Mengatur ulang kata sandi SIMPEG', 'Buka **Lupa sandi** di halaman masuk SIMPEG, lalu ikuti tautan di surel dinas.',
    'published', id, 1, $1, $1
FROM accounts WHERE employee_id = (SELECT id FROM employees WHERE email = 'aisyah@makassarkota.go.id');
INSERT INTO article_revisions (article_id, version, conflict, title, body, editor_account_id, created_at)
SELECT id, 1, FALSE, title, body, author_account_id, $1 FROM articles;
INSERT INTO article_apps (article_id, app_id) SELECT a.id, p.id FROM articles a, apps p WHERE p.slug = 'simpeg';
INSERT INTO spaces (name, description, level, created_by, created_at, updated_at)
SELECT 'Forum Kota Makassar', 'Tanya jawab antar-OPD', 'city', id, $1, $1
FROM accounts WHERE employee_id = (SELECT id FROM employees WHERE email = 'andi@makassarkota.go.id');
INSERT INTO threads (space_id, title, author_account_id, question, post_count, last_post_at, created_at, updated_at)
SELECT s.id, 'Printer bersama lantai tiga tidak mau mencetak', a.id, TRUE, 1, $1, $1, $1
FROM spaces s, accounts a WHERE a.employee_id = (SELECT id FROM employees WHERE email = 'rizal@makassarkota.go.id');
INSERT INTO posts (thread_id, author_account_id, body, created_at, updated_at)
SELECT id, author_account_id, 'Antrean cetak berhenti di dokumen pertama; ada yang pernah mengalami?', $1, $1 FROM threads;
UPDATE threads SET last_post_id = (SELECT max(id) FROM posts);
