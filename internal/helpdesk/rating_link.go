package helpdesk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

// RatingLink is a newly made one-time rating link: its secret (shown once,
// only its hash is kept) and the page where it rates.
type RatingLink struct {
	Token string `json:"token"`
	URL   string `json:"url"`
}

// RatingLinkTicket returns the subject of the ticket a one-time link rates,
// for its page: a wrong link is NotFound, a used one a Conflict.
func (s *Service) RatingLinkTicket(ctx context.Context, number, token string) (string, error) {
	id, err := ParseNumber(number)
	if err != nil {
		return "", err
	}
	var subject string
	var used sql.NullTime
	err = s.db.R.QueryRowContext(ctx, `SELECT t.subject, k.used_at FROM ticket_rating_tokens k
		JOIN tickets t ON t.id = k.ticket_id WHERE k.ticket_id = $1 AND k.token_hash = $2`,
		id, hashToken(strings.TrimSpace(token))).Scan(&subject, &used)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", errs.New(errs.NotFound, "rating.token")
	case err != nil:
		return "", fmt.Errorf("helpdesk: rating link: %w", err)
	case used.Valid:
		return "", errs.New(errs.Conflict, "rating.used")
	}
	return subject, nil
}

// ratingLinkRoutes mounts the page a one-time link opens, for anyone who
// holds it (reporters without an account), and the API that makes a link.
func (h *Handler) ratingLinkRoutes(rt *web.Router) {
	rt.Public("GET /nilai/{number}", h.linkPage)
	rt.Public("POST /nilai/{number}", h.linkRate)
	rt.Public("GET /nilai/terima-kasih", h.linkThanks)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/tickets/{number}/rating-link", ID: "makeRatingLink", Tag: "helpdesk",
		Summary: "Make the one-time rating link of a resolved ticket (the help desk or its reporter); " +
			"the token is shown only now, a new link replaces an unused one",
		Response: RatingLink{}, Status: http.StatusCreated}, h.apiRatingLink)
}

// linkURL is the page a rating link opens.
func linkURL(number, token string) string {
	return "/nilai/" + number + "?token=" + url.QueryEscape(token)
}

// ratingLinkPage is what the page of a one-time link shows.
type ratingLinkPage struct {
	Number, Subject, Token string
}

func (h *Handler) linkPage(w http.ResponseWriter, r *http.Request) {
	number, token := strings.ToUpper(r.PathValue("number")), r.URL.Query().Get("token")
	subject, err := h.desk.RatingLinkTicket(r.Context(), number, token)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	data := ratingLinkPage{Number: number, Subject: subject, Token: token}
	web.Render(w, r, http.StatusOK, "helpdesk/rating_link", "helpdesk.r.rating.title", data)
}

func (h *Handler) linkRate(w http.ResponseWriter, r *http.Request) {
	number, token := strings.ToUpper(r.PathValue("number")), r.PostFormValue("token")
	score, _ := strconv.Atoi(r.PostFormValue("score")) // not a number: 0, refused on the field
	_, err := h.desk.RateTicket(r.Context(), web.Actor(r), number,
		RatingInput{Token: token, Score: score, Comment: r.PostFormValue("comment")})
	if err != nil {
		subject, lerr := h.desk.RatingLinkTicket(r.Context(), number, token)
		if lerr != nil {
			web.Fail(w, r, lerr)
			return
		}
		data := ratingLinkPage{Number: number, Subject: subject, Token: token}
		web.RenderForm(w, r, "helpdesk/rating_link", "helpdesk.r.rating.title", data, err)
		return
	}
	web.Redirect(w, r, "/nilai/terima-kasih", "helpdesk.r.flash.rated")
}

// linkThanks is where a rating by link leads: the link is used up, so its
// own page would now refuse it.
func (h *Handler) linkThanks(w http.ResponseWriter, r *http.Request) {
	web.Render(w, r, http.StatusOK, "helpdesk/rating_thanks", "helpdesk.r.rating.title", nil)
}

func (h *Handler) apiRatingLink(w http.ResponseWriter, r *http.Request) {
	number := strings.ToUpper(r.PathValue("number"))
	token, err := h.desk.IssueRatingToken(r.Context(), web.Actor(r), number)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	link := RatingLink{Token: token, URL: linkURL(number, token)}
	web.WriteCreated(w, link.URL, link)
}
