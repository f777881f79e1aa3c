package helpdesk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// StatusLink is a ticket's secret status link for a reporter without an
// account: its token (shown once, only its hash is kept) and its page.
type StatusLink struct {
	Token string `json:"token"`
	URL   string `json:"url"`
}

// IssueStatusLink makes the status link of a ticket, replacing any earlier
// one, for the help desk to give an outside reporter (read out on the phone
// or sent by SMS or email once the channels issue lands).
func (s *Service) IssueStatusLink(ctx context.Context, actor *policy.Actor, number string) (StatusLink, error) {
	id, err := ParseNumber(number)
	if err != nil {
		return StatusLink{}, err
	}
	token := newSecret()
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		t, err := s.visible(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.TicketWork, target(t)); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO ticket_status_tokens (ticket_id, token_hash, created_at)
			VALUES ($1, $2, $3) ON CONFLICT (ticket_id) DO UPDATE
			SET token_hash = excluded.token_hash, created_at = excluded.created_at`, t.ID, hashToken(token), now())
		if err != nil {
			return fmt.Errorf("helpdesk: status link: %w", err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "status_link", Entity: "ticket", EntityID: t.ID,
			AgencyID: deref(t.AgencyID)})
	})
	if err != nil {
		return StatusLink{}, err
	}
	number = Number(id)
	return StatusLink{Token: token, URL: "/status/" + number + "?token=" + url.QueryEscape(token)}, nil
}

// TicketByStatusLink returns the public side of a ticket (no internal
// notes) to the holder of its status link; a wrong link is NotFound.
func (s *Service) TicketByStatusLink(ctx context.Context, number, token string) (Ticket, error) {
	id, err := ParseNumber(number)
	if err != nil {
		return Ticket{}, err
	}
	t, err := statusLinkTicket(ctx, s.db.R, id, token)
	if err != nil {
		return Ticket{}, err
	}
	if t.Messages, err = messages(ctx, s.db.R, t.ID, false); err != nil {
		return Ticket{}, err
	}
	if t.History, err = history(ctx, s.db.R, t.ID, false); err != nil {
		return Ticket{}, err
	}
	if t.Attachments, err = attachments(ctx, s.db.R, t.ID, false); err != nil {
		return Ticket{}, err
	}
	return t, nil
}

// statusRoutes mounts the status page of a link and the API making links.
func (h *Handler) statusRoutes(rt *web.Router) {
	rt.Public("GET /status/{number}", h.statusPage)
	rt.Public("POST /status/{number}/nilai", h.statusRate)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/tickets/{number}/status-link", ID: "makeStatusLink", Tag: "helpdesk",
		Summary: "Make a ticket's secret status link for a reporter without an account (the help desk); " +
			"the token is shown only now, a new link replaces the old one",
		Response: StatusLink{}, Status: http.StatusCreated}, h.apiStatusLink)
}

func (h *Handler) statusPage(w http.ResponseWriter, r *http.Request) {
	t, err := h.desk.TicketByStatusLink(r.Context(), r.PathValue("number"), r.URL.Query().Get("token"))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	rate, err := h.desk.StatusRateable(r.Context(), t)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "helpdesk/reporter_status", "helpdesk.r.ticket.title", statusView{t, rate})
}

// statusView is the status page: the ticket's public side, and whether its
// reporter may rate it now.
type statusView struct {
	Ticket
	CanRate bool
}

// statusRate makes a rating link for the status link's holder and opens it.
func (h *Handler) statusRate(w http.ResponseWriter, r *http.Request) {
	number := strings.ToUpper(r.PathValue("number"))
	token, err := h.desk.RatingTokenByStatusLink(r.Context(), number, r.PostFormValue("token"))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, linkURL(number, token), "")
}

func (h *Handler) apiStatusLink(w http.ResponseWriter, r *http.Request) {
	link, err := h.desk.IssueStatusLink(r.Context(), web.Actor(r), r.PathValue("number"))
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, link.URL, link)
}

// statusLinkTicket loads the ticket a status link opens; a wrong link is
// NotFound.
func statusLinkTicket(ctx context.Context, q db.Querier, id int64, token string) (Ticket, error) {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM ticket_status_tokens WHERE ticket_id = $1 AND token_hash = $2`,
		id, hashToken(strings.TrimSpace(token))).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return Ticket{}, errs.New(errs.NotFound, "ticket.not_found")
	}
	if err != nil {
		return Ticket{}, fmt.Errorf("helpdesk: status link: %w", err)
	}
	return findTicket(ctx, q, id)
}

// RatingTokenByStatusLink makes the one-time rating link of a resolved
// ticket for the holder of its status link: a reporter without an account
// rates from the status page the help desk gave them, once the ticket is
// resolved, without waiting for the help desk to send a rating link.
func (s *Service) RatingTokenByStatusLink(ctx context.Context, number, statusToken string) (string, error) {
	id, err := ParseNumber(number)
	if err != nil {
		return "", err
	}
	token := newSecret()
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		t, err := statusLinkTicket(ctx, tx, id, statusToken)
		if err != nil {
			return err
		}
		return storeRatingToken(ctx, tx, policy.SystemActor("status-link"), t, token)
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// StatusRateable reports whether the holder of the ticket's status link
// may rate it now: a reporter without an account (one with an account rates
// on their own page), the ticket resolved or closed, not merged away, not
// rated yet.
func (s *Service) StatusRateable(ctx context.Context, t Ticket) (bool, error) {
	if t.ReporterID != nil {
		return false, nil
	}
	err := rateable(ctx, s.db.R, t)
	if errs.Is(err, errs.Conflict) {
		return false, nil
	}
	return err == nil, err
}
