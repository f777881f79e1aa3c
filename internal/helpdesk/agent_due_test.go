package helpdesk

import (
	"testing"
	"time"
)

func TestQueueMarksTheRunningSLAClock(t *testing.T) {
	at := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)
	answered := at.Add(-time.Hour)
	for _, c := range []struct {
		name  string
		t     Ticket
		due   time.Time
		state string
	}{
		{"unanswered: the first response, late", Ticket{Status: StatusNew, FirstResponseDue: at.Add(-time.Minute),
			ResolutionDue: at.Add(5 * time.Hour)}, at.Add(-time.Minute), "late"},
		{"unanswered: the first response, within the hour", Ticket{Status: StatusNew, FirstResponseDue: at.Add(59 * time.Minute),
			ResolutionDue: at.Add(5 * time.Hour)}, at.Add(59 * time.Minute), "soon"},
		{"answered: the resolution, in time", Ticket{Status: StatusOpen, FirstRespondedAt: &answered,
			FirstResponseDue: at.Add(-time.Minute), ResolutionDue: at.Add(2 * time.Hour)}, at.Add(2 * time.Hour), ""},
		{"pending: no clock runs", Ticket{Status: StatusPending, FirstResponseDue: at.Add(-time.Hour)}, time.Time{}, ""},
		{"resolved: no clock runs", Ticket{Status: StatusResolved, ResolutionDue: at.Add(-time.Hour)}, time.Time{}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			due, state := dueOf(c.t, at)
			if !due.Equal(c.due) || state != c.state {
				t.Errorf("due %v %q, want %v %q", due, state, c.due, c.state)
			}
		})
	}
}
