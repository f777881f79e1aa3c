package demo

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/ledger"
	"github.com/lontara-id/lontara/internal/policy"
)

// checkDevelopment checks that the city has learning paths, mentoring and a year of JP.
func checkDevelopment(t *testing.T, d *db.DB) {
	ctx := context.Background()
	var modules, paths, assigned, mentoring, sessions, mentored int
	if err := d.R.QueryRow(`SELECT (SELECT count(*) FROM activities WHERE kind = 'self_study'),
		(SELECT count(*) FROM learning_paths), (SELECT count(*) FROM learning_path_members WHERE source = 'assigned'),
		(SELECT count(*) FROM mentoring_assignments), (SELECT count(*) FROM mentoring_sessions),
		(SELECT count(*) FROM learning_records WHERE source_kind = 'mentoring')`).
		Scan(&modules, &paths, &assigned, &mentoring, &sessions, &mentored); err != nil {
		t.Fatal(err)
	}
	if modules < 4 || paths != 2 || assigned == 0 || mentoring == 0 || sessions < mentoring || mentored != sessions {
		t.Errorf("%d modules, %d paths, %d assigned, %d mentoring with %d sessions (%d in the ledger)",
			modules, paths, assigned, mentoring, sessions, mentored)
	}
	var finished, counted int
	if err := d.R.QueryRow(`SELECT (SELECT count(*) FROM self_study_completions),
		(SELECT count(*) FROM learning_records WHERE source_kind = 'self_study')`).Scan(&finished, &counted); err != nil {
		t.Fatal(err)
	}
	if finished == 0 || counted != finished {
		t.Errorf("%d modules finished, %d in the ledger", finished, counted)
	}
	if time.Now().In(time.FixedZone("WITA", 8*3600)).YearDay() < 3 {
		return // the year has just begun: no past learning in it yet
	}
	city, err := ledger.NewService(d, time.UTC).City(ctx, policy.SystemActor("test"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if city.Total.Met == 0 || city.Total.Behind == 0 || city.Total.JP == 0 {
		t.Errorf("the demo city's ledger shows no spread: %+v", city.Total)
	}
}
