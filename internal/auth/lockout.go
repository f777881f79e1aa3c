package auth

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// LockAfter is how many wrong passwords in a row, from anywhere, lock an
// account (ASVS 2.2.1). The address throttle (SignInLimit per address in
// ThrottleWindow) holds back one client long before this; the lock stops a
// guesser who spreads tries over many addresses, at the price that such a
// guesser can lock a person out until an admin of their agency unlocks
// them. A successful sign-in sets the count back to 0.
const LockAfter = 20

// errLocked answers the right password for a locked account. A wrong one
// gets errBadCredentials as for anyone, so the lock tells nothing to a
// guesser who does not know the password.
var errLocked = errs.New(errs.Forbidden, "auth.account_locked")

// lockActor is who locks an account in the audit log: the sign-in itself.
var lockActor = policy.SystemActor("signin")

// countFailure adds a wrong password to the account's count and locks the
// account when the count reaches LockAfter, with an audit entry, in one
// transaction. The count is incremented in place, never read and written
// back, so wrong passwords arriving at once on PostgreSQL all count, and only
// the one that locks writes the lock's audit entry. It goes through the
// group commit, as the address throttle's failures do, so a spray of wrong
// passwords shares commits instead of taking one each.
func (s *Service) countFailure(ctx context.Context, cred credentials, now time.Time) error {
	return s.db.Group(ctx, func(ctx context.Context, tx db.Querier) error {
		var n int
		if err := tx.QueryRowContext(ctx, `UPDATE accounts SET failed_sign_ins = failed_sign_ins + 1 WHERE id = $1
			RETURNING failed_sign_ins`, cred.accountID).Scan(&n); err != nil {
			return fmt.Errorf("auth: count failure: %w", err)
		}
		if n < LockAfter {
			return nil
		}
		res, err := tx.ExecContext(ctx, `UPDATE accounts SET locked_at = $2 WHERE id = $1 AND locked_at IS NULL`, cred.accountID, now)
		if err != nil {
			return fmt.Errorf("auth: lock: %w", err)
		}
		if locked, err := res.RowsAffected(); err != nil || locked == 0 {
			return err // already locked: the entry was written when it was
		}
		return audit.Write(ctx, tx, lockActor, audit.Entry{Action: "lock", Entity: "account", EntityID: cred.accountID,
			AgencyID: cred.agencyID, After: map[string]int{"failed_sign_ins": n}})
	})
}

// UnlockAccount unlocks a locked account and clears its count of wrong
// passwords. The actor needs AccountManage on the person, as for a password
// reset (an admin of their agency, or the superadmin). An account that is
// not locked is a Conflict.
func (s *Service) UnlockAccount(ctx context.Context, actor *policy.Actor, accountID int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		p, err := managedPerson(ctx, tx, actor, accountID)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE accounts SET failed_sign_ins = 0, locked_at = NULL, updated_at = $2
			WHERE id = $1 AND locked_at IS NOT NULL`, accountID, s.now())
		if err != nil {
			return fmt.Errorf("auth: unlock: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err != nil {
				return fmt.Errorf("auth: unlock: %w", err)
			}
			return errs.New(errs.Conflict, "auth.account_not_locked")
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "unlock", Entity: "account", EntityID: accountID, AgencyID: p.agencyID})
	})
}
