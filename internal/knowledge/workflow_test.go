package knowledge_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/upload"
)

func TestCategoriesNameWritersAsReviewersInOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		if len(w.category.Reviewers) != 1 || w.category.Reviewers[0].AccountID != w.reviewer.AccountID {
			t.Fatalf("reviewers: %+v", w.category.Reviewers)
		}
		_, err := w.svc.SaveCategory(ctx, w.expert, 0, knowledge.CategoryInput{Name: "SIPD",
			Reviewers: []string{"siapa@contoh.go.id", "pegawai@makassarkota.go.id"}})
		if e := errs.As(err); e == nil || len(e.Fields) != 2 || e.Fields[0].Key != "article.reviewer_unknown" ||
			e.Fields[1].Key != "article.reviewer_not_writer" {
			t.Fatalf("an unknown and a reader as reviewers: %v", err)
		}
		if _, err := w.svc.SaveCategory(ctx, w.expert, 0, knowledge.CategoryInput{Name: "simpeg"}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("a second SIMPEG: %v", err)
		}
		if _, err := w.svc.SaveCategory(ctx, w.agent, 0, knowledge.CategoryInput{Name: "Webmail"}); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("an agent makes a category: %v", err)
		}
		mail, err := w.svc.SaveCategory(ctx, w.expert, 0, knowledge.CategoryInput{Name: "Webmail"})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.svc.MoveCategory(ctx, w.expert, mail.ID, -1); err != nil {
			t.Fatal(err)
		}
		list, _ := w.svc.Categories(ctx, w.expert)
		if len(list) != 2 || list[0].Name != "Webmail" || list[1].Name != "SIMPEG" {
			t.Errorf("order after moving Webmail up: %+v", list)
		}
		if _, err := w.svc.Create(ctx, w.operator, knowledge.Input{Title: "Draf", CategoryID: &w.category.ID}); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.DeleteCategory(ctx, w.expert, w.category.ID); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("deleting a category with a draft: %v", err)
		}
		if err := w.svc.DeleteCategory(ctx, w.expert, mail.ID); err != nil {
			t.Errorf("deleting an empty category: %v", err)
		}
		if list, _ := w.svc.Categories(ctx, w.expert); len(list) != 1 {
			t.Errorf("after the delete: %+v", list)
		}
	})
}

func TestAnArticleGoesFromDraftThroughReviewToPublishedWithNotices(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		a, err := w.svc.Create(ctx, w.operator, knowledge.Input{Title: "Cara mengisi DRH di SIMPEG",
			Body: "Buka menu **Profil**.", AppIDs: []int64{w.simpeg, w.simpeg}, Competencies: []string{"simpeg.input-data", " "}})
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != knowledge.StatusDraft || a.Version != 1 || len(a.Apps) != 1 || a.Apps[0].Name != "SIMPEG" ||
			!slices.Equal(a.Competencies, []string{"simpeg.input-data"}) || a.AuthorName != "Nur'aini Dottoro'ta" {
			t.Fatalf("created: %+v", a)
		}
		if _, err := w.svc.Get(ctx, w.reader, a.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("a reader opens a draft: %v", err)
		}
		// To review it needs a category: its reviewers are who publish it.
		if _, err := w.svc.SetStatus(ctx, w.operator, a.ID, knowledge.StatusReview, ""); !hasField(err, "category_id") {
			t.Fatalf("review without a category: %v", err)
		}
		a, err = w.svc.Patch(ctx, w.operator, a.ID, knowledge.Change{Base: 1, Input: &knowledge.Input{Title: a.Title,
			Body: a.Body, CategoryID: &w.category.ID, AppIDs: []int64{w.simpeg}, Competencies: a.Competencies},
			Status: ptr(knowledge.StatusReview)})
		if err != nil || a.Status != knowledge.StatusReview || a.Version != 2 || a.Category != "SIMPEG" {
			t.Fatalf("save and send to review: %+v %v", a, err)
		}
		if got := unread(t, d, w.reviewer.AccountID); !slices.Equal(got, []string{"article.review"}) {
			t.Errorf("the reviewer is told: %v", got)
		}
		if got := unread(t, d, w.expert.AccountID); len(got) != 0 {
			t.Errorf("the experts are not told when the category has reviewers: %v", got)
		}
		queue, _ := w.svc.ReviewQueue(ctx, w.reviewer)
		if len(queue) != 1 || queue[0].ID != a.ID {
			t.Errorf("the reviewer's queue: %+v", queue)
		}
		if queue, _ := w.svc.ReviewQueue(ctx, w.agent); len(queue) != 0 {
			t.Errorf("an agent who reviews nothing has a queue: %+v", queue)
		}
		if _, err := w.svc.SetStatus(ctx, w.agent, a.ID, knowledge.StatusPublished, ""); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("a writer outside the category publishes: %v", err)
		}
		if _, err := w.svc.SetStatus(ctx, w.reviewer, a.ID, knowledge.StatusDraft, " "); !hasField(err, "comment") {
			t.Errorf("returned without a comment: %v", err)
		}
		a, err = w.svc.SetStatus(ctx, w.reviewer, a.ID, knowledge.StatusPublished, "")
		if err != nil || a.Status != knowledge.StatusPublished {
			t.Fatalf("the reviewer publishes: %+v %v", a, err)
		}
		if got := unread(t, d, w.operator.AccountID); !slices.Equal(got, []string{"article.published"}) {
			t.Errorf("the author is told: %v", got)
		}
		if got, err := w.svc.Get(ctx, w.reader, a.ID); err != nil || got.HTML != "<p>Buka menu <strong>Profil</strong>.</p>\n" {
			t.Errorf("a reader opens it: %+v %v", got, err)
		}
		// A published article changes only through its reviewers.
		if _, err := w.svc.Update(ctx, w.operator, a.ID, 2, knowledge.Input{Title: "x", CategoryID: &w.category.ID}); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("the author edits the published article: %v", err)
		}
		a, err = w.svc.SetStatus(ctx, w.expert, a.ID, knowledge.StatusDraft, "Menu sudah berubah sejak pembaruan Oktober.")
		if err != nil || a.Status != knowledge.StatusDraft {
			t.Fatalf("an expert unpublishes: %v", err)
		}
		if got := unread(t, d, w.operator.AccountID); !slices.Equal(got, []string{"article.published", "article.unpublished"}) {
			t.Errorf("the author is told of the unpublishing: %v", got)
		}
		events, _ := w.svc.Events(ctx, w.operator, a.ID)
		if len(events) != 3 || events[2].Comment != "Menu sudah berubah sejak pembaruan Oktober." || events[2].ActorName != "Ahli E-Gov" {
			t.Errorf("events: %+v", events)
		}
		if _, err := w.svc.SetStatus(ctx, w.operator, a.ID, "archived", ""); !hasField(err, "status") {
			t.Errorf("an unknown status: %v", err)
		}
	})
}

