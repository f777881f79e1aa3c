package auth

import (
	"context"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
)

func TestCreateUser(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		t.Run("NewPerson", func(t *testing.T) {
			res, err := f.s.CreateUser(ctx, cli, UserInput{Email: " Nuraini@Makassarkota.go.id ", Name: "Nur'aini Dottoro'ta Ä",
				Role: policy.AgencyAdmin, AgencyCode: "DISKES", Password: testPassword})
			if err != nil {
				t.Fatal(err)
			}
			if !res.NewPerson || !res.NewAccount || !res.NewGrant || res.AgencyID != f.ag["DISKES"] {
				t.Fatalf("result %+v", res)
			}
			a := f.actor(t, res.AccountID)
			if a.Name != "Nur'aini Dottoro'ta Ä" || a.Email != "nuraini@makassarkota.go.id" || a.AgencyID != f.ag["DISKES"] {
				t.Errorf("actor %+v", a)
			}
			if len(a.Grants) != 1 || a.Grants[0] != (policy.Grant{Role: policy.AgencyAdmin, AgencyID: f.ag["DISKES"]}) {
				t.Errorf("grants %+v", a.Grants)
			}
		})
		t.Run("ExistingEmailAddsRole", func(t *testing.T) {
			first := f.user(t, "budi@makassarkota.go.id", policy.Employee, "diskes")
			res, err := f.s.CreateUser(ctx, cli, UserInput{Email: "BUDI@makassarkota.go.id", Role: policy.Trainer, AgencyCode: "DISDIK"})
			if err != nil {
				t.Fatal(err)
			}
			if res.NewPerson || res.NewAccount || !res.NewGrant || res.AccountID != first.AccountID {
				t.Fatalf("result %+v", res)
			}
			again, err := f.s.CreateUser(ctx, cli, UserInput{Email: "budi@makassarkota.go.id", Role: policy.Trainer, AgencyCode: "DISDIK"})
			if err != nil || again.NewGrant {
				t.Fatalf("granting a held role again: %+v, %v", again, err)
			}
			if g := f.actor(t, first.AccountID).Grants; len(g) != 2 || g[1] != (policy.Grant{Role: policy.Trainer, AgencyID: f.ag["DISDIK"]}) {
				t.Errorf("grants %+v", g)
			}
		})
		t.Run("PersonWithoutAccount", func(t *testing.T) {
			e, err := org.NewService(d).CreateEmployee(ctx, cli, org.EmployeeInput{AgencyID: f.ag["DISDIK"],
				Name: "Citra", Email: "citra@makassarkota.go.id", EmploymentType: org.EmploymentContract})
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.s.CreateUser(ctx, cli, UserInput{Email: "citra@makassarkota.go.id", Role: policy.Employee, AgencyCode: "DISDIK"})
			wantErr(t, err, errs.Invalid, "password")
			res, err := f.s.CreateUser(ctx, cli, UserInput{Email: "citra@makassarkota.go.id", Role: policy.Employee,
				AgencyCode: "DISDIK", Password: testPassword})
			if err != nil || res.NewPerson || !res.NewAccount || res.EmployeeID != e.ID {
				t.Fatalf("result %+v, %v", res, err)
			}
		})
		t.Run("AgencyRequiredForAgencyRoles", func(t *testing.T) {
			_, err := f.s.CreateUser(ctx, cli, UserInput{Email: "dewi@makassarkota.go.id", Name: "Dewi", Role: policy.Operator, Password: testPassword})
			wantErr(t, err, errs.Invalid, "agency")
			_, err = f.s.CreateUser(ctx, cli, UserInput{Email: "dewi@makassarkota.go.id", Name: "Dewi", Role: policy.Operator,
				AgencyCode: "NOPE", Password: testPassword})
			wantErr(t, err, errs.Invalid, "agency")
		})
		t.Run("CityWideIgnoresAgency", func(t *testing.T) {
			res := f.user(t, "eka@makassarkota.go.id", policy.Expert, "DISDIK")
			if res.Grant != (policy.Grant{Role: policy.Expert}) || res.AgencyID != f.ag["DISDIK"] {
				t.Fatalf("result %+v: want a city-wide grant, person placed in DISDIK", res)
			}
			res = f.user(t, "fajar@makassarkota.go.id", policy.Superadmin, "")
			kominfo, err := agencyIDByCode(ctx, d.R, CityAgencyCode)
			if err != nil || res.AgencyID != kominfo || res.Grant != (policy.Grant{Role: policy.Superadmin}) {
				t.Fatalf("result %+v, KOMINFO %d %v", res, kominfo, err)
			}
			if again := f.user(t, "gita@makassarkota.go.id", policy.Agent, "UNKNOWN"); again.AgencyID != kominfo {
				t.Errorf("a second city-wide person went to agency %d, want KOMINFO %d", again.AgencyID, kominfo)
			}
		})
		t.Run("BadInput", func(t *testing.T) {
			for _, c := range []struct {
				in    UserInput
				code  errs.Code
				field string
			}{
				{UserInput{Email: "", Name: "X", Role: policy.Employee, AgencyCode: "DISKES", Password: testPassword}, errs.Invalid, "email"},
				{UserInput{Email: "not-an-email", Name: "X", Role: policy.Employee, AgencyCode: "DISKES", Password: testPassword}, errs.Invalid, "email"},
				{UserInput{Email: "h@x.id", Name: "X", Role: "king", AgencyCode: "DISKES", Password: testPassword}, errs.Invalid, "role"},
				{UserInput{Email: "h@x.id", Name: "X", Role: policy.Employee, AgencyCode: "DISKES", Password: "short"}, errs.Invalid, "password"},
				{UserInput{Email: "h@x.id", Name: "", Role: policy.Employee, AgencyCode: "DISKES", Password: testPassword}, errs.Invalid, "name"},
				{UserInput{Email: "h@x.id", Name: "X", Role: policy.Employee, AgencyCode: "DISKES", Password: testPassword, NIP: "123"}, errs.Invalid, "nip"},
				{UserInput{Email: "h@x.id", Name: "X", Role: policy.Employee, AgencyCode: "DISKES", AppSlug: "sipd", Password: testPassword}, errs.Invalid, "app"},
				{UserInput{Email: "h@x.id", Name: "X", Role: policy.Operator, AgencyCode: "DISKES", AppSlug: "nope", Password: testPassword}, errs.Invalid, "app"},
			} {
				_, err := f.s.CreateUser(ctx, cli, c.in)
				wantErr(t, err, c.code, c.field)
			}
			var n int
			if err := d.R.QueryRow(`SELECT count(*) FROM employees WHERE email = 'h@x.id'`).Scan(&n); err != nil || n != 0 {
				t.Errorf("a refused user left %d people behind (%v)", n, err)
			}
		})
		t.Run("DuplicateNIP", func(t *testing.T) {
			nip := "198503152010011002"
			if _, err := f.s.CreateUser(ctx, cli, UserInput{Email: "ikhsan@x.id", Name: "Ikhsan", Role: policy.Employee,
				AgencyCode: "DISKES", NIP: nip, Password: testPassword}); err != nil {
				t.Fatal(err)
			}
			_, err := f.s.CreateUser(ctx, cli, UserInput{Email: "joko@x.id", Name: "Joko", Role: policy.Employee,
				AgencyCode: "DISKES", NIP: nip, Password: testPassword})
			wantErr(t, err, errs.Conflict, "nip")
		})
		t.Run("AgencyAdminScope", func(t *testing.T) {
			admin := f.actor(t, f.user(t, "kartini@x.id", policy.AgencyAdmin, "DISKES").AccountID)
			in := UserInput{Email: "lina@x.id", Name: "Lina", Role: policy.Employee, AgencyCode: "DISKES", Password: testPassword}
			if _, err := f.s.CreateUser(ctx, admin, in); err != nil {
				t.Fatalf("admin adding an employee to their own agency: %v", err)
			}
			in.Email, in.AgencyCode = "made@x.id", "DISDIK"
			_, err := f.s.CreateUser(ctx, admin, in)
			wantErr(t, err, errs.Forbidden, "")
			in.AgencyCode, in.Role = "DISKES", policy.AgencyHead
			_, err = f.s.CreateUser(ctx, admin, in)
			wantErr(t, err, errs.Forbidden, "")
		})
	})
}

