package helpdesk

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/calendar"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// calendarRoutes mounts the SLA policies and holidays: the page
// /layanan/kalender (the help desk reads it, the superadmin changes it) and
// their API.
func (h *Handler) calendarRoutes(rt *web.Router) {
	rt.Page("GET /layanan/kalender", h.calendarPage)
	rt.Page("POST /layanan/kalender/libur", h.holidayAddPost)
	rt.Page("POST /layanan/kalender/libur/{date}/hapus", h.holidayRemovePost)
	rt.Page("POST /layanan/kalender/sla/{priority}", h.slaPost)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/holidays", ID: "listHolidays", Tag: "helpdesk",
		Summary:  "The holidays working-hours SLA clocks and LAPOR! working days skip, earliest first (help desk staff)",
		Query:    []web.Param{{Name: "year", Type: "integer", Description: "only from 1 January of this year on"}},
		Response: calendar.Holiday{}, List: true}, h.apiHolidays)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/holidays", ID: "addHoliday", Tag: "helpdesk",
		Summary: "Add a holiday (superadmin); a date already a holiday is 409",
		Body:    calendar.Holiday{}, Response: calendar.Holiday{}, Status: http.StatusCreated}, h.apiAddHoliday)
	rt.API(web.Op{Method: "DELETE", Path: "/api/v1/holidays/{date}", ID: "removeHoliday", Tag: "helpdesk",
		Summary: "Make a date (YYYY-MM-DD) a working day again (superadmin)", Status: http.StatusNoContent},
		h.apiRemoveHoliday)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/sla-policies", ID: "listSLAPolicies", Tag: "helpdesk",
		Summary:  "Each priority's first-response and resolution targets in minutes and their calendar (help desk staff)",
		Response: SLAPolicy{}, List: true}, h.apiSLAPolicies)
	rt.API(web.Op{Method: "PUT", Path: "/api/v1/sla-policies/{priority}", ID: "setSLAPolicy", Tag: "helpdesk",
		Summary: "Set a priority's targets and calendar, 24x7 or working (superadmin); filed tickets keep their dues",
		Body:    SLAPolicyInput{}, Response: SLAPolicy{}}, h.apiSetSLAPolicy)
}

// calendarData is what /layanan/kalender shows.
type calendarData struct {
	Policies  []SLAPolicy
	Holidays  []calendar.Holiday
	Week      []weekRow
	Kinds     []string
	Year      int
	CanManage bool
}

// weekRow is a weekday's working hours as the page shows them ("" off).
type weekRow struct {
	Day   int // time.Weekday, for its name
	Hours string
}

func hhmm(d time.Duration) string {
	return fmt.Sprintf("%02d.%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

func (h *Handler) calendarView(r *http.Request) (calendarData, error) {
	actor := web.Actor(r)
	year := time.Now().In(h.desk.zone).Year()
	policies, err := h.desk.SLAPolicies(r.Context(), actor)
	if err != nil {
		return calendarData{}, err
	}
	holidays, err := h.desk.Holidays(r.Context(), actor, year)
	if err != nil {
		return calendarData{}, err
	}
	d := calendarData{Policies: policies, Holidays: holidays, Kinds: calendar.Kinds, Year: year,
		CanManage: policy.Can(actor, policy.SLAManage, policy.Target{})}
	for i := range 7 {
		day := (i + 1) % 7 // Monday first
		row := weekRow{Day: day}
		if hours := h.desk.week[day]; !hours.Off() {
			row.Hours = hhmm(hours.From) + "–" + hhmm(hours.To)
		}
		d.Week = append(d.Week, row)
	}
	return d, nil
}

func (h *Handler) calendarPage(w http.ResponseWriter, r *http.Request) {
	d, err := h.calendarView(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "kalender/calendar", "calendar.title", d)
}

// calendarFailed shows the page again with the form's errors.
func (h *Handler) calendarFailed(w http.ResponseWriter, r *http.Request, err error) {
	d, derr := h.calendarView(r)
	if derr != nil {
		web.Fail(w, r, derr)
		return
	}
	web.RenderForm(w, r, "kalender/calendar", "calendar.title", d, err)
}

func (h *Handler) holidayAddPost(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		web.Fail(w, r, errs.New(errs.Invalid, "invalid"))
		return
	}
	in := calendar.Holiday{Date: r.PostFormValue("date"), Name: r.PostFormValue("name")}
	if _, err := h.desk.AddHoliday(r.Context(), web.Actor(r), in); err != nil {
		h.calendarFailed(w, r, err)
		return
	}
	web.Redirect(w, r, "/layanan/kalender", "calendar.flash.added")
}

func (h *Handler) holidayRemovePost(w http.ResponseWriter, r *http.Request) {
	if err := h.desk.RemoveHoliday(r.Context(), web.Actor(r), r.PathValue("date")); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/layanan/kalender", "calendar.flash.removed")
}

// formMinutes reads a whole number of minutes; anything else is 0, which
// the service refuses with the field's rule.
func formMinutes(r *http.Request, name string) int {
	n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue(name)))
	if err != nil {
		return 0
	}
	return n
}

func (h *Handler) slaPost(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		web.Fail(w, r, errs.New(errs.Invalid, "invalid"))
		return
	}
	in := SLAPolicyInput{FirstResponseMinutes: formMinutes(r, "first_response_minutes"),
		ResolutionMinutes: formMinutes(r, "resolution_minutes"), Calendar: r.PostFormValue("calendar")}
	if _, err := h.desk.UpdateSLAPolicy(r.Context(), web.Actor(r), r.PathValue("priority"), in); err != nil {
		h.calendarFailed(w, r, err)
		return
	}
	web.Redirect(w, r, "/layanan/kalender", "calendar.flash.policy_saved")
}

func (h *Handler) apiHolidays(w http.ResponseWriter, r *http.Request) {
	year, err := web.QueryID(r, "year")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	list, err := h.desk.Holidays(r.Context(), web.Actor(r), int(deref(year)))
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, "")
}

func (h *Handler) apiAddHoliday(w http.ResponseWriter, r *http.Request) {
	var in calendar.Holiday
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	out, err := h.desk.AddHoliday(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/holidays/"+out.Date, out)
}

func (h *Handler) apiRemoveHoliday(w http.ResponseWriter, r *http.Request) {
	if err := h.desk.RemoveHoliday(r.Context(), web.Actor(r), r.PathValue("date")); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) apiSLAPolicies(w http.ResponseWriter, r *http.Request) {
	list, err := h.desk.SLAPolicies(r.Context(), web.Actor(r))
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, "")
}

func (h *Handler) apiSetSLAPolicy(w http.ResponseWriter, r *http.Request) {
	var in SLAPolicyInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	out, err := h.desk.UpdateSLAPolicy(r.Context(), web.Actor(r), r.PathValue("priority"), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, out)
}