func hasField(err error, field string) bool {
	e := errs.As(err)
	if e == nil || e.Code != errs.Invalid {
		return false
	}
	for _, f := range e.Fields {
		if f.Name == field {
			return true
		}
	}
	return false
}

func TestAStaleSaveKeepsBothVersions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		a, err := w.svc.Create(ctx, w.operator, knowledge.Input{Title: "Reset sandi webmail", Body: "Langkah satu.\n"})
		if err != nil {
			t.Fatal(err)
		}
		// Two writers open version 1; the agent saves first.
		theirs, err := w.svc.Update(ctx, w.agent, a.ID, 1, knowledge.Input{Title: a.Title, Body: "Langkah satu.\nLangkah dua.\n"})
		if err != nil || theirs.Version != 2 {
			t.Fatalf("first save: %+v %v", theirs, err)
		}
		_, err = w.svc.Update(ctx, w.operator, a.ID, 1, knowledge.Input{Title: a.Title, Body: "Langkah pertama.\n"})
		var conflict *knowledge.ConflictError
		if !errors.As(err, &conflict) || errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("the stale save: %v", err)
		}
		if conflict.Current.Version != 2 || conflict.Current.Body != "Langkah satu.\nLangkah dua." ||
			conflict.Mine.Body != "Langkah pertama." || !conflict.Mine.Conflict || conflict.Mine.Version != 1 {
			t.Errorf("conflict: %+v", conflict)
		}
		if !strings.Contains(err.Error(), "Agen Satu") {
			t.Errorf("the message names who saved first: %v", err)
		}
		now, _ := w.svc.Get(ctx, w.operator, a.ID)
		if now.Version != 2 || now.Body != theirs.Body {
			t.Errorf("the other save stays current: %+v", now)
		}
		_, revs, err := w.svc.Revisions(ctx, w.operator, a.ID)
		if err != nil || len(revs) != 3 || !revs[0].Conflict || revs[0].Body != "Langkah pertama." || revs[1].Version != 2 || revs[2].Version != 1 {
			t.Fatalf("revisions: %+v %v", revs, err)
		}
		// The editor merges onto version 2.
		merged, err := w.svc.Update(ctx, w.operator, a.ID, 2, knowledge.Input{Title: a.Title, Body: "Langkah pertama.\nLangkah dua.\n"})
		if err != nil || merged.Version != 3 {
			t.Fatalf("the merge: %+v %v", merged, err)
		}
		if same, err := w.svc.Update(ctx, w.operator, a.ID, 3, knowledge.Input{Title: a.Title, Body: merged.Body}); err != nil || same.Version != 3 {
			t.Errorf("a save that changes nothing makes a version: %+v %v", same, err)
		}
		if _, err := w.svc.Update(ctx, w.operator, a.ID, 9, knowledge.Input{Title: a.Title}); !hasField(err, "version") {
			t.Errorf("a version from the future: %v", err)
		}
		if _, _, err := w.svc.Revisions(ctx, w.reader, a.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("a reader reads a draft's history: %v", err)
		}
	})
}

