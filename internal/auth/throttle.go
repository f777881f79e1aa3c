package auth

import (
	"context"
	"errors"
	"log/slog"
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
// sharing the database shares. An attempt is counted before its password
// is checked, as a failure unless it is forgiven: attempts made at once
// then all count. Counting the failures after the check let a burst of
// attempts, spread over the nodes, all pass the check before any of them
// had failed.
type Limiter interface {
	// Take counts an attempt by key, pending, and returns it, unless key
	// has made its limit of attempts within the window, failed or pending:
	// then it counts nothing and returns how long key must wait before
	// trying again.
	Take(ctx context.Context, key string, now time.Time) (attempt int64, wait time.Duration, err error)
	// Fail makes a pending attempt a failure.
	Fail(ctx context.Context, attempt int64) error
	// Forgive takes back an attempt that did not fail.
	Forgive(ctx context.Context, attempt int64) error
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

// takeKeys counts an attempt against every key (Limiter.Take) and returns
// them in the keys' order, to be forgiven if the attempt does not fail.
// When a key has made its limit, it refuses with a TooMany error whose
// first argument is the seconds to wait, and the attempts it had counted
// are forgiven: a refused attempt counts for nothing.
func takeKeys(ctx context.Context, now time.Time, keys []throttleKey) ([]int64, error) {
	taken := make([]int64, 0, len(keys))
	for _, k := range keys {
		attempt, wait, err := k.l.Take(ctx, k.key, now)
		if err == nil && wait > 0 {
			err = errs.New(errs.TooMany, "too_many", int(math.Ceil(wait.Seconds())))
		}
		if err != nil {
			return nil, errors.Join(err, forgiveKeys(ctx, keys, taken))
		}
		taken = append(taken, attempt)
	}
	return taken, nil
}

// failKeys makes the attempts takeKeys counted against keys failures,
// even if the client has gone meanwhile.
func failKeys(ctx context.Context, keys []throttleKey, taken []int64) error {
	ctx = context.WithoutCancel(ctx)
	for i, attempt := range taken {
		if err := keys[i].l.Fail(ctx, attempt); err != nil {
			return err
		}
	}
	return nil
}

// forgiveKeys takes back the attempts takeKeys counted against keys. It
// is written even if the client has gone meanwhile. A failure is logged
// here: callers join it to the sign-in's own answer (a 401, a 429), which
// the web layer does not log, and an attempt left pending holds its key
// back until it ages out.
func forgiveKeys(ctx context.Context, keys []throttleKey, taken []int64) error {
	ctx = context.WithoutCancel(ctx)
	for i, attempt := range taken {
		if err := keys[i].l.Forgive(ctx, attempt); err != nil {
			slog.Warn("auth: a sign-in attempt was not forgiven", "err", err)
			return err
		}
	}
	return nil
}
