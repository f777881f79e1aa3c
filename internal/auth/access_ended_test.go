package auth_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// TestTokenEndsWithAccess: a token just used (so cached by the auth
// service) stops working the moment the org service deactivates or moves
// its person, not a cache lifetime later.
func TestTokenEndsWithAccess(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
		to := h.Agency(t, "DISDIK", "Dinas Pendidikan", "dinas")
		cli := policy.SystemActor("test")
		for _, c := range []struct {
			email string
			end   func(id int64) error
		}{
			{"pensiun@diskes.go.id", func(id int64) error {
				_, err := h.Svc.Org.DeactivateEmployee(context.Background(), cli, id, org.EndRetired, time.Time{})
				return err
			}},
			{"mutasi@diskes.go.id", func(id int64) error {
				_, err := h.Svc.Org.TransferEmployee(context.Background(), cli, id, org.TransferInput{ToAgencyID: to.ID})
				return err
			}},
		} {
			h.User(t, c.email, "Nur'aini Dottoro'ta", policy.Operator, "DISKES")
			token := h.Token(t, c.email)
			var me struct {
				Person struct {
					ID int64 `json:"id"`
				} `json:"person"`
			}
			r := h.Do(t, "GET", "/api/v1/me", token, nil, "")
			if r.JSON(t, &me); r.Status != http.StatusOK || me.Person.ID == 0 {
				t.Fatalf("%s: me %d %s", c.email, r.Status, r.Body)
			}
			if err := c.end(me.Person.ID); err != nil {
				t.Fatalf("%s: %v", c.email, err)
			}
			if r := h.Do(t, "GET", "/api/v1/me", token, nil, ""); r.Status != http.StatusUnauthorized {
				t.Errorf("%s: the token still works after access ended: %d %s", c.email, r.Status, r.Body)
			}
		}
	})
}

// TestSignInLockoutBehindProxy: behind a trusted proxy, failures count
// against the client's forwarded address, so hammering an account from one
// place leaves its owner free to sign in from another.
func TestSignInLockoutBehindProxy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.StartWith(t, d, func(c *config.Config) {
			c.SignInLimit, c.TrustedProxies = 3, "127.0.0.1/32,::1/128"
		})
		h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		password := h.User(t, "andi@makassarkota.go.id", name, policy.Superadmin, "KOMINFO")
		post := func(b *servertest.Client, from, pw string) servertest.Page {
			form := url.Values{"email": {"andi@makassarkota.go.id"}, "password": {pw},
				"csrf": {servertest.CSRF(b.Get("/masuk").Body)}}
			req, err := http.NewRequest("POST", h.URL+"/masuk", strings.NewReader(form.Encode()))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", from)
			return b.Do(req)
		}
		attacker := h.Client(t)
		for range 5 {
			post(attacker, "203.0.113.7", "tebakan-salah")
		}
		post(attacker, "203.0.113.7", password).Want(t, http.StatusTooManyRequests, "the attacker, even with the password")
		owner := h.Client(t)
		post(owner, "36.68.1.2", password).Redirects(t, "the owner from their office", "/")
	})
}
