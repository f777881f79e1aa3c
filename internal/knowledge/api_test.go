package knowledge_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// team is the knowledge base's people on a running server.
type team struct {
	h                                 *servertest.Harness
	pw                                map[string]string
	operator, reviewer, agent, reader string // API tokens
	category, agency                  int64
}

const (
	opEmail     = "nuraini@makassarkota.go.id"
	revEmail    = "andi@makassarkota.go.id"
	agentEmail  = "agen@makassarkota.go.id"
	readerEmail = "pegawai@makassarkota.go.id"
	expertEmail = "ahli@makassarkota.go.id"
)

func startTeam(t *testing.T, d *db.DB) *team {
	t.Helper()
	h := servertest.Start(t, d)
	agency := h.Agency(t, "BKPSDM", "Badan Kepegawaian", "badan")
	pw := h.Users(t,
		servertest.Person{Email: opEmail, Name: "Nur'aini Dottoro'ta", Role: policy.Operator, Agency: "BKPSDM"},
		servertest.Person{Email: revEmail, Name: "Andi Pelatih", Role: policy.Trainer, Agency: "BKPSDM"},
		servertest.Person{Email: agentEmail, Name: "Agen Satu", Role: policy.Agent},
		servertest.Person{Email: readerEmail, Name: "Pegawai Biasa", Role: policy.Employee, Agency: "BKPSDM"},
		servertest.Person{Email: expertEmail, Name: "Ahli E-Gov", Role: policy.Expert})
	tm := &team{h: h, pw: pw, operator: h.Token(t, opEmail), reviewer: h.Token(t, revEmail), agent: h.Token(t, agentEmail),
		reader: h.Token(t, readerEmail), agency: agency.ID}
	expert := h.SignIn(t, expertEmail, pw[expertEmail])
	p := expert.Submit("/pengetahuan/kategori", map[string][]string{"name": {"SIMPEG"}, "description": {"Kepegawaian"},
		"reviewers": {revEmail}})
	p.Redirects(t, "a new category", "/pengetahuan/kategori")
	cats, err := h.Svc.KB.Categories(t.Context(), nil)
	if err != nil || len(cats) != 1 {
		t.Fatalf("categories: %+v %v", cats, err)
	}
	tm.category = cats[0].ID
	return tm
}

// patch sends a merge patch with If-Match (none when etag is "").
func (tm *team) patch(t *testing.T, token string, id int64, etag, body string) servertest.Response {
	t.Helper()
	header := http.Header{}
	if etag != "" {
		header.Set("If-Match", etag)
	}
	return tm.h.DoWith(t, header, "PATCH", fmt.Sprintf("/api/v1/articles/%d", id), token, body, "application/merge-patch+json")
}

func TestTheArticlesAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tm := startTeam(t, d)
		h := tm.h
		r := h.Do(t, "POST", "/api/v1/articles", tm.operator, map[string]any{"title": "Cara masuk SIPD",
			"body": hostile, "category_id": tm.category, "competencies": []string{"sipd.login"}}, "")
		var a knowledge.Article
		r.JSON(t, &a)
		if r.Status != 201 || r.Header.Get("Location") != fmt.Sprintf("/api/v1/articles/%d", a.ID) || r.Header.Get("ETag") != `"1"` ||
			a.Status != "draft" || a.Version != 1 || a.Category != "SIMPEG" || a.Body != hostile {
			t.Fatalf("POST: %d %s %v", r.Status, r.Body, r.Header)
		}
		for _, bad := range []string{"<script", "onerror", "<iframe", "javascript:"} {
			if strings.Contains(string(a.HTML), bad) {
				t.Errorf("the html holds %s", bad)
			}
		}
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/articles", tm.operator, map[string]any{"title": " ",
			"competencies": []string{"Bukan Kode"}, "app_ids": []int64{77}}, ""), 422, "title", "app_ids", "competencies")
		servertest.Problem(t, h.Do(t, "POST", "/api/v1/articles", tm.reader, map[string]any{"title": "x"}, ""), 403)

		// A change of the text needs the version it started from.
		servertest.Problem(t, tm.patch(t, tm.agent, a.ID, "", `{"title":"Masuk ke SIPD"}`), 428)
		r = tm.patch(t, tm.agent, a.ID, `"1"`, `{"title":"Masuk ke SIPD"}`)
		if r.Status != 200 || r.Header.Get("ETag") != `"2"` {
			t.Fatalf("PATCH: %d %s", r.Status, r.Body)
		}
		// The operator still holds version 1: 409, and both are kept.
		r = tm.patch(t, tm.operator, a.ID, "", `{"title":"Login SIPD","body":"Teks saya","version":1}`)
		var conflict knowledge.ConflictProblem
		if err := json.Unmarshal(r.Body, &conflict); err != nil || r.Status != 409 ||
			r.Header.Get("Content-Type") != "application/problem+json" || conflict.Current.Title != "Masuk ke SIPD" ||
			conflict.Yours.Body != "Teks saya" || !conflict.Yours.Conflict || r.Header.Get("ETag") != `"2"` {
			t.Fatalf("stale PATCH: %d %s", r.Status, r.Body)
		}
		servertest.ProblemFields(t, tm.patch(t, tm.operator, a.ID, `"2"`, `{"version":1,"title":"x"}`), 422, "version")
		var revs struct {
			Items []knowledge.Revision `json:"items"`
		}
		r = h.Do(t, "GET", fmt.Sprintf("/api/v1/articles/%d/revisions", a.ID), tm.agent, nil, "")
		r.JSON(t, &revs)
		if r.Status != 200 || len(revs.Items) != 3 || !revs.Items[0].Conflict || revs.Items[0].EditorName != "Nur'aini Dottoro'ta" {
			t.Fatalf("revisions: %d %s", r.Status, r.Body)
		}
		servertest.Problem(t, h.Do(t, "GET", fmt.Sprintf("/api/v1/articles/%d/revisions", a.ID), tm.reader, nil, ""), 404)
		if r := tm.patch(t, tm.agent, a.ID, "*", `{"body":"Teks gabungan"}`); r.Status != 200 || r.Header.Get("ETag") != `"3"` {
			t.Fatalf("If-Match *: %d %s", r.Status, r.Body)
		}

		// Publishing: only the category's reviewers (and the experts).
		servertest.Problem(t, tm.patch(t, tm.operator, a.ID, "", `{"status":"published"}`), 403)
		servertest.Problem(t, tm.patch(t, tm.agent, a.ID, "", `{"status":"published"}`), 403)
		servertest.ProblemFields(t, tm.patch(t, tm.operator, a.ID, "", `{"status":"archived"}`), 422, "status")
		r = tm.patch(t, tm.reviewer, a.ID, "", `{"status":"published"}`)
		if r.Status != 200 || !strings.Contains(string(r.Body), `"status":"published"`) {
			t.Fatalf("the reviewer publishes: %d %s", r.Status, r.Body)
		}

		// The reader sees it now, and lists only published articles.
		h.Do(t, "POST", "/api/v1/articles", tm.operator, map[string]any{"title": "Draf lain"}, "")
		var list struct {
			Items []knowledge.Article `json:"items"`
			Next  *string             `json:"next"`
		}
		r = h.Do(t, "GET", "/api/v1/articles?status=draft", tm.reader, nil, "")
		r.JSON(t, &list)
		if r.Status != 200 || len(list.Items) != 0 {
			t.Errorf("a reader lists drafts: %s", r.Body)
		}
		r = h.Do(t, "GET", "/api/v1/articles?limit=1", tm.agent, nil, "")
		r.JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].Title != "Draf lain" || list.Next == nil {
			t.Fatalf("a writer's first page: %s", r.Body)
		}
		r = h.Do(t, "GET", "/api/v1/articles?limit=1&cursor="+*list.Next, tm.agent, nil, "")
		r.JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != a.ID || list.Next != nil {
			t.Fatalf("the second page: %s", r.Body)
		}
		r = h.Do(t, "GET", fmt.Sprintf("/api/v1/articles?category_id=%d&q=sipd", tm.category), tm.reader, nil, "")
		r.JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != a.ID {
			t.Errorf("filtered: %s", r.Body)
		}
		servertest.ProblemFields(t, h.Do(t, "GET", "/api/v1/articles?status=lama", tm.agent, nil, ""), 422, "status")
		r = h.Do(t, "GET", fmt.Sprintf("/api/v1/articles/%d", a.ID), tm.reader, nil, "")
		if r.Status != 200 || r.Header.Get("ETag") != `"3"` {
			t.Errorf("GET: %d %v", r.Status, r.Header)
		}
		// The OpenAPI document describes the endpoints.
		doc := h.Do(t, "GET", "/api/v1/openapi.json", "", nil, "")
		for _, id := range []string{"listArticles", "createArticle", "getArticle", "updateArticle", "listArticleRevisions",
			"listArticleCategories"} {
			if !strings.Contains(string(doc.Body), `"`+id+`"`) {
				t.Errorf("openapi lacks %s", id)
			}
		}
	})
}
