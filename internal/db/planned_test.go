package db_test

import (
	"context"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
)

// A statement run with Planned arguments is planned for its values every
// time: PostgreSQL keeps no prepared statement of it, so never a generic
// plan, while the same kind of statement run as usual is prepared once per
// connection. SQLite's arguments are the values alone.
func TestPlannedStatementsAreNeverPrepared(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		const planned, usual = `SELECT CAST($1 AS BIGINT) + 1`, `SELECT CAST($1 AS BIGINT) + 2`
		conn, err := d.R.Conn(ctx) // prepared statements are a connection's
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		for i := range 7 {
			var a, b int64
			if err := conn.QueryRowContext(ctx, planned, d.Planned(i)...).Scan(&a); err != nil {
				t.Fatal(err)
			}
			if err := conn.QueryRowContext(ctx, usual, i).Scan(&b); err != nil {
				t.Fatal(err)
			}
			if a != int64(i+1) || b != int64(i+2) {
				t.Fatalf("run %d: %d and %d, want %d and %d", i, a, b, i+1, i+2)
			}
		}
		if d.Engine() != db.Postgres {
			if args := d.Planned(1, "a"); len(args) != 2 || args[0] != 1 || args[1] != "a" {
				t.Errorf("sqlite: Planned(1, a) = %v", args)
			}
			return
		}
		prepared := func(statement string) bool {
			var n int
			if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM pg_prepared_statements WHERE statement = $1`,
				statement).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n > 0
		}
		if prepared(planned) {
			t.Error("the planned statement was prepared")
		}
		if !prepared(usual) {
			t.Error("the usual statement was not prepared: the test no longer tells the two apart")
		}
	})
}
