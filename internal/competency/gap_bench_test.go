package competency_test

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
)

// BenchmarkCityGaps is the city's gap analysis — every person's needs
// against their verified levels, summed per competency and ranked, with
// the help desk's signals and the proposals of the first page — for a
// city of 15,000 people and 30 competencies (seedGapData), one analysis
// after another. The target: under 200 ms on SQLite.
//
//	go test ./internal/competency/ -run '^$' -bench 'CityGaps' -benchtime 20x
//
// PostgreSQL runs too when LONTARA_TEST_PG is set.
func BenchmarkCityGaps(b *testing.B) { benchEngines(b, 15_000) }

// BenchmarkMinistryGaps is the same for the ministry data set of 300,000
// people. The target: under 3 s on SQLite. Generating the data
// takes about a minute.
//
//	go test ./internal/competency/ -run '^$' -bench 'MinistryGaps/sqlite' -benchtime 5x -timeout 30m
func BenchmarkMinistryGaps(b *testing.B) { benchEngines(b, 300_000) }

func benchEngines(b *testing.B, people int) {
	b.Run("sqlite", func(b *testing.B) { benchCityGaps(b, dbtest.SQLite(b), people) })
	b.Run("postgres", func(b *testing.B) {
		if os.Getenv(dbtest.PGEnv) == "" {
			b.Skip(dbtest.PGEnv + " not set")
		}
		benchCityGaps(b, dbtest.Postgres(b), people)
	})
}

func benchCityGaps(b *testing.B, d *db.DB, people int) {
	ctx := context.Background()
	start := time.Now()
	data := seedGapData(b, d, people)
	b.Logf("generated %d people in %d agencies in %v", data.People, data.Agencies, time.Since(start))
	svc := competency.NewGapService(d)
	actor := policy.SystemActor("bench")
	// list: GET /api/v1/gaps, the competencies ranked.
	b.Run("list", func(b *testing.B) {
		medianOf(b, func() {
			items, _, err := svc.CityGaps(ctx, actor, db.Page{Limit: 50})
			if err != nil {
				b.Fatal(err)
			}
			if len(items) != data.Competencies {
				b.Fatalf("%d competencies with gaps, want %d", len(items), data.Competencies)
			}
		})
	})
	// page: /kompetensi/kesenjangan, the competencies, the agencies ranked
	// and the first page of who lacks what, from one analysis.
	b.Run("page", func(b *testing.B) {
		medianOf(b, func() {
			o, err := svc.Overview(ctx, actor, 0, competency.GapFilter{}, db.Page{Limit: 50})
			if err != nil {
				b.Fatal(err)
			}
			if len(o.Agencies) != data.Agencies || len(o.People) != 50 || o.Totals.People != data.People {
				b.Fatalf("%d agencies, %d rows, %d people", len(o.Agencies), len(o.People), o.Totals.People)
			}
		})
	})
}

// medianOf runs fn b.N times and reports the median and the slowest run.
func medianOf(b *testing.B, fn func()) {
	var took []time.Duration
	for b.Loop() {
		t0 := time.Now()
		fn()
		took = append(took, time.Since(t0))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(took[len(took)-1].Microseconds())/1000, "max-ms")
}
