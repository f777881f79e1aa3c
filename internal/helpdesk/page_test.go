package helpdesk_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/calendar"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/outbox"
)

// smsOn makes SMS a configured channel for the test, as `lontara serve`
// with --kannel-sendsms-url does, and puts back what was before.
func smsOn(t *testing.T) {
	var was []string
	for _, ch := range outbox.Channels {
		if outbox.Active(ch) {
			was = append(was, ch)
		}
	}
	outbox.SetActive(outbox.SMS)
	t.Cleanup(func() { outbox.SetActive(was...) })
}

// pages lists the phones the outbox pages by SMS with kind about ref.
func pages(t *testing.T, d *db.DB, kind, ref string) []string {
	t.Helper()
	rows, err := d.R.Query(`SELECT address FROM outbox WHERE channel = 'sms' AND kind = $1 AND ref = $2
		ORDER BY address`, kind, ref)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

// Phones of Tim Jaringan: its lead, the agent on call, the reserve.
const (
	leadPhone    = "+6281100000001"
	nightPhone   = "+6281100000002"
	reservePhone = "+6281100000003"
)

func phones(t *testing.T, d *db.DB) {
	t.Helper()
	for email, phone := range map[string]string{"agen@makassarkota.go.id": leadPhone,
		"jaga@makassarkota.go.id": nightPhone, "cadangan@makassarkota.go.id": reservePhone} {
		if _, err := d.W.Exec(`UPDATE employees SET phone = $1 WHERE email = $2`, phone, email); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAnUrgentTicketOutOfHoursPagesTheAgentsOnDuty(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		smsOn(t)
		c := newRouted(t, d)
		phones(t, d)
		ctx, desk := context.Background(), c.h.Svc.Desk
		if _, err := desk.CreateRule(ctx, c.sys, helpdesk.RuleInput{Category: ptr("network"), TeamID: c.network}); err != nil {
			t.Fatal(err)
		}
		c.shift(t, c.network, c.night, time.Now().Add(-time.Hour), 10)
		// Today is a holiday: whatever the clock says, the desk is out of
		// working hours.
		zone, err := time.LoadLocation("Asia/Makassar")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := desk.AddHoliday(ctx, c.sys, calendar.Holiday{Date: time.Now().In(zone).Format("2006-01-02"),
			Name: "Hari Jadi Kota Makassar"}); err != nil {
			t.Fatal(err)
		}
		sup := c.actor(t, c.super)
		urgent := c.file(t, sup, helpdesk.TicketInput{Subject: "Server SIMPEG mati total", Category: "network",
			Priority: "urgent", ContactName: "Piket Balai Kota", ContactPhone: "0411 873000"})
		if got := pages(t, d, "ticket.page_urgent", urgent.Number); !slices.Equal(got, []string{nightPhone}) {
			t.Errorf("paged %v, want the agent on call only %v", got, nightPhone)
		}
		normal := c.file(t, sup, helpdesk.TicketInput{Subject: "Wifi lambat", Category: "network",
			ContactName: "Piket Balai Kota", ContactPhone: "0411 873000"})
		if got := pages(t, d, "ticket.page_urgent", normal.Number); len(got) != 0 {
			t.Errorf("a normal ticket paged %v", got)
		}
		// Nobody on shift: the desk's leads are paged, so someone is.
		if _, err := d.W.Exec(`DELETE FROM team_shifts`); err != nil {
			t.Fatal(err)
		}
		again := c.file(t, sup, helpdesk.TicketInput{Subject: "Jaringan balai kota putus", Category: "network",
			Priority: "urgent", ContactName: "Piket Balai Kota", ContactPhone: "0411 873000"})
		if got := pages(t, d, "ticket.page_urgent", again.Number); !slices.Equal(got, []string{leadPhone}) {
			t.Errorf("with nobody on shift paged %v, want the lead %v", got, leadPhone)
		}
	})
}

func TestAnSLAAboutToBreakPagesWhoIsWarned(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		smsOn(t)
		c := newRouted(t, d)
		phones(t, d)
		ctx, desk := context.Background(), c.h.Svc.Desk
		if _, err := desk.CreateRule(ctx, c.sys, helpdesk.RuleInput{Category: ptr("network"), TeamID: c.network}); err != nil {
			t.Fatal(err)
		}
		c.shift(t, c.network, c.night, time.Now().Add(-time.Hour), 10)
		tk := c.file(t, c.actor(t, c.emp), helpdesk.TicketInput{Subject: "Internet OPD putus", Category: "network"})
		// Normal priority: first response in 4 hours, warned in the last.
		if err := desk.Escalate(ctx, tk.CreatedAt.Add(3*time.Hour+5*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if got := pages(t, d, "ticket.breach_soon.first_response", tk.Number); !slices.Equal(got, []string{leadPhone, nightPhone}) {
			t.Errorf("warning paged %v, want the lead and the agent on call", got)
		}
		// The breach itself is told the usual way: nobody chose SMS.
		if err := desk.Escalate(ctx, tk.CreatedAt.Add(4*time.Hour+time.Minute)); err != nil {
			t.Fatal(err)
		}
		if got := pages(t, d, "ticket.breached.first_response", tk.Number); len(got) != 0 {
			t.Errorf("breach paged %v", got)
		}
	})
}
