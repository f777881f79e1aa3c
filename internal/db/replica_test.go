package db_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
)

// TestOpenReplicaReadsTheStandby opens the test replica as d.Replica: a
// row written on the primary reaches it once replayed, and it refuses
// writes, so its reads come from the standby and not from the primary.
func TestOpenReplicaReadsTheStandby(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Postgres(t)
	standby, err := d.OpenReplica(ctx, dbtest.Replica(t, d.DSN))
	if err != nil || !standby {
		t.Fatalf("OpenReplica: standby %v, %v", standby, err)
	}
	if !d.HasReplica() || d.Replica == d.R {
		t.Fatal("HasReplica: the replica is the primary's readers")
	}
	dbtest.Agency(t, d, "DK", "Dinas Kesehatan", "dinas")
	dbtest.CatchUp(t, d.W, d.Replica)
	var name string
	if err := d.Replica.QueryRowContext(ctx, `SELECT name FROM agencies WHERE code = 'DK'`).Scan(&name); err != nil ||
		name != "Dinas Kesehatan" {
		t.Fatalf("the replica reads %q, %v", name, err)
	}
	_, err = d.Replica.ExecContext(ctx, `INSERT INTO agencies (code, name, type, created_at, updated_at)
		VALUES ('X', 'X', 'dinas', $1, $1)`, time.Now().UTC())
	if err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("a write on the replica: %v, want a read-only error", err)
	}
	if _, err := d.OpenReplica(ctx, dbtest.Replica(t, d.DSN)); err == nil {
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
			_, err := d.OpenReplica(ctx, dsn)
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
		standby, err := d.OpenReplica(ctx, d.DSN)
		if err != nil || standby {
			t.Errorf("the primary as its own replica: standby %v, %v; want accepted, not in recovery", standby, err)
		}
	})
}
