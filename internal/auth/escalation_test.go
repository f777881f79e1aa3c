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

// TestAdminCannotTakeOverProtectedAccounts is review finding C1 for
// accounts: DISKES's admin may reset the password of, and grant or revoke
// roles of, ordinary people of DISKES only; not of the superadmin or the
// executive who work there, its head or a fellow admin.
func TestAdminCannotTakeOverProtectedAccounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		admin := f.actor(t, f.user(t, "admin@diskes.id", policy.AgencyAdmin, "DISKES").AccountID)
		diskes := f.ag["DISKES"]
		protected := map[string]UserResult{
			"superadmin": f.user(t, "super@diskes.id", policy.Superadmin, "DISKES"),
			"executive":  f.user(t, "sekda@diskes.id", policy.Executive, "DISKES"),
			"head":       f.user(t, "kadis@diskes.id", policy.AgencyHead, "DISKES"),
			"fellow":     f.user(t, "admin2@diskes.id", policy.AgencyAdmin, "DISKES"),
		}
		for name, u := range protected {
			if u.AgencyID != diskes {
				t.Fatalf("%s works in %d", name, u.AgencyID)
			}
			email := map[string]string{"superadmin": "super@diskes.id", "executive": "sekda@diskes.id",
				"head": "kadis@diskes.id", "fellow": "admin2@diskes.id"}[name]
			_, err := f.s.ResetPassword(ctx, admin, email, "pisang-epe-77")
			wantErr(t, err, errs.Forbidden, "")
			err = f.s.GrantRole(ctx, admin, u.AccountID, policy.Grant{Role: policy.Trainer, AgencyID: diskes})
			wantErr(t, err, errs.Forbidden, "")
			_, err = f.s.CreateUser(ctx, admin, UserInput{Email: email, Role: policy.Employee, AgencyCode: "DISKES"})
			wantErr(t, err, errs.Forbidden, "")
			if name == "head" {
				err = f.s.RevokeRole(ctx, admin, u.AccountID, policy.Grant{Role: policy.AgencyHead, AgencyID: diskes})
				wantErr(t, err, errs.Forbidden, "")
			}
		}
		if n := countRows(t, d, `SELECT COUNT(*) FROM audit_log WHERE action IN ('reset_password', 'grant', 'revoke')
			AND actor = 'admin@diskes.id'`); n != 0 {
			t.Errorf("%d audit records of refused changes", n)
		}

		staff := f.user(t, "staf@diskes.id", policy.Employee, "DISKES")
		if _, err := f.s.ResetPassword(ctx, admin, "staf@diskes.id", "pisang-epe-77"); err != nil {
			t.Errorf("admin resets their staff's password: %v", err)
		}
		if err := f.s.GrantRole(ctx, admin, staff.AccountID, policy.Grant{Role: policy.Trainer, AgencyID: diskes}); err != nil {
			t.Errorf("admin grants their staff a role: %v", err)
		}
		if err := f.s.RevokeRole(ctx, admin, staff.AccountID, policy.Grant{Role: policy.Trainer, AgencyID: diskes}); err != nil {
			t.Errorf("admin revokes it: %v", err)
		}
		if _, err := f.s.ResetPassword(ctx, cli, "super@diskes.id", "pisang-epe-77"); err != nil {
			t.Errorf("the CLI resets the superadmin's password: %v", err)
		}
	})
}

