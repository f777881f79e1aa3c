package helpdesk

import (
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/calendar"
)

func TestAPauseOverAWeekendMovesWorkingHoursDuesByItsWorkingTimeOnly(t *testing.T) {
	wita := cityZone()
	cal, err := calendar.New(wita, calendar.DefaultWeek)
	if err != nil {
		t.Fatal(err)
	}
	at := func(day, hour, min int) time.Time { return time.Date(2026, 11, day, hour, min, 0, 0, wita) }
	// Filed on Friday 20 November at 14:00 with 4 and 16 working hours to
	// go; pending from 15:00 until Monday 23 November at 09:00: 1.5 hours of
	// Friday and 1.5 of Monday are paused, the weekend is not counted.
	pending := at(20, 15, 0)
	tk := Ticket{Status: StatusPending, PendingSince: &pending, CreatedAt: at(20, 14, 0),
		FirstResponseDue: cal.Add(at(20, 14, 0), 4*time.Hour), ResolutionDue: cal.Add(at(20, 14, 0), 16*time.Hour)}
	if want := at(23, 9, 0); !tk.FirstResponseDue.Equal(want) {
		t.Fatalf("first response due %v, want %v", tk.FirstResponseDue, want)
	}
	if err := transition(&tk, StatusOpen, at(23, 9, 0), cal); err != nil {
		t.Fatal(err)
	}
	if tk.PausedSeconds != 3*3600 {
		t.Errorf("paused %ds, want 3 working hours", tk.PausedSeconds)
	}
	// 4h from Friday 14:00 plus the 3h pause: 2.5h on Friday, 4.5h on Monday.
	if want := at(23, 12, 0); !tk.FirstResponseDue.Equal(want) {
		t.Errorf("first response due %v, want %v", tk.FirstResponseDue, want)
	}
	if want := cal.Add(at(20, 14, 0), 19*time.Hour); !tk.ResolutionDue.Equal(want) {
		t.Errorf("resolution due %v, want %v", tk.ResolutionDue, want)
	}
	// On 24/7 the same pause is the whole 66 hours, as before calendars.
	pending = at(20, 15, 0)
	tk = Ticket{Status: StatusPending, PendingSince: &pending, FirstResponseDue: at(20, 18, 0)}
	if err := transition(&tk, StatusOpen, at(23, 9, 0), calendar.Always()); err != nil {
		t.Fatal(err)
	}
	if tk.PausedSeconds != 66*3600 || !tk.FirstResponseDue.Equal(at(23, 12, 0)) {
		t.Errorf("24/7: paused %ds, due %v", tk.PausedSeconds, tk.FirstResponseDue)
	}
}
