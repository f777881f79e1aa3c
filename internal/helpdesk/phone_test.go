package helpdesk_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// callDesk is a help desk taking calls: an agent signed in, an employee of
// Dinas Kesehatan with an account and a phone, and one without an account
// known by NIP and phone.
type callDesk struct {
	h                   *servertest.Harness
	agent               *servertest.Client
	agentToken, empTok  string
	adminToken          string
	diskes, noAccountID int64
	empAccount          int64
}

const noAccountNIP = "198503142010011002"

func newCallDesk(t *testing.T, d *db.DB) *callDesk {
	t.Helper()
	h := servertest.Start(t, d)
	h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
	diskes := h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
	pw := h.Users(t,
		servertest.Person{Email: "nuraini@makassarkota.go.id", Name: "Nur'aini Dottoro'ta", Role: policy.Employee, Agency: "DISKES"},
		servertest.Person{Email: "admin.diskes@makassarkota.go.id", Name: "Admin Diskes", Role: policy.AgencyAdmin, Agency: "DISKES"},
		servertest.Person{Email: "agen@makassarkota.go.id", Name: "Agen Help Desk", Role: policy.Agent, Agency: "KOMINFO"},
	)
	if _, err := d.W.Exec(`UPDATE employees SET phone = '+6281234567890' WHERE email = 'nuraini@makassarkota.go.id'`); err != nil {
		t.Fatal(err)
	}
	e, err := h.Svc.Org.CreateEmployee(context.Background(), policy.SystemActor("test"), org.EmployeeInput{
		AgencyID: diskes.ID, NIP: noAccountNIP, Name: "Ä Daeng Manessa", Phone: "0411 123456",
		PositionName: "Perawat Ahli", EmploymentType: "pns"})
	if err != nil {
		t.Fatal(err)
	}
	return &callDesk{h: h, agent: h.SignIn(t, "agen@makassarkota.go.id", pw["agen@makassarkota.go.id"]),
		agentToken: h.Token(t, "agen@makassarkota.go.id"), empTok: h.Token(t, "nuraini@makassarkota.go.id"),
		adminToken: h.Token(t, "admin.diskes@makassarkota.go.id"), diskes: diskes.ID, noAccountID: e.ID,
		empAccount: h.AccountID(t, "nuraini@makassarkota.go.id")}
}

func (c *callDesk) ticket(t *testing.T, number string) helpdesk.Ticket {
	t.Helper()
	r := c.h.Do(t, "GET", "/api/v1/tickets/"+number, c.agentToken, nil, "")
	var tk helpdesk.Ticket
	r.JSON(t, &tk)
	if r.Status != 200 {
		t.Fatalf("GET %s: %d %s", number, r.Status, r.Body)
	}
	return tk
}

func (c *callDesk) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := c.h.DB.R.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAPhoneCallFromAnEmployeeIsFiledForTheirAccountAndTheyAreTold(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCallDesk(t, d)
		c.agent.Get("/layanan").Want(t, 200, "queue", `href="/layanan/telepon"`)
		p := c.agent.Get("/layanan/telepon?caller=" + url.QueryEscape("0812-3456-7890"))
		p.Want(t, 200, "lookup", "Nur&#39;aini Dottoro&#39;ta", "Dinas Kesehatan", "tiket dicatat atas akunnya", `name="employee_id"`)
		var empID int64
		if err := d.R.QueryRow(`SELECT id FROM employees WHERE email = 'nuraini@makassarkota.go.id'`).Scan(&empID); err != nil {
			t.Fatal(err)
		}
		p = c.agent.PostForm("/layanan/telepon", url.Values{"caller": {"0812-3456-7890"}, "employee_id": {fmt.Sprint(empID)},
			"subject": {"Tidak bisa masuk SIMPEG"}, "body": {"Menelepon pukul 09.00."}, "category": {"account"}, "priority": {"high"}})
		p.Redirects(t, "log the call", "/layanan/T-000001")
		tk := c.ticket(t, "T-000001")
		if tk.Channel != "phone" || tk.ReporterID == nil || *tk.ReporterID != c.empAccount || tk.AgencyID == nil ||
			*tk.AgencyID != c.diskes || tk.Priority != "high" || tk.ContactPhone != "" {
			t.Fatalf("ticket %+v: want channel phone for the employee's account in Dinas Kesehatan", tk)
		}
		var mine struct{ Items []helpdesk.Ticket }
		c.h.Do(t, "GET", "/api/v1/tickets", c.empTok, nil, "").JSON(t, &mine)
		if len(mine.Items) != 1 {
			t.Errorf("the caller sees %d tickets, want their 1", len(mine.Items))
		}
		var inbox struct{ Items []struct{ Text, Link string } }
		c.h.Do(t, "GET", "/api/v1/notifications", c.empTok, nil, "").JSON(t, &inbox)
		if len(inbox.Items) != 1 || inbox.Items[0].Link != "/bantuan/T-000001" ||
			inbox.Items[0].Text != "Layanan bantuan mencatat tiket T-000001 untuk Anda: Tidak bisa masuk SIMPEG" {
			t.Errorf("the caller's inbox: %+v", inbox.Items)
		}
		if n := c.count(t, `SELECT count(*) FROM notifications WHERE account_id <> $1`, c.empAccount); n != 0 {
			t.Errorf("%d notifications to others, want none", n)
		}
	})
}

