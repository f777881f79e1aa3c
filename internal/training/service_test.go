package training_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/training"
)

// world is a small city: the health office with its admin, head and
// staff, a trainer of Kominfo, and a competency the training builds.
type world struct {
	d                    *db.DB
	svc                  *training.Service
	dinkes, kominfo      int64
	admin, head, trainer *policy.Actor
	staff                []*policy.Actor // Dinkes employees
	comp                 int64
}

func person(t *testing.T, d *db.DB, agency int64, name, email string, roles ...policy.Role) *policy.Actor {
	t.Helper()
	emp, acct := dbtest.Person(t, d, agency, name, email)
	a := &policy.Actor{AccountID: acct, EmployeeID: emp, AgencyID: agency, Name: name}
	for _, r := range roles {
		g := agency
		if r.CityWide() {
			g = 0
		}
		dbtest.Grant(t, d, acct, string(r), g)
		a.Grants = append(a.Grants, policy.Grant{Role: r, AgencyID: g})
	}
	return a
}

// personB is a person with the trainer role, for benchmarks.
func personB(b *testing.B, d *db.DB, agency int64, name, email string) *policy.Actor {
	b.Helper()
	emp, acct := dbtest.Person(b, d, agency, name, email)
	dbtest.Grant(b, d, acct, string(policy.Trainer), agency)
	return &policy.Actor{AccountID: acct, EmployeeID: emp, AgencyID: agency, Name: name,
		Grants: []policy.Grant{{Role: policy.Trainer, AgencyID: agency}}}
}

func newWorld(t *testing.T, d *db.DB, staff int) *world {
	t.Helper()
	w := &world{d: d, svc: training.NewService(d, time.UTC)}
	w.dinkes = dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", "dinas")
	w.kominfo = dbtest.Agency(t, d, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
	w.admin = person(t, d, w.dinkes, "Admin Dinkes", "admin@dinkes.test", policy.AgencyAdmin)
	w.head = person(t, d, w.dinkes, "Kepala Dinkes", "kepala@dinkes.test", policy.AgencyHead)
	w.trainer = person(t, d, w.kominfo, "Daeng Pelatih", "pelatih@kominfo.test", policy.Trainer)
	for i := range staff {
		name := fmt.Sprintf("Pegawai %02d", i)
		if i == 0 {
			name = "Nur'aini Dottoro'ta"
		}
		w.staff = append(w.staff, person(t, d, w.dinkes, name, fmt.Sprintf("p%d@dinkes.test", i), policy.Employee))
	}
	w.comp = dbtest.Competency(t, d, "sipd.operasi", "Mengoperasikan SIPD")
	return w
}

// event makes a city bimtek by the trainer from start for 8 hours.
func (w *world) event(t *testing.T, capacity int, start time.Time, change func(*training.EventInput)) training.Event {
	t.Helper()
	in := training.EventInput{Title: "Bimtek SIPD Dottoro'ta", Kind: training.KindBimtek, StartsAt: start,
		EndsAt: start.Add(8 * time.Hour), Capacity: capacity, JP: 16, Place: "Ruang Rapat Kominfo",
		Competencies: []training.CompetencyLevel{{Code: "sipd.operasi", Level: 2}}}
	if change != nil {
		change(&in)
	}
	e, err := w.svc.CreateEvent(context.Background(), w.trainer, in)
	if err != nil {
		t.Fatalf("create event: %v", err)
	}
	return e
}

func wantCode(t *testing.T, err error, code errs.Code, what string) {
	t.Helper()
	if !errs.Is(err, code) {
		t.Fatalf("%s: err = %v, want %s", what, err, code)
	}
}

func TestAnEventEndingBeforeItStartsIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 0)
		start := time.Now().Add(48 * time.Hour)
		_, err := w.svc.CreateEvent(context.Background(), w.trainer, training.EventInput{Title: "Bimtek", Kind: "bimtek",
			StartsAt: start, EndsAt: start.Add(-time.Hour), Capacity: 10, JP: 4})
		wantCode(t, err, errs.Invalid, "ends before starts")
		_, err = w.svc.CreateEvent(context.Background(), w.trainer, training.EventInput{Title: "Bimtek", Kind: "seminar",
			StartsAt: start, EndsAt: start.Add(time.Hour), Capacity: 0, JP: 4})
		if e := errs.As(err); e == nil || len(e.Fields) != 2 {
			t.Fatalf("kind and capacity wrong: %v, want two field errors", err)
		}
		_, err = w.svc.CreateEvent(context.Background(), w.staff0(t), training.EventInput{Title: "Bimtek", Kind: "bimtek",
			StartsAt: start, EndsAt: start.Add(time.Hour), Capacity: 5, JP: 4})
		wantCode(t, err, errs.Forbidden, "an employee making a city event")
	})
}

