package helpdesk_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/policy"
)

// actor returns who acts with an API token.
func (c *desk) actor(t *testing.T, token string) *policy.Actor {
	t.Helper()
	a, err := c.h.Svc.Auth.TokenActor(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (c *desk) file(t *testing.T, by *policy.Actor, in helpdesk.TicketInput) helpdesk.Ticket {
	t.Helper()
	tk, err := c.h.Svc.Desk.CreateTicket(context.Background(), by, in)
	if err != nil {
		t.Fatalf("create %q: %v", in.Subject, err)
	}
	return tk
}

func (c *desk) update(t *testing.T, by *policy.Actor, number string, p helpdesk.TicketPatch) helpdesk.Ticket {
	t.Helper()
	tk, err := c.h.Svc.Desk.UpdateTicket(context.Background(), by, number, helpdesk.AnyVersion, p)
	if err != nil {
		t.Fatalf("update %s: %v", number, err)
	}
	return tk
}

func near(a, b time.Time) bool { return a.Sub(b).Abs() <= time.Second }

func TestPendingPausesTheSLAClocks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		agent := c.actor(t, c.agent)
		tk := c.file(t, c.actor(t, c.emp), helpdesk.TicketInput{Subject: "Printer jaringan mati", Category: "network"})
		pending := "pending"
		c.update(t, agent, tk.Number, helpdesk.TicketPatch{Status: &pending})
		// Two hours pass while the help desk waits for the reporter.
		if _, err := d.W.Exec(`UPDATE tickets SET pending_since = $1`, time.Now().UTC().Add(-2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		open := "open"
		after := c.update(t, agent, tk.Number, helpdesk.TicketPatch{Status: &open})
		if !near(after.FirstResponseDue, tk.FirstResponseDue.Add(2*time.Hour)) ||
			!near(after.ResolutionDue, tk.ResolutionDue.Add(2*time.Hour)) {
			t.Errorf("dues %v / %v, want %v / %v moved by 2h", after.FirstResponseDue, after.ResolutionDue,
				tk.FirstResponseDue, tk.ResolutionDue)
		}
		// A new priority takes its own targets, still after the pause.
		urgent := "urgent"
		after = c.update(t, agent, tk.Number, helpdesk.TicketPatch{Priority: &urgent})
		if !near(after.FirstResponseDue, tk.CreatedAt.Add(2*time.Hour+15*time.Minute)) ||
			!near(after.ResolutionDue, tk.CreatedAt.Add(6*time.Hour)) {
			t.Errorf("urgent dues %v / %v after a 2h pause of a ticket created %v", after.FirstResponseDue,
				after.ResolutionDue, tk.CreatedAt)
		}
		// The stored ticket is the one returned.
		got, err := c.h.Svc.Desk.GetTicket(context.Background(), agent, tk.Number)
		if err != nil {
			t.Fatal(err)
		}
		if !got.FirstResponseDue.Equal(after.FirstResponseDue) || got.Version != after.Version || got.Priority != "urgent" {
			t.Errorf("stored %v v%d, returned %v v%d", got.FirstResponseDue, got.Version, after.FirstResponseDue, after.Version)
		}
	})
}

func TestConcurrentUpdatesOneWins(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		agent := c.actor(t, c.agent)
		tk := c.file(t, c.actor(t, c.emp), helpdesk.TicketInput{Subject: "VPN putus", Category: "network"})
		results := make([]error, 8)
		var wg sync.WaitGroup
		for i := range results {
			wg.Go(func() {
				p := helpdesk.Priorities[i%len(helpdesk.Priorities)]
				if p == tk.Priority {
					p = "urgent"
				}
				_, results[i] = c.h.Svc.Desk.UpdateTicket(context.Background(), agent, tk.Number, tk.Version,
					helpdesk.TicketPatch{Priority: &p})
			})
		}
		wg.Wait()
		won := 0
		for _, err := range results {
			switch {
			case err == nil:
				won++
			case !errs.Is(err, errs.Conflict):
				t.Errorf("a losing update: %v, want a conflict", err)
			}
		}
		if won != 1 {
			t.Errorf("%d updates of version %d won, want 1", won, tk.Version)
		}
	})
}