// TestCreateUserForExistingPerson is review finding C2: an agency admin
// gives a login or a role only to a person they may manage, and a role of
// an agency only to someone working there.
func TestCreateUserForExistingPerson(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		people := org.NewService(d)
		admin := f.actor(t, f.user(t, "admin@diskes.id", policy.AgencyAdmin, "DISKES").AccountID)
		citra, err := people.CreateEmployee(ctx, cli, org.EmployeeInput{AgencyID: f.ag["DISDIK"],
			Name: "Citra Dottoro'ta", Email: "citra@disdik.id", EmploymentType: org.EmploymentContract})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.s.CreateUser(ctx, admin, UserInput{Email: "citra@disdik.id", Role: policy.Employee,
			AgencyCode: "DISKES", Password: "kopi-toraja-21"})
		wantErr(t, err, errs.Forbidden, "")
		if n := countRows(t, d, `SELECT COUNT(*) FROM accounts WHERE employee_id = $1`, citra.ID); n != 0 {
			t.Fatalf("an account was made for another agency's person")
		}
		f.user(t, "budi@disdik.id", policy.Employee, "DISDIK")
		_, err = f.s.CreateUser(ctx, admin, UserInput{Email: "budi@disdik.id", Role: policy.Operator, AgencyCode: "DISKES"})
		wantErr(t, err, errs.Forbidden, "")

		// An admin of both agencies still gives DISKES roles to DISKES people only.
		both := f.actor(t, f.user(t, "admin@dua.id", policy.AgencyAdmin, "DISKES").AccountID)
		if _, err := f.s.CreateUser(ctx, cli, UserInput{Email: "admin@dua.id", Role: policy.AgencyAdmin, AgencyCode: "DISDIK"}); err != nil {
			t.Fatal(err)
		}
		both = f.actor(t, both.AccountID)
		_, err = f.s.CreateUser(ctx, both, UserInput{Email: "budi@disdik.id", Role: policy.Trainer, AgencyCode: "DISKES"})
		wantErr(t, err, errs.Invalid, "agency")
		if _, err := f.s.CreateUser(ctx, both, UserInput{Email: "budi@disdik.id", Role: policy.Trainer, AgencyCode: "DISDIK"}); err != nil {
			t.Errorf("the admin of the person's agency gives them a role there: %v", err)
		}

		// Operating an application is done where one works, whoever grants it.
		app := insertApp(t, d, "sipakatau", f.ag["DISKES"])
		// DISDIK uses it: operators work only for agencies that run the application.
		if _, err := d.W.Exec(`INSERT INTO app_agencies (app_id, agency_id) VALUES ($1, $2)`, app, f.ag["DISDIK"]); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.CreateUser(ctx, cli, UserInput{Email: "budi@disdik.id", Role: policy.Operator,
			AgencyCode: "DISKES", AppSlug: "sipakatau"})
		wantErr(t, err, errs.Invalid, "agency")
		budi, _ := f.s.AccountIDByEmail(ctx, "budi@disdik.id")
		err = f.s.GrantRole(ctx, cli, budi, policy.Grant{Role: policy.Operator, AgencyID: f.ag["DISKES"], AppID: app})
		wantErr(t, err, errs.Invalid, "agency_id")
		if err := f.s.GrantRole(ctx, cli, budi, policy.Grant{Role: policy.Operator, AgencyID: f.ag["DISDIK"], AppID: app}); err != nil {
			t.Errorf("operator where they work: %v", err)
		}
		if _, err := f.s.CreateUser(ctx, admin, UserInput{Email: "baru@diskes.id", Name: "Pegawai Baru", Role: policy.Operator,
			AgencyCode: "DISKES", AppSlug: "sipakatau", Password: "kopi-toraja-21"}); err != nil {
			t.Errorf("admin creates a new operator of their agency: %v", err)
		}
	})
}

// TestGrantToMissingAgencyOrApp is review finding M2: a wrong number is a
// field error, not a foreign-key failure.
func TestGrantToMissingAgencyOrApp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		u := f.user(t, "andi@diskes.id", policy.Employee, "DISKES")
		admin := f.actor(t, f.user(t, "admin@diskes.id", policy.AgencyAdmin, "DISKES").AccountID)
		err := f.s.GrantRole(ctx, cli, u.AccountID, policy.Grant{Role: policy.Employee, AgencyID: 99999})
		wantErr(t, err, errs.Invalid, "agency_id")
		err = f.s.GrantRole(ctx, admin, u.AccountID, policy.Grant{Role: policy.Operator, AgencyID: f.ag["DISKES"], AppID: 99999})
		wantErr(t, err, errs.Invalid, "app_id")
		err = f.s.GrantRole(ctx, cli, 99999, policy.Grant{Role: policy.Employee, AgencyID: f.ag["DISKES"]})
		wantErr(t, err, errs.NotFound, "")
		if n := countRows(t, d, `SELECT COUNT(*) FROM role_grants WHERE account_id = $1`, u.AccountID); n != 1 {
			t.Errorf("%d grants, want the first one only", n)
		}
	})
}

// TestPasswordChangeRevokesTokens is review finding M3: a token made with a
// stolen password does not outlive the change; the session it is made from
// does.
func TestPasswordChangeRevokesTokens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		u := f.user(t, "andi@diskes.id", policy.Employee, "DISKES")
		a := f.actor(t, u.AccountID)
		here, _, _, err := f.s.SignIn(ctx, "andi@diskes.id", testPassword, "10.0.0.1", "")
		if err != nil {
			t.Fatal(err)
		}
		stolen, _, err := f.s.CreateToken(ctx, a, u.AccountID, "thief", nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.TokenActor(ctx, stolen); err != nil {
			t.Fatalf("token before the change: %v", err)
		}
		if err := f.s.ChangePassword(ctx, a, here, testPassword, "kopi-toraja-21"); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.TokenActor(ctx, stolen)
		wantErr(t, err, errs.Unauthorized, "")
		if _, _, err := f.s.SessionActor(ctx, here); err != nil {
			t.Errorf("the session the change was made from ended: %v", err)
		}
		if n := countRows(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'change_password'
			AND after_json LIKE '%"revoked":1%'`); n != 1 {
			t.Errorf("%d audit records saying one token was revoked", n)
		}
	})
}

func countRows(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.R.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func insertApp(t *testing.T, d *db.DB, slug string, owner int64) int64 {
	t.Helper()
	id, err := db.InsertID(context.Background(), d.W, `INSERT INTO apps (slug, name, owner_agency_id, status,
		created_at, updated_at) VALUES ($1, $1, $2, 'active', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id`, slug, owner)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
