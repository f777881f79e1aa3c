package transfer_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/db/transfer"
	"github.com/lontara-id/lontara/internal/demo"
)

// TestValuesEncodeAlikeOnBothEngines checks that what SQLite stores and what
// PostgreSQL returns for the same value have one canonical text, so equal
// data gives equal checksums.
func TestValuesEncodeAlikeOnBothEngines(t *testing.T) {
	at := time.Date(2026, 11, 27, 13, 4, 5, 123456789, time.FixedZone("WITA", 8*3600))
	cases := []struct {
		dataType   string
		sqlite, pg any
		want       string
	}{
		{"bigint", int64(42), int64(42), "42"},
		{"integer", int64(-7), int32(-7), "-7"},
		{"boolean", int64(1), true, "t"},
		{"boolean", int64(0), false, "f"},
		{"timestamp with time zone", at.UnixMicro(), at.UTC().Truncate(time.Microsecond), "2026-11-27T05:04:05.123456Z"},
		{"timestamp with time zone", at, at.In(time.UTC), "2026-11-27T05:04:05.123456Z"},
		{"timestamp with time zone", "2026-11-27 05:04:05.123456+00:00", at, "2026-11-27T05:04:05.123456Z"},
		{"date", "2026-01-16", time.Date(2026, 1, 16, 0, 0, 0, 0, time.UTC), "2026-01-16"},
		{"double precision", int64(3), 3.0, "3"},
		{"double precision", 0.1, 0.1, "0.1"},
		{"text", []byte("Dinas Kominfo"), "Dinas Kominfo", "Dinas Kominfo"},
		{"bytea", "\x00\xffPNG", []byte("\x00\xffPNG"), "\x00\xffPNG"},
		{"text", nil, nil, "NULL"},
	}
	for _, c := range cases {
		s, err1 := transfer.Canonical(c.dataType, c.sqlite)
		p, err2 := transfer.Canonical(c.dataType, c.pg)
		if err1 != nil || err2 != nil || s != c.want || p != c.want {
			t.Errorf("%s: SQLite's %#v is %q (%v), PostgreSQL's %#v is %q (%v); want %q",
				c.dataType, c.sqlite, s, err1, c.pg, p, err2, c.want)
		}
	}
	for _, bad := range []struct {
		dataType string
		v        any
	}{{"bigint", "dua"}, {"boolean", int64(2)}, {"timestamp with time zone", "kemarin"}, {"bigint", 1.5}} {
		if got, err := transfer.Canonical(bad.dataType, bad.v); err == nil {
			t.Errorf("%s %#v: %q, want an error", bad.dataType, bad.v, got)
		}
	}
}

// TestMoveDetectsAMismatch corrupts a row in the target between the copy
// and the verification: the move names the table, rolls back, and leaves
// the target empty, so a second move into it succeeds.
func TestMoveDetectsAMismatch(t *testing.T) {
	ctx := context.Background()
	city := dbtest.SQLite(t) // sqlite-only: the move's source is a SQLite file
	if _, err := demo.LoadCity(ctx, city, demo.Options{Employees: 60}); err != nil {
		t.Fatal(err)
	}
	to := dbtest.DSN(t, db.Postgres)
	restore := transfer.SetBeforeVerify(func(ctx context.Context, tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE employees SET name = name || '.' WHERE id = (SELECT min(id) FROM employees)`)
		return err
	})
	rep, err := transfer.Move(ctx, transfer.Options{From: city.DSN, To: to})
	restore()
	if !errors.Is(err, transfer.ErrMismatch) {
		t.Fatalf("Move with a corrupted row: %v, want ErrMismatch", err)
	}
	var bad []string
	for _, tb := range rep.Tables {
		if !tb.OK() {
			bad = append(bad, fmt.Sprintf("%s same count: %v", tb.Name, tb.Rows == tb.TargetRows))
		}
	}
	if len(bad) != 1 || bad[0] != "employees same count: true" {
		t.Errorf("tables reported as differing: %v, want employees alone (same count, other checksum)", bad)
	}
	target, err := db.Open(ctx, to)
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	var n int
	if err := target.R.QueryRow(`SELECT count(*) FROM employees`).Scan(&n); err != nil || n != 0 {
		t.Errorf("after the mismatch the target holds %d employees (%v), want 0", n, err)
	}
	var progress bytes.Buffer
	rep, err = transfer.Move(ctx, transfer.Options{From: city.DSN, To: to, Progress: &progress})
	if err != nil {
		t.Fatalf("a second move into the rolled-back target: %v", err)
	}
	if rep.Rows() == 0 || !bytes.Contains(progress.Bytes(), []byte("verified every table in")) {
		t.Errorf("the second move: %d rows, progress %q", rep.Rows(), progress.String())
	}
}

// TestMoveReadsOneSnapshot moves a city while it keeps writing: a writer
// adds an agency and a unit of it in one transaction, again and again. The
// move reads agencies before units; were its reads not one snapshot, it
// would copy units of agencies it had not copied, and the foreign key
// would refuse them. Every count and checksum must match.
func TestMoveReadsOneSnapshot(t *testing.T) {
	ctx := context.Background()
	city := dbtest.SQLite(t) // sqlite-only: the move's source is a SQLite file
	if _, err := demo.LoadCity(ctx, city, demo.Options{Employees: 300}); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var written atomic.Int64
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			err := city.Tx(ctx, func(tx *sql.Tx) error {
				now := time.Now().UTC()
				var id int64
				if err := tx.QueryRowContext(ctx, `INSERT INTO agencies (code, name, type, created_at, updated_at)
					VALUES ($1, $2, 'upt', $3, $3) RETURNING id`, fmt.Sprintf("W%d", i), fmt.Sprintf("UPT %d", i), now).Scan(&id); err != nil {
					return err
				}
				_, err := tx.ExecContext(ctx, `INSERT INTO units (agency_id, name, created_at) VALUES ($1, 'Tata Usaha', $2)`, id, now)
				return err
			})
			if err != nil {
				t.Errorf("the city's write %d: %v", i, err)
				return
			}
			written.Add(1)
		}
	})
	rep, err := transfer.Move(ctx, transfer.Options{From: city.DSN, To: dbtest.DSN(t, db.Postgres)})
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("Move while the city writes: %v", err)
	}
	if written.Load() == 0 {
		t.Error("the writer wrote nothing during the move")
	}
	for _, tb := range rep.Tables {
		if !tb.OK() {
			t.Errorf("%s: %d rows %s, target %d rows %s", tb.Name, tb.Rows, tb.Checksum, tb.TargetRows, tb.TargetChecksum)
		}
	}
}
