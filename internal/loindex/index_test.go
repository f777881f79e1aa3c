package loindex_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/loindex"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/survey"
)

var wita = time.FixedZone("WITA", 8*3600)

// ticket files a ticket of agency at created, resolved at resolved (zero:
// not yet) with its resolution due at due.
func ticket(t *testing.T, d *db.DB, agency, reporter int64, created, due, resolved time.Time) {
	t.Helper()
	var res any
	status := "open"
	if !resolved.IsZero() {
		res, status = resolved.UTC(), "resolved"
	}
	if _, err := d.W.Exec(`INSERT INTO tickets (subject, reporter_account_id, channel, category, agency_id, priority,
		status, first_response_due, resolution_due, resolved_at, created_at, updated_at)
		VALUES ('Tidak bisa masuk', $1, 'web', 'account', $2, 'normal', $3, $4, $5, $6, $7, $7)`,
		reporter, agency, status, due.UTC(), due.UTC(), res, created.UTC()); err != nil {
		t.Fatal(err)
	}
}

func jp(t *testing.T, d *db.DB, employee int64, n int, at time.Time, source int64) {
	t.Helper()
	if _, err := d.W.Exec(`INSERT INTO learning_records (employee_id, kind, title, jp, source_kind, source_id,
		completed_at, created_at) VALUES ($1, 'course', 'Kursus', $2, 'manual', $3, $4, $4)`,
		employee, n, source, at.UTC()); err != nil {
		t.Fatal(err)
	}
}

func TestIndexCombinesTheSurveyAndThePlatformAndSharesOutMissingWeights(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a := dbtest.Agency(t, d, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		var reporter int64
		for i := range 5 {
			e, acc := dbtest.Person(t, d, a, "Nur'aini", fmt.Sprintf("nur%d@makassar.go.id", i))
			if i == 0 {
				reporter = acc
			}
			jp(t, d, e, 5, time.Date(2026, 5, 10, 9, 0, 0, 0, wita), int64(i+1))
		}
		day := time.Date(2026, 4, 20, 9, 0, 0, 0, wita)
		for i, late := range []bool{false, false, false, true} {
			created := day.AddDate(0, 0, i)
			resolved := created.Add(2 * time.Hour)
			if late {
				resolved = created.Add(48 * time.Hour)
			}
			ticket(t, d, a, reporter, created, created.Add(8*time.Hour), resolved)
		}
		dbtest.LOCampaign(t, d, "2026-Q2", time.Date(2026, 6, 20, 0, 0, 0, 0, time.UTC), map[int64][]int{a: {4, 4, 4, 4, 4}})

		s := loindex.NewService(d, wita)
		at := time.Date(2026, 7, 15, 10, 0, 0, 0, wita)
		s.SetClock(func() time.Time { return at })
		p, err := s.Period("2026-Q2")
		if err != nil {
			t.Fatal(err)
		}
		x, err := s.Index(ctx, policy.SystemActor("test"), a, p)
		if err != nil {
			t.Fatal(err)
		}
		if len(x.Dimensions) != 7 || x.Dimensions[0].Key != survey.ContinuousLearning || *x.Dimensions[0].Score != 4 {
			t.Fatalf("dimensions = %+v", x.Dimensions)
		}
		want := map[string]*float64{
			loindex.InputSurvey: ptr(60), loindex.InputTraining: ptr(100), loindex.InputCoverage: nil,
			loindex.InputAnswers: ptr(0), loindex.InputArticles: ptr(0), loindex.InputSelfService: ptr(0),
			loindex.InputIdeas: nil, loindex.InputSLA: ptr(75),
		}
		for _, in := range x.Inputs {
			w, ok := want[in.Key]
			if !ok {
				t.Errorf("unexpected input %s", in.Key)
				continue
			}
			if (w == nil) != (in.Score == nil) || (w != nil && *w != *in.Score) {
				t.Errorf("%s score = %v, want %v", in.Key, show(in.Score), show(w))
			}
			if in.Score == nil && in.Applied != 0 {
				t.Errorf("%s has no data but carries weight %v", in.Key, in.Applied)
			}
		}
		// (0.4·60 + 0.1·100 + 0.1·75) / 0.85
		if x.Index == nil || *x.Index != 48.8 {
			t.Fatalf("index = %v, want 48.8", show(x.Index))
		}
		if x.Live || x.Employees != 5 || x.Respondents != 5 || x.Survey != "2026-Q2" {
			t.Errorf("index = %+v", x)
		}
	})
}

