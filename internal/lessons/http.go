package lessons

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// Handler serves the lessons pages (under /pelajaran) and API.
type Handler struct{ svc *Service }

// NewHandler returns the handler over s.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// Routes mounts the pages and the API.
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /pelajaran", h.list)
	rt.Page("GET /pelajaran/baru", h.newPage)
	rt.Page("POST /pelajaran/baru", h.create)
	rt.Page("GET /pelajaran/{id}", h.page)
	rt.Page("GET /pelajaran/{id}/ubah", h.editPage)
	rt.Page("POST /pelajaran/{id}/ubah", h.update)
	rt.Page("POST /pelajaran/{id}/artikel", h.publish)
	h.apiRoutes(rt)
}

// Agency is an agency to choose.
type Agency struct {
	ID   int64
	Name string
}

// writable lists the agencies the actor writes lessons for, and whether
// they write the city's.
func (s *Service) writable(ctx context.Context, actor *policy.Actor) ([]Agency, bool, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, name FROM agencies ORDER BY name, id`)
	if err != nil {
		return nil, false, fmt.Errorf("lessons: agencies: %w", err)
	}
	defer rows.Close()
	var list []Agency
	for rows.Next() {
		var a Agency
		if err := rows.Scan(&a.ID, &a.Name); err != nil {
			return nil, false, fmt.Errorf("lessons: agencies: %w", err)
		}
		if policy.Can(actor, policy.LessonWrite, policy.Target{AgencyID: a.ID}) {
			list = append(list, a)
		}
	}
	return list, policy.Can(actor, policy.LessonWrite, policy.Target{}), rows.Err()
}

// listPage is a page of lessons.
type listPage struct {
	Lessons  []Lesson
	Next     string
	Kinds    []string
	CanWrite bool
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	f, err := filterOf(r)
	d := listPage{Kinds: Kinds}
	var page db.Page
	if err == nil {
		page, err = web.ListPage(r)
	}
	if err == nil {
		d.Lessons, d.Next, err = h.svc.List(r.Context(), web.Actor(r), f, page)
	}
	if err == nil {
		var agencies []Agency
		var city bool
		agencies, city, err = h.svc.writable(r.Context(), web.Actor(r))
		d.CanWrite = city || len(agencies) > 0
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "lessons/list", "lessons.title", d)
}

func filterOf(r *http.Request) (Filter, error) {
	f := Filter{Kind: web.QueryString(r, "kind"), Query: web.QueryString(r, "q"), City: r.URL.Query().Get("city") == "true"}
	var err error
	f.AgencyID, err = web.QueryID(r, "agency_id")
	return f, err
}

// formPage is the lesson form: new (Lesson.ID 0) or an edit.
type formPage struct {
	Lesson   Lesson
	Agencies []Agency
	City     bool
	Kinds    []string
	// Values are the fields as shown: the lesson's, or what was sent.
	Values map[string]string
}

func (h *Handler) form(r *http.Request, l Lesson) (formPage, error) {
	d := formPage{Lesson: l, Kinds: Kinds}
	var err error
	if d.Agencies, d.City, err = h.svc.writable(r.Context(), web.Actor(r)); err != nil {
		return d, err
	}
	if !d.City && len(d.Agencies) == 0 {
		return d, errs.New(errs.Forbidden, "forbidden")
	}
	var t, p []string
	for _, ref := range l.Tickets {
		t = append(t, ref.Number)
	}
	for _, ref := range l.Problems {
		p = append(p, ref.Number)
	}
	d.Values = map[string]string{"kind": l.Kind, "title": l.Title, "happened": l.Happened, "expected": l.Expected,
		"learned": l.Learned, "changes": l.Changes, "tickets": strings.Join(t, ", "), "problems": strings.Join(p, ", ")}
	if l.AgencyID != nil {
		d.Values["agency_id"] = strconv.FormatInt(*l.AgencyID, 10)
	}
	if r.Method == http.MethodPost {
		for k := range d.Values {
			d.Values[k] = r.PostFormValue(k)
		}
		d.Values["agency_id"] = r.PostFormValue("agency_id")
	}
	return d, nil
}

func (h *Handler) newPage(w http.ResponseWriter, r *http.Request) {
	d, err := h.form(r, Lesson{Kind: KindIncident})
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "lessons/form", "lessons.new.title", d)
}

// numbers reads a list of help desk numbers ("T-000123, 45" or
// "P-0001"): the prefix is optional.
func numbers(s, prefix string) ([]int64, bool) {
	var ids []int64
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' || r == '\n' }) {
		digits := strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(f)), prefix)
		id, err := strconv.ParseInt(digits, 10, 64)
		if err != nil || id < 1 || digits[0] == '+' {
			return nil, false
		}
		ids = append(ids, id)
	}
	return ids, true
}

// inputOf reads the form.
func inputOf(r *http.Request) (Input, error) {
	in := Input{Kind: r.PostFormValue("kind"), Title: r.PostFormValue("title"), Happened: r.PostFormValue("happened"),
		Expected: r.PostFormValue("expected"), Learned: r.PostFormValue("learned"), Changes: r.PostFormValue("changes")}
	if n, err := strconv.ParseInt(r.PostFormValue("agency_id"), 10, 64); err == nil && n != 0 {
		in.AgencyID = &n
	}
	var v errs.Validation
	var ok bool
	if in.TicketIDs, ok = numbers(r.PostFormValue("tickets"), "T-"); !ok {
		v.Add("ticket_ids", "lessons.bad_numbers")
	}
	if in.ProblemIDs, ok = numbers(r.PostFormValue("problems"), "P-"); !ok {
		v.Add("problem_ids", "lessons.bad_numbers")
	}
	return in, v.Err()
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request) {
	in, err := inputOf(r)
	var l Lesson
	if err == nil {
		l, err = h.svc.Create(r.Context(), web.Actor(r), in)
	}
	if err != nil {
		d, ferr := h.form(r, Lesson{})
		if ferr != nil {
			web.Fail(w, r, ferr)
			return
		}
		web.RenderForm(w, r, "lessons/form", "lessons.new.title", d, err)
		return
	}
	web.Redirect(w, r, Link(l.ID), "lessons.flash.created")
}

func (h *Handler) lesson(w http.ResponseWriter, r *http.Request) (Lesson, bool) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return Lesson{}, false
	}
	l, err := h.svc.Get(r.Context(), web.Actor(r), id)
	if err != nil {
		web.Fail(w, r, err)
		return Lesson{}, false
	}
	return l, true
}

func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	if l, ok := h.lesson(w, r); ok {
		web.Render(w, r, http.StatusOK, "lessons/lesson", "lessons.lesson.title", l)
	}
}

func (h *Handler) editPage(w http.ResponseWriter, r *http.Request) {
	l, ok := h.lesson(w, r)
	if !ok {
		return
	}
	if !l.CanWrite {
		web.Fail(w, r, errs.New(errs.Forbidden, "forbidden"))
		return
	}
	d, err := h.form(r, l)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "lessons/form", "lessons.edit.title", d)
}

func (h *Handler) update(w http.ResponseWriter, r *http.Request) {
	l, ok := h.lesson(w, r)
	if !ok {
		return
	}
	in, err := inputOf(r)
	if err == nil {
		_, err = h.svc.Update(r.Context(), web.Actor(r), l.ID, in)
	}
	if err != nil {
		d, ferr := h.form(r, l)
		if ferr != nil {
			web.Fail(w, r, ferr)
			return
		}
		web.RenderForm(w, r, "lessons/form", "lessons.edit.title", d, err)
		return
	}
	web.Redirect(w, r, Link(l.ID), "lessons.flash.saved")
}

func (h *Handler) publish(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	var l Lesson
	if err == nil {
		l, err = h.svc.Publish(r.Context(), web.Actor(r), id, web.Lang(r))
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/pengetahuan/"+strconv.FormatInt(*l.ArticleID, 10), "lessons.flash.published")
}
