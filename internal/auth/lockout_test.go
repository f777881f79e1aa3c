package auth

import (
	"context"
	"fmt"
	"testing"

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
