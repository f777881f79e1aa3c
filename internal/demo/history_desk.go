package demo

import (
	"context"
	"slices"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/helpdesk"
)

// settled is the age past which every ticket of the history has been
// resolved: a help desk's backlog holds the last weeks, not years.
const settled = 30 * 24 * time.Hour

// tickets draws the help desk's history: ticketsPerThousandDaily a day
// over historyYears, filed at random moments, worked by the demo teams as
// the demo desk's tickets are (buildDesk: replies, notes, status changes,
// ratings, SLA dues from the policies' targets on their 24x7 calendar),
// each with its search document as the help desk indexes it.
func (h *history) tickets(ctx context.Context) error {
	agents := h.roles["agent"]
	if len(agents) == 0 {
		return nil
	}
	n := h.people * ticketsPerThousandDaily * int(h.now.Sub(h.from)/(24*time.Hour)) / 1000
	b := newDeskBuilder(h.ds, agents, h.targets, h.now, h.r.Uint64())
	b.settle, b.lastMsg = settled, h.ids["ticket_messages"]
	ages := make([]time.Duration, n)
	for i := range ages {
		ages[i] = time.Duration(b.r.Int64N(int64(h.now.Sub(h.from))))
	}
	slices.SortFunc(ages, func(x, y time.Duration) int { return int(y/time.Second - x/time.Second) })
	for start := 0; start < n; start += historyChunk {
		for _, age := range ages[start:min(n, start+historyChunk)] {
			b.ticket(h.id("tickets"), h.now.Add(-age).Truncate(time.Second))
		}
		if err := h.writeDesk(ctx, &b.d); err != nil {
			return err
		}
		b.d = desk{}
	}
	h.ids["ticket_messages"] = b.lastMsg
	return nil
}

// writeDesk writes a chunk of tickets with their messages, events, ratings
// and search documents.
func (h *history) writeDesk(ctx context.Context, d *desk) error {
	err := h.write(ctx, "tickets", []string{"id", "subject", "body", "reporter_account_id", "contact_name",
		"contact_phone", "channel", "category", "app_id", "agency_id", "priority", "status", "team_id",
		"assignee_account_id", "tags", "first_response_due", "resolution_due", "first_responded_at", "resolved_at",
		"closed_at", "pending_since", "created_at", "updated_at"}, len(d.tickets), func(i int, a []any) []any {
		t := d.tickets[i]
		return append(a, t.ID, t.Subject, t.Body, db.NullID(t.Reporter), t.Contact, t.Phone, t.Channel, t.Category,
			db.NullID(t.App), db.NullID(t.Agency), t.Priority, t.Status, db.NullID(t.Team), db.NullID(t.Assignee), t.Tags, t.FRDue,
			t.ResDue, orNull(t.FR), orNull(t.Res), orNull(t.Closed), orNull(t.Pending), t.Created, t.Updated)
	})
	if err != nil {
		return err
	}
	err = h.write(ctx, "ticket_messages", []string{"id", "ticket_id", "author_account_id", "author", "body", "internal",
		"time_spent_minutes", "created_at"}, len(d.messages), func(i int, a []any) []any {
		m := d.messages[i]
		return append(a, m.ID, m.Ticket, db.NullID(m.Author), m.Name, m.Body, m.Internal, m.Minutes, m.At)
	})
	if err != nil {
		return err
	}
	first := h.ids["ticket_events"]
	h.ids["ticket_events"] += int64(len(d.events))
	err = h.write(ctx, "ticket_events", []string{"id", "ticket_id", "actor_account_id", "actor", "kind", "old_value",
		"new_value", "at"}, len(d.events), func(i int, a []any) []any {
		e := d.events[i]
		return append(a, first+int64(i+1), e.Ticket, db.NullID(e.Actor), e.Name, e.Kind, e.Old, e.New, e.At)
	})
	if err != nil {
		return err
	}
	err = h.write(ctx, "ticket_ratings", []string{"id", "ticket_id", "score", "comment", "account_id", "created_at"},
		len(d.ratings), func(i int, a []any) []any {
			r := d.ratings[i]
			return append(a, h.id("ticket_ratings"), r.Ticket, r.Score, r.Comment, db.NullID(r.Account), r.At)
		})
	if err != nil {
		return err
	}
	replies := map[int64][]helpdesk.Message{}
	for _, m := range d.messages {
		if !m.Internal {
			replies[m.Ticket] = append(replies[m.Ticket], helpdesk.Message{Body: m.Body})
		}
	}
	for _, t := range d.tickets {
		// The demo's reporters are people whose account and employee ids
		// are one (history.person).
		ticket := helpdesk.Ticket{ID: t.ID, Number: helpdesk.Number(t.ID), Subject: t.Subject, Body: t.Body,
			ReporterEmployeeID: t.Reporter, UpdatedAt: t.Updated}
		if t.Agency != 0 {
			ticket.AgencyID = &t.Agency
		}
		if t.App != 0 {
			ticket.AppID = &t.App
		}
		h.doc(helpdesk.TicketDoc(ticket, replies[t.ID], nil))
	}
	return h.flushDocs(ctx)
}
