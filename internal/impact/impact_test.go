package impact_test

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/impact"
	"github.com/lontara-id/lontara/internal/policy"
)

var executive = &policy.Actor{AccountID: 1, Grants: []policy.Grant{{Role: policy.Executive}}}

func measure(t *testing.T, im impact.Impact, key string) impact.Measure {
	t.Helper()
	for _, m := range im.Measures {
		if m.Key == key {
			return m
		}
	}
	t.Fatalf("no measure %s in %+v", key, im.Measures)
	return impact.Measure{}
}

func TestFewerTicketsAfterTheEventThanTheColleaguesIsAnImprovement(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 6, 7)
		answer(t, d, w.comparison[0], w.attendees[0], w.ends.AddDate(0, 0, 10), true)
		answer(t, d, w.comparison[1], w.attendees[1], w.ends.AddDate(0, 0, 12), false)
		answer(t, d, w.attendees[2], w.attendees[2], w.ends.AddDate(0, 0, 12), false) // one's own question: not an answer
		im, err := impact.NewService(d, time.UTC).Event(context.Background(), executive, w.event, 0)
		if err != nil {
			t.Fatal(err)
		}
		if im.Completed != 6 || im.Attendees != 6 || im.Comparison != 7 || !im.Conclusive {
			t.Fatalf("groups: completed %d attendees %d comparison %d conclusive %v; want 6, 6, 7 (not the outsider nor "+
				"the one trained elsewhere), conclusive", im.Completed, im.Attendees, im.Comparison, im.Conclusive)
		}
		if len(im.Apps) != 1 || im.Apps[0].Name != "SIPD" || im.Title != "Bimtek SIPD untuk Dottoro'ta & rekan" {
			t.Errorf("apps %+v, title %q", im.Apps, im.Title)
		}
		tk := measure(t, im, impact.Tickets)
		if tk.Level != 4 || tk.Attendees.CountBefore != 18 || tk.Attendees.CountAfter != 0 ||
			tk.Comparison.CountBefore != 21 || tk.Comparison.CountAfter != 21 {
			t.Fatalf("ticket counts: %+v %+v", tk.Attendees, tk.Comparison)
		}
		if tk.Attendees.Before != 1 || tk.Attendees.Change != -1 {
			t.Errorf("attendees: %.2f per 30 days before, change %.2f; want 1 and -1", tk.Attendees.Before, tk.Attendees.Change)
		}
		if tk.Effect == nil || *tk.Effect > -1.4 || *tk.High >= 0 || tk.Verdict != impact.Improved {
			t.Errorf("tickets: effect %v [%v, %v] %s; want about -1.5, interval below zero, improved",
				deref(tk.Effect), deref(tk.Low), deref(tk.High), tk.Verdict)
		}
		ans := measure(t, im, impact.Answers)
		if ans.Attendees.CountAfter != 2 || ans.Attendees.CountBefore != 0 || ans.Comparison.CountAfter != 0 {
			t.Errorf("answers: %+v %+v; want the two answers to others after", ans.Attendees, ans.Comparison)
		}
		if acc := measure(t, im, impact.AcceptedAnswers); acc.Attendees.CountAfter != 1 {
			t.Errorf("accepted answers after: %d, want 1", acc.Attendees.CountAfter)
		}
		if ss := measure(t, im, impact.SelfService); ss.Verdict != impact.NoActions || ss.Effect != nil {
			t.Errorf("self-service nobody used: %s %v", ss.Verdict, ss.Effect)
		}
	})
}

func TestGroupsUnderFiveAreNotShownNorConcluded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 4, 8)
		im, err := impact.NewService(d, time.UTC).Event(context.Background(), executive, w.event, 0)
		if err != nil {
			t.Fatal(err)
		}
		if im.Conclusive || im.Attendees != 4 {
			t.Fatalf("conclusive %v with %d attendees", im.Conclusive, im.Attendees)
		}
		for _, m := range im.Measures {
			if m.Verdict != impact.TooSmall || m.Attendees != nil || m.Comparison != nil || m.Effect != nil {
				t.Errorf("%s: %s %+v %+v %v; want too_small with no figures", m.Key, m.Verdict, m.Attendees, m.Comparison, m.Effect)
			}
		}
	})
}

func TestWhoReadsWhichPeople(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 5, 5)
		svc := impact.NewService(d, time.UTC)
		ctx := context.Background()
		head := &policy.Actor{AccountID: 2, AgencyID: w.agency, Grants: []policy.Grant{{Role: policy.AgencyHead, AgencyID: w.agency}}}
		im, err := svc.Event(ctx, head, w.event, 0)
		if err != nil || im.AgencyID == nil || *im.AgencyID != w.agency || im.Attendees != 5 {
			t.Fatalf("the head asking for the city gets their agency: %+v %v", im.AgencyID, err)
		}
		otherHead := &policy.Actor{AccountID: 3, AgencyID: w.other, Grants: []policy.Grant{{Role: policy.AgencyHead, AgencyID: w.other}}}
		if _, err := svc.Event(ctx, otherHead, w.event, w.agency); !errs.Is(err, errs.Forbidden) {
			t.Errorf("another agency's head reading this agency: %v, want Forbidden", err)
		}
		if im, err := svc.Event(ctx, otherHead, w.event, 0); err != nil || im.Completed != 0 || im.Conclusive {
			t.Errorf("another agency's head sees only their own (none): %+v %v", im, err)
		}
		employee := &policy.Actor{AccountID: w.attendees[0], AgencyID: w.agency, Grants: []policy.Grant{{Role: policy.Employee, AgencyID: w.agency}}}
		if _, err := svc.Event(ctx, employee, w.event, 0); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an employee: %v, want Forbidden", err)
		}
		if _, err := svc.Event(ctx, nil, w.event, 0); !errs.Is(err, errs.Unauthorized) {
			t.Errorf("nobody: %v, want Unauthorized", err)
		}
		if _, err := svc.Event(ctx, executive, w.unstarted, 0); !errs.Is(err, errs.Conflict) {
			t.Errorf("an event not finished: %v, want Conflict", err)
		}
		if _, err := svc.Event(ctx, executive, 999999, 0); !errs.Is(err, errs.NotFound) {
			t.Errorf("no such event: %v, want NotFound", err)
		}
		list, _, err := svc.List(ctx, head, 0, db.Page{Limit: 10})
		if err != nil || len(list) != 2 || list[1].ID != w.event || list[1].Completed != 5 || list[1].Apps != "SIPD" {
			t.Errorf("the head's list: %+v %v; want both finished events, this one with 5 completed", list, err)
		}
		if list, _, err := svc.List(ctx, otherHead, 0, db.Page{Limit: 10}); err != nil || len(list) != 0 {
			t.Errorf("another agency's list: %+v %v; want none", list, err)
		}
	})
}

func deref(p *float64) float64 {
	if p == nil {
		return -999
	}
	return *p
}
