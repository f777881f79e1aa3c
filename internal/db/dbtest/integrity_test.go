package dbtest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// TestIntegrityFindsAnOrphan checks the checker: a fresh database passes,
// and a row whose parent is missing — written with the engine's
// foreign-key checks off, as a torn write or a bad restore would leave
// it — is named.
func TestIntegrityFindsAnOrphan(t *testing.T) {
	Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		Integrity(t, d)
		// One connection, so the switch holds for the insert.
		conn, err := d.W.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		off, on := `PRAGMA foreign_keys = OFF`, `PRAGMA foreign_keys = ON`
		if d.Engine() == db.Postgres {
			off, on = `SET session_replication_role = replica`, `SET session_replication_role = origin`
		}
		if _, err := conn.ExecContext(ctx, off); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.ExecContext(ctx, `INSERT INTO units (agency_id, name, created_at) VALUES (424242, 'Bagian Umum', $1)`,
			time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.ExecContext(ctx, on); err != nil {
			t.Fatal(err)
		}
		conn.Close() // the check needs it: SQLite's writer is this one connection
		problems, err := integrityProblems(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if len(problems) != 1 || !strings.Contains(problems[0], "units") {
			t.Errorf("want the orphan unit named once, got %q", problems)
		}
	})
}
