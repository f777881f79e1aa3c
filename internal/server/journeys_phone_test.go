package server_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/lontara-id/lontara/internal/browsertest"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// checkPhone asserts the page fits the phone's width and every header
// target can be seen and tapped.
func checkPhone(t *testing.T, ctx context.Context, step string) {
	t.Helper()
	width, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	if width > phoneWidth+2 {
		browsertest.Screenshot(t, ctx, step+".png")
		t.Errorf("%s: the page is %vpx wide on a %dpx screen", step, width, phoneWidth)
	}
	targets, err := chromedp.Run(ctx, chromedp.Evaluate[[]navTarget](headerTargets))
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	for _, n := range targets {
		if n.Left < 0 || n.Right > phoneWidth || n.H < 24 || !n.Hit {
			t.Errorf("%s: header target %q cannot be tapped: %+v", step, n.Label, n)
		}
	}
	browsertest.Do(t, ctx, step+": back to top", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
}

// TestJourneyPhoneSignInAndDirectory: on a phone the sign-in, the main menu
// and the staff directory fit the screen and work.
func TestJourneyPhoneSignInAndDirectory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		dinkes := h.Agency(t, "DINKES", "Dinas Kesehatan", "dinas")
		employee(t, h, org.EmployeeInput{AgencyID: dinkes.ID, Name: "Nur'aini", BackTitle: "S.E.", NIP: "199001012015022002",
			EmploymentType: "pns", Email: "nuraini@makassarkota.go.id", Phone: "081234567890",
			UnitName: "Bidang Pelayanan Kesehatan dan Sumber Daya Kesehatan", PositionName: "Analis Kebijakan Ahli Muda"})
		password := h.User(t, "siti.admin@makassarkota.go.id", "Siti Rahmawati", policy.AgencyAdmin, "DINKES")
		ctx := browsertest.New(t)
		browsertest.Do(t, ctx, "phone screen", chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile, chromedp.EmulatePortrait, chromedp.EmulateTouch),
			chromedp.Navigate(h.URL+"/pegawai"), chromedp.WaitVisible(chromedp.ID("f-email")))
		checkPhone(t, ctx, "sign-in")

		browsertest.Follow(t, ctx, "sign in", "#sign-out",
			chromedp.SendKeys(chromedp.ID("f-email"), "siti.admin@makassarkota.go.id"),
			chromedp.SendKeys(chromedp.ID("f-password"), password),
			chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
		if p := look(t, ctx, "directory"); p.heading != "Direktori pegawai" {
			t.Errorf("after sign-in: %+v", p)
		}
		checkPhone(t, ctx, "directory")
		links := texts(t, ctx, "menu", "header nav a")
		if want := []string{"Beranda", "OPD", "Pegawai", "Aplikasi", "Bantuan", "Pengetahuan", "Diskusi", "Pelatihan", "Kompetensi", "Pimpinan", "Ide", "Survei", "Dasbor", "Pengguna & peran", "Log audit"}; !slices.Equal(links, want) {
			t.Errorf("menu on a phone: %q, want %q", links, want)
		}

		browsertest.Follow(t, ctx, "search", `#f-q[value="aini"]`,
			chromedp.SendKeys(chromedp.ID("f-q"), "aini"), chromedp.Click(chromedp.CSS(`main form.filters button[type=submit]`)))
		checkPhone(t, ctx, "results")
		if rows := texts(t, ctx, "results", "main tbody tr"); len(rows) != 1 || !strings.Contains(rows[0], "Nur'aini, S.E.") ||
			!strings.Contains(rows[0], "199001012015022002") {
			t.Errorf("results on a phone: %q", rows)
		}
		// On a phone each cell is a line of its own, named by its data-label.
		layout, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[getComputedStyle(document.querySelector("main thead")).display,
			getComputedStyle(document.querySelector("main tbody td")).display,
			getComputedStyle(document.querySelector("main tbody td"), "::before").content]`))
		if err != nil || layout[0] != "none" || layout[1] != "block" || !strings.Contains(layout[2], "OPD") {
			t.Errorf("table layout on a phone: %q (%v)", layout, err)
		}
		browsertest.Follow(t, ctx, "tap Aplikasi", `main #f-status`, chromedp.Click(chromedp.CSS(`header nav a[href="/aplikasi"]`)))
		if p := look(t, ctx, "apps"); p.heading != "Katalog aplikasi" {
			t.Errorf("apps on a phone: %+v", p)
		}
		checkPhone(t, ctx, "apps")
	})
}
