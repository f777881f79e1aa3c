package helpdesk

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// problemColumns are the columns scanProblem reads, with the count of the
// problem's tickets.
const problemColumns = `SELECT p.id, p.title, p.description, p.root_cause, p.workaround, p.status, p.app_id,
	p.created_by, p.created_at, p.updated_at,
	(SELECT count(*) FROM problem_tickets pt WHERE pt.problem_id = p.id) FROM problems p`

// problems reads the problems matching rest (conditions and order built
// from constants, values bound as args).
func problems(ctx context.Context, q db.Querier, rest string, args ...any) ([]ProblemRecord, error) {
	rows, err := q.QueryContext(ctx, problemColumns+rest, args...)
	if err != nil {
		return nil, fmt.Errorf("helpdesk: problems: %w", err)
	}
	defer rows.Close()
	list := []ProblemRecord{}
	for rows.Next() {
		var p ProblemRecord
		var app, by sql.NullInt64
		if err := rows.Scan(&p.ID, &p.Title, &p.Description, &p.RootCause, &p.Workaround, &p.Status, &app, &by,
			&p.CreatedAt, &p.UpdatedAt, &p.TicketCount); err != nil {
			return nil, err
		}
		p.Number, p.AppID, p.CreatedBy = ProblemNumber(p.ID), idPtr(app), idPtr(by)
		p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
		list = append(list, p)
	}
	return list, rows.Err()
}

func findProblem(ctx context.Context, q db.Querier, id int64) (ProblemRecord, error) {
	list, err := problems(ctx, q, ` WHERE p.id = $1`, id)
	if err != nil {
		return ProblemRecord{}, err
	}
	if len(list) == 0 {
		return ProblemRecord{}, errs.New(errs.NotFound, "rel.problem_not_found")
	}
	return list[0], nil
}

// problemTickets reads the tickets grouped under a problem, most recently
// linked first.
func problemTickets(ctx context.Context, q db.Querier, id int64) ([]ProblemTicket, error) {
	rows, err := q.QueryContext(ctx, `SELECT t.id, t.subject, t.status, pt.created_at FROM problem_tickets pt
		JOIN tickets t ON t.id = pt.ticket_id WHERE pt.problem_id = $1 ORDER BY pt.created_at DESC, t.id DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("helpdesk: problem tickets: %w", err)
	}
	defer rows.Close()
	list := []ProblemTicket{}
	for rows.Next() {
		var t ProblemTicket
		var tid int64
		if err := rows.Scan(&tid, &t.Subject, &t.Status, &t.LinkedAt); err != nil {
			return nil, err
		}
		t.Number, t.LinkedAt = Number(tid), t.LinkedAt.UTC()
		list = append(list, t)
	}
	return list, rows.Err()
}

// ListProblems returns one page of problems, newest first, with how many
// tickets each groups.
func (s *Service) ListProblems(ctx context.Context, actor *policy.Actor, f ProblemFilter, pg db.Page) ([]ProblemRecord, string, error) {
	if err := policy.Check(actor, policy.TicketWork, policy.Target{}); err != nil {
		return nil, "", err
	}
	c := &conds{}
	if f.Status != nil {
		var v errs.Validation
		if oneOf(&v, "status", *f.Status, ProblemStatuses); v.Err() != nil {
			return nil, "", v.Err()
		}
		c.where = append(c.where, "p.status = "+c.arg(*f.Status))
	}
	if f.AppID != nil {
		c.where = append(c.where, "p.app_id = "+c.arg(*f.AppID))
	}
	if pg.After != "" {
		var after int64
		if err := db.ParseCursor(pg.After, &after); err != nil {
			return nil, "", err
		}
		c.where = append(c.where, "p.id < "+c.arg(after))
	}
	list, err := problems(ctx, s.db.R, c.sql()+" ORDER BY p.id DESC LIMIT "+c.arg(pg.Size()+1), c.args...)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(list) > pg.Size() {
		list = list[:pg.Size()]
		next = db.Cursor(list[len(list)-1].ID)
	}
	return list, next, nil
}
