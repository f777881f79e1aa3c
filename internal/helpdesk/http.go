package helpdesk

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

// Handler serves the help desk in the API.
type Handler struct{ desk *Service }

// NewHandler returns the handler over the help desk service.
func NewHandler(s *Service) *Handler { return &Handler{desk: s} }

// patchFields are the members a PATCH of a ticket may carry.
var patchFields = []string{"status", "priority", "category", "team_id", "assignee_id", "app_id", "tags"}

// Routes mounts the help desk's API: tickets and teams.
func (h *Handler) Routes(rt *web.Router) {
	h.reporterPages(rt)
	h.agentPages(rt)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/tickets", ID: "listTickets", Tag: "helpdesk",
		Summary: "The tickets the caller may see, most recently changed first",
		Query: append(append([]web.Param{
			{Name: "status", Type: "string", Description: "new, open, pending, resolved or closed"},
		}, filterParams...), web.PageParams...),
		Response: Ticket{}, List: true}, h.apiList)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/tickets/counts", ID: "countTickets", Tag: "helpdesk",
		Summary: "How many of the tickets the caller may see are in each status, with the list's filters",
		Query:   filterParams, Response: Counts{}}, h.apiCounts)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/tickets", ID: "createTicket", Tag: "helpdesk",
		Summary: "File a ticket (agents may file for another account or an outside contact)",
		Body:    TicketInput{}, Response: Ticket{}, Status: http.StatusCreated}, h.apiCreate)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/tickets/{number}", ID: "getTicket", Tag: "helpdesk",
		Summary:  "A ticket with its conversation and history; its ETag is what PATCH takes in If-Match",
		Response: Ticket{}}, h.apiGet)
	rt.API(web.Op{Method: "PATCH", Path: "/api/v1/tickets/{number}", ID: "updateTicket", Tag: "helpdesk",
		Summary: "Work a ticket (JSON merge patch; If-Match with the ETag is required: 428 without, 409 when stale)",
		Body:    TicketPatch{}, Patch: true, Response: Ticket{}}, h.apiPatch)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/tickets/{number}/replies", ID: "replyTicket", Tag: "helpdesk",
		Summary: "Reply to a ticket; internal: true makes a note only the help desk sees",
		Body:    ReplyInput{}, Response: Message{}, Status: http.StatusCreated}, h.apiReply)
	h.teamRoutes(rt)
	h.attachRoutes(rt)
	h.calendarRoutes(rt)
	h.laporRoutes(rt)
	h.deskRoutes(rt)
	h.relationRoutes(rt)
	h.routingRoutes(rt)
	h.reportRoutes(rt)
}

// filterParams are the filters of the ticket list and its counts.
var filterParams = []web.Param{
	{Name: "category", Type: "string", Description: "network, application, procedure, account, request or other"},
	{Name: "team_id", Type: "integer", Description: "only tickets of this team"},
	{Name: "assignee_id", Type: "integer", Description: "only tickets assigned to this account"},
	{Name: "reporter_id", Type: "integer", Description: "only tickets reported by this account"},
	{Name: "agency_id", Type: "integer", Description: "only tickets of reporters in this agency"},
	{Name: "app_id", Type: "integer", Description: "only tickets about this application"},
	{Name: "q", Type: "string", Description: "part of the subject, ignoring case, or a ticket number"},
}

// etag is a ticket's entity tag: its version, which every change raises.
func etag(t Ticket) string { return `"` + strconv.Itoa(t.Version) + `"` }

// apiFilter reads the filters of a list or count request.
func apiFilter(r *http.Request) (TicketFilter, error) {
	var f TicketFilter
	var err error
	for _, q := range []struct {
		name string
		dst  **int64
	}{{"team_id", &f.TeamID}, {"assignee_id", &f.AssigneeID}, {"reporter_id", &f.ReporterID}, {"agency_id", &f.AgencyID},
		{"app_id", &f.AppID}} {
		if *q.dst, err = web.QueryID(r, q.name); err != nil {
			return f, err
		}
	}
	f.Status, f.Category, f.Query = web.QueryString(r, "status"), web.QueryString(r, "category"), web.QueryString(r, "q")
	return f, nil
}

func (h *Handler) apiList(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, apiFilter, func(ctx context.Context, f TicketFilter, p db.Page) ([]Ticket, string, error) {
		return h.desk.ListTickets(ctx, web.Actor(r), f, p)
	})
}

func (h *Handler) apiCounts(w http.ResponseWriter, r *http.Request) {
	f, err := apiFilter(r)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	n, err := h.desk.CountTickets(r.Context(), web.Actor(r), f, 0)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, n)
}

func (h *Handler) apiCreate(w http.ResponseWriter, r *http.Request) {
	var in TicketInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	if in.Channel == "" {
		in.Channel = "api"
	}
	t, err := h.desk.CreateTicket(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(t))
	web.WriteCreated(w, "/api/v1/tickets/"+t.Number, t)
}

// writeTicket answers with the ticket read whole and its ETag.
func (h *Handler) writeTicket(w http.ResponseWriter, r *http.Request, number string) {
	t, err := h.desk.GetTicket(r.Context(), web.Actor(r), number)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(t))
	web.WriteJSON(w, http.StatusOK, t)
}

func (h *Handler) apiGet(w http.ResponseWriter, r *http.Request) {
	h.writeTicket(w, r, r.PathValue("number"))
}

// ifMatch reads the version a change is made against from If-Match ("*"
// is AnyVersion); a missing or unreadable header is refused with 428
// rather than guessed, so no client overwrites a change it has not seen.
func ifMatch(r *http.Request) (version int, ok bool) {
	version, present := web.IfMatch(r)
	return version, present && version >= AnyVersion
}

func (h *Handler) apiPatch(w http.ResponseWriter, r *http.Request) {
	number := r.PathValue("number")
	version, ok := ifMatch(r)
	if !ok {
		web.WriteProblem(w, r, errs.New(errs.Precondition, "ticket.if_match"))
		return
	}
	m, err := web.DecodePatch(w, r, patchFields...)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	p, err := patchOf(m)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	if _, err := h.desk.UpdateTicket(r.Context(), web.Actor(r), number, version, p); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	h.writeTicket(w, r, number)
}

// patchOf reads a merge patch into a TicketPatch. A null clears the team,
// the assignee or the application; the other fields cannot be cleared.
func patchOf(m map[string]json.RawMessage) (TicketPatch, error) {
	var p TicketPatch
	var v errs.Validation
	for _, f := range []struct {
		name string
		dst  **string
	}{{"status", &p.Status}, {"priority", &p.Priority}, {"category", &p.Category}} {
		web.PatchMember(m, &v, f.name, f.dst, false)
	}
	for _, f := range []struct {
		name string
		dst  **int64
		set  *bool
	}{{"team_id", &p.TeamID, &p.SetTeam}, {"assignee_id", &p.AssigneeID, &p.SetAssignee}, {"app_id", &p.AppID, &p.SetApp}} {
		present, err := web.PatchValue(m, f.name, f.dst)
		if err != nil {
			v.Add(f.name, "json_type")
		}
		*f.set = present
	}
	present, err := web.PatchValue(m, "tags", &p.Tags)
	if err != nil {
		v.Add("tags", "json_type")
	} else if present && p.Tags == nil {
		p.Tags = &[]string{}
	}
	return p, v.Err()
}

func (h *Handler) apiReply(w http.ResponseWriter, r *http.Request) {
	var in ReplyInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	number := r.PathValue("number")
	m, err := h.desk.AddReply(r.Context(), web.Actor(r), number, in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/tickets/"+strings.ToUpper(number), m)
}
