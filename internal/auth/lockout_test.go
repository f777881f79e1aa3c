package auth

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// TestSignInLockout: failures hold back the address they come from, for
// the account they aim at (SignInLimit) and for all accounts together (ten
// times that); the person signing in from anywhere else is never locked out.
func TestSignInLockout(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d) // SignInLimit 3: 30 per address
		ctx := context.Background()
		for _, e := range []string{"andi@x.id", "budi@x.id", "citra@x.id", "dewi@x.id", "eka@x.id"} {
			f.user(t, e, policy.Employee, "DISKES")
		}
		signIn := func(email, password, ip string) error {
			_, _, _, err := f.s.SignIn(ctx, email, password, ip, "")
			return err
		}
		t.Run("AttackerCannotLockOutTheOwner", func(t *testing.T) {
			for range 10 {
				if err := signIn("ANDI@x.id", "wrong-password", "203.0.113.7"); errs.CodeOf(err) != errs.Unauthorized && errs.CodeOf(err) != errs.TooMany {
					t.Fatalf("hammering: %v", err)
				}
			}
			err := signIn("andi@x.id", testPassword, "203.0.113.7")
			wantErr(t, err, errs.TooMany, "")
			if secs := errs.As(err).Args[0].(int); secs <= 0 || secs > 15*60 {
				t.Errorf("retry after %d seconds", secs)
			}
			if err := signIn("andi@x.id", testPassword, "10.0.0.5"); err != nil {
				t.Fatalf("the owner, from their own address, while someone hammers the account: %v", err)
			}
			// The attacker's address is still held back for that account.
			wantErr(t, signIn("andi@x.id", testPassword, "203.0.113.7"), errs.TooMany, "")
		})
		t.Run("OneAddressManyAccounts", func(t *testing.T) {
			for i := range 30 { // spraying: one try per made-up account
				wantErr(t, signIn(fmt.Sprintf("nobody%d@x.id", i), testPassword, "198.51.100.9"), errs.Unauthorized, "")
			}
			wantErr(t, signIn("budi@x.id", testPassword, "198.51.100.9"), errs.TooMany, "")
			if err := signIn("budi@x.id", testPassword, "198.51.100.10"); err != nil {
				t.Fatalf("from the next address: %v", err)
			}
		})
		t.Run("IPv6ByItsSlash64", func(t *testing.T) {
			for _, ip := range []string{"2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:aaaa::3"} {
				wantErr(t, signIn("citra@x.id", "wrong-password", ip), errs.Unauthorized, "")
			}
			wantErr(t, signIn("citra@x.id", testPassword, "2001:db8:1:2:ffff:ffff:ffff:ffff"), errs.TooMany, "")
			if err := signIn("citra@x.id", testPassword, "2001:db8:1:3::1"); err != nil {
				t.Fatalf("from the next /64: %v", err)
			}
		})
		t.Run("SuccessResetsThePair", func(t *testing.T) {
			for range 2 {
				wantErr(t, signIn("dewi@x.id", "wrong-password", "10.3.0.1"), errs.Unauthorized, "")
			}
			if err := signIn("dewi@x.id", testPassword, "10.3.0.1"); err != nil {
				t.Fatal(err)
			}
			for range 2 {
				wantErr(t, signIn("dewi@x.id", "wrong-password", "10.3.0.1"), errs.Unauthorized, "")
			}
			if err := signIn("dewi@x.id", testPassword, "10.3.0.1"); err != nil {
				t.Fatalf("the success did not reset the count: %v", err)
			}
		})
		t.Run("WindowPasses", func(t *testing.T) {
			for range 3 {
				wantErr(t, signIn("eka@x.id", "wrong-password", "10.4.0.1"), errs.Unauthorized, "")
			}
			wantErr(t, signIn("eka@x.id", testPassword, "10.4.0.1"), errs.TooMany, "")
			f.clock = f.clock.Add(ThrottleWindow)
			if err := signIn("eka@x.id", testPassword, "10.4.0.1"); err != nil {
				t.Fatalf("after the window: %v", err)
			}
		})
	})
}

