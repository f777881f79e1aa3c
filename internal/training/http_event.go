package training

import (
	"net/http"
	"strconv"
	"time"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// eventPage is an event's page.
type eventPage struct {
	Event     Event
	CanManage bool
	Mine      *Enrolment // the reader's own place
	Roster    Roster
	Gain      Gain
	Reaction  *Reaction
	Started   bool // the first session has begun
	Ended     bool
	CanEnrol  bool // the reader may enrol themselves now
	CanAdd    bool // the reader may add or nominate people
	CanFinish bool
	Today     string // the session form's default date
}

func (h *Handler) eventPage(w http.ResponseWriter, r *http.Request) {
	e, ok := h.event(w, r)
	if !ok {
		return
	}
	d, err := h.eventData(r, e)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "training/event", "training.event.title", d)
}

func (h *Handler) eventData(r *http.Request, e Event) (eventPage, error) {
	ctx, actor := r.Context(), web.Actor(r)
	at := time.Now()
	d := eventPage{Event: e, Started: !at.Before(e.StartsAt), Ended: !at.Before(e.EndsAt),
		Today: at.In(h.svc.zone).Format(time.DateOnly)}
	var err error
	if d.Roster, err = h.svc.Enrolments(ctx, actor, e); err != nil {
		return d, err
	}
	d.CanManage = d.Roster.All // decided once, by policy, for the roster
	for i := range d.Roster.People {
		if d.Roster.People[i].EmployeeID == actor.EmployeeID && d.Roster.People[i].Status != Cancelled {
			d.Mine = &d.Roster.People[i]
		}
	}
	open := e.Open() && !d.Ended
	d.CanEnrol = open && e.SelfEnrol && d.Mine == nil && actor.EmployeeID != 0 &&
		(e.AgencyID == nil || *e.AgencyID == actor.AgencyID)
	d.CanAdd = e.Open() && (d.CanManage || (!d.Ended && len(agenciesFor(actor, policy.EnrolmentNominate)) > 0))
	d.CanFinish = d.CanManage && e.Open() && len(e.Sessions) > 0 && !at.Before(e.Sessions[len(e.Sessions)-1].StartsAt)
	if d.CanManage {
		d.Gain = LearningGain(d.Roster.People)
		re, err := h.svc.reaction(ctx, e.ID)
		if err != nil {
			return d, err
		}
		d.Reaction = &re
	}
	return d, nil
}

// act runs a form's action on the event and returns to its page with a
// flash; a refusal about the input or the event's state shows the page
// again with the message.
func (h *Handler) act(w http.ResponseWriter, r *http.Request, flash string, do func(Event) error) {
	e, ok := h.event(w, r)
	if !ok {
		return
	}
	if err := do(e); err != nil {
		if errs.Is(err, errs.Invalid) || errs.Is(err, errs.Conflict) {
			if e2, err2 := h.svc.Event(r.Context(), web.Actor(r), e.ID); err2 == nil {
				e = e2
			}
			d, derr := h.eventData(r, e)
			if derr != nil {
				web.Fail(w, r, derr)
				return
			}
			web.RenderForm(w, r, "training/event", "training.event.title", d, err)
			return
		}
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, EventLink(e.ID), flash)
}

func (h *Handler) cancelEvent(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "training.flash.event_cancelled", func(e Event) error {
		return h.svc.CancelEvent(r.Context(), web.Actor(r), e.ID)
	})
}

func (h *Handler) finish(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "training.flash.finished", func(e Event) error {
		_, err := h.svc.Finish(r.Context(), web.Actor(r), e.ID)
		return err
	})
}

func (h *Handler) enrolSelf(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "training.flash.enrolled", func(e Event) error {
		_, err := h.svc.Enrol(r.Context(), web.Actor(r), e.ID, web.Actor(r).EmployeeID)
		return err
	})
}

