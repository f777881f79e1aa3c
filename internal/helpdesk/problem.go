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

// ProblemStatuses are a problem's states, ITIL's: under investigation, a
// known error (the cause is found, a workaround may exist), resolved.
var ProblemStatuses = []string{"open", "known_error", "resolved"}

// ProblemRecord is the cause behind recurring incidents: the tickets it groups,
// its root cause once found and the workaround agents give meanwhile.
type ProblemRecord struct {
	ID          int64           `json:"id"`
	Number      string          `json:"number"`
	Title       string          `json:"title"`
	Description string          `json:"description"`
	RootCause   string          `json:"root_cause"`
	Workaround  string          `json:"workaround"`
	Status      string          `json:"status"`
	AppID       *int64          `json:"app_id"`
	CreatedBy   *int64          `json:"created_by"`
	TicketCount int             `json:"ticket_count"`
	Tickets     []ProblemTicket `json:"tickets,omitempty"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

// ProblemTicket is a ticket grouped under a problem.
type ProblemTicket struct {
	Number   string    `json:"number"`
	Subject  string    `json:"subject"`
	Status   string    `json:"status"`
	LinkedAt time.Time `json:"linked_at"`
}

// ProblemNumber formats a problem's id as its human number, P-0001.
func ProblemNumber(id int64) string { return fmt.Sprintf("P-%04d", id) }

// ProblemInput records a problem; Status defaults to open.
type ProblemInput struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	RootCause   string `json:"root_cause,omitempty"`
	Workaround  string `json:"workaround,omitempty"`
	Status      string `json:"status,omitempty"`
	AppID       *int64 `json:"app_id,omitempty"`
}

// ProblemPatch changes a problem: nil leaves a field as it is; SetApp with
// a nil AppID clears the application.
type ProblemPatch struct {
	Title       *string `json:"title,omitempty"`
	Description *string `json:"description,omitempty"`
	RootCause   *string `json:"root_cause,omitempty"`
	Workaround  *string `json:"workaround,omitempty"`
	Status      *string `json:"status,omitempty"`
	AppID       *int64  `json:"app_id,omitempty"`
	SetApp      bool    `json:"-"`
}

// ProblemTicketInput names a ticket to group under a problem.
type ProblemTicketInput struct {
	Ticket string `json:"ticket"`
}

// ProblemFilter narrows the problem list; nil fields do not filter.
type ProblemFilter struct {
	Status *string
	AppID  *int64
}

// validate checks p (its fields trimmed) and the application it names.
func (p *ProblemRecord) validate(ctx context.Context, q db.Querier) error {
	p.Title, p.Description = strings.TrimSpace(p.Title), strings.TrimSpace(p.Description)
	p.RootCause, p.Workaround = strings.TrimSpace(p.RootCause), strings.TrimSpace(p.Workaround)
	var v errs.Validation
	text(&v, "title", p.Title, maxSubject, true)
	for _, f := range []struct{ name, val string }{{"description", p.Description}, {"root_cause", p.RootCause},
		{"workaround", p.Workaround}} {
		text(&v, f.name, f.val, maxBody, false)
	}
	oneOf(&v, "status", p.Status, ProblemStatuses)
	if p.AppID != nil {
		ok, err := exists(ctx, q, "apps", *p.AppID)
		if err != nil {
			return fmt.Errorf("helpdesk: problem app: %w", err)
		}
		if !ok {
			v.Add("app_id", "ticket.unknown")
		}
	}
	return v.Err()
}

// CreateProblem records a problem (the help desk's).
func (s *Service) CreateProblem(ctx context.Context, actor *policy.Actor, in ProblemInput) (ProblemRecord, error) {
	if err := policy.Check(actor, policy.TicketWork, policy.Target{}); err != nil {
		return ProblemRecord{}, err
	}
	if in.Status == "" {
		in.Status = "open"
	}
	at := now()
	p := ProblemRecord{Title: in.Title, Description: in.Description, RootCause: in.RootCause, Workaround: in.Workaround,
		Status: in.Status, AppID: in.AppID, CreatedBy: accountOf(actor), CreatedAt: at, UpdatedAt: at}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := p.validate(ctx, tx); err != nil {
			return err
		}
		id, err := db.InsertID(ctx, tx, `INSERT INTO problems (title, description, root_cause, workaround, status,
			app_id, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
			p.Title, p.Description, p.RootCause, p.Workaround, p.Status, p.AppID, p.CreatedBy, at)
		if err != nil {
			return fmt.Errorf("helpdesk: create problem: %w", err)
		}
		p.ID, p.Number = id, ProblemNumber(id)
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "problem", EntityID: id, After: p})
	})
	return p, err
}

