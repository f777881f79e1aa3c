package helpdesk_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// The reporter's agency admin reads the audit log of their agency's
// tickets, but the help desk's own work on them (notes, links) is not
// theirs to read there either.
func TestAgencyAdminsAuditLogLeavesOutTheDesksNotesAndLinks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		ctx, agent := context.Background(), c.actor(t, c.agent)
		tk := c.file(t, c.actor(t, c.emp), helpdesk.TicketInput{Subject: "SIMPEG lambat", Category: "application"})
		other := c.file(t, c.actor(t, c.emp), helpdesk.TicketInput{Subject: "SIMPEG lambat lagi", Category: "application"})
		for _, in := range []helpdesk.ReplyInput{{Body: "CATATAN RAHASIA: server DB penuh", Internal: true}, {Body: "Sedang kami periksa."}} {
			if _, err := c.h.Svc.Desk.AddReply(ctx, agent, tk.Number, in); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := c.h.Svc.Desk.LinkTickets(ctx, agent, tk.Number, helpdesk.LinkInput{Other: other.Number}); err != nil {
			t.Fatal(err)
		}
		r := c.h.Do(t, "GET", fmt.Sprintf("/api/v1/audit?entity=ticket&entity_id=%d", tk.ID), c.admin, nil, "")
		if r.Status != 200 || !strings.Contains(string(r.Body), "Sedang kami periksa.") {
			t.Fatalf("the agency admin's audit of the ticket: %d %s; want the public reply", r.Status, r.Body)
		}
		for _, secret := range []string{"CATATAN RAHASIA", other.Number} {
			if strings.Contains(string(r.Body), secret) {
				t.Errorf("the agency admin reads %q in the audit log: %s", secret, r.Body)
			}
		}
	})
}

// Following a ticket after a merge shows its public side, not how to reach
// the outside caller who filed it.
func TestAFollowerDoesNotSeeTheCallersContact(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		r := c.h.Do(t, "POST", "/api/v1/tickets", c.agent, map[string]any{"subject": "Wi-Fi balai kota mati",
			"category": "network", "channel": "phone", "contact_name": "Bu Rina", "contact_phone": "0811-4455-6677",
			"contact_email": "rina@example.com"}, "")
		if r.Status != 201 {
			t.Fatalf("file for a caller: %d %s", r.Status, r.Body)
		}
		var target helpdesk.Ticket
		r.JSON(t, &target)
		dup := c.fileAs(t, c.emp, "Wi-Fi mati")
		_, tag := c.get(t, c.agent, dup)
		if r := c.doIf(t, "POST", "/api/v1/tickets/"+dup+"/merge", c.agent, tag, map[string]any{"into": target.Number}); r.Status != 200 {
			t.Fatalf("merge: %d %s", r.Status, r.Body)
		}
		seen, _ := c.get(t, c.emp, target.Number)
		if seen.ContactName != "" || seen.ContactPhone != "" || seen.ContactEmail != "" {
			t.Errorf("the follower sees the caller: %q %q %q", seen.ContactName, seen.ContactPhone, seen.ContactEmail)
		}
		list := c.h.Do(t, "GET", "/api/v1/tickets", c.emp, nil, "")
		if !strings.Contains(string(list.Body), target.Number) || strings.Contains(string(list.Body), "0811") ||
			strings.Contains(string(list.Body), "rina@") {
			t.Errorf("the follower's list: %s; want the ticket without the caller's contact", list.Body)
		}
		if desk, _ := c.get(t, c.agent, target.Number); desk.ContactPhone == "" || desk.ContactEmail != "rina@example.com" {
			t.Errorf("the help desk lost the caller's contact: %q %q", desk.ContactPhone, desk.ContactEmail)
		}
	})
}

// After a merge the follower's answer on the surviving ticket reaches its
// assignee, and the closed duplicate is not rated apart from it.
func TestAFollowersAnswerReachesTheAssigneeAndTheDuplicateIsNotRated(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		agent := c.actor(t, c.agent)
		target := c.fileAs(t, c.colleague, "Aplikasi e-Kinerja galat")
		c.update(t, agent, target, helpdesk.TicketPatch{SetAssignee: true, AssigneeID: &agent.AccountID})
		dup := c.fileAs(t, c.emp, "e-Kinerja tidak bisa dibuka")
		_, tag := c.get(t, c.agent, dup)
		if r := c.doIf(t, "POST", "/api/v1/tickets/"+dup+"/merge", c.agent, tag, map[string]any{"into": target}); r.Status != 200 {
			t.Fatalf("merge: %d %s", r.Status, r.Body)
		}
		var mine struct{ Items []helpdesk.Ticket }
		c.h.Do(t, "GET", "/api/v1/tickets", c.emp, nil, "").JSON(t, &mine)
		if numbers := ticketNumbers(mine.Items); !slices.Contains(numbers, target) || !slices.Contains(numbers, dup) {
			t.Errorf("the follower's tickets: %v, want the merged one and the one it went into", numbers)
		}
		if r := c.h.Do(t, "POST", "/api/v1/tickets/"+target+"/replies", c.emp, map[string]any{"body": "Di kantor kami juga."}, ""); r.Status != 201 {
			t.Fatalf("the follower's reply: %d %s", r.Status, r.Body)
		}
		got := inbox(t, d, agent.AccountID)
		if len(got) != 1 || got[0] != "ticket.reporter_replied /layanan/"+target {
			t.Errorf("the assignee was told %q, want of the follower's answer", got)
		}
		if reporter := inbox(t, d, c.actor(t, c.colleague).AccountID); len(reporter) != 0 {
			t.Errorf("the reporter was told %q as if the help desk had answered", reporter)
		}
		p := servertest.Problem(t, c.h.Do(t, "POST", "/api/v1/tickets/"+dup+"/rating", c.emp, map[string]any{"score": 1}, ""), 409)
		if !strings.Contains(p.Detail, target) {
			t.Errorf("rating the merged duplicate: %+v, want it to name %s", p, target)
		}
	})
}

func ticketNumbers(list []helpdesk.Ticket) []string {
	var out []string
	for _, t := range list {
		out = append(out, t.Number)
	}
	return out
}
