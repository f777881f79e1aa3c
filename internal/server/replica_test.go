package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/loindex"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// TestDashboardsAndReportsReadTheReplica runs Lontara with a streaming
// replica as --db-read and stops the replica's replay: a ticket filed
// then is on its page and in the queue at once (the primary), but the
// help desk report, its CSV and the LO index do not count it until replay
// resumes (the replica); a reply posted meanwhile lands on the primary.
// SQLite has no replicas: there OpenReplica refuses.
func TestDashboardsAndReportsReadTheReplica(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if d.Engine() == db.SQLite {
			if _, err := d.OpenReplica(ctx, "postgres://postgres@127.0.0.1:55433/egov", db.DefaultReplicaMaxLag); err == nil ||
				!strings.Contains(err.Error(), "needs PostgreSQL") {
				t.Fatalf("a replica of SQLite: %v", err)
			}
			return
		}
		replicaDSN := dbtest.Replica(t, d.DSN)
		if standby, err := d.OpenReplica(ctx, replicaDSN, db.DefaultReplicaMaxLag); err != nil || !standby {
			t.Fatalf("OpenReplica: standby %v, %v", standby, err)
		}
		dbtest.ReadsFromReplica(t, d)
		h := servertest.Start(t, d)
		h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		h.Agency(t, "DINKES", "Dinas Kesehatan", "dinas")
		pw := h.Users(t,
			servertest.Person{Email: "nuraini@makassarkota.go.id", Name: "Nur'aini", Role: policy.Employee, Agency: "DINKES"},
			servertest.Person{Email: "agen@makassarkota.go.id", Name: "Agen Help Desk", Role: policy.Agent, Agency: "KOMINFO"},
			servertest.Person{Email: "wali@makassarkota.go.id", Name: "Wali Kota", Role: policy.Executive})
		reporter, agentToken, exec := h.Token(t, "nuraini@makassarkota.go.id"), h.Token(t, "agen@makassarkota.go.id"),
			h.Token(t, "wali@makassarkota.go.id")
		file := func(subject string) string {
			t.Helper()
			r := h.Do(t, "POST", "/api/v1/tickets", reporter, map[string]any{"subject": subject, "category": "other"}, "")
			var tk struct{ Number string }
			r.JSON(t, &tk)
			if r.Status != http.StatusCreated || tk.Number == "" {
				t.Fatalf("file %s: %d %s", subject, r.Status, r.Body)
			}
			return tk.Number
		}
		reported := func() int { // the help desk report's count of this month's tickets
			t.Helper()
			r := h.Do(t, "GET", "/api/v1/reports/helpdesk", agentToken, nil, "")
			var rep helpdesk.Report
			r.JSON(t, &rep)
			if r.Status != http.StatusOK {
				t.Fatalf("the report: %d %s", r.Status, r.Body)
			}
			return rep.Tickets
		}
		// indexed is the tickets the city's LO index counts this quarter. The
		// index sums the roll-ups, which a refresh writes on the primary and
		// the index reads from the replica: the refresh is done first and,
		// unless replay is paused, the replica waits to have it.
		indexed := func(paused bool) float64 {
			t.Helper()
			if _, err := h.Svc.LOIndex.Rollups().Refresh(ctx, time.Now()); err != nil {
				t.Fatal(err)
			}
			if !paused {
				dbtest.CatchUp(t, d.W, replicaDSN)
			}
			h.Svc.LOIndex.SetClock(time.Now) // forget the figures held in memory: read them again
			r := h.Do(t, "GET", "/api/v1/lo-index", exec, nil, "")
			var x loindex.Index
			r.JSON(t, &x)
			for _, in := range x.Inputs {
				if in.Key == loindex.InputSelfService {
					return in.Denominator // self-solved problems and tickets; none solved by self-service here
				}
			}
			t.Fatalf("the LO index: %d %s, no %s input", r.Status, r.Body, loindex.InputSelfService)
			return 0
		}
		file("Printer macet")
		dbtest.CatchUp(t, d.W, replicaDSN)
		if n, x := reported(), indexed(false); n != 1 || x != 1 {
			t.Fatalf("before the pause: the report counts %d tickets, the index %v; want 1", n, x)
		}

		resume := dbtest.PauseReplay(t)
		number := file("SIMPEG tidak bisa dibuka")
		if r := h.Do(t, "GET", "/api/v1/tickets/"+number, reporter, nil, ""); r.Status != http.StatusOK {
			t.Errorf("the new ticket from the primary: %d %s", r.Status, r.Body)
		}
		agent := h.SignIn(t, "agen@makassarkota.go.id", pw["agen@makassarkota.go.id"])
		agent.Get("/layanan").Want(t, http.StatusOK, "the queue", number)
		if n, x := reported(), indexed(true); n != 1 || x != 1 {
			t.Errorf("replay paused: the report counts %d tickets, the index %v; want 1: they read the primary", n, x)
		}
		csv := agent.Get("/layanan/laporan.csv")
		agent.Get("/layanan/laporan").Want(t, http.StatusOK, "the report page")
		// From the report back to the ticket: the reply is written on the
		// primary, while the replica has not even the ticket yet.
		agent.Get("/layanan/"+number).Want(t, http.StatusOK, "the ticket page", "SIMPEG tidak bisa dibuka")
		agent.PostForm("/layanan/"+number+"/balas", url.Values{"body": {"Sedang kami periksa."}, "internal": {"0"}}).
			Redirects(t, "the reply", "/layanan/"+number)
		agent.Get("/layanan/"+number).Want(t, http.StatusOK, "the ticket page after the reply", "Sedang kami periksa.")
		onReplica := 0
		if err := d.Replica.QueryRowContext(ctx, `SELECT count(*) FROM tickets WHERE subject = $1`, "SIMPEG tidak bisa dibuka").Scan(&onReplica); err != nil || onReplica != 0 {
			t.Errorf("the replica has %d of the new ticket (%v) while its replay is paused", onReplica, err)
		}

		resume()
		deadline := time.Now().Add(30 * time.Second)
		for reported() != 2 {
			if time.Now().After(deadline) {
				t.Fatal("replay resumed, but the report still does not count the new ticket after 30 s")
			}
			time.Sleep(50 * time.Millisecond)
		}
		if x := indexed(false); x != 2 {
			t.Errorf("replay resumed: the index counts %v tickets, want 2", x)
		}
		if after := agent.Get("/layanan/laporan.csv"); after.Status != http.StatusOK || after.Body == csv.Body {
			t.Errorf("the report's CSV did not change once the replica caught up (%d)", after.Status)
		}
	})
}
