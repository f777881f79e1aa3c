package apps

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// formPage is the create and edit form.
type formPage struct {
	New      bool
	App      App               // the application being edited
	Fields   map[string]string // the values the inputs show
	Owners   []org.Agency      // the agencies the viewer may make owner
	Statuses []string
}

// fieldsOf are an application's values as the form shows them.
func fieldsOf(a App) map[string]string {
	return map[string]string{"name": a.Name, "slug": a.Slug, "owner_agency_id": strconv.FormatInt(a.OwnerAgencyID, 10),
		"status": a.Status, "url": a.URL, "description": a.Description}
}

// fieldsFrom are the submitted values, to show the form again.
func fieldsFrom(form url.Values) map[string]string {
	m := map[string]string{}
	for _, k := range []string{"name", "slug", "owner_agency_id", "status", "url", "description"} {
		m[k] = form.Get(k)
	}
	return m
}

// inputFrom reads the form; an owner that is not a number reads as none,
// which the service reports as a missing owner.
func inputFrom(form url.Values) AppInput {
	owner, _ := strconv.ParseInt(strings.TrimSpace(form.Get("owner_agency_id")), 10, 64)
	return AppInput{Name: form.Get("name"), Slug: form.Get("slug"), OwnerAgencyID: owner,
		Status: form.Get("status"), URL: form.Get("url"), Description: form.Get("description")}
}

// owners returns the agencies the viewer may own applications for; none
// means the viewer may not create or edit any.
func (h *Handler) owners(r *http.Request) ([]org.Agency, error) {
	agencies, err := h.agencies(r.Context())
	if err != nil {
		return nil, err
	}
	list := allowed(web.Actor(r), policy.AppWrite, agencies)
	if len(list) == 0 {
		return nil, errs.New(errs.Forbidden, "forbidden")
	}
	return list, nil
}

func (h *Handler) newForm(w http.ResponseWriter, r *http.Request) {
	owners, err := h.owners(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	fields := map[string]string{"status": StatusPlanned, "owner_agency_id": strconv.FormatInt(web.Actor(r).AgencyID, 10)}
	web.Render(w, r, http.StatusOK, "apps/form", "app.new.title",
		formPage{New: true, Fields: fields, Owners: owners, Statuses: Statuses})
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request) {
	owners, err := h.owners(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	a, err := h.apps.CreateApp(r.Context(), web.Actor(r), inputFrom(r.PostForm))
	if err != nil {
		web.RenderForm(w, r, "apps/form", "app.new.title",
			formPage{New: true, Fields: fieldsFrom(r.PostForm), Owners: owners, Statuses: Statuses}, err)
		return
	}
	web.Redirect(w, r, "/aplikasi/"+a.Slug, "app.flash.created")
}

// editable returns the application of the path if the viewer may edit it,
// with the agencies the viewer may make its owner.
func (h *Handler) editable(r *http.Request) (App, []org.Agency, error) {
	a, err := h.apps.GetAppBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return App{}, nil, err
	}
	if err := policy.Check(web.Actor(r), policy.AppWrite, policy.Target{AgencyID: a.OwnerAgencyID}); err != nil {
		return App{}, nil, err
	}
	owners, err := h.owners(r)
	return a, owners, err
}

func (h *Handler) editForm(w http.ResponseWriter, r *http.Request) {
	a, owners, err := h.editable(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "apps/form", "app.edit.title",
		formPage{App: a, Fields: fieldsOf(a), Owners: owners, Statuses: Statuses})
}

func (h *Handler) update(w http.ResponseWriter, r *http.Request) {
	a, owners, err := h.editable(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	in := inputFrom(r.PostForm)
	p := AppPatch{Slug: &in.Slug, Name: &in.Name, OwnerAgencyID: &in.OwnerAgencyID, Status: &in.Status,
		URL: &in.URL, Description: &in.Description}
	updated, err := h.apps.UpdateApp(r.Context(), web.Actor(r), a.ID, p)
	if err != nil {
		web.RenderForm(w, r, "apps/form", "app.edit.title",
			formPage{App: a, Fields: fieldsFrom(r.PostForm), Owners: owners, Statuses: Statuses}, err)
		return
	}
	web.Redirect(w, r, "/aplikasi/"+updated.Slug, "flash.saved")
}

// detailForm shows an application's page again after a form on it failed.
func (h *Handler) detailForm(w http.ResponseWriter, r *http.Request, a App, err error) {
	data, derr := h.detailOf(r, a)
	if derr != nil {
		web.Fail(w, r, derr)
		return
	}
	web.RenderForm(w, r, "apps/detail", a.Name, data, err)
}

// formID reads a numeric form value; anything else is a field error.
func formID(r *http.Request, name string, v *errs.Validation) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue(name)), 10, 64)
	if err != nil || n < 1 {
		v.Add(name, "required")
	}
	return n
}

func (h *Handler) setUsers(w http.ResponseWriter, r *http.Request) {
	a, err := h.apps.GetAppBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	ids := []int64{}
	for _, s := range r.PostForm["agency_id"] {
		id, perr := strconv.ParseInt(s, 10, 64)
		if perr != nil {
			h.detailForm(w, r, a, errs.FieldErr("agency_ids", "number"))
			return
		}
		ids = append(ids, id)
	}
	if err := h.apps.SetUsers(r.Context(), web.Actor(r), a.ID, ids); err != nil {
		h.detailForm(w, r, a, err)
		return
	}
	web.Redirect(w, r, "/aplikasi/"+a.Slug+"#pengguna", "app.flash.users")
}

// operatorForm reads and carries out an add or remove operator form.
func (h *Handler) operatorForm(w http.ResponseWriter, r *http.Request, remove bool) {
	a, err := h.apps.GetAppBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	var v errs.Validation
	agency, account := formID(r, "agency_id", &v), formID(r, "account_id", &v)
	err = v.Err()
	if err == nil && remove {
		err = h.apps.RemoveOperator(r.Context(), web.Actor(r), a.ID, agency, account)
	} else if err == nil {
		err = h.apps.AddOperator(r.Context(), web.Actor(r), a.ID, agency, account)
	}
	if err != nil {
		h.detailForm(w, r, a, err)
		return
	}
	flash := "app.flash.operator_added"
	if remove {
		flash = "app.flash.operator_removed"
	}
	web.Redirect(w, r, "/aplikasi/"+a.Slug+"?opd="+strconv.FormatInt(agency, 10)+"#operator", flash)
}

func (h *Handler) addOperator(w http.ResponseWriter, r *http.Request) { h.operatorForm(w, r, false) }

func (h *Handler) removeOperator(w http.ResponseWriter, r *http.Request) { h.operatorForm(w, r, true) }