func ptr(v float64) *float64 { return &v }

func show(v *float64) any {
	if v == nil {
		return "nil"
	}
	return *v
}

// bappeda makes an agency with one person who files its tickets, for the
// tests of one agency's index.
func bappeda(t *testing.T, d *db.DB) (agency, reporter int64) {
	t.Helper()
	agency = dbtest.Agency(t, d, "BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "badan")
	_, reporter = dbtest.Person(t, d, agency, "Dottoro'ta", "dottorota@bappeda.go.id")
	return agency, reporter
}

// wantQ2Tickets checks that agency's index of 2026-Q2, read from s, counts
// want tickets in its SLA input.
func wantQ2Tickets(t *testing.T, s *loindex.Service, agency int64, want float64, when string) {
	t.Helper()
	q2, err := s.Period("2026-Q2")
	if err != nil {
		t.Fatal(err)
	}
	x, err := s.Index(context.Background(), policy.SystemActor("test"), agency, q2)
	if err != nil {
		t.Fatal(err)
	}
	if sla := x.Inputs[len(x.Inputs)-1]; sla.Key != loindex.InputSLA || sla.Denominator != want {
		t.Errorf("%s: Q2's SLA counts %v tickets, want %v", when, sla.Denominator, want)
	}
}

// A closed period the roll-up has not kept is computed again after
// ClosedFor, so a late change to its data (a ticket filed late here)
// reaches it on every node; until then the figures computed are answered.
func TestAClosedPeriodNotKeptIsComputedAgainAfterClosedFor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a, reporter := bappeda(t, d)
		may := time.Date(2026, 5, 4, 9, 0, 0, 0, wita)
		ticket(t, d, a, reporter, may, may.Add(8*time.Hour), may.Add(time.Hour))

		s := loindex.NewService(d, wita)
		now := time.Date(2026, 7, 15, 10, 0, 0, 0, wita)
		s.SetClock(func() time.Time { return now })
		wantQ2Tickets(t, s, a, 1, "first computed")
		ticket(t, d, a, reporter, may, may.Add(8*time.Hour), may.Add(2*time.Hour))
		now = now.Add(loindex.ClosedFor - time.Minute)
		wantQ2Tickets(t, s, a, 1, "within ClosedFor")
		now = now.Add(loindex.ClosedFor + loindex.StaleFor)
		wantQ2Tickets(t, s, a, 2, "after ClosedFor")
	})
}

