package training

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

// compRows is how many competency rows the forms offer.
const compRows = 4

// formPage is the event form (new or edit) and the activity form.
type formPage struct {
	Event    *Event
	Activity *Activity
	Options  Options
	Values   url.Values // what the fields show: the record's values, or what was posted
	Trainers map[int64]bool
	Kinds    []string
	Rows     []int // competency rows 1..compRows
	Levels   []int
}

func (h *Handler) newFormPage(r *http.Request, values url.Values) (formPage, error) {
	o, err := h.svc.FormOptions(r.Context(), web.Actor(r))
	d := formPage{Options: o, Values: values, Trainers: map[int64]bool{}, Kinds: Kinds, Levels: []int{1, 2, 3, 4}}
	for i := 1; i <= compRows; i++ {
		d.Rows = append(d.Rows, i)
	}
	for _, v := range values["trainer"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			d.Trainers[id] = true
		}
	}
	return d, err
}

// valuesOfEvent are an event's fields as the form shows them.
func (h *Handler) valuesOfEvent(e Event) url.Values {
	v := url.Values{}
	v.Set("title", e.Title)
	v.Set("kind", e.Kind)
	v.Set("description", e.Description)
	v.Set("place", e.Place)
	v.Set("link", e.Link)
	v.Set("capacity", strconv.Itoa(e.Capacity))
	v.Set("jp", strconv.Itoa(e.JP))
	if e.AgencyID != nil {
		v.Set("agency_id", idString(*e.AgencyID))
	}
	if e.SelfEnrol {
		v.Set("self_enrol", "1")
	}
	if e.NeedsApproval {
		v.Set("needs_approval", "1")
	}
	setCompetencyValues(v, e.Competencies)
	for _, t := range e.Trainers {
		v.Add("trainer", idString(t.AccountID))
	}
	return v
}

func setCompetencyValues(v url.Values, list []CompetencyLevel) {
	for i, c := range list {
		if i >= compRows {
			break
		}
		n := strconv.Itoa(i + 1)
		v.Set("comp_"+n, idString(c.CompetencyID))
		v.Set("level_"+n, strconv.Itoa(c.Level))
	}
}

// competenciesPosted reads the competency rows of a form.
func competenciesPosted(r *http.Request) []CompetencyLevel {
	var out []CompetencyLevel
	for i := 1; i <= compRows; i++ {
		n := strconv.Itoa(i)
		id, err := strconv.ParseInt(r.PostFormValue("comp_"+n), 10, 64)
		if err != nil || id == 0 {
			continue
		}
		level, _ := strconv.Atoi(r.PostFormValue("level_" + n))
		out = append(out, CompetencyLevel{CompetencyID: id, Level: level})
	}
	return out
}

// eventPosted reads the event form. Numbers that do not parse become -1,
// which the service refuses with the field named.
func (h *Handler) eventPosted(r *http.Request) EventInput {
	num := func(name string) int {
		n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue(name)))
		if err != nil {
			return -1
		}
		return n
	}
	needs := r.PostFormValue("needs_approval") == "1"
	in := EventInput{Title: r.PostFormValue("title"), Kind: r.PostFormValue("kind"),
		Description: r.PostFormValue("description"), Place: r.PostFormValue("place"), Link: r.PostFormValue("link"),
		Capacity: num("capacity"), JP: num("jp"), SelfEnrol: r.PostFormValue("self_enrol") == "1",
		NeedsApproval: &needs, Competencies: competenciesPosted(r), Trainers: idsOf(r, "trainer")}
	if a, err := strconv.ParseInt(r.PostFormValue("agency_id"), 10, 64); err == nil && a != 0 {
		in.AgencyID = &a
	}
	if days := strings.TrimSpace(r.PostFormValue("days")); days != "" {
		in.Days = num("days")
	}
	in.StartsAt, in.EndsAt = h.span(r, "")
	return in
}

func (h *Handler) newEventForm(w http.ResponseWriter, r *http.Request) {
	if !canCreate(web.Actor(r)) {
		web.Fail(w, r, errs.New(errs.Forbidden, "forbidden"))
		return
	}
	v := url.Values{}
	v.Set("date", time.Now().In(h.svc.zone).AddDate(0, 0, 1).Format(time.DateOnly))
	v.Set("kind", KindBimtek)
	v.Set("capacity", "30")
	v.Set("jp", "8")
	v.Set("days", "1")
	v.Set("start", "08:00")
	v.Set("end", "16:00")
	v.Set("needs_approval", "1")
	if a := web.Actor(r); a != nil && !CanManageActivity(a, 0) && a.AgencyID != 0 {
		v.Set("agency_id", idString(a.AgencyID))
	}
	if id, err := strconv.ParseInt(r.URL.Query().Get("aktivitas"), 10, 64); err == nil {
		if a, err := h.svc.Activity(r.Context(), id); err == nil {
			v.Set("activity_id", idString(a.ID))
			v.Set("title", a.Title)
			v.Set("kind", a.Kind)
			v.Set("description", a.Description)
			v.Set("jp", strconv.Itoa(a.JP))
			setCompetencyValues(v, a.Competencies)
		}
	}
	d, err := h.newFormPage(r, v)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "training/event_form", "training.event.new", d)
}

