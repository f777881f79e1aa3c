package mentoring

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// Handler serves the mentoring pages (under /pendampingan) and API.
type Handler struct {
	svc  *Service
	zone *time.Location // the city's, for the session form's date and time
}

// NewHandler returns the handler over s.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// Routes mounts the pages and the API.
func (h *Handler) Routes(rt *web.Router) {
	h.zone = rt.Server().Location()
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /pendampingan", h.list)
	rt.Page("POST /pendampingan", h.assign)
	rt.Page("GET /pendampingan/{id}", h.page)
	rt.Page("POST /pendampingan/{id}/sesi", h.log)
	rt.Page("POST /pendampingan/{id}/sesi/{session}/hapus", h.deleteSession)
	rt.Page("POST /pendampingan/{id}/selesai", h.end)
	h.apiRoutes(rt)
}

// listPage is the actor's mentoring and, where they may see it, an
// agency's, with the assignment form for its admin.
type listPage struct {
	Mine       []Assignment
	AgencyID   int64
	AgencyName string
	Agency     []Assignment
	Next       string
	CanAssign  bool
	Trainers   []Person
	People     []Person
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	d, err := h.listData(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "mentoring/list", "mentoring.title", d)
}

func (h *Handler) listData(r *http.Request) (listPage, error) {
	actor := web.Actor(r)
	var d listPage
	page, err := web.ListPage(r)
	if err != nil {
		return d, err
	}
	if d.Mine, _, err = h.svc.List(r.Context(), actor, Filter{}, db.Page{Limit: db.MaxLimit}); err != nil {
		return d, err
	}
	agency, err := web.QueryID(r, "opd")
	if err != nil {
		return d, err
	}
	if agency == nil {
		if id := viewableAgency(actor); id != 0 {
			agency = &id
		}
	}
	if agency == nil {
		return d, nil
	}
	d.AgencyID = *agency
	if d.Agency, d.Next, err = h.svc.List(r.Context(), actor, Filter{AgencyID: agency}, page); err != nil {
		return d, err
	}
	if err := h.svc.db.R.QueryRowContext(r.Context(), `SELECT name FROM agencies WHERE id = $1`, d.AgencyID).
		Scan(&d.AgencyName); err != nil {
		return d, errs.New(errs.NotFound, "not_found")
	}
	if d.CanAssign = policy.Can(actor, policy.MentoringManage, policy.Target{AgencyID: d.AgencyID}); d.CanAssign {
		d.Trainers, d.People, err = h.svc.Choices(r.Context(), actor, d.AgencyID)
	}
	return d, err
}

// viewableAgency is the agency whose mentoring the actor sees first: one
// they administer, else one whose development they may see.
func viewableAgency(a *policy.Actor) int64 {
	for _, act := range []policy.Action{policy.MentoringManage, policy.DevelopmentView} {
		for _, g := range append([]policy.Grant{{AgencyID: a.AgencyID}}, a.Grants...) {
			if g.AgencyID != 0 && policy.Can(a, act, policy.Target{AgencyID: g.AgencyID}) {
				return g.AgencyID
			}
		}
	}
	return 0
}

func formID(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(r.PostFormValue(name), 10, 64)
	return n
}

func (h *Handler) assign(w http.ResponseWriter, r *http.Request) {
	in := AssignInput{AgencyID: formID(r, "agency_id"), MentorAccountID: formID(r, "mentor_account_id"),
		EmployeeID: formID(r, "employee_id"), Goal: r.PostFormValue("goal")}
	a, err := h.svc.Assign(r.Context(), web.Actor(r), in)
	if err != nil {
		r.URL.RawQuery = "opd=" + strconv.FormatInt(in.AgencyID, 10)
		d, derr := h.listData(r)
		if derr != nil {
			web.Fail(w, r, derr)
			return
		}
		web.RenderForm(w, r, "mentoring/list", "mentoring.title", d, err)
		return
	}
	web.Redirect(w, r, Link(a.ID), "mentoring.flash.assigned")
}

// assignmentPage is an assignment with the session form.
type assignmentPage struct {
	Assignment   Assignment
	Competencies []Competency
	Today, Now   string
}

func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	d, ok := h.pageData(w, r)
	if ok {
		web.Render(w, r, http.StatusOK, "mentoring/assignment", "mentoring.assignment.title", d)
	}
}

func (h *Handler) pageData(w http.ResponseWriter, r *http.Request) (assignmentPage, bool) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return assignmentPage{}, false
	}
	a, err := h.svc.Get(r.Context(), web.Actor(r), id)
	if err != nil {
		web.Fail(w, r, err)
		return assignmentPage{}, false
	}
	d := assignmentPage{Assignment: a}
	if a.CanLog {
		if d.Competencies, err = h.svc.competencies(r.Context()); err != nil {
			web.Fail(w, r, err)
			return assignmentPage{}, false
		}
	}
	now := time.Now().In(h.zone)
	d.Today, d.Now = now.Format(time.DateOnly), now.Format("15:04")
	return d, true
}

// Competency is a competency to choose in the session form.
type Competency struct{ Code, Name string }

// competencies lists the competencies in service for the session form.
func (s *Service) competencies(ctx context.Context) ([]Competency, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT code, name FROM competencies WHERE retired_at IS NULL ORDER BY name, code`)
	if err != nil {
		return nil, fmt.Errorf("mentoring: competencies: %w", err)
	}
	defer rows.Close()
	var list []Competency
	for rows.Next() {
		var c Competency
		if err := rows.Scan(&c.Code, &c.Name); err != nil {
			return nil, fmt.Errorf("mentoring: competencies: %w", err)
		}
		list = append(list, c)
	}
	return list, rows.Err()
}

// sessionOf reads the session form: a date and a time in the city's zone.
func (h *Handler) sessionOf(r *http.Request) (SessionInput, error) {
	in := SessionInput{Topic: r.PostFormValue("topic"), Notes: r.PostFormValue("notes"),
		CompetencyCode: r.PostFormValue("competency_code")}
	var v errs.Validation
	clock := strings.TrimSpace(r.PostFormValue("time"))
	if clock == "" {
		clock = "09:00"
	}
	at, err := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(r.PostFormValue("date"))+" "+clock, h.zone)
	if err != nil {
		v.Add("held_at", "date.format")
	}
	in.HeldAt = at
	if in.JP, err = strconv.Atoi(r.PostFormValue("jp")); err != nil {
		v.Add("jp", "number")
	}
	if s := r.PostFormValue("level"); s != "" {
		if in.Level, err = strconv.Atoi(s); err != nil {
			v.Add("level", "number")
		}
	}
	return in, v.Err()
}

func (h *Handler) log(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	in, err := h.sessionOf(r)
	if err == nil {
		_, err = h.svc.Log(r.Context(), web.Actor(r), id, in)
	}
	if err != nil {
		if d, ok := h.pageData(w, r); ok {
			web.RenderForm(w, r, "mentoring/assignment", "mentoring.assignment.title", d, err)
		}
		return
	}
	web.Redirect(w, r, Link(id), "mentoring.flash.logged")
}

func (h *Handler) deleteSession(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	session, err := web.PathID(r, "session")
	if err == nil {
		err = h.svc.DeleteSession(r.Context(), web.Actor(r), id, session)
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, Link(id), "mentoring.flash.session_deleted")
}

func (h *Handler) end(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err == nil {
		err = h.svc.End(r.Context(), web.Actor(r), id)
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, Link(id), "mentoring.flash.ended")
}
