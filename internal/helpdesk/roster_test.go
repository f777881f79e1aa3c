package helpdesk_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

func TestRosterShiftsAndWhoIsOnDuty(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newRouted(t, d)
		shifts := fmt.Sprintf("/api/v1/teams/%d/shifts", c.network)
		start := time.Now().UTC().Truncate(time.Hour)
		body := func(account int64, from time.Time, hours int) map[string]any {
			return map[string]any{"account_id": account, "starts_at": from.Format(time.RFC3339),
				"ends_at": from.Add(time.Duration(hours) * time.Hour).Format(time.RFC3339)}
		}
		// The team's lead plans its roster; an agent who does not lead it may not.
		r := c.h.Do(t, "POST", shifts, c.agent, body(c.night, start, 8), "")
		if r.Status != 201 {
			t.Fatalf("lead adds a shift: %d %s", r.Status, r.Body)
		}
		var night helpdesk.Shift
		r.JSON(t, &night)
		if night.Name != "Jaga Malam" || !night.EndsAt.Equal(start.Add(8*time.Hour)) {
			t.Errorf("shift: %+v", night)
		}
		servertest.Problem(t, c.h.Do(t, "POST", shifts, c.nightTok, body(c.night, start.Add(9*time.Hour), 8), ""), 403)
		servertest.Problem(t, c.h.Do(t, "POST", fmt.Sprintf("/api/v1/teams/%d/shifts", c.apps), c.agent,
			body(c.appAgent, start, 8), ""), 403)
		servertest.Problem(t, c.h.Do(t, "POST", "/api/v1/teams/999/shifts", c.super, body(c.night, start, 8), ""), 404)
		// Only members; no overlap for one person; sane times.
		servertest.ProblemFields(t, c.h.Do(t, "POST", shifts, c.super, body(c.appAgent, start, 8), ""), 422, "account_id")
		servertest.Problem(t, c.h.Do(t, "POST", shifts, c.super, body(c.night, start.Add(7*time.Hour), 8), ""), 409)
		servertest.ProblemFields(t, c.h.Do(t, "POST", shifts, c.super, body(c.night, start.Add(9*time.Hour), 25), ""), 422, "ends_at")
		servertest.ProblemFields(t, c.h.Do(t, "POST", shifts, c.super, body(c.night, start.Add(-48*time.Hour), 8), ""), 422, "ends_at")
		servertest.ProblemFields(t, c.h.Do(t, "POST", shifts, c.super,
			map[string]any{"account_id": c.night, "starts_at": start.Format(time.RFC3339), "ends_at": start.Format(time.RFC3339)}, ""),
			422, "ends_at")
		servertest.ProblemFields(t, c.h.Do(t, "POST", shifts, c.super, map[string]any{}, ""), 422, "account_id", "starts_at")
		// Back to back is no overlap, and the superadmin plans any team.
		if r := c.h.Do(t, "POST", shifts, c.super, body(c.night, start.Add(8*time.Hour), 8), ""); r.Status != 201 {
			t.Errorf("back-to-back shift: %d %s", r.Status, r.Body)
		}
		if r := c.h.Do(t, "POST", shifts, c.super, body(c.reserve, start.Add(2*time.Hour), 8), ""); r.Status != 201 {
			t.Errorf("colleague's overlapping shift: %d %s", r.Status, r.Body)
		}

		var list struct{ Items []helpdesk.Shift }
		c.h.Do(t, "GET", shifts, c.nightTok, nil, "").JSON(t, &list)
		if len(list.Items) != 3 || list.Items[0].ID != night.ID {
			t.Errorf("the week's shifts: %+v", list.Items)
		}
		servertest.ProblemFields(t, c.h.Do(t, "GET", shifts+"?from=kemarin", c.agent, nil, ""), 422, "from")
		servertest.Problem(t, c.h.Do(t, "GET", shifts, c.emp, nil, ""), 403)

		var duty struct{ Items []helpdesk.TeamDuty }
		c.h.Do(t, "GET", "/api/v1/teams/on-duty", c.reserveTok, nil, "").JSON(t, &duty)
		if len(duty.Items) != 2 || duty.Items[0].Name != "Tim Aplikasi" || len(duty.Items[0].OnDuty) != 0 ||
			len(duty.Items[1].OnDuty) != 1 || duty.Items[1].OnDuty[0].AccountID != c.night {
			t.Errorf("on duty: %+v", duty.Items)
		}
		servertest.Problem(t, c.h.Do(t, "GET", "/api/v1/teams/on-duty", c.emp, nil, ""), 403)

		servertest.Problem(t, c.h.Do(t, "DELETE", fmt.Sprintf("/api/v1/shifts/%d", night.ID), c.nightTok, nil, ""), 403)
		if r := c.h.Do(t, "DELETE", fmt.Sprintf("/api/v1/shifts/%d", night.ID), c.agent, nil, ""); r.Status != 204 {
			t.Errorf("lead deletes a shift: %d %s", r.Status, r.Body)
		}
		servertest.Problem(t, c.h.Do(t, "DELETE", fmt.Sprintf("/api/v1/shifts/%d", night.ID), c.agent, nil, ""), 404)

		// Taking someone out of the team takes their shifts.
		if err := c.h.Svc.Desk.RemoveMember(t.Context(), c.sys, c.network, c.reserve); err != nil {
			t.Fatal(err)
		}
		c.h.Do(t, "GET", shifts, c.agent, nil, "").JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].AccountID != c.night {
			t.Errorf("after removing a member: %+v", list.Items)
		}
	})
}

