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

// staff adds n people of agency in position, each enrolled in event with
// status ("" for not enrolled), and returns their accounts.
func staff(t *testing.T, d *db.DB, agency, position, event int64, n int, tag, status string) []int64 {
	t.Helper()
	var out []int64
	for i := range n {
		emp, acc := person(t, d, agency, position, tag+" "+string(rune('A'+i)), tag+string(rune('a'+i))+"@kota.go.id")
		if status != "" {
			dbtest.Enrolment(t, d, event, emp, status)
		}
		out = append(out, acc)
	}
	return out
}

func TestFiguresThatSubtractionWouldRevealAreNotShown(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 6, 7)
		svc := impact.NewService(d, time.UTC)
		ctx := context.Background()
		for _, scope := range []int64{0, w.agency} { // one agency: the city is that agency, nothing to subtract
			if im, err := svc.Event(ctx, executive, w.event, scope); err != nil || !im.Conclusive || im.Suppressed {
				t.Fatalf("scope %d alone: %v conclusive %v suppressed %v", scope, err, im.Conclusive, im.Suppressed)
			}
		}
		// Two attendees in another agency, with six colleagues there: their
		// agency is too small, so BAPENDA is hidden (the city minus BAPENDA
		// would be theirs); the city, whose hidden agencies hold eight, is shown.
		pos := insert(t, d, `INSERT INTO positions (name, created_at) VALUES ('Bendahara', $1) RETURNING id`, time.Now().UTC())
		staff(t, d, w.other, pos, w.event, 2, "kecil", "completed")
		staff(t, d, w.other, pos, w.event, 6, "rekankecil", "")
		hidden := func(scope int64, want bool) {
			t.Helper()
			im, err := svc.Event(ctx, executive, w.event, scope)
			if err != nil {
				t.Fatal(err)
			}
			if im.Suppressed != want || im.Conclusive == want {
				t.Errorf("scope %d: conclusive %v suppressed %v; want suppressed %v", scope, im.Conclusive, im.Suppressed, want)
			}
			for _, m := range im.Measures {
				if want && (m.Attendees != nil || m.Comparison != nil || m.Effect != nil || m.Verdict != impact.TooSmall) {
					t.Errorf("scope %d %s shown: %+v", scope, m.Key, m)
				}
			}
		}
		hidden(w.agency, true)
		hidden(0, false)
		if im, _ := svc.Event(ctx, executive, w.event, w.other); im.Suppressed || im.Conclusive || im.Attendees != 2 {
			t.Errorf("the small agency: %+v", im)
		}
		// Three more there: every agency is five or more, all shown.
		staff(t, d, w.other, pos, w.event, 3, "tambah", "completed")
		for _, scope := range []int64{0, w.agency, w.other} {
			hidden(scope, false)
		}
		// A third agency with two: BAPENDA's and DISDIK's rests are seven
		// and eight, shown; the city minus them would be the two: hidden.
		third := dbtest.Agency(t, d, "KEC-TML", "Kecamatan Tamalate", "kecamatan")
		staff(t, d, third, pos, w.event, 2, "ketiga", "completed")
		staff(t, d, third, pos, w.event, 6, "rekanketiga", "")
		hidden(w.agency, false)
		hidden(w.other, false)
		hidden(0, true)
	})
}

func TestTheComparisonGroupLeavesOutThoseEnrolledInTheEvent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 6, 7)
		var operator int64
		if err := d.R.QueryRow(`SELECT id FROM positions WHERE name = 'Operator SIPD'`).Scan(&operator); err != nil {
			t.Fatal(err)
		}
		staff(t, d, w.agency, operator, w.event, 1, "terdaftar", "enrolled") // enrolled, did not complete: not a colleague who did not attend
		staff(t, d, w.agency, operator, w.event, 1, "batal", "cancelled")
		staff(t, d, w.agency, operator, w.event, 1, "antre", "waitlisted")
		im, err := impact.NewService(d, time.UTC).Event(context.Background(), executive, w.event, 0)
		if err != nil {
			t.Fatal(err)
		}
		if im.Comparison != 9 {
			t.Errorf("comparison %d, want 9: the 7 colleagues, the cancelled and the waitlisted, not the enrolled", im.Comparison)
		}
	})
}

func TestAnAgencyBeyondInt4(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 6, 7)
		svc := impact.NewService(d, time.UTC)
		ctx := context.Background()
		if _, err := svc.Event(ctx, executive, w.event, 3000000000); !errs.Is(err, errs.NotFound) {
			t.Errorf("an unknown agency: %v, want NotFound", err)
		}
		if _, _, err := svc.List(ctx, executive, 3000000000, db.Page{}); !errs.Is(err, errs.NotFound) {
			t.Errorf("list, an unknown agency: %v, want NotFound", err)
		}
		now := time.Now().UTC()
		exec(t, d, `INSERT INTO agencies (id, code, name, type, created_at, updated_at)
			VALUES (3000000000, 'BESAR', 'Badan Besar', 'badan', $1, $1)`, now)
		emp, _ := dbtest.Person(t, d, 3000000000, "Orang Besar", "besar@kota.go.id")
		dbtest.Enrolment(t, d, w.event, emp, "completed")
		im, err := svc.Event(ctx, executive, w.event, 3000000000)
		if err != nil || im.Completed != 1 {
			t.Errorf("an agency beyond int4: %v, completed %d", err, im.Completed)
		}
		list, _, err := svc.List(ctx, executive, 3000000000, db.Page{})
		if err != nil || len(list) != 1 || list[0].Completed != 1 {
			t.Errorf("list, an agency beyond int4: %v %+v", err, list)
		}
	})
}
