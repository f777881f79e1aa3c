package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lontara-id/lontara/internal/browsertest"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
	"github.com/lontara-id/lontara/internal/training"
)

// TestJourneyNominatedTrainedCertifiedAndTheGapCloses is competency-based
// training from end to end, each role in the browser as they would use it:
// the health office's admin nominates two people for a webmail bimtek, its
// head approves, the Kominfo trainer takes attendance on a phone, finishes
// the event and issues the certificates, anyone verifies one, and the gap
// Nur'aini had in webmail is closed.
func TestJourneyNominatedTrainedCertifiedAndTheGapCloses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		const (
			admin   = "admin@dinkes.makassarkota.go.id"
			head    = "kepala@dinkes.makassarkota.go.id"
			trainer = "pelatih@kominfo.makassarkota.go.id"
			nur     = "nur.aini@dinkes.makassarkota.go.id"
			daeng   = "daeng@dinkes.makassarkota.go.id"
		)
		h := servertest.Start(t, d)
		h.Agency(t, "DINKES", "Dinas Kesehatan", "dinas")
		h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		pw := h.Users(t,
			servertest.Person{Email: admin, Name: "Siti Rahmawati", Role: policy.AgencyAdmin, Agency: "DINKES"},
			servertest.Person{Email: head, Name: "dr. Andi Baso", Role: policy.AgencyHead, Agency: "DINKES"},
			servertest.Person{Email: trainer, Name: "Daeng Pelatih", Role: policy.Trainer, Agency: "KOMINFO"},
			servertest.Person{Email: nur, Name: "Nur'aini Dottoro'ta", Role: policy.Employee, Agency: "DINKES"},
			servertest.Person{Email: daeng, Name: "Daeng Ngasseng", Role: policy.Employee, Agency: "DINKES"})
		nurID, daengID := idOf(t, d, "Nur'aini Dottoro'ta"), idOf(t, d, "Daeng Ngasseng")

		// Every employee must use webmail on their own (level 3); Nur'aini
		// has not shown it, so it is a gap of three levels.
		webmail := dbtest.Competency(t, d, "webmail", "Menggunakan webmail dinas")
		if _, err := d.W.Exec(`INSERT INTO competency_requirements (competency_id, level, role, created_at)
			VALUES ($1, 3, 'employee', $2)`, webmail, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		gaps := fmt.Sprintf("/pegawai/%d/kesenjangan", nurID)
		h.SignIn(t, nur, pw[nur]).Get(gaps).Want(t, http.StatusOK, "Nur'aini's gaps before", `id="person-gaps"`, "Menggunakan webmail dinas")

		// The trainer schedules a bimtek that builds webmail to level 3; it
		// began half an hour ago, so it can be attended and finished now.
		start := time.Now().Add(-30 * time.Minute)
		r := h.Do(t, "POST", "/api/v1/events", h.Token(t, trainer), map[string]any{"title": "Bimtek Webmail Dinas",
			"kind": "bimtek", "starts_at": start.Format(time.RFC3339), "ends_at": start.Add(4 * time.Hour).Format(time.RFC3339),
			"capacity": 20, "jp": 4, "competencies": []map[string]any{{"code": "webmail", "level": 3}}}, "")
		if r.Status != http.StatusCreated {
			t.Fatalf("create the event: %d %s", r.Status, r.Body)
		}
		var event training.Event
		r.JSON(t, &event)
		page := training.EventLink(event.ID)
		session := event.Sessions[0].ID

		ctx := browsertest.New(t)
		// The agency admin nominates Nur'aini and Daeng.
		signIn(t, ctx, h, page, admin, pw[admin])
		browsertest.Follow(t, ctx, "the admin opens nomination", "#add-submit", chromedp.Click(chromedp.ID("add-people")))
		browsertest.Follow(t, ctx, "the admin nominates two", "#add-people",
			chromedp.Click(chromedp.ID(fmt.Sprintf("pick-%d", nurID))), chromedp.Click(chromedp.ID(fmt.Sprintf("pick-%d", daengID))),
			chromedp.Click(chromedp.ID("add-submit")))
		if p := look(t, ctx, "nominated"); strings.Count(p.main, "Menunggu persetujuan kepala OPD") != 2 {
			t.Errorf("after nominating, the event shows: %s", p.main)
		}
		signOut(t, ctx)

		// The head approves both.
		signIn(t, ctx, h, training.ApprovalsLink, head, pw[head])
		enrolments, err := db.IDs(context.Background(), d.R, `SELECT id FROM enrolments WHERE event_id = $1 ORDER BY id`, event.ID)
		if err != nil || len(enrolments) != 2 {
			t.Fatalf("enrolments %v, %v; want 2", enrolments, err)
		}
		for _, id := range enrolments {
			browsertest.Follow(t, ctx, "the head approves", "h1", chromedp.Click(chromedp.ID(fmt.Sprintf("approve-%d", id))))
		}
		browsertest.Do(t, ctx, "nothing left to approve", chromedp.WaitVisible(chromedp.ID("approvals-none")))
		signOut(t, ctx)

		// The trainer, on a phone, marks both present and finishes.
		browsertest.Do(t, ctx, "a phone", chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile, chromedp.EmulatePortrait,
			chromedp.EmulateTouch))
		signIn(t, ctx, h, page, trainer, pw[trainer])
		browsertest.Follow(t, ctx, "the trainer opens the sheet", "#present-count", chromedp.Click(chromedp.ID(fmt.Sprintf("attendance-%d", session))))
		checkPhone(t, ctx, "attendance sheet")
		for _, id := range []int64{nurID, daengID} {
			mark := fmt.Sprintf("#mark-%d", id)
			browsertest.Follow(t, ctx, "the trainer taps a person", mark+`[aria-pressed="true"]`, chromedp.Click(chromedp.CSS(mark)))
		}
		if got := texts(t, ctx, "count", "#present-count"); len(got) != 1 || got[0] != "2 dari 2 peserta hadir" {
			t.Errorf("the sheet counts %q", got)
		}
		browsertest.Follow(t, ctx, "back to the event", "#finish-event", chromedp.Navigate(h.URL+page))
		browsertest.Follow(t, ctx, "the trainer finishes", "#certificates", chromedp.Click(chromedp.ID("finish-event")))
		browsertest.Follow(t, ctx, "to the certificates", "#issue-certificates", chromedp.Click(chromedp.ID("certificates")))
		browsertest.Follow(t, ctx, "the trainer issues them", "table code", chromedp.Click(chromedp.ID("issue-certificates")))
		checkPhone(t, ctx, "certificates")
		var code string
		if err := d.R.QueryRow(`SELECT code FROM certificates WHERE employee_id = $1`, nurID).Scan(&code); err != nil {
			t.Fatalf("Nur'aini's certificate: %v", err)
		}
		signOut(t, ctx)

		// Anyone verifies the certificate, without signing in.
		browsertest.Follow(t, ctx, "verify", "#result", chromedp.Navigate(h.URL+"/verify/"+code))
		if p := look(t, ctx, "verified"); !strings.Contains(p.main, "Sertifikat ini sah") ||
			!strings.Contains(p.main, "Nur'aini Dottoro'ta") || !strings.Contains(p.main, "Bimtek Webmail Dinas") {
			t.Errorf("verification shows: %s", p.main)
		}

		// Nur'aini's gap in webmail is closed.
		signIn(t, ctx, h, gaps, nur, pw[nur])
		browsertest.Do(t, ctx, "no gaps left", chromedp.WaitVisible(chromedp.ID("no-gaps")))
		if met := texts(t, ctx, "met", "#person-met tbody tr"); len(met) != 1 || !strings.Contains(met[0], "Menggunakan webmail dinas") {
			t.Errorf("competencies met: %q", met)
		}
		// Her page leads her, not a colleague, to her development record.
		person := fmt.Sprintf("/pegawai/%d", nurID)
		h.SignIn(t, nur, pw[nur]).Get(person).Want(t, http.StatusOK, "her page", `id="h-development"`, `href="`+gaps+`"`)
		if p := h.SignIn(t, daeng, pw[daeng]).Get(person); p.Status != http.StatusOK || strings.Contains(p.Body, `id="h-development"`) {
			t.Errorf("a colleague's view of her page: %d, development links shown: %v", p.Status, strings.Contains(p.Body, `id="h-development"`))
		}
	})
}

// signOut signs out through the header's button and waits for the
// sign-in page.
func signOut(t *testing.T, ctx context.Context) {
	t.Helper()
	browsertest.Follow(t, ctx, "sign out", "#f-email", chromedp.Click(chromedp.ID("sign-out")))
}
