package cli_test

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/db/transfer"
	"github.com/lontara-id/lontara/internal/demo"
)

// TestRestoreRefusesBadInput restores, into a database of the source's
// engine, a backup file that is missing, not a backup, cut short, edited
// behind its manifest's back, or of a newer schema, and a good backup into
// a database that holds data: each is a clear error, exit 1, and the
// target is as it was. --replace then overwrites the target, all of it.
func TestRestoreRefusesBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := demo.LoadCity(ctx, d, demo.Options{Employees: 50}); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		good := filepath.Join(dir, "good.tar.gz")
		if code, out, errOut := run(t, "", "backup", "--db", d.DSN, "--to", good); code != 0 {
			t.Fatalf("backup: exit %d\n%s%s", code, out, errOut)
		}
		if code, _, errOut := run(t, "", "backup", "--db", d.DSN, "--to", good); code != 1 || !strings.Contains(errOut, "exists; a backup never overwrites a file") {
			t.Errorf("a backup over an existing file: exit %d, %q", code, errOut)
		}
		m, err := transfer.ReadManifest(good)
		if err != nil {
			t.Fatal(err)
		}
		garbage := filepath.Join(dir, "garbage.tar.gz")
		write(t, garbage, []byte("bukan cadangan"))
		cut := filepath.Join(dir, "cut.tar.gz")
		whole, _ := os.ReadFile(good)
		write(t, cut, whole[:len(whole)/2])
		edited := rewrite(t, good, "edited", nil, `UPDATE employees SET name = name || '.' WHERE id = (SELECT min(id) FROM employees)`)
		newer := rewrite(t, good, "newer", func(m map[string]any) { m["schema_version"] = 9999 }, "")
		other := rewrite(t, good, "other", func(m map[string]any) { m["format"] = "pg_dump" }, "")

		target := dbtest.DSN(t, d.Engine())
		cases := []struct{ name, from, want string }{
			{"missing", filepath.Join(dir, "nothing.tar.gz"), "no such file"},
			{"not a backup", garbage, "not a Lontara backup (not gzip-compressed"},
			{"cut short", cut, "the backup file is damaged"},
			{"edited", edited, "differs from its manifest: employees: "},
			{"newer", newer, "the backup is at schema version 9999, this lontara at"},
			{"other format", other, `format "pg_dump"`},
		}
		for _, c := range cases {
			code, out, errOut := run(t, "", "restore", "--from", c.from, "--db", target)
			if code != 1 || !strings.Contains(errOut, c.want) {
				t.Errorf("%s: exit %d, stderr %q, stdout %q; want exit 1 and %q", c.name, code, errOut, out, c.want)
			}
		}
		if d.Engine() == db.SQLite {
			if _, err := os.Stat(target); !os.IsNotExist(err) {
				t.Errorf("the refused restores made %s: %v", target, err)
			}
			leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(target), ".lontara-restore-*"))
			if len(leftovers) > 0 {
				t.Errorf("the refused restores left %v", leftovers)
			}
		}

		// A good backup into a database with data: refused, saying what it
		// holds; with --replace, overwritten.
		full := dbtest.DSN(t, d.Engine())
		if code, out, errOut := run(t, "", "restore", "--from", good, "--db", full); code != 0 {
			t.Fatalf("restore: exit %d\n%s%s", code, out, errOut)
		}
		fd, err := db.Open(ctx, full)
		if err != nil {
			t.Fatal(err)
		}
		defer fd.Close()
		if _, err := fd.W.Exec(`INSERT INTO agencies (code, name, type, created_at, updated_at) VALUES ('X', 'Dinas X', 'dinas', $1, $1)`, m.TakenAt); err != nil {
			t.Fatal(err)
		}
		_, held, err := transfer.Checksums(ctx, full)
		if err != nil {
			t.Fatal(err)
		}
		code, _, errOut := run(t, "", "restore", "--from", good, "--db", full)
		if code != 1 || !strings.Contains(errOut, "the target database already holds data: it holds") ||
			!strings.Contains(errOut, "run again with --replace") || !strings.Contains(errOut, "survey_answers ") {
			t.Errorf("a restore into a database with data: exit %d, %q", code, errOut)
		}
		if _, now, _ := transfer.Checksums(ctx, full); !slices.Equal(now, held) {
			t.Error("the refused restore changed the target")
		}
		if d.Engine() == db.SQLite { // sqlite-only: a server holds the file open
			code, _, errOut := run(t, "", "restore", "--from", good, "--db", full, "--replace")
			if code != 1 || !strings.Contains(errOut, "is in use (is lontara serve running on it?)") {
				t.Errorf("a restore over a SQLite file in use: exit %d, %q", code, errOut)
			}
		}
		fd.Close()
		if code, out, errOut := run(t, "", "restore", "--from", good, "--db", full, "--replace"); code != 0 {
			t.Fatalf("restore --replace: exit %d\n%s%s", code, out, errOut)
		}
		if _, now, _ := transfer.Checksums(ctx, full); !slices.Equal(now, m.Tables) {
			t.Errorf("after --replace the target differs from the backup:\n got %v\nwant %v", now, m.Tables)
		}
	})
}

