package helpdesk_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/lontara-id/lontara/internal/apps"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// reportCity is a help desk with tickets of March 2026 whose every clock is
// known, so each figure of the report can be worked out by hand.
type reportCity struct {
	h                    *servertest.Harness
	pw                   map[string]string
	diskes, disdik, team int64
	agent, admin, emp    string // tokens
	exec, otherAdmin     string
}

// march is a ticket written straight into the database: filed at the
// hour h of March 2026 (UTC; WITA is 8 hours ahead), its clocks in minutes
// after filing (0: not yet).
type march struct {
	created                 time.Time
	agency                  int64
	app                     bool
	category, channel, prio string
	status                  string
	team                    bool
	frDue, resDue, fr, res  int
	pending                 int // minutes after filing it became pending
	tags                    string
	score, minutes          int
}

func newReportCity(t *testing.T, d *db.DB) *reportCity {
	t.Helper()
	ctx, sys := context.Background(), policy.SystemActor("test")
	h := servertest.Start(t, d)
	h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
	diskes := h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
	disdik := h.Agency(t, "DISDIK", "Dinas Pendidikan", "dinas")
	pw := h.Users(t,
		servertest.Person{Email: "nuraini@makassarkota.go.id", Name: "Nur'aini Dottoro'ta", Role: policy.Employee, Agency: "DISKES"},
		servertest.Person{Email: "admin.diskes@makassarkota.go.id", Name: "Admin Diskes", Role: policy.AgencyAdmin, Agency: "DISKES"},
		servertest.Person{Email: "admin.disdik@makassarkota.go.id", Name: "Admin Disdik", Role: policy.AgencyAdmin, Agency: "DISDIK"},
		servertest.Person{Email: "walikota@makassarkota.go.id", Name: "Wali Kota", Role: policy.Executive, Agency: "KOMINFO"},
		servertest.Person{Email: "agen@makassarkota.go.id", Name: "Agen Help Desk", Role: policy.Agent, Agency: "KOMINFO"},
	)
	app, err := h.Svc.Apps.CreateApp(ctx, sys, apps.AppInput{Name: "SIMPEG", OwnerAgencyID: diskes.ID, Status: "active"})
	if err != nil {
		t.Fatal(err)
	}
	team, err := h.Svc.Desk.CreateTeam(ctx, sys, helpdesk.TeamInput{Code: "jaringan", Name: "Jaringan"})
	if err != nil {
		t.Fatal(err)
	}
	c := &reportCity{h: h, pw: pw, diskes: diskes.ID, disdik: disdik.ID, team: team.ID,
		agent: h.Token(t, "agen@makassarkota.go.id"), admin: h.Token(t, "admin.diskes@makassarkota.go.id"),
		emp: h.Token(t, "nuraini@makassarkota.go.id"), exec: h.Token(t, "walikota@makassarkota.go.id"),
		otherAdmin: h.Token(t, "admin.disdik@makassarkota.go.id")}
	reporter, agent := h.AccountID(t, "nuraini@makassarkota.go.id"), h.AccountID(t, "agen@makassarkota.go.id")
	at := func(day, hour int) time.Time { return time.Date(2026, 3, day, hour, 0, 0, 0, time.UTC) }
	for i, m := range []march{
		// Met both clocks: answered in 1 h, resolved in 10 h; rated 5.
		{created: at(2, 0), agency: diskes.ID, app: true, category: "network", channel: "web", prio: "normal",
			status: "resolved", team: true, frDue: 240, resDue: 1440, fr: 60, res: 600, tags: "vpn,wifi", score: 5, minutes: 30},
		// Breached both: answered in 2 h (due 1 h), resolved in 20 h (due 8 h); rated 3.
		{created: at(3, 0), agency: diskes.ID, app: true, category: "network", channel: "phone", prio: "high",
			status: "resolved", team: true, frDue: 60, resDue: 480, fr: 120, res: 1200, tags: "vpn", score: 3, minutes: 45},
		// Never answered, long past due: late on both clocks, in the backlog.
		{created: at(4, 0), agency: disdik.ID, category: "account", channel: "web", prio: "normal", status: "open",
			frDue: 240, resDue: 1440},
		// Answered in 30 min, pending since 1 h, before its resolution due: running.
		{created: at(5, 0), agency: diskes.ID, app: true, category: "application", channel: "email", prio: "low",
			status: "pending", team: true, frDue: 480, resDue: 4320, fr: 30, pending: 60},
		// 1 March 01:00 WITA: in March. Answered in 3 h, resolved in 30 h (due 24 h).
		{created: time.Date(2026, 2, 28, 17, 0, 0, 0, time.UTC), agency: diskes.ID, app: true, category: "request",
			channel: "whatsapp", prio: "normal", status: "closed", frDue: 240, resDue: 1440, fr: 180, res: 1800},
		// 28 February 23:00 WITA and 1 April 01:00 WITA: outside March.
		{created: time.Date(2026, 2, 28, 15, 0, 0, 0, time.UTC), agency: diskes.ID, category: "other", channel: "web",
			prio: "normal", status: "resolved", frDue: 240, resDue: 1440, fr: 10, res: 20, score: 1},
		{created: time.Date(2026, 3, 31, 17, 0, 0, 0, time.UTC), agency: diskes.ID, category: "other", channel: "web",
			prio: "normal", status: "resolved", frDue: 240, resDue: 1440, fr: 10, res: 20, score: 1},
	} {
		c.insert(t, d, i, m, reporter, agent, app.ID)
	}
	return c
}

