package server_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// TestSecurityHeaders reads the headers of a page before and after sign-in,
// an error page, an API answer, an API problem and a static file: each
// carries the CSP without inline script or style, nosniff, the referrer,
// permissions and opener policies; everything but the static file (which
// is public and named by its hash) is no-store. HSTS is sent only when the
// public base URL is https, as behind a TLS-terminating proxy.
func TestSecurityHeaders(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		for _, c := range []struct {
			name, baseURL string
			hsts          bool
		}{{"PlainHTTP", "", false}, {"BehindHTTPS", "https://lontara.makassarkota.go.id", true}} {
			t.Run(c.name, func(t *testing.T) {
				h := servertest.StartWith(t, d, func(cfg *config.Config) { cfg.BaseURL = c.baseURL })
				email := "andi." + strings.ToLower(c.name) + "@makassarkota.go.id"
				if c.name == "PlainHTTP" {
					h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
				}
				password := h.User(t, email, "Andi", policy.Superadmin, "KOMINFO")
				token := h.Token(t, email)
				anon := h.Client(t)
				signin := anon.Get("/masuk")
				css := regexp.MustCompile(`/static/app\.css\?v=[0-9a-f]+`).FindString(signin.Body)
				if css == "" {
					t.Fatal("the sign-in page links no hashed app.css")
				}
				b := h.SignIn(t, email, password)
				answers := map[string]http.Header{
					"sign-in page":  signin.Header,
					"account page":  b.Get("/akun").Header,
					"not found":     b.Get("/tidak-ada").Header,
					"static file":   anon.Get(css).Header,
					"API answer":    h.Do(t, "GET", "/api/v1/me", token, nil, "").Header,
					"API problem":   h.Do(t, "GET", "/api/v1/me", "", nil, "").Header,
					"sign-in error": anon.PostForm("/masuk", map[string][]string{"email": {email}, "password": {"wrong-password-1"}}).Header,
				}
				for what, hd := range answers {
					csp := hd.Get("Content-Security-Policy")
					for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'",
						"object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"} {
						if !strings.Contains(csp, want) {
							t.Errorf("%s: CSP %q lacks %s", what, csp, want)
						}
					}
					if strings.Contains(csp, "unsafe-") {
						t.Errorf("%s: CSP %q allows unsafe code", what, csp)
					}
					for name, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
						"Cross-Origin-Opener-Policy": "same-origin", "X-Frame-Options": "DENY"} {
						if got := hd.Get(name); got != want {
							t.Errorf("%s: %s %q, want %q", what, name, got, want)
						}
					}
					if pp := hd.Get("Permissions-Policy"); !strings.Contains(pp, "camera=()") || !strings.Contains(pp, "geolocation=()") {
						t.Errorf("%s: Permissions-Policy %q", what, pp)
					}
					cache := hd.Get("Cache-Control")
					if what == "static file" {
						if !strings.Contains(cache, "immutable") {
							t.Errorf("static file: Cache-Control %q", cache)
						}
					} else if !strings.Contains(cache, "no-store") {
						t.Errorf("%s: Cache-Control %q, want no-store", what, cache)
					}
					if hsts := hd.Get("Strict-Transport-Security"); (hsts != "") != c.hsts || c.hsts && !strings.Contains(hsts, "max-age=31536000") {
						t.Errorf("%s: Strict-Transport-Security %q with base URL %q", what, hsts, c.baseURL)
					}
				}
			})
		}
	})
}
