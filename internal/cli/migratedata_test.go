package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"image"
	"image/png"
	"mime/multipart"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/demo"
	"github.com/lontara-id/lontara/internal/rollup"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// TestMigrateDataMovesTheDemoCity moves the demo city, with a ticket filed
// through the running server, from its SQLite file to PostgreSQL while the
// city stays open, then serves the PostgreSQL copy: the demo accounts sign
// in, the ticket's page opens, search finds the ticket and new rows get
// fresh ids.
func TestMigrateDataMovesTheDemoCity(t *testing.T) {
	ctx := context.Background()
	city := dbtest.SQLite(t) // sqlite-only: the move's source is a SQLite file
	res, err := demo.LoadCity(ctx, city, demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	running := servertest.Start(t, city)
	tok := running.Token(t, res.SuperadminEmail)
	r := running.Do(t, "POST", "/api/v1/tickets", tok, map[string]any{
		"subject": "Printer jaringan Bappeda tidak terdeteksi", "category": "other"}, "")
	if r.Status != 201 {
		t.Fatalf("file a ticket: %d %s", r.Status, r.Body)
	}
	var filed struct{ Number string }
	r.JSON(t, &filed)
	shot := attach(t, running, tok, filed.Number)

	to := dbtest.DSN(t, db.Postgres)
	code, out, errOut := run(t, "", "migrate-data", "--from", city.DSN, "--to", to)
	if code != 0 {
		t.Fatalf("migrate-data: exit %d\n%s%s", code, out, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[0], "table") || !strings.Contains(lines[len(lines)-1], "every count and checksum matches") {
		t.Fatalf("migrate-data printed:\n%s", out)
	}
	pg, err := db.Open(ctx, to)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	tables := compareTables(t, city, pg)
	if len(lines) != len(tables)+2 {
		t.Errorf("migrate-data printed %d lines for %d tables:\n%s", len(lines), len(tables), out)
	}

	// The roll-ups stay behind and are built on the target from the moved
	// rows: the same figures as the file's own.
	now := time.Now()
	for _, d := range []*db.DB{city, pg} {
		if err := rollup.New(d, time.UTC).Rebuild(ctx, now); err != nil {
			t.Fatal(err)
		}
	}
	sums := func(d *db.DB) string {
		var n, sum int64
		if err := d.R.QueryRow(`SELECT count(*), coalesce(sum(n + m + k), 0) FROM rollup_days`).Scan(&n, &sum); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(n, " days, sum ", sum)
	}
	if a, b := sums(city), sums(pg); a != b || strings.HasPrefix(a, "0 ") {
		t.Errorf("roll-ups: %s in SQLite, %s in PostgreSQL", a, b)
	}

	h := servertest.Start(t, pg)
	c := h.SignIn(t, res.SuperadminEmail, res.Password)
	c.Get("/layanan/"+filed.Number).Want(t, 200, "the ticket's page", "Printer jaringan Bappeda")
	c.Get("/layanan/T-000001").Want(t, 200, "a demo ticket's page", "T-000001")
	c.Get("/cari?q=printer+bappeda").Want(t, 200, "search", filed.Number)
	if r := h.Do(t, "GET", shot, tok, nil, ""); r.Status != 200 || !bytes.Equal(r.Body, pngBytes(t)) {
		t.Errorf("the attachment on PostgreSQL: %d, %d bytes", r.Status, len(r.Body))
	}
	r = h.Do(t, "POST", "/api/v1/tickets", tok, map[string]any{"subject": "Jaringan putus", "category": "other"}, "")
	if r.Status != 201 {
		t.Fatalf("file a ticket on PostgreSQL: %d %s", r.Status, r.Body)
	}
	var next struct{ Number string }
	r.JSON(t, &next)
	var maxID int64
	if err := city.R.QueryRow(`SELECT max(id) FROM tickets`).Scan(&maxID); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("T-%06d", maxID+1); next.Number != want {
		t.Errorf("the first ticket on PostgreSQL is %s, want %s (the sequence follows the copied ids)", next.Number, want)
	}
}

// attach sends a PNG to the ticket and returns where its bytes are read.
func attach(t *testing.T, h *servertest.Harness, tok, number string) string {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	w, err := mw.CreateFormFile("file", "layar.png")
	if err != nil {
		t.Fatal(err)
	}
	w.Write(pngBytes(t))
	mw.Close()
	r := h.Do(t, "POST", "/api/v1/tickets/"+number+"/attachments", tok, buf.Bytes(), mw.FormDataContentType())
	var reply struct{ Attachments []struct{ ID int64 } }
	r.JSON(t, &reply)
	if r.Status != 201 || len(reply.Attachments) != 1 {
		t.Fatalf("attach a file: %d %s", r.Status, r.Body)
	}
	return fmt.Sprintf("/api/v1/attachments/%d/content", reply.Attachments[0].ID)
}

// pngBytes is a small image: bytes that are not text.
func pngBytes(t *testing.T) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// compareTables checks, apart from the command's own verification, that
// every table holds as many rows on both engines and that the biggest
// tables are not empty; it returns the tables compared.
func compareTables(t *testing.T, city, pg *db.DB) []string {
	t.Helper()
	rows, err := pg.R.Query(`SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'
			AND table_name NOT LIKE 'rollup\_%'`) // derived: built again on the target (transfer.copied)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	for _, name := range tables {
		want, got := count(t, city.R, name), count(t, pg.R, name)
		if want != got {
			t.Errorf("%s: %d rows in SQLite, %d in PostgreSQL", name, want, got)
		}
	}
	for _, name := range []string{"employees", "accounts", "tickets", "ticket_messages", "ticket_attachments", "survey_responses", "search_docs"} {
		if count(t, pg.R, name) == 0 {
			t.Errorf("%s is empty: the demo city should fill it", name)
		}
	}
	return tables
}

func count(t *testing.T, q *sql.DB, table string) int64 {
	t.Helper()
	var n int64
	if err := q.QueryRow(fmt.Sprintf(`SELECT count(*) FROM %s`, table)).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// TestMigrateDataRefusesBadInput checks that each mistake is a clear error
// and writes nothing.
func TestMigrateDataRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	city := dbtest.SQLite(t) // sqlite-only: the move's source is a SQLite file
	if _, err := demo.LoadCity(ctx, city, demo.Options{Employees: 50}); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "nothing.db")
	to := dbtest.DSN(t, db.Postgres)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no from", []string{"--to", to}, "both --from"},
		{"from missing", []string{"--from", missing, "--to", to}, "no such file"},
		{"to not postgres", []string{"--from", city.DSN, "--to", filepath.Join(t.TempDir(), "other.db")}, "--to must be a postgres:// URL"},
		{"to unreachable", []string{"--from", city.DSN, "--to", "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2"}, "--to"},
	}
	for _, c := range cases {
		code, out, errOut := run(t, "", append([]string{"migrate-data"}, c.args...)...)
		if code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d, stderr %q, stdout %q; want an error with %q", c.name, code, errOut, out, c.want)
		}
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("migrate-data created the missing --from file: %v", err)
	}

	t.Run("schema version", func(t *testing.T) {
		old := filepath.Join(t.TempDir(), "old.db")
		d, err := db.OpenMigrated(ctx, old)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.Exec(`DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)`); err != nil {
			t.Fatal(err)
		}
		d.Close()
		code, _, errOut := run(t, "", "migrate-data", "--from", old, "--to", to)
		if code == 0 || !strings.Contains(errOut, "run 'lontara migrate --db "+old+"' on it first") {
			t.Errorf("exit %d, stderr %q; want the advice to migrate the file first", code, errOut)
		}
	})

	t.Run("target not empty", func(t *testing.T) {
		target, err := db.OpenMigrated(ctx, to)
		if err != nil {
			t.Fatal(err)
		}
		defer target.Close()
		if _, err := target.W.Exec(`INSERT INTO agencies (code, name, type, created_at, updated_at) VALUES ('X', 'Dinas X', 'dinas', now(), now())`); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := run(t, "", "migrate-data", "--from", city.DSN, "--to", to)
		if code == 0 || !strings.Contains(errOut, "the target already has data: table agencies holds 1 rows") {
			t.Errorf("exit %d, stderr %q, stdout %q; want the refusal naming agencies", code, errOut, out)
		}
		if n := count(t, target.R, "employees"); n != 0 {
			t.Errorf("the refused target got %d employees", n)
		}
	})
}
