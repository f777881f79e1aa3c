package ideas

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"strconv"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/tabular"
	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// Handler serves the ideas pages (under /ide) and API.
type Handler struct{ svc *Service }

// NewHandler returns the handler over s.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// Routes mounts the pages and the API. The templates hold the tabs that
// the thanks and lessons pages share ("feedback-tabs").
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /ide", h.list)
	rt.Page("GET /ide/baru", h.newPage)
	rt.Page("POST /ide/baru", h.create)
	rt.Page("GET /ide/waktu-tunggu", h.waits)
	rt.Page("GET /ide/{id}", h.page)
	rt.Page("POST /ide/{id}/dukung", h.vote)
	rt.Page("POST /ide/{id}/komentar", h.comment)
	rt.Page("POST /ide/{id}/jawab", h.answer)
	rt.Page("POST /ide/{id}/ubah", h.edit)
	h.apiRoutes(rt)
}

// listPage is a page of ideas with the filters' choices.
type listPage struct {
	Ideas    []Idea
	Next     string
	Choices  Choices
	Statuses []string
	Sorts    []string
	CanWaits bool
	Mine     bool
	// Answerable are the agencies whose ideas the actor answers.
	Answerable []web.Option
	FilterErr  error
}

func filterOf(r *http.Request) (Filter, error) {
	f := Filter{Status: web.QueryString(r, "status"), Query: web.QueryString(r, "q"), Sort: r.URL.Query().Get("sort")}
	var err error
	if f.AgencyID, err = web.QueryID(r, "agency_id"); err != nil {
		return f, err
	}
	f.AppID, err = web.QueryID(r, "app_id")
	return f, err
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	actor := web.Actor(r)
	f, err := filterOf(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d := listPage{Statuses: Statuses, Sorts: Sorts, Mine: r.URL.Query().Get("mine") == "1"}
	if d.Mine {
		f.AuthorID = &actor.EmployeeID
	}
	page, err := web.ListPage(r)
	if err == nil {
		d.Ideas, d.Next, err = h.svc.List(r.Context(), actor, f, page)
	}
	if err == nil {
		d.Choices, err = h.svc.choices(r.Context())
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d.CanWaits = mayReadWaits(actor)
	for _, a := range d.Choices.Agencies {
		if policy.Can(actor, policy.IdeaAnswer, policy.Target{AgencyID: a.ID}) && !actor.Has(policy.Executive) {
			d.Answerable = append(d.Answerable, a)
		}
	}
	web.Render(w, r, http.StatusOK, "ideas/list", "ideas.title", d)
}

// mayReadWaits reports whether the actor sees the answer figures of any
// agency (or the city).
func mayReadWaits(a *policy.Actor) bool {
	for _, g := range append([]policy.Grant{{}}, a.Grants...) {
		t := policy.Target{AgencyID: g.AgencyID}
		if policy.Can(a, policy.InsightView, t) || (g.AgencyID != 0 && policy.Can(a, policy.IdeaAnswer, t)) {
			return true
		}
	}
	return false
}

// Choices are the applications and agencies an idea can be about.
type Choices struct {
	Apps     []web.Option
	Agencies []web.Option
}

func (s *Service) choices(ctx context.Context) (Choices, error) {
	var c Choices

	var err error
	if c.Apps, err = web.ReadOptions(ctx, s.db.R, `SELECT id, name FROM apps WHERE status <> 'retired' ORDER BY name, id`); err != nil {
		return c, err
	}
	c.Agencies, err = web.ReadOptions(ctx, s.db.R, `SELECT id, name FROM agencies ORDER BY name, id`)
	return c, err
}

func (h *Handler) newPage(w http.ResponseWriter, r *http.Request) {
	c, err := h.svc.choices(r.Context())
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "ideas/new", "ideas.new.title", c)
}

func formID(r *http.Request, name string) *int64 {
	n, err := strconv.ParseInt(r.PostFormValue(name), 10, 64)
	if err != nil || n == 0 {
		return nil
	}
	return &n
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request) {
	in := Input{Title: r.PostFormValue("title"), Body: r.PostFormValue("body"), Procedure: r.PostFormValue("procedure")}
	if r.PostFormValue("topic") == TopicProcedure {
		in.AgencyID = formID(r, "agency_id")
	} else {
		in.AppID = formID(r, "app_id")
	}
	i, err := h.svc.Create(r.Context(), web.Actor(r), in)
	if err != nil {
		c, cerr := h.svc.choices(r.Context())
		if cerr != nil {
			web.Fail(w, r, cerr)
			return
		}
		web.RenderForm(w, r, "ideas/new", "ideas.new.title", c, err)
		return
	}
	web.Redirect(w, r, Link(i.ID), "ideas.flash.created")
}

// ideaPage is an idea with its answer form.
type ideaPage struct {
	Idea     Idea
	Statuses []string
}

func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	if d, ok := h.pageData(w, r); ok {
		web.Render(w, r, http.StatusOK, "ideas/idea", "ideas.idea.title", d)
	}
}

