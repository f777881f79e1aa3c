package auth_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// TestAgencyAdminTakeoverRefused replays review findings C1, C2 and M2
// through the pages: Kominfo's admin cannot reset the password of the
// superadmin who works in Kominfo, nor re-role its head, nor give a login
// to another agency's person; a grant naming a missing agency or
// application is a form error, not a 500.
func TestAgencyAdminTakeoverRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		kominfo := h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		disdik := h.Agency(t, "DISDIK", "Dinas Pendidikan", "dinas")
		pw := h.Users(t,
			servertest.Person{Email: "super@makassarkota.go.id", Name: "Super Admin", Role: policy.Superadmin, Agency: "KOMINFO"},
			servertest.Person{Email: "admin@kominfo.go.id", Name: "Admin Kominfo", Role: policy.AgencyAdmin, Agency: "KOMINFO"},
			servertest.Person{Email: "kadis@kominfo.go.id", Name: "Kepala Dinas", Role: policy.AgencyHead, Agency: "KOMINFO"},
			servertest.Person{Email: "staf@kominfo.go.id", Name: "Dottoro'ta", Role: policy.Employee, Agency: "KOMINFO"},
			servertest.Person{Email: "guru@disdik.go.id", Name: "Guru", Role: policy.Employee, Agency: "DISDIK"})
		super, head, staff := h.AccountID(t, "super@makassarkota.go.id"), h.AccountID(t, "kadis@kominfo.go.id"),
			h.AccountID(t, "staf@kominfo.go.id")
		b := h.SignIn(t, "admin@kominfo.go.id", pw["admin@kominfo.go.id"])
		path := func(id int64, tail string) string { return fmt.Sprintf("/admin/pengguna/%d%s", id, tail) }

		page := b.Get(path(super, ""))
		page.Want(t, http.StatusOK, "the superadmin's account", "Super Admin", "hanya dapat diubah superadmin")
		page.Lacks(t, "the superadmin's account", path(super, "/sandi"), path(super, "/peran"))
		b.Get(path(staff, "")).Want(t, http.StatusOK, "an ordinary account", path(staff, "/sandi"), path(staff, "/peran"))
		b.PostForm(path(super, "/sandi"), nil).Want(t, http.StatusForbidden, "resetting the superadmin's password")
		h.SignIn(t, "super@makassarkota.go.id", pw["super@makassarkota.go.id"]) // the password still works
		b.Get(path(staff, ""))
		b.PostForm(path(head, "/peran"), url.Values{"role": {"trainer"}, "agency_id": {strconv.FormatInt(kominfo.ID, 10)}}).
			Want(t, http.StatusForbidden, "a role for the agency head")
		b.Get(path(staff, ""))
		b.PostForm(path(staff, "/sandi"), nil).Want(t, http.StatusOK, "resetting an ordinary person's password", "Dottoro&#39;ta")

		// C2: a person of another agency, with an account or without one.
		citra, err := h.Svc.Org.CreateEmployee(context.Background(), policy.SystemActor("test"), org.EmployeeInput{
			AgencyID: disdik.ID, Name: "Citra", Email: "citra@disdik.go.id", EmploymentType: org.EmploymentContract})
		if err != nil {
			t.Fatal(err)
		}
		for _, email := range []string{"citra@disdik.go.id", "guru@disdik.go.id"} {
			b.Get("/admin/pengguna/baru")
			b.PostForm("/admin/pengguna/baru", url.Values{"email": {email}, "name": {"X"}, "role": {"employee"},
				"agency": {"KOMINFO"}}).Want(t, http.StatusForbidden, "a login for "+email)
		}
		var n int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM accounts WHERE employee_id = $1`, citra.ID).Scan(&n); err != nil || n != 0 {
			t.Errorf("accounts made for another agency's person: %d, %v", n, err)
		}
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM role_grants WHERE account_id = $1`,
			h.AccountID(t, "guru@disdik.go.id")).Scan(&n); err != nil || n != 1 {
			t.Errorf("another agency's account holds %d roles, %v", n, err)
		}

		// M2: a missing agency or application, as the superadmin.
		sb := h.SignIn(t, "super@makassarkota.go.id", pw["super@makassarkota.go.id"])
		sb.Get(path(staff, ""))
		sb.PostForm(path(staff, "/peran"), url.Values{"role": {"employee"}, "agency_id": {"99999"}}).
			Want(t, http.StatusUnprocessableEntity, "a role in a missing agency", `id="e-agency_id"`)
		sb.Get(path(staff, ""))
		sb.PostForm(path(staff, "/peran"), url.Values{"role": {"operator"}, "agency_id": {strconv.FormatInt(kominfo.ID, 10)},
			"app_id": {"99999"}}).Want(t, http.StatusUnprocessableEntity, "operating a missing application", `id="e-app_id"`)
	})
}

// TestPasswordChangeEndsTokens is review finding M3 through the pages: the
// page says tokens end with a change, and they do.
func TestPasswordChangeEndsTokens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
		password := h.User(t, "nuraini@makassarkota.go.id", "Nur'aini", policy.Employee, "DISKES")
		token := h.Token(t, "nuraini@makassarkota.go.id")
		if r := h.Do(t, "GET", "/api/v1/me", token, nil, ""); r.Status != http.StatusOK {
			t.Fatalf("token before the change: %d", r.Status)
		}
		b := h.SignIn(t, "nuraini@makassarkota.go.id", password)
		b.Get("/akun").Want(t, http.StatusOK, "account page", "semua token API Anda dicabut")
		newPassword := "Sandi-baru-Ä-2026"
		b.PostForm("/akun/sandi", url.Values{"current_password": {password}, "password": {newPassword},
			"password_confirm": {newPassword}}).Redirects(t, "password change", "/akun")
		b.Get("/akun").Want(t, http.StatusOK, "after the change", "semua token API Anda dicabut; buat token baru")
		servertest.Problem(t, h.Do(t, "GET", "/api/v1/me", token, nil, ""), http.StatusUnauthorized)
	})
}