func TestGrantRevokeAndList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		admin := f.actor(t, f.user(t, "admin@x.id", policy.AgencyAdmin, "DISKES").AccountID)
		staff := f.user(t, "staf@x.id", policy.Employee, "DISKES")
		other := f.user(t, "guru@x.id", policy.Employee, "DISDIK")

		g := policy.Grant{Role: policy.Operator, AgencyID: f.ag["DISKES"]}
		if err := f.s.GrantRole(ctx, admin, staff.AccountID, g); err != nil {
			t.Fatal(err)
		}
		wantErr(t, f.s.GrantRole(ctx, admin, other.AccountID, policy.Grant{Role: policy.Operator, AgencyID: f.ag["DISDIK"]}), errs.Forbidden, "")
		wantErr(t, f.s.GrantRole(ctx, cli, staff.AccountID, policy.Grant{Role: policy.Expert, AgencyID: 5}), errs.Invalid, "agency_id")
		if err := f.s.RevokeRole(ctx, admin, staff.AccountID, g); err != nil {
			t.Fatal(err)
		}
		wantErr(t, f.s.RevokeRole(ctx, admin, staff.AccountID, g), errs.NotFound, "")

		all, next, err := f.s.ListAccounts(ctx, cli, AccountFilter{}, db.Page{Limit: 2})
		if err != nil || len(all) != 2 || next == "" {
			t.Fatalf("first page: %d accounts, next %q, %v", len(all), next, err)
		}
		rest, next, err := f.s.ListAccounts(ctx, cli, AccountFilter{}, db.Page{Limit: 2, After: next})
		if err != nil || len(rest) != 1 || next != "" {
			t.Fatalf("second page: %d accounts, next %q, %v", len(rest), next, err)
		}
		mine, _, err := f.s.ListAccounts(ctx, admin, AccountFilter{}, db.Page{})
		if err != nil || len(mine) != 2 {
			t.Fatalf("agency admin sees %d accounts (%v), want the 2 of DISKES", len(mine), err)
		}
		for _, a := range mine {
			if a.AgencyCode != "DISKES" || len(a.Grants) == 0 || !a.Active {
				t.Errorf("listed %+v", a)
			}
		}
		q := "STAF"
		found, _, err := f.s.ListAccounts(ctx, admin, AccountFilter{Query: &q}, db.Page{})
		if err != nil || len(found) != 1 || found[0].ID != staff.AccountID {
			t.Errorf("search: %+v, %v", found, err)
		}
		disdik := f.ag["DISDIK"]
		_, _, err = f.s.ListAccounts(ctx, admin, AccountFilter{AgencyID: &disdik}, db.Page{})
		wantErr(t, err, errs.Forbidden, "")
		_, _, err = f.s.ListAccounts(ctx, f.actor(t, staff.AccountID), AccountFilter{}, db.Page{})
		wantErr(t, err, errs.Forbidden, "")
	})
}