func (w *world) staff0(t *testing.T) *policy.Actor {
	t.Helper()
	if len(w.staff) == 0 {
		return person(t, w.d, w.dinkes, "Andi", "andi@dinkes.test", policy.Employee)
	}
	return w.staff[0]
}

func TestAThreeDayEventHasASessionEachDay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 0)
		start := time.Date(2030, 3, 2, 0, 0, 0, 0, time.UTC)
		e := w.event(t, 10, start, func(in *training.EventInput) { in.Days = 3 })
		if len(e.Sessions) != 3 {
			t.Fatalf("sessions = %d, want 3", len(e.Sessions))
		}
		if !e.EndsAt.Equal(start.AddDate(0, 0, 2).Add(8*time.Hour)) || !e.StartsAt.Equal(start) {
			t.Errorf("event spans %v – %v", e.StartsAt, e.EndsAt)
		}
		if len(e.Trainers) != 1 || e.Trainers[0].AccountID != w.trainer.AccountID {
			t.Errorf("trainers = %+v, want the trainer who made it", e.Trainers)
		}
		if len(e.Competencies) != 1 || e.Competencies[0].Level != 2 {
			t.Errorf("competencies = %+v", e.Competencies)
		}
	})
}

func TestConcurrentEnrolmentsNeverTakeMoreSeatsThanTheEventHas(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 12)
		e := w.event(t, 5, time.Now().Add(72*time.Hour), nil)
		ctx := context.Background()
		var wg sync.WaitGroup
		statuses := make([]string, len(w.staff))
		errors := make([]error, len(w.staff))
		for i, p := range w.staff {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := w.svc.Enrol(ctx, w.trainer, e.ID, p.EmployeeID)
				statuses[i], errors[i] = n.Status, err
			}()
		}
		wg.Wait()
		count := map[string]int{}
		for i, err := range errors {
			if err != nil {
				t.Fatalf("enrolment %d: %v", i, err)
			}
			count[statuses[i]]++
		}
		if count[training.Enrolled] != 5 || count[training.Waitlisted] != 7 {
			t.Errorf("statuses = %v, want 5 enrolled and 7 waitlisted", count)
		}
		var seats int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM enrolments WHERE event_id = $1 AND status = 'enrolled'`, e.ID).Scan(&seats); err != nil {
			t.Fatal(err)
		}
		if seats != 5 {
			t.Errorf("seats taken in the database = %d, want 5", seats)
		}
	})
}

func TestANominationWaitsForTheHeadAndADeclineGivesTheSeatToTheOldestInLine(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 4)
		ctx := context.Background()
		e := w.event(t, 2, time.Now().Add(72*time.Hour), nil)
		var places []training.Enrolment
		for _, p := range w.staff {
			n, err := w.svc.Enrol(ctx, w.admin, e.ID, p.EmployeeID)
			if err != nil {
				t.Fatalf("nominate: %v", err)
			}
			places = append(places, n)
		}
		for i, want := range []string{"enrolled", "enrolled", "waitlisted", "waitlisted"} {
			if places[i].Status != want || places[i].Approval != training.ApprovalPending || places[i].Source != training.SourceNominated {
				t.Errorf("nomination %d = %s/%s/%s, want %s/pending/nominated", i, places[i].Status, places[i].Approval, places[i].Source, want)
			}
		}
		pending, _, err := w.svc.Approvals(ctx, w.head, db.Page{})
		if err != nil || len(pending) != 4 {
			t.Fatalf("head's approvals = %d, %v; want 4", len(pending), err)
		}
		wantCode(t, w.svc.Decide(ctx, w.admin, places[0].ID, true), errs.Forbidden, "the admin approving")
		if err := w.svc.Decide(ctx, w.head, places[0].ID, true); err != nil {
			t.Fatal(err)
		}
		wantCode(t, w.svc.Decide(ctx, w.head, places[0].ID, false), errs.Conflict, "answering twice")
		if err := w.svc.Decide(ctx, w.head, places[1].ID, false); err != nil {
			t.Fatal(err)
		}
		got := func(i int) training.Enrolment {
			n, err := w.svc.Enrolment(ctx, w.head, places[i].ID)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := got(1); n.Status != training.Cancelled || n.Approval != training.ApprovalDeclined {
			t.Errorf("declined = %s/%s", n.Status, n.Approval)
		}
		if n := got(2); n.Status != training.Enrolled {
			t.Errorf("oldest in line = %s, want enrolled", n.Status)
		}
		if n := got(3); n.Status != training.Waitlisted {
			t.Errorf("next in line = %s, want waitlisted", n.Status)
		}
		// The person cancels; the last in line moves up.
		if err := w.svc.CancelEnrolment(ctx, w.staff[0], places[0].ID); err != nil {
			t.Fatal(err)
		}
		if n := got(3); n.Status != training.Enrolled {
			t.Errorf("after a cancellation the last in line = %s, want enrolled", n.Status)
		}
		wantCode(t, w.svc.CancelEnrolment(ctx, w.staff[1], places[2].ID), errs.Forbidden, "someone else's place")
		var told int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM notifications WHERE kind = 'training.promoted'`).Scan(&told); err != nil {
			t.Fatal(err)
		}
		if told != 2 {
			t.Errorf("promotions told = %d, want 2", told)
		}
	})
}