func (h *Handler) cancelEnrolment(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "nid")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	h.act(w, r, "training.flash.enrolment_cancelled", func(e Event) error {
		n, err := h.svc.Enrolment(r.Context(), web.Actor(r), id)
		if err != nil {
			return err
		}
		if n.EventID != e.ID {
			return errs.New(errs.NotFound, "training.enrolment_not_found")
		}
		return h.svc.CancelEnrolment(r.Context(), web.Actor(r), id)
	})
}

func (h *Handler) addSession(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "training.flash.session_added", func(e Event) error {
		in := SessionInput{Place: r.PostFormValue("place"), Link: r.PostFormValue("link")}
		in.StartsAt, in.EndsAt = h.span(r, "session_")
		_, err := h.svc.AddSession(r.Context(), web.Actor(r), e.ID, in)
		return err
	})
}

func (h *Handler) removeSession(w http.ResponseWriter, r *http.Request) {
	sid, err := web.PathID(r, "sid")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	h.act(w, r, "training.flash.session_removed", func(e Event) error {
		if ss, err := findSession(r.Context(), h.svc.db.R, sid); err != nil || ss.EventID != e.ID {
			return errs.New(errs.NotFound, "training.session_not_found")
		}
		return h.svc.RemoveSession(r.Context(), web.Actor(r), sid)
	})
}

// span reads a date and a start and end time (fields <prefix>date,
// <prefix>start, <prefix>end) in the city's zone; what does not parse is
// left zero for the service to name.
func (h *Handler) span(r *http.Request, prefix string) (time.Time, time.Time) {
	date := r.PostFormValue(prefix + "date")
	start, err1 := time.ParseInLocation("2006-01-02 15:04", date+" "+r.PostFormValue(prefix+"start"), h.svc.zone)
	end, err2 := time.ParseInLocation("2006-01-02 15:04", date+" "+r.PostFormValue(prefix+"end"), h.svc.zone)
	if err1 != nil {
		return time.Time{}, time.Time{}
	}
	if err2 != nil {
		return start, time.Time{}
	}
	return start, end
}

// addPage lists people to enrol or nominate.
type addPage struct {
	Event      Event
	Q          string
	Candidates []Candidate
	CanManage  bool
	Failed     string // the person refused, named with the reason
}

func (h *Handler) addForm(w http.ResponseWriter, r *http.Request) {
	e, ok := h.event(w, r)
	if !ok {
		return
	}
	d, err := h.addData(r, e, r.URL.Query().Get("q"))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "training/add", "training.add.title", d)
}

func (h *Handler) addData(r *http.Request, e Event, q string) (addPage, error) {
	d := addPage{Event: e, Q: q}
	var err error
	if d.CanManage, err = h.svc.CanManage(r.Context(), web.Actor(r), e); err != nil {
		return d, err
	}
	d.Candidates, err = h.svc.Candidates(r.Context(), web.Actor(r), e.ID, q)
	return d, err
}

func (h *Handler) add(w http.ResponseWriter, r *http.Request) {
	e, ok := h.event(w, r)
	if !ok {
		return
	}
	people := idsOf(r, "employee_id")
	failed, err := h.svc.EnrolMany(r.Context(), web.Actor(r), e.ID, people)
	if err == nil {
		web.Redirect(w, r, EventLink(e.ID), "training.flash.added")
		return
	}
	if !errs.Is(err, errs.Invalid) && !errs.Is(err, errs.Conflict) && !errs.Is(err, errs.Forbidden) {
		web.Fail(w, r, err)
		return
	}
	d, derr := h.addData(r, e, r.PostFormValue("q"))
	if derr != nil {
		web.Fail(w, r, derr)
		return
	}
	if failed != 0 {
		name := "#" + strconv.FormatInt(failed, 10)
		for _, c := range d.Candidates {
			if c.EmployeeID == failed {
				name = c.Name
			}
		}
		d.Failed = name + ": " + errs.As(err).Message(web.Lang(r))
		err = errs.New(errs.Conflict, "training.add_refused")
	}
	web.RenderForm(w, r, "training/add", "training.add.title", d, err)
}
