package helpdesk_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// workspace is a help desk with two agents signed in through the pages, an
// employee who files tickets through the API, and the employee's browser.
type workspace struct {
	h                  *servertest.Harness
	one, two, employee *servertest.Client
	empToken           string
	oneID              int64
}

func newWorkspace(t *testing.T, d *db.DB) *workspace {
	t.Helper()
	h := servertest.Start(t, d)
	h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
	h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
	pw := h.Users(t,
		servertest.Person{Email: "nuraini@makassarkota.go.id", Name: "Nur'aini Dottoro'ta", Role: policy.Employee, Agency: "DISKES"},
		servertest.Person{Email: "satu@makassarkota.go.id", Name: "Agen Satu", Role: policy.Agent, Agency: "KOMINFO"},
		servertest.Person{Email: "dua@makassarkota.go.id", Name: "Agen Dua", Role: policy.Agent, Agency: "KOMINFO"},
	)
	return &workspace{h: h,
		one:      h.SignIn(t, "satu@makassarkota.go.id", pw["satu@makassarkota.go.id"]),
		two:      h.SignIn(t, "dua@makassarkota.go.id", pw["dua@makassarkota.go.id"]),
		employee: h.SignIn(t, "nuraini@makassarkota.go.id", pw["nuraini@makassarkota.go.id"]),
		empToken: h.Token(t, "nuraini@makassarkota.go.id"), oneID: h.AccountID(t, "satu@makassarkota.go.id")}
}

// file files a ticket as the employee and returns it.
func (w *workspace) file(t *testing.T, subject string) helpdesk.Ticket {
	t.Helper()
	r := w.h.Do(t, "POST", "/api/v1/tickets", w.empToken, map[string]any{
		"subject": subject, "body": "Tidak bisa masuk sejak pagi.", "category": "account"}, "")
	if r.Status != http.StatusCreated {
		t.Fatalf("file: %d %s", r.Status, r.Body)
	}
	var tk helpdesk.Ticket
	r.JSON(t, &tk)
	return tk
}

func TestAgentQueueListsNewTicketsWithCounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorkspace(t, d)
		tk := w.file(t, "SIMPEG tidak bisa dibuka")
		p := w.one.Get("/layanan")
		p.Want(t, 200, "queue", tk.Number, "SIMPEG tidak bisa dibuka", html.EscapeString("Nur'aini Dottoro'ta"),
			"Dinas Kesehatan", "Baru <span class=\"badge\">1</span>", "Semua <span class=\"badge\">1</span>")
		p.Lacks(t, "queue", "%!", "agent.")
		w.one.Get("/layanan?status=open").Lacks(t, "open queue", "SIMPEG tidak bisa dibuka")
		w.one.Get("/layanan?assignee=mine").Lacks(t, "my queue", "SIMPEG tidak bisa dibuka")
		w.one.Get("/layanan?q=simpeg&category=account").Want(t, 200, "search", tk.Number)
		// A filter's choice stays chosen.
		agency := fmt.Sprint(*tk.AgencyID)
		w.one.Get("/layanan?agency_id="+agency).Want(t, 200, "by agency", tk.Number,
			`<option value="`+agency+`" selected>Dinas Kesehatan</option>`)
	})
}

// The assignee choices are the active people holding a help desk role,
// found from the role (migration 0043), in name order; not employees, not
// a deactivated agent.
func TestAgentQueueOffersActiveDeskPeopleAsAssignees(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorkspace(t, d)
		w.h.Users(t,
			servertest.Person{Email: "pakar@makassarkota.go.id", Name: "Ahli Jaringan", Role: policy.Expert, Agency: "KOMINFO"},
			servertest.Person{Email: "lama@makassarkota.go.id", Name: "Agen Lama", Role: policy.Agent, Agency: "KOMINFO"},
		)
		if _, err := d.W.Exec(`UPDATE accounts SET active = FALSE WHERE id = $1`,
			w.h.AccountID(t, "lama@makassarkota.go.id")); err != nil {
			t.Fatal(err)
		}
		p := w.one.Get("/layanan")
		p.Want(t, 200, "queue")
		sel := regexp.MustCompile(`(?s)<select id="f-assignee".*?</select>`).FindString(p.Body)
		var names []string
		for _, m := range regexp.MustCompile(`<option value="\d+">([^<]*)</option>`).FindAllStringSubmatch(sel, -1) {
			names = append(names, m[1])
		}
		if want := []string{"Agen Dua", "Agen Satu", "Ahli Jaringan"}; fmt.Sprint(names) != fmt.Sprint(want) {
			t.Errorf("assignee choices = %q, want %q", names, want)
		}
	})
}

func TestAgentQueueLeadsToEveryHelpDeskTool(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorkspace(t, d)
		p := w.one.Get("/layanan")
		tools := regexp.MustCompile(`<li><a href="(/layanan/[a-z]+)"`).FindAllStringSubmatch(p.Body, -1)
		if len(tools) < 6 {
			t.Fatalf("the queue links to %d tools, want every one: %v", len(tools), tools)
		}
		for _, m := range tools {
			w.one.Get(m[1]).Want(t, 200, m[1])
		}
	})
}