func TestAPhoneCallFromAnEmployeeWithoutAccountIsAContactOfTheirAgency(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCallDesk(t, d)
		spaced := "19850314 201001 1 002"
		p := c.agent.Get("/layanan/telepon?caller=" + url.QueryEscape(spaced))
		p.Want(t, 200, "lookup by NIP", "Ä Daeng Manessa", "Perawat Ahli", "belum punya akun")
		p = c.agent.PostForm("/layanan/telepon", url.Values{"caller": {spaced}, "employee_id": {fmt.Sprint(c.noAccountID)},
			"subject": {"Printer puskesmas mati"}, "category": {"network"}})
		p.Redirects(t, "log the call", "/layanan/T-000001")
		tk := c.ticket(t, "T-000001")
		if tk.ReporterID != nil || tk.ContactName != "Ä Daeng Manessa" || tk.ContactPhone != "+62411123456" ||
			tk.AgencyID == nil || *tk.AgencyID != c.diskes || tk.Channel != "phone" {
			t.Fatalf("ticket %+v: want a contact with the employee's name, phone and agency", tk)
		}
		var list struct{ Items []helpdesk.Ticket }
		c.h.Do(t, "GET", "/api/v1/tickets", c.adminToken, nil, "").JSON(t, &list)
		if len(list.Items) != 1 {
			t.Errorf("the agency's admin sees %d tickets, want the call of their agency's employee", len(list.Items))
		}
		if n := c.count(t, `SELECT count(*) FROM notifications`); n != 0 {
			t.Errorf("%d notifications for a caller without an account", n)
		}
	})
}

func TestAPhoneCallFromOutsideIsLoggedAsAContact(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCallDesk(t, d)
		p := c.agent.Get("/layanan/telepon?caller=" + url.QueryEscape("0811 4440 000"))
		p.Want(t, 200, "nobody", "Tidak ada pegawai aktif", `value="&#43;628114440000"`)
		p.Lacks(t, "nobody", `name="employee_id"`)
		c.agent.Get("/layanan/telepon?luar=1").Want(t, 200, "outside", `name="contact_name"`)
		p = c.agent.PostForm("/layanan/telepon", url.Values{"caller": {"0811 4440 000"}, "contact_name": {"Pak Dottoro'ta (warga)"},
			"contact_phone": {"+628114440000"}, "subject": {"Tanya layanan KTP daring"}, "category": {"procedure"}})
		p.Redirects(t, "log the call", "/layanan/T-000001")
		tk := c.ticket(t, "T-000001")
		if tk.ReporterID != nil || tk.AgencyID != nil || tk.ContactName != "Pak Dottoro'ta (warga)" || tk.ContactPhone != "+628114440000" {
			t.Fatalf("ticket %+v: want an outside contact without an agency", tk)
		}
	})
}