func TestGetAccountIsScopedLikeTheList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		admin := f.actor(t, f.user(t, "admin@diskes.go.id", policy.AgencyAdmin, "DISKES").AccountID)
		staff := f.user(t, "nur'aini@diskes.go.id", policy.Operator, "DISKES")
		other := f.user(t, "guru@disdik.go.id", policy.Employee, "DISDIK")

		a, err := f.s.GetAccount(ctx, admin, staff.AccountID)
		if err != nil || a.Email != "nur'aini@diskes.go.id" || a.AgencyCode != "DISKES" || len(a.Grants) != 1 ||
			a.Grants[0].Role != policy.Operator {
			t.Fatalf("own agency's account: %+v, %v", a, err)
		}
		_, err = f.s.GetAccount(ctx, admin, other.AccountID)
		wantErr(t, err, errs.Forbidden, "")
		_, err = f.s.GetAccount(ctx, f.actor(t, staff.AccountID), staff.AccountID)
		wantErr(t, err, errs.Forbidden, "")
		_, err = f.s.GetAccount(ctx, cli, 99999)
		wantErr(t, err, errs.NotFound, "")
		if a, err := f.s.GetAccount(ctx, cli, other.AccountID); err != nil || a.AgencyCode != "DISDIK" {
			t.Errorf("superadmin reads any account: %+v, %v", a, err)
		}
	})
}
