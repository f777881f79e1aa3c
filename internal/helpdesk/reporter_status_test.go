package helpdesk_test

import (
	"net/url"
	"strings"
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

// A caller without an account rates the resolved ticket from the status
// page the help desk gave them: it opens a one-time rating link.
func TestStatusLinkLeadsAnOutsideReporterToRateOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newReporters(t, d)
		number := c.callerTicket(t, "Jaringan puskesmas putus")
		r := c.h.Do(t, "POST", "/api/v1/tickets/"+number+"/status-link", c.agnt, nil, "")
		var link helpdesk.StatusLink
		r.JSON(t, &link)
		anon := c.h.Client(t)
		anon.Get(link.URL).Lacks(t, "an open ticket's status page", `id="rate-from-status"`)

		c.answer(t, number, true)
		anon.Get(link.URL).Want(t, 200, "the resolved ticket's status page", `id="rate-from-status"`)
		if p := anon.PostForm("/status/"+number+"/nilai", url.Values{"token": {"salah"}}); p.Status != 404 {
			t.Errorf("rating with a wrong status link: %d, want 404", p.Status)
		}
		p := anon.PostForm("/status/"+number+"/nilai", url.Values{"token": {link.Token}})
		if p.Status != 303 || !strings.HasPrefix(p.Location, "/nilai/"+number+"?token=") {
			t.Fatalf("rate from the status page: %d to %q, want the rating link", p.Status, p.Location)
		}
		anon.Get(p.Location).Want(t, 200, "the rating page", `id="send-rating"`)
		token, _ := url.ParseQuery(strings.SplitN(p.Location, "?", 2)[1])
		anon.PostForm("/nilai/"+number, url.Values{"token": {token.Get("token")}, "score": {"5"}, "comment": {"Cepat"}}).
			Redirects(t, "rate", "/nilai/terima-kasih")
		anon.Get(link.URL).Lacks(t, "the rated ticket's status page", `id="rate-from-status"`)
		anon.PostForm("/status/"+number+"/nilai", url.Values{"token": {link.Token}}).Want(t, 409, "rate again", "sudah dinilai")

		// A reporter with an account rates on their own page: a status link
		// the help desk made for their ticket offers no rating.
		b := c.h.SignIn(t, empEmail, c.pw[empEmail])
		own := c.file(t, b, "Printer lantai 2 macet")
		c.answer(t, own, true)
		r = c.h.Do(t, "POST", "/api/v1/tickets/"+own+"/status-link", c.agnt, nil, "")
		var ownLink helpdesk.StatusLink
		r.JSON(t, &ownLink)
		anon.Get(ownLink.URL).Lacks(t, "an employee's ticket's status page", `id="rate-from-status"`)
		anon.PostForm("/status/"+own+"/nilai", url.Values{"token": {ownLink.Token}}).Want(t, 409, "rate it from the status page", "punya akun")
	})
}
