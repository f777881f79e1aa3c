package knowledge_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/search"
)

// A writer's save of a draft and a reviewer's publishing of it, at the same
// moment, take turns: a save that comes second is decided on the published
// article, which the writer may no longer edit, and never makes
// unreviewed text the published one. Which goes first is the database's
// choice (on PostgreSQL too: the row's waiters race once it is updated).
func TestASaveDuringAPublishDoesNotPublishItsText(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		a, err := w.svc.Create(ctx, w.operator, knowledge.Input{Title: "Cuti sakit", Body: "Lampirkan surat dokter.",
			CategoryID: &w.category.ID})
		if err != nil {
			t.Fatal(err)
		}
		// The article's row is held, so both wait for it in turn.
		hold := dbtest.Hold(t, d, `UPDATE articles SET updated_at = updated_at WHERE id = $1`, a.ID)
		published, saved := make(chan error, 1), make(chan error, 1)
		go func() {
			_, err := w.svc.SetStatus(ctx, w.reviewer, a.ID, knowledge.StatusPublished, "")
			published <- err
		}()
		dbtest.WaitForLockWaits(t, d, 1, "articles")
		go func() {
			_, err := w.svc.Update(ctx, w.operator, a.ID, a.Version, knowledge.Input{Title: "Cuti sakit",
				Body: "Cukup kirim pesan ke atasan, teksbelumditinjau.", CategoryID: &w.category.ID})
			saved <- err
		}()
		dbtest.WaitForLockWaits(t, d, 2, "articles")
		hold.Commit()
		if err := <-published; err != nil {
			t.Fatalf("publish: %v", err)
		}
		if err := <-saved; err != nil && !errs.Is(err, errs.Forbidden) {
			t.Errorf("a save of the draft as it was published: %v, want it saved first or Forbidden after", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM article_revisions r JOIN article_events e ON e.article_id = r.article_id
			AND e.to_status = 'published' WHERE r.article_id = $1 AND r.created_at > e.created_at`, a.ID); n != 0 {
			t.Error("the writer's text was saved after the reviewer published the article: it is published unreviewed")
		}
		got, err := w.svc.Get(ctx, w.reader, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		reviewed := !strings.Contains(got.Body, "teksbelumditinjau")
		ans, err := search.NewService(d).Search(ctx, w.reader, search.Request{Text: "teksbelumditinjau"})
		if err != nil || len(ans.Items) != map[bool]int{true: 0, false: 1}[reviewed] {
			t.Errorf("a reader's search for the saved text: %d results (%v); the article reads %q", len(ans.Items), err, got.Body)
		}
	})
}

// The job that indexes articles missing from search reads each article
// after a change being made to it commits: an article unpublished
// meanwhile is indexed as the draft it now is, for writers only.
func TestTheIndexJobSeesAnUnpublishMadeMeanwhile(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		a, err := w.svc.Create(ctx, w.operator, knowledge.Input{Title: "Sandi email dinas", Body: "Atur ulang lewat portal.",
			CategoryID: &w.category.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.SetStatus(ctx, w.reviewer, a.ID, knowledge.StatusPublished, ""); err != nil {
			t.Fatal(err)
		}
		if err := search.Remove(ctx, d.W, search.KindArticle, a.ID); err != nil { // as written before the index
			t.Fatal(err)
		}
		unpublish := dbtest.Hold(t, d, `UPDATE articles SET status = $1 WHERE id = $2`, knowledge.StatusDraft, a.ID)
		indexed := make(chan error, 1)
		go func() { indexed <- w.svc.IndexMissing(ctx, time.Now()) }()
		dbtest.WaitForLockWaits(t, d, 1, "articles")
		unpublish.Commit()
		if err := <-indexed; err != nil {
			t.Fatal(err)
		}
		var audience string
		if err := d.R.QueryRow(`SELECT audience FROM search_docs WHERE kind = 'article' AND doc_id = $1`, a.ID).Scan(&audience); err != nil {
			t.Fatal(err)
		}
		if audience != search.Writers {
			t.Errorf("the unpublished article is found by %q, want %q", audience, search.Writers)
		}
		if ans, err := search.NewService(d).Search(ctx, w.reader, search.Request{Text: "portal"}); err != nil || len(ans.Items) != 0 {
			t.Errorf("a reader finds the unpublished article: %d results (%v)", len(ans.Items), err)
		}
	})
}
