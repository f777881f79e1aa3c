package dbtest

import (
	"testing"

	"github.com/lontara-id/lontara/internal/db"
)

// RowCounts counts the rows of every table of d's schema, for tests that
// prove an action or a refusal left the database as it was. SQLite's
// full-text index (search_fts and its shadow tables) follows search_docs
// by trigger and is left out.
func RowCounts(t testing.TB, d *db.DB) map[string]int64 {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'search_fts%'`
	if d.Engine() == db.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	rows, err := d.R.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	counts := make(map[string]int64, len(tables))
	for _, name := range tables {
		var n int64
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM "` + name + `"`).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", name, err)
		}
		counts[name] = n
	}
	return counts
}
