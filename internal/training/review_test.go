package training_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/training"
)

// attendedEvent is a running event the staff hold seats at and attended.
func (w *world) attendedEvent(t *testing.T) training.Event {
	t.Helper()
	ctx := context.Background()
	e := w.event(t, 10, time.Now().Add(-time.Hour), func(in *training.EventInput) { in.NeedsApproval = new(bool) })
	for _, p := range w.staff {
		if _, err := w.svc.Enrol(ctx, w.trainer, e.ID, p.EmployeeID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Mark(ctx, w.trainer, e.Sessions[0].ID, training.AttendanceInput{EmployeeID: p.EmployeeID}); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func TestEvaluationsStayAnonymousToThoseWhoRunTheEvent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 3)
		ctx := context.Background()
		e := w.attendedEvent(t)
		// Written in this order; shown in the order of their text.
		comments := []string{"Materinya pas", "Bagus, Daeng!", "Waktunya kurang"}
		for i, p := range w.staff {
			if err := w.svc.Evaluate(ctx, p, e.ID, training.EvaluationInput{Relevance: 5, Content: 3 + i%2,
				Trainer: 4, Usefulness: 5, Comment: comments[i]}); err != nil {
				t.Fatal(err)
			}
			r, err := w.svc.Reaction(ctx, w.trainer, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if i < 2 && (!r.TooFew || r.N != i+1 || r.Relevance != 0 || len(r.Comments) != 0) {
				t.Errorf("reaction after %d answers = %+v; want only the count", i+1, r)
			}
		}
		r, err := w.svc.Reaction(ctx, w.trainer, e.ID)
		want := []string{"Bagus, Daeng!", "Materinya pas", "Waktunya kurang"}
		if err != nil || r.TooFew || r.N != 3 || r.Relevance != 5 || r.Trainer != 4 || !slices.Equal(r.Comments, want) {
			t.Fatalf("reaction of three = %+v, %v; want the means and %q", r, err, want)
		}

		// Nobody but the person learns whether they evaluated.
		roster, err := w.svc.Enrolments(ctx, w.trainer, e)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range roster.People {
			if n.Evaluated {
				t.Errorf("the trainer's roster says %s evaluated", n.EmployeeName)
			}
			one, err := w.svc.Enrolment(ctx, w.admin, n.ID)
			if err != nil || one.Evaluated {
				t.Errorf("the admin's view of %s: evaluated %v, %v", n.EmployeeName, one.Evaluated, err)
			}
		}
		page, _, err := w.svc.EnrolmentPage(ctx, w.trainer, e.ID, db.Page{})
		if err != nil || len(page) != 3 || slices.ContainsFunc(page, func(n training.Enrolment) bool { return n.Evaluated }) {
			t.Errorf("the API roster = %+v, %v", page, err)
		}
		mine, err := w.svc.Enrolment(ctx, w.staff[0], roster.People[0].ID)
		if roster.People[0].EmployeeID != w.staff[0].EmployeeID {
			mine, err = w.svc.Enrolment(ctx, w.staff[0], page[slices.IndexFunc(page, func(n training.Enrolment) bool {
				return n.EmployeeID == w.staff[0].EmployeeID
			})].ID)
		}
		if err != nil || !mine.Evaluated {
			t.Errorf("the person's own place: evaluated %v, %v; want true", mine.Evaluated, err)
		}
	})
}

func TestParallelCheckInsRecordOneAttendanceAndNeverFail(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 1)
		ctx := context.Background()
		e := w.event(t, 5, time.Now().Add(-time.Hour), func(in *training.EventInput) { in.NeedsApproval = new(bool) })
		if _, err := w.svc.Enrol(ctx, w.trainer, e.ID, w.staff[0].EmployeeID); err != nil {
			t.Fatal(err)
		}
		code, err := w.svc.NewCode(ctx, w.trainer, e.Sessions[0].ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		// A double tap races two check-ins past the "already present" check;
		// several rounds, all starting at once, so that they do.
		for round := range 10 {
			if _, err := d.W.Exec(`DELETE FROM session_attendance`); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			start := make(chan struct{})
			errsOf := make([]error, 8)
			for i := range errsOf {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, errsOf[i] = w.svc.CheckIn(ctx, w.staff[0], code.Code)
				}()
			}
			close(start)
			wg.Wait()
			ok := 0
			for _, err := range errsOf {
				switch {
				case err == nil:
					ok++
				case !errs.Is(err, errs.Conflict):
					t.Fatalf("round %d: a check-in racing another = %v, want a conflict", round, err)
				}
			}
			var rows int
			if err := d.R.QueryRow(`SELECT COUNT(*) FROM session_attendance WHERE session_id = $1`, e.Sessions[0].ID).Scan(&rows); err != nil {
				t.Fatal(err)
			}
			if ok != 1 || rows != 1 {
				t.Fatalf("round %d: %d check-ins succeeded, %d rows; want exactly one", round, ok, rows)
			}
		}
	})
}

