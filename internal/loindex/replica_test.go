package loindex_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/ledger"
	"github.com/lontara-id/lontara/internal/loindex"
	"github.com/lontara-id/lontara/internal/policy"
)

// behindReplica returns a PostgreSQL whose dashboards read the test
// replica, with Bappeda and a reporter there, and the replica's replay
// paused from then on: what a test writes next only the primary has.
func behindReplica(t *testing.T) (d *db.DB, agency, reporter int64) {
	t.Helper()
	d = dbtest.Postgres(t)
	replicaDSN := dbtest.Replica(t, d.DSN)
	if standby, err := d.OpenReplica(context.Background(), replicaDSN, db.DefaultReplicaMaxLag); err != nil || !standby {
		t.Fatalf("OpenReplica: standby %v, %v", standby, err)
	}
	dbtest.ReadsFromReplica(t, d)
	agency, reporter = bappeda(t, d)
	dbtest.CatchUp(t, d.W, replicaDSN)
	dbtest.PauseReplay(t)
	return d, agency, reporter
}

// TestClosedPeriodsAreReadFromThePrimary: with dashboards reading a
// replica (--db-read), a closed period's figures are still read from the
// primary, because they are kept: for good by the roll-up, and for an
// hour in each node's memory. A replica that has not replayed the last
// writes yet would leave them out.
func TestClosedPeriodsAreReadFromThePrimary(t *testing.T) {
	ctx := context.Background()
	d, a, reporter := behindReplica(t)
	// Only the primary has the quarter's one ticket.
	may := time.Date(2026, 5, 4, 9, 0, 0, 0, wita)
	ticket(t, d, a, reporter, may, may.Add(8*time.Hour), may.Add(time.Hour))

	now := time.Date(2026, 7, 15, 10, 0, 0, 0, wita)
	node := func() *loindex.Service {
		s := loindex.NewService(d, wita)
		s.SetClock(func() time.Time { return now })
		return s
	}
	wantQ2Tickets(t, node(), a, 1, "computed before the roll-up")
	s := node()
	if kept, err := s.Rollup(ctx, now); err != nil || kept != 2 {
		t.Fatalf("the roll-up kept %d periods (%v), want 2026-Q2 and 2026-H1", kept, err)
	}
	wantQ2Tickets(t, node(), a, 1, "as kept by the roll-up")
}

// TestATargetSetAnewIsReadFromThePrimary: the running period's figures are
// read from the replica, but not the year's JP target: setting it is a
// change event on which every node computes again at once, and a replica
// that has not replayed it would give them the old one to keep.
func TestATargetSetAnewIsReadFromThePrimary(t *testing.T) {
	ctx, sys := context.Background(), policy.SystemActor("test")
	d, a, _ := behindReplica(t)

	now := time.Date(2026, 7, 15, 10, 0, 0, 0, wita)
	norm := func() float64 { // of the running quarter's training input, on a fresh node
		t.Helper()
		s := loindex.NewService(d, wita)
		s.SetClock(func() time.Time { return now })
		q3, err := s.Period("2026-Q3")
		if err != nil {
			t.Fatal(err)
		}
		x, err := s.Index(ctx, sys, a, q3)
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range x.Inputs {
			if in.Key == loindex.InputTraining {
				return in.Norm
			}
		}
		t.Fatalf("no training input in %+v", x.Inputs)
		return 0
	}
	before := norm()
	if err := ledger.NewService(d, wita).SetTarget(ctx, sys, 2026, 2*ledger.DefaultTarget); err != nil {
		t.Fatal(err)
	}
	if after := norm(); before <= 0 || math.Abs(after-2*before) > 0.02 { // the norm has two decimals
		t.Errorf("the training input's norm is %v after the target doubled, %v before", after, before)
	}
}
