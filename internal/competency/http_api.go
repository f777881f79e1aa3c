package competency

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

// CompetencyPatch documents the members PATCH /api/v1/competencies/{id}
// takes; `version` (optional) is the version the change was made against.
type CompetencyPatch struct {
	Version        *int     `json:"version,omitempty"`
	FrameworkID    *int64   `json:"framework_id,omitempty"`
	Name           *string  `json:"name,omitempty"`
	Description    *string  `json:"description,omitempty"`
	Levels         []string `json:"levels,omitempty"`
	ValidityMonths *int     `json:"validity_months,omitempty"`
	Retired        *bool    `json:"retired,omitempty"`
	Note           *string  `json:"note,omitempty"`
}

// FrameworkPatch documents the members PATCH
// /api/v1/competency-frameworks/{id} takes.
type FrameworkPatch struct {
	Name        *string `json:"name,omitempty"`
	Description *string `json:"description,omitempty"`
	Note        *string `json:"note,omitempty"`
}

// LevelPatch is the change of a requirement's level.
type LevelPatch struct {
	Level int `json:"level"`
}

const apiTag = "competencies"

func (h *Handler) apiRoutes(rt *web.Router) {
	compQuery := []web.Param{{Name: "q", Type: "string", Description: "in the code or the name"},
		{Name: "framework_id", Type: "integer", Description: "one framework's"},
		{Name: "app_id", Type: "integer", Description: "an application's (operate and administer)"},
		{Name: "retired", Type: "boolean", Description: "include the retired ones"}}
	rt.API(web.Op{Method: "GET", Path: "/api/v1/competencies", ID: "listCompetencies", Tag: apiTag,
		Summary: "The competency framework: every competency with its four levels (the whole list, one page)",
		Query:   compQuery, Response: Competency{}, List: true}, h.apiList)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/competencies", ID: "createCompetency", Tag: apiTag,
		Summary: "Add a competency (the expert team); levels holds the four level descriptions",
		Body:    Input{}, Response: Competency{}, Status: http.StatusCreated}, h.apiCreate)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/competencies/{id}", ID: "getCompetency", Tag: apiTag,
		Summary: "A competency; its ETag (the version) is what PATCH takes in If-Match", Response: Competency{}}, h.apiGet)
	rt.API(web.Op{Method: "PATCH", Path: "/api/v1/competencies/{id}", ID: "updateCompetency", Tag: apiTag,
		Summary: "Publish a change (the expert team): the version rises and the previous text stays a revision; 409 when the version it starts from (If-Match or `version`) is not the current one",
		Body:    CompetencyPatch{}, Patch: true, Response: Competency{}}, h.apiUpdate)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/competencies/{id}/revisions", ID: "listCompetencyRevisions", Tag: apiTag,
		Summary: "Every version of a competency, newest first", Response: Revision{}, List: true}, h.apiRevisions)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/competencies/{id}/revisions/{version}", ID: "getCompetencyRevision", Tag: apiTag,
		Summary: "A competency as it stood at a version", Response: Revision{}}, h.apiRevision)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/competency-frameworks", ID: "listCompetencyFrameworks", Tag: apiTag,
		Summary: "The frameworks with their versions", Response: Framework{}, List: true}, h.apiFrameworks)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/competency-frameworks", ID: "createCompetencyFramework", Tag: apiTag,
		Summary: "Add a framework (the expert team)", Body: FrameworkInput{}, Response: Framework{},
		Status: http.StatusCreated}, h.apiCreateFramework)
	rt.API(web.Op{Method: "PATCH", Path: "/api/v1/competency-frameworks/{id}", ID: "updateCompetencyFramework", Tag: apiTag,
		Summary: "Rename or redescribe a framework (the expert team); its version rises", Body: FrameworkPatch{}, Patch: true,
		Response: Framework{}}, h.apiUpdateFramework)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/competency-frameworks/{id}/revisions", ID: "listCompetencyFrameworkRevisions",
		Tag: apiTag, Summary: "A framework's versions and what changed in each, newest first (the latest 500)",
		Response: FrameworkRevision{}, List: true}, h.apiFrameworkRevisions)
	h.apiRequirementRoutes(rt)
	h.apiProfileRoutes(rt)
}

func (h *Handler) apiList(w http.ResponseWriter, r *http.Request) {
	f := Filter{Query: web.QueryString(r, "q"), Retired: r.URL.Query().Get("retired") == "true"}
	var err error
	if f.FrameworkID, err = web.QueryID(r, "framework_id"); err == nil {
		f.AppID, err = web.QueryID(r, "app_id")
	}
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	list, err := h.svc.List(r.Context(), f)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, "")
}