func TestRosterPageAddsANightShiftAcrossMidnight(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newRouted(t, d)
		c.shift(t, c.network, c.reserve, time.Now().Add(-time.Hour), 4)
		pw := c.h.User(t, "koordinator@makassarkota.go.id", "Kora Koordinator", policy.Agent, "KOMINFO")
		lead := c.h.AccountID(t, "koordinator@makassarkota.go.id")
		if err := c.h.Svc.Desk.SetMember(t.Context(), c.sys, c.network, lead, helpdesk.MemberInput{Lead: true}); err != nil {
			t.Fatal(err)
		}
		b := c.h.SignIn(t, "koordinator@makassarkota.go.id", pw)
		p := b.Get("/layanan/jadwal")
		body := pageBody(p)
		member := fmt.Sprintf("%d:%d", c.network, c.night)
		if p.Status != 200 || !strings.Contains(body, "Cadangan Siang") || !strings.Contains(body, "Tidak ada yang berjaga") ||
			!strings.Contains(body, `value="`+member+`"`) || strings.Contains(body, fmt.Sprintf(`value="%d:`, c.apps)) {
			t.Fatalf("roster page: %d %.3000s", p.Status, body)
		}
		zone, err := time.LoadLocation("Asia/Makassar")
		if err != nil {
			t.Fatal(err)
		}
		tomorrow := time.Now().In(zone).AddDate(0, 0, 1)
		form := url.Values{"shift_member": {member}, "shift_date": {tomorrow.Format(time.DateOnly)},
			"shift_start": {"22:00"}, "shift_end": {"06:00"}}
		if p := b.PostForm("/layanan/jadwal", form); p.Status != 303 || p.Location != "/layanan/jadwal" {
			t.Fatalf("add shift: %d %s %.2000s", p.Status, p.Location, pageBody(p))
		}
		list, err := c.h.Svc.Desk.ListShifts(t.Context(), c.sys, c.network, time.Now(), time.Now().Add(72*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		want := time.Date(tomorrow.Year(), tomorrow.Month(), tomorrow.Day(), 22, 0, 0, 0, zone)
		if len(list) != 2 || list[1].AccountID != c.night || !list[1].StartsAt.Equal(want) ||
			!list[1].EndsAt.Equal(want.Add(8*time.Hour)) {
			t.Errorf("night shift: %+v, want %v for 8 hours", list, want)
		}
		if p := b.PostForm("/layanan/jadwal", form); p.Status != 409 || !strings.Contains(pageBody(p), "bertumpang tindih") {
			t.Errorf("overlapping shift: %d %.2000s", p.Status, pageBody(p))
		}
		form.Set("shift_end", "25:99")
		if p := b.PostForm("/layanan/jadwal", form); p.Status != 422 || !strings.Contains(pageBody(p), "harus berupa jam") {
			t.Errorf("bad time: %d %.2000s", p.Status, pageBody(p))
		}
		form.Set("shift_member", fmt.Sprintf("%d:%d", c.apps, c.appAgent))
		form.Set("shift_end", "23:00")
		if p := b.PostForm("/layanan/jadwal", form); p.Status != 403 {
			t.Errorf("another team's roster: %d", p.Status)
		}
		// The lead reads the routing rules but does not change them.
		if p := b.Get("/layanan/aturan"); p.Status != 200 || strings.Contains(p.Body, `action="/layanan/aturan"`) {
			t.Errorf("rules page for a lead: %d", p.Status)
		}
		if p := b.PostForm("/layanan/aturan", url.Values{"rule_team": {fmt.Sprint(c.network)}}); p.Status != 403 {
			t.Errorf("lead adds a rule: %d", p.Status)
		}
	})
}

