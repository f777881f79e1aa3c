package org

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// agencyRow is one line of the agencies list.
type agencyRow struct {
	Agency
	Parent *Agency
	People int
}

// agenciesPage is what the agencies list shows.
type agenciesPage struct {
	Rows      []agencyRow
	Next      string
	Types     []string
	CanCreate bool
}

func (h *Handler) agencies(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	f := AgencyFilter{Query: web.QueryString(r, "q"), Type: web.QueryString(r, "type")}
	if f.Type != nil && !validType(*f.Type) {
		web.Fail(w, r, errs.FieldErr("type", "one_of", strings.Join(AgencyTypes, ", ")))
		return
	}
	list, next, err := h.svc.ListAgencies(ctx, f, p)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	ids := make([]int64, len(list))
	var parentIDs []int64
	for i, a := range list {
		ids[i] = a.ID
		if a.ParentID != nil && !slices.Contains(parentIDs, *a.ParentID) {
			parentIDs = append(parentIDs, *a.ParentID)
		}
	}
	counts, err := h.svc.CountPeople(ctx, ids)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	parents, err := h.svc.AgenciesByID(ctx, parentIDs)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	page := agenciesPage{Next: next, Types: AgencyTypes, Rows: make([]agencyRow, len(list)),
		CanCreate: policy.Can(web.Actor(r), policy.AgencyWrite, policy.Target{})}
	for i, a := range list {
		page.Rows[i] = agencyRow{Agency: a, People: counts[a.ID]}
		if a.ParentID != nil {
			if parent, ok := parents[*a.ParentID]; ok {
				page.Rows[i].Parent = &parent
			}
		}
	}
	web.Render(w, r, http.StatusOK, "org/agencies", "org.agencies.title", page)
}

// agencyPage is what an agency's page shows.
type agencyPage struct {
	Agency    Agency
	Parent    *Agency
	Children  []Agency
	Units     []Unit
	People    int
	CanEdit   bool
	CanAdd    bool
	CanImport bool
}

func (h *Handler) agency(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	a, err := h.svc.GetAgency(ctx, id)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	actor, target := web.Actor(r), policy.Target{AgencyID: id}
	page := agencyPage{Agency: a, CanEdit: policy.Can(actor, policy.AgencyWrite, target),
		CanAdd: policy.Can(actor, policy.EmployeeWrite, target), CanImport: policy.Can(actor, policy.EmployeeImport, target)}
	if a.ParentID != nil {
		parent, err := h.svc.GetAgency(ctx, *a.ParentID)
		if err != nil {
			web.Fail(w, r, err)
			return
		}
		page.Parent = &parent
	}
	if page.Children, _, err = h.svc.ListAgencies(ctx, AgencyFilter{ParentID: &id}, db.Page{Limit: db.MaxLimit}); err != nil {
		web.Fail(w, r, err)
		return
	}
	if page.Units, err = h.svc.ListUnits(ctx, id); err != nil {
		web.Fail(w, r, err)
		return
	}
	counts, err := h.svc.CountPeople(ctx, []int64{id})
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	page.People = counts[id]
	web.Render(w, r, http.StatusOK, "org/agency", "org.agency.title", page)
}

// agencyForm is the form that creates or edits an agency.
type agencyForm struct {
	form
	Agency  *Agency // nil: a new agency
	Parents []Agency
	Types   []string
}

// Action is the URL the form posts to.
func (f agencyForm) Action() string {
	if f.Agency == nil {
		return "/opd/baru"
	}
	return "/opd/" + strconv.FormatInt(f.Agency.ID, 10) + "/ubah"
}

func (h *Handler) agencyFormOf(r *http.Request, a *Agency) (agencyForm, error) {
	all, err := h.allAgencies(r.Context())
	if err != nil {
		return agencyForm{}, err
	}
	f := agencyForm{Agency: a, Types: AgencyTypes, form: form{Initial: url.Values{}}}
	for _, p := range all {
		if a == nil || p.ID != a.ID {
			f.Parents = append(f.Parents, p)
		}
	}
	if a != nil {
		f.Initial = url.Values{"code": {a.Code}, "name": {a.Name}, "type": {a.Type}, "parent_id": {idString(a.ParentID)}}
	} else if t := r.URL.Query().Get("type"); validType(t) {
		f.Initial.Set("type", t)
		f.Initial.Set("parent_id", r.URL.Query().Get("parent_id"))
	}
	return f, nil
}

func (h *Handler) newAgency(w http.ResponseWriter, r *http.Request) {
	if err := policy.Check(web.Actor(r), policy.AgencyWrite, policy.Target{}); err != nil {
		web.Fail(w, r, err)
		return
	}
	f, err := h.agencyFormOf(r, nil)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "org/agency_form", "org.agency.new", f)
}

func (h *Handler) createAgency(w http.ResponseWriter, r *http.Request) {
	f, err := h.agencyFormOf(r, nil)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	parent, err := formID(r.PostForm, "parent_id")
	if err == nil {
		var a Agency
		a, err = h.svc.CreateAgency(r.Context(), web.Actor(r), AgencyInput{Code: r.PostForm.Get("code"),
			Name: r.PostForm.Get("name"), Type: r.PostForm.Get("type"), ParentID: parent})
		if err == nil {
			web.Redirect(w, r, "/opd/"+strconv.FormatInt(a.ID, 10), "org.flash.agency_created")
			return
		}
	}
	web.RenderForm(w, r, "org/agency_form", "org.agency.new", f, err)
}

// editable reads the agency of the path for its edit form, if the actor
// may edit it.
func (h *Handler) editable(r *http.Request) (agencyForm, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return agencyForm{}, err
	}
	if err := policy.Check(web.Actor(r), policy.AgencyWrite, policy.Target{AgencyID: id}); err != nil {
		return agencyForm{}, err
	}
	a, err := h.svc.GetAgency(r.Context(), id)
	if err != nil {
		return agencyForm{}, err
	}
	return h.agencyFormOf(r, &a)
}

func (h *Handler) editAgency(w http.ResponseWriter, r *http.Request) {
	f, err := h.editable(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "org/agency_form", "org.agency.edit", f)
}

func (h *Handler) updateAgency(w http.ResponseWriter, r *http.Request) {
	f, err := h.editable(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	parent, err := formID(r.PostForm, "parent_id")
	if err == nil {
		var none int64
		if parent == nil {
			parent = &none // no parent chosen: remove it
		}
		code, name, typ := r.PostForm.Get("code"), r.PostForm.Get("name"), r.PostForm.Get("type")
		_, err = h.svc.UpdateAgency(r.Context(), web.Actor(r), f.Agency.ID,
			AgencyPatch{Code: &code, Name: &name, Type: &typ, ParentID: parent})
		if err == nil {
			web.Redirect(w, r, "/opd/"+strconv.FormatInt(f.Agency.ID, 10), "flash.saved")
			return
		}
	}
	web.RenderForm(w, r, "org/agency_form", "org.agency.edit", f, err)
}
