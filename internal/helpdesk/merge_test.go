package helpdesk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// doIf sends a JSON request with If-Match (none when etag is "").
func (c *desk) doIf(t *testing.T, method, path, token, etag string, body any) servertest.Response {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(method, c.h.URL+path, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	if etag != "" {
		req.Header.Set("If-Match", etag)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return servertest.Response{Status: resp.StatusCode, Header: resp.Header, Body: out}
}

// fileAs files a ticket through the API as token and returns its number.
func (c *desk) fileAs(t *testing.T, token, subject string) string {
	t.Helper()
	r := c.h.Do(t, "POST", "/api/v1/tickets", token, map[string]any{"subject": subject, "category": "application"}, "")
	if r.Status != http.StatusCreated {
		t.Fatalf("file %q: %d %s", subject, r.Status, r.Body)
	}
	var tk helpdesk.Ticket
	r.JSON(t, &tk)
	return tk.Number
}

func kinds(events []helpdesk.Event) []string {
	var out []string
	for _, e := range events {
		out = append(out, e.Kind)
	}
	return out
}

func (c *desk) links(t *testing.T, token, number string) []helpdesk.Link {
	t.Helper()
	var l struct{ Items []helpdesk.Link }
	r := c.h.Do(t, "GET", "/api/v1/tickets/"+number+"/links", token, nil, "")
	if r.Status != 200 {
		t.Fatalf("links of %s: %d %s", number, r.Status, r.Body)
	}
	r.JSON(t, &l)
	return l.Items
}

func TestMergeClosesTheDuplicateAndItsReporterFollowsTheTarget(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		target := c.fileAs(t, c.colleague, "SIMPEG galat 502")
		dup := c.fileAs(t, c.emp, "SIMPEG tidak bisa dibuka")
		if r := c.h.Do(t, "POST", "/api/v1/tickets/"+target+"/replies", c.agent,
			map[string]any{"body": "RAHASIA: server di ruang 2", "internal": true}, ""); r.Status != 201 {
			t.Fatalf("note: %d %s", r.Status, r.Body)
		}
		if r := c.h.Do(t, "GET", "/api/v1/tickets/"+target, c.emp, nil, ""); r.Status != 404 {
			t.Fatalf("before the merge the duplicate's reporter reads the target: %d", r.Status)
		}
		_, tag := c.get(t, c.agent, target)
		_, dupTag := c.get(t, c.agent, dup)
		path := "/api/v1/tickets/" + dup + "/merge"
		servertest.Problem(t, c.doIf(t, "POST", path, c.agent, "", map[string]any{"into": target}), 428)
		servertest.Problem(t, c.doIf(t, "POST", path, c.agent, `"9"`, map[string]any{"into": target}), 409)
		servertest.Problem(t, c.doIf(t, "POST", path, c.emp, dupTag, map[string]any{"into": target}), 403)
		servertest.ProblemFields(t, c.doIf(t, "POST", path, c.agent, dupTag, map[string]any{"into": dup}), 422, "into")
		servertest.ProblemFields(t, c.doIf(t, "POST", path, c.agent, dupTag, map[string]any{"into": "T-999999"}), 422, "into")
		servertest.ProblemFields(t, c.doIf(t, "POST", path, c.agent, dupTag, map[string]any{"into": "lima"}), 422, "into")

		r := c.doIf(t, "POST", path, c.agent, dupTag, map[string]any{"into": strings.ToLower(target)})
		if r.Status != 200 {
			t.Fatalf("merge: %d %s", r.Status, r.Body)
		}
		var closed helpdesk.Ticket
		r.JSON(t, &closed)
		if closed.Status != helpdesk.StatusClosed || closed.ClosedAt == nil || r.Header.Get("ETag") != `"2"` {
			t.Errorf("the duplicate after the merge: %s, closed %v, ETag %s", closed.Status, closed.ClosedAt, r.Header.Get("ETag"))
		}
		if !slices.Contains(kinds(closed.History), "merged_into") {
			t.Errorf("the duplicate's history: %v", kinds(closed.History))
		}

		// The target: an internal note naming the duplicate, a new version.
		got, newTag := c.get(t, c.agent, target)
		if newTag == tag || !slices.Contains(kinds(got.History), "merged_from") {
			t.Errorf("target ETag %s → %s, history %v", tag, newTag, kinds(got.History))
		}
		last := got.Messages[len(got.Messages)-1]
		if !last.Internal || !strings.Contains(last.Body, dup) || !strings.Contains(last.Body, "SIMPEG tidak bisa dibuka") {
			t.Errorf("the target's last message: %+v", last)
		}
		if l := c.links(t, c.agent, target); len(l) != 1 || l[0].Number != dup || l[0].Kind != helpdesk.LinkDuplicate {
			t.Errorf("target's links: %+v", l)
		}
		if l := c.links(t, c.agent, dup); len(l) != 1 || l[0].Number != target || l[0].Kind != helpdesk.LinkDuplicateOf {
			t.Errorf("duplicate's links: %+v", l)
		}

		// The duplicate's reporter now follows the target: its public side only.
		seen, _ := c.get(t, c.emp, target)
		for _, m := range seen.Messages {
			if m.Internal || strings.Contains(m.Body, "RAHASIA") {
				t.Errorf("the follower sees an internal note: %+v", m)
			}
		}
		for _, token := range []string{c.emp, c.colleague} {
			if h, _ := c.get(t, token, target); slices.Contains(kinds(h.History), "merged_from") {
				t.Errorf("a reporter sees the merge of another's ticket: %v", kinds(h.History))
			}
		}
		if r := c.h.Do(t, "POST", "/api/v1/tickets/"+target+"/replies", c.emp, map[string]any{"body": "Saya juga mengalaminya."}, ""); r.Status != 201 {
			t.Errorf("the follower replies: %d %s", r.Status, r.Body)
		}
		servertest.Problem(t, c.h.Do(t, "GET", "/api/v1/tickets/"+target+"/links", c.emp, nil, ""), 403)
		if h, _ := c.get(t, c.emp, dup); !slices.Contains(kinds(h.History), "merged_into") {
			t.Errorf("the duplicate's reporter is not told where it went: %v", kinds(h.History))
		}
		// Others of the agency still do not see the target through the merge.
		servertest.Problem(t, c.h.Do(t, "GET", "/api/v1/tickets/"+target, c.otherAdmin, nil, ""), 404)

		var notes, audits int
		if err := d.R.QueryRow(`SELECT count(*) FROM notifications WHERE kind = 'ticket.merged' AND account_id = $1`,
			c.actor(t, c.emp).AccountID).Scan(&notes); err != nil || notes != 1 {
			t.Errorf("notifications to the duplicate's reporter: %d (%v)", notes, err)
		}
		if err := d.R.QueryRow(`SELECT count(*) FROM audit_log WHERE entity = 'ticket' AND action = 'merge'`).Scan(&audits); err != nil || audits != 1 {
			t.Errorf("merge audited %d times (%v)", audits, err)
		}
	})
}

