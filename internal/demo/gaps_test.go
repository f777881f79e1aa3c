package demo

import (
	"context"
	"testing"

	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
)

func TestDemoCityHasGapsToShow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		// Without the framework's competencies the demo loads no gaps.
		if _, err := LoadCity(ctx, d, Options{}); err != nil {
			t.Fatal(err)
		}
		var reqs int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM competency_requirements`).Scan(&reqs); err != nil || reqs != 0 {
			t.Fatalf("%d requirements without competencies (%v)", reqs, err)
		}
		// The framework's general competencies and operating SIPD, as its
		// defaults make them once the applications exist; then the gaps.
		for _, code := range []string{"literasi-digital", "keamanan-informasi", "webmail", "manajemen-data", "dasar-jaringan"} {
			dbtest.Competency(t, d, code, code)
		}
		sipd := dbtest.Competency(t, d, "sipd.operasi", "Mengoperasikan SIPD")
		if _, err := d.W.Exec(`UPDATE competencies SET app_id = (SELECT id FROM apps WHERE slug = 'sipd'), app_use = 'operate'
			WHERE id = $1`, sipd); err != nil {
			t.Fatal(err)
		}
		if err := loadGaps(ctx, d); err != nil {
			t.Fatal(err)
		}
		var held int
		if err := d.R.QueryRow(`SELECT (SELECT COUNT(*) FROM competency_requirements), (SELECT COUNT(*) FROM competency_held)`).
			Scan(&reqs, &held); err != nil {
			t.Fatal(err)
		}
		if reqs != len(gapRequirements)+1 || held < 1000 {
			t.Errorf("%d requirements, %d people with verified levels", reqs, held)
		}
		items, _, err := competency.NewGapService(d).CityGaps(ctx, policy.SystemActor("test"), db.Page{})
		if err != nil {
			t.Fatal(err)
		}
		if len(items) < 5 || items[0].Lacking < 100 || items[0].Lacking >= items[0].People {
			t.Errorf("city gaps: %+v", items)
		}
		signalled := false
		for _, g := range items {
			signalled = signalled || (g.Competency.Code == "sipd.operasi" && len(g.Helpdesk) == 1)
		}
		if !signalled {
			t.Error("no help desk signal for SIPD")
		}
	})
}
