package training

import (
	"net/http"

	"github.com/lontara-id/lontara/internal/web"
)

// DecisionInput is the agency head's answer to a nomination.
type DecisionInput struct {
	Approve bool `json:"approve"`
}

// EnrolInput asks for a person's place at an event.
type EnrolInput struct {
	EmployeeID int64 `json:"employee_id"`
}

// CodeInput asks for a check-in code valid for Minutes (default 15).
type CodeInput struct {
	Minutes int `json:"minutes,omitempty"`
}

// CheckInInput is a code typed by a participant.
type CheckInInput struct {
	Code string `json:"code"`
}

func (h *Handler) apiRoutes(rt *web.Router) {
	const tag = "training"
	rt.API(web.Op{Method: "GET", Path: "/api/v1/activities", ID: "listActivities", Tag: tag,
		Summary: "Learning activities in use, by title",
		Query: append([]web.Param{{Name: "kind", Type: "string", Description: "bimtek, workshop, course, ojt, mentoring, self_study, online_meeting"},
			{Name: "q", Type: "string", Description: "title contains"}}, web.PageParams...),
		Response: Activity{}, List: true}, h.apiActivities)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/activities", ID: "createActivity", Tag: tag,
		Summary: "Add a learning activity with the competencies (by code) and levels it builds and its JP",
		Body:    ActivityInput{}, Response: Activity{}, Status: http.StatusCreated}, h.apiCreateActivity)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/activities/{id}", ID: "getActivity", Tag: tag,
		Summary: "A learning activity", Response: Activity{}}, h.apiActivity)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/events", ID: "listEvents", Tag: tag,
		Summary: "Training events: those not ended, soonest first (past=true: ended ones, latest first)",
		Query: append([]web.Param{{Name: "past", Type: "boolean", Description: "ended events"},
			{Name: "agency_id", Type: "integer", Description: "organized by this agency"},
			{Name: "kind", Type: "string", Description: "of this kind"},
			{Name: "q", Type: "string", Description: "title contains"},
			{Name: "mine", Type: "boolean", Description: "only those I hold or await a place in"}}, web.PageParams...),
		Response: Event{}, List: true}, h.apiEvents)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/events", ID: "createEvent", Tag: tag,
		Summary: "Schedule an event from {title, kind, starts_at, ends_at, capacity, jp} (RFC 3339; ends before starts: 422)",
		Body:    EventInput{}, Response: Event{}, Status: http.StatusCreated}, h.apiCreateEvent)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/events/{id}", ID: "getEvent", Tag: tag,
		Summary: "An event with its sessions, competencies, trainers and seats taken", Response: Event{}}, h.apiEvent)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/events/{id}/cancel", ID: "cancelEvent", Tag: tag,
		Summary: "Call an event off; everyone holding or awaiting a place is told", Response: Event{}}, h.apiCancelEvent)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/events/{id}/sessions", ID: "addSession", Tag: tag,
		Summary: "Add a session (a sitting) to an event", Body: SessionInput{}, Response: Session{},
		Status: http.StatusCreated}, h.apiAddSession)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/events/{id}/enrolments", ID: "listEnrolments", Tag: tag,
		Summary:  "The places at an event the caller may see (everyone for its organizers; an agency's people for its admin and head)",
		Response: Enrolment{}, List: true}, h.apiEnrolments)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/events/{id}/enrolments", ID: "enrol", Tag: tag,
		Summary: "Enrol a person (organizer), oneself (where allowed) or nominate (agency admin): status enrolled or waitlisted",
		Body:    EnrolInput{}, Response: Enrolment{}, Status: http.StatusCreated}, h.apiEnrol)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/enrolments/{id}", ID: "getEnrolment", Tag: tag,
		Summary: "A place at an event", Response: Enrolment{}}, h.apiEnrolment)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/enrolments/{id}/cancel", ID: "cancelEnrolment", Tag: tag,
		Summary: "Give up a place; the seat goes to the oldest in line", Response: Enrolment{}}, h.apiCancelEnrolment)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/enrolments/{id}/approval", ID: "decideEnrolment", Tag: tag,
		Summary: "The agency head approves or declines a nomination (declined frees the seat)",
		Body:    DecisionInput{}, Response: Enrolment{}}, h.apiDecide)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/enrolments/{id}/scores", ID: "setScores", Tag: tag,
		Summary: "Record the pre-test and post-test scores (0..100)", Body: ScoresInput{}, Response: Enrolment{}}, h.apiScores)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/approvals", ID: "listApprovals", Tag: tag,
		Summary: "Nominations awaiting the caller's answer as agency head", Response: Enrolment{}, List: true}, h.apiApprovals)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/sessions/{id}/attendance", ID: "markAttendance", Tag: tag,
		Summary: "Mark a participant present (present=false takes it back); a person not enrolled is 422",
		Body:    AttendanceInput{}, Response: Attendance{}, Status: http.StatusCreated}, h.apiMark)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/sessions/{id}/attendance", ID: "sessionAttendance", Tag: tag,
		Summary:  "A session's attendance: everyone holding a seat, by name, present or not (those who run the event)",
		Response: AttendanceRow{}, List: true}, h.apiSheet)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/sessions/{id}/codes", ID: "createCheckinCode", Tag: tag,
		Summary: "Make a check-in code to show in the room", Body: CodeInput{}, Response: Code{},
		Status: http.StatusCreated}, h.apiCode)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/checkin", ID: "checkIn", Tag: tag,
		Summary: "Check in with the code shown in the room (unknown or expired: 422; used again: 409)",
		Body:    CheckInInput{}, Response: Attendance{}, Status: http.StatusCreated}, h.apiCheckIn)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/events/{id}/evaluation", ID: "evaluateEvent", Tag: tag,
		Summary: "Give one's reaction to an event attended (four ratings 1..5 and a comment)",
		Body:    EvaluationInput{}, Response: EvaluationInput{}}, h.apiEvaluate)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/events/{id}/evaluations", ID: "eventReaction", Tag: tag,
		Summary: "The participants' reactions summed up, without names (organizers)", Response: Reaction{}}, h.apiReaction)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/events/{id}/finish", ID: "finishEvent", Tag: tag,
		Summary:  "Finish an event: participants who attended complete it (JP ledger, competency evidence)",
		Response: Finished{}}, h.apiFinish)
}

