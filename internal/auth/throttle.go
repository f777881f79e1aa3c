package auth

import (
	"context"
	"math"
	"net/netip"
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
// client address) within ThrottleWindow: DBLimiter, which every node
// sharing the database shares.
type Limiter interface {
	// Blocked returns how long key must wait before trying again, 0 if it
	// may try now.
	Blocked(ctx context.Context, key string, now time.Time) (time.Duration, error)
	// Fail records a failed attempt by key.
	Fail(ctx context.Context, key string, now time.Time) error
	// Reset forgets key's failures, after a successful sign-in.
	Reset(ctx context.Context, key string) error
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
