package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// DBLimiter is a Limiter kept in the database (signin_failures), so that
// every node sharing it counts the same failures: an attacker who spreads
// tries over the nodes behind a load balancer meets one limit, not one per
// node. A key is stored as its SHA-256, never as it is (it holds an email
// and a client address), and rows are deleted once they leave the window.
// A failed sign-in costs an argon2 check of 30–70 ms; the limiter's two
// reads and two writes add about 1 ms on PostgreSQL and 3–6 ms on SQLite,
// whose two commits are synced (BenchmarkLimiter, 2 cores under load).
// On SQLite, one node by design, the counts still outlive a restart.
type DBLimiter struct {
	db    *db.DB
	limit int

	mu        sync.Mutex
	lastPrune time.Time
}

// NewDBLimiter returns a limiter over d that blocks a key after limit
// failures within ThrottleWindow.
func NewDBLimiter(d *db.DB, limit int) *DBLimiter {
	return &DBLimiter{db: d, limit: max(1, limit)}
}

// Blocked implements Limiter: a key is blocked until the limit-th most
// recent of its failures leaves the window.
func (l *DBLimiter) Blocked(ctx context.Context, key string, now time.Time) (time.Duration, error) {
	var at time.Time
	err := l.db.Cached().QueryRowContext(ctx, `SELECT failed_at FROM signin_failures
		WHERE key_hash = $1 AND failed_at > $2 ORDER BY failed_at DESC LIMIT 1 OFFSET $3`,
		hashSecret(key), now.Add(-ThrottleWindow).UTC(), l.limit-1).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("auth: sign-in limit: %w", err)
	}
	return at.Add(ThrottleWindow).Sub(now), nil
}

// Fail implements Limiter.
func (l *DBLimiter) Fail(ctx context.Context, key string, now time.Time) error {
	if err := l.prune(ctx, now); err != nil {
		return err
	}
	// Through the group commit: a spray of failed sign-ins shares SQLite's
	// synced commits with every other write instead of taking one each.
	err := l.db.Group(ctx, func(ctx context.Context, tx db.Querier) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO signin_failures (key_hash, failed_at) VALUES ($1, $2)`,
			hashSecret(key), now.UTC())
		return err
	})
	if err != nil {
		return fmt.Errorf("auth: sign-in limit: %w", err)
	}
	return nil
}

// Reset implements Limiter.
func (l *DBLimiter) Reset(ctx context.Context, key string) error {
	if _, err := l.db.W.ExecContext(ctx, `DELETE FROM signin_failures WHERE key_hash = $1`, hashSecret(key)); err != nil {
		return fmt.Errorf("auth: sign-in limit: %w", err)
	}
	return nil
}

// prune deletes the failures that have left the window, at most once a
// minute per limiter.
func (l *DBLimiter) prune(ctx context.Context, now time.Time) error {
	l.mu.Lock()
	due := now.Sub(l.lastPrune) >= time.Minute || now.Before(l.lastPrune)
	if due {
		l.lastPrune = now
	}
	l.mu.Unlock()
	if !due {
		return nil
	}
	if _, err := l.db.W.ExecContext(ctx, `DELETE FROM signin_failures WHERE failed_at <= $1`,
		now.Add(-ThrottleWindow).UTC()); err != nil {
		return fmt.Errorf("auth: sign-in limit: %w", err)
	}
	return nil
}
