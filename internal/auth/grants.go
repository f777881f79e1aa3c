package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// checkGrant validates a grant's shape: agency-scoped roles name their
// agency, city-wide roles none, and only operators an application.
func checkGrant(g policy.Grant) error {
	var v errs.Validation
	switch {
	case !g.Role.Valid():
		v.Add("role", "one_of", roleList())
	case g.Role.CityWide() && g.AgencyID != 0:
		v.Add("agency_id", "auth.agency_city_wide")
	case !g.Role.CityWide() && g.AgencyID <= 0:
		v.Add("agency_id", "required")
	}
	if g.AppID != 0 && g.Role != policy.Operator {
		v.Add("app_id", "auth.app_operator_only")
	}
	return v.Err()
}

// GrantRole gives the account a role. Granting a role already held is not
// an error and changes nothing. Besides the right to grant the role, the
// actor needs the right to manage the account (AccountManage, with the roles
// it already holds), and the grant's agency and application must exist.
func (s *Service) GrantRole(ctx context.Context, actor *policy.Actor, accountID int64, g policy.Grant) error {
	if err := checkGrant(g); err != nil {
		return err
	}
	if err := policy.Check(actor, policy.RoleGrant, policy.Target{AgencyID: g.AgencyID, Role: g.Role}); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		p, err := managedPerson(ctx, tx, actor, accountID)
		if err != nil {
			return err
		}
		if !p.active {
			// Roles of someone who left would come back with the account
			// (review 2, finding 2): a clear refusal, not "not found".
			return errs.New(errs.Conflict, "auth.account_inactive")
		}
		if err := checkGrantRefs(ctx, tx, g); err != nil {
			return err
		}
		if err := checkRunsApp(ctx, tx, g, "agency_id"); err != nil {
			return err
		}
		if err := checkHolder(actor, p, g, "agency_id"); err != nil {
			return err
		}
		_, err = s.grantTx(ctx, tx, actor, accountID, g)
		return err
	})
}

// RevokeRole takes a role away from the account; NotFound if it does not
// hold it. Like GrantRole it needs the right to manage the account.
func (s *Service) RevokeRole(ctx context.Context, actor *policy.Actor, accountID int64, g policy.Grant) error {
	if err := checkGrant(g); err != nil {
		return err
	}
	if err := policy.Check(actor, policy.RoleGrant, policy.Target{AgencyID: g.AgencyID, Role: g.Role}); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := managedPerson(ctx, tx, actor, accountID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM role_grants WHERE account_id = $1 AND role = $2
			AND COALESCE(agency_id, 0) = $3 AND COALESCE(app_id, 0) = $4`, accountID, string(g.Role), g.AgencyID, g.AppID)
		if err != nil {
			return fmt.Errorf("auth: revoke role: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errs.New(errs.NotFound, "auth.role_not_held")
		}
		if err := s.forgetAccount(ctx, tx, accountID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "revoke", Entity: "account", EntityID: accountID,
			AgencyID: g.AgencyID, Before: g})
	})
}

// accountPerson returns the person whose account is accountID (active:
// both are), or NotFound.
func accountPerson(ctx context.Context, q db.Querier, accountID int64) (person, error) {
	p := person{accountID: accountID}
	err := q.QueryRowContext(ctx, `SELECT e.id, e.agency_id, a.active AND e.active FROM accounts a
		JOIN employees e ON e.id = a.employee_id WHERE a.id = $1`, accountID).Scan(&p.employeeID, &p.agencyID, &p.active)
	if errors.Is(err, sql.ErrNoRows) {
		return p, errs.New(errs.NotFound, "auth.account_not_found")
	}
	if err != nil {
		return p, fmt.Errorf("auth: find account: %w", err)
	}
	return p, nil
}

// accountGrants returns the roles the account holds.
func accountGrants(ctx context.Context, q db.Querier, accountID int64) ([]policy.Grant, error) {
	list := []Account{{ID: accountID}}
	if err := addGrants(ctx, q, list); err != nil {
		return nil, err
	}
	return list[0].Grants, nil
}

// managedPerson returns the person of the account if actor may manage
// it (checkManage): NotFound without such an account, else Forbidden.
func managedPerson(ctx context.Context, q db.Querier, actor *policy.Actor, accountID int64) (person, error) {
	p, err := accountPerson(ctx, q, accountID)
	if err != nil {
		return p, err
	}
	return p, checkManage(ctx, q, actor, p)
}

// checkManage asks the policy whether actor may manage p's account, with
// the roles the account holds: an agency admin manages only people whose
// roles are everyday roles of the admin's agencies (review finding C1). q
// should be the transaction that then acts, so the roles checked are the
// roles changed.
func checkManage(ctx context.Context, q db.Querier, actor *policy.Actor, p person) error {
	t := policy.Target{AgencyID: p.agencyID, EmployeeID: p.employeeID}
	if p.accountID != 0 {
		var err error
		if t.Grants, err = accountGrants(ctx, q, p.accountID); err != nil {
			return err
		}
	}
	return policy.Check(actor, policy.AccountManage, t)
}

// checkHolder checks that p may hold g: an operator of an application
// works in the agency where they operate it (as apps.AddOperator
// requires), and an agency admin grants roles of an agency only to people
// who work there (review finding C2). field names the grant's agency in
// the caller's input.
func checkHolder(actor *policy.Actor, p person, g policy.Grant, field string) error {
	if g.AgencyID == 0 || g.AgencyID == p.agencyID {
		return nil
	}
	if g.AppID != 0 || !actor.IsSuper() {
		return errs.FieldErr(field, "app.operator_agency")
	}
	return nil
}

// checkGrantRefs checks that the agency and the application a grant names
// exist, so that a wrong number is the caller's error, not the database's.
func checkGrantRefs(ctx context.Context, q db.Querier, g policy.Grant) error {
	var v errs.Validation
	for _, ref := range []struct {
		field, table, key string
		id                int64
	}{{"agency_id", "agencies", "agency.unknown", g.AgencyID}, {"app_id", "apps", "auth.app_id_unknown", g.AppID}} {
		if ref.id == 0 {
			continue
		}
		var n int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM `+ref.table+` WHERE id = $1`, ref.id).Scan(&n); err != nil {
			return fmt.Errorf("auth: check %s: %w", ref.field, err)
		}
		if n == 0 {
			v.Add(ref.field, ref.key, ref.id)
		}
	}
	return v.Err()
}

