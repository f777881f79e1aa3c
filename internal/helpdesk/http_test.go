package helpdesk_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/apps"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// desk is a small city with a help desk: two agencies, two employees of
// Dinas Kesehatan, each agency's admin, and an agent of Kominfo.
type desk struct {
	h                          *servertest.Harness
	diskes, disdik             int64
	app                        int64
	emp, colleague, admin      string // tokens
	otherAdmin, agent, agentID string
	head                       string
}

func newDesk(t testing.TB, d *db.DB) *desk {
	t.Helper()
	h := servertest.Start(t, d)
	h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
	diskes := h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
	disdik := h.Agency(t, "DISDIK", "Dinas Pendidikan", "dinas")
	h.Users(t,
		servertest.Person{Email: "nuraini@makassarkota.go.id", Name: "Nur'aini Dottoro'ta", Role: policy.Employee, Agency: "DISKES"},
		servertest.Person{Email: "rekan@makassarkota.go.id", Name: "Rekan Kerja", Role: policy.Employee, Agency: "DISKES"},
		servertest.Person{Email: "admin.diskes@makassarkota.go.id", Name: "Admin Diskes", Role: policy.AgencyAdmin, Agency: "DISKES"},
		servertest.Person{Email: "admin.disdik@makassarkota.go.id", Name: "Admin Disdik", Role: policy.AgencyAdmin, Agency: "DISDIK"},
		servertest.Person{Email: "kepala.diskes@makassarkota.go.id", Name: "Kepala Diskes", Role: policy.AgencyHead, Agency: "DISKES"},
		servertest.Person{Email: "agen@makassarkota.go.id", Name: "Agen Help Desk", Role: policy.Agent, Agency: "KOMINFO"},
	)
	app, err := h.Svc.Apps.CreateApp(context.Background(), policy.SystemActor("test"),
		apps.AppInput{Name: "SIMPEG", OwnerAgencyID: diskes.ID, Status: "active"})
	if err != nil {
		t.Fatal(err)
	}
	return &desk{h: h, diskes: diskes.ID, disdik: disdik.ID, app: app.ID,
		emp: h.Token(t, "nuraini@makassarkota.go.id"), colleague: h.Token(t, "rekan@makassarkota.go.id"),
		admin: h.Token(t, "admin.diskes@makassarkota.go.id"), otherAdmin: h.Token(t, "admin.disdik@makassarkota.go.id"),
		agent: h.Token(t, "agen@makassarkota.go.id"), head: h.Token(t, "kepala.diskes@makassarkota.go.id"), agentID: fmt.Sprint(h.AccountID(t, "agen@makassarkota.go.id"))}
}

// get reads a ticket, failing unless it answers 200.
func (c *desk) get(t *testing.T, token, number string) (helpdesk.Ticket, string) {
	t.Helper()
	r := c.h.Do(t, "GET", "/api/v1/tickets/"+number, token, nil, "")
	if r.Status != 200 {
		t.Fatalf("GET %s: %d %s", number, r.Status, r.Body)
	}
	var tk helpdesk.Ticket
	r.JSON(t, &tk)
	return tk, r.Header.Get("ETag")
}

