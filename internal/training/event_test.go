package training_test

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/training"
)

func TestMoreSeatsServeTheWaitlistAndFewerThanTakenAreRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 4)
		ctx := context.Background()
		e := w.event(t, 2, time.Now().Add(72*time.Hour), nil)
		for _, p := range w.staff {
			if _, err := w.svc.Enrol(ctx, w.trainer, e.ID, p.EmployeeID); err != nil {
				t.Fatal(err)
			}
		}
		in := training.EventInput{Title: e.Title, Kind: e.Kind, Capacity: 1, JP: e.JP, Place: e.Place,
			Competencies: e.Competencies, Trainers: []int64{w.trainer.AccountID}}
		_, err := w.svc.UpdateEvent(ctx, w.trainer, e.ID, in)
		wantCode(t, err, errs.Invalid, "fewer seats than taken")
		in.Capacity = 3
		e, err = w.svc.UpdateEvent(ctx, w.trainer, e.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if e.Enrolled != 3 || e.Waitlisted != 1 {
			t.Errorf("after one more seat: %d enrolled, %d waitlisted; want 3 and 1", e.Enrolled, e.Waitlisted)
		}
		wantCode(t, func() error { _, err := w.svc.UpdateEvent(ctx, w.staff[0], e.ID, in); return err }(), errs.Forbidden,
			"a participant changing the event")
	})
}

func TestSessionsCanBeAddedAndRemovedButNotTheLastOrAnAttendedOne(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 1)
		ctx := context.Background()
		start := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
		e := w.event(t, 5, start, nil)
		wantCode(t, w.svc.RemoveSession(ctx, w.trainer, e.Sessions[0].ID), errs.Conflict, "removing the only session")
		next := start.Add(24 * time.Hour)
		_, err := w.svc.AddSession(ctx, w.trainer, e.ID, training.SessionInput{StartsAt: next, EndsAt: next.Add(-time.Hour)})
		wantCode(t, err, errs.Invalid, "a session ending before it starts")
		ss, err := w.svc.AddSession(ctx, w.trainer, e.ID, training.SessionInput{StartsAt: next, EndsAt: next.Add(4 * time.Hour),
			Place: "Lab Komputer"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := w.svc.Event(ctx, w.trainer, e.ID)
		if err != nil || len(got.Sessions) != 2 || !got.EndsAt.Equal(next.Add(4*time.Hour)) {
			t.Fatalf("after adding: %d sessions, ends %v (%v)", len(got.Sessions), got.EndsAt, err)
		}
		if _, err := w.svc.Enrol(ctx, w.trainer, e.ID, w.staff[0].EmployeeID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Mark(ctx, w.trainer, e.Sessions[0].ID, training.AttendanceInput{EmployeeID: w.staff[0].EmployeeID}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, w.svc.RemoveSession(ctx, w.trainer, e.Sessions[0].ID), errs.Conflict, "removing an attended session")
		if err := w.svc.RemoveSession(ctx, w.trainer, ss.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ = w.svc.Event(ctx, w.trainer, e.ID); len(got.Sessions) != 1 || !got.EndsAt.Equal(start.Add(8*time.Hour)) {
			t.Errorf("after removing: %d sessions, ends %v", len(got.Sessions), got.EndsAt)
		}
	})
}
