package helpdesk

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
)

// problemColumns are the columns scanProblem reads, with the count of the
// problem's tickets.
const problemColumns = `SELECT p.id, p.title, p.description, p.root_cause, p.workaround, p.status, p.app_id,
	p.created_by, p.created_at, p.updated_at,
	(SELECT count(*) FROM problem_tickets pt WHERE pt.problem_id = p.id) FROM problems p`

// problems reads the problems matching rest (conditions and order built
// from constants, values bound as args).
func problems(ctx context.Context, q db.Querier, rest string, args ...any) ([]Problem, error) {
	rows, err := q.QueryContext(ctx, problemColumns+rest, args...)
	if err != nil {
		return nil, fmt.Errorf("helpdesk: problems: %w", err)
	}
	defer rows.Close()
	list := []Problem{}
	for rows.Next() {
		var p Problem
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

func findProblem(ctx context.Context, q db.Querier, id int64) (Problem, error) {
	list, err := problems(ctx, q, ` WHERE p.id = $1`, id)
	if err != nil {
		return Problem{}, err
	}
	if len(list) == 0 {
		return Problem{}, errs.New(errs.NotFound, "rel.problem_not_found")
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
