package org

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// EmployeePatch changes a person; nil fields stay as they are, which is how
// a JSON merge patch reads. For the nullable fields an empty string (NIP,
// email, phone, unit, position) or 0 (supervisor) removes the value. The
// agency changes only by TransferEmployee.
type EmployeePatch struct {
	NIP            *string `json:"nip"`
	Name           *string `json:"name"`
	FrontTitle     *string `json:"front_title"`
	BackTitle      *string `json:"back_title"`
	Email          *string `json:"email"`
	Phone          *string `json:"phone"`
	UnitName       *string `json:"unit_name"`
	PositionName   *string `json:"position_name"`
	Rank           *string `json:"rank"`
	EmploymentType *string `json:"employment_type"`
	SupervisorID   *int64  `json:"supervisor_id"`
}

// apply returns the input that results from patching e.
func (p EmployeePatch) apply(e Employee) EmployeeInput {
	in := EmployeeInput{AgencyID: e.AgencyID, UnitName: e.UnitName, PositionName: e.PositionName,
		NIP: deref(e.NIP), Name: e.Name, FrontTitle: e.FrontTitle, BackTitle: e.BackTitle,
		Email: deref(e.Email), Phone: deref(e.Phone), Rank: e.Rank, EmploymentType: e.EmploymentType,
		SupervisorID: e.SupervisorID}
	for _, f := range []struct{ dst, src *string }{
		{&in.NIP, p.NIP}, {&in.Name, p.Name}, {&in.FrontTitle, p.FrontTitle}, {&in.BackTitle, p.BackTitle},
		{&in.Email, p.Email}, {&in.Phone, p.Phone}, {&in.UnitName, p.UnitName},
		{&in.PositionName, p.PositionName}, {&in.Rank, p.Rank}, {&in.EmploymentType, p.EmploymentType},
	} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if p.SupervisorID != nil {
		in.SupervisorID = p.SupervisorID
		if *p.SupervisorID == 0 {
			in.SupervisorID = nil
		}
	}
	return in
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// GetEmployee returns a person, with the private fields masked unless the
// actor may see them. Every signed-in person may read the directory.
func (s *Service) GetEmployee(ctx context.Context, actor *policy.Actor, id int64) (Employee, error) {
	if actor == nil {
		return Employee{}, errs.New(errs.Unauthorized, "unauthorized")
	}
	e, err := findEmployee(ctx, s.db.R, "e.id", id)
	if err != nil {
		return Employee{}, err
	}
	return mask(actor, e), nil
}

// GetEmployeeByEmail returns the person with email, unmasked: it is for the
// sign-in and account code, which acts for the person themselves.
func (s *Service) GetEmployeeByEmail(ctx context.Context, email string) (Employee, error) {
	return findEmployee(ctx, s.db.R, "e.email", normEmail(email))
}

// ListEmployees returns one page of the directory ordered by name, with the
// private fields masked per person, and the next page's cursor ("" on the
// last page). The query searches NIPs too only for readers who may see
// every NIP the list can return: otherwise searching digit by digit would
// reveal the NIPs that masking hides.
func (s *Service) ListEmployees(ctx context.Context, actor *policy.Actor, f EmployeeFilter, p db.Page) ([]Employee, string, error) {
	if actor == nil {
		return nil, "", errs.New(errs.Unauthorized, "unauthorized")
	}
	byNIP := actor.IsSuper() || actor.CityWide() ||
		f.AgencyID != nil && policy.Can(actor, policy.EmployeeViewPrivate, policy.Target{AgencyID: *f.AgencyID})
	list, next, err := listEmployees(ctx, s.db, f, byNIP, p)
	for i := range list {
		list[i] = mask(actor, list[i])
	}
	return list, next, err
}

// mask removes the private fields the actor may not see.
func mask(actor *policy.Actor, e Employee) Employee {
	if policy.Can(actor, policy.EmployeeViewPrivate, policy.Target{AgencyID: e.AgencyID, EmployeeID: e.ID}) {
		return e
	}
	return e.Redacted()
}

// UpdateEmployee changes a person of an agency the actor may write.
func (s *Service) UpdateEmployee(ctx context.Context, actor *policy.Actor, id int64, p EmployeePatch) (Employee, error) {
	var after Employee
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := heldEmployee(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkPerson(ctx, tx, actor, policy.EmployeeWrite, before); err != nil {
			return err
		}
		e := p.apply(before).employee()
		e.ID, e.Active = id, before.Active
		var v errs.Validation
		checkEmployee(&v, &e, s.now())
		if err := checkRefs(ctx, tx, &v, &e, before.SupervisorID); err != nil {
			return err
		}
		if err := verdict(&v); err != nil {
			return err
		}
		if err := resolveNames(ctx, tx, &e); err != nil {
			return err
		}
		if err := updateEmployee(ctx, tx, &e, s.now()); err != nil {
			return s.writeErr(err, "update employee")
		}
		if err := s.changedPerson(ctx, tx, id); err != nil {
			return err
		}
		if after, err = findEmployee(ctx, tx, "e.id", id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "employee", EntityID: id,
			AgencyID: after.AgencyID, Before: before, After: after})
	})
	return after, err
}

