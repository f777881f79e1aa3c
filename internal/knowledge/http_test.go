package knowledge_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// hostile is an article body a careless or malicious author could write:
// useful Markdown next to every way of smuggling script into a page.
const hostile = "## Langkah\n\nBuka **SIMPEG** dari [portal](https://portal.makassarkota.go.id), tanya Nur'aini di Dottoro'ta.\n\n" +
	"| Kolom | Isi |\n|---|---|\n| NIP | 18 angka |\n\n" +
	"<script>alert('xss')</script>\n\n<img src=x onerror=alert(1)>\n\n<iframe src=\"https://evil.example\"></iframe>\n\n" +
	"[klik](javascript:alert(1)) [klik lagi](&#106;avascript:alert(1))"

func TestAnArticleShowsItsMarkdownRenderedAndNoScript(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		pw := h.User(t, "satu@makassarkota.go.id", "Agen Satu", policy.Agent, "KOMINFO")
		agent := &policy.Actor{AccountID: h.AccountID(t, "satu@makassarkota.go.id"), Grants: []policy.Grant{{Role: policy.Agent}}}
		var a knowledge.Article
		if err := d.Tx(context.Background(), func(tx *sql.Tx) error {
			var err error
			a, err = knowledge.CreateDraft(context.Background(), tx, agent, knowledge.Draft{Title: "Cara masuk SIMPEG", Body: hostile})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(a.HTML), "<strong>SIMPEG</strong>") {
			t.Errorf("the draft as made carries no rendered HTML: %q", a.HTML)
		}

		rendered := []string{`<h2 id="md-langkah">Langkah</h2>`, "<strong>SIMPEG</strong>",
			`<a href="https://portal.makassarkota.go.id" rel="nofollow noreferrer noopener" target="_blank">portal</a>`,
			"Nur&#39;aini di Dottoro&#39;ta", "<td>18 angka</td>"}
		scripts := []string{"alert", "onerror", "<iframe", "javascript:", "<pre class=\"markdown\">"}
		page := h.SignIn(t, "satu@makassarkota.go.id", pw).Get(fmt.Sprintf("/pengetahuan/%d", a.ID))
		page.Want(t, 200, "the article's page", rendered...)
		page.Lacks(t, "the article's page", scripts...)

		var got knowledge.Article
		r := h.Do(t, "GET", fmt.Sprintf("/api/v1/articles/%d", a.ID), h.Token(t, "satu@makassarkota.go.id"), nil, "")
		r.JSON(t, &got)
		if r.Status != 200 || got.Body != hostile {
			t.Fatalf("GET the article: %d %s", r.Status, r.Body)
		}
		for _, want := range rendered {
			if !strings.Contains(string(got.HTML), want) {
				t.Errorf("the API's html lacks %s: %s", want, got.HTML)
			}
		}
		for _, bad := range scripts {
			if strings.Contains(string(got.HTML), bad) {
				t.Errorf("the API's html holds %s: %s", bad, got.HTML)
			}
		}
	})
}