func TestSelfEnrolmentOnlyWhereTheEventAllowsIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 1)
		ctx := context.Background()
		closed := w.event(t, 5, time.Now().Add(72*time.Hour), nil)
		_, err := w.svc.Enrol(ctx, w.staff[0], closed.ID, w.staff[0].EmployeeID)
		wantCode(t, err, errs.Forbidden, "self-enrolling where not allowed")
		no := false
		open := w.event(t, 5, time.Now().Add(72*time.Hour), func(in *training.EventInput) {
			in.SelfEnrol, in.NeedsApproval = true, &no
		})
		n, err := w.svc.Enrol(ctx, w.staff[0], open.ID, w.staff[0].EmployeeID)
		if err != nil || n.Status != training.Enrolled || n.Approval != training.ApprovalNotNeeded || n.Source != training.SourceSelf {
			t.Fatalf("self-enrolment = %+v, %v", n, err)
		}
		_, err = w.svc.Enrol(ctx, w.staff[0], open.ID, w.staff[0].EmployeeID)
		wantCode(t, err, errs.Conflict, "enrolling twice")
		// Cancelled, the person may come back, at the end of the line.
		if err := w.svc.CancelEnrolment(ctx, w.staff[0], n.ID); err != nil {
			t.Fatal(err)
		}
		if n, err = w.svc.Enrol(ctx, w.staff[0], open.ID, w.staff[0].EmployeeID); err != nil || n.Status != training.Enrolled {
			t.Fatalf("enrolling again = %+v, %v", n, err)
		}
	})
}