// Target is what the policy needs to know about a person to answer what
// someone may do to them: their agency and the roles their account holds
// (an agency admin may not act on a head, an admin or city-wide staff). Pages
// use it to show only the actions that will be allowed.
func (s *Service) Target(ctx context.Context, e Employee) (policy.Target, error) {
	grants, err := grantsOf(ctx, s.db.R, []int64{e.ID})
	if err != nil {
		return policy.Target{}, err
	}
	return policy.Target{AgencyID: e.AgencyID, EmployeeID: e.ID, Grants: grants[e.ID]}, nil
}

// checkPerson asks the policy whether actor may do act to the existing
// person e, with the roles their account holds: an agency admin may not
// change a person who holds more than everyday roles of the admin's
// agencies (see policy.Target.Grants). q should be the acting transaction.
func checkPerson(ctx context.Context, q db.Querier, actor *policy.Actor, act policy.Action, e Employee) error {
	grants, err := grantsOf(ctx, q, []int64{e.ID})
	if err != nil {
		return err
	}
	return policy.Check(actor, act, policy.Target{AgencyID: e.AgencyID, EmployeeID: e.ID, Grants: grants[e.ID]})
}

// grantsOf returns the roles held by the accounts of the people ids, by
// person; people without an account or a role are absent. The auth package
// owns these tables; plain SQL here keeps org free of an import cycle.
func grantsOf(ctx context.Context, q db.Querier, ids []int64) (map[int64][]policy.Grant, error) {
	out := map[int64][]policy.Grant{}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		marks := make([]string, n)
		args := make([]any, n)
		for i, id := range ids[:n] {
			marks[i], args[i] = "$"+strconv.Itoa(i+1), id
		}
		ids = ids[n:]
		rows, err := q.QueryContext(ctx, `SELECT a.employee_id, g.role, COALESCE(g.agency_id, 0), COALESCE(g.app_id, 0)
			FROM role_grants g JOIN accounts a ON a.id = g.account_id
			WHERE a.employee_id IN (`+strings.Join(marks, ", ")+`) ORDER BY g.id`, args...)
		if err != nil {
			return nil, fmt.Errorf("org: load roles: %w", err)
		}
		for rows.Next() {
			var id int64
			var g policy.Grant
			if err := rows.Scan(&id, &g.Role, &g.AgencyID, &g.AppID); err != nil {
				rows.Close()
				return nil, fmt.Errorf("org: load roles: %w", err)
			}
			out[id] = append(out[id], g)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("org: load roles: %w", err)
		}
	}
	return out, nil
}
