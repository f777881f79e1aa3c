package training_test

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/training"
)

// An event that ran in December and is finished in Lontara in the new
// year counts in December's year: the ledger and the evidence are dated
// when it ended, not when the organizer clicked Finish.
func TestADecemberEventFinishedInJanuaryCountsInDecember(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 1)
		ctx := context.Background()
		december := time.Date(time.Now().Year()-1, 12, 15, 1, 0, 0, 0, time.UTC)
		e := w.event(t, 5, december, func(in *training.EventInput) { in.NeedsApproval = new(bool) })
		if _, err := w.svc.Enrol(ctx, w.trainer, e.ID, w.staff[0].EmployeeID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Mark(ctx, w.trainer, e.Sessions[0].ID, training.AttendanceInput{EmployeeID: w.staff[0].EmployeeID}); err != nil {
			t.Fatal(err)
		}
		if done, err := w.svc.Finish(ctx, w.trainer, e.ID); err != nil || done.Completed != 1 {
			t.Fatalf("finish = %+v, %v", done, err)
		}
		var at time.Time
		if err := d.R.QueryRow(`SELECT completed_at FROM learning_records WHERE employee_id = $1`, w.staff[0].EmployeeID).
			Scan(&at); err != nil {
			t.Fatal(err)
		}
		if want := december.Add(8 * time.Hour); !at.UTC().Equal(want) {
			t.Errorf("JP dated %v, want the event's end %v", at.UTC(), want)
		}
		var assessed time.Time
		if err := d.R.QueryRow(`SELECT assessed_at FROM competency_assessments WHERE employee_id = $1`, w.staff[0].EmployeeID).
			Scan(&assessed); err != nil {
			t.Fatal(err)
		}
		if assessed.UTC().Year() != december.Year() {
			t.Errorf("evidence dated %v, want in %d", assessed.UTC(), december.Year())
		}
	})
}
