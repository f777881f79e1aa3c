package ideas

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
)

// answerStatuses are the statuses an answer may set: every one past new.
var answerStatuses = Statuses[1:]

// Answer records the owner leadership's answer and moves the idea to
// in.Status (the same status again adds an answer without a move). The
// first answer ends the idea's wait. The author and the voters are told.
func (s *Service) Answer(ctx context.Context, actor *policy.Actor, id int64, in AnswerInput) (Idea, error) {
	if err := signedIn(actor); err != nil {
		return Idea{}, err
	}
	in.Answer = strings.TrimSpace(in.Answer)
	var v errs.Validation
	if !slices.Contains(answerStatuses, in.Status) {
		v.Add("status", "one_of", strings.Join(answerStatuses, ", "))
	}
	if in.Answer == "" {
		v.Add("answer", "ideas.answer_required")
	}
	tooLong(&v, "answer", in.Answer, maxAnswer)
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		i, err := load(ctx, tx, actor.AccountID, id)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.IdeaAnswer, policy.Target{AgencyID: i.AgencyID}); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		at := now()
		if _, err := db.InsertID(ctx, tx, `INSERT INTO idea_answers (idea_id, status_from, status_to, answer, account_id,
			created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, id, i.Status, in.Status, in.Answer, actor.AccountID, at); err != nil {
			return fmt.Errorf("ideas: answer %d: %w", id, err)
		}
		// The first answer is kept on the idea: it ends the wait.
		if _, err := tx.ExecContext(ctx, `UPDATE ideas SET status = $1, updated_at = $2,
			answer = CASE WHEN answered_at IS NULL THEN $3 ELSE answer END,
			answered_by = CASE WHEN answered_at IS NULL THEN $4 ELSE answered_by END,
			answered_at = COALESCE(answered_at, $2) WHERE id = $5`, in.Status, at, in.Answer, actor.AccountID, id); err != nil {
			return fmt.Errorf("ideas: answer %d: %w", id, err)
		}
		told, err := accountsWith(ctx, tx, `SELECT account_id FROM idea_votes WHERE idea_id = $1
			UNION SELECT c.id FROM accounts c JOIN ideas i ON i.author_id = c.employee_id WHERE i.id = $1`, id)
		if err != nil {
			return err
		}
		var msgs []notify.Message
		for _, a := range told {
			if a != actor.AccountID {
				msgs = append(msgs, notify.Message{AccountID: a, Kind: "ideas.answered." + in.Status,
					Args: []string{i.Title}, Link: Link(id)})
			}
		}
		if err := notify.Send(ctx, tx, msgs...); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "idea", EntityID: id, AgencyID: i.AgencyID,
			Before: map[string]any{"status": i.Status}, After: in})
	})
	if err != nil {
		return Idea{}, err
	}
	return s.Get(ctx, actor, id)
}

// Vote gives (on) or withdraws (off) the actor's vote, one per person; the
// idea's count changes in the same transaction. Voting twice or
// withdrawing a vote not given changes nothing.
func (s *Service) Vote(ctx context.Context, actor *policy.Actor, id int64, on bool) (Idea, error) {
	if err := signedIn(actor); err != nil {
		return Idea{}, err
	}
	if actor.AccountID == 0 {
		return Idea{}, errs.New(errs.Forbidden, "forbidden")
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		i, err := load(ctx, tx, actor.AccountID, id)
		if err != nil {
			return err
		}
		if i.Voted == on {
			return nil
		}
		var res sql.Result
		if on {
			res, err = tx.ExecContext(ctx, `INSERT INTO idea_votes (idea_id, account_id, created_at) VALUES ($1, $2, $3)
				ON CONFLICT DO NOTHING`, id, actor.AccountID, now())
		} else {
			res, err = tx.ExecContext(ctx, `DELETE FROM idea_votes WHERE idea_id = $1 AND account_id = $2`, id, actor.AccountID)
		}
		if err != nil {
			return fmt.Errorf("ideas: vote %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // a concurrent request did it first
		}
		// A step, not a recount: under PostgreSQL's read committed a
		// recount blocked behind another vote would miss it.
		step := 1
		if !on {
			step = -1
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ideas SET votes = votes + $1 WHERE id = $2`, step, id); err != nil {
			return fmt.Errorf("ideas: vote %d: %w", id, err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "idea_vote", EntityID: id,
			AgencyID: i.AgencyID, After: map[string]any{"voted": on}})
	})
	if err != nil {
		return Idea{}, err
	}
	return load(ctx, s.db.R, actor.AccountID, id)
}

