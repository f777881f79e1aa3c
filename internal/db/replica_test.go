package db_test

import (
	"context"
	"database/sql"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
)

// TestOpenReplicaReadsTheStandby opens the test replica as d.Replica: a
// row written on the primary reaches it once replayed, its reads come from
// a standby, and a statement run for its effect is refused before it
// reaches either server.
func TestOpenReplicaReadsTheStandby(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Postgres(t)
	replicaDSN := dbtest.Replica(t, d.DSN)
	standby, err := d.OpenReplica(ctx, replicaDSN, db.DefaultReplicaMaxLag)
	if err != nil || !standby {
		t.Fatalf("OpenReplica: standby %v, %v", standby, err)
	}
	if !d.HasReplica() {
		t.Fatal("HasReplica: the replica is the primary's readers")
	}
	dbtest.Agency(t, d, "DK", "Dinas Kesehatan", "dinas")
	dbtest.CatchUp(t, d.W, replicaDSN)
	var name string
	if err := d.Replica.QueryRowContext(ctx, `SELECT name FROM agencies WHERE code = 'DK'`).Scan(&name); err != nil ||
		name != "Dinas Kesehatan" {
		t.Fatalf("the replica reads %q, %v", name, err)
	}
	waitReadsFrom(t, d, true, "")
	_, err = d.Replica.ExecContext(ctx, `INSERT INTO agencies (code, name, type, created_at, updated_at)
		VALUES ('X', 'X', 'dinas', $1, $1)`, time.Now().UTC())
	if err == nil || !strings.Contains(err.Error(), "reads only") {
		t.Errorf("a write through Replica: %v, want it refused", err)
	}
	var n int
	if err := d.W.QueryRowContext(ctx, `SELECT count(*) FROM agencies WHERE code = 'X'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("the refused write left %d rows (%v)", n, err)
	}
	if _, err := d.OpenReplica(ctx, replicaDSN, db.DefaultReplicaMaxLag); err == nil {
		t.Error("a second OpenReplica was accepted")
	}
}

// TestOpenReplicaRefuses: a replica of SQLite, a replica that is not a
// postgres:// URL or does not answer are refused with an error naming
// --db-read, and d reads the primary still; a primary given as its own
// replica is accepted as not in recovery.
func TestOpenReplicaRefuses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		check := func(dsn, want string) {
			t.Helper()
			_, err := d.OpenReplica(ctx, dsn, db.DefaultReplicaMaxLag)
			if err == nil || !strings.Contains(err.Error(), "--db-read") || !strings.Contains(err.Error(), want) {
				t.Errorf("OpenReplica(%q) = %v, want an error about %q", dsn, err, want)
			}
			if err != nil && strings.Contains(err.Error(), "s3cret") {
				t.Errorf("OpenReplica's error shows the password: %v", err)
			}
			if d.HasReplica() {
				t.Errorf("OpenReplica(%q) failed but left a replica", dsn)
			}
		}
		if d.Engine() == db.SQLite {
			check("postgres://postgres@127.0.0.1:55433/egov", "needs PostgreSQL")
			return
		}
		check("replica.db", "postgres:// URL")
		// Port 1 on loopback: nothing listens, the connection is refused at once.
		check("postgres://postgres:s3cret@127.0.0.1:1/egov?sslmode=disable&connect_timeout=5", "does not answer")
		standby, err := d.OpenReplica(ctx, d.DSN, db.DefaultReplicaMaxLag)
		if err != nil || standby {
			t.Errorf("the primary as its own replica: standby %v, %v; want accepted, not in recovery", standby, err)
		}
	})
}

// TestReadsLeaveAnUnreachableReplicaAndComeBack cuts the network between d
// and its replica (a proxy in between stops): the reads that may lag go to
// the primary at once, without an error, and back to the replica once the
// watcher finds it answering again.
func TestReadsLeaveAnUnreachableReplicaAndComeBack(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Postgres(t)
	p := newProxy(t, dbtest.Replica(t, d.DSN))
	if _, err := d.OpenReplica(ctx, p.dsn, db.DefaultReplicaMaxLag); err != nil {
		t.Fatal(err)
	}
	waitReadsFrom(t, d, true, "")
	// A statement's own error is the caller's, from the replica.
	var standby bool
	if err := d.Replica.QueryRowContext(ctx, `SELECT no_such_column FROM agencies`).Scan(&standby); err == nil {
		t.Error("a statement with an error: no error")
	}
	if why, _ := d.Replica.OnPrimary(); why != "" {
		t.Errorf("a statement's own error sent the reads to the primary: %q", why)
	}

	p.cut()
	// Each way of reading, not only the watcher's, finds the primary now.
	if err := d.Replica.QueryRowContext(ctx, `SELECT pg_is_in_recovery()`).Scan(&standby); err != nil || standby {
		t.Fatalf("QueryRowContext with the replica cut: standby %v, %v; want the primary's answer", standby, err)
	}
	if why, _ := d.Replica.OnPrimary(); why != db.ReplicaUnreachable {
		t.Errorf("OnPrimary: %q, want %q", why, db.ReplicaUnreachable)
	}
	rows, err := d.Replica.QueryContext(ctx, `SELECT pg_is_in_recovery()`)
	if err != nil {
		t.Fatalf("QueryContext with the replica cut: %v", err)
	}
	for rows.Next() {
		if err := rows.Scan(&standby); err != nil || standby {
			t.Errorf("QueryContext with the replica cut: standby %v, %v", standby, err)
		}
	}
	rows.Close()

	p.restore()
	waitReadsFrom(t, d, true, "")
}

// TestReadsLeaveALaggingReplica pauses the replica's replay: once it trails
// the primary by more than the greatest lag the reads go to the primary,
// which has the row just written, and back to the replica when it has
// caught up. No other test pauses the shared replica meanwhile
// (HoldReplay): with a greatest lag of a second, theirs would count too.
func TestReadsLeaveALaggingReplica(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Postgres(t)
	replicaDSN := dbtest.Replica(t, d.DSN)
	dbtest.HoldReplay(t) // released at the end, after the pause's resume
	if _, err := d.OpenReplica(ctx, replicaDSN, time.Second); err != nil {
		t.Fatal(err)
	}
	waitReadsFrom(t, d, true, "")
	resume := dbtest.PauseHeldReplay(t)
	dbtest.Agency(t, d, "DK", "Dinas Kesehatan", "dinas")
	waitReadsFrom(t, d, false, db.ReplicaLagging)
	var n int
	if err := d.Replica.QueryRowContext(ctx, `SELECT count(*) FROM agencies WHERE code = 'DK'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("a lagging replica's reads: %d rows, %v; want the primary's 1", n, err)
	}
	if _, lag := d.Replica.OnPrimary(); lag <= time.Second {
		t.Errorf("the lag is %v, want over the greatest, 1s", lag)
	}
	resume()
	waitReadsFrom(t, d, true, "")
}

