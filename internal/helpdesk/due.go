package helpdesk

import (
	"context"
	"time"

	"github.com/lontara-id/lontara/internal/policy"
)

// The SLA clocks a ticket runs.
const (
	ClockFirstResponse = "first_response"
	ClockResolution    = "resolution"
)

// Due is a ticket whose SLA clock runs out by a given time: the clock and
// when it runs out (in the past when the SLA is already breached).
type Due struct {
	Ticket Ticket    `json:"ticket"`
	Clock  string    `json:"clock"`
	At     time.Time `json:"at"`
}

// DueBy lists, earliest first, at most limit tickets whose clocks run (new
// or open: pending, resolved and closed tickets are paused or done) and
// whose first response or resolution falls due by the time by. It is what
// the escalation job asks with by = now + the warning margin, to notify the
// team's lead and the on-call agent before the breach.
func (s *Service) DueBy(ctx context.Context, actor *policy.Actor, by time.Time, limit int) ([]Due, error) {
	if err := policy.Check(actor, policy.TicketWork, policy.Target{}); err != nil {
		return nil, err
	}
	c := &conds{}
	b := c.arg(by.UTC())
	c.where = append(c.where, "t.status IN ('new', 'open')",
		"((t.first_responded_at IS NULL AND t.first_response_due <= "+b+") OR t.resolution_due <= "+b+")")
	q := `SELECT ` + ticketColumns + ticketFrom + c.sql() + ` ORDER BY CASE WHEN t.first_responded_at IS NULL
		AND t.first_response_due < t.resolution_due THEN t.first_response_due ELSE t.resolution_due END, t.id
		LIMIT ` + c.arg(max(limit, 1))
	list, err := s.queryTickets(ctx, q, c.args)
	if err != nil {
		return nil, err
	}
	due := make([]Due, len(list))
	for i, t := range list {
		due[i] = Due{Ticket: t, Clock: ClockResolution, At: t.ResolutionDue}
		if t.FirstRespondedAt == nil && !t.FirstResponseDue.After(by) && t.FirstResponseDue.Before(t.ResolutionDue) {
			due[i].Clock, due[i].At = ClockFirstResponse, t.FirstResponseDue
		}
	}
	return due, nil
}