func (h *Handler) pageData(w http.ResponseWriter, r *http.Request) (ideaPage, bool) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return ideaPage{}, false
	}
	i, err := h.svc.Get(r.Context(), web.Actor(r), id)
	if err != nil {
		web.Fail(w, r, err)
		return ideaPage{}, false
	}
	return ideaPage{Idea: i, Statuses: answerStatuses}, true
}

// after runs the action on the idea of the path and shows its page again:
// with the flash on success, with the form's messages on bad input.
func (h *Handler) after(w http.ResponseWriter, r *http.Request, flash string, act func(id int64) error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if err := act(id); err != nil {
		if d, ok := h.pageData(w, r); ok {
			web.RenderForm(w, r, "ideas/idea", "ideas.idea.title", d, err)
		}
		return
	}
	web.Redirect(w, r, Link(id), flash)
}

func (h *Handler) vote(w http.ResponseWriter, r *http.Request) {
	h.after(w, r, "ideas.flash.voted", func(id int64) error {
		_, err := h.svc.Vote(r.Context(), web.Actor(r), id, r.PostFormValue("on") == "1")
		return err
	})
}

func (h *Handler) comment(w http.ResponseWriter, r *http.Request) {
	h.after(w, r, "ideas.flash.commented", func(id int64) error {
		_, err := h.svc.Comment(r.Context(), web.Actor(r), id, CommentInput{Body: r.PostFormValue("body")})
		return err
	})
}

func (h *Handler) answer(w http.ResponseWriter, r *http.Request) {
	h.after(w, r, "ideas.flash.answered", func(id int64) error {
		_, err := h.svc.Answer(r.Context(), web.Actor(r), id,
			AnswerInput{Status: r.PostFormValue("status"), Answer: r.PostFormValue("answer")})
		return err
	})
}

func (h *Handler) edit(w http.ResponseWriter, r *http.Request) {
	h.after(w, r, "ideas.flash.edited", func(id int64) error {
		_, err := h.svc.Edit(r.Context(), web.Actor(r), id,
			EditInput{Title: r.PostFormValue("title"), Body: r.PostFormValue("body")})
		return err
	})
}

// waitsPage is the answer figures of a period.
type waitsPage struct {
	Period string
	Tables []tabular.Table
}

// periodOf reads ?period=, by default this year.
func (h *Handler) periodOf(r *http.Request) (period.Period, error) {
	label := r.URL.Query().Get("period")
	if label == "" {
		return period.Of(time.Now().In(h.svc.zone), period.Year), nil
	}
	return period.Parse(label, h.svc.zone)
}

func (h *Handler) waits(w http.ResponseWriter, r *http.Request) {
	p, err := h.periodOf(r)
	var list []AnswerStat
	if err == nil {
		list, err = h.svc.Waits(r.Context(), web.Actor(r), p)
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	tables := WaitTables(web.Lang(r), p, list)
	if f := r.URL.Query().Get("format"); f == "csv" || f == "xlsx" {
		if err := tabular.Download(w, f, "ide-waktu-tunggu-"+p.Label, tables); err != nil {
			web.Fail(w, r, err)
		}
		return
	}
	web.Render(w, r, http.StatusOK, "ideas/waits", "ideas.waits.title", waitsPage{Period: p.Label, Tables: tables})
}

// apiList serves GET /api/v1/ideas.
func (h *Handler) apiList(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, filterOf, func(ctx context.Context, f Filter, p db.Page) ([]Idea, string, error) {
		return h.svc.List(ctx, web.Actor(r), f, p)
	})
}
