package rollup_test

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/loindex"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/rollup"
)

// BenchmarkDashboardFigures computes what the LO dashboard of the whole
// shows, from nothing cached: the index of every agency for the current
// quarter and the one before (the ranking and its changes) and the
// whole's trend of eight quarters — once from every row ("full", as before
// the roll-ups) and once from the roll-ups ("rollups", a refresh with
// nothing marked, then the sums), in the same run over the same data. It
// runs over an existing data set, never a generated one: LONTARA_BENCH_DB
// names it (a copy of the ministry data set on PostgreSQL, for the
// issue's figure). The first refresh of a data set never rolled up builds
// it in full; that time is logged.
//
//	LONTARA_BENCH_DB=postgres://…/rollup_ministry go test ./internal/rollup/ -run '^$' -bench DashboardFigures -benchtime 5x -timeout 60m
func BenchmarkDashboardFigures(b *testing.B) {
	dsn := os.Getenv("LONTARA_BENCH_DB")
	if dsn == "" {
		b.Skip("LONTARA_BENCH_DB names the data set to measure (a postgres:// URL or a SQLite file)")
	}
	ctx := context.Background()
	d, err := db.OpenMigrated(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	zone := time.FixedZone("WITA", 8*3600)
	t0 := time.Now()
	n, err := rollup.New(d, zone).Refresh(ctx, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("first refresh: %d figure-days in %v", n, time.Since(t0))
	for _, mode := range []string{"full", "rollups"} {
		b.Run(mode, func(b *testing.B) {
			var took []time.Duration
			for b.Loop() {
				svc := loindex.NewService(d, zone) // nothing cached
				if mode == "full" {
					svc = svc.Full()
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
