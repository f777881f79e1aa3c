package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

func TestPublicEndpoints(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		r := h.Do(t, "GET", "/healthz", "", nil, "")
		var health map[string]string
		r.JSON(t, &health)
		if r.Status != 200 || health["status"] != "ok" || health["database"] != string(d.Engine()) {
			t.Errorf("healthz: %d %v", r.Status, health)
		}
		r = h.Do(t, "GET", "/api/v1/openapi.json", "", nil, "")
		if r.Status != 200 || !strings.Contains(string(r.Body), `"openapi":"3.1.0"`) {
			t.Errorf("openapi: %d", r.Status)
		}
		if r = h.Do(t, "GET", "/metrics", "", nil, ""); r.Status != 200 || !strings.Contains(string(r.Body), "lontara_http_requests_total") {
			t.Errorf("metrics from loopback: %d", r.Status)
		}
		// The live heap, which scripts/soak.sh bounds, beside the defaults.
		for _, m := range []string{"\ngo_gc_heap_live_bytes ", "\ngo_goroutines ", "\nprocess_resident_memory_bytes "} {
			if !strings.Contains(string(r.Body), m) {
				t.Errorf("metrics lack %s", strings.TrimSpace(m))
			}
		}
	})
}

func TestMetricsAllowList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.StartWith(t, d, func(c *config.Config) { c.MetricsAllow = "10.9.0.0/16" })
		if r := h.Do(t, "GET", "/metrics", "", nil, ""); r.Status != http.StatusForbidden {
			t.Errorf("metrics from an address outside the list: %d", r.Status)
		}
	})
}

func TestAPIAuthenticationAndErrors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		h.User(t, "admin@makassarkota.go.id", "Andi Admin", policy.Superadmin, "KOMINFO")
		token := h.Token(t, "admin@makassarkota.go.id")

		servertest.Problem(t, h.Do(t, "GET", "/api/v1/audit", "", nil, ""), 401)
		servertest.Problem(t, h.Do(t, "GET", "/api/v1/audit", "ltr_not-a-token", nil, ""), 401)
		servertest.Problem(t, h.Do(t, "GET", "/api/v1/no-such-thing", token, nil, ""), 404)
		p := servertest.Problem(t, h.Do(t, "GET", "/api/v1/audit?limit=501", token, nil, ""), 422)
		if len(p.Errors) != 1 || p.Errors[0].Field != "limit" {
			t.Errorf("limit over 500: %v", p)
		}
		servertest.Problem(t, h.Do(t, "GET", "/api/v1/audit?limit=many", token, nil, ""), 422)
		servertest.Problem(t, h.Do(t, "GET", "/api/v1/audit?cursor=%21%21", token, nil, ""), 422)

		r := h.Do(t, "GET", "/api/v1/audit?limit=1", token, nil, "")
		var list struct {
			Items []map[string]any `json:"items"`
			Next  *string          `json:"next"`
		}
		r.JSON(t, &list)
		if r.Status != 200 || len(list.Items) != 1 || list.Next == nil {
			t.Fatalf("audit page 1: %d %s", r.Status, r.Body)
		}
		r = h.Do(t, "GET", "/api/v1/audit?limit=500&cursor="+*list.Next, token, nil, "")
		r.JSON(t, &list)
		if r.Status != 200 || list.Next != nil {
			t.Errorf("audit last page: %d %s", r.Status, r.Body)
		}
	})
}

func TestPagesNeedSignIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Client(t).Get("/admin/audit").Redirects(t, "anonymous page visit", "/masuk?next=%2Fadmin%2Faudit")
	})
}

func TestOversizedFormsAre413(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		big := strings.Repeat("x", 21<<20)
		body := "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"pegawai.csv\"\r\n\r\n" + big + "\r\n--b--\r\n"
		r := h.Do(t, "POST", "/pegawai/impor", "", body, "multipart/form-data; boundary=b")
		if r.Status != http.StatusRequestEntityTooLarge || !strings.Contains(string(r.Body), "20 MiB") {
			t.Errorf("a 21 MiB upload: %d", r.Status)
		}
		r = h.Do(t, "POST", "/masuk", "", "email="+strings.Repeat("a", 2<<20), "application/x-www-form-urlencoded")
		if r.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("a 2 MiB sign-in form: %d", r.Status)
		}
	})
}

// TestSessionAPICallsNeedSameOrigin checks that the JSON API refuses a write
// made with the session cookie from another origin (a sibling site on the
// city's domain shares the cookie), and that a flash cookie planted by such a
// site is not shown.
func TestSessionAPICallsNeedSameOrigin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		pw := h.User(t, "andi@makassarkota.go.id", "Andi", policy.Employee, "KOMINFO")
		b := h.SignIn(t, "andi@makassarkota.go.id", pw)
		post := func(site string) int {
			req, _ := http.NewRequest("POST", h.URL+"/api/v1/tokens", strings.NewReader(`{"name":"x"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Sec-Fetch-Site", site)
			if site == "cross-site" {
				req.Header.Set("Origin", "https://web.makassarkota.go.id")
			}
			resp, err := b.HTTP.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		if got := post("cross-site"); got != http.StatusForbidden {
			t.Errorf("a cross-origin API write with the session cookie: %d", got)
		}
		if got := post("same-origin"); got != http.StatusCreated {
			t.Errorf("a same-origin API write with the session cookie: %d", got)
		}

		u, _ := url.Parse(h.URL)
		b.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: "lontara_flash", Value: "Akun_Anda_diblokir._Hubungi_0812", Path: "/"}})
		b.Get("/").Lacks(t, "home with a planted flash", "Akun_Anda_diblokir")
	})
}
