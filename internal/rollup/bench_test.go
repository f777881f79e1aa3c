package rollup_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/loindex"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/rollup"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// BenchmarkDashboardFigures computes what the LO dashboard of the whole
// shows when its minute is up: the index of every agency for the current
// quarter and the one before (the ranking and its changes) and the
// whole's trend of eight quarters (closed periods as the hourly roll-up
// keeps them) — once from every row ("full", as before
// the roll-ups, nothing kept) and once from the roll-ups ("rollups", a
// refresh with nothing marked, then the sums, by a service that has
// computed before and kept the closed survey campaigns' scores, moved on
// past StaleFor each time), in the same run over the same data. It
// runs over an existing data set, never a generated one: LONTARA_BENCH_DB
// names it (a copy of the ministry data set on PostgreSQL, for the
// issue's figure). The first refresh of a data set never rolled up builds
// it in full; that time is logged.
//
//	LONTARA_BENCH_DB=postgres://…/rollup_ministry go test ./internal/rollup/ -run '^$' -bench DashboardFigures -benchtime 5x -timeout 60m
func BenchmarkDashboardFigures(b *testing.B) {
	ctx, d := context.Background(), benchDB(b)
	// The server's zone, so the roll-ups are not rebuilt between this and
	// BenchmarkDashboardPage.
	zone, err := time.LoadLocation(config.Default().TimeZone)
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	n, err := rollup.New(d, zone).Refresh(ctx, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("first refresh: %d figure-days in %v", n, time.Since(t0))
	// The closed periods kept as the hourly job keeps them, for both.
	if _, err := loindex.NewService(d, zone).Rollup(ctx, time.Now()); err != nil {
		b.Fatal(err)
	}
	for _, mode := range []string{"full", "rollups"} {
		b.Run(mode, func(b *testing.B) {
			var took []time.Duration
			kept, at := loindex.NewService(d, zone), time.Now()
			for b.Loop() {
				svc := kept
				if mode == "full" {
					svc = loindex.NewService(d, zone).Full() // nothing kept
				} else {
					// What a node does every minute: the period's figures
					// computed again, the closed campaigns' scores kept.
					at = at.Add(loindex.StaleFor + time.Second)
					svc.SetClock(func() time.Time { return at })
				}
				t0 := time.Now()
				figures(b, svc)
				took = append(took, time.Since(t0))
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "median-ms")
			b.ReportMetric(float64(took[len(took)-1].Microseconds())/1000, "max-ms")
		})
	}
}

// figures reads what the city dashboard reads (dashboard.cityTables).
func figures(b *testing.B, svc *loindex.Service) {
	ctx, sys := context.Background(), policy.SystemActor("bench")
	p, _ := svc.Period("")
	all, err := svc.All(ctx, sys, p)
	if err != nil {
		b.Fatal(err)
	}
	if all[len(all)-1].Index == nil {
		b.Fatal("the whole has no index")
	}
	if _, err := svc.All(ctx, sys, p.Previous()); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Trend(ctx, sys, 0, p, 8); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkDashboardPage loads the executive's /dasbor, the whole page
// through the real server over HTTP with a signed-in browser, over the
// data set LONTARA_BENCH_DB names (it adds the executive's account there,
// so give it a copy), as BenchmarkCityDashboard (internal/dashboard) does
// over the generated city: the first request (cold-ms: the current
// quarter computed, what a node does once a minute in the background
// after it) and p50/p99 of the rest. The target at ministry
// scale on PostgreSQL: p99 under 100 ms.
//
//	LONTARA_BENCH_DB=postgres://…/rollup_ministry go test ./internal/rollup/ -run '^$' -bench DashboardPage -benchtime 400x -timeout 60m
func BenchmarkDashboardPage(b *testing.B) {
	ctx, d := context.Background(), benchDB(b)
	h := servertest.Start(b, d)
	email := fmt.Sprintf("bench.%d@lontara.test", time.Now().UnixNano())
	pw := h.User(b, email, "Pimpinan", policy.Executive, "")
	if _, err := h.Svc.LOIndex.Rollup(ctx, time.Now()); err != nil {
		b.Fatal(err)
	}
	c := h.SignIn(b, email, pw)
	c.PageLatency(b, "/dasbor")
}

// benchDB opens the data set LONTARA_BENCH_DB names, migrated.
func benchDB(b *testing.B) *db.DB {
	dsn := os.Getenv("LONTARA_BENCH_DB")
	if dsn == "" {
		b.Skip("LONTARA_BENCH_DB names the data set to measure (a postgres:// URL or a SQLite file)")
	}
	d, err := db.OpenMigrated(context.Background(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	return d
}
