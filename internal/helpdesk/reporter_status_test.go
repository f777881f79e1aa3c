package helpdesk_test

import (
	"net/url"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

func TestStatusLinkShowsAnOutsideReporterThePublicSide(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newReporters(t, d)
		r := c.h.Do(t, "POST", "/api/v1/tickets", c.agnt, map[string]any{"subject": "Warga tidak bisa login e-KTP",
			"category": "account", "channel": "phone", "contact_name": "Daeng Ä Nur'aini", "contact_phone": "081234567890"}, "")
		if r.Status != 201 {
			t.Fatalf("phone ticket: %d %s", r.Status, r.Body)
		}
		var tk helpdesk.Ticket
		r.JSON(t, &tk)
		c.answer(t, tk.Number, false)

		path := "/api/v1/tickets/" + tk.Number + "/status-link"
		servertest.Problem(t, c.h.Do(t, "POST", path, c.emp, nil, ""), 404)
		r = c.h.Do(t, "POST", path, c.agnt, nil, "")
		if r.Status != 201 {
			t.Fatalf("status link: %d %s", r.Status, r.Body)
		}
		var link helpdesk.StatusLink
		r.JSON(t, &link)
		if link.URL != "/status/"+tk.Number+"?token="+url.QueryEscape(link.Token) {
			t.Fatalf("link: %+v", link)
		}

		anon := c.h.Client(t)
		page := anon.Get(link.URL)
		page.Want(t, 200, "the status page", tk.Number, "Warga tidak bisa login e-KTP", "Sedang ditangani",
			"Server SIMPEG sudah dinyalakan ulang")
		page.Lacks(t, "the status page", "RAHASIA")
		for _, bad := range []string{"?token=salah", "", "?token=" + url.QueryEscape(link.Token) + "x"} {
			if p := anon.Get("/status/" + tk.Number + bad); p.Status != 404 {
				t.Errorf("status page with %q: %d, want 404", bad, p.Status)
			}
		}
		// A new link replaces the old one.
		c.h.Do(t, "POST", path, c.agnt, nil, "")
		if p := anon.Get(link.URL); p.Status != 404 {
			t.Errorf("the replaced link: %d, want 404", p.Status)
		}
	})
}
