package helpdesk

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

// problemPatchFields are the members a PATCH of a problem may carry.
var problemPatchFields = []string{"title", "description", "root_cause", "workaround", "status", "app_id"}

// problemRoutes mounts the problem records: their pages in the agent
// workspace and their API.
func (h *Handler) problemRoutes(rt *web.Router) {
	rt.Page("GET /layanan/masalah", h.problemListPage)
	rt.Page("GET /layanan/masalah/baru", h.problemNewPage)
	rt.Page("POST /layanan/masalah/baru", h.problemCreatePost)
	rt.Page("GET /layanan/masalah/{id}", h.problemPage)
	rt.Page("POST /layanan/masalah/{id}/ubah", h.problemUpdatePost)
	rt.Page("POST /layanan/masalah/{id}/tiket", h.problemLinkPost)
	rt.Page("POST /layanan/masalah/{id}/lepas", h.problemUnlinkPost)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/problems", ID: "listProblems", Tag: "helpdesk",
		Summary: "Problem records, newest first, with how many tickets each groups (help desk)",
		Query: append([]web.Param{
			{Name: "status", Type: "string", Description: "open, known_error or resolved"},
			{Name: "app_id", Type: "integer", Description: "only problems of this application"},
		}, web.PageParams...), Response: Problem{}, List: true}, h.apiProblems)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/problems", ID: "createProblem", Tag: "helpdesk",
		Summary: "Record a problem behind recurring incidents (help desk)",
		Body:    ProblemInput{}, Response: Problem{}, Status: http.StatusCreated}, h.apiCreateProblem)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/problems/{id}", ID: "getProblem", Tag: "helpdesk",
		Summary: "A problem with its tickets (help desk)", Response: Problem{}}, h.apiGetProblem)
	rt.API(web.Op{Method: "PATCH", Path: "/api/v1/problems/{id}", ID: "updateProblem", Tag: "helpdesk",
		Summary: "Change a problem: root cause, workaround, status… (JSON merge patch; help desk)",
		Body:    ProblemPatch{}, Patch: true, Response: Problem{}}, h.apiPatchProblem)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/problems/{id}/tickets", ID: "linkProblemTicket", Tag: "helpdesk",
		Summary: "Group a ticket under a problem (help desk; 409 when it is under one already)",
		Body:    ProblemTicketInput{}, Response: ProblemTicket{}, Status: http.StatusCreated}, h.apiLinkProblemTicket)
	rt.API(web.Op{Method: "DELETE", Path: "/api/v1/problems/{id}/tickets/{number}", ID: "unlinkProblemTicket",
		Tag: "helpdesk", Summary: "Take a ticket out of a problem (help desk)", Status: http.StatusNoContent},
		h.apiUnlinkProblemTicket)
}

func problemFilter(r *http.Request) (ProblemFilter, error) {
	app, err := web.QueryID(r, "app_id")
	return ProblemFilter{Status: web.QueryString(r, "status"), AppID: app}, err
}

func (h *Handler) apiProblems(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, problemFilter, func(ctx context.Context, f ProblemFilter, p db.Page) ([]Problem, string, error) {
		return h.desk.ListProblems(ctx, web.Actor(r), f, p)
	})
}

func (h *Handler) apiCreateProblem(w http.ResponseWriter, r *http.Request) {
	var in ProblemInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	p, err := h.desk.CreateProblem(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/problems/"+strconv.FormatInt(p.ID, 10), p)
}

// writeProblem answers with the problem read whole.
func (h *Handler) writeProblem(w http.ResponseWriter, r *http.Request, id int64) {
	p, err := h.desk.GetProblem(r.Context(), web.Actor(r), id)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, p)
}

func (h *Handler) apiGetProblem(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	h.writeProblem(w, r, id)
}

func (h *Handler) apiPatchProblem(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	m, err := web.DecodePatch(w, r, problemPatchFields...)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var p ProblemPatch
	var v errs.Validation
	for _, f := range []struct {
		name string
		dst  **string
	}{{"title", &p.Title}, {"description", &p.Description}, {"root_cause", &p.RootCause},
		{"workaround", &p.Workaround}, {"status", &p.Status}} {
		web.PatchMember(m, &v, f.name, f.dst, false)
	}
	present, err := web.PatchValue(m, "app_id", &p.AppID)
	if err != nil {
		v.Add("app_id", "json_type")
	}
	p.SetApp = present
	if err := v.Err(); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	if _, err := h.desk.UpdateProblem(r.Context(), web.Actor(r), id, p); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	h.writeProblem(w, r, id)
}

func (h *Handler) apiLinkProblemTicket(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var in ProblemTicketInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	t, err := h.desk.LinkProblemTicket(r.Context(), web.Actor(r), id, in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/problems/"+strconv.FormatInt(id, 10), t)
}

// problemListData is what the problem list shows.
type problemListData struct {
	Items    []Problem
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
	Problem
	Statuses []string
	Apps     []Option
	App      string
	AppSel   int64
}

func (h *Handler) problemForm(r *http.Request, p Problem) (problemFormData, error) {
	c, err := h.desk.Choices(r.Context(), web.Actor(r))
	return problemFormData{Problem: p, Statuses: ProblemStatuses, Apps: c.Apps, App: Name(c.Apps, p.AppID),
		AppSel: deref(p.AppID)}, err
}

func (h *Handler) problemNewPage(w http.ResponseWriter, r *http.Request) {
	d, err := h.problemForm(r, Problem{Status: "open"})
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
	var p Problem
	if err == nil {
		p, err = h.desk.CreateProblem(r.Context(), web.Actor(r), ProblemInput{Title: deref0(f.Title),
			Description: deref0(f.Description), RootCause: deref0(f.RootCause), Workaround: deref0(f.Workaround),
			Status: deref0(f.Status), AppID: f.AppID})
	}
	if err != nil {
		d, derr := h.problemForm(r, Problem{})
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

func (h *Handler) apiUnlinkProblemTicket(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err == nil {
		err = h.desk.UnlinkProblemTicket(r.Context(), web.Actor(r), id, r.PathValue("number"))
	}
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
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
