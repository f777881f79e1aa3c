package targets

import (
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// Handler serves the targets as pages under /pimpinan/target and in the
// API under /api/v1/targets.
type Handler struct{ svc *Service }

// NewHandler returns the handler over s.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// Routes mounts the pages and the API.
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /pimpinan/target", h.listPage)
	rt.Page("GET /pimpinan/target/baru", h.newPage)
	rt.Page("POST /pimpinan/target/baru", h.create)
	rt.Page("GET /pimpinan/target/{id}", h.showPage)
	rt.Page("POST /pimpinan/target/{id}/ubah", h.update)
	rt.Page("POST /pimpinan/target/{id}/hapus", h.remove)
	h.apiRoutes(rt)
}

// listData is what the list page shows.
type listData struct {
	Items   []Target
	Next    string
	Choices Choices
	Period  string
}

func (h *Handler) filter(r *http.Request) (Filter, error) {
	f := Filter{Period: web.QueryString(r, "period")}
	if s := strings.TrimSpace(r.URL.Query().Get("agency_id")); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return f, errs.FieldErr("agency_id", "number")
		}
		f.AgencyID = &n // 0: the city-wide targets
	}
	return f, nil
}

func (h *Handler) listPage(w http.ResponseWriter, r *http.Request) {
	ctx, actor := r.Context(), web.Actor(r)
	choices, err := h.svc.FormChoices(ctx, actor)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	data := listData{Choices: choices, Period: r.URL.Query().Get("period")}
	f, err := h.filter(r)
	if err != nil {
		web.RenderForm(w, r, "targets/list", "targets.title", data, err)
		return
	}
	p, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	data.Items, data.Next, err = h.svc.List(ctx, actor, f, p)
	if err != nil {
		web.RenderForm(w, r, "targets/list", "targets.title", data, err)
		return
	}
	web.Render(w, r, http.StatusOK, "targets/list", "targets.title", data)
}

// formData is what the new target's form shows.
type formData struct {
	Choices Choices
	Period  string
}

func (h *Handler) newPage(w http.ResponseWriter, r *http.Request) {
	choices, err := h.svc.FormChoices(r.Context(), web.Actor(r))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if !choices.CanManage() {
		web.Fail(w, r, errs.New(errs.Forbidden, "forbidden"))
		return
	}
	next := period.Of(h.svc.now().In(h.svc.zone), period.Year).Label
	web.Render(w, r, http.StatusOK, "targets/form", "targets.new.title", formData{Choices: choices, Period: next})
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request) {
	ctx, actor := r.Context(), web.Actor(r)
	in, err := formInput(r)
	var t Target
	if err == nil {
		t, err = h.svc.Create(ctx, actor, in)
	} else if e := errs.As(err); e != nil && e.Code == errs.Invalid {
		err = merge(e, h.svc.Check(ctx, actor, in))
	}
	if err != nil {
		choices, cerr := h.svc.FormChoices(ctx, actor)
		if cerr != nil {
			web.Fail(w, r, cerr)
			return
		}
		web.RenderForm(w, r, "targets/form", "targets.new.title", formData{Choices: choices, Period: in.Period}, err)
		return
	}
	web.Redirect(w, r, fmt.Sprintf("/pimpinan/target/%d", t.ID), "targets.flash.created")
}

// formInput reads the new target's form. Empty selects are "none"; the
// agency "0" is the city.
func formInput(r *http.Request) (Input, error) {
	if err := r.ParseForm(); err != nil {
		return Input{}, errs.New(errs.Invalid, "form")
	}
	var v errs.Validation
	in := Input{Period: r.PostFormValue("period"), Metric: r.PostFormValue("metric"), Note: r.PostFormValue("note")}
	id := func(name string) *int64 {
		s := strings.TrimSpace(r.PostFormValue(name))
		if s == "" || s == "0" {
			return nil
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			v.Add(name, "number")
			return nil
		}
		return &n
	}
	in.AgencyID, in.CompetencyID, in.AppID, in.PositionID = id("agency_id"), id("competency_id"), id("app_id"), id("position_id")
	if s := strings.TrimSpace(r.PostFormValue("role")); s != "" {
		in.Role = &s
	}
	if s := strings.TrimSpace(r.PostFormValue("level")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			v.Add("level", "targets.level")
		}
		in.Level = &n
	}
	in.Goal = number(&v, r.PostFormValue("goal"))
	return in, v.Err()
}

// merge adds to the form's own errors those the service finds in the
// rest of it; an error that is not about the input wins.
func merge(form *errs.Error, rest error) error {
	e := errs.As(rest)
	if rest != nil && (e == nil || e.Code != errs.Invalid) {
		return rest
	}
	var v errs.Validation
	for _, f := range form.Fields {
		v.Add(f.Name, f.Key, f.Args...)
	}
	if e != nil {
		for _, f := range e.Fields {
			if !v.Has(f.Name) {
				v.Add(f.Name, f.Key, f.Args...)
			}
		}
	}
	return v.Err()
}

// number reads a decimal written with a point or an Indonesian comma;
// empty is nil.
func number(v *errs.Validation, s string) *float64 {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		v.Add("goal", "targets.number")
		return nil
	}
	return &f
}

// showData is what a target's page shows.
type showData struct {
	Target    Target
	CanManage bool
}

func (h *Handler) show(w http.ResponseWriter, r *http.Request, status int, err error) {
	id, perr := web.PathID(r, "id")
	if perr != nil {
		web.Fail(w, r, perr)
		return
	}
	t, gerr := h.svc.Get(r.Context(), web.Actor(r), id)
	if gerr != nil {
		web.Fail(w, r, gerr)
		return
	}
	data := showData{Target: t, CanManage: h.svc.CanManage(web.Actor(r), t)}
	if err != nil {
		web.RenderForm(w, r, "targets/show", "targets.show.title", data, err)
		return
	}
	web.Render(w, r, status, "targets/show", "targets.show.title", data)
}

func (h *Handler) showPage(w http.ResponseWriter, r *http.Request) { h.show(w, r, http.StatusOK, nil) }

func (h *Handler) update(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		web.Fail(w, r, errs.New(errs.Invalid, "form"))
		return
	}
	var v errs.Validation
	ch := Change{Goal: number(&v, r.PostFormValue("goal"))}
	note := r.PostFormValue("note")
	ch.Note = &note
	if n, err := strconv.Atoi(r.PostFormValue("version")); err == nil {
		ch.Version = &n
	}
	if ch.Goal == nil {
		v.Add("goal", "required")
	}
	err = v.Err()
	if err == nil {
		_, err = h.svc.Update(r.Context(), web.Actor(r), id, ch)
	}
	if err != nil {
		h.show(w, r, 0, err)
		return
	}
	web.Redirect(w, r, fmt.Sprintf("/pimpinan/target/%d", id), "flash.saved")
}

func (h *Handler) remove(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if err := h.svc.Delete(r.Context(), web.Actor(r), id); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/pimpinan/target", "targets.flash.deleted")
}
