package period_test

import (
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/period"
)

var wita = time.FixedZone("WITA", 8*3600)

func TestParseReadsYearsHalvesAndQuarters(t *testing.T) {
	for _, c := range []struct {
		in, label  string
		start, end string
	}{
		{"2026", "2026", "2026-01-01", "2027-01-01"},
		{"2026-h2", "2026-H2", "2026-07-01", "2027-01-01"},
		{" 2026-Q3 ", "2026-Q3", "2026-07-01", "2026-10-01"},
		{"2025-Q4", "2025-Q4", "2025-10-01", "2026-01-01"},
	} {
		p, err := period.Parse(c.in, wita)
		if err != nil {
			t.Fatalf("%q: %v", c.in, err)
		}
		if p.Label != c.label || p.Start.Format(time.DateOnly) != c.start || p.End.Format(time.DateOnly) != c.end {
			t.Errorf("%q = %s %s..%s, want %s %s..%s", c.in, p.Label, p.Start.Format(time.DateOnly), p.End.Format(time.DateOnly), c.label, c.start, c.end)
		}
		if p.Start.Location() != wita {
			t.Errorf("%q starts in %v, want the city's zone", c.in, p.Start.Location())
		}
	}
}

func TestParseRefusesWhatIsNotAPeriod(t *testing.T) {
	for _, in := range []string{"", "26", "2026-Q5", "2026-Q0", "2026-H3", "2026-13", "1999", "2026-Q1x", "abcd"} {
		if _, err := period.Parse(in, wita); !errs.Is(err, errs.Invalid) {
			t.Errorf("%q: err = %v, want Invalid", in, err)
		}
	}
}

func TestOfPreviousAndLastWalkThePeriods(t *testing.T) {
	at := time.Date(2026, 2, 14, 9, 0, 0, 0, wita)
	q := period.Of(at, period.Quarter)
	if q.Label != "2026-Q1" || !q.Contains(at) || q.Contains(q.End) {
		t.Fatalf("Of = %s", q.Label)
	}
	if got := q.Previous().Label; got != "2025-Q4" {
		t.Errorf("Previous = %s", got)
	}
	if got := q.Next().Label; got != "2026-Q2" {
		t.Errorf("Next = %s", got)
	}
	var labels []string
	for _, p := range q.Last(3) {
		labels = append(labels, p.Label)
	}
	if got := labels; len(got) != 3 || got[0] != "2025-Q3" || got[2] != "2026-Q1" {
		t.Errorf("Last(3) = %v", got)
	}
	y := period.Of(at, period.Year)
	if e := y.Elapsed(time.Date(2026, 7, 2, 12, 0, 0, 0, wita)); e < 0.49 || e > 0.51 {
		t.Errorf("Elapsed mid-year = %.3f", e)
	}
	if y.Elapsed(y.Start.Add(-time.Hour)) != 0 || y.Elapsed(y.End) != 1 {
		t.Error("Elapsed outside the period should be 0 before and 1 after")
	}
}
