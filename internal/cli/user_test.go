package cli_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/auth"
	"github.com/lontara-id/lontara/internal/cli"
	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/org"
)

// run runs a lontara command and returns its exit code and output.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = cli.Run(context.Background(), args, cli.IO{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func eachEngine(t *testing.T, fn func(t *testing.T, dsn string)) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) { fn(t, dbtest.DSN(t, e)) })
	}
}

func authService(t *testing.T, dsn string) *auth.Service {
	t.Helper()
	d, err := db.OpenMigrated(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return auth.NewService(d, auth.NewHasher(1), org.NewService(d), config.Default())
}

func TestUserCreateThenTokenCreate(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		code, out, errOut := run(t, "kopi-toraja-21\n", "user", "create", "--db", dsn, "--email", "Admin@Makassarkota.go.id",
			"--name", "Andi Dottoro'ta", "--role", "superadmin", "--password-stdin")
		if code != 0 {
			t.Fatalf("user create: exit %d\n%s%s", code, out, errOut)
		}
		if !strings.Contains(out, "granted role superadmin city-wide") || strings.Contains(out, "kopi-toraja-21") {
			t.Errorf("user create printed:\n%s", out)
		}
		code, out, errOut = run(t, "", "token", "create", "--db", dsn, "--email", "admin@makassarkota.go.id")
		if code != 0 {
			t.Fatalf("token create: exit %d\n%s%s", code, out, errOut)
		}
		tok := lastLine(out)
		if !strings.HasPrefix(tok, auth.TokenPrefix) || strings.TrimSpace(out) != tok {
			t.Fatalf("token create printed %q; want the token alone on the last line", out)
		}
		s := authService(t, dsn)
		a, err := s.TokenActor(context.Background(), tok)
		if err != nil || a.Email != "admin@makassarkota.go.id" || !a.IsSuper() {
			t.Fatalf("the printed token: %+v, %v", a, err)
		}
		if _, _, _, err := s.SignIn(context.Background(), "admin@makassarkota.go.id", "kopi-toraja-21", "127.0.0.1", ""); err != nil {
			t.Errorf("sign in with the stdin password: %v", err)
		}
	})
}

func TestUserCreateGeneratesPasswordAndReset(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		code, out, errOut := run(t, "", "user", "create", "--db", dsn, "--email", "budi@x.id", "--name", "Budi", "--role", "expert")
		if code != 0 {
			t.Fatalf("user create: exit %d\n%s%s", code, out, errOut)
		}
		pw, ok := strings.CutPrefix(lastLine(out), "password (shown once): ")
		if !ok {
			t.Fatalf("no generated password on the last line:\n%s", out)
		}
		s := authService(t, dsn)
		ctx := context.Background()
		if _, _, _, err := s.SignIn(ctx, "budi@x.id", pw, "127.0.0.1", ""); err != nil {
			t.Fatalf("sign in with the generated password: %v", err)
		}
		code, out, errOut = run(t, "", "user", "reset-password", "--db", dsn, "--email", "budi@x.id")
		if code != 0 || !strings.Contains(out, "1 sessions ended") {
			t.Fatalf("reset-password: exit %d\n%s%s", code, out, errOut)
		}
		newPW, ok := strings.CutPrefix(lastLine(out), "new password (shown once): ")
		if !ok {
			t.Fatalf("no new password on the last line:\n%s", out)
		}
		_, _, _, err := s.SignIn(ctx, "budi@x.id", pw, "127.0.0.2", "")
		if errs.CodeOf(err) != errs.Unauthorized {
			t.Errorf("the old password still works: %v", err)
		}
		if _, _, _, err := s.SignIn(ctx, "budi@x.id", newPW, "127.0.0.3", ""); err != nil {
			t.Errorf("the new password: %v", err)
		}
	})
}

func TestUserCommandsRefuseBadInput(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		for _, c := range []struct {
			stdin string
			args  []string
			want  string
		}{
			{"kopi-toraja-21\n", []string{"user", "create", "--db", dsn, "--email", "c@x.id", "--name", "C", "--role", "employee", "--password-stdin"}, "agency"},
			{"short\n", []string{"user", "create", "--db", dsn, "--email", "c@x.id", "--name", "C", "--role", "expert", "--password-stdin"}, "password"},
			{"", []string{"user", "create", "--db", dsn, "--email", "c@x.id", "--name", "C", "--role", "expert", "--password-stdin"}, "no password"},
			{"", []string{"user", "create", "--db", dsn, "--email", "c@x.id", "--name", "C", "--role", "king"}, "role"},
			{"", []string{"token", "create", "--db", dsn, "--email", "nobody@x.id"}, "not found"},
			{"", []string{"token", "create", "--db", dsn}, "--email"},
			{"", []string{"user", "reset-password", "--db", dsn, "--email", "nobody@x.id"}, "not found"},
		} {
			code, out, errOut := run(t, c.stdin, c.args...)
			if code != 1 || !strings.Contains(strings.ToLower(errOut), c.want) {
				t.Errorf("%v: exit %d, stderr %q (stdout %q); want exit 1 naming %q", c.args, code, errOut, out, c.want)
			}
		}
	})
}