// Comment adds the actor's comment; the author is told.
func (s *Service) Comment(ctx context.Context, actor *policy.Actor, id int64, in CommentInput) (Comment, error) {
	if err := signedIn(actor); err != nil {
		return Comment{}, err
	}
	if actor.AccountID == 0 {
		return Comment{}, errs.New(errs.Forbidden, "forbidden")
	}
	in.Body = strings.TrimSpace(in.Body)
	var v errs.Validation
	if in.Body == "" {
		v.Add("body", "required")
	}
	tooLong(&v, "body", in.Body, maxComment)
	c := Comment{Body: in.Body, By: actor.Name, CreatedAt: now()}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		i, err := load(ctx, tx, actor.AccountID, id)
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		if c.ID, err = db.InsertID(ctx, tx, `INSERT INTO idea_comments (idea_id, account_id, body, created_at)
			VALUES ($1, $2, $3, $4) RETURNING id`, id, actor.AccountID, in.Body, c.CreatedAt); err != nil {
			return fmt.Errorf("ideas: comment on %d: %w", id, err)
		}
		author, err := accountsWith(ctx, tx, `SELECT id FROM accounts WHERE employee_id = $1`, i.AuthorID)
		if err != nil {
			return err
		}
		var msgs []notify.Message
		for _, a := range author {
			if a != actor.AccountID {
				msgs = append(msgs, notify.Message{AccountID: a, Kind: "ideas.commented",
					Args: []string{actor.Name, i.Title}, Link: Link(id)})
			}
		}
		if err := notify.Send(ctx, tx, msgs...); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "idea_comment", EntityID: c.ID,
			AgencyID: i.AgencyID, After: in})
	})
	return c, err
}

// EditInput is an idea's new title and text.
type EditInput struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// Edit lets the author reword their idea while it still waits for its
// first answer; once answered, the answer stands against the words it
// answered (409).
func (s *Service) Edit(ctx context.Context, actor *policy.Actor, id int64, in EditInput) (Idea, error) {
	if err := signedIn(actor); err != nil {
		return Idea{}, err
	}
	in.Title, in.Body = strings.TrimSpace(in.Title), strings.TrimSpace(in.Body)
	var v errs.Validation
	if in.Title == "" {
		v.Add("title", "required")
	}
	tooLong(&v, "title", in.Title, maxTitle)
	tooLong(&v, "body", in.Body, maxBody)
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		i, err := load(ctx, tx, actor.AccountID, id)
		if err != nil {
			return err
		}
		if actor.EmployeeID == 0 || actor.EmployeeID != i.AuthorID {
			return errs.New(errs.Forbidden, "forbidden")
		}
		if i.AnsweredAt != nil {
			return errs.New(errs.Conflict, "ideas.answered")
		}
		if err := v.Err(); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE ideas SET title = $1, body = $2, updated_at = $3
			WHERE id = $4 AND answered_at IS NULL`, in.Title, in.Body, now(), id)
		if err != nil {
			return fmt.Errorf("ideas: edit %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("ideas: edit %d: %w", id, err)
		} else if n == 0 {
			return errs.New(errs.Conflict, "ideas.answered")
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "idea", EntityID: id, AgencyID: i.AgencyID,
			Before: map[string]any{"title": i.Title, "body": i.Body}, After: in})
	})
	if err != nil {
		return Idea{}, err
	}
	return s.Get(ctx, actor, id)
}
