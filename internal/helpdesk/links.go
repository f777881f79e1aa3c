package helpdesk

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// The kinds of a Link, as seen from the ticket it is read for.
const (
	LinkRelated     = "related"      // the two tickets are about the same thing
	LinkDuplicateOf = "duplicate_of" // this ticket was merged into the other
	LinkDuplicate   = "duplicate"    // the other ticket was merged into this one
)

// internalEvents are the history entries only the help desk sees: notes,
// the links and problems, which name other people's tickets, a draft FAQ and the escalations.
const internalEvents = `'note', 'linked', 'unlinked', 'merged_from', 'problem', 'problem_unlinked', 'faq', 'escalation'`

// deskOnly is the agency of an audit entry about the help desk's own work
// on a ticket (its notes, links, problems): none, so that only the
// city-wide readers of the audit log see it, not the admin or head of the
// reporter's agency, who may read the ticket but not the desk's notes; what
// these entries say the log shows the superadmin alone (audit.List).
const deskOnly = 0

// Link is another ticket a ticket is linked with.
type Link struct {
	Number    string    `json:"number"`
	Subject   string    `json:"subject"`
	Status    string    `json:"status"`
	Kind      string    `json:"kind"`
	CreatedAt time.Time `json:"created_at"`
}

// LinkInput names the ticket to link with, by its number.
type LinkInput struct {
	Other string `json:"other"`
}

// pair orders two ticket ids as a related link stores them.
func pair(a, b int64) (int64, int64) {
	if a < b {
		return a, b
	}
	return b, a
}

// otherTicket reads the ticket a form or request names in field; an
// unknown number is the field's fault, not a missing page.
func otherTicket(ctx context.Context, q db.Querier, field, number string, self int64) (Ticket, error) {
	id, err := ParseNumber(strings.TrimSpace(number))
	if err != nil {
		return Ticket{}, errs.FieldErr(field, "rel.unknown_ticket")
	}
	if id == self {
		return Ticket{}, errs.FieldErr(field, "rel.self")
	}
	t, err := findTicket(ctx, q, id)
	if errs.Is(err, errs.NotFound) {
		return Ticket{}, errs.FieldErr(field, "rel.unknown_ticket")
	}
	return t, err
}

// workTicket loads a ticket by number in tx for a help desk action.
func (s *Service) workTicket(ctx context.Context, tx *sql.Tx, actor *policy.Actor, number string) (Ticket, error) {
	id, err := ParseNumber(number)
	if err != nil {
		return Ticket{}, err
	}
	t, err := s.visible(ctx, tx, actor, id)
	if err != nil {
		return Ticket{}, err
	}
	return t, policy.Check(actor, policy.TicketWork, target(t))
}

