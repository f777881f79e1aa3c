package loindex_test

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/loindex"
)

// TestClosedPeriodsAreReadFromThePrimary: with dashboards reading a
// replica (--db-read), a closed period's figures are still read from the
// primary, because they are kept: for good by the roll-up, and for an
// hour in each node's memory. A replica that has not replayed the last
// writes yet would leave them out.
func TestClosedPeriodsAreReadFromThePrimary(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Postgres(t)
	replicaDSN := dbtest.Replica(t, d.DSN)
	if standby, err := d.OpenReplica(ctx, replicaDSN, db.DefaultReplicaMaxLag); err != nil || !standby {
		t.Fatalf("OpenReplica: standby %v, %v", standby, err)
	}
	dbtest.ReadsFromReplica(t, d)
	a, reporter := bappeda(t, d)
	dbtest.CatchUp(t, d.W, replicaDSN)
	dbtest.PauseReplay(t)
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
