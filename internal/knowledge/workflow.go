package knowledge

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
)

// maxComment bounds a reviewer's comment.
const maxComment = 2000

// Event is a step of an article's review: who moved it from one status
// to another, when, and the comment they gave.
type Event struct {
	FromStatus string    `json:"from_status"`
	ToStatus   string    `json:"to_status"`
	Comment    string    `json:"comment"`
	ActorName  string    `json:"actor_name"`
	CreatedAt  time.Time `json:"created_at"`
}

// SetStatus moves an article through the review: a writer sends a draft
// to review (it needs a category, whose reviewers are notified); a
// reviewer of its category (or an expert) publishes it — from review or
// straight from a draft — returns it to draft or unpublishes it, with a
// comment the author is notified of; an author may take their own article
// back from review. Asking for the status it has changes nothing.
func (s *Service) SetStatus(ctx context.Context, actor *policy.Actor, id int64, to, comment string) (Article, error) {
	return s.Patch(ctx, actor, id, Change{Status: &to, Comment: comment})
}

// setStatus moves an article through the review in the caller's
// transaction, deciding the actor's right on the article as it is.
func setStatus(ctx context.Context, q db.Querier, actor *policy.Actor, id int64, to, comment string) (Article, error) {
	comment = strings.TrimSpace(comment)
	a, t, err := readable(ctx, q, actor, id)
	if err != nil || a.Status == to {
		return a, err
	}
	if err := checkMove(actor, t, a, to, comment); err != nil {
		return Article{}, err
	}
	return move(ctx, q, actor, a, to, comment)
}

