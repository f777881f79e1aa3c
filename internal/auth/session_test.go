package auth

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

func TestSignIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		u := f.user(t, "andi@x.id", policy.Employee, "DISKES")
		t.Run("OK", func(t *testing.T) {
			tok, csrf, a, err := f.s.SignIn(ctx, " ANDI@x.id", testPassword, "10.0.0.1", "test")
			if err != nil {
				t.Fatal(err)
			}
			if tok == "" || csrf == "" || tok == csrf || a.AccountID != u.AccountID {
				t.Fatalf("token %q csrf %q actor %+v", tok, csrf, a)
			}
			got, gotCSRF, err := f.s.SessionActor(ctx, tok)
			if err != nil || got.AccountID != u.AccountID || gotCSRF != csrf || len(got.Grants) != 1 {
				t.Fatalf("SessionActor: %+v %q %v", got, gotCSRF, err)
			}
			var last time.Time
			if err := d.R.QueryRow(`SELECT last_sign_in_at FROM accounts WHERE id = $1`, u.AccountID).Scan(&last); err != nil || !last.UTC().Equal(f.clock) {
				t.Errorf("last_sign_in_at %v (%v), want %v", last, err, f.clock)
			}
			var n int
			if err := d.R.QueryRow(`SELECT count(*) FROM sessions WHERE id_hash = $1`, tok).Scan(&n); err != nil || n != 0 {
				t.Errorf("the session token is stored in plain text (%d, %v)", n, err)
			}
		})
		t.Run("WrongPasswordAndUnknownEmailLookAlike", func(t *testing.T) {
			_, _, _, e1 := f.s.SignIn(ctx, "andi@x.id", "wrong-password", "10.0.0.2", "")
			_, _, _, e2 := f.s.SignIn(ctx, "nobody@x.id", testPassword, "10.0.0.3", "")
			wantErr(t, e1, errs.Unauthorized, "")
			wantErr(t, e2, errs.Unauthorized, "")
			if e1.Error() != e2.Error() {
				t.Errorf("wrong password %q, unknown email %q", e1, e2)
			}
		})
	})
}

