package helpdesk_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/calendar"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/jobs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// laporCalendar is the working calendar with the database's holidays.
func laporCalendar(t *testing.T, c *desk, token string) *calendar.Calendar {
	t.Helper()
	var list struct{ Items []calendar.Holiday }
	c.h.Do(t, "GET", "/api/v1/holidays", token, nil, "").JSON(t, &list)
	wita, _ := time.LoadLocation("Asia/Makassar")
	cal, err := calendar.New(wita, calendar.DefaultWeek, calendar.Days(list.Items)...)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

func (c *desk) lapor(t *testing.T, token, number string) helpdesk.LaporComplaint {
	t.Helper()
	r := c.h.Do(t, "GET", "/api/v1/tickets/"+number+"/lapor", token, nil, "")
	if r.Status != 200 {
		t.Fatalf("GET lapor of %s: %d %s", number, r.Status, r.Body)
	}
	var l helpdesk.LaporComplaint
	r.JSON(t, &l)
	return l
}

func TestRegisteringALaporComplaint(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		cal := laporCalendar(t, c, c.agent)
		emp := c.actor(t, c.emp)
		tk := c.file(t, emp, helpdesk.TicketInput{Subject: "Jalan rusak di Jl. Veteran", Category: "other"})
		other := c.file(t, emp, helpdesk.TicketInput{Subject: "Lampu jalan mati", Category: "other"})
		path := "/api/v1/tickets/" + tk.Number + "/lapor"
		servertest.Problem(t, c.h.Do(t, "GET", path, c.agent, nil, ""), 404)
		servertest.Problem(t, c.h.Do(t, "POST", path, c.emp, map[string]any{"tracking_id": "3516742"}, ""), 403)
		servertest.Problem(t, c.h.Do(t, "POST", path, c.otherAdmin, map[string]any{"tracking_id": "3516742"}, ""), 404)
		for _, bad := range []string{"", "#", "35 16", "ab"} {
			servertest.ProblemFields(t, c.h.Do(t, "POST", path, c.agent, map[string]any{"tracking_id": bad}, ""), 422, "tracking_id")
		}
		servertest.ProblemFields(t, c.h.Do(t, "POST", path, c.agent, map[string]any{"tracking_id": "3516742",
			"received_at": time.Now().Add(48 * time.Hour)}, ""), 422, "received_at")
		// Received in LAPOR! at most 90 days before the ticket was created.
		for _, old := range []any{"0001-01-01T00:00:00Z", tk.CreatedAt.AddDate(0, 0, -91)} {
			r := c.h.Do(t, "POST", path, c.agent, map[string]any{"tracking_id": "3516742", "received_at": old}, "")
			servertest.ProblemFields(t, r, 422, "received_at")
			if !strings.Contains(string(r.Body), "90") {
				t.Errorf("received %v: %s, want the 90 days named", old, r.Body)
			}
		}

		r := c.h.Do(t, "POST", path, c.agent, map[string]any{"tracking_id": "#3516742"}, "")
		if r.Status != 201 || r.Header.Get("Location") != path {
			t.Fatalf("register: %d %s", r.Status, r.Body)
		}
		var l helpdesk.LaporComplaint
		r.JSON(t, &l)
		if l.TrackingID != "3516742" || !l.ReceivedAt.Equal(tk.CreatedAt) ||
			!l.ForwardDue.Equal(cal.AddWorkingDays(tk.CreatedAt, 3)) || !l.FollowupDue.Equal(cal.AddWorkingDays(tk.CreatedAt, 5)) ||
			l.ForwardedAt != nil || l.FollowedUpAt != nil || l.CloseDue != nil {
			t.Errorf("registered: %+v", l)
		}
		if got := c.lapor(t, c.emp, tk.Number); got != l {
			t.Errorf("the reporter reads %+v, want %+v", got, l)
		}
		servertest.Problem(t, c.h.Do(t, "POST", path, c.agent, map[string]any{"tracking_id": "9999999"}, ""), 409)
		servertest.ProblemFields(t, c.h.Do(t, "POST", "/api/v1/tickets/"+other.Number+"/lapor", c.agent,
			map[string]any{"tracking_id": "3516742"}, ""), 409, "tracking_id")

		// A complaint received in LAPOR! earlier counts from then (the
		// ticket filed the day after, for the holidays of May 2026).
		received := time.Date(2026, 5, 12, 2, 0, 0, 0, time.UTC)
		if _, err := d.W.Exec(`UPDATE tickets SET created_at = $1 WHERE id = $2`, received.Add(24*time.Hour),
			mustID(t, other.Number)); err != nil {
			t.Fatal(err)
		}
		r = c.h.Do(t, "POST", "/api/v1/tickets/"+other.Number+"/lapor", c.agent,
			map[string]any{"tracking_id": "3516800", "received_at": received}, "")
		r.JSON(t, &l)
		// Tuesday 12 May 2026, 10:00 WITA: Wednesday, then Ascension Day
		// and its cuti bersama, the weekend, Monday 18th and Tuesday 19th.
		wita, _ := time.LoadLocation("Asia/Makassar")
		if want := time.Date(2026, 5, 19, 23, 59, 59, 0, wita); r.Status != 201 || !l.ForwardDue.Equal(want) {
			t.Errorf("received %v: forward due %v, want %v (%d %s)", received, l.ForwardDue, want, r.Status, r.Body)
		}
		got, err := c.h.Svc.Desk.GetTicket(context.Background(), c.actor(t, c.agent), tk.Number)
		if err != nil {
			t.Fatal(err)
		}
		if e := got.History[len(got.History)-1]; e.Kind != "lapor" || e.New != "3516742" || e.Actor != "Agen Help Desk" {
			t.Errorf("history: %+v", got.History)
		}
		var audits int
		if err := d.W.QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'lapor'`).Scan(&audits); err != nil || audits != 2 {
			t.Errorf("%d audit records of registrations (%v), want 2", audits, err)
		}
	})
}

func TestLaporClocksRecordForwardingAndFollowUp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		super := c.superadmin(t)
		cal := laporCalendar(t, c, c.agent)
		agent := c.actor(t, c.agent)
		team := c.h.Do(t, "POST", "/api/v1/teams", super, map[string]any{"code": "pengaduan", "name": "Tim Pengaduan"}, "")
		var tm helpdesk.Team
		team.JSON(t, &tm)
		tk := c.file(t, c.actor(t, c.emp), helpdesk.TicketInput{Subject: "Jalan rusak", Category: "other"})
		if _, err := c.h.Svc.Desk.RegisterLapor(context.Background(), agent, tk.Number, helpdesk.LaporInput{TrackingID: "3516742"}); err != nil {
			t.Fatal(err)
		}
		routed := c.update(t, agent, tk.Number, helpdesk.TicketPatch{TeamID: &tm.ID, SetTeam: true})
		if l := c.lapor(t, c.agent, tk.Number); l.ForwardedAt == nil || !l.ForwardedAt.Equal(routed.UpdatedAt) {
			t.Errorf("forwarded %v, want %v", l.ForwardedAt, routed.UpdatedAt)
		}
		// A note is no follow-up; the first public reply is.
		if _, err := c.h.Svc.Desk.AddReply(context.Background(), agent, tk.Number, helpdesk.ReplyInput{Body: "Cek ke Dinas PU", Internal: true}); err != nil {
			t.Fatal(err)
		}
		if l := c.lapor(t, c.agent, tk.Number); l.FollowedUpAt != nil {
			t.Errorf("a note followed up: %+v", l)
		}
		m, err := c.h.Svc.Desk.AddReply(context.Background(), agent, tk.Number, helpdesk.ReplyInput{Body: "Sudah diteruskan ke Dinas PU."})
		if err != nil {
			t.Fatal(err)
		}
		l := c.lapor(t, c.agent, tk.Number)
		if l.FollowedUpAt == nil || !l.FollowedUpAt.Equal(m.CreatedAt) || l.CloseDue == nil ||
			!l.CloseDue.Equal(cal.AddWorkingDays(m.CreatedAt, 10)) {
			t.Errorf("followed up: %+v after a reply at %v", l, m.CreatedAt)
		}
		// Routing elsewhere later moves nothing.
		c.update(t, agent, tk.Number, helpdesk.TicketPatch{SetTeam: true})
		c.update(t, agent, tk.Number, helpdesk.TicketPatch{TeamID: &tm.ID, SetTeam: true})
		if again := c.lapor(t, c.agent, tk.Number); !again.ForwardedAt.Equal(*l.ForwardedAt) {
			t.Errorf("forwarded moved to %v", again.ForwardedAt)
		}
		// A ticket filed with its team and already answered is recorded as
		// forwarded and followed up when registered.
		pre := c.file(t, agent, helpdesk.TicketInput{Subject: "Sampah menumpuk", Category: "other", TeamID: &tm.ID,
			ContactPhone: "081234567890"})
		reply, err := c.h.Svc.Desk.AddReply(context.Background(), agent, pre.Number, helpdesk.ReplyInput{Body: "Diteruskan."})
		if err != nil {
			t.Fatal(err)
		}
		pl, err := c.h.Svc.Desk.RegisterLapor(context.Background(), agent, pre.Number, helpdesk.LaporInput{TrackingID: "3516743"})
		if err != nil {
			t.Fatal(err)
		}
		if pl.ForwardedAt == nil || !pl.ForwardedAt.Equal(pre.CreatedAt) || pl.FollowedUpAt == nil ||
			!pl.FollowedUpAt.Equal(reply.CreatedAt) || pl.CloseDue == nil {
			t.Errorf("registered late: %+v", pl)
		}
	})
}

// laporJob is the LAPOR! job the server runs.
func laporJob(t *testing.T, c *desk) jobs.Job {
	t.Helper()
	for _, j := range c.h.Svc.Jobs() {
		if j.Name == "lapor-close" {
			return j
		}
	}
	t.Fatal("the server runs no lapor-close job")
	return jobs.Job{}
}

func TestTheJobClosesLaporComplaintsTheReporterDidNotAnswer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		ctx := context.Background()
		agent, emp := c.actor(t, c.agent), c.actor(t, c.emp)
		status := func(s string) helpdesk.TicketPatch { return helpdesk.TicketPatch{Status: ptr(s)} }
		reply := func(by *policy.Actor, number, body string) {
			t.Helper()
			if _, err := c.h.Svc.Desk.AddReply(ctx, by, number, helpdesk.ReplyInput{Body: body}); err != nil {
				t.Fatal(err)
			}
		}
		// Every complaint is followed up by the help desk's reply; then:
		cases := []struct {
			name   string
			after  func(number string)
			closes bool
		}{
			{"pending, silent, reminded by the agent", func(n string) {
				c.update(t, agent, n, status("pending"))
				reply(agent, n, "Mohon konfirmasi apakah sudah diperbaiki.")
			}, true},
			{"resolved, silent", func(n string) { c.update(t, agent, n, status("resolved")) }, true},
			{"answered by the reporter's reply", func(n string) {
				c.update(t, agent, n, status("pending"))
				reply(emp, n, "Belum diperbaiki.")
			}, false},
			{"answer entered by an agent, reopened", func(n string) {
				c.update(t, agent, n, status("pending"))
				reply(agent, n, "Pelapor (via LAPOR!): jalan masih rusak.")
				c.update(t, agent, n, status("open"))
			}, false},
			{"reopened, then resolved again", func(n string) {
				c.update(t, agent, n, status("resolved"))
				c.update(t, agent, n, status("open"))
				c.update(t, agent, n, status("resolved"))
			}, false},
			{"still open: the help desk works it", func(string) {}, false},
		}
		complaints := make([]helpdesk.LaporComplaint, len(cases))
		var due time.Time
		for i, tc := range cases {
			tk := c.file(t, emp, helpdesk.TicketInput{Subject: fmt.Sprintf("Pengaduan %d", i), Category: "other"})
			if _, err := c.h.Svc.Desk.RegisterLapor(ctx, agent, tk.Number, helpdesk.LaporInput{TrackingID: fmt.Sprint(3516742 + i)}); err != nil {
				t.Fatal(err)
			}
			reply(agent, tk.Number, "Sudah ditindaklanjuti.")
			tc.after(tk.Number)
			complaints[i] = c.lapor(t, c.agent, tk.Number)
			if due.IsZero() || complaints[i].CloseDue.After(due) {
				due = *complaints[i].CloseDue
			}
		}
		statuses := make([]string, len(cases))
		for i, l := range complaints {
			got, _ := c.get(t, c.agent, l.Number)
			statuses[i] = got.Status
		}
		job := laporJob(t, c)
		if err := job.Run(ctx, complaints[0].CloseDue.Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
		if got, _ := c.get(t, c.agent, complaints[0].Number); got.Status != "pending" {
			t.Fatalf("closed before its due: %s", got.Status)
		}
		// Two nodes run the job at once, past the due: each ticket closes once.
		after := due.Add(time.Minute)
		var wg sync.WaitGroup
		var mu sync.Mutex
		total := 0
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := c.h.Svc.Desk.CloseUnansweredLapor(ctx, after)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					t.Error(err)
				}
				total += n
			}()
		}
		wg.Wait()
		if err := job.Run(ctx, after.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if total != 2 {
			t.Errorf("closed %d times, want 2 (the two silent complaints, once each)", total)
		}
		for i, tc := range cases {
			got, _ := c.get(t, c.agent, complaints[i].Number)
			l := c.lapor(t, c.agent, complaints[i].Number)
			if !tc.closes {
				if got.Status != statuses[i] || l.ClosedByJobAt != nil {
					t.Errorf("%s: %s, closed by the job %v; want it left %s", tc.name, got.Status, l.ClosedByJobAt, statuses[i])
				}
				continue
			}
			if got.Status != "closed" || got.ClosedAt == nil || !got.ClosedAt.Equal(after) {
				t.Errorf("%s: %s closed %v", tc.name, got.Status, got.ClosedAt)
			}
			if last := got.History[len(got.History)-1]; last.Kind != "lapor_closed" || last.Actor != "Lontara (LAPOR!)" {
				t.Errorf("%s: history ends %+v", tc.name, last)
			}
			if l.ClosedByJobAt == nil || !l.ClosedByJobAt.Equal(after) {
				t.Errorf("%s: closed by job %v", tc.name, l.ClosedByJobAt)
			}
		}
		var audits int
		if err := d.W.QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'lapor_close'`).Scan(&audits); err != nil || audits != 2 {
			t.Errorf("%d audit records of the closing (%v), want 2", audits, err)
		}
	})
}

