package helpdesk_test

import (
	"fmt"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

func TestTeamsAndRoutingATicketToOne(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		c.h.User(t, "super@makassarkota.go.id", "Super Admin", policy.Superadmin, "KOMINFO")
		super := c.h.Token(t, "super@makassarkota.go.id")
		body := map[string]any{"code": "jaringan", "name": "Tim Jaringan", "description": "Jaringan dan internet dinas"}
		servertest.Problem(t, c.h.Do(t, "POST", "/api/v1/teams", c.agent, body, ""), 403)
		r := c.h.Do(t, "POST", "/api/v1/teams", super, body, "")
		if r.Status != 201 {
			t.Fatalf("create team: %d %s", r.Status, r.Body)
		}
		var team helpdesk.Team
		r.JSON(t, &team)
		servertest.ProblemFields(t, c.h.Do(t, "POST", "/api/v1/teams", super, body, ""), 422, "code")
		servertest.ProblemFields(t, c.h.Do(t, "POST", "/api/v1/teams", super,
			map[string]any{"code": "Tim Aplikasi!", "name": ""}, ""), 422, "code", "name")

		member := fmt.Sprintf("/api/v1/teams/%d/members/", team.ID)
		r = c.h.Do(t, "PUT", member+c.agentID, super, map[string]any{"lead": true}, "")
		if r.Status != 200 {
			t.Fatalf("add lead: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &team)
		if len(team.Members) != 1 || !team.Members[0].Lead || team.Members[0].Name != "Agen Help Desk" {
			t.Errorf("members: %+v", team.Members)
		}
		colleague := fmt.Sprint(c.h.AccountID(t, "rekan@makassarkota.go.id"))
		servertest.ProblemFields(t, c.h.Do(t, "PUT", member+colleague, super, map[string]any{"lead": false}, ""), 422, "account_id")
		servertest.Problem(t, c.h.Do(t, "PUT", "/api/v1/teams/99/members/"+c.agentID, super, map[string]any{}, ""), 404)

		var teams struct{ Items []helpdesk.Team }
		c.h.Do(t, "GET", "/api/v1/teams", c.agent, nil, "").JSON(t, &teams)
		if len(teams.Items) != 1 || teams.Items[0].Code != "jaringan" {
			t.Errorf("teams: %+v", teams.Items)
		}
		servertest.Problem(t, c.h.Do(t, "GET", "/api/v1/teams", c.emp, nil, ""), 403)

		// A ticket routed to the team shows in its queue.
		r = c.h.Do(t, "POST", "/api/v1/tickets", c.emp, map[string]any{"subject": "Internet putus", "category": "network"}, "")
		var tk helpdesk.Ticket
		r.JSON(t, &tk)
		if r := c.patch(t, c.agent, tk.Number, `"1"`, fmt.Sprintf(`{"team_id":%d}`, team.ID)); r.Status != 200 {
			t.Fatalf("route: %d %s", r.Status, r.Body)
		}
		queue := c.list(t, c.agent, fmt.Sprintf("?team_id=%d&status=new", team.ID))
		if len(queue) != 1 || queue[0].Number != tk.Number {
			t.Errorf("team queue: %v", numbers(queue))
		}
		var counts helpdesk.Counts
		c.h.Do(t, "GET", fmt.Sprintf("/api/v1/tickets/counts?team_id=%d", team.ID), c.agent, nil, "").JSON(t, &counts)
		if counts != (helpdesk.Counts{New: 1}) {
			t.Errorf("team counts: %+v", counts)
		}
		if r := c.patch(t, c.agent, tk.Number, `"2"`, `{"team_id":null}`); r.Status != 200 {
			t.Fatalf("unroute: %d %s", r.Status, r.Body)
		}
		if queue := c.list(t, c.agent, fmt.Sprintf("?team_id=%d", team.ID)); len(queue) != 0 {
			t.Errorf("team queue after unrouting: %v", numbers(queue))
		}

		if r := c.h.Do(t, "DELETE", member+c.agentID, super, nil, ""); r.Status != 204 {
			t.Errorf("remove member: %d %s", r.Status, r.Body)
		}
		servertest.Problem(t, c.h.Do(t, "DELETE", member+c.agentID, super, nil, ""), 404)
	})
}
