package loindex_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/loindex"
	"github.com/lontara-id/lontara/internal/policy"
)

// A trend is capped and a period far back refused: each period the
// roll-up has not kept is a full computation any head could otherwise ask
// for forty times over, for any quarter since 2000.
func TestTrendsAreCappedAndOldPeriodsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, sys := context.Background(), policy.SystemActor("test")
		a := dbtest.Agency(t, d, "DISPAR", "Dinas Pariwisata", "dinas")
		s := loindex.NewService(d, wita)
		s.SetClock(func() time.Time { return time.Date(2026, 7, 15, 10, 0, 0, 0, wita) })
		q3 := periodOf(t, s, "2026-Q3")
		invalid := func(what string, err error, field string) {
			t.Helper()
			e := errs.As(err)
			if e == nil || e.Code != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Name != field {
				t.Errorf("%s: err = %v, want Invalid on %s", what, err, field)
			}
		}
		_, err := s.Trend(ctx, sys, a, q3, 13)
		invalid("13 periods", err, "n")
		_, err = s.Trend(ctx, sys, a, periodOf(t, s, "2000-Q1"), 1)
		invalid("a trend ending in 2000", err, "period")
		_, err = s.Index(ctx, sys, a, periodOf(t, s, "2020"))
		invalid("the index of 2020", err, "period")
		if _, err := s.Index(ctx, sys, a, periodOf(t, s, "2021-Q1")); err != nil {
			t.Errorf("the index of 2021-Q1, five years back: %v", err)
		}
		// A yearly trend reaching before 2021 shows those years without
		// data, computed or not.
		years, err := s.Trend(ctx, sys, a, periodOf(t, s, "2026"), 8)
		if err != nil || len(years) != 8 || years[0].Period != "2019" || years[0].Index != nil {
			t.Fatalf("trend of 8 years = %+v, %v", years, err)
		}
	})
}

// A closed period's figures, once computed, are answered from memory with
// no refresh, however long after; the running period's are refreshed.
func TestAClosedPeriodIsComputedOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, sys := context.Background(), policy.SystemActor("test")
		a := dbtest.Agency(t, d, "DISPORA", "Dinas Pemuda dan Olahraga", "dinas")
		_, reporter := dbtest.Person(t, d, a, "Nur'aini", "nuraini@dispora.go.id")
		var mu sync.Mutex
		now := time.Date(2026, 7, 15, 10, 0, 0, 0, wita)
		s := loindex.NewService(d, wita)
		s.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
		q1 := periodOf(t, s, "2026-Q1")
		at := q1.Start.Add(24 * time.Hour)
		ticket(t, d, a, reporter, at, at.Add(8*time.Hour), at.Add(time.Hour))
		first, err := s.Index(ctx, sys, a, q1)
		if err != nil {
			t.Fatal(err)
		}
		ticket(t, d, a, reporter, at, at.Add(8*time.Hour), at.Add(time.Hour))
		mu.Lock()
		now = now.Add(2 * loindex.StaleFor)
		mu.Unlock()
		for range 3 {
			again, err := s.Index(ctx, sys, a, q1)
			if err != nil || !again.ComputedAt.Equal(first.ComputedAt) {
				t.Fatalf("Q1 read again = computed %v (%v), want the first computation (%v) kept", again.ComputedAt, err, first.ComputedAt)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

// The reader whose request starts a computation may go away; the
// computation is everyone's who waits for it and is not cancelled.
func TestAReaderWhoLeavesDoesNotCancelTheSharedComputation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		sys := policy.SystemActor("test")
		dbtest.Agency(t, d, "DLH", "Dinas Lingkungan Hidup", "dinas")
		s := loindex.NewService(d, wita)
		gone, cancel := context.WithCancel(context.Background())
		cancel()
		p, _ := s.Period("")
		if _, err := s.All(gone, sys, p); err != nil {
			t.Fatalf("all = %v, want the computation done regardless of the first reader", err)
		}
	})
}
