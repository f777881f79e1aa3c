package mentoring

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

var errNotFound = errs.New(errs.NotFound, "mentoring.not_found")

const assignmentColumns = `m.id, m.agency_id, a.name, m.mentor_account_id, COALESCE(me.name, ''), m.mentee_id, e.name,
	e.agency_id, m.goal, m.ended_at, m.created_at,
	(SELECT COUNT(*) FROM mentoring_sessions s WHERE s.assignment_id = m.id),
	(SELECT COALESCE(SUM(s.jp), 0) FROM mentoring_sessions s WHERE s.assignment_id = m.id)`

const assignmentFrom = ` FROM mentoring_assignments m JOIN agencies a ON a.id = m.agency_id
	JOIN employees e ON e.id = m.mentee_id JOIN accounts c ON c.id = m.mentor_account_id
	LEFT JOIN employees me ON me.id = c.employee_id`

func scanAssignment(row interface{ Scan(...any) error }) (Assignment, error) {
	var a Assignment
	err := row.Scan(&a.ID, &a.AgencyID, &a.AgencyName, &a.MentorAccountID, &a.MentorName, &a.MenteeID, &a.MenteeName,
		&a.MenteeAgencyID, &a.Goal, &a.EndedAt, &a.CreatedAt, &a.SessionCount, &a.JP)
	a.CreatedAt = a.CreatedAt.UTC()
	if a.EndedAt != nil {
		t := a.EndedAt.UTC()
		a.EndedAt = &t
	}
	return a, err
}

