package helpdesk

import (
	"slices"
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

func TestQueueTabsShowACappedCountAsMore(t *testing.T) {
	tabs := statusTabs(Counts{New: 3, Open: 10, Pending: 11, Resolved: 0, Closed: 11}, 10)
	want := []statusTab{{"", 33, true, ""}, {StatusNew, 3, false, ""}, {StatusOpen, 10, false, ""},
		{StatusPending, 10, true, ""}, {StatusResolved, 0, false, ""}, {StatusClosed, 10, true, ""}}
	if !slices.Equal(tabs, want) {
		t.Errorf("tabs %+v, want %+v", tabs, want)
	}
	if all := statusTabs(Counts{New: 1, Closed: 2}, 10)[0]; all.Count != 3 || all.More {
		t.Errorf("all, nothing capped: %+v", all)
	}
}
