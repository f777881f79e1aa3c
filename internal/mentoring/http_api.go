package mentoring

import (
	"context"
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/web"
)

func (h *Handler) apiRoutes(rt *web.Router) {
	rt.API(web.Op{Method: "GET", Path: "/api/v1/mentoring", ID: "listMentoring", Tag: "training",
		Summary: "Mentoring assignments, newest first: an agency's (agency_id), else the caller's own as trainer or mentee",
		Query: append([]web.Param{{Name: "agency_id", Type: "integer", Description: "one agency's assignments"},
			{Name: "active", Type: "boolean", Description: "only assignments not ended"}}, web.PageParams...),
		Response: Assignment{}, List: true}, h.apiList)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/mentoring", ID: "assignMentee", Tag: "training",
		Summary: "Assign a trainer placed in the agency (mentor_account_id: an account with the trainer role there) " +
			"a mentee of that agency (employee_id); the agency admin's",
		Body: AssignInput{}, Response: Assignment{}, Status: http.StatusCreated}, h.apiAssign)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/mentoring/{id}", ID: "getMentoring", Tag: "training",
		Summary: "A mentoring assignment with its sessions, newest first", Response: Assignment{}}, h.apiGet)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/mentoring/{id}/sessions", ID: "logMentoringSession", Tag: "training",
		Summary: "Log a mentoring session (the assignment's trainer): held_at (RFC 3339, not in the future), " +
			"jp 1..8, topic, notes; competency_code with level 1..4 records the level seen. Its JP go to the mentee's ledger",
		Body: SessionInput{}, Response: Session{}, Status: http.StatusCreated}, h.apiLog)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/mentoring/{id}/end", ID: "endMentoring", Tag: "training",
		Summary:  "End a mentoring assignment (409 when already ended); its sessions stay in the ledger",
		Response: Assignment{}}, h.apiEnd)
}

func (h *Handler) apiList(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, func(r *http.Request) (Filter, error) {
		agency, err := web.QueryID(r, "agency_id")
		return Filter{AgencyID: agency, ActiveOnly: r.URL.Query().Get("active") == "true"}, err
	}, func(ctx context.Context, f Filter, p db.Page) ([]Assignment, string, error) {
		return h.svc.List(ctx, web.Actor(r), f, p)
	})
}

func (h *Handler) apiAssign(w http.ResponseWriter, r *http.Request) {
	var in AssignInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	a, err := h.svc.Assign(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/mentoring/"+strconv.FormatInt(a.ID, 10), a)
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
	web.WriteJSON(w, http.StatusOK, a)
}

func (h *Handler) apiLog(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var in SessionInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	s, err := h.svc.Log(r.Context(), web.Actor(r), id, in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/mentoring/"+strconv.FormatInt(id, 10), s)
}

func (h *Handler) apiEnd(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	if err := h.svc.End(r.Context(), web.Actor(r), id); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	a, err := h.svc.Get(r.Context(), web.Actor(r), id)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, a)
}
