package auth

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
)

func TestTokens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		u := f.user(t, "andi@x.id", policy.Operator, "DISKES")
		me := f.actor(t, u.AccountID)
		t.Run("CreateAndUse", func(t *testing.T) {
			plain, tok, err := f.s.CreateToken(ctx, me, u.AccountID, "laporan harian", nil)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(plain, "ltr_") || len(plain) != 4+43 || !strings.HasPrefix(plain, tok.Prefix) {
				t.Errorf("token %q, prefix %q", plain, tok.Prefix)
			}
			a, err := f.s.TokenActor(ctx, plain)
			if err != nil || a.AccountID != u.AccountID || len(a.Grants) != 1 || a.Grants[0].Role != policy.Operator {
				t.Fatalf("TokenActor: %+v, %v", a, err)
			}
			a.Grants[0].Role = policy.Superadmin // callers may change their copy
			if again, _ := f.s.TokenActor(ctx, plain); again.Has(policy.Superadmin) {
				t.Error("changing a returned actor changed the cache")
			}
			list, err := f.s.ListTokens(ctx, me, u.AccountID)
			if err != nil || len(list) != 1 || list[0].Name != "laporan harian" || list[0].LastUsedAt == nil {
				t.Errorf("ListTokens: %+v, %v", list, err)
			}
		})
		t.Run("Revoked", func(t *testing.T) {
			plain, tok, _ := f.s.CreateToken(ctx, me, u.AccountID, "", nil)
			if _, err := f.s.TokenActor(ctx, plain); err != nil {
				t.Fatal(err)
			}
			if err := f.s.RevokeToken(ctx, me, tok.ID); err != nil {
				t.Fatal(err)
			}
			_, err := f.s.TokenActor(ctx, plain)
			wantErr(t, err, errs.Unauthorized, "")
		})
		t.Run("OtherProcess", func(t *testing.T) {
			// Another process (the CLI) creates and revokes tokens in the same database.
			other := NewService(d, NewHasher(1), org.NewService(d), config.Default())
			plain, tok, err := other.CreateToken(ctx, cli, u.AccountID, "cli", nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.s.TokenActor(ctx, plain); err != nil {
				t.Fatalf("a token made elsewhere does not work at once: %v", err)
			}
			if err := other.RevokeToken(ctx, cli, tok.ID); err != nil {
				t.Fatal(err)
			}
			f.clock = f.clock.Add(tokenCacheTTL)
			_, err = f.s.TokenActor(ctx, plain)
			wantErr(t, err, errs.Unauthorized, "")
		})
		t.Run("Expired", func(t *testing.T) {
			exp := f.clock.Add(time.Hour)
			plain, _, err := f.s.CreateToken(ctx, me, u.AccountID, "", &exp)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.s.TokenActor(ctx, plain); err != nil {
				t.Fatal(err)
			}
			f.clock = exp
			_, err = f.s.TokenActor(ctx, plain)
			wantErr(t, err, errs.Unauthorized, "")
			past := f.clock.Add(-time.Minute)
			_, _, err = f.s.CreateToken(ctx, me, u.AccountID, "", &past)
			wantErr(t, err, errs.Invalid, "expires_at")
		})
		t.Run("LastUsedDebounced", func(t *testing.T) {
			plain, tok, _ := f.s.CreateToken(ctx, me, u.AccountID, "", nil)
			lastUsed := func() time.Time {
				var at time.Time
				if err := d.R.QueryRow(`SELECT last_used_at FROM api_tokens WHERE id = $1`, tok.ID).Scan(&at); err != nil {
					t.Fatal(err)
				}
				return at.UTC()
			}
			start := f.clock
			for _, step := range []time.Duration{0, 10 * time.Second, 30 * time.Second} {
				f.clock = f.clock.Add(step)
				if _, err := f.s.TokenActor(ctx, plain); err != nil {
					t.Fatal(err)
				}
			}
			if got := lastUsed(); !got.Equal(start) {
				t.Errorf("last_used_at %v, want the first use %v", got, start)
			}
			f.clock = f.clock.Add(time.Minute)
			if _, err := f.s.TokenActor(ctx, plain); err != nil {
				t.Fatal(err)
			}
			if got := lastUsed(); !got.Equal(f.clock) {
				t.Errorf("last_used_at %v, want %v after a minute", got, f.clock)
			}
		})
		t.Run("BadAndForbidden", func(t *testing.T) {
			for _, bad := range []string{"", "ltr_nope", "Bearer x", "ltr_" + strings.Repeat("a", 200)} {
				_, err := f.s.TokenActor(ctx, bad)
				wantErr(t, err, errs.Unauthorized, "")
			}
			other := f.user(t, "budi@x.id", policy.Employee, "DISKES")
			_, _, err := f.s.CreateToken(ctx, me, other.AccountID, "", nil)
			wantErr(t, err, errs.Forbidden, "")
			_, err = f.s.ListTokens(ctx, me, other.AccountID)
			wantErr(t, err, errs.Forbidden, "")
			_, _, err = f.s.CreateToken(ctx, cli, 99999, "", nil)
			wantErr(t, err, errs.NotFound, "")
		})
		t.Run("DeactivatedPerson", func(t *testing.T) {
			p := f.user(t, "citra@x.id", policy.Employee, "DISKES")
			plain, _, err := f.s.CreateToken(ctx, cli, p.AccountID, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			deactivate(t, d, p.EmployeeID, "deceased")
			_, err = f.s.TokenActor(ctx, plain)
			wantErr(t, err, errs.Unauthorized, "")
		})
	})
}

