package auth_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

const name = "Andi Dottoro'ta"

func TestSignInAndOut(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		password := h.User(t, "andi@makassarkota.go.id", name, policy.Employee, "KOMINFO")
		b := h.Client(t)

		form := b.Get("/masuk?next=%2Fakun")
		form.Want(t, 200, "sign-in page", "Masuk", `class="signin"`, `autocomplete="username"`,
			`autocomplete="current-password"`, `name="next" value="/akun"`)
		noCSRF := url.Values{"email": {"andi@makassarkota.go.id"}, "password": {password}, "csrf": {""}}
		b.PostForm("/masuk", noCSRF).Want(t, http.StatusForbidden, "sign-in without the CSRF token")

		wrong := b.PostForm("/masuk", url.Values{"email": {"Andi@Makassarkota.go.id"}, "password": {"not-the-password"}})
		wrong.Want(t, http.StatusUnauthorized, "wrong password", "Email atau kata sandi salah",
			`value="Andi@Makassarkota.go.id"`)
		if strings.Contains(wrong.Body, "not-the-password") {
			t.Error("the form was shown again with the password filled in")
		}
		b.PostForm("/masuk", url.Values{"email": {"andi@makassarkota.go.id"}}).Want(t,
			http.StatusUnprocessableEntity, "empty password", `id="e-password"`)

		p := b.PostForm("/masuk", url.Values{"email": {"andi@makassarkota.go.id"}, "password": {password}, "next": {"/akun"}})
		p.Redirects(t, "sign-in", "/akun")
		if c := p.Header.Get("Set-Cookie"); !strings.Contains(c, "lontara_session=") || !strings.Contains(c, "HttpOnly") {
			t.Errorf("session cookie: %q", c)
		}
		b.Get("/").Want(t, 200, "home page signed in", html.EscapeString(name))
		b.Get("/masuk").Redirects(t, "sign-in page when signed in", "/")

		b.Get("/")
		b.PostForm("/keluar", nil).Redirects(t, "sign-out", "/masuk")
		b.Get("/masuk").Want(t, 200, "after sign-out", "Anda telah keluar")
		b.Get("/").Redirects(t, "home after sign-out", "/masuk?next=%2F")

		for _, next := range []string{"//evil.example", "https://evil.example/", "/\\evil.example"} {
			b := h.Client(t)
			b.Get("/masuk")
			p := b.PostForm("/masuk", url.Values{"email": {"andi@makassarkota.go.id"}, "password": {password}, "next": {next}})
			p.Redirects(t, "sign-in with next="+next, "/")
		}
	})
}

func TestSignInThrottled(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.StartWith(t, d, func(c *config.Config) { c.SignInLimit = 3 })
		h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		password := h.User(t, "andi@makassarkota.go.id", name, policy.Employee, "KOMINFO")
		b := h.Client(t)
		b.Get("/masuk")
		for i := range 3 {
			p := b.PostForm("/masuk", url.Values{"email": {"andi@makassarkota.go.id"}, "password": {fmt.Sprintf("wrong-%d", i)}})
			p.Want(t, http.StatusUnauthorized, "wrong password")
		}
		p := b.PostForm("/masuk", url.Values{"email": {"andi@makassarkota.go.id"}, "password": {password}})
		p.Want(t, http.StatusTooManyRequests, "fourth try", "15 menit", `value="andi@makassarkota.go.id"`)
		if secs, err := strconv.Atoi(p.Header.Get("Retry-After")); err != nil || secs < 800 || secs > 900 {
			t.Errorf("Retry-After %q", p.Header.Get("Retry-After"))
		}
	})
}

// tokenID returns the id of the token whose prefix starts plain, by the API.
func tokenID(t *testing.T, h *servertest.Harness, token, plain string) int64 {
	t.Helper()
	var list struct {
		Items []struct {
			ID     int64  `json:"id"`
			Prefix string `json:"prefix"`
		} `json:"items"`
	}
	h.Do(t, "GET", "/api/v1/tokens", token, nil, "").JSON(t, &list)
	for _, it := range list.Items {
		if strings.HasPrefix(plain, it.Prefix) {
			return it.ID
		}
	}
	t.Fatalf("token %s… not listed", plain[:10])
	return 0
}

