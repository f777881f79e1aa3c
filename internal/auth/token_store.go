package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// tokenCacheTTL is how long a looked-up token is trusted without asking the
// database again. Every change that ends or alters a token's actor drops it
// on every node at once (TopicTokens); the TTL bounds what no event can
// reach: the CLI's changes beside a server on SQLite, and a node whose
// listener is reconnecting.
const tokenCacheTTL = 5 * time.Second

// tokenTouchEvery is how stale a token's last_used_at may get.
const tokenTouchEvery = time.Minute

// tokenCacheMax bounds the cache; past it, expired entries are dropped and,
// if that is not enough, everything is.
const tokenCacheMax = 10_000

// cachedToken is a token recently found valid.
type cachedToken struct {
	id       int64
	actor    *policy.Actor
	lastUsed time.Time // last written to last_used_at
	until    time.Time // trust the entry until then
}

// actorCopy returns a copy callers may change without touching the cache.
func (e *cachedToken) actorCopy() *policy.Actor {
	a := *e.actor
	a.Grants = slices.Clone(e.actor.Grants)
	return &a
}

type tokenCache struct {
	mu      sync.Mutex
	entries map[string]*cachedToken // by token hash
	// gen counts the drops: a look-up that began before one may have read
	// what it dropped, and must not be put in the cache after it.
	gen uint64
}

func newTokenCache() *tokenCache { return &tokenCache{entries: map[string]*cachedToken{}} }

func (c *tokenCache) get(hash string, now time.Time) (*cachedToken, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if !ok || !now.Before(e.until) {
		return nil, false
	}
	return e, true
}

// generation returns the count of drops so far, for put.
func (c *tokenCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put keeps e unless something was dropped since generation returned gen.
func (c *tokenCache) put(hash string, e *cachedToken, now time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.entries) >= tokenCacheMax {
		for h, old := range c.entries {
			if !now.Before(old.until) {
				delete(c.entries, h)
			}
		}
		if len(c.entries) >= tokenCacheMax {
			clear(c.entries)
		}
	}
	c.entries[hash] = e
}

// shouldTouch reports whether this use should be written to last_used_at,
// and if so counts it as written, so concurrent requests write it once.
func (c *tokenCache) shouldTouch(hash string, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if !ok || now.Sub(e.lastUsed) < tokenTouchEvery {
		return false
	}
	e.lastUsed = now
	return true
}

// forget drops the entries that match (nil: all of them).
func (c *tokenCache) forget(match func(*cachedToken) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if match == nil {
		clear(c.entries)
		return
	}
	for h, e := range c.entries {
		if match(e) {
			delete(c.entries, h)
		}
	}
}

const tokenCols = `id, account_id, name, prefix, created_at, last_used_at, expires_at, revoked_at`

func scanToken(sc interface{ Scan(...any) error }) (Token, error) {
	var t Token
	var used, exp, rev sql.NullTime
	if err := sc.Scan(&t.ID, &t.AccountID, &t.Name, &t.Prefix, &t.CreatedAt, &used, &exp, &rev); err != nil {
		return t, err
	}
	t.CreatedAt = t.CreatedAt.UTC()
	t.LastUsedAt, t.ExpiresAt, t.RevokedAt = nullTime(used), nullTime(exp), nullTime(rev)
	return t, nil
}

func nullTime(n sql.NullTime) *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time.UTC()
	return &t
}

func insertToken(ctx context.Context, tx *sql.Tx, t Token, hash string) (int64, error) {
	id, err := db.InsertID(ctx, tx, `INSERT INTO api_tokens (account_id, name, token_hash, prefix, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, t.AccountID, t.Name, hash, t.Prefix, t.CreatedAt, t.ExpiresAt)
	if err != nil {
		return 0, fmt.Errorf("auth: create token: %w", err)
	}
	return id, nil
}

func getToken(ctx context.Context, q db.Querier, id int64) (Token, error) {
	t, err := scanToken(q.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, errs.New(errs.NotFound, "not_found")
	}
	if err != nil {
		return t, fmt.Errorf("auth: get token: %w", err)
	}
	return t, nil
}

func listTokens(ctx context.Context, q db.Querier, accountID int64) ([]Token, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE account_id = $1 ORDER BY id DESC`, accountID)
	if err != nil {
		return nil, fmt.Errorf("auth: list tokens: %w", err)
	}
	defer rows.Close()
	var list []Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("auth: list tokens: %w", err)
		}
		list = append(list, t)
	}
	return list, rows.Err()
}

// revokeTokensTx revokes every live token of the account.
func revokeTokensTx(ctx context.Context, tx *sql.Tx, accountID int64, now time.Time) (int64, error) {
	res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL`, now, accountID)
	if err != nil {
		return 0, fmt.Errorf("auth: revoke tokens: %w", err)
	}
	return res.RowsAffected()
}

// activeAccountAgency returns the agency of an active account's person, or
// NotFound.
func activeAccountAgency(ctx context.Context, q db.Querier, accountID int64) (int64, error) {
	var agencyID int64
	err := q.QueryRowContext(ctx, `SELECT e.agency_id FROM accounts a JOIN employees e ON e.id = a.employee_id
		WHERE a.id = $1 AND a.active = TRUE AND e.active = TRUE`, accountID).Scan(&agencyID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errs.New(errs.NotFound, "auth.account_not_found")
	}
	if err != nil {
		return 0, fmt.Errorf("auth: find account: %w", err)
	}
	return agencyID, nil
}