func TestTheAgentTicketPageShowsLapor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		tk := c.file(t, c.actor(t, c.emp), helpdesk.TicketInput{Subject: "Jalan rusak", Category: "other"})
		pw := c.h.User(t, "agen2@makassarkota.go.id", "Agen Kedua", policy.Agent, "KOMINFO")
		agent := c.h.SignIn(t, "agen2@makassarkota.go.id", pw)
		path := "/layanan/" + tk.Number
		agent.Get(path).Want(t, 200, "the ticket page", "Catat sebagai pengaduan LAPOR!")
		agent.PostForm(path+"/lapor", url.Values{"tracking_id": {"35 16"}}).
			Want(t, 422, "a bad tracking ID", "4–40 huruf, angka atau tanda hubung")
		agent.PostForm(path+"/lapor", url.Values{"tracking_id": {"3516742"}}).Redirects(t, "register", path)
		page := agent.Get(path)
		page.Want(t, 200, "the registered ticket", "Pengaduan LAPOR! #3516742", "Diteruskan ke tim (3 hari kerja)",
			"berjalan", "pengaduan LAPOR!")
		page.Lacks(t, "the registered ticket", "Catat pengaduan LAPOR!")
	})
}

// A complaint whose ticket the reporter reopens while the closing job
// runs is left open: the job holds the ticket before it claims the
// complaint (as an agent's save holds it before it records on the
// complaint), so it waits for the save (PostgreSQL; on SQLite the writers
// take turns) and finds the complaint answered.
func TestTheLaporJobWaitsForASaveOfTheTicket(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		ctx := context.Background()
		agent, emp := c.actor(t, c.agent), c.actor(t, c.emp)
		tk := c.file(t, emp, helpdesk.TicketInput{Subject: "Jalan rusak", Category: "other"})
		if _, err := c.h.Svc.Desk.RegisterLapor(ctx, agent, tk.Number, helpdesk.LaporInput{TrackingID: "3516800"}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.h.Svc.Desk.AddReply(ctx, agent, tk.Number, helpdesk.ReplyInput{Body: "Sudah ditindaklanjuti."}); err != nil {
			t.Fatal(err)
		}
		c.update(t, agent, tk.Number, helpdesk.TicketPatch{Status: ptr("resolved")})
		l := c.lapor(t, c.agent, tk.Number)

		// The reporter's reopening, being saved.
		reopen := dbtest.Hold(t, d, `UPDATE tickets SET status = 'open', version = version + 1 WHERE id = $1`,
			mustID(t, tk.Number))
		type result struct {
			n   int
			err error
		}
		ran := make(chan result, 1)
		go func() {
			n, err := c.h.Svc.Desk.CloseUnansweredLapor(ctx, l.CloseDue.Add(time.Minute))
			ran <- result{n, err}
		}()
		dbtest.WaitForLockWaits(t, d, 1, "tickets")
		reopen.Commit()
		if r := <-ran; r.err != nil || r.n != 0 {
			t.Errorf("the job closed %d complaints (%v), want none", r.n, r.err)
		}
		if got, _ := c.get(t, c.agent, tk.Number); got.Status != "open" {
			t.Errorf("the reopened ticket is %s", got.Status)
		}
	})
}