func TestMyAccount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
		password := h.User(t, "nuraini@makassarkota.go.id", "Nur'aini", policy.Operator, "DISKES")
		b, other := h.SignIn(t, "nuraini@makassarkota.go.id", password), h.SignIn(t, "nuraini@makassarkota.go.id", password)

		b.Get("/akun").Want(t, 200, "account page", "Nur&#39;aini", "nuraini@makassarkota.go.id",
			"Dinas Kesehatan", "Operator", `autocomplete="new-password"`)
		newPassword := "Sandi-baru-Ä-2026"
		mismatch := b.PostForm("/akun/sandi", url.Values{"current_password": {password}, "password": {newPassword},
			"password_confirm": {newPassword + "x"}})
		mismatch.Want(t, http.StatusUnprocessableEntity, "confirmation mismatch", `id="e-password_confirm"`, "tidak sama")
		wrong := b.PostForm("/akun/sandi", url.Values{"current_password": {"wrong-password"}, "password": {newPassword},
			"password_confirm": {newPassword}})
		wrong.Want(t, http.StatusUnprocessableEntity, "wrong current password", "kata sandi saat ini salah")
		short := b.PostForm("/akun/sandi", url.Values{"current_password": {password}, "password": {"short"},
			"password_confirm": {"short"}})
		short.Want(t, http.StatusUnprocessableEntity, "short new password", `id="e-password"`)
		b.PostForm("/akun/sandi", url.Values{"current_password": {password},
			"password": {newPassword}, "password_confirm": {newPassword}}).Redirects(t, "password change", "/akun")
		b.Get("/akun").Want(t, 200, "this session after the change", "Kata sandi telah diganti")
		other.Get("/akun").Redirects(t, "the other session after the change", "/masuk?next=%2Fakun")
		other.SignIn("nuraini@makassarkota.go.id", newPassword)

		created := b.PostForm("/akun/token", url.Values{"name": {"Sinkron SIMPEG"}, "expires_days": {"30"}})
		created.Want(t, http.StatusCreated, "token created", "ltr_", "Salin token ini sekarang")
		plain := regexp.MustCompile(`ltr_[A-Za-z0-9_-]+`).FindString(created.Body)
		var me map[string]any
		r := h.Do(t, "GET", "/api/v1/me", plain, nil, "")
		r.JSON(t, &me)
		if r.Status != 200 || me["email"] != "nuraini@makassarkota.go.id" {
			t.Fatalf("the new token: %d %s", r.Status, r.Body)
		}
		b.Get("/akun").Want(t, 200, "token listed", "Sinkron SIMPEG", plain[:10])
		b.PostForm("/akun/token", url.Values{"expires_days": {"0"}}).Want(t,
			http.StatusUnprocessableEntity, "token days out of range", `id="e-expires_days"`)
		id := tokenID(t, h, plain, plain)
		b.Get("/akun")
		b.PostForm(fmt.Sprintf("/akun/token/%d/cabut", id), nil).Redirects(t, "revoke", "/akun")
		if r := h.Do(t, "GET", "/api/v1/me", plain, nil, ""); r.Status != http.StatusUnauthorized {
			t.Errorf("revoked token: %d", r.Status)
		}
	})
}

func TestMeAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		diskes := h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
		h.User(t, "admin@diskes.go.id", "Ä Admin Dottoro'ta", policy.AgencyAdmin, "DISKES")
		h.User(t, "admin@diskes.go.id", "", policy.Expert, "")
		r := h.Do(t, "GET", "/api/v1/me", h.Token(t, "admin@diskes.go.id"), nil, "")
		var me struct {
			ID     int64  `json:"id"`
			Email  string `json:"email"`
			Name   string `json:"name"`
			Locale string `json:"locale"`
			Person struct {
				ID       int64  `json:"id"`
				Name     string `json:"name"`
				Email    string `json:"email"`
				AgencyID int64  `json:"agency_id"`
			} `json:"person"`
			Agency struct {
				ID   int64  `json:"id"`
				Code string `json:"code"`
				Name string `json:"name"`
				Type string `json:"type"`
			} `json:"agency"`
			Roles []map[string]any `json:"roles"`
		}
		r.JSON(t, &me)
		if r.Status != 200 || me.Email != "admin@diskes.go.id" || me.Name != "Ä Admin Dottoro'ta" || me.Locale != "id" ||
			me.Person.Name != me.Name || me.Person.Email != me.Email || me.Person.AgencyID != diskes.ID {
			t.Fatalf("me: %d %s", r.Status, r.Body)
		}
		if me.Agency.ID != diskes.ID || me.Agency.Code != "DISKES" || me.Agency.Type != "dinas" {
			t.Errorf("agency: %+v", me.Agency)
		}
		wantRoles := []map[string]any{
			{"role": "agency_admin", "agency_id": float64(diskes.ID), "app_id": nil},
			{"role": "expert", "agency_id": nil, "app_id": nil},
		}
		if fmt.Sprint(me.Roles) != fmt.Sprint(wantRoles) {
			t.Errorf("roles: %v, want %v", me.Roles, wantRoles)
		}
		if r := h.Do(t, "GET", "/api/v1/me", "", nil, ""); r.Status != http.StatusUnauthorized {
			t.Errorf("me without a token: %d", r.Status)
		}
	})
}

func TestTokensAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
		h.User(t, "a@diskes.go.id", "Andi", policy.Employee, "DISKES")
		h.User(t, "b@diskes.go.id", "Besse", policy.Employee, "DISKES")
		token, other := h.Token(t, "a@diskes.go.id"), h.Token(t, "b@diskes.go.id")

		exp := time.Now().UTC().Add(48 * time.Hour).Truncate(time.Second)
		r := h.Do(t, "POST", "/api/v1/tokens", token, map[string]any{"name": "Skrip laporan", "expires_at": exp}, "")
		var created struct {
			Token     string     `json:"token"`
			ID        int64      `json:"id"`
			Name      string     `json:"name"`
			Prefix    string     `json:"prefix"`
			ExpiresAt *time.Time `json:"expires_at"`
		}
		r.JSON(t, &created)
		if r.Status != http.StatusCreated || !strings.HasPrefix(created.Token, "ltr_") || created.Name != "Skrip laporan" ||
			!strings.HasPrefix(created.Token, created.Prefix) || created.ExpiresAt == nil || !created.ExpiresAt.Equal(exp) {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		if loc := r.Header.Get("Location"); loc != fmt.Sprintf("/api/v1/tokens/%d", created.ID) {
			t.Errorf("Location %q", loc)
		}
		if id := tokenID(t, h, created.Token, created.Token); id != created.ID {
			t.Errorf("listed as %d, created as %d", id, created.ID)
		}
		if r := h.Do(t, "POST", "/api/v1/tokens", token, map[string]any{"name": "x", "secret": "y"}, ""); r.Status != 422 {
			t.Errorf("unknown member: %d", r.Status)
		}
		past := time.Now().Add(-time.Hour)
		if r := h.Do(t, "POST", "/api/v1/tokens", token, map[string]any{"expires_at": past}, ""); r.Status != 422 ||
			!strings.Contains(string(r.Body), `"field":"expires_at"`) {
			t.Errorf("expiry in the past: %d %s", r.Status, r.Body)
		}
		path := fmt.Sprintf("/api/v1/tokens/%d", created.ID)
		if r := h.Do(t, "DELETE", path, other, nil, ""); r.Status != http.StatusNotFound { // as a missing one: ids cannot be probed
			t.Errorf("someone else's token: %d", r.Status)
		}
		if r := h.Do(t, "DELETE", path, token, nil, ""); r.Status != http.StatusNoContent || len(r.Body) != 0 {
			t.Errorf("revoke: %d %s", r.Status, r.Body)
		}
		if r := h.Do(t, "GET", "/api/v1/me", created.Token, nil, ""); r.Status != http.StatusUnauthorized {
			t.Errorf("revoked token still works: %d", r.Status)
		}
		if r := h.Do(t, "DELETE", "/api/v1/tokens/99999", token, nil, ""); r.Status != http.StatusNotFound {
			t.Errorf("unknown token: %d", r.Status)
		}
	})
}

