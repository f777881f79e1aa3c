package helpdesk

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// rosterWeek is how far ahead the roster page and the shift list look.
const rosterWeek = 7 * 24 * time.Hour

// rosterRoutes mounts the on-call roster's API and its page; times typed
// into the page's form are in the city's zone.
func (h *Handler) rosterRoutes(rt *web.Router) {
	zone := rt.Server().Location()
	rt.API(web.Op{Method: "GET", Path: "/api/v1/teams/on-duty", ID: "teamsOnDuty", Tag: "helpdesk",
		Summary: "Every team with its agents on duty now (help desk staff)", Response: TeamDuty{}, List: true},
		h.apiOnDuty)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/teams/{id}/shifts", ID: "listShifts", Tag: "helpdesk",
		Summary: "A team's shifts overlapping from–to (RFC 3339; by default the coming week), by start (help desk staff)",
		Query: []web.Param{{Name: "from", Type: "string", Description: "RFC 3339 time, default now"},
			{Name: "to", Type: "string", Description: "RFC 3339 time, default a week after from"}},
		Response: Shift{}, List: true}, h.apiShifts)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/teams/{id}/shifts", ID: "addShift", Tag: "helpdesk",
		Summary: "Put a member of the team on call from starts_at to ends_at, at most a day; 422 if not a member, 409 if it overlaps their shifts (the team's lead or the superadmin)",
		Body:    ShiftInput{}, Response: Shift{}, Status: http.StatusCreated}, h.apiAddShift)
	rt.API(web.Op{Method: "DELETE", Path: "/api/v1/shifts/{id}", ID: "deleteShift", Tag: "helpdesk",
		Summary: "Take a shift off the roster (the team's lead or the superadmin)", Status: http.StatusNoContent},
		h.apiDeleteShift)
	rt.Page("GET /layanan/jadwal", func(w http.ResponseWriter, r *http.Request) {
		d, err := h.rosterView(r, zone)
		if err != nil {
			web.Fail(w, r, err)
			return
		}
		web.Render(w, r, http.StatusOK, "helpdesk/roster", "roster.title", d)
	})
	rt.Page("POST /layanan/jadwal", func(w http.ResponseWriter, r *http.Request) { h.addShiftPost(w, r, zone) })
	rt.Page("POST /layanan/jadwal/{id}/hapus", h.deleteShiftPost)
}

func (h *Handler) apiOnDuty(w http.ResponseWriter, r *http.Request) {
	duty, err := h.desk.OnDuty(r.Context(), web.Actor(r), time.Now())
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, duty, "")
}

// queryTime reads an optional RFC 3339 time from the query.
func queryTime(r *http.Request, v *errs.Validation, name string, def time.Time) time.Time {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		v.Add(name, "roster.time")
		return def
	}
	return t
}

func (h *Handler) apiShifts(w http.ResponseWriter, r *http.Request) {
	team, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var v errs.Validation
	from := queryTime(r, &v, "from", time.Now())
	to := queryTime(r, &v, "to", from.Add(rosterWeek))
	if err := v.Err(); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	list, err := h.desk.ListShifts(r.Context(), web.Actor(r), team, from, to)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, "")
}

