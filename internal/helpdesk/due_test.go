package helpdesk_test

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/helpdesk"
)

func TestDueByFindsClocksAboutToRunOut(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		ctx, emp, agent := context.Background(), c.actor(t, c.emp), c.actor(t, c.agent)
		// Urgency is the help desk's call: the agent files those for the employee.
		urgent := c.file(t, agent, helpdesk.TicketInput{Subject: "Server down", Category: "network", Priority: "urgent",
			ReporterID: &emp.AccountID})
		normal := c.file(t, emp, helpdesk.TicketInput{Subject: "Akun baru", Category: "account"})
		answered := c.file(t, emp, helpdesk.TicketInput{Subject: "SIMPEG lambat", Category: "application", Priority: "high"})
		if _, err := c.h.Svc.Desk.AddReply(ctx, agent, answered.Number, helpdesk.ReplyInput{Body: "Sedang dicek."}); err != nil {
			t.Fatal(err)
		}
		waiting := c.file(t, agent, helpdesk.TicketInput{Subject: "Printer", Category: "network", Priority: "urgent",
			ReporterID: &emp.AccountID})
		c.update(t, agent, waiting.Number, helpdesk.TicketPatch{Status: ptr("pending")})

		now := time.Now().UTC()
		for _, w := range []struct {
			name  string
			by    time.Time
			want  []string
			clock []string
		}{
			{"nothing due yet", now, nil, nil},
			{"urgent first response within 20 minutes", now.Add(20 * time.Minute),
				[]string{urgent.Number}, []string{helpdesk.ClockFirstResponse}},
			{"within 5 hours: normal's first response; answered high's resolution is later", now.Add(5 * time.Hour),
				[]string{urgent.Number, normal.Number}, []string{helpdesk.ClockFirstResponse, helpdesk.ClockFirstResponse}},
			{"within 9 hours: answered high's resolution too", now.Add(9 * time.Hour),
				[]string{urgent.Number, normal.Number, answered.Number},
				[]string{helpdesk.ClockFirstResponse, helpdesk.ClockFirstResponse, helpdesk.ClockResolution}},
		} {
			due, err := c.h.Svc.Desk.DueBy(ctx, agent, w.by, 10)
			if err != nil {
				t.Fatal(err)
			}
			var got, clocks []string
			for _, x := range due {
				got, clocks = append(got, x.Ticket.Number), append(clocks, x.Clock)
			}
			if len(got) != len(w.want) {
				t.Errorf("%s: %v %v, want %v %v", w.name, got, clocks, w.want, w.clock)
				continue
			}
			for i := range got {
				if got[i] != w.want[i] || clocks[i] != w.clock[i] {
					t.Errorf("%s: %v %v, want %v %v", w.name, got, clocks, w.want, w.clock)
					break
				}
			}
		}
		if _, err := c.h.Svc.Desk.DueBy(ctx, emp, now, 10); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an employee asks for due tickets: %v", err)
		}
	})
}
