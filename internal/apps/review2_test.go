package apps

import (
	"context"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
)

func TestAppNameRefusesControlCharacters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", "dinas")
		_, err := s.CreateApp(ctx, system, AppInput{Name: "\u202e\u0007bell", Slug: "bell", OwnerAgencyID: dinkes})
		if got := fieldKeys(t, err, errs.Invalid)["name"]; got != "text.plain" {
			t.Errorf("create: key %q, want text.plain", got)
		}
		a, err := s.CreateApp(ctx, system, AppInput{Name: "Dottoro'ta Ä", OwnerAgencyID: dinkes})
		if err != nil || a.Name != "Dottoro'ta Ä" {
			t.Fatalf("plain name: %+v, %v", a, err)
		}
		_, err = s.UpdateApp(ctx, system, a.ID, AppPatch{Name: str("Dottoro\u2066ta")})
		if got := fieldKeys(t, err, errs.Invalid)["name"]; got != "text.plain" {
			t.Errorf("update: key %q, want text.plain", got)
		}
		_, err = s.UpdateApp(ctx, system, a.ID, AppPatch{Slug: str("bell\u0007")})
		if got := fieldKeys(t, err, errs.Invalid)["slug"]; got != "app.slug" {
			t.Errorf("slug: key %q, want app.slug", got)
		}
	})
}

func TestInactiveOperatorsAreNotListedNorAdded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", "dinas")
		app, err := s.CreateApp(ctx, system, AppInput{Name: "Dottoro'ta", OwnerAgencyID: dinkes})
		if err != nil {
			t.Fatal(err)
		}
		leaver, leaverAcc := dbtest.Person(t, d, dinkes, "Nur'aini", "nur@x.id")
		_, lockedAcc := dbtest.Person(t, d, dinkes, "Andi", "andi@x.id")
		_, stayAcc := dbtest.Person(t, d, dinkes, "Besse", "besse@x.id")
		for _, acc := range []int64{leaverAcc, lockedAcc, stayAcc} {
			if err := s.AddOperator(ctx, system, app.ID, dinkes, acc); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := d.W.Exec(`UPDATE employees SET active = FALSE, end_reason = 'retired' WHERE id = $1`, leaver); err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.Exec(`UPDATE accounts SET active = FALSE WHERE id = $1`, lockedAcc); err != nil {
			t.Fatal(err)
		}
		groups, err := s.ListOperators(ctx, app.ID)
		if err != nil || len(groups) != 1 || len(groups[0].Operators) != 1 || groups[0].Operators[0].AccountID != stayAcc {
			t.Errorf("operators %+v, %v; want only Besse", groups, err)
		}
		got, err := s.GetApp(ctx, app.ID)
		if err != nil || len(got.Operators) != 1 {
			t.Errorf("app operators %+v, %v", got.Operators, err)
		}
		for _, acc := range []int64{leaverAcc, lockedAcc} {
			if list, err := s.AppsOperatedBy(ctx, acc); err != nil || len(list) != 0 {
				t.Errorf("account %d still operates %+v, %v", acc, list, err)
			}
		}
		if list, err := s.AppsOperatedBy(ctx, stayAcc); err != nil || len(list) != 1 {
			t.Errorf("active operator operates %+v, %v", list, err)
		}
		other, err := s.CreateApp(ctx, system, AppInput{Name: "SIMPEG", OwnerAgencyID: dinkes})
		if err != nil {
			t.Fatal(err)
		}
		for _, acc := range []int64{leaverAcc, lockedAcc} {
			err := s.AddOperator(ctx, system, other.ID, dinkes, acc)
			if got := fieldKeys(t, err, errs.Invalid)["account_id"]; got != "app.account_inactive" {
				t.Errorf("account %d: key %q, want app.account_inactive", acc, got)
			}
		}
		var n int
		if err := d.R.QueryRow(`SELECT count(*) FROM role_grants WHERE app_id = $1`, other.ID).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d grants on the refused app, %v", n, err)
		}
	})
}

func TestOperatorsWorkForAgenciesThatRunTheApp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", "dinas")
		disdik := dbtest.Agency(t, d, "DISDIK", "Dinas Pendidikan", "dinas")
		dishub := dbtest.Agency(t, d, "DISHUB", "Dinas Perhubungan", "dinas")
		app, err := s.CreateApp(ctx, system, AppInput{Name: "Dottoro'ta", OwnerAgencyID: dinkes})
		if err != nil {
			t.Fatal(err)
		}
		_, owner := dbtest.Person(t, d, dinkes, "Besse", "besse@x.id")
		_, teacher := dbtest.Person(t, d, disdik, "Nur'aini", "nur@x.id")
		_, driver := dbtest.Person(t, d, dishub, "Andi", "andi@x.id")

		err = s.AddOperator(ctx, adminOf(disdik), app.ID, disdik, teacher)
		if got := fieldKeys(t, err, errs.Invalid)["agency_id"]; got != "app.agency_not_user" {
			t.Errorf("agency that does not use the app: key %q", got)
		}
		if err := s.SetUsers(ctx, system, app.ID, []int64{disdik, dishub}); err != nil {
			t.Fatal(err)
		}
		if err := s.AddOperator(ctx, adminOf(dinkes), app.ID, dinkes, owner); err != nil {
			t.Errorf("owner's operator: %v", err)
		}
		if err := s.AddOperator(ctx, adminOf(disdik), app.ID, disdik, teacher); err != nil {
			t.Errorf("user agency's operator: %v", err)
		}
		if err := s.AddOperator(ctx, adminOf(dishub), app.ID, dishub, driver); err != nil {
			t.Errorf("user agency's operator: %v", err)
		}

		// DISDIK stops using it: its operator goes, with an audit entry; the owner's stays.
		if err := s.SetUsers(ctx, system, app.ID, []int64{dishub}); err != nil {
			t.Fatal(err)
		}
		if got := operatorAccounts(t, d, app.ID); len(got) != 2 || !got[owner] || !got[driver] {
			t.Errorf("operators after shrinking %v, want owner and DISHUB's", got)
		}
		var n int
		if err := d.R.QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'revoke' AND entity = 'app_operator'
			AND agency_id = $1`, disdik).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d revoke entries for DISDIK, %v", n, err)
		}

		// A new owner: the old one's operators go unless it uses the app.
		if _, err := s.UpdateApp(ctx, system, app.ID, AppPatch{OwnerAgencyID: &dishub}); err != nil {
			t.Fatal(err)
		}
		if got := operatorAccounts(t, d, app.ID); len(got) != 1 || !got[driver] {
			t.Errorf("operators after the owner changed %v, want DISHUB's", got)
		}
	})
}

func operatorAccounts(t *testing.T, d *db.DB, appID int64) map[int64]bool {
	t.Helper()
	rows, err := d.R.Query(`SELECT account_id FROM role_grants WHERE role = 'operator' AND app_id = $1`, appID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	m := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		m[id] = true
	}
	return m
}
