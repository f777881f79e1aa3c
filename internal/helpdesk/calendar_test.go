package helpdesk_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/calendar"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// superadmin adds the superadmin to the desk and returns their token.
func (c *desk) superadmin(t *testing.T) string {
	t.Helper()
	c.h.User(t, "super@makassarkota.go.id", "Super Admin", policy.Superadmin, "KOMINFO")
	return c.h.Token(t, "super@makassarkota.go.id")
}

func TestSLAPoliciesThroughTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		super := c.superadmin(t)
		var list struct{ Items []helpdesk.SLAPolicy }
		c.h.Do(t, "GET", "/api/v1/sla-policies", c.agent, nil, "").JSON(t, &list)
		if len(list.Items) != 4 || list.Items[0] != (helpdesk.SLAPolicy{Priority: "urgent", FirstResponseMinutes: 15,
			ResolutionMinutes: 240, Calendar: "24x7"}) {
			t.Errorf("policies: %+v", list.Items)
		}
		servertest.Problem(t, c.h.Do(t, "GET", "/api/v1/sla-policies", c.emp, nil, ""), 403)
		good := map[string]any{"first_response_minutes": 120, "resolution_minutes": 960, "calendar": "working"}
		servertest.Problem(t, c.h.Do(t, "PUT", "/api/v1/sla-policies/normal", c.agent, good, ""), 403)
		servertest.Problem(t, c.h.Do(t, "PUT", "/api/v1/sla-policies/sangat", super, good, ""), 404)
		servertest.ProblemFields(t, c.h.Do(t, "PUT", "/api/v1/sla-policies/normal", super,
			map[string]any{"first_response_minutes": 0, "resolution_minutes": -5, "calendar": "weekdays"}, ""),
			422, "first_response_minutes", "resolution_minutes", "calendar")
		servertest.ProblemFields(t, c.h.Do(t, "PUT", "/api/v1/sla-policies/normal", super,
			map[string]any{"first_response_minutes": 600, "resolution_minutes": 60, "calendar": "24x7"}, ""),
			422, "first_response_minutes")
		r := c.h.Do(t, "PUT", "/api/v1/sla-policies/normal", super, good, "")
		var p helpdesk.SLAPolicy
		if r.JSON(t, &p); r.Status != 200 || p.Calendar != "working" || p.ResolutionMinutes != 960 {
			t.Fatalf("put: %d %s", r.Status, r.Body)
		}
		c.h.Do(t, "GET", "/api/v1/sla-policies", c.agent, nil, "").JSON(t, &list)
		if list.Items[2] != (helpdesk.SLAPolicy{Priority: "normal", FirstResponseMinutes: 120, ResolutionMinutes: 960,
			Calendar: "working"}) {
			t.Errorf("after put: %+v", list.Items)
		}
		if n := auditCount(t, d, "sla_policy"); n != 1 {
			t.Errorf("%d audit records of SLA policies, want 1 (refused changes write none)", n)
		}
	})
}

func auditCount(t *testing.T, d *db.DB, entity string) int {
	t.Helper()
	var n int
	if err := d.W.QueryRow(`SELECT count(*) FROM audit_log WHERE entity = $1`, entity).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestHolidaysThroughTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		super := c.superadmin(t)
		var list struct{ Items []calendar.Holiday }
		c.h.Do(t, "GET", "/api/v1/holidays?year=2027", c.agent, nil, "").JSON(t, &list)
		if len(list.Items) == 0 || list.Items[0] != (calendar.Holiday{Date: "2027-01-01", Name: "Tahun Baru 2027 Masehi"}) {
			t.Errorf("2027: %+v", list.Items)
		}
		c.h.Do(t, "GET", "/api/v1/holidays", c.agent, nil, "").JSON(t, &list)
		if len(list.Items) != 33 || list.Items[23] != (calendar.Holiday{Date: "2026-12-24", Name: "Cuti bersama Kelahiran Yesus Kristus"}) {
			t.Errorf("seeded: %d %+v", len(list.Items), list.Items)
		}
		servertest.ProblemFields(t, c.h.Do(t, "GET", "/api/v1/holidays?year=tahun", c.agent, nil, ""), 422, "year")
		servertest.Problem(t, c.h.Do(t, "GET", "/api/v1/holidays", c.emp, nil, ""), 403)

		imlek := map[string]any{"date": "2027-02-06", "name": "Tahun Baru Imlek 2578 Kongzili"}
		servertest.Problem(t, c.h.Do(t, "POST", "/api/v1/holidays", c.agent, imlek, ""), 403)
		for _, bad := range []map[string]any{{"date": "2027-02-30", "name": "x"}, {"date": "6/2/2027", "name": "x"},
			{"date": "", "name": "x"}} {
			servertest.ProblemFields(t, c.h.Do(t, "POST", "/api/v1/holidays", super, bad, ""), 422, "date")
		}
		servertest.ProblemFields(t, c.h.Do(t, "POST", "/api/v1/holidays", super,
			map[string]any{"date": "2027-02-06", "name": "  "}, ""), 422, "name")
		servertest.ProblemFields(t, c.h.Do(t, "POST", "/api/v1/holidays", super,
			map[string]any{"date": "2026-12-25", "name": "Natal"}, ""), 409, "date")
		r := c.h.Do(t, "POST", "/api/v1/holidays", super, imlek, "")
		if r.Status != 201 || r.Header.Get("Location") != "/api/v1/holidays/2027-02-06" {
			t.Fatalf("add: %d %s", r.Status, r.Body)
		}
		servertest.Problem(t, c.h.Do(t, "DELETE", "/api/v1/holidays/2027-02-06", c.agent, nil, ""), 403)
		if r := c.h.Do(t, "DELETE", "/api/v1/holidays/2027-02-06", super, nil, ""); r.Status != 204 {
			t.Fatalf("delete: %d %s", r.Status, r.Body)
		}
		servertest.Problem(t, c.h.Do(t, "DELETE", "/api/v1/holidays/2027-02-06", super, nil, ""), 404)
		servertest.Problem(t, c.h.Do(t, "DELETE", "/api/v1/holidays/besok", super, nil, ""), 404)
		if n := auditCount(t, d, "holiday"); n != 2 {
			t.Errorf("%d audit records of holidays, want 2", n)
		}
	})
}

func TestTheCalendarPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		super := c.h.SignIn(t, "super@makassarkota.go.id", c.h.User(t, "super@makassarkota.go.id", "Super Admin",
			policy.Superadmin, "KOMINFO"))
		super.Get("/layanan/kalender").Want(t, 200, "the calendar page", "Target layanan per prioritas", "Jumat",
			"07.30–16.30", "Tambah hari libur")
		super.PostForm("/layanan/kalender/libur", url.Values{"date": {"2099-01-02"}, "name": {"Hari uji Dottoro'ta"}}).
			Redirects(t, "add a holiday", "/layanan/kalender")
		super.Get("/layanan/kalender").Want(t, 200, "after adding", "Hari uji Dottoro&#39;ta")
		super.PostForm("/layanan/kalender/libur", url.Values{"date": {"2099-01-02"}, "name": {"Lagi"}}).
			Want(t, 409, "a date taken", "tanggal ini sudah menjadi hari libur")
		super.PostForm("/layanan/kalender/sla/high", url.Values{"priority": {"high"}, "first_response_minutes": {"nol"},
			"resolution_minutes": {"480"}, "calendar": {"working"}}).
			Want(t, 422, "bad minutes", "harus bilangan bulat antara 1 dan")
		super.PostForm("/layanan/kalender/sla/high", url.Values{"priority": {"high"}, "first_response_minutes": {"90"},
			"resolution_minutes": {"480"}, "calendar": {"working"}}).Redirects(t, "save targets", "/layanan/kalender")
		super.PostForm("/layanan/kalender/libur/2099-01-02/hapus", nil).Redirects(t, "remove", "/layanan/kalender")
		super.Get("/layanan/kalender").Lacks(t, "after removing", "Hari uji")

		agentPw := c.h.User(t, "agen2@makassarkota.go.id", "Agen Kedua", policy.Agent, "KOMINFO")
		agent := c.h.SignIn(t, "agen2@makassarkota.go.id", agentPw)
		page := agent.Get("/layanan/kalender")
		page.Want(t, 200, "the agent's calendar page", "Jam kerja", "90")
		page.Lacks(t, "the agent's calendar page", "Tambah hari libur", "Simpan target")
		agent.PostForm("/layanan/kalender/libur", url.Values{"date": {"2099-01-03"}, "name": {"x"}}).
			Want(t, 403, "an agent adds a holiday")
		empPw := c.h.User(t, "staf@makassarkota.go.id", "Staf Biasa", policy.Employee, "DISKES")
		c.h.SignIn(t, "staf@makassarkota.go.id", empPw).Get("/layanan/kalender").Want(t, 403, "an employee")
	})
}

