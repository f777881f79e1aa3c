package helpdesk_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
)

// sent is one stored notification.
type sent struct {
	Account int64
	Kind    string
	Args    []string
	Link    string
}

// notifications lists the escalations sent (working the tickets sends
// other notifications, to the reporter).
func notifications(t *testing.T, d *db.DB) []sent {
	t.Helper()
	rows, err := d.R.Query(`SELECT account_id, kind, args, link FROM notifications
		WHERE kind LIKE 'ticket.breach%' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var list []sent
	for rows.Next() {
		var n sent
		var args string
		if err := rows.Scan(&n.Account, &n.Kind, &args, &n.Link); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(args), &n.Args); err != nil {
			t.Fatal(err)
		}
		list = append(list, n)
	}
	return list
}

// recipients lists who got notifications of kind about ticket number.
func recipients(list []sent, kind, number string) []int64 {
	var ids []int64
	for _, n := range list {
		if n.Kind == kind && n.Args[0] == number {
			ids = append(ids, n.Account)
		}
	}
	slices.Sort(ids)
	return ids
}

func TestEscalationWarnsAndReportsBreachesOnceToLeadAndOnCall(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newRouted(t, d)
		ctx, desk := context.Background(), c.h.Svc.Desk
		zone, err := time.LoadLocation("Asia/Makassar")
		if err != nil {
			t.Fatal(err)
		}
		run := func(at time.Time) {
			t.Helper()
			if err := desk.Escalate(ctx, at); err != nil {
				t.Fatalf("escalate at %v: %v", at, err)
			}
		}
		if _, err := desk.CreateRule(ctx, c.sys, helpdesk.RuleInput{Category: ptr("network"), TeamID: c.network}); err != nil {
			t.Fatal(err)
		}
		// The night agent is on call for ten hours; the reserve is a member
		// off duty; the lead is on no shift but leads the team.
		c.shift(t, c.network, c.night, time.Now().Add(-time.Hour), 10)
		agent := c.actor(t, c.agent)
		emp := c.actor(t, c.emp)
		// Normal priority: first response in 4 hours (warned in the last
		// hour), resolution in 24 (warned in the last 6).
		open := c.file(t, emp, helpdesk.TicketInput{Subject: "Internet OPD putus", Category: "network"})
		pending := c.file(t, emp, helpdesk.TicketInput{Subject: "Menunggu modem", Category: "network"})
		c.update(t, agent, pending.Number, helpdesk.TicketPatch{Status: ptr("pending")})
		resolved := c.file(t, emp, helpdesk.TicketInput{Subject: "Sudah beres", Category: "network"})
		c.update(t, agent, resolved.Number, helpdesk.TicketPatch{Status: ptr("resolved")})
		teamless := c.file(t, emp, helpdesk.TicketInput{Subject: "Cara mengajukan cuti", Category: "procedure"})
		if teamOf(open) != c.network || teamless.TeamID != nil {
			t.Fatalf("teams: %d, %v", teamOf(open), teamless.TeamID)
		}
		t0 := open.CreatedAt

		run(t0.Add(2 * time.Hour))
		if n := notifications(t, d); len(n) != 0 {
			t.Fatalf("two hours in, nothing is due: %+v", n)
		}

		run(t0.Add(3*time.Hour + 5*time.Minute))
		run(t0.Add(3*time.Hour + 6*time.Minute)) // a second run warns no one again
		list := notifications(t, d)
		want := []int64{c.lead, c.night}
		slices.Sort(want)
		if got := recipients(list, "ticket.breach_soon.first_response", open.Number); !slices.Equal(got, want) {
			t.Errorf("warned %v, want the lead and the on-call agent %v; all: %+v", got, want, list)
		}
		// The teamless ticket has no team to tell: the whole desk hears of
		// it (every team's leads and agents on duty).
		if got := recipients(list, "ticket.breach_soon.first_response", teamless.Number); !slices.Equal(got, want) {
			t.Errorf("teamless ticket warned %v, want the desk's lead and on-call agent %v", got, want)
		}
		if len(list) != 4 {
			t.Errorf("warnings: %+v", list)
		}
		n := list[0]
		due := open.FirstResponseDue.In(zone).Format("2006-01-02 15:04 MST")
		if n.Link != "/layanan/"+open.Number || n.Args[1] != "Internet OPD putus" || n.Args[2] != due {
			t.Errorf("notification %+v, want link /layanan/%s and due %s", n, open.Number, due)
		}
		var escalated int
		if err := d.R.QueryRow(`SELECT count(*) FROM ticket_escalations WHERE level = 'warning'`).Scan(&escalated); err != nil ||
			escalated != 2 {
			t.Errorf("warnings recorded: %d %v, want the open and the teamless ticket", escalated, err)
		}

		// Breached: once, even when two nodes run at the same moment.
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := desk.Escalate(ctx, t0.Add(4*time.Hour+time.Minute)); err != nil {
					t.Errorf("concurrent run: %v", err)
				}
			}()
		}
		wg.Wait()
		run(t0.Add(4*time.Hour + 2*time.Minute))
		list = notifications(t, d)
		if got := recipients(list, "ticket.breached.first_response", open.Number); !slices.Equal(got, want) {
			t.Errorf("breach told %v, want %v", got, want)
		}
		if len(list) != 8 {
			t.Errorf("notifications after the breach: %+v", list)
		}
		for _, tk := range []helpdesk.Ticket{pending, resolved} {
			if got := recipients(list, "ticket.breached.first_response", tk.Number); got != nil {
				t.Errorf("%s (%s) escalated to %v", tk.Number, tk.Subject, got)
			}
		}
		if err := d.R.QueryRow(`SELECT count(*) FROM ticket_escalations WHERE ticket_id = $1`, mustID(t, teamless.Number)).
			Scan(&escalated); err != nil || escalated != 2 {
			t.Errorf("teamless ticket's escalations: %d %v, want warning and breach recorded", escalated, err)
		}

		// The history shows the escalations to the help desk, not the reporter.
		got, _ := c.get(t, c.agent, open.Number)
		var kinds []string
		for _, e := range got.History {
			if e.Kind == "escalation" {
				kinds = append(kinds, e.New)
			}
		}
		if !slices.Equal(kinds, []string{"first_response.warning", "first_response.breached"}) {
			t.Errorf("escalation history: %+v", got.History)
		}
		mine, _ := c.get(t, c.emp, open.Number)
		for _, e := range mine.History {
			if e.Kind == "escalation" {
				t.Errorf("the reporter sees an escalation: %+v", e)
			}
		}
		if p := c.h.Do(t, "GET", "/api/v1/tickets/"+open.Number, c.agent, nil, ""); p.Status != 200 {
			t.Fatal(p.Status)
		}

		// Answered, the ticket's resolution clock is what runs; by its
		// warning the night shift is over, so only the lead hears of it.
		if _, err := desk.AddReply(ctx, agent, open.Number, helpdesk.ReplyInput{Body: "Teknisi menuju lokasi."}); err != nil {
			t.Fatal(err)
		}
		run(t0.Add(18*time.Hour + 5*time.Minute))
		list = notifications(t, d)
		if got := recipients(list, "ticket.breach_soon.resolution", open.Number); !slices.Equal(got, []int64{c.lead}) {
			t.Errorf("resolution warning told %v, want the lead %d alone", got, c.lead)
		}
		var audited int
		if err := d.R.QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'escalate'`).Scan(&audited); err != nil ||
			audited != 6 {
			t.Errorf("escalations audited: %d %v, want 6 (three each of the open and the teamless ticket)", audited, err)
		}
		// Escalations are the help desk's business: their audit entries are
		// city-wide, out of the ticket's agency's log, and hold no subject.
		rows, err := d.R.Query(`SELECT agency_id, after_json FROM audit_log WHERE action = 'escalate'`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var agency *int64
			var after string
			if err := rows.Scan(&agency, &after); err != nil {
				t.Fatal(err)
			}
			if agency != nil || strings.Contains(after, "Internet OPD") || strings.Contains(after, "cuti") {
				t.Errorf("escalation audited in agency %v: %s", agency, after)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		for _, token := range []string{c.admin, c.head} {
			r := c.h.Do(t, "GET", "/api/v1/audit?entity=ticket", token, nil, "")
			if body := string(r.Body); r.Status != 200 || !strings.Contains(body, `"action":"create"`) ||
				strings.Contains(body, `"action":"escalate"`) {
				t.Errorf("the agency reads escalations in its audit log: %d %s", r.Status, r.Body)
			}
		}
	})
}

