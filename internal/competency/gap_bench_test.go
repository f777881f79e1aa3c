package competency_test

import (
	"context"
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// BenchmarkCityGaps is the city's gap analysis — every person's needs
// against their verified levels, summed per competency and ranked, with
// the help desk's signals and the proposals of the first page — for a
// city of 15,000 people and 30 competencies with a year of its help desk
// (45,000 tickets) and its catalogue of learning (seedGapData), one
// analysis after another: list and page call the service, http is
// GET /api/v1/gaps through the server. The target: under 200 ms on
// SQLite.
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
	var tickets, procedure, events int
	must(b, d.R.QueryRow(`SELECT COUNT(*), COALESCE(SUM(CASE WHEN category = 'procedure' THEN 1 ELSE 0 END), 0) FROM tickets`).
		Scan(&tickets, &procedure))
	must(b, d.R.QueryRow(`SELECT COUNT(*) FROM events`).Scan(&events))
	b.Logf("generated %d people in %d agencies, %d tickets (%d procedure), %d events in %v", data.People, data.Agencies,
		tickets, procedure, events, time.Since(start))
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
	b.Run("http", func(b *testing.B) { httpGaps(b, d, data) })
}

// httpGaps is GET /api/v1/gaps through the real server: routing, the
// token's authentication, the policy, the analysis and the JSON, as a
// client of the API sees it. It comes last: its expert adds a person.
func httpGaps(b *testing.B, d *db.DB, data gapData) {
	h := servertest.Start(b, d)
	h.User(b, "ahli@makassarkota.go.id", "Tim Ahli", policy.Expert, "")
	token := h.Token(b, "ahli@makassarkota.go.id")
	medianOf(b, func() {
		r := h.Do(b, "GET", "/api/v1/gaps?limit=50", token, nil, "")
		var list struct {
			Items []competency.CompetencyGap `json:"items"`
		}
		r.JSON(b, &list)
		if r.Status != http.StatusOK || len(list.Items) != data.Competencies || len(list.Items[0].Proposals) == 0 {
			b.Fatalf("%d: %d competencies, want %d with proposals", r.Status, len(list.Items), data.Competencies)
		}
	})
}

// medianOf runs fn b.N times and reports the median, the 95th percentile
// and the slowest run.
func medianOf(b *testing.B, fn func()) {
	var took []time.Duration
	for b.Loop() {
		t0 := time.Now()
		fn()
		took = append(took, time.Since(t0))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(took[(len(took)*95+99)/100-1].Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(took[len(took)-1].Microseconds())/1000, "max-ms")
}