func TestUsersAdmin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
		h.Agency(t, "DISDIK", "Dinas Pendidikan", "dinas")
		password := h.User(t, "admin@diskes.go.id", "Admin Diskes", policy.AgencyAdmin, "DISKES")
		staffPassword := h.User(t, "staf@diskes.go.id", "Besse Dottoro'ta", policy.Employee, "DISKES")
		h.User(t, "guru@disdik.go.id", "Guru Disdik", policy.Employee, "DISDIK")
		staff, guru := h.AccountID(t, "staf@diskes.go.id"), h.AccountID(t, "guru@disdik.go.id")
		b := h.SignIn(t, "admin@diskes.go.id", password)

		list := b.Get("/admin/pengguna")
		list.Want(t, 200, "users list", "Besse Dottoro&#39;ta", "Admin OPD", "Belum pernah")
		if strings.Contains(list.Body, "Guru Disdik") {
			t.Error("an agency admin sees another agency's account")
		}
		b.Get("/admin/pengguna?q=besse&role=employee").Want(t, 200, "search", "Besse")
		b.Get(fmt.Sprintf("/admin/pengguna/%d", guru)).Want(t, http.StatusForbidden, "another agency's account")
		b.Get("/admin/pengguna?role=king").Want(t, http.StatusUnprocessableEntity, "an unknown role filter")

		detail := fmt.Sprintf("/admin/pengguna/%d", staff)
		b.Get(detail).Want(t, 200, "account detail", "Besse Dottoro&#39;ta", "Pegawai", "Cabut peran",
			`<option value="trainer"`, "Atur ulang kata sandi")
		if strings.Contains(b.Get(detail).Body, `<option value="superadmin"`) {
			t.Error("an agency admin is offered the superadmin role")
		}
		diskes, err := h.Svc.Org.GetAgencyByCode(context.Background(), "DISKES")
		if err != nil {
			t.Fatal(err)
		}
		agency := strconv.FormatInt(diskes.ID, 10)
		b.PostForm(detail+"/peran", url.Values{"role": {"trainer"}, "agency_id": {agency}}).Redirects(t, "grant trainer", detail)
		b.Get(detail).Want(t, 200, "after the grant", "Peran telah diberikan", `name="role" value="trainer"`)
		b.PostForm(detail+"/peran", url.Values{"role": {"operator"}}).Want(t,
			http.StatusUnprocessableEntity, "grant without an agency", `id="e-agency_id"`)
		b.PostForm(detail+"/peran", url.Values{"role": {"agency_admin"}, "agency_id": {agency}}).Want(t,
			http.StatusForbidden, "grant agency_admin")
		b.Get(detail)
		b.PostForm(detail+"/peran/cabut", url.Values{"role": {"trainer"}, "agency_id": {agency}}).Redirects(t, "revoke trainer", detail)
		if p := b.Get(detail); strings.Contains(p.Body, `name="role" value="trainer"`) {
			t.Error("the revoked role is still shown")
		}

		staffBrowser := h.SignIn(t, "staf@diskes.go.id", staffPassword)
		staffBrowser.Get("/admin/pengguna").Want(t, http.StatusForbidden, "users list as an employee")
		b.Get(detail)
		reset := b.PostForm(detail+"/sandi", nil)
		reset.Want(t, 200, "reset password", "1 sesi diakhiri dan 0 token API dicabut")
		newPassword := regexp.MustCompile(`id="f-password" value="([^"]+)"`).FindStringSubmatch(reset.Body)
		if newPassword == nil {
			t.Fatal("the new password is not shown")
		}
		staffBrowser.Get("/akun").Redirects(t, "staff after the reset", "/masuk?next=%2Fakun")

		form := b.Get("/admin/pengguna/baru")
		form.Want(t, 200, "new user form", `name="email"`, `<option value="DISKES"`, "PPPK")
		if strings.Contains(form.Body, `<option value="DISDIK"`) {
			t.Error("an agency admin is offered another agency")
		}
		bad := b.PostForm("/admin/pengguna/baru", url.Values{"email": {"bukan-email"}, "name": {"Nur'aini Ä"},
			"role": {"employee"}, "agency": {"DISKES"}})
		bad.Want(t, http.StatusUnprocessableEntity, "new user with a bad email", `id="e-email"`, `value="Nur&#39;aini Ä"`)
		created := b.PostForm("/admin/pengguna/baru", url.Values{"email": {"nuraini@diskes.go.id"}, "name": {"Nur'aini Ä"},
			"role": {"employee"}, "agency": {"DISKES"}, "employment_type": {"contract"}})
		created.Want(t, http.StatusCreated, "new user", "nuraini@diskes.go.id", "Salin kata sandi ini sekarang")
		pw := regexp.MustCompile(`id="f-password" value="([^"]+)"`).FindStringSubmatch(created.Body)
		if pw == nil {
			t.Fatal("the new user's password is not shown")
		}
		person, err := h.Svc.Org.GetEmployeeByEmail(context.Background(), "nuraini@diskes.go.id")
		if err != nil || person.Name != "Nur'aini Ä" || person.EmploymentType != "contract" {
			t.Errorf("created person: %+v, %v", person, err)
		}
		h.SignIn(t, "nuraini@diskes.go.id", html.UnescapeString(pw[1]))
	})
}

func TestAccountsAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
		disdik := h.Agency(t, "DISDIK", "Dinas Pendidikan", "dinas")
		h.User(t, "root@kominfo.go.id", "Super", policy.Superadmin, "")
		h.User(t, "admin@diskes.go.id", "Admin Diskes", policy.AgencyAdmin, "DISKES")
		h.User(t, "staf@diskes.go.id", "Besse", policy.Employee, "DISKES")
		h.User(t, "guru@disdik.go.id", "Guru", policy.Employee, "DISDIK")
		super, admin, staff := h.Token(t, "root@kominfo.go.id"), h.Token(t, "admin@diskes.go.id"), h.Token(t, "staf@diskes.go.id")

		var list struct {
			Items []struct {
				Email  string           `json:"email"`
				Grants []map[string]any `json:"grants"`
			} `json:"items"`
			Next *string `json:"next"`
		}
		r := h.Do(t, "GET", "/api/v1/accounts?limit=2", super, nil, "")
		r.JSON(t, &list)
		if r.Status != 200 || len(list.Items) != 2 || list.Next == nil {
			t.Fatalf("superadmin, page 1: %d %s", r.Status, r.Body)
		}
		r = h.Do(t, "GET", "/api/v1/accounts?role=employee&agency_id="+strconv.FormatInt(disdik.ID, 10), super, nil, "")
		r.JSON(t, &list)
		if r.Status != 200 || len(list.Items) != 1 || list.Items[0].Email != "guru@disdik.go.id" {
			t.Errorf("filtered: %d %s", r.Status, r.Body)
		}
		r = h.Do(t, "GET", "/api/v1/accounts?q=BESSE", admin, nil, "")
		r.JSON(t, &list)
		if r.Status != 200 || len(list.Items) != 1 || list.Items[0].Email != "staf@diskes.go.id" {
			t.Errorf("agency admin's search: %d %s", r.Status, r.Body)
		}
		for _, c := range []struct {
			what, token, query string
			status             int
		}{
			{"another agency", admin, "?agency_id=" + strconv.FormatInt(disdik.ID, 10), http.StatusForbidden},
			{"an employee", staff, "", http.StatusForbidden},
			{"an unknown role", super, "?role=king", http.StatusUnprocessableEntity},
			{"a bad agency id", super, "?agency_id=x", http.StatusUnprocessableEntity},
		} {
			if r := h.Do(t, "GET", "/api/v1/accounts"+c.query, c.token, nil, ""); r.Status != c.status {
				t.Errorf("%s: %d, want %d", c.what, r.Status, c.status)
			}
		}
	})
}