func load(ctx context.Context, q db.Querier, id int64) (Assignment, error) {
	a, err := scanAssignment(q.QueryRowContext(ctx, `SELECT `+assignmentColumns+assignmentFrom+` WHERE m.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Assignment{}, errNotFound
	}
	if err != nil {
		return Assignment{}, fmt.Errorf("mentoring: load %d: %w", id, err)
	}
	return a, nil
}

// mayView reports whether actor may see assignment a: its trainer while
// they still train in the mentee's current agency, and whoever may see the
// mentee's development (themselves, their supervisor, their current
// agency's leaders and trainers).
func mayView(ctx context.Context, q db.Querier, actor *policy.Actor, a Assignment) (bool, error) {
	if actor == nil {
		return false, nil
	}
	if policy.Can(actor, policy.MentoringLog, logTarget(actor, a)) {
		return true, nil
	}
	var supervisor *int64
	if err := q.QueryRowContext(ctx, `SELECT supervisor_id FROM employees WHERE id = $1`, a.MenteeID).Scan(&supervisor); err != nil {
		return false, fmt.Errorf("mentoring: mentee: %w", err)
	}
	return policy.Can(actor, policy.DevelopmentView, policy.Target{EmployeeID: a.MenteeID, AgencyID: a.MenteeAgencyID,
		Supervisor: supervisor != nil && actor.EmployeeID != 0 && *supervisor == actor.EmployeeID}), nil
}

// Get reads assignment id with its sessions, newest first.
func (s *Service) Get(ctx context.Context, actor *policy.Actor, id int64) (Assignment, error) {
	a, err := load(ctx, s.db.R, id)
	if err != nil {
		return Assignment{}, err
	}
	ok, err := mayView(ctx, s.db.R, actor, a)
	if err != nil {
		return Assignment{}, err
	}
	if !ok {
		return Assignment{}, errNotFound
	}
	a.CanLog = a.EndedAt == nil && policy.Can(actor, policy.MentoringLog, logTarget(actor, a))
	a.CanManage = policy.Can(actor, policy.MentoringManage, policy.Target{AgencyID: a.MenteeAgencyID})
	rows, err := s.db.R.QueryContext(ctx, `SELECT s.id, s.held_at, s.jp, s.topic, s.notes, COALESCE(c.code, ''),
		COALESCE(c.name, ''), s.level, s.created_at FROM mentoring_sessions s
		LEFT JOIN competencies c ON c.id = s.competency_id WHERE s.assignment_id = $1 ORDER BY s.held_at DESC, s.id DESC`, id)
	if err != nil {
		return Assignment{}, fmt.Errorf("mentoring: sessions of %d: %w", id, err)
	}
	defer rows.Close()
	a.Sessions = []Session{}
	for rows.Next() {
		var se Session
		if err := rows.Scan(&se.ID, &se.HeldAt, &se.JP, &se.Topic, &se.Notes, &se.CompetencyCode, &se.CompetencyName,
			&se.Level, &se.CreatedAt); err != nil {
			return Assignment{}, fmt.Errorf("mentoring: sessions of %d: %w", id, err)
		}
		se.HeldAt, se.CreatedAt = se.HeldAt.UTC(), se.CreatedAt.UTC()
		a.Sessions = append(a.Sessions, se)
	}
	return a, rows.Err()
}

// Filter picks assignments: an agency's (for those who may see its
// development), else the actor's own as trainer or mentee.
type Filter struct {
	AgencyID   *int64
	ActiveOnly bool
}

// List reads assignments, newest first.
func (s *Service) List(ctx context.Context, actor *policy.Actor, f Filter, page db.Page) ([]Assignment, string, error) {
	if actor == nil {
		return nil, "", errs.New(errs.Unauthorized, "unauthorized")
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	var conds []string
	if f.AgencyID != nil {
		if err := policy.Check(actor, policy.DevelopmentView, policy.Target{AgencyID: *f.AgencyID}); err != nil {
			return nil, "", err
		}
		conds = append(conds, "e.agency_id = "+arg(*f.AgencyID)) // the mentee's agency now
	} else {
		conds = append(conds, "(m.mentor_account_id = "+arg(actor.AccountID)+" OR m.mentee_id = "+arg(actor.EmployeeID)+")")
	}
	if f.ActiveOnly {
		conds = append(conds, "m.ended_at IS NULL")
	}
	if page.After != "" {
		var after int64
		if err := db.ParseCursor(page.After, &after); err != nil {
			return nil, "", err
		}
		conds = append(conds, "m.id < "+arg(after))
	}
	size := page.Size()
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+assignmentColumns+assignmentFrom+` WHERE `+
		strings.Join(conds, " AND ")+` ORDER BY m.id DESC LIMIT `+arg(size+1), args...)
	if err != nil {
		return nil, "", fmt.Errorf("mentoring: list: %w", err)
	}
	defer rows.Close()
	list := []Assignment{}
	for rows.Next() {
		a, err := scanAssignment(rows)
		if err != nil {
			return nil, "", fmt.Errorf("mentoring: list: %w", err)
		}
		list = append(list, a)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("mentoring: list: %w", err)
	}
	next := ""
	if len(list) > size {
		list = list[:size]
		next = db.Cursor(list[size-1].ID)
	}
	return list, next, nil
}

// Person is someone to choose in the assignment form.
type Person struct {
	ID   int64 // the account of a trainer, the employee of a mentee
	Name string
}

// Choices lists, for the assignment form of agency, the trainers placed
// there (by account) and its people in service (by employee), by name.
func (s *Service) Choices(ctx context.Context, actor *policy.Actor, agency int64) (trainers, people []Person, err error) {
	if err := policy.Check(actor, policy.MentoringManage, policy.Target{AgencyID: agency}); err != nil {
		return nil, nil, err
	}
	load := func(query string) ([]Person, error) {
		rows, err := s.db.R.QueryContext(ctx, query, agency)
		if err != nil {
			return nil, fmt.Errorf("mentoring: choices: %w", err)
		}
		defer rows.Close()
		var list []Person
		for rows.Next() {
			var p Person
			if err := rows.Scan(&p.ID, &p.Name); err != nil {
				return nil, fmt.Errorf("mentoring: choices: %w", err)
			}
			list = append(list, p)
		}
		return list, rows.Err()
	}
	if trainers, err = load(`SELECT DISTINCT c.id, e.name FROM role_grants g JOIN accounts c ON c.id = g.account_id
		JOIN employees e ON e.id = c.employee_id WHERE g.role = 'trainer' AND g.agency_id = $1 AND e.active
		ORDER BY e.name, c.id`); err != nil {
		return nil, nil, err
	}
	people, err = load(`SELECT id, name FROM employees WHERE agency_id = $1 AND active ORDER BY name, id`)
	return trainers, people, err
}
