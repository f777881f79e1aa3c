package ledger_test

import (
	"context"
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
