package helpdesk_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// routed is the desk with a superadmin and two teams: Tim Jaringan, led by
// the desk's agent with two more agents, and Tim Aplikasi with one.
type routed struct {
	*desk
	super                string // token
	sys                  *policy.Actor
	network, apps        int64  // team ids
	lead, night, reserve int64  // members of Tim Jaringan; lead is the desk's agent
	appAgent             int64  // the member of Tim Aplikasi
	nightTok, reserveTok string // tokens
}

func newRouted(t *testing.T, d *db.DB) *routed {
	t.Helper()
	c := &routed{desk: newDesk(t, d), sys: policy.SystemActor("test")}
	c.h.Users(t,
		servertest.Person{Email: "super@makassarkota.go.id", Name: "Super Admin", Role: policy.Superadmin, Agency: "KOMINFO"},
		servertest.Person{Email: "jaga@makassarkota.go.id", Name: "Jaga Malam", Role: policy.Agent, Agency: "KOMINFO"},
		servertest.Person{Email: "cadangan@makassarkota.go.id", Name: "Cadangan Siang", Role: policy.Agent, Agency: "KOMINFO"},
		servertest.Person{Email: "aplikasi@makassarkota.go.id", Name: "Ahli Aplikasi", Role: policy.Expert, Agency: "KOMINFO"},
	)
	c.super, c.nightTok, c.reserveTok = c.h.Token(t, "super@makassarkota.go.id"),
		c.h.Token(t, "jaga@makassarkota.go.id"), c.h.Token(t, "cadangan@makassarkota.go.id")
	c.lead, c.night = c.h.AccountID(t, "agen@makassarkota.go.id"), c.h.AccountID(t, "jaga@makassarkota.go.id")
	c.reserve, c.appAgent = c.h.AccountID(t, "cadangan@makassarkota.go.id"), c.h.AccountID(t, "aplikasi@makassarkota.go.id")
	ctx, desk := context.Background(), c.h.Svc.Desk
	for _, team := range []struct {
		id         *int64
		code, name string
		members    []int64
	}{{&c.network, "jaringan", "Tim Jaringan", []int64{c.lead, c.night, c.reserve}},
		{&c.apps, "aplikasi", "Tim Aplikasi", []int64{c.appAgent}}} {
		tm, err := desk.CreateTeam(ctx, c.sys, helpdesk.TeamInput{Code: team.code, Name: team.name})
		if err != nil {
			t.Fatal(err)
		}
		*team.id = tm.ID
		for i, m := range team.members {
			if err := desk.SetMember(ctx, c.sys, tm.ID, m, helpdesk.MemberInput{Lead: i == 0 && team.code == "jaringan"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return c
}

// shift puts a member on the roster of team from start for hours.
func (c *routed) shift(t *testing.T, team, account int64, start time.Time, hours int) helpdesk.Shift {
	t.Helper()
	sh, err := c.h.Svc.Desk.AddShift(context.Background(), c.sys, team, helpdesk.ShiftInput{AccountID: account,
		StartsAt: start, EndsAt: start.Add(time.Duration(hours) * time.Hour)})
	if err != nil {
		t.Fatalf("shift: %v", err)
	}
	return sh
}

// fileAPI files a ticket as the employee through the API.
func (c *routed) fileAPI(t *testing.T, body map[string]any) helpdesk.Ticket {
	t.Helper()
	r := c.h.Do(t, "POST", "/api/v1/tickets", c.emp, body, "")
	if r.Status != 201 {
		t.Fatalf("file: %d %s", r.Status, r.Body)
	}
	var tk helpdesk.Ticket
	r.JSON(t, &tk)
	return tk
}

func teamOf(tk helpdesk.Ticket) int64 {
	if tk.TeamID == nil {
		return 0
	}
	return *tk.TeamID
}

func TestRoutingRulesSendNewTicketsToTheFirstMatchingTeam(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newRouted(t, d)
		rule := func(body map[string]any) helpdesk.RoutingRule {
			t.Helper()
			r := c.h.Do(t, "POST", "/api/v1/routing-rules", c.super, body, "")
			if r.Status != 201 {
				t.Fatalf("create rule %v: %d %s", body, r.Status, r.Body)
			}
			var rr helpdesk.RoutingRule
			r.JSON(t, &rr)
			return rr
		}
		byNetwork := rule(map[string]any{"category": "network", "team_id": c.network})
		byApp := rule(map[string]any{"app_id": c.app, "agency_id": c.diskes, "team_id": c.apps})
		if byNetwork.Position != 1 || byApp.Position != 2 {
			t.Errorf("positions %d, %d: new rules go last", byNetwork.Position, byApp.Position)
		}
		servertest.Problem(t, c.h.Do(t, "POST", "/api/v1/routing-rules", c.agent,
			map[string]any{"team_id": c.network}, ""), 403)
		servertest.ProblemFields(t, c.h.Do(t, "POST", "/api/v1/routing-rules", c.super,
			map[string]any{"category": "printer", "app_id": 999, "team_id": 0}, ""), 422, "category", "team_id")
		servertest.ProblemFields(t, c.h.Do(t, "POST", "/api/v1/routing-rules", c.super,
			map[string]any{"app_id": 999, "agency_id": 999, "team_id": 999}, ""), 422, "team_id", "app_id", "agency_id")
		var list struct{ Items []helpdesk.RoutingRule }
		c.h.Do(t, "GET", "/api/v1/routing-rules", c.agent, nil, "").JSON(t, &list)
		if len(list.Items) != 2 || list.Items[0].ID != byNetwork.ID || list.Items[1].ID != byApp.ID {
			t.Errorf("rules: %+v", list.Items)
		}
		servertest.Problem(t, c.h.Do(t, "GET", "/api/v1/routing-rules", c.emp, nil, ""), 403)

		network := c.fileAPI(t, map[string]any{"subject": "Wi-Fi mati", "category": "network"})
		app := c.fileAPI(t, map[string]any{"subject": "SIMPEG galat", "category": "application", "app_id": c.app})
		other := c.fileAPI(t, map[string]any{"subject": "Cara cuti", "category": "procedure"})
		if teamOf(network) != c.network || teamOf(app) != c.apps || other.TeamID != nil {
			t.Errorf("teams %d, %d, %v; want %d, %d, none", teamOf(network), teamOf(app), other.TeamID, c.network, c.apps)
		}
		got, _ := c.get(t, c.agent, network.Number)
		if e := got.History[len(got.History)-1]; e.Kind != "team" || e.Actor != "Lontara" || e.New != fmt.Sprint(c.network) {
			t.Errorf("routing history: %+v", got.History)
		}

		// No rule matches: the default team, once one is marked.
		r := c.h.Do(t, "PUT", "/api/v1/routing-rules/default", c.super, map[string]any{"team_id": c.apps}, "")
		if r.Status != 200 {
			t.Fatalf("default team: %d %s", r.Status, r.Body)
		}
		servertest.ProblemFields(t, c.h.Do(t, "PUT", "/api/v1/routing-rules/default", c.super,
			map[string]any{"team_id": 999}, ""), 422, "team_id")
		if tk := c.fileAPI(t, map[string]any{"subject": "Cara lembur", "category": "procedure"}); teamOf(tk) != c.apps {
			t.Errorf("unmatched ticket went to %d, want the default %d", teamOf(tk), c.apps)
		}
		// A team chosen by the agent filing is kept.
		agent := c.actor(t, c.agent)
		if tk := c.file(t, agent, helpdesk.TicketInput{Subject: "Telepon", Category: "network", ContactPhone: "0811",
			TeamID: &c.apps}); teamOf(tk) != c.apps {
			t.Errorf("filed to %d, want the team chosen", teamOf(tk))
		}

		// A catch-all rule placed first takes everything; moved after the
		// network rule, only the rest.
		catchAll := rule(map[string]any{"team_id": c.apps, "position": 1})
		if r := c.h.Do(t, "PUT", fmt.Sprintf("/api/v1/routing-rules/%d", byNetwork.ID), c.super,
			map[string]any{"category": "network", "team_id": c.network, "position": 1}, ""); r.Status != 200 {
			t.Fatalf("update rule: %d %s", r.Status, r.Body)
		}
		if tk := c.fileAPI(t, map[string]any{"subject": "LAN", "category": "network"}); teamOf(tk) != c.network {
			t.Errorf("same position: the older rule first; went to %d", teamOf(tk))
		}
		if err := c.h.Svc.Desk.MoveRule(context.Background(), c.sys, catchAll.ID, -1); err != nil {
			t.Fatal(err)
		}
		c.h.Do(t, "GET", "/api/v1/routing-rules", c.agent, nil, "").JSON(t, &list)
		if len(list.Items) != 3 || list.Items[0].ID != catchAll.ID || list.Items[0].Position != 1 || list.Items[1].Position != 2 {
			t.Errorf("after moving up: %+v", list.Items)
		}
		if tk := c.fileAPI(t, map[string]any{"subject": "LAN lagi", "category": "network"}); teamOf(tk) != c.apps {
			t.Errorf("catch-all first: went to %d", teamOf(tk))
		}
		if r := c.h.Do(t, "DELETE", fmt.Sprintf("/api/v1/routing-rules/%d", catchAll.ID), c.super, nil, ""); r.Status != 204 {
			t.Fatalf("delete rule: %d %s", r.Status, r.Body)
		}
		servertest.Problem(t, c.h.Do(t, "DELETE", fmt.Sprintf("/api/v1/routing-rules/%d", catchAll.ID), c.super, nil, ""), 404)
		servertest.Problem(t, c.h.Do(t, "PUT", fmt.Sprintf("/api/v1/routing-rules/%d", catchAll.ID), c.super,
			map[string]any{"team_id": c.apps}, ""), 404)
	})
}

func TestRoundRobinAmongTheAgentsOnDuty(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newRouted(t, d)
		if _, err := c.h.Svc.Desk.CreateRule(context.Background(), c.sys, helpdesk.RuleInput{Category: ptr("network"),
			TeamID: c.network}); err != nil {
			t.Fatal(err)
		}
		// Nobody on duty: the ticket waits in the team's queue.
		if tk := c.fileAPI(t, map[string]any{"subject": "Sepi", "category": "network"}); tk.AssigneeID != nil {
			t.Errorf("assigned to %d with nobody on duty", *tk.AssigneeID)
		}
		start := time.Now().Add(-time.Hour)
		c.shift(t, c.network, c.night, start, 8)
		c.shift(t, c.network, c.reserve, start, 8)
		c.shift(t, c.network, c.lead, start.Add(9*time.Hour), 10) // not yet on duty
		var got []int64
		for i := range 4 {
			tk := c.fileAPI(t, map[string]any{"subject": fmt.Sprint("Putus ", i), "category": "network"})
			if tk.AssigneeID == nil {
				t.Fatalf("ticket %d unassigned", i)
			}
			got = append(got, *tk.AssigneeID)
		}
		if got[0] == got[1] || got[0] != got[2] || got[1] != got[3] || (got[0] != c.night && got[0] != c.reserve) ||
			(got[1] != c.night && got[1] != c.reserve) {
			t.Errorf("assignees %v, want turns between %d and %d", got, c.night, c.reserve)
		}
		last := c.list(t, c.agent, fmt.Sprintf("?assignee_id=%d", got[3]))[0]
		tk, _ := c.get(t, c.agent, last.Number)
		if e := tk.History[len(tk.History)-1]; e.Kind != "assignee" || e.Actor != "Lontara" || e.New != fmt.Sprint(got[3]) {
			t.Errorf("assignment history: %+v", tk.History)
		}
		var told int // each agent hears of the tickets given to them
		if err := d.R.QueryRow(`SELECT count(*) FROM notifications WHERE kind = 'ticket.assigned' AND account_id = $1`,
			got[0]).Scan(&told); err != nil || told != 2 {
			t.Errorf("%d assignment notifications to %d (%v), want 2", told, got[0], err)
		}
		var audited int
		if err := d.R.QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'route' AND entity = 'ticket'
			AND actor = 'system:helpdesk'`).Scan(&audited); err != nil || audited != 5 {
			t.Errorf("route audit entries: %d %v, want 5", audited, err)
		}

		// An agent moving an untaken ticket to the team hands it to the
		// next agent on duty; moving it with an assignee keeps theirs.
		unrouted := c.fileAPI(t, map[string]any{"subject": "Tanya prosedur", "category": "procedure"})
		r := c.patch(t, c.agent, unrouted.Number, `"1"`, fmt.Sprintf(`{"team_id":%d}`, c.network))
		var moved helpdesk.Ticket
		r.JSON(t, &moved)
		if r.Status != 200 || moved.AssigneeID == nil || *moved.AssigneeID != got[0] {
			t.Errorf("routed by an agent: %d %s, want assigned to %d", r.Status, r.Body, got[0])
		}
		if e := moved.History[len(moved.History)-1]; e.Kind != "assignee" || e.Actor != "Lontara" {
			t.Errorf("history after routing: %+v", moved.History)
		}
		chosen := c.fileAPI(t, map[string]any{"subject": "Tanya lagi", "category": "procedure"})
		r = c.patch(t, c.agent, chosen.Number, `"1"`, fmt.Sprintf(`{"team_id":%d,"assignee_id":%d}`, c.network, c.lead))
		r.JSON(t, &moved)
		if moved.AssigneeID == nil || *moved.AssigneeID != c.lead {
			t.Errorf("routed with an assignee: %s", r.Body)
		}

		// Tickets filed at once are still shared out.
		var wg sync.WaitGroup
		var mu sync.Mutex
		count := map[int64]int{}
		emp := c.actor(t, c.emp)
		for i := range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				tk, err := c.h.Svc.Desk.CreateTicket(context.Background(), emp,
					helpdesk.TicketInput{Subject: fmt.Sprint("Serentak ", i), Category: "network"})
				if err != nil || tk.AssigneeID == nil {
					t.Errorf("concurrent ticket: %v %v", err, tk.AssigneeID)
					return
				}
				mu.Lock()
				count[*tk.AssigneeID]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		if count[c.night] != 5 || count[c.reserve] != 5 {
			t.Errorf("concurrent tickets shared %v between %d and %d", count, c.night, c.reserve)
		}
	})
}
