package dbtest

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// WaitForLockWaits waits until n sessions wait for a lock that another
// transaction holds while they use one of tables, for a test that lines
// up transactions against a row it holds. Only d's own tables count (the
// names are looked up in its schema): the other packages' tests wait for
// locks of their own in the same database at the same time. SQLite shows
// no waiting writer, which queues for its one write connection: the test
// gives them a moment to queue instead.
func WaitForLockWaits(t testing.TB, d *db.DB, n int, tables ...string) {
	t.Helper()
	if d.Engine() != db.Postgres {
		time.Sleep(200 * time.Millisecond)
		return
	}
	var got int
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		// A session waiting for a row holds (or waits for) a lock on its
		// table: the tuple's, or the table's own, taken by the statement.
		if err := d.R.QueryRow(`SELECT COUNT(DISTINCT a.pid) FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
			WHERE a.wait_event_type = 'Lock' AND a.datname = current_database()
			AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
			AND l.relation = ANY ($1::text[]::regclass[])`, tables).Scan(&got); err != nil {
			t.Fatalf("dbtest: lock waits: %v", err)
		}
		if got >= n {
			return
		}
	}
	t.Fatalf("dbtest: %d sessions waited for a lock on %v, want %d", got, tables, n)
}

// Held is a transaction a test holds open, to line other transactions up
// against the rows it writes (PostgreSQL) or the one writer (SQLite).
type Held struct {
	t  testing.TB
	tx *sql.Tx
}

// Hold begins a transaction on d's writer and runs query in it; the test's
// end rolls it back unless Commit did.
func Hold(t testing.TB, d *db.DB, query string, args ...any) *Held {
	t.Helper()
	tx, err := d.W.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatalf("dbtest: hold: %v", err)
	}
	t.Cleanup(func() { _ = tx.Rollback() })
	h := &Held{t: t, tx: tx}
	h.Exec(query, args...)
	return h
}

// Exec runs one more statement in the held transaction.
func (h *Held) Exec(query string, args ...any) {
	h.t.Helper()
	if _, err := h.tx.Exec(query, args...); err != nil {
		h.t.Fatalf("dbtest: hold: %v", err)
	}
}

// Commit commits the held transaction.
func (h *Held) Commit() {
	h.t.Helper()
	if err := h.tx.Commit(); err != nil {
		h.t.Fatalf("dbtest: hold: commit: %v", err)
	}
}

// Behind runs act while another transaction holds what hold writes in it,
// not yet committed, the way the same change made a moment earlier by
// someone else would: it waits until act waits for a lock on one of
// tables (WaitForLockWaits), commits the other, and returns act's error.
// A test of a change that must take turns with its like checks there that
// act saw what the other committed.
func Behind(t testing.TB, d *db.DB, tables []string, hold func(tx *sql.Tx) error, act func() error) error {
	t.Helper()
	other, err := d.W.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatalf("dbtest: behind: %v", err)
	}
	defer other.Rollback() // after a failure here: the test's end would wait for its connection
	if err := hold(other); err != nil {
		t.Fatalf("dbtest: behind: %v", err)
	}
	errc := make(chan error, 1)
	go func() { errc <- act() }()
	WaitForLockWaits(t, d, 1, tables...)
	if err := other.Commit(); err != nil {
		t.Fatalf("dbtest: behind: %v", err)
	}
	return <-errc
}
