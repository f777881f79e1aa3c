package knowledge_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/policy"
)

// count counts the rows a query selects.
func count(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.R.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// inReview is the operator's article "Panduan" sent to review in a category.
func inReview(t *testing.T, w *world, category int64) knowledge.Article {
	t.Helper()
	a, err := w.svc.CreateAs(context.Background(), w.operator, knowledge.Input{Title: "Panduan", Body: "isi", CategoryID: &category},
		knowledge.StatusReview)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestPublishingIsDecidedOnTheCategoryTheArticleIsIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		sipd, err := w.svc.SaveCategory(ctx, w.expert, 0, knowledge.CategoryInput{Name: "SIPD", Reviewers: []string{"agen@makassarkota.go.id"}})
		if err != nil {
			t.Fatal(err)
		}
		a := inReview(t, w, sipd.ID)
		revisions := count(t, d, `SELECT count(*) FROM article_revisions WHERE article_id = $1`, a.ID)
		unchanged := func(what string) {
			t.Helper()
			got, _ := w.svc.Get(ctx, w.expert, a.ID)
			if got.Status != knowledge.StatusReview || got.Version != a.Version || got.CategoryID == nil || *got.CategoryID != sipd.ID ||
				got.Body != "isi" || count(t, d, `SELECT count(*) FROM article_revisions WHERE article_id = $1`, a.ID) != revisions {
				t.Errorf("%s: the article changed: %+v", what, got)
			}
		}
		// The SIMPEG reviewer moves the SIPD article into SIMPEG and publishes it in one change.
		pub := knowledge.StatusPublished
		into := func() *knowledge.Input {
			return &knowledge.Input{Title: a.Title, Body: "isi baru", CategoryID: &w.category.ID}
		}
		_, err = w.svc.Patch(ctx, w.reviewer, a.ID, knowledge.Change{Base: a.Version, Input: into(), Status: &pub})
		if errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("move and publish by another category's reviewer: %v", err)
		}
		unchanged("move and publish")
		// Or in two steps: the move of an article in review is its own category's reviewers'.
		for _, who := range []*policy.Actor{w.reviewer, w.operator} {
			if _, err := w.svc.Patch(ctx, who, a.ID, knowledge.Change{Base: a.Version, Input: into()}); !hasField(err, "category_id") {
				t.Errorf("%s moves an article in review out of SIPD: %v", who.Name, err)
			}
			if _, err := w.svc.Patch(ctx, who, a.ID, knowledge.Change{Base: a.Version, Input: &knowledge.Input{Title: a.Title,
				Body: "isi"}}); !hasField(err, "category_id") {
				t.Errorf("%s takes an article in review out of any category: %v", who.Name, err)
			}
		}
		unchanged("the moves")
		// Its text may still change in its category.
		a, err = w.svc.Update(ctx, w.operator, a.ID, a.Version, knowledge.Input{Title: a.Title, Body: "isi", CategoryID: &sipd.ID,
			Competencies: []string{"sipd.anggaran"}})
		if err != nil || a.Version != 2 {
			t.Fatalf("an edit in review: %+v %v", a, err)
		}
		revisions++
		// SIPD's reviewer may move it, and an expert anything.
		moved, err := w.svc.Update(ctx, w.agent, a.ID, a.Version, knowledge.Input{Title: a.Title, Body: "isi", CategoryID: &w.category.ID})
		if err != nil || *moved.CategoryID != w.category.ID || moved.Status != knowledge.StatusReview {
			t.Fatalf("SIPD's reviewer moves it: %+v %v", moved, err)
		}
		if _, err := w.svc.Update(ctx, w.expert, a.ID, moved.Version, knowledge.Input{Title: a.Title, CategoryID: &sipd.ID}); err != nil {
			t.Errorf("an expert moves it back: %v", err)
		}
		// A draft is every writer's: the SIMPEG reviewer files it under SIMPEG and publishes it there.
		draft, _ := w.svc.Create(ctx, w.operator, knowledge.Input{Title: "Draf SIPD", CategoryID: &sipd.ID})
		draft, err = w.svc.Update(ctx, w.reviewer, draft.ID, 1, knowledge.Input{Title: draft.Title, CategoryID: &w.category.ID})
		if err != nil {
			t.Fatalf("a draft moved: %v", err)
		}
		if got, err := w.svc.SetStatus(ctx, w.reviewer, draft.ID, knowledge.StatusPublished, ""); err != nil || got.Status != pub {
			t.Errorf("the draft published in SIMPEG: %+v %v", got, err)
		}
		// A published article is moved out of its category by its reviewers only (not by an author).
		if _, err := w.svc.Update(ctx, w.agent, draft.ID, 2, knowledge.Input{Title: draft.Title, CategoryID: &sipd.ID}); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("SIPD's reviewer takes a SIMPEG article: %v", err)
		}
	})
}

func TestPublishingAcrossCategoriesOverTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tm := startTeam(t, d)
		h := tm.h
		sipd, err := h.Svc.KB.SaveCategory(t.Context(), policy.SystemActor("test"), 0, knowledge.CategoryInput{Name: "SIPD"})
		if err != nil {
			t.Fatal(err)
		}
		var a knowledge.Article
		h.Do(t, "POST", "/api/v1/articles", tm.operator, map[string]any{"title": "Anggaran", "body": "isi",
			"category_id": sipd.ID}, "").JSON(t, &a)
		if r := tm.patch(t, tm.operator, a.ID, "", `{"status":"review"}`); r.Status != 200 {
			t.Fatalf("to review: %d %s", r.Status, r.Body)
		}
		r := tm.patch(t, tm.reviewer, a.ID, `"1"`, fmt.Sprintf(`{"category_id":%d,"status":"published"}`, tm.category))
		if r.Status != 403 {
			t.Errorf("moved into SIMPEG and published by its reviewer: %d %s", r.Status, r.Body)
		}
		r = tm.patch(t, tm.reviewer, a.ID, `"1"`, fmt.Sprintf(`{"category_id":%d}`, tm.category))
		if r.Status != 422 || !strings.Contains(string(r.Body), "category_id") {
			t.Errorf("moved into SIMPEG by its reviewer: %d %s", r.Status, r.Body)
		}
		got, _ := h.Svc.KB.Get(t.Context(), policy.SystemActor("test"), a.ID)
		if got.Status != knowledge.StatusReview || got.Version != 1 || *got.CategoryID != sipd.ID {
			t.Errorf("the article changed: %+v", got)
		}
	})
}

// saveMeanwhile stands in for another writer (the agent) saving version 2
// between an edit's read and its write.
func saveMeanwhile(w *world, id int64, body string) func(context.Context, *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET body = $1, version = version + 1 WHERE id = $2`, body, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO article_revisions (article_id, version, conflict, title, body,
			editor_account_id, created_at) VALUES ($1, 2, FALSE, 'Judul', $2, $3, $4)`, id, body, w.agent.AccountID, time.Now().UTC())
		return err
	}
}

func TestASaveThatLosesTheRaceShowsTheWinningSave(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		a, err := w.svc.Create(ctx, w.operator, knowledge.Input{Title: "Judul", Body: "awal"})
		if err != nil {
			t.Fatal(err)
		}
		w.svc.SetBeforeWrite(saveMeanwhile(w, a.ID, "isi agen"))
		_, err = w.svc.Update(ctx, w.operator, a.ID, 1, knowledge.Input{Title: "Judul", Body: "isi saya"})
		w.svc.SetBeforeWrite(nil)
		var conflict *knowledge.ConflictError
		if !errors.As(err, &conflict) {
			t.Fatalf("the lost race: %v", err)
		}
		if conflict.Current.Version != 2 || conflict.Current.Body != "isi agen" || conflict.Mine.Body != "isi saya" ||
			conflict.Mine.Version != 1 || !strings.Contains(err.Error(), "Agen Satu") {
			t.Errorf("the conflict shows: current %+v, mine %+v, %v", conflict.Current, conflict.Mine, err)
		}
	})
}