func TestAPendingNomineeGetsNoReminderNorCalendarEntryYetSeesTheirPlace(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 2)
		ctx := context.Background()
		e := w.event(t, 5, time.Now().Add(20*time.Hour), nil)
		if _, err := w.svc.Enrol(ctx, w.admin, e.ID, w.staff[0].EmployeeID); err != nil { // awaits the head
			t.Fatal(err)
		}
		if _, err := w.svc.Enrol(ctx, w.trainer, e.ID, w.staff[1].EmployeeID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Remind(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
		var pending, cleared int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM notifications WHERE kind = 'training.soon' AND account_id = $1`,
			w.staff[0].AccountID).Scan(&pending); err != nil {
			t.Fatal(err)
		}
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM notifications WHERE kind = 'training.soon' AND account_id = $1`,
			w.staff[1].AccountID).Scan(&cleared); err != nil {
			t.Fatal(err)
		}
		if pending != 0 || cleared != 1 {
			t.Errorf("reminders: pending nominee %d, cleared participant %d; want 0 and 1", pending, cleared)
		}
		uid := fmt.Sprintf("training-session-%d@lontara", e.Sessions[0].ID)
		for i, want := range []bool{false, true} {
			cal, err := w.svc.MyCalendar(ctx, w.staff[i], "")
			if err != nil || strings.Contains(string(cal), uid) != want {
				t.Errorf("calendar of staff %d holds the session: %v (%v), want %v", i, !want, err, want)
			}
		}
		mine, err := w.svc.Mine(ctx, w.staff[0])
		if err != nil || len(mine) != 1 || mine[0].Approval != training.ApprovalPending {
			t.Errorf("the nominee's own places = %+v, %v; want the pending one", mine, err)
		}
	})
}

func TestNobodyIsPromotedIntoAnEventThatIsOver(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 2)
		ctx := context.Background()
		e := w.event(t, 1, time.Now().Add(-10*time.Hour), func(in *training.EventInput) { in.NeedsApproval = new(bool) })
		var places []training.Enrolment
		for _, p := range w.staff {
			n, err := w.svc.Enrol(ctx, w.trainer, e.ID, p.EmployeeID)
			if err != nil {
				t.Fatal(err)
			}
			places = append(places, n)
		}
		if places[1].Status != training.Waitlisted {
			t.Fatalf("second place = %s, want waitlisted", places[1].Status)
		}
		if err := w.svc.CancelEnrolment(ctx, w.trainer, places[0].ID); err != nil {
			t.Fatal(err)
		}
		n, err := w.svc.Enrolment(ctx, w.trainer, places[1].ID)
		if err != nil || n.Status != training.Waitlisted {
			t.Errorf("after a seat freed in an ended event: %s, %v; want still waitlisted", n.Status, err)
		}
	})
}

func TestRostersApprovalsAndAttendanceArePaged(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		token := s.h.Token(t, trainer)
		start := time.Now().Add(-30 * time.Minute)
		e := s.createEvent(t, token, map[string]any{"title": "Bimtek Paging", "kind": "bimtek",
			"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(6 * time.Hour).Format(time.RFC3339),
			"capacity": 5, "jp": 8})
		adminToken := s.h.Token(t, admin)
		for _, who := range []string{nur, daeng, andi} {
			if r := s.h.Do(t, "POST", fmt.Sprintf("/api/v1/events/%d/enrolments", e.ID), adminToken,
				map[string]any{"employee_id": s.emp[who]}, ""); r.Status != http.StatusCreated {
				t.Fatalf("nominate: %d %s", r.Status, r.Body)
			}
		}
		type page struct {
			Items []map[string]any `json:"items"`
			Next  *string          `json:"next"`
		}
		walk := func(token, path string) (pages []int) {
			t.Helper()
			cursor := ""
			for range 5 {
				r := s.h.Do(t, "GET", path+"?limit=2"+cursor, token, nil, "")
				if r.Status != http.StatusOK {
					t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
				}
				var p page
				r.JSON(t, &p)
				pages = append(pages, len(p.Items))
				if p.Next == nil {
					return pages
				}
				cursor = "&cursor=" + *p.Next
			}
			t.Fatalf("%s never ends", path)
			return nil
		}
		for _, c := range []struct{ token, path string }{
			{token, fmt.Sprintf("/api/v1/events/%d/enrolments", e.ID)},
			{s.h.Token(t, head), "/api/v1/approvals"},
			{token, fmt.Sprintf("/api/v1/sessions/%d/attendance", e.Sessions[0].ID)},
		} {
			if got := walk(c.token, c.path); !slices.Equal(got, []int{2, 1}) {
				t.Errorf("%s pages = %v, want [2 1]", c.path, got)
			}
		}
		if r := s.h.Do(t, "GET", "/api/v1/approvals?cursor=@@", s.h.Token(t, head), nil, ""); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("a bad cursor = %d, want 422", r.Status)
		}
	})
}
