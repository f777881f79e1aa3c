package helpdesk_test

import (
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// TestOnlyTheHelpDeskSetsUrgent checks the rule in the service, where the
// API meets it too: a reporter cannot claim the tightest SLA.
func TestOnlyTheHelpDeskSetsUrgent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		h.Users(t,
			servertest.Person{Email: "pegawai@makassarkota.go.id", Name: "Nur'aini", Role: policy.Employee, Agency: "KOMINFO"},
			servertest.Person{Email: "agen@makassarkota.go.id", Name: "Agen Satu", Role: policy.Agent, Agency: "KOMINFO"})
		urgent := map[string]any{"subject": "Jaringan putus", "category": "network", "priority": "urgent"}
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/tickets", h.Token(t, "pegawai@makassarkota.go.id"), urgent, ""), 422, "priority")
		if r := h.Do(t, "POST", "/api/v1/tickets", h.Token(t, "agen@makassarkota.go.id"),
			map[string]any{"subject": "Jaringan putus", "category": "network", "priority": "urgent",
				"contact_phone": "0811 4455 6677"}, ""); r.Status != 201 {
			t.Errorf("an agent files an urgent ticket: %d %s", r.Status, r.Body)
		}
	})
}

// TestHistoryNamesPeopleNotEmails checks that what a reporter reads of the
// history names the help desk's staff, without their email addresses.
func TestHistoryNamesPeopleNotEmails(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		h.Users(t,
			servertest.Person{Email: "pegawai@makassarkota.go.id", Name: "Nur'aini", Role: policy.Employee, Agency: "KOMINFO"},
			servertest.Person{Email: "agen@makassarkota.go.id", Name: "Agen Satu", Role: policy.Agent, Agency: "KOMINFO"})
		emp, agent := h.Token(t, "pegawai@makassarkota.go.id"), h.Token(t, "agen@makassarkota.go.id")
		var tk struct{ Number string }
		h.Do(t, "POST", "/api/v1/tickets", emp, map[string]any{"subject": "Email tidak masuk", "category": "application"}, "").JSON(t, &tk)
		if r := h.Do(t, "POST", "/api/v1/tickets/"+tk.Number+"/replies", agent, map[string]any{"body": "Sudah diperbaiki."}, ""); r.Status != 201 {
			t.Fatalf("agent reply: %d %s", r.Status, r.Body)
		}
		r := h.Do(t, "GET", "/api/v1/tickets/"+tk.Number, emp, nil, "")
		if r.Status != 200 || strings.Contains(string(r.Body), "agen@makassarkota.go.id") || !strings.Contains(string(r.Body), "Agen Satu") {
			t.Errorf("the reporter's view of the ticket: %d %s", r.Status, r.Body)
		}
	})
}
