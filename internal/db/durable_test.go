package db_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
)

// TestDurabilityWarnings: SQLite as Lontara opens it gives none; on
// PostgreSQL a connection with synchronous_commit off is named, and one
// with it on is not (fsync and full_page_writes are the server's, which
// a test cannot change, so they are left out).
func TestDurabilityWarnings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if d.Engine() == db.SQLite {
			if w, err := d.DurabilityWarnings(ctx); err != nil || len(w) > 0 {
				t.Errorf("SQLite: %q, %v; want none", w, err)
			}
			return
		}
		for _, setting := range []string{"off", "on"} {
			p, err := db.Open(ctx, d.DSN+"&synchronous_commit="+setting)
			if err != nil {
				t.Fatal(err)
			}
			w, err := p.DurabilityWarnings(ctx)
			p.Close()
			if err != nil {
				t.Fatal(err)
			}
			named := strings.Contains(strings.Join(w, "\n"), "synchronous_commit=off")
			if named != (setting == "off") {
				t.Errorf("synchronous_commit=%s: warnings %q", setting, w)
			}
		}
	})
}
