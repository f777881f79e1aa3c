package ledger_test

import (
	"context"
	"database/sql"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/ledger"
	"github.com/lontara-id/lontara/internal/policy"
)

func TestAModuleMarkedFinishedAtOnceFromTwoTabsCountsOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		agency := dbtest.Agency(t, d, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		person, account := dbtest.Person(t, d, agency, "Nur'aini", "nuraini@makassarkota.go.id")
		module, err := db.InsertID(ctx, d.W, `INSERT INTO activities (kind, title, jp, created_at, updated_at)
			VALUES ('self_study', 'Modul webmail', 2, $1, $1) RETURNING id`, time.Now().UTC())
		if err != nil {
			t.Fatal(err)
		}
		s := ledger.NewService(d, time.UTC)
		me := &policy.Actor{AccountID: account, EmployeeID: person, AgencyID: agency}
		var wg sync.WaitGroup
		results := make([]error, 8)
		for i := range results {
			wg.Go(func() {
				_, results[i] = s.Complete(ctx, me, module, ledger.Completion{Reflection: "Saya belajar menyaring surel dinas."})
			})
		}
		wg.Wait()
		done := 0
		for _, err := range results {
			switch {
			case err == nil:
				done++
			case !errs.Is(err, errs.Conflict):
				t.Errorf("a second completion: %v, want a conflict", err)
			}
		}
		var jp int
		if err := d.R.QueryRow(`SELECT COALESCE(SUM(jp), 0) FROM learning_records WHERE employee_id = $1`, person).Scan(&jp); err != nil {
			t.Fatal(err)
		}
		if done != 1 || jp != 2 {
			t.Errorf("%d completions, %d JP; want 1 and 2", done, jp)
		}
	})
}

func TestSelfStudyIsCappedOpenOnlyWhereOfferedAndNotCountedTwice(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		agency := dbtest.Agency(t, d, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		other := dbtest.Agency(t, d, "BAPENDA", "Badan Pendapatan Daerah", "badan")
		person, account := dbtest.Person(t, d, agency, "Nur'aini", "nuraini@makassarkota.go.id")
		module := func(title string, jp int, provider any) int64 {
			id, err := db.InsertID(ctx, d.W, `INSERT INTO activities (kind, title, jp, agency_id, created_at, updated_at)
				VALUES ('self_study', $1, $2, $3, $4, $4) RETURNING id`, title, jp, provider, time.Now().UTC())
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		big, closed, taught := module("Kursus daring 1000 JP", 1000, nil), module("Modul pajak daerah", 2, other), module("Modul SIPD", 4, nil)
		s := ledger.NewService(d, time.UTC)
		me := &policy.Actor{AccountID: account, EmployeeID: person, AgencyID: agency}
		in := ledger.Completion{Reflection: "Saya belajar menyusun anggaran yang rapi."}
		if m, err := s.Complete(ctx, me, big, in); err != nil || m.JP != ledger.MaxSelfStudyJP {
			t.Errorf("a 1000 JP module: %+v %v, want %d JP", m, err, ledger.MaxSelfStudyJP)
		}
		if _, err := s.Complete(ctx, me, closed, in); !errs.Is(err, errs.Forbidden) {
			t.Errorf("another agency's module: %v, want forbidden", err)
		}
		// The SIPD module was already learnt this year at an event running it.
		event := dbtest.Event(t, d, "Bimtek SIPD", 30, 4)
		if _, err := d.W.Exec(`UPDATE events SET activity_id = $1 WHERE id = $2`, taught, event); err != nil {
			t.Fatal(err)
		}
		if err := d.Tx(ctx, func(tx *sql.Tx) error {
			return ledger.Record(ctx, tx, ledger.Entry{EmployeeID: person, Kind: "bimtek", Title: "Bimtek SIPD", JP: 4,
				EventID: event, SourceKind: ledger.SourceEnrolment, SourceID: 1, CompletedAt: time.Now()})
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Complete(ctx, me, taught, in); !errs.Is(err, errs.Conflict) {
			t.Errorf("a module learnt at its event: %v, want a conflict", err)
		}
		var jp int
		if err := d.R.QueryRow(`SELECT COALESCE(SUM(jp), 0) FROM learning_records WHERE employee_id = $1`, person).Scan(&jp); err != nil {
			t.Fatal(err)
		}
		if jp != ledger.MaxSelfStudyJP+4 {
			t.Errorf("%d JP, want %d", jp, ledger.MaxSelfStudyJP+4)
		}
	})
}

func TestLearningDoneElsewhereSubmittedTwiceIsRecordedOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		agency := dbtest.Agency(t, d, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		person, _ := dbtest.Person(t, d, agency, "Dottoro'ta", "dottorota@makassarkota.go.id")
		s := ledger.NewService(d, time.UTC)
		admin := &policy.Actor{AccountID: 1, Grants: []policy.Grant{{Role: policy.AgencyAdmin, AgencyID: agency}}}
		in := ledger.External{Kind: "course", Title: "Pelatihan Kepemimpinan Pengawas", Provider: "BPSDM Sulsel", JP: 40,
			CompletedOn: time.Now().AddDate(0, 0, -3).Format(time.DateOnly)}
		if _, err := s.RecordExternal(ctx, admin, person, in); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RecordExternal(ctx, admin, person, in); !errs.Is(err, errs.Conflict) {
			t.Errorf("the same record again: %v, want a conflict", err)
		}
	})
}
