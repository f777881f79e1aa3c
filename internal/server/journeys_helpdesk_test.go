package server_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/lontara-id/lontara/internal/apps"
	"github.com/lontara-id/lontara/internal/browsertest"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// TestJourneyEmployeeAsksForHelpAndRates walks issue 3's help desk story:
// an employee files a ticket through "Minta bantuan", an agent answers it
// (with an internal note the employee must not see) and resolves it, and
// the employee reads the answer and rates it.
func TestJourneyEmployeeAsksForHelpAndRates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		dinkes := h.Agency(t, "DINKES", "Dinas Kesehatan", "dinas")
		password := h.User(t, "nuraini@makassarkota.go.id", "Nur'aini Dottoro'ta", policy.Employee, "DINKES")
		h.User(t, "agen@makassarkota.go.id", "Agen Help Desk", policy.Agent, "KOMINFO")
		app, err := h.Svc.Apps.CreateApp(context.Background(), policy.SystemActor("test"),
			apps.AppInput{Name: "SIMPEG", OwnerAgencyID: dinkes.ID, Status: "active"})
		if err != nil {
			t.Fatal(err)
		}
		ctx := browsertest.New(t)

		signIn(t, ctx, h, "/", "nuraini@makassarkota.go.id", password)
		browsertest.Follow(t, ctx, "open Minta bantuan", "#f-subject", chromedp.Click(chromedp.CSS(`main a[href="/bantuan/baru"]`)))
		browsertest.Follow(t, ctx, "send the request", ".flash",
			chromedp.SendKeys(chromedp.ID("f-subject"), "SIMPEG tidak bisa dibuka"),
			chromedp.SendKeys(chromedp.ID("f-body"), "Muncul galat 502 sejak pagi."),
			chromedp.SetValue(chromedp.ID("f-category"), "application"),
			chromedp.SetValue(chromedp.ID("f-app_id"), strconv.FormatInt(app.ID, 10)),
			chromedp.Click(chromedp.ID("send-ticket")))
		p := look(t, ctx, "the new ticket")
		if !strings.HasSuffix(p.url, "/bantuan/T-000001") || !strings.Contains(p.heading, "T-000001") ||
			!strings.Contains(p.main, "Baru") {
			t.Fatalf("new ticket page: %+v", p)
		}

		agent := h.Token(t, "agen@makassarkota.go.id")
		for _, body := range []map[string]any{
			{"body": "Server SIMPEG sudah dinyalakan ulang, silakan coba lagi."},
			{"body": "RAHASIA: server lama belum ditambal", "internal": true},
		} {
			if r := h.Do(t, "POST", "/api/v1/tickets/T-000001/replies", agent, body, ""); r.Status != 201 {
				t.Fatalf("agent reply: %d %s", r.Status, r.Body)
			}
		}
		resolved := "resolved"
		if _, err := h.Svc.Desk.UpdateTicket(context.Background(), policy.SystemActor("test"), "T-000001",
			helpdesk.AnyVersion, helpdesk.TicketPatch{Status: &resolved}); err != nil {
			t.Fatal(err)
		}

		browsertest.Do(t, ctx, "read the answer", chromedp.Navigate(h.URL+"/bantuan/T-000001"), chromedp.WaitVisible(chromedp.ID("send-rating")))
		if got := texts(t, ctx, "conversation", "article.message p:last-child"); !slices.Equal(got,
			[]string{"Server SIMPEG sudah dinyalakan ulang, silakan coba lagi."}) {
			t.Errorf("conversation shown: %q", got)
		}
		if p := look(t, ctx, "resolved ticket"); strings.Contains(p.main, "RAHASIA") || !strings.Contains(p.main, "Selesai") {
			t.Errorf("resolved ticket page: %+v", p)
		}

		browsertest.Follow(t, ctx, "rate it", "#rated",
			chromedp.Click(chromedp.ID("score-5")),
			chromedp.SendKeys(chromedp.ID("f-comment"), "Cepat, terima kasih Dottoro'ta!"),
			chromedp.Click(chromedp.ID("send-rating")))
		if got := texts(t, ctx, "rating shown", "#rated"); !slices.Equal(got, []string{"Nilai Anda: 5 dari 5"}) {
			t.Errorf("rating shown: %q", got)
		}
		if n := count(t, d, `SELECT count(*) FROM ticket_ratings WHERE score = 5 AND comment = $1`,
			"Cepat, terima kasih Dottoro'ta!"); n != 1 {
			t.Errorf("%d ratings stored, want 1", n)
		}
	})
}
