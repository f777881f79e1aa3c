package auth_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// TestSignInRotatesTheSession: each sign-in gives a new session id, the
// browser's previous session ends with it, and the visitor's CSRF cookie
// from before the sign-in is dropped (ASVS 3.2.1).
func TestSignInRotatesTheSession(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		password := h.User(t, "andi@makassarkota.go.id", name, policy.Employee, "KOMINFO")
		site, err := url.Parse(h.URL)
		if err != nil {
			t.Fatal(err)
		}
		b := h.Client(t)
		cookie := func(c *servertest.Client, name string) string {
			for _, k := range c.HTTP.Jar.Cookies(site) {
				if k.Name == name {
					return k.Value
				}
			}
			return ""
		}
		b.Get("/masuk")
		if cookie(b, "lontara_csrf") == "" {
			t.Fatal("no CSRF cookie before sign-in")
		}
		b.SignIn("andi@makassarkota.go.id", password)
		first := cookie(b, "lontara_session")
		if first == "" || cookie(b, "lontara_csrf") != "" {
			t.Fatalf("after sign-in: session %q, the visitor's CSRF cookie %q still kept", first, cookie(b, "lontara_csrf"))
		}
		// Signing in again from the same browser, as another tab might.
		b.PostForm("/masuk", url.Values{"email": {"andi@makassarkota.go.id"}, "password": {password}}).
			Redirects(t, "the second sign-in", "/")
		second := cookie(b, "lontara_session")
		if second == "" || second == first {
			t.Fatalf("the second sign-in kept the session id %q", second)
		}
		b.Get("/akun").Want(t, http.StatusOK, "the new session", "andi@makassarkota.go.id")
		old := h.Client(t)
		old.HTTP.Jar.SetCookies(site, []*http.Cookie{{Name: "lontara_session", Value: first, Path: "/"}})
		old.Get("/akun").Redirects(t, "the session from before the second sign-in", "/masuk?next=%2Fakun")
	})
}
