package helpdesk_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

func TestProblemsGroupRecurringTickets(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		body := map[string]any{"title": "SIMPEG 502 tiap Senin pagi", "description": "Lonjakan masuk pukul 08.00", "app_id": c.app}
		servertest.Problem(t, c.h.Do(t, "POST", "/api/v1/problems", c.emp, body, ""), 403)
		servertest.ProblemFields(t, c.h.Do(t, "POST", "/api/v1/problems", c.agent,
			map[string]any{"title": "", "status": "done", "app_id": 999}, ""), 422, "title", "status", "app_id")
		r := c.h.Do(t, "POST", "/api/v1/problems", c.agent, body, "")
		if r.Status != 201 {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		var p helpdesk.ProblemRecord
		r.JSON(t, &p)
		if p.Number != "P-0001" || p.Status != "open" || p.AppID == nil || *p.AppID != c.app ||
			r.Header.Get("Location") != fmt.Sprintf("/api/v1/problems/%d", p.ID) {
			t.Errorf("created %+v at %s", p, r.Header.Get("Location"))
		}
		other := c.h.Do(t, "POST", "/api/v1/problems", c.agent, map[string]any{"title": "Printer"}, "")
		var p2 helpdesk.ProblemRecord
		other.JSON(t, &p2)

		a, b := c.fileAs(t, c.emp, "SIMPEG 502"), c.fileAs(t, c.colleague, "SIMPEG galat lagi")
		tickets := fmt.Sprintf("/api/v1/problems/%d/tickets", p.ID)
		for _, n := range []string{a, b} {
			if r := c.h.Do(t, "POST", tickets, c.agent, map[string]any{"ticket": n}, ""); r.Status != 201 {
				t.Fatalf("link %s: %d %s", n, r.Status, r.Body)
			}
		}
		servertest.Problem(t, c.h.Do(t, "POST", tickets, c.agent, map[string]any{"ticket": a}, ""), 409)
		servertest.Problem(t, c.h.Do(t, "POST", fmt.Sprintf("/api/v1/problems/%d/tickets", p2.ID), c.agent,
			map[string]any{"ticket": a}, ""), 409)
		servertest.ProblemFields(t, c.h.Do(t, "POST", tickets, c.agent, map[string]any{"ticket": "T-999999"}, ""), 422, "ticket")
		servertest.Problem(t, c.h.Do(t, "POST", "/api/v1/problems/999/tickets", c.agent, map[string]any{"ticket": a}, ""), 404)
		servertest.Problem(t, c.h.Do(t, "POST", tickets, c.emp, map[string]any{"ticket": a}, ""), 403)

		var list struct{ Items []helpdesk.ProblemRecord }
		c.h.Do(t, "GET", "/api/v1/problems", c.agent, nil, "").JSON(t, &list)
		if len(list.Items) != 2 || list.Items[1].Number != "P-0001" || list.Items[1].TicketCount != 2 || list.Items[0].TicketCount != 0 {
			t.Errorf("problems: %+v", list.Items)
		}
		servertest.ProblemFields(t, c.h.Do(t, "GET", "/api/v1/problems?status=x", c.agent, nil, ""), 422, "status")
		servertest.Problem(t, c.h.Do(t, "GET", "/api/v1/problems", c.emp, nil, ""), 403)

		one := fmt.Sprintf("/api/v1/problems/%d", p.ID)
		patch := func(body string) servertest.Response {
			return c.h.Do(t, "PATCH", one, c.agent, []byte(body), "application/merge-patch+json")
		}
		r = patch(`{"root_cause": "Pool koneksi basis data terlalu kecil", "workaround": "Masuk ulang setelah 5 menit", "status": "known_error", "app_id": null}`)
		if r.Status != 200 {
			t.Fatalf("patch: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &p)
		if p.Status != "known_error" || p.RootCause != "Pool koneksi basis data terlalu kecil" || p.AppID != nil ||
			len(p.Tickets) != 2 || p.Title != "SIMPEG 502 tiap Senin pagi" {
			t.Errorf("patched %+v", p)
		}
		servertest.ProblemFields(t, patch(`{"status": null}`), 422, "status")
		servertest.ProblemFields(t, patch(`{"status": "fixed"}`), 422, "status")
		servertest.Problem(t, patch(`{"owner": 1}`), 422)
		c.h.Do(t, "GET", "/api/v1/problems?status=known_error", c.agent, nil, "").JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != p.ID {
			t.Errorf("known errors: %+v", list.Items)
		}

		if h, _ := c.get(t, c.agent, a); !slices.Contains(kinds(h.History), "problem") {
			t.Errorf("the ticket's history: %v", kinds(h.History))
		}
		if h, _ := c.get(t, c.emp, a); slices.Contains(kinds(h.History), "problem") {
			t.Errorf("the reporter sees the problem: %v", kinds(h.History))
		}
		// A ticket grouped by mistake is taken out, and may join another.
		if r := c.h.Do(t, "DELETE", tickets+"/"+b, c.agent, nil, ""); r.Status != 204 {
			t.Fatalf("unlink: %d %s", r.Status, r.Body)
		}
		servertest.Problem(t, c.h.Do(t, "DELETE", tickets+"/"+b, c.agent, nil, ""), 404)
		servertest.Problem(t, c.h.Do(t, "DELETE", tickets+"/"+a, c.emp, nil, ""), 403)
		if r := c.h.Do(t, "POST", fmt.Sprintf("/api/v1/problems/%d/tickets", p2.ID), c.agent, map[string]any{"ticket": b}, ""); r.Status != 201 {
			t.Errorf("relink elsewhere: %d %s", r.Status, r.Body)
		}
		var n int
		if err := d.R.QueryRow(`SELECT count(*) FROM audit_log WHERE entity = 'problem'`).Scan(&n); err != nil || n != 7 {
			t.Errorf("problems audited %d times (%v), want 7", n, err)
		}
	})
}