// TestRestoreMigratesAnOlderBackup restores a backup taken by the lontara
// before the last migration: it is checked against its manifest as it
// was, migrated to this binary's schema, and restored with its rows.
func TestRestoreMigratesAnOlderBackup(t *testing.T) {
	for _, to := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(to), func(t *testing.T) {
			ctx := context.Background()
			file := filepath.Join(t.TempDir(), "lontara.db")
			old, err := db.Open(ctx, file) // sqlite-only: a backup's database is a SQLite file; restored to both engines
			if err != nil {
				t.Fatal(err)
			}
			list, err := db.Migrations(db.SQLite)
			if err != nil {
				t.Fatal(err)
			}
			last, before := list[len(list)-1].Version, list[len(list)-2].Version
			if _, err := old.W.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)`); err != nil {
				t.Fatal(err)
			}
			for _, m := range list[:len(list)-1] { // as the lontara before the last migration left it
				if _, err := old.W.Exec(m.SQL); err != nil {
					t.Fatalf("%s: %v", m.Name, err)
				}
				if _, err := old.W.Exec(`INSERT INTO schema_migrations VALUES ($1, $2, $3)`, m.Version, m.Name, time.Now().UTC()); err != nil {
					t.Fatal(err)
				}
			}
			agency := dbtest.Agency(t, old, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
			dbtest.Person(t, old, agency, "Andi Makkasau", "andi@makassarkota.go.id")
			old.Close()
			v, sums, err := transfer.Checksums(ctx, file)
			if err != nil || v != before {
				t.Fatalf("the older database: version %d (want %d), %v", v, before, err)
			}
			backup := pack(t, "older", map[string]any{"format": transfer.Format, "schema_version": v, "engine": "sqlite",
				"lontara": "v0.8.0", "tables": sums}, file)

			target := dbtest.DSN(t, to)
			code, out, errOut := run(t, "", "restore", "--from", backup, "--db", target)
			if code != 0 || !strings.Contains(errOut, fmt.Sprintf("migrated the backup from schema version %d to %d", before, last)) {
				t.Fatalf("restore an older backup: exit %d\n%s%s", code, out, errOut)
			}
			restored, err := db.Open(ctx, target)
			if err != nil {
				t.Fatal(err)
			}
			defer restored.Close()
			if v, err := restored.Version(ctx); err != nil || v != last {
				t.Errorf("the restored database is at version %d (%v), want %d", v, err, last)
			}
			if n := countOf(t, restored, `SELECT count(*) FROM employees WHERE email = 'andi@makassarkota.go.id'`); n != 1 {
				t.Errorf("the older backup's employee: %d rows restored", n)
			}
		})
	}
}

// TestBackupRefusesBadInput checks the backup's own mistakes: nothing to
// back up, and no file left behind.
func TestBackupRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	to := filepath.Join(dir, "b.tar.gz")
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no to", []string{"--db", filepath.Join(dir, "kota.db")}, "both --db"},
		{"missing database", []string{"--db", filepath.Join(dir, "kota.db"), "--to", to}, "no such file"},
		{"unreachable", []string{"--db", "postgres://lontara:rahasia@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", "--to", to}, "--db"},
	} {
		code, out, errOut := run(t, "", append([]string{"backup"}, c.args...)...)
		if code != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d, stderr %q, stdout %q; want exit 1 and %q", c.name, code, errOut, out, c.want)
		}
		if strings.Contains(errOut+out, "rahasia") {
			t.Errorf("%s: the password is printed: %q", c.name, errOut)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Errorf("the refused backups left %v", left)
	}
}

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// rewrite unpacks the backup at src, changes its manifest with edit and
// its database with the SQL statement change (either may be empty), and
// packs it again as a new file named name: a backup whole as a file, wrong
// inside.
func rewrite(t *testing.T, src, name string, edit func(map[string]any), change string) string {
	t.Helper()
	dir := t.TempDir()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	var manifest map[string]any
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if h.Name == "manifest.json" {
			if err := json.Unmarshal(b, &manifest); err != nil {
				t.Fatal(err)
			}
			continue
		}
		write(t, filepath.Join(dir, h.Name), b)
	}
	file := filepath.Join(dir, "lontara.db")
	if change != "" {
		lite, err := sql.Open("sqlite", "file:"+file)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := lite.Exec(change); err != nil {
			t.Fatal(err)
		}
		if _, err := lite.Exec(`PRAGMA journal_mode = DELETE`); err != nil { // the change in the file itself
			t.Fatal(err)
		}
		lite.Close()
	}
	if edit != nil {
		edit(manifest)
	}
	return pack(t, name, manifest, file)
}

// pack writes a backup file named name of the manifest and the database
// file, with the database's size and checksum in the manifest made to fit.
func pack(t *testing.T, name string, manifest map[string]any, file string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	manifest["db_sha256"], manifest["db_bytes"] = hex.EncodeToString(sum[:]), len(b)
	mb, _ := json.Marshal(manifest)
	out := filepath.Join(t.TempDir(), name+".tar.gz")
	o, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	zw := gzip.NewWriter(o)
	tw := tar.NewWriter(zw)
	for _, e := range []struct {
		name string
		b    []byte
	}{{"manifest.json", mb}, {"lontara.db", b}} {
		if err := tw.WriteHeader(&tar.Header{Name: e.name, Mode: 0o600, Size: int64(len(e.b))}); err != nil {
			t.Fatal(err)
		}
		tw.Write(e.b)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}
