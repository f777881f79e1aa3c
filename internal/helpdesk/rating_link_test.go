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

func TestOneTimeRatingLinkRatesWithoutAnAccountOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newReporters(t, d)
		b := c.h.SignIn(t, empEmail, c.pw[empEmail])
		own := c.file(t, b, "Printer rusak")
		c.answer(t, own, true)
		// A reporter with an account rates on their own page: no link.
		servertest.Problem(t, c.h.Do(t, "POST", "/api/v1/tickets/"+own+"/rating-link", c.agnt, nil, ""), 409)

		number := c.callerTicket(t, "Jaringan kantor lambat")
		path := "/api/v1/tickets/" + number + "/rating-link"
		servertest.Problem(t, c.h.Do(t, "POST", path, c.agnt, nil, ""), 409) // not resolved yet
		c.answer(t, number, true)
		servertest.Problem(t, c.h.Do(t, "POST", path, c.colleague, nil, ""), 404)

		r := c.h.Do(t, "POST", path, c.agnt, nil, "")
		if r.Status != 201 {
			t.Fatalf("make a link: %d %s", r.Status, r.Body)
		}
		var link helpdesk.RatingLink
		r.JSON(t, &link)
		if link.Token == "" || link.URL != "/nilai/"+number+"?token="+url.QueryEscape(link.Token) {
			t.Fatalf("link: %+v", link)
		}

		anon := c.h.Client(t)
		if p := anon.Get("/nilai/" + number + "?token=salah"); p.Status != 404 {
			t.Errorf("a wrong link: %d, want 404", p.Status)
		}
		anon.Get(link.URL).Want(t, 200, "the link's page", number, "Jaringan kantor lambat", `id="send-rating"`)
		anon.PostForm("/nilai/"+number, url.Values{"token": {link.Token}, "score": {"6"}}).
			Want(t, 422, "score 6", `id="e-score"`)
		anon.PostForm("/nilai/"+number, url.Values{"token": {link.Token}, "score": {"3"}, "comment": {"Lumayan"}}).
			Redirects(t, "rate by link", "/nilai/terima-kasih")
		anon.Get("/nilai/terima-kasih").Want(t, 200, "thanks", "Penilaian Anda sudah kami terima")
		anon.Get(link.URL).Want(t, 409, "the used link", "sudah dipakai")
		anon.PostForm("/nilai/"+number, url.Values{"token": {link.Token}, "score": {"5"}}).
			Want(t, 409, "the used link again", "sudah dipakai")

		var score int
		var comment string
		if err := d.R.QueryRow(`SELECT score, comment FROM ticket_ratings`).Scan(&score, &comment); err != nil ||
			score != 3 || comment != "Lumayan" {
			t.Errorf("stored rating %d %q (%v), want 3 \"Lumayan\"", score, comment, err)
		}

		doc := c.h.Do(t, "GET", "/api/v1/openapi.json", c.emp, nil, "")
		for _, op := range []string{`"rateTicket"`, `"makeRatingLink"`, `"makeStatusLink"`, `"/api/v1/tickets/{number}/rating"`} {
			if !strings.Contains(string(doc.Body), op) {
				t.Errorf("the OpenAPI document lacks %s", op)
			}
		}
	})
}
