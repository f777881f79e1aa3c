package db_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/i18n"
)

// Two transactions that take the same two rows in opposite orders
// deadlock on PostgreSQL, which rolls one back. That one is answered as a
// collision to try again (409), not as the server's fault nor as a rule
// refusing it, and leaves nothing
// written. (SQLite's writers take turns: they never deadlock.)
func TestADeadlockIsAConflictToTryAgain(t *testing.T) {
	d := dbtest.Postgres(t)
	ctx := context.Background()
	first := dbtest.Agency(t, d, "A", "Dinas A", "dinas")
	second := dbtest.Agency(t, d, "B", "Dinas B", "dinas")
	rename := `UPDATE agencies SET name = name || ' (baru)' WHERE id = $1`
	held := dbtest.Hold(t, d, rename, first)
	done := make(chan error, 1)
	go func() {
		done <- d.Tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, rename, second); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, rename, first) // waits for the held transaction
			return err
		})
	}()
	dbtest.WaitForLockWaits(t, d, 1, "agencies")
	// The held transaction now waits for the other: the one waiting longer
	// sees the deadlock first (deadlock_timeout) and is rolled back.
	held.Exec(rename, second)
	err := <-done
	if !errs.Is(err, errs.Collided) || errs.Refused(err) {
		t.Fatalf("the deadlocked transaction returned %v, want a collision, to try again", err)
	}
	if msg := errs.As(err).Message(i18n.ID); !strings.Contains(msg, "coba lagi") {
		t.Errorf("the conflict says %q, not to try again", msg)
	}
	held.Commit()
	var name string
	if err := d.R.QueryRowContext(ctx, `SELECT name FROM agencies WHERE id = $1`, second).Scan(&name); err != nil {
		t.Fatal(err)
	}
	if name != "Dinas B (baru)" { // the held rename only: the rolled-back one left nothing
		t.Errorf("agency B is named %q after the deadlock, want %q", name, "Dinas B (baru)")
	}
}
