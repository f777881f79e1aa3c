package knowledge

import (
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/markdown"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// formPage is the article editor: new (ID 0) or an edit of version
// Version. Preview is the body rendered when the author asked to see it;
// Conflict is set when someone saved first.
type formPage struct {
	ID                                    int64
	Status                                string
	Version                               int
	Title, Body, Competencies, CategoryID string
	Apps                                  map[int64]bool
	Categories                            []Category
	AppChoices                            []AppRef
	Preview                               template.HTML
	Previewing                            bool
	Conflict                              *conflictView
}

// conflictView shows the version someone else saved and how the editor's
// text differs from it.
type conflictView struct {
	Current Article
	Diff    template.HTML
}

// Picked reports whether an application is linked.
func (f formPage) Picked(id int64) bool { return f.Apps[id] }

// Category reports whether id is the chosen category.
func (f formPage) Category(id int64) bool { return f.CategoryID == strconv.FormatInt(id, 10) }

// formOf reads the editor's fields.
func formOf(r *http.Request) (formPage, Input, error) {
	f := formPage{Title: r.PostFormValue("title"), Body: r.PostFormValue("body"),
		Competencies: r.PostFormValue("competencies"), CategoryID: r.PostFormValue("category_id"), Apps: map[int64]bool{}}
	in := Input{Title: f.Title, Body: f.Body}
	var v errs.Validation
	if f.CategoryID != "" {
		n, err := strconv.ParseInt(f.CategoryID, 10, 64)
		if err != nil || n < 1 {
			v.Add("category_id", "article.category_unknown", 0)
		}
		in.CategoryID = &n
	}
	for _, s := range r.PostForm["app_ids"] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			v.Add("app_ids", "article.app_unknown", 0)
			continue
		}
		f.Apps[n] = true
		in.AppIDs = append(in.AppIDs, n)
	}
	in.Competencies = strings.FieldsFunc(f.Competencies, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' })
	if s := r.PostFormValue("version"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			v.Add("version", "article.version_unknown", 0)
		}
		f.Version = n
	}
	return f, in, v.Err()
}

// choices fills the lists the editor offers.
func (h *Handler) choices(r *http.Request, f *formPage) error {
	var err error
	if f.Categories, err = h.svc.Categories(r.Context(), web.Actor(r)); err != nil {
		return err
	}
	f.AppChoices, err = h.svc.AppChoices(r.Context())
	return err
}

func (h *Handler) newForm(w http.ResponseWriter, r *http.Request) {
	f := formPage{Apps: map[int64]bool{}, CategoryID: r.URL.Query().Get("kategori")}
	if id, err := strconv.ParseInt(r.URL.Query().Get("aplikasi"), 10, 64); err == nil {
		f.Apps[id] = true
	}
	if err := h.choices(r, &f); err != nil {
		web.Fail(w, r, err)
		return
	}
	if !policy.Can(web.Actor(r), policy.ArticleWrite, policy.Target{}) {
		web.Fail(w, r, errs.New(errs.Forbidden, "forbidden"))
		return
	}
	web.Render(w, r, http.StatusOK, "knowledge/form", "knowledge.new.title", f)
}

// previewing answers a press of "Pratinjau": the form again with the body
// rendered, nothing saved.
func (h *Handler) previewing(w http.ResponseWriter, r *http.Request, f formPage, title string) bool {
	if r.PostFormValue("action") != "preview" {
		return false
	}
	f.Preview, f.Previewing = markdown.Render(f.Body), true
	if err := h.choices(r, &f); err != nil {
		web.Fail(w, r, err)
		return true
	}
	web.Render(w, r, http.StatusOK, "knowledge/form", title, f)
	return true
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request) {
	f, in, err := formOf(r)
	if err == nil && h.previewing(w, r, f, "knowledge.new.title") {
		return
	}
	var a Article
	submit := r.PostFormValue("action") == "submit"
	if err == nil {
		status := StatusDraft
		if submit {
			status = StatusReview
		}
		a, err = h.svc.CreateAs(r.Context(), web.Actor(r), in, status)
	}
	if err != nil {
		h.formError(w, r, f, "knowledge.new.title", err)
		return
	}
	if submit {
		web.Redirect(w, r, articleURL(a.ID), "knowledge.flash.submitted")
		return
	}
	web.Redirect(w, r, articleURL(a.ID), "knowledge.flash.created")
}