// UpdateProblem changes a problem: its root cause once found, the
// workaround, its status.
func (s *Service) UpdateProblem(ctx context.Context, actor *policy.Actor, id int64, in ProblemPatch) (ProblemRecord, error) {
	if err := policy.Check(actor, policy.TicketWork, policy.Target{}); err != nil {
		return ProblemRecord{}, err
	}
	var p ProblemRecord
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := findProblem(ctx, tx, id)
		if err != nil {
			return err
		}
		p = before
		for _, f := range []struct {
			dst *string
			val *string
		}{{&p.Title, in.Title}, {&p.Description, in.Description}, {&p.RootCause, in.RootCause},
			{&p.Workaround, in.Workaround}, {&p.Status, in.Status}} {
			if f.val != nil {
				*f.dst = *f.val
			}
		}
		if in.SetApp {
			p.AppID = in.AppID
		}
		if err := p.validate(ctx, tx); err != nil {
			return err
		}
		p.UpdatedAt = now()
		if _, err := tx.ExecContext(ctx, `UPDATE problems SET title = $1, description = $2, root_cause = $3,
			workaround = $4, status = $5, app_id = $6, updated_at = $7 WHERE id = $8`, p.Title, p.Description,
			p.RootCause, p.Workaround, p.Status, p.AppID, p.UpdatedAt, id); err != nil {
			return fmt.Errorf("helpdesk: update problem: %w", err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "problem", EntityID: id,
			Before: before, After: p})
	})
	return p, err
}

// GetProblem returns a problem with its tickets, most recently linked first.
func (s *Service) GetProblem(ctx context.Context, actor *policy.Actor, id int64) (ProblemRecord, error) {
	if err := policy.Check(actor, policy.TicketWork, policy.Target{}); err != nil {
		return ProblemRecord{}, err
	}
	p, err := findProblem(ctx, s.db.R, id)
	if err != nil {
		return ProblemRecord{}, err
	}
	p.Tickets, err = problemTickets(ctx, s.db.R, id)
	return p, err
}

// LinkProblemTicket groups a ticket under a problem. A ticket belongs to
// one problem at most.
func (s *Service) LinkProblemTicket(ctx context.Context, actor *policy.Actor, id int64, in ProblemTicketInput) (ProblemTicket, error) {
	if err := policy.Check(actor, policy.TicketWork, policy.Target{}); err != nil {
		return ProblemTicket{}, err
	}
	var out ProblemTicket
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		p, err := findProblem(ctx, tx, id)
		if err != nil {
			return err
		}
		t, err := otherTicket(ctx, tx, "ticket", in.Ticket, 0)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.TicketWork, target(t)); err != nil {
			return err
		}
		var current int64
		err = tx.QueryRowContext(ctx, `SELECT problem_id FROM problem_tickets WHERE ticket_id = $1`, t.ID).Scan(&current)
		switch {
		case err == nil && current == id:
			return errs.New(errs.Conflict, "rel.problem_linked", t.Number, p.Number)
		case err == nil:
			return errs.New(errs.Conflict, "rel.problem_taken", t.Number, ProblemNumber(current))
		case err != sql.ErrNoRows:
			return fmt.Errorf("helpdesk: problem of ticket: %w", err)
		}
		at := now()
		_, err = tx.ExecContext(ctx, `INSERT INTO problem_tickets (ticket_id, problem_id, created_by, created_at)
			VALUES ($1, $2, $3, $4)`, t.ID, id, accountOf(actor), at)
		if _, ok := s.db.Dialect.UniqueViolation(err); ok {
			return errs.New(errs.Conflict, "rel.problem_busy", t.Number)
		}
		if err != nil {
			return fmt.Errorf("helpdesk: link problem: %w", err)
		}
		ev := []Event{{Actor: authorName(actor), Kind: "problem", New: p.Number, At: at}}
		if err := insertEvents(ctx, tx, t.ID, accountOf(actor), ev); err != nil {
			return fmt.Errorf("helpdesk: history: %w", err)
		}
		out = ProblemTicket{Number: t.Number, Subject: t.Subject, Status: t.Status, LinkedAt: at}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "link_ticket", Entity: "problem", EntityID: id,
			AgencyID: deskOnly, After: map[string]string{"ticket": t.Number}})
	})
	return out, err
}

// UnlinkProblemTicket takes a ticket out of a problem it was grouped
// under by mistake.
func (s *Service) UnlinkProblemTicket(ctx context.Context, actor *policy.Actor, id int64, number string) error {
	if err := policy.Check(actor, policy.TicketWork, policy.Target{}); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		p, err := findProblem(ctx, tx, id)
		if err != nil {
			return err
		}
		tid, err := ParseNumber(number)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM problem_tickets WHERE ticket_id = $1 AND problem_id = $2`, tid, id)
		if err != nil {
			return fmt.Errorf("helpdesk: unlink problem: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("helpdesk: unlink problem: %w", err)
		}
		if n == 0 {
			return errs.New(errs.NotFound, "rel.problem_ticket_not_found", Number(tid), p.Number)
		}
		t, err := findTicket(ctx, tx, tid)
		if err != nil {
			return err
		}
		ev := []Event{{Actor: authorName(actor), Kind: "problem_unlinked", Old: p.Number, At: now()}}
		if err := insertEvents(ctx, tx, t.ID, accountOf(actor), ev); err != nil {
			return fmt.Errorf("helpdesk: history: %w", err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "unlink_ticket", Entity: "problem", EntityID: id,
			AgencyID: deskOnly, Before: map[string]string{"ticket": t.Number}})
	})
}
