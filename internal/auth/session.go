package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// SessionMaxAge is the longest a session lasts however active it is.
const SessionMaxAge = 30 * 24 * time.Hour

// sessionTouchEvery is how stale last_seen_at may get before a request
// refreshes it: sliding expiry without a write on every request.
const sessionTouchEvery = time.Minute

// errBadCredentials is the one answer to a wrong email or a wrong password.
var errBadCredentials = errs.New(errs.Unauthorized, "auth.bad_credentials")

// errNoSession is the answer to a missing, unknown or expired session.
var errNoSession = errs.New(errs.Unauthorized, "auth.session_expired")

// SignIn checks email and password and starts a session. It returns the
// session token (the cookie value), the session's CSRF token and the actor.
// A wrong email and a wrong password give the same error and take the same
// time. After cfg.SignInLimit failures within ThrottleWindow for one email
// from one client address, or addressLimitFactor times as many from one
// address for any emails, further tries from there get a TooMany error whose
// first argument is the seconds to wait (for Retry-After). The same email
// from elsewhere is not held back by the throttle; LockAfter wrong passwords
// in a row from anywhere lock the account (see LockAfter), and then the
// right password gets a Forbidden error, a wrong one the usual answer.
func (s *Service) SignIn(ctx context.Context, email, password, ip, userAgent string) (token, csrf string, actor *policy.Actor, err error) {
	email = NormalizeEmail(email)
	now := s.now()
	// Counted as failed unless the password is right or the check ends in
	// an error (see Limiter): then forgiven returns its answer.
	keys := s.signInKeys(email, ip)
	taken, err := takeKeys(ctx, now, keys)
	if err != nil {
		return "", "", nil, err
	}
	forgiven := func(err error) (string, string, *policy.Actor, error) {
		return "", "", nil, errors.Join(err, forgiveKeys(ctx, keys, taken))
	}
	cred, err := findCredentials(ctx, s.db.R, email)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return forgiven(fmt.Errorf("auth: sign in: %w", err))
	}
	ok, err := s.hasher.Verify(ctx, cred.hash, password) // "" for an unknown email: a dummy hash is checked
	if err != nil {
		return forgiven(err)
	}
	if !ok || cred.accountID == 0 {
		if err := failKeys(ctx, keys, taken); err != nil {
			return "", "", nil, err
		}
		if cred.accountID != 0 {
			if err := s.countFailure(ctx, cred, now); err != nil {
				return "", "", nil, err
			}
		}
		return "", "", nil, errBadCredentials
	}
	if cred.locked {
		return forgiven(errLocked) // the right password: no failure
	}
	// The pair's failures are forgotten, but the address's only this
	// attempt: forgetting them would let a sprayer who holds one account
	// clear them with each success. Written even if the client has gone.
	if err := keys[0].l.Reset(context.WithoutCancel(ctx), keys[0].key); err != nil {
		return "", "", nil, err
	}
	if err := forgiveKeys(ctx, keys[1:], taken[1:]); err != nil {
		return "", "", nil, err
	}
	rehash := ""
	if s.hasher.NeedsRehash(cred.hash) {
		if rehash, err = s.hasher.Hash(ctx, password); err != nil {
			return "", "", nil, err
		}
	}
	token, csrf = randomToken(32), randomToken(32)
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		return s.startSession(ctx, tx, cred.accountID, email, token, csrf, ip, userAgent, rehash, now)
	})
	if err != nil {
		return "", "", nil, err
	}
	actor, err = s.LoadActor(ctx, cred.accountID)
	return token, csrf, actor, err
}

func (s *Service) startSession(ctx context.Context, tx *sql.Tx, accountID int64, email, token, csrf, ip, ua, rehash string, now time.Time) error {
	// Expired sessions are swept here, on a path that writes anyway.
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < $1`, now); err != nil {
		return fmt.Errorf("auth: sweep sessions: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sessions
		(id_hash, account_id, csrf_token, ip, user_agent, created_at, last_seen_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6, $7)`,
		hashSecret(token), accountID, csrf, ip, truncate(ua, 512), now, s.sessionExpiry(now, now)); err != nil {
		return fmt.Errorf("auth: start session: %w", err)
	}
	q, args := `UPDATE accounts SET last_sign_in_at = $1, failed_sign_ins = 0 WHERE id = $2`, []any{now, accountID}
	if rehash != "" {
		q, args = `UPDATE accounts SET last_sign_in_at = $1, failed_sign_ins = 0, password_hash = $3 WHERE id = $2`, append(args, rehash)
	}
	// The lock is checked again here, in the writing transaction: the one
	// read before the password check may be older than a lock made while
	// the password was being checked.
	res, err := tx.ExecContext(ctx, q+` AND locked_at IS NULL`, args...)
	if err != nil {
		return fmt.Errorf("auth: record sign-in: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("auth: record sign-in: %w", err)
	} else if n == 0 {
		return errLocked
	}
	return audit.Write(ctx, tx, &policy.Actor{AccountID: accountID, Email: email}, audit.Entry{
		Action: "sign_in", Entity: "account", EntityID: accountID, After: map[string]string{"ip": ip}})
}

// sessionExpiry is when a session created at created and seen at seen ends:
// SessionTTL after the last activity, but never beyond SessionMaxAge.
func (s *Service) sessionExpiry(created, seen time.Time) time.Time {
	exp := seen.Add(s.cfg.SessionTTL)
	if limit := created.Add(SessionMaxAge); exp.After(limit) {
		return limit
	}
	return exp
}

// SessionActor returns the actor signed in with the session token and the
// session's CSRF token. An unknown or expired session, or one whose account
// or person is no longer active, is an Unauthorized error. Activity extends
// the session, recorded at most once a minute.
func (s *Service) SessionActor(ctx context.Context, token string) (*policy.Actor, string, error) {
	if token == "" {
		return nil, "", errNoSession
	}
	now := s.now()
	id := hashSecret(token)
	var csrf string
	var created, seen time.Time
	act, err := queryActor(ctx, s.db.Cached(), "s.csrf_token, s.created_at, s.last_seen_at, ",
		"sessions s JOIN accounts a ON a.id = s.account_id", "s.id_hash = $1 AND s.expires_at > $2",
		[]any{id, now}, &csrf, &created, &seen)
	if errors.Is(err, errNoActor) {
		return nil, "", errNoSession
	}
	if err != nil {
		return nil, "", err
	}
	if now.Sub(seen) >= sessionTouchEvery {
		if _, err := s.db.W.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3`,
			now, s.sessionExpiry(created.UTC(), now), id); err != nil {
			return nil, "", fmt.Errorf("auth: touch session: %w", err)
		}
	}
	return act, csrf, nil
}

// SignOut ends the session with token. Ending an unknown session is not an error.
func (s *Service) SignOut(ctx context.Context, token string) error {
	if _, err := s.db.W.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, hashSecret(token)); err != nil {
		return fmt.Errorf("auth: sign out: %w", err)
	}
	return nil
}

// EndSessions ends every session of the account, as when its person is
// deactivated or moved.
func (s *Service) EndSessions(ctx context.Context, accountID int64) error {
	if _, err := s.db.W.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = $1`, accountID); err != nil {
		return fmt.Errorf("auth: end sessions: %w", err)
	}
	return nil
}

// truncate cuts s to at most n bytes of valid UTF-8: a header such as the
// User-Agent may hold any bytes (Latin-1 from an old client), and
// PostgreSQL refuses invalid UTF-8 where SQLite would keep it.
func truncate(s string, n int) string {
	return strings.ToValidUTF8(s[:min(len(s), n)], "")
}
