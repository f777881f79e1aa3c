package training_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/training"
)

// benchEvent is a city bimtek running now with n participants holding a
// seat, half of them marked present.
func benchEvent(b *testing.B, d *db.DB, n int) (*world, training.Event) {
	b.Helper()
	ctx := context.Background()
	w := &world{d: d, svc: training.NewService(d, time.UTC)}
	w.dinkes = dbtest.Agency(b, d, "DINKES", "Dinas Kesehatan", "dinas")
	w.kominfo = dbtest.Agency(b, d, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
	w.trainer = personB(b, d, w.kominfo, "Daeng Pelatih", "pelatih@kominfo.test")
	dbtest.Competency(b, d, "sipd.operasi", "Mengoperasikan SIPD")
	start := time.Now().Add(-time.Hour)
	e, err := w.svc.CreateEvent(ctx, w.trainer, training.EventInput{Title: "Bimtek SIPD", Kind: "bimtek", StartsAt: start,
		EndsAt: start.Add(8 * time.Hour), Capacity: n, JP: 16,
		Competencies: []training.CompetencyLevel{{Code: "sipd.operasi", Level: 2}}})
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		emp, _ := dbtest.Person(b, d, w.dinkes, fmt.Sprintf("Pegawai %04d", i), fmt.Sprintf("p%d@dinkes.test", i))
		if _, err := w.svc.Enrol(ctx, w.trainer, e.ID, emp); err != nil {
			b.Fatal(err)
		}
		if i%2 == 0 {
			if _, err := w.svc.Mark(ctx, w.trainer, e.Sessions[0].ID, training.AttendanceInput{EmployeeID: emp}); err != nil {
				b.Fatal(err)
			}
		}
	}
	return w, e
}

// BenchmarkSheet500 reads the attendance sheet of a session of 500
// participants, as the trainer's phone does after every tap.
func BenchmarkSheet500(b *testing.B) {
	d := dbtest.SQLite(b)
	w, e := benchEvent(b, d, 500)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		sh, err := w.svc.Sheet(ctx, w.trainer, e.Sessions[0].ID)
		if err != nil || len(sh.Rows) != 500 || sh.Present != 250 {
			b.Fatalf("sheet: %d rows, %d present, %v", len(sh.Rows), sh.Present, err)
		}
	}
}

// BenchmarkFinish500 finishes an event of 500 participants (250 complete:
// a ledger record and evidence each), in one transaction.
func BenchmarkFinish500(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		d := dbtest.SQLite(b)
		w, e := benchEvent(b, d, 500)
		b.StartTimer()
		done, err := w.svc.Finish(context.Background(), w.trainer, e.ID)
		if err != nil || done.Completed != 250 {
			b.Fatalf("finish: %+v, %v", done, err)
		}
	}
}
