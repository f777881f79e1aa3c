package competency

import (
	"embed"
	"io/fs"
	"net/http"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// frameworkPages are this handler's templates, named one by one: the gap
// analysis keeps its own pages beside them and registers them itself.
//
//go:embed templates/competency/index.html templates/competency/form.html templates/competency/page.html
//go:embed templates/competency/history.html templates/competency/diff.html templates/competency/framework.html
//go:embed templates/competency/framework_form.html templates/competency/requirements.html
//go:embed templates/competency/profile.html templates/competency/requests.html
var frameworkPages embed.FS

// Handler serves the competency framework's pages and API: the framework
// under /kompetensi, profiles at /pegawai/{id}/kompetensi and
// /kompetensi/saya. (The gap analysis mounts its own handler.)
type Handler struct {
	svc *Service
}

// NewHandler returns the handler over s.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// Routes mounts the pages and the API.
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(frameworkPages, "templates")
	rt.Templates(sub)
	rt.Page("GET /kompetensi", h.index)
	rt.Page("GET /kompetensi/baru", h.newForm)
	rt.Page("POST /kompetensi/baru", h.create)
	rt.Page("GET /kompetensi/kerangka/baru", h.newFrameworkForm)
	rt.Page("POST /kompetensi/kerangka/baru", h.createFramework)
	rt.Page("GET /kompetensi/kerangka/{id}/ubah", h.editFrameworkForm)
	rt.Page("POST /kompetensi/kerangka/{id}/ubah", h.editFramework)
	rt.Page("GET /kompetensi/kerangka/{id}/riwayat", h.frameworkHistory)
	rt.Page("GET /kompetensi/{id}", h.page)
	rt.Page("GET /kompetensi/{id}/ubah", h.editForm)
	rt.Page("POST /kompetensi/{id}/ubah", h.edit)
	rt.Page("POST /kompetensi/{id}/pensiun", h.retire)
	rt.Page("GET /kompetensi/{id}/riwayat", h.history)
	rt.Page("GET /kompetensi/{id}/beda", h.diff)
	h.requirementRoutes(rt)
	h.profileRoutes(rt)
	h.apiRoutes(rt)
}

// canManage says whether the reader edits the framework, to show the
// links that lead there (the service decides again on every change).
func canManage(r *http.Request) bool {
	return policy.Can(web.Actor(r), policy.CompetencyManage, policy.Target{})
}

// indexPage is the framework: its frameworks and their competencies.
type indexPage struct {
	Frameworks []frameworkGroup
	All        []Framework
	CanManage  bool
	Requests   int
}

type frameworkGroup struct {
	Framework    Framework
	Competencies []Competency
}

func (h *Handler) index(w http.ResponseWriter, r *http.Request) {
	f := Filter{Query: web.QueryString(r, "q"), Retired: r.URL.Query().Get("pensiun") == "1"}
	fid, err := web.QueryID(r, "kerangka")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	f.FrameworkID = fid
	frameworks, err := h.svc.Frameworks(r.Context())
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	list, err := h.svc.List(r.Context(), f)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d := indexPage{All: frameworks, CanManage: canManage(r)}
	for _, fw := range frameworks {
		g := frameworkGroup{Framework: fw}
		for _, c := range list {
			if c.FrameworkID == fw.ID {
				g.Competencies = append(g.Competencies, c)
			}
		}
		if fid == nil || *fid == fw.ID {
			d.Frameworks = append(d.Frameworks, g)
		}
	}
	if reqs, err := h.svc.Requests(r.Context(), web.Actor(r), 100); err == nil {
		d.Requests = len(reqs)
	}
	web.Render(w, r, http.StatusOK, "competency/index", "competency.index.title", d)
}

// formPage is the competency form; Form holds the values shown before
// anything is posted.
type formPage struct {
	Competency *Competency
	Frameworks []Framework
	Apps       []web.Option // for a new competency about one application
	Form       map[string]string
}

func (h *Handler) formData(r *http.Request, c *Competency) (formPage, error) {
	fws, err := h.svc.Frameworks(r.Context())
	d := formPage{Competency: c, Frameworks: fws, Form: map[string]string{}}
	if err == nil && c == nil {
		d.Apps, err = web.ReadOptions(r.Context(), h.svc.db.R, `SELECT id, name FROM apps WHERE status <> 'retired' ORDER BY name`)
	}
	if c != nil {
		d.Form["framework_id"] = strconv.FormatInt(c.FrameworkID, 10)
		d.Form["name"], d.Form["description"] = c.Name, c.Description
		for i, l := range c.Levels {
			d.Form["level"+strconv.Itoa(i+1)] = l
		}
		if c.ValidityMonths != nil {
			d.Form["validity_months"] = strconv.Itoa(*c.ValidityMonths)
		}
		d.Form["version"] = strconv.Itoa(c.Version)
	}
	return d, err
}

func (h *Handler) newForm(w http.ResponseWriter, r *http.Request) {
	if !canManage(r) {
		web.Fail(w, r, errs.New(errs.Forbidden, "forbidden"))
		return
	}
	d, err := h.formData(r, nil)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if f := r.URL.Query().Get("kerangka"); f != "" {
		d.Form["framework_id"] = f
	}
	web.Render(w, r, http.StatusOK, "competency/form", "competency.new.title", d)
}

