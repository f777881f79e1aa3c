package cli_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/db/transfer"
	"github.com/lontara-id/lontara/internal/demo"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// filed is a ticket or a reply the server acknowledged, and whether it
// was acknowledged before the backup began.
type filed struct {
	number, text string
	before       bool
}

// TestBackupUnderLoadRestoresEveryTable backs up a city on each engine
// while four clients keep filing tickets and replies through the running
// server, then restores the backup into a new database of each engine and
// compares every table:
//   - every table's rows and checksum in the restored database equal the
//     manifest's (read again here, apart from the restore's own check);
//   - the tables the load did not write equal the source's, so the
//     manifest is the source's data and not some other;
//   - every ticket and reply acknowledged before the backup began is
//     there, and every restored one exists in the source: one snapshot,
//     nothing invented;
//
// and the server runs on the restored database: the demo superadmin signs
// in and a ticket filed under load opens.
func TestBackupUnderLoadRestoresEveryTable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		res, err := demo.LoadCity(ctx, d, demo.Options{Employees: 300})
		if err != nil {
			t.Fatal(err)
		}
		h := servertest.Start(t, d)
		tok := h.Token(t, res.SuperadminEmail)
		r := h.Do(t, "POST", "/api/v1/tickets", tok, map[string]any{"subject": "Tangkapan layar galat", "category": "other"}, "")
		var first struct{ Number string }
		r.JSON(t, &first)
		shot := attach(t, h, tok, first.Number)
		_, untouched, err := transfer.Checksums(ctx, d.DSN)
		if err != nil {
			t.Fatal(err)
		}

		var started atomic.Bool // set as the backup begins
		var mu sync.Mutex
		var acked []filed
		var during atomic.Int64 // acknowledged while the backup ran
		stop := make(chan struct{})
		var wg sync.WaitGroup
		write := func(w int) {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				subject := fmt.Sprintf("Beban %d-%d: aplikasi SIMPEG lambat", w, i)
				r := h.Do(t, "POST", "/api/v1/tickets", tok, map[string]any{"subject": subject, "category": "other"}, "")
				var tk struct{ Number string }
				if r.Status != 201 {
					t.Errorf("writer %d: file a ticket: %d %s", w, r.Status, r.Body)
					return
				}
				r.JSON(t, &tk)
				before := !started.Load()
				body := fmt.Sprintf("Balasan %d-%d", w, i)
				r = h.Do(t, "POST", "/api/v1/tickets/"+tk.Number+"/replies", tok, map[string]any{"body": body}, "")
				if r.Status != 201 {
					t.Errorf("writer %d: reply to %s: %d %s", w, tk.Number, r.Status, r.Body)
					return
				}
				replyBefore := !started.Load()
				if !replyBefore {
					during.Add(1)
				}
				mu.Lock()
				acked = append(acked, filed{tk.Number, subject, before}, filed{tk.Number, body, replyBefore})
				mu.Unlock()
			}
		}
		for w := range 4 {
			wg.Go(func() { write(w) })
		}
		for { // some load first
			mu.Lock()
			n := len(acked)
			mu.Unlock()
			if n >= 40 || t.Failed() {
				break
			}
		}
		file := filepath.Join(t.TempDir(), "kota.lontara.tar.gz")
		started.Store(true)
		code, out, errOut := run(t, "", "backup", "--db", d.DSN, "--to", file)
		duringBackup := during.Load()
		close(stop)
		wg.Wait()
		if code != 0 {
			t.Fatalf("backup: exit %d\n%s%s", code, out, errOut)
		}
		if !strings.Contains(out, "backed up ") || !strings.Contains(errOut, "wrote "+file) {
			t.Errorf("backup printed %q, progress %q", out, errOut)
		}
		t.Logf("%d writes acknowledged before the backup, %d while it ran", countBefore(acked), duringBackup)
		if duringBackup == 0 {
			t.Error("no write was acknowledged while the backup ran: the test did not take it under load")
		}
		m, err := transfer.ReadManifest(file)
		if err != nil {
			t.Fatal(err)
		}
		_, now, err := transfer.Checksums(ctx, d.DSN)
		if err != nil {
			t.Fatal(err)
		}
		if m.Engine != d.Engine() || m.Rows() == 0 || len(m.Tables) != len(now) {
			t.Fatalf("manifest: %s, %d rows in %d tables; the source has %d tables", m.Engine, m.Rows(), len(m.Tables), len(now))
		}
		for _, to := range []db.Engine{db.SQLite, db.Postgres} {
			t.Run("to "+string(to), func(t *testing.T) {
				target := dbtest.DSN(t, to)
				code, out, errOut := run(t, "", "restore", "--from", file, "--db", target)
				if code != 0 {
					t.Fatalf("restore: exit %d\n%s%s", code, out, errOut)
				}
				if !strings.Contains(out, "every count and checksum matches") || !strings.Contains(errOut, "checked every table against the manifest") {
					t.Errorf("restore printed %q, progress %q", out, errOut)
				}
				_, got, err := transfer.Checksums(ctx, target)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got, m.Tables) {
					t.Errorf("the restored tables differ from the manifest:\n got %v\nwant %v", got, m.Tables)
				}
				compareUntouched(t, untouched, now, got)
				restored, err := db.Open(ctx, target)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { restored.Close() })
				lastBefore := checkAcked(t, d, restored, acked)
				// internal/calendar compares holidays.day with text: it
				// must be text in a SQLite file restored from PostgreSQL.
				q := `SELECT count(*) FROM holidays WHERE day >= '2026-01-01'`
				if a, b := countOf(t, d, q), countOf(t, restored, q); a != b || a == 0 {
					t.Errorf("%s: %d in the source, %d restored", q, a, b)
				}

				h := servertest.Start(t, restored)
				c := h.SignIn(t, res.SuperadminEmail, res.Password)
				c.Get("/layanan/"+lastBefore.number).Want(t, 200, "a ticket filed under load", lastBefore.number)
				if r := h.Do(t, "GET", shot, tok, nil, ""); r.Status != 200 || string(r.Body) != string(pngBytes(t)) {
					t.Errorf("the attachment in the restored database: %d, %d bytes", r.Status, len(r.Body))
				}
			})
		}
	})
}

