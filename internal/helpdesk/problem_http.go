package helpdesk

import (
	"context"
	"net/http"
	"strconv"

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
		Summary: "ProblemRecord records, newest first, with how many tickets each groups (help desk)",
		Query: append([]web.Param{
			{Name: "status", Type: "string", Description: "open, known_error or resolved"},
			{Name: "app_id", Type: "integer", Description: "only problems of this application"},
		}, web.PageParams...), Response: ProblemRecord{}, List: true}, h.apiProblems)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/problems", ID: "createProblem", Tag: "helpdesk",
		Summary: "Record a problem behind recurring incidents (help desk)",
		Body:    ProblemInput{}, Response: ProblemRecord{}, Status: http.StatusCreated}, h.apiCreateProblem)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/problems/{id}", ID: "getProblem", Tag: "helpdesk",
		Summary: "A problem with its tickets (help desk)", Response: ProblemRecord{}}, h.apiGetProblem)
	rt.API(web.Op{Method: "PATCH", Path: "/api/v1/problems/{id}", ID: "updateProblem", Tag: "helpdesk",
		Summary: "Change a problem: root cause, workaround, status… (JSON merge patch; help desk)",
		Body:    ProblemPatch{}, Patch: true, Response: ProblemRecord{}}, h.apiPatchProblem)
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
	web.ServeList(w, r, problemFilter, func(ctx context.Context, f ProblemFilter, p db.Page) ([]ProblemRecord, string, error) {
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
