package dbtest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
)

// Integrity checks the database as its engine's own tools do, for tests
// that kill, restore or upgrade it: on SQLite `PRAGMA integrity_check`,
// `PRAGMA foreign_key_check` and the FTS5 tables' integrity-check; on
// PostgreSQL amcheck's bt_index_check (with heapallindexed) on every
// B-tree index of the schema and, for every foreign key, a search for
// rows whose parent is missing (PostgreSQL has no command that checks a
// valid constraint again). Each finding is a test error.
func Integrity(t testing.TB, d *db.DB) {
	t.Helper()
	problems, err := integrityProblems(context.Background(), d)
	if err != nil {
		t.Fatalf("dbtest: integrity: %v", err)
	}
	for _, p := range problems {
		t.Errorf("integrity (%s): %s", d.Engine(), p)
	}
}

// integrityProblems is what Integrity reports, one line a problem.
// On SQLite the checks run on connections of their own, opened for them:
// PRAGMA integrity_check checks the FTS5 tables with the index structure
// a connection keeps from its last read of them, and a connection that
// read them before another process wrote reports "fts5: corruption found
// reading blob …" where a new connection finds the file whole (SQLite
// 3.54.1, seen in the crash test: the test's connections had checked the
// file before the server wrote on). A new connection sees the file as a
// restarted server would.
func integrityProblems(ctx context.Context, d *db.DB) ([]string, error) {
	if d.Engine() == db.Postgres {
		return postgresIntegrity(ctx, d)
	}
	fresh, err := db.Open(ctx, d.DSN)
	if err != nil {
		return nil, err
	}
	defer fresh.Close()
	return sqliteIntegrity(ctx, fresh)
}

func sqliteIntegrity(ctx context.Context, d *db.DB) ([]string, error) {
	var problems []string
	lines, err := texts(ctx, d.R, `PRAGMA integrity_check`)
	if err != nil {
		return nil, err
	}
	if len(lines) != 1 || lines[0] != "ok" {
		problems = append(problems, lines...)
	}
	rows, err := d.R.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var table, parent string
		var rowid, fk any
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return nil, err
		}
		problems = append(problems, fmt.Sprintf("%s row %v: no %s (foreign key %v)", table, rowid, parent, fk))
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	fts, err := texts(ctx, d.R, `SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%'`)
	if err != nil {
		return nil, err
	}
	for _, name := range fts {
		// The FTS5 check is spelled as an INSERT of a command; it reads
		// only, but runs on the writer, the one connection allowed to
		// INSERT.
		if _, err := d.W.ExecContext(ctx, `INSERT INTO `+name+`(`+name+`) VALUES ('integrity-check')`); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", name, err))
		}
	}
	return problems, nil
}

func postgresIntegrity(ctx context.Context, d *db.DB) ([]string, error) {
	schema, err := amcheck(ctx, d)
	if err != nil {
		return nil, err
	}
	indexes, err := texts(ctx, d.R, `SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		JOIN pg_am am ON am.oid = c.relam WHERE am.amname = 'btree' AND i.indisvalid AND i.indisready
		AND c.relnamespace = current_schema()::regnamespace ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	if len(indexes) == 0 {
		return nil, fmt.Errorf("no B-tree index in schema %s", schema)
	}
	var problems []string
	for _, ix := range indexes {
		if _, err := d.W.ExecContext(ctx, `SELECT `+schema+`.bt_index_check($1::regclass, true)`, ix); err != nil {
			problems = append(problems, fmt.Sprintf("index %s: %v", ix, err))
		}
	}
	orphans, err := postgresOrphans(ctx, d)
	return append(problems, orphans...), err
}

// amcheck creates the amcheck extension if it is missing and returns the
// schema that holds its functions. It goes to public, not the test's
// schema: an extension exists once per database, and a test's schema is
// dropped at its end, with the extension, under any other test using it.
func amcheck(ctx context.Context, d *db.DB) (string, error) {
	const where = `SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'amcheck'`
	for try := 0; ; try++ {
		schema, err := texts(ctx, d.R, where)
		if err != nil {
			return "", err
		}
		if len(schema) == 1 {
			return `"` + schema[0] + `"`, nil
		}
		_, err = d.W.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS amcheck WITH SCHEMA public`)
		if err != nil && try > 0 { // once more: another test may have created it at the same moment
			return "", fmt.Errorf("create extension amcheck: %w", err)
		}
	}
}

// postgresOrphans looks, for every foreign key of the schema, for rows
// whose key (all its columns set: MATCH SIMPLE) names no parent row, and
// names the constraints not validated.
func postgresOrphans(ctx context.Context, d *db.DB) ([]string, error) {
	rows, err := d.R.QueryContext(ctx, `SELECT c.conname, c.conrelid::regclass::text, c.confrelid::regclass::text, c.convalidated,
		(SELECT string_agg(quote_ident(a.attname), ',' ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(att, n)
			JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.att),
		(SELECT string_agg(quote_ident(a.attname), ',' ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY k(att, n)
			JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.att)
		FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	type fk struct {
		name, child, parent, cols, refs string
		valid                           bool
	}
	var fks []fk
	for rows.Next() {
		var f fk
		if err := rows.Scan(&f.name, &f.child, &f.parent, &f.valid, &f.cols, &f.refs); err != nil {
			rows.Close()
			return nil, err
		}
		fks = append(fks, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var problems []string
	for _, f := range fks {
		if !f.valid {
			problems = append(problems, fmt.Sprintf("foreign key %s on %s is not validated", f.name, f.child))
		}
		cols, refs := strings.Split(f.cols, ","), strings.Split(f.refs, ",")
		var set, match []string
		for i := range cols {
			set = append(set, "x."+cols[i]+" IS NOT NULL")
			match = append(match, "y."+refs[i]+" = x."+cols[i])
		}
		var n int
		q := `SELECT count(*) FROM ` + f.child + ` x WHERE ` + strings.Join(set, " AND ") +
			` AND NOT EXISTS (SELECT 1 FROM ` + f.parent + ` y WHERE ` + strings.Join(match, " AND ") + `)`
		if err := d.R.QueryRowContext(ctx, q).Scan(&n); err != nil {
			return nil, fmt.Errorf("foreign key %s: %w", f.name, err)
		}
		if n > 0 {
			problems = append(problems, fmt.Sprintf("%d rows of %s name no %s (foreign key %s)", n, f.child, f.parent, f.name))
		}
	}
	return problems, nil
}

// texts reads a query's one text column.
func texts(ctx context.Context, q db.Querier, query string) ([]string, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