func TestMergeRefusesClosedMergedAndCircularTargets(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		a := c.fileAs(t, c.emp, "Aplikasi A lambat")
		b := c.fileAs(t, c.emp, "Aplikasi A lambat sekali")
		x := c.fileAs(t, c.colleague, "Aplikasi A tidak jalan")
		closedOne := c.fileAs(t, c.colleague, "Sudah beres")
		if r := c.patch(t, c.agent, closedOne, "*", `{"status":"closed"}`); r.Status != 200 {
			t.Fatalf("close: %d %s", r.Status, r.Body)
		}
		merge := func(dup, into string) servertest.Response {
			return c.doIf(t, "POST", "/api/v1/tickets/"+dup+"/merge", c.agent, "*", map[string]any{"into": into})
		}
		p := servertest.Problem(t, merge(x, closedOne), 409)
		if !strings.Contains(p.Title+p.Detail, closedOne) {
			t.Errorf("into a closed ticket: %+v", p)
		}
		if r := merge(b, a); r.Status != 200 {
			t.Fatalf("merge: %d %s", r.Status, r.Body)
		}
		p = servertest.Problem(t, merge(x, b), 409)
		if !strings.Contains(p.Title+p.Detail, a) {
			t.Errorf("into a merged ticket the reason names where it went: %+v", p)
		}
		servertest.Problem(t, merge(b, x), 409) // merged already
		// Were a's chain to lead back to it, merging would go in a circle.
		if _, err := d.W.Exec(`INSERT INTO ticket_links (ticket_id, other_id, kind, created_at)
			SELECT id, (SELECT id FROM tickets WHERE subject = 'Aplikasi A tidak jalan'), 'duplicate_of', created_at
			FROM tickets WHERE subject = 'Aplikasi A lambat'`); err != nil {
			t.Fatal(err)
		}
		p = servertest.Problem(t, merge(x, a), 409)
		if !strings.Contains(p.Title+p.Detail, "berputar") {
			t.Errorf("circular merge: %+v", p)
		}
		// Nothing half-written: x is still open, linked to nothing.
		got, _ := c.get(t, c.agent, x)
		if got.Status != helpdesk.StatusNew || slices.Contains(kinds(got.History), "merged_into") {
			t.Errorf("a refused merge changed %s: %s %v", x, got.Status, kinds(got.History))
		}
	})
}

