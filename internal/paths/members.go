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
// agency to a path: managing the path gives no right over other agencies'
// people, so this is policy.PathAssign on the person's agency.
func mayAssign(actor *policy.Actor, agency int64) error {
	return policy.Check(actor, policy.PathAssign, policy.Target{AgencyID: agency})
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
		if err := mayAssign(actor, who.agencyID); err != nil {
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
		_, err := load(ctx, tx, id)
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
		if err := mayAssign(actor, agency); err != nil {
			return err
		}
		return s.removeMember(ctx, tx, actor, id, employeeID)
	})
}

func (s *Service) addMember(ctx context.Context, q db.Querier, id, employeeID int64, source string, by int64) error {
	if _, err := q.ExecContext(ctx, `INSERT INTO learning_path_members (path_id, employee_id, source, assigned_by, created_at)
		VALUES ($1, $2, $3, $4, $5)`, id, employeeID, source, db.NullID(by), now()); err != nil {
		if _, dup := s.db.Dialect.UniqueViolation(err); dup { // a member already (the primary key)
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

// memberScope is the condition on the members' employees e that keeps
// those the actor may see (policy.DevelopmentScope: themselves, their
// direct reports, the agencies they lead, administer or train in), with
// its arguments from $2. A path may have thousands of members, of whom an
// employee sees one: reading them all, a page at a time, to ask Can of
// each cost a query per 51 members. Members still asks Can of each row.
func memberScope(actor *policy.Actor) (string, []any) {
	all, agencies := policy.DevelopmentScope(actor)
	if all {
		return "", nil
	}
	var me int64
	if actor != nil {
		me = actor.EmployeeID
	}
	cond, args := " AND (e.id = $2 OR e.supervisor_id = $2", []any{me}
	if len(agencies) > 0 {
		in, more := db.InListFrom(3, agencies)
		cond += " OR e.agency_id IN (" + in + ")"
		args = append(args, more...)
	}
	return cond + ")", args
}

// Members lists the followers of path id with their progress, by name:
// those whose development the reader may see (themselves, their direct
// reports, the people of the agencies they administer, head or train in);
// managing the path shows no one more. The query reads only them
// (memberScope); Can, the rule itself, still decides each row, and a row it
// refuses is skipped, reading on until the page is full, so that a scope
// wider than the rule hides nobody after it.
func (s *Service) Members(ctx context.Context, actor *policy.Actor, id int64, page db.Page) ([]Progress, string, error) {
	if _, err := load(ctx, s.db.R, id); err != nil {
		return nil, "", err
	}
	var afterName string
	var afterID int64
	if page.After != "" {
		if err := db.ParseCursor(page.After, &afterName, &afterID); err != nil {
			return nil, "", err
		}
	}
	size := page.Size()
	batch := size + 1
	var list []Progress
	next := ""
	scope, scopeArgs := memberScope(actor)
	for {
		args := append([]any{id}, scopeArgs...)
		cond := scope
		if afterID != 0 {
			n := len(args)
			args = append(args, afterName, afterID)
			cond += fmt.Sprintf(" AND (e.name > $%d OR (e.name = $%d AND e.id > $%d))", n+1, n+1, n+2)
		}
		rows, err := s.db.R.QueryContext(ctx, `SELECT e.id, e.name, e.agency_id, a.name, m.source, e.supervisor_id
			FROM learning_path_members m JOIN employees e ON e.id = m.employee_id JOIN agencies a ON a.id = e.agency_id
			WHERE m.path_id = $1`+cond+` ORDER BY e.name, e.id LIMIT `+fmt.Sprint(batch), args...)
		if err != nil {
			return nil, "", fmt.Errorf("paths: members of %d: %w", id, err)
		}
		scanned, full := 0, false
		for rows.Next() {
			var pr Progress
			var supervisor *int64
			if err := rows.Scan(&pr.EmployeeID, &pr.Name, &pr.AgencyID, &pr.AgencyName, &pr.Source, &supervisor); err != nil {
				rows.Close()
				return nil, "", fmt.Errorf("paths: members of %d: %w", id, err)
			}
			scanned++
			afterName, afterID = pr.Name, pr.EmployeeID
			t := policy.Target{EmployeeID: pr.EmployeeID, AgencyID: pr.AgencyID,
				Supervisor: supervisor != nil && actor != nil && actor.EmployeeID != 0 && *supervisor == actor.EmployeeID}
			if !policy.Can(actor, policy.DevelopmentView, t) {
				continue
			}
			if len(list) == size { // one more visible: there is a next page
				last := list[len(list)-1]
				next = db.Cursor(last.Name, last.EmployeeID)
				full = true
				break
			}
			pr.CanUnassign = pr.Source == SourceAssigned && policy.Can(actor, policy.PathAssign, policy.Target{AgencyID: pr.AgencyID})
			list = append(list, pr)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, "", fmt.Errorf("paths: members of %d: %w", id, err)
		}
		if full || scanned < batch {
			break
		}
	}
	ids := make([]int64, len(list))
	for i, pr := range list {
		ids[i] = pr.EmployeeID
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
		can := list[i].CanUnassign
		list[i] = progress(list[i], steps, done[list[i].EmployeeID])
		list[i].CanUnassign = can
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

// MayAssign reports whether actor may assign anyone at all to a path: the
// expert team, or the admin or head of some agency.
func MayAssign(actor *policy.Actor) bool {
	if actor == nil {
		return false
	}
	if policy.Can(actor, policy.PathAssign, policy.Target{AgencyID: actor.AgencyID}) || actor.Has(policy.Expert) {
		return true
	}
	for _, r := range []policy.Role{policy.AgencyAdmin, policy.AgencyHead} {
		for _, ag := range actor.AgenciesWith(r) {
			if policy.Can(actor, policy.PathAssign, policy.Target{AgencyID: ag}) {
				return true
			}
		}
	}
	return false
}