func (h *Handler) apiAddShift(w http.ResponseWriter, r *http.Request) {
	team, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var in ShiftInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	sh, err := h.desk.AddShift(r.Context(), web.Actor(r), team, in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/teams/"+strconv.FormatInt(team, 10)+"/shifts", sh)
}

func (h *Handler) apiDeleteShift(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err == nil {
		err = h.desk.DeleteShift(r.Context(), web.Actor(r), id)
	}
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// gap is a time no one of a team is on duty.
type gap struct{ From, To time.Time }

// rosterTeam is a team as the roster page shows it: who is on duty now,
// the coming week's shifts, the hours nobody covers, and whether the
// viewer may change its roster.
type rosterTeam struct {
	TeamDuty
	Members []Member
	Coming  []Shift
	Gaps    []gap
	CanEdit bool
}

// rosterData is what the roster page shows.
type rosterData struct {
	Teams    []rosterTeam
	Editable []rosterTeam // the teams whose roster the viewer may change, for the form
	Today    string       // the date the form offers, in the city's zone
}

// gaps returns the times within [from, to) that none of the shifts (by
// start) covers.
func gaps(list []Shift, from, to time.Time) []gap {
	var out []gap
	at := from
	for _, sh := range list {
		if !sh.StartsAt.Before(to) {
			break
		}
		if sh.StartsAt.After(at) {
			out = append(out, gap{at, sh.StartsAt})
		}
		if sh.EndsAt.After(at) {
			at = sh.EndsAt
		}
	}
	if at.Before(to) {
		out = append(out, gap{at, to})
	}
	return out
}

func (h *Handler) rosterView(r *http.Request, zone *time.Location) (rosterData, error) {
	actor := web.Actor(r)
	at := time.Now().UTC()
	duty, err := h.desk.OnDuty(r.Context(), actor, at)
	if err != nil {
		return rosterData{}, err
	}
	teams, err := h.desk.ListTeams(r.Context(), actor)
	if err != nil {
		return rosterData{}, err
	}
	d := rosterData{Teams: make([]rosterTeam, len(duty)), Today: at.In(zone).Format(time.DateOnly)}
	for i, td := range duty {
		rt := rosterTeam{TeamDuty: td}
		for _, t := range teams {
			if t.ID == td.TeamID {
				rt.Members = t.Members
			}
		}
		lead := false
		for _, m := range rt.Members {
			lead = lead || (m.Lead && m.AccountID == actor.AccountID)
		}
		rt.CanEdit = policy.Can(actor, policy.RosterWrite, policy.Target{TeamLead: lead})
		if rt.Coming, err = h.desk.ListShifts(r.Context(), actor, td.TeamID, at, at.Add(rosterWeek)); err != nil {
			return rosterData{}, err
		}
		rt.Gaps = gaps(rt.Coming, at, at.Add(rosterWeek))
		d.Teams[i] = rt
		if rt.CanEdit && len(rt.Members) > 0 {
			d.Editable = append(d.Editable, rt)
		}
	}
	return d, nil
}

// shiftForm reads the page's shift form: the member as "team:account", a
// date and a start and end time of day in zone. An end at or before the
// start is the next day's: a night shift crosses midnight.
func shiftForm(r *http.Request, zone *time.Location) (int64, ShiftInput, error) {
	var v errs.Validation
	var in ShiftInput
	teamText, accountText, _ := strings.Cut(r.PostFormValue("shift_member"), ":")
	team, err1 := strconv.ParseInt(teamText, 10, 64)
	account, err2 := strconv.ParseInt(accountText, 10, 64)
	if err1 != nil || err2 != nil {
		v.Add("shift_member", "required")
	}
	in.AccountID = account
	day, err := time.ParseInLocation(time.DateOnly, r.PostFormValue("shift_date"), zone)
	if err != nil {
		v.Add("shift_date", "roster.date")
	}
	clock := func(name string) time.Duration {
		t, err := time.Parse("15:04", r.PostFormValue(name))
		if err != nil {
			v.Add(name, "roster.clock")
		}
		return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
	}
	start, end := clock("shift_start"), clock("shift_end")
	if err := v.Err(); err != nil {
		return 0, in, err
	}
	in.StartsAt = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, zone).Add(start)
	endDay := day
	if end <= start {
		endDay = day.AddDate(0, 0, 1)
	}
	in.EndsAt = time.Date(endDay.Year(), endDay.Month(), endDay.Day(), 0, 0, 0, 0, zone).Add(end)
	return team, in, nil
}

func (h *Handler) addShiftPost(w http.ResponseWriter, r *http.Request, zone *time.Location) {
	if err := r.ParseForm(); err != nil {
		web.Fail(w, r, errs.New(errs.Invalid, "invalid"))
		return
	}
	team, in, err := shiftForm(r, zone)
	if err == nil {
		_, err = h.desk.AddShift(r.Context(), web.Actor(r), team, in)
	}
	if err != nil {
		d, derr := h.rosterView(r, zone)
		if derr != nil {
			web.Fail(w, r, derr)
			return
		}
		web.RenderForm(w, r, "helpdesk/roster", "roster.title", d,
			formFields(err, map[string]string{"account_id": "shift_member", "starts_at": "shift_start", "ends_at": "shift_end"}))
		return
	}
	web.Redirect(w, r, "/layanan/jadwal", "roster.flash.added")
}

func (h *Handler) deleteShiftPost(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err == nil {
		err = h.desk.DeleteShift(r.Context(), web.Actor(r), id)
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/layanan/jadwal", "roster.flash.deleted")
}

// formFields renames the fields of a validation error to the names of the
// page's form, so each message shows beside its input.
func formFields(err error, names map[string]string) error {
	if e := errs.As(err); e != nil {
		for i, f := range e.Fields {
			if name, ok := names[f.Name]; ok {
				e.Fields[i].Name = name
			}
		}
	}
	return err
}
