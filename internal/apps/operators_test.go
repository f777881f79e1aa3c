package apps

import (
	"context"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
)

func TestListApps(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		kominfo := dbtest.Agency(t, d, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", "dinas")
		names := []string{"Webmail", "E-Attendance", "SIMPEG", "SIPD", "Event Online"}
		for _, n := range names {
			if _, err := s.CreateApp(ctx, system, AppInput{Name: n, OwnerAgencyID: kominfo, Status: "active"}); err != nil {
				t.Fatal(err)
			}
		}
		dot, err := s.CreateApp(ctx, system, AppInput{Name: "Dottoro'ta", OwnerAgencyID: dinkes})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetUsers(ctx, system, dot.ID, []int64{kominfo, dinkes}); err != nil {
			t.Fatal(err)
		}

		var seen []string
		page := db.Page{Limit: 2}
		for range 10 {
			list, next, err := s.ListApps(ctx, AppFilter{}, page)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range list {
				seen = append(seen, a.Name)
			}
			if next == "" {
				break
			}
			page.After = next
		}
		want := []string{"Dottoro'ta", "E-Attendance", "Event Online", "SIMPEG", "SIPD", "Webmail"}
		if len(seen) != len(want) {
			t.Fatalf("paged %v, want %v", seen, want)
		}
		for i := range want {
			if seen[i] != want[i] {
				t.Errorf("row %d: %q, want %q", i, seen[i], want[i])
			}
		}
		filters := map[string]struct {
			f    AppFilter
			want int
		}{
			"owner":  {AppFilter{OwnerAgencyID: &dinkes}, 1},
			"usedBy": {AppFilter{UsedByAgencyID: &kominfo}, 1},
			"status": {AppFilter{Status: str("active")}, 5},
			"query":  {AppFilter{Query: str("dottoro'")}, 1},
			"none":   {AppFilter{Query: str("%")}, 0},
		}
		for name, c := range filters {
			list, _, err := s.ListApps(ctx, c.f, db.Page{})
			if err != nil || len(list) != c.want {
				t.Errorf("%s: %d apps, %v; want %d", name, len(list), err, c.want)
			}
		}
		if _, _, err := s.ListApps(ctx, AppFilter{Status: str("gone")}, db.Page{}); !errs.Is(err, errs.Invalid) {
			t.Errorf("unknown status: %v", err)
		}
		if _, _, err := s.ListApps(ctx, AppFilter{}, db.Page{After: "!!"}); !errs.Is(err, errs.Invalid) {
			t.Errorf("bad cursor: %v", err)
		}
		got, err := s.GetApp(ctx, dot.ID)
		if err != nil || len(got.UsedBy) != 2 || got.UsedBy[0].Name != "Dinas Kesehatan" {
			t.Errorf("used by %+v, %v", got.UsedBy, err)
		}
	})
}

func TestSetUsers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		kominfo := dbtest.Agency(t, d, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", "dinas")
		a, err := s.CreateApp(ctx, system, AppInput{Name: "Webmail", OwnerAgencyID: kominfo})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetUsers(ctx, adminOf(dinkes), a.ID, []int64{dinkes}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("other agency's admin: %v, want forbidden", err)
		}
		err = s.SetUsers(ctx, system, a.ID, []int64{dinkes, 9999})
		if f := fieldKeys(t, err, errs.Invalid); f["agency_ids"] != "agency.unknown" {
			t.Errorf("fields %v", f)
		}
		if err := s.SetUsers(ctx, adminOf(kominfo), a.ID, []int64{dinkes, kominfo, dinkes}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetUsers(ctx, expert(), a.ID, []int64{dinkes}); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetApp(ctx, a.ID)
		if err != nil || len(got.UsedBy) != 1 || got.UsedBy[0].ID != dinkes {
			t.Errorf("used by %+v, %v", got.UsedBy, err)
		}
	})
}

