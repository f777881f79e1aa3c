package org

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// DeactivateEmployee ends a person's service for reason (one of EndReasons)
// on the date on (zero: today). Their account is switched off, its sessions
// ended and its tokens revoked in the same transaction, so access ends the
// moment the change is committed.
func (s *Service) DeactivateEmployee(ctx context.Context, actor *policy.Actor, id int64, reason string, on time.Time) (Employee, error) {
	now := s.now()
	var v errs.Validation
	if !slices.Contains(EndReasons, reason) {
		v.Add("reason", "one_of", strings.Join(EndReasons, ", "))
	}
	on = dayOr(on, now)
	switch {
	case on.After(latestToday(now)):
		v.Add("ended_on", "date.future")
	case on.Before(earliestDay):
		v.Add("ended_on", "date.range")
	}
	var after Employee
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := heldEmployee(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkPerson(ctx, tx, actor, policy.EmployeeWrite, before); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		if !before.Active {
			return errs.New(errs.Conflict, "employee.inactive")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE employees SET active = FALSE, end_reason = $2, ended_on = $3,
			updated_at = $4 WHERE id = $1`, id, reason, on, now); err != nil {
			return fmt.Errorf("org: deactivate: %w", err)
		}
		if err := endAccess(ctx, tx, id, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET active = FALSE, updated_at = $2 WHERE employee_id = $1`, id, now); err != nil {
			return fmt.Errorf("org: deactivate account: %w", err)
		}
		if err := s.changedPerson(ctx, tx, id); err != nil {
			return err
		}
		if after, err = findEmployee(ctx, tx, "e.id", id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "deactivate", Entity: "employee", EntityID: id,
			AgencyID: before.AgencyID, Before: before, After: after})
	})
	return after, err
}

// earliestDay is the first date a deactivation or a transfer may take
// effect: no one still in the records left service or moved before it, so
// an earlier date is a typing error (0001-01-01, 1024 for 2024).
var earliestDay = time.Date(1950, time.January, 1, 0, 0, 0, 0, time.UTC)

// latestToday is the date it is now in the east of Indonesia (WIT, UTC+9):
// a date typed in the city is its local date, which in the first hours of
// the day is still yesterday in UTC, and must not count as the future.
func latestToday(now time.Time) time.Time { return dateOf(now.UTC().Add(9 * time.Hour)) }

// dayOr returns the date of t, or of now when t is zero.
func dayOr(t, now time.Time) time.Time {
	if t.IsZero() {
		t = now
	}
	return dateOf(t)
}