func TestALostRaceOverTheAPIAnswersWithTheWinnersVersion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tm := startTeam(t, d)
		var a knowledge.Article
		tm.h.Do(t, "POST", "/api/v1/articles", tm.operator, map[string]any{"title": "Judul", "body": "awal"}, "").JSON(t, &a)
		agent, err := tm.h.Svc.Auth.LoadActor(t.Context(), tm.h.AccountID(t, agentEmail))
		if err != nil {
			t.Fatal(err)
		}
		tm.h.Svc.KB.SetBeforeWrite(saveMeanwhile(&world{agent: agent}, a.ID, "isi agen"))
		r := tm.patch(t, tm.operator, a.ID, `"1"`, `{"body":"isi saya"}`)
		tm.h.Svc.KB.SetBeforeWrite(nil)
		var p knowledge.ConflictProblem
		if err := json.Unmarshal(r.Body, &p); err != nil || r.Status != 409 || r.Header.Get("ETag") != `"2"` ||
			p.Current.Version != 2 || p.Current.Body != "isi agen" || p.Yours.Body != "isi saya" || !strings.Contains(p.Detail+p.Title, "Agen Satu") {
			t.Errorf("409: %d %v %s", r.Status, r.Header, r.Body)
		}
	})
}

func TestConcurrentSavesNeverAnswerWithAStaleCurrent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		for round := 0; round < 8; round++ {
			a, err := w.svc.Create(ctx, w.operator, knowledge.Input{Title: "Judul", Body: "awal"})
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			errc := make(chan error, 2)
			for i, who := range []*policy.Actor{w.operator, w.agent} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := w.svc.Update(ctx, who, a.ID, 1, knowledge.Input{Title: "Judul", Body: fmt.Sprint("isi ", i)})
					errc <- err
				}()
			}
			wg.Wait()
			close(errc)
			wins := 0
			for err := range errc {
				var conflict *knowledge.ConflictError
				switch {
				case err == nil:
					wins++
				case errors.As(err, &conflict):
					if conflict.Current.Version != 2 || conflict.Current.Body == "awal" {
						t.Errorf("round %d: the 409 shows version %d %q, not the winner's", round, conflict.Current.Version,
							conflict.Current.Body)
					}
				default:
					t.Errorf("round %d: %v", round, err)
				}
			}
			if wins != 1 {
				t.Errorf("round %d: %d saves won", round, wins)
			}
		}
	})
}

func TestReviewCommentsAreForWriters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		a := inReview(t, w, w.category.ID)
		const secret = "Jangan pakai data NIP asli"
		if _, err := w.svc.SetStatus(ctx, w.reviewer, a.ID, knowledge.StatusDraft, secret); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.SetStatus(ctx, w.reviewer, a.ID, knowledge.StatusPublished, ""); err != nil {
			t.Fatal(err)
		}
		if ev, err := w.svc.Events(ctx, w.reader, a.ID); errs.CodeOf(err) != errs.Forbidden || len(ev) != 0 {
			t.Errorf("a reader reads the review's steps: %+v %v", ev, err)
		}
		if ev, err := w.svc.Events(ctx, w.agent, a.ID); err != nil || len(ev) != 3 || ev[1].Comment != secret {
			t.Errorf("a writer reads them: %+v %v", ev, err)
		}
	})
}

func TestTheArticlePageShowsReviewCommentsToWritersOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tm := startTeam(t, d)
		h := tm.h
		var a knowledge.Article
		h.Do(t, "POST", "/api/v1/articles", tm.operator, map[string]any{"title": "Panduan", "body": "isi",
			"category_id": tm.category}, "").JSON(t, &a)
		tm.patch(t, tm.operator, a.ID, "", `{"status":"review"}`)
		const secret = "Jangan pakai data NIP asli"
		if r := tm.patch(t, tm.reviewer, a.ID, "", `{"status":"draft","comment":"`+secret+`"}`); r.Status != 200 {
			t.Fatalf("return: %d %s", r.Status, r.Body)
		}
		tm.patch(t, tm.reviewer, a.ID, "", `{"status":"published"}`)
		page := fmt.Sprintf("/pengetahuan/%d", a.ID)
		reader := h.SignIn(t, readerEmail, tm.pw[readerEmail])
		rp := reader.Get(page)
		rp.Want(t, 200, "the reader's page", "Panduan")
		rp.Lacks(t, "the reader's page", secret, `id="h-events"`)
		agent := h.SignIn(t, agentEmail, tm.pw[agentEmail])
		agent.Get(page).Want(t, 200, "a writer's page", `id="h-events"`, secret)
	})
}

