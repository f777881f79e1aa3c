package knowledge_test

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/search"
)

// Articles written before the search index existed are indexed by the
// knowledge.index job as any change indexes them: published ones for
// everyone with their votes, drafts for writers only; a second run adds
// nothing.
func TestArticlesFromBeforeTheIndexAreIndexed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		pub, err := w.svc.Create(ctx, w.operator, knowledge.Input{Title: "Mengisi SKP di SIMPEG", Body: "Langkah pengisian",
			CategoryID: &w.category.ID, AppIDs: []int64{w.simpeg}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Create(ctx, w.operator, knowledge.Input{Title: "Draf pengisian cuti", CategoryID: &w.category.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.SetStatus(ctx, w.expert, pub.ID, knowledge.StatusPublished, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Vote(ctx, w.reader, pub.ID, true); err != nil {
			t.Fatal(err)
		}
		// As before migration 0016: no documents.
		for _, table := range []string{"search_texts", "search_docs"} {
			if _, err := d.W.Exec(`DELETE FROM ` + table); err != nil {
				t.Fatal(err)
			}
		}
		for range 2 {
			if err := w.svc.IndexMissing(ctx, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		if n := count(t, d, `SELECT count(*) FROM search_docs WHERE kind = 'article'`); n != 2 {
			t.Errorf("%d articles indexed, want 2", n)
		}
		if n := count(t, d, `SELECT helpful FROM search_docs WHERE kind = 'article' AND doc_id = $1`, pub.ID); n != 1 {
			t.Errorf("the published article indexed with helpfulness %d, want 1", n)
		}
		s := search.NewService(d)
		for _, c := range []struct {
			who  string
			want int
		}{{"reader", 1}, {"agent", 2}} {
			actor := map[string]*policy.Actor{"reader": w.reader, "agent": w.agent}[c.who]
			ans, err := s.Search(ctx, actor, search.Request{Text: "pengisian"})
			if err != nil || len(ans.Items) != c.want {
				t.Errorf("%s finds %d articles (%v), want %d", c.who, len(ans.Items), err, c.want)
			}
		}
	})
}