func TestAgentWorkspaceIsForbiddenToEmployees(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorkspace(t, d)
		tk := w.file(t, "Printer macet")
		w.employee.Get("/layanan").Want(t, http.StatusForbidden, "employee queue")
		w.employee.Get("/layanan/"+tk.Number).Want(t, http.StatusForbidden, "employee ticket")
		w.employee.PostForm("/layanan/"+tk.Number+"/balas", url.Values{"body": {"halo"}, "internal": {"1"}}).
			Want(t, http.StatusForbidden, "employee note")
	})
}

func TestAgentRepliesAndNotesShowOnTheTicketPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorkspace(t, d)
		tk := w.file(t, "Email dinas penuh")
		path := "/layanan/" + tk.Number
		w.one.Get(path).Want(t, 200, "ticket", "Email dinas penuh", `accesskey="r"`, `accesskey="n"`, `accesskey="a"`)
		w.one.PostForm(path+"/balas", url.Values{"body": {"Kuota sudah kami tambah."}, "internal": {"0"},
			"time_spent_minutes": {"15"}}).Redirects(t, "reply", path)
		w.one.PostForm(path+"/balas", url.Values{"body": {"Server surat hampir penuh, lapor ke tim jaringan."},
			"internal": {"1"}}).Redirects(t, "note", path)
		w.one.PostForm(path+"/balas", url.Values{"body": {"  "}, "internal": {"0"}}).Want(t, 422, "empty reply")
		page := w.two.Get(path)
		page.Want(t, 200, "ticket with note", "Kuota sudah kami tambah.", "15 menit", "Catatan internal",
			"Server surat hampir penuh, lapor ke tim jaringan.", "status: Baru → Dikerjakan")
		page.Lacks(t, "ticket with note", "%!", "agent.")
		got := w.h.Do(t, "GET", "/api/v1/tickets/"+tk.Number, w.empToken, nil, "")
		if got.Status != 200 {
			t.Fatalf("reporter reads: %d", got.Status)
		}
		var seen helpdesk.Ticket
		got.JSON(t, &seen)
		if seen.Status != helpdesk.StatusOpen || len(seen.Messages) != 1 || seen.Messages[0].Internal {
			t.Errorf("the reporter sees status %s and %d messages, want open and the public reply only", seen.Status, len(seen.Messages))
		}
	})
}

func TestAgentTakesATicketInOneClick(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorkspace(t, d)
		tk := w.file(t, "Aplikasi absensi lambat")
		path := "/layanan/" + tk.Number
		w.one.Get("/layanan?assignee=none").Want(t, 200, "not taken yet", tk.Number)
		w.one.Get(path)
		w.one.PostForm(path+"/ubah", url.Values{"version": {fmt.Sprint(tk.Version)}, "assignee_id": {fmt.Sprint(w.oneID)}}).
			Redirects(t, "take", path)
		w.one.Get(path).Want(t, 200, "taken", "Agen Satu")
		w.one.Get("/layanan?assignee=mine").Want(t, 200, "my queue", tk.Number)
		w.one.Get("/layanan?assignee=none").Lacks(t, "not taken yet, after taking", tk.Number)
		var after helpdesk.Ticket
		w.h.Do(t, "GET", "/api/v1/tickets/"+tk.Number, w.empToken, nil, "").JSON(t, &after)
		if after.AssigneeID == nil || *after.AssigneeID != w.oneID || after.Status != tk.Status || after.Priority != tk.Priority {
			t.Errorf("after taking: assignee %v status %s priority %s", after.AssigneeID, after.Status, after.Priority)
		}
	})
}

func TestAgentStaleChangeIsRefusedNamingWhoChanged(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorkspace(t, d)
		tk := w.file(t, "VPN putus-putus")
		path := "/layanan/" + tk.Number
		version := fmt.Sprint(tk.Version)
		w.one.Get(path)
		w.two.Get(path)
		w.one.PostForm(path+"/ubah", url.Values{"version": {version}, "priority": {"high"}}).Redirects(t, "first change", path)
		p := w.two.PostForm(path+"/ubah", url.Values{"version": {version}, "priority": {"low"}, "status": {"pending"}})
		p.Want(t, http.StatusConflict, "stale change", "Agen Satu", "Muat ulang tiket "+tk.Number, `href="`+path+`"`)
		w.two.Get(path).Want(t, 200, "reloaded", "prioritas: Biasa → Tinggi")
		var after helpdesk.Ticket
		w.h.Do(t, "GET", "/api/v1/tickets/"+tk.Number, w.empToken, nil, "").JSON(t, &after)
		if after.Priority != "high" || after.Status != helpdesk.StatusNew || after.Version != tk.Version+1 {
			t.Errorf("after the stale change: priority %s status %s version %d", after.Priority, after.Status, after.Version)
		}
	})
}