func TestAPhoneCallWithMistakesIsRefusedOnTheFieldsAndWritesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCallDesk(t, d)
		p := c.agent.Get("/layanan/telepon?caller=12345")
		p.Want(t, 422, "a bad number", "nomor telepon tidak valid", `href="#f-caller"`)
		p = c.agent.PostForm("/layanan/telepon", url.Values{"caller": {"0811 4440 000"}, "contact_phone": {"bukan nomor"},
			"subject": {""}, "category": {"cuaca"}})
		p.Want(t, 422, "an empty call", `id="e-contact_name"`, `id="e-contact_phone"`, `id="e-subject"`, `id="e-category"`,
			"nomor telepon tidak valid")
		p = c.agent.PostForm("/layanan/telepon", url.Values{"employee_id": {"999999"}, "subject": {"x"}, "category": {"other"}})
		p.Want(t, 422, "an unknown caller", `id="e-employee_id"`)
		p = c.agent.PostForm("/layanan/telepon", url.Values{"employee_id": {"abc"}, "subject": {"x"}, "category": {"other"}})
		p.Want(t, 422, "a caller that is not a number", `id="e-employee_id"`)
		if n := c.count(t, `SELECT count(*) FROM tickets`); n != 0 {
			t.Fatalf("%d tickets written by refused calls", n)
		}
		employee := c.h.Client(t)
		employee.Get("/layanan/telepon").Redirects(t, "anonymous", "/masuk?next=%2Flayanan%2Ftelepon")
	})
}

func TestTheCallerLookupOfTheAPIIsForTheHelpDesk(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCallDesk(t, d)
		var l struct{ Items []helpdesk.Caller }
		r := c.h.Do(t, "GET", "/api/v1/callers?phone="+url.QueryEscape("+62 812-3456-7890"), c.agentToken, nil, "")
		r.JSON(t, &l)
		if r.Status != 200 || len(l.Items) != 1 || l.Items[0].Name != "Nur'aini Dottoro'ta" || l.Items[0].AccountID == nil ||
			*l.Items[0].AccountID != c.empAccount || l.Items[0].Agency != "Dinas Kesehatan" {
			t.Fatalf("by phone: %d %s", r.Status, r.Body)
		}
		r = c.h.Do(t, "GET", "/api/v1/callers?nip="+noAccountNIP, c.agentToken, nil, "")
		r.JSON(t, &l)
		if len(l.Items) != 1 || l.Items[0].AccountID != nil || l.Items[0].Position != "Perawat Ahli" ||
			l.Items[0].Phone == nil || *l.Items[0].Phone != "+62411123456" {
			t.Fatalf("by NIP: %s", r.Body)
		}
		r = c.h.Do(t, "GET", "/api/v1/callers?phone=081299999999", c.agentToken, nil, "")
		r.JSON(t, &l)
		if r.Status != 200 || len(l.Items) != 0 {
			t.Fatalf("nobody: %d %s", r.Status, r.Body)
		}
		servertest.Problem(t, c.h.Do(t, "GET", "/api/v1/callers?phone=081234567890", c.empTok, nil, ""), 403)
		servertest.Problem(t, c.h.Do(t, "GET", "/api/v1/callers?phone=081234567890&nip="+noAccountNIP, c.agentToken, nil, ""), 422)
		r = c.h.Do(t, "GET", "/api/v1/callers", c.agentToken, nil, "")
		r.JSON(t, &l)
		if r.Status != 200 || len(l.Items) != 0 {
			t.Errorf("asking about no one: %d %s, want an empty list", r.Status, r.Body)
		}
		servertest.ProblemFields(t, c.h.Do(t, "GET", "/api/v1/callers?nip=1985", c.agentToken, nil, ""), 422, "nip")
		servertest.ProblemFields(t, c.h.Do(t, "GET", "/api/v1/callers?phone=halo", c.agentToken, nil, ""), 422, "phone")

		// The call is then filed through the tickets API, as a contact of
		// the caller's agency.
		r = c.h.Do(t, "POST", "/api/v1/tickets", c.agentToken, map[string]any{"subject": "Printer mati", "category": "network",
			"channel": "phone", "contact_name": "Ä Daeng Manessa", "contact_phone": "+62411123456", "agency_id": c.diskes}, "")
		var tk helpdesk.Ticket
		r.JSON(t, &tk)
		if r.Status != 201 || tk.AgencyID == nil || *tk.AgencyID != c.diskes || tk.Channel != "phone" {
			t.Fatalf("file the call: %d %s", r.Status, r.Body)
		}
		servertest.ProblemFields(t, c.h.Do(t, "POST", "/api/v1/tickets", c.agentToken, map[string]any{"subject": "x",
			"category": "other", "contact_name": "X", "contact_phone": "+62411123456", "agency_id": 999999}, ""), 422, "agency_id")
		servertest.Problem(t, c.h.Do(t, "POST", "/api/v1/tickets", c.empTok, map[string]any{"subject": "x",
			"category": "other", "agency_id": c.diskes}, ""), 403)
	})
}
