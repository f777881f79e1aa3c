package db_test

import (
	"context"
	"database/sql"
	"os"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
)

func TestMigrationsPaired(t *testing.T) {
	lite, err := db.Migrations(db.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := db.Migrations(db.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 || len(lite) != len(pg) {
		t.Fatalf("sqlite has %d migrations, postgres %d", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].Name != pg[i].Name {
			t.Errorf("migration %d: sqlite %q, postgres %q", i, lite[i].Name, pg[i].Name)
		}
	}
}

func TestMigrate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		applied, err := d.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Errorf("second migrate applied %v, want nothing", applied)
		}
		v, err := d.Version(ctx)
		if err != nil || v < 1 {
			t.Fatalf("version %d, %v", v, err)
		}
	})
}

func TestDialectViolations(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		insert := func(code string) error {
			return d.Tx(ctx, func(tx *sql.Tx) error {
				_, err := db.InsertID(ctx, tx, `INSERT INTO agencies (code, name, type, created_at, updated_at)
					VALUES ($1, $2, 'dinas', $3, $3) RETURNING id`, code, "Dinas "+code, now)
				return err
			})
		}
		if err := insert("DK"); err != nil {
			t.Fatal(err)
		}
		err := insert("DK")
		key, ok := d.Dialect.UniqueViolation(err)
		if !ok || key != "agencies.code" {
			t.Errorf("UniqueViolation(%v) = %q, %v; want agencies.code", err, key, ok)
		}
		err = d.Tx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO units (agency_id, name, created_at) VALUES ($1, 'x', $2)`, 99999, now)
			return err
		})
		if !d.Dialect.ForeignKeyViolation(err) {
			t.Errorf("ForeignKeyViolation(%v) = false", err)
		}
		var n int
		q := `SELECT count(*) FROM agencies WHERE ` + d.Dialect.ContainsFold("name", "$1")
		if err := d.R.QueryRowContext(ctx, q, "nas d").Scan(&n); err != nil || n != 1 {
			t.Errorf("ContainsFold: %d rows, %v", n, err)
		}
		if err := insert("ÄISYAH"); err != nil {
			t.Fatal(err)
		}
		if err := d.R.QueryRowContext(ctx, q, "nas äis").Scan(&n); err != nil || n != 1 {
			t.Errorf("ContainsFold beyond ASCII: %d rows, %v", n, err)
		}
		if err := d.R.QueryRowContext(ctx, q, db.EscapeLike("%")).Scan(&n); err != nil || n != 0 {
			t.Errorf("ContainsFold with an escaped %%: %d rows, %v", n, err)
		}
	})
}

// TestWALStaysSmall guards against the RETURNING trap: a statement left
// unfinished stops SQLite's automatic checkpoint and the -wal file grows
// without bound.
func TestWALStaysSmall(t *testing.T) {
	d := dbtest.SQLite(t) // sqlite-only: the -wal file and its checkpoint are SQLite's
	ctx := context.Background()
	now := time.Now().UTC()
	for i := range 3000 {
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			_, err := db.InsertID(ctx, tx, `INSERT INTO positions (name, created_at) VALUES ($1, $2) RETURNING id`,
				"Jabatan "+time.Duration(i).String(), now)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	st, err := os.Stat(d.DSN + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() > 8<<20 {
		t.Errorf("WAL is %d bytes after 3000 inserts; checkpoints are not running", st.Size())
	}
}

func TestCursorRoundTrip(t *testing.T) {
	c := db.Cursor("Nur'aini Ä", int64(42))
	var name string
	var id int64
	if err := db.ParseCursor(c, &name, &id); err != nil || name != "Nur'aini Ä" || id != 42 {
		t.Fatalf("got %q %d %v", name, id, err)
	}
	for _, bad := range []string{"!!", db.Cursor("x"), db.Cursor(1, 2), db.Cursor("a\x00b", 1)} {
		if err := db.ParseCursor(bad, &name, &id); err == nil {
			t.Errorf("ParseCursor(%q) accepted", bad)
		}
	}
}

func TestCachedReads(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		q := d.Cached()
		for i := range 3 {
			var n int
			if err := q.QueryRowContext(ctx, `SELECT count(*) + $1 FROM agencies`, i).Scan(&n); err != nil || n != i {
				t.Fatalf("cached read %d: %d, %v", i, n, err)
			}
		}
		if _, err := q.QueryContext(ctx, `SELECT no_such_column FROM agencies`); err == nil {
			t.Error("a bad query through the cache did not fail")
		}
	})
}