// TestConcurrentRepliesAllLand: replies carry no version, so the reporter
// and an agent writing at the same moment both get theirs in, and the
// ticket's history holds each one.
func TestConcurrentRepliesAllLand(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		agent, emp := c.actor(t, c.agent), c.actor(t, c.emp)
		tk := c.file(t, emp, helpdesk.TicketInput{Subject: "Surel tidak terkirim", Category: "network"})
		results := make([]error, 12)
		var wg sync.WaitGroup
		for i := range results {
			wg.Go(func() {
				by := emp
				if i%2 == 1 {
					by = agent
				}
				_, results[i] = c.h.Svc.Desk.AddReply(context.Background(), by, tk.Number,
					helpdesk.ReplyInput{Body: fmt.Sprintf("Balasan %d", i)})
			})
		}
		wg.Wait()
		for i, err := range results {
			if err != nil {
				t.Errorf("reply %d: %v", i, err)
			}
		}
		var n int
		if err := d.R.QueryRow(`SELECT count(*) FROM ticket_messages WHERE ticket_id = $1`, tk.ID).Scan(&n); err != nil || n != len(results) {
			t.Errorf("%d messages (%v), want %d", n, err, len(results))
		}
	})
}

func TestListFiltersAndPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		ctx, emp, agent := context.Background(), c.actor(t, c.emp), c.actor(t, c.agent)
		for _, s := range []string{"Dottoro'ta lambat", "SIMPEG galat", "Wi-Fi lantai 2", "Akun terkunci", "Minta akses"} {
			c.file(t, emp, helpdesk.TicketInput{Subject: s, Category: "other"})
		}
		c.file(t, emp, helpdesk.TicketInput{Subject: "Aplikasi SIMPEG", Category: "application", AppID: &c.app})
		seen := map[string]bool{}
		var last time.Time
		page := db.Page{Limit: 2}
		for range 10 {
			list, next, err := c.h.Svc.Desk.ListTickets(ctx, agent, helpdesk.TicketFilter{}, page)
			if err != nil {
				t.Fatal(err)
			}
			for _, tk := range list {
				if seen[tk.Number] || (!last.IsZero() && tk.UpdatedAt.After(last)) {
					t.Errorf("%s repeated or out of order", tk.Number)
				}
				seen[tk.Number], last = true, tk.UpdatedAt
			}
			if next == "" {
				break
			}
			page.After = next
		}
		if len(seen) != 6 {
			t.Errorf("pages held %d tickets, want 6", len(seen))
		}
		for _, f := range []struct {
			name   string
			filter helpdesk.TicketFilter
			want   int
		}{
			{"category", helpdesk.TicketFilter{Category: ptr("application")}, 1},
			{"app", helpdesk.TicketFilter{AppID: &c.app}, 1},
			{"subject ignoring case", helpdesk.TicketFilter{Query: ptr("simpeg")}, 2},
			{"apostrophe", helpdesk.TicketFilter{Query: ptr("dottoro'TA")}, 1},
			{"number", helpdesk.TicketFilter{Query: ptr("T-000003")}, 1},
			{"agency", helpdesk.TicketFilter{AgencyID: &c.diskes}, 6},
			{"other agency", helpdesk.TicketFilter{AgencyID: &c.disdik}, 0},
			{"status", helpdesk.TicketFilter{Status: ptr("closed")}, 0},
			{"reporter", helpdesk.TicketFilter{ReporterID: &emp.AccountID}, 6},
			{"another reporter", helpdesk.TicketFilter{ReporterID: &agent.AccountID}, 0},
		} {
			list, _, err := c.h.Svc.Desk.ListTickets(ctx, agent, f.filter, db.Page{})
			if err != nil || len(list) != f.want {
				t.Errorf("%s: %d tickets (%v), want %d", f.name, len(list), err, f.want)
			}
		}
		c.update(t, agent, "T-000002", helpdesk.TicketPatch{Status: ptr("pending")})
		for _, n := range []struct {
			who    string
			by     *policy.Actor
			filter helpdesk.TicketFilter
			limit  int
			want   helpdesk.Counts
		}{
			{"agent", agent, helpdesk.TicketFilter{Status: ptr("closed")}, 0, helpdesk.Counts{New: 5, Pending: 1}},
			// Counted to the limit and one more: "more than 3".
			{"agent, counted to 3", agent, helpdesk.TicketFilter{}, 3, helpdesk.Counts{New: 4, Pending: 1}},
			{"agent, one category", agent, helpdesk.TicketFilter{Category: ptr("application")}, 100, helpdesk.Counts{New: 1}},
			{"reporter", emp, helpdesk.TicketFilter{}, 100, helpdesk.Counts{New: 5, Pending: 1}},
			{"colleague", c.actor(t, c.colleague), helpdesk.TicketFilter{}, 100, helpdesk.Counts{}},
			{"other agency's admin", c.actor(t, c.otherAdmin), helpdesk.TicketFilter{}, 100, helpdesk.Counts{}},
			{"agency admin", c.actor(t, c.admin), helpdesk.TicketFilter{}, 100, helpdesk.Counts{New: 5, Pending: 1}},
		} {
			got, err := c.h.Svc.Desk.CountTickets(ctx, n.by, n.filter, n.limit)
			if err != nil || got != n.want {
				t.Errorf("%s: counts %+v (%v), want %+v", n.who, got, err, n.want)
			}
		}
	})
}

func TestFailedCreateWritesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		missing := int64(999)
		_, err := c.h.Svc.Desk.CreateTicket(context.Background(), c.actor(t, c.emp),
			helpdesk.TicketInput{Subject: "SIMPEG", Category: "application", AppID: &missing})
		if !errs.Is(err, errs.Invalid) {
			t.Fatalf("unknown app: %v", err)
		}
		for _, table := range []string{"tickets", "ticket_events", "ticket_messages"} {
			var n int
			if err := d.R.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil || n != 0 {
				t.Errorf("%s: %d rows (%v) after a refused create", table, n, err)
			}
		}
		var n int
		if err := d.R.QueryRow(`SELECT count(*) FROM audit_log WHERE entity = 'ticket'`).Scan(&n); err != nil || n != 0 {
			t.Errorf("audit: %d ticket entries (%v) after a refused create", n, err)
		}
	})
}

func TestEveryTicketWriteIsAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		ctx, agent := context.Background(), c.actor(t, c.agent)
		tk := c.file(t, c.actor(t, c.emp), helpdesk.TicketInput{Subject: "Email dinas penuh", Category: "account"})
		c.update(t, agent, tk.Number, helpdesk.TicketPatch{Category: ptr("request")})
		if _, err := c.h.Svc.Desk.AddReply(ctx, agent, tk.Number, helpdesk.ReplyInput{Body: "Kuota ditambah."}); err != nil {
			t.Fatal(err)
		}
		rows, err := d.R.Query(`SELECT action FROM audit_log WHERE entity = 'ticket' ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var actions []string
		for rows.Next() {
			var a string
			if err := rows.Scan(&a); err != nil {
				t.Fatal(err)
			}
			actions = append(actions, a)
		}
		if want := []string{"create", "update", "reply"}; len(actions) != 3 || actions[0] != want[0] ||
			actions[1] != want[1] || actions[2] != want[2] {
			t.Errorf("audited %v, want %v", actions, want)
		}
	})
}

func ptr(s string) *string { return &s }
