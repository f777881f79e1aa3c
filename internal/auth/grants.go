package auth

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/lontara-id/lontara/internal/audit"
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
// an error and changes nothing.
func (s *Service) GrantRole(ctx context.Context, actor *policy.Actor, accountID int64, g policy.Grant) error {
	if err := checkGrant(g); err != nil {
		return err
	}
	if err := policy.Check(actor, policy.RoleGrant, policy.Target{AgencyID: g.AgencyID, Role: g.Role}); err != nil {
		return err
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := activeAccountAgency(ctx, tx, accountID); err != nil {
			return err
		}
		_, err := s.grantTx(ctx, tx, actor, accountID, g)
		return err
	})
	if err == nil {
		s.forgetAccount(accountID)
	}
	return err
}

// RevokeRole takes a role away from the account; NotFound if it does not
// hold it.
func (s *Service) RevokeRole(ctx context.Context, actor *policy.Actor, accountID int64, g policy.Grant) error {
	if err := checkGrant(g); err != nil {
		return err
	}
	if err := policy.Check(actor, policy.RoleGrant, policy.Target{AgencyID: g.AgencyID, Role: g.Role}); err != nil {
		return err
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM role_grants WHERE account_id = $1 AND role = $2
			AND COALESCE(agency_id, 0) = $3 AND COALESCE(app_id, 0) = $4`, accountID, string(g.Role), g.AgencyID, g.AppID)
		if err != nil {
			return fmt.Errorf("auth: revoke role: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errs.New(errs.NotFound, "auth.role_not_held")
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "revoke", Entity: "account", EntityID: accountID,
			AgencyID: g.AgencyID, Before: g})
	})
	if err == nil {
		s.forgetAccount(accountID)
	}
	return err
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
		VALUES ($1, $2, $3, $4, $5)`, accountID, string(g.Role), nullID(g.AgencyID), nullID(g.AppID), s.now()); err != nil {
		return false, fmt.Errorf("auth: grant role: %w", err)
	}
	return true, audit.Write(ctx, tx, actor, audit.Entry{Action: "grant", Entity: "account", EntityID: accountID,
		AgencyID: g.AgencyID, After: g})
}

// forgetAccount drops the account's cached tokens so a change to its roles
// or credentials is seen at once by this process.
func (s *Service) forgetAccount(accountID int64) {
	s.tokens.forget(func(e *cachedToken) bool { return e.actor.AccountID == accountID })
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