// TestSignInFailuresArePruned: failures that have left the window are
// deleted as new ones come, so the table holds about a window's worth.
func TestSignInFailuresArePruned(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		l := NewDBLimiter(d, 3)
		ctx := context.Background()
		now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
		fail := func(key string, at time.Time) {
			t.Helper()
			attempt, wait, err := l.Take(ctx, key, at)
			if err != nil || wait != 0 {
				t.Fatalf("take %s: wait %s, %v", key, wait, err)
			}
			if err := l.Fail(ctx, attempt); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 50 {
			fail("ip:10.0.0."+strconv.Itoa(i), now)
		}
		fail("late", now.Add(ThrottleWindow+2*time.Minute))
		var n int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM signin_failures`).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d failures kept after the window passed (%v), want only the new one", n, err)
		}
		if _, wait, err := l.Take(ctx, "ip:10.0.0.1", now.Add(ThrottleWindow+2*time.Minute)); err != nil || wait != 0 {
			t.Errorf("blocked %s (%v) after the window", wait, err)
		}
	})
}

func TestSessionExpiry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d) // SessionTTL 1h
		ctx := context.Background()
		f.user(t, "andi@x.id", policy.Employee, "DISKES")
		signIn := func() string {
			tok, _, _, err := f.s.SignIn(ctx, "andi@x.id", testPassword, "10.0.0.1", "")
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
		t.Run("Sliding", func(t *testing.T) {
			tok := signIn()
			for range 3 { // activity every 50 minutes keeps it alive past the TTL
				f.clock = f.clock.Add(50 * time.Minute)
				if _, _, err := f.s.SessionActor(ctx, tok); err != nil {
					t.Fatal(err)
				}
			}
			f.clock = f.clock.Add(61 * time.Minute)
			_, _, err := f.s.SessionActor(ctx, tok)
			wantErr(t, err, errs.Unauthorized, "")
		})
		t.Run("TouchedAtMostOnceAMinute", func(t *testing.T) {
			tok := signIn()
			var seen time.Time
			f.clock = f.clock.Add(30 * time.Second)
			if _, _, err := f.s.SessionActor(ctx, tok); err != nil {
				t.Fatal(err)
			}
			if err := d.R.QueryRow(`SELECT last_seen_at FROM sessions WHERE id_hash = $1`, hashSecret(tok)).Scan(&seen); err != nil {
				t.Fatal(err)
			}
			if !seen.UTC().Equal(f.clock.Add(-30 * time.Second)) {
				t.Errorf("last_seen_at %v written within a minute of sign-in", seen)
			}
		})
		t.Run("AbsoluteMaxAge", func(t *testing.T) {
			f.s.cfg.SessionTTL = 20 * 24 * time.Hour
			defer func() { f.s.cfg.SessionTTL = time.Hour }()
			tok := signIn()
			f.clock = f.clock.Add(15 * 24 * time.Hour)
			if _, _, err := f.s.SessionActor(ctx, tok); err != nil {
				t.Fatal(err)
			}
			f.clock = f.clock.Add(16 * 24 * time.Hour) // 31 days after sign-in, 16 after the last activity
			_, _, err := f.s.SessionActor(ctx, tok)
			wantErr(t, err, errs.Unauthorized, "")
		})
		t.Run("SignOut", func(t *testing.T) {
			tok := signIn()
			if err := f.s.SignOut(ctx, tok); err != nil {
				t.Fatal(err)
			}
			_, _, err := f.s.SessionActor(ctx, tok)
			wantErr(t, err, errs.Unauthorized, "")
			_, _, err = f.s.SessionActor(ctx, "")
			wantErr(t, err, errs.Unauthorized, "")
		})
	})
}

func TestDeactivatedPersonCannotAct(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		u := f.user(t, "andi@x.id", policy.Employee, "DISKES")
		tok, _, _, err := f.s.SignIn(ctx, "andi@x.id", testPassword, "10.0.0.1", "")
		if err != nil {
			t.Fatal(err)
		}
		deactivate(t, d, u.EmployeeID, "retired")
		_, _, _, err = f.s.SignIn(ctx, "andi@x.id", testPassword, "10.0.0.1", "")
		wantErr(t, err, errs.Unauthorized, "")
		_, _, err = f.s.SessionActor(ctx, tok)
		wantErr(t, err, errs.Unauthorized, "")
		_, err = f.s.LoadActor(ctx, u.AccountID)
		wantErr(t, err, errs.Unauthorized, "")
	})
}

func TestPasswordChangeAndReset(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		u := f.user(t, "andi@x.id", policy.Employee, "DISKES")
		signIn := func(pw string) (string, error) {
			tok, _, _, err := f.s.SignIn(ctx, "andi@x.id", pw, "10.0.0.1", "")
			return tok, err
		}
		here, _ := signIn(testPassword)
		elsewhere, _ := signIn(testPassword)
		a := f.actor(t, u.AccountID)
		wantErr(t, f.s.ChangePassword(ctx, a, here, "wrong-password", "kopi-toraja-21"), errs.Invalid, "current_password")
		wantErr(t, f.s.ChangePassword(ctx, a, here, testPassword, "short"), errs.Invalid, "password")
		if err := f.s.ChangePassword(ctx, a, here, testPassword, "kopi-toraja-21"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.s.SessionActor(ctx, here); err != nil {
			t.Errorf("the session the change was made from ended: %v", err)
		}
		_, _, err := f.s.SessionActor(ctx, elsewhere)
		wantErr(t, err, errs.Unauthorized, "")
		if _, err := signIn("kopi-toraja-21"); err != nil {
			t.Fatalf("new password: %v", err)
		}

		plain, _, err := f.s.CreateToken(ctx, a, u.AccountID, "script", nil)
		if err != nil {
			t.Fatal(err)
		}
		staff := f.actor(t, f.user(t, "budi@x.id", policy.Employee, "DISKES").AccountID)
		_, err = f.s.ResetPassword(ctx, staff, "andi@x.id", "pisang-epe-77")
		wantErr(t, err, errs.Forbidden, "")
		res, err := f.s.ResetPassword(ctx, cli, "ANDI@x.id", "pisang-epe-77")
		if err != nil || res.SessionsEnded != 2 || res.TokensRevoked != 1 {
			t.Fatalf("reset: %+v, %v", res, err)
		}
		_, _, err = f.s.SessionActor(ctx, here)
		wantErr(t, err, errs.Unauthorized, "")
		_, err = f.s.TokenActor(ctx, plain)
		wantErr(t, err, errs.Unauthorized, "")
		if _, err := signIn("pisang-epe-77"); err != nil {
			t.Fatalf("reset password: %v", err)
		}
		_, err = f.s.ResetPassword(ctx, cli, "nobody@x.id", "pisang-epe-77")
		wantErr(t, err, errs.NotFound, "")
	})
}

func TestSignInRehashesOldParameters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		u := f.user(t, "andi@x.id", policy.Employee, "DISKES")
		old := NewHasher(1)
		old.params = Params{Memory: 8192, Time: 1, Threads: 1}
		weak, err := old.Hash(ctx, testPassword)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.Exec(`UPDATE accounts SET password_hash = $1 WHERE id = $2`, weak, u.AccountID); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := f.s.SignIn(ctx, "andi@x.id", testPassword, "10.0.0.1", ""); err != nil {
			t.Fatal(err)
		}
		var now string
		if err := d.R.QueryRow(`SELECT password_hash FROM accounts WHERE id = $1`, u.AccountID).Scan(&now); err != nil {
			t.Fatal(err)
		}
		if now == weak || f.s.hasher.NeedsRehash(now) {
			t.Errorf("hash not upgraded: %s", now)
		}
	})
}
