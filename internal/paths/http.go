package paths

import (
	"embed"
	"io/fs"
	"net/http"
	"slices"
	"strconv"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// Handler serves the paths' pages (under /pelatihan/jalur) and API.
type Handler struct{ svc *Service }

// NewHandler returns the handler over s.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// Routes mounts the pages and the API.
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /pelatihan/jalur", h.list)
	rt.Page("GET /pelatihan/jalur/baru", h.newForm)
	rt.Page("POST /pelatihan/jalur/baru", h.create)
	rt.Page("GET /pelatihan/jalur/{id}", h.page)
	rt.Page("GET /pelatihan/jalur/{id}/ubah", h.editForm)
	rt.Page("POST /pelatihan/jalur/{id}/ubah", h.edit)
	rt.Page("POST /pelatihan/jalur/{id}/pensiun", h.retire)
	rt.Page("POST /pelatihan/jalur/{id}/gabung", h.join)
	rt.Page("POST /pelatihan/jalur/{id}/keluar", h.leave)
	rt.Page("POST /pelatihan/jalur/{id}/peserta", h.assign)
	rt.Page("POST /pelatihan/jalur/{id}/peserta/{person}/hapus", h.unassign)
	rt.Page("POST /pelatihan/jalur/{id}/langkah", h.addStep)
	rt.Page("POST /pelatihan/jalur/{id}/langkah/{activity}/{move}", h.moveStep)
	h.apiRoutes(rt)
}

// listPage is the catalogue.
type listPage struct {
	Paths     []Summary
	Next      string
	Mine      bool
	CanCreate bool
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	page, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d := listPage{Mine: r.URL.Query().Get("saya") == "1", CanCreate: len(providers(web.Actor(r))) > 0}
	if d.Paths, d.Next, err = h.svc.List(r.Context(), web.Actor(r), d.Mine, page); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "paths/list", "paths.list.title", d)
}

// Provider is an agency (0: the city) whose paths the actor may make.
type Provider struct {
	AgencyID int64
	Name     string
}

// providers lists where the actor may make paths: the city, and each
// agency where they hold a role that manages its activities.
func providers(a *policy.Actor) []Provider {
	var list []Provider
	if policy.Can(a, policy.ActivityManage, policy.Target{}) {
		list = append(list, Provider{})
	}
	seen := map[int64]bool{}
	for _, g := range a.Grants {
		if g.AgencyID != 0 && !seen[g.AgencyID] && policy.Can(a, policy.ActivityManage, policy.Target{AgencyID: g.AgencyID}) {
			seen[g.AgencyID] = true
			list = append(list, Provider{AgencyID: g.AgencyID})
		}
	}
	return list
}

// formPage is the create and edit form.
type formPage struct {
	Path      *Path
	Providers []Provider
}

func (h *Handler) newForm(w http.ResponseWriter, r *http.Request) {
	d, err := h.formData(r, nil)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "paths/form", "paths.new.title", d)
}

func (h *Handler) formData(r *http.Request, p *Path) (formPage, error) {
	d := formPage{Path: p}
	if p != nil {
		return d, nil
	}
	d.Providers = providers(web.Actor(r))
	if len(d.Providers) == 0 {
		return d, errs.New(errs.Forbidden, "forbidden")
	}
	for i := range d.Providers {
		if d.Providers[i].AgencyID != 0 {
			if err := h.svc.db.R.QueryRowContext(r.Context(), `SELECT name FROM agencies WHERE id = $1`,
				d.Providers[i].AgencyID).Scan(&d.Providers[i].Name); err != nil {
				return d, err
			}
		}
	}
	return d, nil
}

// inputOf reads the form's fields.
func inputOf(r *http.Request) Input {
	in := Input{Title: r.PostFormValue("title"), Description: r.PostFormValue("description"),
		Open: r.PostFormValue("open") == "1"}
	if id, err := strconv.ParseInt(r.PostFormValue("agency_id"), 10, 64); err == nil && id > 0 {
		in.AgencyID = &id
	}
	return in
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request) {
	p, err := h.svc.Create(r.Context(), web.Actor(r), inputOf(r))
	if err != nil {
		d, ferr := h.formData(r, nil)
		if ferr != nil {
			web.Fail(w, r, ferr)
			return
		}
		web.RenderForm(w, r, "paths/form", "paths.new.title", d, err)
		return
	}
	web.Redirect(w, r, Link(p.ID), "paths.flash.created")
}

// pathPage is a path with its members and, for its managers, the
// activities that can be added as steps.
type pathPage struct {
	Path       Path
	Members    []Progress
	Next       string
	Activities []Step
	CanAssign  bool
}

func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	d, ok := h.pathData(w, r)
	if !ok {
		return
	}
	web.Render(w, r, http.StatusOK, "paths/path", "paths.page.title", d)
}

func (h *Handler) pathData(w http.ResponseWriter, r *http.Request) (pathPage, bool) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return pathPage{}, false
	}
	page, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return pathPage{}, false
	}
	d := pathPage{CanAssign: MayAssign(web.Actor(r))}
	if d.Path, err = h.svc.Get(r.Context(), web.Actor(r), id); err == nil {
		d.Members, d.Next, err = h.svc.Members(r.Context(), web.Actor(r), id, page)
	}
	if err == nil && d.Path.CanManage {
		d.Activities, err = h.svc.Activities(r.Context())
		// What is a step already is not offered again.
		d.Activities = slices.DeleteFunc(d.Activities, func(a Step) bool {
			return slices.ContainsFunc(d.Path.Steps, func(st Step) bool { return st.ActivityID == a.ActivityID })
		})
	}
	if err != nil {
		web.Fail(w, r, err)
		return pathPage{}, false
	}
	return d, true
}

func (h *Handler) editForm(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	p, err := h.svc.Get(r.Context(), web.Actor(r), id)
	if err == nil && !p.CanManage {
		err = errs.New(errs.Forbidden, "forbidden")
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "paths/form", "paths.edit.title", formPage{Path: &p})
}

func (h *Handler) edit(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	p, err := h.svc.Get(r.Context(), web.Actor(r), id)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	in := inputOf(r)
	for _, st := range p.Steps {
		in.ActivityIDs = append(in.ActivityIDs, st.ActivityID)
	}
	if _, err := h.svc.Update(r.Context(), web.Actor(r), id, in); err != nil {
		web.RenderForm(w, r, "paths/form", "paths.edit.title", formPage{Path: &p}, err)
		return
	}
	web.Redirect(w, r, Link(id), "paths.flash.saved")
}
