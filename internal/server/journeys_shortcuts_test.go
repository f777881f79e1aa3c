package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/lontara-id/lontara/internal/browsertest"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// TestJourneyAgentWorksTheQueueFromTheKeyboard walks the agent workspace's
// shortcuts in a real browser: j/k choose a ticket in the queue, o opens
// it, r, n and s focus the reply, the note and the status, keys typed into
// a field stay text, ? shows the list of shortcuts, t takes the ticket.
func TestJourneyAgentWorksTheQueueFromTheKeyboard(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		h.Agency(t, "DINKES", "Dinas Kesehatan", "dinas")
		pw := h.Users(t,
			servertest.Person{Email: "nuraini@makassarkota.go.id", Name: "Nur'aini Dottoro'ta", Role: policy.Employee, Agency: "DINKES"},
			servertest.Person{Email: "agen@makassarkota.go.id", Name: "Agen Help Desk", Role: policy.Agent, Agency: "KOMINFO"})
		emp := h.Token(t, "nuraini@makassarkota.go.id")
		for _, subject := range []string{"Printer macet", "SIMPEG tidak bisa dibuka"} {
			if r := h.Do(t, "POST", "/api/v1/tickets", emp, map[string]any{"subject": subject, "category": "other"}, ""); r.Status != 201 {
				t.Fatalf("file %s: %d %s", subject, r.Status, r.Body)
			}
		}
		ctx := browsertest.New(t)
		signIn(t, ctx, h, "/layanan", "agen@makassarkota.go.id", pw["agen@makassarkota.go.id"])
		// The queue's heading can show before shortcuts.js has run: keys sent
		// then reach no handler (CI saw the focus stay on the body). look
		// waits for the page to have loaded, its scripts with it.
		look(t, ctx, "the queue loaded")
		focused := func(step string) string {
			t.Helper()
			v, err := chromedp.Run(ctx, chromedp.Evaluate[string](
				`(document.activeElement.id || document.activeElement.getAttribute("href") || document.activeElement.tagName)`))
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			return v
		}
		browsertest.Do(t, ctx, "j j k", chromedp.KeyEvent("j"), chromedp.KeyEvent("j"), chromedp.KeyEvent("k"))
		if got := focused("j j k"); got != "/layanan/T-000002" {
			t.Fatalf("after j j k the focus is on %q, want the first ticket's link", got)
		}
		if got := texts(t, ctx, "chosen row", "tr.kb-current td:first-child"); len(got) != 1 || got[0] != "T-000002" {
			t.Errorf("chosen rows %q, want the first", got)
		}
		browsertest.Do(t, ctx, "j", chromedp.KeyEvent("j"))
		browsertest.Follow(t, ctx, "o opens the chosen ticket", "#reply-body", chromedp.KeyEvent("o"))
		if p := look(t, ctx, "opened"); !strings.HasSuffix(p.url, "/layanan/T-000001") {
			t.Fatalf("o opened %s, want T-000001", p.url)
		}

		blur := chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`)
		for _, c := range []struct{ key, want string }{{"r", "reply-body"}, {"n", "note-body"}, {"s", "c-status"}} {
			browsertest.Do(t, ctx, c.key, blur, chromedp.KeyEvent(c.key))
			if got := focused(c.key); got != c.want {
				t.Errorf("%s focused %q, want %q", c.key, got, c.want)
			}
		}
		browsertest.Do(t, ctx, "type into the reply", blur, chromedp.KeyEvent("r"), chromedp.KeyEvent("tn?s"))
		if got := value(t, ctx, "the reply", "reply-body"); got != "tn?s" || focused("typing") != "reply-body" {
			t.Errorf("typing into the reply gave %q with focus on %q: the keys acted as shortcuts", got, focused("typing"))
		}
		open := func() bool {
			v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector("dialog.shortcuts[open]")`))
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		if open() {
			t.Fatal("typing ? into the reply opened the help")
		}
		browsertest.Do(t, ctx, "?", blur, chromedp.KeyEvent("?"))
		if !open() {
			t.Fatal("? did not show the shortcuts")
		}
		if got := texts(t, ctx, "help", "dialog.shortcuts dt"); len(got) != 5 || got[0] != "r" {
			t.Errorf("the help lists %q", got)
		}
		browsertest.Do(t, ctx, "Escape", chromedp.KeyEvent(kb.Escape))
		if open() {
			t.Fatal("Escape did not close the help")
		}
		browsertest.Follow(t, ctx, "t takes the ticket", ".flash", blur, chromedp.KeyEvent("t"))
		tk, err := h.Svc.Desk.GetTicket(ctx, policy.SystemActor("test"), "T-000001")
		if err != nil {
			t.Fatal(err)
		}
		if want := h.AccountID(t, "agen@makassarkota.go.id"); tk.AssigneeID == nil || *tk.AssigneeID != want {
			t.Errorf("after t the ticket is assigned to %v, want the agent %d", tk.AssigneeID, want)
		}
	})
}