// onWorkingHours puts a priority's clocks on working hours and returns the
// calendar they run on, with the database's holidays.
func onWorkingHours(t *testing.T, c *desk, super string, priority string, first, resolution int) *calendar.Calendar {
	t.Helper()
	r := c.h.Do(t, "PUT", "/api/v1/sla-policies/"+priority, super,
		map[string]any{"first_response_minutes": first, "resolution_minutes": resolution, "calendar": "working"}, "")
	if r.Status != 200 {
		t.Fatalf("put policy: %d %s", r.Status, r.Body)
	}
	var list struct{ Items []calendar.Holiday }
	c.h.Do(t, "GET", "/api/v1/holidays", super, nil, "").JSON(t, &list)
	wita, _ := time.LoadLocation("Asia/Makassar")
	cal, err := calendar.New(wita, calendar.DefaultWeek, calendar.Days(list.Items)...)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

func TestWorkingHoursDues(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		super := c.superadmin(t)
		cal := onWorkingHours(t, c, super, "normal", 240, 1440)
		tk := c.file(t, c.actor(t, c.emp), helpdesk.TicketInput{Subject: "Printer jaringan mati", Category: "network"})
		if !tk.FirstResponseDue.Equal(cal.Add(tk.CreatedAt, 4*time.Hour)) || cal.Between(tk.CreatedAt, tk.ResolutionDue) != 24*time.Hour {
			t.Errorf("created %v: dues %v / %v", tk.CreatedAt, tk.FirstResponseDue, tk.ResolutionDue)
		}
		// 24 working hours are more than two working days whenever filed.
		if tk.ResolutionDue.Sub(tk.CreatedAt) < 48*time.Hour {
			t.Errorf("resolution due %v after %v counts more than working hours", tk.ResolutionDue, tk.CreatedAt)
		}
		// A due on working hours falls in them.
		for _, due := range []time.Time{tk.FirstResponseDue, tk.ResolutionDue} {
			wita, _ := time.LoadLocation("Asia/Makassar")
			local := due.In(wita)
			clock := local.Hour()*60 + local.Minute()
			if wd := local.Weekday(); wd == time.Saturday || wd == time.Sunday || clock < 7*60+30 || clock > 16*60+30 {
				t.Errorf("due %v is outside working hours", local)
			}
		}
		// Other priorities stay on 24/7.
		high := c.file(t, c.actor(t, c.emp), helpdesk.TicketInput{Subject: "SIMPEG lambat", Category: "application", Priority: "high"})
		if !high.FirstResponseDue.Equal(high.CreatedAt.Add(time.Hour)) {
			t.Errorf("24/7 high: due %v for %v", high.FirstResponseDue, high.CreatedAt)
		}
	})
}

func TestAPendingPauseOverAWeekendCountsOnlyWorkingTime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		super := c.superadmin(t)
		cal := onWorkingHours(t, c, super, "normal", 240, 1440)
		agent := c.actor(t, c.agent)
		tk := c.file(t, c.actor(t, c.emp), helpdesk.TicketInput{Subject: "Printer jaringan mati", Category: "network"})
		c.update(t, agent, tk.Number, helpdesk.TicketPatch{Status: ptr("pending")})
		// The ticket was filed, and set pending, a week ago on a Friday
		// afternoon: the pause spans at least one weekend.
		wita, _ := time.LoadLocation("Asia/Makassar")
		friday := time.Now().In(wita).AddDate(0, 0, -7)
		for friday.Weekday() != time.Friday {
			friday = friday.AddDate(0, 0, -1)
		}
		filed := time.Date(friday.Year(), friday.Month(), friday.Day(), 14, 0, 0, 0, wita).UTC()
		since := filed.Add(time.Hour)
		first, resolution := cal.Add(filed, 4*time.Hour), cal.Add(filed, 24*time.Hour)
		if _, err := d.W.Exec(`UPDATE tickets SET created_at = $1, pending_since = $2, first_response_due = $3,
			resolution_due = $4`, filed, since, first, resolution); err != nil {
			t.Fatal(err)
		}
		after := c.update(t, agent, tk.Number, helpdesk.TicketPatch{Status: ptr("open")})
		var paused int64
		if err := d.W.QueryRow(`SELECT paused_seconds FROM tickets`).Scan(&paused); err != nil {
			t.Fatal(err)
		}
		pause := time.Duration(paused) * time.Second
		if want := cal.Between(since, after.UpdatedAt).Truncate(time.Second); pause != want {
			t.Errorf("paused %v, want the working time %v", pause, want)
		}
		if wall := after.UpdatedAt.Sub(since); pause > wall-48*time.Hour {
			t.Errorf("paused %v of %v: the weekend counted", pause, wall)
		}
		if got := cal.Between(filed, after.FirstResponseDue); got != 4*time.Hour+pause {
			t.Errorf("first response due %v: %v of working time after filing, want 4h + %v", after.FirstResponseDue, got, pause)
		}
		if got := cal.Between(filed, after.ResolutionDue); got != 24*time.Hour+pause {
			t.Errorf("resolution due %v: %v of working time after filing, want 24h + %v", after.ResolutionDue, got, pause)
		}
		// Recomputing the dues (a change of priority and back) lands on the same.
		c.update(t, agent, tk.Number, helpdesk.TicketPatch{Priority: ptr("low")})
		again := c.update(t, agent, tk.Number, helpdesk.TicketPatch{Priority: ptr("normal")})
		if !again.FirstResponseDue.Equal(after.FirstResponseDue) || !again.ResolutionDue.Equal(after.ResolutionDue) {
			t.Errorf("recomputed %v / %v, moved on %v / %v", again.FirstResponseDue, again.ResolutionDue,
				after.FirstResponseDue, after.ResolutionDue)
		}
	})
}