// TestSecretsStayOutOfTheDatabase creates an account, signs in and makes a
// token, then looks for the password, its hash and the token in every
// place they must not be: the audit log, and (for the plain secrets) any
// table at all.
func TestSecretsStayOutOfTheDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		u := f.user(t, "andi@x.id", policy.Superadmin, "")
		session, csrf, a, err := f.s.SignIn(ctx, "andi@x.id", testPassword, "10.0.0.1", "")
		if err != nil {
			t.Fatal(err)
		}
		plain, _, err := f.s.CreateToken(ctx, a, u.AccountID, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.ResetPassword(ctx, a, "andi@x.id", "pisang-epe-77"); err != nil {
			t.Fatal(err)
		}
		var hash string
		if err := d.R.QueryRow(`SELECT password_hash FROM accounts WHERE id = $1`, u.AccountID).Scan(&hash); err != nil || hash == "" {
			t.Fatalf("hash %q, %v", hash, err)
		}
		var audit strings.Builder
		rows, err := d.R.Query(`SELECT action, entity, COALESCE(before_json, ''), COALESCE(after_json, '') FROM audit_log`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var n int
		for rows.Next() {
			var action, entity, before, after string
			if err := rows.Scan(&action, &entity, &before, &after); err != nil {
				t.Fatal(err)
			}
			n++
			audit.WriteString(before + after)
		}
		if n < 5 { // agency, employee, account, grant, sign_in, token, reset
			t.Errorf("only %d audit rows", n)
		}
		for name, secret := range map[string]string{"password": testPassword, "new password": "pisang-epe-77",
			"hash": hash, "hash body": hash[strings.LastIndex(hash, "$")+1:], "token": plain, "token hash": hashSecret(plain),
			"session": session, "session hash": hashSecret(session), "csrf": csrf} {
			if strings.Contains(audit.String(), secret) {
				t.Errorf("the audit log contains the %s", name)
			}
		}
		for _, q := range []string{`SELECT token_hash || prefix || name FROM api_tokens`, `SELECT id_hash FROM sessions`} {
			var s string
			if err := d.R.QueryRow(q).Scan(&s); err == nil && (strings.Contains(s, plain) || strings.Contains(s, session)) {
				t.Errorf("%s holds a plain secret", q)
			}
		}
	})
}