func (c *reportCity) insert(t *testing.T, d *db.DB, i int, m march, reporter, agent, app int64) {
	t.Helper()
	after := func(min int) any {
		if min == 0 {
			return nil
		}
		return m.created.Add(time.Duration(min) * time.Minute)
	}
	var appID, teamID any
	if m.app {
		appID = app
	}
	if m.team {
		teamID = c.team
	}
	var closed any
	if m.status == "closed" {
		closed = after(m.res)
	}
	ctx := context.Background()
	id, err := db.InsertID(ctx, d.W, `INSERT INTO tickets (subject, reporter_account_id, channel, category, app_id,
		agency_id, priority, status, team_id, assignee_account_id, tags, first_response_due, resolution_due,
		first_responded_at, resolved_at, closed_at, pending_since, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) RETURNING id`,
		fmt.Sprintf("Tiket %d", i), reporter, m.channel, m.category, appID, m.agency, m.prio, m.status, teamID, agent,
		m.tags, after(m.frDue), after(m.resDue), after(m.fr), after(m.res), closed, after(m.pending), m.created)
	if err != nil {
		t.Fatal(err)
	}
	if m.minutes > 0 {
		if _, err := d.W.Exec(`INSERT INTO ticket_messages (ticket_id, author_account_id, author, body, internal,
			time_spent_minutes, created_at) VALUES ($1, $2, 'Agen', 'Sudah dicek.', TRUE, $3, $4)`,
			id, agent, m.minutes, m.created); err != nil {
			t.Fatal(err)
		}
	}
	if m.score > 0 {
		if _, err := d.W.Exec(`INSERT INTO ticket_ratings (ticket_id, score, created_at) VALUES ($1, $2, $3)`,
			id, m.score, m.created); err != nil {
			t.Fatal(err)
		}
	}
}

// report asks the API for March 2026 with the extra query, failing unless
// it answers want.
func (c *reportCity) report(t *testing.T, token, query string, want int) helpdesk.Report {
	t.Helper()
	r := c.h.Do(t, "GET", "/api/v1/reports/helpdesk?from=2026-03-01&to=2026-03-31"+query, token, nil, "")
	if r.Status != want {
		t.Fatalf("report%s: %d %s", query, r.Status, r.Body)
	}
	var rep helpdesk.Report
	if want == 200 {
		r.JSON(t, &rep)
	}
	return rep
}

