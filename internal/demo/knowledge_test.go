package demo

import (
	"context"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/policy"
)

// checkKnowledge reads the demo's knowledge base through the service: its
// categories have reviewers, the published articles fill the home page
// and the FAQs, and one waits in review.
func checkKnowledge(t *testing.T, d *db.DB) {
	ctx, sys := context.Background(), policy.SystemActor("test")
	kb := knowledge.NewService(d)
	home, err := kb.Home(ctx, 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(home.Categories) != len(demoCategories) || len(home.Latest) != 8 || len(home.Helpful) < 5 {
		t.Errorf("home: %d categories, %d latest, %d helpful", len(home.Categories), len(home.Latest), len(home.Helpful))
	}
	for _, c := range home.Categories {
		if len(c.Reviewers) == 0 {
			t.Errorf("category %s has no reviewer", c.Name)
		}
	}
	if home.Helpful[0].Title != "Mengatur webmail kota di ponsel (Android dan iPhone)" {
		t.Errorf("most helpful: %s", home.Helpful[0].Title)
	}
	for _, slug := range []string{"simpeg", "sipd", "webmail", "e-attendance"} {
		if _, list, err := kb.FAQ(ctx, slug); err != nil || len(list) < 2 {
			t.Errorf("FAQ of %s: %d articles, %v", slug, len(list), err)
		}
	}
	queue, err := kb.ReviewQueue(ctx, sys)
	if err != nil || len(queue) != 1 {
		t.Errorf("review queue: %d, %v", len(queue), err)
	}
}
