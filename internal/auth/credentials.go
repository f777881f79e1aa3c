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

// ResetResult says what a password reset ended.
type ResetResult struct {
	AccountID     int64
	SessionsEnded int64
	TokensRevoked int64
}

// AccountIDByEmail returns the account of the person with email, or
// NotFound. It is for the command line, which names accounts by email.
func (s *Service) AccountIDByEmail(ctx context.Context, email string) (int64, error) {
	p, err := findPerson(ctx, s.db.R, NormalizeEmail(email))
	if errors.Is(err, sql.ErrNoRows) || err == nil && p.accountID == 0 {
		return 0, errs.New(errs.NotFound, "auth.account_not_found")
	}
	return p.accountID, err
}

// ResetPassword sets a new password for the account of email, as an
// administrator does for someone who lost theirs. A reset usually follows a
// lost or stolen password, so it also ends every session and revokes every
// API token of the account. The actor needs AccountManage on the person
// with the roles their account holds (an agency admin cannot reset the
// superadmin's password, review finding C1): checked once before the slow
// hashing, and again in the transaction that writes.
func (s *Service) ResetPassword(ctx context.Context, actor *policy.Actor, email, newPassword string) (ResetResult, error) {
	email = NormalizeEmail(email)
	if _, err := s.managedAccount(ctx, s.db.R, actor, email); err != nil {
		return ResetResult{}, err
	}
	if err := ValidatePassword(newPassword, email); err != nil {
		return ResetResult{}, err
	}
	hash, err := s.hasher.Hash(ctx, newPassword)
	if err != nil {
		return ResetResult{}, err
	}
	var res ResetResult
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		p, err := s.managedAccount(ctx, tx, actor, email)
		if err != nil {
			return err
		}
		res.AccountID = p.accountID
		if err := s.setPassword(ctx, tx, p.accountID, hash); err != nil {
			return err
		}
		if res.SessionsEnded, err = endSessionsTx(ctx, tx, p.accountID, ""); err != nil {
			return err
		}
		if res.TokensRevoked, err = revokeTokensTx(ctx, tx, p.accountID, s.now()); err != nil {
			return err
		}
		if err := s.forgetAccount(ctx, tx, p.accountID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "reset_password", Entity: "account", EntityID: p.accountID,
			AgencyID: p.agencyID, After: map[string]int64{"sessions_ended": res.SessionsEnded, "revoked": res.TokensRevoked}})
	})
	return res, err
}

// managedAccount returns the person with email and their account if actor
// may manage it: NotFound without an account, Forbidden if not allowed,
// Conflict when the person or the account is inactive (a new password for
// someone who left is a way back in; review 2, finding 2).
func (s *Service) managedAccount(ctx context.Context, q db.Querier, actor *policy.Actor, email string) (person, error) {
	p, err := findPerson(ctx, q, email)
	if errors.Is(err, sql.ErrNoRows) || err == nil && p.accountID == 0 {
		return p, errs.New(errs.NotFound, "auth.account_not_found")
	}
	if err != nil {
		return p, err
	}
	if err := checkManage(ctx, q, actor, p); err != nil {
		return p, err
	}
	acc, err := accountPerson(ctx, q, p.accountID)
	if err != nil {
		return p, err
	}
	if !acc.active {
		return p, errs.New(errs.Conflict, "auth.account_inactive")
	}
	return p, nil
}

// ChangePassword changes the actor's own password after checking the
// current one, ends the actor's other sessions (keepSession, the session
// token the change is made from, stays signed in) and revokes the actor's
// API tokens: whoever knew the old password could have made one, and it
// would outlive the change (review finding M3). Wrong current passwords
// count towards sign-in throttling.
func (s *Service) ChangePassword(ctx context.Context, actor *policy.Actor, keepSession, current, newPassword string) error {
	if actor == nil || actor.AccountID == 0 {
		return errs.New(errs.Unauthorized, "unauthorized")
	}
	// Counted as failed unless the current password is right or the check
	// ends in an error (see Limiter).
	keys := []throttleKey{{s.limiter, "email:" + NormalizeEmail(actor.Email)}}
	taken, err := takeKeys(ctx, s.now(), keys)
	if err != nil {
		return err
	}
	var old string
	ok := false
	err = s.db.R.QueryRowContext(ctx, `SELECT password_hash FROM accounts WHERE id = $1`, actor.AccountID).Scan(&old)
	if err == nil {
		ok, err = s.hasher.Verify(ctx, old, current)
	} else {
		err = fmt.Errorf("auth: change password: %w", err)
	}
	if err != nil || ok { // no wrong password: the attempt counts for nothing
		if ferr := forgiveKeys(ctx, keys, taken); ferr != nil {
			return errors.Join(err, ferr)
		}
	}
	if err != nil {
		return err
	}
	if !ok {
		if err := failKeys(ctx, keys, taken); err != nil {
			return err
		}
		return errs.FieldErr("current_password", "auth.password_wrong")
	}
	if err := ValidatePassword(newPassword, actor.Email); err != nil {
		return err
	}
	hash, err := s.hasher.Hash(ctx, newPassword)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.setPassword(ctx, tx, actor.AccountID, hash); err != nil {
			return err
		}
		ended, err := endSessionsTx(ctx, tx, actor.AccountID, hashSecret(keepSession))
		if err != nil {
			return err
		}
		revoked, err := revokeTokensTx(ctx, tx, actor.AccountID, s.now())
		if err != nil {
			return err
		}
		if err := s.forgetAccount(ctx, tx, actor.AccountID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "change_password", Entity: "account",
			EntityID: actor.AccountID, AgencyID: actor.AgencyID,
			After: map[string]int64{"sessions_ended": ended, "revoked": revoked}})
	})
}

// setPassword stores a new password hash. It also unlocks the account (see
// LockAfter): whoever sets a password knows it, and an admin's reset is the
// other way out of a lock.
func (s *Service) setPassword(ctx context.Context, tx *sql.Tx, accountID int64, hash string) error {
	now := s.now()
	if _, err := tx.ExecContext(ctx, `UPDATE accounts SET password_hash = $1, password_changed_at = $2, updated_at = $2,
		failed_sign_ins = 0, locked_at = NULL WHERE id = $3`, hash, now, accountID); err != nil {
		return fmt.Errorf("auth: set password: %w", err)
	}
	return nil
}

// endSessionsTx ends the account's sessions except the one whose hash is
// keep ("" keeps none) and returns how many it ended.
func endSessionsTx(ctx context.Context, tx *sql.Tx, accountID int64, keep string) (int64, error) {
	res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = $1 AND id_hash <> $2`, accountID, keep)
	if err != nil {
		return 0, fmt.Errorf("auth: end sessions: %w", err)
	}
	return res.RowsAffected()
}