func TestBadLinksAreNamed422s(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		_, err := w.svc.Create(ctx, w.operator, knowledge.Input{Title: "x", CategoryID: ptr(int64(999)), AppIDs: []int64{998},
			Competencies: []string{"Simpeg Input", "-a", strings.Repeat("a", 65), "ok.code-1"}})
		e := errs.As(err)
		if e == nil || e.Code != errs.Invalid {
			t.Fatalf("bad links: %v", err)
		}
		var fields []string
		for _, f := range e.Fields {
			fields = append(fields, f.Name)
		}
		if !slices.Equal(fields, []string{"category_id", "app_ids", "competencies", "competencies", "competencies"}) {
			t.Errorf("fields: %v", fields)
		}
		if _, err := w.svc.Create(ctx, w.reader, knowledge.Input{Title: "x"}); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("a reader writes: %v", err)
		}
		if _, err := w.svc.Create(ctx, w.operator, knowledge.Input{Title: "x", Body: "a\x00b"}); !hasField(err, "body") {
			t.Errorf("a NUL in the body: %v", err)
		}
	})
}

func TestVotesAreOnePerPersonAndChangeable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		a, _ := w.svc.Create(ctx, w.expert, knowledge.Input{Title: "VPN kantor", CategoryID: &w.category.ID})
		if _, err := w.svc.Vote(ctx, w.reader, a.ID, true); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("a reader votes on a draft: %v", err)
		}
		if _, err := w.svc.Vote(ctx, w.agent, a.ID, true); !hasField(err, "helpful") {
			t.Errorf("a writer votes on a draft: %v", err)
		}
		if _, err := w.svc.SetStatus(ctx, w.expert, a.ID, knowledge.StatusPublished, ""); err != nil {
			t.Fatal(err)
		}
		w.svc.Vote(ctx, w.reader, a.ID, true)
		w.svc.Vote(ctx, w.agent, a.ID, true)
		got, err := w.svc.Vote(ctx, w.reader, a.ID, false) // changed their mind
		if err != nil || got.Helpful != 1 || got.Unhelpful != 1 {
			t.Fatalf("votes: %+v %v", got, err)
		}
		if v, _ := w.svc.MyVote(ctx, w.reader, a.ID); v == nil || *v {
			t.Errorf("the reader's vote: %v", v)
		}
		home, _ := w.svc.Home(ctx, 5)
		if len(home.Latest) != 1 || len(home.Helpful) != 0 {
			t.Errorf("net zero is not among the most helpful: %+v", home.Helpful)
		}
		if n, err := w.svc.View(ctx, w.reader, got); err != nil || n != 1 {
			t.Errorf("views: %d %v", n, err)
		}
	})
}

func TestRelatedArticlesAndTheFAQOfAnApplication(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		publish := func(in knowledge.Input) knowledge.Article {
			a, err := w.svc.Create(ctx, w.expert, in)
			if err != nil {
				t.Fatal(err)
			}
			if a, err = w.svc.SetStatus(ctx, w.expert, a.ID, knowledge.StatusPublished, ""); err != nil {
				t.Fatal(err)
			}
			return a
		}
		base := publish(knowledge.Input{Title: "Pelayanan cuti di SIMPEG", CategoryID: &w.category.ID, AppIDs: []int64{w.simpeg}})
		sameApp := publish(knowledge.Input{Title: "Mengubah foto profil", AppIDs: []int64{w.simpeg}})
		sameWords := publish(knowledge.Input{Title: "Layanan cuti tahunan"})
		both := publish(knowledge.Input{Title: "Cuti bersama di SIMPEG", CategoryID: &w.category.ID, AppIDs: []int64{w.simpeg}})
		publish(knowledge.Input{Title: "Anggaran SIPD", AppIDs: []int64{w.sipd}})
		draft, _ := w.svc.Create(ctx, w.expert, knowledge.Input{Title: "Cuti draf", AppIDs: []int64{w.simpeg}})
		rel, err := w.svc.Related(ctx, base, 5)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, a := range rel {
			ids = append(ids, a.ID)
		}
		if !slices.Equal(ids, []int64{both.ID, sameApp.ID, sameWords.ID}) {
			t.Errorf("related: %v, want %v", ids, []int64{both.ID, sameApp.ID, sameWords.ID})
		}
		app, faq, err := w.svc.FAQ(ctx, "simpeg")
		if err != nil || app.Name != "SIMPEG" || len(faq) != 3 {
			t.Fatalf("faq: %+v %d %v", app, len(faq), err)
		}
		for _, a := range faq {
			if a.ID == draft.ID {
				t.Error("a draft in the FAQ")
			}
		}
		if _, _, err := w.svc.FAQ(ctx, "tidak-ada"); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("an unknown application's FAQ: %v", err)
		}
	})
}

