package demo

import (
	"context"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/loindex"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/targets"
)

// checkTargetsAndIndex checks that the city has learning targets and an LO index to show.
func checkTargetsAndIndex(t *testing.T, d *db.DB) {
	ctx, sys := context.Background(), policy.SystemActor("test")
	index := loindex.NewService(d, cityZone())
	list, _, err := targets.NewService(d, cityZone(), index).List(ctx, sys, targets.Filter{}, db.Page{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 5 {
		t.Fatalf("%d targets, want 5", len(list))
	}
	for _, x := range list {
		if x.Progress == nil || x.Progress.Status == targets.StatusNoData && x.Metric != targets.MetricIndex {
			t.Errorf("target %s of %s has no progress to show: %+v", x.Metric, x.AgencyName, x.Progress)
		}
	}
	p, _ := index.Period("")
	city, err := index.Index(ctx, sys, 0, p)
	if err != nil || city.Index == nil {
		t.Errorf("the city's index this quarter = %+v, %v", city, err)
	}
}