// patch sends a merge patch with If-Match (none when etag is "").
func (c *desk) patch(t *testing.T, token, number, etag, body string) servertest.Response {
	t.Helper()
	req, err := http.NewRequest("PATCH", c.h.URL+"/api/v1/tickets/"+number, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/merge-patch+json")
	if etag != "" {
		req.Header.Set("If-Match", etag)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return servertest.Response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

func (c *desk) list(t *testing.T, token, query string) []helpdesk.Ticket {
	t.Helper()
	var l struct{ Items []helpdesk.Ticket }
	r := c.h.Do(t, "GET", "/api/v1/tickets"+query, token, nil, "")
	if r.Status != 200 {
		t.Fatalf("list %s: %d %s", query, r.Status, r.Body)
	}
	r.JSON(t, &l)
	return l.Items
}

func numbers(list []helpdesk.Ticket) []string {
	var out []string
	for _, t := range list {
		out = append(out, t.Number)
	}
	return out
}

func TestTicketLifecycleThroughTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		r := c.h.Do(t, "POST", "/api/v1/tickets", c.emp, map[string]any{
			"subject": "SIMPEG tidak bisa dibuka", "body": "Muncul galat 502 sejak pagi.", "category": "application",
			"app_id": c.app}, "")
		if r.Status != 201 {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		var tk helpdesk.Ticket
		r.JSON(t, &tk)
		if tk.Number != "T-000001" || r.Header.Get("Location") != "/api/v1/tickets/T-000001" || r.Header.Get("ETag") != `"1"` {
			t.Fatalf("created %s at %q with ETag %q", tk.Number, r.Header.Get("Location"), r.Header.Get("ETag"))
		}
		if tk.Status != "new" || tk.Priority != "normal" || tk.Channel != "api" || tk.AgencyID == nil ||
			*tk.AgencyID != c.diskes || tk.ReporterName != "Nur'aini Dottoro'ta" {
			t.Errorf("created ticket: %+v", tk)
		}
		if got := tk.FirstResponseDue.Sub(tk.CreatedAt); got != 4*time.Hour {
			t.Errorf("first response due after %v, want 4h (normal)", got)
		}
		if got := tk.ResolutionDue.Sub(tk.CreatedAt); got != 24*time.Hour {
			t.Errorf("resolution due after %v, want 24h (normal)", got)
		}

		// Who sees it: the reporter, their agency's admin and the agent.
		for _, v := range []struct {
			who, token string
			sees       bool
		}{{"reporter", c.emp, true}, {"colleague", c.colleague, false}, {"agency admin", c.admin, true}, {"agency head", c.head, true},
			{"other agency's admin", c.otherAdmin, false}, {"agent", c.agent, true}} {
			listed := slices.Contains(numbers(c.list(t, v.token, "")), "T-000001")
			got := c.h.Do(t, "GET", "/api/v1/tickets/T-000001", v.token, nil, "").Status
			if listed != v.sees || (got == 200) != v.sees || (!v.sees && got != 404) {
				t.Errorf("%s: listed %v, GET %d; want seen %v", v.who, listed, got, v.sees)
			}
		}

		// The agent answers and leaves an internal note.
		for _, m := range []map[string]any{
			{"body": "Silakan coba lagi; server sudah dipulihkan.", "time_spent_minutes": 10},
			{"body": "Server aplikasi kehabisan memori; pantau.", "internal": true},
		} {
			if r := c.h.Do(t, "POST", "/api/v1/tickets/T-000001/replies", c.agent, m, ""); r.Status != 201 {
				t.Fatalf("agent reply: %d %s", r.Status, r.Body)
			}
		}
		seen, _ := c.get(t, c.emp, "T-000001")
		if len(seen.Messages) != 1 || seen.Messages[0].Internal {
			t.Errorf("reporter sees %d messages: %+v", len(seen.Messages), seen.Messages)
		}
		for _, e := range seen.History {
			if e.Kind == "note" {
				t.Error("the reporter's history shows an internal note")
			}
		}
		worked, etag := c.get(t, c.agent, "T-000001")
		if len(worked.Messages) != 2 || !worked.Messages[1].Internal {
			t.Errorf("agent sees %d messages", len(worked.Messages))
		}
		if worked.Status != "open" || worked.FirstRespondedAt == nil {
			t.Errorf("after the first answer: status %s, first response %v", worked.Status, worked.FirstRespondedAt)
		}
		servertest.Problem(t, c.h.Do(t, "POST", "/api/v1/tickets/T-000001/replies", c.emp,
			map[string]any{"body": "catatan", "internal": true}, ""), 403)

		// Two agents with the same ETag: the second is refused.
		if r := c.patch(t, c.agent, "T-000001", etag, `{"status":"pending"}`); r.Status != 200 || r.Header.Get("ETag") == etag {
			t.Fatalf("first PATCH: %d %s (ETag %s)", r.Status, r.Body, r.Header.Get("ETag"))
		}
		p := servertest.Problem(t, c.patch(t, c.agent, "T-000001", etag, `{"priority":"high"}`), 409)
		if p.Detail == "" {
			t.Error("the 409 does not say why")
		}
		servertest.Problem(t, c.patch(t, c.agent, "T-000001", "", `{"priority":"high"}`), 428)
		_, etag = c.get(t, c.agent, "T-000001")
		servertest.Problem(t, c.patch(t, c.emp, "T-000001", etag, `{"priority":"high"}`), 403)

		// The reporter answers the pending ticket: it opens again.
		if r := c.h.Do(t, "POST", "/api/v1/tickets/T-000001/replies", c.emp, map[string]any{"body": "Sudah bisa, terima kasih."}, ""); r.Status != 201 {
			t.Fatalf("reporter reply: %d %s", r.Status, r.Body)
		}
		tk, etag = c.get(t, c.agent, "T-000001")
		if tk.Status != "open" {
			t.Errorf("after the reporter's answer: %s", tk.Status)
		}
		servertest.ProblemFields(t, c.patch(t, c.agent, "T-000001", etag, `{"status":"new"}`), 422, "status")
		// Resolved, then the reporter says it is not: it opens again.
		if r := c.patch(t, c.agent, "T-000001", etag, `{"status":"resolved"}`); r.Status != 200 {
			t.Fatalf("resolve: %d %s", r.Status, r.Body)
		}
		if tk, _ = c.get(t, c.emp, "T-000001"); tk.ResolvedAt == nil {
			t.Error("resolved without resolved_at")
		}
		if r := c.h.Do(t, "POST", "/api/v1/tickets/T-000001/replies", c.emp, map[string]any{"body": "Masih galat."}, ""); r.Status != 201 {
			t.Fatalf("reporter reply to a resolved ticket: %d %s", r.Status, r.Body)
		}
		if tk, etag = c.get(t, c.agent, "T-000001"); tk.Status != "open" || tk.ResolvedAt != nil {
			t.Errorf("after the reporter's answer to a resolved ticket: %s, resolved_at %v", tk.Status, tk.ResolvedAt)
		}
		if r := c.patch(t, c.agent, "T-000001", etag, `{"status":"closed","assignee_id":`+c.agentID+`,"tags":["simpeg","Server"]}`); r.Status != 200 {
			t.Fatalf("close: %d %s", r.Status, r.Body)
		}
		tk, etag = c.get(t, c.agent, "T-000001")
		if tk.ClosedAt == nil || tk.ResolvedAt == nil || !slices.Equal(tk.Tags, []string{"simpeg", "server"}) ||
			tk.AssigneeID == nil || fmt.Sprint(*tk.AssigneeID) != c.agentID {
			t.Errorf("closed ticket: %+v", tk)
		}
		var statuses []string
		for _, e := range tk.History {
			if e.Kind == "status" {
				if e.Actor == "" || e.At.IsZero() {
					t.Errorf("history entry without who or when: %+v", e)
				}
				statuses = append(statuses, e.Old+">"+e.New)
			}
		}
		if want := []string{"new>open", "open>pending", "pending>open", "open>resolved", "resolved>open", "open>closed"}; !slices.Equal(statuses, want) {
			t.Errorf("status history %v, want %v", statuses, want)
		}
		servertest.Problem(t, c.h.Do(t, "POST", "/api/v1/tickets/T-000001/replies", c.emp, map[string]any{"body": "Lagi"}, ""), 409)
		servertest.Problem(t, c.patch(t, c.agent, "T-000001", etag, `{"status":"open"}`), 409)
	})
}

func TestBadTicketsAre422(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		for _, bad := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"subject": "  ", "category": "network"}, "subject"},
			{map[string]any{"subject": "Jaringan putus", "category": "cuaca"}, "category"},
			{map[string]any{"subject": "Jaringan putus", "category": "network", "priority": "kritis"}, "priority"},
			{map[string]any{"subject": "Jaringan putus", "category": "network", "channel": "fax"}, "channel"},
			{map[string]any{"subject": "SIMPEG", "category": "application", "app_id": 999}, "app_id"},
			{map[string]any{"subject": "SIMPEG", "category": "application", "tags": []string{"a,b"}}, "tags"},
		} {
			servertest.ProblemFields(t, c.h.Do(t, "POST", "/api/v1/tickets", c.emp, bad.body, ""), 422, bad.field)
		}
		servertest.Problem(t, c.h.Do(t, "POST", "/api/v1/tickets", c.emp,
			map[string]any{"subject": "Atas nama warga", "category": "other", "contact_phone": "0811"}, ""), 403)
		servertest.ProblemFields(t, c.h.Do(t, "POST", "/api/v1/tickets", c.agent,
			map[string]any{"subject": "Telepon masuk", "category": "other", "channel": "phone", "contact_name": "Pak Amir"}, ""),
			422, "reporter_id")
		r := c.h.Do(t, "POST", "/api/v1/tickets", c.agent, map[string]any{"subject": "Telepon dari warga",
			"category": "procedure", "channel": "phone", "priority": "urgent", "contact_name": "Ä Amir", "contact_phone": "0811-4455"}, "")
		if r.Status != 201 {
			t.Fatalf("phone ticket: %d %s", r.Status, r.Body)
		}
		var tk helpdesk.Ticket
		r.JSON(t, &tk)
		if tk.AgencyID != nil || tk.ContactName != "Ä Amir" || tk.FirstResponseDue.Sub(tk.CreatedAt) != 15*time.Minute {
			t.Errorf("phone ticket: %+v", tk)
		}
		_, etag := c.get(t, c.agent, tk.Number)
		for _, bad := range []struct{ body, field string }{
			{`{"status":"selesai"}`, "status"}, {`{"priority":null}`, "priority"},
			{`{"assignee_id":` + fmt.Sprint(c.h.AccountID(t, "rekan@makassarkota.go.id")) + `}`, "assignee_id"},
			{`{"team_id":42}`, "team_id"}, {`{"subject":"x"}`, "subject"},
		} {
			servertest.ProblemFields(t, c.patch(t, c.agent, tk.Number, etag, bad.body), 422, bad.field)
		}
		servertest.ProblemFields(t, c.h.Do(t, "POST", "/api/v1/tickets/"+tk.Number+"/replies", c.agent,
			map[string]any{"body": ""}, ""), 422, "body")
		servertest.ProblemFields(t, c.h.Do(t, "GET", "/api/v1/tickets?status=selesai", c.agent, nil, ""), 422, "status")
		servertest.Problem(t, c.h.Do(t, "GET", "/api/v1/tickets/123", c.agent, nil, ""), 404)
		servertest.Problem(t, c.h.Do(t, "GET", "/api/v1/tickets", "", nil, ""), 401)
		servertest.Problem(t, c.h.Do(t, "GET", "/api/v1/tickets/"+tk.Number, "", nil, ""), 401)
		servertest.Problem(t, c.h.Do(t, "GET", "/api/v1/tickets/T-000999", c.agent, nil, ""), 404)
	})
}