// LinkTickets links a ticket with another as related, shown on both
// tickets' pages for the help desk (never to reporters).
func (s *Service) LinkTickets(ctx context.Context, actor *policy.Actor, number string, in LinkInput) (Link, error) {
	var out Link
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		t, err := s.workTicket(ctx, tx, actor, number)
		if err != nil {
			return err
		}
		o, err := otherTicket(ctx, tx, "other", in.Other, t.ID)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM ticket_links WHERE (ticket_id = $1 AND other_id = $2)
			OR (ticket_id = $2 AND other_id = $1)`, t.ID, o.ID).Scan(&n); err != nil {
			return fmt.Errorf("helpdesk: links: %w", err)
		}
		if n > 0 {
			return errs.New(errs.Conflict, "rel.linked_already", t.Number, o.Number)
		}
		at := now()
		lo, hi := pair(t.ID, o.ID)
		_, err = tx.ExecContext(ctx, `INSERT INTO ticket_links (ticket_id, other_id, kind, created_by, created_at)
			VALUES ($1, $2, 'related', $3, $4)`, lo, hi, accountOf(actor), at)
		if _, ok := s.db.Dialect.UniqueViolation(err); ok {
			return errs.New(errs.Conflict, "rel.linked_already", t.Number, o.Number)
		}
		if err != nil {
			return fmt.Errorf("helpdesk: link: %w", err)
		}
		if err := linkEvents(ctx, tx, actor, "linked", t, o, at); err != nil {
			return err
		}
		out = Link{Number: o.Number, Subject: o.Subject, Status: o.Status, Kind: LinkRelated, CreatedAt: at}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "link", Entity: "ticket", EntityID: t.ID,
			AgencyID: deskOnly, After: map[string]string{"related": o.Number}})
	})
	return out, err
}

// UnlinkTickets removes the related link between two tickets. A merge is
// not undone this way.
func (s *Service) UnlinkTickets(ctx context.Context, actor *policy.Actor, number, other string) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		t, err := s.workTicket(ctx, tx, actor, number)
		if err != nil {
			return err
		}
		oid, err := ParseNumber(other)
		if err != nil {
			return errs.New(errs.NotFound, "rel.link_not_found")
		}
		lo, hi := pair(t.ID, oid)
		res, err := tx.ExecContext(ctx, `DELETE FROM ticket_links WHERE ticket_id = $1 AND other_id = $2
			AND kind = 'related'`, lo, hi)
		if err != nil {
			return fmt.Errorf("helpdesk: unlink: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("helpdesk: unlink: %w", err)
		}
		if n == 0 {
			return errs.New(errs.NotFound, "rel.link_not_found")
		}
		o, err := findTicket(ctx, tx, oid)
		if err != nil {
			return err
		}
		if err := linkEvents(ctx, tx, actor, "unlinked", t, o, now()); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "unlink", Entity: "ticket", EntityID: t.ID,
			AgencyID: deskOnly, Before: map[string]string{"related": o.Number}})
	})
}

// linkEvents records a link's change in the history of both tickets.
func linkEvents(ctx context.Context, tx *sql.Tx, actor *policy.Actor, kind string, a, b Ticket, at time.Time) error {
	for _, e := range []struct {
		on    Ticket
		other string
	}{{a, b.Number}, {b, a.Number}} {
		ev := []Event{{Actor: authorName(actor), Kind: kind, New: e.other, At: at}}
		if err := insertEvents(ctx, tx, e.on.ID, accountOf(actor), ev); err != nil {
			return fmt.Errorf("helpdesk: history: %w", err)
		}
	}
	return nil
}

// TicketLinks lists a ticket's links both ways, for the help desk.
func (s *Service) TicketLinks(ctx context.Context, actor *policy.Actor, number string) ([]Link, error) {
	id, err := ParseNumber(number)
	if err != nil {
		return nil, err
	}
	t, err := s.visible(ctx, s.db.R, actor, id)
	if err != nil {
		return nil, err
	}
	if err := policy.Check(actor, policy.TicketWork, target(t)); err != nil {
		return nil, err
	}
	return links(ctx, s.db.R, t.ID)
}

// links reads the links of ticket id both ways, oldest first.
func links(ctx context.Context, q db.Querier, id int64) ([]Link, error) {
	rows, err := q.QueryContext(ctx, `SELECT l.ticket_id, l.other_id, l.kind, l.created_at, t.subject, t.status
		FROM ticket_links l JOIN tickets t ON t.id = CASE WHEN l.ticket_id = $1 THEN l.other_id ELSE l.ticket_id END
		WHERE l.ticket_id = $1 OR l.other_id = $1 ORDER BY l.created_at, t.id`, id)
	if err != nil {
		return nil, fmt.Errorf("helpdesk: links: %w", err)
	}
	defer rows.Close()
	list := []Link{}
	for rows.Next() {
		var from, to int64
		var l Link
		if err := rows.Scan(&from, &to, &l.Kind, &l.CreatedAt, &l.Subject, &l.Status); err != nil {
			return nil, err
		}
		l.CreatedAt, l.Number = l.CreatedAt.UTC(), Number(to)
		if to == id {
			l.Number = Number(from)
			if l.Kind == LinkDuplicateOf {
				l.Kind = LinkDuplicate
			}
		}
		list = append(list, l)
	}
	return list, rows.Err()
}

// follows reports whether an account follows a ticket.
func follows(ctx context.Context, q db.Querier, ticketID, accountID int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM ticket_followers WHERE ticket_id = $1 AND account_id = $2`,
		ticketID, accountID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("helpdesk: followers: %w", err)
	}
	return n > 0, nil
}
