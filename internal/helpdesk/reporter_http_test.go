package helpdesk_test

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/apps"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// reporters is a city where an employee of Dinas Kesehatan asks for help,
// with a colleague, their agency's admin and an agent of Kominfo.
type reporters struct {
	h                    *servertest.Harness
	pw                   map[string]string
	app                  int64
	emp, colleague, agnt string // API tokens
}

const (
	empEmail   = "nuraini@makassarkota.go.id"
	agentEmail = "agen@makassarkota.go.id"
	adminEmail = "admin.diskes@makassarkota.go.id"
)

func newReporters(t testing.TB, d *db.DB) *reporters {
	t.Helper()
	h := servertest.Start(t, d)
	h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
	diskes := h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
	pw := h.Users(t,
		servertest.Person{Email: empEmail, Name: "Nur'aini Dottoro'ta", Role: policy.Employee, Agency: "DISKES"},
		servertest.Person{Email: "rekan@makassarkota.go.id", Name: "Rekan Kerja", Role: policy.Employee, Agency: "DISKES"},
		servertest.Person{Email: adminEmail, Name: "Admin Diskes", Role: policy.AgencyAdmin, Agency: "DISKES"},
		servertest.Person{Email: agentEmail, Name: "Agen Help Desk", Role: policy.Agent, Agency: "KOMINFO"},
	)
	app, err := h.Svc.Apps.CreateApp(context.Background(), policy.SystemActor("test"),
		apps.AppInput{Name: "SIMPEG", OwnerAgencyID: diskes.ID, Status: "active"})
	if err != nil {
		t.Fatal(err)
	}
	return &reporters{h: h, pw: pw, app: app.ID, emp: h.Token(t, empEmail),
		colleague: h.Token(t, "rekan@makassarkota.go.id"), agnt: h.Token(t, agentEmail)}
}

// file files a ticket through the "Minta bantuan" form and returns its
// number.
func (c *reporters) file(t *testing.T, b *servertest.Client, subject string) string {
	t.Helper()
	p := b.Submit("/bantuan/baru", url.Values{"subject": {subject}, "body": {"Muncul galat 502 sejak pagi."},
		"category": {"application"}, "app_id": {strconv.FormatInt(c.app, 10)}, "priority": {"normal"}})
	if p.Status != 303 || !strings.HasPrefix(p.Location, "/bantuan/T-") {
		t.Fatalf("file %q: %d to %q: %.400s", subject, p.Status, p.Location, p.Body)
	}
	return strings.TrimPrefix(p.Location, "/bantuan/")
}

// answer has the agent reply publicly, add an internal note and resolve.
// callerTicket is a ticket the help desk filed for an outside caller, who
// has no account: the one kind a rating link is made for.
func (c *reporters) callerTicket(t *testing.T, subject string) string {
	t.Helper()
	r := c.h.Do(t, "POST", "/api/v1/tickets", c.agnt, map[string]any{"subject": subject, "category": "network",
		"channel": "phone", "contact_name": "Pak Anwar", "contact_phone": "0811-4000-123"}, "")
	if r.Status != 201 {
		t.Fatalf("file for a caller: %d %s", r.Status, r.Body)
	}
	var tk helpdesk.Ticket
	r.JSON(t, &tk)
	return tk.Number
}

