package knowledge_test

import (
	"context"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/search"
)

func TestADraftIsFoundOnlyByThoseWhoMayReadIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		if _, err := w.svc.Create(ctx, w.operator, knowledge.Input{Title: "Anggaran pelatihan SIMPEG",
			Body: "Rincian anggaran", CategoryID: &w.category.ID}); err != nil {
			t.Fatal(err)
		}
		found := func(a *policy.Actor) int {
			ans, err := search.NewService(d).Search(ctx, a, search.Request{Text: "anggaran"})
			if err != nil {
				t.Fatal(err)
			}
			return len(ans.Items)
		}
		if found(w.operator) != 1 || found(w.agent) != 1 || found(w.reader) != 0 {
			t.Fatalf("a draft found by its author %d, another writer %d, a reader %d; want 1, 1, 0",
				found(w.operator), found(w.agent), found(w.reader))
		}
		// The author stops writing articles: the draft is no longer theirs
		// to read (GET answers 404), nor to find.
		formerAuthor := *w.operator
		formerAuthor.Grants = []policy.Grant{{Role: policy.Employee, AgencyID: w.operator.AgencyID}}
		if n := found(&formerAuthor); n != 0 {
			t.Errorf("an author who no longer writes finds the draft %d times", n)
		}
	})
}
