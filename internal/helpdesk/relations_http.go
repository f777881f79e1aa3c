package helpdesk

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

// relationRoutes mounts what relates tickets: merging a duplicate, linking
// related tickets, canned replies and problem records, in the API and on
// the agent's pages.
func (h *Handler) relationRoutes(rt *web.Router) {
	rt.Page("POST /layanan/{number}/gabung", h.mergePost)
	rt.Page("POST /layanan/{number}/kaitkan", h.linkPost)
	rt.Page("POST /layanan/{number}/kaitan/{other}/hapus", h.unlinkPost)
	rt.Page("POST /layanan/{number}/masalah", h.problemTicketPost)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/tickets/{number}/merge", ID: "mergeTicket", Tag: "helpdesk",
		Summary: "Merge a duplicate into another ticket (help desk; If-Match with the duplicate's ETag: 428 " +
			"without, 409 when stale). The duplicate is closed; its reporter follows the target. 422 into itself " +
			"or an unknown ticket, 409 into a closed or merged ticket",
		Body: MergeInput{}, Response: Ticket{}}, h.apiMerge)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/tickets/{number}/links", ID: "listTicketLinks", Tag: "helpdesk",
		Summary:  "A ticket's links both ways: related, duplicate_of (merged into), duplicate (merged in) (help desk)",
		Response: Link{}, List: true}, h.apiLinks)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/tickets/{number}/links", ID: "linkTicket", Tag: "helpdesk",
		Summary: "Link a related ticket (help desk; never shown to reporters)",
		Body:    LinkInput{}, Response: Link{}, Status: http.StatusCreated}, h.apiLink)
	rt.API(web.Op{Method: "DELETE", Path: "/api/v1/tickets/{number}/links/{other}", ID: "unlinkTicket",
		Tag: "helpdesk", Summary: "Remove the related link between two tickets (help desk)",
		Status: http.StatusNoContent}, h.apiUnlink)
	h.cannedRoutes(rt)
	h.problemRoutes(rt)
}

// cannedChoice reads the canned reply chosen on the ticket page, 0 for none.
func cannedChoice(r *http.Request) int64 {
	id, err := strconv.ParseInt(r.URL.Query().Get("balasan"), 10, 64)
	if err != nil || id < 1 {
		return 0
	}
	return id
}

func (h *Handler) apiMerge(w http.ResponseWriter, r *http.Request) {
	number := r.PathValue("number")
	version, ok := ifMatch(r)
	if !ok {
		web.WriteProblem(w, r, errs.New(errs.Precondition, "ticket.if_match"))
		return
	}
	var in MergeInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	if _, err := h.desk.MergeTicket(r.Context(), web.Actor(r), number, version, in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	h.writeTicket(w, r, number)
}

func (h *Handler) apiLinks(w http.ResponseWriter, r *http.Request) {
	list, err := h.desk.TicketLinks(r.Context(), web.Actor(r), r.PathValue("number"))
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, "")
}

func (h *Handler) apiLink(w http.ResponseWriter, r *http.Request) {
	var in LinkInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	number := strings.ToUpper(r.PathValue("number"))
	l, err := h.desk.LinkTickets(r.Context(), web.Actor(r), number, in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/tickets/"+number+"/links", l)
}

func (h *Handler) apiUnlink(w http.ResponseWriter, r *http.Request) {
	if err := h.desk.UnlinkTickets(r.Context(), web.Actor(r), r.PathValue("number"), r.PathValue("other")); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// mergePost merges the ticket shown into the one the form names, against
// the version the page was shown with, and opens the target.
func (h *Handler) mergePost(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		web.Fail(w, r, errs.New(errs.Invalid, "invalid"))
		return
	}
	number := strings.ToUpper(r.PathValue("number"))
	version, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil || version < 1 {
		h.formFailed(w, r, errs.FieldErr("version", "number"))
		return
	}
	into := strings.ToUpper(strings.TrimSpace(r.PostFormValue("into")))
	if _, err := h.desk.MergeTicket(r.Context(), web.Actor(r), number, version, MergeInput{Into: into}); err != nil {
		h.formFailed(w, r, err)
		return
	}
	id, _ := ParseNumber(into) // the merge took it, so it is a number
	web.Redirect(w, r, "/layanan/"+Number(id), "rel.flash.merged")
}

func (h *Handler) linkPost(w http.ResponseWriter, r *http.Request) {
	number := strings.ToUpper(r.PathValue("number"))
	if _, err := h.desk.LinkTickets(r.Context(), web.Actor(r), number, LinkInput{Other: r.PostFormValue("other")}); err != nil {
		h.formFailed(w, r, err)
		return
	}
	web.Redirect(w, r, "/layanan/"+number+"#relations", "rel.flash.linked")
}

func (h *Handler) unlinkPost(w http.ResponseWriter, r *http.Request) {
	number := strings.ToUpper(r.PathValue("number"))
	if err := h.desk.UnlinkTickets(r.Context(), web.Actor(r), number, r.PathValue("other")); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/layanan/"+number+"#relations", "rel.flash.unlinked")
}

// problemTicketPost groups the ticket shown under the problem chosen.
func (h *Handler) problemTicketPost(w http.ResponseWriter, r *http.Request) {
	number := strings.ToUpper(r.PathValue("number"))
	id, err := strconv.ParseInt(r.PostFormValue("problem_id"), 10, 64)
	if err != nil || id < 1 {
		h.formFailed(w, r, errs.FieldErr("problem_id", "required"))
		return
	}
	_, err = h.desk.LinkProblemTicket(r.Context(), web.Actor(r), id, ProblemTicketInput{Ticket: number})
	if errs.Is(err, errs.NotFound) {
		err = errs.FieldErr("problem_id", "rel.problem_not_found")
	}
	if err != nil {
		h.formFailed(w, r, err)
		return
	}
	web.Redirect(w, r, "/layanan/"+number+"#relations", "rel.flash.problem_linked")
}
