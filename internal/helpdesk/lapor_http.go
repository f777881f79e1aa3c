package helpdesk

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

// laporRoutes mounts the registration of LAPOR! complaints: a separate
// endpoint rather than a field of the ticket's creation, so a complaint
// first taken by phone can be registered once its LAPOR! ID is known, and
// the ticket's own input stays what every channel files.
func (h *Handler) laporRoutes(rt *web.Router) {
	rt.Page("POST /layanan/{number}/lapor", h.laporPost)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/tickets/{number}/lapor", ID: "registerLapor", Tag: "helpdesk",
		Summary: "Register a ticket as a LAPOR! SP4N complaint with its tracking ID; its working-day clocks start at received_at (default: the ticket's creation) (help desk)",
		Body:    LaporInput{}, Response: LaporComplaint{}, Status: http.StatusCreated}, h.apiRegisterLapor)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/tickets/{number}/lapor", ID: "getLapor", Tag: "helpdesk",
		Summary:  "A ticket's LAPOR! complaint and its clocks: forwarded, followed up, closed automatically (404 when it is none)",
		Response: LaporComplaint{}}, h.apiGetLapor)
}

func (h *Handler) apiRegisterLapor(w http.ResponseWriter, r *http.Request) {
	var in LaporInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	l, err := h.desk.RegisterLapor(r.Context(), web.Actor(r), r.PathValue("number"), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/tickets/"+l.Number+"/lapor", l)
}

func (h *Handler) apiGetLapor(w http.ResponseWriter, r *http.Request) {
	l, err := h.desk.Lapor(r.Context(), web.Actor(r), r.PathValue("number"))
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, l)
}

func (h *Handler) laporPost(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		web.Fail(w, r, errs.New(errs.Invalid, "invalid"))
		return
	}
	number := strings.ToUpper(r.PathValue("number"))
	in := LaporInput{TrackingID: r.PostFormValue("tracking_id")}
	if _, err := h.desk.RegisterLapor(r.Context(), web.Actor(r), number, in); err != nil {
		h.formFailed(w, r, err)
		return
	}
	web.Redirect(w, r, "/layanan/"+number, "lapor.flash.registered")
}

// laporView is a LAPOR! complaint as the agent's ticket page shows it: each
// clock's state, "met", "late" (met after its due), "overdue" (not met and
// past due) or "running".
type laporView struct {
	LaporComplaint
	Forward, Followup string
}

func clockState(due time.Time, done *time.Time, now time.Time) string {
	switch {
	case done != nil && done.After(due):
		return "late"
	case done != nil:
		return "met"
	case now.After(due):
		return "overdue"
	}
	return "running"
}

// laporOf reads the LAPOR! complaint of a ticket already shown to the
// viewer, for the ticket page; nil when it is none.
func (s *Service) laporOf(ctx context.Context, ticketID int64) (*laporView, error) {
	l, ok, err := findLapor(ctx, s.db.R, ticketID)
	if err != nil || !ok {
		return nil, err
	}
	at := time.Now()
	return &laporView{LaporComplaint: l, Forward: clockState(l.ForwardDue, l.ForwardedAt, at),
		Followup: clockState(l.FollowupDue, l.FollowedUpAt, at)}, nil
}
