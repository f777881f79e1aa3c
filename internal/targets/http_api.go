package targets

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

func (h *Handler) apiRoutes(rt *web.Router) {
	sample := Target{Period: "2026", Metric: MetricJP, Goal: 20, Progress: &Progress{Status: StatusOnTrack,
		Items: []Item{{Kind: "employee"}}}}
	rt.API(web.Op{Method: "GET", Path: "/api/v1/targets", ID: "listTargets", Tag: "targets",
		Summary: "Learning targets the caller may read, newest period first, each with its progress",
		Query: append([]web.Param{
			{Name: "agency_id", Type: "integer", Description: "only this agency's targets (0: the city-wide ones)"},
			{Name: "period", Type: "string", Description: "only targets of this period (2026, 2026-H1, 2026-Q3)"},
		}, web.PageParams...), Response: sample, List: true}, h.apiList)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/targets", ID: "createTarget", Tag: "targets",
		Summary: "Set a learning target for an agency (agency_id null: the city) and period",
		Body:    Input{}, Response: sample, Status: http.StatusCreated}, h.apiCreate)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/targets/{id}", ID: "getTarget", Tag: "targets",
		Summary: "A learning target with its progress and the people or items behind it", Response: sample}, h.apiGet)
	rt.API(web.Op{Method: "PATCH", Path: "/api/v1/targets/{id}", ID: "updateTarget", Tag: "targets",
		Summary: "Change a target's goal or note (If-Match: its version)", Body: Change{}, Patch: true,
		Response: sample}, h.apiUpdate)
	rt.API(web.Op{Method: "DELETE", Path: "/api/v1/targets/{id}", ID: "deleteTarget", Tag: "targets",
		Summary: "Remove a learning target", Status: http.StatusNoContent}, h.apiDelete)
}

func etag(t Target) string { return strconv.Quote(strconv.Itoa(t.Version)) }

func (h *Handler) apiList(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, h.filter, func(ctx context.Context, f Filter, p db.Page) ([]Target, string, error) {
		return h.svc.List(ctx, web.Actor(r), f, p)
	})
}

func (h *Handler) apiCreate(w http.ResponseWriter, r *http.Request) {
	var in Input
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	t, err := h.svc.Create(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	if t, err = h.svc.Get(r.Context(), web.Actor(r), t.ID); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(t))
	web.WriteCreated(w, fmt.Sprintf("/api/v1/targets/%d", t.ID), t)
}

func (h *Handler) apiGet(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	t, err := h.svc.Get(r.Context(), web.Actor(r), id)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(t))
	web.WriteJSON(w, http.StatusOK, t)
}

func (h *Handler) apiUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	m, err := web.DecodePatch(w, r, "version", "goal", "note")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var ch Change
	var v errs.Validation
	web.PatchMember(m, &v, "version", &ch.Version, false)
	web.PatchMember(m, &v, "goal", &ch.Goal, false)
	web.PatchMember(m, &v, "note", &ch.Note, true)
	switch n, _ := web.IfMatch(r); {
	case n < 0:
		v.Add("If-Match", "targets.if_match")
	case n > 0 && ch.Version != nil && *ch.Version != n:
		v.Add("version", "targets.version_mismatch")
	case n > 0:
		ch.Version = &n
	}
	if err := v.Err(); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	t, err := h.svc.Update(r.Context(), web.Actor(r), id, ch)
	if err == nil {
		t, err = h.svc.Get(r.Context(), web.Actor(r), id)
	}
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(t))
	web.WriteJSON(w, http.StatusOK, t)
}

func (h *Handler) apiDelete(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	if err := h.svc.Delete(r.Context(), web.Actor(r), id); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
