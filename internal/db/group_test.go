package db_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
)

// insertAgency is a group action: it files one agency, or fails on a
// duplicate code like a user's mistake would.
func insertAgency(code string) func(context.Context, db.Querier) error {
	return func(ctx context.Context, tx db.Querier) error {
		_, err := db.InsertID(ctx, tx, `INSERT INTO agencies (code, name, type, created_at, updated_at)
			VALUES ($1, $2, 'dinas', $3, $3) RETURNING id`, code, "Dinas "+code, time.Now().UTC())
		return err
	}
}

func countAgencies(t *testing.T, d *db.DB) int {
	t.Helper()
	var n int
	if err := d.R.QueryRowContext(context.Background(), `SELECT count(*) FROM agencies`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestGroupCommitsEachActionAndRollsBackOnlyTheFailingOnes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		const n = 200
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			// Every tenth action repeats the code of the one before it, so
			// whichever runs second fails on the unique code.
			code := fmt.Sprintf("G%03d", i)
			if i%10 == 9 {
				code = fmt.Sprintf("G%03d", i-1)
			}
			wg.Go(func() {
				errs[i] = d.Group(ctx, func(ctx context.Context, tx db.Querier) error {
					// Two statements per action: the second fails for duplicates,
					// after the first (a harmless update) has run.
					if _, err := tx.ExecContext(ctx, `UPDATE agencies SET name = name WHERE code = 'none'`); err != nil {
						return err
					}
					return insertAgency(code)(ctx, tx)
				})
			})
		}
		wg.Wait()
		failed := 0
		for i, err := range errs {
			if err == nil {
				continue
			}
			failed++
			if _, ok := d.Dialect.UniqueViolation(err); !ok {
				t.Errorf("action %d: %v; want a unique violation", i, err)
			}
		}
		if failed != n/10 {
			t.Errorf("%d actions failed, want %d (the duplicates)", failed, n/10)
		}
		if got := countAgencies(t, d); got != n-n/10 {
			t.Errorf("%d agencies stored, want %d: an acknowledged action was lost or a failed one kept", got, n-n/10)
		}
	})
}

func TestGroupReturnsTheActionsErrorAndPanicsInTheCaller(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mistake := errors.New("the user's mistake")
		err := d.Group(ctx, func(ctx context.Context, tx db.Querier) error {
			if err := insertAgency("KEPT-NOT")(ctx, tx); err != nil {
				return err
			}
			return mistake
		})
		if !errors.Is(err, mistake) {
			t.Fatalf("Group = %v, want the action's own error", err)
		}
		func() {
			defer func() {
				if p := recover(); p != "bug" {
					t.Errorf("recovered %v, want the action's panic in the caller", p)
				}
			}()
			_ = d.Group(ctx, func(ctx context.Context, tx db.Querier) error {
				if err := insertAgency("PANIC")(ctx, tx); err != nil {
					return err
				}
				panic("bug")
			})
		}()
		if err := d.Group(ctx, insertAgency("AFTER")); err != nil {
			t.Fatalf("an action after a failure and a panic: %v", err)
		}
		if got := countAgencies(t, d); got != 1 {
			t.Errorf("%d agencies stored, want only the last action's", got)
		}
	})
}

func TestGroupAfterCloseFails(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		if err := d.Group(context.Background(), insertAgency("A")); err != nil {
			t.Fatal(err)
		}
		d.Close()
		if err := d.Group(context.Background(), insertAgency("B")); err == nil {
			t.Fatal("Group on a closed database succeeded")
		}
	})
}

// BenchmarkCommit measures what the group committer is for, on a SQLite
// file with synchronous=FULL: single-row transactions one after another
// (Tx), against the same rows from 32 concurrent callers through Group.
// Compare their rows/s in the same run; the machine is shared and noisy.
func BenchmarkCommit(b *testing.B) {
	for _, mode := range []string{"tx", "group"} {
		b.Run(mode, func(b *testing.B) {
			d := dbtest.SQLite(b)
			ctx := context.Background()
			var n atomic.Int64
			b.SetParallelism(16) // 32 callers on the 2 cores
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					insert := insertAgency(fmt.Sprint("B", n.Add(1)))
					var err error
					if mode == "tx" {
						err = d.Tx(ctx, func(tx *sql.Tx) error { return insert(ctx, tx) })
					} else {
						err = d.Group(ctx, insert)
					}
					if err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "rows/s")
		})
	}
}
