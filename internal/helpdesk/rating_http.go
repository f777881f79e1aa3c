package helpdesk

import (
	"net/http"
	"strings"

	"github.com/lontara-id/lontara/internal/web"
)

// ratingRoutes mounts the rating API. The API answers signed-in callers
// only (web.Router.API); the holder of a one-time link rates with its token,
// the reporter without one.
func (h *Handler) ratingRoutes(rt *web.Router) {
	rt.API(web.Op{Method: "POST", Path: "/api/v1/tickets/{number}/rating", ID: "rateTicket", Tag: "helpdesk",
		Summary: "Rate a resolved ticket 1–5, once: with the one-time rating token, or as its reporter without one " +
			"(422 on a score outside 1–5, 409 when the token is used or the ticket already rated)",
		Body: RatingInput{}, Response: Rating{}, Status: http.StatusCreated}, h.apiRate)
	h.ratingLinkRoutes(rt)
}

func (h *Handler) apiRate(w http.ResponseWriter, r *http.Request) {
	var in RatingInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	number := strings.ToUpper(r.PathValue("number"))
	rating, err := h.desk.RateTicket(r.Context(), web.Actor(r), number, in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/tickets/"+number, rating)
}
