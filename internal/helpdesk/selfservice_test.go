package helpdesk_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/search"
)

// article writes an article with its search document, as the knowledge
// base does: a published one for everyone, a draft for writers.
func article(t *testing.T, d *db.DB, title, body, status string, app int64) int64 {
	t.Helper()
	var id int64
	err := d.Tx(context.Background(), func(tx *sql.Tx) error {
		at := time.Now().UTC()
		var err error
		id, err = db.InsertID(context.Background(), tx, `INSERT INTO articles (title, body, status, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $4) RETURNING id`, title, body, status, at)
		if err != nil {
			return err
		}
		aud := []string{search.Everyone}
		if status != "published" {
			aud = []string{search.Writers}
		}
		return search.Put(context.Background(), tx, search.Doc{Kind: search.KindArticle, ID: id, Ref: strconv.FormatInt(id, 10),
			Title: title, Body: body, Audience: aud, AppID: app, Updated: at})
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestMintaBantuanSuggestsPublishedArticles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newReporters(t, d)
		pub := article(t, d, "SIMPEG galat 502 setelah pembaruan", "Bila SIMPEG menampilkan galat, muat ulang halaman.", "published", c.app)
		article(t, d, "Draf: SIMPEG galat 502", "Belum diperiksa.", "draft", c.app)
		b := c.h.SignIn(t, empEmail, c.pw[empEmail])
		app := strconv.FormatInt(c.app, 10)

		// While typing (suggest.js): JSON of the published article only.
		p := b.Get("/bantuan/saran?app_id=" + app + "&q=" + url.QueryEscape("SIMPEG muncul galat"))
		want := fmt.Sprintf(`"id":"%d","title":"SIMPEG galat 502 setelah pembaruan"`, pub)
		p.Want(t, 200, "suggestions", want, `\u003cmark\u003eSIMPEG\u003c/mark\u003e`)
		p.Lacks(t, "suggestions", "Draf")
		b.Get("/bantuan/saran?q="+url.QueryEscape(`" NEAR * -:`)).Want(t, 200, "junk", `"items":[]`)

		// Without JavaScript: "Cari jawaban dulu" shows them on the form,
		// as filled in, and files nothing.
		b.Get("/bantuan/baru").Want(t, 200, "form", `id="find-answers"`, `data-suggest="/bantuan/saran"`, "suggest.js")
		p = b.Submit("/bantuan/baru", url.Values{"cari": {"1"}, "subject": {"SIMPEG galat Nur'aini"},
			"body": {"Muncul 502"}, "category": {"application"}, "app_id": {app}})
		p.Want(t, 200, "find answers", "SIMPEG galat 502 setelah pembaruan", `value="SIMPEG galat Nur&#39;aini"`,
			fmt.Sprintf(`name="artikel" value="%d" formaction="/bantuan/saran"`, pub), `formtarget="_blank"`)
		var n int
		if err := d.R.QueryRow(`SELECT count(*) FROM tickets`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("tickets after looking for answers: %d %v", n, err)
		}

		// Opening one (a POST of the form, with its token) records a view
		// of the article, once per window; a GET records nothing (an image
		// in a post must not count as opening a suggestion).
		open := url.Values{"artikel": {strconv.FormatInt(pub, 10)}, "app_id": {app}}
		if p := b.Get("/bantuan/saran?" + open.Encode()); !strings.Contains(p.Body, `"items":[]`) {
			t.Errorf("a GET with the article opens it: %d %s", p.Status, p.Body)
		}
		if p := b.PostForm("/bantuan/saran", url.Values{"artikel": open["artikel"], "app_id": {app}, "csrf": {""}}); p.Status != 403 {
			t.Errorf("opening without the form's token: %d", p.Status)
		}
		for range 2 {
			b.PostForm("/bantuan/saran", open).Redirects(t, "open", fmt.Sprintf("/pengetahuan/%d", pub))
		}
		var views, rows int
		d.R.QueryRow(`SELECT count(*) FROM article_views WHERE article_id = $1`, pub).Scan(&views)
		d.R.QueryRow(`SELECT count(*) FROM search_self_service WHERE article_id = $1 AND app_id = $2`, pub, c.app).Scan(&rows)
		if views != 1 || rows != 1 {
			t.Errorf("views %d, self-service rows %d, want 1 and 1", views, rows)
		}
		if p := b.PostForm("/bantuan/saran", url.Values{"artikel": {"999999"}}); p.Status != 404 {
			t.Errorf("no such article: %d", p.Status)
		}
	})
}

func TestSelfServiceIsReportedPerApplication(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newReporters(t, d)
		pub := article(t, d, "SIMPEG galat 502", "Muat ulang halaman.", "published", c.app)
		open := func(email string) {
			b := c.h.SignIn(t, email, c.pw[email])
			b.Get("/bantuan/baru")
			b.PostForm("/bantuan/saran", url.Values{"artikel": {strconv.FormatInt(pub, 10)},
				"app_id": {strconv.FormatInt(c.app, 10)}}).Redirects(t, "open", fmt.Sprintf("/pengetahuan/%d", pub))
		}
		// Nur'aini read it four days ago and filed nothing: solved.
		open(empEmail)
		past := time.Now().UTC().Add(-96 * time.Hour)
		if _, err := d.W.Exec(`UPDATE search_self_service SET viewed_at = $1, window_ends_at = $2`, past, past.Add(72*time.Hour)); err != nil {
			t.Fatal(err)
		}
		// The admin read it and filed a ticket anyway; the colleague read it just now.
		open(adminEmail)
		b := c.h.SignIn(t, adminEmail, c.pw[adminEmail])
		c.file(t, b, "SIMPEG masih galat")
		open("rekan@makassarkota.go.id")

		from := time.Now().AddDate(0, 0, -10).Format(time.DateOnly)
		to := time.Now().AddDate(0, 0, 1).Format(time.DateOnly)
		r := c.h.Do(t, "GET", "/api/v1/reports/helpdesk?from="+from+"&to="+to, c.agnt, nil, "")
		var rep helpdesk.Report
		r.JSON(t, &rep)
		if len(rep.SelfService) != 1 {
			t.Fatalf("self-service rows: %+v", rep.SelfService)
		}
		got := rep.SelfService[0]
		if got.App != "SIMPEG" || got.Opened != 3 || got.Solved != 1 || got.Ticketed != 1 || got.Waiting != 1 {
			t.Errorf("self-service row %+v, want SIMPEG opened 3, solved 1, ticketed 1, waiting 1", got)
		}
		// Another agency's admin, asking for no agency, gets their own
		// agency's figures: none of these readings are theirs.
		c.h.Agency(t, "BAPENDA", "Badan Pendapatan Daerah", "badan")
		c.h.User(t, "admin@bapenda.makassarkota.go.id", "Admin Bapenda", policy.AgencyAdmin, "BAPENDA")
		var theirs helpdesk.Report
		c.h.Do(t, "GET", "/api/v1/reports/helpdesk?from="+from+"&to="+to, c.h.Token(t, "admin@bapenda.makassarkota.go.id"),
			nil, "").JSON(t, &theirs)
		if len(theirs.SelfService) != 0 {
			t.Errorf("another agency's admin sees the city's self-service: %+v", theirs.SelfService)
		}
		ag := c.h.SignIn(t, agentEmail, c.pw[agentEmail])
		page := ag.Get("/layanan/laporan?from=" + from + "&to=" + to)
		page.Want(t, 200, "report", "Diselesaikan mandiri lewat artikel", `id="self_service"`)
		if !strings.Contains(page.Body, "SIMPEG") {
			t.Errorf("report page lacks the application")
		}
	})
}
