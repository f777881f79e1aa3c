package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// TestTextNoFieldCanHold checks that invalid UTF-8 and NUL characters are a
// 422 on both engines, wherever they come in: PostgreSQL refuses them, and
// without this check it answered 500 where SQLite answered 200.
func TestTextNoFieldCanHold(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		pw := h.User(t, "admin@makassarkota.go.id", "Andi Admin", policy.Superadmin, "KOMINFO")
		token := h.Token(t, "admin@makassarkota.go.id")
		for _, path := range []string{
			"/api/v1/employees?q=%ff", "/api/v1/agencies?q=a%00b", "/api/v1/apps?q=%c3", "/api/v1/audit?entity=%ff",
			"/api/v1/audit?entity_id=%00", "/api/v1/accounts?q=%00",
		} {
			servertest.Problem(t, h.Do(t, "GET", path, token, nil, ""), 422)
		}
		servertest.Problem(t, h.Do(t, "POST", "/api/v1/employees", token,
			`{"agency_id":1,"name":"a\u0000b","employment_type":"contract"}`, "application/json"), 422)
		servertest.Problem(t, h.Do(t, "POST", "/api/v1/tokens", token, []byte("{\"name\":\"\xff\"}"), "application/json"), 422)
		servertest.Problem(t, h.Do(t, "PATCH", "/api/v1/agencies/1", token, "null", "application/merge-patch+json"), 422)
		if r := h.Do(t, "POST", "/masuk", "", "email=a%00%40x.id&password=x", "application/x-www-form-urlencoded"); r.Status != 422 {
			t.Errorf("sign-in form with a NUL: %d", r.Status)
		}
		if r := h.Do(t, "GET", "/api/v1/employees?q=Nur%27aini%20%C3%84", token, nil, ""); r.Status != 200 {
			t.Errorf("a valid non-ASCII search: %d %s", r.Status, r.Body)
		}

		// A header is no field: a browser's Latin-1 User-Agent, kept with
		// the session, does not stop its owner signing in.
		c := h.Client(t)
		form := url.Values{"csrf": {servertest.CSRF(c.Get("/masuk").Body)}, "email": {"admin@makassarkota.go.id"}, "password": {pw}}
		req, err := http.NewRequest("POST", h.URL+"/masuk", strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("User-Agent", "Mozilla/5.0 (Caf\xe9)")
		c.Do(req).Want(t, http.StatusSeeOther, "sign-in with a Latin-1 User-Agent")
		var ua string
		if err := d.R.QueryRow(`SELECT user_agent FROM sessions ORDER BY created_at DESC LIMIT 1`).Scan(&ua); err != nil || ua != "Mozilla/5.0 (Caf)" {
			t.Errorf("the session's User-Agent: %q, %v", ua, err)
		}
	})
}
