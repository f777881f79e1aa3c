package discuss_test

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/search"
)

// Posts written before the search index existed are indexed by the
// discuss.index job as any change indexes them: for the space's readers,
// with their helpful reactions; hidden posts stay out; a second run adds
// nothing.
func TestPostsFromBeforeTheIndexAreIndexed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		room := c.space(t, discuss.SpaceInput{Name: "Ruang Diskes", Level: policy.SpaceAgency, AgencyID: c.diskes}, c.admin)
		th := c.thread(t, c.nur, room.ID, "Ekspor laporan SIKDA", "Bagaimana mengekspor laporan?", true)
		p := c.reply(t, c.ani, th.ID, "Menu Laporan, lalu Ekspor.")
		hidden := c.reply(t, c.ani, th.ID, "Laporan iklan")
		if _, err := c.svc.React(ctx, c.nur, p.ID, discuss.ReactionHelpful); err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.Exec(`UPDATE posts SET hidden_at = $1 WHERE id = $2`, time.Now().UTC(), hidden.ID); err != nil {
			t.Fatal(err)
		}
		// As before migration 0016: no documents.
		for _, table := range []string{"search_texts", "search_docs"} {
			if _, err := d.W.Exec(`DELETE FROM ` + table); err != nil {
				t.Fatal(err)
			}
		}
		for range 2 {
			if err := c.svc.IndexMissing(ctx, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		if n := c.count(t, `SELECT count(*) FROM search_docs WHERE kind = 'post'`); n != 2 {
			t.Errorf("%d posts indexed, want 2 (the hidden one left out)", n)
		}
		if n := c.count(t, `SELECT helpful FROM search_docs WHERE kind = 'post' AND doc_id = $1`, p.ID); n != 1 {
			t.Errorf("the reply indexed with helpfulness %d, want 1", n)
		}
		s := search.NewService(d, discuss.SearchKeys)
		for _, who := range []struct {
			name  string
			actor *policy.Actor
			want  int
		}{{"nur", c.nur, 1}, {"budi", c.budi, 0}} {
			ans, err := s.Search(ctx, who.actor, search.Request{Text: "laporan"})
			if err != nil || len(ans.Items) != who.want {
				t.Errorf("%s finds %d threads (%v), want %d", who.name, len(ans.Items), err, who.want)
			}
		}
	})
}