// compareUntouched checks that the tables the load did not write (their
// checksums before and after it equal) are in the restored database as in
// the source.
func compareUntouched(t *testing.T, before, after, restored []transfer.TableSum) {
	t.Helper()
	same := 0
	for i, b := range before {
		if b != after[i] {
			continue
		}
		same++
		if restored[i] != b {
			t.Errorf("%s, which the load did not write: restored %d rows %.16s, source %d rows %.16s",
				b.Name, restored[i].Rows, restored[i].SHA256, b.Rows, b.SHA256)
		}
	}
	if same < len(before)/2 {
		t.Errorf("only %d of %d tables kept their checksum under the load", same, len(before))
	}
}

// checkAcked checks that every ticket subject and reply acknowledged before
// the backup began is in the restored database, and that the restored
// database holds no ticket or reply of the load the source lacks. It
// returns the last ticket acknowledged before the backup.
func checkAcked(t *testing.T, source, restored *db.DB, acked []filed) filed {
	t.Helper()
	texts := func(d *db.DB) map[string]bool {
		rows, err := d.R.Query(`SELECT subject FROM tickets WHERE subject LIKE 'Beban %'
			UNION ALL SELECT body FROM ticket_messages WHERE body LIKE 'Balasan %'`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		set := map[string]bool{}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			set[s] = true
		}
		return set
	}
	inSource, inRestored := texts(source), texts(restored)
	var last filed
	for _, a := range acked {
		if a.before && !inRestored[a.text] {
			t.Errorf("%s %q was acknowledged before the backup began but is not restored", a.number, a.text)
		}
		if a.before {
			last = a
		}
	}
	for s := range inRestored {
		if !inSource[s] {
			t.Errorf("the restored database has %q, which the source lacks", s)
		}
	}
	if last.number == "" {
		t.Fatal("nothing was acknowledged before the backup")
	}
	return last
}

func countBefore(acked []filed) (n int) {
	for _, a := range acked {
		if a.before {
			n++
		}
	}
	return n
}

func countOf(t *testing.T, d *db.DB, query string) (n int64) {
	t.Helper()
	if err := d.R.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
