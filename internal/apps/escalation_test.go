package apps

import (
	"context"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
)

// TestOperatorsOnlyForOrdinaryAccounts: naming or removing an operator
// changes that account's roles, so an agency admin does it only for people
// whose roles are everyday roles of the admin's agency, as for any other
// role (review finding C1); the superadmin for anyone.
func TestOperatorsOnlyForOrdinaryAccounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", "dinas")
		a, err := s.CreateApp(ctx, system, AppInput{Name: "SIMPUS", OwnerAgencyID: dinkes})
		if err != nil {
			t.Fatal(err)
		}
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