// withID runs fn with the path's id, or answers 404 for a malformed one.
func withID(fn func(w http.ResponseWriter, r *http.Request, id int64)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := web.PathID(r, "id")
		if err != nil {
			web.WriteProblem(w, r, err)
			return
		}
		fn(w, r, id)
	}
}

func answer(w http.ResponseWriter, r *http.Request, v any, err error) {
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, v)
}

func (h *Handler) apiActivities(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, func(r *http.Request) (ActivityFilter, error) {
		return ActivityFilter{Kind: web.QueryString(r, "kind"), Q: web.QueryString(r, "q")}, nil
	}, h.svc.Activities)
}

func (h *Handler) apiCreateActivity(w http.ResponseWriter, r *http.Request) {
	var in ActivityInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	a, err := h.svc.CreateActivity(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/activities/"+idString(a.ID), a)
}

func (h *Handler) apiActivity(w http.ResponseWriter, r *http.Request) {
	withID(func(w http.ResponseWriter, r *http.Request, id int64) {
		a, err := h.svc.Activity(r.Context(), id)
		answer(w, r, a, err)
	})(w, r)
}

func (h *Handler) apiEvents(w http.ResponseWriter, r *http.Request) {
	page, err := web.ListPage(r)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	agency, err := web.QueryID(r, "agency_id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	f := EventFilter{Past: r.URL.Query().Get("past") == "true", AgencyID: agency, Kind: web.QueryString(r, "kind"),
		Q: web.QueryString(r, "q")}
	if a := web.Actor(r); a != nil && r.URL.Query().Get("mine") == "true" {
		f.EmployeeID = &a.EmployeeID
	}
	list, next, err := h.svc.Events(r.Context(), web.Actor(r), f, page)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, next)
}

func (h *Handler) apiCreateEvent(w http.ResponseWriter, r *http.Request) {
	var in EventInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	e, err := h.svc.CreateEvent(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/events/"+idString(e.ID), e)
}

func (h *Handler) apiEvent(w http.ResponseWriter, r *http.Request) {
	withID(func(w http.ResponseWriter, r *http.Request, id int64) {
		e, err := h.svc.Event(r.Context(), web.Actor(r), id)
		answer(w, r, e, err)
	})(w, r)
}

func (h *Handler) apiCancelEvent(w http.ResponseWriter, r *http.Request) {
	withID(func(w http.ResponseWriter, r *http.Request, id int64) {
		if err := h.svc.CancelEvent(r.Context(), web.Actor(r), id); err != nil {
			web.WriteProblem(w, r, err)
			return
		}
		e, err := h.svc.Event(r.Context(), web.Actor(r), id)
		answer(w, r, e, err)
	})(w, r)
}

func (h *Handler) apiAddSession(w http.ResponseWriter, r *http.Request) {
	withID(func(w http.ResponseWriter, r *http.Request, id int64) {
		var in SessionInput
		if err := web.DecodeJSON(w, r, &in); err != nil {
			web.WriteProblem(w, r, err)
			return
		}
		ss, err := h.svc.AddSession(r.Context(), web.Actor(r), id, in)
		if err != nil {
			web.WriteProblem(w, r, err)
			return
		}
		web.WriteCreated(w, "/api/v1/events/"+idString(id), ss)
	})(w, r)
}