// formError shows the editor again after err: 422 with the fields at
// fault, 409 with both versions when someone saved first.
func (h *Handler) formError(w http.ResponseWriter, r *http.Request, f formPage, title string, err error) {
	if cerr := h.choices(r, &f); cerr != nil {
		web.Fail(w, r, cerr)
		return
	}
	var conflict *ConflictError
	if errors.As(err, &conflict) {
		diff, _, _ := Diff(conflict.Current.Body, f.Body)
		f.Conflict = &conflictView{Current: conflict.Current, Diff: diff}
		f.Version = conflict.Current.Version // the next save merges onto the current version
	}
	web.RenderForm(w, r, "knowledge/form", title, f, err)
}

func (h *Handler) editForm(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	a, err := h.svc.Get(r.Context(), web.Actor(r), id)
	if err == nil {
		var rights Rights
		if rights, err = h.svc.RightsOn(r.Context(), web.Actor(r), a); err == nil && !rights.Edit {
			err = errs.New(errs.Forbidden, "forbidden")
		}
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	f := formPage{ID: a.ID, Status: a.Status, Version: a.Version, Title: a.Title, Body: a.Body,
		Competencies: strings.Join(a.Competencies, ", "), Apps: map[int64]bool{}}
	if a.CategoryID != nil {
		f.CategoryID = strconv.FormatInt(*a.CategoryID, 10)
	}
	for _, app := range a.Apps {
		f.Apps[app.ID] = true
	}
	if err := h.choices(r, &f); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "knowledge/form", "knowledge.edit.title", f)
}

func (h *Handler) update(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	f, in, err := formOf(r)
	f.ID, f.Status = id, r.PostFormValue("status")
	if err == nil && h.previewing(w, r, f, "knowledge.edit.title") {
		return
	}
	if err == nil {
		c := Change{Base: f.Version, Input: &in, Meanwhile: true}
		if r.PostFormValue("action") == "submit" {
			review := StatusReview
			c.Status = &review
		}
		_, err = h.svc.Patch(r.Context(), web.Actor(r), id, c)
	}
	if err != nil {
		h.formError(w, r, f, "knowledge.edit.title", err)
		return
	}
	flash := "knowledge.flash.saved"
	if r.PostFormValue("action") == "submit" {
		flash = "knowledge.flash.submitted"
	}
	web.Redirect(w, r, articleURL(id), flash)
}

func (h *Handler) setStatus(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	to := r.PostFormValue("status")
	if _, err := h.svc.SetStatus(r.Context(), web.Actor(r), id, to, r.PostFormValue("comment")); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, articleURL(id), "knowledge.flash.status."+safeStatus(to))
}

// safeStatus keeps a flash key to the statuses the catalog words.
func safeStatus(s string) string {
	if slices.Contains([]string{StatusDraft, StatusReview, StatusPublished}, s) {
		return s
	}
	return StatusDraft
}

func (h *Handler) vote(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	helpful := r.PostFormValue("helpful")
	if helpful != "yes" && helpful != "no" {
		web.Fail(w, r, errs.FieldErr("helpful", "article.vote_value"))
		return
	}
	if _, err := h.svc.Vote(r.Context(), web.Actor(r), id, helpful == "yes"); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, articleURL(id)+"#vote", "knowledge.flash.voted")
}

func (h *Handler) delete(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if err := h.svc.Delete(r.Context(), web.Actor(r), id); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/pengetahuan", "knowledge.flash.deleted")
}
