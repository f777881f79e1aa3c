package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/cli"
	"github.com/lontara-id/lontara/internal/db"
)

// TestMigrateCheckAndRefusal: `migrate --check` lists what would run and
// runs nothing; on a database a newer Lontara migrated, migrate, the check
// and serve all refuse with the versions named and exit non-zero.
func TestMigrateCheckAndRefusal(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		list, err := db.Migrations(db.SQLite)
		if err != nil {
			t.Fatal(err)
		}
		d, err := db.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()

		code, out, errOut := run(t, "", "migrate", "--check", "--db", dsn)
		want := fmt.Sprintf("database at schema version 0, %d migrations to apply (nothing was changed)", len(list))
		if code != 0 || !strings.Contains(out, "would apply "+list[0].Name) || lastLine(out) != want {
			t.Fatalf("migrate --check on a new database: exit %d\n%s%s", code, out, errOut)
		}
		var tables int
		if err := d.R.QueryRow(countTables(d)).Scan(&tables); err != nil || tables != 0 {
			t.Fatalf("the check left %d tables, %v", tables, err)
		}
		if code, out, errOut := run(t, "", "migrate", "--db", dsn); code != 0 {
			t.Fatalf("migrate: exit %d\n%s%s", code, out, errOut)
		}
		code, out, _ = run(t, "", "migrate", "--check", "--db", dsn)
		if code != 0 || !strings.HasSuffix(out, ", 0 migrations to apply (nothing was changed)\n") {
			t.Errorf("migrate --check on an up-to-date database: exit %d\n%s", code, out)
		}

		if _, err := d.W.Exec(`INSERT INTO schema_migrations (version, name, applied_at, checksum) VALUES (9999, '9999_future', $1, 'x')`,
			time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"migrate"}, {"migrate", "--check"}} {
			code, out, errOut := run(t, "", append(args, "--db", dsn)...)
			if code != 1 || !strings.Contains(errOut, "newer than this lontara's") || !strings.Contains(errOut, "9999_future") {
				t.Errorf("%v on a newer database: exit %d, stdout %q, stderr %q; want the refusal", args, code, out, errOut)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		var sout, serr bytes.Buffer
		code = cli.Run(ctx, []string{"serve", "--db", dsn, "--addr", "127.0.0.1:0"}, cli.IO{Stdin: strings.NewReader(""), Stdout: &sout, Stderr: &serr})
		if code != 1 || !strings.Contains(serr.String(), "cannot be migrated by this lontara") || strings.Contains(serr.String(), "listening") {
			t.Errorf("serve on a newer database: exit %d, stdout %q, stderr %q; want the refusal", code, sout.String(), serr.String())
		}
	})
}

func countTables(d *db.DB) string {
	if d.Engine() == db.Postgres {
		return `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()`
	}
	return `SELECT count(*) FROM sqlite_master WHERE type = 'table'`
}
