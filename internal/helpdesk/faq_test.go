package helpdesk_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// say replies to a ticket through the agent's page of c, publicly unless
// note.
func (w *workspace) say(t *testing.T, c *servertest.Client, number, body string, note bool) {
	t.Helper()
	internal := "0"
	if note {
		internal = "1"
	}
	c.PostForm("/layanan/"+number+"/balas", url.Values{"body": {body}, "internal": {internal}}).
		Redirects(t, "reply", "/layanan/"+number)
}

// setStatus sets a ticket's status as agent one, through the change form.
func (w *workspace) setStatus(t *testing.T, number, status string) {
	t.Helper()
	var tk helpdesk.Ticket
	w.h.Do(t, "GET", "/api/v1/tickets/"+number, w.empToken, nil, "").JSON(t, &tk)
	w.one.Get("/layanan/" + number)
	w.one.PostForm("/layanan/"+number+"/ubah", url.Values{"version": {fmt.Sprint(tk.Version)}, "status": {status}}).
		Redirects(t, "status "+status, "/layanan/"+number)
}

// count runs a count query on the database.
func (w *workspace) count(t *testing.T, query string) int {
	t.Helper()
	var n int
	if err := w.h.DB.R.QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAResolvedTicketBecomesADraftFAQOfTheHelpDesksPublicAnswers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorkspace(t, d)
		tk := w.file(t, "Bagaimana cara reset sandi SIMPEG?")
		path := "/layanan/" + tk.Number
		w.say(t, w.one, tk.Number, "Buka halaman masuk SIMPEG lalu pilih 'Lupa sandi'.", false)
		w.say(t, w.one, tk.Number, "Pelapor ini sering lupa sandi; NIK-nya 7371xxxx.", true)
		w.employee.Get("/bantuan/" + tk.Number)
		w.employee.PostForm("/bantuan/"+tk.Number+"/balas", url.Values{"body": {"Tautannya tidak sampai ke email saya."}}).
			Redirects(t, "the reporter's reply", "/bantuan/"+tk.Number)
		w.say(t, w.two, tk.Number, "Tautan dikirim ke email dinas; periksa folder spam.", false)

		w.one.Get(path).Lacks(t, "open ticket", `id="make-faq"`)
		w.one.PostForm(path+"/faq", nil).Want(t, http.StatusConflict, "an open ticket", "Hanya tiket yang sudah selesai")
		w.setStatus(t, tk.Number, "resolved")
		w.one.Get(path).Want(t, 200, "resolved ticket", `id="make-faq"`, "Jadikan FAQ")

		w.one.PostForm(path+"/faq", nil).Redirects(t, "make it an FAQ", "/pengetahuan/1")
		p := w.one.Get("/pengetahuan/1")
		p.Want(t, 200, "the draft", "Draf FAQ dibuat dari tiket ini.", "Bagaimana cara reset sandi SIMPEG?", "Draf",
			html.EscapeString("Buka halaman masuk SIMPEG lalu pilih 'Lupa sandi'."), "Tautan dikirim ke email dinas; periksa folder spam.",
			`<a href="/layanan/`+tk.Number+`">`+tk.Number+`</a>`)
		p.Lacks(t, "the draft", "7371", "Tautannya tidak sampai")
		w.two.PostForm(path+"/faq", nil).Redirects(t, "again", "/pengetahuan/1")
		w.two.Get("/pengetahuan/1").Want(t, 200, "again", "sudah pernah dijadikan FAQ")
		if n := w.count(t, `SELECT count(*) FROM articles`); n != 1 {
			t.Fatalf("%d articles after making the FAQ twice, want 1", n)
		}
		if n := w.count(t, `SELECT count(*) FROM audit_log WHERE entity = 'article'`); n != 1 {
			t.Errorf("%d audit records of the article, want 1", n)
		}
		w.one.Get(path).Want(t, 200, "history", "dijadikan draf FAQ")

		// The reporter sees neither the draft nor that it was made.
		var seen helpdesk.Ticket
		w.h.Do(t, "GET", "/api/v1/tickets/"+tk.Number, w.empToken, nil, "").JSON(t, &seen)
		for _, e := range seen.History {
			if e.Kind == "faq" {
				t.Errorf("the reporter sees the FAQ in the history: %+v", e)
			}
		}
		w.employee.Get("/pengetahuan/1").Want(t, http.StatusNotFound, "the reporter and the draft")
		servertest.Problem(t, w.h.Do(t, "GET", "/api/v1/articles/1", w.empToken, nil, ""), 404)
		servertest.Problem(t, w.h.Do(t, "POST", "/api/v1/tickets/"+tk.Number+"/faq", w.empToken, nil, ""), 403)
		w.employee.PostForm(path+"/faq", nil).Want(t, http.StatusForbidden, "the reporter's click")
	})
}

func TestTheFAQAPIAnswersCreatedThenConflict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorkspace(t, d)
		agent := w.h.Token(t, "satu@makassarkota.go.id")
		tk := w.file(t, "VPN tidak tersambung")
		silent := w.file(t, "Printer macet")
		w.say(t, w.one, tk.Number, "Perbarui klien VPN ke versi 4.2.", false)
		w.say(t, w.one, silent.Number, "Sudah dicek teknisi di lokasi.", true)
		w.setStatus(t, tk.Number, "resolved")
		w.setStatus(t, tk.Number, "closed")
		w.setStatus(t, silent.Number, "resolved")

		servertest.Problem(t, w.h.Do(t, "POST", "/api/v1/tickets/"+silent.Number+"/faq", agent, nil, ""), 409)
		servertest.Problem(t, w.h.Do(t, "POST", "/api/v1/tickets/T-999999/faq", agent, nil, ""), 404)
		r := w.h.Do(t, "POST", "/api/v1/tickets/"+tk.Number+"/faq", agent, nil, "")
		var a knowledge.Article
		r.JSON(t, &a)
		if r.Status != 201 || a.Status != "draft" || a.Title != "VPN tidak tersambung" || a.Body != "Perbarui klien VPN ke versi 4.2." ||
			a.OriginKind == nil || *a.OriginKind != "ticket" || a.OriginID == nil || a.AuthorID == nil || *a.AuthorID != w.oneID {
			t.Fatalf("make FAQ: %d %s", r.Status, r.Body)
		}
		location := fmt.Sprintf("/api/v1/articles/%d", a.ID)
		if r.Header.Get("Location") != location {
			t.Errorf("Location %q, want %q", r.Header.Get("Location"), location)
		}
		r = w.h.Do(t, "POST", "/api/v1/tickets/"+tk.Number+"/faq", agent, nil, "")
		p := servertest.Problem(t, r, 409)
		if r.Header.Get("Location") != location || p.Detail != fmt.Sprintf("Tiket ini sudah dijadikan artikel %d", a.ID) {
			t.Errorf("again: Location %q, detail %q", r.Header.Get("Location"), p.Detail)
		}
		var got knowledge.Article
		r = w.h.Do(t, "GET", location, agent, nil, "")
		r.JSON(t, &got)
		if r.Status != 200 || got.ID != a.ID || got.Body != a.Body {
			t.Fatalf("GET the article: %d %s", r.Status, r.Body)
		}
		if n := w.count(t, `SELECT count(*) FROM articles`); n != 1 {
			t.Errorf("%d articles, want the one", n)
		}
	})
}
