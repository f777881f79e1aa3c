package helpdesk

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/web"
)

// ticketData is what the agent's ticket page shows.
type ticketData struct {
	Ticket
	Agency, Assignee, Team, App string
	Choices                     Choices
	Statuses, Priorities        []string
	Categories                  []string
	Mine                        bool  // assigned to the viewer already
	Me                          int64 // the viewer's account, for "assign to me"
	// The ticket's team, assignee and application ids, 0 for none, for the
	// change form's selects.
	TeamSel, AssigneeSel, AppSel int64
	Events                       []eventRow
	Limits                       FileLimits
	Lapor                        *laporView // the LAPOR! complaint, nil when the ticket is none
	Rel                          Relations  // links, problem, canned replies (relations.partial.html)
}

// eventRow is a history entry as the page shows it: codes and ids turned
// into words and names.
type eventRow struct {
	Event
	From, To string
}

// eventRows names the values of the history: statuses, priorities and
// categories by their i18n keys' words, teams, agents and applications by
// name. A reply or a note is shown by its kind alone.
func eventRows(lang string, events []Event, c Choices) []eventRow {
	word := func(kind, v string) string {
		if v == "" {
			return ""
		}
		switch kind {
		case "status", "priority", "category":
			return i18n.T(lang, "agent."+kind+"."+v)
		case "created": // the status the ticket was filed with
			return i18n.T(lang, "agent.status."+v)
		case "team", "assignee", "app":
			opts := map[string][]web.Option{"team": c.Teams, "assignee": c.Agents, "app": c.Apps}[kind]
			if id, err := strconv.ParseInt(v, 10, 64); err == nil {
				if name := Name(opts, &id); name != "" {
					return name
				}
			}
		case "reply", "note", "first_response":
			return ""
		case "escalation":
			return i18n.T(lang, "routing.escalation."+v)
		}
		return v
	}
	rows := make([]eventRow, len(events))
	for i, e := range events {
		rows[i] = eventRow{Event: e, From: word(e.Kind, e.Old), To: word(e.Kind, e.New)}
	}
	return rows
}

// conflictData is the page shown when another agent changed the ticket
// first: the message names who, and the page offers to reload.
type conflictData struct {
	Number, Message string
}

// ticketView reads the ticket whole with the names of its ids.
func (h *Handler) ticketView(r *http.Request) (ticketData, error) {
	actor := web.Actor(r)
	choices, err := h.desk.Choices(r.Context(), actor)
	if err != nil {
		return ticketData{}, err
	}
	t, err := h.desk.GetTicket(r.Context(), actor, r.PathValue("number"))
	if err != nil {
		return ticketData{}, err
	}
	lapor, err := h.desk.laporOf(r.Context(), t.ID)
	if err != nil {
		return ticketData{}, err
	}
	rel, err := h.desk.TicketRelations(r.Context(), actor, t, cannedChoice(r))
	if err != nil {
		return ticketData{}, err
	}
	return ticketData{Ticket: t, Agency: Name(choices.Agencies, t.AgencyID), Assignee: Name(choices.Agents, t.AssigneeID),
		Team: Name(choices.Teams, t.TeamID), App: Name(choices.Apps, t.AppID), Choices: choices,
		Statuses: Statuses, Priorities: Priorities, Categories: Categories,
		Mine: t.AssigneeID != nil && *t.AssigneeID == actor.AccountID, Me: actor.AccountID,
		TeamSel: deref(t.TeamID), AssigneeSel: deref(t.AssigneeID), AppSel: deref(t.AppID),
		Events: eventRows(web.Lang(r), t.History, choices), Limits: h.desk.FileLimits(), Lapor: lapor, Rel: rel}, nil
}

func (h *Handler) ticketPage(w http.ResponseWriter, r *http.Request) {
	d, err := h.ticketView(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "helpdesk/agent_ticket", "agent.ticket.title", d)
}

// formFailed shows the ticket again with the form's errors, or the
// conflict page when another agent changed the ticket meanwhile.
func (h *Handler) formFailed(w http.ResponseWriter, r *http.Request, err error) {
	if e := errs.As(err); e != nil && e.Key == "ticket.stale" {
		web.Render(w, r, http.StatusConflict, "helpdesk/agent_conflict", "agent.conflict.title",
			conflictData{Number: strings.ToUpper(r.PathValue("number")), Message: e.Message(web.Lang(r))})
		return
	}
	d, derr := h.ticketView(r)
	if derr != nil {
		web.Fail(w, r, derr)
		return
	}
	web.RenderForm(w, r, "helpdesk/agent_ticket", "agent.ticket.title", d, err)
}

func (h *Handler) replyPost(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		web.Fail(w, r, errs.New(errs.Invalid, "invalid"))
		return
	}
	number := strings.ToUpper(r.PathValue("number"))
	in := ReplyInput{Body: r.PostFormValue("body"), Internal: r.PostFormValue("internal") == "1"}
	if s := strings.TrimSpace(r.PostFormValue("time_spent_minutes")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			h.formFailed(w, r, errs.FieldErr("time_spent_minutes", "ticket.time_spent", maxTimeSpent))
			return
		}
		in.TimeSpentMinutes = n
	}
	files, err := formFiles(r)
	if err == nil {
		in.Attachments = files
		_, err = h.desk.AddReply(r.Context(), web.Actor(r), number, in)
	}
	if err != nil {
		h.formFailed(w, r, err)
		return
	}
	flash := "agent.flash.replied"
	if in.Internal {
		flash = "agent.flash.noted"
	}
	web.Redirect(w, r, "/layanan/"+number, flash)
}

// formPatch reads the change form: only the fields the form carries
// change, so "assign to me" (assignee_id alone) touches nothing else. An
// empty team, assignee or application clears it.
func formPatch(r *http.Request) (TicketPatch, error) {
	var p TicketPatch
	var v errs.Validation
	for _, f := range []struct {
		name string
		dst  **string
	}{{"status", &p.Status}, {"priority", &p.Priority}, {"category", &p.Category}} {
		if vals, ok := r.PostForm[f.name]; ok {
			s := strings.TrimSpace(vals[0])
			*f.dst = &s
		}
	}
	for _, f := range []struct {
		name string
		dst  **int64
		set  *bool
	}{{"team_id", &p.TeamID, &p.SetTeam}, {"assignee_id", &p.AssigneeID, &p.SetAssignee}, {"app_id", &p.AppID, &p.SetApp}} {
		vals, ok := r.PostForm[f.name]
		if !ok {
			continue
		}
		*f.set = true
		if s := strings.TrimSpace(vals[0]); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n < 1 {
				v.Add(f.name, "number")
				continue
			}
			*f.dst = &n
		}
	}
	return p, v.Err()
}

func (h *Handler) updatePost(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		web.Fail(w, r, errs.New(errs.Invalid, "invalid"))
		return
	}
	number := strings.ToUpper(r.PathValue("number"))
	version, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil || version < 1 {
		// The form always carries the version it was shown with; without
		// it a change could overwrite another agent's unseen.
		h.formFailed(w, r, errs.FieldErr("version", "number"))
		return
	}
	p, err := formPatch(r)
	if err != nil {
		h.formFailed(w, r, err)
		return
	}
	if _, err := h.desk.UpdateTicket(r.Context(), web.Actor(r), number, version, p); err != nil {
		h.formFailed(w, r, err)
		return
	}
	web.Redirect(w, r, "/layanan/"+number, "agent.flash.saved")
}
