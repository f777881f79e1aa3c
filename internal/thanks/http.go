package thanks

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// Handler serves the thanks pages (under /terima-kasih) and API.
type Handler struct{ svc *Service }

// NewHandler returns the handler over s.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

const apiTag = "feedback"

// Routes mounts the pages and the API.
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /terima-kasih", h.home)
	rt.Page("GET /terima-kasih/pegawai/{id}", h.person)
	rt.Page("POST /terima-kasih/pegawai/{id}", h.give)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/thanks", ID: "listThanks", Tag: apiTag,
		Summary: "Thanks, newest first: received by employee_id, given by given_by, else the whole city's",
		Query: append([]web.Param{{Name: "employee_id", Type: "integer", Description: "thanks this employee received"},
			{Name: "given_by", Type: "integer", Description: "thanks this employee gave"}}, web.PageParams...),
		Response: Thanks{}, List: true}, h.apiList)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/thanks", ID: "giveThanks", Tag: apiTag,
		Summary: "Thank a colleague (employee_id, not oneself) with the reason (1..500 characters); the receiver is told. " +
			"At most 10 a day from one person: then 429 with Retry-After until midnight in the city",
		Body: Input{}, Response: Thanks{}, Status: http.StatusCreated}, h.apiGive)
}

// homePage is the thanks hub: people found, thanks received and given,
// and the city's newest.
type homePage struct {
	Found           []Person
	Searched        bool
	Received, Given []Thanks
	Wall            []Thanks
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	actor := web.Actor(r)
	ctx := r.Context()
	d := homePage{Searched: r.URL.Query().Get("q") != ""}
	var err error
	mine := db.Page{Limit: 10}
	d.Found, err = h.svc.Find(ctx, actor, r.URL.Query().Get("q"))
	if err == nil && actor.EmployeeID != 0 {
		if d.Received, _, err = h.svc.List(ctx, actor, Filter{ReceiverID: &actor.EmployeeID}, mine); err == nil {
			d.Given, _, err = h.svc.List(ctx, actor, Filter{GiverID: &actor.EmployeeID}, mine)
		}
	}
	if err == nil {
		d.Wall, _, err = h.svc.List(ctx, actor, Filter{}, db.Page{Limit: 20})
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "thanks/home", "thanks.title", d)
}

// personPage is a person's received thanks with the form to thank them.
type personPage struct {
	Person   Person
	Thanks   []Thanks
	Next     string
	CanThank bool
}

func (h *Handler) personData(r *http.Request) (personPage, error) {
	actor := web.Actor(r)
	id, err := web.PathID(r, "id")
	if err != nil {
		return personPage{}, err
	}
	d := personPage{CanThank: actor.EmployeeID != 0 && actor.EmployeeID != id}
	if d.Person, err = h.svc.Person(r.Context(), actor, id); err != nil {
		return d, err
	}
	page, err := web.ListPage(r)
	if err != nil {
		return d, err
	}
	d.Thanks, d.Next, err = h.svc.List(r.Context(), actor, Filter{ReceiverID: &id}, page)
	return d, err
}

func (h *Handler) person(w http.ResponseWriter, r *http.Request) {
	d, err := h.personData(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "thanks/person", "thanks.person.title", d)
}

func (h *Handler) give(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if _, err := h.svc.Give(r.Context(), web.Actor(r), Input{EmployeeID: id, Reason: r.PostFormValue("reason")}); err != nil {
		d, derr := h.personData(r)
		if derr != nil {
			web.Fail(w, r, derr)
			return
		}
		web.RenderForm(w, r, "thanks/person", "thanks.person.title", d, err)
		return
	}
	web.Redirect(w, r, Link(id), "thanks.flash.given")
}

func (h *Handler) apiList(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, func(r *http.Request) (Filter, error) {
		var f Filter
		var err error
		if f.ReceiverID, err = web.QueryID(r, "employee_id"); err != nil {
			return f, err
		}
		f.GiverID, err = web.QueryID(r, "given_by")
		return f, err
	}, func(ctx context.Context, f Filter, p db.Page) ([]Thanks, string, error) {
		return h.svc.List(ctx, web.Actor(r), f, p)
	})
}

func (h *Handler) apiGive(w http.ResponseWriter, r *http.Request) {
	var in Input
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	t, err := h.svc.Give(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/thanks?employee_id="+strconv.FormatInt(t.ReceiverID, 10), t)
}
