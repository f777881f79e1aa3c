package auth_test

import (
	"context"
	"fmt"
	"html"
	"io"
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

// browser walks the pages as a browser without JavaScript: a cookie jar,
// no redirects followed, and the CSRF token of the last page seen.
type browser struct {
	t    *testing.T
	h    *servertest.Harness
	c    *http.Client
	csrf string
}

// page is an answer read whole.
type page struct {
	status int
	header http.Header
	body   string
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func newBrowser(t *testing.T, h *servertest.Harness) *browser {
	return &browser{t: t, h: h, c: servertest.Browser()}
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	p := page{status: resp.StatusCode, header: resp.Header, body: string(body)}
	if m := csrfInput.FindStringSubmatch(p.body); m != nil {
		b.csrf = m[1]
	}
	return p
}

func (b *browser) get(path string) page {
	b.t.Helper()
	req, err := http.NewRequest("GET", b.h.URL+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// post sends a form with the CSRF token of the last page seen.
func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if !form.Has("csrf") {
		form.Set("csrf", b.csrf)
	}
	req, err := http.NewRequest("POST", b.h.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// signIn signs in through the sign-in form.
func (b *browser) signIn(email, password string) {
	b.t.Helper()
	b.get("/masuk")
	if p := b.post("/masuk", url.Values{"email": {email}, "password": {password}}); p.status != http.StatusSeeOther {
		b.t.Fatalf("sign in as %s: %d %s", email, p.status, p.body)
	}
}

func want(t *testing.T, what string, p page, status int, texts ...string) {
	t.Helper()
	if p.status != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, p.status, status, p.body)
	}
	for _, s := range texts {
		if !strings.Contains(p.body, s) {
			t.Errorf("%s: the page does not show %q", what, s)
		}
	}
}

func wantRedirect(t *testing.T, what string, p page, location string) {
	t.Helper()
	if p.status != http.StatusSeeOther || p.header.Get("Location") != location {
		t.Fatalf("%s: %d to %q, want 303 to %q", what, p.status, p.header.Get("Location"), location)
	}
}

const name = "Andi Dottoro'ta"

func TestSignInAndOut(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		password := h.User(t, "andi@makassarkota.go.id", name, policy.Employee, "KOMINFO")
		b := newBrowser(t, h)

		form := b.get("/masuk?next=%2Fakun")
		want(t, "sign-in page", form, 200, "Masuk", `class="signin"`, `autocomplete="username"`,
			`autocomplete="current-password"`, `name="next" value="/akun"`)
		noCSRF := url.Values{"email": {"andi@makassarkota.go.id"}, "password": {password}, "csrf": {""}}
		want(t, "sign-in without the CSRF token", b.post("/masuk", noCSRF), http.StatusForbidden)

		wrong := b.post("/masuk", url.Values{"email": {"Andi@Makassarkota.go.id"}, "password": {"not-the-password"}})
		want(t, "wrong password", wrong, http.StatusUnauthorized, "Email atau kata sandi salah",
			`value="Andi@Makassarkota.go.id"`)
		if strings.Contains(wrong.body, "not-the-password") {
			t.Error("the form was shown again with the password filled in")
		}
		want(t, "empty password", b.post("/masuk", url.Values{"email": {"andi@makassarkota.go.id"}}),
			http.StatusUnprocessableEntity, `id="e-password"`)

		p := b.post("/masuk", url.Values{"email": {"andi@makassarkota.go.id"}, "password": {password}, "next": {"/akun"}})
		wantRedirect(t, "sign-in", p, "/akun")
		if c := p.header.Get("Set-Cookie"); !strings.Contains(c, "lontara_session=") || !strings.Contains(c, "HttpOnly") {
			t.Errorf("session cookie: %q", c)
		}
		want(t, "home page signed in", b.get("/"), 200, html.EscapeString(name))
		wantRedirect(t, "sign-in page when signed in", b.get("/masuk"), "/")

		b.get("/")
		wantRedirect(t, "sign-out", b.post("/keluar", nil), "/masuk")
		want(t, "after sign-out", b.get("/masuk"), 200, "Anda telah keluar")
		wantRedirect(t, "home after sign-out", b.get("/"), "/masuk?next=%2F")

		for _, next := range []string{"//evil.example", "https://evil.example/", "/\\evil.example"} {
			b := newBrowser(t, h)
			b.get("/masuk")
			p := b.post("/masuk", url.Values{"email": {"andi@makassarkota.go.id"}, "password": {password}, "next": {next}})
			wantRedirect(t, "sign-in with next="+next, p, "/")
		}
	})
}

func TestSignInThrottled(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.StartWith(t, d, func(c *config.Config) { c.SignInLimit = 3 })
		h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		password := h.User(t, "andi@makassarkota.go.id", name, policy.Employee, "KOMINFO")
		b := newBrowser(t, h)
		b.get("/masuk")
		for i := range 3 {
			p := b.post("/masuk", url.Values{"email": {"andi@makassarkota.go.id"}, "password": {fmt.Sprintf("wrong-%d", i)}})
			want(t, "wrong password", p, http.StatusUnauthorized)
		}
		p := b.post("/masuk", url.Values{"email": {"andi@makassarkota.go.id"}, "password": {password}})
		want(t, "fourth try", p, http.StatusTooManyRequests, "15 menit", `value="andi@makassarkota.go.id"`)
		if secs, err := strconv.Atoi(p.header.Get("Retry-After")); err != nil || secs < 800 || secs > 900 {
			t.Errorf("Retry-After %q", p.header.Get("Retry-After"))
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
		b, other := newBrowser(t, h), newBrowser(t, h)
		b.signIn("nuraini@makassarkota.go.id", password)
		other.signIn("nuraini@makassarkota.go.id", password)

		want(t, "account page", b.get("/akun"), 200, "Nur&#39;aini", "nuraini@makassarkota.go.id",
			"Dinas Kesehatan", "Operator", `autocomplete="new-password"`)
		newPassword := "Sandi-baru-Ä-2026"
		mismatch := b.post("/akun/sandi", url.Values{"current_password": {password}, "password": {newPassword},
			"password_confirm": {newPassword + "x"}})
		want(t, "confirmation mismatch", mismatch, http.StatusUnprocessableEntity, `id="e-password_confirm"`, "tidak sama")
		wrong := b.post("/akun/sandi", url.Values{"current_password": {"wrong-password"}, "password": {newPassword},
			"password_confirm": {newPassword}})
		want(t, "wrong current password", wrong, http.StatusUnprocessableEntity, "kata sandi saat ini salah")
		short := b.post("/akun/sandi", url.Values{"current_password": {password}, "password": {"short"},
			"password_confirm": {"short"}})
		want(t, "short new password", short, http.StatusUnprocessableEntity, `id="e-password"`)
		wantRedirect(t, "password change", b.post("/akun/sandi", url.Values{"current_password": {password},
			"password": {newPassword}, "password_confirm": {newPassword}}), "/akun")
		want(t, "this session after the change", b.get("/akun"), 200, "Kata sandi telah diganti")
		wantRedirect(t, "the other session after the change", other.get("/akun"), "/masuk?next=%2Fakun")
		other.signIn("nuraini@makassarkota.go.id", newPassword)

		created := b.post("/akun/token", url.Values{"name": {"Sinkron SIMPEG"}, "expires_days": {"30"}})
		want(t, "token created", created, http.StatusCreated, "ltr_", "Salin token ini sekarang")
		plain := regexp.MustCompile(`ltr_[A-Za-z0-9_-]+`).FindString(created.body)
		var me map[string]any
		r := h.Do(t, "GET", "/api/v1/me", plain, nil, "")
		r.JSON(t, &me)
		if r.Status != 200 || me["email"] != "nuraini@makassarkota.go.id" {
			t.Fatalf("the new token: %d %s", r.Status, r.Body)
		}
		want(t, "token listed", b.get("/akun"), 200, "Sinkron SIMPEG", plain[:10])
		want(t, "token days out of range", b.post("/akun/token", url.Values{"expires_days": {"0"}}),
			http.StatusUnprocessableEntity, `id="e-expires_days"`)
		id := tokenID(t, h, plain, plain)
		b.get("/akun")
		wantRedirect(t, "revoke", b.post(fmt.Sprintf("/akun/token/%d/cabut", id), nil), "/akun")
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
		if r := h.Do(t, "DELETE", path, other, nil, ""); r.Status != http.StatusForbidden {
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

func accountID(t *testing.T, h *servertest.Harness, email string) int64 {
	t.Helper()
	id, err := h.Svc.Auth.AccountIDByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestUsersAdmin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
		h.Agency(t, "DISDIK", "Dinas Pendidikan", "dinas")
		password := h.User(t, "admin@diskes.go.id", "Admin Diskes", policy.AgencyAdmin, "DISKES")
		staffPassword := h.User(t, "staf@diskes.go.id", "Besse Dottoro'ta", policy.Employee, "DISKES")
		h.User(t, "guru@disdik.go.id", "Guru Disdik", policy.Employee, "DISDIK")
		staff, guru := accountID(t, h, "staf@diskes.go.id"), accountID(t, h, "guru@disdik.go.id")
		b := newBrowser(t, h)
		b.signIn("admin@diskes.go.id", password)

		list := b.get("/admin/pengguna")
		want(t, "users list", list, 200, "Besse Dottoro&#39;ta", "Admin OPD", "Belum pernah")
		if strings.Contains(list.body, "Guru Disdik") {
			t.Error("an agency admin sees another agency's account")
		}
		want(t, "search", b.get("/admin/pengguna?q=besse&role=employee"), 200, "Besse")
		want(t, "another agency's account", b.get(fmt.Sprintf("/admin/pengguna/%d", guru)), http.StatusForbidden)
		want(t, "an unknown role filter", b.get("/admin/pengguna?role=king"), http.StatusUnprocessableEntity)

		detail := fmt.Sprintf("/admin/pengguna/%d", staff)
		want(t, "account detail", b.get(detail), 200, "Besse Dottoro&#39;ta", "Pegawai", "Cabut peran",
			`<option value="trainer"`, "Atur ulang kata sandi")
		if strings.Contains(b.get(detail).body, `<option value="superadmin"`) {
			t.Error("an agency admin is offered the superadmin role")
		}
		diskes, err := h.Svc.Org.GetAgencyByCode(context.Background(), "DISKES")
		if err != nil {
			t.Fatal(err)
		}
		agency := strconv.FormatInt(diskes.ID, 10)
		wantRedirect(t, "grant trainer", b.post(detail+"/peran", url.Values{"role": {"trainer"}, "agency_id": {agency}}), detail)
		want(t, "after the grant", b.get(detail), 200, "Peran telah diberikan", `name="role" value="trainer"`)
		want(t, "grant without an agency", b.post(detail+"/peran", url.Values{"role": {"operator"}}),
			http.StatusUnprocessableEntity, `id="e-agency_id"`)
		want(t, "grant agency_admin", b.post(detail+"/peran", url.Values{"role": {"agency_admin"}, "agency_id": {agency}}),
			http.StatusForbidden)
		b.get(detail)
		wantRedirect(t, "revoke trainer", b.post(detail+"/peran/cabut", url.Values{"role": {"trainer"}, "agency_id": {agency}}), detail)
		if p := b.get(detail); strings.Contains(p.body, `name="role" value="trainer"`) {
			t.Error("the revoked role is still shown")
		}

		staffBrowser := newBrowser(t, h)
		staffBrowser.signIn("staf@diskes.go.id", staffPassword)
		want(t, "users list as an employee", staffBrowser.get("/admin/pengguna"), http.StatusForbidden)
		b.get(detail)
		reset := b.post(detail+"/sandi", nil)
		want(t, "reset password", reset, 200, "1 sesi diakhiri dan 0 token API dicabut")
		newPassword := regexp.MustCompile(`id="f-password" value="([^"]+)"`).FindStringSubmatch(reset.body)
		if newPassword == nil {
			t.Fatal("the new password is not shown")
		}
		wantRedirect(t, "staff after the reset", staffBrowser.get("/akun"), "/masuk?next=%2Fakun")

		form := b.get("/admin/pengguna/baru")
		want(t, "new user form", form, 200, `name="email"`, `<option value="DISKES"`, "PPPK")
		if strings.Contains(form.body, `<option value="DISDIK"`) {
			t.Error("an agency admin is offered another agency")
		}
		bad := b.post("/admin/pengguna/baru", url.Values{"email": {"bukan-email"}, "name": {"Nur'aini Ä"},
			"role": {"employee"}, "agency": {"DISKES"}})
		want(t, "new user with a bad email", bad, http.StatusUnprocessableEntity, `id="e-email"`, `value="Nur&#39;aini Ä"`)
		created := b.post("/admin/pengguna/baru", url.Values{"email": {"nuraini@diskes.go.id"}, "name": {"Nur'aini Ä"},
			"role": {"employee"}, "agency": {"DISKES"}, "employment_type": {"contract"}})
		want(t, "new user", created, http.StatusCreated, "nuraini@diskes.go.id", "Salin kata sandi ini sekarang")
		pw := regexp.MustCompile(`id="f-password" value="([^"]+)"`).FindStringSubmatch(created.body)
		if pw == nil {
			t.Fatal("the new user's password is not shown")
		}
		person, err := h.Svc.Org.GetEmployeeByEmail(context.Background(), "nuraini@diskes.go.id")
		if err != nil || person.Name != "Nur'aini Ä" || person.EmploymentType != "contract" {
			t.Errorf("created person: %+v, %v", person, err)
		}
		newcomer := newBrowser(t, h)
		newcomer.signIn("nuraini@diskes.go.id", html.UnescapeString(pw[1]))
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