// endAccess ends every session and revokes every token of the person's
// account. The auth package owns these tables; plain SQL here keeps org free
// of an import cycle.
func endAccess(ctx context.Context, q db.Querier, employeeID int64, now time.Time) error {
	const account = `(SELECT id FROM accounts WHERE employee_id = $1)`
	if _, err := q.ExecContext(ctx, `DELETE FROM sessions WHERE account_id IN `+account, employeeID); err != nil {
		return fmt.Errorf("org: end sessions: %w", err)
	}
	if _, err := q.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $2
		WHERE revoked_at IS NULL AND account_id IN `+account, employeeID, now); err != nil {
		return fmt.Errorf("org: revoke tokens: %w", err)
	}
	return nil
}

// TransferInput moves a person to another agency. UnitName is a unit of the
// new agency (created if new; empty: none); an empty PositionName keeps the
// person's position. EffectiveOn zero means today.
type TransferInput struct {
	ToAgencyID   int64     `json:"to_agency_id"`
	UnitName     string    `json:"unit_name"`
	PositionName string    `json:"position_name"`
	EffectiveOn  time.Time `json:"effective_on"`
	Decree       string    `json:"decree"` // the decision letter (SK) number
}

// TransferEmployee moves a person to another agency (mutasi) and keeps the
// move in the history. The roles they held in the old agency end with their
// sessions and tokens; city-wide roles stay, and they are an employee of the
// new agency. Their supervisor is cleared: it was someone in the old agency.
func (s *Service) TransferEmployee(ctx context.Context, actor *policy.Actor, id int64, in TransferInput) (Employee, error) {
	now := s.now()
	var after Employee
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := heldEmployee(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkPerson(ctx, tx, actor, policy.EmployeeTransfer, before); err != nil {
			return err
		}
		to := before
		to.AgencyID, to.UnitName, to.SupervisorID = in.ToAgencyID, clean(in.UnitName), nil
		if p := clean(in.PositionName); p != "" {
			to.PositionName = p
		}
		if err := checkTransfer(ctx, tx, before, &to, in, now); err != nil {
			return err
		}
		if err := resolveNames(ctx, tx, &to); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO employee_transfers (employee_id, from_agency_id, to_agency_id,
			from_unit_id, to_unit_id, from_position_id, to_position_id, effective_on, decree, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, id, before.AgencyID, to.AgencyID, before.UnitID,
			to.UnitID, before.PositionID, to.PositionID, dayOr(in.EffectiveOn, now), clean(in.Decree), now); err != nil {
			return fmt.Errorf("org: record transfer: %w", err)
		}
		if err := updateEmployee(ctx, tx, &to, now); err != nil {
			return fmt.Errorf("org: transfer: %w", err)
		}
		if err := moveAccess(ctx, tx, id, before.AgencyID, to.AgencyID, now); err != nil {
			return err
		}
		if err := s.changedPerson(ctx, tx, id); err != nil {
			return err
		}
		if after, err = findEmployee(ctx, tx, "e.id", id); err != nil {
			return err
		}
		// Both agencies keep the move in their audit trail: the receiving
		// agency's admins see who joined them and from where.
		for _, agency := range []int64{before.AgencyID, after.AgencyID} {
			if err := audit.Write(ctx, tx, actor, audit.Entry{Action: "transfer", Entity: "employee", EntityID: id,
				AgencyID: agency, Before: before, After: after}); err != nil {
				return err
			}
		}
		return nil
	})
	return after, err
}

func checkTransfer(ctx context.Context, q db.Querier, from Employee, to *Employee, in TransferInput, now time.Time) error {
	if !from.Active {
		return errs.New(errs.Conflict, "employee.inactive")
	}
	var v errs.Validation
	checkText(&v, "unit_name", to.UnitName, maxName, false)
	checkText(&v, "position_name", to.PositionName, maxName, false)
	checkText(&v, "decree", clean(in.Decree), maxName, false)
	switch {
	case to.AgencyID <= 0:
		v.Add("to_agency_id", "required")
	case to.AgencyID == from.AgencyID:
		v.Add("to_agency_id", "transfer.same_agency")
	default:
		ok, err := exists(ctx, q, "agencies", to.AgencyID)
		if err != nil {
			return fmt.Errorf("org: check agency: %w", err)
		}
		if !ok {
			v.Add("to_agency_id", "agency.unknown")
		}
	}
	// A transfer is applied when it is recorded, so one dated in the future
	// would take effect early: it is recorded on or after its date.
	switch on := dayOr(in.EffectiveOn, now); {
	case on.After(latestToday(now)):
		v.Add("effective_on", "date.future")
	case on.Before(earliestDay):
		v.Add("effective_on", "date.range")
	}
	return v.Err()
}

// moveAccess ends the person's sessions and tokens and their roles in the
// old agency, and makes them an employee of the new one.
func moveAccess(ctx context.Context, q db.Querier, employeeID, from, to int64, now time.Time) error {
	if err := endAccess(ctx, q, employeeID, now); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM role_grants WHERE agency_id = $2
		AND account_id IN (SELECT id FROM accounts WHERE employee_id = $1)`, employeeID, from); err != nil {
		return fmt.Errorf("org: end old roles: %w", err)
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO role_grants (account_id, role, agency_id, created_at)
		SELECT id, 'employee', $2, $3 FROM accounts WHERE employee_id = $1
		ON CONFLICT DO NOTHING`, employeeID, to, now); err != nil {
		return fmt.Errorf("org: grant new agency: %w", err)
	}
	return nil
}

// ListTransfers returns a person's transfers, oldest first. The history of
// where someone worked is personal, so it is shown to those who may see the
// person's private fields.
func (s *Service) ListTransfers(ctx context.Context, actor *policy.Actor, employeeID int64) ([]Transfer, error) {
	e, err := findEmployee(ctx, s.db.R, "e.id", employeeID)
	if err != nil {
		return nil, err
	}
	if err := policy.Check(actor, policy.EmployeeViewPrivate, policy.Target{AgencyID: e.AgencyID, EmployeeID: e.ID}); err != nil {
		return nil, err
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT t.id, t.employee_id, t.from_agency_id, fa.name, t.to_agency_id,
		ta.name, COALESCE(fu.name, ''), COALESCE(tu.name, ''), COALESCE(fp.name, ''), COALESCE(tp.name, ''),
		t.effective_on, t.decree, t.created_at
		FROM employee_transfers t
		JOIN agencies fa ON fa.id = t.from_agency_id
		JOIN agencies ta ON ta.id = t.to_agency_id
		LEFT JOIN units fu ON fu.id = t.from_unit_id
		LEFT JOIN units tu ON tu.id = t.to_unit_id
		LEFT JOIN positions fp ON fp.id = t.from_position_id
		LEFT JOIN positions tp ON tp.id = t.to_position_id
		WHERE t.employee_id = $1 ORDER BY t.effective_on, t.id`, employeeID)
	if err != nil {
		return nil, fmt.Errorf("org: list transfers: %w", err)
	}
	defer rows.Close()
	list := []Transfer{}
	for rows.Next() {
		var t Transfer
		if err := rows.Scan(&t.ID, &t.EmployeeID, &t.FromAgencyID, &t.FromAgencyName, &t.ToAgencyID, &t.ToAgencyName,
			&t.FromUnitName, &t.ToUnitName, &t.FromPositionName, &t.ToPositionName, &t.EffectiveOn, &t.Decree,
			&t.CreatedAt); err != nil {
			return nil, fmt.Errorf("org: list transfers: %w", err)
		}
		t.EffectiveOn, t.CreatedAt = dateOf(t.EffectiveOn), t.CreatedAt.UTC()
		list = append(list, t)
	}
	return list, rows.Err()
}