func (h *Handler) createEvent(w http.ResponseWriter, r *http.Request) {
	in := h.eventPosted(r)
	if a, err := strconv.ParseInt(r.PostFormValue("activity_id"), 10, 64); err == nil && a != 0 {
		in.ActivityID = &a
	}
	e, err := h.svc.CreateEvent(r.Context(), web.Actor(r), in)
	if err != nil {
		d, derr := h.newFormPage(r, r.PostForm)
		if derr != nil {
			web.Fail(w, r, derr)
			return
		}
		web.RenderForm(w, r, "training/event_form", "training.event.new", d, err)
		return
	}
	web.Redirect(w, r, EventLink(e.ID), "training.flash.event_created")
}

func (h *Handler) editEventForm(w http.ResponseWriter, r *http.Request) {
	e, ok := h.event(w, r)
	if !ok {
		return
	}
	d, err := h.newFormPage(r, h.valuesOfEvent(e))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d.Event = &e
	web.Render(w, r, http.StatusOK, "training/event_form", "training.event.edit", d)
}

func (h *Handler) editEvent(w http.ResponseWriter, r *http.Request) {
	e, ok := h.event(w, r)
	if !ok {
		return
	}
	in := h.eventPosted(r)
	if _, err := h.svc.UpdateEvent(r.Context(), web.Actor(r), e.ID, in); err != nil {
		d, derr := h.newFormPage(r, r.PostForm)
		if derr != nil {
			web.Fail(w, r, derr)
			return
		}
		d.Event = &e
		web.RenderForm(w, r, "training/event_form", "training.event.edit", d, err)
		return
	}
	web.Redirect(w, r, EventLink(e.ID), "training.flash.event_updated")
}

// sheetPage is the trainer's attendance sheet of a session.
type sheetPage struct {
	Sheet
	Index int // the session's number in the event, from 1
	Total int
}

func (h *Handler) sheetData(r *http.Request) (sheetPage, error) {
	sid, err := web.PathID(r, "sid")
	if err != nil {
		return sheetPage{}, err
	}
	sh, err := h.svc.Sheet(r.Context(), web.Actor(r), sid)
	if err != nil {
		return sheetPage{}, err
	}
	if id, err := web.PathID(r, "id"); err != nil || id != sh.Event.ID {
		return sheetPage{}, errNotFoundSession()
	}
	d := sheetPage{Sheet: sh, Total: len(sh.Event.Sessions)}
	for i, ss := range sh.Event.Sessions {
		if ss.ID == sid {
			d.Index = i + 1
		}
	}
	return d, nil
}

func (h *Handler) sheet(w http.ResponseWriter, r *http.Request) {
	d, err := h.sheetData(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "training/sheet", "training.sheet.title", d)
}

// sheetAct runs an action of the attendance sheet and returns to it.
func (h *Handler) sheetAct(w http.ResponseWriter, r *http.Request, anchor string, do func(sid int64) error) {
	d, err := h.sheetData(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if err := do(d.Session.ID); err != nil {
		if d2, err2 := h.sheetData(r); err2 == nil {
			d = d2
		}
		web.RenderForm(w, r, "training/sheet", "training.sheet.title", d, err)
		return
	}
	web.Redirect(w, r, EventLink(d.Event.ID)+"/sesi/"+idString(d.Session.ID)+anchor, "")
}

func (h *Handler) mark(w http.ResponseWriter, r *http.Request) {
	employee, _ := strconv.ParseInt(r.PostFormValue("employee_id"), 10, 64)
	present := r.PostFormValue("present") != "0"
	h.sheetAct(w, r, "#p-"+idString(employee), func(sid int64) error {
		_, err := h.svc.Mark(r.Context(), web.Actor(r), sid, AttendanceInput{EmployeeID: employee, Present: &present})
		return err
	})
}

func (h *Handler) newCode(w http.ResponseWriter, r *http.Request) {
	minutes, err := strconv.Atoi(r.PostFormValue("minutes"))
	if err != nil {
		minutes = int(DefaultCodeTTL.Minutes())
	}
	h.sheetAct(w, r, "#code", func(sid int64) error {
		_, err := h.svc.NewCode(r.Context(), web.Actor(r), sid, time.Duration(minutes)*time.Minute)
		return err
	})
}
