package ledger

import (
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/web"
)

func (h *Handler) apiRoutes(rt *web.Router) {
	year := web.Param{Name: "year", Type: "integer", Description: "the year (default: this year, in the city's zone)"}
	rt.API(web.Op{Method: "GET", Path: "/api/v1/jp", ID: "listJP", Tag: "training",
		Summary: "People's JP of a year against the target, fewest first: the city's, or an agency's with agency_id; " +
			"status met, on_track or behind (short of the year's pace); behind=true for those behind only",
		Query: append([]web.Param{year, {Name: "agency_id", Type: "integer", Description: "one agency's people"},
			{Name: "behind", Type: "boolean", Description: "only the people behind"},
			{Name: "format", Type: "string", Description: "csv: the whole list as a CSV file"}}, web.PageParams...),
		Response: PersonRow{}, List: true}, h.apiList)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/jp/agencies", ID: "listAgencyJP", Tag: "training",
		Summary:  "Every agency's JP of a year: people, JP, met and behind, the largest share behind first, with the city's total",
		Query:    []web.Param{year},
		Response: City{}}, h.apiCity)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/employees/{id}/jp", ID: "getEmployeeJP", Tag: "training",
		Summary:  "A person's JP of a year: the target, the total, the status and each finished piece of learning",
		Query:    []web.Param{year},
		Response: Person{}}, h.apiPerson)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/employees/{id}/jp", ID: "recordExternalLearning", Tag: "training",
		Summary: "Record learning a person finished outside Lontara (kind, title, provider, evidence, jp 1..200, " +
			"completed_on YYYY-MM-DD, not in the future): their agency's admin or the expert team",
		Body: External{}, Response: Line{}, Status: http.StatusCreated}, h.apiRecord)
	rt.API(web.Op{Method: "DELETE", Path: "/api/v1/employees/{id}/jp/{external_id}", ID: "forgetExternalLearning",
		Tag: "training", Summary: "Take back a record of learning done outside Lontara, and its JP",
		Status: http.StatusNoContent}, h.apiForget)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/self-study", ID: "listSelfStudy", Tag: "training",
		Summary: "The self-study modules, each with whether the caller finished it", Response: Module{}, List: true}, h.apiModules)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/self-study/{id}/completion", ID: "completeSelfStudy", Tag: "training",
		Summary: "Mark a self-study module (an activity of kind self_study) finished, with a reflection of at least " +
			"20 characters; its JP go to the caller's ledger once (409 when already finished)",
		Body: Completion{}, Response: Module{}, Status: http.StatusCreated}, h.apiComplete)
}

func (h *Handler) apiList(w http.ResponseWriter, r *http.Request) {
	y, err := yearOf(r, "year")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	agency, err := web.QueryID(r, "agency_id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	f := Filter{Year: y, AgencyID: agency, Behind: r.URL.Query().Get("behind") == "true"}
	if r.URL.Query().Get("format") == "csv" {
		h.writeCSV(w, r, f)
		return
	}
	page, err := web.ListPage(r)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	list, next, _, err := h.svc.People(r.Context(), web.Actor(r), f, page)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, next)
}

func (h *Handler) apiCity(w http.ResponseWriter, r *http.Request) {
	y, err := yearOf(r, "year")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	c, err := h.svc.City(r.Context(), web.Actor(r), y)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	if c.Agencies == nil {
		c.Agencies = []AgencyRow{}
	}
	web.WriteJSON(w, http.StatusOK, c)
}

func (h *Handler) apiPerson(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	y, err := yearOf(r, "year")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	p, err := h.svc.Person(r.Context(), web.Actor(r), id, y)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, p)
}

func (h *Handler) apiModules(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.Modules(r.Context(), web.Actor(r))
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, "")
}

func (h *Handler) apiComplete(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var in Completion
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	m, err := h.svc.Complete(r.Context(), web.Actor(r), id, in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/self-study/"+strconv.FormatInt(id, 10)+"/completion", m)
}

func (h *Handler) apiRecord(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var in External
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	l, err := h.svc.RecordExternal(r.Context(), web.Actor(r), id, in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/employees/"+strconv.FormatInt(id, 10)+"/jp", l)
}

func (h *Handler) apiForget(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	record, err := web.PathID(r, "external_id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	if err := h.svc.ForgetExternal(r.Context(), web.Actor(r), id, record); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
