package training_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lontara-id/lontara/internal/browsertest"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
)

const phoneWidth, phoneHeight = 390, 844

// TestTheTrainerTakesAttendanceOnAPhone: on a phone-sized screen, without
// any script of ours, each participant is one big target; a tap marks
// them present and the sheet says so.
func TestTheTrainerTakesAttendanceOnAPhone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		token := s.h.Token(t, trainer)
		start := time.Now().Add(-10 * time.Minute)
		e := s.createEvent(t, token, map[string]any{"title": "Bimtek Website Dottoro'ta", "kind": "bimtek",
			"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(4 * time.Hour).Format(time.RFC3339),
			"capacity": 10, "jp": 4, "needs_approval": false})
		for _, p := range []string{nur, daeng, andi} {
			if r := s.h.Do(t, "POST", fmt.Sprintf("/api/v1/events/%d/enrolments", e.ID), token,
				map[string]any{"employee_id": s.emp[p]}, ""); r.Status != http.StatusCreated {
				t.Fatalf("enrol: %d %s", r.Status, r.Body)
			}
		}
		sheet := fmt.Sprintf("/pelatihan/acara/%d/sesi/%d", e.ID, e.Sessions[0].ID)
		ctx := browsertest.New(t)
		browsertest.Do(t, ctx, "open on a phone", chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile,
			chromedp.EmulatePortrait, chromedp.EmulateTouch), chromedp.Navigate(s.h.URL+sheet), chromedp.WaitVisible(chromedp.ID("f-email")))
		browsertest.Follow(t, ctx, "sign in", "#present-count",
			chromedp.SendKeys(chromedp.ID("f-email"), trainer),
			chromedp.SendKeys(chromedp.ID("f-password"), s.pw[trainer]),
			chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
		mark := fmt.Sprintf("#mark-%d", s.emp[nur])
		type box struct {
			Width, Height, PageWidth float64
		}
		size, err := chromedp.Run(ctx, chromedp.Evaluate[box](`(() => { const r = document.querySelector("`+mark+`").getBoundingClientRect();
			return {Width: r.width, Height: r.height, PageWidth: document.documentElement.scrollWidth}; })()`))
		if err != nil {
			t.Fatal(err)
		}
		if size.PageWidth > phoneWidth+2 || size.Height < 48 || size.Width < phoneWidth*0.8 {
			browsertest.Screenshot(t, ctx, "sheet.png")
			t.Errorf("on a %dpx phone the page is %vpx wide and a person's target %vx%vpx", phoneWidth, size.PageWidth, size.Width, size.Height)
		}
		browsertest.Follow(t, ctx, "tap Nur'aini", mark+`[aria-pressed="true"]`, chromedp.Click(chromedp.CSS(mark)))
		count, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#present-count").innerText`))
		if err != nil || count != "1 dari 3 peserta hadir" {
			t.Errorf("count after a tap = %q, %v", count, err)
		}
		browsertest.Screenshot(t, ctx, "sheet.png")
		// The event's page, with its roster table, fits the phone too.
		browsertest.Follow(t, ctx, "the event", "#roster", chromedp.Click(chromedp.ID("back-to-event")))
		width, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`))
		if err != nil || width > phoneWidth+2 {
			t.Errorf("the event's page is %vpx wide on a %dpx phone (%v)", width, phoneWidth, err)
		}
		browsertest.Screenshot(t, ctx, "event.png")
		var present int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM session_attendance WHERE session_id = $1`, e.Sessions[0].ID).Scan(&present); err != nil {
			t.Fatal(err)
		}
		if present != 1 {
			t.Errorf("marks in the database = %d, want 1", present)
		}
	})
}
