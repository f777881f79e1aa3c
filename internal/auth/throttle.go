package auth

import (
	"context"
	"math"
	"net/netip"
	"sync"
	"time"

	"github.com/lontara-id/lontara/internal/errs"
)

// ThrottleWindow is how far back failed sign-ins count.
const ThrottleWindow = 15 * time.Minute

// addressLimitFactor is how many more failures a client address may make
// across all emails than against one email: enough for an office sharing
// one address, few enough to stop spraying one password over many accounts.
const addressLimitFactor = 10

// Limiter counts failed sign-ins per key (an email with a client address, a
// client address) within ThrottleWindow. DBLimiter shares the counts
// between the nodes and is what the service uses; MemoryLimiter keeps them
// in one process.
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
// within ThrottleWindow. It tracks at most about a million failures in all
// (some 24 MB): 100,000 keys at a limit of 10, fewer at higher limits.
func NewMemoryLimiter(limit int) *MemoryLimiter {
	limit = max(1, limit)
	return &MemoryLimiter{limit: limit, maxKeys: min(100_000, 1_000_000/limit), fails: map[string][]time.Time{}}
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

// throttleKey is one count a sign-in is checked against, and the limiter
// keeping it.
type throttleKey struct {
	l   Limiter
	key string
}

// signInKeys are the counts a sign-in for email from the client address ip
// is checked against: the pair of the two, so that failures from one place
// cannot lock the person out everywhere else, and the address alone, with
// its higher limit, against one address trying many accounts. There is no
// count by email alone: anyone anywhere could fill it. An unknown address
// ("", not over HTTP) has no count of its own: it would be shared.
func (s *Service) signInKeys(email, ip string) []throttleKey {
	addr := addressKey(ip)
	keys := []throttleKey{{s.limiter, "pair:" + addr + " " + email}}
	if addr != "" {
		keys = append(keys, throttleKey{s.addrLimiter, "ip:" + addr})
	}
	return keys
}

// addressKey is the form of a client address failures are counted under: an
// IPv6 address by its /64, the block one subscriber gets, so that a client
// cannot take a fresh count for each of its addresses; IPv4 (also when
// mapped into IPv6) as it is. Anything unparsable is used as given.
func addressKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.WithZone("").Unmap()
	if a.Is4() {
		return a.String()
	}
	return netip.PrefixFrom(a, 64).Masked().String()
}

// checkThrottle refuses with a TooMany error, whose first argument is the
// seconds to wait, when any of the keys in s.limiter is blocked.
func (s *Service) checkThrottle(ctx context.Context, now time.Time, keys ...string) error {
	ks := make([]throttleKey, len(keys))
	for i, k := range keys {
		ks[i] = throttleKey{s.limiter, k}
	}
	return checkKeys(ctx, now, ks)
}

// checkKeys refuses with a TooMany error when any key is blocked, for as
// long as the longest wait.
func checkKeys(ctx context.Context, now time.Time, keys []throttleKey) error {
	var wait time.Duration
	for _, k := range keys {
		d, err := k.l.Blocked(ctx, k.key, now)
		if err != nil {
			return err
		}
		wait = max(wait, d)
	}
	if wait > 0 {
		return errs.New(errs.TooMany, "too_many", int(math.Ceil(wait.Seconds())))
	}
	return nil
}

// failKeys counts a failure against every key.
func failKeys(ctx context.Context, now time.Time, keys []throttleKey) error {
	for _, k := range keys {
		if err := k.l.Fail(ctx, k.key, now); err != nil {
			return err
		}
	}
	return nil
}
