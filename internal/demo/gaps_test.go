package demo

import (
	"context"
	"testing"

	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
)

// checkGaps checks that the city has competency gaps to show, one signalled by the help desk.
func checkGaps(t *testing.T, d *db.DB) {
	ctx := context.Background()
	// The framework's default competencies and their requirements, then the
	// gaps' requirements, verified levels and SIPD procedure tickets.
	var reqs, held int
	if err := d.R.QueryRow(`SELECT (SELECT COUNT(*) FROM competency_requirements), (SELECT COUNT(*) FROM competency_held)`).
		Scan(&reqs, &held); err != nil {
		t.Fatal(err)
	}
	if reqs < 10 || held < 1000 {
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
}
