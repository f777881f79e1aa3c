package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/cli"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
)

// TestServeRefusesABadReadReplica: --db-read beside SQLite, a replica
// that is not a postgres:// URL, and one that does not answer stop serve
// before it listens, with an error naming --db-read and no password.
func TestServeRefusesABadReadReplica(t *testing.T) {
	for _, engine := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			dsn := dbtest.DSN(t, engine)
			cases := map[string]string{"postgres://postgres@127.0.0.1:55433/egov": "needs PostgreSQL"}
			if engine == db.Postgres {
				cases = map[string]string{
					"replica.db": "must be a postgres:// URL",
					// Nothing listens on port 1 of loopback: refused at once.
					"postgres://lontara:s3cret@127.0.0.1:1/egov?sslmode=disable": "does not answer",
				}
			}
			for replica, want := range cases {
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				var out, errb bytes.Buffer
				code := cli.Run(ctx, []string{"serve", "--db", dsn, "--db-read", replica, "--addr", "127.0.0.1:0"},
					cli.IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
				cancel()
				msg := errb.String()
				if code != 1 || !strings.Contains(msg, "--db-read") || !strings.Contains(msg, want) ||
					strings.Contains(msg, "s3cret") || strings.Contains(out.String(), "running at") {
					t.Errorf("--db-read %s: exit %d, stderr %q, stdout %q; want exit 1 and %q", replica, code, msg, out.String(), want)
				}
			}
		})
	}
}

// TestServeWithAReadReplica starts serve with the test replica from
// LONTARA_DB_READ: /healthz says the replica is a standby and that the
// node hears the other nodes' changes, and `lontara config` shows the
// variable with its password masked.
func TestServeWithAReadReplica(t *testing.T) {
	dsn := dbtest.DSN(t, db.Postgres)
	replica := dbtest.Replica(t, dsn)
	t.Setenv("LONTARA_DB_READ", replica)
	ctx, cancel := context.WithCancel(context.Background())
	out, errb := &lockedBuffer{}, &lockedBuffer{}
	done := make(chan int)
	go func() {
		done <- cli.Run(ctx, []string{"serve", "--db", dsn, "--addr", "127.0.0.1:0"}, cli.IO{Stdin: strings.NewReader(""), Stdout: out, Stderr: errb})
	}()
	defer func() { cancel(); <-done }()
	addr := regexp.MustCompile(`running at (http://\S+)`)
	var base string
	for deadline := time.Now().Add(time.Minute); base == ""; time.Sleep(20 * time.Millisecond) {
		if m := addr.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %s", errb.String())
		}
	}
	// Reads start on the primary until the replica has replayed the
	// primary's WAL of the start, which another test may be holding up
	// (dbtest.PauseReplay): a minute at most.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(base + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		var health map[string]string
		err = json.NewDecoder(resp.Body).Decode(&health)
		resp.Body.Close()
		if err == nil && resp.StatusCode == http.StatusOK && health["replica"] == "ok" && health["replica_reads"] == "replica" &&
			health["changes"] == "listening" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz: %d %v (%v), want 200 with replica ok, read from, changes listened to", resp.StatusCode, health, err)
		}
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || !strings.Contains(string(metrics), "\nlontara_replica_reads 1\n") ||
		!strings.Contains(string(metrics), "\nlontara_replica_lag_seconds ") ||
		!strings.Contains(string(metrics), "\nlontara_changes_listening 1\n") {
		t.Errorf("/metrics: %v, want lontara_replica_reads 1, the lag and lontara_changes_listening 1:\n%s", err, metrics)
	}
	if !strings.Contains(errb.String(), "dashboards and reports read the replica") {
		t.Errorf("serve's log does not say where dashboards read: %s", errb.String())
	}

	t.Setenv("LONTARA_DB_READ", "postgres://lontara:s3cret@replica.internal:5432/lontara")
	var cfg bytes.Buffer
	if code := cli.Run(context.Background(), []string{"config"}, cli.IO{Stdout: &cfg, Stderr: &cfg}); code != 0 ||
		!strings.Contains(cfg.String(), "LONTARA_DB_READ=postgres://lontara:*****@replica.internal:5432/lontara\n") {
		t.Errorf("lontara config: exit %d\n%s", code, cfg.String())
	}
}

// lockedBuffer is a bytes.Buffer that serve's goroutine writes while the
// test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
