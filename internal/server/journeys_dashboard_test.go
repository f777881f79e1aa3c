package server_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lontara-id/lontara/internal/browsertest"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/pdf/pdftest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// TestJourneyExecutiveFollowsTheWeakestDimensionToTheReport is issue 6's
// item 9: the mayor signs in to the city dashboard, sees the city's index
// and the agencies ranked, follows one agency's weakest dimension to its
// page and takes that agency's M&E report as a PDF that names it.
func TestJourneyExecutiveFollowsTheWeakestDimensionToTheReport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		const mayor = "wali.kota@makassarkota.go.id"
		h := servertest.Start(t, d)
		bapenda := h.Agency(t, "BAPENDA", "Badan Pendapatan Daerah Dottoro'ta", "badan")
		dinkes := h.Agency(t, "DINKES", "Dinas Kesehatan", "dinas")
		pw := h.Users(t, servertest.Person{Email: mayor, Name: "Wali Kota Makassar", Role: policy.Executive})
		// Last quarter's LO survey: both agencies answered; the revenue
		// office's people rate sharing what they learn lowest.
		last := time.Now().AddDate(0, -3, 0)
		q := fmt.Sprintf("%d-Q%d", last.Year(), (int(last.Month())-1)/3+1)
		dbtest.LOCampaign(t, d, q, time.Now().Add(-time.Hour), map[int64][]int{bapenda.ID: {5, 5, 4, 4, 6}, dinkes.ID: {4, 4, 4, 5, 5, 3}})
		if _, err := d.W.Exec(`UPDATE survey_answers SET value = 2
			WHERE item_id IN (SELECT id FROM survey_items WHERE dimension = 'embedded_system')
			AND response_id IN (SELECT id FROM survey_responses WHERE agency_id = $1)`, bapenda.ID); err != nil {
			t.Fatal(err)
		}

		ctx := browsertest.New(t)
		signIn(t, ctx, h, "/dasbor", mayor, pw[mayor])
		p := look(t, ctx, "the city dashboard")
		if !strings.HasPrefix(p.heading, "Dasbor kota") || !strings.Contains(p.main, "Indeks (0–100)") {
			t.Errorf("the city dashboard: %q\n%s", p.heading, p.main)
		}
		agencies := texts(t, ctx, "the ranking", "#dashboard_ranking tbody th")
		if !slices.Contains(agencies, "Badan Pendapatan Daerah Dottoro'ta") || !slices.Contains(agencies, "Dinas Kesehatan") {
			t.Errorf("the ranking shows %q", agencies)
		}
		charts, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('main svg[role="img"]').length`))
		if err != nil || charts < 3 {
			t.Errorf("the city dashboard has %d charts (%v), want the trend, the dimensions and the ranking", charts, err)
		}

		weakest := fmt.Sprintf(`#dashboard_ranking a[href^="/dasbor/opd/%d/dimensi/"]`, bapenda.ID)
		browsertest.Follow(t, ctx, "follow the weakest dimension", "#dim-facts", chromedp.Click(chromedp.CSS(weakest)))
		p = look(t, ctx, "the dimension's page")
		if !strings.Contains(p.heading, "Sistem untuk menangkap dan berbagi pembelajaran") ||
			!strings.Contains(p.heading, "Badan Pendapatan Daerah Dottoro'ta") || !strings.Contains(p.main, "dimensi terlemah OPD ini") ||
			!strings.Contains(p.main, "Langkah yang disarankan") {
			t.Errorf("the dimension's page: %q\n%s", p.heading, p.main)
		}
		if !strings.Contains(p.url, fmt.Sprintf("/dasbor/opd/%d/dimensi/embedded_system", bapenda.ID)) {
			t.Errorf("landed on %s", p.url)
		}

		// On a phone both pages fit the screen: the charts' tables of
		// figures are for screen readers and take no width.
		onPhone(t, ctx)
		for _, u := range []string{h.URL + "/dasbor", p.url} {
			browsertest.Do(t, ctx, "open "+u+" on a phone", chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS("main h1")))
			checkPhone(t, ctx, u)
		}

		type file struct {
			Status int
			Type   string
			Body   string
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[file](`(async () => {
			const r = await fetch(document.querySelector("#report-pdf").href);
			const b = new Uint8Array(await r.arrayBuffer());
			let s = ""; for (const c of b) s += String.fromCharCode(c);
			return {Status: r.status, Type: r.headers.get("content-type"), Body: btoa(s)};
		})()`, chromedp.EvalAwaitPromise))
		if err != nil {
			browsertest.Screenshot(t, ctx, "report")
			t.Fatalf("download the report: %v", err)
		}
		body, err := base64.StdEncoding.DecodeString(got.Body)
		if err != nil || got.Status != 200 || got.Type != "application/pdf" || !bytes.HasPrefix(body, []byte("%PDF-")) {
			t.Fatalf("the report: %d %s %.20q %v", got.Status, got.Type, body, err)
		}
		if text := pdftest.Text(t, body); !strings.Contains(text, "Badan Pendapatan Daerah Dottoro'ta") {
			t.Errorf("the report does not name the agency")
		}
	})
}