func TestAttendanceCodesScoresAndFinishingRecordJPAndEvidence(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 3)
		ctx := context.Background()
		e := w.event(t, 5, time.Now().Add(-time.Hour), func(in *training.EventInput) {
			in.NeedsApproval = new(bool)
		})
		for _, p := range w.staff {
			if _, err := w.svc.Enrol(ctx, w.trainer, e.ID, p.EmployeeID); err != nil {
				t.Fatal(err)
			}
		}
		outsider := person(t, d, w.kominfo, "Orang Lain", "lain@kominfo.test", policy.Employee)
		session := e.Sessions[0].ID
		_, err := w.svc.Mark(ctx, w.trainer, session, training.AttendanceInput{EmployeeID: outsider.EmployeeID})
		wantCode(t, err, errs.Invalid, "marking someone not enrolled")
		_, err = w.svc.Mark(ctx, w.staff[0], session, training.AttendanceInput{EmployeeID: w.staff[0].EmployeeID})
		wantCode(t, err, errs.Forbidden, "a participant marking themselves")
		a, err := w.svc.Mark(ctx, w.trainer, session, training.AttendanceInput{EmployeeID: w.staff[0].EmployeeID})
		if err != nil || !a.Present || a.Method != "trainer" {
			t.Fatalf("mark = %+v, %v", a, err)
		}
		// Check-in with a code: once; again is a conflict; an expired
		// code and an unknown one are field errors.
		code, err := w.svc.NewCode(ctx, w.trainer, session, 0)
		if err != nil || len(code.Code) != 6 {
			t.Fatalf("code = %+v, %v", code, err)
		}
		if a, err = w.svc.CheckIn(ctx, w.staff[1], " "+code.Code[:3]+"-"+code.Code[3:]+" "); err != nil || a.Method != "code" {
			t.Fatalf("check in = %+v, %v", a, err)
		}
		_, err = w.svc.CheckIn(ctx, w.staff[1], code.Code)
		wantCode(t, err, errs.Conflict, "a code used again")
		_, err = w.svc.CheckIn(ctx, w.staff[0], code.Code)
		wantCode(t, err, errs.Conflict, "checking in when already marked")
		_, err = w.svc.CheckIn(ctx, outsider, code.Code)
		wantCode(t, err, errs.Invalid, "checking in without a place")
		_, err = w.svc.CheckIn(ctx, w.staff[2], "ZZZZZZ")
		wantCode(t, err, errs.Invalid, "an unknown code")
		if _, err := d.W.Exec(`UPDATE session_codes SET expires_at = $1`, time.Now().UTC().Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.CheckIn(ctx, w.staff[2], code.Code)
		wantCode(t, err, errs.Invalid, "an expired code")

		roster, err := w.svc.Enrolments(ctx, w.trainer, e)
		if err != nil || len(roster.People) != 3 {
			t.Fatalf("roster = %d, %v", len(roster.People), err)
		}
		first := roster.People[0]
		if first.EmployeeName != "Nur'aini Dottoro'ta" {
			t.Errorf("first by name = %q", first.EmployeeName)
		}
		_, err = w.svc.SetScores(ctx, w.trainer, first.ID, training.ScoresInput{PreScore: ptr(101)})
		wantCode(t, err, errs.Invalid, "a score above 100")
		n, err := w.svc.SetScores(ctx, w.trainer, first.ID, training.ScoresInput{PreScore: ptr(40), PostScore: ptr(85)})
		if err != nil || n.Gain == nil || *n.Gain != 45 {
			t.Fatalf("scores = %+v, %v", n, err)
		}
		if g := training.LearningGain([]training.Enrolment{n}); g.N != 1 || g.Relative != 0.75 {
			t.Errorf("learning gain = %+v, want relative 0.75", g)
		}
		// The reaction: only by those who attended, ratings 1..5.
		wantCode(t, w.svc.Evaluate(ctx, w.staff[2], e.ID, training.EvaluationInput{Relevance: 5, Content: 5, Trainer: 5,
			Usefulness: 5}), errs.Conflict, "evaluating before attending")
		wantCode(t, w.svc.Evaluate(ctx, w.staff[0], e.ID, training.EvaluationInput{Relevance: 6, Content: 5, Trainer: 5,
			Usefulness: 5}), errs.Invalid, "a rating of 6")
		if err := w.svc.Evaluate(ctx, w.staff[0], e.ID, training.EvaluationInput{Relevance: 5, Content: 4, Trainer: 5,
			Usefulness: 4, Comment: "Sangat berguna, Daeng!"}); err != nil {
			t.Fatal(err)
		}
		// One answer is not shown: the trainer would know whose it is.
		r, err := w.svc.Reaction(ctx, w.trainer, e.ID)
		if err != nil || r.N != 1 || !r.TooFew || r.Content != 0 || len(r.Comments) != 0 {
			t.Fatalf("reaction of one answer = %+v, %v; want only its count", r, err)
		}

		done, err := w.svc.Finish(ctx, w.trainer, e.ID)
		if err != nil || done.Completed != 2 || done.NotCompleted != 1 {
			t.Fatalf("finish = %+v, %v; want 2 completed, 1 not", done, err)
		}
		_, err = w.svc.Finish(ctx, w.trainer, e.ID)
		wantCode(t, err, errs.Conflict, "finishing twice")
		_, err = w.svc.Mark(ctx, w.trainer, session, training.AttendanceInput{EmployeeID: w.staff[2].EmployeeID})
		wantCode(t, err, errs.Conflict, "marking after the finish")
		var jp, evidence, score int
		if err := d.R.QueryRow(`SELECT COALESCE(SUM(jp), 0) FROM learning_records WHERE event_id = $1`, e.ID).Scan(&jp); err != nil {
			t.Fatal(err)
		}
		if jp != 32 {
			t.Errorf("JP recorded = %d, want 2 × 16", jp)
		}
		if err := d.R.QueryRow(`SELECT COUNT(*), COALESCE(MAX(score), 0) FROM competency_assessments WHERE competency_id = $1
			AND source = 'session' AND level = 2 AND evidence_ref = $2`, w.comp, fmt.Sprint(e.ID)).Scan(&evidence, &score); err != nil {
			t.Fatal(err)
		}
		if evidence != 2 || score != 85 {
			t.Errorf("evidence rows = %d (score %d), want 2 with the post-test 85", evidence, score)
		}
	})
}

