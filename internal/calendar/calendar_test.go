package calendar_test

import (
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/calendar"
)

func wita(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Makassar")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// working is the default week in WITA with the Christmas holidays of 2026
// (cuti bersama on Thursday the 24th, Christmas on Friday the 25th).
func working(t *testing.T) (*calendar.Calendar, func(month time.Month, day, hour, min int) time.Time) {
	t.Helper()
	loc := wita(t)
	c, err := calendar.New(loc, calendar.DefaultWeek,
		time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 25, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return c, func(month time.Month, day, hour, min int) time.Time {
		return time.Date(2026, month, day, hour, min, 0, 0, loc)
	}
}

func TestAddCountsOnlyWorkingHours(t *testing.T) {
	c, at := working(t)
	// 23 November 2026 is a Monday.
	for _, w := range []struct {
		name  string
		start time.Time
		d     time.Duration
		want  time.Time
	}{
		{"within a morning", at(11, 23, 9, 0), 2 * time.Hour, at(11, 23, 11, 0)},
		{"over the evening to the next morning", at(11, 23, 15, 0), 2 * time.Hour, at(11, 24, 8, 30)},
		{"ending exactly at the close stays at the close", at(11, 23, 15, 0), time.Hour, at(11, 23, 16, 0)},
		{"starting before the opening", at(11, 23, 6, 0), time.Hour, at(11, 23, 8, 30)},
		{"starting after the close", at(11, 23, 17, 0), 30 * time.Minute, at(11, 24, 8, 0)},
		{"Friday closes at 16:30, then the weekend", at(11, 27, 16, 0), time.Hour, at(11, 30, 8, 0)},
		{"starting on a Saturday", at(11, 28, 10, 0), time.Hour, at(11, 30, 8, 30)},
		{"over cuti bersama, Christmas and the weekend", at(12, 23, 15, 0), 2 * time.Hour, at(12, 28, 8, 30)},
		{"72 hours of work span eight working days", at(11, 23, 7, 30), 72 * time.Hour, at(12, 3, 11, 0)},
		{"nothing to add on a Saturday is the Saturday", at(11, 28, 10, 0), 0, at(11, 28, 10, 0)},
	} {
		t.Run(w.name, func(t *testing.T) {
			if got := c.Add(w.start, w.d); !got.Equal(w.want) {
				t.Errorf("Add(%v, %v) = %v, want %v", w.start, w.d, got, w.want)
			}
		})
	}
}

func TestBetweenCountsOnlyWorkingHours(t *testing.T) {
	c, at := working(t)
	for _, w := range []struct {
		name string
		a, b time.Time
		want time.Duration
	}{
		{"within a morning", at(11, 23, 9, 0), at(11, 23, 11, 0), 2 * time.Hour},
		{"Friday afternoon to Monday morning", at(11, 27, 16, 0), at(11, 30, 8, 0), time.Hour},
		{"a weekend alone", at(11, 28, 0, 0), at(11, 30, 0, 0), 0},
		{"a whole Monday from before to after hours", at(11, 23, 6, 0), at(11, 23, 17, 0), 8*time.Hour + 30*time.Minute},
		{"a whole week", at(11, 23, 0, 0), at(11, 30, 0, 0), 43 * time.Hour},
		{"over the holidays", at(12, 23, 15, 0), at(12, 28, 8, 30), 2 * time.Hour},
		{"backwards is negative", at(11, 23, 11, 0), at(11, 23, 9, 0), -2 * time.Hour},
	} {
		t.Run(w.name, func(t *testing.T) {
			if got := c.Between(w.a, w.b); got != w.want {
				t.Errorf("Between(%v, %v) = %v, want %v", w.a, w.b, got, w.want)
			}
		})
	}
}

func TestBetweenUndoesAdd(t *testing.T) {
	c, at := working(t)
	for start := at(11, 20, 0, 0); start.Before(at(12, 30, 0, 0)); start = start.Add(97 * time.Minute) {
		for _, d := range []time.Duration{time.Minute, 15 * time.Minute, 4 * time.Hour, 24 * time.Hour, 72 * time.Hour} {
			end := c.Add(start, d)
			if got := c.Between(start, end); got != d {
				t.Fatalf("Between(%v, Add(%v, %v) = %v) = %v", start, start, d, end, got)
			}
			// Adding in two steps lands where adding at once does: what
			// moves the dues on after a pause.
			if two := c.Add(c.Add(start, d/3), d-d/3); !two.Equal(end) {
				t.Fatalf("Add in two steps from %v by %v: %v, at once %v", start, d, two, end)
			}
		}
	}
}

func TestAddWorkingDaysEndsTheNthWorkingDayAfter(t *testing.T) {
	c, at := working(t)
	end := func(month time.Month, day int) time.Time { return at(month, day, 23, 59).Add(59 * time.Second) }
	for _, w := range []struct {
		name  string
		start time.Time
		n     int
		want  time.Time
	}{
		{"three from a Monday", at(11, 23, 10, 0), 3, end(11, 26)},
		{"three from a Friday skip the weekend", at(11, 27, 10, 0), 3, end(12, 2)},
		{"one from a Saturday", at(11, 28, 10, 0), 1, end(11, 30)},
		{"one from a Monday evening is Tuesday", at(11, 23, 22, 0), 1, end(11, 24)},
		{"three over the holidays", at(12, 22, 10, 0), 3, end(12, 29)},
		{"ten from a Monday", at(11, 30, 9, 0), 10, end(12, 14)},
		{"zero is the start", at(11, 28, 10, 0), 0, at(11, 28, 10, 0)},
	} {
		t.Run(w.name, func(t *testing.T) {
			if got := c.AddWorkingDays(w.start, w.n); !got.Equal(w.want) {
				t.Errorf("AddWorkingDays(%v, %d) = %v, want %v", w.start, w.n, got, w.want)
			}
		})
	}
}

func TestAlwaysIsPlainTime(t *testing.T) {
	_, at := working(t)
	always := calendar.Always()
	sat := at(11, 28, 10, 0)
	if got := always.Add(sat, 2*time.Hour); !got.Equal(sat.Add(2 * time.Hour)) {
		t.Errorf("Add on a Saturday: %v", got)
	}
	if got := always.Between(at(11, 27, 16, 0), at(11, 30, 8, 0)); got != 64*time.Hour {
		t.Errorf("Between Friday and Monday: %v", got)
	}
	if got := always.AddWorkingDays(at(11, 23, 10, 0), 3); !got.Equal(at(11, 26, 10, 0)) {
		t.Errorf("AddWorkingDays: %v", got)
	}
	if !always.Is24x7() {
		t.Error("Always is not 24x7")
	}
}

func TestWITAHasNoDaylightSavingTime(t *testing.T) {
	loc := wita(t)
	for d := time.Date(2026, 1, 1, 0, 0, 0, 0, loc); d.Year() < 2028; d = d.AddDate(0, 0, 1) {
		if _, off := d.Zone(); off != 8*3600 {
			t.Fatalf("%v is UTC%+d", d, off/3600)
		}
	}
}

func TestWorkingHoursAreWallClockAcrossDaylightSavingTime(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	var week calendar.Week
	for i := range week {
		week[i] = calendar.DefaultWeek[time.Monday]
	}
	c, err := calendar.New(berlin, week)
	if err != nil {
		t.Fatal(err)
	}
	// Summer time began at 02:00 on Sunday 29 March 2026.
	start := time.Date(2026, 3, 28, 15, 0, 0, 0, berlin)
	want := time.Date(2026, 3, 29, 8, 30, 0, 0, berlin)
	if got := c.Add(start, 2*time.Hour); !got.Equal(want) {
		t.Errorf("Add over the change: %v, want %v", got, want)
	}
	if got := c.Between(start, want); got != 2*time.Hour {
		t.Errorf("Between over the change: %v", got)
	}
}

func TestAWeekWithoutWorkingHoursIsRefused(t *testing.T) {
	if _, err := calendar.New(time.UTC, calendar.Week{}); err == nil {
		t.Error("a week off accepted")
	}
	bad := calendar.DefaultWeek
	bad[time.Monday].To = 25 * time.Hour
	if _, err := calendar.New(time.UTC, bad); err == nil {
		t.Error("hours beyond midnight accepted")
	}
}
