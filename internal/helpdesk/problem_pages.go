package helpdesk

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

// problemListData is what the problem list shows.
type problemListData struct {
	Items    []ProblemRecord
	Next     string
	Statuses []string
}

func (h *Handler) problemListPage(w http.ResponseWriter, r *http.Request) {
	f, err := problemFilter(r)
	var p db.Page
	if err == nil {
		p, err = web.ListPage(r)
	}
	d := problemListData{Statuses: ProblemStatuses}
	if err == nil {
		d.Items, d.Next, err = h.desk.ListProblems(r.Context(), web.Actor(r), f, p)
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "rel/problem_list", "rel.problem.list_title", d)
}

// problemFormData is what the new problem's form and a problem's page
// offer: the statuses and applications, and the problem itself.
type problemFormData struct {
	ProblemRecord
	Statuses []string
	Apps     []web.Option
	App      string
	AppSel   int64
}

func (h *Handler) problemForm(r *http.Request, p ProblemRecord) (problemFormData, error) {
	c, err := h.desk.Choices(r.Context(), web.Actor(r))
	return problemFormData{ProblemRecord: p, Statuses: ProblemStatuses, Apps: c.Apps, App: Name(c.Apps, p.AppID),
		AppSel: deref(p.AppID)}, err
}

func (h *Handler) problemNewPage(w http.ResponseWriter, r *http.Request) {
	d, err := h.problemForm(r, ProblemRecord{Status: "open"})
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "rel/problem_new", "rel.problem.new_title", d)
}

// formProblem reads the problem form's fields; an empty application is none.
func formProblem(r *http.Request) (ProblemPatch, error) {
	var p ProblemPatch
	for _, f := range []struct {
		name string
		dst  **string
	}{{"title", &p.Title}, {"description", &p.Description}, {"root_cause", &p.RootCause},
		{"workaround", &p.Workaround}, {"status", &p.Status}} {
		if vals, ok := r.PostForm[f.name]; ok {
			*f.dst = &vals[0]
		}
	}
	if vals, ok := r.PostForm["app_id"]; ok {
		p.SetApp = true
		if s := strings.TrimSpace(vals[0]); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n < 1 {
				return p, errs.FieldErr("app_id", "number")
			}
			p.AppID = &n
		}
	}
	return p, nil
}

func (h *Handler) problemCreatePost(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		web.Fail(w, r, errs.New(errs.Invalid, "invalid"))
		return
	}
	f, err := formProblem(r)
	var p ProblemRecord
	if err == nil {
		p, err = h.desk.CreateProblem(r.Context(), web.Actor(r), ProblemInput{Title: deref0(f.Title),
			Description: deref0(f.Description), RootCause: deref0(f.RootCause), Workaround: deref0(f.Workaround),
			Status: deref0(f.Status), AppID: f.AppID})
	}
	if err != nil {
		d, derr := h.problemForm(r, ProblemRecord{})
		if derr != nil {
			web.Fail(w, r, derr)
			return
		}
		web.RenderForm(w, r, "rel/problem_new", "rel.problem.new_title", d, err)
		return
	}
	web.Redirect(w, r, "/layanan/masalah/"+strconv.FormatInt(p.ID, 10), "rel.flash.problem_saved")
}

func (h *Handler) problemView(r *http.Request) (problemFormData, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return problemFormData{}, err
	}
	p, err := h.desk.GetProblem(r.Context(), web.Actor(r), id)
	if err != nil {
		return problemFormData{}, err
	}
	return h.problemForm(r, p)
}

func (h *Handler) problemPage(w http.ResponseWriter, r *http.Request) {
	d, err := h.problemView(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "rel/problem", "rel.problem.title", d)
}

// problemFailed shows the problem's page again with the form's errors.
func (h *Handler) problemFailed(w http.ResponseWriter, r *http.Request, err error) {
	d, derr := h.problemView(r)
	if derr != nil {
		web.Fail(w, r, derr)
		return
	}
	web.RenderForm(w, r, "rel/problem", "rel.problem.title", d, err)
}

func (h *Handler) problemUpdatePost(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		web.Fail(w, r, errs.New(errs.Invalid, "invalid"))
		return
	}
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	p, err := formProblem(r)
	if err == nil {
		_, err = h.desk.UpdateProblem(r.Context(), web.Actor(r), id, p)
	}
	if err != nil {
		h.problemFailed(w, r, err)
		return
	}
	web.Redirect(w, r, "/layanan/masalah/"+strconv.FormatInt(id, 10), "rel.flash.problem_saved")
}

func (h *Handler) problemLinkPost(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	in := ProblemTicketInput{Ticket: r.PostFormValue("ticket")}
	if _, err := h.desk.LinkProblemTicket(r.Context(), web.Actor(r), id, in); err != nil {
		h.problemFailed(w, r, err)
		return
	}
	web.Redirect(w, r, "/layanan/masalah/"+strconv.FormatInt(id, 10), "rel.flash.problem_linked")
}

func (h *Handler) problemUnlinkPost(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err == nil {
		err = h.desk.UnlinkProblemTicket(r.Context(), web.Actor(r), id, r.PostFormValue("ticket"))
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/layanan/masalah/"+strconv.FormatInt(id, 10), "rel.flash.problem_unlinked")
}