func TestHelpdeskReport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newReportCity(t, d)
		r := c.report(t, c.agent, "", 200)
		if r.From != "2026-03-01" || r.To != "2026-03-31" || r.Tickets != 5 {
			t.Fatalf("period %s–%s, %d tickets, want 2026-03-01–2026-03-31, 5", r.From, r.To, r.Tickets)
		}
		wantFR := helpdesk.Clock{Met: 3, Breached: 1, Late: 1, MetPct: 60}
		wantRes := helpdesk.Clock{Met: 1, Breached: 2, Late: 1, Running: 1, MetPct: 25}
		if r.SLA.FirstResponse != wantFR || r.SLA.Resolution != wantRes {
			t.Errorf("SLA %+v / %+v, want %+v / %+v", r.SLA.FirstResponse, r.SLA.Resolution, wantFR, wantRes)
		}
		normal := r.SLAByPriority[1]
		if normal.Code != "normal" || normal.Tickets != 3 || normal.FirstResponse.Met != 2 || normal.Resolution.Breached != 1 {
			t.Errorf("normal priority %+v", normal)
		}
		if len(r.SLAByTeam) != 2 || r.SLAByTeam[0].Name != "Jaringan" || r.SLAByTeam[0].Tickets != 3 {
			t.Errorf("SLA by team %+v", r.SLAByTeam)
		}
		// First responses 30, 60, 120, 180 min: the mean of the middle two.
		// Resolutions 600, 1200, 1800 min: the middle one.
		m := r.Medians
		if m.FirstResponseMinutes == nil || *m.FirstResponseMinutes != 90 || m.FirstResponses != 4 ||
			m.ResolutionMinutes == nil || *m.ResolutionMinutes != 1200 || m.Resolutions != 3 {
			t.Errorf("medians %+v (%v, %v)", m, minutes(m.FirstResponseMinutes), minutes(m.ResolutionMinutes))
		}
		checkTallies(t, "agency", r.ByAgency, "Dinas Kesehatan=4", "Dinas Pendidikan=1")
		checkTallies(t, "app", r.ByApp, "SIMPEG=4", "=1")
		checkTallies(t, "category", r.ByCategory, "network=2", "account=1", "application=1", "request=1")
		checkTallies(t, "channel", r.ByChannel, "web=2", "email=1", "phone=1", "whatsapp=1")
		checkTallies(t, "tags", r.TopTags, "vpn=2", "wifi=1")
		if p := r.TopProblems; len(p) != 4 || p[0].Category != "network" || p[0].App != "SIMPEG" || p[0].Count != 2 ||
			p[0].AppID == nil || *p[0].AppID != *r.ByApp[0].ID {
			t.Errorf("top problems %+v", r.TopProblems)
		}
		if r.Backlog.Total != 2 || r.Backlog.Over30 != 2 || len(r.BacklogByTeam) != 2 {
			t.Errorf("backlog %+v by team %+v", r.Backlog, r.BacklogByTeam)
		}
		checkTallies(t, "time by team", r.TimeByTeam, "Jaringan=75")
		checkTallies(t, "time by app", r.TimeByApp, "SIMPEG=75")
		s := r.Satisfaction
		if r.TimeSpent != 75 || s.Count != 2 || s.Average != 4 || s.Scores != [5]int{0, 0, 1, 0, 1} {
			t.Errorf("time %d, satisfaction %+v", r.TimeSpent, s)
		}
		if len(r.RatingsByAgent) != 1 || r.RatingsByAgent[0].Name != "Agen Help Desk" || r.RatingsByAgent[0].Count != 2 ||
			len(r.RatingsByTeam) != 1 || len(r.RatingsByApp) != 1 {
			t.Errorf("ratings by agent %+v, team %+v, app %+v", r.RatingsByAgent, r.RatingsByTeam, r.RatingsByApp)
		}

		t.Run("Filters", func(t *testing.T) {
			if r := c.report(t, c.agent, fmt.Sprintf("&agency_id=%d", c.disdik), 200); r.Tickets != 1 || r.Backlog.Total != 1 {
				t.Errorf("Disdik: %d tickets, backlog %d, want 1, 1", r.Tickets, r.Backlog.Total)
			}
			if r := c.report(t, c.agent, fmt.Sprintf("&team_id=%d", c.team), 200); r.Tickets != 3 || r.TimeSpent != 75 {
				t.Errorf("team: %d tickets, %d minutes, want 3, 75", r.Tickets, r.TimeSpent)
			}
		})
		t.Run("Who", func(t *testing.T) {
			if r := c.report(t, c.exec, "", 200); r.Tickets != 5 {
				t.Errorf("executive: %d tickets, want the city's 5", r.Tickets)
			}
			r := c.report(t, c.admin, "", 200)
			if r.Tickets != 4 || r.AgencyID == nil || *r.AgencyID != c.diskes {
				t.Errorf("Diskes admin: %d tickets of agency %v, want their agency's 4", r.Tickets, r.AgencyID)
			}
			c.report(t, c.admin, fmt.Sprintf("&agency_id=%d", c.disdik), 403)
			c.report(t, c.emp, "", 403)
			c.report(t, "", "", 401)
		})
	})
}

func minutes(p *float64) float64 {
	if p == nil {
		return -1
	}
	return *p
}

// checkTallies compares tallies, largest first, as "name=count" (the code
// for categories, channels and tags).
func checkTallies(t *testing.T, what string, got []helpdesk.Tally, want ...string) {
	t.Helper()
	var list []string
	for _, v := range got {
		name := v.Name
		if v.Code != "" {
			name = v.Code
		}
		list = append(list, fmt.Sprintf("%s=%d", name, v.Count))
	}
	if strings.Join(list, " ") != strings.Join(want, " ") {
		t.Errorf("%s: %v, want %v", what, list, want)
	}
}

