package competency

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

func (h *Handler) requirementRoutes(rt *web.Router) {
	rt.Page("GET /kompetensi/persyaratan", h.requirements)
	rt.Page("POST /kompetensi/persyaratan", h.addRequirement)
	rt.Page("POST /kompetensi/persyaratan/{id}/level", h.requirementLevel)
	rt.Page("POST /kompetensi/persyaratan/{id}/hapus", h.removeRequirement)
}

func pageOf(n int) db.Page { return db.Page{Limit: n} }

// requirementsPage lists requirements with a form to add one.
type requirementsPage struct {
	Items        []Requirement
	Next         string
	Competencies []Competency
	Positions    []web.Option
	Apps         []web.Option
	Agencies     []web.Option // where the reader may add requirements (all for the expert team)
	CityWide     bool         // the reader may add city-wide requirements
	Roles        []policy.Role
	Manage       map[int64]bool // the rows the reader may change
	AnyManage    bool           // some row is: the actions column shows
}

func (h *Handler) requirementsData(r *http.Request) (requirementsPage, error) {
	ctx, actor := r.Context(), web.Actor(r)
	var d requirementsPage
	var err error
	var f RequirementFilter
	if f.CompetencyID, err = web.QueryID(r, "kompetensi"); err != nil {
		return d, err
	}
	if f.AgencyID, err = web.QueryID(r, "opd"); err != nil {
		return d, err
	}
	if f.AppID, err = web.QueryID(r, "aplikasi"); err != nil {
		return d, err
	}
	if f.PositionID, err = web.QueryID(r, "jabatan"); err != nil {
		return d, err
	}
	f.Role = web.QueryString(r, "peran")
	p, err := web.ListPage(r)
	if err != nil {
		return d, err
	}
	if d.Items, d.Next, err = h.svc.Requirements(ctx, f, p); err != nil {
		return d, err
	}
	d.Manage = map[int64]bool{}
	for _, it := range d.Items {
		d.Manage[it.ID] = policy.Can(actor, policy.RequirementManage, policy.Target{AgencyID: idOr0(it.AgencyID)})
		d.AnyManage = d.AnyManage || d.Manage[it.ID]
	}
	if d.Competencies, err = h.svc.List(ctx, Filter{}); err != nil {
		return d, err
	}
	q := h.svc.db.R
	if d.Positions, err = web.ReadOptions(ctx, q, `SELECT id, name FROM positions ORDER BY name`); err != nil {
		return d, err
	}
	if d.Apps, err = web.ReadOptions(ctx, q, `SELECT id, name FROM apps WHERE status <> 'retired' ORDER BY name`); err != nil {
		return d, err
	}
	d.CityWide = policy.Can(actor, policy.RequirementManage, policy.Target{})
	agencies, err := web.ReadOptions(ctx, q, `SELECT id, name FROM agencies ORDER BY name`)
	if err != nil {
		return d, err
	}
	for _, a := range agencies {
		if policy.Can(actor, policy.RequirementManage, policy.Target{AgencyID: a.ID}) {
			d.Agencies = append(d.Agencies, a)
		}
	}
	d.Roles = policy.Roles
	return d, nil
}

func (h *Handler) requirements(w http.ResponseWriter, r *http.Request) {
	d, err := h.requirementsData(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "competency/requirements", "competency.requirements.title", d)
}

// formID reads an optional id of the form: empty or not a number is none
// (a select's "none" option).
func formID(r *http.Request, name string) *int64 {
	n, err := strconv.ParseInt(r.PostFormValue(name), 10, 64)
	if err != nil || n < 1 {
		return nil
	}
	return &n
}

func (h *Handler) addRequirement(w http.ResponseWriter, r *http.Request) {
	in := RequirementInput{AgencyID: formID(r, "agency_id")}
	if id := formID(r, "competency_id"); id != nil {
		in.CompetencyID = *id
	}
	in.Level, _ = strconv.Atoi(r.PostFormValue("level"))
	switch r.PostFormValue("target") {
	case "position":
		in.PositionID = formID(r, "position_id")
	case "role":
		if role := strings.TrimSpace(r.PostFormValue("role")); role != "" {
			in.Role = &role
		}
	case "app":
		in.AppID = formID(r, "app_id")
	}
	_, err := h.svc.AddRequirement(r.Context(), web.Actor(r), in)
	if err != nil {
		d, derr := h.requirementsData(r)
		if derr != nil {
			web.Fail(w, r, derr)
			return
		}
		web.RenderForm(w, r, "competency/requirements", "competency.requirements.title", d, err)
		return
	}
	web.Redirect(w, r, "/kompetensi/persyaratan?kompetensi="+strconv.FormatInt(in.CompetencyID, 10), "competency.flash.requirement_added")
}

func (h *Handler) requirementLevel(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	level, _ := strconv.Atoi(r.PostFormValue("level"))
	req, err := h.svc.SetRequirementLevel(r.Context(), web.Actor(r), id, level)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/kompetensi/persyaratan?kompetensi="+strconv.FormatInt(req.CompetencyID, 10), "competency.flash.requirement_saved")
}

func (h *Handler) removeRequirement(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if err := h.svc.RemoveRequirement(r.Context(), web.Actor(r), id); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/kompetensi/persyaratan", "competency.flash.requirement_removed")
}