func TestTheRollupKeepsClosedPeriodsOnceAndTrendsReadThem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, sys := context.Background(), policy.SystemActor("test")
		a, reporter := bappeda(t, d)
		may := time.Date(2026, 5, 4, 9, 0, 0, 0, wita)
		ticket(t, d, a, reporter, may, may.Add(8*time.Hour), may.Add(time.Hour))

		s := loindex.NewService(d, wita)
		now := time.Date(2026, 7, 15, 10, 0, 0, 0, wita)
		s.SetClock(func() time.Time { return now })
		kept, err := s.Rollup(ctx, now)
		if err != nil || kept != 2 {
			t.Fatalf("rollup kept %d periods (%v), want 2026-Q2 and 2026-H1 alone: the others have no data", kept, err)
		}
		// A late ticket of May changes nothing kept: history stays put.
		ticket(t, d, a, reporter, may, may.Add(8*time.Hour), time.Time{})
		if again, err := s.Rollup(ctx, now); err != nil || again != 0 {
			t.Errorf("a second rollup kept %d (%v), want none", again, err)
		}
		q2, _ := s.Period("2026-Q2")
		x, err := s.Index(ctx, sys, a, q2)
		if err != nil {
			t.Fatal(err)
		}
		sla := x.Inputs[len(x.Inputs)-1]
		if x.Live || sla.Key != loindex.InputSLA || sla.Denominator != 1 || *sla.Score != 100 {
			t.Errorf("kept Q2 = live %v, %+v; want the one ticket kept", x.Live, sla)
		}
		trend, err := s.Trend(ctx, sys, a, periodOf(t, s, "2026-Q3"), 3)
		if err != nil || len(trend) != 3 {
			t.Fatalf("trend = %v, %v", trend, err)
		}
		if trend[0].Period != "2026-Q1" || trend[0].Index != nil || trend[1].Live || !trend[2].Live {
			t.Errorf("trend = %+v", trend)
		}
		if halves, err := s.Trend(ctx, sys, a, periodOf(t, s, "2026-H1"), 1); err != nil || halves[0].Live {
			t.Errorf("trend of halves = %+v, %v; want 2026-H1 kept", halves, err)
		}
		var rows int
		if err := d.R.QueryRow(`SELECT count(*) FROM lo_index_rollups WHERE period = '2026-Q2'`).Scan(&rows); err != nil || rows != 2 {
			t.Errorf("kept rows = %d (%v), want the agency's and the city's", rows, err)
		}
	})
}

func periodOf(t *testing.T, s *loindex.Service, label string) period.Period {
	t.Helper()
	p, err := s.Period(label)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestManyReadersOfOnePeriodWaitForOneComputation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, sys := context.Background(), policy.SystemActor("test")
		a := dbtest.Agency(t, d, "DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "dinas")
		dbtest.Person(t, d, a, "Nur'aini", "nuraini@disdukcapil.go.id")
		s := loindex.NewService(d, wita)
		p, _ := s.Period("")
		var wg sync.WaitGroup
		got := make([]loindex.Index, 8)
		errc := make([]error, 8)
		for i := range got {
			wg.Go(func() { got[i], errc[i] = s.Index(ctx, sys, a, p) })
		}
		wg.Wait()
		for i := range got {
			if errc[i] != nil || !got[i].ComputedAt.Equal(got[0].ComputedAt) || got[i].AgencyID != a {
				t.Fatalf("reader %d: %+v, %v; want the one computation all share", i, got[i], errc[i])
			}
		}
	})
}

func TestAStaleIndexIsAnsweredAtOnceWhileAFreshOneIsComputed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, sys := context.Background(), policy.SystemActor("test")
		a := dbtest.Agency(t, d, "DISHUB", "Dinas Perhubungan", "dinas")
		_, reporter := dbtest.Person(t, d, a, "Dottoro'ta", "dottorota@dishub.go.id")
		var mu sync.Mutex
		now := time.Now()
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		s := loindex.NewService(d, wita)
		s.SetClock(clock)
		p, _ := s.Period("")
		tickets := func() float64 {
			x, err := s.Index(ctx, sys, a, p)
			if err != nil {
				t.Fatal(err)
			}
			return x.Inputs[len(x.Inputs)-1].Denominator
		}
		at := p.Start.Add(time.Hour)
		ticket(t, d, a, reporter, at, at.Add(8*time.Hour), at.Add(time.Hour))
		if n := tickets(); n != 1 {
			t.Fatalf("tickets = %v, want 1", n)
		}
		ticket(t, d, a, reporter, at, at.Add(8*time.Hour), at.Add(time.Hour))
		mu.Lock()
		now = now.Add(2 * loindex.LiveFor)
		mu.Unlock()
		if n := tickets(); n != 1 {
			t.Errorf("a stale index = %v tickets, want the kept 1 answered at once", n)
		}
		deadline := time.Now().Add(10 * time.Second)
		for tickets() != 2 {
			if time.Now().After(deadline) {
				t.Fatal("the fresh index never came")
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}
