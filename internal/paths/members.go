package paths

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
)

// Sources of a membership.
const (
	SourceAssigned = "assigned"
	SourceJoined   = "joined"
)

// Link is a path's page.
func Link(id int64) string { return fmt.Sprintf("/pelatihan/jalur/%d", id) }

// Join makes the actor a follower of open path id.
func (s *Service) Join(ctx context.Context, actor *policy.Actor, id int64) error {
	if actor == nil || actor.EmployeeID == 0 {
		return errs.New(errs.Forbidden, "paths.no_person")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		p, err := load(ctx, tx, id)
		if err != nil {
			return err
		}
		if !p.Open {
			return errs.New(errs.Conflict, "paths.not_open")
		}
		if err := s.addMember(ctx, tx, id, actor.EmployeeID, SourceJoined, 0); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "learning_path_member", EntityID: id,
			AgencyID: actor.AgencyID, After: map[string]any{"employee_id": actor.EmployeeID, "source": SourceJoined}})
	})
}

// Leave ends the actor's following of path id, when they joined it
// themselves; an assignment is ended by whoever may assign.
func (s *Service) Leave(ctx context.Context, actor *policy.Actor, id int64) error {
	if actor == nil || actor.EmployeeID == 0 {
		return errs.New(errs.Forbidden, "paths.no_person")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		var source string
		err := tx.QueryRowContext(ctx, `SELECT source FROM learning_path_members WHERE path_id = $1 AND employee_id = $2`,
			id, actor.EmployeeID).Scan(&source)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.New(errs.NotFound, "paths.not_member")
		}
		if err != nil {
			return fmt.Errorf("paths: leave %d: %w", id, err)
		}
		if source == SourceAssigned {
			return errs.New(errs.Conflict, "paths.assigned_stays")
		}
		return s.removeMember(ctx, tx, actor, id, actor.EmployeeID)
	})
}

// person is what assigning needs to know of someone.
type person struct {
	agencyID  int64
	accountID *int64
	active    bool
}

// mayAssign reports whether actor may assign (or unassign) someone of
// agency to path p: the path's managers may assign anyone; an agency's
// admin or head, who nominate their people for training, their own.
func mayAssign(actor *policy.Actor, p Path, agency int64) error {
	if policy.Can(actor, policy.ActivityManage, policy.Target{AgencyID: agencyOf(p.AgencyID)}) {
		return nil
	}
	return policy.Check(actor, policy.EnrolmentNominate, policy.Target{AgencyID: agency})
}

// Assign makes person employeeID follow path id and tells them.
func (s *Service) Assign(ctx context.Context, actor *policy.Actor, id, employeeID int64) (Progress, error) {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		p, err := load(ctx, tx, id)
		if err != nil {
			return err
		}
		var who person
		err = tx.QueryRowContext(ctx, `SELECT e.agency_id, e.active, (SELECT MIN(c.id) FROM accounts c
			WHERE c.employee_id = e.id) FROM employees e WHERE e.id = $1`, employeeID).Scan(&who.agencyID, &who.active, &who.accountID)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.FieldErr("employee_id", "paths.person_unknown")
		}
		if err != nil {
			return fmt.Errorf("paths: assign: %w", err)
		}
		if err := mayAssign(actor, p, who.agencyID); err != nil {
			return err
		}
		if !who.active {
			return errs.FieldErr("employee_id", "paths.person_inactive")
		}
		if err := s.addMember(ctx, tx, id, employeeID, SourceAssigned, actor.AccountID); err != nil {
			return err
		}
		if who.accountID != nil {
			if err := notify.Send(ctx, tx, notify.Message{AccountID: *who.accountID, Kind: "paths.assigned",
				Args: []string{p.Title}, Link: Link(id)}); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "learning_path_member", EntityID: id,
			AgencyID: who.agencyID, After: map[string]any{"employee_id": employeeID, "source": SourceAssigned}})
	})
	if err != nil {
		return Progress{}, err
	}
	list, err := s.progressOf(ctx, id, []int64{employeeID})
	if err != nil || len(list) == 0 {
		return Progress{}, err
	}
	return list[0], nil
}

// Unassign ends person employeeID's following of path id.
func (s *Service) Unassign(ctx context.Context, actor *policy.Actor, id, employeeID int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		p, err := load(ctx, tx, id)
		if err != nil {
			return err
		}
		var agency int64
		err = tx.QueryRowContext(ctx, `SELECT e.agency_id FROM learning_path_members m JOIN employees e ON e.id = m.employee_id
			WHERE m.path_id = $1 AND m.employee_id = $2`, id, employeeID).Scan(&agency)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.New(errs.NotFound, "paths.not_member")
		}
		if err != nil {
			return fmt.Errorf("paths: unassign: %w", err)
		}
		if err := mayAssign(actor, p, agency); err != nil {
			return err
		}
		return s.removeMember(ctx, tx, actor, id, employeeID)
	})
}

