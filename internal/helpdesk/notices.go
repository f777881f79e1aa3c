package helpdesk

import (
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
)

// notices are the notifications a change of a ticket sends, stored in the
// change's transaction: the reporter hears of a ticket filed for them, of
// the help desk's answer and of the ticket's resolution (with the way to
// rate it), the assignee hears of a ticket given to them and of the
// reporter's answer. Nobody is told of what they did themselves.
func notices(actor *policy.Actor, t Ticket, events []Event) []notify.Message {
	var out []notify.Message
	seen := map[int64]bool{}
	// The reporter of a ticket that came by SMS, WhatsApp or email hears
	// of its filing and answers on that channel already (the channel's
	// receipt, channelReply): not again by it as a notification.
	own := ""
	if t.Channel == "sms" || t.Channel == "whatsapp" || t.Channel == "email" {
		own = t.Channel
	}
	send := func(to *int64, kind, link string) {
		if to == nil || *to == actor.AccountID || seen[*to] {
			return
		}
		seen[*to] = true
		m := notify.Message{AccountID: *to, Kind: kind, Args: []string{t.Number, t.Subject}, Link: link, Ref: t.Number}
		if t.ReporterID != nil && *to == *t.ReporterID && (kind == "ticket.filed_for_you" || kind == "ticket.replied") {
			m.Except = own
		}
		out = append(out, m)
	}
	reporterLink, agentLink := "/bantuan/"+t.Number, "/layanan/"+t.Number
	for _, e := range events {
		switch {
		case e.Kind == "created": // filed by the help desk for them (a call, an SMS)
			send(t.ReporterID, "ticket.filed_for_you", reporterLink)
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
