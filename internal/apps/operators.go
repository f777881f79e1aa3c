package apps

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/auth"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// AgencyOperators are an application's operators in one agency.
type AgencyOperators struct {
	AgencyID   int64      `json:"agency_id"`
	AgencyName string     `json:"agency_name"`
	Operators  []Operator `json:"operators"`
}

// SetUsers replaces the agencies that use an application. It is part of the
// application's record, so it needs the right to write the application.
// Operators in agencies dropped from the list stop being operators in the
// same transaction (review 2, finding 3); the owner's stay.
func (s *Service) SetUsers(ctx context.Context, actor *policy.Actor, appID int64, agencyIDs []int64) error {
	ids := slices.Clone(agencyIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		a, err := heldApp(ctx, tx, appID)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.AppWrite, policy.Target{AgencyID: a.OwnerAgencyID}); err != nil {
			return err
		}
		before, err := usedBy(ctx, tx, appID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if _, ok, err := agencyName(ctx, tx, id); err != nil {
				return fmt.Errorf("apps: user agency: %w", err)
			} else if !ok {
				return errs.FieldErr("agency_ids", "agency.unknown")
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM app_agencies WHERE app_id = $1`, appID); err != nil {
			return fmt.Errorf("apps: set users: %w", err)
		}
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `INSERT INTO app_agencies (app_id, agency_id) VALUES ($1, $2)`,
				appID, id); err != nil {
				return fmt.Errorf("apps: set users: %w", err)
			}
		}
		if err := audit.Write(ctx, tx, actor, audit.Entry{Action: "set_users", Entity: "app", EntityID: appID,
			AgencyID: a.OwnerAgencyID, Before: map[string]any{"used_by": refIDs(before)},
			After: map[string]any{"used_by": ids}}); err != nil {
			return err
		}
		return pruneOperators(ctx, s.db, tx, actor, appID, a.OwnerAgencyID, ids)
	})
}

// pruneOperators ends the application's operator grants in agencies that
// are neither its owner nor among users, each with its audit entry: an
// operator works for an agency that runs the application.
func pruneOperators(ctx context.Context, d *db.DB, tx *sql.Tx, actor *policy.Actor, appID, owner int64, users []int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, account_id, agency_id FROM role_grants
		WHERE role = 'operator' AND app_id = $1 ORDER BY id`, appID)
	if err != nil {
		return fmt.Errorf("apps: operators to end: %w", err)
	}
	type grant struct{ id, account, agency int64 }
	var gone []grant
	for rows.Next() {
		var g grant
		if err := rows.Scan(&g.id, &g.account, &g.agency); err != nil {
			rows.Close()
			return fmt.Errorf("apps: operators to end: %w", err)
		}
		if g.agency != owner && !slices.Contains(users, g.agency) {
			gone = append(gone, g)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("apps: operators to end: %w", err)
	}
	for _, g := range gone {
		if _, err := tx.ExecContext(ctx, `DELETE FROM role_grants WHERE id = $1`, g.id); err != nil {
			return fmt.Errorf("apps: end operator: %w", err)
		}
		if err := auth.ForgetAccount(ctx, d, tx, g.account); err != nil {
			return err
		}
		if err := audit.Write(ctx, tx, actor, audit.Entry{Action: "revoke", Entity: "app_operator", EntityID: appID,
			AgencyID: g.agency, Before: map[string]any{"app_id": appID, "agency_id": g.agency, "account_id": g.account}}); err != nil {
			return err
		}
	}
	return nil
}

// checkRunsApp checks that the agency owns or uses the application: an
// agency admin names operators only of the applications their agency runs
// (review 2, finding 3).
func checkRunsApp(ctx context.Context, q db.Querier, a App, agencyID int64) error {
	if agencyID == a.OwnerAgencyID {
		return nil
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM app_agencies WHERE app_id = $1 AND agency_id = $2`,
		a.ID, agencyID).Scan(&n); err != nil {
		return fmt.Errorf("apps: app users: %w", err)
	}
	if n == 0 {
		return errs.FieldErr("agency_id", "app.agency_not_user")
	}
	return nil
}

func refIDs(refs []AgencyRef) []int64 {
	ids := make([]int64, len(refs))
	for i, r := range refs {
		ids[i] = r.ID
	}
	return ids
}

// AddOperator makes the account an operator of the application in the
// agency. The agency must own or use the application, and the account's
// person must work in that agency. Adding an operator who already is one
// changes nothing.
func (s *Service) AddOperator(ctx context.Context, actor *policy.Actor, appID, agencyID, accountID int64) error {
	if err := policy.Check(actor, policy.AppOperatorWrite, policy.Target{AgencyID: agencyID}); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		a, err := heldApp(ctx, tx, appID)
		if err != nil {
			return err
		}
		if err := checkOperator(ctx, tx, agencyID, accountID); err != nil {
			return err
		}
		if err := checkRunsApp(ctx, tx, a, agencyID); err != nil {
			return err
		}
		if err := checkOperatorAccount(ctx, tx, actor, agencyID, accountID); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM role_grants WHERE account_id = $1
			AND role = 'operator' AND agency_id = $2 AND app_id = $3`, accountID, agencyID, appID).Scan(&n); err != nil {
			return fmt.Errorf("apps: add operator: %w", err)
		}
		if n > 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO role_grants (account_id, role, agency_id, app_id, created_at)
			VALUES ($1, 'operator', $2, $3, $4)`, accountID, agencyID, appID, time.Now().UTC()); err != nil {
			return fmt.Errorf("apps: add operator: %w", err)
		}
		if err := auth.ForgetAccount(ctx, s.db, tx, accountID); err != nil { // its tokens act with the new role
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "grant", Entity: "app_operator", EntityID: appID,
			AgencyID: agencyID, After: map[string]any{"app_id": appID, "agency_id": agencyID, "account_id": accountID}})
	})
}

// checkOperator checks that the agency exists and that the account's person
// works there, both still active.
func checkOperator(ctx context.Context, q db.Querier, agencyID, accountID int64) error {
	if _, ok, err := agencyName(ctx, q, agencyID); err != nil {
		return fmt.Errorf("apps: operator agency: %w", err)
	} else if !ok {
		return errs.FieldErr("agency_id", "agency.unknown")
	}
	var personAgency int64
	var active bool
	err := q.QueryRowContext(ctx, `SELECT e.agency_id, a.active AND e.active FROM accounts a
		JOIN employees e ON e.id = a.employee_id WHERE a.id = $1`, accountID).Scan(&personAgency, &active)
	if errors.Is(err, sql.ErrNoRows) {
		return errs.FieldErr("account_id", "app.account_unknown")
	}
	if err != nil {
		return fmt.Errorf("apps: operator account: %w", err)
	}
	if !active {
		return errs.FieldErr("account_id", "app.account_inactive")
	}
	if personAgency != agencyID {
		return errs.FieldErr("account_id", "app.operator_agency")
	}
	return nil
}

// checkOperatorAccount asks the policy again with the person whose account
// is named and the roles it holds: naming or removing operators changes
// that account's roles, and an agency admin changes only the accounts of
// people with everyday roles in the admin's agencies, as elsewhere (review
// finding C1). An unknown account is left to the caller's own answer.
func checkOperatorAccount(ctx context.Context, q db.Querier, actor *policy.Actor, agencyID, accountID int64) error {
	t := policy.Target{AgencyID: agencyID}
	err := q.QueryRowContext(ctx, `SELECT employee_id FROM accounts WHERE id = $1`, accountID).Scan(&t.EmployeeID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("apps: operator account: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT role, COALESCE(agency_id, 0), COALESCE(app_id, 0) FROM role_grants
		WHERE account_id = $1 ORDER BY id`, accountID)
	if err != nil {
		return fmt.Errorf("apps: operator roles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var g policy.Grant
		if err := rows.Scan(&g.Role, &g.AgencyID, &g.AppID); err != nil {
			return fmt.Errorf("apps: operator roles: %w", err)
		}
		t.Grants = append(t.Grants, g)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("apps: operator roles: %w", err)
	}
	return policy.Check(actor, policy.AppOperatorWrite, t)
}

// RemoveOperator ends the account's operator role for the application in
// the agency.
func (s *Service) RemoveOperator(ctx context.Context, actor *policy.Actor, appID, agencyID, accountID int64) error {
	if err := policy.Check(actor, policy.AppOperatorWrite, policy.Target{AgencyID: agencyID}); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkOperatorAccount(ctx, tx, actor, agencyID, accountID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM role_grants WHERE account_id = $1 AND role = 'operator'
			AND agency_id = $2 AND app_id = $3`, accountID, agencyID, appID)
		if err != nil {
			return fmt.Errorf("apps: remove operator: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("apps: remove operator: %w", err)
		} else if n == 0 {
			return errs.New(errs.NotFound, "app.operator_not_found")
		}
		if err := auth.ForgetAccount(ctx, s.db, tx, accountID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "revoke", Entity: "app_operator", EntityID: appID,
			AgencyID: agencyID, Before: map[string]any{"app_id": appID, "agency_id": agencyID, "account_id": accountID}})
	})
}

// ListOperators returns an application's operators grouped by agency, the
// agencies in name order.
func (s *Service) ListOperators(ctx context.Context, appID int64) ([]AgencyOperators, error) {
	if _, err := findApp(ctx, s.db.R, "a.id", appID); err != nil {
		return nil, err
	}
	ops, err := operators(ctx, s.db.R, appID)
	if err != nil {
		return nil, err
	}
	groups := []AgencyOperators{}
	for _, o := range ops {
		if n := len(groups); n == 0 || groups[n-1].AgencyID != o.AgencyID {
			groups = append(groups, AgencyOperators{AgencyID: o.AgencyID, AgencyName: o.AgencyName})
		}
		g := &groups[len(groups)-1]
		g.Operators = append(g.Operators, o)
	}
	return groups, nil
}

// AppsOperatedBy returns the applications the account operates, by name:
// none while the account or its person is inactive.
func (s *Service) AppsOperatedBy(ctx context.Context, accountID int64) ([]App, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+appColumns+appFrom+` WHERE a.id IN
		(SELECT g.app_id FROM role_grants g JOIN accounts ac ON ac.id = g.account_id
		JOIN employees e ON e.id = ac.employee_id
		WHERE g.role = 'operator' AND g.account_id = $1 AND g.app_id IS NOT NULL AND ac.active AND e.active)
		ORDER BY a.name, a.id`, accountID)
	if err != nil {
		return nil, fmt.Errorf("apps: operated by: %w", err)
	}
	defer rows.Close()
	list := []App{}
	for rows.Next() {
		a, err := scanApp(rows)
		if err != nil {
			return nil, fmt.Errorf("apps: operated by: %w", err)
		}
		list = append(list, a)
	}
	return list, rows.Err()
}