func TestRelatedLinksShowBothWaysAndNeverToReporters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		a := c.fileAs(t, c.emp, "Wifi lantai 2 mati")
		b := c.fileAs(t, c.colleague, "Wifi lantai 3 mati")
		r := c.h.Do(t, "POST", "/api/v1/tickets/"+a+"/links", c.agent, map[string]any{"other": b}, "")
		if r.Status != 201 {
			t.Fatalf("link: %d %s", r.Status, r.Body)
		}
		servertest.Problem(t, c.h.Do(t, "POST", "/api/v1/tickets/"+b+"/links", c.agent, map[string]any{"other": a}, ""), 409)
		servertest.ProblemFields(t, c.h.Do(t, "POST", "/api/v1/tickets/"+a+"/links", c.agent, map[string]any{"other": a}, ""), 422, "other")
		servertest.ProblemFields(t, c.h.Do(t, "POST", "/api/v1/tickets/"+a+"/links", c.agent, map[string]any{"other": "T-0"}, ""), 422, "other")
		servertest.Problem(t, c.h.Do(t, "POST", "/api/v1/tickets/"+a+"/links", c.emp, map[string]any{"other": b}, ""), 403)
		for _, pair := range [][2]string{{a, b}, {b, a}} {
			if l := c.links(t, c.agent, pair[0]); len(l) != 1 || l[0].Number != pair[1] || l[0].Kind != helpdesk.LinkRelated {
				t.Errorf("links of %s: %+v", pair[0], l)
			}
			if h, _ := c.get(t, c.agent, pair[0]); !slices.Contains(kinds(h.History), "linked") {
				t.Errorf("history of %s: %v", pair[0], kinds(h.History))
			}
		}
		if h, _ := c.get(t, c.emp, a); slices.Contains(kinds(h.History), "linked") {
			t.Errorf("the reporter sees the link: %v", kinds(h.History))
		}
		if r := c.h.Do(t, "DELETE", "/api/v1/tickets/"+b+"/links/"+a, c.agent, nil, ""); r.Status != 204 {
			t.Fatalf("unlink: %d %s", r.Status, r.Body)
		}
		servertest.Problem(t, c.h.Do(t, "DELETE", "/api/v1/tickets/"+b+"/links/"+a, c.agent, nil, ""), 404)
		if l := c.links(t, c.agent, a); len(l) != 0 {
			t.Errorf("links after unlinking: %+v", l)
		}
	})
}

func TestCrossingMergesOneWinsTheOtherConflicts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		agent := c.actor(t, c.agent)
		for round := range 3 {
			a := c.fileAs(t, c.emp, fmt.Sprintf("Surel dinas lambat %d", round))
			b := c.fileAs(t, c.colleague, fmt.Sprintf("Surel dinas lambat sekali %d", round))
			pairs := [][2]string{{a, b}, {b, a}}
			results := make([]error, len(pairs))
			var wg sync.WaitGroup
			for i, p := range pairs {
				wg.Go(func() {
					_, results[i] = c.h.Svc.Desk.MergeTicket(context.Background(), agent, p[0], helpdesk.AnyVersion,
						helpdesk.MergeInput{Into: p[1]})
				})
			}
			wg.Wait()
			won := 0
			for _, err := range results {
				switch {
				case err == nil:
					won++
				case !errs.Is(err, errs.Conflict):
					t.Errorf("a crossing merge: %v, want a conflict", err)
				}
			}
			if won != 1 {
				t.Errorf("round %d: %d of two crossing merges won, want 1 (%v)", round, won, results)
			}
		}
	})
}