func TestReviewersEmailsAreForThoseWhoManageCategories(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		for _, who := range []*policy.Actor{w.reader, w.agent, w.reviewer} {
			list, err := w.svc.Categories(ctx, who)
			if err != nil || len(list) != 1 || len(list[0].Reviewers) != 1 || list[0].Reviewers[0].Name != "Andi Pelatih" ||
				list[0].Reviewers[0].Email != "" {
				t.Errorf("%s reads the categories: %+v %v", who.Name, list, err)
			}
		}
		list, _ := w.svc.Categories(ctx, w.expert)
		if list[0].Reviewers[0].Email != "andi@makassarkota.go.id" {
			t.Errorf("the expert's categories: %+v", list)
		}
	})
}

func TestTheCategoriesAPIShowsReviewersEmailsToManagersOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tm := startTeam(t, d)
		r := tm.h.Do(t, "GET", "/api/v1/article-categories", tm.reader, nil, "")
		if r.Status != 200 || !strings.Contains(string(r.Body), "Andi Pelatih") || strings.Contains(string(r.Body), revEmail) ||
			strings.Contains(string(r.Body), `"email"`) {
			t.Errorf("a reader's categories: %d %s", r.Status, r.Body)
		}
		expert := tm.h.Token(t, expertEmail)
		if r := tm.h.Do(t, "GET", "/api/v1/article-categories", expert, nil, ""); !strings.Contains(string(r.Body), revEmail) {
			t.Errorf("the expert's categories: %d %s", r.Status, r.Body)
		}
	})
}

func TestATextIsKeptOncePerPublishingFromTheServersRecords(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		a, err := w.svc.SetStatus(ctx, w.reviewer, inReview(t, w, w.category.ID).ID, knowledge.StatusPublished, "")
		if err != nil {
			t.Fatal(err)
		}
		conflicts := func() int {
			return count(t, d, `SELECT count(*) FROM article_revisions WHERE article_id = $1 AND conflict = TRUE`, a.ID)
		}
		save := func(who *policy.Actor, base int, body string) error {
			_, err := w.svc.Patch(ctx, who, a.ID, knowledge.Change{Base: base, Meanwhile: true,
				Input: &knowledge.Input{Title: "SPAM", Body: body, CategoryID: &w.category.ID}})
			return err
		}
		// The agent may have begun on version 1 while it was in review: kept once, then refused.
		if err := save(w.agent, a.Version, "teks 1"); errs.As(err) == nil || errs.As(err).Key != "article.published_meanwhile" {
			t.Fatalf("the first text: %v", err)
		}
		for i := 2; i <= 4; i++ {
			if err := save(w.agent, a.Version, fmt.Sprint("teks ", i)); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("text %d: %v", i, err)
			}
		}
		if n := conflicts(); n != 1 {
			t.Errorf("%d texts kept, want 1", n)
		}
		// A version saved after the publishing was never a draft anyone began on.
		v2, err := w.svc.Update(ctx, w.reviewer, a.ID, a.Version, knowledge.Input{Title: "Panduan", Body: "isi 2", CategoryID: &w.category.ID})
		if err != nil {
			t.Fatal(err)
		}
		if err := save(w.operator, v2.Version, "teks operator"); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("a text begun on the published version 2: %v", err)
		}
		if n := conflicts(); n != 1 {
			t.Errorf("%d texts kept, want 1", n)
		}
		// Unpublished and published again: a text begun in between is kept.
		if _, err := w.svc.SetStatus(ctx, w.reviewer, a.ID, knowledge.StatusDraft, "Perlu diperbarui"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.SetStatus(ctx, w.reviewer, a.ID, knowledge.StatusPublished, ""); err != nil {
			t.Fatal(err)
		}
		if err := save(w.agent, v2.Version, "teks baru"); errs.As(err) == nil || errs.As(err).Key != "article.published_meanwhile" {
			t.Errorf("a text begun while it was a draft again: %v", err)
		}
		if got, _ := w.svc.Get(ctx, w.reader, a.ID); got.Body != "isi 2" {
			t.Errorf("the published article changed: %+v", got)
		}
	})
}
