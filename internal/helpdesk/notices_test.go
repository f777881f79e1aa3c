package helpdesk_test

import (
	"context"
	"slices"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/policy"
)

// inbox lists the kinds and links of an account's notifications, oldest first.
func inbox(t *testing.T, d *db.DB, accountID int64) []string {
	t.Helper()
	rows, err := d.R.QueryContext(context.Background(),
		`SELECT kind, link FROM notifications WHERE account_id = $1 ORDER BY id`, accountID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var kind, link string
		if err := rows.Scan(&kind, &link); err != nil {
			t.Fatal(err)
		}
		out = append(out, kind+" "+link)
	}
	return out
}

func TestWorkingATicketNotifiesTheOtherSide(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		ctx := context.Background()
		emp, agent := c.actor(t, c.emp), c.actor(t, c.agent)
		tk := c.file(t, emp, helpdesk.TicketInput{Subject: "Email dinas penuh", Category: "account"})
		c.update(t, agent, tk.Number, helpdesk.TicketPatch{SetAssignee: true, AssigneeID: &agent.AccountID})
		// A colleague handing a ticket over tells the new assignee.
		c.h.User(t, "agen2@makassarkota.go.id", "Agen Kedua", policy.Agent, "KOMINFO")
		second := c.h.AccountID(t, "agen2@makassarkota.go.id")
		other := c.file(t, emp, helpdesk.TicketInput{Subject: "Wi-Fi lantai 3", Category: "network"})
		c.update(t, agent, other.Number, helpdesk.TicketPatch{SetAssignee: true, AssigneeID: &second})
		if got, want := inbox(t, d, second), []string{"ticket.assigned /layanan/" + other.Number}; !slices.Equal(got, want) {
			t.Errorf("the new assignee was told %q, want %q", got, want)
		}
		if _, err := c.h.Svc.Desk.AddReply(ctx, agent, tk.Number, helpdesk.ReplyInput{Body: "Kuota sudah ditambah."}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.h.Svc.Desk.AddReply(ctx, agent, tk.Number, helpdesk.ReplyInput{Body: "Cek kuota besok.", Internal: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.h.Svc.Desk.AddReply(ctx, emp, tk.Number, helpdesk.ReplyInput{Body: "Terima kasih, sudah bisa."}); err != nil {
			t.Fatal(err)
		}
		resolved := "resolved"
		c.update(t, agent, tk.Number, helpdesk.TicketPatch{Status: &resolved})

		wantReporter := []string{
			"ticket.replied /bantuan/" + tk.Number,
			"ticket.resolved /bantuan/" + tk.Number + "#h-rate",
		}
		if got := inbox(t, d, emp.AccountID); !slices.Equal(got, wantReporter) {
			t.Errorf("the reporter was told %q, want %q (never of the internal note)", got, wantReporter)
		}
		// The agent took the ticket themselves: only the reporter's answer is news.
		wantAgent := []string{"ticket.reporter_replied /layanan/" + tk.Number}
		if got := inbox(t, d, agent.AccountID); !slices.Equal(got, wantAgent) {
			t.Errorf("the agent was told %q, want %q", got, wantAgent)
		}
	})
}