// TestABurstOfSignInsMeetsTheLimit: tries made at once from one address
// all count, each before its password is checked, so a burst of 45 wrong
// passwords for made-up accounts gets at most the address's 30 answers;
// the rest wait. Every try of the burst is settled after it: a failure,
// or nothing.
func TestABurstOfSignInsMeetsTheLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d) // SignInLimit 3: 30 per address
		ctx := context.Background()
		f.user(t, "andi@x.id", policy.Employee, "DISKES")
		const n = 45
		codes := make(chan errs.Code, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				_, _, _, err := f.s.SignIn(ctx, fmt.Sprintf("orang%d@x.id", i), "wrong-password", "198.51.100.20", "")
				codes <- errs.CodeOf(err)
			})
		}
		wg.Wait()
		close(codes)
		count := map[errs.Code]int{}
		for c := range codes {
			count[c]++
		}
		answered := count[errs.Unauthorized]
		t.Logf("the burst got %v", count)
		if answered > 30 || answered+count[errs.TooMany] != n {
			t.Fatalf("the burst got %v; want at most 30 answers, the rest told to wait", count)
		}
		var pending int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM signin_failures WHERE pending = TRUE`).Scan(&pending); err != nil || pending != 0 {
			t.Errorf("%d tries of the burst still pending after it (%v)", pending, err)
		}
		_, _, _, err := f.s.SignIn(ctx, "andi@x.id", testPassword, "198.51.100.20", "")
		switch {
		case answered == 30:
			wantErr(t, err, errs.TooMany, "")
		case err != nil:
			t.Errorf("with %d failures from the address: %v", answered, err)
		}
	})
}

// TestTriesBeingCheckedHoldBackForSeconds: an address over its limit only
// by tries whose passwords are still being checked (an office signing in
// at eight) is told to wait seconds, not until a failure leaves the
// window; once they are settled it is let in. Tries pending for longer
// than any check takes count as failed.
func TestTriesBeingCheckedHoldBackForSeconds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d) // SignInLimit 3: 30 per address
		ctx := context.Background()
		f.user(t, "andi@x.id", policy.Employee, "DISKES")
		key := throttleKey{f.s.addrLimiter, "ip:" + addressKey("10.7.0.1")}
		var checking []int64
		for range 30 {
			attempt, wait, err := key.l.Take(ctx, key.key, f.clock)
			if err != nil || wait != 0 {
				t.Fatalf("take: wait %s, %v", wait, err)
			}
			checking = append(checking, attempt)
		}
		_, _, _, err := f.s.SignIn(ctx, "andi@x.id", testPassword, "10.7.0.1", "")
		wantErr(t, err, errs.TooMany, "")
		secs := errs.As(err).Args[0].(int)
		if secs != int(pendingWait/time.Second) {
			t.Errorf("told to wait %d seconds, want %s", secs, pendingWait)
		}
		if msg := throttled("id", secs); !strings.Contains(msg, "5 detik") || strings.Contains(msg, "gagal") {
			t.Errorf("the sign-in page says %q, want the seconds and no failures", msg)
		}
		keys := make([]throttleKey, len(checking))
		for i := range keys {
			keys[i] = key
		}
		if err := forgiveKeys(ctx, keys, checking); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := f.s.SignIn(ctx, "andi@x.id", testPassword, "10.7.0.1", ""); err != nil {
			t.Errorf("once the tries were settled: %v", err)
		}

		// Tries left pending by a node that stopped count as failed after
		// pendingFor: the address waits for the window, not 5 s at a time.
		stale := throttleKey{f.s.addrLimiter, "ip:" + addressKey("10.7.0.2")}
		for range 30 {
			if _, wait, err := stale.l.Take(ctx, stale.key, f.clock); err != nil || wait != 0 {
				t.Fatalf("take: wait %s, %v", wait, err)
			}
		}
		f.clock = f.clock.Add(2 * time.Minute)
		_, _, _, err = f.s.SignIn(ctx, "andi@x.id", testPassword, "10.7.0.2", "")
		wantErr(t, err, errs.TooMany, "")
		if secs := errs.As(err).Args[0].(int); secs != int((ThrottleWindow-2*time.Minute)/time.Second) {
			t.Errorf("behind tries pending for 2 minutes, told to wait %d seconds, want the window's rest", secs)
		}
	})
}

func TestAddressKey(t *testing.T) {
	for _, c := range []struct{ ip, want string }{
		{"203.0.113.7", "203.0.113.7"},
		{"::ffff:203.0.113.7", "203.0.113.7"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"2001:DB8:1:2::", "2001:db8:1:2::/64"},
		{"fe80::1%eth0", "fe80::/64"},
		{"::1", "::/64"},
		{"", ""},
		{"not-an-address", "not-an-address"},
	} {
		if got := addressKey(c.ip); got != c.want {
			t.Errorf("addressKey(%q) = %q, want %q", c.ip, got, c.want)
		}
	}
}
