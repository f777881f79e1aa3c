package dbtest

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/testenv"
)

// ReplicaEnv names the variable that holds the streaming replica of the
// PostgreSQL server of PGEnv, started by scripts/pg-replica-start.sh.
const ReplicaEnv = "LONTARA_TEST_PG_REPLICA"

// Replica returns the address of primaryDSN's schema (from Postgres or DSN)
// on the test replica, once the replica has replayed everything the primary
// had committed when it was called: the schema, made on the primary, and
// its tables are there. A test without a replica stops as testenv.Missing
// says.
func Replica(t testing.TB, primaryDSN string) string {
	t.Helper()
	base := os.Getenv(ReplicaEnv)
	if base == "" {
		testenv.Missing(t, "a PostgreSQL streaming replica",
			ReplicaEnv+"=$(scripts/pg-replica-start.sh | tail -1) go test ./...")
	}
	p, err := url.Parse(primaryDSN)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("dbtest: %s: %v", ReplicaEnv, err)
	}
	q := u.Query()
	q.Set("search_path", p.Query().Get("search_path"))
	u.RawQuery = q.Encode()
	dsn := u.String()
	primary, replica := poolOf(t, primaryDSN), poolOf(t, dsn)
	CatchUp(t, primary, replica)
	return dsn
}

// CatchUp waits until the replica has replayed what the primary had
// committed when it was called (a minute at most: then the test fails).
func CatchUp(t testing.TB, primary, replica *sql.DB) {
	t.Helper()
	ctx := context.Background()
	// The insert position, not pg_current_wal_lsn()'s write position: with
	// synchronous_commit=off (scripts/pg-start.sh) a commit can sit in the
	// WAL buffers, past the write position, for a moment.
	var lsn string
	if err := primary.QueryRowContext(ctx, `SELECT pg_current_wal_insert_lsn()::text`).Scan(&lsn); err != nil {
		t.Fatalf("dbtest: the primary's WAL position: %v", err)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		var done bool
		err := replica.QueryRowContext(ctx, `SELECT COALESCE(pg_last_wal_replay_lsn() >= $1::pg_lsn, FALSE)`, lsn).Scan(&done)
		switch {
		case err != nil:
			t.Fatalf("dbtest: the replica's replay: %v", err)
		case done:
			return
		case time.Now().After(deadline):
			t.Fatalf("dbtest: the replica has not replayed the primary's WAL up to %s in a minute (replay paused?)", lsn)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func poolOf(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	pool.SetMaxOpenConns(1)
	t.Cleanup(func() { pool.Close() })
	return pool
}

// PauseReplay stops the test replica's replay of the primary's WAL until
// the function it returns (or the test's end) resumes it. The replica keeps
// receiving WAL meanwhile; only applying it waits.
func PauseReplay(t testing.TB) (resume func()) {
	t.Helper()
	if os.Getenv(ReplicaEnv) == "" {
		t.Fatalf("dbtest: PauseReplay without %s: call Replica first", ReplicaEnv)
	}
	admin, err := sql.Open("pgx", os.Getenv(ReplicaEnv))
	if err != nil {
		t.Fatal(err)
	}
	resume = func() {
		if _, err := admin.Exec(`SELECT pg_wal_replay_resume()`); err != nil {
			t.Errorf("resume the replica's replay: %v", err)
		}
	}
	t.Cleanup(func() { resume(); admin.Close() })
	if _, err := admin.Exec(`SELECT pg_wal_replay_pause()`); err != nil {
		t.Fatalf("pause the replica's replay: %v", err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var state string
		if err := admin.QueryRow(`SELECT pg_get_wal_replay_pause_state()`).Scan(&state); err != nil {
			t.Fatal(err)
		}
		if state == "paused" {
			return resume
		}
		if time.Now().After(deadline) {
			t.Fatalf("the replica's replay is %q 30 s after the pause", state)
		}
	}
}
