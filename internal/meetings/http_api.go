package meetings

import (
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/web"
)

func (h *Handler) apiRoutes(rt *web.Router) {
	rt.API(web.Op{Method: "GET", Path: "/api/v1/spaces/{id}/meetings", ID: "listSpaceMeetings", Tag: "discussion",
		Summary:  "A space's meetings: upcoming (soonest first), or past ones with past=true",
		Query:    append([]web.Param{{Name: "past", Type: "boolean", Description: "the meetings that ended, latest first"}}, web.PageParams...),
		Response: Meeting{}, List: true}, h.apiList)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/spaces/{id}/meetings", ID: "scheduleMeeting", Tag: "discussion",
		Summary: "Schedule an online meeting in a space; invitees (by email) are notified",
		Body:    Input{}, Response: Meeting{}, Status: http.StatusCreated}, h.apiCreate)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/meetings/{id}", ID: "getMeeting", Tag: "discussion",
		Summary: "A meeting with its invitees, agenda and notes", Response: Meeting{}}, h.apiGet)
}

func (h *Handler) apiList(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	page, err := web.ListPage(r)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	list, next, err := h.svc.InSpace(r.Context(), web.Actor(r), id, r.URL.Query().Get("past") == "true", page)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, next)
}

func (h *Handler) apiCreate(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var in Input
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	m, err := h.svc.Schedule(r.Context(), web.Actor(r), id, in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/meetings/"+strconv.FormatInt(m.ID, 10), m)
}

func (h *Handler) apiGet(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	m, err := h.svc.Get(r.Context(), web.Actor(r), id)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, m)
}