// checkRunsApp checks that an operator grant's agency owns or uses its
// application, as apps.AddOperator requires (review 2, finding 3): an
// agency admin cannot make their staff operators of any application. The
// tables are read with SQL here because auth cannot import apps. field
// names the failing input.
func checkRunsApp(ctx context.Context, q db.Querier, g policy.Grant, field string) error {
	if g.AppID == 0 {
		return nil
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM apps a WHERE a.id = $1 AND (a.owner_agency_id = $2
		OR EXISTS (SELECT 1 FROM app_agencies u WHERE u.app_id = a.id AND u.agency_id = $2))`,
		g.AppID, g.AgencyID).Scan(&n); err != nil {
		return fmt.Errorf("auth: check app agency: %w", err)
	}
	if n == 0 {
		return errs.FieldErr(field, "app.agency_not_user")
	}
	return nil
}

// grantTx adds g to the account unless it already holds it, and reports
// whether it added it.
func (s *Service) grantTx(ctx context.Context, tx *sql.Tx, actor *policy.Actor, accountID int64, g policy.Grant) (bool, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM role_grants WHERE account_id = $1 AND role = $2
		AND COALESCE(agency_id, 0) = $3 AND COALESCE(app_id, 0) = $4`,
		accountID, string(g.Role), g.AgencyID, g.AppID).Scan(&n); err != nil {
		return false, fmt.Errorf("auth: check grant: %w", err)
	}
	if n > 0 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO role_grants (account_id, role, agency_id, app_id, created_at)
		VALUES ($1, $2, $3, $4, $5)`, accountID, string(g.Role), db.NullID(g.AgencyID), db.NullID(g.AppID), s.now()); err != nil {
		if s.db.Dialect.ForeignKeyViolation(err) {
			// The agency or application was checked, then deleted.
			return false, errs.New(errs.Invalid, "auth.grant_ref")
		}
		return false, fmt.Errorf("auth: grant role: %w", err)
	}
	if err := s.forgetAccount(ctx, tx, accountID); err != nil {
		return false, err
	}
	return true, audit.Write(ctx, tx, actor, audit.Entry{Action: "grant", Entity: "account", EntityID: accountID,
		AgencyID: g.AgencyID, After: g})
}
