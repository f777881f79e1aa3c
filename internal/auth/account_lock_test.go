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

// TestAccountLock: LockAfter wrong passwords in a row, each from another
// address (so the address throttle never holds them back), lock the
// account; the lock is audited, tells a guesser nothing, and holds until an
// admin of the person's agency unlocks it or resets the password.
func TestAccountLock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		andi := f.user(t, "andi@x.id", policy.Employee, "DISKES")
		admin := f.actor(t, f.user(t, "admin@x.id", policy.AgencyAdmin, "DISKES").AccountID)
		otherAdmin := f.actor(t, f.user(t, "admin@disdik.id", policy.AgencyAdmin, "DISDIK").AccountID)
		tries := 0
		signIn := func(email, password string) error {
			tries++ // a new address each time: spread over a botnet
			_, _, _, err := f.s.SignIn(ctx, email, password, fmt.Sprintf("198.51.%d.%d", tries/250, tries%250), "")
			return err
		}
		fail := func(n int) {
			t.Helper()
			for range n {
				wantErr(t, signIn("andi@x.id", "wrong-password-123"), errs.Unauthorized, "")
			}
		}
		locks := func() int {
			return countRows(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'lock' AND entity_id = $1`, fmt.Sprint(andi.AccountID))
		}

		t.Run("SuccessStartsTheCountAgain", func(t *testing.T) {
			fail(LockAfter - 1)
			if err := signIn("andi@x.id", testPassword); err != nil {
				t.Fatalf("one short of the lock: %v", err)
			}
			fail(LockAfter - 1)
			if err := signIn("andi@x.id", testPassword); err != nil {
				t.Fatalf("the success did not start the count again: %v", err)
			}
		})
		t.Run("Locked", func(t *testing.T) {
			fail(LockAfter)
			if locks() != 1 {
				t.Fatalf("%d lock entries in the audit log, want 1", locks())
			}
			wantErr(t, signIn("andi@x.id", testPassword), errs.Forbidden, "")
			if k := errs.As(signIn("andi@x.id", testPassword)).Key; k != "auth.account_locked" {
				t.Errorf("the owner is told %q", k)
			}
			// A guesser gets the answer anyone gets, as for no account at all.
			wantErr(t, signIn("andi@x.id", "wrong-password-456"), errs.Unauthorized, "")
			wantErr(t, signIn("nobody@x.id", "wrong-password-456"), errs.Unauthorized, "")
			if locks() != 1 {
				t.Errorf("tries on a locked account locked it again: %d entries", locks())
			}
			acc, err := f.s.GetAccount(ctx, admin, andi.AccountID)
			if err != nil || acc.LockedAt == nil || !acc.LockedAt.Equal(f.clock) {
				t.Fatalf("the admin's view: %+v, %v", acc.LockedAt, err)
			}
		})
		t.Run("UnlockByTheAgencysAdmin", func(t *testing.T) {
			wantErr(t, f.s.UnlockAccount(ctx, otherAdmin, andi.AccountID), errs.Forbidden, "")
			wantErr(t, f.s.UnlockAccount(ctx, f.actor(t, andi.AccountID), andi.AccountID), errs.Forbidden, "")
			if err := f.s.UnlockAccount(ctx, admin, andi.AccountID); err != nil {
				t.Fatal(err)
			}
			if n := countRows(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'unlock' AND entity_id = $1
				AND actor_account_id = $2`, fmt.Sprint(andi.AccountID), admin.AccountID); n != 1 {
				t.Errorf("%d unlock entries by the admin, want 1", n)
			}
			wantErr(t, f.s.UnlockAccount(ctx, admin, andi.AccountID), errs.Conflict, "")
			if err := signIn("andi@x.id", testPassword); err != nil {
				t.Fatalf("after the unlock: %v", err)
			}
			// The count started again: one wrong password does not lock it.
			fail(1)
			if err := signIn("andi@x.id", testPassword); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("ResetUnlocks", func(t *testing.T) {
			fail(LockAfter)
			wantErr(t, signIn("andi@x.id", testPassword), errs.Forbidden, "")
			if _, err := f.s.ResetPassword(ctx, admin, "andi@x.id", "kopi-toraja-2121"); err != nil {
				t.Fatal(err)
			}
			if err := signIn("andi@x.id", "kopi-toraja-2121"); err != nil {
				t.Fatalf("after a reset: %v", err)
			}
		})
	})
}
