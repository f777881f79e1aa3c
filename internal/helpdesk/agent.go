package helpdesk

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// agentPages mounts the support team's workspace: the queue, a ticket with
// its whole conversation, and the forms that work it.
func (h *Handler) agentPages(rt *web.Router) {
	rt.Page("GET /layanan", h.queuePage)
	rt.Page("GET /layanan/{number}", h.ticketPage)
	rt.Upload("POST /layanan/{number}/balas", h.uploadLimit(), h.replyPost)
	rt.Page("POST /layanan/{number}/ubah", h.updatePost)
}

// queueRow is one ticket of the queue as its row shows it: the names its
// ids stand for, the words of its codes and the state of its SLA clock.
// The template reads only the row's own fields, none promoted from an
// embedded Ticket: text/template looks a promoted field up by searching
// the embedded structs on every use (a tenth of the page's CPU at 50
// rows), and a word translated in the template is two more reflective
// calls a row.
type queueRow struct {
	Number, Subject  string
	Reporter         string // the reporter's name, else the contact's name, phone and email
	Agency, Assignee string
	Priority, Status string // codes, for the badges' colours
	// The words of the category, priority and status, in the page's language.
	Category, PriorityWord, StatusWord string
	Due                                time.Time // the clock running now, zero when none runs
	DueState                           string    // "late", "soon" (within the hour) or ""
	UpdatedAt                          time.Time
}

// newQueueRow makes t's row of the queue in lang at time at.
func newQueueRow(t Ticket, lang string, c Choices, at time.Time) queueRow {
	due, state := dueOf(t, at)
	reporter := t.ReporterName
	if reporter == "" {
		reporter = strings.Join(slices.DeleteFunc([]string{t.ContactName, t.ContactPhone, t.ContactEmail},
			func(s string) bool { return s == "" }), " ")
	}
	return queueRow{Number: t.Number, Subject: t.Subject, Reporter: reporter,
		Agency: Name(c.Agencies, t.AgencyID), Assignee: Name(c.Agents, t.AssigneeID),
		Priority: t.Priority, Status: t.Status, Category: i18n.T(lang, "agent.category."+t.Category),
		PriorityWord: i18n.T(lang, "agent.priority."+t.Priority), StatusWord: i18n.T(lang, "agent.status."+t.Status),
		Due: due, DueState: state, UpdatedAt: t.UpdatedAt}
}

// statusTab is one status link above the queue with its count.
type statusTab struct {
	Status string // "" for every status
	Count  int
	More   bool   // there are more than Count: a status held more than countCap
	URL    string // the queue with this status and the other filters, from its first page
}

// statusTabs returns the tabs of every status and of all of them, with
// the counts of c, each counted to limit+1 by CountTickets: a count above
// limit shows as limit with More, and so does the sum of all.
func statusTabs(c Counts, limit int) []statusTab {
	tabs := []statusTab{{Status: ""}, {Status: StatusNew, Count: c.New}, {Status: StatusOpen, Count: c.Open},
		{Status: StatusPending, Count: c.Pending}, {Status: StatusResolved, Count: c.Resolved},
		{Status: StatusClosed, Count: c.Closed}}
	for i := 1; i < len(tabs); i++ {
		if tabs[i].Count > limit {
			tabs[i].Count, tabs[i].More = limit, true
		}
		tabs[0].Count += tabs[i].Count
		tabs[0].More = tabs[0].More || tabs[i].More
	}
	return tabs
}

// countCap is where the queue stops counting a status's tickets; the tab
// then shows "10000+" (see CountTickets).
const countCap = 10000

// queueData is what the queue page shows.
type queueData struct {
	Rows    []queueRow
	Next    string
	Tabs    []statusTab
	Choices Choices
	Me      int64
}

// dueOf returns the SLA clock running for t: the first response until an
// agent answers, then the resolution; none while pending or once resolved.
func dueOf(t Ticket, at time.Time) (time.Time, string) {
	var due time.Time
	switch {
	case t.Status == StatusPending || t.Status == StatusResolved || t.Status == StatusClosed:
		return due, ""
	case t.FirstRespondedAt == nil:
		due = t.FirstResponseDue
	default:
		due = t.ResolutionDue
	}
	switch {
	case due.Before(at):
		return due, "late"
	case due.Before(at.Add(time.Hour)):
		return due, "soon"
	}
	return due, ""
}

// queueFilter reads the queue's filters: the API's, with the assignee
// given as "mine", "none" (no one has taken it) or an account id.
func queueFilter(r *http.Request, actor *policy.Actor) (TicketFilter, error) {
	q := r.URL.Query()
	assignee := q.Get("assignee")
	q.Del("assignee_id")
	switch {
	case assignee == "mine" && actor != nil:
		q.Set("assignee_id", strconv.FormatInt(actor.AccountID, 10))
	case assignee != "" && assignee != "none":
		q.Set("assignee_id", assignee)
	}
	r2 := r.Clone(r.Context())
	r2.URL.RawQuery = q.Encode()
	f, err := apiFilter(r2)
	f.Unassigned = assignee == "none"
	return f, err
}

func (h *Handler) queuePage(w http.ResponseWriter, r *http.Request) {
	actor := web.Actor(r)
	choices, err := h.desk.Choices(r.Context(), actor)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	f, err := queueFilter(r, actor)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	p, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	counts, err := h.desk.CountTickets(r.Context(), actor, f, countCap)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	list, next, err := h.desk.ListTickets(r.Context(), actor, f, p)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	at, lang := time.Now(), web.Lang(r)
	rows := make([]queueRow, len(list))
	for i, t := range list {
		rows[i] = newQueueRow(t, lang, choices, at)
	}
	tabs := statusTabs(counts, countCap)
	for i := range tabs {
		q := r.URL.Query()
		q.Del("cursor")
		q.Set("status", tabs[i].Status)
		tabs[i].URL = "/layanan?" + q.Encode()
	}
	web.Render(w, r, http.StatusOK, "helpdesk/agent_queue", "agent.queue.title",
		queueData{Rows: rows, Next: next, Tabs: tabs, Choices: choices, Me: actor.AccountID})
}
