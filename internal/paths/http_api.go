package paths

import (
	"context"
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

// MemberInput names the person to add to a path: someone else (assigned)
// or the caller themselves (joining an open path).
type MemberInput struct {
	EmployeeID int64 `json:"employee_id"`
}

func (h *Handler) apiRoutes(rt *web.Router) {
	rt.API(web.Op{Method: "GET", Path: "/api/v1/paths", ID: "listPaths", Tag: "training",
		Summary: "The learning paths in service by title, with the caller's progress on those they follow",
		Query: append([]web.Param{{Name: "mine", Type: "boolean", Description: "only the paths the caller follows"}},
			web.PageParams...),
		Response: Summary{}, List: true}, h.apiList)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/paths", ID: "createPath", Tag: "training",
		Summary: "Create a learning path: an ordered list of activity ids, provided by an agency (agency_id) or the city (null)",
		Body:    Input{}, Response: Path{}, Status: http.StatusCreated}, h.apiCreate)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/paths/{id}", ID: "getPath", Tag: "training",
		Summary: "A learning path with its steps (done: by the caller) and the caller's progress", Response: Path{}}, h.apiGet)
	rt.API(web.Op{Method: "PATCH", Path: "/api/v1/paths/{id}", ID: "updatePath", Tag: "training",
		Summary: "Change a learning path (a JSON merge patch of title, description, open, activity_ids: the steps in order)",
		Body:    Input{}, Patch: true, Response: Path{}}, h.apiUpdate)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/paths/{id}/members", ID: "listPathMembers", Tag: "training",
		Summary: "The people following a path with their progress, by name: those whose development the caller may see",
		Query:   web.PageParams, Response: Progress{}, List: true}, h.apiMembers)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/paths/{id}/members", ID: "addPathMember", Tag: "training",
		Summary: "Assign a person to a path (its managers; an agency's admin or head for their people), " +
			"or join an open path by giving one's own employee_id; 409 when already following",
		Body: MemberInput{}, Response: Progress{}, Status: http.StatusCreated}, h.apiAddMember)
	rt.API(web.Op{Method: "DELETE", Path: "/api/v1/paths/{id}/members/{employee_id}", ID: "removePathMember",
		Tag: "training", Summary: "End a person's following of a path (one's own, when joined; else as for assigning)",
		Status: http.StatusNoContent}, h.apiRemoveMember)
}

func (h *Handler) apiList(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, web.NoFilter, func(ctx context.Context, _ struct{}, p db.Page) ([]Summary, string, error) {
		return h.svc.List(ctx, web.Actor(r), r.URL.Query().Get("mine") == "true", p)
	})
}

func (h *Handler) apiCreate(w http.ResponseWriter, r *http.Request) {
	var in Input
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	p, err := h.svc.Create(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/paths/"+strconv.FormatInt(p.ID, 10), p)
}

func (h *Handler) apiGet(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	p, err := h.svc.Get(r.Context(), web.Actor(r), id)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, p)
}

func (h *Handler) apiUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	m, err := web.DecodePatch(w, r, "title", "description", "open", "activity_ids")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	actor := web.Actor(r)
	p, err := h.svc.Get(r.Context(), actor, id)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	in := Input{Title: p.Title, Description: p.Description, Open: p.Open}
	for _, st := range p.Steps {
		in.ActivityIDs = append(in.ActivityIDs, st.ActivityID)
	}
	var v errs.Validation
	for name, dst := range map[string]any{"title": &in.Title, "description": &in.Description, "open": &in.Open,
		"activity_ids": &in.ActivityIDs} {
		if _, err := web.PatchValue(m, name, dst); err != nil {
			v.Add(name, "json_type")
		}
	}
	if err := v.Err(); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	if p, err = h.svc.Update(r.Context(), actor, id, in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, p)
}

func (h *Handler) apiMembers(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, web.PathValue("id"), func(ctx context.Context, id int64, p db.Page) ([]Progress, string, error) {
		return h.svc.Members(ctx, web.Actor(r), id, p)
	})
}

func (h *Handler) apiAddMember(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var in MemberInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	actor := web.Actor(r)
	var p Progress
	if in.EmployeeID != 0 && in.EmployeeID == actor.EmployeeID {
		if err = h.svc.Join(r.Context(), actor, id); err == nil {
			var list []Progress
			if list, err = h.svc.progressOf(r.Context(), id, []int64{in.EmployeeID}); err == nil {
				p = list[0]
			}
		}
	} else {
		p, err = h.svc.Assign(r.Context(), actor, id, in.EmployeeID)
	}
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/paths/"+strconv.FormatInt(id, 10)+"/members", p)
}

func (h *Handler) apiRemoveMember(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	person, err := web.PathID(r, "employee_id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	actor := web.Actor(r)
	if person == actor.EmployeeID {
		err = h.svc.Leave(r.Context(), actor, id)
	} else {
		err = h.svc.Unassign(r.Context(), actor, id, person)
	}
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