// TestReadsStartOnThePrimaryWhileTheReplicaIsBehind opens a replica whose
// replay is paused behind a row just written: its lag is unknown, at least
// the time since the start, and the reads stay on the primary, which has
// the row, past the checks of the next seconds, until the replica has
// replayed where the primary was at the start.
func TestReadsStartOnThePrimaryWhileTheReplicaIsBehind(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Postgres(t)
	replicaDSN := dbtest.Replica(t, d.DSN)
	dbtest.HoldReplay(t)
	resume := dbtest.PauseHeldReplay(t)
	// Committed synchronously, so the primary's flushed WAL, which the
	// start is measured against, holds it (the test server commits
	// asynchronously).
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `SET LOCAL synchronous_commit = on`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO agencies (code, name, type, created_at, updated_at)
			VALUES ('DK', 'Dinas Kesehatan', 'dinas', $1, $1)`, time.Now().UTC())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.OpenReplica(ctx, replicaDSN, db.DefaultReplicaMaxLag); err != nil {
		t.Fatal(err)
	}
	for _, wait := range []time.Duration{0, 5 * time.Second} { // at the start, and after two checks
		time.Sleep(wait)
		var n int
		if err := d.Replica.QueryRowContext(ctx, `SELECT count(*) FROM agencies WHERE code = 'DK'`).Scan(&n); err != nil || n != 1 {
			t.Errorf("after %v: %d rows, %v; want the primary's 1", wait, n, err)
		}
		if why, _ := d.Replica.OnPrimary(); why != db.ReplicaLagging {
			t.Errorf("after %v: on the primary for %q, want %q", wait, why, db.ReplicaLagging)
		}
	}
	resume()
	waitReadsFrom(t, d, true, "")
}

// waitReadsFrom waits (a minute at most: the watcher checks every 2 s, and
// another package's test may hold the shared replica's replay a while) until
// d.Replica reads a standby (or the primary, standby false) for why.
func waitReadsFrom(t *testing.T, d *db.DB, standby bool, why string) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
		var in bool
		err := d.Replica.QueryRowContext(context.Background(), `SELECT pg_is_in_recovery()`).Scan(&in)
		got, _ := d.Replica.OnPrimary()
		if err == nil && in == standby && got == why {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("reads: standby %v (%v), on the primary for %q; want standby %v, %q", in, err, got, standby, why)
		}
	}
}

// proxy forwards TCP connections to a PostgreSQL server; cut stops it and
// drops every connection, as a network failure would, and restore listens
// again on the same address.
type proxy struct {
	t      *testing.T
	dsn    string
	addr   string
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func newProxy(t *testing.T, dsn string) *proxy {
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{t: t, target: u.Host}
	p.listen("127.0.0.1:0")
	p.addr = p.ln.Addr().String()
	u.Host = p.addr
	p.dsn = u.String()
	t.Cleanup(p.cut)
	return p
}

func (p *proxy) listen(addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.keep(c) // before the dial: a cut then drops it too
			s, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.keep(s)
			go func() { _, _ = io.Copy(s, c); s.Close() }()
			go func() { _, _ = io.Copy(c, s); c.Close() }()
		}
	}()
}

// keep notes c for cut; one that comes after a cut is closed at once.
func (p *proxy) keep(c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln == nil {
		c.Close()
		return
	}
	p.conns = append(p.conns, c)
}

func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *proxy) restore() { p.listen(p.addr) }

// TestOpenReplicaKeepsTheURLsOptions: the connect_timeout OpenReplica adds
// to a URL without one leaves the URL's other parameters as they were
// written (an options= with a %20 in it).
func TestOpenReplicaKeepsTheURLsOptions(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Postgres(t)
	dsn := dbtest.Replica(t, d.DSN) + "&options=-c%20statement_timeout%3D4321"
	if _, err := d.OpenReplica(ctx, dsn, db.DefaultReplicaMaxLag); err != nil {
		t.Fatal(err)
	}
	waitReadsFrom(t, d, true, "")
	var timeout string
	if err := d.Replica.QueryRowContext(ctx, `SHOW statement_timeout`).Scan(&timeout); err != nil || timeout != "4321ms" {
		t.Errorf("the replica's statement_timeout: %q, %v; want 4321ms from the URL", timeout, err)
	}
}
