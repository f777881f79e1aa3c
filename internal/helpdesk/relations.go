package helpdesk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lontara-id/lontara/internal/policy"
)

// Relations is what the agent's ticket page shows of a ticket's relations:
// its links both ways, the problem it is grouped under, the problems it may
// join, and the canned replies with the one chosen filled in.
type Relations struct {
	Links    []Link
	Problem  *ProblemRecord  // nil when it is grouped under none
	Problems []ProblemRecord // the problems not resolved yet, newest first
	Canned   []CannedTeam    // the ticket's team first
	Chosen   *CannedReply    // the canned reply chosen, its body filled in for the ticket
}

// maxProblemChoices bounds the problems the ticket page offers: problems
// are few, and an old one is found on its own page.
const maxProblemChoices = 200

// TicketRelations reads the relations of t (read whole by GetTicket) for
// the help desk; canned is the canned reply chosen, 0 for none.
func (s *Service) TicketRelations(ctx context.Context, actor *policy.Actor, t Ticket, canned int64) (Relations, error) {
	if err := policy.Check(actor, policy.TicketWork, target(t)); err != nil {
		return Relations{}, err
	}
	var r Relations
	var err error
	if r.Links, err = links(ctx, s.db.R, t.ID); err != nil {
		return r, err
	}
	var pid int64
	err = s.db.R.QueryRowContext(ctx, `SELECT problem_id FROM problem_tickets WHERE ticket_id = $1`, t.ID).Scan(&pid)
	switch {
	case err == nil:
		p, err := findProblem(ctx, s.db.R, pid)
		if err != nil {
			return r, err
		}
		r.Problem = &p
	case !errors.Is(err, sql.ErrNoRows):
		return r, fmt.Errorf("helpdesk: problem of ticket: %w", err)
	}
	if r.Problems, err = problems(ctx, s.db.R, ` WHERE p.status <> 'resolved' ORDER BY p.id DESC LIMIT $1`,
		maxProblemChoices); err != nil {
		return r, err
	}
	if r.Canned, err = s.CannedByTeam(ctx, actor, deref(t.TeamID)); err != nil {
		return r, err
	}
	for _, team := range r.Canned {
		for _, c := range team.Replies {
			if c.ID == canned {
				c.Body = c.Fill(t, actor)
				r.Chosen = &c
			}
		}
	}
	return r, nil
}