// posted returns the values a form was posted with, to show it again.
func posted(r *http.Request) map[string]string {
	m := map[string]string{}
	for k, v := range r.PostForm {
		if len(v) > 0 {
			m[k] = v[0]
		}
	}
	return m
}

// formLevels reads the four level texts of the form.
func formLevels(r *http.Request) []string {
	levels := make([]string, Levels)
	for i := range levels {
		levels[i] = r.PostFormValue("level" + strconv.Itoa(i+1))
	}
	return levels
}

// formMonths reads the validity: empty is none, anything else must be a
// whole number of months.
func formMonths(r *http.Request) (*int, error) {
	s := strings.TrimSpace(r.PostFormValue("validity_months"))
	if s == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, errs.FieldErr("validity_months", "number")
	}
	return &n, nil
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request) {
	d, err := h.formData(r, nil)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	fid, _ := strconv.ParseInt(r.PostFormValue("framework_id"), 10, 64)
	in := Input{FrameworkID: fid, Code: strings.TrimSpace(r.PostFormValue("code")), Name: r.PostFormValue("name"),
		Description: r.PostFormValue("description"), Levels: formLevels(r), Note: r.PostFormValue("note"),
		AppID: formID(r, "app_id")}
	if use := r.PostFormValue("app_use"); in.AppID != nil {
		in.AppUse = &use
	}
	if in.ValidityMonths, err = formMonths(r); err == nil {
		var c Competency
		if c, err = h.svc.Create(r.Context(), web.Actor(r), in); err == nil {
			web.Redirect(w, r, Link(c.ID), "competency.flash.created")
			return
		}
	}
	d.Form = posted(r)
	web.RenderForm(w, r, "competency/form", "competency.new.title", d, err)
}

// competencyPage is one competency with what links to it.
type competencyPage struct {
	Competency   Competency
	Requirements []Requirement
	Articles     []Article
	CanManage    bool
	// Holders counts the people at each verified level, for those who
	// see the city's development (nil for others).
	Holders []int
}

func (h *Handler) load(w http.ResponseWriter, r *http.Request) (Competency, bool) {
	id, err := web.PathID(r, "id")
	if err == nil {
		var c Competency
		if c, err = h.svc.Get(r.Context(), id); err == nil {
			return c, true
		}
	}
	web.Fail(w, r, err)
	return Competency{}, false
}

func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	c, ok := h.load(w, r)
	if !ok {
		return
	}
	d := competencyPage{Competency: c, CanManage: canManage(r)}
	var err error
	if d.Requirements, _, err = h.svc.Requirements(r.Context(), RequirementFilter{CompetencyID: &c.ID}, pageOf(500)); err != nil {
		web.Fail(w, r, err)
		return
	}
	if d.Articles, err = h.svc.Articles(r.Context(), c.Code); err != nil {
		web.Fail(w, r, err)
		return
	}
	if holders, err := h.svc.Holders(r.Context(), web.Actor(r), c.ID); err == nil {
		d.Holders = holders[:]
	}
	web.Render(w, r, http.StatusOK, "competency/page", "competency.page.title", d)
}

func (h *Handler) editForm(w http.ResponseWriter, r *http.Request) {
	c, ok := h.load(w, r)
	if !ok {
		return
	}
	if !canManage(r) {
		web.Fail(w, r, errs.New(errs.Forbidden, "forbidden"))
		return
	}
	d, err := h.formData(r, &c)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "competency/form", "competency.edit.title", d)
}

func (h *Handler) edit(w http.ResponseWriter, r *http.Request) {
	c, ok := h.load(w, r)
	if !ok {
		return
	}
	d, err := h.formData(r, &c)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	name, desc := r.PostFormValue("name"), r.PostFormValue("description")
	ch := Change{Name: &name, Description: &desc, Levels: formLevels(r), Note: r.PostFormValue("note")}
	if fid, err := strconv.ParseInt(r.PostFormValue("framework_id"), 10, 64); err == nil {
		ch.FrameworkID = &fid
	}
	if v, err := strconv.Atoi(r.PostFormValue("version")); err == nil {
		ch.Version = &v
	}
	if ch.ValidityMonths, err = formMonths(r); err == nil {
		ch.NoValidity = ch.ValidityMonths == nil
		if _, err = h.svc.Update(r.Context(), web.Actor(r), c.ID, ch); err == nil {
			web.Redirect(w, r, Link(c.ID), "competency.flash.saved")
			return
		}
	}
	d.Form = posted(r)
	d.Form["version"] = strconv.Itoa(c.Version) // the one now stored: saving again takes over after a conflict
	web.RenderForm(w, r, "competency/form", "competency.edit.title", d, err)
}

func (h *Handler) retire(w http.ResponseWriter, r *http.Request) {
	c, ok := h.load(w, r)
	if !ok {
		return
	}
	retired := r.PostFormValue("retired") == "1"
	if _, err := h.svc.Update(r.Context(), web.Actor(r), c.ID, Change{Retired: &retired}); err != nil {
		web.Fail(w, r, err)
		return
	}
	flash := "competency.flash.restored"
	if retired {
		flash = "competency.flash.retired"
	}
	web.Redirect(w, r, Link(c.ID), flash)
}
