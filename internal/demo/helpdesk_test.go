package demo

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/policy"
)

// checkHelpdesk holds the demo's help desk to the help desk's own reading
// of it: teams with a lead each, tickets in every status read whole by the
// service (tickets of them: the help desk's and the gaps' procedure
// questions), and a report of the last 90 days with answers, time and ratings.
func checkHelpdesk(t *testing.T, d *db.DB, tickets int) {
	ctx, sys := context.Background(), policy.SystemActor("test")
	desk := helpdesk.NewService(d)
	teams, err := desk.ListTeams(ctx, sys)
	if err != nil || len(teams) != 3 {
		t.Fatalf("teams %+v, %v", teams, err)
	}
	for _, tm := range teams {
		leads := 0
		for _, m := range tm.Members {
			if m.Lead {
				leads++
			}
		}
		if len(tm.Members) < 2 || leads != 1 {
			t.Errorf("team %s: %d members, %d leads", tm.Name, len(tm.Members), leads)
		}
	}
	counts, err := desk.CountTickets(ctx, sys, helpdesk.TicketFilter{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if counts.New == 0 || counts.Open == 0 || counts.Pending == 0 || counts.Resolved == 0 || counts.Closed == 0 ||
		counts.New+counts.Open+counts.Pending+counts.Resolved+counts.Closed != tickets {
		t.Errorf("counts %+v, want %d in every status", counts, tickets)
	}
	tk, err := desk.GetTicket(ctx, sys, "T-000001")
	if err != nil || tk.Status != "closed" || len(tk.Messages) < 2 || len(tk.History) < 4 {
		t.Errorf("the oldest ticket: %s, %d messages, %d events, %v", tk.Status, len(tk.Messages), len(tk.History), err)
	}
	reporter := int64(20)
	if n, err := desk.CreateTicket(ctx, sys, helpdesk.TicketInput{Subject: "Tiket sesudah demo", Category: "other",
		ReporterID: &reporter}); err != nil || n.Number != helpdesk.Number(int64(tickets)+1) {
		t.Errorf("a new ticket after the demo's: %s, %v", n.Number, err)
	}
	now := time.Now().UTC()
	r, err := desk.HelpdeskReport(ctx, sys, helpdesk.ReportFilter{From: now.AddDate(0, 0, -demoDays-1), To: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if r.Tickets != tickets+1 || r.Medians.FirstResponses == 0 || r.TimeSpent == 0 || r.Satisfaction.Count == 0 ||
		r.SLA.FirstResponse.Breached == 0 || len(r.ByAgency) < 10 || len(r.RatingsByTeam) != 3 {
		t.Errorf("report: %d tickets, %+v, %d minutes, %+v, SLA %+v, %d agencies", r.Tickets, r.Medians, r.TimeSpent,
			r.Satisfaction, r.SLA, len(r.ByAgency))
	}
}
