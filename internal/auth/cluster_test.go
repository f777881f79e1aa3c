package auth_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/auth"
	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// twoServers starts two nodes over one database, as two `lontara serve`
// processes behind a load balancer would run, and waits until the second
// listens for the first's changes.
func twoServers(t *testing.T, engine db.Engine) (a, b *servertest.Harness) {
	t.Helper()
	nodes := dbtest.Nodes(t, engine, 2)
	a, b = servertest.Start(t, nodes[0]), servertest.Start(t, nodes[1])
	select {
	case <-b.DB.Changes.Listening():
	case <-time.After(10 * time.Second):
		t.Fatal("node B does not listen after 10s")
	}
	return a, b
}

// settle is how long node B may take to hear of node A's commit: far less
// than the token cache's lifetime (5 s), so a pass means the event came.
const settle = 2 * time.Second

// eventually polls the request on node h until it answers want, failing
// after settle: the notification travels from the other node's commit
// through PostgreSQL.
func eventually(t *testing.T, h *servertest.Harness, token string, want int, what string) servertest.Response {
	t.Helper()
	deadline := time.Now().Add(settle)
	for {
		r := h.Do(t, "GET", "/api/v1/me", token, nil, "")
		if r.Status == want {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: node B still answers %d %s after %s, want %d", what, r.Status, r.Body, settle, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestTokenChangesReachEveryNode: a token node B has just used (and so
// keeps in memory) is refused, or acts with its new roles, on node B as
// soon as node A commits a revocation, a role change, a password reset, a
// deactivation or a move — not a cache lifetime later.
func TestTokenChangesReachEveryNode(t *testing.T) {
	a, b := twoServers(t, db.Postgres)
	ctx := context.Background()
	cli := policy.SystemActor("test")
	a.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
	to := a.Agency(t, "DISDIK", "Dinas Pendidikan", "dinas")
	personOf := func(token string) int64 {
		var me struct {
			Person struct {
				ID int64 `json:"id"`
			} `json:"person"`
		}
		b.Do(t, "GET", "/api/v1/me", token, nil, "").JSON(t, &me)
		return me.Person.ID
	}
	for _, c := range []struct {
		name string
		end  func(email, token string) error
	}{
		{"revoke", func(email, _ string) error {
			list, err := a.Svc.Auth.ListTokens(ctx, cli, a.AccountID(t, email))
			if err != nil {
				return err
			}
			return a.Svc.Auth.RevokeToken(ctx, cli, list[0].ID)
		}},
		{"reset-password", func(email, _ string) error {
			_, err := a.Svc.Auth.ResetPassword(ctx, cli, email, auth.GeneratePassword())
			return err
		}},
		{"deactivate", func(_, token string) error {
			_, err := a.Svc.Org.DeactivateEmployee(ctx, cli, personOf(token), org.EndRetired, time.Time{})
			return err
		}},
		{"transfer", func(_, token string) error {
			_, err := a.Svc.Org.TransferEmployee(ctx, cli, personOf(token), org.TransferInput{ToAgencyID: to.ID})
			return err
		}},
	} {
		email := c.name + "@diskes.go.id"
		a.User(t, email, "Nur'aini Dottoro'ta", policy.AgencyAdmin, "DISKES")
		token := a.Token(t, email)
		eventually(t, b, token, http.StatusOK, c.name+": before")
		if err := c.end(email, token); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		eventually(t, b, token, http.StatusUnauthorized, c.name)
	}

	t.Run("RoleChange", func(t *testing.T) {
		email := "peran@diskes.go.id"
		a.User(t, email, "Andi Makkasau", policy.AgencyAdmin, "DISKES")
		token := a.Token(t, email)
		account := a.AccountID(t, email)
		roles := func() []string {
			var me auth.Me
			b.Do(t, "GET", "/api/v1/me", token, nil, "").JSON(t, &me)
			var out []string
			for _, r := range me.Roles {
				out = append(out, string(r.Role))
			}
			return out
		}
		if got := roles(); len(got) != 1 || got[0] != string(policy.AgencyAdmin) {
			t.Fatalf("roles before: %v", got)
		}
		if err := a.Svc.Auth.GrantRole(ctx, cli, account, policy.Grant{Role: policy.Expert}); err != nil {
			t.Fatal(err)
		}
		waitRoles(t, roles, 2, "the granted role")
		actor, err := a.Svc.Auth.LoadActor(ctx, account) // its first grant: the agency admin's
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Svc.Auth.RevokeRole(ctx, cli, account, actor.Grants[0]); err != nil {
			t.Fatal(err)
		}
		waitRoles(t, roles, 1, "the revoked role")
	})

	t.Run("Rename", func(t *testing.T) {
		email := "nama@diskes.go.id"
		a.User(t, email, "Andi Makkasau", policy.Employee, "DISKES")
		token := a.Token(t, email)
		name := "Andi Makkasau Daeng Nai"
		if _, err := a.Svc.Org.UpdateEmployee(ctx, cli, personOf(token), org.EmployeePatch{Name: &name}); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(settle)
		for {
			var me auth.Me
			b.Do(t, "GET", "/api/v1/me", token, nil, "").JSON(t, &me)
			if me.Name == name {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("node B still names the token's person %q after %s", me.Name, settle)
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

func waitRoles(t *testing.T, roles func() []string, n int, what string) {
	t.Helper()
	deadline := time.Now().Add(settle)
	for got := roles(); len(got) != n; got = roles() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: node B still shows roles %v after %s", what, got, settle)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSignInLimitIsSharedByTheNodes: failed sign-ins counted on node A
// hold the same client back on node B: an attacker gains nothing by spreading tries over the nodes.
func TestSignInLimitIsSharedByTheNodes(t *testing.T) {
	for _, engine := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			cfg := config.Default()
			cfg.SignInLimit = 3
			dbs := dbtest.Nodes(t, engine, 2)
			var nodes []*auth.Service
			for _, d := range dbs {
				nodes = append(nodes, auth.NewService(d, auth.NewHasher(2), org.NewService(d), cfg))
			}
			dbtest.Agency(t, dbs[0], "DISKES", "Dinas Kesehatan", "dinas")
			a, b := nodes[0], nodes[1]
			ctx := context.Background()
			const email, password, ip = "andi@diskes.go.id", "Pa'ssw0rd-Ä-makassar", "203.0.113.7"
			if _, err := a.CreateUser(ctx, policy.SystemActor("test"), auth.UserInput{Email: email, Name: "Andi",
				Role: policy.Employee, AgencyCode: "DISKES", Password: password}); err != nil {
				t.Fatal(err)
			}
			signIn := func(s *auth.Service, pw string) errs.Code {
				_, _, _, err := s.SignIn(ctx, email, pw, ip, "")
				return errs.CodeOf(err)
			}
			for range 3 {
				if got := signIn(a, "wrong-password"); got != errs.Unauthorized {
					t.Fatalf("a wrong password on node A: %s", got)
				}
			}
			if got := signIn(b, password); got != errs.TooMany {
				t.Fatalf("node B after three failures on node A: %s, want %s", got, errs.TooMany)
			}
			// Three failures of the pair and three of the address, each key
			// as its SHA-256, never the email or the address.
			var rows, hashed int
			if err := dbs[1].R.QueryRow(`SELECT COUNT(*), COUNT(CASE WHEN length(key_hash) = 64
				AND key_hash NOT LIKE '%@%' AND key_hash NOT LIKE '%.%' THEN 1 END) FROM signin_failures`).
				Scan(&rows, &hashed); err != nil || rows != 6 || hashed != 6 {
				t.Fatalf("%d failures kept, %d of them hashed (%v); want 6 and 6", rows, hashed, err)
			}
		})
	}
}