func TestArticleFilesAreSniffedAndFollowTheArticle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		a, _ := w.svc.Create(ctx, w.operator, knowledge.Input{Title: "Formulir cuti"})
		_, err := w.svc.AddFiles(ctx, w.operator, a.ID, []upload.File{{Name: "formulir.txt", Data: []byte("Nama: Nur'aini\n")},
			{Name: "setup.exe", Data: append([]byte("MZ"), make([]byte, 64)...)}})
		if !hasField(err, "file") {
			t.Fatalf("an executable: %v", err)
		}
		var stored int
		if err := d.R.QueryRow(`SELECT count(*) FROM article_files WHERE article_id = $1`, a.ID).Scan(&stored); err != nil || stored != 0 {
			t.Fatalf("one refused file stores none: %d %v", stored, err)
		}
		files, err := w.svc.AddFiles(ctx, w.operator, a.ID, []upload.File{{Name: "../formulir cuti.html", Data: []byte("Nama: Nur'aini\n")}})
		if err != nil || len(files) != 1 || files[0].Name != "formulir cuti.html.txt" || files[0].ContentType != upload.TypeText {
			t.Fatalf("a text file: %+v %v", files, err)
		}
		if _, _, err := w.svc.FileContent(ctx, w.reader, a.ID, files[0].ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("a reader downloads a draft's file: %v", err)
		}
		if _, err := w.svc.AddFiles(ctx, w.reader, a.ID, []upload.File{{Name: "a.txt", Data: []byte("a")}}); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("a reader attaches: %v", err)
		}
		f, data, err := w.svc.FileContent(ctx, w.agent, a.ID, files[0].ID)
		if err != nil || string(data) != "Nama: Nur'aini\n" || f.SHA256 == "" {
			t.Fatalf("download: %+v %q %v", f, data, err)
		}
		if err := w.svc.DeleteFile(ctx, w.operator, a.ID, files[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Delete(ctx, w.agent, a.ID); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("another writer deletes the draft: %v", err)
		}
		if err := w.svc.Delete(ctx, w.operator, a.ID); err != nil {
			t.Errorf("the author deletes their draft: %v", err)
		}
		if _, err := w.svc.Get(ctx, w.operator, a.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("deleted: %v", err)
		}
	})
}

func TestATextBegunOnADraftPublishedMeanwhileIsKept(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		a, _ := w.svc.Create(ctx, w.operator, knowledge.Input{Title: "Cuti sakit", CategoryID: &w.category.ID})
		// The operator opens the draft; meanwhile the reviewer publishes it.
		if _, err := w.svc.SetStatus(ctx, w.reviewer, a.ID, knowledge.StatusPublished, ""); err != nil {
			t.Fatal(err)
		}
		_, err := w.svc.Patch(ctx, w.operator, a.ID, knowledge.Change{Base: 1, Meanwhile: true,
			Input: &knowledge.Input{Title: "Cuti sakit", Body: "Lampirkan surat dokter.", CategoryID: &w.category.ID}})
		var conflict *knowledge.ConflictError
		if !errors.As(err, &conflict) || errs.As(err).Key != "article.published_meanwhile" || conflict.Mine.Body != "Lampirkan surat dokter." {
			t.Fatalf("the text begun on the draft: %v", err)
		}
		// Without the editor page's asking, it is refused.
		_, err = w.svc.Patch(ctx, w.operator, a.ID, knowledge.Change{Base: 1,
			Input: &knowledge.Input{Title: "Cuti sakit", Body: "x", CategoryID: &w.category.ID}})
		if errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("an edit of the published article: %v", err)
		}
		if got, _ := w.svc.Get(ctx, w.reader, a.ID); got.Body != "" || got.Version != 1 {
			t.Errorf("the published article changed: %+v", got)
		}
	})
}
