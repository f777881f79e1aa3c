package cli_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/search"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// TestReindexRebuildsTheSearchIndex: after a restore that lost a ticket's
// search document and kept one of a ticket that is gone, `lontara reindex`
// puts the real ticket back, for its reporter, and drops the other.
func TestReindexRebuildsTheSearchIndex(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		d, err := db.OpenMigrated(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		h := servertest.Start(t, d)
		h.Agency(t, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		reporter := h.SignIn(t, "rizal@makassarkota.go.id",
			h.User(t, "rizal@makassarkota.go.id", "Muhammad Rizal", policy.Employee, "DISKOMINFO"))
		agent := h.SignIn(t, "aisyah@makassarkota.go.id",
			h.User(t, "aisyah@makassarkota.go.id", "Nur Aisyah", policy.Agent, ""))
		r := h.Do(t, "POST", "/api/v1/tickets", h.Token(t, "rizal@makassarkota.go.id"),
			map[string]any{"subject": "Printer lantai dua macet", "category": "network"}, "")
		if r.Status != 201 {
			t.Fatalf("filing: %d %s", r.Status, r.Body)
		}
		if err := d.Tx(ctx, func(tx *sql.Tx) error {
			var id int64
			if err := tx.QueryRowContext(ctx, `SELECT id FROM tickets`).Scan(&id); err != nil {
				return err
			}
			if err := search.Remove(ctx, tx, search.KindTicket, id); err != nil {
				return err
			}
			return search.Put(ctx, tx, search.Doc{Kind: search.KindTicket, ID: id + 1000, Ref: "T-009999",
				Title: "Tiket hantu yang sudah dihapus", Audience: []string{search.Desk}})
		}); err != nil {
			t.Fatal(err)
		}
		reporter.Get("/cari?q=printer").Lacks(t, "the search before the rebuild", "T-000001")
		agent.Get("/cari?q=hantu").Want(t, 200, "the search before the rebuild", "T-009999")

		code, out, errOut := run(t, "", "reindex", "--db", dsn)
		if want := "search index rebuilt: 1 tickets, 0 articles, 0 posts"; code != 0 || lastLine(out) != want {
			t.Fatalf("reindex: exit %d\n%s%s\nwant %q", code, out, errOut, want)
		}
		reporter.Get("/cari?q=printer").Want(t, 200, "the reporter's search after the rebuild", "T-000001", "Printer lantai dua macet")
		agent.Get("/cari?q=hantu").Lacks(t, "the search after the rebuild", "T-009999")
	})
}
