package helpdesk_test

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// rawCodes are what a page shows when a text is missing from the catalog:
// i18n keys, event kinds and status codes.
var rawCodes = []string{"agent.", "helpdesk.", "err.", "lapor_closed", "dibuat: new", "rating: ",
	"assignee_id", "team_id", "time_spent_minutes", "version:", "priority:", "category:",
	"new, open", "network, application", "low, normal"}

var (
	markup  = regexp.MustCompile(`(?s)<style.*?</style>|<script.*?</script>|<[^>]*>`)
	spacing = regexp.MustCompile(`\s+`)
)

// lacksCodes fails the test if the text a person reads on p (its markup
// and attributes left out) shows a raw code.
func lacksCodes(t *testing.T, what string, p servertest.Page) {
	t.Helper()
	text := spacing.ReplaceAllString(html.UnescapeString(markup.ReplaceAllString(p.Body, "")), " ")
	servertest.Page{Status: p.Status, Body: text}.Lacks(t, what, rawCodes...)
}

// TestTicketPagesShowWordsNotCodes walks the agent's and the reporter's
// pages of a ticket that went through LAPOR!, was closed by the job and
// rated, and posts bad forms: every text is a word of the catalog.
func TestTicketPagesShowWordsNotCodes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorkspace(t, d)
		ctx := context.Background()
		agentTok := w.h.Token(t, "satu@makassarkota.go.id")
		system := policy.SystemActor("test")
		tk := w.file(t, "Jalan rusak di Jl. Veteran")
		n := tk.Number

		if r := w.h.Do(t, "POST", "/api/v1/tickets/"+n+"/lapor", agentTok, map[string]any{"tracking_id": "3516742"}, ""); r.Status/100 != 2 {
			t.Fatalf("register LAPOR!: %d %s", r.Status, r.Body)
		}
		if r := w.h.Do(t, "POST", "/api/v1/tickets/"+n+"/replies", agentTok, map[string]any{"body": "Sudah diteruskan ke dinas terkait."}, ""); r.Status != 201 {
			t.Fatalf("reply: %d %s", r.Status, r.Body)
		}
		if _, err := w.h.Svc.Desk.UpdateTicket(ctx, system, n, helpdesk.AnyVersion,
			helpdesk.TicketPatch{Status: ptr("pending")}); err != nil {
			t.Fatal(err)
		}
		var l helpdesk.LaporComplaint
		w.h.Do(t, "GET", "/api/v1/tickets/"+n+"/lapor", agentTok, nil, "").JSON(t, &l)
		if l.CloseDue == nil {
			t.Fatalf("no close due: %+v", l)
		}
		for _, j := range w.h.Svc.Jobs() {
			if j.Name == "lapor-close" {
				if err := j.Run(ctx, l.CloseDue.Add(time.Second)); err != nil {
					t.Fatal(err)
				}
			}
		}

		// The reporter rates the closed ticket, then posts a bad rating.
		page := "/bantuan/" + n
		w.employee.Get(page).Want(t, 200, "reporter page", "LAPOR!")
		w.employee.PostForm(page+"/nilai", url.Values{"score": {"5"}, "comment": {"Cepat."}}).Redirects(t, "rate", page)
		rp := w.employee.Get(page)
		rp.Want(t, 200, "reporter page after rating", "tercatat sebagai pengaduan LAPOR!",
			"ditutup otomatis karena tidak ada tanggapan", "penilaian diberikan")
		lacksCodes(t, "reporter page", rp)
		bad := w.employee.PostForm(page+"/nilai", url.Values{"score": {"9"}})
		if bad.Status/100 != 4 {
			t.Fatalf("bad rating: %d", bad.Status)
		}
		lacksCodes(t, "reporter page with a bad rating", bad)
		nf := w.employee.Submit("/bantuan/baru", url.Values{"subject": {"Uji"}, "body": {"Uji."},
			"category": {"bogus"}, "priority": {"normal"}})
		nf.Want(t, 422, "reporter form with a bad category", "Jaringan, Aplikasi, Prosedur")
		lacksCodes(t, "reporter form with a bad category", nf)

		// The agent's page: the history and a change form posted wrong.
		ap := w.one.Get("/layanan/" + n)
		ap.Want(t, 200, "agent page", "dibuat: Baru", "penilaian pelapor: 5", "pengaduan LAPOR!: 3516742")
		lacksCodes(t, "agent page", ap)
		cur, _ := w.h.Svc.Desk.GetTicket(ctx, system, n)
		for _, c := range []struct {
			form url.Values
			want []string
		}{
			{url.Values{"version": {strconv.Itoa(cur.Version)}, "status": {"bogus"}, "priority": {"bogus"}, "category": {"bogus"}},
				[]string{"Status</a>: harus salah satu dari: Baru, Dikerjakan, Menunggu, Selesai, Ditutup",
					"Rendah, Biasa, Tinggi, Mendesak", "Jaringan, Aplikasi"}},
			{url.Values{"version": {"x"}, "status": {"open"}}, []string{"Versi tiket</a>:"}},
			{url.Values{"version": {strconv.Itoa(cur.Version)}, "assignee_id": {"x"}, "team_id": {"x"}},
				[]string{"Petugas</a>:", "Tim</a>:"}},
		} {
			p := w.one.PostForm("/layanan/"+n+"/ubah", c.form)
			if p.Status/100 != 4 {
				t.Fatalf("bad change %v: %d", c.form, p.Status)
			}
			p.Want(t, p.Status, "agent page with bad change "+c.form.Encode(), c.want...)
			lacksCodes(t, "agent page with bad change "+c.form.Encode(), p)
		}
		w.one.Get("/layanan/" + n)
		p := w.one.PostForm("/layanan/"+n+"/balas", url.Values{"body": {"Catatan"}, "internal": {"1"}, "time_spent_minutes": {"x"}})
		if p.Status/100 != 4 {
			t.Fatalf("bad time spent: %d", p.Status)
		}
		p.Want(t, p.Status, "agent page with bad time spent", "Waktu kerja (menit)</a>:")
		lacksCodes(t, "agent page with bad time spent", p)

		q := w.one.Get("/layanan?status=bogus")
		q.Want(t, 422, "queue filtered by a bad status", "Baru, Dikerjakan, Menunggu")
		lacksCodes(t, "queue filtered by a bad status", q)

		// The API keeps the codes a client sends.
		_, err := w.h.Svc.Desk.UpdateTicket(ctx, system, n, helpdesk.AnyVersion, helpdesk.TicketPatch{Status: ptr("bogus")})
		e := errs.As(err)
		if e == nil || len(e.Fields) != 1 {
			t.Fatalf("bad status: %v", err)
		}
		if got, want := e.Fields[0].Message("en"), "must be one of: new, open, pending"; !strings.HasPrefix(got, want) {
			t.Errorf("the API's message = %q, want it to start %q", got, want)
		}
	})
}
