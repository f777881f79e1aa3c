package competency

import (
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/web"
)

func (h *Handler) apiRequirementRoutes(rt *web.Router) {
	rt.API(web.Op{Method: "GET", Path: "/api/v1/requirements", ID: "listRequirements", Tag: apiTag,
		Summary: "Which competency at which level positions, roles and applications need, city-wide or in an agency",
		Query: append([]web.Param{{Name: "competency_id", Type: "integer", Description: "one competency's"},
			{Name: "agency_id", Type: "integer", Description: "what applies in an agency: its own and the city's"},
			{Name: "position_id", Type: "integer", Description: "a position's"},
			{Name: "role", Type: "string", Description: "a role's"},
			{Name: "app_id", Type: "integer", Description: "an application's operators'"}}, web.PageParams...),
		Response: Requirement{}, List: true}, h.apiRequirements)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/requirements", ID: "createRequirement", Tag: apiTag,
		Summary: "Require a competency at a level of exactly one of a position, a role or an application's operators (the expert team; an agency admin for their agency); 409 when it exists",
		Body:    RequirementInput{}, Response: Requirement{}, Status: http.StatusCreated}, h.apiAddRequirement)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/requirements/{id}", ID: "getRequirement", Tag: apiTag,
		Summary: "A requirement", Response: Requirement{}}, h.apiRequirement)
	rt.API(web.Op{Method: "PATCH", Path: "/api/v1/requirements/{id}", ID: "updateRequirement", Tag: apiTag,
		Summary: "Change the level a requirement asks for", Body: LevelPatch{}, Patch: true, Response: Requirement{}},
		h.apiRequirementLevel)
	rt.API(web.Op{Method: "DELETE", Path: "/api/v1/requirements/{id}", ID: "deleteRequirement", Tag: apiTag,
		Summary: "Remove a requirement", Status: http.StatusNoContent}, h.apiRemoveRequirement)
}

func (h *Handler) apiProfileRoutes(rt *web.Router) {
	rt.API(web.Op{Method: "GET", Path: "/api/v1/employees/{id}/competencies", ID: "getCompetencyProfile", Tag: apiTag,
		Summary:  "A person's competency profile: per competency the highest verified level not lapsed, when it lapses, and the latest self-assessment beside it",
		Response: ProfileItem{}, List: true}, h.apiProfile)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/employees/{id}/competencies", ID: "assessCompetency", Tag: apiTag,
		Summary: "Add an assessment: one's own is a self-assessment; another's is a verification by their direct supervisor or a trainer (source test: a passed test with its score)",
		Body:    AssessmentInput{}, Response: Assessment{}, Status: http.StatusCreated}, h.apiAssess)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/employees/{id}/assessments", ID: "listAssessments", Tag: apiTag,
		Summary:  "A person's assessments with their evidence, newest first",
		Query:    append([]web.Param{{Name: "competency_id", Type: "integer", Description: "one competency's"}}, web.PageParams...),
		Response: Assessment{}, List: true}, h.apiHistory)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/competency-requests", ID: "listVerificationRequests", Tag: apiTag,
		Summary:  "Self-assessments waiting for the caller to verify them (direct reports; a trainer's agencies; the expert team: all), oldest first",
		Response: Request{}, List: true}, h.apiRequests)
}

func (h *Handler) apiRequirements(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, func(r *http.Request) (RequirementFilter, error) {
		var f RequirementFilter
		var err error
		if f.CompetencyID, err = web.QueryID(r, "competency_id"); err != nil {
			return f, err
		}
		if f.AgencyID, err = web.QueryID(r, "agency_id"); err != nil {
			return f, err
		}
		if f.PositionID, err = web.QueryID(r, "position_id"); err != nil {
			return f, err
		}
		if f.AppID, err = web.QueryID(r, "app_id"); err != nil {
			return f, err
		}
		f.Role = web.QueryString(r, "role")
		return f, nil
	}, h.svc.Requirements)
}

func (h *Handler) apiAddRequirement(w http.ResponseWriter, r *http.Request) {
	var in RequirementInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	req, err := h.svc.AddRequirement(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/requirements/"+strconv.FormatInt(req.ID, 10), req)
}

func (h *Handler) apiRequirement(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	req, err := h.svc.GetRequirement(r.Context(), id)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, req)
}

func (h *Handler) apiRequirementLevel(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	m, err := web.DecodePatch(w, r, "level")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var level int
	if _, err := web.PatchValue(m, "level", &level); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	req, err := h.svc.SetRequirementLevel(r.Context(), web.Actor(r), id, level)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, req)
}

func (h *Handler) apiRemoveRequirement(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	if err := h.svc.RemoveRequirement(r.Context(), web.Actor(r), id); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) apiProfile(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	p, err := h.svc.ProfileOf(r.Context(), web.Actor(r), id)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, p.Items, "")
}

func (h *Handler) apiAssess(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var in AssessmentInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	a, err := h.svc.Assess(r.Context(), web.Actor(r), id, in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/employees/"+strconv.FormatInt(id, 10)+"/assessments", a)
}

func (h *Handler) apiHistory(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	comp, err := web.QueryID(r, "competency_id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	p, err := web.ListPage(r)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	list, next, err := h.svc.History(r.Context(), web.Actor(r), id, comp, p)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, next)
}

func (h *Handler) apiRequests(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.Requests(r.Context(), web.Actor(r), 500)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, "")
}
