package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Service holds the rules about agencies and people. Every method that
// changes something runs as one transaction with its audit record.
type Service struct {
	db            *db.DB
	now           func() time.Time
	personChanged PersonChangedHook // see SetPersonChangedHook
}

// NewService returns the service over d.
func NewService(d *db.DB) *Service {
	return &Service{db: d, now: func() time.Time { return time.Now().UTC() }}
}

// CreateEmployee adds a person to an agency: the actor must be allowed to
// write that agency's people. Unknown unit and position names are created.
func (s *Service) CreateEmployee(ctx context.Context, actor *policy.Actor, in EmployeeInput) (Employee, error) {
	var e Employee
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		e, err = s.CreateEmployeeTx(ctx, tx, actor, in)
		return err
	})
	return e, err
}

// CreateEmployeeTx is CreateEmployee inside the caller's transaction, for a
// package that creates the person together with something of its own (the
// account, in `lontara user create`). The audit record is written in tx.
func (s *Service) CreateEmployeeTx(ctx context.Context, tx *sql.Tx, actor *policy.Actor, in EmployeeInput) (Employee, error) {
	e := in.employee()
	var v errs.Validation
	checkEmployee(&v, &e, s.now())
	if e.AgencyID > 0 {
		if err := policy.Check(actor, policy.EmployeeWrite, policy.Target{AgencyID: e.AgencyID}); err != nil {
			return Employee{}, err
		}
	}
	if err := checkRefs(ctx, tx, &v, &e, nil); err != nil {
		return Employee{}, err
	}
	if err := verdict(&v); err != nil {
		return Employee{}, err
	}
	if err := resolveNames(ctx, tx, &e); err != nil {
		return Employee{}, err
	}
	id, err := insertEmployee(ctx, tx, &e, s.now())
	if err != nil {
		return Employee{}, s.writeErr(err, "create employee")
	}
	created, err := findEmployee(ctx, tx, "e.id", id)
	if err != nil {
		return Employee{}, err
	}
	err = audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "employee", EntityID: id,
		AgencyID: created.AgencyID, After: created})
	return created, err
}

// checkRefs adds the errors only the database can tell: the agency exists,
// a new supervisor is fit to be one (checkSupervisor; prev is the
// supervisor the person had, which stays acceptable after they leave so
// that other changes are not blocked), the NIP and email are not someone
// else's. The unique indexes decide in the end (writeErr); checking first
// lets one answer name every problem, the same on both engines.
func checkRefs(ctx context.Context, q db.Querier, v *errs.Validation, e *Employee, prev *int64) error {
	if e.AgencyID > 0 {
		ok, err := exists(ctx, q, "agencies", e.AgencyID)
		if err != nil {
			return fmt.Errorf("org: check agency: %w", err)
		}
		if !ok {
			v.Add("agency_id", "agency.unknown")
		}
	}
	if e.SupervisorID != nil && !v.Has("supervisor_id") && !eqPtr(e.SupervisorID, prev) {
		key, err := checkSupervisor(ctx, q, e.ID, e.AgencyID, *e.SupervisorID)
		if err != nil {
			return err
		}
		if key != "" {
			v.Add("supervisor_id", key)
		}
	}
	for _, c := range []struct {
		col string
		val *string
	}{{"nip", e.NIP}, {"email", e.Email}} {
		if c.val == nil || v.Has(c.col) {
			continue
		}
		taken, err := takenBy(ctx, q, c.col, *c.val, e.ID)
		if err != nil {
			return fmt.Errorf("org: check %s: %w", c.col, err)
		}
		if taken {
			v.Add(c.col, c.col+".taken")
		}
	}
	return nil
}

// maxChain is how many supervisor links checkSupervisor follows: far more
// than any hierarchy is deep, so a longer chain is a loop.
const maxChain = 50

// checkSupervisor returns the error key ("" when fit) of making boss the
// supervisor of the person id (0: a new person) in agency: boss exists, is
// active, works in the same agency, and is not the person or below them,
// which would make a loop (review 2, finding 8).
func checkSupervisor(ctx context.Context, q db.Querier, id, agency, boss int64) (string, error) {
	var bossAgency int64
	var active bool
	var next *int64
	err := q.QueryRowContext(ctx, `SELECT agency_id, active, supervisor_id FROM employees WHERE id = $1`, boss).
		Scan(&bossAgency, &active, &next)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "supervisor.unknown", nil
	case err != nil:
		return "", fmt.Errorf("org: check supervisor: %w", err)
	case boss == id:
		return "supervisor.self", nil
	case !active:
		return "supervisor.inactive", nil
	case bossAgency != agency:
		return "supervisor.other_agency", nil
	case id == 0:
		return "", nil // no one reports to a new person yet
	}
	for range maxChain {
		if next == nil {
			return "", nil
		}
		if *next == id {
			return "supervisor.loop", nil
		}
		if err := q.QueryRowContext(ctx, `SELECT supervisor_id FROM employees WHERE id = $1`, *next).Scan(&next); err != nil {
			return "", fmt.Errorf("org: supervisor chain: %w", err)
		}
	}
	return "supervisor.loop", nil
}

// verdict returns the collected errors: Conflict when every one of them is a
// value someone else already has, Invalid otherwise.
func verdict(v *errs.Validation) error {
	err := v.Err()
	e := errs.As(err)
	if e == nil {
		return err
	}
	for _, f := range e.Fields {
		if !strings.HasSuffix(f.Key, ".taken") {
			return err
		}
	}
	e.Code, e.Key = errs.Conflict, "duplicate"
	return e
}

// writeErr turns a constraint the database enforced into the error a
// person can act on; anything else is unexpected.
func (s *Service) writeErr(err error, what string) error {
	if key, ok := s.db.Dialect.UniqueViolation(err); ok {
		switch {
		case strings.Contains(key, "employees.nip"):
			return verdict(fieldOnly("nip", "nip.taken"))
		case strings.Contains(key, "employees.email"):
			return verdict(fieldOnly("email", "email.taken"))
		case strings.Contains(key, "agencies.code"):
			return verdict(fieldOnly("code", "code.taken"))
		}
	}
	return fmt.Errorf("org: %s: %w", what, err)
}

func fieldOnly(name, key string) *errs.Validation {
	var v errs.Validation
	v.Add(name, key)
	return &v
}

// resolveNames turns the unit and position names into ids, creating them
// when new.
func resolveNames(ctx context.Context, q db.Querier, e *Employee) error {
	e.UnitID, e.PositionID = nil, nil
	if e.UnitName != "" {
		id, err := EnsureUnit(ctx, q, e.AgencyID, e.UnitName)
		if err != nil {
			return err
		}
		e.UnitID = &id
	}
	if e.PositionName != "" {
		id, err := EnsurePosition(ctx, q, e.PositionName)
		if err != nil {
			return err
		}
		e.PositionID = &id
	}
	return nil
}
