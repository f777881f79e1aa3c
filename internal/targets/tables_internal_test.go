package targets

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/loindex"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
)

func TestOverlappingPeriodsAreAQuartersHalfAndYear(t *testing.T) {
	zone := time.FixedZone("WITA", 8*3600)
	for label, want := range map[string][]string{
		"2026-Q3": {"2026", "2026-H2", "2026-Q3"},
		"2026-H1": {"2026", "2026-H1", "2026-Q1", "2026-Q2"},
		"2026":    {"2026", "2026-H1", "2026-H2", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"},
	} {
		p, _ := period.Parse(label, zone)
		if got := overlapping(p); !slices.Equal(got, want) {
			t.Errorf("overlapping(%s) = %v, want %v", label, got, want)
		}
	}
}

// The M&E report's table of an agency's targets reads from the database
// only the targets whose period overlaps the report's, so only those have
// their progress computed: a 2024 target is neither shown nor computed.
func TestTablesComputesOnlyTheOverlappingTargets(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, sys := context.Background(), policy.SystemActor("test")
		zone := time.FixedZone("WITA", 8*3600)
		now := time.Date(2026, 2, 14, 12, 0, 0, 0, zone)
		agency := dbtest.Agency(t, d, "BKPSDM", "Badan Kepegawaian dan Pengembangan SDM", "badan")
		index := loindex.NewService(d, zone)
		index.SetClock(func() time.Time { return now })
		s := NewService(d, zone, index)
		s.SetClock(func() time.Time { return now })
		for _, label := range []string{"2024", "2025-Q4", "2026", "2026-H1", "2026-Q1", "2026-Q2", "2026-H2"} {
			if _, err := s.Create(ctx, sys, Input{AgencyID: &agency, Period: label, Metric: MetricSLA}); err != nil {
				t.Fatalf("%s: %v", label, err)
			}
		}
		q1, _ := period.Parse("2026-Q1", zone)
		read, _, err := list(ctx, d.R, Filter{AgencyID: &agency}, nil, overlapping(q1), db.Page{Limit: db.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		var labels []string
		for _, x := range read {
			labels = append(labels, x.Period)
		}
		slices.Sort(labels)
		if want := []string{"2026", "2026-H1", "2026-Q1"}; !slices.Equal(labels, want) {
			t.Errorf("targets read for 2026-Q1 = %v, want %v", labels, want)
		}
		tables, err := s.Tables(ctx, sys, "id", agency, q1)
		if err != nil {
			t.Fatal(err)
		}
		var shown []string
		for _, row := range tables[0].Rows {
			shown = append(shown, row[1].Text)
		}
		slices.Sort(shown)
		if want := []string{"2026", "2026-H1", "2026-Q1"}; !slices.Equal(shown, want) {
			t.Errorf("periods in the table = %v, want %v", shown, want)
		}
		old := "2020" // older than the LO index reads: listed without data
		if _, err := s.Create(ctx, sys, Input{AgencyID: &agency, Period: "2020", Metric: MetricSLA}); err != nil {
			t.Fatal(err)
		}
		all, _, err := s.List(ctx, sys, Filter{Period: &old}, db.Page{Limit: 10})
		if err != nil || len(all) != 1 || all[0].Progress.Status != StatusNoData {
			t.Errorf("the 2020 target = %+v, %v; want it listed without data", all, err)
		}
	})
}