func (s *Service) addMember(ctx context.Context, q db.Querier, id, employeeID int64, source string, by int64) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM learning_path_members WHERE path_id = $1 AND employee_id = $2`,
		id, employeeID).Scan(&n); err != nil {
		return fmt.Errorf("paths: member: %w", err)
	}
	if n > 0 {
		return errs.New(errs.Conflict, "paths.already_member")
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO learning_path_members (path_id, employee_id, source, assigned_by, created_at)
		VALUES ($1, $2, $3, $4, $5)`, id, employeeID, source, db.NullID(by), now()); err != nil {
		if _, dup := s.db.Dialect.UniqueViolation(err); dup { // added meanwhile by another request
			return errs.New(errs.Conflict, "paths.already_member")
		}
		return fmt.Errorf("paths: member: %w", err)
	}
	return nil
}

func (s *Service) removeMember(ctx context.Context, tx *sql.Tx, actor *policy.Actor, id, employeeID int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM learning_path_members WHERE path_id = $1 AND employee_id = $2`,
		id, employeeID); err != nil {
		return fmt.Errorf("paths: remove member: %w", err)
	}
	return audit.Write(ctx, tx, actor, audit.Entry{Action: "delete", Entity: "learning_path_member", EntityID: id,
		Before: map[string]any{"employee_id": employeeID}})
}

// Members lists the followers of path id with their progress, by name:
// all of them for the path's managers, else those whose development the
// reader may see (their agency's people, their direct reports, themselves).
func (s *Service) Members(ctx context.Context, actor *policy.Actor, id int64, page db.Page) ([]Progress, string, error) {
	p, err := load(ctx, s.db.R, id)
	if err != nil {
		return nil, "", err
	}
	all := policy.Can(actor, policy.ActivityManage, policy.Target{AgencyID: agencyOf(p.AgencyID)})
	args := []any{id}
	cond := ""
	if page.After != "" {
		var name string
		var after int64
		if err := db.ParseCursor(page.After, &name, &after); err != nil {
			return nil, "", err
		}
		args = append(args, name, after)
		cond = " AND (e.name > $2 OR (e.name = $2 AND e.id > $3))"
	}
	size := page.Size()
	rows, err := s.db.R.QueryContext(ctx, `SELECT e.id, e.name, e.agency_id, a.name, m.source, e.supervisor_id
		FROM learning_path_members m JOIN employees e ON e.id = m.employee_id JOIN agencies a ON a.id = e.agency_id
		WHERE m.path_id = $1`+cond+` ORDER BY e.name, e.id LIMIT `+fmt.Sprint(size+1), args...)
	if err != nil {
		return nil, "", fmt.Errorf("paths: members of %d: %w", id, err)
	}
	var list []Progress
	var ids []int64
	next := ""
	for rows.Next() {
		var pr Progress
		var supervisor *int64
		if err := rows.Scan(&pr.EmployeeID, &pr.Name, &pr.AgencyID, &pr.AgencyName, &pr.Source, &supervisor); err != nil {
			rows.Close()
			return nil, "", fmt.Errorf("paths: members of %d: %w", id, err)
		}
		if len(ids) == size {
			next = db.Cursor(list[len(list)-1].Name, list[len(list)-1].EmployeeID)
			break
		}
		ids = append(ids, pr.EmployeeID)
		t := policy.Target{EmployeeID: pr.EmployeeID, AgencyID: pr.AgencyID,
			Supervisor: supervisor != nil && actor.EmployeeID != 0 && *supervisor == actor.EmployeeID}
		if all || policy.Can(actor, policy.DevelopmentView, t) {
			list = append(list, pr)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("paths: members of %d: %w", id, err)
	}
	if next != "" && len(list) == 0 {
		next = ""
	}
	steps, err := loadSteps(ctx, s.db.R, id)
	if err != nil {
		return nil, "", err
	}
	done, err := doneBy(ctx, s.db.R, id, ids)
	if err != nil {
		return nil, "", err
	}
	for i := range list {
		list[i] = progress(list[i], steps, done[list[i].EmployeeID])
	}
	return list, next, nil
}

// progressOf reads the progress of the given members of path id.
func (s *Service) progressOf(ctx context.Context, id int64, people []int64) ([]Progress, error) {
	steps, err := loadSteps(ctx, s.db.R, id)
	if err != nil {
		return nil, err
	}
	done, err := doneBy(ctx, s.db.R, id, people)
	if err != nil {
		return nil, err
	}
	var list []Progress
	for _, person := range people {
		var pr Progress
		err := s.db.R.QueryRowContext(ctx, `SELECT e.id, e.name, e.agency_id, a.name, m.source FROM learning_path_members m
			JOIN employees e ON e.id = m.employee_id JOIN agencies a ON a.id = e.agency_id
			WHERE m.path_id = $1 AND m.employee_id = $2`, id, person).Scan(&pr.EmployeeID, &pr.Name, &pr.AgencyID,
			&pr.AgencyName, &pr.Source)
		if err != nil {
			return nil, fmt.Errorf("paths: member %d: %w", person, err)
		}
		list = append(list, progress(pr, steps, done[person]))
	}
	return list, nil
}
