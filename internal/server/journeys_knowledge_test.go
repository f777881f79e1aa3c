package server_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/lontara-id/lontara/internal/browsertest"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// TestJourneyAnArticleIsWrittenReviewedPublishedAndFound walks issue 4's
// knowledge story in a real browser: an operator writes an article and
// sends it to review, the reviewer its category names publishes it, and an
// employee finds it through the search box by a word the article never
// uses in that form ("layanan" for "pelayanan" and "melayani").
func TestJourneyAnArticleIsWrittenReviewedPublishedAndFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "BKPSDM", "Badan Kepegawaian dan Pengembangan SDM", "badan")
		pw := h.Users(t,
			servertest.Person{Email: "operator@makassarkota.go.id", Name: "Nur'aini Dottoro'ta", Role: policy.Operator, Agency: "BKPSDM"},
			servertest.Person{Email: "pelatih@makassarkota.go.id", Name: "Andi Pelatih", Role: policy.Trainer, Agency: "BKPSDM"},
			servertest.Person{Email: "pegawai@makassarkota.go.id", Name: "Daeng Pegawai", Role: policy.Employee, Agency: "BKPSDM"})
		category, err := h.Svc.KB.SaveCategory(context.Background(), policy.SystemActor("test"), 0,
			knowledge.CategoryInput{Name: "SIMPEG", Reviewers: []string{"pelatih@makassarkota.go.id"}})
		if err != nil {
			t.Fatal(err)
		}

		operator := browsertest.New(t)
		signIn(t, operator, h, "/pengetahuan", "operator@makassarkota.go.id", pw["operator@makassarkota.go.id"])
		browsertest.Follow(t, operator, "open the editor", "#f-title", chromedp.Click(chromedp.ID("new-article")))
		browsertest.Follow(t, operator, "write and send to review", "#status",
			chromedp.SendKeys(chromedp.ID("f-title"), "Pelayanan cuti pegawai di SIMPEG"),
			chromedp.SetValue(chromedp.ID("f-category_id"), strconv.FormatInt(category.ID, 10)),
			chromedp.SendKeys(chromedp.ID("f-body"), "## Langkah\n\nPetugas **melayani** permohonan cuti lewat menu Cuti.\n\n<script>alert(1)</script>"),
			chromedp.Click(chromedp.ID("save-submit")))
		if got := texts(t, operator, "status after sending", "#status"); len(got) != 1 || got[0] != "Sedang ditinjau" {
			t.Fatalf("status after sending to review: %q", got)
		}
		if got := texts(t, operator, "body", "#article-body strong"); len(got) != 1 || got[0] != "melayani" {
			t.Errorf("the rendered body: %q", got)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM article_revisions`); n == 0 {
			t.Errorf("no revision was kept")
		}

		reviewer := browsertest.New(t)
		signIn(t, reviewer, h, "/pengetahuan/tinjauan", "pelatih@makassarkota.go.id", pw["pelatih@makassarkota.go.id"])
		browsertest.Follow(t, reviewer, "open the article in the queue", "#publish",
			chromedp.Click(chromedp.CSS(`main a[href^="/pengetahuan/"]:not([href$="/tinjauan"])`)))
		browsertest.Follow(t, reviewer, "publish", "#status", chromedp.Click(chromedp.CSS("#publish button")))
		if got := texts(t, reviewer, "status after publishing", "#status"); len(got) != 1 || got[0] != "Terbit" {
			t.Fatalf("status after publishing: %q", got)
		}

		employee := browsertest.New(t)
		signIn(t, employee, h, "/", "pegawai@makassarkota.go.id", pw["pegawai@makassarkota.go.id"])
		browsertest.Follow(t, employee, "search from the header", "#results",
			chromedp.SendKeys(chromedp.ID("site-q"), "layanan cuti"),
			chromedp.Submit(chromedp.ID("site-q")))
		titles := texts(t, employee, "results", "#results li a")
		if len(titles) == 0 || titles[0] != "Pelayanan cuti pegawai di SIMPEG" {
			t.Fatalf("search results: %q", titles)
		}
		marks := texts(t, employee, "highlights", "#results li .snippet mark")
		if len(marks) == 0 || !strings.Contains(strings.ToLower(strings.Join(marks, " ")), "melayani") {
			t.Errorf("highlighted words of the snippet: %q", marks)
		}
		browsertest.Follow(t, employee, "open the result", "#vote", chromedp.Click(chromedp.CSS("#results li a")))
		if p := look(t, employee, "the article"); p.heading != "Pelayanan cuti pegawai di SIMPEG" || strings.Contains(p.main, "alert(1)") {
			t.Errorf("the article as the employee reads it: %+v", p)
		}
	})
}
