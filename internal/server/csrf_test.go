package server_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// TestEveryFormRefusesAForgedPost posts to every page route that changes
// something (web's FormRoutes: every POST of every capability, 170 or so)
// as a signed-in superadmin, who may do nearly anything, without a CSRF
// token, with a wrong one, with the token of another person's session,
// with the right token from another site's page and with the right token
// in a header instead of the form. Each must be refused with
// 403 and the "form expired" page before its handler runs, and no table
// may gain or lose a row — every change writes its audit entry in its own
// transaction, so a change that slipped through would show there.
func TestEveryFormRefusesAForgedPost(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		cfg := config.Default()
		cfg.DB = d.DSN
		srv, _, err := server.New(cfg, d)
		if err != nil {
			t.Fatal(err)
		}
		handler, err := srv.Handler()
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(handler)
		t.Cleanup(ts.Close)
		h := servertest.At(t, ts.URL, d)
		h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		super := h.SignIn(t, "admin@makassarkota.go.id", h.User(t, "admin@makassarkota.go.id", "Andi Admin", policy.Superadmin, "KOMINFO"))
		other := h.SignIn(t, "budi@makassarkota.go.id", h.User(t, "budi@makassarkota.go.id", "Budi", policy.Employee, "KOMINFO"))
		visitor := h.Client(t)
		visitor.Get("/masuk") // a visitor's CSRF cookie, and its token
		ownToken := servertest.CSRF(super.Get("/akun").Body)
		otherToken := servertest.CSRF(other.Get("/akun").Body)
		visitorToken := servertest.CSRF(visitor.Get("/masuk").Body)
		if ownToken == "" || otherToken == "" || visitorToken == "" || ownToken == otherToken {
			t.Fatalf("tokens: %q %q %q", ownToken, otherToken, visitorToken)
		}

		routes := srv.FormRoutes()
		if len(routes) < 150 {
			t.Fatalf("%d form routes; the list is missing the capabilities' routes", len(routes))
		}
		before := dbtest.RowCounts(t, d)
		if len(before) < 50 {
			t.Fatalf("counted %d tables", len(before))
		}
		forged := []struct {
			name   string
			token  *string // nil: no csrf field at all
			origin string
			header string // the right token in an X-CSRF-Token header instead of the form
		}{
			{"NoToken", nil, "", ""},
			{"WrongToken", ptr("d2hhdGV2ZXItdGhlLWF0dGFja2VyLWd1ZXNzZXM"), "", ""},
			{"AnotherSessionsToken", &otherToken, "", ""},
			{"AVisitorsToken", &visitorToken, "", ""},
			{"RightTokenFromAnotherSite", &ownToken, "https://evil.example", ""},
			// A header would pass by the form's parsing, where its text is
			// checked (NUL, invalid UTF-8): the token is read from the form only.
			{"RightTokenInAHeader", nil, "", ownToken},
		}
		for _, route := range routes {
			method, pattern, _ := strings.Cut(route, " ")
			path := fillPattern(pattern)
			for _, f := range forged {
				form := url.Values{"name": {"forged"}, "title": {"forged"}, "body": {"forged"}}
				if f.token != nil {
					form.Set("csrf", *f.token)
				}
				req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(form.Encode()))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if f.header != "" {
					req.Header.Set("X-CSRF-Token", f.header)
				}
				if f.origin != "" {
					req.Header.Set("Origin", f.origin)
					req.Header.Set("Sec-Fetch-Site", "cross-site")
				}
				p := super.Do(req)
				if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "Formulir kedaluwarsa") {
					t.Errorf("%s %s, %s: %d, want 403 for the CSRF check", method, path, f.name, p.Status)
				}
			}
		}
		after := dbtest.RowCounts(t, d)
		for table, n := range before {
			if after[table] != n {
				t.Errorf("table %s went from %d rows to %d", table, n, after[table])
			}
		}
		// The control: the same client with its own token gets past the
		// check, so the 403s above were the check's and not the policy's.
		p := super.PostForm("/akun/token", url.Values{"name": {"control"}, "expires_days": {"1"}, "csrf": {ownToken}})
		p.Want(t, http.StatusCreated, "a token created with the right CSRF token")
	})
}

var patternParam = regexp.MustCompile(`\{[^}]+\}`)

// fillPattern turns a route pattern into a path: each wildcard becomes 1,
// which names a real row for most routes (the first agency, account,
// person), and {$} nothing.
func fillPattern(p string) string {
	p = strings.ReplaceAll(p, "{$}", "")
	return patternParam.ReplaceAllString(p, "1")
}

func ptr(s string) *string { return &s }
