package auth

import (
	"context"
	"sync"
	"time"
)

// ThrottleWindow is how far back failed sign-ins count.
const ThrottleWindow = 15 * time.Minute

// Limiter counts failed sign-ins per key (a client address, an email) within
// ThrottleWindow. It is a seam: the in-memory MemoryLimiter serves one
// process; a database-backed one can share counts between nodes.
type Limiter interface {
	// Blocked returns how long key must wait before trying again, 0 if it
	// may try now.
	Blocked(ctx context.Context, key string, now time.Time) (time.Duration, error)
	// Fail records a failed attempt by key.
	Fail(ctx context.Context, key string, now time.Time) error
	// Reset forgets key's failures, after a successful sign-in.
	Reset(ctx context.Context, key string) error
}

// MemoryLimiter is a Limiter in this process's memory. Each key keeps at
// most limit timestamps and the number of keys is capped, so a flood of
// addresses or made-up emails cannot grow it without bound.
type MemoryLimiter struct {
	limit   int
	maxKeys int

	mu        sync.Mutex
	fails     map[string][]time.Time // oldest first, at most limit, all within the window
	lastPrune time.Time
}

// NewMemoryLimiter returns a limiter that blocks a key after limit failures
// within ThrottleWindow.
func NewMemoryLimiter(limit int) *MemoryLimiter {
	return &MemoryLimiter{limit: max(1, limit), maxKeys: 100_000, fails: map[string][]time.Time{}}
}

// Blocked implements Limiter. A key is blocked until its oldest counted
// failure leaves the window.
func (l *MemoryLimiter) Blocked(_ context.Context, key string, now time.Time) (time.Duration, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := recent(l.fails[key], now)
	if len(f) < l.limit {
		return 0, nil
	}
	return f[0].Add(ThrottleWindow).Sub(now), nil
}

// Fail implements Limiter.
func (l *MemoryLimiter) Fail(_ context.Context, key string, now time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prune(now)
	f := append(recent(l.fails[key], now), now)
	if len(f) > l.limit {
		f = f[len(f)-l.limit:]
	}
	l.fails[key] = f
	return nil
}

// Reset implements Limiter.
func (l *MemoryLimiter) Reset(_ context.Context, key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, key)
	return nil
}

// Len returns how many keys are being tracked.
func (l *MemoryLimiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.fails)
}

// prune drops keys whose failures have all left the window, at most once a
// minute, or at once when the map is full. If it is still full — a flood of
// fresh keys — it drops arbitrary keys: under such a flood the per-account
// and per-address limits degrade, but memory stays bounded.
func (l *MemoryLimiter) prune(now time.Time) {
	full := len(l.fails) >= l.maxKeys
	if !full && now.Sub(l.lastPrune) < time.Minute {
		return
	}
	l.lastPrune = now
	for k, f := range l.fails {
		if len(recent(f, now)) == 0 {
			delete(l.fails, k)
		}
	}
	for k := range l.fails {
		if len(l.fails) < l.maxKeys*9/10 {
			break
		}
		delete(l.fails, k)
	}
}

// recent returns the failures in f still within the window.
func recent(f []time.Time, now time.Time) []time.Time {
	cut := now.Add(-ThrottleWindow)
	for len(f) > 0 && !f[0].After(cut) {
		f = f[1:]
	}
	return f
}