func TestRoutingRulesPageWithoutJavaScript(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newRouted(t, d)
		pw := c.h.User(t, "root@makassarkota.go.id", "Root Admin", policy.Superadmin, "KOMINFO")
		b := c.h.SignIn(t, "root@makassarkota.go.id", pw)
		if p := b.Get("/layanan/aturan"); p.Status != 200 || !strings.Contains(p.Body, "Belum ada aturan") {
			t.Fatalf("empty rules page: %d %.2000s", p.Status, pageBody(p))
		}
		for _, f := range []url.Values{
			{"rule_category": {"network"}, "rule_team": {fmt.Sprint(c.network)}},
			{"rule_app": {fmt.Sprint(c.app)}, "rule_team": {fmt.Sprint(c.apps)}},
		} {
			if p := b.PostForm("/layanan/aturan", f); p.Status != 303 {
				t.Fatalf("add rule: %d %.2000s", p.Status, pageBody(p))
			}
		}
		if p := b.PostForm("/layanan/aturan", url.Values{"rule_category": {"network"}}); p.Status != 422 ||
			!strings.Contains(p.Body, `id="e-rule_team"`) {
			t.Errorf("rule without a team: %d %.2000s", p.Status, pageBody(p))
		}
		rules, err := c.h.Svc.Desk.ListRules(t.Context(), c.sys)
		if err != nil || len(rules) != 2 {
			t.Fatalf("rules: %v %v", rules, err)
		}
		if p := b.PostForm(fmt.Sprintf("/layanan/aturan/%d/naik", rules[1].ID), url.Values{}); p.Status != 303 {
			t.Errorf("move up: %d", p.Status)
		}
		if p := b.PostForm("/layanan/aturan/bawaan", url.Values{"default_team_id": {fmt.Sprint(c.network)}}); p.Status != 303 {
			t.Errorf("default team: %d", p.Status)
		}
		p := b.Get("/layanan/aturan")
		body := pageBody(p)
		if first, second := strings.Index(body, "SIMPEG"), strings.Index(body, `data-label="Kategori">Jaringan</td>`); first < 0 || second < first ||
			!strings.Contains(body, fmt.Sprintf(`<option value="%d" selected>Tim Jaringan`, c.network)) {
			t.Errorf("rules page after the changes: %.3000s", body)
		}
		moved, _ := c.h.Svc.Desk.ListRules(t.Context(), c.sys)
		if moved[0].ID != rules[1].ID {
			t.Errorf("order after moving up: %+v", moved)
		}
		if p := b.PostForm(fmt.Sprintf("/layanan/aturan/%d/hapus", rules[0].ID), url.Values{}); p.Status != 303 {
			t.Errorf("delete: %d", p.Status)
		}
		if left, _ := c.h.Svc.Desk.ListRules(t.Context(), c.sys); len(left) != 1 {
			t.Errorf("rules after deleting: %+v", left)
		}
	})
}

func pageBody(p servertest.Page) string { return strings.Join(strings.Fields(p.Body), " ") }
