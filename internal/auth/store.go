package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
)

// errNoActor means no active account matched.
var errNoActor = errors.New("auth: no active account")

// queryActor loads an active account with its person and grants in one
// query. from names the table the account is reached through (aliased so
// that "a" is accounts), where narrows it with args; the extra columns are
// scanned into dest before the actor's own. A person or an account that is
// no longer active matches nothing, so they cannot act.
func queryActor(ctx context.Context, q db.Querier, extra, from, where string, args []any, dest ...any) (*policy.Actor, error) {
	list, err := queryActors(ctx, q, extra, from, where, args, dest...)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, errNoActor
	}
	return list[0], nil
}

// queryActors is queryActor for every active account where matches, in
// the order of their ids; dest takes extra's columns of the last row.
func queryActors(ctx context.Context, q db.Querier, extra, from, where string, args []any, dest ...any) ([]*policy.Actor, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+extra+`a.id, a.employee_id, e.agency_id, e.name,
		COALESCE(e.email, ''), a.locale, g.role, g.agency_id, g.app_id
		FROM `+from+`
		JOIN employees e ON e.id = a.employee_id
		LEFT JOIN role_grants g ON g.account_id = a.id
		WHERE a.active = TRUE AND e.active = TRUE AND `+where+`
		ORDER BY a.id, g.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("auth: load actor: %w", err)
	}
	defer rows.Close()
	var list []*policy.Actor
	for rows.Next() {
		var a policy.Actor
		var role sql.NullString
		var agency, app sql.NullInt64
		cols := append(dest[:len(dest):len(dest)],
			&a.AccountID, &a.EmployeeID, &a.AgencyID, &a.Name, &a.Email, &a.Locale, &role, &agency, &app)
		if err := rows.Scan(cols...); err != nil {
			return nil, fmt.Errorf("auth: load actor: %w", err)
		}
		if len(list) == 0 || list[len(list)-1].AccountID != a.AccountID {
			list = append(list, &a)
		}
		if act := list[len(list)-1]; role.Valid {
			act.Grants = append(act.Grants, policy.Grant{Role: policy.Role(role.String), AgencyID: agency.Int64, AppID: app.Int64})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("auth: load actor: %w", err)
	}
	return list, nil
}

// credentials is what sign-in needs to know about an email.
type credentials struct {
	accountID int64
	agencyID  int64
	hash      string
	locked    bool
}

// findCredentials returns the password hash of the active account whose
// person has email, and whether it is locked, or sql.ErrNoRows.
func findCredentials(ctx context.Context, q db.Querier, email string) (credentials, error) {
	var c credentials
	err := q.QueryRowContext(ctx, `SELECT a.id, e.agency_id, a.password_hash, a.locked_at IS NOT NULL FROM accounts a
		JOIN employees e ON e.id = a.employee_id
		WHERE e.email = $1 AND a.active = TRUE AND e.active = TRUE`, email).Scan(&c.accountID, &c.agencyID, &c.hash, &c.locked)
	return c, err
}

// NormalizeEmail is how emails are compared: trimmed and lower-cased.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// randomToken returns n random bytes as unpadded base64url.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashSecret is how session ids and API tokens are stored: the database
// holds only their SHA-256, so a copy of it cannot be used to sign in. A
// fast hash is enough because the secrets are 256 random bits.
func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
