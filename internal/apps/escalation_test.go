package apps

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
)

// simpus returns the service, Dinas Kesehatan and its application SIMPUS.
func simpus(t *testing.T, d *db.DB) (*Service, int64, App) {
	t.Helper()
	s := NewService(d)
	dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", "dinas")
	a, err := s.CreateApp(context.Background(), system, AppInput{Name: "SIMPUS", OwnerAgencyID: dinkes})
	if err != nil {
		t.Fatal(err)
	}
	return s, dinkes, a
}

// TestOperatorsOnlyForOrdinaryAccounts: naming or removing an operator
// changes that account's roles, so an agency admin does it only for people
// whose roles are everyday roles of the admin's agency, as for any other
// role (review finding C1); the superadmin for anyone.
func TestOperatorsOnlyForOrdinaryAccounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, dinkes, a := simpus(t, d)
		_, head := dbtest.Person(t, d, dinkes, "Kepala Dinas", "kadis@makassarkota.go.id")
		dbtest.Grant(t, d, head, "agency_head", dinkes)
		_, staff := dbtest.Person(t, d, dinkes, "Dottoro'ta", "staf@makassarkota.go.id")
		dbtest.Grant(t, d, staff, "employee", dinkes)

		if err := s.AddOperator(ctx, adminOf(dinkes), a.ID, dinkes, head); !errs.Is(err, errs.Forbidden) {
			t.Errorf("admin makes the head an operator: %v", err)
		}
		if err := s.AddOperator(ctx, system, a.ID, dinkes, head); err != nil {
			t.Fatalf("the superadmin makes the head an operator: %v", err)
		}
		if err := s.RemoveOperator(ctx, adminOf(dinkes), a.ID, dinkes, head); !errs.Is(err, errs.Forbidden) {
			t.Errorf("admin removes the head as operator: %v", err)
		}
		if err := s.AddOperator(ctx, adminOf(dinkes), a.ID, dinkes, staff); err != nil {
			t.Errorf("admin names their staff: %v", err)
		}
		if err := s.RemoveOperator(ctx, adminOf(dinkes), a.ID, dinkes, staff); err != nil {
			t.Errorf("admin removes their staff: %v", err)
		}
		if n := auditCount(t, d, "app_operator"); n != 3 {
			t.Errorf("%d operator audit records, want 3", n)
		}
	})
}

// TestAnOperatorNamedTwiceAtOnceIsNamedOnce: the changes of an
// application's operators take turns on its row, so a naming that comes
// while the same is being made waits, finds it made and does nothing (a
// 500 on the role's key before).
func TestAnOperatorNamedTwiceAtOnceIsNamedOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, dinkes, a := simpus(t, d)
		_, staff := dbtest.Person(t, d, dinkes, "Dottoro'ta", "staf@makassarkota.go.id")
		dbtest.Grant(t, d, staff, "employee", dinkes)
		// The same naming, made and not yet committed.
		err := dbtest.Behind(t, d, []string{"apps", "role_grants"}, func(tx *sql.Tx) error {
			if _, err := tx.Exec(`UPDATE apps SET updated_at = updated_at WHERE id = $1`, a.ID); err != nil {
				return err
			}
			_, err := tx.Exec(`INSERT INTO role_grants (account_id, role, agency_id, app_id, created_at)
				VALUES ($1, 'operator', $2, $3, $4)`, staff, dinkes, a.ID, time.Now().UTC())
			return err
		}, func() error { return s.AddOperator(ctx, system, a.ID, dinkes, staff) })
		if err != nil {
			t.Errorf("a naming behind the same: %v", err)
		}
		var n int
		if err := d.R.QueryRow(`SELECT count(*) FROM role_grants WHERE account_id = $1 AND role = 'operator'`, staff).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d operator grants (%v), want 1", n, err)
		}
	})
}
