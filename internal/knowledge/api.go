package knowledge

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

// ArticleInput is a new article as the API takes it.
type ArticleInput struct {
	Title        string   `json:"title"`
	Body         string   `json:"body"`
	CategoryID   *int64   `json:"category_id,omitempty"`
	AppIDs       []int64  `json:"app_ids,omitempty"`
	Competencies []string `json:"competencies,omitempty"`
}

// ArticlePatch documents PATCH /api/v1/articles/{id}: a JSON merge patch
// of these members (all optional).
type ArticlePatch struct {
	Title        string   `json:"title,omitempty"`
	Body         string   `json:"body,omitempty"`
	CategoryID   *int64   `json:"category_id,omitempty"`
	AppIDs       []int64  `json:"app_ids,omitempty"`
	Competencies []string `json:"competencies,omitempty"`
	Status       string   `json:"status,omitempty"`  // draft, review or published
	Comment      string   `json:"comment,omitempty"` // a reviewer's reason to return or unpublish
	Version      int      `json:"version,omitempty"` // the version the edit started from (or If-Match)
}

var patchMembers = []string{"title", "body", "category_id", "app_ids", "competencies", "status", "comment", "version"}

func (h *Handler) apiRoutes(rt *web.Router) {
	rt.API(web.Op{Method: "GET", Path: "/api/v1/articles", ID: "listArticles", Tag: "knowledge",
		Summary: "Knowledge articles, newest first; drafts and articles in review only for those who write articles",
		Query: []web.Param{
			{Name: "status", Type: "string", Description: "draft, review or published"},
			{Name: "category_id", Type: "integer", Description: "only articles of this category"},
			{Name: "app_id", Type: "integer", Description: "only articles linked to this application"},
			{Name: "competency", Type: "string", Description: "only articles linked to this competency code"},
			{Name: "q", Type: "string", Description: "part of the title or body, ignoring case"},
		}, Response: Article{}, List: true}, h.apiList)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/articles", ID: "createArticle", Tag: "knowledge",
		Summary: "Write a draft article (operators, trainers, agents, experts); answers it with its ETag",
		Body:    ArticleInput{}, Response: Article{}, Status: http.StatusCreated}, h.apiCreate)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/articles/{id}", ID: "getArticle", Tag: "knowledge",
		Summary:  "A knowledge article; its ETag (the version) is what PATCH takes in If-Match",
		Response: Article{}}, h.apiGet)
	rt.API(web.Op{Method: "PATCH", Path: "/api/v1/articles/{id}", ID: "updateArticle", Tag: "knowledge",
		Summary: "Change an article (JSON merge patch). A change of title, body or links names the version it " +
			"started from, by If-Match or the version member (428 without): when someone saved first it is a " +
			"409 and the text is kept as a conflicting revision. {\"status\":\"published\"} publishes for the " +
			"category's reviewers and the experts (others 403); \"review\" sends to review; \"draft\" returns " +
			"or unpublishes with a comment",
		Body: ArticlePatch{}, Patch: true, Response: Article{}}, h.apiPatch)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/articles/{id}/revisions", ID: "listArticleRevisions", Tag: "knowledge",
		Summary: "Every saved version of an article, newest first, conflicting saves (conflict: true) among them; " +
			"for those who write articles", Response: Revision{}, List: true}, h.apiRevisions)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/article-categories", ID: "listArticleCategories", Tag: "knowledge",
		Summary: "The knowledge base's categories in order, with their reviewers (their emails only for those who " +
			"manage the categories) and count of published articles",
		Response: Category{}, List: true}, h.apiCategories)
}

func (h *Handler) apiRevisions(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	_, list, err := h.svc.Revisions(r.Context(), web.Actor(r), id)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, "")
}

func (h *Handler) apiCategories(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.Categories(r.Context(), web.Actor(r))
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, "")
}

// etag is an article's entity tag: its version.
func etag(a Article) string { return `"` + strconv.Itoa(a.Version) + `"` }

func (h *Handler) apiList(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, func(r *http.Request) (Filter, error) {
		var f Filter
		var err error
		if f.CategoryID, err = web.QueryID(r, "category_id"); err != nil {
			return f, err
		}
		if f.AppID, err = web.QueryID(r, "app_id"); err != nil {
			return f, err
		}
		f.Status, f.Competency, f.Query = web.QueryString(r, "status"), web.QueryString(r, "competency"), web.QueryString(r, "q")
		return f, nil
	}, func(ctx context.Context, f Filter, p db.Page) ([]Article, string, error) {
		return h.svc.List(ctx, web.Actor(r), f, p)
	})
}

