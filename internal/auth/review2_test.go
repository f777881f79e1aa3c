package auth

import (
	"context"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

func TestInactiveAccountsGetNoPasswordNorRole(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		gone := f.user(t, "gone@diskes.id", policy.Employee, "DISKES")
		locked := f.user(t, "locked@diskes.id", policy.Employee, "DISKES")
		deactivate(t, d, gone.EmployeeID, "retired")
		if _, err := d.W.Exec(`UPDATE accounts SET active = FALSE WHERE id = $1`, locked.AccountID); err != nil {
			t.Fatal(err)
		}
		for _, u := range []UserResult{gone, locked} {
			email := map[int64]string{gone.AccountID: "gone@diskes.id", locked.AccountID: "locked@diskes.id"}[u.AccountID]
			_, err := f.s.ResetPassword(ctx, cli, email, "pisang-epe-77")
			wantErr(t, err, errs.Conflict, "")
			if k := errs.As(err).Key; k != "auth.account_inactive" {
				t.Errorf("reset %s: key %q", email, k)
			}
			err = f.s.GrantRole(ctx, cli, u.AccountID, policy.Grant{Role: policy.AgencyAdmin, AgencyID: f.ag["DISKES"]})
			wantErr(t, err, errs.Conflict, "")
			if k := errs.As(err).Key; k != "auth.account_inactive" {
				t.Errorf("grant %s: key %q", email, k)
			}
		}
		var n int
		if err := d.R.QueryRow(`SELECT count(*) FROM role_grants WHERE role = 'agency_admin'`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d admin grants given, %v", n, err)
		}
		active := f.user(t, "ada@diskes.id", policy.Employee, "DISKES")
		if _, err := f.s.ResetPassword(ctx, cli, "ada@diskes.id", "pisang-epe-77"); err != nil {
			t.Errorf("active reset: %v", err)
		}
		if err := f.s.GrantRole(ctx, cli, active.AccountID, policy.Grant{Role: policy.AgencyAdmin, AgencyID: f.ag["DISKES"]}); err != nil {
			t.Errorf("active grant: %v", err)
		}
	})
}

func TestOperatorGrantsNeedAnAgencyThatRunsTheApp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		app := insertApp(t, d, "dottorota", f.ag["DISKES"])
		admin := f.actor(t, f.user(t, "admin@disdik.id", policy.AgencyAdmin, "DISDIK").AccountID)
		teacher := f.user(t, "guru@disdik.id", policy.Employee, "DISDIK")

		err := f.s.GrantRole(ctx, admin, teacher.AccountID, policy.Grant{Role: policy.Operator, AgencyID: f.ag["DISDIK"], AppID: app})
		wantErr(t, err, errs.Invalid, "agency_id")
		_, err = f.s.CreateUser(ctx, admin, UserInput{Email: "guru@disdik.id", Role: policy.Operator,
			AgencyCode: "DISDIK", AppSlug: "dottorota"})
		wantErr(t, err, errs.Invalid, "app")
		_, err = f.s.CreateUser(ctx, admin, UserInput{Email: "baru@disdik.id", Name: "Pegawai Baru", Role: policy.Operator,
			AgencyCode: "DISDIK", AppSlug: "dottorota", Password: "kopi-toraja-21"})
		wantErr(t, err, errs.Invalid, "app")
		var n int
		if err := d.R.QueryRow(`SELECT count(*) FROM role_grants WHERE role = 'operator'`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d operator grants given, %v", n, err)
		}
		if err := d.R.QueryRow(`SELECT count(*) FROM employees WHERE email = 'baru@disdik.id'`).Scan(&n); err != nil || n != 0 {
			t.Errorf("the refused new person was stored (%d), %v", n, err)
		}

		if _, err := d.W.Exec(`INSERT INTO app_agencies (app_id, agency_id) VALUES ($1, $2)`, app, f.ag["DISDIK"]); err != nil {
			t.Fatal(err)
		}
		if err := f.s.GrantRole(ctx, admin, teacher.AccountID, policy.Grant{Role: policy.Operator, AgencyID: f.ag["DISDIK"], AppID: app}); err != nil {
			t.Errorf("operator of a user agency: %v", err)
		}
		owner := f.user(t, "staf@diskes.id", policy.Employee, "DISKES")
		if err := f.s.GrantRole(ctx, cli, owner.AccountID, policy.Grant{Role: policy.Operator, AgencyID: f.ag["DISKES"], AppID: app}); err != nil {
			t.Errorf("operator of the owner agency: %v", err)
		}
	})
}

func TestNewUserNameRefusesControlCharacters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		_, err := f.s.CreateUser(context.Background(), cli, UserInput{Email: "bell@diskes.id", Name: "\u202e\u0007bell",
			Role: policy.Employee, AgencyCode: "DISKES", Password: testPassword})
		wantErr(t, err, errs.Invalid, "name")
		var n int
		if err := d.R.QueryRow(`SELECT count(*) FROM employees WHERE email = 'bell@diskes.id'`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d people stored, %v", n, err)
		}
	})
}
