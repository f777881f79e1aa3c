package helpdesk

import (
	"context"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
)

// notices are the notifications a change of a ticket sends, stored in the
// change's transaction: the reporter hears of the help desk's answer and of
// the ticket's resolution (with the way to rate it), the assignee hears of a
// ticket given to them and of the reporter's answer. Nobody is told of what
// they did themselves.
func notices(actor *policy.Actor, t Ticket, events []Event) []notify.Message {
	var out []notify.Message
	seen := map[int64]bool{}
	send := func(to *int64, kind, link string) {
		if to == nil || *to == actor.AccountID || seen[*to] {
			return
		}
		seen[*to] = true
		out = append(out, notify.Message{AccountID: *to, Kind: kind, Args: []string{t.Number, t.Subject}, Link: link})
	}
	reporterLink, agentLink := "/bantuan/"+t.Number, "/layanan/"+t.Number
	for _, e := range events {
		switch {
		case e.Kind == "status" && e.New == StatusResolved:
			send(t.ReporterID, "ticket.resolved", reporterLink+"#h-rate")
		case e.Kind == "reply" && !policy.Can(actor, policy.TicketWork, target(t)):
			// The reporter's side: the reporter, a follower, their agency.
			send(t.AssigneeID, "ticket.reporter_replied", agentLink)
		case e.Kind == "reply":
			send(t.ReporterID, "ticket.replied", reporterLink)
		case e.Kind == "assignee":
			send(t.AssigneeID, "ticket.assigned", agentLink)
		}
	}
	return out
}

// tellReporter notifies the reporter of a ticket the help desk filed for
// them (a phone call, an SMS) of its number, in the ticket's transaction.
func tellReporter(ctx context.Context, tx db.Querier, actor *policy.Actor, t Ticket) error {
	if t.ReporterID == nil || *t.ReporterID == actor.AccountID {
		return nil
	}
	return notify.Send(ctx, tx, notify.Message{AccountID: *t.ReporterID, Kind: "ticket.filed_for_you",
		Args: []string{t.Number, t.Subject}, Link: "/bantuan/" + t.Number})
}
