package impact

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"net/http"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/tabular"
	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// Handler serves the training impact pages (under /pelatihan/dampak) and
// API.
type Handler struct{ svc *Service }

// NewHandler returns the handler over s.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// Routes mounts the pages and the API.
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /pelatihan/dampak", h.listPage)
	rt.Page("GET /pelatihan/dampak/{id}", h.eventPage)
	rt.Page("GET /pelatihan/dampak/{id}/unduh", h.download)
	agency := web.Param{Name: "agency_id", Type: "integer",
		Description: "count only this agency's people (default: the city, or the reader's own agency if that is all they may read)"}
	rt.API(web.Op{Method: "GET", Path: "/api/v1/events/{id}/impact", ID: "getEventImpact", Tag: "training",
		Summary: "A finished event's impact (Kirkpatrick levels 3 and 4): per measure the attendees' and a comparison " +
			"group's rates per person per 30 days in the 90 days before and after, the difference in differences with its " +
			"95% interval and a verdict (improved, worsened, unclear, too_small, too_early, no_data); 409 when the event " +
			"has not finished",
		Query: []web.Param{agency}, Response: Impact{Measures: []Measure{{Attendees: &Group{}}}, Apps: []App{{}}}}, h.apiEvent)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/training-impact", ID: "listTrainingImpact", Tag: "training",
		Summary: "The finished events whose impact can be read, newest first, with how many of the reader's scope completed each",
		Query:   append([]web.Param{agency}, web.PageParams...), Response: Finished{}, List: true}, h.apiList)
}

// listPage is the list of finished events.
type listPage struct {
	Items    []Finished
	Next     string
	AgencyID int64
	Agencies []Agency // for a reader of the city, to narrow it to one
}

func (h *Handler) listPage(w http.ResponseWriter, r *http.Request) {
	agency, err := web.QueryID(r, "opd")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	p, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	actor := web.Actor(r)
	scope, err := Scope(actor, deref(agency))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	items, next, err := h.svc.List(r.Context(), actor, scope, p)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	data := listPage{Items: items, Next: next, AgencyID: scope}
	if policy.Can(actor, policy.InsightView, policy.Target{}) {
		if data.Agencies, err = h.svc.Agencies(r.Context()); err != nil {
			web.Fail(w, r, err)
			return
		}
	}
	web.Render(w, r, http.StatusOK, "impact/list", "impact.title", data)
}

// eventPage is one event's impact.
type eventPage struct {
	Impact     Impact
	Headlines  []string
	Tables     []tabular.Table
	AgencyName string
	Query      string // the scope as a query string for links
	MinGroup   int    // the smallest group concluded from
	MinDays    int    // the days the after-window must have run
}

func (h *Handler) impactOf(r *http.Request) (Impact, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return Impact{}, err
	}
	agency, err := web.QueryID(r, "opd")
	if err != nil {
		return Impact{}, err
	}
	return h.svc.Event(r.Context(), web.Actor(r), id, deref(agency))
}

func (h *Handler) eventPage(w http.ResponseWriter, r *http.Request) {
	im, err := h.impactOf(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	data := eventPage{Impact: im, Headlines: Headlines(web.Lang(r), im), Tables: Tables(web.Lang(r), im),
		MinGroup: MinGroup, MinDays: int(MinAfter / day)}
	if im.AgencyID != nil {
		data.Query = fmt.Sprintf("?opd=%d", *im.AgencyID)
		if data.AgencyName, err = h.svc.AgencyName(r.Context(), *im.AgencyID); err != nil {
			web.Fail(w, r, err)
			return
		}
	}
	web.Render(w, r, http.StatusOK, "impact/event", "impact.event.title", data)
}

func (h *Handler) download(w http.ResponseWriter, r *http.Request) {
	im, err := h.impactOf(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	name := fmt.Sprintf("dampak-pelatihan-%d", im.EventID)
	if im.AgencyID != nil {
		name += fmt.Sprintf("-opd-%d", *im.AgencyID)
	}
	if err := tabular.Download(w, r.URL.Query().Get("format"), name, Tables(web.Lang(r), im)); err != nil {
		web.Fail(w, r, err)
	}
}

func (h *Handler) apiEvent(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	agency, err := web.QueryID(r, "agency_id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	im, err := h.svc.Event(r.Context(), web.Actor(r), id, deref(agency))
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, im)
}

func (h *Handler) apiList(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, func(r *http.Request) (*int64, error) { return web.QueryID(r, "agency_id") },
		func(ctx context.Context, agency *int64, p db.Page) ([]Finished, string, error) {
			return h.svc.List(ctx, web.Actor(r), deref(agency), p)
		})
}

// deref reads an optional id, 0 when absent.
func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