func TestTheReminderIsSentOnceADayAhead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 2)
		ctx := context.Background()
		e := w.event(t, 5, time.Now().Add(20*time.Hour), nil)
		w.event(t, 5, time.Now().Add(72*time.Hour), nil) // too far ahead
		for _, p := range w.staff {
			if _, err := w.svc.Enrol(ctx, w.trainer, e.ID, p.EmployeeID); err != nil {
				t.Fatal(err)
			}
		}
		for i, want := range []int{1, 0} {
			n, err := w.svc.Remind(ctx, time.Now())
			if err != nil || n != want {
				t.Fatalf("run %d reminded of %d events (%v), want %d", i, n, err, want)
			}
		}
		var told int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM notifications WHERE kind = 'training.soon'`).Scan(&told); err != nil {
			t.Fatal(err)
		}
		if told != 3 {
			t.Errorf("reminders = %d, want the two participants and the trainer", told)
		}
	})
}

func TestCancellingAnEventTellsEveryone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 3)
		ctx := context.Background()
		e := w.event(t, 2, time.Now().Add(72*time.Hour), nil)
		for _, p := range w.staff {
			if _, err := w.svc.Enrol(ctx, w.trainer, e.ID, p.EmployeeID); err != nil {
				t.Fatal(err)
			}
		}
		wantCode(t, w.svc.CancelEvent(ctx, w.staff[0], e.ID), errs.Forbidden, "a participant cancelling the event")
		if err := w.svc.CancelEvent(ctx, w.trainer, e.ID); err != nil {
			t.Fatal(err)
		}
		var told int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM notifications WHERE kind = 'training.event_cancelled'`).Scan(&told); err != nil {
			t.Fatal(err)
		}
		if told != 4 {
			t.Errorf("told = %d, want 3 people (2 seated, 1 in line) and the trainer", told)
		}
		_, err := w.svc.Enrol(ctx, w.trainer, e.ID, w.admin.EmployeeID)
		wantCode(t, err, errs.Conflict, "enrolling in a cancelled event")
		cal, err := w.svc.Calendar(ctx, w.staff[0], e.ID, "")
		if err != nil || !strings.Contains(string(cal), "STATUS:CANCELLED") {
			t.Errorf("calendar of a cancelled event: %v\n%s", err, cal)
		}
	})
}

func ptr(i int) *int { return &i }