func mustID(t *testing.T, number string) int64 {
	t.Helper()
	id, err := helpdesk.ParseNumber(number)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestEscalationNobodyOnTheTeamHearsFallsBackToAssigneeDeskAndSuperadmins(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newRouted(t, d)
		ctx, desk := context.Background(), c.h.Svc.Desk
		run := func(at time.Time) {
			t.Helper()
			if err := desk.Escalate(ctx, at); err != nil {
				t.Fatalf("escalate at %v: %v", at, err)
			}
		}
		agent, emp := c.actor(t, c.agent), c.actor(t, c.emp)
		// Tim Aplikasi has no lead and nobody on duty.
		assigned := c.file(t, emp, helpdesk.TicketInput{Subject: "SIMPEG galat", Category: "procedure"})
		c.update(t, agent, assigned.Number, helpdesk.TicketPatch{TeamID: &c.apps, SetTeam: true,
			AssigneeID: &c.appAgent, SetAssignee: true})
		unassigned := c.file(t, emp, helpdesk.TicketInput{Subject: "SIMPEG lambat", Category: "procedure"})
		c.update(t, agent, unassigned.Number, helpdesk.TicketPatch{TeamID: &c.apps, SetTeam: true})
		t0 := unassigned.CreatedAt
		super := c.h.AccountID(t, "super@makassarkota.go.id")

		// Warned: the assignee hears of their ticket; the unassigned one
		// goes to the desk, whose only lead is Tim Jaringan's.
		run(t0.Add(3*time.Hour + 5*time.Minute))
		list := notifications(t, d)
		if got := recipients(list, "ticket.breach_soon.first_response", assigned.Number); !slices.Equal(got, []int64{c.appAgent}) {
			t.Errorf("assigned ticket warned %v, want its assignee %d", got, c.appAgent)
		}
		if got := recipients(list, "ticket.breach_soon.first_response", unassigned.Number); !slices.Equal(got, []int64{c.lead}) {
			t.Errorf("unassigned ticket warned %v, want the desk's lead %d", got, c.lead)
		}

		// With no lead anywhere and nobody on duty, the superadmins hear.
		if err := desk.SetMember(ctx, c.sys, c.network, c.lead, helpdesk.MemberInput{}); err != nil {
			t.Fatal(err)
		}
		run(t0.Add(4*time.Hour + time.Minute))
		list = notifications(t, d)
		if got := recipients(list, "ticket.breached.first_response", assigned.Number); !slices.Equal(got, []int64{c.appAgent}) {
			t.Errorf("assigned ticket's breach told %v, want its assignee", got)
		}
		if got := recipients(list, "ticket.breached.first_response", unassigned.Number); !slices.Equal(got, []int64{super}) {
			t.Errorf("unassigned ticket's breach told %v, want the superadmin %d", got, super)
		}

		// A deactivated assignee is skipped.
		if _, err := d.W.Exec(`UPDATE accounts SET active = FALSE WHERE id = $1`, c.appAgent); err != nil {
			t.Fatal(err)
		}
		run(t0.Add(18*time.Hour + 5*time.Minute))
		list = notifications(t, d)
		if got := recipients(list, "ticket.breach_soon.resolution", assigned.Number); !slices.Equal(got, []int64{super}) {
			t.Errorf("resolution warning of a deactivated assignee's ticket told %v, want the superadmin", got)
		}

		// Every escalation told someone, and the audit says whom.
		var to []string
		rows, err := d.R.Query(`SELECT after_json FROM audit_log WHERE action = 'escalate' ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var after string
			if err := rows.Scan(&after); err != nil {
				t.Fatal(err)
			}
			var e struct {
				Number   string
				Notified []int64
				To       string
			}
			if err := json.Unmarshal([]byte(after), &e); err != nil {
				t.Fatal(err)
			}
			if len(e.Notified) == 0 {
				t.Errorf("escalation told nobody: %s", after)
			}
			to = append(to, e.Number+":"+e.To)
		}
		slices.Sort(to)
		want := []string{assigned.Number + ":assignee", assigned.Number + ":assignee", assigned.Number + ":superadmin",
			unassigned.Number + ":desk", unassigned.Number + ":superadmin", unassigned.Number + ":superadmin"}
		slices.Sort(want)
		if !slices.Equal(to, want) {
			t.Errorf("escalations told %v, want %v", to, want)
		}
	})
}

// A ticket worked on while the escalation job runs is escalated as it is
// when its save is done, not as the job first read it: a ticket resolved
// meanwhile is not escalated at all, and one handed to another team and
// assignee is told to them, not to the team it left. The job waits for
// the save (PostgreSQL; on SQLite the writers take turns) and sees it.
func TestATicketWorkedOnDuringTheEscalationIsEscalatedAsSaved(t *testing.T) {
	for _, c := range []struct {
		name, save string
		args       func(r *routed) []any
		want       func(r *routed) []int64
	}{
		{"resolved", `UPDATE tickets SET status = 'resolved', resolved_at = $2 WHERE id = $1`,
			func(*routed) []any { return []any{time.Now().UTC()} }, func(*routed) []int64 { return nil }},
		{"handed over", `UPDATE tickets SET team_id = $2, assignee_account_id = $3 WHERE id = $1`,
			func(r *routed) []any { return []any{r.apps, r.appAgent} }, func(r *routed) []int64 { return []int64{r.appAgent} }},
	} {
		t.Run(c.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				r := newRouted(t, d)
				ctx, desk := context.Background(), r.h.Svc.Desk
				if _, err := desk.CreateRule(ctx, r.sys, helpdesk.RuleInput{Category: ptr("network"), TeamID: r.network}); err != nil {
					t.Fatal(err)
				}
				r.shift(t, r.network, r.night, time.Now().Add(-time.Hour), 10)
				tk := r.file(t, r.actor(t, r.emp), helpdesk.TicketInput{Subject: "Internet OPD putus", Category: "network"})

				// The agent's save, under way.
				save := dbtest.Hold(t, d, c.save, append([]any{mustID(t, tk.Number)}, c.args(r)...)...)
				ran := make(chan error, 1)
				go func() { ran <- desk.Escalate(ctx, tk.CreatedAt.Add(4*time.Hour+time.Minute)) }()
				dbtest.WaitForLockWaits(t, d, 1, "tickets")
				save.Commit()
				if err := <-ran; err != nil {
					t.Fatal(err)
				}
				list := notifications(t, d)
				if got, want := recipients(list, "ticket.breached.first_response", tk.Number), c.want(r); !slices.Equal(got, want) {
					t.Errorf("breach told %v, want %v; all: %+v", got, want, list)
				}
			})
		})
	}
}
