package helpdesk

import (
	"embed"
	"io/fs"
	"net/http"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// templates holds the help desk's pages: reporter_*.html and rating*.html
// for people asking for help, agent_*.html for the support team.
//
//go:embed templates
var templates embed.FS

// reporterPages registers every help desk page template (the agent pages'
// too, they share the folder) and mounts the pages of people asking for help.
func (h *Handler) reporterPages(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /bantuan", h.reporterList)
	rt.Page("GET /bantuan/baru", h.reporterNew)
	h.selfServiceRoutes(rt)
	rt.Upload("POST /bantuan/baru", h.uploadLimit(), h.reporterCreate)
	rt.Page("GET /bantuan/{number}", h.reporterTicket)
	rt.Upload("POST /bantuan/{number}/balas", h.uploadLimit(), h.reporterReply)
	rt.Page("POST /bantuan/{number}/nilai", h.reporterRate)
	h.ratingRoutes(rt)
	h.statusRoutes(rt)
}

// reporterNewForm is what the "Minta bantuan" form offers.
type reporterNewForm struct {
	Categories []string
	Priorities []string
	Apps       []web.Option
	Limits     FileLimits
	// What "Cari jawaban dulu" found for the form as filled in (Posted).
	Searched    bool
	Suggestions []Suggestion
	Posted      map[string][]string
}

func (h *Handler) reporterForm(r *http.Request) (reporterNewForm, error) {
	apps, err := h.desk.AppChoices(r.Context())
	return reporterNewForm{Categories: Categories, Priorities: ReporterPriorities, Apps: apps,
		Limits: h.desk.FileLimits()}, err
}

func (h *Handler) reporterNew(w http.ResponseWriter, r *http.Request) {
	f, err := h.reporterForm(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "helpdesk/reporter_new", "helpdesk.r.new.title", f)
}

func (h *Handler) reporterCreate(w http.ResponseWriter, r *http.Request) {
	if h.suggestOnForm(w, r) {
		return
	}
	in := TicketInput{Subject: r.PostFormValue("subject"), Body: r.PostFormValue("body"),
		Category: r.PostFormValue("category"), Priority: r.PostFormValue("priority"), Channel: "web"}
	if s := r.PostFormValue("app_id"); s != "" {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			in.AppID = &id
		} else {
			in.AppID = new(int64) // no such application: refused on the field
		}
	}
	var t Ticket
	files, err := formFiles(r)
	if err == nil {
		in.Attachments = files
		t, err = h.desk.CreateTicket(r.Context(), web.Actor(r), in)
	}
	if err != nil {
		f, ferr := h.reporterForm(r)
		if ferr != nil {
			web.Fail(w, r, ferr)
			return
		}
		web.RenderForm(w, r, "helpdesk/reporter_new", "helpdesk.r.new.title", f, err)
		return
	}
	web.Redirect(w, r, "/bantuan/"+t.Number, "helpdesk.r.flash.created")
}

// reporterListPage is what "Tiket saya" shows.
type reporterListPage struct {
	Items    []Ticket
	Next     string
	Agency   bool // the agency's tickets rather than mine
	CanScope bool // the actor administers or heads an agency
}

func (h *Handler) reporterList(w http.ResponseWriter, r *http.Request) {
	actor := web.Actor(r)
	p, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	data := reporterListPage{CanScope: policy.Can(actor, policy.TicketAgencyList, policy.Target{AgencyID: actor.AgencyID})}
	f := TicketFilter{ReporterID: &actor.AccountID, Followed: true}
	if data.CanScope && r.URL.Query().Get("lingkup") == "instansi" {
		data.Agency, f = true, TicketFilter{AgencyID: &actor.AgencyID}
	}
	data.Items, data.Next, err = h.desk.ListTickets(r.Context(), actor, f, p)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "helpdesk/reporter_list", "helpdesk.r.list.title", data)
}

// reporterTicketPage is what the reporter's page of a ticket shows.
type reporterTicketPage struct {
	Ticket   Ticket
	Rating   *Rating
	CanRate  bool
	Reporter bool
	Limits   FileLimits
}

func (h *Handler) reporterTicket(w http.ResponseWriter, r *http.Request) {
	h.renderReporterTicket(w, r, nil)
}

// renderReporterTicket shows the ticket; a refused form (ferr) re-renders it with
// the reason (422, or 409 for a closed ticket or a second rating).
func (h *Handler) renderReporterTicket(w http.ResponseWriter, r *http.Request, ferr error) {
	actor := web.Actor(r)
	t, rating, err := h.desk.ReporterTicket(r.Context(), actor, r.PathValue("number"))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	data := reporterTicketPage{Ticket: t, Rating: rating, Reporter: isReporter(actor, t), Limits: h.desk.FileLimits()}
	data.CanRate = data.Reporter && rating == nil && (t.Status == StatusResolved || t.Status == StatusClosed)
	if ferr != nil {
		web.RenderForm(w, r, "helpdesk/reporter_ticket", "helpdesk.r.ticket.title", data, ferr)
		return
	}
	web.Render(w, r, http.StatusOK, "helpdesk/reporter_ticket", "helpdesk.r.ticket.title", data)
}

func (h *Handler) reporterReply(w http.ResponseWriter, r *http.Request) {
	number := strings.ToUpper(r.PathValue("number"))
	files, err := formFiles(r)
	if err == nil {
		_, err = h.desk.AddReply(r.Context(), web.Actor(r), number, ReplyInput{Body: r.PostFormValue("body"),
			Attachments: files})
	}
	if err != nil {
		h.renderReporterTicket(w, r, err)
		return
	}
	web.Redirect(w, r, "/bantuan/"+number, "helpdesk.r.flash.replied")
}

func (h *Handler) reporterRate(w http.ResponseWriter, r *http.Request) {
	number := strings.ToUpper(r.PathValue("number"))
	score, _ := strconv.Atoi(r.PostFormValue("score"))
	_, err := h.desk.RateTicket(r.Context(), web.Actor(r), number,
		RatingInput{Score: score, Comment: r.PostFormValue("comment")})
	if err != nil {
		h.renderReporterTicket(w, r, err)
		return
	}
	web.Redirect(w, r, "/bantuan/"+number, "helpdesk.r.flash.rated")
}