func (h *Handler) apiCreate(w http.ResponseWriter, r *http.Request) {
	var in ArticleInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	a, err := h.svc.Create(r.Context(), web.Actor(r), Input{Title: in.Title, Body: in.Body, CategoryID: in.CategoryID,
		AppIDs: in.AppIDs, Competencies: in.Competencies})
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(a))
	web.WriteCreated(w, "/api/v1/articles/"+strconv.FormatInt(a.ID, 10), a)
}

func (h *Handler) apiGet(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	a, err := h.svc.Get(r.Context(), web.Actor(r), id)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(a))
	web.WriteJSON(w, http.StatusOK, a)
}

// ConflictProblem is the 409 of a stale PATCH: the problem, the current
// article and the kept text (conflict revision), so a client can merge.
type ConflictProblem struct {
	web.Problem
	Current Article  `json:"current"`
	Yours   Revision `json:"yours"`
}

func (h *Handler) apiPatch(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	m, err := web.DecodePatch(w, r, patchMembers...)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	c, err := h.changeOf(r, id, m)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	a, err := h.svc.Patch(r.Context(), web.Actor(r), id, c)
	var conflict *ConflictError
	if errors.As(err, &conflict) {
		writeConflict(w, r, conflict)
		return
	}
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(a))
	web.WriteJSON(w, http.StatusOK, a)
}

// writeConflict answers a stale save with 409 problem+json carrying both
// versions and the current ETag.
func writeConflict(w http.ResponseWriter, r *http.Request, c *ConflictError) {
	rec := &problemRecorder{header: http.Header{}}
	web.WriteProblem(rec, r, c)
	var p web.Problem
	_ = json.Unmarshal(rec.body, &p)
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("ETag", etag(c.Current))
	w.WriteHeader(http.StatusConflict)
	_ = json.NewEncoder(w).Encode(ConflictProblem{Problem: p, Current: c.Current, Yours: c.Mine})
}

// problemRecorder captures the problem the web layer writes, to extend it.
type problemRecorder struct {
	header http.Header
	body   []byte
}

func (p *problemRecorder) Header() http.Header { return p.header }
func (p *problemRecorder) WriteHeader(int)     {}
func (p *problemRecorder) Write(b []byte) (int, error) {
	p.body = append(p.body, b...)
	return len(b), nil
}

// changeOf reads a merge patch into a Change. The text and links start
// from the current article (a patch names only what changes); the version
// comes from If-Match or the version member, and a change of the text
// without either is a 428.
func (h *Handler) changeOf(r *http.Request, id int64, m map[string]json.RawMessage) (Change, error) {
	var c Change
	var v errs.Validation
	var status *string
	web.PatchMember(m, &v, "status", &status, false)
	if status != nil {
		c.Status = status
	}
	if _, err := web.PatchValue(m, "comment", &c.Comment); err != nil {
		v.Add("comment", "json_type")
	}
	if _, err := web.PatchValue(m, "version", &c.Base); err != nil {
		v.Add("version", "json_type")
	}
	n, present := web.IfMatch(r)
	star := present && n == 0
	switch {
	case n < 0:
		v.Add("If-Match", "article.if_match")
	case n > 0 && c.Base != 0 && c.Base != n:
		v.Add("version", "article.version_mismatch")
	case n > 0:
		c.Base = n
	}
	text := false
	for _, k := range []string{"title", "body", "category_id", "app_ids", "competencies"} {
		if _, ok := m[k]; ok {
			text = true
		}
	}
	if err := v.Err(); err != nil || !text {
		return c, err
	}
	if c.Base == 0 && !star {
		return c, errs.New(errs.Precondition, "article.if_match_required")
	}
	cur, err := h.svc.Get(r.Context(), web.Actor(r), id)
	if err != nil {
		return c, err
	}
	if c.Base == 0 { // If-Match: * overwrites whatever version is current
		c.Base = cur.Version
	}
	in := Input{Title: cur.Title, Body: cur.Body, CategoryID: cur.CategoryID, Competencies: cur.Competencies}
	for _, app := range cur.Apps {
		in.AppIDs = append(in.AppIDs, app.ID)
	}
	var title, body *string
	web.PatchMember(m, &v, "title", &title, false)
	web.PatchMember(m, &v, "body", &body, true)
	if title != nil {
		in.Title = *title
	}
	if body != nil {
		in.Body = *body
	}
	if present, err := web.PatchValue(m, "category_id", &in.CategoryID); err != nil {
		v.Add("category_id", "json_type")
	} else if present && string(m["category_id"]) == "null" {
		in.CategoryID = nil
	}
	if _, err := web.PatchValue(m, "app_ids", &in.AppIDs); err != nil {
		v.Add("app_ids", "json_type")
	}
	if _, err := web.PatchValue(m, "competencies", &in.Competencies); err != nil {
		v.Add("competencies", "json_type")
	}
	c.Input = &in
	return c, v.Err()
}
