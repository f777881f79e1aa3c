package dbtest

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
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
	resumeLeftPause(t, primary, replica)
	catchUp(t, primary, replica)
	return dsn
}

// CatchUp waits until the replica at replicaDSN has replayed what the
// primary had committed when it was called (a minute at most: then the
// test fails). It asks the replica on a connection of its own, not through
// a db.DB's Replica, which may be reading the primary.
func CatchUp(t testing.TB, primary *sql.DB, replicaDSN string) {
	t.Helper()
	catchUp(t, primary, poolOf(t, replicaDSN))
}

func catchUp(t testing.TB, primary, replica *sql.DB) {
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

// pauseLock is the session advisory lock, on the primary, that a test
// pausing the shared replica's replay holds until it resumes it: the
// packages' tests run at once, and one test's resume must not end
// another's pause under it.
const pauseLock = 7_715_001

// PauseReplay stops the test replica's replay of the primary's WAL until
// the function it returns (or the test's end) resumes it. The replica keeps
// receiving WAL meanwhile; only applying it waits, and so do other tests'
// Replica and CatchUp: keep the pause short. One test pauses at a time
// (pauseLock); another waits for it.
func PauseReplay(t testing.TB) (resume func()) {
	t.Helper()
	release := HoldReplay(t)
	resumeOnly := PauseHeldReplay(t)
	var once sync.Once
	resume = func() { once.Do(func() { resumeOnly(); release() }) }
	t.Cleanup(resume)
	return resume
}

// HoldReplay keeps every other test from pausing the replica's replay
// until the function it returns (or the test's end) releases it, waiting
// first for a pause under way to end: a test that must see the replica
// keep up holds it, and pauses it with PauseHeldReplay.
func HoldReplay(t testing.TB) (release func()) {
	t.Helper()
	if os.Getenv(ReplicaEnv) == "" || os.Getenv(PGEnv) == "" {
		t.Fatalf("dbtest: pausing the replica without %s and %s: call Replica first", PGEnv, ReplicaEnv)
	}
	var once sync.Once
	unlock := holdPause(t, context.Background())
	release = func() { once.Do(unlock) }
	t.Cleanup(release)
	return release
}

// PauseHeldReplay pauses the replica's replay for a test that holds it
// (HoldReplay) until the function it returns (or the test's end) resumes it.
func PauseHeldReplay(t testing.TB) (resume func()) {
	t.Helper()
	replica, err := sql.Open("pgx", os.Getenv(ReplicaEnv))
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	resume = func() {
		once.Do(func() {
			if _, err := replica.Exec(`SELECT pg_wal_replay_resume()`); err != nil {
				t.Errorf("resume the replica's replay: %v", err)
			}
			replica.Close()
		})
	}
	t.Cleanup(resume)
	if _, err := replica.Exec(`SELECT pg_wal_replay_pause()`); err != nil {
		t.Fatalf("pause the replica's replay: %v", err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var state string
		if err := replica.QueryRow(`SELECT pg_get_wal_replay_pause_state()`).Scan(&state); err != nil {
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

// holdPause takes pauseLock on a connection of its own to the primary,
// waiting for another test's pause to end, and returns what releases it.
// Closing a *sql.Conn only hands it back to its pool, session and lock
// kept: the release unlocks, then closes the pool.
func holdPause(t testing.TB, ctx context.Context) (release func()) {
	t.Helper()
	primary, err := sql.Open("pgx", os.Getenv(PGEnv))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { primary.Close() })
	conn, err := primary.Conn(ctx)
	if err != nil {
		t.Fatalf("dbtest: pause lock: %v", err)
	}
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, pauseLock); err != nil {
		t.Fatalf("dbtest: pause lock: %v", err)
	}
	return func() {
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1)`, pauseLock); err != nil {
			t.Errorf("dbtest: pause lock: %v", err)
		}
		conn.Close()
		primary.Close()
	}
}

// resumeLeftPause resumes the replica's replay if it is paused and no
// test holds pauseLock: a test binary killed (go test -timeout) never
// resumed its pause, which would hold back every later run's Replica.
func resumeLeftPause(t testing.TB, primary, replica *sql.DB) {
	t.Helper()
	var paused bool
	if err := replica.QueryRow(`SELECT pg_get_wal_replay_pause_state() <> 'not paused'`).Scan(&paused); err != nil || !paused {
		return
	}
	var free bool
	if err := primary.QueryRow(`SELECT NOT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = $1
		AND granted)`, pauseLock).Scan(&free); err != nil {
		t.Fatalf("dbtest: pause lock: %v", err)
	}
	if free {
		if _, err := replica.Exec(`SELECT pg_wal_replay_resume()`); err != nil {
			t.Fatalf("dbtest: resume a pause left behind: %v", err)
		}
	}
}

// ReadsFromReplica waits (a minute at most: then the test fails) until d's
// reads that may lag go to its replica: after OpenReplica they start on the
// primary while the replica has not replayed the primary's WAL of the
// start, as when another test has paused the shared replica.
func ReadsFromReplica(t testing.TB, d *db.DB) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		why, _ := d.Replica.OnPrimary()
		if why == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("dbtest: the reads are still on the primary a minute after OpenReplica: the replica is %s", why)
		}
	}
}