func TestOperators(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		kominfo := dbtest.Agency(t, d, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", "dinas")
		a, err := s.CreateApp(ctx, system, AppInput{Name: "SIMPEG", OwnerAgencyID: kominfo})
		if err != nil {
			t.Fatal(err)
		}
		nurEmp, nur := dbtest.Person(t, d, dinkes, "Nur'aini Daeng Ngai", "nuraini@makassarkota.go.id")
		_, andi := dbtest.Person(t, d, kominfo, "Andi Baso", "andi.baso@makassarkota.go.id")
		// Operators work only for agencies that run the application.
		if err := s.SetUsers(ctx, system, a.ID, []int64{dinkes}); err != nil {
			t.Fatal(err)
		}

		t.Run("OK", func(t *testing.T) {
			if err := s.AddOperator(ctx, adminOf(dinkes), a.ID, dinkes, nur); err != nil {
				t.Fatal(err)
			}
			if err := s.AddOperator(ctx, adminOf(dinkes), a.ID, dinkes, nur); err != nil {
				t.Fatalf("adding again: %v", err)
			}
			if err := s.AddOperator(ctx, system, a.ID, kominfo, andi); err != nil {
				t.Fatal(err)
			}
			groups, err := s.ListOperators(ctx, a.ID)
			if err != nil || len(groups) != 2 || groups[0].AgencyName != "Dinas Kesehatan" ||
				groups[0].Operators[0].Name != "Nur'aini Daeng Ngai" || groups[0].Operators[0].EmployeeID != nurEmp {
				t.Errorf("groups %+v, %v", groups, err)
			}
			got, err := s.GetApp(ctx, a.ID)
			if err != nil || len(got.Operators) != 2 {
				t.Errorf("operators %+v, %v", got.Operators, err)
			}
			ops, err := s.AppsOperatedBy(ctx, nur)
			if err != nil || len(ops) != 1 || ops[0].ID != a.ID {
				t.Errorf("operated by: %+v, %v", ops, err)
			}
			if auditCount(t, d, "app_operator") != 2 {
				t.Error("operators not audited once each")
			}
		})
		t.Run("ErrWrongAgency", func(t *testing.T) {
			err := s.AddOperator(ctx, system, a.ID, dinkes, andi)
			if f := fieldKeys(t, err, errs.Invalid); f["account_id"] != "app.operator_agency" {
				t.Errorf("fields %v", f)
			}
		})
		t.Run("ErrUnknown", func(t *testing.T) {
			if f := fieldKeys(t, s.AddOperator(ctx, system, a.ID, 9999, andi), errs.Invalid); f["agency_id"] != "agency.unknown" {
				t.Errorf("fields %v", f)
			}
			if f := fieldKeys(t, s.AddOperator(ctx, system, a.ID, kominfo, 9999), errs.Invalid); f["account_id"] != "app.account_unknown" {
				t.Errorf("fields %v", f)
			}
			if err := s.AddOperator(ctx, system, 9999, kominfo, andi); !errs.Is(err, errs.NotFound) {
				t.Errorf("unknown app: %v", err)
			}
		})
		t.Run("ErrOtherAgencyAdmin", func(t *testing.T) {
			if err := s.AddOperator(ctx, adminOf(kominfo), a.ID, dinkes, nur); !errs.Is(err, errs.Forbidden) {
				t.Errorf("got %v, want forbidden", err)
			}
			if err := s.AddOperator(ctx, expert(), a.ID, dinkes, nur); !errs.Is(err, errs.Forbidden) {
				t.Errorf("expert naming operators: %v, want forbidden", err)
			}
		})
		t.Run("Remove", func(t *testing.T) {
			if err := s.RemoveOperator(ctx, adminOf(dinkes), a.ID, dinkes, nur); err != nil {
				t.Fatal(err)
			}
			if err := s.RemoveOperator(ctx, adminOf(dinkes), a.ID, dinkes, nur); !errs.Is(err, errs.NotFound) {
				t.Errorf("removing again: %v, want not found", err)
			}
			if ops, err := s.AppsOperatedBy(ctx, nur); err != nil || len(ops) != 0 {
				t.Errorf("still operates %+v, %v", ops, err)
			}
		})
	})
}