func (h *Handler) apiCreate(w http.ResponseWriter, r *http.Request) {
	var in Input
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	c, err := h.svc.Create(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/competencies/"+strconv.FormatInt(c.ID, 10), c)
}

func (h *Handler) apiGet(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	c, err := h.svc.Get(r.Context(), id)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(c))
	web.WriteJSON(w, http.StatusOK, c)
}

// etag is a competency's entity tag, its version: what PATCH takes in
// If-Match, as articles and tickets do.
func etag(c Competency) string { return `"` + strconv.Itoa(c.Version) + `"` }

func (h *Handler) apiUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	m, err := web.DecodePatch(w, r, "version", "framework_id", "name", "description", "levels", "validity_months", "retired", "note")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	ch, err := changeOf(m)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	// If-Match names the version the change starts from, as the version
	// member does; "*" (0) leaves it to the member, if any.
	switch n, _ := web.IfMatch(r); {
	case n < 0:
		err = errs.FieldErr("If-Match", "competency.if_match")
	case n > 0 && ch.Version != nil && *ch.Version != n:
		err = errs.FieldErr("version", "competency.version_mismatch")
	case n > 0:
		ch.Version = &n
	}
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	c, err := h.svc.Update(r.Context(), web.Actor(r), id, ch)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(c))
	web.WriteJSON(w, http.StatusOK, c)
}

// changeOf reads a merge patch of a competency. Only validity_months may
// be null (it then lapses never); a null elsewhere is "required".
func changeOf(m map[string]json.RawMessage) (Change, error) {
	var ch Change
	var v errs.Validation
	web.PatchMember(m, &v, "version", &ch.Version, false)
	web.PatchMember(m, &v, "framework_id", &ch.FrameworkID, false)
	web.PatchMember(m, &v, "name", &ch.Name, false)
	web.PatchMember(m, &v, "description", &ch.Description, true)
	var levels *[]string
	if web.PatchMember(m, &v, "levels", &levels, false) && levels != nil {
		ch.Levels = *levels
		if ch.Levels == nil {
			ch.Levels = []string{}
		}
	}
	if raw, ok := m["validity_months"]; ok && string(raw) == "null" {
		ch.NoValidity = true
	} else {
		web.PatchMember(m, &v, "validity_months", &ch.ValidityMonths, false)
	}
	web.PatchMember(m, &v, "retired", &ch.Retired, false)
	var note *string
	if web.PatchMember(m, &v, "note", &note, true) && note != nil {
		ch.Note = *note
	}
	return ch, v.Err()
}

func (h *Handler) apiRevisions(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	list, err := h.svc.Revisions(r.Context(), id)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, "")
}

func (h *Handler) apiRevision(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	version, err := web.PathID(r, "version")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	if _, err := h.svc.Get(r.Context(), id); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	rev, err := h.svc.RevisionAt(r.Context(), id, int(version))
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, rev)
}

func (h *Handler) apiFrameworks(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.Frameworks(r.Context())
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, "")
}

func (h *Handler) apiCreateFramework(w http.ResponseWriter, r *http.Request) {
	var in FrameworkInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	f, err := h.svc.CreateFramework(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/competency-frameworks/"+strconv.FormatInt(f.ID, 10)+"/revisions", f)
}

func (h *Handler) apiUpdateFramework(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	f, err := h.svc.GetFramework(r.Context(), id)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	m, err := web.DecodePatch(w, r, "name", "description", "note")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var v errs.Validation
	var p FrameworkPatch
	web.PatchMember(m, &v, "name", &p.Name, false)
	web.PatchMember(m, &v, "description", &p.Description, true)
	web.PatchMember(m, &v, "note", &p.Note, true)
	if err := v.Err(); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	in := FrameworkInput{Name: f.Name, Description: f.Description}
	if p.Name != nil {
		in.Name = *p.Name
	}
	if p.Description != nil {
		in.Description = *p.Description
	}
	if p.Note != nil {
		in.Note = *p.Note
	}
	if f, err = h.svc.UpdateFramework(r.Context(), web.Actor(r), id, in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, f)
}

func (h *Handler) apiFrameworkRevisions(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	if _, err := h.svc.GetFramework(r.Context(), id); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	list, err := h.svc.FrameworkRevisions(r.Context(), id, 500)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, "")
}
