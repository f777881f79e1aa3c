package demo

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/survey"
)

// checkSurvey: the demo city has two closed LO surveys, the later one's
// results show for the city with change and alpha, and some agencies are
// hidden under the rule.
func checkSurvey(t *testing.T, d *db.DB) {
	ctx := context.Background()
	ids, err := db.IDs(ctx, d.R, `SELECT id FROM survey_campaigns WHERE status = 'closed' ORDER BY closes_at`)
	if err != nil || len(ids) != 2 {
		t.Fatalf("closed campaigns %v, %v", ids, err)
	}
	s := survey.NewService(d, cityZone())
	exec := &policy.Actor{Grants: []policy.Grant{{Role: policy.Executive}}}
	ov, err := s.Overview(ctx, exec, ids[1], "id")
	if err != nil {
		t.Fatal(err)
	}
	c := ov.City
	if c == nil || c.Suppressed || c.Respondents < 500 || len(c.Dimensions) != 7 || c.PreviousID == nil || *c.PreviousID != ids[0] {
		t.Fatalf("city = %+v", c)
	}
	for _, dim := range c.Dimensions {
		if dim.Score < 2.5 || dim.Score > 5.5 || dim.Change == nil || dim.Alpha == nil || *dim.Alpha < 0.5 {
			t.Errorf("%s: score %.2f, change %v, alpha %v", dim.Key, dim.Score, dim.Change, dim.Alpha)
		}
	}
	hidden, shown := 0, 0
	for _, a := range ov.Agencies {
		if a.Suppressed {
			hidden++
		} else {
			shown++
		}
	}
	if hidden == 0 || shown < 20 {
		t.Errorf("%d agencies hidden, %d shown: want some of each", hidden, shown)
	}
	scores, err := survey.LOScores(ctx, d.R, time.Now())
	if err != nil || scores[survey.City].Suppressed || scores[survey.City].CampaignID != ids[1] {
		t.Errorf("LO scores of the city: %+v, %v", scores[survey.City], err)
	}
}
