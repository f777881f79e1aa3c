package knowledge_test

import (
	"context"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/policy"
)

func TestHelpfulVotesCreditTheAuthorForTheArticlesApplications(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		a, err := w.svc.Create(ctx, w.operator, knowledge.Input{Title: "Mengisi SKP di SIMPEG", Body: "Langkahnya…",
			CategoryID: &w.category.ID, AppIDs: []int64{w.simpeg}})
		if err != nil {
			t.Fatal(err)
		}
		draft, err := w.svc.Create(ctx, w.operator, knowledge.Input{Title: "Belum terbit", CategoryID: &w.category.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.SetStatus(ctx, w.expert, a.ID, knowledge.StatusPublished, ""); err != nil {
			t.Fatal(err)
		}
		for _, v := range []struct {
			who     string
			helpful bool
		}{{"reader", true}, {"agent", true}, {"reviewer", false}, {"operator", true}} {
			actor := map[string]*policy.Actor{"reader": w.reader, "agent": w.agent, "reviewer": w.reviewer, "operator": w.operator}[v.who]
			w.svc.Vote(ctx, actor, a.ID, v.helpful) // the author's own vote may be refused; it counts for nothing either way
		}
		w.svc.Vote(ctx, w.agent, draft.ID, true)

		got, err := knowledge.HelpfulVotes(ctx, d.R, w.operator.AgencyID)
		if err != nil {
			t.Fatal(err)
		}
		v := got[w.operator.AccountID]
		if len(got) != 1 || v.Helpful != 2 || len(v.Apps) != 1 || v.Apps[0].Name != "SIMPEG" {
			t.Errorf("helpful votes: %+v", got)
		}
		if other, _ := knowledge.HelpfulVotes(ctx, d.R, w.operator.AgencyID+1000); len(other) != 0 {
			t.Errorf("another agency's authors: %+v", other)
		}
	})
}
