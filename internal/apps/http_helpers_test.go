package apps_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/lontara-id/lontara/internal/apps"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
	"github.com/lontara-id/lontara/internal/web"
)

// city is a running server with three agencies and people in them.
type city struct {
	h                       *servertest.Harness
	kominfo, diskes, bkpsdm org.Agency
	pw                      map[string]string // email → password
	super, admin            string            // tokens: the superadmin, Diskes' agency admin
}

const (
	superEmail = "super@makassarkota.go.id"
	adminEmail = "admin.diskes@makassarkota.go.id"
	staffEmail = "nuraini@makassarkota.go.id"
	opDiskes   = "opdiskes@makassarkota.go.id"
	opBkpsdm   = "opbkpsdm@makassarkota.go.id"
	adminOther = "admin.bkpsdm@makassarkota.go.id"
	system     = "test"
)

func newCity(t *testing.T, d *db.DB) *city {
	t.Helper()
	h := servertest.Start(t, d)
	c := &city{h: h, pw: map[string]string{}}
	c.kominfo = h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
	c.diskes = h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
	c.bkpsdm = h.Agency(t, "BKPSDM", "Badan Kepegawaian dan Pengembangan SDM", "badan")
	for _, u := range []struct {
		email, name string
		role        policy.Role
		agency      string
	}{
		{superEmail, "Andi Admin", policy.Superadmin, "KOMINFO"},
		{adminEmail, "Besse Admin", policy.AgencyAdmin, "DISKES"},
		{staffEmail, "Nur'aini Daeng Caya", policy.Employee, "DISKES"},
		{opDiskes, "Rahmat Operator", policy.Employee, "DISKES"},
		{opBkpsdm, "Sitti Operator", policy.Employee, "BKPSDM"},
		{adminOther, "Karaeng Admin", policy.AgencyAdmin, "BKPSDM"},
	} {
		c.pw[u.email] = h.User(t, u.email, u.name, u.role, u.agency)
	}
	c.super, c.admin = h.Token(t, superEmail), h.Token(t, adminEmail)
	return c
}

// app adds an application through the service.
func (c *city) app(t *testing.T, name string, owner int64, status string) apps.App {
	t.Helper()
	a, err := c.h.Svc.Apps.CreateApp(context.Background(), policy.SystemActor(system),
		apps.AppInput{Name: name, OwnerAgencyID: owner, Status: status, URL: "https://" + apps.Slugify(name) + ".makassarkota.go.id",
			Description: "Layanan " + name + " untuk seluruh OPD."})
	if err != nil {
		t.Fatalf("app %s: %v", name, err)
	}
	return a
}

func (c *city) account(t *testing.T, email string) int64 {
	t.Helper()
	id, err := c.h.Svc.Auth.AccountIDByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// browser returns a browser signed in through the sign-in page.
func (c *city) browser(t *testing.T, email string) *http.Client {
	t.Helper()
	b := servertest.Browser()
	_, body := page(t, b, c.h.URL+"/masuk")
	resp := post(t, b, c.h.URL+"/masuk", url.Values{"csrf": {csrfOf(t, body)}, "email": {email}, "password": {c.pw[email]}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in %s: %d", email, resp.StatusCode)
	}
	return b
}

// page GETs a page and returns its status and body.
func page(t *testing.T, b *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := b.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrfOf reads the CSRF token of the first form on a page.
func csrfOf(t *testing.T, body string) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no csrf input on the page")
	}
	return m[1]
}

func post(t *testing.T, b *http.Client, u string, form url.Values) *http.Response {
	t.Helper()
	resp, err := b.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// problem checks an API error and returns it.
func problem(t *testing.T, r servertest.Response, status int) web.Problem {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want problem+json", ct)
	}
	var p web.Problem
	r.JSON(t, &p)
	return p
}

func fields(p web.Problem) []string {
	var names []string
	for _, e := range p.Errors {
		names = append(names, e.Field)
	}
	return names
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