// move writes the move of a (as read in the transaction) to status to,
// the right to it already decided: the event, the audit record, the
// notices and the index. When the article changed since it was read, the
// decision is stale and nothing is written (a Conflict).
func move(ctx context.Context, q db.Querier, actor *policy.Actor, a Article, to, comment string) (Article, error) {
	if a.Status == to {
		return a, nil
	}
	at := time.Now().UTC().Truncate(time.Microsecond)
	res, err := q.ExecContext(ctx, `UPDATE articles SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4
		AND version = $5`, to, at, a.ID, a.Status, a.Version)
	if err != nil {
		return Article{}, fmt.Errorf("knowledge: status: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		now, err := load(ctx, q, a.ID)
		if err != nil {
			return Article{}, err
		}
		return Article{}, errs.New(errs.Conflict, "article.stale_status", a.Version, now.Version)
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO article_events (article_id, from_status, to_status, comment,
		actor_account_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)`, a.ID, a.Status, to, comment, accountOf(actor), at); err != nil {
		return Article{}, fmt.Errorf("knowledge: status event: %w", err)
	}
	out, err := load(ctx, q, a.ID)
	if err != nil {
		return Article{}, err
	}
	if err := audit.Write(ctx, q, actor, audit.Entry{Action: "status", Entity: "article", EntityID: a.ID,
		Before: map[string]string{"status": a.Status}, After: map[string]string{"status": to, "comment": comment}}); err != nil {
		return Article{}, err
	}
	if err := tell(ctx, q, actor, out, a.Status, comment); err != nil {
		return Article{}, err
	}
	return out, index(ctx, q, out)
}

// checkMove decides whether actor may move a to status to.
func checkMove(actor *policy.Actor, t policy.Target, a Article, to, comment string) error {
	if utf8.RuneCountInString(comment) > maxComment {
		return errs.FieldErr("comment", "too_long", maxComment)
	}
	switch to {
	case StatusReview:
		if a.Status != StatusDraft {
			return errs.FieldErr("status", "article.move", a.Status, to)
		}
		if a.CategoryID == nil {
			return errs.FieldErr("category_id", "article.review_needs_category")
		}
		return policy.Check(actor, policy.ArticleWrite, t)
	case StatusPublished:
		return policy.Check(actor, policy.ArticlePublish, t)
	case StatusDraft:
		if a.Status == StatusReview && t.Author && policy.Can(actor, policy.ArticleWrite, t) {
			return nil // the author takes it back to change something
		}
		if err := policy.Check(actor, policy.ArticlePublish, t); err != nil {
			return err
		}
		if comment == "" {
			return errs.FieldErr("comment", "article.comment_required")
		}
		return nil
	}
	return errs.FieldErr("status", "article.status_unknown", to)
}

// tell notifies who must know of a move: a category's reviewers (or, if it
// names none, the expert team) that an article waits for them; its author
// that it was published, returned or unpublished. Nobody is told of their
// own step.
func tell(ctx context.Context, tx db.Querier, actor *policy.Actor, a Article, from, comment string) error {
	link := "/pengetahuan/" + strconv.FormatInt(a.ID, 10)
	var msgs []notify.Message
	switch {
	case a.Status == StatusReview:
		ids, err := reviewersToTell(ctx, tx, *a.CategoryID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if actor == nil || id != actor.AccountID {
				msgs = append(msgs, notify.Message{AccountID: id, Kind: "article.review", Args: []string{a.Title, a.Category}, Link: link})
			}
		}
	case a.AuthorID != nil && (actor == nil || *a.AuthorID != actor.AccountID):
		kind := "article.published"
		switch {
		case a.Status == StatusDraft && from == StatusPublished:
			kind = "article.unpublished"
		case a.Status == StatusDraft:
			kind = "article.returned"
		}
		msgs = append(msgs, notify.Message{AccountID: *a.AuthorID, Kind: kind, Args: []string{a.Title, actorName(actor), comment}, Link: link})
	}
	return notify.Send(ctx, tx, msgs...)
}

// reviewersToTell are a category's active reviewers, or the experts when
// it names none.
func reviewersToTell(ctx context.Context, tx db.Querier, category int64) ([]int64, error) {
	query := `SELECT r.account_id FROM article_category_reviewers r JOIN accounts u ON u.id = r.account_id
		WHERE r.category_id = $1 AND u.active = TRUE ORDER BY r.account_id`
	ids, err := db.IDs(ctx, tx, query, category)
	if err != nil || len(ids) > 0 {
		return ids, err
	}
	return db.IDs(ctx, tx, `SELECT DISTINCT g.account_id FROM role_grants g JOIN accounts u ON u.id = g.account_id
		WHERE g.role = $1 AND u.active = TRUE ORDER BY g.account_id`, string(policy.Expert))
}

func accountOf(actor *policy.Actor) *int64 {
	if actor == nil || actor.AccountID == 0 {
		return nil
	}
	return &actor.AccountID
}

func actorName(actor *policy.Actor) string {
	if actor == nil || actor.Name == "" {
		return "Lontara"
	}
	return actor.Name
}

// Events lists an article's review steps, oldest first. They are the
// writers' (a reviewer's reasons for returning or unpublishing it are
// words to its author), as its history is: readers see the article.
func (s *Service) Events(ctx context.Context, actor *policy.Actor, id int64) ([]Event, error) {
	if _, err := s.historyReader(ctx, actor, id); err != nil {
		return nil, err
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT v.from_status, v.to_status, v.comment, COALESCE(e.name, ''), v.created_at
		FROM article_events v LEFT JOIN accounts u ON u.id = v.actor_account_id LEFT JOIN employees e ON e.id = u.employee_id
		WHERE v.article_id = $1 ORDER BY v.id`, id)
	if err != nil {
		return nil, fmt.Errorf("knowledge: events: %w", err)
	}
	defer rows.Close()
	var list []Event
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.FromStatus, &e.ToStatus, &e.Comment, &e.ActorName, &e.CreatedAt); err != nil {
			return nil, fmt.Errorf("knowledge: events: %w", err)
		}
		e.CreatedAt = e.CreatedAt.UTC()
		list = append(list, e)
	}
	return list, rows.Err()
}

// Move moves an article through the review in the caller's transaction,
// with the rules, notices and indexing of SetStatus: for work that
// publishes as part of a larger change (the demo city's articles).
func Move(ctx context.Context, tx *sql.Tx, actor *policy.Actor, id int64, to, comment string) (Article, error) {
	return setStatus(ctx, tx, actor, id, to, comment)
}