func (c *reporters) answer(t *testing.T, number string, resolve bool) {
	t.Helper()
	for _, body := range []map[string]any{
		{"body": "Server SIMPEG sudah dinyalakan ulang, silakan coba lagi."},
		{"body": "RAHASIA: sandi server lama dipakai", "internal": true},
	} {
		if r := c.h.Do(t, "POST", "/api/v1/tickets/"+number+"/replies", c.agnt, body, ""); r.Status != 201 {
			t.Fatalf("agent reply: %d %s", r.Status, r.Body)
		}
	}
	if resolve {
		if _, err := c.h.Svc.Desk.UpdateTicket(context.Background(), policy.SystemActor("test"), number,
			helpdesk.AnyVersion, helpdesk.TicketPatch{Status: ptr("resolved")}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestReporterFilesATicketThroughTheForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newReporters(t, d)
		b := c.h.SignIn(t, empEmail, c.pw[empEmail])
		b.Get("/").Want(t, 200, "the home page", `<a href="/bantuan/baru">Minta bantuan</a>`, `>Bantuan</a>`)
		b.Get("/bantuan/baru").Want(t, 200, "the form", "Minta bantuan", "SIMPEG", "Jaringan", `name="subject"`)

		bad := b.Submit("/bantuan/baru", url.Values{"subject": {"  "}, "category": {"application"}})
		bad.Want(t, 422, "empty subject", `aria-invalid="true"`, `id="e-subject"`, "Judul")
		b.Submit("/bantuan/baru", url.Values{"subject": {"x"}, "category": {"application"}, "app_id": {"999"}}).
			Want(t, 422, "unknown application", `id="e-app_id"`)
		b.Submit("/bantuan/baru", url.Values{"subject": {"x"}, "category": {"application"}, "priority": {"urgent"}}).
			Want(t, 422, "urgent from the form", `id="e-priority"`)
		b.Submit("/bantuan/baru", url.Values{"subject": {"x"}, "category": {"virus"}}).
			Want(t, 422, "unknown category", `id="e-category"`)
		if n, err := d.R.QueryContext(context.Background(), `SELECT id FROM tickets`); err != nil {
			t.Fatal(err)
		} else {
			if n.Next() {
				t.Error("a refused form filed a ticket")
			}
			n.Close()
		}

		number := c.file(t, b, "SIMPEG tidak bisa dibuka — Dottoro'ta")
		page := b.Get("/bantuan/" + number)
		page.Want(t, 200, "the new ticket", number, "SIMPEG tidak bisa dibuka — Dottoro&#39;ta", "Baru",
			"Permintaan bantuan Anda sudah tercatat")

		tk, err := c.h.Svc.Desk.GetTicket(context.Background(), policy.SystemActor("test"), number)
		if err != nil {
			t.Fatal(err)
		}
		if tk.Channel != "web" || tk.Category != "application" || tk.AppID == nil || *tk.AppID != c.app ||
			tk.Priority != "normal" || tk.ReporterName != "Nur'aini Dottoro'ta" {
			t.Errorf("filed ticket: %+v", tk)
		}

		list := b.Get("/bantuan")
		list.Want(t, 200, "my tickets", "Tiket saya", number, "SIMPEG tidak bisa dibuka")

		other := c.h.SignIn(t, "rekan@makassarkota.go.id", c.pw["rekan@makassarkota.go.id"])
		other.Get("/bantuan").Lacks(t, "a colleague's tickets", number)
		if p := other.Get("/bantuan/" + number); p.Status != 404 {
			t.Errorf("a colleague opens the ticket: %d, want 404", p.Status)
		}

		admin := c.h.SignIn(t, adminEmail, c.pw[adminEmail])
		admin.Get("/bantuan").Lacks(t, "the admin's own tickets", number)
		admin.Get("/bantuan?lingkup=instansi").Want(t, 200, "the agency's tickets", "Tiket instansi saya", number)
	})
}

func TestReporterPageHidesInternalNotesAndTakesReplies(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newReporters(t, d)
		b := c.h.SignIn(t, empEmail, c.pw[empEmail])
		number := c.file(t, b, "Printer jaringan mati")
		c.answer(t, number, false)

		page := b.Get("/bantuan/" + number)
		page.Want(t, 200, "the ticket", "Server SIMPEG sudah dinyalakan ulang", "Sedang ditangani")
		page.Lacks(t, "the reporter's page", "RAHASIA", "catatan internal")

		// An agent reading the reporter's page sees what the reporter sees.
		agent := c.h.SignIn(t, agentEmail, c.pw[agentEmail])
		agent.Get("/bantuan/"+number).Lacks(t, "the reporter's page read by an agent", "RAHASIA")

		b.Get("/bantuan/" + number)
		b.PostForm("/bantuan/"+number+"/balas", url.Values{"body": {"Sudah bisa, terima kasih!"}}).
			Redirects(t, "reply", "/bantuan/"+number)
		b.Get("/bantuan/"+number).Want(t, 200, "after the reply", "Sudah bisa, terima kasih!", "Balasan Anda terkirim")

		b.PostForm("/bantuan/"+number+"/balas", url.Values{"body": {""}}).Want(t, 422, "empty reply", `id="e-body"`)

		if _, err := c.h.Svc.Desk.UpdateTicket(context.Background(), policy.SystemActor("test"), number,
			helpdesk.AnyVersion, helpdesk.TicketPatch{Status: ptr("closed")}); err != nil {
			t.Fatal(err)
		}
		b.Get("/bantuan/" + number)
		b.PostForm("/bantuan/"+number+"/balas", url.Values{"body": {"Masih error"}}).
			Want(t, 409, "reply to a closed ticket", "sudah ditutup")
	})
}

func TestReporterRatesAResolvedTicketOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newReporters(t, d)
		b := c.h.SignIn(t, empEmail, c.pw[empEmail])
		number := c.file(t, b, "Akun e-Kinerja terkunci")
		b.Get("/bantuan/"+number).Lacks(t, "an unresolved ticket", `id="send-rating"`)
		c.answer(t, number, true)

		page := b.Get("/bantuan/" + number)
		page.Want(t, 200, "a resolved ticket", `id="send-rating"`, "Selesai")
		for _, score := range []string{"0", "6", ""} {
			b.PostForm("/bantuan/"+number+"/nilai", url.Values{"score": {score}}).
				Want(t, 422, "score "+score, `id="e-score"`, "pilih nilai 1 sampai 5")
		}
		b.PostForm("/bantuan/"+number+"/nilai", url.Values{"score": {"5"}, "comment": {"Cepat sekali, mantap!"}}).
			Redirects(t, "rating", "/bantuan/"+number)
		after := b.Get("/bantuan/" + number)
		after.Want(t, 200, "after rating", "Nilai Anda: 5 dari 5", "Cepat sekali, mantap!", "Terima kasih atas penilaian Anda")
		after.Lacks(t, "after rating", `id="send-rating"`)

		r := c.h.Do(t, "POST", "/api/v1/tickets/"+number+"/rating", c.emp, map[string]any{"score": 4}, "")
		servertest.Problem(t, r, 409)
	})
}

func TestRatingThroughTheAPIWithTheOneTimeToken(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newReporters(t, d)
		ctx := context.Background()
		tk := helpdesk.Ticket{Number: c.callerTicket(t, "VPN putus")}
		agent := policy.SystemActor("test")
		if _, err := c.h.Svc.Desk.IssueRatingToken(ctx, agent, tk.Number); err == nil {
			t.Error("a rating link was issued for an unresolved ticket")
		}
		c.answer(t, tk.Number, true)
		token, err := c.h.Svc.Desk.IssueRatingToken(ctx, agent, tk.Number)
		if err != nil {
			t.Fatal(err)
		}
		var stored string
		if err := d.R.QueryRowContext(ctx, `SELECT token_hash FROM ticket_rating_tokens`).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored == token || len(stored) != 64 {
			t.Errorf("the rating link is stored as %q, want its SHA-256", stored)
		}
		path := "/api/v1/tickets/" + tk.Number + "/rating"
		for _, score := range []int{0, 6} {
			servertest.ProblemFields(t, c.h.Do(t, "POST", path, c.colleague, map[string]any{"token": token, "score": score}, ""),
				422, "score")
		}
		servertest.ProblemFields(t, c.h.Do(t, "POST", path, c.colleague, map[string]any{"token": "salah", "score": 3}, ""),
			422, "token")
		// Without the token only the reporter rates; the help desk never does.
		servertest.Problem(t, c.h.Do(t, "POST", path, c.agnt, map[string]any{"score": 3}, ""), 403)
		servertest.Problem(t, c.h.Do(t, "POST", path, c.agnt, map[string]any{"token": token, "score": 5}, ""), 403)

		r := c.h.Do(t, "POST", path, c.colleague, map[string]any{"token": token, "score": 4, "comment": "Nur'aini puas"}, "")
		if r.Status != 201 {
			t.Fatalf("rate with the token: %d %s", r.Status, r.Body)
		}
		var got helpdesk.Rating
		r.JSON(t, &got)
		if got.Score != 4 || got.Comment != "Nur'aini puas" || got.Number != tk.Number {
			t.Errorf("rating: %+v", got)
		}
		p := servertest.Problem(t, c.h.Do(t, "POST", path, c.colleague, map[string]any{"token": token, "score": 5}, ""), 409)
		if !strings.Contains(p.Detail+p.Title, "sudah dipakai") {
			t.Errorf("reused token: %+v", p)
		}
		var n int
		if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM ticket_ratings`).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d ratings (%v), want 1", n, err)
		}
	})
}

func TestMyTicketsPagesByKeyset(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newReporters(t, d)
		for _, s := range []string{"Satu", "Dua", "Tiga"} {
			if r := c.h.Do(t, "POST", "/api/v1/tickets", c.emp, map[string]any{"subject": s, "category": "other"}, ""); r.Status != 201 {
				t.Fatalf("create %s: %d %s", s, r.Status, r.Body)
			}
		}
		b := c.h.SignIn(t, empEmail, c.pw[empEmail])
		first := b.Get("/bantuan?limit=2")
		first.Want(t, 200, "first page", "T-000003", "T-000002", `rel="next"`)
		first.Lacks(t, "first page", "T-000001")
		m := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(first.Body)
		if m == nil {
			t.Fatal("no next link")
		}
		second := b.Get(html.UnescapeString(m[1]))
		second.Want(t, 200, "second page", "T-000001")
		second.Lacks(t, "second page", "T-000002", `rel="next"`)
	})
}
