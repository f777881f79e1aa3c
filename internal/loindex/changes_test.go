package loindex

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/ledger"
	"github.com/lontara-id/lontara/internal/policy"
)

// keptPeriods reports how many periods s holds in memory.
func (s *Service) keptPeriods() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.cache)
}

// TestKeptIndexesGoWhenATargetChangesOnAnyNode: a node keeps a closed
// period's index for as long as it runs; a JP target set or the period
// kept by the roll-up on another node (or on itself) makes it drop it at
// once, and a computation under way then is answered but not kept.
func TestKeptIndexesGoWhenATargetChangesOnAnyNode(t *testing.T) {
	for _, engine := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			nodes := dbtest.Nodes(t, engine, 2)
			a, b := nodes[0], nodes[1]
			if engine == db.SQLite {
				b = a // one node by design: the same process hears its own change
			}
			zone := time.FixedZone("WITA", 8*3600)
			idx := NewService(b, zone)
			idx.FollowChanges()
			b.Changes.Listen()
			if engine == db.Postgres {
				select {
				case <-b.Changes.Listening():
				case <-time.After(10 * time.Second):
					t.Fatal("node B does not listen after 10s")
				}
			}
			ctx, sys := context.Background(), policy.SystemActor("test")
			p, err := idx.Period("")
			if err != nil {
				t.Fatal(err)
			}
			p = p.Previous()
			if _, err := idx.Index(ctx, sys, 0, p); err != nil {
				t.Fatal(err)
			}
			if n := idx.keptPeriods(); n != 1 {
				t.Fatalf("node B keeps %d periods, want 1", n)
			}
			if err := ledger.NewService(a, zone).SetTarget(ctx, sys, p.Start.Year(), 24); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(2 * time.Second)
			for idx.keptPeriods() != 0 {
				if time.Now().After(deadline) {
					t.Fatal("node B still keeps the period 2s after the target changed")
				}
				time.Sleep(5 * time.Millisecond)
			}
			// A period the roll-up keeps on node A replaces what B computed.
			if _, err := idx.Index(ctx, sys, 0, p); err != nil || idx.keptPeriods() != 1 {
				t.Fatalf("node B keeps %d periods (%v), want 1", idx.keptPeriods(), err)
			}
			onA := NewService(a, zone)
			c, err := onA.compute(ctx, onA.from(p, time.Now()), p, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if err := onA.keep(ctx, p, c); err != nil {
				t.Fatal(err)
			}
			deadline = time.Now().Add(2 * time.Second)
			for idx.keptPeriods() != 0 {
				if time.Now().After(deadline) {
					t.Fatal("node B still keeps its own figures 2s after the period was kept")
				}
				time.Sleep(5 * time.Millisecond)
			}
			// A computation under way when the change comes is not kept.
			f := &flight{done: make(chan struct{})}
			idx.mu.Lock()
			idx.flights[p.Label] = f
			idx.mu.Unlock()
			idx.forget()
			idx.run(ctx, p, f)
			if f.err != nil || idx.keptPeriods() != 0 {
				t.Fatalf("a computation overtaken by a change was kept (err %v)", f.err)
			}
		})
	}
}