func TestHelpdeskReportBadPeriod(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newReportCity(t, d)
		for _, q := range []struct{ query, field string }{
			{"from=2026-13-01&to=2026-12-31", "from"},
			{"from=kemarin&to=2026-12-31", "from"},
			{"from=2026-03-01", "to"},
			{"from=2026-03-31&to=2026-03-01", "to"},
			{"from=2025-01-01&to=2026-02-05", "to"},
			{"preset=minggu_ini", "preset"},
			{"preset=this_year&agency_id=x", "agency_id"},
		} {
			r := c.h.Do(t, "GET", "/api/v1/reports/helpdesk?"+q.query, c.agent, nil, "")
			if r.Status != 422 || !strings.Contains(string(r.Body), `"`+q.field+`"`) {
				t.Errorf("%s: %d %s, want 422 naming %s", q.query, r.Status, r.Body, q.field)
			}
		}
		// 400 days is the longest period.
		if r := c.h.Do(t, "GET", "/api/v1/reports/helpdesk?from=2025-01-01&to=2026-02-04", c.agent, nil, ""); r.Status != 200 {
			t.Errorf("400 days: %d %s", r.Status, r.Body)
		}
		for _, p := range []string{"this_month", "last_month", "this_year"} {
			if r := c.h.Do(t, "GET", "/api/v1/reports/helpdesk?preset="+p, c.agent, nil, ""); r.Status != 200 {
				t.Errorf("%s: %d %s", p, r.Status, r.Body)
			}
		}
	})
}

func TestHelpdeskReportPageAndDownloads(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newReportCity(t, d)
		b := c.h.SignIn(t, "agen@makassarkota.go.id", c.pw["agen@makassarkota.go.id"])
		p := b.Get("/layanan/laporan?from=2026-03-01&to=2026-03-31")
		for _, want := range []string{"<caption>Tiket per OPD</caption>", `<th scope="row" data-label="OPD">Dinas Kesehatan</th>`,
			"Kepatuhan SLA per prioritas", "laporan.xlsx?from=2026-03-01&amp;to=2026-03-31"} {
			if p.Status != 200 || !strings.Contains(p.Body, want) {
				t.Errorf("page: %d, no %q", p.Status, want)
			}
		}
		if p := b.Get("/layanan/laporan?from=2026-03-31&to=2026-03-01"); p.Status != 422 ||
			!strings.Contains(p.Body, "tanggal akhir tidak boleh sebelum tanggal awal") {
			t.Errorf("bad period: %d %.300s", p.Status, p.Body)
		}
		if p := b.Get("/layanan/laporan"); p.Status != 200 {
			t.Errorf("this month: %d", p.Status)
		}

		csv := b.Get("/layanan/laporan.csv?from=2026-03-01&to=2026-03-31")
		if csv.Status != 200 || !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") ||
			csv.Header.Get("Content-Disposition") != `attachment; filename="laporan-helpdesk-2026-03-01_2026-03-31.csv"` ||
			!strings.Contains(csv.Body, "Tiket per OPD\nOPD,Tiket,Porsi (%)\nDinas Kesehatan,4,80\n") {
			t.Errorf("CSV: %d %v %.600s", csv.Status, csv.Header, csv.Body)
		}
		x := b.Get("/layanan/laporan.xlsx?from=2026-03-01&to=2026-03-31")
		if x.Status != 200 || !strings.Contains(x.Header.Get("Content-Disposition"), `laporan-helpdesk-2026-03-01_2026-03-31.xlsx"`) {
			t.Fatalf("XLSX: %d %v", x.Status, x.Header)
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(x.Body)))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if v, _ := f.GetCellValue("Tiket per OPD", "B3"); v != "4" {
			t.Errorf("XLSX sheets %v, Tiket per OPD!B3 = %q", f.GetSheetList(), v)
		}
		if bad := b.Get("/layanan/laporan.csv?from=2026-03-31&to=2026-03-01"); bad.Status != 422 {
			t.Errorf("CSV of a bad period: %d", bad.Status)
		}
		emp := c.h.SignIn(t, "nuraini@makassarkota.go.id", c.pw["nuraini@makassarkota.go.id"])
		if p := emp.Get("/layanan/laporan"); p.Status != 403 {
			t.Errorf("employee: %d", p.Status)
		}
		if p := emp.Get("/layanan/laporan.csv"); p.Status != 403 {
			t.Errorf("employee's CSV: %d", p.Status)
		}
	})
}
