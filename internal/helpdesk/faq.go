package helpdesk

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// MakeFAQ turns a resolved or closed ticket into a draft knowledge article
// ("Jadikan FAQ"): its subject is the question, the help desk's public
// replies the answer — never the internal notes, nor the reporter's own
// words, which may carry personal details. The ticket's history records
// it, in the same transaction as the article.
//
// A ticket makes one article. Asked again, MakeFAQ returns the article
// made before with created false: the UI takes the agent to it (a second
// click is a double submit or a colleague who had not seen it, and both
// want the draft), the API answers 409 naming it, so a client never
// believes it made two.
func (s *Service) MakeFAQ(ctx context.Context, actor *policy.Actor, number string) (a knowledge.Article, created bool, err error) {
	id, err := ParseNumber(number)
	if err != nil {
		return a, false, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		t, err := s.visible(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.TicketWork, target(t)); err != nil {
			return err
		}
		if err := policy.Check(actor, policy.ArticleWrite, policy.Target{}); err != nil {
			return err
		}
		var found bool
		if a, found, err = knowledge.ByOrigin(ctx, tx, knowledge.OriginTicket, t.ID); err != nil || found {
			return err
		}
		if !slices.Contains([]string{StatusResolved, StatusClosed}, t.Status) {
			return errs.New(errs.Conflict, "faq.unresolved")
		}
		answers, err := deskAnswers(ctx, tx, t)
		if err != nil {
			return err
		}
		if len(answers) == 0 {
			return errs.New(errs.Conflict, "faq.no_answer")
		}
		a, err = knowledge.CreateDraft(ctx, tx, actor, knowledge.Draft{Title: t.Subject,
			Body: strings.Join(answers, "\n\n"), OriginKind: knowledge.OriginTicket, OriginID: t.ID})
		if err != nil {
			return err
		}
		created = true
		ev := []Event{{Actor: authorName(actor), Kind: "faq", New: strconv.FormatInt(a.ID, 10), At: a.CreatedAt}}
		if err := insertEvents(ctx, tx, t.ID, accountOf(actor), ev); err != nil {
			return fmt.Errorf("helpdesk: history: %w", err)
		}
		return nil
	})
	if _, unique := s.db.Dialect.UniqueViolation(err); unique {
		// Another agent made it at the same moment: theirs is the one.
		return s.MakeFAQ(ctx, actor, number)
	}
	return a, created, err
}

// deskAnswers returns the public replies the help desk wrote to t, in
// order: by accounts that work the help desk, other than the reporter's.
func deskAnswers(ctx context.Context, q db.Querier, t Ticket) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT m.body FROM ticket_messages m
		WHERE m.ticket_id = $1 AND m.internal = FALSE AND m.author_account_id IS NOT NULL
		AND m.author_account_id <> $2 AND EXISTS (SELECT 1 FROM role_grants g
			WHERE g.account_id = m.author_account_id AND g.role IN (`+deskRolesIn(3)+`))
		ORDER BY m.id`, deskRoleArgs(t.ID, deref(t.ReporterID))...)
	if err != nil {
		return nil, fmt.Errorf("helpdesk: answers: %w", err)
	}
	defer rows.Close()
	var list []string
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, fmt.Errorf("helpdesk: answers: %w", err)
		}
		list = append(list, body)
	}
	return list, rows.Err()
}

// Origin names a knowledge article's origin for its page: a ticket by its
// number, linked to the agent's ticket page.
func Origin(kind string, id int64) (label, href string) {
	if kind != knowledge.OriginTicket {
		return kind, ""
	}
	return Number(id), "/layanan/" + Number(id)
}

// faqRoutes mounts "Jadikan FAQ" on the agent's ticket page and in the API.
func (h *Handler) faqRoutes(rt *web.Router) {
	rt.Page("POST /layanan/{number}/faq", h.faqPost)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/tickets/{number}/faq", ID: "makeFAQ", Tag: "helpdesk",
		Summary: "Make a draft knowledge article from a resolved or closed ticket: the subject as the question, " +
			"the help desk's public replies as the answer (409 when the ticket already has its article, or is not resolved)",
		Response: knowledge.Article{}, Status: http.StatusCreated}, h.apiFAQ)
}

func (h *Handler) faqPost(w http.ResponseWriter, r *http.Request) {
	a, created, err := h.desk.MakeFAQ(r.Context(), web.Actor(r), r.PathValue("number"))
	if err != nil {
		h.formFailed(w, r, err)
		return
	}
	flash := "desk.faq.created"
	if !created {
		flash = "desk.faq.exists"
	}
	web.Redirect(w, r, "/pengetahuan/"+strconv.FormatInt(a.ID, 10), flash)
}

func (h *Handler) apiFAQ(w http.ResponseWriter, r *http.Request) {
	a, created, err := h.desk.MakeFAQ(r.Context(), web.Actor(r), r.PathValue("number"))
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	location := "/api/v1/articles/" + strconv.FormatInt(a.ID, 10)
	if !created {
		w.Header().Set("Location", location)
		web.WriteProblem(w, r, errs.New(errs.Conflict, "faq.exists", a.ID))
		return
	}
	web.WriteCreated(w, location, a)
}
