package competency_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lontara-id/lontara/internal/browsertest"
	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// TestTheFrameworkPagesFitAPhone: the framework, a competency, the
// requirements and a profile with its assessment form fit a phone's width,
// and the self-assessment form works there without JavaScript help.
func TestTheFrameworkPagesFitAPhone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		const width, height = 390, 844
		ctx := context.Background()
		h := servertest.Start(t, d)
		h.Agency(t, "DINKES", "Dinas Kesehatan", "dinas")
		pw := h.User(t, "nuraini@makassarkota.go.id", "Nur'aini Daeng Ngasseng", policy.Trainer, "DINKES")
		if _, err := competency.EnsureDefaults(ctx, d); err != nil {
			t.Fatal(err)
		}
		svc := h.Svc.Competency
		security, _ := svc.ByCode(ctx, competency.CodeSecurity)
		role := "employee"
		if _, err := svc.AddRequirement(ctx, policy.SystemActor("test"), competency.RequirementInput{CompetencyID: security.ID,
			Level: 2, Role: &role}); err != nil {
			t.Fatal(err)
		}
		me := employeeOf(t, d, "nuraini@makassarkota.go.id")
		long := time.Now().AddDate(-2, 0, 0)
		if _, err := svc.Assess(ctx, policy.SystemActor("test"), me, competency.AssessmentInput{CompetencyID: security.ID, Level: 3,
			AssessedAt: &long, EvidenceKind: "certificate", EvidenceRef: "SERT/2024/KOMINFO/000123-keamanan-informasi"}); err != nil {
			t.Fatal(err)
		}

		tab := browsertest.New(t)
		browsertest.Do(t, tab, "open", chromedp.EmulateViewport(width, height, chromedp.EmulateMobile, chromedp.EmulatePortrait, chromedp.EmulateTouch),
			chromedp.Navigate(h.URL+"/kompetensi/saya"), chromedp.WaitVisible(chromedp.ID("f-email")))
		browsertest.Follow(t, tab, "sign in", "#save-assessment",
			chromedp.SendKeys(chromedp.ID("f-email"), "nuraini@makassarkota.go.id"), chromedp.SendKeys(chromedp.ID("f-password"), pw),
			chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
		for _, path := range []string{"/kompetensi/saya", "/kompetensi", fmt.Sprintf("/kompetensi/%d", security.ID),
			"/kompetensi/persyaratan", fmt.Sprintf("/kompetensi/%d/riwayat", security.ID)} {
			browsertest.Do(t, tab, path, chromedp.Navigate(h.URL+path), chromedp.WaitVisible(chromedp.CSS("main h1")))
			w, err := chromedp.Run(tab, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`))
			if err != nil {
				t.Fatal(err)
			}
			browsertest.Screenshot(t, tab, strings.ReplaceAll(strings.Trim(path, "/"), "/", "-")+".png")
			if w > width+2 {
				t.Errorf("%s is %vpx wide on a %dpx screen", path, w, width)
			}
		}
		browsertest.Do(t, tab, "self-assessment form", chromedp.Navigate(h.URL+"/kompetensi/saya"), chromedp.WaitVisible(chromedp.ID("f-competency")),
			chromedp.SetValue(chromedp.ID("f-competency"), fmt.Sprint(security.ID)),
			chromedp.Click(chromedp.CSS(`input[name=level][value="2"]`)))
		browsertest.Follow(t, tab, "self-assessment", "#item-keamanan-informasi", chromedp.Click(chromedp.ID("save-assessment")))
		p, err := svc.ProfileOf(ctx, policy.SystemActor("test"), me)
		if err != nil {
			t.Fatal(err)
		}
		if it := p.Items[0]; it.SelfLevel != 2 || it.LapsedLevel != 3 || it.Level != 0 {
			t.Errorf("after the self-assessment on a phone: %+v", it)
		}
	})
}
